// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * io_uring passthrough helpers: fill a caller's 128-byte SQE with an
 * IORING_OP_URING_CMD for the char device, and read a command's outcome
 * from its CQE.  Only <linux/io_uring.h> is needed, not liburing.
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <linux/io_uring.h>
#include <linux/nvme_ioctl.h>

#include "pt.h"

/* The command lives in the SQE's second half: it needs SQE128. */
#define ZCBLK_SQE128_SIZE	128
_Static_assert(offsetof(struct io_uring_sqe, cmd) +
	       sizeof(struct nvme_uring_cmd) <= ZCBLK_SQE128_SIZE,
	       "struct nvme_uring_cmd does not fit a 128-byte SQE");

/*
 * A prep that fails makes @sqe a NOP and returns @err.  The caller got
 * @sqe from io_uring_get_sqe(): the next io_uring_submit() sends it
 * whatever becomes of it, and left as it was it would hold what its ring
 * slot last carried, perhaps an old command that would run again.  The
 * SQE's first 64 bytes are all a NOP reads (and all a ring without
 * IORING_SETUP_SQE128 has); user_data is 0 (see zcblk_pt.h).
 */
static int prep_failed(struct io_uring_sqe *sqe, int err)
{
	if (sqe) {
		memset(sqe, 0, sizeof(*sqe));
		sqe->opcode = IORING_OP_NOP;
		sqe->fd = -1;
	}
	return err;
}

ZCBLK_EXPORT int zcblk_pt_prep_cmd(struct io_uring_sqe *sqe, int fd,
				   __u32 cmd_op,
				   const struct nvme_uring_cmd *cmd,
				   int buf_index)
{
	if (!sqe || !cmd)
		return prep_failed(sqe, -EINVAL);
	if (cmd_op != NVME_URING_CMD_IO && cmd_op != NVME_URING_CMD_IO_VEC)
		return prep_failed(sqe, -EINVAL);
	if (buf_index > UINT16_MAX ||
	    (buf_index >= 0 && cmd_op == NVME_URING_CMD_IO_VEC))
		return prep_failed(sqe, -EINVAL);

	memset(sqe, 0, ZCBLK_SQE128_SIZE);
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = cmd_op;
	if (buf_index >= 0) {
		sqe->uring_cmd_flags = IORING_URING_CMD_FIXED;
		sqe->buf_index = buf_index;
	}
	memcpy(sqe->cmd, cmd, sizeof(*cmd));
	return 0;
}

/* @f as an I/O command of the namespace, into @sqe. */
static int prep_fields(struct io_uring_sqe *sqe, int fd, __u32 cmd_op,
		       const struct zcblk_pt_fields *f, int buf_index)
{
	struct nvme_uring_cmd c = {
		.opcode = f->opcode,
		.nsid = ZCBLK_PT_NSID,
		.addr = f->addr,
		.data_len = f->data_len,
		.cdw10 = f->cdw10,
		.cdw11 = f->cdw11,
		.cdw12 = f->cdw12,
	};

	return zcblk_pt_prep_cmd(sqe, fd, cmd_op, &c, buf_index);
}

static int prep_rw(struct io_uring_sqe *sqe, int fd, __u8 opcode,
		   __u64 slba, __u32 nblocks, const void *buf, __u32 len,
		   int buf_index)
{
	struct zcblk_pt_fields f;
	int ret;

	ret = zcblk_pt_rw_fields(&f, opcode, slba, nblocks, buf, len);
	if (ret)
		return prep_failed(sqe, ret);
	return prep_fields(sqe, fd, NVME_URING_CMD_IO, &f, buf_index);
}

ZCBLK_EXPORT int zcblk_pt_prep_read(struct io_uring_sqe *sqe, int fd,
				    __u64 slba, __u32 nblocks, void *buf,
				    __u32 len)
{
	return prep_rw(sqe, fd, ZCBLK_OP_READ, slba, nblocks, buf, len, -1);
}

