// SPDX-License-Identifier: GPL-2.0
/*
 * Passthrough commands beyond read and write (pt_rt.h), each through every
 * way it can travel: Compare, Write Zeroes, DSM deallocate, Flush,
 * Identify and NVME_IOCTL_ID; buffers in special memory; more commands at
 * once than the queue has tags.
 *
 * The teardown checks /proc/vmstat's FOLL_PIN balance and the kernel log.
 * Variants: mem disks with 512- and 4096-byte blocks.
 */
#include "pt_rt.h"

TEST_F_TIMEOUT(ptd, compare, 120)
{
	static const enum mode modes[] = {
		M_URING, M_VEC, M_FIXED, M_IO_CMD, M_IO64_CMD, M_IO64_VEC,
		M_SUBMIT_IO,
	};
	const __u32 bs = self->d.bs, nb = 8;
	const __u64 slba = 40;
	struct rt t;
	size_t i;
	int res;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		true);
	pt_fill(t.blkbuf, bs, slba, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, slba * bs, nb * bs));

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		enum mode m = modes[i];
		int nvec = (m == M_VEC || m == M_IO64_VEC) ? 3 : 0;

		memcpy(t.data, t.blkbuf, nb * bs);
		res = xfer(_metadata, &t, m, nvec, PT_OP_COMPARE, slba, nb);
		EXPECT_EQ(0, res) {
			TH_LOG("%s: Compare of equal data: %s", mode_name[m],
			       pt_res_str(res));
		}
		/* One byte off, in the middle of block 5 */
		t.data[5 * bs + bs / 2 + 1] ^= 0x01;
		res = xfer(_metadata, &t, m, nvec, PT_OP_COMPARE, slba, nb);
		EXPECT_EQ(PT_SC_COMPARE, res) {
			TH_LOG("%s: Compare of different data: %s",
			       mode_name[m], pt_res_str(res));
		}
		/* Never written: compares equal to zeros only */
		memset(t.data, 0, 2 * bs);
		res = xfer(_metadata, &t, m, nvec, PT_OP_COMPARE,
			   t.d->nlbas - 2, 2);
		EXPECT_EQ(0, res) {
			TH_LOG("%s: Compare of zeros with unwritten blocks: %s",
			       mode_name[m], pt_res_str(res));
		}
		t.data[bs + bs - 1] = 1;
		res = xfer(_metadata, &t, m, nvec, PT_OP_COMPARE,
			   t.d->nlbas - 2, 2);
		EXPECT_EQ(PT_SC_COMPARE, res) {
			TH_LOG("%s: Compare of non-zero data with unwritten blocks: %s",
			       mode_name[m], pt_res_str(res));
		}
	}
	/* Compare must not have changed anything */
	memset(t.data, 0, nb * bs);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, false, t.data, slba * bs, nb * bs));
	EXPECT_TRUE(pt_verify(_metadata, t.data, bs, slba, nb, t.tag,
			      "data after Compare"));
	rt_fini(_metadata, &t);
}

/* Reads [slba, slba+nb) both ways; the blocks in [zs, ze) must be zero. */
static void check_zeroed(struct __test_metadata *_metadata, struct rt *t,
			 __u64 slba, __u32 nb, __u32 tag, __u64 zs, __u64 ze,
			 const char *what)
{
	const __u32 bs = t->d->bs;
	char *via[2] = { t->blkbuf, t->data };
	__u32 b;
	int k, res;

	memset(t->blkbuf, 0x5a, (size_t)nb * bs);
	ASSERT_EQ(0, pt_blk_rw(t->bfd, false, t->blkbuf, slba * bs,
			       (size_t)nb * bs));
	memset(t->data, 0x5a, (size_t)nb * bs);
	res = xfer(_metadata, t, M_URING, 0, PT_OP_READ, slba, nb);
	ASSERT_EQ(0, res) {
		TH_LOG("%s: Read: %s", what, pt_res_str(res));
	}
	for (k = 0; k < 2; k++) {
		for (b = 0; b < nb; b++) {
			__u64 lba = slba + b;
			char *p = via[k] + (size_t)b * bs;

			if (lba >= zs && lba < ze) {
				EXPECT_TRUE(pt_all_bytes(p, bs, 0)) {
					TH_LOG("%s: LBA %llu not zero (read through the %s device)",
					       what, (unsigned long long)lba,
					       k ? "char" : "block");
				}
			} else {
				EXPECT_TRUE(pt_verify(_metadata, p, bs, lba, 1,
						      tag, what));
			}
		}
	}
}

