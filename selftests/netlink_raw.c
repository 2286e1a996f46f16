// SPDX-License-Identifier: GPL-2.0
/*
 * The "zcblk" generic netlink family on the wire, with libmnl and without
 * libzcblk: requests the library would never send and the exact answer
 * the kernel owes each of them; FEATURES; the "monitor" multicast group;
 * consistency of DEV_GET dumps while disks come and go.
 *
 * The answers are those of the kernel's strict validation (lib/nlattr.c
 * with NL_VALIDATE_STRICT, which resv_start_op = 0 gives every zcblk
 * command, on 6.1 and 6.12 alike) and of genetlink:
 *   - attribute type 0 or above the policy's maxattr: -EINVAL "Unknown
 *     attribute type"; a type the command's policy leaves NLA_UNSPEC (SIZE
 *     on DEV_DEL, a reply-only attribute): -EINVAL "Unsupported attribute";
 *   - a fixed-size attribute of another length: -EINVAL (not -ERANGE:
 *     NL_VALIDATE_STRICT_ATTRS); NLA_F_NESTED on a scalar: -EINVAL;
 *   - an NLA_NUL_STRING with no NUL within its length limit + 1: -EINVAL;
 *   - a value outside the policy's range: -ERANGE; outside its mask:
 *     -EINVAL;
 *   - each of those with NLMSGERR_ATTR_OFFS, the offset of the offending
 *     attribute from the start of the request's nlmsghdr;
 *   - bytes that do not make an attribute (an nla_len past the end, a
 *     stub shorter than an attribute header): -EINVAL "bytes leftover",
 *     no offset;
 *   - a missing required attribute: -EINVAL with NLMSGERR_ATTR_MISS_TYPE;
 *   - unknown command, or dump of a command without one: -EOPNOTSUPP;
 *   - genlmsghdr.reserved != 0 or nlmsg_flags bits genetlink does not
 *     define for requests: -EINVAL, no offset.
 *
 * Needs root and zcblk.ko loaded (every test skips if the family is
 * missing). Disks live at indexes from BASE_INDEX up; the fixture's
 * teardown removes every disk a test made, even after a failed ASSERT.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/zcblk.h>

#include "kselftest_harness.h"

/* The Linux 6.1 harness has no such thing: its teardown runs in the test. */
#ifndef FIXTURE_TEARDOWN_PARENT
#define FIXTURE_TEARDOWN_PARENT FIXTURE_TEARDOWN
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define MiB		(1ULL << 20)
#define NOBODY		65534
#define BASE_INDEX	41000	/* well away from indexes handed out */
#define MAX_TRACKED	48
/* dump_consistency: disks that stay, and the two that take turns. */
#define DUMP_STATIC	32
#define DUMP_A		42000	/* walked first */
#define DUMP_B		65000	/* walked last */
#define DUMP_SECONDS	12
/* Replies to one request, and dumps read in small parts on purpose. */
#define RECV_BUF	32768
#define DUMP_RECV_BUF	4096
/* expect_ack(): the ack must carry no offset. */
#define NO_OFFS		(-1L)
/* Failures of the test's own plumbing: no kernel errno equals it. */
#define EHARNESS	(-100000)

struct nlr {
	struct mnl_socket *nl;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;
	uint32_t version;
	uint32_t monitor_grp;	/* 0: not advertised */
	/*
	 * Receive buffer size: the kernel sizes a dump's parts by the
	 * largest read the socket has ever made.
	 */
	size_t bufsz;
};

/* What came back for one request. */
struct ack {
	bool acked;		/* an NLMSG_ERROR (ack) arrived */
	bool done;		/* an NLMSG_DONE arrived (dumps) */
	int err;		/* its error: 0 or a negative errno */
	bool has_offs;
	uint32_t offs;		/* NLMSGERR_ATTR_OFFS */
	int miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, -1 if none */
	char msg[256];		/* NLMSGERR_ATTR_MSG */
	unsigned int replies;	/* data messages before the ack or DONE */
	unsigned int recvs;	/* datagrams that carried data messages */
	bool intr;		/* some message had NLM_F_DUMP_INTR */
};

/* Called for each data message of the answer. */
typedef void (*reply_cb)(const struct nlmsghdr *nlh, void *arg);

/* A request being built. */
struct msg {
	char buf[8192];
	struct nlmsghdr *nlh;
};

static void nlr_close(struct nlr *r)
{
	if (r->nl)
		mnl_socket_close(r->nl);
	r->nl = NULL;
}

static void parse_err(const struct nlmsghdr *nlh, struct ack *a)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off = sizeof(*e);

	a->acked = true;
	a->err = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += mnl_nlmsg_get_payload_len(&e->msg);
	mnl_attr_for_each(attr, nlh, off) {
		switch (mnl_attr_get_type(attr)) {
		case NLMSGERR_ATTR_MSG:
			snprintf(a->msg, sizeof(a->msg), "%s",
				 mnl_attr_get_str(attr));
			break;
		case NLMSGERR_ATTR_OFFS:
			a->has_offs = true;
			a->offs = mnl_attr_get_u32(attr);
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			a->miss_type = mnl_attr_get_u32(attr);
			break;
		}
	}
}

/*
 * Send @nlh and read the answer up to its ack, or its NLMSG_DONE for a
 * dump; @cb sees every other message. @bufsz: the receive buffer (a
 * dump's parts are no larger). Returns 0 with @a filled, or EHARNESS.
 */
static int nlr_xfer_buf(struct nlr *r, struct nlmsghdr *nlh, struct ack *a,
			reply_cb cb, void *arg, size_t bufsz)
{
	static __thread char buf[RECV_BUF];
	unsigned int seq = ++r->seq;

	memset(a, 0, sizeof(*a));
	a->miss_type = -1;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 0;
	if (mnl_socket_sendto(r->nl, nlh, nlh->nlmsg_len) < 0)
		return EHARNESS;
	for (;;) {
		ssize_t ret = mnl_socket_recvfrom(r->nl, buf, bufsz);
		const struct nlmsghdr *m = (const struct nlmsghdr *)buf;
		bool data = false;
		int len = ret;

		if (ret < 0)
			return EHARNESS;
		for (; mnl_nlmsg_ok(m, len); m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_seq != seq)
				continue;	/* a late answer to an old request */
			if (m->nlmsg_flags & NLM_F_DUMP_INTR)
				a->intr = true;
			if (m->nlmsg_type == NLMSG_ERROR) {
				parse_err(m, a);
				return 0;
			}
			if (m->nlmsg_type == NLMSG_DONE) {
				a->done = true;
				if (mnl_nlmsg_get_payload_len(m) >= sizeof(int))
					a->err = *(int *)mnl_nlmsg_get_payload(m);
				return 0;
			}
			a->replies++;
			data = true;
			if (cb)
				cb(m, arg);
		}
		a->recvs += data;
	}
}

static int nlr_xfer(struct nlr *r, struct nlmsghdr *nlh, struct ack *a,
		    reply_cb cb, void *arg)
{
	return nlr_xfer_buf(r, nlh, a, cb, arg, r->bufsz);
}

