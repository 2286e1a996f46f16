// SPDX-License-Identifier: GPL-2.0
/*
 * Protection information on the char device (Documentation/integrity.rst),
 * as the NVM Command Set specifies it for the 16-bit and the 64-bit guard
 * formats: Read, Write, Compare, Verify and Copy check it (PRCHK), Write
 * and Copy insert it, Read and Compare strip it (PRACT).
 *
 * The data stays where it is, in the user's pinned pages; the metadata goes
 * through a kernel copy (at most 16 KiB), which a Write checks before the
 * backend stores anything and a Read checks once the backend filled it.
 */
#include <linux/blk-integrity.h>
#include <linux/blk-mq.h>
#include <linux/highmem.h>
#include <linux/nvme.h>
#include <linux/slab.h>

#include "backend.h"
#include "compat.h"
#include "meta.h"
#include "nvme.h"
#include "pi.h"

/* One block's protection information, whichever its format. */
struct zcblk_pi_tags {
	u64 guard;
	u64 ref;
	u16 app;
};

static void zcblk_pi_get(const struct zcblk_config *cfg, const u8 *pi,
			 struct zcblk_pi_tags *t)
{
	if (zcblk_pi_guard64(cfg)) {
		t->guard = get_unaligned_be64(pi);
		t->app = get_unaligned_be16(pi + 8);
		t->ref = get_unaligned_be48(pi + 10);
	} else {
		t->guard = get_unaligned_be16(pi);
		t->app = get_unaligned_be16(pi + 2);
		t->ref = get_unaligned_be32(pi + 4);
	}
}

static void zcblk_pi_put(const struct zcblk_config *cfg, u8 *pi,
			 const struct zcblk_pi_tags *t)
{
	if (zcblk_pi_guard64(cfg)) {
		put_unaligned_be64(t->guard, pi);
		put_unaligned_be16(t->app, pi + 8);
		put_unaligned_be48(t->ref, pi + 10);
	} else {
		put_unaligned_be16(t->guard, pi);
		put_unaligned_be16(t->app, pi + 2);
		put_unaligned_be32(t->ref, pi + 4);
	}
}

/*
 * The command's initial logical block reference tag: CDW14, and with the
 * 64-bit guard bits 47:32 from CDW3 bits 15:0 (no storage tag: STS is 0).
 */
static u64 zcblk_pi_ilbrt(const struct zcblk_dev *dev,
			  const struct zcblk_nvme_cmd *nc)
{
	u64 ref = nc->cdw14;

	if (zcblk_pi_guard64(&dev->cfg))
		ref |= (u64)(nc->cdw3 & 0xffff) << 32;
	return ref;
}

/* A walk over a request's data buffer, front to back. */
struct zcblk_dcur {
	struct bio *bio;
	struct bvec_iter it;
};

static void zcblk_dcur_init(struct zcblk_dcur *c, struct request *rq)
{
	c->bio = rq->bio;
	if (c->bio)
		c->it = c->bio->bi_iter;
}

/*
 * Takes the next @len bytes: into the guard @crc if @cfg, into @dst if not
 * NULL. Returns the guard.
 */
static u64 zcblk_dcur_take(struct zcblk_dcur *c, u32 len, u64 crc,
			   const struct zcblk_config *cfg, u8 *dst)
{
	while (len && c->bio) {
		struct bio_vec bv;
		u32 n;
		u8 *p;

		if (!c->it.bi_size) {
			c->bio = c->bio->bi_next;
			if (c->bio)
				c->it = c->bio->bi_iter;
			continue;
		}
		bv = bio_iter_iovec(c->bio, c->it);
		n = min(len, bv.bv_len);
		p = bvec_kmap_local(&bv);
		if (cfg)
			crc = zcblk_pi_crc(cfg, crc, p, n);
		if (dst) {
			memcpy(dst, p, n);
			dst += n;
		}
		kunmap_local(p);
		bio_advance_iter_single(c->bio, &c->it, n);
		len -= n;
	}
	return crc;
}

