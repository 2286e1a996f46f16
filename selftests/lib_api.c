// SPDX-License-Identifier: GPL-2.0
/*
 * libzcblk beyond the disk commands: zcblk_features(), zcblk_dev_set()
 * when the kernel ACKs without describing the disk (removed meanwhile),
 * the monitor (zcblk_monitor_*: events in order, their contents, poll() on
 * its fd, a callback that stops the loop, an unprivileged subscriber), and
 * the passthrough helpers (io_uring SQE preparation for plain, registered
 * and vectored buffers, Write Zeroes, DSM, Flush; a failed prep leaves a
 * NOP; the CQE decoder; the synchronous ioctl helpers; status names, static
 * and thread-safe), the library's version (ZCBLK_VERSION_MAJOR/MINOR,
 * zcblk_check_version()), and the zone fields of struct zcblk_dev_params
 * and struct zcblk_dev_info (version 2) beside version-1 callers.
 *
 * The fixtures' tests need root and zcblk.ko loaded (they skip if the
 * module is not); the plain TESTs need neither.
 * Teardowns are FIXTURE_TEARDOWN_PARENT, for the reason netlink_dev.c
 * gives.
 */
#include <grp.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "pt_common.h"

#define MiB		(1ULL << 20)
#define NOBODY		65534
/* Indexes well away from the ones handed out (netlink_dev uses 4242). */
#define MON_INDEX	4300
#define SET_INDEX	4303
#define ZONED_INDEX	4310
#define EVENT_WAIT_MS	10000

/* ------------------------------------------------------------- features */

static void read_module_version(char *buf, size_t len)
{
	FILE *f = fopen("/sys/module/zcblk/version", "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

FIXTURE(api) {
	struct pt_env env;
};

FIXTURE_SETUP(api)
{
	pt_env_setup(_metadata, &self->env);
}

FIXTURE_TEARDOWN_PARENT(api)
{
	pt_env_teardown(_metadata, &self->env);
}

/* Every value FEATURES reports, as uapi and sysfs say it must be. */
TEST_F(api, features)
{
	struct zcblk_features f = { .size = sizeof(f) };
	struct zcblk_features small = { .size = ZCBLK_FEATURES_SIZE_VER1 - 1 };
	char version[64];
	int ret;

	ret = zcblk_features(self->env.ctx, &f);
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_features: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->env.ctx));
	}
	EXPECT_EQ(sizeof(f), f.size);
	ASSERT_EQ(3, f.nr_backends);
	/* The kernel's order: zcblk_backends[] in kernel/dev.c */
	EXPECT_STREQ("null", f.backends[0]);
	EXPECT_STREQ("mem", f.backends[1]);
	EXPECT_STREQ("file", f.backends[2]);
	EXPECT_EQ((1U << ZCBLK_CMD_DEV_ADD) | (1U << ZCBLK_CMD_DEV_DEL) |
		  (1U << ZCBLK_CMD_DEV_GET) | (1U << ZCBLK_CMD_DEV_STATS) |
		  (1U << ZCBLK_CMD_DEV_SET) | (1U << ZCBLK_CMD_FEATURES),
		  f.cmds);
	EXPECT_EQ(ZCBLK_DEV_F_READ_ONLY | ZCBLK_DEV_F_BUFFERED |
		  ZCBLK_DEV_F_ZONED | ZCBLK_DEV_F_EXTENDED_LBA |
		  ZCBLK_DEV_F_PI_FIRST, f.dev_flags);
	EXPECT_EQ((1U << ZCBLK_COMPLETION_INLINE) |
		  (1U << ZCBLK_COMPLETION_SOFTIRQ) |
		  (1U << ZCBLK_COMPLETION_TIMER), f.completions);
	EXPECT_EQ((1U << ZCBLK_FAIL_OPS_ALL) | (1U << ZCBLK_FAIL_OPS_READS) |
		  (1U << ZCBLK_FAIL_OPS_WRITES), f.fail_ops);
	EXPECT_EQ(ZCBLK_MAX_DEVS, f.max_devs);
	EXPECT_EQ(ZCBLK_MAX_QUEUES, f.max_queues);
	EXPECT_EQ(ZCBLK_MAX_QUEUE_DEPTH, f.max_queue_depth);
	EXPECT_EQ(PT_MAX_TRANSFER, f.max_transfer);
	read_module_version(version, sizeof(version));
	EXPECT_STRNE("", version);
	EXPECT_STREQ(version, f.version);
	/* libzcblk comes from the same release as the module. */
	EXPECT_STREQ(version, zcblk_version());

	EXPECT_EQ(-EINVAL, zcblk_features(self->env.ctx, &small));
	EXPECT_STREQ("zcblk_features: size too small",
		     zcblk_ctx_errmsg(self->env.ctx));
	EXPECT_EQ(-EINVAL, zcblk_features(self->env.ctx, NULL));
	EXPECT_EQ(-EINVAL, zcblk_features(NULL, &f));
}

/*
 * The version the header gives at compile time is the library's:
 * zcblk_version_major() and _minor(), and the start of zcblk_version()'s
 * string.  zcblk_check_version() is 1 up to that version, 0 beyond it.
 */
TEST(version_check)
{
	int major = zcblk_version_major(), minor = zcblk_version_minor();
	const char *str = zcblk_version();
	char want[32];
	size_t len;

	EXPECT_EQ(ZCBLK_VERSION_MAJOR, major);
	EXPECT_EQ(ZCBLK_VERSION_MINOR, minor);
	len = snprintf(want, sizeof(want), "%d.%d", major, minor);
	EXPECT_EQ(0, strncmp(want, str, len)) {
		TH_LOG("zcblk_version() \"%s\", want \"%s\"...", str, want);
	}
	EXPECT_FALSE(str[len] >= '0' && str[len] <= '9');

	EXPECT_EQ(1, zcblk_check_version(ZCBLK_VERSION_MAJOR,
					 ZCBLK_VERSION_MINOR));
	EXPECT_EQ(1, zcblk_check_version(major, 0));
	EXPECT_EQ(1, zcblk_check_version(0, 0));
	if (minor > 0)
		EXPECT_EQ(1, zcblk_check_version(major, minor - 1));
	if (major > 0)
		EXPECT_EQ(1, zcblk_check_version(major - 1, minor + 1));
	EXPECT_EQ(0, zcblk_check_version(major, minor + 1));
	EXPECT_EQ(0, zcblk_check_version(major + 1, 0));
	EXPECT_EQ(0, zcblk_check_version(major + 1, minor));
}

