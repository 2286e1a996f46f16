// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl del: remove a disk.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static void del_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s del DISK\n"
		"\n"
		"Remove a disk. Open file descriptors on it see ENODEV from then on.\n"
		"A disk exported over NVMe/TCP is refused: unexport it first.\n"
		"DISK: its index (3), name (zcblk3), char device's name (zcblk3c) or\n"
		"either's path (/dev/zcblk3, /dev/zcblk3c).\n"
		"\n"
		"  -h, --help    show this\n",
		PROG_NAME);
}

int del_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char shortopts[] = ":h";
	struct zcblk_ctx *ctx;
	char nqn[256];
	__u32 index;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
		switch (opt) {
		case 'h':
			del_usage(stdout);
			return 0;
		default:
			return bad_option("del", opt, argv, shortopts, options);
		}
	}
	if (optind != argc - 1)
		return usage_error("del", "expected one disk (index or name)");
	if (parse_disk(argv[optind], &index))
		return usage_error("del", "not a disk index or name: %s",
				   argv[optind]);

	/* nvmet would keep serving a block device that is gone */
	if (nvmet_exported(index, nqn, sizeof(nqn))) {
		fprintf(stderr, "%s: zcblk%u is exported over NVMe/TCP as %s; '%s unexport %u' first\n",
			PROG_NAME, index, nqn, PROG_NAME, index);
		return EXIT_FAILED;
	}
	ret = open_ctx(&ctx);
	if (ret)
		return ret;
	ret = zcblk_dev_del(ctx, index);
	if (ret)
		ret = report_error(ctx, ret);
	zcblk_ctx_close(ctx);
	return ret;
}
