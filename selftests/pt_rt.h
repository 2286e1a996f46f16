/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What pt_data.c and pt_cmds.c share: the "ptd" fixture (a mem disk with
 * 512- or 4096-byte blocks), and round trips that write through one of
 * the char device's ways of moving data and read back through the block
 * device (O_DIRECT), or the other way round, checking every byte, the
 * guard bytes around the buffer, and zcblk's pin accounting: the exact
 * number of pages pinned (one pin per page each segment spans) and
 * registered-buffer bytes (no pin), all unpinned at the end.
 */
#ifndef ZCBLK_SELFTEST_PT_RT_H
#define ZCBLK_SELFTEST_PT_RT_H

#include "pt_common.h"

#define DISK_SIZE	(16 * PT_MiB)
#define ARENA_SIZE	(4 * PT_MiB)
#define FIXED_SIZE	(1 * PT_MiB)
#define FIXED_OFF	(3 * PT_PAGE + 333)	/* odd, inside the buffer */
#define GUARD		0xee
#define MAX_IOV		16

FIXTURE(ptd) {
	struct pt_env env;
	struct pt_disk d;	/* the variant's disk */
	struct pt_disk d2;	/* one with other settings, if a test needs it */
};

FIXTURE_VARIANT(ptd) {
	__u32 bs;
};

FIXTURE_VARIANT_ADD(ptd, bs512) {
	.bs = 512,
};

FIXTURE_VARIANT_ADD(ptd, bs4096) {
	.bs = 4096,
};

FIXTURE_SETUP(ptd)
{
	struct pt_disk_cfg cfg = { .size = DISK_SIZE, .bs = variant->bs };

	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
}

FIXTURE_TEARDOWN_PARENT(ptd)
{
	pt_env_teardown(_metadata, &self->env);
}

/* How the char-device side moves the data. */
enum mode {
	M_URING,	/* NVME_URING_CMD_IO, plain buffer */
	M_VEC,		/* NVME_URING_CMD_IO_VEC */
	M_FIXED,	/* NVME_URING_CMD_IO + IORING_URING_CMD_FIXED */
	M_IO_CMD,	/* NVME_IOCTL_IO_CMD */
	M_IO64_CMD,	/* NVME_IOCTL_IO64_CMD */
	M_IO64_VEC,	/* NVME_IOCTL_IO64_CMD_VEC */
	M_SUBMIT_IO,	/* NVME_IOCTL_SUBMIT_IO */
};

static const char *const mode_name[] = {
	[M_URING] = "uring_cmd IO", [M_VEC] = "uring_cmd IO_VEC",
	[M_FIXED] = "uring_cmd IO FIXED", [M_IO_CMD] = "NVME_IOCTL_IO_CMD",
	[M_IO64_CMD] = "NVME_IOCTL_IO64_CMD",
	[M_IO64_VEC] = "NVME_IOCTL_IO64_CMD_VEC",
	[M_SUBMIT_IO] = "NVME_IOCTL_SUBMIT_IO",
};

/* One test's working state (test process only). */
struct rt {
	struct pt_env *env;
	struct pt_disk *d;
	int cfd, bfd;
	struct pt_q q;
	bool ring;
	char *arena;		/* plain and vectored buffers */
	char *fixed;		/* registered buffer 0 */
	size_t fixed_off;	/* where commands start in it */
	void *fixed_map;	/* its mapping */
	size_t fixed_map_len;
	char *blkbuf;		/* block-device side, aligned */
	char *data;		/* the logical data of a command */
	struct zcblk_dev_stats s0;
	__u64 want_pins;	/* pages zcblk should have pinned */
	__u64 want_fixed;	/* registered-buffer bytes it should count */
	__u32 tag;		/* write number, for the patterns */
	__u64 ncmd;		/* commands issued: varies the offsets */
};

