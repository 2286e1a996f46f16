// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input on the passthrough char device: one test per kind of bad
 * command, each checking the exact errno or NVMe status that
 * architecture.md section 7 specifies, through io_uring uring_cmd AND the
 * ioctls wherever both can express the command. A valid control command
 * next to the bad ones shows that it is the bad field that fails.
 *
 * Every test ends (FIXTURE_TEARDOWN_PARENT) with: no splat in the kernel
 * log since the test began (no WARN is reachable from user space), zcblk's
 * pins balanced, /proc/vmstat's FOLL_PIN balance back where it was.
 *
 * Variants: mem disks with 512- and 4096-byte blocks.
 */
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

static void b_init(struct __test_metadata *_metadata, struct b *b,
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

static void b_fini(struct b *b)
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
static void expect_io(struct __test_metadata *_metadata, struct b *b,
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
static void expect_admin(struct __test_metadata *_metadata, struct b *b,
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

static void expect_submit_io(struct __test_metadata *_metadata, struct b *b,
			     __u8 op, __u64 slba, __u32 nblocks,
			     const void *buf, int want, const char *what)
{
	int got = pt_submit_io(b->cfd, op, slba, nblocks, buf);

	EXPECT_EQ(want, got) {
		TH_LOG("%s: NVME_IOCTL_SUBMIT_IO: got %s, want %s", what,
		       pt_res_str(got), pt_res_str(want));
	}
}

/* @n iovecs sharing @total bytes of @buf, back to back (some may be 0). */
static void spread_iov(struct iovec *iov, int n, char *buf, size_t total)
{
	size_t pos = 0;
	int i;

	for (i = 0; i < n; i++) {
		iov[i].iov_base = buf + pos;
		iov[i].iov_len = total / n + ((size_t)i < total % n);
		pos += iov[i].iov_len;
	}
}

/* Row: a ring without SQE128 or without CQE32 -> -EOPNOTSUPP. */
TEST_F(bad, ring_without_sqe128_or_cqe32)
{
	static const struct {
		unsigned int flags;
		const char *name;
	} rings[] = {
		{ IORING_SETUP_CQE32, "CQE32 without SQE128" },
		{ IORING_SETUP_SQE128, "SQE128 without CQE32" },
		{ 0, "neither SQE128 nor CQE32" },
		{ PT_RING_FLAGS, "SQE128 + CQE32 (control)" },
	};
	struct nvme_uring_cmd c;
	struct b b;
	size_t i;

	b_init(_metadata, &b, &self->d);
	for (i = 0; i < ARRAY_SIZE(rings); i++) {
		int want = rings[i].flags == PT_RING_FLAGS ? 0 : -EOPNOTSUPP;
		struct pt_q q;
		int ret, got;

		ret = pt_q_init(&q, b.cfd, 4, rings[i].flags);
		ASSERT_EQ(0, ret) {
			TH_LOG("io_uring setup (%s): %s", rings[i].name,
			       strerror(-ret));
		}
		/* A valid Read; on 64-byte SQEs only the header is set. */
		c = pt_rw(PT_OP_READ, 0, 1, b.buf, b.bs);
		got = pt_q_cmd(&q, NVME_URING_CMD_IO, &c, -1, NULL);
		EXPECT_EQ(want, got) {
			TH_LOG("%s: Read: got %s", rings[i].name,
			       pt_res_str(got));
		}
		got = pt_q_cmd(&q, NVME_URING_CMD_IO_VEC, &c, -1, NULL);
		EXPECT_EQ(rings[i].flags == PT_RING_FLAGS ? -EINVAL :
			  -EOPNOTSUPP, got) {
			/* the control: data_len = iovec count = 512 or 4096 */
			TH_LOG("%s: IO_VEC: got %s", rings[i].name,
			       pt_res_str(got));
		}
		pt_q_exit(&q);
	}
	b_fini(&b);
}

/* Row: unknown cmd_op -> -ENOTTY; unknown ioctl -> ENOTTY. */
TEST_F(bad, unknown_cmd_op_and_ioctl)
{
	static const struct {
		__u32 op;
		const char *name;
	} ops[] = {
		{ NVME_URING_CMD_ADMIN, "NVME_URING_CMD_ADMIN" },
		{ NVME_URING_CMD_ADMIN_VEC, "NVME_URING_CMD_ADMIN_VEC" },
		{ 0x1234, "0x1234" },
		{ 0, "0" },
		{ NVME_IOCTL_IO_CMD, "NVME_IOCTL_IO_CMD as cmd_op" },
	};
	static const struct {
		unsigned long req;
		const char *name;
	} ioctls[] = {
		{ NVME_IOCTL_RESET, "NVME_IOCTL_RESET" },
		{ NVME_IOCTL_SUBSYS_RESET, "NVME_IOCTL_SUBSYS_RESET" },
		{ NVME_IOCTL_RESCAN, "NVME_IOCTL_RESCAN" },
		{ _IO('N', 0x99), "_IO('N', 0x99)" },
		{ 0x1234, "0x1234" },
		{ NVME_URING_CMD_IO, "NVME_URING_CMD_IO as ioctl" },
		{ _IOR(0x12, 114, size_t), "BLKGETSIZE64" },
	};
	struct nvme_uring_cmd c;
	struct b b;
	size_t i;
	int got;

	b_init(_metadata, &b, &self->d);
	c = pt_rw(PT_OP_READ, 0, 1, b.buf, b.bs);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		got = pt_q_cmd(&b.q, ops[i].op, &c, -1, NULL);
		EXPECT_EQ(-ENOTTY, got) {
			TH_LOG("cmd_op %s: got %s", ops[i].name,
			       pt_res_str(got));
		}
	}
	/* An admin command as uring_cmd: admin uring_cmds are not offered */
	c = pt_identify(PT_NSID, 0, 0, b.buf);
	got = pt_q_cmd(&b.q, NVME_URING_CMD_ADMIN, &c, -1, NULL);
	EXPECT_EQ(-ENOTTY, got);

	for (i = 0; i < ARRAY_SIZE(ioctls); i++) {
		memset(b.buf, 0, 4096);
		got = pt_ioctl_res(ioctl(b.cfd, ioctls[i].req, b.buf));
		EXPECT_EQ(-ENOTTY, got) {
			TH_LOG("ioctl %s: got %s", ioctls[i].name,
			       pt_res_str(got));
		}
	}
	b_fini(&b);
}

/* Row: nonzero flags, rsvd1, rsvd2 -> -EINVAL. */
TEST_F(bad, reserved_fields)
{
	struct nvme_uring_cmd c, ok;
	struct b b;

	b_init(_metadata, &b, &self->d);
	ok = pt_rw(PT_OP_READ, 0, 1, b.buf, b.bs);
	expect_io(_metadata, &b, &ok, false, 0, "control");

	c = ok;
	c.flags = 1;
	expect_io(_metadata, &b, &c, false, -EINVAL, "flags = 1");
	c.flags = 0x80;
	expect_io(_metadata, &b, &c, false, -EINVAL, "flags = 0x80");
	c = ok;
	c.rsvd1 = 1;
	expect_io(_metadata, &b, &c, false, -EINVAL, "rsvd1 = 1");
	c.rsvd1 = 0x8000;
	expect_io(_metadata, &b, &c, false, -EINVAL, "rsvd1 = 0x8000");

	/* rsvd2: in nvme_uring_cmd and nvme_passthru_cmd64 only */
	c = ok;
	c.rsvd2 = 1;
	EXPECT_EQ(-EINVAL, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, -1, NULL));
	EXPECT_EQ(-EINVAL, pt_passthru(b.cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	c.rsvd2 = 0x80000000;
	EXPECT_EQ(-EINVAL, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, -1, NULL));
	EXPECT_EQ(-EINVAL, pt_passthru(b.cfd, NVME_IOCTL_IO64_CMD, &c, NULL));

	/* Vectored and admin commands check them too */
	{
		struct iovec iov = { b.buf, b.bs };

		c = pt_rw_vec(PT_OP_READ, 0, 1, &iov, 1);
		expect_io(_metadata, &b, &c, true, 0, "vec control");
		c.flags = 1;
		expect_io(_metadata, &b, &c, true, -EINVAL, "vec flags = 1");
		c.flags = 0;
		c.rsvd1 = 1;
		expect_io(_metadata, &b, &c, true, -EINVAL, "vec rsvd1 = 1");
	}
	c = pt_identify(PT_NSID, 0, 0, b.buf);
	expect_admin(_metadata, &b, &c, 0, "Identify control");
	c.flags = 1;
	expect_admin(_metadata, &b, &c, -EINVAL, "Identify, flags = 1");
	c.flags = 0;
	c.rsvd1 = 1;
	expect_admin(_metadata, &b, &c, -EINVAL, "Identify, rsvd1 = 1");
	c.rsvd1 = 0;
	c.rsvd2 = 1;
	EXPECT_EQ(-EINVAL, pt_passthru(b.cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	b_fini(&b);
}

/* Row: metadata or metadata_len nonzero -> -EINVAL (no metadata support). */
TEST_F(bad, metadata)
{
	struct nvme_uring_cmd c, ok;
	struct nvme_user_io io;
	struct b b;

	b_init(_metadata, &b, &self->d);
	ok = pt_rw(PT_OP_WRITE, 0, 1, b.buf, b.bs);
	expect_io(_metadata, &b, &ok, false, 0, "control");

	c = ok;
	c.metadata = (uintptr_t)(b.buf + 8192);
	expect_io(_metadata, &b, &c, false, -EINVAL, "metadata");
	c.metadata_len = 8;
	expect_io(_metadata, &b, &c, false, -EINVAL, "metadata + metadata_len");
	c.metadata = 0;
	expect_io(_metadata, &b, &c, false, -EINVAL, "metadata_len only");
	c = pt_rw(PT_OP_READ, 0, 1, b.buf, b.bs);
	c.metadata_len = 1;
	expect_io(_metadata, &b, &c, false, -EINVAL, "Read, metadata_len 1");

	io = (struct nvme_user_io){
		.opcode = PT_OP_READ, .addr = (uintptr_t)b.buf,
		.metadata = (uintptr_t)(b.buf + 8192),
	};
	EXPECT_EQ(-EINVAL, pt_ioctl_res(ioctl(b.cfd, NVME_IOCTL_SUBMIT_IO, &io)));

	c = pt_identify(PT_NSID, 0, 0, b.buf);
	c.metadata = (uintptr_t)(b.buf + 8192);
	c.metadata_len = 64;
	expect_admin(_metadata, &b, &c, -EINVAL, "Identify with metadata");
	b_fini(&b);
}

/* Row: IORING_URING_CMD_FIXED + NVME_URING_CMD_IO_VEC -> -EINVAL, no WARN. */
TEST_F(bad, fixed_and_vec)
{
	unsigned long long seq = pt_kmsg_seq();
	struct iovec reg, iov[2];
	struct nvme_uring_cmd c;
	char first[512] = "";
	struct b b;
	int ret;

	b_init(_metadata, &b, &self->d);
	reg.iov_base = b.buf;
	reg.iov_len = PT_MiB;
	ret = io_uring_register_buffers(&b.q.ring, &reg, 1);
	ASSERT_EQ(0, ret);

	/* addr as fio would set it: an iovec array inside the buffer */
	spread_iov(iov, 2, b.buf + 8192, 2 * b.bs);
	memcpy(b.buf, iov, sizeof(iov));
	c = pt_rw_vec(PT_OP_READ, 0, 2, (struct iovec *)b.buf, 2);
	EXPECT_EQ(-EINVAL, pt_q_cmd(&b.q, NVME_URING_CMD_IO_VEC, &c, 0, NULL));
	c = pt_rw_vec(PT_OP_WRITE, 0, 2, (struct iovec *)b.buf, 2);
	EXPECT_EQ(-EINVAL, pt_q_cmd(&b.q, NVME_URING_CMD_IO_VEC, &c, 0, NULL));
	/* and a plain address range, as if it were not vectored */
	c = pt_rw_vec(PT_OP_READ, 0, 2, (struct iovec *)b.buf, 2 * b.bs);
	EXPECT_EQ(-EINVAL, pt_q_cmd(&b.q, NVME_URING_CMD_IO_VEC, &c, 0, NULL));
	/* control: the same buffer, not vectored */
	c = pt_rw(PT_OP_READ, 0, 2, b.buf + 8192, 2 * b.bs);
	EXPECT_EQ(0, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, 0, NULL));

	/* 6.1's ng WARNs here: zcblk must not */
	ret = pt_kmsg_scan(seq, NULL, first, sizeof(first));
	EXPECT_EQ(0, ret) {
		TH_LOG("kernel log after FIXED + VEC: %s", first);
	}
	b_fini(&b);
}

/* Row: I/O with nsid 0 and 2 (not ours) -> -EINVAL, as ng. */
TEST_F(bad, io_nsid)
{
	static const __u32 nsids[] = { 0, 2, 0xffffffff, 0xfffffffe };
	struct iovec iov = { 0 };
	struct nvme_uring_cmd c;
	char what[64];
	struct b b;
	size_t i;

	b_init(_metadata, &b, &self->d);
	iov.iov_base = b.buf;
	iov.iov_len = b.bs;
	for (i = 0; i < ARRAY_SIZE(nsids); i++) {
		snprintf(what, sizeof(what), "Read, nsid 0x%x", nsids[i]);
		c = pt_rw(PT_OP_READ, 0, 1, b.buf, b.bs);
		c.nsid = nsids[i];
		expect_io(_metadata, &b, &c, false, -EINVAL, what);
		c = pt_rw_vec(PT_OP_READ, 0, 1, &iov, 1);
		c.nsid = nsids[i];
		expect_io(_metadata, &b, &c, true, -EINVAL, what);

		snprintf(what, sizeof(what), "Write, nsid 0x%x", nsids[i]);
		c = pt_rw(PT_OP_WRITE, 0, 1, b.buf, b.bs);
		c.nsid = nsids[i];
		expect_io(_metadata, &b, &c, false, -EINVAL, what);

		snprintf(what, sizeof(what), "unknown opcode, nsid 0x%x",
			 nsids[i]);
		c = (struct nvme_uring_cmd){ .opcode = 0x7f, .nsid = nsids[i] };
		expect_io(_metadata, &b, &c, false, -EINVAL, what);
	}
	for (i = 0; i < 2; i++) {
		snprintf(what, sizeof(what), "Flush, nsid 0x%x", nsids[i]);
		c = (struct nvme_uring_cmd){ .opcode = PT_OP_FLUSH,
					     .nsid = nsids[i] };
		expect_io(_metadata, &b, &c, false, -EINVAL, what);
	}
	c = pt_rw(PT_OP_READ, 0, 1, b.buf, b.bs);
	expect_io(_metadata, &b, &c, false, 0, "Read, nsid 1 (control)");
	b_fini(&b);
}

/* Row: data_len != (nlb + 1) << lba_shift, smaller or larger -> -EINVAL. */
TEST_F(bad, data_len_mismatch)
{
	const __u32 bs = self->d.bs, nb = 4, want = nb * bs;
	const __u32 lens[] = { want - 1, want + 1, want - bs, want + bs, 0,
			       bs, 2 * want };
	static const __u8 ops[] = { PT_OP_READ, PT_OP_WRITE, PT_OP_COMPARE };
	struct nvme_uring_cmd c;
	char what[80];
	struct b b;
	size_t i, k;

	b_init(_metadata, &b, &self->d);
	for (k = 0; k < ARRAY_SIZE(ops); k++) {
		for (i = 0; i < ARRAY_SIZE(lens); i++) {
			snprintf(what, sizeof(what),
				 "opcode 0x%x, %u blocks, data_len %u", ops[k],
				 nb, lens[i]);
			c = pt_rw(ops[k], 8, nb, b.buf, lens[i]);
			expect_io(_metadata, &b, &c, false, -EINVAL, what);
		}
		c = pt_rw(ops[k], 8, nb, b.buf, want);
		memset(b.buf, 0, want);
		expect_io(_metadata, &b, &c, false, 0, "control");
	}
	/* Identify is 4096 bytes, Get Log Page (NUMD + 1) * 4 */
	c = pt_identify(PT_NSID, 0, 0, b.buf);
	c.data_len = 4095;
	expect_admin(_metadata, &b, &c, -EINVAL, "Identify, data_len 4095");
	c.data_len = 8192;
	expect_admin(_metadata, &b, &c, -EINVAL, "Identify, data_len 8192");
	c = pt_get_log(PT_NSID, 2, b.buf, 512);
	c.data_len = 508;
	expect_admin(_metadata, &b, &c, -EINVAL, "SMART log, data_len 508");
	/* Flush and Write Zeroes move no data */
	c = (struct nvme_uring_cmd){ .opcode = PT_OP_FLUSH, .nsid = PT_NSID,
				     .addr = (uintptr_t)b.buf,
				     .data_len = bs };
	expect_io(_metadata, &b, &c, false, -EINVAL, "Flush with data");
	c = pt_rw(PT_OP_WRITE_ZEROES, 8, 1, b.buf, bs);
	expect_io(_metadata, &b, &c, false, -EINVAL, "Write Zeroes with data");
	/* DSM: (NR + 1) * 16 bytes */
	c = pt_admin(PT_OP_DSM, PT_NSID, 1, PT_DSM_AD, b.buf, 16);
	memset(b.buf, 0, 64);
	expect_io(_metadata, &b, &c, false, -EINVAL, "DSM, 2 ranges, 16 bytes");
	b_fini(&b);
}

/* Row: a transfer above the 512 KiB maximum -> -EINVAL. */
TEST_F(bad, data_len_above_max)
{
	const __u32 bs = self->d.bs;
	const __u32 nb_max = PT_MAX_TRANSFER / bs, nb_1m = PT_MiB / bs;
	struct iovec iov[4];
	struct nvme_uring_cmd c;
	struct b b;

	b_init(_metadata, &b, &self->d);
	c = pt_rw(PT_OP_READ, 0, nb_1m, b.buf, PT_MiB);
	expect_io(_metadata, &b, &c, false, -EINVAL, "Read of 1 MiB");
	c = pt_rw(PT_OP_WRITE, 0, nb_1m, b.buf, PT_MiB);
	expect_io(_metadata, &b, &c, false, -EINVAL, "Write of 1 MiB");
	c = pt_rw(PT_OP_READ, 0, nb_max + 1, b.buf, PT_MAX_TRANSFER + bs);
	expect_io(_metadata, &b, &c, false, -EINVAL, "Read of 512 KiB + 1 block");
	expect_submit_io(_metadata, &b, PT_OP_READ, 0, nb_1m, b.buf, -EINVAL,
			 "Read of 1 MiB");
	spread_iov(iov, 4, b.buf, PT_MiB);
	c = pt_rw_vec(PT_OP_READ, 0, nb_1m, iov, 4);
	expect_io(_metadata, &b, &c, true, -EINVAL, "vectored Read of 1 MiB");
	/* The largest 16-bit NLB: 32 MiB or 256 MiB */
	c = pt_rw(PT_OP_READ, 0, 0x10000, b.buf, 0);
	c.data_len = (__u32)(0x10000ULL * bs);
	expect_io(_metadata, &b, &c, false, -EINVAL, "Read of 65536 blocks");

	/* control: exactly the maximum */
	c = pt_rw(PT_OP_READ, 0, nb_max, b.buf, PT_MAX_TRANSFER);
	expect_io(_metadata, &b, &c, false, 0, "Read of 512 KiB (control)");
	spread_iov(iov, 4, b.buf, PT_MAX_TRANSFER);
	c = pt_rw_vec(PT_OP_READ, 0, nb_max, iov, 4);
	expect_io(_metadata, &b, &c, true, 0,
		  "vectored Read of 512 KiB (control)");
	expect_submit_io(_metadata, &b, PT_OP_READ, 0, nb_max, b.buf, 0,
			 "Read of 512 KiB (control)");
	b_fini(&b);
}

/* Row: vectored, the iovecs' sum != the expected bytes -> -EINVAL. */
TEST_F(bad, vec_sum_mismatch)
{
	const __u32 bs = self->d.bs, nb = 4, want = nb * bs;
	struct nvme_uring_cmd c;
	struct iovec iov[8];
	struct b b;

	b_init(_metadata, &b, &self->d);
	spread_iov(iov, 3, b.buf, want - 1);
	c = pt_rw_vec(PT_OP_READ, 0, nb, iov, 3);
	expect_io(_metadata, &b, &c, true, -EINVAL, "sum - 1");
	spread_iov(iov, 3, b.buf, want + 1);
	c = pt_rw_vec(PT_OP_WRITE, 0, nb, iov, 3);
	expect_io(_metadata, &b, &c, true, -EINVAL, "sum + 1");
	spread_iov(iov, 8, b.buf, want + bs);
	c = pt_rw_vec(PT_OP_READ, 0, nb, iov, 8);
	expect_io(_metadata, &b, &c, true, -EINVAL, "sum + 1 block");
	spread_iov(iov, 3, b.buf, want);
	iov[1].iov_len = 0;
	c = pt_rw_vec(PT_OP_READ, 0, nb, iov, 3);
	expect_io(_metadata, &b, &c, true, -EINVAL, "a zero-length iovec short");
	c = pt_rw_vec(PT_OP_READ, 0, nb, iov, 0);
	expect_io(_metadata, &b, &c, true, -EINVAL, "no iovec");
	/* data_len taken as bytes instead of an iovec count */
	spread_iov(iov, 1, b.buf, want);
	c = pt_rw_vec(PT_OP_READ, 0, nb, iov, want);
	expect_io(_metadata, &b, &c, true, -EINVAL, "data_len in bytes");

	/* a length negative as ssize_t */
	spread_iov(iov, 2, b.buf, want);
	iov[1].iov_len = SIZE_MAX / 2 + 1;
	c = pt_rw_vec(PT_OP_READ, 0, nb, iov, 2);
	expect_io(_metadata, &b, &c, true, -EINVAL, "iov_len above SSIZE_MAX");
	/*
	 * Sums that wrap: each part a valid user range (else access_ok()
	 * makes it -EFAULT first), 2 GiB + 2 GiB + want, which is want in
	 * 32 bits.
	 */
	iov[0].iov_base = b.buf;
	iov[0].iov_len = 2 * 1024 * PT_MiB;
	iov[1].iov_base = b.buf;
	iov[1].iov_len = 2 * 1024 * PT_MiB;
	iov[2].iov_base = b.buf;
	iov[2].iov_len = want;
	c = pt_rw_vec(PT_OP_READ, 0, nb, iov, 3);
	expect_io(_metadata, &b, &c, true, -EINVAL,
		  "iovec sum of 4 GiB + the expected size");
	/* Ranges that are no user memory at all: unreadable -> -EFAULT */
	spread_iov(iov, 2, b.buf, want);
	iov[0].iov_len = SIZE_MAX / 4;
	iov[1].iov_len = SIZE_MAX / 4;
	c = pt_rw_vec(PT_OP_READ, 0, nb, iov, 2);
	expect_io(_metadata, &b, &c, true, -EFAULT,
		  "two iovecs of 2^62 bytes (past user space)");
	iov[0].iov_len = SIZE_MAX / 2;
	iov[1].iov_len = SIZE_MAX / 2;
	iov[2].iov_base = b.buf;
	iov[2].iov_len = want + 2;
	c = pt_rw_vec(PT_OP_READ, 0, nb, iov, 3);
	expect_io(_metadata, &b, &c, true, -EFAULT,
		  "iovecs past user space whose sum wraps to the expected size");

	/* control, with a zero-length iovec in the middle */
	spread_iov(iov, 3, b.buf, want);
	iov[1].iov_base = b.buf + 3 * PT_MiB;
	iov[1].iov_len = 0;
	iov[2].iov_len += want - iov[0].iov_len - iov[2].iov_len;
	c = pt_rw_vec(PT_OP_READ, 0, nb, iov, 3);
	expect_io(_metadata, &b, &c, true, 0, "control");
	b_fini(&b);
}

/*
 * Row: more iovecs than the kernel takes (UIO_MAXIOV = 1024) or than the
 * advertised max segments (128) -> -EINVAL; 128 are fine.
 */
TEST_F(bad, vec_too_many)
{
	const __u32 bs = self->d.bs, nb = 4, want = nb * bs;
	const __u32 counts[] = { 1025, 1024, PT_MAX_SEGS + 1, 4096 };
	struct nvme_uring_cmd c;
	struct iovec *iov;
	char what[64];
	struct b b;
	size_t i;

	b_init(_metadata, &b, &self->d);
	iov = calloc(4096, sizeof(*iov));
	ASSERT_NE(NULL, iov);
	for (i = 0; i < ARRAY_SIZE(counts); i++) {
		spread_iov(iov, counts[i], b.buf, want);
		snprintf(what, sizeof(what), "%u iovecs, right sum", counts[i]);
		c = pt_rw_vec(PT_OP_READ, 0, nb, iov, counts[i]);
		expect_io(_metadata, &b, &c, true, -EINVAL, what);
		c = pt_rw_vec(PT_OP_WRITE, 0, nb, iov, counts[i]);
		expect_io(_metadata, &b, &c, true, -EINVAL, what);
	}
	/* controls: the max segments, each iovec crossing a page boundary */
	for (i = 0; i < PT_MAX_SEGS; i++) {
		iov[i].iov_base = b.buf + i * PT_PAGE + PT_PAGE - 7;
		iov[i].iov_len = want / PT_MAX_SEGS;
	}
	c = pt_rw_vec(PT_OP_READ, 0, nb, iov, PT_MAX_SEGS);
	expect_io(_metadata, &b, &c, true, 0, "128 iovecs (control)");
	c = pt_rw_vec(PT_OP_WRITE, 0, nb, iov, PT_MAX_SEGS);
	expect_io(_metadata, &b, &c, true, 0, "128 iovecs (control)");
	free(iov);
	b_fini(&b);
}

/* Row: NULL addr with data_len > 0 -> -EINVAL. */
TEST_F(bad, null_addr)
{
	const __u32 bs = self->d.bs;
	struct nvme_uring_cmd c;
	struct b b;

	b_init(_metadata, &b, &self->d);
	c = pt_rw(PT_OP_READ, 0, 1, NULL, bs);
	expect_io(_metadata, &b, &c, false, -EINVAL, "Read, NULL addr");
	c = pt_rw(PT_OP_WRITE, 0, 2, NULL, 2 * bs);
	expect_io(_metadata, &b, &c, false, -EINVAL, "Write, NULL addr");
	c = pt_rw(PT_OP_COMPARE, 0, 1, NULL, bs);
	expect_io(_metadata, &b, &c, false, -EINVAL, "Compare, NULL addr");
	c = pt_admin(PT_OP_DSM, PT_NSID, 0, PT_DSM_AD, NULL, 16);
	expect_io(_metadata, &b, &c, false, -EINVAL, "DSM, NULL addr");
	expect_submit_io(_metadata, &b, PT_OP_READ, 0, 1, NULL, -EINVAL,
			 "Read, NULL addr");
	expect_submit_io(_metadata, &b, PT_OP_WRITE, 0, 1, NULL, -EINVAL,
			 "Write, NULL addr");
	c = pt_identify(PT_NSID, 0, 0, NULL);
	expect_admin(_metadata, &b, &c, -EINVAL, "Identify, NULL addr");
	c = pt_get_log(0, 2, NULL, 512);
	expect_admin(_metadata, &b, &c, -EINVAL, "SMART log, NULL addr");
	b_fini(&b);
}

/* Row: FIXED with buf_index out of range -> -EFAULT (io_uring's check). */
TEST_F(bad, fixed_buf_index)
{
	const __u32 bs = self->d.bs;
	struct nvme_uring_cmd c;
	struct iovec reg[2];
	struct b b;
	int ret;

	b_init(_metadata, &b, &self->d);
	c = pt_rw(PT_OP_READ, 0, 1, b.buf, bs);
	/* no buffer registered at all */
	EXPECT_EQ(-EFAULT, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, 0, NULL));

	reg[0].iov_base = b.buf;
	reg[0].iov_len = 64 * PT_KiB;
	reg[1].iov_base = b.buf + PT_MiB;
	reg[1].iov_len = 64 * PT_KiB;
	ret = io_uring_register_buffers(&b.q.ring, reg, 2);
	ASSERT_EQ(0, ret);
	EXPECT_EQ(-EFAULT, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, 2, NULL));
	EXPECT_EQ(-EFAULT, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, 65535, NULL));
	c = pt_rw(PT_OP_WRITE, 0, 1, b.buf, bs);
	EXPECT_EQ(-EFAULT, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, 3, NULL));
	/* controls */
	EXPECT_EQ(0, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, 0, NULL));
	c = pt_rw(PT_OP_READ, 0, 1, b.buf + PT_MiB, bs);
	EXPECT_EQ(0, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, 1, NULL));
	b_fini(&b);
}

