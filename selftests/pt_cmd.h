/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Passthrough commands for the selftests (included by pt_common.h): rings
 * set up for NVMe passthrough (struct pt_q) and their submission and
 * completion, NVMe command builders, the passthru ioctls and
 * NVME_IOCTL_SUBMIT_IO, and O_DIRECT I/O on the block device. Outcomes as
 * pt_common.h says: 0, a positive NVMe status, a negative errno, or
 * PT_EHARNESS.
 */
#ifndef ZCBLK_SELFTEST_PT_CMD_H
#define ZCBLK_SELFTEST_PT_CMD_H

#ifndef PT_COMMON_H
#error "include pt_common.h, not pt_cmd.h"
#endif

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

/* The fields nvme_passthru_cmd(64) shares with nvme_uring_cmd. */
#define PT_FIELDS_OF(c)							\
	.opcode = (c)->opcode, .flags = (c)->flags,			\
	.rsvd1 = (c)->rsvd1, .nsid = (c)->nsid,				\
	.cdw2 = (c)->cdw2, .cdw3 = (c)->cdw3,				\
	.metadata = (c)->metadata, .addr = (c)->addr,			\
	.metadata_len = (c)->metadata_len, .data_len = (c)->data_len,	\
	.cdw10 = (c)->cdw10, .cdw11 = (c)->cdw11,			\
	.cdw12 = (c)->cdw12, .cdw13 = (c)->cdw13,			\
	.cdw14 = (c)->cdw14, .cdw15 = (c)->cdw15,			\
	.timeout_ms = (c)->timeout_ms

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
			PT_FIELDS_OF(c),
			.result = 0xdeadbeef,
		};

		r = pt_ioctl_res(ioctl(fd, req, &p));
		if (result)
			*result = p.result;
	} else {
		struct nvme_passthru_cmd64 p = {
			PT_FIELDS_OF(c),
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

#endif /* ZCBLK_SELFTEST_PT_CMD_H */
