// SPDX-License-Identifier: GPL-2.0
/*
 * Flexible Data Placement (Documentation/fdp.rst). A disk with the fdp flag
 * is a controller with one endurance group, in FDP mode with configuration
 * 0, whose namespace's placement handle i is reclaim unit handle i. The
 * data lands where the backend keeps it: placement is what a drive reports
 * of it, each reclaim unit's available media writes (RUAMW), the group's
 * statistics and its events.
 */
#include <linux/blk-mq.h>
#include <linux/bitfield.h>
#include <linux/ktime.h>
#include <linux/netlink.h>
#include <linux/nvme.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"
#include "fdp.h"
#include "meta.h"
#include "nvme.h"

/* An FDP Events log entry */
struct zcblk_fdp_event {
	u8 type;
	u8 flags;
	__le16 pid;
	u8 ts[8];		/* as the Timestamp feature: ms in 47:0 */
	__le32 nsid;
	u8 tsi[16];
	__le16 rgid;
	u8 ruhid;
	u8 rsvd35[5];
	u8 vs[24];
};

#define ZCBLK_FDP_MAX_EVENTS	63
/* The event types this disk reports, and their bits in ev_on */
#define ZCBLK_FDPE_RUNFW	0x00	/* Reclaim Unit Not Fully Written */
#define ZCBLK_FDPE_INVALID_PID	0x03	/* Invalid Placement Identifier */
#define ZCBLK_FDPE_IMPLICIT	0x81	/* Implicitly Modified RUH */
static const u8 zcblk_fdp_types[] = {
	ZCBLK_FDPE_RUNFW, ZCBLK_FDPE_INVALID_PID, ZCBLK_FDPE_IMPLICIT,
};
/* Event flags: PID, NSID, location (RGID and RUHID) valid */
#define ZCBLK_FDPEF_ALL		(BIT(0) | BIT(1) | BIT(2))

/* FDP statuses; not named in the kernels' nvme.h */
#define ZCBLK_SC_CMD_SEQ_ERROR	0x0c

struct zcblk_fdp_events {
	struct zcblk_fdp_event ev[ZCBLK_FDP_MAX_EVENTS];
	unsigned int n;		/* entries, the oldest at (next - n) */
	unsigned int next;
};

/* A disk's FDP state; dev->fdp, freed with the disk. */
struct zcblk_fdp {
	u64 ru_blocks;		/* RUNS in logical blocks */
	u32 nruh, nrg, nph;
	u32 rgif;		/* PID bits that name the reclaim group */
	u32 md_size;		/* metadata bytes a block, for the statistics */
	u32 bs;
	spinlock_t lock;	/* protects everything below */
	u64 hbmw, mbmw;		/* bytes written, metadata included */
	struct zcblk_fdp_events host, ctrl;
	u8 ev_on[128];		/* per placement handle: zcblk_fdp_types bits */
	u64 ruamw[];		/* [ruh * nrg + rg], logical blocks */
};

/**
 * zcblk_fdp_init() - set up a disk's endurance group
 * @dev: the disk being added, its backend open (the block size is settled)
 * @extack: for the reason of a refusal
 *
 * Context: process context.
 * Return: 0, -EINVAL for a configuration that does not hold, -ENOMEM.
 */
