// SPDX-License-Identifier: GPL-2.0
/*
 * The admin commands of the passthrough char device, as a one-namespace
 * controller answers them: Identify, Get Features and Get Log Page, built
 * from the disk's configuration.
 */
#include <linux/nvme.h>
#include <linux/slab.h>
#include <linux/utsname.h>

#include "backend.h"
#include "compat.h"
#include "copy.h"
#include "dev.h"
#include "fdp.h"
#include "format.h"
#include "meta.h"
#include "nvme.h"
#include "zns.h"

#define ZCBLK_ERROR_LOG_LEN	64	/* ELPE 0: one entry */
/* Identify I/O Command Set data structure; not named in <linux/nvme.h> */
#define ZCBLK_ID_CNS_IOCS	0x1c
/* ONCS bits 7 and 8, not in the kernels' nvme.h */
#define ZCBLK_ONCS_VERIFY	BIT(7)
#define ZCBLK_ONCS_COPY		BIT(8)
/*
 * Where Identify places what the kernels' structures leave reserved:
 * OCFS in the controller's, MSSRL, MCL and MSRC in the namespace's.
 */
#define ZCBLK_ID_CTRL_OCFS	534
#define ZCBLK_ID_CTRL_ENDGIDMAX	340
/* CTRATT: endurance groups, extended LBA formats, Flexible Data Placement */
#define ZCBLK_CTRATT_ENDGRPS	BIT(4)
#define ZCBLK_CTRATT_ELBAS	BIT(15)
#define ZCBLK_CTRATT_FDPS	BIT(19)
#define ZCBLK_ID_NS_MSSRL	74
#define ZCBLK_ID_NS_MCL		76
#define ZCBLK_ID_NS_MSRC	80
/* Get Features: I/O Command Set Profile; not named in 6.1 */
/* Identify Controller: FRMW (one slot, read-only), LPA (bits 0 to 2) */
#define ZCBLK_FRMW		(1 << 1 | BIT(0))
#define ZCBLK_LPA		(BIT(0) | BIT(1) | BIT(2))
#define ZCBLK_FEAT_IOCS_PROFILE	0x19
/* Changed Zone List (ZNS): its id, not named in 6.1, and its size */
#define ZCBLK_LOG_ZONE_CHANGED	0xbf
#define ZCBLK_LOG_ZONE_CHANGED_LEN	4096
/* OACS: Format NVM; Commands Supported and Effects: one per namespace */
#define ZCBLK_OACS_FORMAT	BIT(1)
#define ZCBLK_EFFECTS_CSE_NS	BIT(16)
/* Get Log Page's CSI, cdw14 bits 31:24 */
#define ZCBLK_LOG_CSI_MASK	GENMASK(31, 24)

/* Identify data: built at DEV_ADD, rebuilt by Format NVM (format.c). */
struct zcblk_nvme_ident {
	struct nvme_id_ctrl ctrl;
	struct nvme_id_ns ns;
	struct nvme_id_ns_zns zns;		/* zoned disks */
	struct nvme_id_ns_nvm nvm;		/* the formats' guards */
	struct nvme_effects_log effects[2];	/* CSI 0; CSI 2 if zoned */
};

/*
 * Commands Supported and Effects: what this controller runs, and which
 * change the namespace's content (LBCC).
 */
static void zcblk_nvme_effects(struct zcblk_dev *dev,
			       struct zcblk_nvme_ident *id)
{
	static const u8 admin[] = {
		nvme_admin_get_log_page, nvme_admin_identify,
		nvme_admin_get_features, nvme_admin_set_features,
	};
	static const u8 io_read[] = {
		nvme_cmd_read, nvme_cmd_compare, nvme_cmd_verify,
		nvme_cmd_zone_mgmt_recv,
	};
	static const u8 io_write[] = {
		nvme_cmd_flush, nvme_cmd_write, nvme_cmd_write_uncor,
		nvme_cmd_write_zeroes, nvme_cmd_dsm, nvme_cmd_zone_mgmt_send,
		nvme_cmd_zone_append, ZCBLK_CMD_COPY,
	};
	const __le32 csupp = cpu_to_le32(NVME_CMD_EFFECTS_CSUPP);
	const __le32 lbcc = cpu_to_le32(NVME_CMD_EFFECTS_CSUPP |
					NVME_CMD_EFFECTS_LBCC);
	unsigned int i, n = zcblk_zoned(dev) ? 2 : 1;
	struct nvme_effects_log *e;

