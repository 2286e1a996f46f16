/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ZCBLK_DEV_H
#define ZCBLK_DEV_H

#include <linux/badblocks.h>
#include <linux/blk-mq.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/kref.h>
#include <linux/llist.h>
#include <linux/path.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/uuid.h>
#include <linux/wait.h>
#include <linux/zcblk.h>

#include "pin.h"
#include "wcache.h"

#define ZCBLK_VERSION	"0.1"

struct dentry;
struct netlink_ext_ack;
struct zcblk_backend_ops;
struct zcblk_io;
struct zcblk_nvme_ident;
struct zcblk_fdp;
struct zcblk_zones;

/*
 * What DEV_SET changes while the disk lives. Written under the disk's
 * ctl_lock, read locklessly with READ_ONCE on the I/O path; none of
 * it applies once the disk is no longer LIVE.
 */
struct zcblk_settings {
	u32 completion;			/* enum zcblk_completion */
	u64 completion_ns;		/* TIMER mode */
	u64 latency_ns;			/* added to every request */
	u32 fail_every;			/* fail every N-th matching command */
	u32 fail_ppm;			/* or with this probability */
	u32 fail_status;		/* NVMe status injected */
	u32 fail_ops;			/* enum zcblk_fail_ops */
	bool stall;			/* hold new requests */
	/* Not kept: DEV_SET's power cut or on (wcache.c), applied at once */
	u32 power;			/* enum zcblk_power_state */
	u32 cut_mode;			/* enum zcblk_cut_mode */
	u64 cut_seed;
	/* Not kept either: DEV_SET's bad-lba and corrupt-lba (media.c) */
	u64 bad_lba;
	u32 bad_nlb;
	u8 bad_clear;
	u64 corrupt_lba;
	u32 corrupt_nlb;
	u32 corrupt;			/* enum zcblk_corrupt */
};

/*
 * What DEV_ADD asked for, after validation and defaults. Immutable, but for
 * the LBA format (block_size, metadata_size, pi_type, the EXTENDED_LBA and
 * PI_FIRST flags), which Format NVM changes under the disk's ctl_lock with
 * nothing in flight (zcblk_dev_quiesced()).
 */
struct zcblk_config {
	u32 index;
	u64 size;			/* bytes, a multiple of block_size */
	u32 block_size;			/* 512 or 4096 */
	u32 nr_queues;			/* interrupt-style hardware queues */
	u32 poll_queues;		/* polled hardware queues */
	u32 queue_depth;
	kuid_t node_uid;		/* owner of the char device node */
	kgid_t node_gid;
	umode_t node_mode;
	u32 flags;			/* ZCBLK_DEV_F_* */
	u32 timeout_ms;			/* request timeout */
	/* ZCBLK_DEV_F_ZONED: bytes, as DEV_ADD gave them (0: default) */
	u64 zone_size;
	u64 zone_capacity;
	u32 zone_nr_conv;		/* conventional zones first */
	u32 zone_max_open;		/* 0: no limit */
	u32 zone_max_active;		/* 0: no limit */
	u32 metadata_size;		/* per block; meta.h */
	u32 pi_type;			/* 0: none, else 1..3; pi.c */
	u64 write_cache;		/* bytes of volatile cache; wcache.c */
	/* ZCBLK_DEV_F_FDP: fdp.c */
	u64 fdp_ru_size;		/* bytes of a reclaim unit */
	u32 fdp_nruh;			/* reclaim unit handles */
	u32 fdp_nrg;			/* reclaim groups */
	u32 fdp_nph;			/* the namespace's placement handles */
	u32 fdp_ruh_type;		/* 1 initially, 2 persistently isolated */
	bool block_size_given;		/* else a backend may choose it */
	bool size_given;		/* else a backend (file) chose it */
	char *path;			/* file backend; owned, freed with the disk */
	struct zcblk_settings set;	/* the first live settings */
	const struct zcblk_backend_ops *backend;
};