/* Moves @len bytes between @buf and the command's metadata pages. */
static void zcblk_pi_md_copy(const struct bio_vec *bv, unsigned int nr,
			     u8 *buf, u32 len, bool to_pages)
{
	unsigned int i;

	for (i = 0; i < nr && len; i++) {
		u32 n = min(len, bv[i].bv_len);
		u8 *p = kmap_local_page(bv[i].bv_page);

		if (to_pages)
			memcpy(p + bv[i].bv_offset, buf, n);
		else
			memcpy(buf, p + bv[i].bv_offset, n);
		kunmap_local(p);
		buf += n;
		len -= n;
	}
}

/*
 * Does the host move the command's metadata? A passthrough command in its
 * separate buffer, unless PRACT strips PI-only metadata; a block request
 * when the block layer attached its PI (integrity/write_generate and
 * read_verify on; PRACT otherwise, see zcblk_pi_disk_rw()).
 */
static bool zcblk_pi_host_md(struct zcblk_dev *dev, struct request *rq,
			     u32 cdw12)
{
	if (!blk_rq_is_passthrough(rq))
		return blk_integrity_rq(rq);
	return zcblk_md_separate(dev) && !zcblk_pi_strips(dev, cdw12);
}

#ifdef CONFIG_BLK_DEV_INTEGRITY
/* Moves @len bytes between @buf and a block request's integrity payload. */
static void zcblk_pi_bip_copy(struct request *rq, u8 *buf, u32 len,
			      bool to_host)
{
	struct bio *bio = rq->bio;
	struct bvec_iter it;
	struct bio_vec bv;

	/* Every bio of the request, from the first on */
	bio_for_each_integrity_vec(bv, bio, it) {
		u32 n = min(len, bv.bv_len);

		zcblk_pi_md_copy(&bv, 1, buf, n, to_host);
		buf += n;
		len -= n;
	}
}
#else
/* Without integrity support no block request carries PI. */
static void zcblk_pi_bip_copy(struct request *rq, u8 *buf, u32 len,
			      bool to_host)
{
}
#endif

/* Moves @len bytes between @buf and the host's metadata of @rq. */
static void zcblk_pi_host_copy(struct request *rq, u8 *buf, u32 len,
			       bool to_host)
{
	struct zcblk_pdu *cmd = blk_mq_rq_to_pdu(rq);

	if (blk_rq_is_passthrough(rq))
		zcblk_pi_md_copy(cmd->md_bvecs, cmd->md_nr, buf, len, to_host);
	else
		zcblk_pi_bip_copy(rq, buf, len, to_host);
}

/*
 * One block's checks of its PI at @pi, as PRCHK asks: none for an
 * application tag of FFFFh (types 1 and 2) or with a reference tag of all
 * ones too (type 3).
 */
static int zcblk_pi_check(const struct zcblk_config *cfg, const u8 *pi,
			  u64 guard, u64 ref, u32 cdw12, u32 cdw15)
{
	u16 lbat = cdw15 & 0xffff, lbatm = cdw15 >> 16;
	u64 mask = zcblk_pi_ref_mask(cfg);
	struct zcblk_pi_tags t;

	zcblk_pi_get(cfg, pi, &t);
	if (t.app == 0xffff && (cfg->pi_type != 3 || t.ref == mask))
		return 0;
	if ((cdw12 & ZCBLK_PRCHK_GUARD) && t.guard != guard)
		return ZCBLK_STATUS(NVME_SC_GUARD_CHECK);
	if ((cdw12 & ZCBLK_PRCHK_APP) && ((t.app ^ lbat) & lbatm))
		return ZCBLK_STATUS(NVME_SC_APPTAG_CHECK);
	if ((cdw12 & ZCBLK_PRCHK_REF) && t.ref != (ref & mask))
		return ZCBLK_STATUS(NVME_SC_REFTAG_CHECK);
	return 0;
}

/*
 * Walks the command's blocks: the guard of each block's data (and of the
 * metadata before the PI, when the PI is last), for a Write taking the
 * metadata an extended buffer carries, inserting PI for PRACT, checking
 * what PRCHK asks. The first failing block's status, or 0.
 */
