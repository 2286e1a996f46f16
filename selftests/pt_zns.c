// SPDX-License-Identifier: GPL-2.0
/*
 * The Zoned Namespace command set on a zoned disk's char device, as
 * Documentation/zoned.rst specifies it: the Identify data (CSI 2), Report
 * Zones with its filters and partial reports, the zone state machine
 * through writes and Zone Management Send, every ZNS status from a crafted
 * command, the open and active limits and how the block device meets
 * them. Zone Append and the rest of the block device's view:
 * pt_zns_append.c.
 */
#include "pt_zns.h"

/* Identify CNS 05h/06h with CSI 2, the CSI descriptor, CNS 1Ch, effects. */
TEST_F(zns, identify)
{
	struct nvme_uring_cmd c;
	__u32 result32;
	__u64 result;
	struct z z;
	char *p;

	z_init(_metadata, &z, &self->d);
	p = z.buf;
	c = pt_identify(PT_NSID, 5, 2U << 24, p);
	ASSERT_EQ(0, z_admin(&z, &c, NULL));
	EXPECT_EQ(0, pt_le16(p));			/* ZOC */
	EXPECT_EQ(0, pt_le16(p + 2));			/* OZCS: no RAZB */
	EXPECT_EQ(Z_MAX_ACTIVE - 1, pt_le32(p + 4));	/* MAR */
	EXPECT_EQ(Z_MAX_OPEN - 1, pt_le32(p + 8));	/* MOR */
	EXPECT_EQ(z.zlbas, pt_le64(p + 2816));		/* LBAFE 0: ZSZE */
	/* nsze: the zones, no runt */
	c = pt_identify(PT_NSID, 0, 0, p);
	ASSERT_EQ(0, z_admin(&z, &c, NULL));
	EXPECT_EQ(Z_NR * z.zlbas, pt_le64(p + PT_ID_NS_NSZE));
	/* controller: ZASL 0, appends up to MDTS */
	memset(p, 0xff, 4096);
	c = pt_identify(PT_NSID, 6, 2U << 24, p);
	ASSERT_EQ(0, z_admin(&z, &c, NULL));
	EXPECT_TRUE(pt_all_bytes(p, 4096, 0));
	/* the namespace descriptor list's CSI descriptor (type 4) says 2 */
	c = pt_identify(PT_NSID, 3, 0, p);
	ASSERT_EQ(0, z_admin(&z, &c, NULL));
	{
		size_t off = 0;
		int csi = -1;

		while (off + 4 < 4096 && p[off + 1]) {
			if (p[off] == 4)
				csi = p[off + 4];
			off += 4 + (__u8)p[off + 1];
		}
		EXPECT_EQ(2, csi);
	}
	/* I/O Command Set vector 0: NVM and ZNS */
	c = pt_identify(0, 0x1c, 0, p);
	ASSERT_EQ(0, z_admin(&z, &c, NULL));
	EXPECT_EQ(0x05, pt_le64(p));
	/* Commands Supported and Effects: CSI 2 lists the zone commands */
	c = pt_get_log(PT_NSID, 0x05, p, 4096);
	c.cdw14 = 2U << 24;
	ASSERT_EQ(0, z_admin(&z, &c, NULL));
	EXPECT_EQ(3, pt_le32(p + 1024 + 4 * 0x7d));	/* CSUPP | LBCC */
	EXPECT_EQ(3, pt_le32(p + 1024 + 4 * 0x79));
	EXPECT_EQ(1, pt_le32(p + 1024 + 4 * 0x7a));	/* CSUPP */
	EXPECT_EQ(1, pt_le32(p + 4 * 0x06));		/* Identify */
	c = pt_get_log(PT_NSID, 0x05, p, 4096);
	ASSERT_EQ(0, z_admin(&z, &c, NULL));
	EXPECT_EQ(0, pt_le32(p + 1024 + 4 * 0x7d));
	EXPECT_EQ(3, pt_le32(p + 1024 + 4 * 0x01));	/* Write */
	/* Changed Zone List (nvme zns changed-zone-list): none */
	memset(p, 0xff, 4096);
	c = pt_get_log(PT_NSID, 0xbf, p, 4096);
	c.cdw14 = 2U << 24;
	ASSERT_EQ(0, z_admin(&z, &c, NULL));
	EXPECT_TRUE(pt_all_bytes(p, 4096, 0));
	c = pt_get_log(PT_NSID, 0xbf, p, 4096);
	EXPECT_EQ(PT_SC_INVALID_FIELD, z_admin(&z, &c, NULL));
	/* I/O Command Set Profile: vector 0 */
	c = pt_admin(PT_ADM_GET_FEATURES, 0, 0x19, 0, NULL, 0);
	result32 = 0xdead;
	{
		struct nvme_passthru_cmd pc = { PT_FIELDS_OF(&c) };

		ASSERT_EQ(0, ioctl(z.cfd, NVME_IOCTL_ADMIN_CMD, &pc));
		result32 = pc.result;
	}
	EXPECT_EQ(0, result32);
	/* a CSI other than 0 and 2, and CSI on CNS 0 */
	c = pt_identify(PT_NSID, 5, 1U << 24, p);
	EXPECT_EQ(PT_SC_INVALID_FIELD, z_admin(&z, &c, &result));
	c = pt_identify(PT_NSID, 0, 2U << 24, p);
	EXPECT_EQ(PT_SC_INVALID_FIELD, z_admin(&z, &c, &result));
	z_fini(&z);
}