	for (e = id->effects; e < id->effects + n; e++) {
		for (i = 0; i < ARRAY_SIZE(admin); i++)
			e->acs[admin[i]] = csupp;
		for (i = 0; i < ARRAY_SIZE(io_read); i++)
			e->iocs[io_read[i]] = csupp;
		for (i = 0; i < ARRAY_SIZE(io_write); i++)
			e->iocs[io_write[i]] = lbcc;
		if (!dev->ops->compare)
			e->iocs[nvme_cmd_compare] = 0;
		if (zcblk_zoned(dev)) {
			e->iocs[nvme_cmd_write_uncor] = 0;
			e->iocs[ZCBLK_CMD_COPY] = 0;
		}
		if (zcblk_fdp(dev)) {
			e->iocs[ZCBLK_CMD_IO_MGMT_RECV] = csupp;
			e->iocs[ZCBLK_CMD_IO_MGMT_SEND] = csupp;
		}
		/* Changes the format and capacity; alone on the namespace */
		if (zcblk_format_supported(dev))
			e->acs[nvme_admin_format_nvm] =
				cpu_to_le32(NVME_CMD_EFFECTS_CSUPP |
					    NVME_CMD_EFFECTS_LBCC |
					    NVME_CMD_EFFECTS_NCC |
					    NVME_CMD_EFFECTS_NIC |
					    ZCBLK_EFFECTS_CSE_NS);
	}
	/* The zone commands belong to CSI 2 only. */
	e = &id->effects[0];
	e->iocs[nvme_cmd_zone_mgmt_recv] = 0;
	e->iocs[nvme_cmd_zone_mgmt_send] = 0;
	e->iocs[nvme_cmd_zone_append] = 0;
}

static void zcblk_strpad(char *dst, size_t size, const char *src)
{
	memset(dst, ' ', size);
	memcpy(dst, src, min(strlen(src), size));
}

/* Fills zeroed Identify data from the disk's configuration. */
static void zcblk_nvme_ident_fill(struct zcblk_dev *dev,
				  struct zcblk_nvme_ident *id)
{
	struct nvme_id_ctrl *c = &id->ctrl;
	struct nvme_id_ns *ns;
	char sn[21];

	snprintf(sn, sizeof(sn), "%10phN", &dev->uuid);
	zcblk_strpad(c->sn, sizeof(c->sn), sn);
	zcblk_strpad(c->mn, sizeof(c->mn), "zcblk virtual disk");
	zcblk_strpad(c->fr, sizeof(c->fr), init_utsname()->release);
	c->mdts = ZCBLK_MDTS;
	c->cntlid = cpu_to_le16(1);
	c->ver = cpu_to_le32(0x10400);		/* NVMe 1.4 */
	c->acl = 3;
	c->aerl = 3;
	/* One firmware slot, read-only; its log page (03h) */
	c->frmw = ZCBLK_FRMW;
	/* SMART per namespace, the effects log, Get Log Page's offsets */
	c->lpa = ZCBLK_LPA;
	c->sqes = 0x66;
	c->cqes = 0x44;
	c->maxcmd = cpu_to_le16(dev->cfg.queue_depth);
	c->nn = cpu_to_le32(1);
	/* ELBAF of CNS 05h (CSI 0) tell each LBA format's guard */
	c->ctratt = cpu_to_le32(ZCBLK_CTRATT_ELBAS);
	if (zcblk_format_supported(dev))
		c->oacs = cpu_to_le16(ZCBLK_OACS_FORMAT);
	c->oncs = cpu_to_le16(NVME_CTRL_ONCS_DSM | NVME_CTRL_ONCS_WRITE_ZEROES |
			      (dev->ops->compare ? NVME_CTRL_ONCS_COMPARE : 0) |
			      ZCBLK_ONCS_VERIFY |
			      (zcblk_zoned(dev) ? 0 :
			       NVME_CTRL_ONCS_WRITE_UNCORRECTABLE |
			       ZCBLK_ONCS_COPY));
	/*
	 * The file backend's data may sit in the backing cache until flush;
	 * a write cache (wcache.c) is volatile by design.
	 */
	c->vwc = dev->ops == &zcblk_file_backend || dev->wc.size;
	snprintf(c->subnqn, sizeof(c->subnqn),
		 "nqn.2014-08.org.nvmexpress:uuid:%pUb", &dev->uuid);

