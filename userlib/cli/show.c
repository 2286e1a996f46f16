// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl show: one disk, its attributes, live settings and unreadable
 * blocks, one per line or as a JSON object (-j).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

static void show_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s show DISK [-j|--json] [--pretty]\n"
		"\n"
		"Show one disk: what it was made with and its live settings, one per\n"
		"line, or as a JSON object with the keys of '%s list -j' and\n"
		"bad_blocks. Its unreadable blocks ('%s set --bad'): the row\n"
		"bad_blocks, ranges LBA+COUNT in LBA order (adjacent blocks are one\n"
		"range) or none; in JSON bad_blocks, an array of objects with the\n"
		"keys lba and nlb. The kernel lists the first 32 ranges; bad_count\n"
		"says how many there are. DISK: its index (3), name (zcblk3), char\n"
		"device's name (zcblk3c) or either's path (/dev/zcblk3,\n"
		"/dev/zcblk3c). Any user may run it.\n"
		"\n"
		"  -j, --json    print JSON\n"
		"      --pretty  with -j: indented, a key per line\n"
		"  -h, --help    show this\n",
		PROG_NAME, PROG_NAME, PROG_NAME);
}

#define ROW(name, fmt, ...)	printf("  %-14s " fmt "\n", name, __VA_ARGS__)

static const char *on_off(bool b)
{
	return b ? "on" : "off";
}

/*
 * The protection information, if any: its type and place, and the guard
 * when it is the 64-bit one (also for a 64-bit guard format without PI).
 */
static void print_pi(const struct zcblk_dev_info *x)
{
	bool guard64 = x->flags & ZCBLK_DEV_F_PI_GUARD64;

	if (!x->pi_type) {
		if (guard64)
			ROW("protection", "%s", "none, 64-bit guard format");
		return;
	}
	ROW("protection", "type %u, %s %u bytes%s", x->pi_type,
	    x->flags & ZCBLK_DEV_F_PI_FIRST ? "first" : "last",
	    guard64 ? 16 : 8, guard64 ? ", 64-bit guard" : "");
}

/* A zone limit: 0 is none. */
static void zone_limit(__u32 n, char *buf, size_t len)
{
	if (n)
		snprintf(buf, len, "%u", n);
	else
		snprintf(buf, len, "unlimited");
}

static void print_zones(const struct zcblk_dev_info *x)
{
	char zsize[32], zcap[32], open[16], active[16];

	format_size(x->zone_size, zsize, sizeof(zsize));
	format_size(x->zone_capacity, zcap, sizeof(zcap));
	zone_limit(x->zone_max_open, open, sizeof(open));
	zone_limit(x->zone_max_active, active, sizeof(active));
	ROW("zone_size", "%llu (%s)", (unsigned long long)x->zone_size, zsize);
	ROW("zone_capacity", "%llu (%s)", (unsigned long long)x->zone_capacity,
	    zcap);
	ROW("zone_nr_conv", "%u", x->zone_nr_conv);
	/* zone_max_open and zone_max_active: too long a name for the column */
	ROW("zone_max", "open %s, active %s", open, active);
}

/* "1 reclaim group", "2 reclaim groups". */
static const char *plural(__u32 n)
{
	return n == 1 ? "" : "s";
}

/* Flexible Data Placement: its configuration on one row, or "off". */
static void print_fdp(const struct zcblk_dev_info *x)
{
	char rusize[32];

	if (!(x->flags & ZCBLK_DEV_F_FDP)) {
		ROW("fdp", "%s", "off");
		return;
	}
	format_size(x->fdp_ru_size, rusize, sizeof(rusize));
	ROW("fdp", "%u reclaim unit handle%s (%s isolated), %u reclaim group%s, %u placement handle%s, reclaim units of %llu (%s)",
	    x->fdp_nruh, plural(x->fdp_nruh), ruh_type_name(x->fdp_ruh_type),
	    x->fdp_nrg, plural(x->fdp_nrg), x->fdp_nph, plural(x->fdp_nph),
	    (unsigned long long)x->fdp_ru_size, rusize);
}

/* A disk's unreadable blocks, as zcblk_dev_bad_list() gave them. */
struct bad_blocks {
	struct zcblk_bad_range r[ZCBLK_BAD_RANGES_MAX];
	unsigned int n;
};

/* The bad_blocks row: "10+4, 20+2", what was not listed, or "none". */
static void print_bad(const struct zcblk_dev_info *x,
		      const struct bad_blocks *b)
{
	unsigned int i;

	if (!x->bad_count) {
		ROW("bad_blocks", "%s", "none");
		return;
	}
	printf("  %-14s ", "bad_blocks");
	for (i = 0; i < b->n; i++)
		printf("%s%llu+%llu", i ? ", " : "",
		       (unsigned long long)b->r[i].lba,
		       (unsigned long long)b->r[i].nlb);
	if (x->bad_count > b->n)
		printf("%s(%u ranges, %u listed)", b->n ? " " : "",
		       x->bad_count, b->n);
	printf("\n");
}

