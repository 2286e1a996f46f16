// SPDX-License-Identifier: GPL-2.0
/*
 * Lifecycle races (architecture.md section 6), on the null, mem and file
 * backends, with I/O from the block device (O_DIRECT pread/pwrite threads)
 * and the char device (io_uring uring_cmd: plain, vectored, registered
 * buffers; sync NVME_IOCTL_IO_CMD) at once:
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
 * Without variants:
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
 *
 * Round counts: $ZCBLK_ROUNDS if set (the debug-kernel list uses 10),
 * else 100 (del_inflight, sigkill), 20 (each close order); add_del does
 * 100 adds and deletes per round (1000 by default). The file backend's
 * backing file lives on an ext4 made on a zcblk mem disk. Seen under TCG:
 * all of it takes about 2 minutes at the default counts, 30 to 50 s at 10.
 */
#include <linux/loop.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "hist.h"
#include "pt_common.h"

#define DISK_SIZE	(16 * PT_MiB)
#define BACKING_DISK	(64 * PT_MiB)	/* the mem disk under the ext4 */
#define QD		16
#define NBLK		2		/* block-path threads */
#define NSLOTS		(QD + NBLK + 1)	/* uring slots, block, ioctl */
#define POST_URING	8		/* uring commands after the delete */
#define POST_SYNC	2		/* per sync thread after the delete */
#define LATENCY_NS	(50 * 1000 * 1000ULL)
#define ROUND_TIMEOUT	120		/* seconds, KASAN under TCG */
#define IDX_BASE	40		/* add_del's indexes */
#define IDX_N		6
#define ADD_DEL_THREADS	4

/* ------------------------------------------------------------ rounds */

static int rounds(int dflt)
{
	const char *s = getenv("ZCBLK_ROUNDS");
	int n = s ? atoi(s) : 0;

	return n > 0 ? n : dflt;
}

/* ------------------------------------------------------- alarm, stage */

static volatile sig_atomic_t round_no;
static const char *volatile stage = "setup";

static void on_alarm(int sig)
{
	char msg[200];
	int n;

	(void)sig;
	n = snprintf(msg, sizeof(msg),
		     "# race_lifecycle: round %d hung for %d s while %s\n",
		     (int)round_no, ROUND_TIMEOUT, stage);
	if (write(2, msg, n) < 0) {
		/* nothing more to do */
	}
	_exit(KSFT_FAIL);
}

static void arm_alarm(void)
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

static const char *res_str(int res)
{
	return res == RES_EOF ? "end of device (0 bytes)" : pt_res_str(res);
}


#define RES_END	INT_MIN

static const char *hist_str(const struct hist *h)
{
	static char buf[4][512];
	static int k;
	char *s = buf[k++ & 3];

	hist_format(h, s, 512, res_str);
	return s;
}

static bool res_in(int res, const int *allowed)
{
	for (; *allowed != RES_END; allowed++)
		if (*allowed == res)
			return true;
	return false;
}

/* Logs every result of @h outside @allowed; false if there is one. */
static bool hist_check(struct __test_metadata *_metadata, const struct hist *h,
		       const int *allowed, const char *what)
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
static int blk_rw(int bfd, bool write, void *buf, __u64 off, size_t len)
{
	ssize_t r = write ? pwrite(bfd, buf, len, off) :
			    pread(bfd, buf, len, off);

	if (r < 0)
		return -errno;
	if (!r)
		return RES_EOF;
	return (size_t)r == len ? 0 : -EIO;
}

/* ----------------------------------------------------------- the rig */

/* A disk with its fds, a ring and I/O threads on both paths. */
struct rig {
	struct pt_disk d;
	int cfd, cfd2, bfd;		/* ring's file, ioctl thread's, block */
	struct pt_q q;
	bool fixed_buf;			/* slots registered as buffer 0 */
	bool aligned;			/* file backend: 4 KiB segments */
	__u32 nb;			/* blocks per command */
	size_t len;			/* bytes per command */
	size_t slot;			/* bytes per slot */
	char *bufs;
	size_t buf_len;
	struct iovec iov[QD][3];
	__u64 lba_lo, lba_n;		/* LBAs used: [lo, lo + n) */

	atomic_int stop;		/* everyone: finish */
	atomic_int deleted;		/* DEV_DEL has returned */
	atomic_ulong done_u, done_i, done_b;	/* before the delete */
	int notify_fd;			/* uring thread: a byte once busy */
	int harness_err;
	bool forever;			/* child: until killed */

