// SPDX-License-Identifier: GPL-2.0
/*
 * make bench's passthrough rows that fio 3.33 cannot drive (bench.sh): N
 * random 4 KiB reads or writes at queue depth 32 through io_uring
 * passthrough (IORING_OP_URING_CMD) on a char device, the rest as fio's
 * io_uring_cmd engine does. MODE:
 *   plain   the data alone;
 *   placed  writes with a placement identifier from 0 to 7 in turn (an
 *           FDP disk; workload "randwrite-4k-qd32-fdp");
 *   md      with a separate metadata buffer of 8 bytes a 512-byte block
 *           (a 512+8 disk);
 *   pi      protection information type 1 in those 8 bytes, every check
 *           (PRCHK guard, application and reference tag); a write has
 *           the controller make it (PRACT: the data alone moves), a read
 *           checks it and returns it in the metadata buffer.
 * MODE-fb (plain-fb, md-fb): the same with one registered buffer holding
 * the data and the metadata (IORING_URING_CMD_FIXED), as fio's
 * fixedbufs=1 registers the data.
 * Prints what report.py reads of fio's JSON: IOPS, bandwidth and the
 * 50th and 99th percentile latency. "fill" writes the disk's first N
 * 4 KiB (0: all of it) in order, as the other rows' disks are written
 * before they are measured: no measured run then allocates store pages.
 *
 *   uqd read|write|fill MODE[-fb] DEVICE DISK_BYTES N
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

enum mode { PLAIN, PLACED, MD, PI };

static int fixed;		/* MODE-fb: a registered buffer, index 0 */

#define MS	8			/* metadata bytes a block */
#define PRACT	(1U << 29)
#define PRCHK	(7U << 26)

static void prep(struct io_uring *ring, int fd, char *buf, char *md,
		 unsigned int slot, uint64_t slba, int write, enum mode m,
		 unsigned long i)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct nvme_uring_cmd c = {
		.opcode = write ? 0x01 : 0x02, .nsid = 1,
		.addr = (uintptr_t)(buf + (size_t)slot * BS), .data_len = BS,
		.cdw10 = (uint32_t)slba, .cdw11 = (uint32_t)(slba >> 32),
		.cdw12 = BS / LBA - 1,
	};

	if (m == PLACED) {
		c.cdw12 |= 2U << 20;		/* DTYPE: data placement */
		c.cdw13 = (uint32_t)(i % 8) << 16;	/* DSPEC */
	}
	/* PRACT with 8 bytes of PI alone: a write sends the data alone */
	if (m == MD || (m == PI && !write)) {
		c.metadata = (uintptr_t)(md + (size_t)slot * BS / LBA * MS);
		c.metadata_len = BS / LBA * MS;
	}
	if (m == PI) {
		c.cdw12 |= PRCHK | (write ? PRACT : 0);
		c.cdw14 = (uint32_t)slba;	/* ILBRT: type 1, the LBA */
		c.cdw15 = 0xffffU << 16;	/* LBATM: application tag 0 */
	}
	/* The command is the SQE128's second half: as liburing lays it. */
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = NVME_URING_CMD_IO;
	if (fixed) {
		sqe->uring_cmd_flags = IORING_URING_CMD_FIXED;
		sqe->buf_index = 0;
	}
	sqe->user_data = slot;
	memcpy(sqe->cmd, &c, sizeof(c));
}

/* The next command's first LBA: random, or in order for a fill. */
static uint64_t next_slba(uint64_t *seed, int seq, unsigned long i,
			  uint64_t nblk)
{
	return (seq ? i : rnd(seed) % nblk) * (BS / LBA);
}

static int parse_mode(const char *s, enum mode *m)
{
	static const char *const names[] = { "plain", "placed", "md", "pi" };
	size_t len = strlen(s);
	unsigned int i;

	if (len > 3 && !strcmp(s + len - 3, "-fb")) {
		fixed = 1;
		len -= 3;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i]) == len && !strncmp(s, names[i], len)) {
			*m = i;
			return 0;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	uint64_t nblk, seed = 0x9e3779b97f4a7c15ULL, total = 0, t0, *lat;
	uint64_t start[QD];
	unsigned long n, issued = 0, done = 0;
	struct io_uring ring;
	unsigned int slot;
	char *buf, *md;
	enum mode m;
	int fd, write, seq;

	if (argc != 6 || (strcmp(argv[1], "read") && strcmp(argv[1], "write") &&
			  strcmp(argv[1], "fill")) || parse_mode(argv[2], &m)) {
		fprintf(stderr,
			"usage: uqd read|write|fill plain|placed|md|pi[-fb] DEVICE DISK_BYTES N\n");
		return 2;
	}
	seq = !strcmp(argv[1], "fill");
	write = seq || !strcmp(argv[1], "write");
	nblk = strtoull(argv[4], NULL, 0) / BS;
	n = strtoul(argv[5], NULL, 0);
	if (seq && (!n || n > nblk))
		n = nblk;
	fd = open(argv[3], O_RDWR);
	lat = calloc(n, sizeof(*lat));
	/* -fb: the metadata right after the data, in the registered buffer */
	if (fd < 0 || !lat ||
	    posix_memalign((void **)&buf, 4096, QD * BS + QD * BS / LBA * MS)) {
		perror(argv[3]);
		return 1;
	}
	md = fixed ? buf + QD * BS : calloc(QD, BS / LBA * MS);
	if (!md) {
		perror("calloc");
		return 1;
	}
	memset(buf, 0x5a, QD * BS);
	memset(md, 0, QD * BS / LBA * MS);
	if (io_uring_queue_init(QD, &ring, IORING_SETUP_SQE128 |
				IORING_SETUP_CQE32)) {
		perror("io_uring_queue_init");
		return 1;
	}
	if (fixed) {
		struct iovec reg = {
			.iov_base = buf, .iov_len = QD * BS + QD * BS / LBA * MS,
		};

		if (io_uring_register_buffers(&ring, &reg, 1)) {
			perror("io_uring_register_buffers");
			return 1;
		}
	}
	t0 = now_ns();
	for (slot = 0; slot < QD && issued < n; slot++, issued++) {
		start[slot] = now_ns();
		prep(&ring, fd, buf, md, slot,
		     next_slba(&seed, seq, issued, nblk), write, m, issued);
	}
	io_uring_submit(&ring);
	while (done < n) {
		struct io_uring_cqe *cqe;

		if (io_uring_wait_cqe(&ring, &cqe)) {
			perror("io_uring_wait_cqe");
			return 1;
		}
		if (cqe->res) {
			fprintf(stderr, "%s: %d\n", argv[1], cqe->res);
			return 1;
		}
		slot = cqe->user_data;
		lat[done++] = now_ns() - start[slot];
		io_uring_cqe_seen(&ring, cqe);
		if (issued < n) {
			start[slot] = now_ns();
			prep(&ring, fd, buf, md, slot,
			     next_slba(&seed, seq, issued, nblk), write, m,
			     issued);
			issued++;
			io_uring_submit(&ring);
		}
	}
	total = now_ns() - t0;
	bench_report(write ? "write" : "read", n, total, BS, lat);
	io_uring_queue_exit(&ring);
	close(fd);
	return 0;
}
