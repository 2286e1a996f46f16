// SPDX-License-Identifier: GPL-2.0
/*
 * LBA formats with metadata (Documentation/integrity.rst): which a disk
 * offers and which it uses. The metadata itself moves with the data: pinned
 * beside it (pin.c), stored beside it (mem.c).
 */
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/netlink.h>
#include <linux/nvme.h>

#include "backend.h"
#include "compat.h"
#include "meta.h"

/* The formats every disk lists, as Identify Namespace's LBAF table. */
static const struct {
	u16 ms;
	u8 ds;
} zcblk_lbafs[] = {
	{ 0, 9 }, { 8, 9 }, { 16, 9 }, { 0, 12 }, { 8, 12 }, { 64, 12 },
};

static int zcblk_lbaf_index(u32 block_size, u32 ms)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(zcblk_lbafs); i++)
		if (1U << zcblk_lbafs[i].ds == block_size &&
		    zcblk_lbafs[i].ms == ms)
			return i;
	return -1;
}

/**
 * zcblk_meta_init() - check a disk's format
 * @dev: the disk being added, its backend open (the block size is settled)
 * @lim: its queue limits, which get the integrity profile
 * @extack: for the reason of a refusal
 *
 * The block layer carries metadata only as an integrity profile's
 * protection information, in a buffer of its own: a disk with PI and
 * separate metadata has a block device with that profile (where the kernel
 * has a profile for the PI's place in the metadata); any other disk with
 * metadata has none.
 *
 * Context: process context.
 * Return: 0, -EINVAL for a format not in the table, or -EOPNOTSUPP for
 * metadata where it is not kept (file backend, zoned disks).
 */
int zcblk_meta_init(struct zcblk_dev *dev, struct zcblk_limits *lim,
		    struct netlink_ext_ack *extack)
{
	const struct zcblk_config *cfg = &dev->cfg;

	if ((cfg->flags & ZCBLK_DEV_F_PI_FIRST) && !cfg->pi_type) {
		NL_SET_ERR_MSG(extack, "flags: pi-first needs pi-type");
		return -EINVAL;
	}
	if (!cfg->metadata_size) {
		if (cfg->pi_type) {
			NL_SET_ERR_MSG(extack, "pi-type: needs metadata-size");
			return -EINVAL;
		}
		if (!zcblk_md_extended(dev))
			return 0;
		NL_SET_ERR_MSG(extack, "flags: extended-lba needs metadata-size");
		return -EINVAL;
	}
	if (zcblk_lbaf_index(cfg->block_size, cfg->metadata_size) < 0) {
		NL_SET_ERR_MSG(extack,
			       "metadata-size: 8 or 16 with block-size 512, 8 or 64 with 4096");
		return -EINVAL;
	}
	if (cfg->backend == &zcblk_file_backend) {
		NL_SET_ERR_MSG(extack,
			       "metadata-size: the file backend keeps no metadata");
		return -EOPNOTSUPP;
	}
	if (cfg->flags & ZCBLK_DEV_F_ZONED) {
		NL_SET_ERR_MSG(extack, "metadata-size: not on zoned disks");
		return -EOPNOTSUPP;
	}
	if (cfg->pi_type && cfg->backend == &zcblk_null_backend) {
		NL_SET_ERR_MSG(extack,
			       "pi-type: the null backend keeps nothing to check");
		return -EOPNOTSUPP;
	}
	if (!zcblk_meta_limits(cfg, lim))
		dev->no_bdev = true;
	return 0;
}

/**
 * zcblk_meta_limits() - the integrity profile of a format
 * @cfg: the disk's configuration, its format in it
 * @lim: queue limits, whose integrity fields this sets
 *
 * The block layer carries metadata only as an integrity profile's
 * protection information, in a buffer of its own, at a place in it the
 * kernel's profile knows.
 *
 * Return: whether the block layer can carry the format: no metadata, or
 * such protection information.
 */
bool zcblk_meta_limits(const struct zcblk_config *cfg,
		       struct zcblk_limits *lim)
{
	u32 pi_offset = cfg->flags & ZCBLK_DEV_F_PI_FIRST ? 0 :
						       cfg->metadata_size - 8;

	lim->pi_type = 0;
	if (!cfg->metadata_size)
		return true;
	if (!cfg->pi_type || (cfg->flags & ZCBLK_DEV_F_EXTENDED_LBA) ||
	    !zcblk_compat_pi_offset_ok(pi_offset))
		return false;
	lim->pi_type = cfg->pi_type;
	lim->pi_tuple_size = cfg->metadata_size;
	lim->pi_offset = pi_offset;
	return true;
}

/**
 * zcblk_meta_lbaf() - an LBA format of the table
 * @idx: its index, as FLBAS or Format NVM's LBAF give it
 * @block_size: its block size
 * @ms: its metadata bytes per block
 *
 * Return: 0, or -EINVAL if there is no such format.
 */
int zcblk_meta_lbaf(u32 idx, u32 *block_size, u32 *ms)
{
	if (idx >= ARRAY_SIZE(zcblk_lbafs))
		return -EINVAL;
	*block_size = 1U << zcblk_lbafs[idx].ds;
	*ms = zcblk_lbafs[idx].ms;
	return 0;
}

/**
 * zcblk_meta_id_ns() - the format fields of Identify Namespace
 * @dev: the disk
 * @ns: its Identify Namespace data
 *
 * Every format of the table, the disk's in use; both metadata layouts
 * offered (MC), protection information of each type first or last (DPC)
 * and the disk's (DPS). A zoned disk lists its own format alone: zones
 * come without metadata.
 */
void zcblk_meta_id_ns(struct zcblk_dev *dev, struct nvme_id_ns *ns)
{
	int idx = zcblk_lbaf_index(dev->cfg.block_size, dev->cfg.metadata_size);
	unsigned int i;

	if (zcblk_zoned(dev)) {
		ns->lbaf[0].ds = ilog2(dev->cfg.block_size);
		return;
	}
	ns->nlbaf = ARRAY_SIZE(zcblk_lbafs) - 1;	/* 0's based */
	for (i = 0; i < ARRAY_SIZE(zcblk_lbafs); i++) {
		ns->lbaf[i].ms = cpu_to_le16(zcblk_lbafs[i].ms);
		ns->lbaf[i].ds = zcblk_lbafs[i].ds;
	}
	ns->flbas = idx | (zcblk_md_extended(dev) ? NVME_NS_FLBAS_META_EXT : 0);
	ns->mc = NVME_MC_EXTENDED_LBA | NVME_MC_METADATA_PTR;
	ns->dpc = NVME_NS_DPC_PI_TYPE1 | NVME_NS_DPC_PI_TYPE2 |
		  NVME_NS_DPC_PI_TYPE3 | NVME_NS_DPC_PI_FIRST |
		  NVME_NS_DPC_PI_LAST;
	ns->dps = dev->cfg.pi_type |
		  (dev->cfg.flags & ZCBLK_DEV_F_PI_FIRST ? NVME_NS_DPS_PI_FIRST :
							   0);
}
