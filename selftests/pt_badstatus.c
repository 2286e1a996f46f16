// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input on the passthrough char device that the "controller"
 * refuses with an NVMe status, as Documentation/passthrough.rst
 * ("Errors") specifies, through io_uring uring_cmd AND the ioctls
 * wherever both can express the command: unknown I/O and admin opcodes
 * (Invalid Opcode), unsupported CNS, CSI, FID, LID, protection
 * information and reserved bits (Invalid Field), the nsid each admin
 * command takes (Invalid Namespace), LBA ranges past the end (LBA Out
 * of Range). (How a command is framed: pt_badcmd.c; the data it moves:
 * pt_badinput.c.)
 *
 * A valid control command next to the bad ones shows that it is the bad
 * field that fails. The fixture, what every test ends with, and the check
 * that a refused command changed no data on the disk: pt_bad.h.
 * Variants: mem disks with 512- and 4096-byte blocks.
 */
#include "pt_bad.h"

/*
 * Row: unknown I/O opcode -> Invalid Opcode 0x4001 (a positive res);
 * NVME_IOCTL_SUBMIT_IO with any opcode but read/write/compare -> -EINVAL.
 */
TEST_F(bad, unknown_io_opcode)
{
	struct zcblk_dev_stats s0, s1;
	struct nvme_uring_cmd c;
	struct iovec iov;
	__u64 result = 1, guard_pins;
	struct b b;
	int got;

	b_init(_metadata, &b, &self->d);
	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &s0));
	guard_pins = b.guard_pins;
	c = (struct nvme_uring_cmd){ .opcode = 0x7f, .nsid = PT_NSID };
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_OPCODE,
		  "opcode 0x7f, no data");
	c = (struct nvme_uring_cmd){ .opcode = 0x7f, .nsid = PT_NSID };
	expect_io(_metadata, &b, &c, true, PT_SC_INVALID_OPCODE,
		  "opcode 0x7f, no data, vectored");
	got = pt_q_cmd(&b.q, NVME_URING_CMD_IO, &c, -1, &result);
	EXPECT_EQ(PT_SC_INVALID_OPCODE, got);
	EXPECT_EQ(0, result);
	/* with data, both directions: mapped, then refused by the device */
	c = pt_rw(0x7e, 0, 1, b.buf + 5, 4096);
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_OPCODE,
		  "opcode 0x7e, 4096 bytes from the device");
	c = pt_rw(0x7d, 0, 1, b.buf + 5, 4096);
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_OPCODE,
		  "opcode 0x7d, 4096 bytes to the device");
	iov.iov_base = b.buf + 5;
	iov.iov_len = 3000;
	c = pt_rw_vec(0x7e, 0, 1, &iov, 1);
	expect_io(_metadata, &b, &c, true, PT_SC_INVALID_OPCODE,
		  "opcode 0x7e, vectored");
	/* An NVM opcode not offered: Reservation Register */
	c = pt_rw(0x0d, 0, 1, NULL, 0);
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_OPCODE,
		  "Reservation Register (0x0d)");
	c = pt_rw(0xff, 0, 1, NULL, 0);
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_OPCODE,
		  "opcode 0xff");

	expect_submit_io(_metadata, &b, PT_OP_FLUSH, 0, 1, b.buf, -EINVAL,
			 "Flush");
	expect_submit_io(_metadata, &b, PT_OP_WRITE_ZEROES, 0, 1, b.buf,
			 -EINVAL, "Write Zeroes");
	expect_submit_io(_metadata, &b, PT_OP_DSM, 0, 1, b.buf, -EINVAL,
			 "DSM");
	expect_submit_io(_metadata, &b, 0x7f, 0, 1, b.buf, -EINVAL,
			 "opcode 0x7f");
	expect_submit_io(_metadata, &b, PT_OP_READ, 0, 1, b.buf, 0,
			 "Read (control)");

	ASSERT_EQ(0, pt_stats(self->env.ctx, self->d.index, &s1));
	/* they were mapped (besides the guard's reads) */
	EXPECT_LT(s0.pinned_pages + b.guard_pins - guard_pins,
		  s1.pinned_pages);
	EXPECT_EQ(s1.pinned_pages, s1.unpinned_pages);
	b_fini(&b);
}

