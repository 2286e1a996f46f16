// SPDX-License-Identifier: GPL-2.0
/*
 * Error injection's effects, command by command (backends.rst "Fault
 * injection", zcblkctl set --fail-every/--fail-ppm/--fail-ops/
 * --fail-status): which commands fail and with exactly which status, on
 * the char device and the block device; that a failed command is not run
 * (the data stays); the "injected" counter; --fail-ppm 1000000 failing
 * every matching command and a ppm in between failing some (a bound ten
 * standard deviations wide: it cannot flake); setting one of
 * --fail-every and --fail-ppm clearing the other; and injected errors not
 * being counted as media errors (SMART, Get Log Page 02h), which count
 * backend failures only (pt_file.c has those).
 *
 * The teardown checks /proc/vmstat's FOLL_PIN balance and the kernel log.
 * One mem disk of 16 MiB with 4096-byte blocks.
 */
#include "pt_common.h"

#define NB		4		/* blocks per command */
#define SC_INTERNAL	0x6		/* the default fail_status */
#define SC_READ_ERROR	0x281		/* Unrecovered Read Error */
#define SMART_MEDIA_ERR	160		/* SMART log: Media and Data Integrity Errors */

FIXTURE(inj) {
	struct pt_env env;
	struct pt_disk d;
};

FIXTURE_SETUP(inj)
{
	struct pt_disk_cfg cfg = { .size = 16 * PT_MiB, .bs = 4096 };

	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
}

FIXTURE_TEARDOWN_PARENT(inj)
{
	pt_env_teardown(_metadata, &self->env);
}

/* The test process's state. */
struct it {
	int cfd, bfd;
	char *buf;		/* commands' buffers, 1 MiB */
	char *blk;		/* block device side, 1 MiB */
	__u32 tag;
};

static void it_init(struct __test_metadata *_metadata, struct it *t,
		    FIXTURE_DATA(inj) *self)
{
	t->tag = 0;
	pt_open(_metadata, &self->d, &t->cfd, &t->bfd);
	t->buf = pt_map(PT_MiB);
	t->blk = pt_map(PT_MiB);
	ASSERT_TRUE(t->buf && t->blk);
}

static void it_fini(struct it *t)
{
	close(t->cfd);
	close(t->bfd);
	munmap(t->buf, PT_MiB);
	munmap(t->blk, PT_MiB);
}

/* DEV_SET of the injection fields; the disk as DEV_SET reports it. */
static void inject(struct __test_metadata *_metadata,
		   FIXTURE_DATA(inj) *self, __u64 set, __u32 every,
		   __u32 ppm, __u32 status, __u32 ops,
		   struct zcblk_dev_info *out)
{
	struct zcblk_dev_settings s = { .size = sizeof(s) };
	struct zcblk_dev_info info = { .size = sizeof(info) };
	int ret;

	s.set = set;
	s.fail_every = every;
	s.fail_ppm = ppm;
	s.fail_status = status;
	s.fail_ops = ops;
	ret = zcblk_dev_set(self->env.ctx, self->d.index, &s, &info);
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_dev_set: %s: %s", strerror(-ret),
		       zcblk_ctx_errmsg(self->env.ctx));
	}
	if (out)
		*out = info;
}

static __u64 injected(struct __test_metadata *_metadata,
		      FIXTURE_DATA(inj) *self, __u64 *errors)
{
	struct zcblk_dev_stats st;

	EXPECT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
	if (errors)
		*errors = st.errors;
	return st.injected;
}

/* Writes [slba, slba + NB) with write number ++tag through the block device. */
static void put(struct __test_metadata *_metadata, struct it *t, __u64 slba)
{
	pt_fill(t->blk, 4096, slba, NB, ++t->tag);
	ASSERT_EQ(0, pt_blk_rw(t->bfd, true, t->blk, slba * 4096,
			       NB * 4096));
}

/* [slba, slba + NB) must still hold write @tag (read through the block device). */
static bool kept(struct __test_metadata *_metadata, struct it *t, __u64 slba,
		 __u32 tag, const char *what)
{
	memset(t->blk, 0x5a, NB * 4096);
	if (pt_blk_rw(t->bfd, false, t->blk, slba * 4096, NB * 4096))
		return false;
	return pt_verify(_metadata, t->blk, 4096, slba, NB, tag, what);
}

