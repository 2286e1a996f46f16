// SPDX-License-Identifier: GPL-2.0
/*
 * Flexible Data Placement on the char device (Documentation/fdp.rst):
 * CTRATT, ENDGIDMAX, ENDGID and the effects log say so; the FDP
 * Configurations log describes the disk's configuration; writes through
 * io_uring with a placement identifier in several handles lower each
 * handle's RUAMW (I/O Management Receive, Reclaim Unit Handle Status) by
 * exactly their blocks, the statistics log counts their bytes, the data
 * reads back; a write that fills a reclaim unit gets a new one and, when
 * enabled for its handle (Set Features FDP Events), an Implicitly Modified
 * RUH controller event, and not otherwise; Reclaim Unit Handle Update
 * resets a handle's RUAMW with a Not Fully Written host event; an invalid
 * placement identifier goes to handle 0 with its event; Copy places its
 * target, the block device's writes go to handle 0; two reclaim groups
 * make PIDs with the group in their top bit; on the file backend too,
 * whose writes complete after they are queued. Refusals: each wrong DTYPE
 * or DSPEC, an Update with a bad identifier (nothing updated), FDP Events
 * with a bad handle, count or type, Set Features FDP (Command Sequence
 * Error), a log for another endurance group; on a disk without FDP the
 * directive, I/O Management and the logs and features.
 *
 * Every test ends (FIXTURE_TEARDOWN_PARENT) with: no splat in the kernel
 * log, zcblk's pins balanced, /proc/vmstat's FOLL_PIN balance back.
 */
#include "pt_common.h"

#define RU_BLOCKS	128	/* 64 KiB reclaim units of 512-byte blocks */
#define NRUH		8
#define OP_MGMT_RECV	0x12
#define OP_MGMT_SEND	0x1d
#define ADM_SET_FEAT	0x09
#define DTYPE_PLACE	(2U << 20)
#define SC_SEQ_ERROR	0x400c

FIXTURE(fdp) {
	struct pt_env env;
	struct pt_disk d;
	char path[64];		/* the file variant's backing file */
	int cfd, bfd;
	char *buf;		/* 1 MiB */
	struct pt_q q;
};

FIXTURE_VARIANT(fdp) {
	__u32 nrg, nph;
	bool file;
};

FIXTURE_VARIANT_ADD(fdp, rg1) { .nrg = 1, .nph = NRUH };
FIXTURE_VARIANT_ADD(fdp, rg2) { .nrg = 2, .nph = 6 };
/* Writes the backend completes later (direct I/O on 6.12's tmpfs) */
FIXTURE_VARIANT_ADD(fdp, file) { .nrg = 1, .nph = NRUH, .file = true };

FIXTURE_SETUP(fdp)
{
	struct pt_disk_cfg cfg = {
		.size = 16 * PT_MiB, .bs = 512, .flags = ZCBLK_DEV_F_FDP,
		.fdp_ru_size = RU_BLOCKS * 512, .fdp_nruh = NRUH,
		.fdp_nrg = variant->nrg, .fdp_nph = variant->nph,
	};

	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	if (variant->file) {
		snprintf(self->path, sizeof(self->path),
			 "/tmp/zcblk-fdp.XXXXXX");
		pt_backing_file(_metadata, self->path, cfg.size, &cfg);
	}
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
	pt_open(_metadata, &self->d, &self->cfd, &self->bfd);
	self->buf = pt_map(PT_MiB);
	ASSERT_NE(NULL, self->buf);
	ASSERT_EQ(0, pt_q_init(&self->q, self->cfd, 8, PT_RING_FLAGS));
}

FIXTURE_TEARDOWN_PARENT(fdp)
{
	pt_env_teardown(_metadata, &self->env);
	if (self->path[0])
		unlink(self->path);
}

static __u16 pid(const FIXTURE_VARIANT(fdp) *v, __u32 ph, __u32 rg)
{
	return v->nrg > 1 ? (__u16)(rg << 15 | ph) : (__u16)ph;
}

/* A placed write of @nlb blocks at @slba through io_uring, data @tag. */
static int pwrite_pid(FIXTURE_DATA(fdp) *self, __u64 slba, __u32 nlb,
		      __u32 dtype, __u32 dspec, __u32 tag)
{
	struct nvme_uring_cmd c;

	pt_fill(self->buf, 512, slba, nlb, tag);
	c = pt_rw(PT_OP_WRITE, slba, nlb, self->buf, nlb * 512);
	c.cdw12 |= dtype;
	c.cdw13 = dspec << 16;
	return pt_q_cmd(&self->q, NVME_URING_CMD_IO, &c, -1, NULL);
}

