// SPDX-License-Identifier: GPL-2.0
/*
 * libzcblk's passthrough helpers: io_uring SQE preparation for plain,
 * registered and vectored buffers, Write Zeroes, DSM, Flush; a failed prep
 * leaves a NOP; the CQE decoder; the synchronous ioctl helpers; status
 * names, static and thread-safe.
 *
 * The fixture's tests need root and zcblk.ko loaded (they skip if the
 * module is not); the plain TEST needs neither.
 * The teardown is FIXTURE_TEARDOWN_PARENT, for the reason netlink_dev.c
 * gives.
 */
#include <pthread.h>

#include "pt_common.h"

#define NBLK		8		/* blocks per command */
#define BS		512

/* Submits the SQE the caller prepared and decodes its CQE. */
static int submit_one(struct pt_q *q, __u64 *result)
{
	struct io_uring_cqe *cqe;
	int ret;

	if (io_uring_submit(&q->ring) != 1)
		return PT_EHARNESS;
	if (io_uring_wait_cqe(&q->ring, &cqe))
		return PT_EHARNESS;
	if (cqe->user_data != 0xc0ffee)
		ret = PT_EHARNESS;
	else
		ret = zcblk_pt_cqe_status(cqe, result);
	io_uring_cqe_seen(&q->ring, cqe);
	return ret;
}

/*
 * An SQE of @q filled by @call (which names it __sqe): the prep helpers
 * write the whole SQE, so user_data is set after them.
 */
#define PREP(q, call)						\
	({							\
		struct io_uring_sqe *__sqe = io_uring_get_sqe(&(q)->ring); \
		int __r = __sqe ? (call) : PT_EHARNESS;		\
		if (__sqe)					\
			__sqe->user_data = 0xc0ffee;		\
		__r;						\
	})

FIXTURE(pt) {
	struct pt_env env;
	struct pt_disk d;
	struct pt_q q;
	int cfd;
	void *wbuf, *rbuf;
};

FIXTURE_SETUP(pt)
{
	struct pt_disk_cfg cfg = { .backend = "mem", .size = PT_MiB, .bs = BS };

	self->cfd = -1;
	self->q.up = false;
	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
	pt_open(_metadata, &self->d, &self->cfd, NULL);
	ASSERT_EQ(0, pt_q_init(&self->q, self->cfd, 8, PT_RING_FLAGS));
	self->wbuf = pt_map(NBLK * BS);
	self->rbuf = pt_map(NBLK * BS);
	ASSERT_NE(NULL, self->wbuf);
	ASSERT_NE(NULL, self->rbuf);
}

FIXTURE_TEARDOWN_PARENT(pt)
{
	pt_env_teardown(_metadata, &self->env);
}

/*
 * io_uring: Write then Read through plain, registered and vectored
 * buffers, each read compared with what was written; stats count the
 * registered bytes; Write Zeroes (with and without deallocate) and DSM
 * read back as zeroes; Flush succeeds. Every Read goes into a buffer
 * filled with 0xaa first: the data or zeroes found there are its own.
 */
