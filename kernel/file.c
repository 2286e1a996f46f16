// SPDX-License-Identifier: GPL-2.0
/*
 * The file backend: a regular file or a block device, opened O_DIRECT.
 * A request's own bvecs (the user's pinned pages, for passthrough) go to
 * the file's ->read_iter/->write_iter as an ITER_BVEC in an async kiocb,
 * as loop's direct I/O does: data reaches the backing store with no copy.
 * "buffered" mode goes through the page cache instead, for file systems
 * that refuse direct I/O; that copies, and copied_bytes says so.
 *
 * Metadata (meta.h) lives past the data, block n's at zcblk_md_pos(n), as
 * on the mem backend: a command that moves it runs synchronously, its
 * data by the same direct I/O (or, extended, split from the metadata
 * through the page cache), its metadata through the page cache, which
 * takes I/O at any byte (Documentation/integrity.rst). Opening and
 * checking the backing store is file_open.c's.
 */
#include <linux/blkdev.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/netlink.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"
#include "file.h"
#include "meta.h"
#include "rq.h"

static void zcblk_file_rw_done(struct zcblk_pdu *pdu, long ret)
{
	struct request *rq = blk_mq_rq_from_pdu(pdu);
	struct zcblk_dev *dev = rq->q->queuedata;

	if (pdu->file_sb_write) {
		pdu->file_sb_write = false;
		kiocb_end_write(&pdu->iocb);
	}

	/* Merged bios only: not a kfree(NULL) call for every request */
	if (unlikely(pdu->file_bvecs)) {
		kfree(pdu->file_bvecs);
		pdu->file_bvecs = NULL;
	}
	zcblk_io_done(dev, rq, ret == blk_rq_bytes(rq) ? BLK_STS_OK :
						       BLK_STS_IOERR);
}

/*
 * Tried in queue_rq, the I/O may run from the flush of the submitter's
 * plug (queue_rqs): the backing device's requests must not join the list
 * blk-mq is handing us, so they go to a plug of our own, flushed when
 * the backing call returns. No moment without a plug while the task may
 * hold a plug timestamp (6.12: PF_BLOCK_TS, which a context switch reads
 * through current->plug): preemption is off while the plugs change, and
 * blk_finish_plug() clears the flag before it leaves current->plug NULL.
 */
static struct blk_plug *zcblk_file_plug_own(struct blk_plug *own)
{
	struct blk_plug *outer = current->plug;

	if (outer) {
		preempt_disable();
		current->plug = NULL;
		blk_start_plug(own);
		preempt_enable();
	}
	return outer;
}

static void zcblk_file_plug_restore(struct blk_plug *outer,
				    struct blk_plug *own)
{
	if (outer) {
		blk_finish_plug(own);
		current->plug = outer;
	}
}

/*
 * kiocb_start_write(), or in queue_rq (@nowait) its try, as io_uring's
 * io_kiocb_start_write(): false if the file system is frozen.
 */
static bool zcblk_file_start_write(struct kiocb *iocb, bool nowait)
{
	struct super_block *sb = file_inode(iocb->ki_filp)->i_sb;

	if (!nowait) {
		kiocb_start_write(iocb);
		return true;
	}
	if (!sb_start_write_trylock(sb))
		return false;
	/* Ended by kiocb_end_write(), maybe in another context: lockdep */
	__sb_writers_release(sb, SB_FREEZE_WRITE);
	return true;
}

/* The backing file's read_iter or write_iter, for the request's I/O. */
static ssize_t zcblk_file_issue(struct zcblk_pdu *pdu, struct iov_iter *iter)
{
	struct file *file = pdu->iocb.ki_filp;
	struct blk_plug own, *outer;
	unsigned int noio;
	ssize_t ret;

	outer = zcblk_file_plug_own(&own);
	/* Reclaim must not write through us (loop's workers run so too). */
	noio = memalloc_noio_save();
	if (pdu->file_write)
		ret = file->f_op->write_iter(&pdu->iocb, iter);
	else
		ret = file->f_op->read_iter(&pdu->iocb, iter);
	memalloc_noio_restore(noio);
	zcblk_file_plug_restore(outer, &own);
	return ret;
}

