// SPDX-License-Identifier: GPL-2.0
/*
 * fault_inject_cmds: fault_inject's method (fault_inject.h) on what it
 * does not issue: the commands of the command sets (DSM, Copy on a null
 * disk, FDP's RUH Update, event log and placed writes, a PI write with
 * PRACT, the first write of a block of a metadata or a zoned disk, Zone
 * Append and writes at the write pointer, a file disk's writes,
 * corrupt-lba on a block never written) and DEV_ADD of the disks that
 * take their own paths (no block device, zoned, FDP, a file disk with its
 * .bad list).
 *
 * An allocation queue_rq makes without sleeping sends the command to the
 * disk's workqueue, which fail-nth does not reach, so most commands here
 * must succeed whatever failed; one that fails does so with an allocation
 * errno or an I/O error, and leaves the blocks it covered whole, old or
 * new. A DEV_ADD fails cleanly or makes the disk, and stops being tried at
 * the first allocation of add_disk(): from there on fault_inject's own
 * DEV_ADD covers it. Leaks are kmemleak.sh's to find (fault_inject.sh runs
 * it after both programs), splats run_tests.sh's.
 */
#include "fault_inject.h"
#include "pt_common.h"

#define BUF_LEN		(1024 * 1024)
#define PRACT		(1U << 29)
#define PRCHK_GUARD	(1U << 28)
#define PRCHK_REF	(1U << 26)
#define OP_ZAPPEND	0x7d
#define OP_MGMT_RECV	0x12
#define OP_MGMT_SEND	0x1d
#define DTYPE_PLACE	(2U << 20)

FIXTURE(fic) {
	struct pt_env env;
	char *buf, *rd, *md;
};

FIXTURE_SETUP(fic)
{
	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	if (fi_enable(_metadata))
		SKIP(return, "no fail-nth, failslab or fail_page_alloc (CONFIG_FAULT_INJECTION...)");
	self->buf = pt_map(BUF_LEN);
	self->rd = pt_map(BUF_LEN);
	self->md = pt_map(BUF_LEN);
	ASSERT_NE(NULL, self->buf);
	ASSERT_NE(NULL, self->rd);
	ASSERT_NE(NULL, self->md);
}

FIXTURE_TEARDOWN_PARENT(fic)
{
	if (nth_fd >= 0)
		nth_set(0);
	pt_env_teardown(_metadata, &self->env);
}

/* What a failed command may end with: an allocation or an I/O error. */
static bool io_failure(int ret)
{
	return alloc_errno(ret) || ret == -EIO || ret == 0x6;
}

static int rw(int fd, __u8 op, __u64 slba, __u32 nlb, void *buf, __u32 bs)
{
	struct nvme_uring_cmd c = pt_rw(op, slba, nlb, buf, nlb * bs);

	return pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL);
}

/* A disk of @cfg, its char device opened into *@fd (and *@d, if given). */
static void disk(struct __test_metadata *_metadata, FIXTURE_DATA(fic) *self,
		 const struct pt_disk_cfg *cfg, int *fd, struct pt_disk *d)
{
	struct pt_disk one;

	if (!d)
		d = &one;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, cfg, d));
	pt_open(_metadata, d, fd, NULL);
}

/*
 * DSM deallocating two ranges of written blocks: they read as zeros after
 * a success, each as written or as zeros after a failure.
 */