TEST_F(pt, uring_round_trip)
{
	const __u32 len = NBLK * BS;
	struct zcblk_dev_stats st;
	struct zcblk_dsm_range range = { .nlb = NBLK, .slba = 40 };
	struct iovec riov[2], wiov[2], reg[2];
	struct pt_q *q = &self->q;
	__u64 result = ~0ULL;
	int ret;

	/* Plain buffers */
	pt_fill(self->wbuf, BS, 8, NBLK, 1);
	ret = PREP(q, zcblk_pt_prep_write(__sqe, self->cfd, 8, NBLK,
					  self->wbuf, len));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, submit_one(q, &result));
	EXPECT_EQ(0, result);
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_read(__sqe, self->cfd, 8, NBLK,
						self->rbuf, len)));
	ASSERT_EQ(0, submit_one(q, NULL));
	EXPECT_TRUE(pt_verify(_metadata, self->rbuf, BS, 8, NBLK, 1,
			      "plain read"));

	/* Registered buffers: the pages io_uring pinned, zcblk pins none. */
	reg[0] = (struct iovec){ self->wbuf, len };
	reg[1] = (struct iovec){ self->rbuf, len };
	ASSERT_EQ(0, io_uring_register_buffers(&q->ring, reg, 2));
	pt_fill(self->wbuf, BS, 16, NBLK, 2);
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_write_fixed(__sqe, self->cfd, 16,
						       NBLK, self->wbuf, len,
						       0)));
	ASSERT_EQ(0, submit_one(q, NULL));
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_read_fixed(__sqe, self->cfd, 16,
						      NBLK, self->rbuf, len,
						      1)));
	ASSERT_EQ(0, submit_one(q, NULL));
	EXPECT_TRUE(pt_verify(_metadata, self->rbuf, BS, 16, NBLK, 2,
			      "registered read"));
	ASSERT_EQ(0, pt_stats_idle(self->env.ctx, self->d.index, &st));
	EXPECT_EQ(2 * len, st.fixed_bytes);
	EXPECT_EQ(2 * pt_pages(self->wbuf, len), st.pinned_pages);

	/* Vectored: two halves each way */
	pt_fill(self->wbuf, BS, 24, NBLK, 3);
	wiov[0] = (struct iovec){ self->wbuf, len / 2 };
	wiov[1] = (struct iovec){ (char *)self->wbuf + len / 2, len / 2 };
	riov[0] = (struct iovec){ (char *)self->rbuf + len / 2, len / 2 };
	riov[1] = (struct iovec){ self->rbuf, len / 2 };
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_writev(__sqe, self->cfd, 24, NBLK,
						  wiov, 2)));
	ASSERT_EQ(0, submit_one(q, NULL));
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_readv(__sqe, self->cfd, 24, NBLK,
						 riov, 2)));
	ASSERT_EQ(0, submit_one(q, NULL));
	/* The halves came back swapped, as the iovecs asked. */
	EXPECT_TRUE(pt_verify(_metadata, (char *)self->rbuf + len / 2, BS, 24,
			      NBLK / 2, 3, "readv, first half"));
	EXPECT_TRUE(pt_verify(_metadata, self->rbuf, BS, 24 + NBLK / 2,
			      NBLK / 2, 3, "readv, second half"));

	/* Write Zeroes, DSM: zeroes where data was */
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_write_zeroes(__sqe, self->cfd, 8,
							NBLK, 0)));
	ASSERT_EQ(0, submit_one(q, NULL));
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_write_zeroes(__sqe, self->cfd, 16,
							NBLK,
							ZCBLK_PT_DEALLOCATE)));
	ASSERT_EQ(0, submit_one(q, NULL));
	pt_fill(self->wbuf, BS, 40, NBLK, 4);
	ASSERT_EQ(0, zcblk_pt_write(self->cfd, 40, NBLK, self->wbuf, len));
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_dsm(__sqe, self->cfd, &range, 1)));
	ASSERT_EQ(0, submit_one(q, NULL));
	ASSERT_EQ(0, PREP(q, zcblk_pt_prep_flush(__sqe, self->cfd)));
	ASSERT_EQ(0, submit_one(q, NULL));
	/* Each Read into bytes it must overwrite: zeroes are its own. */
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, zcblk_pt_read(self->cfd, 8, NBLK, self->rbuf, len));
	EXPECT_TRUE(pt_all_bytes(self->rbuf, len, 0)) {
		TH_LOG("LBA 8: not zeroes after Write Zeroes");
	}
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, zcblk_pt_read(self->cfd, 16, NBLK, self->rbuf, len));
	EXPECT_TRUE(pt_all_bytes(self->rbuf, len, 0)) {
		TH_LOG("LBA 16: not zeroes after Write Zeroes with deallocate");
	}
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, zcblk_pt_read(self->cfd, 40, NBLK, self->rbuf, len));
	EXPECT_TRUE(pt_all_bytes(self->rbuf, len, 0)) {
		TH_LOG("LBA 40: not zeroes after DSM deallocate");
	}
	pt_q_exit(q);
}

