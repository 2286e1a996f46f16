/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libzcblk: manage zcblk virtual disks over the "zcblk" generic netlink
 * family (see <linux/zcblk.h> for the wire format), follow their events,
 * and talk to their passthrough char devices (NVMe commands through
 * ioctls or io_uring).  Programs include this header only.  It declares
 * the context, the library's version and the module's features, and
 * includes the rest: <zcblk_dev.h>, the disks (their structures and the
 * zcblk_dev_*() commands); <zcblk_monitor.h>, their events
 * (zcblk_monitor_*()); <zcblk_pt.h>, the passthrough helpers
 * (zcblk_pt_*()).
 *
 * Conventions for every function of libzcblk, in this header and in
 * those it includes:
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
 * userlib/lib/libzcblk.map, then exports exactly these functions, at
 * version LIBZCBLK_1.0 or the later one that added them: LIBZCBLK_1.1
 * for zcblk_dev_power(), zcblk_dev_set_bad(), zcblk_dev_bad_list() and
 * zcblk_dev_corrupt()).  Everywhere else it is empty: in programs that
 * include this header (which changes nothing for them) and in the
 * objects of libzcblk.a, which are also built with -fvisibility=hidden,
 * so a shared object that embeds libzcblk.a does not export its
 * functions.
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
 * "node-mode: integer out of range (valid: 01..0777)").  Attribute names are
 * the YNL-style ones: index, backend, size, block-size, nr-queues,
 * queue-depth, state, disk-name, alloc-bytes, poll-queues, node-uid,
 * node-gid, node-mode, char-name, stats, path, flags, timeout-ms,
 * completion, completion-ns, latency-ns, fail-every, fail-ppm,
 * fail-status, fail-ops, stall, zone-size, zone-capacity, zone-nr-conv,
 * zone-max-open, zone-max-active, metadata-size, pi-type, write-cache,
 * power, cut-mode, cut-seed, bad-lba, bad-nlb, bad-clear, corrupt-lba,
 * corrupt-nlb, corrupt, bad-count, bad-range, fdp-ru-size, fdp-nruh,
 * fdp-nrg, fdp-nph, fdp-ruh-type (inside stats: read-cmds, write-cmds,
 * read-bytes, write-bytes, errors, pt-inflight, pinned-pages,
 * unpinned-pages, pinned-current, fixed-bytes, copied-bytes, flushes,
 * timeouts, injected, cache-dirty-bytes, fua-writes, cut-lost-writes,
 * cut-lost-blocks).  A few errors detected by the library itself
 * (invalid arguments) are explained the same way.
 *
 * Return: a string owned by @ctx, valid until the next call on @ctx; the
 * empty string if there is no explanation.  Never NULL.
 */
ZCBLK_EXPORT const char *zcblk_ctx_errmsg(const struct zcblk_ctx *ctx);

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
 * @cut_modes: bit N set for each enum zcblk_cut_mode value N that
 *	zcblk_dev_power() may ask for (0xe: drop, blocks, torn); 0 from a
 *	module without power cuts.  Version 2 (%ZCBLK_FEATURES_SIZE_VER2)
 * @__reserved: padding, always 0
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
	__u32 cut_modes;
	__u32 __reserved;
	/* version 2 ends here (ZCBLK_FEATURES_SIZE_VER2 bytes) */
};
#define ZCBLK_FEATURES_SIZE_VER1	200
#define ZCBLK_FEATURES_SIZE_VER2	208

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

#ifdef __cplusplus
}
#endif

/* The disks: their structures and commands (zcblk_dev_*()). */
#include "zcblk_dev.h"
/* Power cuts, unreadable and corrupted blocks (zcblk_dev_power() ...). */
#include "zcblk_media.h"
/* The disks' events (zcblk_monitor_*()). */
#include "zcblk_monitor.h"
/* The passthrough helpers (zcblk_pt_*()). */
#include "zcblk_pt.h"

#endif /* LIBZCBLK_H */
