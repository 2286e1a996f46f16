/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The passthrough selftests' environment (included by pt_common.h): the
 * disks a test creates, remembered in struct pt_env, and the checks
 * pt_env_teardown() ends every test with: zcblk's pin counters, the
 * system-wide FOLL_PIN balance of /proc/vmstat, no splat in the kernel
 * log (/dev/kmsg).
 */
#ifndef ZCBLK_SELFTEST_PT_ENV_H
#define ZCBLK_SELFTEST_PT_ENV_H

#ifndef PT_COMMON_H
#error "include pt_common.h, not pt_env.h"
#endif

/* --------------------------------------------------- kernel-side state */

/*
 * FOLL_PIN pages pinned and not yet released, system-wide. The counters
 * are per CPU: stat_refresh folds them into /proc/vmstat first.
 */
static inline long long pt_vm_pins(void)
{
	long long v, acq = -1, rel = -1;
	char key[64];
	FILE *f;
	int fd;

	fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "1", 1) < 0) {
			/* refresh is best effort; the counters still exist */
		}
		close(fd);
	}
	f = fopen("/proc/vmstat", "re");
	if (!f)
		return LLONG_MIN;
	while (fscanf(f, "%63s %lld", key, &v) == 2) {
		if (!strcmp(key, "nr_foll_pin_acquired"))
			acq = v;
		else if (!strcmp(key, "nr_foll_pin_released"))
			rel = v;
	}
	fclose(f);
	if (acq < 0 || rel < 0)
		return LLONG_MIN;
	return acq - rel;
}

/* Waits (up to @ms) for the pin balance to be back at @want. */
static inline long long pt_vm_pins_wait(long long want, unsigned int ms)
{
	long long now = pt_vm_pins();

	for (; now != want && ms >= 20; ms -= 20) {
		pt_msleep(20);
		now = pt_vm_pins();
	}
	return now;
}

/* The value of @key in a debugfs file of "key value" lines, -1 if none. */
static inline long long pt_debugfs_value(const char *path, const char *key)
{
	long long v, val = -1;
	char k[64];
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", k, &v) == 2)
		if (!strcmp(k, key))
			val = v;
	fclose(f);
	return val;
}

/*
 * zcblk's module-wide pinned pages (debugfs zcblk/pins "current"); -1 if
 * the file or the line is missing. The VM always mounts debugfs and
 * zcblk always makes the file: callers fail a -1.
 */
static inline long long pt_debugfs_pins_current(void)
{
	return pt_debugfs_value("/sys/kernel/debug/zcblk/pins", "current");
}

/* Waits (up to @ms) for pt_debugfs_pins_current() to be 0; returns it. */
static inline long long pt_debugfs_pins_wait0(unsigned int ms)
{
	long long cur = pt_debugfs_pins_current();

	for (; cur > 0 && ms >= 20; ms -= 20) {
		pt_msleep(20);
		cur = pt_debugfs_pins_current();
	}
	return cur;
}

/*
 * @key ("pinned", "unpinned", "current", "budget", ...) of disk @index's
 * debugfs pins file (zcblk/<N>/pins); -1 if the file or the line is
 * missing.
 */
static inline long long pt_debugfs_disk_value(__u32 index, const char *key)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/kernel/debug/zcblk/%u/pins", index);
	return pt_debugfs_value(path, key);
}

/*
 * Disk @index is idle and @st is its DEV_STATS: its debugfs pins file
 * must say the same pages pinned and unpinned, and none pinned now. A
 * missing file fails (-1): the VM always mounts debugfs. No EXPECT with
 * a handler block: teardowns call this (see pt_env_teardown()).
 */
static inline void pt_expect_debugfs_disk_pins(struct __test_metadata *_metadata,
					       __u32 index,
					       const struct zcblk_dev_stats *st)
{
	long long pinned = pt_debugfs_disk_value(index, "pinned");
	long long unpinned = pt_debugfs_disk_value(index, "unpinned");
	long long cur = pt_debugfs_disk_value(index, "current");

	EXPECT_EQ((long long)st->pinned_pages, pinned);
	EXPECT_EQ((long long)st->unpinned_pages, unpinned);
	EXPECT_EQ(0, cur);
	if (pinned != (long long)st->pinned_pages ||
	    unpinned != (long long)st->unpinned_pages || cur)
		TH_LOG("disk %u: debugfs zcblk/%u/pins says pinned %lld unpinned %lld current %lld (-1: no such file or line), DEV_STATS pinned %llu unpinned %llu",
		       index, index, pinned, unpinned, cur,
		       (unsigned long long)st->pinned_pages,
		       (unsigned long long)st->unpinned_pages);
}

