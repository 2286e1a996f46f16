// SPDX-License-Identifier: GPL-2.0
/*
 * Buffers longer than the command needs (Documentation/passthrough.rst,
 * "Errors"). A Read, Write or Compare's buffer (data_len, or the sum of
 * the iovecs) must be at least (nlb + 1) << lba_shift; a longer one is
 * normal (nvme-cli rounds -z up, applications reuse one big buffer) and
 * the device moves only the command's bytes: the rest of the buffer is
 * never read, written or pinned. The same for Identify (4096 bytes),
 * Get Log Page (NUMD), DSM (16 bytes a range); Flush and Write Zeroes
 * move no data and ignore a buffer given. (Shorter buffers and buffers
 * above the maximum transfer are refused: pt_badinput.c.)
 *
 * Through uring_cmd (plain, vectored, registered buffer) and the ioctls
 * (IO_CMD, IO64_CMD, IO64_CMD_VEC; the admin ioctls for admin commands):
 *  - a Read fills exactly the command's bytes with the disk's data; the
 *    rest of the buffer, and a margin around it, keeps its guard;
 *  - a Write writes exactly nlb blocks (the blocks around keep their old
 *    pattern, read through the block device) though the buffer goes on
 *    with other data, and a Compare of that buffer matches;
 *  - the rest of the buffer need not even be memory;
 *  - Identify into 8192 bytes writes the 4096 of a 4096-byte Identify,
 *    Get Log Page NUMD bytes; DSM deallocates only its ranges; Flush and
 *    Write Zeroes with a buffer succeed and pin nothing;
 *  - after each command zcblk pinned exactly the pages of the command's
 *    bytes (DEV_STATS, and the per-disk debugfs pins file), counted
 *    exactly those bytes of a registered buffer, and holds no pin.
 * Variants: mem disks with 512- and 4096-byte blocks.
 */
#include "pt_common.h"
#include "pt_longbuf.h"

FIXTURE(lb) {
	struct pt_env env;
	struct pt_disk d;
};

FIXTURE_VARIANT(lb) {
	__u32 bs;
};

FIXTURE_VARIANT_ADD(lb, bs512) {
	.bs = 512,
};

FIXTURE_VARIANT_ADD(lb, bs4096) {
	.bs = 4096,
};

FIXTURE_SETUP(lb)
{
	struct pt_disk_cfg cfg = { .size = DISK_SIZE, .bs = variant->bs };

	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
}

FIXTURE_TEARDOWN_PARENT(lb)
{
	pt_env_teardown(_metadata, &self->env);
}

TEST_F_TIMEOUT(lb, read_longer, 240)
{
	struct iovec iov[3];
	char what[160];
	struct lb t;
	size_t need, extra, c;
	__u32 nb;
	int m, n, res;

	lb_init(_metadata, &t, &self->env, &self->d);
	for (m = 0; m < M_NR; m++) {
		for (c = 0; c < ARRAY_SIZE(cases); c++) {
			__u64 slba = (m * ARRAY_SIZE(cases) + c) * SLOT + 1;

			case_sizes(&t, &cases[c], &nb, &need, &extra);
			snprintf(what, sizeof(what), "%s: Read, %s",
				 mode_name[m], cases[c].name);
			pt_fill(t.blk, t.bs, slba, nb, ++t.tag);
			blk_io(_metadata, &t, true, slba, nb);

			n = layout(&t, m, need, extra, cases[c].off, iov);
			guard_segs(iov, n);
			res = issue(&t, m, pt_rw(PT_OP_READ, slba, nb,
						 iov[0].iov_base,
						 need + extra), iov, n);
			EXPECT_EQ(0, res) {
				TH_LOG("%s: %s", what, pt_res_str(res));
			}
			if (res)
				continue;
			copy_segs(iov, n, t.data, need, false);
			EXPECT_TRUE(pt_verify(_metadata, t.data, t.bs, slba,
					      nb, t.tag, what));
			EXPECT_TRUE(guard_kept(_metadata, iov, n, need, what));
			expect_pins(_metadata, &t,
				    m == M_FIXED ? 0 : want_pins(iov, n, need),
				    m == M_FIXED ? need : 0, what);
		}
	}
	lb_fini(&t);
}