	/* [0]: issued before the delete returned, [1]: after */
	struct hist u[2], io[2], b[NBLK][2];
	pthread_t ut, it, bt[NBLK];
	bool ut_up, it_up, bt_up;
};

struct blk_arg {
	struct rig *r;
	int k;
};

static struct blk_arg blk_args[NBLK];

static char *slot_buf(struct rig *r, int s)
{
	return r->bufs + (size_t)s * r->slot;
}

static __u64 rig_lba(struct rig *r, __u64 salt)
{
	return r->lba_lo + pt_rand(salt) % (r->lba_n - r->nb + 1);
}

/*
 * Prepares a Read or Write in uring slot @i: plain, vectored (three
 * segments with gaps) or through the registered buffer.
 */
static void rig_prep(struct rig *r, struct io_uring_sqe *sqe, int i, __u64 n,
		     __u64 ud)
{
	__u8 op = n % 4 == 3 ? PT_OP_WRITE : PT_OP_READ;
	size_t off = r->aligned ? 0 : (n & 7) * 8 + (n & 1);
	char *buf = slot_buf(r, i) + off;
	__u64 lba = rig_lba(r, n * 7919 + i);
	struct nvme_uring_cmd c;
	unsigned int kind = (n / 4) % 3;

	if (kind == 2 && !r->fixed_buf)
		kind = 0;
	if (kind == 1) {
		size_t l0 = r->aligned ? PT_PAGE : 1000 + (n & 511);
		size_t l1 = r->aligned ? 2 * PT_PAGE : 3000;
		size_t gap = r->aligned ? PT_PAGE : 64;

		r->iov[i][0] = (struct iovec){ buf, l0 };
		r->iov[i][1] = (struct iovec){ buf + l0 + gap, l1 };
		r->iov[i][2] = (struct iovec){ buf + l0 + l1 + 2 * gap,
					       r->len - l0 - l1 };
		c = pt_rw_vec(op, lba, r->nb, r->iov[i], 3);
		pt_q_prep(&r->q, sqe, NVME_URING_CMD_IO_VEC, &c, -1, ud);
		return;
	}
	c = pt_rw(op, lba, r->nb, buf, r->len);
	pt_q_prep(&r->q, sqe, NVME_URING_CMD_IO, &c, kind == 2 ? 0 : -1, ud);
}

/*
 * Keeps QD commands in flight until told to stop, or until POST_URING
 * were issued after the delete; then reaps what is left.
 */
static void *uring_thread(void *arg)
{
	struct rig *r = arg;
	bool busy[QD] = { false }, stop = false;
	unsigned int inflight = 0, post = 0, i;
	__u64 n = 0;

	for (;;) {
		struct io_uring_cqe *cqe;
		bool removing = false;
		int ret;

		stop = stop || atomic_load(&r->stop);
		if (stop && !inflight)
			break;
		while (!stop && inflight < QD) {
			bool after = atomic_load(&r->deleted);
			struct io_uring_sqe *sqe;

			for (i = 0; busy[i]; i++)
				;
			sqe = io_uring_get_sqe(&r->q.ring);
			if (!sqe)
				break;
			rig_prep(r, sqe, i, n++, i | (__u64)after << 32);
			busy[i] = true;
			inflight++;
			if (after && ++post >= POST_URING)
				stop = true;
		}
		ret = io_uring_submit_and_wait(&r->q.ring, 1);
		if (ret < 0 && ret != -EINTR) {
			r->harness_err = ret;
			return NULL;
		}
		if (r->notify_fd >= 0 && inflight == QD) {
			if (write(r->notify_fd, "!", 1) < 0)
				r->harness_err = -errno;
			r->notify_fd = -1;
		}
		while (!io_uring_peek_cqe(&r->q.ring, &cqe)) {
			__u64 ud = cqe->user_data;
			bool after = ud >> 32;

			hist_add(&r->u[after], cqe->res);
			if (!after)
				atomic_fetch_add(&r->done_u, 1);
			removing |= cqe->res == -ENODEV && !after;
			busy[(__u32)ud] = false;
			inflight--;
			io_uring_cqe_seen(&r->q.ring, cqe);
		}
		/* Removal under way: no need to flood it. */
		if (removing)
			pt_msleep(1);
	}
	return NULL;
}

