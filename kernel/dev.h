/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ZCBLK_DEV_H
#define ZCBLK_DEV_H

#include <linux/blk-mq.h>
#include <linux/kref.h>
#include <linux/types.h>
#include <linux/zcblk.h>

struct netlink_ext_ack;
struct zcblk_backend_ops;

/* What DEV_ADD asked for, after validation and defaults. */
struct zcblk_config {
	u32 index;
	u64 size;			/* bytes, a multiple of block_size */
	u32 block_size;			/* 512 or 4096 */
	u32 nr_queues;
	u32 queue_depth;
	const struct zcblk_backend_ops *backend;
};

/*
 * One virtual disk.
 *
 * References: the registry holds one from DEV_ADD until DEV_DEL has torn
 * the disk down; every zcblk_dev_get() holds one until zcblk_dev_put().
 * The memory goes at the last put.
 */
struct zcblk_dev {
	struct kref ref;
	u32 index;
	/* Protected by zcblk_devs_lock; read locklessly only for reporting. */
	enum zcblk_dev_state state;
	struct zcblk_config cfg;
	const struct zcblk_backend_ops *ops;
	void *backend_data;		/* owned by ops */

	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
};

/* A consistent view of what changes while a disk lives. */
struct zcblk_dev_status {
	enum zcblk_dev_state state;
	u64 alloc_bytes;
};

void zcblk_dev_get_status(struct zcblk_dev *dev, struct zcblk_dev_status *st);
int zcblk_dev_add(const struct zcblk_config *cfg, struct zcblk_dev **out,
		  struct netlink_ext_ack *extack);
int zcblk_dev_del(u32 index, struct netlink_ext_ack *extack);
struct zcblk_dev *zcblk_dev_get(u32 index);
struct zcblk_dev *zcblk_dev_get_next(u32 *index);
void zcblk_dev_put(struct zcblk_dev *dev);
void zcblk_dev_remove_all(void);

/* disk.c */
int zcblk_disk_create(struct zcblk_dev *dev,
		      struct netlink_ext_ack *extack);
void zcblk_disk_destroy(struct zcblk_dev *dev);

#endif /* ZCBLK_DEV_H */
