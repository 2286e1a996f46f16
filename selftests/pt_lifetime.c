// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace cannot hold a disk hostage (Documentation/passthrough.rst
 * "Removal", Documentation/security.rst "Lifetimes"): a passthrough
 * request ends at its end_io, whatever the submitter does with the
 * completion, so DEV_DEL and queue freezes finish within the disk's
 * timeout. Each disk here has a TIMEOUT_MS timeout, and each blocking
 * step (DEV_DEL, or a scheduler switch, which freezes the queue) runs in
 * a thread and must return within 2 x TIMEOUT_MS while userspace:
 *
 *  sigstop          has 8 commands completed but unreaped in a SIGSTOPped
 *                   child (timer completion: they complete after the
 *                   stop, so their task work waits for the child);
 *  defer_taskrun    has 8 completed on a DEFER_TASKRUN ring that is never
 *                   waited on (its task work runs only in a wait);
 *  iopoll           has 8 parked on a poll queue of an IOPOLL ring that
 *                   never polls, each with timeout_ms 0xffffffff;
 *  stalled          has 8 held by a stall, timeout_ms 0xffffffff (DEV_DEL
 *                   fails what zcblk holds: this one is no news);
 *  sched_iopoll     has 4 parked as in iopoll while root switches the
 *                   scheduler: a timeout_ms above the disk's is lowered
 *                   to it, and a polled request that times out ends with
 *                   its own status, not counted as a timeout;
 *  userfaultfd      has 4 uring_cmd Reads, one page each, whose buffers
 *                   are a never-resolved userfaultfd range (pages are
 *                   pinned before the request is allocated);
 *  report_zones     has a BLKREPORTZONE of a zoned disk's block device
 *                   stopped in copying zone 63 out, at a page of its
 *                   buffer (mapped from another disk's block device)
 *                   whose read that disk holds: removal does not wait
 *                   for ioctls, so once the read runs the report reads
 *                   on; the zones and the disk object must still be there
 *                   (the gendisk's reference). On the stock kernels the
 *                   freed zones usually still read right; the debug
 *                   kernel's KASAN sees the use.
 * Before the step of a ring's test the commands are shown held: all in
 * flight (pt_inflight), none of their CQEs posted. Afterwards the user
 * gets its CQEs when it resumes or reaps: 0 for what
 * completed before the delete, -ENODEV (or the -EIO of a held command)
 * for the rest; zcblk's module-wide pins are back to 0 and
 * pt_env_teardown() checks the FOLL_PIN balance of /proc/vmstat.
 *
 * unreaped_no_timeout: a DEFER_TASKRUN ring that reaps 8 inline-completed
 * commands with timeout_ms 1 only after 3 s: every CQE is 0 and the
 * disk's timeouts counter stays 0 (a completed command is no longer in
 * flight to blk-mq).
 *
 * When a step does not return in time (the module before the fix), the
 * test says which one, lets userspace go (SIGCONT, reaping, resolving the
 * fault), so that the step finishes and the test fails instead of hanging
 * the VM; alarm() catches anything else.
 */
#include <linux/blkzoned.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "pt_common.h"

#define DISK_SIZE	(16 * PT_MiB)
#define BS		4096
#define TIMEOUT_MS	5000		/* the disks' timeout */
#define LIMIT_MS	(2 * TIMEOUT_MS)
#define NCMD		8
#define HUGE_TIMEOUT	0xffffffffU	/* a command's own timeout_ms */
#define COMPLETION_NS	(200 * 1000 * 1000ULL)
#define ALARM_S		120
#define UFFD_LEN	(4 * PT_PAGE)

FIXTURE(lt) {
	struct pt_env env;
	struct pt_disk d;
};

FIXTURE_SETUP(lt)
{
	pt_env_setup(_metadata, &self->env);
}

FIXTURE_TEARDOWN_PARENT(lt)
{
	pt_env_teardown(_metadata, &self->env);
}

static const char *volatile stage = "setup";
static volatile pid_t victim;		/* a child to kill when giving up */

static void on_alarm(int sig)
{
	char msg[200];
	int n;

	(void)sig;
	if (victim > 0)
		kill(victim, SIGKILL);
	n = snprintf(msg, sizeof(msg), "# pt_lifetime: hung for %d s while %s\n",
		     ALARM_S, stage);
	if (write(2, msg, n) < 0) {
		/* nothing more to do */
	}
	_exit(KSFT_FAIL);
}

static void arm(const char *what)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	sigaction(SIGALRM, &sa, NULL);
	stage = what;
	alarm(ALARM_S);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static int add_disk(struct __test_metadata *_metadata, struct pt_env *env,
		    struct pt_disk *d, __u32 poll_queues, __u32 timeout_ms)
{
	struct pt_disk_cfg cfg = {
		.size = DISK_SIZE, .bs = BS, .nr_queues = 1,
		.poll_queues = poll_queues, .timeout_ms = timeout_ms,
	};
	int ret = pt_disk_add(_metadata, env, &cfg, d);

	return ret ? ret : pt_wait_node(d->chr);
}

static int dev_set(struct zcblk_ctx *ctx, __u32 index, __u64 set,
		   __u32 completion, __u64 completion_ns, __u32 stall)
{
	struct zcblk_dev_settings s = {
		.size = sizeof(s), .set = set, .completion = completion,
		.completion_ns = completion_ns, .stall = stall,
	};

	return zcblk_dev_set(ctx, index, &s, NULL);
}

/* Completions from an hrtimer: after the submitter has moved on. */
static int timer_completion(struct zcblk_ctx *ctx, __u32 index)
{
	return dev_set(ctx, index, ZCBLK_SET_COMPLETION |
		       ZCBLK_SET_COMPLETION_NS, ZCBLK_COMPLETION_TIMER,
		       COMPLETION_NS, 0);
}

/* ------------------------------------------------ a ring and its CQEs */

struct rc {
	struct pt_q q;
	int fd;
	char *buf;
	int n, got;		/* submitted, reaped */
	int res[NCMD];
};

static int rc_init(struct rc *rc, const char *node, unsigned int flags)
{
	int ret;

	memset(rc, 0, sizeof(*rc));
	rc->fd = open(node, O_RDWR | O_CLOEXEC);
	rc->buf = pt_map(NCMD * BS);
	if (rc->fd < 0 || !rc->buf)
		return -errno;
	/*
	 * Faulted in: io_uring's nonblocking issue pins without faulting,
	 * and would leave an untouched buffer's commands to an io-wq worker.
	 */
	memset(rc->buf, 0, NCMD * BS);
	ret = pt_q_init(&rc->q, rc->fd, 2 * NCMD, PT_RING_FLAGS | flags);
	return ret;
}

/* @n Reads of one block each into @buf, in one io_uring_enter(). */
static int rc_submit(struct rc *rc, char *buf, int n, __u32 timeout_ms)
{
	int i;

	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&rc->q.ring);
		struct nvme_uring_cmd c = pt_rw(PT_OP_READ, i, 1,
						buf + (size_t)i * BS, BS);

		c.timeout_ms = timeout_ms;
		pt_q_prep(&rc->q, sqe, NVME_URING_CMD_IO, &c, -1, i);
		rc->res[i] = PT_EHARNESS;
	}
	rc->n = n;
	return io_uring_submit(&rc->q.ring);
}

