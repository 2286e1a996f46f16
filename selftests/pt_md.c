// SPDX-License-Identifier: GPL-2.0
/*
 * LBA formats with metadata on the char device (Documentation/integrity.rst),
 * each format with separate and with extended metadata: Identify's format
 * table; data and metadata written and read back byte-exact through the
 * ioctls (64-bit passthru, SUBMIT_IO) and uring_cmd (plain and registered
 * data buffers), a metadata buffer that straddles pages pinned and counted,
 * or inside a registered buffer taken from it unpinned;
 * Compare over data and metadata; Write Zeroes and deallocation zeroing
 * both; every wrong metadata buffer refused with its errno; no block device.
 * The file backend (four of the formats): the same, but Compare, which it
 * does not offer (Invalid Opcode); its metadata in the backing file past
 * the data, where another disk made on the same file finds it with the
 * data (a mem disk made again reads zeros). The "md_add" tests: the formats DEV_ADD refuses, with their errno
 * and message; a backing file without room for the metadata.
 *
 * Every test ends (FIXTURE_TEARDOWN_PARENT) with: no splat in the kernel
 * log, zcblk's pins balanced, /proc/vmstat's FOLL_PIN balance back.
 */
#include "pt_common.h"

#define MD_SLBA		5

#define MD_SIZE		(4 * PT_MiB)
#define MD_FILE		(MD_SIZE + 256 * PT_KiB)	/* room for metadata */

FIXTURE(md) {
	struct pt_env env;
	struct pt_disk d;
	struct pt_disk_cfg cfg;
	char path[64];		/* file backend's, or "" */
};

FIXTURE_VARIANT(md) {
	__u32 bs;
	__u32 ms;
	bool ext;
	int lbaf;	/* its index in the format table */
	bool file;	/* the file backend, not mem */
};

FIXTURE_VARIANT_ADD(md, bs512_ms8) { .bs = 512, .ms = 8, .lbaf = 1 };
FIXTURE_VARIANT_ADD(md, bs512_ms8_ext) {
	.bs = 512, .ms = 8, .ext = true, .lbaf = 1 };
FIXTURE_VARIANT_ADD(md, bs512_ms16) { .bs = 512, .ms = 16, .lbaf = 2 };
FIXTURE_VARIANT_ADD(md, bs512_ms16_ext) {
	.bs = 512, .ms = 16, .ext = true, .lbaf = 2 };
FIXTURE_VARIANT_ADD(md, bs4096_ms8) { .bs = 4096, .ms = 8, .lbaf = 4 };
FIXTURE_VARIANT_ADD(md, bs4096_ms8_ext) {
	.bs = 4096, .ms = 8, .ext = true, .lbaf = 4 };
FIXTURE_VARIANT_ADD(md, bs4096_ms64) { .bs = 4096, .ms = 64, .lbaf = 5 };
FIXTURE_VARIANT_ADD(md, bs4096_ms64_ext) {
	.bs = 4096, .ms = 64, .ext = true, .lbaf = 5 };
FIXTURE_VARIANT_ADD(md, file_bs512_ms8) {
	.bs = 512, .ms = 8, .lbaf = 1, .file = true };
FIXTURE_VARIANT_ADD(md, file_bs512_ms16_ext) {
	.bs = 512, .ms = 16, .ext = true, .lbaf = 2, .file = true };
FIXTURE_VARIANT_ADD(md, file_bs4096_ms8_ext) {
	.bs = 4096, .ms = 8, .ext = true, .lbaf = 4, .file = true };
FIXTURE_VARIANT_ADD(md, file_bs4096_ms64) {
	.bs = 4096, .ms = 64, .lbaf = 5, .file = true };

/* A backing file of @len bytes in @path (pt_backing_file()). */
static void md_file(struct __test_metadata *_metadata, char *path,
		    size_t len, struct pt_disk_cfg *cfg)
{
	strcpy(path, "/tmp/zcblk-md.XXXXXX");
	pt_backing_file(_metadata, path, len, cfg);
}

