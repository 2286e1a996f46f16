// SPDX-License-Identifier: GPL-2.0
/*
 * Dataset Management under a range list that user space rewrites while
 * the command runs. The list lives in user memory (pinned, and shared
 * with the process), so zcblk must read it once: a range checked against
 * the disk and then read again to be deallocated may by then name any
 * LBA. On the file backend a deallocation is a hole punched in the
 * backing file, so a range re-read after the check would punch a hole
 * outside the disk.
 *
 * The disk: 4 MiB of 4096-byte blocks over a 5 MiB backing file on the
 * guest's tmpfs (which punches holes); the last MiB of the file is past
 * the disk's end and no command may ever reach it. Both parts hold a
 * pattern. Each round sends a DSM with the AD bit and 256 ranges, all
 * inside the disk, through uring_cmd or one of the ioctls, while another
 * thread keeps flipping the last range's slba between its own LBA and
 * one in the file's tail. The last range is the one to flip: it is read
 * last when the list is checked and, by a driver that reads the list
 * twice, again after 255 holes were punched, the widest window there is.
 *
 * Every round must end with success (the list seen as written) or LBA
 * Out of Range (the flipped slba seen), and the tail of the backing file,
 * read directly, must still hold its pattern. At the end: both outcomes
 * were seen (the racer did race), the blocks no range names still hold
 * theirs, and the ranges read back as zeros.
 */
#include <pthread.h>

#include "pt_common.h"

#define BS		4096
#define DISK_SIZE	(4 * PT_MiB)
#define TAIL_SIZE	(1 * PT_MiB)
#define NR_RANGES	256
#define RANGE_NLB	2		/* range i: LBAs 4i, 4i + 1 */
#define FLIP		(NR_RANGES - 1)
#define MAX_ROUNDS	500
#define MAX_SECONDS	30
#define TAG_DISK	1
#define TAG_TAIL	2

FIXTURE(dsm) {
	struct pt_env env;
	struct pt_disk d;
	char path[64];		/* the backing file */
	bool buffered;
};

FIXTURE_SETUP(dsm)
{
	const __u64 nlbas = DISK_SIZE / BS, tail = TAIL_SIZE / BS;
	struct pt_disk_cfg cfg = {
		.backend = "file", .size = DISK_SIZE, .bs = BS,
	};
	char *buf;
	int fd;

	pt_env_setup(_metadata, &self->env);
	if (_metadata->exit_code)
		return;
	/* The guest's /tmp is a tmpfs: it punches holes (FALLOC_FL_PUNCH_HOLE) */
	snprintf(self->path, sizeof(self->path), "/tmp/zcblk-dsm-race.XXXXXX");
	fd = mkstemp(self->path);
	ASSERT_LE(0, fd) {
		TH_LOG("mkstemp %s: %s", self->path, strerror(errno));
	}
	buf = pt_map(DISK_SIZE + TAIL_SIZE);
	ASSERT_NE(NULL, buf);
	pt_fill(buf, BS, 0, nlbas, TAG_DISK);
	pt_fill(buf + DISK_SIZE, BS, nlbas, tail, TAG_TAIL);
	ASSERT_EQ((ssize_t)(DISK_SIZE + TAIL_SIZE),
		  pwrite(fd, buf, DISK_SIZE + TAIL_SIZE, 0));
	munmap(buf, DISK_SIZE + TAIL_SIZE);
	close(fd);

	/*
	 * A disk smaller than its file. tmpfs takes direct I/O on 6.12 but
	 * not on 6.1: there the disk is buffered. DSM is the same hole
	 * either way.
	 */
	fd = open(self->path, O_RDWR | O_DIRECT | O_CLOEXEC);
	if (fd < 0) {
		ASSERT_EQ(EINVAL, errno);
		cfg.flags = ZCBLK_DEV_F_BUFFERED;
		self->buffered = true;
	} else {
		close(fd);
	}
	cfg.path = self->path;
	ASSERT_EQ(0, pt_disk_add(_metadata, &self->env, &cfg, &self->d));
}

FIXTURE_TEARDOWN_PARENT(dsm)
{
	pt_env_teardown(_metadata, &self->env);
	if (self->path[0])
		unlink(self->path);
}

/* What the racing thread shares with the test. */
struct racer {
	struct pt_dsm_range *list;
	__u64 good, bad;	/* the flipped range's two slbas */
	bool stop;
	__u64 flips;
};

/*
 * Flips the last range's slba, holding each value a random while (up to
 * a few microseconds): short against the window of a driver that reads
 * the list twice, so the two reads see the two values about as often as
 * the same one.
 */
static void *racer_fn(void *arg)
{
	struct racer *r = arg;
	__u64 x = pt_rand(0x7ace), n = 0;
	unsigned int i;

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		__atomic_store_n(&r->list[FLIP].slba, n & 1 ? r->bad : r->good,
				 __ATOMIC_RELAXED);
		n++;
		x = pt_mix64(x);
		for (i = 0; i < (x & 1023); i++)
			asm volatile("" ::: "memory");	/* a loop kept */
	}
	__atomic_store_n(&r->list[FLIP].slba, r->good, __ATOMIC_RELAXED);
	r->flips = n;
	return NULL;
}

