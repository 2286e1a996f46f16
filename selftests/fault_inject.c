// SPDX-License-Identifier: GPL-2.0
/*
 * fault_inject: every memory allocation zcblk's control and I/O paths make
 * on behalf of a task, failed one at a time (debug kernel only: needs
 * CONFIG_FAULT_INJECTION, FAILSLAB and FAIL_PAGE_ALLOC).
 *
 * /proc/thread-self/fail-nth set to N makes the N-th slab or page
 * allocation of this thread fail (whatever failslab's and fail_page_alloc's
 * probability), so injection is restricted to the test's own task: the
 * command it issues and what the kernel does synchronously for it. For
 * N = 1, 2, ... until an operation runs without reaching its N-th
 * allocation, each operation must fail cleanly (an allocation errno, or
 * an I/O error for I/O) or succeed, and afterwards: no disk appeared or
 * vanished unannounced, the data is the old or the new, pins balance. A
 * leak is kmemleak.sh's to find, a splat run_tests.sh's.
 *
 * A power cut is also tried with every xarray node allocation of this
 * thread failing (failslab's cache and task filters): a shortage that
 * retrying does not cure, as fail-nth's single failure is.
 *
 * fail_make_request, per disk, fails bios at submit_bio(): the block
 * device's I/O, not passthrough requests, which never go through it.
 *
 * fault_inject_cmds does the same for the commands and disks of the
 * command sets; fault_inject.h says what both share.
 */
#include <sys/stat.h>

#include "fault_inject.h"
#include "pt_common.h"

#define FI_BS		4096U
#define FI_SMALL	FI_BS			/* inline bvecs */
#define FI_LARGE	(32 * FI_BS)		/* kvmalloc'ed bvecs and pages */

FIXTURE(fi) {
	struct pt_env env;
	struct pt_disk d;
	struct pt_q q;
	int cfd, bfd;
	char *buf, *rd;
};

FIXTURE_SETUP(fi)
{
	struct pt_disk_cfg cfg = { .size = 16 * PT_MiB, .bs = FI_BS };

	self->cfd = self->bfd = -1;
	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	if (fi_enable(_metadata))
		SKIP(return, "no fail-nth, failslab or fail_page_alloc (CONFIG_FAULT_INJECTION...)");
	ASSERT_EQ(0, _metadata->exit_code);

	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
	pt_open(_metadata, &self->d, &self->cfd, &self->bfd);
	ASSERT_EQ(0, pt_q_init(&self->q, self->cfd, 8, PT_RING_FLAGS));
	self->buf = pt_map(FI_LARGE);
	self->rd = pt_map(FI_LARGE);
	ASSERT_NE(NULL, self->buf);
	ASSERT_NE(NULL, self->rd);
}

FIXTURE_TEARDOWN_PARENT(fi)
{
	if (nth_fd >= 0)
		nth_set(0);
	pt_q_exit(&self->q);
	if (self->cfd >= 0)
		close(self->cfd);
	if (self->bfd >= 0)
		close(self->bfd);
	pt_env_teardown(_metadata, &self->env);
}

/*
 * Control: DEV_ADD, DEV_SET (a setting, a bad range), DEV_GET, DEV_DEL (a
 * fault anywhere in them).
 */