TEST_F_TIMEOUT(lb, write_longer, 240)
{
	struct iovec iov[3];
	char what[160];
	struct lb t;
	size_t need, extra, c;
	__u32 nb, old, new;
	int m, n, res;

	lb_init(_metadata, &t, &self->env, &self->d);
	for (m = 0; m < M_NR; m++) {
		for (c = 0; c < ARRAY_SIZE(cases); c++) {
			__u64 slba = (m * ARRAY_SIZE(cases) + c) * SLOT + 1;
			__u64 pins;

			case_sizes(&t, &cases[c], &nb, &need, &extra);
			snprintf(what, sizeof(what), "%s: Write, %s",
				 mode_name[m], cases[c].name);
			/* Old data on the range and the blocks around it */
			old = ++t.tag;
			pt_fill(t.blk, t.bs, slba - 1, nb + 1 + AFTER, old);
			blk_io(_metadata, &t, true, slba - 1, nb + 1 + AFTER);

			/* The command's blocks, then more that must not land */
			new = ++t.tag;
			pt_fill(t.data, t.bs, slba, nb, new);
			pt_fill(t.data + need, t.bs, slba + nb,
				(extra + t.bs - 1) / t.bs, TAG_DECOY);
			n = layout(&t, m, need, extra, cases[c].off, iov);
			guard_segs(iov, n);
			copy_segs(iov, n, t.data, need + extra, true);
			res = issue(&t, m, pt_rw(PT_OP_WRITE, slba, nb,
						 iov[0].iov_base,
						 need + extra), iov, n);
			EXPECT_EQ(0, res) {
				TH_LOG("%s: %s", what, pt_res_str(res));
			}
			if (res)
				continue;
			/* ... and a Compare of the same buffer matches */
			res = issue(&t, m, pt_rw(PT_OP_COMPARE, slba, nb,
						 iov[0].iov_base,
						 need + extra), iov, n);
			EXPECT_EQ(0, res) {
				TH_LOG("%s: Compare of the same buffer: %s",
				       what, pt_res_str(res));
			}
			pins = m == M_FIXED ? 0 : want_pins(iov, n, need);
			expect_pins(_metadata, &t, 2 * pins,
				    m == M_FIXED ? 2 * need : 0, what);

			blk_io(_metadata, &t, false, slba - 1, nb + 1 + AFTER);
			EXPECT_TRUE(pt_verify(_metadata, t.blk, t.bs, slba - 1,
					      1, old, "the block before"));
			EXPECT_TRUE(pt_verify(_metadata, t.blk + t.bs, t.bs,
					      slba, nb, new, what));
			EXPECT_TRUE(pt_verify(_metadata,
					      t.blk + (size_t)(nb + 1) * t.bs,
					      t.bs, slba + nb, AFTER, old,
					      "the blocks after the range"));
		}
	}
	lb_fini(&t);
}

/*
 * What lies past the command's bytes is never touched, so it need not
 * be memory at all: a plain buffer whose tail is PROT_NONE, a last
 * iovec in PROT_NONE memory, a registered-buffer command whose data_len
 * runs past the registered buffer. A Read and a Write of 4 KiB each.
 */
TEST_F(lb, tail_not_memory)
{
	const size_t need = PT_PAGE, len = 16 * PT_PAGE;
	const __u32 nb = PT_PAGE / self->d.bs;
	__u32 old = 0, new = 0;
	struct iovec iov[2];
	char what[128], *mem;
	struct lb t;
	int m, n, op, res;

	lb_init(_metadata, &t, &self->env, &self->d);
	mem = pt_map(len);
	ASSERT_NE(NULL, mem);
	ASSERT_EQ(0, mprotect(mem + PT_PAGE, len - PT_PAGE, PROT_NONE));
	for (m = 0; m < M_NR; m++) {
		__u64 slba = m * SLOT + 1;

		n = 1;
		iov[0].iov_base = mem;
		iov[0].iov_len = len;
		if (m == M_VEC || m == M_IO64_VEC) {
			iov[0].iov_len = need;
			iov[1].iov_base = mem + PT_PAGE;
			iov[1].iov_len = 2 * PT_PAGE;
			n = 2;
		} else if (m == M_FIXED) {
			iov[0].iov_base = t.fixed + FIXED_SIZE - need;
			iov[0].iov_len = need + 64 * PT_KiB;
		}
		for (op = 0; op < 2; op++) {
			snprintf(what, sizeof(what),
				 "%s: %s, buffer past the command not memory",
				 mode_name[m], op ? "Write" : "Read");
			if (!op) {
				new = ++t.tag;
				pt_fill(t.blk, t.bs, slba, nb, new);
				blk_io(_metadata, &t, true, slba, nb);
				memset(iov[0].iov_base, GUARD, need);
			} else {
				old = ++t.tag;
				pt_fill(t.blk, t.bs, slba, nb + 1, old);
				blk_io(_metadata, &t, true, slba, nb + 1);
				new = ++t.tag;
				pt_fill(iov[0].iov_base, t.bs, slba, nb, new);
			}
			res = issue(&t, m, pt_rw(op ? PT_OP_WRITE : PT_OP_READ,
						 slba, nb, iov[0].iov_base,
						 iov[0].iov_len), iov, n);
			EXPECT_EQ(0, res) {
				TH_LOG("%s: %s", what, pt_res_str(res));
			}
			if (res)
				continue;
			expect_pins(_metadata, &t, m == M_FIXED ? 0 : 1,
				    m == M_FIXED ? need : 0, what);
			if (!op) {
				EXPECT_TRUE(pt_verify(_metadata,
						      iov[0].iov_base, t.bs,
						      slba, nb, new, what));
				continue;
			}
			blk_io(_metadata, &t, false, slba, nb + 1);
			EXPECT_TRUE(pt_verify(_metadata, t.blk, t.bs, slba, nb,
					      new, what));
			EXPECT_TRUE(pt_verify(_metadata, t.blk + need, t.bs,
					      slba + nb, 1, old,
					      "the block after the Write"));
		}
	}
	munmap(mem, len);
	lb_fini(&t);
}

