// SPDX-License-Identifier: GPL-2.0
/*
 * Copy (19h) on the char device (Documentation/passthrough.rst, "Copy"):
 * offered in ONCS, OCFS and the effects log with Identify Namespace's
 * MSSRL, MCL and MSRC; many source ranges (of one block, repeated,
 * out of order) copied to one target through the ioctl and io_uring, the
 * data read back through the char and the block device; blocks never
 * written copied as zeros over data; a target that
 * overlaps its source copied as memmove would; each limit at its value and
 * one past it (Command Size Limit Exceeded, 183h); a range or target past
 * the end (LBA Out of Range) with nothing copied; Invalid Field for a
 * descriptor format other than 0, PRINFO without PI, directives, storage
 * tags; a range list shorter than NR says (EINVAL); an unreadable source
 * block (281h) with the first range not copied in the result, and the
 * target's unreadable blocks healed; the counters (bytes read and
 * written, no command; copied_bytes: mem's bounce, none for the file's
 * copy_file_range). mem (512- and 4096-byte blocks) and file (a tmpfs
 * file) backends. Then, on disks of their own: the write cache losing an
 * unflushed Copy on a power cut and keeping a FUA one; the null backend;
 * Write Protected on a read-only disk; Invalid Opcode, and Copy not
 * offered, on a zoned disk; separate metadata moved with the data on mem
 * and file disks. With PI: pt_pi's "copy".
 *
 * Every test ends (FIXTURE_TEARDOWN_PARENT) with: no splat in the kernel
 * log, zcblk's pins balanced, /proc/vmstat's FOLL_PIN balance back.
 */
#include "pt_common.h"

#define SIZE		(64 * PT_MiB)
#define SC_SIZE_LIMIT	0x4183
#define SC_READ_ERROR	0x4281
#define SC_WRITE_PROT	0x4020
#define MSRC		128	/* ranges */
#define MSSRL		4096	/* blocks per range */
#define MCL		65536	/* blocks per command */

FIXTURE(copy) {
	struct pt_env env;
	struct pt_disk d;
	char path[64];
	int cfd, bfd;
	char *buf;		/* 2 MiB: data */
	struct pt_copy_range *r;	/* MSRC + 1 entries */
};

FIXTURE_VARIANT(copy) {
	const char *backend;
	__u32 bs;
};

FIXTURE_VARIANT_ADD(copy, mem512) { .backend = "mem", .bs = 512 };
FIXTURE_VARIANT_ADD(copy, mem4096) { .backend = "mem", .bs = 4096 };
FIXTURE_VARIANT_ADD(copy, file512) { .backend = "file", .bs = 512 };

FIXTURE_SETUP(copy)
{
	struct pt_disk_cfg cfg = {
		.backend = variant->backend, .size = SIZE, .bs = variant->bs,
	};

	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	if (!strcmp(variant->backend, "file")) {
		snprintf(self->path, sizeof(self->path),
			 "/tmp/zcblk-copy.XXXXXX");
		pt_backing_file(_metadata, self->path, SIZE, &cfg);
	}
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
	pt_open(_metadata, &self->d, &self->cfd, &self->bfd);
	self->buf = pt_map(2 * PT_MiB);
	self->r = pt_map((MSRC + 1) * sizeof(*self->r));
	ASSERT_NE(NULL, self->buf);
	ASSERT_NE(NULL, self->r);
}

FIXTURE_TEARDOWN_PARENT(copy)
{
	pt_env_teardown(_metadata, &self->env);
	if (self->path[0])
		unlink(self->path);
}

/* Reads or writes @nlb blocks at @slba from or to self->buf. */
static int rw(FIXTURE_DATA(copy) *self, __u8 op, __u64 slba, __u32 nlb)
{
	__u32 bs = self->d.bs, done = 0, max = PT_MAX_TRANSFER / bs;
	int res = 0;

	while (done < nlb && !res) {
		__u32 n = nlb - done < max ? nlb - done : max;
		struct nvme_uring_cmd c = pt_rw(op, slba + done, n,
						self->buf + (size_t)done * bs,
						n * bs);

		res = pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
		done += n;
	}
	return res;
}

/* Copy of self->r[0..nr) to @sdlba with @cdw12's flags besides NR. */
static int copy(FIXTURE_DATA(copy) *self, struct pt_q *q, __u64 sdlba,
		unsigned int nr, __u32 cdw12, __u64 *result)
{
	struct nvme_uring_cmd c = pt_copy_cmd(sdlba, self->r, nr);

	c.cdw12 |= cdw12;
	if (q)
		return pt_q_cmd(q, NVME_URING_CMD_IO, &c, -1, result);
	return pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, result);
}