/* I/O Management Receive, RUH Status, into self->buf + 512 KiB. */
static __u8 *ruh_status(struct __test_metadata *_metadata,
			FIXTURE_DATA(fdp) *self, __u32 bytes)
{
	__u8 *st = (__u8 *)self->buf + 512 * PT_KiB;
	struct nvme_uring_cmd c = {
		.opcode = OP_MGMT_RECV, .nsid = PT_NSID, .cdw10 = 1,
		.cdw11 = bytes / 4 - 1, .addr = (uintptr_t)st,
		.data_len = bytes,
	};

	memset(st, 0xa5, bytes + 64);
	EXPECT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	return st;
}

/* RUAMW of (ph, rg) from a status with every descriptor. */
static __u64 ruamw(struct __test_metadata *_metadata, FIXTURE_DATA(fdp) *self,
		   const FIXTURE_VARIANT(fdp) *v, __u32 ph, __u32 rg)
{
	__u8 *st = ruh_status(_metadata, self, 16 + 32 * v->nph * v->nrg);
	__u8 *d = st + 16 + 32 * (ph * v->nrg + rg);

	EXPECT_EQ(pid(v, ph, rg), pt_le16(d));
	EXPECT_EQ(ph, pt_le16(d + 2));
	return pt_le64(d + 8);
}

/* Get Log Page of the endurance group (LSI 1), @lsp, into @log. */
static int get_log(FIXTURE_DATA(fdp) *self, __u8 lid, __u32 lsp, __u32 lsi,
		   void *log, __u32 len)
{
	struct nvme_uring_cmd c = pt_get_log(0, lid, log, len);

	c.cdw10 |= lsp << 8;
	c.cdw11 |= lsi << 16;
	return pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL);
}

/* Set Features FDP Events: @types for placement handle @ph. */
static int set_events(FIXTURE_DATA(fdp) *self, __u32 ph, const __u8 *types,
		      __u32 n, bool on)
{
	__u8 *t = (__u8 *)self->buf + 768 * PT_KiB;
	struct nvme_uring_cmd c = {
		.opcode = ADM_SET_FEAT, .nsid = PT_NSID, .cdw10 = 0x1e,
		.cdw11 = ph | n << 16, .cdw12 = on, .addr = (uintptr_t)t,
		.data_len = 4096,
	};

	memcpy(t, types, n);
	return pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL);
}

/* Events of one log (host or controller) into @log: their number. */
static __u32 events(struct __test_metadata *_metadata,
		    FIXTURE_DATA(fdp) *self, bool host, __u8 *log)
{
	EXPECT_EQ(0, get_log(self, 0x23, host, 1, log, 4096));
	return pt_le32(log);
}

static __u64 stat_hbmw(struct __test_metadata *_metadata,
		       FIXTURE_DATA(fdp) *self)
{
	__u8 log[64];

	EXPECT_EQ(0, get_log(self, 0x22, 0, 1, log, sizeof(log)));
	EXPECT_EQ(pt_le64(log), pt_le64(log + 16));	/* MBMW: no GC */
	return pt_le64(log);
}