/* Row: FIXED with a range outside the registered buffer -> -EFAULT. */
TEST_F(bad, fixed_out_of_range)
{
	const __u32 bs = self->d.bs;
	const size_t len = 64 * PT_KiB;
	struct nvme_uring_cmd c;
	struct iovec reg;
	char *base;
	struct b b;
	int ret;

	b_init(_metadata, &b, &self->d);
	base = b.buf + PT_MiB;
	reg.iov_base = base;
	reg.iov_len = len;
	ret = io_uring_register_buffers(&b.q.ring, &reg, 1);
	ASSERT_EQ(0, ret);

	c = pt_rw(PT_OP_READ, 0, 2, base + len - bs, 2 * bs);
	EXPECT_EQ(-EFAULT, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, 0, NULL));
	c = pt_rw(PT_OP_WRITE, 0, 1, base + len - bs + 1, bs);
	EXPECT_EQ(-EFAULT, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, 0, NULL));
	c = pt_rw(PT_OP_READ, 0, 1, base + len, bs);
	EXPECT_EQ(-EFAULT, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, 0, NULL));
	c = pt_rw(PT_OP_READ, 0, 1, base - 1, bs);
	EXPECT_EQ(-EFAULT, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, 0, NULL));
	c = pt_rw(PT_OP_READ, 0, 1, base - PT_MiB, bs);
	EXPECT_EQ(-EFAULT, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, 0, NULL));
	/* wrapping around the address space */
	c = pt_rw(PT_OP_READ, 0, 1, (void *)(uintptr_t)-256, bs);
	EXPECT_EQ(-EFAULT, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, 0, NULL));
	/* control: the last bytes of the buffer */
	c = pt_rw(PT_OP_READ, 0, 1, base + len - bs, bs);
	EXPECT_EQ(0, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, 0, NULL));
	b_fini(&b);
}

