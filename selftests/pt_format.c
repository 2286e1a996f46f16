// SPDX-License-Identifier: GPL-2.0
/*
 * Format NVM (admin 80h; Documentation/integrity.rst, "Format NVM"):
 * offered in OACS and the effects log (LBCC, NCC, NIC, namespace-exclusive)
 * on mem and null disks; each format of the table taken in turn, with
 * and without metadata, separate and extended, PI of each type first and
 * last, with the 16-bit and the 64-bit guard: Identify Namespace's FLBAS, DPS and NSZE follow, the data is
 * erased (reads zeros), I/O of the new block size works on the char
 * device and, where the block layer carries the format, on the block
 * device, whose logical block size, integrity profile and capacity (0 for
 * metadata without PI) follow in sysfs. Refused, nothing changed: an LBA
 * format past the table or PI without metadata (Invalid Format, 10Ah), a
 * PI type above 3, secure erase 2, reserved bits (Invalid Field), another
 * namespace (Invalid Namespace), a metadata buffer (EINVAL), a size not a
 * multiple of the new block size (10Ah), the block device open or a
 * command in flight (EBUSY), the power cut (Namespace Not Ready, 82h).
 * Zoned, FDP, write-cache and file disks do not offer it (Invalid
 * Opcode). A disk made without a block device formats on its char
 * device and keeps none. A reader racing formats sees its data or
 * Format In Progress (84h), nothing else; through a ring, inline and from
 * io-wq, in its CQE, the NOP linked after it run. A format waiting for its disk
 * holds no other: one is described, opened and changed meanwhile.
 *
 * Every test ends (FIXTURE_TEARDOWN_PARENT) with: no splat in the kernel
 * log, zcblk's pins balanced, /proc/vmstat's FOLL_PIN balance back.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/utsname.h>

#include "pt_common.h"

#define SIZE		(16 * PT_MiB)
#define ADM_FORMAT	0x80
#define SC_INVALID_FORMAT	0x410a
#define SC_INVALID_FIELD	0x4002
#define SC_INVALID_NS		0x400b
#define SC_INVALID_OPCODE	0x4001
#define SC_FORMATTING		0x0084
#define SC_GUARD		0x4282
#define ID_CTRL_OACS	256
#define ID_NS_DPS	29
#define MSET		(1U << 4)
#define PI(t)		((__u32)(t) << 5)
#define PIL		(1U << 8)
#define SES(s)		((__u32)(s) << 9)

FIXTURE(fmt) {
	struct pt_env env;
	struct pt_disk d;
	int cfd;
	char *buf;		/* 1 MiB */
};

FIXTURE_SETUP(fmt)
{
	struct pt_disk_cfg cfg = { .size = SIZE, .bs = 512 };

	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
	pt_open(_metadata, &self->d, &self->cfd, NULL);
	ASSERT_EQ(0, pt_wait_node(self->d.blk));
	self->buf = pt_map(PT_MiB);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN_PARENT(fmt)
{
	pt_env_teardown(_metadata, &self->env);
}

/* Format NVM with @cdw10 through the admin ioctl: status or -errno. */
static int format(int fd, __u32 nsid, __u32 cdw10)
{
	struct nvme_uring_cmd c = pt_admin(ADM_FORMAT, nsid, cdw10, 0, NULL,
					   0);

	return pt_passthru(fd, NVME_IOCTL_ADMIN_CMD, &c, NULL);
}

/* Identify (Namespace: cns 0, Controller: cns 1) into @buf. */
static int identify(int fd, __u8 cns, void *buf)
{
	struct nvme_uring_cmd c = pt_identify(cns ? 0 : PT_NSID, cns, 0, buf);

	return pt_passthru(fd, NVME_IOCTL_ADMIN_CMD, &c, NULL);
}

/* A number from /sys/block/zcblkN/@attr, or -1. */
static long long sysfs_num(const struct pt_disk *d, const char *attr)
{
	char path[128], buf[64];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/block/%s/%s", d->blk + 5, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = strtoll(buf, NULL, 0);
	fclose(f);
	return v;
}

/* /sys/block/zcblkN/integrity/format, "" if there is none. */
static void sysfs_integrity(const struct pt_disk *d, char *out, size_t len)
{
	char path[128];
	FILE *f;

	out[0] = 0;
	snprintf(path, sizeof(path), "/sys/block/%s/integrity/format",
		 d->blk + 5);
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(out, len, f))
		out[strcspn(out, "\n")] = 0;
	fclose(f);
}

