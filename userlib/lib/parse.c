// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Reading a disk as the kernel describes it (the DEV_GET reply, which
 * DEV_ADD, DEV_SET and the monitor group's events share) into struct
 * zcblk_dev_info, and the names of the DEV attributes for error messages.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "internal.h"

static const char *const dev_attr_names[ZCBLK_A_DEV_MAX + 1] = {
	[ZCBLK_A_DEV_PAD]		= "pad",
	[ZCBLK_A_DEV_INDEX]		= "index",
	[ZCBLK_A_DEV_BACKEND]		= "backend",
	[ZCBLK_A_DEV_SIZE]		= "size",
	[ZCBLK_A_DEV_BLOCK_SIZE]	= "block-size",
	[ZCBLK_A_DEV_NR_QUEUES]		= "nr-queues",
	[ZCBLK_A_DEV_QUEUE_DEPTH]	= "queue-depth",
	[ZCBLK_A_DEV_STATE]		= "state",
	[ZCBLK_A_DEV_DISK_NAME]		= "disk-name",
	[ZCBLK_A_DEV_ALLOC_BYTES]	= "alloc-bytes",
	[ZCBLK_A_DEV_POLL_QUEUES]	= "poll-queues",
	[ZCBLK_A_DEV_NODE_UID]		= "node-uid",
	[ZCBLK_A_DEV_NODE_GID]		= "node-gid",
	[ZCBLK_A_DEV_NODE_MODE]		= "node-mode",
	[ZCBLK_A_DEV_CHAR_NAME]		= "char-name",
	[ZCBLK_A_DEV_STATS]		= "stats",
	[ZCBLK_A_DEV_PATH]		= "path",
	[ZCBLK_A_DEV_FLAGS]		= "flags",
	[ZCBLK_A_DEV_TIMEOUT_MS]	= "timeout-ms",
	[ZCBLK_A_DEV_COMPLETION]	= "completion",
	[ZCBLK_A_DEV_COMPLETION_NS]	= "completion-ns",
	[ZCBLK_A_DEV_LATENCY_NS]	= "latency-ns",
	[ZCBLK_A_DEV_FAIL_EVERY]	= "fail-every",
	[ZCBLK_A_DEV_FAIL_PPM]		= "fail-ppm",
	[ZCBLK_A_DEV_FAIL_STATUS]	= "fail-status",
	[ZCBLK_A_DEV_FAIL_OPS]		= "fail-ops",
	[ZCBLK_A_DEV_STALL]		= "stall",
	[ZCBLK_A_DEV_ZONE_SIZE]		= "zone-size",
	[ZCBLK_A_DEV_ZONE_CAPACITY]	= "zone-capacity",
	[ZCBLK_A_DEV_ZONE_NR_CONV]	= "zone-nr-conv",
	[ZCBLK_A_DEV_ZONE_MAX_OPEN]	= "zone-max-open",
	[ZCBLK_A_DEV_ZONE_MAX_ACTIVE]	= "zone-max-active",
	[ZCBLK_A_DEV_METADATA_SIZE]	= "metadata-size",
	[ZCBLK_A_DEV_PI_TYPE]		= "pi-type",
	[ZCBLK_A_DEV_WRITE_CACHE]	= "write-cache",
	[ZCBLK_A_DEV_POWER]		= "power",
	[ZCBLK_A_DEV_CUT_MODE]		= "cut-mode",
	[ZCBLK_A_DEV_CUT_SEED]		= "cut-seed",
	[ZCBLK_A_DEV_BAD_LBA]		= "bad-lba",
	[ZCBLK_A_DEV_BAD_NLB]		= "bad-nlb",
	[ZCBLK_A_DEV_BAD_CLEAR]		= "bad-clear",
	[ZCBLK_A_DEV_CORRUPT_LBA]	= "corrupt-lba",
	[ZCBLK_A_DEV_CORRUPT_NLB]	= "corrupt-nlb",
	[ZCBLK_A_DEV_CORRUPT]		= "corrupt",
	[ZCBLK_A_DEV_BAD_COUNT]		= "bad-count",
	[ZCBLK_A_DEV_BAD_RANGE]		= "bad-range",
	[ZCBLK_A_DEV_FDP_RU_SIZE]	= "fdp-ru-size",
	[ZCBLK_A_DEV_FDP_NRUH]		= "fdp-nruh",
	[ZCBLK_A_DEV_FDP_NRG]		= "fdp-nrg",
	[ZCBLK_A_DEV_FDP_NPH]		= "fdp-nph",
	[ZCBLK_A_DEV_FDP_RUH_TYPE]	= "fdp-ruh-type",
};

