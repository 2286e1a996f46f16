// SPDX-License-Identifier: GPL-2.0
/*
 * Unreadable blocks (Documentation/durability.rst): Write Uncorrectable
 * (04h) on the char device, offered in ONCS and the effects log, makes its
 * blocks fail reads, compares and Verify (0Ch, offered too, through the
 * ioctl and io_uring) with Unrecovered Read Error (281h) and
 * the block device's reads with ENODATA, the blocks around them still
 * readable; a write, Write Zeroes or deallocation of a block makes it
 * readable again, and only that block; the command's own refusals (LBA
 * Out of Range, Invalid Field, Namespace Is Write Protected, Invalid
 * Opcode on a zoned disk), and Verify's (LBA Out of Range, Invalid Field
 * for STC and for PRINFO without PI); the table's 128 MiB, a range that
 * does not fit refused whole. 512- and 4096-byte blocks.
 *
 * Every test ends (FIXTURE_TEARDOWN_PARENT) with: no splat in the kernel
 * log, zcblk's pins balanced, /proc/vmstat's FOLL_PIN balance back.
 */
#include "pt_common.h"

#define OP_WRITE_UNCOR	0x04
#define SC_READ_ERROR	0x4281
#define SC_WRITE_PROT	0x4020
#define SC_CAP_EXCEEDED	0x4081
#define ID_CTRL_ONCS	520

FIXTURE(media) {
	struct pt_env env;
	struct pt_disk d;
};

FIXTURE_VARIANT(media) {
	__u32 bs;
};

FIXTURE_VARIANT_ADD(media, bs512) { .bs = 512 };
FIXTURE_VARIANT_ADD(media, bs4096) { .bs = 4096 };

FIXTURE_SETUP(media)
{
	struct pt_disk_cfg cfg = { .size = 16 * PT_MiB, .bs = variant->bs };

	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
}

FIXTURE_TEARDOWN_PARENT(media)
{
	pt_env_teardown(_metadata, &self->env);
}

static int uncor(int fd, __u64 slba, __u32 nlb)
{
	struct nvme_uring_cmd c = pt_rw(OP_WRITE_UNCOR, slba, nlb, NULL, 0);

	return pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL);
}

/* Verify, no data: through the ioctl, or io_uring (@q) if not NULL. */
static int verify(int fd, struct pt_q *q, __u64 slba, __u32 nlb)
{
	struct nvme_uring_cmd c = pt_rw(PT_OP_VERIFY, slba, nlb, NULL, 0);

	if (q)
		return pt_q_cmd(q, NVME_URING_CMD_IO, &c, -1, NULL);
	return pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL);
}

static int rw(int fd, __u8 op, __u64 slba, __u32 nlb, void *buf, __u32 bs)
{
	struct nvme_uring_cmd c = pt_rw(op, slba, nlb, buf, nlb * bs);

	return pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL);
}

