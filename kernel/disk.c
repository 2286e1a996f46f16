// SPDX-License-Identifier: GPL-2.0
/*
 * A disk's block layer objects: its tag set, its gendisk (or, without a
 * block device, its bare queue), their creation and teardown. Requests
 * are submit.c's.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/module.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"
#include "fdp.h"
#include "media.h"
#include "meta.h"
#include "nvme.h"
#include "rq.h"
#include "wcache.h"
#include "zns.h"

static const struct block_device_operations zcblk_bdev_ops;

/**
 * zcblk_disk_is_ours() - tell whether a gendisk is a zcblk disk
 * @disk: the gendisk
 *
 * The file backend refuses one of ours as its backing device.
 *
 * Context: any context.
 * Return: true if @disk is a zcblk disk.
 */
bool zcblk_disk_is_ours(struct gendisk *disk)
{
	return disk->fops == &zcblk_bdev_ops;
}

/* The gendisk's last reference: so is its reference on the disk object. */
static void zcblk_free_disk(struct gendisk *disk)
{
	zcblk_dev_put(disk->private_data);
}

static const struct block_device_operations zcblk_bdev_ops = {
	.owner		= THIS_MODULE,
	.report_zones	= zcblk_zns_report_zones,
	.free_disk	= zcblk_free_disk,
};

static int zcblk_tag_set_init(struct zcblk_dev *dev)
{
	const struct zcblk_config *cfg = &dev->cfg;
	struct blk_mq_tag_set *set = &dev->tag_set;

	set->ops = &zcblk_mq_ops;
	set->nr_hw_queues = cfg->nr_queues + cfg->poll_queues;
	set->nr_maps = cfg->poll_queues ? HCTX_MAX_TYPES : 1;
	set->queue_depth = cfg->queue_depth;
	set->numa_node = NUMA_NO_NODE;
	set->cmd_size = sizeof(struct zcblk_pdu);
	set->timeout = msecs_to_jiffies(cfg->timeout_ms);
	/* A RAM-speed device gains nothing from an I/O scheduler. */
	set->flags = BLK_MQ_F_SHOULD_MERGE | BLK_MQ_F_NO_SCHED_BY_DEFAULT;
	/* Tried in queue_rq, a file's I/O may allocate, so sleep. */
	if (dev->inline_rw)
		set->flags |= BLK_MQ_F_BLOCKING;
	set->driver_data = dev;
	return blk_mq_alloc_tag_set(set);
}

/**
 * zcblk_disk_create() - create a disk's tag set and block device
 * @dev: the disk being added
 * @extack: for the reason of a failure
 *
 * The backend opens first: it may settle the size and block size (file
 * backend).
 *
 * Context: process context; may sleep.
 * Return: 0, or a negative errno, the backend released again.
 */
int zcblk_disk_create(struct zcblk_dev *dev,
		      struct netlink_ext_ack *extack)
{
	const struct zcblk_config *cfg = &dev->cfg;
	struct zcblk_limits lim = {
		.max_hw_sectors		= ZCBLK_MAX_TRANSFER >> SECTOR_SHIFT,
		.max_segments		= ZCBLK_MAX_SEGS,
		.poll			= cfg->poll_queues > 0,
	};
	struct gendisk *disk;
	int ret;

	/* The backend may settle the size and block size (file backend). */
	ret = dev->ops->open(dev, &lim, extack);
	if (ret)
		return ret;
	lim.logical_block_size = cfg->block_size;
	ret = zcblk_meta_init(dev, &lim, extack);
	if (!ret)
		ret = zcblk_fdp_init(dev, extack);	/* freed with the object */
	if (ret)
		goto err_release_backend;
	ret = zcblk_zns_init(dev, &lim, extack);
	if (ret)
		goto err_release_backend;
	ret = zcblk_wc_open(dev, &lim, extack);
	if (!ret)
		ret = zcblk_media_load(dev, extack);
	if (ret)
		goto err_free_zones;
	/*
	 * Every disk: a command that cannot allocate without sleeping in
	 * queue_rq (DSM's ranges, Copy's, FDP's, PI's) runs again from here,
	 * whatever the backend. Reclaim may write through us: a rescuer.
	 */
	dev->wq = alloc_workqueue("zcblk%u", WQ_UNBOUND | WQ_MEM_RECLAIM, 0,
				  dev->index);
	if (!dev->wq) {
		ret = -ENOMEM;
		goto err_free_zones;
	}
	ret = zcblk_tag_set_init(dev);
	if (ret)
		goto err_destroy_wq;

