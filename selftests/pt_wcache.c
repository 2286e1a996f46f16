// SPDX-License-Identifier: GPL-2.0
/*
 * The volatile write cache and power cuts (Documentation/durability.rst),
 * through the char device and the block device of a mem disk with 4096-byte
 * blocks: Identify Controller VWC, Get/Set Features 06h and their refusals;
 * a cut in each mode (drop, blocks, torn) keeps exactly what was flushed,
 * written with FUA, evicted from a full cache, or chosen by the seed, and
 * reports the writes and blocks it dropped; after the cut every I/O fails
 * (Namespace Not Ready 82h on the char device, ENODEV on the block device)
 * until power is on again; the same seed chooses the same blocks; Verify
 * with FUA flushes the cache. And a
 * disk of 512-byte blocks, whose writes keep pages or copies of blocks.
 *
 * Every test ends (FIXTURE_TEARDOWN_PARENT) with: no splat in the kernel
 * log, zcblk's pins balanced, /proc/vmstat's FOLL_PIN balance back.
 */
#include "pt_common.h"

#define BS		4096u
#define NLB		256u		/* blocks of the disk */
#define CACHE		(16 * BS)	/* bytes of write cache */
#define SC_NOT_SAVEABLE	0x410d
#define SC_NOT_CHANGEABLE 0x410e
#define SC_FIELD	0x4002
#define ADM_SET_FEAT	0x09
#define ADM_GET_FEAT	0x0a
#define FEAT_VWC	0x06
#define ID_CTRL_VWC	525

FIXTURE(wc) {
	struct pt_env env;
	struct pt_disk d;
	int cfd, bfd;
	char *buf, *want;
};

FIXTURE_SETUP(wc)
{
	struct pt_disk_cfg cfg = {
		.size = NLB * BS, .bs = BS, .write_cache = CACHE,
	};

	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
	pt_open(_metadata, &self->d, &self->cfd, &self->bfd);
	self->buf = pt_map(NLB * BS);
	self->want = pt_map(NLB * BS);
	ASSERT_NE(NULL, self->buf);
	ASSERT_NE(NULL, self->want);
}

FIXTURE_TEARDOWN_PARENT(wc)
{
	pt_env_teardown(_metadata, &self->env);
}

static int rw(int fd, __u8 op, __u64 slba, __u32 nlb, void *buf, bool fua)
{
	struct nvme_uring_cmd c = pt_rw(op, slba, nlb, buf, nlb * BS);

	if (fua)
		c.cdw12 |= 1u << 30;
	return pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL);
}

static int flush(int fd)
{
	struct nvme_uring_cmd c = { .opcode = PT_OP_FLUSH, .nsid = PT_NSID };

	return pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL);
}

static int feat(int fd, __u8 op, __u32 cdw10, __u32 cdw11, __u64 *result)
{
	struct nvme_uring_cmd c = pt_admin(op, PT_NSID, cdw10, cdw11, NULL, 0);

	return pt_passthru(fd, NVME_IOCTL_ADMIN64_CMD, &c, result);
}

/* Writes write @tag to @nlb blocks at @slba, as one command. */
static int put(FIXTURE_DATA(wc) *self, __u64 slba, __u32 nlb, __u32 tag,
	       bool fua)
{
	pt_fill(self->buf, BS, slba, nlb, tag);
	return rw(self->cfd, PT_OP_WRITE, slba, nlb, self->buf, fua);
}

/* Reads the whole disk into self->buf once power is back. */
static void power_on_and_read(struct __test_metadata *_metadata,
			      FIXTURE_DATA(wc) *self)
{
	ASSERT_EQ(0, zcblk_dev_power(self->env.ctx, self->d.index,
				     ZCBLK_POWER_STATE_ON, 0, 0)) {
		TH_LOG("power on: %s", zcblk_ctx_errmsg(self->env.ctx));
	}
	/* in commands of 512 KiB, the largest transfer */
	ASSERT_EQ(0, rw(self->cfd, PT_OP_READ, 0, NLB / 2, self->buf, false));
	ASSERT_EQ(0, rw(self->cfd, PT_OP_READ, NLB / 2, NLB / 2,
			self->buf + NLB / 2 * BS, false));
}

static void cut(struct __test_metadata *_metadata, FIXTURE_DATA(wc) *self,
		__u32 mode, __u64 seed)
{
	ASSERT_EQ(0, zcblk_dev_power(self->env.ctx, self->d.index,
				     ZCBLK_POWER_STATE_CUT, mode, seed)) {
		TH_LOG("power cut: %s", zcblk_ctx_errmsg(self->env.ctx));
	}
}