/* Row: unmapped buffer -> -EFAULT (and what was pinned is unpinned). */
TEST_F(bad, unmapped_addr)
{
	const __u32 bs = self->d.bs;
	struct zcblk_dev_stats s0, s1;
	struct nvme_uring_cmd c;
	struct iovec iov[3];
	char *hole, *half;
	struct b b;

	b_init(_metadata, &b, &self->d);
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &s0));
	hole = pt_map(4 * PT_PAGE);
	ASSERT_NE(NULL, hole);
	ASSERT_EQ(0, munmap(hole, 4 * PT_PAGE));
	/* mapped first page, unmapped second: pins, then fails */
	half = pt_map(2 * PT_PAGE);
	ASSERT_NE(NULL, half);
	memset(half, 1, PT_PAGE);
	ASSERT_EQ(0, munmap(half + PT_PAGE, PT_PAGE));

	c = pt_rw(PT_OP_READ, 0, 1, hole, bs);
	expect_io(_metadata, &b, &c, false, -EFAULT, "Read into unmapped");
	c = pt_rw(PT_OP_WRITE, 0, 1, hole + 100, bs);
	expect_io(_metadata, &b, &c, false, -EFAULT, "Write from unmapped");
	expect_submit_io(_metadata, &b, PT_OP_READ, 0, 1, hole, -EFAULT,
			 "Read into unmapped");
	expect_submit_io(_metadata, &b, PT_OP_WRITE, 0, 1, hole, -EFAULT,
			 "Write from unmapped");
	c = pt_rw(PT_OP_READ, 0, 2, half + PT_PAGE - bs, 2 * bs);
	expect_io(_metadata, &b, &c, false, -EFAULT,
		  "Read into a half-unmapped buffer");
	c = pt_rw(PT_OP_WRITE, 0, 2, half + PT_PAGE - bs, 2 * bs);
	expect_io(_metadata, &b, &c, false, -EFAULT,
		  "Write from a half-unmapped buffer");
	c = pt_identify(PT_NSID, 0, 0, hole);
	expect_admin(_metadata, &b, &c, -EFAULT, "Identify into unmapped");

	/*
	 * Kernel addresses, and a range that wraps past the top of the
	 * address space (6.12's pin_user_pages_fast says -EOVERFLOW there;
	 * found by fuzz_passthru).
	 */
	c = pt_rw(PT_OP_READ, 0, 1, (void *)0xffff888000000000UL, bs);
	expect_io(_metadata, &b, &c, false, -EFAULT, "Read into kernel memory");
	c = pt_rw(PT_OP_WRITE, 0, 2 * PT_PAGE / bs,
		  (void *)(-(unsigned long)PT_PAGE), 2 * PT_PAGE);
	expect_io(_metadata, &b, &c, false, -EFAULT,
		  "Write from a range that wraps");
	c = pt_rw(PT_OP_READ, 0, 2 * PT_PAGE / bs,
		  (void *)(-(unsigned long)PT_PAGE), 2 * PT_PAGE);
	expect_io(_metadata, &b, &c, false, -EFAULT,
		  "Read into a range that wraps");

	/* one bad iovec among good ones */
	spread_iov(iov, 3, b.buf, 2 * bs);
	iov[2].iov_base = hole + 17;
	c = pt_rw_vec(PT_OP_READ, 0, 2, iov, 3);
	expect_io(_metadata, &b, &c, true, -EFAULT, "Read, iovec 2 unmapped");
	c = pt_rw_vec(PT_OP_WRITE, 0, 2, iov, 3);
	expect_io(_metadata, &b, &c, true, -EFAULT, "Write, iovec 2 unmapped");
	/* an iovec with a NULL base: unreadable memory like any other */
	spread_iov(iov, 3, b.buf, 2 * bs);
	iov[1].iov_base = NULL;
	c = pt_rw_vec(PT_OP_READ, 0, 2, iov, 3);
	expect_io(_metadata, &b, &c, true, -EFAULT, "Read, iovec 1 at NULL");

	/* Nothing stays pinned: failed commands unpin what they pinned */
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &s1));
	EXPECT_EQ(s1.pinned_pages, s1.unpinned_pages);
	EXPECT_EQ(0, s1.pinned_current);
	munmap(half, PT_PAGE);
	b_fini(&b);
}