/* Reaps until every command is in or @ms passed; returns how many are. */
static int rc_reap(struct rc *rc, unsigned int ms)
{
	long end = now_ms() + ms;

	while (rc->got < rc->n && now_ms() < end) {
		struct __kernel_timespec ts = { 0, 100 * 1000000L };
		struct io_uring_cqe *cqe;

		if (io_uring_wait_cqe_timeout(&rc->q.ring, &cqe, &ts))
			continue;
		if (cqe->user_data < NCMD)
			rc->res[cqe->user_data] = cqe->res;
		rc->got++;
		io_uring_cqe_seen(&rc->q.ring, cqe);
	}
	return rc->got;
}

static void rc_exit(struct rc *rc)
{
	pt_q_exit(&rc->q);
	if (rc->fd >= 0)
		close(rc->fd);
	if (rc->buf)
		munmap(rc->buf, NCMD * BS);
}

/* --------------------------------------- a blocking step, in a thread */

struct step {
	struct pt_env *env;
	__u32 index;
	const char *sched;	/* NULL: DEV_DEL; else queue/scheduler */
	char path[96];
	atomic_int done;
	int ret;
	long ms;
};

static void *step_thread(void *arg)
{
	struct step *s = arg;
	long t0 = now_ms();

	if (s->sched) {
		int fd = open(s->path, O_WRONLY | O_CLOEXEC);

		s->ret = fd < 0 ? -errno : 0;
		if (fd >= 0 && write(fd, s->sched, strlen(s->sched)) < 0)
			s->ret = -errno;
		if (fd >= 0)
			close(fd);
	} else {
		s->ret = pt_disk_del(s->env, s->index);
	}
	s->ms = now_ms() - t0;
	atomic_store(&s->done, 1);
	return NULL;
}

