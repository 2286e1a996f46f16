/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz_passthru's common ground: the state its processes share (result
 * histograms, violations, each process's last command), the seeded random
 * generator, the results allowed on each path, the arena of good and bad
 * buffers, and the generator of NVMe commands.
 * Included by fuzz_passthru.c only.
 */
#ifndef ZCBLK_SELFTEST_FUZZ_H
#define ZCBLK_SELFTEST_FUZZ_H

#include <grp.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "pt_common.h"

#define NOBODY		65534
#define DISK_SIZE	(16 * PT_MiB)
#define BATCH_MAX	16
#define RING_ENTRIES	32
#define HANG_SECONDS	120		/* one batch, KASAN under TCG */

/* The arena: every address a command may reach lies inside it. */
#define GUARD		(2 * PT_MiB)	/* > max transfer: no length escapes */
#define IOV_SZ		(64 * PT_KiB)
#define IOV_SLOT	2112		/* 128 iovecs + slack */
#define DATA_SZ		(4 * PT_MiB)
#define RO_SZ		(1 * PT_MiB)
#define OFF_IOV		GUARD
#define OFF_DATA	(OFF_IOV + IOV_SZ + GUARD)
#define OFF_RO		(OFF_DATA + DATA_SZ + GUARD)
#define ARENA_SZ	(OFF_RO + RO_SZ + GUARD)

#define NR_FIXED	4		/* registered buffers */
#define KADDR_DIRECT	0xffff888000000000ULL
#define KADDR_TEXT	0xffffffff81000000ULL
#define USER_END	0x00007ffffffff000ULL

/* Results seen, per path; in shared memory, one writer per slot. */
#define HIST_N		48
#include "hist.h"

enum path {
	P_IOCTL, P_IOCTL_BAD, P_URING, P_URING_IOPOLL, P_URING_SQPOLL,
	P_URING_FIXEDFILE, P_URING_NOBIG, P_URING_RAND, P_U_IOCTL,
	P_U_IOCTL_BAD, P_U_URING,
	P_U_OPEN,
	P_NL_LIB, P_NL_SET, P_NL_RAW, P_U_NL_LIB, P_U_NL_RAW, P_MAX
};

static const char *const path_name[P_MAX] = {
	[P_IOCTL] = "ioctl", [P_IOCTL_BAD] = "ioctl, bad number or argument",
	[P_URING] = "uring_cmd", [P_URING_IOPOLL] = "uring_cmd, IOPOLL ring",
	[P_URING_SQPOLL] = "uring_cmd, SQPOLL ring under a concurrent SQE writer",
	[P_URING_FIXEDFILE] = "uring_cmd, registered file",
	[P_URING_NOBIG] = "uring_cmd, ring without SQE128/CQE32",
	[P_URING_RAND] = "uring_cmd, random setup and SQE flags",
	[P_U_IOCTL] = "nobody: ioctl",
	[P_U_IOCTL_BAD] = "nobody: ioctl, bad number or argument",
	[P_U_URING] = "nobody: uring_cmd",
	[P_U_OPEN] = "nobody: open", [P_NL_LIB] = "netlink (libzcblk)",
	[P_NL_SET] = "netlink DEV_SET on the disks under I/O",
	[P_NL_RAW] = "netlink, raw messages",
	[P_U_NL_LIB] = "nobody: netlink (libzcblk)",
	[P_U_NL_RAW] = "nobody: netlink, raw messages",
};

/* Violations, by kind (path and result): a count and the first one. */
#define MAX_VIOL	32
#define V_OTHER		P_MAX		/* not a command's result */
struct viol {
	int path, res;
	unsigned long count;
	char where[48];			/* of the first one */
	char first[272];
};

struct shared {
	struct hist h[P_MAX];
	unsigned long iters[3];		/* pt, unpriv, netlink */
	atomic_int lock;		/* the violations, across processes */
	atomic_int nviol;
	int nkinds;
	struct viol viol[MAX_VIOL];
	char last[3][640];		/* the command in progress */
};

static struct shared *sh;
static __u64 seed;
static int proc_id;			/* 0 pt, 1 unpriv, 2 netlink */
static const char *const proc_name[3] = { "pt", "unpriv", "netlink" };
static unsigned long cur_iter;

