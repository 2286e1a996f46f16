// SPDX-License-Identifier: GPL-2.0
/*
 * Copy (NVM Command Set, opcode 19h) on the char device: source ranges
 * copied, one after another, to consecutive blocks from SDLBA, inside the
 * disk. The only host memory it reads is the range list, copied into the
 * kernel once. Documentation/passthrough.rst, "Copy".
 */
#include <linux/blk-mq.h>
#include <linux/mm.h>
#include <linux/nvme.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "backend.h"
#include "copy.h"
#include "dev.h"
#include "fdp.h"
#include "meta.h"
#include "nvme.h"
#include "pi.h"

/* CDW12: NR, DESFMT, PRINFOR, DTYPE, STCW, PRINFOW, FUA, LR */
#define ZCBLK_COPY_NR		GENMASK(7, 0)
#define ZCBLK_COPY_DESFMT	GENMASK(11, 8)
#define ZCBLK_COPY_PRINFOR	GENMASK(15, 12)
#define ZCBLK_COPY_PRINFOR_PRACT	BIT(15)
#define ZCBLK_COPY_FUA		BIT(30)
#define ZCBLK_COPY_CDW12_OK	(ZCBLK_COPY_NR | ZCBLK_COPY_DESFMT | \
				 ZCBLK_COPY_FUA | BIT(31))
/* PRINFOR sits 14 bits below where PRINFO is in a Read's CDW12 (pi.h). */
#define ZCBLK_COPY_PRINFOR_SHIFT	14

/* Command Size Limit Exceeded, 183h; 6.1's nvme.h does not name it */
#define ZCBLK_SC_CMD_SIZE_LIMIT	0x183

/* Source Range Entries, descriptor format 0 */
struct zcblk_copy_range {
	__le64 rsvd0;
	__le64 slba;
	__le16 nlb;		/* 0's based */
	__le16 rsvd18;
	__le32 rsvd20;
	__le32 eilbrt;
	__le16 elbat;
	__le16 elbatm;
};

/* What one move goes through: a bounce of this many bytes of data. */
#define ZCBLK_COPY_CHUNK	SZ_64K

/**
 * zcblk_copy_bytes() - carry out ZCBLK_IO_COPY through the backend's data_rw
 * @dev: the disk, whose backend has data_rw
 * @io: the copy: whole blocks, source and target inside the disk
 *
 * Each block's metadata moves with it. A target that overlaps the source's
 * tail is copied back to front, so every block is read before it is
 * overwritten.
 *
 * Context: process context (data_rw sleeps); DEFER when @io->nowait.
 * Return: DONE, with io->sts set; or DEFER.
 */
enum zcblk_submit zcblk_copy_bytes(struct zcblk_dev *dev, struct zcblk_io *io)
{
	u32 bs = dev->cfg.block_size, ms = zcblk_md_size(dev);
	u32 shift = ilog2(bs), chunk = max_t(u32, ZCBLK_COPY_CHUNK >> shift, 1);
	u64 nlb = io->len >> shift, src = io->src >> shift;
	u64 dst = io->pos >> shift, done = 0;
	bool back = dst > src && dst < src + nlb;
	unsigned int noio;
	int ret = 0;
	u8 *buf;

	if (io->nowait)
		return ZCBLK_SUBMIT_DEFER;
	/* No reclaim that writes back to this disk while it copies */
	noio = memalloc_noio_save();
	buf = kvmalloc((size_t)chunk * (bs + ms), GFP_KERNEL);
	memalloc_noio_restore(noio);
	if (!buf) {
		io->sts = BLK_STS_RESOURCE;
		return ZCBLK_SUBMIT_DONE;
	}
	while (done < nlb && !ret) {
		u32 n = min_t(u64, chunk, nlb - done);
		u64 off = back ? nlb - done - n : done;
		u8 *md = buf + ((size_t)n << shift);

		ret = dev->ops->data_rw(dev, false, (src + off) << shift, buf,
					(size_t)n << shift);
		if (!ret && ms)
			ret = dev->ops->data_rw(dev, false,
						zcblk_md_pos(dev, src + off),
						md, n * ms);
		if (!ret)
			ret = dev->ops->data_rw(dev, true, (dst + off) << shift,
						buf, (size_t)n << shift);
		if (!ret && ms)
			ret = dev->ops->data_rw(dev, true,
						zcblk_md_pos(dev, dst + off),
						md, n * ms);
		done += n;
		cond_resched();
	}
	kvfree(buf);
	if (ret)
		io->sts = errno_to_blk_status(ret);
	else
		zcblk_stat_add(dev, copied_bytes, io->len);
	return ZCBLK_SUBMIT_DONE;
}

