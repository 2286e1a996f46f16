// SPDX-License-Identifier: GPL-2.0
/*
 * The mem backend: a sparse page store, as brd keeps one. Pages are
 * allocated on first write and freed by discard or write zeroes; a range
 * never written reads as zeros. Copying a segment to or from the store is
 * the media access itself, not a bounce.
 */
#include <linux/highmem.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"

#define ZCBLK_MEM_SECTOR_SHIFT	(PAGE_SHIFT - SECTOR_SHIFT)
#define ZCBLK_MEM_SECTORS	(1U << ZCBLK_MEM_SECTOR_SHIFT)

/*
 * Page lookups and copies run under rcu_read_lock(); a page leaves the
 * xarray (whose own lock serialises changes) before an RCU grace period
 * and only then is freed, so a concurrent copy never touches a freed page.
 */
struct zcblk_mem {
	struct xarray pages;		/* store page index -> struct page */
	atomic_long_t nr_pages;
};

static struct zcblk_mem *zcblk_mem(struct zcblk_dev *dev)
{
	return dev->backend_data;
}

/* Makes sure a page exists at @idx; false when out of memory. */
static bool zcblk_mem_alloc(struct zcblk_mem *mem, pgoff_t idx)
{
	struct page *page, *old;

	page = alloc_page(GFP_NOIO | __GFP_ZERO | __GFP_HIGHMEM | __GFP_NOWARN);
	if (!page)
		return false;
	old = xa_cmpxchg(&mem->pages, idx, NULL, page, GFP_NOIO);
	if (old) {
		__free_page(page);
		return !xa_is_err(old);
	}
	atomic_long_inc(&mem->nr_pages);
	return true;
}

/* Copies @len bytes between @bv_page at @bv_off and the store at @sector. */
static blk_status_t zcblk_mem_copy(struct zcblk_mem *mem, sector_t sector,
				   struct page *bv_page, unsigned int bv_off,
				   unsigned int len, bool write)
{
	while (len) {
		pgoff_t idx = sector >> ZCBLK_MEM_SECTOR_SHIFT;
		unsigned int off = (sector & (ZCBLK_MEM_SECTORS - 1)) <<
				   SECTOR_SHIFT;
		unsigned int n = min_t(unsigned int, len, PAGE_SIZE - off);
		struct page *page;

		rcu_read_lock();
		page = xa_load(&mem->pages, idx);
		if (write && page)
			memcpy_page(page, off, bv_page, bv_off, n);
		else if (page)
			memcpy_page(bv_page, bv_off, page, off, n);
		else if (!write)
			memzero_page(bv_page, bv_off, n);
		rcu_read_unlock();

		if (write && !page) {
			if (!zcblk_mem_alloc(mem, idx))
				return BLK_STS_RESOURCE;
			continue;	/* copy into the new page */
		}
		sector += n >> SECTOR_SHIFT;
		bv_off += n;
		len -= n;
	}
	return BLK_STS_OK;
}

static void zcblk_mem_zero_partial(struct zcblk_mem *mem, sector_t sector,
				   unsigned int len)
{
	unsigned int off = (sector & (ZCBLK_MEM_SECTORS - 1)) << SECTOR_SHIFT;
	struct page *page;

	rcu_read_lock();
	page = xa_load(&mem->pages, sector >> ZCBLK_MEM_SECTOR_SHIFT);
	if (page)
		memzero_page(page, off, len);
	rcu_read_unlock();
}

/*
 * Zeroes [sector, sector + nr_sects). Whole pages are freed when @unmap,
 * else zeroed in place; partial pages are always zeroed in place.
 */
