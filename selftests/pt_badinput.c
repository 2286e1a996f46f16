// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input on the passthrough char device, the data a command moves:
 * one test per kind of bad command, each checking the exact errno that
 * Documentation/passthrough.rst ("Errors") specifies, through io_uring
 * uring_cmd AND the ioctls wherever both can express the command.
 * Lengths shorter than the command or above the maximum transfer, iovec
 * sums and counts, NULL, unmapped, read-only and kernel buffers,
 * registered-buffer indexes and ranges, unreadable iovec arrays. (How a
 * command is framed: pt_badcmd.c; the NVMe statuses: pt_badstatus.c.)
 *
 * A valid control command next to the bad ones shows that it is the bad
 * field that fails. The fixture, what every test ends with, and the check
 * that a refused command changed no data on the disk: pt_bad.h.
 * Variants: mem disks with 512- and 4096-byte blocks.
 */
#include "pt_bad.h"

/*
 * Row: data_len below the command's bytes ((nlb + 1) << lba_shift,
 * Identify's 4096, Get Log Page's NUMD, DSM's 16 a range) -> -EINVAL.
 * Longer is fine (nvme-cli rounds -z up): the controls here, what the
 * device then moves in pt_longbuf.c.
 */
TEST_F(bad, data_len_short)
{
	const __u32 bs = self->d.bs, nb = 4, want = nb * bs;
	const __u32 lens[] = { want - 1, want - bs, 0, bs, 1 };
	const __u32 longer[] = { want + 1, want + bs, 2 * want };
	static const __u8 ops[] = { PT_OP_READ, PT_OP_WRITE, PT_OP_COMPARE };
	struct nvme_uring_cmd c;
	char what[80];
	struct b b;
	size_t i, k;

	b_init(_metadata, &b, &self->d);
	memset(b.buf, 0, 2 * want);
	for (k = 0; k < ARRAY_SIZE(ops); k++) {
		for (i = 0; i < ARRAY_SIZE(lens); i++) {
			snprintf(what, sizeof(what),
				 "opcode 0x%x, %u blocks, data_len %u", ops[k],
				 nb, lens[i]);
			c = pt_rw(ops[k], 8, nb, b.buf, lens[i]);
			expect_io(_metadata, &b, &c, false, -EINVAL, what);
		}
		/* controls: exactly the command's bytes, and more */
		c = pt_rw(ops[k], 8, nb, b.buf, want);
		expect_io(_metadata, &b, &c, false, 0, "control");
		for (i = 0; i < ARRAY_SIZE(longer); i++) {
			snprintf(what, sizeof(what),
				 "opcode 0x%x, %u blocks, data_len %u (control)",
				 ops[k], nb, longer[i]);
			c = pt_rw(ops[k], 8, nb, b.buf, longer[i]);
			expect_io(_metadata, &b, &c, false, 0, what);
		}
	}
	/* Identify is 4096 bytes, Get Log Page (NUMD + 1) * 4 */
	c = pt_identify(PT_NSID, 0, 0, b.buf);
	c.data_len = 4095;
	expect_admin(_metadata, &b, &c, -EINVAL, "Identify, data_len 4095");
	c.data_len = 8192;
	expect_admin(_metadata, &b, &c, 0, "Identify, data_len 8192 (control)");
	c = pt_get_log(PT_NSID, 2, b.buf, 512);
	c.data_len = 508;
	expect_admin(_metadata, &b, &c, -EINVAL, "SMART log, data_len 508");
	c.data_len = 4096;
	expect_admin(_metadata, &b, &c, 0, "SMART log, data_len 4096 (control)");
	/* Flush and Write Zeroes move no data: a buffer given is ignored */
	c = (struct nvme_uring_cmd){ .opcode = PT_OP_FLUSH, .nsid = PT_NSID,
				     .addr = (uintptr_t)b.buf,
				     .data_len = bs };
	expect_io(_metadata, &b, &c, false, 0, "Flush with data (control)");
	c = pt_rw(PT_OP_WRITE_ZEROES, 8, 1, b.buf, bs);
	expect_io(_metadata, &b, &c, false, 0,
		  "Write Zeroes with data (control)");
	/* DSM: (NR + 1) * 16 bytes; ranges on guarded LBAs */
	c = pt_admin(PT_OP_DSM, PT_NSID, 1, PT_DSM_AD, b.buf, 16);
	memset(b.buf, 0, 64);
	((struct pt_dsm_range *)b.buf)[0].nlb = 2;
	((struct pt_dsm_range *)b.buf)[1] =
		(struct pt_dsm_range){ .nlb = 4, .slba = 8 };
	expect_io(_metadata, &b, &c, false, -EINVAL, "DSM, 2 ranges, 16 bytes");
	c.data_len = 31;
	expect_io(_metadata, &b, &c, false, -EINVAL, "DSM, 2 ranges, 31 bytes");
	c.data_len = 64;
	expect_io(_metadata, &b, &c, false, 0,
		  "DSM, 2 ranges, 64 bytes (control)");
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
	/*
	 * A buffer above the maximum whatever the command needs: longer
	 * than the command is fine, longer than any command is not.
	 */
	c = pt_rw(PT_OP_READ, 0, 1, b.buf, PT_MAX_TRANSFER + 1);
	expect_io(_metadata, &b, &c, false, -EINVAL,
		  "Read of 1 block, data_len 512 KiB + 1");
	c = pt_rw(PT_OP_WRITE, 0, 1, b.buf, PT_MiB);
	expect_io(_metadata, &b, &c, false, -EINVAL,
		  "Write of 1 block, data_len 1 MiB");
	spread_iov(iov, 4, b.buf, PT_MAX_TRANSFER + 1);
	c = pt_rw_vec(PT_OP_READ, 0, 1, iov, 4);
	expect_io(_metadata, &b, &c, true, -EINVAL,
		  "vectored Read of 1 block, iovecs of 512 KiB + 1");
	c = (struct nvme_uring_cmd){ .opcode = PT_OP_FLUSH, .nsid = PT_NSID,
				     .addr = (uintptr_t)b.buf,
				     .data_len = PT_MiB };
	expect_io(_metadata, &b, &c, false, -EINVAL, "Flush, data_len 1 MiB");
	c = pt_rw(PT_OP_WRITE_ZEROES, 0, 1, b.buf, PT_MAX_TRANSFER + 1);
	expect_io(_metadata, &b, &c, false, -EINVAL,
		  "Write Zeroes, data_len 512 KiB + 1");
	c = pt_admin(PT_OP_DSM, PT_NSID, 0, PT_DSM_AD, b.buf, PT_MiB);
	*(struct pt_dsm_range *)b.buf = (struct pt_dsm_range){ .nlb = 4 };
	expect_io(_metadata, &b, &c, false, -EINVAL, "DSM, data_len 1 MiB");
	c = pt_identify(PT_NSID, 0, 0, b.buf);
	c.data_len = PT_MAX_TRANSFER + 1;
	expect_admin(_metadata, &b, &c, -EINVAL,
		     "Identify, data_len 512 KiB + 1");

	/* control: exactly the maximum */
	c = pt_rw(PT_OP_READ, 0, nb_max, b.buf, PT_MAX_TRANSFER);
	expect_io(_metadata, &b, &c, false, 0, "Read of 512 KiB (control)");
	spread_iov(iov, 4, b.buf, PT_MAX_TRANSFER);
	c = pt_rw_vec(PT_OP_READ, 0, nb_max, iov, 4);
	expect_io(_metadata, &b, &c, true, 0,
		  "vectored Read of 512 KiB (control)");
	expect_submit_io(_metadata, &b, PT_OP_READ, 0, nb_max, b.buf, 0,
			 "Read of 512 KiB (control)");
	c = pt_rw(PT_OP_READ, 0, 1, b.buf, PT_MAX_TRANSFER);
	expect_io(_metadata, &b, &c, false, 0,
		  "Read of 1 block, data_len 512 KiB (control)");
	c = pt_identify(PT_NSID, 0, 0, b.buf);
	c.data_len = PT_MAX_TRANSFER;
	expect_admin(_metadata, &b, &c, 0,
		     "Identify, data_len 512 KiB (control)");
	b_fini(&b);
}

