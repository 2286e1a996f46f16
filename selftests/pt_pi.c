// SPDX-License-Identifier: GPL-2.0
/*
 * Protection information on the char device (Documentation/integrity.rst):
 * types 1, 2 and 3 with the 16-bit guard, first or last in 8, 16 and 64
 * bytes of separate or extended metadata, and with the 64-bit guard (CRC64,
 * 48-bit reference tags whose bits 47:32 come in CDW3) in 16 and 64.
 * Identify's DPC and DPS, CTRATT's ELBAS and each format's guard in the
 * NVM Command Set's Identify Namespace (ELBAF); PRACT
 * inserting PI on Write (the stored guard, application and reference tags
 * what the NVM Command Set says) and stripping it on Read; host-made PI
 * checked and kept; each check failing with its status (282h, 283h, 284h,
 * 181h for a type 1 ILBRT that is not the LBA) on Write, nothing stored,
 * and on Read and Verify (0Ch) of PI stored unchecked; the application tag
 * escape (and the reference tag's for type 3); Compare checking the
 * stored PI before it compares (PRACT: the data alone);
 * corruption injected into the stored data, metadata, guard, application
 * tag and reference tag (DEV_SET corrupt-lba) caught by the check that
 * covers it, on Read and on Verify, the others passing, the data read
 * unchecked as corrupted. Copy (19h): PRINFOR checking the source against
 * each entry's tags, PRINFOW generating (PRACT) or checking the target's;
 * refused (Invalid Namespace or Format) with the 64-bit guard, whose
 * descriptor format 1 zcblk does not have. CDW3 refused (Invalid Field)
 * but for the 64-bit guard's reference tag bits.
 * Blocks never written, zeroed or deallocated: zeros with the escape
 * tags, every check passing. The refused configurations: pt_md's
 * "md_add".
 *
 * Every test ends (FIXTURE_TEARDOWN_PARENT) with: no splat in the kernel
 * log, zcblk's pins balanced, /proc/vmstat's FOLL_PIN balance back.
 */
#include <endian.h>

#include "pt_common.h"

#define PI_SLBA		6
#define PI_NLB		3
#define PI_APP		0xbeef
#define PI_REF23	0x12345	/* types 2 and 3: any initial reference tag */
#define PI_REF23_64	0x123456789abULL	/* the same, 48 bits */

#define PRACT		(1U << 29)
#define PRCHK_ALL	(7U << 26)
#define PRCHK_GUARD	(1U << 28)
#define PRCHK_APP	(1U << 27)
#define PRCHK_REF	(1U << 26)

#define SC_FIELD	0x4002
#define SC_NS_FORMAT	0x400b
#define SC_INVALID_PI	0x4181
#define SC_GUARD	0x4282
#define SC_APPTAG	0x4283
#define SC_REFTAG	0x4284

FIXTURE(pi) {
	struct pt_env env;
	struct pt_disk d;
};

FIXTURE_VARIANT(pi) {
	__u32 bs, ms, type;
	bool ext, first, g64;
};

FIXTURE_VARIANT_ADD(pi, t1_512_8) { .bs = 512, .ms = 8, .type = 1 };
FIXTURE_VARIANT_ADD(pi, t3_512_8_ext) {
	.bs = 512, .ms = 8, .type = 3, .ext = true };
FIXTURE_VARIANT_ADD(pi, t2_512_16_last) { .bs = 512, .ms = 16, .type = 2 };
FIXTURE_VARIANT_ADD(pi, t1_512_16_ext_first) {
	.bs = 512, .ms = 16, .type = 1, .ext = true, .first = true };
FIXTURE_VARIANT_ADD(pi, t1_4096_8) { .bs = 4096, .ms = 8, .type = 1 };
FIXTURE_VARIANT_ADD(pi, t2_4096_64_ext_last) {
	.bs = 4096, .ms = 64, .type = 2, .ext = true };
FIXTURE_VARIANT_ADD(pi, t3_4096_64_first) {
	.bs = 4096, .ms = 64, .type = 3, .first = true };
FIXTURE_VARIANT_ADD(pi, g64_t1_512_16) {
	.bs = 512, .ms = 16, .type = 1, .g64 = true };
FIXTURE_VARIANT_ADD(pi, g64_t3_4096_16_ext) {
	.bs = 4096, .ms = 16, .type = 3, .ext = true, .g64 = true };
FIXTURE_VARIANT_ADD(pi, g64_t2_4096_64_ext_last) {
	.bs = 4096, .ms = 64, .type = 2, .ext = true, .g64 = true };
FIXTURE_VARIANT_ADD(pi, g64_t3_4096_64_first) {
	.bs = 4096, .ms = 64, .type = 3, .first = true, .g64 = true };

FIXTURE_SETUP(pi)
{
	struct pt_disk_cfg cfg = {
		.size = 4 * PT_MiB, .bs = variant->bs,
		.metadata_size = variant->ms, .pi_type = variant->type,
		.flags = (variant->ext ? ZCBLK_DEV_F_EXTENDED_LBA : 0) |
			 (variant->first ? ZCBLK_DEV_F_PI_FIRST : 0) |
			 (variant->g64 ? ZCBLK_DEV_F_PI_GUARD64 : 0),
	};

	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
}

FIXTURE_TEARDOWN_PARENT(pi)
{
	pt_env_teardown(_metadata, &self->env);
}

/* One test's state. */
struct p {
	int cfd;
	__u32 bs, ms, type, off;	/* off: the PI's in the metadata */
	__u32 pisz, gsz;		/* bytes of PI, of its guard */
	bool ext, g64;
	__u64 ref0;			/* the initial reference tag to use */
	char *buf;			/* data (extended: with metadata) */
	char *md;			/* separate metadata */
	char *want;			/* what was written: data */
	char *wmd;			/* and metadata, per block */
};