TEST_F_TIMEOUT(ptd, write_zeroes, 120)
{
	const __u32 bs = self->d.bs, nb = 48;
	const __u64 slba = 200;
	struct nvme_uring_cmd c;
	struct rt t;
	int res;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		false);

	/* Without deallocate, through io_uring */
	pt_fill(t.blkbuf, bs, slba, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, slba * bs, nb * bs));
	c = pt_rw(PT_OP_WRITE_ZEROES, slba + 3, 9, NULL, 0);
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Write Zeroes: %s", pt_res_str(res));
	}
	check_zeroed(_metadata, &t, slba, nb, t.tag, slba + 3, slba + 12,
		     "Write Zeroes (uring)");

	/* With deallocate (DEAC), through io_uring: all of it */
	pt_fill(t.blkbuf, bs, slba, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, slba * bs, nb * bs));
	c = pt_rw(PT_OP_WRITE_ZEROES, slba + 1, nb - 2, NULL, 0);
	c.cdw12 |= PT_CDW12_DEAC;
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Write Zeroes DEAC: %s", pt_res_str(res));
	}
	check_zeroed(_metadata, &t, slba, nb, t.tag, slba + 1, slba + nb - 1,
		     "Write Zeroes DEAC (uring)");

	/* Both through the ioctls */
	pt_fill(t.blkbuf, bs, slba, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, slba * bs, nb * bs));
	c = pt_rw(PT_OP_WRITE_ZEROES, slba + 10, 5, NULL, 0);
	res = pt_passthru(t.cfd, NVME_IOCTL_IO_CMD, &c, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Write Zeroes (NVME_IOCTL_IO_CMD): %s", pt_res_str(res));
	}
	c = pt_rw(PT_OP_WRITE_ZEROES, slba + 30, 8, NULL, 0);
	c.cdw12 |= PT_CDW12_DEAC;
	res = pt_passthru(t.cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Write Zeroes DEAC (NVME_IOCTL_IO64_CMD): %s",
		       pt_res_str(res));
	}
	check_zeroed(_metadata, &t, slba, 30, t.tag, slba + 10, slba + 15,
		     "Write Zeroes (ioctl)");
	check_zeroed(_metadata, &t, slba + 30, nb - 30, t.tag, slba + 30,
		     slba + 38, "Write Zeroes DEAC (ioctl)");
	rt_fini(_metadata, &t);
}

