/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libzcblk's passthrough helpers: NVMe commands for the char device of a
 * zcblk disk, through io_uring or the ioctls. Part of <zcblk.h>, which
 * includes this header: include <zcblk.h>. Its conventions hold here.
 */
#ifndef LIBZCBLK_ZCBLK_PT_H
#define LIBZCBLK_ZCBLK_PT_H

#ifndef LIBZCBLK_H
#error "include <zcblk.h>, not <zcblk_pt.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The passthrough char device /dev/zcblk<N>c speaks the NVMe passthrough
 * ABI of <linux/nvme_ioctl.h>.  The helpers below build its commands for
 * the disk's only namespace, %ZCBLK_PT_NSID, in logical blocks of the
 * disk's block size (zcblk_dev_info.block_size).  Every one returns 0 when
 * the command succeeded, a positive NVMe status when the "controller"
 * refused or failed it (DNR << 14 | More << 13 | SCT << 8 | SC, e.g.
 * 0x4080: LBA Out of Range, do not retry), or a negative errno when the
 * host side did (bad arguments: -EINVAL; no access: -EACCES or -EPERM; the
 * disk is gone: -ENODEV; ...).  zcblk_pt_status_str() names them all.
 *
 * libzcblk does not depend on liburing: the io_uring helpers only fill a
 * struct io_uring_sqe the caller got from its ring (liburing's
 * io_uring_get_sqe()) and read a struct io_uring_cqe (<linux/io_uring.h>).
 * The ring must be made with IORING_SETUP_SQE128 | IORING_SETUP_CQE32: a
 * passthrough command is 80 bytes and its result is in the big CQE (zcblk
 * refuses commands from other rings with -EOPNOTSUPP).
 *
 * An SQE from io_uring_get_sqe() is sent by the next io_uring_submit()
 * whatever the prep helper did with it.  So a zcblk_pt_prep_*() helper
 * that fails (-EINVAL) with a non-NULL @sqe still writes its first 64
 * bytes, all a NOP reads: it leaves a NOP (IORING_OP_NOP, fd -1, user_data 0, no IOSQE_*
 * flag), never what the ring slot held before, so no old command runs
 * again.  The NOP completes with res 0 and user_data 0 unless the caller
 * sets user_data afterwards, as after a successful prep; a completion
 * loop that gives its requests non-zero user_data can skip those CQEs.
 */
struct io_uring_sqe;
struct io_uring_cqe;
struct iovec;
struct nvme_uring_cmd;
struct nvme_passthru_cmd64;

#define ZCBLK_PT_NSID		1	/* the namespace of every zcblk disk */
/*
 * The most blocks an NVMe command can name (NLB is 16 bits), and so the
 * most the prep helpers take.  The kernel refuses (-EINVAL, before
 * anything runs) a command moving more than &zcblk_features.max_transfer
 * bytes (zcblk_features(); 512 KiB today): 128 blocks of 4096 bytes or
 * 1024 of 512 bytes, far fewer than this.
 */
#define ZCBLK_PT_MAX_BLOCKS	65536
#define ZCBLK_PT_MAX_DSM_RANGES	256

/* NVMe status fields (the NVMe base specification's completion status) */
#define ZCBLK_NVME_SC(status)	((status) & 0xff)	/* status code */
#define ZCBLK_NVME_SCT(status)	(((status) >> 8) & 0x7)	/* its type */
#define ZCBLK_NVME_MORE		0x2000
#define ZCBLK_NVME_DNR		0x4000	/* do not retry */

/* Flags of zcblk_pt_prep_write_zeroes() and zcblk_pt_write_zeroes() */
#define ZCBLK_PT_DEALLOCATE	(1U << 0)	/* may deallocate (DEAC) */