/* What went through the backend, both paths; SMART log and DEV_STATS. */
/*
 * A disk's I/O counters, one set per CPU, so that CPUs doing I/O on the
 * same disk never write the same cacheline; zcblk_stats_sum() adds them up
 * for DEV_STATS, SMART and debugfs (a sum taken while I/O runs is as of
 * no single moment, as the block layer's own statistics). u64 words only.
 */
struct zcblk_io_stats {
	u64 read_cmds;		/* reads and compares */
	u64 write_cmds;
	u64 read_bytes;
	u64 write_bytes;
	u64 errors;		/* backend failures */
	u64 copied_bytes;	/* data zcblk memcpy'd */
	u64 flushes;		/* flushes that reached the backend */
	u64 fua_writes;		/* Write, Write Zeroes with FUA, as flushes */
	u64 timeouts;
	u64 injected;		/* injected errors */
	u64 deferred;		/* run again from dev->wq (debugfs) */
	u64 polled;		/* ended by a poll (debugfs) */
	/* registered buffers' bytes mapped (io_uring pinned them) */
	u64 fixed_bytes;
	/*
	 * Passthrough commands from acceptance to their CQE or return. One
	 * CPU's count may go below zero; a sum taken while commands come and
	 * go may too (read it as 0, as part_in_flight() does), and is exact
	 * when none do.
	 */
	u64 pt_inflight;
};

/* Count on this CPU's set: any context. */
#define zcblk_stat_add(dev, field, n)	this_cpu_add((dev)->stats->field, (n))
#define zcblk_stat_inc(dev, field)	this_cpu_inc((dev)->stats->field)
#define zcblk_stat_dec(dev, field)	this_cpu_dec((dev)->stats->field)

/*
 * Per hardware queue (hctx->driver_data), of every queue; only a poll
 * queue's done list is ever used. Part of the disk object, not of its tag
 * set: ->uring_cmd_iopoll may look at it as long as a file is open.
 */
struct zcblk_hctx {
	/*
	 * Done, for ->poll to end. Lock-free: requests end in any context,
	 * and a lock taken with interrupts off, twice an I/O, cost a polled
	 * read about 95 instructions (Documentation/performance.rst).
	 * complete.c says how removal and a late request meet.
	 */
	struct llist_head done;
	bool dead;			/* removal: end at once, never park */
	struct zcblk_dev *dev;		/* its disk */
};

/*
 * One virtual disk.
 *
 * References (@ref): the registry holds one from DEV_ADD until DEV_DEL has
 * torn the disk down; the char device's struct device holds one until its
 * release; the gendisk holds one from add_disk() until its ->free_disk,
 * for the block device's callbacks that may still run after removal
 * (->report_zones, from an ioctl of a file still open); every
 * zcblk_dev_get() and every open char-device file holds one until it is
 * put. The memory goes at the last put, with the zones. A passthrough command
 * is covered by its file's reference (io_uring holds the file until the
 * CQE is posted, an ioctl until it returns): its map slot and its
 * hardware queue's state are the disk object's, not the tag set's.
 */