TEST_F_TIMEOUT(fic, dsm, 300)
{
	struct pt_disk_cfg cfg = { .size = 16 * PT_MiB, .bs = 4096 };
	struct pt_dsm_range *r = (struct pt_dsm_range *)self->md;
	struct nvme_uring_cmd c;
	unsigned int i;
	int fd;

	disk(_metadata, self, &cfg, &fd, NULL);
	r[0] = (struct pt_dsm_range){ .nlb = 8, .slba = 16 };
	r[1] = (struct pt_dsm_range){ .nlb = 8, .slba = 64 };
	c = pt_admin(PT_OP_DSM, PT_NSID, 1, PT_DSM_AD, r, 2 * sizeof(*r));
	FAIL_EACH(({ for (i = 0; i < 2; i++) {
			pt_fill(self->buf, 4096, r[i].slba, 8, 1);
			ASSERT_EQ(0, rw(fd, PT_OP_WRITE, r[i].slba, 8,
					self->buf, 4096));
		     } }),
		  pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL), ({
		EXPECT_TRUE(!ret || io_failure(ret)) {
			TH_LOG("DSM, fault %u: %s", __n, pt_res_str(ret));
		}
		for (i = 0; i < 16; i++) {
			__u64 lba = r[i / 8].slba + i % 8;

			ASSERT_EQ(0, rw(fd, PT_OP_READ, lba, 1, self->rd,
					4096));
			pt_fill_block(self->buf, 4096, lba, 1);
			if (ret && !memcmp(self->rd, self->buf, 4096))
				continue;
			EXPECT_TRUE(pt_all_bytes(self->rd, 4096, 0)) {
				TH_LOG("DSM, fault %u (%s): LBA %llu neither deallocated nor as written",
				       __n, pt_res_str(ret), lba);
			}
		}
	}));
	close(fd);
}

/* Copy on a null disk: nothing to move, the range list still read. */
TEST_F_TIMEOUT(fic, copy_null, 300)
{
	struct pt_disk_cfg cfg = { .backend = "null", .size = 16 * PT_MiB,
				   .bs = 4096 };
	struct pt_copy_range *r = (struct pt_copy_range *)self->md;
	struct nvme_uring_cmd c;
	int fd;

	disk(_metadata, self, &cfg, &fd, NULL);
	r[0] = pt_copy_range(0, 8);
	r[1] = pt_copy_range(64, 8);
	c = pt_copy_cmd(1024, r, 2);
	FAIL_EACH(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL), ({
		EXPECT_TRUE(!ret || io_failure(ret)) {
			TH_LOG("Copy, fault %u: %s", __n, pt_res_str(ret));
		}
	}));
	close(fd);
}

/*
 * FDP: RUH Update of placement handle 0 and the host event log it adds
 * to; both succeed or fail with an allocation errno.
 */
TEST_F_TIMEOUT(fic, fdp, 300)
{
	struct pt_disk_cfg cfg = {
		.size = 16 * PT_MiB, .bs = 512, .flags = ZCBLK_DEV_F_FDP,
		.fdp_ru_size = 64 * PT_KiB, .fdp_nruh = 8,
	};
	__u16 *pid = (__u16 *)self->md;
	struct nvme_uring_cmd c;
	int fd;

	disk(_metadata, self, &cfg, &fd, NULL);
	*pid = 0;
	c = (struct nvme_uring_cmd){
		.opcode = OP_MGMT_SEND, .nsid = PT_NSID, .cdw10 = 1,
		.addr = (uintptr_t)pid, .data_len = 2,
	};
	FAIL_EACH(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL), ({
		EXPECT_TRUE(!ret || alloc_errno(ret)) {
			TH_LOG("RUH Update, fault %u: %s", __n,
			       pt_res_str(ret));
		}
	}));
	/* FDP Events (23h), host events, of endurance group 1 */
	c = pt_get_log(0, 0x23, self->rd, 4096);
	c.cdw10 |= 1U << 8;
	c.cdw11 |= 1U << 16;
	FAIL_EACH(memset(self->rd, 0xa5, 4096),
		  pt_passthru(fd, NVME_IOCTL_ADMIN64_CMD, &c, NULL), ({
		EXPECT_TRUE(!ret || alloc_errno(ret)) {
			TH_LOG("FDP events, fault %u: %s", __n,
			       pt_res_str(ret));
		}
		if (!ret)
			EXPECT_GT(64, pt_le32(self->rd));
	}));
	close(fd);
}

/*
 * A PI type 1 disk, 8 blocks written with PRACT to blocks never written,
 * a new place each try: after a success they read back with the guard and
 * reference tag checked; after a failure, unchecked, as written or zeros.
 */
