/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the passthrough selftests (pt_data, pt_cmds, the
 * pt_bad* tests, pt_remove, the race tests, ...): zcblk disks, io_uring
 * rings set up for NVMe passthrough, NVMe command builders, data patterns
 * that differ per LBA and per run, and the checks every test ends with
 * (pins balance, no kernel splat).
 *
 * This file: constants, small helpers and the data patterns; it includes
 * the rest, which is not to be included on its own: pt_env.h (a test's
 * disks and the checks it ends with: pin counters, the kernel log) and
 * pt_cmd.h (rings, command builders, the ioctls, the block device side).
 * It includes kselftest_harness.h and zcblk.h itself.
 *
 * Conventions:
 *  - A command's outcome is an int as the kernel reports it: 0, a positive
 *    NVMe status (0x4001 ...), or a negative errno. Failures of the test's
 *    own plumbing (ring full, io_uring_submit failed) are PT_EHARNESS,
 *    which no kernel answer can equal.
 *  - Everything a test creates lives in struct pt_env; pt_env_teardown()
 *    (called from a FIXTURE_TEARDOWN_PARENT) checks the pin counters and
 *    the kernel log, then deletes the disks. It runs in the harness's
 *    parent process, after the test process is gone.
 */
#ifndef PT_COMMON_H
#define PT_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <liburing.h>
#include <limits.h>
#include <linux/nvme_ioctl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "zcblk.h"

/* The Linux 6.1 harness has no such thing: its teardown runs in the test. */
#ifndef FIXTURE_TEARDOWN_PARENT
#define FIXTURE_TEARDOWN_PARENT FIXTURE_TEARDOWN
#endif

#define PT_KiB			1024ULL
#define PT_MiB			(1024ULL * 1024)
#define PT_PAGE			4096UL
#define PT_MAX_TRANSFER		(512 * PT_KiB)	/* MDTS 7 */
#define PT_MAX_SEGS		128		/* advertised max segments */
#define PT_NSID			1

/* NVMe opcodes (NVM command set and admin) */
#define PT_OP_FLUSH		0x00
#define PT_OP_WRITE		0x01
#define PT_OP_READ		0x02
#define PT_OP_COMPARE		0x05
#define PT_OP_WRITE_ZEROES	0x08
#define PT_OP_DSM		0x09
#define PT_OP_VERIFY		0x0c
#define PT_OP_COPY		0x19
#define PT_ADM_GET_LOG		0x02
#define PT_ADM_IDENTIFY		0x06
#define PT_ADM_SET_FEATURES	0x09
#define PT_ADM_GET_FEATURES	0x0a

/* Statuses as zcblk reports them: DNR << 14 | SCT << 8 | SC */
#define PT_SC_INVALID_OPCODE	0x4001
#define PT_SC_INVALID_FIELD	0x4002
#define PT_SC_INVALID_NS	0x400b
#define PT_SC_LBA_RANGE		0x4080
#define PT_SC_COMPARE		0x4285
#define PT_SC_NOT_READY		0x0082	/* power cut; no DNR: retry once on */

#define PT_CDW12_PRINFO_PRACT	(1U << 29)
#define PT_CDW12_PRINFO_PRCHK	(1U << 26)	/* PRCHK bits 28:26 */
#define PT_CDW12_DEAC		(1U << 25)
#define PT_DSM_AD		(1U << 2)

#define PT_RING_FLAGS		(IORING_SETUP_SQE128 | IORING_SETUP_CQE32)
#define PT_EHARNESS		(-100000)

/* Identify Namespace / Controller offsets (NVMe base spec) */
#define PT_ID_NS_NSZE		0
#define PT_ID_NS_NCAP		8
#define PT_ID_NS_NLBAF		25
#define PT_ID_NS_FLBAS		26
#define PT_ID_NS_LBAF0_MS	128
#define PT_ID_NS_LBAF0_DS	130
#define PT_ID_CTRL_MN		24
#define PT_ID_CTRL_MDTS		77
#define PT_ID_CTRL_NN		516
#define PT_ID_CTRL_ONCS		520

struct pt_dsm_range {
	__u32 cattr;
	__u32 nlb;
	__u64 slba;
};

/* Copy's Source Range Entry, descriptor format 0 */
struct pt_copy_range {
	__u64 rsvd0;
	__u64 slba;
	__u16 nlb;		/* 0's based */
	__u16 rsvd18;
	__u32 rsvd20;
	__u32 eilbrt;
	__u16 elbat;
	__u16 elbatm;
};

static inline struct pt_copy_range pt_copy_range(__u64 slba, __u32 nblocks)
{
	return (struct pt_copy_range){
		.slba = slba, .nlb = (__u16)(nblocks - 1),
	};
}