FIXTURE_SETUP(md)
{
	self->cfg = (struct pt_disk_cfg){
		.size = MD_SIZE, .bs = variant->bs,
		.metadata_size = variant->ms,
		.flags = variant->ext ? ZCBLK_DEV_F_EXTENDED_LBA : 0,
	};
	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	if (variant->file)
		md_file(_metadata, self->path, MD_FILE, &self->cfg);
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &self->cfg,
				 &self->d));
}

FIXTURE_TEARDOWN_PARENT(md)
{
	pt_env_teardown(_metadata, &self->env);
	if (self->path[0])
		unlink(self->path);
}

/* One test's state. */
struct m {
	int cfd;
	struct pt_q q;
	__u32 bs, ms, per;	/* per: bytes a block takes in the data buffer */
	bool ext;
	char *map;		/* 1 MiB: data at 0, metadata near its end */
	char *md;		/* straddles a page boundary */
};

static void m_init(struct __test_metadata *_metadata, struct m *m,
		   struct pt_disk *d, const FIXTURE_VARIANT(md) *v)
{
	memset(m, 0, sizeof(*m));
	m->bs = v->bs;
	m->ms = v->ms;
	m->ext = v->ext;
	m->per = v->bs + (v->ext ? v->ms : 0);
	pt_open(_metadata, d, &m->cfd, NULL);
	ASSERT_EQ(0, pt_q_init(&m->q, m->cfd, 8, PT_RING_FLAGS));
	m->map = pt_map(PT_MiB);
	ASSERT_NE(NULL, m->map);
	m->md = m->map + PT_MiB - 2 * PT_PAGE - 20;
}

static void m_fini(struct m *m)
{
	pt_q_exit(&m->q);
	munmap(m->map, PT_MiB);
	close(m->cfd);
}

/* Read/Write/Compare of @nlb at @buf, with @md (separate formats). */
static struct nvme_uring_cmd m_rw(const struct m *m, __u8 op, __u64 slba,
				  __u32 nlb, void *buf, void *md)
{
	struct nvme_uring_cmd c = pt_rw(op, slba, nlb, buf, nlb * m->per);

	if (!m->ext) {
		c.metadata = (uintptr_t)md;
		c.metadata_len = nlb * m->ms;
	}
	return c;
}

/* A pattern for @len bytes, different per @tag. */
static void m_pattern(void *p, size_t len, __u32 tag)
{
	size_t i;

	for (i = 0; i < len; i++)
		((unsigned char *)p)[i] = pt_rand(tag * 1000003ULL + i);
}