/* Records a violation of kind (@path, @res): V_OTHER, 0 for the rest. */
static void violation_kind(int path, int res, const char *fmt, ...)
{
	struct viol *v = NULL;
	char msg[256];
	va_list ap;
	int i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	atomic_fetch_add(&sh->nviol, 1);
	while (atomic_exchange(&sh->lock, 1))
		;
	for (i = 0; i < sh->nkinds; i++)
		if (sh->viol[i].path == path && sh->viol[i].res == res &&
		    (path != V_OTHER || !strncmp(sh->viol[i].first, msg,
						  sizeof(v->first) - 1)))
			v = &sh->viol[i];
	if (!v && sh->nkinds < MAX_VIOL) {
		v = &sh->viol[sh->nkinds++];
		v->path = path;
		v->res = res;
		snprintf(v->where, sizeof(v->where), "%s iteration %lu",
			 proc_name[proc_id], cur_iter);
		snprintf(v->first, sizeof(v->first), "%s", msg);
	}
	if (v)
		v->count++;
	atomic_store(&sh->lock, 0);
}

#define violation(...) violation_kind(V_OTHER, 0, __VA_ARGS__)

/* ---------------------------------------------------------- random */

/* One of the arguments, at random (all of them are evaluated). */
#define PICK(r, ...) ({						\
	const __u64 _pick[] = { __VA_ARGS__ };			\
	_pick[below((r), ARRAY_SIZE(_pick))];			\
})

struct rng {
	__u64 s;
};

static __u64 rnd(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return pt_mix64(r->s);
}

static __u64 below(struct rng *r, __u64 n)
{
	return n ? rnd(r) % n : 0;
}

static bool pct(struct rng *r, unsigned int p)
{
	return below(r, 100) < p;
}

/* The stream of one iteration: a function of the seed alone. */
static struct rng iter_rng(unsigned long iter)
{
	return (struct rng){ pt_mix64(seed ^ ((__u64)proc_id << 56) ^
				      pt_mix64(iter)) };
}

/* ------------------------------------------------- allowed results */

#define RES_END	INT_MIN

/*
 * Passthrough, root: section 7's errnos, what io_uring adds, and Format
 * NVM's EBUSY (a random admin opcode 80h on a disk in use).
 */
static const int pt_errnos[] = {
	-EINVAL, -EFAULT, -ENOTTY, -EOPNOTSUPP, -ETIMEDOUT, -EBUSY, RES_END
};
/* Linked SQEs: a failed command cancels the rest of its chain. */
static const int pt_link_errnos[] = {
	-EINVAL, -EFAULT, -ENOTTY, -EOPNOTSUPP, -ETIMEDOUT, -ECANCELED,
	-EBUSY, RES_END
};
/* Passthrough, nobody: the same and access refused. */
static const int pt_u_errnos[] = {
	-EINVAL, -EFAULT, -ENOTTY, -EOPNOTSUPP, -ETIMEDOUT, -EACCES, -EBUSY,
	RES_END
};
/* Netlink through libzcblk (the library's own checks included). */
static const int nl_errnos[] = {
	-EINVAL, -ERANGE, -EEXIST, -ENOSPC, -ENOENT, -EBUSY, -EOPNOTSUPP,
	-E2BIG, -ENAMETOOLONG, -ENOTDIR, -ENODEV, RES_END
};
static const int nl_u_errnos[] = {
	-EPERM, -EINVAL, -ERANGE, -EOPNOTSUPP, -E2BIG, -ENAMETOOLONG,
	-ENODEV, RES_END
};
/* Raw messages: what the netlink core and the family may answer. */
static const int raw_errnos[] = {
	-EINVAL, -ERANGE, -EOPNOTSUPP, -EEXIST, -ENOSPC, -ENOENT, -EBUSY,
	-ENODEV, -ENOTDIR, -ENAMETOOLONG, RES_END
};
static const int raw_u_errnos[] = {
	-EPERM, -EINVAL, -ERANGE, -EOPNOTSUPP, -ENODEV, RES_END
};
static const int open_errnos[] = { -EACCES, RES_END };

static bool in_set(int res, const int *set)
{
	for (; *set != RES_END; set++)
		if (*set == res)
			return true;
	return false;
}

/* 0, an NVMe status below 0x8000, or an allowed errno. */
static void check_pt(enum path p, int res, const int *errnos,
		     const char *what)
{
	hist_add(&sh->h[p], res);
	if (res >= 0 ? res < 0x8000 : in_set(res, errnos))
		return;
	violation_kind(p, res, "%s: %s gave %s", path_name[p], what,
		       pt_res_str(res));
}

