// SPDX-License-Identifier: GPL-2.0
/*
 * zcblk: virtual disks with an NVMe-passthrough char device.
 * Module init and exit only.
 */
#include <linux/module.h>

#include "dev.h"
#include "netlink.h"

static int __init zcblk_init(void)
{
	int ret;

	if (!zcblk_max_disks()) {
		pr_err("zcblk: max_disks: 1 to %u\n", ZCBLK_MAX_DEVS);
		return -EINVAL;
	}
	ret = zcblk_chardev_init();
	if (ret)
		return ret;
	zcblk_debugfs_init();
	ret = zcblk_netlink_init();
	if (ret)
		goto err_debugfs_exit;
	return 0;

err_debugfs_exit:
	zcblk_debugfs_exit();
	zcblk_chardev_exit();
	return ret;
}

static void __exit zcblk_exit(void)
{
	/* No request can arrive once the family is gone. */
	zcblk_netlink_exit();
	zcblk_dev_remove_all();
	zcblk_debugfs_exit();
	zcblk_chardev_exit();
}

module_init(zcblk_init);
module_exit(zcblk_exit);

MODULE_DESCRIPTION("zcblk: virtual disks with an NVMe passthrough char device");
MODULE_LICENSE("GPL");
MODULE_VERSION(ZCBLK_VERSION);
