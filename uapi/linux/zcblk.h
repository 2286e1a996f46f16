/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/zcblk.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_ZCBLK_H
#define _UAPI_LINUX_ZCBLK_H

#define ZCBLK_GENL_NAME		"zcblk"
#define ZCBLK_GENL_VERSION	1

#define ZCBLK_MAX_DEVS		65536
#define ZCBLK_MAX_QUEUES	64
#define ZCBLK_MAX_QUEUE_DEPTH	4096

enum zcblk_dev_state {
	ZCBLK_DEV_STATE_CREATING = 1,
	ZCBLK_DEV_STATE_LIVE,
	ZCBLK_DEV_STATE_REMOVING,
	ZCBLK_DEV_STATE_DEAD,
};

/**
 * enum zcblk_dev_flags - Bits of the dev flags attribute.
 * @ZCBLK_DEV_F_READ_ONLY: Refuse every write.
 * @ZCBLK_DEV_F_BUFFERED: File backend; through the page cache, with copies.
 * @ZCBLK_DEV_F_ZONED: Host-managed zoned: a ZNS namespace on the char device,
 *   a zoned block device (Documentation/zoned.rst).
 * @ZCBLK_DEV_F_EXTENDED_LBA: Metadata inside each logical block's data
 *   (extended LBA), not in a separate buffer (Documentation/integrity.rst).
 * @ZCBLK_DEV_F_PI_FIRST: Protection information in the first 8 bytes of the
 *   metadata, not the last.
 * @ZCBLK_DEV_F_FDP: Flexible Data Placement: an endurance group with reclaim
 *   unit handles, placement handles for the namespace (Documentation/fdp.rst).
 * @ZCBLK_DEV_F_PI_GUARD64: Protection information with the 64-bit CRC guard
 *   and 48-bit reference tag (NVMe's 64b Guard format, 16 bytes), not the
 *   16-bit guard's 8 (Documentation/integrity.rst).
 */
enum zcblk_dev_flags {
	ZCBLK_DEV_F_READ_ONLY = 1,
	ZCBLK_DEV_F_BUFFERED = 2,
	ZCBLK_DEV_F_ZONED = 4,
	ZCBLK_DEV_F_EXTENDED_LBA = 8,
	ZCBLK_DEV_F_PI_FIRST = 16,
	ZCBLK_DEV_F_FDP = 32,
	ZCBLK_DEV_F_PI_GUARD64 = 64,

	/* private: */
	ZCBLK_DEV_F_MASK = 127,
};

/**
 * enum zcblk_completion - Values of the dev completion attribute; how requests
 *   complete.
 * @ZCBLK_COMPLETION_INLINE: In queue_rq (or the backend's callback).
 * @ZCBLK_COMPLETION_SOFTIRQ: Through blk_mq_complete_request().
 * @ZCBLK_COMPLETION_TIMER: After completion-ns, from an hrtimer.
 */
enum zcblk_completion {
	ZCBLK_COMPLETION_INLINE = 1,
	ZCBLK_COMPLETION_SOFTIRQ,
	ZCBLK_COMPLETION_TIMER,

	/* private: */
	__ZCBLK_COMPLETION_MAX,
	ZCBLK_COMPLETION_MAX = (__ZCBLK_COMPLETION_MAX - 1)
};

/**
 * enum zcblk_fail_ops - Values of the dev fail-ops attribute; what error
 *   injection hits.
 * @ZCBLK_FAIL_OPS_ALL: Reads and writes.
 * @ZCBLK_FAIL_OPS_READS: Read, Compare.
 * @ZCBLK_FAIL_OPS_WRITES: Write, Write Zeroes, DSM, discard.
 */
enum zcblk_fail_ops {
	ZCBLK_FAIL_OPS_ALL = 1,
	ZCBLK_FAIL_OPS_READS,
	ZCBLK_FAIL_OPS_WRITES,

	/* private: */
	__ZCBLK_FAIL_OPS_MAX,
	ZCBLK_FAIL_OPS_MAX = (__ZCBLK_FAIL_OPS_MAX - 1)
};

/**
 * enum zcblk_power_state - Values of the dev power attribute
 *   (Documentation/durability.rst).
 * @ZCBLK_POWER_STATE_ON: I/O runs.
 * @ZCBLK_POWER_STATE_CUT: Cut: what was not durable is lost as cut-mode says,
 *   every I/O fails until power is on again.
 */
enum zcblk_power_state {
	ZCBLK_POWER_STATE_ON = 1,
	ZCBLK_POWER_STATE_CUT,

