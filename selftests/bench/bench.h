/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What make bench's own programs (zreset.c, copyb.c, fdpw.c) share: a
 * clock, and their result printed as the part of fio's JSON report.py
 * reads.
 */
#ifndef ZCBLK_BENCH_H
#define ZCBLK_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * @n operations in @total_ns, @bytes each, their latencies @lat (sorted
 * here), as fio's "read" or "write" job (@dir), with its runtime in ms.
 */
static inline void bench_report(const char *dir, unsigned long n,
				uint64_t total_ns, uint64_t bytes,
				uint64_t *lat)
{
	double iops = total_ns ? n * 1e9 / total_ns : 0.0;

	qsort(lat, n, sizeof(*lat), cmp_u64);
	printf("{\"jobs\": [{\"job_runtime\": %.3f, \"%s\": {\"iops\": %.3f, "
	       "\"bw_bytes\": %.0f, \"total_ios\": %lu, "
	       "\"lat_ns\": {\"percentile\": {\"50.000000\": %llu, "
	       "\"99.000000\": %llu}}}}]}\n",
	       total_ns / 1e6, dir, iops, iops * bytes, n,
	       (unsigned long long)lat[n / 2],
	       (unsigned long long)lat[n * 99 / 100]);
}

#endif /* ZCBLK_BENCH_H */