static void check_nl(enum path p, int res, const int *errnos,
		     const char *what)
{
	hist_add(&sh->h[p], res);
	if (!res || in_set(res, errnos))
		return;
	violation_kind(p, res, "%s: %s gave %s", path_name[p], what,
		       pt_res_str(res));
}

/* ---------------------------------------------------------- the arena */

struct arena {
	char *base;
	char *iov;			/* iovec arrays only: never data */
	char *data;			/* RW; the second MiB a shared memfd */
	char *ro;			/* first half zero page, then memfd */
	struct iovec fixed[NR_FIXED];
};

static int arena_init(struct arena *a)
{
	char *p;
	size_t i;
	int fd;

	p = mmap(NULL, ARENA_SZ, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	a->base = p;
	a->iov = p + OFF_IOV;
	a->data = p + OFF_DATA;
	a->ro = p + OFF_RO;
	if (mprotect(a->iov, IOV_SZ, PROT_READ | PROT_WRITE) ||
	    mprotect(a->data, DATA_SZ, PROT_READ | PROT_WRITE) ||
	    mprotect(a->ro, RO_SZ / 2, PROT_READ))
		return -errno;
	/* Shared file pages: RW in the data, RO after the zero pages. */
	fd = memfd_create("zcblk-fuzz", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, 2 * PT_MiB))
		return -errno;
	if (mmap(a->data + PT_MiB, PT_MiB, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED ||
	    mmap(a->ro + RO_SZ / 2, RO_SZ / 2, PROT_READ,
		 MAP_SHARED | MAP_FIXED, fd, PT_MiB) == MAP_FAILED)
		return -errno;
	close(fd);
	for (i = 0; i < DATA_SZ / 8; i++) {
		__u64 v = pt_mix64(seed + i);

		memcpy(a->data + i * 8, &v, 8);
	}
	a->fixed[0] = (struct iovec){ a->data, 256 * PT_KiB };
	a->fixed[1] = (struct iovec){ a->data + PT_MiB - 4096,
				      512 * PT_KiB + 8192 };
	a->fixed[2] = (struct iovec){ a->data + 2 * PT_MiB + 123, 70000 };
	a->fixed[3] = (struct iovec){ a->data + 2 * PT_MiB + 512 * PT_KiB,
				      PT_MiB };
	return 0;
}

/*
 * An address for data: mostly a valid buffer in the arena, else one of
 * the kinds of bad ones. Never the iovec area, nothing outside the arena
 * in the user half but NULL, the lowest page and the top of it.
 */
static __u64 gen_addr(struct rng *r, struct arena *a)
{
	__u64 k = below(r, 100), off;

	if (k < 70) {
		off = below(r, DATA_SZ);
		switch (below(r, 4)) {
		case 0:
			off &= ~(PT_PAGE - 1);
			break;
		case 1:
			off &= ~511ULL;
			break;
		default:
			break;
		}
		return (uintptr_t)a->data + off;
	}
	switch (k) {
	case 70 ... 73:
		return 0;
	case 74 ... 77:
		return 1 + below(r, 65535);		/* below mmap_min_addr */
	case 78 ... 81:					/* unmapped guards */
		return (uintptr_t)(pct(r, 50) ? a->data - 1 - below(r, GUARD / 2) :
				   a->data + DATA_SZ + below(r, GUARD / 2));
	case 82 ... 87:					/* read-only */
		return (uintptr_t)a->ro + below(r, RO_SZ);
	case 88 ... 89:					/* straddling into a guard */
		return (uintptr_t)a->data + DATA_SZ - below(r, 8192);
	case 90 ... 92:
		return (pct(r, 50) ? KADDR_DIRECT : KADDR_TEXT) +
		       below(r, 1ULL << 30);
	case 93 ... 95:
		return pct(r, 50) ? 0x0000800000000000ULL + below(r, 1ULL << 40) :
				    0x8000000000000000ULL | rnd(r);
	case 96 ... 97:
		return USER_END - below(r, 2) * PT_PAGE + below(r, 4096);
	default:
		return ~0ULL - below(r, 65536);
	}
}

/* A length: mostly the one the command needs, else anything. */
static __u32 gen_len(struct rng *r, __u64 want)
{
	switch (below(r, 20)) {
	case 0 ... 11:
		return want <= 0xffffffffULL ? want : rnd(r);
	case 12:
		return 0;
	case 13:
		return want + 1 - below(r, 3);
	case 14:
		return pct(r, 50) ? 512 * 1024 : 512 * 1024 + 512;
	case 15:
		return pct(r, 50) ? 0xffffffffU : 0x80000000U;
	case 16:
		return below(r, 1 << 20);
	default:
		return below(r, 65536);
	}
}

/*
 * An iovec array in slot @slot of the iovec area, @n entries totalling
 * about @want bytes; returns the pointer to pass (sometimes a bad one).
 * Every 8-byte word of the area is always a safe address or a small
 * length, so that even a misplaced or scribbled count reads nothing that
 * could send data outside the arena.
 */
static __u64 gen_iov(struct rng *r, struct arena *a, int slot, __u32 n,
		     __u64 want)
{
	struct iovec *v = (struct iovec *)(a->iov + (size_t)slot * IOV_SLOT);
	__u64 left = want;
	__u32 i, cap = n < 128 ? n : 128;

	for (i = 0; i < cap; i++) {
		__u64 len;

		if (i == cap - 1)
			len = left;
		else
			len = pct(r, 70) ? below(r, left + 1) : below(r, 70000);
		if (pct(r, 5))
			len = below(r, 600 * 1024);
		if (len > 600 * 1024)
			len = 600 * 1024;
		left -= len < left ? len : left;
		v[i].iov_base = (void *)(uintptr_t)gen_addr(r, a);
		v[i].iov_len = len;
	}
	switch (below(r, 20)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)a->ro + below(r, RO_SZ / 4096) * 16;
	case 2:
		return (uintptr_t)a->iov - 16 * (1 + below(r, 8));
	case 3:
		return KADDR_DIRECT + below(r, 1 << 20);
	case 4:
		return (uintptr_t)v + 8 * below(r, 3);
	default:
		return (uintptr_t)v;
	}
}

