// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input on the passthrough char device, how a command is framed:
 * one test per kind of bad command, each checking the exact errno that
 * Documentation/passthrough.rst ("Errors") specifies, through io_uring
 * uring_cmd AND the ioctls wherever both can express the command. Rings
 * without SQE128 or CQE32, unknown cmd_ops and ioctls, reserved fields,
 * metadata, FIXED with VEC, the nsid of I/O commands. (The data a
 * command moves: pt_badinput.c; the NVMe statuses: pt_badstatus.c.)
 *
 * A valid control command next to the bad ones shows that it is the bad
 * field that fails. The fixture, what every test ends with, and the check
 * that a refused command changed no data on the disk: pt_bad.h.
 * Variants: mem disks with 512- and 4096-byte blocks.
 */
#include "pt_bad.h"

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
	/* As a controller's node: nothing to rescan (nvme-cli's format) */
	EXPECT_EQ(0, pt_ioctl_res(ioctl(b.cfd, NVME_IOCTL_RESCAN)));
	b_check_disk(_metadata, &b, "unknown cmd_ops and ioctls");
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
	b_check_disk(_metadata, &b, "FIXED + VEC");
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

TEST_HARNESS_MAIN
