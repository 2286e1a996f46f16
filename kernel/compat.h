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
#include <linux/blk-integrity.h>
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/t10-pi.h>
#include <net/genetlink.h>

/* Queue limits zcblk sets; applied the way each kernel wants them. */
struct zcblk_limits {
	unsigned int logical_block_size;
	unsigned int max_hw_sectors;
	unsigned short max_segments;
	unsigned int max_discard_sectors;	/* 0: no discard */
	unsigned int max_write_zeroes_sectors;	/* 0: no write zeroes */
	bool write_cache;			/* volatile cache: flush and FUA */
	bool poll;				/* has poll queues */
	unsigned int dma_alignment;		/* mask; 0: the default */
	/* Host-managed zoned */
	bool zoned;
	unsigned int chunk_sectors;		/* the zone size */
	unsigned int max_zone_append_sectors;
	unsigned int max_open_zones;		/* 0: no limit */
	unsigned int max_active_zones;
	/* An integrity profile: protection information */
	unsigned char pi_type;			/* 1, 2, 3; 0: none */
	bool pi_guard64;			/* 64-bit guard, not 16 */
	unsigned char pi_tuple_size;		/* the metadata bytes a block */
	unsigned char pi_offset;		/* where the PI is in them */
};

/*
 * blk_mq_alloc_disk() takes the queue limits since 6.9, and the features
 * (BLK_FEAT_*) are among them since 6.11: both on one side of 6.11.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)

/*
 * Can the block layer carry PI at @pi_offset in a block's metadata? 6.12's
 * profile takes it anywhere (pi_offset); a kernel without integrity support
 * nowhere: its PI disks are char-device-only.
 */
static inline bool zcblk_compat_pi_offset_ok(unsigned int pi_offset)
{
	return IS_ENABLED(CONFIG_BLK_DEV_INTEGRITY);
}

/* The integrity profile, as the NVMe driver's for a namespace with PI */
static inline void zcblk_compat_integrity(const struct zcblk_limits *l,
					  struct queue_limits *lim)
{
	memset(&lim->integrity, 0, sizeof(lim->integrity));
	lim->max_integrity_segments = 0;
	if (!l->pi_type)
		return;
	lim->integrity = (struct blk_integrity){
		.flags = BLK_INTEGRITY_DEVICE_CAPABLE |
			 (l->pi_type != 3 ? BLK_INTEGRITY_REF_TAG : 0),
		.csum_type = l->pi_guard64 ? BLK_INTEGRITY_CSUM_CRC64 :
					     BLK_INTEGRITY_CSUM_CRC,
		.tuple_size = l->pi_tuple_size,
		.pi_offset = l->pi_offset,
		.tag_size = l->pi_type != 3 ? 2 : l->pi_guard64 ? 8 : 6,
	};
	lim->max_integrity_segments = l->max_segments;
}

static inline void zcblk_compat_limits(const struct zcblk_limits *l,
				       struct queue_limits *lim)
{
	*lim = (struct queue_limits){
		.logical_block_size	= l->logical_block_size,
		.physical_block_size	= l->logical_block_size,
		.io_min			= l->logical_block_size,
		.max_hw_sectors		= l->max_hw_sectors,
		.max_segments		= l->max_segments,
		.max_hw_discard_sectors	= l->max_discard_sectors,
		.discard_granularity	= l->max_discard_sectors ?
					  l->logical_block_size : 0,
		.max_write_zeroes_sectors = l->max_write_zeroes_sectors,
		.dma_alignment		= l->dma_alignment,
	};
	if (l->write_cache)
		lim->features |= BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA;
	if (l->poll)
		lim->features |= BLK_FEAT_POLL;
	if (l->zoned) {
		lim->features |= BLK_FEAT_ZONED;
		lim->chunk_sectors = l->chunk_sectors;
		lim->max_zone_append_sectors = l->max_zone_append_sectors;
		lim->max_open_zones = l->max_open_zones;
		lim->max_active_zones = l->max_active_zones;
	}
	zcblk_compat_integrity(l, lim);
}

static inline struct gendisk *
zcblk_compat_alloc_disk(struct blk_mq_tag_set *set,
			const struct zcblk_limits *l, void *queuedata)
{
	struct queue_limits lim;

	zcblk_compat_limits(l, &lim);
	return blk_mq_alloc_disk(set, &lim, queuedata);
}

/* A queue with no block device: a char-device-only disk's. */
static inline struct request_queue *
zcblk_compat_alloc_queue(struct blk_mq_tag_set *set,
			 const struct zcblk_limits *l, void *queuedata)
{
	struct queue_limits lim;

	zcblk_compat_limits(l, &lim);
	return blk_mq_alloc_queue(set, &lim, queuedata);
}

/*
 * Format NVM (format.c), the queue frozen: @l's block size and integrity
 * profile; discard and write zeroes limits rounded to the block size.
 */
