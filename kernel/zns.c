// SPDX-License-Identifier: GPL-2.0
/*
 * Zoned disks: the zone state machine of the NVMe Zoned Namespace command
 * set, shared by the char device (Zone Management Send and Receive, Zone
 * Append, zone-checked writes) and the zoned block device. Backends stay
 * ignorant of zones: a reset discards the zone's data through them.
 */
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/nvme.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"
#include "nvme.h"
#include "zns.h"

#define ZCBLK_ZONE_SIZE_DEFAULT	(64ULL << 20)
/* 32 bytes a zone: 32 MiB of state at most */
#define ZCBLK_MAX_ZONES		(1U << 20)
/* Open and active limits: what fio takes (MOR + 1), 0 for none. */
#define ZCBLK_MAX_ZONE_LIMIT	4096U

/*
 * The lock is taken in queue_rq, on workqueues and in process context,
 * never from an interrupt: plain spin_lock.
 */

/*
 * Take the resources a zone needs to become opened: active ones for an
 * empty zone, open ones unless it is open already. At the open limit, the
 * oldest implicitly opened zone is closed to make room (ZNS 2.1.1.4.1).
 */
static int zcblk_zone_open_res(struct zcblk_zones *zs, struct zcblk_zone *z)
{
	struct zcblk_zone *victim;

	lockdep_assert_held(&zs->lock);
	if (zcblk_zs_open(z->state))
		return 0;
	if (z->state == ZCBLK_ZS_EMPTY && zs->max_active &&
	    zs->nr_active >= zs->max_active)
		return ZCBLK_STATUS_ZONE(TOO_MANY_ACTIVE);
	if (zs->max_open && zs->nr_open >= zs->max_open) {
		if (list_empty(&zs->imp_open))
			return ZCBLK_STATUS_ZONE(TOO_MANY_OPEN);
		victim = list_first_entry(&zs->imp_open, struct zcblk_zone,
					  lru);
		zcblk_zone_set(zs, victim, ZCBLK_ZS_CLOSED);
	}
	return 0;
}

/* Write, Write Zeroes and Zone Append against a zone's state. */
static int zcblk_zone_state_write(u8 state)
{
	switch (state) {
	case ZCBLK_ZS_FULL:
		return ZCBLK_STATUS_ZONE(FULL);
	case ZCBLK_ZS_READ_ONLY:
		return ZCBLK_STATUS_ZONE(READ_ONLY);
	case ZCBLK_ZS_OFFLINE:
		return ZCBLK_STATUS_ZONE(OFFLINE);
	default:
		return 0;
	}
}

/**
 * zcblk_zns_write() - place a write in its zone
 * @dev: a zoned disk
 * @pdu: the request's pdu, which keeps the place if the request runs again
 * @slba: the first LBA, inside the namespace; a Zone Append's zone start,
 *        set to the LBA it writes
 * @nlb: blocks, at least one, [@slba, @slba + @nlb) inside the namespace
 * @append: Zone Append (or REQ_OP_ZONE_APPEND)
 *
 * The write pointer moves at once, before the data is written: writes
 * queued behind it find it where they expect it. A write the backend then
 * fails leaves it there (documented in zoned.rst).
 *
 * Context: any context but interrupt.
 * Return: 0 or the NVMe status.
 */