/*
 * Row: a Read into read-only memory -> -EFAULT (the device writes it);
 * a Write from it is fine; a Write from PROT_NONE memory -> -EFAULT.
 */
TEST_F(bad, readonly_buffer)
{
	const __u32 bs = self->d.bs;
	struct nvme_uring_cmd c;
	struct iovec iov[2];
	char *ro, *none;
	struct b b;

	b_init(_metadata, &b, &self->d);
	ro = pt_map(2 * PT_PAGE);
	none = pt_map(2 * PT_PAGE);
	ASSERT_TRUE(ro && none);
	memset(ro, 0x3c, 2 * PT_PAGE);
	ASSERT_EQ(0, mprotect(ro, 2 * PT_PAGE, PROT_READ));
	ASSERT_EQ(0, mprotect(none, 2 * PT_PAGE, PROT_NONE));

	c = pt_rw(PT_OP_READ, 0, 1, ro, bs);
	expect_io(_metadata, &b, &c, false, -EFAULT, "Read into PROT_READ");
	expect_submit_io(_metadata, &b, PT_OP_READ, 0, 1, ro, -EFAULT,
			 "Read into PROT_READ");
	c = pt_identify(PT_NSID, 0, 0, ro);
	c.data_len = 4096;
	expect_admin(_metadata, &b, &c, -EFAULT, "Identify into PROT_READ");
	iov[0].iov_base = b.buf;
	iov[0].iov_len = bs / 2;
	iov[1].iov_base = ro + 5;
	iov[1].iov_len = bs / 2;
	c = pt_rw_vec(PT_OP_READ, 0, 1, iov, 2);
	expect_io(_metadata, &b, &c, true, -EFAULT,
		  "Read, iovec 1 in PROT_READ");

	c = pt_rw(PT_OP_WRITE, 0, 1, none, bs);
	expect_io(_metadata, &b, &c, false, -EFAULT, "Write from PROT_NONE");
	expect_submit_io(_metadata, &b, PT_OP_WRITE, 0, 1, none, -EFAULT,
			 "Write from PROT_NONE");
	c = pt_rw(PT_OP_COMPARE, 0, 1, none, bs);
	expect_io(_metadata, &b, &c, false, -EFAULT, "Compare from PROT_NONE");
	c = pt_rw(PT_OP_READ, 0, 1, none, bs);
	expect_io(_metadata, &b, &c, false, -EFAULT, "Read into PROT_NONE");

	/* control: the device only reads read-only memory for a Write */
	c = pt_rw(PT_OP_WRITE, 0, 1, ro + 3, bs);
	expect_io(_metadata, &b, &c, false, 0, "Write from PROT_READ");
	c = pt_rw_vec(PT_OP_WRITE, 0, 1, iov, 2);
	expect_io(_metadata, &b, &c, true, 0, "Write, iovec 1 in PROT_READ");
	munmap(ro, 2 * PT_PAGE);
	munmap(none, 2 * PT_PAGE);
	b_fini(&b);
}

