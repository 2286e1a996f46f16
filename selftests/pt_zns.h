/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the zoned passthrough tests share (pt_zns.c, pt_zns_append.c): the
 * "zns" fixture (a zoned mem disk: 16 zones of 1 MiB, each writable to
 * 768 KiB, at most 4 open and 6 active; 512- and 4096-byte blocks), ZNS
 * command builders, and a report reader.
 *
 * Every test ends (FIXTURE_TEARDOWN_PARENT) with: no splat in the kernel
 * log, zcblk's pins balanced, /proc/vmstat's FOLL_PIN balance back.
 */
#ifndef ZCBLK_SELFTEST_PT_ZNS_H
#define ZCBLK_SELFTEST_PT_ZNS_H

#include <linux/blkzoned.h>

#include "pt_common.h"

#define Z_NR		16
#define Z_SIZE		PT_MiB
#define Z_CAP		(768 * PT_KiB)
#define Z_MAX_OPEN	4
#define Z_MAX_ACTIVE	6

#define PT_OP_ZMS		0x79
#define PT_OP_ZMR		0x7a
#define PT_OP_ZAPPEND		0x7d

/* Zone Send Actions, Zone Receive Action Specific Field, zone states */
enum { ZSA_CLOSE = 1, ZSA_FINISH, ZSA_OPEN, ZSA_RESET, ZSA_OFFLINE };
#define ZSA_ALL			(1U << 8)
#define ZR_PARTIAL		(1U << 16)
enum {
	ZS_EMPTY = 1, ZS_IOPEN = 2, ZS_EOPEN = 3, ZS_CLOSED = 4,
	ZS_RO = 0xd, ZS_FULL = 0xe, ZS_OFFLINE = 0xf,
};

/* ZNS statuses, with DNR */
#define PT_SC_ZONE_BOUNDARY	0x41b8
#define PT_SC_ZONE_FULL		0x41b9
#define PT_SC_ZONE_RO		0x41ba
#define PT_SC_ZONE_OFFLINE	0x41bb
#define PT_SC_ZONE_INVALID_WRITE 0x41bc
#define PT_SC_ZONE_ACTIVE	0x41bd
#define PT_SC_ZONE_OPEN		0x41be
#define PT_SC_ZONE_TRANSITION	0x41bf
#define PT_SC_WRITE_PROT	0x4020

FIXTURE(zns) {
	struct pt_env env;
	struct pt_disk d;
};

FIXTURE_VARIANT(zns) {
	__u32 bs;
};

FIXTURE_VARIANT_ADD(zns, bs512) {
	.bs = 512,
};

FIXTURE_VARIANT_ADD(zns, bs4096) {
	.bs = 4096,
};

FIXTURE_SETUP(zns)
{
	struct pt_disk_cfg cfg = {
		.size = Z_NR * Z_SIZE, .bs = variant->bs,
		.flags = ZCBLK_DEV_F_ZONED, .zone_size = Z_SIZE,
		.zone_capacity = Z_CAP, .zone_max_open = Z_MAX_OPEN,
		.zone_max_active = Z_MAX_ACTIVE,
	};

	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
}

FIXTURE_TEARDOWN_PARENT(zns)
{
	pt_env_teardown(_metadata, &self->env);
}

/* One test's state (test process only). */
struct z {
	struct pt_disk *d;
	int cfd;
	struct pt_q q;		/* SQE128 | CQE32 */
	char *buf;		/* 4 MiB */
	__u64 zlbas, caplbas;	/* zone size and capacity in LBAs */
	__u32 bs;
};

static inline void z_init(struct __test_metadata *_metadata, struct z *z,
			  struct pt_disk *d)
{
	memset(z, 0, sizeof(*z));
	z->d = d;
	z->bs = d->bs;
	z->zlbas = Z_SIZE / d->bs;
	z->caplbas = Z_CAP / d->bs;
	pt_open(_metadata, d, &z->cfd, NULL);
	ASSERT_EQ(0, pt_q_init(&z->q, z->cfd, 64, PT_RING_FLAGS));
	z->buf = pt_map(4 * PT_MiB);
	ASSERT_NE(NULL, z->buf);
}

static inline void z_fini(struct z *z)
{
	pt_q_exit(&z->q);
	munmap(z->buf, 4 * PT_MiB);
	close(z->cfd);
}

static inline __u64 z_start(const struct z *z, __u32 zone)
{
	return zone * z->zlbas;
}

/* Zone Management Send */
static inline struct nvme_uring_cmd z_zms(__u64 slba, __u32 cdw13)
{
	return (struct nvme_uring_cmd){
		.opcode = PT_OP_ZMS, .nsid = PT_NSID,
		.cdw10 = (__u32)slba, .cdw11 = (__u32)(slba >> 32),
		.cdw13 = cdw13,
	};
}

