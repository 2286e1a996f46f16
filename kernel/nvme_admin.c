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
#include "dev.h"
#include "nvme.h"

#define ZCBLK_ERROR_LOG_LEN	64	/* ELPE 0: one entry */

/* Identify data: fixed for a disk's life, built at DEV_ADD. */
struct zcblk_nvme_ident {
	struct nvme_id_ctrl ctrl;
	struct nvme_id_ns ns;
};

static void zcblk_strpad(char *dst, size_t size, const char *src)
{
	memset(dst, ' ', size);
	memcpy(dst, src, min(strlen(src), size));
}

/**
 * zcblk_nvme_ident_init() - build a disk's Identify data
 * @dev: the disk being added, its backend open
 *
 * Fixed for the disk's life: built once, after the backend settled the size
 * and block size.
 *
 * Context: process context; may sleep.
 * Return: 0, or -ENOMEM.
 */
int zcblk_nvme_ident_init(struct zcblk_dev *dev)
{
	struct zcblk_nvme_ident *id;
	struct nvme_id_ctrl *c;
	struct nvme_id_ns *ns;
	char sn[21];

	id = kzalloc(sizeof(*id), GFP_KERNEL);
	if (!id)
		return -ENOMEM;
	c = &id->ctrl;
	snprintf(sn, sizeof(sn), "%10phN", &dev->uuid);
	zcblk_strpad(c->sn, sizeof(c->sn), sn);
	zcblk_strpad(c->mn, sizeof(c->mn), "zcblk virtual disk");
	zcblk_strpad(c->fr, sizeof(c->fr), init_utsname()->release);
	c->mdts = ZCBLK_MDTS;
	c->cntlid = cpu_to_le16(1);
	c->ver = cpu_to_le32(0x10400);		/* NVMe 1.4 */
	c->acl = 3;
	c->aerl = 3;
	c->sqes = 0x66;
	c->cqes = 0x44;
	c->maxcmd = cpu_to_le16(dev->cfg.queue_depth);
	c->nn = cpu_to_le32(1);
	c->oncs = cpu_to_le16(NVME_CTRL_ONCS_DSM | NVME_CTRL_ONCS_WRITE_ZEROES |
			      (dev->ops->compare ? NVME_CTRL_ONCS_COMPARE : 0));
	/* The file backend's data may sit in the backing cache until flush. */
	c->vwc = dev->ops == &zcblk_file_backend;
	snprintf(c->subnqn, sizeof(c->subnqn),
		 "nqn.2014-08.org.nvmexpress:uuid:%pUb", &dev->uuid);

	ns = &id->ns;
	ns->nsze = cpu_to_le64(zcblk_nsze(dev));
	ns->ncap = ns->nsze;
	ns->nuse = ns->nsze;
	ns->nlbaf = 0;
	ns->flbas = 0;
	ns->lbaf[0].ds = zcblk_lba_shift(dev);
	if (dev->cfg.flags & ZCBLK_DEV_F_READ_ONLY)
		ns->nsattr = 1;			/* write protected */
	/* Deallocated blocks read as zeros, Write Zeroes may deallocate. */
	if (dev->ops->zeroes_after_discard)
		ns->dlfeat = 0x1 | BIT(3);
	memcpy(ns->nguid, &dev->uuid, sizeof(ns->nguid));
	memcpy(ns->eui64, &dev->uuid.b[8], sizeof(ns->eui64));
	dev->nvme_ident = id;
	return 0;
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
	*(u8 *)(d + 1) = NVME_CSI_NVM;
	zcblk_rq_fill(rq, buf, sizeof(buf));
	return 0;
}

