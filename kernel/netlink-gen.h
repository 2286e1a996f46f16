/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/zcblk.yaml */
/* YNL-GEN kernel header */
/* YNL-ARG --exclude-op features */

#ifndef _LINUX_ZCBLK_GEN_H
#define _LINUX_ZCBLK_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/zcblk.h>
#include <linux/zcblk.h>

extern const struct nla_policy zcblk_dev_add_nl_policy[ZCBLK_A_DEV_FDP_RUH_TYPE + 1];

extern const struct nla_policy zcblk_dev_del_nl_policy[ZCBLK_A_DEV_INDEX + 1];

extern const struct nla_policy zcblk_dev_get_nl_policy[ZCBLK_A_DEV_INDEX + 1];

extern const struct nla_policy zcblk_dev_stats_nl_policy[ZCBLK_A_DEV_INDEX + 1];

extern const struct nla_policy zcblk_dev_set_nl_policy[ZCBLK_A_DEV_CORRUPT + 1];

/* Ops table for zcblk */
extern const struct genl_ops zcblk_nl_ops[5];

int zcblk_nl_dev_add_doit(struct sk_buff *skb, struct genl_info *info);
int zcblk_nl_dev_del_doit(struct sk_buff *skb, struct genl_info *info);
int zcblk_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int zcblk_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int zcblk_nl_dev_stats_doit(struct sk_buff *skb, struct genl_info *info);
int zcblk_nl_dev_stats_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int zcblk_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	ZCBLK_NLGRP_MONITOR,
};

#endif /* _LINUX_ZCBLK_GEN_H */