/* Which write (tag) each block holds: -1 for none of @ntags. */
static int holds(FIXTURE_DATA(wc) *self, __u64 lba, const __u32 *tags,
		 int ntags)
{
	int t;

	for (t = 0; t < ntags; t++) {
		pt_fill_block(self->want, BS, lba, tags[t]);
		if (!memcmp(self->buf + lba * BS, self->want, BS))
			return tags[t];
	}
	return -1;
}

TEST_F(wc, offered)
{
	__u64 res = 0;
	__u8 *id = pt_map(4096);
	struct nvme_uring_cmd c = pt_identify(0, 1, 0, id);

	ASSERT_NE(NULL, id);
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	EXPECT_EQ(1, id[ID_CTRL_VWC] & 1);
	munmap(id, 4096);

	ASSERT_EQ(0, feat(self->cfd, ADM_GET_FEAT, FEAT_VWC, 0, &res));
	EXPECT_EQ(1, res);
	/* SEL 3, capabilities: changeable, not saveable */
	ASSERT_EQ(0, feat(self->cfd, ADM_GET_FEAT, FEAT_VWC | 3 << 8, 0, &res));
	EXPECT_EQ(4, res);
	EXPECT_EQ(0, feat(self->cfd, ADM_SET_FEAT, FEAT_VWC, 0, NULL));
	ASSERT_EQ(0, feat(self->cfd, ADM_GET_FEAT, FEAT_VWC, 0, &res));
	EXPECT_EQ(0, res);
	/* SEL 1 and 2, default and saved (not saveable: the default): on */
	ASSERT_EQ(0, feat(self->cfd, ADM_GET_FEAT, FEAT_VWC | 1 << 8, 0, &res));
	EXPECT_EQ(1, res);
	ASSERT_EQ(0, feat(self->cfd, ADM_GET_FEAT, FEAT_VWC | 2 << 8, 0, &res));
	EXPECT_EQ(1, res);
	EXPECT_EQ(0, feat(self->cfd, ADM_SET_FEAT, FEAT_VWC, 1, NULL));
	ASSERT_EQ(0, feat(self->cfd, ADM_GET_FEAT, FEAT_VWC, 0, &res));
	EXPECT_EQ(1, res);
	/* refusals: save, reserved bits, another feature */
	EXPECT_EQ(SC_NOT_SAVEABLE,
		  feat(self->cfd, ADM_SET_FEAT, FEAT_VWC | 1u << 31, 1, NULL));
	EXPECT_EQ(SC_FIELD, feat(self->cfd, ADM_SET_FEAT, FEAT_VWC, 3, NULL));
	EXPECT_EQ(SC_FIELD, feat(self->cfd, ADM_SET_FEAT, 0x07, 0, NULL));
	/* CDW12 is reserved for this feature: nothing changes */
	c = pt_admin(ADM_SET_FEAT, PT_NSID, FEAT_VWC, 0, NULL, 0);
	c.cdw12 = 1;
	EXPECT_EQ(SC_FIELD,
		  pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	ASSERT_EQ(0, feat(self->cfd, ADM_GET_FEAT, FEAT_VWC, 0, &res));
	EXPECT_EQ(1, res);
}

/*
 * Without a cache: Volatile Write Cache is not changeable, and fua_writes
 * counts all the same, as flushes does (a file disk offers a cache without
 * --write-cache, and passthrough sends FUA to any disk); only Writes and
 * Write Zeroes that ran count.
 */
TEST(no_cache)
{
	struct pt_disk_cfg cfg = { .size = NLB * BS, .bs = BS };
	struct zcblk_dev_stats st;
	struct pt_env env;
	struct pt_disk d;
	char *buf;
	int cfd;

	pt_env_setup(_metadata, &env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &env, &cfg, &d));
	pt_open(_metadata, &d, &cfd, NULL);
	EXPECT_EQ(SC_NOT_CHANGEABLE, feat(cfd, ADM_SET_FEAT, FEAT_VWC, 1, NULL));
	buf = pt_map(2 * BS);
	ASSERT_NE(NULL, buf);
	EXPECT_EQ(0, rw(cfd, PT_OP_WRITE, 0, 2, buf, true));
	EXPECT_EQ(0, rw(cfd, PT_OP_WRITE, 2, 2, buf, false));
	EXPECT_EQ(0, rw(cfd, PT_OP_READ, 0, 2, buf, true));
	EXPECT_EQ(PT_SC_LBA_RANGE, rw(cfd, PT_OP_WRITE, NLB - 1, 2, buf, true));
	EXPECT_EQ(0, rw(cfd, PT_OP_WRITE, NLB - 2, 2, buf, true));
	{
		struct nvme_uring_cmd c = pt_rw(PT_OP_WRITE_ZEROES, 4, 2,
						NULL, 0);

		c.cdw12 |= 1u << 30;
		EXPECT_EQ(0, pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	}
	ASSERT_EQ(0, pt_stats(env.ctx, d.index, &st));
	EXPECT_EQ(3, st.fua_writes);
	EXPECT_EQ(3, st.write_cmds);
	close(cfd);
	pt_env_teardown(_metadata, &env);
}

/*
 * Drop: everything not flushed, written with FUA or evicted goes back to
 * what the last durable write left, a block overwritten twice included.
 */
TEST_F(wc, drop)
{
	static const __u32 tags[] = { 1, 2, 3, 4, 5 };
	struct zcblk_dev_stats st;
	__u64 lba;

	ASSERT_EQ(0, put(self, 0, 32, 1, false));
	ASSERT_EQ(0, flush(self->cfd));
	ASSERT_EQ(0, put(self, 0, 4, 2, false));	/* lost */
	ASSERT_EQ(0, put(self, 4, 1, 3, true));	/* FUA */
	ASSERT_EQ(0, put(self, 8, 2, 4, false));	/* lost */
	ASSERT_EQ(0, put(self, 9, 1, 5, false));	/* lost */
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(7 * BS, st.cache_dirty_bytes);
	EXPECT_EQ(1, st.fua_writes);

	cut(_metadata, self, ZCBLK_CUT_MODE_DROP, 0);
	EXPECT_EQ(PT_SC_NOT_READY, rw(self->cfd, PT_OP_READ, 0, 1, self->buf,
				   false));
	EXPECT_EQ(PT_SC_NOT_READY, put(self, 0, 1, 9, false));
	EXPECT_EQ(PT_SC_NOT_READY, flush(self->cfd));
	{
		/* no block turns unreadable while the power is off */
		struct nvme_uring_cmd c = pt_rw(0x04, 0, 1, NULL, 0);

		EXPECT_EQ(PT_SC_NOT_READY,
			  pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c,
				      NULL));
	}
	{
		/* DSM, even one of hints alone */
		struct nvme_uring_cmd c = pt_admin(PT_OP_DSM, PT_NSID, 0, 0,
						   self->buf, 16);

		memset(self->buf, 0, 16);
		EXPECT_EQ(PT_SC_NOT_READY,
			  pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c,
				      NULL));
	}
	EXPECT_EQ(-ENODEV, pt_blk_rw(self->bfd, false, self->buf, 0, BS));
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	/* blocks of lost writes: LBA 9 twice, as two writes lost it */
	EXPECT_EQ(3, st.cut_lost_writes);
	EXPECT_EQ(7, st.cut_lost_blocks);
	EXPECT_EQ(0, st.cache_dirty_bytes);

	power_on_and_read(_metadata, self);
	for (lba = 0; lba < 32; lba++) {
		EXPECT_EQ(lba == 4 ? 3 : 1, holds(self, lba, tags, 5)) {
			TH_LOG("LBA %llu", (unsigned long long)lba);
		}
	}
	EXPECT_TRUE(pt_all_bytes(self->buf + 32 * BS, (NLB - 32) * BS, 0));
	/* and the block device sees the same */
	ASSERT_EQ(0, pt_blk_rw(self->bfd, false, self->buf, 0, BS));
	EXPECT_TRUE(pt_verify(_metadata, self->buf, BS, 0, 1, 1, "blk"));
}

