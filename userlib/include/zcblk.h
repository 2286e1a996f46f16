/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libzcblk: manage zcblk virtual disks over the "zcblk" generic netlink
 * family (see <linux/zcblk.h> for the wire format), follow their events,
 * and talk to their passthrough char devices (NVMe commands through
 * ioctls or io_uring: the zcblk_pt_*() helpers of <zcblk_pt.h>, which
 * this header includes).
 *
 * Conventions for every function below:
 *  - 0 (or a documented non-negative value) on success, a negative errno on
 *    failure.  Errors the kernel reports are passed through unchanged.
 *  - Nothing is ever printed: after a failed call, zcblk_ctx_errmsg() gives
 *    the kernel's explanation (its netlink extended ACK), if any.
 *  - Threads: libzcblk keeps no global state, so different objects may be
 *    used by different threads at once; no one object is thread-safe:
 *     - a struct zcblk_ctx: one per thread, or a lock around every call
 *       on it (zcblk_ctx_errmsg()'s string belongs to it too, and the
 *       next call on the context replaces it);
 *     - a struct zcblk_monitor likewise: one per thread, or locked.
 *       zcblk_monitor_open() is a call on its context; once it returns,
 *       the monitor is independent of that context, which another thread
 *       may then use or close;
 *     - the zcblk_pt_*() helpers are pure: they keep nothing between
 *       calls, and the SQE, CQE and buffers they are given are the
 *       caller's, to be used by one thread at a time (as the ring
 *       itself).  The synchronous ones are ioctls on the caller's
 *       descriptor and may run concurrently;
 *     - the name functions (zcblk_state_name(), zcblk_event_name(),
 *       zcblk_pt_status_str(), zcblk_version()) return static strings
 *       that never change and may be called from any thread.
 *
 * Extensible structures (struct zcblk_dev_params, struct zcblk_dev_info,
 * struct zcblk_dev_stats, struct zcblk_dev_settings, struct
 * zcblk_features) begin with a __u32 @size that the caller sets to
 * sizeof(the structure) as it was compiled.
 * New fields are only ever appended; the library uses @size to tell which
 * fields the caller knows about, so a program built against an older
 * header keeps working with a newer library.  Their layout is the same on
 * 32- and 64-bit systems: every __u64 is 8-byte aligned, padding is
 * explicit (and must be zero where the caller passes it in).
 */
#ifndef LIBZCBLK_H
#define LIBZCBLK_H

#include <stddef.h>
#include <linux/types.h>
#include <linux/zcblk.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * ZCBLK_EXPORT marks the public functions.  It gives them default
 * visibility only where ZCBLK_BUILDING_SHARED is defined: in the objects
 * of libzcblk.so, built with -fvisibility=hidden (its version script,
 * userlib/lib/libzcblk.map, then exports exactly these functions, as
 * version LIBZCBLK_1.0).  Everywhere else it is empty: in programs that
 * include this header (which changes nothing for them) and in the objects
 * of libzcblk.a, which are also built with -fvisibility=hidden, so a
 * shared object that embeds libzcblk.a does not export its functions.
 */
#ifndef ZCBLK_EXPORT
#ifdef ZCBLK_BUILDING_SHARED
#define ZCBLK_EXPORT __attribute__((visibility("default")))
#else
#define ZCBLK_EXPORT
#endif
#endif

/*
 * The libzcblk release this header belongs to (0.1: major 0, minor 1),
 * for compile-time tests.  The library a program runs with may be newer:
 * zcblk_version_major(), zcblk_version_minor() and zcblk_check_version()
 * tell its own (zcblk_version() as a string).
 */
#define ZCBLK_VERSION_MAJOR	0
#define ZCBLK_VERSION_MINOR	1

/*
 * struct zcblk_ctx: a connection to the zcblk generic netlink family.
 * Opaque: one netlink socket, the resolved family id and the error message
 * of the last failed call.
 */
struct zcblk_ctx;

/**
 * zcblk_ctx_open() - open a netlink socket and resolve the zcblk family
 * @ctx: where the new context is stored; untouched on failure
 *
 * Asks the generic netlink controller (CTRL_CMD_GETFAMILY) for the id of
 * family %ZCBLK_GENL_NAME.
 *
 * Return: 0; -ENOENT if the zcblk module is not loaded; -ENOMEM, or the
 * negative errno of a failed socket call.
 */
ZCBLK_EXPORT int zcblk_ctx_open(struct zcblk_ctx **ctx);

/**
 * zcblk_ctx_close() - close the socket and free the context
 * @ctx: a context from zcblk_ctx_open(), or NULL (nothing is done)
 */
ZCBLK_EXPORT void zcblk_ctx_close(struct zcblk_ctx *ctx);