static bool step_wait(struct step *s, long until)
{
	while (!atomic_load(&s->done) && now_ms() < until)
		pt_msleep(10);
	return atomic_load(&s->done);
}

/*
 * Runs @s and expects it back within LIMIT_MS. If it is not, what
 * userspace holds is let go (@unblock) so that the step can finish and
 * the test fail rather than hang.
 */
static void step_run(struct __test_metadata *_metadata, struct step *s,
		     const char *what, void (*unblock)(void *), void *arg)
{
	pthread_t th;
	long t0 = now_ms();

	stage = what;
	atomic_store(&s->done, 0);
	ASSERT_EQ(0, pthread_create(&th, NULL, step_thread, s));
	if (!step_wait(s, t0 + LIMIT_MS)) {
		TH_LOG("%s: not done after %d ms; letting userspace go",
		       what, LIMIT_MS);
		if (unblock)
			unblock(arg);
		step_wait(s, t0 + 1000L * (ALARM_S - 10));
	}
	pthread_join(th, NULL);
	EXPECT_EQ(0, s->ret) {
		TH_LOG("%s: %s", what, strerror(-s->ret));
	}
	EXPECT_GT(LIMIT_MS, s->ms) {
		TH_LOG("%s took %ld ms, the disk's timeout is %d ms", what,
		       s->ms, TIMEOUT_MS);
	}
	ksft_print_msg("%s: %ld ms\n", what, s->ms);
}

static void del_step(struct __test_metadata *_metadata, struct pt_env *env,
		     __u32 index, void (*unblock)(void *), void *arg)
{
	struct step s = { .env = env, .index = index };

	step_run(_metadata, &s, "DEV_DEL", unblock, arg);
}

static void unblock_reap(void *arg)
{
	rc_reap(arg, 30000);
}

/* After the delete: the module's pins (debugfs) come back to 0. */
static void pins_back(struct __test_metadata *_metadata)
{
	long long cur;

	stage = "waiting for the pins to balance";
	cur = pt_debugfs_pins_wait0(10000);
	EXPECT_EQ(0, cur) {
		TH_LOG("zcblk's module-wide pinned pages (debugfs zcblk/pins, -1: missing): %lld",
		       cur);
	}
}

/*
 * Before the step: are the @n commands of @rc still the disk's (in flight)
 * and none of their CQEs posted, the hold the step is to end?
 */
