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
#include "meta.h"
#include "pi.h"

/*
 * Page lookups and copies run under rcu_read_lock(); a page leaves the
 * xarray (whose own lock serialises changes) before an RCU grace period
 * and only then is freed, so a concurrent copy never touches a freed page.
 */
struct zcblk_mem {
	struct xarray pages;		/* store page index -> struct page */
	atomic_long_t nr_pages;
	/*
	 * What a store page never written holds from @md_start on (U64_MAX
	 * without protection information): a page of each block's PI with
	 * the escape tags, so that blocks never written, deallocated or
	 * zeroed read back with their checks disabled, as the NVM Command
	 * Set says of deallocated blocks. Zeros before @md_start. Set at open
	 * and by Format NVM (nothing in flight then).
	 */
	u8 *fresh;
	u64 md_start;
};

static struct zcblk_mem *zcblk_mem(struct zcblk_dev *dev)
{
	return dev->backend_data;
}

/* What store byte @pos holds before it is written: NULL for zeros. */
static const u8 *zcblk_mem_fresh(struct zcblk_mem *mem, u64 pos)
{
	if (pos < mem->md_start)
		return NULL;
	return mem->fresh + offset_in_page(pos);
}

/* Makes @n bytes of @page at @off what store byte @pos held unwritten. */
static void zcblk_mem_fill(struct zcblk_mem *mem, u64 pos, struct page *page,
			   unsigned int off, unsigned int n)
{
	const u8 *fresh = zcblk_mem_fresh(mem, pos);

	if (fresh)
		memcpy_to_page(page, off, fresh, n);
	else
		memzero_page(page, off, n);
}

/* Does the store page (NULL: never written) differ from the buffer? */
static bool zcblk_mem_differs(struct zcblk_mem *mem, u64 pos,
			      struct page *page, struct page *bv_page,
			      unsigned int bv_off, unsigned int n)
{
	const u8 *fresh = zcblk_mem_fresh(mem, pos);
	char *buf = kmap_local_page(bv_page);
	bool differs;

	if (page) {
		char *store = kmap_local_page(page);

		differs = memcmp(store + offset_in_page(pos), buf + bv_off, n);
		kunmap_local(store);
	} else if (fresh) {
		differs = memcmp(fresh, buf + bv_off, n);
	} else {
		differs = memchr_inv(buf + bv_off, 0, n);
	}
	kunmap_local(buf);
	return differs;
}

/* Makes sure a page exists at @idx; false when out of memory. */
static bool zcblk_mem_alloc(struct zcblk_mem *mem, pgoff_t idx, gfp_t gfp)
{
	struct page *page, *old;

	page = alloc_page(gfp | __GFP_ZERO | __GFP_HIGHMEM | __GFP_NOWARN);
	if (!page)
		return false;
	if (zcblk_mem_fresh(mem, (u64)idx << PAGE_SHIFT))
		zcblk_mem_fill(mem, (u64)idx << PAGE_SHIFT, page, 0, PAGE_SIZE);
	old = xa_cmpxchg(&mem->pages, idx, NULL, page, gfp);
	if (old) {
		__free_page(page);
		return !xa_is_err(old);
	}
	atomic_long_inc(&mem->nr_pages);
	return true;
}

/*
 * Moves @len bytes between @bv_page at @bv_off and the store at byte @pos,
 * or compares them. Any byte alignment works.
 */
static enum zcblk_submit zcblk_mem_copy(struct zcblk_mem *mem, u64 pos,
					struct page *bv_page,
					unsigned int bv_off, unsigned int len,
					struct zcblk_io *io)
{
	bool write = io->op == ZCBLK_IO_WRITE;