/* A request of @type (family id) and genl command @cmd. */
static struct nlmsghdr *msg_init_type(struct msg *m, uint16_t type,
				      uint8_t cmd, uint16_t flags)
{
	struct genlmsghdr *g;

	memset(m->buf, 0, sizeof(m->buf));
	m->nlh = mnl_nlmsg_put_header(m->buf);
	m->nlh->nlmsg_type = type;
	m->nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	g = mnl_nlmsg_put_extra_header(m->nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = ZCBLK_GENL_VERSION;
	return m->nlh;
}

static struct nlmsghdr *msg_init(struct msg *m, const struct nlr *r,
				 uint8_t cmd, uint16_t flags)
{
	return msg_init_type(m, r->family, cmd, flags);
}

static struct genlmsghdr *msg_genl(struct msg *m)
{
	return mnl_nlmsg_get_payload(m->nlh);
}

/* Attributes; each returns its offset from the start of the request. */
static long put(struct msg *m, uint16_t type, size_t len, const void *data)
{
	long off = MNL_ALIGN(m->nlh->nlmsg_len);

	mnl_attr_put(m->nlh, type, len, data);
	return off;
}

static long put_u8(struct msg *m, uint16_t type, uint8_t v)
{
	return put(m, type, sizeof(v), &v);
}

static long put_u16(struct msg *m, uint16_t type, uint16_t v)
{
	return put(m, type, sizeof(v), &v);
}

static long put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	return put(m, type, sizeof(v), &v);
}

static long put_u64(struct msg *m, uint16_t type, uint64_t v)
{
	return put(m, type, sizeof(v), &v);
}

static long put_strz(struct msg *m, uint16_t type, const char *s)
{
	return put(m, type, strlen(s) + 1, s);
}

/* An attribute header claiming @nla_len, followed by @len bytes of @data. */
static long put_raw(struct msg *m, uint16_t nla_type, uint16_t nla_len,
		    const void *data, size_t len)
{
	long off = MNL_ALIGN(m->nlh->nlmsg_len);
	struct nlattr *a = (struct nlattr *)(m->buf + off);

	a->nla_type = nla_type;
	a->nla_len = nla_len;
	memcpy(a + 1, data, len);
	m->nlh->nlmsg_len = off + MNL_ALIGN(sizeof(*a) + len);
	return off;
}

static void ctrl_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlr *r = arg;
	const struct nlattr *a, *g, *x;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			r->family = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_VERSION:
			r->version = mnl_attr_get_u32(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(g, a) {
				const char *name = NULL;
				uint32_t id = 0;

				mnl_attr_for_each_nested(x, g) {
					if (mnl_attr_get_type(x) ==
					    CTRL_ATTR_MCAST_GRP_NAME)
						name = mnl_attr_get_str(x);
					else if (mnl_attr_get_type(x) ==
						 CTRL_ATTR_MCAST_GRP_ID)
						id = mnl_attr_get_u32(x);
				}
				if (name &&
				    !strcmp(name, ZCBLK_GENL_MCGRP_MONITOR))
					r->monitor_grp = id;
			}
			break;
		}
	}
}

/* 0; -ENOENT without the zcblk family; another negative errno. */
static int nlr_open_buf(struct nlr *r, size_t bufsz)
{
	struct timeval tv = { .tv_sec = 20 };
	struct msg m;
	struct ack a;
	int one = 1;

	memset(r, 0, sizeof(*r));
	r->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!r->nl)
		return -errno;
	if (mnl_socket_bind(r->nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(r->nl, NETLINK_EXT_ACK, &one,
				  sizeof(one)) < 0 ||
	    setsockopt(mnl_socket_get_fd(r->nl), SOL_SOCKET, SO_RCVTIMEO,
		       &tv, sizeof(tv)) < 0) {
		int err = -errno;

		nlr_close(r);
		return err;
	}
	r->portid = mnl_socket_get_portid(r->nl);
	r->seq = time(NULL);
	r->bufsz = bufsz;

	msg_init_type(&m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	msg_genl(&m)->version = 1;
	put_strz(&m, CTRL_ATTR_FAMILY_NAME, ZCBLK_GENL_NAME);
	if (nlr_xfer(r, m.nlh, &a, ctrl_cb, r)) {
		nlr_close(r);
		return -EIO;
	}
	if (a.err || !r->family) {
		nlr_close(r);
		return a.err ? a.err : -ENOENT;
	}
	return 0;
}

static int nlr_open(struct nlr *r)
{
	return nlr_open_buf(r, RECV_BUF);
}

/* The attributes of a zcblk message, by type; NULL where absent. */
struct attrs {
	uint8_t cmd;
	uint8_t version;
	const struct nlattr *tb[ZCBLK_A_DEV_MAX + 1];
	int unknown;		/* attributes with types beyond the enum */
};

static void parse_attrs(const struct nlmsghdr *nlh, struct attrs *at,
			int max)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	memset(at, 0, sizeof(*at));
	at->cmd = g->cmd;
	at->version = g->version;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		int type = mnl_attr_get_type(a);

		if (type < 1 || type > max)
			at->unknown++;
		else
			at->tb[type] = a;
	}
}

static uint32_t get_u32(const struct attrs *at, int type)
{
	return at->tb[type] ? mnl_attr_get_u32(at->tb[type]) : UINT32_MAX;
}

static uint64_t get_u64(const struct attrs *at, int type)
{
	return at->tb[type] ? mnl_attr_get_u64(at->tb[type]) : UINT64_MAX;
}

static const char *get_str(const struct attrs *at, int type)
{
	return at->tb[type] ? mnl_attr_get_str(at->tb[type]) : "(absent)";
}

/* The INDEX of the last reply, for dev_add(). */
static void index_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct attrs at;

	parse_attrs(nlh, &at, ZCBLK_A_DEV_MAX);
	*(uint32_t *)arg = get_u32(&at, ZCBLK_A_DEV_INDEX);
}

/* DEV_ADD of a @backend disk of @size at @index: its errno. */
static int dev_add(struct nlr *r, const char *backend, uint64_t size,
		   uint32_t index)
{
	uint32_t got = UINT32_MAX;
	struct msg m;
	struct ack a;

	msg_init(&m, r, ZCBLK_CMD_DEV_ADD, 0);
	put_strz(&m, ZCBLK_A_DEV_BACKEND, backend);
	put_u64(&m, ZCBLK_A_DEV_SIZE, size);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	if (nlr_xfer(r, m.nlh, &a, index_cb, &got))
		return EHARNESS;
	if (!a.err && got != index)
		return EHARNESS;
	return a.err;
}