TEST_F_TIMEOUT(fic, pi_write, 300)
{
	struct pt_disk_cfg cfg = { .size = 16 * PT_MiB, .bs = 512,
				   .metadata_size = 8, .pi_type = 1 };
	struct nvme_uring_cmd c;
	__u64 slba = 0;
	int fd;

	disk(_metadata, self, &cfg, &fd, NULL);
	FAIL_EACH(({ slba = __n * 64;
		     pt_fill(self->buf, 512, slba, 8, 1);
		     c = pt_rw(PT_OP_WRITE, slba, 8, self->buf, 8 * 512);
		     c.cdw12 |= PRACT;
		     c.cdw14 = (__u32)slba; }),
		  pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL), ({
		struct nvme_uring_cmd r = pt_rw(PT_OP_READ, slba, 8, self->rd,
						8 * 512);

		EXPECT_TRUE(!ret || io_failure(ret)) {
			TH_LOG("PI write, fault %u: %s", __n, pt_res_str(ret));
		}
		r.cdw12 |= PRACT | (ret ? 0 : PRCHK_GUARD | PRCHK_REF);
		r.cdw14 = (__u32)slba;
		EXPECT_EQ(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &r, NULL));
		/* not `continue`: FAIL_EACH's loop would skip its end */
		if (!ret || !pt_all_bytes(self->rd, 8 * 512, 0))
			EXPECT_TRUE(pt_verify(_metadata, self->rd, 512, slba,
					      8, 1, "PI read"));
	}));
	close(fd);
}

/*
 * Separate metadata without PI (a disk without block device): the first
 * write of a block, a new one each try, stores data and metadata both or,
 * failing, leaves the block never written.
 */
TEST_F_TIMEOUT(fic, md_fresh_blocks, 300)
{
	struct pt_disk_cfg cfg = { .size = 16 * PT_MiB, .bs = 512,
				   .metadata_size = 8 };
	struct nvme_uring_cmd c;
	__u64 slba = 0;
	int fd;

	disk(_metadata, self, &cfg, &fd, NULL);
	FAIL_EACH(({ slba = __n * 64;
		     pt_fill(self->buf, 512, slba, 1, 2);
		     memset(self->md, (int)__n, 8);
		     c = pt_rw(PT_OP_WRITE, slba, 1, self->buf, 512);
		     c.metadata = (uintptr_t)self->md;
		     c.metadata_len = 8; }),
		  pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL), ({
		struct nvme_uring_cmd r = pt_rw(PT_OP_READ, slba, 1, self->rd,
						512);

		EXPECT_TRUE(!ret || io_failure(ret)) {
			TH_LOG("md write, fault %u: %s", __n, pt_res_str(ret));
		}
		memset(self->md + 8, 0xa5, 8);
		r.metadata = (uintptr_t)(self->md + 8);
		r.metadata_len = 8;
		EXPECT_EQ(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &r, NULL));
		if (!ret || !pt_all_bytes(self->rd, 512, 0) ||
		    !pt_all_bytes(self->md + 8, 8, 0)) {
			EXPECT_TRUE(pt_verify(_metadata, self->rd, 512, slba,
					      1, 2, "md read"));
			EXPECT_EQ(0, memcmp(self->md, self->md + 8, 8)) {
				TH_LOG("md write, fault %u (%s): metadata not as written",
				       __n, pt_res_str(ret));
			}
		}
	}));
	close(fd);
}

/*
 * Zone Append of one block to a zoned mem disk's first zone: each success
 * reads back at the LBA it returned, the one after the success before
 * unless a failure came between (a rerun from the workqueue must not
 * place the block twice, leaving a hole).
 */
