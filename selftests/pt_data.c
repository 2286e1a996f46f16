// SPDX-License-Identifier: GPL-2.0
/*
 * Passthrough data integrity: what is written through /dev/zcblk<N>c
 * reads back through /dev/zcblk<N> (O_DIRECT) and the other way round,
 * byte for byte, for every way of moving data through the char device:
 * io_uring NVME_URING_CMD_IO and _IO_VEC (1, 3, 16 iovecs of odd sizes at
 * odd offsets), registered buffers, IOPOLL and SQPOLL rings, and the sync
 * ioctls (IO_CMD, IO64_CMD, IO64_CMD_VEC, SUBMIT_IO); plus Compare, Write
 * Zeroes, DSM deallocate, Flush, Identify, NVME_IOCTL_ID, and more
 * commands at once than the queue has tags.
 *
 * Each test also checks zcblk's pin accounting: the exact number of pages
 * it pinned (plain and vectored buffers: one pin per page each segment
 * spans) and registered-buffer bytes (no pin), all unpinned at the end;
 * the teardown checks /proc/vmstat's FOLL_PIN balance and the kernel log.
 *
 * Variants: mem disks with 512- and 4096-byte blocks.
 */
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

static void rt_init(struct __test_metadata *_metadata, struct rt *t,
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
static void rt_fini(struct __test_metadata *_metadata, struct rt *t)
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

static bool dev_writes_memory(__u8 opcode)
{
	return opcode == PT_OP_READ;
}

/*
 * Lays @len bytes out as @n iovecs of odd sizes (where there is room),
 * each starting at an odd offset of its own page, with a gap after it.
 */
static void layout_iov(struct rt *t, struct iovec *iov, int n, size_t len)
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
static bool guard_intact(struct __test_metadata *_metadata,
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
static int xfer(struct __test_metadata *_metadata, struct rt *t, enum mode m,
		int nvec, __u8 op, __u64 slba, __u32 nblocks)
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
static void roundtrip(struct __test_metadata *_metadata, struct rt *t,
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

TEST_F_TIMEOUT(ptd, uring_plain, 180)
{
	struct rt t;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		false);
	roundtrip(_metadata, &t, M_URING, 0);
	/* zcblk pins plain buffers itself: the accounting must show it */
	EXPECT_LT(0, t.want_pins);
	rt_fini(_metadata, &t);
}

TEST_F_TIMEOUT(ptd, uring_vec, 300)
{
	struct rt t;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		false);
	roundtrip(_metadata, &t, M_VEC, 1);
	roundtrip(_metadata, &t, M_VEC, 3);
	roundtrip(_metadata, &t, M_VEC, 16);
	EXPECT_LT(0, t.want_pins);
	rt_fini(_metadata, &t);
}

TEST_F_TIMEOUT(ptd, uring_fixed, 180)
{
	struct rt t;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		true);
	roundtrip(_metadata, &t, M_FIXED, 0);
	/* Registered buffers: bytes counted, no page pinned per command */
	EXPECT_LT(0, t.want_fixed);
	EXPECT_EQ(0, t.want_pins);
	rt_fini(_metadata, &t);
}

/*
 * A registered buffer that is one transparent huge page: io_uring keeps
 * it as one 2 MiB bvec (6.1: a buffer inside one folio; 6.12: coalesced
 * folios), so commands start deep inside a bvec, pages beyond its first.
 * Without THP the pages are small and the test still holds.
 */
TEST_F_TIMEOUT(ptd, uring_fixed_hugepage, 180)
{
	const size_t huge = 2 * PT_MiB;
	const size_t offs[] = { FIXED_OFF, PT_MiB + PT_PAGE - 1, 7 };
	struct iovec iov;
	char line[256];
	long long thp = -1;
	struct rt t;
	size_t i;
	FILE *f;
	int ret;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		false);
	t.fixed_map_len = 2 * huge;
	t.fixed_map = mmap(NULL, t.fixed_map_len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, t.fixed_map);
	t.fixed = (char *)(((uintptr_t)t.fixed_map + huge - 1) & ~(huge - 1));
	madvise(t.fixed, huge, MADV_HUGEPAGE);	/* best effort */
	memset(t.fixed, 0x11, huge);

	f = fopen("/proc/self/smaps_rollup", "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %lld", &thp) == 1)
			break;
	if (f)
		fclose(f);
	ksft_print_msg("%s: AnonHugePages %lld kB (THP %s)\n",
		       _metadata->name, thp, thp >= 2048 ? "in use" : "not in use");

	iov.iov_base = t.fixed;
	iov.iov_len = huge;
	ret = io_uring_register_buffers(&t.q.ring, &iov, 1);
	ASSERT_EQ(0, ret) {
		TH_LOG("io_uring_register_buffers: %s", strerror(-ret));
	}
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		t.fixed_off = offs[i];
		roundtrip(_metadata, &t, M_FIXED, 0);
	}
	EXPECT_EQ(0, t.want_pins);
	EXPECT_LT(0, t.want_fixed);
	rt_fini(_metadata, &t);
}