/* DSM with the Attribute Deallocate bit: three ranges read zeros after. */
TEST_F_TIMEOUT(ptd, dsm_deallocate, 120)
{
	const __u32 bs = self->d.bs, nb = 64;
	const __u64 slba = 300;
	struct pt_dsm_range *r;
	struct nvme_uring_cmd c;
	struct rt t;
	char *buf;
	int res;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		false);
	buf = t.arena + 2 * PT_PAGE + 24;	/* any alignment will do */
	r = (struct pt_dsm_range *)buf;

	pt_fill(t.blkbuf, bs, slba, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, slba * bs, nb * bs));

	/* Attributes only (no AD): a hint, the data stays */
	r[0] = (struct pt_dsm_range){ .nlb = 8, .slba = slba };
	c = pt_admin(PT_OP_DSM, PT_NSID, 0, 1U << 0, buf, sizeof(*r));
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("DSM without AD: %s", pt_res_str(res));
	}
	t.want_pins += pt_pages(buf, sizeof(*r));
	check_zeroed(_metadata, &t, slba, nb, t.tag, 0, 0, "DSM without AD");

	/* Three ranges, through io_uring */
	r[0] = (struct pt_dsm_range){ .nlb = 3, .slba = slba + 2 };
	r[1] = (struct pt_dsm_range){ .nlb = 1, .slba = slba + 20 };
	r[2] = (struct pt_dsm_range){ .nlb = 10, .slba = slba + 40 };
	c = pt_admin(PT_OP_DSM, PT_NSID, 3 - 1, PT_DSM_AD, buf, 3 * sizeof(*r));
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("DSM deallocate, 3 ranges: %s", pt_res_str(res));
	}
	t.want_pins += pt_pages(buf, 3 * sizeof(*r));
	check_zeroed(_metadata, &t, slba, 20, t.tag, slba + 2, slba + 5,
		     "DSM range 0");
	check_zeroed(_metadata, &t, slba + 20, 20, t.tag, slba + 20,
		     slba + 21, "DSM range 1");
	check_zeroed(_metadata, &t, slba + 40, 24, t.tag, slba + 40,
		     slba + 50, "DSM range 2");

	/* Three ranges (one empty), through NVME_IOCTL_IO_CMD */
	pt_fill(t.blkbuf, bs, slba, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, slba * bs, nb * bs));
	r[0] = (struct pt_dsm_range){ .nlb = 0, .slba = slba };
	r[1] = (struct pt_dsm_range){ .nlb = 16, .slba = slba + 16 };
	r[2] = (struct pt_dsm_range){ .nlb = 2, .slba = slba + 62 };
	c = pt_admin(PT_OP_DSM, PT_NSID, 3 - 1, PT_DSM_AD, buf, 3 * sizeof(*r));
	res = pt_passthru(t.cfd, NVME_IOCTL_IO_CMD, &c, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("DSM deallocate (ioctl): %s", pt_res_str(res));
	}
	t.want_pins += pt_pages(buf, 3 * sizeof(*r));
	check_zeroed(_metadata, &t, slba, 48, t.tag, slba + 16, slba + 32,
		     "DSM (ioctl) range 1");
	check_zeroed(_metadata, &t, slba + 48, 16, t.tag, slba + 62,
		     slba + 64, "DSM (ioctl) range 2");
	rt_fini(_metadata, &t);
}

TEST_F(ptd, flush)
{
	struct nvme_uring_cmd c = { .opcode = PT_OP_FLUSH, .nsid = PT_NSID };
	__u64 result = 1;
	struct rt t;
	int res;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		false);
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, &result);
	EXPECT_EQ(0, res) {
		TH_LOG("Flush (uring): %s", pt_res_str(res));
	}
	EXPECT_EQ(0, result);
	result = 1;
	res = pt_passthru(t.cfd, NVME_IOCTL_IO_CMD, &c, &result);
	EXPECT_EQ(0, res) {
		TH_LOG("Flush (NVME_IOCTL_IO_CMD): %s", pt_res_str(res));
	}
	EXPECT_EQ(0, result);
	result = 1;
	res = pt_passthru(t.cfd, NVME_IOCTL_IO64_CMD, &c, &result);
	EXPECT_EQ(0, res) {
		TH_LOG("Flush (NVME_IOCTL_IO64_CMD): %s", pt_res_str(res));
	}
	EXPECT_EQ(0, result);
	rt_fini(_metadata, &t);
}