/*
 * FUA writes after a cached one each leave a marker in the cache's log,
 * which the cache's size does not bound: the FUA write that finds 1 024
 * of them makes everything durable (durability.rst). Up to that, the
 * cached write is still lost at a cut; with it, it survives.
 */
TEST_F(wc, fua_markers_bounded)
{
	static const __u32 tags[] = { 1, 2, 3 };
	struct zcblk_dev_stats st;
	int round, i;

	for (round = 0; round < 2; round++) {
		int nfua = round ? 1025 : 1024;

		ASSERT_EQ(0, put(self, 0, 1, 1, false));
		ASSERT_EQ(0, flush(self->cfd));
		ASSERT_EQ(0, put(self, 0, 1, 2, false));	/* cached */
		for (i = 0; i < nfua; i++)
			ASSERT_EQ(0, put(self, 8, 1, 3, true));
		ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
		EXPECT_EQ(round ? 0 : BS, st.cache_dirty_bytes);
		cut(_metadata, self, ZCBLK_CUT_MODE_DROP, 0);
		ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
		EXPECT_EQ(round ? 0 : 1, st.cut_lost_writes);
		power_on_and_read(_metadata, self);
		EXPECT_EQ(round ? 2 : 1, holds(self, 0, tags, 3)) {
			TH_LOG("%d FUA writes", nfua);
		}
		EXPECT_EQ(3, holds(self, 8, tags, 3));
	}
}