static int zcblk_pi_walk(struct zcblk_dev *dev, struct request *rq,
			 const struct zcblk_io *io, u32 nlb, u8 *md,
			 bool write)
{
	const struct zcblk_nvme_cmd *nc = &((struct zcblk_pdu *)
					    blk_mq_rq_to_pdu(rq))->nc;
	const struct zcblk_config *cfg = &dev->cfg;
	u32 bs = cfg->block_size, ms = cfg->metadata_size;
	u32 off = zcblk_pi_offset(cfg);
	u64 ref = zcblk_pi_ilbrt(dev, nc);
	struct zcblk_dcur c;
	u32 i;

	zcblk_dcur_init(&c, rq);
	for (i = 0; i < nlb; i++, md += ms) {
		u64 guard = zcblk_dcur_take(&c, bs, 0, cfg, NULL);
		int status;

		if (io->md_ext)
			zcblk_dcur_take(&c, ms, 0, NULL, write ? md : NULL);
		guard = zcblk_pi_crc(cfg, guard, md, off);
		if (write && (nc->cdw12 & ZCBLK_PRACT)) {
			struct zcblk_pi_tags t = {
				.guard = guard,
				.app = nc->cdw15 & 0xffff,
				.ref = ref & zcblk_pi_ref_mask(cfg),
			};

			zcblk_pi_put(cfg, md + off, &t);
		}
		status = zcblk_pi_check(cfg, md + off, guard, ref, nc->cdw12,
					nc->cdw15);
		if (status)
			return status;
		if (cfg->pi_type != 3)
			ref++;
	}
	return 0;
}

/* Type 1 with the reference tag check: ILBRT is the SLBA's low bits. */
static bool zcblk_pi_ilbrt_ok(struct zcblk_dev *dev,
			      const struct zcblk_nvme_cmd *nc, u64 slba)
{
	return zcblk_pi_type(dev) != 1 || !(nc->cdw12 & ZCBLK_PRCHK_REF) ||
	       zcblk_pi_ilbrt(dev, nc) == (slba & zcblk_pi_ref_mask(&dev->cfg));
}

/* Reads block @lba's data and metadata into @buf; 0 or an NVMe status. */
static int zcblk_pi_read_block(struct zcblk_dev *dev, u64 lba, u8 *buf)
{
	u32 bs = dev->cfg.block_size, ms = dev->cfg.metadata_size;

	if (dev->ops->data_rw(dev, false, lba * bs, buf, bs) ||
	    dev->ops->data_rw(dev, false, zcblk_md_pos(dev, lba), buf + bs,
			      ms)) {
		zcblk_stat_inc(dev, errors);
		return ZCBLK_STATUS_INTERNAL;
	}
	return 0;
}

/* The guard of a block read by zcblk_pi_read_block(), and its PI. */
static u64 zcblk_pi_block_guard(struct zcblk_dev *dev, u8 *buf, u8 **pi)
{
	const struct zcblk_config *cfg = &dev->cfg;
	u32 bs = cfg->block_size, off = zcblk_pi_offset(cfg);

	*pi = buf + bs + off;
	return zcblk_pi_crc(cfg, zcblk_pi_crc(cfg, 0, buf, bs), buf + bs, off);
}

/* What zcblk_pi_each() does to one block: 0 or an NVMe status. */
struct zcblk_pi_step {
	int (*fn)(struct zcblk_dev *dev, const struct zcblk_pi_step *step,
		  u64 lba, u32 i, u8 *buf, u8 *pi, u64 guard);
	const struct zcblk_pi_expect *want;	/* scan: what to check */
	unsigned int n;
	u64 ref;				/* generate: the tags */
	u16 app;
};

/*
 * Reads each stored block's data and metadata, block by block, computes
 * its guard and hands it to @step: the first failing status, or 0.
 */