/* What a format is and what the disk should then look like. */
struct want {
	__u32 cdw10;
	__u32 bs, ms;
	__u8 flbas, dps;
	bool bdev;		/* the block layer carries it */
	const char *profile;	/* integrity/format */
};

static bool on_61(void)
{
	struct utsname u;

	return !uname(&u) && !strncmp(u.release, "6.1.", 4);
}

/* The disk as @w says: Identify, sysfs, zeros, a round trip. */
static void check_format(struct __test_metadata *_metadata,
			 FIXTURE_DATA(fmt) *self, const struct want *w)
{
	__u32 per = w->bs + ((w->flbas & 0x10) ? w->ms : 0), nlb = 4;
	char *id = self->buf, *data = self->buf + 8192;
	char *md = self->buf + 512 * PT_KiB, prof[64];
	struct nvme_uring_cmd c;
	unsigned int i;
	int bfd;

	ASSERT_EQ(0, identify(self->cfd, 0, id));
	EXPECT_EQ(w->flbas, id[PT_ID_NS_FLBAS]);
	EXPECT_EQ(w->dps, id[ID_NS_DPS]);
	EXPECT_EQ(SIZE / w->bs, pt_le64(id + PT_ID_NS_NSZE));

	EXPECT_EQ(w->bs, sysfs_num(&self->d, "queue/logical_block_size"));
	EXPECT_EQ(w->bdev ? SIZE / 512 : 0, sysfs_num(&self->d, "size"));
	sysfs_integrity(&self->d, prof, sizeof(prof));
	EXPECT_STREQ(w->profile ? w->profile : "none", prof);

	/* erased: zeros (PI: the escape tags, pt_pi's never_written) */
	memset(data, 0x5a, nlb * per);
	memset(md, 0x5a, nlb * w->ms);
	c = pt_rw(PT_OP_READ, 0, nlb, data, nlb * per);
	if (w->ms && !(w->flbas & 0x10)) {
		c.metadata = (uintptr_t)md;
		c.metadata_len = nlb * w->ms;
	}
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	for (i = 0; i < nlb; i++) {
		EXPECT_TRUE(pt_all_bytes(data + i * per, w->bs, 0)) {
			TH_LOG("block %u not erased", i);
		}
	}
	if (!w->dps && w->ms && !(w->flbas & 0x10))
		EXPECT_TRUE(pt_all_bytes(md, nlb * w->ms, 0));

	/* a round trip of the new block size; PI made by the disk (PRACT) */
	pt_fill(data, per, 8, nlb, 7);
	c = pt_rw(PT_OP_WRITE, 8, nlb, data, nlb * per);
	if (w->dps)
		c.cdw12 |= 1U << 29;
	/* PRACT with metadata that is the PI alone: no metadata moves */
	if (w->ms && !(w->flbas & 0x10) &&
	    !(w->dps && w->ms == ((w->flbas & 0xf) >= 6 ? 16 : 8))) {
		c.metadata = (uintptr_t)md;
		c.metadata_len = nlb * w->ms;
	}
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	memset(data + nlb * per, 0, nlb * per);
	c.opcode = PT_OP_READ;
	c.addr = (uintptr_t)(data + nlb * per);
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	/* with PI, the first block's data: PRACT replaced its PI */
	EXPECT_EQ(0, memcmp(data, data + nlb * per,
			    w->dps ? w->bs : nlb * per));
	/* the same at LBA 0, for the next format to erase */
	c.opcode = PT_OP_WRITE;
	c.addr = (uintptr_t)data;
	c.cdw10 = 0;
	c.cdw11 = 0;
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL));

	if (!w->bdev)
		return;
	/* the block device in its new block size */
	bfd = open(self->d.blk, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, bfd);
	pt_fill(data, w->bs, 16, 2, 9);
	EXPECT_EQ(2 * w->bs, pwrite(bfd, data, 2 * w->bs, 16 * w->bs));
	memset(data + 8192, 0, 2 * w->bs);
	EXPECT_EQ(2 * w->bs, pread(bfd, data + 8192, 2 * w->bs, 16 * w->bs));
	EXPECT_EQ(0, memcmp(data, data + 8192, 2 * w->bs));
	close(bfd);
}

