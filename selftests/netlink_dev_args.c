// SPDX-License-Identifier: GPL-2.0
/*
 * The zcblk generic netlink family through libzcblk, its arguments: the
 * file backend's path and size, DEV_SET, and every DEV_ADD and DEV_SET
 * argument the kernel must refuse, with its errno and the attribute it
 * names.
 *
 * Needs root and zcblk.ko loaded (every test skips if the module is not).
 */
#include "nl_dev.h"

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

/* The set and bad_set fixtures: a context and a 16 MiB null disk. */
static void setup_null_disk(struct __test_metadata *_metadata, struct zc *zc,
			    struct zcblk_dev_info *info)
{
	struct zcblk_dev_params p = null_params(16 * MiB);
	int ret;

	zc_setup(_metadata, zc);
	if (_metadata->exit_code)
		return;
	ret = add_disk(_metadata, zc, &p, info);
	ASSERT_EQ(0, ret) {
		TH_LOG("add: %s: %s", strerror(-ret), zcblk_ctx_errmsg(zc->ctx));
	}
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
	setup_null_disk(_metadata, &self->zc, &self->info);
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
/* DNR alone: no status code, which the block path would take as success */
BAD_SET(fail_status_dnr_only, -EINVAL, "fail-status", ZCBLK_SET_FAIL_STATUS,
	.fail_status = 0x4000);
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
	setup_null_disk(_metadata, &self->zc, &self->info);
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
	bool node_mode_zero;	/* send 0 (devtmpfs would make it 0600) */
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
/* 2^63 bytes: past what loff_t addresses (the review found it accepted) */
BAD_ADD(size_above_max,             0,                  "null",
	ZCBLK_MAX_SIZE + 4096,
	4096, 1,                    16,                 UNUSED_INDEX,
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
/* devtmpfs turns 0 into 0600: the node's owner would get read-write */
FIXTURE_VARIANT_ADD(bad_add, node_mode_0) {
	.backend = "null", .size = 4 * MiB, .block_size = 512,
	.nr_queues = 1, .queue_depth = 16, .index = UNUSED_INDEX,
	.node_mode_zero = true, .err = -ERANGE, .attr = "node-mode",
};

/* The attributes of the file backend, flags, timeouts, completion. */
#define BAD_ADD_X(name, _backend, _extra_set, _err, _attr, ...)		\
	FIXTURE_VARIANT_ADD(bad_add, name) {				\
		.backend = _backend, .size = 4 * MiB, .block_size = 512,	\
		.nr_queues = 1, .queue_depth = 16,			\
		.index = UNUSED_INDEX, .extra_set = _extra_set,		\
		.err = _err, .attr = _attr, __VA_ARGS__			\
	}

/* NLA_POLICY_MASK: the netlink core's "reserved bit set", -EINVAL. */
BAD_ADD_X(flags_0x10, "null", ZCBLK_PARAM_FLAGS, -EINVAL, "flags",
	  .flags = 0x10);
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
	p.node_mode = variant->node_mode_zero ? 0 :
		      variant->node_mode ? variant->node_mode : 0600;
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
