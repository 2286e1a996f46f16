// SPDX-License-Identifier: GPL-2.0
/*
 * The blk-mq side of a disk: tag set, gendisk, queue_rq and completion.
 * Block and passthrough requests alike go to the backend from here.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/module.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"

/* Largest transfer per request: 512 KiB, in sectors. */
#define ZCBLK_MAX_HW_SECTORS	1024
#define ZCBLK_MAX_SEGMENTS	128

static blk_status_t zcblk_queue_rq(struct blk_mq_hw_ctx *hctx,
				   const struct blk_mq_queue_data *bd)
{
	struct zcblk_dev *dev = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	blk_status_t sts;

	blk_mq_start_request(rq);
	sts = dev->ops->submit(dev, rq);
	blk_mq_end_request(rq, sts);
	return BLK_STS_OK;
}

static const struct blk_mq_ops zcblk_mq_ops = {
	.queue_rq	= zcblk_queue_rq,
};

static const struct block_device_operations zcblk_bdev_ops = {
	.owner		= THIS_MODULE,
};

int zcblk_disk_create(struct zcblk_dev *dev,
		      struct netlink_ext_ack *extack)
{
	const struct zcblk_config *cfg = &dev->cfg;
	struct zcblk_limits lim = {
		.logical_block_size	= cfg->block_size,
		.max_hw_sectors		= ZCBLK_MAX_HW_SECTORS,
		.max_segments		= ZCBLK_MAX_SEGMENTS,
	};
	struct blk_mq_tag_set *set = &dev->tag_set;
	struct gendisk *disk;
	int ret;

	ret = dev->ops->open(dev, &lim, extack);
	if (ret)
		return ret;

	set->ops = &zcblk_mq_ops;
	set->nr_hw_queues = cfg->nr_queues;
	set->nr_maps = 1;
	set->queue_depth = cfg->queue_depth;
	set->numa_node = NUMA_NO_NODE;
	set->flags = BLK_MQ_F_SHOULD_MERGE;
	if (dev->ops->blocking)
		set->flags |= BLK_MQ_F_BLOCKING;
	set->driver_data = dev;
	ret = blk_mq_alloc_tag_set(set);
	if (ret)
		goto err_release_backend;

	disk = zcblk_compat_alloc_disk(set, &lim, dev);
	if (IS_ERR(disk)) {
		ret = PTR_ERR(disk);
		goto err_free_tag_set;
	}
	snprintf(disk->disk_name, sizeof(disk->disk_name), "zcblk%u",
		 dev->index);
	disk->fops = &zcblk_bdev_ops;
	disk->private_data = dev;
	set_capacity(disk, cfg->size >> SECTOR_SHIFT);
	dev->disk = disk;

	ret = add_disk(disk);
	if (ret)
		goto err_put_disk;
	return 0;

err_put_disk:
	put_disk(disk);
	dev->disk = NULL;
err_free_tag_set:
	blk_mq_free_tag_set(set);
err_release_backend:
	dev->ops->release(dev);
	return ret;
}

void zcblk_disk_destroy(struct zcblk_dev *dev)
{
	/* Drains and freezes the queue: no request is in flight after it. */
	del_gendisk(dev->disk);
	put_disk(dev->disk);
	dev->disk = NULL;
	blk_mq_free_tag_set(&dev->tag_set);
	dev->ops->release(dev);
}
