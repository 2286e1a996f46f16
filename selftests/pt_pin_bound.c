// SPDX-License-Identifier: GPL-2.0
/*
 * The pinned-memory bound of a disk (Documentation/security.rst,
 * "Resource bounds"): a passthrough command pins its buffer only once it
 * holds a request of the disk's queue, and unpins it before the request
 * is freed. However many rings, threads and fds an unprivileged user
 * with access to the node drives, the disk pins at most PAGES_PER_CMD
 * (512 KiB in 128 segments that each straddle a page boundary) per
 * request: queue depth x hardware queues without an I/O scheduler, the
 * queue's nr_requests with one.
 *
 * A stalled mem disk holds every request it is given. As nobody, a child
 * submits NR_CMDS such Reads, more than the disk has requests, through
 * NR_RINGS rings and NR_THREADS threads issuing the vectored ioctl. Once
 * more of them are inside zcblk (pt_inflight) than the disk has requests
 * (io_uring's workers and the threads wait for one; the rest wait in
 * io-wq), the disk must pin exactly PAGES_PER_CMD for each request it
 * has, and the system's FOLL_PIN balance must have grown by that much and
 * no more: the commands waiting for a request have pinned nothing. Then
 * the stall ends, every command succeeds, its data is the disk's, and the
 * pins balance; no sample, draining included, is above the bound.
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
#define CMD_BLOCKS	(PT_MAX_TRANSFER / BS)
#define SEG_LEN		(PT_MAX_TRANSFER / PT_MAX_SEGS)	/* 4 KiB */
#define SEG_OFF		(PT_PAGE / 2)		/* each segment spans 2 pages */
#define CMD_MAP		(PT_MAX_SEGS * 2 * PT_PAGE)
#define PAGES_PER_CMD	(PT_MAX_SEGS * 2)	/* 256 */
#define TAG		7
#define NOBODY		65534

FIXTURE(pt_pin_bound) {
	struct pt_env env;
	struct pt_disk d;
};

FIXTURE_VARIANT(pt_pin_bound) {
	__u32 queue_depth;
	const char *scheduler;	/* NULL: none, the default */
};

FIXTURE_VARIANT_ADD(pt_pin_bound, depth1) {
	.queue_depth = 1,
};

FIXTURE_VARIANT_ADD(pt_pin_bound, depth4) {
	.queue_depth = 4,
};

/* The scheduler's requests are the bound then, not the driver's tags. */
FIXTURE_VARIANT_ADD(pt_pin_bound, mq_deadline) {
	.queue_depth = 2,
	.scheduler = "mq-deadline",
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
	int res[NR_CMDS];	/* each command's outcome */
	int bad_data;		/* commands whose data was not the disk's */
};

struct cmd {
	struct iovec iov[PT_MAX_SEGS];
	unsigned char *map;
	__u64 slba;
	int fd;
	int *res;
};

static void cmd_init(struct cmd *c, unsigned char *map, int i, int fd,
		     struct outcome *o)
{
	int s;

	c->map = map;
	c->slba = (__u64)i * CMD_BLOCKS;
	c->fd = fd;
	c->res = &o->res[i];
	memset(map, 0xee, CMD_MAP);
	for (s = 0; s < PT_MAX_SEGS; s++) {
		c->iov[s].iov_base = map + (size_t)s * 2 * PT_PAGE + SEG_OFF;
		c->iov[s].iov_len = SEG_LEN;
	}
}