/* OACS, the effects log, then every kind of format in turn. */
TEST_F(fmt, formats)
{
	const char *t1 = "T10-DIF-TYPE1-CRC", *t3 = "T10-DIF-TYPE3-CRC";
	const char *x1 = "EXT-DIF-TYPE1-CRC64", *x3 = "EXT-DIF-TYPE3-CRC64";
	const struct want w[] = {
		{ 3, 4096, 0, 3, 0, true, NULL },
		{ 1 | SES(1), 512, 8, 1, 0, false, NULL },
		{ 2 | MSET, 512, 16, 0x12, 0, false, NULL },
		{ 4 | PI(1), 4096, 8, 4, 1, true, t1 },
		{ 2 | PI(2) | PIL, 512, 16, 2, 2 | 8, true, t1 },
		{ 5 | PI(3), 4096, 64, 5, 3, !on_61(), on_61() ? NULL : t3 },
		{ 1 | MSET | PI(1), 512, 8, 0x11, 1, false, NULL },
		/* the 64-bit guard's formats */
		{ 6 | PI(1), 512, 16, 6, 1, true, x1 },
		{ 8 | PI(3) | PIL, 4096, 64, 8, 3 | 8, true, x3 },
		{ 7 | MSET, 4096, 16, 0x17, 0, false, NULL },
		{ 0, 512, 0, 0, 0, true, NULL },
	};
	__u8 *log = (__u8 *)self->buf;
	struct nvme_uring_cmd c;
	unsigned int i;

	ASSERT_EQ(0, identify(self->cfd, 1, self->buf));
	EXPECT_EQ(2, pt_le16(self->buf + ID_CTRL_OACS) & 2);
	c = pt_get_log(0, 0x05, log, 4096);
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_ADMIN_CMD, &c, NULL));
	EXPECT_EQ(0x1000f, pt_le32(log + 4 * ADM_FORMAT));

	/*
	 * Data written before a format is gone after it: this, then what
	 * each check_format() leaves at LBA 0.
	 */
	pt_fill(self->buf, 512, 0, 8, 3);
	c = pt_rw(PT_OP_WRITE, 0, 8, self->buf, 8 * 512);
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	for (i = 0; i < ARRAY_SIZE(w); i++) {
		int res = format(self->cfd, i % 2 ? PT_NSID : 0xffffffff,
				 w[i].cdw10);

		ASSERT_EQ(0, res) {
			TH_LOG("format %#x: %s", w[i].cdw10, pt_res_str(res));
		}
		check_format(_metadata, self, &w[i]);
		if (_metadata->exit_code)
			TH_LOG("after format %#x", w[i].cdw10);
	}
}

/* Each refusal with its status; the format and data as they were. */
static void stall(struct __test_metadata *_metadata,
		  FIXTURE_DATA(fmt) *self, __u32 on)
{
	struct zcblk_dev_settings s = {
		.size = sizeof(s), .set = ZCBLK_SET_STALL, .stall = on,
	};

	ASSERT_EQ(0, zcblk_dev_set(self->env.ctx, self->d.index, &s, NULL));
}

