// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The zcblk commands on disks: DEV_ADD, DEV_DEL, DEV_SET and DEV_GET (one
 * disk, or a dump); DEV_STATS is in stats.c, the dump helper in dump.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

_Static_assert(sizeof(struct zcblk_dev_params) == ZCBLK_DEV_PARAMS_SIZE_VER4,
	       "struct zcblk_dev_params: layout changed");
_Static_assert(sizeof(struct zcblk_dev_info) == ZCBLK_DEV_INFO_SIZE_VER6,
	       "struct zcblk_dev_info: layout changed");
_Static_assert(offsetof(struct zcblk_dev_info, pi_type) ==
	       ZCBLK_DEV_INFO_SIZE_VER2,
	       "struct zcblk_dev_info: version 2 changed");
/* Each version ends where the next one's fields begin. */
_Static_assert(offsetof(struct zcblk_dev_params, zone_size) ==
	       ZCBLK_DEV_PARAMS_SIZE_VER1,
	       "struct zcblk_dev_params: version 1 changed");
_Static_assert(offsetof(struct zcblk_dev_params, write_cache) ==
	       ZCBLK_DEV_PARAMS_SIZE_VER2,
	       "struct zcblk_dev_params: version 2 changed");
_Static_assert(offsetof(struct zcblk_dev_params, fdp_ru_size) ==
	       ZCBLK_DEV_PARAMS_SIZE_VER3,
	       "struct zcblk_dev_params: version 3 changed");
_Static_assert(offsetof(struct zcblk_dev_info, zone_size) ==
	       ZCBLK_DEV_INFO_SIZE_VER1,
	       "struct zcblk_dev_info: version 1 changed");
_Static_assert(offsetof(struct zcblk_dev_info, write_cache) ==
	       ZCBLK_DEV_INFO_SIZE_VER3,
	       "struct zcblk_dev_info: version 3 changed");
_Static_assert(offsetof(struct zcblk_dev_info, bad_count) ==
	       ZCBLK_DEV_INFO_SIZE_VER4,
	       "struct zcblk_dev_info: version 4 changed");
_Static_assert(offsetof(struct zcblk_dev_info, fdp_ru_size) ==
	       ZCBLK_DEV_INFO_SIZE_VER5,
	       "struct zcblk_dev_info: version 5 changed");
_Static_assert(sizeof(struct zcblk_bad_range) == 16,
	       "struct zcblk_bad_range: layout changed");
_Static_assert(sizeof(struct zcblk_dev_settings) ==
	       ZCBLK_DEV_SETTINGS_SIZE_VER1,
	       "struct zcblk_dev_settings: layout changed");
/* The same layout on 32-bit systems: 64-bit fields at 8-byte offsets. */
_Static_assert(offsetof(struct zcblk_dev_params, path) == 72 &&
	       offsetof(struct zcblk_dev_params, completion_ns) == 96 &&
	       offsetof(struct zcblk_dev_params, zone_capacity) == 112,
	       "struct zcblk_dev_params: misaligned");
_Static_assert(offsetof(struct zcblk_dev_info, completion_ns) == 168 &&
	       offsetof(struct zcblk_dev_info, path) == 184 &&
	       offsetof(struct zcblk_dev_info, zone_capacity) == 4288,
	       "struct zcblk_dev_info: misaligned");
_Static_assert(offsetof(struct zcblk_dev_settings, completion_ns) == 24,
	       "struct zcblk_dev_settings: misaligned");

/* The longest backing path the kernel takes: PATH_MAX - 1 bytes. */
#define ZCBLK_PATH_MAX_LEN	4095

struct nlmsghdr *zcblk__dev_req_start(struct zcblk_ctx *ctx, __u8 cmd,
				      __u16 flags)
{
	return zcblk__req_start(ctx, ctx->family_id, flags, cmd,
				ZCBLK_GENL_VERSION);
}

static int check_info_out(struct zcblk_ctx *ctx,
			  const struct zcblk_dev_info *out)
{
	return zcblk__check_out(ctx, out, ZCBLK_DEV_INFO_SIZE_VER1,
				"zcblk_dev_info");
}

/* One-disk answer (DEV_ADD, DEV_GET doit). */
static int one_dev_cb(const struct nlmsghdr *nlh, void *data)
{
	struct zcblk_dev_info info;
	int ret;

	ret = zcblk__parse_dev(nlh, &info);
	if (ret)
		return ret;
	if (data)
		zcblk__copy_info_out(data, &info);
	return 0;
}