/* ---------------------------------------------------------- dev_set */

/*
 * zcblk_nl_dev_set_doit() makes the change, then looks the disk up again
 * to describe it; a DEV_DEL that wins the race in between leaves it with
 * nothing to describe, and it ACKs the request without a reply.  No
 * request can be timed into that window, so the test gives libzcblk that
 * answer itself: while drop_replies is set, this recv() (which the
 * library's zcblk__transact() calls; the executable's definition comes
 * before libc's) swallows every netlink data message, that is the
 * DEV_SET reply, and lets the ACK through.  recvfrom() is libc's own.
 */
static int drop_replies;
static int replies_dropped;

ssize_t lib_api_recv(int fd, void *buf, size_t len, int flags)
	__asm__("recv");
ssize_t lib_api_recv(int fd, void *buf, size_t len, int flags)
{
	for (;;) {
		ssize_t n = recvfrom(fd, buf, len, flags, NULL, NULL);
		const struct nlmsghdr *nlh = buf;

		if (!drop_replies || n < (ssize_t)sizeof(*nlh) ||
		    nlh->nlmsg_type < NLMSG_MIN_TYPE)
			return n;
		replies_dropped++;
	}
}

static void fill_info(struct zcblk_dev_info *info, int byte)
{
	memset(info, byte, sizeof(*info));
	info->size = sizeof(*info);
}

/*
 * DEV_SET answered by an ACK alone: the change was made but the disk is
 * gone, so zcblk_dev_set() returns -ENODEV, with @out untouched and its
 * reason in zcblk_ctx_errmsg(), not 0 with @out unfilled; with a NULL
 * @out as well.  The change is visible (the disk is in fact still there),
 * and the same call with the reply delivered returns 0 and fills @out.
 */
TEST_F(api, set_disk_gone)
{
	struct zcblk_dev_settings s = { .size = sizeof(s) };
	struct zcblk_dev_info out, before, info = { .size = sizeof(info) };
	struct zcblk_ctx *ctx = self->env.ctx;
	struct zcblk_dev_params p = { .size = sizeof(p) };
	int ret;

	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE | ZCBLK_PARAM_INDEX;
	strcpy(p.backend, "null");
	p.disk_size = 1ULL << 20;
	p.index = SET_INDEX;
	ASSERT_EQ(0, zcblk_dev_add(ctx, &p, NULL));
	self->env.idx[self->env.n++] = p.index;

	s.set = ZCBLK_SET_LATENCY_NS;
	s.latency_ns = 777;
	fill_info(&out, 0x5a);
	before = out;
	replies_dropped = 0;
	drop_replies = 1;
	ret = zcblk_dev_set(ctx, p.index, &s, &out);
	drop_replies = 0;
	EXPECT_EQ(1, replies_dropped);
	EXPECT_EQ(-ENODEV, ret) {
		TH_LOG("an ACK without the disk: %d (%s)", ret,
		       ret ? strerror(-ret) : "success, out unfilled");
	}
	EXPECT_STREQ("index: disk removed right after the change",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(0, memcmp(&before, &out, sizeof(out)));
	ASSERT_EQ(0, zcblk_dev_get(ctx, p.index, &info));
	EXPECT_EQ(777, info.latency_ns);

	s.latency_ns = 888;
	replies_dropped = 0;
	drop_replies = 1;
	ret = zcblk_dev_set(ctx, p.index, &s, NULL);
	drop_replies = 0;
	EXPECT_EQ(1, replies_dropped);
	EXPECT_EQ(-ENODEV, ret);

	/* The reply delivered: 0, and @out describes the disk. */
	s.latency_ns = 999;
	ret = zcblk_dev_set(ctx, p.index, &s, &out);
	ASSERT_EQ(0, ret) {
		TH_LOG("DEV_SET: %s: %s", strerror(-ret), zcblk_ctx_errmsg(ctx));
	}
	EXPECT_EQ(p.index, out.index);
	EXPECT_EQ(999, out.latency_ns);
	EXPECT_STREQ("null", out.backend);
	EXPECT_EQ(ZCBLK_DEV_STATE_LIVE, out.state);
	EXPECT_EQ(0, pt_disk_del(&self->env, p.index));
}

/* ------------------------------------------------- zoned, size versions */

/*
 * A zoned disk through version 2 of the structures: what was asked comes
 * back in DEV_ADD's reply and DEV_GET, the padding 0.  A version-1
 * @out gets the version-1 fields and not a byte beyond its size.  A
 * version-1 @params: the bytes past its size are not read (garbage there
 * changes nothing: the kernel's defaults, 64 MiB zones of full capacity),
 * and a zone bit in @set is refused by the library (-EINVAL, no disk).
 * Zone fields without the zoned flag: the kernel's -EINVAL, naming the
 * attribute.
 */
TEST_F(api, zoned_versions)
{
	struct zcblk_dev_info out = { .size = sizeof(out) };
	struct zcblk_dev_info got, v1;
	struct zcblk_ctx *ctx = self->env.ctx;
	struct zcblk_dev_params p = { .size = sizeof(p) }, old;
	int ret;
	size_t i;

	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE | ZCBLK_PARAM_INDEX |
		ZCBLK_PARAM_FLAGS | ZCBLK_PARAM_ZONE_SIZE |
		ZCBLK_PARAM_ZONE_CAPACITY | ZCBLK_PARAM_ZONE_NR_CONV |
		ZCBLK_PARAM_ZONE_MAX_OPEN | ZCBLK_PARAM_ZONE_MAX_ACTIVE;
	strcpy(p.backend, "mem");
	p.disk_size = 256 * MiB;
	p.index = ZONED_INDEX;
	p.flags = ZCBLK_DEV_F_ZONED;
	p.zone_size = 32 * MiB;
	p.zone_capacity = 24 * MiB;
	p.zone_nr_conv = 1;
	p.zone_max_open = 4;
	p.zone_max_active = 6;
	ret = zcblk_dev_add(ctx, &p, &out);
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_dev_add zoned: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(ctx));
	}
	self->env.idx[self->env.n++] = p.index;
	fill_info(&got, 0x5a);
	ASSERT_EQ(0, zcblk_dev_get(ctx, p.index, &got));
	for (i = 0; i < 2; i++) {
		const struct zcblk_dev_info *x = i ? &got : &out;

		EXPECT_EQ(ZCBLK_DEV_F_ZONED, x->flags);
		EXPECT_EQ(256 * MiB, x->disk_size);
		EXPECT_EQ(32 * MiB, x->zone_size);
		EXPECT_EQ(24 * MiB, x->zone_capacity);
		EXPECT_EQ(1, x->zone_nr_conv);
		EXPECT_EQ(4, x->zone_max_open);
		EXPECT_EQ(6, x->zone_max_active);
		EXPECT_EQ(0, x->metadata_size);
	}

	/* A version-1 @out: its fields, nothing past them. */
	fill_info(&v1, 0x5a);
	v1.size = ZCBLK_DEV_INFO_SIZE_VER1;
	ASSERT_EQ(0, zcblk_dev_get(ctx, p.index, &v1));
	EXPECT_EQ(ZCBLK_DEV_INFO_SIZE_VER1, v1.size);
	EXPECT_EQ(ZONED_INDEX, v1.index);
	EXPECT_EQ(ZCBLK_DEV_F_ZONED, v1.flags);
	for (i = ZCBLK_DEV_INFO_SIZE_VER1; i < sizeof(v1); i++) {
		ASSERT_EQ(0x5a, ((unsigned char *)&v1)[i]) {
			TH_LOG("byte %zu of a version-1 info written", i);
		}
	}
	ASSERT_EQ(0, pt_disk_del(&self->env, p.index));

	/* A version-1 @params: the bytes beyond it are not the caller's. */
	old = p;
	old.size = ZCBLK_DEV_PARAMS_SIZE_VER1;
	old.set &= ~(ZCBLK_PARAM_ZONE_SIZE | ZCBLK_PARAM_ZONE_CAPACITY |
		     ZCBLK_PARAM_ZONE_NR_CONV | ZCBLK_PARAM_ZONE_MAX_OPEN |
		     ZCBLK_PARAM_ZONE_MAX_ACTIVE);
	old.disk_size = 128 * MiB;
	old.metadata_size = 0xdead;	/* past its size: not its field */
	ret = zcblk_dev_add(ctx, &old, &out);
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_dev_add, version 1, zoned: %s: %s",
		       strerror(-ret), zcblk_ctx_errmsg(ctx));
	}
	self->env.idx[self->env.n++] = old.index;
	EXPECT_EQ(ZCBLK_DEV_F_ZONED, out.flags);
	EXPECT_EQ(64 * MiB, out.zone_size);
	EXPECT_EQ(64 * MiB, out.zone_capacity);
	EXPECT_EQ(0, out.zone_nr_conv);
	EXPECT_EQ(0, out.zone_max_open);
	EXPECT_EQ(0, out.zone_max_active);
	ASSERT_EQ(0, pt_disk_del(&self->env, old.index));

	old.set |= ZCBLK_PARAM_ZONE_SIZE;
	EXPECT_EQ(-EINVAL, zcblk_dev_add(ctx, &old, NULL));
	EXPECT_STREQ("zcblk_dev_params: size too small for its version 2 fields",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-ENODEV, zcblk_dev_get(ctx, old.index, &got));

	/* Version 2, a reserved field set: refused by the library. */
	p.__reserved = 1;
	EXPECT_EQ(-EINVAL, zcblk_dev_add(ctx, &p, NULL));
	EXPECT_STREQ("zcblk_dev_params: reserved field set",
		     zcblk_ctx_errmsg(ctx));
	p.__reserved = 0;

	/* A zone field without the zoned flag: the kernel refuses it. */
	p.flags = 0;
	p.set &= ~(ZCBLK_PARAM_ZONE_SIZE | ZCBLK_PARAM_ZONE_CAPACITY |
		   ZCBLK_PARAM_ZONE_NR_CONV | ZCBLK_PARAM_ZONE_MAX_ACTIVE);
	EXPECT_EQ(-EINVAL, zcblk_dev_add(ctx, &p, NULL));
	EXPECT_STREQ("zone-max-open: zone attributes need the zoned flag",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-ENODEV, zcblk_dev_get(ctx, p.index, &got));
}

