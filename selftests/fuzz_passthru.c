// SPDX-License-Identifier: GPL-2.0
/*
 * A time-boxed, seeded random-input fuzzer for zcblk's user-facing
 * surface, on a mem disk (512-byte blocks, 2 queues, node mode 0666,
 * FDP), a mem disk of 4 KiB blocks with 8 bytes of separate metadata and
 * PI type 1 (a poll queue; random PRINFO bits are checked, its block
 * device has an integrity profile), a zoned mem disk with a poll queue
 * and a 1 s request timeout, and a mem disk of 4 KiB blocks with 16 bytes
 * of separate metadata holding PI type 1 with the 64-bit guard (random
 * CDW3 bits are its reference tags'):
 *
 *  - random NVMe commands (opcode, flags, nsid, cdw2..15, metadata,
 *    lengths, timeouts; biased toward the valid ones so that they get
 *    deep) with random buffers: valid ones in an arena, NULL, low
 *    addresses, unmapped guard pages, read-only mappings (anonymous and
 *    shared memfd), kernel and non-canonical addresses, the end of the
 *    user address space, lengths up to 4 GiB; random iovec arrays;
 *  - through every ioctl of the char device (ID, ADMIN, ADMIN64, IO,
 *    IO64, IO64_VEC, SUBMIT_IO, its 32-bit twin, RESET, SUBSYS_RESET,
 *    RESCAN, random 'N' numbers), with bad argument pointers too, and
 *    through io_uring uring_cmd: plain, vectored, registered buffers
 *    (random buf_index), a registered file, IOPOLL rings, an SQPOLL ring
 *    whose SQEs a second thread rewrites while the kernel reads them (a
 *    malicious concurrent writer of the SQE memory), rings without SQE128
 *    or CQE32, rings with random setup flags (IOPOLL, SQPOLL, CLAMP,
 *    COOP_TASKRUN, TASKRUN_FLAG, SINGLE_ISSUER, DEFER_TASKRUN) and random
 *    SQE flags (ASYNC, IO_LINK, IO_HARDLINK), random cmd_op;
 *  - as root (process "pt") and as nobody (process "unpriv", fds opened
 *    read-only, write-only and read-write on the 0666 node);
 *  - random DEV_ADD / DEV_SET / DEV_DEL / DEV_GET / DEV_STATS through
 *    libzcblk (random fields and field masks), DEV_SET with bounded
 *    values (injection, latency, completion modes, short stalls) on the
 *    disks under I/O, and raw generic netlink messages with random
 *    commands, flags and attributes (types, lengths, payloads, truncated
 *    and nested ones), as root and as nobody.
 *
 * It asserts only that nothing crashes or hangs (an alarm per batch), and
 * that every result is 0, a positive NVMe status below 0x8000, or a
 * negative errno from the allowed set of its path; that a plain sync
 * Read never writes next to its buffer; that nobody's netlink mutations
 * always fail; and, at the end, that zcblk's pins balance, /proc/vmstat's
 * FOLL_PIN balance is back and the kernel logged no splat.
 *
 * Env: ZCBLK_FUZZ_SECONDS (default 30), ZCBLK_FUZZ_SEED (default: from
 * the clock; always printed). Unexpected results are reported by kind
 * (path and result) with a count and the first one in full: its process,
 * iteration and command. A crash or a hang of a fuzzing process names its
 * last command. The same seed replays the same command sequence per
 * process (not the same interleaving).
 */
#include "fuzz.h"
#include "fuzz_io.h"
#include "fuzz_netlink.h"

/* ----------------------------------------------- passthrough fuzzers */

