// SPDX-License-Identifier: GPL-2.0
/*
 * A volatile write cache that a power cut empties (Documentation/
 * durability.rst). Writes reach the backend at once; what is volatile is
 * recorded as an undo log: for each write since the last flush, the blocks
 * as they were before it. A flush forgets the log, a FUA write is marked
 * durable, a full cache forgets its oldest writes (they reached the media
 * first). A power cut walks the log from the newest write back, and every
 * block of a write that does not survive gets back what it held before
 * that write, unless a newer write to it survived: each block ends as the
 * newest surviving write left it, or as durable.
 */
#include <linux/blkdev.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <net/netlink.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"
#include "wcache.h"

/* A write not yet durable. */
struct zcblk_wc_rec {
	struct list_head node;		/* on the cache's log */
	u64 pos;			/* bytes, block aligned */
	u64 len;
	void *pre;			/* @len bytes before it; NULL if durable */
};

/**
 * zcblk_wc_init() - set up a disk's write cache, empty, and its power
 * @dev: the disk object being made
 *
 * Freed with the object (zcblk_wc_free()).
 */
void zcblk_wc_init(struct zcblk_dev *dev)
{
	mutex_init(&dev->wc.lock);
	INIT_LIST_HEAD(&dev->wc.log);
	dev->wc.size = dev->cfg.write_cache;
	dev->wc.enabled = dev->wc.size;
}

/**
 * zcblk_wc_open() - check a write cache against the disk's backend
 * @dev: the disk being added, its backend open
 * @lim: its queue limits: with a cache, flush and FUA
 * @extack: for the reason of a refusal
 *
 * Context: process context.
 * Return: 0, or -EOPNOTSUPP for a disk that cannot keep one.
 */
int zcblk_wc_open(struct zcblk_dev *dev, struct zcblk_limits *lim,
		  struct netlink_ext_ack *extack)
{
	if (!dev->wc.size)
		return 0;
	if (!dev->ops->data_rw) {
		NL_SET_ERR_MSG(extack,
			       "write-cache: the backend keeps no data to lose");
		return -EOPNOTSUPP;
	}
	if (dev->cfg.metadata_size || zcblk_zoned(dev)) {
		NL_SET_ERR_MSG(extack,
			       "write-cache: not with metadata or zones");
		return -EOPNOTSUPP;
	}
	lim->write_cache = true;
	return 0;
}

static void zcblk_wc_forget(struct zcblk_wcache *wc,
			    struct zcblk_wc_rec *rec)
{
	list_del(&rec->node);
	if (rec->pre)
		wc->dirty -= rec->len;
	kvfree(rec->pre);
	kfree(rec);
}

/* Everything written is durable now (a flush, or the cache turned off). */
static void zcblk_wc_forget_all(struct zcblk_wcache *wc)
{
	struct zcblk_wc_rec *rec, *tmp;

	lockdep_assert_held(&wc->lock);
	list_for_each_entry_safe(rec, tmp, &wc->log, node)
		zcblk_wc_forget(wc, rec);
}

/**
 * zcblk_wc_free() - free the log, with the disk object
 * @dev: the disk
 */
void zcblk_wc_free(struct zcblk_dev *dev)
{
	mutex_lock(&dev->wc.lock);
	zcblk_wc_forget_all(&dev->wc);
	mutex_unlock(&dev->wc.lock);
	mutex_destroy(&dev->wc.lock);
}

/*
 * Records a write before it executes: its pre-image, or (@durable, a FUA
 * write) only that it must survive, which a log with nothing in it has no
 * need to know. @nowait (queue_rq's context): nothing that sleeps, so no
 * vmalloc'ed pre-image is allocated or freed; -EAGAIN where one would be.
 */
static int zcblk_wc_record(struct zcblk_dev *dev, u64 pos, u64 len,
			   bool durable, bool nowait)
{
	gfp_t gfp = nowait ? GFP_NOWAIT | __GFP_NOWARN : GFP_NOIO;
	struct zcblk_wcache *wc = &dev->wc;
	struct zcblk_wc_rec *rec;
	int ret;

	lockdep_assert_held(&wc->lock);
	if (durable && list_empty(&wc->log))
		return 0;
	/* The oldest writes reach the media first. */
	while (!durable && wc->dirty + len > wc->size && !list_empty(&wc->log)) {
		rec = list_first_entry(&wc->log, struct zcblk_wc_rec, node);
		if (nowait && is_vmalloc_addr(rec->pre))
			return -EAGAIN;
		zcblk_wc_forget(wc, rec);
	}
	rec = kzalloc(sizeof(*rec), gfp);
	if (!rec)
		return nowait ? -EAGAIN : -ENOMEM;
	rec->pos = pos;
	rec->len = len;
	if (!durable) {
		rec->pre = nowait ? kmalloc(len, gfp) : kvmalloc(len, gfp);
		if (!rec->pre) {
			kfree(rec);
			return nowait ? -EAGAIN : -ENOMEM;
		}
		/* mem: a copy; a backend that sleeps here is never nowait */
		ret = dev->ops->data_rw(dev, false, pos, rec->pre, len);
		if (ret) {
			kvfree(rec->pre);
			kfree(rec);
			return ret;
		}
		wc->dirty += len;
	}
	list_add_tail(&rec->node, &wc->log);
	return 0;
}