static inline void rt_init(struct __test_metadata *_metadata, struct rt *t,
			   struct pt_env *env, struct pt_disk *d,
			   unsigned int ring_flags, bool ring, bool fixed)
{
	memset(t, 0, sizeof(*t));
	t->env = env;
	t->d = d;
	t->cfd = t->bfd = -1;
	pt_open(_metadata, d, &t->cfd, &t->bfd);
	t->arena = pt_map(ARENA_SIZE);
	t->data = pt_map(ARENA_SIZE);
	t->blkbuf = pt_map(ARENA_SIZE);
	ASSERT_TRUE(t->arena && t->data && t->blkbuf);
	if (ring) {
		int ret = pt_q_init(&t->q, t->cfd, 64, ring_flags);

		ASSERT_EQ(0, ret) {
			TH_LOG("io_uring setup (flags 0x%x): %s", ring_flags,
			       strerror(-ret));
		}
		t->ring = true;
	}
	if (fixed) {
		struct iovec iov;
		int ret;

		t->fixed = t->fixed_map = pt_map(FIXED_SIZE);
		ASSERT_NE(NULL, t->fixed);
		t->fixed_map_len = FIXED_SIZE;
		t->fixed_off = FIXED_OFF;
		iov.iov_base = t->fixed;
		iov.iov_len = FIXED_SIZE;
		ret = io_uring_register_buffers(&t->q.ring, &iov, 1);
		ASSERT_EQ(0, ret) {
			TH_LOG("io_uring_register_buffers: %s", strerror(-ret));
		}
	}
	ASSERT_EQ(0, pt_stats(env->ctx, d->index, &t->s0));
}

/*
 * Ends a test: closes everything, then checks that zcblk pinned exactly
 * the pages (and counted exactly the registered bytes) it should have,
 * and released them all.
 */
static inline void rt_fini(struct __test_metadata *_metadata, struct rt *t)
{
	struct zcblk_dev_stats s1;
	long long pins;

	pt_q_exit(&t->q);
	close(t->cfd);
	close(t->bfd);
	munmap(t->arena, ARENA_SIZE);
	munmap(t->data, ARENA_SIZE);
	munmap(t->blkbuf, ARENA_SIZE);
	if (t->fixed_map)
		munmap(t->fixed_map, t->fixed_map_len);

	ASSERT_EQ(0, pt_stats_idle(t->env->ctx, t->d->index, &s1));
	EXPECT_EQ(t->want_pins, s1.pinned_pages - t->s0.pinned_pages) {
		TH_LOG("pages pinned by zcblk during the test: %llu, expected %llu",
		       (unsigned long long)(s1.pinned_pages -
					    t->s0.pinned_pages),
		       (unsigned long long)t->want_pins);
	}
	EXPECT_EQ(t->want_fixed, s1.fixed_bytes - t->s0.fixed_bytes);
	EXPECT_EQ(s1.pinned_pages, s1.unpinned_pages);
	EXPECT_EQ(0, s1.pinned_current);
	EXPECT_EQ(0, s1.pt_inflight);
	pins = pt_vm_pins_wait(t->env->vm_pins0, 10000);
	EXPECT_EQ(t->env->vm_pins0, pins) {
		TH_LOG("FOLL_PIN balance %lld before the test, %lld after",
		       t->env->vm_pins0, pins);
	}
}

static inline bool dev_writes_memory(__u8 opcode)
{
	return opcode == PT_OP_READ;
}

/*
 * Lays @len bytes out as @n iovecs of odd sizes (where there is room),
 * each starting at an odd offset of its own page, with a gap after it.
 */