/* Report Zones: counts, filters, partial reports, what it refuses. */
TEST_F(zns, report)
{
	struct zd d[Z_NR];
	struct nvme_uring_cmd c;
	__u64 nr, wp;
	struct z z;
	int i;

	z_init(_metadata, &z, &self->d);
	ASSERT_EQ(0, z_report(&z, 0, 0, 64 + 64 * Z_NR, &nr, d, Z_NR));
	ASSERT_EQ(Z_NR, nr);
	for (i = 0; i < Z_NR; i++) {
		EXPECT_EQ(2, d[i].zt);
		EXPECT_EQ(ZS_EMPTY, d[i].zs);
		EXPECT_EQ(z_start(&z, i), d[i].zslba);
		EXPECT_EQ(z_start(&z, i), d[i].wp);
		EXPECT_EQ(z.caplbas, d[i].zcap);
	}
	/* header only (nvme-cli's first call): the count of all matching */
	ASSERT_EQ(0, z_report(&z, 0, 0, 64, &nr, d, 0));
	EXPECT_EQ(Z_NR, nr);
	/* partial: the count of those returned; zeros after the last one */
	ASSERT_EQ(0, z_report(&z, 0, ZR_PARTIAL, 64 + 64 * 3 + 40, &nr, d, 3));
	EXPECT_EQ(3, nr);
	EXPECT_TRUE(pt_all_bytes(z.buf + 64 + 3 * 64, 40, 0));
	/* from an LBA inside zone 5: zone 5 on */
	ASSERT_EQ(0, z_report(&z, z_start(&z, 5) + 3, 0, 4096, &nr, d, 1));
	EXPECT_EQ(Z_NR - 5, nr);
	EXPECT_EQ(z_start(&z, 5), d[0].zslba);

	/* states and filters: 2 implicitly open, 1 explicitly, 1 full */
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 2), 1, 1, NULL));
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 3), 2, 1, NULL));
	ASSERT_EQ(0, z_action(&z, 4, ZSA_OPEN));
	ASSERT_EQ(0, z_action(&z, 7, ZSA_FINISH));
	ASSERT_EQ(ZS_IOPEN, z_state(&z, 3, &wp));
	EXPECT_EQ(z_start(&z, 3) + 2, wp);
	ASSERT_EQ(ZS_FULL, z_state(&z, 7, &wp));
	EXPECT_EQ(~0ULL, wp);	/* not valid in a full zone, as QEMU */
	ASSERT_EQ(0, z_report(&z, 0, 1U << 8, 4096, &nr, d, Z_NR));
	EXPECT_EQ(Z_NR - 4, nr);			/* empty */
	ASSERT_EQ(0, z_report(&z, 0, 2U << 8, 4096, &nr, d, Z_NR));
	ASSERT_EQ(2, nr);				/* implicitly open */
	EXPECT_EQ(z_start(&z, 2), d[0].zslba);
	EXPECT_EQ(z_start(&z, 3), d[1].zslba);
	ASSERT_EQ(0, z_report(&z, 0, 3U << 8, 4096, &nr, d, Z_NR));
	ASSERT_EQ(1, nr);				/* explicitly open */
	EXPECT_EQ(z_start(&z, 4), d[0].zslba);
	ASSERT_EQ(0, z_report(&z, 0, 5U << 8, 4096, &nr, d, Z_NR));
	ASSERT_EQ(1, nr);				/* full */
	EXPECT_EQ(z_start(&z, 7), d[0].zslba);
	for (i = 4; i <= 7; i += 2) {		/* closed; read-only/offline */
		ASSERT_EQ(0, z_report(&z, 0, (__u32)i << 8, 4096, &nr, d, 1));
		EXPECT_EQ(0, nr);
	}

	/* refused: extended report (no extensions), ZRASF 8, short, past */
	c = z_zmr(0, 1, z.buf, 4096);
	EXPECT_EQ(PT_SC_INVALID_FIELD, z_cmd(&z, &c, NULL));
	c = z_zmr(0, 8U << 8, z.buf, 4096);
	EXPECT_EQ(PT_SC_INVALID_FIELD, z_cmd(&z, &c, NULL));
	c = z_zmr(0, 0, z.buf, 32);
	EXPECT_EQ(PT_SC_INVALID_FIELD, z_cmd(&z, &c, NULL));
	c = z_zmr(0, 1U << 17, z.buf, 4096);
	EXPECT_EQ(PT_SC_INVALID_FIELD, z_cmd(&z, &c, NULL));
	c = z_zmr(Z_NR * z.zlbas, 0, z.buf, 4096);
	EXPECT_EQ(PT_SC_LBA_RANGE, z_cmd(&z, &c, NULL));
	c = z_zmr(0, 0, z.buf, 4096);
	c.cdw14 = 1;
	EXPECT_EQ(PT_SC_INVALID_FIELD, z_cmd(&z, &c, NULL));
	z_fini(&z);
}

