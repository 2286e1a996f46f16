// SPDX-License-Identifier: GPL-2.0
/*
 * Passthrough data integrity (pt_rt.h): what is written through
 * /dev/zcblk<N>c reads back through /dev/zcblk<N> (O_DIRECT) and the other
 * way round, byte for byte, for every way of moving data through the char
 * device: io_uring NVME_URING_CMD_IO and _IO_VEC (1, 3, 16 iovecs of odd
 * sizes at odd offsets), registered buffers (also in a huge page), IOPOLL
 * and SQPOLL rings, and the sync ioctls (IO_CMD, IO64_CMD, IO64_CMD_VEC,
 * SUBMIT_IO). Other commands, Compare among them: pt_cmds.c.
 *
 * The teardown checks /proc/vmstat's FOLL_PIN balance and the kernel log.
 * Variants: mem disks with 512- and 4096-byte blocks.
 */
#include "pt_rt.h"

TEST_F_TIMEOUT(ptd, uring_plain, 180)
{
	struct rt t;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		false);
	roundtrip(_metadata, &t, M_URING, 0);
	/* zcblk pins plain buffers itself: the accounting must show it */
	EXPECT_LT(0, t.want_pins);
	rt_fini(_metadata, &t);
}

TEST_F_TIMEOUT(ptd, uring_vec, 300)
{
	struct rt t;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		false);
	roundtrip(_metadata, &t, M_VEC, 1);
	roundtrip(_metadata, &t, M_VEC, 3);
	roundtrip(_metadata, &t, M_VEC, 16);
	EXPECT_LT(0, t.want_pins);
	rt_fini(_metadata, &t);
}

TEST_F_TIMEOUT(ptd, uring_fixed, 180)
{
	struct rt t;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		true);
	roundtrip(_metadata, &t, M_FIXED, 0);
	/* Registered buffers: bytes counted, no page pinned per command */
	EXPECT_LT(0, t.want_fixed);
	EXPECT_EQ(0, t.want_pins);
	rt_fini(_metadata, &t);
}

/*
 * A registered buffer that is one transparent huge page: io_uring keeps
 * it as one 2 MiB bvec (6.1: a buffer inside one folio; 6.12: coalesced
 * folios), so commands start deep inside a bvec, pages beyond its first.
 * Without THP the pages are small and the test still holds.
 */
TEST_F_TIMEOUT(ptd, uring_fixed_hugepage, 180)
{
	const size_t huge = 2 * PT_MiB;
	const size_t offs[] = { FIXED_OFF, PT_MiB + PT_PAGE - 1, 7 };
	struct iovec iov;
	char line[256];
	long long thp = -1;
	struct rt t;
	size_t i;
	FILE *f;
	int ret;

	rt_init(_metadata, &t, &self->env, &self->d, PT_RING_FLAGS, true,
		false);
	t.fixed_map_len = 2 * huge;
	t.fixed_map = mmap(NULL, t.fixed_map_len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, t.fixed_map);
	t.fixed = (char *)(((uintptr_t)t.fixed_map + huge - 1) & ~(huge - 1));
	madvise(t.fixed, huge, MADV_HUGEPAGE);	/* best effort */
	memset(t.fixed, 0x11, huge);

	f = fopen("/proc/self/smaps_rollup", "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %lld", &thp) == 1)
			break;
	if (f)
		fclose(f);
	ksft_print_msg("%s: AnonHugePages %lld kB (THP %s)\n",
		       _metadata->name, thp, thp >= 2048 ? "in use" : "not in use");

	iov.iov_base = t.fixed;
	iov.iov_len = huge;
	ret = io_uring_register_buffers(&t.q.ring, &iov, 1);
	ASSERT_EQ(0, ret) {
		TH_LOG("io_uring_register_buffers: %s", strerror(-ret));
	}
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		t.fixed_off = offs[i];
		roundtrip(_metadata, &t, M_FIXED, 0);
	}
	EXPECT_EQ(0, t.want_pins);
	EXPECT_LT(0, t.want_fixed);
	rt_fini(_metadata, &t);
}

/*
 * IOPOLL ring on a disk with a poll queue: data commands complete from
 * ->uring_cmd_iopoll; Flush and Write Zeroes (no data, nothing to poll)
 * complete by interrupt on the same ring.
 */
