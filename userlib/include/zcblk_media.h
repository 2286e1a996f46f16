/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libzcblk's failures of the media, as a test bench makes them: a power
 * cut that loses what the write cache holds (zcblk_dev_power()),
 * unreadable blocks (zcblk_dev_set_bad(), zcblk_dev_bad_list()) and
 * silent corruption (zcblk_dev_corrupt()). Part of <zcblk.h>, which
 * includes this header: include <zcblk.h>. Its conventions hold here.
 */
#ifndef LIBZCBLK_ZCBLK_MEDIA_H
#define LIBZCBLK_ZCBLK_MEDIA_H

#ifndef LIBZCBLK_H
#error "include <zcblk.h>, not <zcblk_media.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/**
 * zcblk_dev_power() - cut a disk's power, or give it back
 *	(ZCBLK_CMD_DEV_SET power; needs CAP_SYS_ADMIN; LIBZCBLK_1.1)
 * @ctx: context
 * @index: disk index
 * @state: enum zcblk_power_state: %ZCBLK_POWER_STATE_CUT loses what the
 *	disk's volatile write cache holds, as @cut_mode says, and fails
 *	every I/O from then on; %ZCBLK_POWER_STATE_ON lets I/O run again
 *	(Documentation/durability.rst).  The state the disk already has
 *	changes nothing and succeeds
 * @cut_mode: with %ZCBLK_POWER_STATE_CUT, enum zcblk_cut_mode: what
 *	survives of each write not yet durable: %ZCBLK_CUT_MODE_DROP
 *	nothing, %ZCBLK_CUT_MODE_BLOCKS each block or not at random,
 *	%ZCBLK_CUT_MODE_TORN the first N blocks, N at random; 0 is not sent
 *	and the kernel's default, drop, applies
 * @cut_seed: with %ZCBLK_POWER_STATE_CUT, the seed of @cut_mode's random
 *	choices (the same seed, writes and mode lose the same blocks);
 *	default 0
 *
 * One DEV_SET request with the power attribute; the cut-mode attribute
 * goes with it when @cut_mode is non-zero, cut-seed when @cut_seed is
 * non-zero or, with %ZCBLK_POWER_STATE_CUT, @cut_mode is (a mode given
 * comes with its seed, even 0).  So a non-zero @cut_mode or @cut_seed with
 * another @state reaches the kernel, which refuses it: nothing is
 * silently dropped.  The disk's other settings are left as they are;
 * zcblk_dev_get() describes the disk afterwards (@power).
 *
 * Return: 0; -EINVAL if @ctx is NULL; else the kernel's answer: -ENODEV
 * (no disk @index, or it is being removed), -EPERM, -ERANGE (@state or
 * @cut_mode not one of their enum's values), -EINVAL (@cut_mode or
 * @cut_seed with a @state other than %ZCBLK_POWER_STATE_CUT:
 * "cut-mode, cut-seed: only with power cut"; from a module without power
 * cuts, whose zcblk_features() reports no @cut_modes, any request), the
 * backend's errno if it failed to write what the cut leaves ("power: the
 * backend failed the cut"; the power is cut all the same), -ENOMEM
 * (the cut had not the memory it needs: nothing changed, the power is
 * still on), ...  -ENODEV from an older module also if the disk was
 * removed right after the change, as for zcblk_dev_set().
 */
ZCBLK_EXPORT int zcblk_dev_power(struct zcblk_ctx *ctx, __u32 index,
				 __u32 state, __u32 cut_mode, __u64 cut_seed);

/* Bits of zcblk_dev_set_bad()'s @flags. */
#define ZCBLK_BAD_CLEAR		(1U << 0)	/* readable again, not bad */

/**
 * zcblk_dev_set_bad() - mark a disk's blocks unreadable, or readable again
 *	(ZCBLK_CMD_DEV_SET bad-lba; needs CAP_SYS_ADMIN; LIBZCBLK_1.1)
 * @ctx: context
 * @index: disk index
 * @lba: the first block, in the disk's blocks (&zcblk_dev_info.block_size)
 * @nlb: how many blocks, 1 to 65536 (one NVMe command's worth)
 * @flags: 0 marks the blocks unreadable, as Write Uncorrectable does:
 *	a read that touches one fails, Unrecovered Read Error (281h, DNR)
 *	on the char device, -ENODATA on the block device, until a write
 *	(Write, Write Zeroes, a deallocation) of that block makes it
 *	readable again.  %ZCBLK_BAD_CLEAR makes them readable again instead
 *	(their data is what it was).  Unknown bits are refused (-EINVAL)
 *
 * One DEV_SET request with the bad-lba and bad-nlb attributes, and
 * bad-clear with %ZCBLK_BAD_CLEAR (Documentation/durability.rst).  @nlb
 * is always sent: 0 or more than 65536 is the kernel's -ERANGE, not a
 * default.  Clearing blocks that are not marked succeeds and changes
 * nothing.  The disk's settings are left as they are;
 * zcblk_dev_get() (@bad_count) and zcblk_dev_bad_list() describe the
 * list afterwards.  A file disk on a regular file keeps its list beside
 * it, in <path>.bad, written before the call returns, and finds it again
 * when added anew on the file; a mem disk's list goes with the disk.
 *
 * Return: 0; -EINVAL if @ctx is NULL or @flags has an unknown bit; else
 * the kernel's answer: -ENODEV (no disk @index, or it is being removed),
 * -EPERM, -ERANGE (@nlb out of range: "bad-nlb: integer out of range
 * (valid: 1..65536)"; blocks past the end of the disk: "bad-lba: past
 * the end of the disk"), -EOPNOTSUPP (a zoned disk: "bad-lba: not on a
 * zoned disk"), -ENOSPC (the table of 512 ranges is full: "bad-lba: the
 * bad block table is full (512 ranges of up to 256 KiB)"), -EINVAL (a module without
 * bad block lists over netlink: "bad-lba: Unknown attribute type"), the
 * error of writing a file disk's <path>.bad (the list changed all the
 * same), ...  -ENODEV from an older module also if the disk was removed
 * right after the change, as for zcblk_dev_set().
 */