/* Is the backing file's tail (past the disk) as it was written? */
static bool tail_intact(struct __test_metadata *_metadata, int ffd, char *buf,
			const struct pt_disk *d, unsigned int round)
{
	char what[64];

	if (pread(ffd, buf, TAIL_SIZE, DISK_SIZE) != (ssize_t)TAIL_SIZE) {
		TH_LOG("round %u: reading the backing file's tail: %s", round,
		       strerror(errno));
		return false;
	}
	snprintf(what, sizeof(what), "round %u: backing file past the disk",
		 round);
	return pt_verify(_metadata, buf, BS, d->nlbas, TAIL_SIZE / BS,
			 TAG_TAIL, what);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

TEST_F_TIMEOUT(dsm, range_list_rewritten, 120)
{
	static const char *const path_name[] = {
		"uring_cmd", "NVME_IOCTL_IO_CMD", "NVME_IOCTL_IO64_CMD",
	};
	unsigned int round, ok = 0, lba_range = 0, rounds = 0, i;
	const __u64 nlbas = self->d.nlbas;
	struct racer r = { 0 };
	struct nvme_uring_cmd c;
	char *tail, *blk, what[64];
	pthread_t th;
	struct pt_q q;
	double t0;
	int cfd, ffd, res, ret;
	bool intact;

	ASSERT_EQ(DISK_SIZE / BS, nlbas);
	TH_LOG("disk %s over %s%s", self->d.blk, self->path,
	       self->buffered ? " (buffered: no direct I/O on this tmpfs)" : "");
	pt_open(_metadata, &self->d, &cfd, NULL);
	ret = pt_q_init(&q, cfd, 4, PT_RING_FLAGS);
	ASSERT_EQ(0, ret);
	ffd = open(self->path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ffd);
	tail = pt_map(TAIL_SIZE);
	blk = pt_map(DISK_SIZE);
	r.list = pt_map(PT_PAGE);
	ASSERT_TRUE(tail && blk && r.list);
	ASSERT_TRUE(tail_intact(_metadata, ffd, tail, &self->d, 0));

	for (i = 0; i < NR_RANGES; i++) {
		r.list[i].cattr = 0;
		r.list[i].nlb = RANGE_NLB;
		r.list[i].slba = 4ULL * i;
	}
	r.good = 4ULL * FLIP;
	r.bad = nlbas + 100;	/* whole, in the file's tail */
	ASSERT_EQ(0, pthread_create(&th, NULL, racer_fn, &r));

	/* DSM, AD, NR = 255: the list is exactly one page. */
	c = pt_admin(PT_OP_DSM, PT_NSID, NR_RANGES - 1, PT_DSM_AD, r.list,
		     NR_RANGES * sizeof(struct pt_dsm_range));
	t0 = now_s();
	for (round = 1; round <= MAX_ROUNDS; round++) {
		unsigned int p = round % 3;

		if (p == 0)
			res = pt_q_cmd(&q, NVME_URING_CMD_IO, &c, -1, NULL);
		else
			res = pt_passthru(cfd, p == 1 ? NVME_IOCTL_IO_CMD :
					  NVME_IOCTL_IO64_CMD, &c, NULL);
		rounds = round;
		ok += res == 0;
		lba_range += res == PT_SC_LBA_RANGE;
		EXPECT_TRUE(res == 0 || res == PT_SC_LBA_RANGE) {
			TH_LOG("round %u: %s: DSM: %s, want success or LBA Out of Range",
			       round, path_name[p], pt_res_str(res));
		}
		intact = tail_intact(_metadata, ffd, tail, &self->d, round);
		EXPECT_TRUE(intact) {
			TH_LOG("round %u: %s: DSM (%s) deallocated past the disk's end: the range list was read again after it was checked",
			       round, path_name[p], pt_res_str(res));
		}
		if (_metadata->exit_code || now_s() - t0 > MAX_SECONDS)
			break;
	}
	__atomic_store_n(&r.stop, true, __ATOMIC_RELAXED);
	pthread_join(th, NULL);
	TH_LOG("%u rounds in %.1f s: %u succeeded, %u LBA Out of Range; %llu flips",
	       rounds, now_s() - t0, ok, lba_range,
	       (unsigned long long)r.flips);

	if (!_metadata->exit_code) {
		/* The racer raced: the flipped slba was seen, and not always. */
		EXPECT_LT(0, ok);
		EXPECT_LT(0, lba_range);
		/* The disk: ranges deallocated (zeros), the rest untouched. */
		ASSERT_EQ(0, pt_q_cmd(&q, NVME_URING_CMD_IO, &c, -1, NULL));
		ASSERT_EQ((ssize_t)DISK_SIZE, pread(ffd, blk, DISK_SIZE, 0));
		for (i = 0; i < NR_RANGES; i++) {
			__u64 lba = 4ULL * i;

			snprintf(what, sizeof(what), "LBA %llu, no range's",
				 (unsigned long long)lba + RANGE_NLB);
			EXPECT_TRUE(pt_all_bytes(blk + lba * BS, RANGE_NLB * BS,
						 0)) {
				TH_LOG("range %u (LBA %llu + %u) not zero after DSM",
				       i, (unsigned long long)lba, RANGE_NLB);
			}
			EXPECT_TRUE(pt_verify(_metadata,
					      blk + (lba + RANGE_NLB) * BS, BS,
					      lba + RANGE_NLB, 4 - RANGE_NLB,
					      TAG_DISK, what));
			if (_metadata->exit_code)
				break;
		}
		EXPECT_TRUE(tail_intact(_metadata, ffd, tail, &self->d, 0));
	}
	munmap(r.list, PT_PAGE);
	munmap(blk, DISK_SIZE);
	munmap(tail, TAIL_SIZE);
	close(ffd);
	pt_q_exit(&q);
	close(cfd);
}

TEST_HARNESS_MAIN
