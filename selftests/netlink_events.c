// SPDX-License-Identifier: GPL-2.0
/*
 * The "zcblk" generic netlink family on the wire (nl_raw.h), beyond
 * validation: FEATURES and who may ask; the "monitor" multicast group
 * (events in order, what each carries, who may listen); a DEV_ADD that
 * fails leaves no disk and no event; a disk's events stay in order while
 * DEV_ADD, DEV_SET and DEV_DEL race on it. Dumps: netlink_dumps.c.
 *
 * Needs root and zcblk.ko loaded (every test skips if the family is
 * missing).
 */

#include <stdatomic.h>

#include "nl_raw.h"

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
 * give no event. A DEV_SET whose action fails after its settings were
 * applied (latency, then a bad block past the end) is announced too,
 * with the latency it set.
 */
TEST_F(raw, monitor)
{
	uint32_t index = BASE_INDEX + 7;
	struct mnl_socket *mon;
	struct event ev[5];
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

	/* Partly made: the latency set, the bad block refused */
	msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	put_u64(&m, ZCBLK_A_DEV_LATENCY_NS, 777);
	put_u64(&m, ZCBLK_A_DEV_BAD_LBA, 1ULL << 40);
	ASSERT_EQ(0, nlr_xfer(&self->r, m.nlh, &a, NULL, NULL));
	EXPECT_EQ(-ERANGE, a.err);

	msg_init(&m, &self->r, ZCBLK_CMD_DEV_SET, 0);
	put_u32(&m, ZCBLK_A_DEV_INDEX, index);
	put_u64(&m, ZCBLK_A_DEV_LATENCY_NS, 12345);
	ASSERT_EQ(0, nlr_xfer(&self->r, m.nlh, &a, NULL, NULL));
	ASSERT_EQ(0, a.err) {
		TH_LOG("DEV_SET: %s \"%s\"", strerror(-a.err), a.msg);
	}

	ASSERT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_DEL, index));
	EXPECT_EQ(-ENODEV, dev_cmd(&self->r, ZCBLK_CMD_DEV_DEL, index));

	for (n = 0; n < 5; n++) {
		ret = read_event(mon, &ev[n], n < 4 ? 10000 : 1000);
		ASSERT_NE(EHARNESS, ret);
		if (!ret)
			break;
	}
	mnl_socket_close(mon);
	EXPECT_EQ(4, n) {
		TH_LOG("%d events, want 4 (added, changed twice, removed):",
		       n);
		for (i = 0; i < n; i++)
			TH_LOG("  event cmd %u index %u", ev[i].cmd,
			       ev[i].index);
	}
	ASSERT_LE(4, n);

	snprintf(name, sizeof(name), "zcblk%u", index);
	EXPECT_EQ(ZCBLK_CMD_DEV_ADDED, ev[0].cmd);
	EXPECT_EQ(ZCBLK_CMD_DEV_CHANGED, ev[1].cmd);
	EXPECT_EQ(ZCBLK_CMD_DEV_CHANGED, ev[2].cmd);
	EXPECT_EQ(ZCBLK_CMD_DEV_REMOVED, ev[3].cmd);
	for (i = 0; i < 4; i++) {
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
	EXPECT_EQ(777, ev[1].latency_ns);
	EXPECT_EQ(ZCBLK_DEV_STATE_LIVE, ev[2].state);
	EXPECT_EQ(12345, ev[2].latency_ns);
	EXPECT_EQ(ZCBLK_DEV_STATE_DEAD, ev[3].state);
}

/*
 * event_order: one index, a thread adding a disk there whenever it is free
 * (-EEXIST until the last one's DEV_DEL is done), two setting its latency
 * (-ENODEV while there is none) and one deleting it, at once (-ENODEV
 * until it is LIVE), or, every other disk, 0.5 ms after it is: as
 * programs reacting to a new disk would, or a manager reusing an index.
 * Every latency set is a new number. The listener sees, per disk: DEV_ADDED,
 * with the disk LIVE and its latency 0, while no disk is there; each
 * DEV_CHANGED while it is, LIVE, with a latency a DEV_SET set and no
 * other event carried (a DEV_SET's event describes the disk as that
 * DEV_SET left it); DEV_REMOVED while it is, DEAD, with the latency of
 * the disk's last event (no change came after); and as many of each as
 * DEV_ADD, DEV_SET and DEV_DEL succeeded.
 */
