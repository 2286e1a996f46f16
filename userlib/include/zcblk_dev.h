/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libzcblk's disks: the structures that describe, configure and count
 * them, and the commands that add, change, describe and remove them
 * (zcblk_dev_*()). Part of <zcblk.h>, which includes this header:
 * include <zcblk.h>. Its conventions hold here.
 */
#ifndef LIBZCBLK_ZCBLK_DEV_H
#define LIBZCBLK_ZCBLK_DEV_H

#ifndef LIBZCBLK_H
#error "include <zcblk.h>, not <zcblk_dev.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Bits of zcblk_dev_params.set: which fields are sent to the kernel. */
#define ZCBLK_PARAM_INDEX	(1ULL << 0)
#define ZCBLK_PARAM_BACKEND	(1ULL << 1)
#define ZCBLK_PARAM_SIZE	(1ULL << 2)
#define ZCBLK_PARAM_BLOCK_SIZE	(1ULL << 3)
#define ZCBLK_PARAM_NR_QUEUES	(1ULL << 4)
#define ZCBLK_PARAM_QUEUE_DEPTH	(1ULL << 5)
#define ZCBLK_PARAM_POLL_QUEUES	(1ULL << 6)
#define ZCBLK_PARAM_NODE_UID	(1ULL << 7)
#define ZCBLK_PARAM_NODE_GID	(1ULL << 8)
#define ZCBLK_PARAM_NODE_MODE	(1ULL << 9)
#define ZCBLK_PARAM_PATH	(1ULL << 10)
#define ZCBLK_PARAM_FLAGS	(1ULL << 11)
#define ZCBLK_PARAM_TIMEOUT_MS	(1ULL << 12)
#define ZCBLK_PARAM_COMPLETION	(1ULL << 13)
#define ZCBLK_PARAM_COMPLETION_NS (1ULL << 14)
/* Version 2 (ZCBLK_DEV_PARAMS_SIZE_VER2): the zone geometry. */
#define ZCBLK_PARAM_ZONE_SIZE	(1ULL << 15)
#define ZCBLK_PARAM_ZONE_CAPACITY (1ULL << 16)
#define ZCBLK_PARAM_ZONE_NR_CONV (1ULL << 17)
#define ZCBLK_PARAM_ZONE_MAX_OPEN (1ULL << 18)
#define ZCBLK_PARAM_ZONE_MAX_ACTIVE (1ULL << 19)
/* In version 2's room, was __reserved3 (0: no metadata) */
#define ZCBLK_PARAM_METADATA_SIZE (1ULL << 20)
/* In version 1's room, was __reserved2 (0: no protection information) */
#define ZCBLK_PARAM_PI_TYPE	(1ULL << 21)
/* Version 3 (ZCBLK_DEV_PARAMS_SIZE_VER3): the write cache. */
#define ZCBLK_PARAM_WRITE_CACHE	(1ULL << 22)
/* Version 4 (ZCBLK_DEV_PARAMS_SIZE_VER4): Flexible Data Placement. */
#define ZCBLK_PARAM_FDP_RU_SIZE	(1ULL << 23)
#define ZCBLK_PARAM_FDP_NRUH	(1ULL << 24)
#define ZCBLK_PARAM_FDP_NRG	(1ULL << 25)
#define ZCBLK_PARAM_FDP_NPH	(1ULL << 26)
#define ZCBLK_PARAM_FDP_RUH_TYPE (1ULL << 27)
#define ZCBLK_PARAM_ALL		((1ULL << 28) - 1)