/* -------------------------------------------------------------- monitor */

static int add_mem(struct __test_metadata *_metadata, struct pt_env *env,
		   __u32 index, __u64 size)
{
	struct zcblk_dev_params p = { .size = sizeof(p) };
	int ret;

	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE | ZCBLK_PARAM_INDEX;
	strcpy(p.backend, "mem");
	p.disk_size = size;
	p.index = index;
	ret = zcblk_dev_add(env->ctx, &p, NULL);
	if (ret)
		TH_LOG("zcblk_dev_add %u: %s: %s", index, strerror(-ret),
		       zcblk_ctx_errmsg(env->ctx));
	else if (env->n < PT_MAX_DISKS)
		env->idx[env->n++] = index;
	return ret;
}

static int set_latency(struct pt_env *env, __u32 index, __u64 ns)
{
	struct zcblk_dev_settings s = { .size = sizeof(s) };

	s.set = ZCBLK_SET_LATENCY_NS;
	s.latency_ns = ns;
	return zcblk_dev_set(env->ctx, index, &s, NULL);
}

struct event {
	__u32 type;
	struct zcblk_dev_info info;
};

/*
 * Add, a refused DEV_SET, a DEV_SET, del: exactly DEV_ADDED, DEV_CHANGED
 * (with the new value), DEV_REMOVED (state dead), about that disk, and
 * then nothing.  zcblk_monitor_fd() is readable once an event is waiting.
 */