static int zcblk_nvme_identify(struct zcblk_dev *dev, struct request *rq,
			       const struct zcblk_nvme_cmd *nc)
{
	struct zcblk_nvme_ident *id = dev->nvme_ident;
	u8 cns = nc->cdw10 & 0xff;
	__le32 list = cpu_to_le32(ZCBLK_NSID);

	/* CNTID, CNSSID, CSI, UUID index: none is supported. */
	if ((nc->cdw10 & ~0xffU) || nc->cdw11 || nc->cdw12 || nc->cdw13 ||
	    nc->cdw14 || nc->cdw15)
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
		fallthrough;
	case NVME_ID_CNS_CS_CTRL:
		/* NVM command set (CSI 0): every field zero is valid. */
		zcblk_rq_fill(rq, NULL, 0);
		return 0;
	default:
		return ZCBLK_STATUS_FIELD;
	}
}

static bool zcblk_nvme_nsid_ok(u32 nsid)
{
	return nsid == 0 || nsid == ZCBLK_NSID || nsid == ZCBLK_NSID_ALL;
}

static int zcblk_nvme_get_features(struct zcblk_dev *dev,
				   struct zcblk_pdu *cmd)
{
	const struct zcblk_nvme_cmd *nc = &cmd->nc;
	u32 nr_queues = dev->cfg.nr_queues + dev->cfg.poll_queues - 1;
	u8 sel = (nc->cdw10 >> 8) & 0x7;

	if (!zcblk_nvme_nsid_ok(nc->nsid))
		return ZCBLK_STATUS_NS;
	if ((nc->cdw10 & ~0x7ffU) || sel > 3)
		return ZCBLK_STATUS_FIELD;
	switch (nc->cdw10 & 0xff) {
	case NVME_FEAT_VOLATILE_WC:
		cmd->result = dev->nvme_ident->ctrl.vwc;	/* WCE */
		break;
	case NVME_FEAT_NUM_QUEUES:
		cmd->result = nr_queues | nr_queues << 16;
		break;
	default:
		return ZCBLK_STATUS_FIELD;
	}
	if (sel == 3)
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
	struct nvme_smart_log smart = {};
	struct zcblk_io_stats *st = &dev->stats;
	const void *log;
	size_t size;

	if (!zcblk_nvme_nsid_ok(nc->nsid))
		return ZCBLK_STATUS_NS;
	/* LSP, LSI, CSI, OT, UUID index: none is supported. */
	if ((nc->cdw10 & 0x7f00) || (nc->cdw11 >> 16) || nc->cdw14 ||
	    (off & 3))
		return ZCBLK_STATUS_FIELD;

	switch (nc->cdw10 & 0xff) {
	case NVME_LOG_ERROR:
		log = NULL;	/* no error recorded: all zeros */
		size = ZCBLK_ERROR_LOG_LEN;
		break;
	case NVME_LOG_SMART:
		/* Data units are thousands of 512-byte units, rounded up. */
		zcblk_put_le128(smart.data_units_read, DIV_ROUND_UP_ULL(
			atomic64_read(&st->read_bytes) >> SECTOR_SHIFT, 1000));
		zcblk_put_le128(smart.data_units_written, DIV_ROUND_UP_ULL(
			atomic64_read(&st->write_bytes) >> SECTOR_SHIFT, 1000));
		zcblk_put_le128(smart.host_reads,
				atomic64_read(&st->read_cmds));
		zcblk_put_le128(smart.host_writes,
				atomic64_read(&st->write_cmds));
		zcblk_put_le128(smart.media_errors,
				atomic64_read(&st->errors));
		smart.avail_spare = 100;
		log = &smart;
		size = sizeof(smart);
		break;
	default:
		return ZCBLK_STATUS_FIELD;
	}
	if (off >= size)
		return ZCBLK_STATUS_FIELD;
	zcblk_rq_fill(rq, log ? log + off : NULL, log ? size - off : 0);
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
	switch (cmd->nc.opcode) {
	case nvme_admin_identify:
		return zcblk_nvme_identify(dev, rq, &cmd->nc);
	case nvme_admin_get_features:
		return zcblk_nvme_get_features(dev, cmd);
	case nvme_admin_get_log_page:
		return zcblk_nvme_get_log(dev, rq, &cmd->nc);
	default:
		return ZCBLK_STATUS_OPCODE;
	}
}