/*
 * Check the @size of a caller's extensible structure @ptr (@name, of which
 * this library knows @known bytes): at least @min, and larger structures
 * from a newer caller only if the fields this library does not know are
 * zero (as openat2() does).
 */
static int check_ext_size(struct zcblk_ctx *ctx, const void *ptr,
			  size_t known, size_t min, const char *name)
{
	const unsigned char *extra = ptr;
	__u32 size;
	size_t i;

	if (!ptr) {
		zcblk__set_errmsg(ctx, "%s: NULL", name);
		return -EINVAL;
	}
	memcpy(&size, ptr, sizeof(size));
	if (size < min) {
		zcblk__set_errmsg(ctx, "%s: size too small", name);
		return -EINVAL;
	}
	for (i = known; i < size; i++) {
		if (extra[i]) {
			zcblk__set_errmsg(ctx, "%s: unknown field set", name);
			return -E2BIG;
		}
	}
	return 0;
}

/*
 * Copy the caller's extensible structure @src (checked by
 * check_ext_size()) into @dst, this library's (@known bytes): no more
 * than the caller's size, and zeros for the fields beyond it, which an
 * older caller does not have.
 */
static void copy_ext(void *dst, const void *src, size_t known)
{
	__u32 size;

	memcpy(&size, src, sizeof(size));
	memset(dst, 0, known);
	memcpy(dst, src, ZCBLK_MIN((size_t)size, known));
}

/* The ZCBLK_PARAM_* bits of version 2's fields (the zone geometry). */
#define ZCBLK_PARAM_VER2	(ZCBLK_PARAM_ZONE_SIZE | \
				 ZCBLK_PARAM_ZONE_CAPACITY | \
				 ZCBLK_PARAM_ZONE_NR_CONV | \
				 ZCBLK_PARAM_ZONE_MAX_OPEN | \
				 ZCBLK_PARAM_ZONE_MAX_ACTIVE | \
				 ZCBLK_PARAM_METADATA_SIZE)
/* Version 3's (the write cache). */
#define ZCBLK_PARAM_VER3	ZCBLK_PARAM_WRITE_CACHE
/* Version 4's (Flexible Data Placement). */
#define ZCBLK_PARAM_VER4	(ZCBLK_PARAM_FDP_RU_SIZE | \
				 ZCBLK_PARAM_FDP_NRUH | \
				 ZCBLK_PARAM_FDP_NRG | \
				 ZCBLK_PARAM_FDP_NPH | \
				 ZCBLK_PARAM_FDP_RUH_TYPE)

/*
 * Validate the caller's @params and copy what this library knows of them
 * into @p.
 */
static int copy_params(struct zcblk_ctx *ctx,
		       const struct zcblk_dev_params *params,
		       struct zcblk_dev_params *p)
{
	int ret;

	ret = check_ext_size(ctx, params, sizeof(*p),
			     ZCBLK_DEV_PARAMS_SIZE_VER1, "zcblk_dev_params");
	if (ret)
		return ret;
	copy_ext(p, params, sizeof(*p));
	if (p->__reserved) {
		zcblk__set_errmsg(ctx, "zcblk_dev_params: reserved field set");
		return -EINVAL;
	}
	if (p->set & ~ZCBLK_PARAM_ALL) {
		zcblk__set_errmsg(ctx, "zcblk_dev_params: unknown bits in set");
		return -EOPNOTSUPP;
	}
	/* A field the caller's structure does not hold cannot be sent. */
	if ((p->set & ZCBLK_PARAM_VER2) &&
	    p->size < ZCBLK_DEV_PARAMS_SIZE_VER2) {
		zcblk__set_errmsg(ctx,
				  "zcblk_dev_params: size too small for its version 2 fields");
		return -EINVAL;
	}
	if ((p->set & ZCBLK_PARAM_VER3) &&
	    p->size < ZCBLK_DEV_PARAMS_SIZE_VER3) {
		zcblk__set_errmsg(ctx,
				  "zcblk_dev_params: size too small for its version 3 fields");
		return -EINVAL;
	}
	if ((p->set & ZCBLK_PARAM_VER4) &&
	    p->size < ZCBLK_DEV_PARAMS_SIZE_VER4) {
		zcblk__set_errmsg(ctx,
				  "zcblk_dev_params: size too small for its version 4 fields");
		return -EINVAL;
	}
	if ((p->set & ZCBLK_PARAM_BACKEND) &&
	    !memchr(p->backend, '\0', sizeof(p->backend))) {
		zcblk__set_errmsg(ctx, "backend: name too long");
		return -EINVAL;
	}
	if (p->set & ZCBLK_PARAM_PATH) {
		if (!p->path) {
			zcblk__set_errmsg(ctx, "path: NULL");
			return -EINVAL;
		}
		if (strnlen(p->path, ZCBLK_PATH_MAX_LEN + 1) >
		    ZCBLK_PATH_MAX_LEN) {
			zcblk__set_errmsg(ctx, "path: longer than %u bytes",
					  ZCBLK_PATH_MAX_LEN);
			return -ENAMETOOLONG;
		}
	}
	return 0;
}