static void expect_held(struct __test_metadata *_metadata,
			struct zcblk_ctx *ctx, __u32 index, struct rc *rc,
			unsigned int n)
{
	struct zcblk_dev_stats st;

	ASSERT_EQ(0, pt_stats(ctx, index, &st));
	EXPECT_EQ(n, st.pt_inflight) {
		TH_LOG("%u of the %u commands in flight before the step",
		       st.pt_inflight, n);
	}
	EXPECT_EQ(0, io_uring_cq_ready(&rc->q.ring)) {
		TH_LOG("%u CQEs posted before the step",
		       io_uring_cq_ready(&rc->q.ring));
	}
}

static void expect_res(struct __test_metadata *_metadata, const int *res,
		       int n, bool held)
{
	int i;

	for (i = 0; i < n; i++)
		ksft_print_msg("command %d: %s\n", i, pt_res_str(res[i]));
	for (i = 0; i < n; i++) {
		bool ok = res[i] == 0 || res[i] == -ENODEV ||
			  (held && res[i] == -EIO);

		EXPECT_TRUE(ok) {
			TH_LOG("command %d: %s", i, pt_res_str(res[i]));
		}
	}
}

static void expect_ok(struct __test_metadata *_metadata, const int *res,
		      int n)
{
	int i;

	/* Braces: an EXPECT's handler is a statement of its own. */
	for (i = 0; i < n; i++) {
		EXPECT_EQ(0, res[i]) {
			TH_LOG("command %d: %s", i, pt_res_str(res[i]));
		}
	}
}

/* ---------------------------------------------------------- the tests */

struct stopped {
	int submitted, err, got;
	int res[NCMD];
};

static void stop_child(const char *node, struct stopped *sh)
{
	struct rc rc;

	sh->err = -rc_init(&rc, node, 0);
	if (!sh->err && rc_submit(&rc, rc.buf, NCMD, 0) != NCMD)
		sh->err = EPROTO;
	if (sh->err)
		_exit(1);
	sh->submitted = 1;
	raise(SIGSTOP);
	/* Resumed: the task work has run, or runs now. */
	sh->got = rc_reap(&rc, 30000);
	memcpy(sh->res, rc.res, sizeof(sh->res));
	_exit(0);
}

static void unblock_cont(void *arg)
{
	kill(*(pid_t *)arg, SIGCONT);
}

TEST_F_TIMEOUT(lt, sigstop, 180)
{
	struct zcblk_dev_stats s0, st;
	struct stopped *sh;
	int status;
	pid_t pid;

	arm("creating the disk");
	ASSERT_EQ(0, add_disk(_metadata, &self->env, &self->d, 0, TIMEOUT_MS));
	ASSERT_EQ(0, timer_completion(self->env.ctx, self->d.index));
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));

	stage = "waiting for the child to stop";
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &s0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		stop_child(self->d.chr, sh);
	victim = pid;
	ASSERT_EQ(pid, waitpid(pid, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status)) {
		TH_LOG("child: status 0x%x, error %d", status, sh->err);
	}
	ASSERT_EQ(1, sh->submitted);
	/* Every command completes while the child is stopped. */
	pt_msleep(5 * COMPLETION_NS / 1000000);
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(NCMD, st.read_cmds - s0.read_cmds) {
		TH_LOG("only %llu of the Reads ran before the stop",
		       (unsigned long long)(st.read_cmds - s0.read_cmds));
	}

	del_step(_metadata, &self->env, self->d.index, unblock_cont, &pid);

	stage = "waiting for the resumed child";
	kill(pid, SIGCONT);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	victim = 0;
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	EXPECT_EQ(NCMD, sh->got);
	/* Completed before the delete: success. */
	expect_ok(_metadata, sh->res, NCMD);
	pins_back(_metadata);
	munmap(sh, sizeof(*sh));
	alarm(0);
}

