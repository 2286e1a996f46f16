// SPDX-License-Identifier: GPL-2.0
/*
 * The file backend: a regular file or a block device, opened O_DIRECT.
 * A request's own bvecs (the user's pinned pages, for passthrough) go to
 * the file's ->read_iter/->write_iter as an ITER_BVEC in an async kiocb,
 * as loop's direct I/O does: data reaches the backing store with no copy.
 * "buffered" mode goes through the page cache instead, for file systems
 * that refuse direct I/O; that copies, and copied_bytes says so.
 */
#include <linux/blkdev.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/netlink.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"
#include "rq.h"

struct zcblk_file {
	struct file *file;
	struct block_device *bdev;	/* backing block device, or NULL */
	/*
	 * The same file without O_DIRECT, for the store (zcblk_file_store_rw):
	 * small synchronous I/O from kernel memory, which direct I/O on 6.1
	 * cannot take. It never touches the disk's data.
	 */
	struct file *meta;
	u64 size;			/* of the backing file or device */
	bool buffered;
	struct list_head node;		/* on zcblk_files */
};

/*
 * Backing files in use, so that one file never backs two disks. Block
 * devices are opened O_EXCL instead, which also keeps mounts away.
 */
static DEFINE_MUTEX(zcblk_files_lock);	/* protects zcblk_files */
static LIST_HEAD(zcblk_files);

static struct zcblk_file *zcblk_file(struct zcblk_dev *dev)
{
	return dev->backend_data;
}

static bool zcblk_file_in_use(struct inode *inode)
{
	struct zcblk_file *f;

	lockdep_assert_held(&zcblk_files_lock);
	list_for_each_entry(f, &zcblk_files, node)
		if (file_inode(f->file) == inode)
			return true;
	return false;
}

static void zcblk_file_rw_done(struct zcblk_pdu *pdu, long ret)
{
	struct request *rq = blk_mq_rq_from_pdu(pdu);
	struct zcblk_dev *dev = rq->q->queuedata;

	kfree(pdu->file_bvecs);
	pdu->file_bvecs = NULL;
	zcblk_io_done(dev, rq, ret == blk_rq_bytes(rq) ? BLK_STS_OK :
						       BLK_STS_IOERR);
}

/* Any context: the backing I/O is over. */
static void zcblk_file_aio_complete(struct kiocb *iocb, long ret)
{
	zcblk_file_rw_done(container_of(iocb, struct zcblk_pdu, iocb), ret);
}

static enum zcblk_submit zcblk_file_rw(struct zcblk_dev *dev,
				       struct zcblk_io *io)
{
	struct zcblk_file *f = zcblk_file(dev);
	struct request *rq = io->rq;
	struct zcblk_pdu *pdu = blk_mq_rq_to_pdu(rq);
	bool write = io->op == ZCBLK_IO_WRITE;
	struct bio *bio = rq->bio;
	struct bio_vec *bvec;
	struct iov_iter iter;
	unsigned int nr, offset = 0;
	ssize_t ret;

	if (bio != rq->biotail) {
		/* Merged bios: one bvec table for the whole request. */
		struct req_iterator rq_iter;
		struct bio_vec tmp;

		nr = 0;
		rq_for_each_bvec(tmp, rq, rq_iter)
			nr++;
		bvec = kmalloc_array(nr, sizeof(*bvec), GFP_NOIO);
		if (!bvec) {
			/* Not an I/O error: try again, as loop would. */
			blk_mq_requeue_request(rq, true);
			return ZCBLK_SUBMIT_QUEUED;
		}
		pdu->file_bvecs = bvec;
		nr = 0;
		rq_for_each_bvec(tmp, rq, rq_iter)
			bvec[nr++] = tmp;
		bvec = pdu->file_bvecs;
	} else {
		/*
		 * One bio: its own table, which may start mid-vector. Count
		 * its bvecs, not bio_segments()' pages: a multi-page bvec
		 * (a large folio) is one entry, and the iterator must not be
		 * told of entries past the table's end.
		 */
		struct bvec_iter it;
		struct bio_vec tmp;

		offset = bio->bi_iter.bi_bvec_done;
		bvec = __bvec_iter_bvec(bio->bi_io_vec, bio->bi_iter);
		nr = 0;
		bio_for_each_bvec(tmp, bio, it)
			nr++;
	}
	iov_iter_bvec(&iter, write ? ITER_SOURCE : ITER_DEST, bvec, nr,
		      blk_rq_bytes(rq));
	iter.iov_offset = offset;