ZCBLK_EXPORT int zcblk_pt_prep_write(struct io_uring_sqe *sqe, int fd,
				     __u64 slba, __u32 nblocks,
				     const void *buf, __u32 len)
{
	return prep_rw(sqe, fd, ZCBLK_OP_WRITE, slba, nblocks, buf, len, -1);
}

ZCBLK_EXPORT int zcblk_pt_prep_read_fixed(struct io_uring_sqe *sqe, int fd,
					  __u64 slba, __u32 nblocks,
					  void *buf, __u32 len,
					  __u16 buf_index)
{
	return prep_rw(sqe, fd, ZCBLK_OP_READ, slba, nblocks, buf, len,
		       buf_index);
}

ZCBLK_EXPORT int zcblk_pt_prep_write_fixed(struct io_uring_sqe *sqe, int fd,
					   __u64 slba, __u32 nblocks,
					   const void *buf, __u32 len,
					   __u16 buf_index)
{
	return prep_rw(sqe, fd, ZCBLK_OP_WRITE, slba, nblocks, buf, len,
		       buf_index);
}

/* Vectored: addr is the iovec array, data_len the number of iovecs. */
static int prep_rwv(struct io_uring_sqe *sqe, int fd, __u8 opcode,
		    __u64 slba, __u32 nblocks, const struct iovec *iov,
		    __u32 nr_iov)
{
	struct zcblk_pt_fields f;
	int ret;

	if (!iov || !nr_iov)
		return prep_failed(sqe, -EINVAL);
	ret = zcblk_pt_rw_fields(&f, opcode, slba, nblocks, iov, nr_iov);
	if (ret)
		return prep_failed(sqe, ret);
	return prep_fields(sqe, fd, NVME_URING_CMD_IO_VEC, &f, -1);
}

ZCBLK_EXPORT int zcblk_pt_prep_readv(struct io_uring_sqe *sqe, int fd,
				     __u64 slba, __u32 nblocks,
				     const struct iovec *iov, __u32 nr_iov)
{
	return prep_rwv(sqe, fd, ZCBLK_OP_READ, slba, nblocks, iov, nr_iov);
}

ZCBLK_EXPORT int zcblk_pt_prep_writev(struct io_uring_sqe *sqe, int fd,
				      __u64 slba, __u32 nblocks,
				      const struct iovec *iov, __u32 nr_iov)
{
	return prep_rwv(sqe, fd, ZCBLK_OP_WRITE, slba, nblocks, iov, nr_iov);
}

ZCBLK_EXPORT int zcblk_pt_prep_flush(struct io_uring_sqe *sqe, int fd)
{
	struct zcblk_pt_fields f = { .opcode = ZCBLK_OP_FLUSH };

	return prep_fields(sqe, fd, NVME_URING_CMD_IO, &f, -1);
}

ZCBLK_EXPORT int zcblk_pt_prep_write_zeroes(struct io_uring_sqe *sqe, int fd,
					    __u64 slba, __u32 nblocks,
					    unsigned int flags)
{
	struct zcblk_pt_fields f;
	int ret;

	ret = zcblk_pt_wz_fields(&f, slba, nblocks, flags);
	if (ret)
		return prep_failed(sqe, ret);
	return prep_fields(sqe, fd, NVME_URING_CMD_IO, &f, -1);
}

ZCBLK_EXPORT int zcblk_pt_prep_dsm(struct io_uring_sqe *sqe, int fd,
				   const struct zcblk_dsm_range *ranges,
				   __u32 nr_ranges)
{
	struct zcblk_pt_fields f;
	int ret;

	ret = zcblk_pt_dsm_fields(&f, ranges, nr_ranges);
	if (ret)
		return prep_failed(sqe, ret);
	return prep_fields(sqe, fd, NVME_URING_CMD_IO, &f, -1);
}

ZCBLK_EXPORT int zcblk_pt_cqe_status(const struct io_uring_cqe *cqe,
				     __u64 *result)
{
	if (!cqe)
		return -EINVAL;
	/*
	 * res is what the driver completed the command with: an NVMe
	 * status (positive), or -errno from the host side or io_uring.
	 */
	if (result)
		*result = cqe->big_cqe[0];
	return cqe->res;
}