TEST_F_TIMEOUT(fi, control, 1500)
{
	struct zcblk_dev_params p = { .size = sizeof(p) };
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct zcblk_dev_settings s = { .size = sizeof(s) };
	struct zcblk_ctx *ctx = self->env.ctx;
	int before = count_disks(ctx);

	/*
	 * Slab only: failed vmalloc pages of the kernel's own partition
	 * scan print a warn_alloc() stack trace, which reads as a splat.
	 */
	ASSERT_EQ(0, put(DBG "fail_page_alloc/ignore-gfp-wait", "Y"));

	ASSERT_LT(0, before);
	/*
	 * Two queues, few tags: every site, the unwinding of a second
	 * hardware queue, fewer repeats. No poll queues: 6.1's and 6.12's
	 * blk-mq adds each CPU's software-queue kobject under both the
	 * default and the poll hardware queue, and so leaks the first
	 * hardware queue when the disk goes (null_blk alike; see
	 * Documentation/testing.rst), which kmemleak reports only after
	 * some faults.
	 */
	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE | ZCBLK_PARAM_NR_QUEUES |
		ZCBLK_PARAM_QUEUE_DEPTH;
	strcpy(p.backend, "mem");
	p.disk_size = 8 * PT_MiB;
	p.nr_queues = 2;
	p.queue_depth = 4;

	/*
	 * An error means no disk: a disk made is always reported. EINVAL
	 * from add_disk() too: 6.12's device_add_disk() ignores a failed
	 * dev_set_name(), and device_add() refuses the nameless device.
	 */
	FAIL_EACH(0, zcblk_dev_add(ctx, &p, &info), ({
		if (ret) {
			EXPECT_TRUE(alloc_errno(ret) ||
				    (ret == -EINVAL &&
				     !strcmp(zcblk_ctx_errmsg(ctx),
					     "add_disk failed"))) {
				TH_LOG("add, fault %u: %s (%s)", __n,
				       strerror(-ret), zcblk_ctx_errmsg(ctx));
			}
			EXPECT_EQ(before, count_disks(ctx));
		} else {
			EXPECT_EQ(before + 1, count_disks(ctx));
			EXPECT_EQ(0, zcblk_dev_del(ctx, info.index));
		}
	}));

	/* All of a change applies or none. */
	s.set = ZCBLK_SET_LATENCY_NS;
	FAIL_EACH(s.latency_ns = __n * 1000ULL,
		  zcblk_dev_set(ctx, self->d.index, &s, NULL), ({
		struct zcblk_dev_info got = { .size = sizeof(got) };

		ASSERT_EQ(0, zcblk_dev_get(ctx, self->d.index, &got));
		if (ret) {
			EXPECT_TRUE(alloc_errno(ret)) {
				TH_LOG("set, fault %u: %s (%s)", __n,
				       strerror(-ret), zcblk_ctx_errmsg(ctx));
			}
			EXPECT_NE(s.latency_ns, got.latency_ns);
		} else {
			EXPECT_EQ(s.latency_ns, got.latency_ns);
		}
	}));
	s.latency_ns = 0;
	ASSERT_EQ(0, zcblk_dev_set(ctx, self->d.index, &s, NULL));

	/*
	 * A bad range marked, or not: DEV_SET bad-lba's reply lists it, so
	 * the listing must not fail once the change is made.
	 */
	FAIL_EACH(0, zcblk_dev_set_bad(ctx, self->d.index, 8, 2, 0), ({
		struct zcblk_bad_range r[2] = {};
		__u32 count = 0;

		ASSERT_EQ(ret ? 0 : 1,
			  zcblk_dev_bad_list(ctx, self->d.index, r, 2, &count));
		if (ret) {
			EXPECT_TRUE(alloc_errno(ret)) {
				TH_LOG("set bad, fault %u: %s (%s)", __n,
				       strerror(-ret), zcblk_ctx_errmsg(ctx));
			}
			EXPECT_EQ(0, count);
		} else {
			EXPECT_EQ(1, count);
			EXPECT_EQ(8, r[0].lba);
			EXPECT_EQ(2, r[0].nlb);
		}
		ASSERT_EQ(0, zcblk_dev_set_bad(ctx, self->d.index, 8, 2,
					       ZCBLK_BAD_CLEAR));
	}));

	/* With a bad range to list in the reply. */
	ASSERT_EQ(0, zcblk_dev_set_bad(ctx, self->d.index, 8, 2, 0));
	FAIL_EACH(0, zcblk_dev_get(ctx, self->d.index, &info), ({
		if (ret) {
			EXPECT_TRUE(alloc_errno(ret)) {
				TH_LOG("get, fault %u: %s", __n, strerror(-ret));
			}
		} else {
			EXPECT_EQ(self->d.index, info.index);
			EXPECT_EQ(1, info.bad_count);
		}
	}));
	ASSERT_EQ(0, zcblk_dev_set_bad(ctx, self->d.index, 8, 2,
				       ZCBLK_BAD_CLEAR));

	/*
	 * A failed delete leaves the disk whole, to be deleted later; only a
	 * lost acknowledgement (-ENOBUFS) may hide a delete that happened.
	 */
	ASSERT_EQ(0, zcblk_dev_add(ctx, &p, &info));
	FAIL_EACH(0, zcblk_dev_del(ctx, info.index), ({
		struct zcblk_dev_info got = { .size = sizeof(got) };
		int g = zcblk_dev_get(ctx, info.index, &got);

		if (ret) {
			EXPECT_TRUE(alloc_errno(ret)) {
				TH_LOG("del, fault %u: %s (%s)", __n,
				       strerror(-ret), zcblk_ctx_errmsg(ctx));
			}
			EXPECT_EQ(g == -ENODEV ? -ENOBUFS : 0,
				  g == -ENODEV ? ret : g);
		} else {
			EXPECT_EQ(-ENODEV, g);
		}
		if (g == -ENODEV && faulted)
			ASSERT_EQ(0, zcblk_dev_add(ctx, &p, &info));
	}));
	EXPECT_EQ(before, count_disks(ctx));
	ASSERT_EQ(0, put(DBG "fail_page_alloc/ignore-gfp-wait", "N"));
}