/* Root: every disk, every ring kind, the ioctls. */
static int pt_main(const struct disk *dks, int nd, time_t deadline)
{
	struct ring plain, iopoll, sqpoll, ffile, nobig[2];
	struct scribbler scr = { 0 };
	pthread_t st;
	struct arena a;
	struct rng r0;
	int fds[4], i, ret;

	proc_id = 0;
	signal(SIGALRM, hang_alarm);
	if (arena_init(&a))
		return 2;
	r0 = iter_rng(~0UL);
	iov_area_init(&r0, &a);
	for (i = 0; i < nd; i++) {
		static const int modes[3] = { O_RDWR, O_RDONLY, O_WRONLY };

		fds[i] = open(dks[i].d.chr, modes[i % 3] | O_CLOEXEC);
		if (fds[i] < 0)
			return 3;
	}
	ret = ring_init(&plain, &a, PT_RING_FLAGS, true, NULL, 0, P_URING) ||
	      ring_init(&iopoll, &a, PT_RING_FLAGS | IORING_SETUP_IOPOLL, true,
			NULL, 0, P_URING_IOPOLL) ||
	      ring_init(&sqpoll, &a, PT_RING_FLAGS | IORING_SETUP_SQPOLL, true,
			NULL, 0, P_URING_SQPOLL) ||
	      ring_init(&ffile, &a, PT_RING_FLAGS, false, fds, nd,
			P_URING_FIXEDFILE) ||
	      ring_init(&nobig[0], &a, 0, false, NULL, 0, P_URING_NOBIG) ||
	      ring_init(&nobig[1], &a, IORING_SETUP_SQE128, false, NULL, 0,
			P_URING_NOBIG);
	if (ret)
		return 4;
	scr.q = &sqpoll;
	scr.a = &a;
	scr.seed = pt_mix64(seed ^ 0x5c5c);
	if (pthread_create(&st, NULL, scribble, &scr))
		return 5;

	for (cur_iter = 0; time(NULL) < deadline; cur_iter++) {
		struct rng r = iter_rng(cur_iter);
		int k = below(&r, 100);

		alarm(HANG_SECONDS);
		if (k < 30)
			uring_batch(&r, &a, &plain, dks, fds, nd, pt_errnos);
		else if (k < 42)
			uring_batch(&r, &a, &iopoll, dks, fds, nd, pt_errnos);
		else if (k < 54)
			uring_batch(&r, &a, &sqpoll, dks, fds, nd, pt_errnos);
		else if (k < 60)
			uring_batch(&r, &a, &ffile, dks, fds, nd, pt_errnos);
		else if (k < 63)
			uring_batch(&r, &a, &nobig[k & 1], dks, fds, nd,
				    pt_errnos);
		else if (k < 66)
			rand_ring_batches(&r, &a, dks, fds, nd);
		else {
			int di = below(&r, nd);

			ioctl_one(&r, &a, fds[di], &dks[di], P_IOCTL,
				  pt_errnos);
		}
		sh->iters[0] = cur_iter + 1;
	}
	alarm(0);
	atomic_store(&scr.stop, 1);
	pthread_join(st, NULL);
	ring_exit(&plain);
	ring_exit(&iopoll);
	ring_exit(&sqpoll);
	ring_exit(&ffile);
	ring_exit(&nobig[0]);
	ring_exit(&nobig[1]);
	for (i = 0; i < nd; i++)
		close(fds[i]);
	return 0;
}

static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -errno;
	return 0;
}

static int unpriv_main(const struct disk *dk, time_t deadline)
{
	static const int modes[3] = { O_RDONLY, O_WRONLY, O_RDWR };
	struct disk dks[3];
	struct ring plain, iopoll;
	struct zcblk_ctx *ctx = NULL;
	struct rawnl n = { 0 };
	struct arena a;
	struct rng r0;
	int fds[3], i, fd;

	proc_id = 1;
	signal(SIGALRM, hang_alarm);
	if (drop_privileges())
		return 2;
	if (arena_init(&a))
		return 3;
	r0 = iter_rng(~0UL);
	iov_area_init(&r0, &a);
	for (i = 0; i < 3; i++) {
		fds[i] = open(dk->d.chr, modes[i] | O_CLOEXEC);
		if (fds[i] < 0)
			return 4;
		dks[i] = *dk;
	}
	/* The block node stays root:disk 0660. */
	fd = open(dk->d.blk, O_RDONLY | O_CLOEXEC);
	check_nl(P_U_OPEN, fd < 0 ? -errno : 0, open_errnos, "open block node");
	if (fd >= 0) {
		violation("nobody opened %s", dk->d.blk);
		close(fd);
	}
	if (ring_init(&plain, &a, PT_RING_FLAGS, true, NULL, 0, P_U_URING) ||
	    ring_init(&iopoll, &a, PT_RING_FLAGS | IORING_SETUP_IOPOLL, false,
		      NULL, 0, P_U_URING))
		return 5;
	if (zcblk_ctx_open(&ctx) || rawnl_open(&n))
		return 6;

	for (cur_iter = 0; time(NULL) < deadline; cur_iter++) {
		struct rng r = iter_rng(cur_iter);
		int k = below(&r, 100), di = below(&r, 3), res;

		alarm(HANG_SECONDS);
		if (k < 35) {
			uring_batch(&r, &a, &plain, dks, fds, 3, pt_u_errnos);
		} else if (k < 45) {
			uring_batch(&r, &a, &iopoll, dks, fds, 3, pt_u_errnos);
		} else if (k < 85) {
			ioctl_one(&r, &a, fds[di], &dks[di], P_U_IOCTL,
				  pt_u_errnos);
		} else if (k < 92) {
			struct zcblk_dev_params p = { .size = sizeof(p) };
			struct zcblk_dev_settings s = { .size = sizeof(s) };
			struct zcblk_dev_stats st = { .size = sizeof(st) };
			struct zcblk_dev_info info = { .size = sizeof(info) };

			switch (below(&r, 5)) {
			case 0:
				p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE;
				snprintf(p.backend, sizeof(p.backend), "null");
				p.disk_size = PT_MiB;
				res = zcblk_dev_add(ctx, &p, NULL);
				if (!res)
					violation("nobody's DEV_ADD succeeded");
				break;
			case 1:
				res = zcblk_dev_del(ctx, dk->d.index);
				if (!res)
					violation("nobody's DEV_DEL succeeded");
				break;
			case 2:
				s.set = ZCBLK_SET_STALL;
				s.stall = 1;
				res = zcblk_dev_set(ctx, dk->d.index, &s, NULL);
				if (!res)
					violation("nobody's DEV_SET succeeded");
				break;
			case 3:
				res = zcblk_dev_stats(ctx, below(&r, 2) ?
						      dk->d.index : rnd(&r), &st);
				break;
			default:
				res = zcblk_dev_get(ctx, below(&r, 2) ?
						    dk->d.index : rnd(&r), &info);
			}
			check_nl(P_U_NL_LIB, res, nl_u_errnos, "libzcblk call");
		} else {
			char what[160];
			bool mutation;

			res = raw_one(&r, &n, &mutation, what, sizeof(what));
			if (mutation && !res)
				violation("nobody's %s succeeded", what);
			check_nl(P_U_NL_RAW, res, raw_u_errnos, what);
		}
		sh->iters[1] = cur_iter + 1;
	}
	alarm(0);
	ring_exit(&plain);
	ring_exit(&iopoll);
	zcblk_ctx_close(ctx);
	mnl_socket_close(n.nl);
	for (i = 0; i < 3; i++)
		close(fds[i]);
	return 0;
}