TEST_F(api, monitor_events)
{
	struct zcblk_monitor *mon = NULL;
	struct pollfd pfd;
	struct event ev[3];
	struct zcblk_dev_info extra = { .size = sizeof(extra) };
	__u32 type;
	int i, ret;

	ASSERT_EQ(0, zcblk_monitor_open(self->env.ctx, &mon));
	pfd.fd = zcblk_monitor_fd(mon);
	pfd.events = POLLIN;
	ASSERT_LE(0, pfd.fd);
	EXPECT_EQ(0, poll(&pfd, 1, 0));	/* nothing yet */
	EXPECT_EQ(0, zcblk_monitor_next(mon, &type, &extra, 0));

	ASSERT_EQ(0, add_mem(_metadata, &self->env, MON_INDEX, MiB));
	EXPECT_EQ(1, poll(&pfd, 1, EVENT_WAIT_MS));
	EXPECT_TRUE(pfd.revents & POLLIN);
	EXPECT_EQ(-ERANGE, zcblk_dev_set(self->env.ctx, MON_INDEX,
					 &(struct zcblk_dev_settings){
						.size = sizeof(struct zcblk_dev_settings),
						.set = ZCBLK_SET_FAIL_PPM,
						.fail_ppm = 1000001 }, NULL));
	ASSERT_EQ(0, set_latency(&self->env, MON_INDEX, 12345));
	ASSERT_EQ(0, pt_disk_del(&self->env, MON_INDEX));

	for (i = 0; i < 3; i++) {
		ev[i].info.size = sizeof(ev[i].info);
		ret = zcblk_monitor_next(mon, &ev[i].type, &ev[i].info,
					 EVENT_WAIT_MS);
		ASSERT_EQ(1, ret) {
			TH_LOG("event %d: %d (%s)", i, ret,
			       ret < 0 ? strerror(-ret) : "timeout");
		}
	}
	EXPECT_EQ(0, zcblk_monitor_next(mon, &type, &extra, 500)) {
		TH_LOG("a 4th event: %s about disk %u",
		       zcblk_event_name(type), extra.index);
	}
	zcblk_monitor_close(mon);

	EXPECT_EQ(ZCBLK_CMD_DEV_ADDED, ev[0].type);
	EXPECT_EQ(ZCBLK_CMD_DEV_CHANGED, ev[1].type);
	EXPECT_EQ(ZCBLK_CMD_DEV_REMOVED, ev[2].type);
	EXPECT_STREQ("added", zcblk_event_name(ev[0].type));
	EXPECT_STREQ("changed", zcblk_event_name(ev[1].type));
	EXPECT_STREQ("removed", zcblk_event_name(ev[2].type));
	EXPECT_STREQ("unknown", zcblk_event_name(ZCBLK_CMD_DEV_GET));
	for (i = 0; i < 3; i++) {
		const struct zcblk_dev_info *x = &ev[i].info;
		char name[32];

		snprintf(name, sizeof(name), "zcblk%u", MON_INDEX);
		EXPECT_EQ(sizeof(*x), x->size);
		EXPECT_EQ(MON_INDEX, x->index);
		EXPECT_STREQ(name, x->disk_name);
		strcat(name, "c");
		EXPECT_STREQ(name, x->char_name);
		EXPECT_STREQ("mem", x->backend);
		EXPECT_EQ(MiB, x->disk_size);
		EXPECT_EQ(512, x->block_size);
		EXPECT_EQ(1, x->nr_queues);
		EXPECT_EQ(128, x->queue_depth);
		EXPECT_EQ(ZCBLK_COMPLETION_INLINE, x->completion);
		EXPECT_EQ(0x6, x->fail_status);
		EXPECT_EQ(0, x->fail_ppm);
		EXPECT_EQ(i ? 12345 : 0, x->latency_ns);
	}
	EXPECT_EQ(ZCBLK_DEV_STATE_LIVE, ev[0].info.state);
	EXPECT_EQ(ZCBLK_DEV_STATE_LIVE, ev[1].info.state);
	EXPECT_EQ(ZCBLK_DEV_STATE_DEAD, ev[2].info.state);
}

struct stop_after {
	int seen;
	__u32 types[4];
	__u32 index;
};

static int stop_at_second(__u32 type, const struct zcblk_dev_info *info,
			  void *arg)
{
	struct stop_after *s = arg;

	s->types[s->seen++] = type;
	s->index = info->index;
	return s->seen == 2 ? 42 : 0;
}

/*
 * zcblk_monitor_run(): the callback sees the events in order, and its
 * non-zero return ends the loop and is returned; the third event is still
 * there for zcblk_monitor_next().  Bad arguments are refused.
 */
TEST_F(api, monitor_run_callback)
{
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct zcblk_dev_info small = { .size = ZCBLK_DEV_INFO_SIZE_VER1 - 1 };
	struct stop_after s = { 0 };
	struct zcblk_monitor *mon = NULL;
	__u32 type;

	EXPECT_EQ(-EINVAL, zcblk_monitor_open(self->env.ctx, NULL));
	EXPECT_EQ(-EINVAL, zcblk_monitor_open(NULL, &mon));
	ASSERT_EQ(0, zcblk_monitor_open(self->env.ctx, &mon));
	EXPECT_EQ(-EINVAL, zcblk_monitor_next(mon, &type, &small, 0));
	EXPECT_EQ(-EINVAL, zcblk_monitor_run(mon, NULL, NULL));

	ASSERT_EQ(0, add_mem(_metadata, &self->env, MON_INDEX + 1, MiB));
	ASSERT_EQ(0, set_latency(&self->env, MON_INDEX + 1, 1));
	ASSERT_EQ(0, pt_disk_del(&self->env, MON_INDEX + 1));

	EXPECT_EQ(42, zcblk_monitor_run(mon, stop_at_second, &s));
	EXPECT_EQ(2, s.seen);
	EXPECT_EQ(ZCBLK_CMD_DEV_ADDED, s.types[0]);
	EXPECT_EQ(ZCBLK_CMD_DEV_CHANGED, s.types[1]);
	EXPECT_EQ(MON_INDEX + 1, s.index);
	EXPECT_EQ(1, zcblk_monitor_next(mon, &type, &info, EVENT_WAIT_MS));
	EXPECT_EQ(ZCBLK_CMD_DEV_REMOVED, type);
	EXPECT_EQ(MON_INDEX + 1, info.index);
	zcblk_monitor_close(mon);
	zcblk_monitor_close(NULL);
}

/*
 * As user nobody: open a context and a monitor, say so on a pipe, then
 * wait for one event and report its type and index.  Exit codes: 0 ok,
 * 10 + step on failure.
 */
