// SPDX-License-Identifier: GPL-2.0
/*
 * The disk registry and each disk's lifecycle:
 * CREATING -> LIVE -> REMOVING -> DEAD.
 */
#include <linux/lockdep.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>
#include <net/netlink.h>

#include "backend.h"
#include "dev.h"
#include "fdp.h"
#include "media.h"
#include "nvme.h"
#include "passthru.h"
#include "zns.h"

/*
 * zcblk_devs_lock protects membership of zcblk_devs and every disk's state
 * transitions. It is never held across del_gendisk(), which may wait for
 * I/O, nor across a disk's own control operations (dev->ctl_lock), and is
 * taken after ctl_lock, never before (dev.h); an index stays taken in
 * zcblk_devs until its disk is fully gone and DEV_REMOVED has been sent.
 */
static const struct zcblk_backend_ops *const zcblk_backends[] = {
	&zcblk_null_backend,
	&zcblk_mem_backend,
	&zcblk_file_backend,
};

static DEFINE_MUTEX(zcblk_devs_lock);
static DEFINE_XARRAY_ALLOC(zcblk_devs);
/* Bumped whenever a disk appears or goes: lets dumps spot a race. */
static atomic_t zcblk_devs_gen = ATOMIC_INIT(1);

/* Disk indexes are below it (as ublk's ublks_max); set at load only. */
static unsigned int max_disks = ZCBLK_MAX_DEVS;
module_param(max_disks, uint, 0444);
MODULE_PARM_DESC(max_disks, "disk indexes are below this: 1 to 65536 (default)");

/**
 * zcblk_max_disks() - the bound on disk indexes
 *
 * Context: any context.
 * Return: the max_disks module parameter, or 0 if it is out of range (1 to
 * %ZCBLK_MAX_DEVS; module init refuses to load then).
 */
unsigned int zcblk_max_disks(void)
{
	return max_disks && max_disks <= ZCBLK_MAX_DEVS ? max_disks : 0;
}

/**
 * zcblk_dev_generation() - the registry's generation number
 *
 * It changes whenever a disk appears or goes, so that a dump in several parts
 * can tell that it raced with one.
 *
 * Context: any context.
 * Return: the current generation.
 */
unsigned int zcblk_dev_generation(void)
{
	return atomic_read(&zcblk_devs_gen);
}

/**
 * zcblk_backends_each() - call a function with each backend's name
 * @fn: called with each name and @arg; a nonzero return stops the walk
 * @arg: passed to @fn
 *
 * For FEATURES, which lists the backends.
 *
 * Return: 0, or the first nonzero value @fn returned.
 */
int zcblk_backends_each(int (*fn)(const char *name, void *arg), void *arg)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(zcblk_backends); i++) {
		ret = fn(zcblk_backends[i]->name, arg);
		if (ret)
			return ret;
	}
	return 0;
}


/**
 * zcblk_backend_find() - look up a backend by name
 * @name: the name DEV_ADD was given
 *
 * Return: the backend's operations, or NULL if there is no such backend.
 */
const struct zcblk_backend_ops *zcblk_backend_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(zcblk_backends); i++)
		if (!strcmp(zcblk_backends[i]->name, name))
			return zcblk_backends[i];
	return NULL;
}

static void zcblk_dev_free(struct kref *ref)
{
	struct zcblk_dev *dev = container_of(ref, struct zcblk_dev, ref);

	/* Every pinned page must have been unpinned by now. */
	WARN_ON_ONCE(atomic64_read(&dev->pins.pinned) !=
		     atomic64_read(&dev->pins.unpinned));
	zcblk_map_pool_free(&dev->maps);
	free_percpu(dev->stats);
	kfree(dev->hctxs);
	zcblk_zns_free(dev);
	zcblk_media_free(dev);
	zcblk_fdp_free(dev);
	zcblk_wc_free(dev);
	kfree(dev->cfg.path);
	kfree(dev);
}

/**
 * zcblk_stats_sum() - a disk's I/O counters, summed over the CPUs
 * @dev: the disk
 * @sum: set to the sums
 *
 * Context: any context.
 */
