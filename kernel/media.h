/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Media errors: LBAs that read as Unrecovered Read Error until written
 * again, made by Write Uncorrectable. Documentation/durability.rst.
 */
#ifndef ZCBLK_MEDIA_H
#define ZCBLK_MEDIA_H

#include <linux/types.h>

struct netlink_ext_ack;
struct zcblk_dev;
struct zcblk_io;

/* Blocks one DEV_SET bad-lba may name: as many as one NVMe command. */
#define ZCBLK_MEDIA_MAX_NLB	65536

int zcblk_media_init(struct zcblk_dev *dev);
void zcblk_media_free(struct zcblk_dev *dev);
bool zcblk_media_io(struct zcblk_dev *dev, struct zcblk_io *io);
void zcblk_media_clear(struct zcblk_dev *dev, sector_t s, u64 n);
bool zcblk_media_listed(struct zcblk_dev *dev, struct zcblk_io *io);
void zcblk_media_written(struct zcblk_dev *dev, struct zcblk_io *io);
int zcblk_media_mark(struct zcblk_dev *dev, u64 lba, u64 nlb);
int zcblk_media_write_uncor(struct zcblk_dev *dev, u64 slba, u32 nlb);
int zcblk_media_change(struct zcblk_dev *dev, u64 lba, u32 nlb, bool clear,
		       struct netlink_ext_ack *extack);
int zcblk_media_list(struct zcblk_dev *dev,
		     int (*fn)(u64 lba, u64 nlb, void *arg), void *arg);
int zcblk_media_corrupt(struct zcblk_dev *dev, u64 lba, u32 nlb, u32 what,
			struct netlink_ext_ack *extack);
int zcblk_media_save(struct zcblk_dev *dev);
int zcblk_media_load(struct zcblk_dev *dev, struct netlink_ext_ack *extack);
void zcblk_media_release(struct zcblk_dev *dev);

#endif /* ZCBLK_MEDIA_H */