TEST_F_TIMEOUT(lt, defer_taskrun, 180)
{
	struct rc rc;

	arm("creating the disk");
	ASSERT_EQ(0, add_disk(_metadata, &self->env, &self->d, 0, TIMEOUT_MS));
	ASSERT_EQ(0, timer_completion(self->env.ctx, self->d.index));
	ASSERT_EQ(0, rc_init(&rc, self->d.chr, IORING_SETUP_SINGLE_ISSUER |
			     IORING_SETUP_DEFER_TASKRUN));
	stage = "submitting";
	ASSERT_EQ(NCMD, rc_submit(&rc, rc.buf, NCMD, 0));
	pt_msleep(3 * COMPLETION_NS / 1000000);
	expect_held(_metadata, self->env.ctx, self->d.index, &rc, NCMD);

	del_step(_metadata, &self->env, self->d.index, unblock_reap, &rc);

	stage = "reaping after the delete";
	EXPECT_EQ(NCMD, rc_reap(&rc, 30000));
	expect_ok(_metadata, rc.res, NCMD);
	rc_exit(&rc);
	pins_back(_metadata);
	alarm(0);
}

TEST_F_TIMEOUT(lt, iopoll, 180)
{
	struct rc rc;

	arm("creating the disk");
	ASSERT_EQ(0, add_disk(_metadata, &self->env, &self->d, 1, TIMEOUT_MS));
	/* Parked on the poll list after the submit's own poll has looked. */
	ASSERT_EQ(0, timer_completion(self->env.ctx, self->d.index));
	ASSERT_EQ(0, rc_init(&rc, self->d.chr, IORING_SETUP_IOPOLL));
	stage = "submitting";
	ASSERT_EQ(NCMD, rc_submit(&rc, rc.buf, NCMD, HUGE_TIMEOUT));
	pt_msleep(3 * COMPLETION_NS / 1000000);
	expect_held(_metadata, self->env.ctx, self->d.index, &rc, NCMD);

	del_step(_metadata, &self->env, self->d.index, unblock_reap, &rc);

	stage = "reaping after the delete";
	EXPECT_EQ(NCMD, rc_reap(&rc, 30000));
	/* Their data had moved: DEV_DEL ends them with their own status. */
	expect_ok(_metadata, rc.res, NCMD);
	rc_exit(&rc);
	pins_back(_metadata);
	alarm(0);
}

TEST_F_TIMEOUT(lt, stalled, 180)
{
	struct rc rc;

	arm("creating the disk");
	ASSERT_EQ(0, add_disk(_metadata, &self->env, &self->d, 0, TIMEOUT_MS));
	ASSERT_EQ(0, dev_set(self->env.ctx, self->d.index, ZCBLK_SET_STALL,
			     0, 0, 1));
	ASSERT_EQ(0, rc_init(&rc, self->d.chr, 0));
	stage = "submitting";
	ASSERT_EQ(NCMD, rc_submit(&rc, rc.buf, NCMD, HUGE_TIMEOUT));
	pt_msleep(300);
	expect_held(_metadata, self->env.ctx, self->d.index, &rc, NCMD);

	del_step(_metadata, &self->env, self->d.index, unblock_reap, &rc);

	stage = "reaping after the delete";
	EXPECT_EQ(NCMD, rc_reap(&rc, 30000));
	expect_res(_metadata, rc.res, NCMD, true);
	rc_exit(&rc);
	pins_back(_metadata);
	alarm(0);
}

/* Is @name offered for @d (after a modprobe: a module on 6.12)? */
static bool have_sched(const struct pt_disk *d, const char *name)
{
	char path[96], buf[256] = "";
	int fd, n;

	if (system("modprobe -q mq-deadline 2>/dev/null")) {
		/* built in, or absent: the list says */
	}
	snprintf(path, sizeof(path), "/sys/block/%s/queue/scheduler",
		 d->blk + 5);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 && strstr(buf, name);
}

