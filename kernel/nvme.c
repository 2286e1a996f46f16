// SPDX-License-Identifier: GPL-2.0
/*
 * The NVMe side of the passthrough char device: host-side validation of a
 * command (errno), then its execution from queue_rq as a one-namespace
 * controller would (NVMe status): the NVM command set here, the admin
 * commands in nvme_admin.c, the zoned ones in zns.c.
 */
#include <linux/capability.h>
#include <linux/highmem.h>
#include <linux/nvme.h>
#include <linux/slab.h>

#include "backend.h"
#include "compat.h"
#include "copy.h"
#include "fdp.h"
#include "dev.h"
#include "media.h"
#include "meta.h"
#include "pi.h"
#include "nvme.h"
#include "zns.h"

/* cdw12 of Read, Write, Compare: NLB, LR and FUA; PRINFO with PI (pi.h) */
#define ZCBLK_RW_CDW12_OK	(0xffff | BIT(30) | BIT(31))
#define ZCBLK_RW_FUA		BIT(30)
#define ZCBLK_WZ_CDW12_OK	(ZCBLK_RW_CDW12_OK | BIT(25))
#define ZCBLK_WZ_DEAC		BIT(25)
#define ZCBLK_DSM_CDW11_OK	(BIT(0) | BIT(1) | BIT(2))
#define ZCBLK_DSM_AD		BIT(2)

static bool zcblk_is_write_class(u8 opcode)
{
	switch (opcode) {
	case nvme_cmd_write:
	case nvme_cmd_write_uncor:
	case nvme_cmd_write_zeroes:
	case nvme_cmd_dsm:
	case ZCBLK_CMD_COPY:
		return true;
	default:
		/* Unknown ones by their data direction, as upstream does. */
		return opcode & 1;
	}
}

/**
 * zcblk_nvme_prep() - host-side checks of a passthrough command
 * @dev: the disk
 * @nc: the command, read once
 * @data: set to the data's direction, its length (ZCBLK_ANY_LEN: not set by
 *        the command) and whether it reaches the media
 *
 * Before anything is allocated: what the kernel would refuse with an errno
 * rather than send to a controller.
 *
 * Context: any context.
 * Return: 0, or -EINVAL for an I/O command to another namespace.
 */
int zcblk_nvme_prep(struct zcblk_dev *dev, const struct zcblk_nvme_cmd *nc,
		    struct zcblk_nvme_data *data)
{
	u32 nlb = (nc->cdw12 & 0xffff) + 1;

	data->to_dev = nc->opcode & 1;
	data->bytes = ZCBLK_ANY_LEN;
	data->media = false;
	data->md_bytes = 0;

	if (nc->admin) {
		switch (nc->opcode) {
		case nvme_admin_identify:
			data->bytes = ZCBLK_IDENT_LEN;
			break;
		case nvme_admin_get_log_page:
			data->bytes = (((u64)(nc->cdw11 & 0xffff) << 16 |
					nc->cdw10 >> 16) + 1) * 4;
			break;
		}
		return 0;
	}