/* Row: an unreadable iovec array -> -EFAULT. */
TEST_F(bad, bad_iovec_array)
{
	const __u32 bs = self->d.bs;
	struct nvme_uring_cmd c;
	struct iovec *arr;
	char *hole, *none;
	struct b b;

	b_init(_metadata, &b, &self->d);
	hole = pt_map(PT_PAGE);
	ASSERT_NE(NULL, hole);
	ASSERT_EQ(0, munmap(hole, PT_PAGE));
	none = pt_map(PT_PAGE);
	ASSERT_NE(NULL, none);
	ASSERT_EQ(0, mprotect(none, PT_PAGE, PROT_NONE));

	c = pt_rw_vec(PT_OP_READ, 0, 1, (struct iovec *)hole, 1);
	expect_io(_metadata, &b, &c, true, -EFAULT, "unmapped iovec array");
	c = pt_rw_vec(PT_OP_WRITE, 0, 1, (struct iovec *)none, 2);
	expect_io(_metadata, &b, &c, true, -EFAULT, "PROT_NONE iovec array");

	/* An array whose second half is unmapped */
	ASSERT_EQ(0, munmap(b.buf + 3 * PT_MiB + PT_PAGE, PT_PAGE));
	arr = (struct iovec *)(b.buf + 3 * PT_MiB + PT_PAGE) - 1;
	arr[0].iov_base = b.buf;
	arr[0].iov_len = bs / 2;
	c = pt_rw_vec(PT_OP_READ, 0, 1, arr, 2);
	expect_io(_metadata, &b, &c, true, -EFAULT,
		  "iovec array crossing into unmapped memory");

	/* An iovec wrapping around the end of the address space */
	arr = (struct iovec *)b.buf;
	arr[0].iov_base = (void *)(uintptr_t)(-(intptr_t)bs / 2);
	arr[0].iov_len = bs;
	c = pt_rw_vec(PT_OP_READ, 0, 1, arr, 1);
	expect_io(_metadata, &b, &c, true, -EFAULT,
		  "iovec wrapping around the address space");
	/* and one in kernel space */
	arr[0].iov_base = (void *)0xffff888000000000ULL;
	c = pt_rw_vec(PT_OP_WRITE, 0, 1, arr, 1);
	expect_io(_metadata, &b, &c, true, -EFAULT, "iovec in kernel space");
	c = pt_rw(PT_OP_WRITE, 0, 1, (void *)0xffff888000000000ULL, bs);
	expect_io(_metadata, &b, &c, false, -EFAULT, "buffer in kernel space");

	/*
	 * A NULL array with a non-zero count. "NULL addr with data" is
	 * -EINVAL for plain buffers; for vectored commands addr is the
	 * array, and an array that cannot be read is -EFAULT (as ng).
	 */
	c = pt_rw_vec(PT_OP_READ, 0, 1, NULL, 1);
	expect_io(_metadata, &b, &c, true, -EFAULT, "NULL iovec array");
	munmap(none, PT_PAGE);
	b_fini(&b);
}

