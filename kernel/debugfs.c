// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/zcblk/pins (module-wide) and .../zcblk/<N>/pins: the
 * pin accounting, for people and tests. DEV_STATS carries the same; a
 * disk's file also shows its pin budget and what of it is reserved. On a
 * zoned disk, zone_readonly and zone_offline take an LBA whose zone fails
 * so (Documentation/zoned.rst).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "dev.h"
#include "pin.h"
#include "zns.h"

static struct dentry *zcblk_debugfs_root;

static void zcblk_pins_print(struct seq_file *m, s64 pinned, s64 unpinned,
			     s64 fixed_bytes)
{
	seq_printf(m, "pinned %lld\nunpinned %lld\ncurrent %lld\nfixed_bytes %lld\n",
		   pinned, unpinned, pinned - unpinned, fixed_bytes);
}

static int zcblk_pins_show(struct seq_file *m, void *v)
{
	s64 pinned, unpinned, fixed_bytes;

	zcblk_pins_total_sum(&pinned, &unpinned, &fixed_bytes);
	zcblk_pins_print(m, pinned, unpinned, fixed_bytes);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(zcblk_pins);

static int zcblk_dev_pins_show(struct seq_file *m, void *v)
{
	struct zcblk_dev *dev = m->private;
	s64 unpinned = atomic64_read(&dev->pins.unpinned);	/* first */
	struct zcblk_io_stats st;

	zcblk_stats_sum(dev, &st);
	zcblk_pins_print(m, atomic64_read(&dev->pins.pinned), unpinned,
			 st.fixed_bytes);
	seq_printf(m, "budget %lu\nreserved %ld\nmaps %u\n",
		   dev->maps.budget, atomic_long_read(&dev->maps.reserved),
		   dev->maps.nr);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(zcblk_dev_pins);

/* How requests ran: for tests that must see the path they claim. */
static int zcblk_dev_queues_show(struct seq_file *m, void *v)
{
	struct zcblk_dev *dev = m->private;
	struct zcblk_io_stats st;

	zcblk_stats_sum(dev, &st);
	seq_printf(m, "deferred %llu\npolled %llu\n", st.deferred, st.polled);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(zcblk_dev_queues);

static ssize_t zcblk_zone_fail_write(struct file *file,
				     const char __user *ubuf, size_t count,
				     u8 state)
{
	struct zcblk_dev *dev = file->private_data;
	u64 lba;
	int ret;

	ret = kstrtou64_from_user(ubuf, count, 0, &lba);
	if (ret)
		return ret;
	ret = zcblk_zns_fail_zone(dev, lba, state);
	return ret ? ret : count;
}

static ssize_t zcblk_zone_readonly_write(struct file *file,
					 const char __user *ubuf,
					 size_t count, loff_t *ppos)
{
	return zcblk_zone_fail_write(file, ubuf, count, ZCBLK_ZS_READ_ONLY);
}

static ssize_t zcblk_zone_offline_write(struct file *file,
					const char __user *ubuf,
					size_t count, loff_t *ppos)
{
	return zcblk_zone_fail_write(file, ubuf, count, ZCBLK_ZS_OFFLINE);
}

static const struct file_operations zcblk_zone_readonly_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= zcblk_zone_readonly_write,
};

static const struct file_operations zcblk_zone_offline_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= zcblk_zone_offline_write,
};

/**
 * zcblk_debugfs_add() - create a disk's debugfs directory and pins file
 * @dev: the disk being added
 *
 * Context: process context; may sleep.
 */
void zcblk_debugfs_add(struct zcblk_dev *dev)
{
	char name[16];

	snprintf(name, sizeof(name), "%u", dev->index);
	/* debugfs failures are not errors: the files are for debugging. */
	dev->debugfs = debugfs_create_dir(name, zcblk_debugfs_root);
	debugfs_create_file("pins", 0444, dev->debugfs, dev,
			    &zcblk_dev_pins_fops);
	debugfs_create_file("queues", 0444, dev->debugfs, dev,
			    &zcblk_dev_queues_fops);
	if (!zcblk_zoned(dev))
		return;
	debugfs_create_file("zone_readonly", 0200, dev->debugfs, dev,
			    &zcblk_zone_readonly_fops);
	debugfs_create_file("zone_offline", 0200, dev->debugfs, dev,
			    &zcblk_zone_offline_fops);
}

/**
 * zcblk_debugfs_del() - remove a disk's debugfs directory
 * @dev: the disk being torn down
 *
 * Returns once no reader is in the pins file, which reads @dev.
 *
 * Context: process context; may sleep.
 */
void zcblk_debugfs_del(struct zcblk_dev *dev)
{
	debugfs_remove_recursive(dev->debugfs);
	dev->debugfs = NULL;
}

/**
 * zcblk_debugfs_init() - create zcblk's debugfs directory and its pins file
 *
 * Failures are not errors: the files are for debugging.
 *
 * Context: module init.
 */
void zcblk_debugfs_init(void)
{
	zcblk_debugfs_root = debugfs_create_dir("zcblk", NULL);
	debugfs_create_file("pins", 0444, zcblk_debugfs_root,
			    NULL, &zcblk_pins_fops);
}

/**
 * zcblk_debugfs_exit() - remove zcblk's debugfs directory
 *
 * Context: module exit or failed init, with no disk left.
 */
void zcblk_debugfs_exit(void)
{
	debugfs_remove_recursive(zcblk_debugfs_root);
}
