// SPDX-License-Identifier: GPL-2.0
/*
 * Zone Append on a zoned disk's char device: many appends in flight to
 * one zone each get their own LBA, contiguous, their data there; the
 * LBA comes back in big_cqe[0] and in the 64-bit ioctls' result. And the
 * block device's view of the same zones: a write through one is seen by
 * a report through the other (BLKREPORTZONE, BLKRESETZONE, writes at the
 * write pointer), conventional zones, a read-only zoned disk.
 */
#include "pt_zns.h"

#define NR_APPENDS	48

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* 48 appends of 1 to 3 blocks in flight at once to zone 2. */
TEST_F(zns, append_concurrent)
{
	__u64 lba[NR_APPENDS], ud, res, at, want;
	__u32 nlb[NR_APPENDS], total = 0;
	struct nvme_uring_cmd c;
	struct z z;
	char *bufs;
	int i, ret;

	z_init(_metadata, &z, &self->d);
	bufs = pt_map(NR_APPENDS * 3 * 4096);
	ASSERT_NE(NULL, bufs);
	for (i = 0; i < NR_APPENDS; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&z.q.ring);

		ASSERT_NE(NULL, sqe);
		nlb[i] = 1 + pt_rand(i) % 3;
		/* the block's tag is the append's number: found wherever */
		pt_fill(bufs + i * 3 * 4096, z.bs, 0, nlb[i], 100 + i);
		c = pt_rw(PT_OP_ZAPPEND, z_start(&z, 2), nlb[i],
			  bufs + i * 3 * 4096, nlb[i] * z.bs);
		pt_q_prep(&z.q, sqe, NVME_URING_CMD_IO, &c, -1, i);
		total += nlb[i];
	}
	ASSERT_EQ(NR_APPENDS, io_uring_submit(&z.q.ring));
	for (i = 0; i < NR_APPENDS; i++) {
		ret = pt_q_reap(&z.q, &ud, &res);
		ASSERT_EQ(0, ret) {
			TH_LOG("append %llu: %s", (unsigned long long)ud,
			       pt_res_str(ret));
		}
		ASSERT_LT(ud, NR_APPENDS);
		lba[ud] = res;
	}
	/* each where it says, its data there */
	for (i = 0; i < NR_APPENDS; i++) {
		char *p = z.buf;
		__u32 b;

		ASSERT_LE(z_start(&z, 2), lba[i]);
		c = pt_rw(PT_OP_READ, lba[i], nlb[i], p, nlb[i] * z.bs);
		ASSERT_EQ(0, z_cmd(&z, &c, NULL));
		pt_fill(bufs, z.bs, 0, nlb[i], 100 + i);
		for (b = 0; b < nlb[i]; b++) {
			EXPECT_EQ(0, memcmp(p + b * z.bs, bufs + b * z.bs,
					    z.bs)) {
				TH_LOG("append %d at LBA %llu: block %u differs",
				       i, (unsigned long long)lba[i], b);
			}
		}
		lba[i] = lba[i] << 8 | nlb[i];	/* sort by LBA, keep nlb */
	}
	/* contiguous: no overlap, no gap, from the zone's start */
	qsort(lba, NR_APPENDS, sizeof(lba[0]), cmp_u64);
	at = z_start(&z, 2);
	for (i = 0; i < NR_APPENDS; i++) {
		EXPECT_EQ(at, lba[i] >> 8);
		at = (lba[i] >> 8) + (lba[i] & 0xff);
	}
	want = z_start(&z, 2) + total;
	EXPECT_EQ(ZS_IOPEN, z_state(&z, 2, &at));
	EXPECT_EQ(want, at);
	munmap(bufs, NR_APPENDS * 3 * 4096);
	z_fini(&z);
}