/* The disk's workqueue: what IOCB_NOWAIT refused, again, free to block. */
static void zcblk_file_retry_work(struct work_struct *work)
{
	struct zcblk_pdu *pdu = container_of(work, struct zcblk_pdu,
					     file_retry);
	struct iov_iter iter = pdu->file_iter;
	ssize_t ret;

	pdu->iocb.ki_pos = pdu->file_pos;
	ret = zcblk_file_issue(pdu, &iter);
	if (ret != -EIOCBQUEUED)
		zcblk_file_rw_done(pdu, ret);
}

/*
 * IOCB_NOWAIT refused the I/O, at once or from its completion (a bio
 * that could not get a tag): nothing was counted twice nor completed,
 * the request runs it again from the workqueue, counted in deferred.
 * Redoing all of it is harmless: a read, or a write of the same data.
 */
static void zcblk_file_retry(struct zcblk_pdu *pdu)
{
	struct request *rq = blk_mq_rq_from_pdu(pdu);
	struct zcblk_dev *dev = rq->q->queuedata;

	pdu->iocb.ki_flags &= ~IOCB_NOWAIT;
	zcblk_stat_inc(dev, deferred);
	INIT_WORK(&pdu->file_retry, zcblk_file_retry_work);
	queue_work(dev->wq, &pdu->file_retry);
}

/*
 * What IOCB_NOWAIT gives for "not without blocking": -EAGAIN, or from a
 * file system that serves direct I/O through its page cache (ext4's
 * journalled data, fscrypt) -EOPNOTSUPP, or a read short of what the page
 * cache held. Not I/O errors: the I/O runs again, free to block.
 */
static bool zcblk_file_nowait_refused(struct zcblk_pdu *pdu, long ret)
{
	if (!(pdu->iocb.ki_flags & IOCB_NOWAIT))
		return false;
	return ret == -EAGAIN || ret == -EOPNOTSUPP ||
	       (ret >= 0 && ret != blk_rq_bytes(blk_mq_rq_from_pdu(pdu)));
}

/* Any context: the backing I/O is over. */
static void zcblk_file_aio_complete(struct kiocb *iocb, long ret)
{
	struct zcblk_pdu *pdu = container_of(iocb, struct zcblk_pdu, iocb);

	if (unlikely(zcblk_file_nowait_refused(pdu, ret))) {
		zcblk_file_retry(pdu);
		return;
	}
	zcblk_file_rw_done(pdu, ret);
}

/*
 * The request's data as one bvec iterator: over its bio's own table (which
 * may start mid-vector), or for merged bios over a table of all their
 * bvecs, returned in *@table for the caller to free. -ENOMEM if that
 * table cannot be had.
 */
static int zcblk_file_rq_iter(struct request *rq, bool write,
			      struct iov_iter *iter, struct bio_vec **table)
{
	struct bio *bio = rq->bio;
	struct bio_vec *bvec;
	unsigned int nr, offset = 0;

	*table = NULL;
	if (bio != rq->biotail) {
		/* Merged bios: one bvec table for the whole request. */
		struct req_iterator rq_iter;
		struct bio_vec tmp;

		nr = 0;
		rq_for_each_bvec(tmp, rq, rq_iter)
			nr++;
		bvec = kmalloc_array(nr, sizeof(*bvec), GFP_NOIO);
		if (!bvec)
			return -ENOMEM;
		*table = bvec;
		nr = 0;
		rq_for_each_bvec(tmp, rq, rq_iter)
			bvec[nr++] = tmp;
	} else {
		/*
		 * One bio: its table, from where its iterator is (maybe
		 * mid-vector). The iterator must not be told of entries past
		 * the table's end: a bio of its own table has them to
		 * bi_vcnt; a clone's (a registered buffer's, a split's front)
		 * are counted, bvecs, not bio_segments()' pages: a multi-page
		 * bvec (a large folio) is one entry.
		 */
		struct bvec_iter it;
		struct bio_vec tmp;

		offset = bio->bi_iter.bi_bvec_done;
		bvec = __bvec_iter_bvec(bio->bi_io_vec, bio->bi_iter);
		if (!bio_flagged(bio, BIO_CLONED)) {
			nr = bio->bi_vcnt - bio->bi_iter.bi_idx;
		} else {
			nr = 0;
			bio_for_each_bvec(tmp, bio, it)
				nr++;
		}
	}
	iov_iter_bvec(iter, write ? ITER_SOURCE : ITER_DEST, bvec, nr,
		      blk_rq_bytes(rq));
	iter->iov_offset = offset;
	return 0;
}