/*
 * Admin command @c (data_len @len at @buf, @bytes of them the command's)
 * through both admin ioctls: each writes what @ref holds into the first
 * @bytes and leaves the rest of the buffer, and the margins, GUARD.
 */
static void admin_longer(struct __test_metadata *_metadata, struct lb *t,
			 struct nvme_uring_cmd c, char *buf, size_t len,
			 const char *ref, size_t bytes, const char *what)
{
	static const unsigned long reqs[] = {
		NVME_IOCTL_ADMIN_CMD, NVME_IOCTL_ADMIN64_CMD,
	};
	struct iovec seg = { buf, len };
	char w[160];
	size_t i;
	int res;

	c.addr = (uintptr_t)buf;
	c.data_len = len;
	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		snprintf(w, sizeof(w), "%s, %s, data_len %zu", what,
			 i ? "NVME_IOCTL_ADMIN64_CMD" : "NVME_IOCTL_ADMIN_CMD",
			 len);
		guard_segs(&seg, 1);
		res = pt_passthru(t->cfd, reqs[i], &c, NULL);
		EXPECT_EQ(0, res) {
			TH_LOG("%s: %s", w, pt_res_str(res));
		}
		if (res)
			continue;
		EXPECT_EQ(0, memcmp(buf, ref, bytes)) {
			TH_LOG("%s: the first %zu bytes differ from those of an exact-length command",
			       w, bytes);
		}
		EXPECT_TRUE(guard_kept(_metadata, &seg, 1, bytes, w));
		expect_pins(_metadata, t, pt_pages(buf, bytes), 0, w);
	}
}