/*
 * Row: Invalid Field (0x4002): unsupported CNS, CSI != 0, FID, LID, and
 * protection information on a namespace without it.
 */
TEST_F(bad, invalid_field)
{
	struct nvme_uring_cmd c;
	struct b b;

	b_init(_metadata, &b, &self->d);
	c = pt_identify(PT_NSID, 0x10, 0, b.buf);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD, "Identify CNS 0x10");
	c = pt_identify(PT_NSID, 0xff, 0, b.buf);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD, "Identify CNS 0xff");
	c = pt_identify(PT_NSID, 5, 2U << 24, b.buf);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Identify CNS 5 CSI 2 (zoned)");
	c = pt_identify(0, 6, 2U << 24, b.buf);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Identify CNS 6 CSI 2 (zoned)");
	c = pt_identify(PT_NSID, 0, 0, b.buf);
	c.cdw10 |= 1U << 16;	/* CNTID */
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Identify CNS 0 with CNTID 1");
	c = pt_admin(PT_ADM_GET_FEATURES, PT_NSID, 0x99, 0, NULL, 0);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Get Features FID 0x99");
	c = pt_get_log(PT_NSID, 0x80, b.buf, 512);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Get Log Page LID 0x80");

	/* controls */
	c = pt_identify(PT_NSID, 5, 0, b.buf);
	expect_admin(_metadata, &b, &c, 0, "Identify CNS 5 CSI 0");
	c = pt_identify(0, 6, 0, b.buf);
	expect_admin(_metadata, &b, &c, 0, "Identify CNS 6 CSI 0");
	c = pt_admin(PT_ADM_GET_FEATURES, PT_NSID, 0x06, 0, NULL, 0);
	expect_admin(_metadata, &b, &c, 0, "Get Features VWC");
	c = pt_get_log(PT_NSID, 0x02, b.buf, 512);
	expect_admin(_metadata, &b, &c, 0, "Get Log Page SMART");

	/* PRINFO: no protection information here */
	c = pt_rw(PT_OP_READ, 0, 1, b.buf, b.bs);
	c.cdw12 |= PT_CDW12_PRINFO_PRCHK;
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD,
		  "Read with PRINFO bit 26");
	c = pt_rw(PT_OP_READ, 0, 1, b.buf, b.bs);
	c.cdw12 |= PT_CDW12_PRINFO_PRACT;
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD,
		  "Read with PRACT");
	c = pt_rw(PT_OP_WRITE, 0, 1, b.buf, b.bs);
	c.cdw12 |= PT_CDW12_PRINFO_PRCHK;
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD,
		  "Write with PRINFO bit 26");
	c = pt_rw(PT_OP_READ, 0, 1, b.buf, b.bs);
	expect_io(_metadata, &b, &c, false, 0, "Read (control)");
	b_fini(&b);
}

