/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the passthrough selftests (pt_data, pt_badinput,
 * pt_remove): zcblk disks, io_uring rings set up for NVMe passthrough,
 * NVMe command builders, data patterns that differ per LBA and per run,
 * and the checks every test ends with (pins balance, no kernel splat).
 *
 * It includes kselftest_harness.h and zcblk.h itself.
 *
 * Conventions:
 *  - A command's outcome is an int as the kernel reports it: 0, a positive
 *    NVMe status (0x4001 ...), or a negative errno. Failures of the test's
 *    own plumbing (ring full, io_uring_submit failed) are PT_EHARNESS,
 *    which no kernel answer can equal.
 *  - Everything a test creates lives in struct pt_env; pt_env_teardown()
 *    (called from a FIXTURE_TEARDOWN_PARENT) checks the pin counters and
 *    the kernel log, then deletes the disks. It runs in the harness's
 *    parent process, after the test process is gone.
 */
#ifndef PT_COMMON_H
#define PT_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <liburing.h>
#include <limits.h>
#include <linux/nvme_ioctl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "zcblk.h"

/* The Linux 6.1 harness has no such thing: its teardown runs in the test. */
#ifndef FIXTURE_TEARDOWN_PARENT
#define FIXTURE_TEARDOWN_PARENT FIXTURE_TEARDOWN
#endif

#define PT_KiB			1024ULL
#define PT_MiB			(1024ULL * 1024)
#define PT_PAGE			4096UL
#define PT_MAX_TRANSFER		(512 * PT_KiB)	/* MDTS 7 */
#define PT_MAX_SEGS		128		/* advertised max segments */
#define PT_NSID			1

/* NVMe opcodes (NVM command set and admin) */
#define PT_OP_FLUSH		0x00
#define PT_OP_WRITE		0x01
#define PT_OP_READ		0x02
#define PT_OP_COMPARE		0x05
#define PT_OP_WRITE_ZEROES	0x08
#define PT_OP_DSM		0x09
#define PT_ADM_GET_LOG		0x02
#define PT_ADM_IDENTIFY		0x06
#define PT_ADM_GET_FEATURES	0x0a

/* Statuses as zcblk reports them: DNR << 14 | SCT << 8 | SC */
#define PT_SC_INVALID_OPCODE	0x4001
#define PT_SC_INVALID_FIELD	0x4002
#define PT_SC_INVALID_NS	0x400b
#define PT_SC_LBA_RANGE		0x4080
#define PT_SC_COMPARE		0x4285

#define PT_CDW12_PRINFO_PRACT	(1U << 29)
#define PT_CDW12_PRINFO_PRCHK	(1U << 26)	/* PRCHK bits 28:26 */
#define PT_CDW12_DEAC		(1U << 25)
#define PT_DSM_AD		(1U << 2)

#define PT_RING_FLAGS		(IORING_SETUP_SQE128 | IORING_SETUP_CQE32)
#define PT_EHARNESS		(-100000)

/* Identify Namespace / Controller offsets (NVMe base spec) */
#define PT_ID_NS_NSZE		0
#define PT_ID_NS_NCAP		8
#define PT_ID_NS_NLBAF		25
#define PT_ID_NS_FLBAS		26
#define PT_ID_NS_LBAF0_MS	128
#define PT_ID_NS_LBAF0_DS	130
#define PT_ID_CTRL_MN		24
#define PT_ID_CTRL_MDTS		77
#define PT_ID_CTRL_NN		516

struct pt_dsm_range {
	__u32 cattr;
	__u32 nlb;
	__u64 slba;
};

/* ---------------------------------------------------------------- misc */

static inline __u64 pt_le64(const void *p)
{
	__u64 v;

	memcpy(&v, p, sizeof(v));
	return v;		/* x86_64: little endian */
}