/*
 * A cached write over an unreadable block (Write Uncorrectable) is durable
 * at once: the cut keeps it, and the block reads its data, where losing
 * the write would have to make the block unreadable again. The same
 * write's neighbour, cached, is lost.
 */
TEST_F(wc, rewrite_of_bad_block_durable)
{
	static const __u32 tags[] = { 1, 2, 3 };
	struct nvme_uring_cmd c = pt_rw(0x04, 12, 1, NULL, 0);
	struct zcblk_dev_stats st;

	ASSERT_EQ(0, put(self, 0, 32, 1, false));
	ASSERT_EQ(0, flush(self->cfd));
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	EXPECT_EQ(0x4281, rw(self->cfd, PT_OP_READ, 12, 1, self->buf, false));
	ASSERT_EQ(0, put(self, 12, 1, 2, false));	/* over the bad one */
	ASSERT_EQ(0, put(self, 13, 1, 3, false));	/* cached */
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(BS, st.cache_dirty_bytes);
	cut(_metadata, self, ZCBLK_CUT_MODE_DROP, 0);
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(1, st.cut_lost_writes);
	power_on_and_read(_metadata, self);
	EXPECT_EQ(2, holds(self, 12, tags, 3));
	EXPECT_EQ(1, holds(self, 13, tags, 3));
}

/* A cache of 16 blocks keeps the newest 16 single-block writes. */
TEST_F(wc, eviction)
{
	static const __u32 tags[] = { 1, 2 };
	struct zcblk_dev_stats st;
	__u64 lba;

	for (lba = 0; lba < 40; lba++)
		ASSERT_EQ(0, put(self, lba, 1, 2, false));
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(CACHE, st.cache_dirty_bytes);
	cut(_metadata, self, ZCBLK_CUT_MODE_DROP, 0);
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(16, st.cut_lost_writes);
	EXPECT_EQ(16, st.cut_lost_blocks);
	power_on_and_read(_metadata, self);
	for (lba = 0; lba < 24; lba++)
		EXPECT_EQ(2, holds(self, lba, tags, 2));
	EXPECT_TRUE(pt_all_bytes(self->buf + 24 * BS, (NLB - 24) * BS, 0));
	/* larger than the cache: written through */
	ASSERT_EQ(0, put(self, 64, 17, 1, false));
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(0, st.cache_dirty_bytes);
}

/* WCE 0: write-through, nothing to lose; the block device's write too. */
TEST_F(wc, write_through)
{
	struct zcblk_dev_stats st;

	ASSERT_EQ(0, put(self, 0, 2, 1, false));
	EXPECT_EQ(0, feat(self->cfd, ADM_SET_FEAT, FEAT_VWC, 0, NULL));
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(0, st.cache_dirty_bytes);	/* turning it off flushes */
	ASSERT_EQ(0, put(self, 2, 2, 1, false));
	cut(_metadata, self, ZCBLK_CUT_MODE_DROP, 0);
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(0, st.cut_lost_writes);
	power_on_and_read(_metadata, self);
	EXPECT_TRUE(pt_verify(_metadata, self->buf, BS, 0, 4, 1, "through"));

	/* block device: O_DIRECT without fdatasync is lost, with it kept */
	EXPECT_EQ(0, feat(self->cfd, ADM_SET_FEAT, FEAT_VWC, 1, NULL));
	pt_fill(self->buf, BS, 10, 1, 7);
	ASSERT_EQ(0, pt_blk_rw(self->bfd, true, self->buf, 10 * BS, BS));
	ASSERT_EQ(0, fdatasync(self->bfd));
	pt_fill(self->buf, BS, 11, 1, 7);
	ASSERT_EQ(0, pt_blk_rw(self->bfd, true, self->buf, 11 * BS, BS));
	cut(_metadata, self, ZCBLK_CUT_MODE_DROP, 0);
	power_on_and_read(_metadata, self);
	EXPECT_TRUE(pt_verify(_metadata, self->buf + 10 * BS, BS, 10, 1, 7,
			      "fdatasync'd"));
	EXPECT_TRUE(pt_all_bytes(self->buf + 11 * BS, BS, 0));
}