/* Reserved command dwords and bits set -> Invalid Field (0x4002). */
TEST_F(bad, reserved_cdw_bits)
{
	struct nvme_uring_cmd c, ok;
	struct b b;

	b_init(_metadata, &b, &self->d);
	ok = pt_rw(PT_OP_READ, 0, 1, b.buf, b.bs);
	c = ok;
	c.cdw2 = 1;
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD, "Read, cdw2");
	c = ok;
	c.cdw3 = 1;
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD, "Read, cdw3");
	c = ok;
	c.cdw13 = 0x100;
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD,
		  "Read, cdw13 bit 8");
	c = (struct nvme_uring_cmd){ .opcode = PT_OP_FLUSH, .nsid = PT_NSID,
				     .cdw10 = 1 };
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD,
		  "Flush, cdw10");
	/* a range on guarded LBAs: deallocating it would show */
	c = pt_admin(PT_OP_DSM, PT_NSID, 0, PT_DSM_AD | (1U << 3), b.buf, 16);
	*(struct pt_dsm_range *)b.buf = (struct pt_dsm_range){ .nlb = 4 };
	expect_io(_metadata, &b, &c, false, PT_SC_INVALID_FIELD,
		  "DSM, cdw11 bit 3");
	/* admin commands: CDW2 and CDW3 reserved in each */
	c = pt_identify(0, 1, 0, b.buf);
	c.cdw2 = 1;
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD, "Identify, cdw2");
	c = pt_admin(PT_ADM_GET_FEATURES, PT_NSID, 0x06, 0, NULL, 0);
	c.cdw3 = 1;
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Get Features, cdw3");
	c = pt_get_log(PT_NSID, 0x02, b.buf, 512);
	c.cdw2 = 1;
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Get Log Page, cdw2");
	/* before Feature Not Changeable (no cache here) */
	c = pt_admin(PT_ADM_SET_FEATURES, PT_NSID, 0x06, 1, NULL, 0);
	c.cdw3 = 1;
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Set Features, cdw3");
	/* CDW12..15 reserved, or a UUID index no UUID list offers */
	c = pt_admin(PT_ADM_GET_FEATURES, PT_NSID, 0x06, 0, NULL, 0);
	c.cdw14 = 1;
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Get Features, UUID index 1");
	c = pt_admin(PT_ADM_GET_FEATURES, PT_NSID, 0x06, 0, NULL, 0);
	c.cdw12 = 1;
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Get Features, cdw12");
	/* CDW11 reserved in Get Features of these three */
	c = pt_admin(PT_ADM_GET_FEATURES, PT_NSID, 0x06, 0xffffffff, NULL, 0);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Get Features 06h, cdw11");
	c = pt_admin(PT_ADM_GET_FEATURES, PT_NSID, 0x07, 1, NULL, 0);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Get Features 07h, cdw11");
	c = pt_admin(PT_ADM_GET_FEATURES, PT_NSID, 0x19, 1U << 31, NULL, 0);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Get Features 19h, cdw11");
	c = pt_admin(PT_ADM_SET_FEATURES, PT_NSID, 0x06, 1, NULL, 0);
	c.cdw15 = 1;
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Set Features, cdw15");
	c = pt_get_log(PT_NSID, 0x02, b.buf, 512);
	c.cdw15 = 1;
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Get Log Page, cdw15");
	/* controls: access hints in cdw13 7:0, FUA */
	c = ok;
	c.cdw13 = 0xff;
	expect_io(_metadata, &b, &c, false, 0, "Read, cdw13 7:0 (control)");
	c = ok;
	c.cdw12 |= 1U << 30;
	expect_io(_metadata, &b, &c, false, 0, "Read, FUA (control)");
	b_fini(&b);
}

/* Identify CNS 2 list: @n ids expected, the first being @first. */
static void expect_ns_list(struct __test_metadata *_metadata, struct b *b,
			   __u32 nsid, __u32 first)
{
	struct nvme_uring_cmd c = pt_identify(nsid, 2, 0, b->buf);
	size_t off = first ? 4 : 0;

	memset(b->buf, 0xff, 4096);
	ASSERT_EQ(0, pt_passthru(b->cfd, NVME_IOCTL_ADMIN_CMD, &c, NULL));
	EXPECT_EQ(first, pt_le32(b->buf));
	EXPECT_TRUE(pt_all_bytes(b->buf + off, 4096 - off, 0)) {
		TH_LOG("active namespace list after nsid 0x%x: more than expected",
		       nsid);
	}
}

