/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Format NVM (admin 80h): another LBA format for a disk that is not in
 * use, its data erased. Documentation/integrity.rst, "Format NVM".
 */
#ifndef ZCBLK_FORMAT_H
#define ZCBLK_FORMAT_H

#include <linux/types.h>

struct zcblk_dev;
struct zcblk_nvme_cmd;

bool zcblk_format_supported(struct zcblk_dev *dev);
int zcblk_format(struct zcblk_dev *dev, const struct zcblk_nvme_cmd *nc);

#endif /* ZCBLK_FORMAT_H */