void zcblk_stats_sum(struct zcblk_dev *dev, struct zcblk_io_stats *sum)
{
	u64 *out = (u64 *)sum;
	unsigned int i;
	int cpu;

	/* The struct is u64 words, nothing else (dev.h) */
	BUILD_BUG_ON(sizeof(*sum) % sizeof(u64));
	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const u64 *in = (const u64 *)per_cpu_ptr(dev->stats, cpu);

		for (i = 0; i < sizeof(*sum) / sizeof(u64); i++)
			out[i] += READ_ONCE(in[i]);
	}
}

/**
 * zcblk_dev_put() - drop a reference on a disk
 * @dev: the disk
 *
 * The last one frees the disk object, and with it what outlives the tag set
 * for commands still to be reaped: the map slots and the poll queues' state.
 *
 * Context: process context.
 */
void zcblk_dev_put(struct zcblk_dev *dev)
{
	kref_put(&dev->ref, zcblk_dev_free);
}

/**
 * zcblk_dev_get() - take a reference on the LIVE disk at an index
 * @index: the disk's index
 *
 * Context: process context; takes zcblk_devs_lock (may sleep).
 * Return: the disk, or NULL if there is no LIVE disk at @index.
 */
struct zcblk_dev *zcblk_dev_get(u32 index)
{
	struct zcblk_dev *dev;

	mutex_lock(&zcblk_devs_lock);
	dev = xa_load(&zcblk_devs, index);
	if (dev && dev->state == ZCBLK_DEV_STATE_LIVE)
		kref_get(&dev->ref);
	else
		dev = NULL;
	mutex_unlock(&zcblk_devs_lock);
	return dev;
}

/**
 * zcblk_dev_get_live() - take a reference on a disk if it is LIVE
 * @dev: the disk
 *
 * For the char device's open.
 *
 * Context: process context; takes zcblk_devs_lock (may sleep).
 * Return: @dev, or NULL if it is not LIVE.
 */
struct zcblk_dev *zcblk_dev_get_live(struct zcblk_dev *dev)
{
	mutex_lock(&zcblk_devs_lock);
	if (dev->state == ZCBLK_DEV_STATE_LIVE)
		kref_get(&dev->ref);
	else
		dev = NULL;
	mutex_unlock(&zcblk_devs_lock);
	return dev;
}

/**
 * zcblk_dev_get_next() - take a reference on the next LIVE disk
 * @index: where to look from; set to the index of the disk found
 *
 * For dumps: the LIVE disk at @index or the next one after it.
 *
 * Context: process context; takes zcblk_devs_lock (may sleep).
 * Return: the disk, or NULL if there is none at or after @index.
 */
struct zcblk_dev *zcblk_dev_get_next(u32 *index)
{
	unsigned long i = *index;
	struct zcblk_dev *dev;

	mutex_lock(&zcblk_devs_lock);
	xa_for_each_start(&zcblk_devs, i, dev, i) {
		if (dev->state == ZCBLK_DEV_STATE_LIVE) {
			kref_get(&dev->ref);
			*index = i;
			mutex_unlock(&zcblk_devs_lock);
			return dev;
		}
	}
	mutex_unlock(&zcblk_devs_lock);
	return NULL;
}

/**
 * zcblk_dev_get_status() - read a disk's state and its backend's allocation
 * @dev: the disk, referenced
 * @st: set to the disk's state and the bytes its backend has allocated
 *
 * The backend is only there while the disk is LIVE: look under the lock.
 *
 * Context: process context; takes zcblk_devs_lock (may sleep).
 */
void zcblk_dev_get_status(struct zcblk_dev *dev, struct zcblk_dev_status *st)
{
	mutex_lock(&zcblk_devs_lock);
	st->state = dev->state;
	st->alloc_bytes = 0;
	if (dev->state == ZCBLK_DEV_STATE_LIVE && dev->ops->alloc_bytes)
		st->alloc_bytes = dev->ops->alloc_bytes(dev);
	mutex_unlock(&zcblk_devs_lock);
}

