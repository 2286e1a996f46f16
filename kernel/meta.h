/* SPDX-License-Identifier: GPL-2.0 */
/*
 * LBA formats with metadata: per-block bytes beside the data, in a buffer of
 * their own (separate) or inside each block's data (extended LBA), on the
 * char device. Documentation/integrity.rst.
 */
#ifndef ZCBLK_META_H
#define ZCBLK_META_H

#include <linux/math.h>
#include <linux/mm.h>
#include <linux/types.h>

#include "dev.h"

struct netlink_ext_ack;
struct nvme_id_ns;
struct nvme_id_ns_nvm;
struct zcblk_limits;

/*
 * ZCBLK_MD_PAGES (pin.h), the most pages a command's separate metadata
 * spans: 1024 blocks of 512 bytes (the largest transfer) with 16 bytes
 * each, plus the one a buffer not starting on a page adds.
 */

/* Metadata bytes per block; 0 for a format without. */
static inline u32 zcblk_md_size(const struct zcblk_dev *dev)
{
	return dev->cfg.metadata_size;
}

/* Metadata in a buffer of its own (the command's MPTR)? */
static inline bool zcblk_md_separate(const struct zcblk_dev *dev)
{
	return dev->cfg.metadata_size &&
	       !(dev->cfg.flags & ZCBLK_DEV_F_EXTENDED_LBA);
}

/* Metadata interleaved in the data, each block's after its data? */
static inline bool zcblk_md_extended(const struct zcblk_dev *dev)
{
	return dev->cfg.flags & ZCBLK_DEV_F_EXTENDED_LBA;
}

/* Bytes @nlb blocks move in the data buffer. */
static inline u64 zcblk_md_data_bytes(const struct zcblk_dev *dev, u64 nlb)
{
	u64 per = dev->cfg.block_size;

	if (zcblk_md_extended(dev))
		per += dev->cfg.metadata_size;
	return nlb * per;
}

/*
 * Where a backend keeps block @lba's metadata: from the first page past the
 * data, in the same byte space (the mem backend's sparse store).
 */
static inline u64 zcblk_md_pos(const struct zcblk_dev *dev, u64 lba)
{
	return round_up(dev->cfg.size, PAGE_SIZE) +
	       lba * dev->cfg.metadata_size;
}

int zcblk_meta_init(struct zcblk_dev *dev, struct zcblk_limits *lim,
		    struct netlink_ext_ack *extack);
void zcblk_meta_id_ns(struct zcblk_dev *dev, struct nvme_id_ns *ns,
		      struct nvme_id_ns_nvm *nvm);
bool zcblk_meta_limits(const struct zcblk_config *cfg,
		       struct zcblk_limits *lim);
int zcblk_meta_lbaf(u32 idx, u32 *block_size, u32 *ms, bool *guard64);

#endif /* ZCBLK_META_H */