static int unprivileged_listener(int ready_fd, int result_fd)
{
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct zcblk_monitor *mon;
	struct zcblk_ctx *ctx;
	__u32 msg[2];

	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return 10;
	if (zcblk_ctx_open(&ctx))
		return 11;
	if (zcblk_monitor_open(ctx, &mon))
		return 12;
	zcblk_ctx_close(ctx);
	if (write(ready_fd, "r", 1) != 1)
		return 13;
	if (zcblk_monitor_next(mon, &msg[0], &info, EVENT_WAIT_MS) != 1)
		return 14;
	msg[1] = info.index;
	if (write(result_fd, msg, sizeof(msg)) != sizeof(msg))
		return 15;
	zcblk_monitor_close(mon);
	return 0;
}

/* A monitor needs no privilege: nobody sees root's DEV_ADDED. */
TEST_F(api, monitor_unprivileged)
{
	int ready[2], result[2], status;
	__u32 msg[2] = { 0, 0 };
	char c;
	pid_t pid;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(result));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(unprivileged_listener(ready[1], result[1]));
	close(ready[1]);
	close(result[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1)) {
		waitpid(pid, &status, 0);
		TH_LOG("the listener failed before subscribing: exit %d",
		       WEXITSTATUS(status));
	}
	ASSERT_EQ(0, add_mem(_metadata, &self->env, MON_INDEX + 2, MiB));
	EXPECT_EQ(sizeof(msg), read(result[0], msg, sizeof(msg)));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("listener as nobody: exit %d (10 setuid, 11 ctx, "
		       "12 monitor, 13 pipe, 14 no event, 15 pipe)",
		       WEXITSTATUS(status));
	}
	EXPECT_EQ(ZCBLK_CMD_DEV_ADDED, msg[0]);
	EXPECT_EQ(MON_INDEX + 2, msg[1]);
	close(ready[0]);
	close(result[0]);
}

/* ---------------------------------------------------------- passthrough */

#define NBLK		8		/* blocks per command */
#define BS		512

/* Submits the SQE the caller prepared and decodes its CQE. */
static int submit_one(struct pt_q *q, __u64 *result)
{
	struct io_uring_cqe *cqe;
	int ret;

	if (io_uring_submit(&q->ring) != 1)
		return PT_EHARNESS;
	if (io_uring_wait_cqe(&q->ring, &cqe))
		return PT_EHARNESS;
	if (cqe->user_data != 0xc0ffee)
		ret = PT_EHARNESS;
	else
		ret = zcblk_pt_cqe_status(cqe, result);
	io_uring_cqe_seen(&q->ring, cqe);
	return ret;
}

/*
 * An SQE of @q filled by @call (which names it __sqe): the prep helpers
 * write the whole SQE, so user_data is set after them.
 */
#define PREP(q, call)						\
	({							\
		struct io_uring_sqe *__sqe = io_uring_get_sqe(&(q)->ring); \
		int __r = __sqe ? (call) : PT_EHARNESS;		\
		if (__sqe)					\
			__sqe->user_data = 0xc0ffee;		\
		__r;						\
	})

FIXTURE(pt) {
	struct pt_env env;
	struct pt_disk d;
	struct pt_q q;
	int cfd;
	void *wbuf, *rbuf;
};

FIXTURE_SETUP(pt)
{
	struct pt_disk_cfg cfg = { .backend = "mem", .size = MiB, .bs = BS };

	self->cfd = -1;
	self->q.up = false;
	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
	pt_open(_metadata, &self->d, &self->cfd, NULL);
	ASSERT_EQ(0, pt_q_init(&self->q, self->cfd, 8, PT_RING_FLAGS));
	self->wbuf = pt_map(NBLK * BS);
	self->rbuf = pt_map(NBLK * BS);
	ASSERT_NE(NULL, self->wbuf);
	ASSERT_NE(NULL, self->rbuf);
}

FIXTURE_TEARDOWN_PARENT(pt)
{
	pt_env_teardown(_metadata, &self->env);
}

/*
 * io_uring: Write then Read through plain, registered and vectored
 * buffers, each read compared with what was written; stats count the
 * registered bytes; Write Zeroes (with and without deallocate) and DSM
 * read back as zeroes; Flush succeeds. Every Read goes into a buffer
 * filled with 0xaa first: the data or zeroes found there are its own.
 */
