// SPDX-License-Identifier: GPL-2.0
/*
 * A volatile write cache that a power cut empties (Documentation/
 * durability.rst). Writes reach the backend at once; what is volatile is
 * recorded as an undo log: for each write since the last flush, the blocks
 * as they were before it, a copy or, where the backend can (mem), the
 * store's pages the write replaced with new ones. A flush forgets the log,
 * a FUA write is marked durable, a full cache forgets its oldest writes
 * (they reached the media first). A power cut walks the log from the
 * newest write back, and every block of a write that does not survive
 * gets back what it held before that write, unless a newer write to it
 * survived: each block ends as the newest surviving write left it, or as
 * durable.
 */
#include <linux/blkdev.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <net/netlink.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"
#include "media.h"
#include "wcache.h"

/* A write not yet durable, or (neither @pre nor @kept) a durable one. */
struct zcblk_wc_rec {
	struct list_head node;		/* on the cache's log */
	u64 pos;			/* bytes, block aligned */
	u64 len;
	void *pre;			/* @len bytes before it, a copy */
	unsigned int nr_kept;		/* or the store pages it replaced: */
	unsigned int room;		/* (@kept's entries) */
	struct page *kept[];		/* NULL: a hole, zeros */
};

/* The largest write that keeps the store's pages, not a copy */
#define ZCBLK_WC_SWAP_MAX	(32 * PAGE_SIZE)

static bool zcblk_wc_volatile(const struct zcblk_wc_rec *rec)
{
	return rec->pre || rec->nr_kept;
}

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
	INIT_LIST_HEAD(&dev->wc.spare);
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

/*
 * A store page the log forgets: a reader may still be copying from it, so
 * it waits for an RCU grace period on @wc->spare, and then serves a later
 * write. Spares beyond the cache's size are freed once they may be.
 */
static void zcblk_wc_spare_put(struct zcblk_wcache *wc, struct page *page)
{
	lockdep_assert_held(&wc->lock);
	/* One grace period started for all the pages of the current one */
	if (get_state_synchronize_rcu() != wc->gp)
		wc->gp = start_poll_synchronize_rcu();
	set_page_private(page, wc->gp);
	list_add_tail(&page->lru, &wc->spare);
	wc->nr_spare++;
	while (wc->nr_spare > wc->size >> PAGE_SHIFT) {
		page = list_first_entry(&wc->spare, struct page, lru);
		if (!poll_state_synchronize_rcu(page_private(page)))
			break;
		list_del(&page->lru);
		wc->nr_spare--;
		set_page_private(page, 0);
		__free_page(page);
	}
}

/* A page for a write to replace a store page with: a spare, or new. */
static struct page *zcblk_wc_spare_get(struct zcblk_wcache *wc, gfp_t gfp)
{
	struct page *page;

	lockdep_assert_held(&wc->lock);
	page = list_first_entry_or_null(&wc->spare, struct page, lru);
	if (!page || !poll_state_synchronize_rcu(page_private(page)))
		return alloc_page(gfp | __GFP_HIGHMEM);
	list_del(&page->lru);
	wc->nr_spare--;
	set_page_private(page, 0);
	return page;
}

/*
 * A record done with: one with room for kept pages stays, up to
 * ZCBLK_WC_FREE_MAX of them, for the writes that replace pages next (a
 * full cache forgets one a write, a flush all); the others are freed.
 */
static void zcblk_wc_rec_put(struct zcblk_wcache *wc,
			     struct zcblk_wc_rec *rec)
{
	lockdep_assert_held(&wc->lock);
	if (rec->room && wc->nr_free < ZCBLK_WC_FREE_MAX) {
		wc->free_recs[wc->nr_free++] = rec;
		return;
	}
	kfree(rec);
}

static void zcblk_wc_forget(struct zcblk_wcache *wc,
			    struct zcblk_wc_rec *rec)
{
	unsigned int i;