/*
 * IOPOLL ring on a disk with a poll queue: data commands complete from
 * ->uring_cmd_iopoll; Flush and Write Zeroes (no data, nothing to poll)
 * complete by interrupt on the same ring.
 */
TEST_F_TIMEOUT(ptd, uring_iopoll, 300)
{
	struct pt_disk_cfg cfg = {
		.size = DISK_SIZE, .bs = self->d.bs, .poll_queues = 1,
	};
	struct nvme_uring_cmd c;
	struct rt t;
	int res;

	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d2));
	rt_init(_metadata, &t, &self->env, &self->d2,
		PT_RING_FLAGS | IORING_SETUP_IOPOLL, true, true);
	roundtrip(_metadata, &t, M_URING, 0);
	roundtrip(_metadata, &t, M_VEC, 3);
	roundtrip(_metadata, &t, M_FIXED, 0);

	c = pt_rw(PT_OP_FLUSH, 0, 1, NULL, 0);
	c.cdw12 = 0;
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	EXPECT_EQ(0, res) {
		TH_LOG("Flush on an IOPOLL ring: %s", pt_res_str(res));
	}
	c = pt_rw(PT_OP_WRITE_ZEROES, 0, 4, NULL, 0);
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	EXPECT_EQ(0, res) {
		TH_LOG("Write Zeroes on an IOPOLL ring: %s", pt_res_str(res));
	}
	ASSERT_EQ(0, pt_blk_rw(t.bfd, false, t.blkbuf, 0, 4 * t.d->bs));
	EXPECT_TRUE(pt_all_bytes(t.blkbuf, 4 * t.d->bs, 0));
	rt_fini(_metadata, &t);
}

/* SQPOLL ring, the file registered (as fio's sqthread_poll does), and not. */
TEST_F_TIMEOUT(ptd, uring_sqpoll, 300)
{
	struct rt t;
	int ret;

	rt_init(_metadata, &t, &self->env, &self->d,
		PT_RING_FLAGS | IORING_SETUP_SQPOLL, true, true);
	roundtrip(_metadata, &t, M_URING, 0);
	roundtrip(_metadata, &t, M_VEC, 3);
	ret = pt_q_fixed_file(&t.q);
	ASSERT_EQ(0, ret) {
		TH_LOG("io_uring_register_files: %s", strerror(-ret));
	}
	roundtrip(_metadata, &t, M_URING, 0);
	roundtrip(_metadata, &t, M_FIXED, 0);
	EXPECT_LT(0, t.want_pins);
	EXPECT_LT(0, t.want_fixed);
	rt_fini(_metadata, &t);
}

TEST_F_TIMEOUT(ptd, ioctl_io_cmd, 180)
{
	struct rt t;

	rt_init(_metadata, &t, &self->env, &self->d, 0, false, false);
	roundtrip(_metadata, &t, M_IO_CMD, 0);
	EXPECT_LT(0, t.want_pins);
	rt_fini(_metadata, &t);
}

TEST_F_TIMEOUT(ptd, ioctl_io64_cmd, 180)
{
	struct rt t;

	rt_init(_metadata, &t, &self->env, &self->d, 0, false, false);
	roundtrip(_metadata, &t, M_IO64_CMD, 0);
	EXPECT_LT(0, t.want_pins);
	rt_fini(_metadata, &t);
}

TEST_F_TIMEOUT(ptd, ioctl_io64_cmd_vec, 300)
{
	struct rt t;

	rt_init(_metadata, &t, &self->env, &self->d, 0, false, false);
	roundtrip(_metadata, &t, M_IO64_VEC, 1);
	roundtrip(_metadata, &t, M_IO64_VEC, 3);
	roundtrip(_metadata, &t, M_IO64_VEC, 16);
	EXPECT_LT(0, t.want_pins);
	rt_fini(_metadata, &t);
}

