// SPDX-License-Identifier: GPL-2.0
/*
 * Unreadable LBAs (Documentation/durability.rst): a disk's list of them, in
 * the kernel's bad block table (block/badblocks.c, as null_blk keeps one),
 * in 512-byte sectors. Write Uncorrectable adds to it; a read of a listed
 * sector fails, on the char device and the block device alike; a write,
 * Write Zeroes or deallocation of it takes it off again, as on a drive.
 * A file disk keeps its list beside the file: media_save.c.
 */
#include <linux/badblocks.h>
#include <linux/blkdev.h>
#include <linux/log2.h>
#include <linux/nvme.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/netlink.h>

#include "backend.h"
#include "dev.h"
#include "media.h"
#include "meta.h"
#include "nvme.h"
#include "pi.h"

/**
 * zcblk_media_init() - set up a disk's list of unreadable blocks
 * @dev: the disk being added
 *
 * Context: process context; may sleep.
 * Return: 0 or -ENOMEM.
 */
int zcblk_media_init(struct zcblk_dev *dev)
{
	mutex_init(&dev->bad_list_lock);
	mutex_init(&dev->bad_save_lock);
	spin_lock_init(&dev->bad_mark_lock);
	dev->bad_list = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!dev->bad_list)
		return -ENOMEM;
	return badblocks_init(&dev->bad, 1);
}

/**
 * zcblk_media_free() - free it, with the disk object
 * @dev: the disk
 */
void zcblk_media_free(struct zcblk_dev *dev)
{
	zcblk_media_release(dev);
	badblocks_exit(&dev->bad);
	kfree(dev->bad_list);
	mutex_destroy(&dev->bad_save_lock);
	mutex_destroy(&dev->bad_list_lock);
}

/*
 * badblocks_check() and _clear() take an int of sectors: a deallocation
 * or a format may span more, so they go in pieces.
 */
#define ZCBLK_BAD_PIECE		(1U << 30)	/* sectors */

static bool zcblk_media_check(struct zcblk_dev *dev, sector_t s, u64 n)
{
	sector_t first;
	int bad;
	u32 len;

	for (; n; s += len, n -= len) {
		len = min_t(u64, n, ZCBLK_BAD_PIECE);
		if (badblocks_check(&dev->bad, s, len, &first, &bad))
			return true;
	}
	return false;
}

/**
 * zcblk_media_clear() - take sectors off the bad block list
 * @dev: the disk
 * @s: the first sector
 * @n: sectors, any number
 *
 * Context: any context but hard interrupt: the table's seqlock.
 */
void zcblk_media_clear(struct zcblk_dev *dev, sector_t s, u64 n)
{
	u32 len;

	for (; n; s += len, n -= len) {
		len = min_t(u64, n, ZCBLK_BAD_PIECE);
		badblocks_clear(&dev->bad, s, len);
	}
}

/* Does @io write (and so take its sectors off the list)? */
static bool zcblk_media_rewrites(struct zcblk_io *io)
{
	switch (io->op) {
	case ZCBLK_IO_WRITE:
	case ZCBLK_IO_WRITE_ZEROES:
	case ZCBLK_IO_DISCARD:
	case ZCBLK_IO_COPY:
		return true;
	default:
		return false;
	}
}

/*
 * Can the list take [@s, @s + @n) off? Not when that is inside one range
 * and the table has no room for the range's second half: 6.12 splits
 * with two entries free, 6.1 with one; with either, never.
 */
static bool zcblk_media_can_clear(struct zcblk_dev *dev, sector_t s, u64 n)
{
	sector_t first;
	int len;

	if (READ_ONCE(dev->bad.count) + 2 <= MAX_BADBLOCKS ||
	    n > ZCBLK_BAD_PIECE || !badblocks_check(&dev->bad, s, n, &first,
						     &len))
		return true;
	return first >= s || first + len <= s + n;
}

/**
 * zcblk_media_io() - what the bad block list does to a backend operation
 * @dev: the disk
 * @io: the operation, before the backend sees it
 *
 * A read, compare or verify that touches a listed sector (a Copy, its
 * source) fails with BLK_STS_MEDIUM (the NVMe driver's status for
 * Unrecovered Read Error), moving nothing. Writes take their range off the
 * list once done (zcblk_media_written()); one that the full table could
 * not take off fails so too, @io->write_fault set (Write Fault), nothing
 * written.
 *
 * Context: any context: the table is under a seqlock.
 * Return: true if @io failed here (io->sts set), else false.
 */