int zcblk_fdp_init(struct zcblk_dev *dev, struct netlink_ext_ack *extack)
{
	const struct zcblk_config *cfg = &dev->cfg;
	struct zcblk_fdp *f;
	u32 i;

	BUILD_BUG_ON(sizeof(struct zcblk_fdp_event) != 64);
	if (!(cfg->flags & ZCBLK_DEV_F_FDP))
		return 0;
	if (!cfg->fdp_ru_size || cfg->fdp_ru_size % cfg->block_size) {
		NL_SET_ERR_MSG(extack, "fdp-ru-size: a multiple of block-size");
		return -EINVAL;
	}
	f = kvzalloc(struct_size(f, ruamw, cfg->fdp_nruh * cfg->fdp_nrg),
		     GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	spin_lock_init(&f->lock);
	f->bs = cfg->block_size;
	f->md_size = cfg->metadata_size;
	f->ru_blocks = div_u64(cfg->fdp_ru_size, cfg->block_size);
	f->nruh = cfg->fdp_nruh;
	f->nrg = cfg->fdp_nrg;
	f->nph = cfg->fdp_nph;
	f->rgif = f->nrg > 1 ? fls(f->nrg - 1) : 0;
	for (i = 0; i < f->nruh * f->nrg; i++)
		f->ruamw[i] = f->ru_blocks;
	dev->fdp = f;
	return 0;
}

/**
 * zcblk_fdp_free() - free a disk's FDP state
 * @dev: the disk
 */
void zcblk_fdp_free(struct zcblk_dev *dev)
{
	kvfree(dev->fdp);
	dev->fdp = NULL;
}

/* A placement identifier: the reclaim group above, the handle below. */
static u16 zcblk_fdp_pid(const struct zcblk_fdp *f, u32 ph, u32 rg)
{
	return f->rgif ? rg << (16 - f->rgif) | ph : ph;
}

static bool zcblk_fdp_parse(const struct zcblk_fdp *f, u16 pid, u32 *ph,
			    u32 *rg)
{
	*rg = f->rgif ? pid >> (16 - f->rgif) : 0;
	*ph = f->rgif ? pid & (BIT(16 - f->rgif) - 1) : pid;
	return *ph < f->nph && *rg < f->nrg;
}

/* Logs an event, if enabled for @ph, as the newest of its log. */
static void zcblk_fdp_event(struct zcblk_fdp *f, u8 type, u16 pid, u32 ph,
			    u32 rg)
{
	bool host = !(type & 0x80);
	struct zcblk_fdp_events *q = host ? &f->host : &f->ctrl;
	struct zcblk_fdp_event *e = &q->ev[q->next];
	unsigned int bit;

	lockdep_assert_held(&f->lock);
	for (bit = 0; zcblk_fdp_types[bit] != type; bit++)
		;
	if (!(f->ev_on[ph] & BIT(bit)))
		return;
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->flags = ZCBLK_FDPEF_ALL;
	e->pid = cpu_to_le16(pid);
	put_unaligned_le64(ktime_to_ms(ktime_get_real()) & GENMASK_ULL(47, 0),
			   e->ts);
	e->nsid = cpu_to_le32(ZCBLK_NSID);
	e->rgid = cpu_to_le16(rg);
	e->ruhid = ph;
	q->next = (q->next + 1) % ZCBLK_FDP_MAX_EVENTS;
	if (q->n < ZCBLK_FDP_MAX_EVENTS)
		q->n++;
}

/**
 * zcblk_fdp_directive() - check a write's directive fields
 * @dev: the disk
 * @cdw12: the command's CDW12: DTYPE in 23:20
 * @cdw13: its CDW13: DSPEC in 31:16
 *
 * Data Placement (2) only, on an FDP disk; DSPEC only with it. A placement
 * identifier that is not valid is not refused: zcblk_fdp_write() says why.
 *
 * Return: 0, or Invalid Field.
 */
int zcblk_fdp_directive(struct zcblk_dev *dev, u32 cdw12, u32 cdw13)
{
	u32 dtype = FIELD_GET(ZCBLK_DTYPE, cdw12);

	if (!dtype && !(cdw13 >> 16))
		return 0;
	if (!zcblk_fdp(dev) || dtype != ZCBLK_DTYPE_PLACEMENT)
		return ZCBLK_STATUS_FIELD;
	return 0;
}

/**
 * zcblk_fdp_write() - account a write to its reclaim unit
 * @dev: an FDP disk
 * @cdw12: the write's CDW12 (DTYPE), checked by zcblk_fdp_directive()
 * @cdw13: its CDW13 (DSPEC: the placement identifier)
 * @nlb: the blocks it wrote
 *
 * Without a placement identifier, or with one that is not valid (an
 * Invalid Placement Identifier event), a write goes to placement handle
 * 0 of reclaim group 0, as the spec has it. A reclaim unit the write
 * fills is replaced by an empty one (Implicitly Modified RUH).
 *
 * Context: any context but hard interrupts.
 */
void zcblk_fdp_write(struct zcblk_dev *dev, u32 cdw12, u32 cdw13, u64 nlb)
{
	struct zcblk_fdp *f = dev->fdp;
	u16 pid = cdw13 >> 16;
	u32 ph = 0, rg = 0, i;
	u64 *ru, fills, rem;

	spin_lock(&f->lock);
	if (FIELD_GET(ZCBLK_DTYPE, cdw12) == ZCBLK_DTYPE_PLACEMENT &&
	    !zcblk_fdp_parse(f, pid, &ph, &rg)) {
		zcblk_fdp_event(f, ZCBLK_FDPE_INVALID_PID, pid, 0, 0);
		ph = 0;
		rg = 0;
	}
	f->hbmw += nlb * (f->bs + f->md_size);
	f->mbmw += nlb * (f->bs + f->md_size);
	ru = &f->ruamw[ph * f->nrg + rg];
	if (nlb < *ru) {
		*ru -= nlb;
	} else {
		/* The current unit filled, and as many more as it takes */
		fills = 1 + div64_u64_rem(nlb - *ru, f->ru_blocks, &rem);
		*ru = f->ru_blocks - rem;
		for (i = 0; i < min_t(u64, fills, ZCBLK_FDP_MAX_EVENTS); i++)
			zcblk_fdp_event(f, ZCBLK_FDPE_IMPLICIT,
					zcblk_fdp_pid(f, ph, rg), ph, rg);
	}
	spin_unlock(&f->lock);
}

/* Reclaim Unit Handle Status: a descriptor per placement identifier. */
static int zcblk_fdp_ruh_status(struct zcblk_dev *dev, struct request *rq)
{
	struct zcblk_fdp *f = dev->fdp;
	u32 len = blk_rq_bytes(rq), ph, rg, off = 16;
	u8 hdr[16] = {}, d[32];

	put_unaligned_le16(f->nph * f->nrg, hdr + 14);
	zcblk_rq_fill(rq, hdr, sizeof(hdr));
	spin_lock(&f->lock);
	for (ph = 0; ph < f->nph; ph++) {
		for (rg = 0; rg < f->nrg && off < len; rg++, off += 32) {
			memset(d, 0, sizeof(d));
			put_unaligned_le16(zcblk_fdp_pid(f, ph, rg), d);
			put_unaligned_le16(ph, d + 2);
			put_unaligned_le64(f->ruamw[ph * f->nrg + rg], d + 8);
			zcblk_rq_copy_to(rq, off, d, min(32U, len - off));
		}
	}
	spin_unlock(&f->lock);
	return 0;
}

/* Reclaim Unit Handle Update: every identifier checked, then each done. */
static int zcblk_fdp_ruh_update(struct zcblk_dev *dev, struct request *rq,
				u32 npid)
{
	bool nowait = zcblk_rq_nowait(rq);
	struct zcblk_fdp *f = dev->fdp;
	u32 i, ph, rg;
	__le16 *pids;

	if (npid > f->nph * f->nrg)
		return ZCBLK_STATUS_FIELD;
	pids = kmalloc_array(npid, sizeof(*pids),
			     nowait ? GFP_NOWAIT | __GFP_NOWARN : GFP_NOIO);
	if (!pids)
		return nowait ? ZCBLK_STATUS_DEFER : ZCBLK_STATUS_INTERNAL;
	/* Once: user memory another thread may rewrite meanwhile. */
	zcblk_rq_copy_from(rq, 0, pids, npid * sizeof(*pids));
	for (i = 0; i < npid; i++) {
		if (!zcblk_fdp_parse(f, le16_to_cpu(pids[i]), &ph, &rg)) {
			kfree(pids);
			return ZCBLK_STATUS_FIELD;
		}
	}
	spin_lock(&f->lock);
	for (i = 0; i < npid; i++) {
		u16 pid = le16_to_cpu(pids[i]);
		u64 *ru;

		zcblk_fdp_parse(f, pid, &ph, &rg);
		ru = &f->ruamw[ph * f->nrg + rg];
		if (*ru == f->ru_blocks)
			continue;	/* empty already */
		zcblk_fdp_event(f, ZCBLK_FDPE_RUNFW, pid, ph, rg);
		*ru = f->ru_blocks;
	}
	spin_unlock(&f->lock);
	kfree(pids);
	return 0;
}

/**
 * zcblk_fdp_io_mgmt() - I/O Management Receive (12h) and Send (1Dh)
 * @dev: the disk
 * @rq: the command's request, its data the status or the identifiers
 * @cmd: the command
 *
 * Management operation 0 does nothing; 1 is Reclaim Unit Handle Status
 * (Receive) or Update (Send).
 *
 * Context: as zcblk_nvme_execute().
 * Return: an NVMe status, or ZCBLK_STATUS_DEFER.
 */
int zcblk_fdp_io_mgmt(struct zcblk_dev *dev, struct request *rq,
		      struct zcblk_pdu *cmd)
{
	const struct zcblk_nvme_cmd *nc = &cmd->nc;
	bool recv = nc->opcode == ZCBLK_CMD_IO_MGMT_RECV;
	u8 mo = nc->cdw10 & 0xff;

	if (!zcblk_fdp(dev))
		return ZCBLK_STATUS_OPCODE;
	if (nc->cdw2 || nc->cdw3 || (nc->cdw10 & 0xff00) ||
	    (!recv && (nc->cdw11 || nc->cdw12)) || (recv && nc->cdw12) ||
	    nc->cdw13 || nc->cdw14 || nc->cdw15 || mo > 1 ||
	    (recv && (nc->cdw10 >> 16)))
		return ZCBLK_STATUS_FIELD;
	if (!mo) {
		if (recv)
			zcblk_rq_fill(rq, NULL, 0);
		return 0;
	}
	if (recv)
		return zcblk_fdp_ruh_status(dev, rq);
	return zcblk_fdp_ruh_update(dev, rq, (nc->cdw10 >> 16) + 1);
}

/* Endurance Group Information: the counters the disk has. */
static void zcblk_fdp_endgrp_log(struct zcblk_dev *dev, u8 *log)
{
	struct zcblk_io_stats st;
	u64 mbmw;

	zcblk_stats_sum(dev, &st);
	spin_lock(&dev->fdp->lock);
	mbmw = dev->fdp->mbmw;
	spin_unlock(&dev->fdp->lock);
	/* Data units: thousands of 512 bytes, as the SMART log has them */
	log[3] = 100;					/* AVSP */
	put_unaligned_le64(DIV_ROUND_UP_ULL(st.read_bytes >>
					    SECTOR_SHIFT, 1000), log + 48);
	put_unaligned_le64(DIV_ROUND_UP_ULL(st.write_bytes >>
					    SECTOR_SHIFT, 1000), log + 64);
	put_unaligned_le64(DIV_ROUND_UP_ULL(mbmw >> SECTOR_SHIFT, 1000),
			   log + 80);				/* MUW */
	put_unaligned_le64(st.read_cmds, log + 96);
	put_unaligned_le64(st.write_cmds, log + 112);
}

/* FDP Configurations: the one configuration, valid and in use. */
static size_t zcblk_fdp_configs_log(struct zcblk_dev *dev, u8 *log)
{
	struct zcblk_fdp *f = dev->fdp;
	u32 dsze = round_up(64 + 4 * f->nruh, 8), i;
	u8 *d = log + 16;

	put_unaligned_le32(16 + dsze, log + 4);		/* SZE */
	put_unaligned_le16(dsze, d);
	/* FDPA: valid, the reclaim group identifier format, a volatile cache */
	d[2] = BIT(7) | f->rgif |
	       (dev->ops == &zcblk_file_backend || dev->wc.size ? BIT(4) : 0);
	put_unaligned_le32(f->nrg, d + 4);
	put_unaligned_le16(f->nruh, d + 8);
	put_unaligned_le16(f->nruh - 1, d + 10);	/* MAXPIDS, 0's based */
	put_unaligned_le32(1, d + 12);			/* NNSS */
	put_unaligned_le64(f->ru_blocks * f->bs, d + 16);	/* RUNS */
	for (i = 0; i < f->nruh; i++)
		d[64 + 4 * i] = dev->cfg.fdp_ruh_type;
	return 16 + dsze;
}

/* Events, oldest first; *n of them. */
static size_t zcblk_fdp_events_log(struct zcblk_fdp *f, bool host, u8 *log)
{
	struct zcblk_fdp_events *q = host ? &f->host : &f->ctrl;
	unsigned int i, first, n;

	spin_lock(&f->lock);
	n = q->n;	/* the count the header says, not a later one */
	first = (q->next + ZCBLK_FDP_MAX_EVENTS - n) % ZCBLK_FDP_MAX_EVENTS;
	put_unaligned_le32(n, log);
	for (i = 0; i < n; i++)
		memcpy(log + 64 + 64 * i,
		       &q->ev[(first + i) % ZCBLK_FDP_MAX_EVENTS], 64);
	spin_unlock(&f->lock);
	return 64 + 64 * n;
}

/**
 * zcblk_fdp_get_log() - the endurance group's log pages
 * @dev: the disk
 * @rq: the command's request
 * @lid: 09h, 20h to 23h
 * @lsp: the log specific parameter: for FDP Events, 1 the host's
 * @off: the offset into the log, dword aligned
 *
 * Context: as zcblk_nvme_execute(); allocates without sleeping when
 * zcblk_rq_nowait().
 * Return: an NVMe status, or ZCBLK_STATUS_DEFER.
 */
int zcblk_fdp_get_log(struct zcblk_dev *dev, struct request *rq, u8 lid,
		      u32 lsp, u64 off)
{
	bool nowait = zcblk_rq_nowait(rq);
	struct zcblk_fdp *f = dev->fdp;
	size_t size;
	u8 *log;
	int i;

	if (!zcblk_fdp(dev) || (lsp && lid != ZCBLK_LOG_FDP_EVENTS) || lsp > 1)
		return ZCBLK_STATUS_FIELD;
	log = kzalloc(PAGE_SIZE,
		      nowait ? GFP_NOWAIT | __GFP_NOWARN : GFP_NOIO);
	if (!log)
		return nowait ? ZCBLK_STATUS_DEFER : ZCBLK_STATUS_INTERNAL;
	switch (lid) {
	case ZCBLK_LOG_ENDGRP:
		zcblk_fdp_endgrp_log(dev, log);
		size = 512;
		break;
	case ZCBLK_LOG_FDP_CONFIGS:
		size = zcblk_fdp_configs_log(dev, log);
		break;
	case ZCBLK_LOG_FDP_RUH_USAGE:
		put_unaligned_le16(f->nruh, log);
		/* RUHA: host specified where the namespace places data */
		for (i = 0; i < f->nph; i++)
			log[8 + 8 * i] = 1;
		size = 8 + 8 * f->nruh;
		break;
	case ZCBLK_LOG_FDP_STATS:
		spin_lock(&f->lock);
		put_unaligned_le64(f->hbmw, log);
		put_unaligned_le64(f->mbmw, log + 16);
		spin_unlock(&f->lock);
		size = 64;		/* MBE 0: nothing is erased */
		break;
	default:
		size = zcblk_fdp_events_log(f, lsp, log);
		break;
	}
	if (off >= size) {
		kfree(log);
		return ZCBLK_STATUS_FIELD;
	}
	zcblk_rq_fill(rq, log + off, size - off);
	kfree(log);
	return 0;
}

/**
 * zcblk_fdp_get_features() - FDP (1Dh) and FDP Events (1Eh)
 * @dev: the disk
 * @rq: the command's request: FDP Events' descriptors go in its data
 * @cmd: the command, its result set
 * @sel: what is asked (CDW10's SEL): the current setting, the default
 *	(also for saved: not saveable), or the capabilities (no data)
 *
 * FDP cannot change (its capabilities 0); FDP Events can, for one
 * placement handle of the namespace, all disabled by default.
 *
 * Return: an NVMe status.
 */
int zcblk_fdp_get_features(struct zcblk_dev *dev, struct request *rq,
			   struct zcblk_pdu *cmd, u8 sel)
{
	const struct zcblk_nvme_cmd *nc = &cmd->nc;
	struct zcblk_fdp *f = dev->fdp;
	u32 ph = nc->cdw11 & 0xffff, noet = (nc->cdw11 >> 16) & 0xff, i;
	u8 d[2 * ARRAY_SIZE(zcblk_fdp_types)];

	if (!zcblk_fdp(dev))
		return ZCBLK_STATUS_FIELD;
	if ((nc->cdw10 & 0xff) == ZCBLK_FEAT_FDP) {
		if (nc->cdw11 != ZCBLK_ENDGID)
			return ZCBLK_STATUS_FIELD;
		/* FDPE; configuration index 0 */
		cmd->result = sel == ZCBLK_SEL_CAPS ? 0 : 1;
		return 0;
	}
	if (nc->nsid != ZCBLK_NSID)
		return ZCBLK_STATUS_NS;
	if (ph >= f->nph || !noet || (nc->cdw11 >> 24))
		return ZCBLK_STATUS_FIELD;
	if (sel == ZCBLK_SEL_CAPS) {
		cmd->result = ZCBLK_FEAT_NS_SPECIFIC | ZCBLK_FEAT_CHANGEABLE;
		return 0;
	}
	noet = min_t(u32, noet, ARRAY_SIZE(zcblk_fdp_types));
	spin_lock(&f->lock);
	for (i = 0; i < noet; i++) {
		d[2 * i] = zcblk_fdp_types[i];
		d[2 * i + 1] = sel == ZCBLK_SEL_CURRENT &&
			       (f->ev_on[ph] & BIT(i));
	}
	spin_unlock(&f->lock);
	zcblk_rq_fill(rq, d, 2 * noet);
	cmd->result = noet;
	return 0;
}

/**
 * zcblk_fdp_set_features() - FDP (1Dh) and FDP Events (1Eh)
 * @dev: the disk
 * @rq: the command's request: FDP Events' types in its data
 * @cmd: the command
 *
 * FDP cannot change while the namespace exists: Command Sequence Error,
 * as the spec has it. FDP Events enables or disables the types listed
 * for one placement handle; an unknown type changes nothing.
 *
 * Return: an NVMe status.
 */
int zcblk_fdp_set_features(struct zcblk_dev *dev, struct request *rq,
			   struct zcblk_pdu *cmd)
{
	const struct zcblk_nvme_cmd *nc = &cmd->nc;
	struct zcblk_fdp *f = dev->fdp;
	u32 ph = nc->cdw11 & 0xffff, noet = (nc->cdw11 >> 16) & 0xff, i, k;
	u8 types[255], mask = 0;

	if (!zcblk_fdp(dev))
		return ZCBLK_STATUS_FIELD;
	if ((nc->cdw10 & 0xff) == ZCBLK_FEAT_FDP)
		return ZCBLK_STATUS(ZCBLK_SC_CMD_SEQ_ERROR);
	if (nc->nsid != ZCBLK_NSID)
		return ZCBLK_STATUS_NS;
	if (ph >= f->nph || !noet || (nc->cdw11 >> 24) || (nc->cdw12 & ~1U) ||
	    blk_rq_bytes(rq) < noet)
		return ZCBLK_STATUS_FIELD;
	zcblk_rq_copy_from(rq, 0, types, noet);
	for (i = 0; i < noet; i++) {
		for (k = 0; k < ARRAY_SIZE(zcblk_fdp_types) &&
			    zcblk_fdp_types[k] != types[i]; k++)
			;
		if (k == ARRAY_SIZE(zcblk_fdp_types))
			return ZCBLK_STATUS_FIELD;
		mask |= BIT(k);
	}
	spin_lock(&f->lock);
	if (nc->cdw12 & 1)
		f->ev_on[ph] |= mask;
	else
		f->ev_on[ph] &= ~mask;
	spin_unlock(&f->lock);
	return 0;
}