TEST_F_TIMEOUT(ptd, ioctl_submit_io, 180)
{
	struct rt t;

	rt_init(_metadata, &t, &self->env, &self->d, 0, false, false);
	roundtrip(_metadata, &t, M_SUBMIT_IO, 0);
	EXPECT_LT(0, t.want_pins);
	rt_fini(_metadata, &t);
}

/* Compare: 0 on a match, Compare Failure (0x4285) on one differing byte. */
TEST_F_TIMEOUT(ptd, compare, 120)
{
	static const enum mode modes[] = {
		M_URING, M_VEC, M_FIXED, M_IO_CMD, M_IO64_CMD, M_IO64_VEC,
		M_SUBMIT_IO,
	};
	const __u32 bs = self->d.bs, nb = 8;
	const __u64 slba = 40;
	struct rt t;
	size_t i;
	int res;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		true);
	pt_fill(t.blkbuf, bs, slba, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, slba * bs, nb * bs));

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		enum mode m = modes[i];
		int nvec = (m == M_VEC || m == M_IO64_VEC) ? 3 : 0;

		memcpy(t.data, t.blkbuf, nb * bs);
		res = xfer(_metadata, &t, m, nvec, PT_OP_COMPARE, slba, nb);
		EXPECT_EQ(0, res) {
			TH_LOG("%s: Compare of equal data: %s", mode_name[m],
			       pt_res_str(res));
		}
		/* One byte off, in the middle of block 5 */
		t.data[5 * bs + bs / 2 + 1] ^= 0x01;
		res = xfer(_metadata, &t, m, nvec, PT_OP_COMPARE, slba, nb);
		EXPECT_EQ(PT_SC_COMPARE, res) {
			TH_LOG("%s: Compare of different data: %s",
			       mode_name[m], pt_res_str(res));
		}
		/* Never written: compares equal to zeros only */
		memset(t.data, 0, 2 * bs);
		res = xfer(_metadata, &t, m, nvec, PT_OP_COMPARE,
			   t.d->nlbas - 2, 2);
		EXPECT_EQ(0, res) {
			TH_LOG("%s: Compare of zeros with unwritten blocks: %s",
			       mode_name[m], pt_res_str(res));
		}
		t.data[bs + bs - 1] = 1;
		res = xfer(_metadata, &t, m, nvec, PT_OP_COMPARE,
			   t.d->nlbas - 2, 2);
		EXPECT_EQ(PT_SC_COMPARE, res) {
			TH_LOG("%s: Compare of non-zero data with unwritten blocks: %s",
			       mode_name[m], pt_res_str(res));
		}
	}
	/* Compare must not have changed anything */
	memset(t.data, 0, nb * bs);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, false, t.data, slba * bs, nb * bs));
	EXPECT_TRUE(pt_verify(_metadata, t.data, bs, slba, nb, t.tag,
			      "data after Compare"));
	rt_fini(_metadata, &t);
}

/* Reads [slba, slba+nb) both ways; the blocks in [zs, ze) must be zero. */
static void check_zeroed(struct __test_metadata *_metadata, struct rt *t,
			 __u64 slba, __u32 nb, __u32 tag, __u64 zs, __u64 ze,
			 const char *what)
{
	const __u32 bs = t->d->bs;
	char *via[2] = { t->blkbuf, t->data };
	__u32 b;
	int k, res;

	memset(t->blkbuf, 0x5a, (size_t)nb * bs);
	ASSERT_EQ(0, pt_blk_rw(t->bfd, false, t->blkbuf, slba * bs,
			       (size_t)nb * bs));
	memset(t->data, 0x5a, (size_t)nb * bs);
	res = xfer(_metadata, t, M_URING, 0, PT_OP_READ, slba, nb);
	ASSERT_EQ(0, res) {
		TH_LOG("%s: Read: %s", what, pt_res_str(res));
	}
	for (k = 0; k < 2; k++) {
		for (b = 0; b < nb; b++) {
			__u64 lba = slba + b;
			char *p = via[k] + (size_t)b * bs;

			if (lba >= zs && lba < ze) {
				EXPECT_TRUE(pt_all_bytes(p, bs, 0)) {
					TH_LOG("%s: LBA %llu not zero (read through the %s device)",
					       what, (unsigned long long)lba,
					       k ? "char" : "block");
				}
			} else {
				EXPECT_TRUE(pt_verify(_metadata, p, bs, lba, 1,
						      tag, what));
			}
		}
	}
}