TEST_F_TIMEOUT(lt, sched_iopoll, 180)
{
	struct step s = { .sched = "mq-deadline" };
	struct zcblk_dev_stats st;
	struct rc rc;

	arm("creating the disk");
	ASSERT_EQ(0, add_disk(_metadata, &self->env, &self->d, 1, TIMEOUT_MS));
	if (!have_sched(&self->d, s.sched))
		SKIP(return, "no mq-deadline scheduler in this kernel");
	ASSERT_EQ(0, timer_completion(self->env.ctx, self->d.index));
	ASSERT_EQ(0, rc_init(&rc, self->d.chr, IORING_SETUP_IOPOLL));
	stage = "submitting";
	ASSERT_EQ(NCMD / 2, rc_submit(&rc, rc.buf, NCMD / 2, HUGE_TIMEOUT));
	pt_msleep(3 * COMPLETION_NS / 1000000);
	expect_held(_metadata, self->env.ctx, self->d.index, &rc, NCMD / 2);

	/* Freezes the queue: every request must end, polled or not. */
	snprintf(s.path, sizeof(s.path), "/sys/block/%s/queue/scheduler",
		 self->d.blk + 5);
	step_run(_metadata, &s, "switching to mq-deadline", unblock_reap, &rc);
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(0, st.timeouts);

	stage = "reaping after the switch";
	EXPECT_EQ(NCMD / 2, rc_reap(&rc, 30000));
	expect_ok(_metadata, rc.res, NCMD / 2);
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(0, st.timeouts);
	rc_exit(&rc);
	del_step(_metadata, &self->env, self->d.index, NULL, NULL);
	pins_back(_metadata);
	alarm(0);
}

struct faulting {
	struct rc rc;
	char *area;
	int uffd;
	atomic_int submitted;
	int sub_ret;
	bool resolved;
};

/* Blocks in io_uring_enter() while zcblk pins (or io-wq does). */
static void *uffd_submitter(void *arg)
{
	struct faulting *f = arg;

	f->sub_ret = rc_submit(&f->rc, f->area, UFFD_LEN / BS, 0);
	atomic_store(&f->submitted, 1);
	return NULL;
}

/* Gives every page of the area: the pinning goes on. */
static void uffd_resolve(void *arg)
{
	struct faulting *f = arg;
	struct uffdio_copy cp = {
		.dst = (uintptr_t)f->area,
		.src = (uintptr_t)f->rc.buf,
		.len = UFFD_LEN,
	};

	if (f->resolved)
		return;
	f->resolved = true;
	if (ioctl(f->uffd, UFFDIO_COPY, &cp))
		fprintf(stderr, "# UFFDIO_COPY: %s\n", strerror(errno));
}

TEST_F_TIMEOUT(lt, userfaultfd, 180)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct pollfd pfd;
	struct uffd_msg msg;
	struct faulting *f;
	pthread_t th;

	arm("creating the disk");
	f = calloc(1, sizeof(*f));
	ASSERT_NE(NULL, f);
	f->uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (f->uffd < 0)
		SKIP(return, "userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(f->uffd, UFFDIO_API, &api));
	f->area = pt_map(UFFD_LEN);
	ASSERT_NE(NULL, f->area);
	reg.range.start = (uintptr_t)f->area;
	reg.range.len = UFFD_LEN;
	ASSERT_EQ(0, ioctl(f->uffd, UFFDIO_REGISTER, &reg));

	ASSERT_EQ(0, add_disk(_metadata, &self->env, &self->d, 0, TIMEOUT_MS));
	ASSERT_EQ(0, rc_init(&f->rc, self->d.chr, 0));
	memset(f->rc.buf, 0, NCMD * BS);

	/* The Reads' pinning faults, and nobody answers. */
	stage = "waiting for the fault";
	ASSERT_EQ(0, pthread_create(&th, NULL, uffd_submitter, f));
	pfd = (struct pollfd){ .fd = f->uffd, .events = POLLIN };
	ASSERT_EQ(1, poll(&pfd, 1, 20000)) {
		TH_LOG("no userfault within 20 s (submit returned %d)",
		       f->sub_ret);
		uffd_resolve(f);
	}
	ASSERT_EQ((ssize_t)sizeof(msg), read(f->uffd, &msg, sizeof(msg)));
	ASSERT_EQ(UFFD_EVENT_PAGEFAULT, msg.event);

	del_step(_metadata, &self->env, self->d.index, uffd_resolve, f);

	stage = "reaping after the fault is resolved";
	uffd_resolve(f);
	pthread_join(th, NULL);
	EXPECT_EQ(UFFD_LEN / BS, f->sub_ret);
	if (f->sub_ret > 0) {
		EXPECT_EQ(f->sub_ret, rc_reap(&f->rc, 30000));
		expect_res(_metadata, f->rc.res, f->sub_ret, false);
	}
	rc_exit(&f->rc);
	close(f->uffd);
	munmap(f->area, UFFD_LEN);
	free(f);
	pins_back(_metadata);
	alarm(0);
}