TEST_F_TIMEOUT(fic, zone_append, 300)
{
	struct pt_disk_cfg cfg = {
		.size = 16 * PT_MiB, .bs = 4096, .flags = ZCBLK_DEV_F_ZONED,
		.zone_size = PT_MiB,
	};
	unsigned int tag = 0, appended = 0;
	__u64 lba = 0, next = 0;
	struct nvme_uring_cmd c;
	bool failed = false;
	int fd;

	disk(_metadata, self, &cfg, &fd, NULL);
	FAIL_EACH(({ pt_fill(self->buf, 4096, 0, 1, ++tag);
		     c = pt_rw(OP_ZAPPEND, 0, 1, self->buf, 4096); }),
		  pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, &lba), ({
		EXPECT_TRUE(!ret || io_failure(ret)) {
			TH_LOG("append, fault %u: %s", __n, pt_res_str(ret));
		}
		failed |= ret != 0;
		if (!ret) {
			appended++;
			ASSERT_GT(256, lba);
			if (failed) {
				EXPECT_LE(next, lba);
			} else {
				EXPECT_EQ(next, lba);
			}
			next = lba + 1;
			failed = false;
			ASSERT_EQ(0, rw(fd, PT_OP_READ, lba, 1, self->rd,
					4096));
			/* pt_fill's pattern of LBA 0, where it was made */
			EXPECT_TRUE(pt_verify(_metadata, self->rd, 4096, 0, 1,
					      tag, "appended block"));
		}
	}));
	ASSERT_LT(0, appended);
	close(fd);
}

/*
 * Writes at the write pointer of a zoned mem disk's second zone, one block
 * each: a write placed, then run again from the workqueue, must not meet
 * its own advance of the write pointer (an Invalid Write); each success
 * reads back and the next goes after it.
 */
TEST_F_TIMEOUT(fic, zone_write, 300)
{
	struct pt_disk_cfg cfg = {
		.size = 16 * PT_MiB, .bs = 4096, .flags = ZCBLK_DEV_F_ZONED,
		.zone_size = PT_MiB,
	};
	__u64 wp = 256;
	struct nvme_uring_cmd c;
	int fd;

	disk(_metadata, self, &cfg, &fd, NULL);
	FAIL_EACH(({ pt_fill(self->buf, 4096, wp, 1, 4);
		     c = pt_rw(PT_OP_WRITE, wp, 1, self->buf, 4096); }),
		  pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL), ({
		EXPECT_TRUE(!ret || io_failure(ret)) {
			TH_LOG("zone write at %llu, fault %u: %s", wp, __n,
			       pt_res_str(ret));
		}
		if (!ret) {
			ASSERT_EQ(0, rw(fd, PT_OP_READ, wp, 1, self->rd,
					4096));
			EXPECT_TRUE(pt_verify(_metadata, self->rd, 4096, wp,
					      1, 4, "zone write"));
			wp++;
		}
	}));
	ASSERT_LT(256, wp);
	close(fd);
}

/*
 * A file disk's 128 KiB writes, tried in queue_rq in the submitter's
 * context (backends.rst, "Where the I/O runs"), where the backing file
 * system allocates for this task too: each block old or new after a
 * failure, whole after a success. (A 4 KiB write allocates nothing.)
 */
TEST_F_TIMEOUT(fic, file_write, 300)
{
	struct pt_disk_cfg cfg = { .size = 16 * PT_MiB, .bs = 4096 };
	char path[] = "/tmp/zcblk-fi-XXXXXX";
	const unsigned int len = 32;
	unsigned int gen = 0;
	int fd;

	pt_backing_file(_metadata, path, 16 * PT_MiB, &cfg);
	disk(_metadata, self, &cfg, &fd, NULL);
	pt_fill(self->buf, 4096, 64, len, gen);
	ASSERT_EQ(0, rw(fd, PT_OP_WRITE, 64, len, self->buf, 4096));
	FAIL_EACH(pt_fill(self->buf, 4096, 64, len, ++gen),
		  rw(fd, PT_OP_WRITE, 64, len, self->buf, 4096), ({
		unsigned int b;

		EXPECT_TRUE(!ret || io_failure(ret)) {
			TH_LOG("file write, fault %u: %s", __n,
			       pt_res_str(ret));
		}
		ASSERT_EQ(0, rw(fd, PT_OP_READ, 64, len, self->rd, 4096));
		for (b = 0; b < len; b++) {
			char *blk = self->rd + b * 4096;
			bool now, before;

			pt_fill_block(self->buf, 4096, 64 + b, gen);
			now = !memcmp(blk, self->buf, 4096);
			pt_fill_block(self->buf, 4096, 64 + b, gen - 1);
			before = !memcmp(blk, self->buf, 4096);
			EXPECT_TRUE(now || (ret && before)) {
				TH_LOG("file write %u (%s): block %u neither old nor new",
				       gen, pt_res_str(ret), b);
			}
		}
		/* the next try starts from this one's data */
		pt_fill(self->buf, 4096, 64, len, gen);
		ASSERT_EQ(0, rw(fd, PT_OP_WRITE, 64, len, self->buf, 4096));
	}));
	close(fd);
	unlink(path);
}