int zcblk_zns_write(struct zcblk_dev *dev, struct zcblk_pdu *pdu, u64 *slba,
		    u64 nlb, bool append)
{
	struct zcblk_zones *zs = dev->zones;
	u32 idx = zcblk_zone_idx(zs, *slba);
	u64 zslba = zcblk_zone_start(zs, idx);
	struct zcblk_zone *z = &zs->zone[idx];
	int status;

	if (pdu->zone_placed) {
		*slba = pdu->zone_slba;
		return 0;
	}
	if (idx < zs->nr_conv) {
		/* Random writes, inside the zone; no append there. */
		if (append)
			return ZCBLK_STATUS_FIELD;
		if (nlb > zslba + zs->zone_lbas - *slba)
			return ZCBLK_STATUS_ZONE(BOUNDARY_ERROR);
		return 0;
	}
	if (append && *slba != zslba)
		return ZCBLK_STATUS_FIELD;
	/* Power cut (wcache.c): no write pointer moves for a lost write. */
	if (zcblk_power_off(dev))
		return NVME_SC_NS_NOT_READY;

	spin_lock(&zs->lock);
	status = zcblk_zone_state_write(z->state);
	if (status)
		goto out_unlock;
	if (append) {
		*slba = z->wp;
	} else if (*slba != z->wp) {
		status = ZCBLK_STATUS_ZONE(INVALID_WRITE);
		goto out_unlock;
	}
	if (nlb > zslba + zs->cap_lbas - z->wp) {
		status = ZCBLK_STATUS_ZONE(BOUNDARY_ERROR);
		goto out_unlock;
	}
	status = zcblk_zone_open_res(zs, z);
	if (status)
		goto out_unlock;
	if (!zcblk_zs_open(z->state))
		zcblk_zone_set(zs, z, ZCBLK_ZS_IMP_OPEN);
	z->wp += nlb;
	if (z->wp == zslba + zs->cap_lbas)
		zcblk_zone_set(zs, z, ZCBLK_ZS_FULL);
	pdu->zone_placed = true;
	pdu->zone_slba = *slba;
out_unlock:
	spin_unlock(&zs->lock);
	return status;
}

/**
 * zcblk_zns_read() - check a read against the zones it touches
 * @dev: a zoned disk
 * @slba: the first LBA
 * @nlb: blocks; the range is inside the namespace
 *
 * Reads do not cross zone boundaries (RAZB is 0); blocks past the write
 * pointer read as the backend has them, zeros on the mem and file
 * backends (DLFEAT).
 *
 * Context: any context but interrupt.
 * Return: 0 or the NVMe status.
 */
int zcblk_zns_read(struct zcblk_dev *dev, u64 slba, u64 nlb)
{
	struct zcblk_zones *zs = dev->zones;
	u32 idx = zcblk_zone_idx(zs, slba);

	if (READ_ONCE(zs->zone[idx].state) == ZCBLK_ZS_OFFLINE)
		return ZCBLK_STATUS_ZONE(OFFLINE);
	if (nlb > zcblk_zone_start(zs, idx) + zs->zone_lbas - slba)
		return ZCBLK_STATUS_ZONE(BOUNDARY_ERROR);
	return 0;
}

/*
 * One zone's transition for a Zone Management Send action. @all: part of
 * a Select All, which touches only the zones in the states the action
 * names for it and skips the others silently. *@discard_to is set to the
 * end of the data a reset drops.
 */
static int zcblk_zone_action(struct zcblk_zones *zs, u32 idx,
			     enum zcblk_zone_action action, bool all,
			     u64 *discard_to)
{
	struct zcblk_zone *z = &zs->zone[idx];
	u64 zslba = zcblk_zone_start(zs, idx);
	u8 st = z->state;
	int status;

	lockdep_assert_held(&zs->lock);
	*discard_to = 0;
	switch (action) {
	case ZCBLK_ZONE_OPEN:
		/* Not the zones closed since it began, to make room */
		if (all && (st != ZCBLK_ZS_CLOSED || !z->open_all))
			return 0;
		if (st == ZCBLK_ZS_EXP_OPEN)
			return 0;
		if (st != ZCBLK_ZS_EMPTY && st != ZCBLK_ZS_IMP_OPEN &&
		    st != ZCBLK_ZS_CLOSED)
			break;
		status = zcblk_zone_open_res(zs, z);
		if (status)
			return status;
		zcblk_zone_set(zs, z, ZCBLK_ZS_EXP_OPEN);
		return 0;
	case ZCBLK_ZONE_CLOSE:
		if (all && !zcblk_zs_open(st))
			return 0;
		if (st == ZCBLK_ZS_CLOSED)
			return 0;
		if (!zcblk_zs_open(st))
			break;
		/* Even with nothing written, as QEMU does: it stays active. */
		zcblk_zone_set(zs, z, ZCBLK_ZS_CLOSED);
		return 0;
	case ZCBLK_ZONE_FINISH:
		if (all && !zcblk_zs_active(st))
			return 0;
		if (st == ZCBLK_ZS_FULL)
			return 0;
		if (st == ZCBLK_ZS_EMPTY) {
			/* Stricter than QEMU: it passes through active. */
			if (zs->max_active && zs->nr_active >= zs->max_active)
				return ZCBLK_STATUS_ZONE(TOO_MANY_ACTIVE);
		} else if (!zcblk_zs_active(st)) {
			break;
		}
		z->wp = zslba + zs->cap_lbas;
		zcblk_zone_set(zs, z, ZCBLK_ZS_FULL);
		return 0;
	case ZCBLK_ZONE_RESET:
		/* And an empty zone whose zeroing failed: its data goes now */
		if (all && !zcblk_zs_active(st) && st != ZCBLK_ZS_FULL &&
		    !(st == ZCBLK_ZS_EMPTY && z->unzeroed))
			return 0;
		if (st != ZCBLK_ZS_EMPTY && !zcblk_zs_active(st) &&
		    st != ZCBLK_ZS_FULL)
			break;
		/* After a zeroing that failed, its whole capacity again */
		*discard_to = z->unzeroed ? zslba + zs->cap_lbas : z->wp;
		z->unzeroed = false;
		z->wp = zslba;
		zcblk_zone_set(zs, z, ZCBLK_ZS_EMPTY);
		return 0;
	case ZCBLK_ZONE_OFFLINE:
		if (all && st != ZCBLK_ZS_READ_ONLY)
			return 0;
		if (st == ZCBLK_ZS_OFFLINE)
			return 0;
		if (st != ZCBLK_ZS_READ_ONLY)
			break;
		zcblk_zone_set(zs, z, ZCBLK_ZS_OFFLINE);
		return 0;
	}
	/* Read-only and offline zones too, as QEMU answers. */
	return ZCBLK_STATUS_ZONE(INVALID_TRANSITION);
}