/* A read of LBAs 0-7 into buf + 8 KiB, held by the disk (stall) */
static void park_read(struct __test_metadata *_metadata,
		      FIXTURE_DATA(fmt) *self, struct pt_q *q)
{
	struct nvme_uring_cmd c;
	struct zcblk_dev_stats st;
	int waited = 0;

	ASSERT_EQ(0, pt_q_init(q, self->cfd, 4, PT_RING_FLAGS));
	stall(_metadata, self, 1);
	/* faulted in: issued inline, not from an io-wq worker later */
	memset(self->buf + 8192, 0, 8 * 512);
	c = pt_rw(PT_OP_READ, 0, 8, self->buf + 8192, 8 * 512);
	pt_q_prep(q, io_uring_get_sqe(&q->ring), NVME_URING_CMD_IO, &c, -1, 1);
	ASSERT_EQ(1, io_uring_submit(&q->ring));
	do {
		ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &st));
		if (st.pt_inflight)
			break;
		pt_msleep(10);
	} while (++waited < 500);
	ASSERT_EQ(1, st.pt_inflight);
}

static void unpark_read(struct __test_metadata *_metadata,
			FIXTURE_DATA(fmt) *self, struct pt_q *q)
{
	__u64 ud;

	stall(_metadata, self, 0);
	EXPECT_EQ(0, pt_q_reap(q, &ud, NULL));
	pt_q_exit(q);
}

TEST_F(fmt, refused)
{
	static const struct { __u32 nsid, cdw10; int res; } bad[] = {
		{ PT_NSID, 9, SC_INVALID_FORMAT },
		{ PT_NSID, 1U << 12, SC_INVALID_FORMAT },	/* LBAF 16 */
		{ PT_NSID, 0 | PI(1), SC_INVALID_FORMAT },
		{ PT_NSID, 3 | PI(1), SC_INVALID_FORMAT },
		{ PT_NSID, 1 | PI(4), SC_INVALID_FIELD },
		{ PT_NSID, 3 | SES(2), SC_INVALID_FIELD },
		{ PT_NSID, 3 | 1U << 14, SC_INVALID_FIELD },
		{ 2, 3, SC_INVALID_NS },
		{ 0, 3, SC_INVALID_NS },
	};
	struct nvme_uring_cmd c;
	struct pt_q q;
	unsigned int i;
	int bfd, res;

	pt_fill(self->buf, 512, 0, 8, 4);
	c = pt_rw(PT_OP_WRITE, 0, 8, self->buf, 8 * 512);
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		res = format(self->cfd, bad[i].nsid, bad[i].cdw10);
		EXPECT_EQ(bad[i].res, res) {
			TH_LOG("nsid %u cdw10 %#x: %s", bad[i].nsid,
			       bad[i].cdw10, pt_res_str(res));
		}
	}
	c = pt_admin(ADM_FORMAT, PT_NSID, 3, 1, NULL, 0);	/* cdw11 */
	EXPECT_EQ(SC_INVALID_FIELD,
		  pt_passthru(self->cfd, NVME_IOCTL_ADMIN_CMD, &c, NULL));
	c = pt_admin(ADM_FORMAT, PT_NSID, 3, 0, NULL, 0);
	c.metadata = (uintptr_t)self->buf;
	c.metadata_len = 512;
	EXPECT_EQ(-EINVAL,
		  pt_passthru(self->cfd, NVME_IOCTL_ADMIN_CMD, &c, NULL));

	/* the block device open */
	bfd = open(self->d.blk, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, bfd);
	EXPECT_EQ(-EBUSY, format(self->cfd, PT_NSID, 3));
	close(bfd);

	/* a command in flight: held by the disk (stall) */
	park_read(_metadata, self, &q);
	EXPECT_EQ(-EBUSY, format(self->cfd, PT_NSID, 3));
	unpark_read(_metadata, self, &q);
	EXPECT_EQ(0, memcmp(self->buf, self->buf + 8192, 8 * 512));

	/* power cut: the namespace is not ready (Documentation/durability.rst) */
	ASSERT_EQ(0, zcblk_dev_power(self->env.ctx, self->d.index,
				     ZCBLK_POWER_STATE_CUT,
				     ZCBLK_CUT_MODE_DROP, 0));
	EXPECT_EQ(PT_SC_NOT_READY, format(self->cfd, PT_NSID, 3));
	ASSERT_EQ(0, zcblk_dev_power(self->env.ctx, self->d.index,
				     ZCBLK_POWER_STATE_ON, 0, 0));

	/* nothing changed */
	ASSERT_EQ(0, identify(self->cfd, 0, self->buf + 65536));
	EXPECT_EQ(0, self->buf[65536 + PT_ID_NS_FLBAS]);
	memset(self->buf + 8192, 0, 8 * 512);
	c = pt_rw(PT_OP_READ, 0, 8, self->buf + 8192, 8 * 512);
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	EXPECT_EQ(0, memcmp(self->buf, self->buf + 8192, 8 * 512));
	/* then it formats */
	EXPECT_EQ(0, format(self->cfd, PT_NSID, 3));
}