TEST_F(media, offered)
{
	struct nvme_uring_cmd c;
	int cfd, bfd;
	__u8 *id;

	pt_open(_metadata, &self->d, &cfd, &bfd);
	id = pt_map(4096);
	ASSERT_NE(NULL, id);
	c = pt_identify(0, 1, 0, id);
	ASSERT_EQ(0, pt_passthru(cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	EXPECT_EQ(2, pt_le16(id + ID_CTRL_ONCS) & 2);
	EXPECT_EQ(0x80, pt_le16(id + ID_CTRL_ONCS) & 0x80);	/* Verify */
	c = pt_get_log(PT_NSID, 0x05, id, 4096);
	ASSERT_EQ(0, pt_passthru(cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	/* IOCS 04h: supported, changes logical block content */
	EXPECT_EQ(3, pt_le32(id + 1024 + 4 * OP_WRITE_UNCOR));
	/* IOCS 0Ch: supported, changes nothing */
	EXPECT_EQ(1, pt_le32(id + 1024 + 4 * PT_OP_VERIFY));
	munmap(id, 4096);
	close(bfd);
	close(cfd);
}

TEST_F(media, uncorrectable)
{
	__u32 bs = variant->bs;
	char *buf, *want;
	int cfd, bfd, res;
	__u32 i;

	pt_open(_metadata, &self->d, &cfd, &bfd);
	buf = pt_map(PT_MiB);
	want = pt_map(PT_MiB);
	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, want);
	pt_fill(want, bs, 0, 32, 7);
	ASSERT_EQ(0, rw(cfd, PT_OP_WRITE, 0, 32, want, bs));

	/* blocks 10..13 unreadable */
	ASSERT_EQ(0, uncor(cfd, 10, 4));
	for (i = 8; i < 16; i++) {
		res = rw(cfd, PT_OP_READ, i, 1, buf, bs);
		EXPECT_EQ(i >= 10 && i < 14 ? SC_READ_ERROR : 0, res) {
			TH_LOG("read of block %u: %s", i, pt_res_str(res));
		}
		res = pt_blk_rw(bfd, false, buf, (__u64)i * bs, bs);
		EXPECT_EQ(i >= 10 && i < 14 ? -ENODATA : 0, res) {
			TH_LOG("block device read of block %u: %s", i,
			       strerror(-res));
		}
	}
	/* a read that only touches one, and compare */
	EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_READ, 0, 11, buf, bs));
	EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_COMPARE, 13, 2, want + 13 * bs,
				    bs));
	EXPECT_EQ(0, rw(cfd, PT_OP_COMPARE, 14, 2, want + 14 * bs, bs));
	/* Verify: the same, through both paths, no data */
	{
		struct pt_q q;

		ASSERT_EQ(0, pt_q_init(&q, cfd, 4, PT_RING_FLAGS));
		for (i = 0; i < 2; i++) {
			struct pt_q *qp = i ? &q : NULL;

			EXPECT_EQ(SC_READ_ERROR, verify(cfd, qp, 0, 11));
			EXPECT_EQ(SC_READ_ERROR, verify(cfd, qp, 13, 2));
			EXPECT_EQ(0, verify(cfd, qp, 0, 10));
			EXPECT_EQ(0, verify(cfd, qp, 14, 18));
		}
		pt_q_exit(&q);
	}

	/* a write makes its block readable, the others stay unreadable */
	ASSERT_EQ(0, rw(cfd, PT_OP_WRITE, 11, 1, want + 11 * bs, bs));
	EXPECT_EQ(0, rw(cfd, PT_OP_READ, 11, 1, buf, bs));
	EXPECT_EQ(0, memcmp(buf, want + 11 * bs, bs));
	EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_READ, 10, 1, buf, bs));
	EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_READ, 12, 1, buf, bs));
	EXPECT_EQ(0, verify(cfd, NULL, 11, 1));
	EXPECT_EQ(SC_READ_ERROR, verify(cfd, NULL, 11, 2));
	/* so does Write Zeroes (10), the block device (12) and DSM (13) */
	{
		struct nvme_uring_cmd c = pt_rw(PT_OP_WRITE_ZEROES, 10, 1,
						NULL, 0);

		ASSERT_EQ(0, pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	}
	EXPECT_EQ(0, rw(cfd, PT_OP_READ, 10, 1, buf, bs));
	EXPECT_TRUE(pt_all_bytes(buf, bs, 0));
	EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_READ, 12, 1, buf, bs));
	EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_READ, 13, 1, buf, bs));
	ASSERT_EQ(0, pt_blk_rw(bfd, true, want + 12 * bs, 12ULL * bs, bs));
	EXPECT_EQ(0, rw(cfd, PT_OP_READ, 12, 1, buf, bs));
	EXPECT_EQ(0, memcmp(buf, want + 12 * bs, bs));
	EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_READ, 13, 1, buf, bs));
	/* 14 listed beside 13 (one range): the DSM of 13 leaves it listed */
	ASSERT_EQ(0, uncor(cfd, 14, 1));
	{
		struct nvme_uring_cmd c = pt_rw(PT_OP_DSM, 0, 1, buf, 16);

		memset(buf, 0, 16);
		*(__u32 *)(buf + 4) = 1;
		*(__u64 *)(buf + 8) = 13;
		c.cdw10 = 0;
		c.cdw11 = PT_DSM_AD;
		c.cdw12 = 0;
		ASSERT_EQ(0, pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	}
	EXPECT_EQ(0, rw(cfd, PT_OP_READ, 13, 1, buf, bs));
	EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_READ, 14, 1, buf, bs));
	ASSERT_EQ(0, rw(cfd, PT_OP_WRITE, 14, 1, want + 14 * bs, bs));
	EXPECT_EQ(0, rw(cfd, PT_OP_READ, 8, 8, buf, bs));
	munmap(buf, PT_MiB);
	munmap(want, PT_MiB);
	close(bfd);
	close(cfd);
}