/**
 * struct zcblk_dev_params - configuration of a new disk (zcblk_dev_add())
 * @size: sizeof(struct zcblk_dev_params), set by the caller (versioning)
 * @__reserved: must be zero
 * @set: ZCBLK_PARAM_* bits: the fields to send.  A field whose bit is clear
 *	is not sent at all and the kernel applies its default (or refuses the
 *	request if the attribute is required: backend is, and size is for
 *	every backend but file).
 * @index: the index wanted (below &zcblk_features.max_devs); without
 *	%ZCBLK_PARAM_INDEX the kernel picks a free one
 * @block_size: logical block size in bytes: 512 (default) or 4096
 * @disk_size: capacity in bytes, a multiple of @block_size.  For the file
 *	backend it may be left out: the backing file's size rounded down to
 *	the block size is the default, and a larger size is refused
 * @nr_queues: hardware queues, 1 .. %ZCBLK_MAX_QUEUES (default 1)
 * @queue_depth: tags per hardware queue, 1 .. %ZCBLK_MAX_QUEUE_DEPTH
 *	(default 128)
 * @backend: backend name, NUL-terminated: "null", "mem", "file"
 * @poll_queues: polled hardware queues (for io_uring IOPOLL rings),
 *	0 .. %ZCBLK_MAX_QUEUES (default 0: no polling)
 * @node_uid: owner of the char device node /dev/zcblk<N>c (default 0)
 * @node_gid: group of the char device node (default 0)
 * @node_mode: permission bits of the char device node, 1 .. 0777
 *	(default 0600; 0 is refused: devtmpfs would make it 0600)
 * @path: file backend (required there, refused elsewhere): the backing
 *	regular file or block device, NUL-terminated, at most PATH_MAX - 1
 *	(4095) bytes.  A relative path is resolved by the kernel against the
 *	caller's working directory; DEV_GET reports it as given.  The
 *	library reads the string during the call only.  @__path_u64 only
 *	pads the pointer to 64 bits: do not use it
 * @flags: ZCBLK_DEV_F_* bits (<linux/zcblk.h>): %ZCBLK_DEV_F_READ_ONLY
 *	(any backend: the disk refuses writes), %ZCBLK_DEV_F_BUFFERED (file
 *	backend: through the page cache, which copies, for file systems
 *	that refuse direct I/O), %ZCBLK_DEV_F_ZONED (a host-managed zoned
 *	disk: a ZNS namespace on the char device, a zoned block device;
 *	its geometry in the zone fields below), %ZCBLK_DEV_F_FDP (Flexible
 *	Data Placement, Documentation/fdp.rst: an endurance group with
 *	reclaim unit handles, placement handles for the namespace; its
 *	configuration in the fdp fields below; not with
 *	%ZCBLK_DEV_F_ZONED).  Unknown bits are refused (-EINVAL).  Default 0
 * @timeout_ms: request timeout in milliseconds, 100 .. 3600000 (default
 *	30000).  A request zcblk holds itself (stalled, delayed) ends with
 *	-ETIMEDOUT when it expires
 * @completion: enum zcblk_completion: %ZCBLK_COMPLETION_INLINE (default),
 *	%ZCBLK_COMPLETION_SOFTIRQ or %ZCBLK_COMPLETION_TIMER; changeable
 *	later with zcblk_dev_set()
 * @pi_type: protection information type 1, 2 or 3 in the metadata
 *	(%ZCBLK_PARAM_PI_TYPE; needs @metadata_size; default 0: none), first
 *	in it with %ZCBLK_DEV_F_PI_FIRST.  8 bytes with a 16-bit guard, or
 *	with %ZCBLK_DEV_F_PI_GUARD64 16 bytes with a 64-bit guard and a
 *	48-bit reference tag (NVMe's 64b Guard; that flag needs
 *	@metadata_size 16, or 64 with @block_size 4096, and without
 *	@pi_type picks only the format's guard type).  Was padding that had
 *	to be 0
 * @completion_ns: %ZCBLK_COMPLETION_TIMER: nanoseconds from the end of
 *	the backend's work to the completion, 0 .. 10^10 (default 0)
 * @zone_size: %ZCBLK_DEV_F_ZONED only (the zone fields are refused,
 *	-EINVAL, without it): bytes per zone, a multiple of @block_size that
 *	divides @disk_size, at most 1048576 zones (default 64 MiB); not a
 *	power of two: the disk has no block device
 * @zone_capacity: zoned: the bytes writable in each sequential zone, a
 *	multiple of @block_size, at most @zone_size (default @zone_size)
 * @zone_nr_conv: zoned: how many conventional zones (written in place)
 *	come first, fewer than the disk's zones (default 0)
 * @zone_max_open: zoned: most zones open at once, at most
 *	@zone_max_active unless that is 0 (default 0: no limit)
 * @zone_max_active: zoned: most zones open or closed at once (default 0:
 *	no limit)
 * @metadata_size: metadata bytes per block (Documentation/integrity.rst):
 *	0 (default), 8 or 16 with 512-byte blocks, 8 or 64 with 4096 (16
 *	too with %ZCBLK_DEV_F_PI_GUARD64); in a separate buffer, or inside
 *	each block with %ZCBLK_DEV_F_EXTENDED_LBA.
 *	With PI in separate metadata the block device has the kernel's
 *	integrity profile (on 6.1 only with the PI at the metadata's start);
 *	other metadata disks have no block device.  Was a reserved field
 *	that had to be 0, so a version 2 caller of an older header asks for
 *	none
 * @write_cache: bytes of volatile write cache (version 3,
 *	%ZCBLK_PARAM_WRITE_CACHE; Documentation/durability.rst): writes
 *	complete before they are durable, a flush or FUA makes them so, and
 *	zcblk_dev_power() cuts the power to lose what is not.  mem and file
 *	backends, not with @metadata_size or %ZCBLK_DEV_F_ZONED (the kernel
 *	refuses the others, -EOPNOTSUPP).  Default 0: none
 * @fdp_ru_size: bytes of a reclaim unit, a multiple of @block_size
 *	(version 4, %ZCBLK_PARAM_FDP_RU_SIZE, each fdp field with its
 *	%ZCBLK_PARAM_FDP_* bit; Documentation/fdp.rst).  %ZCBLK_DEV_F_FDP
 *	only: the fdp fields are refused (-EINVAL) without it.  Default
 *	64 MiB
 * @fdp_nruh: fdp: reclaim unit handles, 1 .. 128 (default 8)
 * @fdp_nrg: fdp: reclaim groups, 1 .. 32 (default 1)
 * @fdp_nph: fdp: the namespace's placement handles, 1 .. 128, on reclaim
 *	unit handles 0 to @fdp_nph - 1: at most @fdp_nruh (default
 *	@fdp_nruh)
 * @fdp_ruh_type: fdp: the reclaim unit handles' type, 1 initially
 *	isolated (default) or 2 persistently isolated
 *
 * Initialise with all fields zero, e.g.
 * ``struct zcblk_dev_params p = { .size = sizeof(p) };``
 * then set fields and their bits in @set.  Fields appended by a later
 * version of this header lie beyond an older caller's @size and count as
 * not set: the library reads no more than @size bytes, and refuses
 * (-EINVAL) a bit in @set whose field @size leaves out (the zone fields
 * need %ZCBLK_DEV_PARAMS_SIZE_VER2, @write_cache
 * %ZCBLK_DEV_PARAMS_SIZE_VER3, the fdp fields
 * %ZCBLK_DEV_PARAMS_SIZE_VER4).
 */
