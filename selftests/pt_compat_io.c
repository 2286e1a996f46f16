// SPDX-License-Identifier: GPL-2.0
/*
 * NVME_IOCTL_SUBMIT_IO32: the number a 32-bit process's SUBMIT_IO has.
 * Its struct nvme_user_io has no tail padding (44 bytes, not 48), so the
 * ioctl number differs; zcblk serves it (passthrough.rst) beside
 * NVME_IOCTL_SUBMIT_IO, and reads exactly 44 bytes of it. Outside the
 * fuzzer, which only checks that it answers: data round trips with every
 * byte compared (written through SUBMIT_IO32 and read through the block
 * device, and the other way round), Compare with its exact statuses, the
 * statuses and errnos of bad commands, and the structure at the very end
 * of a mapping (a 48-byte read of it would fault).
 *
 * The teardown checks /proc/vmstat's FOLL_PIN balance and the kernel log;
 * rt_fini() the exact pages pinned. Variants: mem disks with 512- and
 * 4096-byte blocks (pt_rt.h's ptd fixture).
 */
#include <stddef.h>

#include "pt_rt.h"

/* The 32-bit ABI's struct nvme_user_io: packed, 44 bytes. */
struct user_io32 {
	__u8 opcode;
	__u8 flags;
	__u16 control;
	__u16 nblocks;
	__u16 rsvd;
	__u64 metadata;
	__u64 addr;
	__u64 slba;
	__u32 dsmgmt;
	__u32 reftag;
	__u16 apptag;
	__u16 appmask;
} __attribute__((packed));

/* The end of a page followed by a PROT_NONE one (map_edge()). */
static char *edge;

#define IOCTL_SUBMIT_IO32	_IOW('N', 0x42, struct user_io32)

_Static_assert(sizeof(struct user_io32) == 44, "32-bit nvme_user_io size");
_Static_assert(offsetof(struct user_io32, appmask) ==
	       offsetof(struct nvme_user_io, appmask),
	       "same layout as the 64-bit one but the tail padding");
_Static_assert(IOCTL_SUBMIT_IO32 != NVME_IOCTL_SUBMIT_IO,
	       "a number of its own");

/*
 * @io (already filled) through SUBMIT_IO32, from a copy that ends where a
 * PROT_NONE page starts: the kernel must read 44 bytes, no more.
 */
static int submit32(struct rt *t, const struct user_io32 *io)
{
	struct user_io32 *at = (struct user_io32 *)(edge - sizeof(*io));

	memcpy(at, io, sizeof(*io));
	return pt_ioctl_res(ioctl(t->cfd, IOCTL_SUBMIT_IO32, at));
}

static struct user_io32 io32(__u8 op, __u64 slba, __u32 nblocks,
			     const void *buf)
{
	return (struct user_io32){
		.opcode = op,
		.nblocks = (nblocks - 1) & 0xffff,
		.addr = (uintptr_t)buf,
		.slba = slba,
	};
}

/*
 * Moves t->data to (Write, Compare) or from (Read) [slba, slba + nb)
 * through SUBMIT_IO32, the buffer at an odd offset (page aligned every
 * third command) with GUARD bytes around it. Counts the pages pinned.
 */
static int xfer32(struct __test_metadata *_metadata, struct rt *t, __u8 op,
		  __u64 slba, __u32 nb)
{
	size_t len = (size_t)nb << t->d->shift, off, span;
	struct user_io32 io;
	char *buf;
	int res;

	t->ncmd++;
	off = t->ncmd % 3 ? (pt_rand(t->ncmd) % PT_PAGE) | 1 : 0;
	buf = t->arena + PT_PAGE + off;
	span = PT_PAGE + off + len + PT_PAGE;
	memset(t->arena, GUARD, span);
	if (op != PT_OP_READ)
		memcpy(buf, t->data, len);
	io = io32(op, slba, nb, buf);
	res = submit32(t, &io);
	if (res < 0)
		return res;
	/* Mapped (pinned) before it ran, whatever its NVMe status */
	t->want_pins += pt_pages(buf, len);
	if (res || op != PT_OP_READ)
		return res;
	EXPECT_TRUE(pt_all_bytes(t->arena, PT_PAGE + off, GUARD) &&
		    pt_all_bytes(buf + len, PT_PAGE, GUARD)) {
		TH_LOG("SUBMIT_IO32 Read of LBA %llu + %u wrote outside its buffer",
		       (unsigned long long)slba, nb);
	}
	memcpy(t->data, buf, len);
	return 0;
}

