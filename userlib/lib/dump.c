// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Dumps of the zcblk family (DEV_GET, DEV_STATS): every message parsed into
 * an array, retried when the set of disks changed under it, sorted, then
 * visited in order.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "internal.h"

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct zcblk_dump_array *a = data;
	int ret;

	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		void *v = realloc(a->v, cap * a->elem_size);

		if (!v)
			return -ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	ret = a->parse(nlh, (char *)a->v + a->n * a->elem_size);
	if (ret)
		return ret;
	a->n++;
	return 0;
}

/* Retries of a dump that raced with a change of the set of disks. */
#define ZCBLK_DUMP_TRIES	5

/*
 * Dump @cmd into @a, sorted.  On success the caller owns a->v (free it
 * even when a->n is 0); on failure it has been freed.
 */
static int dump_all(struct zcblk_ctx *ctx, __u8 cmd, struct zcblk_dump_array *a)
{
	struct nlmsghdr *nlh;
	int ret = 0, tries;

	for (tries = 0; tries < ZCBLK_DUMP_TRIES; tries++) {
		a->n = 0;
		a->interrupted = false;
		nlh = zcblk__dev_req_start(ctx, cmd, NLM_F_DUMP);
		ret = zcblk__transact(ctx, nlh, &zcblk__dev_attr_names, dump_cb,
				      a);
		/* Flagged on any message, NLMSG_DONE too (netlink.rst) */
		a->interrupted = ctx->dump_intr;
		if (ret || !a->interrupted)
			break;
	}
	if (!ret && a->interrupted) {
		zcblk__set_errmsg(ctx, "disks kept changing during the dump");
		ret = -EAGAIN;
	}
	if (ret) {
		free(a->v);
		a->v = NULL;
		return ret;
	}
	if (a->n)
		qsort(a->v, a->n, a->elem_size, a->cmp);
	return 0;
}

/*
 * Dump @cmd into @a, sorted, then call @visit on each element in turn
 * until it returns non-zero (its return value, else 0 or a negative errno
 * from the dump).
 */
int zcblk__dump_visit(struct zcblk_ctx *ctx, __u8 cmd,
		      struct zcblk_dump_array *a,
		      int (*visit)(const void *elem, void *data), void *data)
{
	size_t i;
	int ret;

	ret = dump_all(ctx, cmd, a);
	if (ret)
		return ret;
	for (i = 0; i < a->n; i++) {
		ret = visit((const char *)a->v + i * a->elem_size, data);
		if (ret)
			break;
	}
	free(a->v);
	return ret;
}
