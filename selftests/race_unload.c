// SPDX-License-Identifier: GPL-2.0
/*
 * Lifecycle races of the module and of the disk registry (architecture.md
 * section 6; the DEV_DEL, SIGKILL and close-order races: race_lifecycle.c):
 *
 *  unload          delete_module() is refused (EBUSY/EWOULDBLOCK) while a
 *                  char-device fd is open (also: a block fd, an fd that
 *                  outlived its disk, a ring holding the fd as a registered
 *                  file, commands in flight), and works once everything is
 *                  closed; then zcblk is loaded again from $ZCBLK_MODULE.
 *  add_del         4 threads DEV_ADD and DEV_DEL (and, besides, DEV_GET,
 *                  DEV_SET and open the char node) on 6 colliding explicit
 *                  indexes: each add is 0 or -EEXIST, each del 0 or
 *                  -ENODEV, the others 0 or -ENODEV (open: ENOENT, ENODEV
 *                  or ENXIO); what is left matches the successes, deletes
 *                  cleanly, and the list is as before.
 *
 * add_del adds and deletes for $ZCBLK_RACE_SECONDS (race_debug.sh), else
 * 1000 times (make stress); it reports how often each collision (EEXIST,
 * ENODEV) happened and requires both.
 */
#include <pthread.h>
#include <sys/syscall.h>

#include "race_common.h"

#define IDX_BASE	40		/* add_del's indexes */
#define IDX_N		6
#define ADD_DEL_THREADS	4

/* ---------------------------------------------------- module unload */

static int unload(int flags)
{
	return syscall(SYS_delete_module, "zcblk", flags) ? -errno : 0;
}

static bool module_loaded(void)
{
	return !access("/sys/module/zcblk", F_OK);
}

static int load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

FIXTURE(unload) {
	struct pt_env env;
	const char *mod;
};

FIXTURE_SETUP(unload)
{
	self->mod = getenv("ZCBLK_MODULE");
	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	if (!self->mod || access(self->mod, R_OK))
		SKIP(return, "ZCBLK_MODULE does not name the module to reload");
	arm_alarm();
}

FIXTURE_TEARDOWN_PARENT(unload)
{
	/* Whatever happened, later tests get the module. */
	if (self->mod && !module_loaded()) {
		int ret = load(self->mod);

		EXPECT_EQ(0, ret);
		if (ret)
			TH_LOG("insmod %s: %s", self->mod, strerror(-ret));
	}
	pt_env_teardown(_metadata, &self->env);
}

/* delete_module() refused, with and without O_NONBLOCK. */
static void expect_refused(struct __test_metadata *_metadata, const char *why)
{
	int flags[] = { O_NONBLOCK, 0 }, i;

	for (i = 0; i < 2; i++) {
		int ret = unload(flags[i]);

		EXPECT_TRUE(ret == -EBUSY || ret == -EWOULDBLOCK) {
			TH_LOG("delete_module(zcblk, %s) with %s: %s",
			       flags[i] ? "O_NONBLOCK" : "0", why,
			       ret ? strerror(-ret) : "unloaded");
		}
		if (!ret)
			return;
	}
}