TEST_F_TIMEOUT(ptd, write_zeroes, 120)
{
	const __u32 bs = self->d.bs, nb = 48;
	const __u64 slba = 200;
	struct nvme_uring_cmd c;
	struct rt t;
	int res;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		false);

	/* Without deallocate, through io_uring */
	pt_fill(t.blkbuf, bs, slba, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, slba * bs, nb * bs));
	c = pt_rw(PT_OP_WRITE_ZEROES, slba + 3, 9, NULL, 0);
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Write Zeroes: %s", pt_res_str(res));
	}
	check_zeroed(_metadata, &t, slba, nb, t.tag, slba + 3, slba + 12,
		     "Write Zeroes (uring)");

	/* With deallocate (DEAC), through io_uring: all of it */
	pt_fill(t.blkbuf, bs, slba, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, slba * bs, nb * bs));
	c = pt_rw(PT_OP_WRITE_ZEROES, slba + 1, nb - 2, NULL, 0);
	c.cdw12 |= PT_CDW12_DEAC;
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Write Zeroes DEAC: %s", pt_res_str(res));
	}
	check_zeroed(_metadata, &t, slba, nb, t.tag, slba + 1, slba + nb - 1,
		     "Write Zeroes DEAC (uring)");

	/* Both through the ioctls */
	pt_fill(t.blkbuf, bs, slba, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, slba * bs, nb * bs));
	c = pt_rw(PT_OP_WRITE_ZEROES, slba + 10, 5, NULL, 0);
	res = pt_passthru(t.cfd, NVME_IOCTL_IO_CMD, &c, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Write Zeroes (NVME_IOCTL_IO_CMD): %s", pt_res_str(res));
	}
	c = pt_rw(PT_OP_WRITE_ZEROES, slba + 30, 8, NULL, 0);
	c.cdw12 |= PT_CDW12_DEAC;
	res = pt_passthru(t.cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Write Zeroes DEAC (NVME_IOCTL_IO64_CMD): %s",
		       pt_res_str(res));
	}
	check_zeroed(_metadata, &t, slba, 30, t.tag, slba + 10, slba + 15,
		     "Write Zeroes (ioctl)");
	check_zeroed(_metadata, &t, slba + 30, nb - 30, t.tag, slba + 30,
		     slba + 38, "Write Zeroes DEAC (ioctl)");
	rt_fini(_metadata, &t);
}

/* DSM with the Attribute Deallocate bit: three ranges read zeros after. */
TEST_F_TIMEOUT(ptd, dsm_deallocate, 120)
{
	const __u32 bs = self->d.bs, nb = 64;
	const __u64 slba = 300;
	struct pt_dsm_range *r;
	struct nvme_uring_cmd c;
	struct rt t;
	char *buf;
	int res;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		false);
	buf = t.arena + 2 * PT_PAGE + 24;	/* any alignment will do */
	r = (struct pt_dsm_range *)buf;

	pt_fill(t.blkbuf, bs, slba, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, slba * bs, nb * bs));

	/* Attributes only (no AD): a hint, the data stays */
	r[0] = (struct pt_dsm_range){ .nlb = 8, .slba = slba };
	c = pt_admin(PT_OP_DSM, PT_NSID, 0, 1U << 0, buf, sizeof(*r));
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("DSM without AD: %s", pt_res_str(res));
	}
	t.want_pins += pt_pages(buf, sizeof(*r));
	check_zeroed(_metadata, &t, slba, nb, t.tag, 0, 0, "DSM without AD");

	/* Three ranges, through io_uring */
	r[0] = (struct pt_dsm_range){ .nlb = 3, .slba = slba + 2 };
	r[1] = (struct pt_dsm_range){ .nlb = 1, .slba = slba + 20 };
	r[2] = (struct pt_dsm_range){ .nlb = 10, .slba = slba + 40 };
	c = pt_admin(PT_OP_DSM, PT_NSID, 3 - 1, PT_DSM_AD, buf, 3 * sizeof(*r));
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("DSM deallocate, 3 ranges: %s", pt_res_str(res));
	}
	t.want_pins += pt_pages(buf, 3 * sizeof(*r));
	check_zeroed(_metadata, &t, slba, 20, t.tag, slba + 2, slba + 5,
		     "DSM range 0");
	check_zeroed(_metadata, &t, slba + 20, 20, t.tag, slba + 20,
		     slba + 21, "DSM range 1");
	check_zeroed(_metadata, &t, slba + 40, 24, t.tag, slba + 40,
		     slba + 50, "DSM range 2");

	/* Three ranges (one empty), through NVME_IOCTL_IO_CMD */
	pt_fill(t.blkbuf, bs, slba, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, slba * bs, nb * bs));
	r[0] = (struct pt_dsm_range){ .nlb = 0, .slba = slba };
	r[1] = (struct pt_dsm_range){ .nlb = 16, .slba = slba + 16 };
	r[2] = (struct pt_dsm_range){ .nlb = 2, .slba = slba + 62 };
	c = pt_admin(PT_OP_DSM, PT_NSID, 3 - 1, PT_DSM_AD, buf, 3 * sizeof(*r));
	res = pt_passthru(t.cfd, NVME_IOCTL_IO_CMD, &c, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("DSM deallocate (ioctl): %s", pt_res_str(res));
	}
	t.want_pins += pt_pages(buf, 3 * sizeof(*r));
	check_zeroed(_metadata, &t, slba, 48, t.tag, slba + 16, slba + 32,
		     "DSM (ioctl) range 1");
	check_zeroed(_metadata, &t, slba + 48, 16, t.tag, slba + 62,
		     slba + 64, "DSM (ioctl) range 2");
	rt_fini(_metadata, &t);
}