	lockdep_assert_held(&wc->lock);
	list_del(&rec->node);
	if (zcblk_wc_volatile(rec))
		wc->dirty -= rec->len;
	else
		wc->nr_marks--;
	for (i = 0; i < rec->nr_kept; i++)
		if (rec->kept[i])
			zcblk_wc_spare_put(wc, rec->kept[i]);
	kvfree(rec->pre);
	zcblk_wc_rec_put(wc, rec);
}

/* A record with room for @nr kept pages: the last one kept, or new. */
static struct zcblk_wc_rec *zcblk_wc_rec_get(struct zcblk_wcache *wc,
					     unsigned int nr, gfp_t gfp)
{
	struct zcblk_wc_rec *rec;

	lockdep_assert_held(&wc->lock);
	if (wc->nr_free && wc->free_recs[wc->nr_free - 1]->room >= nr)
		return wc->free_recs[--wc->nr_free];
	rec = kmalloc(struct_size(rec, kept, nr), gfp);
	if (rec)
		rec->room = nr;
	return rec;
}

/*
 * Everything written is durable now (a flush, or the cache turned off).
 * @nowait (a flush in queue_rq's context): -EAGAIN at a vmalloc'ed
 * pre-image, which only the workqueue may free; what it forgot by then
 * stays forgotten, as the flush that runs again makes it durable anyway.
 */
static int zcblk_wc_forget_all(struct zcblk_wcache *wc, bool nowait)
{
	struct zcblk_wc_rec *rec, *tmp;

	lockdep_assert_held(&wc->lock);
	list_for_each_entry_safe(rec, tmp, &wc->log, node) {
		if (nowait && is_vmalloc_addr(rec->pre))
			return -EAGAIN;
		zcblk_wc_forget(wc, rec);
	}
	return 0;
}

/**
 * zcblk_wc_free() - free the log, with the disk object
 * @dev: the disk
 */
void zcblk_wc_free(struct zcblk_dev *dev)
{
	struct page *page, *tmp;

	mutex_lock(&dev->wc.lock);
	zcblk_wc_forget_all(&dev->wc, false);
	while (dev->wc.nr_free)
		kfree(dev->wc.free_recs[--dev->wc.nr_free]);
	/* No reader is left: the disk is gone. */
	list_for_each_entry_safe(page, tmp, &dev->wc.spare, lru) {
		list_del(&page->lru);
		set_page_private(page, 0);
		__free_page(page);
	}
	mutex_unlock(&dev->wc.lock);
	mutex_destroy(&dev->wc.lock);
}

/*
 * Room for @len bytes more: the oldest writes reach the media first.
 * -EAGAIN if @nowait and that would free a vmalloc'ed pre-image.
 */
