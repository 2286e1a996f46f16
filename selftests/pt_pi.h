/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pt_pi.c and pt_pi_copy.c: their disks (the formats of PI), fixture and
 * helpers: the data and metadata a test writes, its PI as a controller
 * makes it, the commands that move them.
 */
#ifndef ZCBLK_SELFTEST_PT_PI_H
#define ZCBLK_SELFTEST_PT_PI_H

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

static inline void p_init(struct __test_metadata *_metadata, struct p *p,
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

static inline void p_fini(struct p *p)
{
	munmap(p->buf, PT_MiB);
	close(p->cfd);
}

/* CRC-16 T10-DIF (polynomial 0x8bb7), as the guard is computed. */
static inline __u16 crc16(__u16 crc, const void *buf, size_t len)
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
static inline __u64 crc64(__u64 crc, const void *buf, size_t len)
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
static inline void put_be(void *p, __u64 v, unsigned int n)
{
	while (n--) {
		((unsigned char *)p)[n] = v;
		v >>= 8;
	}
}

static inline void put_be16(void *p, __u16 v)
{
	put_be(p, v, 2);
}

/* The guard of @len bytes of data then @mlen of metadata. */
static inline __u64 p_guard(const struct p *p, const void *data, const void *md,
		     __u32 mlen)
{
	if (p->g64)
		return crc64(crc64(0, data, p->bs), md, mlen);
	return crc16(crc16(0, data, p->bs), md, mlen);
}

/* The bits a reference tag has: 32, or 48 with the 64-bit guard. */
static inline __u64 p_ref_mask(const struct p *p)
{
	return p->g64 ? 0xffffffffffffULL : 0xffffffffULL;
}

/* Writes a PI tuple at @pi. */
static inline void p_put_pi(const struct p *p, void *pi, __u64 guard, __u16 app,
		     __u64 ref)
{
	put_be(pi, guard, p->gsz);
	put_be16((char *)pi + p->gsz, app);
	put_be((char *)pi + p->gsz + 2, ref, p->pisz - p->gsz - 2);
}

/* Block @i's PI as a controller computes it from want/wmd. */
static inline void p_make_pi(const struct p *p, __u32 i, __u16 app, void *pi)
{
	p_put_pi(p, pi, p_guard(p, p->want + i * p->bs, p->wmd + i * p->ms,
				p->off),
		 app, (p->type == 3 ? p->ref0 : p->ref0 + i) & p_ref_mask(p));
}

/* Fresh data and metadata in want/wmd, with correct PI (app tag @app). */
static inline void p_pattern(struct p *p, __u32 tag, __u16 app)
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
static inline void p_to_user(struct p *p, bool with_md)
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
static inline bool p_user_equal(const struct p *p, bool with_md)
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
static inline bool p_data_equal(const struct p *p)
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
static inline bool p_never_written(const struct p *p)
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
static inline int p_rw(struct p *p, __u8 op, __u32 prinfo, __u64 ref, __u16 app,
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
static inline int p_verify(struct p *p, __u32 prinfo, __u64 ref, __u16 app,
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
static inline int p_wipe_read(struct p *p)
{
	memset(p->buf, 0x5a, 256 * PT_KiB);
	memset(p->md, 0x5a, PI_NLB * p->ms);
	return p_rw(p, PT_OP_READ, PRCHK_ALL, p->ref0, PI_APP, 0xffff);
}

#endif