/*
 * Blocks: each block of each unflushed write survives or not, as the seed
 * says; the count of blocks put back is the one reported, the same seed
 * on the same writes chooses the same blocks, and another seed others.
 */
TEST_F(wc, blocks_seeded)
{
	static const __u32 tags[] = { 1, 2 };
	char first[16];
	struct zcblk_dev_stats st;
	int round, lba, lost, kept, differ = 0;

	/* seed 42 twice: the same blocks; then seed 7: others */
	for (round = 0; round < 3; round++) {
		ASSERT_EQ(0, put(self, 0, 16, 1, false));
		ASSERT_EQ(0, flush(self->cfd));
		ASSERT_EQ(0, put(self, 0, 8, 2, false));
		ASSERT_EQ(0, put(self, 8, 8, 2, false));
		cut(_metadata, self, ZCBLK_CUT_MODE_BLOCKS, round < 2 ? 42 : 7);
		ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
		power_on_and_read(_metadata, self);
		lost = kept = 0;
		for (lba = 0; lba < 16; lba++) {
			int t = holds(self, lba, tags, 2);

			ASSERT_NE(-1, t) {
				TH_LOG("LBA %d holds neither write", lba);
			}
			lost += t == 1;
			kept += t == 2;
			if (!round) {
				first[lba] = t;
			} else if (round == 2) {
				differ += first[lba] != t;
			} else {
				EXPECT_EQ(first[lba], t) {
					TH_LOG("seed 42 chose differently at LBA %d",
					       lba);
				}
			}
		}
		EXPECT_EQ(lost, st.cut_lost_blocks);
		/* a write counts as lost if any of its blocks is */
		EXPECT_GE(2, st.cut_lost_writes);
		TH_LOG("round %d: %d blocks kept, %d lost", round, kept, lost);
	}
	/* 16 fair coins: both outcomes all but certain (1 in 32 768 not) */
	EXPECT_NE(0, kept);
	EXPECT_NE(0, lost);
	/* the seed chooses (the same 16 coins again: 1 in 65 536) */
	EXPECT_NE(0, differ) {
		TH_LOG("seeds 42 and 7 kept the same blocks");
	}
}

/* Torn: of each write a prefix survives, the rest goes back. */
TEST_F(wc, torn)
{
	static const __u32 tags[] = { 1, 2 };
	struct zcblk_dev_stats st;
	__u64 seed, lost_total = 0;
	int lba, prefix;

	for (seed = 1; seed <= 4; seed++) {
		ASSERT_EQ(0, put(self, 0, 16, 1, false));
		ASSERT_EQ(0, flush(self->cfd));
		ASSERT_EQ(0, put(self, 0, 16, 2, false));
		cut(_metadata, self, ZCBLK_CUT_MODE_TORN, seed);
		ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
		power_on_and_read(_metadata, self);
		for (prefix = 0; prefix < 16; prefix++)
			if (holds(self, prefix, tags, 2) != 2)
				break;
		for (lba = prefix; lba < 16; lba++) {
			EXPECT_EQ(1, holds(self, lba, tags, 2)) {
				TH_LOG("seed %llu: LBA %d after the %d-block prefix",
				       (unsigned long long)seed, lba, prefix);
			}
		}
		EXPECT_EQ(16 - prefix, st.cut_lost_blocks);
		EXPECT_EQ(prefix < 16, st.cut_lost_writes);
		lost_total += st.cut_lost_blocks;
		TH_LOG("seed %llu: %d of 16 blocks survived",
		       (unsigned long long)seed, prefix);
	}
	EXPECT_NE(0, lost_total);
}

