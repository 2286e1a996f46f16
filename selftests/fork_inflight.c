// SPDX-License-Identifier: GPL-2.0
/*
 * fork() while a passthrough Read is in flight into private anonymous
 * memory: the pages zcblk pinned (FOLL_PIN) stay the parent's, so the
 * device's data lands in the parent's buffer, and the child's copy of the
 * buffer never changes. With FOLL_GET references instead of pins, fork
 * would share the pages copy-on-write: the data would show up in the
 * child, and the parent, writing next to its buffer, would break the COW
 * and lose the data.
 *
 * A mem disk adds 200 ms to every request (DEV_SET latency-ns), so the
 * Read is still in flight while the child watches. The backend copies the
 * data before that delay, though: in the "stall" variant, the disk also
 * holds the Read unrun across the fork (DEV_SET stall), and the parent
 * lets it go only once the child has taken its snapshot, so the data
 * reaches memory after the fork. In the "latency" variant, it arrives
 * before the fork and only the completion (unpin, CQE) comes after.
 *
 * While the Read is held, the parent writes a byte in the first page of
 * its buffer, outside the range read: that page is pinned and must not be
 * write-protected for copy-on-write.
 */
#include <sys/wait.h>

#include "pt_common.h"

#define DISK_SIZE	(16 * PT_MiB)
#define BS		512
#define MAP_LEN		(32 * PT_PAGE)
#define BUF_OFF		1000		/* odd: the Read spans 17 pages */
#define BUF_LEN		(64 * PT_KiB)
#define LATENCY_NS	(200 * 1000 * 1000ULL)
#define WATCH_MS	400
#define BEFORE		0x5a		/* the buffer before the Read */
#define MARK		0xa5		/* the parent's byte next to it */
#define TAG		1

FIXTURE(fork_inflight) {
	struct pt_env env;
	struct pt_disk d;
};

FIXTURE_VARIANT(fork_inflight) {
	bool stall;	/* hold the Read unrun across fork() */
};

FIXTURE_VARIANT_ADD(fork_inflight, latency) {
	.stall = false,
};

FIXTURE_VARIANT_ADD(fork_inflight, stall) {
	.stall = true,
};

FIXTURE_SETUP(fork_inflight)
{
	struct pt_disk_cfg cfg = { .size = DISK_SIZE, .bs = BS };

	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
}

FIXTURE_TEARDOWN_PARENT(fork_inflight)
{
	pt_env_teardown(_metadata, &self->env);
}

/* What the child saw, in memory shared with the parent. */
struct watch {
	int snapshot_bad;	/* stall: data had arrived before the fork */
	int changed;		/* the buffer changed while watched */
	int changed_ms;		/* when, after the snapshot */
	size_t offset;		/* first byte that differed */
	unsigned char was, now;
};

