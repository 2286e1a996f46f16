// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl version: the versions of zcblkctl, of the libzcblk it runs
 * with, and of the loaded module.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The zcblk release this zcblkctl comes from (userlib/Makefile). */
#ifndef ZCBLK_LIB_VERSION
#define ZCBLK_LIB_VERSION "unknown"
#endif

#define MODULE_VERSION_FILE	"/sys/module/zcblk/version"

static void version_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s version [-j|--json] [--pretty]\n"
		"\n"
		"Print the versions of %s, of libzcblk and of the zcblk module\n"
		"(from %s; \"not loaded\" if it is not). With -j: a\n"
		"JSON object with the keys cli, library and module (null when the\n"
		"module is not loaded). Needs no privilege and no module. '%s -V'\n"
		"and '%s --version' print the same.\n"
		"\n"
		"  -j, --json    print JSON\n"
		"      --pretty  with -j: indented, a key per line\n"
		"  -h, --help    show this\n",
		PROG_NAME, PROG_NAME, MODULE_VERSION_FILE, PROG_NAME, PROG_NAME);
}

/* The module's version into @buf; false if it is not loaded. */
static bool module_version(char *buf, size_t len)
{
	FILE *f = fopen(MODULE_VERSION_FILE, "re");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok && buf[0];
}

int version_main(int argc, char *argv[])
{
	bool json, loaded;
	char module[64];
	int ret;

	ret = json_options("version", argc, argv, &json, version_usage);
	if (ret >= 0)
		return ret;
	if (optind < argc)
		return usage_error("version", "unexpected argument: %s",
				   argv[optind]);

	loaded = module_version(module, sizeof(module));
	if (json) {
		json_object_begin();
		json_kv_string("cli", ZCBLK_LIB_VERSION);
		json_kv_string("library", zcblk_version());
		json_key("module");
		json_string_or_null(loaded ? module : NULL);
		json_object_end();
	} else {
		printf("%s %s\nlibzcblk %s\nzcblk.ko %s\n", PROG_NAME,
		       ZCBLK_LIB_VERSION, zcblk_version(),
		       loaded ? module : "not loaded");
	}
	return finish_output(0);
}