ZCBLK_EXPORT int zcblk_dev_add(struct zcblk_ctx *ctx,
			       const struct zcblk_dev_params *params,
			       struct zcblk_dev_info *out)
{
	struct zcblk_dev_params p;
	struct nlmsghdr *nlh;
	int ret;

	if (!ctx)
		return -EINVAL;
	ctx->errmsg[0] = '\0';
	ret = copy_params(ctx, params, &p);
	if (ret)
		return ret;
	if (out) {
		ret = check_info_out(ctx, out);
		if (ret)
			return ret;
	}

	nlh = zcblk__dev_req_start(ctx, ZCBLK_CMD_DEV_ADD, NLM_F_ACK);
	if (p.set & ZCBLK_PARAM_INDEX)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_INDEX, p.index);
	if (p.set & ZCBLK_PARAM_BACKEND)
		mnl_attr_put_strz(nlh, ZCBLK_A_DEV_BACKEND, p.backend);
	if (p.set & ZCBLK_PARAM_SIZE)
		mnl_attr_put_u64(nlh, ZCBLK_A_DEV_SIZE, p.disk_size);
	if (p.set & ZCBLK_PARAM_BLOCK_SIZE)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_BLOCK_SIZE, p.block_size);
	if (p.set & ZCBLK_PARAM_NR_QUEUES)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_NR_QUEUES, p.nr_queues);
	if (p.set & ZCBLK_PARAM_QUEUE_DEPTH)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_QUEUE_DEPTH, p.queue_depth);
	if (p.set & ZCBLK_PARAM_POLL_QUEUES)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_POLL_QUEUES, p.poll_queues);
	if (p.set & ZCBLK_PARAM_NODE_UID)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_NODE_UID, p.node_uid);
	if (p.set & ZCBLK_PARAM_NODE_GID)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_NODE_GID, p.node_gid);
	if (p.set & ZCBLK_PARAM_NODE_MODE)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_NODE_MODE, p.node_mode);
	if (p.set & ZCBLK_PARAM_PATH)
		mnl_attr_put_strz(nlh, ZCBLK_A_DEV_PATH, p.path);
	if (p.set & ZCBLK_PARAM_FLAGS)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_FLAGS, p.flags);
	if (p.set & ZCBLK_PARAM_TIMEOUT_MS)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_TIMEOUT_MS, p.timeout_ms);
	if (p.set & ZCBLK_PARAM_COMPLETION)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_COMPLETION, p.completion);
	if (p.set & ZCBLK_PARAM_COMPLETION_NS)
		mnl_attr_put_u64(nlh, ZCBLK_A_DEV_COMPLETION_NS,
				 p.completion_ns);
	if (p.set & ZCBLK_PARAM_ZONE_SIZE)
		mnl_attr_put_u64(nlh, ZCBLK_A_DEV_ZONE_SIZE, p.zone_size);
	if (p.set & ZCBLK_PARAM_ZONE_CAPACITY)
		mnl_attr_put_u64(nlh, ZCBLK_A_DEV_ZONE_CAPACITY,
				 p.zone_capacity);
	if (p.set & ZCBLK_PARAM_ZONE_NR_CONV)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_ZONE_NR_CONV, p.zone_nr_conv);
	if (p.set & ZCBLK_PARAM_ZONE_MAX_OPEN)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_ZONE_MAX_OPEN,
				 p.zone_max_open);
	if (p.set & ZCBLK_PARAM_ZONE_MAX_ACTIVE)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_ZONE_MAX_ACTIVE,
				 p.zone_max_active);
	if (p.set & ZCBLK_PARAM_METADATA_SIZE)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_METADATA_SIZE,
				 p.metadata_size);
	if (p.set & ZCBLK_PARAM_PI_TYPE)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_PI_TYPE, p.pi_type);
	if (p.set & ZCBLK_PARAM_WRITE_CACHE)
		mnl_attr_put_u64(nlh, ZCBLK_A_DEV_WRITE_CACHE, p.write_cache);
	if (p.set & ZCBLK_PARAM_FDP_RU_SIZE)
		mnl_attr_put_u64(nlh, ZCBLK_A_DEV_FDP_RU_SIZE, p.fdp_ru_size);
	if (p.set & ZCBLK_PARAM_FDP_NRUH)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_FDP_NRUH, p.fdp_nruh);
	if (p.set & ZCBLK_PARAM_FDP_NRG)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_FDP_NRG, p.fdp_nrg);
	if (p.set & ZCBLK_PARAM_FDP_NPH)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_FDP_NPH, p.fdp_nph);
	if (p.set & ZCBLK_PARAM_FDP_RUH_TYPE)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_FDP_RUH_TYPE,
				 p.fdp_ruh_type);

	return zcblk__transact(ctx, nlh, &zcblk__dev_attr_names, one_dev_cb, out);
}