TEST_F(media, refusals)
{
	struct zcblk_dev_info out = { .size = sizeof(out) };
	struct zcblk_dev_params p = { .size = sizeof(p) };
	struct nvme_uring_cmd c;
	int cfd;

	pt_open(_metadata, &self->d, &cfd, NULL);
	EXPECT_EQ(PT_SC_LBA_RANGE, uncor(cfd, self->d.nlbas - 1, 2));
	c = pt_rw(OP_WRITE_UNCOR, 0, 1, NULL, 0);
	c.cdw13 = 1;
	EXPECT_EQ(PT_SC_INVALID_FIELD,
		  pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	c = pt_rw(OP_WRITE_UNCOR, 0, 1, NULL, 0);
	c.cdw12 |= 1U << 30;	/* FUA: not a field it has */
	EXPECT_EQ(PT_SC_INVALID_FIELD,
		  pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	EXPECT_EQ(PT_SC_LBA_RANGE, verify(cfd, NULL, self->d.nlbas - 1, 2));
	EXPECT_EQ(0, verify(cfd, NULL, self->d.nlbas - 1, 1));
	c = pt_rw(PT_OP_VERIFY, 0, 1, NULL, 0);
	c.cdw12 |= 1U << 24;	/* STC: no storage tags */
	EXPECT_EQ(PT_SC_INVALID_FIELD,
		  pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	c = pt_rw(PT_OP_VERIFY, 0, 1, NULL, 0);
	c.cdw12 |= 1U << 28;	/* PRCHK without PI */
	EXPECT_EQ(PT_SC_INVALID_FIELD,
		  pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	c = pt_rw(PT_OP_VERIFY, 0, 1, NULL, 0);
	c.cdw12 |= 1U << 30 | 1U << 31;	/* FUA, LR: taken */
	EXPECT_EQ(0, pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	close(cfd);

	/* read-only and zoned disks */
	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE | ZCBLK_PARAM_FLAGS;
	strcpy(p.backend, "mem");
	p.disk_size = 64 * PT_MiB;
	p.flags = ZCBLK_DEV_F_READ_ONLY;
	ASSERT_EQ(0, zcblk_dev_add(self->env.ctx, &p, &out));
	self->env.idx[self->env.n++] = out.index;
	{
		struct pt_disk d = { .index = out.index };

		snprintf(d.chr, sizeof(d.chr), "/dev/%s", out.char_name);
		pt_open(_metadata, &d, &cfd, NULL);
		EXPECT_EQ(SC_WRITE_PROT, uncor(cfd, 0, 1));
		close(cfd);
	}
	p.flags = ZCBLK_DEV_F_ZONED;
	ASSERT_EQ(0, zcblk_dev_add(self->env.ctx, &p, &out));
	self->env.idx[self->env.n++] = out.index;
	{
		struct pt_disk d = { .index = out.index };

		snprintf(d.chr, sizeof(d.chr), "/dev/%s", out.char_name);
		pt_open(_metadata, &d, &cfd, NULL);
		EXPECT_EQ(PT_SC_INVALID_OPCODE, uncor(cfd, 0, 1));
		close(cfd);
	}
}

/*
 * The table holds 512 ranges (the kernel's bad block table, a page): the
 * 513th separate one is Capacity Exceeded (81h), nothing added; a write
 * that takes one off makes room again.
 */
TEST_F(media, table_full)
{
	__u32 bs = variant->bs, i;
	int cfd, res;
	char *buf;

	pt_open(_metadata, &self->d, &cfd, NULL);
	buf = pt_map(bs);
	ASSERT_NE(NULL, buf);
	/* every other block: no two ranges merge */
	for (i = 0; i < 512; i++) {
		res = uncor(cfd, 2 * i, 1);
		ASSERT_EQ(0, res) {
			TH_LOG("range %u: %s", i, pt_res_str(res));
		}
	}
	EXPECT_EQ(SC_CAP_EXCEEDED, uncor(cfd, 2000, 1));
	EXPECT_EQ(0, rw(cfd, PT_OP_READ, 2000, 1, buf, bs));
	/*
	 * Extending the last range in place needs no new entry (block 1
	 * would merge two ranges into one and so make room): still full.
	 */
	EXPECT_EQ(0, uncor(cfd, 1023, 1));
	EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_READ, 1023, 1, buf, bs));
	EXPECT_EQ(SC_CAP_EXCEEDED, uncor(cfd, 2000, 1));
	/* a write clears block 100 (a whole range): room for one more */
	EXPECT_EQ(0, rw(cfd, PT_OP_WRITE, 100, 1, buf, bs));
	EXPECT_EQ(0, uncor(cfd, 2000, 1));
	EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_READ, 2000, 1, buf, bs));
	munmap(buf, bs);
	close(cfd);
}

/*
 * A write inside a listed range takes the middle out of it, which needs a
 * second entry: with the table full (and, as on 6.12, with one entry
 * free) it fails with Write Fault (280h), nothing written, the blocks as
 * unreadable as before, and DEV_SET's clear of the block with ENOSPC;
 * with two free it goes through and only the written block reads again.
 */
TEST_F(media, full_table_split)
{
	__u32 bs = variant->bs, i;
	int cfd, res;
	char *buf;

	pt_open(_metadata, &self->d, &cfd, NULL);
	buf = pt_map(3 * bs);
	ASSERT_NE(NULL, buf);
	memset(buf, 0x3c, 3 * bs);
	ASSERT_EQ(0, uncor(cfd, 1000, 3));		/* one range */
	for (i = 0; i < 511; i++) {			/* 511 others */
		res = uncor(cfd, 2000 + 2 * i, 1);
		ASSERT_EQ(0, res) {
			TH_LOG("range %u: %s", i, pt_res_str(res));
		}
	}
	EXPECT_EQ(0x4280, rw(cfd, PT_OP_WRITE, 1001, 1, buf, bs));
	EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_READ, 1001, 1, buf, bs));
	/* the control plane's clear alike: refused, nothing cleared */
	EXPECT_EQ(-ENOSPC, zcblk_dev_set_bad(self->env.ctx, self->d.index,
					     1001, 1, ZCBLK_BAD_CLEAR));
	EXPECT_NE(NULL, strstr(zcblk_ctx_errmsg(self->env.ctx),
			       "clearing inside a range would split it")) {
		TH_LOG("message: %s", zcblk_ctx_errmsg(self->env.ctx));
	}
	EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_READ, 1001, 1, buf, bs));
	/* one entry free */
	ASSERT_EQ(0, rw(cfd, PT_OP_WRITE, 2000, 1, buf, bs));
	EXPECT_EQ(0x4280, rw(cfd, PT_OP_WRITE, 1001, 1, buf, bs));
	/* two free: the write goes through, its neighbours stay listed */
	ASSERT_EQ(0, rw(cfd, PT_OP_WRITE, 2002, 1, buf, bs));
	ASSERT_EQ(0, rw(cfd, PT_OP_WRITE, 1001, 1, buf, bs));
	memset(buf, 0, bs);
	EXPECT_EQ(0, rw(cfd, PT_OP_READ, 1001, 1, buf, bs));
	EXPECT_TRUE(pt_all_bytes(buf, bs, 0x3c));
	EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_READ, 1000, 1, buf, bs));
	EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_READ, 1002, 1, buf, bs));
	munmap(buf, 3 * bs);
	close(cfd);
}

