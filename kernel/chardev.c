// SPDX-License-Identifier: GPL-2.0
/*
 * The passthrough char device /dev/zcblk<N>c: its node, on a cdev region
 * and a "zcblk" class of our own (misc devices are capped at 128 dynamic
 * minors on 6.1), and its file operations; the commands are passthru.c's.
 */
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/module.h>

#include "compat.h"
#include "dev.h"
#include "passthru.h"

static dev_t zcblk_chr_devt;
static struct class *zcblk_class;

static int zcblk_chr_open(struct inode *inode, struct file *file)
{
	struct zcblk_dev *dev = container_of(inode->i_cdev, struct zcblk_dev,
					     cdev);

	dev = zcblk_dev_get_live(dev);
	if (!dev)
		return -ENODEV;
	file->private_data = dev;
	return 0;
}

static int zcblk_chr_release(struct inode *inode, struct file *file)
{
	zcblk_dev_put(file->private_data);
	return 0;
}

static const struct file_operations zcblk_chr_fops = {
	.owner			= THIS_MODULE,
	.open			= zcblk_chr_open,
	.release		= zcblk_chr_release,
	.unlocked_ioctl		= zcblk_pt_ioctl,
	.compat_ioctl		= compat_ptr_ioctl,
	.uring_cmd		= zcblk_pt_uring_cmd,
	.uring_cmd_iopoll	= zcblk_pt_uring_cmd_iopoll,
};

/* Owner and mode of the node, as DEV_ADD set them (devtmpfs applies it). */
static char *zcblk_chr_devnode(ZCBLK_DEVNODE_CONST struct device *d,
			       umode_t *mode, kuid_t *uid, kgid_t *gid)
{
	const struct zcblk_dev *dev = container_of(d, struct zcblk_dev,
						   cdev_dev);

	if (mode)
		*mode = dev->cfg.node_mode;
	if (uid)
		*uid = dev->cfg.node_uid;
	if (gid)
		*gid = dev->cfg.node_gid;
	return NULL;
}

/* The device's reference on the disk, taken in zcblk_chardev_add(). */
static void zcblk_chr_release_dev(struct device *d)
{
	zcblk_dev_put(container_of(d, struct zcblk_dev, cdev_dev));
}

static const struct device_type zcblk_chr_type = {
	.name		= "zcblk_passthru",
	.devnode	= zcblk_chr_devnode,
	.release	= zcblk_chr_release_dev,
};

/**
 * zcblk_chardev_add() - create a disk's passthrough node, /dev/zcblk<N>c
 * @dev: the disk being added
 *
 * The device holds a reference on @dev, dropped when it is released.
 *
 * Context: process context; may sleep.
 * Return: 0, or a negative errno.
 */
int zcblk_chardev_add(struct zcblk_dev *dev)
{
	struct device *d = &dev->cdev_dev;
	int ret;

	device_initialize(d);
	d->class = zcblk_class;
	d->type = &zcblk_chr_type;
	d->devt = MKDEV(MAJOR(zcblk_chr_devt), dev->index);
	kref_get(&dev->ref);
	ret = dev_set_name(d, "zcblk%uc", dev->index);
	if (ret)
		goto err_put_device;
	cdev_init(&dev->cdev, &zcblk_chr_fops);
	dev->cdev.owner = THIS_MODULE;
	ret = cdev_device_add(&dev->cdev, d);
	if (ret)
		goto err_put_device;
	return 0;

err_put_device:
	put_device(d);
	return ret;
}

/**
 * zcblk_chardev_del() - remove a disk's passthrough node
 * @dev: the disk being torn down
 *
 * Open files keep the device until they close.
 *
 * Context: process context; may sleep.
 */
void zcblk_chardev_del(struct zcblk_dev *dev)
{
	cdev_device_del(&dev->cdev, &dev->cdev_dev);
	put_device(&dev->cdev_dev);
}

/**
 * zcblk_chardev_init() - register the char device region and class
 *
 * A region of our own: misc devices are capped at 128 dynamic minors on 6.1.
 *
 * Context: module init.
 * Return: 0, or a negative errno.
 */
int __init zcblk_chardev_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&zcblk_chr_devt, 0, ZCBLK_MAX_DEVS, "zcblk");
	if (ret)
		return ret;
	zcblk_class = zcblk_class_create("zcblk");
	if (IS_ERR(zcblk_class)) {
		ret = PTR_ERR(zcblk_class);
		goto err_unregister_region;
	}
	return 0;

err_unregister_region:
	unregister_chrdev_region(zcblk_chr_devt, ZCBLK_MAX_DEVS);
	return ret;
}

/**
 * zcblk_chardev_exit() - unregister the char device region and class
 *
 * Context: module exit or failed init, with no disk left.
 */
void zcblk_chardev_exit(void)
{
	class_destroy(zcblk_class);
	unregister_chrdev_region(zcblk_chr_devt, ZCBLK_MAX_DEVS);
}
