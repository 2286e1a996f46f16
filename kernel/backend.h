/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The backend interface: what a disk's data lives on. The rest of zcblk
 * knows only this table; each backend keeps its own state in
 * dev->backend_data.
 */
#ifndef ZCBLK_BACKEND_H
#define ZCBLK_BACKEND_H

#include <linux/blk-mq.h>

struct netlink_ext_ack;
struct zcblk_dev;
struct zcblk_limits;

enum zcblk_io_op {
	ZCBLK_IO_READ,
	ZCBLK_IO_WRITE,
	ZCBLK_IO_FLUSH,
	ZCBLK_IO_DISCARD,
	ZCBLK_IO_WRITE_ZEROES,
	ZCBLK_IO_COMPARE,	/* the data equals what is stored? */
	ZCBLK_IO_VERIFY,	/* readable? no data, no backend (submit.c) */
	ZCBLK_IO_COPY,		/* @len bytes from @src to @pos, and metadata */
};

/*
 * What submit() did with an operation:
 * DONE: finished, and io->sts says how;
 * QUEUED: (READ and WRITE of a request only) the backend calls
 *	zcblk_io_done() later;
 * DEFER: (only when io->nowait) it would have to sleep: the request runs
 *	again, from the disk's workqueue, from the start, so what it did
 *	before returning must be harmless to redo.
 */
enum zcblk_submit {
	ZCBLK_SUBMIT_DONE,
	ZCBLK_SUBMIT_QUEUED,
	ZCBLK_SUBMIT_DEFER,
};

/*
 * One backend operation, from a block request or an NVMe command. The
 * data of READ, WRITE and COMPARE is the segments of @rq, @len bytes in
 * all; segments may have any length and offset (passthrough buffers need
 * not be sector aligned).
 */
struct zcblk_io {
	/* What every operation sets first (submit.c's short path: no more) */
	u64 pos;		/* byte offset on the disk */
	u64 len;		/* bytes */
	struct request *rq;
	enum zcblk_io_op op;
	bool fua;		/* WRITE, COPY: durable before completion */
	bool nowait;		/* in queue_rq's context: must not sleep */
	bool unmap;		/* WRITE_ZEROES: may deallocate */
	bool miscompare;	/* COMPARE: set by the backend on mismatch */
	bool write_fault;	/* with BLK_STS_MEDIUM: a write's (media.c) */
	u64 src;		/* COPY: where from, a byte offset */
	/* READ, WRITE, COMPARE: separate metadata (meta.h), page by page */
	const struct bio_vec *md_bvecs;
	unsigned int md_nr;
	bool md_ext;		/* each block's metadata follows it in @rq */
	blk_status_t sts;	/* the outcome, once DONE */
};

struct zcblk_backend_ops {
	const char *name;
	/*
	 * submit() may return ZCBLK_SUBMIT_DEFER: the request runs again from
	 * the disk's workqueue (every disk has one). Keeps queue_rq
	 * non-blocking, so that passthrough requests run in the submitter's
	 * context (blk-mq punts those of BLK_MQ_F_BLOCKING queues to
	 * kblockd).
	 */
	bool may_defer;
	/*
	 * Run requests from a per-disk workqueue: backends that call into
	 * another file system must not block the submitter nor inherit its
	 * locks (loop does the same). A plain read or write is tried in
	 * queue_rq first if open() set dev->inline_rw (submit.c's
	 * zcblk_disk_inline_ok()), with @io->nowait: the backend must not
	 * block then. Their submit() may return ZCBLK_SUBMIT_DEFER too: run
	 * it again.
	 */
	bool deferred;
	/* Discarded ranges read back as zeros (NVMe DLFEAT) */
	bool zeroes_after_discard;
	/* Keeps no data (null): a discard has nothing to drop */
	bool no_data;
	/* Implements ZCBLK_IO_COMPARE (NVMe ONCS Compare) */
	bool compare;

	/* Set up dev->backend_data from dev->cfg; may adjust the limits. */
	int (*open)(struct zcblk_dev *dev, struct zcblk_limits *lim,
		    struct netlink_ext_ack *extack);
	/* Called after the block device is gone: no request is in flight. */
	void (*release)(struct zcblk_dev *dev);
	/* Carry out @io; the caller completes it unless QUEUED. */
	enum zcblk_submit (*submit)(struct zcblk_dev *dev, struct zcblk_io *io);
	/*
	 * Optional, Format NVM (format.c): erase everything, for the format
	 * dev->cfg now has. Nothing is in flight, nothing else touches the
	 * store meanwhile. A backend without it cannot be formatted.
	 */
	void (*format)(struct zcblk_dev *dev);
	/* Optional: bytes of backing store in use, for DEV_GET. */
	u64 (*alloc_bytes)(struct zcblk_dev *dev);
	/*
	 * Optional, for backends whose data outlives the disk: the bytes the
	 * backing store holds, and a synchronous read or durable write of
	 * some past the disk's data, for what must outlive it too (a zoned
	 * disk's zone table). Process context; 0 or -errno.
	 */
	u64 (*store_size)(struct zcblk_dev *dev);
	int (*store_rw)(struct zcblk_dev *dev, bool write, u64 pos, void *buf,
			size_t len);
	/*
	 * Optional, for the write cache (wcache.c): a synchronous copy of the
	 * disk's data at @pos to or from a kernel buffer, coherent with
	 * submit()'s I/O, not yet durable (a FLUSH makes it so). Process
	 * context; 0 or -errno.
	 */
	int (*data_rw)(struct zcblk_dev *dev, bool write, u64 pos, void *buf,
		       size_t len);
	/*
	 * Optional, for the write cache: a WRITE of whole pages, no metadata,
	 * into @pages (one a page of @io, the caller's, never seen by a
	 * reader), which then take the place of the store pages @io covers;
	 * those come back in @pages (NULL: a hole, which read as zeros), the
	 * caller's now, freed only after an RCU grace period: a reader may
	 * still be copying from one. Failed or deferred, @pages are as given
	 * and the store is unchanged. Context: as submit().
	 */
	enum zcblk_submit (*write_swap)(struct zcblk_dev *dev,
					struct zcblk_io *io,
					struct page **pages);
};

extern const struct zcblk_backend_ops zcblk_null_backend;
extern const struct zcblk_backend_ops zcblk_mem_backend;
/* Named for submit.c's direct calls of the backends queue_rq runs */
enum zcblk_submit zcblk_null_submit(struct zcblk_dev *dev, struct zcblk_io *io);
enum zcblk_submit zcblk_mem_submit(struct zcblk_dev *dev, struct zcblk_io *io);
extern const struct zcblk_backend_ops zcblk_file_backend;

const struct zcblk_backend_ops *zcblk_backend_find(const char *name);
/* copy.c: COPY through data_rw, for the backends that have it */
enum zcblk_submit zcblk_copy_bytes(struct zcblk_dev *dev, struct zcblk_io *io);
/* submit.c: how zcblk calls submit(), counting what it moved */
enum zcblk_submit zcblk_disk_submit(struct zcblk_dev *dev,
				    struct zcblk_io *io);

#endif /* ZCBLK_BACKEND_H */