struct racer {
	int fd;
	char *buf;
	volatile bool stop;
	unsigned long ok, formatting, other;
	int other_res;
};

static void *race_reader(void *arg)
{
	struct racer *r = arg;

	while (!r->stop) {
		struct nvme_uring_cmd c = pt_rw(PT_OP_READ, 1, 1, r->buf, 4096);
		int res = pt_passthru(r->fd, NVME_IOCTL_IO64_CMD, &c, NULL);

		if (!res) {
			r->ok++;
		} else if (res == SC_FORMATTING) {
			r->formatting++;
		} else {
			r->other++;
			r->other_res = res;
		}
		usleep(500);
	}
	return NULL;
}

struct slow_format {
	int fd, res;
	atomic_int done;
};

static void *slow_format(void *arg)
{
	struct slow_format *f = arg;

	f->res = format(f->fd, PT_NSID, 3);
	atomic_store(&f->done, 1);
	return NULL;
}

/*
 * A format holds its own disk only: while one waits (a second, for a
 * read the disk holds) another disk is described, opened and changed.
 */
TEST_F(fmt, other_disks_not_held)
{
	struct pt_disk_cfg cfg = { .size = SIZE, .bs = 512 };
	struct zcblk_dev_settings s = {
		.size = sizeof(s), .set = ZCBLK_SET_LATENCY_NS,
	};
	struct slow_format f = { .fd = self->cfd };
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct pt_disk other;
	struct pt_q q;
	pthread_t t;
	int fd;

	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &other));
	park_read(_metadata, self, &q);
	ASSERT_EQ(0, pthread_create(&t, NULL, slow_format, &f));
	pt_msleep(200);
	EXPECT_EQ(0, zcblk_dev_get(self->env.ctx, other.index, &info));
	fd = open(other.chr, O_RDWR | O_CLOEXEC);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	EXPECT_EQ(0, zcblk_dev_set(self->env.ctx, other.index, &s, NULL));
	EXPECT_EQ(0, atomic_load(&f.done)) {
		TH_LOG("the other disk's operations waited for the format");
	}
	pthread_join(t, NULL);
	EXPECT_EQ(-EBUSY, f.res);
	unpark_read(_metadata, self, &q);
}