static void p_init(struct __test_metadata *_metadata, struct p *p,
		   struct pt_disk *d, const FIXTURE_VARIANT(pi) *v)
{
	memset(p, 0, sizeof(*p));
	p->bs = v->bs;
	p->ms = v->ms;
	p->type = v->type;
	p->ext = v->ext;
	p->g64 = v->g64;
	p->pisz = v->g64 ? 16 : 8;
	p->gsz = v->g64 ? 8 : 2;
	p->off = v->first ? 0 : v->ms - p->pisz;
	p->ref0 = v->type == 1 ? PI_SLBA : v->g64 ? PI_REF23_64 : PI_REF23;
	pt_open(_metadata, d, &p->cfd, NULL);
	p->buf = pt_map(PT_MiB);
	ASSERT_NE(NULL, p->buf);
	p->md = p->buf + 512 * PT_KiB;
	p->want = p->buf + 768 * PT_KiB;
	p->wmd = p->want + 64 * PT_KiB;
}

static void p_fini(struct p *p)
{
	munmap(p->buf, PT_MiB);
	close(p->cfd);
}

/* CRC-16 T10-DIF (polynomial 0x8bb7), as the guard is computed. */
static __u16 crc16(__u16 crc, const void *buf, size_t len)
{
	const unsigned char *b = buf;
	int i;

	while (len--) {
		crc ^= (__u16)*b++ << 8;
		for (i = 0; i < 8; i++)
			crc = crc & 0x8000 ? (crc << 1) ^ 0x8bb7 : crc << 1;
	}
	return crc;
}

/*
 * NVMe's CRC64 (reflected polynomial 0x9a6c9329ac4bc9b5, complemented in
 * and out), the 64-bit guard; chains from 0 as crc16() does.
 */
static __u64 crc64(__u64 crc, const void *buf, size_t len)
{
	const unsigned char *b = buf;
	int i;

	crc = ~crc;
	while (len--) {
		crc ^= *b++;
		for (i = 0; i < 8; i++)
			crc = crc & 1 ? (crc >> 1) ^ 0x9a6c9329ac4bc9b5ULL :
					crc >> 1;
	}
	return ~crc;
}

/* @n bytes of @v, big-endian. */
static void put_be(void *p, __u64 v, unsigned int n)
{
	while (n--) {
		((unsigned char *)p)[n] = v;
		v >>= 8;
	}
}

static void put_be16(void *p, __u16 v)
{
	put_be(p, v, 2);
}

/* The guard of @len bytes of data then @mlen of metadata. */
static __u64 p_guard(const struct p *p, const void *data, const void *md,
		     __u32 mlen)
{
	if (p->g64)
		return crc64(crc64(0, data, p->bs), md, mlen);
	return crc16(crc16(0, data, p->bs), md, mlen);
}

/* The bits a reference tag has: 32, or 48 with the 64-bit guard. */
static __u64 p_ref_mask(const struct p *p)
{
	return p->g64 ? 0xffffffffffffULL : 0xffffffffULL;
}

/* Writes a PI tuple at @pi. */
static void p_put_pi(const struct p *p, void *pi, __u64 guard, __u16 app,
		     __u64 ref)
{
	put_be(pi, guard, p->gsz);
	put_be16((char *)pi + p->gsz, app);
	put_be((char *)pi + p->gsz + 2, ref, p->pisz - p->gsz - 2);
}

/* Block @i's PI as a controller computes it from want/wmd. */
static void p_make_pi(const struct p *p, __u32 i, __u16 app, void *pi)
{
	p_put_pi(p, pi, p_guard(p, p->want + i * p->bs, p->wmd + i * p->ms,
				p->off),
		 app, (p->type == 3 ? p->ref0 : p->ref0 + i) & p_ref_mask(p));
}

/* Fresh data and metadata in want/wmd, with correct PI (app tag @app). */
static void p_pattern(struct p *p, __u32 tag, __u16 app)
{
	__u32 i;

	for (i = 0; i < PI_NLB * p->bs; i++)
		p->want[i] = pt_rand(tag * 7919ULL + i);
	for (i = 0; i < PI_NLB * p->ms; i++)
		p->wmd[i] = pt_rand(tag * 104729ULL + i);
	for (i = 0; i < PI_NLB; i++)
		p_make_pi(p, i, app, p->wmd + i * p->ms + p->off);
}

/*
 * The user buffers from want/wmd (@with_md false: data alone, as PRACT
 * on PI-only metadata moves it).
 */
static void p_to_user(struct p *p, bool with_md)
{
	__u32 i, per = p->bs + (p->ext && with_md ? p->ms : 0);

	for (i = 0; i < PI_NLB; i++) {
		memcpy(p->buf + i * per, p->want + i * p->bs, p->bs);
		if (p->ext && with_md)
			memcpy(p->buf + i * per + p->bs, p->wmd + i * p->ms,
			       p->ms);
	}
	if (!p->ext)
		memcpy(p->md, p->wmd, PI_NLB * p->ms);
}

/* Does what a read returned equal want/wmd? */
static bool p_user_equal(const struct p *p, bool with_md)
{
	__u32 i, per = p->bs + (p->ext && with_md ? p->ms : 0);

	for (i = 0; i < PI_NLB; i++) {
		if (memcmp(p->buf + i * per, p->want + i * p->bs, p->bs))
			return false;
		if (p->ext && with_md &&
		    memcmp(p->buf + i * per + p->bs, p->wmd + i * p->ms, p->ms))
			return false;
	}
	return p->ext || !with_md || !memcmp(p->md, p->wmd, PI_NLB * p->ms);
}