static inline void layout_iov(struct rt *t, struct iovec *iov, int n,
			      size_t len)
{
	size_t left = len, pos = 0;
	int i;

	for (i = 0; i < n; i++) {
		size_t sz = left;
		size_t off = (pt_rand(t->ncmd * 131 + i) % (PT_PAGE / 2)) | 1;

		if (i < n - 1) {
			sz = len / n + (pt_rand(t->ncmd * 977 + i) % 64) - 32;
			sz |= 1;
			if (sz > left - (n - 1 - i))
				sz = 1;
		}
		pos = (pos + PT_PAGE - 1) / PT_PAGE * PT_PAGE + off;
		iov[i].iov_base = t->arena + pos;
		iov[i].iov_len = sz;
		pos += sz + 64;
		left -= sz;
	}
}

/* Bytes of the arena that no iovec covers must still be GUARD. */
static inline bool guard_intact(struct __test_metadata *_metadata,
				const char *arena, size_t span,
				const struct iovec *iov, int n)
{
	size_t pos = 0;
	int i;

	for (i = 0; i <= n; i++) {
		size_t end = i < n ? (size_t)((char *)iov[i].iov_base - arena) :
				     span;

		if (end > pos && !pt_all_bytes(arena + pos, end - pos, GUARD)) {
			TH_LOG("the device wrote outside the buffer, between arena bytes %zu and %zu",
			       pos, end);
			return false;
		}
		if (i < n)
			pos = end + iov[i].iov_len;
	}
	return true;
}

/*
 * Moves t->data to (Write, Compare) or from (Read) [slba, slba+nblocks)
 * through the char device, the way @m says. Returns the command's
 * outcome; on a successful Read t->data holds what came back, and bytes
 * around the user buffers were checked to be untouched.
 */
static inline int xfer(struct __test_metadata *_metadata, struct rt *t,
		       enum mode m, int nvec, __u8 op, __u64 slba,
		       __u32 nblocks)
{
	size_t len = (size_t)nblocks << t->d->shift, span, done;
	bool to_mem = dev_writes_memory(op);
	struct iovec iov[MAX_IOV];
	struct nvme_uring_cmd c;
	int i, n = 1, res;
	__u64 result = 0;
	char *buf;

	t->ncmd++;
	if (m == M_FIXED) {
		buf = t->fixed + t->fixed_off;
		if (to_mem)
			memset(buf, GUARD, len);
		else
			memcpy(buf, t->data, len);
		c = pt_rw(op, slba, nblocks, buf, len);
		res = pt_q_cmd(&t->q, NVME_URING_CMD_IO, &c, 0, &result);
		if (res >= 0)	/* mapped: counted, whatever the status */
			t->want_fixed += len;
		if (!res && to_mem)
			memcpy(t->data, buf, len);
		return res;
	}

	if (m == M_VEC || m == M_IO64_VEC) {
		n = nvec;
		layout_iov(t, iov, n, len);
	} else {
		/* Page aligned every third command, else an odd offset. */
		size_t off = t->ncmd % 3 ? (pt_rand(t->ncmd) % PT_PAGE) | 1 : 0;

		iov[0].iov_base = t->arena + PT_PAGE + off;
		iov[0].iov_len = len;
	}
	span = (char *)iov[n - 1].iov_base + iov[n - 1].iov_len + PT_PAGE -
	       t->arena;
	memset(t->arena, GUARD, span);
	for (i = 0, done = 0; i < n; done += iov[i].iov_len, i++)
		if (!to_mem)
			memcpy(iov[i].iov_base, t->data + done,
			       iov[i].iov_len);
	buf = iov[0].iov_base;

	switch (m) {
	case M_URING:
		c = pt_rw(op, slba, nblocks, buf, len);
		res = pt_q_cmd(&t->q, NVME_URING_CMD_IO, &c, -1, &result);
		break;
	case M_VEC:
		c = pt_rw_vec(op, slba, nblocks, iov, n);
		res = pt_q_cmd(&t->q, NVME_URING_CMD_IO_VEC, &c, -1, &result);
		break;
	case M_IO_CMD:
		c = pt_rw(op, slba, nblocks, buf, len);
		res = pt_passthru(t->cfd, NVME_IOCTL_IO_CMD, &c, &result);
		break;
	case M_IO64_CMD:
		c = pt_rw(op, slba, nblocks, buf, len);
		res = pt_passthru(t->cfd, NVME_IOCTL_IO64_CMD, &c, &result);
		break;
	case M_IO64_VEC:
		c = pt_rw_vec(op, slba, nblocks, iov, n);
		res = pt_passthru(t->cfd, NVME_IOCTL_IO64_CMD_VEC, &c, &result);
		break;
	case M_SUBMIT_IO:
		res = pt_submit_io(t->cfd, op, slba, nblocks, buf);
		break;
	default:
		return PT_EHARNESS;
	}
	if (res < 0)
		return res;
	/* Mapped (pinned) before it ran, whatever its NVMe status */
	for (i = 0; i < n; i++)
		t->want_pins += pt_pages(iov[i].iov_base, iov[i].iov_len);
	if (res)
		return res;
	EXPECT_EQ(0, result) {
		TH_LOG("%s: command result 0x%llx, expected 0", mode_name[m],
		       (unsigned long long)result);
	}
	if (to_mem) {
		if (!guard_intact(_metadata, t->arena, span, iov, n))
			return PT_EHARNESS;
		for (i = 0, done = 0; i < n; done += iov[i].iov_len, i++)
			memcpy(t->data + done, iov[i].iov_base,
			       iov[i].iov_len);
	}
	return 0;
}

