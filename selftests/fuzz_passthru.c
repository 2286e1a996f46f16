// SPDX-License-Identifier: GPL-2.0
/*
 * A time-boxed, seeded random-input fuzzer for zcblk's user-facing
 * surface, on a mem disk (512-byte blocks, 2 queues, node mode 0666), a
 * null disk (4 KiB blocks, a poll queue) and a mem disk with a poll queue
 * and a 1 s request timeout:
 *
 *  - random NVMe commands (opcode, flags, nsid, cdw2..15, metadata,
 *    lengths, timeouts; biased toward the valid ones so that they get
 *    deep) with random buffers: valid ones in an arena, NULL, low
 *    addresses, unmapped guard pages, read-only mappings (anonymous and
 *    shared memfd), kernel and non-canonical addresses, the end of the
 *    user address space, lengths up to 4 GiB; random iovec arrays;
 *  - through every ioctl of the char device (ID, ADMIN, ADMIN64, IO,
 *    IO64, IO64_VEC, SUBMIT_IO, its 32-bit twin, RESET, SUBSYS_RESET,
 *    RESCAN, random 'N' numbers), with bad argument pointers too, and
 *    through io_uring uring_cmd: plain, vectored, registered buffers
 *    (random buf_index), a registered file, IOPOLL rings, an SQPOLL ring
 *    whose SQEs a second thread rewrites while the kernel reads them (a
 *    malicious concurrent writer of the SQE memory), rings without SQE128
 *    or CQE32, random cmd_op;
 *  - as root (process "pt") and as nobody (process "unpriv", fds opened
 *    read-only, write-only and read-write on the 0666 node);
 *  - random DEV_ADD / DEV_SET / DEV_DEL / DEV_GET / DEV_STATS through
 *    libzcblk (random fields and field masks), DEV_SET with bounded
 *    values (injection, latency, completion modes, short stalls) on the
 *    disks under I/O, and raw generic netlink messages with random
 *    commands, flags and attributes (types, lengths, payloads, truncated
 *    and nested ones), as root and as nobody.
 *
 * It asserts only that nothing crashes or hangs (an alarm per batch), and
 * that every result is 0, a positive NVMe status below 0x8000, or a
 * negative errno from the allowed set of its path; that a plain sync
 * Read never writes next to its buffer; that nobody's netlink mutations
 * always fail; and, at the end, that zcblk's pins balance, /proc/vmstat's
 * FOLL_PIN balance is back and the kernel logged no splat.
 *
 * Env: ZCBLK_FUZZ_SECONDS (default 60), ZCBLK_FUZZ_SEED (default: from
 * the clock; always printed). Unexpected results are reported by kind
 * (path and result) with a count and the first one in full: its process,
 * iteration and command. A crash or a hang of a fuzzing process names its
 * last command. The same seed replays the same command sequence per
 * process (not the same interleaving).
 */
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
struct hist {
	int res[HIST_N];
	unsigned long cnt[HIST_N];
	int n;
	unsigned long lost;
};

enum path {
	P_IOCTL, P_IOCTL_BAD, P_URING, P_URING_IOPOLL, P_URING_SQPOLL,
	P_URING_FIXEDFILE, P_URING_NOBIG, P_U_IOCTL, P_U_IOCTL_BAD, P_U_URING,
	P_U_OPEN,
	P_NL_LIB, P_NL_SET, P_NL_RAW, P_U_NL_LIB, P_U_NL_RAW, P_MAX
};

static const char *const path_name[P_MAX] = {
	[P_IOCTL] = "ioctl", [P_IOCTL_BAD] = "ioctl, bad number or argument",
	[P_URING] = "uring_cmd", [P_URING_IOPOLL] = "uring_cmd, IOPOLL ring",
	[P_URING_SQPOLL] = "uring_cmd, SQPOLL ring under a concurrent SQE writer",
	[P_URING_FIXEDFILE] = "uring_cmd, registered file",
	[P_URING_NOBIG] = "uring_cmd, ring without SQE128/CQE32",
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
	char last[3][320];		/* the command in progress */
};

static struct shared *sh;
static __u64 seed;
static int proc_id;			/* 0 pt, 1 unpriv, 2 netlink */
static const char *const proc_name[3] = { "pt", "unpriv", "netlink" };
static unsigned long cur_iter;

static void hist_add(struct hist *h, int res)
{
	int i;

	for (i = 0; i < h->n; i++) {
		if (h->res[i] == res) {
			h->cnt[i]++;
			return;
		}
	}
	if (h->n < HIST_N) {
		h->res[h->n] = res;
		h->cnt[h->n++] = 1;
	} else {
		h->lost++;
	}
}

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

/* Passthrough, root: section 7's errnos, and what io_uring adds. */
static const int pt_errnos[] = {
	-EINVAL, -EFAULT, -ENOTTY, -EOPNOTSUPP, -ETIMEDOUT, RES_END
};
/* Passthrough, nobody: the same and access refused. */
static const int pt_u_errnos[] = {
	-EINVAL, -EFAULT, -ENOTTY, -EOPNOTSUPP, -ETIMEDOUT, -EACCES, RES_END
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

static const __u8 io_ops[] = { 0x00, 0x01, 0x02, 0x05, 0x08, 0x09 };
static const __u8 admin_ops[] = { 0x02, 0x06, 0x0a };

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
		c->opcode = pct(r, 75) ? admin_ops[below(r, 3)] : rnd(r);
	else
		c->opcode = pct(r, 80) ? io_ops[below(r, 6)] : rnd(r);
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
		case 0x01: case 0x02: case 0x05:
			want = (__u64)(nlb + 1) << d->shift;
			break;
		case 0x09:
			c->cdw10 = below(r, 4);
			c->cdw11 = pct(r, 60) ? 4 : below(r, 8);
			c->cdw12 = 0;
			want = (c->cdw10 + 1) * 16ULL;
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
			c->cdw12 = pct(r, 90) ? 4 * below(r, 64) : rnd(r);
			want = ((__u64)(dw & 0xffffffff) + 1) * 4;
			break;
		}
		case 0x0a:
			c->cdw10 = pct(r, 80) ? (pct(r, 50) ? 6 : 7) |
					(below(r, 5) << 8) : rnd(r);
			c->cdw12 = 0;
			want = pct(r, 80) ? 0 : below(r, 8192);
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
	if (pct(r, 4))
		c->metadata = gen_addr(r, a);
	if (pct(r, 4))
		c->metadata_len = gen_len(r, 8 << nlb % 8);
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

/* -------------------------------------------------------- the ioctls */

/* The 32-bit ABI's nvme_user_io, without tail padding. */
struct user_io32 {
	__u8 opcode, flags;
	__u16 control, nblocks, rsvd;
	__u64 metadata, addr, slba;
	__u32 dsmgmt, reftag;
	__u16 apptag, appmask;
} __attribute__((packed));
#define IOCTL_SUBMIT_IO32	_IOW('N', 0x42, struct user_io32)