static int zcblk_pi_each(struct zcblk_dev *dev, u64 slba, u32 nlb,
			 const struct zcblk_pi_step *step)
{
	u32 bs = dev->cfg.block_size, ms = dev->cfg.metadata_size, i;
	int status = 0;
	u8 *buf;

	buf = kmalloc(bs + ms, GFP_NOIO);
	if (!buf)
		return ZCBLK_STATUS_INTERNAL;
	for (i = 0; i < nlb && !status; i++) {
		u64 guard;
		u8 *pi;

		status = zcblk_pi_read_block(dev, slba + i, buf);
		if (status)
			break;
		guard = zcblk_pi_block_guard(dev, buf, &pi);
		status = step->fn(dev, step, slba + i, i, buf, pi, guard);
		cond_resched();		/* up to 65536 blocks of CRC */
	}
	kfree(buf);
	return status;
}

static int zcblk_pi_scan_one(struct zcblk_dev *dev,
			     const struct zcblk_pi_step *step, u64 lba, u32 i,
			     u8 *buf, u8 *pi, u64 guard)
{
	u32 type = zcblk_pi_type(dev);
	int status = 0;
	unsigned int k;

	for (k = 0; k < step->n && !status; k++)
		status = zcblk_pi_check(&dev->cfg, pi, guard,
					step->want[k].ref + (type != 3 ? i : 0),
					step->want[k].prinfo,
					step->want[k].tags);
	return status;
}

/**
 * zcblk_pi_scan() - check stored protection information
 * @dev: a disk with protection information and a backend with data_rw
 * @slba: the first block
 * @nlb: the blocks
 * @want: what to check each block's against, from the first block on
 * @n: how many expectations (Copy checks a block for its source and for
 *     its target)
 *
 * Each block's data and metadata are read from the backend, block by
 * block, and checked as a Read's would be.
 *
 * Context: process context (the backend's data_rw sleeps).
 * Return: 0, or the first failing block's status.
 */
int zcblk_pi_scan(struct zcblk_dev *dev, u64 slba, u32 nlb,
		  const struct zcblk_pi_expect *want, unsigned int n)
{
	const struct zcblk_pi_step step = {
		.fn = zcblk_pi_scan_one, .want = want, .n = n,
	};
	unsigned int k;

	for (k = 0; k < n && !(want[k].prinfo & ZCBLK_PRCHK); k++)
		;
	if (k == n)
		return 0;		/* nothing asked */
	return zcblk_pi_each(dev, slba, nlb, &step);
}

/**
 * zcblk_pi_verify() - check the stored protection information of a command
 * @dev: a disk with protection information and a backend with data_rw
 * @nc: the command: Verify, or Compare before it compares
 * @slba: its first block
 * @nlb: its blocks
 *
 * Context: process context (the backend's data_rw sleeps).
 * Return: 0, or the first failing block's status.
 */
int zcblk_pi_verify(struct zcblk_dev *dev, const struct zcblk_nvme_cmd *nc,
		    u64 slba, u32 nlb)
{
	struct zcblk_pi_expect want = {
		.prinfo = nc->cdw12 & ZCBLK_PRINFO,
		.ref = zcblk_pi_ilbrt(dev, nc),
		.tags = nc->cdw15,
	};

	if (!zcblk_pi_ilbrt_ok(dev, nc, slba))
		return ZCBLK_STATUS(NVME_SC_INVALID_PI);
	return zcblk_pi_scan(dev, slba, nlb, &want, 1);
}

static int zcblk_pi_generate_one(struct zcblk_dev *dev,
				 const struct zcblk_pi_step *step, u64 lba,
				 u32 i, u8 *buf, u8 *pi, u64 guard)
{
	struct zcblk_pi_tags t = {
		.guard = guard,
		.app = step->app,
		.ref = (step->ref + (zcblk_pi_type(dev) != 3 ? i : 0)) &
		       zcblk_pi_ref_mask(&dev->cfg),
	};

	zcblk_pi_put(&dev->cfg, pi, &t);
	if (dev->ops->data_rw(dev, true, zcblk_md_pos(dev, lba),
			      buf + dev->cfg.block_size,
			      dev->cfg.metadata_size)) {
		zcblk_stat_inc(dev, errors);
		return ZCBLK_STATUS_INTERNAL;
	}
	return 0;
}