/* DEV_DEL (or DEV_GET, with @cmd) of @index: its errno. */
static int dev_cmd(struct nlr *r, uint8_t cmd, uint32_t index)
{
	struct msg m;
	struct ack a;

	msg_init(&m, r, cmd, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	if (nlr_xfer(r, m.nlh, &a, NULL, NULL))
		return EHARNESS;
	return a.err;
}

FIXTURE(raw) {
	struct nlr r;		/* valid in the test process only */
	uint32_t idx[MAX_TRACKED];
	int n;
};

FIXTURE_SETUP(raw)
{
	int ret;

	self->n = 0;
	ret = nlr_open(&self->r);
	if (ret == -ENOENT)
		SKIP(return, "zcblk module not loaded (no \"zcblk\" genl family)");
	ASSERT_EQ(0, ret) {
		TH_LOG("netlink socket: %s", strerror(-ret));
	}
}

/* In the harness's parent: a socket of its own; no handler blocks. */
FIXTURE_TEARDOWN_PARENT(raw)
{
	struct nlr r;
	int i, ret;

	if (!self->n)
		return;
	ret = nlr_open(&r);
	EXPECT_EQ(0, ret);
	if (ret)
		return;
	for (i = 0; i < self->n; i++) {
		ret = dev_cmd(&r, ZCBLK_CMD_DEV_DEL, self->idx[i]);
		EXPECT_TRUE(ret == 0 || ret == -ENODEV);
		if (ret && ret != -ENODEV)
			TH_LOG("cleanup: del %u: %d", self->idx[i], ret);
	}
	self->n = 0;
	nlr_close(&r);
}

static void track(struct __test_metadata *_metadata,
		  FIXTURE_DATA(raw) *self, uint32_t index)
{
	ASSERT_LT(self->n, MAX_TRACKED);
	self->idx[self->n++] = index;
}

/* A disk for the test, removed by the teardown. */
static void add_tracked(struct __test_metadata *_metadata,
			FIXTURE_DATA(raw) *self, const char *backend,
			uint32_t index)
{
	int ret;

	track(_metadata, self, index);
	ret = dev_add(&self->r, backend, MiB, index);
	ASSERT_EQ(0, ret) {
		TH_LOG("DEV_ADD %s at %u: %d (%s)", backend, index, ret,
		       ret > EHARNESS ? strerror(-ret) : "harness");
	}
}

/* The answer @a must be @err with the extack offset @offs (or NO_OFFS). */
static void expect_ack(struct __test_metadata *_metadata, const struct ack *a,
		       int err, long offs, const char *what)
{
	EXPECT_TRUE(a->acked) {
		TH_LOG("%s: no ack", what);
	}
	EXPECT_EQ(err, a->err) {
		TH_LOG("%s: got %d (%s), want %d (%s); extack \"%s\"", what,
		       a->err, strerror(-a->err), err, strerror(-err), a->msg);
	}
	if (offs >= 0) {
		EXPECT_TRUE(a->has_offs) {
			TH_LOG("%s: no extack offset (want %ld); \"%s\"", what,
			       offs, a->msg);
		}
		if (a->has_offs)
			EXPECT_EQ(offs, (long)a->offs) {
				TH_LOG("%s: extack offset %u, want %ld; \"%s\"",
				       what, a->offs, offs, a->msg);
			}
	} else if (offs == NO_OFFS) {
		EXPECT_FALSE(a->has_offs) {
			TH_LOG("%s: unexpected extack offset %u; \"%s\"", what,
			       a->offs, a->msg);
		}
	}
}

/* Send @m; its answer must be @err at @offs. */
static void expect_answer(struct __test_metadata *_metadata, struct nlr *r,
			  struct msg *m, int err, long offs, const char *what)
{
	struct ack a;

	ASSERT_EQ(0, nlr_xfer(r, m->nlh, &a, NULL, NULL)) {
		TH_LOG("%s: no answer", what);
	}
	expect_ack(_metadata, &a, err, offs, what);
}

static void expect_no_disk(struct __test_metadata *_metadata, struct nlr *r,
			   uint32_t index, const char *what)
{
	int ret = dev_cmd(r, ZCBLK_CMD_DEV_GET, index);

	EXPECT_EQ(-ENODEV, ret) {
		TH_LOG("%s: DEV_GET %u: %d: a disk was made", what, index,
		       ret);
	}
}

/* Attribute types 0 and beyond ZCBLK_A_DEV_MAX: -EINVAL at the attribute. */
TEST_F(raw, unknown_attr_type)
{
	static const uint16_t types[] = { ZCBLK_A_DEV_MAX + 1, 0, 200,
					  0x3fff };	/* the largest type */
	uint32_t index = BASE_INDEX;
	struct msg m;
	unsigned int i;
	long off;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		char what[64];

		snprintf(what, sizeof(what), "DEV_GET + type %u", types[i]);
		msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, 0);
		put_u32(&m, ZCBLK_A_DEV_INDEX, index);
		off = put_u32(&m, types[i], 1);
		expect_answer(_metadata, &self->r, &m, -EINVAL, off, what);

		snprintf(what, sizeof(what), "DEV_GET dump + type %u",
			 types[i]);
		msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, NLM_F_DUMP);
		off = put_u32(&m, types[i], 1);
		expect_answer(_metadata, &self->r, &m, -EINVAL, off, what);
	}

	/* A request that would succeed but for the unknown attribute. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	put_strz(&m, ZCBLK_A_DEV_BACKEND, "null");
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_u32(&m, ZCBLK_A_DEV_MAX + 1, 0);
	track(_metadata, self, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_ADD + unknown type");
	expect_no_disk(_metadata, &self->r, index, "DEV_ADD + unknown type");

	/* FEATURES takes no attribute at all. */
	msg_init(&m, &self->r, ZCBLK_CMD_FEATURES, 0);
	off = put_u32(&m, ZCBLK_A_FEAT_BACKEND, 0);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "FEATURES + attribute 1");
	msg_init(&m, &self->r, ZCBLK_CMD_FEATURES, 0);
	off = put_u32(&m, ZCBLK_A_DEV_INDEX, 0);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "FEATURES + attribute 2");
}