/*
 * For a few ranges (first LBA, small, the last LBAs, the largest transfer
 * the disk takes): write through the char device, read through the
 * block device; write through the block device, read through the char
 * device. Each write has a pattern of its own.
 */
static inline void roundtrip(struct __test_metadata *_metadata, struct rt *t,
			     enum mode m, int nvec)
{
	const __u32 maxb = PT_MAX_TRANSFER >> t->d->shift;
	const struct { __u64 slba; __u32 nblocks; } cases[] = {
		{ 0, 1 },
		{ 5, 3 },
		{ t->d->nlbas - 7, 7 },
		{ 100, maxb },
		{ 1000, 17 },
		{ t->d->nlbas - maxb, maxb },
	};
	const __u32 bs = t->d->bs;
	size_t i;
	int res;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		__u64 slba = cases[i].slba;
		__u32 nb = cases[i].nblocks;
		size_t len = (size_t)nb * bs;
		char what[160];

		snprintf(what, sizeof(what), "%s%s%.0d, LBA %llu + %u",
			 mode_name[m], nvec ? " iovecs " : "", nvec,
			 (unsigned long long)slba, nb);

		/* char device -> block device */
		pt_fill(t->data, bs, slba, nb, ++t->tag);
		res = xfer(_metadata, t, m, nvec, PT_OP_WRITE, slba, nb);
		ASSERT_EQ(0, res) {
			TH_LOG("%s: Write: %s", what, pt_res_str(res));
		}
		memset(t->blkbuf, 0x5a, len);
		ASSERT_EQ(0, pt_blk_rw(t->bfd, false, t->blkbuf, slba * bs,
				       len));
		ASSERT_TRUE(pt_verify(_metadata, t->blkbuf, bs, slba, nb,
				      t->tag, what));

		/* block device -> char device */
		pt_fill(t->blkbuf, bs, slba, nb, ++t->tag);
		ASSERT_EQ(0, pt_blk_rw(t->bfd, true, t->blkbuf, slba * bs,
				       len));
		memset(t->data, 0xa5, len);
		res = xfer(_metadata, t, m, nvec, PT_OP_READ, slba, nb);
		ASSERT_EQ(0, res) {
			TH_LOG("%s: Read: %s", what, pt_res_str(res));
		}
		ASSERT_TRUE(pt_verify(_metadata, t->data, bs, slba, nb,
				      t->tag, what));
	}
}

#endif /* ZCBLK_SELFTEST_PT_RT_H */