static void iov_area_init(struct rng *r, struct arena *a)
{
	struct iovec *v = (struct iovec *)a->iov;
	size_t i;

	for (i = 0; i < IOV_SZ / sizeof(*v); i++) {
		v[i].iov_base = (void *)(uintptr_t)gen_addr(r, a);
		v[i].iov_len = below(r, 8192);
	}
}

/* --------------------------------------------------------- commands */

/* Does @p lie in the data area with @m bytes around it? */
static bool in_data(struct arena *a, __u64 p, __u64 len, size_t m)
{
	__u64 lo = (uintptr_t)a->data;

	if (p < lo + m || p >= lo + DATA_SZ || len > DATA_SZ)
		return false;
	return p - lo + len + m <= DATA_SZ;
}


struct disk {
	struct pt_disk d;
	bool poll;
};

/*
 * NVM (0x04: Write Uncorrectable, 0x0c: Verify, 0x19: Copy; FDP's I/O
 * Management Receive and Send, 0x12 and 0x1d), then ZNS: Zone
 * Management Send and Receive, Zone Append
 */
static const __u8 io_ops[] = {
	0x00, 0x01, 0x02, 0x04, 0x05, 0x08, 0x09, 0x0c, 0x12, 0x19, 0x1d,
	0x79, 0x7a, 0x7d,
};
static const __u8 admin_ops[] = { 0x02, 0x06, 0x09, 0x0a };

/*
 * A random command for @d, its data length what the command would want
 * (or not), its buffer from gen_addr (or an iovec array for @vec).
 */
static void gen_cmd(struct rng *r, struct arena *a, const struct disk *dk,
		    bool admin, bool vec, int iov_slot,
		    struct nvme_uring_cmd *c)
{
	const struct pt_disk *d = &dk->d;
	__u64 want = 0, slba;
	__u32 nlb;

