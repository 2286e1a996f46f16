// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl: create, list, show, change and remove zcblk disks, show their
 * counters, follow their events, and what the module offers.  One file
 * per subcommand.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct subcommand {
	const char *name;
	int (*fn)(int argc, char *argv[]);
	bool json;	/* it takes -j/--json and --pretty */
	const char *description;
} subcommands[] = {
	{ "add",      add_main,      true,  "create a disk" },
	{ "del",      del_main,      false, "remove a disk" },
	{ "list",     list_main,     true,  "list the disks" },
	{ "show",     show_main,     true,  "show one disk and its settings" },
	{ "set",      set_main,      true,  "change a disk's live settings (faults, latency, power)" },
	{ "stats",    stats_main,    true,  "show a disk's I/O and pin counters" },
	{ "monitor",  monitor_main,  true,  "print the disks' events as they happen" },
	{ "export",   export_main,   false, "serve a disk to other hosts over NVMe/TCP (nvmet)" },
	{ "unexport", unexport_main, false, "stop serving a disk over NVMe/TCP" },
	{ "features", features_main, true,  "show what the loaded module offers" },
	{ "version",  version_main,  true,  "show the versions of zcblkctl, libzcblk, zcblk.ko" },
};

static void show_usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s [-j|--json] [-p|--pretty] <command> [<args>]\n"
		"       %s -V|--version\n\nCommands:\n", PROG_NAME, PROG_NAME);
	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(f, "  %-9s %s\n", subcommands[i].name,
			subcommands[i].description);
	fprintf(f, "  %-9s %s\n\n", "help", "show this, or help on a command");
	fprintf(f, "Options:\n"
		"  -j, --json     print JSON, as the command's -j ('%s -j list'\n"
		"                 is '%s list -j'); a command without -j refuses it\n"
		"  -p, --pretty   indent the JSON, as the command's --pretty\n"
		"  -V, --version  the versions, as '%s version'\n"
		"  -h, --help     show this\n\n", PROG_NAME, PROG_NAME, PROG_NAME);
	fprintf(f, "'%s <command> --help' describes a command.\n"
		"Exit status: 0 success, 1 usage error, 2 the operation failed.\n",
		PROG_NAME);
}

static const struct subcommand *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		if (!strcmp(name, subcommands[i].name))
			return &subcommands[i];
	return NULL;
}

/*
 * Run @cmd, @argv[0] its name, with zcblkctl's own -j/--json and
 * -p/--pretty (@json, @pretty: the option as typed, or NULL) put back
 * right after that name, as the command's --json and --pretty: then
 * "zcblkctl -j list" is "zcblkctl list -j" in every way, its parsing and
 * errors included.  A command without them refuses them.
 */
static int run_command(const struct subcommand *cmd, int argc, char *argv[],
		       const char *json, const char *pretty)
{
	char **args;
	int n = 1, ret;

	if (!json && !pretty)
		return cmd->fn(argc, argv);
	if (!cmd->json)
		return usage_error(NULL, "%s: %s: this command has no JSON output",
				   cmd->name, json ? json : pretty);
	/* The name, up to two options, the rest and the NULL after it. */
	args = calloc(argc + 3, sizeof(*args));
	if (!args) {
		fprintf(stderr, "%s: %s\n", PROG_NAME, strerror(ENOMEM));
		return EXIT_FAILED;
	}
	args[0] = argv[0];
	if (json)
		args[n++] = "--json";
	if (pretty)
		args[n++] = "--pretty";
	memcpy(args + n, argv + 1, (argc - 1) * sizeof(*args));
	ret = cmd->fn(argc - 1 + n, args);
	free(args);
	return ret;
}

int main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "json",	no_argument, NULL, 'j' },
		{ "pretty",	no_argument, NULL, 'p' },
		{ "version",	no_argument, NULL, 'V' },
		{ "help",	no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	/* '+': the options before the command only; the rest is its own. */
	static const char shortopts[] = "+:jpVh";
	char *help_argv[] = { NULL, "--help", NULL };
	char *version_argv[] = { "version", NULL };
	const char *json = NULL, *pretty = NULL;
	const struct subcommand *cmd;
	bool version = false, help = false;
	int opt, longindex = -1;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts, options,
				  &longindex)) != -1) {
		switch (opt) {
		case 'j':
			json = longindex < 0 ? "-j" : "--json";
			break;
		case 'p':
			pretty = longindex < 0 ? "-p" : "--pretty";
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
		longindex = -1;
	}
	argc -= optind;
	argv += optind;
	/* The subcommands' getopt_long() starts afresh, permuting. */
	optind = 0;
	if (version) {
		if (argc)
			return usage_error(NULL, "unexpected argument: %s",
					   argv[0]);
		return run_command(find_command("version"), 1, version_argv,
				   json, pretty);
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
		/* "help <command>" is "<command> --help"; -j, -p left out */
		help_argv[0] = argv[0];
		argc = 2;
		argv = help_argv;
		json = NULL;
		pretty = NULL;
	}

	cmd = find_command(argv[0]);
	if (cmd)
		return run_command(cmd, argc, argv, json, pretty);
	fprintf(stderr, "%s: unknown command '%s'\n\n", PROG_NAME, argv[0]);
	show_usage(stderr);
	return EXIT_USAGE;
}