/**
 * zcblk_zns_fail_zone() - make a zone read-only or offline, as media fail
 * @dev: a zoned disk
 * @lba: an LBA of the zone, a sequential one
 * @state: %ZCBLK_ZS_READ_ONLY or %ZCBLK_ZS_OFFLINE
 *
 * The test hook behind debugfs's zone_readonly and zone_offline (as
 * null_blk's configfs ones): the zone gives its resources back. An offline
 * zone stays offline.
 *
 * Context: process context.
 * Return: 0, or -EINVAL.
 */
int zcblk_zns_fail_zone(struct zcblk_dev *dev, u64 lba, u8 state)
{
	struct zcblk_zones *zs = dev->zones;
	struct zcblk_zone *z;
	int ret = 0;
	u32 idx;

	if (lba >= zcblk_nsze(dev))
		return -EINVAL;
	idx = zcblk_zone_idx(zs, lba);
	if (idx < zs->nr_conv)
		return -EINVAL;
	z = &zs->zone[idx];
	spin_lock(&zs->lock);
	if (z->state == ZCBLK_ZS_OFFLINE && state != ZCBLK_ZS_OFFLINE)
		ret = -EINVAL;
	else
		zcblk_zone_set(zs, z, state);
	spin_unlock(&zs->lock);
	return ret;
}

/*
 * Drop what a reset zone held: its blocks read as zeros again. Write
 * Zeroes that may deallocate, not a discard: a discard leaves a backing
 * block device's data as it was (file.c).
 */
static int zcblk_zone_zero(struct zcblk_dev *dev, u64 zslba, u64 end)
{
	u32 shift = zcblk_lba_shift(dev);
	struct zcblk_io io = {
		.op = ZCBLK_IO_WRITE_ZEROES,
		.pos = zslba << shift,
		.len = (end - zslba) << shift,
		.unmap = true,
	};

	if (end <= zslba)
		return 0;
	/* A reset costs a discard only where there is something to drop. */
	if (dev->ops->no_data && likely(!READ_ONCE(dev->bad.count)))
		return 0;
	zcblk_disk_submit(dev, &io);
	if (io.sts) {
		zcblk_stat_inc(dev, errors);
		return ZCBLK_STATUS_INTERNAL;
	}
	return 0;
}

/*
 * Open with Select All opens the zones closed when it began, and no more:
 * not those it closes to make room (implicitly opened ones, oldest
 * first). With too few of those to make room for all, it fails with
 * nothing changed, as a drive checks its open resources first. One runs
 * at a time (open_all_lock): another's marks would take over its own.
 */
