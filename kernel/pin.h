/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ZCBLK_PIN_H
#define ZCBLK_PIN_H

#include <linux/bio.h>
#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/spinlock.h>
#include <linux/uio.h>
#include <linux/wait.h>

struct zcblk_dev;

/* The most pages a command's separate metadata spans (meta.h). */
#define ZCBLK_MD_PAGES		5

/* Commands of up to this many pages map with no allocation. */
#define ZCBLK_INLINE_PAGES	16

/*
 * A disk's map slots: 2 per request of its tag set, at most
 * ZCBLK_MAX_MAPS. Its pin budget: 128 pages (one 512 KiB transfer) per
 * request, up to ZCBLK_MAX_MAPS / 2 requests, plus the 256 pages that
 * the segments of one command may add by straddling pages
 * (Documentation/security.rst, "Resource bounds").
 */
#define ZCBLK_MAX_MAPS		1024
#define ZCBLK_PIN_BUDGET(tags)	(min_t(unsigned long, (tags), \
				       ZCBLK_MAX_MAPS / 2) * 128 + 256)

/* A disk's pin accounting (Documentation/passthrough.rst). */
struct zcblk_pins {
	atomic64_t pinned;	/* pages pinned with FOLL_PIN */
	atomic64_t unpinned;	/* of those, pages unpinned again */
};

/*
 * The module-wide sums: every command of every disk counts there, so one
 * set per CPU (zcblk_pins_total_sum() adds them up).
 */
struct zcblk_pins_pcpu {
	u64 pinned;
	u64 unpinned;
	u64 fixed_bytes;
};

void zcblk_pins_total_sum(s64 *pinned, s64 *unpinned, s64 *fixed_bytes);

/*
 * A passthrough command's data in user pages: a bio of our own over the
 * pinned pages (registered buffers need none: see zcblk_map_bvec()). It
 * lives outside the request,
 * in a slot of the disk's pool, from before the request is allocated
 * until the command's completion has unpinned the pages: the request
 * itself ends at end_io, so that nothing in blk-mq waits for userspace
 * to reap. A slot is its command's alone while taken.
 */
struct zcblk_map {
	struct bio bio;
	struct bio_vec *bvecs;		/* inline_bvecs or allocated */
	struct page **pages;		/* pinned pages: inline_pages or allocated */
	unsigned int nr_pinned;		/* 0 for registered buffers */
	unsigned int nr_reserved;	/* pages of the pin budget held */
	bool dirty;			/* device wrote memory: dirty on unpin */
	struct zcblk_map *next_free;	/* on the pool's free list */
	struct bio_vec inline_bvecs[ZCBLK_INLINE_PAGES];
	struct page *inline_pages[ZCBLK_INLINE_PAGES];
	/*
	 * Separate metadata (meta.h), pinned as the data and with its
	 * dirtiness; small enough for no allocation and outside the pin
	 * budget (security.rst, "Resource bounds").
	 */
	unsigned int md_nr;		/* pages pinned, one bvec each */
	struct bio_vec md_bvecs[ZCBLK_MD_PAGES];
	struct page *md_pages[ZCBLK_MD_PAGES];
};

/*
 * A disk's map slots and pin budget; lives as long as the disk object.
 * A free slot is on @free or cached in one CPU's @cache, where the CPU
 * that gave it back takes it again without the spinlock. Every access to
 * a cache entry is an atomic xchg or cmpxchg (zcblk_map_cache()): another
 * CPU may take it from under us when @free is empty, and this_cpu_xchg()
 * and _cmpxchg() are not atomic against that on x86 (no LOCK prefix).
 */
struct zcblk_map_pool {
	spinlock_t lock;		/* protects free */
	struct zcblk_map *free;
	struct zcblk_map * __percpu *cache;
	atomic_long_t reserved;		/* pages pinned, or about to be */
	unsigned long budget;		/* reserved never exceeds it */
	unsigned int nr;
	struct zcblk_map *maps;
	wait_queue_head_t wait;		/* for a slot or budget */
};

/*
 * This CPU's cache entry, or the one of the CPU we moved from: either
 * serves, as every access to it is atomic.
 */
static inline struct zcblk_map **zcblk_map_cache(struct zcblk_map_pool *pool)
{
	return raw_cpu_ptr(pool->cache);
}

int zcblk_map_pool_init(struct zcblk_map_pool *pool, unsigned int tags);
void zcblk_map_pool_free(struct zcblk_map_pool *pool);
void zcblk_map_pool_wake(struct zcblk_map_pool *pool);
struct zcblk_map *zcblk_map_get_slow(struct zcblk_dev *dev,
				     unsigned long pages, bool nowait);
void zcblk_map_put_slow(struct zcblk_map_pool *pool, struct zcblk_map *map);
int zcblk_map_user(struct zcblk_dev *dev, struct zcblk_map *map,
		   blk_opf_t opf, const struct iovec *segs,
		   unsigned int nr_segs, bool nofault);
int zcblk_map_md(struct zcblk_dev *dev, struct zcblk_map *map,
		 blk_opf_t opf, u64 uaddr, u32 len, bool nofault);
