// SPDX-License-Identifier: GPL-2.0
/*
 * Zero-copy mapping of passthrough buffers: user pages pinned with
 * FOLL_PIN (or io_uring's registered bvecs) become the bvecs of a bio of
 * our own, attached to the request. No bounce buffer, ever; no
 * blk_rq_map_user*(), which takes FOLL_GET references on 6.1 and bounces
 * misaligned buffers.
 *
 * The bio and the pages live in a map slot of the disk's pool, not in the
 * request: the request ends at end_io, the pages are unpinned when the
 * submitter's task completes the command. The pool bounds how many
 * commands hold pins, and its budget how many pages they hold.
 */
#include <linux/blkdev.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "dev.h"
#include "pin.h"

static DEFINE_PER_CPU(struct zcblk_pins_pcpu, zcblk_pins_total);

/* A disk's counter, and the module's on this CPU (field @f). */
#define zcblk_count(dev_ctr, f, n)					\
	do {								\
		atomic64_add((n), (dev_ctr));				\
		this_cpu_add(zcblk_pins_total.f, (n));			\
	} while (0)

/**
 * zcblk_pins_total_sum() - the module-wide pin counters
 * @pinned: set to the pages pinned
 * @unpinned: set to the pages unpinned again
 * @fixed_bytes: set to the bytes of registered buffers mapped
 *
 * The unpinned pages are summed first: a sum taken while pages come and go
 * may be above what was pinned at any one moment, never below, and reads
 * as nothing pinned only when nothing is.
 *
 * Context: any context.
 */
void zcblk_pins_total_sum(s64 *pinned, s64 *unpinned, s64 *fixed_bytes)
{
	u64 p = 0, u = 0, f = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		u += READ_ONCE(per_cpu_ptr(&zcblk_pins_total, cpu)->unpinned);
	smp_rmb();	/* the unpinned sum before the pinned one */
	for_each_possible_cpu(cpu) {
		const struct zcblk_pins_pcpu *c = per_cpu_ptr(&zcblk_pins_total,
							      cpu);

		p += READ_ONCE(c->pinned);
		f += READ_ONCE(c->fixed_bytes);
	}
	*pinned = p;
	*unpinned = u;
	*fixed_bytes = f;
}

/**
 * zcblk_map_pool_init() - set up a disk's map slots and pin budget
 * @pool: the disk's pool
 * @tags: the requests of the disk's tag set, which size both (pin.h)
 *
 * Context: process context; may sleep.
 * Return: 0, or -ENOMEM.
 */
int zcblk_map_pool_init(struct zcblk_map_pool *pool, unsigned int tags)
{
	unsigned int i;

	spin_lock_init(&pool->lock);
	init_waitqueue_head(&pool->wait);
	pool->nr = min_t(unsigned int, 2 * tags, ZCBLK_MAX_MAPS);
	pool->budget = ZCBLK_PIN_BUDGET(tags);
	atomic_long_set(&pool->reserved, 0);
	pool->cache = alloc_percpu(struct zcblk_map *);
	if (!pool->cache)
		return -ENOMEM;
	pool->maps = kvcalloc(pool->nr, sizeof(*pool->maps), GFP_KERNEL);
	if (!pool->maps)
		return -ENOMEM;	/* the cache goes with the disk */
	pool->free = NULL;
	for (i = 0; i < pool->nr; i++) {
		pool->maps[i].next_free = pool->free;
		pool->free = &pool->maps[i];
	}
	return 0;
}

/**
 * zcblk_map_pool_free() - free a disk's map slots
 * @pool: the disk's pool
 *
 * With the disk object: every slot is back by then (open files hold it).
 *
 * Context: process context, from the last zcblk_dev_put().
 */
void zcblk_map_pool_free(struct zcblk_map_pool *pool)
{
	WARN_ON_ONCE(atomic_long_read(&pool->reserved));
	kvfree(pool->maps);
	pool->maps = NULL;
	free_percpu(pool->cache);
	pool->cache = NULL;
}