/* RUAMW of placement handle @ph (one reclaim group): I/O Mgmt Receive. */
static __u64 ruamw(struct __test_metadata *_metadata, int fd, __u8 *st,
		   __u32 ph)
{
	struct nvme_uring_cmd c = {
		.opcode = OP_MGMT_RECV, .nsid = PT_NSID, .cdw10 = 1,
		.cdw11 = 4096 / 4 - 1, .addr = (uintptr_t)st, .data_len = 4096,
	};

	EXPECT_EQ(0, pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL));
	EXPECT_EQ(ph, pt_le16(st + 16 + 32 * ph));
	return pt_le64(st + 16 + 32 * ph + 8);
}

/*
 * Placed writes (handle 1) of blocks never written on an FDP mem disk:
 * their reclaim unit's RUAMW falls by exactly the blocks of the writes
 * that succeeded, however often one ran again from the workqueue (a rerun
 * counted twice would take more), and each reads back.
 */
TEST_F_TIMEOUT(fic, fdp_placed_write, 300)
{
	struct pt_disk_cfg cfg = {
		.size = 16 * PT_MiB, .bs = 512, .flags = ZCBLK_DEV_F_FDP,
		.fdp_ru_size = 64 * PT_KiB, .fdp_nruh = 8,
	};
	__u64 before, slba = 0, wrote = 0;
	struct nvme_uring_cmd c;
	int fd;

	disk(_metadata, self, &cfg, &fd, NULL);
	before = ruamw(_metadata, fd, (__u8 *)self->md, 1);
	FAIL_EACH(({ slba = __n * 64;
		     pt_fill(self->buf, 512, slba, 2, 3);
		     c = pt_rw(PT_OP_WRITE, slba, 2, self->buf, 2 * 512);
		     c.cdw12 |= DTYPE_PLACE;
		     c.cdw13 = 1U << 16; }),
		  pt_passthru(fd, NVME_IOCTL_IO64_CMD, &c, NULL), ({
		EXPECT_TRUE(!ret || io_failure(ret)) {
			TH_LOG("placed write, fault %u: %s", __n,
			       pt_res_str(ret));
		}
		if (!ret) {
			wrote += 2;
			ASSERT_EQ(0, rw(fd, PT_OP_READ, slba, 2, self->rd,
					512));
			EXPECT_TRUE(pt_verify(_metadata, self->rd, 512, slba,
					      2, 3, "placed write"));
		}
	}));
	ASSERT_LT(0, wrote);
	ASSERT_GT(before, wrote);	/* no reclaim unit filled */
	EXPECT_EQ(before - wrote, ruamw(_metadata, fd, (__u8 *)self->md, 1));
	close(fd);
}

/*
 * corrupt-lba on a mem disk's block never written, a new one each try:
 * done, its first byte reads inverted (FFh over zeros); refused, it reads
 * as zeros.
 */
