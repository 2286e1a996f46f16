/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pt_longbuf's state and helpers: a test's disk, buffers laid out for each
 * way of submitting a command (uring_cmd plain, vectored, registered; the
 * ioctls), guard bytes around them, and the exact pins a command's bytes
 * must cost. Included by pt_longbuf.c only, after pt_common.h.
 */
#ifndef PT_LONGBUF_H
#define PT_LONGBUF_H

#define DISK_SIZE	(8 * PT_MiB)
#define ARENA_SIZE	(4 * PT_MiB)
#define FIXED_SIZE	(1 * PT_MiB)
#define GUARD		0xee
#define MARGIN		64
#define SLOT		32		/* blocks of disk per command */
#define AFTER		8		/* blocks checked after a Write */
#define TAG_DECOY	0xdec0

enum mode { M_URING, M_VEC, M_FIXED, M_IO_CMD, M_IO64_CMD, M_IO64_VEC, M_NR };

static const char *const mode_name[] = {
	[M_URING] = "uring_cmd IO", [M_VEC] = "uring_cmd IO_VEC",
	[M_FIXED] = "uring_cmd IO FIXED", [M_IO_CMD] = "NVME_IOCTL_IO_CMD",
	[M_IO64_CMD] = "NVME_IOCTL_IO64_CMD",
	[M_IO64_VEC] = "NVME_IOCTL_IO64_CMD_VEC",
};

/* One test's state (test process only). */
struct lb {
	struct pt_env *env;
	struct pt_disk *d;
	__u32 bs;
	int cfd, bfd;
	struct pt_q q;		/* FIXED_SIZE of t->fixed registered as 0 */
	char *arena;		/* plain and vectored buffers */
	char *fixed;
	char *data;		/* a command's logical buffer */
	char *blk;		/* block device side */
	__u32 tag;
	struct zcblk_dev_stats st;	/* counters after the last check */
	long long dbg;			/* debugfs "pinned" then */
};

/* The disk's debugfs pin counter; -1 if missing, which fails. */
static long long dbg_pinned(const struct lb *t)
{
	return pt_debugfs_disk_value(t->d->index, "pinned");
}

static void lb_init(struct __test_metadata *_metadata, struct lb *t,
		    struct pt_env *env, struct pt_disk *d)
{
	struct iovec reg;
	int ret;

	memset(t, 0, sizeof(*t));
	t->env = env;
	t->d = d;
	t->bs = d->bs;
	pt_open(_metadata, d, &t->cfd, &t->bfd);
	ret = pt_q_init(&t->q, t->cfd, 8, PT_RING_FLAGS);
	ASSERT_EQ(0, ret);
	t->arena = pt_map(ARENA_SIZE);
	t->fixed = pt_map(FIXED_SIZE);
	t->data = pt_map(ARENA_SIZE);
	t->blk = pt_map(ARENA_SIZE);
	ASSERT_TRUE(t->arena && t->fixed && t->data && t->blk);
	reg.iov_base = t->fixed;
	reg.iov_len = FIXED_SIZE;
	ASSERT_EQ(0, io_uring_register_buffers(&t->q.ring, &reg, 1));
	ASSERT_EQ(0, pt_stats(env->ctx, d->index, &t->st));
	t->dbg = dbg_pinned(t);
	/* The VM always mounts debugfs; zcblk always makes the file. */
	ASSERT_LE(0, t->dbg) {
		TH_LOG("no debugfs zcblk/%u/pins", d->index);
	}
}

static void lb_fini(struct lb *t)
{
	pt_q_exit(&t->q);
	close(t->cfd);
	close(t->bfd);
	munmap(t->arena, ARENA_SIZE);
	munmap(t->fixed, FIXED_SIZE);
	munmap(t->data, ARENA_SIZE);
	munmap(t->blk, ARENA_SIZE);
}

/*
 * Since the last check: zcblk pinned exactly @pins pages and counted
 * @fixed registered-buffer bytes, and holds no pin now.
 */
