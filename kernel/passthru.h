/* SPDX-License-Identifier: GPL-2.0 */
/*
 * passthru.c: the commands of /dev/zcblk<N>c, for chardev.c and dev.c;
 * and what its ioctls (passthru_ioctl.c) share with its uring_cmds.
 */
#ifndef ZCBLK_PASSTHRU_H
#define ZCBLK_PASSTHRU_H

#include <linux/blk-mq.h>

#include "dev.h"
#include "nvme.h"

struct file;
struct io_comp_batch;
struct io_uring_cmd;
struct zcblk_map;

long zcblk_pt_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int zcblk_pt_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags);
int zcblk_pt_uring_cmd_iopoll(struct io_uring_cmd *ioucmd,
			      struct io_comp_batch *iob,
			      unsigned int poll_flags);
void zcblk_pt_wait_idle(struct zcblk_dev *dev);

/* A command as its ioctl or SQE gave it, read once. */
struct zcblk_pt_args {
	struct zcblk_nvme_cmd nc;
	u64 addr;
	u32 data_len;		/* bytes; the iovec count when @vec */
	u64 metadata;
	u32 metadata_len;
	u32 nonzero_rsvd;	/* flags and reserved fields, or'ed */
	bool vec;
	bool fixed;
};

int zcblk_pt_prepare(struct zcblk_dev *dev, struct file *file,
		     const struct zcblk_pt_args *a, struct io_uring_cmd *ioucmd,
		     unsigned int issue_flags, struct request **rqp,
		     struct zcblk_map **mapp);

static inline void zcblk_pt_exit(struct zcblk_dev *dev)
{
	/*
	 * Inline completion empties the disk after every command: wake
	 * (lock, walk, unlock) only when teardown waits. The value-returning
	 * atomic orders the count before wq_has_sleeper()'s barrier.
	 */
	if (atomic_dec_and_test(&dev->pt_issuing) &&
	    wq_has_sleeper(&dev->pt_wait))
		wake_up_all(&dev->pt_wait);
}

/* The status a caller sees: errno for host-side failures, else NVMe's. */
static inline int zcblk_pt_status(struct request *rq, blk_status_t sts)
{
	struct zcblk_pdu *cmd = blk_mq_rq_to_pdu(rq);

	return sts ? blk_status_to_errno(sts) : cmd->status;
}

#endif /* ZCBLK_PASSTHRU_H */
