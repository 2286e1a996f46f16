// SPDX-License-Identifier: GPL-2.0
/*
 * Lifecycle races (architecture.md section 6), on the null, mem and file
 * backends, with I/O from the block device (O_DIRECT pread/pwrite threads)
 * and the char device (io_uring uring_cmd: plain, vectored, registered
 * buffers; sync NVME_IOCTL_IO_CMD) at once (the rig: race_rig.h):
 *
 *  del_inflight    DEV_DEL while I/O is in flight: every command completes
 *                  or fails with -ENODEV / an I/O error (-EIO, NVMe 0x6);
 *                  everything issued after DEV_DEL returned fails; nothing
 *                  hangs; zcblk's module-wide pins (debugfs) and the
 *                  FOLL_PIN balance of /proc/vmstat come back.
 *  sigkill         a child holding a ring with in-flight commands on a disk
 *                  that adds 50 ms to every request is SIGKILLed (odd
 *                  rounds: an IOPOLL ring on a poll queue): the commands
 *                  complete, the pins balance, the disk is deletable.
 *  close_*         the char-device fd and the ring closed in every order
 *                  while commands are in flight: fd first (the commands
 *                  still complete, successfully), fd first with the fd a
 *                  registered file (new commands still work through it),
 *                  ring first, and both by process exit.
 *
 * Module unload and concurrent DEV_ADD / DEV_DEL: race_unload.c; a loop
 * device or file system failing under a file-backed disk: race_backing.c.
 *
 * Each race reports the passthrough commands in flight at its moment (the
 * delete, the kill, the close) by round, and requires some; del_inflight
 * also counts the rounds in which the delete failed a command issued
 * before it returned, per path, and requires that for uring_cmd.
 *
 * Rounds: $ZCBLK_RACE_SECONDS per race (race_debug.sh), else 100
 * (del_inflight, sigkill), 20 (each close order): make stress. The file
 * backend's backing file lives on an ext4 made on a zcblk mem disk.
 */
#include "race_rig.h"

/* ------------------------------------------------------ the fixture */

FIXTURE(race) {
	struct pt_env env;
	struct backing bk;
	struct rig r;
};

FIXTURE_VARIANT(race) {
	const char *backend;
};

FIXTURE_VARIANT_ADD(race, null) {
	.backend = "null",
};

FIXTURE_VARIANT_ADD(race, mem) {
	.backend = "mem",
};

FIXTURE_VARIANT_ADD(race, file) {
	.backend = "file",
};

FIXTURE_SETUP(race)
{
	bool file = !strcmp(variant->backend, "file");

	memset(&self->bk, 0, sizeof(self->bk));
	memset(&self->r, 0, sizeof(self->r));
	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ksft_print_msg("seed 0x%llx\n", (unsigned long long)pt_seed);
	if (file)
		backing_setup(_metadata, &self->env, &self->bk);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, rig_bufs(&self->r, file ? 4096 : 512, file));
	arm_alarm();
}

FIXTURE_TEARDOWN_PARENT(race)
{
	/* The disks on the ext4 go first, then the ext4, then its disk. */
	if (self->bk.mounted)
		env_drop_others(_metadata, &self->env, self->bk.d.index);
	backing_teardown(_metadata, &self->bk);
	pt_env_teardown(_metadata, &self->env);
}

/* A disk of the variant's backend; @poll: with a poll queue. */
static int race_disk(struct __test_metadata *_metadata, struct pt_env *env,
		     const struct backing *bk, const char *backend, bool poll,
		     struct pt_disk *d)
{
	bool file = !strcmp(backend, "file");

	return rl_add(_metadata, env, backend, file ? bk->file : NULL,
		      file ? 4096 : 512, poll ? 1 : 0, d);
}

/* ------------------------------------------------- DEV_DEL in flight */