/**
 * struct zcblk_dsm_range - one range of a Dataset Management command
 * @cattr: context attributes (0: none)
 * @nlb: length in logical blocks (not 0's based; 0: the range is skipped)
 * @slba: first logical block
 *
 * As the NVMe specification lays it out, little-endian (on a big-endian
 * host, convert with htole32() and htole64()).  16 bytes.
 */
struct zcblk_dsm_range {
	__u32 cattr;
	__u32 nlb;
	__u64 slba;
};

/**
 * zcblk_pt_prep_cmd() - fill an SQE with any passthrough command
 * @sqe: a 128-byte SQE (IORING_SETUP_SQE128 ring); every byte is written
 * @fd: the char device's descriptor, or its index among the ring's
 *	registered files (then set IOSQE_FIXED_FILE in @sqe->flags after
 *	this call)
 * @cmd_op: NVME_URING_CMD_IO, or NVME_URING_CMD_IO_VEC when @cmd->addr is
 *	an array of struct iovec and @cmd->data_len their count
 * @cmd: the command, copied into the SQE
 * @buf_index: a registered buffer (io_uring_register_buffers()) that
 *	holds [@cmd->addr, @cmd->addr + @cmd->data_len): its index; or -1
 *	for an ordinary user buffer, pinned by zcblk for the command's life.
 *	Registered buffers need IORING_URING_CMD_FIXED, which Linux has
 *	had since 6.1; they cannot be combined with NVME_URING_CMD_IO_VEC
 *
 * The other helpers are this with a command built for you.  Set
 * @sqe->user_data (and any IOSQE_* flag) after the call.
 *
 * Return: 0; -EINVAL if @sqe or @cmd is NULL, @cmd_op is neither of
 * those, @buf_index is above 65535 or goes with a vectored command.  On
 * -EINVAL a non-NULL @sqe is made a NOP (user_data 0), as for every
 * zcblk_pt_prep_*() helper: it can be submitted and does nothing.
 */
ZCBLK_EXPORT int zcblk_pt_prep_cmd(struct io_uring_sqe *sqe, int fd,
				   __u32 cmd_op,
				   const struct nvme_uring_cmd *cmd,
				   int buf_index);

/**
 * zcblk_pt_prep_read() - fill an SQE with a Read
 * @sqe: a 128-byte SQE
 * @fd: the char device (or its registered-file index)
 * @slba: first logical block
 * @nblocks: blocks, 1 .. %ZCBLK_PT_MAX_BLOCKS; the kernel takes at most
 *	&zcblk_features.max_transfer bytes per command (in every prep helper)
 * @buf: where the data goes
 * @len: @nblocks times the block size, in bytes
 *
 * Return: 0; -EINVAL if @sqe is NULL or @nblocks is out of range (then a
 * non-NULL @sqe is a NOP with user_data 0, as zcblk_pt_prep_cmd() says).
 */
ZCBLK_EXPORT int zcblk_pt_prep_read(struct io_uring_sqe *sqe, int fd,
				    __u64 slba, __u32 nblocks, void *buf,
				    __u32 len);

/**
 * zcblk_pt_prep_write() - fill an SQE with a Write
 * @sqe: a 128-byte SQE
 * @fd: the char device (or its registered-file index)
 * @slba: first logical block
 * @nblocks: blocks, 1 .. %ZCBLK_PT_MAX_BLOCKS
 * @buf: the data
 * @len: @nblocks times the block size, in bytes
 *
 * Return: as zcblk_pt_prep_read() (a NOP in @sqe on -EINVAL).
 */
ZCBLK_EXPORT int zcblk_pt_prep_write(struct io_uring_sqe *sqe, int fd,
				     __u64 slba, __u32 nblocks,
				     const void *buf, __u32 len);