#define MARGIN	64

static void ioctl_one(struct rng *r, struct arena *a, int fd,
		      const struct disk *dk, enum path p, const int *errnos)
{
	static const unsigned long reqs[] = {
		NVME_IOCTL_ADMIN_CMD, NVME_IOCTL_ADMIN64_CMD,
		NVME_IOCTL_IO_CMD, NVME_IOCTL_IO64_CMD, NVME_IOCTL_IO64_CMD_VEC,
	};
	char before[2][MARGIN], desc[300];
	struct nvme_uring_cmd c;
	unsigned long req;
	bool admin, margin = false;
	int k = below(r, 100), res;

	if (k < 70) {
		req = reqs[below(r, 5)];
		admin = req == NVME_IOCTL_ADMIN_CMD ||
			req == NVME_IOCTL_ADMIN64_CMD;
		gen_cmd(r, a, dk, admin, req == NVME_IOCTL_IO64_CMD_VEC,
			BATCH_MAX, &c);
		describe(desc, sizeof(desc), "ioctl", &c);
		snprintf(sh->last[proc_id], sizeof(sh->last[0]), "%s", desc);
		/* A plain Read into the data area writes nothing else. */
		if (req != NVME_IOCTL_IO64_CMD_VEC &&
		    in_data(a, c.addr, c.data_len, MARGIN)) {
			memcpy(before[0], (char *)(uintptr_t)c.addr - MARGIN,
			       MARGIN);
			memcpy(before[1],
			       (char *)(uintptr_t)(c.addr + c.data_len),
			       MARGIN);
			margin = true;
		}
		res = pt_passthru(fd, req, &c, NULL);
		check_pt(p, res, errnos, desc);
		if (margin &&
		    (memcmp(before[0], (char *)(uintptr_t)c.addr - MARGIN,
			    MARGIN) ||
		     memcmp(before[1], (char *)(uintptr_t)(c.addr + c.data_len),
			    MARGIN)))
			violation("%s: bytes next to the buffer changed (%s)",
				  path_name[p], desc);
		return;
	}
	if (k < 85) {
		struct nvme_user_io io;
		struct user_io32 io32;

		gen_cmd(r, a, dk, false, false, 0, &c);
		memset(&io, 0, sizeof(io));
		io.opcode = pct(r, 80) ? PICK(r, 1, 2, 5) :
					 c.opcode;
		io.flags = pct(r, 95) ? 0 : rnd(r);
		io.control = pct(r, 90) ? 0 : rnd(r);
		io.nblocks = c.cdw12;
		io.rsvd = pct(r, 95) ? 0 : rnd(r);
		io.metadata = pct(r, 95) ? 0 : gen_addr(r, a);
		io.addr = c.addr;
		io.slba = (__u64)c.cdw11 << 32 | c.cdw10;
		io.dsmgmt = pct(r, 90) ? 0 : rnd(r);
		snprintf(sh->last[proc_id], sizeof(sh->last[0]),
			 "SUBMIT_IO op 0x%x nblocks %u addr 0x%llx slba 0x%llx",
			 io.opcode, io.nblocks, (unsigned long long)io.addr,
			 (unsigned long long)io.slba);
		if (pct(r, 50)) {
			res = pt_ioctl_res(ioctl(fd, NVME_IOCTL_SUBMIT_IO, &io));
		} else {
			memcpy(&io32, &io, sizeof(io32));
			res = pt_ioctl_res(ioctl(fd, IOCTL_SUBMIT_IO32, &io32));
		}
		check_pt(p, res, errnos, sh->last[proc_id]);
		return;
	}
	/* Bad numbers and bad argument pointers. */
	{
		static const unsigned long others[] = {
			NVME_IOCTL_ID, NVME_IOCTL_RESET,
			NVME_IOCTL_SUBSYS_RESET, NVME_IOCTL_RESCAN,
			NVME_IOCTL_ADMIN_CMD, NVME_IOCTL_IO_CMD,
			NVME_IOCTL_ADMIN64_CMD, NVME_IOCTL_IO64_CMD,
			NVME_IOCTL_IO64_CMD_VEC, NVME_IOCTL_SUBMIT_IO,
			IOCTL_SUBMIT_IO32,
			NVME_URING_CMD_IO, NVME_URING_CMD_ADMIN,
		};
		__u64 arg;

		if (pct(r, 60))
			req = others[below(r, ARRAY_SIZE(others))];
		else	/* 'N', any number, direction and size */
			req = ((rnd(r) & 3) << 30) | ((rnd(r) & 0x3fff) << 16) |
			      ('N' << 8) | below(r, 256);
		switch (below(r, 6)) {
		case 0:
			arg = 0;
			break;
		case 1:
			arg = (uintptr_t)a->ro + below(r, RO_SZ - 128);
			break;
		case 2:
			arg = (uintptr_t)a->data - 1 - below(r, 4096);
			break;
		case 3:
			arg = KADDR_TEXT + below(r, 1 << 20);
			break;
		case 4:
			arg = USER_END + 4096 - below(r, 64);
			break;
		default:
			arg = 0x8000000000000000ULL | rnd(r);
		}
		snprintf(sh->last[proc_id], sizeof(sh->last[0]),
			 "ioctl 0x%lx arg 0x%llx", req,
			 (unsigned long long)arg);
		res = ioctl(fd, req, (void *)(uintptr_t)arg);
		/* NVME_IOCTL_ID returns the namespace ID. */
		if (req == NVME_IOCTL_ID && res == 1)
			res = 0;
		res = pt_ioctl_res(res);
		check_pt(p == P_IOCTL ? P_IOCTL_BAD : P_U_IOCTL_BAD, res, errnos,
			 sh->last[proc_id]);
	}
}

/* -------------------------------------------------------- the rings */

struct ring {
	struct io_uring ring;
	unsigned int flags;
	bool up, fixed_bufs, fixed_file, nobig;
	enum path path;
	int nfiles;
};