/* Fixed-size attributes of the wrong size: -EINVAL at the attribute. */
TEST_F(raw, wrong_length)
{
	uint32_t index = BASE_INDEX;
	struct msg m;
	long off;

	add_tracked(_metadata, self, "null", index);

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, 0);
	off = put_u16(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_GET index as u16");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, 0);
	off = put_u64(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_GET index as u64");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, 0);
	off = put(&m, ZCBLK_A_DEV_INDEX, 0, "");
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_GET index empty");

	/* The disk would be deleted if the u16 were taken. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	off = put_u16(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_DEL index as u16");
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, index));

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	put_strz(&m, ZCBLK_A_DEV_BACKEND, "null");
	off = put_u32(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index + 1);
	track(_metadata, self, index + 1);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_ADD size as u32");
	expect_no_disk(_metadata, &self->r, index + 1, "DEV_ADD size as u32");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_u32(&m, ZCBLK_A_DEV_STALL, 1);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_SET stall as u32");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_u32(&m, ZCBLK_A_DEV_LATENCY_NS, 1000);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_SET latency-ns as u32");
}

/*
 * NLA_F_NESTED on a scalar, a nest where the command has none, and bytes
 * that do not parse as attributes at all.
 */
TEST_F(raw, garbage_and_truncated)
{
	static const char junk[16] = "\x7f\x00\x03\x00garbage-garb";
	uint32_t index = BASE_INDEX;
	uint32_t v = index;
	struct nlattr inner;
	char nest[64];
	struct msg m;
	long off;

	add_tracked(_metadata, self, "null", index);

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	off = put_raw(&m, ZCBLK_A_DEV_INDEX | NLA_F_NESTED, 8, &v, 4);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_DEL index with NLA_F_NESTED");
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, index));

	/* STATS is a nest in replies only; inside: junk, then a stub. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_raw(&m, ZCBLK_A_DEV_STATS | NLA_F_NESTED, 4 + 16, junk, 16);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_SET + nest of garbage");

	/* A nest whose inner attribute claims more than the nest holds. */
	inner.nla_type = ZCBLK_A_STATS_READ_CMDS;
	inner.nla_len = 200;
	memset(nest, 0, sizeof(nest));
	memcpy(nest, &inner, sizeof(inner));
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	put_strz(&m, ZCBLK_A_DEV_BACKEND, "null");
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index + 1);
	off = put_raw(&m, ZCBLK_A_DEV_STATS | NLA_F_NESTED, 4 + 12, nest, 12);
	track(_metadata, self, index + 1);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_ADD + truncated nest");
	expect_no_disk(_metadata, &self->r, index + 1,
		       "DEV_ADD + truncated nest");

	/* An attribute running past the end of the message. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	put_raw(&m, ZCBLK_A_DEV_INDEX, 100, &v, 4);
	expect_answer(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
		      "DEV_DEL index with nla_len past the end");
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, index));

	/* A valid index, then an attribute header shorter than itself. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	put_raw(&m, ZCBLK_A_DEV_SIZE, 2, &v, 4);
	expect_answer(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
		      "DEV_DEL + nla_len 2");
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, index));

	/* Three stray bytes after the attributes. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	memcpy(m.buf + m.nlh->nlmsg_len, "xyz", 3);
	m.nlh->nlmsg_len += 3;
	expect_answer(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
		      "DEV_DEL + 3 stray bytes");
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, index));

	/* A message too short for its genlmsghdr. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, 0);
	m.nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	expect_answer(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
		      "genlmsghdr cut short");
}

/* NLA_NUL_STRING attributes without their NUL (or too long for it). */
TEST_F(raw, string_without_nul)
{
	static const char long16[] = "abcdefghijklmnop";	/* 16 + NUL */
	static const char unknown15[] = "nosuchbackend15";	/* 15 + NUL */
	uint32_t index = BASE_INDEX;
	struct msg m;
	long off;

	track(_metadata, self, index);

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	off = put(&m, ZCBLK_A_DEV_BACKEND, 3, "mem");
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "backend \"mem\" without NUL");
	expect_no_disk(_metadata, &self->r, index, "backend without NUL");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	off = put(&m, ZCBLK_A_DEV_BACKEND, 0, "");
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off, "backend empty");

	/* NUL only past the 15-byte limit + 1. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	off = put_strz(&m, ZCBLK_A_DEV_BACKEND, long16);
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "backend of 16 characters");

	/* Well formed, but no such backend: zcblk's own check, same answer. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	off = put_strz(&m, ZCBLK_A_DEV_BACKEND, unknown15);
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "unknown backend of 15 characters");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	put_strz(&m, ZCBLK_A_DEV_BACKEND, "file");
	off = put(&m, ZCBLK_A_DEV_PATH, 8, "/dev/nul");
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "path without NUL");
	expect_no_disk(_metadata, &self->r, index, "strings");
}

/* Attributes the command's policy does not have: -EINVAL at them. */
TEST_F(raw, attr_not_in_policy)
{
	uint32_t index = BASE_INDEX;
	struct msg m;
	long off;

	add_tracked(_metadata, self, "null", index);

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_DEL + size");
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, index)) {
		TH_LOG("the disk went despite the refusal");
	}

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	off = put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_DEL size + index");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_u32(&m, ZCBLK_A_DEV_PAD, 0);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off, "DEV_DEL + pad");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_strz(&m, ZCBLK_A_DEV_BACKEND, "mem");
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_SET + backend");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_u32(&m, ZCBLK_A_DEV_TIMEOUT_MS, 1000);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_SET + timeout-ms (DEV_ADD only)");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_u32(&m, ZCBLK_A_DEV_STATE, ZCBLK_DEV_STATE_LIVE);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_GET + state (reply only)");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_STATS, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	off = put_strz(&m, ZCBLK_A_DEV_DISK_NAME, "zcblk0");
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_STATS + disk-name (reply only)");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
	put_strz(&m, ZCBLK_A_DEV_BACKEND, "null");
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index + 1);
	off = put_u64(&m, ZCBLK_A_DEV_ALLOC_BYTES, 0);
	track(_metadata, self, index + 1);
	expect_answer(_metadata, &self->r, &m, -EINVAL, off,
		      "DEV_ADD + alloc-bytes (reply only)");
	expect_no_disk(_metadata, &self->r, index + 1, "DEV_ADD + alloc-bytes");

	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_DEL, index));
}

/* Values outside the policy's ranges and masks. */
TEST_F(raw, out_of_range)
{
	static const struct {
		uint16_t type;
		int size;	/* bytes: 8, 4, or 1 (STALL) */
		uint64_t value;
		int err;
		bool set;	/* DEV_SET (else DEV_ADD) */
	} cases[] = {
		{ ZCBLK_A_DEV_INDEX, 4, ZCBLK_MAX_DEVS, -ERANGE, false },
		{ ZCBLK_A_DEV_SIZE, 8, 0, -ERANGE, false },
		{ ZCBLK_A_DEV_BLOCK_SIZE, 4, 8192, -ERANGE, false },
		{ ZCBLK_A_DEV_BLOCK_SIZE, 4, 1024, -EINVAL, false },
		{ ZCBLK_A_DEV_NR_QUEUES, 4, 0, -ERANGE, false },
		{ ZCBLK_A_DEV_NR_QUEUES, 4, ZCBLK_MAX_QUEUES + 1, -ERANGE, false },
		{ ZCBLK_A_DEV_QUEUE_DEPTH, 4, ZCBLK_MAX_QUEUE_DEPTH + 1, -ERANGE, false },
		{ ZCBLK_A_DEV_POLL_QUEUES, 4, ZCBLK_MAX_QUEUES + 1, -ERANGE, false },
		{ ZCBLK_A_DEV_NODE_MODE, 4, 01000, -ERANGE, false },
		/* (uid_t)-1 is no user in any namespace: zcblk's own check */
		{ ZCBLK_A_DEV_NODE_UID, 4, UINT32_MAX, -EINVAL, false },
		{ ZCBLK_A_DEV_NODE_GID, 4, UINT32_MAX, -EINVAL, false },
		{ ZCBLK_A_DEV_FLAGS, 4, __ZCBLK_DEV_F_ALL + 1, -EINVAL, false },
		{ ZCBLK_A_DEV_TIMEOUT_MS, 4, 99, -ERANGE, false },
		{ ZCBLK_A_DEV_COMPLETION, 4, 0, -ERANGE, true },
		{ ZCBLK_A_DEV_COMPLETION, 4, ZCBLK_COMPLETION_MAX + 1, -ERANGE, true },
		{ ZCBLK_A_DEV_LATENCY_NS, 8, 10000000001ULL, -ERANGE, true },
		{ ZCBLK_A_DEV_FAIL_PPM, 4, 1000001, -ERANGE, true },
		{ ZCBLK_A_DEV_FAIL_STATUS, 4, 0, -ERANGE, true },
		{ ZCBLK_A_DEV_FAIL_STATUS, 4, 0x8000, -ERANGE, true },
		{ ZCBLK_A_DEV_FAIL_OPS, 4, ZCBLK_FAIL_OPS_MAX + 1, -ERANGE, true },
		{ ZCBLK_A_DEV_STALL, 1, 2, -ERANGE, true },
	};
	uint32_t index = BASE_INDEX;
	struct msg m;
	unsigned int i;
	long off;

	add_tracked(_metadata, self, "null", index);
	track(_metadata, self, index + 1);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char what[64];

		snprintf(what, sizeof(what), "%s attribute %u = %llu",
			 cases[i].set ? "DEV_SET" : "DEV_ADD", cases[i].type,
			 (unsigned long long)cases[i].value);
		if (cases[i].set) {
			msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
			put_u32(&m, ZCBLK_A_DEV_INDEX, index);
		} else {
			msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
			put_strz(&m, ZCBLK_A_DEV_BACKEND, "null");
			if (cases[i].type != ZCBLK_A_DEV_SIZE)
				put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
			if (cases[i].type != ZCBLK_A_DEV_INDEX)
				put_u32(&m, ZCBLK_A_DEV_INDEX, index + 1);
		}
		if (cases[i].size == 8)
			off = put_u64(&m, cases[i].type, cases[i].value);
		else if (cases[i].size == 4)
			off = put_u32(&m, cases[i].type, cases[i].value);
		else
			off = put_u8(&m, cases[i].type, cases[i].value);
		expect_answer(_metadata, &self->r, &m, cases[i].err, off, what);
	}
	expect_no_disk(_metadata, &self->r, index + 1, "out of range");
}