TEST_F(fdp, identify)
{
	__u8 *id = (__u8 *)self->buf;
	struct nvme_uring_cmd c = pt_identify(0, 1, 0, id);
	__u32 i;

	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	EXPECT_EQ((1U << 4) | (1U << 19), pt_le32(id + 96) & 0x80010);
	EXPECT_EQ(1, pt_le16(id + 340));			/* ENDGIDMAX */
	c = pt_identify(PT_NSID, 0, 0, id);
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	EXPECT_EQ(1, pt_le16(id + 102));			/* ENDGID */
	c = pt_get_log(PT_NSID, 0x05, id, 4096);
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	EXPECT_EQ(1, pt_le32(id + 1024 + 4 * OP_MGMT_RECV));
	EXPECT_EQ(1, pt_le32(id + 1024 + 4 * OP_MGMT_SEND));

	/* FDP Configurations: one, valid, as the disk was made */
	memset(id, 0xa5, 4096);
	ASSERT_EQ(0, get_log(self, 0x20, 0, 1, id, 4096));
	EXPECT_EQ(0, pt_le16(id));				/* NUMFDPC */
	EXPECT_EQ(16 + 64 + 4 * NRUH, pt_le32(id + 4));	/* SZE */
	EXPECT_EQ(64 + 4 * NRUH, pt_le16(id + 16));		/* DSZE */
	/* FDPA: valid, RGIF, a volatile write cache (the file's) */
	EXPECT_EQ(0x80 | (variant->nrg > 1 ? 1 : 0) | (variant->file ? 0x10 : 0),
		  id[18]);
	EXPECT_EQ(variant->nrg, pt_le32(id + 20));
	EXPECT_EQ(NRUH, pt_le16(id + 24));
	EXPECT_EQ(NRUH - 1, pt_le16(id + 26));		/* MAXPIDS */
	EXPECT_EQ(1, pt_le32(id + 28));			/* NNSS */
	EXPECT_EQ(RU_BLOCKS * 512, pt_le64(id + 32));		/* RUNS */
	for (i = 0; i < NRUH; i++)
		EXPECT_EQ(1, id[80 + 4 * i]);		/* initially isolated */
	/* RUH Usage: the namespace's handles are host specified */
	ASSERT_EQ(0, get_log(self, 0x21, 0, 1, id, 4096));
	EXPECT_EQ(NRUH, pt_le16(id));
	for (i = 0; i < NRUH; i++)
		EXPECT_EQ(i < variant->nph ? 1 : 0, id[8 + 8 * i]);
	/* Get Features FDP: enabled, configuration 0 */
	{
		struct nvme_uring_cmd g = pt_admin(PT_ADM_GET_FEATURES, 0, 0x1d,
						   1, NULL, 0);
		__u64 result = 0;

		ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &g,
					 &result));
		EXPECT_EQ(1, result);
	}
}

TEST_F(fdp, placement)
{
	__u32 nph = variant->nph, ph, rg = variant->nrg - 1, total = 0;
	__u64 hbmw0 = stat_hbmw(_metadata, self);

	for (ph = 0; ph < nph; ph++) {
		/* handle ph: 3 + ph blocks, in reclaim group rg */
		ASSERT_EQ(0, pwrite_pid(self, 100 * ph, 3 + ph, DTYPE_PLACE,
					pid(variant, ph, rg), ph + 1));
		total += 3 + ph;
	}
	for (ph = 0; ph < nph; ph++) {
		EXPECT_EQ(RU_BLOCKS - 3 - ph, ruamw(_metadata, self, variant,
						    ph, rg));
		if (rg)
			EXPECT_EQ(RU_BLOCKS, ruamw(_metadata, self, variant,
						   ph, 0));
	}
	EXPECT_EQ(hbmw0 + total * 512ULL, stat_hbmw(_metadata, self));
	/* the data is where it was written */
	for (ph = 0; ph < nph; ph++) {
		struct nvme_uring_cmd c = pt_rw(PT_OP_READ, 100 * ph, 3 + ph,
						self->buf, (3 + ph) * 512);

		ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c,
					 NULL));
		EXPECT_TRUE(pt_verify(_metadata, self->buf, 512, 100 * ph,
				      3 + ph, ph + 1, "placed write"));
	}
	/* a status shorter than the descriptors: as much as fits */
	{
		__u8 *st = ruh_status(_metadata, self, 16 + 32 + 8);

		EXPECT_EQ(nph * variant->nrg, pt_le16(st + 14));
		EXPECT_EQ(pid(variant, 0, 0), pt_le16(st + 16));
		EXPECT_EQ(RU_BLOCKS - (rg ? 0 : 3), pt_le64(st + 24));
		EXPECT_EQ(variant->nrg > 1 ? pid(variant, 0, 1) :
					     pid(variant, 1, 0),
			  pt_le16(st + 48));
		EXPECT_EQ(0xa5, st[56]);		/* nothing past it */
	}
}