TEST_F_TIMEOUT(unload, refused_while_open, 600)
{
	struct pt_disk_cfg mcfg = { .size = DISK_SIZE, .bs = 512 };
	struct pt_disk_cfg ncfg = { .backend = "null", .size = DISK_SIZE,
				    .bs = 4096 };
	struct pt_disk dm, dn;
	struct hist h = { 0 };
	struct pt_q q;
	char *buf;
	int cfd, cfd2, bfd, i, ret;
	struct timespec t0, t1;

	alarm(ROUND_TIMEOUT);
	stage = "creating disks";
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &mcfg, &dm));
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &ncfg, &dn));
	buf = pt_map(QD * 8192);
	ASSERT_NE(NULL, buf);

	stage = "unloading with a char fd open";
	pt_open(_metadata, &dm, &cfd, NULL);
	expect_refused(_metadata, "a char-device fd open");
	ASSERT_TRUE(module_loaded());

	stage = "unloading with commands in flight";
	ASSERT_EQ(0, set_latency(self->env.ctx, dm.index, LATENCY_NS));
	ASSERT_EQ(0, pt_q_init(&q, cfd, 2 * QD, PT_RING_FLAGS));
	for (i = 0; i < QD; i++) {
		struct nvme_uring_cmd c = pt_rw(i & 1 ? PT_OP_WRITE :
						PT_OP_READ, i * 16, 16,
						buf + i * 8192, 8192);

		pt_q_prep(&q, io_uring_get_sqe(&q.ring), NVME_URING_CMD_IO,
			  &c, -1, i);
	}
	ASSERT_EQ(QD, io_uring_submit(&q.ring));
	expect_refused(_metadata, "commands in flight");
	for (i = 0; i < QD; i++)
		hist_add(&h, pt_q_reap(&q, NULL, NULL));
	EXPECT_TRUE(hist_check(_metadata, &h, ok_only,
			       "commands in flight during the unload attempt"));
	ASSERT_EQ(0, set_latency(self->env.ctx, dm.index, 0));

	stage = "unloading with a ring holding the fd as a registered file";
	ASSERT_EQ(0, pt_q_fixed_file(&q));
	close(cfd);
	expect_refused(_metadata, "a ring holding a registered char-device file");
	pt_q_exit(&q);

	stage = "unloading with a block fd open";
	ASSERT_EQ(0, pt_wait_node(dn.blk));
	bfd = open(dn.blk, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, bfd);
	expect_refused(_metadata, "a block-device fd open");
	close(bfd);

	stage = "unloading with an fd that outlived its disk";
	cfd2 = open(dm.chr, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, cfd2);
	ASSERT_EQ(0, pt_disk_del(&self->env, dm.index));
	EXPECT_EQ(-ENODEV, pt_ioctl_res(ioctl(cfd2, NVME_IOCTL_ID)));
	expect_refused(_metadata, "an fd open on a deleted disk");
	close(cfd2);
	munmap(buf, QD * 8192);

	stage = "unloading with everything closed";
	zcblk_ctx_close(self->env.ctx);
	self->env.ctx = NULL;
	/* The ring's files go from a workqueue: give them a moment. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 100; i++) {
		ret = unload(O_NONBLOCK);
		if (ret != -EWOULDBLOCK && ret != -EBUSY)
			break;
		pt_msleep(50);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	EXPECT_EQ(0, ret) {
		TH_LOG("delete_module(zcblk) with nothing open: %s",
		       strerror(-ret));
	}
	ksft_print_msg("unloaded after %d refusals (%ld ms)\n", i,
		       (long)((t1.tv_sec - t0.tv_sec) * 1000 +
			      (t1.tv_nsec - t0.tv_nsec) / 1000000));
	EXPECT_FALSE(module_loaded());
	/* The unload removed the disk still there. */
	EXPECT_EQ(ENOENT, node_err(dn.blk));
	EXPECT_EQ(ENOENT, node_err(dn.chr));
	self->env.n = 0;

	stage = "loading zcblk again";
	ret = load(self->mod);
	ASSERT_EQ(0, ret) {
		TH_LOG("insmod %s: %s", self->mod, strerror(-ret));
	}
	ASSERT_EQ(0, zcblk_ctx_open(&self->env.ctx));
	/* The reloaded module works. */
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &mcfg, &dm));
	ASSERT_EQ(0, pt_disk_del(&self->env, dm.index));
	alarm(0);
}

/* ------------------------------------- concurrent DEV_ADD / DEV_DEL */

struct addel {
	int ops;			/* this thread's DEV_ADDs and DEV_DELs */
	double end;			/* if set, until then instead */
	int id;
	unsigned long add_ok, add_exist, del_ok, del_nodev;
	unsigned long get_ok, get_nodev, set_ok, set_nodev;
	unsigned long open_ok, open_gone;
	int bad_res;			/* the first unexpected result */
	char bad_what[64];
	int err;
};