/* Sync passthrough Reads and Writes through NVME_IOCTL_IO_CMD. */
static void *ioctl_thread(void *arg)
{
	struct rig *r = arg;
	char *buf = slot_buf(r, QD + NBLK) + (r->aligned ? 0 : 3);
	unsigned int post = 0;
	__u64 n = 0;

	while (r->forever || !atomic_load(&r->stop)) {
		bool after = atomic_load(&r->deleted);
		struct nvme_uring_cmd c;
		int res;

		c = pt_rw(n % 3 == 2 ? PT_OP_WRITE : PT_OP_READ,
			  rig_lba(r, ~n), r->nb, buf, r->len);
		res = pt_passthru(r->cfd2, NVME_IOCTL_IO_CMD, &c, NULL);
		hist_add(&r->io[after], res);
		n++;
		if (!after)
			atomic_fetch_add(&r->done_i, 1);
		if (after && ++post >= POST_SYNC)
			break;
		if (res == -ENODEV && !after)
			pt_msleep(1);	/* removal under way */
	}
	return NULL;
}

/* O_DIRECT pread/pwrite on the block device. */
static void *blk_thread(void *arg)
{
	struct blk_arg *a = arg;
	struct rig *r = a->r;
	char *base = slot_buf(r, QD + a->k);
	unsigned int post = 0;
	__u64 n = 0;

	while (r->forever || !atomic_load(&r->stop)) {
		bool after = atomic_load(&r->deleted);
		size_t off = r->aligned ? 0 : (n & 7) * 512;
		__u64 lba = rig_lba(r, n * 31 + a->k * 1000003);
		int res;

		res = blk_rw(r->bfd, n % 4 == 1, base + off, lba * r->d.bs,
			     r->len);
		hist_add(&r->b[a->k][after], res);
		n++;
		if (!after)
			atomic_fetch_add(&r->done_b, 1);
		if (after && ++post >= POST_SYNC)
			break;
		if (res && !after)
			pt_msleep(1);
	}
	return NULL;
}

/* Buffers for one disk's rig: slots for each thread, registered too. */
static int rig_bufs(struct rig *r, __u32 bs, bool aligned)
{
	r->aligned = aligned;
	r->nb = bs == 512 ? 16 : 8;
	r->len = (size_t)r->nb * bs;
	r->slot = r->len + 4 * PT_PAGE;
	r->buf_len = NSLOTS * r->slot;
	r->bufs = pt_map(r->buf_len);
	if (!r->bufs)
		return -ENOMEM;
	memset(r->bufs, 0x3c, r->buf_len);
	return 0;
}

static void rig_reset(struct rig *r)
{
	atomic_store(&r->stop, 0);
	atomic_store(&r->deleted, 0);
	atomic_store(&r->done_u, 0);
	atomic_store(&r->done_i, 0);
	atomic_store(&r->done_b, 0);
	r->harness_err = 0;
	r->notify_fd = -1;
	memset(r->u, 0, sizeof(r->u));
	memset(r->io, 0, sizeof(r->io));
	memset(r->b, 0, sizeof(r->b));
	r->ut_up = r->it_up = r->bt_up = false;
	r->cfd = r->cfd2 = r->bfd = -1;
}

/*
 * Opens the char device twice (the ring's fd, the ioctl thread's), the
 * block device O_DIRECT, and a ring with the slots registered as buffer
 * 0. No harness macros: children call it too. 0 or -errno.
 */
static int rig_open(struct rig *r, unsigned int ring_flags)
{
	struct iovec reg = { r->bufs, QD * r->slot };
	int ret;

	if (pt_wait_node(r->d.chr) || pt_wait_node(r->d.blk))
		return -ENOENT;
	r->cfd = open(r->d.chr, O_RDWR | O_CLOEXEC);
	if (r->cfd < 0)
		return -errno;
	r->cfd2 = open(r->d.chr, O_RDWR | O_CLOEXEC);
	if (r->cfd2 < 0)
		return -errno;
	r->bfd = open(r->d.blk, O_RDWR | O_DIRECT | O_CLOEXEC);
	if (r->bfd < 0)
		return -errno;
	r->lba_lo = 0;
	r->lba_n = r->d.nlbas;
	ret = pt_q_init(&r->q, r->cfd, 2 * QD, ring_flags);
	if (ret)
		return ret;
	ret = io_uring_register_buffers(&r->q.ring, &reg, 1);
	r->fixed_buf = !ret;
	return ret;
}

/* Until every path has completed some I/O (or the ring failed). */
static void rig_wait_busy(struct rig *r)
{
	while ((atomic_load(&r->done_u) < 16 || atomic_load(&r->done_i) < 2 ||
		atomic_load(&r->done_b) < 4) && !r->harness_err)
		pt_msleep(1);
}

