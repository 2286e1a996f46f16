// SPDX-License-Identifier: GPL-2.0
/*
 * The file backend's documented edges (backends.rst), on a file-backed
 * disk ("over") whose backing store is a loop device on a zcblk mem disk
 * ("under"), so that the test can make the backing I/O fail or hang:
 *
 *  compare_not_offered  Compare is not offered: ONCS bit 0 clear, and
 *                       Invalid Opcode (0x4001) whether the data match or
 *                       not, through uring_cmd, NVME_IOCTL_IO_CMD and
 *                       SUBMIT_IO; nothing read, nothing changed.
 *  misaligned           Direct I/O needs buffers aligned to the backing
 *                       logical block size (512): misaligned addresses and
 *                       segment lengths give EINVAL (plain, vectored and
 *                       registered buffers; the block device's O_DIRECT
 *                       too), 512-aligned ones work, an empty segment
 *                       anywhere too (the block layer's alignment skips
 *                       it); a refused Write writes nothing.
 *  backend_errors       Backing I/O that fails: each command ends with
 *                       0x6 (backend I/O error), counted in "errors" and
 *                       in SMART's Media and Data Integrity Errors (Get
 *                       Log Page 02h), exactly.
 *  counted_at_completion  The counters read after a command's completion
 *                       include it: the backing I/O completes before
 *                       the backend's submit returns (asynchronously,
 *                       through the loop device), and a host that reads
 *                       DEV_STATS at once must see each Read and Write
 *                       (ioctl, io_uring, block device), every time.
 *  timeout_waits        A request whose direct I/O is in flight past the
 *                       disk's timeout is not ended early: the timeout is
 *                       counted and logged, and the command completes
 *                       with its data once the backing I/O does.
 *
 * The teardown checks /proc/vmstat's FOLL_PIN balance and the kernel log.
 */
#include <sys/wait.h>

#include "pt_common.h"

#define SIZE		(16 * PT_MiB)
#define OVER_TMO_MS	1000
#define SC_INTERNAL	0x6
#define SMART_MEDIA_ERR	160
#define ID_CTRL_ONCS	520

FIXTURE(fb) {
	struct pt_env env;
	struct pt_disk under, over;
	char loop[32];
};

static int shell(const char *cmd)
{
	int st = system(cmd);

	return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

FIXTURE_SETUP(fb)
{
	struct pt_disk_cfg cfg = {
		.size = SIZE, .bs = 512, .timeout_ms = 60000,
	};
	char cmd[160], dio[64] = "?", path[96];
	__u32 idx;
	FILE *p;

	self->loop[0] = '\0';
	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	if (shell("command -v losetup >/dev/null"))
		SKIP(return, "losetup not installed");
	shell("modprobe loop 2>/dev/null");
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->under));
	ASSERT_EQ(0, pt_wait_node(self->under.blk));
	snprintf(cmd, sizeof(cmd), "losetup --find --show --direct-io=on %s",
		 self->under.blk);
	p = popen(cmd, "r");
	ASSERT_NE(NULL, p);
	if (!fgets(self->loop, sizeof(self->loop), p))
		self->loop[0] = '\0';
	pclose(p);
	self->loop[strcspn(self->loop, "\n")] = '\0';
	ASSERT_NE(0, self->loop[0]) {
		TH_LOG("%s failed", cmd);
	}
	snprintf(path, sizeof(path), "/sys/block/%s/loop/dio",
		 self->loop + strlen("/dev/"));
	p = fopen(path, "re");
	if (p) {
		if (!fgets(dio, sizeof(dio), p))
			dio[0] = '\0';
		fclose(p);
	}
	dio[strcspn(dio, "\n")] = '\0';
	ksft_print_msg("%s on %s, dio %s\n", self->loop, self->under.blk, dio);

	cfg = (struct pt_disk_cfg){
		.backend = "file", .path = self->loop, .size = SIZE, .bs = 512,
		.timeout_ms = OVER_TMO_MS,
	};
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->over));
	/* The teardown deletes the disk on the loop device first. */
	idx = self->env.idx[0];
	self->env.idx[0] = self->env.idx[1];
	self->env.idx[1] = idx;
}

