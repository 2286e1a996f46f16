// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the zcblk family's requests (netlink.c has the handlers): a
 * DEV_ADD's configuration with its defaults, a request's live settings.
 * The generated policy (netlink-gen.c) has checked each attribute alone;
 * this checks them together.
 */
#include <linux/cred.h>
#include <linux/nvme.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "backend.h"
#include "compat.h"
#include "dev.h"
#include "netlink.h"
#include "nvme.h"

#define ZCBLK_DEFAULT_BLOCK_SIZE	512
#define ZCBLK_DEFAULT_NR_QUEUES		1
#define ZCBLK_DEFAULT_QUEUE_DEPTH	128
#define ZCBLK_DEFAULT_TIMEOUT_MS	30000

/* Owner and mode of the char device node: default root:root 0600. */
static int zcblk_nl_parse_node(struct genl_info *info,
			       struct zcblk_config *cfg)
{
	struct nlattr **attrs = info->attrs;
	struct nlattr *attr;

	cfg->node_uid = GLOBAL_ROOT_UID;
	cfg->node_gid = GLOBAL_ROOT_GID;
	cfg->node_mode = 0600;
	attr = attrs[ZCBLK_A_DEV_NODE_UID];
	if (attr) {
		cfg->node_uid = make_kuid(current_user_ns(), nla_get_u32(attr));
		if (!uid_valid(cfg->node_uid)) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "node-uid: not a valid user");
			return -EINVAL;
		}
	}
	attr = attrs[ZCBLK_A_DEV_NODE_GID];
	if (attr) {
		cfg->node_gid = make_kgid(current_user_ns(), nla_get_u32(attr));
		if (!gid_valid(cfg->node_gid)) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "node-gid: not a valid group");
			return -EINVAL;
		}
	}
	attr = attrs[ZCBLK_A_DEV_NODE_MODE];
	if (attr)
		cfg->node_mode = nla_get_u32(attr);
	return 0;
}

/**
 * zcblk_nl_parse_settings() - the live settings a request gives
 * @info: the request
 * @set: where they go
 * @mask: gets BIT(attribute) for each present, or NULL
 *
 * Setting one of fail-every and fail-ppm clears the other: they are two
 * ways of saying how often.
 *
 * Return: 0, or -EINVAL with an extack message.
 */
int zcblk_nl_parse_settings(struct genl_info *info,
			    struct zcblk_settings *set, u64 *mask)
{
	struct nlattr **attrs = info->attrs;
	u64 m = 0;

	/* A bit of @m per attribute */
	BUILD_BUG_ON(ZCBLK_A_DEV_MAX >= 64);

	if (attrs[ZCBLK_A_DEV_FAIL_EVERY] && attrs[ZCBLK_A_DEV_FAIL_PPM] &&
	    nla_get_u32(attrs[ZCBLK_A_DEV_FAIL_EVERY]) &&
	    nla_get_u32(attrs[ZCBLK_A_DEV_FAIL_PPM])) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[ZCBLK_A_DEV_FAIL_PPM],
				    "fail-ppm: fail-every is set too");
		return -EINVAL;
	}