const struct zcblk_attr_names zcblk__dev_attr_names = {
	.names = dev_attr_names,
	.count = ZCBLK_ARRAY_SIZE(dev_attr_names),
	.octal = 1ULL << ZCBLK_A_DEV_NODE_MODE,
};

ZCBLK_EXPORT const char *zcblk_state_name(__u32 state)
{
	switch (state) {
	case ZCBLK_DEV_STATE_CREATING:
		return "creating";
	case ZCBLK_DEV_STATE_LIVE:
		return "live";
	case ZCBLK_DEV_STATE_REMOVING:
		return "removing";
	case ZCBLK_DEV_STATE_DEAD:
		return "dead";
	}
	return "unknown";
}

/* Copy a NUL-terminated attribute into @buf, truncating if need be. */
void zcblk__copy_str(char *buf, size_t len, const struct nlattr *attr)
{
	const char *s = mnl_attr_get_str(attr);
	size_t n = strnlen(s, len - 1);

	memcpy(buf, s, n);
	buf[n] = '\0';
}

struct dev_parse {
	struct zcblk_dev_info info;
	bool has_index;
};

static int dev_attr_cb(const struct nlattr *attr, void *data)
{
	struct dev_parse *p = data;
	struct zcblk_dev_info *info = &p->info;
	enum mnl_attr_data_type type;

	switch (mnl_attr_get_type(attr)) {
	case ZCBLK_A_DEV_INDEX:
	case ZCBLK_A_DEV_STATE:
	case ZCBLK_A_DEV_BLOCK_SIZE:
	case ZCBLK_A_DEV_NR_QUEUES:
	case ZCBLK_A_DEV_QUEUE_DEPTH:
	case ZCBLK_A_DEV_POLL_QUEUES:
	case ZCBLK_A_DEV_NODE_UID:
	case ZCBLK_A_DEV_NODE_GID:
	case ZCBLK_A_DEV_NODE_MODE:
	case ZCBLK_A_DEV_FLAGS:
	case ZCBLK_A_DEV_TIMEOUT_MS:
	case ZCBLK_A_DEV_COMPLETION:
	case ZCBLK_A_DEV_FAIL_EVERY:
	case ZCBLK_A_DEV_FAIL_PPM:
	case ZCBLK_A_DEV_FAIL_STATUS:
	case ZCBLK_A_DEV_FAIL_OPS:
	case ZCBLK_A_DEV_ZONE_NR_CONV:
	case ZCBLK_A_DEV_ZONE_MAX_OPEN:
	case ZCBLK_A_DEV_ZONE_MAX_ACTIVE:
	case ZCBLK_A_DEV_METADATA_SIZE:
	case ZCBLK_A_DEV_PI_TYPE:
	case ZCBLK_A_DEV_POWER:
	case ZCBLK_A_DEV_BAD_COUNT:
	case ZCBLK_A_DEV_FDP_NRUH:
	case ZCBLK_A_DEV_FDP_NRG:
	case ZCBLK_A_DEV_FDP_NPH:
	case ZCBLK_A_DEV_FDP_RUH_TYPE:
		type = MNL_TYPE_U32;
		break;
	case ZCBLK_A_DEV_SIZE:
	case ZCBLK_A_DEV_ALLOC_BYTES:
	case ZCBLK_A_DEV_COMPLETION_NS:
	case ZCBLK_A_DEV_LATENCY_NS:
	case ZCBLK_A_DEV_ZONE_SIZE:
	case ZCBLK_A_DEV_ZONE_CAPACITY:
	case ZCBLK_A_DEV_WRITE_CACHE:
	case ZCBLK_A_DEV_FDP_RU_SIZE:
		type = MNL_TYPE_U64;
		break;
	case ZCBLK_A_DEV_STALL:
		type = MNL_TYPE_U8;
		break;
	case ZCBLK_A_DEV_BACKEND:
	case ZCBLK_A_DEV_DISK_NAME:
	case ZCBLK_A_DEV_CHAR_NAME:
	case ZCBLK_A_DEV_PATH:
		type = MNL_TYPE_NUL_STRING;
		break;
	default:
		return MNL_CB_OK;	/* newer than us, or padding */
	}
	if (mnl_attr_validate(attr, type) < 0)
		return MNL_CB_ERROR;

	switch (mnl_attr_get_type(attr)) {
	case ZCBLK_A_DEV_INDEX:
		info->index = mnl_attr_get_u32(attr);
		p->has_index = true;
		break;
	case ZCBLK_A_DEV_STATE:
		info->state = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_BLOCK_SIZE:
		info->block_size = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_NR_QUEUES:
		info->nr_queues = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_QUEUE_DEPTH:
		info->queue_depth = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_POLL_QUEUES:
		info->poll_queues = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_NODE_UID:
		info->node_uid = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_NODE_GID:
		info->node_gid = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_NODE_MODE:
		info->node_mode = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_SIZE:
		info->disk_size = mnl_attr_get_u64(attr);
		break;
	case ZCBLK_A_DEV_ALLOC_BYTES:
		info->alloc_bytes = mnl_attr_get_u64(attr);
		break;
	case ZCBLK_A_DEV_BACKEND:
		zcblk__copy_str(info->backend, sizeof(info->backend), attr);
		break;
	case ZCBLK_A_DEV_DISK_NAME:
		zcblk__copy_str(info->disk_name, sizeof(info->disk_name), attr);
		break;
	case ZCBLK_A_DEV_CHAR_NAME:
		zcblk__copy_str(info->char_name, sizeof(info->char_name), attr);
		break;
	case ZCBLK_A_DEV_PATH:
		zcblk__copy_str(info->path, sizeof(info->path), attr);
		break;
	case ZCBLK_A_DEV_FLAGS:
		info->flags = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_TIMEOUT_MS:
		info->timeout_ms = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_COMPLETION:
		info->completion = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_FAIL_EVERY:
		info->fail_every = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_FAIL_PPM:
		info->fail_ppm = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_FAIL_STATUS:
		info->fail_status = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_FAIL_OPS:
		info->fail_ops = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_COMPLETION_NS:
		info->completion_ns = mnl_attr_get_u64(attr);
		break;
	case ZCBLK_A_DEV_LATENCY_NS:
		info->latency_ns = mnl_attr_get_u64(attr);
		break;
	case ZCBLK_A_DEV_STALL:
		info->stall = mnl_attr_get_u8(attr);
		break;
	case ZCBLK_A_DEV_ZONE_SIZE:
		info->zone_size = mnl_attr_get_u64(attr);
		break;
	case ZCBLK_A_DEV_ZONE_CAPACITY:
		info->zone_capacity = mnl_attr_get_u64(attr);
		break;
	case ZCBLK_A_DEV_ZONE_NR_CONV:
		info->zone_nr_conv = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_ZONE_MAX_OPEN:
		info->zone_max_open = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_ZONE_MAX_ACTIVE:
		info->zone_max_active = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_METADATA_SIZE:
		info->metadata_size = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_PI_TYPE:
		info->pi_type = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_POWER:
		info->power = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_WRITE_CACHE:
		info->write_cache = mnl_attr_get_u64(attr);
		break;
	case ZCBLK_A_DEV_BAD_COUNT:
		info->bad_count = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_FDP_RU_SIZE:
		info->fdp_ru_size = mnl_attr_get_u64(attr);
		break;
	case ZCBLK_A_DEV_FDP_NRUH:
		info->fdp_nruh = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_FDP_NRG:
		info->fdp_nrg = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_FDP_NPH:
		info->fdp_nph = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_FDP_RUH_TYPE:
		info->fdp_ruh_type = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

/*
 * Parse a message that describes a disk (the reply to DEV_GET, DEV_ADD or
 * DEV_SET, a monitor event) into @info.
 */
int zcblk__parse_dev(const struct nlmsghdr *nlh, struct zcblk_dev_info *info)
{
	struct dev_parse p = { .info.size = sizeof(p.info) };

	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), dev_attr_cb,
			   &p) != MNL_CB_OK || !p.has_index)
		return -EBADMSG;
	*info = p.info;
	return 0;
}

/* Copy @info to the caller's @out, no more than @out->size bytes. */
void zcblk__copy_info_out(struct zcblk_dev_info *out,
			  const struct zcblk_dev_info *info)
{
	__u32 size = out->size;

	memcpy(out, info, ZCBLK_MIN(size, sizeof(*info)));
	out->size = size;
}