	ns = &id->ns;
	ns->nsze = cpu_to_le64(zcblk_nsze(dev));
	ns->ncap = ns->nsze;
	ns->nuse = ns->nsze;
	zcblk_meta_id_ns(dev, ns, &id->nvm);
	if (dev->cfg.flags & ZCBLK_DEV_F_READ_ONLY)
		ns->nsattr = 1;			/* write protected */
	/*
	 * Deallocated blocks read as zeros, Write Zeroes may deallocate;
	 * their PI's guard is the CRC of those zeros (mem.c).
	 */
	if (dev->ops->zeroes_after_discard)
		ns->dlfeat = 0x1 | BIT(3) | (dev->cfg.pi_type ? BIT(4) : 0);
	memcpy(ns->nguid, &dev->uuid, sizeof(ns->nguid));
	memcpy(ns->eui64, &dev->uuid.b[8], sizeof(ns->eui64));
	if (zcblk_zoned(dev)) {
		zcblk_zns_id_ns(dev, &id->zns);
	} else {
		/* Copy: source range format 0 and its limits */
		put_unaligned_le16(1, (u8 *)c + ZCBLK_ID_CTRL_OCFS);
		put_unaligned_le16(ZCBLK_COPY_MSSRL, (u8 *)ns +
				   ZCBLK_ID_NS_MSSRL);
		put_unaligned_le32(ZCBLK_COPY_MCL, (u8 *)ns + ZCBLK_ID_NS_MCL);
		*((u8 *)ns + ZCBLK_ID_NS_MSRC) = ZCBLK_COPY_MSRC - 1;
	}
	if (zcblk_fdp(dev)) {
		/* One endurance group, in FDP mode, the namespace's */
		c->ctratt |= cpu_to_le32(ZCBLK_CTRATT_ENDGRPS |
					 ZCBLK_CTRATT_FDPS);
		put_unaligned_le16(ZCBLK_ENDGID, (u8 *)c +
				   ZCBLK_ID_CTRL_ENDGIDMAX);
		ns->endgid = cpu_to_le16(ZCBLK_ENDGID);
	}
	zcblk_nvme_effects(dev, id);
}

/**
 * zcblk_nvme_ident_init() - build a disk's Identify data
 * @dev: the disk being added, its backend open
 *
 * Built once, after the backend settled the size and block size; Format
 * NVM rebuilds it (zcblk_nvme_ident_refill()).
 *
 * Context: process context; may sleep.
 * Return: 0, or -ENOMEM.
 */
int zcblk_nvme_ident_init(struct zcblk_dev *dev)
{
	struct zcblk_nvme_ident *id;

	id = kzalloc(sizeof(*id), GFP_KERNEL);
	if (!id)
		return -ENOMEM;
	zcblk_nvme_ident_fill(dev, id);
	dev->nvme_ident = id;
	return 0;
}

/**
 * zcblk_nvme_ident_refill() - rebuild a disk's Identify data in place
 * @dev: the disk, just formatted, no command in flight (format.c)
 */