static inline __u32 pt_le32(const void *p)
{
	__u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline __u16 pt_le16(const void *p)
{
	__u16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Pages a buffer spans: what zcblk pins for it (FOLL_PIN, per segment). */
static inline __u64 pt_pages(const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p;

	if (!len)
		return 0;
	return ((a & (PT_PAGE - 1)) + len + PT_PAGE - 1) / PT_PAGE;
}

/* A readable name for a command's outcome, for log lines. */
static inline const char *pt_res_str(int res)
{
	static char buf[4][64];
	static int n;
	char *s = buf[n++ & 3];

	if (res == PT_EHARNESS)
		snprintf(s, 64, "harness failure");
	else if (res < 0)
		snprintf(s, 64, "-%s (%d)", strerrorname_np(-res) ?
			 strerrorname_np(-res) : "?", res);
	else if (res > 0)
		snprintf(s, 64, "NVMe status 0x%x", res);
	else
		snprintf(s, 64, "success");
	return s;
}

static inline void pt_msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Anonymous memory, page aligned; NULL on failure. */
static inline void *pt_map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* ------------------------------------------------------------- patterns */

/* Set once per test process from the clock and the pid: differs per run. */
static __u64 pt_seed;

static inline __u64 pt_mix64(__u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static inline void pt_seed_init(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	pt_seed = pt_mix64(((__u64)ts.tv_sec << 30) ^ (__u64)ts.tv_nsec ^
			   ((__u64)getpid() << 44));
}

/* A pseudo-random number from the run's seed, for sizes and offsets. */
static inline __u64 pt_rand(__u64 salt)
{
	return pt_mix64(pt_seed ^ pt_mix64(salt));
}

/* Block @lba's content for write number @tag: no two blocks alike. */
static inline void pt_fill_block(void *dst, __u32 bs, __u64 lba, __u32 tag)
{
	__u64 h = pt_mix64(pt_seed ^ pt_mix64(lba) ^ ((__u64)tag << 40));
	char *p = dst;
	__u32 w;

	for (w = 0; w < bs / 8; w++) {
		__u64 v = pt_mix64(h + w);

		memcpy(p + (size_t)w * 8, &v, 8);
	}
	/* Readable in a hex dump: the LBA and the tag at the start. */
	memcpy(p, &lba, 8);
	memcpy(p + 8, &tag, 4);
}

static inline void pt_fill(void *buf, __u32 bs, __u64 slba, __u32 nblocks,
			   __u32 tag)
{
	__u32 b;

	for (b = 0; b < nblocks; b++)
		pt_fill_block((char *)buf + (size_t)b * bs, bs, slba + b, tag);
}

/*
 * Does @buf hold write @tag of [slba, slba + nblocks)? Logs the first
 * difference under @what.
 */
static inline bool pt_verify(struct __test_metadata *_metadata,
			     const void *buf, __u32 bs, __u64 slba,
			     __u32 nblocks, __u32 tag, const char *what)
{
	char *want = malloc(bs);
	const char *got = buf;
	bool ok = true;
	__u32 b, i;

	if (!want)
		return false;
	for (b = 0; b < nblocks && ok; b++) {
		pt_fill_block(want, bs, slba + b, tag);
		if (!memcmp(got + (size_t)b * bs, want, bs))
			continue;
		for (i = 0; i < bs && got[(size_t)b * bs + i] == want[i]; i++)
			;
		TH_LOG("%s: LBA %llu (block %u of %u) differs at byte %u: got 0x%02x, want 0x%02x",
		       what, (unsigned long long)(slba + b), b, nblocks, i,
		       (unsigned char)got[(size_t)b * bs + i],
		       (unsigned char)want[i]);
		ok = false;
	}
	free(want);
	return ok;
}

static inline bool pt_all_bytes(const void *buf, size_t len, unsigned char c)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != c)
			return false;
	return true;
}

/* --------------------------------------------------- kernel-side state */

/*
 * FOLL_PIN pages pinned and not yet released, system-wide. The counters
 * are per CPU: stat_refresh folds them into /proc/vmstat first.
 */
static inline long long pt_vm_pins(void)
{
	long long v, acq = -1, rel = -1;
	char key[64];
	FILE *f;
	int fd;

	fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "1", 1) < 0) {
			/* refresh is best effort; the counters still exist */
		}
		close(fd);
	}
	f = fopen("/proc/vmstat", "re");
	if (!f)
		return LLONG_MIN;
	while (fscanf(f, "%63s %lld", key, &v) == 2) {
		if (!strcmp(key, "nr_foll_pin_acquired"))
			acq = v;
		else if (!strcmp(key, "nr_foll_pin_released"))
			rel = v;
	}
	fclose(f);
	if (acq < 0 || rel < 0)
		return LLONG_MIN;
	return acq - rel;
}

