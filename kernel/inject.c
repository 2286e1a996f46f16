// SPDX-License-Identifier: GPL-2.0
/*
 * Live settings (DEV_SET) and error injection: every N-th matching
 * command, or a share of them in parts per million, fails with a chosen
 * NVMe status; on the block path that status becomes the blk_status_t the
 * nvme driver would give it, so a zcblk disk fails as an NVMe disk does.
 */
#include <linux/blk-mq.h>
#include <linux/lockdep.h>
#include <linux/nvme.h>
#include <linux/random.h>
#include <net/netlink.h>

#include "dev.h"
#include "media.h"
#include "nvme.h"

#define ZCBLK_PPM	1000000

/**
 * zcblk_nvme_to_blk_status() - the block status an NVMe status becomes
 * @status: the NVMe status
 *
 * As nvme_error_status() maps them (DNR and the More bit ignored), so that a
 * block request fails as on an NVMe disk.
 *
 * Context: any context.
 * Return: the blk_status_t.
 */
blk_status_t zcblk_nvme_to_blk_status(u16 status)
{
	switch (status & 0x7ff) {
	case NVME_SC_SUCCESS:
		return BLK_STS_OK;
	case NVME_SC_CAP_EXCEEDED:
		return BLK_STS_NOSPC;
	case NVME_SC_LBA_RANGE:
	case NVME_SC_CMD_INTERRUPTED:
	case NVME_SC_NS_NOT_READY:
		return BLK_STS_TARGET;
	case NVME_SC_BAD_ATTRIBUTES:
	case NVME_SC_INVALID_OPCODE:
	case NVME_SC_INVALID_FIELD:
	case NVME_SC_INVALID_NS:
		return BLK_STS_NOTSUPP;
	case NVME_SC_WRITE_FAULT:
	case NVME_SC_READ_ERROR:
	case NVME_SC_UNWRITTEN_BLOCK:
	case NVME_SC_ACCESS_DENIED:
	case NVME_SC_READ_ONLY:
	case NVME_SC_COMPARE_FAILED:
		return BLK_STS_MEDIUM;
	case NVME_SC_GUARD_CHECK:
	case NVME_SC_APPTAG_CHECK:
	case NVME_SC_REFTAG_CHECK:
	case NVME_SC_INVALID_PI:
		return BLK_STS_PROTECTION;
	case NVME_SC_HOST_PATH_ERROR:
		return BLK_STS_TRANSPORT;
	case NVME_SC_ZONE_TOO_MANY_ACTIVE:
		return BLK_STS_ZONE_ACTIVE_RESOURCE;
	case NVME_SC_ZONE_TOO_MANY_OPEN:
		return BLK_STS_ZONE_OPEN_RESOURCE;
	default:
		return BLK_STS_IOERR;
	}
}

/* Which injection class a request is in: 0 none, else a fail_ops value. */
static u32 zcblk_inject_class(struct request *rq)
{
	const struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);

	if (blk_rq_is_passthrough(rq)) {
		if (pdu->nc.admin)
			return 0;
		switch (pdu->nc.opcode) {
		case nvme_cmd_read:
		case nvme_cmd_compare:
			return ZCBLK_FAIL_OPS_READS;
		case nvme_cmd_write:
		case nvme_cmd_write_zeroes:
		case nvme_cmd_dsm:
			return ZCBLK_FAIL_OPS_WRITES;
		default:
			return 0;
		}
	}
	switch (req_op(rq)) {
	case REQ_OP_READ:
		return ZCBLK_FAIL_OPS_READS;
	case REQ_OP_WRITE:
	case REQ_OP_WRITE_ZEROES:
	case REQ_OP_DISCARD:
		return ZCBLK_FAIL_OPS_WRITES;
	default:
		return 0;
	}
}

/**
 * zcblk_inject() - choose whether a request fails by injection
 * @dev: the disk
 * @rq: the request about to run
 *
 * Context: any context.
 * Return: the NVMe status to fail @rq with instead of running it, or 0.
 */