#define ORDER_INDEX	(BASE_INDEX + 11)
#define ORDER_MS	4000	/* of churn, or more until ORDER_MIN_ROUNDS */
#define ORDER_MAX_MS	20000
#define ORDER_MIN_ROUNDS 10	/* disks added, at least */
#define ORDER_ROUNDS	400	/* at most */
#define ORDER_SETTERS	2
#define ORDER_VALUES	(1U << 18)	/* latencies set, fewer */
#define ORDER_RCVBUF	(16 << 20)

struct order {
	atomic_bool stop;
	atomic_uint next;		/* latencies handed out */
	atomic_uint adds, sets, dels;	/* successes */
	atomic_int err;			/* first failure: errno */
	atomic_int err_where;		/* 1 add, 2 set, 3 del, 4 open */
	unsigned char *set_ok;		/* [latency]: its DEV_SET returned 0 */
};

static void order_fail(struct order *o, int where, int err)
{
	int none = 0;

	if (atomic_compare_exchange_strong(&o->err, &none, err ?: EHARNESS))
		atomic_store(&o->err_where, where);
	atomic_store(&o->stop, true);
}

static bool order_open(struct order *o, struct nlr *r)
{
	int ret = nlr_open(r);

	if (ret)
		order_fail(o, 4, ret);
	return !ret;
}

static void *order_adder(void *arg)
{
	struct order *o = arg;
	struct nlr r;
	int ret;

	if (!order_open(o, &r))
		return NULL;
	while (!atomic_load(&o->stop) &&
	       atomic_load(&o->adds) < ORDER_ROUNDS) {
		ret = dev_add(&r, "null", MiB, ORDER_INDEX);
		if (!ret) {
			atomic_fetch_add(&o->adds, 1);
		} else if (ret != -EEXIST) {
			order_fail(o, 1, ret);
			break;
		}
	}
	nlr_close(&r);
	return NULL;
}

static void *order_setter(void *arg)
{
	struct order *o = arg;
	unsigned int v;
	struct nlr r;
	struct msg m;
	struct ack a;

	if (!order_open(o, &r))
		return NULL;
	while (!atomic_load(&o->stop)) {
		v = atomic_fetch_add(&o->next, 1) + 1;
		if (v >= ORDER_VALUES)
			break;
		msg_init(&m, &r, ZCBLK_CMD_DEV_SET, 0);
		put_u32(&m, ZCBLK_A_DEV_INDEX, ORDER_INDEX);
		put_u64(&m, ZCBLK_A_DEV_LATENCY_NS, v);
		if (nlr_xfer(&r, m.nlh, &a, NULL, NULL)) {
			order_fail(o, 2, EHARNESS);
			break;
		}
		if (!a.err) {
			o->set_ok[v] = 1;
			atomic_fetch_add(&o->sets, 1);
		} else if (a.err != -ENODEV) {
			order_fail(o, 2, a.err);
			break;
		}
	}
	nlr_close(&r);
	return NULL;
}

static void *order_deleter(void *arg)
{
	struct order *o = arg;
	unsigned int n = 0;
	struct nlr r;
	int ret;

	if (!order_open(o, &r))
		return NULL;
	while (!atomic_load(&o->stop)) {
		/* Every other disk lives a little, for the setters */
		if (n % 2) {
			while (!atomic_load(&o->stop) &&
			       dev_cmd(&r, ZCBLK_CMD_DEV_GET, ORDER_INDEX))
				;
			usleep(500);
		}
		ret = dev_cmd(&r, ZCBLK_CMD_DEV_DEL, ORDER_INDEX);
		if (!ret) {
			n++;
			atomic_fetch_add(&o->dels, 1);
		} else if (ret != -ENODEV) {
			order_fail(o, 3, ret);
			break;
		}
	}
	nlr_close(&r);
	return NULL;
}