/* Reads @len at @off into self->rd through the ioctl path: 0 or -errno. */
static int read_back(FIXTURE_DATA(fi) *self, __u64 off, __u32 len)
{
	struct nvme_uring_cmd c = pt_rw(PT_OP_READ, off / FI_BS, len / FI_BS,
					self->rd, len);

	return pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
}

/*
 * After a write of generation @gen at @off that returned @ret: a success
 * reads back whole; a failure reads back, block by block, what the block
 * held before (@cur, kept up to date here) or the new data.
 */
static void check_write(struct __test_metadata *_metadata,
			FIXTURE_DATA(fi) *self, __u64 off, __u32 len,
			unsigned int gen, unsigned int *cur, int ret,
			const char *path)
{
	char want[FI_BS];
	__u32 b;

	ASSERT_EQ(0, read_back(self, off, len));
	if (ret) {
		EXPECT_TRUE(alloc_errno(ret) || ret == -EIO || ret == 0x6) {
			TH_LOG("%s, write %u: %d (%s)", path, gen, ret,
			       pt_res_str(ret));
		}
	}
	for (b = 0; b < len / FI_BS; b++) {
		char *blk = self->rd + b * FI_BS;

		pt_fill_block(want, FI_BS, off / FI_BS + b, gen);
		if (!memcmp(want, blk, FI_BS)) {
			cur[b] = gen;
			continue;
		}
		pt_fill_block(want, FI_BS, off / FI_BS + b, cur[b]);
		EXPECT_TRUE(ret && !memcmp(want, blk, FI_BS)) {
			TH_LOG("%s, write %u (%d): block %u is neither the new data nor what it held (write %u)",
			       path, gen, ret, b, cur[b]);
			break;
		}
	}
}

/* One uring_cmd write, submitted and reaped under the fault: its result. */
static int uring_write(FIXTURE_DATA(fi) *self, __u64 off, __u32 len)
{
	struct nvme_uring_cmd c = pt_rw(PT_OP_WRITE, off / FI_BS, len / FI_BS,
					self->buf, len);
	struct io_uring_sqe *sqe = io_uring_get_sqe(&self->q.ring);
	int ret;

	pt_q_prep(&self->q, sqe, NVME_URING_CMD_IO, &c, -1, 1);
	ret = io_uring_submit(&self->q.ring);
	if (ret <= 0)
		return ret ? ret : -EAGAIN;	/* the SQE is still queued */
	return pt_q_reap(&self->q, NULL, NULL);
}

/* After a failed submission the SQE may still be queued: drain it. */
static void uring_drain(struct __test_metadata *_metadata, struct pt_q *q)
{
	struct io_uring_cqe *cqe;

	while (io_uring_sq_ready(&q->ring))
		ASSERT_LE(0, io_uring_submit(&q->ring));
	while (!io_uring_peek_cqe(&q->ring, &cqe))
		io_uring_cqe_seen(&q->ring, cqe);
}

