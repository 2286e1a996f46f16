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
 * unchecked as corrupted. CDW3 refused (Invalid Field) but for the 64-bit
 * guard's reference tag bits. Copy, and blocks never written, zeroed or
 * deallocated: pt_pi_copy.c. The refused configurations: pt_md's
 * "md_add".
 *
 * Every test ends (FIXTURE_TEARDOWN_PARENT) with: no splat in the kernel
 * log, zcblk's pins balanced, /proc/vmstat's FOLL_PIN balance back.
 */
#include "pt_pi.h"

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

TEST_HARNESS_MAIN