/* Synchronous I/O of all of @iter at @pos: 0 or -errno. */
static int zcblk_file_sync(struct file *file, bool write,
			   struct iov_iter *iter, u64 pos, bool fua)
{
	size_t len = iov_iter_count(iter);
	loff_t off = pos;
	ssize_t n;

	if (write)
		n = zcblk_vfs_iter_write(file, iter, &off, fua ? RWF_DSYNC : 0);
	else
		n = vfs_iter_read(file, iter, &off, 0);
	if (n < 0)
		return n;
	return n == len ? 0 : -EIO;
}

/*
 * An extended-LBA command's buffer split at each block's boundaries into
 * its data and its metadata, each written or read in one go through the
 * page cache: the data pieces are not aligned for direct I/O.
 */
static int zcblk_file_rw_ext(struct zcblk_dev *dev, struct zcblk_io *io,
			     u64 md_pos)
{
	u32 bs = dev->cfg.block_size, per = bs + zcblk_md_size(dev);
	struct file *meta = zcblk_file(dev)->meta;
	bool write = io->op == ZCBLK_IO_WRITE;
	unsigned int nsegs = 0, nd = 0, nm = 0;
	u64 nlb = io->len >> ilog2(bs), off = 0;
	struct bio_vec bv, *dv, *mv;
	struct req_iterator it;
	struct iov_iter iter;
	int ret;

	rq_for_each_segment(bv, io->rq, it)
		nsegs++;
	/* Each block adds at most one piece to either table. */
	dv = kmalloc_array(2 * (nsegs + nlb), sizeof(*dv), GFP_NOIO);
	if (!dv)
		return -ENOMEM;
	mv = dv + nsegs + nlb;
	rq_for_each_segment(bv, io->rq, it) {
		/* @bv itself must stay whole: the iterator advances by it */
		u32 done = 0;

		while (done < bv.bv_len) {
			struct bio_vec piece = bv;
			u32 r;

			div_u64_rem(off, per, &r);
			piece.bv_offset += done;
			piece.bv_len = min(bv.bv_len - done,
					   (r < bs ? bs : per) - r);
			if (r < bs)
				dv[nd++] = piece;
			else
				mv[nm++] = piece;
			off += piece.bv_len;
			done += piece.bv_len;
		}
	}
	iov_iter_bvec(&iter, write ? ITER_SOURCE : ITER_DEST, dv, nd,
		      nlb * bs);
	ret = zcblk_file_sync(meta, write, &iter, io->pos, io->fua);
	if (!ret) {
		iov_iter_bvec(&iter, write ? ITER_SOURCE : ITER_DEST, mv, nm,
			      off - nlb * bs);
		ret = zcblk_file_sync(meta, write, &iter, md_pos, io->fua);
	}
	kfree(dv);
	zcblk_stat_add(dev, copied_bytes, off);
	return ret;
}

/*
 * A Read or Write with metadata, synchronously: the data as any request's
 * (direct I/O unless buffered), or split from the metadata when extended;
 * then the separate metadata, through the page cache.
 */
static enum zcblk_submit zcblk_file_rw_md(struct zcblk_dev *dev,
					  struct zcblk_io *io)
{
	struct zcblk_file *f = zcblk_file(dev);
	bool write = io->op == ZCBLK_IO_WRITE;
	u32 shift = ilog2(dev->cfg.block_size);
	u64 md_pos = zcblk_md_pos(dev, io->pos >> shift);
	struct bio_vec *table;
	struct iov_iter iter;
	int ret;

	if (io->md_ext) {
		ret = zcblk_file_rw_ext(dev, io, md_pos);
	} else {
		ret = zcblk_file_rq_iter(io->rq, write, &iter, &table);
		if (!ret)
			ret = zcblk_file_sync(f->file, write, &iter, io->pos,
					      io->fua);
		kfree(table);
		if (f->buffered)
			zcblk_stat_add(dev, copied_bytes, io->len);
	}
	if (!ret && io->md_nr) {
		u64 len = (io->len >> shift) * zcblk_md_size(dev);

		iov_iter_bvec(&iter, write ? ITER_SOURCE : ITER_DEST,
			      io->md_bvecs, io->md_nr, len);
		ret = zcblk_file_sync(f->meta, write, &iter, md_pos, io->fua);
		zcblk_stat_add(dev, copied_bytes, len);
	}
	io->sts = ret == -ENOMEM ? BLK_STS_RESOURCE : errno_to_blk_status(ret);
	return ZCBLK_SUBMIT_DONE;
}

