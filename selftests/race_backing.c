// SPDX-License-Identifier: GPL-2.0
/*
 * The backing store failing under a file-backed disk while I/O runs from
 * both paths (the rig: race_rig.h; the other lifecycle races:
 * race_lifecycle.c, race_unload.c):
 *
 *  loop_detach     a file-backed disk on a loop device, `losetup -d`
 *                  underneath while I/O runs: the detach is deferred while
 *                  zcblk holds the device; I/O succeeds or fails cleanly;
 *                  DEV_DEL releases the device (the loop device clears).
 *  loop_shrink     the loop device shrunk to 1 MiB underneath (its size
 *                  limit, LOOP_SET_STATUS64) while I/O runs: I/O past its
 *                  end fails with NVMe 0x6 / EIO, nothing hangs, the disk
 *                  is deletable.
 *  backing_fails   the file system under a file-backed disk fails (error
 *                  injection on the zcblk disk it lives on): clean errors.
 */
#include <linux/loop.h>

#include "race_rig.h"

/* ------------------------------------------- backing store failures */

FIXTURE(loopdev) {
	struct pt_env env;
	struct rig r;
	char img[64];
	char loop[32];
};

FIXTURE_SETUP(loopdev)
{
	memset(&self->r, 0, sizeof(self->r));
	self->loop[0] = '\0';
	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	if (!have("losetup"))
		SKIP(return, "losetup not installed");
	sh("modprobe loop 2>/dev/null || true");
	snprintf(self->img, sizeof(self->img), "/tmp/zcblk-race-loop.XXXXXX");
	{
		int fd = mkstemp(self->img);

		ASSERT_LE(0, fd);
		ASSERT_EQ(0, ftruncate(fd, DISK_SIZE));
		close(fd);
	}
	{
		FILE *p;
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "losetup --find --show %s",
			 self->img);
		p = popen(cmd, "r");
		ASSERT_NE(NULL, p);
		if (!fgets(self->loop, sizeof(self->loop), p))
			self->loop[0] = '\0';
		pclose(p);
		self->loop[strcspn(self->loop, "\n")] = '\0';
	}
	ASSERT_NE(0, self->loop[0]) {
		TH_LOG("losetup --find --show %s failed", self->img);
	}
	ASSERT_EQ(0, rig_bufs(&self->r, 4096, true));
	arm_alarm();
}

FIXTURE_TEARDOWN_PARENT(loopdev)
{
	/* The zcblk disk first: it holds the loop device. */
	pt_env_teardown(_metadata, &self->env);
	if (self->loop[0])
		sh("losetup -d %s 2>/dev/null || true", self->loop);
	unlink(self->img);
}

/*
 * Shrinks the loop device to @limit bytes (LOOP_SET_STATUS64 size limit):
 * unlike a truncated backing file, which the loop device's own writes
 * would extend again, this sticks. 0 or -errno.
 */
static int loop_limit(const char *dev, __u64 limit)
{
	struct loop_info64 li;
	int fd, i, ret = 0;

	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (i = 0; i < 50; i++) {
		ret = 0;
		if (ioctl(fd, LOOP_GET_STATUS64, &li)) {
			ret = -errno;
			break;
		}
		li.lo_sizelimit = limit;
		if (!ioctl(fd, LOOP_SET_STATUS64, &li))
			break;
		ret = -errno;
		if (ret != -EAGAIN && ret != -EBUSY)
			break;
		pt_msleep(20);
	}
	close(fd);
	return ret;
}

/* Is the loop device still bound to a file? */
static bool loop_bound(const char *loop)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/block/%s/loop/backing_file",
		 loop + strlen("/dev/"));
	return !access(path, F_OK);
}

/* A file-backed disk on the loop device with I/O threads running. */
static void loop_start(struct __test_metadata *_metadata,
		       struct pt_env *env, struct rig *r, const char *loop)
{
	rig_reset(r);
	ASSERT_EQ(0, rl_add(_metadata, env, "file", loop, 4096, 0, &r->d));
	ASSERT_EQ(0, rig_open(r, PT_RING_FLAGS));
	ASSERT_EQ(0, rig_start(r));
	rig_wait_busy(r);
	ASSERT_EQ(0, r->harness_err);
}

