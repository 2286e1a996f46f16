// SPDX-License-Identifier: GPL-2.0
/*
 * libzcblk's control API beyond the disk commands: zcblk_features(), the
 * library's version (ZCBLK_VERSION_MAJOR/MINOR, zcblk_check_version()),
 * zcblk_dev_set() when the kernel ACKs without describing the disk
 * (removed meanwhile), the zone fields of struct zcblk_dev_params and
 * struct zcblk_dev_info (version 2) beside version-1 callers, and the
 * write cache (params version 3, info version 4, stats version 2) with
 * zcblk_dev_power(), and Flexible Data Placement (params version 4, info
 * version 6).  Unreadable blocks and corruption are lib_api_media.c's,
 * the monitor's tests lib_api_monitor.c's, the passthrough helpers'
 * lib_api_pt.c's.
 *
 * The fixture's tests need root and zcblk.ko loaded (they skip if the
 * module is not); the plain TEST needs neither.
 */
#include <linux/netlink.h>
#include <sys/socket.h>

#include "lib_api.h"

/* ------------------------------------------------------------- features */

static void read_module_version(char *buf, size_t len)
{
	FILE *f = fopen("/sys/module/zcblk/version", "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* Every value FEATURES reports, as uapi and sysfs say it must be. */
TEST_F(api, features)
{
	struct zcblk_features f = { .size = sizeof(f) };
	struct zcblk_features small = { .size = ZCBLK_FEATURES_SIZE_VER1 - 1 };
	char version[64];
	int ret;

	ret = zcblk_features(self->env.ctx, &f);
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_features: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->env.ctx));
	}
	EXPECT_EQ(sizeof(f), f.size);
	ASSERT_EQ(3, f.nr_backends);
	/* The kernel's order: zcblk_backends[] in kernel/dev.c */
	EXPECT_STREQ("null", f.backends[0]);
	EXPECT_STREQ("mem", f.backends[1]);
	EXPECT_STREQ("file", f.backends[2]);
	EXPECT_EQ((1U << ZCBLK_CMD_DEV_ADD) | (1U << ZCBLK_CMD_DEV_DEL) |
		  (1U << ZCBLK_CMD_DEV_GET) | (1U << ZCBLK_CMD_DEV_STATS) |
		  (1U << ZCBLK_CMD_DEV_SET) | (1U << ZCBLK_CMD_FEATURES),
		  f.cmds);
	EXPECT_EQ(ZCBLK_DEV_F_READ_ONLY | ZCBLK_DEV_F_BUFFERED |
		  ZCBLK_DEV_F_ZONED | ZCBLK_DEV_F_EXTENDED_LBA |
		  ZCBLK_DEV_F_PI_FIRST | ZCBLK_DEV_F_FDP |
		  ZCBLK_DEV_F_PI_GUARD64, f.dev_flags);
	EXPECT_EQ((1U << ZCBLK_COMPLETION_INLINE) |
		  (1U << ZCBLK_COMPLETION_SOFTIRQ) |
		  (1U << ZCBLK_COMPLETION_TIMER), f.completions);
	EXPECT_EQ((1U << ZCBLK_FAIL_OPS_ALL) | (1U << ZCBLK_FAIL_OPS_READS) |
		  (1U << ZCBLK_FAIL_OPS_WRITES), f.fail_ops);
	EXPECT_EQ(ZCBLK_MAX_DEVS, f.max_devs);
	EXPECT_EQ(ZCBLK_MAX_QUEUES, f.max_queues);
	EXPECT_EQ(ZCBLK_MAX_QUEUE_DEPTH, f.max_queue_depth);
	EXPECT_EQ(PT_MAX_TRANSFER, f.max_transfer);
	EXPECT_EQ((1U << ZCBLK_CUT_MODE_DROP) | (1U << ZCBLK_CUT_MODE_BLOCKS) |
		  (1U << ZCBLK_CUT_MODE_TORN), f.cut_modes);
	EXPECT_EQ(0, f.__reserved);
	read_module_version(version, sizeof(version));
	EXPECT_STRNE("", version);
	EXPECT_STREQ(version, f.version);
	/* libzcblk comes from the same release as the module. */
	EXPECT_STREQ(version, zcblk_version());

	EXPECT_EQ(-EINVAL, zcblk_features(self->env.ctx, &small));
	EXPECT_STREQ("zcblk_features: size too small",
		     zcblk_ctx_errmsg(self->env.ctx));
	EXPECT_EQ(-EINVAL, zcblk_features(self->env.ctx, NULL));
	EXPECT_EQ(-EINVAL, zcblk_features(NULL, &f));
}