/* Did every segment receive its part of the disk's data? */
static bool cmd_data_ok(const struct cmd *c)
{
	unsigned char want[SEG_LEN];
	int s;

	for (s = 0; s < PT_MAX_SEGS; s++) {
		pt_fill(want, BS, c->slba + (__u64)s * (SEG_LEN / BS),
			SEG_LEN / BS, TAG);
		if (memcmp(c->iov[s].iov_base, want, SEG_LEN))
			return false;
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

/* The unprivileged user: every command at once, then their results. */
static void child(const char *node, struct outcome *o)
{
	static struct cmd cmds[NR_CMDS];
	pthread_t th[NR_THREADS];
	struct pt_q q[NR_RINGS];
	unsigned char *maps;
	int fd, i, r, err = 0;

	memset(o->res, 0x7f, sizeof(o->res));
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		goto fail;
	fd = open(node, O_RDONLY | O_CLOEXEC);
	maps = pt_map((size_t)NR_CMDS * CMD_MAP);
	if (fd < 0 || !maps)
		goto fail;
	for (i = 0; i < NR_CMDS; i++)
		cmd_init(&cmds[i], maps + (size_t)i * CMD_MAP, i, fd, o);

	for (r = 0; r < NR_RINGS; r++) {
		err = -pt_q_init(&q[r], fd, 2 * PER_RING, PT_RING_FLAGS);
		if (err)
			goto fail_err;
		for (i = r * PER_RING; i < (r + 1) * PER_RING; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&q[r].ring);
			struct nvme_uring_cmd nc;

			nc = pt_rw_vec(PT_OP_READ, cmds[i].slba, CMD_BLOCKS,
				       cmds[i].iov, PT_MAX_SEGS);
			pt_q_prep(&q[r], sqe, NVME_URING_CMD_IO_VEC, &nc, -1, i);
		}
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

	for (r = 0; r < NR_RINGS; r++) {
		for (i = 0; i < PER_RING; i++) {
			__u64 ud = 0;
			int res = pt_q_reap(&q[r], &ud, NULL);

			if (ud < NR_CMDS)
				o->res[ud] = res;
		}
		pt_q_exit(&q[r]);
	}
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < NR_CMDS; i++)
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

/* The queue's sysfs attribute @name: its value, or -errno. */
static long queue_attr(const struct pt_disk *d, const char *name,
		       const char *set)
{
	char path[128], buf[64] = "";
	int fd, n;

	snprintf(path, sizeof(path), "/sys/block/%s/queue/%s", d->blk + 5,
		 name);
	fd = open(path, (set ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = set ? write(fd, set, strlen(set)) : read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	return set ? 0 : strtol(buf, NULL, 10);
}

TEST_F_TIMEOUT(pt_pin_bound, unprivileged_user, 300)
{
	struct zcblk_dev_stats s0, st;
	__u64 bound, peak = 0;
	long long vm0, vm;
	struct outcome *o;
	unsigned char *buf;
	long requests;
	int bfd, i, status;
	pid_t pid;

	/* The disk's data: what every Read must return. */
	ASSERT_EQ(0, pt_wait_node(self->d.blk));
	bfd = open(self->d.blk, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, bfd);
	buf = pt_map(PT_MAX_TRANSFER);
	ASSERT_NE(NULL, buf);
	for (i = 0; i < NR_CMDS; i++) {
		pt_fill(buf, BS, (__u64)i * CMD_BLOCKS, CMD_BLOCKS, TAG);
		ASSERT_EQ(0, pt_blk_rw(bfd, true, buf,
				       (__u64)i * PT_MAX_TRANSFER,
				       PT_MAX_TRANSFER));
	}
	close(bfd);

	if (variant->scheduler) {
		long ret = queue_attr(&self->d, "scheduler", variant->scheduler);
		char cmd[64];

		/* A module on 6.12, which the guest kernel does not load. */
		if (ret == -EINVAL || ret == -ENOENT) {
			snprintf(cmd, sizeof(cmd), "modprobe -q %s",
				 variant->scheduler);
			if (!system(cmd))
				ret = queue_attr(&self->d, "scheduler",
						 variant->scheduler);
		}
		if (ret == -EINVAL || ret == -ENOENT)
			SKIP(return, "no %s I/O scheduler in this kernel",
			     variant->scheduler);
		ASSERT_EQ(0, ret);
		requests = queue_attr(&self->d, "nr_requests", NULL);
	} else {
		requests = variant->queue_depth;
	}
	ASSERT_LT(0, requests);
	ASSERT_GT(NR_CMDS, requests);
	bound = PAGES_PER_CMD * (__u64)requests;

	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &s0));
	ASSERT_EQ(0, pt_wait_node(self->d.chr));
	ASSERT_EQ(0, set_stall(self->env.ctx, self->d.index, 1));
	vm0 = pt_vm_pins();
	o = mmap(NULL, sizeof(*o), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, o);
	memset(o, 0, sizeof(*o));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		child(self->d.chr, o);

	/* Every request taken, and commands inside zcblk waiting for one. */
	for (i = 0; i < 3000; i++) {
		ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
		peak = st.pinned_current > peak ? st.pinned_current : peak;
		if (o->setup_err || (o->submitted &&
				     st.pt_inflight > requests &&
				     st.pinned_current == bound))
			break;
		pt_msleep(20);
	}
	EXPECT_EQ(0, o->setup_err) {
		TH_LOG("child: %s", strerror(o->setup_err));
	}
	EXPECT_LT(requests, st.pt_inflight);
	EXPECT_EQ(bound, st.pinned_current);
	TH_LOG("%ld requests, %u commands inside zcblk, %llu pages pinned",
	       requests, st.pt_inflight,
	       (unsigned long long)st.pinned_current);
	/* Held: it stays there, and nothing else pinned on zcblk's behalf. */
	for (i = 0; i < 5; i++) {
		pt_msleep(100);
		ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
		EXPECT_EQ(bound, st.pinned_current);
		peak = st.pinned_current > peak ? st.pinned_current : peak;
	}
	vm = pt_vm_pins();
	EXPECT_EQ((long long)bound, vm - vm0) {
		TH_LOG("/proc/vmstat FOLL_PIN balance grew by %lld, zcblk pins %llu",
		       vm - vm0, (unsigned long long)st.pinned_current);
	}

	ASSERT_EQ(0, set_stall(self->env.ctx, self->d.index, 0));
	for (i = 0; i < 3000; i++) {
		ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
		peak = st.pinned_current > peak ? st.pinned_current : peak;
		if (!st.pt_inflight)
			break;
		pt_msleep(5);
	}
	EXPECT_GE(bound, peak) {
		TH_LOG("%llu pages pinned at once, bound %llu",
		       (unsigned long long)peak, (unsigned long long)bound);
	}

	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status)) {
		TH_LOG("child: status 0x%x", status);
	}
	for (i = 0; i < NR_CMDS; i++)
		EXPECT_EQ(0, o->res[i]) {
			TH_LOG("command %d: %s", i, pt_res_str(o->res[i]));
		}
	EXPECT_EQ(0, o->bad_data);

	/* Each command pinned its pages once, and every pin was undone. */
	ASSERT_EQ(0, pt_stats_idle(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(0, st.pinned_current);
	EXPECT_EQ((__u64)NR_CMDS * PAGES_PER_CMD,
		  st.pinned_pages - s0.pinned_pages);
	EXPECT_EQ(st.pinned_pages, st.unpinned_pages);
	EXPECT_EQ(vm0, pt_vm_pins_wait(vm0, 10000));
	munmap(o, sizeof(*o));
	munmap(buf, PT_MAX_TRANSFER);
}

TEST_HARNESS_MAIN
