/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the bad-input tests share (pt_badcmd.c, pt_badinput.c,
 * pt_badstatus.c): the "bad" fixture (mem disks with 512- and 4096-byte
 * blocks), one test's state (the char device, a ring, an arena), and the
 * checks that send one command through io_uring uring_cmd AND the ioctls
 * wherever both can express it, each giving the exact errno or NVMe
 * status that Documentation/passthrough.rst ("Errors") specifies.
 *
 * A refused command must have no effect: b_init() writes a pattern on the
 * first and the last B_GUARD_NLB LBAs of the disk through the passthrough
 * path, and after every I/O command these checks expect to be refused,
 * whatever the path, they are read back and compared (b_check_disk()).
 * A control command that may write them has the pattern written again.
 *
 * Every test ends (FIXTURE_TEARDOWN_PARENT) with: no splat in the kernel
 * log since the test began (no WARN is reachable from user space), zcblk's
 * pins balanced, /proc/vmstat's FOLL_PIN balance back where it was.
 */
#ifndef ZCBLK_SELFTEST_PT_BAD_H
#define ZCBLK_SELFTEST_PT_BAD_H

#include "pt_common.h"

#define DISK_SIZE	(8 * PT_MiB)
#define ARENA_SIZE	(4 * PT_MiB)
/*
 * The guarded LBAs: bad commands aim at LBAs 0 to 11, or at the end and
 * past it, where a wrapping slba lands on LBA 0.
 */
#define B_GUARD_NLB	16
#define B_GUARD_TAG	0x6a4du

FIXTURE(bad) {
	struct pt_env env;
	struct pt_disk d;
};

FIXTURE_VARIANT(bad) {
	__u32 bs;
};

FIXTURE_VARIANT_ADD(bad, bs512) {
	.bs = 512,
};

FIXTURE_VARIANT_ADD(bad, bs4096) {
	.bs = 4096,
};

FIXTURE_SETUP(bad)
{
	struct pt_disk_cfg cfg = { .size = DISK_SIZE, .bs = variant->bs };

	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
}

FIXTURE_TEARDOWN_PARENT(bad)
{
	pt_env_teardown(_metadata, &self->env);
}

/* One test's state (test process only). */
struct b {
	struct pt_disk *d;
	int cfd;
	struct pt_q q;		/* SQE128 | CQE32 */
	char *buf;		/* ARENA_SIZE of read-write memory */
	char *chk;		/* B_GUARD_NLB blocks, for the guarded LBAs */
	__u64 guard_pins;	/* pages the guard's own I/O pinned */
	__u32 bs;
};

/* The first LBA of guarded range @i (0: the start, 1: the end). */
static inline __u64 b_guard_lba(const struct b *b, int i)
{
	return i ? b->d->nlbas - B_GUARD_NLB : 0;
}

