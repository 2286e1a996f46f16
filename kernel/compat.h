/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels zcblk supports (Debian 12's 6.1 and
 * 6.12). Every version test in zcblk lives in this file, which is why
 * checkpatch's LINUX_VERSION_CODE and CONSTANT_COMPARISON warnings are
 * expected here and only here (selftests/host/checkpatch.sh).
 */
#ifndef ZCBLK_COMPAT_H
#define ZCBLK_COMPAT_H

#include <linux/version.h>
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <net/genetlink.h>

/* Queue limits zcblk sets; applied the way each kernel wants them. */
struct zcblk_limits {
	unsigned int logical_block_size;
	unsigned int max_hw_sectors;
	unsigned short max_segments;
	unsigned int max_discard_sectors;	/* 0: no discard */
	unsigned int max_write_zeroes_sectors;	/* 0: no write zeroes */
	bool write_cache;			/* volatile cache: flush and FUA */
};

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)

static inline struct gendisk *
zcblk_compat_alloc_disk(struct blk_mq_tag_set *set,
			const struct zcblk_limits *l, void *queuedata)
{
	struct queue_limits lim = {
		.logical_block_size	= l->logical_block_size,
		.physical_block_size	= l->logical_block_size,
		.io_min			= l->logical_block_size,
		.max_hw_sectors		= l->max_hw_sectors,
		.max_segments		= l->max_segments,
		.max_hw_discard_sectors	= l->max_discard_sectors,
		.discard_granularity	= l->max_discard_sectors ?
					  l->logical_block_size : 0,
		.max_write_zeroes_sectors = l->max_write_zeroes_sectors,
	};

	if (l->write_cache)
		lim.features |= BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA;
	return blk_mq_alloc_disk(set, &lim, queuedata);
}

#else

static inline struct gendisk *
zcblk_compat_alloc_disk(struct blk_mq_tag_set *set,
			const struct zcblk_limits *l, void *queuedata)
{
	struct gendisk *disk = blk_mq_alloc_disk(set, queuedata);
	struct request_queue *q;

	if (IS_ERR(disk))
		return disk;
	q = disk->queue;
	blk_queue_logical_block_size(q, l->logical_block_size);
	blk_queue_physical_block_size(q, l->logical_block_size);
	blk_queue_io_min(q, l->logical_block_size);
	blk_queue_max_hw_sectors(q, l->max_hw_sectors);
	blk_queue_max_segments(q, l->max_segments);
	if (l->max_discard_sectors) {
		blk_queue_max_discard_sectors(q, l->max_discard_sectors);
		q->limits.discard_granularity = l->logical_block_size;
	}
	blk_queue_max_write_zeroes_sectors(q, l->max_write_zeroes_sectors);
	blk_queue_write_cache(q, l->write_cache, l->write_cache);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	return disk;
}

#endif

/* genl pre_doit/post_doit take split ops since 6.2. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define zcblk_genl_hook_ops genl_split_ops
#else
#define zcblk_genl_hook_ops genl_ops
#endif

#endif /* ZCBLK_COMPAT_H */
