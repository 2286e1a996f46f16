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
 * flush and when the disk goes; read when the disk comes. Two copies,
 * written in turn, each with a generation: a save torn by a crash leaves
 * the other. The first version's file (one copy, its header without the
 * generation) is read as the first copy; the next save writes the second.
 */
#define ZCBLK_BAD_MAGIC		"ZCBLKBB"	/* and a NUL: 8 bytes */
#define ZCBLK_BAD_VERSION	2
#define ZCBLK_BAD_VERSION_1	1

struct zcblk_bad_hdr {
	u8 magic[8];
	__le32 version;
	__le32 block_size;
	__le32 nr;			/* entries that follow */
	/* crc32_le of the header (crc 0) and entries; version 1: entries */
	__le32 crc;
	__le64 gen;			/* not in version 1: entries follow crc */
};

struct zcblk_bad_ent {
	__le64 lba;
	__le64 nlb;
};

/*
 * Ranges a copy holds, and where the second copy starts: fixed, so that
 * the file means the same to every kernel; the kernel's table
 * (MAX_BADBLOCKS, a page of ranges) must fit.
 */
#define ZCBLK_BAD_MAX		512
#define ZCBLK_BAD_COPY		12288
static_assert(sizeof(struct zcblk_bad_hdr) +
	      ZCBLK_BAD_MAX * sizeof(struct zcblk_bad_ent) <= ZCBLK_BAD_COPY);
static_assert(MAX_BADBLOCKS <= ZCBLK_BAD_MAX);

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
	struct zcblk_bad_buf b = { .max = ZCBLK_BAD_MAX };
	struct zcblk_bad_hdr *h;
	struct file *f;
	loff_t off = 0;
	size_t len;
	ssize_t n;
	u8 copy;
	int ret;

	lockdep_assert_held(&dev->bad_save_lock);
	if (gen == dev->bad_saved)
		return 0;
	len = sizeof(*h) + b.max * sizeof(*b.ent);
	h = kvzalloc(len, GFP_KERNEL);
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
	h->gen = cpu_to_le64(dev->bad_gen + 1);
	len = sizeof(*h) + b.nr * sizeof(*b.ent);
	h->crc = cpu_to_le32(crc32_le(~0, (u8 *)h, len));
	/* Into the copy that does not hold the newest list */
	copy = !dev->bad_copy;
	off = copy * ZCBLK_BAD_COPY;
	/*
	 * O_NONBLOCK: a FIFO put there since must not hold a flush.
	 * O_NOFOLLOW: a link there was resolved at DEV_ADD; one put there
	 * since, by whoever may write the directory, would have root write
	 * the file it names.
	 */
	f = zcblk_media_sidecar_open(dev, O_WRONLY | O_LARGEFILE | O_NONBLOCK |
				     O_NOFOLLOW | (b.nr ? O_CREAT : 0));
	if (IS_ERR(f)) {
		ret = PTR_ERR(f);
		if (ret == -ENOENT && !b.nr)
			ret = 0;	/* nothing to keep, nothing there */
		goto out_free;
	}
	/* A device node put there since: not written */
	ret = -EINVAL;
	if (S_ISREG(file_inode(f)->i_mode)) {
		n = kernel_write(f, h, len, &off);
		ret = n < 0 ? n : n == len ? vfs_fsync(f, 0) : -EIO;
	}
	fput(f);
	if (!ret) {
		dev->bad_copy = copy;
		dev->bad_gen++;
	}
out_free:
	kvfree(h);
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

/*
 * What copy @copy of the list holds (@buf, @n bytes read from where it
 * starts): 0 and its generation in *@gen for a whole list; -ENOENT for
 * none (nothing read, or a header of zeros: never written); -EPROTO for a
 * version not known here (version 1 only as the first copy: the whole
 * file it wrote); -EBADMSG for anything else (its CRC, a length).
 */