	if (nc->nsid != ZCBLK_NSID)
		return -EINVAL;
	switch (nc->opcode) {
	case nvme_cmd_read:
	case nvme_cmd_write:
	case nvme_cmd_compare:
	case nvme_cmd_zone_append:
		/* PRACT on PI-only metadata: the host moves none (pi.h) */
		if (!zcblk_md_size(dev) ||
		    zcblk_pi_strips(dev, nc->cdw12)) {
			data->bytes = (u64)nlb << zcblk_lba_shift(dev);
		} else {
			data->bytes = zcblk_md_data_bytes(dev, nlb);
			if (zcblk_md_separate(dev))
				data->md_bytes = nlb * zcblk_md_size(dev);
		}
		data->media = true;
		break;
	case nvme_cmd_zone_mgmt_recv:
		data->bytes = ((u64)nc->cdw12 + 1) * 4;
		break;
	case nvme_cmd_zone_mgmt_send:	/* no zone descriptor extensions */
	case nvme_cmd_verify:
	case nvme_cmd_flush:
	case nvme_cmd_write_uncor:
	case nvme_cmd_write_zeroes:
		data->bytes = 0;
		break;
	case nvme_cmd_dsm:
		data->bytes = ((nc->cdw10 & 0xff) + 1) *
			      sizeof(struct nvme_dsm_range);
		break;
	case ZCBLK_CMD_COPY:	/* NR source range entries of 32 bytes */
		data->bytes = ((nc->cdw12 & 0xff) + 1) * 32;
		break;
	case ZCBLK_CMD_IO_MGMT_RECV:	/* NUMD, 0's based */
		data->bytes = ((u64)nc->cdw11 + 1) * 4;
		break;
	case ZCBLK_CMD_IO_MGMT_SEND:	/* Update: NPID identifiers */
		data->bytes = (nc->cdw10 & 0xff) == 1 ?
			      ((nc->cdw10 >> 16) + 1) * 2 : 0;
		break;
	}
	return 0;
}

/**
 * zcblk_nvme_access() - check the caller may send a command on its file
 * @nc: the command
 * @mode: the file's open mode
 *
 * CAP_SYS_ADMIN may do anything whatever the open mode (nvme-cli opens
 * O_RDONLY to write); others need the fd opened for what the command does.
 *
 * Context: process context: capable() checks the current task's credentials.
 * Return: 0, or -EACCES.
 */
int zcblk_nvme_access(const struct zcblk_nvme_cmd *nc, fmode_t mode)
{
	fmode_t need = FMODE_READ;

	/*
	 * Set Features changes the disk (its write cache, wcache.c), Format
	 * NVM erases it.
	 */
	if (nc->admin ? nc->opcode == nvme_admin_set_features ||
			nc->opcode == nvme_admin_format_nvm :
			zcblk_is_write_class(nc->opcode))
		need = FMODE_WRITE;
	if ((mode & need) || capable(CAP_SYS_ADMIN))
		return 0;
	return -EACCES;
}

/**
 * zcblk_rq_fill() - fill a command's data buffer
 * @rq: the command's request
 * @buf: what goes first, or NULL
 * @len: its length; the rest of the buffer is zeroed
 *
 * Context: any context: the pages are pinned, kmap_local() maps them.
 */
void zcblk_rq_fill(struct request *rq, const void *buf, size_t len)
{
	struct req_iterator iter;
	struct bio_vec bv;
	size_t pos = 0;

	rq_for_each_segment(bv, rq, iter) {
		char *p = bvec_kmap_local(&bv);
		size_t n = pos < len ? min_t(size_t, len - pos, bv.bv_len) : 0;

		if (n)
			memcpy(p, buf + pos, n);
		memset(p + n, 0, bv.bv_len - n);
		kunmap_local(p);
		pos += bv.bv_len;
	}
}

/* Copies @len bytes between the data buffer at @off and @buf. */
static void zcblk_rq_copy(struct request *rq, u64 off, void *buf, size_t len,
			  bool to_rq)
{
	struct req_iterator iter;
	struct bio_vec bv;
	u64 pos = 0;

	rq_for_each_segment(bv, rq, iter) {
		if (pos >= off + len)
			break;
		if (pos + bv.bv_len > off) {
			u64 start = max(pos, off);
			size_t n = min_t(u64, pos + bv.bv_len, off + len) -
				   start;
			char *p = bvec_kmap_local(&bv);

			if (to_rq)
				memcpy(p + (start - pos), buf + (start - off), n);
			else
				memcpy(buf + (start - off), p + (start - pos), n);
			kunmap_local(p);
		}
		pos += bv.bv_len;
	}
}

/**
 * zcblk_rq_copy_from() - copy from a command's data buffer
 * @rq: the command's request
 * @off: where in its data buffer
 * @buf: where to
 * @len: how many bytes, inside the data buffer
 *
 * Context: any context.
 */