TEST_F(pt, uring_round_trip)
{
	const __u32 len = NBLK * BS;
	struct zcblk_dev_stats st;
	struct zcblk_dsm_range range = { .nlb = NBLK, .slba = 40 };
	struct iovec riov[2], wiov[2], reg[2];
	struct pt_q *q = &self->q;
	__u64 result = ~0ULL;
	int ret;

	/* Plain buffers */
	pt_fill(self->wbuf, BS, 8, NBLK, 1);
	ret = PREP(q, zcblk_pt_prep_write(__sqe, self->cfd, 8, NBLK,
					  self->wbuf, len));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, submit_one(q, &result));
	EXPECT_EQ(0, result);
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_read(__sqe, self->cfd, 8, NBLK,
						self->rbuf, len)));
	ASSERT_EQ(0, submit_one(q, NULL));
	EXPECT_TRUE(pt_verify(_metadata, self->rbuf, BS, 8, NBLK, 1,
			      "plain read"));

	/* Registered buffers: the pages io_uring pinned, zcblk pins none. */
	reg[0] = (struct iovec){ self->wbuf, len };
	reg[1] = (struct iovec){ self->rbuf, len };
	ASSERT_EQ(0, io_uring_register_buffers(&q->ring, reg, 2));
	pt_fill(self->wbuf, BS, 16, NBLK, 2);
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_write_fixed(__sqe, self->cfd, 16,
						       NBLK, self->wbuf, len,
						       0)));
	ASSERT_EQ(0, submit_one(q, NULL));
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_read_fixed(__sqe, self->cfd, 16,
						      NBLK, self->rbuf, len,
						      1)));
	ASSERT_EQ(0, submit_one(q, NULL));
	EXPECT_TRUE(pt_verify(_metadata, self->rbuf, BS, 16, NBLK, 2,
			      "registered read"));
	ASSERT_EQ(0, pt_stats_idle(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(2 * len, st.fixed_bytes);
	EXPECT_EQ(2 * pt_pages(self->wbuf, len), st.pinned_pages);

	/* Vectored: two halves each way */
	pt_fill(self->wbuf, BS, 24, NBLK, 3);
	wiov[0] = (struct iovec){ self->wbuf, len / 2 };
	wiov[1] = (struct iovec){ (char *)self->wbuf + len / 2, len / 2 };
	riov[0] = (struct iovec){ (char *)self->rbuf + len / 2, len / 2 };
	riov[1] = (struct iovec){ self->rbuf, len / 2 };
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_writev(__sqe, self->cfd, 24, NBLK,
						  wiov, 2)));
	ASSERT_EQ(0, submit_one(q, NULL));
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_readv(__sqe, self->cfd, 24, NBLK,
						 riov, 2)));
	ASSERT_EQ(0, submit_one(q, NULL));
	/* The halves came back swapped, as the iovecs asked. */
	EXPECT_TRUE(pt_verify(_metadata, (char *)self->rbuf + len / 2, BS, 24,
			      NBLK / 2, 3, "readv, first half"));
	EXPECT_TRUE(pt_verify(_metadata, self->rbuf, BS, 24 + NBLK / 2,
			      NBLK / 2, 3, "readv, second half"));

	/* Write Zeroes, DSM: zeroes where data was */
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_write_zeroes(__sqe, self->cfd, 8,
							NBLK, 0)));
	ASSERT_EQ(0, submit_one(q, NULL));
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_write_zeroes(__sqe, self->cfd, 16,
							NBLK,
							ZCBLK_PT_DEALLOCATE)));
	ASSERT_EQ(0, submit_one(q, NULL));
	pt_fill(self->wbuf, BS, 40, NBLK, 4);
	ASSERT_EQ(0, zcblk_pt_write(self->cfd, 40, NBLK, self->wbuf, len));
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_dsm(__sqe, self->cfd, &range, 1)));
	ASSERT_EQ(0, submit_one(q, NULL));
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_flush(__sqe, self->cfd)));
	ASSERT_EQ(0, submit_one(q, NULL));
	/* Each Read into bytes it must overwrite: zeroes are its own. */
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, zcblk_pt_read(self->cfd, 8, NBLK, self->rbuf, len));
	EXPECT_TRUE(pt_all_bytes(self->rbuf, len, 0)) {
		TH_LOG("LBA 8: not zeroes after Write Zeroes");
	}
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, zcblk_pt_read(self->cfd, 16, NBLK, self->rbuf, len));
	EXPECT_TRUE(pt_all_bytes(self->rbuf, len, 0)) {
		TH_LOG("LBA 16: not zeroes after Write Zeroes with deallocate");
	}
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, zcblk_pt_read(self->cfd, 40, NBLK, self->rbuf, len));
	EXPECT_TRUE(pt_all_bytes(self->rbuf, len, 0)) {
		TH_LOG("LBA 40: not zeroes after DSM deallocate");
	}
	pt_q_exit(q);
}

/*
 * Errors, decoded: a read past the end is LBA Out of Range (0x4080, DNR)
 * through io_uring and through the ioctl; an unknown opcode and an
 * unknown DSM attribute bit are not something the helpers build, so raw
 * commands through the generic prep check Invalid Command Opcode (0x4001)
 * and Invalid Field in Command (0x4002). The helpers refuse bad arguments
 * themselves.
 */
TEST_F(pt, errors_decoded)
{
	const __u32 len = NBLK * BS;
	struct nvme_uring_cmd c = pt_rw(PT_OP_READ, 0, 1, self->rbuf, BS);
	struct zcblk_dsm_range range = { .nlb = 1, .slba = 0 };
	struct nvme_uring_cmd dsm = {
		.opcode = PT_OP_DSM,
		.nsid = PT_NSID,
		.cdw10 = 0,			/* one range */
		.cdw11 = PT_DSM_AD | (1U << 3),	/* bit 3: undefined */
		.addr = (uintptr_t)self->wbuf,
		.data_len = sizeof(range),
	};
	struct io_uring_sqe sqe;
	struct iovec iov = { self->rbuf, len };
	int ret;

	ret = PREP(&self->q, zcblk_pt_prep_read(__sqe, self->cfd,
						self->d.nlbas - 1, 2,
						self->rbuf, 2 * BS));
	ASSERT_EQ(0, ret);
	ret = submit_one(&self->q, NULL);
	EXPECT_EQ(0x4080, ret);
	EXPECT_EQ(ZCBLK_NVME_DNR, ret & ZCBLK_NVME_DNR);
	EXPECT_EQ(0x80, ZCBLK_NVME_SC(ret));
	EXPECT_EQ(0, ZCBLK_NVME_SCT(ret));
	EXPECT_STREQ("LBA Out of Range", zcblk_pt_status_str(ret));

	ret = zcblk_pt_read(self->cfd, self->d.nlbas, 1, self->rbuf, BS);
	EXPECT_EQ(0x4080, ret);
	EXPECT_STREQ("LBA Out of Range", zcblk_pt_status_str(ret));

	/* Invalid opcode, through the generic prep */
	c.opcode = 0x7f;
	ASSERT_EQ(0, PREP(&self->q, zcblk_pt_prep_cmd(__sqe, self->cfd,
						      NVME_URING_CMD_IO, &c,
						      -1)));
	ret = submit_one(&self->q, NULL);
	EXPECT_EQ(0x4001, ret);
	EXPECT_STREQ("Invalid Command Opcode", zcblk_pt_status_str(ret));

	/* DSM with attribute bit 3 set, through the generic prep */
	memcpy(self->wbuf, &range, sizeof(range));
	ASSERT_EQ(0, PREP(&self->q, zcblk_pt_prep_cmd(__sqe, self->cfd,
						      NVME_URING_CMD_IO, &dsm,
						      -1)));
	ret = submit_one(&self->q, NULL);
	EXPECT_EQ(0x4002, ret);
	EXPECT_STREQ("Invalid Field in Command", zcblk_pt_status_str(ret));

	/* Names: zcblk's own, injected ones, errnos, unknown */
	EXPECT_STREQ("Success", zcblk_pt_status_str(0));
	EXPECT_STREQ("Invalid Field in Command", zcblk_pt_status_str(0x4002));
	EXPECT_STREQ("Invalid Namespace or Format",
		     zcblk_pt_status_str(0x400b));
	EXPECT_STREQ("Namespace is Write Protected",
		     zcblk_pt_status_str(0x4020));
	EXPECT_STREQ("Internal Error", zcblk_pt_status_str(0x6));
	EXPECT_STREQ("Compare Failure", zcblk_pt_status_str(0x4285));
	EXPECT_STREQ("Unrecovered Read Error", zcblk_pt_status_str(0x281));
	EXPECT_STREQ("Unknown NVMe status", zcblk_pt_status_str(0x7ff));
	EXPECT_STREQ(strerror(ENODEV), zcblk_pt_status_str(-ENODEV));

	/* Refused by the helpers */
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_read(&sqe, self->cfd, 0, 0,
					      self->rbuf, 0));
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_read(&sqe, self->cfd, 0,
					      ZCBLK_PT_MAX_BLOCKS + 1,
					      self->rbuf, len));
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_read(NULL, self->cfd, 0, 1,
					      self->rbuf, BS));
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_readv(&sqe, self->cfd, 0, 1, &iov,
					       0));
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_cmd(&sqe, self->cfd,
					     NVME_URING_CMD_IO_VEC, &c, 0));
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_cmd(&sqe, self->cfd,
					     NVME_URING_CMD_ADMIN, &c, -1));
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_write_zeroes(&sqe, self->cfd, 0, 1,
						      2));
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_dsm(&sqe, self->cfd, NULL, 1));
	EXPECT_EQ(-EINVAL, zcblk_pt_dsm(self->cfd, &(struct zcblk_dsm_range){
					.nlb = 1 }, ZCBLK_PT_MAX_DSM_RANGES + 1));
	EXPECT_EQ(-EINVAL, zcblk_pt_write(self->cfd, 0, 0, self->wbuf, 0));
	EXPECT_EQ(-EBADF, zcblk_pt_flush(-1));
	pt_q_exit(&self->q);
}