static void expect_pins(struct __test_metadata *_metadata, struct lb *t,
			__u64 pins, __u64 fixed, const char *what)
{
	struct zcblk_dev_stats s;
	long long dbg;

	ASSERT_EQ(0, pt_stats_idle(t->env->ctx, t->d->index, &s));
	EXPECT_EQ(pins, s.pinned_pages - t->st.pinned_pages) {
		TH_LOG("%s: %llu pages pinned, expected %llu (the pages of the command's bytes only)",
		       what,
		       (unsigned long long)(s.pinned_pages - t->st.pinned_pages),
		       (unsigned long long)pins);
	}
	EXPECT_EQ(fixed, s.fixed_bytes - t->st.fixed_bytes) {
		TH_LOG("%s: %llu registered-buffer bytes counted, expected %llu",
		       what,
		       (unsigned long long)(s.fixed_bytes - t->st.fixed_bytes),
		       (unsigned long long)fixed);
	}
	EXPECT_EQ(0, s.pinned_current);
	EXPECT_EQ(s.pinned_pages, s.unpinned_pages);
	dbg = dbg_pinned(t);
	ASSERT_LE(0, dbg) {
		TH_LOG("%s: no debugfs zcblk/%u/pins", what, t->d->index);
	}
	EXPECT_EQ((long long)pins, dbg - t->dbg) {
		TH_LOG("%s: debugfs zcblk/%u/pins says %lld pages pinned, expected %llu",
		       what, t->d->index, dbg - t->dbg,
		       (unsigned long long)pins);
	}
	t->st = s;
	t->dbg = dbg;
}

/* Block device I/O of [slba, slba + nb) through t->blk. */
static void blk_io(struct __test_metadata *_metadata, struct lb *t,
		   bool write, __u64 slba, __u32 nb)
{
	int ret = pt_blk_rw(t->bfd, write, t->blk, slba * t->bs,
			    (size_t)nb * t->bs);

	ASSERT_EQ(0, ret) {
		TH_LOG("%s LBA %llu + %u on %s: %s", write ? "write" : "read",
		       (unsigned long long)slba, nb, t->d->blk,
		       strerror(-ret));
	}
}

/*
 * Lays out @need + @extra bytes for @m, starting @off into a page. The
 * vectored layout: half the command's bytes, then an iovec with the
 * other half and half the extra, then one of extra bytes only.
 */
static int layout(struct lb *t, enum mode m, size_t need, size_t extra,
		  size_t off, struct iovec *iov)
{
	if (m == M_FIXED) {
		iov[0].iov_base = t->fixed + PT_PAGE + off;
		iov[0].iov_len = need + extra;
		return 1;
	}
	if (m == M_VEC || m == M_IO64_VEC) {
		iov[0].iov_base = t->arena + PT_PAGE + off;
		iov[0].iov_len = need / 2;
		iov[1].iov_base = t->arena + PT_MiB + 7;
		iov[1].iov_len = need - need / 2 + extra / 2;
		iov[2].iov_base = t->arena + 2 * PT_MiB + 3;
		iov[2].iov_len = extra - extra / 2;
		return 3;
	}
	iov[0].iov_base = t->arena + PT_PAGE + off;
	iov[0].iov_len = need + extra;
	return 1;
}

/* The pages of the first @need bytes of the segments: what zcblk pins. */
static __u64 want_pins(const struct iovec *iov, int n, size_t need)
{
	__u64 pins = 0;
	int i;

	for (i = 0; i < n && need; i++) {
		size_t used = iov[i].iov_len < need ? iov[i].iov_len : need;

		pins += pt_pages(iov[i].iov_base, used);
		need -= used;
	}
	return pins;
}

