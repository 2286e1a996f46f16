// SPDX-License-Identifier: GPL-2.0
/*
 * Several threads reaping one IOPOLL ring while its disk is deleted, 20
 * rounds. A request ends at its end_io and DEV_DEL ends what waits on a
 * poll list (Documentation/passthrough.rst, "Completion" and
 * "Removal"): polls must then never touch a request that is gone,
 * whichever thread polls and whenever.
 *
 * Per round, on a mem disk with one poll queue: the main thread keeps QD
 * Reads and Writes in flight on an IOPOLL ring and reaps its CQEs (liburing
 * is not thread safe for the CQ ring); NR_POLLERS more threads poll the
 * same ring with raw io_uring_enter(IORING_ENTER_GETEVENTS), which
 * completes requests without touching the CQ ring's head; another thread
 * deletes the disk at a varying moment. Every CQE must be 0 or -ENODEV,
 * every command issued after the delete returned -ENODEV, nothing may
 * hang (alarm(), with the stage it hung in), and the pins must balance:
 * zcblk's module-wide counter (debugfs) back to 0, the FOLL_PIN balance
 * of /proc/vmstat back where it was.
 *
 * Written for the debug kernel (KASAN finds a poll of a freed request);
 * on the stock kernels it passes with and without that bug.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>

#include "pt_common.h"

#define DISK_SIZE	(16 * PT_MiB)
#define BS		4096
#define ROUNDS		20
#define QD		16
#define NB		4		/* blocks per command */
#define NR_POLLERS	3
#define POST_DEL	4		/* commands issued after the delete */
#define ROUND_TIMEOUT	60		/* seconds, under TCG */

FIXTURE(reapers) {
	struct pt_env env;
	struct pt_disk d;
};

FIXTURE_SETUP(reapers)
{
	pt_env_setup(_metadata, &self->env);
}

FIXTURE_TEARDOWN_PARENT(reapers)
{
	pt_env_teardown(_metadata, &self->env);
}

struct round {
	struct pt_q q;
	struct pt_env *env;
	__u32 index;
	char *bufs;			/* QD slots of NB blocks */
	atomic_int stop;		/* pollers: done */
	atomic_int deleted;		/* zcblk_dev_del() has returned */
	atomic_ulong completed;		/* CQEs before the delete */
	int del_ret;
	unsigned int delay_ms;
	unsigned long polls, poll_errs;
	int poll_err;
	/* outcomes */
	unsigned long ok, enodev, other, post, post_bad, met;
	int other_res, post_bad_res;
};

#define PT_HANG_NAME	"pt_poll_reapers"
#define PT_HANG_SECONDS	ROUND_TIMEOUT
#include "pt_hang.h"

/* Polls the ring for completions; never reads or moves the CQ ring. */
static void *poller(void *arg)
{
	struct round *r = arg;

	while (!atomic_load(&r->stop)) {
		long ret = syscall(__NR_io_uring_enter, r->q.ring.ring_fd, 0,
				   1, IORING_ENTER_GETEVENTS, NULL, 0);

		__atomic_add_fetch(&r->polls, 1, __ATOMIC_RELAXED);
		if (ret < 0 && errno != EINTR && errno != EAGAIN &&
		    errno != EBUSY) {
			__atomic_add_fetch(&r->poll_errs, 1, __ATOMIC_RELAXED);
			r->poll_err = errno;
		}
		/* It returns at once while CQEs wait: leave the CPU. */
		sched_yield();
	}
	return NULL;
}

static void *deleter(void *arg)
{
	struct round *r = arg;

	while (atomic_load(&r->completed) < 32)
		pt_msleep(1);
	pt_msleep(r->delay_ms);
	r->del_ret = pt_disk_del(r->env, r->index);
	atomic_store(&r->deleted, 1);
	return NULL;
}

static void count(struct round *r, int res, bool after)
{
	if (res == 0) {
		r->ok++;
	} else if (res == -ENODEV) {
		r->enodev++;
	} else {
		r->other++;
		r->other_res = res;
	}
	if (after) {
		r->post++;
		if (res != -ENODEV) {
			r->post_bad++;
			r->post_bad_res = res;
		}
	} else if (res) {
		r->met++;	/* issued before the delete returned */
	}
}

/* Keeps QD commands in flight until POST_DEL went after the delete. */
static int submit_and_reap(struct round *r, __u64 nlbas)
{
	bool busy[QD] = { false }, stop = false;
	unsigned int inflight = 0, post = 0, i;
	__u64 n = 0;

	while (!stop || inflight) {
		struct io_uring_cqe *cqe;
		bool removing = false;
		int ret;

		while (!stop && inflight < QD) {
			bool after = atomic_load(&r->deleted);
			struct io_uring_sqe *sqe;
			struct nvme_uring_cmd c;

			for (i = 0; busy[i]; i++)
				;
			sqe = io_uring_get_sqe(&r->q.ring);
			if (!sqe)
				break;
			c = pt_rw(n % 4 == 3 ? PT_OP_WRITE : PT_OP_READ,
				  pt_rand(n) % (nlbas - NB), NB,
				  r->bufs + (size_t)i * NB * BS, NB * BS);
			pt_q_prep(&r->q, sqe, NVME_URING_CMD_IO, &c, -1,
				  i | (__u64)after << 32);
			busy[i] = true;
			inflight++;
			n++;
			if (after && ++post >= POST_DEL)
				stop = true;
		}
		ret = io_uring_submit(&r->q.ring);
		if (ret < 0 && ret != -EINTR && ret != -EAGAIN &&
		    ret != -EBUSY)
			return ret;
		while (!io_uring_peek_cqe(&r->q.ring, &cqe)) {
			__u64 ud = cqe->user_data;

			removing |= cqe->res == -ENODEV;
			count(r, cqe->res, ud >> 32);
			if (!atomic_load(&r->deleted))
				atomic_fetch_add(&r->completed, 1);
			busy[(__u32)ud] = false;
			inflight--;
			io_uring_cqe_seen(&r->q.ring, cqe);
		}
		/* Removal under way: no need to flood it. */
		if (removing && !stop)
			pt_msleep(1);
		/* The pollers poll: let them (and the deleter) run. */
		sched_yield();
	}
	return 0;
}

