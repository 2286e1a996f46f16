/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The file backend's state (file.c: I/O; file_open.c: setup).
 */
#ifndef ZCBLK_FILE_H
#define ZCBLK_FILE_H

#include <linux/list.h>
#include <linux/types.h>

#include "dev.h"

struct netlink_ext_ack;
struct zcblk_limits;

/* Owned by its disk (dev->backend_data), from open to release. */
struct zcblk_file {
	struct file *file;
	struct block_device *bdev;	/* backing block device, or NULL */
	/*
	 * The same file without O_DIRECT, for the store (zcblk_file_store_rw):
	 * small synchronous I/O from kernel memory, which direct I/O on 6.1
	 * cannot take. It never touches the disk's data.
	 */
	struct file *meta;
	u64 size;			/* of the backing file or device */
	bool buffered;
	struct list_head node;		/* on zcblk_files (file_open.c) */
};

static inline struct zcblk_file *zcblk_file(struct zcblk_dev *dev)
{
	return dev->backend_data;
}

int zcblk_file_open(struct zcblk_dev *dev, struct zcblk_limits *lim,
		    struct netlink_ext_ack *extack);
void zcblk_file_release(struct zcblk_dev *dev);
u64 zcblk_file_alloc_bytes(struct zcblk_dev *dev);
u64 zcblk_file_store_size(struct zcblk_dev *dev);

#endif /* ZCBLK_FILE_H */