/* A required attribute missing: NLMSGERR_ATTR_MISS_TYPE names it. */
TEST_F(raw, missing_attr)
{
	static const struct {
		uint8_t cmd;
		const char *backend;
		bool size;
		int missing;
	} cases[] = {
		{ ZCBLK_CMD_DEV_DEL, NULL, false, ZCBLK_A_DEV_INDEX },
		{ ZCBLK_CMD_DEV_SET, NULL, false, ZCBLK_A_DEV_INDEX },
		{ ZCBLK_CMD_DEV_GET, NULL, false, ZCBLK_A_DEV_INDEX },
		{ ZCBLK_CMD_DEV_STATS, NULL, false, ZCBLK_A_DEV_INDEX },
		{ ZCBLK_CMD_DEV_ADD, NULL, true, ZCBLK_A_DEV_BACKEND },
		{ ZCBLK_CMD_DEV_ADD, "null", false, ZCBLK_A_DEV_SIZE },
		{ ZCBLK_CMD_DEV_ADD, "file", true, ZCBLK_A_DEV_PATH },
		{ ZCBLK_CMD_DEV_ADD, "file", false, ZCBLK_A_DEV_PATH },
	};
	unsigned int i;
	struct msg m;
	struct ack a;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		msg_init(&m, &self->r, cases[i].cmd, 0);
		if (cases[i].backend)
			put_strz(&m, ZCBLK_A_DEV_BACKEND, cases[i].backend);
		if (cases[i].size)
			put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
		ASSERT_EQ(0, nlr_xfer(&self->r, m.nlh, &a, NULL, NULL));
		EXPECT_EQ(-EINVAL, a.err) {
			TH_LOG("cmd %u%s%s without attribute %d: %d \"%s\"",
			       cases[i].cmd, cases[i].backend ? " backend " : "",
			       cases[i].backend ?: "", cases[i].missing, a.err,
			       a.msg);
		}
		EXPECT_EQ(cases[i].missing, a.miss_type) {
			TH_LOG("cmd %u%s%s: NLMSGERR_ATTR_MISS_TYPE %d, want %d "
			       "(\"%s\")", cases[i].cmd,
			       cases[i].backend ? " backend " : "",
			       cases[i].backend ?: "", a.miss_type,
			       cases[i].missing, a.msg);
		}
	}
}

/* Command numbers the family does not serve: -EOPNOTSUPP. */
TEST_F(raw, unknown_command)
{
	static const struct {
		uint8_t cmd;
		uint16_t flags;
	} cases[] = {
		{ 0, 0 },
		{ __ZCBLK_CMD_MAX, 0 },
		{ 255, 0 },
		{ ZCBLK_CMD_DEV_ADDED, 0 },	/* notifications only */
		{ ZCBLK_CMD_DEV_CHANGED, 0 },
		{ ZCBLK_CMD_DEV_REMOVED, 0 },
		{ ZCBLK_CMD_FEATURES, NLM_F_DUMP },	/* no dumpit */
		{ ZCBLK_CMD_DEV_DEL, NLM_F_DUMP },
		{ ZCBLK_CMD_DEV_ADD, NLM_F_DUMP },
	};
	unsigned int i;
	struct msg m;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char what[48];

		snprintf(what, sizeof(what), "cmd %u%s", cases[i].cmd,
			 cases[i].flags ? " dump" : "");
		msg_init(&m, &self->r, cases[i].cmd, cases[i].flags);
		expect_answer(_metadata, &self->r, &m, -EOPNOTSUPP, NO_OFFS,
			      what);
	}
}

/* genlmsghdr.reserved and nlmsg_flags genetlink does not allow. */
TEST_F(raw, header_fields)
{
	uint32_t index = BASE_INDEX;
	struct msg m;

	add_tracked(_metadata, self, "null", index);

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	msg_genl(&m)->reserved = 1;
	expect_answer(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
		      "DEV_GET, reserved 1");

	msg_init(&m, &self->r, ZCBLK_CMD_FEATURES, 0);
	msg_genl(&m)->reserved = 0x8000;
	expect_answer(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
		      "FEATURES, reserved 0x8000");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_DEL, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	msg_genl(&m)->reserved = 1;
	expect_answer(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
		      "DEV_DEL, reserved 1");
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, index));

	/* NLM_F_ROOT without NLM_F_MATCH is not a dump, and not allowed. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_GET, NLM_F_ROOT);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	expect_answer(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
		      "DEV_GET with NLM_F_ROOT");

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, NLM_F_CREATE);
	put_strz(&m, ZCBLK_A_DEV_BACKEND, "null");
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index + 1);
	track(_metadata, self, index + 1);
	expect_answer(_metadata, &self->r, &m, -EINVAL, NO_OFFS,
		      "DEV_ADD with NLM_F_CREATE");
	expect_no_disk(_metadata, &self->r, index + 1, "NLM_F_CREATE");
}

struct features {
	struct attrs at;
	char backends[8][16];
	int nbackends;
	bool seen;
};

static void features_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct features *f = arg;
	const struct nlattr *a;

	f->seen = true;
	parse_attrs(nlh, &f->at, ZCBLK_A_FEAT_MAX);
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == ZCBLK_A_FEAT_BACKEND &&
		    f->nbackends < 8)
			snprintf(f->backends[f->nbackends++], 16, "%s",
				 mnl_attr_get_str(a));
	}
}

static int count_backend(const struct features *f, const char *name)
{
	int i, n = 0;

	for (i = 0; i < f->nbackends; i++)
		n += !strcmp(f->backends[i], name);
	return n;
}

/* As user nobody: FEATURES is served, DEV_ADD and DEV_SET are not. */
static int features_unprivileged(void)
{
	struct nlr r;
	struct msg m;
	struct ack a;

	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return 10;
	if (nlr_open(&r))
		return 11;
	msg_init(&m, &r, ZCBLK_CMD_FEATURES, 0);
	if (nlr_xfer(&r, m.nlh, &a, NULL, NULL) || a.err || a.replies != 1)
		return 12;
	msg_init(&m, &r, ZCBLK_CMD_DEV_ADD, 0);
	put_strz(&m, ZCBLK_A_DEV_BACKEND, "null");
	put_u64(&m, ZCBLK_A_DEV_SIZE, MiB);
	if (nlr_xfer(&r, m.nlh, &a, NULL, NULL) || a.err != -EPERM)
		return 13;
	msg_init(&m, &r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, BASE_INDEX);
	put_u8(&m, ZCBLK_A_DEV_STALL, 1);
	if (nlr_xfer(&r, m.nlh, &a, NULL, NULL) || a.err != -EPERM)
		return 14;
	nlr_close(&r);
	return 0;
}

