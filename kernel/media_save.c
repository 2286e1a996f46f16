// SPDX-License-Identifier: GPL-2.0
/*
 * A file disk's list of unreadable LBAs kept beside its backing file
 * (Documentation/durability.rst): found at DEV_ADD, loaded then, saved
 * when it changed, at every flush and when the disk goes. The list
 * itself is media.c's.
 */
#include <linux/crc32.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "backend.h"
#include "dev.h"
#include "media.h"

/*
 * A file disk's list beside its backing file, <path>.bad, so that the
 * disk made again on the file finds it: written when it changed, at every
 * flush and when the disk goes; read when the disk comes.
 */
#define ZCBLK_BAD_MAGIC		"ZCBLKBB"	/* and a NUL: 8 bytes */
#define ZCBLK_BAD_VERSION	1

struct zcblk_bad_hdr {
	u8 magic[8];
	__le32 version;
	__le32 block_size;
	__le32 nr;			/* entries that follow */
	__le32 crc;			/* crc32_le of the entries */
};

struct zcblk_bad_ent {
	__le64 lba;
	__le64 nlb;
};

/*
 * An existing <path>.bad, symbolic links followed in the caller's root:
 * its real directory and name. 0, or the lookup's errno (-EXDEV: a file
 * mounted on it, to be opened through <path>'s directory instead).
 */
static int zcblk_media_sidecar_resolve(struct zcblk_dev *dev)
{
	struct name_snapshot name;
	struct path p;
	char *full;
	int ret;

	full = kasprintf(GFP_KERNEL, "%s.bad", dev->cfg.path);
	if (!full)
		return -ENOMEM;
	ret = kern_path(full, LOOKUP_FOLLOW, &p);
	kfree(full);
	if (ret)
		return ret;
	/*
	 * A file mounted there (--bind) is its mount's root: its parent lies
	 * outside the mount, no path to hold. Through <path>'s directory.
	 */
	if (p.dentry == p.mnt->mnt_root) {
		path_put(&p);
		return -EXDEV;
	}
	take_dentry_name_snapshot(&name, p.dentry);
	dev->bad_name = kstrdup(name.name.name, GFP_KERNEL);
	release_dentry_name_snapshot(&name);
	if (dev->bad_name) {
		dev->bad_dir.mnt = mntget(p.mnt);
		dev->bad_dir.dentry = dget_parent(p.dentry);
	}
	path_put(&p);
	return dev->bad_name ? 0 : -ENOMEM;
}

/*
 * Where the list of a disk on a regular file is kept, <path>.bad: its
 * directory looked up once, at DEV_ADD, in the caller's context. A flush
 * saves the list from the disk's workqueue, whose root, working directory
 * and mounts are not the caller's: the path looked up there would name
 * another file, or none. A list that is there may be a symbolic link:
 * followed now, as the caller would, to the file it names. None for
 * other disks.
 */
static int zcblk_media_sidecar_find(struct zcblk_dev *dev)
{
	const char *path = dev->cfg.path, *slash;
	struct path p;
	char *dir;
	int ret;

	if (!path || dev->ops != &zcblk_file_backend)
		return 0;
	ret = kern_path(path, LOOKUP_FOLLOW, &p);
	if (ret)
		return ret;
	ret = d_is_reg(p.dentry);
	path_put(&p);
	if (!ret)
		return 0;
	/* Not there, a loop, ...: the directory's; the open says why. */
	ret = zcblk_media_sidecar_resolve(dev);
	if (!ret || ret == -ENOMEM)
		return ret;
	slash = strrchr(path, '/');
	dir = slash ? kstrndup(path, slash - path + 1, GFP_KERNEL) :
		      kstrdup(".", GFP_KERNEL);
	dev->bad_name = kasprintf(GFP_KERNEL, "%s.bad",
				  slash ? slash + 1 : path);
	ret = -ENOMEM;
	if (dir && dev->bad_name)
		ret = kern_path(dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
				&dev->bad_dir);
	kfree(dir);
	if (ret) {
		kfree(dev->bad_name);
		dev->bad_name = NULL;
	}
	return ret;
}

/* The list's file, in the directory DEV_ADD found. */
static struct file *zcblk_media_sidecar_open(struct zcblk_dev *dev,
					     int flags)
{
	return file_open_root(&dev->bad_dir, dev->bad_name, flags, 0600);
}

