// SPDX-License-Identifier: GPL-2.0
/*
 * The pinned-memory bound of a disk (Documentation/security.rst,
 * "Resource bounds"). A passthrough command with data takes one of the
 * disk's map slots, 2 x (queues + poll queues) x queue depth, and reserves
 * the pages it will pin from the disk's pin budget, (queues + poll queues)
 * x queue depth x 128 + 256 pages, before it pins anything; both come back
 * when its CQE is posted or its ioctl returns. Without them a command
 * waits (sync ioctls) or io_uring retries it from a worker, which waits.
 * However many rings, threads and fds an unprivileged user with access to
 * the node drives, the disk never pins more than its budget, even while
 * the user leaves completions unreaped.
 *
 * The commands are worst cases: 1024 blocks of 512 bytes (512 KiB, the
 * most a command moves) in 128 segments, each starting at page offset
 * 4095: 127 of 4098 bytes span 3 pages each, the last, of 3842 bytes, 2:
 * PAGES_PER_CMD = 127 x 3 + 2 = 383 pages. (A segment of L bytes at offset
 * o spans ceil((o + L) / 4096) pages: a third page costs 4096 more bytes,
 * and (512 KiB - 128 x 2) / 4096 allows 127 of them.)
 *
 * Stalled variants: as nobody, a child submits NR_CMDS such Reads, more
 * than fit, through NR_RINGS rings and NR_THREADS threads issuing the
 * vectored ioctl, to a mem disk that holds every request it is given.
 * Once the disk's pins stop changing, it must pin exactly
 * floor(budget / PAGES_PER_CMD) x PAGES_PER_CMD pages (or a slot's worth
 * of commands, if fewer), and the system's FOLL_PIN balance must have
 * grown by that much and no more: the other commands wait unpinned. Then
 * the stall ends, every command succeeds with the disk's data, and the
 * pins balance; no sample, draining included, is above the budget.
 *
 * defer_taskrun: the disk runs, and the child submits NR_DEFER worst-case
 * Reads on one DEFER_TASKRUN ring and does not reap them for a while:
 * completed commands keep their pins until their CQEs are posted, and the
 * rest wait, so the pins stay within the budget. Then the child reaps:
 * all complete with the disk's data, and the pins balance.
 */
#include <grp.h>
#include <pthread.h>
#include <sys/wait.h>

#include "pt_common.h"

#define DISK_SIZE	(16 * PT_MiB)
#define BS		512
#define NR_RINGS	4
#define PER_RING	4
#define NR_THREADS	4
#define NR_CMDS		(NR_RINGS * PER_RING + NR_THREADS)
#define NR_DEFER	24		/* commands on the DEFER_TASKRUN ring */
#define NR_MAX		NR_DEFER
#define CMD_BLOCKS	(PT_MAX_TRANSFER / BS)
#define SEG_OFF		(PT_PAGE - 1)
#define SEG_LEN		(PT_PAGE + 2)	/* at SEG_OFF: 3 pages */
#define LAST_LEN	(PT_MAX_TRANSFER - (PT_MAX_SEGS - 1) * SEG_LEN)
#define SEG_STRIDE	(3 * PT_PAGE)
#define CMD_MAP		(PT_MAX_SEGS * SEG_STRIDE)
#define PAGES_PER_CMD	383
#define STABLE_MS	1500		/* pins unchanged this long: settled */
#define UNREAPED_MS	3000		/* defer_taskrun: reaps after this */
#define TAG		7
#define NOBODY		65534

FIXTURE(pt_pin_bound) {
	struct pt_env env;
	struct pt_disk d;
};

FIXTURE_VARIANT(pt_pin_bound) {
	__u32 queue_depth;
	const char *scheduler;	/* NULL: none, the default */
	bool defer;		/* unstalled; a DEFER_TASKRUN ring reaps late */
};

FIXTURE_VARIANT_ADD(pt_pin_bound, depth1) {
	.queue_depth = 1,
};

FIXTURE_VARIANT_ADD(pt_pin_bound, depth4) {
	.queue_depth = 4,
};

/* More requests than tags: the budget still bounds the pins. */
FIXTURE_VARIANT_ADD(pt_pin_bound, mq_deadline) {
	.queue_depth = 4,
	.scheduler = "mq-deadline",
};

FIXTURE_VARIANT_ADD(pt_pin_bound, defer_taskrun) {
	.queue_depth = 4,
	.defer = true,
};