static void loop_stop(struct __test_metadata *_metadata, struct rig *r,
		      const int *pt_ok, const int *blk_ok)
{
	struct hist b;

	atomic_store(&r->stop, 1);
	rig_join(r);
	ASSERT_EQ(0, r->harness_err);
	b = rig_blk(r, 0);
	ksft_print_msg("  uring_cmd: %s\n", hist_str(&r->u[0]));
	ksft_print_msg("  NVME_IOCTL_IO_CMD: %s\n", hist_str(&r->io[0]));
	ksft_print_msg("  block O_DIRECT: %s\n", hist_str(&b));
	EXPECT_TRUE(hist_check(_metadata, &r->u[0], pt_ok, "uring_cmd"));
	EXPECT_TRUE(hist_check(_metadata, &r->io[0], pt_ok,
			       "NVME_IOCTL_IO_CMD"));
	EXPECT_TRUE(hist_check(_metadata, &b, blk_ok, "block O_DIRECT"));
}

TEST_F_TIMEOUT(loopdev, loop_detach, 600)
{
	struct rig *r = &self->r;
	int i;

	alarm(ROUND_TIMEOUT);
	stage = "starting I/O on the loop-backed disk";
	loop_start(_metadata, &self->env, r, self->loop);
	stage = "losetup -d under the disk";
	/* zcblk holds it open: the detach waits for the last close. */
	EXPECT_EQ(0, sh("losetup -d %s", self->loop));
	pt_msleep(300);
	stage = "stopping I/O";
	loop_stop(_metadata, r, pt_fail_ok, blk_fail_ok);
	EXPECT_TRUE(loop_bound(self->loop)) {
		TH_LOG("%s was detached while zcblk held it", self->loop);
	}
	rig_close(r);
	check_idle(_metadata, &self->env, r->d.index);
	stage = "deleting the disk";
	EXPECT_EQ(0, pt_disk_del(&self->env, r->d.index));
	/* zcblk let go of the device: the deferred detach happened. */
	for (i = 0; i < 100 && loop_bound(self->loop); i++)
		pt_msleep(50);
	EXPECT_FALSE(loop_bound(self->loop)) {
		TH_LOG("%s still bound after the zcblk disk went", self->loop);
	}
	check_pins(_metadata, &self->env);
	alarm(0);
}

TEST_F_TIMEOUT(loopdev, loop_shrink, 600)
{
	struct rig *r = &self->r;
	int res;

	alarm(ROUND_TIMEOUT);
	stage = "starting I/O on the loop-backed disk";
	loop_start(_metadata, &self->env, r, self->loop);
	stage = "shrinking the loop device underneath";
	res = loop_limit(self->loop, PT_MiB);
	EXPECT_EQ(0, res) {
		TH_LOG("LOOP_SET_STATUS64 size limit 1 MiB on %s: %s",
		       self->loop, strerror(-res));
	}
	pt_msleep(300);
	stage = "stopping I/O";
	loop_stop(_metadata, r, pt_fail_ok, blk_fail_ok);

	/* Past the new end: NVMe Internal Error and EIO, for sure. */
	stage = "I/O past the shrunk end";
	{
		struct nvme_uring_cmd c = pt_rw(PT_OP_READ, 1024, r->nb,
						r->bufs, r->len);

		res = pt_q_cmd(&r->q, NVME_URING_CMD_IO, &c, -1, NULL);
		EXPECT_EQ(0x6, res) {
			TH_LOG("uring_cmd Read past the end: %s",
			       pt_res_str(res));
		}
		res = pt_passthru(r->cfd2, NVME_IOCTL_IO_CMD, &c, NULL);
		EXPECT_EQ(0x6, res) {
			TH_LOG("ioctl Read past the end: %s", pt_res_str(res));
		}
		c = pt_rw(PT_OP_WRITE, 2048, r->nb, r->bufs, r->len);
		res = pt_q_cmd(&r->q, NVME_URING_CMD_IO, &c, -1, NULL);
		EXPECT_EQ(0x6, res) {
			TH_LOG("uring_cmd Write past the end: %s",
			       pt_res_str(res));
		}
		res = blk_rw(r->bfd, false, r->bufs, 3 * PT_MiB, r->len);
		EXPECT_EQ(-EIO, res);
		res = blk_rw(r->bfd, true, r->bufs, 3 * PT_MiB, r->len);
		EXPECT_EQ(-EIO, res);
		/* Before it: still fine. */
		c = pt_rw(PT_OP_READ, 0, r->nb, r->bufs, r->len);
		EXPECT_EQ(0, pt_q_cmd(&r->q, NVME_URING_CMD_IO, &c, -1, NULL));
	}
	rig_close(r);
	check_idle(_metadata, &self->env, r->d.index);
	stage = "deleting the disk";
	EXPECT_EQ(0, pt_disk_del(&self->env, r->d.index));
	check_pins(_metadata, &self->env);
	alarm(0);
}