TEST_F(ptd, flush)
{
	struct nvme_uring_cmd c = { .opcode = PT_OP_FLUSH, .nsid = PT_NSID };
	__u64 result = 1;
	struct rt t;
	int res;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		false);
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, &result);
	EXPECT_EQ(0, res) {
		TH_LOG("Flush (uring): %s", pt_res_str(res));
	}
	EXPECT_EQ(0, result);
	result = 1;
	res = pt_passthru(t.cfd, NVME_IOCTL_IO_CMD, &c, &result);
	EXPECT_EQ(0, res) {
		TH_LOG("Flush (NVME_IOCTL_IO_CMD): %s", pt_res_str(res));
	}
	EXPECT_EQ(0, result);
	result = 1;
	res = pt_passthru(t.cfd, NVME_IOCTL_IO64_CMD, &c, &result);
	EXPECT_EQ(0, res) {
		TH_LOG("Flush (NVME_IOCTL_IO64_CMD): %s", pt_res_str(res));
	}
	EXPECT_EQ(0, result);
	rt_fini(_metadata, &t);
}

/* What fio and nvme-cli read first: the namespace id, Identify NS/ctrl. */
TEST_F(ptd, identify)
{
	static const unsigned long reqs[] = {
		NVME_IOCTL_ADMIN_CMD, NVME_IOCTL_ADMIN64_CMD,
	};
	struct nvme_uring_cmd c;
	unsigned char *id;
	__u64 result;
	struct rt t;
	size_t i;
	int res;

	rt_init(_metadata, &t, &self->env, &self->d, 0, false, false);
	EXPECT_EQ(1, ioctl(t.cfd, NVME_IOCTL_ID));
	id = (unsigned char *)t.arena + 17;	/* any alignment */

	for (i = 0; i < 2; i++) {
		const char *name = i ? "ADMIN64_CMD" : "ADMIN_CMD";

		memset(id, 0xff, 4096);
		c = pt_identify(PT_NSID, 0, 0, id);
		res = pt_passthru(t.cfd, reqs[i], &c, NULL);
		ASSERT_EQ(0, res) {
			TH_LOG("%s Identify Namespace: %s", name,
			       pt_res_str(res));
		}
		t.want_pins += pt_pages(id, 4096);
		EXPECT_EQ(t.d->nlbas, pt_le64(id + PT_ID_NS_NSZE));
		EXPECT_EQ(t.d->nlbas, pt_le64(id + PT_ID_NS_NCAP));
		EXPECT_EQ(0, id[PT_ID_NS_FLBAS] & 0xf);
		EXPECT_EQ(0, id[PT_ID_NS_NLBAF]);
		EXPECT_EQ(t.d->shift, id[PT_ID_NS_LBAF0_DS]);
		EXPECT_EQ(0, pt_le16(id + PT_ID_NS_LBAF0_MS));
		/* size = nsze << lbaf[flbas].ds, as fio computes it */
		EXPECT_EQ(t.d->size, pt_le64(id + PT_ID_NS_NSZE) <<
				     id[PT_ID_NS_LBAF0_DS]);

		memset(id, 0xff, 4096);
		c = pt_identify(0, 1, 0, id);
		res = pt_passthru(t.cfd, reqs[i], &c, NULL);
		ASSERT_EQ(0, res) {
			TH_LOG("%s Identify Controller: %s", name,
			       pt_res_str(res));
		}
		t.want_pins += pt_pages(id, 4096);
		EXPECT_EQ(7, id[PT_ID_CTRL_MDTS]);
		EXPECT_EQ(1, pt_le32(id + PT_ID_CTRL_NN));
		EXPECT_EQ(0, memcmp(id + PT_ID_CTRL_MN, "zcblk", 5));

		/*
		 * The result is written back: Number of Queues, 0-based
		 * (one queue here: 0), over the 0xdeadbeef... put there.
		 */
		c = pt_admin(PT_ADM_GET_FEATURES, 0, 0x07, 0, NULL, 0);
		result = 1;
		res = pt_passthru(t.cfd, reqs[i], &c, &result);
		EXPECT_EQ(0, res) {
			TH_LOG("%s Get Features Number of Queues: %s", name,
			       pt_res_str(res));
		}
		EXPECT_EQ(0, result) {
			TH_LOG("%s: result 0x%llx written back, want 0", name,
			       (unsigned long long)result);
		}
	}
	rt_fini(_metadata, &t);
}