/* The LBA through NVME_IOCTL_IO64_CMD; what Zone Append refuses. */
TEST_F(zns, append_rules)
{
	struct nvme_uring_cmd c;
	__u64 res = 0;
	struct z z;

	z_init(_metadata, &z, &self->d);
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 5), 3, 1, NULL));
	pt_fill(z.buf, z.bs, 0, 2, 7);
	c = pt_rw(PT_OP_ZAPPEND, z_start(&z, 5), 2, z.buf, 2 * z.bs);
	ASSERT_EQ(0, pt_passthru(z.cfd, NVME_IOCTL_IO64_CMD, &c, &res));
	EXPECT_EQ(z_start(&z, 5) + 3, res);
	/* the 32-bit ioctl has the low half */
	ASSERT_EQ(0, pt_passthru(z.cfd, NVME_IOCTL_IO_CMD, &c, &res));
	EXPECT_EQ((__u32)(z_start(&z, 5) + 5), res);
	/* SLBA not a zone's start: Invalid Field */
	c = pt_rw(PT_OP_ZAPPEND, z_start(&z, 5) + 1, 1, z.buf, z.bs);
	EXPECT_EQ(PT_SC_INVALID_FIELD, z_cmd(&z, &c, NULL));
	/* more than the capacity left: Zone Boundary Error */
	ASSERT_EQ(0, z_fill(&z, z_start(&z, 5) + 7, z.caplbas - 7 - 1, 2));
	c = pt_rw(PT_OP_ZAPPEND, z_start(&z, 5), 2, z.buf, 2 * z.bs);
	EXPECT_EQ(PT_SC_ZONE_BOUNDARY, z_cmd(&z, &c, NULL));
	c = pt_rw(PT_OP_ZAPPEND, z_start(&z, 5), 1, z.buf, z.bs);
	res = 0;
	ASSERT_EQ(0, z_cmd(&z, &c, &res));
	EXPECT_EQ(z_start(&z, 5) + z.caplbas - 1, res);
	/* full now */
	EXPECT_EQ(PT_SC_ZONE_FULL, z_cmd(&z, &c, NULL));
	EXPECT_EQ(ZS_FULL, z_state(&z, 5, NULL));
	/* protection information remap: no PI here */
	c = pt_rw(PT_OP_ZAPPEND, z_start(&z, 6), 1, z.buf, z.bs);
	c.cdw12 |= 1U << 25;
	EXPECT_EQ(PT_SC_INVALID_FIELD, z_cmd(&z, &c, NULL));
	z_fini(&z);
}

/* One zone through BLKREPORTZONE: its condition and write pointer. */
static int blk_zone(int bfd, __u64 sector, struct blk_zone *out)
{
	struct {
		struct blk_zone_report r;
		struct blk_zone z[1];
	} rep = { .r = { .sector = sector, .nr_zones = 1 } };

	if (ioctl(bfd, BLKREPORTZONE, &rep))
		return -errno;
	if (rep.r.nr_zones != 1)
		return -ENODATA;
	*out = rep.z[0];
	return 0;
}

/* The block device and the char device share one zone state. */
TEST_F(zns, block_view)
{
	__u32 spl = self->d.bs / 512;	/* sectors per LBA */
	struct blk_zone_range range;
	struct blk_zone bz;
	__u64 wp, sec;
	__u32 nr = 0;
	int bfd;
	struct z z;

	z_init(_metadata, &z, &self->d);
	ASSERT_EQ(0, pt_wait_node(self->d.blk));
	bfd = open(self->d.blk, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(0, ioctl(bfd, BLKGETNRZONES, &nr));
	EXPECT_EQ(Z_NR, nr);
	/* written through the char device, reported through the block one */
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 3), 5, 1, NULL));
	sec = z_start(&z, 3) * spl;
	ASSERT_EQ(0, blk_zone(bfd, sec, &bz));
	EXPECT_EQ(sec, bz.start);
	EXPECT_EQ(Z_SIZE / 512, bz.len);
	EXPECT_EQ(Z_CAP / 512, bz.capacity);
	EXPECT_EQ(sec + 5 * spl, bz.wp);
	EXPECT_EQ(BLK_ZONE_COND_IMP_OPEN, bz.cond);
	EXPECT_EQ(BLK_ZONE_TYPE_SEQWRITE_REQ, bz.type);
	/* written through the block device at the write pointer */
	pt_fill(z.buf, z.bs, z_start(&z, 3) + 5, 2, 2);
	ASSERT_EQ(0, pt_blk_rw(bfd, true, z.buf, (z_start(&z, 3) + 5) * z.bs,
			       2 * z.bs));
	ASSERT_EQ(ZS_IOPEN, z_state(&z, 3, &wp));
	EXPECT_EQ(z_start(&z, 3) + 7, wp);
	/* elsewhere: -EIO, nothing moves */
	EXPECT_EQ(-EIO, pt_blk_rw(bfd, true, z.buf, z_start(&z, 3) * z.bs,
				  z.bs));
	ASSERT_EQ(ZS_IOPEN, z_state(&z, 3, &wp));
	EXPECT_EQ(z_start(&z, 3) + 7, wp);
	/* read back through the char device */
	{
		struct nvme_uring_cmd c = pt_rw(PT_OP_READ, z_start(&z, 3) + 5,
						2, z.buf, 2 * z.bs);

		ASSERT_EQ(0, z_cmd(&z, &c, NULL));
		EXPECT_TRUE(pt_verify(_metadata, z.buf, z.bs,
				      z_start(&z, 3) + 5, 2, 2, "block write"));
	}
	/* finish and reset through the block device */
	range = (struct blk_zone_range){ .sector = sec, .nr_sectors = Z_SIZE / 512 };
	ASSERT_EQ(0, ioctl(bfd, BLKFINISHZONE, &range));
	EXPECT_EQ(ZS_FULL, z_state(&z, 3, NULL));
	ASSERT_EQ(0, ioctl(bfd, BLKRESETZONE, &range));
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 3, &wp));
	EXPECT_EQ(z_start(&z, 3), wp);
	ASSERT_EQ(0, ioctl(bfd, BLKOPENZONE, &range));
	EXPECT_EQ(ZS_EOPEN, z_state(&z, 3, NULL));
	ASSERT_EQ(0, ioctl(bfd, BLKCLOSEZONE, &range));
	EXPECT_EQ(ZS_CLOSED, z_state(&z, 3, NULL));
	/* and a char-device finish shows as full on the block device */
	ASSERT_EQ(0, z_action(&z, 3, ZSA_FINISH));
	ASSERT_EQ(0, blk_zone(bfd, sec, &bz));
	EXPECT_EQ(BLK_ZONE_COND_FULL, bz.cond);
	close(bfd);
	z_fini(&z);
}