FIXTURE_SETUP(pt_pin_bound)
{
	struct pt_disk_cfg cfg = {
		.size = DISK_SIZE,
		.bs = BS,
		.nr_queues = 1,
		.queue_depth = variant->queue_depth,
		.node_mode = 0666,
		/* held requests must outlast the test, not time out */
		.timeout_ms = 600000,
	};

	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
}

FIXTURE_TEARDOWN_PARENT(pt_pin_bound)
{
	pt_env_teardown(_metadata, &self->env);
}

/* What the unprivileged child saw, in memory shared with the test. */
struct outcome {
	int setup_err;		/* errno of the child's own setup */
	int submitted;		/* 1 once every command is on its way */
	int reap;		/* set by the test: defer_taskrun may reap */
	int res[NR_MAX];	/* each command's outcome */
	int bad_data;		/* commands whose data was not the disk's */
};

struct cmd {
	struct iovec iov[PT_MAX_SEGS];
	__u64 slba;
	int fd;
	int *res;
};

static void cmd_init(struct cmd *c, unsigned char *map, int i, int fd,
		     struct outcome *o)
{
	int s;

	c->slba = (__u64)i * CMD_BLOCKS;
	c->fd = fd;
	c->res = &o->res[i];
	memset(map, 0xee, CMD_MAP);
	for (s = 0; s < PT_MAX_SEGS; s++) {
		c->iov[s].iov_base = map + (size_t)s * SEG_STRIDE + SEG_OFF;
		c->iov[s].iov_len = s < PT_MAX_SEGS - 1 ? SEG_LEN : LAST_LEN;
	}
}

/* The pages a command spans, segment by segment: what it pins. */
static __u64 cmd_pages(const struct cmd *c)
{
	__u64 n = 0;
	int s;

	for (s = 0; s < PT_MAX_SEGS; s++)
		n += pt_pages(c->iov[s].iov_base, c->iov[s].iov_len);
	return n;
}

/* Did every segment receive its part of the disk's data? */
static bool cmd_data_ok(const struct cmd *c)
{
	static unsigned char disk[PT_MAX_TRANSFER];
	size_t off = 0;
	int s;

	pt_fill(disk, BS, c->slba, CMD_BLOCKS, TAG);
	for (s = 0; s < PT_MAX_SEGS; s++) {
		if (memcmp(c->iov[s].iov_base, disk + off, c->iov[s].iov_len))
			return false;
		off += c->iov[s].iov_len;
	}
	return true;
}

static void *ioctl_thread(void *arg)
{
	struct cmd *c = arg;
	struct nvme_uring_cmd nc = pt_rw_vec(PT_OP_READ, c->slba, CMD_BLOCKS,
					     c->iov, PT_MAX_SEGS);

	*c->res = pt_passthru(c->fd, NVME_IOCTL_IO64_CMD_VEC, &nc, NULL);
	return NULL;
}

static void prep_read(struct pt_q *q, struct cmd *c, __u64 ud)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&q->ring);
	struct nvme_uring_cmd nc = pt_rw_vec(PT_OP_READ, c->slba, CMD_BLOCKS,
					     c->iov, PT_MAX_SEGS);

	pt_q_prep(q, sqe, NVME_URING_CMD_IO_VEC, &nc, -1, ud);
}

static void reap_ring(struct pt_q *q, int n, struct outcome *o)
{
	int i;

	for (i = 0; i < n; i++) {
		__u64 ud = NR_MAX;
		int res = pt_q_reap(q, &ud, NULL);

		if (ud < NR_MAX)
			o->res[ud] = res;
	}
	pt_q_exit(q);
}

