// SPDX-License-Identifier: GPL-2.0
/*
 * libzcblk's media-error API: unreadable blocks (info version 5) with
 * zcblk_dev_set_bad() and zcblk_dev_bad_list(), and zcblk_dev_corrupt()'s
 * arguments (pt_pi.c has what the protection information checks make of
 * a corruption).  Split from lib_api_ctl.c, the rest of the control API.
 *
 * The tests need root and zcblk.ko loaded (they skip if the module is
 * not).
 */
#include "lib_api.h"

/* ---------------------------------------------------- unreadable blocks */

/*
 * zcblk_dev_set_bad() and zcblk_dev_bad_list() on a mem disk of 4096
 * blocks of 4 KiB: 10+4 marked is one range, in @bad_count and the list,
 * nothing written past the ranges returned; clearing 11 splits it; @max
 * and a NULL @count or @out; a version-4 @out gets no @bad_count.  42
 * separate ranges: @bad_count 42, the first 32 listed, in LBA order.
 * Refusals, each changing nothing: past the end -ERANGE, @nlb 0 or 65537
 * -ERANGE (the policy's range in the message), an unknown flag and a
 * NULL @out with @max -EINVAL (the library), -ENODEV without the disk,
 * -EINVAL without a context.  The whole disk marked is one range of 4096
 * blocks; cleared, none.
 */