/**
 * zcblk_map_pool_wake() - wake whoever waits for a slot or budget
 * @pool: the disk's pool
 *
 * Removal: waiters give up (they see the disk is no longer LIVE).
 *
 * Context: any context.
 */
void zcblk_map_pool_wake(struct zcblk_map_pool *pool)
{
	wake_up_all(&pool->wait);
}

/* A free slot: this CPU's cached one, else the list's, else any CPU's. */
static struct zcblk_map *zcblk_map_take(struct zcblk_map_pool *pool)
{
	struct zcblk_map *map = xchg(zcblk_map_cache(pool), NULL);
	int cpu;

	if (likely(map))
		return map;
	spin_lock(&pool->lock);
	map = pool->free;
	if (map)
		pool->free = map->next_free;
	spin_unlock(&pool->lock);
	if (map)
		return map;
	/* The list is empty: a slot may sit in another CPU's cache. */
	for_each_possible_cpu(cpu) {
		map = xchg(per_cpu_ptr(pool->cache, cpu), NULL);
		if (map)
			return map;
	}
	return NULL;
}

static struct zcblk_map *zcblk_map_try(struct zcblk_map_pool *pool,
				       unsigned long pages)
{
	struct zcblk_map *map;

	if (!zcblk_map_reserve(pool, pages))
		return NULL;
	map = zcblk_map_take(pool);
	if (unlikely(!map)) {
		if (pages)
			atomic_long_sub(pages, &pool->reserved);
		return NULL;
	}
	return zcblk_map_claim(map, pages);
}

/**
 * zcblk_map_put_slow() - give back a map slot this CPU's cache has no room for
 * @pool: the disk's pool
 * @map: the slot, whose pages are unpinned and budget returned
 *
 * Context: task context: the pool's lock does not disable interrupts.
 */
void zcblk_map_put_slow(struct zcblk_map_pool *pool, struct zcblk_map *map)
{
	spin_lock(&pool->lock);
	map->next_free = pool->free;
	pool->free = map;
	spin_unlock(&pool->lock);
	zcblk_map_wake(pool);
}

/**
 * zcblk_map_get_slow() - take a map slot with a share of the pin budget
 * @dev: the disk
 * @pages: how many pages of the disk's pin budget the slot holds
 * @nowait: fail rather than wait
 *
 * If none is free: -EAGAIN when @nowait (io_uring retries from a worker),
 * else wait for one. The wait is interruptible, so that a submitter whose own
 * unreaped commands hold the slots runs its task work (it is woken for that),
 * and it rechecks now and then for the notifications that do not wake it
 * (COOP_TASKRUN).
 *
 * Context: task context; may sleep unless @nowait.
 * Return: the slot, or ERR_PTR() of -EAGAIN (@nowait), -ENODEV (the disk is
 * going away), -ERESTARTSYS (a signal) or -EINVAL (more than the whole
 * budget).
 */
struct zcblk_map *zcblk_map_get_slow(struct zcblk_dev *dev,
				     unsigned long pages, bool nowait)
{
	struct zcblk_map_pool *pool = &dev->maps;
	struct zcblk_map *map;

	if (pages > pool->budget)
		return ERR_PTR(-EINVAL);	/* never happens: see the bound */
	map = zcblk_map_try(pool, pages);
	if (map)
		return map;
	if (nowait)
		return ERR_PTR(-EAGAIN);
	for (;;) {
		long ret;

		ret = wait_event_interruptible_timeout(pool->wait,
				(map = zcblk_map_try(pool, pages)) ||
				!zcblk_dev_live(dev), HZ / 10);
		if (map)
			return map;
		if (!zcblk_dev_live(dev))
			return ERR_PTR(-ENODEV);
		if (ret < 0 || signal_pending(current))
			return ERR_PTR(-ERESTARTSYS);
	}
}

/*
 * Arrays for @nr entries: the inline ones when they fit. @gfp GFP_NOWAIT
 * for a caller that holds a request: reclaim could wait on its tag.
 */
