/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What netlink_dev.c and netlink_dev_args.c share: a libzcblk context per
 * test, the disks a test made (removed by the fixture's teardown, which
 * also runs when an assertion fails), and checks of a disk's block and
 * char device nodes and sysfs against what DEV_GET says.
 *
 * The teardowns are FIXTURE_TEARDOWN_PARENT: in the harness of Linux 6.12,
 * a plain FIXTURE_TEARDOWN is skipped after a failed ASSERT when built
 * with -O2 (the wrapper's "child" variable is clobbered by the longjmp()
 * out of the assertion, so the test process takes the parent's path).
 * The fixture data is shared memory then, and the teardown opens its own
 * netlink context.
 */
#ifndef ZCBLK_SELFTEST_NL_DEV_H
#define ZCBLK_SELFTEST_NL_DEV_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "zcblk.h"

/* The Linux 6.1 harness has no such thing: its teardown runs in the test. */
#ifndef FIXTURE_TEARDOWN_PARENT
#define FIXTURE_TEARDOWN_PARENT FIXTURE_TEARDOWN
#endif

#define MiB		(1ULL << 20)
#define NOBODY		65534
/* Owner and group for the char device node tests: need not exist. */
#define NODE_UID	1000
#define NODE_GID	4242
#define MAX_TRACKED	8
/* Indexes for the tests that pick one: well away from the ones handed out. */
#define TEST_INDEX	4242
#define UNUSED_INDEX	65000
/* The DEV_ADD attributes of the first version of this test. */
#define BASE_PARAMS	((1ULL << 10) - 1)
/* The kernel's defaults for what DEV_ADD leaves out. */
#define DEFAULT_TIMEOUT_MS	30000
#define NVME_SC_INTERNAL	0x6
#define NS_PER_S	1000000000ULL

/*
 * The test's netlink context, and the disks it created (for the teardown,
 * which may run in another process: it uses a context of its own).
 */
struct zc {
	struct zcblk_ctx *ctx;		/* valid in process @owner only */
	pid_t owner;
	__u32 idx[MAX_TRACKED];
	int n;
};

static inline void zc_setup(struct __test_metadata *_metadata, struct zc *zc)
{
	int ret;

	zc->n = 0;
	zc->owner = getpid();
	ret = zcblk_ctx_open(&zc->ctx);
	if (ret == -ENOENT)
		SKIP(return, "zcblk module not loaded (no \"zcblk\" genl family)");
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_ctx_open: %s", strerror(-ret));
	}
}

/*
 * No ASSERT and no EXPECT with a handler block here: after a failed ASSERT
 * in the test, the 6.12 harness leaves _metadata->trigger set, and the
 * first handler block that follows runs (an ASSERT's would longjmp out of
 * the teardown).  A plain EXPECT clears it.
 */
static inline void zc_teardown(struct __test_metadata *_metadata, struct zc *zc)
{
	struct zcblk_ctx *ctx;
	int i, ret;

	if (zc->ctx && zc->owner == getpid()) {
		zcblk_ctx_close(zc->ctx);
		zc->ctx = NULL;
	}
	if (!zc->n)
		return;
	ret = zcblk_ctx_open(&ctx);
	EXPECT_EQ(0, ret);
	if (ret) {
		TH_LOG("cleanup: zcblk_ctx_open: %s", strerror(-ret));
		return;
	}
	for (i = 0; i < zc->n; i++) {
		ret = zcblk_dev_del(ctx, zc->idx[i]);
		EXPECT_TRUE(ret == 0 || ret == -ENODEV);
		if (ret && ret != -ENODEV)
			TH_LOG("cleanup: del %u: %s: %s", zc->idx[i],
			       strerror(-ret), zcblk_ctx_errmsg(ctx));
	}
	zc->n = 0;
	zcblk_ctx_close(ctx);
}

static inline void track(struct __test_metadata *_metadata, struct zc *zc,
			 __u32 index)
{
	ASSERT_LT(zc->n, MAX_TRACKED);
	zc->idx[zc->n++] = index;
}

static inline void untrack(struct zc *zc, __u32 index)
{
	int i;

	for (i = 0; i < zc->n; i++) {
		if (zc->idx[i] == index) {
			zc->idx[i] = zc->idx[--zc->n];
			return;
		}
	}
}

/* zcblk_dev_add(), remembering a new disk for the teardown. */
static inline int add_disk(struct __test_metadata *_metadata, struct zc *zc,
			   const struct zcblk_dev_params *p,
			   struct zcblk_dev_info *out)
{
	struct zcblk_dev_info info = { .size = sizeof(info) };
	int ret;

	ret = zcblk_dev_add(zc->ctx, p, &info);
	if (!ret)
		track(_metadata, zc, info.index);
	if (out)
		*out = info;
	return ret;
}

static inline struct zcblk_dev_params null_params(__u64 size)
{
	struct zcblk_dev_params p = {
		.size = sizeof(p),
		.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE,
		.disk_size = size,
	};

	strcpy(p.backend, "null");
	return p;
}

struct find {
	__u32 index;
	int found;
	struct zcblk_dev_info info;
};