static void addel_bad(struct addel *a, const char *what, __u32 idx, int res)
{
	if (a->bad_what[0])
		return;
	a->bad_res = res;
	snprintf(a->bad_what, sizeof(a->bad_what), "%s %u", what, idx);
}

static void *addel_thread(void *arg)
{
	struct addel *a = arg;
	struct zcblk_ctx *ctx;
	int i, done = 0, ret;

	ret = zcblk_ctx_open(&ctx);
	if (ret) {
		a->err = ret;
		return NULL;
	}
	/* DEV_GET, DEV_SET and opens come on top of the adds and deletes. */
	for (i = 0; a->end ? now_s() < a->end : done < a->ops; i++) {
		__u64 rnd = pt_rand(((__u64)a->id << 32) | i);
		__u32 idx = IDX_BASE + rnd % IDX_N;
		unsigned int what = (rnd >> 16) % 20;

		if (what < 16)
			done++;
		if (what < 8) {
			struct zcblk_dev_params p = { .size = sizeof(p) };

			p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE |
				ZCBLK_PARAM_INDEX;
			snprintf(p.backend, sizeof(p.backend), "%s",
				 (rnd >> 24) % 4 ? "null" : "mem");
			p.disk_size = 4 * PT_MiB;
			p.index = idx;
			ret = zcblk_dev_add(ctx, &p, NULL);
			if (!ret)
				a->add_ok++;
			else if (ret == -EEXIST)
				a->add_exist++;
			else
				addel_bad(a, "DEV_ADD", idx, ret);
		} else if (what < 16) {
			ret = zcblk_dev_del(ctx, idx);
			if (!ret)
				a->del_ok++;
			else if (ret == -ENODEV)
				a->del_nodev++;
			else
				addel_bad(a, "DEV_DEL", idx, ret);
		} else if (what == 16) {
			struct zcblk_dev_info info = { .size = sizeof(info) };

			ret = zcblk_dev_get(ctx, idx, &info);
			if (!ret && info.index == idx)
				a->get_ok++;
			else if (ret == -ENODEV)
				a->get_nodev++;
			else
				addel_bad(a, "DEV_GET", idx, ret ? ret : 1);
		} else if (what == 17) {
			ret = set_latency(ctx, idx, (rnd >> 30) & 1 ? 1000 : 0);
			if (!ret)
				a->set_ok++;
			else if (ret == -ENODEV)
				a->set_nodev++;
			else
				addel_bad(a, "DEV_SET", idx, ret);
		} else {
			char path[64];
			int fd;

			snprintf(path, sizeof(path), "/dev/zcblk%uc", idx);
			fd = open(path, O_RDWR | O_CLOEXEC);
			if (fd < 0) {
				ret = -errno;
				if (ret == -ENOENT || ret == -ENODEV ||
				    ret == -ENXIO)
					a->open_gone++;
				else
					addel_bad(a, "open", idx, ret);
				continue;
			}
			ret = pt_ioctl_res(ioctl(fd, NVME_IOCTL_ID));
			if (ret != 1 && ret != -ENODEV)
				addel_bad(a, "NVME_IOCTL_ID", idx, ret);
			close(fd);
			a->open_ok++;
		}
	}
	zcblk_ctx_close(ctx);
	return NULL;
}

static int count_range(const struct zcblk_dev_info *info, void *arg)
{
	int *n = arg;

	if (info->index >= IDX_BASE && info->index < IDX_BASE + IDX_N)
		n[0]++;
	n[1]++;
	return 0;
}

FIXTURE(addel) {
	struct pt_env env;
};

FIXTURE_SETUP(addel)
{
	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ksft_print_msg("seed 0x%llx\n", (unsigned long long)pt_seed);
	arm_alarm();
}

FIXTURE_TEARDOWN_PARENT(addel)
{
	struct zcblk_ctx *ctx;
	__u32 i;

	if (!zcblk_ctx_open(&ctx)) {
		for (i = IDX_BASE; i < IDX_BASE + IDX_N; i++)
			zcblk_dev_del(ctx, i);
		zcblk_ctx_close(ctx);
	}
	pt_env_teardown(_metadata, &self->env);
}

