// SPDX-License-Identifier: GPL-2.0
/*
 * The file backend's setup (file.c has its I/O): the backing file or
 * block device checked, opened twice (O_DIRECT for the data, through the
 * page cache for the store) and claimed, so that no file backs two disks.
 */
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"
#include "file.h"
#include "meta.h"

/*
 * Backing files in use, so that one file never backs two disks. Block
 * devices are opened O_EXCL instead, which also keeps mounts away.
 */
static DEFINE_MUTEX(zcblk_files_lock);	/* protects zcblk_files */
static LIST_HEAD(zcblk_files);

static bool zcblk_file_in_use(struct inode *inode)
{
	struct zcblk_file *f;

	lockdep_assert_held(&zcblk_files_lock);
	list_for_each_entry(f, &zcblk_files, node)
		if (file_inode(f->file) == inode)
			return true;
	return false;
}

/*
 * The data bytes a backing store of @size holds together with their
 * metadata, @ms bytes a block of @bs, in the region from the first page
 * past the data (zcblk_md_pos()).
 */
static u64 zcblk_file_md_fit(u64 size, u32 bs, u32 ms)
{
	u64 nlb = div_u64(size, bs + ms);

	/* the data rounded up to a page costs a few blocks at most */
	while (nlb && round_up(nlb * bs, PAGE_SIZE) + nlb * ms > size)
		nlb--;
	return nlb * bs;
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
	/* Buffered, or extended metadata: the page cache takes any buffer. */
	if (f->buffered || zcblk_md_extended(dev))
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
	if (zcblk_md_size(dev))
		size = zcblk_file_md_fit(f->size, dev->cfg.block_size,
					 zcblk_md_size(dev));
	if (!dev->cfg.size) {
		dev->cfg.size = size;
	} else if (dev->cfg.size > size) {
		if (zcblk_md_size(dev))
			NL_SET_ERR_MSG(extack,
				       "size: larger than the backing file holds with its metadata");
		else
			NL_SET_ERR_MSG(extack,
				       "size: larger than the backing file");
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

/**
 * zcblk_file_open() - open and claim a disk's backing file or device
 * @dev: the disk being added, its path in @dev->cfg
 * @lim: its queue limits, which the backing store may tighten
 * @extack: for the reason of a refusal
 *
 * Context: process context (DEV_ADD's caller's: its root and credentials);
 * may sleep.
 * Return: 0, or a negative errno with @extack's message.
 */
int zcblk_file_open(struct zcblk_dev *dev, struct zcblk_limits *lim,
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
	dev->inline_rw = !f->buffered &&
			 (f->bdev ? bdev_nowait(f->bdev) :
				    !!(f->file->f_mode & FMODE_NOWAIT));
	return 0;

err_close:
	if (!IS_ERR_OR_NULL(f->meta))
		fput(f->meta);
	fput(f->file);
err_free:
	kfree(f);
	return ret;
}

/**
 * zcblk_file_release() - let go of the backing file, nothing in flight
 * @dev: the disk
 *
 * Context: process context; may sleep.
 */
void zcblk_file_release(struct zcblk_dev *dev)
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

/**
 * zcblk_file_alloc_bytes() - the space the backing store takes
 * @dev: the disk
 *
 * Context: any process context.
 * Return: a regular file's allocated bytes; a device's whole size.
 */
u64 zcblk_file_alloc_bytes(struct zcblk_dev *dev)
{
	struct inode *inode = file_inode(zcblk_file(dev)->file);

	if (S_ISBLK(inode->i_mode))
		return dev->cfg.size;
	return (u64)inode->i_blocks << SECTOR_SHIFT;
}

/**
 * zcblk_file_store_size() - the backing file's or device's size
 * @dev: the disk
 *
 * Context: any context.
 * Return: its size in bytes.
 */
u64 zcblk_file_store_size(struct zcblk_dev *dev)
{
	return zcblk_file(dev)->size;
}