static inline int find_cb(const struct zcblk_dev_info *info, void *arg)
{
	struct find *f = arg;

	if (info->index == f->index) {
		f->found++;
		f->info = *info;
	}
	return 0;
}

static inline void expect_same_disk(struct __test_metadata *_metadata,
				    const struct zcblk_dev_info *a,
				    const struct zcblk_dev_info *b)
{
	EXPECT_EQ(a->index, b->index);
	EXPECT_STREQ(a->disk_name, b->disk_name);
	EXPECT_EQ(a->state, b->state);
	EXPECT_STREQ(a->backend, b->backend);
	EXPECT_EQ(a->disk_size, b->disk_size);
	EXPECT_EQ(a->block_size, b->block_size);
	EXPECT_EQ(a->nr_queues, b->nr_queues);
	EXPECT_EQ(a->queue_depth, b->queue_depth);
	EXPECT_STREQ(a->char_name, b->char_name);
	EXPECT_EQ(a->poll_queues, b->poll_queues);
	EXPECT_EQ(a->node_uid, b->node_uid);
	EXPECT_EQ(a->node_gid, b->node_gid);
	EXPECT_EQ(a->node_mode, b->node_mode);
	EXPECT_STREQ(a->path, b->path);
	EXPECT_EQ(a->flags, b->flags);
	EXPECT_EQ(a->timeout_ms, b->timeout_ms);
	EXPECT_EQ(a->completion, b->completion);
	EXPECT_EQ(a->completion_ns, b->completion_ns);
	EXPECT_EQ(a->latency_ns, b->latency_ns);
	EXPECT_EQ(a->fail_every, b->fail_every);
	EXPECT_EQ(a->fail_ppm, b->fail_ppm);
	EXPECT_EQ(a->fail_status, b->fail_status);
	EXPECT_EQ(a->fail_ops, b->fail_ops);
	EXPECT_EQ(a->stall, b->stall);
}

/* Read a sysfs file holding one unsigned number; -1 if unreadable. */
static inline long long read_sysfs(const char *fmt, __u32 index)
{
	char path[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), fmt, index);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* /dev/zcblk<N> and /sys/block/zcblk<N> describe the disk @info. */
static inline void check_block_device(struct __test_metadata *_metadata,
				      const struct zcblk_dev_info *info)
{
	unsigned int maj, min;
	char path[64];
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "/dev/zcblk%u", info->index);
	ASSERT_EQ(0, stat(path, &st)) {
		TH_LOG("%s: %s", path, strerror(errno));
	}
	EXPECT_TRUE(S_ISBLK(st.st_mode)) {
		TH_LOG("%s: mode %o, not a block device", path, st.st_mode);
	}

	snprintf(path, sizeof(path), "/sys/block/zcblk%u/dev", info->index);
	f = fopen(path, "r");
	ASSERT_NE(NULL, f) {
		TH_LOG("%s: %s", path, strerror(errno));
	}
	EXPECT_EQ(2, fscanf(f, "%u:%u", &maj, &min));
	fclose(f);
	EXPECT_EQ(makedev(maj, min), st.st_rdev);

	EXPECT_EQ((long long)(info->disk_size / 512),
		  read_sysfs("/sys/block/zcblk%u/size", info->index));
	EXPECT_EQ((long long)info->block_size,
		  read_sysfs("/sys/block/zcblk%u/queue/logical_block_size",
			     info->index));
}

/* /dev/zcblk<N>c is a char device with the owner, group and mode of @info. */
static inline void check_char_device(struct __test_metadata *_metadata,
				     const struct zcblk_dev_info *info)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/dev/zcblk%uc", info->index);
	ASSERT_EQ(0, stat(path, &st)) {
		TH_LOG("%s: %s", path, strerror(errno));
	}
	EXPECT_TRUE(S_ISCHR(st.st_mode)) {
		TH_LOG("%s: mode %o, not a char device", path, st.st_mode);
	}
	EXPECT_EQ(info->node_mode, st.st_mode & 07777) {
		TH_LOG("%s: mode %o, want %o", path, st.st_mode & 07777,
		       info->node_mode);
	}
	EXPECT_EQ(info->node_uid, st.st_uid);
	EXPECT_EQ(info->node_gid, st.st_gid);
}

static inline void check_gone(struct __test_metadata *_metadata, struct zc *zc,
			      __u32 index)
{
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct find f = { .index = index };
	char path[64];
	struct stat st;

	EXPECT_EQ(-ENODEV, zcblk_dev_get(zc->ctx, index, &info));
	ASSERT_EQ(0, zcblk_dev_list(zc->ctx, find_cb, &f));
	EXPECT_EQ(0, f.found);
	snprintf(path, sizeof(path), "/dev/zcblk%u", index);
	EXPECT_EQ(-1, stat(path, &st));
	EXPECT_EQ(ENOENT, errno);
	snprintf(path, sizeof(path), "/dev/zcblk%uc", index);
	EXPECT_EQ(-1, stat(path, &st));
	EXPECT_EQ(ENOENT, errno);
	snprintf(path, sizeof(path), "/sys/block/zcblk%u", index);
	EXPECT_EQ(-1, stat(path, &st));
	EXPECT_EQ(ENOENT, errno);
}

#endif /* ZCBLK_SELFTEST_NL_DEV_H */