struct zcblk_dev {
	struct kref ref;
	u32 index;
	/*
	 * Changed under zcblk_devs_lock, to and from LIVE under ctl_lock
	 * too; read with READ_ONCE on fast paths.
	 */
	enum zcblk_dev_state state;
	/*
	 * Serialises the disk's control operations, DEV_SET (zcblk_dev_set())
	 * and Format NVM (zcblk_dev_quiesced()), which may take long (a power
	 * cut, an erase) and so do not hold zcblk_devs_lock, with its
	 * lifecycle: DEV_ADD makes it LIVE and removal makes it REMOVING
	 * under it, so whoever holds it and sees LIVE sees LIVE until it lets
	 * go, and nothing that began while LIVE still runs once REMOVING.
	 * DEV_GET describes the disk under it. It also orders the disk's
	 * events (netlink.c): DEV_ADDED and each DEV_CHANGED are multicast
	 * under the hold that made the disk LIVE or changed it, DEV_REMOVED
	 * under one after the teardown, before the index is free again.
	 * Lock order: ctl_lock, then zcblk_devs_lock, the disk's open_mutex
	 * (then its queue's freeze) or the locks of its parts (wc.lock,
	 * bad_list_lock, ...). Never taken with zcblk_devs_lock held.
	 */
	struct mutex ctl_lock;
	struct zcblk_config cfg;
	const struct zcblk_backend_ops *ops;
	void *backend_data;		/* owned by ops */
	uuid_t uuid;			/* the namespace's NGUID/EUI64 */

	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;		/* NULL on a char-device-only disk */
	struct request_queue *queue;	/* the disk's, or one of its own */
	bool no_bdev;			/* char device only (zoned.rst) */
	struct workqueue_struct *wq;	/* requests run again (submit.c) */
	/*
	 * A deferred backend (file) that can try plain reads and writes in
	 * queue_rq without blocking (IOCB_NOWAIT): the tag set is
	 * BLK_MQ_F_BLOCKING (submit.c's zcblk_disk_inline_ok()).
	 */
	bool inline_rw;
	struct zcblk_hctx *hctxs;	/* one per hardware queue */

	struct device cdev_dev;		/* /dev/zcblk<N>c */
	struct cdev cdev;
	bool cdev_added;
	/*
	 * Of those, the ones between their request's allocation and their
	 * execution (or failure), which removal waits out: bounded, since
	 * nothing there waits for userspace.
	 */
	atomic_t pt_issuing;
	wait_queue_head_t pt_wait;	/* woken when pt_issuing drops to 0 */
	/*
	 * Format NVM's sequence, odd while it runs; written under
	 * ctl_lock. A command checked against one format issues
	 * only under the same (passthru.c).
	 */
	unsigned int fmt_seq;
	struct zcblk_map_pool maps;	/* passthrough data; pin budget */

	struct zcblk_settings set;
	atomic_t fail_count;		/* matching commands, for fail_every */
	unsigned int dio_align;		/* buffer alignment the backend needs */
	/* Requests zcblk holds (stalled or delayed): see complete.c */
	spinlock_t held_lock;		/* protects held and pdu->held */
	struct list_head held;
	struct work_struct unstall_work;

	struct zcblk_nvme_ident *nvme_ident;
	struct zcblk_zones *zones;	/* zoned disks only: zns.c */
	struct zcblk_fdp *fdp;		/* FDP disks only: fdp.c */
	struct badblocks bad;		/* unreadable sectors: media.c */
	spinlock_t bad_mark_lock;	/* serialises adding to bad */
	/*
	 * The table's sorted copy for listings, allocated with the disk so
	 * that a netlink reply, once its message is allocated, cannot fail.
	 */
	struct mutex bad_list_lock;	/* protects bad_list */
	u64 *bad_list;
	/*
	 * Serialises saving the list: its snapshot, the file, bad_saved,
	 * and which of the file's two copies holds the newest list
	 * (bad_copy), of what generation.
	 */
	struct mutex bad_save_lock;
	unsigned int bad_saved;		/* its seqlock's sequence, last saved */
	u8 bad_copy;
	u64 bad_gen;
	/*
	 * A file disk's <path>.bad: its directory, a reference taken at
	 * DEV_ADD and put when the list was saved for the last time
	 * (zcblk_media_release()), and its name; NULL name: none.
	 */
	struct path bad_dir;
	char *bad_name;
	struct zcblk_wcache wc;		/* volatile cache, power: wcache.c */
	struct zcblk_pins pins;
	struct zcblk_io_stats __percpu *stats;
	struct dentry *debugfs;
};

/* A consistent view of what changes while a disk lives. */
struct zcblk_dev_status {
	enum zcblk_dev_state state;
	u64 alloc_bytes;
};

