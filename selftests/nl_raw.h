/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "zcblk" generic netlink family on the wire, with libmnl and without
 * libzcblk: a socket, requests built attribute by attribute (valid or not),
 * the answer parsed in full (ack, error offset, missing type, message),
 * and the "raw" fixture, whose teardown removes every disk a test made,
 * even after a failed ASSERT. Shared by netlink_raw.c and
 * netlink_events.c. Disks live at indexes from BASE_INDEX up.
 */
#ifndef ZCBLK_SELFTEST_NL_RAW_H
#define ZCBLK_SELFTEST_NL_RAW_H

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

static inline void nlr_close(struct nlr *r)
{
	if (r->nl)
		mnl_socket_close(r->nl);
	r->nl = NULL;
}

static inline void parse_err(const struct nlmsghdr *nlh, struct ack *a)
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
static inline int nlr_xfer_buf(struct nlr *r, struct nlmsghdr *nlh,
			       struct ack *a, reply_cb cb, void *arg,
			       size_t bufsz)
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

static inline int nlr_xfer(struct nlr *r, struct nlmsghdr *nlh, struct ack *a,
			   reply_cb cb, void *arg)
{
	return nlr_xfer_buf(r, nlh, a, cb, arg, r->bufsz);
}

/* A request of @type (family id) and genl command @cmd. */
static inline struct nlmsghdr *msg_init_type(struct msg *m, uint16_t type,
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

static inline struct nlmsghdr *msg_init(struct msg *m, const struct nlr *r,
					uint8_t cmd, uint16_t flags)
{
	return msg_init_type(m, r->family, cmd, flags);
}

static inline struct genlmsghdr *msg_genl(struct msg *m)
{
	return mnl_nlmsg_get_payload(m->nlh);
}

/* Attributes; each returns its offset from the start of the request. */
static inline long put(struct msg *m, uint16_t type, size_t len,
		       const void *data)
{
	long off = MNL_ALIGN(m->nlh->nlmsg_len);

	mnl_attr_put(m->nlh, type, len, data);
	return off;
}

static inline long put_u8(struct msg *m, uint16_t type, uint8_t v)
{
	return put(m, type, sizeof(v), &v);
}

static inline long put_u16(struct msg *m, uint16_t type, uint16_t v)
{
	return put(m, type, sizeof(v), &v);
}

static inline long put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	return put(m, type, sizeof(v), &v);
}

static inline long put_u64(struct msg *m, uint16_t type, uint64_t v)
{
	return put(m, type, sizeof(v), &v);
}

static inline long put_strz(struct msg *m, uint16_t type, const char *s)
{
	return put(m, type, strlen(s) + 1, s);
}

/* An attribute header claiming @nla_len, followed by @len bytes of @data. */
static inline long put_raw(struct msg *m, uint16_t nla_type, uint16_t nla_len,
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

static inline void ctrl_cb(const struct nlmsghdr *nlh, void *arg)
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
static inline int nlr_open_buf(struct nlr *r, size_t bufsz)
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

static inline int nlr_open(struct nlr *r)
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

static inline void parse_attrs(const struct nlmsghdr *nlh, struct attrs *at,
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

static inline uint32_t get_u32(const struct attrs *at, int type)
{
	return at->tb[type] ? mnl_attr_get_u32(at->tb[type]) : UINT32_MAX;
}

static inline uint64_t get_u64(const struct attrs *at, int type)
{
	return at->tb[type] ? mnl_attr_get_u64(at->tb[type]) : UINT64_MAX;
}

static inline const char *get_str(const struct attrs *at, int type)
{
	return at->tb[type] ? mnl_attr_get_str(at->tb[type]) : "(absent)";
}

/* The INDEX of the last reply, for dev_add(). */
static inline void index_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct attrs at;

	parse_attrs(nlh, &at, ZCBLK_A_DEV_MAX);
	*(uint32_t *)arg = get_u32(&at, ZCBLK_A_DEV_INDEX);
}

/* DEV_ADD of a @backend disk of @size at @index: its errno. */
static inline int dev_add(struct nlr *r, const char *backend, uint64_t size,
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
static inline int dev_cmd(struct nlr *r, uint8_t cmd, uint32_t index)
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

static inline void track(struct __test_metadata *_metadata,
			 FIXTURE_DATA(raw) *self, uint32_t index)
{
	ASSERT_LT(self->n, MAX_TRACKED);
	self->idx[self->n++] = index;
}

/* A disk for the test, removed by the teardown. */
static inline void add_tracked(struct __test_metadata *_metadata,
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
static inline void expect_ack(struct __test_metadata *_metadata,
			      const struct ack *a, int err, long offs,
			      const char *what)
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
		if (a->has_offs) {
			EXPECT_EQ(offs, (long)a->offs) {
				TH_LOG("%s: extack offset %u, want %ld; \"%s\"",
				       what, a->offs, offs, a->msg);
			}
		}
	} else if (offs == NO_OFFS) {
		EXPECT_FALSE(a->has_offs) {
			TH_LOG("%s: unexpected extack offset %u; \"%s\"", what,
			       a->offs, a->msg);
		}
	}
}

/* Send @m; its answer must be @err at @offs. */
static inline void expect_answer(struct __test_metadata *_metadata,
				 struct nlr *r, struct msg *m, int err,
				 long offs, const char *what)
{
	struct ack a;

	ASSERT_EQ(0, nlr_xfer(r, m->nlh, &a, NULL, NULL)) {
		TH_LOG("%s: no answer", what);
	}
	expect_ack(_metadata, &a, err, offs, what);
}

static inline void expect_no_disk(struct __test_metadata *_metadata,
				  struct nlr *r, uint32_t index,
				  const char *what)
{
	int ret = dev_cmd(r, ZCBLK_CMD_DEV_GET, index);

	EXPECT_EQ(-ENODEV, ret) {
		TH_LOG("%s: DEV_GET %u: %d: a disk was made", what, index,
		       ret);
	}
}


#endif /* ZCBLK_SELFTEST_NL_RAW_H */