static int ring_init(struct ring *q, struct arena *a, unsigned int flags,
		     bool bufs, const int *fds, int nfds, enum path p)
{
	/*
	 * SUBMIT_ALL: an SQE that fails io_uring's own checks (6.12 checks
	 * buf_index at prep) must not leave the rest of the batch unsubmitted.
	 */
	struct io_uring_params prm = { .flags = flags | IORING_SETUP_SUBMIT_ALL };
	int ret;

	memset(q, 0, sizeof(*q));
	if (flags & IORING_SETUP_SQPOLL)
		prm.sq_thread_idle = 50;
	ret = io_uring_queue_init_params(RING_ENTRIES, &q->ring, &prm);
	if (ret)
		return ret;
	q->up = true;
	q->flags = flags;
	q->path = p;
	q->nobig = (flags & (IORING_SETUP_SQE128 | IORING_SETUP_CQE32)) !=
		   (IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	if (bufs)
		q->fixed_bufs = !io_uring_register_buffers(&q->ring, a->fixed,
							   NR_FIXED);
	if (nfds) {
		ret = io_uring_register_files(&q->ring, fds, nfds);
		if (ret)
			return ret;
		q->fixed_file = true;
		q->nfiles = nfds;
	}
	return 0;
}

static void ring_exit(struct ring *q)
{
	if (q->up)
		io_uring_queue_exit(&q->ring);
	q->up = false;
}

/* The SQE scribbler: rewrites the command area of every SQE, always. */
struct scribbler {
	struct ring *q;
	struct arena *a;
	atomic_int stop;
	__u64 seed;
	unsigned long writes;
};

static void *scribble(void *arg)
{
	struct scribbler *s = arg;
	struct rng r = { s->seed };
	unsigned int n = s->q->ring.sq.ring_entries;
	char *sqes = (char *)s->q->ring.sq.sqes;

	while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
		char *sqe = sqes + below(&r, n) * 128;
		/*
		 * The command area, but never its addr (a different address
		 * could turn an iovec array into data). Volatile: these are
		 * stores into memory the kernel reads concurrently.
		 */
		volatile struct nvme_uring_cmd *c = (void *)(sqe + 48);

		switch (below(&r, 12)) {
		case 0:
			c->opcode = pct(&r, 50) ? io_ops[below(&r, 6)] : rnd(&r);
			break;
		case 1:
			c->nsid = pct(&r, 50) ? 1 : rnd(&r);
			break;
		case 2:
			c->data_len = gen_len(&r, 4096);
			break;
		case 3:
			c->cdw12 = pct(&r, 50) ? below(&r, 256) : rnd(&r);
			break;
		case 4:
			c->cdw10 = rnd(&r);
			break;
		case 5:
			c->cdw11 = pct(&r, 80) ? 0 : rnd(&r);
			break;
		case 6:
			c->flags = pct(&r, 80) ? 0 : rnd(&r);
			break;
		case 7:
			c->metadata_len = pct(&r, 80) ? 0 : rnd(&r);
			break;
		case 8:
			c->cdw13 = rnd(&r);
			break;
		case 9:
			c->timeout_ms = pct(&r, 80) ? 0 : below(&r, 100);
			break;
		case 10:
			c->rsvd2 = pct(&r, 80) ? 0 : rnd(&r);
			break;
		default:
			c->cdw2 = pct(&r, 80) ? 0 : rnd(&r);
		}
		s->writes++;
	}
	return NULL;
}

static void hang_alarm(int sig)
{
	char msg[512];
	int n;

	(void)sig;
	n = snprintf(msg, sizeof(msg),
		     "# fuzz_passthru: %s hung for %d s in iteration %lu (seed 0x%llx); last: %s\n",
		     proc_name[proc_id], HANG_SECONDS, cur_iter,
		     (unsigned long long)seed, sh->last[proc_id]);
	if (write(2, msg, n) < 0) {
		/* nothing more to do */
	}
	_exit(99);
}

/*
 * One batch on @q: 1..16 random commands to random disks (fds, or
 * registered files), some vectored, some through registered buffers;
 * then every CQE.
 */
static void uring_batch(struct rng *r, struct arena *a, struct ring *q,
			const struct disk *dks, const int *fds, int nd,
			const int *errnos)
{
	char desc[BATCH_MAX][300];
	int n = 1 + below(r, BATCH_MAX), i, ret;

	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&q->ring);
		int di = below(r, nd);
		struct nvme_uring_cmd c;
		__u32 op;
		bool vec = false;
		int bi = -1;

		if (!sqe) {
			n = i;
			break;
		}
		switch (below(r, 20)) {
		case 0 ... 8:
			op = NVME_URING_CMD_IO;
			break;
		case 9 ... 15:
			op = NVME_URING_CMD_IO_VEC;
			vec = true;
			break;
		case 16:
			op = NVME_URING_CMD_ADMIN;
			break;
		case 17:
			op = NVME_URING_CMD_ADMIN_VEC;
			break;
		default:
			op = pct(r, 50) ? ((rnd(r) & 0xffff3fffU) | 0x80000000U) :
					  (__u32)rnd(r);
		}
		gen_cmd(r, a, &dks[di], false, vec, i, &c);
		if (q->fixed_bufs && !vec && pct(r, 30)) {
			bi = below(r, NR_FIXED + 2);
			if (bi < NR_FIXED && pct(r, 85)) {
				__u64 room = a->fixed[bi].iov_len;

				c.addr = (uintptr_t)a->fixed[bi].iov_base +
					 below(r, room);
				if (pct(r, 50))
					c.addr = (uintptr_t)a->fixed[bi].iov_base;
			}
		} else if (q->fixed_bufs && vec && pct(r, 5)) {
			bi = below(r, NR_FIXED);	/* FIXED + VEC */
		}
		memset(sqe, 0, q->nobig ? 64 : 128);
		sqe->opcode = IORING_OP_URING_CMD;
		sqe->fd = fds[di];
		if (q->fixed_file) {
			sqe->fd = di;
			sqe->flags = IOSQE_FIXED_FILE;
		}
		sqe->cmd_op = op;
		sqe->user_data = i;
		if (bi >= 0) {
			sqe->uring_cmd_flags = IORING_URING_CMD_FIXED;
			sqe->buf_index = bi;
		}
		if (!q->nobig)
			memcpy(sqe->cmd, &c, sizeof(c));
		else
			memcpy(sqe->cmd, &c, 16);
		describe(desc[i], sizeof(desc[i]), "uring_cmd", &c);
		snprintf(desc[i] + strlen(desc[i]),
			 sizeof(desc[i]) - strlen(desc[i]),
			 " cmd_op 0x%x fixed %d", op, bi);
	}
	if (!n)
		return;
	snprintf(sh->last[proc_id], sizeof(sh->last[0]), "%s", desc[0]);
	ret = io_uring_submit(&q->ring);
	/* With SQPOLL, liburing's count may overestimate (its comment). */
	if (ret < 0 || (ret != n && !(q->flags & IORING_SETUP_SQPOLL))) {
		violation("io_uring_submit of %d: %d", n, ret);
		if (ret < 0)
			return;
	}
	for (i = 0; i < n; i++) {
		struct io_uring_cqe *cqe;
		int res;

		ret = io_uring_wait_cqe(&q->ring, &cqe);
		if (ret) {
			violation("io_uring_wait_cqe: %s", strerror(-ret));
			return;
		}
		res = cqe->res;
		check_pt(q->path, res, errnos,
			 desc[cqe->user_data < (unsigned int)n ?
			      cqe->user_data : 0]);
		io_uring_cqe_seen(&q->ring, cqe);
	}
}