/* Writes the pattern on the guarded LBAs (NVME_IOCTL_IO64_CMD). */
static inline void b_fill_disk(struct __test_metadata *_metadata, struct b *b)
{
	struct nvme_uring_cmd c;
	int i, ret;

	for (i = 0; i < 2; i++) {
		pt_fill(b->chk, b->bs, b_guard_lba(b, i), B_GUARD_NLB,
			B_GUARD_TAG);
		c = pt_rw(PT_OP_WRITE, b_guard_lba(b, i), B_GUARD_NLB, b->chk,
			  B_GUARD_NLB * b->bs);
		ret = pt_passthru(b->cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
		b->guard_pins += pt_pages(b->chk, B_GUARD_NLB * b->bs);
		ASSERT_EQ(0, ret) {
			TH_LOG("writing the guarded LBAs: %s", pt_res_str(ret));
		}
	}
}

/*
 * Do the guarded LBAs still hold the pattern? Read into a buffer that
 * holds none of it, so that a Read that moves nothing cannot pass.
 */
static inline void b_check_disk(struct __test_metadata *_metadata,
				struct b *b, const char *what)
{
	struct nvme_uring_cmd c;
	int i, ret;

	for (i = 0; i < 2; i++) {
		memset(b->chk, 0xee, B_GUARD_NLB * b->bs);
		c = pt_rw(PT_OP_READ, b_guard_lba(b, i), B_GUARD_NLB, b->chk,
			  B_GUARD_NLB * b->bs);
		ret = pt_passthru(b->cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
		b->guard_pins += pt_pages(b->chk, B_GUARD_NLB * b->bs);
		EXPECT_EQ(0, ret) {
			TH_LOG("%s: reading the guarded LBAs back: %s", what,
			       pt_res_str(ret));
		}
		if (ret)
			continue;
		EXPECT_TRUE(pt_verify(_metadata, b->chk, b->bs,
				      b_guard_lba(b, i), B_GUARD_NLB,
				      B_GUARD_TAG, what));
	}
}

/* Opcodes that change data: a control of these may overwrite the guard. */
static inline bool b_writes(__u8 opcode)
{
	return opcode == PT_OP_WRITE || opcode == PT_OP_WRITE_ZEROES ||
	       opcode == PT_OP_DSM;
}

/*
 * After I/O command @opcode went through @path: refused (@want != 0), it
 * must have left the guarded LBAs alone; a control that may have written
 * them gets the pattern back.
 */
static inline void b_after(struct __test_metadata *_metadata, struct b *b,
			   __u8 opcode, int want, const char *what,
			   const char *path)
{
	char msg[192];

	if (!want) {
		if (b_writes(opcode))
			b_fill_disk(_metadata, b);
		return;
	}
	snprintf(msg, sizeof(msg), "%s, refused through %s", what, path);
	b_check_disk(_metadata, b, msg);
}

static inline void b_init(struct __test_metadata *_metadata, struct b *b,
			  struct pt_disk *d)
{
	int ret;

	memset(b, 0, sizeof(*b));
	b->d = d;
	b->bs = d->bs;
	pt_open(_metadata, d, &b->cfd, NULL);
	ret = pt_q_init(&b->q, b->cfd, 16, PT_RING_FLAGS);
	ASSERT_EQ(0, ret) {
		TH_LOG("io_uring setup: %s", strerror(-ret));
	}
	b->buf = pt_map(ARENA_SIZE);
	ASSERT_NE(NULL, b->buf);
	b->chk = pt_map(B_GUARD_NLB * b->bs);
	ASSERT_NE(NULL, b->chk);
	b_fill_disk(_metadata, b);
}

static inline void b_fini(struct b *b)
{
	pt_q_exit(&b->q);
	close(b->cfd);
	munmap(b->buf, ARENA_SIZE);
	munmap(b->chk, B_GUARD_NLB * b->bs);
}

/*
 * Sends I/O command @c through io_uring (IO or IO_VEC) and through the
 * ioctls (IO_CMD unless vectored, IO64_CMD or IO64_CMD_VEC); each must
 * give @want, and b_after() follows each.
 */
static inline void expect_io(struct __test_metadata *_metadata, struct b *b,
			     const struct nvme_uring_cmd *c, bool vec, int want,
			     const char *what)
{
	const char *path;
	int got;

	path = vec ? "NVME_URING_CMD_IO_VEC" : "NVME_URING_CMD_IO";
	got = pt_q_cmd(&b->q, vec ? NVME_URING_CMD_IO_VEC : NVME_URING_CMD_IO,
		       c, -1, NULL);
	EXPECT_EQ(want, got) {
		TH_LOG("%s: uring_cmd %s: got %s, want %s", what, path,
		       pt_res_str(got), pt_res_str(want));
	}
	b_after(_metadata, b, c->opcode, want, what, path);
	if (!vec) {
		got = pt_passthru(b->cfd, NVME_IOCTL_IO_CMD, c, NULL);
		EXPECT_EQ(want, got) {
			TH_LOG("%s: NVME_IOCTL_IO_CMD: got %s, want %s", what,
			       pt_res_str(got), pt_res_str(want));
		}
		b_after(_metadata, b, c->opcode, want, what,
			"NVME_IOCTL_IO_CMD");
	}
	path = vec ? "NVME_IOCTL_IO64_CMD_VEC" : "NVME_IOCTL_IO64_CMD";
	got = pt_passthru(b->cfd, vec ? NVME_IOCTL_IO64_CMD_VEC :
			  NVME_IOCTL_IO64_CMD, c, NULL);
	EXPECT_EQ(want, got) {
		TH_LOG("%s: %s: got %s, want %s", what, path,
		       pt_res_str(got), pt_res_str(want));
	}
	b_after(_metadata, b, c->opcode, want, what, path);
}

/* Admin command @c through NVME_IOCTL_ADMIN_CMD and ADMIN64_CMD. */
static inline void expect_admin(struct __test_metadata *_metadata, struct b *b,
				const struct nvme_uring_cmd *c, int want,
				const char *what)
{
	int got;

	got = pt_passthru(b->cfd, NVME_IOCTL_ADMIN_CMD, c, NULL);
	EXPECT_EQ(want, got) {
		TH_LOG("%s: NVME_IOCTL_ADMIN_CMD: got %s, want %s", what,
		       pt_res_str(got), pt_res_str(want));
	}
	got = pt_passthru(b->cfd, NVME_IOCTL_ADMIN64_CMD, c, NULL);
	EXPECT_EQ(want, got) {
		TH_LOG("%s: NVME_IOCTL_ADMIN64_CMD: got %s, want %s", what,
		       pt_res_str(got), pt_res_str(want));
	}
}

static inline void expect_submit_io(struct __test_metadata *_metadata,
				    struct b *b, __u8 op, __u64 slba,
				    __u32 nblocks, const void *buf, int want,
				    const char *what)
{
	int got = pt_submit_io(b->cfd, op, slba, nblocks, buf);

	EXPECT_EQ(want, got) {
		TH_LOG("%s: NVME_IOCTL_SUBMIT_IO: got %s, want %s", what,
		       pt_res_str(got), pt_res_str(want));
	}
	b_after(_metadata, b, op, want, what, "NVME_IOCTL_SUBMIT_IO");
}

/* @n iovecs sharing @total bytes of @buf, back to back (some may be 0). */
static inline void spread_iov(struct iovec *iov, int n, char *buf, size_t total)
{
	size_t pos = 0;
	int i;

	for (i = 0; i < n; i++) {
		iov[i].iov_base = buf + pos;
		iov[i].iov_len = total / n + ((size_t)i < total % n);
		pos += iov[i].iov_len;
	}
}

#endif /* ZCBLK_SELFTEST_PT_BAD_H */