/**
 * zcblk_pt_prep_read_fixed() - fill an SQE with a Read into a registered
 *	buffer
 * @sqe: a 128-byte SQE
 * @fd: the char device (or its registered-file index)
 * @slba: first logical block
 * @nblocks: blocks, 1 .. %ZCBLK_PT_MAX_BLOCKS
 * @buf: where the data goes: inside registered buffer @buf_index
 * @len: @nblocks times the block size, in bytes
 * @buf_index: the registered buffer's index
 *
 * io_uring pinned the buffer when it was registered: zcblk pins nothing
 * (its fixed_bytes counter counts the bytes).
 *
 * Return: as zcblk_pt_prep_read() (a NOP in @sqe on -EINVAL).
 */
ZCBLK_EXPORT int zcblk_pt_prep_read_fixed(struct io_uring_sqe *sqe, int fd,
					  __u64 slba, __u32 nblocks,
					  void *buf, __u32 len,
					  __u16 buf_index);

/**
 * zcblk_pt_prep_write_fixed() - fill an SQE with a Write from a registered
 *	buffer
 * @sqe: a 128-byte SQE
 * @fd: the char device (or its registered-file index)
 * @slba: first logical block
 * @nblocks: blocks, 1 .. %ZCBLK_PT_MAX_BLOCKS
 * @buf: the data: inside registered buffer @buf_index
 * @len: @nblocks times the block size, in bytes
 * @buf_index: the registered buffer's index
 *
 * Return: as zcblk_pt_prep_read() (a NOP in @sqe on -EINVAL).
 */
ZCBLK_EXPORT int zcblk_pt_prep_write_fixed(struct io_uring_sqe *sqe, int fd,
					   __u64 slba, __u32 nblocks,
					   const void *buf, __u32 len,
					   __u16 buf_index);

/**
 * zcblk_pt_prep_readv() - fill an SQE with a vectored Read
 * @sqe: a 128-byte SQE
 * @fd: the char device (or its registered-file index)
 * @slba: first logical block
 * @nblocks: blocks, 1 .. %ZCBLK_PT_MAX_BLOCKS
 * @iov: the buffers, filled in order; their lengths add up to @nblocks
 *	times the block size.  Read when the command is issued: keep it
 *	until the CQE
 * @nr_iov: how many, at least 1
 *
 * Return: 0; -EINVAL if @sqe or @iov is NULL, @nr_iov is 0 or @nblocks is
 * out of range (then a non-NULL @sqe is a NOP with user_data 0).
 */
ZCBLK_EXPORT int zcblk_pt_prep_readv(struct io_uring_sqe *sqe, int fd,
				     __u64 slba, __u32 nblocks,
				     const struct iovec *iov, __u32 nr_iov);

/**
 * zcblk_pt_prep_writev() - fill an SQE with a vectored Write
 * @sqe: a 128-byte SQE
 * @fd: the char device (or its registered-file index)
 * @slba: first logical block
 * @nblocks: blocks, 1 .. %ZCBLK_PT_MAX_BLOCKS
 * @iov: the buffers, written in order (kept until the CQE)
 * @nr_iov: how many, at least 1
 *
 * Return: as zcblk_pt_prep_readv() (a NOP in @sqe on -EINVAL).
 */
ZCBLK_EXPORT int zcblk_pt_prep_writev(struct io_uring_sqe *sqe, int fd,
				      __u64 slba, __u32 nblocks,
				      const struct iovec *iov, __u32 nr_iov);

/**
 * zcblk_pt_prep_flush() - fill an SQE with a Flush
 * @sqe: a 128-byte SQE
 * @fd: the char device (or its registered-file index)
 *
 * Return: 0; -EINVAL if @sqe is NULL (it cannot fail otherwise).
 */
ZCBLK_EXPORT int zcblk_pt_prep_flush(struct io_uring_sqe *sqe, int fd);

