// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl monitor: one line per disk event (added, changed, removed), or
 * one JSON object per line (-j), until SIGINT/SIGTERM or --count events.
 */
#define _GNU_SOURCE	/* ppoll */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void monitor_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s monitor [-j|--json] [--pretty] [-c|--count N]\n"
		"                [--ready-file FILE]\n"
		"\n"
		"Print the disks' events as they happen: a disk added, its live\n"
		"settings changed ('%s set'), a disk removed. One line per event:\n"
		"  <event> <name> backend=... size=... state=... completion=...\n"
		"  latency_ns=... fail_every=... fail_ppm=... fail_status=...\n"
		"  fail_ops=... stall=... power=... bad_count=...\n"
		"or with -j one JSON object per line, with the key event (added,\n"
		"changed, removed) and the keys of '%s list -j' (the disk after the\n"
		"event; state \"dead\" once removed). Runs until SIGINT or SIGTERM\n"
		"(exit 0). Any user may run it.\n"
		"\n"
		"  -j, --json             print JSON lines\n"
		"      --pretty           with -j: each event indented, over lines\n"
		"  -c, --count N          exit after N events\n"
		"      --ready-file FILE  once subscribed (no later event can be\n"
		"                         missed), create FILE: for scripts\n"
		"  -h, --help             show this\n",
		PROG_NAME, PROG_NAME, PROG_NAME);
}

enum {
	OPT_READY_FILE = 256,
	OPT_PRETTY,
};

static volatile sig_atomic_t stop, writing;

/*
 * While an event is written, the signal ends monitor there and then: a
 * reader that does not read must not keep it. A line of up to PIPE_BUF
 * goes into a pipe whole or not at all.
 */
static void on_signal(int sig)
{
	(void)sig;
	if (writing)
		_exit(0);
	stop = 1;
}

static void print_event(__u32 event, const struct zcblk_dev_info *x,
			bool json)
{
	char size[32];

	if (json) {
		json_object_begin();
		json_kv_string("event", zcblk_event_name(event));
		json_disk_members(x);
		json_object_end();
	} else {
		format_size(x->disk_size, size, sizeof(size));
		printf("%s %s backend=%s size=%s state=%s completion=%s "
		       "latency_ns=%llu fail_every=%u fail_ppm=%u "
		       "fail_status=%#x fail_ops=%s stall=%s power=%s "
		       "bad_count=%u\n",
		       zcblk_event_name(event),
		       x->disk_name[0] ? x->disk_name : x->char_name, x->backend,
		       size,
		       zcblk_state_name(x->state),
		       completion_name(x->completion),
		       (unsigned long long)x->latency_ns, x->fail_every,
		       x->fail_ppm, x->fail_status, fail_ops_name(x->fail_ops),
		       x->stall ? "on" : "off", power_name(x->power),
		       x->bad_count);
	}
	/* A reader at the other end of a pipe wants each line now. */
	fflush(stdout);
}

static int write_ready_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || close(fd)) {
		fprintf(stderr, "%s: %s: %s\n", PROG_NAME, path,
			strerror(errno));
		return EXIT_FAILED;
	}
	return 0;
}

/*
 * SIGINT and SIGTERM are blocked except inside ppoll() and while an event
 * is written, so that one arriving at any other moment still ends the
 * wait at once.
 */
static int monitor_loop(struct zcblk_monitor *mon, __u64 count, bool json)
{
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct pollfd pfd = {
		.fd = zcblk_monitor_fd(mon),
		.events = POLLIN,
	};
	sigset_t block, orig;
	__u64 seen = 0;
	__u32 event;
	int ret = 0;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	while (!stop && (!count || seen < count)) {
		ret = zcblk_monitor_next(mon, &event, &info, 0);
		if (ret == 1) {
			writing = 1;
			sigprocmask(SIG_SETMASK, &orig, NULL);
			print_event(event, &info, json);
			sigprocmask(SIG_BLOCK, &block, NULL);
			writing = 0;
			seen++;
			continue;
		}
		if (ret == -ENOBUFS) {
			fprintf(stderr, "%s: events were lost (the socket's buffer overflowed)\n",
				PROG_NAME);
			continue;
		}
		if (ret < 0)
			break;
		if (ppoll(&pfd, 1, NULL, &orig) < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &orig, NULL);
	if (ret < 0) {
		fprintf(stderr, "%s: monitor: %s\n", PROG_NAME,
			strerror(-ret));
		return EXIT_FAILED;
	}
	return 0;
}

int monitor_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "json",	no_argument,	   NULL, 'j' },
		{ "pretty",	no_argument,	   NULL, OPT_PRETTY },
		{ "count",	required_argument, NULL, 'c' },
		{ "ready-file",	required_argument, NULL, OPT_READY_FILE },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char shortopts[] = ":jc:h";
	struct sigaction sa = { .sa_handler = on_signal };
	const char *ready_file = NULL;
	struct zcblk_monitor *mon;
	struct zcblk_ctx *ctx;
	bool json = false;
	__u64 count = 0;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'c':
			if (parse_u64(optarg, &count) || !count)
				return usage_error("monitor", "invalid --count (1 or more): %s",
						   optarg);
			break;
		case OPT_READY_FILE:
			ready_file = optarg;
			break;
		case OPT_PRETTY:
			json_set_pretty(true);
			break;
		case 'h':
			monitor_usage(stdout);
			return 0;
		default:
			return bad_option("monitor", opt, argv, shortopts, options);
		}
	}
	if (optind < argc)
		return usage_error("monitor", "unexpected argument: %s",
				   argv[optind]);

	/* No SA_RESTART: a signal must end the wait. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	ret = open_ctx(&ctx);
	if (ret)
		return ret;
	ret = zcblk_monitor_open(ctx, &mon);
	if (ret) {
		ret = report_error(ctx, ret);
		zcblk_ctx_close(ctx);
		return ret;
	}
	zcblk_ctx_close(ctx);
	if (ready_file)
		ret = write_ready_file(ready_file);
	if (!ret)
		ret = monitor_loop(mon, count, json);
	zcblk_monitor_close(mon);
	return finish_output(ret);
}