FIXTURE_TEARDOWN_PARENT(fb)
{
	char cmd[64];

	/* Detached when the file-backed disk lets go of it (autoclear). */
	if (self->loop[0]) {
		snprintf(cmd, sizeof(cmd), "losetup -d %s 2>/dev/null",
			 self->loop);
		shell(cmd);
	}
	pt_env_teardown(_metadata, &self->env);
}

static void set_under(struct __test_metadata *_metadata,
		      FIXTURE_DATA(fb) *self, __u64 set, __u32 every,
		      __u32 ops, __u32 stall)
{
	struct zcblk_dev_settings s = { .size = sizeof(s) };
	int ret;

	s.set = set;
	s.fail_every = every;
	s.fail_ops = ops;
	s.stall = stall;
	ret = zcblk_dev_set(self->env.ctx, self->under.index, &s, NULL);
	ASSERT_EQ(0, ret) {
		TH_LOG("zcblk_dev_set %u: %s", self->under.index,
		       strerror(-ret));
	}
}

static void stats(struct __test_metadata *_metadata, FIXTURE_DATA(fb) *self,
		  const struct pt_disk *d, struct zcblk_dev_stats *st)
{
	ASSERT_EQ(0, pt_stats(self->env.ctx, d->index, st));
}

/* Writes write @tag of [slba, slba + nb) on @d's block device, O_DIRECT. */
static void put(struct __test_metadata *_metadata, const struct pt_disk *d,
		char *buf, __u64 slba, __u32 nb, __u32 tag)
{
	int fd = open(d->blk, O_RDWR | O_DIRECT | O_CLOEXEC);

	ASSERT_LE(0, fd);
	pt_fill(buf, d->bs, slba, nb, tag);
	ASSERT_EQ(0, pt_blk_rw(fd, true, buf, slba * d->bs,
			       (size_t)nb * d->bs));
	close(fd);
}

/* Does [slba, slba + nb) of @d hold write @tag? Read through @d's block device. */
static bool holds(struct __test_metadata *_metadata, const struct pt_disk *d,
		  char *buf, __u64 slba, __u32 nb, __u32 tag, const char *what)
{
	int fd = open(d->blk, O_RDONLY | O_DIRECT | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	memset(buf, 0x5a, (size_t)nb * d->bs);
	ok = !pt_blk_rw(fd, false, buf, slba * d->bs, (size_t)nb * d->bs) &&
	     pt_verify(_metadata, buf, d->bs, slba, nb, tag, what);
	close(fd);
	return ok;
}

/* Compare is not offered on file disks: 0x4001, match or not. */
TEST_F(fb, compare_not_offered)
{
	struct zcblk_dev_stats s0, s1;
	struct nvme_uring_cmd c;
	unsigned char *id;
	int cfd, res, k, via;
	__u16 oncs;
	struct pt_q q;
	char *buf;

	pt_open(_metadata, &self->over, &cfd, NULL);
	buf = pt_map(PT_MiB);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, pt_q_init(&q, cfd, 8, PT_RING_FLAGS));

	id = (unsigned char *)buf + 512 * PT_KiB;
	c = pt_identify(0, 1, 0, id);
	ASSERT_EQ(0, pt_passthru(cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL));
	oncs = pt_le16(id + ID_CTRL_ONCS);
	ksft_print_msg("file disk: ONCS 0x%x\n", oncs);
	EXPECT_EQ(0, oncs & 1) {
		TH_LOG("ONCS 0x%x offers Compare on a file disk", oncs);
	}
	EXPECT_EQ(0xc, oncs & 0xc) {		/* DSM, Write Zeroes */
		TH_LOG("ONCS 0x%x: DSM and Write Zeroes not offered", oncs);
	}

	put(_metadata, &self->over, buf, 64, 8, 1);
	stats(_metadata, self, &self->over, &s0);
	for (k = 0; k < 2; k++) {
		pt_fill(buf, 512, 64, 8, 1);
		if (k)
			buf[3 * 512 + 100] ^= 1;	/* one byte off */
		for (via = 0; via < 3; via++) {
			static const char *const how[] = {
				"uring_cmd", "NVME_IOCTL_IO_CMD",
				"NVME_IOCTL_SUBMIT_IO",
			};

			c = pt_rw(PT_OP_COMPARE, 64, 8, buf, 8 * 512);
			if (via == 0)
				res = pt_q_cmd(&q, NVME_URING_CMD_IO, &c, -1,
					       NULL);
			else if (via == 1)
				res = pt_passthru(cfd, NVME_IOCTL_IO_CMD, &c,
						  NULL);
			else
				res = pt_submit_io(cfd, PT_OP_COMPARE, 64, 8,
						   buf);
			EXPECT_EQ(PT_SC_INVALID_OPCODE, res) {
				TH_LOG("Compare of %s data through %s: %s, want Invalid Opcode",
				       k ? "different" : "equal", how[via],
				       pt_res_str(res));
			}
		}
	}
	stats(_metadata, self, &self->over, &s1);
	EXPECT_EQ(s0.read_cmds, s1.read_cmds) {
		TH_LOG("a Compare read the backing file");
	}
	EXPECT_TRUE(holds(_metadata, &self->over, buf, 64, 8, 1,
			  "data after Compare"));
	pt_q_exit(&q);
	munmap(buf, PT_MiB);
	close(cfd);
}