TEST_F(fdp, reclaim_units)
{
	static const __u8 implicit = 0x81, runfw = 0x00, inval = 0x03;
	__u8 *log = (__u8 *)self->buf + 256 * PT_KiB;
	__u32 n;

	/* handle 3 watches for a new reclaim unit, handle 4 does not */
	ASSERT_EQ(0, set_events(self, 3, &implicit, 1, true));
	ASSERT_EQ(0, pwrite_pid(self, 0, RU_BLOCKS - 8, DTYPE_PLACE, 3, 1));
	ASSERT_EQ(0, pwrite_pid(self, 1000, RU_BLOCKS + 8, DTYPE_PLACE, 4, 1));
	EXPECT_EQ(RU_BLOCKS - 8, ruamw(_metadata, self, variant, 4, 0));
	EXPECT_EQ(0, events(_metadata, self, false, log));
	/* exactly filled: a new, empty unit */
	ASSERT_EQ(0, pwrite_pid(self, 200, 8, DTYPE_PLACE, 3, 1));
	EXPECT_EQ(RU_BLOCKS, ruamw(_metadata, self, variant, 3, 0));
	n = events(_metadata, self, false, log);
	ASSERT_EQ(1, n);
	EXPECT_EQ(implicit, log[64]);
	EXPECT_EQ(7, log[65]);				/* PIV, NSIDV, LV */
	EXPECT_EQ(3, pt_le16(log + 66));
	EXPECT_EQ(1, pt_le32(log + 76));			/* NSID */
	EXPECT_EQ(3, log[64 + 34]);				/* RUHID */
	EXPECT_NE(0, pt_le64(log + 68));			/* a timestamp */
	EXPECT_EQ(0, events(_metadata, self, true, log));

	/* Update: handle 5 half written, with the event on */
	ASSERT_EQ(0, set_events(self, 5, &runfw, 1, true));
	ASSERT_EQ(0, pwrite_pid(self, 300, 16, DTYPE_PLACE, 5, 1));
	EXPECT_EQ(RU_BLOCKS - 16, ruamw(_metadata, self, variant, 5, 0));
	{
		__u16 *pids = (__u16 *)(self->buf + 768 * PT_KiB);
		struct nvme_uring_cmd c = {
			.opcode = OP_MGMT_SEND, .nsid = PT_NSID,
			.cdw10 = 1 | 1U << 16, .addr = (uintptr_t)pids,
			.data_len = 4,
		};

		pids[0] = 5;
		pids[1] = 1;
		ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c,
					 NULL));
		EXPECT_EQ(RU_BLOCKS, ruamw(_metadata, self, variant, 5, 0));
		n = events(_metadata, self, true, log);
		ASSERT_EQ(1, n);		/* handle 7 was empty already */
		EXPECT_EQ(runfw, log[64]);
		EXPECT_EQ(5, pt_le16(log + 66));
		/* an invalid identifier: Invalid Field, nothing updated */
		ASSERT_EQ(0, pwrite_pid(self, 300, 2, DTYPE_PLACE, 5, 1));
		pids[1] = variant->nph;
		EXPECT_EQ(PT_SC_INVALID_FIELD,
			  pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c,
				      NULL));
		EXPECT_EQ(RU_BLOCKS - 2, ruamw(_metadata, self, variant, 5, 0));
		/* more identifiers than the namespace has */
		c.cdw10 = 1 | (variant->nph * variant->nrg) << 16;
		c.data_len = 2 * (variant->nph * variant->nrg + 1);
		EXPECT_EQ(PT_SC_INVALID_FIELD,
			  pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c,
				      NULL));
	}

	/* an invalid placement identifier: handle 0, and its event */
	ASSERT_EQ(0, set_events(self, 0, &inval, 1, true));
	ASSERT_EQ(0, pwrite_pid(self, 400, 4, DTYPE_PLACE, variant->nph, 1));
	EXPECT_EQ(RU_BLOCKS - 4, ruamw(_metadata, self, variant, 0, 0));
	n = events(_metadata, self, true, log);
	ASSERT_EQ(2, n);
	EXPECT_EQ(inval, log[128]);
	EXPECT_EQ(variant->nph, pt_le16(log + 130));
	/* events off again: none more */
	ASSERT_EQ(0, set_events(self, 0, &inval, 1, false));
	ASSERT_EQ(0, pwrite_pid(self, 400, 4, DTYPE_PLACE, variant->nph, 1));
	EXPECT_EQ(2, events(_metadata, self, true, log));
	/* Get Features FDP Events: the three types, handle 3's as set */
	{
		__u8 *d = (__u8 *)self->buf + 768 * PT_KiB;
		struct nvme_uring_cmd g = pt_admin(PT_ADM_GET_FEATURES, PT_NSID,
						   0x1e, 3 | 8U << 16, d, 4096);
		__u64 result = 0;

		ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &g,
					 &result));
		ASSERT_EQ(3, result);
		EXPECT_EQ(0x00, d[0]);
		EXPECT_EQ(0, d[1]);
		EXPECT_EQ(0x03, d[2]);
		EXPECT_EQ(0, d[3]);
		EXPECT_EQ(0x81, d[4]);
		EXPECT_EQ(1, d[5]);
		/* SEL 1, the default: all disabled */
		g.cdw10 = 0x1e | 1 << 8;
		ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &g,
					 &result));
		ASSERT_EQ(3, result);
		EXPECT_EQ(0x81, d[4]);
		EXPECT_EQ(0, d[5]);
		/*
		 * SEL 3, capabilities: namespace specific, changeable, and
		 * no data
		 */
		memset(d, 0xa5, 6);
		g.cdw10 = 0x1e | 3 << 8;
		ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &g,
					 &result));
		EXPECT_EQ(6, result);
		EXPECT_TRUE(pt_all_bytes(d, 6, 0xa5));
		/* FDP: not changeable */
		g = pt_admin(PT_ADM_GET_FEATURES, 0, 0x1d | 3 << 8, 1, NULL, 0);
		ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &g,
					 &result));
		EXPECT_EQ(0, result);
	}
}