void zcblk_rq_copy_from(struct request *rq, u64 off, void *buf, size_t len)
{
	zcblk_rq_copy(rq, off, buf, len, false);
}

/**
 * zcblk_rq_copy_to() - copy into a command's data buffer
 * @rq: the command's request
 * @off: where in its data buffer
 * @buf: what to copy
 * @len: how many bytes, inside the data buffer
 *
 * Context: any context.
 */
void zcblk_rq_copy_to(struct request *rq, u64 off, const void *buf,
		      size_t len)
{
	zcblk_rq_copy(rq, off, (void *)buf, len, true);
}

/* Inline on the short path of Reads and Writes (zcblk_nvme_io()). */
static __always_inline int __zcblk_nvme_submit(struct zcblk_dev *dev,
					       struct zcblk_io *io)
{
	switch (zcblk_disk_submit(dev, io)) {
	case ZCBLK_SUBMIT_QUEUED:
		return ZCBLK_STATUS_QUEUED;
	case ZCBLK_SUBMIT_DEFER:
		return ZCBLK_STATUS_DEFER;
	case ZCBLK_SUBMIT_DONE:
		break;
	}
	if (likely(!io->sts))
		return io->miscompare ? ZCBLK_STATUS_COMPARE : 0;
	if (io->sts == BLK_STS_MEDIUM)		/* media.c */
		return ZCBLK_STATUS(io->write_fault ? NVME_SC_WRITE_FAULT :
				    NVME_SC_READ_ERROR);
	if (io->sts == BLK_STS_OFFLINE)		/* power cut: wcache.c */
		return NVME_SC_NS_NOT_READY;	/* retryable: no DNR */
	zcblk_stat_inc(dev, errors);
	return ZCBLK_STATUS_INTERNAL;
}

/**
 * zcblk_nvme_submit() - hand a command's backend operation to the disk
 * @dev: the disk
 * @io: the operation
 *
 * Context: as zcblk_disk_submit().
 * Return: its NVMe status, or ZCBLK_STATUS_QUEUED or ZCBLK_STATUS_DEFER.
 */
int zcblk_nvme_submit(struct zcblk_dev *dev, struct zcblk_io *io)
{
	return __zcblk_nvme_submit(dev, io);
}

/*
 * A write's placement (fdp.c) is counted once, when it ran (a deferred one
 * runs again), from a copy of its fields: once queued, the command may
 * complete, and its request be reused, before submit returns.
 */
static int zcblk_fdp_submit(struct zcblk_dev *dev, struct zcblk_io *io,
			    const struct zcblk_pdu *cmd, u64 nlb)
{
	bool placed = zcblk_fdp(dev) && (io->op == ZCBLK_IO_WRITE ||
					 io->op == ZCBLK_IO_WRITE_ZEROES);
	/*
	 * A backend that completes later (file) may complete before submit
	 * returns: account first, or a host reading RUAMW after its
	 * completion could see the write not counted. It defers only a
	 * command it could not start, which runs again: counted on the
	 * first pass only. A write it fails counts, as a drive's failed
	 * write may have used the space.
	 */
	bool early = placed && dev->ops->deferred;
	u32 cdw12 = cmd->nc.cdw12, cdw13 = cmd->nc.cdw13;
	int status;

	if (early && !cmd->deferred)
		zcblk_fdp_write(dev, cdw12, cdw13, nlb);
	status = zcblk_nvme_submit(dev, io);
	if (placed && !early && (status == 0 || status == ZCBLK_STATUS_QUEUED))
		zcblk_fdp_write(dev, cdw12, cdw13, nlb);
	return status;
}

/*
 * The range list is copied out of the user's buffer once, then checked
 * and executed from the copy: the buffer is user memory that another
 * thread may rewrite between the check and the use.
 */
