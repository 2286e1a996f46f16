// SPDX-License-Identifier: GPL-2.0
/*
 * libzcblk's monitor (zcblk_monitor_*): events in order, their contents,
 * poll() on its fd, a callback that stops the loop, an unprivileged
 * subscriber.
 *
 * The tests need root and zcblk.ko loaded (they skip if the module is
 * not).
 */
#include <grp.h>
#include <poll.h>
#include <sys/wait.h>

#include "lib_api.h"

#define NOBODY		65534
#define EVENT_WAIT_MS	10000

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

TEST_HARNESS_MAIN