	memset(c, 0, sizeof(*c));
	if (admin)
		c->opcode = pct(r, 75) ?
			    admin_ops[below(r, ARRAY_SIZE(admin_ops))] : rnd(r);
	else
		c->opcode = pct(r, 80) ? io_ops[below(r, ARRAY_SIZE(io_ops))] :
					 rnd(r);
	c->nsid = pct(r, 75) ? 1 : PICK(r, 0, 2, 0xffffffff, 0xfffffffe,
					       (__u32)rnd(r));
	nlb = pct(r, 70) ? below(r, 16) : pct(r, 50) ? below(r, 128) :
							(__u16)rnd(r);
	switch (below(r, 10)) {
	case 0:
		slba = d->nlbas - below(r, 20);
		break;
	case 1:
		slba = rnd(r);
		break;
	case 2:
		slba = ~0ULL - below(r, 4);
		break;
	default:
		slba = below(r, d->nlbas);
	}
	c->cdw10 = (__u32)slba;
	c->cdw11 = slba >> 32;
	c->cdw12 = nlb;
	if (pct(r, 15))
		c->cdw12 |= (__u32)rnd(r) & 0xffff0000U;
	if (pct(r, 5))
		c->cdw12 |= 1U << 30;		/* FUA */
	if (!admin) {
		switch (c->opcode) {
		case 0x01: case 0x02: case 0x05: case 0x7d:
			want = (__u64)(nlb + 1) << d->shift;
			/* a placement identifier, valid or not (FDP) */
			if (c->opcode == 0x01 && pct(r, 20)) {
				c->cdw12 |= (pct(r, 80) ? 2U : below(r, 16)) << 20;
				c->cdw13 = (pct(r, 80) ? below(r, 10) :
					    (__u32)rnd(r)) << 16;
			}
			break;
		case 0x12:	/* RUH Status, mostly */
			c->cdw10 = pct(r, 80) ? 1 : below(r, 4);
			c->cdw11 = pct(r, 80) ? below(r, 64) : rnd(r);
			c->cdw12 = 0;
			want = ((__u64)c->cdw11 + 1) * 4;
			break;
		case 0x1d:	/* RUH Update of a few identifiers */
			c->cdw10 = (pct(r, 80) ? 1 : below(r, 4)) |
				   (pct(r, 80) ? below(r, 8) : rnd(r)) << 16;
			c->cdw12 = 0;
			want = (c->cdw10 & 0xff) == 1 ?
			       ((c->cdw10 >> 16) + 1) * 2ULL : 0;
			break;
		case 0x79:	/* an action, sometimes Select All */
			c->cdw13 = pct(r, 80) ? below(r, 7) |
				   (pct(r, 20) ? 1U << 8 : 0) : rnd(r);
			want = 0;
			break;
		case 0x7a:	/* a report, a filter, partial or not */
			c->cdw12 = pct(r, 80) ? below(r, 1024) : rnd(r);
			c->cdw13 = pct(r, 80) ? (below(r, 9) << 8) |
				   (pct(r, 50) ? 1U << 16 : 0) : rnd(r);
			want = ((__u64)c->cdw12 + 1) * 4;
			break;
		case 0x09:
			c->cdw10 = below(r, 4);
			c->cdw11 = pct(r, 60) ? 4 : below(r, 8);
			c->cdw12 = 0;
			want = (c->cdw10 + 1) * 16ULL;
			break;
		case 0x19:	/* a few ranges, sometimes MSRC's or more */
			c->cdw12 = pct(r, 70) ? below(r, 8) :
				   pct(r, 50) ? PICK(r, 127, 128, 255) :
						rnd(r);
			want = ((c->cdw12 & 0xff) + 1) * 32ULL;
			break;
		default:
			want = 0;
		}
	} else {
		switch (c->opcode) {
		case 0x06:
			c->cdw10 = pct(r, 80) ? PICK(r, 0, 1, 2, 3, 5, 6) : rnd(r);
			c->cdw11 = pct(r, 90) ? 0 : rnd(r);
			c->cdw12 = 0;
			want = 4096;
			break;
		case 0x02: {
			__u32 dw = pct(r, 70) ? below(r, 128) : rnd(r);

			c->cdw10 = (pct(r, 80) ? 1 + below(r, 2) : below(r, 256)) |
				   (dw & 0xffff) << 16;
			c->cdw11 = pct(r, 90) ? dw >> 16 : rnd(r);
			/* the endurance group's logs (LSI 1), FDP Events' LSP */
			if (pct(r, 25)) {
				c->cdw10 = PICK(r, 0x09, 0x20, 0x21, 0x22, 0x23) |
					   (pct(r, 30) ? 1U << 8 : 0) |
					   (dw & 0xffff) << 16;
				c->cdw11 = (dw >> 16) |
					   (pct(r, 90) ? 1U : below(r, 4)) << 16;
			}
			c->cdw12 = pct(r, 90) ? 4 * below(r, 64) : rnd(r);
			want = ((__u64)(dw & 0xffffffff) + 1) * 4;
			break;
		}
		case 0x0a:
			c->cdw10 = pct(r, 80) ? PICK(r, 6, 7, 0x1d, 0x1e) |
					(below(r, 5) << 8) : rnd(r);
			c->cdw11 = pct(r, 80) ? below(r, 10) |
					below(r, 5) << 16 : rnd(r);
			c->cdw12 = 0;
			want = pct(r, 80) ? 0 : below(r, 8192);
			break;
		case 0x09:	/* Volatile Write Cache, FDP, FDP Events */
			c->cdw10 = pct(r, 80) ? PICK(r, 6, 0x1d, 0x1e) : rnd(r);
			c->cdw11 = pct(r, 80) ? below(r, 10) |
					below(r, 5) << 16 : rnd(r);
			c->cdw12 = pct(r, 80) ? below(r, 2) : rnd(r);
			want = below(r, 8);
			break;
		default:
			want = below(r, 8192);
		}
	}
	if (pct(r, 10))
		c->cdw13 = pct(r, 50) ? below(r, 256) : rnd(r);
	if (pct(r, 5))
		c->cdw14 = rnd(r);
	if (pct(r, 5))
		c->cdw15 = rnd(r);
	if (pct(r, 4))
		c->cdw2 = rnd(r);
	if (pct(r, 4))
		c->cdw3 = rnd(r);
	if (pct(r, 4))
		c->flags = rnd(r);
	if (pct(r, 3))
		c->rsvd1 = rnd(r);
	if (pct(r, 3))
		c->rsvd2 = rnd(r);
	/* Often the length a disk with 8 bytes of metadata a block takes */
	if (pct(r, 10)) {
		c->metadata = gen_addr(r, a);
		c->metadata_len = pct(r, 60) ? (nlb + 1) * 8 :
				  gen_len(r, 8 << nlb % 8);
	} else if (pct(r, 3)) {
		c->metadata_len = gen_len(r, 8 << nlb % 8);
	}
	if (pct(r, 10))
		c->timeout_ms = pct(r, 60) ? 1 + below(r, 3000) : rnd(r);