TEST_F(md, identify)
{
	struct nvme_uring_cmd c;
	__u8 *id;
	struct m m;
	int i;

	m_init(_metadata, &m, &self->d, variant);
	id = (__u8 *)m.map;
	memset(id, 0xff, 4096);
	c = pt_identify(PT_NSID, 0, 0, id);
	ASSERT_EQ(0, pt_passthru(m.cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	EXPECT_EQ(8, id[PT_ID_NS_NLBAF]);
	EXPECT_EQ(variant->lbaf | (variant->ext ? 0x10 : 0), id[PT_ID_NS_FLBAS]);
	EXPECT_EQ(3, id[27]);				/* MC */
	EXPECT_EQ(0x1f, id[28]);			/* DPC: PI offered */
	EXPECT_EQ(0, id[29]);				/* DPS */
	EXPECT_EQ(self->d.nlbas, pt_le64(id + PT_ID_NS_NSZE));
	for (i = 0; i < 9; i++) {
		/* 16-bit guard, then 64-bit (pt_pi reads the ELBAF) */
		static const __u16 ms[] = { 0, 8, 16, 0, 8, 64, 16, 16, 64 };
		static const __u8 ds[] = { 9, 9, 9, 12, 12, 12, 9, 12, 12 };

		EXPECT_EQ(ms[i], pt_le16(id + PT_ID_NS_LBAF0_MS + 4 * i));
		EXPECT_EQ(ds[i], id[PT_ID_NS_LBAF0_DS + 4 * i]);
	}
	/* char device only: the block layer would need an integrity profile */
	{
		char blk[32];

		EXPECT_STREQ("/dev/", self->d.blk);	/* no disk-name */
		snprintf(blk, sizeof(blk), "/dev/zcblk%u", self->d.index);
		EXPECT_NE(0, access(blk, F_OK));
	}
	m_fini(&m);
}

/*
 * Written one way, read back every other way: ioctl, uring_cmd plain and
 * registered, SUBMIT_IO; data and metadata byte-exact.
 */
TEST_F(md, roundtrip)
{
	__u32 nlb = variant->bs == 512 ? 9 : 3;
	size_t dlen, mlen;
	struct nvme_uring_cmd c;
	char *want, *wmd;
	struct iovec reg;
	struct m m;
	int way, res;

	m_init(_metadata, &m, &self->d, variant);
	dlen = nlb * m.per;
	mlen = m.ext ? 0 : nlb * m.ms;
	want = malloc(dlen);
	wmd = malloc(mlen + 1);
	ASSERT_NE(NULL, want);
	ASSERT_NE(NULL, wmd);
	reg.iov_base = m.map;
	reg.iov_len = 256 * PT_KiB;
	ASSERT_EQ(0, io_uring_register_buffers(&m.q.ring, &reg, 1));

	for (way = 0; way < 4; way++) {
		static const char *const ways[] = {
			"ioctl", "uring_cmd", "uring_cmd fixed", "SUBMIT_IO",
		};
		__u64 slba = MD_SLBA + way * nlb;

		/* write: the other way round from the read below */
		m_pattern(want, dlen, way + 1);
		m_pattern(wmd, mlen, way + 101);
		memcpy(m.map, want, dlen);
		memcpy(m.md, wmd, mlen);
		c = m_rw(&m, PT_OP_WRITE, slba, nlb, m.map, m.md);
		res = way == 1 ? pt_passthru(m.cfd, NVME_IOCTL_IO64_CMD, &c, NULL) :
				 pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, -1, NULL);
		ASSERT_EQ(0, res) {
			TH_LOG("write for %s: %s", ways[way], pt_res_str(res));
		}

		memset(m.map, 0x5a, dlen);
		memset(m.md, 0x5a, mlen);
		c = m_rw(&m, PT_OP_READ, slba, nlb, m.map, m.md);
		switch (way) {
		case 0:
			res = pt_passthru(m.cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
			break;
		case 1:
			res = pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, -1, NULL);
			break;
		case 2:
			res = pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, 0, NULL);
			break;
		default: {
			struct nvme_user_io io = {
				.opcode = PT_OP_READ, .nblocks = nlb - 1,
				.addr = (uintptr_t)m.map,
				.metadata = m.ext ? 0 : (uintptr_t)m.md,
				.slba = slba,
			};

			res = pt_ioctl_res(ioctl(m.cfd, NVME_IOCTL_SUBMIT_IO,
						 &io));
		}
		}
		ASSERT_EQ(0, res) {
			TH_LOG("read by %s: %s", ways[way], pt_res_str(res));
		}
		EXPECT_EQ(0, memcmp(m.map, want, dlen)) {
			TH_LOG("%s: data (with extended metadata) differs",
			       ways[way]);
		}
		EXPECT_EQ(0, memcmp(m.md, wmd, mlen)) {
			TH_LOG("%s: separate metadata differs", ways[way]);
		}
	}
	free(want);
	free(wmd);
	m_fini(&m);
}