TEST_F_TIMEOUT(addel, add_del, 3600)
{
	struct addel a[ADD_DEL_THREADS] = { 0 }, sum = { 0 };
	struct budget bu = budget_start(1000);
	pthread_t t[ADD_DEL_THREADS];
	int cnt0[2] = { 0, 0 }, cnt[2] = { 0, 0 }, i, ret;
	long live;
	__u32 idx;

	ASSERT_EQ(0, zcblk_dev_list(self->env.ctx, count_range, cnt0));
	ASSERT_EQ(0, cnt0[0]) {
		TH_LOG("disks already at indexes %u..%u", IDX_BASE,
		       IDX_BASE + IDX_N - 1);
	}
	alarm(ROUND_TIMEOUT * 10 + race_seconds());
	stage = "adding and deleting from 4 threads";
	for (i = 0; i < ADD_DEL_THREADS; i++) {
		a[i].id = i;
		a[i].ops = bu.n / ADD_DEL_THREADS;
		a[i].end = bu.end;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, addel_thread, &a[i]));
	}
	for (i = 0; i < ADD_DEL_THREADS; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, a[i].err);
		EXPECT_EQ(0, a[i].bad_what[0]) {
			TH_LOG("thread %d: %s: %s", i, a[i].bad_what,
			       pt_res_str(a[i].bad_res));
		}
		sum.add_ok += a[i].add_ok;
		sum.add_exist += a[i].add_exist;
		sum.del_ok += a[i].del_ok;
		sum.del_nodev += a[i].del_nodev;
		sum.get_ok += a[i].get_ok;
		sum.get_nodev += a[i].get_nodev;
		sum.set_ok += a[i].set_ok;
		sum.set_nodev += a[i].set_nodev;
		sum.open_ok += a[i].open_ok;
		sum.open_gone += a[i].open_gone;
	}
	ksft_print_msg("%lu adds and deletes: add %lu ok / %lu EEXIST, del %lu ok / %lu ENODEV; also get %lu/%lu, set %lu/%lu, open %lu ok / %lu gone\n",
		       sum.add_ok + sum.add_exist + sum.del_ok + sum.del_nodev,
		       sum.add_ok, sum.add_exist, sum.del_ok,
		       sum.del_nodev, sum.get_ok, sum.get_nodev, sum.set_ok,
		       sum.set_nodev, sum.open_ok, sum.open_gone);

	stage = "counting and deleting what is left";
	ASSERT_EQ(0, zcblk_dev_list(self->env.ctx, count_range, cnt));
	live = (long)sum.add_ok - (long)sum.del_ok;
	EXPECT_EQ(live, cnt[0]) {
		TH_LOG("%lu adds and %lu deletes succeeded, but %d disks are listed",
		       sum.add_ok, sum.del_ok, cnt[0]);
	}
	for (idx = IDX_BASE; idx < IDX_BASE + IDX_N; idx++) {
		ret = zcblk_dev_del(self->env.ctx, idx);
		EXPECT_TRUE(ret == 0 || ret == -ENODEV) {
			TH_LOG("del %u: %s", idx, strerror(-ret));
		}
	}
	memset(cnt, 0, sizeof(cnt));
	ASSERT_EQ(0, zcblk_dev_list(self->env.ctx, count_range, cnt));
	EXPECT_EQ(0, cnt[0]);
	EXPECT_EQ(cnt0[1], cnt[1]);
	/*
	 * Both outcomes of both commands happened: the threads ran. Calls one
	 * after another give these too; the race is not forced.
	 */
	EXPECT_LT(0, sum.add_ok);
	EXPECT_LT(0, sum.add_exist);
	EXPECT_LT(0, sum.del_ok);
	EXPECT_LT(0, sum.del_nodev);
	alarm(0);
}

TEST_HARNESS_MAIN
