// SPDX-License-Identifier: GPL-2.0
/*
 * Unreadable LBAs (Documentation/durability.rst): a disk's list of them, in
 * the kernel's bad block table (block/badblocks.c, as null_blk keeps one),
 * in 512-byte sectors. Write Uncorrectable adds to it; a read of a listed
 * sector fails, on the char device and the block device alike; a write,
 * Write Zeroes or deallocation of it takes it off again, as on a drive.
 */
#include <linux/badblocks.h>
#include <linux/blkdev.h>
#include <linux/log2.h>
#include <linux/nvme.h>

#include "backend.h"
#include "dev.h"
#include "media.h"
#include "nvme.h"

/**
 * zcblk_media_init() - set up a disk's list of unreadable blocks
 * @dev: the disk being added
 *
 * Context: process context; may sleep.
 * Return: 0 or -ENOMEM.
 */
int zcblk_media_init(struct zcblk_dev *dev)
{
	return badblocks_init(&dev->bad, 1);
}

/**
 * zcblk_media_free() - free it, with the disk object
 * @dev: the disk
 */
void zcblk_media_free(struct zcblk_dev *dev)
{
	badblocks_exit(&dev->bad);
}

/**
 * zcblk_media_io() - what the bad block list does to a backend operation
 * @dev: the disk
 * @io: the operation, before the backend sees it
 *
 * Writes of any kind take their range off the list; a read or compare
 * that touches a listed sector fails with BLK_STS_MEDIUM (the NVMe
 * driver's status for Unrecovered Read Error), moving nothing.
 *
 * Context: any context: the table is under a seqlock.
 * Return: true if @io failed here (io->sts set), else false.
 */
bool zcblk_media_io(struct zcblk_dev *dev, struct zcblk_io *io)
{
	sector_t s = io->pos >> SECTOR_SHIFT, first;
	int n = io->len >> SECTOR_SHIFT, len;

	/* Unlocked: a list being changed meanwhile races the I/O anyway. */
	if (likely(!READ_ONCE(dev->bad.count)) || !n)
		return false;
	switch (io->op) {
	case ZCBLK_IO_READ:
	case ZCBLK_IO_COMPARE:
		if (!badblocks_check(&dev->bad, s, n, &first, &len))
			return false;
		io->sts = BLK_STS_MEDIUM;
		return true;
	case ZCBLK_IO_WRITE:
	case ZCBLK_IO_WRITE_ZEROES:
	case ZCBLK_IO_DISCARD:
		badblocks_clear(&dev->bad, s, n);
		return false;
	default:
		return false;
	}
}

/**
 * zcblk_media_write_uncor() - Write Uncorrectable
 * @dev: the disk
 * @slba: the first block, the range checked against the namespace
 * @nlb: the blocks
 *
 * Context: any context.
 * Return: 0, or Capacity Exceeded when the table (512 ranges) is full.
 */
int zcblk_media_write_uncor(struct zcblk_dev *dev, u64 slba, u32 nlb)
{
	u32 shift = ilog2(dev->cfg.block_size) - SECTOR_SHIFT;

	if (badblocks_set(&dev->bad, slba << shift, nlb << shift, 1))
		return ZCBLK_STATUS(NVME_SC_CAP_EXCEEDED);
	return 0;
}
