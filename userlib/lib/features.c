// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the loaded module offers (ZCBLK_CMD_FEATURES), and this library's
 * own version (zcblk_version(), zcblk_check_version()).
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

_Static_assert(sizeof(struct zcblk_features) == ZCBLK_FEATURES_SIZE_VER2,
	       "struct zcblk_features: layout changed");
/* Each version ends where the next one's fields begin. */
_Static_assert(offsetof(struct zcblk_features, cut_modes) ==
	       ZCBLK_FEATURES_SIZE_VER1,
	       "struct zcblk_features: version 1 changed");

/* The zcblk release, from kernel/dev.h by the Makefile. */
#ifndef ZCBLK_LIB_VERSION
#define ZCBLK_LIB_VERSION "unknown"
#endif

/*
 * Its major and minor numbers, from the same place: zcblk.h's must be
 * those.
 */
#if defined(ZCBLK_LIB_VERSION_MAJOR) && \
	(ZCBLK_LIB_VERSION_MAJOR != ZCBLK_VERSION_MAJOR || \
	 ZCBLK_LIB_VERSION_MINOR != ZCBLK_VERSION_MINOR)
#error "zcblk.h: ZCBLK_VERSION_MAJOR/MINOR are not kernel/dev.h's ZCBLK_VERSION"
#endif

ZCBLK_EXPORT const char *zcblk_version(void)
{
	return ZCBLK_LIB_VERSION;
}

ZCBLK_EXPORT int zcblk_version_major(void)
{
	return ZCBLK_VERSION_MAJOR;
}

ZCBLK_EXPORT int zcblk_version_minor(void)
{
	return ZCBLK_VERSION_MINOR;
}

ZCBLK_EXPORT int zcblk_check_version(int major, int minor)
{
	return major < ZCBLK_VERSION_MAJOR ||
	       (major == ZCBLK_VERSION_MAJOR && minor <= ZCBLK_VERSION_MINOR);
}

static const char *const feat_attr_names[ZCBLK_A_FEAT_MAX + 1] = {
	[ZCBLK_A_FEAT_BACKEND]		= "backend",
	[ZCBLK_A_FEAT_CMDS]		= "cmds",
	[ZCBLK_A_FEAT_DEV_FLAGS]	= "dev-flags",
	[ZCBLK_A_FEAT_COMPLETIONS]	= "completions",
	[ZCBLK_A_FEAT_FAIL_OPS]		= "fail-ops",
	[ZCBLK_A_FEAT_MAX_DEVS]		= "max-devs",
	[ZCBLK_A_FEAT_MAX_QUEUES]	= "max-queues",
	[ZCBLK_A_FEAT_MAX_QUEUE_DEPTH]	= "max-queue-depth",
	[ZCBLK_A_FEAT_MAX_TRANSFER]	= "max-transfer",
	[ZCBLK_A_FEAT_VERSION]		= "version",
	[ZCBLK_A_FEAT_CUT_MODES]	= "cut-modes",
};

static const struct zcblk_attr_names feat_names = {
	.names = feat_attr_names,
	.count = ZCBLK_ARRAY_SIZE(feat_attr_names),
};

static int feat_attr_cb(const struct nlattr *attr, void *data)
{
	struct zcblk_features *f = data;
	__u32 *v;

	switch (mnl_attr_get_type(attr)) {
	case ZCBLK_A_FEAT_BACKEND:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		if (f->nr_backends < ZCBLK_FEATURES_MAX_BACKENDS)
			zcblk__copy_str(f->backends[f->nr_backends++],
					sizeof(f->backends[0]), attr);
		return MNL_CB_OK;
	case ZCBLK_A_FEAT_VERSION:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		zcblk__copy_str(f->version, sizeof(f->version), attr);
		return MNL_CB_OK;
	case ZCBLK_A_FEAT_CMDS:
		v = &f->cmds;
		break;
	case ZCBLK_A_FEAT_DEV_FLAGS:
		v = &f->dev_flags;
		break;
	case ZCBLK_A_FEAT_COMPLETIONS:
		v = &f->completions;
		break;
	case ZCBLK_A_FEAT_FAIL_OPS:
		v = &f->fail_ops;
		break;
	case ZCBLK_A_FEAT_MAX_DEVS:
		v = &f->max_devs;
		break;
	case ZCBLK_A_FEAT_MAX_QUEUES:
		v = &f->max_queues;
		break;
	case ZCBLK_A_FEAT_MAX_QUEUE_DEPTH:
		v = &f->max_queue_depth;
		break;
	case ZCBLK_A_FEAT_MAX_TRANSFER:
		v = &f->max_transfer;
		break;
	case ZCBLK_A_FEAT_CUT_MODES:
		v = &f->cut_modes;
		break;
	default:
		return MNL_CB_OK;	/* newer than us */
	}
	if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return MNL_CB_ERROR;
	*v = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int features_cb(const struct nlmsghdr *nlh, void *data)
{
	struct zcblk_features *out = data;
	struct zcblk_features f = { .size = sizeof(f) };
	__u32 size = out->size;

	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), feat_attr_cb,
			   &f) != MNL_CB_OK)
		return -EBADMSG;
	memcpy(out, &f, ZCBLK_MIN(size, sizeof(f)));
	out->size = size;
	return 0;
}

ZCBLK_EXPORT int zcblk_features(struct zcblk_ctx *ctx,
				struct zcblk_features *out)
{
	struct nlmsghdr *nlh;
	int ret;

	if (!ctx)
		return -EINVAL;
	ctx->errmsg[0] = '\0';
	ret = zcblk__check_out(ctx, out, ZCBLK_FEATURES_SIZE_VER1,
			       "zcblk_features");
	if (ret)
		return ret;
	nlh = zcblk__dev_req_start(ctx, ZCBLK_CMD_FEATURES, NLM_F_ACK);
	return zcblk__transact(ctx, nlh, &feat_names, features_cb, out);
}