TEST_F_TIMEOUT(race, del_inflight, 7200)
{
	struct rig *r = &self->r;
	struct hist su[2] = { 0 }, si[2] = { 0 }, sb[2] = { 0 };
	struct budget bu = budget_start(100);
	unsigned long met_u = 0, met_i = 0, met_b = 0;
	struct window w = { 0 };
	int k;

	for (k = 0; budget_more(&bu, k) && !_metadata->exit_code; k++) {
		struct hist b0, b1;
		int ret;

		round_no = k;
		alarm(ROUND_TIMEOUT);
		stage = "creating the disk";
		rig_reset(r);
		ASSERT_EQ(0, race_disk(_metadata, &self->env, &self->bk,
				       variant->backend, false, &r->d));
		ASSERT_EQ(0, rig_open(r, PT_RING_FLAGS));

		stage = "running I/O before the delete";
		ASSERT_EQ(0, rig_start(r));
		rig_wait_busy(r);
		pt_msleep(pt_rand(k) % 8);

		stage = "deleting the disk (zcblk_dev_del)";
		window_add(&w, inflight_now(self->env.ctx, r->d.index));
		ret = pt_disk_del(&self->env, r->d.index);
		atomic_store(&r->deleted, 1);
		EXPECT_EQ(0, ret) {
			TH_LOG("round %d: zcblk_dev_del: %s", k,
			       strerror(-ret));
		}

		stage = "waiting for the I/O threads";
		rig_join(r);
		ASSERT_EQ(0, r->harness_err) {
			TH_LOG("round %d: io_uring: %s", k,
			       strerror(-r->harness_err));
		}

		stage = "checking the outcomes";
		b0 = rig_blk(r, 0);
		b1 = rig_blk(r, 1);
		/* Issued before DEV_DEL returned, and failed: met it. */
		met_u += r->u[0].total > hist_count(&r->u[0], 0);
		met_i += r->io[0].total > hist_count(&r->io[0], 0);
		met_b += b0.total > hist_count(&b0, 0);
		EXPECT_TRUE(hist_check(_metadata, &r->u[0], pt_del_ok,
				       "uring_cmd"));
		EXPECT_TRUE(hist_check(_metadata, &r->io[0], pt_del_ok,
				       "NVME_IOCTL_IO_CMD"));
		EXPECT_TRUE(hist_check(_metadata, &b0, blk_del_ok,
				       "block O_DIRECT"));
		EXPECT_TRUE(hist_check(_metadata, &r->u[1], pt_gone,
				       "uring_cmd after the delete"));
		EXPECT_TRUE(hist_check(_metadata, &r->io[1], pt_gone,
				       "NVME_IOCTL_IO_CMD after the delete"));
		EXPECT_TRUE(hist_check(_metadata, &b1, blk_gone,
				       "block O_DIRECT after the delete"));
		EXPECT_EQ(-ENODEV, pt_ioctl_res(ioctl(r->cfd, NVME_IOCTL_ID)));
		EXPECT_EQ(ENOENT, node_err(r->d.chr));
		EXPECT_EQ(ENOENT, node_err(r->d.blk));

		stage = "closing the ring and the fds";
		rig_close(r);
		stage = "waiting for the pins to balance";
		check_pins(_metadata, &self->env);
		alarm(0);
		hist_merge(&su[0], &r->u[0]);
		hist_merge(&su[1], &r->u[1]);
		hist_merge(&si[0], &r->io[0]);
		hist_merge(&si[1], &r->io[1]);
		hist_merge(&sb[0], &b0);
		hist_merge(&sb[1], &b1);
	}
	ksft_print_msg("%s: %d rounds\n", variant->backend, k);
	ksft_print_msg("  uring_cmd: %s; after the delete: %s\n",
		       hist_str(&su[0]), hist_str(&su[1]));
	ksft_print_msg("  NVME_IOCTL_IO_CMD: %s; after: %s\n",
		       hist_str(&si[0]), hist_str(&si[1]));
	ksft_print_msg("  block O_DIRECT: %s; after: %s\n",
		       hist_str(&sb[0]), hist_str(&sb[1]));
	window_print("the delete", &w);
	ksft_print_msg("  rounds in which the delete failed a command in flight: uring_cmd %lu, NVME_IOCTL_IO_CMD %lu, block %lu\n",
		       met_u, met_i, met_b);
	/* The test did what it says: I/O ran, and met the removal. */
	EXPECT_LT(0, window_hits(&w));
	EXPECT_LT(0, met_u);
	EXPECT_LT(0, hist_count(&su[0], 0));
	EXPECT_LT(0, hist_count(&sb[0], 0));
	EXPECT_LT(0, hist_count(&si[0], 0));
	EXPECT_LT(0, su[1].total);
}

/* ---------------------------------------------- SIGKILL with a ring */

/* Sends the in-flight commands of disk @index on @fd; 0 or -1. */
static int report_inflight(__u32 index, int fd)
{
	struct zcblk_ctx *ctx;
	unsigned int n;

	if (zcblk_ctx_open(&ctx))
		return -1;
	n = inflight_now(ctx, index);
	zcblk_ctx_close(ctx);
	return write(fd, &n, sizeof(n)) == sizeof(n) ? 0 : -1;
}

/*
 * The child: the rig's threads and a ring full of commands on a disk
 * that delays each by 50 ms; tells the parent once QD are in flight,
 * then keeps going until it is killed (or, @exit_ms >= 0, exits by
 * itself that long after, having sent the parent the disk's in-flight
 * commands of that moment: its own exit waits for them, so the parent
 * cannot see them afterwards).
 */
