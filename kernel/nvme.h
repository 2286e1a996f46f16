/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ZCBLK_NVME_H
#define ZCBLK_NVME_H

#include <linux/blk-mq.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "pin.h"

struct io_uring_cmd;
struct zcblk_dev;

#define ZCBLK_NSID		1
/* Advertised as MDTS 7: 4 KiB << 7 = 512 KiB, the queue's max_hw_sectors */
#define ZCBLK_MAX_TRANSFER	(512 * 1024)
#define ZCBLK_MDTS		7
/* Segments per command; also the iovec count limit for vectored ones. */
#define ZCBLK_MAX_SEGS		128

/*
 * An NVMe command, snapshotted once from user memory (SQE or ioctl
 * argument): nothing reads user memory for it again.
 */
struct zcblk_nvme_cmd {
	u8 opcode;
	bool admin;
	u32 nsid;
	u32 cdw2, cdw3;
	u32 cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
	u32 timeout_ms;
};

/*
 * Per-request state (the tag set's cmd_size). Passthrough commands use
 * all of it; block requests only @sts.
 */
struct zcblk_pdu {
	struct zcblk_nvme_cmd nc;
	int status;			/* NVMe status once executed */
	u64 result;			/* the completion's command result */
	struct io_uring_cmd *ioucmd;	/* NULL for ioctls */
	/*
	 * uring_cmd issued by this task, until zcblk_chr_uring_cmd()
	 * returns: an end_io in it may leave the completion to the issue
	 * (@done_inline). Written and matched by that task only.
	 */
	struct task_struct *issuer;
	bool done_inline;
	/* What ->uring_cmd_iopoll polls: NULL unless polled and in flight. */
	struct bio *poll_bio;
	blk_status_t sts;		/* status once done, until ended */
	struct zcblk_map map;

	/* Holding (complete.c): on dev->held while @held, under held_lock */
	struct list_head held_node;
	bool held;
	bool stalled;			/* held before execution */
	struct hrtimer timer;		/* delayed completion */
	bool in_backend;		/* file I/O in flight: never end early */

	/*
	 * The request runs from dev->wq: always for deferred backends
	 * (file), after ZCBLK_STS_DEFER for the others (@deferred).
	 */
	struct work_struct work;
	bool deferred;
	struct kiocb iocb;
	struct bio_vec *file_bvecs;	/* for requests of several bios */
};

/* How a command moves data, from zcblk_nvme_prep(). */
struct zcblk_nvme_data {
	bool to_dev;		/* host to device (REQ_OP_DRV_OUT) */
	bool media;		/* the data goes to or from the backend */
	u64 bytes;		/* exact length required, or ZCBLK_ANY_LEN */
};
#define ZCBLK_ANY_LEN	U64_MAX

int zcblk_nvme_prep(struct zcblk_dev *dev, const struct zcblk_nvme_cmd *nc,
		    struct zcblk_nvme_data *data);
int zcblk_nvme_access(const struct zcblk_nvme_cmd *nc, fmode_t mode);
void zcblk_nvme_execute(struct zcblk_dev *dev, struct request *rq);
int zcblk_nvme_ident_init(struct zcblk_dev *dev);
void zcblk_nvme_ident_free(struct zcblk_dev *dev);

#endif /* ZCBLK_NVME_H */