static int zcblk_map_arrays(struct zcblk_map *map, unsigned int nr,
			    gfp_t gfp)
{
	map->bvecs = map->inline_bvecs;
	map->pages = map->inline_pages;
	if (nr <= ZCBLK_INLINE_PAGES)
		return 0;
	map->bvecs = kvmalloc_array(nr, sizeof(*map->bvecs), gfp);
	if (!map->bvecs)
		goto err_inline;
	map->pages = kvmalloc_array(nr, sizeof(*map->pages), gfp);
	if (map->pages)
		return 0;
	kvfree(map->bvecs);
err_inline:
	map->bvecs = map->inline_bvecs;
	map->pages = map->inline_pages;
	return -ENOMEM;
}

static void zcblk_map_free_arrays(struct zcblk_map *map)
{
	if (map->bvecs != map->inline_bvecs)
		kvfree(map->bvecs);
	if (map->pages != map->inline_pages)
		kvfree(map->pages);
	map->bvecs = map->inline_bvecs;
	map->pages = map->inline_pages;
}

/**
 * zcblk_map_user() - pin a user buffer into a map slot and build its bio
 * @dev: the disk, for the pin counters
 * @map: a slot that holds the buffer's pages of the budget
 *       (zcblk_map_user_pages())
 * @opf: the request's operation
 * @segs: the buffer's segments
 * @nr_segs: the number of @segs
 * @nofault: fail on pages that are not there instead of faulting them in,
 *           and on memory that is not free at once (-ENOMEM) instead of
 *           reclaiming it
 *
 * The caller has checked the lengths against the command's limits. Pages the
 * device will write are pinned with FOLL_WRITE. Faulting pages in may take as
 * long as their owner likes (userfaultfd, FUSE): @nofault is for a caller
 * that holds a request.
 *
 * Context: the task whose buffer it is; may sleep.
 * Return: 0, or a negative errno: -EFAULT for pages that cannot be pinned or,
 * with @nofault, are not there; -ENOMEM.
 */
int zcblk_map_user(struct zcblk_dev *dev, struct zcblk_map *map,
		   blk_opf_t opf, const struct iovec *segs,
		   unsigned int nr_segs, bool nofault)
{
	bool dev_writes = (opf & REQ_OP_MASK) == REQ_OP_DRV_IN;
	unsigned int nr_pages = map->nr_reserved, done = 0, i;
	unsigned int size = 0;	/* at most ZCBLK_MAX_TRANSFER */
	int ret;

	ret = zcblk_map_arrays(map, nr_pages, nofault ?
			       GFP_NOWAIT | __GFP_NOWARN : GFP_KERNEL);
	if (ret)
		return ret;

	for (i = 0; i < nr_segs; i++) {
		unsigned long base = (unsigned long)segs[i].iov_base;
		int n;

		if (!segs[i].iov_len)
			continue;
		n = DIV_ROUND_UP(offset_in_page(base) + segs[i].iov_len,
				 PAGE_SIZE);
		ret = pin_user_pages_fast(base & PAGE_MASK, n,
					  (dev_writes ? FOLL_WRITE : 0) |
					  (nofault ? FOLL_NOFAULT : 0),
					  map->pages + done);
		if (ret > 0)
			done += ret;
		if (ret != n) {
			/* 6.12 says -EOVERFLOW for a range that wraps */
			ret = ret < 0 && ret != -EOVERFLOW ? ret : -EFAULT;
			goto err_unpin;
		}
	}
	zcblk_count(&dev->pins.pinned, pinned, done);
	map->nr_pinned = done;
	map->dirty = dev_writes;

	/*
	 * No block device, as the NVMe driver's passthrough bios: with one,
	 * bio_init() would tie the bio to a blk-cgroup (a lookup and a
	 * reference per command), which passthrough requests do not use.
	 * One bvec per page, filled in place: the array has room for every
	 * page, and bio_add_page()'s checks and merging would cost each
	 * command instructions for nothing the backends need.
	 */
	bio_init(&map->bio, NULL, map->bvecs, nr_pages, opf);
	for (i = 0, done = 0; i < nr_segs; i++) {
		unsigned long base = (unsigned long)segs[i].iov_base;
		unsigned int off = offset_in_page(base);
		size_t left = segs[i].iov_len;

		while (left) {
			unsigned int len = min_t(size_t, left, PAGE_SIZE - off);

			map->bvecs[done] = (struct bio_vec){
				.bv_page = map->pages[done],
				.bv_len = len,
				.bv_offset = off,
			};
			done++;
			size += len;
			left -= len;
			off = 0;
		}
	}
	map->bio.bi_vcnt = done;
	map->bio.bi_iter.bi_size = size;
	return 0;

err_unpin:
	unpin_user_pages(map->pages, done);
	zcblk_map_free_arrays(map);
	return ret;
}