/*
 * The version the header gives at compile time is the library's:
 * zcblk_version_major() and _minor(), and the start of zcblk_version()'s
 * string.  zcblk_check_version() is 1 up to that version, 0 beyond it.
 */
TEST(version_check)
{
	int major = zcblk_version_major(), minor = zcblk_version_minor();
	const char *str = zcblk_version();
	char want[32];
	size_t len;

	EXPECT_EQ(ZCBLK_VERSION_MAJOR, major);
	EXPECT_EQ(ZCBLK_VERSION_MINOR, minor);
	len = snprintf(want, sizeof(want), "%d.%d", major, minor);
	EXPECT_EQ(0, strncmp(want, str, len)) {
		TH_LOG("zcblk_version() \"%s\", want \"%s\"...", str, want);
	}
	EXPECT_FALSE(str[len] >= '0' && str[len] <= '9');

	EXPECT_EQ(1, zcblk_check_version(ZCBLK_VERSION_MAJOR,
					 ZCBLK_VERSION_MINOR));
	EXPECT_EQ(1, zcblk_check_version(major, 0));
	EXPECT_EQ(1, zcblk_check_version(0, 0));
	if (minor > 0)
		EXPECT_EQ(1, zcblk_check_version(major, minor - 1));
	if (major > 0)
		EXPECT_EQ(1, zcblk_check_version(major - 1, minor + 1));
	EXPECT_EQ(0, zcblk_check_version(major, minor + 1));
	EXPECT_EQ(0, zcblk_check_version(major + 1, 0));
	EXPECT_EQ(0, zcblk_check_version(major + 1, minor));
}

/* ---------------------------------------------------------- dev_set */

/*
 * zcblk_nl_dev_set_doit() makes the change, then looks the disk up again
 * to describe it; a DEV_DEL that wins the race in between leaves it with
 * nothing to describe, and it ACKs the request without a reply.  No
 * request can be timed into that window, so the test gives libzcblk that
 * answer itself: while drop_replies is set, this recv() (which the
 * library's zcblk__transact() calls; the executable's definition comes
 * before libc's) swallows every netlink data message, that is the
 * DEV_SET reply, and lets the ACK through.  recvfrom() is libc's own.
 */
static int drop_replies;
static int replies_dropped;

/*
 * And while flag_done is set, it flags each NLMSG_DONE with
 * NLM_F_DUMP_INTR, as the kernel does when the set of disks changed
 * during a dump of one part, where only NLMSG_DONE can carry the flag.
 */
static int flag_done;

ssize_t lib_api_recv(int fd, void *buf, size_t len, int flags)
	__asm__("recv");
ssize_t lib_api_recv(int fd, void *buf, size_t len, int flags)
{
	for (;;) {
		ssize_t n = recvfrom(fd, buf, len, flags, NULL, NULL);
		struct nlmsghdr *nlh = buf;
		int left = n;

		for (; flag_done && n > 0 && NLMSG_OK(nlh, left);
		     nlh = NLMSG_NEXT(nlh, left))
			if (nlh->nlmsg_type == NLMSG_DONE)
				nlh->nlmsg_flags |= NLM_F_DUMP_INTR;
		nlh = buf;
		if (!drop_replies || n < (ssize_t)sizeof(*nlh) ||
		    nlh->nlmsg_type < NLMSG_MIN_TYPE)
			return n;
		replies_dropped++;
	}
}

/*
 * An @out of an older version (@size bytes) of disk @index: its fields
 * (the index, @flags), nothing written past them.
 */
