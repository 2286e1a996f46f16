// SPDX-License-Identifier: GPL-2.0
/*
 * How requests end: completion modes (inline, softirq, timer), poll
 * queues, requests zcblk holds (stall, added latency), timeouts, and
 * letting go of everything held when a disk goes away.
 *
 * A held request is on dev->held with pdu->held set, both under
 * dev->held_lock. Whoever clears pdu->held under the lock (the hrtimer,
 * the timeout handler, unstall, removal) owns the request's ending;
 * everyone else leaves it alone.
 *
 * A done request of a poll queue waits on its zcblk_hctx's lock-free done
 * list; whoever takes it off (->poll, the timeout handler, removal) ends
 * it. Removal marks the queue dead and then empties the list; a request
 * added after that sees dead and empties it again itself: both sides are
 * fully ordered (a value-returning cmpxchg, smp_mb()), so one of them sees
 * the other.
 */
#include <linux/blk-mq.h>
#include <linux/hrtimer.h>
#include <linux/nvme.h>
#include <linux/ratelimit.h>
#include <linux/workqueue.h>

#include "dev.h"
#include "rq.h"

/*
 * Holds @pdu: stalled (@delay 0) or until an hrtimer @delay ns away. The
 * timer starts under the lock its callback takes, so that nobody can end
 * the request between its being listed and its timer being armed.
 */
static void zcblk_hold(struct zcblk_dev *dev, struct zcblk_pdu *pdu,
		       u64 delay)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->held_lock, flags);
	pdu->held = true;
	pdu->stalled = !delay;
	list_add_tail(&pdu->held_node, &dev->held);
	if (delay)
		hrtimer_start(&pdu->timer, ns_to_ktime(delay),
			      HRTIMER_MODE_REL);
	spin_unlock_irqrestore(&dev->held_lock, flags);
}

/* True if the caller now owns the ending of a request that was held. */
static bool zcblk_unhold(struct zcblk_dev *dev, struct zcblk_pdu *pdu)
{
	unsigned long flags;
	bool owner;

	spin_lock_irqsave(&dev->held_lock, flags);
	owner = pdu->held;
	if (owner) {
		pdu->held = false;
		list_del_init(&pdu->held_node);
	}
	spin_unlock_irqrestore(&dev->held_lock, flags);
	return owner;
}

/* Ends what waits on @zh, successes in @iob if one is given. */
static int zcblk_hctx_end_done(struct zcblk_hctx *zh,
			       struct io_comp_batch *iob)
{
	struct zcblk_pdu *pdu, *next;
	struct llist_node *done;
	int nr = 0;

	if (llist_empty(&zh->done))
		return 0;
	/* In the order they were done */
	done = llist_reverse_order(llist_del_all(&zh->done));
	llist_for_each_entry_safe(pdu, next, done, poll_node) {
		struct request *rq = blk_mq_rq_from_pdu(pdu);

		if (pdu->sts != BLK_STS_OK || !iob ||
		    !blk_mq_add_to_batch(rq, iob, false,
					 blk_mq_end_request_batch))
			blk_mq_end_request(rq, pdu->sts);
		nr++;
	}
	return nr;
}

/* Adds @first .. @last to @zh's done list; ended now after removal. */
static void zcblk_hctx_park(struct zcblk_hctx *zh, struct llist_node *first,
			    struct llist_node *last)
{
	llist_add_batch(first, last, &zh->done);
	/* Removal: nobody may poll any more (top of file: the ordering). */
	if (unlikely(READ_ONCE(zh->dead)))
		zcblk_hctx_end_done(zh, NULL);
}

/**
 * zcblk_rq_park() - leave a done request of a poll queue for ->poll
 * @rq: the request, its pdu->sts set
 *
 * Context: any context.
 */
void zcblk_rq_park(struct request *rq)
{
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);

	zcblk_hctx_park(rq->mq_hctx->driver_data, &pdu->poll_node,
			&pdu->poll_node);
}

/*
 * The last step: end now, from softirq, or when ->poll comes. Inline:
 * every request ends here.
 */
static inline void zcblk_rq_end(struct zcblk_dev *dev, struct request *rq)
{
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);

	if (rq->mq_hctx->type == HCTX_TYPE_POLL)
		zcblk_rq_park(rq);
	else if (READ_ONCE(dev->set.completion) == ZCBLK_COMPLETION_SOFTIRQ)
		blk_mq_complete_request(rq);	/* ->complete ends it */
	else
		blk_mq_end_request(rq, pdu->sts);
}

static enum hrtimer_restart zcblk_timer_fn(struct hrtimer *timer)
{
	struct zcblk_pdu *pdu = container_of(timer, struct zcblk_pdu, timer);
	struct request *rq = blk_mq_rq_from_pdu(pdu);
	struct zcblk_dev *dev = rq->q->queuedata;

