/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Zoned disks: one zone state, shared by the char device (the NVMe Zoned
 * Namespace command set) and the zoned block device. Documentation/zoned.rst.
 */
#ifndef ZCBLK_ZNS_H
#define ZCBLK_ZNS_H

#include <linux/blkdev.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct gendisk;
struct netlink_ext_ack;
struct request;
struct zcblk_dev;
struct zcblk_limits;
struct zcblk_pdu;
struct nvme_id_ns_zns;

/* Zone states, as NVMe's Zone State values; NOT_WP: conventional */
enum zcblk_zs {
	ZCBLK_ZS_NOT_WP		= 0x0,
	ZCBLK_ZS_EMPTY		= 0x1,
	ZCBLK_ZS_IMP_OPEN	= 0x2,
	ZCBLK_ZS_EXP_OPEN	= 0x3,
	ZCBLK_ZS_CLOSED		= 0x4,
	ZCBLK_ZS_READ_ONLY	= 0xd,
	ZCBLK_ZS_FULL		= 0xe,
	ZCBLK_ZS_OFFLINE	= 0xf,
};

struct zcblk_zone {
	u64 wp;			/* LBA; the zone's start when empty */
	u8 state;		/* enum zcblk_zs */
	bool open_all;		/* closed when an Open of all zones began */
	bool unzeroed;		/* a Reset's zeroing failed: data may stay */
	struct list_head lru;	/* on imp_open while implicitly opened */
};

/*
 * A zoned disk's zones, from DEV_ADD to the disk's end (dev->zones). LBAs
 * are the disk's blocks; the block device's sectors are converted.
 */
struct zcblk_zones {
	/* Protects every zone, nr_open, nr_active, nr_imp_open, imp_open. */
	spinlock_t lock;
	u32 nr_zones;
	u32 nr_conv;		/* conventional zones, the first ones */
	u64 zone_lbas;		/* zone size */
	u64 cap_lbas;		/* zone capacity, <= zone_lbas */
	u32 max_open;		/* 0: no limit */
	u32 max_active;		/* 0: no limit */
	u32 nr_open;		/* implicitly and explicitly opened */
	u32 nr_active;		/* opened and closed */
	u32 nr_imp_open;	/* on imp_open */
	struct list_head imp_open;	/* implicitly opened, oldest first */
	/*
	 * The zone table kept at the end of a backing store (file backend),
	 * two copies: where the first is and how long each is; 0 without
	 * one. Under table_lock: the buffer (the table's image), the copy
	 * that holds the newest table and its generation.
	 */
	u64 table_pos;
	size_t table_len;
	struct mutex table_lock;
	u64 table_gen;
	u8 table_copy;
	/*
	 * One Open of all zones at a time: the marks (zone.open_all) are
	 * its own, from its start to its end.
	 */
	struct mutex open_all_lock;
	void *table;
	bool table_ok;		/* read (or new): saving it loses nothing */
	struct zcblk_zone zone[];
};

/* Zone management actions, NVMe's ZSA values; the block layer's too. */
enum zcblk_zone_action {
	ZCBLK_ZONE_CLOSE	= 0x1,
	ZCBLK_ZONE_FINISH	= 0x2,
	ZCBLK_ZONE_OPEN		= 0x3,
	ZCBLK_ZONE_RESET	= 0x4,
	ZCBLK_ZONE_OFFLINE	= 0x5,
};

/* A zone's state, as Report Zones and the block layer give it */
struct zcblk_zone_desc {
	u64 zslba;
	u64 wp;
	u8 state;
	bool conv;
};

static inline bool zcblk_zs_open(u8 state)
{
	return state == ZCBLK_ZS_IMP_OPEN || state == ZCBLK_ZS_EXP_OPEN;
}

static inline bool zcblk_zs_active(u8 state)
{
	return zcblk_zs_open(state) || state == ZCBLK_ZS_CLOSED;
}

/**
 * zcblk_zone_set() - change a zone's state
 * @zs: the disk's zones, locked
 * @z: one of them
 * @state: its new state
 *
 * Every state change goes through here, for the resource counts. Inline:
 * a zone reset or write calls it in queue_rq.
 */
static inline void zcblk_zone_set(struct zcblk_zones *zs, struct zcblk_zone *z,
				  u8 state)
{
	lockdep_assert_held(&zs->lock);
	if (z->state == ZCBLK_ZS_IMP_OPEN) {
		list_del(&z->lru);
		zs->nr_imp_open--;
	}
	zs->nr_open -= zcblk_zs_open(z->state);
	zs->nr_active -= zcblk_zs_active(z->state);
	WRITE_ONCE(z->state, state);
	zs->nr_open += zcblk_zs_open(state);
	zs->nr_active += zcblk_zs_active(state);
	if (state == ZCBLK_ZS_IMP_OPEN) {
		list_add_tail(&z->lru, &zs->imp_open);
		zs->nr_imp_open++;
	}
}

static inline u64 zcblk_zone_start(struct zcblk_zones *zs, u32 idx)
{
	return (u64)idx * zs->zone_lbas;
}

/* The zone of an LBA inside the namespace. */
static inline u32 zcblk_zone_idx(struct zcblk_zones *zs, u64 lba)
{
	return div64_u64(lba, zs->zone_lbas);
}

int zcblk_zns_init(struct zcblk_dev *dev, struct zcblk_limits *lim,
		   struct netlink_ext_ack *extack);
void zcblk_zns_free(struct zcblk_dev *dev);

/* zns_table.c */
int zcblk_zns_table_place(struct zcblk_dev *dev, u64 zsize, u64 *pos,
			  size_t *len, struct netlink_ext_ack *extack);
int zcblk_zns_table_load(struct zcblk_dev *dev,
			 struct netlink_ext_ack *extack);
bool zcblk_zns_fua_saves(struct zcblk_dev *dev, u64 pos);
int zcblk_zns_save(struct zcblk_dev *dev);
int zcblk_zns_write(struct zcblk_dev *dev, struct zcblk_pdu *pdu, u64 *slba,
		    u64 nlb, bool append);
int zcblk_zns_read(struct zcblk_dev *dev, u64 slba, u64 nlb);
int zcblk_zns_fail_zone(struct zcblk_dev *dev, u64 lba, u8 state);
int zcblk_zns_mgmt(struct zcblk_dev *dev, enum zcblk_zone_action action,
		   u64 slba, bool all, bool nowait);
void zcblk_zns_get(struct zcblk_dev *dev, u32 idx,
		   struct zcblk_zone_desc *descs, unsigned int nr);
int zcblk_zns_report_zones(struct gendisk *disk, sector_t sector,
			   unsigned int nr_zones, report_zones_cb cb,
			   void *data);

/* zns_nvme.c */
int zcblk_zns_cmd(struct zcblk_dev *dev, struct request *rq,
		  struct zcblk_pdu *cmd);
void zcblk_zns_id_ns(struct zcblk_dev *dev, struct nvme_id_ns_zns *id);

#endif /* ZCBLK_ZNS_H */