/* ----------------------------------------------- passthrough fuzzers */

/* Root: every disk, every ring kind, the ioctls. */
static int pt_main(const struct disk *dks, int nd, time_t deadline)
{
	struct ring plain, iopoll, sqpoll, ffile, nobig[2];
	struct scribbler scr = { 0 };
	pthread_t st;
	struct arena a;
	struct rng r0;
	int fds[4], i, ret;

	proc_id = 0;
	signal(SIGALRM, hang_alarm);
	if (arena_init(&a))
		return 2;
	r0 = iter_rng(~0UL);
	iov_area_init(&r0, &a);
	for (i = 0; i < nd; i++) {
		static const int modes[3] = { O_RDWR, O_RDONLY, O_WRONLY };

		fds[i] = open(dks[i].d.chr, modes[i % 3] | O_CLOEXEC);
		if (fds[i] < 0)
			return 3;
	}
	ret = ring_init(&plain, &a, PT_RING_FLAGS, true, NULL, 0, P_URING) ||
	      ring_init(&iopoll, &a, PT_RING_FLAGS | IORING_SETUP_IOPOLL, true,
			NULL, 0, P_URING_IOPOLL) ||
	      ring_init(&sqpoll, &a, PT_RING_FLAGS | IORING_SETUP_SQPOLL, true,
			NULL, 0, P_URING_SQPOLL) ||
	      ring_init(&ffile, &a, PT_RING_FLAGS, false, fds, nd,
			P_URING_FIXEDFILE) ||
	      ring_init(&nobig[0], &a, 0, false, NULL, 0, P_URING_NOBIG) ||
	      ring_init(&nobig[1], &a, IORING_SETUP_SQE128, false, NULL, 0,
			P_URING_NOBIG);
	if (ret)
		return 4;
	scr.q = &sqpoll;
	scr.a = &a;
	scr.seed = pt_mix64(seed ^ 0x5c5c);
	if (pthread_create(&st, NULL, scribble, &scr))
		return 5;

	for (cur_iter = 0; time(NULL) < deadline; cur_iter++) {
		struct rng r = iter_rng(cur_iter);
		int k = below(&r, 100);

		alarm(HANG_SECONDS);
		if (k < 30)
			uring_batch(&r, &a, &plain, dks, fds, nd, pt_errnos);
		else if (k < 42)
			uring_batch(&r, &a, &iopoll, dks, fds, nd, pt_errnos);
		else if (k < 54)
			uring_batch(&r, &a, &sqpoll, dks, fds, nd, pt_errnos);
		else if (k < 60)
			uring_batch(&r, &a, &ffile, dks, fds, nd, pt_errnos);
		else if (k < 63)
			uring_batch(&r, &a, &nobig[k & 1], dks, fds, nd,
				    pt_errnos);
		else {
			int di = below(&r, nd);

			ioctl_one(&r, &a, fds[di], &dks[di], P_IOCTL,
				  pt_errnos);
		}
		sh->iters[0] = cur_iter + 1;
	}
	alarm(0);
	atomic_store(&scr.stop, 1);
	pthread_join(st, NULL);
	ring_exit(&plain);
	ring_exit(&iopoll);
	ring_exit(&sqpoll);
	ring_exit(&ffile);
	ring_exit(&nobig[0]);
	ring_exit(&nobig[1]);
	for (i = 0; i < nd; i++)
		close(fds[i]);
	return 0;
}

static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -errno;
	return 0;
}

/* ------------------------------------------------- netlink, raw */