static void range(FIXTURE_DATA(copy) *self, unsigned int i, __u64 slba,
		  __u32 nlb)
{
	self->r[i] = pt_copy_range(slba, nlb);
}

TEST_F(copy, offered)
{
	__u8 *id = (__u8 *)self->buf;

	struct nvme_uring_cmd c = pt_identify(0, 1, 0, id);

	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	EXPECT_EQ(0x100, pt_le16(id + PT_ID_CTRL_ONCS) & 0x100);
	EXPECT_EQ(1, pt_le16(id + 534));			/* OCFS */
	c = pt_identify(PT_NSID, 0, 0, id);
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	EXPECT_EQ(MSSRL, pt_le16(id + 74));
	EXPECT_EQ(MCL, pt_le32(id + 76));
	EXPECT_EQ(MSRC - 1, id[80]);				/* 0's based */
	c = pt_get_log(PT_NSID, 0x05, id, 4096);
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	/* IOCS 19h: supported, changes logical block content */
	EXPECT_EQ(3, pt_le32(id + 1024 + 4 * PT_OP_COPY));
}

TEST_F(copy, ranges)
{
	static const struct { __u64 slba; __u32 nlb; } src[] = {
		{ 100, 1 }, { 0, 8 }, { 37, 3 }, { 0, 8 }, { 200, 56 },
		{ 99, 2 }, { 255, 1 },
	};
	const unsigned int nr = ARRAY_SIZE(src);
	__u32 bs = self->d.bs, total = 0, i, k;
	struct zcblk_dev_stats st0, st1;
	struct pt_q q;

	ASSERT_EQ(0, pt_q_init(&q, self->cfd, 4, PT_RING_FLAGS));
	pt_fill(self->buf, bs, 0, 256, 1);
	ASSERT_EQ(0, rw(self, PT_OP_WRITE, 0, 256));
	for (i = 0; i < nr; i++) {
		range(self, i, src[i].slba, src[i].nlb);
		total += src[i].nlb;
	}
	for (k = 0; k < 2; k++) {
		__u64 dst = 1000 + k * 200, result = 7;

		ASSERT_EQ(0, pt_stats_idle(self->env.ctx, self->d.index, &st0));
		ASSERT_EQ(0, copy(self, k ? &q : NULL, dst, nr, 0, &result));
		ASSERT_EQ(0, pt_stats_idle(self->env.ctx, self->d.index, &st1));
		EXPECT_EQ(0, result);
		/* each range's bytes read and written, no command counted */
		EXPECT_EQ((__u64)total * bs, st1.write_bytes - st0.write_bytes);
		EXPECT_EQ((__u64)total * bs, st1.read_bytes - st0.read_bytes);
		EXPECT_EQ(st0.write_cmds, st1.write_cmds);
		/* mem bounces; the file's own copy_file_range does not */
		EXPECT_EQ(strcmp(variant->backend, "file") ?
			  (__u64)total * bs : 0,
			  st1.copied_bytes - st0.copied_bytes);

		/* through the char device, then the block device */
		memset(self->buf, 0, 2 * PT_MiB);
		ASSERT_EQ(0, rw(self, PT_OP_READ, dst, total + 1));
		for (i = 0, total = 0; i < nr; i++) {
			EXPECT_TRUE(pt_verify(_metadata, self->buf +
					      (size_t)total * bs, bs,
					      src[i].slba, src[i].nlb, 1,
					      k ? "uring target" :
						  "ioctl target"));
			total += src[i].nlb;
		}
		/* nothing past the target */
		EXPECT_TRUE(pt_all_bytes(self->buf + (size_t)total * bs, bs,
					 0));
		memset(self->buf, 0, 2 * PT_MiB);
		ASSERT_EQ(0, pt_blk_rw(self->bfd, false, self->buf, dst * bs,
				       (size_t)src[0].nlb * bs));
		EXPECT_TRUE(pt_verify(_metadata, self->buf, bs, src[0].slba,
				      src[0].nlb, 1, "block device"));
	}
	/* the sources are as they were */
	ASSERT_EQ(0, rw(self, PT_OP_READ, 0, 256));
	EXPECT_TRUE(pt_verify(_metadata, self->buf, bs, 0, 256, 1, "sources"));
	pt_q_exit(&q);
}