static enum zcblk_submit zcblk_file_rw(struct zcblk_dev *dev,
				       struct zcblk_io *io)
{
	struct zcblk_file *f = zcblk_file(dev);
	struct request *rq = io->rq;
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);
	bool write = io->op == ZCBLK_IO_WRITE;
	struct iov_iter iter;
	ssize_t ret;

	/* Tried in queue_rq (submit.c): only a plain direct read or write. */
	if (io->nowait && (io->md_nr || io->md_ext || f->buffered))
		return ZCBLK_SUBMIT_DEFER;
	if (io->md_nr || io->md_ext)
		return zcblk_file_rw_md(dev, io);
	/*
	 * No memory for the bvec table is not an I/O error: it runs again
	 * from the workqueue. Unlike a requeue, a deferral is not counted
	 * twice (submit.c).
	 */
	if (zcblk_file_rq_iter(rq, write, &iter, &pdu->file_bvecs))
		return ZCBLK_SUBMIT_DEFER;

	pdu->iocb.ki_pos = io->pos;
	pdu->iocb.ki_filp = f->file;
	/*
	 * A direct write to a regular file holds its file system's freeze
	 * protection until it completes, as aio's and io_uring's do (the
	 * buffered path's VFS call takes its own): in queue_rq only if it
	 * can be had at once.
	 */
	if (write && !f->buffered && S_ISREG(file_inode(f->file)->i_mode)) {
		if (!zcblk_file_start_write(&pdu->iocb, io->nowait)) {
			kfree(pdu->file_bvecs);
			pdu->file_bvecs = NULL;
			return ZCBLK_SUBMIT_DEFER;
		}
		pdu->file_sb_write = true;
	}
	pdu->iocb.ki_complete = zcblk_file_aio_complete;
	pdu->iocb.ki_flags = f->buffered ? 0 : IOCB_DIRECT;
	/*
	 * A write's kiocb says so, as aio's and io_uring's do: 6.1's
	 * overlayfs ends the upper file's write protection of an async
	 * write only for one.
	 */
	if (write)
		pdu->iocb.ki_flags |= IOCB_WRITE;
	if (write && io->fua)
		pdu->iocb.ki_flags |= IOCB_DSYNC;
	pdu->iocb.ki_ioprio = req_get_ioprio(rq);
	pdu->file_write = write;
	if (io->nowait) {
		pdu->iocb.ki_flags |= IOCB_NOWAIT;
		pdu->file_pos = io->pos;
		pdu->file_iter = iter;
	}
	WRITE_ONCE(pdu->in_backend, true);
	if (f->buffered) {
		/* Through the VFS, as loop: freeze protection, range checks. */
		loff_t pos = io->pos;

		zcblk_stat_add(dev, copied_bytes, io->len);
		if (write)
			ret = zcblk_vfs_iter_write(f->file, &iter, &pos,
						   io->fua ? RWF_DSYNC : 0);
		else
			ret = vfs_iter_read(f->file, &iter, &pos, 0);
		zcblk_file_rw_done(pdu, ret);
		return ZCBLK_SUBMIT_QUEUED;
	}
	ret = zcblk_file_issue(pdu, &iter);
	if (ret != -EIOCBQUEUED && zcblk_file_nowait_refused(pdu, ret))
		zcblk_file_retry(pdu);
	else if (ret != -EIOCBQUEUED)
		zcblk_file_rw_done(pdu, ret);
	return ZCBLK_SUBMIT_QUEUED;
}

/*
 * Writes zeros over [@at, @at + @left) of the backing store: the zero page
 * through the page cache, any byte alignment.
 */
static int zcblk_file_zero(struct zcblk_dev *dev, u64 at, u64 left)
{
	int ret = 0;

	while (left && !ret) {
		struct bio_vec bv = {
			.bv_page = ZERO_PAGE(0),
			.bv_len = min_t(u64, left, PAGE_SIZE),
		};
		struct iov_iter iter;

		iov_iter_bvec(&iter, ITER_SOURCE, &bv, 1, bv.bv_len);
		ret = zcblk_file_sync(zcblk_file(dev)->meta, true, &iter, at,
				      false);
		at += bv.bv_len;
		left -= bv.bv_len;
		cond_resched();
	}
	return ret;
}