/*
 * The table's 512 entries hold up to 256 KiB each: 128 MiB in all, in
 * ranges of any size. A range that does not fit is refused whole, nothing
 * listed (the kernel's table would keep its first part, and on 6.12 call
 * that success); ranges that just fit are listed whole.
 */
TEST_F(media, large_ranges)
{
	struct pt_disk_cfg cfg = { .size = 512 * PT_MiB, .bs = variant->bs };
	__u32 bs = variant->bs, cap = 128 * PT_MiB / bs, lba, count = 0;
	struct zcblk_ctx *ctx = self->env.ctx;
	struct zcblk_bad_range r[2] = {};
	char *buf = pt_map(bs);
	struct pt_disk d;
	int cfd, res;

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &d));
	pt_open(_metadata, &d, &cfd, NULL);

	/* The largest Write Uncorrectable: 65536 blocks, 32 or 256 MiB */
	res = uncor(cfd, 0, 65536);
	if (65536 > cap) {
		EXPECT_EQ(SC_CAP_EXCEEDED, res) {
			TH_LOG("256 MiB marked: %s", pt_res_str(res));
		}
		EXPECT_EQ(0, rw(cfd, PT_OP_READ, 0, 1, buf, bs));
		EXPECT_EQ(0, rw(cfd, PT_OP_READ, cap - 1, 1, buf, bs));
		EXPECT_LE(0, zcblk_dev_bad_list(ctx, d.index, r, 2, &count));
		EXPECT_EQ(0, count);
	} else {
		EXPECT_EQ(0, res);
		EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_READ, 65535, 1, buf, bs));
		EXPECT_EQ(0, rw(cfd, PT_OP_READ, 65536, 1, buf, bs));
	}

	/* 128 MiB from the control plane, 65536 blocks at most a change */
	for (lba = 0; lba < cap; lba += 65536) {
		__u32 n = cap - lba < 65536 ? cap - lba : 65536;

		ASSERT_EQ(0, zcblk_dev_set_bad(ctx, d.index, lba, n, 0)) {
			TH_LOG("bad %u+%u: %s", lba, n, zcblk_ctx_errmsg(ctx));
		}
	}
	EXPECT_LE(0, zcblk_dev_bad_list(ctx, d.index, r, 2, &count));
	ASSERT_EQ(1, count);
	EXPECT_EQ(0, r[0].lba);
	EXPECT_EQ(cap, r[0].nlb);
	EXPECT_EQ(SC_READ_ERROR, rw(cfd, PT_OP_READ, cap - 1, 1, buf, bs));

	/* Full: one block more is refused, from either side */
	EXPECT_EQ(-ENOSPC, zcblk_dev_set_bad(ctx, d.index, cap + 8, 1, 0));
	EXPECT_NE(NULL, strstr(zcblk_ctx_errmsg(ctx), "table is full"));
	EXPECT_EQ(SC_CAP_EXCEEDED, uncor(cfd, cap + 8, 1));
	EXPECT_EQ(0, rw(cfd, PT_OP_READ, cap + 8, 1, buf, bs));
	/* what is listed already needs no room */
	EXPECT_EQ(0, uncor(cfd, 100, 8));
	EXPECT_EQ(0, zcblk_dev_set_bad(ctx, d.index, 8, 1000, 0));
	EXPECT_LE(0, zcblk_dev_bad_list(ctx, d.index, r, 2, &count));
	EXPECT_EQ(1, count);
	EXPECT_EQ(cap, r[0].nlb);

	munmap(buf, bs);
	close(cfd);
	EXPECT_EQ(0, pt_disk_del(&self->env, d.index));
}

TEST_HARNESS_MAIN