/*
 * One passthrough command of each injection class and Flush, through
 * NVME_IOCTL_IO_CMD and uring_cmd, on LBAs 8..11, which hold write t->tag
 * (put() before the injection): the reads class (Read, Compare) must end
 * with @rd, the writes class (Write, Write Zeroes, DSM deallocate) with
 * @wr; Flush always succeeds. Failed writes must not have run. Returns
 * the number of commands that failed.
 */
static int classes(struct __test_metadata *_metadata, struct it *t,
		   int rd, int wr)
{
	struct pt_dsm_range *r = (struct pt_dsm_range *)(t->buf + 512 * PT_KiB);
	struct nvme_uring_cmd c;
	struct pt_q q;
	int res, via, failed = 0;

	ASSERT_EQ(0, pt_q_init(&q, t->cfd, 8, PT_RING_FLAGS));
	for (via = 0; via < 2; via++) {
		const char *how = via ? "uring_cmd" : "NVME_IOCTL_IO_CMD";
		__u32 tag = t->tag;

#define RUN(cmd, want, what) do {					\
		res = via ? pt_q_cmd(&q, NVME_URING_CMD_IO, &(cmd), -1, NULL) :\
			    pt_passthru(t->cfd, NVME_IOCTL_IO_CMD, &(cmd), NULL);\
		EXPECT_EQ((want), res) {					\
			TH_LOG("%s through %s: %s, want %s", what, how,	\
			       pt_res_str(res), pt_res_str(want));	\
		}							\
		failed += res != 0;					\
	} while (0)

		memset(t->buf, 0xa5, NB * 4096);
		c = pt_rw(PT_OP_READ, 8, NB, t->buf, NB * 4096);
		RUN(c, rd, "Read");
		if (!rd)
			EXPECT_TRUE(pt_verify(_metadata, t->buf, 4096, 8, NB,
					      tag, "Read"));
		pt_fill(t->buf, 4096, 8, NB, tag);
		c = pt_rw(PT_OP_COMPARE, 8, NB, t->buf, NB * 4096);
		RUN(c, rd, "Compare of equal data");

		pt_fill(t->buf, 4096, 8, NB, tag + 1000);
		c = pt_rw(PT_OP_WRITE, 8, NB, t->buf, NB * 4096);
		RUN(c, wr, "Write");
		c = pt_rw(PT_OP_WRITE_ZEROES, 8, NB, NULL, 0);
		RUN(c, wr, "Write Zeroes");
		r[0] = (struct pt_dsm_range){ .nlb = NB, .slba = 8 };
		c = pt_admin(PT_OP_DSM, PT_NSID, 0, PT_DSM_AD, r, sizeof(*r));
		RUN(c, wr, "DSM deallocate");
		if (wr && !rd)	/* none of them ran */
			EXPECT_TRUE(kept(_metadata, t, 8, tag,
					 "data after failed writes"));
		if (!wr)	/* they ran: the data again */
			put(_metadata, t, 8);

		c = (struct nvme_uring_cmd){ .opcode = PT_OP_FLUSH,
					     .nsid = PT_NSID };
		RUN(c, 0, "Flush");
#undef RUN
	}
	pt_q_exit(&q);
	return failed;
}

/* --fail-ops writes --fail-every 1: reads succeed, writes fail with 0x6. */
TEST_F(inj, writes_only)
{
	struct it t;
	__u64 errors;
	int failed;

	it_init(_metadata, &t, self);
	put(_metadata, &t, 8);
	inject(_metadata, self, ZCBLK_SET_FAIL_EVERY | ZCBLK_SET_FAIL_OPS, 1,
	       0, 0, ZCBLK_FAIL_OPS_WRITES, NULL);
	failed = classes(_metadata, &t, 0, SC_INTERNAL);
	EXPECT_EQ(6, failed);
	EXPECT_EQ(6, injected(_metadata, self, NULL));

	/* The block device: reads succeed, writes fail with EIO */
	pt_fill(t.blk, 4096, 100, NB, 77);
	EXPECT_EQ(-EIO, pt_blk_rw(t.bfd, true, t.blk, 100 * 4096, NB * 4096));
	EXPECT_EQ(0, pt_blk_rw(t.bfd, false, t.blk, 100 * 4096, NB * 4096));
	EXPECT_TRUE(pt_all_bytes(t.blk, NB * 4096, 0)) {
		TH_LOG("a block write that failed by injection wrote data");
	}
	EXPECT_EQ(7, injected(_metadata, self, &errors));
	/* Not a media error on the block path either: it never ran. */
	EXPECT_EQ(0, errors);

	inject(_metadata, self, ZCBLK_SET_FAIL_EVERY, 0, 0, 0, 0, NULL);
	EXPECT_EQ(0, classes(_metadata, &t, 0, 0));
	EXPECT_EQ(7, injected(_metadata, self, NULL));
	it_fini(&t);
}