/* Compare covers the metadata; Write Zeroes and deallocation zero it. */
TEST_F(md, compare_zeroes)
{
	struct nvme_uring_cmd c;
	size_t dlen, mlen;
	struct m m;
	int res;

	m_init(_metadata, &m, &self->d, variant);
	dlen = 2 * m.per;
	mlen = m.ext ? 0 : 2 * m.ms;
	m_pattern(m.map, dlen, 7);
	m_pattern(m.md, mlen, 8);
	c = m_rw(&m, PT_OP_WRITE, MD_SLBA, 2, m.map, m.md);
	ASSERT_EQ(0, pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, -1, NULL));
	c = m_rw(&m, PT_OP_COMPARE, MD_SLBA, 2, m.map, m.md);
	res = pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, -1, NULL);
	/* the file backend does not offer Compare */
	EXPECT_EQ(variant->file ? PT_SC_INVALID_OPCODE : 0, res);
	/* the second block's last metadata byte */
	if (m.ext)
		m.map[2 * m.per - 1] ^= 1;
	else
		m.md[mlen - 1] ^= 1;
	res = pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, -1, NULL);
	EXPECT_EQ(variant->file ? PT_SC_INVALID_OPCODE : PT_SC_COMPARE, res) {
		TH_LOG("compare, metadata differs: %s", pt_res_str(res));
	}

	c = pt_rw(PT_OP_WRITE_ZEROES, MD_SLBA, 1, NULL, 0);
	ASSERT_EQ(0, pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, -1, NULL));
	c = pt_rw(PT_OP_DSM, 0, 1, m.map + 512 * PT_KiB, 16);
	c.cdw10 = 0;
	c.cdw11 = PT_DSM_AD;
	c.cdw12 = 0;
	memset(m.map + 512 * PT_KiB, 0, 16);
	*(__u32 *)(m.map + 512 * PT_KiB + 4) = 1;		/* nlb */
	*(__u64 *)(m.map + 512 * PT_KiB + 8) = MD_SLBA + 1;	/* slba */
	ASSERT_EQ(0, pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, -1, NULL));
	memset(m.map, 0x5a, dlen);
	memset(m.md, 0x5a, mlen);
	c = m_rw(&m, PT_OP_READ, MD_SLBA, 2, m.map, m.md);
	ASSERT_EQ(0, pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, -1, NULL));
	EXPECT_TRUE(pt_all_bytes(m.map, dlen, 0));
	EXPECT_TRUE(pt_all_bytes(m.md, mlen, 0));
	m_fini(&m);
}

/*
 * The file backend keeps the metadata in the backing file: a disk made
 * again on it reads back what the first one wrote, data and metadata. A
 * mem disk made again starts empty: zeros, data and metadata.
 */