/**
 * zcblk_ctx_errmsg() - explanation of the last failed call
 * @ctx: the context the call was made on
 *
 * The kernel's extended ACK for the last call that failed on @ctx, made
 * readable: "<attribute>: <message>" when the kernel pointed at an attribute
 * of the request (the attribute's name is not repeated if the message already
 * starts with it), "missing attribute: <attribute>" when a required attribute
 * was absent, and the valid range when the kernel reported one, e.g.
 * "nr-queues: integer out of range (valid: 1..64)" (a mode in octal:
 * "node-mode: integer out of range (valid: 0..0777)").  Attribute names are
 * the YNL-style ones: index, backend, size, block-size, nr-queues,
 * queue-depth, state, disk-name, alloc-bytes, poll-queues, node-uid,
 * node-gid, node-mode, char-name, stats, path, flags, timeout-ms,
 * completion, completion-ns, latency-ns, fail-every, fail-ppm,
 * fail-status, fail-ops, stall, zone-size, zone-capacity, zone-nr-conv,
 * zone-max-open, zone-max-active (inside stats: read-cmds, write-cmds,
 * read-bytes, write-bytes, errors, pt-inflight, pinned-pages,
 * unpinned-pages, pinned-current, fixed-bytes, copied-bytes, flushes,
 * timeouts, injected).  A few errors detected by the library itself
 * (invalid arguments) are explained the same way.
 *
 * Return: a string owned by @ctx, valid until the next call on @ctx; the
 * empty string if there is no explanation.  Never NULL.
 */
ZCBLK_EXPORT const char *zcblk_ctx_errmsg(const struct zcblk_ctx *ctx);

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
#define ZCBLK_PARAM_ALL		((1ULL << 22) - 1)

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
 * @node_mode: permission bits of the char device node, 0 .. 0777
 *	(default 0600)
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
 *	its geometry in the zone fields below).  Unknown bits are refused
 *	(-EINVAL).  Default 0
 * @timeout_ms: request timeout in milliseconds, 100 .. 3600000 (default
 *	30000).  A request zcblk holds itself (stalled, delayed) ends with
 *	-ETIMEDOUT when it expires
 * @completion: enum zcblk_completion: %ZCBLK_COMPLETION_INLINE (default),
 *	%ZCBLK_COMPLETION_SOFTIRQ or %ZCBLK_COMPLETION_TIMER; changeable
 *	later with zcblk_dev_set()
 * @pi_type: protection information type 1, 2 or 3 in the metadata
 *	(%ZCBLK_PARAM_PI_TYPE; needs @metadata_size; default 0: none), first
 *	in it with %ZCBLK_DEV_F_PI_FIRST.  Was padding that had to be 0
 * @completion_ns: %ZCBLK_COMPLETION_TIMER: nanoseconds from the end of
 *	the backend's work to the completion, 0 .. 10^10 (default 0)
 * @zone_size: %ZCBLK_DEV_F_ZONED only (the zone fields are refused,
 *	-EINVAL, without it): bytes per zone, a power of two, a multiple of
 *	@block_size that divides @disk_size, at most 1048576 zones (default
 *	64 MiB)
 * @zone_capacity: zoned: the bytes writable in each sequential zone, a
 *	multiple of @block_size, at most @zone_size (default @zone_size)
 * @zone_nr_conv: zoned: how many conventional zones (written in place)
 *	come first, fewer than the disk's zones (default 0)
 * @zone_max_open: zoned: most zones open at once, at most
 *	@zone_max_active unless that is 0 (default 0: no limit)
 * @zone_max_active: zoned: most zones open or closed at once (default 0:
 *	no limit)
 * @metadata_size: metadata bytes per block (Documentation/integrity.rst):
 *	0 (default), 8 or 16 with 512-byte blocks, 8 or 64 with 4096; in a
 *	separate buffer, or inside each block with %ZCBLK_DEV_F_EXTENDED_LBA.
 *	Such a disk has no block device.  Was a reserved field that had to be
 *	0, so a version 2 caller of an older header asks for none
 *
 * Initialise with all fields zero, e.g.
 * ``struct zcblk_dev_params p = { .size = sizeof(p) };``
 * then set fields and their bits in @set.  Fields appended by a later
 * version of this header lie beyond an older caller's @size and count as
 * not set: the library reads no more than @size bytes, and refuses
 * (-EINVAL) a bit in @set whose field @size leaves out (the zone fields
 * need %ZCBLK_DEV_PARAMS_SIZE_VER2).
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
};
#define ZCBLK_DEV_PARAMS_SIZE_VER1	104
#define ZCBLK_DEV_PARAMS_SIZE_VER2	136

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
 *	first bytes with %ZCBLK_DEV_F_PI_FIRST in @flags, else its last
 * @__reserved: padding, always 0
 *
 * The fields from @flags on are the disk's configuration and its live
 * settings (zcblk_dev_set() changes those from @completion to
 * @latency_ns).  A field the kernel did not report is 0 (strings: empty).
 * A caller whose @size ends before the zone fields (version 1) gets the
 * rest: the library writes no more than @size bytes.
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
	__u32 __reserved;
	/* version 3 ends here (ZCBLK_DEV_INFO_SIZE_VER3 bytes) */
};
#define ZCBLK_DEV_INFO_SIZE_VER1	4280
#define ZCBLK_DEV_INFO_SIZE_VER2	4312
#define ZCBLK_DEV_INFO_SIZE_VER3	4320

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
 * @flushes: flushes run on the backing file (file backend: vfs_fsync;
 *	the other backends have no cache to flush and count none)
 * @timeouts: requests whose timeout expired (those zcblk held ended with
 *	-ETIMEDOUT; a file request with its I/O in flight is only counted)
 * @injected: errors injected (zcblk_dev_set() fail-every / fail-ppm)
 *
 * Every counter counts from the creation of the disk.  A counter the
 * kernel did not report is 0.
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
};
#define ZCBLK_DEV_STATS_SIZE_VER1	112

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
 * the disk; file backend: path not a regular file or block device, size
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
 * non-zero), ...  -ENODEV also if the disk was removed right after the
 * change, before the kernel could describe it: the change was made but
 * the disk is gone, @out is left as it was and zcblk_ctx_errmsg() says
 * "index: disk removed right after the change".
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