/*
 * Zeroes the metadata of the blocks in [@pos, @pos + @len) of the data, as
 * Write Zeroes and deallocation do (Documentation/integrity.rst).
 */
static int zcblk_file_md_zero(struct zcblk_dev *dev, u64 pos, u64 len)
{
	u32 shift = ilog2(dev->cfg.block_size);

	return zcblk_file_zero(dev, zcblk_md_pos(dev, pos >> shift),
			       (len >> shift) * zcblk_md_size(dev));
}

static blk_status_t zcblk_file_fallocate(struct zcblk_file *f, int mode,
					 u64 pos, u64 len)
{
	int ret = vfs_fallocate(f->file, mode | FALLOC_FL_KEEP_SIZE, pos, len);

	/* No deallocating zeroes: zeroes that keep the blocks. */
	if (ret == -EOPNOTSUPP && mode == FALLOC_FL_PUNCH_HOLE)
		ret = vfs_fallocate(f->file, FALLOC_FL_ZERO_RANGE |
				    FALLOC_FL_KEEP_SIZE, pos, len);
	return errno_to_blk_status(ret);
}

/*
 * A discard of a backing block device, issued to it: fallocate's discard
 * mode (FALLOC_FL_NO_HIDE_STALE) is gone from both kernels, which refuse
 * it. Discarded data is undefined (DLFEAT 0 here), so a device without
 * discard does nothing, and the clean pages cached of the range (the
 * pre-images', metadata's and zone table's reads) may stay or go.
 */
static blk_status_t zcblk_file_bdev_discard(struct zcblk_file *f, u64 pos,
					    u64 len)
{
	if (!bdev_max_discard_sectors(f->bdev))
		return BLK_STS_OK;
	invalidate_mapping_pages(f->file->f_mapping, pos >> PAGE_SHIFT,
				 (pos + len - 1) >> PAGE_SHIFT);
	/* GFP_NOIO: reclaim may write back through this disk. */
	return errno_to_blk_status(blkdev_issue_discard(f->bdev,
							pos >> SECTOR_SHIFT,
							len >> SECTOR_SHIFT,
							GFP_NOIO));
}

/*
 * Copy inside a regular backing file: the file system's own copy (a
 * reflink where it shares extents, a page cache splice otherwise), through
 * the page cache as data_rw's writes go. Overlapping ranges, which
 * copy_file_range refuses, and block devices take the bounce.
 */
static void zcblk_file_copy_range(struct zcblk_dev *dev, struct zcblk_io *io)
{
	struct file *meta = zcblk_file(dev)->meta;
	u64 done = 0;

	/* Metadata moves with its block: the bounce does that. */
	if (!S_ISREG(file_inode(meta)->i_mode) || zcblk_md_size(dev) ||
	    (io->src < io->pos + io->len && io->pos < io->src + io->len)) {
		zcblk_copy_bytes(dev, io);
		return;
	}
	while (done < io->len) {
		ssize_t n = vfs_copy_file_range(meta, io->src + done, meta,
						io->pos + done,
						io->len - done, 0);

		if (n <= 0) {
			if (!done && (n == -EOPNOTSUPP || n == -EXDEV ||
				      n == -EINVAL)) {
				zcblk_copy_bytes(dev, io);
				return;
			}
			io->sts = errno_to_blk_status(n ? n : -EIO);
			return;
		}
		done += n;
		cond_resched();
	}
}

/* FUA: [@pos, @pos + @len) of the data, and its metadata, durable now. */
static int zcblk_file_sync_range(struct zcblk_dev *dev, u64 pos, u64 len)
{
	struct file *meta = zcblk_file(dev)->meta;
	u32 shift = ilog2(dev->cfg.block_size);
	int ret;

	ret = vfs_fsync_range(meta, pos, pos + len - 1, 1);
	/* The metadata, past the data, durable with it */
	if (!ret && zcblk_md_size(dev)) {
		u64 md = zcblk_md_pos(dev, pos >> shift);

		ret = vfs_fsync_range(meta, md, md + (len >> shift) *
				      zcblk_md_size(dev) - 1, 1);
	}
	return ret;
}