static void expect_old_info(struct __test_metadata *_metadata,
			    struct zcblk_ctx *ctx, __u32 index, __u32 size,
			    __u32 flags)
{
	struct zcblk_dev_info v;
	size_t i;

	fill_info(&v, 0x5a);
	v.size = size;
	ASSERT_EQ(0, zcblk_dev_get(ctx, index, &v));
	EXPECT_EQ(size, v.size);
	EXPECT_EQ(index, v.index);
	EXPECT_EQ(flags, v.flags);
	for (i = size; i < sizeof(v); i++) {
		ASSERT_EQ(0x5a, ((unsigned char *)&v)[i]) {
			TH_LOG("byte %zu of a %u-byte info written", i, size);
		}
	}
}

/*
 * DEV_SET answered by an ACK alone: the change was made but the disk is
 * gone, so zcblk_dev_set() returns -ENODEV, with @out untouched and its
 * reason in zcblk_ctx_errmsg(), not 0 with @out unfilled; with a NULL
 * @out as well.  The change is visible (the disk is in fact still there),
 * and the same call with the reply delivered returns 0 and fills @out.
 */
TEST_F(api, set_disk_gone)
{
	struct zcblk_dev_settings s = { .size = sizeof(s) };
	struct zcblk_dev_info out, before, info = { .size = sizeof(info) };
	struct zcblk_ctx *ctx = self->env.ctx;
	struct zcblk_dev_params p = { .size = sizeof(p) };
	int ret;

	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE | ZCBLK_PARAM_INDEX;
	strcpy(p.backend, "null");
	p.disk_size = 1ULL << 20;
	p.index = SET_INDEX;
	ASSERT_EQ(0, zcblk_dev_add(ctx, &p, NULL));
	self->env.idx[self->env.n++] = p.index;

	s.set = ZCBLK_SET_LATENCY_NS;
	s.latency_ns = 777;
	fill_info(&out, 0x5a);
	before = out;
	replies_dropped = 0;
	drop_replies = 1;
	ret = zcblk_dev_set(ctx, p.index, &s, &out);
	drop_replies = 0;
	EXPECT_EQ(1, replies_dropped);
	EXPECT_EQ(-ENODEV, ret) {
		TH_LOG("an ACK without the disk: %d (%s)", ret,
		       ret ? strerror(-ret) : "success, out unfilled");
	}
	EXPECT_STREQ("index: disk removed right after the change",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(0, memcmp(&before, &out, sizeof(out)));
	ASSERT_EQ(0, zcblk_dev_get(ctx, p.index, &info));
	EXPECT_EQ(777, info.latency_ns);

	s.latency_ns = 888;
	replies_dropped = 0;
	drop_replies = 1;
	ret = zcblk_dev_set(ctx, p.index, &s, NULL);
	drop_replies = 0;
	EXPECT_EQ(1, replies_dropped);
	EXPECT_EQ(-ENODEV, ret);

	/* The reply delivered: 0, and @out describes the disk. */
	s.latency_ns = 999;
	ret = zcblk_dev_set(ctx, p.index, &s, &out);
	ASSERT_EQ(0, ret) {
		TH_LOG("DEV_SET: %s: %s", strerror(-ret), zcblk_ctx_errmsg(ctx));
	}
	EXPECT_EQ(p.index, out.index);
	EXPECT_EQ(999, out.latency_ns);
	EXPECT_STREQ("null", out.backend);
	EXPECT_EQ(ZCBLK_DEV_STATE_LIVE, out.state);
	EXPECT_EQ(0, pt_disk_del(&self->env, p.index));
}

/* ------------------------------------------------- zoned, size versions */

/*
 * A zoned disk through version 2 of the structures: what was asked comes
 * back in DEV_ADD's reply and DEV_GET, the padding 0.  A version-1
 * @out gets the version-1 fields and not a byte beyond its size.  A
 * version-1 @params: the bytes past its size are not read (it ends at an
 * inaccessible page; the kernel's defaults, 64 MiB zones of full capacity),
 * and a zone bit in @set is refused by the library (-EINVAL, no disk).
 * Zone fields without the zoned flag: the kernel's -EINVAL, naming the
 * attribute.
 */
TEST_F(api, zoned_versions)
{
	struct zcblk_dev_info out = { .size = sizeof(out) };
	struct zcblk_dev_info got;
	struct zcblk_ctx *ctx = self->env.ctx;
	struct zcblk_dev_params p = { .size = sizeof(p) }, *old;
	char *page;
	int ret;
	size_t i;

	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE | ZCBLK_PARAM_INDEX |
		ZCBLK_PARAM_FLAGS | ZCBLK_PARAM_ZONE_SIZE |
		ZCBLK_PARAM_ZONE_CAPACITY | ZCBLK_PARAM_ZONE_NR_CONV |
		ZCBLK_PARAM_ZONE_MAX_OPEN | ZCBLK_PARAM_ZONE_MAX_ACTIVE;
	strcpy(p.backend, "mem");
	p.disk_size = 256 * MiB;
	p.index = ZONED_INDEX;
	p.flags = ZCBLK_DEV_F_ZONED;
	p.zone_size = 32 * MiB;
	p.zone_capacity = 24 * MiB;
	p.zone_nr_conv = 1;
	p.zone_max_open = 4;
	p.zone_max_active = 6;
	api_add(_metadata, &self->env, &p, &out, " zoned");
	fill_info(&got, 0x5a);
	ASSERT_EQ(0, zcblk_dev_get(ctx, p.index, &got));
	for (i = 0; i < 2; i++) {
		const struct zcblk_dev_info *x = i ? &got : &out;

		EXPECT_EQ(ZCBLK_DEV_F_ZONED, x->flags);
		EXPECT_EQ(256 * MiB, x->disk_size);
		EXPECT_EQ(32 * MiB, x->zone_size);
		EXPECT_EQ(24 * MiB, x->zone_capacity);
		EXPECT_EQ(1, x->zone_nr_conv);
		EXPECT_EQ(4, x->zone_max_open);
		EXPECT_EQ(6, x->zone_max_active);
		EXPECT_EQ(0, x->metadata_size);
	}

	ASSERT_EQ(ZONED_INDEX, p.index);
	expect_old_info(_metadata, ctx, p.index, ZCBLK_DEV_INFO_SIZE_VER1,
			ZCBLK_DEV_F_ZONED);
	ASSERT_EQ(0, pt_disk_del(&self->env, p.index));

	/*
	 * A version-1 @params: the bytes beyond it are not the caller's.
	 * It ends where an inaccessible page begins: a library that reads
	 * past its size dies here.
	 */
	page = pt_map(2 * PT_PAGE);
	ASSERT_NE(NULL, page);
	ASSERT_EQ(0, mprotect(page + PT_PAGE, PT_PAGE, PROT_NONE));
	old = (struct zcblk_dev_params *)(page + PT_PAGE -
					  ZCBLK_DEV_PARAMS_SIZE_VER1);
	memcpy(old, &p, ZCBLK_DEV_PARAMS_SIZE_VER1);
	old->size = ZCBLK_DEV_PARAMS_SIZE_VER1;
	old->set &= ~(ZCBLK_PARAM_ZONE_SIZE | ZCBLK_PARAM_ZONE_CAPACITY |
		      ZCBLK_PARAM_ZONE_NR_CONV | ZCBLK_PARAM_ZONE_MAX_OPEN |
		      ZCBLK_PARAM_ZONE_MAX_ACTIVE);
	old->disk_size = 128 * MiB;
	ret = zcblk_dev_add(ctx, old, &out);
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_dev_add, version 1, zoned: %s: %s",
		       strerror(-ret), zcblk_ctx_errmsg(ctx));
	}
	self->env.idx[self->env.n++] = old->index;
	EXPECT_EQ(ZCBLK_DEV_F_ZONED, out.flags);
	EXPECT_EQ(64 * MiB, out.zone_size);
	EXPECT_EQ(64 * MiB, out.zone_capacity);
	EXPECT_EQ(0, out.zone_nr_conv);
	EXPECT_EQ(0, out.zone_max_open);
	EXPECT_EQ(0, out.zone_max_active);
	ASSERT_EQ(0, pt_disk_del(&self->env, old->index));

	old->set |= ZCBLK_PARAM_ZONE_SIZE;
	EXPECT_EQ(-EINVAL, zcblk_dev_add(ctx, old, NULL));
	EXPECT_STREQ("zcblk_dev_params: size too small for its version 2 fields",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-ENODEV, zcblk_dev_get(ctx, old->index, &got));
	munmap(page, 2 * PT_PAGE);

	/* Version 2, a reserved field set: refused by the library. */
	p.__reserved = 1;
	EXPECT_EQ(-EINVAL, zcblk_dev_add(ctx, &p, NULL));
	EXPECT_STREQ("zcblk_dev_params: reserved field set",
		     zcblk_ctx_errmsg(ctx));
	p.__reserved = 0;

	/* A zone field without the zoned flag: the kernel refuses it. */
	p.flags = 0;
	p.set &= ~(ZCBLK_PARAM_ZONE_SIZE | ZCBLK_PARAM_ZONE_CAPACITY |
		   ZCBLK_PARAM_ZONE_NR_CONV | ZCBLK_PARAM_ZONE_MAX_ACTIVE);
	EXPECT_EQ(-EINVAL, zcblk_dev_add(ctx, &p, NULL));
	EXPECT_STREQ("zone-max-open: zone attributes need the zoned flag",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-ENODEV, zcblk_dev_get(ctx, p.index, &got));
}