#define ZCBLK_GET(attr, field, get)					\
	do {								\
		if (attrs[ZCBLK_A_DEV_##attr]) {			\
			set->field = get(attrs[ZCBLK_A_DEV_##attr]);	\
			m |= BIT_ULL(ZCBLK_A_DEV_##attr);			\
		}							\
	} while (0)
	ZCBLK_GET(COMPLETION, completion, nla_get_u32);
	ZCBLK_GET(COMPLETION_NS, completion_ns, nla_get_u64);
	ZCBLK_GET(LATENCY_NS, latency_ns, nla_get_u64);
	ZCBLK_GET(FAIL_EVERY, fail_every, nla_get_u32);
	ZCBLK_GET(FAIL_PPM, fail_ppm, nla_get_u32);
	ZCBLK_GET(FAIL_STATUS, fail_status, nla_get_u32);
	ZCBLK_GET(FAIL_OPS, fail_ops, nla_get_u32);
	ZCBLK_GET(STALL, stall, nla_get_u8);
	/*
	 * DEV_SET's actions: past DEV_ADD's policy, whose attribute array
	 * ends before them.
	 */
	if (info->genlhdr->cmd == ZCBLK_CMD_DEV_SET) {
		ZCBLK_GET(POWER, power, nla_get_u32);
		ZCBLK_GET(CUT_MODE, cut_mode, nla_get_u32);
		ZCBLK_GET(CUT_SEED, cut_seed, nla_get_u64);
		ZCBLK_GET(BAD_LBA, bad_lba, nla_get_u64);
		ZCBLK_GET(BAD_NLB, bad_nlb, nla_get_u32);
		ZCBLK_GET(BAD_CLEAR, bad_clear, nla_get_u8);
		ZCBLK_GET(CORRUPT_LBA, corrupt_lba, nla_get_u64);
		ZCBLK_GET(CORRUPT_NLB, corrupt_nlb, nla_get_u32);
		ZCBLK_GET(CORRUPT, corrupt, nla_get_u32);
	}
#undef ZCBLK_GET
	/* A status of DNR, More or CRD alone is success to the block layer */
	if ((m & BIT_ULL(ZCBLK_A_DEV_FAIL_STATUS)) &&
	    !(set->fail_status & 0x7ff)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    attrs[ZCBLK_A_DEV_FAIL_STATUS],
				    "fail-status: no status code (bits 10:0 are 0)");
		return -EINVAL;
	}
	if ((m & (BIT_ULL(ZCBLK_A_DEV_CORRUPT_NLB) |
		  BIT_ULL(ZCBLK_A_DEV_CORRUPT))) &&
	    !(m & BIT_ULL(ZCBLK_A_DEV_CORRUPT_LBA))) {
		NL_SET_ERR_MSG(info->extack,
			       "corrupt-nlb, corrupt: only with corrupt-lba");
		return -EINVAL;
	}
	if ((m & (BIT_ULL(ZCBLK_A_DEV_BAD_NLB) |
		  BIT_ULL(ZCBLK_A_DEV_BAD_CLEAR))) &&
	    !(m & BIT_ULL(ZCBLK_A_DEV_BAD_LBA))) {
		NL_SET_ERR_MSG(info->extack, "bad-nlb, bad-clear: only with bad-lba");
		return -EINVAL;
	}
	if ((m & (BIT_ULL(ZCBLK_A_DEV_CUT_MODE) | BIT_ULL(ZCBLK_A_DEV_CUT_SEED))) &&
	    set->power != ZCBLK_POWER_STATE_CUT) {
		NL_SET_ERR_MSG(info->extack,
			       "cut-mode, cut-seed: only with power cut");
		return -EINVAL;
	}
	if (set->fail_every && (m & BIT_ULL(ZCBLK_A_DEV_FAIL_EVERY)) &&
	    !(m & BIT_ULL(ZCBLK_A_DEV_FAIL_PPM))) {
		set->fail_ppm = 0;
		m |= BIT_ULL(ZCBLK_A_DEV_FAIL_PPM);
	}
	if (set->fail_ppm && (m & BIT_ULL(ZCBLK_A_DEV_FAIL_PPM)) &&
	    !(m & BIT_ULL(ZCBLK_A_DEV_FAIL_EVERY))) {
		set->fail_every = 0;
		m |= BIT_ULL(ZCBLK_A_DEV_FAIL_EVERY);
	}
	if (mask)
		*mask = m;
	return 0;
}

/* Semantic checks the policy cannot express; fills @cfg. */
/* The zone geometry; zns.c checks it once the backend settled the size. */
static int zcblk_nl_parse_zones(struct genl_info *info,
				struct zcblk_config *cfg)
{
	static const int zattrs[] = {
		ZCBLK_A_DEV_ZONE_SIZE, ZCBLK_A_DEV_ZONE_CAPACITY,
		ZCBLK_A_DEV_ZONE_NR_CONV, ZCBLK_A_DEV_ZONE_MAX_OPEN,
		ZCBLK_A_DEV_ZONE_MAX_ACTIVE,
	};
	struct nlattr **attrs = info->attrs;
	unsigned int i;

	if (!(cfg->flags & ZCBLK_DEV_F_ZONED)) {
		for (i = 0; i < ARRAY_SIZE(zattrs); i++) {
			if (!attrs[zattrs[i]])
				continue;
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[zattrs[i]],
					    "zone attributes need the zoned flag");
			return -EINVAL;
		}
		return 0;
	}
	if (attrs[ZCBLK_A_DEV_ZONE_SIZE])
		cfg->zone_size = nla_get_u64(attrs[ZCBLK_A_DEV_ZONE_SIZE]);
	if (attrs[ZCBLK_A_DEV_ZONE_CAPACITY])
		cfg->zone_capacity =
			nla_get_u64(attrs[ZCBLK_A_DEV_ZONE_CAPACITY]);
	if (attrs[ZCBLK_A_DEV_ZONE_NR_CONV])
		cfg->zone_nr_conv = nla_get_u32(attrs[ZCBLK_A_DEV_ZONE_NR_CONV]);
	if (attrs[ZCBLK_A_DEV_ZONE_MAX_OPEN])
		cfg->zone_max_open =
			nla_get_u32(attrs[ZCBLK_A_DEV_ZONE_MAX_OPEN]);
	if (attrs[ZCBLK_A_DEV_ZONE_MAX_ACTIVE])
		cfg->zone_max_active =
			nla_get_u32(attrs[ZCBLK_A_DEV_ZONE_MAX_ACTIVE]);
	return 0;
}

/*
 * A DEV_ADD request's FDP configuration, defaults filled in; fdp.c checks
 * it against the block size.
 */
static int zcblk_nl_parse_fdp(struct genl_info *info, struct zcblk_config *cfg)
{
	struct nlattr **a = info->attrs;
	struct nlattr *bad;

	if (!(cfg->flags & ZCBLK_DEV_F_FDP)) {
		bad = a[ZCBLK_A_DEV_FDP_RU_SIZE] ?: a[ZCBLK_A_DEV_FDP_NRUH] ?:
		      a[ZCBLK_A_DEV_FDP_NRG] ?: a[ZCBLK_A_DEV_FDP_NPH] ?:
		      a[ZCBLK_A_DEV_FDP_RUH_TYPE];
		if (!bad)
			return 0;
		/* The extack takes string literals only. */
		switch (nla_type(bad)) {
		case ZCBLK_A_DEV_FDP_RU_SIZE:
			NL_SET_ERR_MSG_ATTR(info->extack, bad,
					    "fdp-ru-size: needs the fdp flag");
			break;
		case ZCBLK_A_DEV_FDP_NRUH:
			NL_SET_ERR_MSG_ATTR(info->extack, bad,
					    "fdp-nruh: needs the fdp flag");
			break;
		case ZCBLK_A_DEV_FDP_NRG:
			NL_SET_ERR_MSG_ATTR(info->extack, bad,
					    "fdp-nrg: needs the fdp flag");
			break;
		case ZCBLK_A_DEV_FDP_NPH:
			NL_SET_ERR_MSG_ATTR(info->extack, bad,
					    "fdp-nph: needs the fdp flag");
			break;
		default:
			NL_SET_ERR_MSG_ATTR(info->extack, bad,
					    "fdp-ruh-type: needs the fdp flag");
			break;
		}
		return -EINVAL;
	}
	if (cfg->flags & ZCBLK_DEV_F_ZONED) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[ZCBLK_A_DEV_FLAGS],
				    "flags: fdp and zoned do not go together");
		return -EINVAL;
	}
	cfg->fdp_ru_size = a[ZCBLK_A_DEV_FDP_RU_SIZE] ?
			   nla_get_u64(a[ZCBLK_A_DEV_FDP_RU_SIZE]) : SZ_64M;
	cfg->fdp_nruh = a[ZCBLK_A_DEV_FDP_NRUH] ?
			nla_get_u32(a[ZCBLK_A_DEV_FDP_NRUH]) : 8;
	cfg->fdp_nrg = a[ZCBLK_A_DEV_FDP_NRG] ?
		       nla_get_u32(a[ZCBLK_A_DEV_FDP_NRG]) : 1;
	cfg->fdp_nph = a[ZCBLK_A_DEV_FDP_NPH] ?
		       nla_get_u32(a[ZCBLK_A_DEV_FDP_NPH]) : cfg->fdp_nruh;
	cfg->fdp_ruh_type = a[ZCBLK_A_DEV_FDP_RUH_TYPE] ?
			    nla_get_u32(a[ZCBLK_A_DEV_FDP_RUH_TYPE]) : 1;
	if (cfg->fdp_nph > cfg->fdp_nruh) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[ZCBLK_A_DEV_FDP_NPH],
				    "fdp-nph: more placement handles than reclaim unit handles");
		return -EINVAL;
	}
	return 0;
}