TEST_F(api, bad_blocks)
{
	struct zcblk_dev_info out = { .size = sizeof(out) }, v4;
	struct zcblk_bad_range r[ZCBLK_BAD_RANGES_MAX + 1];
	const int nr = sizeof(r) / sizeof(r[0]);
	struct zcblk_ctx *ctx = self->env.ctx;
	struct zcblk_dev_params p = { .size = sizeof(p) };
	__u32 count, i;
	size_t j;
	int ret;

	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE | ZCBLK_PARAM_INDEX |
		ZCBLK_PARAM_BLOCK_SIZE;
	strcpy(p.backend, "mem");
	p.disk_size = 16 * MiB;
	p.block_size = 4096;
	p.index = BAD_INDEX;
	api_add(_metadata, &self->env, &p, &out, "");
	EXPECT_EQ(0, out.bad_count);
	count = 99;
	EXPECT_EQ(0, zcblk_dev_bad_list(ctx, p.index, r, nr, &count));
	EXPECT_EQ(0, count);

	ret = zcblk_dev_set_bad(ctx, p.index, 10, 4, 0);
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_dev_set_bad 10+4: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(ctx));
	}
	ASSERT_EQ(0, zcblk_dev_get(ctx, p.index, &out));
	EXPECT_EQ(1, out.bad_count);
	memset(r, 0x5a, sizeof(r));
	ASSERT_EQ(1, zcblk_dev_bad_list(ctx, p.index, r, nr, &count));
	EXPECT_EQ(1, count);
	EXPECT_EQ(10, r[0].lba);
	EXPECT_EQ(4, r[0].nlb);
	EXPECT_EQ(0x5a5a5a5a5a5a5a5aULL, r[1].lba);

	ASSERT_EQ(0, zcblk_dev_set_bad(ctx, p.index, 11, 1, ZCBLK_BAD_CLEAR));
	ASSERT_EQ(2, zcblk_dev_bad_list(ctx, p.index, r, nr, &count));
	EXPECT_EQ(2, count);
	EXPECT_EQ(10, r[0].lba);
	EXPECT_EQ(1, r[0].nlb);
	EXPECT_EQ(12, r[1].lba);
	EXPECT_EQ(2, r[1].nlb);
	/* Clearing what is not marked: no change. */
	EXPECT_EQ(0, zcblk_dev_set_bad(ctx, p.index, 11, 1, ZCBLK_BAD_CLEAR));
	memset(r, 0x5a, sizeof(r));
	EXPECT_EQ(1, zcblk_dev_bad_list(ctx, p.index, r, 1, NULL));
	EXPECT_EQ(10, r[0].lba);
	EXPECT_EQ(0x5a5a5a5a5a5a5a5aULL, r[1].lba);
	count = 0;
	EXPECT_EQ(0, zcblk_dev_bad_list(ctx, p.index, NULL, 0, &count));
	EXPECT_EQ(2, count);

	fill_info(&v4, 0x5a);
	v4.size = ZCBLK_DEV_INFO_SIZE_VER4;
	ASSERT_EQ(0, zcblk_dev_get(ctx, p.index, &v4));
	EXPECT_EQ(ZCBLK_DEV_INFO_SIZE_VER4, v4.size);
	for (j = ZCBLK_DEV_INFO_SIZE_VER4; j < sizeof(v4); j++) {
		ASSERT_EQ(0x5a, ((unsigned char *)&v4)[j]) {
			TH_LOG("byte %zu of a version-4 info written", j);
		}
	}

	/* Every other block from 100: 40 more ranges, 32 of 42 listed. */
	for (i = 0; i < 40; i++) {
		ret = zcblk_dev_set_bad(ctx, p.index, 100 + 2 * i, 1, 0);
		ASSERT_EQ(0, ret) {
			TH_LOG("zcblk_dev_set_bad %u: %s: %s", 100 + 2 * i,
			       strerror(-ret), zcblk_ctx_errmsg(ctx));
		}
	}
	ASSERT_EQ(ZCBLK_BAD_RANGES_MAX,
		  zcblk_dev_bad_list(ctx, p.index, r, nr, &count));
	EXPECT_EQ(42, count);
	EXPECT_EQ(10, r[0].lba);
	EXPECT_EQ(12, r[1].lba);
	for (i = 2; i < ZCBLK_BAD_RANGES_MAX; i++) {
		EXPECT_EQ(100 + 2 * (i - 2), r[i].lba);
		EXPECT_EQ(1, r[i].nlb);
	}
	ASSERT_EQ(0, zcblk_dev_get(ctx, p.index, &out));
	EXPECT_EQ(42, out.bad_count);

	EXPECT_EQ(-ERANGE, zcblk_dev_set_bad(ctx, p.index, 4096, 1, 0));
	EXPECT_STREQ("bad-lba: past the end of the disk", zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-ERANGE, zcblk_dev_set_bad(ctx, p.index, 4095, 2, 0));
	EXPECT_EQ(-ERANGE, zcblk_dev_set_bad(ctx, p.index, 0, 0, 0));
	EXPECT_STREQ("bad-nlb: integer out of range (valid: 1..65536)",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-ERANGE, zcblk_dev_set_bad(ctx, p.index, 0, 65537, 0));
	EXPECT_EQ(-EINVAL, zcblk_dev_set_bad(ctx, p.index, 0, 1, 2));
	EXPECT_STREQ("flags: unknown bits", zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-EINVAL, zcblk_dev_bad_list(ctx, p.index, NULL, 1, &count));
	EXPECT_EQ(-ENODEV, zcblk_dev_set_bad(ctx, p.index + 1, 0, 1, 0));
	EXPECT_EQ(-ENODEV, zcblk_dev_bad_list(ctx, p.index + 1, r, nr, &count));
	EXPECT_EQ(-EINVAL, zcblk_dev_set_bad(NULL, p.index, 0, 1, 0));
	EXPECT_EQ(-EINVAL, zcblk_dev_bad_list(NULL, p.index, r, nr, &count));
	ASSERT_EQ(0, zcblk_dev_get(ctx, p.index, &out));
	EXPECT_EQ(42, out.bad_count);

	/* The whole disk: one range. */
	ASSERT_EQ(0, zcblk_dev_set_bad(ctx, p.index, 0, 4096, 0));
	ASSERT_EQ(1, zcblk_dev_bad_list(ctx, p.index, r, nr, &count));
	EXPECT_EQ(1, count);
	EXPECT_EQ(0, r[0].lba);
	EXPECT_EQ(4096, r[0].nlb);
	ASSERT_EQ(0, zcblk_dev_set_bad(ctx, p.index, 0, 4096, ZCBLK_BAD_CLEAR));
	EXPECT_EQ(0, zcblk_dev_bad_list(ctx, p.index, r, nr, &count));
	EXPECT_EQ(0, count);
	ASSERT_EQ(0, pt_disk_del(&self->env, p.index));
}