/* ---------------------------------------------------------- the test */

FIXTURE(fuzz) {
	struct pt_env env;
};

FIXTURE_SETUP(fuzz)
{
	pt_env_setup(_metadata, &self->env);
}

FIXTURE_TEARDOWN_PARENT(fuzz)
{
	struct zcblk_ctx *ctx;
	int i;

	/* What the fuzzer made and left (the test sweeps it normally). */
	for (i = 0; i < self->env.n; i++)
		protected_idx[i] = self->env.idx[i];
	nprotected = self->env.n;
	if (!zcblk_ctx_open(&ctx)) {
		sweep(ctx);
		zcblk_ctx_close(ctx);
	}
	pt_env_teardown(_metadata, &self->env);
}

static int add_disk(struct __test_metadata *_metadata, struct pt_env *env,
		    const char *backend, __u32 bs, __u32 nrq, __u32 pollq,
		    __u32 mode, __u32 timeout_ms, __u32 flags, __u32 ms,
		    struct disk *dk)
{
	struct pt_disk_cfg cfg = {
		.backend = backend, .size = DISK_SIZE, .bs = bs,
		.nr_queues = nrq, .poll_queues = pollq, .node_mode = mode,
		.timeout_ms = timeout_ms, .metadata_size = ms, .flags = flags,
	};

	/* Metadata on mem: with PI type 1, for PRINFO's checks */
	if (ms && !strcmp(backend, "mem"))
		cfg.pi_type = 1;

	/* FDP: reclaim units of 64 KiB fill, and events happen */
	if (flags & ZCBLK_DEV_F_FDP)
		cfg.fdp_ru_size = 64 * PT_KiB;
	/* 16 zones of 1 MiB, 3 open at most: the ZNS opcodes have work */
	if (flags & ZCBLK_DEV_F_ZONED) {
		cfg.zone_size = PT_MiB;
		cfg.zone_capacity = 768 * PT_KiB;
		cfg.zone_max_open = 3;
	}
	int ret = pt_disk_add(_metadata, env, &cfg, &dk->d);

	if (ret)
		return ret;
	dk->poll = pollq;
	/* with metadata: a char device alone, d.blk is "/dev/" */
	return pt_wait_node(dk->d.chr) ?: pt_wait_node(dk->d.blk);
}

static void print_hists(void)
{
	int p;

	for (p = 0; p < P_MAX; p++) {
		struct hist *h = &sh->h[p];
		char line[1024];

		if (!h->n)
			continue;
		hist_format(h, line, sizeof(line), pt_res_str);
		ksft_print_msg("%s: %lu: %s\n", path_name[p], h->total, line);
	}
}

