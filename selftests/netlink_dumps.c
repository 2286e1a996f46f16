// SPDX-License-Identifier: GPL-2.0
/*
 * DEV_GET dumps of the "zcblk" generic netlink family on the wire
 * (nl_raw.h) stay consistent, or say they are not (NLM_F_DUMP_INTR),
 * while disks come and go, and dumps torn by them are seen and said to
 * be. The family's events: netlink_events.c.
 *
 * Needs root and zcblk.ko loaded (the test skips if the family is
 * missing).
 */

#include <stdatomic.h>

#include "nl_raw.h"

/* dump_consistency: disks that stay, and the two that take turns. */
#define DUMP_STATIC	32
#define DUMP_A		42000	/* walked first */
#define DUMP_B		65000	/* walked last */
#define DUMP_SECONDS	12	/* at least, dumping under churn */
#define DUMP_MAX_SECONDS 60	/* at most, while fewer than DUMP_TORN tore */
#define DUMP_TORN	3

/*
 * dump_consistency: the churner keeps at least one of disks A (walked
 * first) and B (walked last) at every instant: add B, del A, add A,
 * del B, ... A dump that saw neither walked past A while only B was there
 * and reached B after it had gone: torn, it must carry NLM_F_DUMP_INTR.
 *
 * A dump is made in parts, each when the one before is read: the first
 * on the request, the second on the first recvmsg() (both before the
 * reader has looked at either), the third on the second recvmsg(). Read
 * straight through, a dump takes well under a churn step and is seldom
 * torn (0 to 86 times in runs of 1 300 to 31 000 dumps under TCG). So
 * while one thread dumps straight through, the test's own dumps wait, in
 * their first message's callback, for the churner to take 2 to 4 more
 * steps (adds or deletes): their third part, where B is, is made after a
 * disk came or went since their second (each step changes the generation,
 * and the second one starts after the wait began), so each must carry
 * NLM_F_DUMP_INTR; and when its first part was made while A was gone and
 * its third while B is, it is torn: 5 to 9 of 47 to 81 paused dumps in
 * 12 s on 6.1.0-57 and 6.12.117 (and 15 to 39 of 8 000 to 12 000
 * straight-through ones beside them, the host busy). The
 * test dumps until DUMP_TORN tore (and for DUMP_SECONDS at least), and
 * fails if none did in DUMP_MAX_SECONDS.
 */
struct churn {
	pthread_mutex_t lock;
	pthread_cond_t cond;	/* steps moved, or done */
	bool stop;
	bool done;		/* the churner returned */
	int err;		/* first failure: step * 1000 - errno */
	unsigned int cycles;
	unsigned int steps;	/* adds and deletes done */
};

static bool churn_stopped(struct churn *c)
{
	bool stop;

	pthread_mutex_lock(&c->lock);
	stop = c->stop;
	pthread_mutex_unlock(&c->lock);
	return stop;
}

/* One add or delete done (@ret 0), or the first failure, at @step. */
static bool churn_step(struct churn *c, int step, int ret)
{
	pthread_mutex_lock(&c->lock);
	if (ret)
		c->err = -step * 1000 + ret;
	else
		c->steps++;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	return !ret;
}

/* Until the churner took @n more steps: false if it ended or 20 s passed. */
static bool churn_wait(struct churn *c, unsigned int n)
{
	struct timespec until;
	int ret = 0;
	bool ok;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 20;
	pthread_mutex_lock(&c->lock);
	n += c->steps;
	while (c->steps < n && !c->done && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&c->cond, &c->lock, &until);
	ok = c->steps >= n;
	pthread_mutex_unlock(&c->lock);
	return ok;
}