/**
 * zcblk_media_release() - let go of the list's directory
 * @dev: the disk, its list saved for the last time
 *
 * Context: process context.
 */
void zcblk_media_release(struct zcblk_dev *dev)
{
	if (!dev->bad_name)
		return;
	mutex_lock(&dev->bad_save_lock);
	path_put(&dev->bad_dir);
	kfree(dev->bad_name);
	dev->bad_name = NULL;
	mutex_unlock(&dev->bad_save_lock);
}

struct zcblk_bad_buf {
	struct zcblk_bad_ent *ent;
	u32 nr, max;
};

static int zcblk_media_collect(u64 lba, u64 nlb, void *arg)
{
	struct zcblk_bad_buf *b = arg;

	if (b->nr == b->max)
		return -ENOSPC;
	b->ent[b->nr].lba = cpu_to_le64(lba);
	b->ent[b->nr].nlb = cpu_to_le64(nlb);
	b->nr++;
	return 0;
}

static int zcblk_media_write_list(struct zcblk_dev *dev)
{
	unsigned int gen = read_seqbegin(&dev->bad.lock);
	struct zcblk_bad_buf b = { .max = PAGE_SIZE / sizeof(u64) };
	struct zcblk_bad_hdr *h;
	struct file *f;
	loff_t off = 0;
	size_t len;
	ssize_t n;
	int ret;

	lockdep_assert_held(&dev->bad_save_lock);
	if (gen == dev->bad_saved)
		return 0;
	len = sizeof(*h) + b.max * sizeof(*b.ent);
	h = kzalloc(len, GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	b.ent = (struct zcblk_bad_ent *)(h + 1);
	ret = zcblk_media_list(dev, zcblk_media_collect, &b);
	if (ret)
		goto out_free;
	memcpy(h->magic, ZCBLK_BAD_MAGIC, sizeof(h->magic));
	h->version = cpu_to_le32(ZCBLK_BAD_VERSION);
	h->block_size = cpu_to_le32(dev->cfg.block_size);
	h->nr = cpu_to_le32(b.nr);
	h->crc = cpu_to_le32(crc32_le(~0, (u8 *)b.ent,
				      b.nr * sizeof(*b.ent)));
	len = sizeof(*h) + b.nr * sizeof(*b.ent);
	/*
	 * O_NONBLOCK: a FIFO put there since must not hold a flush.
	 * O_NOFOLLOW: a link there was resolved at DEV_ADD; one put there
	 * since, by whoever may write the directory, would have root write
	 * the file it names.
	 */
	f = zcblk_media_sidecar_open(dev, O_WRONLY | O_LARGEFILE | O_NONBLOCK |
				     O_NOFOLLOW | (b.nr ? O_CREAT : 0));
	ret = PTR_ERR_OR_ZERO(f);
	if (ret == -ENOENT && !b.nr)
		ret = 0;	/* nothing to keep, nothing there */
	if (IS_ERR(f))
		goto out_free;
	ret = vfs_truncate(&f->f_path, len);
	if (!ret) {
		n = kernel_write(f, h, len, &off);
		ret = n < 0 ? n : n == len ? vfs_fsync(f, 0) : -EIO;
	}
	fput(f);
out_free:
	kfree(h);
	if (!ret)
		dev->bad_saved = gen;
	return ret;
}

/**
 * zcblk_media_save() - write a file disk's list beside its file
 * @dev: the disk
 *
 * Only when the list changed since it was last read or written; an empty
 * list makes no file, but empties one that is there. Flushes run at once
 * from the workqueue, and DEV_SET and DEV_DEL save too: one at a time.
 *
 * Context: process context.
 * Return: 0 or a negative errno.
 */
int zcblk_media_save(struct zcblk_dev *dev)
{
	unsigned int noio;
	int ret;

	if (!READ_ONCE(dev->bad_name))		/* a disk without a file */
		return 0;
	mutex_lock(&dev->bad_save_lock);
	/* Flushes wait for bad_save_lock: no reclaim through the disk */
	noio = memalloc_noio_save();
	ret = dev->bad_name ? zcblk_media_write_list(dev) : 0;
	memalloc_noio_restore(noio);
	mutex_unlock(&dev->bad_save_lock);
	return ret;
}

/**
 * zcblk_media_load() - read a file disk's list from beside its file
 * @dev: the file disk being added, its block size settled
 * @extack: for the reason of a refusal
 *
 * Context: process context.
 * Return: 0 (also when there is none), or -EINVAL for a list that is not
 * one, or for another block size.
 */
int zcblk_media_load(struct zcblk_dev *dev, struct netlink_ext_ack *extack)
{
	u64 nsze = dev->cfg.size >> ilog2(dev->cfg.block_size);
	size_t max = sizeof(struct zcblk_bad_hdr) +
		     PAGE_SIZE / sizeof(u64) * sizeof(struct zcblk_bad_ent);
	struct zcblk_bad_ent *ent;
	struct zcblk_bad_hdr *h;
	struct file *f;
	loff_t off = 0;
	ssize_t n;
	u32 i, nr;
	int ret;

	dev->bad_saved = read_seqbegin(&dev->bad.lock);
	ret = zcblk_media_sidecar_find(dev);
	if (ret) {
		NL_SET_ERR_MSG(extack,
			       "path: cannot look up the directory of its bad block list (.bad)");
		return ret;
	}
	if (!dev->bad_name)
		return 0;
	/* O_NONBLOCK: a FIFO there must not hold DEV_ADD */
	f = zcblk_media_sidecar_open(dev, O_RDONLY | O_LARGEFILE | O_NONBLOCK);
	if (IS_ERR(f) && PTR_ERR(f) == -ENOENT) {
		/*
		 * Nothing, or a link to nothing: the saves, which follow no
		 * link (zcblk_media_write_list()), could never write there.
		 */
		f = zcblk_media_sidecar_open(dev, O_PATH | O_NOFOLLOW);
		if (IS_ERR(f))
			return 0;
		fput(f);
		NL_SET_ERR_MSG(extack,
			       "path: the bad block list beside it (.bad) is a link to nothing");
		return -ENOENT;
	}
	if (IS_ERR(f)) {
		NL_SET_ERR_MSG(extack,
			       "path: the bad block list beside it (.bad) cannot be opened");
		return PTR_ERR(f);
	}
	/* kernel_read() of a directory says only EINVAL, and logs it */
	ret = -EINVAL;
	if (!S_ISREG(file_inode(f)->i_mode)) {
		NL_SET_ERR_MSG(extack,
			       "path: the bad block list beside it (.bad) is not a regular file");
		goto out_put;
	}
	h = kzalloc(max + 1, GFP_KERNEL);
	ret = -ENOMEM;
	if (!h)
		goto out_put;
	ent = (struct zcblk_bad_ent *)(h + 1);
	n = kernel_read(f, h, max + 1, &off);
	ret = n < 0 ? n : 0;
	if (ret) {
		NL_SET_ERR_MSG(extack,
			       "path: the bad block list beside it (.bad) cannot be read");
		goto out_free;
	}
	nr = le32_to_cpu(h->nr);
	ret = -EINVAL;
	if (n < sizeof(*h) || memcmp(h->magic, ZCBLK_BAD_MAGIC, 8) ||
	    le32_to_cpu(h->version) != ZCBLK_BAD_VERSION ||
	    nr > (max - sizeof(*h)) / sizeof(*ent) ||
	    n != sizeof(*h) + nr * sizeof(*ent) ||
	    le32_to_cpu(h->crc) != crc32_le(~0, (u8 *)ent, nr * sizeof(*ent))) {
		NL_SET_ERR_MSG(extack,
			       "path: the bad block list beside it (.bad) is damaged");
		goto out_free;
	}
	if (le32_to_cpu(h->block_size) != dev->cfg.block_size) {
		NL_SET_ERR_MSG(extack,
			       "path: the bad block list beside it (.bad) is for another block size");
		goto out_free;
	}
	for (i = 0; i < nr; i++) {
		u64 lba = le64_to_cpu(ent[i].lba), nlb = le64_to_cpu(ent[i].nlb);

		if (!nlb || lba >= nsze || nlb > nsze - lba)
			goto out_misfit;
		/* a saved range merges neighbours: in commands' sizes */
		while (nlb) {
			u64 k = min_t(u64, nlb, ZCBLK_MEDIA_MAX_NLB);

			if (zcblk_media_mark(dev, lba, k))
				goto out_misfit;
			lba += k;
			nlb -= k;
		}
	}
	dev->bad_saved = read_seqbegin(&dev->bad.lock);
	ret = 0;
	goto out_free;
out_misfit:
	NL_SET_ERR_MSG(extack,
		       "path: the bad block list beside it (.bad) does not fit the disk");
out_free:
	kfree(h);
out_put:
	fput(f);
	return ret;
}