/* Waits (up to @ms) for the pin balance to be back at @want. */
static inline long long pt_vm_pins_wait(long long want, unsigned int ms)
{
	long long now = pt_vm_pins();

	for (; now != want && ms >= 20; ms -= 20) {
		pt_msleep(20);
		now = pt_vm_pins();
	}
	return now;
}

/* zcblk's module-wide counters (debugfs), -1 if unavailable. */
static inline long long pt_debugfs_pins_current(void)
{
	long long v, cur = -1;
	char key[64];
	FILE *f = fopen("/sys/kernel/debug/zcblk/pins", "re");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", key, &v) == 2)
		if (!strcmp(key, "current"))
			cur = v;
	fclose(f);
	return cur;
}

static inline bool pt_is_splat(const char *msg)
{
	static const char *const pats[] = {
		"WARNING:", "BUG:", "Oops", "KASAN", "UBSAN",
		"general protection", "Call Trace:",
		"possible circular locking", "kmemleak",
	};
	size_t i;

	/*
	 * kmemleak's count of suspects: kmemleak.sh judges them; its own
	 * allocations failed by fault_inject: only less precise scans.
	 */
	if (strstr(msg, "new suspected memory leaks") ||
	    strstr(msg, "kmemleak: Cannot allocate a scan area"))
		return false;
	for (i = 0; i < ARRAY_SIZE(pats); i++)
		if (strstr(msg, pats[i]))
			return true;
	return false;
}

/*
 * Scans the kernel log (/dev/kmsg): returns how many records after
 * sequence number @after look like a splat, the first one in @first, and
 * the last sequence number seen in @last. Negative errno if unreadable.
 */
static inline int pt_kmsg_scan(unsigned long long after,
			       unsigned long long *last,
			       char *first, size_t first_len)
{
	static char rec[8192];
	int fd, n = 0;

	/*
	 * fault_inject fails its own task's allocations on purpose: the
	 * stack of the kernel's warn_alloc() report of one is no splat.
	 */
	unsigned long long injected = 0;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		unsigned long long seq;
		char *comma, *msg;
		ssize_t r;

		r = read(fd, rec, sizeof(rec) - 1);
		if (r < 0) {
			if (errno == EPIPE)	/* overwritten: go on */
				continue;
			break;			/* EAGAIN: the end */
		}
		rec[r] = '\0';
		comma = strchr(rec, ',');
		msg = strchr(rec, ';');
		if (!comma || !msg)
			continue;
		seq = strtoull(comma + 1, NULL, 10);
		if (last)
			*last = seq;
		if (!strncmp(msg + 1, "fault_inject: page allocation failure:", 38) ||
		    !strncmp(msg + 1, "fault_inject: vmalloc error:", 28))
			injected = seq;
		if (seq <= after || !pt_is_splat(msg + 1))
			continue;
		if (injected && seq - injected <= 4 &&
		    strstr(msg + 1, "Call Trace:"))
			continue;
		if (!n && first)
			snprintf(first, first_len, "%s", msg + 1);
		n++;
	}
	close(fd);
	return n;
}