/*
 * Errors, decoded: a read past the end is LBA Out of Range (0x4080, DNR)
 * through io_uring and through the ioctl; an unknown opcode and an
 * unknown DSM attribute bit are not something the helpers build, so raw
 * commands through the generic prep check Invalid Command Opcode (0x4001)
 * and Invalid Field in Command (0x4002). The helpers refuse bad arguments
 * themselves.
 */
TEST_F(pt, errors_decoded)
{
	const __u32 len = NBLK * BS;
	struct nvme_uring_cmd c = pt_rw(PT_OP_READ, 0, 1, self->rbuf, BS);
	struct zcblk_dsm_range range = { .nlb = 1, .slba = 0 };
	struct nvme_uring_cmd dsm = {
		.opcode = PT_OP_DSM,
		.nsid = PT_NSID,
		.cdw10 = 0,			/* one range */
		.cdw11 = PT_DSM_AD | (1U << 3),	/* bit 3: undefined */
		.addr = (uintptr_t)self->wbuf,
		.data_len = sizeof(range),
	};
	struct io_uring_sqe sqe;
	struct iovec iov = { self->rbuf, len };
	int ret;

	ret = PREP(&self->q, zcblk_pt_prep_read(__sqe, self->cfd,
						self->d.nlbas - 1, 2,
						self->rbuf, 2 * BS));
	ASSERT_EQ(0, ret);
	ret = submit_one(&self->q, NULL);
	EXPECT_EQ(0x4080, ret);
	EXPECT_EQ(ZCBLK_NVME_DNR, ret & ZCBLK_NVME_DNR);
	EXPECT_EQ(0x80, ZCBLK_NVME_SC(ret));
	EXPECT_EQ(0, ZCBLK_NVME_SCT(ret));
	EXPECT_STREQ("LBA Out of Range", zcblk_pt_status_str(ret));

	ret = zcblk_pt_read(self->cfd, self->d.nlbas, 1, self->rbuf, BS);
	EXPECT_EQ(0x4080, ret);
	EXPECT_STREQ("LBA Out of Range", zcblk_pt_status_str(ret));

	/* Invalid opcode, through the generic prep */
	c.opcode = 0x7f;
	ASSERT_EQ(0, PREP(&self->q, zcblk_pt_prep_cmd(__sqe, self->cfd,
						      NVME_URING_CMD_IO, &c,
						      -1)));
	ret = submit_one(&self->q, NULL);
	EXPECT_EQ(0x4001, ret);
	EXPECT_STREQ("Invalid Command Opcode", zcblk_pt_status_str(ret));

	/* DSM with attribute bit 3 set, through the generic prep */
	memcpy(self->wbuf, &range, sizeof(range));
	ASSERT_EQ(0, PREP(&self->q, zcblk_pt_prep_cmd(__sqe, self->cfd,
						      NVME_URING_CMD_IO, &dsm,
						      -1)));
	ret = submit_one(&self->q, NULL);
	EXPECT_EQ(0x4002, ret);
	EXPECT_STREQ("Invalid Field in Command", zcblk_pt_status_str(ret));

	/* Names: zcblk's own, injected ones, errnos, unknown */
	EXPECT_STREQ("Success", zcblk_pt_status_str(0));
	EXPECT_STREQ("Invalid Field in Command", zcblk_pt_status_str(0x4002));
	EXPECT_STREQ("Invalid Namespace or Format",
		     zcblk_pt_status_str(0x400b));
	EXPECT_STREQ("Namespace is Write Protected",
		     zcblk_pt_status_str(0x4020));
	EXPECT_STREQ("Internal Error", zcblk_pt_status_str(0x6));
	EXPECT_STREQ("Compare Failure", zcblk_pt_status_str(0x4285));
	EXPECT_STREQ("Unrecovered Read Error", zcblk_pt_status_str(0x281));
	EXPECT_STREQ("Unknown NVMe status", zcblk_pt_status_str(0x7ff));
	EXPECT_STREQ(strerror(ENODEV), zcblk_pt_status_str(-ENODEV));

	/* Refused by the helpers */
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_read(&sqe, self->cfd, 0, 0,
					      self->rbuf, 0));
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_read(&sqe, self->cfd, 0,
					      ZCBLK_PT_MAX_BLOCKS + 1,
					      self->rbuf, len));
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_read(NULL, self->cfd, 0, 1,
					      self->rbuf, BS));
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_readv(&sqe, self->cfd, 0, 1, &iov,
					       0));
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_cmd(&sqe, self->cfd,
					     NVME_URING_CMD_IO_VEC, &c, 0));
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_cmd(&sqe, self->cfd,
					     NVME_URING_CMD_ADMIN, &c, -1));
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_write_zeroes(&sqe, self->cfd, 0, 1,
						      2));
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_dsm(&sqe, self->cfd, NULL, 1));
	EXPECT_EQ(-EINVAL, zcblk_pt_dsm(self->cfd, &(struct zcblk_dsm_range){
					.nlb = 1 }, ZCBLK_PT_MAX_DSM_RANGES + 1));
	EXPECT_EQ(-EINVAL, zcblk_pt_write(self->cfd, 0, 0, self->wbuf, 0));
	EXPECT_EQ(-EBADF, zcblk_pt_flush(-1));
	pt_q_exit(&self->q);
}