/* ------------------------------------------------ write cache, power */

/*
 * A mem disk with a 1 MiB write cache through version 3 of struct
 * zcblk_dev_params: the reply and DEV_GET say so, powered on.  A
 * version-2 @params with the write-cache bit is refused by the library
 * (-EINVAL, no disk).  A version-3 @out gets power, in that version's
 * room, and not a byte beyond its size.  zcblk_dev_power(): a cut with a
 * mode and a seed, the same state again, power on; a mode or a seed with
 * power on is the kernel's -EINVAL with its message, a state or a mode
 * out of range -ERANGE, each changing nothing; -ENODEV without the disk.
 * The counters' version 2 is filled (nothing written: nothing dirty,
 * nothing lost), a version-1 @out not beyond its size.
 */
TEST_F(api, wcache_versions)
{
	struct zcblk_dev_info out = { .size = sizeof(out) }, v3;
	struct zcblk_dev_stats st = { .size = sizeof(st) }, st1;
	struct zcblk_ctx *ctx = self->env.ctx;
	struct zcblk_dev_params p = { .size = sizeof(p) }, old;
	size_t i;
	int ret;

	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE | ZCBLK_PARAM_INDEX |
		ZCBLK_PARAM_WRITE_CACHE;
	strcpy(p.backend, "mem");
	p.disk_size = 16 * MiB;
	p.index = WCACHE_INDEX;
	p.write_cache = MiB;

	old = p;
	old.size = ZCBLK_DEV_PARAMS_SIZE_VER2;
	EXPECT_EQ(-EINVAL, zcblk_dev_add(ctx, &old, NULL));
	EXPECT_STREQ("zcblk_dev_params: size too small for its version 3 fields",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-ENODEV, zcblk_dev_get(ctx, p.index, &out));

	api_add(_metadata, &self->env, &p, &out, ", write cache");
	EXPECT_EQ(MiB, out.write_cache);
	EXPECT_EQ(ZCBLK_POWER_STATE_ON, out.power);

	fill_info(&v3, 0x5a);
	v3.size = ZCBLK_DEV_INFO_SIZE_VER3;
	ASSERT_EQ(0, zcblk_dev_get(ctx, p.index, &v3));
	EXPECT_EQ(ZCBLK_DEV_INFO_SIZE_VER3, v3.size);
	EXPECT_EQ(ZCBLK_POWER_STATE_ON, v3.power);
	for (i = ZCBLK_DEV_INFO_SIZE_VER3; i < sizeof(v3); i++) {
		ASSERT_EQ(0x5a, ((unsigned char *)&v3)[i]) {
			TH_LOG("byte %zu of a version-3 info written", i);
		}
	}

	ret = zcblk_dev_power(ctx, p.index, ZCBLK_POWER_STATE_CUT,
			      ZCBLK_CUT_MODE_TORN, 7);
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_dev_power cut: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(ctx));
	}
	ASSERT_EQ(0, zcblk_dev_get(ctx, p.index, &out));
	EXPECT_EQ(ZCBLK_POWER_STATE_CUT, out.power);
	EXPECT_EQ(MiB, out.write_cache);
	EXPECT_EQ(0, zcblk_dev_power(ctx, p.index, ZCBLK_POWER_STATE_CUT, 0, 0));

	EXPECT_EQ(-EINVAL, zcblk_dev_power(ctx, p.index, ZCBLK_POWER_STATE_ON,
					   ZCBLK_CUT_MODE_DROP, 0));
	EXPECT_STREQ("cut-mode, cut-seed: only with power cut",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-EINVAL, zcblk_dev_power(ctx, p.index, ZCBLK_POWER_STATE_ON,
					   0, 1));
	EXPECT_STREQ("cut-mode, cut-seed: only with power cut",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-ERANGE, zcblk_dev_power(ctx, p.index,
					   ZCBLK_POWER_STATE_CUT + 1, 0, 0));
	EXPECT_EQ(-ERANGE, zcblk_dev_power(ctx, p.index, ZCBLK_POWER_STATE_CUT,
					   ZCBLK_CUT_MODE_TORN + 1, 0));
	ASSERT_EQ(0, zcblk_dev_get(ctx, p.index, &out));
	EXPECT_EQ(ZCBLK_POWER_STATE_CUT, out.power);

	ret = zcblk_dev_power(ctx, p.index, ZCBLK_POWER_STATE_ON, 0, 0);
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_dev_power on: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(ctx));
	}
	ASSERT_EQ(0, zcblk_dev_get(ctx, p.index, &out));
	EXPECT_EQ(ZCBLK_POWER_STATE_ON, out.power);
	EXPECT_EQ(0, zcblk_dev_power(ctx, p.index, ZCBLK_POWER_STATE_ON, 0, 0));
	EXPECT_EQ(-ENODEV, zcblk_dev_power(ctx, p.index + 1,
					   ZCBLK_POWER_STATE_ON, 0, 0));
	EXPECT_EQ(-EINVAL, zcblk_dev_power(NULL, p.index,
					   ZCBLK_POWER_STATE_ON, 0, 0));

	ASSERT_EQ(0, zcblk_dev_stats(ctx, p.index, &st));
	EXPECT_EQ(sizeof(st), st.size);
	EXPECT_EQ(0, st.cache_dirty_bytes);
	EXPECT_EQ(0, st.cut_lost_writes);
	EXPECT_EQ(0, st.cut_lost_blocks);
	memset(&st1, 0x5a, sizeof(st1));
	st1.size = ZCBLK_DEV_STATS_SIZE_VER1;
	ASSERT_EQ(0, zcblk_dev_stats(ctx, p.index, &st1));
	EXPECT_EQ(ZCBLK_DEV_STATS_SIZE_VER1, st1.size);
	for (i = ZCBLK_DEV_STATS_SIZE_VER1; i < sizeof(st1); i++) {
		ASSERT_EQ(0x5a, ((unsigned char *)&st1)[i]) {
			TH_LOG("byte %zu of a version-1 stats written", i);
		}
	}
	ASSERT_EQ(0, pt_disk_del(&self->env, p.index));
}