/**
 * zcblk_pt_prep_write_zeroes() - fill an SQE with a Write Zeroes
 * @sqe: a 128-byte SQE
 * @fd: the char device (or its registered-file index)
 * @slba: first logical block
 * @nblocks: blocks, 1 .. %ZCBLK_PT_MAX_BLOCKS
 * @flags: %ZCBLK_PT_DEALLOCATE: the blocks may be deallocated (the mem
 *	backend frees them, the file backend punches a hole), else 0
 *
 * Return: 0; -EINVAL if @sqe is NULL, @nblocks is out of range or @flags
 * has an unknown bit (then a non-NULL @sqe is a NOP with user_data 0).
 */
ZCBLK_EXPORT int zcblk_pt_prep_write_zeroes(struct io_uring_sqe *sqe, int fd,
					    __u64 slba, __u32 nblocks,
					    unsigned int flags);

/**
 * zcblk_pt_prep_dsm() - fill an SQE with a Dataset Management command
 *	that deallocates ranges (a discard)
 * @sqe: a 128-byte SQE
 * @fd: the char device (or its registered-file index)
 * @ranges: the ranges (kept until the CQE)
 * @nr_ranges: how many, 1 .. %ZCBLK_PT_MAX_DSM_RANGES
 *
 * Every range is checked before any is deallocated: one out of the disk
 * fails the command (LBA Out of Range) and changes nothing.
 *
 * Return: 0; -EINVAL if @sqe or @ranges is NULL or @nr_ranges is out of
 * range (then a non-NULL @sqe is a NOP with user_data 0).
 */
ZCBLK_EXPORT int zcblk_pt_prep_dsm(struct io_uring_sqe *sqe, int fd,
				   const struct zcblk_dsm_range *ranges,
				   __u32 nr_ranges);

/**
 * zcblk_pt_cqe_status() - the outcome of a passthrough command's CQE
 * @cqe: its completion, from an IORING_SETUP_CQE32 ring
 * @result: where the command's result (completion dword 0, e.g. what Get
 *	Features returns) is stored, from the big CQE; or NULL
 *
 * Return: 0 (success), a positive NVMe status, or a negative errno (also
 * io_uring's own: -EOPNOTSUPP for a ring without SQE128/CQE32, -EFAULT,
 * -ECANCELED, ...); -EINVAL if @cqe is NULL.
 */
ZCBLK_EXPORT int zcblk_pt_cqe_status(const struct io_uring_cqe *cqe,
				     __u64 *result);

/**
 * zcblk_pt_status_str() - name of a passthrough command's outcome
 * @status: 0, a positive NVMe status or a negative errno, as the helpers
 *	and zcblk_pt_cqe_status() return
 *
 * The DNR and More bits do not change the name: 0x4080 and 0x80 are both
 * "LBA Out of Range".  Names follow the NVMe base and NVM command set
 * specifications: every generic command status, and the command specific,
 * media and path statuses an NVM namespace returns.
 *
 * Errnos are named as glibc's strerror() names them in the C locale
 * (English, never translated), from a table of every errno Linux has,
 * not by strerror() itself, whose buffer another call may overwrite.
 *
 * Return: a static string, never NULL, never changed by a later call (so
 * the function is thread-safe): "Success"; the status's name, or "Unknown
 * NVMe status" for a value without one; for a negative errno, its name
 * (e.g. "No such device" for -ENODEV), or "Unknown error" for a value
 * that is none.
 */
ZCBLK_EXPORT const char *zcblk_pt_status_str(int status);

/**
 * zcblk_pt_io_cmd() - any I/O command, synchronously (NVME_IOCTL_IO64_CMD)
 * @fd: the char device, opened for what the command does (O_RDONLY for
 *	reads, O_WRONLY or O_RDWR for writes; CAP_SYS_ADMIN may do anything)
 * @cmd: the command; @cmd->result receives completion dword 0
 *
 * Return: 0, a positive NVMe status, or a negative errno.
 */
ZCBLK_EXPORT int zcblk_pt_io_cmd(int fd, struct nvme_passthru_cmd64 *cmd);

