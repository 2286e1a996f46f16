/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Media errors: LBAs that read as Unrecovered Read Error until written
 * again, made by Write Uncorrectable. Documentation/durability.rst.
 */
#ifndef ZCBLK_MEDIA_H
#define ZCBLK_MEDIA_H

#include <linux/types.h>

struct zcblk_dev;
struct zcblk_io;

int zcblk_media_init(struct zcblk_dev *dev);
void zcblk_media_free(struct zcblk_dev *dev);
bool zcblk_media_io(struct zcblk_dev *dev, struct zcblk_io *io);
int zcblk_media_write_uncor(struct zcblk_dev *dev, u64 slba, u32 nlb);

#endif /* ZCBLK_MEDIA_H */
