// SPDX-License-Identifier: GPL-2.0
/*
 * pt_reply_init: every byte zcblk writes into a user buffer for an admin
 * command (Identify, Get Log Page) is defined. The buffer is filled with
 * a canary, the command runs, and then: the whole transfer was written
 * (two runs over two different canaries give the same bytes), and every
 * byte outside the fields zcblk fills is zero (no kernel memory, stale
 * or otherwise, reaches the user). Transfers longer than the structure
 * end in zeros; bytes past the transfer are untouched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pt_common.h"

#define BUF_LEN		8192

/* A field zcblk may fill: [off, off + len). */
struct field {
	unsigned int off, len;
};

/* Identify Controller: the fields kernel/nvme.c fills. */
static const struct field id_ctrl[] = {
	{ 4, 20 },	/* SN */
	{ 24, 40 },	/* MN */
	{ 64, 8 },	/* FR */
	{ 77, 1 },	/* MDTS */
	{ 78, 2 },	/* CNTLID */
	{ 80, 4 },	/* VER */
	{ 96, 4 },	/* CTRATT (ELBAS; FDP disks: fdp.rst) */
	{ 256, 2 },	/* OACS (Format NVM) */
	{ 258, 1 },	/* ACL */
	{ 259, 1 },	/* AERL */
	{ 260, 2 },	/* FRMW, LPA */
	{ 340, 2 },	/* ENDGIDMAX (FDP disks) */
	{ 512, 1 },	/* SQES */
	{ 513, 1 },	/* CQES */
	{ 514, 2 },	/* MAXCMD */
	{ 516, 4 },	/* NN */
	{ 520, 2 },	/* ONCS */
	{ 525, 1 },	/* VWC */
	{ 534, 2 },	/* OCFS (Copy) */
	{ 768, 256 },	/* SUBNQN */
	{ 0, 0 }
};

/* Identify Namespace. */
static const struct field id_ns[] = {
	{ 0, 8 },	/* NSZE */
	{ 8, 8 },	/* NCAP */
	{ 16, 8 },	/* NUSE */
	{ 25, 5 },	/* NLBAF, FLBAS, MC, DPC, DPS (integrity.rst) */
	{ 33, 1 },	/* DLFEAT */
	{ 74, 7 },	/* MSSRL, MCL, MSRC (Copy) */
	{ 99, 1 },	/* NSATTR */
	{ 102, 2 },	/* ENDGID (FDP disks) */
	{ 104, 16 },	/* NGUID */
	{ 120, 8 },	/* EUI64 */
	{ 128, 36 },	/* LBAF0..8 */
	{ 0, 0 }
};

/* Active Namespace ID list from 0: NSID 1. */
static const struct field ns_list[] = { { 0, 4 }, { 0, 0 } };

/* Namespace Identification Descriptors: EUI64, NGUID, UUID. */
static const struct field ns_descs[] = {
	{ 0, 4 + 8 + 4 + 16 + 4 + 16 },
	{ 0, 0 }
};

/* SMART / Health: available spare, data units, commands, media errors. */
static const struct field smart[] = {
	{ 3, 1 },
	{ 32, 16 },
	{ 48, 16 },
	{ 64, 16 },
	{ 80, 16 },
	{ 160, 16 },
	{ 0, 0 }
};

/* Firmware Slot Information: AFI, FRS1. */
static const struct field fw_slot[] = { { 0, 1 }, { 8, 8 }, { 0, 0 } };

/* NVM Command Set Identify Namespace: ELBAF0..8 (their guards). */
static const struct field nvm_id_ns[] = { { 12, 36 }, { 0, 0 } };

static const struct field none[] = { { 0, 0 } };

static bool in_fields(const struct field *f, unsigned int off)
{
	for (; f->len; f++)
		if (off >= f->off && off < f->off + f->len)
			return true;
	return false;
}

FIXTURE(reply) {
	struct pt_env env;
	struct pt_disk d;
	int cfd;
	unsigned char *a, *b;
};

FIXTURE_VARIANT(reply) {
	const char *backend;
};

FIXTURE_VARIANT_ADD(reply, mem) {
	.backend = "mem",
};

FIXTURE_VARIANT_ADD(reply, null) {
	.backend = "null",
};

