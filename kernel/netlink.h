/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ZCBLK_NETLINK_H
#define ZCBLK_NETLINK_H

int zcblk_netlink_init(void);
void zcblk_netlink_exit(void);

#endif /* ZCBLK_NETLINK_H */
