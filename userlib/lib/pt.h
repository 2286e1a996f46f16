/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The NVMe commands the passthrough helpers build, shared by uring.c
 * (io_uring SQEs) and ioctl.c (synchronous ioctls): only the fields that
 * differ between commands, which each file puts in its own structure.
 */
#ifndef LIBZCBLK_PT_H
#define LIBZCBLK_PT_H

#include <errno.h>
#include <stdint.h>

#include "zcblk.h"

/* NVM command set opcodes */
#define ZCBLK_OP_FLUSH		0x00
#define ZCBLK_OP_WRITE		0x01
#define ZCBLK_OP_READ		0x02
#define ZCBLK_OP_WRITE_ZEROES	0x08
#define ZCBLK_OP_DSM		0x09
/* Admin */
#define ZCBLK_ADM_IDENTIFY	0x06
#define ZCBLK_IDENTIFY_LEN	4096

#define ZCBLK_CDW12_DEAC	(1U << 25)	/* Write Zeroes: deallocate */
#define ZCBLK_DSM_AD		(1U << 2)	/* DSM: attribute deallocate */

struct zcblk_pt_fields {
	__u8 opcode;
	__u32 cdw10, cdw11, cdw12;
	__u64 addr;
	__u32 data_len;
};

static inline int zcblk_pt_lba_fields(struct zcblk_pt_fields *f, __u8 opcode,
				      __u64 slba, __u32 nblocks)
{
	if (!nblocks || nblocks > ZCBLK_PT_MAX_BLOCKS)
		return -EINVAL;
	*f = (struct zcblk_pt_fields){
		.opcode = opcode,
		.cdw10 = (__u32)slba,
		.cdw11 = (__u32)(slba >> 32),
		.cdw12 = nblocks - 1,		/* NLB is 0's based */
	};
	return 0;
}

/* Read or Write of @nblocks at @slba; @addr and @len: the data. */
static inline int zcblk_pt_rw_fields(struct zcblk_pt_fields *f, __u8 opcode,
				     __u64 slba, __u32 nblocks,
				     const void *addr, __u32 len)
{
	int ret = zcblk_pt_lba_fields(f, opcode, slba, nblocks);

	f->addr = (uintptr_t)addr;
	f->data_len = len;
	return ret;
}

static inline int zcblk_pt_wz_fields(struct zcblk_pt_fields *f, __u64 slba,
				     __u32 nblocks, unsigned int flags)
{
	int ret;

	if (flags & ~ZCBLK_PT_DEALLOCATE)
		return -EINVAL;
	ret = zcblk_pt_lba_fields(f, ZCBLK_OP_WRITE_ZEROES, slba, nblocks);
	if (flags & ZCBLK_PT_DEALLOCATE)
		f->cdw12 |= ZCBLK_CDW12_DEAC;
	return ret;
}

static inline int zcblk_pt_dsm_fields(struct zcblk_pt_fields *f,
				      const struct zcblk_dsm_range *ranges,
				      __u32 nr_ranges)
{
	if (!ranges || !nr_ranges || nr_ranges > ZCBLK_PT_MAX_DSM_RANGES)
		return -EINVAL;
	*f = (struct zcblk_pt_fields){
		.opcode = ZCBLK_OP_DSM,
		.cdw10 = nr_ranges - 1,		/* NR is 0's based */
		.cdw11 = ZCBLK_DSM_AD,
		.addr = (uintptr_t)ranges,
		.data_len = nr_ranges * sizeof(*ranges),
	};
	return 0;
}

#endif /* LIBZCBLK_PT_H */