/* Does the data a read returned (with metadata) equal want's? */
static bool p_data_equal(const struct p *p)
{
	__u32 i, per = p->bs + (p->ext ? p->ms : 0);

	for (i = 0; i < PI_NLB; i++)
		if (memcmp(p->buf + i * per, p->want + i * p->bs, p->bs))
			return false;
	return true;
}

/*
 * Did a read return blocks as never written: zero data and metadata but
 * for the PI: the guard of those zeros (DLFEAT bit 4; 0 for the 16-bit
 * guard) and the escape tags, every bit set?
 */
static bool p_never_written(const struct p *p)
{
	static const char zeros[4096];
	__u32 i, per = p->bs + (p->ext ? p->ms : 0);
	char esc[16];

	memset(esc, 0xff, sizeof(esc));
	put_be(esc, p_guard(p, zeros, zeros, p->off), p->gsz);
	for (i = 0; i < PI_NLB; i++) {
		const char *md = p->ext ? p->buf + i * per + p->bs :
					  p->md + i * p->ms;

		if (!pt_all_bytes(p->buf + i * per, p->bs, 0) ||
		    !pt_all_bytes(md, p->off, 0) ||
		    memcmp(md + p->off, esc, p->pisz) ||
		    !pt_all_bytes(md + p->off + p->pisz,
				  p->ms - p->off - p->pisz, 0))
			return false;
	}
	return true;
}

