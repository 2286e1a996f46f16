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
#include "pi.h"

/*
 * The formats every disk lists, as Identify Namespace's LBAF table and, for
 * the guard (PIF), the NVM Command Set's ELBAF table: 16-bit guard first
 * (the indexes disks had before the 64-bit guard came), then 64-bit.
 */
static const struct {
	u16 ms;
	u8 ds;
	bool guard64;
} zcblk_lbafs[] = {
	{ 0, 9 }, { 8, 9 }, { 16, 9 }, { 0, 12 }, { 8, 12 }, { 64, 12 },
	{ 16, 9, true }, { 16, 12, true }, { 64, 12, true },
};

/* ELBAF: bits 6:0 the storage tag size (0), 8:7 the guard (PIF) */
#define ZCBLK_ELBAF_PIF_SHIFT	7
#define ZCBLK_PIF_64B		2

static int zcblk_lbaf_index(const struct zcblk_config *cfg)
{
	bool guard64 = cfg->flags & ZCBLK_DEV_F_PI_GUARD64;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(zcblk_lbafs); i++)
		if (1U << zcblk_lbafs[i].ds == cfg->block_size &&
		    zcblk_lbafs[i].ms == cfg->metadata_size &&
		    zcblk_lbafs[i].guard64 == guard64)
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
 * metadata where it is not kept (zoned disks) or PI where it cannot be
 * (null and file backends).
 */
int zcblk_meta_init(struct zcblk_dev *dev, struct zcblk_limits *lim,
		    struct netlink_ext_ack *extack)
{
	const struct zcblk_config *cfg = &dev->cfg;

	if (zcblk_pi_guard64(cfg) && zcblk_lbaf_index(cfg) < 0) {
		NL_SET_ERR_MSG(extack,
			       "flags: pi-guard64 needs metadata-size 16, or 64 with block-size 4096");
		return -EINVAL;
	}
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
	if (zcblk_lbaf_index(cfg) < 0) {
		NL_SET_ERR_MSG(extack,
			       "metadata-size: 8 or 16 with block-size 512, 8 or 64 with 4096");
		return -EINVAL;
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
	/*
	 * A backing file's metadata region holds what was written, zeros
	 * where nothing was: not the escape tags of blocks never written.
	 */
	if (cfg->pi_type && cfg->backend == &zcblk_file_backend) {
		NL_SET_ERR_MSG(extack,
			       "pi-type: the file backend keeps metadata, not protection information");
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
	u32 pi_offset = zcblk_pi_offset(cfg);

	lim->pi_type = 0;
	if (!cfg->metadata_size)
		return true;
	if (!cfg->pi_type || (cfg->flags & ZCBLK_DEV_F_EXTENDED_LBA) ||
	    !zcblk_compat_pi_offset_ok(pi_offset))
		return false;
	lim->pi_type = cfg->pi_type;
	lim->pi_guard64 = zcblk_pi_guard64(cfg);
	lim->pi_tuple_size = cfg->metadata_size;
	lim->pi_offset = pi_offset;
	return true;
}

/**
 * zcblk_meta_lbaf() - an LBA format of the table
 * @idx: its index, as FLBAS or Format NVM's LBAF give it
 * @block_size: its block size
 * @ms: its metadata bytes per block
 * @guard64: whether its protection information has the 64-bit guard
 *
 * Return: 0, or -EINVAL if there is no such format.
 */
int zcblk_meta_lbaf(u32 idx, u32 *block_size, u32 *ms, bool *guard64)
{
	if (idx >= ARRAY_SIZE(zcblk_lbafs))
		return -EINVAL;
	*block_size = 1U << zcblk_lbafs[idx].ds;
	*ms = zcblk_lbafs[idx].ms;
	*guard64 = zcblk_lbafs[idx].guard64;
	return 0;
}

/**
 * zcblk_meta_id_ns() - the format fields of Identify Namespace
 * @dev: the disk
 * @ns: its Identify Namespace data
 * @nvm: its NVM Command Set Identify Namespace data (CNS 05h, CSI 0)
 *
 * Every format of the table, the disk's in use, and in @nvm (CNS 05h, CSI
 * 0) each one's guard; both metadata layouts offered (MC), protection information of each type first or last (DPC)
 * and the disk's (DPS). A zoned disk lists its own format alone: zones
 * come without metadata.
 */
void zcblk_meta_id_ns(struct zcblk_dev *dev, struct nvme_id_ns *ns,
		      struct nvme_id_ns_nvm *nvm)
{
	int idx = zcblk_lbaf_index(&dev->cfg);
	unsigned int i;

	if (zcblk_zoned(dev)) {
		ns->lbaf[0].ds = ilog2(dev->cfg.block_size);
		return;
	}
	ns->nlbaf = ARRAY_SIZE(zcblk_lbafs) - 1;	/* 0's based */
	for (i = 0; i < ARRAY_SIZE(zcblk_lbafs); i++) {
		ns->lbaf[i].ms = cpu_to_le16(zcblk_lbafs[i].ms);
		ns->lbaf[i].ds = zcblk_lbafs[i].ds;
		if (zcblk_lbafs[i].guard64)
			nvm->elbaf[i] = cpu_to_le32(ZCBLK_PIF_64B <<
						    ZCBLK_ELBAF_PIF_SHIFT);
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