	pdu->iocb.ki_pos = io->pos;
	pdu->iocb.ki_filp = f->file;
	pdu->iocb.ki_complete = zcblk_file_aio_complete;
	pdu->iocb.ki_flags = f->buffered ? 0 : IOCB_DIRECT;
	if (write && io->fua)
		pdu->iocb.ki_flags |= IOCB_DSYNC;
	pdu->iocb.ki_ioprio = req_get_ioprio(rq);
	WRITE_ONCE(pdu->in_backend, true);
	if (f->buffered) {
		/* Through the VFS, as loop: freeze protection, range checks. */
		loff_t pos = io->pos;

		atomic64_add(io->len, &dev->stats.copied_bytes);
		if (write)
			ret = zcblk_vfs_iter_write(f->file, &iter, &pos,
						   io->fua ? RWF_DSYNC : 0);
		else
			ret = vfs_iter_read(f->file, &iter, &pos, 0);
		zcblk_file_rw_done(pdu, ret);
		return ZCBLK_SUBMIT_QUEUED;
	}
	if (write)
		ret = f->file->f_op->write_iter(&pdu->iocb, &iter);
	else
		ret = f->file->f_op->read_iter(&pdu->iocb, &iter);
	if (ret != -EIOCBQUEUED)
		zcblk_file_rw_done(pdu, ret);
	return ZCBLK_SUBMIT_QUEUED;
}