/*
 * A write that failed, or must run again from the workqueue: what it may
 * have changed goes back. That allocates nothing: a block it wrote had a
 * page, and one that had none held zeros.
 */
static void zcblk_wc_unrecord(struct zcblk_dev *dev)
{
	struct zcblk_wcache *wc = &dev->wc;
	struct zcblk_wc_rec *rec;

	lockdep_assert_held(&wc->lock);
	rec = list_last_entry(&wc->log, struct zcblk_wc_rec, node);
	if (rec->pre)
		dev->ops->data_rw(dev, true, rec->pos, rec->pre, rec->len);
	zcblk_wc_forget(wc, rec);
}

/**
 * zcblk_wc_submit() - a write, flush or deallocation on a disk with a cache
 * @dev: the disk
 * @io: the operation
 *
 * With a cache, a write records its pre-image and a flush, a deallocation
 * or Write Zeroes makes everything before it durable, in the cache's lock.
 * In queue_rq's context (@io->nowait) a write goes ahead only if the lock
 * is free and what it needs can be had without sleeping; everything else
 * runs from the disk's workqueue.
 *
 * Context: as zcblk_disk_submit().
 * Return: the backend's outcome, or DONE with io->sts set, or DEFER.
 */
enum zcblk_submit zcblk_wc_submit(struct zcblk_dev *dev, struct zcblk_io *io)
{
	struct zcblk_wcache *wc = &dev->wc;
	enum zcblk_submit ret;
	bool recorded = false;
	int err = 0;

	if (!io->nowait)
		mutex_lock(&wc->lock);
	else if (io->op != ZCBLK_IO_WRITE || !mutex_trylock(&wc->lock))
		return ZCBLK_SUBMIT_DEFER;
	/* zcblk_disk_submit() looked unlocked; a cut may have come since. */
	if (wc->off) {
		mutex_unlock(&wc->lock);
		io->sts = BLK_STS_OFFLINE;
		return ZCBLK_SUBMIT_DONE;
	}
	switch (io->op) {
	case ZCBLK_IO_WRITE:
	case ZCBLK_IO_COPY:	/* a write of what the source holds */
		/* Off (WCE 0), FUA or larger than the cache: write-through. */
		err = zcblk_wc_record(dev, io->pos, io->len,
				      !wc->enabled || io->fua ||
				      io->len > wc->size, io->nowait);
		recorded = !err && !list_empty(&wc->log);
		break;
	default:
		zcblk_wc_forget_all(wc);
		break;
	}
	if (err) {
		mutex_unlock(&wc->lock);
		if (err == -EAGAIN)
			return ZCBLK_SUBMIT_DEFER;
		io->sts = errno_to_blk_status(err);
		return ZCBLK_SUBMIT_DONE;
	}
	ret = dev->ops->submit(dev, io);
	if (recorded && (ret == ZCBLK_SUBMIT_DEFER ||
			 (ret == ZCBLK_SUBMIT_DONE && io->sts)))
		zcblk_wc_unrecord(dev);
	else if (io->fua && ret != ZCBLK_SUBMIT_DEFER)
		atomic64_inc(&wc->fua_writes);
	mutex_unlock(&wc->lock);
	return ret;
}

/* Does block @i of @rec survive the cut? */
static bool zcblk_wc_survives(struct zcblk_wc_rec *rec, u64 i, u32 mode,
			      u64 torn_at, struct rnd_state *rnd)
{
	switch (mode) {
	case ZCBLK_CUT_MODE_BLOCKS:
		return prandom_u32_state(rnd) & 1;
	case ZCBLK_CUT_MODE_TORN:
		return i < torn_at;
	default:
		return false;
	}
}

/*
 * Room in @settled for each block that the cut may settle, reserved
 * before it changes anything: a cut that ran out of memory half-way
 * would undo some writes and not others. A reserved entry reads as NULL.
 */
static int zcblk_wc_reserve(struct zcblk_wcache *wc, struct xarray *settled,
			    u32 shift, u32 mode)
{
	struct zcblk_wc_rec *rec;
	u64 lba, end;
	int ret;

	list_for_each_entry(rec, &wc->log, node) {
		/* Dropped, every block of it: only durable writes settle. */
		if (rec->pre && mode == ZCBLK_CUT_MODE_DROP)
			continue;
		end = (rec->pos + rec->len) >> shift;
		for (lba = rec->pos >> shift; lba < end; lba++) {
			ret = xa_reserve(settled, lba, GFP_KERNEL);
			if (ret)
				return ret;
			cond_resched();
		}
	}
	return 0;
}

/*
 * The cut itself: newest write first, each block not yet settled by a
 * newer surviving write either survives (and is settled) or gets back
 * what it held before this write. Out of memory, nothing changes and the
 * power stays on; a backend that fails to write a block back ends the cut
 * there, the power cut all the same.
 */