void zcblk_nvme_ident_refill(struct zcblk_dev *dev)
{
	memset(dev->nvme_ident, 0, sizeof(*dev->nvme_ident));
	zcblk_nvme_ident_fill(dev, dev->nvme_ident);
}

/**
 * zcblk_nvme_ident_free() - free a disk's Identify data
 * @dev: the disk
 */
void zcblk_nvme_ident_free(struct zcblk_dev *dev)
{
	kfree(dev->nvme_ident);
	dev->nvme_ident = NULL;
}

static int zcblk_nvme_ns_descs(struct zcblk_dev *dev, struct request *rq)
{
	u8 buf[3 * sizeof(struct nvme_ns_id_desc) + NVME_NIDT_EUI64_LEN +
	       NVME_NIDT_NGUID_LEN + NVME_NIDT_CSI_LEN] = {};
	struct nvme_ns_id_desc *d;
	u8 *p = buf;

	d = (void *)p;
	d->nidt = NVME_NIDT_EUI64;
	d->nidl = NVME_NIDT_EUI64_LEN;
	memcpy(d + 1, &dev->uuid.b[8], NVME_NIDT_EUI64_LEN);
	p += sizeof(*d) + NVME_NIDT_EUI64_LEN;
	d = (void *)p;
	d->nidt = NVME_NIDT_NGUID;
	d->nidl = NVME_NIDT_NGUID_LEN;
	memcpy(d + 1, &dev->uuid, NVME_NIDT_NGUID_LEN);
	p += sizeof(*d) + NVME_NIDT_NGUID_LEN;
	d = (void *)p;
	d->nidt = NVME_NIDT_CSI;
	d->nidl = NVME_NIDT_CSI_LEN;
	*(u8 *)(d + 1) = zcblk_zoned(dev) ? NVME_CSI_ZNS : NVME_CSI_NVM;
	zcblk_rq_fill(rq, buf, sizeof(buf));
	return 0;
}

/* Command set specific Identify data (CNS 05h, 06h) for @csi. */
static int zcblk_nvme_identify_cs(struct zcblk_dev *dev, struct request *rq,
				  u8 cns, u8 csi)
{
	if (csi == NVME_CSI_NVM) {
		/* The controller's (CNS 06h): every field zero is valid. */
		if (cns == NVME_ID_CNS_CS_CTRL)
			zcblk_rq_fill(rq, NULL, 0);
		else
			zcblk_rq_fill(rq, &dev->nvme_ident->nvm,
				      sizeof(dev->nvme_ident->nvm));
		return 0;
	}
	if (csi != NVME_CSI_ZNS || !zcblk_zoned(dev))
		return ZCBLK_STATUS_FIELD;
	if (cns == NVME_ID_CNS_CS_CTRL) {
		/* ZASL 0: a Zone Append may move up to MDTS. */
		zcblk_rq_fill(rq, NULL, 0);
		return 0;
	}
	zcblk_rq_fill(rq, &dev->nvme_ident->zns,
		      sizeof(dev->nvme_ident->zns));
	return 0;
}

