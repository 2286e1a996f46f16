// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * DEV_STATS: one disk's counters, or every disk's (a dump).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "internal.h"

_Static_assert(sizeof(struct zcblk_dev_stats) == ZCBLK_DEV_STATS_SIZE_VER2,
	       "struct zcblk_dev_stats: layout changed");
_Static_assert(offsetof(struct zcblk_dev_stats, cache_dirty_bytes) ==
	       ZCBLK_DEV_STATS_SIZE_VER1,
	       "struct zcblk_dev_stats: version 1 changed");

/* A DEV_STATS answer: the disk's index and its counters. */
struct dev_stats_msg {
	__u32 index;
	struct zcblk_dev_stats stats;
};

struct stats_parse {
	struct dev_stats_msg m;
	bool has_index, has_stats;
};

static int stats_nest_cb(const struct nlattr *attr, void *data)
{
	struct zcblk_dev_stats *st = data;
	__u64 *v;

	switch (mnl_attr_get_type(attr)) {
	case ZCBLK_A_STATS_PT_INFLIGHT:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		st->pt_inflight = mnl_attr_get_u32(attr);
		return MNL_CB_OK;
	case ZCBLK_A_STATS_READ_CMDS:
		v = &st->read_cmds;
		break;
	case ZCBLK_A_STATS_WRITE_CMDS:
		v = &st->write_cmds;
		break;
	case ZCBLK_A_STATS_READ_BYTES:
		v = &st->read_bytes;
		break;
	case ZCBLK_A_STATS_WRITE_BYTES:
		v = &st->write_bytes;
		break;
	case ZCBLK_A_STATS_ERRORS:
		v = &st->errors;
		break;
	case ZCBLK_A_STATS_PINNED_PAGES:
		v = &st->pinned_pages;
		break;
	case ZCBLK_A_STATS_UNPINNED_PAGES:
		v = &st->unpinned_pages;
		break;
	case ZCBLK_A_STATS_PINNED_CURRENT:
		v = &st->pinned_current;
		break;
	case ZCBLK_A_STATS_FIXED_BYTES:
		v = &st->fixed_bytes;
		break;
	case ZCBLK_A_STATS_COPIED_BYTES:
		v = &st->copied_bytes;
		break;
	case ZCBLK_A_STATS_FLUSHES:
		v = &st->flushes;
		break;
	case ZCBLK_A_STATS_TIMEOUTS:
		v = &st->timeouts;
		break;
	case ZCBLK_A_STATS_INJECTED:
		v = &st->injected;
		break;
	case ZCBLK_A_STATS_CACHE_DIRTY_BYTES:
		v = &st->cache_dirty_bytes;
		break;
	case ZCBLK_A_STATS_FUA_WRITES:
		v = &st->fua_writes;
		break;
	case ZCBLK_A_STATS_CUT_LOST_WRITES:
		v = &st->cut_lost_writes;
		break;
	case ZCBLK_A_STATS_CUT_LOST_BLOCKS:
		v = &st->cut_lost_blocks;
		break;
	default:
		return MNL_CB_OK;	/* newer than us, or padding */
	}
	if (mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
		return MNL_CB_ERROR;
	*v = mnl_attr_get_u64(attr);
	return MNL_CB_OK;
}

static int stats_attr_cb(const struct nlattr *attr, void *data)
{
	struct stats_parse *p = data;

	switch (mnl_attr_get_type(attr)) {
	case ZCBLK_A_DEV_INDEX:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		p->m.index = mnl_attr_get_u32(attr);
		p->has_index = true;
		break;
	case ZCBLK_A_DEV_STATS:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
		    mnl_attr_parse_nested(attr, stats_nest_cb,
					  &p->m.stats) != MNL_CB_OK)
			return MNL_CB_ERROR;
		p->has_stats = true;
		break;
	}
	return MNL_CB_OK;
}

/* Parse a DEV_STATS reply into @m. */
static int parse_stats(const struct nlmsghdr *nlh, struct dev_stats_msg *m)
{
	struct stats_parse p = { .m.stats.size = sizeof(p.m.stats) };

	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), stats_attr_cb,
			   &p) != MNL_CB_OK || !p.has_index || !p.has_stats)
		return -EBADMSG;
	*m = p.m;
	return 0;
}

static int one_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct zcblk_dev_stats *out = data;
	struct dev_stats_msg m;
	__u32 size = out->size;
	int ret;

	ret = parse_stats(nlh, &m);
	if (ret)
		return ret;
	memcpy(out, &m.stats, ZCBLK_MIN(size, sizeof(m.stats)));
	out->size = size;
	return 0;
}

ZCBLK_EXPORT int zcblk_dev_stats(struct zcblk_ctx *ctx, __u32 index,
				 struct zcblk_dev_stats *out)
{
	struct nlmsghdr *nlh;
	int ret;

	if (!ctx)
		return -EINVAL;
	ctx->errmsg[0] = '\0';
	ret = zcblk__check_out(ctx, out, ZCBLK_DEV_STATS_SIZE_VER1,
			       "zcblk_dev_stats");
	if (ret)
		return ret;
	nlh = zcblk__dev_req_start(ctx, ZCBLK_CMD_DEV_STATS, NLM_F_ACK);
	mnl_attr_put_u32(nlh, ZCBLK_A_DEV_INDEX, index);
	return zcblk__transact(ctx, nlh, &zcblk__dev_attr_names, one_stats_cb,
			       out);
}

static int parse_stats_elem(const struct nlmsghdr *nlh, void *elem)
{
	return parse_stats(nlh, elem);
}

static int cmp_stats_index(const void *a, const void *b)
{
	const struct dev_stats_msg *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

/* What zcblk_dev_stats_list() hands each disk's counters to. */
struct stats_visit {
	int (*cb)(__u32 index, const struct zcblk_dev_stats *stats, void *arg);
	void *arg;
};

static int visit_stats(const void *elem, void *data)
{
	const struct dev_stats_msg *m = elem;
	const struct stats_visit *v = data;

	return v->cb(m->index, &m->stats, v->arg);
}

ZCBLK_EXPORT int zcblk_dev_stats_list(struct zcblk_ctx *ctx,
				      int (*cb)(__u32 index,
						const struct zcblk_dev_stats *stats,
						void *arg),
				      void *arg)
{
	struct zcblk_dump_array a = {
		.elem_size = sizeof(struct dev_stats_msg),
		.parse = parse_stats_elem,
		.cmp = cmp_stats_index,
	};
	struct stats_visit v = { .cb = cb, .arg = arg };

	if (!ctx)
		return -EINVAL;
	ctx->errmsg[0] = '\0';
	if (!cb)
		return -EINVAL;
	return zcblk__dump_visit(ctx, ZCBLK_CMD_DEV_STATS, &a, visit_stats, &v);
}