/* Row: which nsid each admin command takes (else 0x400b Invalid NS). */
TEST_F(bad, admin_nsid)
{
	static const struct {
		__u8 cns;
		__u32 nsid;
		int want;
	} id[] = {
		{ 0, 2, PT_SC_INVALID_NS }, { 0, 0, PT_SC_INVALID_NS },
		{ 0, 0xfffffffe, PT_SC_INVALID_NS },
		{ 0, 1, 0 }, { 0, 0xffffffff, 0 },
		{ 1, 0, 0 }, { 1, 1, 0 }, { 1, 2, 0 }, { 1, 0xffffffff, 0 },
		{ 2, 0xfffffffe, PT_SC_INVALID_NS },
		{ 2, 0xffffffff, PT_SC_INVALID_NS },
		{ 2, 0, 0 }, { 2, 1, 0 }, { 2, 2, 0 },
		{ 3, 2, PT_SC_INVALID_NS }, { 3, 0, PT_SC_INVALID_NS },
		{ 3, 0xffffffff, PT_SC_INVALID_NS }, { 3, 1, 0 },
		{ 5, 2, PT_SC_INVALID_NS }, { 5, 0, PT_SC_INVALID_NS },
		{ 5, 1, 0 },
		{ 6, 0, 0 }, { 6, 1, 0 }, { 6, 7, 0 }, { 6, 0xffffffff, 0 },
	};
	static const __u32 feat_log_nsid[] = { 0, 1, 0xffffffff, 2,
					       0xfffffffe, 3 };
	struct nvme_uring_cmd c;
	char what[80];
	struct b b;
	size_t i;

	b_init(_metadata, &b, &self->d);
	for (i = 0; i < ARRAY_SIZE(id); i++) {
		snprintf(what, sizeof(what), "Identify CNS %u, nsid 0x%x",
			 id[i].cns, id[i].nsid);
		c = pt_identify(id[i].nsid, id[i].cns, 0, b.buf);
		expect_admin(_metadata, &b, &c, id[i].want, what);
	}
	/* CNS 2 lists the active nsids greater than nsid */
	expect_ns_list(_metadata, &b, 0, 1);
	expect_ns_list(_metadata, &b, 1, 0);
	expect_ns_list(_metadata, &b, 2, 0);

	for (i = 0; i < ARRAY_SIZE(feat_log_nsid); i++) {
		__u32 nsid = feat_log_nsid[i];
		int want = i < 3 ? 0 : PT_SC_INVALID_NS;

		snprintf(what, sizeof(what), "Get Log Page SMART, nsid 0x%x",
			 nsid);
		c = pt_get_log(nsid, 0x02, b.buf, 512);
		expect_admin(_metadata, &b, &c, want, what);
		snprintf(what, sizeof(what), "Get Log Page Error, nsid 0x%x",
			 nsid);
		c = pt_get_log(nsid, 0x01, b.buf, 64);
		expect_admin(_metadata, &b, &c, want, what);
		snprintf(what, sizeof(what), "Get Features VWC, nsid 0x%x",
			 nsid);
		c = pt_admin(PT_ADM_GET_FEATURES, nsid, 0x06, 0, NULL, 0);
		expect_admin(_metadata, &b, &c, want, what);
		snprintf(what, sizeof(what),
			 "Get Features Number of Queues, nsid 0x%x", nsid);
		c = pt_admin(PT_ADM_GET_FEATURES, nsid, 0x07, 0, NULL, 0);
		expect_admin(_metadata, &b, &c, want, what);
	}
	b_fini(&b);
}

/* Unknown admin opcode -> Invalid Opcode (0x4001). */
TEST_F(bad, unknown_admin_opcode)
{
	static const __u8 ops[] = { 0x7c, 0x7f, 0xc0, 0x84 /* Sanitize */,
				    0x10 /* FW commit */ };
	struct nvme_uring_cmd c;
	char what[64];
	struct b b;
	size_t i;

	b_init(_metadata, &b, &self->d);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		snprintf(what, sizeof(what), "admin opcode 0x%x", ops[i]);
		c = pt_admin(ops[i], 0, 0, 0, NULL, 0);
		expect_admin(_metadata, &b, &c, PT_SC_INVALID_OPCODE, what);
	}
	/* Set Features: only Volatile Write Cache (pt_wcache) */
	c = pt_admin(0x09, 0, 0, 0, NULL, 0);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_FIELD,
		     "Set Features, feature 0");
	/* with data both ways: mapped, then refused */
	c = pt_admin(0x7e, 0, 0, 0, b.buf + 3, 512);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_OPCODE,
		     "admin opcode 0x7e with 512 bytes");
	c = pt_admin(0x7d, 0, 0, 0, b.buf + 3, 512);
	expect_admin(_metadata, &b, &c, PT_SC_INVALID_OPCODE,
		     "admin opcode 0x7d with 512 bytes");
	b_fini(&b);
}

/*
 * Row: LBA ranges at and past the end of the namespace (overflow-safe).
 * The data of refused Writes differs from the guarded LBAs' at both ends
 * of the disk, where a wrapping range would land.
 */
