// SPDX-License-Identifier: GPL-2.0
/*
 * A passthrough command's own timeout_ms (backends.rst "Timeouts",
 * passthrough.rst): it replaces the disk's timeout if shorter, and is
 * lowered to it if longer; 0 means the disk's. On a stalled disk (zcblk
 * holds the command, so it times out) the command ends with -ETIMEDOUT
 * after its timeout, counted in "timeouts". blk-mq rounds its timer up to
 * the next whole second and TCG is slow, so the bounds are loose: no
 * earlier than the timeout less EARLY_S, and long before the other
 * timeout in play (the disk's 30 s for a shorter command timeout; the
 * command's hour for a longer one). A command still stalled after 15 s is
 * released (stall off) so that the test ends and says so.
 *
 * Why EARLY_S: blk-mq's deadline is in jiffies, the jiffies at the
 * request's start plus timeout_ms rounded up to whole ticks, and its timer
 * never expires a request before that; but those start jiffies date from
 * the last tick, up to one tick (10 ms at HZ=100) before the moment the
 * request starts, more in a TCG guest whose tick interrupts come late. So
 * the command may end up to that much before its timeout_ms by
 * CLOCK_MONOTONIC; 50 ms allows a few late ticks.
 *
 * The teardown checks /proc/vmstat's FOLL_PIN balance and the kernel log.
 */
#include <signal.h>
#include <sys/wait.h>

#include "pt_common.h"

#define LIMIT_S		15	/* far below the other timeout in play */
#define EARLY_S		0.05	/* jiffies behind the clock: see above */

FIXTURE(tmo) {
	struct pt_env env;
	struct pt_disk d;
};

FIXTURE_VARIANT(tmo) {
	__u32 disk_ms;		/* the disk's timeout; 0: the default 30 s */
	__u32 cmd_ms;		/* the command's timeout_ms */
	__u32 want_ms;		/* the timeout the command must get */
};

/* Shorter than the disk's: replaces it */
FIXTURE_VARIANT_ADD(tmo, shorter) {
	.disk_ms = 0, .cmd_ms = 500, .want_ms = 500,
};

/* Longer than the disk's: lowered to it */
FIXTURE_VARIANT_ADD(tmo, longer_capped) {
	.disk_ms = 1000, .cmd_ms = 3600000, .want_ms = 1000,
};

/* 0: the disk's */
FIXTURE_VARIANT_ADD(tmo, zero_is_disks) {
	.disk_ms = 1000, .cmd_ms = 0, .want_ms = 1000,
};

FIXTURE_SETUP(tmo)
{
	struct pt_disk_cfg cfg = {
		.size = 16 * PT_MiB, .bs = 4096, .timeout_ms = variant->disk_ms,
	};

	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
}

FIXTURE_TEARDOWN_PARENT(tmo)
{
	pt_env_teardown(_metadata, &self->env);
}