/* What fio and nvme-cli read first: the namespace id, Identify NS/ctrl. */
TEST_F(ptd, identify)
{
	static const unsigned long reqs[] = {
		NVME_IOCTL_ADMIN_CMD, NVME_IOCTL_ADMIN64_CMD,
	};
	struct nvme_uring_cmd c;
	unsigned char *id, fr[8];
	__u64 result;
	struct rt t;
	size_t i;
	int res;

	rt_init(_metadata, &t, &self->env, &self->d, 0, false, false);
	EXPECT_EQ(1, ioctl(t.cfd, NVME_IOCTL_ID));
	id = (unsigned char *)t.arena + 17;	/* any alignment */

	for (i = 0; i < 2; i++) {
		const char *name = i ? "ADMIN64_CMD" : "ADMIN_CMD";
		int lbaf;

		memset(id, 0xff, 4096);
		c = pt_identify(PT_NSID, 0, 0, id);
		res = pt_passthru(t.cfd, reqs[i], &c, NULL);
		ASSERT_EQ(0, res) {
			TH_LOG("%s Identify Namespace: %s", name,
			       pt_res_str(res));
		}
		t.want_pins += pt_pages(id, 4096);
		EXPECT_EQ(t.d->nlbas, pt_le64(id + PT_ID_NS_NSZE));
		EXPECT_EQ(t.d->nlbas, pt_le64(id + PT_ID_NS_NCAP));
		/* nine formats (integrity.rst), 512 or 4096 without metadata */
		EXPECT_EQ(8, id[PT_ID_NS_NLBAF]);
		lbaf = id[PT_ID_NS_FLBAS] & 0xf;
		EXPECT_EQ(t.d->shift == 12 ? 3 : 0, id[PT_ID_NS_FLBAS]);
		EXPECT_EQ(t.d->shift, id[PT_ID_NS_LBAF0_DS + 4 * lbaf]);
		EXPECT_EQ(0, pt_le16(id + PT_ID_NS_LBAF0_MS + 4 * lbaf));
		/* size = nsze << lbaf[flbas].ds, as fio computes it */
		EXPECT_EQ(t.d->size, pt_le64(id + PT_ID_NS_NSZE) <<
				     id[PT_ID_NS_LBAF0_DS + 4 * lbaf]);

		memset(id, 0xff, 4096);
		c = pt_identify(0, 1, 0, id);
		res = pt_passthru(t.cfd, reqs[i], &c, NULL);
		ASSERT_EQ(0, res) {
			TH_LOG("%s Identify Controller: %s", name,
			       pt_res_str(res));
		}
		t.want_pins += pt_pages(id, 4096);
		EXPECT_EQ(7, id[PT_ID_CTRL_MDTS]);
		EXPECT_EQ(1, pt_le32(id + PT_ID_CTRL_NN));
		EXPECT_EQ(0, memcmp(id + PT_ID_CTRL_MN, "zcblk", 5));
		/*
		 * FRMW (260): one slot, read-only; LPA (261): SMART per
		 * namespace, the effects log, extended data (offsets)
		 */
		EXPECT_EQ(0x03, id[260]);
		EXPECT_EQ(0x07, id[261]);
		memcpy(fr, id + 64, 8);		/* FR */

		/* Firmware Slot Information: slot 1 active, FRS1 FR */
		memset(id, 0xff, 512);
		c = pt_get_log(0, 0x03, id, 512);
		res = pt_passthru(t.cfd, reqs[i], &c, NULL);
		ASSERT_EQ(0, res) {
			TH_LOG("%s Get Log Page 03h: %s", name,
			       pt_res_str(res));
		}
		t.want_pins += pt_pages(id, 512);
		EXPECT_EQ(1, id[0]);
		EXPECT_EQ(0, memcmp(id + 8, fr, 8));
		EXPECT_TRUE(pt_all_bytes(id + 1, 7, 0));
		EXPECT_TRUE(pt_all_bytes(id + 16, 512 - 16, 0));

		/*
		 * The result is written back: Number of Queues, 0-based
		 * (one queue here: 0), over the 0xdeadbeef... pt_passthru()
		 * puts in the ioctl structure's result field; it copies that
		 * field to @result, so the 1 set here must be gone too.
		 */
		c = pt_admin(PT_ADM_GET_FEATURES, 0, 0x07, 0, NULL, 0);
		result = 1;
		res = pt_passthru(t.cfd, reqs[i], &c, &result);
		EXPECT_EQ(0, res) {
			TH_LOG("%s Get Features Number of Queues: %s", name,
			       pt_res_str(res));
		}
		EXPECT_EQ(0, result) {
			TH_LOG("%s: result 0x%llx written back, want 0", name,
			       (unsigned long long)result);
		}
	}
	rt_fini(_metadata, &t);
}

