/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A volatile write cache and power cuts (Documentation/durability.rst).
 */
#ifndef ZCBLK_WCACHE_H
#define ZCBLK_WCACHE_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "backend.h"

struct netlink_ext_ack;
struct zcblk_dev;
struct zcblk_wc_rec;

#define ZCBLK_WC_FREE_MAX	32
#define ZCBLK_WC_MARKS_MAX	1024	/* records of FUA writes in the log */

/*
 * A disk's write cache, part of the disk object. The backend holds the
 * newest data; the cache holds, for each write not yet durable, what the
 * blocks held before it (an undo log): a copy, or the backend's own pages
 * that the write replaced. Reads need nothing from it, and a power cut
 * puts back what a drive would have lost.
 */
struct zcblk_wcache {
	/*
	 * Protects @log, @spare, @free_recs, @dirty, @nr_marks and @enabled,
	 * and makes a write's capture of its pre-image and its execution one
	 * step against other writes and cuts.
	 */
	struct mutex lock;
	struct list_head log;		/* struct zcblk_wc_rec, oldest first */
	/*
	 * Store pages the log kept and then forgot (page->lru), oldest
	 * first, each usable again once the RCU grace period in its
	 * page_private() has passed; @gp: the last one started for them.
	 */
	struct list_head spare;
	unsigned long nr_spare;
	unsigned long gp;
	/* Forgotten records, for reuse: a flush's worth of small writes */
	struct zcblk_wc_rec *free_recs[ZCBLK_WC_FREE_MAX];
	unsigned int nr_free;
	u64 dirty;			/* bytes of writes not yet durable */
	unsigned int nr_marks;		/* records of durable writes */
	u64 size;			/* the cache's bytes; 0: none */
	bool enabled;			/* Feature 06h WCE */
	bool off;			/* power cut: I/O fails until on */
	atomic64_t lost_writes;		/* at the last cut */
	atomic64_t lost_blocks;
};

struct zcblk_limits;

void zcblk_wc_init(struct zcblk_dev *dev);
int zcblk_wc_open(struct zcblk_dev *dev, struct zcblk_limits *lim,
		  struct netlink_ext_ack *extack);
void zcblk_wc_free(struct zcblk_dev *dev);
enum zcblk_submit zcblk_wc_submit(struct zcblk_dev *dev, struct zcblk_io *io);
int zcblk_wc_power(struct zcblk_dev *dev, bool on, u32 mode, u64 seed,
		   struct netlink_ext_ack *extack);
int zcblk_wc_set_enabled(struct zcblk_dev *dev, bool enabled);
u64 zcblk_wc_dirty(struct zcblk_dev *dev);

#endif /* ZCBLK_WCACHE_H */