static inline int zcblk_compat_set_format(struct request_queue *q,
					  struct gendisk *disk,
					  const struct zcblk_limits *l)
{
	struct queue_limits lim = queue_limits_start_update(q);
	unsigned int sects = l->logical_block_size >> SECTOR_SHIFT;

	lim.logical_block_size = l->logical_block_size;
	lim.physical_block_size = l->logical_block_size;
	lim.io_min = l->logical_block_size;
	lim.max_hw_discard_sectors = round_down(lim.max_hw_discard_sectors,
						sects);
	if (lim.max_hw_discard_sectors)
		lim.discard_granularity = l->logical_block_size;
	lim.max_write_zeroes_sectors = round_down(lim.max_write_zeroes_sectors,
						  sects);
	zcblk_compat_integrity(l, &lim);
	return queue_limits_commit_update(q, &lim);
}

/*
 * A zoned disk's zones, read through ->report_zones before add_disk().
 * Zone write plugging (6.10) orders writes to sequential zones.
 */
static inline int zcblk_compat_zoned_register(struct gendisk *disk,
					      const struct zcblk_limits *l)
{
	if (!IS_ENABLED(CONFIG_BLK_DEV_ZONED))
		return -EOPNOTSUPP;
	return blk_revalidate_disk_zones(disk);
}

#else

/* 6.1's T10 profiles keep the PI in a tuple's first bytes. */
static inline bool zcblk_compat_pi_offset_ok(unsigned int pi_offset)
{
	return IS_ENABLED(CONFIG_BLK_DEV_INTEGRITY) && !pi_offset;
}

static inline void zcblk_compat_set_limits(struct request_queue *q,
					   const struct zcblk_limits *l)
{
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
	if (l->dma_alignment)
		blk_queue_dma_alignment(q, l->dma_alignment);
	blk_queue_write_cache(q, l->write_cache, l->write_cache);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	/* 6.1 marks the queue pollable from the tag set's POLL map itself. */
}

/* The integrity profile, as the NVMe driver's for a namespace with PI */
static inline void zcblk_compat_integrity(struct gendisk *disk,
					  const struct zcblk_limits *l)
{
	struct blk_integrity bi = {
		.flags = BLK_INTEGRITY_DEVICE_CAPABLE,
		.tuple_size = l->pi_tuple_size,
		.tag_size = l->pi_type != 3 ? 2 : l->pi_guard64 ? 8 : 6,
	};

	if (l->pi_guard64)
		bi.profile = l->pi_type != 3 ? &ext_pi_type1_crc64 :
					       &ext_pi_type3_crc64;
	else
		bi.profile = l->pi_type != 3 ? &t10_pi_type1_crc :
					       &t10_pi_type3_crc;

	blk_integrity_unregister(disk);
	if (!IS_ENABLED(CONFIG_BLK_DEV_INTEGRITY) || !l->pi_type)
		return;
	blk_integrity_register(disk, &bi);
	blk_queue_max_integrity_segments(disk->queue, l->max_segments);
}

static inline struct gendisk *
zcblk_compat_alloc_disk(struct blk_mq_tag_set *set,
			const struct zcblk_limits *l, void *queuedata)
{
	struct gendisk *disk = blk_mq_alloc_disk(set, queuedata);
	struct request_queue *q;

	if (IS_ERR(disk))
		return disk;
	q = disk->queue;
	zcblk_compat_set_limits(q, l);
	if (l->zoned) {
		disk_set_zoned(disk, BLK_ZONED_HM);
		blk_queue_chunk_sectors(q, l->chunk_sectors);
		blk_queue_max_zone_append_sectors(q,
						  l->max_zone_append_sectors);
		disk_set_max_open_zones(disk, l->max_open_zones);
		disk_set_max_active_zones(disk, l->max_active_zones);
		/*
		 * Before zone write plugging, mq-deadline's zone write
		 * locking keeps writes to a sequential zone in order; the
		 * disk takes it although its tag set wants no scheduler.
		 */
		blk_queue_required_elevator_features(q,
						     ELEVATOR_F_ZBD_SEQ_WRITE);
	}
	zcblk_compat_integrity(disk, l);
	return disk;
}

/* A queue with no block device: a char-device-only disk's. */
static inline struct request_queue *
zcblk_compat_alloc_queue(struct blk_mq_tag_set *set,
			 const struct zcblk_limits *l, void *queuedata)
{
	struct request_queue *q = blk_mq_init_queue(set);

	if (IS_ERR(q))
		return q;
	q->queuedata = queuedata;
	zcblk_compat_set_limits(q, l);
	return q;
}

static inline int zcblk_compat_zoned_register(struct gendisk *disk,
					      const struct zcblk_limits *l)
{
	if (!IS_ENABLED(CONFIG_BLK_DEV_ZONED))
		return -EOPNOTSUPP;
	return blk_revalidate_disk_zones(disk, NULL);
}

/*
 * Format NVM (format.c), the queue frozen: @l's block size and integrity
 * profile; discard and write zeroes limits rounded to the block size.
 */