static int zcblk_wc_cut(struct zcblk_dev *dev, u32 mode, u64 seed)
{
	u32 bs = dev->cfg.block_size, shift = ilog2(bs);
	struct zcblk_wcache *wc = &dev->wc;
	u64 lost_writes = 0, lost_blocks = 0;
	struct zcblk_wc_rec *rec;
	struct xarray settled;
	struct rnd_state rnd;
	int ret;

	lockdep_assert_held(&wc->lock);
	xa_init(&settled);
	ret = zcblk_wc_reserve(wc, &settled, shift, mode);
	if (ret) {
		xa_destroy(&settled);
		return ret;
	}
	WRITE_ONCE(wc->off, true);
	prandom_seed_state(&rnd, seed);
	list_for_each_entry_reverse(rec, &wc->log, node) {
		u64 n = rec->len >> shift, i, torn_at = 0;
		bool lost = false;

		if (mode == ZCBLK_CUT_MODE_TORN)
			torn_at = prandom_u32_state(&rnd) % (n + 1);
		for (i = 0; i < n; i++) {
			u64 lba = (rec->pos >> shift) + i;

			if (xa_load(&settled, lba))
				continue;
			if (!rec->pre ||
			    zcblk_wc_survives(rec, i, mode, torn_at, &rnd)) {
				/* reserved: allocates nothing */
				xa_store(&settled, lba, xa_mk_value(1),
					 GFP_KERNEL);
				continue;
			}
			ret = dev->ops->data_rw(dev, true,
						rec->pos + (i << shift),
						rec->pre + (i << shift), bs);
			if (ret)
				goto out;
			lost = true;
			lost_blocks++;
		}
		lost_writes += lost;
	}
	/* What the cut left is what the media holds. */
	if (!list_empty(&wc->log)) {
		struct zcblk_io flush = { .op = ZCBLK_IO_FLUSH };

		if (dev->ops->submit(dev, &flush) == ZCBLK_SUBMIT_DONE &&
		    flush.sts)
			ret = blk_status_to_errno(flush.sts);
	}
out:
	xa_destroy(&settled);
	zcblk_wc_forget_all(wc);
	atomic64_set(&wc->lost_writes, lost_writes);
	atomic64_set(&wc->lost_blocks, lost_blocks);
	return ret;
}

/**
 * zcblk_wc_power() - cut a disk's power, or give it back (DEV_SET power)
 * @dev: the disk
 * @on: power on, else cut
 * @mode: enum zcblk_cut_mode: what survives of the writes not yet durable
 * @seed: for the random choices of @mode
 * @extack: for the reason of a failure
 *
 * A cut fails every later operation (ZCBLK_POWER_STATE_CUT) and leaves in
 * the backend what a drive that lost power would hold; without the memory
 * it needs, it changes nothing. Power on lets I/O run again and drops the
 * block device's page cache, which holds what was read before the cut.
 * Both do nothing when the disk is already so.
 *
 * Context: process context, under zcblk_devs_lock.
 * Return: 0; -ENOMEM, with nothing changed; or the backend's negative errno.
 */
int zcblk_wc_power(struct zcblk_dev *dev, bool on, u32 mode, u64 seed,
		   struct netlink_ext_ack *extack)
{
	struct zcblk_wcache *wc = &dev->wc;
	int ret = 0;

	zcblk_devs_lock_assert_held();
	mutex_lock(&wc->lock);
	if (on == !wc->off)
		goto out_unlock;
	if (on) {
		WRITE_ONCE(wc->off, false);
		if (dev->disk)
			invalidate_bdev(dev->disk->part0);
		goto out_unlock;
	}
	ret = zcblk_wc_cut(dev, mode, seed);
	if (ret && !wc->off)
		NL_SET_ERR_MSG(extack, "power: no memory for the cut; the power is still on");
	else if (ret)
		NL_SET_ERR_MSG(extack, "power: the backend failed the cut");
out_unlock:
	mutex_unlock(&wc->lock);
	return ret;
}

/**
 * zcblk_wc_set_enabled() - Set Features 06h: turn the cache on or off
 * @dev: the disk
 * @enabled: WCE
 *
 * Turning it off makes what it held durable, as a drive flushes then.
 *
 * Context: process context.
 * Return: 0, or -EOPNOTSUPP for a disk without a cache.
 */
int zcblk_wc_set_enabled(struct zcblk_dev *dev, bool enabled)
{
	struct zcblk_wcache *wc = &dev->wc;

	if (!wc->size)
		return -EOPNOTSUPP;
	mutex_lock(&wc->lock);
	if (!enabled)
		zcblk_wc_forget_all(wc);
	wc->enabled = enabled;
	mutex_unlock(&wc->lock);
	return 0;
}

/**
 * zcblk_wc_dirty() - bytes written and not yet durable
 * @dev: the disk
 *
 * Context: any context.
 * Return: the bytes.
 */
u64 zcblk_wc_dirty(struct zcblk_dev *dev)
{
	/* Unlocked: a count for DEV_STATS, as the others there. */
	return READ_ONCE(dev->wc.dirty);
}