/* Writes: at the write pointer only, within capacity, data back. */
TEST_F(zns, write_rules)
{
	__u64 zs = 0, wp;
	struct z z;

	z_init(_metadata, &z, &self->d);
	zs = z_start(&z, 1);
	EXPECT_EQ(PT_SC_ZONE_INVALID_WRITE,
		  z_write(&z, PT_OP_WRITE, zs + 1, 1, 1, NULL));
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, zs, 8, 1, NULL));
	EXPECT_EQ(PT_SC_ZONE_INVALID_WRITE,
		  z_write(&z, PT_OP_WRITE, zs, 1, 1, NULL));	/* behind */
	EXPECT_EQ(PT_SC_ZONE_INVALID_WRITE,
		  z_write(&z, PT_OP_WRITE, zs + 9, 1, 1, NULL));	/* ahead */
	ASSERT_EQ(ZS_IOPEN, z_state(&z, 1, &wp));
	EXPECT_EQ(zs + 8, wp);
	/* Write Zeroes is a write too */
	{
		struct nvme_uring_cmd c = pt_rw(PT_OP_WRITE_ZEROES, zs + 8, 4,
						NULL, 0);

		ASSERT_EQ(0, z_cmd(&z, &c, NULL));
	}
	ASSERT_EQ(ZS_IOPEN, z_state(&z, 1, &wp));
	EXPECT_EQ(zs + 12, wp);
	/* data back, and zeros past the write pointer */
	{
		struct nvme_uring_cmd c = pt_rw(PT_OP_READ, zs, 16, z.buf,
						16 * z.bs);

		memset(z.buf, 0x5a, 16 * z.bs);
		ASSERT_EQ(0, z_cmd(&z, &c, NULL));
		EXPECT_TRUE(pt_verify(_metadata, z.buf, z.bs, zs, 8, 1,
				      "zone 1 read back"));
		EXPECT_TRUE(pt_all_bytes(z.buf + 8 * z.bs, 8 * z.bs, 0));
	}
	/* past the capacity: Zone Boundary Error, nothing written */
	ASSERT_EQ(0, z_fill(&z, zs + 12, z.caplbas - 12 - 3, 2));
	EXPECT_EQ(PT_SC_ZONE_BOUNDARY,
		  z_write(&z, PT_OP_WRITE, zs + z.caplbas - 3, 4, 3, NULL));
	ASSERT_EQ(ZS_IOPEN, z_state(&z, 1, &wp));
	EXPECT_EQ(zs + z.caplbas - 3, wp);
	/* up to the capacity: full */
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, zs + z.caplbas - 3, 3, 3, NULL));
	ASSERT_EQ(ZS_FULL, z_state(&z, 1, NULL));
	EXPECT_EQ(PT_SC_ZONE_FULL,
		  z_write(&z, PT_OP_WRITE, zs + z.caplbas, 1, 1, NULL));
	/* across the zone's end, from the next-to-last block */
	EXPECT_EQ(PT_SC_ZONE_FULL,
		  z_write(&z, PT_OP_WRITE, z_start(&z, 2) - 1, 2, 1, NULL));
	/* reads do not cross zone boundaries (RAZB 0) */
	{
		struct nvme_uring_cmd c = pt_rw(PT_OP_READ, z_start(&z, 3) - 1,
						2, z.buf, 2 * z.bs);

		EXPECT_EQ(PT_SC_ZONE_BOUNDARY, z_cmd(&z, &c, NULL));
	}
	z_fini(&z);
}