/*
 * Refusals of every prep helper that can fail with an SQE, each with the
 * same bad argument zcblk_pt_prep_*() would see from a caller's bug.
 */
static int bad_prep(int which, struct io_uring_sqe *sqe, int fd, void *buf)
{
	struct nvme_uring_cmd c = pt_rw(PT_OP_WRITE, 0, 1, buf, BS);
	struct iovec iov = { buf, BS };

	switch (which) {
	case 0:	/* no block */
		return zcblk_pt_prep_write(sqe, fd, 0, 0, buf, 0);
	case 1:	/* too many */
		return zcblk_pt_prep_read(sqe, fd, 0, ZCBLK_PT_MAX_BLOCKS + 1,
					  buf, BS);
	case 2:
		return zcblk_pt_prep_write_fixed(sqe, fd, 0, 0, buf, 0, 0);
	case 3:
		return zcblk_pt_prep_read_fixed(sqe, fd, 0, 0, buf, 0, 0);
	case 4:	/* no iovec */
		return zcblk_pt_prep_writev(sqe, fd, 0, 1, &iov, 0);
	case 5:
		return zcblk_pt_prep_readv(sqe, fd, 0, 1, NULL, 1);
	case 6:	/* unknown flag */
		return zcblk_pt_prep_write_zeroes(sqe, fd, 0, 1, 2);
	case 7:
		return zcblk_pt_prep_dsm(sqe, fd, NULL, 1);
	case 8:
		return zcblk_pt_prep_dsm(sqe, fd, &(struct zcblk_dsm_range){
					 .nlb = 1 }, 0);
	case 9:	/* an admin ring command */
		return zcblk_pt_prep_cmd(sqe, fd, NVME_URING_CMD_ADMIN, &c, -1);
	case 10:
		return zcblk_pt_prep_cmd(sqe, fd, NVME_URING_CMD_IO, NULL, -1);
	case 11: /* registered buffer with iovecs */
		return zcblk_pt_prep_cmd(sqe, fd, NVME_URING_CMD_IO_VEC, &c, 0);
	case 12:
		return zcblk_pt_prep_cmd(sqe, fd, NVME_URING_CMD_IO, &c,
					 UINT16_MAX + 1);
	}
	return PT_EHARNESS;
}
#define NR_BAD_PREPS	13
#define NOP_LBA		200

/*
 * A failed prep leaves a NOP, not the ring slot's last command.  On a
 * one-entry ring every io_uring_get_sqe() is the same slot: a Write of
 * pattern A to LBA NOP_LBA is prepared there and run, its buffer then
 * holds pattern B; each failing prep into that slot must return -EINVAL
 * and leave a NOP (user_data 0), whose submission completes with res 0
 * and a zero result while the disk sees no command (its counters stay)
 * and the LBAs keep pattern A.  Had the slot kept the old Write, it would
 * have written pattern B again.
 */
TEST_F(pt, failed_prep_is_nop)
{
	const __u32 len = NBLK * BS;
	struct zcblk_dev_stats st0, st1;
	struct io_uring_sqe *sqe, *slot;
	struct pt_q q1;
	__u64 result;
	int i, ret;

	ASSERT_EQ(0, pt_q_init(&q1, self->cfd, 1, PT_RING_FLAGS));
	for (i = 0; i < NR_BAD_PREPS; i++) {
		pt_fill(self->wbuf, BS, NOP_LBA, NBLK, 10);	/* A */
		slot = io_uring_get_sqe(&q1.ring);
		ASSERT_NE(NULL, slot);
		ASSERT_EQ(0, zcblk_pt_prep_write(slot, self->cfd, NOP_LBA,
						 NBLK, self->wbuf, len));
		slot->user_data = 0xc0ffee;
		ASSERT_EQ(0, submit_one(&q1, NULL));
		pt_fill(self->wbuf, BS, NOP_LBA, NBLK, 11);	/* B */
		ASSERT_EQ(0, pt_stats_idle(self->env.ctx, self->d.index,
					   &st0));

		sqe = io_uring_get_sqe(&q1.ring);
		ASSERT_EQ(slot, sqe);		/* the very same slot */
		ret = bad_prep(i, sqe, self->cfd, self->wbuf);
		EXPECT_EQ(-EINVAL, ret) {
			TH_LOG("bad prep %d: %d", i, ret);
		}
		EXPECT_EQ(IORING_OP_NOP, sqe->opcode) {
			TH_LOG("bad prep %d left opcode %u", i, sqe->opcode);
		}
		EXPECT_EQ(0, sqe->user_data);
		EXPECT_EQ(0, sqe->flags);
		sqe->user_data = 0xc0ffee;
		result = ~0ULL;
		EXPECT_EQ(0, submit_one(&q1, &result));
		EXPECT_EQ(0, result);

		ASSERT_EQ(0, pt_stats_idle(self->env.ctx, self->d.index,
					   &st1));
		EXPECT_EQ(st0.write_cmds, st1.write_cmds);
		EXPECT_EQ(st0.read_cmds, st1.read_cmds);
		memset(self->rbuf, 0xaa, len);
		ASSERT_EQ(0, zcblk_pt_read(self->cfd, NOP_LBA, NBLK,
					   self->rbuf, len));
		EXPECT_TRUE(pt_verify(_metadata, self->rbuf, BS, NOP_LBA, NBLK,
				      10, "after a failed prep's submission")) {
			TH_LOG("bad prep %d: the old command ran again", i);
		}
	}
	/* A NULL SQE: nothing to write, nothing written. */
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_flush(NULL, self->cfd));
	pt_q_exit(&q1);
	pt_q_exit(&self->q);
}