/* Targets overlapping the source, either way: as memmove. */
TEST_F(copy, overlap)
{
	__u32 bs = self->d.bs;

	pt_fill(self->buf, bs, 0, 200, 2);
	ASSERT_EQ(0, rw(self, PT_OP_WRITE, 0, 200));
	range(self, 0, 0, 150);
	ASSERT_EQ(0, copy(self, NULL, 50, 1, 0, NULL));
	ASSERT_EQ(0, rw(self, PT_OP_READ, 0, 200));
	EXPECT_TRUE(pt_verify(_metadata, self->buf, bs, 0, 50, 2, "head"));
	EXPECT_TRUE(pt_verify(_metadata, self->buf + 50 * bs, bs, 0, 150, 2,
			      "moved up"));
	range(self, 0, 50, 150);
	ASSERT_EQ(0, copy(self, NULL, 10, 1, 0, NULL));
	ASSERT_EQ(0, rw(self, PT_OP_READ, 0, 200));
	EXPECT_TRUE(pt_verify(_metadata, self->buf + 10 * bs, bs, 0, 150, 2,
			      "moved down"));
}

/* Blocks never written read as zeros: so do their copies, over data. */
TEST_F(copy, holes)
{
	__u32 bs = self->d.bs;

	pt_fill(self->buf, bs, 0, 64, 6);
	ASSERT_EQ(0, rw(self, PT_OP_WRITE, 0, 64));
	range(self, 0, 5000, 24);
	range(self, 1, 0, 8);
	ASSERT_EQ(0, copy(self, NULL, 10, 2, 0, NULL));
	ASSERT_EQ(0, rw(self, PT_OP_READ, 0, 64));
	EXPECT_TRUE(pt_verify(_metadata, self->buf, bs, 0, 10, 6, "before"));
	EXPECT_TRUE(pt_all_bytes(self->buf + 10 * bs, 24 * bs, 0));
	EXPECT_TRUE(pt_verify(_metadata, self->buf + 34 * bs, bs, 0, 8, 6,
			      "after the hole"));
	EXPECT_TRUE(pt_verify(_metadata, self->buf + 42 * bs, bs, 42, 22, 6,
			      "untouched"));
}

TEST_F(copy, limits)
{
	__u64 nlbas = self->d.nlbas;
	unsigned int i;

	/* MSRC ranges, and one more */
	for (i = 0; i <= MSRC; i++)
		range(self, i, i, 1);
	EXPECT_EQ(0, copy(self, NULL, 1000, MSRC, 0, NULL));
	EXPECT_EQ(SC_SIZE_LIMIT, copy(self, NULL, 1000, MSRC + 1, 0, NULL));
	/* MSSRL blocks in a range, and one more */
	range(self, 0, 0, MSSRL);
	EXPECT_EQ(0, copy(self, NULL, MSSRL, 1, 0, NULL));
	range(self, 0, 0, MSSRL + 1);
	EXPECT_EQ(SC_SIZE_LIMIT, copy(self, NULL, MSSRL + 1, 1, 0, NULL));
	/* MCL blocks in all, and one more: where the disk has room */
	for (i = 0; i < MCL / MSSRL; i++)
		range(self, i, 0, MSSRL);
	range(self, i, 0, 1);
	if (nlbas >= 2 * MCL)
		EXPECT_EQ(0, copy(self, NULL, MCL, MCL / MSSRL, 0, NULL));
	EXPECT_EQ(SC_SIZE_LIMIT, copy(self, NULL, 0, MCL / MSSRL + 1, 0,
				      NULL));
}

/* Past the end, anywhere in the command: nothing is copied. */
TEST_F(copy, lba_range)
{
	__u64 nlbas = self->d.nlbas;
	__u32 bs = self->d.bs;

	pt_fill(self->buf, bs, 0, 16, 3);
	ASSERT_EQ(0, rw(self, PT_OP_WRITE, 0, 16));
	range(self, 0, 0, 8);
	range(self, 1, nlbas - 1, 2);
	EXPECT_EQ(PT_SC_LBA_RANGE, copy(self, NULL, 100, 2, 0, NULL));
	range(self, 1, ~0ULL, 1);			/* wraps */
	EXPECT_EQ(PT_SC_LBA_RANGE, copy(self, NULL, 100, 2, 0, NULL));
	range(self, 1, 8, 8);
	EXPECT_EQ(PT_SC_LBA_RANGE, copy(self, NULL, nlbas - 15, 2, 0, NULL));
	EXPECT_EQ(PT_SC_LBA_RANGE, copy(self, NULL, ~0ULL - 3, 2, 0, NULL));
	ASSERT_EQ(0, rw(self, PT_OP_READ, 100, 16));
	EXPECT_TRUE(pt_all_bytes(self->buf, 16 * bs, 0));
	memset(self->buf, 0x5a, 16 * bs);
	ASSERT_EQ(0, rw(self, PT_OP_READ, nlbas - 16, 16));
	EXPECT_TRUE(pt_all_bytes(self->buf, 16 * bs, 0));
	/* at the very end: fine */
	EXPECT_EQ(0, copy(self, NULL, nlbas - 16, 2, 0, NULL));
}