struct rawnl {
	struct mnl_socket *nl;
	__u16 family;
	unsigned int seq, portid;
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
			*(__u16 *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int rawnl_open(struct rawnl *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct timeval tv = { 10, 0 };
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;
	int ret;

	n->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!n->nl)
		return -errno;
	if (mnl_socket_bind(n->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	setsockopt(mnl_socket_get_fd(n->nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	n->portid = mnl_socket_get_portid(n->nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++n->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ZCBLK_GENL_NAME);
	if (mnl_socket_sendto(n->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	ret = mnl_socket_recvfrom(n->nl, buf, sizeof(buf));
	if (ret < 0)
		return -errno;
	ret = mnl_cb_run(buf, ret, n->seq, n->portid, family_cb, &n->family);
	return ret < 0 ? -errno : (n->family ? 0 : -ENOENT);
}

/* Indexes a raw message must never delete or change. */
static __u32 protected_idx[8];
static int nprotected;

static bool is_protected(__u32 idx)
{
	int i;

	for (i = 0; i < nprotected; i++)
		if (protected_idx[i] == idx)
			return true;
	return false;
}

/* A payload for attribute @type of the dev family, sometimes sensible. */
static int raw_payload(struct rng *r, __u16 type, char *p, int room)
{
	__u64 v = rnd(r);
	int len;

	switch (below(r, 6)) {
	case 0:		/* u32, in or out of the usual ranges */
		v = PICK(r, 0, 1, 2, 3, 512, 4096, 64, 65, 4097, 0777,
			       0xffffffff, 1000000, 0x7fff,
			       (__u32)v);
		memcpy(p, &v, 4);
		return 4;
	case 1:		/* u64 */
		v = PICK(r, 0, 1, 1 << 20, 16 << 20, 1ULL << 60,
			       10000000000ULL, 10000000001ULL, ~0ULL,
			       v);
		memcpy(p, &v, 8);
		return 8;
	case 2: {	/* strings */
		static const char *const s[] = {
			"null", "mem", "file", "", "nul", "memx",
			"/dev/null", "/", "/nonexistent", "/proc/self/status",
			"0123456789abcdef0123",
		};
		const char *str = s[below(r, ARRAY_SIZE(s))];

		len = strlen(str) + (pct(r, 80) ? 1 : 0);
		if (len > room)
			len = room;
		memcpy(p, str, len);
		return len;
	}
	case 3:		/* u8 */
		p[0] = pct(r, 50) ? below(r, 3) : rnd(r);
		return 1;
	default:	/* anything */
		len = PICK(r, 0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 33, 64);
		if (len > room)
			len = room;
		for (int i = 0; i < len; i++)
			p[i] = rnd(r);
		(void)type;
		return len;
	}
}

/*
 * One random message to the family: 0 or the errno it answered with;
 * *added is set when a DEV_ADD succeeded (then the caller sweeps).
 */
static int raw_one(struct rng *r, struct rawnl *n, bool *mutation,
		   char *what, size_t what_len)
{
	char buf[8192] __attribute__((aligned(8)));
	char rbuf[MNL_SOCKET_BUFFER_SIZE];
	struct genlmsghdr *g;
	struct nlmsghdr *nlh;
	int nattr, i, ret, err = 1;
	__u8 cmd;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = pct(r, 97) ? n->family : 1 + below(r, 4);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (pct(r, 10))
		nlh->nlmsg_flags |= NLM_F_DUMP;
	if (pct(r, 3))
		nlh->nlmsg_flags |= rnd(r) & 0x0f00;
	nlh->nlmsg_seq = ++n->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	cmd = pct(r, 85) ? 1 + below(r, 6) : rnd(r);
	g->cmd = cmd;
	g->version = pct(r, 90) ? 1 : rnd(r);
	g->reserved = pct(r, 95) ? 0 : rnd(r);
	*mutation = nlh->nlmsg_type == n->family &&
		    (cmd == ZCBLK_CMD_DEV_ADD || cmd == ZCBLK_CMD_DEV_DEL ||
		     cmd == ZCBLK_CMD_DEV_SET);
	/* DEL and SET only ever name a disk that does not exist. */
	if (cmd == ZCBLK_CMD_DEV_DEL || cmd == ZCBLK_CMD_DEV_SET)
		mnl_attr_put_u32(nlh, ZCBLK_A_DEV_INDEX,
				 60000 + below(r, 5536));
	nattr = below(r, 10);
	for (i = 0; i < nattr; i++) {
		char payload[128];
		__u16 type = pct(r, 75) ? 1 + below(r, 28) :
			     pct(r, 50) ? below(r, 64) : (__u16)rnd(r);
		int len;

		if ((type & NLA_TYPE_MASK) == ZCBLK_A_DEV_INDEX &&
		    (cmd == ZCBLK_CMD_DEV_DEL || cmd == ZCBLK_CMD_DEV_SET))
			continue;
		len = raw_payload(r, type, payload, sizeof(payload));
		if (pct(r, 10)) {	/* a nest of junk */
			struct nlattr *nest = mnl_attr_nest_start(nlh, type);
			int j, m = below(r, 4);

			for (j = 0; j < m; j++)
				mnl_attr_put(nlh, below(r, 20), len, payload);
			mnl_attr_nest_end(nlh, nest);
			continue;
		}
		mnl_attr_put(nlh, type, len, payload);
	}
	/* Sometimes a lie: the message ends inside its last attribute. */
	if (pct(r, 5) && nattr)
		nlh->nlmsg_len -= 1 + below(r, 3);
	snprintf(what, what_len,
		 "raw message type %u flags 0x%x cmd %u version %u, %d attributes, %u bytes",
		 nlh->nlmsg_type, nlh->nlmsg_flags, cmd, g->version, nattr,
		 nlh->nlmsg_len);
	if (mnl_socket_sendto(n->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	/* Answers until the ACK / error (or the end of a dump). */
	for (;;) {
		struct nlmsghdr *m;
		int len;

		ret = mnl_socket_recvfrom(n->nl, rbuf, sizeof(rbuf));
		if (ret < 0)
			return ret == -1 && errno == EAGAIN ? -ETIME : -errno;
		len = ret;
		for (m = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_seq != n->seq)
				continue;
			if (m->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = mnl_nlmsg_get_payload(m);

				err = e->error;
			} else if (m->nlmsg_type == NLMSG_DONE) {
				/* A dump ends here, with no ACK after it. */
				err = 0;
				if (mnl_nlmsg_get_payload_len(m) >= 4)
					memcpy(&err, mnl_nlmsg_get_payload(m),
					       4);
			}
		}
		if (err <= 0)
			return err;
	}
}

/* Deletes every disk the fuzzer did not make for I/O. */
static int sweep_cb(const struct zcblk_dev_info *info, void *arg)
{
	__u32 *list = arg;

	if (!is_protected(info->index) && list[0] < 63)
		list[1 + list[0]++] = info->index;
	return 0;
}

static void sweep(struct zcblk_ctx *ctx)
{
	__u32 list[64] = { 0 }, i;

	if (zcblk_dev_list(ctx, sweep_cb, list))
		return;
	for (i = 0; i < list[0]; i++)
		zcblk_dev_del(ctx, list[1 + i]);
}

/* Nobody: the 0666 node opened every way, then the same fuzzing. */
static int unpriv_main(const struct disk *dk, time_t deadline)
{
	static const int modes[3] = { O_RDONLY, O_WRONLY, O_RDWR };
	struct disk dks[3];
	struct ring plain, iopoll;
	struct zcblk_ctx *ctx = NULL;
	struct rawnl n = { 0 };
	struct arena a;
	struct rng r0;
	int fds[3], i, fd;

	proc_id = 1;
	signal(SIGALRM, hang_alarm);
	if (drop_privileges())
		return 2;
	if (arena_init(&a))
		return 3;
	r0 = iter_rng(~0UL);
	iov_area_init(&r0, &a);
	for (i = 0; i < 3; i++) {
		fds[i] = open(dk->d.chr, modes[i] | O_CLOEXEC);
		if (fds[i] < 0)
			return 4;
		dks[i] = *dk;
	}
	/* The block node stays root:disk 0660. */
	fd = open(dk->d.blk, O_RDONLY | O_CLOEXEC);
	check_nl(P_U_OPEN, fd < 0 ? -errno : 0, open_errnos, "open block node");
	if (fd >= 0) {
		violation("nobody opened %s", dk->d.blk);
		close(fd);
	}
	if (ring_init(&plain, &a, PT_RING_FLAGS, true, NULL, 0, P_U_URING) ||
	    ring_init(&iopoll, &a, PT_RING_FLAGS | IORING_SETUP_IOPOLL, false,
		      NULL, 0, P_U_URING))
		return 5;
	if (zcblk_ctx_open(&ctx) || rawnl_open(&n))
		return 6;

	for (cur_iter = 0; time(NULL) < deadline; cur_iter++) {
		struct rng r = iter_rng(cur_iter);
		int k = below(&r, 100), di = below(&r, 3), res;

		alarm(HANG_SECONDS);
		if (k < 35) {
			uring_batch(&r, &a, &plain, dks, fds, 3, pt_u_errnos);
		} else if (k < 45) {
			uring_batch(&r, &a, &iopoll, dks, fds, 3, pt_u_errnos);
		} else if (k < 85) {
			ioctl_one(&r, &a, fds[di], &dks[di], P_U_IOCTL,
				  pt_u_errnos);
		} else if (k < 92) {
			struct zcblk_dev_params p = { .size = sizeof(p) };
			struct zcblk_dev_settings s = { .size = sizeof(s) };
			struct zcblk_dev_stats st = { .size = sizeof(st) };
			struct zcblk_dev_info info = { .size = sizeof(info) };

			switch (below(&r, 5)) {
			case 0:
				p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE;
				snprintf(p.backend, sizeof(p.backend), "null");
				p.disk_size = PT_MiB;
				res = zcblk_dev_add(ctx, &p, NULL);
				if (!res)
					violation("nobody's DEV_ADD succeeded");
				break;
			case 1:
				res = zcblk_dev_del(ctx, dk->d.index);
				if (!res)
					violation("nobody's DEV_DEL succeeded");
				break;
			case 2:
				s.set = ZCBLK_SET_STALL;
				s.stall = 1;
				res = zcblk_dev_set(ctx, dk->d.index, &s, NULL);
				if (!res)
					violation("nobody's DEV_SET succeeded");
				break;
			case 3:
				res = zcblk_dev_stats(ctx, below(&r, 2) ?
						      dk->d.index : rnd(&r), &st);
				break;
			default:
				res = zcblk_dev_get(ctx, below(&r, 2) ?
						    dk->d.index : rnd(&r), &info);
			}
			check_nl(P_U_NL_LIB, res, nl_u_errnos, "libzcblk call");
		} else {
			char what[160];
			bool mutation;

			res = raw_one(&r, &n, &mutation, what, sizeof(what));
			if (mutation && !res)
				violation("nobody's %s succeeded", what);
			check_nl(P_U_NL_RAW, res, raw_u_errnos, what);
		}
		sh->iters[1] = cur_iter + 1;
	}
	alarm(0);
	ring_exit(&plain);
	ring_exit(&iopoll);
	zcblk_ctx_close(ctx);
	mnl_socket_close(n.nl);
	for (i = 0; i < 3; i++)
		close(fds[i]);
	return 0;
}

/* ------------------------------------------------ netlink, libzcblk */

static char backing_file[64];

static const char *gen_path(struct rng *r, const struct disk *dks, int nd)
{
	static char buf[6000];

	switch (below(r, 12)) {
	case 0 ... 3:
		return backing_file;
	case 4:
		return "/dev/null";
	case 5:
		return "/";
	case 6:
		return "/nonexistent/file";
	case 7:
		return "/proc/self/status";
	case 8:
		return dks[below(r, nd)].d.blk;		/* a zcblk disk */
	case 9:
		return "/dev/null/x";
	case 10:
		memset(buf, 'a', sizeof(buf) - 1);
		buf[0] = '/';
		buf[pct(r, 50) ? 4095 : 4096 + below(r, 1000)] = '\0';
		return buf;
	default:
		return "";
	}
}

static void nl_lib_one(struct rng *r, struct zcblk_ctx *ctx,
		       const struct disk *dks, int nd)
{
	struct zcblk_dev_params p = { .size = sizeof(p) };
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct zcblk_dev_settings s = { .size = sizeof(s) };
	static const char *const backends[] = {
		"null", "mem", "file", "", "nul", "MEM", "file ",
	};
	__u32 q, depth;
	int res;

	p.set = rnd(r) & ZCBLK_PARAM_ALL;
	if (pct(r, 70))
		p.set |= ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE;
	if (pct(r, 2))
		p.set |= 1ULL << (15 + below(r, 40));
	if (pct(r, 3))
		p.size = PICK(r, 0, 8, 71, ZCBLK_DEV_PARAMS_SIZE_VER1 - 1,
				    sizeof(p) + 8);
	p.index = pct(r, 60) ? 1000 + below(r, 1000) :
		  PICK(r, 65535, 65536, 0xffffffff, 0,
			     dks[below(r, nd)].d.index);
	if (pct(r, 95)) {
		snprintf(p.backend, sizeof(p.backend), "%s",
			 backends[pct(r, 80) ? below(r, 3) :
				  below(r, ARRAY_SIZE(backends))]);
	} else {
		memset(p.backend, 'x', sizeof(p.backend));
	}
	p.block_size = pct(r, 80) ? (pct(r, 50) ? 512 : 4096) :
		       PICK(r, 0, 1024, 513, 8192, (__u32)rnd(r));
	p.disk_size = pct(r, 70) ? (1 + below(r, 64)) * PT_MiB :
		      PICK(r, 0, 1, 511, 1ULL << 40, 1ULL << 62, ~0ULL,
				 rnd(r));
	/* Big tag sets cost memory: keep queues x depth within reason. */
	q = pct(r, 80) ? 1 + below(r, 4) : PICK(r, 0, 64, 65, (__u32)rnd(r));
	depth = pct(r, 80) ? 1 + below(r, 256) :
		PICK(r, 0, 4096, 4097, (__u32)rnd(r));
	p.nr_queues = q;
	p.queue_depth = depth;
	p.poll_queues = pct(r, 80) ? below(r, 3) : PICK(r, 64, 65,
				     (__u32)rnd(r));
	if ((__u64)(q <= 64 ? q : 1) * (depth <= 4096 ? depth : 1) +
	    (__u64)(p.poll_queues <= 64 ? p.poll_queues : 0) *
	    (depth <= 4096 ? depth : 1) > 8192)
		p.queue_depth = 32;
	p.node_uid = pct(r, 70) ? 0 : PICK(r, NOBODY, 0xffffffff,
					 (__u32)rnd(r));
	p.node_gid = pct(r, 70) ? 0 : PICK(r, NOBODY, 0xffffffff,
					 (__u32)rnd(r));
	p.node_mode = pct(r, 70) ? 0600 : PICK(r, 0, 0666, 0777, 01000,
					   (__u32)rnd(r));
	p.path = gen_path(r, dks, nd);
	if (pct(r, 2)) {
		p.path = NULL;
		p.set |= ZCBLK_PARAM_PATH;
	}
	p.flags = pct(r, 70) ? 0 : PICK(r, 1, 2, 3, 4,
				     (__u32)rnd(r));
	p.timeout_ms = pct(r, 60) ? 30000 : PICK(r, 0, 99, 100, 3600000,
					      3600001, (__u32)rnd(r));
	p.completion = pct(r, 60) ? 1 + below(r, 3) : PICK(r, 0, 4,
					   (__u32)rnd(r));
	p.completion_ns = pct(r, 60) ? below(r, 100000) :
			  PICK(r, 10000000000ULL, 10000000001ULL,
				     rnd(r));
	if (pct(r, 2))
		p.__reserved = 1;

	snprintf(sh->last[proc_id], sizeof(sh->last[0]),
		 "DEV_ADD set 0x%llx size %u index %u backend %.16s bs %u size %llu q %u depth %u poll %u flags 0x%x",
		 (unsigned long long)p.set, p.size, p.index, p.backend,
		 p.block_size, (unsigned long long)p.disk_size, p.nr_queues,
		 p.queue_depth, p.poll_queues, p.flags);
	res = zcblk_dev_add(ctx, &p, pct(r, 50) ? &info : NULL);
	check_nl(P_NL_LIB, res, nl_errnos, sh->last[proc_id]);
	if (res)
		return;
	/* It exists now: poke it, then delete it. */
	if (!(p.set & ZCBLK_PARAM_INDEX)) {
		sweep(ctx);
		return;
	}
	res = zcblk_dev_get(ctx, p.index, &info);
	check_nl(P_NL_LIB, res, nl_errnos, "DEV_GET of a new disk");
	s.set = rnd(r) & ZCBLK_SET_ALL;
	s.completion = below(r, 5);
	s.completion_ns = pct(r, 80) ? below(r, 100000) : rnd(r);
	s.latency_ns = pct(r, 80) ? below(r, 100000) : rnd(r);
	s.fail_every = below(r, 4);
	s.fail_ppm = pct(r, 80) ? 0 : below(r, 2000000);
	s.fail_status = pct(r, 80) ? 6 : rnd(r);
	s.fail_ops = below(r, 5);
	s.stall = below(r, 3);
	res = zcblk_dev_set(ctx, p.index, &s, pct(r, 50) ? &info : NULL);
	check_nl(P_NL_LIB, res, nl_errnos, "DEV_SET of a new disk");
	res = zcblk_dev_del(ctx, p.index);
	if (res)
		violation("DEV_DEL of new disk %u: %s", p.index,
			  pt_res_str(res));
	check_nl(P_NL_LIB, res, nl_errnos, "DEV_DEL of a new disk");
}

/* Bounded live settings on a disk under I/O (a stall lasts <= 100 ms). */
static void nl_set_one(struct rng *r, struct zcblk_ctx *ctx,
		       const struct disk *dk)
{
	struct zcblk_dev_settings s = { .size = sizeof(s) };
	int res;

	switch (below(r, 8)) {
	case 0:
		s.set = ZCBLK_SET_STALL;
		s.stall = 1;
		res = zcblk_dev_set(ctx, dk->d.index, &s, NULL);
		check_nl(P_NL_SET, res, nl_errnos, "DEV_SET stall on");
		pt_msleep(below(r, 100));
		s.stall = 0;
		res = zcblk_dev_set(ctx, dk->d.index, &s, NULL);
		check_nl(P_NL_SET, res, nl_errnos, "DEV_SET stall off");
		if (res)
			violation("could not unstall disk %u: %s", dk->d.index,
				  pt_res_str(res));
		return;
	case 1:
		s.set = ZCBLK_SET_LATENCY_NS;
		s.latency_ns = pct(r, 50) ? 0 : below(r, 2000000);
		break;
	case 2:
		s.set = ZCBLK_SET_COMPLETION | ZCBLK_SET_COMPLETION_NS;
		s.completion = 1 + below(r, 3);
		s.completion_ns = below(r, 2000000);
		break;
	case 3:
		s.set = ZCBLK_SET_FAIL_EVERY | ZCBLK_SET_FAIL_STATUS |
			ZCBLK_SET_FAIL_OPS;
		s.fail_every = pct(r, 30) ? 0 : 1 + below(r, 10);
		s.fail_status = pct(r, 50) ? 6 : 1 + below(r, 0x7fff);
		s.fail_ops = 1 + below(r, 3);
		break;
	case 4:
		s.set = ZCBLK_SET_FAIL_PPM;
		s.fail_ppm = pct(r, 30) ? 0 : below(r, 1000001);
		break;
	case 5:		/* out of range: refused, nothing changes */
		s.set = ZCBLK_SET_LATENCY_NS | ZCBLK_SET_FAIL_STATUS;
		s.latency_ns = 10000000001ULL;
		s.fail_status = 0x8000;
		break;
	case 6:		/* back to normal */
		s.set = ZCBLK_SET_ALL;
		s.completion = 1;
		s.fail_status = 6;
		s.fail_ops = 1;
		break;
	default:	/* a disk that is not there */
		res = zcblk_dev_set(ctx, 60000 + below(r, 5000),
				    &(struct zcblk_dev_settings){
					.size = sizeof(s),
					.set = ZCBLK_SET_LATENCY_NS }, NULL);
		check_nl(P_NL_SET, res, nl_errnos, "DEV_SET of no disk");
		return;
	}
	res = zcblk_dev_set(ctx, dk->d.index, &s, NULL);
	check_nl(P_NL_SET, res, nl_errnos, "DEV_SET");
}

static void settings_reset(struct zcblk_ctx *ctx, const struct disk *dks,
			   int nd)
{
	struct zcblk_dev_settings s = {
		.size = sizeof(s), .set = ZCBLK_SET_ALL, .completion = 1,
		.fail_status = 6, .fail_ops = 1,
	};
	int i;

	for (i = 0; i < nd; i++)
		zcblk_dev_set(ctx, dks[i].d.index, &s, NULL);
}

static void nl_main(struct zcblk_ctx *ctx, const struct disk *dks, int nd,
		    time_t deadline)
{
	struct rawnl n = { 0 };

	proc_id = 2;
	if (rawnl_open(&n)) {
		violation("cannot resolve the zcblk family");
		return;
	}
	for (cur_iter = 0; time(NULL) < deadline; cur_iter++) {
		struct rng r = iter_rng(cur_iter);
		int k = below(&r, 100), res;

		if (k < 35) {
			nl_lib_one(&r, ctx, dks, nd);
		} else if (k < 60) {
			nl_set_one(&r, ctx, &dks[below(&r, nd)]);
		} else if (k < 70) {
			struct zcblk_dev_stats st = { .size = sizeof(st) };

			res = zcblk_dev_stats(ctx, pct(&r, 50) ?
					      dks[below(&r, nd)].d.index :
					      (__u32)rnd(&r), &st);
			check_nl(P_NL_LIB, res, nl_errnos, "DEV_STATS");
		} else if (k < 75) {
			res = zcblk_dev_del(ctx, 60000 + below(&r, 5536));
			check_nl(P_NL_LIB, res, nl_errnos, "DEV_DEL of no disk");
		} else {
			bool mutation;

			res = raw_one(&r, &n, &mutation, sh->last[proc_id],
				      sizeof(sh->last[0]));
			check_nl(P_NL_RAW, res, raw_errnos, sh->last[proc_id]);
			if (mutation && !res)
				sweep(ctx);
		}
		sh->iters[2] = cur_iter + 1;
	}
	mnl_socket_close(n.nl);
}

/* ---------------------------------------------------------- the test */

FIXTURE(fuzz) {
	struct pt_env env;
};

FIXTURE_SETUP(fuzz)
{
	pt_env_setup(_metadata, &self->env);
}

FIXTURE_TEARDOWN_PARENT(fuzz)
{
	struct zcblk_ctx *ctx;
	int i;

	/* What the fuzzer made and left (the test sweeps it normally). */
	for (i = 0; i < self->env.n; i++)
		protected_idx[i] = self->env.idx[i];
	nprotected = self->env.n;
	if (!zcblk_ctx_open(&ctx)) {
		sweep(ctx);
		zcblk_ctx_close(ctx);
	}
	pt_env_teardown(_metadata, &self->env);
}

static int add_disk(struct __test_metadata *_metadata, struct pt_env *env,
		    const char *backend, __u32 bs, __u32 nrq, __u32 pollq,
		    __u32 mode, __u32 timeout_ms, struct disk *dk)
{
	struct zcblk_dev_params p = { .size = sizeof(p) };
	struct zcblk_dev_info info = { .size = sizeof(info) };
	int ret;

	p.set = ZCBLK_PARAM_BACKEND | ZCBLK_PARAM_SIZE |
		ZCBLK_PARAM_BLOCK_SIZE | ZCBLK_PARAM_NR_QUEUES |
		ZCBLK_PARAM_POLL_QUEUES | ZCBLK_PARAM_NODE_MODE |
		ZCBLK_PARAM_TIMEOUT_MS;
	snprintf(p.backend, sizeof(p.backend), "%s", backend);
	p.disk_size = DISK_SIZE;
	p.block_size = bs;
	p.nr_queues = nrq;
	p.poll_queues = pollq;
	p.node_mode = mode;
	p.timeout_ms = timeout_ms;
	ret = zcblk_dev_add(env->ctx, &p, &info);
	if (ret) {
		TH_LOG("zcblk_dev_add %s: %s: %s", backend, strerror(-ret),
		       zcblk_ctx_errmsg(env->ctx));
		return ret;
	}
	env->idx[env->n++] = info.index;
	memset(dk, 0, sizeof(*dk));
	dk->d.index = info.index;
	dk->d.bs = bs;
	dk->d.shift = __builtin_ctz(bs);
	dk->d.size = DISK_SIZE;
	dk->d.nlbas = DISK_SIZE / bs;
	dk->poll = pollq;
	snprintf(dk->d.blk, sizeof(dk->d.blk), "/dev/%s", info.disk_name);
	snprintf(dk->d.chr, sizeof(dk->d.chr), "/dev/%s", info.char_name);
	return pt_wait_node(dk->d.chr) ?: pt_wait_node(dk->d.blk);
}

static void print_hists(void)
{
	int p, i;

	for (p = 0; p < P_MAX; p++) {
		struct hist *h = &sh->h[p];
		unsigned long total = 0;
		char line[1024];
		size_t len = 0;

		if (!h->n)
			continue;
		for (i = 0; i < h->n; i++)
			total += h->cnt[i];
		for (i = 0; i < h->n && len < 900; i++)
			len += snprintf(line + len, sizeof(line) - len, "%s%s x%lu",
					i ? ", " : "", pt_res_str(h->res[i]),
					h->cnt[i]);
		ksft_print_msg("%s: %lu: %s\n", path_name[p], total, line);
	}
}

/* Waits for a fuzzer process; false (and why) if it crashed or failed. */
static bool reap(struct __test_metadata *_metadata, pid_t pid, int who)
{
	int status;

	if (waitpid(pid, &status, 0) != pid) {
		TH_LOG("waitpid %s: %s", proc_name[who], strerror(errno));
		return false;
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return true;
	if (WIFSIGNALED(status))
		TH_LOG("the %s fuzzer died of signal %d (%s) in iteration %lu; seed 0x%llx; last command: %s",
		       proc_name[who], WTERMSIG(status),
		       strsignal(WTERMSIG(status)), sh->iters[who],
		       (unsigned long long)seed, sh->last[who]);
	else
		TH_LOG("the %s fuzzer exited with %d (99: a hang) after %lu iterations; seed 0x%llx",
		       proc_name[who], WEXITSTATUS(status), sh->iters[who],
		       (unsigned long long)seed);
	return false;
}

TEST_F_TIMEOUT(fuzz, random_input, 7200)
{
	const char *s = getenv("ZCBLK_FUZZ_SECONDS");
	int secs = s && atoi(s) > 0 ? atoi(s) : 60;
	struct disk dks[3];
	time_t deadline;
	pid_t ppt, pu;
	int i, fd, nviol;
	bool ok;

	s = getenv("ZCBLK_FUZZ_SEED");
	seed = s ? strtoull(s, NULL, 0) : pt_seed;
	ksft_print_msg("seed 0x%llx (ZCBLK_FUZZ_SEED=0x%llx replays it), %d s\n",
		       (unsigned long long)seed, (unsigned long long)seed, secs);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);

	ASSERT_EQ(0, add_disk(_metadata, &self->env, "mem", 512, 2, 0, 0666,
			      30000, &dks[0]));
	ASSERT_EQ(0, add_disk(_metadata, &self->env, "null", 4096, 1, 1, 0600,
			      30000, &dks[1]));
	ASSERT_EQ(0, add_disk(_metadata, &self->env, "mem", 4096, 1, 1, 0600,
			      1000, &dks[2]));
	for (i = 0; i < 3; i++)
		protected_idx[nprotected++] = dks[i].d.index;
	snprintf(backing_file, sizeof(backing_file),
		 "/tmp/zcblk-fuzz.XXXXXX");
	fd = mkstemp(backing_file);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, PT_MiB));
	close(fd);

	deadline = time(NULL) + secs;
	ppt = fork();
	ASSERT_LE(0, ppt);
	if (!ppt)
		_exit(pt_main(dks, 3, deadline));
	pu = fork();
	ASSERT_LE(0, pu);
	if (!pu)
		_exit(unpriv_main(&dks[0], deadline));

	nl_main(self->env.ctx, dks, 3, deadline);
	settings_reset(self->env.ctx, dks, 3);
	ok = reap(_metadata, ppt, 0);
	ok &= reap(_metadata, pu, 1);
	settings_reset(self->env.ctx, dks, 3);
	sweep(self->env.ctx);
	unlink(backing_file);

	print_hists();
	ksft_print_msg("iterations: pt %lu, unpriv %lu, netlink %lu; seed 0x%llx\n",
		       sh->iters[0], sh->iters[1], sh->iters[2],
		       (unsigned long long)seed);
	nviol = atomic_load(&sh->nviol);
	for (i = 0; i < sh->nkinds; i++)
		TH_LOG("%lu x %s%s%s", sh->viol[i].count,
		       sh->viol[i].path == V_OTHER ? "" :
		       path_name[sh->viol[i].path],
		       sh->viol[i].path == V_OTHER ? "" : ": ",
		       sh->viol[i].path == V_OTHER ? sh->viol[i].first :
		       pt_res_str(sh->viol[i].res));
	for (i = 0; i < sh->nkinds; i++)
		TH_LOG("first of kind %d (%s): %s", i + 1, sh->viol[i].where,
		       sh->viol[i].first);
	EXPECT_TRUE(ok);
	EXPECT_EQ(0, nviol) {
		TH_LOG("%d unexpected results; seed 0x%llx", nviol,
		       (unsigned long long)seed);
	}
	/* It ran. */
	EXPECT_LT(0, sh->iters[0]);
	EXPECT_LT(0, sh->iters[1]);
	EXPECT_LT(0, sh->iters[2]);
}

TEST_HARNESS_MAIN