/*
 * Refusals of every prep helper that can fail with an SQE, each with the
 * same bad argument zcblk_pt_prep_*() would see from a caller's bug.
 */
static int bad_prep(int which, struct io_uring_sqe *sqe, int fd, void *buf)
{
	struct nvme_uring_cmd c = pt_rw(PT_OP_WRITE, 0, 1, buf, BS);
	struct iovec iov = { buf, BS };

	switch (which) {
	case 0:	/* no block */
		return zcblk_pt_prep_write(sqe, fd, 0, 0, buf, 0);
	case 1:	/* too many */
		return zcblk_pt_prep_read(sqe, fd, 0, ZCBLK_PT_MAX_BLOCKS + 1,
					  buf, BS);
	case 2:
		return zcblk_pt_prep_write_fixed(sqe, fd, 0, 0, buf, 0, 0);
	case 3:
		return zcblk_pt_prep_read_fixed(sqe, fd, 0, 0, buf, 0, 0);
	case 4:	/* no iovec */
		return zcblk_pt_prep_writev(sqe, fd, 0, 1, &iov, 0);
	case 5:
		return zcblk_pt_prep_readv(sqe, fd, 0, 1, NULL, 1);
	case 6:	/* unknown flag */
		return zcblk_pt_prep_write_zeroes(sqe, fd, 0, 1, 2);
	case 7:
		return zcblk_pt_prep_dsm(sqe, fd, NULL, 1);
	case 8:
		return zcblk_pt_prep_dsm(sqe, fd, &(struct zcblk_dsm_range){
					 .nlb = 1 }, 0);
	case 9:	/* an admin ring command */
		return zcblk_pt_prep_cmd(sqe, fd, NVME_URING_CMD_ADMIN, &c, -1);
	case 10:
		return zcblk_pt_prep_cmd(sqe, fd, NVME_URING_CMD_IO, NULL, -1);
	case 11: /* registered buffer with iovecs */
		return zcblk_pt_prep_cmd(sqe, fd, NVME_URING_CMD_IO_VEC, &c, 0);
	case 12:
		return zcblk_pt_prep_cmd(sqe, fd, NVME_URING_CMD_IO, &c,
					 UINT16_MAX + 1);
	}
	return PT_EHARNESS;
}
#define NR_BAD_PREPS	13
#define NOP_LBA		200

/*
 * A failed prep leaves a NOP, not the ring slot's last command.  On a
 * one-entry ring every io_uring_get_sqe() is the same slot: a Write of
 * pattern A to LBA NOP_LBA is prepared there and run, its buffer then
 * holds pattern B; each failing prep into that slot must return -EINVAL
 * and leave a NOP (user_data 0), whose submission completes with res 0
 * and a zero result while the disk sees no command (its counters stay)
 * and the LBAs keep pattern A.  Had the slot kept the old Write, it would
 * have written pattern B again.
 */