/*
 * User memory that is not plain private anonymous pages: never-touched
 * memory (the zero page for a Write; a Read must replace it with real
 * pages) and MAP_SHARED memfd (page cache) pages, which a Read must leave
 * dirty with the data in the file.
 */
TEST_F_TIMEOUT(ptd, uring_special_memory, 120)
{
	const __u32 bs = self->d.bs, nb = 64 * PT_KiB / self->d.bs;
	const size_t len = (size_t)nb * bs, mlen = 2 * len;
	struct nvme_uring_cmd c;
	char *fresh, *shared;
	struct rt t;
	int mfd, res;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		false);

	/* Write from untouched memory: zeros reach the disk */
	pt_fill(t.blkbuf, bs, 64, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, 64 * bs, len));
	fresh = pt_map(mlen);
	ASSERT_NE(NULL, fresh);
	c = pt_rw(PT_OP_WRITE, 64, nb, fresh + 100, len);
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Write from untouched memory: %s", pt_res_str(res));
	}
	t.want_pins += pt_pages(fresh + 100, len);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, false, t.blkbuf, 64 * bs, len));
	EXPECT_TRUE(pt_all_bytes(t.blkbuf, len, 0));
	munmap(fresh, mlen);

	/* Read into untouched memory */
	pt_fill(t.blkbuf, bs, 64, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, 64 * bs, len));
	fresh = pt_map(mlen);
	ASSERT_NE(NULL, fresh);
	c = pt_rw(PT_OP_READ, 64, nb, fresh + 100, len);
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Read into untouched memory: %s", pt_res_str(res));
	}
	t.want_pins += pt_pages(fresh + 100, len);
	EXPECT_TRUE(pt_verify(_metadata, fresh + 100, bs, 64, nb, t.tag,
			      "Read into untouched memory"));
	EXPECT_TRUE(pt_all_bytes(fresh, 100, 0));
	EXPECT_TRUE(pt_all_bytes(fresh + 100 + len, mlen - 100 - len, 0));
	munmap(fresh, mlen);

	/* Read into a shared memfd mapping: the file must hold the data */
	mfd = memfd_create("pt_data", MFD_CLOEXEC);
	ASSERT_LE(0, mfd);
	ASSERT_EQ(0, ftruncate(mfd, mlen));
	shared = mmap(NULL, mlen, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	ASSERT_NE(MAP_FAILED, shared);
	c = pt_rw(PT_OP_READ, 64, nb, shared + 3, len);
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Read into a memfd mapping: %s", pt_res_str(res));
	}
	t.want_pins += pt_pages(shared + 3, len);
	ASSERT_EQ(0, munmap(shared, mlen));
	memset(t.data, 0, len);
	ASSERT_EQ((ssize_t)len, pread(mfd, t.data, len, 3));
	EXPECT_TRUE(pt_verify(_metadata, t.data, bs, 64, nb, t.tag,
			      "memfd contents after a Read into its mapping"));

	/* Write from the memfd's page cache pages */
	pt_fill(t.data, bs, 200, nb, ++t.tag);
	ASSERT_EQ((ssize_t)len, pwrite(mfd, t.data, len, 5));
	shared = mmap(NULL, mlen, PROT_READ, MAP_SHARED, mfd, 0);
	ASSERT_NE(MAP_FAILED, shared);
	c = pt_rw(PT_OP_WRITE, 200, nb, shared + 5, len);
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Write from a read-only memfd mapping: %s",
		       pt_res_str(res));
	}
	t.want_pins += pt_pages(shared + 5, len);
	munmap(shared, mlen);
	close(mfd);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, false, t.blkbuf, 200 * bs, len));
	EXPECT_TRUE(pt_verify(_metadata, t.blkbuf, bs, 200, nb, t.tag,
			      "Write from a memfd mapping"));
	rt_fini(_metadata, &t);
}