static int zcblk_nvme_dsm(struct zcblk_dev *dev, struct request *rq,
			  const struct zcblk_nvme_cmd *nc)
{
	unsigned int nr = (nc->cdw10 & 0xff) + 1, i;
	u32 shift = zcblk_lba_shift(dev);
	bool nowait = zcblk_rq_nowait(rq);
	struct nvme_dsm_range *ranges;
	int status = 0;

	if ((nc->cdw10 & ~0xffU) || (nc->cdw11 & ~ZCBLK_DSM_CDW11_OK) ||
	    nc->cdw12 || nc->cdw13 || nc->cdw14 || nc->cdw15)
		return ZCBLK_STATUS_FIELD;
	/* Power cut (wcache.c): fails as every media command does */
	if (zcblk_power_off(dev))
		return NVME_SC_NS_NOT_READY;
	if (!(nc->cdw11 & ZCBLK_DSM_AD))
		return 0;	/* only hints: nothing to do */

	ranges = kmalloc_array(nr, sizeof(*ranges),
			       nowait ? GFP_NOWAIT | __GFP_NOWARN : GFP_NOIO);
	if (!ranges)
		return nowait ? ZCBLK_STATUS_DEFER : ZCBLK_STATUS_INTERNAL;
	zcblk_rq_copy_from(rq, 0, ranges, nr * sizeof(*ranges));

	/* Check every range before deallocating any. */
	for (i = 0; i < nr; i++) {
		if (ranges[i].nlb &&
		    !zcblk_lba_ok(dev, le64_to_cpu(ranges[i].slba),
				  le32_to_cpu(ranges[i].nlb))) {
			status = ZCBLK_STATUS_LBA_RANGE;
			goto out_free;
		}
	}
	for (i = 0; i < nr && !status; i++) {
		struct zcblk_io io = {
			.op = ZCBLK_IO_DISCARD,
			.pos = le64_to_cpu(ranges[i].slba) << shift,
			.len = (u64)le32_to_cpu(ranges[i].nlb) << shift,
			.nowait = nowait,
		};

		if (io.len)
			status = zcblk_nvme_submit(dev, &io);
	}
out_free:
	kfree(ranges);
	return status;
}

/*
 * The checks every Read, Write and Write Zeroes passes, in the order a
 * drive reports them: fields set that the command's features do not
 * define, a write to a read-only disk, blocks past the end.
 */
static inline int zcblk_nvme_rw_check(struct zcblk_dev *dev,
				      const struct zcblk_nvme_cmd *nc,
				      u32 cdw3_ok, u32 cdw12_ok, u32 cdw13_ok,
				      bool write, u64 slba, u64 nlb)
{
	if (nc->cdw2 || (nc->cdw3 & ~cdw3_ok) || (nc->cdw12 & ~cdw12_ok) ||
	    (nc->cdw13 & ~cdw13_ok))
		return ZCBLK_STATUS_FIELD;
	if (write && (dev->cfg.flags & ZCBLK_DEV_F_READ_ONLY))
		return ZCBLK_STATUS_WRITE_PROT;
	if (!zcblk_lba_ok(dev, slba, nlb))
		return ZCBLK_STATUS_LBA_RANGE;
	return 0;
}

/*
 * A disk whose Reads and Writes have no more to them than their data and
 * metadata: no protection information, placement or zones.
 */
static bool zcblk_nvme_plain(struct zcblk_dev *dev)
{
	return !dev->cfg.pi_type && !zcblk_fdp(dev) && !zcblk_zoned(dev);
}

/*
 * Verify: the blocks read without moving data, then (PRCHK) their
 * protection information checked. FUA first makes what the volatile
 * cache holds durable: all of it, a flush, more than the range asks.
 */
static int zcblk_nvme_verify(struct zcblk_dev *dev, struct request *rq,
			     struct zcblk_io *io, u64 slba, u32 nlb)
{
	const struct zcblk_nvme_cmd *nc = &((struct zcblk_pdu *)
					    blk_mq_rq_to_pdu(rq))->nc;
	bool pi = zcblk_pi_type(dev) && (nc->cdw12 & ZCBLK_PRCHK);
	bool flush = io->fua && dev->wc.size;
	int status;

