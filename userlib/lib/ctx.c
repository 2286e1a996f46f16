// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The netlink side of libzcblk: the socket, family (and monitor group)
 * resolution, one request/answer transaction, and turning extended ACKs
 * into a message.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

void zcblk__set_errmsg(struct zcblk_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	va_end(ap);
}

struct nlmsghdr *zcblk__req_start(struct zcblk_ctx *ctx, __u16 type,
				  __u16 flags, __u8 cmd, __u8 version)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(ctx->req, 0, MNL_NLMSG_HDRLEN + sizeof(*genl));
	nlh = mnl_nlmsg_put_header(ctx->req);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++ctx->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

static const char *attr_name(const struct zcblk_attr_names *names,
			     unsigned int type, char *buf, size_t len)
{
	if (names && type < names->count && names->names[type])
		return names->names[type];
	snprintf(buf, len, "attribute %u", type);
	return buf;
}

/* The attribute of @req that @offs (from the start of @req) points into. */
static const struct nlattr *find_req_attr(const struct nlmsghdr *req,
					  __u32 offs)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, req, sizeof(struct genlmsghdr)) {
		__u32 start = (const char *)attr - (const char *)req;

		if (offs >= start && offs < start + attr->nla_len)
			return attr;
	}
	return NULL;
}

/*
 * Does @msg begin with attribute name @name?  "block_size" and "Block-Size"
 * count, "sizes" does not.
 */
static bool starts_with_name(const char *msg, const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++) {
		int a = tolower((unsigned char)msg[i]);
		int b = tolower((unsigned char)name[i]);

		if (a == '_')
			a = '-';
		if (b == '_')
			b = '-';
		if (a != b)
			return false;
	}
	return !(isalnum((unsigned char)msg[i]) || msg[i] == '-' ||
		 msg[i] == '_');
}

struct policy_info {
	bool has_min, has_max;
	__u32 type;
	__u64 min, max;
};

static int policy_attr_cb(const struct nlattr *attr, void *data)
{
	struct policy_info *pi = data;

	switch (mnl_attr_get_type(attr)) {
	case NL_POLICY_TYPE_ATTR_TYPE:
		if (!mnl_attr_validate(attr, MNL_TYPE_U32))
			pi->type = mnl_attr_get_u32(attr);
		break;
	case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
		if (!mnl_attr_validate(attr, MNL_TYPE_U64)) {
			pi->min = mnl_attr_get_u64(attr);
			pi->has_min = true;
		}
		break;
	case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
		if (!mnl_attr_validate(attr, MNL_TYPE_U64)) {
			pi->max = mnl_attr_get_u64(attr);
			pi->has_max = true;
		}
		break;
	}
	return MNL_CB_OK;
}

/*
 * " (valid: 1..64)" for an unsigned range the kernel reported, or "";
 * @octal: the attribute is a file mode, " (valid: 01..0777)".
 */
static void policy_hint(const struct nlattr *policy, bool octal, char *buf,
			size_t len)
{
	struct policy_info pi = { 0 };
	__u64 type_max;

	buf[0] = '\0';
	if (!policy ||
	    mnl_attr_parse_nested(policy, policy_attr_cb, &pi) != MNL_CB_OK ||
	    !pi.has_min || !pi.has_max)
		return;
	switch (pi.type) {
	case NL_ATTR_TYPE_U8:
		type_max = UINT8_MAX;
		break;
	case NL_ATTR_TYPE_U16:
		type_max = UINT16_MAX;
		break;
	case NL_ATTR_TYPE_U32:
		type_max = UINT32_MAX;
		break;
	case NL_ATTR_TYPE_U64:
		type_max = UINT64_MAX;
		break;
	default:
		return;
	}
	if (pi.min == 0 && pi.max == type_max)
		return;
	if (pi.max == type_max)
		snprintf(buf, len, " (minimum: %" PRIu64 ")", (uint64_t)pi.min);
	else if (octal)
		snprintf(buf, len, " (valid: %#" PRIo64 "..%#" PRIo64 ")",
			 (uint64_t)pi.min, (uint64_t)pi.max);
	else
		snprintf(buf, len, " (valid: %" PRIu64 "..%" PRIu64 ")",
			 (uint64_t)pi.min, (uint64_t)pi.max);
}

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= NLMSGERR_ATTR_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

/*
 * Build ctx->errmsg from the extended-ACK TLVs of @nlh (an NLMSG_ERROR or
 * NLMSG_DONE), which start @offset bytes into its payload.  @req is the
 * request the kernel answered.
 */