static void *churn_fn(void *arg)
{
	struct churn *c = arg;
	struct nlr r;
	int ret;

	ret = nlr_open(&r);
	if (ret) {
		c->err = -1000 + ret;
		goto out;
	}
	/* Stops between cycles: A is there, B is not. */
	while (!churn_stopped(c)) {
		if (!churn_step(c, 2, dev_add(&r, "null", MiB, DUMP_B)) ||
		    !churn_step(c, 3, dev_cmd(&r, ZCBLK_CMD_DEV_DEL, DUMP_A)) ||
		    !churn_step(c, 4, dev_add(&r, "null", MiB, DUMP_A)) ||
		    !churn_step(c, 5, dev_cmd(&r, ZCBLK_CMD_DEV_DEL, DUMP_B)))
			break;
		c->cycles++;
	}
	nlr_close(&r);
out:
	pthread_mutex_lock(&c->lock);
	c->done = true;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

struct dump_seen {
	int nstatic[DUMP_STATIC];
	int a, b;
	bool sorted;
	uint32_t last;
	unsigned int n;
	struct churn *churn;	/* wait for it at the first message */
	unsigned int steps;	/* that many steps; 0: do not wait */
	bool waited;		/* and they were taken */
};

static void dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_seen *s = arg;
	struct attrs at;
	uint32_t index;

	if (!s->n && s->steps)
		s->waited = churn_wait(s->churn, s->steps);
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

/*
 * One DEV_GET dump read in small parts, waiting for @steps of @churn
 * after its first part (0: straight through); 0 or EHARNESS.
 */
static int dump_once(struct nlr *r, struct dump_seen *s, struct ack *a,
		     struct churn *churn, unsigned int steps)
{
	struct msg m;

	memset(s, 0, sizeof(*s));
	s->sorted = true;
	s->churn = churn;
	s->steps = steps;
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

/* Dumps under churn, counted; why[]: the first thing wrong, if any. */
struct dumps {
	struct nlr r;
	struct churn *churn;
	unsigned int n, clean, both, intr, torn, bad;
	char why[256];
};

/*
 * Count the dump just made (@ret, @s, @a) into @k; false if it or its
 * wait failed, so that no other can be made.
 */
static bool dump_count(struct dumps *k, int ret, const struct dump_seen *s,
		       const struct ack *a)
{
	bool failed = ret || !a->done || a->err;
	char why[sizeof(k->why)] = "";

	k->n++;
	if (failed)
		snprintf(why, sizeof(why), "dump failed: %d, done %d, error "
			 "%d \"%.200s\"", ret, a->done, a->err, a->msg);
	else if (s->steps && !s->waited)
		snprintf(why, sizeof(why), "the churner took no %u steps in "
			 "20 s", s->steps);
	else if (!s->sorted || !statics_once(s) || s->a > 1 || s->b > 1)
		snprintf(why, sizeof(why), "dump: sorted %d, statics %s, A %d, "
			 "B %d%s", s->sorted, statics_once(s) ? "ok" : "wrong",
			 s->a, s->b, a->intr ? " (INTR)" : "");
	else if (!a->intr && !s->a && !s->b)
		snprintf(why, sizeof(why), "dump without NLM_F_DUMP_INTR saw "
			 "neither A nor B");
	if (why[0] && !k->bad++)
		memcpy(k->why, why, sizeof(why));
	if (a->intr) {
		k->intr++;
		k->torn += !s->a && !s->b;
	} else {
		k->clean++;
		k->both += s->a && s->b;
	}
	return !failed && (s->waited || !s->steps);
}

/* Straight-through dumps until the churner is told to stop. */
static void *dumper_fn(void *arg)
{
	struct dumps *k = arg;
	struct dump_seen s;
	struct ack a;
	int ret;

	while (!churn_stopped(k->churn)) {
		ret = dump_once(&k->r, &s, &a, NULL, 0);
		if (!dump_count(k, ret, &s, &a))
			break;
	}
	return NULL;
}

TEST_F_TIMEOUT(raw, dump_consistency, 150)
{
	struct churn c = {
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.cond = PTHREAD_COND_INITIALIZER,
	};
	struct dumps fast = { .churn = &c }, paused = { .churn = &c };
	pthread_t churner, dumper;
	struct timespec t0, t;
	struct dump_seen s;
	long elapsed = 0;
	struct ack a;
	int i, ret;

	add_tracked(_metadata, self, "null", DUMP_A);
	for (i = 1; i <= DUMP_STATIC; i++)
		add_tracked(_metadata, self, "null", DUMP_A + i);
	track(_metadata, self, DUMP_B);

	/* Sockets that never read more than DUMP_RECV_BUF at once. */
	ASSERT_EQ(0, nlr_open_buf(&paused.r, DUMP_RECV_BUF));
	ASSERT_EQ(0, nlr_open_buf(&fast.r, DUMP_RECV_BUF));

	/* Quiet: one consistent dump, in several parts. */
	ASSERT_EQ(0, dump_once(&paused.r, &s, &a, NULL, 0));
	ASSERT_TRUE(a.done) {
		TH_LOG("dump: no NLMSG_DONE; error %d \"%s\"", a.err, a.msg);
	}
	EXPECT_FALSE(a.intr);
	EXPECT_TRUE(s.sorted);
	EXPECT_TRUE(statics_once(&s));
	EXPECT_EQ(1, s.a);
	EXPECT_EQ(0, s.b);
	/* Without B: with it, B is in the third part or a later one. */
	ASSERT_LE(3, a.recvs) {
		TH_LOG("the dump came in %u parts: B would be in a part made "
		       "before the wait", a.recvs);
	}
	TH_LOG("quiet dump: %u disks in %u parts", s.n, a.recvs);

	ASSERT_EQ(0, pthread_create(&churner, NULL, churn_fn, &c));
	ASSERT_EQ(0, pthread_create(&dumper, NULL, dumper_fn, &fast));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		ret = dump_once(&paused.r, &s, &a, &c, 2 + paused.n % 3);
		if (!dump_count(&paused, ret, &s, &a))
			break;
		clock_gettime(CLOCK_MONOTONIC, &t);
		elapsed = t.tv_sec - t0.tv_sec;
	} while (elapsed < DUMP_MAX_SECONDS &&
		 (elapsed < DUMP_SECONDS || paused.torn < DUMP_TORN));
	pthread_mutex_lock(&c.lock);
	c.stop = true;
	pthread_mutex_unlock(&c.lock);
	pthread_join(dumper, NULL);
	pthread_join(churner, NULL);
	nlr_close(&fast.r);
	nlr_close(&paused.r);

	TH_LOG("%ld s, %u churn cycles; straight through: %u dumps, %u clean "
	       "(%u with A and B), %u NLM_F_DUMP_INTR (%u torn); paused: %u "
	       "dumps, %u clean, %u NLM_F_DUMP_INTR (%u torn)", elapsed,
	       c.cycles, fast.n, fast.clean, fast.both, fast.intr, fast.torn,
	       paused.n, paused.clean, paused.intr, paused.torn);
	EXPECT_EQ(0, c.err) {
		TH_LOG("churn failed at step %d: %s", -c.err / 1000,
		       strerror(-(c.err % 1000)));
	}
	EXPECT_EQ(0, fast.bad) {
		TH_LOG("straight through, %u bad, the first: %s", fast.bad,
		       fast.why);
	}
	EXPECT_EQ(0, paused.bad) {
		TH_LOG("paused, %u bad, the first: %s", paused.bad,
		       paused.why);
	}
	EXPECT_LE(1, fast.clean);
	EXPECT_LE(1, c.cycles);
	/* A disk came or went between their second and third parts. */
	EXPECT_LE(1, paused.n);
	EXPECT_EQ(0, paused.clean) {
		TH_LOG("%u of %u paused dumps without NLM_F_DUMP_INTR",
		       paused.clean, paused.n);
	}
	/* The case the flag is for happened, and was flagged. */
	EXPECT_LE(1, paused.torn + fast.torn) {
		TH_LOG("no dump torn (neither A nor B) and flagged in %ld s",
		       elapsed);
	}
	/* The churner ends with A there and B gone. */
	EXPECT_EQ(0, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, DUMP_A));
	EXPECT_EQ(-ENODEV, dev_cmd(&self->r, ZCBLK_CMD_DEV_GET, DUMP_B));
}

TEST_HARNESS_MAIN
