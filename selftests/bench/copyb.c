// SPDX-License-Identifier: GPL-2.0
/*
 * make bench's Copy rate (bench.sh, workload "copy-1m-4r"): N times, copy
 * 1 MiB from 4 source ranges of 256 KiB to one target on a char device
 * with 512-byte blocks, either with one Copy command (copy) or with what a
 * host does without it, a Read and a Write of each range (rw), all through
 * NVME_IOCTL_IO_CMD. Each copy is timed; the first is checked: the target
 * reads back as the sources. Prints what report.py reads of fio's JSON:
 * IOPS (copies a second), bandwidth and the 50th and 99th percentile of a
 * copy's latency.
 *
 *   copyb copy|rw DEVICE N
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/nvme_ioctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define RANGE	(256 << 10)
#define NR	4
#define LBA	512

struct range {
	uint64_t rsvd0, slba;
	uint16_t nlb, rsvd18;
	uint32_t rsvd20, eilbrt;
	uint16_t elbat, elbatm;
};

static int nvme_io(int fd, uint8_t opcode, uint64_t slba, uint32_t cdw12,
		   void *buf, uint32_t len)
{
	struct nvme_passthru_cmd c = {
		.opcode = opcode, .nsid = 1,
		.cdw10 = (uint32_t)slba, .cdw11 = (uint32_t)(slba >> 32),
		.cdw12 = cdw12, .addr = (uintptr_t)buf, .data_len = len,
	};
	int ret = ioctl(fd, NVME_IOCTL_IO_CMD, &c);

	if (ret)
		fprintf(stderr, "opcode 0x%x at %llu: %d %s\n", opcode,
			(unsigned long long)slba, ret,
			ret < 0 ? strerror(errno) : "NVMe status");
	return ret;
}

/* Sources: ranges 4 and 2 MiB apart in the first 64 MiB, out of order. */
static uint64_t src_lba(unsigned long i, int k)
{
	return ((i % 8) * 8 + (3 - k) * 2) * ((1 << 20) / LBA);
}

/* Targets: 1 MiB slots from 128 MiB on. */
static uint64_t dst_lba(unsigned long i)
{
	return (128 + i % 64) * ((1 << 20) / LBA);
}

static int one(int fd, int copy, unsigned long i, struct range *r,
	       char *buf)
{
	int k;

	if (copy) {
		for (k = 0; k < NR; k++) {
			memset(&r[k], 0, sizeof(r[k]));
			r[k].slba = src_lba(i, k);
			r[k].nlb = RANGE / LBA - 1;
		}
		return nvme_io(fd, 0x19, dst_lba(i), NR - 1, r,
			       NR * sizeof(*r));
	}
	for (k = 0; k < NR; k++)
		if (nvme_io(fd, 0x02, src_lba(i, k), RANGE / LBA - 1, buf,
			    RANGE) ||
		    nvme_io(fd, 0x01, dst_lba(i) + k * (RANGE / LBA),
			    RANGE / LBA - 1, buf, RANGE))
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t t, total = 0, *lat;
	char *buf, *back;
	struct range *r;
	unsigned long n, i;
	int fd, copy, k;

	if (argc != 4 || (strcmp(argv[1], "copy") && strcmp(argv[1], "rw"))) {
		fprintf(stderr, "usage: copyb copy|rw DEVICE N\n");
		return 2;
	}
	copy = !strcmp(argv[1], "copy");
	n = strtoul(argv[3], NULL, 0);
	fd = open(argv[2], O_RDWR);
	lat = calloc(n, sizeof(*lat));
	if (fd < 0 || !lat || posix_memalign((void **)&buf, 4096, RANGE) ||
	    posix_memalign((void **)&back, 4096, RANGE) ||
	    posix_memalign((void **)&r, 4096, 4096)) {
		perror(argv[2]);
		return 1;
	}
	/* Untimed: sources that are not zeros, then one copy checked. */
	for (i = 0; i < 8 * 8 / 2; i++) {
		for (k = 0; k < RANGE; k++)
			buf[k] = (char)(i * 131 + k * 7);
		if (nvme_io(fd, 0x01, i * 2 * ((1 << 20) / LBA),
			    RANGE / LBA - 1, buf, RANGE))
			return 1;
	}
	if (one(fd, copy, 0, r, buf))
		return 1;
	for (k = 0; k < NR; k++) {
		if (nvme_io(fd, 0x02, src_lba(0, k), RANGE / LBA - 1, buf,
			    RANGE) ||
		    nvme_io(fd, 0x02, dst_lba(0) + k * (RANGE / LBA),
			    RANGE / LBA - 1, back, RANGE))
			return 1;
		if (memcmp(buf, back, RANGE)) {
			fprintf(stderr, "range %d: the target differs\n", k);
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		t = now_ns();
		if (one(fd, copy, i, r, buf))
			return 1;
		lat[i] = now_ns() - t;
		total += lat[i];
	}
	bench_report("read", n, total, NR * RANGE, lat);
	close(fd);
	return 0;
}