/* Copy places its target; the block device writes to handle 0. */
TEST_F(fdp, copy_and_block)
{
	struct pt_copy_range *r = (struct pt_copy_range *)(self->buf +
							   768 * PT_KiB);
	struct nvme_uring_cmd c;
	__u64 hbmw0;

	ASSERT_EQ(0, pwrite_pid(self, 0, 16, 0, 0, 1));
	EXPECT_EQ(RU_BLOCKS - 16, ruamw(_metadata, self, variant, 0, 0));
	r[0] = pt_copy_range(0, 16);
	c = pt_copy_cmd(500, r, 1);
	c.cdw12 |= DTYPE_PLACE;
	c.cdw13 = 2U << 16;
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	EXPECT_EQ(RU_BLOCKS - 16, ruamw(_metadata, self, variant, 2, 0));
	hbmw0 = stat_hbmw(_metadata, self);
	pt_fill(self->buf, 512, 0, 8, 2);
	ASSERT_EQ(0, pt_blk_rw(self->bfd, true, self->buf, 0, 4096));
	EXPECT_EQ(RU_BLOCKS - 24, ruamw(_metadata, self, variant, 0, 0));
	EXPECT_EQ(hbmw0 + 4096, stat_hbmw(_metadata, self));
}

/*
 * Endurance Group Information (09h, LSI 1): AVSP 100%, and its counters
 * move with the I/O: host writes and reads by the commands done, data
 * units written and media units written by the thousands of 512 bytes
 * written (rounded up).
 */
TEST_F(fdp, endurance_log)
{
	__u8 *log = (__u8 *)self->buf + 256 * PT_KiB, before[512];
	struct nvme_uring_cmd c;
	int i;

	ASSERT_EQ(0, get_log(self, 0x09, 0, 1, before, sizeof(before)));
	EXPECT_EQ(100, before[3]);
	/* 4 writes of 250 blocks: 1 000 units of 512 bytes, 1 data unit */
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pwrite_pid(self, 4096 + i * 250, 250, 0, 0, 7));
	for (i = 0; i < 3; i++) {
		c = pt_rw(PT_OP_READ, 4096, 8, self->buf, 8 * 512);
		ASSERT_EQ(0, pt_q_cmd(&self->q, NVME_URING_CMD_IO, &c, -1,
				      NULL));
	}
	ASSERT_EQ(0, get_log(self, 0x09, 0, 1, log, 512));
	EXPECT_EQ(100, log[3]);
	EXPECT_EQ(4, pt_le64(log + 112) - pt_le64(before + 112));
	EXPECT_EQ(3, pt_le64(log + 96) - pt_le64(before + 96));
	/* ceil((n + 1000) / 1000) is ceil(n / 1000) + 1, whatever n */
	EXPECT_EQ(1, pt_le64(log + 64) - pt_le64(before + 64));
	EXPECT_EQ(1, pt_le64(log + 80) - pt_le64(before + 80));
	EXPECT_EQ(PT_SC_INVALID_FIELD, get_log(self, 0x09, 0, 2, log, 512));
}

