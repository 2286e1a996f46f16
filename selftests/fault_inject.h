/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the fault injection tests share (fault_inject.c, fault_inject_cmds.c):
 * this thread's fail-nth and FAIL_EACH(), which fails an operation's
 * allocations one at a time. Debug kernel only (CONFIG_FAULT_INJECTION,
 * FAILSLAB, FAIL_PAGE_ALLOC); fi_enable() says when to skip.
 *
 * ZCBLK_FI_MAX (default 4000) bounds the N tried per operation;
 * ZCBLK_FI_FROM (default 1) is the first, to look at a range by hand, and
 * ZCBLK_FI_VERBOSE=1 then has the kernel log each injected failure's stack.
 */
#ifndef ZCBLK_FAULT_INJECT_H
#define ZCBLK_FAULT_INJECT_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pt_common.h"

#define DBG		"/sys/kernel/debug/"

/* Write @val to debugfs file @path: 0 or -errno. */
static inline int put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* fail-nth of this thread, opened once: opening it allocates. */
static int nth_fd = -1;

static inline void nth_set(unsigned int n)
{
	char s[16];
	int len = snprintf(s, sizeof(s), "%u", n);

	if (pwrite(nth_fd, s, len, 0) != len)
		abort();	/* the file was there at setup */
}

/* What is left of fail-nth: 0 once the fault was injected. */
static inline unsigned int nth_left(void)
{
	char s[16] = "";

	if (pread(nth_fd, s, sizeof(s) - 1, 0) <= 0)
		abort();
	return strtoul(s, NULL, 10);
}

static inline unsigned int env_uint(const char *name, unsigned int def)
{
	const char *s = getenv(name);

	return s && atoi(s) > 0 ? (unsigned int)atoi(s) : def;
}

/* An allocation failure may surface as these, nothing else. */
static inline bool alloc_errno(int ret)
{
	return ret == -ENOMEM || ret == -ENOBUFS || ret == -EAGAIN;
}

static inline int fi_count_cb(const struct zcblk_dev_info *info, void *arg)
{
	(void)info;
	++*(int *)arg;
	return 0;
}

/* How many disks there are, or -errno. */
static inline int count_disks(struct zcblk_ctx *ctx)
{
	int n = 0, ret = zcblk_dev_list(ctx, fi_count_cb, &n);

	return ret ? ret : n;
}

/*
 * This thread's fail-nth opened, failslab and fail_page_alloc set to fail
 * sleeping allocations and order-0 pages too, quietly unless
 * ZCBLK_FI_VERBOSE: 0, or 1 when the kernel has no fault injection (the
 * caller skips).
 */
static inline int fi_enable(struct __test_metadata *_metadata)
{
	const char *verbose = env_uint("ZCBLK_FI_VERBOSE", 0) ? "1" : "0";

	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0 || access(DBG "failslab", F_OK) ||
	    access(DBG "fail_page_alloc", F_OK))
		return 1;
	/*
	 * Sleeping allocations too (GFP_KERNEL is what matters), order 0
	 * pages too, and no stack dump per failure unless asked: it reads as
	 * a splat.
	 */
	EXPECT_EQ(0, put(DBG "failslab/ignore-gfp-wait", "N"));
	EXPECT_EQ(0, put(DBG "failslab/verbose", verbose));
	EXPECT_EQ(0, put(DBG "fail_page_alloc/ignore-gfp-wait", "N"));
	EXPECT_EQ(0, put(DBG "fail_page_alloc/ignore-gfp-highmem", "N"));
	EXPECT_EQ(0, put(DBG "fail_page_alloc/min-order", "0"));
	EXPECT_EQ(0, put(DBG "fail_page_alloc/verbose", verbose));
	return 0;
}

/*
 * FAIL_UNTIL() runs @op with its 1st, 2nd, ... allocation failed until one
 * run reaches no failure, or until @until holds right after a failed run
 * (before @check, which may change what @until reads); @prep runs before
 * each, outside the injection (it may touch memory: a failed page fault
 * would only be retried, but say why not); @check judges each run (ret:
 * @op's return, faulted: whether the failure was injected), and @until
 * may use the same. Returns how many allocations were failed. FI_LOOP() is it,
 * given @op and @until as text (@name, @why) to print.
 */
#define FI_LOOP(name, why, until, prep, op, check)			\
	({								\
		unsigned int __n, __max = env_uint("ZCBLK_FI_MAX", 4000); \
		bool __until = false;					\
		for (__n = env_uint("ZCBLK_FI_FROM", 1); __n <= __max; __n++) { \
			bool faulted;					\
			int ret;					\
			(void)(prep);					\
			nth_set(__n);					\
			ret = (op);					\
			faulted = !nth_left();				\
			nth_set(0);					\
			__until = faulted && (until);			\
			check;						\
			if (!faulted)					\
				break;					\
			if (__until) {					\
				__n++;					\
				break;					\
			}						\
			if (!(__n % 250))				\
				ksft_print_msg("%s: %u so far\n", name, __n); \
		}							\
		EXPECT_LE(__n, __max) {					\
			TH_LOG("%s: still failing at %u: raise ZCBLK_FI_MAX", \
			       name, __max);				\
		}							\
		ksft_print_msg("%s: %u allocation sites failed in turn%s\n", \
			       name, __n - 1, __until ? ", until " why : "");   \
		__n - 1;						\
	})

#define FAIL_UNTIL(until, prep, op, check)				\
	FI_LOOP(#op, #until, until, prep, op, check)

/* FAIL_UNTIL() to the end: every allocation @op makes. */
#define FAIL_EACH(prep, op, check)					\
	FI_LOOP(#op, "", false, prep, op, check)

#endif /* ZCBLK_FAULT_INJECT_H */