TEST_F(md, remade)
{
	__u32 nlb = variant->bs == 512 ? 16 : 4;
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct nvme_uring_cmd c;
	size_t dlen, mlen;
	char *want, *wmd;
	struct m m;

	m_init(_metadata, &m, &self->d, variant);
	dlen = nlb * m.per;
	mlen = m.ext ? 0 : nlb * m.ms;
	want = malloc(dlen);
	wmd = malloc(mlen + 1);
	ASSERT_NE(NULL, want);
	ASSERT_NE(NULL, wmd);
	m_pattern(want, dlen, 31);
	m_pattern(wmd, mlen, 32);
	memcpy(m.map, want, dlen);
	memcpy(m.md, wmd, mlen);
	c = m_rw(&m, PT_OP_WRITE, MD_SLBA, nlb, m.map, m.md);
	ASSERT_EQ(0, pt_passthru(m.cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	m_fini(&m);

	ASSERT_EQ(0, zcblk_dev_del(self->env.ctx, self->d.index));
	self->env.n--;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &self->cfg,
				 &self->d));
	ASSERT_EQ(0, zcblk_dev_get(self->env.ctx, self->d.index, &info));
	EXPECT_EQ(MD_SIZE, info.disk_size);
	m_init(_metadata, &m, &self->d, variant);
	memset(m.map, 0x5a, dlen);
	memset(m.md, 0x5a, mlen);
	c = m_rw(&m, PT_OP_READ, MD_SLBA, nlb, m.map, m.md);
	ASSERT_EQ(0, pt_passthru(m.cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	if (variant->file) {
		EXPECT_EQ(0, memcmp(m.map, want, dlen));
		EXPECT_EQ(0, memcmp(m.md, wmd, mlen));
	} else {
		EXPECT_TRUE(pt_all_bytes(m.map, dlen, 0));
		EXPECT_TRUE(pt_all_bytes(m.md, mlen, 0));
	}
	free(want);
	free(wmd);
	m_fini(&m);
}

/* The data and metadata pages of a command are pinned and counted. */
TEST_F(md, pins)
{
	struct zcblk_dev_stats before, after;
	struct nvme_uring_cmd c;
	__u64 want;
	struct m m;

	m_init(_metadata, &m, &self->d, variant);
	c = m_rw(&m, PT_OP_READ, 0, 1, m.map, m.md);
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &before));
	ASSERT_EQ(0, pt_passthru(m.cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &after));
	want = pt_pages(m.map, m.per) + (m.ext ? 0 : pt_pages(m.md, m.ms));
	EXPECT_EQ(want, after.pinned_pages - before.pinned_pages);
	EXPECT_EQ(want, after.unpinned_pages - before.unpinned_pages);
	m_fini(&m);
}

/*
 * With a registered data buffer, separate metadata inside that buffer is
 * taken from the registration, as the data is: nothing pinned, both
 * counted in fixed_bytes. Metadata outside it, or running past its end,
 * is pinned as usual. Byte-exact each way. Extended formats refuse a
 * metadata buffer there as anywhere (EINVAL).
 */
TEST_F(md, fixed_metadata)
{
	struct zcblk_dev_stats before, after;
	__u32 nlb = variant->bs == 512 ? 9 : 3;
	char *want, *wmd, *out;
	struct nvme_uring_cmd c;
	size_t dlen, mlen;
	struct iovec reg;
	struct m m;
	int where;

	m_init(_metadata, &m, &self->d, variant);
	/* registered: the first 1 MiB - 2 pages; m.md straddles its end */
	reg.iov_base = m.map;
	reg.iov_len = PT_MiB - 2 * PT_PAGE;
	ASSERT_EQ(0, io_uring_register_buffers(&m.q.ring, &reg, 1));
	if (m.ext) {
		/* extended: a buffer of its own is refused, registered too */
		c = m_rw(&m, PT_OP_WRITE, 0, 1, m.map, NULL);
		c.metadata = (uintptr_t)(m.map + PT_MiB / 2);
		c.metadata_len = m.ms;
		EXPECT_EQ(-EINVAL, pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, 0,
					    NULL));
		m_fini(&m);
		return;
	}
	dlen = nlb * m.per;
	mlen = nlb * m.ms;
	want = malloc(dlen);
	wmd = malloc(mlen);
	out = pt_map(PT_MiB);		/* not registered */
	ASSERT_NE(NULL, want);
	ASSERT_NE(NULL, wmd);
	ASSERT_NE(NULL, out);

	for (where = 0; where < 3; where++) {
		static const char *const wheres[] = {
			"inside", "outside", "across the end",
		};
		/* inside: straddling a page boundary as m.md does */
		char *md = where == 0 ? m.map + PT_MiB / 2 - 20 :
			   where == 1 ? out + PT_PAGE - 20 :
			   m.map + PT_MiB - 2 * PT_PAGE - 20;
		__u64 slba = MD_SLBA + where * nlb, pins;

		pins = where == 0 ? 0 : pt_pages(md, mlen);
		m_pattern(want, dlen, where + 11);
		m_pattern(wmd, mlen, where + 111);
		memcpy(m.map, want, dlen);
		memcpy(md, wmd, mlen);
		ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &before));
		c = m_rw(&m, PT_OP_WRITE, slba, nlb, m.map, md);
		ASSERT_EQ(0, pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, 0, NULL));
		memset(m.map, 0x5a, dlen);
		memset(md, 0x5a, mlen);
		c = m_rw(&m, PT_OP_READ, slba, nlb, m.map, md);
		ASSERT_EQ(0, pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, 0, NULL));
		ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &after));
		EXPECT_EQ(0, memcmp(m.map, want, dlen)) {
			TH_LOG("%s: data differs", wheres[where]);
		}
		EXPECT_EQ(0, memcmp(md, wmd, mlen)) {
			TH_LOG("%s: metadata differs", wheres[where]);
		}
		EXPECT_EQ(2 * pins, after.pinned_pages - before.pinned_pages) {
			TH_LOG("%s: pins", wheres[where]);
		}
		EXPECT_EQ(2 * pins,
			  after.unpinned_pages - before.unpinned_pages);
		EXPECT_EQ(2 * (dlen + (where == 0 ? mlen : 0)),
			  after.fixed_bytes - before.fixed_bytes) {
			TH_LOG("%s: fixed bytes", wheres[where]);
		}
		/* and the plain way reads the same back */
		memset(out + PT_MiB / 2, 0x5a, mlen);
		c = m_rw(&m, PT_OP_READ, slba, nlb, out, out + PT_MiB / 2);
		ASSERT_EQ(0, pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, -1, NULL));
		EXPECT_EQ(0, memcmp(out, want, dlen));
		EXPECT_EQ(0, memcmp(out + PT_MiB / 2, wmd, mlen));
	}
	munmap(out, PT_MiB);
	free(want);
	free(wmd);
	m_fini(&m);
}