/* Waits for a fuzzer process; false (and why) if it crashed or failed. */
static bool reap(struct __test_metadata *_metadata, pid_t pid, int who)
{
	int status;

	if (waitpid(pid, &status, 0) != pid) {
		TH_LOG("waitpid %s: %s", proc_name[who], strerror(errno));
		return false;
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return true;
	if (WIFSIGNALED(status))
		TH_LOG("the %s fuzzer died of signal %d (%s) in iteration %lu; seed 0x%llx; last command: %s",
		       proc_name[who], WTERMSIG(status),
		       strsignal(WTERMSIG(status)), sh->iters[who],
		       (unsigned long long)seed, sh->last[who]);
	else
		TH_LOG("the %s fuzzer exited with %d (99: a hang) after %lu iterations; seed 0x%llx",
		       proc_name[who], WEXITSTATUS(status), sh->iters[who],
		       (unsigned long long)seed);
	return false;
}

TEST_F_TIMEOUT(fuzz, random_input, 7200)
{
	const char *s = getenv("ZCBLK_FUZZ_SECONDS");
	int secs = s && atoi(s) > 0 ? atoi(s) : 30;
	struct disk dks[4];
	time_t deadline;
	pid_t ppt, pu;
	int i, fd, nviol;
	bool ok;

	s = getenv("ZCBLK_FUZZ_SEED");
	seed = s ? strtoull(s, NULL, 0) : pt_seed;
	ksft_print_msg("seed 0x%llx (ZCBLK_FUZZ_SEED=0x%llx replays it), %d s\n",
		       (unsigned long long)seed, (unsigned long long)seed, secs);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);

	ASSERT_EQ(0, add_disk(_metadata, &self->env, "mem", 512, 2, 0, 0666,
			      30000, ZCBLK_DEV_F_FDP, 0, &dks[0]));
	/*
	 * 8 bytes of separate metadata, PI type 1: commands' metadata
	 * buffers count, PRINFO is checked, the block device has a profile
	 */
	ASSERT_EQ(0, add_disk(_metadata, &self->env, "mem", 4096, 1, 1, 0600,
			      30000, 0, 8, &dks[1]));
	ASSERT_EQ(0, add_disk(_metadata, &self->env, "mem", 4096, 1, 1, 0600,
			      1000, ZCBLK_DEV_F_ZONED, 0, &dks[2]));
	ASSERT_EQ(0, add_disk(_metadata, &self->env, "mem", 4096, 1, 0, 0600,
			      30000, ZCBLK_DEV_F_PI_GUARD64, 16, &dks[3]));
	for (i = 0; i < 4; i++)
		protected_idx[nprotected++] = dks[i].d.index;
	snprintf(backing_file, sizeof(backing_file),
		 "/tmp/zcblk-fuzz.XXXXXX");
	fd = mkstemp(backing_file);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, PT_MiB));
	close(fd);

	deadline = time(NULL) + secs;
	ppt = fork();
	ASSERT_LE(0, ppt);
	if (!ppt)
		_exit(pt_main(dks, 4, deadline));
	pu = fork();
	ASSERT_LE(0, pu);
	if (!pu)
		_exit(unpriv_main(&dks[0], deadline));

	nl_main(self->env.ctx, dks, 4, deadline);
	settings_reset(self->env.ctx, dks, 4);
	ok = reap(_metadata, ppt, 0);
	ok &= reap(_metadata, pu, 1);
	settings_reset(self->env.ctx, dks, 4);
	sweep(self->env.ctx);
	unlink(backing_file);

	print_hists();
	ksft_print_msg("iterations: pt %lu, unpriv %lu, netlink %lu; seed 0x%llx\n",
		       sh->iters[0], sh->iters[1], sh->iters[2],
		       (unsigned long long)seed);
	nviol = atomic_load(&sh->nviol);
	for (i = 0; i < sh->nkinds; i++)
		TH_LOG("%lu x %s%s%s", sh->viol[i].count,
		       sh->viol[i].path == V_OTHER ? "" :
		       path_name[sh->viol[i].path],
		       sh->viol[i].path == V_OTHER ? "" : ": ",
		       sh->viol[i].path == V_OTHER ? sh->viol[i].first :
		       pt_res_str(sh->viol[i].res));
	for (i = 0; i < sh->nkinds; i++)
		TH_LOG("first of kind %d (%s): %s", i + 1, sh->viol[i].where,
		       sh->viol[i].first);
	EXPECT_TRUE(ok);
	EXPECT_EQ(0, nviol) {
		TH_LOG("%d unexpected results; seed 0x%llx", nviol,
		       (unsigned long long)seed);
	}
	/* It ran. */
	EXPECT_LT(0, sh->iters[0]);
	EXPECT_LT(0, sh->iters[1]);
	EXPECT_LT(0, sh->iters[2]);
}

TEST_HARNESS_MAIN