static int rig_start_sync(struct rig *r)
{
	int k, ret;

	ret = pthread_create(&r->it, NULL, ioctl_thread, r);
	if (ret)
		return -ret;
	r->it_up = true;
	for (k = 0; k < NBLK; k++) {
		blk_args[k] = (struct blk_arg){ r, k };
		ret = pthread_create(&r->bt[k], NULL, blk_thread,
				     &blk_args[k]);
		if (ret)
			return -ret;
	}
	r->bt_up = true;
	return 0;
}

static int rig_start(struct rig *r)
{
	int ret = pthread_create(&r->ut, NULL, uring_thread, r);

	if (ret)
		return -ret;
	r->ut_up = true;
	return rig_start_sync(r);
}

static void rig_join(struct rig *r)
{
	int k;

	if (r->ut_up)
		pthread_join(r->ut, NULL);
	if (r->it_up)
		pthread_join(r->it, NULL);
	if (r->bt_up)
		for (k = 0; k < NBLK; k++)
			pthread_join(r->bt[k], NULL);
	r->ut_up = r->it_up = r->bt_up = false;
}

static void rig_close(struct rig *r)
{
	pt_q_exit(&r->q);
	if (r->cfd >= 0)
		close(r->cfd);
	if (r->cfd2 >= 0)
		close(r->cfd2);
	if (r->bfd >= 0)
		close(r->bfd);
	r->cfd = r->cfd2 = r->bfd = -1;
}

/* Block-path outcomes of all threads, before [0] or after [1]. */
static struct hist rig_blk(const struct rig *r, int after)
{
	struct hist h = { 0 };
	int k;

	for (k = 0; k < NBLK; k++)
		hist_merge(&h, &r->b[k][after]);
	return h;
}

/* ----------------------------------------------------------- disks */

/* Creates a disk (file backend: on @path) and remembers it in @env. */
static int rl_add(struct __test_metadata *_metadata, struct pt_env *env,
		  const char *backend, const char *path, __u32 bs,
		  __u32 poll_queues, struct pt_disk *d)
{
	struct zcblk_dev_params p = { .size = sizeof(p) };
	struct zcblk_dev_info info = { .size = sizeof(info) };
	int ret;

	if (env->n >= PT_MAX_DISKS)
		return -ENOSPC;
	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE |
		ZCBLK_PARAM_BLOCK_SIZE;
	snprintf(p.backend, sizeof(p.backend), "%s", backend);
	p.disk_size = DISK_SIZE;
	p.block_size = bs;
	if (path) {
		p.set |= ZCBLK_PARAM_PATH;
		p.path = path;
	}
	if (poll_queues) {
		p.set |= ZCBLK_PARAM_POLL_QUEUES;
		p.poll_queues = poll_queues;
	}
	ret = zcblk_dev_add(env->ctx, &p, &info);
	if (ret) {
		TH_LOG("zcblk_dev_add %s: %s: %s", backend, strerror(-ret),
		       zcblk_ctx_errmsg(env->ctx));
		return ret;
	}
	env->idx[env->n++] = info.index;
	memset(d, 0, sizeof(*d));
	d->index = info.index;
	d->bs = bs;
	d->shift = __builtin_ctz(bs);
	d->size = DISK_SIZE;
	d->nlbas = DISK_SIZE / bs;
	snprintf(d->blk, sizeof(d->blk), "/dev/%s", info.disk_name);
	snprintf(d->chr, sizeof(d->chr), "/dev/%s", info.char_name);
	return 0;
}

static int set_latency(struct zcblk_ctx *ctx, __u32 index, __u64 ns)
{
	struct zcblk_dev_settings s = {
		.size = sizeof(s),
		.set = ZCBLK_SET_LATENCY_NS,
		.latency_ns = ns,
	};

	return zcblk_dev_set(ctx, index, &s, NULL);
}

static int set_fail(struct zcblk_ctx *ctx, __u32 index, __u32 every)
{
	struct zcblk_dev_settings s = {
		.size = sizeof(s),
		.set = ZCBLK_SET_FAIL_EVERY,
		.fail_every = every,
	};

	return zcblk_dev_set(ctx, index, &s, NULL);
}

/* Runs a shell command, its output indented; its exit status. */
static int sh(const char *fmt, ...)
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

static bool have(const char *prog)
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

static void backing_setup(struct __test_metadata *_metadata,
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

static void backing_teardown(struct __test_metadata *_metadata,
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
static void env_drop_others(struct __test_metadata *_metadata,
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
		}
		ret = zcblk_dev_del(ctx, env->idx[i]);
		EXPECT_EQ(0, ret);
		env->idx[i] = env->idx[--env->n];
	}
	zcblk_ctx_close(ctx);
}