	/* private: */
	__ZCBLK_POWER_STATE_MAX,
	ZCBLK_POWER_STATE_MAX = (__ZCBLK_POWER_STATE_MAX - 1)
};

/**
 * enum zcblk_corrupt - Values of the dev corrupt attribute: which byte of each
 *   block's stored data or metadata a corruption flips.
 * @ZCBLK_CORRUPT_DATA: The first byte of the block's data.
 * @ZCBLK_CORRUPT_METADATA: The first byte of the block's metadata.
 * @ZCBLK_CORRUPT_GUARD: The first byte of the protection information's guard.
 * @ZCBLK_CORRUPT_APP_TAG: The first byte of its application tag.
 * @ZCBLK_CORRUPT_REF_TAG: The last byte of its reference tag.
 */
enum zcblk_corrupt {
	ZCBLK_CORRUPT_DATA = 1,
	ZCBLK_CORRUPT_METADATA,
	ZCBLK_CORRUPT_GUARD,
	ZCBLK_CORRUPT_APP_TAG,
	ZCBLK_CORRUPT_REF_TAG,

	/* private: */
	__ZCBLK_CORRUPT_MAX,
	ZCBLK_CORRUPT_MAX = (__ZCBLK_CORRUPT_MAX - 1)
};

/**
 * enum zcblk_cut_mode - Values of the dev cut-mode attribute; what survives of
 *   unflushed writes.
 * @ZCBLK_CUT_MODE_DROP: Nothing.
 * @ZCBLK_CUT_MODE_BLOCKS: Each block of each write, or not, at random
 *   (cut-seed).
 * @ZCBLK_CUT_MODE_TORN: Of each write, its first N blocks, N at random
 *   (cut-seed).
 */
enum zcblk_cut_mode {
	ZCBLK_CUT_MODE_DROP = 1,
	ZCBLK_CUT_MODE_BLOCKS,
	ZCBLK_CUT_MODE_TORN,

	/* private: */
	__ZCBLK_CUT_MODE_MAX,
	ZCBLK_CUT_MODE_MAX = (__ZCBLK_CUT_MODE_MAX - 1)
};

enum zcblk_dev_attr {
	ZCBLK_A_DEV_PAD = 1,
	ZCBLK_A_DEV_INDEX,
	ZCBLK_A_DEV_BACKEND,
	ZCBLK_A_DEV_SIZE,
	ZCBLK_A_DEV_BLOCK_SIZE,
	ZCBLK_A_DEV_NR_QUEUES,
	ZCBLK_A_DEV_QUEUE_DEPTH,
	ZCBLK_A_DEV_STATE,
	ZCBLK_A_DEV_DISK_NAME,
	ZCBLK_A_DEV_ALLOC_BYTES,
	ZCBLK_A_DEV_POLL_QUEUES,
	ZCBLK_A_DEV_NODE_UID,
	ZCBLK_A_DEV_NODE_GID,
	ZCBLK_A_DEV_NODE_MODE,
	ZCBLK_A_DEV_CHAR_NAME,
	ZCBLK_A_DEV_STATS,
	ZCBLK_A_DEV_PATH,
	ZCBLK_A_DEV_FLAGS,
	ZCBLK_A_DEV_TIMEOUT_MS,
	ZCBLK_A_DEV_COMPLETION,
	ZCBLK_A_DEV_COMPLETION_NS,
	ZCBLK_A_DEV_LATENCY_NS,
	ZCBLK_A_DEV_FAIL_EVERY,
	ZCBLK_A_DEV_FAIL_PPM,
	ZCBLK_A_DEV_FAIL_STATUS,
	ZCBLK_A_DEV_FAIL_OPS,
	ZCBLK_A_DEV_STALL,
	ZCBLK_A_DEV_ZONE_SIZE,
	ZCBLK_A_DEV_ZONE_CAPACITY,
	ZCBLK_A_DEV_ZONE_NR_CONV,
	ZCBLK_A_DEV_ZONE_MAX_OPEN,
	ZCBLK_A_DEV_ZONE_MAX_ACTIVE,
	ZCBLK_A_DEV_METADATA_SIZE,
	ZCBLK_A_DEV_PI_TYPE,
	ZCBLK_A_DEV_WRITE_CACHE,
	ZCBLK_A_DEV_POWER,
	ZCBLK_A_DEV_CUT_MODE,
	ZCBLK_A_DEV_CUT_SEED,
	ZCBLK_A_DEV_BAD_LBA,
	ZCBLK_A_DEV_BAD_NLB,
	ZCBLK_A_DEV_BAD_CLEAR,
	ZCBLK_A_DEV_CORRUPT_LBA,
	ZCBLK_A_DEV_CORRUPT_NLB,
	ZCBLK_A_DEV_CORRUPT,
	ZCBLK_A_DEV_BAD_COUNT,
	ZCBLK_A_DEV_BAD_RANGE,
	ZCBLK_A_DEV_FDP_RU_SIZE,
	ZCBLK_A_DEV_FDP_NRUH,
	ZCBLK_A_DEV_FDP_NRG,
	ZCBLK_A_DEV_FDP_NPH,
	ZCBLK_A_DEV_FDP_RUH_TYPE,

