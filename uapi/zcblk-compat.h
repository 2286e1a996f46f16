/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * Not generated: selftests/host/ynl_gen.sh puts this into the generated
 * uapi/linux/zcblk.h, before its #endif. What the YNL generator cannot
 * write as uapi/linux/zcblk.h had it (Documentation/netlink.rst).
 */
/* From uapi/zcblk-compat.h, not generated (Documentation/netlink.rst) */
/* Largest disk: 8 EiB less 4 KiB. Unsigned: YNL would write a long. */
#define ZCBLK_MAX_SIZE		0x7ffffffffffff000ULL
/* The old name of ZCBLK_DEV_F_MASK, which YNL cannot spell. */
#define __ZCBLK_DEV_F_ALL	ZCBLK_DEV_F_MASK

