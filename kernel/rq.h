/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-request state every layer shares (the tag set's cmd_size),
 * each group of fields owned by the layer named above it. It lives as
 * long as its request: from queue_rq (or, for passthrough commands, from
 * allocation) to the request's end. What a passthrough command needs after
 * that (its pages, its completion) is outside it: see pin.h.
 */
#ifndef ZCBLK_RQ_H
#define ZCBLK_RQ_H

#include <linux/bio.h>
#include <linux/blk-mq.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <linux/workqueue.h>

#include "backend.h"
#include "dev.h"
#include "pin.h"

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

struct zcblk_pdu {
	/* passthru.c and nvme.c: a passthrough command and its outcome */
	struct zcblk_nvme_cmd nc;
	int status;			/* NVMe status once executed */
	u64 result;			/* the completion's command result */
	/*
	 * A uring_cmd's issuing task, whose end_io may then leave the
	 * completion to the issue (passthru.c); written before execution.
	 */
	struct task_struct *issuer;
	struct bio fixed_bio;		/* over a registered buffer */
	/*
	 * Separate metadata (meta.h), page by page: pinned in the command's
	 * map slot, or in @md_fixed when inside its registered buffer.
	 */
	const struct bio_vec *md_bvecs;
	unsigned int md_nr;
	struct bio_vec md_fixed[ZCBLK_MD_PAGES];

	/* complete.c: how the request ends */
	blk_status_t sts;		/* status once done, until ended */
	struct llist_node poll_node;	/* on its poll queue's done list */
	struct list_head held_node;	/* on dev->held while @held */
	bool held;			/* under dev->held_lock */
	bool stalled;			/* held before execution */
	struct hrtimer timer;		/* delayed completion */

	/*
	 * submit.c: the request runs from dev->wq, for deferred backends (file)
	 * unless tried in queue_rq (@inline_try, nothing may block), and
	 * again after ZCBLK_SUBMIT_DEFER (@deferred).
	 */
	struct work_struct work;
	bool deferred;
	bool inline_try;

	/*
	 * zns.c: a zoned write's place, taken once: a write that runs again
	 * (DEFER) keeps it.
	 */
	bool zone_placed;
	u64 zone_slba;

	/* file.c: the backing I/O */
	bool in_backend;		/* in flight: never end early */
	struct kiocb iocb;
	struct bio_vec *file_bvecs;	/* for requests of several bios */
	bool file_write;
	/* Holds the backing file system's freeze protection, until done */
	bool file_sb_write;
	/* An I/O IOCB_NOWAIT refused, again from dev->wq: where, what */
	struct work_struct file_retry;
	u64 file_pos;
	struct iov_iter file_iter;
};

void zcblk_rq_park(struct request *rq);

/**
 * zcblk_rq_end_inline() - end a request that succeeded, inline completion
 * @rq: the request
 *
 * What zcblk_io_done() does when nothing delays the request and the disk
 * completes inline: end it now, or leave it for ->poll. Inline: the
 * block path's short way (submit.c) ends every request so.
 *
 * Context: any context.
 */
static __always_inline void zcblk_rq_end_inline(struct request *rq)
{
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);

	pdu->sts = BLK_STS_OK;
	if (rq->mq_hctx->type == HCTX_TYPE_POLL)
		zcblk_rq_park(rq);
	else
		blk_mq_end_request(rq, BLK_STS_OK);
}

/**
 * zcblk_rq_nowait() - tell whether the backend must not sleep for a request
 * @rq: the request
 *
 * A deferred backend's requests may sleep, except a read or write tried
 * in queue_rq; the other backends' only when the disk's workqueue runs
 * them again. Inline: every I/O asks.
 *
 * Context: any context.
 * Return: true if the backend must not sleep for @rq.
 */
static inline bool zcblk_rq_nowait(struct request *rq)
{
	struct zcblk_dev *dev = rq->q->queuedata;
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);

	return pdu->inline_try || (!dev->ops->deferred && !pdu->deferred);
}

#endif /* ZCBLK_RQ_H */