/* Direct I/O: buffers aligned to 512 work, others give EINVAL. */
TEST_F(fb, misaligned)
{
	static const size_t bad[] = { 1, 8, 256, 511 };
	const __u32 nb = 4, len = nb * 512;
	struct iovec iov[3];
	struct nvme_uring_cmd c;
	int cfd, bfd, res, via, op;
	struct pt_q q;
	size_t i;
	char *buf, *fixed;

	pt_open(_metadata, &self->over, &cfd, &bfd);
	buf = pt_map(PT_MiB);
	fixed = pt_map(PT_MiB);
	ASSERT_TRUE(buf && fixed);
	ASSERT_EQ(0, pt_q_init(&q, cfd, 8, PT_RING_FLAGS));
	iov[0] = (struct iovec){ fixed, PT_MiB };
	ASSERT_EQ(0, io_uring_register_buffers(&q.ring, iov, 1));

	put(_metadata, &self->over, buf, 32, nb, 1);
	for (op = 0; op < 2; op++) {
		__u8 opc = op ? PT_OP_WRITE : PT_OP_READ;
		const char *name = op ? "Write" : "Read";

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			char *p = buf + PT_PAGE + bad[i];

			pt_fill(p, 512, 32, nb, 2);	/* other data */
			c = pt_rw(opc, 32, nb, p, len);
			for (via = 0; via < 2; via++) {
				res = via ? pt_passthru(cfd, NVME_IOCTL_IO_CMD,
							&c, NULL) :
					    pt_q_cmd(&q, NVME_URING_CMD_IO, &c,
						     -1, NULL);
				EXPECT_EQ(-EINVAL, res) {
					TH_LOG("%s from an address 4096 * n + %zu through %s: %s, want -EINVAL",
					       name, bad[i],
					       via ? "NVME_IOCTL_IO_CMD" :
						     "uring_cmd",
					       pt_res_str(res));
				}
			}
			/* Registered buffer at that offset */
			c = pt_rw(opc, 32, nb, fixed + bad[i], len);
			res = pt_q_cmd(&q, NVME_URING_CMD_IO, &c, 0, NULL);
			EXPECT_EQ(-EINVAL, res) {
				TH_LOG("%s, registered buffer + %zu: %s, want -EINVAL",
				       name, bad[i], pt_res_str(res));
			}
			/* The block device: the block layer says so */
			res = op ? pt_blk_rw(bfd, true, p, 32 * 512, len) :
				   pt_blk_rw(bfd, false, p, 32 * 512, len);
			EXPECT_EQ(-EINVAL, res) {
				TH_LOG("block device O_DIRECT %s, buffer + %zu: %s",
				       name, bad[i], pt_res_str(res));
			}
		}
		/* Segment lengths: 768 + 1280 at aligned addresses */
		iov[0] = (struct iovec){ buf + PT_PAGE, 768 };
		iov[1] = (struct iovec){ buf + 4 * PT_PAGE, len - 768 };
		c = pt_rw_vec(opc, 32, nb, iov, 2);
		res = pt_q_cmd(&q, NVME_URING_CMD_IO_VEC, &c, -1, NULL);
		EXPECT_EQ(-EINVAL, res) {
			TH_LOG("%s, iovecs of 768 and 1280 bytes: %s, want -EINVAL",
			       name, pt_res_str(res));
		}
		res = pt_passthru(cfd, NVME_IOCTL_IO64_CMD_VEC, &c, NULL);
		EXPECT_EQ(-EINVAL, res) {
			TH_LOG("%s, iovecs of 768 and 1280 bytes (ioctl): %s, want -EINVAL",
			       name, pt_res_str(res));
		}
	}
	EXPECT_TRUE(holds(_metadata, &self->over, buf, 32, nb, 1,
			  "data after refused Writes"));

	/* Controls: 512-aligned, not page aligned */
	pt_fill(buf + PT_PAGE + 512, 512, 32, nb, 3);
	c = pt_rw(PT_OP_WRITE, 32, nb, buf + PT_PAGE + 512, len);
	res = pt_q_cmd(&q, NVME_URING_CMD_IO, &c, -1, NULL);
	EXPECT_EQ(0, res) {
		TH_LOG("Write from 4096 * n + 512: %s", pt_res_str(res));
	}
	memset(fixed + 1536, 0, len);
	c = pt_rw(PT_OP_READ, 32, nb, fixed + 1536, len);
	res = pt_q_cmd(&q, NVME_URING_CMD_IO, &c, 0, NULL);
	EXPECT_EQ(0, res) {
		TH_LOG("Read into registered buffer + 1536: %s",
		       pt_res_str(res));
	}
	EXPECT_TRUE(pt_verify(_metadata, fixed + 1536, 512, 32, nb, 3,
			      "Read into registered buffer + 1536"));
	/* with an empty segment between, whose address is not aligned */
	iov[0] = (struct iovec){ buf + 8 * PT_PAGE + 512, 512 };
	iov[1] = (struct iovec){ buf + 10 * PT_PAGE + 3, 0 };
	iov[2] = (struct iovec){ buf + 12 * PT_PAGE + 3584, len - 512 };
	memset(iov[0].iov_base, 0, 512);
	memset(iov[2].iov_base, 0, len - 512);
	c = pt_rw_vec(PT_OP_READ, 32, nb, iov, 3);
	res = pt_q_cmd(&q, NVME_URING_CMD_IO_VEC, &c, -1, NULL);
	EXPECT_EQ(0, res) {
		TH_LOG("Read into iovecs of 512, 0 (at +3) and 1536 bytes: %s",
		       pt_res_str(res));
	}
	EXPECT_TRUE(pt_verify(_metadata, iov[0].iov_base, 512, 32, 1, 3,
			      "iovec 0"));
	EXPECT_TRUE(pt_verify(_metadata, iov[2].iov_base, 512, 33, nb - 1, 3,
			      "iovec 2"));
	EXPECT_EQ(0, pt_blk_rw(bfd, false, buf + 2 * PT_PAGE + 512, 32 * 512,
			       len));
	EXPECT_TRUE(pt_verify(_metadata, buf + 2 * PT_PAGE + 512, 512, 32, nb,
			      3, "block device O_DIRECT read at 4096 * n + 512"));
	pt_q_exit(&q);
	munmap(buf, PT_MiB);
	munmap(fixed, PT_MiB);
	close(cfd);
	close(bfd);
}