static inline bool pt_is_splat(const char *msg)
{
	static const char *const pats[] = {
		"WARNING:", "BUG:", "Oops", "KASAN", "UBSAN",
		"general protection", "Call Trace:",
		"possible circular locking", "kmemleak",
	};
	size_t i;

	/*
	 * kmemleak's count of suspects: kmemleak.sh judges them; its own
	 * allocations failed by fault_inject: only less precise scans.
	 */
	if (strstr(msg, "new suspected memory leaks") ||
	    strstr(msg, "kmemleak: Cannot allocate a scan area"))
		return false;
	for (i = 0; i < ARRAY_SIZE(pats); i++)
		if (strstr(msg, pats[i]))
			return true;
	return false;
}

/*
 * The kernel's warn_alloc() report of an allocation fault_inject or
 * fault_inject_cmds (its comm: fault_inject_cm) failed on purpose.
 */
static inline bool pt_injected_report(const char *msg)
{
	static const char *const task[] = {
		"fault_inject: ", "fault_inject_cm: ",
	};
	unsigned int i;

	for (i = 0; i < 2; i++) {
		size_t n = strlen(task[i]);

		if (!strncmp(msg, task[i], n) &&
		    (!strncmp(msg + n, "page allocation failure:", 24) ||
		     !strncmp(msg + n, "vmalloc error:", 14)))
			return true;
	}
	return false;
}

/*
 * Scans the kernel log (/dev/kmsg): returns how many records after
 * sequence number @after look like a splat, the first one in @first, and
 * the last sequence number seen in @last. Negative errno if unreadable.
 */
static inline int pt_kmsg_scan(unsigned long long after,
			       unsigned long long *last,
			       char *first, size_t first_len)
{
	static char rec[8192];
	int fd, n = 0;

	/*
	 * fault_inject fails its own task's allocations on purpose: the
	 * stack of the kernel's warn_alloc() report of one is no splat
	 * (pt_injected_report()).
	 */
	unsigned long long injected = 0;
	/*
	 * QEMU's TCG can leak a single-step #DB into the guest kernel,
	 * which warns in exc_debug_kernel(); nothing a module does sets TF
	 * in the kernel. That warning, to its end, is no splat.
	 */
	bool emu = false;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		unsigned long long seq;
		char *comma, *msg;
		ssize_t r;

		r = read(fd, rec, sizeof(rec) - 1);
		if (r < 0) {
			if (errno == EPIPE)	/* overwritten: go on */
				continue;
			break;			/* EAGAIN: the end */
		}
		rec[r] = '\0';
		comma = strchr(rec, ',');
		msg = strchr(rec, ';');
		if (!comma || !msg)
			continue;
		seq = strtoull(comma + 1, NULL, 10);
		if (last)
			*last = seq;
		if (pt_injected_report(msg + 1))
			injected = seq;
		if (strstr(msg + 1, "WARNING:") &&
		    strstr(msg + 1, "arch/x86/kernel/traps.c") &&
		    strstr(msg + 1, " exc_debug_kernel"))
			emu = true;
		if (emu) {
			emu = !strstr(msg + 1, "---[ end trace");
			continue;
		}
		if (seq <= after || !pt_is_splat(msg + 1))
			continue;
		if (injected && seq - injected <= 4 &&
		    strstr(msg + 1, "Call Trace:"))
			continue;
		if (!n && first)
			snprintf(first, first_len, "%s", msg + 1);
		n++;
	}
	close(fd);
	return n;
}

static inline unsigned long long pt_kmsg_seq(void)
{
	unsigned long long last = 0;

	pt_kmsg_scan(ULLONG_MAX, &last, NULL, 0);
	return last;
}

/* -------------------------------------------------------------- disks */

#define PT_MAX_DISKS	4

struct pt_disk {
	__u32 index;
	__u32 bs;
	__u32 shift;		/* log2(bs) */
	__u64 size;		/* bytes */
	__u64 nlbas;
	char blk[64];		/* /dev/zcblk<N> */
	char chr[64];		/* /dev/zcblk<N>c */
};

/*
 * What a test created, and the baselines its teardown compares against.
 * Lives in the fixture (shared memory with FIXTURE_TEARDOWN_PARENT).
 */
struct pt_env {
	struct zcblk_ctx *ctx;		/* valid in process @owner only */
	pid_t owner;
	__u32 idx[PT_MAX_DISKS];
	int n;
	long long vm_pins0;		/* pt_vm_pins() at setup */
	unsigned long long kmsg_seq0;	/* last kernel log record at setup */
};

