/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz_passthru: how its commands reach zcblk. Every ioctl of the char
 * device, with good and bad argument pointers; io_uring rings (plain,
 * IOPOLL, SQPOLL with a thread rewriting the SQEs under the kernel,
 * without SQE128 or CQE32) and batches of uring_cmds on them, under an
 * alarm that names the last command if a batch hangs.
 * Included by fuzz_passthru.c only.
 */
#ifndef ZCBLK_SELFTEST_FUZZ_IO_H
#define ZCBLK_SELFTEST_FUZZ_IO_H

#include "fuzz.h"

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
	bool rand_sqe_flags;	/* ASYNC and links at random */
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

/* The batch in progress, for hang_alarm(). */
static int batch_ring_fd = -1;
static int batch_n;
static char batch_desc[BATCH_MAX][300];

static void ring_exit(struct ring *q)
{
	if (q->up && batch_ring_fd == q->ring.ring_fd)
		batch_ring_fd = -1;
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
			c->opcode = pct(&r, 50) ? io_ops[below(&r, ARRAY_SIZE(io_ops))] : rnd(&r);
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
	char msg[1024];
	int n, i, fd;

	(void)sig;
	n = snprintf(msg, sizeof(msg),
		     "# fuzz_passthru: %s hung for %d s in iteration %lu (seed 0x%llx); last: %s\n",
		     proc_name[proc_id], HANG_SECONDS, cur_iter,
		     (unsigned long long)seed, sh->last[proc_id]);
	if (write(2, msg, n) < 0)
		_exit(99);
	for (i = 0; batch_ring_fd >= 0 && i < batch_n; i++) {
		n = snprintf(msg, sizeof(msg), "#   %d: %s\n", i,
			     batch_desc[i]);
		if (write(2, msg, n) < 0)
			_exit(99);
	}
	/* The ring's own account of what it holds. */
	snprintf(msg, sizeof(msg), "/proc/self/fdinfo/%d", batch_ring_fd);
	fd = batch_ring_fd >= 0 ? open(msg, O_RDONLY) : -1;
	while (fd >= 0 && (n = read(fd, msg, sizeof(msg))) > 0)
		if (write(2, msg, n) < 0)
			break;
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
	char (*desc)[300] = batch_desc;	/* hang_alarm() prints them */
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
		/*
		 * No IOSQE_IO_DRAIN: on 6.1 and 6.12, io_uring never
		 * completes some batches that drain around failed links,
		 * for the NVMe driver's /dev/ng0n1 as for zcblk (testing.rst).
		 */
		if (q->rand_sqe_flags)
			sqe->flags |= PICK(r, 0, 0, IOSQE_ASYNC, IOSQE_IO_LINK,
					   IOSQE_IO_HARDLINK,
					   IOSQE_ASYNC | IOSQE_IO_LINK,
					   IOSQE_ASYNC | IOSQE_IO_HARDLINK);
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
			 " cmd_op 0x%x fixed %d sqe_flags 0x%x", op, bi,
			 sqe->flags);
	}
	if (!n)
		return;
	batch_n = n;
	batch_ring_fd = q->ring.ring_fd;
	snprintf(sh->last[proc_id], sizeof(sh->last[0]),
		 "%s (setup flags 0x%x), %d commands, the first: %.300s",
		 path_name[q->path], q->flags, n, desc[0]);
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

/*
 * A ring made for one or two batches with random setup flags (io_uring
 * refuses some mixes: then nothing is sent), and random SQE flags.
 */
static void rand_ring_batches(struct rng *r, struct arena *a,
			      const struct disk *dks, const int *fds, int nd)
{
	static const unsigned int pool[] = {
		IORING_SETUP_IOPOLL, IORING_SETUP_SQPOLL, IORING_SETUP_CLAMP,
		IORING_SETUP_COOP_TASKRUN, IORING_SETUP_TASKRUN_FLAG,
		IORING_SETUP_SINGLE_ISSUER, IORING_SETUP_DEFER_TASKRUN,
	};
	unsigned int flags = 0, i;
	struct ring q;

	if (pct(r, 90))
		flags |= IORING_SETUP_SQE128;
	if (pct(r, 90))
		flags |= IORING_SETUP_CQE32;
	for (i = 0; i < ARRAY_SIZE(pool); i++)
		if (pct(r, 25))
			flags |= pool[i];
	if ((flags & IORING_SETUP_DEFER_TASKRUN) && pct(r, 80))
		flags |= IORING_SETUP_SINGLE_ISSUER;
	if (ring_init(&q, a, flags, pct(r, 50), NULL, 0, P_URING_RAND)) {
		ring_exit(&q);
		return;
	}
	q.rand_sqe_flags = true;
	for (i = 1 + below(r, 2); i; i--)
		uring_batch(r, a, &q, dks, fds, nd, pt_link_errnos);
	ring_exit(&q);
}

#endif /* ZCBLK_SELFTEST_FUZZ_IO_H */
