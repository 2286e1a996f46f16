// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl add: create a disk and print its name.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void add_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s add --backend null|mem --size SIZE [--block-size 512|4096]\n"
		"                [--queues N] [--depth N] [--poll-queues N] [--index N]\n"
		"                [--uid USER] [--gid GROUP] [--mode MODE]\n"
		"\n"
		"Create a disk and print its name (e.g. zcblk0).\n"
		"\n"
		"  -b, --backend NAME    backend: null (discards writes, reads zeroes)\n"
		"                        or mem (RAM, allocated on first write)\n"
		"  -s, --size SIZE       capacity: bytes, or with a K, M, G, T suffix\n"
		"                        (KiB .. TiB); a multiple of the block size\n"
		"  -B, --block-size N    logical block size: 512 (default) or 4096\n"
		"  -q, --queues N        hardware queues, 1..%u (default 1)\n"
		"  -d, --depth N         tags per queue, 1..%u (default 128)\n"
		"  -p, --poll-queues N   polled queues, for io_uring IOPOLL rings on the\n"
		"                        char device, 0..%u (default 0)\n"
		"  -i, --index N         index wanted, 0..%u (default: any free one)\n"
		"  -u, --uid USER        owner of the char device /dev/zcblkNc: a name\n"
		"                        or a number (default root)\n"
		"  -g, --gid GROUP       its group: a name or a number (default root)\n"
		"  -m, --mode MODE       its permission bits, in octal, at most 0777\n"
		"                        (default 0600)\n"
		"  -h, --help            show this\n"
		"\n"
		"The char device speaks the NVMe passthrough ABI: who may open it\n"
		"may read through a read-only descriptor and write through a writable\n"
		"one. The block device /dev/zcblkN stays root:disk 0660.\n",
		PROG_NAME, ZCBLK_MAX_QUEUES, ZCBLK_MAX_QUEUE_DEPTH,
		ZCBLK_MAX_QUEUES, ZCBLK_MAX_DEVS - 1);
}

int add_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "backend",	required_argument, NULL, 'b' },
		{ "size",	required_argument, NULL, 's' },
		{ "block-size",	required_argument, NULL, 'B' },
		{ "queues",	required_argument, NULL, 'q' },
		{ "depth",	required_argument, NULL, 'd' },
		{ "poll-queues", required_argument, NULL, 'p' },
		{ "index",	required_argument, NULL, 'i' },
		{ "uid",	required_argument, NULL, 'u' },
		{ "gid",	required_argument, NULL, 'g' },
		{ "mode",	required_argument, NULL, 'm' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct zcblk_dev_params p = { .size = sizeof(p) };
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct zcblk_ctx *ctx;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":b:s:B:q:d:p:i:u:g:m:h", options,
				  NULL)) != -1) {
		switch (opt) {
		case 'b':
			if (strlen(optarg) >= sizeof(p.backend))
				return usage_error("add", "backend name too long: %s",
						   optarg);
			strcpy(p.backend, optarg);
			p.set |= ZCBLK_PARAM_BACKEND;
			break;
		case 's':
			if (parse_size(optarg, &p.disk_size))
				return usage_error("add", "invalid size: %s", optarg);
			p.set |= ZCBLK_PARAM_SIZE;
			break;
		case 'B':
			if (parse_u32(optarg, &p.block_size))
				return usage_error("add", "invalid block size: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_BLOCK_SIZE;
			break;
		case 'q':
			if (parse_u32(optarg, &p.nr_queues))
				return usage_error("add", "invalid number of queues: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_NR_QUEUES;
			break;
		case 'd':
			if (parse_u32(optarg, &p.queue_depth))
				return usage_error("add", "invalid depth: %s", optarg);
			p.set |= ZCBLK_PARAM_QUEUE_DEPTH;
			break;
		case 'p':
			if (parse_u32(optarg, &p.poll_queues))
				return usage_error("add", "invalid number of poll queues: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_POLL_QUEUES;
			break;
		case 'i':
			if (parse_u32(optarg, &p.index))
				return usage_error("add", "invalid index: %s", optarg);
			p.set |= ZCBLK_PARAM_INDEX;
			break;
		case 'u':
			if (parse_user(optarg, &p.node_uid))
				return usage_error("add", "unknown user: %s", optarg);
			p.set |= ZCBLK_PARAM_NODE_UID;
			break;
		case 'g':
			if (parse_group(optarg, &p.node_gid))
				return usage_error("add", "unknown group: %s", optarg);
			p.set |= ZCBLK_PARAM_NODE_GID;
			break;
		case 'm':
			if (parse_mode(optarg, &p.node_mode))
				return usage_error("add", "invalid mode (octal): %s",
						   optarg);
			p.set |= ZCBLK_PARAM_NODE_MODE;
			break;
		case 'h':
			add_usage(stdout);
			return 0;
		default:
			return bad_option("add", opt, argv);
		}
	}
	if (optind < argc)
		return usage_error("add", "unexpected argument: %s", argv[optind]);
	if (!(p.set & ZCBLK_PARAM_BACKEND))
		return usage_error("add", "--backend is required");
	if (!(p.set & ZCBLK_PARAM_SIZE))
		return usage_error("add", "--size is required");

	ret = open_ctx(&ctx);
	if (ret)
		return ret;
	ret = zcblk_dev_add(ctx, &p, &info);
	if (ret)
		ret = report_error(ctx, ret);
	else if (info.disk_name[0])
		printf("%s\n", info.disk_name);
	else	/* not reported: the kernel's naming rule */
		printf("zcblk%u\n", info.index);
	zcblk_ctx_close(ctx);
	return ret;
}
