/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The backend interface: what a disk's data lives on. disk.c knows only
 * this table; each backend keeps its own state in dev->backend_data.
 */
#ifndef ZCBLK_BACKEND_H
#define ZCBLK_BACKEND_H

#include <linux/blk-mq.h>

struct netlink_ext_ack;
struct zcblk_dev;
struct zcblk_limits;

struct zcblk_backend_ops {
	const char *name;
	/* queue_rq may sleep: the tag set gets BLK_MQ_F_BLOCKING */
	bool blocking;

	/* Set up dev->backend_data from dev->cfg; may adjust the limits. */
	int (*open)(struct zcblk_dev *dev, struct zcblk_limits *lim,
		    struct netlink_ext_ack *extack);
	/* Called after the block device is gone: no request is in flight. */
	void (*release)(struct zcblk_dev *dev);
	/*
	 * Carry out one started request, block or passthrough, and return its
	 * status; disk.c completes it.
	 */
	blk_status_t (*submit)(struct zcblk_dev *dev, struct request *rq);
	/* Optional: bytes of backing store in use, for DEV_GET. */
	u64 (*alloc_bytes)(struct zcblk_dev *dev);
};

extern const struct zcblk_backend_ops zcblk_null_backend;
extern const struct zcblk_backend_ops zcblk_mem_backend;

const struct zcblk_backend_ops *zcblk_backend_find(const char *name);

#endif /* ZCBLK_BACKEND_H */