/*
 * Backing I/O errors: 0x6 each, "errors" and SMART media errors exactly.
 * The harness's default 30 s cover the fixture's two disks and loop
 * device too: not enough on the debug kernel with three VMs on two CPUs.
 */
TEST_F_TIMEOUT(fb, backend_errors, 120)
{
	const int n = 5;
	struct zcblk_dev_stats st;
	struct nvme_uring_cmd c;
	unsigned char *smart;
	int cfd, i, res;
	__u64 media;
	char *buf;

	pt_open(_metadata, &self->over, &cfd, NULL);
	buf = pt_map(PT_MiB);
	ASSERT_NE(NULL, buf);
	smart = (unsigned char *)buf + 512 * PT_KiB;

	stats(_metadata, self, &self->over, &st);
	ASSERT_EQ(0, st.errors);
	set_under(_metadata, self, ZCBLK_SET_FAIL_EVERY | ZCBLK_SET_FAIL_OPS,
		  1, ZCBLK_FAIL_OPS_READS, 0);
	for (i = 0; i < n; i++) {
		/* LBAs nobody read yet: no page cache below either */
		c = pt_rw(PT_OP_READ, 4096 + i * 256, 8, buf, 8 * 512);
		res = pt_passthru(cfd, NVME_IOCTL_IO_CMD, &c, NULL);
		EXPECT_EQ(SC_INTERNAL, res) {
			TH_LOG("Read %d, the backing store failing: %s, want 0x6",
			       i, pt_res_str(res));
		}
	}
	set_under(_metadata, self, ZCBLK_SET_FAIL_EVERY, 0, 0, 0);
	c = pt_rw(PT_OP_READ, 8192, 8, buf, 8 * 512);
	res = pt_passthru(cfd, NVME_IOCTL_IO_CMD, &c, NULL);
	EXPECT_EQ(0, res) {
		TH_LOG("Read after the backing store recovered: %s",
		       pt_res_str(res));
	}

	stats(_metadata, self, &self->over, &st);
	EXPECT_EQ((__u64)n, st.errors);
	EXPECT_EQ(0, st.injected);
	memset(smart, 0xff, 512);
	c = pt_get_log(0xffffffff, 0x02, smart, 512);
	res = pt_passthru(cfd, NVME_IOCTL_ADMIN64_CMD, &c, NULL);
	ASSERT_EQ(0, res) {
		TH_LOG("Get Log Page SMART: %s", pt_res_str(res));
	}
	media = pt_le64(smart + SMART_MEDIA_ERR);
	ksft_print_msg("file disk: %d failed Reads, errors %llu, SMART media errors %llu\n",
		       n, (unsigned long long)st.errors,
		       (unsigned long long)media);
	EXPECT_EQ((__u64)n, media);
	EXPECT_EQ(0, pt_le64(smart + SMART_MEDIA_ERR + 8));
	munmap(buf, PT_MiB);
	close(cfd);
}