/* Copy of @nr entries at @r to @sdlba (NR in cdw12 7:0, format 0). */
static inline struct nvme_uring_cmd pt_copy_cmd(__u64 sdlba,
						const struct pt_copy_range *r,
						unsigned int nr)
{
	return (struct nvme_uring_cmd){
		.opcode = PT_OP_COPY,
		.nsid = PT_NSID,
		.cdw10 = (__u32)sdlba,
		.cdw11 = (__u32)(sdlba >> 32),
		.cdw12 = (nr - 1) & 0xff,
		.addr = (uintptr_t)r,
		.data_len = nr * sizeof(*r),
	};
}

/* ---------------------------------------------------------------- misc */

static inline __u64 pt_le64(const void *p)
{
	__u64 v;

	memcpy(&v, p, sizeof(v));
	return v;		/* x86_64: little endian */
}

static inline __u32 pt_le32(const void *p)
{
	__u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline __u16 pt_le16(const void *p)
{
	__u16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Pages a buffer spans: what zcblk pins for it (FOLL_PIN, per segment). */
static inline __u64 pt_pages(const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p;

	if (!len)
		return 0;
	return ((a & (PT_PAGE - 1)) + len + PT_PAGE - 1) / PT_PAGE;
}

/* A readable name for a command's outcome, for log lines. */
static inline const char *pt_res_str(int res)
{
	static char buf[4][64];
	static int n;
	char *s = buf[n++ & 3];

	if (res == PT_EHARNESS)
		snprintf(s, 64, "harness failure");
	else if (res < 0)
		snprintf(s, 64, "-%s (%d)", strerrorname_np(-res) ?
			 strerrorname_np(-res) : "?", res);
	else if (res > 0)
		snprintf(s, 64, "NVMe status 0x%x", res);
	else
		snprintf(s, 64, "success");
	return s;
}

static inline void pt_msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Anonymous memory, page aligned; NULL on failure. */
static inline void *pt_map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* ------------------------------------------------------------- patterns */

/* Set once per test process from the clock and the pid: differs per run. */
static __u64 pt_seed;

static inline __u64 pt_mix64(__u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static inline void pt_seed_init(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	pt_seed = pt_mix64(((__u64)ts.tv_sec << 30) ^ (__u64)ts.tv_nsec ^
			   ((__u64)getpid() << 44));
}

/* A pseudo-random number from the run's seed, for sizes and offsets. */
static inline __u64 pt_rand(__u64 salt)
{
	return pt_mix64(pt_seed ^ pt_mix64(salt));
}

/* Block @lba's content for write number @tag: no two blocks alike. */
static inline void pt_fill_block(void *dst, __u32 bs, __u64 lba, __u32 tag)
{
	__u64 h = pt_mix64(pt_seed ^ pt_mix64(lba) ^ ((__u64)tag << 40));
	char *p = dst;
	__u32 w;

	for (w = 0; w < bs / 8; w++) {
		__u64 v = pt_mix64(h + w);

		memcpy(p + (size_t)w * 8, &v, 8);
	}
	/* Readable in a hex dump: the LBA and the tag at the start. */
	memcpy(p, &lba, 8);
	memcpy(p + 8, &tag, 4);
}

static inline void pt_fill(void *buf, __u32 bs, __u64 slba, __u32 nblocks,
			   __u32 tag)
{
	__u32 b;

	for (b = 0; b < nblocks; b++)
		pt_fill_block((char *)buf + (size_t)b * bs, bs, slba + b, tag);
}

/*
 * Does @buf hold write @tag of [slba, slba + nblocks)? Logs the first
 * difference under @what.
 */
static inline bool pt_verify(struct __test_metadata *_metadata,
			     const void *buf, __u32 bs, __u64 slba,
			     __u32 nblocks, __u32 tag, const char *what)
{
	char *want = malloc(bs);
	const char *got = buf;
	bool ok = true;
	__u32 b, i;

	if (!want)
		return false;
	for (b = 0; b < nblocks && ok; b++) {
		pt_fill_block(want, bs, slba + b, tag);
		if (!memcmp(got + (size_t)b * bs, want, bs))
			continue;
		for (i = 0; i < bs && got[(size_t)b * bs + i] == want[i]; i++)
			;
		TH_LOG("%s: LBA %llu (block %u of %u) differs at byte %u: got 0x%02x, want 0x%02x",
		       what, (unsigned long long)(slba + b), b, nblocks, i,
		       (unsigned char)got[(size_t)b * bs + i],
		       (unsigned char)want[i]);
		ok = false;
	}
	free(want);
	return ok;
}

static inline bool pt_all_bytes(const void *buf, size_t len, unsigned char c)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != c)
			return false;
	return true;
}

#include "pt_env.h"
#include "pt_cmd.h"

#endif /* PT_COMMON_H */
