// SPDX-License-Identifier: GPL-2.0
/*
 * Format NVM (admin 80h), as a drive runs it on a namespace: the LBA format
 * (block size, metadata size and layout, protection information) changes,
 * every block is erased, the capacity in blocks follows, and the block
 * device is revalidated the way the NVMe driver revalidates a namespace:
 * logical block size, integrity profile, and a capacity of 0 for a format
 * the block layer cannot carry. Only a disk no one uses is formatted
 * (dev.c's zcblk_dev_quiesced()).
 */
#include <linux/bitfield.h>
#include <linux/blkdev.h>
#include <linux/nvme.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"
#include "fdp.h"
#include "format.h"
#include "media.h"
#include "meta.h"
#include "nvme.h"
#include "zns.h"

/* CDW10 */
#define ZCBLK_FMT_LBAFL		GENMASK(3, 0)
#define ZCBLK_FMT_MSET		BIT(4)		/* extended LBA */
#define ZCBLK_FMT_PI		GENMASK(7, 5)
#define ZCBLK_FMT_PIL		BIT(8)		/* PI first */
#define ZCBLK_FMT_SES		GENMASK(11, 9)
#define ZCBLK_FMT_LBAFU		GENMASK(13, 12)

/* The format asked for, checked. */
struct zcblk_format_req {
	u32 block_size;
	u32 metadata_size;
	u32 pi_type;
	u32 flags;			/* EXTENDED_LBA, PI_FIRST, PI_GUARD64 */
};

/**
 * zcblk_format_supported() - tell whether a disk takes Format NVM
 * @dev: the disk
 *
 * Disks whose state outlives a format in ways a format would have to keep
 * consistent are not formatted: zones, placement, a write cache, a backing
 * file (OACS says so).
 *
 * Return: true if it does.
 */
bool zcblk_format_supported(struct zcblk_dev *dev)
{
	return dev->ops->format && !zcblk_zoned(dev) && !zcblk_fdp(dev) &&
	       !dev->cfg.write_cache;
}

/* Nothing in flight, no one else looking: the disk takes the format. */
static int zcblk_format_apply(struct zcblk_dev *dev, void *arg)
{
	const struct zcblk_format_req *f = arg;
	struct zcblk_config cfg = {
		.block_size = f->block_size,
		.metadata_size = f->metadata_size,
		.pi_type = f->pi_type,
		.flags = f->flags,
	};
	struct zcblk_limits lim = {
		.logical_block_size = f->block_size,
		.max_segments = ZCBLK_MAX_SEGS,
	};
	bool carried;

	lockdep_assert_held(&dev->ctl_lock);
	/* Checked again: a power cut may have come since zcblk_format()'s. */
	if (zcblk_power_off(dev))
		return NVME_SC_NS_NOT_READY;
	carried = zcblk_meta_limits(&cfg, &lim);

	/* A disk made without a block device keeps none, nor a profile. */
	if (!dev->disk)
		lim.pi_type = 0;

	/* The only step that can fail: nothing changed if it does. */
	if (zcblk_compat_set_format(dev->queue, dev->disk, &lim))
		return ZCBLK_STATUS_INTERNAL;
	dev->cfg.block_size = f->block_size;
	dev->cfg.metadata_size = f->metadata_size;
	dev->cfg.pi_type = f->pi_type;
	dev->cfg.flags = (dev->cfg.flags & ~(ZCBLK_DEV_F_EXTENDED_LBA |
					     ZCBLK_DEV_F_PI_FIRST |
					     ZCBLK_DEV_F_PI_GUARD64)) | f->flags;
	dev->ops->format(dev);
	/* The media is new: no grown defects. */
	zcblk_media_clear(dev, 0, dev->cfg.size >> SECTOR_SHIFT);
	zcblk_nvme_ident_refill(dev);
	if (dev->disk)
		set_capacity_and_notify(dev->disk, carried ?
					dev->cfg.size >> SECTOR_SHIFT : 0);
	return 0;
}

/**
 * zcblk_format() - run Format NVM
 * @dev: the disk
 * @nc: the command, read once
 *
 * Context: process context; may sleep (waits up to a second for the disk
 * to be idle).
 * Return: 0, an NVMe status, -EBUSY if the block device is open or
 * commands are in flight (nothing changed), or -ENODEV.
 */
int zcblk_format(struct zcblk_dev *dev, const struct zcblk_nvme_cmd *nc)
{
	u32 lbaf = FIELD_GET(ZCBLK_FMT_LBAFL, nc->cdw10) |
		   FIELD_GET(ZCBLK_FMT_LBAFU, nc->cdw10) << 4;
	struct zcblk_format_req f = {
		.pi_type = FIELD_GET(ZCBLK_FMT_PI, nc->cdw10),
	};
	bool guard64;

	/* An fd that outlives its disk only ever sees -ENODEV. */
	if (!zcblk_dev_live(dev))
		return -ENODEV;
	if (!zcblk_format_supported(dev))
		return ZCBLK_STATUS_OPCODE;
	if (nc->nsid != ZCBLK_NSID && nc->nsid != NVME_NSID_ALL)
		return ZCBLK_STATUS_NS;
	/* Power cut (wcache.c): the media is not there to erase. */
	if (zcblk_power_off(dev))
		return NVME_SC_NS_NOT_READY;
	/* SES 1, user data erase, is what every format does; no crypto. */
	if ((nc->cdw10 & ~GENMASK(13, 0)) || nc->cdw2 || nc->cdw3 ||
	    nc->cdw11 || nc->cdw12 || nc->cdw13 || nc->cdw14 || nc->cdw15 ||
	    f.pi_type > 3 || FIELD_GET(ZCBLK_FMT_SES, nc->cdw10) > 1)
		return ZCBLK_STATUS_FIELD;
	if (zcblk_meta_lbaf(lbaf, &f.block_size, &f.metadata_size, &guard64) ||
	    dev->cfg.size % f.block_size)
		return ZCBLK_STATUS(NVME_SC_INVALID_FORMAT);
	if (guard64)
		f.flags |= ZCBLK_DEV_F_PI_GUARD64;
	if (f.metadata_size) {
		if (nc->cdw10 & ZCBLK_FMT_MSET)
			f.flags |= ZCBLK_DEV_F_EXTENDED_LBA;
		if (f.pi_type && (nc->cdw10 & ZCBLK_FMT_PIL))
			f.flags |= ZCBLK_DEV_F_PI_FIRST;
	}
	/* PI needs metadata, and a backend that keeps it (meta.c) */
	if (f.pi_type && (!f.metadata_size || dev->ops != &zcblk_mem_backend))
		return ZCBLK_STATUS(NVME_SC_INVALID_FORMAT);
	/* It erases: refused on a write-protected namespace, as writes are. */
	if (dev->cfg.flags & ZCBLK_DEV_F_READ_ONLY)
		return ZCBLK_STATUS_WRITE_PROT;
	return zcblk_dev_quiesced(dev, zcblk_format_apply, &f);
}