static int set_settings(struct zcblk_ctx *ctx, __u32 index, __u64 set,
			__u64 latency_ns, __u32 stall)
{
	struct zcblk_dev_settings s = {
		.size = sizeof(s),
		.set = set,
		.latency_ns = latency_ns,
		.stall = stall,
	};
	int ret = zcblk_dev_set(ctx, index, &s, NULL);

	if (ret)
		fprintf(stderr, "# zcblk_dev_set: %s: %s\n", strerror(-ret),
			zcblk_ctx_errmsg(ctx));
	return ret;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * The child: snapshot the buffer, tell the parent, then watch it for
 * WATCH_MS. No harness calls here: results go through @w.
 */
static void child(const unsigned char *buf, bool stall, int ready_fd,
		  struct watch *w)
{
	unsigned char *snap = malloc(BUF_LEN);
	long long t0;
	size_t i;

	if (!snap)
		_exit(2);
	memcpy(snap, buf, BUF_LEN);
	if (stall && !pt_all_bytes(snap, BUF_LEN, BEFORE))
		w->snapshot_bad = 1;
	if (write(ready_fd, "r", 1) != 1)
		_exit(3);
	t0 = now_ms();
	while (!w->changed && now_ms() - t0 < WATCH_MS) {
		if (memcmp(snap, buf, BUF_LEN)) {
			for (i = 0; snap[i] == buf[i]; i++)
				;
			w->offset = i;
			w->was = snap[i];
			w->now = buf[i];
			w->changed_ms = now_ms() - t0;
			w->changed = 1;
		}
		pt_msleep(5);
	}
	_exit(0);
}

TEST_F_TIMEOUT(fork_inflight, read, 120)
{
	const __u32 nblocks = BUF_LEN / BS;
	struct zcblk_dev_stats s0, s1;
	struct nvme_uring_cmd c;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	unsigned char *map, *buf;
	int cfd, pipefd[2], status, res;
	struct watch *w;
	struct pt_q q;
	__u64 want_pins;
	char *data;
	pid_t pid;
	char ch;

	pt_open(_metadata, &self->d, &cfd, NULL);
	ASSERT_EQ(0, pt_q_init(&q, cfd, 8, PT_RING_FLAGS));
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &s0));

	/* The data, on the disk. */
	data = pt_map(BUF_LEN);
	ASSERT_NE(NULL, data);
	pt_fill(data, BS, 0, nblocks, TAG);
	c = pt_rw(PT_OP_WRITE, 0, nblocks, data, BUF_LEN);
	res = pt_q_cmd(&q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("write: %s", pt_res_str(res));
	}
	want_pins = pt_pages(data, BUF_LEN);

	ASSERT_EQ(0, set_settings(self->env.ctx, self->d.index,
				  ZCBLK_SET_LATENCY_NS | ZCBLK_SET_STALL,
				  LATENCY_NS, variant->stall));

	/* Private anonymous memory, every page present. */
	map = pt_map(MAP_LEN);
	ASSERT_NE(NULL, map);
	memset(map, BEFORE, MAP_LEN);
	buf = map + BUF_OFF;
	w = mmap(NULL, sizeof(*w), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, w);
	memset(w, 0, sizeof(*w));
	ASSERT_EQ(0, pipe(pipefd));

	/* The Read: pinned at submission, then held (stall or latency). */
	c = pt_rw(PT_OP_READ, 0, nblocks, buf, BUF_LEN);
	sqe = io_uring_get_sqe(&q.ring);
	ASSERT_NE(NULL, sqe);
	pt_q_prep(&q, sqe, NVME_URING_CMD_IO, &c, -1, 0x4ead);
	ASSERT_EQ(1, io_uring_submit(&q.ring));
	want_pins += pt_pages(buf, BUF_LEN);
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &s1));
	EXPECT_EQ(1, s1.pt_inflight);
	EXPECT_EQ(pt_pages(buf, BUF_LEN), s1.pinned_current);
	EXPECT_EQ(-EAGAIN, io_uring_peek_cqe(&q.ring, &cqe)) {
		TH_LOG("the Read completed before fork(): res %d", cqe->res);
	}

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(pipefd[0]);
		child(buf, variant->stall, pipefd[1], w);
	}
	close(pipefd[1]);
	ASSERT_EQ(1, read(pipefd[0], &ch, 1));
	close(pipefd[0]);

	/* Next to the buffer, in its first (pinned) page. */
	map[BUF_OFF - 1] = MARK;
	if (variant->stall)
		ASSERT_EQ(0, set_settings(self->env.ctx, self->d.index,
					  ZCBLK_SET_STALL, 0, 0));

	res = pt_q_reap(&q, NULL, NULL);
	EXPECT_EQ(0, res) {
		TH_LOG("read: %s", pt_res_str(res));
	}
	EXPECT_TRUE(pt_verify(_metadata, buf, BS, 0, nblocks, TAG,
			      "parent's buffer after the Read"));
	EXPECT_EQ(MARK, map[BUF_OFF - 1]);
	EXPECT_TRUE(pt_all_bytes(map, BUF_OFF - 1, BEFORE));
	EXPECT_TRUE(pt_all_bytes(buf + BUF_LEN, MAP_LEN - BUF_OFF - BUF_LEN,
				 BEFORE));

	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("child: status 0x%x", status);
	}
	EXPECT_EQ(0, w->snapshot_bad) {
		TH_LOG("the child's copy already held data at fork()");
	}
	EXPECT_EQ(0, w->changed) {
		TH_LOG("the child's copy changed after %d ms at byte %zu: 0x%02x -> 0x%02x",
		       w->changed_ms, w->offset, w->was, w->now);
	}

	/* Pins balance: zcblk's counters, then the system's. */
	pt_q_exit(&q);
	close(cfd);
	ASSERT_EQ(0, pt_stats_idle(self->env.ctx, self->d.index, &s1));
	EXPECT_EQ(0, s1.pinned_current);
	EXPECT_EQ(0, s1.pt_inflight);
	EXPECT_EQ(want_pins, s1.pinned_pages - s0.pinned_pages);
	EXPECT_EQ(s1.pinned_pages, s1.unpinned_pages);
	EXPECT_EQ(self->env.vm_pins0, pt_vm_pins_wait(self->env.vm_pins0,
						      10000));
	munmap(w, sizeof(*w));
	munmap(map, MAP_LEN);
	munmap(data, BUF_LEN);
}

TEST_HARNESS_MAIN