static int zcblk_wc_make_room(struct zcblk_wcache *wc, u64 len, bool nowait)
{
	struct zcblk_wc_rec *rec;

	lockdep_assert_held(&wc->lock);
	while (wc->dirty + len > wc->size && !list_empty(&wc->log)) {
		rec = list_first_entry(&wc->log, struct zcblk_wc_rec, node);
		if (nowait && is_vmalloc_addr(rec->pre))
			return -EAGAIN;
		zcblk_wc_forget(wc, rec);
	}
	return 0;
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
	/*
	 * A durable write's record holds no data, so the cache's size does
	 * not bound them: at ZCBLK_WC_MARKS_MAX everything is made durable,
	 * as a drive may write its cache back at any time.
	 */
	if (durable && wc->nr_marks >= ZCBLK_WC_MARKS_MAX) {
		ret = zcblk_wc_forget_all(wc, nowait);
		if (ret)
			return ret;
	}
	if (durable && list_empty(&wc->log))
		return 0;
	if (!durable) {
		ret = zcblk_wc_make_room(wc, len, nowait);
		if (ret)
			return ret;
	}
	rec = kzalloc(sizeof(*rec), gfp);	/* no room for kept pages */
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
	} else {
		wc->nr_marks++;
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

/* A write the backend can carry out by replacing the store's pages? */
static bool zcblk_wc_swaps(struct zcblk_dev *dev, struct zcblk_io *io)
{
	struct zcblk_wcache *wc = &dev->wc;

	return dev->ops->write_swap && io->op == ZCBLK_IO_WRITE &&
	       wc->enabled && !io->fua && io->len <= wc->size &&
	       io->len <= ZCBLK_WC_SWAP_MAX && PAGE_ALIGNED(io->pos) &&
	       PAGE_ALIGNED(io->len) && !io->md_nr && !io->md_ext;
}

/* Pages never in the store, so never seen by a reader */
static void zcblk_wc_free_new(struct page **pages, unsigned int nr)
{
	while (nr--)
		__free_page(pages[nr]);
}

/*
 * A write whose pre-image is the store's pages it replaces: recorded once
 * it has run, as a failed one changed nothing.
 */
static enum zcblk_submit zcblk_wc_write_swap(struct zcblk_dev *dev,
					     struct zcblk_io *io)
{
	gfp_t gfp = io->nowait ? GFP_NOWAIT | __GFP_NOWARN : GFP_NOIO;
	unsigned int nr = io->len >> PAGE_SHIFT, i;
	struct zcblk_wcache *wc = &dev->wc;
	enum zcblk_submit ret;
	struct zcblk_wc_rec *rec;
	int err;

	lockdep_assert_held(&wc->lock);
	err = zcblk_wc_make_room(wc, io->len, io->nowait);
	if (err)
		goto out_err;
	err = -ENOMEM;
	rec = zcblk_wc_rec_get(wc, nr, gfp);
	if (!rec)
		goto out_err;
	for (i = 0; i < nr; i++) {
		rec->kept[i] = zcblk_wc_spare_get(wc, gfp);
		if (!rec->kept[i])
			goto out_free_pages;
	}
	ret = dev->ops->write_swap(dev, io, rec->kept);
	if (ret == ZCBLK_SUBMIT_DONE && !io->sts) {
		rec->pos = io->pos;
		rec->len = io->len;
		rec->pre = NULL;
		rec->nr_kept = nr;
		list_add_tail(&rec->node, &wc->log);
		wc->dirty += io->len;
		return ret;
	}
	/*
	 * Failed or deferred: the pages are the ones it was given, but a
	 * store that failed halfway showed the first ones to readers, so
	 * they wait for a grace period as spares.
	 */
	for (i = 0; i < nr; i++)
		zcblk_wc_spare_put(wc, rec->kept[i]);
	zcblk_wc_rec_put(wc, rec);
	return ret;

out_free_pages:
	zcblk_wc_free_new(rec->kept, i);
	zcblk_wc_rec_put(wc, rec);
out_err:
	if (io->nowait)
		return ZCBLK_SUBMIT_DEFER;
	io->sts = errno_to_blk_status(err);
	return ZCBLK_SUBMIT_DONE;
}

/**
 * zcblk_wc_submit() - a write, flush or deallocation on a disk with a cache
 * @dev: the disk
 * @io: the operation
 *
 * With a cache, a write records its pre-image and a flush, a deallocation
 * or Write Zeroes makes everything before it durable, in the cache's lock.
 * In queue_rq's context (@io->nowait) a write, or a mem disk's flush,
 * goes ahead only if the lock is free and what it needs can be had
 * without sleeping; everything else runs from the disk's workqueue.
 *
 * Context: as zcblk_disk_submit().
 * Return: the backend's outcome, or DONE with io->sts set, or DEFER.
 */
enum zcblk_submit zcblk_wc_submit(struct zcblk_dev *dev, struct zcblk_io *io)
{
	struct zcblk_wcache *wc = &dev->wc;
	enum zcblk_submit ret;
	bool recorded = false, listed;
	int err = 0;

	if (!io->nowait)
		mutex_lock(&wc->lock);
	/*
	 * In queue_rq's context only writes and flushes: only a backend
	 * that is not ->deferred (mem) gets here so, whose flush never
	 * sleeps and whose bad block list has no sidecar to save.
	 */
	else if ((io->op != ZCBLK_IO_WRITE && io->op != ZCBLK_IO_FLUSH) ||
		 !mutex_trylock(&wc->lock))
		return ZCBLK_SUBMIT_DEFER;
	/* zcblk_disk_submit() looked unlocked; a cut may have come since. */
	if (wc->off) {
		mutex_unlock(&wc->lock);
		io->sts = BLK_STS_OFFLINE;
		return ZCBLK_SUBMIT_DONE;
	}
	/*
	 * A write over unreadable blocks is durable at once: a cut that lost
	 * it could not give the blocks back their unreadability.
	 */
	listed = zcblk_media_listed(dev, io);
	if (!listed && zcblk_wc_swaps(dev, io)) {
		ret = zcblk_wc_write_swap(dev, io);
		mutex_unlock(&wc->lock);
		return ret;
	}
	switch (io->op) {
	case ZCBLK_IO_WRITE:
	case ZCBLK_IO_COPY:	/* a write of what the source holds */
		/* Off (WCE 0), FUA, over bad blocks or larger: write-through */
		err = zcblk_wc_record(dev, io->pos, io->len,
				      !wc->enabled || io->fua || listed ||
				      io->len > wc->size, io->nowait);
		recorded = !err && !list_empty(&wc->log);
		break;
	default:	/* flush, deallocation, Write Zeroes */
		err = zcblk_wc_forget_all(wc, io->nowait);
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
	mutex_unlock(&wc->lock);
	return ret;
}

/* Puts back @len bytes at @off of what @rec's write replaced. */
static int zcblk_wc_restore(struct zcblk_dev *dev, struct zcblk_wc_rec *rec,
			    u64 off, u32 len)
{
	struct page *page;
	void *buf;
	int ret;

	if (rec->pre)
		return dev->ops->data_rw(dev, true, rec->pos + off,
					 rec->pre + off, len);
	/* A block lies in one page: block sizes divide PAGE_SIZE. */
	page = rec->kept[off >> PAGE_SHIFT];
	if (!page)	/* no metadata with a cache: a hole read zeros */
		page = ZERO_PAGE(0);
	buf = kmap_local_page(page);
	ret = dev->ops->data_rw(dev, true, rec->pos + off,
				buf + offset_in_page(off), len);
	kunmap_local(buf);
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
		if (zcblk_wc_volatile(rec) && mode == ZCBLK_CUT_MODE_DROP)
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
			if (!zcblk_wc_volatile(rec) ||
			    zcblk_wc_survives(rec, i, mode, torn_at, &rnd)) {
				/* reserved: allocates nothing */
				xa_store(&settled, lba, xa_mk_value(1),
					 GFP_KERNEL);
				continue;
			}
			ret = zcblk_wc_restore(dev, rec, i << shift, bs);
			if (ret)
				goto out;
			lost = true;
			lost_blocks++;
		}
		lost_writes += lost;
		cond_resched();		/* a log of up to a record a block */
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
	zcblk_wc_forget_all(wc, false);
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
 * Context: process context, under dev->ctl_lock.
 * Return: 0; -ENOMEM, with nothing changed; or the backend's negative errno.
 */
int zcblk_wc_power(struct zcblk_dev *dev, bool on, u32 mode, u64 seed,
		   struct netlink_ext_ack *extack)
{
	struct zcblk_wcache *wc = &dev->wc;
	unsigned int noio;
	int ret = 0;

	lockdep_assert_held(&dev->ctl_lock);
	mutex_lock(&wc->lock);
	if (on == !wc->off)
		goto out_unlock;
	if (on) {
		WRITE_ONCE(wc->off, false);
		if (dev->disk)
			invalidate_bdev(dev->disk->part0);
		goto out_unlock;
	}
	/*
	 * The cut allocates holding wc->lock, which every write to this disk
	 * waits for: reclaim must not write back through it meanwhile.
	 */
	noio = memalloc_noio_save();
	ret = zcblk_wc_cut(dev, mode, seed);
	memalloc_noio_restore(noio);
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
		zcblk_wc_forget_all(wc, false);
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