TEST_F(copy, fields)
{
	static const struct {
		const char *what;
		__u32 cdw12, cdw13;
	} bad[] = {
		{ "descriptor format 1", 1U << 8, 0 },
		{ "descriptor format 2", 2U << 8, 0 },
		{ "PRINFOR without PI", 1U << 12, 0 },
		{ "PRINFOW without PI", 1U << 29, 0 },
		{ "directive type", 2U << 20, 0 },
		{ "storage tag check", 1U << 25, 0 },
		{ "directive specific", 0, 1U << 16 },
	};
	struct nvme_uring_cmd c;
	unsigned int k;
	int res;

	range(self, 0, 0, 1);
	for (k = 0; k < ARRAY_SIZE(bad); k++) {
		c = pt_copy_cmd(8, self->r, 1);
		c.cdw12 |= bad[k].cdw12;
		c.cdw13 = bad[k].cdw13;
		res = pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
		EXPECT_EQ(PT_SC_INVALID_FIELD, res) {
			TH_LOG("%s: %s", bad[k].what, pt_res_str(res));
		}
	}
	/* LR and FUA are fine */
	EXPECT_EQ(0, copy(self, NULL, 8, 1, 3U << 30, NULL));
	/* the list shorter than NR + 1 entries: the host's refusal */
	c = pt_copy_cmd(8, self->r, 2);
	c.data_len = sizeof(*self->r);
	EXPECT_EQ(-EINVAL, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c,
				       NULL));
}

TEST_F(copy, unreadable)
{
	__u32 bs = self->d.bs;
	__u64 result = 0;
	int res;

	pt_fill(self->buf, bs, 0, 32, 4);
	ASSERT_EQ(0, rw(self, PT_OP_WRITE, 0, 32));
	/* source block 20 unreadable: range 1 fails, range 0 is copied */
	res = zcblk_dev_set_bad(self->env.ctx, self->d.index, 20, 1, false);
	ASSERT_EQ(0, res) {
		TH_LOG("set bad: %s", zcblk_ctx_errmsg(self->env.ctx));
	}
	range(self, 0, 0, 4);
	range(self, 1, 16, 8);
	range(self, 2, 4, 4);
	EXPECT_EQ(SC_READ_ERROR, copy(self, NULL, 100, 3, 0, &result));
	EXPECT_EQ(1, result);
	ASSERT_EQ(0, rw(self, PT_OP_READ, 100, 4));
	EXPECT_TRUE(pt_verify(_metadata, self->buf, bs, 0, 4, 4, "range 0"));
	/* range 2, after the failed one, was not copied: its target never written */
	memset(self->buf, 0x5a, 4 * bs);
	ASSERT_EQ(0, rw(self, PT_OP_READ, 112, 4));
	EXPECT_TRUE(pt_all_bytes(self->buf, 4 * bs, 0));

	/* a copy onto unreadable blocks heals them, and only them */
	res = zcblk_dev_set_bad(self->env.ctx, self->d.index, 200, 4, false);
	ASSERT_EQ(0, res);
	range(self, 0, 0, 2);
	EXPECT_EQ(0, copy(self, NULL, 201, 1, 0, NULL));
	EXPECT_EQ(SC_READ_ERROR, rw(self, PT_OP_READ, 200, 1));
	EXPECT_EQ(0, rw(self, PT_OP_READ, 201, 2));
	EXPECT_TRUE(pt_verify(_metadata, self->buf, bs, 0, 2, 4, "healed"));
	EXPECT_EQ(SC_READ_ERROR, rw(self, PT_OP_READ, 203, 1));
}