/* ---------------------------------------------------- silent corruption */

/*
 * Reads blocks 0 to 3 and 4095 of a disk of 4 KiB blocks, @fd its block
 * device opened O_DIRECT, into @buf (5 blocks): 0 or -1.
 */
static int corrupt_read(int fd, unsigned char *buf)
{
	if (pread(fd, buf, 4 * 4096, 0) != 4 * 4096 ||
	    pread(fd, buf + 4 * 4096, 4096, 4095 * 4096) != 4096)
		return -1;
	return 0;
}

/*
 * zcblk_dev_corrupt() on a mem disk of 4096 blocks of 4 KiB without
 * metadata, its blocks 0 to 3 written with zeros: block 0 with @what 0
 * (the kernel's default) and blocks 2 and 3 with %ZCBLK_CORRUPT_DATA
 * read back through the block device with their first byte 0xff, every
 * other byte 0; block 0 corrupted again is 0 again.  Refusals, each
 * changing no byte: %ZCBLK_CORRUPT_METADATA and the three protection
 * information kinds -EOPNOTSUPP "corrupt: the disk has no metadata", past
 * the end -ERANGE with the kernel's message, @nlb 0 or 65537 and @what
 * %ZCBLK_CORRUPT_MAX + 1 -ERANGE (the policy's range in the message),
 * -ENODEV without the disk, -EINVAL without a context.  A mem disk with
 * 8 bytes of metadata and no protection information: its metadata
 * corrupted, the protection information kinds -EOPNOTSUPP "corrupt: the
 * disk has no protection information"; a null disk: -EOPNOTSUPP
 * "corrupt-lba: the backend stores no data".
 */