	if (dev->no_bdev) {
		struct request_queue *q;

		q = zcblk_compat_alloc_queue(&dev->tag_set, &lim, dev);
		if (IS_ERR(q)) {
			ret = PTR_ERR(q);
			goto err_free_tag_set;
		}
		dev->queue = q;
		return 0;
	}
	disk = zcblk_compat_alloc_disk(&dev->tag_set, &lim, dev);
	if (IS_ERR(disk)) {
		ret = PTR_ERR(disk);
		goto err_free_tag_set;
	}
	dev->queue = disk->queue;
	snprintf(disk->disk_name, sizeof(disk->disk_name), "zcblk%u",
		 dev->index);
	disk->fops = &zcblk_bdev_ops;
	disk->private_data = dev;
	set_capacity(disk, cfg->size >> SECTOR_SHIFT);
	set_disk_ro(disk, cfg->flags & ZCBLK_DEV_F_READ_ONLY);
	dev->disk = disk;
	if (lim.zoned) {
		ret = zcblk_compat_zoned_register(disk, &lim);
		if (ret) {
			NL_SET_ERR_MSG(extack, "zones: the block layer refused them");
			goto err_put_disk;
		}
	}

	ret = add_disk(disk);
	if (ret) {
		/* 6.12 reports a failed name allocation here as EINVAL. */
		NL_SET_ERR_MSG(extack, "add_disk failed");
		goto err_put_disk;
	}
	/* Added, the gendisk calls ->free_disk when it goes (dev.h) */
	kref_get(&dev->ref);
	return 0;

err_put_disk:
	put_disk(disk);
	dev->disk = NULL;
	dev->queue = NULL;
err_free_tag_set:
	blk_mq_free_tag_set(&dev->tag_set);
err_destroy_wq:
	destroy_workqueue(dev->wq);
	dev->wq = NULL;
err_free_zones:
	zcblk_zns_free(dev);
err_release_backend:
	dev->ops->release(dev);
	return ret;
}

/**
 * zcblk_disk_del() - remove a disk's block device
 * @dev: the disk being torn down
 *
 * Drains and freezes the queue (a char-device-only disk's own queue is
 * destroyed): no request is in flight after it, none can start.
 *
 * Context: process context; may sleep.
 */
void zcblk_disk_del(struct zcblk_dev *dev)
{
	if (dev->disk) {
		del_gendisk(dev->disk);
		return;
	}
	/* Dying: new requests fail, those in flight are waited for. */
	blk_mq_destroy_queue(dev->queue);
}

/**
 * zcblk_disk_free() - free a disk's block device, tag set and backend
 * @dev: the disk being torn down, or whose adding failed
 *
 * After zcblk_disk_del() and once no passthrough command is left.
 *
 * Context: process context; may sleep.
 */
void zcblk_disk_free(struct zcblk_dev *dev)
{
	if (dev->disk)
		put_disk(dev->disk);
	else
		blk_put_queue(dev->queue);
	dev->disk = NULL;
	dev->queue = NULL;
	blk_mq_free_tag_set(&dev->tag_set);
	destroy_workqueue(dev->wq);	/* every disk has one */
	dev->wq = NULL;
	/* A disk that goes cleanly keeps even what was never flushed. */
	if (zcblk_zns_save(dev))
		pr_warn_ratelimited("zcblk%u: cannot write the zone table\n",
				    dev->index);
	/* The zones outlive the backend (->report_zones): no save after */
	if (dev->zones)
		dev->zones->table_ok = false;
	if (zcblk_media_save(dev))
		pr_warn_ratelimited("zcblk%u: cannot write the bad block list\n",
				    dev->index);
	zcblk_media_release(dev);
	/* The zones stay for ->report_zones: freed with the disk object. */
	dev->ops->release(dev);
}