TEST_F(pt, failed_prep_is_nop)
{
	const __u32 len = NBLK * BS;
	struct zcblk_dev_stats st0, st1;
	struct io_uring_sqe *sqe, *slot;
	struct pt_q q1;
	__u64 result;
	int i, ret;

	ASSERT_EQ(0, pt_q_init(&q1, self->cfd, 1, PT_RING_FLAGS));
	for (i = 0; i < NR_BAD_PREPS; i++) {
		pt_fill(self->wbuf, BS, NOP_LBA, NBLK, 10);	/* A */
		slot = io_uring_get_sqe(&q1.ring);
		ASSERT_NE(NULL, slot);
		ASSERT_EQ(0, zcblk_pt_prep_write(slot, self->cfd, NOP_LBA,
						 NBLK, self->wbuf, len));
		slot->user_data = 0xc0ffee;
		ASSERT_EQ(0, submit_one(&q1, NULL));
		pt_fill(self->wbuf, BS, NOP_LBA, NBLK, 11);	/* B */
		ASSERT_EQ(0, pt_stats_idle(self->env.ctx, self->d.index,
					   &st0));

		sqe = io_uring_get_sqe(&q1.ring);
		ASSERT_EQ(slot, sqe);		/* the very same slot */
		ret = bad_prep(i, sqe, self->cfd, self->wbuf);
		EXPECT_EQ(-EINVAL, ret) {
			TH_LOG("bad prep %d: %d", i, ret);
		}
		EXPECT_EQ(IORING_OP_NOP, sqe->opcode) {
			TH_LOG("bad prep %d left opcode %u", i, sqe->opcode);
		}
		EXPECT_EQ(0, sqe->user_data);
		EXPECT_EQ(0, sqe->flags);
		sqe->user_data = 0xc0ffee;
		result = ~0ULL;
		EXPECT_EQ(0, submit_one(&q1, &result));
		EXPECT_EQ(0, result);

		ASSERT_EQ(0, pt_stats_idle(self->env.ctx, self->d.index,
					   &st1));
		EXPECT_EQ(st0.write_cmds, st1.write_cmds);
		EXPECT_EQ(st0.read_cmds, st1.read_cmds);
		memset(self->rbuf, 0xaa, len);
		ASSERT_EQ(0, zcblk_pt_read(self->cfd, NOP_LBA, NBLK,
					   self->rbuf, len));
		EXPECT_TRUE(pt_verify(_metadata, self->rbuf, BS, NOP_LBA, NBLK,
				      10, "after a failed prep's submission")) {
			TH_LOG("bad prep %d: the old command ran again", i);
		}
	}
	/* A NULL SQE: nothing to write, nothing written. */
	EXPECT_EQ(-EINVAL, zcblk_pt_prep_flush(NULL, self->cfd));
	pt_q_exit(&q1);
	pt_q_exit(&self->q);
}

struct status_thread {
	int status;
	const char *want;
	int bad;
};

static void *status_loop(void *arg)
{
	struct status_thread *t = arg;
	int i;

	for (i = 0; i < 20000; i++)
		if (strcmp(t->want, zcblk_pt_status_str(t->status)))
			t->bad++;
	return NULL;
}

/*
 * zcblk_pt_status_str() returns static strings: a later call, from this
 * thread or another, changes none it returned (strerror()'s buffer for an
 * errno it does not know is rewritten by its next call).  Every errno is
 * named as strerror() names it in the C locale, any other negative value
 * "Unknown error".
 */