	while (len) {
		pgoff_t idx = pos >> PAGE_SHIFT;
		unsigned int off = offset_in_page(pos);
		unsigned int n = min_t(unsigned int, len, PAGE_SIZE - off);
		struct page *page;

		rcu_read_lock();
		page = xa_load(&mem->pages, idx);
		if (io->op == ZCBLK_IO_COMPARE)
			io->miscompare |= zcblk_mem_differs(mem, pos, page,
							    bv_page, bv_off, n);
		else if (write && page)
			memcpy_page(page, off, bv_page, bv_off, n);
		else if (page)
			memcpy_page(bv_page, bv_off, page, off, n);
		else if (!write)
			zcblk_mem_fill(mem, pos, bv_page, bv_off, n);
		rcu_read_unlock();

		if (write && !page) {
			/* Rewriting what was copied so far is harmless. */
			if (zcblk_mem_alloc(mem, idx, io->nowait ?
					    GFP_NOWAIT | __GFP_NOWARN :
					    GFP_NOIO))
				continue;	/* copy into the new page */
			if (io->nowait)
				return ZCBLK_SUBMIT_DEFER;
			io->sts = BLK_STS_RESOURCE;
			return ZCBLK_SUBMIT_DONE;
		}
		pos += n;
		bv_off += n;
		len -= n;
	}
	return ZCBLK_SUBMIT_DONE;
}

/* Pages a long walk over the store handles between cond_resched() calls */
#define ZCBLK_MEM_RESCHED_PAGES	1024

/* Makes [pos, end) as never written, in place, allocating nothing. */
static void zcblk_mem_zero_bytes(struct zcblk_mem *mem, u64 pos, u64 end)
{
	while (pos < end) {
		unsigned int off = offset_in_page(pos);
		unsigned int n = min_t(u64, end - pos, PAGE_SIZE - off);
		struct page *page;

		rcu_read_lock();
		page = xa_load(&mem->pages, pos >> PAGE_SHIFT);
		if (page)
			zcblk_mem_fill(mem, pos, page, off, n);
		rcu_read_unlock();
		pos += n;
	}
}

/*
 * Makes [pos, pos + len) as never written (zeros). Whole pages are freed
 * when @unmap, else rewritten in place; partial pages are always rewritten
 * in place.
 */
static void zcblk_mem_zero(struct zcblk_mem *mem, u64 pos, u64 len,
			   bool unmap)
{
	u64 end = pos + len;
	pgoff_t first = DIV_ROUND_UP_ULL(pos, PAGE_SIZE);
	pgoff_t last = end >> PAGE_SHIFT;	/* exclusive */
	unsigned long idx, n = 0;
	struct page *page;
	LIST_HEAD(freed);

	if (first >= last) {	/* no whole page */
		zcblk_mem_zero_bytes(mem, pos, end);
		return;
	}
	zcblk_mem_zero_bytes(mem, pos, (u64)first << PAGE_SHIFT);
	zcblk_mem_zero_bytes(mem, (u64)last << PAGE_SHIFT, end);

	xa_for_each_range(&mem->pages, idx, page, first, last - 1) {
		/*
		 * Up to a whole disk's pages: a large range runs from the
		 * workqueue (zcblk_mem_submit()), one that fits queue_rq has
		 * fewer pages than this.
		 */
		if (!(++n % ZCBLK_MEM_RESCHED_PAGES))
			cond_resched();
		if (!unmap) {
			/* Recheck: a racing discard may have freed it. */
			rcu_read_lock();
			if (xa_load(&mem->pages, idx) == page)
				zcblk_mem_fill(mem, (u64)idx << PAGE_SHIFT,
					       page, 0, PAGE_SIZE);
			rcu_read_unlock();
			continue;
		}
		/*
		 * Only @page: a racing zero may have taken it, and a write
		 * put a new page there since, which stays.
		 */
		if (xa_cmpxchg(&mem->pages, idx, page, NULL, 0) != page)
			continue;
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
		if (!(++n % ZCBLK_MEM_RESCHED_PAGES))
			cond_resched();
	}
}

/*
 * Moves @len bytes at @off of an extended-LBA buffer: each block's data,
 * then its metadata, alternate in it.
 */
static enum zcblk_submit zcblk_mem_copy_ext(struct zcblk_dev *dev,
					    struct zcblk_io *io, u64 off,
					    struct page *bv_page,
					    unsigned int bv_off,
					    unsigned int len)
{
	u32 bs = dev->cfg.block_size, per = bs + dev->cfg.metadata_size;
	u64 slba = io->pos >> ilog2(bs);
	enum zcblk_submit ret;

	while (len) {
		u32 r;
		u64 blk = div_u64_rem(off, per, &r);
		u64 pos = r < bs ? io->pos + blk * bs + r :
				   zcblk_md_pos(dev, slba + blk) + r - bs;
		unsigned int n = min(len, (r < bs ? bs : per) - r);

		ret = zcblk_mem_copy(zcblk_mem(dev), pos, bv_page, bv_off, n,
				     io);
		if (ret != ZCBLK_SUBMIT_DONE || io->sts)
			return ret;
		off += n;
		bv_off += n;
		len -= n;
	}
	return ZCBLK_SUBMIT_DONE;
}