#define RZ_ZONES	128
#define RZ_ZONE_SIZE	(DISK_SIZE / RZ_ZONES)
#define RZ_MAP_LEN	(3 * PT_PAGE)
#define RZ_MAP_OFF	(8 * PT_MiB)	/* far from what blkid reads */

struct reporting {
	struct blk_zone_report *rep;	/* its zone 63 on a page not read */
	struct zcblk_ctx *ctx;
	__u32 stall_index;
	int bfd, ret, err;
	atomic_int done;
	bool unstalled;
};

static void *rz_reporter(void *arg)
{
	struct reporting *r = arg;

	r->ret = ioctl(r->bfd, BLKREPORTZONE, r->rep);
	r->err = errno;
	atomic_store(&r->done, 1);
	return NULL;
}

/* Lets the stalled read of the page run: the report goes on. */
static void rz_unstall(void *arg)
{
	struct reporting *r = arg;

	if (r->unstalled)
		return;
	r->unstalled = true;
	if (dev_set(r->ctx, r->stall_index, ZCBLK_SET_STALL, 0, 0, 0))
		fprintf(stderr, "# unstalling disk %u failed\n", r->stall_index);
}

TEST_F_TIMEOUT(lt, report_zones, 180)
{
	struct pt_disk_cfg zcfg = {
		.size = DISK_SIZE, .bs = BS, .nr_queues = 1,
		.timeout_ms = TIMEOUT_MS, .flags = ZCBLK_DEV_F_ZONED,
		.zone_size = RZ_ZONE_SIZE,
	};
	/* Its held read must outlast the test's steps, not time out */
	struct pt_disk_cfg scfg = {
		.size = DISK_SIZE, .bs = BS, .nr_queues = 1,
		.timeout_ms = 600000,
	};
	struct reporting r = { .bfd = -1 };
	struct pt_disk s;
	pthread_t th;
	unsigned int i;
	char *area;
	int sfd;

	arm("creating the disks");
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &zcfg, &self->d));
	ASSERT_EQ(0, pt_wait_node(self->d.blk));
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &scfg, &s));
	ASSERT_EQ(0, pt_wait_node(s.blk));

	/*
	 * The report's buffer: three pages of the other disk's block device,
	 * mapped; the first read in, the others read when the report copies
	 * into them, a read the other disk holds (stall) until unstalled.
	 */
	sfd = open(s.blk, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, sfd);
	ASSERT_EQ(0, posix_fadvise(sfd, RZ_MAP_OFF, RZ_MAP_LEN,
				   POSIX_FADV_DONTNEED));
	area = mmap(NULL, RZ_MAP_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, sfd,
		    RZ_MAP_OFF);
	ASSERT_NE(MAP_FAILED, area);
	ASSERT_EQ(0, madvise(area, RZ_MAP_LEN, MADV_RANDOM));
	/* Zones 0..62 in the first page, from zone 63 on the next */
	r.rep = (struct blk_zone_report *)(area + PT_PAGE - sizeof(*r.rep) -
					   63 * sizeof(struct blk_zone));
	r.rep->sector = 0;
	r.rep->nr_zones = RZ_ZONES;
	r.ctx = self->env.ctx;
	r.stall_index = s.index;
	ASSERT_EQ(0, dev_set(r.ctx, s.index, ZCBLK_SET_STALL, 0, 0, 1));
	r.bfd = open(self->d.blk, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, r.bfd);

	stage = "waiting for the report to stop at the held read";
	ASSERT_EQ(0, pthread_create(&th, NULL, rz_reporter, &r));
	pt_msleep(500);
	ASSERT_EQ(0, atomic_load(&r.done)) {
		TH_LOG("the report did not wait for its buffer's page (returned %d)",
		       r.ret);
		rz_unstall(&r);
	}

	/* The zoned disk goes while the report is stopped in the middle. */
	del_step(_metadata, &self->env, self->d.index, rz_unstall, &r);

	stage = "finishing the report once the read runs";
	rz_unstall(&r);
	pthread_join(th, NULL);
	ASSERT_EQ(0, r.ret) {
		TH_LOG("BLKREPORTZONE: %s", strerror(r.err));
	}
	ASSERT_EQ(RZ_ZONES, r.rep->nr_zones);
	for (i = 0; i < RZ_ZONES; i++) {
		const struct blk_zone *z = &r.rep->zones[i];

		EXPECT_EQ((__u64)i * RZ_ZONE_SIZE / 512, z->start) {
			TH_LOG("zone %u read after removal: start %llu", i,
			       (unsigned long long)z->start);
		}
		EXPECT_EQ(BLK_ZONE_COND_EMPTY, z->cond);
		EXPECT_EQ(z->start, z->wp);
	}
	/* The last reference on the gendisk, and so on the disk object */
	close(r.bfd);
	munmap(area, RZ_MAP_LEN);
	close(sfd);
	alarm(0);
}