/*
 * Row: unknown I/O opcode -> Invalid Opcode 0x4001 (a positive res);
 * NVME_IOCTL_SUBMIT_IO with any opcode but read/write/compare -> -EINVAL.
 */
TEST_F(bad, unknown_io_opcode)
{
	struct zcblk_dev_stats s0, s1;
	struct nvme_uring_cmd c;
	struct iovec iov;
	__u64 result = 1;
	struct b b;
	int got;

	b_init(_metadata, &b, &self->d);
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &s0));
	c = (struct nvme_uring_cmd){ .opcode = 0x7f, .nsid = PT_NSID };
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_OPCODE,
		  "opcode 0x7f, no data");
	c = (struct nvme_uring_cmd){ .opcode = 0x7f, .nsid = PT_NSID };
	expect_io(_metadata, &b, &c, true, PT_SC_INVALID_OPCODE,
		  "opcode 0x7f, no data, vectored");
	got = pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, -1, &result);
	EXPECT_EQ(PT_SC_INVALID_OPCODE, got);
	EXPECT_EQ(0, result);
	/* with data, both directions: mapped, then refused by the device */
	c = pt_rw(0x7e, 0, 1, b.buf + 5, 4096);
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_OPCODE,
		  "opcode 0x7e, 4096 bytes from the device");
	c = pt_rw(0x7d, 0, 1, b.buf + 5, 4096);
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_OPCODE,
		  "opcode 0x7d, 4096 bytes to the device");
	iov.iov_base = b.buf + 5;
	iov.iov_len = 3000;
	c = pt_rw_vec(0x7e, 0, 1, &iov, 1);
	expect_io(_metadata, &b, &c, true, PT_SC_INVALID_OPCODE,
		  "opcode 0x7e, vectored");
	/* Reserved/unsupported NVM opcodes: Write Uncorrectable, Verify */
	c = pt_rw(0x04, 0, 1, NULL, 0);
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_OPCODE,
		  "Write Uncorrectable (0x04)");
	c = pt_rw(0x0c, 0, 1, NULL, 0);
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_OPCODE,
		  "Verify (0x0c)");
	c = pt_rw(0xff, 0, 1, NULL, 0);
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_OPCODE,
		  "opcode 0xff");

	expect_submit_io(_metadata, &b, PT_OP_FLUSH, 0, 1, b.buf, -EINVAL,
			 "Flush");
	expect_submit_io(_metadata, &b, PT_OP_WRITE_ZEROES, 0, 1, b.buf,
			 -EINVAL, "Write Zeroes");
	expect_submit_io(_metadata, &b, PT_OP_DSM, 0, 1, b.buf, -EINVAL,
			 "DSM");
	expect_submit_io(_metadata, &b, 0x7f, 0, 1, b.buf, -EINVAL,
			 "opcode 0x7f");
	expect_submit_io(_metadata, &b, PT_OP_READ, 0, 1, b.buf, 0,
			 "Read (control)");

	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &s1));
	EXPECT_LT(s0.pinned_pages, s1.pinned_pages);	/* they were mapped */
	EXPECT_EQ(s1.pinned_pages, s1.unpinned_pages);
	b_fini(&b);
}