static int zcblk_zns_open_all_mark(struct zcblk_zones *zs, bool nowait)
{
	u32 idx;

	lockdep_assert_held(&zs->open_all_lock);
	spin_lock(&zs->lock);
	/* Closed and explicitly opened zones, all open in the end */
	if (zs->max_open && zs->nr_active - zs->nr_imp_open > zs->max_open) {
		spin_unlock(&zs->lock);
		return ZCBLK_STATUS_ZONE(TOO_MANY_OPEN);
	}
	spin_unlock(&zs->lock);
	for (idx = zs->nr_conv; idx < zs->nr_zones; idx++) {
		spin_lock(&zs->lock);
		zs->zone[idx].open_all = zs->zone[idx].state == ZCBLK_ZS_CLOSED;
		spin_unlock(&zs->lock);
		if (!nowait)
			cond_resched();
	}
	return 0;
}

/**
 * zcblk_zns_mgmt() - carry out a zone management action
 * @dev: a zoned disk
 * @action: what to do
 * @slba: the zone's first LBA, inside the namespace (ignored with @all)
 * @all: every zone the action applies to (Select All, or RESET_ALL)
 * @nowait: in queue_rq's context, where a reset must not wait for the
 *          backend
 *
 * Context: any context but interrupt; may sleep unless @nowait.
 * Return: 0, the NVMe status, or ZCBLK_STATUS_DEFER: run again where it
 * may sleep (nothing was done).
 */
int zcblk_zns_mgmt(struct zcblk_dev *dev, enum zcblk_zone_action action,
		   u64 slba, bool all, bool nowait)
{
	struct zcblk_zones *zs = dev->zones;
	u32 idx = all ? zs->nr_conv : zcblk_zone_idx(zs, slba);
	u32 last = all ? zs->nr_zones - 1 : idx;
	int status = 0;
	u64 end;

	if (!all && slba != zcblk_zone_start(zs, idx))
		return ZCBLK_STATUS_FIELD;
	if (idx < zs->nr_conv)
		return ZCBLK_STATUS_ZONE(INVALID_TRANSITION);
	/* Power cut: no zone changes state, as none is written. */
	if (zcblk_power_off(dev))
		return NVME_SC_NS_NOT_READY;
	/* Discarding a backend's data may sleep (mem frees, file punches). */
	if (action == ZCBLK_ZONE_RESET && nowait && dev->ops->may_defer)
		return ZCBLK_STATUS_DEFER;

	if (all && action == ZCBLK_ZONE_OPEN) {
		if (!nowait)
			mutex_lock(&zs->open_all_lock);
		else if (!mutex_trylock(&zs->open_all_lock))
			return ZCBLK_STATUS_DEFER;
		status = zcblk_zns_open_all_mark(zs, nowait);
		if (status) {
			mutex_unlock(&zs->open_all_lock);
			return status;
		}
	}
	for (; idx <= last && !status; idx++) {
		spin_lock(&zs->lock);
		status = zcblk_zone_action(zs, idx, action, all, &end);
		if (all && action == ZCBLK_ZONE_OPEN)
			zs->zone[idx].open_all = false;
		spin_unlock(&zs->lock);
		if (!status && end) {
			status = zcblk_zone_zero(dev,
						 zcblk_zone_start(zs, idx), end);
			if (status) {
				spin_lock(&zs->lock);
				zs->zone[idx].unzeroed = true;
				spin_unlock(&zs->lock);
			}
		}
		if (all && !nowait)
			cond_resched();
	}
	/* A failed Open of all zones: the marks it did not reach */
	for (; all && action == ZCBLK_ZONE_OPEN && idx <= last; idx++) {
		spin_lock(&zs->lock);
		zs->zone[idx].open_all = false;
		spin_unlock(&zs->lock);
	}
	if (all && action == ZCBLK_ZONE_OPEN)
		mutex_unlock(&zs->open_all_lock);
	return status;
}

/**
 * zcblk_zns_get() - read zones' state
 * @dev: a zoned disk
 * @idx: the first zone
 * @descs: where to put them
 * @nr: how many, from @idx, at most to the last zone
 *
 * Each zone is read whole; zones are not read at one instant together.
 *
 * Context: any context but interrupt.
 */