/* Power on twice, cut twice: no-ops; a cut of a clean cache loses none. */
TEST_F(wc, idempotent)
{
	struct zcblk_dev_stats st;

	ASSERT_EQ(0, zcblk_dev_power(self->env.ctx, self->d.index,
				     ZCBLK_POWER_STATE_ON, 0, 0));
	ASSERT_EQ(0, put(self, 0, 1, 1, false));
	ASSERT_EQ(0, flush(self->cfd));
	cut(_metadata, self, ZCBLK_CUT_MODE_DROP, 0);
	cut(_metadata, self, ZCBLK_CUT_MODE_DROP, 0);
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(0, st.cut_lost_writes);
	EXPECT_GE(st.flushes, 1);
	power_on_and_read(_metadata, self);
	EXPECT_TRUE(pt_verify(_metadata, self->buf, BS, 0, 1, 1, "flushed"));
}

/*
 * A cached write, then a FUA write over part of it, then a cut in each
 * mode: the FUA write's blocks keep its data (the older write's
 * pre-image must not go back over them); the rest of the older write is
 * lost as the mode says, and what it lost reads as before it.
 */
TEST_F(wc, fua_over_cached)
{
	static const __u32 tags[] = { 1, 2, 3 };
	static const __u32 modes[] = {
		ZCBLK_CUT_MODE_DROP, ZCBLK_CUT_MODE_BLOCKS, ZCBLK_CUT_MODE_TORN,
	};
	struct zcblk_dev_stats st;
	unsigned int m;
	__u64 lba;

	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		ASSERT_EQ(0, put(self, 0, 8, 1, false));
		ASSERT_EQ(0, flush(self->cfd));
		ASSERT_EQ(0, put(self, 0, 8, 2, false));	/* cached */
		ASSERT_EQ(0, put(self, 2, 3, 3, true));	/* FUA, inside it */
		cut(_metadata, self, modes[m], 7 + m);
		ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
		EXPECT_GE(1, st.cut_lost_writes);
		EXPECT_GE(5, st.cut_lost_blocks);
		power_on_and_read(_metadata, self);
		for (lba = 0; lba < 8; lba++) {
			int got = holds(self, lba, tags, 3);

			if (lba >= 2 && lba < 5) {
				EXPECT_EQ(3, got) {
					TH_LOG("mode %u: LBA %llu holds %d, not the FUA write",
					       modes[m], lba, got);
				}
			} else if (modes[m] == ZCBLK_CUT_MODE_DROP) {
				EXPECT_EQ(1, got);
			} else {
				EXPECT_TRUE(got == 1 || got == 2) {
					TH_LOG("mode %u: LBA %llu holds %d",
					       modes[m], lba, got);
				}
			}
		}
		if (modes[m] == ZCBLK_CUT_MODE_DROP) {
			EXPECT_EQ(1, st.cut_lost_writes);
			EXPECT_EQ(5, st.cut_lost_blocks);
		}
	}
}

/*
 * Verify with FUA flushes the cache before it checks (NVMe 2.0 Verify,
 * CDW12 bit 30): what was cached then survives a cut, what came after it
 * does not. Once the power is off, Verify fails as every I/O does.
 */
TEST_F(wc, verify_fua)
{
	static const __u32 tags[] = { 1, 2, 3 };
	struct zcblk_dev_stats st;
	struct nvme_uring_cmd v = pt_rw(PT_OP_VERIFY, 2, 1, NULL, 0);
	__u64 lba, flushes;

	v.cdw12 |= 1u << 30;
	ASSERT_EQ(0, put(self, 0, 8, 1, false));
	ASSERT_EQ(0, flush(self->cfd));
	ASSERT_EQ(0, put(self, 0, 4, 2, false));	/* cached, then flushed */
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(4 * BS, st.cache_dirty_bytes);
	flushes = st.flushes;
	/* of one block, LBA 2: the cache is flushed whole, as a Flush does */
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &v, NULL));
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(0, st.cache_dirty_bytes);
	EXPECT_EQ(flushes + 1, st.flushes);
	ASSERT_EQ(0, put(self, 4, 4, 3, false));	/* cached, lost */
	/* without FUA, Verify leaves the cache alone */
	v.cdw12 &= ~(1u << 30);
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &v, NULL));
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(4 * BS, st.cache_dirty_bytes);

	cut(_metadata, self, ZCBLK_CUT_MODE_DROP, 0);
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(1, st.cut_lost_writes);
	EXPECT_EQ(4, st.cut_lost_blocks);
	EXPECT_EQ(PT_SC_NOT_READY,
		  pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &v, NULL));
	v.cdw12 |= 1u << 30;
	EXPECT_EQ(PT_SC_NOT_READY,
		  pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &v, NULL));
	power_on_and_read(_metadata, self);
	for (lba = 0; lba < 8; lba++) {
		EXPECT_EQ(lba < 4 ? 2 : 1, holds(self, lba, tags, 3)) {
			TH_LOG("LBA %llu", (unsigned long long)lba);
		}
	}
}

