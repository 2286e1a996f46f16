// SPDX-License-Identifier: GPL-2.0
/*
 * A zoned disk's zone table at the end of its backing store (the file
 * backend's store_rw), so that a disk made again on the same file finds
 * its write pointers (Documentation/zoned.rst, "Zone state on a file").
 * Written at every flush and when the disk goes; read when it comes.
 *
 * Two copies, written in turn, each with a generation: a save torn by a
 * crash leaves the other, the table of the last save that ended. The
 * table the first version wrote (one copy, where the second is now) is
 * read; the next save writes the first copy.
 */
#include <linux/crc32.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "backend.h"
#include "dev.h"
#include "nvme.h"
#include "zns.h"

#define ZCBLK_ZT_MAGIC		"ZCBLKZT"	/* and a NUL: 8 bytes */
#define ZCBLK_ZT_VERSION	2
#define ZCBLK_ZT_VERSION_1	1	/* one copy, its CRC the entries' */
#define ZCBLK_ZT_ALIGN		4096
/* Zones copied under the zone lock at a time */
#define ZCBLK_ZT_BATCH		4096

/* The table's header; zone entries follow, each __le64 state << 60 | wp. */
struct zcblk_zt_hdr {
	u8 magic[8];
	__le32 version;
	__le32 block_size;
	__le64 zone_size;		/* bytes */
	__le64 zone_capacity;		/* bytes */
	__le32 nr_zones;
	__le32 nr_conv;
	/* crc32_le of the header (crc 0) and entries; version 1: entries */
	__le32 crc;
	__le32 rsvd0;
	__le64 gen;			/* the newer copy's is larger */
	u8 rsvd[8];
};
static_assert(sizeof(struct zcblk_zt_hdr) == 64);

#define ZCBLK_ZT_WP_MASK	GENMASK_ULL(59, 0)

static size_t zcblk_zt_len(u64 nr_zones)
{
	return round_up(sizeof(struct zcblk_zt_hdr) + nr_zones * 8,
			ZCBLK_ZT_ALIGN);
}

/*
 * The most whole zones of @zsize bytes that leave @copies copies of their
 * table room in @store bytes: found by bisection, since a store of
 * exabytes in zones of 512 bytes would take 2^48 steps one zone at a time.
 */