TEST_F(raw, features)
{
	struct features f = { 0 };
	char version[64] = "";
	struct msg m;
	struct ack a;
	int status;
	pid_t pid;
	FILE *fp;

	msg_init(&m, &self->r, ZCBLK_CMD_FEATURES, 0);
	ASSERT_EQ(0, nlr_xfer(&self->r, m.nlh, &a, features_cb, &f));
	ASSERT_EQ(0, a.err) {
		TH_LOG("FEATURES: %s \"%s\"", strerror(-a.err), a.msg);
	}
	ASSERT_EQ(1, a.replies);
	EXPECT_EQ(ZCBLK_CMD_FEATURES, f.at.cmd);
	EXPECT_EQ(0, f.at.unknown);

	EXPECT_EQ(3, f.nbackends);
	EXPECT_EQ(1, count_backend(&f, "null"));
	EXPECT_EQ(1, count_backend(&f, "mem"));
	EXPECT_EQ(1, count_backend(&f, "file"));

	/* The version is the module's, as sysfs shows it. */
	ASSERT_NE(NULL, f.at.tb[ZCBLK_A_FEAT_VERSION]);
	EXPECT_LT(0, (int)strlen(get_str(&f.at, ZCBLK_A_FEAT_VERSION)));
	fp = fopen("/sys/module/zcblk/version", "r");
	EXPECT_NE(NULL, fp) {
		TH_LOG("/sys/module/zcblk/version: %s", strerror(errno));
	}
	if (fp) {
		if (fgets(version, sizeof(version), fp))
			version[strcspn(version, "\n")] = 0;
		fclose(fp);
		EXPECT_STREQ(version, get_str(&f.at, ZCBLK_A_FEAT_VERSION));
	}

	EXPECT_EQ((1U << ZCBLK_CMD_DEV_ADD) | (1U << ZCBLK_CMD_DEV_DEL) |
		  (1U << ZCBLK_CMD_DEV_GET) | (1U << ZCBLK_CMD_DEV_STATS) |
		  (1U << ZCBLK_CMD_DEV_SET) | (1U << ZCBLK_CMD_FEATURES),
		  get_u32(&f.at, ZCBLK_A_FEAT_CMDS));
	EXPECT_EQ(__ZCBLK_DEV_F_ALL, get_u32(&f.at, ZCBLK_A_FEAT_DEV_FLAGS));
	EXPECT_EQ((1U << ZCBLK_COMPLETION_INLINE) |
		  (1U << ZCBLK_COMPLETION_SOFTIRQ) |
		  (1U << ZCBLK_COMPLETION_TIMER),
		  get_u32(&f.at, ZCBLK_A_FEAT_COMPLETIONS));
	EXPECT_EQ((1U << ZCBLK_FAIL_OPS_ALL) | (1U << ZCBLK_FAIL_OPS_READS) |
		  (1U << ZCBLK_FAIL_OPS_WRITES),
		  get_u32(&f.at, ZCBLK_A_FEAT_FAIL_OPS));
	EXPECT_EQ(ZCBLK_MAX_DEVS, get_u32(&f.at, ZCBLK_A_FEAT_MAX_DEVS));
	EXPECT_EQ(ZCBLK_MAX_QUEUES, get_u32(&f.at, ZCBLK_A_FEAT_MAX_QUEUES));
	EXPECT_EQ(ZCBLK_MAX_QUEUE_DEPTH,
		  get_u32(&f.at, ZCBLK_A_FEAT_MAX_QUEUE_DEPTH));
	EXPECT_EQ(512 * 1024, get_u32(&f.at, ZCBLK_A_FEAT_MAX_TRANSFER));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(features_unprivileged());
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("as nobody: step %d failed (10 setuid, 11 open, "
		       "12 FEATURES refused, 13 DEV_ADD not EPERM, "
		       "14 DEV_SET not EPERM)", WEXITSTATUS(status));
	}
}

/* One event read from the monitor socket. */
struct event {
	uint8_t cmd;
	uint8_t version;
	uint32_t pid;
	uint32_t index;
	uint32_t state;
	uint64_t size;
	uint64_t latency_ns;
	char backend[16];
	char disk_name[32];
};

/* Next event within @ms; 1 if one came, 0 if none, EHARNESS on error. */
static int read_event(struct mnl_socket *nl, struct event *ev, int ms)
{
	static char buf[RECV_BUF];
	struct pollfd p = { .fd = mnl_socket_get_fd(nl), .events = POLLIN };
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	struct attrs at;
	ssize_t len;

	if (poll(&p, 1, ms) <= 0)
		return 0;
	len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (len < (ssize_t)NLMSG_HDRLEN || !mnl_nlmsg_ok(nlh, len))
		return EHARNESS;
	/* One event per datagram: multicast sends them one by one. */
	parse_attrs(nlh, &at, ZCBLK_A_DEV_MAX);
	memset(ev, 0, sizeof(*ev));
	ev->cmd = at.cmd;
	ev->version = at.version;
	ev->pid = nlh->nlmsg_pid;
	ev->index = get_u32(&at, ZCBLK_A_DEV_INDEX);
	ev->state = get_u32(&at, ZCBLK_A_DEV_STATE);
	ev->size = get_u64(&at, ZCBLK_A_DEV_SIZE);
	ev->latency_ns = get_u64(&at, ZCBLK_A_DEV_LATENCY_NS);
	snprintf(ev->backend, sizeof(ev->backend), "%s",
		 get_str(&at, ZCBLK_A_DEV_BACKEND));
	snprintf(ev->disk_name, sizeof(ev->disk_name), "%s",
		 get_str(&at, ZCBLK_A_DEV_DISK_NAME));
	return 1;
}

/*
 * Subscribed to "monitor": add, DEV_SET, delete give exactly DEV_ADDED,
 * DEV_CHANGED, DEV_REMOVED, in order, about the disk; refused requests
 * give no event.
 */