/**
 * zcblk_pi_generate() - write new protection information for stored blocks
 * @dev: a disk with protection information and a backend with data_rw
 * @slba: the first block
 * @nlb: the blocks
 * @ref: the first block's reference tag (type 3: every block's)
 * @app: the application tag
 *
 * What PRACT does on a Write, for blocks already stored: Copy's target.
 *
 * Context: process context (the backend's data_rw sleeps).
 * Return: 0, or an NVMe status.
 */
int zcblk_pi_generate(struct zcblk_dev *dev, u64 slba, u32 nlb, u64 ref,
		      u16 app)
{
	const struct zcblk_pi_step step = {
		.fn = zcblk_pi_generate_one, .ref = ref, .app = app,
	};

	return zcblk_pi_each(dev, slba, nlb, &step);
}

/**
 * zcblk_pi_zeroes() - PRACT on Write Zeroes: the zeroed blocks' PI
 * @dev: a disk with protection information and a backend with data_rw
 * @nc: the command, its blocks zeroed
 * @slba: its first block
 * @nlb: its blocks
 *
 * The guard over zeros, LBAT, and reference tags from ILBRT, as a Write
 * with PRACT makes them (QEMU does the same).
 *
 * Context: process context (the backend's data_rw sleeps).
 * Return: 0, or an NVMe status.
 */
int zcblk_pi_zeroes(struct zcblk_dev *dev, const struct zcblk_nvme_cmd *nc,
		    u64 slba, u32 nlb)
{
	return zcblk_pi_generate(dev, slba, nlb, zcblk_pi_ilbrt(dev, nc),
				 nc->cdw15 & 0xffff);
}

/**
 * zcblk_pi_prepare() - protection information before a Read or Write runs
 * @dev: a disk with protection information
 * @rq: the command's request
 * @io: the backend operation, which then moves the metadata from (Write) or
 *      into (Read) @pb's copy
 * @slba: the command's first block
 * @nlb: its blocks
 * @pb: the metadata copy, freed by zcblk_pi_finish()
 *
 * A Write's metadata is taken from the user's (none with a stripping
 * PRACT), PI inserted and checked before anything is stored.
 *
 * Context: as zcblk_nvme_execute(); allocates without sleeping when
 * zcblk_rq_nowait().
 * Return: 0, an NVMe status (nothing allocated then) or ZCBLK_STATUS_DEFER.
 */
int zcblk_pi_prepare(struct zcblk_dev *dev, struct request *rq,
		     struct zcblk_io *io, u64 slba, u32 nlb,
		     struct zcblk_pi_buf *pb)
{
	const struct zcblk_nvme_cmd *nc = &((struct zcblk_pdu *)
					    blk_mq_rq_to_pdu(rq))->nc;
	bool strip = zcblk_pi_strips(dev, nc->cdw12);
	bool write = io->op == ZCBLK_IO_WRITE;
	u32 len = nlb * dev->cfg.metadata_size, done;
	unsigned int i;
	int status;

	if (!zcblk_pi_ilbrt_ok(dev, nc, slba))
		return ZCBLK_STATUS(NVME_SC_INVALID_PI);
	/* A failed nowait try is deferred, not a failure worth a warning */
	pb->md = kmalloc(len, zcblk_rq_nowait(rq) ?
			 GFP_NOWAIT | __GFP_NOWARN : GFP_NOIO);
	if (!pb->md)
		return zcblk_rq_nowait(rq) ? ZCBLK_STATUS_DEFER :
					     ZCBLK_STATUS_INTERNAL;
	io->md_ext = zcblk_md_extended(dev) && !strip;
	if (write) {
		if (zcblk_pi_host_md(dev, rq, nc->cdw12))
			zcblk_pi_host_copy(rq, pb->md, len, false);
		else
			memset(pb->md, 0, len);
		status = zcblk_pi_walk(dev, rq, io, nlb, pb->md, true);
		if (status) {
			kfree(pb->md);
			return status;
		}
	}
	/* The backend's metadata side: the copy, page by page. */
	for (i = 0, done = 0; done < len; i++) {
		u8 *p = (u8 *)pb->md + done;
		u32 n = min_t(u32, len - done, PAGE_SIZE - offset_in_page(p));

		pb->bv[i] = (struct bio_vec){
			.bv_page = virt_to_page(p),
			.bv_len = n,
			.bv_offset = offset_in_page(p),
		};
		done += n;
	}
	io->md_bvecs = pb->bv;
	io->md_nr = i;
	return 0;
}