static void io_paths(struct __test_metadata *_metadata,
		     FIXTURE_DATA(fi) *self, __u64 off, __u32 len)
{
	unsigned int gen = 0, cur[FI_LARGE / FI_BS] = { 0 };
	struct nvme_uring_cmd c;
	long long pins;

	/* generation 0 on the disk first */
	pt_fill(self->buf, FI_BS, off / FI_BS, len / FI_BS, gen);
	ASSERT_EQ(0, pt_blk_rw(self->bfd, true, self->buf, off, len));

	FAIL_EACH(pt_fill(self->buf, FI_BS, off / FI_BS, len / FI_BS, ++gen),
		  uring_write(self, off, len), ({
		uring_drain(_metadata, &self->q);
		check_write(_metadata, self, off, len, gen, cur, ret,
			    "uring_cmd");
	}));
	FAIL_EACH(({ pt_fill(self->buf, FI_BS, off / FI_BS, len / FI_BS,
			     ++gen);
		     c = pt_rw(PT_OP_WRITE, off / FI_BS, len / FI_BS,
			       self->buf, len); }),
		  pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL),
		  check_write(_metadata, self, off, len, gen, cur, ret,
			      "ioctl"));
	FAIL_EACH(pt_fill(self->buf, FI_BS, off / FI_BS, len / FI_BS, ++gen),
		  pt_blk_rw(self->bfd, true, self->buf, off, len),
		  check_write(_metadata, self, off, len, gen, cur, ret,
			      "block"));
	c = pt_identify(0, 1, 0, self->rd);
	FAIL_EACH(0, pt_passthru(self->cfd, NVME_IOCTL_ADMIN_CMD, &c, NULL),
		  ({ EXPECT_TRUE(!ret || alloc_errno(ret)) {
			TH_LOG("identify, fault %u: %s", __n, pt_res_str(ret));
		  } }));
	FAIL_EACH(0, ({ int fd = open(self->d.chr, O_RDWR | O_CLOEXEC);

			fd < 0 ? -errno : close(fd); }),
		  ({ EXPECT_TRUE(!ret || alloc_errno(ret)) {
			TH_LOG("open, fault %u: %s", __n, strerror(-ret));
		  } }));

	pins = pt_vm_pins_wait(self->env.vm_pins0, 10000);
	EXPECT_EQ(self->env.vm_pins0, pins);
}

/* 4 KiB: the pdu's inline arrays. */
TEST_F_TIMEOUT(fi, io_small, 600)
{
	io_paths(_metadata, self, 1 * PT_MiB, FI_SMALL);
}

/* 128 KiB: allocated bvec and page arrays. */
TEST_F_TIMEOUT(fi, io_large, 600)
{
	io_paths(_metadata, self, 4 * PT_MiB, FI_LARGE);
}

/*
 * A write-cached mem disk, writes to blocks never written (ioctl path):
 * the cache records each write's pre-image, then the store needs a page,
 * which queue_rq's context asks for without sleeping. When that fails the
 * write goes to the workqueue and its record must go back first, or the
 * rerun records it twice. Whatever fails: each write that succeeded is
 * recorded once (the cache's dirty bytes), and a cut drops exactly those.
 */
