// SPDX-License-Identifier: GPL-2.0
/*
 * The Zoned Namespace command set on the char device (CSI 2): Zone
 * Management Send and Receive, and the ZNS Identify data; zone-checked
 * writes, reads and Zone Append are nvme.c's, through zns.c.
 */
#include <linux/nvme.h>

#include "dev.h"
#include "nvme.h"
#include "zns.h"

/* Zone Management Receive's cdw13 */
#define ZCBLK_ZRA(cdw13)	((cdw13) & 0xff)
#define ZCBLK_ZRASF(cdw13)	(((cdw13) >> 8) & 0xff)
#define ZCBLK_ZR_PARTIAL	BIT(16)
#define ZCBLK_ZRASF_MAX		NVME_ZRASF_ZONE_STATE_OFFLINE
/* Zone Management Send's cdw13 */
#define ZCBLK_ZSA(cdw13)	((cdw13) & 0xff)
#define ZCBLK_ZS_ALL		BIT(8)
/* Descriptors a report gathers under the lock at a time */
#define ZCBLK_REPORT_BATCH	8

static bool zcblk_zs_has_wp(u8 state)
{
	return state != ZCBLK_ZS_FULL && state != ZCBLK_ZS_READ_ONLY &&
	       state != ZCBLK_ZS_OFFLINE;
}

/* Does a zone state match a report's filter (ZRASF)? */
static bool zcblk_zrasf_match(u8 zrasf, u8 state)
{
	static const u8 want[] = {
		[NVME_ZRASF_ZONE_STATE_EMPTY]	 = ZCBLK_ZS_EMPTY,
		[NVME_ZRASF_ZONE_STATE_IMP_OPEN] = ZCBLK_ZS_IMP_OPEN,
		[NVME_ZRASF_ZONE_STATE_EXP_OPEN] = ZCBLK_ZS_EXP_OPEN,
		[NVME_ZRASF_ZONE_STATE_CLOSED]	 = ZCBLK_ZS_CLOSED,
		[NVME_ZRASF_ZONE_STATE_FULL]	 = ZCBLK_ZS_FULL,
		[NVME_ZRASF_ZONE_STATE_READONLY] = ZCBLK_ZS_READ_ONLY,
		[NVME_ZRASF_ZONE_STATE_OFFLINE]	 = ZCBLK_ZS_OFFLINE,
	};

	return zrasf == NVME_ZRASF_ZONE_REPORT_ALL || want[zrasf] == state;
}

/*
 * Report Zones: the zones from the one holding SLBA that match the filter,
 * as many as the buffer holds, after a header whose count is of all the
 * matching ones, or with Partial Report of those returned. What follows the
 * last descriptor is zeros. Conventional zones are reported with zone
 * type 1h, which ZNS does not define (zoned.rst).
 */
static int zcblk_zns_report(struct zcblk_dev *dev, struct request *rq,
			    const struct zcblk_nvme_cmd *nc)
{
	struct zcblk_zone_desc d[ZCBLK_REPORT_BATCH];
	struct zcblk_zones *zs = dev->zones;
	u64 slba = (u64)nc->cdw11 << 32 | nc->cdw10;
	u64 len = ((u64)nc->cdw12 + 1) * 4;
	u64 room = (len - sizeof(struct nvme_zone_report)) /
		   sizeof(struct nvme_zone_descriptor);
	u8 zrasf = ZCBLK_ZRASF(nc->cdw13);
	bool partial = nc->cdw13 & ZCBLK_ZR_PARTIAL;
	struct nvme_zone_report hdr = {};
	u64 matched = 0, put = 0;
	unsigned int i, n;
	u32 idx;

	if (nc->cdw14 || nc->cdw15 || (nc->cdw13 >> 17))
		return ZCBLK_STATUS_FIELD;
	if (slba >= zcblk_nsze(dev))
		return ZCBLK_STATUS_LBA_RANGE;
	/* No zone descriptor extensions (ZDES 0): no extended report. */
	if (ZCBLK_ZRA(nc->cdw13) != NVME_ZRA_ZONE_REPORT ||
	    zrasf > ZCBLK_ZRASF_MAX || len < sizeof(hdr))
		return ZCBLK_STATUS_FIELD;

	zcblk_rq_fill(rq, NULL, 0);
	for (idx = zcblk_zone_idx(zs, slba); idx < zs->nr_zones; idx += n) {
		n = min_t(u32, zs->nr_zones - idx, ZCBLK_REPORT_BATCH);
		zcblk_zns_get(dev, idx, d, n);
		for (i = 0; i < n; i++) {
			struct nvme_zone_descriptor zd = {};

			if (!zcblk_zrasf_match(zrasf, d[i].state))
				continue;
			matched++;
			if (put == room)
				continue;
			zd.zt = d[i].conv ? 0x1 : NVME_ZONE_TYPE_SEQWRITE_REQ;
			zd.zs = d[i].state << 4;
			zd.zcap = cpu_to_le64(d[i].conv ? zs->zone_lbas :
					      zs->cap_lbas);
			zd.zslba = cpu_to_le64(d[i].zslba);
			/* Not valid there: all ones, as QEMU reports it */
			zd.wp = cpu_to_le64(zcblk_zs_has_wp(d[i].state) ?
					    d[i].wp : ~0ULL);
			zcblk_rq_copy_to(rq, sizeof(hdr) + put * sizeof(zd),
					 &zd, sizeof(zd));
			put++;
		}
		if (partial && put == room)
			break;
		if (!zcblk_rq_nowait(rq))
			cond_resched();
	}
	hdr.nr_zones = cpu_to_le64(partial ? put : matched);
	zcblk_rq_copy_to(rq, 0, &hdr, sizeof(hdr));
	return 0;
}