/*
 * Row: vectored, the iovecs' sum below the expected bytes -> -EINVAL
 * (a longer sum is fine: the controls).
 */
TEST_F(bad, vec_sum_short)
{
	const __u32 bs = self->d.bs, nb = 4, want = nb * bs;
	struct nvme_uring_cmd c;
	struct iovec iov[8];
	struct b b;

	b_init(_metadata, &b, &self->d);
	spread_iov(iov, 3, b.buf, want - 1);
	c = pt_rw_vec(PT_OP_READ, 0, nb, iov, 3);
	expect_io(_metadata, &b, &c, true, -EINVAL, "sum - 1");
	c = pt_rw_vec(PT_OP_WRITE, 0, nb, iov, 3);
	expect_io(_metadata, &b, &c, true, -EINVAL, "Write, sum - 1");
	spread_iov(iov, 8, b.buf, want - bs);
	c = pt_rw_vec(PT_OP_COMPARE, 0, nb, iov, 8);
	expect_io(_metadata, &b, &c, true, -EINVAL, "Compare, sum - 1 block");
	spread_iov(iov, 3, b.buf, want + 1);
	c = pt_rw_vec(PT_OP_WRITE, 0, nb, iov, 3);
	expect_io(_metadata, &b, &c, true, 0, "sum + 1 (control)");
	spread_iov(iov, 8, b.buf, want + bs);
	c = pt_rw_vec(PT_OP_READ, 0, nb, iov, 8);
	expect_io(_metadata, &b, &c, true, 0, "sum + 1 block (control)");
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
	 * 32 bits, and far above the maximum transfer in any width.
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
	/* A buffer Flush or Write Zeroes would ignore must still be one */
	c = (struct nvme_uring_cmd){ .opcode = PT_OP_FLUSH, .nsid = PT_NSID,
				     .data_len = bs };
	expect_io(_metadata, &b, &c, false, -EINVAL, "Flush, NULL addr");
	c = pt_rw(PT_OP_WRITE_ZEROES, 0, 1, NULL, bs);
	expect_io(_metadata, &b, &c, false, -EINVAL, "Write Zeroes, NULL addr");
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
	b_check_disk(_metadata, &b, "Write, buf_index 3 of 2");
	/* controls */
	EXPECT_EQ(0, pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, 0, NULL));
	b_fill_disk(_metadata, &b);
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
	b_check_disk(_metadata, &b,
		     "Write, registered buffer 1 byte short at its end");
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

/*
 * Row: unmapped buffer -> -EFAULT (and what was pinned is unpinned); the
 * disk keeps its data (expect_io checks), a Read leaves the mapped part
 * of a half-unmapped buffer alone.
 */
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
	EXPECT_TRUE(pt_all_bytes(half, PT_PAGE, 1)) {
		TH_LOG("Read into a half-unmapped buffer: its mapped page changed");
	}
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

TEST_HARNESS_MAIN
