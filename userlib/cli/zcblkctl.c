// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl: create, list, show, change and remove zcblk disks, show their
 * counters, follow their events, and what the module offers.  One file
 * per subcommand.
 */
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
	{ "set",      set_main,      "change a disk's live settings (faults, latency)" },
	{ "stats",    stats_main,    "show a disk's I/O and pin counters" },
	{ "monitor",  monitor_main,  "print the disks' events as they happen" },
	{ "features", features_main, "show what the loaded module offers" },
	{ "version",  version_main,  "show the versions of zcblkctl, libzcblk, zcblk.ko" },
};

static void show_usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s <command> [<args>]\n\nCommands:\n", PROG_NAME);
	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(f, "  %-9s %s\n", subcommands[i].name,
			subcommands[i].description);
	fprintf(f, "  %-9s %s\n\n", "help", "show this, or help on a command");
	fprintf(f, "'%s <command> --help' describes a command.\n"
		"Exit status: 0 success, 1 usage error, 2 the operation failed.\n",
		PROG_NAME);
}

int main(int argc, char *argv[])
{
	char *help_argv[] = { NULL, "--help", NULL };
	size_t i;

	if (argc < 2) {
		show_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		if (argc < 3) {
			show_usage(stdout);
			return 0;
		}
		/* "help <command>" is "<command> --help" */
		help_argv[0] = argv[2];
		argc = 2;
		argv = help_argv;
	} else {
		argc--;
		argv++;
	}

	for (i = 0; i < ARRAY_SIZE(subcommands); i++) {
		if (!strcmp(argv[0], subcommands[i].name))
			return subcommands[i].fn(argc, argv);
	}
	fprintf(stderr, "%s: unknown command '%s'\n\n", PROG_NAME, argv[0]);
	show_usage(stderr);
	return EXIT_USAGE;
}