	if (vec) {
		__u32 n = pct(r, 70) ? 1 + below(r, 8) :
			  PICK(r, 0, 128, 129, 1024, 1025, 0xffffffff,
				     (__u32)below(r, 256));

		c->addr = gen_iov(r, a, iov_slot, n, want);
		c->data_len = n;
		return;
	}
	c->data_len = gen_len(r, want);
	c->addr = gen_addr(r, a);
	/* Copy: sometimes sensible ranges, some past the limits. */
	if (c->opcode == 0x19 && !admin && pct(r, 50) &&
	    in_data(a, c->addr, 8 * 32, 0)) {
		struct pt_copy_range rg;
		__u32 i;

		for (i = 0; i <= (c->cdw12 & 0xff) && i < 8; i++) {
			rg = pt_copy_range(pct(r, 80) ? below(r, d->nlbas) :
							rnd(r),
					   pct(r, 90) ? 1 + below(r, 64) :
							1 + below(r, 65536));
			rg.eilbrt = pct(r, 90) ? (__u32)rg.slba : rnd(r);
			memcpy((void *)(uintptr_t)(c->addr + i * 32), &rg, 32);
		}
	}
	/* DSM: sometimes a sensible range list in a valid buffer. */
	if (c->opcode == 0x09 && !admin && pct(r, 50) &&
	    in_data(a, c->addr, 256, 0)) {
		struct pt_dsm_range rg;
		__u32 i;

		for (i = 0; i <= (c->cdw10 & 0xff) && i < 16; i++) {
			rg.cattr = 0;
			rg.nlb = below(r, 64);
			rg.slba = pct(r, 80) ? below(r, d->nlbas) : rnd(r);
			memcpy((void *)(uintptr_t)(c->addr + i * 16), &rg, 16);
		}
	}
}

static void describe(char *buf, size_t len, const char *how,
		     const struct nvme_uring_cmd *c)
{
	snprintf(buf, len,
		 "%s: op 0x%02x flags 0x%x rsvd1 0x%x nsid 0x%x cdw2 0x%x cdw3 0x%x md 0x%llx addr 0x%llx md_len %u data_len %u cdw10 0x%x cdw11 0x%x cdw12 0x%x cdw13 0x%x cdw14 0x%x cdw15 0x%x tmo %u rsvd2 0x%x",
		 how, c->opcode, c->flags, c->rsvd1, c->nsid, c->cdw2, c->cdw3,
		 (unsigned long long)c->metadata, (unsigned long long)c->addr,
		 c->metadata_len, c->data_len, c->cdw10, c->cdw11, c->cdw12,
		 c->cdw13, c->cdw14, c->cdw15, c->timeout_ms, c->rsvd2);
}

#endif /* ZCBLK_SELFTEST_FUZZ_H */
