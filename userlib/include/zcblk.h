/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libzcblk: manage zcblk virtual disks over the "zcblk" generic netlink
 * family (see <linux/zcblk.h> for the wire format).
 *
 * Conventions for every function below:
 *  - 0 (or a documented non-negative value) on success, a negative errno on
 *    failure.  Errors the kernel reports are passed through unchanged.
 *  - Nothing is ever printed: after a failed call, zcblk_ctx_errmsg() gives
 *    the kernel's explanation (its netlink extended ACK), if any.
 *  - A context is not thread-safe: use one per thread, or lock around it.
 *
 * Extensible structures (struct zcblk_dev_params, struct zcblk_dev_info,
 * struct zcblk_dev_stats) begin with a __u32 @size that the caller sets to
 * sizeof(the structure) as it was compiled.  New fields are only ever appended; the library uses
 * @size to tell which fields the caller knows about, so a program built
 * against an older header keeps working with a newer library.
 */
#ifndef LIBZCBLK_H
#define LIBZCBLK_H

#include <stddef.h>
#include <linux/types.h>
#include <linux/zcblk.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Only symbols marked ZCBLK_EXPORT are visible in libzcblk.so. */
#ifndef ZCBLK_EXPORT
#define ZCBLK_EXPORT __attribute__((visibility("default")))
#endif

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
 * node-gid, node-mode, char-name, stats.  A few errors detected by the
 * library itself (invalid arguments) are explained the same way.
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
#define ZCBLK_PARAM_ALL		((1ULL << 10) - 1)

/**
 * struct zcblk_dev_params - configuration of a new disk (zcblk_dev_add())
 * @size: sizeof(struct zcblk_dev_params), set by the caller (versioning)
 * @__reserved: must be zero
 * @set: ZCBLK_PARAM_* bits: the fields to send.  A field whose bit is clear
 *	is not sent at all and the kernel applies its default (or refuses the
 *	request if the attribute is required: backend and size are).
 * @index: the index wanted (0 .. %ZCBLK_MAX_DEVS - 1); without
 *	%ZCBLK_PARAM_INDEX the kernel picks a free one
 * @block_size: logical block size in bytes: 512 (default) or 4096
 * @disk_size: capacity in bytes, a multiple of @block_size
 * @nr_queues: hardware queues, 1 .. %ZCBLK_MAX_QUEUES (default 1)
 * @queue_depth: tags per hardware queue, 1 .. %ZCBLK_MAX_QUEUE_DEPTH
 *	(default 128)
 * @backend: backend name, NUL-terminated: "null", "mem"
 * @poll_queues: polled hardware queues (for io_uring IOPOLL rings),
 *	0 .. %ZCBLK_MAX_QUEUES (default 0: no polling)
 * @node_uid: owner of the char device node /dev/zcblk<N>c (default 0)
 * @node_gid: group of the char device node (default 0)
 * @node_mode: permission bits of the char device node, 0 .. 0777
 *	(default 0600)
 *
 * Initialise with all fields zero, e.g.
 * ``struct zcblk_dev_params p = { .size = sizeof(p) };``
 * then set fields and their bits in @set.  Fields appended by a later
 * version of this header lie beyond an older caller's @size and count as
 * not set.
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
	/* version 1 ends here (ZCBLK_DEV_PARAMS_SIZE_VER1 bytes) */
};
#define ZCBLK_DEV_PARAMS_SIZE_VER1	72

/**
 * struct zcblk_dev_info - a disk as the kernel describes it (DEV_GET reply)
 * @size: sizeof(struct zcblk_dev_info), set by the caller before passing
 *	the structure to zcblk_dev_add() or zcblk_dev_get(), which write no
 *	more than @size bytes.  In zcblk_dev_list() callbacks the library
 *	fills it.
 * @index: disk index
 * @disk_name: block device name, "zcblk<index>"
 * @state: enum zcblk_dev_state (zcblk_state_name() names it)
 * @backend: backend name: "null", "mem"
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
 *
 * A field the kernel did not report is 0 (strings: empty).
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
	/* version 1 ends here (ZCBLK_DEV_INFO_SIZE_VER1 bytes) */
};
#define ZCBLK_DEV_INFO_SIZE_VER1	136

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
	/* version 1 ends here (ZCBLK_DEV_STATS_SIZE_VER1 bytes) */
};
#define ZCBLK_DEV_STATS_SIZE_VER1	80

/**
 * zcblk_dev_add() - create a disk (ZCBLK_CMD_DEV_ADD; needs CAP_SYS_ADMIN)
 * @ctx: context
 * @params: configuration; @params->size must be set (see the structure)
 * @out: the new disk as the kernel reports it, or NULL; if not NULL,
 *	@out->size must be set
 *
 * Return: 0; -EINVAL if @params->size or @out->size is too small or
 * @params->__reserved is not zero, -EOPNOTSUPP if @params->set has unknown
 * bits, -E2BIG if a caller's structure is larger than this library knows and
 * a field it does not know is non-zero; else the kernel's answer: -EPERM,
 * -EINVAL (missing or malformed attribute, unknown backend, size not a
 * multiple of the block size), -ERANGE (value out of range), -EEXIST (index
 * in use), -ENOSPC (no free index), -ENOMEM, ...
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
 * -EPERM, ...
 */
ZCBLK_EXPORT int zcblk_dev_del(struct zcblk_ctx *ctx, __u32 index);

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

#endif /* LIBZCBLK_H */