FIXTURE_SETUP(reply)
{
	struct pt_disk_cfg cfg = {
		.backend = variant->backend, .size = 16 * PT_MiB, .bs = 4096,
	};

	self->cfd = -1;
	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
	pt_open(_metadata, &self->d, &self->cfd, NULL);
	self->a = pt_map(BUF_LEN);
	self->b = pt_map(BUF_LEN);
	ASSERT_NE(NULL, self->a);
	ASSERT_NE(NULL, self->b);
}

FIXTURE_TEARDOWN_PARENT(reply)
{
	if (self->cfd >= 0)
		close(self->cfd);
	pt_env_teardown(_metadata, &self->env);
}

/*
 * Runs @c (data_len @len, at most BUF_LEN / 2) into a buffer of 0xa5 and
 * into one of 0x5a, through the uring-free ioctl, and checks the replies.
 */
static void check_reply(struct __test_metadata *_metadata,
			FIXTURE_DATA(reply) *self, struct nvme_uring_cmd c,
			const struct field *fields, const char *what)
{
	unsigned int len = c.data_len, i, stray = 0, diff = 0;
	int res;

	memset(self->a, 0xa5, BUF_LEN);
	memset(self->b, 0x5a, BUF_LEN);
	c.addr = (uintptr_t)self->a;
	res = pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("%s: %s", what, pt_res_str(res));
	}
	c.addr = (uintptr_t)self->b;
	res = pt_passthru(self->cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("%s, again: %s", what, pt_res_str(res));
	}
	for (i = 0; i < len; i++) {
		if (self->a[i] != self->b[i] && diff++ < 4)
			TH_LOG("%s: byte %u not written (0x%02x, 0x%02x)",
			       what, i, self->a[i], self->b[i]);
		if (self->a[i] && !in_fields(fields, i) && stray++ < 4)
			TH_LOG("%s: byte %u is 0x%02x, outside every field",
			       what, i, self->a[i]);
	}
	EXPECT_EQ(0, diff);
	EXPECT_EQ(0, stray);
	/* Past the transfer, the canary is intact. */
	EXPECT_TRUE(pt_all_bytes(self->a + len, BUF_LEN - len, 0xa5)) {
		TH_LOG("%s: wrote past its %u bytes", what, len);
	}
}

TEST_F(reply, identify)
{
	struct nvme_uring_cmd c;

	c = pt_identify(PT_NSID, 0, 0, NULL);
	check_reply(_metadata, self, c, id_ns, "Identify Namespace");
	c = pt_identify(0, 1, 0, NULL);
	check_reply(_metadata, self, c, id_ctrl, "Identify Controller");
	c = pt_identify(0, 2, 0, NULL);
	check_reply(_metadata, self, c, ns_list, "Active NS list from 0");
	c = pt_identify(1, 2, 0, NULL);
	check_reply(_metadata, self, c, none, "Active NS list from 1");
	c = pt_identify(PT_NSID, 3, 0, NULL);
	check_reply(_metadata, self, c, ns_descs, "NS descriptors");
	c = pt_identify(PT_NSID, 5, 0, NULL);
	check_reply(_metadata, self, c, nvm_id_ns, "I/O command set NS");
	c = pt_identify(0, 6, 0, NULL);
	check_reply(_metadata, self, c, none, "I/O command set ctrl");
}

TEST_F(reply, log_pages)
{
	struct nvme_uring_cmd c;
	unsigned char blk[4096];

	/* Some I/O first, so that the SMART counters are not all zero. */
	memset(blk, 7, sizeof(blk));
	c = pt_rw(PT_OP_WRITE, 0, 1, blk, sizeof(blk));
	ASSERT_EQ(0, pt_passthru(self->cfd, NVME_IOCTL_IO64_CMD, &c, NULL));

	c = pt_get_log(0xffffffff, 0x02, NULL, 512);
	check_reply(_metadata, self, c, smart, "SMART log");
	c = pt_get_log(0xffffffff, 0x02, NULL, 4096);
	check_reply(_metadata, self, c, smart, "SMART log, 4 KiB");
	c = pt_get_log(0xffffffff, 0x01, NULL, 64);
	check_reply(_metadata, self, c, none, "Error log, one entry");
	c = pt_get_log(0xffffffff, 0x01, NULL, 4096);
	check_reply(_metadata, self, c, none, "Error log, 4 KiB");
	c = pt_get_log(0, 0x03, NULL, 512);
	check_reply(_metadata, self, c, fw_slot, "Firmware Slot Information");
}

TEST_HARNESS_MAIN