TEST_F_TIMEOUT(fi, wcache_fresh_blocks, 600)
{
	struct pt_disk_cfg cfg = {
		.size = 16 * PT_MiB, .bs = FI_BS, .write_cache = 8 * PT_MiB,
	};
	struct zcblk_dev_stats st = { .size = sizeof(st) };
	unsigned int wrote = 0, sites;
	struct nvme_uring_cmd c;
	struct pt_disk d;
	int cfd, bfd;
	__u64 lba;

	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &d));
	pt_open(_metadata, &d, &cfd, &bfd);

	/* Attempt N writes block N, so that every one finds no page. */
	sites = FAIL_EACH(({ pt_fill(self->buf, FI_BS, __n, 1, 1);
			     c = pt_rw(PT_OP_WRITE, __n, 1, self->buf,
				       FI_BS); }),
			  pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL), ({
		if (ret) {
			EXPECT_TRUE(alloc_errno(ret) || ret == -EIO) {
				TH_LOG("write %u: %s", __n, pt_res_str(ret));
			}
		} else {
			wrote++;
		}
	}));
	ASSERT_LT(0, wrote);
	ASSERT_EQ(0, pt_stats(self->env.ctx, d.index, &st));
	EXPECT_EQ((__u64)wrote * FI_BS, st.cache_dirty_bytes);

	/* What reads back now: each block the new data or never written. */
	for (lba = 1; lba <= sites + 1; lba++) {
		c = pt_rw(PT_OP_READ, lba, 1, self->rd, FI_BS);
		ASSERT_EQ(0, pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
		pt_fill_block(self->buf, FI_BS, lba, 1);
		if (memcmp(self->rd, self->buf, FI_BS)) {
			memset(self->buf, 0, FI_BS);
			EXPECT_EQ(0, memcmp(self->rd, self->buf, FI_BS)) {
				TH_LOG("LBA %llu: neither written nor zeros", lba);
			}
		}
	}

	ASSERT_EQ(0, zcblk_dev_power(self->env.ctx, d.index,
				     ZCBLK_POWER_STATE_CUT,
				     ZCBLK_CUT_MODE_DROP, 0));
	ASSERT_EQ(0, pt_stats(self->env.ctx, d.index, &st));
	EXPECT_EQ(wrote, st.cut_lost_writes);
	EXPECT_EQ(wrote, st.cut_lost_blocks);
	ASSERT_EQ(0, zcblk_dev_power(self->env.ctx, d.index,
				     ZCBLK_POWER_STATE_ON, 0, 0));
	memset(self->buf, 0, FI_BS);
	for (lba = 1; lba <= sites + 1; lba++) {
		c = pt_rw(PT_OP_READ, lba, 1, self->rd, FI_BS);
		ASSERT_EQ(0, pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
		EXPECT_EQ(0, memcmp(self->rd, self->buf, FI_BS)) {
			TH_LOG("LBA %llu survived the cut", lba);
		}
	}
	close(cfd);
	close(bfd);
	EXPECT_EQ(0, pt_disk_del(&self->env, d.index));
}

#define CUT_WRITES	64

/*
 * A write-cached disk with CUT_WRITES cached one-block writes, one per 64
 * blocks: each one a leaf of the cut's own index.
 */
static void cut_disk(struct __test_metadata *_metadata, FIXTURE_DATA(fi) *self,
		     struct pt_disk *d, int *fd)
{
	struct pt_disk_cfg cfg = {
		.size = 16 * PT_MiB, .bs = FI_BS, .write_cache = 8 * PT_MiB,
	};
	struct nvme_uring_cmd c;
	unsigned int i;

	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, d));
	pt_open(_metadata, d, fd, NULL);
	for (i = 0; i < CUT_WRITES; i++) {
		pt_fill(self->buf, FI_BS, i * 64, 1, 1);
		c = pt_rw(PT_OP_WRITE, i * 64, 1, self->buf, FI_BS);
		ASSERT_EQ(0, pt_passthru(*fd, NVME_IOCTL_IO64_CMD, &c, NULL));
	}
}

/* Bit i of the result: block i * 64 holds its write, else zeros. */
static __u64 cut_kept(struct __test_metadata *_metadata,
		      FIXTURE_DATA(fi) *self, int fd)
{
	struct nvme_uring_cmd c;
	__u64 kept = 0;
	unsigned int i;

	for (i = 0; i < CUT_WRITES; i++) {
		c = pt_rw(PT_OP_READ, i * 64, 1, self->rd, FI_BS);
		EXPECT_EQ(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL));
		pt_fill_block(self->buf, FI_BS, i * 64, 1);
		if (!memcmp(self->rd, self->buf, FI_BS)) {
			kept |= 1ULL << i;
			continue;
		}
		memset(self->buf, 0, FI_BS);
		EXPECT_EQ(0, memcmp(self->rd, self->buf, FI_BS)) {
			TH_LOG("LBA %u: neither its write nor zeros", i * 64);
		}
	}
	return kept;
}