ZCBLK_EXPORT int zcblk_dev_set_bad(struct zcblk_ctx *ctx, __u32 index,
				   __u64 lba, __u32 nlb, __u32 flags);

/**
 * struct zcblk_bad_range - one range of unreadable blocks
 *	(zcblk_dev_bad_list())
 * @lba: its first block
 * @nlb: how many blocks, at least 1
 *
 * Not extensible: an element of the caller's array, 16 bytes.
 */
struct zcblk_bad_range {
	__u64 lba;
	__u64 nlb;
};

/* The most ranges a disk's description lists (zcblk_dev_bad_list()). */
#define ZCBLK_BAD_RANGES_MAX	32

/**
 * zcblk_dev_bad_list() - a disk's ranges of unreadable blocks
 *	(ZCBLK_CMD_DEV_GET, any user; LIBZCBLK_1.1)
 * @ctx: context
 * @index: disk index
 * @out: where the ranges go, in LBA order, adjacent blocks merged into
 *	one range; may be NULL if @max is 0
 * @max: room in @out, in ranges
 * @count: if not NULL, set to how many ranges the disk has in all
 *	(&zcblk_dev_info.bad_count)
 *
 * One DEV_GET request.  The kernel lists the first
 * %ZCBLK_BAD_RANGES_MAX (32) ranges only, though a disk may have up to
 * 512: *@count may be larger than what @out can get, whatever @max.  A
 * module without bad block lists over netlink reports none: 0, and
 * *@count 0.
 *
 * Return: the number of ranges stored in @out, 0 to min(@max,
 * %ZCBLK_BAD_RANGES_MAX); -EINVAL if @ctx is NULL, or @out is NULL with
 * @max non-zero; -ENODEV if there is no disk @index; -EBADMSG if the
 * kernel's reply is malformed.  @out and *@count are written only on
 * success.
 */
ZCBLK_EXPORT int zcblk_dev_bad_list(struct zcblk_ctx *ctx, __u32 index,
				    struct zcblk_bad_range *out, __u32 max,
				    __u32 *count);

/**
 * zcblk_dev_corrupt() - corrupt a disk's stored blocks silently
 *	(ZCBLK_CMD_DEV_SET corrupt-lba; needs CAP_SYS_ADMIN; LIBZCBLK_1.1)
 * @ctx: context
 * @index: disk index
 * @lba: the first block, in the disk's blocks (&zcblk_dev_info.block_size)
 * @nlb: how many blocks, 1 to 65536
 * @what: enum zcblk_corrupt (<linux/zcblk.h>): which byte of each block
 *	is inverted where the backend stores it: %ZCBLK_CORRUPT_DATA the
 *	first byte of its data, %ZCBLK_CORRUPT_METADATA the first byte of
 *	its metadata; in its protection information %ZCBLK_CORRUPT_GUARD
 *	the first byte of the guard, %ZCBLK_CORRUPT_APP_TAG of the
 *	application tag, %ZCBLK_CORRUPT_REF_TAG the last byte of the
 *	reference tag.  0 is not sent and the kernel's default, data,
 *	applies
 *
 * One DEV_SET request with the corrupt-lba and corrupt-nlb attributes,
 * and corrupt with a non-zero @what, which is passed as it is, for the
 * kernel to check (Documentation/integrity.rst).  Nothing reports the
 * change: a read returns the inverted byte, as from media that decayed,
 * and the protection information checks that cover it fail; a write of
 * the block replaces it.  Inverting the same byte again puts it back.
 * @nlb is always sent: 0 or more than 65536 is the kernel's -ERANGE, not
 * a default.  The disk's settings are left as they are.
 *
 * Return: 0; -EINVAL if @ctx is NULL; else the kernel's answer: -ENODEV
 * (no disk @index, or it is being removed), -EPERM, -ERANGE (@nlb out of
 * range: "corrupt-nlb: integer out of range (valid: 1..65536)"; @what
 * not an enum zcblk_corrupt value: "corrupt: integer out of range
 * (valid: 1..5)"; blocks past the end of the disk: "corrupt-lba: past
 * the end of the disk"), -EOPNOTSUPP (the null backend: "corrupt-lba:
 * the backend stores no data"; %ZCBLK_CORRUPT_METADATA and the
 * protection information kinds on a disk without metadata: "corrupt:
 * the disk has no metadata"; the protection information kinds on a disk
 * without it: "corrupt: the disk has no protection information"), the
 * backend's errno ("corrupt-lba: the backend failed"; the blocks before
 * the one it failed on are corrupted), -EINVAL (a module without
 * corruption: "corrupt-lba: Unknown attribute type"), ...  -ENODEV from
 * an older module also if the disk was removed right after the change,
 * as for zcblk_dev_set().
 */
ZCBLK_EXPORT int zcblk_dev_corrupt(struct zcblk_ctx *ctx, __u32 index,
				   __u64 lba, __u32 nlb, __u32 what);

#ifdef __cplusplus
}
#endif

#endif /* LIBZCBLK_ZCBLK_MEDIA_H */