/* What the listener saw of ORDER_INDEX. */
struct order_seen {
	bool present;			/* added, not yet removed */
	uint64_t latency;		/* in the disk's last event */
	unsigned int events, added, changed, removed, disks_changed;
	bool disk_changed;		/* this disk had a DEV_CHANGED */
	unsigned char *seen;		/* [latency]: a DEV_CHANGED had it */
	unsigned int bad;
	char why[256];
};

static void order_event(struct order_seen *s, const struct event *ev)
{
	unsigned long long lat = ev->latency_ns;
	char why[200] = "";

	if (ev->index != ORDER_INDEX)
		return;
	s->events++;
	switch (ev->cmd) {
	case ZCBLK_CMD_DEV_ADDED:
		s->added++;
		if (s->present)
			snprintf(why, sizeof(why), "DEV_ADDED while a disk "
				 "was there (its DEV_REMOVED not yet seen)");
		else if (ev->state != ZCBLK_DEV_STATE_LIVE)
			snprintf(why, sizeof(why), "DEV_ADDED in state %u, "
				 "not live", ev->state);
		else if (lat)
			snprintf(why, sizeof(why), "DEV_ADDED with latency "
				 "%llu, not 0", lat);
		s->present = true;
		s->disk_changed = false;
		break;
	case ZCBLK_CMD_DEV_CHANGED:
		s->changed++;
		s->disks_changed += !s->disk_changed;
		s->disk_changed = true;
		if (!s->present)
			snprintf(why, sizeof(why), "DEV_CHANGED with no disk "
				 "there (before its DEV_ADDED or after its "
				 "DEV_REMOVED)");
		else if (ev->state != ZCBLK_DEV_STATE_LIVE)
			snprintf(why, sizeof(why), "DEV_CHANGED in state %u, "
				 "not live", ev->state);
		else if (!lat || lat >= ORDER_VALUES)
			snprintf(why, sizeof(why), "DEV_CHANGED with latency "
				 "%llu, which no DEV_SET set", lat);
		else if (s->seen[lat]++)
			snprintf(why, sizeof(why), "DEV_CHANGED with latency "
				 "%llu a second time: a snapshot taken after "
				 "another DEV_SET", lat);
		break;
	case ZCBLK_CMD_DEV_REMOVED:
		s->removed++;
		if (!s->present)
			snprintf(why, sizeof(why), "DEV_REMOVED with no disk "
				 "there (before its DEV_ADDED)");
		else if (ev->state != ZCBLK_DEV_STATE_DEAD)
			snprintf(why, sizeof(why), "DEV_REMOVED in state %u, "
				 "not dead", ev->state);
		else if (lat != s->latency)
			snprintf(why, sizeof(why), "DEV_REMOVED with latency "
				 "%llu, the disk's last event %llu: events of "
				 "changes out of order", lat,
				 (unsigned long long)s->latency);
		s->present = false;
		break;
	default:
		snprintf(why, sizeof(why), "event command %u", ev->cmd);
	}
	s->latency = ev->latency_ns;
	if (why[0] && !s->bad++)
		snprintf(s->why, sizeof(s->why), "event %u: %s", s->events,
			 why);
}

static long order_ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