/* A Read or Write of the test's blocks with @prinfo, through the ioctl. */
static int p_rw(struct p *p, __u8 op, __u32 prinfo, __u64 ref, __u16 app,
		__u16 mask)
{
	bool strip = (prinfo & PRACT) && p->ms == p->pisz;
	__u32 per = p->bs + (p->ext && !strip ? p->ms : 0);
	struct nvme_uring_cmd c = pt_rw(op, PI_SLBA, PI_NLB, p->buf,
					PI_NLB * per);

	c.cdw12 |= prinfo;
	c.cdw14 = ref;
	c.cdw3 = ref >> 32;	/* the 64-bit guard's ILBRT bits 47:32 */
	c.cdw15 = (__u32)mask << 16 | app;
	if (!p->ext && !strip) {
		c.metadata = (uintptr_t)p->md;
		c.metadata_len = PI_NLB * p->ms;
	}
	return pt_passthru(p->cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
}

/* Verify (0Ch) of the test's blocks: no data, the checks of @prinfo. */
static int p_verify(struct p *p, __u32 prinfo, __u64 ref, __u16 app,
		    __u16 mask)
{
	struct nvme_uring_cmd c = pt_rw(PT_OP_VERIFY, PI_SLBA, PI_NLB, NULL, 0);

	c.cdw12 |= prinfo;
	c.cdw14 = ref;
	c.cdw3 = ref >> 32;
	c.cdw15 = (__u32)mask << 16 | app;
	return pt_passthru(p->cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
}

/* The test's blocks read back, PRCHK all, into buffers wiped first. */
static int p_wipe_read(struct p *p)
{
	memset(p->buf, 0x5a, 256 * PT_KiB);
	memset(p->md, 0x5a, PI_NLB * p->ms);
	return p_rw(p, PT_OP_READ, PRCHK_ALL, p->ref0, PI_APP, 0xffff);
}

TEST_F(pi, identify)
{
	struct nvme_uring_cmd c;
	unsigned int flbas;
	__u32 elbaf;
	__u8 *id;
	struct p p;

	p_init(_metadata, &p, &self->d, variant);
	id = (__u8 *)p.buf;
	c = pt_identify(PT_NSID, 0, 0, id);
	ASSERT_EQ(0, pt_passthru(p.cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	EXPECT_EQ(0x1f, id[28]);		/* DPC: types 1-3, first, last */
	EXPECT_EQ(variant->type | (variant->first ? 8 : 0), id[29]);	/* DPS */
	flbas = id[26] & 0xf;
	EXPECT_EQ(8, id[25]);			/* NLBAF: 9 formats */
	EXPECT_EQ(variant->ms, id[128 + 4 * flbas] | id[129 + 4 * flbas] << 8);
	EXPECT_EQ(variant->bs, 1U << id[130 + 4 * flbas]);
	/* the NVM Command Set's: each format's guard, PIF bits 8:7 */
	c = pt_identify(PT_NSID, 5, 0, id);
	ASSERT_EQ(0, pt_passthru(p.cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	memcpy(&elbaf, id + 12 + 4 * flbas, 4);
	EXPECT_EQ(variant->g64 ? 2U << 7 : 0, le32toh(elbaf));
	memcpy(&elbaf, id + 12, 4);		/* format 0: 512, no metadata */
	EXPECT_EQ(0, elbaf);
	c = pt_identify(0, 1, 0, id);
	ASSERT_EQ(0, pt_passthru(p.cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	memcpy(&elbaf, id + 96, 4);		/* CTRATT: bit 15, ELBAS */
	EXPECT_TRUE(le32toh(elbaf) & 1U << 15);
	p_fini(&p);
}

/*
 * PRACT on Write: the controller's PI, read back as stored (and checked);
 * PRACT on Read strips PI-only metadata.
 */
TEST_F(pi, pract)
{
	bool strip = variant->ms == (variant->g64 ? 16 : 8);
	struct p p;
	__u32 i;
	int res;

	p_init(_metadata, &p, &self->d, variant);
	p_pattern(&p, 1, PI_APP);
	p_to_user(&p, !strip);
	/* what PRACT must overwrite: garbage PI from the host */
	if (!strip && !p.ext)
		memset(p.md + p.off, 0xa5, p.pisz);
	res = p_rw(&p, PT_OP_WRITE, PRACT | PRCHK_ALL, p.ref0, PI_APP, 0xffff);
	ASSERT_EQ(0, res) {
		TH_LOG("PRACT write: %s", pt_res_str(res));
	}
	res = p_wipe_read(&p);
	ASSERT_EQ(0, res) {
		TH_LOG("read, PRCHK all: %s", pt_res_str(res));
	}
	/* strip: the PI read back is the controller's, as want has it */
	EXPECT_TRUE(p_user_equal(&p, true)) {
		for (i = 0; i < p.pisz; i++)
			TH_LOG("pi byte %u: %02x", i, (unsigned char)
			       (p.ext ? p.buf[p.bs + p.off + i] :
					p.md[p.off + i]));
	}
	memset(p.buf, 0x5a, 256 * PT_KiB);
	res = p_rw(&p, PT_OP_READ, PRACT | PRCHK_ALL, p.ref0, PI_APP, 0xffff);
	ASSERT_EQ(0, res);
	EXPECT_TRUE(p_user_equal(&p, !strip));
	p_fini(&p);
}

/*
 * NVME_IOCTL_SUBMIT_IO with PRACT, as ng takes it: on PI-only metadata
 * the host moves none (a metadata pointer EINVAL; the data nlb × block
 * size, on an extended format too), else the metadata buffer as without
 * PRACT. The PI the controller made reads back checked.
 */
TEST_F(pi, submit_io_pract)
{
	bool strip = variant->ms == (variant->g64 ? 16 : 8);
	struct nvme_user_io io = {
		.opcode = PT_OP_WRITE, .nblocks = PI_NLB - 1,
		.control = (PRACT | PRCHK_ALL) >> 16, .slba = PI_SLBA,
		.apptag = PI_APP, .appmask = 0xffff,
	};
	struct p p;
	int res;

	p_init(_metadata, &p, &self->d, variant);
	/* SUBMIT_IO has no CDW3: a 32-bit initial reference tag */
	if (p.ref0 >> 32)
		p.ref0 = PI_REF23;
	p_pattern(&p, 2, PI_APP);
	p_to_user(&p, !strip);
	io.addr = (uintptr_t)p.buf;
	io.reftag = p.ref0;
	if (strip) {
		io.metadata = (uintptr_t)p.md;
		EXPECT_EQ(-EINVAL, pt_ioctl_res(ioctl(p.cfd,
						      NVME_IOCTL_SUBMIT_IO,
						      &io)));
		io.metadata = 0;
	} else if (!p.ext) {
		io.metadata = (uintptr_t)p.md;
	}
	res = pt_ioctl_res(ioctl(p.cfd, NVME_IOCTL_SUBMIT_IO, &io));
	ASSERT_EQ(0, res) {
		TH_LOG("SUBMIT_IO write, PRACT: %s", pt_res_str(res));
	}
	res = p_wipe_read(&p);
	ASSERT_EQ(0, res) {
		TH_LOG("read, PRCHK all: %s", pt_res_str(res));
	}
	EXPECT_TRUE(p_user_equal(&p, true));
	/* and read back through SUBMIT_IO, stripped where PI-only */
	memset(p.buf, 0x5a, 256 * PT_KiB);
	io.opcode = PT_OP_READ;
	res = pt_ioctl_res(ioctl(p.cfd, NVME_IOCTL_SUBMIT_IO, &io));
	ASSERT_EQ(0, res) {
		TH_LOG("SUBMIT_IO read, PRACT: %s", pt_res_str(res));
	}
	EXPECT_TRUE(p_user_equal(&p, !strip));
	p_fini(&p);
}

/* The host's PI, checked on Write and Read, kept as given. */
TEST_F(pi, host_pi)
{
	struct p p;
	int res;

	p_init(_metadata, &p, &self->d, variant);
	p_pattern(&p, 2, 0x1234);
	p_to_user(&p, true);
	ASSERT_EQ(0, p_rw(&p, PT_OP_WRITE, PRCHK_ALL, p.ref0, 0x1200, 0xff00));
	memset(p.buf, 0x5a, 256 * PT_KiB);
	memset(p.md, 0x5a, PI_NLB * p.ms);
	ASSERT_EQ(0, p_rw(&p, PT_OP_READ, PRCHK_ALL, p.ref0, 0x1234, 0xffff));
	EXPECT_TRUE(p_user_equal(&p, true));
	/*
	 * CDW3: the 64-bit guard's ILBRT bits 47:32 (type 1: the LBA's),
	 * else reserved; its upper half, a storage tag, never used (STS 0).
	 */
	res = p_rw(&p, PT_OP_READ, PRCHK_REF, p.ref0 ^ 1ULL << 40, 0, 0);
	EXPECT_EQ(!p.g64 ? SC_FIELD : p.type == 1 ? SC_INVALID_PI : SC_REFTAG,
		  res);
	res = p_verify(&p, PRCHK_REF, p.ref0 ^ 1ULL << 40, 0, 0);
	EXPECT_EQ(!p.g64 ? SC_FIELD : p.type == 1 ? SC_INVALID_PI : SC_REFTAG,
		  res);
	res = p_rw(&p, PT_OP_READ, 0, p.ref0 | 1ULL << 48, 0, 0);
	EXPECT_EQ(SC_FIELD, res);
	p_fini(&p);
}

/* Each check's failure, on Write (nothing stored) and on Read. */
TEST_F(pi, check_errors)
{
	const struct {
		const char *what;
		__u32 byte;	/* of block 1's PI */
		__u32 prchk;
		int status;
	} bad[] = {
		{ "guard", 0, PRCHK_GUARD, SC_GUARD },
		{ "application tag", variant->g64 ? 9 : 3, PRCHK_APP,
		  SC_APPTAG },
		{ "reference tag", variant->g64 ? 15 : 7, PRCHK_REF,
		  SC_REFTAG },
	};
	unsigned int k;
	struct p p;
	int res;

	p_init(_metadata, &p, &self->d, variant);
	/* a good copy first, for "nothing stored" */
	p_pattern(&p, 3, PI_APP);
	p_to_user(&p, true);
	ASSERT_EQ(0, p_rw(&p, PT_OP_WRITE, PRCHK_ALL, p.ref0, PI_APP, 0xffff));
	for (k = 0; k < ARRAY_SIZE(bad); k++) {
		char *pi;

		p_pattern(&p, 3, PI_APP);
		pi = p.wmd + p.ms + p.off;
		pi[bad[k].byte] ^= 0x10;
		p_to_user(&p, true);
		/* only its own check fails it */
		res = p_rw(&p, PT_OP_WRITE, PRCHK_ALL & ~bad[k].prchk, p.ref0,
			   PI_APP, 0xffff);
		EXPECT_EQ(0, res) {
			TH_LOG("write, bad %s, its check off: %s", bad[k].what,
			       pt_res_str(res));
		}
		res = p_rw(&p, PT_OP_WRITE, bad[k].prchk, p.ref0, PI_APP,
			   0xffff);
		EXPECT_EQ(bad[k].status, res) {
			TH_LOG("write, bad %s: %s", bad[k].what,
			       pt_res_str(res));
		}
		/* stored unchecked above: now the read's check fails */
		res = p_rw(&p, PT_OP_READ, bad[k].prchk, p.ref0, PI_APP,
			   0xffff);
		EXPECT_EQ(bad[k].status, res) {
			TH_LOG("read, bad %s: %s", bad[k].what,
			       pt_res_str(res));
		}
		res = p_verify(&p, bad[k].prchk, p.ref0, PI_APP, 0xffff);
		EXPECT_EQ(bad[k].status, res) {
			TH_LOG("verify, bad %s: %s", bad[k].what,
			       pt_res_str(res));
		}
		res = p_verify(&p, PRCHK_ALL & ~bad[k].prchk, p.ref0, PI_APP,
			       0xffff);
		EXPECT_EQ(0, res) {
			TH_LOG("verify, bad %s, its check off: %s",
			       bad[k].what, pt_res_str(res));
		}
		res = p_rw(&p, PT_OP_READ, 0, p.ref0, PI_APP, 0xffff);
		EXPECT_EQ(0, res);
		EXPECT_TRUE(p_user_equal(&p, true));
	}
	/* the escape: an application tag of FFFFh (type 3: and ref all ones) */
	p_pattern(&p, 4, 0xffff);
	if (p.type == 3)
		put_be(p.wmd + p.ms + p.off + p.gsz + 2, ~0ULL,
		       p.pisz - p.gsz - 2);
	p.wmd[p.ms + p.off] ^= 0x10;			/* a bad guard */
	p_to_user(&p, true);
	res = p_rw(&p, PT_OP_WRITE, PRCHK_ALL, p.ref0, 0xffff, 0xffff);
	EXPECT_EQ(0, res) {
		TH_LOG("write, escape: %s", pt_res_str(res));
	}
	/* type 1: the initial reference tag must be the LBA's */
	if (p.type == 1) {
		res = p_rw(&p, PT_OP_READ, PRCHK_REF, PI_SLBA + 1, PI_APP,
			   0xffff);
		EXPECT_EQ(SC_INVALID_PI, res);
		res = p_rw(&p, PT_OP_READ, PRCHK_GUARD, PI_SLBA + 1, PI_APP,
			   0xffff);
		EXPECT_EQ(0, res);
		EXPECT_EQ(SC_INVALID_PI, p_verify(&p, PRCHK_REF, PI_SLBA + 1,
						  PI_APP, 0xffff));
	}
	/* a write that failed its check stored nothing: pattern 4 stays */
	p_pattern(&p, 3, PI_APP);
	p_to_user(&p, true);
	res = p_rw(&p, PT_OP_WRITE, PRCHK_ALL, p.ref0, PI_APP + 1, 0xffff);
	EXPECT_EQ(SC_APPTAG, res);
	ASSERT_EQ(0, p_rw(&p, PT_OP_READ, 0, p.ref0, PI_APP, 0xffff));
	EXPECT_NE(0, memcmp(p.buf, p.want, p.bs));
	p_fini(&p);
}

/*
 * Compare with PRINFO: the stored PI checked as a Read's (each failing
 * check its status before any compare), then the data and metadata
 * compared (285h); PRACT on PI-only metadata compares the data alone.
 */
TEST_F(pi, compare_prinfo)
{
	bool strip = variant->ms == (variant->g64 ? 16 : 8);
	struct p p;

	p_init(_metadata, &p, &self->d, variant);
	p_pattern(&p, 5, PI_APP);
	p_to_user(&p, true);
	ASSERT_EQ(0, p_rw(&p, PT_OP_WRITE, 0, p.ref0, PI_APP, 0xffff));
	EXPECT_EQ(0, p_rw(&p, PT_OP_COMPARE, 0, p.ref0, PI_APP, 0xffff));
	EXPECT_EQ(0, p_rw(&p, PT_OP_COMPARE, PRCHK_ALL, p.ref0, PI_APP,
			  0xffff));
	EXPECT_EQ(SC_APPTAG, p_rw(&p, PT_OP_COMPARE, PRCHK_APP, p.ref0,
				  PI_APP + 1, 0xffff));
	/* type 1: an ILBRT other than the LBA is refused first */
	EXPECT_EQ(variant->type == 1 ? SC_INVALID_PI : SC_REFTAG,
		  p_rw(&p, PT_OP_COMPARE, PRCHK_REF, p.ref0 + 1, PI_APP,
		       0xffff));
	/* PRACT: with PI-only metadata the data alone is sent */
	if (strip) {
		p_to_user(&p, false);
		EXPECT_EQ(0, p_rw(&p, PT_OP_COMPARE, PRACT | PRCHK_ALL, p.ref0,
				  PI_APP, 0xffff));
		p.buf[7] ^= 1;
		EXPECT_EQ(PT_SC_COMPARE, p_rw(&p, PT_OP_COMPARE, PRACT |
					      PRCHK_ALL, p.ref0, PI_APP,
					      0xffff));
		p_to_user(&p, true);
	}
	/* a data byte differs: the checks pass, the compare does not */
	p.buf[p.bs - 1] ^= 1;
	EXPECT_EQ(PT_SC_COMPARE, p_rw(&p, PT_OP_COMPARE, PRCHK_ALL, p.ref0,
				      PI_APP, 0xffff));
	/* corrupted stored guard: the check fails first */
	ASSERT_EQ(0, zcblk_dev_corrupt(self->env.ctx, self->d.index,
				       PI_SLBA + 2, 1, ZCBLK_CORRUPT_GUARD));
	EXPECT_EQ(SC_GUARD, p_rw(&p, PT_OP_COMPARE, PRCHK_GUARD, p.ref0,
				 PI_APP, 0xffff));
	p_fini(&p);
}

TEST_F(pi, corrupted)
{
	static const struct {
		const char *what;
		__u32 kind;
		__u32 prchk;
		int status;
	} bad[] = {
		{ "data", ZCBLK_CORRUPT_DATA, PRCHK_GUARD, SC_GUARD },
		{ "metadata", ZCBLK_CORRUPT_METADATA, PRCHK_GUARD, SC_GUARD },
		{ "guard", ZCBLK_CORRUPT_GUARD, PRCHK_GUARD, SC_GUARD },
		{ "application tag", ZCBLK_CORRUPT_APP_TAG, PRCHK_APP,
		  SC_APPTAG },
		{ "reference tag", ZCBLK_CORRUPT_REF_TAG, PRCHK_REF, SC_REFTAG },
	};
	__u32 per = variant->bs + (variant->ext ? variant->ms : 0);
	unsigned int k;
	struct p p;
	int res;

	p_init(_metadata, &p, &self->d, variant);
	p_pattern(&p, 4, PI_APP);
	for (k = 0; k < ARRAY_SIZE(bad); k++) {
		p_to_user(&p, true);
		ASSERT_EQ(0, p_rw(&p, PT_OP_WRITE, PRCHK_ALL, p.ref0, PI_APP,
				  0xffff));
		res = zcblk_dev_corrupt(self->env.ctx, self->d.index,
					PI_SLBA + 1, 1, bad[k].kind);
		ASSERT_EQ(0, res) {
			TH_LOG("corrupt %s: %s: %s", bad[k].what,
			       strerror(-res), zcblk_ctx_errmsg(self->env.ctx));
		}
		res = p_rw(&p, PT_OP_READ, bad[k].prchk, p.ref0, PI_APP,
			   0xffff);
		EXPECT_EQ(bad[k].status, res) {
			TH_LOG("read of corrupted %s: %s", bad[k].what,
			       pt_res_str(res));
		}
		/* the other checks pass: only the one byte changed */
		res = p_rw(&p, PT_OP_READ, PRCHK_ALL & ~bad[k].prchk, p.ref0,
			   PI_APP, 0xffff);
		EXPECT_EQ(0, res) {
			TH_LOG("read of corrupted %s, other checks: %s",
			       bad[k].what, pt_res_str(res));
		}
		/* Verify finds it as the read does, and only with the check */
		res = p_verify(&p, bad[k].prchk, p.ref0, PI_APP, 0xffff);
		EXPECT_EQ(bad[k].status, res) {
			TH_LOG("verify of corrupted %s: %s", bad[k].what,
			       pt_res_str(res));
		}
		EXPECT_EQ(0, p_verify(&p, PRCHK_ALL & ~bad[k].prchk, p.ref0,
				      PI_APP, 0xffff));
		EXPECT_EQ(0, p_verify(&p, 0, 0, 0, 0));
		if (bad[k].kind == ZCBLK_CORRUPT_DATA) {
			/* unchecked: the byte as the media holds it */
			ASSERT_EQ(0, p_rw(&p, PT_OP_READ, 0, p.ref0, PI_APP,
					  0xffff));
			EXPECT_EQ((unsigned char)~p.want[p.bs],
				  (unsigned char)p.buf[per]);
			EXPECT_EQ(0, memcmp(p.buf + per + 1, p.want + p.bs + 1,
					    p.bs - 1));
		}
	}
	/* healed by the last rewrite */
	p_to_user(&p, true);
	ASSERT_EQ(0, p_rw(&p, PT_OP_WRITE, PRCHK_ALL, p.ref0, PI_APP, 0xffff));
	EXPECT_EQ(0, p_rw(&p, PT_OP_READ, PRCHK_ALL, p.ref0, PI_APP, 0xffff));
	EXPECT_EQ(0, p_verify(&p, PRCHK_ALL, p.ref0, PI_APP, 0xffff));
	EXPECT_EQ(0, p_verify(&p, PRACT | PRCHK_ALL, p.ref0, PI_APP, 0xffff));
	p_fini(&p);
}

/*
 * Copy of the test's blocks to @dst: PRINFOR's checks against the range
 * entry's tags, PRINFOW's (PRACT: new PI) against the command's.
 */
static int p_copy(struct p *p, __u64 dst, __u32 prinfor, __u32 eilbrt,
		  __u16 elbat, __u16 elbatm, __u32 prinfow, __u32 ref,
		  __u16 app, __u16 mask)
{
	struct pt_copy_range *r = (struct pt_copy_range *)p->md;
	struct nvme_uring_cmd c;

	*r = pt_copy_range(PI_SLBA, PI_NLB);
	r->eilbrt = eilbrt;
	r->elbat = elbat;
	r->elbatm = elbatm;
	c = pt_copy_cmd(dst, r, 1);
	c.cdw12 |= prinfor >> 14 | prinfow;	/* PRINFOR: bits 15:12 */
	c.cdw14 = ref;
	c.cdw15 = (__u32)mask << 16 | app;
	return pt_passthru(p->cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
}

/* A Read with @prinfo of the test's blocks copied to @dst. */
static int p_read_at(struct p *p, __u64 dst, __u32 prinfo, __u64 ref,
		     __u16 app)
{
	__u32 per = p->bs + (p->ext ? p->ms : 0);
	struct nvme_uring_cmd c = pt_rw(PT_OP_READ, dst, PI_NLB, p->buf,
					PI_NLB * per);

	c.cdw12 |= prinfo;
	c.cdw14 = ref;
	c.cdw3 = ref >> 32;
	c.cdw15 = 0xffffU << 16 | app;
	if (!p->ext) {
		c.metadata = (uintptr_t)p->md;
		c.metadata_len = PI_NLB * p->ms;
	}
	return pt_passthru(p->cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
}

/*
 * Copy (19h) with PI: the source checked as PRINFOR asks (each failing
 * check its status, nothing copied), the target's PI generated (PRACT in
 * PRINFOW) or copied and checked as PRINFOW asks; a type 1 EILBRT or
 * ILBRT that is not the LBA refused (181h), PRACT in one of PRINFOR and
 * PRINFOW alone Invalid Field.
 */
TEST_F(pi, copy)
{
	const __u64 dst = 40;
	__u32 dref = variant->type == 1 ? dst : PI_REF23 + 1000;
	struct p p;
	int res;

	p_init(_metadata, &p, &self->d, variant);
	p_pattern(&p, 5, PI_APP);
	p_to_user(&p, true);
	ASSERT_EQ(0, p_rw(&p, PT_OP_WRITE, PRCHK_ALL, p.ref0, PI_APP, 0xffff));
	if (p.g64) {
		/* format 0 is the 16-bit guard's; nothing copied */
		EXPECT_EQ(SC_NS_FORMAT, p_copy(&p, dst, 0, 0, 0, 0, 0, 0, 0,
					       0));
		EXPECT_EQ(0, p_read_at(&p, dst, PRCHK_ALL,
				       p.type == 1 ? dst : 0, 0));
		EXPECT_TRUE(p_never_written(&p));
		p_fini(&p);
		return;
	}

	/* checked source, new PI at the target */
	res = p_copy(&p, dst, PRACT | PRCHK_ALL, p.ref0, PI_APP, 0xffff,
		     PRACT | PRCHK_ALL, dref, 0x1234, 0xffff);
	ASSERT_EQ(0, res) {
		TH_LOG("copy, PRACT: %s", pt_res_str(res));
	}
	EXPECT_EQ(0, p_read_at(&p, dst, PRCHK_ALL, dref, 0x1234));
	EXPECT_EQ(SC_APPTAG, p_read_at(&p, dst, PRCHK_APP, dref, PI_APP));
	EXPECT_TRUE(p_data_equal(&p));

	/* copied PI: what the source had, checked as the target's */
	if (variant->type != 1) {
		EXPECT_EQ(0, p_copy(&p, dst + 8, PRCHK_ALL, p.ref0, PI_APP,
				    0xffff, PRCHK_ALL, p.ref0, PI_APP,
				    0xffff));
		EXPECT_EQ(0, p_read_at(&p, dst + 8, PRCHK_ALL, p.ref0,
				       PI_APP));
		EXPECT_TRUE(p_user_equal(&p, true));
	} else {
		/* the source's reference tags are not the target's LBAs */
		EXPECT_EQ(SC_REFTAG, p_copy(&p, dst + 8, 0, 0, 0, 0,
					    PRCHK_REF, dst + 8, 0, 0));
		EXPECT_EQ(0, p_copy(&p, dst + 8, 0, 0, 0, 0,
				    PRCHK_GUARD | PRCHK_APP, 0, PI_APP,
				    0xffff));
		EXPECT_EQ(SC_INVALID_PI, p_copy(&p, dst, PRCHK_REF,
						p.ref0 + 1, 0, 0, 0, 0, 0,
						0));
		EXPECT_EQ(SC_INVALID_PI, p_copy(&p, dst, 0, 0, 0, 0,
						PRCHK_REF, dst + 1, 0, 0));
	}
	/* wrong expectations of the source: its checks fail */
	EXPECT_EQ(SC_APPTAG, p_copy(&p, dst + 16, PRACT | PRCHK_APP, p.ref0,
				    PI_APP ^ 1, 0xffff, PRACT, dref, 0, 0));
	if (variant->type != 1)
		EXPECT_EQ(SC_REFTAG, p_copy(&p, dst + 16, PRACT | PRCHK_REF,
					    p.ref0 + 1, 0, 0, PRACT, dref,
					    0, 0));
	/* PRACT in PRINFOR without PRINFOW's, or the other way: refused */
	EXPECT_EQ(SC_FIELD, p_copy(&p, dst + 16, PRACT, 0, 0, 0, 0, dref, 0,
				   0));
	EXPECT_EQ(SC_FIELD, p_copy(&p, dst + 16, 0, 0, 0, 0, PRACT, dref, 0,
				   0));

	/* a corrupted source block: the guard check stops it */
	ASSERT_EQ(0, zcblk_dev_corrupt(self->env.ctx, self->d.index,
				       PI_SLBA + 1, 1, ZCBLK_CORRUPT_DATA));
	EXPECT_EQ(SC_GUARD, p_copy(&p, dst + 16, PRACT | PRCHK_GUARD, p.ref0,
				   0, 0, PRACT, dref, 0, 0));
	/* the failed ones wrote nothing */
	ASSERT_EQ(0, p_read_at(&p, dst + 16, 0, 0, 0));
	EXPECT_TRUE(p_never_written(&p));
	/* unchecked, the corruption comes along */
	EXPECT_EQ(0, p_copy(&p, dst + 16, PRCHK_APP, p.ref0, PI_APP, 0xffff,
			    0, 0, 0, 0));
	EXPECT_EQ(SC_GUARD, p_read_at(&p, dst + 16, PRCHK_GUARD, 0, 0));
	p_fini(&p);
}

/*
 * Blocks never written, zeroed by Write Zeroes or deallocated read back
 * zeros with the escape tags (and the guard of zeros): every check passes.
 */
TEST_F(pi, never_written)
{
	struct nvme_uring_cmd c;
	struct p p;
	__u64 *range;
	__u32 i;

	p_init(_metadata, &p, &self->d, variant);
	EXPECT_EQ(0, p_read_at(&p, PI_SLBA, PRCHK_ALL, p.ref0, PI_APP));
	EXPECT_TRUE(p_never_written(&p));

	p_pattern(&p, 3, PI_APP);
	p_to_user(&p, true);
	ASSERT_EQ(0, p_rw(&p, PT_OP_WRITE, PRCHK_ALL, p.ref0, PI_APP, 0xffff));
	c = pt_rw(PT_OP_WRITE_ZEROES, PI_SLBA, PI_NLB, NULL, 0);
	ASSERT_EQ(0, pt_passthru(p.cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	EXPECT_EQ(0, p_read_at(&p, PI_SLBA, PRCHK_ALL, p.ref0, PI_APP));
	EXPECT_TRUE(p_never_written(&p));

	ASSERT_EQ(0, p_rw(&p, PT_OP_WRITE, PRCHK_ALL, p.ref0, PI_APP, 0xffff));
	range = (__u64 *)(p.buf + 256 * PT_KiB);
	range[0] = (__u64)PI_NLB << 32;		/* nlb, attributes 0 */
	range[1] = PI_SLBA;
	c = pt_rw(PT_OP_DSM, 0, 1, range, 16);
	c.cdw10 = 0;
	c.cdw11 = PT_DSM_AD;
	c.cdw12 = 0;
	ASSERT_EQ(0, pt_passthru(p.cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	EXPECT_EQ(0, p_read_at(&p, PI_SLBA, PRCHK_ALL, p.ref0, PI_APP));
	EXPECT_TRUE(p_never_written(&p));

	/*
	 * Write Zeroes with PRACT: the PI of zeros, LBAT and reference tags
	 * from ILBRT, which reads check (a wrong application tag now fails,
	 * as it would not against the escape tags); PRCHK has nothing to
	 * check: Invalid Protection Information, nothing zeroed.
	 */
	p_to_user(&p, true);
	ASSERT_EQ(0, p_rw(&p, PT_OP_WRITE, PRCHK_ALL, p.ref0, PI_APP, 0xffff));
	c = pt_rw(PT_OP_WRITE_ZEROES, PI_SLBA, PI_NLB, NULL, 0);
	c.cdw12 |= PRCHK_GUARD;
	EXPECT_EQ(SC_INVALID_PI, pt_passthru(p.cfd, NVME_IOCTL_IO64_CMD, &c,
					     NULL));
	EXPECT_EQ(0, p_read_at(&p, PI_SLBA, PRCHK_ALL, p.ref0, PI_APP));
	EXPECT_TRUE(p_data_equal(&p));
	c = pt_rw(PT_OP_WRITE_ZEROES, PI_SLBA, PI_NLB, NULL, 0);
	c.cdw12 |= PRACT;
	c.cdw14 = p.ref0;
	c.cdw3 = p.ref0 >> 32;
	c.cdw15 = 0x5a5a;
	ASSERT_EQ(0, pt_passthru(p.cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
	EXPECT_EQ(0, p_read_at(&p, PI_SLBA, PRCHK_ALL, p.ref0, 0x5a5a));
	for (i = 0; i < PI_NLB; i++)
		EXPECT_TRUE(pt_all_bytes(p.buf + i * (p.bs + (p.ext ? p.ms : 0)),
					 p.bs, 0));
	EXPECT_EQ(SC_APPTAG, p_read_at(&p, PI_SLBA, PRCHK_APP, p.ref0,
				       PI_APP));
	/* type 2: ILBRT is the host's (type 1's must be the SLBA: 181h) */
	if (p.type == 2)
		EXPECT_EQ(SC_REFTAG, p_read_at(&p, PI_SLBA, PRCHK_REF,
					       p.ref0 + 1, 0x5a5a));
	p_fini(&p);
}

TEST_HARNESS_MAIN