struct zcblk_dev_params {
	__u32 size;
	__u32 __reserved;
	__u64 set;
	__u32 index;
	__u32 block_size;
	__u64 disk_size;
	__u32 nr_queues;
	__u32 queue_depth;
	char backend[16];
	__u32 poll_queues;
	__u32 node_uid;
	__u32 node_gid;
	__u32 node_mode;
	__extension__ union {	/* anonymous: C11, or GNU C99 */
		const char *path;
		__u64 __path_u64;
	};
	__u32 flags;
	__u32 timeout_ms;
	__u32 completion;
	__u32 pi_type;
	__u64 completion_ns;
	/* version 1 ends here (ZCBLK_DEV_PARAMS_SIZE_VER1 bytes) */
	__u64 zone_size;
	__u64 zone_capacity;
	__u32 zone_nr_conv;
	__u32 zone_max_open;
	__u32 zone_max_active;
	__u32 metadata_size;
	/* version 2 ends here (ZCBLK_DEV_PARAMS_SIZE_VER2 bytes) */
	__u64 write_cache;
	/* version 3 ends here (ZCBLK_DEV_PARAMS_SIZE_VER3 bytes) */
	__u64 fdp_ru_size;
	__u32 fdp_nruh;
	__u32 fdp_nrg;
	__u32 fdp_nph;
	__u32 fdp_ruh_type;
	/* version 4 ends here (ZCBLK_DEV_PARAMS_SIZE_VER4 bytes) */
};
#define ZCBLK_DEV_PARAMS_SIZE_VER1	104
#define ZCBLK_DEV_PARAMS_SIZE_VER2	136
#define ZCBLK_DEV_PARAMS_SIZE_VER3	144
#define ZCBLK_DEV_PARAMS_SIZE_VER4	168