/*
 * Opens the netlink context and takes the baselines. Skips (sets
 * _metadata->exit_code) without root or without the module: the caller
 * returns if _metadata->exit_code is set.
 */
static inline void pt_env_setup(struct __test_metadata *_metadata,
				struct pt_env *env)
{
	int ret;

	memset(env, 0, sizeof(*env));
	env->owner = getpid();
	pt_seed_init();
	if (geteuid())
		SKIP(return, "needs root (creates disks, reads /dev/kmsg)");
	ret = zcblk_ctx_open(&env->ctx);
	if (ret == -ENOENT)
		SKIP(return, "zcblk module not loaded (no \"zcblk\" genl family)");
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_ctx_open: %s", strerror(-ret));
	}
	env->kmsg_seq0 = pt_kmsg_seq();
	env->vm_pins0 = pt_vm_pins();
	ASSERT_NE(LLONG_MIN, env->vm_pins0) {
		TH_LOG("no nr_foll_pin_* in /proc/vmstat");
	}
}

struct pt_disk_cfg {
	const char *backend;	/* default "mem" */
	const char *path;	/* file backend's */
	__u64 size;
	__u32 bs;
	__u32 queue_depth;	/* 0: the kernel's default, as below */
	__u32 nr_queues;
	__u32 poll_queues;
	__u32 node_mode;
	__u32 timeout_ms;
	__u32 flags;		/* ZCBLK_DEV_F_* */
	/* ZCBLK_DEV_F_ZONED: 0s are the kernel's defaults */
	__u64 zone_size;
	__u64 zone_capacity;
	__u32 zone_nr_conv;
	__u32 zone_max_open;
	__u32 zone_max_active;
	__u32 metadata_size;	/* per block; ZCBLK_DEV_F_EXTENDED_LBA */
	__u32 pi_type;		/* ZCBLK_DEV_F_PI_FIRST */
	__u64 write_cache;	/* bytes of volatile write cache */
	/* ZCBLK_DEV_F_FDP: 0s are the kernel's defaults */
	__u64 fdp_ru_size;
	__u32 fdp_nruh;
	__u32 fdp_nrg;
	__u32 fdp_nph;
};

/*
 * A file disk's backing file of @len bytes, made from the mkstemp()
 * template in @path: @cfg's backend and path set, and its buffered flag
 * where the file system refuses direct I/O (tmpfs does on 6.1, not on
 * 6.12: pt_dsm_race.c). The caller unlinks @path.
 */
static inline void pt_backing_file(struct __test_metadata *_metadata,
				   char *path, size_t len,
				   struct pt_disk_cfg *cfg)
{
	int fd = mkstemp(path);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, len));
	close(fd);
	fd = open(path, O_RDWR | O_DIRECT | O_CLOEXEC);
	if (fd < 0)
		cfg->flags |= ZCBLK_DEV_F_BUFFERED;
	else
		close(fd);
	cfg->backend = "file";
	cfg->path = path;
}