TEST_F_TIMEOUT(reapers, delete_while_polled, ROUNDS * ROUND_TIMEOUT)
{
	struct pt_disk_cfg cfg = {
		.size = DISK_SIZE, .bs = BS, .nr_queues = 1, .poll_queues = 1,
	};
	const size_t buf_len = (size_t)QD * NB * BS;
	struct sigaction sa = { .sa_handler = on_alarm };
	unsigned long ok = 0, enodev = 0, met = 0, polls = 0;
	struct round *r;
	int k;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	r = calloc(1, sizeof(*r));
	ASSERT_NE(NULL, r);
	r->bufs = pt_map(buf_len);
	ASSERT_NE(NULL, r->bufs);

	for (k = 0; k < ROUNDS; k++) {
		pthread_t pt[NR_POLLERS], dt;
		long long pins, cur;
		int cfd, ret, i;

		round_no = k;
		alarm(ROUND_TIMEOUT);
		stage = "creating the disk";
		ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
		pt_open(_metadata, &self->d, &cfd, NULL);
		ASSERT_EQ(0, pt_q_init(&r->q, cfd, 2 * QD, PT_RING_FLAGS |
				       IORING_SETUP_IOPOLL));
		r->env = &self->env;
		r->index = self->d.index;
		r->delay_ms = pt_rand(k) % 8;
		atomic_store(&r->stop, 0);
		atomic_store(&r->deleted, 0);
		atomic_store(&r->completed, 0);
		r->ok = r->enodev = r->other = r->post = r->post_bad = 0;
		r->met = 0;
		r->polls = r->poll_errs = 0;

		stage = "I/O, polled by every thread, and the delete";
		for (i = 0; i < NR_POLLERS; i++)
			ASSERT_EQ(0, pthread_create(&pt[i], NULL, poller, r));
		ASSERT_EQ(0, pthread_create(&dt, NULL, deleter, r));
		ret = submit_and_reap(r, self->d.nlbas);
		EXPECT_EQ(0, ret) {
			TH_LOG("round %d: io_uring_submit: %s", k,
			       strerror(-ret));
		}
		stage = "joining the deleter";
		pthread_join(dt, NULL);
		stage = "joining the pollers";
		atomic_store(&r->stop, 1);
		for (i = 0; i < NR_POLLERS; i++)
			pthread_join(pt[i], NULL);

		EXPECT_EQ(0, r->del_ret) {
			TH_LOG("round %d: zcblk_dev_del: %s", k,
			       strerror(-r->del_ret));
		}
		EXPECT_EQ(0, r->other) {
			TH_LOG("round %d: CQE %s", k, pt_res_str(r->other_res));
		}
		EXPECT_EQ(0, r->post_bad) {
			TH_LOG("round %d: issued after the delete: %s", k,
			       pt_res_str(r->post_bad_res));
		}
		EXPECT_EQ(0, r->poll_errs) {
			TH_LOG("round %d: io_uring_enter(GETEVENTS): %s", k,
			       strerror(r->poll_err));
		}

		stage = "closing the ring and the fd";
		pt_q_exit(&r->q);
		close(cfd);

		stage = "waiting for the pins to balance";
		cur = pt_debugfs_pins_wait0(10000);
		EXPECT_EQ(0, cur) {
			TH_LOG("round %d: zcblk's module-wide pinned pages (debugfs zcblk/pins, -1: missing): %lld",
			       k, cur);
		}
		pins = pt_vm_pins_wait(self->env.vm_pins0, 10000);
		EXPECT_EQ(self->env.vm_pins0, pins) {
			TH_LOG("round %d: FOLL_PIN balance %lld before, %lld after",
			       k, self->env.vm_pins0, pins);
		}
		alarm(0);
		ok += r->ok;
		enodev += r->enodev;
		met += r->met;
		polls += r->polls;
		if (_metadata->exit_code)
			break;
	}
	ksft_print_msg("%d rounds: %lu CQEs 0, %lu -ENODEV (%lu of commands issued before the delete returned); %lu polls by %d extra threads\n",
		       k, ok, enodev, met, polls, NR_POLLERS);
	/*
	 * The test did what it says: I/O ran, and commands issued before the
	 * delete returned met the removal (those issued after it must).
	 */
	EXPECT_LT(0, ok);
	EXPECT_LT(0, met);
	munmap(r->bufs, buf_len);
	free(r);
}

TEST_HARNESS_MAIN
