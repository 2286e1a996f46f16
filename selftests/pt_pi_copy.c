// SPDX-License-Identifier: GPL-2.0
/*
 * Protection information and commands other than Read and Write, on the
 * formats of pt_pi.c (pt_pi.h): Copy (19h), PRINFOR checking the source
 * against each entry's tags, PRINFOW generating (PRACT) or checking the
 * target's, PRACT in one of them alone Invalid Field, refused (Invalid
 * Namespace or Format) with the 64-bit guard, whose descriptor format 1
 * zcblk does not have. Blocks never written, zeroed or deallocated: zeros
 * with the escape tags, every check passing; Write Zeroes with PRACT
 * making real PI, with PRCHK 181h.
 *
 * Every test ends (FIXTURE_TEARDOWN_PARENT) with: no splat in the kernel
 * log, zcblk's pins balanced, /proc/vmstat's FOLL_PIN balance back.
 */
#include "pt_pi.h"

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
	/* with the power cut, no media to check: Namespace Not Ready */
	ASSERT_EQ(0, zcblk_dev_power(self->env.ctx, self->d.index,
				     ZCBLK_POWER_STATE_CUT, 0, 0));
	EXPECT_EQ(PT_SC_NOT_READY, p_copy(&p, dst + 16, PRACT | PRCHK_GUARD,
					  p.ref0, 0, 0, PRACT, dref, 0, 0));
	ASSERT_EQ(0, zcblk_dev_power(self->env.ctx, self->d.index,
				     ZCBLK_POWER_STATE_ON, 0, 0));
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

	/* the pattern again, read back, so that only the DSM can zero it */
	p_to_user(&p, true);
	ASSERT_EQ(0, p_rw(&p, PT_OP_WRITE, PRCHK_ALL, p.ref0, PI_APP, 0xffff));
	ASSERT_EQ(0, p_wipe_read(&p));
	EXPECT_TRUE(p_user_equal(&p, true));
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