/* Zone Management Send: each action from each state it may meet. */
TEST_F(zns, transitions)
{
	struct nvme_uring_cmd c;
	__u64 wp;
	struct z z;

	z_init(_metadata, &z, &self->d);
	/* from empty: close and offline are invalid; open, finish are not */
	EXPECT_EQ(PT_SC_ZONE_TRANSITION, z_action(&z, 0, ZSA_CLOSE));
	EXPECT_EQ(PT_SC_ZONE_TRANSITION, z_action(&z, 0, ZSA_OFFLINE));
	EXPECT_EQ(0, z_action(&z, 0, ZSA_RESET));
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 0, NULL));
	EXPECT_EQ(0, z_action(&z, 0, ZSA_OPEN));
	EXPECT_EQ(ZS_EOPEN, z_state(&z, 0, NULL));
	EXPECT_EQ(0, z_action(&z, 0, ZSA_OPEN));	/* again: no change */
	/* explicitly open, nothing written, closed: closed (as QEMU) */
	EXPECT_EQ(0, z_action(&z, 0, ZSA_CLOSE));
	EXPECT_EQ(ZS_CLOSED, z_state(&z, 0, NULL));
	EXPECT_EQ(0, z_action(&z, 0, ZSA_CLOSE));	/* again */
	/* a write to a closed zone opens it implicitly */
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, 0, 4, 1, NULL));
	EXPECT_EQ(ZS_IOPEN, z_state(&z, 0, &wp));
	EXPECT_EQ(4, wp);
	EXPECT_EQ(0, z_action(&z, 0, ZSA_OPEN));	/* implicit -> explicit */
	EXPECT_EQ(ZS_EOPEN, z_state(&z, 0, NULL));
	EXPECT_EQ(0, z_action(&z, 0, ZSA_FINISH));
	EXPECT_EQ(ZS_FULL, z_state(&z, 0, NULL));
	/* from full: open, close and offline are invalid, finish is not */
	EXPECT_EQ(PT_SC_ZONE_TRANSITION, z_action(&z, 0, ZSA_OPEN));
	EXPECT_EQ(PT_SC_ZONE_TRANSITION, z_action(&z, 0, ZSA_CLOSE));
	EXPECT_EQ(PT_SC_ZONE_TRANSITION, z_action(&z, 0, ZSA_OFFLINE));
	EXPECT_EQ(0, z_action(&z, 0, ZSA_FINISH));
	/* a finished zone reads as zeros past what was written */
	c = pt_rw(PT_OP_READ, 0, 8, z.buf, 8 * z.bs);
	ASSERT_EQ(0, z_cmd(&z, &c, NULL));
	EXPECT_TRUE(pt_verify(_metadata, z.buf, z.bs, 0, 4, 1, "zone 0"));
	EXPECT_TRUE(pt_all_bytes(z.buf + 4 * z.bs, 4 * z.bs, 0));
	/* reset: empty, and the data is gone */
	EXPECT_EQ(0, z_action(&z, 0, ZSA_RESET));
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 0, &wp));
	EXPECT_EQ(0, wp);
	memset(z.buf, 0x5a, 8 * z.bs);
	ASSERT_EQ(0, z_cmd(&z, &c, NULL));
	EXPECT_TRUE(pt_all_bytes(z.buf, 8 * z.bs, 0));

	/* refused: not a zone start, past the end, unknown or ZDE action */
	c = z_zms(1, ZSA_RESET);
	EXPECT_EQ(PT_SC_INVALID_FIELD, z_cmd(&z, &c, NULL));
	c = z_zms(Z_NR * z.zlbas, ZSA_RESET);
	EXPECT_EQ(PT_SC_LBA_RANGE, z_cmd(&z, &c, NULL));
	c = z_zms(0, 0x6);
	EXPECT_EQ(PT_SC_INVALID_FIELD, z_cmd(&z, &c, NULL));
	c = z_zms(0, 0x10);
	EXPECT_EQ(PT_SC_INVALID_FIELD, z_cmd(&z, &c, NULL));
	c = z_zms(0, ZSA_RESET | (1U << 9));		/* ZRWA allocation */
	EXPECT_EQ(PT_SC_INVALID_FIELD, z_cmd(&z, &c, NULL));

	/* Select All: close the open ones, finish the active, reset all */
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 1), 1, 1, NULL));
	ASSERT_EQ(0, z_action(&z, 2, ZSA_OPEN));
	ASSERT_EQ(0, z_action(&z, 0, ZSA_CLOSE | ZSA_ALL));
	EXPECT_EQ(ZS_CLOSED, z_state(&z, 1, NULL));
	EXPECT_EQ(ZS_CLOSED, z_state(&z, 2, NULL));
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 3, NULL));
	ASSERT_EQ(0, z_action(&z, 0, ZSA_OPEN | ZSA_ALL));
	EXPECT_EQ(ZS_EOPEN, z_state(&z, 1, NULL));
	EXPECT_EQ(ZS_EOPEN, z_state(&z, 2, NULL));
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 3, NULL));
	ASSERT_EQ(0, z_action(&z, 0, ZSA_FINISH | ZSA_ALL));
	EXPECT_EQ(ZS_FULL, z_state(&z, 1, NULL));
	EXPECT_EQ(ZS_FULL, z_state(&z, 2, NULL));
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 3, NULL));
	/* Select All ignores SLBA */
	c = z_zms(12345, ZSA_RESET | ZSA_ALL);
	ASSERT_EQ(0, z_cmd(&z, &c, NULL));
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 1, NULL));
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 2, NULL));
	/* with Select All, offline touches only read-only zones: none */
	ASSERT_EQ(0, z_action(&z, 0, ZSA_OFFLINE | ZSA_ALL));
	z_fini(&z);
}