ZCBLK_EXPORT int zcblk_dev_del(struct zcblk_ctx *ctx, __u32 index)
{
	struct nlmsghdr *nlh;

	if (!ctx)
		return -EINVAL;
	ctx->errmsg[0] = '\0';
	nlh = zcblk__dev_req_start(ctx, ZCBLK_CMD_DEV_DEL, NLM_F_ACK);
	mnl_attr_put_u32(nlh, ZCBLK_A_DEV_INDEX, index);
	return zcblk__transact(ctx, nlh, &zcblk__dev_attr_names, NULL, NULL);
}

/* DEV_SET's answer: the disk after the change, if the reply came. */
struct set_reply {
	struct zcblk_dev_info *out;
	bool replied;
};

static int set_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct set_reply *r = data;
	int ret;

	ret = one_dev_cb(nlh, r->out);
	if (!ret)
		r->replied = true;
	return ret;
}

/*
 * Send the DEV_SET request @nlh; the disk after the change into @out (or
 * nowhere if NULL, which the caller checked).
 */
static int set_transact(struct zcblk_ctx *ctx, const struct nlmsghdr *nlh,
			struct zcblk_dev_info *out)
{
	struct set_reply reply = { .out = out };
	int ret;

	ret = zcblk__transact(ctx, nlh, &zcblk__dev_attr_names, set_reply_cb,
			      &reply);
	if (ret)
		return ret;
	/*
	 * The kernel made the change, then found the disk gone before it
	 * could describe it: it ACKs without a reply.  Not a success: there
	 * is no disk after the change to report, and @out is untouched.
	 */
	if (!reply.replied) {
		zcblk__set_errmsg(ctx,
				  "index: disk removed right after the change");
		return -ENODEV;
	}
	return 0;
}

ZCBLK_EXPORT int zcblk_dev_set(struct zcblk_ctx *ctx, __u32 index,
			       const struct zcblk_dev_settings *settings,
			       struct zcblk_dev_info *out)
{
	struct zcblk_dev_settings s;
	struct nlmsghdr *nlh;
	int ret;

	if (!ctx)
		return -EINVAL;
	ctx->errmsg[0] = '\0';
	ret = check_ext_size(ctx, settings, sizeof(s),
			     ZCBLK_DEV_SETTINGS_SIZE_VER1,
			     "zcblk_dev_settings");
	if (ret)
		return ret;
	copy_ext(&s, settings, sizeof(s));
	if (s.__reserved) {
		zcblk__set_errmsg(ctx, "zcblk_dev_settings: reserved field set");
		return -EINVAL;
	}
	if (s.set & ~ZCBLK_SET_ALL) {
		zcblk__set_errmsg(ctx,
				  "zcblk_dev_settings: unknown bits in set");
		return -EOPNOTSUPP;
	}
	if (out) {
		ret = check_info_out(ctx, out);
		if (ret)
			return ret;
	}