/**
 * struct zcblk_dev_info - a disk as the kernel describes it (DEV_GET reply)
 * @size: sizeof(struct zcblk_dev_info), set by the caller before passing
 *	the structure to zcblk_dev_add() or zcblk_dev_get(), which write no
 *	more than @size bytes.  In zcblk_dev_list() callbacks the library
 *	fills it.
 * @index: disk index
 * @disk_name: block device name, "zcblk<index>"
 * @state: enum zcblk_dev_state (zcblk_state_name() names it)
 * @backend: backend name: "null", "mem", "file"
 * @disk_size: capacity in bytes
 * @block_size: logical block size in bytes
 * @nr_queues: hardware queues
 * @queue_depth: tags per hardware queue
 * @alloc_bytes: backing memory in use (mem backend; 0 otherwise)
 * @char_name: passthrough char device name, "zcblk<index>c"
 * @poll_queues: polled hardware queues
 * @node_uid: owner of the char device node
 * @node_gid: group of the char device node
 * @node_mode: permission bits of the char device node (e.g. 0600)
 * @flags: ZCBLK_DEV_F_* bits the disk was made with
 * @timeout_ms: request timeout in milliseconds
 * @completion: enum zcblk_completion: how requests complete now
 * @fail_every: error injection: every N-th matching command fails (0: off)
 * @fail_ppm: error injection: this many commands per million fail (0: off)
 * @fail_status: the NVMe status injected errors carry (e.g. 0x6, 0x281)
 * @fail_ops: enum zcblk_fail_ops: which commands injection hits
 * @stall: 1 while new requests are held unrun, else 0
 * @completion_ns: %ZCBLK_COMPLETION_TIMER latency in nanoseconds
 * @latency_ns: nanoseconds added to every request
 * @path: file backend: the backing file or block device as given at
 *	creation (empty for other backends), NUL-terminated
 * @zone_size: a zoned disk's (%ZCBLK_DEV_F_ZONED in @flags) bytes per
 *	zone; 0 for other disks, as are the zone fields below
 * @zone_capacity: zoned: the bytes writable in each sequential zone
 * @zone_nr_conv: zoned: the conventional zones, which come first
 * @zone_max_open: zoned: most zones open at once (0: no limit)
 * @zone_max_active: zoned: most zones open or closed at once (0: no
 *	limit)
 * @metadata_size: metadata bytes per block (0: none); in each block's data
 *	with %ZCBLK_DEV_F_EXTENDED_LBA in @flags, else a separate buffer
 * @pi_type: protection information type (0: none, 1..3), in the metadata's
 *	first bytes with %ZCBLK_DEV_F_PI_FIRST in @flags, else its last; 16
 *	of them with a 64-bit guard with %ZCBLK_DEV_F_PI_GUARD64, else 8
 * @power: enum zcblk_power_state: %ZCBLK_POWER_STATE_ON, or
 *	%ZCBLK_POWER_STATE_CUT after zcblk_dev_power() cut it (every I/O
 *	fails until it is on again).  In version 3's room, was a padding
 *	field that was always 0; 0 still from a module without power cuts,
 *	whose disks are always on
 * @write_cache: bytes of volatile write cache (0: none); version 4
 *	(%ZCBLK_DEV_INFO_SIZE_VER4)
 * @bad_count: how many ranges of unreadable blocks the disk has (0:
 *	none), adjacent blocks merged into one range: what Write
 *	Uncorrectable and zcblk_dev_set_bad() marked and no write cleared
 *	since (Documentation/durability.rst).  zcblk_dev_bad_list() gives
 *	the ranges.  Version 5 (%ZCBLK_DEV_INFO_SIZE_VER5); 0 also from a
 *	module that does not report them
 * @__reserved: padding, always 0
 * @fdp_ru_size: an FDP disk's (%ZCBLK_DEV_F_FDP in @flags) bytes of a
 *	reclaim unit; 0 for other disks, as are the fdp fields below.
 *	Version 6 (%ZCBLK_DEV_INFO_SIZE_VER6), defaults filled in
 * @fdp_nruh: fdp: reclaim unit handles
 * @fdp_nrg: fdp: reclaim groups
 * @fdp_nph: fdp: the namespace's placement handles, on reclaim unit
 *	handles 0 to @fdp_nph - 1
 * @fdp_ruh_type: fdp: the reclaim unit handles' type, 1 initially
 *	isolated, 2 persistently isolated
 *
 * The fields from @flags on are the disk's configuration and its live
 * settings (zcblk_dev_set() changes those from @completion to
 * @latency_ns, zcblk_dev_power() @power, zcblk_dev_set_bad()
 * @bad_count).  A field the kernel did not report is 0 (strings: empty).
 * A caller whose @size ends before the zone fields (version 1), @pi_type
 * (version 2), @write_cache (version 3), @bad_count (version 4) or the
 * fdp fields (version 5) gets the fields of its version: the library
 * writes no more than @size bytes.
 */