/* The unprivileged user: every command at once, then their results. */
static void child(const char *node, bool defer, struct outcome *o)
{
	static struct cmd cmds[NR_MAX];
	int ncmds = defer ? NR_DEFER : NR_CMDS;
	pthread_t th[NR_THREADS];
	struct pt_q q[NR_RINGS];
	unsigned char *maps;
	int fd, i, r, err = 0;

	memset(o->res, 0x7f, sizeof(o->res));
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		goto fail;
	fd = open(node, O_RDONLY | O_CLOEXEC);
	maps = pt_map((size_t)ncmds * CMD_MAP);
	if (fd < 0 || !maps)
		goto fail;
	for (i = 0; i < ncmds; i++) {
		cmd_init(&cmds[i], maps + (size_t)i * CMD_MAP, i, fd, o);
		if (cmd_pages(&cmds[i]) != PAGES_PER_CMD) {
			err = EDOM;
			goto fail_err;
		}
	}

	if (defer) {
		/* Completions wait for this task to enter the ring. */
		err = -pt_q_init(&q[0], fd, 2 * NR_DEFER, PT_RING_FLAGS |
				 IORING_SETUP_SINGLE_ISSUER |
				 IORING_SETUP_DEFER_TASKRUN);
		if (err)
			goto fail_err;
		for (i = 0; i < NR_DEFER; i++)
			prep_read(&q[0], &cmds[i], i);
		if (io_uring_submit(&q[0].ring) != NR_DEFER) {
			err = EPROTO;
			goto fail_err;
		}
		o->submitted = 1;
		while (!__atomic_load_n(&o->reap, __ATOMIC_ACQUIRE))
			pt_msleep(20);
		reap_ring(&q[0], NR_DEFER, o);
		goto check;
	}

	for (r = 0; r < NR_RINGS; r++) {
		err = -pt_q_init(&q[r], fd, 2 * PER_RING, PT_RING_FLAGS);
		if (err)
			goto fail_err;
		for (i = r * PER_RING; i < (r + 1) * PER_RING; i++)
			prep_read(&q[r], &cmds[i], i);
		if (io_uring_submit(&q[r].ring) != PER_RING) {
			err = EPROTO;
			goto fail_err;
		}
	}
	for (i = 0; i < NR_THREADS; i++) {
		err = pthread_create(&th[i], NULL, ioctl_thread,
				     &cmds[NR_RINGS * PER_RING + i]);
		if (err)
			goto fail_err;
	}
	o->submitted = 1;
	for (r = 0; r < NR_RINGS; r++)
		reap_ring(&q[r], PER_RING, o);
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(th[i], NULL);
check:
	for (i = 0; i < ncmds; i++)
		if (!o->res[i] && !cmd_data_ok(&cmds[i]))
			o->bad_data++;
	_exit(0);

fail:
	err = errno;
fail_err:
	o->setup_err = err ? err : EPROTO;
	_exit(1);
}

static int set_stall(struct zcblk_ctx *ctx, __u32 index, __u32 stall)
{
	struct zcblk_dev_settings s = {
		.size = sizeof(s),
		.set = ZCBLK_SET_STALL,
		.stall = stall,
	};

	return zcblk_dev_set(ctx, index, &s, NULL);
}