static inline unsigned long long pt_kmsg_seq(void)
{
	unsigned long long last = 0;

	pt_kmsg_scan(ULLONG_MAX, &last, NULL, 0);
	return last;
}

/* -------------------------------------------------------------- disks */

#define PT_MAX_DISKS	4

struct pt_disk {
	__u32 index;
	__u32 bs;
	__u32 shift;		/* log2(bs) */
	__u64 size;		/* bytes */
	__u64 nlbas;
	char blk[64];		/* /dev/zcblk<N> */
	char chr[64];		/* /dev/zcblk<N>c */
};

/*
 * What a test created, and the baselines its teardown compares against.
 * Lives in the fixture (shared memory with FIXTURE_TEARDOWN_PARENT).
 */
struct pt_env {
	struct zcblk_ctx *ctx;		/* valid in process @owner only */
	pid_t owner;
	__u32 idx[PT_MAX_DISKS];
	int n;
	long long vm_pins0;		/* pt_vm_pins() at setup */
	unsigned long long kmsg_seq0;	/* last kernel log record at setup */
};

/*
 * Opens the netlink context and takes the baselines. Skips (sets
 * _metadata->exit_code) without root or without the module: the caller
 * returns if _metadata->exit_code is set.
 */
static inline void pt_env_setup(struct __test_metadata *_metadata,
				struct pt_env *env)
{
	int ret;

	memset(env, 0, sizeof(*env));
	env->owner = getpid();
	pt_seed_init();
	if (geteuid())
		SKIP(return, "needs root (creates disks, reads /dev/kmsg)");
	ret = zcblk_ctx_open(&env->ctx);
	if (ret == -ENOENT)
		SKIP(return, "zcblk module not loaded (no \"zcblk\" genl family)");
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_ctx_open: %s", strerror(-ret));
	}
	env->kmsg_seq0 = pt_kmsg_seq();
	env->vm_pins0 = pt_vm_pins();
	ASSERT_NE(LLONG_MIN, env->vm_pins0) {
		TH_LOG("no nr_foll_pin_* in /proc/vmstat");
	}
}

struct pt_disk_cfg {
	const char *backend;	/* default "mem" */
	__u64 size;
	__u32 bs;
	__u32 queue_depth;	/* 0: the kernel's default */
	__u32 nr_queues;	/* 0: the kernel's default */
	__u32 poll_queues;
};