/* Conventional zones: random writes, block device type 1, no append. */
TEST_F(zns, conventional)
{
	struct pt_disk_cfg cfg = {
		.size = 8 * Z_SIZE, .bs = self->d.bs,
		.flags = ZCBLK_DEV_F_ZONED, .zone_size = Z_SIZE,
		.zone_nr_conv = 2,
	};
	struct nvme_uring_cmd c;
	struct blk_zone bz;
	struct pt_disk d;
	struct zd zd[3];
	struct z z;
	__u64 nr;
	int bfd;

	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &d));
	z_init(_metadata, &z, &d);
	z.caplbas = z.zlbas;
	ASSERT_EQ(0, z_report(&z, 0, 0, 64 * 4, &nr, zd, 3));
	EXPECT_EQ(8, nr);
	EXPECT_EQ(1, zd[0].zt);		/* not a ZNS zone type (zoned.rst) */
	EXPECT_EQ(0, zd[0].zs);
	EXPECT_EQ(1, zd[1].zt);
	EXPECT_EQ(2, zd[2].zt);
	EXPECT_EQ(ZS_EMPTY, zd[2].zs);
	/* anywhere, any order, not across into the next zone */
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, 17, 3, 1, NULL));
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, 2, 3, 2, NULL));
	EXPECT_EQ(PT_SC_ZONE_BOUNDARY,
		  z_write(&z, PT_OP_WRITE, z.zlbas - 1, 2, 1, NULL));
	c = pt_rw(PT_OP_READ, 17, 3, z.buf, 3 * z.bs);
	ASSERT_EQ(0, z_cmd(&z, &c, NULL));
	EXPECT_TRUE(pt_verify(_metadata, z.buf, z.bs, 17, 3, 1, "conv"));
	c = pt_rw(PT_OP_ZAPPEND, 0, 1, z.buf, z.bs);
	EXPECT_EQ(PT_SC_INVALID_FIELD, z_cmd(&z, &c, NULL));
	EXPECT_EQ(PT_SC_ZONE_TRANSITION, z_action(&z, 1, ZSA_RESET));
	/* Select All leaves them alone */
	ASSERT_EQ(0, z_action(&z, 0, ZSA_RESET | ZSA_ALL));
	c = pt_rw(PT_OP_READ, 17, 3, z.buf, 3 * z.bs);
	ASSERT_EQ(0, z_cmd(&z, &c, NULL));
	EXPECT_TRUE(pt_verify(_metadata, z.buf, z.bs, 17, 3, 1, "conv"));
	bfd = open(d.blk, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(0, blk_zone(bfd, 0, &bz));
	EXPECT_EQ(BLK_ZONE_TYPE_CONVENTIONAL, bz.type);
	EXPECT_EQ(BLK_ZONE_COND_NOT_WP, bz.cond);
	close(bfd);
	z_fini(&z);
}