static inline int zcblk_compat_set_format(struct request_queue *q,
					  struct gendisk *disk,
					  const struct zcblk_limits *l)
{
	unsigned int sects = l->logical_block_size >> SECTOR_SHIFT;

	blk_queue_logical_block_size(q, l->logical_block_size);
	blk_queue_physical_block_size(q, l->logical_block_size);
	blk_queue_io_min(q, l->logical_block_size);
	if (q->limits.max_hw_discard_sectors) {
		blk_queue_max_discard_sectors(q,
			round_down(q->limits.max_hw_discard_sectors, sects));
		q->limits.discard_granularity = l->logical_block_size;
	}
	blk_queue_max_write_zeroes_sectors(q,
		round_down(q->limits.max_write_zeroes_sectors, sects));
	if (disk)
		zcblk_compat_integrity(disk, l);
	return 0;
}

#endif

/* <asm/unaligned.h> moved to <linux/unaligned.h> in 6.12. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* genl pre_doit/post_doit take split ops since 6.2. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define zcblk_genl_hook_ops genl_split_ops
#else
#define zcblk_genl_hook_ops genl_ops
#endif

/* The SQE's command payload; its type changed in 6.5. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#include <linux/io_uring/cmd.h>
static inline const void *zcblk_uring_cmd_payload(struct io_uring_cmd *ioucmd)
{
	return io_uring_sqe_cmd(ioucmd->sqe);
}
#else
#include <linux/io_uring.h>
static inline const void *zcblk_uring_cmd_payload(struct io_uring_cmd *ioucmd)
{
	return ioucmd->cmd;
}
#endif

/* vfs_iter_write() takes the file system's freeze protection since 6.8. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
static inline ssize_t zcblk_vfs_iter_write(struct file *file,
					   struct iov_iter *iter,
					   loff_t *pos, rwf_t flags)
{
	return vfs_iter_write(file, iter, pos, flags);
}
#else
static inline ssize_t zcblk_vfs_iter_write(struct file *file,
					   struct iov_iter *iter,
					   loff_t *pos, rwf_t flags)
{
	ssize_t ret;

	file_start_write(file);
	ret = vfs_iter_write(file, iter, pos, flags);
	file_end_write(file);
	return ret;
}
#endif

/* The iovec array behind an iov_iter from import_iovec(). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define zcblk_iter_iov(iter)	iter_iov(iter)
#else
#define zcblk_iter_iov(iter)	((iter)->iov)
#endif

/* class_create() lost its owner argument in 6.4. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define zcblk_class_create(name)	class_create(name)
#else
#define zcblk_class_create(name)	class_create(THIS_MODULE, name)
#endif

/*
 * blk_mq_ops.queue_rqs's list: a struct rq_list in Debian's 6.12 (6.13's,
 * taken into 6.12.y), a chain of requests in 6.1; rq_list_pop() takes a
 * pointer to either.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define ZCBLK_RQ_LIST struct rq_list
#else
#define ZCBLK_RQ_LIST struct request *
#endif

/*
 * A request queue_rqs takes must be in its tags' rqs[], where the timeout
 * and tag iteration look for it: 6.12's blk_mq_start_request() puts it
 * there; 6.1's direct issue does (blk_mq_get_driver_tag()) and leaves
 * queue_rqs to the driver, as its NVMe driver's nvme_prep_rq_batch() does.
 */
static inline void zcblk_rq_own_tag(struct request *rq)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
	rq->mq_hctx->tags->rqs[rq->tag] = rq;
#endif
}

/* device_type.devnode takes a const device since 6.2. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define ZCBLK_DEVNODE_CONST const
#else
#define ZCBLK_DEVNODE_CONST
#endif

/*
 * The T10-DIF CRC of the protection information guard (pi.c): the
 * kernel's, built into Debian's kernels; the trimmed debug kernel has none
 * (CONFIG_CRC_T10DIF off), which gets the same CRC bit by bit.
 */
#if IS_ENABLED(CONFIG_CRC_T10DIF)
#include <linux/crc-t10dif.h>
#define zcblk_crc_t10dif(crc, p, len)	crc_t10dif_update(crc, p, len)
#else
static inline u16 zcblk_crc_t10dif(u16 crc, const u8 *p, size_t len)
{
	int i;

	while (len--) {
		crc ^= (u16)*p++ << 8;
		for (i = 0; i < 8; i++)
			crc = crc & 0x8000 ? (crc << 1) ^ 0x8bb7 : crc << 1;
	}
	return crc;
}
#endif

/*
 * The 64-bit guard's CRC, NVMe's CRC64 (the kernel's crc64_rocksoft, the
 * name it has up to 6.14): complemented in and out, so that updates chain
 * from 0 as the T10-DIF CRC's do. Bit by bit where the kernel has none.
 */
#if IS_ENABLED(CONFIG_CRC64_ROCKSOFT)
#include <linux/crc64.h>
#define zcblk_crc64_nvme(crc, p, len)	crc64_rocksoft_update(crc, p, len)
#else
static inline u64 zcblk_crc64_nvme(u64 crc, const u8 *p, size_t len)
{
	int i;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (i = 0; i < 8; i++)
			crc = crc & 1 ? (crc >> 1) ^ 0x9a6c9329ac4bc9b5ULL :
					crc >> 1;
	}
	return ~crc;
}
#endif

#endif /* ZCBLK_COMPAT_H */