static enum zcblk_submit zcblk_mem_rw(struct zcblk_dev *dev,
				      struct zcblk_io *io)
{
	struct zcblk_mem *mem = zcblk_mem(dev);
	bool ext = io->md_ext;
	struct req_iterator iter;
	enum zcblk_submit ret;
	struct bio_vec bv;
	unsigned int i;
	u64 off = 0;

	rq_for_each_segment(bv, io->rq, iter) {
		if (ext)
			ret = zcblk_mem_copy_ext(dev, io, off, bv.bv_page,
						 bv.bv_offset, bv.bv_len);
		else
			ret = zcblk_mem_copy(mem, io->pos + off, bv.bv_page,
					     bv.bv_offset, bv.bv_len, io);
		if (ret != ZCBLK_SUBMIT_DONE || io->sts)
			return ret;
		off += bv.bv_len;
	}
	if (!io->md_nr)
		return ZCBLK_SUBMIT_DONE;
	off = zcblk_md_pos(dev, io->pos >> ilog2(dev->cfg.block_size));
	for (i = 0; i < io->md_nr; i++) {
		const struct bio_vec *md = &io->md_bvecs[i];

		ret = zcblk_mem_copy(mem, off, md->bv_page, md->bv_offset,
				     md->bv_len, io);
		if (ret != ZCBLK_SUBMIT_DONE || io->sts)
			return ret;
		off += md->bv_len;
	}
	return ZCBLK_SUBMIT_DONE;
}

/* Zeroes blocks' data and, with it, their metadata. */
static void zcblk_mem_zero_blocks(struct zcblk_dev *dev, u64 pos, u64 len,
				  bool unmap)
{
	u32 shift = ilog2(dev->cfg.block_size), ms = zcblk_md_size(dev);

	zcblk_mem_zero(zcblk_mem(dev), pos, len, unmap);
	if (ms)
		zcblk_mem_zero(zcblk_mem(dev), zcblk_md_pos(dev, pos >> shift),
			       (len >> shift) * ms, unmap);
}

/* Pages one walk of the store looks up, for Copy */
#define ZCBLK_MEM_BATCH		32

/* @nr store pages from index @first into @pages (NULL: a hole), in RCU. */
static void zcblk_mem_gather(struct zcblk_mem *mem, pgoff_t first,
			     unsigned int nr, struct page **pages)
{
	XA_STATE(xas, &mem->pages, first);
	struct page *page;

	memset(pages, 0, nr * sizeof(*pages));
	xas_for_each(&xas, page, first + nr - 1) {
		if (xas_retry(&xas, page))
			continue;
		pages[xas.xa_index - first] = page;
	}
}

/*
 * @len bytes at store byte @src to @dst, page to page, the ranges apart,
 * a batch of pages a walk: a source page never written reads as such, so
 * its target is made so where it exists and left a hole where not (both
 * ranges are data, or both metadata at a block's start).
 */