/* --fail-ops reads: the other way round, status 0x281 (ENODATA). */
TEST_F(inj, reads_only)
{
	struct it t;
	int failed;

	it_init(_metadata, &t, self);
	put(_metadata, &t, 8);
	inject(_metadata, self, ZCBLK_SET_FAIL_EVERY | ZCBLK_SET_FAIL_OPS |
	       ZCBLK_SET_FAIL_STATUS, 1, 0, SC_READ_ERROR,
	       ZCBLK_FAIL_OPS_READS, NULL);
	failed = classes(_metadata, &t, SC_READ_ERROR, 0);
	EXPECT_EQ(4, failed);
	EXPECT_EQ(4, injected(_metadata, self, NULL));
	EXPECT_EQ(-ENODATA, pt_blk_rw(t.bfd, false, t.blk, 0, NB * 4096));
	put(_metadata, &t, 100);
	EXPECT_EQ(5, injected(_metadata, self, NULL));
	it_fini(&t);
}

/*
 * The block device's errno for each class of injected status, as the
 * NVMe driver's nvme_error_status() maps them (DNR ignored): capacity
 * exceeded ENOSPC, LBA out of range EREMOTEIO, an invalid field
 * EOPNOTSUPP, a media error ENODATA, a PI check EILSEQ, a path error
 * ENOLINK, anything else EIO.
 */
TEST_F(inj, block_errno)
{
	static const struct { __u32 status; int err; } map[] = {
		{ 0x81, -ENOSPC },	/* Capacity Exceeded */
		{ 0x80, -EREMOTEIO },	/* LBA Out of Range */
		{ 0x4080, -EREMOTEIO },	/* the same, DNR set */
		{ 0x21, -EREMOTEIO },	/* Command Interrupted */
		{ 0x82, -EREMOTEIO },	/* Namespace Not Ready */
		{ 0x180, -EOPNOTSUPP },	/* Conflicting Attributes */
		{ 0x1, -EOPNOTSUPP },	/* Invalid Opcode */
		{ 0x2, -EOPNOTSUPP },	/* Invalid Field */
		{ 0xb, -EOPNOTSUPP },	/* Invalid Namespace */
		{ 0x280, -ENODATA },	/* Write Fault */
		{ 0x281, -ENODATA },	/* Unrecovered Read Error */
		{ 0x287, -ENODATA },	/* Deallocated or Unwritten */
		{ 0x286, -ENODATA },	/* Access Denied */
		{ 0x182, -ENODATA },	/* Write to Read Only Range */
		{ 0x285, -ENODATA },	/* Compare Failure */
		{ 0x282, -EILSEQ },	/* Guard Check Error */
		{ 0x283, -EILSEQ },	/* Application Tag Check Error */
		{ 0x284, -EILSEQ },	/* Reference Tag Check Error */
		{ 0x181, -EILSEQ },	/* Invalid Protection Information */
		{ 0x370, -ENOLINK },	/* Internal Path Error */
		{ 0x6, -EIO },		/* Internal Error */
		{ 0x4, -EIO },		/* Data Transfer Error */
		{ 0x20, -EIO },		/* Namespace is Write Protected */
	};
	unsigned int i;
	struct it t;

	it_init(_metadata, &t, self);
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		inject(_metadata, self, ZCBLK_SET_FAIL_EVERY |
		       ZCBLK_SET_FAIL_OPS | ZCBLK_SET_FAIL_STATUS, 1, 0,
		       map[i].status, ZCBLK_FAIL_OPS_ALL, NULL);
		EXPECT_EQ(map[i].err, pt_blk_rw(t.bfd, false, t.blk, 0,
						NB * 4096)) {
			TH_LOG("status 0x%x", map[i].status);
		}
	}
	EXPECT_EQ(i, injected(_metadata, self, NULL));
	inject(_metadata, self, ZCBLK_SET_FAIL_EVERY, 0, 0, 0, 0, NULL);
	EXPECT_EQ(0, pt_blk_rw(t.bfd, false, t.blk, 0, NB * 4096));
	it_fini(&t);
}

/*
 * --fail-ppm 1000000: every matching command fails, with the chosen
 * status; Flush (no class) does not. Injected errors are no media errors.
 */