/**
 * zcblk_nl_parse_add() - a DEV_ADD request's configuration
 * @info: the request, its attributes checked by the generated policy
 * @cfg: filled in, defaults where the request says nothing
 *
 * What depends on the backend (size, block size, zones, metadata) is
 * checked again when the backend has settled it.
 *
 * Return: 0, or a negative errno with an extack message.
 */
int zcblk_nl_parse_add(struct genl_info *info, struct zcblk_config *cfg)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **attrs = info->attrs;
	struct nlattr *attr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, ZCBLK_A_DEV_BACKEND)) {
		NL_SET_ERR_MSG(extack, "backend: missing");
		return -EINVAL;
	}
	attr = attrs[ZCBLK_A_DEV_BACKEND];
	cfg->backend = zcblk_backend_find(nla_data(attr));
	if (!cfg->backend) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "backend: unknown backend");
		return -EINVAL;
	}
	/* A backing file's size is the default size. */
	if (cfg->backend != &zcblk_file_backend &&
	    GENL_REQ_ATTR_CHECK(info, ZCBLK_A_DEV_SIZE)) {
		NL_SET_ERR_MSG(extack, "size: missing");
		return -EINVAL;
	}
	if (cfg->backend == &zcblk_file_backend &&
	    GENL_REQ_ATTR_CHECK(info, ZCBLK_A_DEV_PATH)) {
		NL_SET_ERR_MSG(extack, "path: missing, the file backend needs one");
		return -EINVAL;
	}
	if (cfg->backend != &zcblk_file_backend && attrs[ZCBLK_A_DEV_PATH]) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[ZCBLK_A_DEV_PATH],
				    "path: only the file backend has one");
		return -EINVAL;
	}

	cfg->block_size = ZCBLK_DEFAULT_BLOCK_SIZE;
	attr = attrs[ZCBLK_A_DEV_BLOCK_SIZE];
	if (attr) {
		cfg->block_size_given = true;
		cfg->block_size = nla_get_u32(attr);
		if (cfg->block_size != 512 && cfg->block_size != 4096) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "block-size: must be 512 or 4096");
			return -EINVAL;
		}
	}

	attr = attrs[ZCBLK_A_DEV_SIZE];
	cfg->size = attr ? nla_get_u64(attr) : 0;
	cfg->size_given = attr;
	if (cfg->size & (cfg->block_size - 1)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "size: not a multiple of block-size");
		return -EINVAL;
	}

	attr = attrs[ZCBLK_A_DEV_INDEX];
	cfg->index = attr ? nla_get_u32(attr) : U32_MAX;
	attr = attrs[ZCBLK_A_DEV_NR_QUEUES];
	cfg->nr_queues = attr ? nla_get_u32(attr) : ZCBLK_DEFAULT_NR_QUEUES;
	attr = attrs[ZCBLK_A_DEV_QUEUE_DEPTH];
	cfg->queue_depth = attr ? nla_get_u32(attr) :
				  ZCBLK_DEFAULT_QUEUE_DEPTH;
	attr = attrs[ZCBLK_A_DEV_POLL_QUEUES];
	cfg->poll_queues = attr ? nla_get_u32(attr) : 0;
	/*
	 * blk_mq_map_queues() spreads each map over the CPUs and warns when a
	 * map has more queues than CPUs; clamp as null_blk and ublk do, the
	 * reply shows the numbers in effect.
	 */
	cfg->nr_queues = min(cfg->nr_queues, nr_cpu_ids);
	cfg->poll_queues = min(cfg->poll_queues, nr_cpu_ids);
	attr = attrs[ZCBLK_A_DEV_FLAGS];
	cfg->flags = attr ? nla_get_u32(attr) : 0;
	if ((cfg->flags & ZCBLK_DEV_F_BUFFERED) &&
	    cfg->backend != &zcblk_file_backend) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "flags: buffered is for the file backend");
		return -EINVAL;
	}
	attr = attrs[ZCBLK_A_DEV_TIMEOUT_MS];
	cfg->timeout_ms = attr ? nla_get_u32(attr) : ZCBLK_DEFAULT_TIMEOUT_MS;
	ret = zcblk_nl_parse_zones(info, cfg);
	if (ret)
		return ret;
	/* meta.c checks it once the backend settled the block size. */
	attr = attrs[ZCBLK_A_DEV_METADATA_SIZE];
	cfg->metadata_size = attr ? nla_get_u32(attr) : 0;
	attr = attrs[ZCBLK_A_DEV_PI_TYPE];
	cfg->pi_type = attr ? nla_get_u32(attr) : 0;
	/* wcache.c checks it against the backend. */
	attr = attrs[ZCBLK_A_DEV_WRITE_CACHE];
	cfg->write_cache = attr ? nla_get_u64(attr) : 0;
	ret = zcblk_nl_parse_fdp(info, cfg);
	if (ret)
		return ret;

	cfg->set = (struct zcblk_settings){
		.completion = ZCBLK_COMPLETION_INLINE,
		.fail_status = NVME_SC_INTERNAL,
		.fail_ops = ZCBLK_FAIL_OPS_ALL,
	};
	ret = zcblk_nl_parse_settings(info, &cfg->set, NULL);
	if (ret)
		return ret;
	return zcblk_nl_parse_node(info, cfg);
}

/**
 * zcblk_nl_parse_path() - a DEV_ADD request's path, copied
 * @info: the request
 * @cfg: gets the copy, which zcblk_dev_add() takes (freeing it on failure)
 *
 * Return: 0, or -ENOMEM.
 */
int zcblk_nl_parse_path(struct genl_info *info, struct zcblk_config *cfg)
{
	struct nlattr *attr = info->attrs[ZCBLK_A_DEV_PATH];

	if (!attr)
		return 0;
	cfg->path = nla_strdup(attr, GFP_KERNEL);
	return cfg->path ? 0 : -ENOMEM;
}