/* Wrong metadata buffers: each refused with its errno, nothing moved. */
TEST_F(md, bad_metadata)
{
	struct nvme_uring_cmd c;
	struct m m;
	void *hole;
	int res;

	m_init(_metadata, &m, &self->d, variant);
	if (m.ext) {
		/* extended: no buffer of its own, the data must hold it */
		c = m_rw(&m, PT_OP_WRITE, 0, 2, m.map, NULL);
		c.metadata = (uintptr_t)m.md;
		c.metadata_len = 2 * m.ms;
		EXPECT_EQ(-EINVAL, pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, -1,
					    NULL));
		c = m_rw(&m, PT_OP_WRITE, 0, 2, m.map, NULL);
		c.data_len = 2 * m.bs;
		EXPECT_EQ(-EINVAL, pt_passthru(m.cfd, NVME_IOCTL_IO64_CMD, &c,
					       NULL));
		c.data_len = 2 * m.per;
		EXPECT_EQ(0, pt_passthru(m.cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
		m_fini(&m);
		return;
	}
	/* none, too short, unmapped, half unmapped, wrapping */
	c = m_rw(&m, PT_OP_WRITE, 0, 2, m.map, NULL);
	c.metadata = 0;
	EXPECT_EQ(-EINVAL, pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, -1, NULL));
	c = m_rw(&m, PT_OP_WRITE, 0, 2, m.map, m.md);
	c.metadata_len--;
	EXPECT_EQ(-EINVAL, pt_passthru(m.cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	c.metadata_len = 0;
	EXPECT_EQ(-EINVAL, pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, -1, NULL));
	hole = mmap(NULL, PT_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		    0);
	ASSERT_NE(MAP_FAILED, hole);
	c = m_rw(&m, PT_OP_READ, 0, 2, m.map, hole);
	EXPECT_EQ(-EFAULT, pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, -1, NULL));
	munmap(hole, PT_PAGE);
	/* its first page mapped, its second not: the first one's pin goes */
	hole = mmap(NULL, 2 * PT_PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(0, munmap((char *)hole + PT_PAGE, PT_PAGE));
	memset(hole, 0, PT_PAGE);
	c = m_rw(&m, PT_OP_READ, 0, 2, m.map, (char *)hole + PT_PAGE - m.ms);
	EXPECT_EQ(-EFAULT, pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, -1, NULL));
	res = pt_passthru(m.cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
	EXPECT_EQ(-EFAULT, res) {
		TH_LOG("metadata into an unmapped page: %s", pt_res_str(res));
	}
	munmap(hole, PT_PAGE);
	c = m_rw(&m, PT_OP_READ, 0, 2, m.map, (void *)(uintptr_t)-16);
	res = pt_passthru(m.cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
	EXPECT_EQ(-EFAULT, res) {
		TH_LOG("wrapping metadata: %s", pt_res_str(res));
	}
	/* on commands that move none */
	c = pt_rw(PT_OP_FLUSH, 0, 1, NULL, 0);
	c.cdw10 = c.cdw11 = c.cdw12 = 0;
	c.metadata = (uintptr_t)m.md;
	c.metadata_len = m.ms;
	EXPECT_EQ(-EINVAL, pt_q_cmd(&m.q, NVME_URING_CMD_IO, &c, -1, NULL));
	c = pt_identify(PT_NSID, 0, 0, m.map);
	c.metadata = (uintptr_t)m.md;
	c.metadata_len = 64;
	EXPECT_EQ(-EINVAL, pt_passthru(m.cfd, NVME_IOCTL_ADMIN64_CMD, &c,
				       NULL));
	/* SUBMIT_IO: dword aligned, as the NVMe driver wants it */
	{
		struct nvme_user_io io = {
			.opcode = PT_OP_READ, .nblocks = 0,
			.addr = (uintptr_t)m.map,
			.metadata = (uintptr_t)m.md + 2, .slba = 0,
		};

		EXPECT_EQ(-EINVAL, pt_ioctl_res(ioctl(m.cfd,
						      NVME_IOCTL_SUBMIT_IO,
						      &io)));
		io.metadata = 0;
		EXPECT_EQ(-EINVAL, pt_ioctl_res(ioctl(m.cfd,
						      NVME_IOCTL_SUBMIT_IO,
						      &io)));
	}
	m_fini(&m);
}

/* The formats DEV_ADD refuses. */
FIXTURE(md_add) {
	struct pt_env env;
};

FIXTURE_SETUP(md_add)
{
	pt_env_setup(_metadata, &self->env);
}

FIXTURE_TEARDOWN_PARENT(md_add)
{
	pt_env_teardown(_metadata, &self->env);
}

TEST_F(md_add, refused)
{
	static const struct {
		const char *backend;
		__u32 bs, ms, flags, type;
		int err;
		const char *msg;
	} bad[] = {
		{ "mem", 512, 64, 0, 0, -EINVAL,
		  "metadata-size: 8 or 16 with block-size 512, 8 or 64 with 4096" },
		{ "mem", 4096, 16, 0, 0, -EINVAL,
		  "metadata-size: 8 or 16 with block-size 512, 8 or 64 with 4096" },
		{ "null", 512, 4, 0, 0, -EINVAL,
		  "metadata-size: 8 or 16 with block-size 512, 8 or 64 with 4096" },
		{ "mem", 512, 0, ZCBLK_DEV_F_EXTENDED_LBA, 0, -EINVAL,
		  "flags: extended-lba needs metadata-size" },
		{ "mem", 512, 8, ZCBLK_DEV_F_ZONED, 0, -EOPNOTSUPP,
		  "metadata-size: not on zoned disks" },
		{ "mem", 512, 0, 0, 1, -EINVAL, "pi-type: needs metadata-size" },
		{ "mem", 512, 8, ZCBLK_DEV_F_PI_FIRST, 0, -EINVAL,
		  "flags: pi-first needs pi-type" },
		{ "null", 512, 8, 0, 2, -EOPNOTSUPP,
		  "pi-type: the null backend keeps nothing to check" },
		{ "mem", 512, 8, ZCBLK_DEV_F_PI_GUARD64, 1, -EINVAL,
		  "flags: pi-guard64 needs metadata-size 16, or 64 with block-size 4096" },
		{ "mem", 512, 64, ZCBLK_DEV_F_PI_GUARD64, 1, -EINVAL,
		  "flags: pi-guard64 needs metadata-size 16, or 64 with block-size 4096" },
		{ "mem", 4096, 0, ZCBLK_DEV_F_PI_GUARD64, 0, -EINVAL,
		  "flags: pi-guard64 needs metadata-size 16, or 64 with block-size 4096" },
	};
	struct zcblk_dev_info out = { .size = sizeof(out) };
	struct zcblk_dev_params p;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&p, 0, sizeof(p));
		p.size = sizeof(p);
		p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE |
			ZCBLK_PARAM_BLOCK_SIZE | ZCBLK_PARAM_FLAGS |
			ZCBLK_PARAM_METADATA_SIZE | ZCBLK_PARAM_PI_TYPE;
		strcpy(p.backend, bad[i].backend);
		p.disk_size = 64 * PT_MiB;
		p.block_size = bad[i].bs;
		p.metadata_size = bad[i].ms;
		p.pi_type = bad[i].type;
		p.flags = bad[i].flags;
		ret = zcblk_dev_add(self->env.ctx, &p, &out);
		EXPECT_EQ(bad[i].err, ret) {
			TH_LOG("case %u: %s", i, strerror(-ret));
		}
		EXPECT_STREQ(bad[i].msg, zcblk_ctx_errmsg(self->env.ctx));
		if (!ret)
			self->env.idx[self->env.n++] = out.index;
	}
	/* pi-type's policy range */
	p.pi_type = 4;
	p.flags = 0;
	strcpy(p.backend, "mem");
	EXPECT_EQ(-ERANGE, zcblk_dev_add(self->env.ctx, &p, NULL));
}