static void zcblk_dev_set_state(struct zcblk_dev *dev,
				enum zcblk_dev_state state)
{
	lockdep_assert_held(&zcblk_devs_lock);
	WRITE_ONCE(dev->state, state);
}

/*
 * What outlives the tag set, for commands still to be reaped: the map
 * slots and the per-queue state ->uring_cmd_iopoll looks at. Freed with
 * the disk object.
 */
static int zcblk_dev_alloc_queues(struct zcblk_dev *dev)
{
	unsigned int i, nr = dev->cfg.nr_queues + dev->cfg.poll_queues;

	dev->hctxs = kcalloc(nr, sizeof(*dev->hctxs), GFP_KERNEL);
	if (!dev->hctxs)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		init_llist_head(&dev->hctxs[i].done);
		dev->hctxs[i].dev = dev;
	}
	return zcblk_map_pool_init(&dev->maps, nr * dev->cfg.queue_depth);
}

/**
 * zcblk_dev_add() - create a disk
 * @cfg: the disk's configuration; its path is the disk's from here on, even
 *       on failure
 * @added: if not NULL, called with the new disk once it is LIVE, under its
 *         ctl_lock (DEV_ADD's reply and DEV_ADDED); the disk is LIVE
 *         throughout, and no DEV_SET, DEV_DEL or Format NVM of it has
 *         begun. It must not take ctl_lock, and cannot fail the add.
 * @arg: passed to @added
 * @extack: for the reason of a failure
 *
 * The index is reserved first so that concurrent adds cannot race; the disk
 * becomes LIVE only once its block device, char device and debugfs files are
 * all there.
 *
 * Context: process context; may sleep. Takes the new disk's ctl_lock, then
 * zcblk_devs_lock.
 * Return: 0, or a negative errno: -EEXIST (the index is in use), -ERANGE (it
 * is not below max_disks), -ENOSPC (no free index), -ENOMEM, or what the
 * backend or the block layer said.
 */
int zcblk_dev_add(const struct zcblk_config *cfg,
		  void (*added)(struct zcblk_dev *dev, void *arg), void *arg,
		  struct netlink_ext_ack *extack)
{
	struct zcblk_dev *dev;
	u32 index;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev) {
		kfree(cfg->path);	/* ours either way */
		return -ENOMEM;
	}
	kref_init(&dev->ref);
	dev->cfg = *cfg;
	dev->ops = cfg->backend;
	dev->state = ZCBLK_DEV_STATE_CREATING;
	dev->set = cfg->set;
	uuid_gen(&dev->uuid);
	mutex_init(&dev->ctl_lock);
	spin_lock_init(&dev->held_lock);
	INIT_LIST_HEAD(&dev->held);
	INIT_WORK(&dev->unstall_work, zcblk_unstall_work);
	atomic_set(&dev->pt_issuing, 0);
	init_waitqueue_head(&dev->pt_wait);
	zcblk_wc_init(dev);
	dev->stats = alloc_percpu(struct zcblk_io_stats);
	ret = dev->stats ? zcblk_dev_alloc_queues(dev) : -ENOMEM;
	if (!ret)
		ret = zcblk_media_init(dev);	/* both freed with the object */
	if (ret)
		goto err_put_dev;

	/* Reserve the index first so that concurrent adds cannot race. */
	mutex_lock(&zcblk_devs_lock);
	if (cfg->index != U32_MAX && cfg->index >= max_disks) {
		NL_SET_ERR_MSG(extack, "index: not below the max_disks module parameter");
		ret = -ERANGE;
	} else if (cfg->index != U32_MAX) {
		index = cfg->index;
		ret = xa_insert(&zcblk_devs, index, dev, GFP_KERNEL);
		if (ret == -EBUSY) {
			NL_SET_ERR_MSG(extack, "index: already in use");
			ret = -EEXIST;
		}
	} else {
		ret = xa_alloc(&zcblk_devs, &index, dev,
			       XA_LIMIT(0, max_disks - 1), GFP_KERNEL);
		if (ret == -EBUSY) {
			NL_SET_ERR_MSG(extack, "no free index");
			ret = -ENOSPC;
		}
	}
	mutex_unlock(&zcblk_devs_lock);
	if (ret)
		goto err_put_dev;
	dev->index = index;
	dev->cfg.index = index;

	ret = zcblk_disk_create(dev, extack);
	if (ret) {
		if (!extack || !extack->_msg)
			NL_SET_ERR_MSG(extack, "could not create the block device");
		goto err_erase_index;
	}
	/* After the backend settled the size and block size. */
	ret = zcblk_nvme_ident_init(dev);
	if (ret)
		goto err_del_disk;
	ret = zcblk_chardev_add(dev);
	if (ret) {
		NL_SET_ERR_MSG(extack, "could not create the char device");
		goto err_free_ident;
	}
	zcblk_debugfs_add(dev);

	/*
	 * LIVE under ctl_lock, held until @added has run: a DEV_SET,
	 * DEV_DEL or Format NVM that finds the disk LIVE waits for it, so
	 * their events follow DEV_ADDED, which describes a LIVE disk. The
	 * registry's reference keeps the disk for @added.
	 */
	mutex_lock(&dev->ctl_lock);
	mutex_lock(&zcblk_devs_lock);
	zcblk_dev_set_state(dev, ZCBLK_DEV_STATE_LIVE);
	atomic_inc(&zcblk_devs_gen);
	mutex_unlock(&zcblk_devs_lock);
	if (added)
		added(dev, arg);
	mutex_unlock(&dev->ctl_lock);
	return 0;

