// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl add: create a disk and print its name.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void add_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s add --backend null|mem --size SIZE [options]\n"
		"       %s add --backend file --path PATH [--size SIZE] [options]\n"
		"Options: [--block-size 512|4096] [--queues N] [--depth N]\n"
		"         [--poll-queues N] [--index N] [--uid USER] [--gid GROUP]\n"
		"         [--mode MODE] [--read-only] [--buffered] [--timeout-ms N]\n"
		"         [--completion inline|softirq|timer] [--completion-ns N]\n"
		"         [--zoned [--zone-size SIZE] [--zone-capacity SIZE]\n"
		"          [--zone-conv N] [--zone-max-open N] [--zone-max-active N]]\n"
		"         [-j|--json]\n"
		"\n"
		"Create a disk and print its name (e.g. zcblk0), or with -j the disk\n"
		"as a JSON object with the keys of '%s list -j'.\n"
		"\n"
		"  -b, --backend NAME    backend: null (moves no data: writes are\n"
		"                        discarded, reads return whatever the buffer\n"
		"                        held),\n"
		"                        mem (RAM, allocated on first write) or file\n"
		"                        (a regular file or a block device, --path)\n"
		"  -s, --size SIZE       capacity: bytes, or with a K, M, G, T suffix\n"
		"                        (KiB .. TiB); a multiple of the block size.\n"
		"                        Required, except for the file backend, whose\n"
		"                        default is the file's size (rounded down to the\n"
		"                        block size); a larger size is refused\n"
		"  -P, --path PATH       file backend: the backing file or block device\n"
		"                        (a relative path is made absolute). It is\n"
		"                        opened O_DIRECT (zero copy) and held open;\n"
		"                        block devices are opened exclusively\n"
		"  -B, --block-size N    logical block size: 512 (default) or 4096; on a\n"
		"                        block device, its logical block size by default\n"
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
		"  -r, --read-only       refuse writes (any backend): EPERM on the block\n"
		"                        device, NVMe status 0x4020 (Namespace Is Write\n"
		"                        Protected) for write commands on the char device\n"
		"      --buffered        file backend: go through the page cache, for\n"
		"                        file systems that refuse direct I/O (tmpfs on\n"
		"                        6.1, ramfs); this copies (stats: copied_bytes)\n"
		"      --timeout-ms N    request timeout, 100..3600000 ms (default 30000)\n"
		"      --completion MODE how requests complete: inline (default, where\n"
		"                        the backend finishes), softirq (like a device\n"
		"                        interrupt) or timer (--completion-ns later)\n"
		"      --completion-ns N timer mode: nanoseconds, 0..10000000000; only\n"
		"                        with --completion timer\n"
		"      --zoned           a host-managed zoned disk: a ZNS namespace on\n"
		"                        the char device, a zoned block device. The\n"
		"                        --zone-* options need it:\n"
		"      --zone-size SIZE  bytes per zone, as --size takes them: a power\n"
		"                        of two, a multiple of the block size that\n"
		"                        divides the size (default 64M)\n"
		"      --zone-capacity SIZE\n"
		"                        bytes writable in each zone, a multiple of the\n"
		"                        block size up to the zone size (default: the\n"
		"                        zone size)\n"
		"      --zone-conv N     conventional zones at the start, fewer than\n"
		"                        the zones (default 0)\n"
		"      --zone-max-open N most zones open at once, at most\n"
		"                        --zone-max-active (default 0: no limit)\n"
		"      --zone-max-active N\n"
		"                        most zones open or closed at once (default 0:\n"
		"                        no limit)\n"
		"  -j, --json            print the new disk as JSON\n"
		"  -h, --help            show this\n"
		"\n"
		"The char device speaks the NVMe passthrough ABI: who may open it\n"
		"may read through a read-only descriptor and write through a writable\n"
		"one. The block device /dev/zcblkN stays root:disk 0660. Completion\n"
		"mode and fault injection can be changed later: '%s set'.\n",
		PROG_NAME, PROG_NAME, PROG_NAME, ZCBLK_MAX_QUEUES, ZCBLK_MAX_QUEUE_DEPTH,
		ZCBLK_MAX_QUEUES, ZCBLK_MAX_DEVS - 1, PROG_NAME);
}