struct zcblk_dev_info {
	__u32 size;
	__u32 index;
	char disk_name[32];
	__u32 state;
	char backend[16];
	__u32 block_size;
	__u64 disk_size;
	__u32 nr_queues;
	__u32 queue_depth;
	__u64 alloc_bytes;
	char char_name[32];
	__u32 poll_queues;
	__u32 node_uid;
	__u32 node_gid;
	__u32 node_mode;
	__u32 flags;
	__u32 timeout_ms;
	__u32 completion;
	__u32 fail_every;
	__u32 fail_ppm;
	__u32 fail_status;
	__u32 fail_ops;
	__u32 stall;
	__u64 completion_ns;
	__u64 latency_ns;
	char path[4096];
	/* version 1 ends here (ZCBLK_DEV_INFO_SIZE_VER1 bytes) */
	__u64 zone_size;
	__u64 zone_capacity;
	__u32 zone_nr_conv;
	__u32 zone_max_open;
	__u32 zone_max_active;
	__u32 metadata_size;
	/* version 2 ends here (ZCBLK_DEV_INFO_SIZE_VER2 bytes) */
	__u32 pi_type;
	__u32 power;
	/* version 3 ends here (ZCBLK_DEV_INFO_SIZE_VER3 bytes) */
	__u64 write_cache;
	/* version 4 ends here (ZCBLK_DEV_INFO_SIZE_VER4 bytes) */
	__u32 bad_count;
	__u32 __reserved;
	/* version 5 ends here (ZCBLK_DEV_INFO_SIZE_VER5 bytes) */
	__u64 fdp_ru_size;
	__u32 fdp_nruh;
	__u32 fdp_nrg;
	__u32 fdp_nph;
	__u32 fdp_ruh_type;
	/* version 6 ends here (ZCBLK_DEV_INFO_SIZE_VER6 bytes) */
};
#define ZCBLK_DEV_INFO_SIZE_VER1	4280
#define ZCBLK_DEV_INFO_SIZE_VER2	4312
#define ZCBLK_DEV_INFO_SIZE_VER3	4320
#define ZCBLK_DEV_INFO_SIZE_VER4	4328
#define ZCBLK_DEV_INFO_SIZE_VER5	4336
#define ZCBLK_DEV_INFO_SIZE_VER6	4360