/* Disks of their own: a write cache, null, read-only, zoned. */
TEST(copy_disks)
{
	struct pt_disk_cfg wc = {
		.size = 4 * PT_MiB, .bs = 512, .write_cache = PT_MiB,
	};
	struct pt_disk_cfg null = { .backend = "null", .size = 4 * PT_MiB,
				    .bs = 512 };
	struct pt_disk_cfg ro = { .size = 4 * PT_MiB, .bs = 512,
				  .flags = ZCBLK_DEV_F_READ_ONLY };
	struct pt_disk_cfg zoned = { .size = 64 * PT_MiB, .bs = 4096,
				     .flags = ZCBLK_DEV_F_ZONED };
	struct pt_copy_range *r = pt_map(PT_PAGE);
	char *buf = pt_map(PT_MiB);
	struct nvme_uring_cmd c;
	struct pt_disk d[4];
	struct pt_env env;
	int fd, i;

	pt_env_setup(_metadata, &env);
	if (_metadata->exit_code)
		return;
	ASSERT_NE(NULL, r);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, pt_disk_add(_metadata, &env, &wc, &d[0]));
	ASSERT_EQ(0, pt_disk_add(_metadata, &env, &null, &d[1]));
	ASSERT_EQ(0, pt_disk_add(_metadata, &env, &ro, &d[2]));
	ASSERT_EQ(0, pt_disk_add(_metadata, &env, &zoned, &d[3]));

	/* write cache: an unflushed Copy is lost on a cut, a FUA one kept */
	pt_open(_metadata, &d[0], &fd, NULL);
	pt_fill(buf, 512, 0, 16, 5);
	c = pt_rw(PT_OP_WRITE, 0, 16, buf, 16 * 512);
	ASSERT_EQ(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL));
	c = pt_rw(PT_OP_FLUSH, 0, 1, NULL, 0);
	c.cdw12 = 0;
	ASSERT_EQ(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL));
	r[0] = pt_copy_range(0, 8);
	c = pt_copy_cmd(100, r, 1);
	ASSERT_EQ(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL));
	r[0] = pt_copy_range(8, 8);
	c = pt_copy_cmd(200, r, 1);
	c.cdw12 |= 1U << 30;					/* FUA */
	ASSERT_EQ(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL));
	ASSERT_EQ(0, zcblk_dev_power(env.ctx, d[0].index,
				     ZCBLK_POWER_STATE_CUT, 0, 0));
	c = pt_copy_cmd(300, r, 1);
	EXPECT_EQ(0x0082, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL));
	ASSERT_EQ(0, zcblk_dev_power(env.ctx, d[0].index,
				     ZCBLK_POWER_STATE_ON, 0, 0));
	for (i = 0; i < 3; i++) {
		c = pt_rw(PT_OP_READ, 100 * (i + 1), 8, buf, 8 * 512);
		ASSERT_EQ(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL));
		if (i == 1) {
			EXPECT_TRUE(pt_verify(_metadata, buf, 512, 8, 8, 5,
					      "FUA copy"));
			continue;
		}
		EXPECT_TRUE(pt_all_bytes(buf, 8 * 512, 0)) {
			TH_LOG("copy %d survived the cut", i);
		}
	}
	close(fd);

	/* null: nothing to move, the checks all the same */
	pt_open(_metadata, &d[1], &fd, NULL);
	r[0] = pt_copy_range(0, 8);
	c = pt_copy_cmd(100, r, 1);
	EXPECT_EQ(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL));
	c = pt_copy_cmd(d[1].nlbas, r, 1);
	EXPECT_EQ(PT_SC_LBA_RANGE, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c,
					       NULL));
	close(fd);

	pt_open(_metadata, &d[2], &fd, NULL);
	c = pt_copy_cmd(100, r, 1);
	EXPECT_EQ(SC_WRITE_PROT, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c,
					     NULL));
	close(fd);

	/* zoned: not offered */
	pt_open(_metadata, &d[3], &fd, NULL);
	c = pt_identify(0, 1, 0, buf);
	ASSERT_EQ(0, pt_passthru(fd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	EXPECT_EQ(0, pt_le16(buf + PT_ID_CTRL_ONCS) & 0x100);
	c = pt_copy_cmd(100, r, 1);
	EXPECT_EQ(PT_SC_INVALID_OPCODE, pt_passthru(fd, NVME_IOCTL_IO64_CMD,
						    &c, NULL));
	close(fd);
	munmap(buf, PT_MiB);
	munmap(r, PT_PAGE);
	pt_env_teardown(_metadata, &env);
}

/* 16 blocks of data and metadata at @slba are @want's and @wmd's. */
static void md_holds(struct __test_metadata *_metadata, int fd, __u64 slba,
		     char *buf, char *md, const char *want, const char *wmd,
		     const char *what)
{
	struct nvme_uring_cmd c = pt_rw(PT_OP_READ, slba, 16, buf, 16 * 512);

	memset(buf, 0, 16 * 512);
	memset(md, 0, 16 * 8);
	c.metadata = (uintptr_t)md;
	c.metadata_len = 16 * 8;
	ASSERT_EQ(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL));
	EXPECT_EQ(0, memcmp(want, buf, 16 * 512)) {
		TH_LOG("%s: the data differs", what);
	}
	EXPECT_EQ(0, memcmp(wmd, md, 16 * 8)) {
		TH_LOG("%s: the metadata differs", what);
	}
}

