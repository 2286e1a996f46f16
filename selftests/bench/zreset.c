// SPDX-License-Identifier: GPL-2.0
/*
 * make bench's zone reset rate (bench.sh, workload "zone-reset"): N times,
 * write one 4 KiB block at the start of a zone, then reset the zone, and
 * time the resets alone. Through the NVMe char device (Zone Management
 * Send, NVME_IOCTL_IO_CMD) or a zoned block device (BLKRESETZONE); both are
 * synchronous ioctls. Prints what report.py reads of fio's JSON: IOPS (resets
 * a second) and the 50th and 99th percentile of a reset's latency.
 *
 *   zreset chr|blk DEVICE ZONE_BYTES NR_ZONES N
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/blkzoned.h>
#include <linux/nvme_ioctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

/* One NVMe I/O command on the char device: 0 or what went wrong. */
static int nvme_io(int fd, uint8_t opcode, uint64_t slba, uint32_t cdw13,
		   void *buf, uint32_t len)
{
	struct nvme_passthru_cmd c = {
		.opcode = opcode, .nsid = 1,
		.cdw10 = (uint32_t)slba, .cdw11 = (uint32_t)(slba >> 32),
		.cdw13 = cdw13, .addr = (uintptr_t)buf, .data_len = len,
	};

	return ioctl(fd, NVME_IOCTL_IO_CMD, &c);
}

int main(int argc, char **argv)
{
	uint64_t zbytes, t, total = 0, *lat;
	unsigned long nzones, n, i;
	int fd, chr, ret;
	void *buf;

	if (argc != 6 || (strcmp(argv[1], "chr") && strcmp(argv[1], "blk"))) {
		fprintf(stderr, "usage: zreset chr|blk DEVICE ZONE_BYTES NR_ZONES N\n");
		return 2;
	}
	chr = !strcmp(argv[1], "chr");
	zbytes = strtoull(argv[3], NULL, 0);
	nzones = strtoul(argv[4], NULL, 0);
	n = strtoul(argv[5], NULL, 0);
	fd = open(argv[2], O_RDWR | (chr ? 0 : O_DIRECT));
	lat = calloc(n, sizeof(*lat));
	if (fd < 0 || !lat || posix_memalign(&buf, 4096, 4096)) {
		perror(argv[2]);
		return 1;
	}
	memset(buf, 0x5a, 4096);
	/* Untimed: empty the zones (fio's writes left them full). */
	for (i = 0; i < nzones; i++) {
		uint64_t off = i * zbytes;
		struct blk_zone_range r = { off >> 9, zbytes >> 9 };

		ret = chr ? nvme_io(fd, 0x79, off >> 9, 0x4, NULL, 0) :
			    ioctl(fd, BLKRESETZONE, &r);
		if (ret) {
			fprintf(stderr, "first reset at %llu: %d %s\n",
				(unsigned long long)off, ret, strerror(errno));
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		uint64_t off = (i % nzones) * zbytes;
		struct blk_zone_range r = { off >> 9, zbytes >> 9 };

		if (chr)
			/* one 512-byte LBA: make bench's disks' */
			ret = nvme_io(fd, 0x01, off >> 9, 0, buf, 512);
		else
			ret = pwrite(fd, buf, 4096, off) == 4096 ? 0 : -1;
		if (ret) {
			fprintf(stderr, "write at %llu: %d %s\n",
				(unsigned long long)off, ret, strerror(errno));
			return 1;
		}
		t = now_ns();
		if (chr)
			ret = nvme_io(fd, 0x79, off >> 9, 0x4, NULL, 0);
		else
			ret = ioctl(fd, BLKRESETZONE, &r);
		lat[i] = now_ns() - t;
		if (ret) {
			fprintf(stderr, "reset at %llu: %d %s\n",
				(unsigned long long)off, ret, strerror(errno));
			return 1;
		}
		total += lat[i];
	}
	bench_report("read", n, total, 0, lat);
	close(fd);
	return 0;
}