	nlh = zcblk__dev_req_start(ctx, ZCBLK_CMD_DEV_SET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, ZCBLK_A_DEV_INDEX, index);
	if (s.set & ZCBLK_SET_COMPLETION)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_COMPLETION, s.completion);
	if (s.set & ZCBLK_SET_COMPLETION_NS)
		mnl_attr_put_u64(nlh, ZCBLK_A_DEV_COMPLETION_NS,
				 s.completion_ns);
	if (s.set & ZCBLK_SET_LATENCY_NS)
		mnl_attr_put_u64(nlh, ZCBLK_A_DEV_LATENCY_NS, s.latency_ns);
	if (s.set & ZCBLK_SET_FAIL_EVERY)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_FAIL_EVERY, s.fail_every);
	if (s.set & ZCBLK_SET_FAIL_PPM)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_FAIL_PPM, s.fail_ppm);
	if (s.set & ZCBLK_SET_FAIL_STATUS)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_FAIL_STATUS, s.fail_status);
	if (s.set & ZCBLK_SET_FAIL_OPS)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_FAIL_OPS, s.fail_ops);
	/* A u8 on the wire: larger values stay out of range (-ERANGE). */
	if (s.set & ZCBLK_SET_STALL)
		mnl_attr_put_u8(nlh, ZCBLK_A_DEV_STALL,
				ZCBLK_MIN(s.stall, 0xffU));
	return set_transact(ctx, nlh, out);
}

/* A DEV_SET of disk @index, to which the caller adds one action. */
static struct nlmsghdr *action_start(struct zcblk_ctx *ctx, __u32 index)
{
	struct nlmsghdr *nlh;

	ctx->errmsg[0] = '\0';
	nlh = zcblk__dev_req_start(ctx, ZCBLK_CMD_DEV_SET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, ZCBLK_A_DEV_INDEX, index);
	return nlh;
}

ZCBLK_EXPORT int zcblk_dev_power(struct zcblk_ctx *ctx, __u32 index,
				 __u32 state, __u32 cut_mode, __u64 cut_seed)
{
	struct nlmsghdr *nlh;

	if (!ctx)
		return -EINVAL;
	nlh = action_start(ctx, index);
	mnl_attr_put_u32(nlh, ZCBLK_A_DEV_POWER, state);
	/*
	 * Whatever the caller gave is sent, for the kernel to refuse it
	 * with another state; 0 is the kernel's default, but with a mode
	 * the seed goes too.
	 */
	if (cut_mode)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_CUT_MODE, cut_mode);
	if (cut_seed || (state == ZCBLK_POWER_STATE_CUT && cut_mode))
		mnl_attr_put_u64(nlh, ZCBLK_A_DEV_CUT_SEED, cut_seed);
	return set_transact(ctx, nlh, NULL);
}

ZCBLK_EXPORT int zcblk_dev_set_bad(struct zcblk_ctx *ctx, __u32 index,
				   __u64 lba, __u32 nlb, __u32 flags)
{
	struct nlmsghdr *nlh;

	if (!ctx)
		return -EINVAL;
	if (flags & ~ZCBLK_BAD_CLEAR) {
		ctx->errmsg[0] = '\0';
		zcblk__set_errmsg(ctx, "flags: unknown bits");
		return -EINVAL;
	}
	nlh = action_start(ctx, index);
	mnl_attr_put_u64(nlh, ZCBLK_A_DEV_BAD_LBA, lba);
	/* Always: 0 is out of range for the kernel to say so, not a default. */
	mnl_attr_put_u32(nlh, ZCBLK_A_DEV_BAD_NLB, nlb);
	if (flags & ZCBLK_BAD_CLEAR)
		mnl_attr_put_u8(nlh, ZCBLK_A_DEV_BAD_CLEAR, 1);
	return set_transact(ctx, nlh, NULL);
}

ZCBLK_EXPORT int zcblk_dev_corrupt(struct zcblk_ctx *ctx, __u32 index,
				   __u64 lba, __u32 nlb, __u32 what)
{
	struct nlmsghdr *nlh;

	if (!ctx)
		return -EINVAL;
	nlh = action_start(ctx, index);
	mnl_attr_put_u64(nlh, ZCBLK_A_DEV_CORRUPT_LBA, lba);
	/* Always: 0 is out of range for the kernel to say so, not a default. */
	mnl_attr_put_u32(nlh, ZCBLK_A_DEV_CORRUPT_NLB, nlb);
	/* 0 is the kernel's default (data); any other value it checks. */
	if (what)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_CORRUPT, what);
	return set_transact(ctx, nlh, NULL);
}

/* What zcblk_dev_bad_list() gathers from the DEV_GET reply. */
struct bad_list {
	struct zcblk_bad_range *out;
	__u32 max, n, count;
	bool has_index;
};

/* One bad-range nest: its lba and nlb, both required. */
static int bad_range_cb(const struct nlattr *attr, void *data)
{
	struct zcblk_bad_range *r = data;

	switch (mnl_attr_get_type(attr)) {
	case ZCBLK_A_BAD_LBA:
		if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
			return MNL_CB_ERROR;
		r->lba = mnl_attr_get_u64(attr);
		break;
	case ZCBLK_A_BAD_NLB:
		if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
			return MNL_CB_ERROR;
		r->nlb = mnl_attr_get_u64(attr);
		break;
	}
	return MNL_CB_OK;	/* newer than us, or padding */
}