/**
 * zcblk_map_md() - pin a command's separate metadata buffer into its slot
 * @dev: the disk, for the pin counters
 * @map: the command's slot (its data already mapped, if it has any)
 * @opf: the request's operation
 * @uaddr: the user address of the metadata
 * @len: its length, at most ZCBLK_MD_PAGES pages' worth wherever it starts
 * @nofault: as zcblk_map_user()
 *
 * The pages go in @map's metadata bvecs, one per page, unpinned with the
 * data by zcblk_map_release().
 *
 * Context: the task whose buffer it is; may sleep.
 * Return: 0, or -EFAULT for pages that cannot be pinned or, with @nofault,
 * are not there.
 */
int zcblk_map_md(struct zcblk_dev *dev, struct zcblk_map *map,
		 blk_opf_t opf, u64 uaddr, u32 len, bool nofault)
{
	bool dev_writes = (opf & REQ_OP_MASK) == REQ_OP_DRV_IN;
	unsigned int off = offset_in_page(uaddr), i;
	int n = DIV_ROUND_UP(off + len, PAGE_SIZE), ret;

	/* The caller bounds @len by the largest transfer; be sure. */
	if (n > ZCBLK_MD_PAGES)
		return -EINVAL;
	ret = pin_user_pages_fast(uaddr & PAGE_MASK, n,
				  (dev_writes ? FOLL_WRITE : 0) |
				  (nofault ? FOLL_NOFAULT : 0), map->md_pages);
	if (ret != n) {
		if (ret > 0)
			unpin_user_pages(map->md_pages, ret);
		/* 6.12 says -EOVERFLOW for a range that wraps */
		return ret < 0 && ret != -EOVERFLOW ? ret : -EFAULT;
	}
	zcblk_count(&dev->pins.pinned, pinned, n);
	map->md_nr = n;
	map->dirty = dev_writes;
	for (i = 0; i < n; i++) {
		unsigned int chunk = min_t(u32, len, PAGE_SIZE - off);

		map->md_bvecs[i] = (struct bio_vec){
			.bv_page = map->md_pages[i],
			.bv_len = chunk,
			.bv_offset = off,
		};
		len -= chunk;
		off = 0;
	}
	return 0;
}

/**
 * zcblk_count_fixed() - count bytes of registered buffers a command maps
 * @dev: the disk
 * @bytes: how many: io_uring pinned them, not zcblk
 *
 * Once the command can no longer fail to start: one that io-wq issues
 * again after -EAGAIN is counted once.
 */
void zcblk_count_fixed(struct zcblk_dev *dev, size_t bytes)
{
	zcblk_stat_add(dev, fixed_bytes, bytes);
	this_cpu_add(zcblk_pins_total.fixed_bytes, bytes);
}

/**
 * zcblk_map_md_bvec() - separate metadata inside a registered buffer
 * @md: ZCBLK_MD_PAGES bvecs, in the request's pdu
 * @iter: the ITER_BVEC io_uring imported, of the metadata's length
 *
 * The same pages as zcblk_map_md() would pin, one bvec a page, since the
 * backends map them a page at a time; a registered buffer's bvec may hold
 * a whole huge page. Nothing pinned, as for zcblk_map_bvec().
 *
 * Return: the bvecs used, at most ZCBLK_MD_PAGES (the caller bounds the
 * length so), or -EINVAL.
 */