/*
 * The file backend completes a request from the backing I/O's completion,
 * possibly before its submit returns: what the disk counts of a command
 * must be counted by then. Hundreds of tries on each disk, as the window
 * is short: the one over the loop device (completions from the loop's
 * worker), and one on a tmpfs file (completed inline, by the disk's own
 * worker, which the waking submitter may preempt).
 */
static void count_each(struct __test_metadata *_metadata,
		       FIXTURE_DATA(fb) *self, const struct pt_disk *d)
{
	static const char *const how[] = { "ioctl", "io_uring", "block" };
	const int n = 300;
	struct zcblk_dev_stats st0, st;
	struct nvme_uring_cmd c;
	__u64 rd = 0, wr = 0;
	int cfd, bfd, i, res;
	struct pt_q q;
	char *buf;

	pt_open(_metadata, d, &cfd, &bfd);
	buf = pt_map(PT_MiB);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, pt_q_init(&q, cfd, 4, PT_RING_FLAGS));
	ASSERT_EQ(0, pt_stats_idle(self->env.ctx, d->index, &st0));
	for (i = 0; i < n; i++) {
		bool write = i & 1;
		__u64 slba = (i * 8) % 8192;

		c = pt_rw(write ? PT_OP_WRITE : PT_OP_READ, slba, 8, buf,
			  8 * 512);
		if (i % 3 == 0)
			res = pt_passthru(cfd, NVME_IOCTL_IO64_CMD, &c, NULL);
		else if (i % 3 == 1)
			res = pt_q_cmd(&q, NVME_URING_CMD_IO, &c, -1, NULL);
		else
			res = pt_blk_rw(bfd, write, buf, slba * 512, 8 * 512);
		ASSERT_EQ(0, res) {
			TH_LOG("%s: command %d: %s", d->chr, i,
			       pt_res_str(res));
		}
		*(write ? &wr : &rd) += 1;
		ASSERT_EQ(0, pt_stats(self->env.ctx, d->index, &st));
		ASSERT_EQ(wr * 4096 + rd * 4096,
			  st.write_bytes - st0.write_bytes +
			  st.read_bytes - st0.read_bytes) {
			TH_LOG("%s: a %s %s, done, not counted yet", d->chr,
			       how[i % 3], write ? "Write" : "Read");
		}
		ASSERT_EQ(wr, st.write_cmds - st0.write_cmds);
		ASSERT_EQ(rd, st.read_cmds - st0.read_cmds);
	}
	pt_q_exit(&q);
	munmap(buf, PT_MiB);
	close(bfd);
	close(cfd);
}