/**
 * struct zcblk_dev_stats - a disk's counters (DEV_STATS reply)
 * @size: sizeof(struct zcblk_dev_stats), set by the caller before passing
 *	the structure to zcblk_dev_stats(), which writes no more than @size
 *	bytes.  In zcblk_dev_stats_list() callbacks the library fills it.
 * @pt_inflight: passthrough commands in flight now
 * @read_cmds: reads and compares done, block and passthrough paths
 * @write_cmds: writes done
 * @read_bytes: bytes read
 * @write_bytes: bytes written
 * @errors: backend failures
 * @pinned_pages: user pages pinned (FOLL_PIN) for passthrough commands
 * @unpinned_pages: of those, the pages unpinned again
 * @pinned_current: @pinned_pages - @unpinned_pages: 0 whenever no
 *	passthrough command is in flight
 * @fixed_bytes: bytes moved through io_uring registered buffers (which
 *	zcblk does not pin itself)
 * @copied_bytes: data bytes zcblk copied: the mem backend's copies to and
 *	from its pages, the file backend's buffered mode (page cache).
 *	Stays 0 for the file backend's direct I/O, which is zero-copy
 * @flushes: flushes the disk ran, char device Flush and block layer
 *	flushes alike (file backend: vfs_fsync of the backing file; a write
 *	cache: what was written is durable, Documentation/durability.rst)
 * @timeouts: requests whose timeout expired (those zcblk held ended with
 *	-ETIMEDOUT; a file request with its I/O in flight is only counted)
 * @injected: errors injected (zcblk_dev_set() fail-every / fail-ppm)
 * @cache_dirty_bytes: version 2 (%ZCBLK_DEV_STATS_SIZE_VER2), as the three
 *	below: bytes in the volatile write cache now, written but not yet
 *	durable (0 without a cache)
 * @fua_writes: writes and Write Zeroes with FUA that ran, on any disk (durable
 *	when they completed)
 * @cut_lost_writes: at the last power cut (zcblk_dev_power()), the writes
 *	not durable that it lost, wholly or in part
 * @cut_lost_blocks: the blocks of theirs it lost
 *
 * Every counter counts from the creation of the disk, but
 * @cache_dirty_bytes (now) and the cut_lost ones (the last cut).  A
 * counter the kernel did not report is 0.
 */
struct zcblk_dev_stats {
	__u32 size;
	__u32 pt_inflight;
	__u64 read_cmds;
	__u64 write_cmds;
	__u64 read_bytes;
	__u64 write_bytes;
	__u64 errors;
	__u64 pinned_pages;
	__u64 unpinned_pages;
	__u64 pinned_current;
	__u64 fixed_bytes;
	__u64 copied_bytes;
	__u64 flushes;
	__u64 timeouts;
	__u64 injected;
	/* version 1 ends here (ZCBLK_DEV_STATS_SIZE_VER1 bytes) */
	__u64 cache_dirty_bytes;
	__u64 fua_writes;
	__u64 cut_lost_writes;
	__u64 cut_lost_blocks;
	/* version 2 ends here (ZCBLK_DEV_STATS_SIZE_VER2 bytes) */
};
#define ZCBLK_DEV_STATS_SIZE_VER1	112
#define ZCBLK_DEV_STATS_SIZE_VER2	144

/* Bits of zcblk_dev_settings.set: which settings to change. */
#define ZCBLK_SET_COMPLETION	(1ULL << 0)
#define ZCBLK_SET_COMPLETION_NS	(1ULL << 1)
#define ZCBLK_SET_LATENCY_NS	(1ULL << 2)
#define ZCBLK_SET_FAIL_EVERY	(1ULL << 3)
#define ZCBLK_SET_FAIL_PPM	(1ULL << 4)
#define ZCBLK_SET_FAIL_STATUS	(1ULL << 5)
#define ZCBLK_SET_FAIL_OPS	(1ULL << 6)
#define ZCBLK_SET_STALL		(1ULL << 7)
#define ZCBLK_SET_ALL		((1ULL << 8) - 1)

/**
 * struct zcblk_dev_settings - live settings of a disk (zcblk_dev_set())
 * @size: sizeof(struct zcblk_dev_settings), set by the caller (versioning)
 * @__reserved: must be zero
 * @set: ZCBLK_SET_* bits: the settings to change; the others keep their
 *	values
 * @completion: enum zcblk_completion: how requests complete from now on
 * @fail_every: fail every N-th matching command, counting from this
 *	call; 0 turns this off.  Setting it non-zero turns @fail_ppm off (the
 *	two are ways of saying how often); setting both non-zero in one call
 *	is refused (-EINVAL)
 * @completion_ns: %ZCBLK_COMPLETION_TIMER latency, 0 .. 10^10 ns
 * @latency_ns: nanoseconds added to every request after the backend is
 *	done with it, 0 .. 10^10 (0: none)
 * @fail_ppm: fail this many matching commands per million, at random,
 *	0 .. 1000000; 0 turns this off.  Setting it non-zero turns
 *	@fail_every off
 * @fail_status: the NVMe status injected errors carry (DNR << 14 | SCT << 8
 *	| SC), 1 .. 0x7fff; the default is 0x6 (Internal Error)
 * @fail_ops: enum zcblk_fail_ops: %ZCBLK_FAIL_OPS_ALL (default), _READS
 *	(Read, Compare) or _WRITES (Write, Write Zeroes, DSM, discard)
 * @stall: 1 holds new requests unrun until it is set to 0 again (then
 *	they run); 0 or 1
 *
 * Initialise with all fields zero, e.g.
 * ``struct zcblk_dev_settings s = { .size = sizeof(s) };``
 * then set fields and their bits in @set.  Out-of-range values are
 * refused by the kernel (-ERANGE) and nothing is changed.
 */