static void busy_child(struct rig *r, unsigned int ring_flags,
		       int notify_fd, int exit_ms)
{
	r->forever = true;
	if (rig_open(r, ring_flags))
		_exit(2);
	if (rig_start_sync(r))
		_exit(3);
	if (exit_ms >= 0) {
		/* Submit a ring full and leave without reaping. */
		int i;

		for (i = 0; i < QD; i++)
			rig_prep(r, io_uring_get_sqe(&r->q.ring), i, i, i);
		if (io_uring_submit(&r->q.ring) != QD)
			_exit(4);
		if (write(notify_fd, "!", 1) != 1)
			_exit(5);
		pt_msleep(exit_ms);
		if (report_inflight(r->d.index, notify_fd))
			_exit(7);
		_exit(0);
	}
	r->notify_fd = notify_fd;
	uring_thread(r);
	_exit(6);		/* only on a harness error */
}

/* Waits for the child's byte; false if it died first. */
static bool wait_child_ready(int fd)
{
	char c;

	return read(fd, &c, 1) == 1;
}

TEST_F_TIMEOUT(race, sigkill, 7200)
{
	struct budget bu = budget_start(100);
	struct window w[2] = { 0 };
	struct rig *r = &self->r;
	int k;

	for (k = 0; budget_more(&bu, k) && !_metadata->exit_code; k++) {
		bool iopoll = k & 1;
		struct zcblk_dev_stats st;
		int pfd[2], status, ret;
		pid_t pid;

		round_no = k;
		alarm(ROUND_TIMEOUT);
		stage = "creating the disk";
		rig_reset(r);
		ASSERT_EQ(0, race_disk(_metadata, &self->env, &self->bk,
				       variant->backend, iopoll, &r->d));
		ASSERT_EQ(0, set_latency(self->env.ctx, r->d.index,
					 LATENCY_NS));
		ASSERT_EQ(0, pipe2(pfd, O_CLOEXEC));

		stage = "starting the child";
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			close(pfd[0]);
			busy_child(r, PT_RING_FLAGS |
				   (iopoll ? IORING_SETUP_IOPOLL : 0),
				   pfd[1], -1);
		}
		close(pfd[1]);
		stage = "waiting for the child's commands";
		EXPECT_TRUE(wait_child_ready(pfd[0]));
		close(pfd[0]);
		pt_msleep(pt_rand(k) % 30);
		ret = pt_stats(self->env.ctx, r->d.index, &st);
		EXPECT_EQ(0, ret);
		window_add(&w[iopoll], st.pt_inflight);

		stage = "killing the child";
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status) &&
			    WTERMSIG(status) == SIGKILL) {
			TH_LOG("round %d: child status 0x%x", k, status);
		}

		stage = "waiting for the killed ring's commands";
		check_idle(_metadata, &self->env, r->d.index);
		stage = "deleting the disk";
		ret = pt_disk_del(&self->env, r->d.index);
		EXPECT_EQ(0, ret);
		stage = "waiting for the pins to balance";
		check_pins(_metadata, &self->env);
		alarm(0);
	}
	ksft_print_msg("%s: %d rounds\n", variant->backend, k);
	window_print("the kill (interrupt ring)", &w[0]);
	window_print("the kill (IOPOLL ring)", &w[1]);
	/*
	 * The kill met commands in flight (the disk holds each 50 ms), not
	 * in every round: between a batch's completions and the next
	 * submission none may be (seen under TCG).
	 */
	EXPECT_LT(0, window_hits(&w[0]));
	EXPECT_LT(0, window_hits(&w[1]));
}

/* ---------------------------------------- close orders while in flight */

enum close_mode { FD_FIRST, FIXED_FD_FIRST, RING_FIRST, BY_EXIT };

static const char *const close_names[] = {
	"fd first", "fd (a registered file) first", "ring first",
	"process exit",
};

/* Submits @nr commands in slots 0.. through the ring; 0 or error. */
static int submit_n(struct rig *r, int nr, __u64 n0)
{
	int i;

	for (i = 0; i < nr; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&r->q.ring);

		if (!sqe)
			return PT_EHARNESS;
		rig_prep(r, sqe, i % QD, n0 + i, i);
	}
	return io_uring_submit(&r->q.ring) == nr ? 0 : PT_EHARNESS;
}

static void reap_n(struct rig *r, int nr, struct hist *h)
{
	while (nr-- > 0)
		hist_add(h, pt_q_reap(&r->q, NULL, NULL));
}

static void close_orders(struct __test_metadata *_metadata,
			 struct pt_env *env, const struct backing *bk,
			 struct rig *r, const char *backend,
			 enum close_mode mode)
{
	struct budget bu = budget_start(20);
	struct hist su = { 0 }, ss = { 0 };
	struct window w = { 0 };
	__u32 index;
	int k;