/* ----------------------------------------------- flexible data placement */

/*
 * An FDP disk through version 4 of struct zcblk_dev_params: with the fdp
 * flag alone, DEV_ADD's reply and DEV_GET report the kernel's defaults
 * (64 MiB reclaim units, 8 reclaim unit handles initially isolated, 1
 * reclaim group, 8 placement handles); with every field, those.  A
 * version-3 @params with an fdp bit is refused by the library (-EINVAL,
 * no disk); a version-5 @out gets no byte past its size.  The kernel's
 * refusals, each with its message and no disk: an fdp field without the
 * flag (-EINVAL, naming the first one sent), with the zoned flag, a
 * reclaim unit size of 0 or not a multiple of the block size, more
 * placement handles than reclaim unit handles (-EINVAL), a handle type of
 * 3 (-ERANGE).  A disk without the flag reports no fdp field.
 */
TEST_F(api, fdp_versions)
{
	struct zcblk_dev_info out = { .size = sizeof(out) }, got;
	struct zcblk_ctx *ctx = self->env.ctx;
	struct zcblk_dev_params p = { .size = sizeof(p) }, q, old;
	size_t i;
	int ret;

	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE | ZCBLK_PARAM_INDEX |
		ZCBLK_PARAM_FLAGS;
	strcpy(p.backend, "mem");
	p.disk_size = 16 * MiB;
	p.index = FDP_INDEX;
	p.flags = ZCBLK_DEV_F_FDP;

	/* The flag alone: the kernel's defaults. */
	api_add(_metadata, &self->env, &p, &out, ", fdp");
	fill_info(&got, 0x5a);
	ASSERT_EQ(0, zcblk_dev_get(ctx, p.index, &got));
	for (i = 0; i < 2; i++) {
		const struct zcblk_dev_info *x = i ? &got : &out;

		EXPECT_EQ(ZCBLK_DEV_F_FDP, x->flags);
		EXPECT_EQ(64 * MiB, x->fdp_ru_size);
		EXPECT_EQ(8, x->fdp_nruh);
		EXPECT_EQ(1, x->fdp_nrg);
		EXPECT_EQ(8, x->fdp_nph);
		EXPECT_EQ(1, x->fdp_ruh_type);
	}

	expect_old_info(_metadata, ctx, p.index, ZCBLK_DEV_INFO_SIZE_VER5,
			ZCBLK_DEV_F_FDP);
	ASSERT_EQ(0, pt_disk_del(&self->env, p.index));

	/* Every field. */
	p.set |= ZCBLK_PARAM_FDP_RU_SIZE | ZCBLK_PARAM_FDP_NRUH |
		 ZCBLK_PARAM_FDP_NRG | ZCBLK_PARAM_FDP_NPH |
		 ZCBLK_PARAM_FDP_RUH_TYPE;
	p.fdp_ru_size = MiB;
	p.fdp_nruh = 4;
	p.fdp_nrg = 2;
	p.fdp_nph = 3;
	p.fdp_ruh_type = 2;

	/* A version-3 caller has no fdp fields: an fdp bit is refused. */
	old = p;
	old.size = ZCBLK_DEV_PARAMS_SIZE_VER3;
	EXPECT_EQ(-EINVAL, zcblk_dev_add(ctx, &old, NULL));
	EXPECT_STREQ("zcblk_dev_params: size too small for its version 4 fields",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-ENODEV, zcblk_dev_get(ctx, p.index, &got));

	api_add(_metadata, &self->env, &p, &out, ", fdp fields");
	fill_info(&got, 0x5a);
	ASSERT_EQ(0, zcblk_dev_get(ctx, p.index, &got));
	for (i = 0; i < 2; i++) {
		const struct zcblk_dev_info *x = i ? &got : &out;

		EXPECT_EQ(ZCBLK_DEV_F_FDP, x->flags);
		EXPECT_EQ(MiB, x->fdp_ru_size);
		EXPECT_EQ(4, x->fdp_nruh);
		EXPECT_EQ(2, x->fdp_nrg);
		EXPECT_EQ(3, x->fdp_nph);
		EXPECT_EQ(2, x->fdp_ruh_type);
	}
	ASSERT_EQ(0, pt_disk_del(&self->env, p.index));

	/* Refused by the kernel: no disk. */
	q = p;
	q.flags = 0;
	q.set &= ~ZCBLK_PARAM_FDP_RU_SIZE;
	EXPECT_EQ(-EINVAL, zcblk_dev_add(ctx, &q, NULL));
	EXPECT_STREQ("fdp-nruh: needs the fdp flag", zcblk_ctx_errmsg(ctx));
	q.set &= ~(ZCBLK_PARAM_FDP_NRUH | ZCBLK_PARAM_FDP_NRG |
		   ZCBLK_PARAM_FDP_NPH);
	EXPECT_EQ(-EINVAL, zcblk_dev_add(ctx, &q, NULL));
	EXPECT_STREQ("fdp-ruh-type: needs the fdp flag", zcblk_ctx_errmsg(ctx));

	q = p;
	q.flags |= ZCBLK_DEV_F_ZONED;
	q.disk_size = 128 * MiB;
	EXPECT_EQ(-EINVAL, zcblk_dev_add(ctx, &q, NULL));
	EXPECT_STREQ("flags: fdp and zoned do not go together",
		     zcblk_ctx_errmsg(ctx));

	q = p;
	q.fdp_ru_size = 0;
	EXPECT_EQ(-EINVAL, zcblk_dev_add(ctx, &q, NULL));
	EXPECT_STREQ("fdp-ru-size: a multiple of block-size",
		     zcblk_ctx_errmsg(ctx));
	q.fdp_ru_size = MiB + 512;
	q.set |= ZCBLK_PARAM_BLOCK_SIZE;
	q.block_size = 4096;
	EXPECT_EQ(-EINVAL, zcblk_dev_add(ctx, &q, NULL));
	EXPECT_STREQ("fdp-ru-size: a multiple of block-size",
		     zcblk_ctx_errmsg(ctx));

	q = p;
	q.fdp_nph = 5;
	EXPECT_EQ(-EINVAL, zcblk_dev_add(ctx, &q, NULL));
	EXPECT_STREQ("fdp-nph: more placement handles than reclaim unit handles",
		     zcblk_ctx_errmsg(ctx));

	q = p;
	q.fdp_ruh_type = 3;
	EXPECT_EQ(-ERANGE, zcblk_dev_add(ctx, &q, NULL));
	EXPECT_STREQ("fdp-ruh-type: integer out of range (valid: 1..2)",
		     zcblk_ctx_errmsg(ctx));
	EXPECT_EQ(-ENODEV, zcblk_dev_get(ctx, p.index, &got));

	/* Without the flag: no fdp field. */
	q = p;
	q.flags = 0;
	q.set &= ~(ZCBLK_PARAM_FLAGS | ZCBLK_PARAM_FDP_RU_SIZE |
		   ZCBLK_PARAM_FDP_NRUH | ZCBLK_PARAM_FDP_NRG |
		   ZCBLK_PARAM_FDP_NPH | ZCBLK_PARAM_FDP_RUH_TYPE);
	ret = zcblk_dev_add(ctx, &q, &out);
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_dev_add, no fdp: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(ctx));
	}
	self->env.idx[self->env.n++] = q.index;
	fill_info(&got, 0x5a);
	ASSERT_EQ(0, zcblk_dev_get(ctx, q.index, &got));
	EXPECT_EQ(0, got.flags);
	EXPECT_EQ(0, got.fdp_ru_size);
	EXPECT_EQ(0, got.fdp_nruh);
	EXPECT_EQ(0, got.fdp_nrg);
	EXPECT_EQ(0, got.fdp_nph);
	EXPECT_EQ(0, got.fdp_ruh_type);
	ASSERT_EQ(0, pt_disk_del(&self->env, q.index));
}