static void stall(struct __test_metadata *_metadata, FIXTURE_DATA(tmo) *self,
		  bool on)
{
	struct zcblk_dev_settings s = { .size = sizeof(s) };

	s.set = ZCBLK_SET_STALL;
	s.stall = on;
	ASSERT_EQ(0, zcblk_dev_set(self->env.ctx, self->d.index, &s, NULL));
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static __u64 timeouts(struct __test_metadata *_metadata,
		      FIXTURE_DATA(tmo) *self)
{
	struct zcblk_dev_stats st;

	EXPECT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	return st.timeouts;
}

/*
 * A Read with the variant's timeout_ms on the stalled disk, through
 * uring_cmd: -ETIMEDOUT after want_ms (less EARLY_S), well before LIMIT_S.
 */
TEST_F_TIMEOUT(tmo, uring, 90)
{
	struct __kernel_timespec limit = { .tv_sec = LIMIT_S };
	struct io_uring_cqe *cqe;
	struct nvme_uring_cmd c;
	struct io_uring_sqe *sqe;
	double t0, secs;
	int cfd, ret, res;
	__u64 tmo0;
	struct pt_q q;
	char *buf;

	pt_open(_metadata, &self->d, &cfd, NULL);
	buf = pt_map(PT_MiB);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, pt_q_init(&q, cfd, 8, PT_RING_FLAGS));

	/* Not stalled: the timeout changes nothing */
	c = pt_rw(PT_OP_READ, 0, 1, buf, 4096);
	c.timeout_ms = variant->cmd_ms;
	res = pt_q_cmd(&q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Read, not stalled: %s", pt_res_str(res));
	}

	tmo0 = timeouts(_metadata, self);
	stall(_metadata, self, true);
	sqe = io_uring_get_sqe(&q.ring);
	ASSERT_NE(NULL, sqe);
	pt_q_prep(&q, sqe, NVME_URING_CMD_IO, &c, -1, 1);
	t0 = now_s();
	ASSERT_EQ(1, io_uring_submit(&q.ring));
	ret = io_uring_wait_cqe_timeout(&q.ring, &cqe, &limit);
	secs = now_s() - t0;
	if (ret == -ETIME) {
		stall(_metadata, self, false);
		ret = io_uring_wait_cqe(&q.ring, &cqe);
	}
	ASSERT_EQ(0, ret);
	res = cqe->res;
	io_uring_cqe_seen(&q.ring, cqe);
	stall(_metadata, self, false);
	ksft_print_msg("%s: timeout_ms %u on a disk of %u ms: %s after %.2f s\n",
		       _metadata->name, variant->cmd_ms, variant->disk_ms,
		       pt_res_str(res), secs);
	EXPECT_EQ(-ETIMEDOUT, res) {
		TH_LOG("timeout_ms %u, disk %u ms: %s after %.2f s (stalled for %d s at most), want -ETIMEDOUT after %u ms",
		       variant->cmd_ms, variant->disk_ms, pt_res_str(res),
		       secs, LIMIT_S, variant->want_ms);
	}
	EXPECT_LE(variant->want_ms / 1000.0 - EARLY_S, secs);
	EXPECT_GT(LIMIT_S, secs);
	EXPECT_EQ(tmo0 + 1, timeouts(_metadata, self));

	pt_q_exit(&q);
	munmap(buf, PT_MiB);
	close(cfd);
}

/* The same through NVME_IOCTL_IO64_CMD, released by a child if need be. */
TEST_F_TIMEOUT(tmo, ioctl, 90)
{
	struct nvme_uring_cmd c;
	double t0, secs;
	int cfd, res;
	__u64 tmo0;
	pid_t pid;
	char *buf;

	pt_open(_metadata, &self->d, &cfd, NULL);
	buf = pt_map(PT_MiB);
	ASSERT_NE(NULL, buf);
	tmo0 = timeouts(_metadata, self);
	stall(_metadata, self, true);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct zcblk_dev_settings s = { .size = sizeof(s) };
		struct zcblk_ctx *ctx;

		sleep(LIMIT_S);
		s.set = ZCBLK_SET_STALL;
		if (!zcblk_ctx_open(&ctx)) {
			zcblk_dev_set(ctx, self->d.index, &s, NULL);
			zcblk_ctx_close(ctx);
		}
		_exit(0);
	}
	c = pt_rw(PT_OP_READ, 0, 1, buf, 4096);
	c.timeout_ms = variant->cmd_ms;
	t0 = now_s();
	res = pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
	secs = now_s() - t0;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	stall(_metadata, self, false);
	ksft_print_msg("%s: timeout_ms %u on a disk of %u ms: %s after %.2f s\n",
		       _metadata->name, variant->cmd_ms, variant->disk_ms,
		       pt_res_str(res), secs);
	EXPECT_EQ(-ETIMEDOUT, res) {
		TH_LOG("timeout_ms %u, disk %u ms: %s after %.2f s (stalled for %d s at most), want -ETIMEDOUT after %u ms",
		       variant->cmd_ms, variant->disk_ms, pt_res_str(res),
		       secs, LIMIT_S, variant->want_ms);
	}
	EXPECT_LE(variant->want_ms / 1000.0 - EARLY_S, secs);
	EXPECT_GT(LIMIT_S, secs);
	EXPECT_EQ(tmo0 + 1, timeouts(_metadata, self));
	munmap(buf, PT_MiB);
	close(cfd);
}

TEST_HARNESS_MAIN