u16 zcblk_inject(struct zcblk_dev *dev, struct request *rq)
{
	u32 every = READ_ONCE(dev->set.fail_every);
	u32 ppm = READ_ONCE(dev->set.fail_ppm);
	u32 ops, class;

	if ((!every && !ppm) || !zcblk_dev_live(dev))
		return 0;
	class = zcblk_inject_class(rq);
	ops = READ_ONCE(dev->set.fail_ops);
	if (!class || (ops != ZCBLK_FAIL_OPS_ALL && ops != class))
		return 0;
	if (every) {
		if ((u32)atomic_inc_return(&dev->fail_count) % every)
			return 0;
	} else if (get_random_u32() % ZCBLK_PPM >= ppm) {
		return 0;
	}
	zcblk_stat_inc(dev, injected);
	return READ_ONCE(dev->set.fail_status);
}

/**
 * zcblk_dev_set() - apply DEV_SET to a disk
 * @dev: the disk
 * @set: the new values
 * @mask: the fields of @set to copy, BIT_ULL(ZCBLK_A_DEV_*)
 * @extack: for the reason of a failure
 *
 * Only to a LIVE disk. Clearing the stall runs what it held; the bad
 * block list changes next, then a corruption, and a power cut or power on
 * happens last.
 *
 * Context: dev->ctl_lock held; may sleep (a cut writes the backend).
 * Return: 0, -ENODEV if the disk is not LIVE, or the error of
 * zcblk_media_change(), zcblk_media_corrupt() or zcblk_wc_power().
 */
int zcblk_dev_set(struct zcblk_dev *dev, const struct zcblk_settings *set,
		  u64 mask, struct netlink_ext_ack *extack)
{
	struct zcblk_settings *cur = &dev->set;
	bool unstall = false;

	lockdep_assert_held(&dev->ctl_lock);
	if (!zcblk_dev_live(dev)) {
		NL_SET_ERR_MSG(extack, "index: disk is being removed");
		return -ENODEV;
	}
#define ZCBLK_SET(attr, field)					\
	do {								\
		if (mask & BIT_ULL(ZCBLK_A_DEV_##attr))			\
			WRITE_ONCE(cur->field, set->field);		\
	} while (0)
	ZCBLK_SET(COMPLETION, completion);
	ZCBLK_SET(COMPLETION_NS, completion_ns);
	ZCBLK_SET(LATENCY_NS, latency_ns);
	ZCBLK_SET(FAIL_EVERY, fail_every);
	ZCBLK_SET(FAIL_PPM, fail_ppm);
	ZCBLK_SET(FAIL_STATUS, fail_status);
	ZCBLK_SET(FAIL_OPS, fail_ops);
#undef ZCBLK_SET
	if (mask & (BIT_ULL(ZCBLK_A_DEV_FAIL_EVERY) |
		    BIT_ULL(ZCBLK_A_DEV_FAIL_PPM)))
		atomic_set(&dev->fail_count, 0);
	if (mask & BIT_ULL(ZCBLK_A_DEV_STALL)) {
		unstall = cur->stall && !set->stall;
		WRITE_ONCE(cur->stall, set->stall);
	}
	/* Held file I/O runs on the disk's reclaim-safe workqueue. */
	if (unstall)
		queue_work(dev->wq, &dev->unstall_work);
	if (mask & BIT_ULL(ZCBLK_A_DEV_BAD_LBA)) {
		int ret = zcblk_media_change(dev, set->bad_lba,
					     set->bad_nlb ?: 1, set->bad_clear,
					     extack);

		if (ret)
			return ret;
	}
	if (mask & BIT_ULL(ZCBLK_A_DEV_CORRUPT_LBA)) {
		int ret = zcblk_media_corrupt(dev, set->corrupt_lba,
					      set->corrupt_nlb ?: 1,
					      set->corrupt ?: ZCBLK_CORRUPT_DATA,
					      extack);

		if (ret)
			return ret;
	}
	if (mask & BIT_ULL(ZCBLK_A_DEV_POWER))
		return zcblk_wc_power(dev, set->power == ZCBLK_POWER_STATE_ON,
				      set->cut_mode ?: ZCBLK_CUT_MODE_DROP,
				      set->cut_seed, extack);
	return 0;
}