/*
 * io_uring: a batch of writes, a Flush, another batch with every third
 * write FUA, the cut: the first batch and the FUA writes survive, the
 * others are lost and counted.
 */
TEST_F(wc, uring)
{
	static const __u32 tags[] = { 1, 2 };
	struct zcblk_dev_stats st;
	int i, batch, res, nfua = 0;
	struct pt_q q;
	__u64 lba;

	ASSERT_EQ(0, pt_q_init(&q, self->cfd, 16,
			       IORING_SETUP_SQE128 | IORING_SETUP_CQE32));
	for (batch = 0; batch < 2; batch++) {
		for (i = 0; i < 8; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&q.ring);
			__u64 slba = batch * 8 + i;
			struct nvme_uring_cmd c;

			pt_fill(self->buf + slba * BS, BS, slba, 1, 2);
			c = pt_rw(PT_OP_WRITE, slba, 1, self->buf + slba * BS,
				  BS);
			if (batch && i % 3 == 0) {
				c.cdw12 |= 1u << 30;
				nfua++;
			}
			ASSERT_NE(NULL, sqe);
			pt_q_prep(&q, sqe, NVME_URING_CMD_IO, &c, -1, slba);
		}
		ASSERT_EQ(8, io_uring_submit(&q.ring));
		for (i = 0; i < 8; i++) {
			res = pt_q_reap(&q, NULL, NULL);
			ASSERT_EQ(0, res) {
				TH_LOG("write: %s", pt_res_str(res));
			}
		}
		if (!batch) {
			struct nvme_uring_cmd c = {
				.opcode = PT_OP_FLUSH, .nsid = PT_NSID,
			};

			ASSERT_EQ(0, pt_q_cmd(&q, NVME_URING_CMD_IO, &c, -1,
					      NULL));
		}
	}
	pt_q_exit(&q);
	cut(_metadata, self, ZCBLK_CUT_MODE_DROP, 0);
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(8 - nfua, st.cut_lost_writes);
	EXPECT_EQ(8 - nfua, st.cut_lost_blocks);
	EXPECT_EQ(nfua, st.fua_writes);
	power_on_and_read(_metadata, self);
	for (lba = 0; lba < 16; lba++) {
		bool kept = lba < 8 || (lba - 8) % 3 == 0;

		if (kept) {
			EXPECT_EQ(2, holds(self, lba, tags, 2));
		} else {
			EXPECT_TRUE(pt_all_bytes(self->buf + lba * BS, BS, 0));
		}
	}
}

/*
 * 512-byte blocks: a write of whole pages keeps the store's pages it
 * replaces, any other write a copy of its blocks (wcache.c). One log of
 * both kinds, cut in drop mode and in torn mode, puts back every block as
 * the newest surviving write left it: a hole as zeros, a block in the
 * middle of a kept page as it was.
 */
#define SBS		512u
#define SNLB		64u

static int put512(int fd, char *buf, __u64 slba, __u32 nlb, __u32 tag)
{
	struct nvme_uring_cmd c = pt_rw(PT_OP_WRITE, slba, nlb, buf, nlb * SBS);

	pt_fill(buf, SBS, slba, nlb, tag);
	return pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL);
}

/* Power on, then which tag block @lba holds: 0 for zeros, -1 for other */
static int holds512(const char *disk, __u64 lba, __u32 tag1, __u32 tag2)
{
	char want[SBS];

	if (pt_all_bytes(disk + lba * SBS, SBS, 0))
		return 0;
	pt_fill_block(want, SBS, lba, tag1);
	if (!memcmp(disk + lba * SBS, want, SBS))
		return tag1;
	pt_fill_block(want, SBS, lba, tag2);
	if (!memcmp(disk + lba * SBS, want, SBS))
		return tag2;
	return -1;
}