/*
 * The resource limits: at 4 open zones an implicit open closes the
 * oldest implicitly opened zone; explicitly opened ones stay, and past
 * them it is Too Many Open; at 6 active zones, Too Many Active. Open with
 * Select All opens the zones closed when it began, closing implicitly
 * opened ones for room, or fails with nothing changed.
 */
TEST_F(zns, limits)
{
	struct z z;
	int i;

	z_init(_metadata, &z, &self->d);
	for (i = 0; i < Z_MAX_OPEN; i++)
		ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, i), 1, 1,
				     NULL));
	/* a fifth: zone 0, the oldest implicitly opened, is closed */
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 4), 1, 1, NULL));
	EXPECT_EQ(ZS_CLOSED, z_state(&z, 0, NULL));
	EXPECT_EQ(ZS_IOPEN, z_state(&z, 1, NULL));
	EXPECT_EQ(ZS_IOPEN, z_state(&z, 4, NULL));
	/* writing zone 0 again reopens it and closes zone 1 */
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 0) + 1, 1, 1, NULL));
	EXPECT_EQ(ZS_IOPEN, z_state(&z, 0, NULL));
	EXPECT_EQ(ZS_CLOSED, z_state(&z, 1, NULL));
	/* 5 active now (0, 2, 3, 4 open, 1 closed): one more may start */
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 5), 1, 1, NULL));
	EXPECT_EQ(PT_SC_ZONE_ACTIVE,
		  z_write(&z, PT_OP_WRITE, z_start(&z, 6), 1, 1, NULL));
	EXPECT_EQ(PT_SC_ZONE_ACTIVE, z_action(&z, 6, ZSA_OPEN));
	/* Finish of an empty zone needs an active one too (stricter than QEMU) */
	EXPECT_EQ(PT_SC_ZONE_ACTIVE, z_action(&z, 6, ZSA_FINISH));
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 6, NULL));
	/* finishing one frees an active resource */
	ASSERT_EQ(0, z_action(&z, 5, ZSA_FINISH));
	ASSERT_EQ(0, z_action(&z, 0, ZSA_RESET | ZSA_ALL));

	/* explicitly open 4: no implicit zone to close, Too Many Open */
	for (i = 0; i < Z_MAX_OPEN; i++)
		ASSERT_EQ(0, z_action(&z, i, ZSA_OPEN));
	EXPECT_EQ(PT_SC_ZONE_OPEN,
		  z_write(&z, PT_OP_WRITE, z_start(&z, 8), 1, 1, NULL));
	EXPECT_EQ(PT_SC_ZONE_OPEN, z_action(&z, 8, ZSA_OPEN));
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 8, NULL));
	/* explicitly open zones take writes; closing one makes room */
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 3), 1, 1, NULL));
	EXPECT_EQ(ZS_EOPEN, z_state(&z, 3, NULL));
	ASSERT_EQ(0, z_action(&z, 3, ZSA_CLOSE));
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 8), 1, 1, NULL));
	EXPECT_EQ(ZS_IOPEN, z_state(&z, 8, NULL));
	ASSERT_EQ(0, z_action(&z, 0, ZSA_RESET | ZSA_ALL));

	/*
	 * Open with Select All at the limit: zone 0 closed, 1 to 4
	 * implicitly open. It opens zone 0 and closes the oldest implicitly
	 * opened (1) to make room, and only that one: not zone 1 again,
	 * which was open when it began.
	 */
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 0), 1, 1, NULL));
	ASSERT_EQ(0, z_action(&z, 0, ZSA_CLOSE));
	for (i = 1; i <= Z_MAX_OPEN; i++)
		ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, i), 1, 1,
				     NULL));
	ASSERT_EQ(0, z_action(&z, 0, ZSA_OPEN | ZSA_ALL));
	EXPECT_EQ(ZS_EOPEN, z_state(&z, 0, NULL));
	EXPECT_EQ(ZS_CLOSED, z_state(&z, 1, NULL));
	for (i = 2; i <= Z_MAX_OPEN; i++)
		EXPECT_EQ(ZS_IOPEN, z_state(&z, i, NULL));
	/*
	 * More closed and explicitly opened zones than may be open: Too
	 * Many Open, and nothing changes. Now 0 explicitly open, 1 and 5
	 * closed (6 active), 2 to 4 implicitly open: close 2 and 3, so that
	 * 0 + {1, 2, 3, 5} is five.
	 */
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 5), 1, 1, NULL));
	ASSERT_EQ(0, z_action(&z, 5, ZSA_CLOSE));
	ASSERT_EQ(0, z_action(&z, 2, ZSA_CLOSE));
	ASSERT_EQ(0, z_action(&z, 3, ZSA_CLOSE));
	EXPECT_EQ(PT_SC_ZONE_OPEN, z_action(&z, 0, ZSA_OPEN | ZSA_ALL));
	EXPECT_EQ(ZS_EOPEN, z_state(&z, 0, NULL));
	EXPECT_EQ(ZS_CLOSED, z_state(&z, 1, NULL));
	EXPECT_EQ(ZS_CLOSED, z_state(&z, 2, NULL));
	EXPECT_EQ(ZS_CLOSED, z_state(&z, 3, NULL));
	EXPECT_EQ(ZS_IOPEN, z_state(&z, 4, NULL));
	EXPECT_EQ(ZS_CLOSED, z_state(&z, 5, NULL));
	/* one fewer closed: 0, 1, 2, 3 explicitly open, 4 closed for room */
	ASSERT_EQ(0, z_action(&z, 5, ZSA_FINISH));
	ASSERT_EQ(0, z_action(&z, 0, ZSA_OPEN | ZSA_ALL));
	for (i = 0; i < Z_MAX_OPEN; i++)
		EXPECT_EQ(ZS_EOPEN, z_state(&z, i, NULL));
	EXPECT_EQ(ZS_CLOSED, z_state(&z, 4, NULL));
	z_fini(&z);
}
/*
 * A Write and a Write Zeroes of one block at @off in @zone, and a Zone
 * Append there, each fail with @status.
 */