TEST_F(raw, monitor)
{
	uint32_t index = BASE_INDEX + 7;
	struct mnl_socket *mon;
	struct event ev[4];
	char name[32];
	struct msg m;
	struct ack a;
	uint32_t grp;
	int i, n, ret;

	ASSERT_NE(0, self->r.monitor_grp) {
		TH_LOG("CTRL_CMD_GETFAMILY: no \"%s\" multicast group",
		       ZCBLK_GENL_MCGRP_MONITOR);
	}
	grp = self->r.monitor_grp;
	mon = mnl_socket_open(NETLINK_GENERIC);
	ASSERT_NE(NULL, mon);
	ASSERT_EQ(0, mnl_socket_bind(mon, 0, MNL_SOCKET_AUTOPID));
	ASSERT_EQ(0, mnl_socket_setsockopt(mon, NETLINK_ADD_MEMBERSHIP, &grp,
					   sizeof(grp))) {
		TH_LOG("NETLINK_ADD_MEMBERSHIP %u: %s", grp, strerror(errno));
	}

	track(_metadata, self, index);
	ret = dev_add(&self->r, "mem", MiB, index);
	ASSERT_EQ(0, ret);

	/* Refused: no event. */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	put_u8(&m, ZCBLK_A_DEV_STALL, 2);
	ASSERT_EQ(0, nlr_xfer(&self->r, m.nlh, &a, NULL, NULL));
	EXPECT_EQ(-ERANGE, a.err);
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index + 1);
	put_u64(&m, ZCBLK_A_DEV_LATENCY_NS, 1);
	ASSERT_EQ(0, nlr_xfer(&self->r, m.nlh, &a, NULL, NULL));
	EXPECT_EQ(-ENODEV, a.err);
	EXPECT_EQ(-EEXIST, dev_add(&self->r, "mem", MiB, index));

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	put_u64(&m, ZCBLK_A_DEV_LATENCY_NS, 12345);
	ASSERT_EQ(0, nlr_xfer(&self->r, m.nlh, &a, NULL, NULL));
	ASSERT_EQ(0, a.err) {
		TH_LOG("DEV_SET: %s \"%s\"", strerror(-a.err), a.msg);
	}

	ASSERT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_DEL, index));
	EXPECT_EQ(-ENODEV, dev_cmd(&self->r, ZCBLK_CMD_DEV_DEL, index));

	for (n = 0; n < 4; n++) {
		ret = read_event(mon, &ev[n], n < 3 ? 10000 : 1000);
		ASSERT_NE(EHARNESS, ret);
		if (!ret)
			break;
	}
	mnl_socket_close(mon);
	EXPECT_EQ(3, n) {
		TH_LOG("%d events, want 3 (added, changed, removed):", n);
		for (i = 0; i < n; i++)
			TH_LOG("  event cmd %u index %u", ev[i].cmd,
			       ev[i].index);
	}
	ASSERT_LE(3, n);

	snprintf(name, sizeof(name), "zcblk%u", index);
	EXPECT_EQ(ZCBLK_CMD_DEV_ADDED, ev[0].cmd);
	EXPECT_EQ(ZCBLK_CMD_DEV_CHANGED, ev[1].cmd);
	EXPECT_EQ(ZCBLK_CMD_DEV_REMOVED, ev[2].cmd);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(index, ev[i].index) {
			TH_LOG("event %d: index %u, want %u", i, ev[i].index,
			       index);
		}
		EXPECT_EQ(0, ev[i].pid);
		EXPECT_EQ(ZCBLK_GENL_VERSION, ev[i].version);
		EXPECT_STREQ("mem", ev[i].backend);
		EXPECT_STREQ(name, ev[i].disk_name);
		EXPECT_EQ(MiB, ev[i].size);
	}
	EXPECT_EQ(ZCBLK_DEV_STATE_LIVE, ev[0].state);
	EXPECT_EQ(0, ev[0].latency_ns);
	EXPECT_EQ(ZCBLK_DEV_STATE_LIVE, ev[1].state);
	EXPECT_EQ(12345, ev[1].latency_ns);
	EXPECT_EQ(ZCBLK_DEV_STATE_DEAD, ev[2].state);
}

/*
 * DEV_ADDs refused late, once the backend is being set up (file backend
 * without a path, with a path that is missing, a directory, a char device
 * or a zcblk disk): no event, and the index wanted is free again.
 */
TEST_F(raw, failed_add)
{
	static const struct {
		const char *path;	/* NULL: none */
		uint64_t size;		/* 0: none */
		int err;
	} cases[] = {
		{ NULL, 0, -EINVAL },
		{ NULL, MiB, -EINVAL },
		{ "/nonexistent/zcblk-test", 0, -ENOENT },
		{ "/", 0, -EINVAL },
		{ "/dev/null", 0, -EINVAL },
		{ "zcblk", 0, -EBUSY },		/* a zcblk disk: /dev/zcblk<N> */
	};
	uint32_t index = BASE_INDEX + 3, grp = self->r.monitor_grp;
	struct mnl_socket *mon;
	char zpath[32];
	struct event ev;
	unsigned int i;
	struct msg m;
	struct ack a;
	int ret;

	add_tracked(_metadata, self, "null", index + 1);
	snprintf(zpath, sizeof(zpath), "/dev/zcblk%u", index + 1);
	for (i = 0; i < 100 && access(zpath, F_OK); i++)
		usleep(50000);	/* devtmpfs makes it a little later */
	ASSERT_EQ(0, access(zpath, F_OK)) {
		TH_LOG("%s: %s", zpath, strerror(errno));
	}

	ASSERT_NE(0, grp);
	mon = mnl_socket_open(NETLINK_GENERIC);
	ASSERT_NE(NULL, mon);
	ASSERT_EQ(0, mnl_socket_bind(mon, 0, MNL_SOCKET_AUTOPID));
	ASSERT_EQ(0, mnl_socket_setsockopt(mon, NETLINK_ADD_MEMBERSHIP, &grp,
					   sizeof(grp)));
	track(_metadata, self, index);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *path = cases[i].path;

		if (path && !strcmp(path, "zcblk"))
			path = zpath;
		msg_init(&m, &self->r, ZCBLK_CMD_DEV_ADD, 0);
		put_strz(&m, ZCBLK_A_DEV_BACKEND, "file");
		if (path)
			put_strz(&m, ZCBLK_A_DEV_PATH, path);
		if (cases[i].size)
			put_u64(&m, ZCBLK_A_DEV_SIZE, cases[i].size);
		put_u32(&m, ZCBLK_A_DEV_INDEX, index);
		ASSERT_EQ(0, nlr_xfer(&self->r, m.nlh, &a, NULL, NULL));
		EXPECT_EQ(cases[i].err, a.err) {
			TH_LOG("file backend, path %s, size %llu: %d (%s), "
			       "want %d; \"%s\"", path ?: "(none)",
			       (unsigned long long)cases[i].size, a.err,
			       strerror(-a.err), cases[i].err, a.msg);
		}
		EXPECT_NE(0, a.msg[0]) {
			TH_LOG("path %s: no extack message", path ?: "(none)");
		}
		expect_no_disk(_metadata, &self->r, index, "failed file add");
	}
	ret = read_event(mon, &ev, 500);
	EXPECT_EQ(0, ret) {
		TH_LOG("event %u about disk %u after refused adds", ev.cmd,
		       ev.index);
	}

	/* The index is free: a null disk takes it. */
	ret = dev_add(&self->r, "null", MiB, index);
	EXPECT_EQ(0, ret) {
		TH_LOG("DEV_ADD at %u after refused adds: %d", index, ret);
	}
	ret = read_event(mon, &ev, 10000);
	EXPECT_EQ(1, ret);
	if (ret == 1) {
		EXPECT_EQ(ZCBLK_CMD_DEV_ADDED, ev.cmd);
		EXPECT_EQ(index, ev.index);
	}
	mnl_socket_close(mon);
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_DEL, index));
}