/* Creates a disk, remembered in @env for the teardown. 0 or -errno. */
static inline int pt_disk_add(struct __test_metadata *_metadata,
			      struct pt_env *env,
			      const struct pt_disk_cfg *cfg, struct pt_disk *d)
{
	struct zcblk_dev_params p = { .size = sizeof(p) };
	struct zcblk_dev_info info = { .size = sizeof(info) };
	int ret;

	if (env->n >= PT_MAX_DISKS)
		return -ENOSPC;
	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE |
		ZCBLK_PARAM_BLOCK_SIZE;
	snprintf(p.backend, sizeof(p.backend), "%s",
		 cfg->backend ? cfg->backend : "mem");
	p.disk_size = cfg->size;
	p.block_size = cfg->bs;
	if (cfg->queue_depth) {
		p.set |= ZCBLK_PARAM_QUEUE_DEPTH;
		p.queue_depth = cfg->queue_depth;
	}
	if (cfg->nr_queues) {
		p.set |= ZCBLK_PARAM_NR_QUEUES;
		p.nr_queues = cfg->nr_queues;
	}
	if (cfg->poll_queues) {
		p.set |= ZCBLK_PARAM_POLL_QUEUES;
		p.poll_queues = cfg->poll_queues;
	}
	ret = zcblk_dev_add(env->ctx, &p, &info);
	if (ret) {
		TH_LOG("zcblk_dev_add: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(env->ctx));
		return ret;
	}
	env->idx[env->n++] = info.index;

	memset(d, 0, sizeof(*d));
	d->index = info.index;
	d->bs = cfg->bs;
	d->shift = __builtin_ctz(cfg->bs);
	d->size = cfg->size;
	d->nlbas = cfg->size / cfg->bs;
	snprintf(d->blk, sizeof(d->blk), "/dev/%s", info.disk_name);
	if (info.char_name[0])
		snprintf(d->chr, sizeof(d->chr), "/dev/%s", info.char_name);
	else
		snprintf(d->chr, sizeof(d->chr), "/dev/zcblk%uc", info.index);
	if (cfg->poll_queues && info.poll_queues != cfg->poll_queues) {
		TH_LOG("%s: asked for %u poll queues, DEV_ADD reports %u",
		       d->blk, cfg->poll_queues, info.poll_queues);
		return -EPROTO;
	}
	return 0;
}

/* Deletes a disk now and forgets it (pt_remove). 0 or -errno. */
static inline int pt_disk_del(struct pt_env *env, __u32 index)
{
	int i, ret = zcblk_dev_del(env->ctx, index);

	for (i = 0; i < env->n; i++) {
		if (env->idx[i] == index) {
			env->idx[i] = env->idx[--env->n];
			break;
		}
	}
	return ret;
}

/* Waits for a node devtmpfs creates; 0 or -errno. */
static inline int pt_wait_node(const char *path)
{
	struct stat st;
	int i;

	for (i = 0; i < 250; i++) {
		if (!stat(path, &st))
			return 0;
		pt_msleep(20);
	}
	return -errno;
}

/* Opens the char device (O_RDWR) and, if @bfd, the block device O_DIRECT. */
static inline void pt_open(struct __test_metadata *_metadata,
			   const struct pt_disk *d, int *cfd, int *bfd)
{
	ASSERT_EQ(0, pt_wait_node(d->chr)) {
		TH_LOG("%s never appeared", d->chr);
	}
	*cfd = open(d->chr, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, *cfd) {
		TH_LOG("open %s: %s", d->chr, strerror(errno));
	}
	if (!bfd)
		return;
	ASSERT_EQ(0, pt_wait_node(d->blk)) {
		TH_LOG("%s never appeared", d->blk);
	}
	*bfd = open(d->blk, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, *bfd) {
		TH_LOG("open %s: %s", d->blk, strerror(errno));
	}
}

static inline int pt_stats(struct zcblk_ctx *ctx, __u32 index,
			   struct zcblk_dev_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return zcblk_dev_stats(ctx, index, st);
}

/*
 * Stats of a disk once it is idle: no command in flight and nothing
 * pinned (a ring being torn down may still complete commands). Returns
 * what zcblk_dev_stats() returned.
 */
static inline int pt_stats_idle(struct zcblk_ctx *ctx, __u32 index,
				struct zcblk_dev_stats *st)
{
	int i, ret = 0;

	for (i = 0; i < 250; i++) {
		ret = pt_stats(ctx, index, st);
		if (ret || (!st->pt_inflight && !st->pinned_current))
			break;
		pt_msleep(20);
	}
	return ret;
}

/*
 * The end of every test: per disk, pins balance in zcblk's counters; no
 * splat in the kernel log since setup; then the disks go, and the
 * system-wide FOLL_PIN balance is back where it was. No ASSERT here, and
 * no EXPECT with a handler block (see netlink_dev.c).
 */
static inline void pt_env_teardown(struct __test_metadata *_metadata,
				   struct pt_env *env)
{
	struct zcblk_dev_stats st;
	struct zcblk_ctx *ctx;
	char first[512] = "";
	long long pins;
	int i, ret;

	if (env->ctx && env->owner == getpid()) {
		zcblk_ctx_close(env->ctx);
		env->ctx = NULL;
	}
	ret = zcblk_ctx_open(&ctx);
	EXPECT_EQ(0, ret);
	if (ret)
		return;
	for (i = 0; i < env->n; i++) {
		ret = pt_stats_idle(ctx, env->idx[i], &st);
		EXPECT_EQ(0, ret);
		if (!ret) {
			EXPECT_EQ(0, st.pt_inflight);
			EXPECT_EQ(st.pinned_pages, st.unpinned_pages);
			EXPECT_EQ(0, st.pinned_current);
			if (st.pinned_pages != st.unpinned_pages ||
			    st.pinned_current || st.pt_inflight)
				TH_LOG("disk %u: pinned %llu unpinned %llu current %llu inflight %u",
				       env->idx[i],
				       (unsigned long long)st.pinned_pages,
				       (unsigned long long)st.unpinned_pages,
				       (unsigned long long)st.pinned_current,
				       st.pt_inflight);
		}
		ret = zcblk_dev_del(ctx, env->idx[i]);
		EXPECT_TRUE(ret == 0 || ret == -ENODEV);
		if (ret && ret != -ENODEV)
			TH_LOG("cleanup: del %u: %s: %s", env->idx[i],
			       strerror(-ret), zcblk_ctx_errmsg(ctx));
	}
	env->n = 0;
	zcblk_ctx_close(ctx);

	/* io_uring frees a ring (and its buffers) from a workqueue. */
	pins = pt_vm_pins_wait(env->vm_pins0, 10000);
	EXPECT_EQ(env->vm_pins0, pins);
	if (pins != env->vm_pins0)
		TH_LOG("/proc/vmstat: nr_foll_pin_acquired - nr_foll_pin_released was %lld before the test, %lld after",
		       env->vm_pins0, pins);

	ret = pt_kmsg_scan(env->kmsg_seq0, NULL, first, sizeof(first));
	EXPECT_EQ(0, ret);
	if (ret)
		TH_LOG("kernel log: %d splat line(s) during the test, first: %s",
		       ret, first);
}

/* --------------------------------------------------------------- rings */

/* A ring and the file its commands go to (fd, or fixed-file index). */
struct pt_q {
	struct io_uring ring;
	int fd;
	__u8 sqe_flags;		/* IOSQE_FIXED_FILE when fd is an index */
	bool up;
};

/* 0 or -errno. @flags are the complete setup flags. */
static inline int pt_q_init(struct pt_q *q, int fd, unsigned int entries,
			    unsigned int flags)
{
	struct io_uring_params p;
	int ret;

	memset(q, 0, sizeof(*q));
	memset(&p, 0, sizeof(p));
	p.flags = flags;
	if (flags & IORING_SETUP_SQPOLL)
		p.sq_thread_idle = 2000;
	ret = io_uring_queue_init_params(entries, &q->ring, &p);
	if (ret)
		return ret;
	q->fd = fd;
	q->up = true;
	return 0;
}

/* Registers q->fd as fixed file 0 and uses it from now on. */
static inline int pt_q_fixed_file(struct pt_q *q)
{
	int ret = io_uring_register_files(&q->ring, &q->fd, 1);

	if (ret)
		return ret;
	q->fd = 0;
	q->sqe_flags = IOSQE_FIXED_FILE;
	return 0;
}

static inline void pt_q_exit(struct pt_q *q)
{
	if (!q->up)
		return;
	io_uring_unregister_buffers(&q->ring);	/* -ENXIO if none: fine */
	io_uring_queue_exit(&q->ring);
	q->up = false;
}

/*
 * Fills a URING_CMD SQE. @c may be NULL; on a 64-byte-SQE ring only the
 * first 16 bytes of the command fit, so none is copied there. @buf_index
 * >= 0 makes it a registered-buffer (IORING_URING_CMD_FIXED) command.
 */
static inline void pt_q_prep(struct pt_q *q, struct io_uring_sqe *sqe,
			     __u32 cmd_op, const struct nvme_uring_cmd *c,
			     int buf_index, __u64 user_data)
{
	bool big = q->ring.flags & IORING_SETUP_SQE128;

	memset(sqe, 0, big ? 128 : 64);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = q->fd;
	sqe->flags = q->sqe_flags;
	sqe->cmd_op = cmd_op;
	sqe->user_data = user_data;
	if (buf_index >= 0) {
		sqe->uring_cmd_flags = IORING_URING_CMD_FIXED;
		sqe->buf_index = buf_index;
	}
	if (c && big)
		memcpy(sqe->cmd, c, sizeof(*c));
}

/* Reaps one CQE: its res, and big_cqe[0] in @result on CQE32 rings. */
static inline int pt_q_reap(struct pt_q *q, __u64 *user_data, __u64 *result)
{
	struct io_uring_cqe *cqe;
	int ret, res;

	ret = io_uring_wait_cqe(&q->ring, &cqe);
	if (ret) {
		fprintf(stderr, "# io_uring_wait_cqe: %s\n", strerror(-ret));
		return PT_EHARNESS;
	}
	res = cqe->res;
	if (user_data)
		*user_data = cqe->user_data;
	if (result)
		*result = (q->ring.flags & IORING_SETUP_CQE32) ?
			  cqe->big_cqe[0] : 0;
	io_uring_cqe_seen(&q->ring, cqe);
	return res;
}

/* One command, submitted and waited for: its cqe.res. */
static inline int pt_q_cmd(struct pt_q *q, __u32 cmd_op,
			   const struct nvme_uring_cmd *c, int buf_index,
			   __u64 *result)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&q->ring);
	int ret;

	if (!sqe) {
		fprintf(stderr, "# io_uring_get_sqe: ring full\n");
		return PT_EHARNESS;
	}
	pt_q_prep(q, sqe, cmd_op, c, buf_index, 0x5eed);
	ret = io_uring_submit(&q->ring);
	/*
	 * With SQPOLL, liburing counts what the SQ thread has not yet
	 * acknowledged: a command that completed within its issue may
	 * still be counted (its CQE is posted before the SQ head moves).
	 */
	if (ret != 1 && !(ret > 1 && (q->ring.flags & IORING_SETUP_SQPOLL))) {
		fprintf(stderr, "# io_uring_submit: %d\n", ret);
		return PT_EHARNESS;
	}
	return pt_q_reap(q, NULL, result);
}