/* DEV_ADD's parameters for @cfg, into @p (zeroed, its size set). */
static inline void pt_disk_params(const struct pt_disk_cfg *cfg,
				  struct zcblk_dev_params *pp)
{
	struct zcblk_dev_params p = { .size = sizeof(p) };

	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE |
		ZCBLK_PARAM_BLOCK_SIZE;
	snprintf(p.backend, sizeof(p.backend), "%s",
		 cfg->backend ? cfg->backend : "mem");
	p.disk_size = cfg->size;
	p.block_size = cfg->bs;
	if (cfg->queue_depth) {
		p.set |= ZCBLK_PARAM_QUEUE_DEPTH;
		p.queue_depth = cfg->queue_depth;
	}
	if (cfg->nr_queues) {
		p.set |= ZCBLK_PARAM_NR_QUEUES;
		p.nr_queues = cfg->nr_queues;
	}
	if (cfg->poll_queues) {
		p.set |= ZCBLK_PARAM_POLL_QUEUES;
		p.poll_queues = cfg->poll_queues;
	}
	if (cfg->path) {
		p.set |= ZCBLK_PARAM_PATH;
		p.path = cfg->path;
	}
	if (cfg->node_mode) {
		p.set |= ZCBLK_PARAM_NODE_MODE;
		p.node_mode = cfg->node_mode;
	}
	if (cfg->timeout_ms) {
		p.set |= ZCBLK_PARAM_TIMEOUT_MS;
		p.timeout_ms = cfg->timeout_ms;
	}
	if (cfg->flags) {
		p.set |= ZCBLK_PARAM_FLAGS;
		p.flags = cfg->flags;
	}
	if (cfg->zone_size) {
		p.set |= ZCBLK_PARAM_ZONE_SIZE;
		p.zone_size = cfg->zone_size;
	}
	if (cfg->zone_capacity) {
		p.set |= ZCBLK_PARAM_ZONE_CAPACITY;
		p.zone_capacity = cfg->zone_capacity;
	}
	if (cfg->zone_nr_conv) {
		p.set |= ZCBLK_PARAM_ZONE_NR_CONV;
		p.zone_nr_conv = cfg->zone_nr_conv;
	}
	if (cfg->zone_max_open) {
		p.set |= ZCBLK_PARAM_ZONE_MAX_OPEN;
		p.zone_max_open = cfg->zone_max_open;
	}
	if (cfg->zone_max_active) {
		p.set |= ZCBLK_PARAM_ZONE_MAX_ACTIVE;
		p.zone_max_active = cfg->zone_max_active;
	}
	if (cfg->metadata_size) {
		p.set |= ZCBLK_PARAM_METADATA_SIZE;
		p.metadata_size = cfg->metadata_size;
	}
	if (cfg->pi_type) {
		p.set |= ZCBLK_PARAM_PI_TYPE;
		p.pi_type = cfg->pi_type;
	}
	if (cfg->write_cache) {
		p.set |= ZCBLK_PARAM_WRITE_CACHE;
		p.write_cache = cfg->write_cache;
	}
	if (cfg->fdp_ru_size) {
		p.set |= ZCBLK_PARAM_FDP_RU_SIZE;
		p.fdp_ru_size = cfg->fdp_ru_size;
	}
	if (cfg->fdp_nruh) {
		p.set |= ZCBLK_PARAM_FDP_NRUH;
		p.fdp_nruh = cfg->fdp_nruh;
	}
	if (cfg->fdp_nrg) {
		p.set |= ZCBLK_PARAM_FDP_NRG;
		p.fdp_nrg = cfg->fdp_nrg;
	}
	if (cfg->fdp_nph) {
		p.set |= ZCBLK_PARAM_FDP_NPH;
		p.fdp_nph = cfg->fdp_nph;
	}
	*pp = p;
}

/* Creates a disk, remembered in @env for the teardown. 0 or -errno. */
static inline int pt_disk_add(struct __test_metadata *_metadata,
			      struct pt_env *env,
			      const struct pt_disk_cfg *cfg, struct pt_disk *d)
{
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct zcblk_dev_params p;
	int ret;

	if (env->n >= PT_MAX_DISKS)
		return -ENOSPC;
	pt_disk_params(cfg, &p);
	ret = zcblk_dev_add(env->ctx, &p, &info);
	if (ret) {
		TH_LOG("zcblk_dev_add %s: %s: %s", p.backend, strerror(-ret),
		       zcblk_ctx_errmsg(env->ctx));
		return ret;
	}
	env->idx[env->n++] = info.index;

	memset(d, 0, sizeof(*d));
	d->index = info.index;
	d->bs = cfg->bs;
	d->shift = __builtin_ctz(cfg->bs);
	d->size = cfg->size;
	d->nlbas = cfg->size / cfg->bs;
	snprintf(d->blk, sizeof(d->blk), "/dev/%s", info.disk_name);
	if (info.char_name[0])
		snprintf(d->chr, sizeof(d->chr), "/dev/%s", info.char_name);
	else
		snprintf(d->chr, sizeof(d->chr), "/dev/zcblk%uc", info.index);
	if (cfg->poll_queues && info.poll_queues != cfg->poll_queues) {
		TH_LOG("%s: asked for %u poll queues, DEV_ADD reports %u",
		       d->blk, cfg->poll_queues, info.poll_queues);
		return -EPROTO;
	}
	return 0;
}

/* Deletes a disk now and forgets it (pt_remove). 0 or -errno. */
static inline int pt_disk_del(struct pt_env *env, __u32 index)
{
	int i, ret = zcblk_dev_del(env->ctx, index);

	for (i = 0; i < env->n; i++) {
		if (env->idx[i] == index) {
			env->idx[i] = env->idx[--env->n];
			break;
		}
	}
	return ret;
}

/* Waits for a node devtmpfs creates; 0 or -errno. */
static inline int pt_wait_node(const char *path)
{
	struct stat st;
	int i;

	for (i = 0; i < 250; i++) {
		if (!stat(path, &st))
			return 0;
		pt_msleep(20);
	}
	return -errno;
}