static void writes_fail(struct __test_metadata *_metadata, struct z *z,
			__u32 zone, __u64 off, int status)
{
	struct nvme_uring_cmd c;

	EXPECT_EQ(status, z_write(z, PT_OP_WRITE, z_start(z, zone) + off, 1,
				  2, NULL));
	c = pt_rw(PT_OP_ZAPPEND, z_start(z, zone), 1, z->buf, z->bs);
	EXPECT_EQ(status, z_cmd(z, &c, NULL));
	c = pt_rw(PT_OP_WRITE_ZEROES, z_start(z, zone) + off, 1, NULL, 0);
	EXPECT_EQ(status, z_cmd(z, &c, NULL));
}

/*
 * Zones failed as media fail (debugfs zone_readonly, zone_offline): the
 * statuses of writes, reads and zone management there, the filters that
 * find them, their resources given back.
 */
TEST_F(zns, failed_zones)
{
	struct nvme_uring_cmd c;
	__u64 nr, wp;
	struct zd d[2];
	struct z z;

	z_init(_metadata, &z, &self->d);
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 9), 4, 1, NULL));
	ASSERT_EQ(0, z_fail(&z, "readonly", z_start(&z, 9) + 7));
	EXPECT_EQ(ZS_RO, z_state(&z, 9, &wp));
	EXPECT_EQ(~0ULL, wp);
	writes_fail(_metadata, &z, 9, 4, PT_SC_ZONE_RO);
	/* still readable, its data there */
	c = pt_rw(PT_OP_READ, z_start(&z, 9), 4, z.buf, 4 * z.bs);
	ASSERT_EQ(0, z_cmd(&z, &c, NULL));
	EXPECT_TRUE(pt_verify(_metadata, z.buf, z.bs, z_start(&z, 9), 4, 1,
			      "read-only zone"));
	/* no transition but to offline */
	EXPECT_EQ(PT_SC_ZONE_TRANSITION, z_action(&z, 9, ZSA_OPEN));
	EXPECT_EQ(PT_SC_ZONE_TRANSITION, z_action(&z, 9, ZSA_CLOSE));
	EXPECT_EQ(PT_SC_ZONE_TRANSITION, z_action(&z, 9, ZSA_FINISH));
	EXPECT_EQ(PT_SC_ZONE_TRANSITION, z_action(&z, 9, ZSA_RESET));
	ASSERT_EQ(0, z_action(&z, 0, ZSA_RESET | ZSA_ALL));
	EXPECT_EQ(ZS_RO, z_state(&z, 9, NULL));
	ASSERT_EQ(0, z_report(&z, 0, 6U << 8, 4096, &nr, d, 2));
	ASSERT_EQ(1, nr);
	EXPECT_EQ(z_start(&z, 9), d[0].zslba);
	/* Offline with Select All takes the read-only zones offline */
	ASSERT_EQ(0, z_fail(&z, "readonly", z_start(&z, 11)));
	ASSERT_EQ(0, z_action(&z, 0, ZSA_OFFLINE | ZSA_ALL));
	EXPECT_EQ(ZS_OFFLINE, z_state(&z, 9, NULL));
	EXPECT_EQ(ZS_OFFLINE, z_state(&z, 11, NULL));
	EXPECT_EQ(0, z_action(&z, 9, ZSA_OFFLINE));	/* again: no change */
	ASSERT_EQ(0, z_report(&z, 0, 7U << 8, 4096, &nr, d, 2));
	EXPECT_EQ(2, nr);
	/* an offline zone can be neither read nor written */
	c = pt_rw(PT_OP_READ, z_start(&z, 9), 1, z.buf, z.bs);
	EXPECT_EQ(PT_SC_ZONE_OFFLINE, z_cmd(&z, &c, NULL));
	EXPECT_EQ(PT_SC_ZONE_OFFLINE,
		  z_write(&z, PT_OP_WRITE, z_start(&z, 9), 1, 1, NULL));
	EXPECT_EQ(PT_SC_ZONE_TRANSITION, z_action(&z, 9, ZSA_RESET));
	/* one zone offline by itself; an offline zone stays offline */
	ASSERT_EQ(0, z_fail(&z, "offline", z_start(&z, 12)));
	EXPECT_EQ(ZS_OFFLINE, z_state(&z, 12, NULL));
	EXPECT_EQ(-EINVAL, z_fail(&z, "readonly", z_start(&z, 12)));
	EXPECT_EQ(-EINVAL, z_fail(&z, "offline", Z_NR * z.zlbas));
	/* a failed open zone gives its open resource back: 4 more open */
	ASSERT_EQ(0, z_action(&z, 1, ZSA_OPEN));
	ASSERT_EQ(0, z_fail(&z, "readonly", z_start(&z, 1)));
	{
		int i;

		for (i = 2; i < 2 + Z_MAX_OPEN; i++)
			ASSERT_EQ(0, z_action(&z, i, ZSA_OPEN));
	}
	z_fini(&z);
}