	if (zcblk_unhold(dev, pdu))
		zcblk_rq_end(dev, rq);
	return HRTIMER_NORESTART;
}

/* Both of the exported ones below, inline in each: every request ends so. */
static __always_inline void zcblk_complete_now(struct zcblk_dev *dev,
					       struct request *rq,
					       blk_status_t sts)
{
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);
	u64 delay = 0;

	pdu->in_backend = false;
	if (blk_rq_is_passthrough(rq)) {
		if (sts && !pdu->status)
			pdu->status = NVME_SC_INTERNAL;
		sts = BLK_STS_OK;
	}
	pdu->sts = sts;

	if (zcblk_dev_live(dev)) {
		delay = READ_ONCE(dev->set.latency_ns);
		if (READ_ONCE(dev->set.completion) == ZCBLK_COMPLETION_TIMER)
			delay += READ_ONCE(dev->set.completion_ns);
	}
	if (!delay) {
		zcblk_rq_end(dev, rq);
		return;
	}
	zcblk_hold(dev, pdu, delay);
}

/**
 * zcblk_io_done() - the backend is done with a request
 * @dev: the disk
 * @rq: the request
 * @sts: the backend's outcome
 *
 * A failure counts in the disk's errors (SMART's Media Errors); then as
 * zcblk_io_complete().
 *
 * Context: any context.
 */
void zcblk_io_done(struct zcblk_dev *dev, struct request *rq,
		   blk_status_t sts)
{
	if (sts)
		zcblk_stat_inc(dev, errors);
	zcblk_complete_now(dev, rq, sts);
}

/**
 * zcblk_io_complete() - complete a request with @sts
 * @dev: the disk
 * @rq: the request
 * @sts: its outcome
 *
 * Without counting an error: an injected failure never reached the backend
 * (it counts in injected). Passthrough commands carry their NVMe status in
 * the pdu: a backend failure is Internal Error there. Added latency and the
 * timer completion mode hold @rq; otherwise it ends now.
 *
 * Context: any context.
 */
void zcblk_io_complete(struct zcblk_dev *dev, struct request *rq,
		       blk_status_t sts)
{
	zcblk_complete_now(dev, rq, sts);
}

/**
 * zcblk_stall() - park a request unexecuted while the disk is stalled
 * @dev: the disk
 * @rq: the request queue_rq was given
 *
 * Admin commands still answer, as a controller whose namespace hangs would.
 *
 * Context: queue_rq; does not sleep.
 * Return: true if @rq is held, false if it is to run now.
 */
bool zcblk_stall(struct zcblk_dev *dev, struct request *rq)
{
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);

	if (!READ_ONCE(dev->set.stall) || !zcblk_dev_live(dev) ||
	    (blk_rq_is_passthrough(rq) && pdu->nc.admin))
		return false;
	zcblk_hold(dev, blk_mq_rq_to_pdu(rq), 0);
	/* Unstalled or removed meanwhile: nobody would look at the list. */
	if ((!READ_ONCE(dev->set.stall) || !zcblk_dev_live(dev)) &&
	    zcblk_unhold(dev, blk_mq_rq_to_pdu(rq)))
		return false;
	return true;
}

/**
 * zcblk_unstall_work() - run the requests the stall held
 * @work: the disk's unstall_work
 *
 * Stall cleared: run what was held, in process context.
 *
 * Context: process context (a workqueue).
 */
void zcblk_unstall_work(struct work_struct *work)
{
	struct zcblk_dev *dev = container_of(work, struct zcblk_dev,
					     unstall_work);
	struct zcblk_pdu *pdu;

	for (;;) {
		spin_lock_irq(&dev->held_lock);
		list_for_each_entry(pdu, &dev->held, held_node)
			if (pdu->stalled)
				break;
		if (list_entry_is_head(pdu, &dev->held, held_node)) {
			spin_unlock_irq(&dev->held_lock);
			return;
		}
		pdu->held = false;
		list_del_init(&pdu->held_node);
		spin_unlock_irq(&dev->held_lock);
		zcblk_disk_execute(dev, blk_mq_rq_from_pdu(pdu));
	}
}

/**
 * zcblk_hctx_reap() - end what waits on a poll queue, for a poller
 * @zh: the poll queue's state
 * @iob: the batch for successes, or NULL (a synchronous poll) to end each
 *	 one now
 *
 * For ->poll and ->uring_cmd_iopoll by the command's queue; what it ends is
 * counted as polled. Successes end together, as NVMe's poll does.
 *
 * Context: any context.
 * Return: the number of requests ended.
 */
int zcblk_hctx_reap(struct zcblk_hctx *zh, struct io_comp_batch *iob)
{
	int nr = zcblk_hctx_end_done(zh, iob);

	if (nr)
		zcblk_stat_add(zh->dev, polled, nr);
	return nr;
}