/* Formats racing a reader: it reads, or is told a format runs. */
TEST_F(fmt, race)
{
	struct racer r = { .buf = self->buf };
	unsigned int i, done = 0, busy = 0;
	pthread_t t;

	r.fd = open(self->d.chr, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, r.fd);
	ASSERT_EQ(0, pthread_create(&t, NULL, race_reader, &r));
	for (i = 0; i < 60; i++) {
		int res = format(self->cfd, PT_NSID, i % 2 ? 0 : 3);

		if (!res) {
			done++;
		} else if (res == -EBUSY) {
			busy++;
		} else {
			EXPECT_EQ(0, res);
		}
		usleep(1000);
	}
	r.stop = true;
	pthread_join(t, NULL);
	close(r.fd);
	TH_LOG("%u formats, %u busy; reads: %lu ok, %lu Format In Progress",
	       done, busy, r.ok, r.formatting);
	EXPECT_LT(0, done);
	EXPECT_LT(0, r.ok);
	/* a read met a format (84h), or a format met a read (EBUSY) */
	EXPECT_LT(0, r.formatting + busy);
	EXPECT_EQ(0, r.other) {
		TH_LOG("a read ended %s", pt_res_str(r.other_res));
	}
}

struct ring_racer {
	int fd;
	char *buf;
	atomic_bool stop;
	/* [0] issued inline, [1] from io-wq (IOSQE_ASYNC) */
	atomic_ulong ok, formatting[2];
	unsigned long other, lost, cancelled;
	int other_res, nop_res;
};

/* One read linked to a NOP, waited for: false if a CQE never came. */
static bool ring_read(struct ring_racer *r, struct pt_q *q, bool async)
{
	struct nvme_uring_cmd c = pt_rw(PT_OP_READ, 1, 1, r->buf, 4096);
	struct io_uring_sqe *sqe = io_uring_get_sqe(&q->ring);
	int n;

	pt_q_prep(q, sqe, NVME_URING_CMD_IO, &c, -1, 1);
	sqe->flags |= IOSQE_IO_LINK | (async ? IOSQE_ASYNC : 0);
	sqe = io_uring_get_sqe(&q->ring);
	io_uring_prep_nop(sqe);
	sqe->user_data = 2;
	if (io_uring_submit(&q->ring) != 2) {
		r->other++;
		r->other_res = PT_EHARNESS;
		return false;
	}
	for (n = 0; n < 2; n++) {
		struct __kernel_timespec ts = { .tv_sec = 5 };
		struct io_uring_cqe *cqe;

		if (io_uring_wait_cqe_timeout(&q->ring, &cqe, &ts)) {
			r->lost++;
			return false;
		}
		if (cqe->user_data == 2) {
			if (cqe->res) {
				r->cancelled++;
				r->nop_res = cqe->res;
			}
		} else if (!cqe->res) {
			atomic_fetch_add(&r->ok, 1);
		} else if (cqe->res == SC_FORMATTING) {
			atomic_fetch_add(&r->formatting[async], 1);
		} else {
			r->other++;
			r->other_res = cqe->res;
		}
		io_uring_cqe_seen(&q->ring, cqe);
	}
	return true;
}

static void *ring_reader(void *arg)
{
	struct ring_racer *r = arg;
	unsigned long i;
	struct pt_q q;

	if (pt_q_init(&q, r->fd, 8, PT_RING_FLAGS)) {
		r->other++;
		r->other_res = PT_EHARNESS;
		return NULL;
	}
	for (i = 0; !atomic_load(&r->stop); i++) {
		if (!ring_read(r, &q, i & 1))
			break;
		usleep(200);
	}
	/* A lost command holds the ring: its exit goes on in the kernel. */
	pt_q_exit(&q);
	return NULL;
}

/*
 * The same race through a ring, each read issued inline or from io-wq and
 * linked to a NOP: every read completes with its data or 84h in its CQE,
 * and the NOP after it runs, as after a controller's status. On 6.1, io-wq
 * dropped a status returned from the issue (the command never completed,
 * its ring never went) and the inline issue failed the link after it.
 */