	/* Both sleep: again from the disk's workqueue. */
	if ((pi || flush) && io->nowait)
		return ZCBLK_STATUS_DEFER;
	if (flush) {
		struct zcblk_io f = { .op = ZCBLK_IO_FLUSH };

		status = zcblk_nvme_submit(dev, &f);
		if (status)
			return status;
	}
	io->fua = false;
	status = zcblk_nvme_submit(dev, io);
	if (status || !pi)
		return status;
	return zcblk_pi_verify(dev, nc, slba, nlb);
}

/* Inline in its one caller: a call less for every I/O command. */
static __always_inline int zcblk_nvme_io(struct zcblk_dev *dev,
					 struct request *rq,
					 struct zcblk_pdu *cmd)
{
	const struct zcblk_nvme_cmd *nc = &cmd->nc;
	u64 slba = (u64)nc->cdw11 << 32 | nc->cdw10;
	u64 nlb = (nc->cdw12 & 0xffff) + 1;
	u32 shift = zcblk_lba_shift(dev);
	struct zcblk_io io = {
		.pos = slba << shift,
		.len = nlb << shift,
		.rq = rq,
		.fua = nc->cdw12 & ZCBLK_RW_FUA,
		.nowait = zcblk_rq_nowait(rq),
	};
	bool ro = dev->cfg.flags & ZCBLK_DEV_F_READ_ONLY;
	u32 cdw12_ok = ZCBLK_RW_CDW12_OK, cdw13_ok = 0xff, cdw3_ok = 0;
	int status;

	/*
	 * The commands of nearly every I/O first: on a disk of none of the
	 * features below, their checks would cost each one.
	 */
	if ((nc->opcode == nvme_cmd_read || nc->opcode == nvme_cmd_write) &&
	    zcblk_nvme_plain(dev)) {
		io.op = nc->opcode == nvme_cmd_read ? ZCBLK_IO_READ :
						      ZCBLK_IO_WRITE;
		if (unlikely(zcblk_md_size(dev))) {
			io.md_bvecs = cmd->md_bvecs;
			io.md_nr = cmd->md_nr;
			io.md_ext = zcblk_md_extended(dev);
		}
		status = zcblk_nvme_rw_check(dev, nc, 0, ZCBLK_RW_CDW12_OK,
					     0xff, io.op == ZCBLK_IO_WRITE,
					     slba, nlb);
		return status ?: __zcblk_nvme_submit(dev, &io);
	}

	io.md_bvecs = cmd->md_bvecs;
	io.md_nr = cmd->md_nr;
	io.md_ext = zcblk_md_extended(dev);