/**
 * zcblk_pt_admin_cmd() - any admin command, synchronously
 *	(NVME_IOCTL_ADMIN64_CMD)
 * @fd: the char device
 * @cmd: the command (zcblk answers Identify, Get Features and Get Log
 *	Page); @cmd->result receives completion dword 0
 *
 * Return: 0, a positive NVMe status, or a negative errno.
 */
ZCBLK_EXPORT int zcblk_pt_admin_cmd(int fd, struct nvme_passthru_cmd64 *cmd);

/**
 * zcblk_pt_read() - Read, synchronously (NVME_IOCTL_IO_CMD)
 * @fd: the char device, opened for reading
 * @slba: first logical block
 * @nblocks: blocks, 1 .. %ZCBLK_PT_MAX_BLOCKS
 * @buf: where the data goes
 * @len: @nblocks times the block size, in bytes
 *
 * Return: 0, a positive NVMe status, or a negative errno (-EINVAL if
 * @nblocks is out of range).
 */
ZCBLK_EXPORT int zcblk_pt_read(int fd, __u64 slba, __u32 nblocks, void *buf,
			       __u32 len);

/**
 * zcblk_pt_write() - Write, synchronously (NVME_IOCTL_IO_CMD)
 * @fd: the char device, opened for writing
 * @slba: first logical block
 * @nblocks: blocks, 1 .. %ZCBLK_PT_MAX_BLOCKS
 * @buf: the data
 * @len: @nblocks times the block size, in bytes
 *
 * Return: as zcblk_pt_read().
 */
ZCBLK_EXPORT int zcblk_pt_write(int fd, __u64 slba, __u32 nblocks,
				const void *buf, __u32 len);

/**
 * zcblk_pt_flush() - Flush, synchronously (NVME_IOCTL_IO_CMD)
 * @fd: the char device, opened for writing
 *
 * Return: 0, a positive NVMe status, or a negative errno.
 */
ZCBLK_EXPORT int zcblk_pt_flush(int fd);

/**
 * zcblk_pt_write_zeroes() - Write Zeroes, synchronously
 *	(NVME_IOCTL_IO_CMD)
 * @fd: the char device, opened for writing
 * @slba: first logical block
 * @nblocks: blocks, 1 .. %ZCBLK_PT_MAX_BLOCKS
 * @flags: %ZCBLK_PT_DEALLOCATE or 0
 *
 * Return: as zcblk_pt_read() (-EINVAL also for unknown @flags).
 */
ZCBLK_EXPORT int zcblk_pt_write_zeroes(int fd, __u64 slba, __u32 nblocks,
				       unsigned int flags);

/**
 * zcblk_pt_dsm() - Dataset Management deallocating @ranges, synchronously
 *	(NVME_IOCTL_IO_CMD)
 * @fd: the char device, opened for writing
 * @ranges: the ranges
 * @nr_ranges: how many, 1 .. %ZCBLK_PT_MAX_DSM_RANGES
 *
 * Return: 0, a positive NVMe status, or a negative errno (-EINVAL if
 * @ranges is NULL or @nr_ranges out of range).
 */
ZCBLK_EXPORT int zcblk_pt_dsm(int fd, const struct zcblk_dsm_range *ranges,
			      __u32 nr_ranges);

/**
 * zcblk_pt_identify() - Identify, synchronously (NVME_IOCTL_ADMIN_CMD)
 * @fd: the char device
 * @nsid: namespace: %ZCBLK_PT_NSID, or 0 for controller structures
 * @cns: what to identify: 0x00 the namespace, 0x01 the controller, ...
 * @buf: 4096 bytes for the answer
 *
 * Return: 0, a positive NVMe status (Invalid Field for a CNS zcblk does
 * not answer), or a negative errno.
 */
ZCBLK_EXPORT int zcblk_pt_identify(int fd, __u32 nsid, __u8 cns, void *buf);

#ifdef __cplusplus
}
#endif

#endif /* LIBZCBLK_ZCBLK_PT_H */
