// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/zcblk.yaml */
/* YNL-GEN kernel source */
/* YNL-ARG --exclude-op features */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/zcblk.h>
#include <linux/zcblk.h>

/* Integer value ranges */
static const struct netlink_range_validation zcblk_a_dev_index_range = {
	.max	= 65535ULL,
};

static const struct netlink_range_validation zcblk_a_dev_size_range = {
	.min	= 1ULL,
	.max	= ZCBLK_MAX_SIZE,
};

static const struct netlink_range_validation zcblk_a_dev_timeout_ms_range = {
	.min	= 100ULL,
	.max	= 3600000ULL,
};

static const struct netlink_range_validation zcblk_a_dev_completion_ns_range = {
	.max	= 10000000000ULL,
};

static const struct netlink_range_validation zcblk_a_dev_latency_ns_range = {
	.max	= 10000000000ULL,
};

static const struct netlink_range_validation zcblk_a_dev_fail_ppm_range = {
	.max	= 1000000ULL,
};

static const struct netlink_range_validation zcblk_a_dev_bad_nlb_range = {
	.min	= 1ULL,
	.max	= 65536ULL,
};

static const struct netlink_range_validation zcblk_a_dev_corrupt_nlb_range = {
	.min	= 1ULL,
	.max	= 65536ULL,
};

/* ZCBLK_CMD_DEV_ADD - do */
const struct nla_policy zcblk_dev_add_nl_policy[ZCBLK_A_DEV_FDP_RUH_TYPE + 1] = {
	[ZCBLK_A_DEV_INDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &zcblk_a_dev_index_range),
	[ZCBLK_A_DEV_BACKEND] = { .type = NLA_NUL_STRING, .len = 15, },
	[ZCBLK_A_DEV_SIZE] = NLA_POLICY_FULL_RANGE(NLA_U64, &zcblk_a_dev_size_range),
	[ZCBLK_A_DEV_BLOCK_SIZE] = NLA_POLICY_RANGE(NLA_U32, 512, 4096),
	[ZCBLK_A_DEV_NR_QUEUES] = NLA_POLICY_RANGE(NLA_U32, 1, ZCBLK_MAX_QUEUES),
	[ZCBLK_A_DEV_POLL_QUEUES] = NLA_POLICY_MAX(NLA_U32, ZCBLK_MAX_QUEUES),
	[ZCBLK_A_DEV_QUEUE_DEPTH] = NLA_POLICY_RANGE(NLA_U32, 1, ZCBLK_MAX_QUEUE_DEPTH),
	[ZCBLK_A_DEV_NODE_UID] = { .type = NLA_U32, },
	[ZCBLK_A_DEV_NODE_GID] = { .type = NLA_U32, },
	[ZCBLK_A_DEV_NODE_MODE] = NLA_POLICY_RANGE(NLA_U32, 1, 511),
	[ZCBLK_A_DEV_PATH] = { .type = NLA_NUL_STRING, .len = 4095, },
	[ZCBLK_A_DEV_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x7f),
	[ZCBLK_A_DEV_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &zcblk_a_dev_timeout_ms_range),
	[ZCBLK_A_DEV_COMPLETION] = NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[ZCBLK_A_DEV_COMPLETION_NS] = NLA_POLICY_FULL_RANGE(NLA_U64, &zcblk_a_dev_completion_ns_range),
	[ZCBLK_A_DEV_LATENCY_NS] = NLA_POLICY_FULL_RANGE(NLA_U64, &zcblk_a_dev_latency_ns_range),
	[ZCBLK_A_DEV_FAIL_EVERY] = { .type = NLA_U32, },
	[ZCBLK_A_DEV_FAIL_PPM] = NLA_POLICY_FULL_RANGE(NLA_U32, &zcblk_a_dev_fail_ppm_range),
	[ZCBLK_A_DEV_FAIL_STATUS] = NLA_POLICY_RANGE(NLA_U32, 1, 32767),
	[ZCBLK_A_DEV_FAIL_OPS] = NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[ZCBLK_A_DEV_STALL] = NLA_POLICY_MAX(NLA_U8, 1),
	[ZCBLK_A_DEV_ZONE_SIZE] = NLA_POLICY_MIN(NLA_U64, 512),
	[ZCBLK_A_DEV_ZONE_CAPACITY] = NLA_POLICY_MIN(NLA_U64, 512),
	[ZCBLK_A_DEV_ZONE_NR_CONV] = { .type = NLA_U32, },
	[ZCBLK_A_DEV_ZONE_MAX_OPEN] = { .type = NLA_U32, },
	[ZCBLK_A_DEV_ZONE_MAX_ACTIVE] = { .type = NLA_U32, },
	[ZCBLK_A_DEV_METADATA_SIZE] = { .type = NLA_U32, },
	[ZCBLK_A_DEV_PI_TYPE] = NLA_POLICY_MAX(NLA_U32, 3),
	[ZCBLK_A_DEV_WRITE_CACHE] = { .type = NLA_U64, },
	[ZCBLK_A_DEV_FDP_RU_SIZE] = { .type = NLA_U64, },
	[ZCBLK_A_DEV_FDP_NRUH] = NLA_POLICY_RANGE(NLA_U32, 1, 128),
	[ZCBLK_A_DEV_FDP_NRG] = NLA_POLICY_RANGE(NLA_U32, 1, 32),
	[ZCBLK_A_DEV_FDP_NPH] = NLA_POLICY_RANGE(NLA_U32, 1, 128),
	[ZCBLK_A_DEV_FDP_RUH_TYPE] = NLA_POLICY_RANGE(NLA_U32, 1, 2),
};