/*
 * Removal: what waits on a poll queue is done; end it, whoever polls or
 * not, and let nothing wait there again.
 */
static void zcblk_hctxs_drain(struct zcblk_dev *dev)
{
	unsigned int i, nr = dev->cfg.nr_queues + dev->cfg.poll_queues;

	for (i = 0; i < nr; i++) {
		struct zcblk_hctx *zh = &dev->hctxs[i];

		WRITE_ONCE(zh->dead, true);
		smp_mb();	/* against zcblk_hctx_park() */
		zcblk_hctx_end_done(zh, NULL);
	}
}

/* End a request we own with @sts, its timer stopped. */
static void zcblk_end_held(struct zcblk_dev *dev, struct zcblk_pdu *pdu,
			   blk_status_t sts)
{
	struct request *rq = blk_mq_rq_from_pdu(pdu);

	/* Wait out a callback that lost the race: it must not see a reuse. */
	hrtimer_cancel(&pdu->timer);
	pdu->sts = sts;
	blk_mq_end_request(rq, sts);
}

/**
 * zcblk_release_held() - let go of every request the disk holds
 * @dev: the disk, no longer LIVE
 *
 * Removal: nothing new is held once the disk is no longer LIVE; fail what is,
 * and end what waits to be polled, so that nothing below del_gendisk() waits
 * on zcblk or on userspace.
 *
 * Context: process context; may sleep (waits for the unstall work).
 */
void zcblk_release_held(struct zcblk_dev *dev)
{
	struct zcblk_pdu *pdu;

	cancel_work_sync(&dev->unstall_work);
	zcblk_hctxs_drain(dev);
	for (;;) {
		spin_lock_irq(&dev->held_lock);
		pdu = list_first_entry_or_null(&dev->held, struct zcblk_pdu,
					       held_node);
		if (pdu) {
			pdu->held = false;
			list_del_init(&pdu->held_node);
		}
		spin_unlock_irq(&dev->held_lock);
		if (!pdu)
			return;
		zcblk_end_held(dev, pdu, BLK_STS_IOERR);
	}
}

/*
 * Takes @rq off its poll queue's done list if it waits there; true if it
 * did. The others go back, for ->poll.
 */
static bool zcblk_unpoll(struct request *rq)
{
	struct zcblk_hctx *zh = rq->mq_hctx->driver_data;
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);
	struct llist_node *node, *next, *first = NULL, *last = NULL;
	bool found = false;

	/* Newest first, as the list keeps them and they go back */
	for (node = llist_del_all(&zh->done); node; node = next) {
		next = node->next;
		if (node == &pdu->poll_node) {
			found = true;
			continue;
		}
		if (last)
			last->next = node;
		else
			first = node;
		last = node;
	}
	if (first)	/* llist_add_batch() links @last on */
		zcblk_hctx_park(zh, first, last);
	return found;
}

/**
 * zcblk_timeout() - the tag set's timeout handler
 * @rq: the request past its timeout
 *
 * Only what zcblk itself holds times out. A request done but not polled in
 * time is delivered, not failed, as NVMe's timeout handler does for a missed
 * completion: a command that completed never counts as timed out. A file
 * request whose direct I/O is in flight may still be written into by the
 * backing device: it is counted and waited for, as loop does.
 *
 * Context: process context (blk-mq's timeout work).
 * Return: BLK_EH_DONE if @rq was ended here, else BLK_EH_RESET_TIMER.
 */
enum blk_eh_timer_return zcblk_timeout(struct request *rq)
{
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);
	struct zcblk_dev *dev = rq->q->queuedata;

	if (rq->mq_hctx->type == HCTX_TYPE_POLL && zcblk_unpoll(rq)) {
		blk_mq_end_request(rq, pdu->sts);
		return BLK_EH_DONE;
	}
	zcblk_stat_inc(dev, timeouts);
	if (zcblk_unhold(dev, pdu)) {
		zcblk_end_held(dev, pdu, BLK_STS_TIMEOUT);
		return BLK_EH_DONE;
	}
	if (READ_ONCE(pdu->in_backend))
		pr_warn_ratelimited("zcblk%u: backing I/O over its timeout, waiting for it\n",
				    dev->index);
	return BLK_EH_RESET_TIMER;
}

/**
 * zcblk_rq_init() - set up the hold state of a request
 * @rq: the request
 *
 * Once per request of the tag set (its init_request).
 */
void zcblk_rq_init(struct request *rq)
{
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);

	INIT_LIST_HEAD(&pdu->held_node);
	pdu->file_bvecs = NULL;
	hrtimer_init(&pdu->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	pdu->timer.function = zcblk_timer_fn;
}