/*
 * User memory that is not plain private anonymous pages: never-touched
 * memory (the zero page for a Write; a Read must replace it with real
 * pages) and MAP_SHARED memfd (page cache) pages, which a Read must leave
 * dirty with the data in the file.
 */
TEST_F_TIMEOUT(ptd, uring_special_memory, 120)
{
	const __u32 bs = self->d.bs, nb = 64 * PT_KiB / self->d.bs;
	const size_t len = (size_t)nb * bs, mlen = 2 * len;
	struct nvme_uring_cmd c;
	char *fresh, *shared;
	struct rt t;
	int mfd, res;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		false);

	/* Write from untouched memory: zeros reach the disk */
	pt_fill(t.blkbuf, bs, 64, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, 64 * bs, len));
	fresh = pt_map(mlen);
	ASSERT_NE(NULL, fresh);
	c = pt_rw(PT_OP_WRITE, 64, nb, fresh + 100, len);
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Write from untouched memory: %s", pt_res_str(res));
	}
	t.want_pins += pt_pages(fresh + 100, len);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, false, t.blkbuf, 64 * bs, len));
	EXPECT_TRUE(pt_all_bytes(t.blkbuf, len, 0));
	munmap(fresh, mlen);

	/* Read into untouched memory */
	pt_fill(t.blkbuf, bs, 64, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, 64 * bs, len));
	fresh = pt_map(mlen);
	ASSERT_NE(NULL, fresh);
	c = pt_rw(PT_OP_READ, 64, nb, fresh + 100, len);
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Read into untouched memory: %s", pt_res_str(res));
	}
	t.want_pins += pt_pages(fresh + 100, len);
	EXPECT_TRUE(pt_verify(_metadata, fresh + 100, bs, 64, nb, t.tag,
			      "Read into untouched memory"));
	EXPECT_TRUE(pt_all_bytes(fresh, 100, 0));
	EXPECT_TRUE(pt_all_bytes(fresh + 100 + len, mlen - 100 - len, 0));
	munmap(fresh, mlen);

	/* Read into a shared memfd mapping: the file must hold the data */
	mfd = memfd_create("pt_data", MFD_CLOEXEC);
	ASSERT_LE(0, mfd);
	ASSERT_EQ(0, ftruncate(mfd, mlen));
	shared = mmap(NULL, mlen, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	ASSERT_NE(MAP_FAILED, shared);
	c = pt_rw(PT_OP_READ, 64, nb, shared + 3, len);
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Read into a memfd mapping: %s", pt_res_str(res));
	}
	t.want_pins += pt_pages(shared + 3, len);
	ASSERT_EQ(0, munmap(shared, mlen));
	memset(t.data, 0, len);
	ASSERT_EQ((ssize_t)len, pread(mfd, t.data, len, 3));
	EXPECT_TRUE(pt_verify(_metadata, t.data, bs, 64, nb, t.tag,
			      "memfd contents after a Read into its mapping"));

	/* Write from the memfd's page cache pages */
	pt_fill(t.data, bs, 200, nb, ++t.tag);
	ASSERT_EQ((ssize_t)len, pwrite(mfd, t.data, len, 5));
	shared = mmap(NULL, mlen, PROT_READ, MAP_SHARED, mfd, 0);
	ASSERT_NE(MAP_FAILED, shared);
	c = pt_rw(PT_OP_WRITE, 200, nb, shared + 5, len);
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Write from a read-only memfd mapping: %s",
		       pt_res_str(res));
	}
	t.want_pins += pt_pages(shared + 5, len);
	munmap(shared, mlen);
	close(mfd);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, false, t.blkbuf, 200 * bs, len));
	EXPECT_TRUE(pt_verify(_metadata, t.blkbuf, bs, 200, nb, t.tag,
			      "Write from a memfd mapping"));
	rt_fini(_metadata, &t);
}