TEST_F(api, corrupt)
{
	static const __u32 md_kinds[] = {
		ZCBLK_CORRUPT_METADATA, ZCBLK_CORRUPT_GUARD,
		ZCBLK_CORRUPT_APP_TAG, ZCBLK_CORRUPT_REF_TAG,
	};
	const size_t len = 5 * 4096;
	struct zcblk_dev_info out = { .size = sizeof(out) };
	struct zcblk_ctx *ctx = self->env.ctx;
	struct zcblk_dev_params p = { .size = sizeof(p) };
	struct pt_disk_cfg md_cfg = {
		.size = 16 * MiB, .bs = 512, .metadata_size = 8,
	};
	struct pt_disk_cfg null_cfg = {
		.backend = "null", .size = 16 * MiB, .bs = 4096,
	};
	struct pt_disk md, null;
	unsigned char *buf;
	char blk[64];
	size_t i, k;
	int fd, ret;

	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE | ZCBLK_PARAM_INDEX |
		ZCBLK_PARAM_BLOCK_SIZE;
	strcpy(p.backend, "mem");
	p.disk_size = 16 * MiB;
	p.block_size = 4096;
	p.index = CORRUPT_INDEX;
	api_add(_metadata, &self->env, &p, &out, "");
	snprintf(blk, sizeof(blk), "/dev/%s", out.disk_name);
	ASSERT_EQ(0, pt_wait_node(blk)) {
		TH_LOG("%s never appeared", blk);
	}
	fd = open(blk, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, fd) {
		TH_LOG("open %s: %s", blk, strerror(errno));
	}
	buf = pt_map(len);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ((ssize_t)(4 * 4096), pwrite(fd, buf, 4 * 4096, 0)) {
		TH_LOG("write of blocks 0 to 3: %s", strerror(errno));
	}

	ret = zcblk_dev_corrupt(ctx, p.index, 0, 1, 0);
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_dev_corrupt 0: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(ctx));
	}
	ret = zcblk_dev_corrupt(ctx, p.index, 2, 2, ZCBLK_CORRUPT_DATA);
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_dev_corrupt 2+2: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(ctx));
	}

	/* Refused, all of them: no byte changes. */
	for (k = 0; k < sizeof(md_kinds) / sizeof(md_kinds[0]); k++) {
		EXPECT_EQ(-EOPNOTSUPP,
			  zcblk_dev_corrupt(ctx, p.index, 1, 1, md_kinds[k]));
		EXPECT_STREQ("corrupt: the disk has no metadata",
			     zcblk_ctx_errmsg(ctx));
	}
	EXPECT_EQ(-ERANGE, zcblk_dev_corrupt(ctx, p.index, 4096, 1, 0));
	EXPECT_STREQ("corrupt-lba: past the end of the disk",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-ERANGE, zcblk_dev_corrupt(ctx, p.index, 4095, 2, 0));
	EXPECT_STREQ("corrupt-lba: past the end of the disk",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-ERANGE, zcblk_dev_corrupt(ctx, p.index, 1, 0, 0));
	EXPECT_STREQ("corrupt-nlb: integer out of range (valid: 1..65536)",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-ERANGE, zcblk_dev_corrupt(ctx, p.index, 1, 65537, 0));
	EXPECT_EQ(-ERANGE, zcblk_dev_corrupt(ctx, p.index, 1, 1,
					     ZCBLK_CORRUPT_MAX + 1));
	EXPECT_STREQ("corrupt: integer out of range (valid: 1..5)",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-ENODEV, zcblk_dev_corrupt(ctx, p.index + 1, 0, 1, 0));
	EXPECT_EQ(-EINVAL, zcblk_dev_corrupt(NULL, p.index, 0, 1, 0));

	memset(buf, 0x5a, len);
	ASSERT_EQ(0, corrupt_read(fd, buf)) {
		TH_LOG("read of %s: %s", blk, strerror(errno));
	}
	for (i = 0; i < len; i++) {
		size_t b = i / 4096;	/* 4: block 4095 */
		/* 0xff: the first byte of blocks 0, 2 and 3. */
		unsigned char want = i % 4096 || b == 1 || b == 4 ? 0 : 0xff;

		ASSERT_EQ(want, buf[i]) {
			TH_LOG("byte %zu of block %zu read back", i % 4096,
			       b == 4 ? (size_t)4095 : b);
		}
	}
	/* Inverted again: as written. */
	ASSERT_EQ(0, zcblk_dev_corrupt(ctx, p.index, 0, 1, ZCBLK_CORRUPT_DATA));
	ASSERT_EQ(0, corrupt_read(fd, buf));
	EXPECT_EQ(0, buf[0]);
	EXPECT_EQ(0xff, buf[2 * 4096]);
	munmap(buf, len);
	close(fd);
	ASSERT_EQ(0, pt_disk_del(&self->env, p.index));

	/* Metadata without protection information. */
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &md_cfg, &md));
	ret = zcblk_dev_corrupt(ctx, md.index, 0, 8, ZCBLK_CORRUPT_METADATA);
	EXPECT_EQ(0, ret) {
		TH_LOG("zcblk_dev_corrupt metadata: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(ctx));
	}
	for (k = 1; k < sizeof(md_kinds) / sizeof(md_kinds[0]); k++) {
		EXPECT_EQ(-EOPNOTSUPP,
			  zcblk_dev_corrupt(ctx, md.index, 0, 1, md_kinds[k]));
		EXPECT_STREQ("corrupt: the disk has no protection information",
			     zcblk_ctx_errmsg(ctx));
	}
	ASSERT_EQ(0, pt_disk_del(&self->env, md.index));

	/* The null backend stores nothing to corrupt. */
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &null_cfg, &null));
	EXPECT_EQ(-EOPNOTSUPP, zcblk_dev_corrupt(ctx, null.index, 0, 1, 0));
	EXPECT_STREQ("corrupt-lba: the backend stores no data",
		     zcblk_ctx_errmsg(ctx));
	ASSERT_EQ(0, pt_disk_del(&self->env, null.index));
}

TEST_HARNESS_MAIN