/*
 * dump_consistency: the churner keeps at least one of disks A (walked
 * first) and B (walked last) at every instant: add B, del A, add A,
 * del B, ... A dump that saw neither walked past A while only B was there
 * and reached B after it had gone: it must carry NLM_F_DUMP_INTR.
 */
struct churn {
	pthread_mutex_t lock;
	bool stop;
	int err;		/* first failure: step * 1000 - errno */
	unsigned int cycles;
};

static bool churn_stopped(struct churn *c)
{
	bool stop;

	pthread_mutex_lock(&c->lock);
	stop = c->stop;
	pthread_mutex_unlock(&c->lock);
	return stop;
}

static void *churn_fn(void *arg)
{
	struct churn *c = arg;
	struct nlr r;
	int ret;

	ret = nlr_open(&r);
	if (ret) {
		c->err = -1000 + ret;
		return NULL;
	}
	/* Stops between cycles: A is there, B is not. */
	while (!churn_stopped(c)) {
		ret = dev_add(&r, "null", MiB, DUMP_B);
		if (ret) {
			c->err = -2000 + ret;
			break;
		}
		ret = dev_cmd(&r, ZCBLK_CMD_DEV_DEL, DUMP_A);
		if (ret) {
			c->err = -3000 + ret;
			break;
		}
		ret = dev_add(&r, "null", MiB, DUMP_A);
		if (ret) {
			c->err = -4000 + ret;
			break;
		}
		ret = dev_cmd(&r, ZCBLK_CMD_DEV_DEL, DUMP_B);
		if (ret) {
			c->err = -5000 + ret;
			break;
		}
		c->cycles++;
	}
	nlr_close(&r);
	return NULL;
}

struct dump_seen {
	int nstatic[DUMP_STATIC];
	int a, b;
	bool sorted;
	uint32_t last;
	unsigned int n;
};

static void dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_seen *s = arg;
	struct attrs at;
	uint32_t index;

	parse_attrs(nlh, &at, ZCBLK_A_DEV_MAX);
	index = get_u32(&at, ZCBLK_A_DEV_INDEX);
	if (s->n && index <= s->last)
		s->sorted = false;
	s->last = index;
	s->n++;
	if (index == DUMP_A)
		s->a++;
	else if (index == DUMP_B)
		s->b++;
	else if (index > DUMP_A && index <= DUMP_A + DUMP_STATIC)
		s->nstatic[index - DUMP_A - 1]++;
}

/* One DEV_GET dump read in small parts; 0 or EHARNESS. */
static int dump_once(struct nlr *r, struct dump_seen *s, struct ack *a)
{
	struct msg m;

	memset(s, 0, sizeof(*s));
	s->sorted = true;
	msg_init(&m, r, ZCBLK_CMD_DEV_GET, NLM_F_DUMP);
	return nlr_xfer(r, m.nlh, a, dump_cb, s);
}

static bool statics_once(const struct dump_seen *s)
{
	int i;

	for (i = 0; i < DUMP_STATIC; i++)
		if (s->nstatic[i] != 1)
			return false;
	return true;
}

TEST_F_TIMEOUT(raw, dump_consistency, 150)
{
	unsigned int clean = 0, intr = 0, torn = 0, both = 0, bad = 0;
	struct churn c = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct dump_seen s;
	struct timespec t0, t;
	pthread_t thread;
	struct nlr d;
	struct ack a;
	int i, ret;

	add_tracked(_metadata, self, "null", DUMP_A);
	for (i = 1; i <= DUMP_STATIC; i++)
		add_tracked(_metadata, self, "null", DUMP_A + i);
	track(_metadata, self, DUMP_B);

	/* A socket that never reads more than DUMP_RECV_BUF at once. */
	ASSERT_EQ(0, nlr_open_buf(&d, DUMP_RECV_BUF));

	/* Quiet: one consistent dump, in several parts. */
	ASSERT_EQ(0, dump_once(&d, &s, &a));
	ASSERT_TRUE(a.done) {
		TH_LOG("dump: no NLMSG_DONE; error %d \"%s\"", a.err, a.msg);
	}
	EXPECT_FALSE(a.intr);
	EXPECT_TRUE(s.sorted);
	EXPECT_TRUE(statics_once(&s));
	EXPECT_EQ(1, s.a);
	EXPECT_EQ(0, s.b);
	ASSERT_LE(2, a.recvs) {
		TH_LOG("the dump came in one part: it cannot be torn");
	}
	TH_LOG("quiet dump: %u disks in %u parts", s.n, a.recvs);

	ASSERT_EQ(0, pthread_create(&thread, NULL, churn_fn, &c));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		ret = dump_once(&d, &s, &a);
		if (ret || !a.done || a.err) {
			bad++;
			TH_LOG("dump failed: %d, done %d, error %d \"%s\"",
			       ret, a.done, a.err, a.msg);
			break;
		}
		if (!s.sorted || !statics_once(&s) || s.a > 1 || s.b > 1) {
			bad++;
			TH_LOG("dump: sorted %d, statics %s, A %d, B %d%s",
			       s.sorted, statics_once(&s) ? "ok" : "wrong",
			       s.a, s.b, a.intr ? " (INTR)" : "");
		}
		if (a.intr) {
			intr++;
			torn += !s.a && !s.b;
		} else {
			clean++;
			both += s.a && s.b;
			if (!s.a && !s.b) {
				bad++;
				TH_LOG("dump without NLM_F_DUMP_INTR saw "
				       "neither A nor B");
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec < DUMP_SECONDS);
	pthread_mutex_lock(&c.lock);
	c.stop = true;
	pthread_mutex_unlock(&c.lock);
	pthread_join(thread, NULL);
	nlr_close(&d);

	TH_LOG("%u dumps: %u clean (%u with A and B), %u NLM_F_DUMP_INTR "
	       "(%u torn); %u churn cycles", clean + intr, clean, both, intr,
	       torn, c.cycles);
	EXPECT_EQ(0, c.err) {
		TH_LOG("churn failed at step %d: %s", -c.err / 1000,
		       strerror(-(c.err % 1000)));
	}
	EXPECT_EQ(0, bad);
	EXPECT_LE(1, clean);
	EXPECT_LE(1, c.cycles);
	/* The churner ends with A there and B gone. */
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, DUMP_A));
	EXPECT_EQ(-ENODEV, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, DUMP_B));
}

TEST_HARNESS_MAIN