/* A page whose end is followed by a PROT_NONE page, for submit32(). */
static void map_edge(struct __test_metadata *_metadata, struct rt *t)
{
	char *p = mmap(NULL, 2 * PT_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, mprotect(p + PT_PAGE, PT_PAGE, PROT_NONE));
	t->fixed_map = p;		/* rt_fini() unmaps it */
	t->fixed_map_len = 2 * PT_PAGE;
	edge = p + PT_PAGE;
}

TEST_F_TIMEOUT(ptd, roundtrip, 120)
{
	const __u32 bs = self->d.bs, maxb = PT_MAX_TRANSFER >> self->d.shift;
	const struct { __u64 slba; __u32 nb; } cases[] = {
		{ 0, 1 }, { 5, 3 }, { self->d.nlbas - 7, 7 }, { 100, maxb },
		{ 1000, 17 }, { self->d.nlbas - maxb, maxb },
	};
	struct rt t;
	size_t i;
	int res;

	rt_init(_metadata, &t, &self->env, &self->d, 0, false, false);
	map_edge(_metadata, &t);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		__u64 slba = cases[i].slba;
		__u32 nb = cases[i].nb;
		size_t len = (size_t)nb * bs;
		char what[96];

		snprintf(what, sizeof(what), "SUBMIT_IO32, LBA %llu + %u",
			 (unsigned long long)slba, nb);

		/* SUBMIT_IO32 Write -> block device */
		pt_fill(t.data, bs, slba, nb, ++t.tag);
		res = xfer32(_metadata, &t, PT_OP_WRITE, slba, nb);
		ASSERT_EQ(0, res) {
			TH_LOG("%s: Write: %s", what, pt_res_str(res));
		}
		memset(t.blkbuf, 0x5a, len);
		ASSERT_EQ(0, pt_blk_rw(t.bfd, false, t.blkbuf, slba * bs, len));
		ASSERT_TRUE(pt_verify(_metadata, t.blkbuf, bs, slba, nb, t.tag,
				      what));

		/* block device -> SUBMIT_IO32 Read */
		pt_fill(t.blkbuf, bs, slba, nb, ++t.tag);
		ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, slba * bs, len));
		memset(t.data, 0xa5, len);
		res = xfer32(_metadata, &t, PT_OP_READ, slba, nb);
		ASSERT_EQ(0, res) {
			TH_LOG("%s: Read: %s", what, pt_res_str(res));
		}
		ASSERT_TRUE(pt_verify(_metadata, t.data, bs, slba, nb, t.tag,
				      what));
	}
	EXPECT_LT(0, t.want_pins);
	rt_fini(_metadata, &t);
}

/* Compare: 0 on equal data, exactly 0x4285 on one byte off. */
TEST_F(ptd, compare)
{
	const __u32 bs = self->d.bs, nb = 8;
	const __u64 slba = 40;
	struct rt t;
	int res;

	rt_init(_metadata, &t, &self->env, &self->d, 0, false, false);
	map_edge(_metadata, &t);
	pt_fill(t.blkbuf, bs, slba, nb, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, slba * bs, nb * bs));

	memcpy(t.data, t.blkbuf, nb * bs);
	res = xfer32(_metadata, &t, PT_OP_COMPARE, slba, nb);
	EXPECT_EQ(0, res) {
		TH_LOG("SUBMIT_IO32 Compare of equal data: %s", pt_res_str(res));
	}
	t.data[3 * bs + 17] ^= 0x40;
	res = xfer32(_metadata, &t, PT_OP_COMPARE, slba, nb);
	EXPECT_EQ(PT_SC_COMPARE, res) {
		TH_LOG("SUBMIT_IO32 Compare of different data: %s",
		       pt_res_str(res));
	}
	/* Compare changed nothing */
	memset(t.blkbuf, 0, nb * bs);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, false, t.blkbuf, slba * bs, nb * bs));
	EXPECT_TRUE(pt_verify(_metadata, t.blkbuf, bs, slba, nb, t.tag,
			      "data after Compare"));
	rt_fini(_metadata, &t);
}