/*
 * Row: Invalid Field (0x4002): unsupported CNS, CSI != 0, FID, LID, and
 * protection information on a namespace without it.
 */
TEST_F(bad, invalid_field)
{
	struct nvme_uring_cmd c;
	struct b b;

	b_init(_metadata, &b, &self->d);
	c = pt_identify(PT_NSID, 0x10, 0, b.buf);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD, "Identify CNS 0x10");
	c = pt_identify(PT_NSID, 0xff, 0, b.buf);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD, "Identify CNS 0xff");
	c = pt_identify(PT_NSID, 5, 2U << 24, b.buf);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Identify CNS 5 CSI 2 (zoned)");
	c = pt_identify(0, 6, 2U << 24, b.buf);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Identify CNS 6 CSI 2 (zoned)");
	c = pt_identify(PT_NSID, 0, 0, b.buf);
	c.cdw10 |= 1U << 16;	/* CNTID */
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Identify CNS 0 with CNTID 1");
	c = pt_admin(PT_ADM_GET_FEATURES, PT_NSID, 0x99, 0, NULL, 0);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Get Features FID 0x99");
	c = pt_get_log(PT_NSID, 0x80, b.buf, 512);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Get Log Page LID 0x80");

	/* controls */
	c = pt_identify(PT_NSID, 5, 0, b.buf);
	expect_admin(_metadata, &b, &c, 0, "Identify CNS 5 CSI 0");
	c = pt_identify(0, 6, 0, b.buf);
	expect_admin(_metadata, &b, &c, 0, "Identify CNS 6 CSI 0");
	c = pt_admin(PT_ADM_GET_FEATURES, PT_NSID, 0x06, 0, NULL, 0);
	expect_admin(_metadata, &b, &c, 0, "Get Features VWC");
	c = pt_get_log(PT_NSID, 0x02, b.buf, 512);
	expect_admin(_metadata, &b, &c, 0, "Get Log Page SMART");

	/* PRINFO: no protection information here */
	c = pt_rw(PT_OP_READ, 0, 1, b.buf, b.bs);
	c.cdw12 |= PT_CDW12_PRINFO_PRCHK;
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD,
		  "Read with PRINFO bit 26");
	c = pt_rw(PT_OP_READ, 0, 1, b.buf, b.bs);
	c.cdw12 |= PT_CDW12_PRINFO_PRACT;
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD,
		  "Read with PRACT");
	c = pt_rw(PT_OP_WRITE, 0, 1, b.buf, b.bs);
	c.cdw12 |= PT_CDW12_PRINFO_PRCHK;
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD,
		  "Write with PRINFO bit 26");
	c = pt_rw(PT_OP_READ, 0, 1, b.buf, b.bs);
	expect_io(_metadata, &b, &c, false, 0, "Read (control)");
	b_fini(&b);
}

/* Reserved command dwords and bits set -> Invalid Field (0x4002). */
TEST_F(bad, reserved_cdw_bits)
{
	struct nvme_uring_cmd c, ok;
	struct b b;

	b_init(_metadata, &b, &self->d);
	ok = pt_rw(PT_OP_READ, 0, 1, b.buf, b.bs);
	c = ok;
	c.cdw2 = 1;
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD, "Read, cdw2");
	c = ok;
	c.cdw3 = 1;
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD, "Read, cdw3");
	c = ok;
	c.cdw13 = 0x100;
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD,
		  "Read, cdw13 bit 8");
	c = (struct nvme_uring_cmd){ .opcode = PT_OP_FLUSH, .nsid = PT_NSID,
				     .cdw10 = 1 };
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD,
		  "Flush, cdw10");
	c = pt_admin(PT_OP_DSM, PT_NSID, 0, PT_DSM_AD | (1U << 3), b.buf, 16);
	memset(b.buf, 0, 16);
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD,
		  "DSM, cdw11 bit 3");
	/* controls: access hints in cdw13 7:0, FUA */
	c = ok;
	c.cdw13 = 0xff;
	expect_io(_metadata, &b, &c, false, 0, "Read, cdw13 7:0 (control)");
	c = ok;
	c.cdw12 |= 1U << 30;
	expect_io(_metadata, &b, &c, false, 0, "Read, FUA (control)");
	b_fini(&b);
}

/* Identify CNS 2 list: @n ids expected, the first being @first. */
static void expect_ns_list(struct __test_metadata *_metadata, struct b *b,
			   __u32 nsid, __u32 first)
{
	struct nvme_uring_cmd c = pt_identify(nsid, 2, 0, b->buf);
	size_t off = first ? 4 : 0;

	memset(b->buf, 0xff, 4096);
	ASSERT_EQ(0, pt_passthru(b->cfd, NVME_IOCTL_ADMIN_CMD, &c, NULL));
	EXPECT_EQ(first, pt_le32(b->buf));
	EXPECT_TRUE(pt_all_bytes(b->buf + off, 4096 - off, 0)) {
		TH_LOG("active namespace list after nsid 0x%x: more than expected",
		       nsid);
	}
}