static int zcblk_media_copy_check(void *buf, ssize_t n, unsigned int copy,
				  u64 *gen)
{
	struct zcblk_bad_hdr *h = buf;
	size_t hlen = sizeof(*h);
	u32 crc, c = ~0, nr;

	if (n <= 0 || (n >= hlen && !memchr_inv(h, 0, hlen)))
		return -ENOENT;
	if (n < offsetof(struct zcblk_bad_hdr, gen) ||
	    memcmp(h->magic, ZCBLK_BAD_MAGIC, sizeof(h->magic)))
		return -EBADMSG;
	crc = le32_to_cpu(h->crc);
	*gen = 0;
	if (le32_to_cpu(h->version) == ZCBLK_BAD_VERSION_1 && !copy) {
		hlen = offsetof(struct zcblk_bad_hdr, gen);
	} else if (le32_to_cpu(h->version) == ZCBLK_BAD_VERSION) {
		if (n < hlen)
			return -EBADMSG;
		h->crc = 0;
		c = crc32_le(c, buf, hlen);
		h->crc = cpu_to_le32(crc);
		*gen = le64_to_cpu(h->gen);
		if (*gen == U64_MAX)	/* no save could follow it */
			return -EBADMSG;
	} else {
		return -EPROTO;
	}
	nr = le32_to_cpu(h->nr);
	if (nr > ZCBLK_BAD_MAX || n < hlen + nr * sizeof(struct zcblk_bad_ent) ||
	    crc32_le(c, buf + hlen, nr * sizeof(struct zcblk_bad_ent)) != crc)
		return -EBADMSG;
	return 0;
}

/*
 * The list the file's copies hold (@buf, @n bytes of it), marked on @dev:
 * the newer whole copy; none for an empty file (made by a first save that
 * never ended) or one of zeros. A damaged copy with no other is refused:
 * the list it held is not known.
 */
static int zcblk_media_load_copies(struct zcblk_dev *dev, void *buf,
				   ssize_t n, struct netlink_ext_ack *extack)
{
	u64 nsze = dev->cfg.size >> ilog2(dev->cfg.block_size);
	struct zcblk_bad_ent *ent;
	struct zcblk_bad_hdr *h;
	int res[2], best = -1;
	u64 gen[2] = {};
	unsigned int i;
	u32 nr;

	for (i = 0; i < 2; i++) {
		ssize_t at = i * ZCBLK_BAD_COPY;

		res[i] = zcblk_media_copy_check(buf + at, n - at, i, &gen[i]);
		if (!res[i] && (best < 0 || gen[i] > gen[best]))
			best = i;
	}
	dev->bad_copy = 1;		/* the first save writes copy 0 */
	dev->bad_gen = 0;
	if (best < 0) {
		if (res[0] == -ENOENT && res[1] == -ENOENT)
			return 0;
		if (res[0] == -EPROTO || res[1] == -EPROTO)
			NL_SET_ERR_MSG(extack,
				       "path: the bad block list beside it (.bad) is of a version not known here");
		else
			NL_SET_ERR_MSG(extack,
				       "path: the bad block list beside it (.bad) is damaged");
		return -EINVAL;
	}
	/* A save torn by a crash, most likely: the other copy is the last */
	if (res[!best] != -ENOENT)
		pr_warn_ratelimited("zcblk%u: bad block list copy %d %s: copy %d, generation %llu, taken\n",
				    dev->index, !best,
				    res[!best] == -EPROTO ?
				    "of an unknown version" : "damaged",
				    best, gen[best]);
	dev->bad_copy = best;
	dev->bad_gen = gen[best];
	h = buf + best * ZCBLK_BAD_COPY;
	if (le32_to_cpu(h->block_size) != dev->cfg.block_size) {
		NL_SET_ERR_MSG(extack,
			       "path: the bad block list beside it (.bad) is for another block size");
		return -EINVAL;
	}
	ent = (void *)h + (h->version == cpu_to_le32(ZCBLK_BAD_VERSION) ?
			   sizeof(*h) : offsetof(struct zcblk_bad_hdr, gen));
	nr = le32_to_cpu(h->nr);
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
	return 0;
out_misfit:
	NL_SET_ERR_MSG(extack,
		       "path: the bad block list beside it (.bad) does not fit the disk");
	return -EINVAL;
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
	size_t max = 2 * ZCBLK_BAD_COPY;
	struct file *f;
	loff_t off = 0;
	void *buf;
	ssize_t n;
	int ret;

	dev->bad_saved = read_seqbegin(&dev->bad.lock);
	dev->bad_copy = 1;
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
	/* One byte more than two copies: a longer file is not a list */
	buf = kvzalloc(max + 1, GFP_KERNEL);
	ret = -ENOMEM;
	if (!buf)
		goto out_put;
	n = kernel_read(f, buf, max + 1, &off);
	ret = n < 0 ? n : 0;
	if (ret) {
		NL_SET_ERR_MSG(extack,
			       "path: the bad block list beside it (.bad) cannot be read");
		goto out_free;
	}
	ret = -EINVAL;
	if (n > max)
		NL_SET_ERR_MSG(extack,
			       "path: the bad block list beside it (.bad) is damaged");
	else
		ret = zcblk_media_load_copies(dev, buf, n, extack);
	if (!ret)
		dev->bad_saved = read_seqbegin(&dev->bad.lock);
out_free:
	kvfree(buf);
out_put:
	fput(f);
	return ret;
}