static int bad_list_attr_cb(const struct nlattr *attr, void *data)
{
	struct bad_list *b = data;
	struct zcblk_bad_range r = { 0 };

	switch (mnl_attr_get_type(attr)) {
	case ZCBLK_A_DEV_INDEX:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		b->has_index = true;
		break;
	case ZCBLK_A_DEV_BAD_COUNT:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		b->count = mnl_attr_get_u32(attr);
		break;
	case ZCBLK_A_DEV_BAD_RANGE:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
		    mnl_attr_parse_nested(attr, bad_range_cb, &r) != MNL_CB_OK ||
		    !r.nlb)
			return MNL_CB_ERROR;
		if (b->n < b->max)
			b->out[b->n++] = r;
		break;
	}
	return MNL_CB_OK;
}

static int bad_list_cb(const struct nlmsghdr *nlh, void *data)
{
	struct bad_list *b = data;

	b->n = 0;
	b->count = 0;
	b->has_index = false;
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), bad_list_attr_cb,
			   b) != MNL_CB_OK || !b->has_index)
		return -EBADMSG;
	return 0;
}

ZCBLK_EXPORT int zcblk_dev_bad_list(struct zcblk_ctx *ctx, __u32 index,
				    struct zcblk_bad_range *out, __u32 max,
				    __u32 *count)
{
	struct zcblk_bad_range tmp[ZCBLK_BAD_RANGES_MAX];
	struct bad_list b = { .out = tmp };
	struct nlmsghdr *nlh;
	int ret;

	if (!ctx)
		return -EINVAL;
	ctx->errmsg[0] = '\0';
	if (!out && max) {
		zcblk__set_errmsg(ctx, "out: NULL");
		return -EINVAL;
	}
	/* Into our own array first: @out is written only on success. */
	b.max = ZCBLK_MIN(max, (__u32)ZCBLK_BAD_RANGES_MAX);
	nlh = zcblk__dev_req_start(ctx, ZCBLK_CMD_DEV_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, ZCBLK_A_DEV_INDEX, index);
	ret = zcblk__transact(ctx, nlh, &zcblk__dev_attr_names, bad_list_cb,
			      &b);
	if (ret)
		return ret;
	if (b.n)
		memcpy(out, tmp, b.n * sizeof(*tmp));
	if (count)
		*count = b.count;
	return b.n;
}

ZCBLK_EXPORT int zcblk_dev_get(struct zcblk_ctx *ctx, __u32 index,
			       struct zcblk_dev_info *out)
{
	struct nlmsghdr *nlh;
	int ret;

	if (!ctx)
		return -EINVAL;
	ctx->errmsg[0] = '\0';
	ret = check_info_out(ctx, out);
	if (ret)
		return ret;
	nlh = zcblk__dev_req_start(ctx, ZCBLK_CMD_DEV_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, ZCBLK_A_DEV_INDEX, index);
	return zcblk__transact(ctx, nlh, &zcblk__dev_attr_names, one_dev_cb, out);
}

static int parse_dev_elem(const struct nlmsghdr *nlh, void *elem)
{
	return zcblk__parse_dev(nlh, elem);
}

static int cmp_index(const void *a, const void *b)
{
	const struct zcblk_dev_info *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

/* What zcblk_dev_list() hands each disk to. */
struct list_visit {
	int (*cb)(const struct zcblk_dev_info *info, void *arg);
	void *arg;
};

static int visit_dev(const void *elem, void *data)
{
	const struct list_visit *v = data;

	return v->cb(elem, v->arg);
}

ZCBLK_EXPORT int zcblk_dev_list(struct zcblk_ctx *ctx,
				int (*cb)(const struct zcblk_dev_info *info,
					  void *arg),
				void *arg)
{
	struct zcblk_dump_array a = {
		.elem_size = sizeof(struct zcblk_dev_info),
		.parse = parse_dev_elem,
		.cmp = cmp_index,
	};
	struct list_visit v = { .cb = cb, .arg = arg };

	if (!ctx)
		return -EINVAL;
	ctx->errmsg[0] = '\0';
	if (!cb)
		return -EINVAL;
	return zcblk__dump_visit(ctx, ZCBLK_CMD_DEV_GET, &a, visit_dev, &v);
}
