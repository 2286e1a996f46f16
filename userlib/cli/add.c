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
		"Options: [--block-size 512|4096] [--nr-queues N] [--queue-depth N]\n"
		"         [--poll-queues N] [--index N] [--node-uid USER]\n"
		"         [--node-gid GROUP] [--node-mode MODE] [--read-only]\n"
		"         [--buffered] [--timeout-ms N]\n"
		"         [--completion inline|softirq|timer] [--completion-ns N]\n"
		"         [--zoned [--zone-size SIZE] [--zone-capacity SIZE]\n"
		"          [--zone-nr-conv N] [--zone-max-open N]\n"
		"          [--zone-max-active N]]\n"
		"         [--metadata-size 8|16|64 [--extended-lba]\n"
		"          [--pi-type 1|2|3 [--pi-first]] [--pi-guard 16|64]]\n"
		"         [--write-cache SIZE]\n"
		"         [--fdp [--fdp-ru-size SIZE] [--fdp-nruh N] [--fdp-nrg N]\n"
		"          [--fdp-nph N] [--fdp-ruh-type initially|persistently]]\n"
		"         [-j|--json] [--pretty]\n"
		"\n"
		"Create a disk and print its name (e.g. zcblk0), or with -j the disk\n"
		"as a JSON object with the keys of '%s list -j'. Each option is\n"
		"named after its netlink attribute (nr-queues), as the kernel's error\n"
		"messages name it; the JSON key is that name with '_' (nr_queues).\n"
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
		"  -q, --nr-queues N     hardware queues, 1..%u (default 1)\n"
		"  -d, --queue-depth N   tags per queue, 1..%u (default 128)\n"
		"  -p, --poll-queues N   polled queues, for io_uring IOPOLL rings on the\n"
		"                        char device, 0..%u (default 0)\n"
		"  -i, --index N         index wanted, 0..%u (default: any free one)\n"
		"  -u, --node-uid USER   owner of the char device /dev/zcblkNc: a name\n"
		"                        or a number (default root)\n"
		"  -g, --node-gid GROUP  its group: a name or a number (default root)\n"
		"  -m, --node-mode MODE  its permission bits, in octal, 1 to 0777\n"
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
		"      --zone-size SIZE  bytes per zone, as --size takes them: a\n"
		"                        multiple of the block size that divides the\n"
		"                        size (default 64M); not a power of two: no\n"
		"                        block device, the char device only\n"
		"      --zone-capacity SIZE\n"
		"                        bytes writable in each zone, a multiple of the\n"
		"                        block size up to the zone size (default: the\n"
		"                        zone size)\n"
		"      --zone-nr-conv N  conventional zones at the start, fewer than\n"
		"                        the zones (default 0)\n"
		"      --zone-max-open N most zones open at once, at most\n"
		"                        --zone-max-active (default 0: no limit)\n"
		"      --zone-max-active N\n"
		"                        most zones open or closed at once (default 0:\n"
		"                        no limit)\n"
		"      --metadata-size N metadata bytes per block: 8 or 16 with\n"
		"                        512-byte blocks, 8 or 64 with 4096, 16 too\n"
		"                        with --pi-guard 64 (default 0). The char\n"
		"                        device only, unless with --pi-type; mem,\n"
		"                        null and file backends (file: kept past the\n"
		"                        data in the backing file)\n"
		"      --extended-lba    each block's metadata inside its data, not in\n"
		"                        a separate buffer\n"
		"      --pi-type N       protection information type 1, 2 or 3 in the\n"
		"                        metadata's last 8 bytes (16 with --pi-guard\n"
		"                        64); mem backend (default 0: none). Separate\n"
		"                        metadata: a block device with an integrity\n"
		"                        profile\n"
		"      --pi-first        the protection information in the metadata's\n"
		"                        first bytes instead\n"
		"      --pi-guard N      the guard's bits: 16 (default: 8 bytes of\n"
		"                        protection information) or 64 (NVMe's 64b\n"
		"                        Guard: 16 bytes, a 64-bit CRC guard and a\n"
		"                        48-bit reference tag); 64 needs\n"
		"                        --metadata-size 16, or 64 with --block-size\n"
		"                        4096. Without --pi-type, only the guard type\n"
		"                        Identify reports for the format\n"
		"      --write-cache SIZE\n"
		"                        a volatile write cache of SIZE bytes (as --size\n"
		"                        takes them): writes complete before they are\n"
		"                        durable, a flush or FUA makes them so, and\n"
		"                        '%s set --power cut' loses the rest. mem and\n"
		"                        file backends, not with --metadata-size or\n"
		"                        --zoned (default 0: none)\n"
		"      --fdp             Flexible Data Placement: an endurance group\n"
		"                        with reclaim unit handles, placement handles\n"
		"                        for the namespace; not with --zoned. The\n"
		"                        --fdp-* options need it:\n"
		"      --fdp-ru-size SIZE\n"
		"                        bytes of a reclaim unit, as --size takes them:\n"
		"                        a multiple of the block size (default 64M)\n"
		"      --fdp-nruh N      reclaim unit handles, 1..128 (default 8)\n"
		"      --fdp-nrg N       reclaim groups, 1..32 (default 1)\n"
		"      --fdp-nph N       the namespace's placement handles, on reclaim\n"
		"                        unit handles 0 to N-1: 1..128, at most\n"
		"                        --fdp-nruh (default: --fdp-nruh)\n"
		"      --fdp-ruh-type TYPE\n"
		"                        the reclaim unit handles' type: initially\n"
		"                        (default) or persistently isolated\n"
		"  -j, --json            print the new disk as JSON\n"
		"      --pretty          with -j: indented, a key per line\n"
		"  -h, --help            show this\n"
		"\n"
		"The char device speaks the NVMe passthrough ABI: who may open it\n"
		"may read through a read-only descriptor and write through a writable\n"
		"one. The block device /dev/zcblkN stays root:disk 0660. Completion\n"
		"mode and fault injection can be changed later: '%s set'.\n"
		"The old spellings --queues, --depth, --uid, --gid, --mode and\n"
		"--zone-conv are refused, naming their replacement.\n",
		PROG_NAME, PROG_NAME, PROG_NAME, ZCBLK_MAX_QUEUES, ZCBLK_MAX_QUEUE_DEPTH,
		ZCBLK_MAX_QUEUES, ZCBLK_MAX_DEVS - 1, PROG_NAME, PROG_NAME);
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
	OPT_ZONE_NR_CONV,
	OPT_ZONE_MAX_OPEN,
	OPT_ZONE_MAX_ACTIVE,
	OPT_METADATA_SIZE,
	OPT_EXTENDED_LBA,
	OPT_PI_TYPE,
	OPT_PI_FIRST,
	OPT_PI_GUARD,
	OPT_WRITE_CACHE,
	OPT_FDP,
	OPT_FDP_RU_SIZE,
	OPT_FDP_NRUH,
	OPT_FDP_NRG,
	OPT_FDP_NPH,
	OPT_FDP_RUH_TYPE,
	OPT_PRETTY,
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