static int zcblk_mem_copy_store(struct zcblk_mem *mem, u64 dst, u64 src,
				u64 len)
{
	/* A batch's bytes span one page more when not page aligned. */
	struct page *sp[ZCBLK_MEM_BATCH + 1], *dp[ZCBLK_MEM_BATCH + 1];

	while (len) {
		pgoff_t s0 = src >> PAGE_SHIFT, d0 = dst >> PAGE_SHIFT;
		u64 blen = min_t(u64, len, ZCBLK_MEM_BATCH * PAGE_SIZE);
		pgoff_t missing = ULONG_MAX;
		u64 done = 0;

		rcu_read_lock();
		zcblk_mem_gather(mem, s0, ARRAY_SIZE(sp), sp);
		zcblk_mem_gather(mem, d0, ARRAY_SIZE(dp), dp);
		while (done < blen) {
			u64 s = src + done, d = dst + done;
			unsigned int so = offset_in_page(s);
			unsigned int doff = offset_in_page(d);
			unsigned int n = min_t(u64, blen - done,
					       PAGE_SIZE - max(so, doff));
			struct page *from = sp[(s >> PAGE_SHIFT) - s0];
			struct page *to = dp[(d >> PAGE_SHIFT) - d0];

			if (from && !to) {
				missing = d >> PAGE_SHIFT;
				break;
			}
			if (from)
				memcpy_page(to, doff, from, so, n);
			else if (to)
				zcblk_mem_fill(mem, d, to, doff, n);
			done += n;
		}
		rcu_read_unlock();
		src += done;
		dst += done;
		len -= done;
		/* Then copy into the new page: the batch again from there. */
		if (missing != ULONG_MAX &&
		    !zcblk_mem_alloc(mem, missing, GFP_NOIO))
			return -ENOMEM;
		cond_resched();
	}
	return 0;
}

/*
 * Copy (COPY): the data and each block's metadata, store to store.
 * Overlapping ranges take copy.c's bounce, which orders its chunks.
 */
static enum zcblk_submit zcblk_mem_copy_blocks(struct zcblk_dev *dev,
					       struct zcblk_io *io)
{
	u32 shift = ilog2(dev->cfg.block_size), ms = zcblk_md_size(dev);
	struct zcblk_mem *mem = zcblk_mem(dev);
	int ret;

	if (io->src < io->pos + io->len && io->pos < io->src + io->len)
		return zcblk_copy_bytes(dev, io);
	if (io->nowait)
		return ZCBLK_SUBMIT_DEFER;
	ret = zcblk_mem_copy_store(mem, io->pos, io->src, io->len);
	if (!ret && ms)
		ret = zcblk_mem_copy_store(mem,
					   zcblk_md_pos(dev, io->pos >> shift),
					   zcblk_md_pos(dev, io->src >> shift),
					   (io->len >> shift) * ms);
	if (ret)
		io->sts = errno_to_blk_status(ret);
	else
		zcblk_stat_add(dev, copied_bytes, io->len);
	return ZCBLK_SUBMIT_DONE;
}

/* Write Zeroes (NOUNMAP) up to this size zero in queue_rq's context. */
#define ZCBLK_MEM_ZERO_INLINE	(128 * 1024)

/**
 * zcblk_mem_submit() - the mem backend's submit()
 * @dev: the disk
 * @io: the operation
 *
 * Not static: submit.c calls it directly (zcblk_backend_submit()).
 *
 * Context: as backend.h's submit().
 * Return: the outcome.
 */
enum zcblk_submit zcblk_mem_submit(struct zcblk_dev *dev, struct zcblk_io *io)
{
	enum zcblk_submit ret;
	bool unmap;

	switch (io->op) {
	case ZCBLK_IO_READ:
	case ZCBLK_IO_WRITE:
		ret = zcblk_mem_rw(dev, io);
		/* The copy is the media access; counted all the same. */
		if (ret == ZCBLK_SUBMIT_DONE)
			zcblk_stat_add(dev, copied_bytes, io->len);
		return ret;
	case ZCBLK_IO_COMPARE:
		return zcblk_mem_rw(dev, io);
	case ZCBLK_IO_FLUSH:
		return ZCBLK_SUBMIT_DONE;	/* RAM has no volatile cache */
	case ZCBLK_IO_DISCARD:
	case ZCBLK_IO_WRITE_ZEROES:
		unmap = io->op == ZCBLK_IO_DISCARD || io->unmap;
		/*
		 * Freeing pages waits for an RCU grace period, and zeroing
		 * a large range is long work for queue_rq's context.
		 */
		if ((unmap || io->len > ZCBLK_MEM_ZERO_INLINE) && io->nowait)
			return ZCBLK_SUBMIT_DEFER;
		zcblk_mem_zero_blocks(dev, io->pos, io->len, unmap);
		return ZCBLK_SUBMIT_DONE;
	case ZCBLK_IO_COPY:
		return zcblk_mem_copy_blocks(dev, io);
	case ZCBLK_IO_VERIFY:		/* never here: submit.c */
		break;
	}
	io->sts = BLK_STS_NOTSUPP;
	return ZCBLK_SUBMIT_DONE;
}