static void parse_extack(struct zcblk_ctx *ctx, const struct nlmsghdr *nlh,
			 size_t offset, const struct nlmsghdr *req,
			 const struct zcblk_attr_names *names)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	const char *msg = "", *name = NULL;
	char namebuf[32], hint[64];
	const struct nlattr *bad = NULL;
	bool octal;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    mnl_nlmsg_get_payload_len(nlh) < offset ||
	    mnl_attr_parse(nlh, offset, extack_attr_cb, tb) != MNL_CB_OK)
		return;

	if (tb[NLMSGERR_ATTR_MSG] &&
	    !mnl_attr_validate(tb[NLMSGERR_ATTR_MSG], MNL_TYPE_NUL_STRING))
		msg = mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);

	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    !mnl_attr_validate(tb[NLMSGERR_ATTR_MISS_TYPE], MNL_TYPE_U32)) {
		name = attr_name(names,
				 mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]),
				 namebuf, sizeof(namebuf));
		if (!*msg)
			zcblk__set_errmsg(ctx, "missing attribute: %s", name);
		else if (starts_with_name(msg, name))
			zcblk__set_errmsg(ctx, "%s", msg);
		else
			zcblk__set_errmsg(ctx, "%s (missing attribute: %s)",
					  msg, name);
		return;
	}

	if (tb[NLMSGERR_ATTR_OFFS] &&
	    !mnl_attr_validate(tb[NLMSGERR_ATTR_OFFS], MNL_TYPE_U32)) {
		bad = find_req_attr(req,
				    mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]));
		if (bad)
			name = attr_name(names, mnl_attr_get_type(bad),
					 namebuf, sizeof(namebuf));
	}
	octal = bad && names && mnl_attr_get_type(bad) < 64 &&
		(names->octal & (1ULL << mnl_attr_get_type(bad)));
	policy_hint(tb[NLMSGERR_ATTR_POLICY], octal, hint, sizeof(hint));
	if (!name)
		zcblk__set_errmsg(ctx, "%s%s", msg, *msg ? hint : "");
	else if (!*msg)
		zcblk__set_errmsg(ctx, "%s: invalid value%s", name, hint);
	else if (starts_with_name(msg, name))
		zcblk__set_errmsg(ctx, "%s%s", msg, hint);
	else
		zcblk__set_errmsg(ctx, "%s: %s%s", name, msg, hint);
}

/*
 * An output structure of the caller's: not NULL, and its leading __u32
 * size at least @min (the first version). 0 or -EINVAL with a message.
 */
int zcblk__check_out(struct zcblk_ctx *ctx, const void *out, __u32 min,
		     const char *name)
{
	__u32 size;

	if (!out)
		return -EINVAL;
	memcpy(&size, out, sizeof(size));
	if (size < min) {
		zcblk__set_errmsg(ctx, "%s: size too small", name);
		return -EINVAL;
	}
	return 0;
}

/*
 * Send @req (built in ctx->req by zcblk__req_start()) and read the answer
 * until its end: the ACK or error of a request (NLM_F_ACK is always set on
 * non-dump requests), NLMSG_DONE or an error for a dump.  @cb sees every
 * data message; once it returns non-zero it sees no more, but the answer
 * is still read to its end so that the socket stays in step.
 *
 * Return: the kernel's negative errno, else the first non-zero value from
 * @cb, else 0.  A kernel error leaves its explanation in ctx->errmsg; a
 * dump whose set of disks changed under it sets ctx->dump_intr.
 */
int zcblk__transact(struct zcblk_ctx *ctx, const struct nlmsghdr *req,
		    const struct zcblk_attr_names *names, zcblk_msg_cb cb,
		    void *data)
{
	const bool dump = req->nlmsg_flags & NLM_F_DUMP;
	bool replied = false, lost = false;
	int cb_ret = 0;

	ctx->errmsg[0] = '\0';
	ctx->dump_intr = false;
	if (mnl_socket_sendto(ctx->nl, req, req->nlmsg_len) < 0)
		return -errno;

	for (;;) {
		const struct nlmsghdr *nlh;
		ssize_t len;
		int left;

		len = recv(mnl_socket_get_fd(ctx->nl), ctx->rcv,
			   sizeof(ctx->rcv), lost ? MSG_DONTWAIT : 0);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			/*
			 * ENOBUFS: the kernel could not queue a message for
			 * us, the ACK perhaps. It replies only once a command
			 * succeeded, and the reply may be queued still: that
			 * is the answer then (a disk that was made must not
			 * look refused). Without one, the outcome is unknown.
			 */
			if (errno == ENOBUFS && !dump && !lost) {
				lost = true;
				continue;
			}
			if (lost)
				return replied ? cb_ret : -ENOBUFS;
			return -errno;
		}
		left = len;
		for (nlh = (const struct nlmsghdr *)ctx->rcv;
		     mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_seq != req->nlmsg_seq ||
			    !mnl_nlmsg_portid_ok(nlh, ctx->portid))
				continue;	/* stale: not ours */
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				ctx->dump_intr = true;

			switch (nlh->nlmsg_type) {
			case NLMSG_NOOP:
				continue;
			case NLMSG_OVERRUN:
				return -ENOBUFS;
			case NLMSG_ERROR: {
				const struct nlmsgerr *err;
				size_t offset = sizeof(*err);

				if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err))
					return -EBADMSG;
				err = mnl_nlmsg_get_payload(nlh);
				if (!err->error)	/* the ACK */
					return cb_ret;
				if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
				    err->msg.nlmsg_len >= sizeof(struct nlmsghdr))
					offset += err->msg.nlmsg_len -
						  sizeof(struct nlmsghdr);
				parse_extack(ctx, nlh, offset, req, names);
				return err->error > 0 ? -err->error :
							err->error;
			}
			case NLMSG_DONE: {
				int err = 0;

				if (!dump)
					return -EBADMSG;
				if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err))
					memcpy(&err, mnl_nlmsg_get_payload(nlh),
					       sizeof(err));
				if (err) {
					parse_extack(ctx, nlh, sizeof(err),
						     req, names);
					return err > 0 ? -err : err;
				}
				return cb_ret;
			}
			default:
				if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
					continue;
				replied = true;
				if (!cb_ret && cb)
					cb_ret = cb(nlh, data);
			}
		}
		if (left > 0)
			return -EBADMSG;	/* a truncated message */
	}
}