	stage = "creating the disk";
	ASSERT_EQ(0, race_disk(_metadata, env, bk, backend, false, &r->d));
	index = r->d.index;
	ASSERT_EQ(0, set_latency(env->ctx, index, LATENCY_NS));

	for (k = 0; budget_more(&bu, k) && !_metadata->exit_code; k++) {
		struct hist b;

		round_no = k;
		alarm(ROUND_TIMEOUT);
		rig_reset(r);
		if (mode == BY_EXIT) {
			unsigned int inflight = 0;
			int pfd[2], status;
			pid_t pid;

			ASSERT_EQ(0, pipe2(pfd, O_CLOEXEC));
			stage = "starting the child";
			pid = fork();
			ASSERT_LE(0, pid);
			if (pid == 0) {
				close(pfd[0]);
				busy_child(r, PT_RING_FLAGS, pfd[1],
					   pt_rand(k) % 20);
			}
			close(pfd[1]);
			EXPECT_TRUE(wait_child_ready(pfd[0]));
			stage = "waiting for the child's count";
			EXPECT_EQ((ssize_t)sizeof(inflight),
				  read(pfd[0], &inflight, sizeof(inflight)));
			close(pfd[0]);
			window_add(&w, inflight);
			stage = "waiting for the child to exit";
			ASSERT_EQ(pid, waitpid(pid, &status, 0));
			EXPECT_TRUE(WIFEXITED(status) &&
				    !WEXITSTATUS(status)) {
				TH_LOG("round %d: child status 0x%x", k,
				       status);
			}
		} else {
			stage = "opening";
			ASSERT_EQ(0, rig_open(r, PT_RING_FLAGS));
			if (mode == FIXED_FD_FIRST)
				ASSERT_EQ(0, pt_q_fixed_file(&r->q));
			ASSERT_EQ(0, rig_start_sync(r));
			stage = "submitting";
			ASSERT_EQ(0, submit_n(r, QD, (__u64)k * 1000));
			pt_msleep(pt_rand(k) % 20);

			stage = close_names[mode];
			window_add(&w, inflight_now(env->ctx, index));
			if (mode == RING_FIRST) {
				io_uring_queue_exit(&r->q.ring);
				r->q.up = false;
				close(r->cfd);
				r->cfd = -1;
			} else {
				close(r->cfd);
				r->cfd = -1;
				if (mode == FIXED_FD_FIRST)
					ASSERT_EQ(0, submit_n(r, QD,
						(__u64)k * 1000 + QD));
				stage = "reaping after the fd was closed";
				reap_n(r, mode == FIXED_FD_FIRST ? 2 * QD : QD,
				       &su);
				pt_q_exit(&r->q);
			}
			stage = "stopping the threads";
			atomic_store(&r->stop, 1);
			rig_join(r);
			hist_merge(&ss, &r->io[0]);
			b = rig_blk(r, 0);
			hist_merge(&ss, &b);
			rig_close(r);
		}
		stage = "waiting for the disk to be idle";
		check_idle(_metadata, env, index);
		check_pins(_metadata, env);
		alarm(0);
	}
	ksft_print_msg("%s, %s: %d rounds; uring_cmd CQEs reaped after the close: %s; sync I/O: %s\n",
		       backend, close_names[mode], k, hist_str(&su),
		       hist_str(&ss));
	window_print("the close", &w);
	EXPECT_LT(0, window_hits(&w));
	/* The disk is live: nothing may fail, whatever was closed. */
	EXPECT_TRUE(hist_check(_metadata, &su, ok_only, "uring_cmd"));
	EXPECT_TRUE(hist_check(_metadata, &ss, ok_only, "sync I/O"));
	if (mode == FD_FIRST || mode == FIXED_FD_FIRST)
		EXPECT_LT(0, su.total);
	stage = "deleting the disk";
	alarm(ROUND_TIMEOUT);
	EXPECT_EQ(0, pt_disk_del(env, index));
	alarm(0);
}

TEST_F_TIMEOUT(race, close_fd_first, 3600)
{
	close_orders(_metadata, &self->env, &self->bk, &self->r,
		     variant->backend, FD_FIRST);
}

TEST_F_TIMEOUT(race, close_fixed_fd_first, 3600)
{
	close_orders(_metadata, &self->env, &self->bk, &self->r,
		     variant->backend, FIXED_FD_FIRST);
}

TEST_F_TIMEOUT(race, close_ring_first, 3600)
{
	close_orders(_metadata, &self->env, &self->bk, &self->r,
		     variant->backend, RING_FIRST);
}

TEST_F_TIMEOUT(race, close_by_exit, 3600)
{
	close_orders(_metadata, &self->env, &self->bk, &self->r,
		     variant->backend, BY_EXIT);
}

TEST_HARNESS_MAIN