/*
 * Metadata as never written on a disk with protection information: each
 * block's PI has the guard of a block of zeros (DLFEAT bit 4) and the
 * escape tags, the application tag's and the reference tag's bits all
 * ones. Zeros without PI.
 */
static void zcblk_mem_set_fresh(struct zcblk_dev *dev)
{
	struct zcblk_mem *mem = zcblk_mem(dev);
	u32 ms = zcblk_md_size(dev), pisz = zcblk_pi_size(&dev->cfg);
	u32 gsz = zcblk_pi_guard_size(&dev->cfg), off, i;
	u64 guard;

	memset(mem->fresh, 0, PAGE_SIZE);
	mem->md_start = U64_MAX;
	/* meta.c refuses other sizes; each divides a page */
	if (!dev->cfg.pi_type || ms < pisz || PAGE_SIZE % ms)
		return;
	off = zcblk_pi_offset(&dev->cfg);
	/* The data's zeros, then the metadata's before the PI */
	guard = zcblk_pi_crc(&dev->cfg, 0, mem->fresh, dev->cfg.block_size);
	guard = zcblk_pi_crc(&dev->cfg, guard, mem->fresh, off);
	for (i = 0; i < PAGE_SIZE; i += ms) {
		if (gsz == 8)
			put_unaligned_be64(guard, mem->fresh + i + off);
		else
			put_unaligned_be16(guard, mem->fresh + i + off);
		memset(mem->fresh + i + off + gsz, 0xff, pisz - gsz);
	}
	mem->md_start = zcblk_md_pos(dev, 0);
}

static int zcblk_mem_open(struct zcblk_dev *dev, struct zcblk_limits *lim,
			  struct netlink_ext_ack *extack)
{
	struct zcblk_mem *mem;

	mem = kzalloc(sizeof(*mem), GFP_KERNEL);
	if (!mem)
		return -ENOMEM;
	mem->fresh = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!mem->fresh) {
		kfree(mem);
		return -ENOMEM;
	}
	xa_init(&mem->pages);
	atomic_long_set(&mem->nr_pages, 0);
	dev->backend_data = mem;
	zcblk_mem_set_fresh(dev);

	lim->max_discard_sectors = round_down(UINT_MAX >> SECTOR_SHIFT,
					      dev->cfg.block_size >> SECTOR_SHIFT);
	lim->max_write_zeroes_sectors = lim->max_discard_sectors;
	return 0;
}

/* Frees the whole store, nothing in flight (release, Format NVM). */
static void zcblk_mem_free_all(struct zcblk_mem *mem)
{
	unsigned long idx, n = 0;
	struct page *page;

	xa_for_each(&mem->pages, idx, page) {
		__free_page(page);
		if (!(++n % ZCBLK_MEM_RESCHED_PAGES))
			cond_resched();	/* as brd: up to the whole store */
	}
	xa_destroy(&mem->pages);	/* empty, and usable again */
	atomic_long_set(&mem->nr_pages, 0);
}

static void zcblk_mem_release(struct zcblk_dev *dev)
{
	struct zcblk_mem *mem = zcblk_mem(dev);

	zcblk_mem_free_all(mem);
	kfree(mem->fresh);
	kfree(mem);
	dev->backend_data = NULL;
}

/* Format NVM: everything erased, for the new format (nothing in flight). */
static void zcblk_mem_format(struct zcblk_dev *dev)
{
	zcblk_mem_free_all(zcblk_mem(dev));
	zcblk_mem_set_fresh(dev);
}

static u64 zcblk_mem_alloc_bytes(struct zcblk_dev *dev)
{
	return (u64)atomic_long_read(&zcblk_mem(dev)->nr_pages) << PAGE_SHIFT;
}

/* Would writing @buf at store byte @pos change what a hole reads? */
static bool zcblk_mem_changes(struct zcblk_mem *mem, u64 pos, const void *buf,
			      size_t n)
{
	const u8 *fresh = zcblk_mem_fresh(mem, pos);

	return fresh ? memcmp(buf, fresh, n) : !!memchr_inv(buf, 0, n);
}