TEST_F_TIMEOUT(raw, event_order, 90)
{
	pthread_t adder, deleter, setters[ORDER_SETTERS];
	unsigned int adds, sets, dels, i, unset = 0;
	struct order o = { .stop = false };
	struct order_seen s = { 0 };
	uint32_t grp = self->r.monitor_grp;
	static const char *const what[] = {
		"?", "DEV_ADD", "DEV_SET", "DEV_DEL", "netlink socket",
	};
	int rcvbuf = ORDER_RCVBUF, lost = 0, err, ret;
	struct mnl_socket *mon;
	struct timespec t0;
	struct event ev;

	ASSERT_NE(0, grp);
	o.set_ok = calloc(ORDER_VALUES, 1);
	s.seen = calloc(ORDER_VALUES, 1);
	ASSERT_TRUE(o.set_ok && s.seen);
	mon = mnl_socket_open(NETLINK_GENERIC);
	ASSERT_NE(NULL, mon);
	ASSERT_EQ(0, mnl_socket_bind(mon, 0, MNL_SOCKET_AUTOPID));
	/* Room to fall behind without losing events (root: beyond rmem_max) */
	if (setsockopt(mnl_socket_get_fd(mon), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)))
		setsockopt(mnl_socket_get_fd(mon), SOL_SOCKET, SO_RCVBUF,
			   &rcvbuf, sizeof(rcvbuf));
	ASSERT_EQ(0, mnl_socket_setsockopt(mon, NETLINK_ADD_MEMBERSHIP, &grp,
					   sizeof(grp)));
	track(_metadata, self, ORDER_INDEX);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, pthread_create(&adder, NULL, order_adder, &o));
	ASSERT_EQ(0, pthread_create(&deleter, NULL, order_deleter, &o));
	for (i = 0; i < ORDER_SETTERS; i++)
		ASSERT_EQ(0, pthread_create(&setters[i], NULL, order_setter,
					    &o));
	for (;;) {
		long ms = order_ms_since(&t0);

		adds = atomic_load(&o.adds);
		if (atomic_load(&o.stop) || adds >= ORDER_ROUNDS ||
		    ms >= ORDER_MAX_MS ||
		    (ms >= ORDER_MS && adds >= ORDER_MIN_ROUNDS))
			break;
		ret = read_event(mon, &ev, 100);
		if (ret == EHARNESS) {
			lost = errno ?: EIO;
			break;
		}
		if (ret == 1)
			order_event(&s, &ev);
	}
	atomic_store(&o.stop, true);
	pthread_join(adder, NULL);
	pthread_join(deleter, NULL);
	for (i = 0; i < ORDER_SETTERS; i++)
		pthread_join(setters[i], NULL);

	/* The last disk, if the deleter left it */
	ret = dev_cmd(&self->r, ZCBLK_CMD_DEV_DEL, ORDER_INDEX);
	EXPECT_TRUE(ret == 0 || ret == -ENODEV) {
		TH_LOG("DEV_DEL %u after the churn: %d", ORDER_INDEX, ret);
	}
	adds = atomic_load(&o.adds);
	sets = atomic_load(&o.sets);
	dels = atomic_load(&o.dels) + !ret;
	/* The events still queued, then nothing more */
	while (!lost && s.events < adds + sets + dels) {
		ret = read_event(mon, &ev, 5000);
		if (ret == EHARNESS)
			lost = errno ?: EIO;
		if (ret != 1)
			break;
		order_event(&s, &ev);
	}
	if (!lost && read_event(mon, &ev, 200) == 1)
		order_event(&s, &ev);
	mnl_socket_close(mon);
	for (i = 1; i < ORDER_VALUES; i++)
		unset += s.seen[i] && !o.set_ok[i];

	TH_LOG("%ld ms: %u disks added, %u deleted, %u DEV_SETs made (%u "
	       "disks changed); %u events", order_ms_since(&t0), adds, dels,
	       sets, s.disks_changed, s.events);
	err = atomic_load(&o.err);
	EXPECT_EQ(0, err) {
		TH_LOG("%s failed: %d (%s)", what[atomic_load(&o.err_where)],
		       err, err > EHARNESS ? strerror(-err) : "harness");
	}
	EXPECT_EQ(0, lost) {
		TH_LOG("monitor socket: %s: events lost, their order unknown",
		       strerror(lost));
	}
	EXPECT_EQ(0, s.bad) {
		TH_LOG("%u events out of order or wrong, the first: %s",
		       s.bad, s.why);
	}
	EXPECT_EQ(adds, s.added);
	EXPECT_EQ(sets, s.changed);
	EXPECT_EQ(dels, s.removed);
	EXPECT_FALSE(s.present);
	EXPECT_EQ(0, unset) {
		TH_LOG("%u DEV_CHANGED latencies no successful DEV_SET set",
		       unset);
	}
	/* Enough happened to judge */
	EXPECT_LE(ORDER_MIN_ROUNDS, adds);
	EXPECT_LE(1, s.disks_changed);
	free(o.set_ok);
	free(s.seen);
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

TEST_HARNESS_MAIN