int zcblk_map_md_bvec(struct bio_vec *md, const struct iov_iter *iter)
{
	const struct bio_vec *bv = iter->bvec;
	size_t skip = iter->iov_offset, left = iov_iter_count(iter);
	unsigned int n = 0;

	while (left) {
		size_t off, len;

		if (skip >= bv->bv_len) {
			skip -= bv->bv_len;
			bv++;
			continue;
		}
		if (n == ZCBLK_MD_PAGES)
			return -EINVAL;
		off = bv->bv_offset + skip;
		len = min3(left, (size_t)bv->bv_len - skip,
			   (size_t)(PAGE_SIZE - offset_in_page(off)));
		md[n++] = (struct bio_vec){
			.bv_page = nth_page(bv->bv_page, off >> PAGE_SHIFT),
			.bv_offset = offset_in_page(off),
			.bv_len = len,
		};
		skip += len;
		left -= len;
	}
	return n;
}

/**
 * zcblk_map_bvec() - build a bio over a registered buffer
 * @bio: the bio, in the request's pdu
 * @opf: the request's operation
 * @iter: the ITER_BVEC io_uring imported, of the command's length
 * @align: the alignment each segment needs (0: any)
 *
 * io_uring pinned those pages at registration and keeps them until the CQE is
 * posted: we take no pin and drop none, and nothing of the command outlives
 * its request, so the bio lives in the request (no map slot).
 *
 * Return: 0, or -EINVAL if a segment is not aligned to @align.
 */
int zcblk_map_bvec(struct bio *bio, blk_opf_t opf, struct iov_iter *iter,
		   unsigned int align)
{
	const struct bio_vec *first = iter->bvec, *bv;
	size_t skip = iter->iov_offset, left = iov_iter_count(iter);

	while (left && skip >= first->bv_len) {
		skip -= first->bv_len;
		first++;
	}
	for (bv = first; align && left; bv++) {
		size_t len = min_t(size_t, bv->bv_len - (bv == first ? skip : 0),
				   left);

		if (((bv->bv_offset + (bv == first ? skip : 0)) | len) &
		    (align - 1))
			return -EINVAL;
		left -= len;
	}
	/*
	 * The bio uses io_uring's bvecs themselves, as bio_iov_bvec_set()
	 * does for the block path: nothing copied per page, no array to
	 * allocate. io_uring keeps them until the CQE is posted.
	 */
	bio_init(bio, NULL, NULL, 0, opf);
	bio->bi_io_vec = (struct bio_vec *)first;
	bio->bi_vcnt = iter->nr_segs - (first - iter->bvec);
	bio->bi_iter.bi_bvec_done = skip;
	bio->bi_iter.bi_size = iov_iter_count(iter);
	bio_set_flag(bio, BIO_CLONED);
	return 0;
}

/**
 * zcblk_map_release() - unpin a map slot's pages and give the slot back
 * @dev: the disk
 * @map: the slot
 *
 * Once the request that carried @map has ended or was never executed: unpins,
 * then zcblk_map_put().
 *
 * Context: process context; may sleep (dirtying the pages may).
 */
void zcblk_map_release(struct zcblk_dev *dev, struct zcblk_map *map)
{
	if (map->nr_pinned) {
		unpin_user_pages_dirty_lock(map->pages, map->nr_pinned,
					    map->dirty);
		zcblk_count(&dev->pins.unpinned, unpinned,
			    map->nr_pinned);
		map->nr_pinned = 0;
	}
	if (map->md_nr) {
		unpin_user_pages_dirty_lock(map->md_pages, map->md_nr,
					    map->dirty);
		zcblk_count(&dev->pins.unpinned, unpinned,
			    map->md_nr);
		map->md_nr = 0;
	}
	/*
	 * No bio_uninit(): the bio never holds what it frees (no block
	 * device at bio_init(), so no blk-cgroup; no integrity or crypto
	 * context), and bio_endio() has called it for an executed one.
	 */
	zcblk_map_free_arrays(map);
	zcblk_map_put(&dev->maps, map);
}