static int zcblk_nvme_identify(struct zcblk_dev *dev, struct request *rq,
			       const struct zcblk_nvme_cmd *nc)
{
	struct zcblk_nvme_ident *id = dev->nvme_ident;
	u8 cns = nc->cdw10 & 0xff;
	u8 csi = nc->cdw11 >> 24;
	__le32 list = cpu_to_le32(ZCBLK_NSID);
	/* I/O Command Set vector 0: NVM, and ZNS on a zoned disk */
	__le64 iocs = cpu_to_le64(BIT_ULL(NVME_CSI_NVM) |
				  (zcblk_zoned(dev) ? BIT_ULL(NVME_CSI_ZNS) : 0));

	/* CNTID, CNSSID, UUID index: none is supported; CSI where it is. */
	if ((nc->cdw10 & ~0xffU) || (nc->cdw11 & 0xffffff) || nc->cdw12 ||
	    nc->cdw13 || nc->cdw14 || nc->cdw15)
		return ZCBLK_STATUS_FIELD;
	if (csi && cns != NVME_ID_CNS_CS_NS && cns != NVME_ID_CNS_CS_CTRL)
		return ZCBLK_STATUS_FIELD;

	switch (cns) {
	case NVME_ID_CNS_NS:
		if (nc->nsid != ZCBLK_NSID && nc->nsid != ZCBLK_NSID_ALL)
			return ZCBLK_STATUS_NS;
		zcblk_rq_fill(rq, &id->ns, sizeof(id->ns));
		return 0;
	case NVME_ID_CNS_CTRL:
		zcblk_rq_fill(rq, &id->ctrl, sizeof(id->ctrl));
		return 0;
	case NVME_ID_CNS_NS_ACTIVE_LIST:
		if (nc->nsid >= 0xfffffffe)
			return ZCBLK_STATUS_NS;
		/* Active namespaces with an ID greater than nsid. */
		zcblk_rq_fill(rq, &list, nc->nsid < ZCBLK_NSID ?
			      sizeof(list) : 0);
		return 0;
	case NVME_ID_CNS_NS_DESC_LIST:
		if (nc->nsid != ZCBLK_NSID)
			return ZCBLK_STATUS_NS;
		return zcblk_nvme_ns_descs(dev, rq);
	case NVME_ID_CNS_CS_NS:
		if (nc->nsid != ZCBLK_NSID)
			return ZCBLK_STATUS_NS;
		return zcblk_nvme_identify_cs(dev, rq, cns, csi);
	case NVME_ID_CNS_CS_CTRL:
		return zcblk_nvme_identify_cs(dev, rq, cns, csi);
	case ZCBLK_ID_CNS_IOCS:
		zcblk_rq_fill(rq, &iocs, sizeof(iocs));
		return 0;
	default:
		return ZCBLK_STATUS_FIELD;
	}
}

static bool zcblk_nvme_nsid_ok(u32 nsid)
{
	return nsid == 0 || nsid == ZCBLK_NSID || nsid == ZCBLK_NSID_ALL;
}

static int zcblk_nvme_get_features(struct zcblk_dev *dev, struct request *rq,
				   struct zcblk_pdu *cmd)
{
	const struct zcblk_nvme_cmd *nc = &cmd->nc;
	u32 nr_queues = dev->cfg.nr_queues + dev->cfg.poll_queues - 1;
	u8 sel = (nc->cdw10 >> 8) & 0x7;

	if (!zcblk_nvme_nsid_ok(nc->nsid))
		return ZCBLK_STATUS_NS;
	/* CDW14's UUID index too: no UUID list is reported */
	if ((nc->cdw10 & ~0x7ffU) || sel > 3 || nc->cdw12 || nc->cdw13 ||
	    nc->cdw14 || nc->cdw15)
		return ZCBLK_STATUS_FIELD;
	switch (nc->cdw10 & 0xff) {
	case ZCBLK_FEAT_FDP:
	case ZCBLK_FEAT_FDP_EVENTS:
		return zcblk_fdp_get_features(dev, rq, cmd, sel);
	case NVME_FEAT_VOLATILE_WC:
	case NVME_FEAT_NUM_QUEUES:
	case ZCBLK_FEAT_IOCS_PROFILE:
		if (nc->cdw11)		/* reserved in their Get Features */
			return ZCBLK_STATUS_FIELD;
		break;
	default:
		return ZCBLK_STATUS_FIELD;
	}
	switch (nc->cdw10 & 0xff) {
	case NVME_FEAT_VOLATILE_WC:
		/*
		 * WCE: the default (saved too: not saveable) what the disk
		 * was made with; a write cache's is changeable.
		 */
		if (sel == ZCBLK_SEL_CAPS)
			cmd->result = dev->wc.size ? ZCBLK_FEAT_CHANGEABLE : 0;
		else if (sel == ZCBLK_SEL_CURRENT && dev->wc.size)
			cmd->result = READ_ONCE(dev->wc.enabled);
		else
			cmd->result = dev->nvme_ident->ctrl.vwc;
		return 0;
	case NVME_FEAT_NUM_QUEUES:
		cmd->result = nr_queues | nr_queues << 16;
		break;
	default:
		cmd->result = 0;	/* I/O command set profile: vector 0 */
		break;
	}
	if (sel == ZCBLK_SEL_CAPS)
		cmd->result = 0;	/* not saveable, not changeable */
	return 0;
}