void zcblk_zns_get(struct zcblk_dev *dev, u32 idx,
		   struct zcblk_zone_desc *descs, unsigned int nr)
{
	struct zcblk_zones *zs = dev->zones;
	unsigned int i;

	spin_lock(&zs->lock);
	for (i = 0; i < nr; i++, idx++) {
		descs[i].zslba = zcblk_zone_start(zs, idx);
		descs[i].conv = idx < zs->nr_conv;
		descs[i].wp = zs->zone[idx].wp;
		descs[i].state = zs->zone[idx].state;
	}
	spin_unlock(&zs->lock);
}

/**
 * zcblk_zns_init() - set up a zoned disk's zones
 * @dev: the disk being added, its backend open (size settled)
 * @lim: its queue limits, made those of a host-managed zoned disk
 * @extack: for the reason of a refusal
 *
 * Context: process context; may sleep.
 * Return: 0 (also for a disk that is not zoned), -EINVAL or -ENOMEM.
 */
int zcblk_zns_init(struct zcblk_dev *dev, struct zcblk_limits *lim,
		   struct netlink_ext_ack *extack)
{
	struct zcblk_config *cfg = &dev->cfg;
	u64 zsize = cfg->zone_size ?: ZCBLK_ZONE_SIZE_DEFAULT;
	u64 zcap = cfg->zone_capacity ?: zsize;
	u32 bs = cfg->block_size;
	struct zcblk_zones *zs;
	u64 nr, limit;
	u32 i;

	u64 table_pos;
	size_t table_len;
	int ret;

	if (!(cfg->flags & ZCBLK_DEV_F_ZONED))
		return 0;
	if (zsize % bs) {
		NL_SET_ERR_MSG(extack, "zone-size: not a multiple of block-size");
		return -EINVAL;
	}
	/*
	 * The block layer takes power-of-two zones only: as the NVMe driver
	 * keeps only /dev/ngXnY then, such a disk has no block device.
	 */
	if (!is_power_of_2(zsize)) {
		if (cfg->zone_nr_conv) {
			NL_SET_ERR_MSG(extack,
				       "zone-nr-conv: conventional zones need a block device, and a zone size not a power of two gets none");
			return -EINVAL;
		}
		dev->no_bdev = true;
	}
	if (!dev->no_bdev && !IS_ENABLED(CONFIG_BLK_DEV_ZONED)) {
		NL_SET_ERR_MSG(extack,
			       "flags: zoned block devices need a kernel with CONFIG_BLK_DEV_ZONED");
		return -EOPNOTSUPP;
	}
	if (zsize >> SECTOR_SHIFT > UINT_MAX) {
		NL_SET_ERR_MSG(extack, "zone-size: above 2 TiB");
		return -EINVAL;
	}
	if (zcap % bs || zcap > zsize) {
		NL_SET_ERR_MSG(extack,
			       "zone-capacity: not a multiple of block-size up to zone-size");
		return -EINVAL;
	}
	ret = zcblk_zns_table_place(dev, zsize, &table_pos, &table_len, extack);
	if (ret)
		return ret;
	if (cfg->size % zsize) {
		NL_SET_ERR_MSG(extack, "size: not a multiple of zone-size");
		return -EINVAL;
	}
	nr = div64_u64(cfg->size, zsize);
	if (nr > ZCBLK_MAX_ZONES) {
		NL_SET_ERR_MSG(extack, "zone-size: more than 1048576 zones");
		return -EINVAL;
	}
	if (cfg->zone_nr_conv >= nr) {
		NL_SET_ERR_MSG(extack,
			       "zone-nr-conv: leaves no sequential zone");
		return -EINVAL;
	}
	/*
	 * A limit above the zones it limits means nothing, and 6.12 sizes a
	 * mempool by it (0, no limit, gets a small one).
	 */
	limit = min_t(u64, nr - cfg->zone_nr_conv, ZCBLK_MAX_ZONE_LIMIT);
	if (cfg->zone_max_active > limit) {
		NL_SET_ERR_MSG(extack,
			       "zone-max-active: above 4096 or the number of sequential zones");
		return -EINVAL;
	}
	if (cfg->zone_max_open > limit) {
		NL_SET_ERR_MSG(extack,
			       "zone-max-open: above 4096 or the number of sequential zones");
		return -EINVAL;
	}
	if (cfg->zone_max_active && cfg->zone_max_open > cfg->zone_max_active) {
		NL_SET_ERR_MSG(extack,
			       "zone-max-open: above zone-max-active");
		return -EINVAL;
	}