TEST_F(fmt, race_ring)
{
	struct ring_racer r = { .buf = self->buf };
	unsigned int i, done = 0, busy = 0;
	pthread_t t;

	r.fd = open(self->d.chr, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, r.fd);
	ASSERT_EQ(0, pthread_create(&t, NULL, ring_reader, &r));
	/* 60 formats at least; on until both issues met one, 2 000 at most */
	for (i = 0; i < 2000 && !r.lost; i++) {
		int res = format(self->cfd, PT_NSID, i % 2 ? 0 : 3);

		if (!res)
			done++;
		else if (res == -EBUSY)
			busy++;
		else
			EXPECT_EQ(0, res);
		if (i >= 60 && atomic_load(&r.formatting[0]) >= 5 &&
		    atomic_load(&r.formatting[1]) >= 5)
			break;
		usleep(1000);
	}
	atomic_store(&r.stop, true);
	pthread_join(t, NULL);
	close(r.fd);
	TH_LOG("%u formats, %u busy; reads: %lu ok, %lu and %lu Format In Progress (inline, io-wq)",
	       done, busy, atomic_load(&r.ok),
	       atomic_load(&r.formatting[0]), atomic_load(&r.formatting[1]));
	EXPECT_EQ(0, r.lost) {
		TH_LOG("a read's CQE did not come within 5 s");
	}
	EXPECT_EQ(0, r.cancelled) {
		TH_LOG("the NOP linked after a read ended %s",
		       pt_res_str(r.nop_res));
	}
	EXPECT_EQ(0, r.other) {
		TH_LOG("a read ended %s", pt_res_str(r.other_res));
	}
	EXPECT_LT(0, atomic_load(&r.ok));
	/* Both issues met a format: what this test is for */
	EXPECT_LT(0, atomic_load(&r.formatting[0]));
	EXPECT_LT(0, atomic_load(&r.formatting[1]));
}

/*
 * A disk made without a block device (separate metadata without PI, which
 * the block layer cannot carry) formats through its char device and keeps
 * none, as integrity.rst says: no node, no sysfs entry, before or after.
 */