/* The queue's sysfs attribute @name set to @val: 0 or -errno. */
static long queue_attr_set(const struct pt_disk *d, const char *name,
			   const char *val)
{
	char path[128];
	int fd, n;

	snprintf(path, sizeof(path), "/sys/block/%s/queue/%s", d->blk + 5,
		 name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

static __u64 max_u64(__u64 a, __u64 b)
{
	return a > b ? a : b;
}

TEST_F_TIMEOUT(pt_pin_bound, unprivileged_user, 300)
{
	__u64 budget, slots, want, peak = 0, last = ~0ULL;
	int ncmds = variant->defer ? NR_DEFER : NR_CMDS;
	struct zcblk_dev_stats s0, st;
	long long vm0, vm, dbg;
	int bfd, i, status, still = 0;
	unsigned char *buf;
	struct outcome *o;
	pid_t pid;

	/* The disk's data: what every Read must return. */
	ASSERT_EQ(0, pt_wait_node(self->d.blk));
	bfd = open(self->d.blk, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, bfd);
	buf = pt_map(PT_MAX_TRANSFER);
	ASSERT_NE(NULL, buf);
	for (i = 0; i < ncmds; i++) {
		pt_fill(buf, BS, (__u64)i * CMD_BLOCKS, CMD_BLOCKS, TAG);
		ASSERT_EQ(0, pt_blk_rw(bfd, true, buf,
				       (__u64)i * PT_MAX_TRANSFER,
				       PT_MAX_TRANSFER));
	}
	close(bfd);

	if (variant->scheduler) {
		long ret = queue_attr_set(&self->d, "scheduler",
					  variant->scheduler);
		char cmd[64];

		/* A module on 6.12, which the guest kernel does not load. */
		if (ret == -EINVAL || ret == -ENOENT) {
			snprintf(cmd, sizeof(cmd), "modprobe -q %s",
				 variant->scheduler);
			if (!system(cmd))
				ret = queue_attr_set(&self->d, "scheduler",
						     variant->scheduler);
		}
		if (ret == -EINVAL || ret == -ENOENT)
			SKIP(return, "no %s I/O scheduler in this kernel",
			     variant->scheduler);
		ASSERT_EQ(0, ret);
	}
	/* security.rst's budget and slots; the kernel must say the same. */
	budget = (__u64)variant->queue_depth * 128 + 256;
	slots = 2ULL * variant->queue_depth;
	want = PAGES_PER_CMD * (budget / PAGES_PER_CMD < slots ?
				budget / PAGES_PER_CMD : slots);
	ASSERT_GT((__u64)ncmds * PAGES_PER_CMD, budget);
	/* The VM always mounts debugfs: a missing file (-1) fails. */
	dbg = pt_debugfs_disk_value(self->d.index, "budget");
	EXPECT_EQ((long long)budget, dbg);
	ksft_print_msg("budget %llu pages (debugfs: %lld), %llu slots: %llu pages pinned at most\n",
		       (unsigned long long)budget, dbg,
		       (unsigned long long)slots, (unsigned long long)want);

	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &s0));
	ASSERT_EQ(0, pt_wait_node(self->d.chr));
	if (!variant->defer)
		ASSERT_EQ(0, set_stall(self->env.ctx, self->d.index, 1));
	vm0 = pt_vm_pins();
	o = mmap(NULL, sizeof(*o), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, o);
	memset(o, 0, sizeof(*o));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		child(self->d.chr, variant->defer, o);

	/* Until the commands stop advancing: the pins stay the same. */
	for (i = 0; i < 3000 && still * 20 < STABLE_MS; i++) {
		ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
		peak = max_u64(peak, st.pinned_current);
		if (o->setup_err)
			break;
		still = o->submitted && st.pinned_current &&
			st.pinned_current == last ? still + 1 : 0;
		last = st.pinned_current;
		pt_msleep(20);
	}
	EXPECT_EQ(0, o->setup_err) {
		TH_LOG("child: %s", strerror(o->setup_err));
	}
	TH_LOG("settled: %u commands inside zcblk, %llu pages pinned",
	       st.pt_inflight, (unsigned long long)st.pinned_current);
	if (variant->defer) {
		EXPECT_GE(budget, st.pinned_current);
	} else {
		EXPECT_EQ(want, st.pinned_current);
	}
	/* Held: it stays there, and nothing else pinned on zcblk's behalf. */
	for (i = 0; i < 5; i++) {
		pt_msleep(100);
		ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
		EXPECT_EQ(last, st.pinned_current);
		peak = max_u64(peak, st.pinned_current);
	}
	vm = pt_vm_pins();
	EXPECT_EQ((long long)st.pinned_current, vm - vm0) {
		TH_LOG("/proc/vmstat FOLL_PIN balance grew by %lld, zcblk pins %llu",
		       vm - vm0, (unsigned long long)st.pinned_current);
	}

	if (variant->defer) {
		/* Unreaped a while longer: still nothing more pinned. */
		for (i = 0; i < UNREAPED_MS / 20; i++) {
			ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index,
					      &st));
			peak = max_u64(peak, st.pinned_current);
			pt_msleep(20);
		}
		__atomic_store_n(&o->reap, 1, __ATOMIC_RELEASE);
	} else {
		ASSERT_EQ(0, set_stall(self->env.ctx, self->d.index, 0));
	}
	for (i = 0; i < 6000; i++) {
		ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
		peak = max_u64(peak, st.pinned_current);
		if (!st.pt_inflight && waitpid(pid, &status, WNOHANG) == pid)
			break;
		pt_msleep(5);
	}
	EXPECT_GE(budget, peak) {
		TH_LOG("%llu pages pinned at once, budget %llu",
		       (unsigned long long)peak, (unsigned long long)budget);
	}

	EXPECT_LT(i, 6000) {
		TH_LOG("the commands never finished: %u inside zcblk",
		       st.pt_inflight);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status)) {
		TH_LOG("child: status 0x%x", status);
	}
	/* Braces: an EXPECT's handler is a statement of its own. */
	for (i = 0; i < ncmds; i++) {
		EXPECT_EQ(0, o->res[i]) {
			TH_LOG("command %d: %s", i, pt_res_str(o->res[i]));
		}
	}
	EXPECT_EQ(0, o->bad_data);

	/* Each command pinned its pages once, and every pin was undone. */
	ASSERT_EQ(0, pt_stats_idle(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(0, st.pinned_current);
	EXPECT_EQ((__u64)ncmds * PAGES_PER_CMD,
		  st.pinned_pages - s0.pinned_pages);
	EXPECT_EQ(st.pinned_pages, st.unpinned_pages);
	EXPECT_EQ(vm0, pt_vm_pins_wait(vm0, 10000));
	munmap(o, sizeof(*o));
	munmap(buf, PT_MAX_TRANSFER);
}

/* A thread's state letter from /proc (R, S, D, ...), or 0. */
static char thread_state(pid_t tid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

struct waiter {
	struct cmd c;
	pid_t tid;
};

static void *waiter_thread(void *arg)
{
	struct waiter *w = arg;

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	return ioctl_thread(&w->c);
}

static void on_usr1(int sig)
{
	(void)sig;
}

/*
 * A submitter waiting for a map slot and its share of the pin budget
 * (pin.c, zcblk_map_get_slow()) is interruptible: a signal whose handler
 * does not restart the call ends its ioctl with EINTR, having pinned
 * nothing; the command that holds the budget (at queue depth 1 it has room
 * for one worst case) is not disturbed, and once the disk runs it
 * completes and the next command finds its slot.
 */
TEST(signal_while_waiting)
{
	struct pt_disk_cfg cfg = {
		.size = DISK_SIZE, .bs = BS, .nr_queues = 1,
		.queue_depth = 1, .timeout_ms = 600000,
	};
	struct sigaction sa = { .sa_handler = on_usr1 };	/* no SA_RESTART */
	static struct outcome o;
	static struct waiter w[2];
	struct zcblk_dev_stats st;
	unsigned char *maps;
	struct pt_env env;
	struct pt_disk d;
	pthread_t th[2];
	int fd, i, asleep = 0;

	pt_env_setup(_metadata, &env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, pt_disk_add(_metadata, &env, &cfg, &d));
	pt_open(_metadata, &d, &fd, NULL);
	maps = pt_map(2 * CMD_MAP);
	ASSERT_NE(NULL, maps);
	ASSERT_EQ(0, set_stall(env.ctx, d.index, 1));
	for (i = 0; i < 2; i++) {
		cmd_init(&w[i].c, maps + (size_t)i * CMD_MAP, i, fd, &o);
		o.res[i] = 0x7f7f7f7f;
	}
	/* the first pins its pages and is held by the stalled disk */
	ASSERT_EQ(0, pthread_create(&th[0], NULL, waiter_thread, &w[0]));
	for (i = 0; i < 500; i++) {
		ASSERT_EQ(0, pt_stats(env.ctx, d.index, &st));
		if (st.pinned_current == PAGES_PER_CMD)
			break;
		pt_msleep(20);
	}
	ASSERT_EQ(PAGES_PER_CMD, st.pinned_current);
	/* the second asleep, interruptibly, a while: waiting for room */
	ASSERT_EQ(0, pthread_create(&th[1], NULL, waiter_thread, &w[1]));
	for (i = 0; i < 1000 && asleep < 10; i++) {
		pid_t tid = __atomic_load_n(&w[1].tid, __ATOMIC_ACQUIRE);

		asleep = tid && thread_state(tid) == 'S' ? asleep + 1 : 0;
		pt_msleep(20);
	}
	ASSERT_EQ(10, asleep);
	ASSERT_EQ(0, pthread_kill(th[1], SIGUSR1));
	ASSERT_EQ(0, pthread_join(th[1], NULL));
	EXPECT_EQ(-EINTR, o.res[1]) {
		TH_LOG("the waiter ended %s", pt_res_str(o.res[1]));
	}
	ASSERT_EQ(0, pt_stats(env.ctx, d.index, &st));
	EXPECT_EQ(PAGES_PER_CMD, st.pinned_current);
	EXPECT_EQ(PAGES_PER_CMD, st.pinned_pages);
	EXPECT_EQ(1, st.pt_inflight);

	ASSERT_EQ(0, set_stall(env.ctx, d.index, 0));
	ASSERT_EQ(0, pthread_join(th[0], NULL));
	EXPECT_EQ(0, o.res[0]) {
		TH_LOG("the held command: %s", pt_res_str(o.res[0]));
	}
	/* the slot it waited for is there now */
	ioctl_thread(&w[1].c);
	EXPECT_EQ(0, o.res[1]) {
		TH_LOG("again: %s", pt_res_str(o.res[1]));
	}
	ASSERT_EQ(0, pt_stats_idle(env.ctx, d.index, &st));
	EXPECT_EQ(0, st.pinned_current);
	EXPECT_EQ(2 * PAGES_PER_CMD, st.pinned_pages);
	EXPECT_EQ(st.pinned_pages, st.unpinned_pages);
	close(fd);
	munmap(maps, 2 * CMD_MAP);
	pt_env_teardown(_metadata, &env);
}

TEST_HARNESS_MAIN
