// SPDX-License-Identifier: GPL-2.0
/*
 * The zcblk generic netlink family through libzcblk: DEV_ADD, DEV_DEL,
 * DEV_GET, DEV_SET and DEV_STATS (doit and dump), their errors, and who
 * may use them.
 *
 * Needs root and zcblk.ko loaded (every test skips if the module is not).
 * Every disk a test creates is removed by its fixture's teardown, which
 * also runs when an assertion fails.
 *
 * The teardowns are FIXTURE_TEARDOWN_PARENT: in the harness of Linux 6.12,
 * a plain FIXTURE_TEARDOWN is skipped after a failed ASSERT when built
 * with -O2 (the wrapper's "child" variable is clobbered by the longjmp()
 * out of the assertion, so the test process takes the parent's path).
 * The fixture data is shared memory then, and the teardown opens its own
 * netlink context.
 */
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

static void zc_setup(struct __test_metadata *_metadata, struct zc *zc)
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
static void zc_teardown(struct __test_metadata *_metadata, struct zc *zc)
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

static void track(struct __test_metadata *_metadata, struct zc *zc,
		  __u32 index)
{
	ASSERT_LT(zc->n, MAX_TRACKED);
	zc->idx[zc->n++] = index;
}

static void untrack(struct zc *zc, __u32 index)
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
static int add_disk(struct __test_metadata *_metadata, struct zc *zc,
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

static struct zcblk_dev_params null_params(__u64 size)
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

static int find_cb(const struct zcblk_dev_info *info, void *arg)
{
	struct find *f = arg;

	if (info->index == f->index) {
		f->found++;
		f->info = *info;
	}
	return 0;
}

static void expect_same_disk(struct __test_metadata *_metadata,
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
static long long read_sysfs(const char *fmt, __u32 index)
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
static void check_block_device(struct __test_metadata *_metadata,
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
static void check_char_device(struct __test_metadata *_metadata,
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

static void check_gone(struct __test_metadata *_metadata, struct zc *zc,
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

/*
 * lifecycle: add, find with get and list, check the block device, delete.
 */
FIXTURE(lifecycle) {
	struct zc zc;
};

FIXTURE_VARIANT(lifecycle) {
	const char *backend;
	__u64 size;
	__u32 block_size;
	__u32 nr_queues;
	__u32 queue_depth;
};

FIXTURE_VARIANT_ADD(lifecycle, null) {
	.backend = "null",
	.size = 64 * MiB,
	.block_size = 512,
	.nr_queues = 2,
	.queue_depth = 64,
};

FIXTURE_VARIANT_ADD(lifecycle, mem) {
	.backend = "mem",
	.size = 32 * MiB,
	.block_size = 4096,
	.nr_queues = 1,
	.queue_depth = 32,
};

FIXTURE_SETUP(lifecycle)
{
	zc_setup(_metadata, &self->zc);
}

FIXTURE_TEARDOWN_PARENT(lifecycle)
{
	zc_teardown(_metadata, &self->zc);
}

TEST_F(lifecycle, add_get_list_del)
{
	struct zcblk_dev_params p = { .size = sizeof(p) };
	struct zcblk_dev_info info, got = { .size = sizeof(got) };
	struct find f = { 0 };
	char name[32];
	int ret;

	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE |
		ZCBLK_PARAM_BLOCK_SIZE | ZCBLK_PARAM_NR_QUEUES |
		ZCBLK_PARAM_QUEUE_DEPTH;
	strcpy(p.backend, variant->backend);
	p.disk_size = variant->size;
	p.block_size = variant->block_size;
	p.nr_queues = variant->nr_queues;
	p.queue_depth = variant->queue_depth;

	ret = add_disk(_metadata, &self->zc, &p, &info);
	ASSERT_EQ(0, ret) {
		TH_LOG("add: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	snprintf(name, sizeof(name), "zcblk%u", info.index);
	EXPECT_STREQ(name, info.disk_name);
	snprintf(name, sizeof(name), "zcblk%uc", info.index);
	EXPECT_STREQ(name, info.char_name);
	EXPECT_STREQ(variant->backend, info.backend);
	EXPECT_EQ(variant->size, info.disk_size);
	EXPECT_EQ(variant->block_size, info.block_size);
	EXPECT_EQ(variant->nr_queues, info.nr_queues);
	EXPECT_EQ(variant->queue_depth, info.queue_depth);
	EXPECT_EQ(ZCBLK_DEV_STATE_LIVE, info.state);
	if (!strcmp(variant->backend, "null"))
		EXPECT_EQ(0, info.alloc_bytes);
	EXPECT_LE(info.alloc_bytes, variant->size);

	f.index = info.index;
	ASSERT_EQ(0, zcblk_dev_list(self->zc.ctx, find_cb, &f));
	ASSERT_EQ(1, f.found);
	expect_same_disk(_metadata, &info, &f.info);

	ret = zcblk_dev_get(self->zc.ctx, info.index, &got);
	ASSERT_EQ(0, ret) {
		TH_LOG("get: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	expect_same_disk(_metadata, &info, &got);

	check_block_device(_metadata, &info);
	check_char_device(_metadata, &info);

	ret = zcblk_dev_del(self->zc.ctx, info.index);
	ASSERT_EQ(0, ret) {
		TH_LOG("del: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	untrack(&self->zc, info.index);
	check_gone(_metadata, &self->zc, info.index);
}

/* Only backend and size given: the defaults of <linux/zcblk.h>. */
TEST_F(lifecycle, defaults)
{
	struct zcblk_dev_params p = null_params(variant->size);
	struct zcblk_dev_info info;
	int ret;

	strcpy(p.backend, variant->backend);
	ret = add_disk(_metadata, &self->zc, &p, &info);
	ASSERT_EQ(0, ret) {
		TH_LOG("add: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	EXPECT_EQ(512, info.block_size);
	EXPECT_EQ(1, info.nr_queues);
	EXPECT_EQ(128, info.queue_depth);
	EXPECT_EQ(variant->size, info.disk_size);
	EXPECT_EQ(0, info.poll_queues);
	EXPECT_EQ(0, info.node_uid);
	EXPECT_EQ(0, info.node_gid);
	EXPECT_EQ(0600, info.node_mode);
	EXPECT_STREQ("", info.path);
	EXPECT_EQ(0, info.flags);
	EXPECT_EQ(DEFAULT_TIMEOUT_MS, info.timeout_ms);
	EXPECT_EQ(ZCBLK_COMPLETION_INLINE, info.completion);
	EXPECT_EQ(0, info.completion_ns);
	EXPECT_EQ(0, info.latency_ns);
	EXPECT_EQ(0, info.fail_every);
	EXPECT_EQ(0, info.fail_ppm);
	EXPECT_EQ(NVME_SC_INTERNAL, info.fail_status);
	EXPECT_EQ(ZCBLK_FAIL_OPS_ALL, info.fail_ops);
	EXPECT_EQ(0, info.stall);
	check_block_device(_metadata, &info);
	check_char_device(_metadata, &info);
}

/* Read-only, a timeout, timer completion: reported back as given. */
TEST_F(lifecycle, read_only_timer)
{
	struct zcblk_dev_params p = null_params(variant->size);
	struct zcblk_dev_info info, got = { .size = sizeof(got) };
	int ret;

	strcpy(p.backend, variant->backend);
	p.set |= ZCBLK_PARAM_FLAGS | ZCBLK_PARAM_TIMEOUT_MS |
		 ZCBLK_PARAM_COMPLETION | ZCBLK_PARAM_COMPLETION_NS;
	p.flags = ZCBLK_DEV_F_READ_ONLY;
	p.timeout_ms = 5000;
	p.completion = ZCBLK_COMPLETION_TIMER;
	p.completion_ns = 250000;
	ret = add_disk(_metadata, &self->zc, &p, &info);
	ASSERT_EQ(0, ret) {
		TH_LOG("add: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	EXPECT_EQ(ZCBLK_DEV_F_READ_ONLY, info.flags);
	EXPECT_EQ(5000, info.timeout_ms);
	EXPECT_EQ(ZCBLK_COMPLETION_TIMER, info.completion);
	EXPECT_EQ(250000, info.completion_ns);
	EXPECT_EQ(1, read_sysfs("/sys/block/zcblk%u/ro", info.index));
	EXPECT_EQ(5000, read_sysfs("/sys/block/zcblk%u/queue/io_timeout",
				   info.index));
	ASSERT_EQ(0, zcblk_dev_get(self->zc.ctx, info.index, &got));
	expect_same_disk(_metadata, &info, &got);
}

/* Poll queues and the char device node's owner, group and mode. */
TEST_F(lifecycle, poll_and_node)
{
	struct zcblk_dev_params p = null_params(variant->size);
	struct zcblk_dev_info info, got = { .size = sizeof(got) };
	struct find f = { 0 };
	char name[32];
	int ret;

	strcpy(p.backend, variant->backend);
	p.set |= ZCBLK_PARAM_POLL_QUEUES | ZCBLK_PARAM_NODE_UID |
		 ZCBLK_PARAM_NODE_GID | ZCBLK_PARAM_NODE_MODE;
	p.poll_queues = 2;
	p.node_uid = NODE_UID;
	p.node_gid = NODE_GID;
	p.node_mode = 0640;
	ret = add_disk(_metadata, &self->zc, &p, &info);
	ASSERT_EQ(0, ret) {
		TH_LOG("add: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	snprintf(name, sizeof(name), "zcblk%uc", info.index);
	EXPECT_STREQ(name, info.char_name);
	EXPECT_EQ(2, info.poll_queues);
	EXPECT_EQ(NODE_UID, info.node_uid);
	EXPECT_EQ(NODE_GID, info.node_gid);
	EXPECT_EQ(0640, info.node_mode);

	ret = zcblk_dev_get(self->zc.ctx, info.index, &got);
	ASSERT_EQ(0, ret) {
		TH_LOG("get: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	expect_same_disk(_metadata, &info, &got);
	f.index = info.index;
	ASSERT_EQ(0, zcblk_dev_list(self->zc.ctx, find_cb, &f));
	ASSERT_EQ(1, f.found);
	expect_same_disk(_metadata, &info, &f.info);
	check_char_device(_metadata, &info);
}

/*
 * dev: explicit indexes, unknown indexes, unprivileged users.
 */
FIXTURE(dev) {
	struct zc zc;
};

FIXTURE_SETUP(dev)
{
	zc_setup(_metadata, &self->zc);
}

FIXTURE_TEARDOWN_PARENT(dev)
{
	zc_teardown(_metadata, &self->zc);
}

static void add_at(struct __test_metadata *_metadata, struct zc *zc,
		   __u32 index)
{
	struct zcblk_dev_params p = null_params(16 * MiB);
	struct zcblk_dev_info info = { .size = sizeof(info) };
	char name[32];
	int ret;

	p.set |= ZCBLK_PARAM_INDEX;
	p.index = index;
	ret = add_disk(_metadata, zc, &p, &info);
	ASSERT_EQ(0, ret) {
		TH_LOG("add at %u: %s: %s", index, strerror(-ret),
		       zcblk_ctx_errmsg(zc->ctx));
	}
	EXPECT_EQ(index, info.index);
	snprintf(name, sizeof(name), "zcblk%u", index);
	EXPECT_STREQ(name, info.disk_name);
	check_block_device(_metadata, &info);
}

TEST_F(dev, explicit_index)
{
	struct zcblk_dev_params p = null_params(16 * MiB);
	struct zcblk_dev_info info = { .size = sizeof(info) };
	int ret;

	add_at(_metadata, &self->zc, TEST_INDEX);

	p.set |= ZCBLK_PARAM_INDEX;
	p.index = TEST_INDEX;
	ret = add_disk(_metadata, &self->zc, &p, &info);
	EXPECT_EQ(-EEXIST, ret) {
		TH_LOG("second add at %u: %s: %s", TEST_INDEX,
		       strerror(-ret), zcblk_ctx_errmsg(self->zc.ctx));
	}
	/* The first disk is untouched. */
	ASSERT_EQ(0, zcblk_dev_get(self->zc.ctx, TEST_INDEX, &info));
	EXPECT_EQ(16 * MiB, info.disk_size);
}

/* nr_cpu_ids, from the "0-N" (or "0") in sysfs. */
static unsigned int possible_cpus(void)
{
	unsigned int first = 0, last = 0;
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "%u-%u", &first, &last);
	fclose(f);
	if (n == 1)
		last = first;
	return n >= 1 ? last + 1 : 0;
}

static unsigned int count_hctx(const char *disk)
{
	char path[PATH_MAX], name[32];
	unsigned int n = 0;

	for (;;) {
		snprintf(name, sizeof(name), "%u", n);
		snprintf(path, sizeof(path), "/sys/block/%s/mq/%s", disk, name);
		if (access(path, F_OK))
			return n;
		n++;
	}
}

/*
 * More queues than CPUs: clamped to the CPUs as null_blk and ublk do
 * (blk_mq_map_queues() warns otherwise); the reply says what is in effect.
 */
TEST_F(dev, queues_clamped_to_cpus)
{
	struct zcblk_dev_params p = null_params(16 * MiB);
	struct zcblk_dev_info info = { .size = sizeof(info) };
	unsigned int cpus = possible_cpus();
	int ret;

	ASSERT_LT(0, cpus);
	if (cpus >= ZCBLK_MAX_QUEUES)
		SKIP(return, "%u CPUs: no queue count above them", cpus);
	p.set |= ZCBLK_PARAM_NR_QUEUES | ZCBLK_PARAM_POLL_QUEUES;
	p.nr_queues = cpus + 1;
	p.poll_queues = ZCBLK_MAX_QUEUES;
	ret = add_disk(_metadata, &self->zc, &p, &info);
	ASSERT_EQ(0, ret) {
		TH_LOG("add: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	EXPECT_EQ(cpus, info.nr_queues);
	EXPECT_EQ(cpus, info.poll_queues);
	EXPECT_EQ(2 * cpus, count_hctx(info.disk_name));
	check_block_device(_metadata, &info);
}

/* The last valid index (ZCBLK_MAX_DEVS is refused: bad_add.index_max). */
TEST_F(dev, last_index)
{
	add_at(_metadata, &self->zc, ZCBLK_MAX_DEVS - 1);
}

TEST_F(dev, del_unknown)
{
	int ret = zcblk_dev_del(self->zc.ctx, UNUSED_INDEX);

	EXPECT_EQ(-ENODEV, ret) {
		TH_LOG("del: %s", strerror(-ret));
	}
	EXPECT_NE(NULL, strstr(zcblk_ctx_errmsg(self->zc.ctx), "index")) {
		TH_LOG("errmsg: \"%s\"", zcblk_ctx_errmsg(self->zc.ctx));
	}
}

TEST_F(dev, get_unknown)
{
	struct zcblk_dev_info info = { .size = sizeof(info) };
	int ret = zcblk_dev_get(self->zc.ctx, UNUSED_INDEX, &info);

	EXPECT_EQ(-ENODEV, ret) {
		TH_LOG("get: %s", strerror(-ret));
	}
	EXPECT_NE(NULL, strstr(zcblk_ctx_errmsg(self->zc.ctx), "index")) {
		TH_LOG("errmsg: \"%s\"", zcblk_ctx_errmsg(self->zc.ctx));
	}
}

/* What the unprivileged child saw, in memory shared with the parent. */
struct unpriv_result {
	int step_failed;		/* 0, or the setup step that failed */
	int add_ret, del_ret, list_ret, list_found, get_ret, stats_ret;
	int set_ret;
	int add_leaked;			/* add wrongly succeeded */
	__u32 leaked_index;
	char add_msg[128];
};

static void unpriv_child(struct unpriv_result *r, __u32 root_index)
{
	struct zcblk_dev_params p = null_params(16 * MiB);
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct zcblk_dev_stats st = { .size = sizeof(st) };
	struct zcblk_dev_settings s = {
		.size = sizeof(s),
		.set = ZCBLK_SET_STALL,
		.stall = 1,
	};
	struct find f = { .index = root_index };
	struct zcblk_ctx *ctx;

	if (setgroups(0, NULL)) {
		r->step_failed = 1;
		return;
	}
	if (setresgid(NOBODY, NOBODY, NOBODY)) {
		r->step_failed = 2;
		return;
	}
	if (setresuid(NOBODY, NOBODY, NOBODY)) {
		r->step_failed = 3;
		return;
	}
	if (zcblk_ctx_open(&ctx)) {
		r->step_failed = 4;
		return;
	}

	r->add_ret = zcblk_dev_add(ctx, &p, &info);
	snprintf(r->add_msg, sizeof(r->add_msg), "%s", zcblk_ctx_errmsg(ctx));
	if (!r->add_ret) {
		r->add_leaked = 1;
		r->leaked_index = info.index;
	}
	r->del_ret = zcblk_dev_del(ctx, root_index);
	r->set_ret = zcblk_dev_set(ctx, root_index, &s, NULL);
	r->list_ret = zcblk_dev_list(ctx, find_cb, &f);
	r->list_found = f.found;
	r->get_ret = zcblk_dev_get(ctx, root_index, &info);
	r->stats_ret = zcblk_dev_stats(ctx, root_index, &st);
	zcblk_ctx_close(ctx);
}

TEST_F(dev, unprivileged)
{
	struct zcblk_dev_params p = null_params(16 * MiB);
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct unpriv_result *r;
	int ret, status;
	pid_t pid;

	ret = add_disk(_metadata, &self->zc, &p, &info);
	ASSERT_EQ(0, ret) {
		TH_LOG("add: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}

	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, r);
	memset(r, 0, sizeof(*r));
	r->add_ret = r->del_ret = r->list_ret = r->get_ret = 1;
	r->stats_ret = r->set_ret = 1;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		unpriv_child(r, info.index);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (r->add_leaked)
		track(_metadata, &self->zc, r->leaked_index);
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	ASSERT_EQ(0, r->step_failed) {
		TH_LOG("dropping to uid/gid %d failed at step %d", NOBODY,
		       r->step_failed);
	}

	EXPECT_EQ(-EPERM, r->add_ret) {
		TH_LOG("unprivileged add: %d (%s)", r->add_ret, r->add_msg);
	}
	EXPECT_EQ(-EPERM, r->del_ret);
	EXPECT_EQ(-EPERM, r->set_ret);
	EXPECT_EQ(0, r->list_ret);
	EXPECT_EQ(1, r->list_found);
	EXPECT_EQ(0, r->get_ret);
	EXPECT_EQ(0, r->stats_ret);

	/* The refused del did not remove root's disk, nor set stall it. */
	EXPECT_EQ(0, zcblk_dev_get(self->zc.ctx, info.index, &info));
	EXPECT_EQ(0, info.stall);
	munmap(r, sizeof(*r));
}

/*
 * stats: DEV_STATS of one disk (doit) and of all (dump).
 */
FIXTURE(stats) {
	struct zc zc;
};

FIXTURE_VARIANT(stats) {
	const char *backend;
};

FIXTURE_VARIANT_ADD(stats, null) {
	.backend = "null",
};

FIXTURE_VARIANT_ADD(stats, mem) {
	.backend = "mem",
};

FIXTURE_SETUP(stats)
{
	zc_setup(_metadata, &self->zc);
}

FIXTURE_TEARDOWN_PARENT(stats)
{
	zc_teardown(_metadata, &self->zc);
}

/*
 * Nothing has been written, nothing pinned, nothing failed.  Reads are
 * the exception: add_disk() itself reads the partition table through the
 * block device (4 KiB on 6.1 and 6.12), and where udev runs, its probes
 * read more, at a time of their choosing.  Those are whole blocks.
 */
static void expect_zero_stats(struct __test_metadata *_metadata,
			      const struct zcblk_dev_stats *st)
{
	EXPECT_EQ(sizeof(*st), st->size);
	EXPECT_EQ(0, st->pt_inflight);
	EXPECT_EQ(st->read_cmds == 0, st->read_bytes == 0);
	EXPECT_EQ(0, st->read_bytes % 512);
	EXPECT_EQ(0, st->write_cmds);
	EXPECT_EQ(0, st->write_bytes);
	EXPECT_EQ(0, st->errors);
	EXPECT_EQ(0, st->pinned_pages);
	EXPECT_EQ(0, st->unpinned_pages);
	EXPECT_EQ(0, st->pinned_current);
	EXPECT_EQ(0, st->fixed_bytes);
	EXPECT_EQ(0, st->flushes);
	EXPECT_EQ(0, st->timeouts);
	EXPECT_EQ(0, st->injected);
}

struct find_stats {
	__u32 index;
	int found;
	struct zcblk_dev_stats st;
};

static int find_stats_cb(__u32 index, const struct zcblk_dev_stats *st,
			 void *arg)
{
	struct find_stats *f = arg;

	if (index == f->index) {
		f->found++;
		f->st = *st;
	}
	return 0;
}

TEST_F(stats, fresh_disk_is_zero)
{
	struct zcblk_dev_params p = null_params(16 * MiB);
	struct zcblk_dev_stats st = { .size = sizeof(st) };
	struct zcblk_dev_info info;
	struct find_stats f = { 0 };
	int ret;

	strcpy(p.backend, variant->backend);
	ret = add_disk(_metadata, &self->zc, &p, &info);
	ASSERT_EQ(0, ret) {
		TH_LOG("add: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	/* Poison: every field must be written. */
	memset(&st, 0xa5, sizeof(st));
	st.size = sizeof(st);
	ret = zcblk_dev_stats(self->zc.ctx, info.index, &st);
	ASSERT_EQ(0, ret) {
		TH_LOG("stats: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	expect_zero_stats(_metadata, &st);

	f.index = info.index;
	ret = zcblk_dev_stats_list(self->zc.ctx, find_stats_cb, &f);
	ASSERT_EQ(0, ret) {
		TH_LOG("stats dump: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	ASSERT_EQ(1, f.found);
	expect_zero_stats(_metadata, &f.st);
}

TEST_F(stats, unknown_index)
{
	struct zcblk_dev_stats st = { .size = sizeof(st) };
	int ret = zcblk_dev_stats(self->zc.ctx, UNUSED_INDEX, &st);

	EXPECT_EQ(-ENODEV, ret) {
		TH_LOG("stats: %s", strerror(-ret));
	}
	EXPECT_NE(NULL, strstr(zcblk_ctx_errmsg(self->zc.ctx), "index")) {
		TH_LOG("errmsg: \"%s\"", zcblk_ctx_errmsg(self->zc.ctx));
	}
}

/* A caller's structure smaller than version 1 is refused, untouched. */
TEST_F(stats, size_too_small)
{
	struct zcblk_dev_stats st = { .size = ZCBLK_DEV_STATS_SIZE_VER1 - 8 };

	EXPECT_EQ(-EINVAL, zcblk_dev_stats(self->zc.ctx, 0, &st));
	EXPECT_EQ(ZCBLK_DEV_STATS_SIZE_VER1 - 8, st.size);
	EXPECT_EQ(0, st.read_cmds);
}

/*
 * file: the file backend over a file in a scratch directory, through the
 * page cache (buffered: /tmp may be tmpfs, which refuses direct I/O on
 * 6.1): its size is the default size, and its path comes back.
 */
FIXTURE(file) {
	struct zc zc;
	char dir[64];
	char path[128];
};

FIXTURE_SETUP(file)
{
	int fd;

	self->dir[0] = self->path[0] = '\0';
	zc_setup(_metadata, &self->zc);
	if (_metadata->exit_code)
		return;
	snprintf(self->dir, sizeof(self->dir), "/tmp/zcblk-nl.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/backing.img", self->dir);
	fd = open(self->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	/* Not a multiple of 4096: the size is rounded down to the block. */
	ASSERT_EQ(0, ftruncate(fd, 8 * MiB + 1000));
	close(fd);
}

FIXTURE_TEARDOWN_PARENT(file)
{
	zc_teardown(_metadata, &self->zc);
	if (self->path[0])
		unlink(self->path);
	if (self->dir[0])
		rmdir(self->dir);
}

static struct zcblk_dev_params file_params(const char *path, __u32 flags)
{
	struct zcblk_dev_params p = {
		.size = sizeof(p),
		.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_PATH |
		       ZCBLK_PARAM_FLAGS | ZCBLK_PARAM_BLOCK_SIZE,
		.block_size = 4096,
		.path = path,
		.flags = flags,
	};

	strcpy(p.backend, "file");
	return p;
}

TEST_F(file, size_defaults_to_the_file)
{
	struct zcblk_dev_params p = file_params(self->path,
						ZCBLK_DEV_F_BUFFERED);
	struct zcblk_dev_info info, got = { .size = sizeof(got) };
	struct find f = { 0 };
	int ret;

	ret = add_disk(_metadata, &self->zc, &p, &info);
	ASSERT_EQ(0, ret) {
		TH_LOG("add: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	EXPECT_STREQ("file", info.backend);
	EXPECT_STREQ(self->path, info.path);
	EXPECT_EQ(ZCBLK_DEV_F_BUFFERED, info.flags);
	EXPECT_EQ(8 * MiB, info.disk_size);
	EXPECT_EQ(4096, info.block_size);
	check_block_device(_metadata, &info);

	ASSERT_EQ(0, zcblk_dev_get(self->zc.ctx, info.index, &got));
	expect_same_disk(_metadata, &info, &got);
	f.index = info.index;
	ASSERT_EQ(0, zcblk_dev_list(self->zc.ctx, find_cb, &f));
	ASSERT_EQ(1, f.found);
	expect_same_disk(_metadata, &info, &f.info);

	/* The same file cannot back a second disk. */
	ret = add_disk(_metadata, &self->zc, &p, NULL);
	EXPECT_EQ(-EBUSY, ret) {
		TH_LOG("second add: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	EXPECT_NE(NULL, strstr(zcblk_ctx_errmsg(self->zc.ctx), "path"));
}

/* A size larger than the file is refused; a smaller one is the size. */
TEST_F(file, size)
{
	struct zcblk_dev_params p = file_params(self->path,
						ZCBLK_DEV_F_BUFFERED);
	struct zcblk_dev_info info;
	int ret;

	p.set |= ZCBLK_PARAM_SIZE;
	p.disk_size = 16 * MiB;
	ret = add_disk(_metadata, &self->zc, &p, &info);
	EXPECT_EQ(-EINVAL, ret);
	EXPECT_NE(NULL, strstr(zcblk_ctx_errmsg(self->zc.ctx), "size")) {
		TH_LOG("errmsg: \"%s\"", zcblk_ctx_errmsg(self->zc.ctx));
	}
	p.disk_size = 4 * MiB;
	ret = add_disk(_metadata, &self->zc, &p, &info);
	ASSERT_EQ(0, ret) {
		TH_LOG("add: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	EXPECT_EQ(4 * MiB, info.disk_size);
}

/* What the library refuses itself: no path, a path beyond PATH_MAX. */
TEST_F(file, bad_path_args)
{
	struct zcblk_dev_params p = file_params(NULL, 0);
	char *long_path;
	int i, ret;

	ret = add_disk(_metadata, &self->zc, &p, NULL);
	EXPECT_EQ(-EINVAL, ret);
	EXPECT_NE(NULL, strstr(zcblk_ctx_errmsg(self->zc.ctx), "path"));

	/* Components of 100 bytes: each is short enough (NAME_MAX). */
	long_path = malloc(PATH_MAX + 1);
	ASSERT_NE(NULL, long_path);
	memset(long_path, 'a', PATH_MAX);
	for (i = 0; i < PATH_MAX; i += 100)
		long_path[i] = '/';
	long_path[PATH_MAX] = '\0';
	p.path = long_path;
	ret = add_disk(_metadata, &self->zc, &p, NULL);
	EXPECT_EQ(-ENAMETOOLONG, ret);
	EXPECT_NE(NULL, strstr(zcblk_ctx_errmsg(self->zc.ctx), "path"));
	/* One byte less is the kernel's to judge: no such file. */
	long_path[PATH_MAX - 1] = '\0';
	ret = add_disk(_metadata, &self->zc, &p, NULL);
	EXPECT_EQ(-ENOENT, ret) {
		TH_LOG("add: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	free(long_path);
}

/*
 * set: DEV_SET changes the live settings, which DEV_GET (doit and dump)
 * reports; a refused DEV_SET changes nothing.
 */
FIXTURE(set) {
	struct zc zc;
	struct zcblk_dev_info info;	/* the test's disk */
};

FIXTURE_SETUP(set)
{
	struct zcblk_dev_params p = null_params(16 * MiB);
	int ret;

	zc_setup(_metadata, &self->zc);
	if (_metadata->exit_code)
		return;
	ret = add_disk(_metadata, &self->zc, &p, &self->info);
	ASSERT_EQ(0, ret) {
		TH_LOG("add: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
}

FIXTURE_TEARDOWN_PARENT(set)
{
	zc_teardown(_metadata, &self->zc);
}

/* DEV_GET and the dump both report @want's settings. */
static void expect_settings(struct __test_metadata *_metadata,
			    struct zc *zc, const struct zcblk_dev_info *want)
{
	struct zcblk_dev_info got = { .size = sizeof(got) };
	struct find f = { .index = want->index };

	ASSERT_EQ(0, zcblk_dev_get(zc->ctx, want->index, &got));
	expect_same_disk(_metadata, want, &got);
	ASSERT_EQ(0, zcblk_dev_list(zc->ctx, find_cb, &f));
	ASSERT_EQ(1, f.found);
	expect_same_disk(_metadata, want, &f.info);
}

TEST_F(set, values_come_back)
{
	struct zcblk_dev_settings s = {
		.size = sizeof(s),
		.set = ZCBLK_SET_ALL,
		.completion = ZCBLK_COMPLETION_TIMER,
		.completion_ns = 123456,
		.latency_ns = 2 * NS_PER_S,
		.fail_every = 7,
		.fail_ppm = 0,
		.fail_status = 0x281,
		.fail_ops = ZCBLK_FAIL_OPS_READS,
		.stall = 1,
	};
	struct zcblk_dev_info out = { .size = sizeof(out) };
	struct zcblk_dev_info want = self->info;
	int ret;

	ret = zcblk_dev_set(self->zc.ctx, want.index, &s, &out);
	ASSERT_EQ(0, ret) {
		TH_LOG("set: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	want.completion = ZCBLK_COMPLETION_TIMER;
	want.completion_ns = 123456;
	want.latency_ns = 2 * NS_PER_S;
	want.fail_every = 7;
	want.fail_ppm = 0;
	want.fail_status = 0x281;
	want.fail_ops = ZCBLK_FAIL_OPS_READS;
	want.stall = 1;
	expect_same_disk(_metadata, &want, &out);
	expect_settings(_metadata, &self->zc, &want);

	/* Only what is named changes; fail-ppm turns fail-every off. */
	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.set = ZCBLK_SET_FAIL_PPM | ZCBLK_SET_STALL | ZCBLK_SET_COMPLETION;
	s.fail_ppm = 1000000;
	s.completion = ZCBLK_COMPLETION_SOFTIRQ;
	ret = zcblk_dev_set(self->zc.ctx, want.index, &s, NULL);
	ASSERT_EQ(0, ret) {
		TH_LOG("set: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
	want.fail_ppm = 1000000;
	want.fail_every = 0;
	want.stall = 0;
	want.completion = ZCBLK_COMPLETION_SOFTIRQ;
	expect_settings(_metadata, &self->zc, &want);

	/* And fail-every turns fail-ppm off. */
	s.set = ZCBLK_SET_FAIL_EVERY;
	s.fail_every = 3;
	ASSERT_EQ(0, zcblk_dev_set(self->zc.ctx, want.index, &s, NULL));
	want.fail_every = 3;
	want.fail_ppm = 0;
	expect_settings(_metadata, &self->zc, &want);

	/* Back to normal. */
	s.set = ZCBLK_SET_ALL;
	s.completion = ZCBLK_COMPLETION_INLINE;
	s.completion_ns = 0;
	s.latency_ns = 0;
	s.fail_every = 0;
	s.fail_ppm = 0;
	s.fail_status = NVME_SC_INTERNAL;
	s.fail_ops = ZCBLK_FAIL_OPS_ALL;
	s.stall = 0;
	ASSERT_EQ(0, zcblk_dev_set(self->zc.ctx, want.index, &s, NULL));
	expect_settings(_metadata, &self->zc, &self->info);
}

TEST_F(set, unknown_index)
{
	struct zcblk_dev_settings s = {
		.size = sizeof(s),
		.set = ZCBLK_SET_STALL,
		.stall = 1,
	};
	int ret = zcblk_dev_set(self->zc.ctx, UNUSED_INDEX, &s, NULL);

	EXPECT_EQ(-ENODEV, ret) {
		TH_LOG("set: %s", strerror(-ret));
	}
	EXPECT_NE(NULL, strstr(zcblk_ctx_errmsg(self->zc.ctx), "index")) {
		TH_LOG("errmsg: \"%s\"", zcblk_ctx_errmsg(self->zc.ctx));
	}
}

/* What the library refuses before sending anything. */
TEST_F(set, bad_struct)
{
	struct zcblk_dev_settings s = { .size = sizeof(s) };
	struct zcblk_dev_info small = { .size = ZCBLK_DEV_INFO_SIZE_VER1 - 8 };

	s.size = ZCBLK_DEV_SETTINGS_SIZE_VER1 - 8;
	EXPECT_EQ(-EINVAL, zcblk_dev_set(self->zc.ctx, self->info.index, &s,
					 NULL));
	s.size = sizeof(s);
	s.__reserved = 1;
	EXPECT_EQ(-EINVAL, zcblk_dev_set(self->zc.ctx, self->info.index, &s,
					 NULL));
	s.__reserved = 0;
	s.set = ZCBLK_SET_ALL + 1;
	EXPECT_EQ(-EOPNOTSUPP, zcblk_dev_set(self->zc.ctx, self->info.index,
					     &s, NULL));
	s.set = ZCBLK_SET_STALL;
	EXPECT_EQ(-EINVAL, zcblk_dev_set(self->zc.ctx, self->info.index, &s,
					 &small));
	EXPECT_EQ(-EINVAL, zcblk_dev_set(self->zc.ctx, self->info.index, NULL,
					 NULL));
	/* Nothing was changed. */
	expect_settings(_metadata, &self->zc, &self->info);
}

/*
 * bad_set: each invalid DEV_SET is refused with its errno and an extack
 * message naming the attribute, and changes nothing (the valid setting
 * sent along is not applied either).
 */
FIXTURE(bad_set) {
	struct zc zc;
	struct zcblk_dev_info info;
};

FIXTURE_VARIANT(bad_set) {
	struct zcblk_dev_settings s;
	int err;
	const char *attr;
};

#define BAD_SET(name, _err, _attr, _set, ...)				\
	FIXTURE_VARIANT_ADD(bad_set, name) {				\
		.s = { .size = sizeof(struct zcblk_dev_settings),	\
		       .set = ZCBLK_SET_LATENCY_NS | (_set),		\
		       .latency_ns = 1000, __VA_ARGS__ },		\
		.err = _err, .attr = _attr,				\
	}

BAD_SET(fail_every_and_ppm, -EINVAL, "fail-ppm",
	ZCBLK_SET_FAIL_EVERY | ZCBLK_SET_FAIL_PPM,
	.fail_every = 10, .fail_ppm = 10);
BAD_SET(fail_ppm_1000001, -ERANGE, "fail-ppm", ZCBLK_SET_FAIL_PPM,
	.fail_ppm = 1000001);
BAD_SET(fail_status_0, -ERANGE, "fail-status", ZCBLK_SET_FAIL_STATUS,
	.fail_status = 0);
BAD_SET(fail_status_0x8000, -ERANGE, "fail-status", ZCBLK_SET_FAIL_STATUS,
	.fail_status = 0x8000);
BAD_SET(completion_0, -ERANGE, "completion", ZCBLK_SET_COMPLETION,
	.completion = 0);
BAD_SET(completion_4, -ERANGE, "completion", ZCBLK_SET_COMPLETION,
	.completion = 4);
BAD_SET(completion_ns_10s_plus_1, -ERANGE, "completion-ns",
	ZCBLK_SET_COMPLETION_NS, .completion_ns = 10 * NS_PER_S + 1);
FIXTURE_VARIANT_ADD(bad_set, latency_ns_10s_plus_1) {
	.s = { .size = sizeof(struct zcblk_dev_settings),
	       .set = ZCBLK_SET_LATENCY_NS | ZCBLK_SET_STALL,
	       .latency_ns = 10 * NS_PER_S + 1, .stall = 1 },
	.err = -ERANGE, .attr = "latency-ns",
};
BAD_SET(fail_ops_0, -ERANGE, "fail-ops", ZCBLK_SET_FAIL_OPS,
	.fail_ops = 0);
BAD_SET(fail_ops_4, -ERANGE, "fail-ops", ZCBLK_SET_FAIL_OPS,
	.fail_ops = 4);
BAD_SET(stall_2, -ERANGE, "stall", ZCBLK_SET_STALL, .stall = 2);
BAD_SET(stall_256, -ERANGE, "stall", ZCBLK_SET_STALL, .stall = 256);

FIXTURE_SETUP(bad_set)
{
	struct zcblk_dev_params p = null_params(16 * MiB);
	int ret;

	zc_setup(_metadata, &self->zc);
	if (_metadata->exit_code)
		return;
	ret = add_disk(_metadata, &self->zc, &p, &self->info);
	ASSERT_EQ(0, ret) {
		TH_LOG("add: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->zc.ctx));
	}
}

FIXTURE_TEARDOWN_PARENT(bad_set)
{
	zc_teardown(_metadata, &self->zc);
}

TEST_F(bad_set, refused)
{
	struct zcblk_dev_info out = { .size = sizeof(out) };
	const char *msg;
	int ret;

	out.index = 0xdeadbeef;
	ret = zcblk_dev_set(self->zc.ctx, self->info.index, &variant->s, &out);
	msg = zcblk_ctx_errmsg(self->zc.ctx);
	EXPECT_EQ(variant->err, ret) {
		TH_LOG("set: expected %s, got %s (\"%s\")",
		       strerror(-variant->err), ret ? strerror(-ret) : "success",
		       msg);
	}
	EXPECT_NE(NULL, strstr(msg, variant->attr)) {
		TH_LOG("errmsg \"%s\" does not name %s", msg, variant->attr);
	}
	EXPECT_EQ(0xdeadbeef, out.index);
	expect_settings(_metadata, &self->zc, &self->info);
}

/*
 * bad_add: each invalid DEV_ADD is refused with its errno and an extack
 * message that names the attribute.
 */
FIXTURE(bad_add) {
	struct zc zc;
};

FIXTURE_VARIANT(bad_add) {
	__u64 unset;		/* ZCBLK_PARAM_* bits left out */
	const char *backend;
	__u64 size;
	__u32 block_size;
	__u32 nr_queues;
	__u32 queue_depth;
	__u32 index;
	__u32 poll_queues;
	__u32 node_mode;	/* 0: 0600 */
	__u64 extra_set;	/* ZCBLK_PARAM_* bits beyond BASE_PARAMS */
	const char *path;
	__u32 flags;
	__u32 timeout_ms;
	__u32 completion;
	__u64 completion_ns;
	int err;		/* expected: -errno */
	const char *attr;	/* expected in the message */
};

/* One refused add: what is left out, the values sent, what must come back. */
#define BAD_ADD(name, _unset, _backend, _size, _bs, _nq, _qd, _index,	\
		_err, _attr)						\
	FIXTURE_VARIANT_ADD(bad_add, name) {				\
		.unset = _unset, .backend = _backend, .size = _size,	\
		.block_size = _bs, .nr_queues = _nq, .queue_depth = _qd,	\
		.index = _index, .err = _err, .attr = _attr,		\
	}

/*      name                        unset               backend size   */
/*      block nr_queues             depth               index          */
/*      errno    attribute named in the message                        */
BAD_ADD(size_zero,                  0,                  "null", 0,
	512,  1,                    16,                 UNUSED_INDEX,
	-ERANGE, "size");
BAD_ADD(size_not_multiple_of_block, 0,                  "null", 4096 + 512,
	4096, 1,                    16,                 UNUSED_INDEX,
	-EINVAL, "size");
BAD_ADD(block_size_1000,            0,                  "null", 1000 * 1000,
	1000, 1,                    16,                 UNUSED_INDEX,
	-EINVAL, "block-size");
BAD_ADD(block_size_8192,            0,                  "null", 8192 * 16,
	8192, 1,                    16,                 UNUSED_INDEX,
	-ERANGE, "block-size");
BAD_ADD(nr_queues_zero,             0,                  "null", 4 * MiB,
	512,  0,                    16,                 UNUSED_INDEX,
	-ERANGE, "nr-queues");
BAD_ADD(nr_queues_max_plus_1,       0,                  "null", 4 * MiB,
	512,  ZCBLK_MAX_QUEUES + 1, 16,                 UNUSED_INDEX,
	-ERANGE, "nr-queues");
BAD_ADD(queue_depth_zero,           0,                  "null", 4 * MiB,
	512,  1,                    0,                  UNUSED_INDEX,
	-ERANGE, "queue-depth");
BAD_ADD(queue_depth_max_plus_1,     0,                  "null", 4 * MiB,
	512,  1,                    ZCBLK_MAX_QUEUE_DEPTH + 1, UNUSED_INDEX,
	-ERANGE, "queue-depth");
BAD_ADD(unknown_backend,            0,                  "nope", 4 * MiB,
	512,  1,                    16,                 UNUSED_INDEX,
	-EINVAL, "backend");
BAD_ADD(missing_size,               ZCBLK_PARAM_SIZE,   "null", 4 * MiB,
	512,  1,                    16,                 UNUSED_INDEX,
	-EINVAL, "size");
BAD_ADD(missing_backend,            ZCBLK_PARAM_BACKEND, "null", 4 * MiB,
	512,  1,                    16,                 UNUSED_INDEX,
	-EINVAL, "backend");
BAD_ADD(index_max,                  0,                  "null", 4 * MiB,
	512,  1,                    16,                 ZCBLK_MAX_DEVS,
	-ERANGE, "index");

/* The same, for the attributes of the char device and the poll queues. */
#define BAD_ADD_PT(name, _poll_queues, _node_mode, _err, _attr)	\
	FIXTURE_VARIANT_ADD(bad_add, name) {				\
		.backend = "null", .size = 4 * MiB, .block_size = 512,	\
		.nr_queues = 1, .queue_depth = 16,			\
		.index = UNUSED_INDEX, .poll_queues = _poll_queues,	\
		.node_mode = _node_mode, .err = _err, .attr = _attr,	\
	}

BAD_ADD_PT(poll_queues_max_plus_1, ZCBLK_MAX_QUEUES + 1, 0600,
	   -ERANGE, "poll-queues");
BAD_ADD_PT(node_mode_01000,        0,                    01000,
	   -ERANGE, "node-mode");
BAD_ADD_PT(node_mode_04755,        0,                    04755,
	   -ERANGE, "node-mode");

/* The attributes of the file backend, flags, timeouts, completion. */
#define BAD_ADD_X(name, _backend, _extra_set, _err, _attr, ...)		\
	FIXTURE_VARIANT_ADD(bad_add, name) {				\
		.backend = _backend, .size = 4 * MiB, .block_size = 512,	\
		.nr_queues = 1, .queue_depth = 16,			\
		.index = UNUSED_INDEX, .extra_set = _extra_set,		\
		.err = _err, .attr = _attr, __VA_ARGS__			\
	}

/* NLA_POLICY_MASK: the netlink core's "reserved bit set", -EINVAL. */
BAD_ADD_X(flags_0x4, "null", ZCBLK_PARAM_FLAGS, -EINVAL, "flags",
	  .flags = 0x4);
BAD_ADD_X(buffered_mem, "mem", ZCBLK_PARAM_FLAGS, -EINVAL, "flags",
	  .flags = ZCBLK_DEV_F_BUFFERED);
BAD_ADD_X(timeout_ms_99, "null", ZCBLK_PARAM_TIMEOUT_MS, -ERANGE,
	  "timeout-ms", .timeout_ms = 99);
BAD_ADD_X(timeout_ms_1h_plus_1, "null", ZCBLK_PARAM_TIMEOUT_MS, -ERANGE,
	  "timeout-ms", .timeout_ms = 3600 * 1000 + 1);
BAD_ADD_X(completion_4, "null", ZCBLK_PARAM_COMPLETION, -ERANGE,
	  "completion", .completion = 4);
BAD_ADD_X(completion_ns_10s_plus_1, "null", ZCBLK_PARAM_COMPLETION_NS,
	  -ERANGE, "completion-ns", .completion_ns = 10 * NS_PER_S + 1);
BAD_ADD_X(path_on_null, "null", ZCBLK_PARAM_PATH, -EINVAL, "path",
	  .path = "/dev/null");
BAD_ADD_X(file_without_path, "file", 0, -EINVAL, "path");
BAD_ADD_X(file_path_missing, "file", ZCBLK_PARAM_PATH, -ENOENT, "path",
	  .path = "/nonexistent/zcblk-test.img");
BAD_ADD_X(file_path_directory, "file", ZCBLK_PARAM_PATH, -EINVAL, "path",
	  .path = "/");
BAD_ADD_X(file_path_char_device, "file", ZCBLK_PARAM_PATH, -EINVAL, "path",
	  .path = "/dev/null");

FIXTURE_SETUP(bad_add)
{
	zc_setup(_metadata, &self->zc);
}

FIXTURE_TEARDOWN_PARENT(bad_add)
{
	zc_teardown(_metadata, &self->zc);
}

TEST_F(bad_add, refused)
{
	struct zcblk_dev_params p = { .size = sizeof(p) };
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct find f = { .index = variant->index };
	const char *msg;
	int ret;

	p.set = (BASE_PARAMS & ~variant->unset) | variant->extra_set;
	strcpy(p.backend, variant->backend);
	p.disk_size = variant->size;
	p.block_size = variant->block_size;
	p.nr_queues = variant->nr_queues;
	p.queue_depth = variant->queue_depth;
	p.index = variant->index;
	p.poll_queues = variant->poll_queues;
	p.node_mode = variant->node_mode ? variant->node_mode : 0600;
	p.path = variant->path;
	p.flags = variant->flags;
	p.timeout_ms = variant->timeout_ms;
	p.completion = variant->completion;
	p.completion_ns = variant->completion_ns;

	ret = add_disk(_metadata, &self->zc, &p, &info);
	msg = zcblk_ctx_errmsg(self->zc.ctx);
	EXPECT_EQ(variant->err, ret) {
		TH_LOG("add: expected %s, got %s (\"%s\")",
		       strerror(-variant->err), ret ? strerror(-ret) : "success",
		       msg);
	}
	EXPECT_NE(NULL, strstr(msg, variant->attr)) {
		TH_LOG("errmsg \"%s\" does not name %s", msg, variant->attr);
	}
	/* Nothing was left behind. */
	ASSERT_EQ(0, zcblk_dev_list(self->zc.ctx, find_cb, &f));
	EXPECT_EQ(0, f.found);
}

TEST_HARNESS_MAIN