static enum zcblk_submit zcblk_file_copy(struct zcblk_dev *dev,
					 struct zcblk_io *io)
{
	zcblk_file_copy_range(dev, io);
	if (!io->sts && io->fua)
		io->sts = errno_to_blk_status(zcblk_file_sync_range(dev,
								    io->pos,
								    io->len));
	return ZCBLK_SUBMIT_DONE;
}

static enum zcblk_submit zcblk_file_submit(struct zcblk_dev *dev,
					   struct zcblk_io *io)
{
	struct zcblk_file *f = zcblk_file(dev);
	int mode;

	/* Only reads and writes are tried in queue_rq (submit.c). */
	if (io->nowait && io->op != ZCBLK_IO_READ && io->op != ZCBLK_IO_WRITE)
		return ZCBLK_SUBMIT_DEFER;
	switch (io->op) {
	case ZCBLK_IO_READ:
	case ZCBLK_IO_WRITE:
		return zcblk_file_rw(dev, io);
	case ZCBLK_IO_FLUSH:
		io->sts = errno_to_blk_status(vfs_fsync(f->file, 0));
		break;
	case ZCBLK_IO_DISCARD:
		/* On a block device this is a discard, on a file a hole. */
		if (f->bdev)
			io->sts = zcblk_file_bdev_discard(f, io->pos, io->len);
		else
			io->sts = zcblk_file_fallocate(f, FALLOC_FL_PUNCH_HOLE,
						       io->pos, io->len);
		/*
		 * No fallocate (ramfs): DSM's deallocation is a hint, and
		 * what discarded blocks read is undefined (DLFEAT 0).
		 */
		if (io->sts == BLK_STS_NOTSUPP)
			io->sts = BLK_STS_OK;
		break;
	case ZCBLK_IO_WRITE_ZEROES:
		mode = io->unmap ? FALLOC_FL_PUNCH_HOLE : FALLOC_FL_ZERO_RANGE;
		io->sts = zcblk_file_fallocate(f, mode, io->pos, io->len);
		/* No zero range in the file system (tmpfs): write them. */
		if (io->sts == BLK_STS_NOTSUPP)
			io->sts = errno_to_blk_status(zcblk_file_zero(dev,
								      io->pos,
								      io->len));
		break;
	case ZCBLK_IO_COPY:
		return zcblk_file_copy(dev, io);
	default:
		io->sts = BLK_STS_NOTSUPP;
		break;
	}
	if (!io->sts && zcblk_md_size(dev) &&
	    (io->op == ZCBLK_IO_DISCARD || io->op == ZCBLK_IO_WRITE_ZEROES))
		io->sts = errno_to_blk_status(zcblk_file_md_zero(dev, io->pos,
								 io->len));
	/* Zeroes with FUA: the file's new extents and zeros durable too */
	if (!io->sts && io->fua && io->op == ZCBLK_IO_WRITE_ZEROES)
		io->sts = errno_to_blk_status(zcblk_file_sync_range(dev,
								    io->pos,
								    io->len));
	return ZCBLK_SUBMIT_DONE;
}

/*
 * The write cache's pre-images (wcache.c) and the store (the zone table):
 * through the page cache of the file without O_DIRECT.
 */
static int zcblk_file_data_rw(struct zcblk_dev *dev, bool write, u64 pos,
			      void *buf, size_t len)
{
	struct file *meta = zcblk_file(dev)->meta;
	loff_t off = pos;
	ssize_t n;

	if (write)
		n = kernel_write(meta, buf, len, &off);
	else
		n = kernel_read(meta, buf, len, &off);
	if (n < 0)
		return n;
	return n == len ? 0 : -EIO;
}

/* The store's writes are durable at once. */
static int zcblk_file_store_rw(struct zcblk_dev *dev, bool write, u64 pos,
			       void *buf, size_t len)
{
	int ret = zcblk_file_data_rw(dev, write, pos, buf, len);

	if (ret || !write)
		return ret;
	return vfs_fsync_range(zcblk_file(dev)->meta, pos, pos + len - 1, 1);
}

const struct zcblk_backend_ops zcblk_file_backend = {
	.name		= "file",
	.deferred	= true,		/* fsync, fallocate, writeback of the file */
	.open		= zcblk_file_open,
	.release	= zcblk_file_release,
	.submit		= zcblk_file_submit,
	.alloc_bytes	= zcblk_file_alloc_bytes,
	.store_size	= zcblk_file_store_size,
	.store_rw	= zcblk_file_store_rw,
	.data_rw	= zcblk_file_data_rw,
};
