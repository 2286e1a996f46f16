/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * zcblk: virtual disks with an NVMe-passthrough char device.
 *
 * Generic netlink family ZCBLK_GENL_NAME, version ZCBLK_GENL_VERSION.
 * Documentation/netlink/zcblk.yaml is the full specification; in short:
 *
 * ZCBLK_CMD_DEV_ADD (CAP_SYS_ADMIN)
 *   request:  BACKEND (string, required), SIZE (u64 bytes, required,
 *             1..ZCBLK_MAX_SIZE),
 *             BLOCK_SIZE (u32, 512 or 4096, default 512),
 *             NR_QUEUES (u32, 1..ZCBLK_MAX_QUEUES, default 1),
 *             QUEUE_DEPTH (u32, 1..ZCBLK_MAX_QUEUE_DEPTH, default 128),
 *             POLL_QUEUES (u32, 0..ZCBLK_MAX_QUEUES, default 0),
 *             PATH (string: backing file or block device, file backend),
 *             FLAGS (u32: ZCBLK_DEV_F_*), TIMEOUT_MS (u32, default 30000),
 *             COMPLETION (u32: enum zcblk_completion, default INLINE),
 *             COMPLETION_NS (u64: TIMER mode latency),
 *             NODE_UID, NODE_GID (u32, default 0), NODE_MODE (u32,
 *             permission bits of the char device node, default 0600),
 *             INDEX (u32, optional: the index wanted)
 *   reply:    the new disk, as DEV_GET
 * ZCBLK_CMD_DEV_DEL (CAP_SYS_ADMIN)
 *   request:  INDEX (required)
 * ZCBLK_CMD_DEV_GET (any user)
 *   request:  INDEX (doit); nothing (dump: every disk)
 *   reply:    INDEX, DISK_NAME, CHAR_NAME, STATE, BACKEND, SIZE,
 *             BLOCK_SIZE, NR_QUEUES, POLL_QUEUES, QUEUE_DEPTH, NODE_UID,
 *             NODE_GID, NODE_MODE, ALLOC_BYTES, PATH, FLAGS, TIMEOUT_MS,
 *             and the DEV_SET settings
 * ZCBLK_CMD_DEV_SET (CAP_SYS_ADMIN): live settings of one disk
 *   request:  INDEX (required); any of COMPLETION, COMPLETION_NS,
 *             LATENCY_NS, FAIL_EVERY, FAIL_PPM, FAIL_STATUS, FAIL_OPS, STALL
 *   reply:    the disk, as DEV_GET
 * ZCBLK_CMD_DEV_STATS (any user)
 *   request:  INDEX (doit); nothing (dump: every disk)
 *   reply:    INDEX, STATS (nest of ZCBLK_A_STATS_*)
 * ZCBLK_CMD_FEATURES (any user): what this module offers
 *   reply:    ZCBLK_A_FEAT_* (BACKEND once per backend)
 * ZCBLK_CMD_DEV_ADDED, _DEV_CHANGED, _DEV_REMOVED: notifications on the
 *   "monitor" multicast group, carrying the disk as DEV_GET does
 *
 * Every request attribute is validated strictly: unknown attributes and
 * values outside a range are refused, with an extack message naming the
 * attribute.
 */
#ifndef _UAPI_LINUX_ZCBLK_H
#define _UAPI_LINUX_ZCBLK_H

#include <linux/types.h>

#define ZCBLK_GENL_NAME		"zcblk"
#define ZCBLK_GENL_VERSION	1
#define ZCBLK_GENL_MCGRP_MONITOR	"monitor"	/* DEV_ADDED ... */

#define ZCBLK_MAX_DEVS		(1U << 16)	/* indexes 0 .. ZCBLK_MAX_DEVS - 1 */
#define ZCBLK_MAX_QUEUES	64
#define ZCBLK_MAX_QUEUE_DEPTH	4096
/* Largest disk: 8 EiB less 4 KiB (loff_t's reach, in 4 KiB blocks) */
#define ZCBLK_MAX_SIZE		0x7ffffffffffff000ULL