TEST_F_TIMEOUT(fic, corrupt_fresh_block, 300)
{
	struct pt_disk_cfg cfg = { .size = 16 * PT_MiB, .bs = 4096 };
	struct zcblk_ctx *ctx = self->env.ctx;
	struct pt_disk d;
	int fd;

	disk(_metadata, self, &cfg, &fd, &d);
	FAIL_EACH(0, zcblk_dev_corrupt(ctx, d.index, __n, 1,
				       ZCBLK_CORRUPT_DATA), ({
		EXPECT_TRUE(!ret || alloc_errno(ret)) {
			TH_LOG("corrupt, fault %u: %s (%s)", __n,
			       strerror(-ret), zcblk_ctx_errmsg(ctx));
		}
		ASSERT_EQ(0, rw(fd, PT_OP_READ, __n, 1, self->rd, 4096));
		EXPECT_EQ(ret ? 0 : 0xff, (unsigned char)self->rd[0]);
		EXPECT_TRUE(pt_all_bytes(self->rd + 1, 4095, 0));
	}));
	close(fd);
}

/*
 * DEV_ADD of @cfg with each allocation failed in turn, until one in
 * add_disk() fails the add: an error means no disk, a success one more,
 * with @bad_count bad ranges (a file disk's, loaded).
 */
static void add_each(struct __test_metadata *_metadata,
		     FIXTURE_DATA(fic) *self, const struct pt_disk_cfg *cfg,
		     __u32 bad_count, const char *what)
{
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct zcblk_ctx *ctx = self->env.ctx;
	int before = count_disks(ctx);
	struct zcblk_dev_params p;

	ASSERT_LE(0, before);
	pt_disk_params(cfg, &p);
	FAIL_UNTIL(ret && !strcmp(zcblk_ctx_errmsg(ctx), "add_disk failed"),
		   0, zcblk_dev_add(ctx, &p, &info), ({
		if (ret) {
			EXPECT_TRUE(alloc_errno(ret) ||
				    (ret == -EINVAL &&
				     !strcmp(zcblk_ctx_errmsg(ctx),
					     "add_disk failed"))) {
				TH_LOG("%s, fault %u: %s (%s)", what, __n,
				       strerror(-ret), zcblk_ctx_errmsg(ctx));
			}
			EXPECT_EQ(before, count_disks(ctx));
		} else {
			EXPECT_EQ(before + 1, count_disks(ctx));
			EXPECT_EQ(bad_count, info.bad_count);
			EXPECT_EQ(0, zcblk_dev_del(ctx, info.index));
		}
	}));
}

TEST_F_TIMEOUT(fic, add_special, 1200)
{
	struct pt_disk_cfg md = { .size = 8 * PT_MiB, .bs = 512,
				  .metadata_size = 8 };
	struct pt_disk_cfg zoned = {
		.size = 8 * PT_MiB, .bs = 4096, .flags = ZCBLK_DEV_F_ZONED,
		.zone_size = PT_MiB,
	};
	struct pt_disk_cfg fdp = {
		.size = 8 * PT_MiB, .bs = 512, .flags = ZCBLK_DEV_F_FDP,
		.fdp_ru_size = 64 * PT_KiB, .fdp_nruh = 8,
	};
	struct pt_disk_cfg file = { .size = 8 * PT_MiB, .bs = 4096 };
	char path[] = "/tmp/zcblk-fi-XXXXXX", bad[64];
	struct pt_disk d;

	/* Slab only, as fault_inject's DEV_ADD: see there. */
	ASSERT_EQ(0, put(DBG "fail_page_alloc/ignore-gfp-wait", "Y"));
	add_each(_metadata, self, &md, 0, "no block device");
	add_each(_metadata, self, &zoned, 0, "zoned");
	add_each(_metadata, self, &fdp, 0, "FDP");

	/* A file disk with a bad block list beside its file to load. */
	pt_backing_file(_metadata, path, 8 * PT_MiB, &file);
	snprintf(bad, sizeof(bad), "%s.bad", path);
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &file, &d));
	ASSERT_EQ(0, zcblk_dev_set_bad(self->env.ctx, d.index, 8, 2, 0));
	ASSERT_EQ(0, pt_disk_del(&self->env, d.index));
	ASSERT_EQ(0, access(bad, F_OK));
	add_each(_metadata, self, &file, 1, "file");
	unlink(bad);
	unlink(path);
	ASSERT_EQ(0, put(DBG "fail_page_alloc/ignore-gfp-wait", "N"));
}

TEST_HARNESS_MAIN