TEST_F(fdp, refused)
{
	__u8 *log = (__u8 *)self->buf + 256 * PT_KiB;
	static const __u8 bad_type = 0x05;
	struct nvme_uring_cmd c;

	/* directives: only Data Placement, DSPEC only with it, on writes */
	EXPECT_EQ(PT_SC_INVALID_FIELD, pwrite_pid(self, 0, 1, 1U << 20, 0, 1));
	EXPECT_EQ(PT_SC_INVALID_FIELD, pwrite_pid(self, 0, 1, 0, 1, 1));
	c = pt_rw(PT_OP_READ, 0, 1, self->buf, 512);
	c.cdw12 |= DTYPE_PLACE;
	EXPECT_EQ(PT_SC_INVALID_FIELD, pt_passthru(self->cfd,
						   NVME_IOCTL_IO64_CMD, &c,
						   NULL));
	/* management operations other than 0 and 1 */
	c = (struct nvme_uring_cmd){
		.opcode = OP_MGMT_RECV, .nsid = PT_NSID, .cdw10 = 2,
		.cdw11 = 3, .addr = (uintptr_t)log, .data_len = 16,
	};
	EXPECT_EQ(PT_SC_INVALID_FIELD, pt_passthru(self->cfd,
						   NVME_IOCTL_IO64_CMD, &c,
						   NULL));
	/* FDP Events: a handle past the namespace's, no types, a bad type */
	EXPECT_EQ(PT_SC_INVALID_FIELD, set_events(self, variant->nph,
						  &bad_type, 0, true));
	EXPECT_EQ(PT_SC_INVALID_FIELD, set_events(self, 0, &bad_type, 0,
						  true));
	EXPECT_EQ(PT_SC_INVALID_FIELD, set_events(self, 0, &bad_type, 1,
						  true));
	/* Set Features FDP: not while the namespace exists */
	c = pt_admin(ADM_SET_FEAT, 0, 0x1d, 1, NULL, 0);
	EXPECT_EQ(SC_SEQ_ERROR, pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD,
					    &c, NULL));
	/* another endurance group, LSP on another log */
	EXPECT_EQ(PT_SC_INVALID_FIELD, get_log(self, 0x20, 0, 2, log, 4096));
	EXPECT_EQ(PT_SC_INVALID_FIELD, get_log(self, 0x22, 1, 1, log, 64));
	EXPECT_EQ(PT_SC_INVALID_FIELD, get_log(self, 0x22, 0, 0, log, 64));
}

/* A disk without FDP has none of it. */
TEST(fdp_absent)
{
	struct pt_disk_cfg cfg = { .size = 4 * PT_MiB, .bs = 512 };
	__u8 *buf = pt_map(PT_MiB);
	struct nvme_uring_cmd c;
	struct pt_disk d;
	struct pt_env env;
	int fd;

	pt_env_setup(_metadata, &env);
	if (_metadata->exit_code)
		return;
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, pt_disk_add(_metadata, &env, &cfg, &d));
	pt_open(_metadata, &d, &fd, NULL);
	c = pt_identify(0, 1, 0, buf);
	ASSERT_EQ(0, pt_passthru(fd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	EXPECT_EQ(0, pt_le32(buf + 96) & 0x80010);
	c = pt_rw(PT_OP_WRITE, 0, 1, buf, 512);
	c.cdw12 |= DTYPE_PLACE;
	EXPECT_EQ(PT_SC_INVALID_FIELD, pt_passthru(fd, NVME_IOCTL_IO64_CMD,
						   &c, NULL));
	c = (struct nvme_uring_cmd){
		.opcode = OP_MGMT_RECV, .nsid = PT_NSID, .cdw10 = 1,
		.cdw11 = 3, .addr = (uintptr_t)buf, .data_len = 16,
	};
	EXPECT_EQ(PT_SC_INVALID_OPCODE, pt_passthru(fd, NVME_IOCTL_IO64_CMD,
						    &c, NULL));
	c = pt_get_log(0, 0x20, buf, 4096);
	c.cdw11 |= 1U << 16;
	EXPECT_EQ(PT_SC_INVALID_FIELD, pt_passthru(fd, NVME_IOCTL_ADMIN64_CMD,
						   &c, NULL));
	c = pt_admin(PT_ADM_GET_FEATURES, 0, 0x1d, 1, NULL, 0);
	EXPECT_EQ(PT_SC_INVALID_FIELD, pt_passthru(fd, NVME_IOCTL_ADMIN64_CMD,
						   &c, NULL));
	close(fd);
	munmap(buf, PT_MiB);
	pt_env_teardown(_metadata, &env);
}

TEST_HARNESS_MAIN
