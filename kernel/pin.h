/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ZCBLK_PIN_H
#define ZCBLK_PIN_H

#include <linux/bio.h>
#include <linux/blk-mq.h>
#include <linux/uio.h>

struct zcblk_dev;

/* Commands of up to this many pages map with no allocation. */
#define ZCBLK_INLINE_PAGES	16

/* Pin accounting, per disk and module-wide; see Documentation/design.rst. */
struct zcblk_pins {
	atomic64_t pinned;	/* pages pinned with FOLL_PIN */
	atomic64_t unpinned;	/* of those, pages unpinned again */
	atomic64_t fixed_bytes;	/* bytes mapped from registered buffers */
};

extern struct zcblk_pins zcblk_pins_total;

/*
 * A command's data, attached to its request as a bio of our own. Lives in
 * the request pdu; valid from zcblk_map_*() to zcblk_unmap().
 */
struct zcblk_map {
	struct bio bio;
	struct bio_vec *bvecs;		/* inline_bvecs or allocated */
	struct page **pages;		/* pinned pages: inline_pages or allocated */
	unsigned int nr_pinned;		/* 0 for registered buffers */
	unsigned int nr_bvecs;		/* capacity of bvecs */
	bool dirty;			/* device wrote memory: dirty on unpin */
	bool mapped;
	struct bio_vec inline_bvecs[ZCBLK_INLINE_PAGES];
	struct page *inline_pages[ZCBLK_INLINE_PAGES];
};

/* @align: every segment's address and length a multiple of it (0: any) */
int zcblk_map_user(struct zcblk_dev *dev, struct request *rq,
		   struct zcblk_map *map, const struct iovec *segs,
		   unsigned int nr_segs, unsigned int align);
int zcblk_map_bvec(struct zcblk_dev *dev, struct request *rq,
		   struct zcblk_map *map, struct iov_iter *iter,
		   unsigned int align);
void zcblk_unmap(struct zcblk_dev *dev, struct zcblk_map *map);

#endif /* ZCBLK_PIN_H */