TEST_F_TIMEOUT(fb, counted_at_completion, 120)
{
	char path[] = "/tmp/zcblk-fb.XXXXXX";
	struct pt_disk_cfg cfg = { .size = SIZE, .bs = 512 };
	struct pt_disk tmp;
	int res;

	count_each(_metadata, self, &self->over);
	pt_backing_file(_metadata, path, SIZE, &cfg);
	res = pt_disk_add(_metadata, &self->env, &cfg, &tmp);
	unlink(path);
	ASSERT_EQ(0, res);
	count_each(_metadata, self, &tmp);
}

/* Does the kernel log have a record containing @needle after @after? */
static bool kmsg_has(unsigned long long after, const char *needle)
{
	static char rec[8192];
	bool found = false;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return false;
	for (;;) {
		ssize_t r = read(fd, rec, sizeof(rec) - 1);
		char *comma;

		if (r < 0) {
			if (errno == EPIPE)
				continue;
			break;
		}
		rec[r] = '\0';
		comma = strchr(rec, ',');
		if (comma && strtoull(comma + 1, NULL, 10) > after &&
		    strstr(rec, needle))
			found = true;
	}
	close(fd);
	return found;
}

/*
 * The backing store hangs (under stalled) past the disk's 1 s timeout:
 * the Read is not ended, the timeout is counted and logged; once the
 * backing I/O completes, so does the Read, with its data.
 */
TEST_F_TIMEOUT(fb, timeout_waits, 120)
{
	struct __kernel_timespec wait = { .tv_sec = 6 };
	struct zcblk_dev_stats so, su;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct nvme_uring_cmd c;
	unsigned long long seq;
	char msg[96], *buf;
	int cfd, ret, res;
	struct pt_q q;

	pt_open(_metadata, &self->over, &cfd, NULL);
	buf = pt_map(PT_MiB);
	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, pt_q_init(&q, cfd, 8, PT_RING_FLAGS));
	/* The data, on the disk below, where nothing read it yet */
	put(_metadata, &self->under, buf, 12288, 16, 7);
	seq = pt_kmsg_seq();

	set_under(_metadata, self, ZCBLK_SET_STALL, 0, 0, 1);
	memset(buf, 0xa5, 16 * 512);
	c = pt_rw(PT_OP_READ, 12288, 16, buf, 16 * 512);
	sqe = io_uring_get_sqe(&q.ring);
	ASSERT_NE(NULL, sqe);
	pt_q_prep(&q, sqe, NVME_URING_CMD_IO, &c, -1, 1);
	ASSERT_EQ(1, io_uring_submit(&q.ring));
	ret = io_uring_wait_cqe_timeout(&q.ring, &cqe, &wait);
	EXPECT_EQ(-ETIME, ret) {
		TH_LOG("the Read completed (%d) while its backing I/O hung",
		       ret ? ret : cqe->res);
	}
	stats(_metadata, self, &self->over, &so);
	stats(_metadata, self, &self->under, &su);
	ksft_print_msg("after 6 s: file disk timeouts %llu, in flight %u\n",
		       (unsigned long long)so.timeouts, so.pt_inflight);
	EXPECT_LE(1, so.timeouts) {
		TH_LOG("6 s past a 1 s timeout: no timeout counted");
	}
	EXPECT_EQ(ret ? 1 : 0, so.pt_inflight);
	EXPECT_EQ(0, su.timeouts);

	set_under(_metadata, self, ZCBLK_SET_STALL, 0, 0, 0);
	if (ret) {
		wait.tv_sec = 30;
		ret = io_uring_wait_cqe_timeout(&q.ring, &cqe, &wait);
		ASSERT_EQ(0, ret) {
			TH_LOG("the Read did not complete after the backing store did");
		}
	}
	res = cqe->res;
	io_uring_cqe_seen(&q.ring, cqe);
	EXPECT_EQ(0, res) {
		TH_LOG("the Read whose backing I/O outlived the timeout: %s, want success",
		       pt_res_str(res));
	}
	if (!res)
		EXPECT_TRUE(pt_verify(_metadata, buf, 512, 12288, 16, 7,
				      "the Read that outlived its timeout"));
	snprintf(msg, sizeof(msg),
		 "zcblk%u: backing I/O over its timeout, waiting for it",
		 self->over.index);
	EXPECT_TRUE(kmsg_has(seq, msg)) {
		TH_LOG("no \"%s\" in the kernel log", msg);
	}
	pt_q_exit(&q);
	munmap(buf, PT_MiB);
	close(cfd);
}

TEST_HARNESS_MAIN