TEST_F_TIMEOUT(lt, unreaped_no_timeout, 120)
{
	struct zcblk_dev_stats st;
	struct rc rc;
	int bfd;

	arm("creating the disk");
	/* Completed at once (inline), reaped 3 disk timeouts later. */
	ASSERT_EQ(0, add_disk(_metadata, &self->env, &self->d, 0, 1000));
	ASSERT_EQ(0, rc_init(&rc, self->d.chr, IORING_SETUP_SINGLE_ISSUER |
			     IORING_SETUP_DEFER_TASKRUN));
	ASSERT_EQ(0, pt_wait_node(self->d.blk));
	bfd = open(self->d.blk, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, bfd);
	pt_fill(rc.buf, BS, 0, NCMD, 3);
	ASSERT_EQ(0, pt_blk_rw(bfd, true, rc.buf, 0, NCMD * BS));
	close(bfd);
	memset(rc.buf, 0, NCMD * BS);

	/*
	 * One submit of eight: io_uring plugs it, so the completions come
	 * from the plug's flush as task work (deferred, never run).
	 */
	stage = "submitting";
	ASSERT_EQ(NCMD, rc_submit(&rc, rc.buf, NCMD, 1));
	pt_msleep(3000);
	expect_held(_metadata, self->env.ctx, self->d.index, &rc, NCMD);
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(0, st.timeouts);

	stage = "reaping";
	EXPECT_EQ(NCMD, rc_reap(&rc, 30000));
	expect_ok(_metadata, rc.res, NCMD);
	EXPECT_TRUE(pt_verify(_metadata, rc.buf, BS, 0, NCMD, 3, "Reads"));
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(0, st.timeouts) {
		TH_LOG("%llu timeouts counted for completed commands",
		       (unsigned long long)st.timeouts);
	}
	rc_exit(&rc);
	alarm(0);
}

TEST_HARNESS_MAIN
