// SPDX-License-Identifier: GPL-2.0
/*
 * make bench's placed writes (bench.sh, workload "randwrite-4k-qd32-fdp"):
 * N random 4 KiB writes at queue depth 32 through io_uring passthrough
 * (IORING_OP_URING_CMD) on an FDP disk's char device, each with a
 * placement identifier from 0 to 7 in turn (placed) or none (plain), the
 * rest as fio's io_uring_cmd engine does. Prints what report.py reads of
 * fio's JSON: IOPS, bandwidth and the 50th and 99th percentile latency.
 *
 *   fdpw placed|plain DEVICE DISK_BYTES N
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <linux/nvme_ioctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define QD	32
#define BS	4096
#define LBA	512

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void prep(struct io_uring *ring, int fd, char *buf, unsigned int slot,
		 uint64_t slba, int placed, unsigned long i)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct nvme_uring_cmd c = {
		.opcode = 0x01, .nsid = 1,
		.addr = (uintptr_t)(buf + (size_t)slot * BS), .data_len = BS,
		.cdw10 = (uint32_t)slba, .cdw11 = (uint32_t)(slba >> 32),
		.cdw12 = BS / LBA - 1,
	};

	if (placed) {
		c.cdw12 |= 2U << 20;		/* DTYPE: data placement */
		c.cdw13 = (uint32_t)(i % 8) << 16;	/* DSPEC */
	}
	/* The command is the SQE128's second half: as liburing lays it. */
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = NVME_URING_CMD_IO;
	sqe->user_data = slot;
	memcpy(sqe->cmd, &c, sizeof(c));
}

int main(int argc, char **argv)
{
	uint64_t nblk, seed = 0x9e3779b97f4a7c15ULL, total = 0, t0, *lat;
	uint64_t start[QD];
	unsigned long n, issued = 0, done = 0;
	struct io_uring ring;
	unsigned int slot;
	int fd, placed;
	char *buf;

	if (argc != 5 || (strcmp(argv[1], "placed") &&
			  strcmp(argv[1], "plain"))) {
		fprintf(stderr, "usage: fdpw placed|plain DEVICE DISK_BYTES N\n");
		return 2;
	}
	placed = !strcmp(argv[1], "placed");
	nblk = strtoull(argv[3], NULL, 0) / BS;
	n = strtoul(argv[4], NULL, 0);
	fd = open(argv[2], O_RDWR);
	lat = calloc(n, sizeof(*lat));
	if (fd < 0 || !lat || posix_memalign((void **)&buf, 4096, QD * BS)) {
		perror(argv[2]);
		return 1;
	}
	memset(buf, 0x5a, QD * BS);
	if (io_uring_queue_init(QD, &ring, IORING_SETUP_SQE128 |
				IORING_SETUP_CQE32)) {
		perror("io_uring_queue_init");
		return 1;
	}
	t0 = now_ns();
	for (slot = 0; slot < QD && issued < n; slot++, issued++) {
		start[slot] = now_ns();
		prep(&ring, fd, buf, slot, (rnd(&seed) % nblk) * (BS / LBA),
		     placed, issued);
	}
	io_uring_submit(&ring);
	while (done < n) {
		struct io_uring_cqe *cqe;

		if (io_uring_wait_cqe(&ring, &cqe)) {
			perror("io_uring_wait_cqe");
			return 1;
		}
		if (cqe->res) {
			fprintf(stderr, "write: %d\n", cqe->res);
			return 1;
		}
		slot = cqe->user_data;
		lat[done++] = now_ns() - start[slot];
		io_uring_cqe_seen(&ring, cqe);
		if (issued < n) {
			start[slot] = now_ns();
			prep(&ring, fd, buf, slot,
			     (rnd(&seed) % nblk) * (BS / LBA), placed, issued++);
			io_uring_submit(&ring);
		}
	}
	total = now_ns() - t0;
	bench_report("write", n, total, BS, lat);
	io_uring_queue_exit(&ring);
	close(fd);
	return 0;
}