/**
 * zcblk_version() - version of this library
 *
 * Return: a static string, e.g. "0.1": the zcblk release it comes from
 * (its ABI is the SONAME's, libzcblk.so.1).
 */
ZCBLK_EXPORT const char *zcblk_version(void);

/**
 * zcblk_version_major() - major version of this library
 *
 * Return: the %ZCBLK_VERSION_MAJOR the library was built with (the header
 * a program was compiled with may be older).
 */
ZCBLK_EXPORT int zcblk_version_major(void);

/**
 * zcblk_version_minor() - minor version of this library
 *
 * Return: the %ZCBLK_VERSION_MINOR the library was built with.
 */
ZCBLK_EXPORT int zcblk_version_minor(void);

/**
 * zcblk_check_version() - is this library at least a given version
 * @major: the major version wanted
 * @minor: the minor version wanted
 *
 * E.g. ``zcblk_check_version(ZCBLK_VERSION_MAJOR, ZCBLK_VERSION_MINOR)``:
 * is the library the program runs with at least the one it was compiled
 * against.  Unlike liburing's io_uring_check_version(), true means the
 * version is there.
 *
 * Return: 1 if the library's version is @major.@minor or later, else 0.
 */
ZCBLK_EXPORT int zcblk_check_version(int major, int minor);

/* ------------------------------------------------------------ features */

/* Room in struct zcblk_features for this many backend names. */
#define ZCBLK_FEATURES_MAX_BACKENDS	8

/**
 * struct zcblk_features - what the loaded module offers (FEATURES reply)
 * @size: sizeof(struct zcblk_features), set by the caller before passing
 *	the structure to zcblk_features(), which writes no more than @size
 *	bytes
 * @nr_backends: how many names @backends holds
 * @backends: the backends' names ("null", "mem", "file"), NUL-terminated,
 *	in the kernel's order; at most %ZCBLK_FEATURES_MAX_BACKENDS (any
 *	further one is left out)
 * @cmds: commands served: bit N set for ZCBLK_CMD_* value N
 * @dev_flags: ZCBLK_DEV_F_* bits DEV_ADD understands
 * @completions: bit N set for each enum zcblk_completion value N
 * @fail_ops: bit N set for each enum zcblk_fail_ops value N
 * @max_devs: disk indexes are below this: the module's max_disks
 *	parameter, %ZCBLK_MAX_DEVS by default
 * @max_queues: most hardware queues a disk may have
 * @max_queue_depth: most tags per hardware queue
 * @max_transfer: most bytes one passthrough command may move
 * @version: the module's version (MODULE_VERSION), NUL-terminated
 *
 * A value the kernel did not report is 0 (strings: empty).
 */
struct zcblk_features {
	__u32 size;
	__u32 nr_backends;
	char backends[ZCBLK_FEATURES_MAX_BACKENDS][16];
	__u32 cmds;
	__u32 dev_flags;
	__u32 completions;
	__u32 fail_ops;
	__u32 max_devs;
	__u32 max_queues;
	__u32 max_queue_depth;
	__u32 max_transfer;
	char version[32];
	/* version 1 ends here (ZCBLK_FEATURES_SIZE_VER1 bytes) */
};
#define ZCBLK_FEATURES_SIZE_VER1	200