/*
 * The block device meets the zone errors above as the NVMe driver maps
 * them: a write beyond the active limit fails with EOVERFLOW (Too Many
 * Active, 1BDh), beyond the open limit with ETOOMANYREFS (Too Many Open,
 * 1BEh), a read or write of an offline zone with EIO (Zone Is Offline,
 * 1BFh, has no block status of its own); no zone moves.
 */
TEST_F(zns, block_errors)
{
	char blk[64], path[96];
	__u64 wp;
	struct z z;
	int bfd, fd, i;

	z_init(_metadata, &z, &self->d);
	snprintf(blk, sizeof(blk), "/dev/zcblk%u", self->d.index);
	bfd = open(blk, O_RDWR | O_DIRECT | O_CLOEXEC);
	ASSERT_LE(0, bfd);
	/* 6 active: 4 implicitly open, 2 closed */
	for (i = 0; i < Z_MAX_ACTIVE; i++)
		ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, i), 1, 1,
				     NULL));
	pt_fill(z.buf, z.bs, z_start(&z, 8), 1, 2);
	EXPECT_EQ(-1, pwrite(bfd, z.buf, z.bs, z_start(&z, 8) * z.bs));
	EXPECT_EQ(EOVERFLOW, errno);
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 8, &wp));
	EXPECT_EQ(z_start(&z, 8), wp);

	/*
	 * 4 explicitly open: none to close for a fifth. Another zone: after
	 * a failed write 6.12's zone write plug fails the zone's writes
	 * until a report or reset through the block device.
	 */
	ASSERT_EQ(0, z_action(&z, 0, ZSA_RESET | ZSA_ALL));
	for (i = 0; i < Z_MAX_OPEN; i++)
		ASSERT_EQ(0, z_action(&z, i, ZSA_OPEN));
	pt_fill(z.buf, z.bs, z_start(&z, 9), 1, 2);
	EXPECT_EQ(-1, pwrite(bfd, z.buf, z.bs, z_start(&z, 9) * z.bs));
	EXPECT_EQ(ETOOMANYREFS, errno);
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 9, NULL));
	/* room again: a write goes through and reads back */
	ASSERT_EQ(0, z_action(&z, 3, ZSA_CLOSE));
	pt_fill(z.buf, z.bs, z_start(&z, 10), 1, 2);
	ASSERT_EQ(z.bs, pwrite(bfd, z.buf, z.bs, z_start(&z, 10) * z.bs));
	memset(z.buf, 0, z.bs);
	ASSERT_EQ(z.bs, pread(bfd, z.buf, z.bs, z_start(&z, 10) * z.bs));
	EXPECT_TRUE(pt_verify(_metadata, z.buf, z.bs, z_start(&z, 10), 1, 2,
			      "block write"));
	EXPECT_EQ(ZS_IOPEN, z_state(&z, 10, NULL));

	/* offline: neither read nor written */
	ASSERT_EQ(0, z_fail(&z, "offline", z_start(&z, 12)));
	EXPECT_EQ(-1, pread(bfd, z.buf, z.bs, z_start(&z, 12) * z.bs));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(-1, pwrite(bfd, z.buf, z.bs, z_start(&z, 12) * z.bs));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(ZS_OFFLINE, z_state(&z, 12, NULL));
	/* debugfs takes an LBA, nothing else */
	snprintf(path, sizeof(path), "/sys/kernel/debug/zcblk/%u/zone_offline",
		 self->d.index);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, "zone 13", 7));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 13, NULL));
	close(bfd);
	z_fini(&z);
}