/*
 * A backing file holds the metadata past the data: a disk of the whole
 * file is refused, one without a size gets what fits with its metadata;
 * PI is not kept there.
 */
TEST_F(md_add, file)
{
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct pt_disk_cfg cfg = {
		.size = MD_SIZE, .bs = 512, .metadata_size = 8,
	};
	__u64 nlb = MD_SIZE / 520;
	struct zcblk_dev_params p;
	struct pt_disk d;
	char path[64];
	int ret;

	md_file(_metadata, path, MD_SIZE, &cfg);
	ret = pt_disk_add(_metadata, &self->env, &cfg, &d);
	EXPECT_EQ(-EINVAL, ret);
	EXPECT_STREQ("size: larger than the backing file holds with its metadata",
		     zcblk_ctx_errmsg(self->env.ctx));

	/* the data rounded up to a page, then 8 bytes a block */
	while ((nlb * 512 + 4095) / 4096 * 4096 + nlb * 8 > MD_SIZE)
		nlb--;
	/* no size: the file's, less its metadata's */
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_PATH | ZCBLK_PARAM_FLAGS |
		ZCBLK_PARAM_METADATA_SIZE;
	strcpy(p.backend, "file");
	p.path = path;
	p.flags = cfg.flags;
	p.metadata_size = 8;
	ASSERT_EQ(0, zcblk_dev_add(self->env.ctx, &p, &info));
	EXPECT_EQ(nlb * 512, info.disk_size);
	EXPECT_EQ(8, info.metadata_size);
	EXPECT_EQ(0, zcblk_dev_del(self->env.ctx, info.index));

	cfg.size = nlb * 512;
	cfg.pi_type = 1;
	EXPECT_EQ(-EOPNOTSUPP, pt_disk_add(_metadata, &self->env, &cfg, &d));
	EXPECT_STREQ("pi-type: the file backend keeps metadata, not protection information",
		     zcblk_ctx_errmsg(self->env.ctx));
	unlink(path);
}

TEST_HARNESS_MAIN