/*
 * Every allocation of xarray nodes (radix_tree_node) by this thread fails
 * while @on: a shortage that retrying does not cure, where fail-nth fails
 * one allocation, and the xarray retries it.
 */
static int nodes_fail(bool on)
{
	static const char *const attr[][3] = {
		/* file, on, off */
		{ DBG "failslab/cache-filter", "Y", "N" },
		{ "/sys/kernel/slab/radix_tree_node/failslab", "1", "0" },
		{ DBG "failslab/task-filter", "Y", "N" },
		{ DBG "failslab/interval", "1", "1" },
		{ DBG "failslab/times", "-1", "-1" },
		{ DBG "failslab/space", "0", "0" },
		{ DBG "failslab/probability", "100", "0" },
		{ "/proc/thread-self/make-it-fail", "1", "0" },
	};
	int i, n = ARRAY_SIZE(attr), ret;

	for (i = on ? 0 : n - 1; on ? i < n : i >= 0; i += on ? 1 : -1) {
		ret = put(attr[i][0], attr[i][on ? 1 : 2]);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * A power cut that cannot allocate what it needs changes nothing: the
 * power stays on, the cache keeps what it held, each block reads as
 * written. One that succeeds, whatever failed on the way, leaves what a
 * cut of the same writes, mode and seed leaves on a disk that no fault
 * touched. A disk of its own for each try.
 */
TEST_F_TIMEOUT(fi, wcache_cut, 900)
{
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct zcblk_dev_stats want = { .size = sizeof(want) };
	struct zcblk_dev_stats st = { .size = sizeof(st) };
	struct zcblk_ctx *ctx = self->env.ctx;
	const __u64 seed = 7;
	unsigned int cuts = 0;
	struct pt_disk d;
	int fd, ret;
	__u64 kept;

	cut_disk(_metadata, self, &d, &fd);
	ASSERT_EQ(0, zcblk_dev_power(ctx, d.index, ZCBLK_POWER_STATE_CUT,
				     ZCBLK_CUT_MODE_BLOCKS, seed));
	ASSERT_EQ(0, pt_stats(ctx, d.index, &want));
	ASSERT_EQ(0, zcblk_dev_power(ctx, d.index, ZCBLK_POWER_STATE_ON, 0, 0));
	kept = cut_kept(_metadata, self, fd);
	/* the seed chose some blocks, not all */
	ASSERT_LT(0, want.cut_lost_blocks);
	ASSERT_GT(CUT_WRITES, want.cut_lost_blocks);
	ASSERT_EQ(CUT_WRITES - want.cut_lost_blocks,
		  (__u64)__builtin_popcountll(kept));
	close(fd);
	ASSERT_EQ(0, pt_disk_del(&self->env, d.index));

	/* No node for the cut's index, however often it asks */
	cut_disk(_metadata, self, &d, &fd);
	ret = nodes_fail(true);
	if (!ret)
		ret = zcblk_dev_power(ctx, d.index, ZCBLK_POWER_STATE_CUT,
				      ZCBLK_CUT_MODE_BLOCKS, seed);
	ASSERT_EQ(0, nodes_fail(false));
	EXPECT_EQ(-ENOMEM, ret);
	ASSERT_EQ(0, zcblk_dev_get(ctx, d.index, &info));
	ASSERT_EQ(ZCBLK_POWER_STATE_ON, info.power) {
		TH_LOG("the cut failed (%s), the power cut", strerror(-ret));
	}
	ASSERT_EQ(0, pt_stats(ctx, d.index, &st));
	EXPECT_EQ(CUT_WRITES * FI_BS, st.cache_dirty_bytes);
	EXPECT_EQ(~0ULL, cut_kept(_metadata, self, fd));
	/* and then, with memory, the seed's cut */
	ASSERT_EQ(0, zcblk_dev_power(ctx, d.index, ZCBLK_POWER_STATE_CUT,
				     ZCBLK_CUT_MODE_BLOCKS, seed));
	ASSERT_EQ(0, pt_stats(ctx, d.index, &st));
	EXPECT_EQ(want.cut_lost_blocks, st.cut_lost_blocks);
	ASSERT_EQ(0, zcblk_dev_power(ctx, d.index, ZCBLK_POWER_STATE_ON, 0, 0));
	EXPECT_EQ(kept, cut_kept(_metadata, self, fd));
	close(fd);
	ASSERT_EQ(0, pt_disk_del(&self->env, d.index));

	FAIL_EACH(cut_disk(_metadata, self, &d, &fd),
		  zcblk_dev_power(ctx, d.index, ZCBLK_POWER_STATE_CUT,
				  ZCBLK_CUT_MODE_BLOCKS, seed), ({
		ASSERT_EQ(0, zcblk_dev_get(ctx, d.index, &info));
		ASSERT_EQ(0, pt_stats(ctx, d.index, &st));
		if (ret) {
			EXPECT_TRUE(alloc_errno(ret)) {
				TH_LOG("cut: %s", strerror(-ret));
			}
			ASSERT_EQ(ZCBLK_POWER_STATE_ON, info.power) {
				TH_LOG("try %u failed (%s), the power cut",
				       __n, strerror(-ret));
			}
			EXPECT_EQ(CUT_WRITES * FI_BS, st.cache_dirty_bytes);
			EXPECT_EQ(~0ULL, cut_kept(_metadata, self, fd));
		} else {
			cuts++;
			EXPECT_EQ(ZCBLK_POWER_STATE_CUT, info.power);
			EXPECT_EQ(want.cut_lost_writes, st.cut_lost_writes);
			EXPECT_EQ(want.cut_lost_blocks, st.cut_lost_blocks);
			ASSERT_EQ(0, zcblk_dev_power(ctx, d.index,
						     ZCBLK_POWER_STATE_ON,
						     0, 0));
			EXPECT_EQ(kept, cut_kept(_metadata, self, fd)) {
				TH_LOG("try %u: not the blocks the seed keeps",
				       __n);
			}
		}
		close(fd);
		ASSERT_EQ(0, pt_disk_del(&self->env, d.index));
	}));
	ksft_print_msg("cuts that succeeded with a fault on the way: %u\n",
		       cuts - 1);
}

/*
 * fail_make_request on the disk: the block device's writes fail with EIO,
 * the same write as a passthrough command succeeds.
 */
TEST_F(fi, make_request_spares_passthrough)
{
	struct nvme_uring_cmd c;
	char path[128];

	if (access(DBG "fail_make_request", F_OK))
		SKIP(return, "no fail_make_request (CONFIG_FAIL_MAKE_REQUEST)");
	snprintf(path, sizeof(path), "/sys/block/%s/make-it-fail",
		 self->d.blk + strlen("/dev/"));
	ASSERT_EQ(0, put(DBG "fail_make_request/verbose", "0"));
	ASSERT_EQ(0, put(DBG "fail_make_request/probability", "100"));
	ASSERT_EQ(0, put(DBG "fail_make_request/times", "-1"));
	ASSERT_EQ(0, put(path, "1"));

	pt_fill(self->buf, FI_BS, 0, 8, 1);
	EXPECT_EQ(-EIO, pt_blk_rw(self->bfd, true, self->buf, 0, 8 * FI_BS));
	EXPECT_EQ(-EIO, pt_blk_rw(self->bfd, false, self->rd, 0, 8 * FI_BS));
	c = pt_rw(PT_OP_WRITE, 0, 8, self->buf, 8 * FI_BS);
	EXPECT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	EXPECT_EQ(0, uring_write(self, 0, 8 * FI_BS));
	EXPECT_EQ(0, read_back(self, 0, 8 * FI_BS));
	EXPECT_TRUE(pt_verify(_metadata, self->rd, FI_BS, 0, 8, 1, "read"));

	ASSERT_EQ(0, put(path, "0"));
	ASSERT_EQ(0, put(DBG "fail_make_request/probability", "0"));
	EXPECT_EQ(0, pt_blk_rw(self->bfd, false, self->rd, 0, 8 * FI_BS));
	EXPECT_TRUE(pt_verify(_metadata, self->rd, FI_BS, 0, 8, 1, "read"));
}

TEST_HARNESS_MAIN