/**
 * zcblk_features() - what the module offers (ZCBLK_CMD_FEATURES, any user)
 * @ctx: context
 * @out: filled on success; @out->size must be set
 *
 * Return: 0; -EINVAL if @out is NULL or @out->size is too small;
 * -EOPNOTSUPP if the module predates FEATURES; another negative errno.
 */
ZCBLK_EXPORT int zcblk_features(struct zcblk_ctx *ctx,
				struct zcblk_features *out);

/* ------------------------------------------------------------- monitor */

/*
 * struct zcblk_monitor: a subscription to the "monitor" multicast group.
 * Opaque: its own netlink socket (independent of the context it was
 * opened with) and the messages received but not yet handed out.
 */
struct zcblk_monitor;

/**
 * zcblk_monitor_open() - subscribe to the disks' events
 * @ctx: context, used to find the group (it may be closed afterwards)
 * @mon: where the new monitor is stored; untouched on failure
 *
 * From this call on, every disk added (%ZCBLK_CMD_DEV_ADDED), changed by
 * zcblk_dev_set() (%ZCBLK_CMD_DEV_CHANGED) or removed
 * (%ZCBLK_CMD_DEV_REMOVED) gives one event, in the order the kernel made
 * them; refused requests give none.  No privilege is needed.
 *
 * Return: 0; -EOPNOTSUPP if the module has no monitor group; -EINVAL,
 * -ENOMEM, or the negative errno of a failed socket call.
 */
ZCBLK_EXPORT int zcblk_monitor_open(struct zcblk_ctx *ctx,
				    struct zcblk_monitor **mon);

/**
 * zcblk_monitor_close() - unsubscribe and free the monitor
 * @mon: a monitor from zcblk_monitor_open(), or NULL (nothing is done)
 */
ZCBLK_EXPORT void zcblk_monitor_close(struct zcblk_monitor *mon);

/**
 * zcblk_monitor_fd() - the monitor's file descriptor, for poll()
 * @mon: monitor
 *
 * Readable (POLLIN) when events are waiting in the socket.  Events the
 * library has already received are not visible there: after poll() says
 * readable, call zcblk_monitor_next() with a timeout of 0 until it
 * returns 0.  The descriptor is non-blocking and close-on-exec; do not
 * read from it or close it.
 *
 * Return: the descriptor.
 */
ZCBLK_EXPORT int zcblk_monitor_fd(const struct zcblk_monitor *mon);

/**
 * zcblk_monitor_next() - the next event, waiting for it if need be
 * @mon: monitor
 * @event: where the event's type is stored: %ZCBLK_CMD_DEV_ADDED,
 *	%ZCBLK_CMD_DEV_CHANGED or %ZCBLK_CMD_DEV_REMOVED
 * @info: the disk as the event describes it (as zcblk_dev_get() would
 *	have: after the change for DEV_CHANGED; state "dead" for
 *	DEV_REMOVED); @info->size must be set
 * @timeout_ms: how long to wait: -1 for ever, 0 not at all
 *
 * Return: 1 with an event stored; 0 if none came within @timeout_ms;
 * -EINTR if a signal interrupted the wait (so that a program can stop on
 * SIGINT); -ENOBUFS if the socket's buffer overflowed and events were
 * lost (the monitor stays usable: re-read the disks with zcblk_dev_list());
 * -EINVAL if @info->size is too small; another negative errno.
 */
ZCBLK_EXPORT int zcblk_monitor_next(struct zcblk_monitor *mon, __u32 *event,
				    struct zcblk_dev_info *info,
				    int timeout_ms);

/**
 * zcblk_monitor_run() - hand every event to a callback
 * @mon: monitor
 * @cb: called once per event with its type (as zcblk_monitor_next()) and
 *	the disk; a non-zero return value stops the loop and is returned by
 *	zcblk_monitor_run().  @info is only valid during the call
 * @arg: passed to @cb
 *
 * Loops on zcblk_monitor_next() without a timeout.
 *
 * Return: @cb's non-zero value, or the negative errno that ended the
 * loop: -EINTR (a signal), -ENOBUFS (events lost), ...
 */
ZCBLK_EXPORT int zcblk_monitor_run(struct zcblk_monitor *mon,
				   int (*cb)(__u32 event,
					     const struct zcblk_dev_info *info,
					     void *arg),
				   void *arg);

/**
 * zcblk_event_name() - name of a monitor event
 * @event: %ZCBLK_CMD_DEV_ADDED, %ZCBLK_CMD_DEV_CHANGED or
 *	%ZCBLK_CMD_DEV_REMOVED
 *
 * Return: "added", "changed", "removed", or "unknown" for any other
 * value.  A static string.
 */
ZCBLK_EXPORT const char *zcblk_event_name(__u32 event);

#ifdef __cplusplus
}
#endif

/* The passthrough helpers (zcblk_pt_*()). */
#include "zcblk_pt.h"

#endif /* LIBZCBLK_H */