/* A read-only zoned disk: no write, append or zone management. */
TEST_F(zns, read_only)
{
	struct pt_disk_cfg cfg = {
		.size = 4 * Z_SIZE, .bs = self->d.bs,
		.flags = ZCBLK_DEV_F_ZONED | ZCBLK_DEV_F_READ_ONLY,
		.zone_size = Z_SIZE,
	};
	struct nvme_uring_cmd c;
	struct pt_disk d;
	struct z z;
	__u64 nr;
	struct zd zd;

	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &d));
	z_init(_metadata, &z, &d);
	EXPECT_EQ(PT_SC_WRITE_PROT, z_write(&z, PT_OP_WRITE, 0, 1, 1, NULL));
	c = pt_rw(PT_OP_ZAPPEND, 0, 1, z.buf, z.bs);
	EXPECT_EQ(PT_SC_WRITE_PROT, z_cmd(&z, &c, NULL));
	EXPECT_EQ(PT_SC_WRITE_PROT, z_action(&z, 0, ZSA_OPEN));
	EXPECT_EQ(PT_SC_WRITE_PROT, z_action(&z, 0, ZSA_RESET | ZSA_ALL));
	/* reports still work */
	ASSERT_EQ(0, z_report(&z, 0, 0, 128, &nr, &zd, 1));
	EXPECT_EQ(4, nr);
	EXPECT_EQ(ZS_EMPTY, zd.zs);
	z_fini(&z);
}

/*
 * A zone size that is not a power of two (768 KiB): the char device only,
 * as the NVMe driver keeps only /dev/ngXnY; zones work as on any other.
 */
TEST_F(zns, no_block_device)
{
	struct pt_disk_cfg cfg = {
		.size = 12 * 768 * PT_KiB, .bs = self->d.bs,
		.flags = ZCBLK_DEV_F_ZONED, .zone_size = 768 * PT_KiB,
		.zone_capacity = 512 * PT_KiB,
	};
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct nvme_uring_cmd c;
	struct pt_disk d;
	struct zd zd[3];
	__u64 nr, res = 0, wp;
	struct stat st;
	char blk[64];
	struct z z;

	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &d));
	ASSERT_EQ(0, zcblk_dev_get(self->env.ctx, d.index, &info));
	EXPECT_STREQ("", info.disk_name);
	EXPECT_EQ(768 * PT_KiB, info.zone_size);
	snprintf(blk, sizeof(blk), "/dev/zcblk%u", d.index);
	EXPECT_NE(0, stat(blk, &st));
	EXPECT_EQ(ENOENT, errno);
	z_init(_metadata, &z, &d);
	z.zlbas = 768 * PT_KiB / z.bs;
	z.caplbas = 512 * PT_KiB / z.bs;
	ASSERT_EQ(0, z_report(&z, 0, 0, 64 * 4, &nr, zd, 3));
	EXPECT_EQ(12, nr);
	EXPECT_EQ(z.zlbas, zd[1].zslba);
	EXPECT_EQ(2 * z.zlbas, zd[2].zslba);
	EXPECT_EQ(z.caplbas, zd[2].zcap);
	/* Identify's zone size, appends, writes, boundaries */
	c = pt_identify(PT_NSID, 5, 2U << 24, z.buf);
	ASSERT_EQ(0, z_admin(&z, &c, NULL));
	EXPECT_EQ(z.zlbas, pt_le64(z.buf + 2816));
	c = pt_rw(PT_OP_ZAPPEND, z_start(&z, 7), 2, z.buf, 2 * z.bs);
	ASSERT_EQ(0, z_cmd(&z, &c, &res));
	EXPECT_EQ(z_start(&z, 7), res);
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 7) + 2, 3, 4, NULL));
	EXPECT_EQ(PT_SC_ZONE_INVALID_WRITE,
		  z_write(&z, PT_OP_WRITE, z_start(&z, 7), 1, 4, NULL));
	EXPECT_EQ(ZS_IOPEN, z_state(&z, 7, &wp));
	EXPECT_EQ(z_start(&z, 7) + 5, wp);
	c = pt_rw(PT_OP_READ, z_start(&z, 7) + 2, 3, z.buf, 3 * z.bs);
	ASSERT_EQ(0, z_cmd(&z, &c, NULL));
	EXPECT_TRUE(pt_verify(_metadata, z.buf, z.bs, z_start(&z, 7) + 2, 3, 4,
			      "zone 7"));
	c = pt_rw(PT_OP_READ, z_start(&z, 8) - 1, 2, z.buf, 2 * z.bs);
	EXPECT_EQ(PT_SC_ZONE_BOUNDARY, z_cmd(&z, &c, NULL));
	ASSERT_EQ(0, z_action(&z, 7, ZSA_RESET));
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 7, NULL));
	z_fini(&z);
	/* conventional zones are for a block device it does not get */
	cfg.zone_nr_conv = 1;
	EXPECT_EQ(-EINVAL, pt_disk_add(_metadata, &self->env, &cfg, &d));
}

TEST_HARNESS_MAIN