err_free_ident:
	zcblk_nvme_ident_free(dev);
err_del_disk:
	zcblk_disk_del(dev);
	zcblk_disk_free(dev);
err_erase_index:
	mutex_lock(&zcblk_devs_lock);
	xa_erase(&zcblk_devs, index);
	mutex_unlock(&zcblk_devs_lock);
err_put_dev:
	zcblk_dev_put(dev);
	return ret;
}

/*
 * LIVE -> REMOVING, under the disk's ctl_lock: a Format NVM or DEV_SET
 * that began while the disk was LIVE has ended (and sent its event), none
 * begins (they look under ctl_lock), and DEV_ADD has sent DEV_ADDED.
 * False if the disk was not LIVE: another removal took it.
 */
static bool zcblk_dev_start_removal(struct zcblk_dev *dev)
{
	bool live;

	mutex_lock(&dev->ctl_lock);
	mutex_lock(&zcblk_devs_lock);
	live = dev->state == ZCBLK_DEV_STATE_LIVE;
	if (live) {
		zcblk_dev_set_state(dev, ZCBLK_DEV_STATE_REMOVING);
		atomic_inc(&zcblk_devs_gen);
	}
	mutex_unlock(&zcblk_devs_lock);
	mutex_unlock(&dev->ctl_lock);
	return live;
}

/*
 * Tears down a disk zcblk_dev_start_removal() moved to REMOVING
 * (architecture.md section 6): no new command starts, what zcblk holds or
 * would wait to be polled ends, the node goes, del_gendisk drains the
 * queue, the submitters still between allocating a request and executing
 * it finish, then the backend goes. Nothing here waits for userspace:
 * commands not yet reaped hold their map slots (and their pins) in the
 * disk object, which their files keep, and complete whenever their task
 * runs. Open files see -ENODEV. @removed, if any, runs once the disk is
 * DEAD, under its ctl_lock, while its index is still taken: DEV_REMOVED
 * goes out after the disk's other events and before a DEV_ADD can reuse
 * the index.
 */