TEST_F(inj, ppm_all)
{
	struct zcblk_dev_info info;
	unsigned char *smart;
	struct nvme_uring_cmd c;
	__u64 errors;
	struct it t;
	int i, res;

	it_init(_metadata, &t, self);
	put(_metadata, &t, 8);
	/* Setting fail_ppm clears fail_every */
	inject(_metadata, self, ZCBLK_SET_FAIL_EVERY, 1000, 0, 0, 0, &info);
	EXPECT_EQ(1000, info.fail_every);
	inject(_metadata, self, ZCBLK_SET_FAIL_PPM | ZCBLK_SET_FAIL_STATUS |
	       ZCBLK_SET_FAIL_OPS, 0, 1000000, SC_READ_ERROR,
	       ZCBLK_FAIL_OPS_ALL, &info);
	EXPECT_EQ(0, info.fail_every);
	EXPECT_EQ(1000000, info.fail_ppm);

	EXPECT_EQ(10, classes(_metadata, &t, SC_READ_ERROR, SC_READ_ERROR));
	for (i = 0; i < 50; i++) {
		c = pt_rw(i & 1 ? PT_OP_WRITE : PT_OP_READ, (__u64)i * NB, NB,
			  t.buf, NB * 4096);
		res = pt_passthru(t.cfd, NVME_IOCTL_IO_CMD, &c, NULL);
		EXPECT_EQ(SC_READ_ERROR, res) {
			TH_LOG("command %d of 50 at fail_ppm 1000000: %s", i,
			       pt_res_str(res));
		}
	}
	EXPECT_EQ(60, injected(_metadata, self, &errors));

	/* SMART: injected failures are not media errors (none ran) */
	smart = (unsigned char *)t.buf + 768 * PT_KiB;
	memset(smart, 0xff, 512);
	c = pt_get_log(0xffffffff, 0x02, smart, 512);
	res = pt_passthru(t.cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Get Log Page SMART: %s", pt_res_str(res));
	}
	EXPECT_EQ(0, errors);
	EXPECT_EQ(0, pt_le64(smart + SMART_MEDIA_ERR));
	EXPECT_EQ(0, pt_le64(smart + SMART_MEDIA_ERR + 8));

	/* Setting fail_every clears fail_ppm */
	inject(_metadata, self, ZCBLK_SET_FAIL_EVERY, 1000, 0, 0, 0, &info);
	EXPECT_EQ(1000, info.fail_every);
	EXPECT_EQ(0, info.fail_ppm);
	it_fini(&t);
}

/*
 * --fail-ppm 500000 over 400 Reads: each fails with the status or
 * succeeds, about half fail. The count is Binomial(400, 1/2): mean 200,
 * standard deviation 10; [100, 300] is ten of them either way (a chance
 * below 1e-20 of a false alarm). The injected counter counts them exactly.
 */
TEST_F_TIMEOUT(inj, ppm_half, 120)
{
	const int n = 400;
	struct nvme_uring_cmd c;
	int i, res, failed = 0, other = 0;
	__u64 inj0;
	struct it t;

	it_init(_metadata, &t, self);
	put(_metadata, &t, 0);
	inj0 = injected(_metadata, self, NULL);
	inject(_metadata, self, ZCBLK_SET_FAIL_PPM | ZCBLK_SET_FAIL_OPS, 0,
	       500000, 0, ZCBLK_FAIL_OPS_ALL, NULL);
	for (i = 0; i < n; i++) {
		c = pt_rw(PT_OP_READ, 0, 1, t.buf, 4096);
		res = pt_passthru(t.cfd, NVME_IOCTL_IO_CMD, &c, NULL);
		if (res == SC_INTERNAL)
			failed++;
		else if (res && other++ < 4)
			TH_LOG("Read %d: %s, want success or 0x6", i,
			       pt_res_str(res));
	}
	ksft_print_msg("fail_ppm 500000: %d of %d Reads failed\n", failed, n);
	EXPECT_EQ(0, other);
	EXPECT_LE(100, failed);
	EXPECT_GE(300, failed);
	EXPECT_EQ((__u64)failed, injected(_metadata, self, NULL) - inj0);

	/* Off again: none fails */
	inject(_metadata, self, ZCBLK_SET_FAIL_PPM, 0, 0, 0, 0, NULL);
	for (i = 0; i < 20; i++) {
		c = pt_rw(PT_OP_READ, 0, 1, t.buf, 4096);
		res = pt_passthru(t.cfd, NVME_IOCTL_IO_CMD, &c, NULL);
		EXPECT_EQ(0, res);
	}
	it_fini(&t);
}

TEST_HARNESS_MAIN