	zs = kvzalloc(struct_size(zs, zone, nr), GFP_KERNEL);
	if (!zs)
		return -ENOMEM;
	spin_lock_init(&zs->lock);
	INIT_LIST_HEAD(&zs->imp_open);
	zs->nr_zones = nr;
	zs->nr_conv = cfg->zone_nr_conv;
	zs->zone_lbas = zsize / bs;
	zs->cap_lbas = zcap / bs;
	zs->max_open = cfg->zone_max_open;
	zs->max_active = cfg->zone_max_active;
	for (i = 0; i < nr; i++) {
		zs->zone[i].wp = zcblk_zone_start(zs, i);
		zs->zone[i].state = i < zs->nr_conv ? ZCBLK_ZS_NOT_WP :
				    ZCBLK_ZS_EMPTY;
	}
	zs->table_pos = table_pos;
	zs->table_len = table_len;
	mutex_init(&zs->table_lock);
	mutex_init(&zs->open_all_lock);
	dev->zones = zs;
	/* The reply shows the geometry in effect. */
	cfg->zone_size = zsize;
	cfg->zone_capacity = zcap;
	ret = zcblk_zns_table_load(dev, extack);
	if (ret) {
		zcblk_zns_free(dev);
		return ret;
	}

	if (dev->no_bdev)
		return 0;
	lim->zoned = true;
	lim->chunk_sectors = zsize >> SECTOR_SHIFT;
	lim->max_zone_append_sectors = lim->max_hw_sectors;
	lim->max_open_zones = zs->max_open;
	lim->max_active_zones = zs->max_active;
	/* Data goes away only by zone reset. */
	lim->max_discard_sectors = 0;
	return 0;
}

/**
 * zcblk_zns_free() - free a disk's zones
 * @dev: the disk, with no request left
 */
void zcblk_zns_free(struct zcblk_dev *dev)
{
	if (!dev->zones)
		return;
	kvfree(dev->zones->table);
	kvfree(dev->zones);
	dev->zones = NULL;
}

/**
 * zcblk_zns_report_zones() - the block device's ->report_zones
 * @disk: a zoned zcblk disk
 * @sector: the zones from the one holding this sector
 * @nr_zones: at most this many
 * @cb: called for each
 * @data: @cb's
 *
 * Context: process context.
 * Return: the number of zones reported, or @cb's error.
 */
int zcblk_zns_report_zones(struct gendisk *disk, sector_t sector,
			   unsigned int nr_zones, report_zones_cb cb,
			   void *data)
{
	struct zcblk_dev *dev = disk->private_data;
	struct zcblk_zones *zs = dev->zones;
	u32 shift = zcblk_lba_shift(dev) - SECTOR_SHIFT;
	struct zcblk_zone_desc d;
	struct blk_zone bz;
	unsigned int n = 0;
	u32 idx;
	int ret;

	if ((sector >> shift) >= zcblk_nsze(dev))
		return 0;
	idx = zcblk_zone_idx(zs, sector >> shift);
	for (; idx < zs->nr_zones && n < nr_zones; idx++, n++) {
		zcblk_zns_get(dev, idx, &d, 1);
		bz = (struct blk_zone){
			.start = d.zslba << shift,
			.len = zs->zone_lbas << shift,
			.capacity = (d.conv ? zs->zone_lbas : zs->cap_lbas) <<
				    shift,
			.wp = d.wp << shift,
			.type = d.conv ? BLK_ZONE_TYPE_CONVENTIONAL :
				BLK_ZONE_TYPE_SEQWRITE_REQ,
			.cond = d.state,	/* the same values */
		};
		if (d.conv || d.state == ZCBLK_ZS_FULL)
			bz.wp = bz.start + bz.len;
		ret = cb(&bz, n, data);
		if (ret)
			return ret;
	}
	return n;
}