static void zcblk_dev_teardown(struct zcblk_dev *dev,
			       void (*removed)(struct zcblk_dev *dev, void *arg),
			       void *arg)
{
	/* Pairs with zcblk_pt_enter(): it sees REMOVING or we see it. */
	smp_mb();
	zcblk_map_pool_wake(&dev->maps);
	zcblk_release_held(dev);
	zcblk_chardev_del(dev);
	zcblk_disk_del(dev);
	zcblk_pt_wait_idle(dev);
	zcblk_debugfs_del(dev);
	zcblk_disk_free(dev);
	zcblk_nvme_ident_free(dev);

	mutex_lock(&zcblk_devs_lock);
	zcblk_dev_set_state(dev, ZCBLK_DEV_STATE_DEAD);
	mutex_unlock(&zcblk_devs_lock);
	if (removed) {
		/* Held briefly by now: a DEV_GET's description at most */
		mutex_lock(&dev->ctl_lock);
		removed(dev, arg);
		mutex_unlock(&dev->ctl_lock);
	}

	mutex_lock(&zcblk_devs_lock);
	xa_erase(&zcblk_devs, dev->index);
	mutex_unlock(&zcblk_devs_lock);
	zcblk_dev_put(dev);	/* the registry's reference */
}

/**
 * zcblk_dev_del() - remove a LIVE disk
 * @index: the disk's index
 * @removed: if not NULL, called with the disk once it is torn down (DEAD),
 *           under its ctl_lock and before its index is free (DEV_REMOVED);
 *           it must not take ctl_lock
 * @arg: passed to @removed
 * @extack: for the reason of a failure
 *
 * Removal begins once a Format NVM or DEV_SET running on the disk has
 * ended (its ctl_lock). Nothing here waits for userspace: commands not yet
 * reaped hold their map slots (and their pins) in the disk object, which
 * their files keep, and complete whenever their task runs (architecture.md
 * section 6).
 *
 * Context: process context; may sleep (del_gendisk() drains the queue).
 * Takes the disk's ctl_lock, then zcblk_devs_lock.
 * Return: 0, or -ENODEV if there is no LIVE disk at @index.
 */
int zcblk_dev_del(u32 index, void (*removed)(struct zcblk_dev *dev, void *arg),
		  void *arg, struct netlink_ext_ack *extack)
{
	struct zcblk_dev *dev;

	mutex_lock(&zcblk_devs_lock);
	dev = xa_load(&zcblk_devs, index);
	if (!dev || dev->state != ZCBLK_DEV_STATE_LIVE) {
		mutex_unlock(&zcblk_devs_lock);
		NL_SET_ERR_MSG(extack, "index: no such disk");
		return -ENODEV;
	}
	/* The one found, not one that took its index since */
	kref_get(&dev->ref);
	mutex_unlock(&zcblk_devs_lock);

	if (!zcblk_dev_start_removal(dev)) {
		zcblk_dev_put(dev);
		NL_SET_ERR_MSG(extack, "index: no such disk");
		return -ENODEV;
	}
	zcblk_dev_teardown(dev, removed, arg);
	zcblk_dev_put(dev);
	return 0;
}

/* How long zcblk_dev_quiesced() waits for requests in flight to end */
#define ZCBLK_QUIESCE_WAIT	HZ

/**
 * zcblk_dev_quiesced() - run something with no one else using a disk
 * @dev: the disk; the caller holds a reference
 * @fn: what to run; its return value is returned
 * @arg: for @fn
 *
 * For Format NVM (format.c): DEV_SET and removal wait (dev->ctl_lock),
 * the block device may not be open (and is not opened meanwhile), no
 * passthrough command may be issuing, and the queue freezes within a
 * second. Passthrough commands started meanwhile, or checked against the
 * disk as it was, fail with Format In Progress (zcblk_pt_enter()).
 *
 * Context: process context; may sleep.
 * Return: @fn's value; -ENODEV if the disk is not LIVE, -EBUSY if it is in
 * use (@fn not run).
 */