static void zcblk_put_le128(u8 *dst, u64 val)
{
	put_unaligned_le64(val, dst);
	put_unaligned_le64(0, dst + 8);
}

static int zcblk_nvme_get_log(struct zcblk_dev *dev, struct request *rq,
			      const struct zcblk_nvme_cmd *nc)
{
	u64 off = (u64)nc->cdw13 << 32 | nc->cdw12;
	u8 lid = nc->cdw10 & 0xff, csi = nc->cdw14 >> 24;
	union {
		struct nvme_smart_log smart;
		struct nvme_fw_slot_info_log fw;
	} u = {};
	struct nvme_smart_log *smart = &u.smart;
	struct zcblk_io_stats st;
	const void *log;
	size_t size;

	if (!zcblk_nvme_nsid_ok(nc->nsid))
		return ZCBLK_STATUS_NS;
	if (nc->cdw15)
		return ZCBLK_STATUS_FIELD;
	/* The endurance group's: LSI its identifier, LSP for FDP Events */
	if (lid == ZCBLK_LOG_ENDGRP ||
	    (lid >= ZCBLK_LOG_FDP_CONFIGS && lid <= ZCBLK_LOG_FDP_EVENTS)) {
		if ((nc->cdw11 >> 16) != ZCBLK_ENDGID || nc->cdw14 || (off & 3))
			return ZCBLK_STATUS_FIELD;
		return zcblk_fdp_get_log(dev, rq, lid, (nc->cdw10 >> 8) & 0x7f,
					 off);
	}
	/* LSP, LSI, OT, UUID index: none is supported; CSI for effects */
	if ((nc->cdw10 & 0x7f00) || (nc->cdw11 >> 16) ||
	    (nc->cdw14 & ~ZCBLK_LOG_CSI_MASK) || (off & 3))
		return ZCBLK_STATUS_FIELD;
	if (csi && (csi != NVME_CSI_ZNS || !zcblk_zoned(dev) ||
		    (lid != NVME_LOG_CMD_EFFECTS && lid != ZCBLK_LOG_ZONE_CHANGED)))
		return ZCBLK_STATUS_FIELD;

	switch (lid) {
	case NVME_LOG_CMD_EFFECTS:
		log = &dev->nvme_ident->effects[csi == NVME_CSI_ZNS];
		size = sizeof(struct nvme_effects_log);
		break;
	case ZCBLK_LOG_ZONE_CHANGED:
		/* Zones change only on the host's commands: none listed. */
		if (csi != NVME_CSI_ZNS)
			return ZCBLK_STATUS_FIELD;
		log = NULL;
		size = ZCBLK_LOG_ZONE_CHANGED_LEN;
		break;
	case NVME_LOG_ERROR:
		log = NULL;	/* no error recorded: all zeros */
		size = ZCBLK_ERROR_LOG_LEN;
		break;
	case NVME_LOG_SMART:
		zcblk_stats_sum(dev, &st);
		/* Data units are thousands of 512-byte units, rounded up. */
		zcblk_put_le128(smart->data_units_read, DIV_ROUND_UP_ULL(
			st.read_bytes >> SECTOR_SHIFT, 1000));
		zcblk_put_le128(smart->data_units_written, DIV_ROUND_UP_ULL(
			st.write_bytes >> SECTOR_SHIFT, 1000));
		zcblk_put_le128(smart->host_reads, st.read_cmds);
		zcblk_put_le128(smart->host_writes, st.write_cmds);
		zcblk_put_le128(smart->media_errors, st.errors);
		smart->avail_spare = 100;
		log = smart;
		size = sizeof(*smart);
		break;
	case NVME_LOG_FW_SLOT:
		/* Slot 1 active, its revision Identify's */
		u.fw.afi = 1;
		memcpy(&u.fw.frs[0], dev->nvme_ident->ctrl.fr,
		       sizeof(u.fw.frs[0]));
		log = &u.fw;
		size = sizeof(u.fw);
		break;
	default:
		return ZCBLK_STATUS_FIELD;
	}
	if (off >= size)
		return ZCBLK_STATUS_FIELD;
	zcblk_rq_fill(rq, log ? log + off : NULL, log ? size - off : 0);
	return 0;
}