struct zcblk_dev_settings {
	__u32 size;
	__u32 __reserved;
	__u64 set;
	__u32 completion;
	__u32 fail_every;
	__u64 completion_ns;
	__u64 latency_ns;
	__u32 fail_ppm;
	__u32 fail_status;
	__u32 fail_ops;
	__u32 stall;
	/* version 1 ends here (ZCBLK_DEV_SETTINGS_SIZE_VER1 bytes) */
};
#define ZCBLK_DEV_SETTINGS_SIZE_VER1	56

/**
 * zcblk_dev_add() - create a disk (ZCBLK_CMD_DEV_ADD; needs CAP_SYS_ADMIN)
 * @ctx: context
 * @params: configuration; @params->size must be set (see the structure)
 * @out: the new disk as the kernel reports it, or NULL; if not NULL,
 *	@out->size must be set
 *
 * Return: 0; -EINVAL if @params->size or @out->size is too small (for
 * @params, also: too small for a field whose bit is in @params->set),
 * @params->__reserved is not zero or
 * %ZCBLK_PARAM_PATH is set with a NULL @params->path, -ENAMETOOLONG if
 * @params->path is longer than 4095 bytes, -EOPNOTSUPP if @params->set has
 * unknown bits, -E2BIG if a caller's structure is larger than this library
 * knows and a field it does not know is non-zero; else the kernel's
 * answer: -EPERM, -EINVAL (missing or malformed attribute, unknown
 * backend, unknown flags, size not a multiple of the block size; zone
 * fields without %ZCBLK_DEV_F_ZONED, a zone geometry that does not fit
 * the disk; fdp fields without %ZCBLK_DEV_F_FDP, %ZCBLK_DEV_F_FDP with
 * %ZCBLK_DEV_F_ZONED, @fdp_ru_size 0 or not a multiple of the block
 * size, @fdp_nph above @fdp_nruh; %ZCBLK_DEV_F_PI_GUARD64 with a
 * @metadata_size other than 16, or 64 with @block_size 4096; file
 * backend: path not a regular file or block device, size
 * larger than the file, direct I/O refused without
 * %ZCBLK_DEV_F_BUFFERED), -ENOENT (no
 * such path), -EBUSY (path already backs a disk, or is one, or a block
 * device in use), -ERANGE (value out of range), -EEXIST (index in use),
 * -ENOSPC (no free index), -ENOMEM, ...
 */
ZCBLK_EXPORT int zcblk_dev_add(struct zcblk_ctx *ctx,
			       const struct zcblk_dev_params *params,
			       struct zcblk_dev_info *out);

/**
 * zcblk_dev_del() - remove a disk (ZCBLK_CMD_DEV_DEL; needs CAP_SYS_ADMIN)
 * @ctx: context
 * @index: disk index
 *
 * Return: 0 once the disk is gone; -ENODEV if there is no disk @index,
 * -EPERM, ...; -ENOBUFS if the kernel could not send its answer (out of
 * memory): the outcome is unknown, zcblk_dev_get() tells.  Commands with
 * a reply (add, set, get) return 0 whenever the reply arrived.
 */
ZCBLK_EXPORT int zcblk_dev_del(struct zcblk_ctx *ctx, __u32 index);