static int count_cb(const struct zcblk_dev_info *info, void *arg)
{
	(void)info;
	(*(int *)arg)++;
	return 0;
}

/*
 * A dump whose NLMSG_DONE says it was interrupted is retried, then given
 * up with -EAGAIN, its disks never handed to the callback. The library
 * once looked for the flag only on the disks' messages, and returned such
 * a dump, which may show disks that never existed together.
 */
TEST_F(api, dump_intr_on_done)
{
	struct zcblk_dev_params p = {
		.size = sizeof(p), .set = ZCBLK_PARAM_BACKEND |
		ZCBLK_PARAM_SIZE | ZCBLK_PARAM_INDEX, .backend = "null",
		.disk_size = 4 * MiB, .index = TORN_INDEX,
	};
	int seen = 0, ret;

	api_add(_metadata, &self->env, &p, NULL, "");
	flag_done = 1;
	ret = zcblk_dev_list(self->env.ctx, count_cb, &seen);
	flag_done = 0;
	EXPECT_EQ(-EAGAIN, ret) {
		TH_LOG("zcblk_dev_list: %s", ret ? strerror(-ret) : "success");
	}
	EXPECT_EQ(0, seen);
	EXPECT_NE(NULL, strstr(zcblk_ctx_errmsg(self->env.ctx),
			       "kept changing"));
	seen = 0;
	/* Unflagged, the same dump goes through */
	EXPECT_EQ(0, zcblk_dev_list(self->env.ctx, count_cb, &seen));
	EXPECT_LE(1, seen);
}

TEST_HARNESS_MAIN
