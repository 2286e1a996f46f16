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
	return zcblk_netlink_init();
}

static void __exit zcblk_exit(void)
{
	/* No request can arrive once the family is gone. */
	zcblk_netlink_exit();
	zcblk_dev_remove_all();
}

module_init(zcblk_init);
module_exit(zcblk_exit);

MODULE_DESCRIPTION("zcblk: virtual disks with an NVMe passthrough char device");
MODULE_LICENSE("GPL");