void zcblk_dev_get_status(struct zcblk_dev *dev, struct zcblk_dev_status *st);
void zcblk_stats_sum(struct zcblk_dev *dev, struct zcblk_io_stats *sum);
int zcblk_dev_add(const struct zcblk_config *cfg,
		  void (*added)(struct zcblk_dev *dev, void *arg), void *arg,
		  struct netlink_ext_ack *extack);
int zcblk_dev_del(u32 index, void (*removed)(struct zcblk_dev *dev, void *arg),
		  void *arg, struct netlink_ext_ack *extack);
int zcblk_dev_change(u32 index, const struct zcblk_settings *set, u64 mask,
		     void (*changed)(struct zcblk_dev *dev, int ret, void *arg),
		     void *arg, struct netlink_ext_ack *extack);
int zcblk_dev_quiesced(struct zcblk_dev *dev,
		       int (*fn)(struct zcblk_dev *dev, void *arg), void *arg);
unsigned int zcblk_dev_generation(void);
unsigned int zcblk_max_disks(void);
int zcblk_backends_each(int (*fn)(const char *name, void *arg), void *arg);
struct zcblk_dev *zcblk_dev_get(u32 index);
struct zcblk_dev *zcblk_dev_get_next(u32 *index);
struct zcblk_dev *zcblk_dev_get_live(struct zcblk_dev *dev);
void zcblk_dev_put(struct zcblk_dev *dev);
void zcblk_dev_remove_all(void);

static inline bool zcblk_zoned(struct zcblk_dev *dev)
{
	return dev->zones;
}

/* Power cut (wcache.c): nothing that reaches the media may change it. */
static inline bool zcblk_power_off(const struct zcblk_dev *dev)
{
	return unlikely(READ_ONCE(dev->wc.off));
}

static inline bool zcblk_dev_live(struct zcblk_dev *dev)
{
	return READ_ONCE(dev->state) == ZCBLK_DEV_STATE_LIVE;
}

/* disk.c */
int zcblk_disk_create(struct zcblk_dev *dev,
		      struct netlink_ext_ack *extack);
void zcblk_disk_del(struct zcblk_dev *dev);
void zcblk_disk_free(struct zcblk_dev *dev);
bool zcblk_disk_is_ours(struct gendisk *disk);

/* submit.c */
extern const struct blk_mq_ops zcblk_mq_ops;
void zcblk_disk_execute(struct zcblk_dev *dev, struct request *rq);
void zcblk_disk_defer(struct zcblk_dev *dev, struct request *rq);

/* complete.c */
void zcblk_io_done(struct zcblk_dev *dev, struct request *rq,
		   blk_status_t sts);
void zcblk_io_complete(struct zcblk_dev *dev, struct request *rq,
		       blk_status_t sts);
bool zcblk_stall(struct zcblk_dev *dev, struct request *rq);
void zcblk_release_held(struct zcblk_dev *dev);
int zcblk_hctx_reap(struct zcblk_hctx *zh, struct io_comp_batch *iob);
void zcblk_unstall_work(struct work_struct *work);
enum blk_eh_timer_return zcblk_timeout(struct request *rq);
void zcblk_rq_init(struct request *rq);

/* inject.c */
u16 zcblk_inject(struct zcblk_dev *dev, struct request *rq);
blk_status_t zcblk_nvme_to_blk_status(u16 status);
int zcblk_dev_set(struct zcblk_dev *dev, const struct zcblk_settings *set,
		  u64 mask, struct netlink_ext_ack *extack);

/* chardev.c */
int zcblk_chardev_init(void);
void zcblk_chardev_exit(void);
int zcblk_chardev_add(struct zcblk_dev *dev);
void zcblk_chardev_del(struct zcblk_dev *dev);

/* debugfs.c */
void zcblk_debugfs_init(void);
void zcblk_debugfs_exit(void);
void zcblk_debugfs_add(struct zcblk_dev *dev);
void zcblk_debugfs_del(struct zcblk_dev *dev);

#endif /* ZCBLK_DEV_H */
