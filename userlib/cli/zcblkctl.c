// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl: create, list, show, change and remove zcblk disks, show their
 * counters, follow their events, and what the module offers.  One file
 * per subcommand.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char *argv[]);
	const char *description;
} subcommands[] = {
	{ "add",      add_main,      "create a disk" },
	{ "del",      del_main,      "remove a disk" },
	{ "list",     list_main,     "list the disks" },
	{ "show",     show_main,     "show one disk and its settings" },
	{ "set",      set_main,      "change a disk's live settings (faults, latency, power)" },
	{ "stats",    stats_main,    "show a disk's I/O and pin counters" },
	{ "monitor",  monitor_main,  "print the disks' events as they happen" },
	{ "features", features_main, "show what the loaded module offers" },
	{ "version",  version_main,  "show the versions of zcblkctl, libzcblk, zcblk.ko" },
};

static void show_usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s [-p|--pretty] <command> [<args>]\n"
		"       %s -V|--version\n\nCommands:\n", PROG_NAME, PROG_NAME);
	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(f, "  %-9s %s\n", subcommands[i].name,
			subcommands[i].description);
	fprintf(f, "  %-9s %s\n\n", "help", "show this, or help on a command");
	fprintf(f, "Options:\n"
		"  -p, --pretty   indent the JSON of the command's -j\n"
		"  -V, --version  the versions, as '%s version'\n"
		"  -h, --help     show this\n\n", PROG_NAME);
	fprintf(f, "'%s <command> --help' describes a command.\n"
		"Exit status: 0 success, 1 usage error, 2 the operation failed.\n",
		PROG_NAME);
}

int main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "pretty",	no_argument, NULL, 'p' },
		{ "version",	no_argument, NULL, 'V' },
		{ "help",	no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	/* '+': the options before the command only; the rest is its own. */
	static const char shortopts[] = "+:pVh";
	char *help_argv[] = { NULL, "--help", NULL };
	char *version_argv[] = { "version", NULL };
	bool version = false, help = false;
	size_t i;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
		switch (opt) {
		case 'p':
			json_set_pretty(true);
			break;
		case 'V':
			version = true;
			break;
		case 'h':
			help = true;
			break;
		default:
			return bad_option(NULL, opt, argv, shortopts + 1, options);
		}
	}
	argc -= optind;
	argv += optind;
	/* The subcommands' getopt_long() starts afresh, permuting. */
	optind = 0;
	if (version) {
		if (argc)
			return usage_error(NULL, "unexpected argument: %s",
					   argv[0]);
		return version_main(1, version_argv);
	}
	if (!help && argc < 1) {
		show_usage(stderr);
		return EXIT_USAGE;
	}
	/* "help", "--help" or "-h", alone or before a command */
	if (help || !strcmp(argv[0], "help")) {
		if (!help) {
			argc--;
			argv++;
		}
		if (argc < 1) {
			show_usage(stdout);
			return 0;
		}
		/* "help <command>" is "<command> --help" */
		help_argv[0] = argv[0];
		argc = 2;
		argv = help_argv;
	}

	for (i = 0; i < ARRAY_SIZE(subcommands); i++) {
		if (!strcmp(argv[0], subcommands[i].name))
			return subcommands[i].fn(argc, argv);
	}
	fprintf(stderr, "%s: unknown command '%s'\n\n", PROG_NAME, argv[0]);
	show_usage(stderr);
	return EXIT_USAGE;
}