bool zcblk_media_io(struct zcblk_dev *dev, struct zcblk_io *io)
{
	u64 n = io->len >> SECTOR_SHIFT;
	sector_t s = io->pos >> SECTOR_SHIFT;

	switch (io->op) {
	case ZCBLK_IO_READ:
	case ZCBLK_IO_COMPARE:
	case ZCBLK_IO_VERIFY:
		break;
	case ZCBLK_IO_COPY:
		if (zcblk_media_check(dev, io->src >> SECTOR_SHIFT, n))
			goto fail;
		fallthrough;
	case ZCBLK_IO_WRITE:
	case ZCBLK_IO_WRITE_ZEROES:
	case ZCBLK_IO_DISCARD:
		if (zcblk_media_can_clear(dev, s, n))
			return false;
		io->write_fault = true;
		goto fail;
	default:
		return false;
	}
	if (!zcblk_media_check(dev, s, n))
		return false;
fail:
	io->sts = BLK_STS_MEDIUM;
	return true;
}

/**
 * zcblk_media_listed() - does a write cover listed sectors?
 * @dev: the disk
 * @io: the operation
 *
 * Context: any context.
 * Return: true for a write, Write Zeroes, deallocation or Copy (its
 * target) of which a sector is listed.
 */
bool zcblk_media_listed(struct zcblk_dev *dev, struct zcblk_io *io)
{
	return READ_ONCE(dev->bad.count) && zcblk_media_rewrites(io) &&
	       zcblk_media_check(dev, io->pos >> SECTOR_SHIFT,
				 io->len >> SECTOR_SHIFT);
}

/**
 * zcblk_media_written() - a write done: its sectors readable again
 * @dev: the disk
 * @io: the operation, which the backend carried out (or queued: a file
 *      disk's write that then fails has cleared its range already)
 *
 * A write that failed leaves the list as it was, as a drive whose write
 * to a failing block did not reach the media.
 *
 * Context: any context but hard interrupt.
 */
void zcblk_media_written(struct zcblk_dev *dev, struct zcblk_io *io)
{
	if (zcblk_media_rewrites(io))
		zcblk_media_clear(dev, io->pos >> SECTOR_SHIFT,
				  io->len >> SECTOR_SHIFT);
}

/*
 * The first stretch of [*@pos, @end) not listed: [*@pos, *@gend), false if
 * there is none. The table's entries are sorted and do not overlap.
 */
static bool zcblk_media_next_gap(struct badblocks *bb, sector_t *pos,
				 sector_t end, sector_t *gend)
{
	sector_t p, g;
	unsigned int seq;
	int i;

	do {
		seq = read_seqbegin(&bb->lock);
		p = *pos;
		g = end;
		for (i = 0; i < bb->count && p < end; i++) {
			sector_t a = BB_OFFSET(bb->page[i]);
			sector_t e = a + BB_LEN(bb->page[i]);

			if (e <= p)
				continue;
			if (a > p) {
				g = min(a, end);
				break;
			}
			p = e;		/* listed up to e */
		}
	} while (read_seqretry(&bb->lock, seq));
	if (p >= end)
		return false;
	*pos = p;
	*gend = g;
	return true;
}

/*
 * The entries marking [@s, @end) may add: per stretch not listed, one per
 * BB_MAX_LEN sectors past what the entry ending where it starts can still
 * grow by.
 */
static unsigned int zcblk_media_need(struct badblocks *bb, sector_t s,
				     sector_t end)
{
	unsigned int need, room, seq;
	sector_t pos, len;
	int i;

	do {
		seq = read_seqbegin(&bb->lock);
		need = 0;
		room = 0;
		pos = s;
		for (i = 0; i < bb->count && pos < end; i++) {
			sector_t a = BB_OFFSET(bb->page[i]);
			sector_t e = a + BB_LEN(bb->page[i]);

			if (e < pos)
				continue;
			if (a >= end)
				break;
			len = a > pos ? a - pos : 0;
			if (len > room)
				need += DIV_ROUND_UP(len - room, BB_MAX_LEN);
			room = BB_MAX_LEN - BB_LEN(bb->page[i]);
			pos = max(pos, e);
		}
		len = pos < end ? end - pos : 0;
		if (len > room)
			need += DIV_ROUND_UP(len - room, BB_MAX_LEN);
	} while (read_seqretry(&bb->lock, seq));
	return need;
}

/**
 * zcblk_media_mark() - list blocks as unreadable, all or none
 * @dev: the disk
 * @lba: the first block
 * @nlb: how many
 *
 * The kernel's table (512 entries of up to BB_MAX_LEN sectors) takes what
 * fits of a range and drops the rest, which 6.12 even calls success: so a
 * range that might not fit is refused before anything changes, and each
 * stretch not yet listed is set on its own, overlapping none (6.1 would
 * insert over listed ones). Writes clearing meanwhile only make room.
 *
 * Context: any; takes dev->bad_mark_lock.
 * Return: 0, or -ENOSPC with nothing listed.
 */