/* Row: which nsid each admin command takes (else 0x400b Invalid NS). */
TEST_F(bad, admin_nsid)
{
	static const struct {
		__u8 cns;
		__u32 nsid;
		int want;
	} id[] = {
		{ 0, 2, PT_SC_INVALID_NS }, { 0, 0, PT_SC_INVALID_NS },
		{ 0, 0xfffffffe, PT_SC_INVALID_NS },
		{ 0, 1, 0 }, { 0, 0xffffffff, 0 },
		{ 1, 0, 0 }, { 1, 1, 0 }, { 1, 2, 0 }, { 1, 0xffffffff, 0 },
		{ 2, 0xfffffffe, PT_SC_INVALID_NS },
		{ 2, 0xffffffff, PT_SC_INVALID_NS },
		{ 2, 0, 0 }, { 2, 1, 0 }, { 2, 2, 0 },
		{ 3, 2, PT_SC_INVALID_NS }, { 3, 0, PT_SC_INVALID_NS },
		{ 3, 0xffffffff, PT_SC_INVALID_NS }, { 3, 1, 0 },
		{ 5, 2, PT_SC_INVALID_NS }, { 5, 0, PT_SC_INVALID_NS },
		{ 5, 1, 0 },
		{ 6, 0, 0 }, { 6, 1, 0 }, { 6, 7, 0 }, { 6, 0xffffffff, 0 },
	};
	static const __u32 feat_log_nsid[] = { 0, 1, 0xffffffff, 2,
					       0xfffffffe, 3 };
	struct nvme_uring_cmd c;
	char what[80];
	struct b b;
	size_t i;

	b_init(_metadata, &b, &self->d);
	for (i = 0; i < ARRAY_SIZE(id); i++) {
		snprintf(what, sizeof(what), "Identify CNS %u, nsid 0x%x",
			 id[i].cns, id[i].nsid);
		c = pt_identify(id[i].nsid, id[i].cns, 0, b.buf);
		expect_admin(_metadata, &b, &c, id[i].want, what);
	}
	/* CNS 2 lists the active nsids greater than nsid */
	expect_ns_list(_metadata, &b, 0, 1);
	expect_ns_list(_metadata, &b, 1, 0);
	expect_ns_list(_metadata, &b, 2, 0);

	for (i = 0; i < ARRAY_SIZE(feat_log_nsid); i++) {
		__u32 nsid = feat_log_nsid[i];
		int want = i < 3 ? 0 : PT_SC_INVALID_NS;

		snprintf(what, sizeof(what), "Get Log Page SMART, nsid 0x%x",
			 nsid);
		c = pt_get_log(nsid, 0x02, b.buf, 512);
		expect_admin(_metadata, &b, &c, want, what);
		snprintf(what, sizeof(what), "Get Log Page Error, nsid 0x%x",
			 nsid);
		c = pt_get_log(nsid, 0x01, b.buf, 64);
		expect_admin(_metadata, &b, &c, want, what);
		snprintf(what, sizeof(what), "Get Features VWC, nsid 0x%x",
			 nsid);
		c = pt_admin(PT_ADM_GET_FEATURES, nsid, 0x06, 0, NULL, 0);
		expect_admin(_metadata, &b, &c, want, what);
		snprintf(what, sizeof(what),
			 "Get Features Number of Queues, nsid 0x%x", nsid);
		c = pt_admin(PT_ADM_GET_FEATURES, nsid, 0x07, 0, NULL, 0);
		expect_admin(_metadata, &b, &c, want, what);
	}
	b_fini(&b);
}

/* Unknown admin opcode -> Invalid Opcode (0x4001). */
TEST_F(bad, unknown_admin_opcode)
{
	static const __u8 ops[] = { 0x7c, 0x7f, 0xc0, 0x09 /* Set Features */,
				    0x80 /* Format NVM */, 0x10 /* FW commit */ };
	struct nvme_uring_cmd c;
	char what[64];
	struct b b;
	size_t i;

	b_init(_metadata, &b, &self->d);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		snprintf(what, sizeof(what), "admin opcode 0x%x", ops[i]);
		c = pt_admin(ops[i], 0, 0, 0, NULL, 0);
		expect_admin(_metadata, &b, &c, PT_SC_INVALID_OPCODE, what);
	}
	/* with data both ways: mapped, then refused */
	c = pt_admin(0x7e, 0, 0, 0, b.buf + 3, 512);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_OPCODE,
		     "admin opcode 0x7e with 512 bytes");
	c = pt_admin(0x7d, 0, 0, 0, b.buf + 3, 512);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_OPCODE,
		     "admin opcode 0x7d with 512 bytes");
	b_fini(&b);
}

/* Row: LBA ranges at and past the end of the namespace (overflow-safe). */
TEST_F(bad, lba_range)
{
	const __u64 n = self->d.nlbas;
	const struct {
		__u64 slba;
		__u32 nblocks;
		int want;
		const char *name;
	} cases[] = {
		{ n - 2, 4, PT_SC_LBA_RANGE, "slba + nlb past the end" },
		{ n - 1, 2, PT_SC_LBA_RANGE, "last LBA + 1 more" },
		{ ~0ULL, 2, PT_SC_LBA_RANGE, "slba 2^64-1, 2 blocks" },
		{ ~0ULL - 1, 4, PT_SC_LBA_RANGE, "slba 2^64-2, 4 blocks" },
		{ n, 1, PT_SC_LBA_RANGE, "slba at capacity" },
		{ 1ULL << 63, 1, PT_SC_LBA_RANGE, "slba 2^63" },
		{ 1ULL << 32, 1, PT_SC_LBA_RANGE, "slba 2^32 (cdw11 only)" },
		{ n - 1, 1, 0, "last LBA" },
		{ n - 8, 8, 0, "last 8 LBAs" },
	};
	static const __u8 ops[] = { PT_OP_WRITE, PT_OP_READ, PT_OP_COMPARE,
				    PT_OP_WRITE_ZEROES };
	struct nvme_uring_cmd c;
	char what[128];
	struct b b;
	size_t i, k;

	b_init(_metadata, &b, &self->d);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		__u32 len = cases[i].nblocks * b.bs;

		memset(b.buf, 0, len);
		for (k = 0; k < ARRAY_SIZE(ops); k++) {
			bool data = ops[k] != PT_OP_WRITE_ZEROES;

			snprintf(what, sizeof(what), "opcode 0x%x, %s",
				 ops[k], cases[i].name);
			c = pt_rw(ops[k], cases[i].slba, cases[i].nblocks,
				  data ? b.buf : NULL, data ? len : 0);
			expect_io(_metadata, &b, &c, false, cases[i].want,
				  what);
			if (!data)
				continue;
			expect_submit_io(_metadata, &b, ops[k], cases[i].slba,
					 cases[i].nblocks, b.buf,
					 cases[i].want, what);
		}
	}
	/* DSM ranges are checked the same way, all before any is done */
	{
		struct pt_dsm_range *r = (struct pt_dsm_range *)b.buf;

		r[0] = (struct pt_dsm_range){ .nlb = 1, .slba = 0 };
		r[1] = (struct pt_dsm_range){ .nlb = 2, .slba = n - 1 };
		c = pt_admin(PT_OP_DSM, PT_NSID, 1, PT_DSM_AD, r, 32);
		expect_io(_metadata, &b, &c, false, PT_SC_LBA_RANGE,
			  "DSM, range 1 past the end");
		r[1] = (struct pt_dsm_range){ .nlb = 2, .slba = ~0ULL };
		expect_io(_metadata, &b, &c, false, PT_SC_LBA_RANGE,
			  "DSM, range 1 at 2^64-1");
		r[1] = (struct pt_dsm_range){ .nlb = 1, .slba = n - 1 };
		expect_io(_metadata, &b, &c, false, 0,
			  "DSM, range 1 on the last LBA (control)");
	}
	b_fini(&b);
}

TEST_HARNESS_MAIN