	__ZCBLK_A_DEV_MAX,
	ZCBLK_A_DEV_MAX = (__ZCBLK_A_DEV_MAX - 1)
};

enum zcblk_bad_attr {
	ZCBLK_A_BAD_PAD = 1,
	ZCBLK_A_BAD_LBA,
	ZCBLK_A_BAD_NLB,

	__ZCBLK_A_BAD_MAX,
	ZCBLK_A_BAD_MAX = (__ZCBLK_A_BAD_MAX - 1)
};

enum zcblk_stats_attr {
	ZCBLK_A_STATS_PAD = 1,
	ZCBLK_A_STATS_READ_CMDS,
	ZCBLK_A_STATS_WRITE_CMDS,
	ZCBLK_A_STATS_READ_BYTES,
	ZCBLK_A_STATS_WRITE_BYTES,
	ZCBLK_A_STATS_ERRORS,
	ZCBLK_A_STATS_PT_INFLIGHT,
	ZCBLK_A_STATS_PINNED_PAGES,
	ZCBLK_A_STATS_UNPINNED_PAGES,
	ZCBLK_A_STATS_PINNED_CURRENT,
	ZCBLK_A_STATS_FIXED_BYTES,
	ZCBLK_A_STATS_COPIED_BYTES,
	ZCBLK_A_STATS_FLUSHES,
	ZCBLK_A_STATS_TIMEOUTS,
	ZCBLK_A_STATS_INJECTED,
	ZCBLK_A_STATS_CACHE_DIRTY_BYTES,
	ZCBLK_A_STATS_FUA_WRITES,
	ZCBLK_A_STATS_CUT_LOST_WRITES,
	ZCBLK_A_STATS_CUT_LOST_BLOCKS,

	__ZCBLK_A_STATS_MAX,
	ZCBLK_A_STATS_MAX = (__ZCBLK_A_STATS_MAX - 1)
};

enum zcblk_feat_attr {
	ZCBLK_A_FEAT_BACKEND = 1,
	ZCBLK_A_FEAT_CMDS,
	ZCBLK_A_FEAT_DEV_FLAGS,
	ZCBLK_A_FEAT_COMPLETIONS,
	ZCBLK_A_FEAT_FAIL_OPS,
	ZCBLK_A_FEAT_MAX_DEVS,
	ZCBLK_A_FEAT_MAX_QUEUES,
	ZCBLK_A_FEAT_MAX_QUEUE_DEPTH,
	ZCBLK_A_FEAT_MAX_TRANSFER,
	ZCBLK_A_FEAT_VERSION,
	ZCBLK_A_FEAT_CUT_MODES,

	__ZCBLK_A_FEAT_MAX,
	ZCBLK_A_FEAT_MAX = (__ZCBLK_A_FEAT_MAX - 1)
};

enum zcblk_cmd {
	ZCBLK_CMD_DEV_ADD = 1,
	ZCBLK_CMD_DEV_DEL,
	ZCBLK_CMD_DEV_GET,
	ZCBLK_CMD_DEV_STATS,
	ZCBLK_CMD_DEV_SET,
	ZCBLK_CMD_FEATURES,
	ZCBLK_CMD_DEV_ADDED,
	ZCBLK_CMD_DEV_CHANGED,
	ZCBLK_CMD_DEV_REMOVED,

	__ZCBLK_CMD_MAX,
	ZCBLK_CMD_MAX = (__ZCBLK_CMD_MAX - 1)
};

#define ZCBLK_GENL_MCGRP_MONITOR	"monitor"

/* From uapi/zcblk-compat.h, not generated (Documentation/netlink.rst) */
/* Largest disk: 8 EiB less 4 KiB. Unsigned: YNL would write a long. */
#define ZCBLK_MAX_SIZE		0x7ffffffffffff000ULL
/* The old name of ZCBLK_DEV_F_MASK, which YNL cannot spell. */
#define __ZCBLK_DEV_F_ALL	ZCBLK_DEV_F_MASK

#endif /* _UAPI_LINUX_ZCBLK_H */