/*
 * 64 commands in one io_uring_submit() on a disk with 4 tags: the
 * submissions that find no tag must wait (io_uring retries -EAGAIN from
 * a worker), and every command completes with the right data.
 */
TEST_F_TIMEOUT(ptd, more_than_queue_depth, 180)
{
	struct pt_disk_cfg cfg = {
		.size = DISK_SIZE, .bs = self->d.bs, .queue_depth = 4,
		.nr_queues = 1,
	};
	const __u32 n = 64, nb = 3, bs = self->d.bs;
	struct io_uring_sqe *sqe;
	struct nvme_uring_cmd c;
	struct rt t;
	int pass, ret;
	__u32 i;

	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d2));
	rt_init(_metadata, &t, &self->env, &self->d2, PT_RING_FLAGS, true,
		false);

	for (pass = 0; pass < 2; pass++) {
		__u8 op = pass ? PT_OP_READ : PT_OP_WRITE;
		bool seen[64] = { false };
		__u32 tag = ++t.tag;

		if (pass) {	/* new data through the block device */
			for (i = 0; i < n; i++) {
				pt_fill(t.blkbuf, bs, i * 8, nb, tag);
				ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf,
						       (__u64)i * 8 * bs,
						       (size_t)nb * bs));
			}
		}
		for (i = 0; i < n; i++) {
			/* buffer i: its own pages, at an odd offset */
			char *buf = t.arena + (size_t)i * 4 * PT_PAGE + 2 * i + 1;

			if (pass)
				memset(buf, 0xa5, (size_t)nb * bs);
			else
				pt_fill(buf, bs, i * 8, nb, tag);
			sqe = io_uring_get_sqe(&t.q.ring);
			ASSERT_NE(NULL, sqe);
			c = pt_rw(op, i * 8, nb, buf, nb * bs);
			pt_q_prep(&t.q, sqe, NVME_URING_CMD_IO, &c, -1, i);
			t.want_pins += pt_pages(buf, (size_t)nb * bs);
		}
		ret = io_uring_submit(&t.q.ring);
		ASSERT_EQ((int)n, ret) {
			TH_LOG("io_uring_submit: %d", ret);
		}
		for (i = 0; i < n; i++) {
			__u64 ud = ~0ULL;
			int res = pt_q_reap(&t.q, &ud, NULL);

			ASSERT_LT(ud, n);
			EXPECT_FALSE(seen[ud]);
			seen[ud] = true;
			EXPECT_EQ(0, res) {
				TH_LOG("%s %llu of %u: %s", pass ? "Read" : "Write",
				       (unsigned long long)ud, n,
				       pt_res_str(res));
			}
		}
		for (i = 0; i < n; i++) {
			char *buf = t.arena + (size_t)i * 4 * PT_PAGE + 2 * i + 1;
			char what[64];

			snprintf(what, sizeof(what), "%s %u of %u",
				 pass ? "Read" : "Write", i, n);
			if (!pass) {
				ASSERT_EQ(0, pt_blk_rw(t.bfd, false, t.blkbuf,
						       (__u64)i * 8 * bs,
						       (size_t)nb * bs));
				buf = t.blkbuf;
			}
			EXPECT_TRUE(pt_verify(_metadata, buf, bs, i * 8, nb, tag,
					      what));
		}
	}
	rt_fini(_metadata, &t);
}