/* Long-only options. */
enum {
	OPT_BUFFERED = 256,
	OPT_TIMEOUT_MS,
	OPT_COMPLETION,
	OPT_COMPLETION_NS,
	OPT_ZONED,
	OPT_ZONE_SIZE,
	OPT_ZONE_CAPACITY,
	OPT_ZONE_CONV,
	OPT_ZONE_MAX_OPEN,
	OPT_ZONE_MAX_ACTIVE,
};

/*
 * @path made absolute (against the working directory) in @buf, so that
 * `list` shows what it is whatever directory one asks from; -ENAMETOOLONG
 * if that does not fit.
 */
static int absolute_path(const char *path, char *buf, size_t len)
{
	char cwd[PATH_MAX];
	int n;

	if (path[0] == '/' || !path[0] || !getcwd(cwd, sizeof(cwd)))
		n = snprintf(buf, len, "%s", path);
	else
		n = snprintf(buf, len, "%s%s%s", cwd,
			     cwd[strlen(cwd) - 1] == '/' ? "" : "/", path);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* The first --zone-* option whose ZCBLK_PARAM_* bit is in @set, or NULL. */
static const char *zone_option(__u64 set)
{
	static const struct {
		__u64 bit;
		const char *name;
	} opts[] = {
		{ ZCBLK_PARAM_ZONE_SIZE, "--zone-size" },
		{ ZCBLK_PARAM_ZONE_CAPACITY, "--zone-capacity" },
		{ ZCBLK_PARAM_ZONE_NR_CONV, "--zone-conv" },
		{ ZCBLK_PARAM_ZONE_MAX_OPEN, "--zone-max-open" },
		{ ZCBLK_PARAM_ZONE_MAX_ACTIVE, "--zone-max-active" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(opts); i++)
		if (set & opts[i].bit)
			return opts[i].name;
	return NULL;
}

int add_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "backend",	required_argument, NULL, 'b' },
		{ "size",	required_argument, NULL, 's' },
		{ "path",	required_argument, NULL, 'P' },
		{ "block-size",	required_argument, NULL, 'B' },
		{ "queues",	required_argument, NULL, 'q' },
		{ "depth",	required_argument, NULL, 'd' },
		{ "poll-queues", required_argument, NULL, 'p' },
		{ "index",	required_argument, NULL, 'i' },
		{ "uid",	required_argument, NULL, 'u' },
		{ "gid",	required_argument, NULL, 'g' },
		{ "mode",	required_argument, NULL, 'm' },
		{ "read-only",	no_argument,	   NULL, 'r' },
		{ "buffered",	no_argument,	   NULL, OPT_BUFFERED },
		{ "timeout-ms",	required_argument, NULL, OPT_TIMEOUT_MS },
		{ "completion",	required_argument, NULL, OPT_COMPLETION },
		{ "completion-ns", required_argument, NULL, OPT_COMPLETION_NS },
		{ "zoned",	no_argument,	   NULL, OPT_ZONED },
		{ "zone-size",	required_argument, NULL, OPT_ZONE_SIZE },
		{ "zone-capacity", required_argument, NULL, OPT_ZONE_CAPACITY },
		{ "zone-conv",	required_argument, NULL, OPT_ZONE_CONV },
		{ "zone-max-open", required_argument, NULL, OPT_ZONE_MAX_OPEN },
		{ "zone-max-active", required_argument, NULL, OPT_ZONE_MAX_ACTIVE },
		{ "json",	no_argument,	   NULL, 'j' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char shortopts[] = ":b:s:P:B:q:d:p:i:u:g:m:rjh";
	struct zcblk_dev_params p = { .size = sizeof(p) };
	struct zcblk_dev_info info = { .size = sizeof(info) };
	/* The kernel takes PATH_MAX - 1 bytes and a NUL. */
	char path[PATH_MAX];
	struct zcblk_ctx *ctx;
	bool json = false;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts,
				  options, NULL)) != -1) {
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
		case 'P':
			if (absolute_path(optarg, path, sizeof(path)))
				return usage_error("add", "path too long: %s",
						   optarg);
			p.path = path;
			p.set |= ZCBLK_PARAM_PATH;
			break;
		case 'B':
			/* The kernel's range is 512..4096, but only these. */
			if (parse_u32(optarg, &p.block_size) ||
			    (p.block_size != 512 && p.block_size != 4096))
				return usage_error("add", "invalid block size (512 or 4096): %s",
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
		case 'r':
			p.flags |= ZCBLK_DEV_F_READ_ONLY;
			p.set |= ZCBLK_PARAM_FLAGS;
			break;
		case OPT_BUFFERED:
			p.flags |= ZCBLK_DEV_F_BUFFERED;
			p.set |= ZCBLK_PARAM_FLAGS;
			break;
		case OPT_TIMEOUT_MS:
			if (parse_u32(optarg, &p.timeout_ms))
				return usage_error("add", "invalid timeout: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_TIMEOUT_MS;
			break;
		case OPT_COMPLETION:
			if (parse_completion(optarg, &p.completion))
				return usage_error("add", "invalid completion mode (inline, softirq, timer): %s",
						   optarg);
			p.set |= ZCBLK_PARAM_COMPLETION;
			break;
		case OPT_COMPLETION_NS:
			if (parse_u64(optarg, &p.completion_ns))
				return usage_error("add", "invalid completion latency (ns): %s",
						   optarg);
			p.set |= ZCBLK_PARAM_COMPLETION_NS;
			break;
		case OPT_ZONED:
			p.flags |= ZCBLK_DEV_F_ZONED;
			p.set |= ZCBLK_PARAM_FLAGS;
			break;
		case OPT_ZONE_SIZE:
			if (parse_size(optarg, &p.zone_size))
				return usage_error("add", "invalid zone size: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_ZONE_SIZE;
			break;
		case OPT_ZONE_CAPACITY:
			if (parse_size(optarg, &p.zone_capacity))
				return usage_error("add", "invalid zone capacity: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_ZONE_CAPACITY;
			break;
		case OPT_ZONE_CONV:
			if (parse_u32(optarg, &p.zone_nr_conv))
				return usage_error("add", "invalid number of conventional zones: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_ZONE_NR_CONV;
			break;
		case OPT_ZONE_MAX_OPEN:
			if (parse_u32(optarg, &p.zone_max_open))
				return usage_error("add", "invalid number of open zones: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_ZONE_MAX_OPEN;
			break;
		case OPT_ZONE_MAX_ACTIVE:
			if (parse_u32(optarg, &p.zone_max_active))
				return usage_error("add", "invalid number of active zones: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_ZONE_MAX_ACTIVE;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			add_usage(stdout);
			return 0;
		default:
			return bad_option("add", opt, argv, shortopts, options);
		}
	}
	if (optind < argc)
		return usage_error("add", "unexpected argument: %s", argv[optind]);
	if (!(p.set & ZCBLK_PARAM_BACKEND))
		return usage_error("add", "--backend is required");
	/* Only the timer mode waits: a latency without it would be unused. */
	if ((p.set & ZCBLK_PARAM_COMPLETION_NS) &&
	    (!(p.set & ZCBLK_PARAM_COMPLETION) ||
	     p.completion != ZCBLK_COMPLETION_TIMER))
		return usage_error("add", "--completion-ns needs --completion timer");
	/* The kernel refuses them too; this names the option. */
	if (!(p.flags & ZCBLK_DEV_F_ZONED)) {
		const char *opt = zone_option(p.set);

		if (opt)
			return usage_error("add", "%s needs --zoned", opt);
	}
	/*
	 * The file backend's default size is the file's. The kernel knows
	 * which backends there are, and says so about any other name.
	 */
	if (!(p.set & ZCBLK_PARAM_SIZE) &&
	    (!strcmp(p.backend, "null") || !strcmp(p.backend, "mem")))
		return usage_error("add", "--size is required");

	ret = open_ctx(&ctx);
	if (ret)
		return ret;
	ret = zcblk_dev_add(ctx, &p, &info);
	if (ret) {
		ret = report_error(ctx, ret);
	} else if (json) {
		json_disk(&info);
		printf("\n");
	} else if (info.disk_name[0]) {
		printf("%s\n", info.disk_name);
	} else if (info.char_name[0]) {
		/* No block device (zoned.rst): the char device is the disk. */
		printf("%s\n", info.char_name);
	} else {	/* not reported: the kernel's naming rule */
		printf("zcblk%u\n", info.index);
	}
	zcblk_ctx_close(ctx);
	return finish_output(ret);
}