/* Opens the char device (O_RDWR) and, if @bfd, the block device O_DIRECT. */
static inline void pt_open(struct __test_metadata *_metadata,
			   const struct pt_disk *d, int *cfd, int *bfd)
{
	ASSERT_EQ(0, pt_wait_node(d->chr)) {
		TH_LOG("%s never appeared", d->chr);
	}
	*cfd = open(d->chr, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, *cfd) {
		TH_LOG("open %s: %s", d->chr, strerror(errno));
	}
	if (!bfd)
		return;
	ASSERT_EQ(0, pt_wait_node(d->blk)) {
		TH_LOG("%s never appeared", d->blk);
	}
	*bfd = open(d->blk, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, *bfd) {
		TH_LOG("open %s: %s", d->blk, strerror(errno));
	}
}

static inline int pt_stats(struct zcblk_ctx *ctx, __u32 index,
			   struct zcblk_dev_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return zcblk_dev_stats(ctx, index, st);
}

/*
 * Stats of a disk once it is idle: no command in flight and nothing
 * pinned (a ring being torn down may still complete commands). Returns
 * what zcblk_dev_stats() returned.
 */
static inline int pt_stats_idle(struct zcblk_ctx *ctx, __u32 index,
				struct zcblk_dev_stats *st)
{
	int i, ret = 0;

	for (i = 0; i < 250; i++) {
		ret = pt_stats(ctx, index, st);
		if (ret || (!st->pt_inflight && !st->pinned_current))
			break;
		pt_msleep(20);
	}
	return ret;
}

/*
 * The end of every test: per disk, pins balance in zcblk's counters
 * (DEV_STATS and the disk's debugfs pins file alike); no splat in the
 * kernel log since setup; then the disks go, and the
 * system-wide FOLL_PIN balance is back where it was. No ASSERT here, and
 * no EXPECT with a handler block (see netlink_dev.c).
 */
static inline void pt_env_teardown(struct __test_metadata *_metadata,
				   struct pt_env *env)
{
	struct zcblk_dev_stats st;
	struct zcblk_ctx *ctx;
	char first[512] = "";
	long long pins;
	int i, ret;

	if (env->ctx && env->owner == getpid()) {
		zcblk_ctx_close(env->ctx);
		env->ctx = NULL;
	}
	ret = zcblk_ctx_open(&ctx);
	EXPECT_EQ(0, ret);
	if (ret)
		return;
	for (i = 0; i < env->n; i++) {
		ret = pt_stats_idle(ctx, env->idx[i], &st);
		EXPECT_EQ(0, ret);
		if (!ret) {
			EXPECT_EQ(0, st.pt_inflight);
			EXPECT_EQ(st.pinned_pages, st.unpinned_pages);
			EXPECT_EQ(0, st.pinned_current);
			if (st.pinned_pages != st.unpinned_pages ||
			    st.pinned_current || st.pt_inflight)
				TH_LOG("disk %u: pinned %llu unpinned %llu current %llu inflight %u",
				       env->idx[i],
				       (unsigned long long)st.pinned_pages,
				       (unsigned long long)st.unpinned_pages,
				       (unsigned long long)st.pinned_current,
				       st.pt_inflight);
			pt_expect_debugfs_disk_pins(_metadata, env->idx[i], &st);
		}
		ret = zcblk_dev_del(ctx, env->idx[i]);
		EXPECT_TRUE(ret == 0 || ret == -ENODEV);
		if (ret && ret != -ENODEV)
			TH_LOG("cleanup: del %u: %s: %s", env->idx[i],
			       strerror(-ret), zcblk_ctx_errmsg(ctx));
	}
	env->n = 0;
	zcblk_ctx_close(ctx);

	/* io_uring frees a ring (and its buffers) from a workqueue. */
	pins = pt_vm_pins_wait(env->vm_pins0, 10000);
	EXPECT_EQ(env->vm_pins0, pins);
	if (pins != env->vm_pins0)
		TH_LOG("/proc/vmstat: nr_foll_pin_acquired - nr_foll_pin_released was %lld before the test, %lld after",
		       env->vm_pins0, pins);

	ret = pt_kmsg_scan(env->kmsg_seq0, NULL, first, sizeof(first));
	EXPECT_EQ(0, ret);
	if (ret)
		TH_LOG("kernel log: %d splat line(s) during the test, first: %s",
		       ret, first);
}

#endif /* ZCBLK_SELFTEST_PT_ENV_H */