#define CP_N	8	/* commands per round */
#define CP_NB	2	/* blocks per command */

static char *cp_buf(struct rt *t, __u32 k)
{
	return t->arena + (size_t)k * 2 * PT_PAGE + 7;
}

/*
 * completion_paths: CP_N writes (or reads) through the char device, @batch
 * per submit, each CQE 0 with a zero result dword; the data checked
 * through the block device (or against what it wrote).
 */
static void cp_round(struct __test_metadata *_metadata, struct rt *t,
		     __u32 mode, __u32 batch, bool read)
{
	const __u32 bs = t->d->bs, len = CP_NB * bs;
	__u32 tag = read ? t->tag : ++t->tag;
	struct io_uring_sqe *sqe;
	struct nvme_uring_cmd c;
	__u32 i, k;

	for (i = 0; i < CP_N; i += batch) {
		for (k = i; k < i + batch; k++) {
			if (read)
				memset(cp_buf(t, k), 0x5a, len);
			else
				pt_fill(cp_buf(t, k), bs, k * 4, CP_NB, tag);
			sqe = io_uring_get_sqe(&t->q.ring);
			ASSERT_NE(NULL, sqe);
			c = pt_rw(read ? PT_OP_READ : PT_OP_WRITE, k * 4, CP_NB,
				  cp_buf(t, k), len);
			pt_q_prep(&t->q, sqe, NVME_URING_CMD_IO, &c, -1, k);
			t->want_pins += pt_pages(cp_buf(t, k), len);
		}
		ASSERT_EQ((int)batch, io_uring_submit(&t->q.ring));
		for (k = 0; k < batch; k++) {
			__u64 ud = ~0ULL, result = ~0ULL;
			int res = pt_q_reap(&t->q, &ud, &result);

			EXPECT_EQ(0, res) {
				TH_LOG("completion %u, %u per submit: %s", mode,
				       batch, pt_res_str(res));
			}
			EXPECT_EQ(0, result);
			EXPECT_TRUE(ud >= i && ud < i + batch);
		}
	}
	for (i = 0; i < CP_N; i++) {
		char *buf = cp_buf(t, i);

		if (!read) {
			ASSERT_EQ(0, pt_blk_rw(t->bfd, false, t->blkbuf,
					       (__u64)i * 4 * bs, len));
			buf = t->blkbuf;
		}
		EXPECT_TRUE(pt_verify(_metadata, buf, bs, i * 4, CP_NB, tag,
				      read ? "read back" : "written"));
	}
}

/*
 * Every way a uring_cmd completes gives the same CQE: 0 and a zero result
 * dword. One command per submit on an inline-completing disk completes
 * within its issue (zcblk returns the status to io_uring); a batch runs
 * under io_uring's plug and completes after it; softirq and timer
 * completion always go through task work.
 */
TEST_F_TIMEOUT(ptd, completion_paths, 180)
{
	static const __u32 modes[] = {
		ZCBLK_COMPLETION_INLINE, ZCBLK_COMPLETION_SOFTIRQ,
		ZCBLK_COMPLETION_TIMER, ZCBLK_COMPLETION_INLINE,
	};
	struct zcblk_dev_settings set = { .size = sizeof(set) };
	__u32 batch;
	struct rt t;
	size_t m;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		false);
	set.set = ZCBLK_SET_COMPLETION | ZCBLK_SET_COMPLETION_NS;
	set.completion_ns = 20000;
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		set.completion = modes[m];
		ASSERT_EQ(0, zcblk_dev_set(self->env.ctx, self->d.index, &set,
					   NULL));
		for (batch = 1; batch <= CP_N; batch *= CP_N) {
			cp_round(_metadata, &t, modes[m], batch, false);
			cp_round(_metadata, &t, modes[m], batch, true);
		}
	}
	rt_fini(_metadata, &t);
}

TEST_HARNESS_MAIN
