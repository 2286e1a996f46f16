// SPDX-License-Identifier: GPL-2.0
/*
 * The zcblk generic netlink family through libzcblk: DEV_ADD, DEV_DEL,
 * DEV_GET and DEV_STATS (doit and dump), what a disk looks like once
 * added, and who may use them. DEV_SET and refused arguments:
 * netlink_dev_args.c.
 *
 * Needs root and zcblk.ko loaded (every test skips if the module is not).
 */
#include "nl_dev.h"

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

TEST_HARNESS_MAIN