/*
 * The checks of a whole command, before anything moves: the limits
 * Identify Namespace states (MSRC, MSSRL, MCL), every range and the
 * target inside the namespace, and with protection information the rule
 * for type 1 reference tags.
 */
static int zcblk_copy_check(struct zcblk_dev *dev,
			    const struct zcblk_nvme_cmd *nc,
			    const struct zcblk_copy_range *r, unsigned int nr,
			    u64 sdlba)
{
	u32 prinfor = (nc->cdw12 & ZCBLK_COPY_PRINFOR) <<
		      ZCBLK_COPY_PRINFOR_SHIFT;
	bool type1 = zcblk_pi_type(dev) == 1;
	u64 total = 0;
	unsigned int i;

	if (nr > ZCBLK_COPY_MSRC)
		return ZCBLK_STATUS(ZCBLK_SC_CMD_SIZE_LIMIT);
	for (i = 0; i < nr; i++) {
		u32 nlb = le16_to_cpu(r[i].nlb) + 1;

		if (nlb > ZCBLK_COPY_MSSRL)
			return ZCBLK_STATUS(ZCBLK_SC_CMD_SIZE_LIMIT);
		total += nlb;
	}
	if (total > ZCBLK_COPY_MCL)
		return ZCBLK_STATUS(ZCBLK_SC_CMD_SIZE_LIMIT);
	for (i = 0; i < nr; i++) {
		u64 slba = le64_to_cpu(r[i].slba);

		if (!zcblk_lba_ok(dev, slba, le16_to_cpu(r[i].nlb) + 1))
			return ZCBLK_STATUS_LBA_RANGE;
		if (type1 && (prinfor & ZCBLK_PRCHK_REF) &&
		    le32_to_cpu(r[i].eilbrt) != (u32)slba)
			return ZCBLK_STATUS(NVME_SC_INVALID_PI);
	}
	if (!zcblk_lba_ok(dev, sdlba, total))
		return ZCBLK_STATUS_LBA_RANGE;
	if (type1 && (nc->cdw12 & ZCBLK_PRCHK_REF) && nc->cdw14 != (u32)sdlba)
		return ZCBLK_STATUS(NVME_SC_INVALID_PI);
	return 0;
}

/*
 * One source range to @dlba: its protection information checked first
 * (the source's as PRINFOR asks against the entry's tags, what the target
 * will hold as PRINFOW asks against the command's), then the move, then,
 * for PRACT in PRINFOW, the target's protection information generated.
 */
static int zcblk_copy_range(struct zcblk_dev *dev,
			    const struct zcblk_nvme_cmd *nc,
			    const struct zcblk_copy_range *r, u64 dlba,
			    u32 ref, bool nowait)
{
	u64 slba = le64_to_cpu(r->slba);
	u32 nlb = le16_to_cpu(r->nlb) + 1, shift = zcblk_lba_shift(dev);
	struct zcblk_io io = {
		.op = ZCBLK_IO_COPY,
		.pos = dlba << shift,
		.src = slba << shift,
		.len = (u64)nlb << shift,
		.fua = nc->cdw12 & ZCBLK_COPY_FUA,
		.nowait = nowait,
	};
	int status;

	if (zcblk_pi_type(dev)) {
		struct zcblk_pi_expect want[2] = {
			{
				.prinfo = (nc->cdw12 & ZCBLK_COPY_PRINFOR) <<
					  ZCBLK_COPY_PRINFOR_SHIFT,
				.ref = le32_to_cpu(r->eilbrt),
				.tags = le16_to_cpu(r->elbatm) << 16 |
					le16_to_cpu(r->elbat),
			}, {
				/* PRACT: nothing there yet to check */
				.prinfo = nc->cdw12 & ZCBLK_PRACT ? 0 :
					  nc->cdw12 & ZCBLK_PRINFO,
				.ref = ref,
				.tags = nc->cdw15,
			},
		};

		status = zcblk_pi_scan(dev, slba, nlb, want, ARRAY_SIZE(want));
		if (status)
			return status;
	}
	status = zcblk_nvme_submit(dev, &io);
	if (!status && zcblk_fdp(dev))
		zcblk_fdp_write(dev, nc->cdw12, nc->cdw13, nlb);
	if (status || !zcblk_pi_type(dev) || !(nc->cdw12 & ZCBLK_PRACT))
		return status;
	return zcblk_pi_generate(dev, dlba, nlb, ref, nc->cdw15 & 0xffff);
}