struct status_thread {
	int status;
	const char *want;
	int bad;
};

static void *status_loop(void *arg)
{
	struct status_thread *t = arg;
	int i;

	for (i = 0; i < 20000; i++)
		if (strcmp(t->want, zcblk_pt_status_str(t->status)))
			t->bad++;
	return NULL;
}

/*
 * zcblk_pt_status_str() returns static strings: a later call, from this
 * thread or another, changes none it returned (strerror()'s buffer for an
 * errno it does not know is rewritten by its next call).  Every errno is
 * named as strerror() names it in the C locale, any other negative value
 * "Unknown error".
 */
TEST(status_str_static)
{
	struct status_thread t[4] = {
		{ .status = -9999, .want = "Unknown error" },
		{ .status = -ENODEV, .want = "No such device" },
		{ .status = 0x4080, .want = "LBA Out of Range" },
		{ .status = INT_MIN, .want = "Unknown error" },
	};
	pthread_t tid[4];
	const char *p1, *p2;
	char copy[64];
	int e, i, wrong = 0;

	p1 = zcblk_pt_status_str(-9999);
	snprintf(copy, sizeof(copy), "%s", p1);
	p2 = zcblk_pt_status_str(-9998);
	EXPECT_STREQ(copy, p1) {
		TH_LOG("the string for -9999 became \"%s\"", p1);
	}
	EXPECT_STREQ("Unknown error", p2);

	for (e = 1; e < 4096; e++) {
		const char *want = strerror(e), *got;

		if (!strncmp(want, "Unknown error", 13))
			want = "Unknown error";
		got = zcblk_pt_status_str(-e);
		if (strcmp(want, got) && wrong++ < 5)
			TH_LOG("errno %d: \"%s\", want \"%s\"", e, got, want);
	}
	EXPECT_EQ(0, wrong);

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, status_loop, &t[i]));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_join(tid[i], NULL));
		EXPECT_EQ(0, t[i].bad) {
			TH_LOG("status %d: %d wrong names", t[i].status,
			       t[i].bad);
		}
	}
}

/*
 * The synchronous helpers: Write then Read compared, Flush, Write Zeroes
 * with deallocate (each Read into a buffer filled with 0xaa first);
 * Identify Namespace reports the disk's size; the 64-bit generic ioctls
 * return the result dword.
 */
TEST_F(pt, sync_round_trip)
{
	const __u32 len = NBLK * BS;
	struct nvme_passthru_cmd64 cmd;
	unsigned char *id = pt_map(4096);
	int ret;

	ASSERT_NE(NULL, id);
	pt_fill(self->wbuf, BS, 100, NBLK, 7);
	ASSERT_EQ(0, zcblk_pt_write(self->cfd, 100, NBLK, self->wbuf, len));
	ASSERT_EQ(0, zcblk_pt_flush(self->cfd));
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, zcblk_pt_read(self->cfd, 100, NBLK, self->rbuf, len));
	EXPECT_TRUE(pt_verify(_metadata, self->rbuf, BS, 100, NBLK, 7,
			      "ioctl read"));
	ASSERT_EQ(0, zcblk_pt_write_zeroes(self->cfd, 100, NBLK,
					   ZCBLK_PT_DEALLOCATE));
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, zcblk_pt_read(self->cfd, 100, NBLK, self->rbuf, len));
	EXPECT_TRUE(pt_all_bytes(self->rbuf, len, 0)) {
		TH_LOG("LBA 100: not zeroes after Write Zeroes with deallocate");
	}

	ret = zcblk_pt_identify(self->cfd, ZCBLK_PT_NSID, 0x00, id);
	ASSERT_EQ(0, ret) {
		TH_LOG("identify: %s", zcblk_pt_status_str(ret));
	}
	EXPECT_EQ(self->d.nlbas, pt_le64(id + PT_ID_NS_NSZE));
	ASSERT_EQ(0, zcblk_pt_identify(self->cfd, 0, 0x01, id));
	EXPECT_EQ(1, pt_le32(id + PT_ID_CTRL_NN));

	memset(&cmd, 0, sizeof(cmd));
	cmd.opcode = PT_OP_READ;
	cmd.nsid = ZCBLK_PT_NSID;
	cmd.addr = (uintptr_t)self->rbuf;
	cmd.data_len = BS;
	cmd.cdw10 = 100;
	cmd.result = ~0ULL;
	EXPECT_EQ(0, zcblk_pt_io_cmd(self->cfd, &cmd));
	EXPECT_EQ(0, cmd.result);
	memset(&cmd, 0, sizeof(cmd));
	cmd.opcode = PT_ADM_IDENTIFY;
	cmd.nsid = ZCBLK_PT_NSID;
	cmd.addr = (uintptr_t)id;
	cmd.data_len = 4096;
	cmd.cdw10 = 0x7f;	/* a CNS zcblk does not answer */
	ret = zcblk_pt_admin_cmd(self->cfd, &cmd);
	EXPECT_EQ(0x4002, ret);
	EXPECT_STREQ("Invalid Field in Command", zcblk_pt_status_str(ret));
	EXPECT_EQ(-EINVAL, zcblk_pt_io_cmd(self->cfd, NULL));
	munmap(id, 4096);
	pt_q_exit(&self->q);
}

TEST_HARNESS_MAIN
