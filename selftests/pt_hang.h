/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For tests that run rounds under alarm(): the round and the stage it is
 * in, and the SIGALRM handler that says where it hung and fails the test.
 * Define PT_HANG_NAME (the test's name) and PT_HANG_SECONDS (the alarm)
 * before including it, after pt_common.h.
 */
#ifndef PT_HANG_H
#define PT_HANG_H

#include <signal.h>

static volatile sig_atomic_t round_no;
static const char *volatile stage = "setup";

static void on_alarm(int sig)
{
	char msg[160];
	int n;

	(void)sig;
	n = snprintf(msg, sizeof(msg), "# %s: round %d hung for %d s while %s\n",
		     PT_HANG_NAME, (int)round_no, PT_HANG_SECONDS, stage);
	if (write(2, msg, n) < 0) {
		/* nothing more to do */
	}
	_exit(KSFT_FAIL);
}

#endif /* PT_HANG_H */