/**
 * zcblk_nvme_copy() - the Copy command
 * @dev: the disk
 * @rq: the command's request, its data the range list
 * @cmd: the command; a failure's result is the first range not copied
 *
 * Context: as zcblk_nvme_execute(); a disk whose backend keeps data
 * copies from its workqueue.
 * Return: an NVMe status, or ZCBLK_STATUS_DEFER.
 */
int zcblk_nvme_copy(struct zcblk_dev *dev, struct request *rq,
		    struct zcblk_pdu *cmd)
{
	const struct zcblk_nvme_cmd *nc = &cmd->nc;
	unsigned int nr = (nc->cdw12 & ZCBLK_COPY_NR) + 1, i;
	u64 sdlba = (u64)nc->cdw11 << 32 | nc->cdw10, dlba;
	bool nowait = zcblk_rq_nowait(rq);
	u32 ok = ZCBLK_COPY_CDW12_OK;
	struct zcblk_copy_range *r;
	int status;

	if (zcblk_zoned(dev))
		return ZCBLK_STATUS_OPCODE;
	if (zcblk_pi_type(dev))
		ok |= ZCBLK_COPY_PRINFOR | ZCBLK_PRINFO;
	if (zcblk_fdp(dev))
		ok |= ZCBLK_DTYPE;
	/* Format 0 only; no storage tags; placement on FDP disks alone */
	if (nc->cdw2 || nc->cdw3 || (nc->cdw12 & ~ok) ||
	    (nc->cdw12 & ZCBLK_COPY_DESFMT) ||
	    (nc->cdw13 & (zcblk_fdp(dev) ? 0xffff : ~0U)) ||
	    zcblk_fdp_directive(dev, nc->cdw12, nc->cdw13))
		return ZCBLK_STATUS_FIELD;
	/* PRACT in both PRINFOR and PRINFOW or in neither, as QEMU asks */
	if (zcblk_pi_type(dev) && !(nc->cdw12 & ZCBLK_COPY_PRINFOR_PRACT) !=
				  !(nc->cdw12 & ZCBLK_PRACT))
		return ZCBLK_STATUS_FIELD;
	/*
	 * Format 0 entries carry 16-bit guard tags: a namespace with 64-bit
	 * guard PI takes format 1 (not implemented), as the spec says.
	 */
	if (zcblk_pi_type(dev) && zcblk_pi_guard64(&dev->cfg))
		return ZCBLK_STATUS_NS;
	if (dev->cfg.flags & ZCBLK_DEV_F_READ_ONLY)
		return ZCBLK_STATUS_WRITE_PROT;
	/* Power cut (wcache.c): before the source's PI is read */
	if (zcblk_power_off(dev))
		return NVME_SC_NS_NOT_READY;
	/* Moving data sleeps: from the workqueue, before anything is done. */
	if (nowait && dev->ops->data_rw)
		return ZCBLK_STATUS_DEFER;

	r = kmalloc_array(nr, sizeof(*r),
			  nowait ? GFP_NOWAIT | __GFP_NOWARN : GFP_NOIO);
	if (!r)
		return nowait ? ZCBLK_STATUS_DEFER : ZCBLK_STATUS_INTERNAL;
	/* Once: user memory another thread may rewrite meanwhile. */
	zcblk_rq_copy_from(rq, 0, r, nr * sizeof(*r));
	status = zcblk_copy_check(dev, nc, r, nr, sdlba);
	for (i = 0, dlba = sdlba; i < nr && !status; i++) {
		/* Type 3 reference tags do not count up. */
		u32 ref = nc->cdw14 + (zcblk_pi_type(dev) == 3 ? 0 :
				       (u32)(dlba - sdlba));

		status = zcblk_copy_range(dev, nc, &r[i], dlba, ref, nowait);
		if (status)
			cmd->result = i;
		dlba += le16_to_cpu(r[i].nlb) + 1;
	}
	kfree(r);
	return status;
}