enum zcblk_cmd {
	ZCBLK_CMD_DEV_ADD = 1,
	ZCBLK_CMD_DEV_DEL,
	ZCBLK_CMD_DEV_GET,
	ZCBLK_CMD_DEV_STATS,
	ZCBLK_CMD_DEV_SET,
	ZCBLK_CMD_FEATURES,
	ZCBLK_CMD_DEV_ADDED,		/* notification */
	ZCBLK_CMD_DEV_CHANGED,		/* notification */
	ZCBLK_CMD_DEV_REMOVED,		/* notification */

	__ZCBLK_CMD_MAX,
	ZCBLK_CMD_MAX = __ZCBLK_CMD_MAX - 1
};

/* ZCBLK_A_DEV_FLAGS bits */
enum zcblk_dev_flags {
	ZCBLK_DEV_F_READ_ONLY	= 1U << 0,	/* refuse every write */
	ZCBLK_DEV_F_BUFFERED	= 1U << 1,	/* file backend: page cache, copies */

	__ZCBLK_DEV_F_ALL	= (1U << 2) - 1
};

/* ZCBLK_A_DEV_COMPLETION values: how requests complete */
enum zcblk_completion {
	ZCBLK_COMPLETION_INLINE = 1,	/* in queue_rq (or backend callback) */
	ZCBLK_COMPLETION_SOFTIRQ,	/* through blk_mq_complete_request() */
	ZCBLK_COMPLETION_TIMER,		/* after COMPLETION_NS, from an hrtimer */

	__ZCBLK_COMPLETION_MAX,
	ZCBLK_COMPLETION_MAX = __ZCBLK_COMPLETION_MAX - 1
};

/* ZCBLK_A_DEV_FAIL_OPS values: which commands error injection hits */
enum zcblk_fail_ops {
	ZCBLK_FAIL_OPS_ALL = 1,		/* reads and writes */
	ZCBLK_FAIL_OPS_READS,		/* Read, Compare */
	ZCBLK_FAIL_OPS_WRITES,		/* Write, Write Zeroes, DSM, discard */

	__ZCBLK_FAIL_OPS_MAX,
	ZCBLK_FAIL_OPS_MAX = __ZCBLK_FAIL_OPS_MAX - 1
};

/* ZCBLK_A_DEV_STATE values */
enum zcblk_dev_state {
	ZCBLK_DEV_STATE_CREATING = 1,
	ZCBLK_DEV_STATE_LIVE,
	ZCBLK_DEV_STATE_REMOVING,
	ZCBLK_DEV_STATE_DEAD,
};

enum zcblk_dev_attr {
	ZCBLK_A_DEV_PAD = 1,		/* padding for 64-bit attributes */
	ZCBLK_A_DEV_INDEX,		/* u32 */
	ZCBLK_A_DEV_BACKEND,		/* string: "null", "mem", "file" */
	ZCBLK_A_DEV_SIZE,		/* u64: bytes, a multiple of BLOCK_SIZE */
	ZCBLK_A_DEV_BLOCK_SIZE,		/* u32: logical block size */
	ZCBLK_A_DEV_NR_QUEUES,		/* u32: hardware submission queues */
	ZCBLK_A_DEV_QUEUE_DEPTH,	/* u32: tags per hardware queue */
	ZCBLK_A_DEV_STATE,		/* u32: enum zcblk_dev_state */
	ZCBLK_A_DEV_DISK_NAME,		/* string: block device name, "zcblk<N>" */
	ZCBLK_A_DEV_ALLOC_BYTES,	/* u64: backing memory in use (mem) */
	ZCBLK_A_DEV_POLL_QUEUES,	/* u32: polled hardware queues */
	ZCBLK_A_DEV_NODE_UID,		/* u32: char device node owner */
	ZCBLK_A_DEV_NODE_GID,		/* u32: char device node group */
	ZCBLK_A_DEV_NODE_MODE,		/* u32: char device node mode, <= 0777 */
	ZCBLK_A_DEV_CHAR_NAME,		/* string: char device name, "zcblk<N>c" */
	ZCBLK_A_DEV_STATS,		/* nest: ZCBLK_A_STATS_* */
	ZCBLK_A_DEV_PATH,		/* string: backing file or block device */
	ZCBLK_A_DEV_FLAGS,		/* u32: ZCBLK_DEV_F_* */
	ZCBLK_A_DEV_TIMEOUT_MS,		/* u32: request timeout */
	ZCBLK_A_DEV_COMPLETION,		/* u32: enum zcblk_completion */
	ZCBLK_A_DEV_COMPLETION_NS,	/* u64: TIMER completion latency */
	ZCBLK_A_DEV_LATENCY_NS,		/* u64: latency added to every request */
	ZCBLK_A_DEV_FAIL_EVERY,		/* u32: fail every N-th matching command */
	ZCBLK_A_DEV_FAIL_PPM,		/* u32: or with this probability (ppm) */
	ZCBLK_A_DEV_FAIL_STATUS,	/* u32: NVMe status to fail with */
	ZCBLK_A_DEV_FAIL_OPS,		/* u32: enum zcblk_fail_ops */
	ZCBLK_A_DEV_STALL,		/* u8: 1 holds new requests until 0 */