static void zcblk_mem_zero(struct zcblk_mem *mem, sector_t sector,
			   sector_t nr_sects, bool unmap)
{
	sector_t end = sector + nr_sects;
	pgoff_t first = DIV_ROUND_UP_SECTOR_T(sector, ZCBLK_MEM_SECTORS);
	pgoff_t last = end >> ZCBLK_MEM_SECTOR_SHIFT;	/* exclusive */
	struct page *page;
	unsigned long idx;
	LIST_HEAD(freed);

	if (first >= last) {	/* within one page */
		zcblk_mem_zero_partial(mem, sector, nr_sects << SECTOR_SHIFT);
		return;
	}
	if (sector < (sector_t)first << ZCBLK_MEM_SECTOR_SHIFT)
		zcblk_mem_zero_partial(mem, sector,
			((first << ZCBLK_MEM_SECTOR_SHIFT) - sector) <<
			SECTOR_SHIFT);
	if (end > (sector_t)last << ZCBLK_MEM_SECTOR_SHIFT)
		zcblk_mem_zero_partial(mem, (sector_t)last <<
			ZCBLK_MEM_SECTOR_SHIFT,
			(end - ((sector_t)last << ZCBLK_MEM_SECTOR_SHIFT)) <<
			SECTOR_SHIFT);

	xa_for_each_range(&mem->pages, idx, page, first, last - 1) {
		if (!unmap) {
			/* Recheck: a racing discard may have freed it. */
			rcu_read_lock();
			if (xa_load(&mem->pages, idx) == page)
				memzero_page(page, 0, PAGE_SIZE);
			rcu_read_unlock();
			continue;
		}
		if (xa_erase(&mem->pages, idx) != page)
			continue;	/* a racing zero took it */
		list_add(&page->lru, &freed);
		atomic_long_dec(&mem->nr_pages);
	}
	if (list_empty(&freed))
		return;
	synchronize_rcu();
	while (!list_empty(&freed)) {
		page = list_first_entry(&freed, struct page, lru);
		list_del(&page->lru);
		__free_page(page);
	}
}

static blk_status_t zcblk_mem_rw(struct zcblk_mem *mem, struct request *rq)
{
	bool write = op_is_write(req_op(rq));
	sector_t sector = blk_rq_pos(rq);
	struct req_iterator iter;
	struct bio_vec bv;
	blk_status_t sts;

	rq_for_each_segment(bv, rq, iter) {
		sts = zcblk_mem_copy(mem, sector, bv.bv_page, bv.bv_offset,
				     bv.bv_len, write);
		if (sts)
			return sts;
		sector += bv.bv_len >> SECTOR_SHIFT;
	}
	return BLK_STS_OK;
}

static blk_status_t zcblk_mem_submit(struct zcblk_dev *dev,
				     struct request *rq)
{
	struct zcblk_mem *mem = zcblk_mem(dev);

	switch (req_op(rq)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		return zcblk_mem_rw(mem, rq);
	case REQ_OP_FLUSH:
		return BLK_STS_OK;	/* RAM has no volatile cache */
	case REQ_OP_DISCARD:
		zcblk_mem_zero(mem, blk_rq_pos(rq), blk_rq_sectors(rq), true);
		return BLK_STS_OK;
	case REQ_OP_WRITE_ZEROES:
		zcblk_mem_zero(mem, blk_rq_pos(rq), blk_rq_sectors(rq),
			       !(rq->cmd_flags & REQ_NOUNMAP));
		return BLK_STS_OK;
	default:
		return BLK_STS_NOTSUPP;
	}
}

static int zcblk_mem_open(struct zcblk_dev *dev, struct zcblk_limits *lim,
			  struct netlink_ext_ack *extack)
{
	struct zcblk_mem *mem;

	mem = kzalloc(sizeof(*mem), GFP_KERNEL);
	if (!mem)
		return -ENOMEM;
	xa_init(&mem->pages);
	atomic_long_set(&mem->nr_pages, 0);
	dev->backend_data = mem;

	lim->max_discard_sectors = round_down(UINT_MAX >> SECTOR_SHIFT,
					      dev->cfg.block_size >> SECTOR_SHIFT);
	lim->max_write_zeroes_sectors = lim->max_discard_sectors;
	return 0;
}

static void zcblk_mem_release(struct zcblk_dev *dev)
{
	struct zcblk_mem *mem = zcblk_mem(dev);
	struct page *page;
	unsigned long idx;

	xa_for_each(&mem->pages, idx, page)
		__free_page(page);
	xa_destroy(&mem->pages);
	kfree(mem);
	dev->backend_data = NULL;
}

static u64 zcblk_mem_alloc_bytes(struct zcblk_dev *dev)
{
	return (u64)atomic_long_read(&zcblk_mem(dev)->nr_pages) << PAGE_SHIFT;
}

const struct zcblk_backend_ops zcblk_mem_backend = {
	.name		= "mem",
	.blocking	= true,		/* allocates pages on first write */
	.open		= zcblk_mem_open,
	.release	= zcblk_mem_release,
	.submit		= zcblk_mem_submit,
	.alloc_bytes	= zcblk_mem_alloc_bytes,
};