/* Set Features: Volatile Write Cache alone, on a disk with a write cache. */
static int zcblk_nvme_set_features(struct zcblk_dev *dev, struct request *rq,
				   struct zcblk_pdu *cmd)
{
	const struct zcblk_nvme_cmd *nc = &cmd->nc;
	u8 fid = nc->cdw10 & 0xff;

	if (!zcblk_nvme_nsid_ok(nc->nsid))
		return ZCBLK_STATUS_NS;
	if (nc->cdw10 & BIT(31))
		return ZCBLK_STATUS(NVME_SC_FEATURE_NOT_SAVEABLE);
	/* CDW14's UUID index too; CDW12 is FDP Events' (fdp.c) */
	if ((nc->cdw10 & ~0xffU) || nc->cdw13 || nc->cdw14 || nc->cdw15)
		return ZCBLK_STATUS_FIELD;
	if (fid == ZCBLK_FEAT_FDP || fid == ZCBLK_FEAT_FDP_EVENTS)
		return zcblk_fdp_set_features(dev, rq, cmd);
	if (fid != NVME_FEAT_VOLATILE_WC)
		return ZCBLK_STATUS_FIELD;
	if (!dev->wc.size)
		return ZCBLK_STATUS(NVME_SC_FEATURE_NOT_CHANGEABLE);
	if ((nc->cdw11 & ~1U) || nc->cdw12)
		return ZCBLK_STATUS_FIELD;
	/* Turning it off empties the log: in the disk's workqueue. */
	if (zcblk_rq_nowait(rq))
		return ZCBLK_STATUS_DEFER;
	zcblk_wc_set_enabled(dev, nc->cdw11 & 1);
	return 0;
}

/**
 * zcblk_nvme_admin() - run an admin command
 * @dev: the disk
 * @rq: the command's request
 * @cmd: its pdu, where a command result goes
 *
 * Context: as zcblk_nvme_execute().
 * Return: the NVMe status.
 */
int zcblk_nvme_admin(struct zcblk_dev *dev, struct request *rq,
		     struct zcblk_pdu *cmd)
{
	/* Reserved in each of them, as they are in I/O commands here */
	bool rsvd = cmd->nc.cdw2 || cmd->nc.cdw3;

	switch (cmd->nc.opcode) {
	case nvme_admin_identify:
		return rsvd ? ZCBLK_STATUS_FIELD :
			      zcblk_nvme_identify(dev, rq, &cmd->nc);
	case nvme_admin_get_features:
		return rsvd ? ZCBLK_STATUS_FIELD :
			      zcblk_nvme_get_features(dev, rq, cmd);
	case nvme_admin_set_features:
		return rsvd ? ZCBLK_STATUS_FIELD :
			      zcblk_nvme_set_features(dev, rq, cmd);
	case nvme_admin_get_log_page:
		return rsvd ? ZCBLK_STATUS_FIELD :
			      zcblk_nvme_get_log(dev, rq, &cmd->nc);
	default:
		return ZCBLK_STATUS_OPCODE;
	}
}