int zcblk_map_md_bvec(struct bio_vec *md, const struct iov_iter *iter);
int zcblk_map_bvec(struct bio *bio, blk_opf_t opf, struct iov_iter *iter,
		   unsigned int align);
void zcblk_count_fixed(struct zcblk_dev *dev, size_t bytes);
void zcblk_map_release(struct zcblk_dev *dev, struct zcblk_map *map);

/*
 * The fast paths, inline: every passthrough command with user pages takes
 * and gives back a slot (passthru.c, pin.c).
 */

/**
 * zcblk_map_user_pages() - the pages user segments span
 * @segs: the segments
 * @nr_segs: how many
 * @align: the alignment each segment needs (0: any)
 *
 * Each segment has its own pages: a misaligned one straddles.
 *
 * Return: the pages, or -EINVAL if a segment that is not empty is not
 * aligned to @align (direct I/O to a backing file needs that).
 */
static inline long zcblk_map_user_pages(const struct iovec *segs,
					unsigned int nr_segs,
					unsigned int align)
{
	unsigned long base;
	long nr_pages = 0;
	unsigned int i;

	for (i = 0; i < nr_segs; i++) {
		base = (unsigned long)segs[i].iov_base;
		/* An empty segment moves nothing: any address, as in iov_iter */
		if (!segs[i].iov_len)
			continue;
		if (align && ((base | segs[i].iov_len) & (align - 1)))
			return -EINVAL;
		nr_pages += DIV_ROUND_UP(offset_in_page(base) + segs[i].iov_len,
					 PAGE_SIZE);
	}
	return nr_pages;
}

/* Takes @pages of @pool's budget; false (and nothing taken) if over. */
static inline bool zcblk_map_reserve(struct zcblk_map_pool *pool,
				     unsigned long pages)
{
	if (!pages ||
	    atomic_long_add_return(pages, &pool->reserved) <= pool->budget)
		return true;
	atomic_long_sub(pages, &pool->reserved);
	return false;
}

/* A slot just taken, now holding @pages of the budget. */
static inline struct zcblk_map *zcblk_map_claim(struct zcblk_map *map,
						unsigned long pages)
{
	map->nr_reserved = pages;
	map->nr_pinned = 0;
	map->md_nr = 0;
	return map;
}

/* Wakes a waiter; the barrier orders a slot's return before the check. */
static inline void zcblk_map_wake(struct zcblk_map_pool *pool)
{
	if (wq_has_sleeper(&pool->wait))
		wake_up(&pool->wait);
}

/**
 * zcblk_map_get() - take a map slot with a share of the pin budget
 * @dev: the disk
 * @pool: its pool
 * @pages: how many pages of the disk's pin budget the slot holds
 * @nowait: fail rather than wait
 *
 * The slot this CPU gave back last, if it is there and the budget allows;
 * else zcblk_map_get_slow().
 *
 * Context: task context; may sleep unless @nowait.
 * Return: as zcblk_map_get_slow().
 */
static inline struct zcblk_map *zcblk_map_get(struct zcblk_dev *dev,
					      struct zcblk_map_pool *pool,
					      unsigned long pages, bool nowait)
{
	struct zcblk_map *map;

	if (likely(zcblk_map_reserve(pool, pages))) {
		map = xchg(zcblk_map_cache(pool), NULL);
		if (likely(map))
			return zcblk_map_claim(map, pages);
		if (pages)
			atomic_long_sub(pages, &pool->reserved);
	}
	return zcblk_map_get_slow(dev, pages, nowait);
}

/**
 * zcblk_map_put() - give back a map slot and its budget
 * @pool: the disk's pool
 * @map: the slot, whose pages, if any, are unpinned
 *
 * Into this CPU's cache if it is empty, else zcblk_map_put_slow().
 *
 * Context: task context.
 */
static inline void zcblk_map_put(struct zcblk_map_pool *pool,
				 struct zcblk_map *map)
{
	if (map->nr_reserved)
		atomic_long_sub(map->nr_reserved, &pool->reserved);
	if (unlikely(cmpxchg(zcblk_map_cache(pool), NULL, map)))
		zcblk_map_put_slow(pool, map);
	else
		zcblk_map_wake(pool);
}

/**
 * zcblk_map_attach() - attach a command's bio to its request
 * @disk: the disk's gendisk, NULL for a char-device-only disk
 * @rq: the command's request
 * @bio: its bio, built by zcblk_map_user() or zcblk_map_bvec()
 *
 * A polled bio names its disk, as the block layer's polled bios do.
 * Inline: every command with data calls it.
 *
 * Return: 0, or the error of blk_rq_append_bio().
 */
static inline int zcblk_map_attach(struct gendisk *disk, struct request *rq,
				   struct bio *bio)
{
	if (rq->cmd_flags & REQ_POLLED)
		/* None on a char-device-only disk, as ng's without one */
		bio->bi_bdev = disk ? disk->part0 : NULL;
	return blk_rq_append_bio(rq, bio);
}

#endif /* ZCBLK_PIN_H */
