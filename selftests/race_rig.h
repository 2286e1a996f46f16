/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rig of the lifecycle race tests (race_lifecycle.c, race_backing.c):
 * a disk with its fds, a ring and I/O threads on both paths at once: the
 * block device (O_DIRECT pread/pwrite threads) and the char device
 * (io_uring uring_cmd: plain, vectored, registered buffers; sync
 * NVME_IOCTL_IO_CMD), each counting its outcomes before and after the
 * disk's deletion.
 */
#ifndef ZCBLK_SELFTEST_RACE_RIG_H
#define ZCBLK_SELFTEST_RACE_RIG_H

#include <pthread.h>
#include <stdatomic.h>

#include "race_common.h"

#define NBLK		2		/* block-path threads */
#define NSLOTS		(QD + NBLK + 1)	/* uring slots, block, ioctl */
#define POST_URING	8		/* uring commands after the delete */
#define POST_SYNC	2		/* per sync thread after the delete */

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

static inline char *slot_buf(struct rig *r, int s)
{
	return r->bufs + (size_t)s * r->slot;
}

static inline __u64 rig_lba(struct rig *r, __u64 salt)
{
	return r->lba_lo + pt_rand(salt) % (r->lba_n - r->nb + 1);
}

/*
 * Prepares a Read or Write in uring slot @i: plain, vectored (three
 * segments with gaps) or through the registered buffer.
 */
static inline void rig_prep(struct rig *r, struct io_uring_sqe *sqe,
			    int i, __u64 n, __u64 ud)
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
static inline void *uring_thread(void *arg)
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
static inline void *ioctl_thread(void *arg)
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
static inline void *blk_thread(void *arg)
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
static inline int rig_bufs(struct rig *r, __u32 bs, bool aligned)
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

static inline void rig_reset(struct rig *r)
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
static inline int rig_open(struct rig *r, unsigned int ring_flags)
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
static inline void rig_wait_busy(struct rig *r)
{
	while ((atomic_load(&r->done_u) < 16 || atomic_load(&r->done_i) < 2 ||
		atomic_load(&r->done_b) < 4) && !r->harness_err)
		pt_msleep(1);
}

static inline int rig_start_sync(struct rig *r)
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

static inline int rig_start(struct rig *r)
{
	int ret = pthread_create(&r->ut, NULL, uring_thread, r);

	if (ret)
		return -ret;
	r->ut_up = true;
	return rig_start_sync(r);
}

static inline void rig_join(struct rig *r)
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

static inline void rig_close(struct rig *r)
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
static inline struct hist rig_blk(const struct rig *r, int after)
{
	struct hist h = { 0 };
	int k;

	for (k = 0; k < NBLK; k++)
		hist_merge(&h, &r->b[k][after]);
	return h;
}

#endif /* ZCBLK_SELFTEST_RACE_RIG_H */