/*
 * As NVME_IOCTL_SUBMIT_IO: only Read, Write and Compare (-EINVAL before
 * anything is mapped), nonzero flags or rsvd -EINVAL, LBA out of range
 * 0x4080 (mapped first: pinned), an unmapped buffer -EFAULT, and a
 * structure that is not all readable -EFAULT. A refused Write writes
 * nothing.
 */
TEST_F(ptd, refused)
{
	const __u32 bs = self->d.bs;
	static const __u8 ops[] = { PT_OP_FLUSH, PT_OP_WRITE_ZEROES, PT_OP_DSM,
				    0x7f };
	struct user_io32 io;
	struct rt t;
	size_t i;
	int res;

	rt_init(_metadata, &t, &self->env, &self->d, 0, false, false);
	map_edge(_metadata, &t);
	pt_fill(t.blkbuf, bs, 0, 4, ++t.tag);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, true, t.blkbuf, 0, 4 * bs));
	pt_fill(t.arena, bs, 0, 4, t.tag + 1000);	/* other data */

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		io = io32(ops[i], 0, 1, t.arena);
		res = submit32(&t, &io);
		EXPECT_EQ(-EINVAL, res) {
			TH_LOG("SUBMIT_IO32 opcode 0x%x: %s, want -EINVAL",
			       ops[i], pt_res_str(res));
		}
	}
	io = io32(PT_OP_WRITE, 0, 4, t.arena);
	io.flags = 1;
	res = submit32(&t, &io);
	EXPECT_EQ(-EINVAL, res) {
		TH_LOG("SUBMIT_IO32 flags 1: %s", pt_res_str(res));
	}
	io = io32(PT_OP_WRITE, 0, 4, t.arena);
	io.rsvd = 0x100;
	res = submit32(&t, &io);
	EXPECT_EQ(-EINVAL, res) {
		TH_LOG("SUBMIT_IO32 rsvd 0x100: %s", pt_res_str(res));
	}
	io = io32(PT_OP_WRITE, t.d->nlbas - 1, 2, t.arena);
	res = submit32(&t, &io);
	EXPECT_EQ(PT_SC_LBA_RANGE, res) {
		TH_LOG("SUBMIT_IO32 Write past the end: %s", pt_res_str(res));
	}
	if (res == PT_SC_LBA_RANGE)
		t.want_pins += pt_pages(t.arena, 2 * bs);
	io = io32(PT_OP_WRITE, 0, 4, edge);	/* PROT_NONE */
	res = submit32(&t, &io);
	EXPECT_EQ(-EFAULT, res) {
		TH_LOG("SUBMIT_IO32 Write from PROT_NONE memory: %s",
		       pt_res_str(res));
	}
	/* The structure's last byte unreadable */
	io = io32(PT_OP_WRITE, 0, 4, t.arena);
	memcpy(edge - sizeof(io) + 1, &io, sizeof(io) - 1);
	res = pt_ioctl_res(ioctl(t.cfd, IOCTL_SUBMIT_IO32,
				 edge - sizeof(io) + 1));
	EXPECT_EQ(-EFAULT, res) {
		TH_LOG("SUBMIT_IO32 with its last byte unmapped: %s",
		       pt_res_str(res));
	}

	memset(t.blkbuf, 0, 4 * bs);
	ASSERT_EQ(0, pt_blk_rw(t.bfd, false, t.blkbuf, 0, 4 * bs));
	EXPECT_TRUE(pt_verify(_metadata, t.blkbuf, bs, 0, 4, t.tag,
			      "data after refused SUBMIT_IO32 Writes"));
	rt_fini(_metadata, &t);
}

TEST_HARNESS_MAIN