/*
 * A power cut (Documentation/durability.rst) leaves the zones as they
 * were: writes, appends and every zone action fail with Namespace Not
 * Ready on the char device and ENODEV on the block device, and no write
 * pointer or state moves; after power on, all of them work again.
 */
TEST_F(zns, power_cut)
{
	struct blk_zone_range range = {
		.nr_sectors = Z_SIZE / 512,
	};
	struct nvme_uring_cmd c;
	char blk[64];
	__u64 wp;
	struct z z;
	int bfd;

	z_init(_metadata, &z, &self->d);
	snprintf(blk, sizeof(blk), "/dev/zcblk%u", self->d.index);
	bfd = open(blk, O_RDWR);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 1), 4, 1, NULL));
	ASSERT_EQ(0, z_action(&z, 2, ZSA_OPEN));
	ASSERT_EQ(0, zcblk_dev_power(self->env.ctx, self->d.index,
				     ZCBLK_POWER_STATE_CUT,
				     ZCBLK_CUT_MODE_DROP, 0)) {
		TH_LOG("power cut: %s", zcblk_ctx_errmsg(self->env.ctx));
	}
	writes_fail(_metadata, &z, 1, 4, PT_SC_NOT_READY);
	EXPECT_EQ(PT_SC_NOT_READY, z_action(&z, 1, ZSA_RESET));
	EXPECT_EQ(PT_SC_NOT_READY, z_action(&z, 1, ZSA_FINISH));
	EXPECT_EQ(PT_SC_NOT_READY, z_action(&z, 2, ZSA_CLOSE));
	EXPECT_EQ(PT_SC_NOT_READY, z_action(&z, 3, ZSA_OPEN));
	EXPECT_EQ(PT_SC_NOT_READY, z_action(&z, 0, ZSA_RESET | ZSA_ALL));
	range.sector = z_start(&z, 1) * z.bs / 512;
	EXPECT_EQ(-1, ioctl(bfd, BLKRESETZONE, &range));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, ioctl(bfd, BLKFINISHZONE, &range));
	EXPECT_EQ(ENODEV, errno);
	/* Report Zones is not media access: it answers, unchanged */
	EXPECT_EQ(ZS_IOPEN, z_state(&z, 1, &wp));
	EXPECT_EQ(z_start(&z, 1) + 4, wp);
	EXPECT_EQ(ZS_EOPEN, z_state(&z, 2, NULL));
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 3, NULL));
	ASSERT_EQ(0, zcblk_dev_power(self->env.ctx, self->d.index,
				     ZCBLK_POWER_STATE_ON, 0, 0));
	EXPECT_EQ(ZS_IOPEN, z_state(&z, 1, &wp));
	EXPECT_EQ(z_start(&z, 1) + 4, wp);
	ASSERT_EQ(0, z_write(&z, PT_OP_WRITE, z_start(&z, 1) + 4, 1, 2, NULL));
	c = pt_rw(PT_OP_READ, z_start(&z, 1), 5, z.buf, 5 * z.bs);
	ASSERT_EQ(0, z_cmd(&z, &c, NULL));
	EXPECT_TRUE(pt_verify(_metadata, z.buf, z.bs, z_start(&z, 1), 4, 1,
			      "written before the cut"));
	ASSERT_EQ(0, ioctl(bfd, BLKRESETZONE, &range));
	EXPECT_EQ(ZS_EMPTY, z_state(&z, 1, &wp));
	EXPECT_EQ(z_start(&z, 1), wp);
	close(bfd);
	z_fini(&z);
}

TEST_HARNESS_MAIN