static int zcblk_zns_send(struct zcblk_dev *dev, struct request *rq,
			  const struct zcblk_nvme_cmd *nc)
{
	u64 slba = (u64)nc->cdw11 << 32 | nc->cdw10;
	bool all = nc->cdw13 & ZCBLK_ZS_ALL;
	u8 zsa = ZCBLK_ZSA(nc->cdw13);

	/* ZSF bits other than Select All (ZRWA) and reserved ones */
	if (nc->cdw12 || nc->cdw14 || nc->cdw15 || (nc->cdw13 >> 9))
		return ZCBLK_STATUS_FIELD;
	if (!all && slba >= zcblk_nsze(dev))
		return ZCBLK_STATUS_LBA_RANGE;
	if (!all && zcblk_zone_start(dev->zones,
				     zcblk_zone_idx(dev->zones, slba)) != slba)
		return ZCBLK_STATUS_FIELD;
	switch (zsa) {
	case ZCBLK_ZONE_CLOSE:
	case ZCBLK_ZONE_FINISH:
	case ZCBLK_ZONE_OPEN:
	case ZCBLK_ZONE_RESET:
	case ZCBLK_ZONE_OFFLINE:
		return zcblk_zns_mgmt(dev, zsa, slba, all,
				      zcblk_rq_nowait(rq));
	default:
		/* Set Zone Descriptor Extension too: ZDES is 0. */
		return ZCBLK_STATUS_FIELD;
	}
}

/**
 * zcblk_zns_cmd() - run a Zone Management Send or Receive command
 * @dev: the disk
 * @rq: the command's request
 * @cmd: its pdu
 *
 * Context: as zcblk_nvme_execute().
 * Return: the NVMe status, or ZCBLK_STATUS_DEFER.
 */
int zcblk_zns_cmd(struct zcblk_dev *dev, struct request *rq,
		  struct zcblk_pdu *cmd)
{
	const struct zcblk_nvme_cmd *nc = &cmd->nc;

	if (!zcblk_zoned(dev))
		return ZCBLK_STATUS_OPCODE;
	if (nc->cdw2 || nc->cdw3)
		return ZCBLK_STATUS_FIELD;
	if (nc->opcode == nvme_cmd_zone_mgmt_recv)
		return zcblk_zns_report(dev, rq, nc);
	return zcblk_zns_send(dev, rq, nc);
}

/**
 * zcblk_zns_id_ns() - the Zoned Namespace Command Set Identify data
 * @dev: a zoned disk
 * @id: zeroed, filled in
 */
void zcblk_zns_id_ns(struct zcblk_dev *dev, struct nvme_id_ns_zns *id)
{
	struct zcblk_zones *zs = dev->zones;
	/* 0's based, all ones without a limit; MOR is MAR when only it is */
	u32 max_open = zs->max_open ?: zs->max_active;

	id->mar = cpu_to_le32(zs->max_active - 1);
	id->mor = cpu_to_le32(max_open - 1);
	id->lbafe[0].zsze = cpu_to_le64(zs->zone_lbas);
}