/* ------------------------------------------------------------ commands */

/* Read, Write, Compare (nblocks >= 1): data_len = @len bytes at @buf. */
static inline struct nvme_uring_cmd pt_rw(__u8 opcode, __u64 slba,
					  __u32 nblocks, const void *buf,
					  __u32 len)
{
	return (struct nvme_uring_cmd){
		.opcode = opcode,
		.nsid = PT_NSID,
		.cdw10 = (__u32)slba,
		.cdw11 = (__u32)(slba >> 32),
		.cdw12 = (nblocks - 1) & 0xffff,
		.addr = (uintptr_t)buf,
		.data_len = len,
	};
}

/* Vectored: @addr is the iovec array, data_len the iovec count. */
static inline struct nvme_uring_cmd pt_rw_vec(__u8 opcode, __u64 slba,
					      __u32 nblocks,
					      const struct iovec *iov,
					      __u32 nr_iov)
{
	return pt_rw(opcode, slba, nblocks, iov, nr_iov);
}

static inline struct nvme_uring_cmd pt_admin(__u8 opcode, __u32 nsid,
					     __u32 cdw10, __u32 cdw11,
					     void *buf, __u32 len)
{
	return (struct nvme_uring_cmd){
		.opcode = opcode,
		.nsid = nsid,
		.cdw10 = cdw10,
		.cdw11 = cdw11,
		.addr = (uintptr_t)buf,
		.data_len = len,
	};
}

