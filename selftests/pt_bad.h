/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the bad-input tests share (pt_badcmd.c, pt_badinput.c,
 * pt_badstatus.c): the "bad" fixture (mem disks with 512- and 4096-byte
 * blocks), one test's state (the char device, a ring, an arena), and the
 * checks that send one command through io_uring uring_cmd AND the ioctls
 * wherever both can express it, each giving the exact errno or NVMe
 * status that architecture.md section 7 specifies.
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
	__u32 bs;
};

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
}

static inline void b_fini(struct b *b)
{
	pt_q_exit(&b->q);
	close(b->cfd);
	munmap(b->buf, ARENA_SIZE);
}

/*
 * Sends I/O command @c through io_uring (IO or IO_VEC) and through the
 * ioctls (IO_CMD unless vectored, IO64_CMD or IO64_CMD_VEC); each must
 * give @want.
 */
static inline void expect_io(struct __test_metadata *_metadata, struct b *b,
			     const struct nvme_uring_cmd *c, bool vec, int want,
			     const char *what)
{
	int got;

	got = pt_q_cmd(&b->q, vec ? NVME_URING_CMD_IO_VEC : NVME_URING_CMD_IO,
		       c, -1, NULL);
	EXPECT_EQ(want, got) {
		TH_LOG("%s: uring_cmd %s: got %s, want %s", what,
		       vec ? "NVME_URING_CMD_IO_VEC" : "NVME_URING_CMD_IO",
		       pt_res_str(got), pt_res_str(want));
	}
	if (!vec) {
		got = pt_passthru(b->cfd, NVME_IOCTL_IO_CMD, c, NULL);
		EXPECT_EQ(want, got) {
			TH_LOG("%s: NVME_IOCTL_IO_CMD: got %s, want %s", what,
			       pt_res_str(got), pt_res_str(want));
		}
	}
	got = pt_passthru(b->cfd, vec ? NVME_IOCTL_IO64_CMD_VEC :
			  NVME_IOCTL_IO64_CMD, c, NULL);
	EXPECT_EQ(want, got) {
		TH_LOG("%s: %s: got %s, want %s", what,
		       vec ? "NVME_IOCTL_IO64_CMD_VEC" : "NVME_IOCTL_IO64_CMD",
		       pt_res_str(got), pt_res_str(want));
	}
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