static u64 zcblk_zt_fit(u64 store, u64 zsize, unsigned int copies)
{
	u64 lo = 0, hi = div64_u64(store, zsize), mid;

	while (lo < hi) {
		mid = hi - (hi - lo) / 2;
		if (mid * zsize + copies * zcblk_zt_len(mid) <= store)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/**
 * zcblk_zns_table_place() - find room for the zone table
 * @dev: a zoned disk being added, its backend open
 * @zsize: the zone size in bytes
 * @pos: set to where the table's first copy goes in the backing store
 *	(0: none); the second follows it
 * @len: set to the length of one
 * @extack: for the reason of a refusal
 *
 * The table's two copies take the end of the backing store, whole 4 KiB
 * blocks each. A size not given becomes the most whole zones that leave
 * them room.
 *
 * Context: process context.
 * Return: 0, or -EINVAL.
 */
int zcblk_zns_table_place(struct zcblk_dev *dev, u64 zsize, u64 *pos,
			  size_t *len, struct netlink_ext_ack *extack)
{
	struct zcblk_config *cfg = &dev->cfg;
	u64 store, nr;

	*pos = 0;
	*len = 0;
	if (!dev->ops->store_rw)
		return 0;
	store = round_down(dev->ops->store_size(dev), ZCBLK_ZT_ALIGN);
	if (cfg->size_given) {
		nr = div64_u64(cfg->size, zsize);
		if (store < 2 * zcblk_zt_len(nr) ||
		    cfg->size > store - 2 * zcblk_zt_len(nr)) {
			NL_SET_ERR_MSG(extack,
				       "size: leaves no room for the zone table at the end of the backing file");
			return -EINVAL;
		}
	} else {
		nr = zcblk_zt_fit(store, zsize, 2);
		if (!nr) {
			NL_SET_ERR_MSG(extack,
				       "path: too small for a zone and the zone table");
			return -EINVAL;
		}
		cfg->size = nr * zsize;
	}
	*len = zcblk_zt_len(nr);
	*pos = store - 2 * *len;
	return 0;
}

static int zcblk_zt_check_entry(struct zcblk_zones *zs, u32 idx, u8 state,
				u64 wp)
{
	u64 zslba = zcblk_zone_start(zs, idx);

	if (idx < zs->nr_conv)
		return state == ZCBLK_ZS_NOT_WP && wp == zslba ? 0 : -EINVAL;
	switch (state) {
	case ZCBLK_ZS_EMPTY:
	case ZCBLK_ZS_IMP_OPEN:
	case ZCBLK_ZS_EXP_OPEN:
	case ZCBLK_ZS_CLOSED:
	case ZCBLK_ZS_FULL:
	case ZCBLK_ZS_READ_ONLY:
	case ZCBLK_ZS_OFFLINE:
		break;
	default:
		return -EINVAL;
	}
	if (wp < zslba || wp > zslba + zs->cap_lbas)
		return -EINVAL;
	/* The write pointer as the state has it: no table this disk wrote. */
	switch (state) {
	case ZCBLK_ZS_EMPTY:
		return wp == zslba ? 0 : -EINVAL;
	case ZCBLK_ZS_FULL:
		return wp == zslba + zs->cap_lbas ? 0 : -EINVAL;
	case ZCBLK_ZS_IMP_OPEN:
	case ZCBLK_ZS_EXP_OPEN:
	case ZCBLK_ZS_CLOSED:
		return wp < zslba + zs->cap_lbas ? 0 : -EINVAL;
	default:
		return 0;
	}
}

/* The header this disk's geometry writes, and a found one must have. */
static void zcblk_zt_hdr_fill(struct zcblk_dev *dev, struct zcblk_zt_hdr *h)
{
	struct zcblk_zones *zs = dev->zones;

	memset(h, 0, sizeof(*h));
	memcpy(h->magic, ZCBLK_ZT_MAGIC, sizeof(h->magic));
	h->version = cpu_to_le32(ZCBLK_ZT_VERSION);
	h->block_size = cpu_to_le32(dev->cfg.block_size);
	h->zone_size = cpu_to_le64(dev->cfg.zone_size);
	h->zone_capacity = cpu_to_le64(dev->cfg.zone_capacity);
	h->nr_zones = cpu_to_le32(zs->nr_zones);
	h->nr_conv = cpu_to_le32(zs->nr_conv);
}

/* Can the zones hold what the entries say? */
static bool zcblk_zt_entries_ok(struct zcblk_zones *zs, const __le64 *e)
{
	u32 i;

	for (i = 0; i < zs->nr_zones; i++) {
		u64 v = le64_to_cpu(e[i]);

		if (zcblk_zt_check_entry(zs, i, v >> 60, v & ZCBLK_ZT_WP_MASK))
			return false;
	}
	return true;
}

/*
 * The zones as a table found says, after a power cycle: open zones are
 * closed, or empty if nothing was written (as QEMU's shutdown does).
 */
static void zcblk_zt_apply(struct zcblk_zones *zs, const __le64 *e)
{
	u32 i;

	spin_lock(&zs->lock);
	for (i = zs->nr_conv; i < zs->nr_zones; i++) {
		u64 v = le64_to_cpu(e[i]);
		u64 wp = v & ZCBLK_ZT_WP_MASK;
		u8 state = v >> 60;

		if (state == ZCBLK_ZS_IMP_OPEN || state == ZCBLK_ZS_EXP_OPEN)
			state = wp == zcblk_zone_start(zs, i) ?
				ZCBLK_ZS_EMPTY : ZCBLK_ZS_CLOSED;
		zs->zone[i].wp = wp;
		zcblk_zone_set(zs, &zs->zone[i], state);
	}
	spin_unlock(&zs->lock);
}

/*
 * What copy @copy of the table holds: 0 and its generation in *@gen for a
 * table of this disk's geometry; -ENOENT for none (no magic), -EPROTO for
 * a version not known here (version 1 only where it was written: the
 * second copy), -EDOM for another geometry's, -EBADMSG for a damaged one
 * (its CRC, or entries the zones cannot hold).
 */
static int zcblk_zt_copy_check(struct zcblk_dev *dev, unsigned int copy,
			       u64 *gen)
{
	struct zcblk_zones *zs = dev->zones;
	struct zcblk_zt_hdr *h = zs->table + copy * zs->table_len, want;
	const __le64 *e = (const __le64 *)(h + 1);
	u32 crc = le32_to_cpu(h->crc), c = ~0;

	if (memcmp(h->magic, ZCBLK_ZT_MAGIC, sizeof(h->magic)))
		return -ENOENT;
	zcblk_zt_hdr_fill(dev, &want);
	if (h->version != want.version &&
	    le32_to_cpu(h->version) != ZCBLK_ZT_VERSION_1)
		return -EPROTO;
	/* Version 1's table where no copy of it could be: other zones' */
	if (!copy && le32_to_cpu(h->version) == ZCBLK_ZT_VERSION_1)
		return -EDOM;
	if (memcmp(&h->block_size, &want.block_size,
		   offsetof(struct zcblk_zt_hdr, crc) -
		   offsetof(struct zcblk_zt_hdr, block_size)))
		return -EDOM;
	*gen = 0;
	if (h->version == want.version) {
		h->crc = 0;
		c = crc32_le(c, (const u8 *)h, sizeof(*h));
		h->crc = cpu_to_le32(crc);
		*gen = le64_to_cpu(h->gen);
		if (*gen == U64_MAX)	/* no save could follow it */
			return -EBADMSG;
	}
	if (crc32_le(c, (const u8 *)e, (size_t)zs->nr_zones * 8) != crc ||
	    !zcblk_zt_entries_ok(zs, e))
		return -EBADMSG;
	return 0;
}

/*
 * A version 1 table written for more zones than leave two copies room
 * now: it ends the store, where neither copy is. 0 for none, -EDOM for
 * one, or the store's error.
 */
static int zcblk_zt_v1_elsewhere(struct zcblk_dev *dev)
{
	struct zcblk_zones *zs = dev->zones;
	u64 store = round_down(dev->ops->store_size(dev), ZCBLK_ZT_ALIGN);
	struct zcblk_zt_hdr h;
	u64 pos;
	int ret;

	/* A given size: version 1 had its table where copy 1 is */
	if (dev->cfg.size_given)
		return 0;
	pos = store - zcblk_zt_len(zcblk_zt_fit(store, dev->cfg.zone_size, 1));
	if (pos == zs->table_pos + zs->table_len)
		return 0;
	ret = dev->ops->store_rw(dev, false, pos, &h, sizeof(h));
	if (ret)
		return ret;
	return memcmp(h.magic, ZCBLK_ZT_MAGIC, sizeof(h.magic)) ? 0 : -EDOM;
}

/*
 * No copy to take (@res: what each holds). None there, or a first save
 * that never ended (the first copy damaged, the second never written:
 * nothing was made durable since the store was new): a new store, its
 * zones empty, and a table for it now. Anything else is refused.
 */
static int zcblk_zt_none(struct zcblk_dev *dev, const int *res,
			 struct netlink_ext_ack *extack)
{
	struct zcblk_zones *zs = dev->zones;
	int ret = 0;

	if (res[0] == -ENOENT && res[1] == -ENOENT)
		ret = zcblk_zt_v1_elsewhere(dev);
	if (ret && ret != -EDOM) {
		NL_SET_ERR_MSG(extack, "path: cannot read the zone table");
		return ret;
	}
	if (ret || res[0] == -EDOM || res[1] == -EDOM) {
		NL_SET_ERR_MSG(extack,
			       "zone-size: the backing file's zone table is of another geometry");
		return -EINVAL;
	}
	if (res[0] == -EPROTO || res[1] == -EPROTO) {
		NL_SET_ERR_MSG(extack,
			       "path: the zone table is of a version not known here");
		return -EINVAL;
	}
	if (res[1] != -ENOENT || (res[0] != -ENOENT && res[0] != -EBADMSG)) {
		NL_SET_ERR_MSG(extack, "path: the zone table is damaged");
		return -EINVAL;
	}
	if (res[0] == -EBADMSG)
		pr_warn_ratelimited("zcblk%u: the zone table's first save never ended: zones empty\n",
				    dev->index);
	zs->table_ok = true;
	zs->table_copy = 1;		/* the first save writes copy 0 */
	if (dev->cfg.flags & ZCBLK_DEV_F_READ_ONLY)
		return 0;
	ret = zcblk_zns_save(dev);
	if (ret)
		NL_SET_ERR_MSG(extack, "path: cannot write the zone table");
	return ret;
}

/**
 * zcblk_zns_table_load() - take the zones' state from the backing store
 * @dev: a zoned disk being added, its zones empty
 * @extack: for the reason of a refusal
 *
 * The newer of the table's two copies that is whole is taken. A store
 * without a table (no magic) gets one now, the zones empty. One written
 * for another geometry, or damaged in both copies, is refused: the data
 * behind it was written for those zones.
 *
 * Context: process context.
 * Return: 0, -EINVAL, -ENOMEM, or the store's error.
 */
int zcblk_zns_table_load(struct zcblk_dev *dev,
			 struct netlink_ext_ack *extack)
{
	struct zcblk_zones *zs = dev->zones;
	u64 gen[2] = {};
	int ret, res[2], best = -1;
	unsigned int i;

	if (!zs->table_len)
		return 0;
	/* Both copies read; the first half then holds the one taken. */
	zs->table = kvzalloc(2 * zs->table_len, GFP_KERNEL);
	if (!zs->table)
		return -ENOMEM;
	ret = dev->ops->store_rw(dev, false, zs->table_pos, zs->table,
				 2 * zs->table_len);
	if (ret) {
		NL_SET_ERR_MSG(extack, "path: cannot read the zone table");
		return ret;
	}
	for (i = 0; i < 2; i++) {
		res[i] = zcblk_zt_copy_check(dev, i, &gen[i]);
		if (!res[i] && (best < 0 || gen[i] > gen[best]))
			best = i;
	}
	if (best < 0)
		return zcblk_zt_none(dev, res, extack);
	/* A save torn by a crash, most likely: the other copy is the last */
	if (res[!best] && res[!best] != -ENOENT)
		pr_warn_ratelimited("zcblk%u: zone table copy %d %s: copy %d, generation %llu, taken\n",
				    dev->index, !best,
				    res[!best] == -EPROTO ? "of an unknown version" :
				    res[!best] == -EDOM ? "of another geometry" :
				    "damaged", best, gen[best]);
	if (best)
		memcpy(zs->table, zs->table + zs->table_len, zs->table_len);
	zs->table_copy = best;
	zs->table_gen = gen[best];
	zcblk_zt_apply(zs, zs->table + sizeof(struct zcblk_zt_hdr));
	/* Zones left active (closed) by a disk made without the limit */
	if (zs->max_active && zs->nr_active > zs->max_active) {
		NL_SET_ERR_MSG(extack,
			       "zone-max-active: below the active zones of the backing file's zone table");
		return -EINVAL;
	}
	zs->table_ok = true;
	return 0;
}

/* Are the zones kept in the store (what zcblk_zns_save() writes)? */
static bool zcblk_zns_stored(struct zcblk_dev *dev)
{
	return dev->zones && dev->zones->table_ok &&
	       !(dev->cfg.flags & ZCBLK_DEV_F_READ_ONLY);
}

/**
 * zcblk_zns_fua_saves() - tell whether a FUA write saves the zone table
 * @dev: a disk
 * @pos: where the write goes, in bytes
 *
 * A write to a sequential zone moves its write pointer; one to a
 * conventional zone moves nothing the table holds.
 *
 * Context: any context.
 * Return: true if the table is kept in the store and @pos is in a
 * sequential zone.
 */
bool zcblk_zns_fua_saves(struct zcblk_dev *dev, u64 pos)
{
	return zcblk_zns_stored(dev) &&
	       zcblk_zone_idx(dev->zones, pos >> zcblk_lba_shift(dev)) >=
	       dev->zones->nr_conv;
}

/**
 * zcblk_zns_save() - write the zones' state to the backing store
 * @dev: a zoned disk
 *
 * At a flush (before the backend's own), before a FUA write, and when the
 * disk goes: what a flush or FUA made durable, the write pointers that say
 * where it is, is durable with it. Into the copy that does not hold the
 * newest table, one generation on: a crash in the middle leaves that one.
 * A disk without a store, or whose table was not read, writes nothing.
 *
 * Context: process context; may sleep.
 * Return: 0 or the store's error.
 */
int zcblk_zns_save(struct zcblk_dev *dev)
{
	struct zcblk_zones *zs = dev->zones;
	struct zcblk_zt_hdr *h;
	unsigned int noio;
	__le64 *e;
	u32 i, end;
	u8 copy;
	int ret;

	if (!zcblk_zns_stored(dev))
		return 0;
	mutex_lock(&zs->table_lock);
	h = zs->table;
	e = zs->table + sizeof(*h);
	for (i = 0; i < zs->nr_zones;) {
		end = min_t(u32, zs->nr_zones, i + ZCBLK_ZT_BATCH);
		spin_lock(&zs->lock);
		for (; i < end; i++)
			e[i] = cpu_to_le64((u64)zs->zone[i].state << 60 |
					   zs->zone[i].wp);
		spin_unlock(&zs->lock);
		cond_resched();
	}
	zcblk_zt_hdr_fill(dev, h);
	h->gen = cpu_to_le64(zs->table_gen + 1);
	h->crc = cpu_to_le32(crc32_le(crc32_le(~0, (const u8 *)h, sizeof(*h)),
				      (const u8 *)e,
				      (size_t)zs->nr_zones * 8));
	copy = !zs->table_copy;
	/*
	 * Every flush and FUA write of the disk waits for table_lock: the
	 * write and fsync must not reclaim through the disk meanwhile.
	 */
	noio = memalloc_noio_save();
	ret = dev->ops->store_rw(dev, true,
				 zs->table_pos + copy * zs->table_len,
				 zs->table, zs->table_len);
	memalloc_noio_restore(noio);
	if (!ret) {
		zs->table_copy = copy;
		zs->table_gen++;
	}
	mutex_unlock(&zs->table_lock);
	return ret;
}