/**
 * zcblk_dev_set() - change a disk's live settings (ZCBLK_CMD_DEV_SET; needs
 *	CAP_SYS_ADMIN)
 * @ctx: context
 * @index: disk index
 * @s: the settings to change; @s->size must be set (see the structure)
 * @out: the disk after the change, as zcblk_dev_get() reports it, or NULL;
 *	if not NULL, @out->size must be set
 *
 * The settings apply to requests from now on (clearing a stall runs what
 * it held).  They are all applied, or none is.
 *
 * Return: 0, with @out filled; -EINVAL if @s->size or @out->size is too
 * small or @s->__reserved is not zero, -EOPNOTSUPP if @s->set has unknown
 * bits, -E2BIG as for zcblk_dev_add(); else the kernel's answer: -ENODEV
 * (no disk @index, or it is being removed: nothing was changed), -EPERM,
 * -ERANGE (value out of range), -EINVAL (fail_every and fail_ppm both
 * non-zero), ...  A module older than this library could also answer
 * -ENODEV for a disk removed right after the change, before it could
 * describe it: the change was made, @out is left as it was and
 * zcblk_ctx_errmsg() says "index: disk removed right after the change".
 * This one describes the disk it changed, even if removed since.
 */
ZCBLK_EXPORT int zcblk_dev_set(struct zcblk_ctx *ctx, __u32 index,
			       const struct zcblk_dev_settings *s,
			       struct zcblk_dev_info *out);

/**
 * zcblk_dev_get() - describe one disk (ZCBLK_CMD_DEV_GET, any user)
 * @ctx: context
 * @index: disk index
 * @out: filled on success; @out->size must be set
 *
 * Return: 0; -ENODEV if there is no disk @index; -EINVAL if @out->size is
 * too small.
 */
ZCBLK_EXPORT int zcblk_dev_get(struct zcblk_ctx *ctx, __u32 index,
			       struct zcblk_dev_info *out);

/**
 * zcblk_dev_list() - describe every disk (a dump of ZCBLK_CMD_DEV_GET)
 * @ctx: context
 * @cb: called once per disk, in index order; a non-zero return value stops
 *	the iteration and is returned by zcblk_dev_list()
 * @arg: passed to @cb
 *
 * The whole dump is received before @cb is first called, so @cb may use
 * @ctx itself.  If the set of disks changed while the kernel was dumping
 * it (NLM_F_DUMP_INTR), the dump is retried a few times, then given up.
 * The structure passed to @cb is only valid during the call.
 *
 * Return: 0 after @cb has seen every disk; @cb's non-zero value; -EAGAIN if
 * no consistent dump could be had; another negative errno (then @cb was not
 * called).
 */
ZCBLK_EXPORT int zcblk_dev_list(struct zcblk_ctx *ctx,
				int (*cb)(const struct zcblk_dev_info *info,
					  void *arg),
				void *arg);

/**
 * zcblk_dev_stats() - one disk's counters (ZCBLK_CMD_DEV_STATS, any user)
 * @ctx: context
 * @index: disk index
 * @out: filled on success; @out->size must be set
 *
 * Return: 0; -ENODEV if there is no disk @index; -EINVAL if @out->size is
 * too small.
 */
ZCBLK_EXPORT int zcblk_dev_stats(struct zcblk_ctx *ctx, __u32 index,
				 struct zcblk_dev_stats *out);

/**
 * zcblk_dev_stats_list() - every disk's counters (a dump of DEV_STATS)
 * @ctx: context
 * @cb: called once per disk with its index and counters, in index order;
 *	a non-zero return value stops the iteration and is returned by
 *	zcblk_dev_stats_list()
 * @arg: passed to @cb
 *
 * As zcblk_dev_list(): the whole dump is received before @cb is first
 * called (so @cb may use @ctx), a dump that raced a change of the set of
 * disks is retried, and the structure passed to @cb is only valid during
 * the call.  The counters of different disks are not a snapshot of one
 * instant.
 *
 * Return: 0 after @cb has seen every disk; @cb's non-zero value; -EAGAIN if
 * no consistent dump could be had; another negative errno (then @cb was not
 * called).
 */
ZCBLK_EXPORT int zcblk_dev_stats_list(struct zcblk_ctx *ctx,
				      int (*cb)(__u32 index,
						const struct zcblk_dev_stats *stats,
						void *arg),
				      void *arg);

/**
 * zcblk_state_name() - name of a disk state
 * @state: enum zcblk_dev_state value
 *
 * Return: "creating", "live", "removing", "dead", or "unknown" for any
 * other value.  A static string.
 */
ZCBLK_EXPORT const char *zcblk_state_name(__u32 state);

#ifdef __cplusplus
}
#endif

#endif /* LIBZCBLK_ZCBLK_DEV_H */
