/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz_passthru: the "zcblk" generic netlink family. Raw messages (random
 * commands, flags, attribute types, lengths, payloads, truncated and
 * nested ones) on a libmnl socket; random DEV_ADD / DEV_SET / DEV_DEL /
 * DEV_GET / DEV_STATS through libzcblk, and bounded DEV_SET on the disks
 * under I/O. The disks the test made are protected from random DEV_DEL.
 * Included by fuzz_passthru.c only.
 */
#ifndef ZCBLK_SELFTEST_FUZZ_NETLINK_H
#define ZCBLK_SELFTEST_FUZZ_NETLINK_H

#include "fuzz.h"

/* The ZCBLK_PARAM_* bits of the zone geometry (libzcblk's version 2). */
#define ZONE_PARAMS	(ZCBLK_PARAM_ZONE_SIZE | ZCBLK_PARAM_ZONE_CAPACITY | \
			 ZCBLK_PARAM_ZONE_NR_CONV | \
			 ZCBLK_PARAM_ZONE_MAX_OPEN | \
			 ZCBLK_PARAM_ZONE_MAX_ACTIVE)
/* The ZCBLK_PARAM_* bits of the FDP configuration (libzcblk's version 4). */
#define FDP_PARAMS	(ZCBLK_PARAM_FDP_RU_SIZE | ZCBLK_PARAM_FDP_NRUH | \
			 ZCBLK_PARAM_FDP_NRG | ZCBLK_PARAM_FDP_NPH | \
			 ZCBLK_PARAM_FDP_RUH_TYPE)

/* ------------------------------------------------- netlink, raw */