static blk_status_t zcblk_file_fallocate(struct zcblk_file *f, int mode,
					 u64 pos, u64 len)
{
	int ret = vfs_fallocate(f->file, mode | FALLOC_FL_KEEP_SIZE, pos, len);

	if (ret == -EOPNOTSUPP) {
		/* No discard below: discarded data is undefined anyway. */
		if (mode & FALLOC_FL_NO_HIDE_STALE)
			return BLK_STS_OK;
		/* No deallocating zeroes: zeroes that keep the blocks. */
		if (mode == FALLOC_FL_PUNCH_HOLE)
			ret = vfs_fallocate(f->file, FALLOC_FL_ZERO_RANGE |
					    FALLOC_FL_KEEP_SIZE, pos, len);
	}
	return errno_to_blk_status(ret);
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

	if (!S_ISREG(file_inode(meta)->i_mode) ||
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

static enum zcblk_submit zcblk_file_copy(struct zcblk_dev *dev,
					 struct zcblk_io *io)
{
	struct file *meta = zcblk_file(dev)->meta;

	zcblk_file_copy_range(dev, io);
	if (!io->sts && io->fua)
		io->sts = errno_to_blk_status(vfs_fsync_range(meta, io->pos,
							      io->pos + io->len - 1,
							      1));
	return ZCBLK_SUBMIT_DONE;
}

static enum zcblk_submit zcblk_file_submit(struct zcblk_dev *dev,
					   struct zcblk_io *io)
{
	struct zcblk_file *f = zcblk_file(dev);
	int mode;

	switch (io->op) {
	case ZCBLK_IO_READ:
	case ZCBLK_IO_WRITE:
		return zcblk_file_rw(dev, io);
	case ZCBLK_IO_FLUSH:
		io->sts = errno_to_blk_status(vfs_fsync(f->file, 0));
		break;
	case ZCBLK_IO_DISCARD:
		/* On a block device this is a discard, on a file a hole. */
		mode = FALLOC_FL_PUNCH_HOLE;
		if (f->bdev)
			mode |= FALLOC_FL_NO_HIDE_STALE;
		io->sts = zcblk_file_fallocate(f, mode, io->pos, io->len);
		break;
	case ZCBLK_IO_WRITE_ZEROES:
		mode = io->unmap ? FALLOC_FL_PUNCH_HOLE : FALLOC_FL_ZERO_RANGE;
		io->sts = zcblk_file_fallocate(f, mode, io->pos, io->len);
		break;
	case ZCBLK_IO_COPY:
		return zcblk_file_copy(dev, io);
	default:
		io->sts = BLK_STS_NOTSUPP;
		break;
	}
	return ZCBLK_SUBMIT_DONE;
}

static int zcblk_file_check(struct zcblk_dev *dev, struct zcblk_file *f,
			    struct zcblk_limits *lim,
			    struct netlink_ext_ack *extack)
{
	struct inode *inode = file_inode(f->file);
	unsigned int align;
	u64 size;

	if (S_ISBLK(inode->i_mode)) {
		f->bdev = I_BDEV(f->file->f_mapping->host);
		if (zcblk_disk_is_ours(f->bdev->bd_disk)) {
			NL_SET_ERR_MSG(extack, "path: is a zcblk disk");
			return -EBUSY;
		}
		size = bdev_nr_bytes(f->bdev);
		dev->dio_align = bdev_logical_block_size(f->bdev);
		/* Blocks below the device's, even buffered, would be odd. */
		align = dev->dio_align;
	} else if (S_ISREG(inode->i_mode)) {
		size = i_size_read(inode);
		dev->dio_align = inode->i_sb->s_bdev ?
			bdev_logical_block_size(inode->i_sb->s_bdev) : 512;
		/*
		 * Direct I/O at a block's offset must be aligned for the file
		 * system's device: smaller blocks would fail as I/O errors.
		 */
		align = f->buffered ? 0 : dev->dio_align;
	} else {
		NL_SET_ERR_MSG(extack,
			       "path: not a regular file or a block device");
		return -EINVAL;
	}
	if (f->buffered)
		dev->dio_align = 0;
	f->size = size;
	/* The smallest block size (512 or 4096) that fits. */
	if (!dev->cfg.block_size_given && align > 512)
		dev->cfg.block_size = 4096;
	if (dev->cfg.block_size < align) {
		if (f->bdev)
			NL_SET_ERR_MSG(extack,
				       "block-size: below the device's logical block size");
		else
			NL_SET_ERR_MSG(extack,
				       "block-size: below the backing file's direct I/O alignment; the buffered flag serves it");
		return -EINVAL;
	}

	if (dev->cfg.size & (dev->cfg.block_size - 1)) {
		NL_SET_ERR_MSG(extack, "size: not a multiple of block-size");
		return -EINVAL;
	}
	size = round_down(size, dev->cfg.block_size);
	if (!dev->cfg.size) {
		dev->cfg.size = size;
	} else if (dev->cfg.size > size) {
		NL_SET_ERR_MSG(extack, "size: larger than the backing file");
		return -EINVAL;
	}
	if (!dev->cfg.size) {
		NL_SET_ERR_MSG(extack, "path: backing file smaller than a block");
		return -EINVAL;
	}

	if (dev->dio_align > 1)
		lim->dma_alignment = dev->dio_align - 1;
	if (!(dev->cfg.flags & ZCBLK_DEV_F_READ_ONLY) &&
	    f->file->f_op->fallocate) {
		lim->max_discard_sectors = round_down(UINT_MAX >> SECTOR_SHIFT,
					dev->cfg.block_size >> SECTOR_SHIFT);
		lim->max_write_zeroes_sectors = lim->max_discard_sectors;
	}
	/* What zcblk acknowledges may sit in the backing cache: say so. */
	lim->write_cache = true;
	return 0;
}

/*
 * Looked at before it is opened: opening a device node or a FIFO can have
 * effects of its own (a watchdog starts, a FIFO waits for a writer).
 * zcblk_file_check() checks the opened file again.
 */
static int zcblk_file_check_type(const char *name,
				 struct netlink_ext_ack *extack)
{
	struct path path;
	umode_t mode;
	int ret;

	ret = kern_path(name, LOOKUP_FOLLOW, &path);
	if (ret) {
		if (ret == -ENOENT)
			NL_SET_ERR_MSG(extack, "path: no such file");
		else
			NL_SET_ERR_MSG(extack, "path: cannot look it up");
		return ret;
	}
	mode = d_inode(path.dentry)->i_mode;
	path_put(&path);
	if (!S_ISREG(mode) && !S_ISBLK(mode)) {
		NL_SET_ERR_MSG(extack,
			       "path: not a regular file or a block device");
		return -EINVAL;
	}
	return 0;
}

static int zcblk_file_open(struct zcblk_dev *dev, struct zcblk_limits *lim,
			   struct netlink_ext_ack *extack)
{
	bool ro = dev->cfg.flags & ZCBLK_DEV_F_READ_ONLY;
	int flags = (ro ? O_RDONLY : O_RDWR) | O_LARGEFILE;
	struct zcblk_file *f;
	int ret;

	if (!dev->cfg.path) {
		NL_SET_ERR_MSG(extack, "path: required by the file backend");
		return -EINVAL;
	}
	ret = zcblk_file_check_type(dev->cfg.path, extack);
	if (ret)
		return ret;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->buffered = dev->cfg.flags & ZCBLK_DEV_F_BUFFERED;
	if (!f->buffered)
		flags |= O_DIRECT;

	/* O_EXCL claims a block device; on a regular file it is ignored. */
	f->file = filp_open(dev->cfg.path, flags | O_EXCL, 0);
	if (IS_ERR(f->file)) {
		ret = PTR_ERR(f->file);
		if (ret == -ENOENT) {
			NL_SET_ERR_MSG(extack, "path: no such file");
		} else if (ret == -EISDIR) {
			NL_SET_ERR_MSG(extack,
				       "path: not a regular file or a block device");
			ret = -EINVAL;
		} else if (ret == -EINVAL && !f->buffered) {
			NL_SET_ERR_MSG(extack,
				       "path: direct I/O refused; the buffered flag serves such files");
		} else if (ret == -EBUSY) {
			NL_SET_ERR_MSG(extack, "path: block device in use");
		} else {
			NL_SET_ERR_MSG(extack, "path: cannot open");
		}
		goto err_free;
	}
	ret = zcblk_file_check(dev, f, lim, extack);
	if (ret)
		goto err_close;
	f->meta = dentry_open(&f->file->f_path, (flags & ~O_DIRECT),
			      current_cred());
	if (IS_ERR(f->meta)) {
		ret = PTR_ERR(f->meta);
		NL_SET_ERR_MSG(extack, "path: cannot open");
		goto err_close;
	}

	mutex_lock(&zcblk_files_lock);
	if (zcblk_file_in_use(file_inode(f->file))) {
		mutex_unlock(&zcblk_files_lock);
		NL_SET_ERR_MSG(extack, "path: already backs a zcblk disk");
		ret = -EBUSY;
		goto err_close;
	}
	list_add(&f->node, &zcblk_files);
	mutex_unlock(&zcblk_files_lock);
	dev->backend_data = f;
	return 0;

err_close:
	if (!IS_ERR_OR_NULL(f->meta))
		fput(f->meta);
	fput(f->file);
err_free:
	kfree(f);
	return ret;
}

static void zcblk_file_release(struct zcblk_dev *dev)
{
	struct zcblk_file *f = zcblk_file(dev);

	mutex_lock(&zcblk_files_lock);
	list_del(&f->node);
	mutex_unlock(&zcblk_files_lock);
	fput(f->meta);
	fput(f->file);
	kfree(f);
	dev->backend_data = NULL;
}

static u64 zcblk_file_alloc_bytes(struct zcblk_dev *dev)
{
	struct inode *inode = file_inode(zcblk_file(dev)->file);

	if (S_ISBLK(inode->i_mode))
		return dev->cfg.size;
	return (u64)inode->i_blocks << SECTOR_SHIFT;
}

static u64 zcblk_file_store_size(struct zcblk_dev *dev)
{
	return zcblk_file(dev)->size;
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