TEST_F(lb, admin_longer)
{
	static const struct {
		__u32 nsid;
		__u8 cns;
		const char *name;
	} ids[] = {
		{ PT_NSID, 0, "Identify Namespace" },
		{ 0, 1, "Identify Controller" },
		{ 0, 2, "Active Namespace ID list" },
	};
	char *ref, *buf;
	struct nvme_uring_cmd c;
	struct lb t;
	size_t i;
	int res;

	lb_init(_metadata, &t, &self->env, &self->d);
	ref = t.data;
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		c = pt_identify(ids[i].nsid, ids[i].cns, 0, ref);
		res = pt_passthru(t.cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL);
		ASSERT_EQ(0, res);
		expect_pins(_metadata, &t, 1, 0, "Identify, 4096 bytes");
		/* 8192 bytes, page aligned; then from an odd offset */
		buf = t.arena + PT_PAGE;
		admin_longer(_metadata, &t, c, buf, 8192, ref, 4096,
			     ids[i].name);
		admin_longer(_metadata, &t, c, buf + 100, 4096 + 1, ref, 4096,
			     ids[i].name);
	}

	/* SMART / Health: NUMD 512 bytes; the Error log: 64 */
	c = pt_get_log(0xffffffff, 0x02, ref, 512);
	ASSERT_EQ(0, pt_passthru(t.cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	expect_pins(_metadata, &t, 1, 0, "SMART log, 512 bytes");
	admin_longer(_metadata, &t, c, t.arena + PT_PAGE, 4096, ref, 512,
		     "SMART log");
	c = pt_get_log(0xffffffff, 0x01, ref, 64);
	memset(ref, 0, 64);	/* no error recorded: zeros */
	admin_longer(_metadata, &t, c, t.arena + 2 * PT_PAGE - 32, 8192, ref,
		     64, "Error log");
	lb_fini(&t);
}

/*
 * Blocks @x .. @x + 7 after a deallocation or Write Zeroes of @x + 2 and
 * @x + 3 over write @old: zeros there, @old elsewhere.
 */
static void expect_zeroed(struct __test_metadata *_metadata, struct lb *t,
			  __u64 x, __u32 old, const char *what)
{
	blk_io(_metadata, t, false, x, 8);
	EXPECT_TRUE(pt_verify(_metadata, t->blk, t->bs, x, 2, old,
			      "the blocks before"));
	EXPECT_TRUE(pt_all_bytes(t->blk + 2 * t->bs, 2 * t->bs, 0)) {
		TH_LOG("%s: the range is not zero", what);
	}
	EXPECT_TRUE(pt_verify(_metadata, t->blk + 4 * t->bs, t->bs, x + 4, 4,
			      old, "the blocks after"));
}

/* The three ways an I/O command without iovecs reaches zcblk. */
static const enum mode io_modes[] = { M_URING, M_IO_CMD, M_IO64_CMD };

/*
 * DSM with its range list in a longer buffer: only NR + 1 ranges are
 * read (the next 16 bytes hold a range, of block @x + 5, that must not
 * be deallocated), and only the list's bytes are pinned.
 */
TEST_F(lb, dsm_longer)
{
	static const __u32 offs[] = { 0, 100 };
	struct pt_dsm_range *list;
	char what[128];
	struct lb t;
	size_t i, k;
	int res;

	lb_init(_metadata, &t, &self->env, &self->d);
	for (i = 0; i < ARRAY_SIZE(io_modes); i++) {
		for (k = 0; k < ARRAY_SIZE(offs); k++) {
			__u64 x = (i * ARRAY_SIZE(offs) + k) * SLOT + 1;
			__u32 old = ++t.tag;
			struct nvme_uring_cmd c;

			snprintf(what, sizeof(what),
				 "%s: DSM of 1 range in 8192 bytes at page offset %u",
				 mode_name[io_modes[i]], offs[k]);
			pt_fill(t.blk, t.bs, x, 8, old);
			blk_io(_metadata, &t, true, x, 8);

			list = (struct pt_dsm_range *)(t.arena + PT_PAGE +
						       offs[k]);
			memset(list, GUARD, 8192);
			list[0] = (struct pt_dsm_range){ .nlb = 2,
							 .slba = x + 2 };
			list[1] = (struct pt_dsm_range){ .nlb = 1,
							 .slba = x + 5 };
			c = pt_admin(PT_OP_DSM, PT_NSID, 0, PT_DSM_AD, list,
				     8192);
			res = issue(&t, io_modes[i], c, NULL, 0);
			EXPECT_EQ(0, res) {
				TH_LOG("%s: %s", what, pt_res_str(res));
			}
			if (res)
				continue;
			expect_pins(_metadata, &t, pt_pages(list, 16), 0, what);
			expect_zeroed(_metadata, &t, x, old, what);
		}
	}
	lb_fini(&t);
}

/* Flush and Write Zeroes with a buffer: accepted, ignored, not pinned. */
TEST_F(lb, no_data_with_buffer)
{
	struct nvme_uring_cmd c;
	struct iovec seg;
	char what[128];
	struct lb t;
	size_t i;
	int res;

	lb_init(_metadata, &t, &self->env, &self->d);
	seg.iov_base = t.arena + PT_PAGE;
	seg.iov_len = 8192;
	for (i = 0; i < ARRAY_SIZE(io_modes); i++) {
		__u64 y = i * SLOT + 1;
		__u32 old = ++t.tag;

		snprintf(what, sizeof(what), "%s: Flush with 8192 bytes",
			 mode_name[io_modes[i]]);
		guard_segs(&seg, 1);
		c = (struct nvme_uring_cmd){
			.opcode = PT_OP_FLUSH, .nsid = PT_NSID,
			.addr = (uintptr_t)seg.iov_base, .data_len = 8192,
		};
		res = issue(&t, io_modes[i], c, NULL, 0);
		EXPECT_EQ(0, res) {
			TH_LOG("%s: %s", what, pt_res_str(res));
		}
		EXPECT_TRUE(guard_kept(_metadata, &seg, 1, 0, what));
		expect_pins(_metadata, &t, 0, 0, what);

		snprintf(what, sizeof(what),
			 "%s: Write Zeroes of 2 blocks with 8192 bytes",
			 mode_name[io_modes[i]]);
		pt_fill(t.blk, t.bs, y, 8, old);
		blk_io(_metadata, &t, true, y, 8);
		c = pt_rw(PT_OP_WRITE_ZEROES, y + 2, 2, seg.iov_base, 8192);
		res = issue(&t, io_modes[i], c, NULL, 0);
		EXPECT_EQ(0, res) {
			TH_LOG("%s: %s", what, pt_res_str(res));
		}
		EXPECT_TRUE(guard_kept(_metadata, &seg, 1, 0, what));
		expect_pins(_metadata, &t, 0, 0, what);
		expect_zeroed(_metadata, &t, y, old, what);
	}
	lb_fini(&t);
}

TEST_HARNESS_MAIN