/* ZCBLK_CMD_DEV_DEL - do */
const struct nla_policy zcblk_dev_del_nl_policy[ZCBLK_A_DEV_INDEX + 1] = {
	[ZCBLK_A_DEV_INDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &zcblk_a_dev_index_range),
};

/* ZCBLK_CMD_DEV_GET - do */
const struct nla_policy zcblk_dev_get_nl_policy[ZCBLK_A_DEV_INDEX + 1] = {
	[ZCBLK_A_DEV_INDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &zcblk_a_dev_index_range),
};

/* ZCBLK_CMD_DEV_STATS - do */
const struct nla_policy zcblk_dev_stats_nl_policy[ZCBLK_A_DEV_INDEX + 1] = {
	[ZCBLK_A_DEV_INDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &zcblk_a_dev_index_range),
};

/* ZCBLK_CMD_DEV_SET - do */
const struct nla_policy zcblk_dev_set_nl_policy[ZCBLK_A_DEV_CORRUPT + 1] = {
	[ZCBLK_A_DEV_INDEX] = NLA_POLICY_FULL_RANGE(NLA_U32, &zcblk_a_dev_index_range),
	[ZCBLK_A_DEV_COMPLETION] = NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[ZCBLK_A_DEV_COMPLETION_NS] = NLA_POLICY_FULL_RANGE(NLA_U64, &zcblk_a_dev_completion_ns_range),
	[ZCBLK_A_DEV_LATENCY_NS] = NLA_POLICY_FULL_RANGE(NLA_U64, &zcblk_a_dev_latency_ns_range),
	[ZCBLK_A_DEV_FAIL_EVERY] = { .type = NLA_U32, },
	[ZCBLK_A_DEV_FAIL_PPM] = NLA_POLICY_FULL_RANGE(NLA_U32, &zcblk_a_dev_fail_ppm_range),
	[ZCBLK_A_DEV_FAIL_STATUS] = NLA_POLICY_RANGE(NLA_U32, 1, 32767),
	[ZCBLK_A_DEV_FAIL_OPS] = NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[ZCBLK_A_DEV_STALL] = NLA_POLICY_MAX(NLA_U8, 1),
	[ZCBLK_A_DEV_POWER] = NLA_POLICY_RANGE(NLA_U32, 1, 2),
	[ZCBLK_A_DEV_CUT_MODE] = NLA_POLICY_RANGE(NLA_U32, 1, 3),
	[ZCBLK_A_DEV_CUT_SEED] = { .type = NLA_U64, },
	[ZCBLK_A_DEV_BAD_LBA] = { .type = NLA_U64, },
	[ZCBLK_A_DEV_BAD_NLB] = NLA_POLICY_FULL_RANGE(NLA_U32, &zcblk_a_dev_bad_nlb_range),
	[ZCBLK_A_DEV_BAD_CLEAR] = NLA_POLICY_MAX(NLA_U8, 1),
	[ZCBLK_A_DEV_CORRUPT_LBA] = { .type = NLA_U64, },
	[ZCBLK_A_DEV_CORRUPT_NLB] = NLA_POLICY_FULL_RANGE(NLA_U32, &zcblk_a_dev_corrupt_nlb_range),
	[ZCBLK_A_DEV_CORRUPT] = NLA_POLICY_RANGE(NLA_U32, 1, 5),
};

/* Ops table for zcblk */
const struct genl_ops zcblk_nl_ops[5] = {
	{
		.cmd		= ZCBLK_CMD_DEV_ADD,
		.doit		= zcblk_nl_dev_add_doit,
		.policy		= zcblk_dev_add_nl_policy,
		.maxattr	= ZCBLK_A_DEV_FDP_RUH_TYPE,
	},
	{
		.cmd		= ZCBLK_CMD_DEV_DEL,
		.doit		= zcblk_nl_dev_del_doit,
		.policy		= zcblk_dev_del_nl_policy,
		.maxattr	= ZCBLK_A_DEV_INDEX,
	},
	{
		.cmd		= ZCBLK_CMD_DEV_GET,
		.doit		= zcblk_nl_dev_get_doit,
		.dumpit		= zcblk_nl_dev_get_dumpit,
		.policy		= zcblk_dev_get_nl_policy,
		.maxattr	= ZCBLK_A_DEV_INDEX,
	},
	{
		.cmd		= ZCBLK_CMD_DEV_STATS,
		.doit		= zcblk_nl_dev_stats_doit,
		.dumpit		= zcblk_nl_dev_stats_dumpit,
		.policy		= zcblk_dev_stats_nl_policy,
		.maxattr	= ZCBLK_A_DEV_INDEX,
	},
	{
		.cmd		= ZCBLK_CMD_DEV_SET,
		.doit		= zcblk_nl_dev_set_doit,
		.policy		= zcblk_dev_set_nl_policy,
		.maxattr	= ZCBLK_A_DEV_CORRUPT,
	},
};

static const struct genl_multicast_group zcblk_nl_mcgrps[] = {
	[ZCBLK_NLGRP_MONITOR] = { "monitor", },
};