/*
 * Separate metadata moves with the data (integrity.rst: bounced, on mem
 * and file alike): two ranges swapped to a target, then a target that
 * overlaps its source (memmove's order), data and metadata read back
 * block for block; copied_bytes counts each copy's bounce, its bytes.
 */
TEST(copy_metadata)
{
	static const char *const backends[] = { "mem", "file" };
	char *buf = pt_map(PT_MiB), *md = pt_map(PT_PAGE);
	char *want = pt_map(PT_MiB), *wmd = pt_map(PT_PAGE);
	struct pt_copy_range *r = pt_map(PT_PAGE);
	struct zcblk_dev_stats s0, st;
	struct nvme_uring_cmd c;
	struct pt_env env;
	unsigned int b, i;

	pt_env_setup(_metadata, &env);
	if (_metadata->exit_code)
		return;
	ASSERT_TRUE(buf && md && want && wmd && r);
	for (b = 0; b < 2; b++) {
		struct pt_disk_cfg cfg = {
			.backend = backends[b], .size = 4 * PT_MiB, .bs = 512,
			.metadata_size = 8,
		};
		char path[] = "/tmp/zcblk-copy-md.XXXXXX";
		struct pt_disk d;
		int fd;

		if (b)
			pt_backing_file(_metadata, path, 5 * PT_MiB, &cfg);
		ASSERT_EQ(0, pt_disk_add(_metadata, &env, &cfg, &d));
		pt_open(_metadata, &d, &fd, NULL);
		/* 16 blocks at 0, each block's metadata its LBA + 1 in bytes */
		pt_fill(buf, 512, 0, 16, 3);
		for (i = 0; i < 16 * 8; i++)
			md[i] = (char)(i / 8 + 1);
		c = pt_rw(PT_OP_WRITE, 0, 16, buf, 16 * 512);
		c.metadata = (uintptr_t)md;
		c.metadata_len = 16 * 8;
		ASSERT_EQ(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL));
		ASSERT_EQ(0, pt_stats(env.ctx, d.index, &s0));

		/* blocks 8-15 then 0-7 to 100 */
		r[0] = pt_copy_range(8, 8);
		r[1] = pt_copy_range(0, 8);
		c = pt_copy_cmd(100, r, 2);
		ASSERT_EQ(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL));
		ASSERT_EQ(0, pt_stats(env.ctx, d.index, &st));
		EXPECT_EQ(16 * 512, st.copied_bytes - s0.copied_bytes);
		memcpy(want, buf + 8 * 512, 8 * 512);
		memcpy(want + 8 * 512, buf, 8 * 512);
		memcpy(wmd, md + 64, 64);
		memcpy(wmd + 64, md, 64);
		md_holds(_metadata, fd, 100, buf, md, want, wmd, backends[b]);

		/* 100-115 to 104: overlapping, copied as memmove would */
		r[0] = pt_copy_range(100, 16);
		ASSERT_EQ(0, pt_stats(env.ctx, d.index, &s0));
		c = pt_copy_cmd(104, r, 1);
		ASSERT_EQ(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL));
		ASSERT_EQ(0, pt_stats(env.ctx, d.index, &st));
		EXPECT_EQ(16 * 512, st.copied_bytes - s0.copied_bytes);
		md_holds(_metadata, fd, 104, buf, md, want, wmd, "overlapping");
		close(fd);
		ASSERT_EQ(0, pt_disk_del(&env, d.index));
		if (b)
			unlink(path);
	}
	munmap(buf, PT_MiB);
	munmap(want, PT_MiB);
	munmap(md, PT_PAGE);
	munmap(wmd, PT_PAGE);
	munmap(r, PT_PAGE);
	pt_env_teardown(_metadata, &env);
}

TEST_HARNESS_MAIN
