/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the lifecycle race tests share (race_lifecycle.c, race_unload.c,
 * race_backing.c): the round budget, the per-round alarm that names the stage
 * a round hung in, outcome histograms checked against the results each
 * path may give, disks made on the null, mem and file backends (the file
 * backend's backing file on an ext4 made on a zcblk mem disk), and the
 * checks a round ends with (the disk idle, its pins and zcblk's
 * module-wide pins balanced, the FOLL_PIN balance of /proc/vmstat back).
 *
 * How long each race runs: with $ZCBLK_RACE_SECONDS (race_debug.sh sets
 * it from the runner's time limit: make check, check-debug) rounds until
 * that many seconds have passed, at least MIN_ROUNDS; without it (make
 * stress), the test's own round count. Each race reports how often its
 * window was hit (struct window) and requires that it was.
 */
#ifndef ZCBLK_SELFTEST_RACE_COMMON_H
#define ZCBLK_SELFTEST_RACE_COMMON_H

#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>

#include "hist.h"
#include "pt_common.h"

#define DISK_SIZE	(16 * PT_MiB)
#define BACKING_DISK	(64 * PT_MiB)	/* the mem disk under the ext4 */
#define QD		16
#define LATENCY_NS	(50 * 1000 * 1000ULL)
#define ROUND_TIMEOUT	120		/* seconds, KASAN under TCG */
#define MIN_ROUNDS	2		/* sigkill alternates ring kinds */

/* ------------------------------------------------------------ rounds */

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* $ZCBLK_RACE_SECONDS, or 0 if unset: rounds are then counted. */
static inline int race_seconds(void)
{
	const char *s = getenv("ZCBLK_RACE_SECONDS");
	int n = s ? atoi(s) : 0;

	return n > 0 ? n : 0;
}

struct budget {
	double end;	/* time-boxed: until then */
	int n;		/* else: this many rounds */
};

static inline struct budget budget_start(int dflt)
{
	int secs = race_seconds();

	return (struct budget){ .end = secs ? now_s() + secs : 0, .n = dflt };
}

/* Whether round @k (from 0) runs. */
static inline bool budget_more(const struct budget *b, int k)
{
	if (!b->end)
		return k < b->n;
	return k < MIN_ROUNDS || now_s() < b->end;
}

/* -------------------------------------------------------- the window */

/*
 * Rounds by how many passthrough commands were in flight at the moment
 * a race is about (the delete, the kill, the close): 0, 1-3, 4-15, 16+.
 * A round with none in flight did not race.
 */
struct window {
	unsigned long n[4];
	unsigned long rounds;
};

static inline void window_add(struct window *w, unsigned int inflight)
{
	w->n[inflight >= 16 ? 3 : inflight >= 4 ? 2 : inflight ? 1 : 0]++;
	w->rounds++;
}

static inline unsigned long window_hits(const struct window *w)
{
	return w->rounds - w->n[0];
}

static inline void window_print(const char *what, const struct window *w)
{
	ksft_print_msg("  in flight at %s: 0 x%lu, 1-3 x%lu, 4-15 x%lu, 16+ x%lu: window hit in %lu of %lu rounds\n",
		       what, w->n[0], w->n[1], w->n[2], w->n[3],
		       window_hits(w), w->rounds);
}

/* The in-flight passthrough commands of disk @index now; 0 on error. */
static inline unsigned int inflight_now(struct zcblk_ctx *ctx, __u32 index)
{
	struct zcblk_dev_stats st;

	return pt_stats(ctx, index, &st) ? 0 : st.pt_inflight;
}

/* ------------------------------------------------------- alarm, stage */

static volatile sig_atomic_t round_no;
static const char *volatile stage = "setup";

static inline void on_alarm(int sig)
{
	char msg[200];
	int n;

	(void)sig;
	n = snprintf(msg, sizeof(msg),
		     "# %s: round %d hung for %d s while %s\n",
		     program_invocation_short_name, (int)round_no,
		     ROUND_TIMEOUT, stage);
	if (write(2, msg, n) < 0) {
		/* nothing more to do */
	}
	_exit(KSFT_FAIL);
}

static inline void arm_alarm(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	sigaction(SIGALRM, &sa, NULL);
}

/* ------------------------------------------------------------ outcomes */

/*
 * A block-device read that returned 0 bytes: the end of the device. Once
 * del_gendisk() has set the capacity to 0, reads see that and writes get
 * ENOSPC, as on any block device at its end.
 */
#define RES_EOF	(-100001)

static inline const char *res_str(int res)
{
	return res == RES_EOF ? "end of device (0 bytes)" : pt_res_str(res);
}


#define RES_END	INT_MIN

static inline const char *hist_str(const struct hist *h)
{
	static char buf[4][512];
	static int k;
	char *s = buf[k++ & 3];

	hist_format(h, s, 512, res_str);
	return s;
}

static inline bool res_in(int res, const int *allowed)
{
	for (; *allowed != RES_END; allowed++)
		if (*allowed == res)
			return true;
	return false;
}

/* Logs every result of @h outside @allowed; false if there is one. */
static inline bool hist_check(struct __test_metadata *_metadata,
			      const struct hist *h, const int *allowed,
			      const char *what)
{
	bool ok = !h->lost;
	int i;

	for (i = 0; i < h->n; i++) {
		if (res_in(h->res[i], allowed))
			continue;
		TH_LOG("round %d: %s: unexpected %s (%lu times); all: %s",
		       (int)round_no, what, res_str(h->res[i]), h->cnt[i],
		       hist_str(h));
		ok = false;
	}
	if (h->lost)
		TH_LOG("%s: more than %d different results", what, HIST_N);
	return ok;
}

/* Results, by path. */
static const int ok_only[] = { 0, RES_END };
/* Before/around the delete: done, refused, or failed as I/O. */
static const int pt_del_ok[] = { 0, -ENODEV, -EIO, 0x6, RES_END };
static const int blk_del_ok[] = { 0, -ENODEV, -EIO, -ENXIO, -ENOSPC,
				  RES_EOF, RES_END };
/* Issued after DEV_DEL returned. */
static const int pt_gone[] = { -ENODEV, RES_END };
static const int blk_gone[] = { -ENODEV, -EIO, -ENXIO, -ENOSPC, RES_EOF,
				RES_END };
/* A failing backing store: NVMe Internal Error, EIO. */
static const int pt_fail_ok[] = { 0, 0x6, RES_END };
static const int blk_fail_ok[] = { 0, -EIO, RES_END };

/* O_DIRECT pread/pwrite: 0, -errno, RES_EOF, or -EIO if short. */
static inline int blk_rw(int bfd, bool write, void *buf, __u64 off, size_t len)
{
	ssize_t r = write ? pwrite(bfd, buf, len, off) :
			    pread(bfd, buf, len, off);

	if (r < 0)
		return -errno;
	if (!r)
		return RES_EOF;
	return (size_t)r == len ? 0 : -EIO;
}
/* ----------------------------------------------------------- disks */

/* Creates a disk (file backend: on @path) and remembers it in @env. */
static inline int rl_add(struct __test_metadata *_metadata, struct pt_env *env,
			 const char *backend, const char *path, __u32 bs,
			 __u32 poll_queues, struct pt_disk *d)
{
	struct pt_disk_cfg cfg = {
		.backend = backend, .path = path, .size = DISK_SIZE, .bs = bs,
		.poll_queues = poll_queues,
	};

	return pt_disk_add(_metadata, env, &cfg, d);
}

static inline int set_latency(struct zcblk_ctx *ctx, __u32 index, __u64 ns)
{
	struct zcblk_dev_settings s = {
		.size = sizeof(s),
		.set = ZCBLK_SET_LATENCY_NS,
		.latency_ns = ns,
	};

	return zcblk_dev_set(ctx, index, &s, NULL);
}

static inline int set_fail(struct zcblk_ctx *ctx, __u32 index, __u32 every)
{
	struct zcblk_dev_settings s = {
		.size = sizeof(s),
		.set = ZCBLK_SET_FAIL_EVERY,
		.fail_every = every,
	};

	return zcblk_dev_set(ctx, index, &s, NULL);
}

/* Runs a shell command, its output indented; its exit status. */
static inline int sh(const char *fmt, ...)
{
	char cmd[1024], full[1100];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "( %s ) 2>&1 | sed 's/^/# /'; exit ${PIPESTATUS[0]}",
		 cmd);
	{
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			execlp("bash", "bash", "-c", full, (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &st, 0) < 0)
			return -1;
		ret = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	}
	return ret;
}

static inline bool have(const char *prog)
{
	return !sh("command -v %s >/dev/null", prog);
}

/*
 * The file backend's backing file: on an ext4 made on a zcblk mem disk
 * (the VM's /tmp is tmpfs, which refuses direct I/O on 6.1).
 */
struct backing {
	struct pt_disk d;
	char mnt[64];
	char file[96];
	bool mounted;
};

static inline void backing_setup(struct __test_metadata *_metadata,
				 struct pt_env *env, struct backing *bk)
{
	struct pt_disk_cfg cfg = { .size = BACKING_DISK, .bs = 4096 };
	char *zero;
	size_t off;
	int fd;

	if (!have("mkfs.ext4"))
		SKIP(return, "mkfs.ext4 not installed");
	ASSERT_EQ(0, pt_disk_add(_metadata, env, &cfg, &bk->d));
	ASSERT_EQ(0, pt_wait_node(bk->d.blk));
	ASSERT_EQ(0, sh("mkfs.ext4 -q -F %s", bk->d.blk));
	snprintf(bk->mnt, sizeof(bk->mnt), "/tmp/zcblk-race.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(bk->mnt));
	ASSERT_EQ(0, mount(bk->d.blk, bk->mnt, "ext4", 0, NULL)) {
		TH_LOG("mount %s: %s", bk->d.blk, strerror(errno));
	}
	bk->mounted = true;
	snprintf(bk->file, sizeof(bk->file), "%s/backing.img", bk->mnt);
	fd = open(bk->file, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	zero = calloc(1, PT_MiB);
	ASSERT_NE(NULL, zero);
	for (off = 0; off < DISK_SIZE; off += PT_MiB)
		ASSERT_EQ((ssize_t)PT_MiB, pwrite(fd, zero, PT_MiB, off));
	free(zero);
	ASSERT_EQ(0, fsync(fd));
	close(fd);
}

static inline void backing_teardown(struct __test_metadata *_metadata,
				    struct backing *bk)
{
	int i;

	if (!bk->mounted)
		return;
	for (i = 0; i < 50 && umount(bk->mnt); i++)
		pt_msleep(100);
	EXPECT_LT(i, 50);
	rmdir(bk->mnt);
	bk->mounted = false;
}

/*
 * What pt_env_teardown() does for each disk, for those of @env other than
 * @keep (the disk under the ext4, which must outlive the disks on it):
 * idle, pins even, deleted, forgotten.
 */
static inline void env_drop_others(struct __test_metadata *_metadata,
				   struct pt_env *env, __u32 keep)
{
	struct zcblk_dev_stats st;
	struct zcblk_ctx *ctx;
	int i = 0, ret;

	if (zcblk_ctx_open(&ctx))
		return;
	while (i < env->n) {
		if (env->idx[i] == keep) {
			i++;
			continue;
		}
		ret = pt_stats_idle(ctx, env->idx[i], &st);
		EXPECT_EQ(0, ret);
		if (!ret) {
			EXPECT_EQ(0, st.pt_inflight);
			EXPECT_EQ(st.pinned_pages, st.unpinned_pages);
			pt_expect_debugfs_disk_pins(_metadata, env->idx[i], &st);
		}
		ret = zcblk_dev_del(ctx, env->idx[i]);
		EXPECT_EQ(0, ret);
		env->idx[i] = env->idx[--env->n];
	}
	zcblk_ctx_close(ctx);
}

/* Whether a node is gone: open() fails with ENOENT. */
static inline int node_err(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/*
 * zcblk's module-wide pins (debugfs, which must be there) back to 0,
 * FOLL_PIN balance back.
 */
static inline void check_pins(struct __test_metadata *_metadata,
			      struct pt_env *env)
{
	long long cur, pins;

	cur = pt_debugfs_pins_wait0(5000);
	EXPECT_EQ(0, cur) {
		TH_LOG("round %d: zcblk's module-wide pinned pages (debugfs zcblk/pins, -1: missing): %lld",
		       (int)round_no, cur);
	}
	pins = pt_vm_pins_wait(env->vm_pins0, 10000);
	EXPECT_EQ(env->vm_pins0, pins) {
		TH_LOG("round %d: FOLL_PIN balance %lld before, %lld after",
		       (int)round_no, env->vm_pins0, pins);
	}
}

/*
 * The disk idle: no command in flight, nothing pinned, counters even, in
 * DEV_STATS and in its debugfs pins file alike.
 */
static inline void check_idle(struct __test_metadata *_metadata,
			      struct pt_env *env, __u32 index)
{
	struct zcblk_dev_stats st;
	int ret;

	ret = pt_stats_idle(env->ctx, index, &st);
	EXPECT_EQ(0, ret);
	if (ret)
		return;
	EXPECT_EQ(0, st.pt_inflight);
	EXPECT_EQ(0, st.pinned_current);
	EXPECT_EQ(st.pinned_pages, st.unpinned_pages) {
		TH_LOG("round %d: disk %u: pinned %llu, unpinned %llu, in flight %u",
		       (int)round_no, index,
		       (unsigned long long)st.pinned_pages,
		       (unsigned long long)st.unpinned_pages, st.pt_inflight);
	}
	pt_expect_debugfs_disk_pins(_metadata, index, &st);
}

#endif /* ZCBLK_SELFTEST_RACE_COMMON_H */