int zcblk_media_mark(struct zcblk_dev *dev, u64 lba, u64 nlb)
{
	u32 shift = ilog2(dev->cfg.block_size) - SECTOR_SHIFT;
	sector_t pos = lba << shift, end = (lba + nlb) << shift, gend;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&dev->bad_mark_lock, flags);
	if (READ_ONCE(dev->bad.count) + zcblk_media_need(&dev->bad, pos, end) >
	    MAX_BADBLOCKS) {
		ret = -ENOSPC;
		goto out;
	}
	while (zcblk_media_next_gap(&dev->bad, &pos, end, &gend)) {
		/*
		 * In pieces of BB_MAX_LEN: 6.1 inserts the pieces of a longer
		 * range each before the last, out of order.
		 */
		while (pos < gend) {
			int n = min_t(sector_t, gend - pos, BB_MAX_LEN);

			/* Only a racing clear's split could take the room. */
			if (badblocks_set(&dev->bad, pos, n, 1)) {
				ret = -ENOSPC;
				goto out;
			}
			pos += n;
		}
	}
out:
	spin_unlock_irqrestore(&dev->bad_mark_lock, flags);
	return ret;
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
	if (zcblk_media_mark(dev, slba, nlb))
		return ZCBLK_STATUS(NVME_SC_CAP_EXCEEDED);
	return 0;
}

/**
 * zcblk_media_change() - DEV_SET bad-lba: mark blocks unreadable, or clear
 * @dev: the disk
 * @lba: the first block
 * @nlb: how many, 1 to ZCBLK_MEDIA_MAX_NLB
 * @clear: take them off the list instead
 * @extack: for the reason of a refusal
 *
 * As Write Uncorrectable does, or a write would, from the control plane;
 * a file disk's list is saved beside its file at once.
 *
 * Context: process context.
 * Return: 0, -EOPNOTSUPP (zoned), -ERANGE (past the disk), -ENOSPC (the
 * table is full: for a clear, one inside a range, whose split needs an
 * entry; that range stays listed, what else it cleared is saved) or
 * the save's error, the list changed all the same (a flush then fails, as
 * it cannot make the list durable).
 */
int zcblk_media_change(struct zcblk_dev *dev, u64 lba, u32 nlb, bool clear,
		       struct netlink_ext_ack *extack)
{
	u32 shift = ilog2(dev->cfg.block_size) - SECTOR_SHIFT;
	u64 nsze = dev->cfg.size >> ilog2(dev->cfg.block_size);
	bool unclear = false;
	int ret;

	if (zcblk_zoned(dev)) {
		NL_SET_ERR_MSG(extack, "bad-lba: not on a zoned disk");
		return -EOPNOTSUPP;
	}
	if (lba >= nsze || nlb > nsze - lba) {
		NL_SET_ERR_MSG(extack, "bad-lba: past the end of the disk");
		return -ERANGE;
	}
	if (clear) {
		zcblk_media_clear(dev, lba << shift, (u64)nlb << shift);
		/*
		 * A split the full table has no room for leaves the range
		 * listed, on either kernel (6.1: -ENOSPC; 6.12: undone).
		 */
		unclear = zcblk_media_check(dev, lba << shift,
					    (u64)nlb << shift);
	} else if (zcblk_media_mark(dev, lba, nlb)) {
		NL_SET_ERR_MSG(extack,
			       "bad-lba: the bad block table is full (512 ranges of up to 256 KiB)");
		return -ENOSPC;
	}
	ret = zcblk_media_save(dev);
	if (ret) {
		NL_SET_ERR_MSG(extack,
			       "bad-lba: the list changed, but the one beside the file (.bad) cannot be written");
		return ret;
	}
	if (unclear) {
		NL_SET_ERR_MSG(extack,
			       "bad-lba: the bad block table is full: clearing inside a range would split it");
		return -ENOSPC;
	}
	return 0;
}

/**
 * zcblk_media_corrupt() - DEV_SET corrupt-lba: flip stored bytes silently
 * @dev: the disk
 * @lba: the first block
 * @nlb: how many, 1 to ZCBLK_MEDIA_MAX_NLB
 * @what: enum zcblk_corrupt: which byte of each block
 * @extack: for the reason of a refusal
 *
 * Each block's byte is inverted where the backend stores it, as media
 * that decayed: reads return it, and protection information checks catch
 * it (Documentation/integrity.rst). A write racing it to the same block
 * wins or loses as it comes.
 *
 * Context: process context.
 * Return: 0, -EOPNOTSUPP (no stored data, or no metadata or protection
 * information to corrupt), -ERANGE (past the disk) or the backend's error.
 */