TEST_F(bad, lba_range)
{
	const __u64 n = self->d.nlbas;
	const struct {
		__u64 slba;
		__u32 nblocks;
		int want;
		const char *name;
	} cases[] = {
		{ n - 2, 4, PT_SC_LBA_RANGE, "slba + nlb past the end" },
		{ n - 1, 2, PT_SC_LBA_RANGE, "last LBA + 1 more" },
		{ ~0ULL, 2, PT_SC_LBA_RANGE, "slba 2^64-1, 2 blocks" },
		{ ~0ULL - 1, 4, PT_SC_LBA_RANGE, "slba 2^64-2, 4 blocks" },
		{ n, 1, PT_SC_LBA_RANGE, "slba at capacity" },
		{ 1ULL << 63, 1, PT_SC_LBA_RANGE, "slba 2^63" },
		{ 1ULL << 32, 1, PT_SC_LBA_RANGE, "slba 2^32 (cdw11 only)" },
		{ n - 1, 1, 0, "last LBA" },
		{ n - 8, 8, 0, "last 8 LBAs" },
	};
	static const __u8 ops[] = { PT_OP_WRITE, PT_OP_READ, PT_OP_COMPARE,
				    PT_OP_WRITE_ZEROES };
	struct nvme_uring_cmd c;
	char what[128];
	struct b b;
	size_t i, k;

	b_init(_metadata, &b, &self->d);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		__u32 len = cases[i].nblocks * b.bs;

		pt_fill(b.buf, b.bs, cases[i].slba, cases[i].nblocks, 2);
		for (k = 0; k < ARRAY_SIZE(ops); k++) {
			bool data = ops[k] != PT_OP_WRITE_ZEROES;

			snprintf(what, sizeof(what), "opcode 0x%x, %s",
				 ops[k], cases[i].name);
			c = pt_rw(ops[k], cases[i].slba, cases[i].nblocks,
				  data ? b.buf : NULL, data ? len : 0);
			expect_io(_metadata, &b, &c, false, cases[i].want,
				  what);
			if (!data)
				continue;
			expect_submit_io(_metadata, &b, ops[k], cases[i].slba,
					 cases[i].nblocks, b.buf,
					 cases[i].want, what);
		}
	}
	/*
	 * DSM ranges are checked the same way, all before any is done:
	 * range 0 (LBAs 0 and 1, guarded) keeps its data when range 1 is
	 * refused.
	 */
	{
		struct pt_dsm_range *r = (struct pt_dsm_range *)b.buf;
		int got;

		r[0] = (struct pt_dsm_range){ .nlb = 2, .slba = 0 };
		r[1] = (struct pt_dsm_range){ .nlb = 2, .slba = n - 1 };
		c = pt_admin(PT_OP_DSM, PT_NSID, 1, PT_DSM_AD, r, 32);
		expect_io(_metadata, &b, &c, false, PT_SC_LBA_RANGE,
			  "DSM, range 1 past the end");
		r[1] = (struct pt_dsm_range){ .nlb = 2, .slba = ~0ULL };
		expect_io(_metadata, &b, &c, false, PT_SC_LBA_RANGE,
			  "DSM, range 1 at 2^64-1");
		r[1] = (struct pt_dsm_range){ .nlb = 1, .slba = n - 1 };
		expect_io(_metadata, &b, &c, false, 0,
			  "DSM, range 1 on the last LBA (control)");
		/* and the control does deallocate range 0 */
		got = pt_passthru(b.cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
		EXPECT_EQ(0, got);
		memset(b.chk, 0xee, 2 * b.bs);
		c = pt_rw(PT_OP_READ, 0, 2, b.chk, 2 * b.bs);
		EXPECT_EQ(0, pt_passthru(b.cfd, NVME_IOCTL_IO64_CMD, &c, NULL));
		EXPECT_TRUE(pt_all_bytes(b.chk, 2 * b.bs, 0)) {
			TH_LOG("DSM (control): LBAs 0 and 1 not zero after it");
		}
	}
	b_fini(&b);
}

TEST_HARNESS_MAIN