/* An option and the ZCBLK_PARAM_* bit of its field. */
struct param_opt {
	__u64 bit;
	const char *name;
};

/* The first of @opts (@n of them) whose bit is in @set, or NULL. */
static const char *first_option(__u64 set, const struct param_opt *opts,
				size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (set & opts[i].bit)
			return opts[i].name;
	return NULL;
}

/* The first --zone-* option whose ZCBLK_PARAM_* bit is in @set, or NULL. */
static const char *zone_option(__u64 set)
{
	static const struct param_opt opts[] = {
		{ ZCBLK_PARAM_ZONE_SIZE, "--zone-size" },
		{ ZCBLK_PARAM_ZONE_CAPACITY, "--zone-capacity" },
		{ ZCBLK_PARAM_ZONE_NR_CONV, "--zone-nr-conv" },
		{ ZCBLK_PARAM_ZONE_MAX_OPEN, "--zone-max-open" },
		{ ZCBLK_PARAM_ZONE_MAX_ACTIVE, "--zone-max-active" },
	};

	return first_option(set, opts, ARRAY_SIZE(opts));
}

/*
 * The first --fdp-* option whose ZCBLK_PARAM_* bit is in @set, or NULL:
 * in the kernel's order, which names the first fdp attribute present.
 */
static const char *fdp_option(__u64 set)
{
	static const struct param_opt opts[] = {
		{ ZCBLK_PARAM_FDP_RU_SIZE, "--fdp-ru-size" },
		{ ZCBLK_PARAM_FDP_NRUH, "--fdp-nruh" },
		{ ZCBLK_PARAM_FDP_NRG, "--fdp-nrg" },
		{ ZCBLK_PARAM_FDP_NPH, "--fdp-nph" },
		{ ZCBLK_PARAM_FDP_RUH_TYPE, "--fdp-ruh-type" },
	};

	return first_option(set, opts, ARRAY_SIZE(opts));
}