TEST_F_TIMEOUT(ptd, uring_iopoll, 300)
{
	struct pt_disk_cfg cfg = {
		.size = DISK_SIZE, .bs = self->d.bs, .poll_queues = 1,
	};
	struct nvme_uring_cmd c;
	struct rt t;
	int res;

	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d2));
	rt_init(_metadata, &t, &self->env, &self->d2,
		PT_RING_FLAGS | IORING_SETUP_IOPOLL, true, true);
	roundtrip(_metadata, &t, M_URING, 0);
	roundtrip(_metadata, &t, M_VEC, 3);
	roundtrip(_metadata, &t, M_FIXED, 0);

	c = pt_rw(PT_OP_FLUSH, 0, 1, NULL, 0);
	c.cdw12 = 0;
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	EXPECT_EQ(0, res) {
		TH_LOG("Flush on an IOPOLL ring: %s", pt_res_str(res));
	}
	c = pt_rw(PT_OP_WRITE_ZEROES, 0, 4, NULL, 0);
	res = pt_q_cmd(&t.q, NVME_URING_CMD_IO, &c, -1, NULL);
	EXPECT_EQ(0, res) {
		TH_LOG("Write Zeroes on an IOPOLL ring: %s", pt_res_str(res));
	}
	ASSERT_EQ(0, pt_blk_rw(t.bfd, false, t.blkbuf, 0, 4 * t.d->bs));
	EXPECT_TRUE(pt_all_bytes(t.blkbuf, 4 * t.d->bs, 0));
	rt_fini(_metadata, &t);
}

/* SQPOLL ring, the file registered (as fio's sqthread_poll does), and not. */
TEST_F_TIMEOUT(ptd, uring_sqpoll, 300)
{
	struct rt t;
	int ret;

	rt_init(_metadata, &t, &self->env, &self->d,
		PT_RING_FLAGS | IORING_SETUP_SQPOLL, true, true);
	roundtrip(_metadata, &t, M_URING, 0);
	roundtrip(_metadata, &t, M_VEC, 3);
	ret = pt_q_fixed_file(&t.q);
	ASSERT_EQ(0, ret) {
		TH_LOG("io_uring_register_files: %s", strerror(-ret));
	}
	roundtrip(_metadata, &t, M_URING, 0);
	roundtrip(_metadata, &t, M_FIXED, 0);
	EXPECT_LT(0, t.want_pins);
	EXPECT_LT(0, t.want_fixed);
	rt_fini(_metadata, &t);
}

TEST_F_TIMEOUT(ptd, ioctl_io_cmd, 180)
{
	struct rt t;

	rt_init(_metadata, &t, &self->env, &self->d, 0, false, false);
	roundtrip(_metadata, &t, M_IO_CMD, 0);
	EXPECT_LT(0, t.want_pins);
	rt_fini(_metadata, &t);
}

TEST_F_TIMEOUT(ptd, ioctl_io64_cmd, 180)
{
	struct rt t;

	rt_init(_metadata, &t, &self->env, &self->d, 0, false, false);
	roundtrip(_metadata, &t, M_IO64_CMD, 0);
	EXPECT_LT(0, t.want_pins);
	rt_fini(_metadata, &t);
}

TEST_F_TIMEOUT(ptd, ioctl_io64_cmd_vec, 300)
{
	struct rt t;

	rt_init(_metadata, &t, &self->env, &self->d, 0, false, false);
	roundtrip(_metadata, &t, M_IO64_VEC, 1);
	roundtrip(_metadata, &t, M_IO64_VEC, 3);
	roundtrip(_metadata, &t, M_IO64_VEC, 16);
	EXPECT_LT(0, t.want_pins);
	rt_fini(_metadata, &t);
}

TEST_F_TIMEOUT(ptd, ioctl_submit_io, 180)
{
	struct rt t;

	rt_init(_metadata, &t, &self->env, &self->d, 0, false, false);
	roundtrip(_metadata, &t, M_SUBMIT_IO, 0);
	EXPECT_LT(0, t.want_pins);
	rt_fini(_metadata, &t);
}

TEST_HARNESS_MAIN