TEST(status_str_static)
{
	struct status_thread t[4] = {
		{ .status = -9999, .want = "Unknown error" },
		{ .status = -ENODEV, .want = "No such device" },
		{ .status = 0x4080, .want = "LBA Out of Range" },
		{ .status = INT_MIN, .want = "Unknown error" },
	};
	pthread_t tid[4];
	const char *p1, *p2;
	char copy[64];
	int e, i, wrong = 0;

	p1 = zcblk_pt_status_str(-9999);
	snprintf(copy, sizeof(copy), "%s", p1);
	p2 = zcblk_pt_status_str(-9998);
	EXPECT_STREQ(copy, p1) {
		TH_LOG("the string for -9999 became \"%s\"", p1);
	}
	EXPECT_STREQ("Unknown error", p2);

	for (e = 1; e < 4096; e++) {
		const char *want = strerror(e), *got;

		if (!strncmp(want, "Unknown error", 13))
			want = "Unknown error";
		got = zcblk_pt_status_str(-e);
		if (strcmp(want, got) && wrong++ < 5)
			TH_LOG("errno %d: \"%s\", want \"%s\"", e, got, want);
	}
	EXPECT_EQ(0, wrong);

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, status_loop, &t[i]));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_join(tid[i], NULL));
		EXPECT_EQ(0, t[i].bad) {
			TH_LOG("status %d: %d wrong names", t[i].status,
			       t[i].bad);
		}
	}
}

/*
 * The synchronous helpers: Write then Read compared, Flush, Write Zeroes
 * with deallocate (each Read into a buffer filled with 0xaa first);
 * Identify Namespace reports the disk's size; the 64-bit generic ioctls
 * return the result dword.
 */
TEST_F(pt, sync_round_trip)
{
	const __u32 len = NBLK * BS;
	struct nvme_passthru_cmd64 cmd;
	unsigned char *id = pt_map(4096);
	int ret;

	ASSERT_NE(NULL, id);
	pt_fill(self->wbuf, BS, 100, NBLK, 7);
	ASSERT_EQ(0, zcblk_pt_write(self->cfd, 100, NBLK, self->wbuf, len));
	ASSERT_EQ(0, zcblk_pt_flush(self->cfd));
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, zcblk_pt_read(self->cfd, 100, NBLK, self->rbuf, len));
	EXPECT_TRUE(pt_verify(_metadata, self->rbuf, BS, 100, NBLK, 7,
			      "ioctl read"));
	ASSERT_EQ(0, zcblk_pt_write_zeroes(self->cfd, 100, NBLK,
					   ZCBLK_PT_DEALLOCATE));
	memset(self->rbuf, 0xaa, len);
	ASSERT_EQ(0, zcblk_pt_read(self->cfd, 100, NBLK, self->rbuf, len));
	EXPECT_TRUE(pt_all_bytes(self->rbuf, len, 0)) {
		TH_LOG("LBA 100: not zeroes after Write Zeroes with deallocate");
	}

	ret = zcblk_pt_identify(self->cfd, ZCBLK_PT_NSID, 0x00, id);
	ASSERT_EQ(0, ret) {
		TH_LOG("identify: %s", zcblk_pt_status_str(ret));
	}
	EXPECT_EQ(self->d.nlbas, pt_le64(id + PT_ID_NS_NSZE));
	ASSERT_EQ(0, zcblk_pt_identify(self->cfd, 0, 0x01, id));
	EXPECT_EQ(1, pt_le32(id + PT_ID_CTRL_NN));

	memset(&cmd, 0, sizeof(cmd));
	cmd.opcode = PT_OP_READ;
	cmd.nsid = ZCBLK_PT_NSID;
	cmd.addr = (uintptr_t)self->rbuf;
	cmd.data_len = BS;
	cmd.cdw10 = 100;
	cmd.result = ~0ULL;
	EXPECT_EQ(0, zcblk_pt_io_cmd(self->cfd, &cmd));
	EXPECT_EQ(0, cmd.result);
	memset(&cmd, 0, sizeof(cmd));
	cmd.opcode = PT_ADM_IDENTIFY;
	cmd.nsid = ZCBLK_PT_NSID;
	cmd.addr = (uintptr_t)id;
	cmd.data_len = 4096;
	cmd.cdw10 = 0x7f;	/* a CNS zcblk does not answer */
	ret = zcblk_pt_admin_cmd(self->cfd, &cmd);
	EXPECT_EQ(0x4002, ret);
	EXPECT_STREQ("Invalid Field in Command", zcblk_pt_status_str(ret));
	EXPECT_EQ(-EINVAL, zcblk_pt_io_cmd(self->cfd, NULL));
	munmap(id, 4096);
	pt_q_exit(&self->q);
}

TEST_HARNESS_MAIN