static inline struct nvme_uring_cmd pt_identify(__u32 nsid, __u8 cns,
						__u32 cdw11, void *buf)
{
	return pt_admin(PT_ADM_IDENTIFY, nsid, cns, cdw11, buf, 4096);
}

/* Get Log Page of @len bytes (a multiple of 4): NUMDL in cdw10 31:16. */
static inline struct nvme_uring_cmd pt_get_log(__u32 nsid, __u8 lid,
					       void *buf, __u32 len)
{
	return pt_admin(PT_ADM_GET_LOG, nsid,
			lid | ((len / 4 - 1) & 0xffff) << 16,
			(len / 4 - 1) >> 16, buf, len);
}

static inline int pt_ioctl_res(int r)
{
	return r < 0 ? -errno : r;
}

/*
 * @c through one of the passthru ioctls (NVME_IOCTL_{ADMIN,IO}_CMD, their
 * 64-bit twins, IO64_CMD_VEC): the ioctl's return, -errno on failure.
 * rsvd2 only exists in the 64-bit structure (the 32-bit one has its
 * result there).
 */
static inline int pt_passthru(int fd, unsigned long req,
			      const struct nvme_uring_cmd *c, __u64 *result)
{
	int r;

	if (req == NVME_IOCTL_IO_CMD || req == NVME_IOCTL_ADMIN_CMD) {
		struct nvme_passthru_cmd p = {
			.opcode = c->opcode, .flags = c->flags,
			.rsvd1 = c->rsvd1, .nsid = c->nsid,
			.cdw2 = c->cdw2, .cdw3 = c->cdw3,
			.metadata = c->metadata, .addr = c->addr,
			.metadata_len = c->metadata_len,
			.data_len = c->data_len,
			.cdw10 = c->cdw10, .cdw11 = c->cdw11,
			.cdw12 = c->cdw12, .cdw13 = c->cdw13,
			.cdw14 = c->cdw14, .cdw15 = c->cdw15,
			.timeout_ms = c->timeout_ms,
			.result = 0xdeadbeef,
		};

		r = pt_ioctl_res(ioctl(fd, req, &p));
		if (result)
			*result = p.result;
	} else {
		struct nvme_passthru_cmd64 p = {
			.opcode = c->opcode, .flags = c->flags,
			.rsvd1 = c->rsvd1, .nsid = c->nsid,
			.cdw2 = c->cdw2, .cdw3 = c->cdw3,
			.metadata = c->metadata, .addr = c->addr,
			.metadata_len = c->metadata_len,
			.data_len = c->data_len,
			.cdw10 = c->cdw10, .cdw11 = c->cdw11,
			.cdw12 = c->cdw12, .cdw13 = c->cdw13,
			.cdw14 = c->cdw14, .cdw15 = c->cdw15,
			.timeout_ms = c->timeout_ms,
			.rsvd2 = c->rsvd2,
			.result = 0xdeadbeefdeadbeefULL,
		};

		r = pt_ioctl_res(ioctl(fd, req, &p));
		if (result)
			*result = p.result;
	}
	return r;
}

/* NVME_IOCTL_SUBMIT_IO: read/write/compare of @nblocks at @buf. */
static inline int pt_submit_io(int fd, __u8 opcode, __u64 slba,
			       __u32 nblocks, const void *buf)
{
	struct nvme_user_io io = {
		.opcode = opcode,
		.nblocks = (nblocks - 1) & 0xffff,
		.addr = (uintptr_t)buf,
		.slba = slba,
	};

	return pt_ioctl_res(ioctl(fd, NVME_IOCTL_SUBMIT_IO, &io));
}

/* Block device side, O_DIRECT: 0 or -errno (-EIO for a short transfer). */
static inline int pt_blk_rw(int bfd, bool write, void *buf, __u64 off,
			    size_t len)
{
	ssize_t r = write ? pwrite(bfd, buf, len, off) :
			    pread(bfd, buf, len, off);

	if (r < 0)
		return -errno;
	return (size_t)r == len ? 0 : -EIO;
}

#endif /* PT_COMMON_H */