	__ZCBLK_A_DEV_MAX,
	ZCBLK_A_DEV_MAX = __ZCBLK_A_DEV_MAX - 1
};

/* Inside ZCBLK_A_DEV_STATS; every counter counts from DEV_ADD. */
enum zcblk_stats_attr {
	ZCBLK_A_STATS_PAD = 1,
	ZCBLK_A_STATS_READ_CMDS,	/* u64: reads and compares done */
	ZCBLK_A_STATS_WRITE_CMDS,	/* u64 */
	ZCBLK_A_STATS_READ_BYTES,	/* u64 */
	ZCBLK_A_STATS_WRITE_BYTES,	/* u64 */
	ZCBLK_A_STATS_ERRORS,		/* u64: backend failures */
	ZCBLK_A_STATS_PT_INFLIGHT,	/* u32: passthrough commands in flight */
	ZCBLK_A_STATS_PINNED_PAGES,	/* u64: pages pinned (FOLL_PIN) */
	ZCBLK_A_STATS_UNPINNED_PAGES,	/* u64: of those, unpinned again */
	ZCBLK_A_STATS_PINNED_CURRENT,	/* u64: pinned - unpinned */
	ZCBLK_A_STATS_FIXED_BYTES,	/* u64: bytes from registered buffers */
	ZCBLK_A_STATS_COPIED_BYTES,	/* u64: data bytes zcblk copied (memcpy) */
	ZCBLK_A_STATS_FLUSHES,		/* u64: flushes that reached the backend */
	ZCBLK_A_STATS_TIMEOUTS,		/* u64: requests that timed out */
	ZCBLK_A_STATS_INJECTED,		/* u64: errors injected */

	__ZCBLK_A_STATS_MAX,
	ZCBLK_A_STATS_MAX = __ZCBLK_A_STATS_MAX - 1
};

/* ZCBLK_CMD_FEATURES reply */
enum zcblk_feat_attr {
	ZCBLK_A_FEAT_BACKEND = 1,	/* string, once per backend */
	ZCBLK_A_FEAT_CMDS,		/* u32: BIT(ZCBLK_CMD_*) served */
	ZCBLK_A_FEAT_DEV_FLAGS,		/* u32: ZCBLK_DEV_F_* understood */
	ZCBLK_A_FEAT_COMPLETIONS,	/* u32: BIT(ZCBLK_COMPLETION_*) */
	ZCBLK_A_FEAT_FAIL_OPS,		/* u32: BIT(ZCBLK_FAIL_OPS_*) */
	ZCBLK_A_FEAT_MAX_DEVS,		/* u32 */
	ZCBLK_A_FEAT_MAX_QUEUES,	/* u32 */
	ZCBLK_A_FEAT_MAX_QUEUE_DEPTH,	/* u32 */
	ZCBLK_A_FEAT_MAX_TRANSFER,	/* u32: bytes per passthrough command */
	ZCBLK_A_FEAT_VERSION,		/* string: module version */

	__ZCBLK_A_FEAT_MAX,
	ZCBLK_A_FEAT_MAX = __ZCBLK_A_FEAT_MAX - 1
};

#endif /* _UAPI_LINUX_ZCBLK_H */