TEST(no_block_device)
{
	struct pt_disk_cfg cfg = { .size = SIZE, .bs = 512,
				   .metadata_size = 8 };
	__u32 prchk = 1U << 28 | 1U << 26, pract = 1U << 29;
	char *buf = pt_map(PT_MiB), sys[64], blk[64];
	struct nvme_uring_cmd c;
	struct pt_env env;
	struct pt_disk d;
	int cfd, res;

	pt_env_setup(_metadata, &env);
	if (_metadata->exit_code)
		return;
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, pt_disk_add(_metadata, &env, &cfg, &d));
	pt_open(_metadata, &d, &cfd, NULL);
	snprintf(blk, sizeof(blk), "/dev/zcblk%u", d.index);
	snprintf(sys, sizeof(sys), "/sys/block/zcblk%u", d.index);
	EXPECT_EQ(-1, access(blk, F_OK));
	EXPECT_EQ(-1, access(sys, F_OK));

	/* 4096 + 8, PI type 1: a format the block layer could carry */
	res = format(cfd, PT_NSID, 4 | PI(1));
	ASSERT_EQ(0, res) {
		TH_LOG("format: %s", pt_res_str(res));
	}
	ASSERT_EQ(0, identify(cfd, 0, buf));
	EXPECT_EQ(4, buf[PT_ID_NS_FLBAS]);
	EXPECT_EQ(1, buf[ID_NS_DPS]);
	EXPECT_EQ(SIZE / 4096, pt_le64(buf + PT_ID_NS_NSZE));
	/* PI made by the disk on write, checked and stripped on read */
	pt_fill(buf, 4096, 8, 4, 7);
	c = pt_rw(PT_OP_WRITE, 8, 4, buf, 4 * 4096);
	c.cdw12 |= pract | prchk;
	c.cdw14 = 8;
	ASSERT_EQ(0, pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	memset(buf, 0, 4 * 4096);
	c.opcode = PT_OP_READ;
	ASSERT_EQ(0, pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	EXPECT_TRUE(pt_verify(_metadata, buf, 4096, 8, 4, 7, "read"));
	/* a corrupted guard: the disk did check */
	ASSERT_EQ(0, zcblk_dev_corrupt(env.ctx, d.index, 9, 1,
				       ZCBLK_CORRUPT_GUARD));
	EXPECT_EQ(SC_GUARD, pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	EXPECT_EQ(-1, access(blk, F_OK));
	EXPECT_EQ(-1, access(sys, F_OK));

	/* and back to 512 without metadata: still no block device */
	ASSERT_EQ(0, format(cfd, 0xffffffff, 0));
	ASSERT_EQ(0, identify(cfd, 0, buf));
	EXPECT_EQ(0, buf[PT_ID_NS_FLBAS]);
	EXPECT_EQ(0, buf[ID_NS_DPS]);
	EXPECT_EQ(SIZE / 512, pt_le64(buf + PT_ID_NS_NSZE));
	c = pt_rw(PT_OP_READ, 64, 8, buf, 8 * 512);
	ASSERT_EQ(0, pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	EXPECT_TRUE(pt_all_bytes(buf, 8 * 512, 0));
	EXPECT_EQ(-1, access(blk, F_OK));
	EXPECT_EQ(-1, access(sys, F_OK));
	close(cfd);
	munmap(buf, PT_MiB);
	pt_env_teardown(_metadata, &env);
}

/* Disks whose state a format would have to keep do not offer it. */
TEST(not_offered)
{
	struct pt_disk_cfg cfgs[] = {
		{ .size = 64 * PT_MiB, .bs = 4096, .flags = ZCBLK_DEV_F_ZONED },
		{ .size = 64 * PT_MiB, .bs = 4096, .flags = ZCBLK_DEV_F_FDP },
		{ .size = 4 * PT_MiB, .bs = 512, .write_cache = PT_MiB },
		{ .backend = "file", .size = 4 * PT_MiB, .bs = 512 },
		{ .backend = "null", .size = 4 * PT_MiB, .bs = 512 },
		{ .size = PT_MiB + 512, .bs = 512 },
	};
	char path[] = "/tmp/zcblk-format.XXXXXX";
	char *buf = pt_map(PT_PAGE);
	struct pt_env env;
	unsigned int i;
	int fd;

	pt_env_setup(_metadata, &env);
	if (_metadata->exit_code)
		return;
	ASSERT_NE(NULL, buf);
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 4 * PT_MiB));
	close(fd);
	cfgs[3].path = path;
	cfgs[3].flags = ZCBLK_DEV_F_BUFFERED;
	for (i = 0; i < ARRAY_SIZE(cfgs); i++) {
		bool offered = i >= 4;
		struct pt_disk d;
		int res;

		ASSERT_EQ(0, pt_disk_add(_metadata, &env, &cfgs[i], &d));
		pt_open(_metadata, &d, &fd, NULL);
		ASSERT_EQ(0, identify(fd, 1, buf));
		EXPECT_EQ(offered ? 2 : 0, pt_le16(buf + ID_CTRL_OACS) & 2) {
			TH_LOG("disk %u: OACS %#x", i,
			       pt_le16(buf + ID_CTRL_OACS));
		}
		res = format(fd, PT_NSID, 3);
		/* null: formats; a size not a multiple of 4096: 10Ah */
		EXPECT_EQ(!offered ? SC_INVALID_OPCODE :
			  i == 5 ? SC_INVALID_FORMAT : 0, res) {
			TH_LOG("disk %u: %s", i, pt_res_str(res));
		}
		close(fd);
		ASSERT_EQ(0, pt_disk_del(&env, d.index));
	}
	unlink(path);
	pt_env_teardown(_metadata, &env);
}

TEST_HARNESS_MAIN