struct rawnl {
	struct mnl_socket *nl;
	__u16 family;
	unsigned int seq, portid;
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
			*(__u16 *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int rawnl_open(struct rawnl *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct timeval tv = { 10, 0 };
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;
	int ret;

	n->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!n->nl)
		return -errno;
	if (mnl_socket_bind(n->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	setsockopt(mnl_socket_get_fd(n->nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	n->portid = mnl_socket_get_portid(n->nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++n->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ZCBLK_GENL_NAME);
	if (mnl_socket_sendto(n->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	ret = mnl_socket_recvfrom(n->nl, buf, sizeof(buf));
	if (ret < 0)
		return -errno;
	ret = mnl_cb_run(buf, ret, n->seq, n->portid, family_cb, &n->family);
	return ret < 0 ? -errno : (n->family ? 0 : -ENOENT);
}

/* Indexes a raw message must never delete or change. */
static __u32 protected_idx[8];
static int nprotected;

static bool is_protected(__u32 idx)
{
	int i;

	for (i = 0; i < nprotected; i++)
		if (protected_idx[i] == idx)
			return true;
	return false;
}

/* A payload for attribute @type of the dev family, sometimes sensible. */
static int raw_payload(struct rng *r, __u16 type, char *p, int room)
{
	__u64 v = rnd(r);
	int len;

	switch (below(r, 6)) {
	case 0:		/* u32, in or out of the usual ranges */
		v = PICK(r, 0, 1, 2, 3, 512, 4096, 64, 65, 4097, 0777,
			       0xffffffff, 1000000, 0x7fff,
			       (__u32)v);
		memcpy(p, &v, 4);
		return 4;
	case 1:		/* u64 */
		v = PICK(r, 0, 1, 1 << 20, 16 << 20, 1ULL << 60,
			       10000000000ULL, 10000000001ULL, ~0ULL,
			       v);
		memcpy(p, &v, 8);
		return 8;
	case 2: {	/* strings */
		static const char *const s[] = {
			"null", "mem", "file", "", "nul", "memx",
			"/dev/null", "/", "/nonexistent", "/proc/self/status",
			"0123456789abcdef0123",
		};
		const char *str = s[below(r, ARRAY_SIZE(s))];

		len = strlen(str) + (pct(r, 80) ? 1 : 0);
		if (len > room)
			len = room;
		memcpy(p, str, len);
		return len;
	}
	case 3:		/* u8 */
		p[0] = pct(r, 50) ? below(r, 3) : rnd(r);
		return 1;
	default:	/* anything */
		len = PICK(r, 0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 33, 64);
		if (len > room)
			len = room;
		for (int i = 0; i < len; i++)
			p[i] = rnd(r);
		(void)type;
		return len;
	}
}

/*
 * One random message to the family: 0 or the errno it answered with;
 * *added is set when a DEV_ADD succeeded (then the caller sweeps).
 */
static int raw_one(struct rng *r, struct rawnl *n, bool *mutation,
		   char *what, size_t what_len)
{
	char buf[8192] __attribute__((aligned(8)));
	char rbuf[MNL_SOCKET_BUFFER_SIZE];
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;
	int nattr, i, ret, err = 1;
	__u8 cmd;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = pct(r, 97) ? n->family : 1 + below(r, 4);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (pct(r, 10))
		nlh->nlmsg_flags |= NLM_F_DUMP;
	if (pct(r, 3))
		nlh->nlmsg_flags |= rnd(r) & 0x0f00;
	nlh->nlmsg_seq = ++n->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	cmd = pct(r, 85) ? 1 + below(r, 6) : rnd(r);
	g->cmd = cmd;
	g->version = pct(r, 90) ? 1 : rnd(r);
	g->reserved = pct(r, 95) ? 0 : rnd(r);
	*mutation = nlh->nlmsg_type == n->family &&
		    (cmd == ZCBLK_CMD_DEV_ADD || cmd == ZCBLK_CMD_DEV_DEL ||
		     cmd == ZCBLK_CMD_DEV_SET);
	/* DEL and SET only ever name a disk that does not exist. */
	if (cmd == ZCBLK_CMD_DEV_DEL || cmd == ZCBLK_CMD_DEV_SET)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_INDEX,
				 60000 + below(r, 5536));
	nattr = below(r, 10);
	for (i = 0; i < nattr; i++) {
		char payload[128];
		__u16 type = pct(r, 75) ? 1 + below(r, 28) :
			     pct(r, 50) ? below(r, 64) : (__u16)rnd(r);
		int len;

		if ((type & NLA_TYPE_MASK) == ZCBLK_A_DEV_INDEX &&
		    (cmd == ZCBLK_CMD_DEV_DEL || cmd == ZCBLK_CMD_DEV_SET))
			continue;
		len = raw_payload(r, type, payload, sizeof(payload));
		if (pct(r, 10)) {	/* a nest of junk */
			struct nlattr *nest = mnl_attr_nest_start(nlh, type);
			int j, m = below(r, 4);

			for (j = 0; j < m; j++)
				mnl_attr_put(nlh, below(r, 20), len, payload);
			mnl_attr_nest_end(nlh, nest);
			continue;
		}
		mnl_attr_put(nlh, type, len, payload);
	}
	/* Sometimes a lie: the message ends inside its last attribute. */
	if (pct(r, 5) && nattr)
		nlh->nlmsg_len -= 1 + below(r, 3);
	snprintf(what, what_len,
		 "raw message type %u flags 0x%x cmd %u version %u, %d attributes, %u bytes",
		 nlh->nlmsg_type, nlh->nlmsg_flags, cmd, g->version, nattr,
		 nlh->nlmsg_len);
	if (mnl_socket_sendto(n->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	/* Answers until the ACK / error (or the end of a dump). */
	for (;;) {
		struct nlmsghdr *m;
		int len;

		ret = mnl_socket_recvfrom(n->nl, rbuf, sizeof(rbuf));
		if (ret < 0)
			return ret == -1 && errno == EAGAIN ? -ETIME : -errno;
		len = ret;
		for (m = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_seq != n->seq)
				continue;
			if (m->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = mnl_nlmsg_get_payload(m);

				err = e->error;
			} else if (m->nlmsg_type == NLMSG_DONE) {
				/* A dump ends here, with no ACK after it. */
				err = 0;
				if (mnl_nlmsg_get_payload_len(m) >= 4)
					memcpy(&err, mnl_nlmsg_get_payload(m),
					       4);
			}
		}
		if (err <= 0)
			return err;
	}
}

/* Deletes every disk the fuzzer did not make for I/O. */
static int sweep_cb(const struct zcblk_dev_info *info, void *arg)
{
	__u32 *list = arg;

	if (!is_protected(info->index) && list[0] < 63)
		list[1 + list[0]++] = info->index;
	return 0;
}

static void sweep(struct zcblk_ctx *ctx)
{
	__u32 list[64] = { 0 }, i;

	if (zcblk_dev_list(ctx, sweep_cb, list))
		return;
	for (i = 0; i < list[0]; i++)
		zcblk_dev_del(ctx, list[1 + i]);
}

/* Nobody: the 0666 node opened every way, then the same fuzzing. */
/* ------------------------------------------------ netlink, libzcblk */

static char backing_file[64];

static const char *gen_path(struct rng *r, const struct disk *dks, int nd)
{
	static char buf[6000];

	switch (below(r, 12)) {
	case 0 ... 3:
		return backing_file;
	case 4:
		return "/dev/null";
	case 5:
		return "/";
	case 6:
		return "/nonexistent/file";
	case 7:
		return "/proc/self/status";
	case 8:
		return dks[below(r, nd)].d.blk;		/* a zcblk disk */
	case 9:
		return "/dev/null/x";
	case 10:
		memset(buf, 'a', sizeof(buf) - 1);
		buf[0] = '/';
		buf[pct(r, 50) ? 4095 : 4096 + below(r, 1000)] = '\0';
		return buf;
	default:
		return "";
	}
}

static void nl_lib_one(struct rng *r, struct zcblk_ctx *ctx,
		       const struct disk *dks, int nd)
{
	struct zcblk_dev_params p = { .size = sizeof(p) };
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct zcblk_dev_settings s = { .size = sizeof(s) };
	static const char *const backends[] = {
		"null", "mem", "file", "", "nul", "MEM", "file ",
	};
	__u32 q, depth;
	int res;

	/*
	 * The zone and fdp bits mostly clear: a zone field without the zoned
	 * flag is refused, an fdp field without the fdp flag too, so random
	 * ones would leave few adds that succeed.
	 */
	p.set = rnd(r) & ZCBLK_PARAM_ALL & ~ZONE_PARAMS & ~FDP_PARAMS;
	if (pct(r, 70))
		p.set |= ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE;
	if (pct(r, 2))
		p.set |= 1ULL << (20 + below(r, 40));
	if (pct(r, 3))
		p.size = PICK(r, 0, 8, 71, ZCBLK_DEV_PARAMS_SIZE_VER1 - 1,
				    sizeof(p) + 8);
	p.index = pct(r, 60) ? 1000 + below(r, 1000) :
		  PICK(r, 65535, 65536, 0xffffffff, 0,
			     dks[below(r, nd)].d.index);
	if (pct(r, 95)) {
		snprintf(p.backend, sizeof(p.backend), "%s",
			 backends[pct(r, 80) ? below(r, 3) :
				  below(r, ARRAY_SIZE(backends))]);
	} else {
		memset(p.backend, 'x', sizeof(p.backend));
	}
	p.block_size = pct(r, 80) ? (pct(r, 50) ? 512 : 4096) :
		       PICK(r, 0, 1024, 513, 8192, (__u32)rnd(r));
	p.disk_size = pct(r, 70) ? (1 + below(r, 64)) * PT_MiB :
		      PICK(r, 0, 1, 511, 1ULL << 40, 1ULL << 62, ~0ULL,
				 rnd(r));
	/* Big tag sets cost memory: keep queues x depth within reason. */
	q = pct(r, 80) ? 1 + below(r, 4) : PICK(r, 0, 64, 65, (__u32)rnd(r));
	depth = pct(r, 80) ? 1 + below(r, 256) :
		PICK(r, 0, 4096, 4097, (__u32)rnd(r));
	p.nr_queues = q;
	p.queue_depth = depth;
	p.poll_queues = pct(r, 80) ? below(r, 3) : PICK(r, 64, 65,
				     (__u32)rnd(r));
	if ((__u64)(q <= 64 ? q : 1) * (depth <= 4096 ? depth : 1) +
	    (__u64)(p.poll_queues <= 64 ? p.poll_queues : 0) *
	    (depth <= 4096 ? depth : 1) > 8192)
		p.queue_depth = 32;
	p.node_uid = pct(r, 70) ? 0 : PICK(r, NOBODY, 0xffffffff,
					 (__u32)rnd(r));
	p.node_gid = pct(r, 70) ? 0 : PICK(r, NOBODY, 0xffffffff,
					 (__u32)rnd(r));
	p.node_mode = pct(r, 70) ? 0600 : PICK(r, 0, 0666, 0777, 01000,
					   (__u32)rnd(r));
	p.path = gen_path(r, dks, nd);
	if (pct(r, 2)) {
		p.path = NULL;
		p.set |= ZCBLK_PARAM_PATH;
	}
	p.flags = pct(r, 70) ? 0 : PICK(r, 1, 2, 3, 4, 5, 8,
				     (__u32)rnd(r));
	/* Zoned: often a geometry that fits 1..64 MiB disks, else any. */
	if ((p.flags & ZCBLK_DEV_F_ZONED) ? pct(r, 70) : pct(r, 3)) {
		p.set |= rnd(r) & ZONE_PARAMS;
		p.zone_size = pct(r, 70) ? PT_MiB << below(r, 3) :
			      PICK(r, 0, 512, 4096, 3 * PT_MiB, 64 * PT_MiB,
				   rnd(r));
		p.zone_capacity = pct(r, 50) ? p.zone_size :
				  PICK(r, 0, 512, PT_MiB / 2, p.zone_size + 4096,
				       rnd(r));
		p.zone_nr_conv = pct(r, 70) ? below(r, 2) :
				 PICK(r, 64, 0xffffffff, (__u32)rnd(r));
		p.zone_max_open = below(r, 4);
		p.zone_max_active = pct(r, 80) ? below(r, 4) : (__u32)rnd(r);
	}
	/* FDP: often a configuration that holds, else any. */
	if (pct(r, 5))
		p.flags |= ZCBLK_DEV_F_FDP;
	if ((p.flags & ZCBLK_DEV_F_FDP) ? pct(r, 70) : pct(r, 3)) {
		p.set |= rnd(r) & FDP_PARAMS;
		p.fdp_ru_size = pct(r, 70) ? (1 + below(r, 64)) * 4096 :
				PICK(r, 0, 512, 4095, 1ULL << 40, rnd(r));
		p.fdp_nruh = pct(r, 80) ? 1 + below(r, 16) :
			     PICK(r, 0, 128, 129, (__u32)rnd(r));
		p.fdp_nrg = pct(r, 80) ? 1 + below(r, 4) :
			    PICK(r, 0, 32, 33, (__u32)rnd(r));
		p.fdp_nph = pct(r, 80) ? 1 + below(r, 16) :
			    PICK(r, 0, 128, 129, (__u32)rnd(r));
		p.fdp_ruh_type = pct(r, 80) ? 1 + below(r, 2) :
				 PICK(r, 0, 3, (__u32)rnd(r));
	}
	/* Metadata: mostly the sizes of the format table, extended or not. */
	if (pct(r, 10)) {
		p.set |= ZCBLK_PARAM_METADATA_SIZE;
		p.metadata_size = PICK(r, 0, 8, 16, 64, 1, 4096,
				       (__u32)rnd(r));
		if (pct(r, 50))
			p.flags |= ZCBLK_DEV_F_EXTENDED_LBA;
		if (pct(r, 40)) {
			p.set |= ZCBLK_PARAM_PI_TYPE;
			p.pi_type = PICK(r, 0, 1, 2, 3, 4, (__u32)rnd(r));
		}
		if (pct(r, 20))
			p.flags |= ZCBLK_DEV_F_PI_FIRST;
		if (pct(r, 20))
			p.flags |= ZCBLK_DEV_F_PI_GUARD64;
	}
	p.timeout_ms = pct(r, 60) ? 30000 : PICK(r, 0, 99, 100, 3600000,
					      3600001, (__u32)rnd(r));
	p.completion = pct(r, 60) ? 1 + below(r, 3) : PICK(r, 0, 4,
					   (__u32)rnd(r));
	p.completion_ns = pct(r, 60) ? below(r, 100000) :
			  PICK(r, 10000000000ULL, 10000000001ULL,
				     rnd(r));
	if (pct(r, 2))
		p.__reserved = 1;

	snprintf(sh->last[proc_id], sizeof(sh->last[0]),
		 "DEV_ADD set 0x%llx size %u index %u backend %.16s bs %u size %llu q %u depth %u poll %u flags 0x%x",
		 (unsigned long long)p.set, p.size, p.index, p.backend,
		 p.block_size, (unsigned long long)p.disk_size, p.nr_queues,
		 p.queue_depth, p.poll_queues, p.flags);
	res = zcblk_dev_add(ctx, &p, pct(r, 50) ? &info : NULL);
	check_nl(P_NL_LIB, res, nl_errnos, sh->last[proc_id]);
	if (res)
		return;
	/* It exists now: poke it, then delete it. */
	if (!(p.set & ZCBLK_PARAM_INDEX)) {
		sweep(ctx);
		return;
	}
	res = zcblk_dev_get(ctx, p.index, &info);
	check_nl(P_NL_LIB, res, nl_errnos, "DEV_GET of a new disk");
	s.set = rnd(r) & ZCBLK_SET_ALL;
	s.completion = below(r, 5);
	s.completion_ns = pct(r, 80) ? below(r, 100000) : rnd(r);
	s.latency_ns = pct(r, 80) ? below(r, 100000) : rnd(r);
	s.fail_every = below(r, 4);
	s.fail_ppm = pct(r, 80) ? 0 : below(r, 2000000);
	s.fail_status = pct(r, 80) ? 6 : rnd(r);
	s.fail_ops = below(r, 5);
	s.stall = below(r, 3);
	res = zcblk_dev_set(ctx, p.index, &s, pct(r, 50) ? &info : NULL);
	check_nl(P_NL_LIB, res, nl_errnos, "DEV_SET of a new disk");
	res = zcblk_dev_del(ctx, p.index);
	if (res)
		violation("DEV_DEL of new disk %u: %s", p.index,
			  pt_res_str(res));
	check_nl(P_NL_LIB, res, nl_errnos, "DEV_DEL of a new disk");
}

/*
 * Bounded live settings and actions on a disk under I/O (a stall lasts <=
 * 100 ms, a power cut <= 50 ms; bad and corrupted blocks).
 */
static void nl_set_one(struct rng *r, struct zcblk_ctx *ctx,
		       const struct disk *dk)
{
	struct zcblk_dev_settings s = { .size = sizeof(s) };
	int res;

	switch (below(r, 11)) {
	case 0:
		s.set = ZCBLK_SET_STALL;
		s.stall = 1;
		res = zcblk_dev_set(ctx, dk->d.index, &s, NULL);
		check_nl(P_NL_SET, res, nl_errnos, "DEV_SET stall on");
		pt_msleep(below(r, 100));
		s.stall = 0;
		res = zcblk_dev_set(ctx, dk->d.index, &s, NULL);
		check_nl(P_NL_SET, res, nl_errnos, "DEV_SET stall off");
		if (res)
			violation("could not unstall disk %u: %s", dk->d.index,
				  pt_res_str(res));
		return;
	case 1:
		s.set = ZCBLK_SET_LATENCY_NS;
		s.latency_ns = pct(r, 50) ? 0 : below(r, 2000000);
		break;
	case 2:
		s.set = ZCBLK_SET_COMPLETION | ZCBLK_SET_COMPLETION_NS;
		s.completion = 1 + below(r, 3);
		s.completion_ns = below(r, 2000000);
		break;
	case 3:
		s.set = ZCBLK_SET_FAIL_EVERY | ZCBLK_SET_FAIL_STATUS |
			ZCBLK_SET_FAIL_OPS;
		s.fail_every = pct(r, 30) ? 0 : 1 + below(r, 10);
		s.fail_status = pct(r, 50) ? 6 : 1 + below(r, 0x7fff);
		s.fail_ops = 1 + below(r, 3);
		break;
	case 4:
		s.set = ZCBLK_SET_FAIL_PPM;
		s.fail_ppm = pct(r, 30) ? 0 : below(r, 1000001);
		break;
	case 5:		/* out of range: refused, nothing changes */
		s.set = ZCBLK_SET_LATENCY_NS | ZCBLK_SET_FAIL_STATUS;
		s.latency_ns = 10000000001ULL;
		s.fail_status = 0x8000;
		break;
	case 6:		/* back to normal */
		s.set = ZCBLK_SET_ALL;
		s.completion = 1;
		s.fail_status = 6;
		s.fail_ops = 1;
		break;
	case 7:		/* a power cut under I/O, then power again */
		res = zcblk_dev_power(ctx, dk->d.index, ZCBLK_POWER_STATE_CUT,
				      below(r, 4), rnd(r));
		check_nl(P_NL_SET, res, nl_errnos, "DEV_SET power cut");
		pt_msleep(below(r, 50));
		res = zcblk_dev_power(ctx, dk->d.index, ZCBLK_POWER_STATE_ON,
				      0, 0);
		check_nl(P_NL_SET, res, nl_errnos, "DEV_SET power on");
		if (res)
			violation("could not power disk %u on: %s", dk->d.index,
				  pt_res_str(res));
		return;
	case 8:		/* unreadable blocks, or readable again */
		res = zcblk_dev_set_bad(ctx, dk->d.index,
					below(r, dk->d.nlbas + 8),
					pct(r, 5) ? 0 : 1 + below(r, 64),
					pct(r, 50) ? ZCBLK_BAD_CLEAR : 0);
		check_nl(P_NL_SET, res, nl_errnos, "DEV_SET bad-lba");
		return;
	case 9:		/* silent corruption of any kind */
		res = zcblk_dev_corrupt(ctx, dk->d.index,
					below(r, dk->d.nlbas + 8),
					1 + below(r, 8), below(r, 7));
		check_nl(P_NL_SET, res, nl_errnos, "DEV_SET corrupt-lba");
		return;
	default:	/* a disk that is not there */
		res = zcblk_dev_set(ctx, 60000 + below(r, 5000),
				    &(struct zcblk_dev_settings){
					.size = sizeof(s),
					.set = ZCBLK_SET_LATENCY_NS }, NULL);
		check_nl(P_NL_SET, res, nl_errnos, "DEV_SET of no disk");
		return;
	}
	res = zcblk_dev_set(ctx, dk->d.index, &s, NULL);
	check_nl(P_NL_SET, res, nl_errnos, "DEV_SET");
}

static void settings_reset(struct zcblk_ctx *ctx, const struct disk *dks,
			   int nd)
{
	struct zcblk_dev_settings s = {
		.size = sizeof(s), .set = ZCBLK_SET_ALL, .completion = 1,
		.fail_status = 6, .fail_ops = 1,
	};
	int i;

	for (i = 0; i < nd; i++) {
		zcblk_dev_set(ctx, dks[i].d.index, &s, NULL);
		zcblk_dev_power(ctx, dks[i].d.index, ZCBLK_POWER_STATE_ON, 0, 0);
	}
}

static void nl_main(struct zcblk_ctx *ctx, const struct disk *dks, int nd,
		    time_t deadline)
{
	struct rawnl n = { 0 };

	proc_id = 2;
	if (rawnl_open(&n)) {
		violation("cannot resolve the zcblk family");
		return;
	}
	for (cur_iter = 0; time(NULL) < deadline; cur_iter++) {
		struct rng r = iter_rng(cur_iter);
		int k = below(&r, 100), res;

		if (k < 35) {
			nl_lib_one(&r, ctx, dks, nd);
		} else if (k < 60) {
			nl_set_one(&r, ctx, &dks[below(&r, nd)]);
		} else if (k < 70) {
			struct zcblk_dev_stats st = { .size = sizeof(st) };

			res = zcblk_dev_stats(ctx, pct(&r, 50) ?
					      dks[below(&r, nd)].d.index :
					      (__u32)rnd(&r), &st);
			check_nl(P_NL_LIB, res, nl_errnos, "DEV_STATS");
		} else if (k < 75) {
			res = zcblk_dev_del(ctx, 60000 + below(&r, 5536));
			check_nl(P_NL_LIB, res, nl_errnos, "DEV_DEL of no disk");
		} else {
			bool mutation;

			res = raw_one(&r, &n, &mutation, sh->last[proc_id],
				      sizeof(sh->last[0]));
			check_nl(P_NL_RAW, res, raw_errnos, sh->last[proc_id]);
			if (mutation && !res)
				sweep(ctx);
		}
		sh->iters[2] = cur_iter + 1;
	}
	mnl_socket_close(n.nl);
}

#endif /* ZCBLK_SELFTEST_FUZZ_NETLINK_H */