static const char *const ctrl_attr_names[] = {
	[CTRL_ATTR_FAMILY_ID] = "family-id",
	[CTRL_ATTR_FAMILY_NAME] = "family-name",
};

static const struct zcblk_attr_names ctrl_names = {
	.names = ctrl_attr_names,
	.count = ZCBLK_ARRAY_SIZE(ctrl_attr_names),
};

static int mcgrp_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= CTRL_ATTR_MCAST_GRP_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

/* One group of CTRL_ATTR_MCAST_GROUPS: remember the monitor group's id. */
static int mcgrps_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = { NULL };
	struct zcblk_ctx *ctx = data;

	if (mnl_attr_parse_nested(attr, mcgrp_attr_cb, tb) != MNL_CB_OK)
		return MNL_CB_ERROR;
	if (!tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID] ||
	    mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_NAME],
			      MNL_TYPE_NUL_STRING) < 0 ||
	    mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_ID], MNL_TYPE_U32) < 0)
		return MNL_CB_OK;	/* not one we can use */
	if (!strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
		    ZCBLK_GENL_MCGRP_MONITOR))
		ctx->monitor_grp = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	struct zcblk_ctx *ctx = data;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_MCAST_GROUPS:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
		    mnl_attr_parse_nested(attr, mcgrps_cb, ctx) != MNL_CB_OK)
			return MNL_CB_ERROR;
		break;
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
			return MNL_CB_ERROR;
		ctx->family_id = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_VERSION:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		ctx->family_version = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static int family_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb,
			   data) != MNL_CB_OK)
		return -EBADMSG;
	return 0;
}

static int resolve_family(struct zcblk_ctx *ctx)
{
	struct nlmsghdr *nlh;
	int ret;

	nlh = zcblk__req_start(ctx, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY,
			       1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ZCBLK_GENL_NAME);
	ret = zcblk__transact(ctx, nlh, &ctrl_names, family_msg_cb, ctx);
	if (ret)
		return ret;
	return ctx->family_id ? 0 : -EBADMSG;
}

static int set_flag(struct zcblk_ctx *ctx, int opt)
{
	int one = 1;

	if (mnl_socket_setsockopt(ctx->nl, opt, &one, sizeof(one)) < 0)
		return -errno;
	return 0;
}

ZCBLK_EXPORT int zcblk_ctx_open(struct zcblk_ctx **ctxp)
{
	struct zcblk_ctx *ctx;
	int ret;

	if (!ctxp)
		return -EINVAL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;

	ctx->nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!ctx->nl) {
		ret = -errno;
		goto err_free_ctx;
	}
	/* Extended ACKs, and no copy of our request in error messages. */
	ret = set_flag(ctx, NETLINK_EXT_ACK);
	if (ret)
		goto err_close_socket;
	ret = set_flag(ctx, NETLINK_CAP_ACK);
	if (ret)
		goto err_close_socket;
	if (mnl_socket_bind(ctx->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto err_close_socket;
	}
	ctx->portid = mnl_socket_get_portid(ctx->nl);

	ret = resolve_family(ctx);
	if (ret)
		goto err_close_socket;
	*ctxp = ctx;
	return 0;

err_close_socket:
	mnl_socket_close(ctx->nl);
err_free_ctx:
	free(ctx);
	return ret;
}

ZCBLK_EXPORT void zcblk_ctx_close(struct zcblk_ctx *ctx)
{
	if (!ctx)
		return;
	mnl_socket_close(ctx->nl);
	free(ctx);
}

ZCBLK_EXPORT const char *zcblk_ctx_errmsg(const struct zcblk_ctx *ctx)
{
	return ctx ? ctx->errmsg : "";
}