/**
 * zcblk_pi_finish() - protection information after a Read or Write ran
 * @dev: the disk
 * @rq: the command's request
 * @io: the backend operation, as zcblk_pi_prepare() set it
 * @nlb: the command's blocks
 * @pb: the metadata copy, freed here
 * @status: the backend's outcome (0, an NVMe status or a non-status)
 *
 * A Read that succeeded hands the user its separate metadata (none when
 * PRACT strips it) and checks what PRCHK asks.
 *
 * Return: @status, or the first failing block's check status.
 */
int zcblk_pi_finish(struct zcblk_dev *dev, struct request *rq,
		    struct zcblk_io *io, u32 nlb, struct zcblk_pi_buf *pb,
		    int status)
{
	struct zcblk_pdu *cmd = blk_mq_rq_to_pdu(rq);

	if (!status && io->op == ZCBLK_IO_READ) {
		if (zcblk_pi_host_md(dev, rq, cmd->nc.cdw12))
			zcblk_pi_host_copy(rq, pb->md,
					   nlb * dev->cfg.metadata_size, true);
		status = zcblk_pi_walk(dev, rq, io, nlb, pb->md, false);
	}
	kfree(pb->md);
	return status;
}

/**
 * zcblk_pi_disk_rw() - a block device Read or Write on a disk with PI
 * @dev: a disk with protection information and an integrity profile
 * @rq: the block request
 * @io: its backend operation
 *
 * The controller's side of what the NVMe driver asks of a namespace with
 * PI: the guard checked, and for types 1 and 2 the reference tags from the
 * LBA's low 32 bits on (the block layer remapped them so), for type 3
 * ILBRT 0 as the driver leaves it; PRACT where the
 * block layer attached no PI (its integrity/write_generate or read_verify
 * turned off), so that the PI is made on a write and checked on a read.
 * The mem backend, the only one with PI, completes synchronously.
 *
 * Context: as zcblk_disk_submit().
 * Return: DONE with @io->sts (BLK_STS_PROTECTION for a failed check), or
 * DEFER.
 */
enum zcblk_submit zcblk_pi_disk_rw(struct zcblk_dev *dev, struct request *rq,
				   struct zcblk_io *io)
{
	struct zcblk_nvme_cmd *nc = &((struct zcblk_pdu *)
				      blk_mq_rq_to_pdu(rq))->nc;
	u32 shift = ilog2(dev->cfg.block_size);
	u64 slba = io->pos >> shift;
	u32 nlb = io->len >> shift;
	struct zcblk_pi_buf pb;
	enum zcblk_submit ret;
	int status;

	nc->cdw12 = ZCBLK_PRCHK_GUARD |
		    (zcblk_pi_type(dev) != 3 ? ZCBLK_PRCHK_REF : 0) |
		    (blk_integrity_rq(rq) ? 0 : ZCBLK_PRACT);
	/* Type 3's reference tag is the host's: the block layer's is 0. */
	nc->cdw14 = zcblk_pi_type(dev) != 3 ? lower_32_bits(slba) : 0;
	nc->cdw3 = zcblk_pi_type(dev) != 3 ? upper_32_bits(slba) & 0xffff : 0;
	nc->cdw15 = 0;
	status = zcblk_pi_prepare(dev, rq, io, slba, nlb, &pb);
	if (status == ZCBLK_STATUS_DEFER)
		return ZCBLK_SUBMIT_DEFER;
	if (status) {
		io->sts = zcblk_nvme_to_blk_status(status);
		return ZCBLK_SUBMIT_DONE;
	}
	ret = zcblk_disk_submit(dev, io);
	if (ret != ZCBLK_SUBMIT_DONE || io->sts) {
		kfree(pb.md);
		return ret;
	}
	status = zcblk_pi_finish(dev, rq, io, nlb, &pb, 0);
	io->sts = zcblk_nvme_to_blk_status(status);
	return ZCBLK_SUBMIT_DONE;
}