/* Zone Management Receive of @len bytes at @buf */
static inline struct nvme_uring_cmd z_zmr(__u64 slba, __u32 cdw13,
					  void *buf, __u32 len)
{
	return (struct nvme_uring_cmd){
		.opcode = PT_OP_ZMR, .nsid = PT_NSID,
		.cdw10 = (__u32)slba, .cdw11 = (__u32)(slba >> 32),
		.cdw12 = len / 4 - 1, .cdw13 = cdw13,
		.addr = (uintptr_t)buf, .data_len = len,
	};
}

static inline int z_cmd(struct z *z, const struct nvme_uring_cmd *c,
			__u64 *result)
{
	return pt_q_cmd(&z->q, NVME_URING_CMD_IO, c, -1, result);
}

/* Admin commands: ioctl only, as on /dev/ngXnY */
static inline int z_admin(struct z *z, const struct nvme_uring_cmd *c,
			  __u64 *result)
{
	return pt_passthru(z->cfd, NVME_IOCTL_ADMIN64_CMD, c, result);
}

static inline int z_action(struct z *z, __u32 zone, __u32 cdw13)
{
	struct nvme_uring_cmd c = z_zms(z_start(z, zone), cdw13);

	return z_cmd(z, &c, NULL);
}

/* Writes @nlb blocks of write @tag at @slba through the char device. */
static inline int z_write(struct z *z, __u8 opcode, __u64 slba, __u32 nlb,
			  __u32 tag, __u64 *result)
{
	struct nvme_uring_cmd c;

	pt_fill(z->buf, z->bs, slba, nlb, tag);
	c = pt_rw(opcode, slba, nlb, z->buf, nlb * z->bs);
	return z_cmd(z, &c, result);
}

/* Writes [slba, slba + nlb) in commands of at most 64 KiB: 0 or outcome. */
static inline int z_fill(struct z *z, __u64 slba, __u64 nlb, __u32 tag)
{
	__u32 per = 64 * PT_KiB / z->bs;
	int ret;

	while (nlb) {
		__u32 k = nlb > per ? per : nlb;

		ret = z_write(z, PT_OP_WRITE, slba, k, tag, NULL);
		if (ret)
			return ret;
		slba += k;
		nlb -= k;
	}
	return 0;
}

/*
 * Fails the zone holding @lba through debugfs (zone_readonly or
 * zone_offline): 0 or -errno.
 */
static inline int z_fail(struct z *z, const char *what, __u64 lba)
{
	char path[96], val[32];
	int fd, n, ret = 0;

	snprintf(path, sizeof(path), "/sys/kernel/debug/zcblk/%u/zone_%s",
		 z->d->index, what);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(val, sizeof(val), "%llu", (unsigned long long)lba);
	if (write(fd, val, n) != n)
		ret = -errno;
	close(fd);
	return ret;
}

struct zd {
	__u8 zt, zs;
	__u64 zcap, zslba, wp;
};

/*
 * Report Zones from @slba with @cdw13, @len bytes: the header's count, and
 * up to @max descriptors in @out. Returns the command's outcome.
 */
static inline int z_report(struct z *z, __u64 slba, __u32 cdw13, __u32 len,
			   __u64 *nr, struct zd *out, unsigned int max)
{
	struct nvme_uring_cmd c = z_zmr(slba, cdw13, z->buf, len);
	unsigned int i;
	int ret;

	memset(z->buf, 0xa5, len);
	ret = z_cmd(z, &c, NULL);
	if (ret)
		return ret;
	*nr = pt_le64(z->buf);
	for (i = 0; i < max && 64 + (i + 1) * 64 <= len; i++) {
		const char *p = z->buf + 64 + i * 64;

		out[i] = (struct zd){
			.zt = p[0], .zs = (__u8)p[1] >> 4,
			.zcap = pt_le64(p + 8), .zslba = pt_le64(p + 16),
			.wp = pt_le64(p + 24),
		};
	}
	return 0;
}

/* One zone's descriptor through the char device; its state, or -1. */
static inline int z_state(struct z *z, __u32 zone, __u64 *wp)
{
	struct zd d;
	__u64 nr;

	if (z_report(z, z_start(z, zone), ZR_PARTIAL, 128, &nr, &d, 1) ||
	    nr != 1 || d.zslba != z_start(z, zone))
		return -1;
	if (wp)
		*wp = d.wp;
	return d.zs;
}

#endif /* ZCBLK_SELFTEST_PT_ZNS_H */