int zcblk_dev_quiesced(struct zcblk_dev *dev,
		       int (*fn)(struct zcblk_dev *dev, void *arg), void *arg)
{
	struct request_queue *q = dev->queue;
	unsigned int seq;
	int ret = -EBUSY;

	mutex_lock(&dev->ctl_lock);
	/* REMOVING is set under ctl_lock: seen here, LIVE until we let go. */
	if (!zcblk_dev_live(dev)) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (dev->disk) {
		mutex_lock(&dev->disk->open_mutex);
		if (disk_openers(dev->disk))
			goto out_unlock_open;
	}
	seq = dev->fmt_seq;
	WRITE_ONCE(dev->fmt_seq, seq + 1);
	/* Pairs with zcblk_pt_enter(): it sees the change or we see it. */
	smp_mb();
	if (atomic_read(&dev->pt_issuing))
		goto out_seq;
	blk_freeze_queue_start(q);
	if (blk_mq_freeze_queue_wait_timeout(q, ZCBLK_QUIESCE_WAIT) > 0) {
		ret = fn(dev, arg);
		seq += 2;
	}
	blk_mq_unfreeze_queue(q);
out_seq:
	/* After @fn's changes: a command that sees @seq sees them. */
	smp_store_release(&dev->fmt_seq, seq);
out_unlock_open:
	if (dev->disk)
		mutex_unlock(&dev->disk->open_mutex);
out_unlock:
	mutex_unlock(&dev->ctl_lock);
	return ret;
}

/**
 * zcblk_dev_change() - change a disk's live settings (DEV_SET)
 * @index: the disk's index
 * @set: the new values
 * @mask: which of them to apply, as for zcblk_dev_set()
 * @changed: called with the disk and zcblk_dev_set()'s return once it ran
 *           on the disk, failed or not (a failed action may follow applied
 *           settings), still under the ctl_lock it ran under (DEV_SET's
 *           reply and DEV_CHANGED); not called if there was no LIVE disk.
 *           It must not take ctl_lock.
 * @arg: passed to @changed
 * @extack: for the reason of a failure
 *
 * The disk found is referenced; under its ctl_lock it can no longer start
 * going away (removal waits there), and other disks' operations do not wait
 * for a power cut or a bad list's save on this one.
 *
 * Context: process context; takes zcblk_devs_lock, lets go, then takes
 * dev->ctl_lock (may sleep).
 * Return: 0, -ENODEV if there is no LIVE disk at @index, or the error of
 * zcblk_dev_set().
 */
int zcblk_dev_change(u32 index, const struct zcblk_settings *set, u64 mask,
		     void (*changed)(struct zcblk_dev *dev, int ret, void *arg),
		     void *arg, struct netlink_ext_ack *extack)
{
	struct zcblk_dev *dev;
	int ret;

	mutex_lock(&zcblk_devs_lock);
	dev = xa_load(&zcblk_devs, index);
	if (!dev || !zcblk_dev_live(dev)) {
		mutex_unlock(&zcblk_devs_lock);
		if (dev)
			NL_SET_ERR_MSG(extack, "index: disk is being removed");
		else
			NL_SET_ERR_MSG(extack, "index: no such disk");
		return -ENODEV;
	}
	kref_get(&dev->ref);
	mutex_unlock(&zcblk_devs_lock);

	mutex_lock(&dev->ctl_lock);
	if (!zcblk_dev_live(dev)) {
		mutex_unlock(&dev->ctl_lock);
		zcblk_dev_put(dev);
		NL_SET_ERR_MSG(extack, "index: disk is being removed");
		return -ENODEV;
	}
	ret = zcblk_dev_set(dev, set, mask, extack);
	changed(dev, ret, arg);
	mutex_unlock(&dev->ctl_lock);
	zcblk_dev_put(dev);
	return ret;
}

/**
 * zcblk_dev_remove_all() - remove every disk
 *
 * Module exit: no netlink request can arrive any more.
 *
 * Context: process context; may sleep.
 */
void zcblk_dev_remove_all(void)
{
	struct zcblk_dev *dev;
	unsigned long i;

	xa_for_each(&zcblk_devs, i, dev) {
		/* Every one LIVE: no DEV_ADD or DEV_DEL runs any more. */
		WARN_ON_ONCE(!zcblk_dev_start_removal(dev));
		/* No event: the family is gone. */
		zcblk_dev_teardown(dev, NULL, NULL);
	}
	WARN_ON_ONCE(!xa_empty(&zcblk_devs));
}