int add_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "backend",	required_argument, NULL, 'b' },
		{ "size",	required_argument, NULL, 's' },
		{ "path",	required_argument, NULL, 'P' },
		{ "block-size",	required_argument, NULL, 'B' },
		{ "nr-queues",	required_argument, NULL, 'q' },
		{ "queue-depth", required_argument, NULL, 'd' },
		{ "poll-queues", required_argument, NULL, 'p' },
		{ "index",	required_argument, NULL, 'i' },
		{ "node-uid",	required_argument, NULL, 'u' },
		{ "node-gid",	required_argument, NULL, 'g' },
		{ "node-mode",	required_argument, NULL, 'm' },
		{ "read-only",	no_argument,	   NULL, 'r' },
		{ "buffered",	no_argument,	   NULL, OPT_BUFFERED },
		{ "timeout-ms",	required_argument, NULL, OPT_TIMEOUT_MS },
		{ "completion",	required_argument, NULL, OPT_COMPLETION },
		{ "completion-ns", required_argument, NULL, OPT_COMPLETION_NS },
		{ "zoned",	no_argument,	   NULL, OPT_ZONED },
		{ "zone-size",	required_argument, NULL, OPT_ZONE_SIZE },
		{ "zone-capacity", required_argument, NULL, OPT_ZONE_CAPACITY },
		{ "zone-nr-conv", required_argument, NULL, OPT_ZONE_NR_CONV },
		{ "zone-max-open", required_argument, NULL, OPT_ZONE_MAX_OPEN },
		{ "zone-max-active", required_argument, NULL, OPT_ZONE_MAX_ACTIVE },
		{ "metadata-size", required_argument, NULL, OPT_METADATA_SIZE },
		{ "extended-lba", no_argument,	   NULL, OPT_EXTENDED_LBA },
		{ "pi-type",	required_argument, NULL, OPT_PI_TYPE },
		{ "pi-first",	no_argument,	   NULL, OPT_PI_FIRST },
		{ "pi-guard",	required_argument, NULL, OPT_PI_GUARD },
		{ "write-cache", required_argument, NULL, OPT_WRITE_CACHE },
		{ "fdp",	no_argument,	   NULL, OPT_FDP },
		{ "fdp-ru-size", required_argument, NULL, OPT_FDP_RU_SIZE },
		{ "fdp-nruh",	required_argument, NULL, OPT_FDP_NRUH },
		{ "fdp-nrg",	required_argument, NULL, OPT_FDP_NRG },
		{ "fdp-nph",	required_argument, NULL, OPT_FDP_NPH },
		{ "fdp-ruh-type", required_argument, NULL, OPT_FDP_RUH_TYPE },
		{ "json",	no_argument,	   NULL, 'j' },
		{ "pretty",	no_argument,	   NULL, OPT_PRETTY },
		{ "help",	no_argument,	   NULL, 'h' },
		/* The names before the netlink attributes' (one name each). */
		RENAMED("queues", 'q'),
		RENAMED("depth", 'd'),
		RENAMED("uid", 'u'),
		RENAMED("gid", 'g'),
		RENAMED("mode", 'm'),
		RENAMED("zone-conv", OPT_ZONE_NR_CONV),
		{ NULL, 0, NULL, 0 }
	};
	static const char shortopts[] = ":b:s:P:B:q:d:p:i:u:g:m:rjh";
	struct zcblk_dev_params p = { .size = sizeof(p) };
	struct zcblk_dev_info info = { .size = sizeof(info) };
	/* The kernel takes PATH_MAX - 1 bytes and a NUL. */
	char path[PATH_MAX];
	struct zcblk_ctx *ctx;
	bool json = false;
	__u32 guard;
	int opt, ret, longindex;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts,
				  options, &longindex)) != -1) {
		switch (opt) {
		case 0:
			return renamed_error("add", options, longindex);
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
				return usage_error("add", "invalid queue depth: %s",
						   optarg);
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
		case OPT_ZONE_NR_CONV:
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
		case OPT_METADATA_SIZE:
			if (parse_u32(optarg, &p.metadata_size))
				return usage_error("add", "invalid metadata size: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_METADATA_SIZE;
			break;
		case OPT_EXTENDED_LBA:
			p.flags |= ZCBLK_DEV_F_EXTENDED_LBA;
			p.set |= ZCBLK_PARAM_FLAGS;
			break;
		case OPT_PI_TYPE:
			if (parse_u32(optarg, &p.pi_type))
				return usage_error("add", "invalid protection information type: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_PI_TYPE;
			break;
		case OPT_PI_FIRST:
			p.flags |= ZCBLK_DEV_F_PI_FIRST;
			p.set |= ZCBLK_PARAM_FLAGS;
			break;
		case OPT_PI_GUARD:
			/* The guard's bits: the flag is 64, its absence 16. */
			if (parse_u32(optarg, &guard) ||
			    (guard != 16 && guard != 64))
				return usage_error("add", "invalid protection information guard (16 or 64): %s",
						   optarg);
			if (guard == 64)
				p.flags |= ZCBLK_DEV_F_PI_GUARD64;
			else
				p.flags &= ~ZCBLK_DEV_F_PI_GUARD64;
			p.set |= ZCBLK_PARAM_FLAGS;
			break;
		case OPT_WRITE_CACHE:
			if (parse_size(optarg, &p.write_cache))
				return usage_error("add", "invalid write cache size: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_WRITE_CACHE;
			break;
		case OPT_FDP:
			p.flags |= ZCBLK_DEV_F_FDP;
			p.set |= ZCBLK_PARAM_FLAGS;
			break;
		case OPT_FDP_RU_SIZE:
			if (parse_size(optarg, &p.fdp_ru_size))
				return usage_error("add", "invalid reclaim unit size: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_FDP_RU_SIZE;
			break;
		case OPT_FDP_NRUH:
			if (parse_u32(optarg, &p.fdp_nruh))
				return usage_error("add", "invalid number of reclaim unit handles: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_FDP_NRUH;
			break;
		case OPT_FDP_NRG:
			if (parse_u32(optarg, &p.fdp_nrg))
				return usage_error("add", "invalid number of reclaim groups: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_FDP_NRG;
			break;
		case OPT_FDP_NPH:
			if (parse_u32(optarg, &p.fdp_nph))
				return usage_error("add", "invalid number of placement handles: %s",
						   optarg);
			p.set |= ZCBLK_PARAM_FDP_NPH;
			break;
		case OPT_FDP_RUH_TYPE:
			if (parse_ruh_type(optarg, &p.fdp_ruh_type))
				return usage_error("add", "invalid reclaim unit handle type (initially, persistently): %s",
						   optarg);
			p.set |= ZCBLK_PARAM_FDP_RUH_TYPE;
			break;
		case 'j':
			json = true;
			break;
		case OPT_PRETTY:
			json_set_pretty(true);
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
	if (!(p.flags & ZCBLK_DEV_F_FDP)) {
		const char *opt = fdp_option(p.set);

		if (opt)
			return usage_error("add", "%s needs --fdp", opt);
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