/* Copies @len bytes between @buf and the segments, in order. */
static void copy_segs(const struct iovec *iov, int n, char *buf, size_t len,
		      bool to_segs)
{
	int i;

	for (i = 0; i < n && len; i++) {
		size_t k = iov[i].iov_len < len ? iov[i].iov_len : len;

		memcpy(to_segs ? iov[i].iov_base : buf,
		       to_segs ? buf : iov[i].iov_base, k);
		buf += k;
		len -= k;
	}
}

static void guard_segs(const struct iovec *iov, int n)
{
	int i;

	for (i = 0; i < n; i++)
		memset((char *)iov[i].iov_base - MARGIN, GUARD,
		       iov[i].iov_len + 2 * MARGIN);
}

/*
 * After a Read of @need bytes: every byte of the segments past the
 * command's bytes, and the margins around them, still GUARD.
 */
static bool guard_kept(struct __test_metadata *_metadata,
		       const struct iovec *iov, int n, size_t need,
		       const char *what)
{
	int i;

	for (i = 0; i < n; i++) {
		const char *b = iov[i].iov_base;
		size_t used = iov[i].iov_len < need ? iov[i].iov_len : need;
		size_t k;

		need -= used;
		if (!pt_all_bytes(b - MARGIN, MARGIN, GUARD)) {
			TH_LOG("%s: the margin before iovec %d was written",
			       what, i);
			return false;
		}
		for (k = used; k < iov[i].iov_len + MARGIN; k++) {
			if ((unsigned char)b[k] != GUARD) {
				TH_LOG("%s: byte %zu of iovec %d (of %zu, %zu of them the command's) was written: 0x%02x",
				       what, k, i, iov[i].iov_len, used,
				       (unsigned char)b[k]);
				return false;
			}
		}
	}
	return true;
}

/* Sends @c for @m; vectored modes get the iovecs. */
static int issue(struct lb *t, enum mode m, struct nvme_uring_cmd c,
		 const struct iovec *iov, int n)
{
	if (m == M_VEC || m == M_IO64_VEC) {
		c.addr = (uintptr_t)iov;
		c.data_len = n;
	}
	switch (m) {
	case M_URING:
		return pt_q_cmd(&t->q, NVME_URING_CMD_IO, &c, -1, NULL);
	case M_VEC:
		return pt_q_cmd(&t->q, NVME_URING_CMD_IO_VEC, &c, -1, NULL);
	case M_FIXED:
		return pt_q_cmd(&t->q, NVME_URING_CMD_IO, &c, 0, NULL);
	case M_IO_CMD:
		return pt_passthru(t->cfd, NVME_IOCTL_IO_CMD, &c, NULL);
	case M_IO64_CMD:
		return pt_passthru(t->cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
	case M_IO64_VEC:
		return pt_passthru(t->cfd, NVME_IOCTL_IO64_CMD_VEC, &c, NULL);
	default:
		return PT_EHARNESS;
	}
}

/* Commands and their buffers: nblocks 0 means 4 KiB of blocks. */
static const struct lcase {
	__u32 nblocks;
	__u32 extra;		/* bytes past the command's */
	__u32 off;		/* where the buffer starts in its page */
	const char *name;
} cases[] = {
	{ 0, 60 * 1024, 0, "4 KiB in a 64 KiB buffer, page aligned" },
	{ 1, 1, 101, "1 block, buffer 1 byte longer" },
	{ 3, 0, PT_PAGE - 100, "3 blocks, buffer 5 blocks + 17 bytes longer" },
	{ 1, 0, 0, "1 block in a 512 KiB buffer (the maximum)" },
};

static void case_sizes(const struct lb *t, const struct lcase *lc,
		       __u32 *nb, size_t *need, size_t *extra)
{
	*nb = lc->nblocks ? lc->nblocks : PT_PAGE / t->bs;
	*need = (size_t)*nb * t->bs;
	*extra = lc->extra;
	if (lc->nblocks == 3)
		*extra = 5 * t->bs + 17;
	if (!lc->extra && lc->nblocks == 1)
		*extra = PT_MAX_TRANSFER - *need;
}

#endif /* PT_LONGBUF_H */
