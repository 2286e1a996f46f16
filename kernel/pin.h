/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ZCBLK_PIN_H
#define ZCBLK_PIN_H

#include <linux/bio.h>
#include <linux/blk-mq.h>
#include <linux/spinlock.h>
#include <linux/uio.h>
#include <linux/wait.h>

struct zcblk_dev;
struct zcblk_hctx;

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

/* Pin accounting, per disk and module-wide (Documentation/passthrough.rst). */
struct zcblk_pins {
	atomic64_t pinned;	/* pages pinned with FOLL_PIN */
	atomic64_t unpinned;	/* of those, pages unpinned again */
	atomic64_t fixed_bytes;	/* bytes mapped from registered buffers */
};

extern struct zcblk_pins zcblk_pins_total;

/*
 * A passthrough command's data: a bio of our own over the pinned user
 * pages (or io_uring's registered bvecs). It lives outside the request,
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
	/*
	 * The poll queue a polled command completes on, for
	 * ->uring_cmd_iopoll; NULL once its request has ended. The queue's
	 * state belongs to the disk object, so a stale pointer is still
	 * memory that an open file keeps.
	 */
	struct zcblk_hctx *poll_queue;
	struct zcblk_map *next_free;	/* on the pool's free list */
	struct bio_vec inline_bvecs[ZCBLK_INLINE_PAGES];
	struct page *inline_pages[ZCBLK_INLINE_PAGES];
};

/*
 * A disk's map slots and pin budget; lives as long as the disk object.
 * A free slot is on @free or cached in one CPU's @cache, where the CPU
 * that gave it back takes it again without a lock.
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

int zcblk_map_pool_init(struct zcblk_map_pool *pool, unsigned int tags);
void zcblk_map_pool_free(struct zcblk_map_pool *pool);
void zcblk_map_pool_wake(struct zcblk_map_pool *pool);

long zcblk_map_user_pages(const struct iovec *segs, unsigned int nr_segs,
			  unsigned int align);
struct zcblk_map *zcblk_map_get(struct zcblk_dev *dev, unsigned long pages,
				bool nowait);
int zcblk_map_user(struct zcblk_dev *dev, struct zcblk_map *map,
		   blk_opf_t opf, const struct iovec *segs,
		   unsigned int nr_segs, bool nofault);
int zcblk_map_bvec(struct zcblk_dev *dev, struct zcblk_map *map,
		   blk_opf_t opf, struct iov_iter *iter, unsigned int align);
int zcblk_map_attach(struct zcblk_dev *dev, struct request *rq,
		     struct zcblk_map *map);
void zcblk_map_release(struct zcblk_dev *dev, struct zcblk_map *map);
void zcblk_map_put(struct zcblk_dev *dev, struct zcblk_map *map);

#endif /* ZCBLK_PIN_H */