/*
 * 64 commands in one io_uring_submit() on a disk with 4 tags: the
 * submissions that find no tag must wait (io_uring retries -EAGAIN from
 * a worker), and every command completes with the right data.
 */
TEST_F_TIMEOUT(ptd, more_than_queue_depth, 180)
{
	struct pt_disk_cfg cfg = {
		.size = DISK_SIZE, .bs = self->d.bs, .queue_depth = 4,
		.nr_queues = 1,
	};
	const __u32 n = 64, nb = 3, bs = self->d.bs;
	struct io_uring_sqe *sqe;
	struct nvme_uring_cmd c;
	struct rt t;
	int pass, ret;
	__u32 i;

	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d2));
	rt_init(_metadata, &t, &self->env, &self->d2, PT_RING_FLAGS, true,
		false);

	for (pass = 0; pass < 2; pass++) {
		__u8 op = pass ? PT_OP_READ : PT_OP_WRITE;
		bool seen[64] = { false };
		__u32 tag = ++t.tag;

		if (pass) {	/* new data through the block device */
			for (i = 0; i < n; i++) {
				pt_fill(t.blkbuf, bs, i * 8, nb, tag);
				ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf,
						       (__u64)i * 8 * bs,
						       (size_t)nb * bs));
			}
		}
		for (i = 0; i < n; i++) {
			/* buffer i: its own pages, at an odd offset */
			char *buf = t.arena + (size_t)i * 4 * PT_PAGE + 2 * i + 1;

			if (pass)
				memset(buf, 0xa5, (size_t)nb * bs);
			else
				pt_fill(buf, bs, i * 8, nb, tag);
			sqe = io_uring_get_sqe(&t.q.ring);
			ASSERT_NE(NULL, sqe);
			c = pt_rw(op, i * 8, nb, buf, nb * bs);
			pt_q_prep(&t.q, sqe, NVME_URING_CMD_IO, &c, -1, i);
			t.want_pins += pt_pages(buf, (size_t)nb * bs);
		}
		ret = io_uring_submit(&t.q.ring);
		ASSERT_EQ((int)n, ret) {
			TH_LOG("io_uring_submit: %d", ret);
		}
		for (i = 0; i < n; i++) {
			__u64 ud = ~0ULL;
			int res = pt_q_reap(&t.q, &ud, NULL);

			ASSERT_LT(ud, n);
			EXPECT_FALSE(seen[ud]);
			seen[ud] = true;
			EXPECT_EQ(0, res) {
				TH_LOG("%s %llu of %u: %s", pass ? "Read" : "Write",
				       (unsigned long long)ud, n,
				       pt_res_str(res));
			}
		}
		for (i = 0; i < n; i++) {
			char *buf = t.arena + (size_t)i * 4 * PT_PAGE + 2 * i + 1;
			char what[64];

			snprintf(what, sizeof(what), "%s %u of %u",
				 pass ? "Read" : "Write", i, n);
			if (!pass) {
				ASSERT_EQ(0, pt_blk_rw(t.bfd, false, t.blkbuf,
						       (__u64)i * 8 * bs,
						       (size_t)nb * bs));
				buf = t.blkbuf;
			}
			EXPECT_TRUE(pt_verify(_metadata, buf, bs, i * 8, nb, tag,
					      what));
		}
	}
	rt_fini(_metadata, &t);
}

TEST_HARNESS_MAIN