/* Whether a node is gone: open() fails with ENOENT. */
static int node_err(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* zcblk's module-wide pins (debugfs) back to 0, FOLL_PIN balance back. */
static void check_pins(struct __test_metadata *_metadata, struct pt_env *env)
{
	long long cur, pins;
	int i;

	cur = pt_debugfs_pins_current();	/* -1: no debugfs */
	for (i = 0; i < 250 && cur > 0; i++) {
		pt_msleep(20);
		cur = pt_debugfs_pins_current();
	}
	EXPECT_TRUE(cur == 0 || cur == -1) {
		TH_LOG("round %d: zcblk's module-wide pinned pages: %lld",
		       (int)round_no, cur);
	}
	pins = pt_vm_pins_wait(env->vm_pins0, 10000);
	EXPECT_EQ(env->vm_pins0, pins) {
		TH_LOG("round %d: FOLL_PIN balance %lld before, %lld after",
		       (int)round_no, env->vm_pins0, pins);
	}
}

/* The disk idle: no command in flight, nothing pinned, counters even. */
static void check_idle(struct __test_metadata *_metadata, struct pt_env *env,
		       __u32 index)
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
}

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
	int n = rounds(100), k;

	for (k = 0; k < n && !_metadata->exit_code; k++) {
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
	/* The test did what it says: I/O ran, and met the removal. */
	EXPECT_LT(0, hist_count(&su[0], 0));
	EXPECT_LT(0, hist_count(&sb[0], 0));
	EXPECT_LT(0, hist_count(&si[0], 0));
	EXPECT_LT(0, su[1].total);
}

/* ---------------------------------------------- SIGKILL with a ring */

/*
 * The child: the rig's threads and a ring full of commands on a disk
 * that delays each by 50 ms; tells the parent once QD are in flight,
 * then keeps going until it is killed (or, @exit_ms >= 0, exits by
 * itself that long after).
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
	struct rig *r = &self->r;
	int n = rounds(100), k, busy = 0;

	for (k = 0; k < n && !_metadata->exit_code; k++) {
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
		busy += st.pt_inflight > 0;

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
	ksft_print_msg("%s: %d rounds, %d with passthrough commands in flight at the kill\n",
		       variant->backend, k, busy);
	/* The kill met commands in flight (the disk holds each 50 ms). */
	EXPECT_EQ(k, busy);
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
	struct hist su = { 0 }, ss = { 0 };
	int n = rounds(20), k;
	__u32 index;

	stage = "creating the disk";
	ASSERT_EQ(0, race_disk(_metadata, env, bk, backend, false, &r->d));
	index = r->d.index;
	ASSERT_EQ(0, set_latency(env->ctx, index, LATENCY_NS));

	for (k = 0; k < n && !_metadata->exit_code; k++) {
		struct hist b;

		round_no = k;
		alarm(ROUND_TIMEOUT);
		rig_reset(r);
		if (mode == BY_EXIT) {
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
			close(pfd[0]);
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
	for (i = 0; done < a->ops; i++) {
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
	const char *s = getenv("ZCBLK_ROUNDS");
	int total = s && atoi(s) > 0 ? atoi(s) * 100 : 1000;
	struct addel a[ADD_DEL_THREADS] = { 0 }, sum = { 0 };
	pthread_t t[ADD_DEL_THREADS];
	int cnt0[2] = { 0, 0 }, cnt[2] = { 0, 0 }, i, ret;
	long live;
	__u32 idx;

	ASSERT_EQ(0, zcblk_dev_list(self->env.ctx, count_range, cnt0));
	ASSERT_EQ(0, cnt0[0]) {
		TH_LOG("disks already at indexes %u..%u", IDX_BASE,
		       IDX_BASE + IDX_N - 1);
	}
	alarm(ROUND_TIMEOUT * 10);
	stage = "adding and deleting from 4 threads";
	for (i = 0; i < ADD_DEL_THREADS; i++) {
		a[i].id = i;
		a[i].ops = total / ADD_DEL_THREADS;
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
	ksft_print_msg("%d adds and deletes: add %lu ok / %lu EEXIST, del %lu ok / %lu ENODEV; also get %lu/%lu, set %lu/%lu, open %lu ok / %lu gone\n",
		       total, sum.add_ok, sum.add_exist, sum.del_ok,
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
	/* It raced: both outcomes of both commands happened. */
	EXPECT_LT(0, sum.add_ok);
	EXPECT_LT(0, sum.add_exist);
	EXPECT_LT(0, sum.del_ok);
	EXPECT_LT(0, sum.del_nodev);
	alarm(0);
}

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