static void print_json(const struct zcblk_dev_info *x,
		       const struct bad_blocks *b)
{
	unsigned int i;

	json_object_begin();
	json_disk_members(x);
	json_key("bad_blocks");
	json_array_begin();
	for (i = 0; i < b->n; i++) {
		json_object_begin();
		json_kv_u64("lba", b->r[i].lba);
		json_kv_u64("nlb", b->r[i].nlb);
		json_object_end();
	}
	json_array_end();
	json_object_end();
}

static void print_human(const struct zcblk_dev_info *x,
			const struct bad_blocks *b)
{
	char size[32], alloc[32], wcache[32], flags[64];

	format_size(x->disk_size, size, sizeof(size));
	format_size(x->alloc_bytes, alloc, sizeof(alloc));
	disk_flags(x, flags, sizeof(flags));

	printf("%s\n", x->disk_name[0] ? x->disk_name : x->char_name);
	ROW("index", "%u", x->index);
	if (!x->disk_name[0])
		ROW("block_device", "%s", "none");
	ROW("char_name", "%s", x->char_name);
	ROW("state", "%s", zcblk_state_name(x->state));
	ROW("backend", "%s", x->backend);
	ROW("path", "%s", x->path[0] ? x->path : "-");
	ROW("size", "%llu (%s)", (unsigned long long)x->disk_size, size);
	ROW("block_size", "%u", x->block_size);
	ROW("nr_queues", "%u", x->nr_queues);
	ROW("poll_queues", "%u", x->poll_queues);
	ROW("queue_depth", "%u", x->queue_depth);
	ROW("alloc_bytes", "%llu (%s)", (unsigned long long)x->alloc_bytes,
	    alloc);
	ROW("node", "uid %u, gid %u, mode %04o", x->node_uid, x->node_gid,
	    x->node_mode);
	ROW("read_only", "%s", on_off(x->flags & ZCBLK_DEV_F_READ_ONLY));
	ROW("buffered", "%s", on_off(x->flags & ZCBLK_DEV_F_BUFFERED));
	ROW("zoned", "%s", on_off(x->flags & ZCBLK_DEV_F_ZONED));
	if (x->flags & ZCBLK_DEV_F_ZONED)
		print_zones(x);
	print_fdp(x);
	if (x->metadata_size)
		ROW("metadata", "%u bytes a block, %s", x->metadata_size,
		    x->flags & ZCBLK_DEV_F_EXTENDED_LBA ? "extended" :
							  "separate");
	else
		ROW("metadata", "%s", "none");
	print_pi(x);
	if (x->write_cache) {
		format_size(x->write_cache, wcache, sizeof(wcache));
		ROW("write_cache", "%llu (%s)",
		    (unsigned long long)x->write_cache, wcache);
	} else {
		ROW("write_cache", "%s", "none");
	}
	ROW("timeout_ms", "%u", x->timeout_ms);
	ROW("flags", "%s", flags);
	printf("settings\n");
	ROW("completion", "%s", completion_name(x->completion));
	ROW("completion_ns", "%llu", (unsigned long long)x->completion_ns);
	ROW("latency_ns", "%llu", (unsigned long long)x->latency_ns);
	ROW("fail_every", "%u", x->fail_every);
	ROW("fail_ppm", "%u", x->fail_ppm);
	ROW("fail_status", "%#x (%s)", x->fail_status,
	    zcblk_pt_status_str(x->fail_status));
	ROW("fail_ops", "%s", fail_ops_name(x->fail_ops));
	ROW("stall", "%s", on_off(x->stall));
	ROW("power", "%s", power_name(x->power));
	print_bad(x, b);
}

int show_main(int argc, char *argv[])
{
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct bad_blocks b = { .n = 0 };
	struct zcblk_ctx *ctx;
	bool json;
	__u32 index;
	int ret;

	ret = json_options("show", argc, argv, &json, show_usage);
	if (ret >= 0)
		return ret;
	if (optind != argc - 1)
		return usage_error("show", "expected one disk (index or name)");
	if (parse_disk(argv[optind], &index))
		return usage_error("show", "not a disk index or name: %s",
				   argv[optind]);

	ret = open_ctx(&ctx);
	if (ret)
		return ret;
	ret = zcblk_dev_get(ctx, index, &info);
	/*
	 * The ranges come with a second DEV_GET: its count goes with them,
	 * should the list have changed in between.
	 */
	if (!ret) {
		ret = zcblk_dev_bad_list(ctx, index, b.r, ARRAY_SIZE(b.r),
					 &info.bad_count);
		if (ret >= 0) {
			b.n = ret;
			ret = 0;
		}
	}
	if (ret) {
		ret = report_error(ctx, ret);
	} else if (json) {
		print_json(&info, &b);
	} else {
		print_human(&info, &b);
	}
	zcblk_ctx_close(ctx);
	return finish_output(ret);
}
