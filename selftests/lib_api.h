/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libzcblk API tests lib_api_ctl.c and lib_api_monitor.c share:
 * the "api" fixture (a struct pt_env: the context, and the disks a test
 * made, which the teardown checks and deletes) and the indexes of the
 * disks they make, each test its own.  lib_api_pt.c has a fixture of its
 * own.  The teardown is FIXTURE_TEARDOWN_PARENT, for the reason
 * netlink_dev.c gives.
 */
#ifndef ZCBLK_SELFTEST_LIB_API_H
#define ZCBLK_SELFTEST_LIB_API_H

#include "pt_common.h"

#define MiB		(1ULL << 20)
/* Indexes well away from the ones handed out (netlink_dev uses 4242). */
#define MON_INDEX	4300	/* lib_api_monitor: MON_INDEX + 0, 1, 2 */
#define SET_INDEX	4303	/* lib_api_ctl */
#define ZONED_INDEX	4310	/* lib_api_ctl */
#define WCACHE_INDEX	4311	/* lib_api_ctl; 4312 stays free */
#define BAD_INDEX	4313	/* lib_api_media; 4314 stays free */
#define CORRUPT_INDEX	4315	/* lib_api_media; 4316 stays free */
#define FDP_INDEX	4317	/* lib_api_ctl; 4318 stays free */
#define TORN_INDEX	4319	/* lib_api_ctl */

/* An info of the newest version, every other byte @byte. */
/*
 * Adds disk @p (its index set) or fails the test, saying @what was added;
 * the fixture's teardown removes it.
 */
static inline void api_add(struct __test_metadata *_metadata,
			   struct pt_env *env, struct zcblk_dev_params *p,
			   struct zcblk_dev_info *out, const char *what)
{
	int ret = zcblk_dev_add(env->ctx, p, out);

	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_dev_add%s: %s: %s", what, strerror(-ret),
		       zcblk_ctx_errmsg(env->ctx));
	}
	env->idx[env->n++] = p->index;
}

static inline void fill_info(struct zcblk_dev_info *info, int byte)
{
	memset(info, byte, sizeof(*info));
	info->size = sizeof(*info);
}

FIXTURE(api) {
	struct pt_env env;
};

FIXTURE_SETUP(api)
{
	pt_env_setup(_metadata, &self->env);
}

FIXTURE_TEARDOWN_PARENT(api)
{
	pt_env_teardown(_metadata, &self->env);
}

#endif /* ZCBLK_SELFTEST_LIB_API_H */
