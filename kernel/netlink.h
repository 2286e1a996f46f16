/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ZCBLK_NETLINK_H
#define ZCBLK_NETLINK_H

#include <linux/types.h>

struct genl_info;
struct zcblk_config;
struct zcblk_settings;

int zcblk_netlink_init(void);
void zcblk_netlink_exit(void);

/* netlink_parse.c */
int zcblk_nl_parse_add(struct genl_info *info, struct zcblk_config *cfg);
int zcblk_nl_parse_path(struct genl_info *info, struct zcblk_config *cfg);
int zcblk_nl_parse_settings(struct genl_info *info,
			    struct zcblk_settings *set, u64 *mask);

#endif /* ZCBLK_NETLINK_H */