/* The file system under a file-backed disk fails (injected errors). */
FIXTURE(fsfail) {
	struct pt_env env;
	struct backing bk;
	struct rig r;
};

FIXTURE_SETUP(fsfail)
{
	memset(&self->bk, 0, sizeof(self->bk));
	memset(&self->r, 0, sizeof(self->r));
	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	backing_setup(_metadata, &self->env, &self->bk);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, rig_bufs(&self->r, 4096, true));
	arm_alarm();
}

FIXTURE_TEARDOWN_PARENT(fsfail)
{
	struct zcblk_ctx *ctx;

	if (self->bk.mounted && !zcblk_ctx_open(&ctx)) {
		set_fail(ctx, self->bk.d.index, 0);
		zcblk_ctx_close(ctx);
		env_drop_others(_metadata, &self->env, self->bk.d.index);
	}
	backing_teardown(_metadata, &self->bk);
	pt_env_teardown(_metadata, &self->env);
}

TEST_F_TIMEOUT(fsfail, backing_fails, 600)
{
	struct rig *r = &self->r;
	struct nvme_uring_cmd c;
	int res;

	alarm(ROUND_TIMEOUT);
	stage = "starting I/O on the file-backed disk";
	rig_reset(r);
	ASSERT_EQ(0, rl_add(_metadata, &self->env, "file", self->bk.file,
			    4096, 0, &r->d));
	ASSERT_EQ(0, rig_open(r, PT_RING_FLAGS));
	ASSERT_EQ(0, rig_start(r));
	rig_wait_busy(r);

	stage = "failing every command of the disk under the ext4";
	ASSERT_EQ(0, set_fail(self->env.ctx, self->bk.d.index, 1));
	pt_msleep(300);
	stage = "stopping I/O";
	loop_stop(_metadata, r, pt_fail_ok, blk_fail_ok);
	/* Now for sure: the backing store fails every command. */
	c = pt_rw(PT_OP_READ, 8, r->nb, r->bufs, r->len);
	res = pt_q_cmd(&r->q, NVME_URING_CMD_IO, &c, -1, NULL);
	EXPECT_EQ(0x6, res) {
		TH_LOG("uring_cmd Read on a failing backing store: %s",
		       pt_res_str(res));
	}
	res = blk_rw(r->bfd, false, r->bufs, 64 * PT_KiB, r->len);
	EXPECT_EQ(-EIO, res);

	stage = "healing and deleting";
	ASSERT_EQ(0, set_fail(self->env.ctx, self->bk.d.index, 0));
	c = pt_rw(PT_OP_READ, 8, r->nb, r->bufs, r->len);
	EXPECT_EQ(0, pt_q_cmd(&r->q, NVME_URING_CMD_IO, &c, -1, NULL));
	rig_close(r);
	check_idle(_metadata, &self->env, r->d.index);
	EXPECT_EQ(0, pt_disk_del(&self->env, r->d.index));
	check_pins(_metadata, &self->env);
	alarm(0);
}

TEST_HARNESS_MAIN