	switch (nc->opcode) {
	case nvme_cmd_flush:
		if (nc->cdw2 || nc->cdw3 || nc->cdw10 || nc->cdw11 ||
		    nc->cdw12 || nc->cdw13 || nc->cdw14 || nc->cdw15)
			return ZCBLK_STATUS_FIELD;
		io = (struct zcblk_io){
			.op = ZCBLK_IO_FLUSH, .nowait = io.nowait,
		};
		return zcblk_nvme_submit(dev, &io);
	case nvme_cmd_dsm:
		if (nc->cdw2 || nc->cdw3)
			return ZCBLK_STATUS_FIELD;
		if (ro && (nc->cdw11 & ZCBLK_DSM_AD))
			return ZCBLK_STATUS_WRITE_PROT;
		return zcblk_nvme_dsm(dev, rq, nc);
	case nvme_cmd_read:
		io.op = ZCBLK_IO_READ;
		if (zcblk_pi_type(dev))
			cdw12_ok |= ZCBLK_PRINFO;
		break;
	case nvme_cmd_write:
		io.op = ZCBLK_IO_WRITE;
		if (zcblk_pi_type(dev))
			cdw12_ok |= ZCBLK_PRINFO;
		break;
	case nvme_cmd_compare:
		if (!dev->ops->compare)
			return ZCBLK_STATUS_OPCODE;
		io.op = ZCBLK_IO_COMPARE;
		if (zcblk_pi_type(dev)) {
			cdw12_ok |= ZCBLK_PRINFO;
			/* PRACT on PI-only metadata: the data alone */
			io.md_ext &= !zcblk_pi_strips(dev, nc->cdw12);
		}
		break;
	case nvme_cmd_verify:
		io.op = ZCBLK_IO_VERIFY;
		io.rq = NULL;
		if (zcblk_pi_type(dev))
			cdw12_ok |= ZCBLK_PRINFO;
		break;
	case nvme_cmd_write_uncor:
		/* Zones: a write that would not move the write pointer. */
		if (zcblk_zoned(dev))
			return ZCBLK_STATUS_OPCODE;
		if (nc->cdw2 || nc->cdw3 || (nc->cdw12 & ~0xffffU) ||
		    nc->cdw13 || nc->cdw14 || nc->cdw15)
			return ZCBLK_STATUS_FIELD;
		if (ro)
			return ZCBLK_STATUS_WRITE_PROT;
		if (!zcblk_lba_ok(dev, slba, nlb))
			return ZCBLK_STATUS_LBA_RANGE;
		/* Power cut (wcache.c): no block goes bad meanwhile. */
		if (zcblk_power_off(dev))
			return NVME_SC_NS_NOT_READY;
		return zcblk_media_write_uncor(dev, slba, nlb);
	case nvme_cmd_write_zeroes:
		io.op = ZCBLK_IO_WRITE_ZEROES;
		io.unmap = nc->cdw12 & ZCBLK_WZ_DEAC;
		io.rq = NULL;
		cdw12_ok = ZCBLK_WZ_CDW12_OK |
			   (zcblk_pi_type(dev) ? ZCBLK_PRINFO : 0);
		break;
	case nvme_cmd_zone_append:
		if (!zcblk_zoned(dev))
			return ZCBLK_STATUS_OPCODE;
		io.op = ZCBLK_IO_WRITE;
		break;
	case ZCBLK_CMD_COPY:
		return zcblk_nvme_copy(dev, rq, cmd);
	case ZCBLK_CMD_IO_MGMT_RECV:
	case ZCBLK_CMD_IO_MGMT_SEND:
		return zcblk_fdp_io_mgmt(dev, rq, cmd);
	case nvme_cmd_zone_mgmt_send:
		if (ro && zcblk_zoned(dev))
			return ZCBLK_STATUS_WRITE_PROT;
		fallthrough;
	case nvme_cmd_zone_mgmt_recv:
		return zcblk_zns_cmd(dev, rq, cmd);
	default:
		return ZCBLK_STATUS_OPCODE;
	}
	/*
	 * cdw13 bits 7:0 are access hints, 31:16 a write's placement
	 * identifier (fdp.c); cdw14/15 only matter with PI.
	 */
	if (zcblk_fdp(dev) && (io.op == ZCBLK_IO_WRITE ||
			       io.op == ZCBLK_IO_WRITE_ZEROES)) {
		cdw12_ok |= ZCBLK_DTYPE;
		cdw13_ok |= GENMASK(31, 16);
	}
	/* The 64-bit guard's ILBRT bits 47:32; no storage tag (STS 0) */
	if ((cdw12_ok & ZCBLK_PRINFO) && zcblk_pi_guard64(&dev->cfg))
		cdw3_ok = 0xffff;
	/* Without FDP the masks refuse any directive. */
	if (zcblk_fdp(dev) && zcblk_fdp_directive(dev, nc->cdw12, nc->cdw13))
		return ZCBLK_STATUS_FIELD;
	status = zcblk_nvme_rw_check(dev, nc, cdw3_ok, cdw12_ok, cdw13_ok,
				     io.op == ZCBLK_IO_WRITE ||
				     io.op == ZCBLK_IO_WRITE_ZEROES,
				     slba, nlb);
	if (status)
		return status;
	if (zcblk_zoned(dev)) {
		if (io.op == ZCBLK_IO_READ || io.op == ZCBLK_IO_COMPARE ||
		    io.op == ZCBLK_IO_VERIFY)
			status = zcblk_zns_read(dev, slba, nlb);
		else
			status = zcblk_zns_write(dev, cmd, &slba, nlb,
						 nc->opcode ==
						 nvme_cmd_zone_append);
		if (status)
			return status;
		io.pos = slba << shift;
		/* The LBA it wrote, DW0 and DW1 of the completion */
		if (nc->opcode == nvme_cmd_zone_append)
			cmd->result = slba;
	}
	if (io.op == ZCBLK_IO_VERIFY)
		return zcblk_nvme_verify(dev, rq, &io, slba, nlb);
	/* Compare checks the stored PI as a Read would, then compares. */
	if (io.op == ZCBLK_IO_COMPARE && zcblk_pi_type(dev) &&
	    (nc->cdw12 & ZCBLK_PRCHK)) {
		/* Power cut (wcache.c): no media to check */
		if (zcblk_power_off(dev))
			return NVME_SC_NS_NOT_READY;
		if (io.nowait)		/* data_rw sleeps */
			return ZCBLK_STATUS_DEFER;
		status = zcblk_pi_verify(dev, nc, slba, nlb);
		if (status)
			return status;
	}
	/*
	 * Write Zeroes on a PI disk: nothing to check (PRCHK is Invalid
	 * Protection Information, as QEMU); PRACT makes the zeroed blocks'
	 * PI, where without it they get the escape tags (integrity.rst).
	 */
	if (io.op == ZCBLK_IO_WRITE_ZEROES && zcblk_pi_type(dev) &&
	    (nc->cdw12 & ZCBLK_PRINFO)) {
		if (nc->cdw12 & ZCBLK_PRCHK)
			return ZCBLK_STATUS(NVME_SC_INVALID_PI);
		if (io.nowait)		/* data_rw sleeps */
			return ZCBLK_STATUS_DEFER;
		status = zcblk_fdp_submit(dev, &io, cmd, nlb);
		if (status)
			return status;
		return zcblk_pi_zeroes(dev, nc, slba, nlb);
	}
	if (zcblk_pi_type(dev) &&
	    (io.op == ZCBLK_IO_READ || io.op == ZCBLK_IO_WRITE)) {
		struct zcblk_pi_buf pb;

		status = zcblk_pi_prepare(dev, rq, &io, slba, nlb, &pb);
		if (status)
			return status;
		return zcblk_pi_finish(dev, rq, &io, nlb, &pb,
				       zcblk_fdp_submit(dev, &io, cmd, nlb));
	}
	return zcblk_fdp_submit(dev, &io, cmd, nlb);
}

/**
 * zcblk_nvme_execute() - run a passthrough command
 * @dev: the disk
 * @rq: the command's request
 *
 * Its NVMe status goes in the pdu and zcblk_io_done() follows, now or from
 * the backend; a command the backend would sleep for runs again from the
 * disk's workqueue.
 *
 * Context: as zcblk_disk_execute().
 */
void zcblk_nvme_execute(struct zcblk_dev *dev, struct request *rq)
{
	struct zcblk_pdu *cmd = blk_mq_rq_to_pdu(rq);
	int status;

	cmd->result = 0;
	if (cmd->nc.admin)
		status = zcblk_nvme_admin(dev, rq, cmd);
	else
		status = zcblk_nvme_io(dev, rq, cmd);
	if (status == ZCBLK_STATUS_QUEUED)
		return;
	if (status == ZCBLK_STATUS_DEFER) {
		zcblk_disk_defer(dev, rq);
		return;
	}
	cmd->status = status;
	zcblk_io_done(dev, rq, BLK_STS_OK);
}