int zcblk_media_corrupt(struct zcblk_dev *dev, u64 lba, u32 nlb, u32 what,
			struct netlink_ext_ack *extack)
{
	u32 bs = dev->cfg.block_size, ms = zcblk_md_size(dev);
	u64 nsze = dev->cfg.size >> ilog2(bs), pos, i;
	u32 pi = zcblk_pi_offset(&dev->cfg);	/* where PI is in the metadata */
	u8 byte;
	int ret;

	if (!dev->ops->data_rw) {
		NL_SET_ERR_MSG(extack, "corrupt-lba: the backend stores no data");
		return -EOPNOTSUPP;
	}
	if (what != ZCBLK_CORRUPT_DATA && !ms) {
		NL_SET_ERR_MSG(extack, "corrupt: the disk has no metadata");
		return -EOPNOTSUPP;
	}
	if (what > ZCBLK_CORRUPT_METADATA && !zcblk_pi_type(dev)) {
		NL_SET_ERR_MSG(extack,
			       "corrupt: the disk has no protection information");
		return -EOPNOTSUPP;
	}
	if (lba >= nsze || nlb > nsze - lba) {
		NL_SET_ERR_MSG(extack, "corrupt-lba: past the end of the disk");
		return -ERANGE;
	}
	for (i = lba; i < lba + nlb; i++) {
		switch (what) {
		case ZCBLK_CORRUPT_DATA:
			pos = i * bs;
			break;
		case ZCBLK_CORRUPT_METADATA:
			pos = zcblk_md_pos(dev, i);
			break;
		case ZCBLK_CORRUPT_GUARD:
			pos = zcblk_md_pos(dev, i) + pi;
			break;
		case ZCBLK_CORRUPT_APP_TAG:
			pos = zcblk_md_pos(dev, i) + pi +
			      zcblk_pi_guard_size(&dev->cfg);
			break;
		default:	/* the policy allows nothing else */
			pos = zcblk_md_pos(dev, i) + pi +
			      zcblk_pi_size(&dev->cfg) - 1;
			break;
		}
		ret = dev->ops->data_rw(dev, false, pos, &byte, 1);
		if (!ret) {
			byte = ~byte;
			ret = dev->ops->data_rw(dev, true, pos, &byte, 1);
		}
		if (ret) {
			NL_SET_ERR_MSG(extack, "corrupt-lba: the backend failed");
			return ret;
		}
	}
	return 0;
}

static int zcblk_media_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/**
 * zcblk_media_list() - the unreadable ranges, in blocks, merged
 * @dev: the disk
 * @fn: called for each range, in LBA order; a nonzero return stops
 * @arg: for @fn
 *
 * Context: process context; takes dev->bad_list_lock, so @fn must not
 * list again.
 * Return: 0 or what @fn returned.
 */
int zcblk_media_list(struct zcblk_dev *dev,
		     int (*fn)(u64 lba, u64 nlb, void *arg), void *arg)
{
	u32 shift = ilog2(dev->cfg.block_size) - SECTOR_SHIFT;
	struct badblocks *bb = &dev->bad;
	u64 *copy = dev->bad_list, start = 0, end = 0;
	unsigned int seq;
	int i, n, ret = 0;

	mutex_lock(&dev->bad_list_lock);
	do {
		seq = read_seqbegin(&bb->lock);
		n = READ_ONCE(bb->count);
		memcpy(copy, bb->page, n * sizeof(u64));
	} while (read_seqretry(&bb->lock, seq));
	/*
	 * By offset (the high bits, once the ack bit is gone): 6.1's table
	 * may hold entries that overlap, out of order, after a long range
	 * was set over shorter ones.
	 */
	for (i = 0; i < n; i++)
		copy[i] &= ~BB_ACK_MASK;
	sort(copy, n, sizeof(*copy), zcblk_media_cmp, NULL);
	for (i = 0; i <= n && !ret; i++) {
		u64 s = i < n ? BB_OFFSET(copy[i]) : 0;

		/* sorted now; they may touch or overlap */
		if (i < n && end && s <= end) {
			end = max(end, s + BB_LEN(copy[i]));
			continue;
		}
		if (end)
			ret = fn(start >> shift, (end - start) >> shift, arg);
		if (i < n) {
			start = s;
			end = s + BB_LEN(copy[i]);
		}
	}
	mutex_unlock(&dev->bad_list_lock);
	return ret;
}