static void read_all512(struct __test_metadata *_metadata,
			struct pt_env *env, struct pt_disk *d, int cfd,
			char *disk)
{
	struct nvme_uring_cmd c = pt_rw(PT_OP_READ, 0, SNLB, disk,
					SNLB * SBS);

	ASSERT_EQ(0, zcblk_dev_power(env->ctx, d->index,
				     ZCBLK_POWER_STATE_ON, 0, 0));
	ASSERT_EQ(0, pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
}

TEST(mixed_pre_images)
{
	struct pt_disk_cfg cfg = {
		.size = SNLB * SBS, .bs = SBS, .write_cache = SNLB * SBS,
	};
	struct zcblk_dev_stats st;
	__u64 lba, seed, lost_total = 0;
	struct pt_env env;
	struct pt_disk d;
	char *buf, *disk;
	int cfd, p1, p2;

	pt_env_setup(_metadata, &env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &env, &cfg, &d));
	pt_open(_metadata, &d, &cfd, NULL);
	buf = pt_map(SNLB * SBS);
	disk = pt_map(SNLB * SBS);
	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, disk);

	ASSERT_EQ(0, put512(cfd, buf, 0, 16, 1));	/* two pages */
	ASSERT_EQ(0, flush(cfd));
	ASSERT_EQ(0, put512(cfd, buf, 3, 1, 2));	/* a copy */
	ASSERT_EQ(0, put512(cfd, buf, 0, 8, 3));	/* a page */
	ASSERT_EQ(0, put512(cfd, buf, 9, 2, 4));	/* a copy */
	ASSERT_EQ(0, put512(cfd, buf, 16, 8, 5));	/* a page, a hole */
	ASSERT_EQ(0, pt_stats(env.ctx, d.index, &st));
	EXPECT_EQ(19 * SBS, st.cache_dirty_bytes);
	ASSERT_EQ(0, zcblk_dev_power(env.ctx, d.index, ZCBLK_POWER_STATE_CUT,
				     ZCBLK_CUT_MODE_DROP, 0));
	ASSERT_EQ(0, pt_stats(env.ctx, d.index, &st));
	EXPECT_EQ(4, st.cut_lost_writes);
	EXPECT_EQ(19, st.cut_lost_blocks);
	read_all512(_metadata, &env, &d, cfd, disk);
	for (lba = 0; lba < SNLB; lba++) {
		EXPECT_EQ(lba < 16 ? 1 : 0, holds512(disk, lba, 1, 2)) {
			TH_LOG("drop: LBA %llu", (unsigned long long)lba);
		}
	}

	/* Torn: a prefix of each write's blocks, kept pages and copies */
	for (seed = 1; seed <= 4; seed++) {
		ASSERT_EQ(0, put512(cfd, buf, 0, 16, 1));
		ASSERT_EQ(0, put512(cfd, buf, 17, 9, 1));
		ASSERT_EQ(0, flush(cfd));
		ASSERT_EQ(0, put512(cfd, buf, 0, 16, 2));	/* pages */
		ASSERT_EQ(0, put512(cfd, buf, 17, 9, 2));	/* a copy */
		ASSERT_EQ(0, zcblk_dev_power(env.ctx, d.index,
					     ZCBLK_POWER_STATE_CUT,
					     ZCBLK_CUT_MODE_TORN, seed));
		ASSERT_EQ(0, pt_stats(env.ctx, d.index, &st));
		read_all512(_metadata, &env, &d, cfd, disk);
		for (p1 = 0; p1 < 16 && holds512(disk, p1, 1, 2) == 2; p1++)
			;
		for (p2 = 0; p2 < 9 && holds512(disk, 17 + p2, 1, 2) == 2;
		     p2++)
			;
		for (lba = p1; lba < 16; lba++) {
			EXPECT_EQ(1, holds512(disk, lba, 1, 2)) {
				TH_LOG("seed %llu: LBA %llu after %d",
				       (unsigned long long)seed,
				       (unsigned long long)lba, p1);
			}
		}
		for (lba = 17 + p2; lba < 26; lba++) {
			EXPECT_EQ(1, holds512(disk, lba, 1, 2)) {
				TH_LOG("seed %llu: LBA %llu after 17 + %d",
				       (unsigned long long)seed,
				       (unsigned long long)lba, p2);
			}
		}
		EXPECT_EQ(0, holds512(disk, 16, 1, 2));
		EXPECT_EQ(16 - p1 + 9 - p2, st.cut_lost_blocks);
		EXPECT_EQ((p1 < 16) + (p2 < 9), st.cut_lost_writes);
		lost_total += st.cut_lost_blocks;
	}
	EXPECT_NE(0, lost_total);
	close(cfd);
	pt_env_teardown(_metadata, &env);
}

TEST_HARNESS_MAIN