/* The write cache's pre-images (wcache.c): a copy to or from the store. */
static int zcblk_mem_data_rw(struct zcblk_dev *dev, bool write, u64 pos,
			     void *buf, size_t len)
{
	struct zcblk_mem *mem = zcblk_mem(dev);

	while (len) {
		pgoff_t idx = pos >> PAGE_SHIFT;
		unsigned int off = offset_in_page(pos);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		struct page *page;

		rcu_read_lock();
		page = xa_load(&mem->pages, idx);
		if (page && write)
			memcpy_to_page(page, off, buf, n);
		else if (page)
			memcpy_from_page(buf, page, off, n);
		else if (!write && zcblk_mem_fresh(mem, pos))
			memcpy(buf, zcblk_mem_fresh(mem, pos), n);
		else if (!write)
			memset(buf, 0, n);
		rcu_read_unlock();
		if (!page && write && zcblk_mem_changes(mem, pos, buf, n)) {
			if (!zcblk_mem_alloc(mem, idx, GFP_NOIO))
				return -ENOMEM;
			continue;	/* copy into the new page */
		}
		pos += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Puts @nr pages back in the store from @first on; allocates nothing. */
static void zcblk_mem_put_back(struct zcblk_mem *mem, pgoff_t first,
			       struct page **pages, unsigned int nr)
{
	struct page *back;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		back = pages[i];
		pages[i] = xa_store(&mem->pages, first + i, back, 0);
		if (!back)
			atomic_long_dec(&mem->nr_pages);
	}
}

/*
 * The write cache's writes (wcache.c): the data into the caller's pages,
 * which then replace the store's, so that what the blocks held before is
 * kept without a copy. A reader sees the old page or the new one, each
 * whole.
 */
static enum zcblk_submit zcblk_mem_write_swap(struct zcblk_dev *dev,
					      struct zcblk_io *io,
					      struct page **pages)
{
	struct zcblk_mem *mem = zcblk_mem(dev);
	pgoff_t first = io->pos >> PAGE_SHIFT;
	unsigned int nr = io->len >> PAGE_SHIFT, i;
	struct req_iterator iter;
	struct page *old;
	struct bio_vec bv;
	u64 off = 0;

	/* bv is the iterator's: it advances by bv.bv_len */
	rq_for_each_segment(bv, io->rq, iter) {
		unsigned int bo = bv.bv_offset, left = bv.bv_len;

		while (left) {
			unsigned int po = offset_in_page(off);
			unsigned int n = min_t(unsigned int, left, PAGE_SIZE - po);

			memcpy_page(pages[off >> PAGE_SHIFT], po, bv.bv_page,
				    bo, n);
			bo += n;
			left -= n;
			off += n;
		}
	}
	for (i = 0; i < nr; i++) {
		/* Replacing a page allocates nothing; filling a hole may. */
		old = xa_store(&mem->pages, first + i, pages[i], io->nowait ?
			       GFP_NOWAIT | __GFP_NOWARN : GFP_NOIO);
		if (xa_is_err(old)) {
			/* Holes again where there were: nothing allocated */
			zcblk_mem_put_back(mem, first, pages, i);
			if (io->nowait)
				return ZCBLK_SUBMIT_DEFER;
			io->sts = BLK_STS_RESOURCE;
			return ZCBLK_SUBMIT_DONE;
		}
		if (!old)
			atomic_long_inc(&mem->nr_pages);
		pages[i] = old;
	}
	zcblk_stat_add(dev, copied_bytes, io->len);
	return ZCBLK_SUBMIT_DONE;
}

const struct zcblk_backend_ops zcblk_mem_backend = {
	.name		= "mem",
	.may_defer	= true,		/* allocating and freeing may sleep */
	.zeroes_after_discard = true,
	.compare	= true,
	.open		= zcblk_mem_open,
	.release	= zcblk_mem_release,
	.submit		= zcblk_mem_submit,
	.format		= zcblk_mem_format,
	.alloc_bytes	= zcblk_mem_alloc_bytes,
	.data_rw	= zcblk_mem_data_rw,
	.write_swap	= zcblk_mem_write_swap,
};
