// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl list: one line per disk, or a JSON array (-j).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void list_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s list [-j|--json] [--pretty]\n"
		"\n"
		"List the disks, one per line, or as a JSON array of objects with\n"
		"the keys index, disk_name (null: no block device), char_name,\n"
		"backend, size, block_size, nr_queues, poll_queues, queue_depth,\n"
		"state, alloc_bytes (sizes in bytes), node_uid, node_gid, node_mode\n"
		"(the char device node's owner, group and permission bits, as\n"
		"numbers: 0660 is 432), path (the backing file, or null), read_only,\n"
		"buffered, zoned, fdp, extended_lba (booleans), metadata_size (bytes\n"
		"per block, 0: none), pi_type (0: none), pi_first, pi_guard64\n"
		"(booleans: the PI first in the metadata, the 64-bit guard),\n"
		"write_cache (bytes of volatile write cache, 0: none); for\n"
		"zoned disks only zone_size,\n"
		"zone_capacity (bytes), zone_nr_conv, zone_max_open, zone_max_active\n"
		"(0: no limit); for FDP disks only fdp_ru_size (bytes of a reclaim\n"
		"unit), fdp_nruh, fdp_nrg, fdp_nph (reclaim unit handles, reclaim\n"
		"groups, placement handles), fdp_ruh_type (initially,\n"
		"persistently); timeout_ms, and the live settings ('%s set'):\n"
		"completion (inline, softirq, timer), completion_ns, latency_ns,\n"
		"fail_every, fail_ppm, fail_status (a number: 0x281 is 641), fail_ops\n"
		"(all, reads, writes), stall (a boolean), power (on, cut) and\n"
		"bad_count (ranges of unreadable blocks: '%s show' lists them).\n"
		"Each key is a netlink attribute's name with '_' for '-'. A path's\n"
		"bytes that are not UTF-8 come out as \\udcXX (Python:\n"
		"os.fsencode(json.loads(...)) gives them back).\n"
		"\n"
		"The table's FLAGS column: ro (read-only), buf (buffered), zoned,\n"
		"fdp, stall, cut (power cut), bad (unreadable blocks), inject (error\n"
		"injection on), delay (added latency or timer completion); '-' for\n"
		"none. WCACHE: the volatile write cache's size, '-' for none.\n"
		"\n"
		"  -j, --json    print JSON\n"
		"      --pretty  with -j: indented, a key per line\n"
		"  -h, --help    show this\n",
		PROG_NAME, PROG_NAME, PROG_NAME);
}

struct disks {
	struct zcblk_dev_info *v;
	size_t n, cap;
};

static int collect(const struct zcblk_dev_info *info, void *arg)
{
	struct disks *d = arg;

	return vec_push(&d->v, &d->n, &d->cap, info, sizeof(*info));
}

static void print_json(const struct disks *d)
{
	size_t i;

	json_array_begin();
	for (i = 0; i < d->n; i++)
		json_disk(&d->v[i]);
	json_array_end();
}

static const char *const headers[] = {
	"INDEX", "NAME", "CHAR", "BACKEND", "SIZE", "BS", "QUEUES", "DEPTH",
	"STATE", "ALLOC", "FLAGS", "WCACHE", "PATH",
};

static int print_table(const struct disks *d)
{
	struct table t;
	char flags[64];
	size_t i;
	int ret;

	table_init(&t, headers, ARRAY_SIZE(headers));
	for (i = 0; i < d->n; i++) {
		const struct zcblk_dev_info *x = &d->v[i];

		table_cell(&t, "%u", x->index);
		table_cell(&t, "%s", x->disk_name[0] ? x->disk_name : "-");
		table_cell(&t, "%s", x->char_name);
		table_cell(&t, "%s", x->backend);
		table_size_cell(&t, x->disk_size);
		table_cell(&t, "%u", x->block_size);
		table_cell(&t, "%u", x->nr_queues);
		table_cell(&t, "%u", x->queue_depth);
		table_cell(&t, "%s", zcblk_state_name(x->state));
		table_size_cell(&t, x->alloc_bytes);
		disk_flags(x, flags, sizeof(flags));
		table_cell(&t, "%s", flags);
		if (x->write_cache)
			table_size_cell(&t, x->write_cache);
		else
			table_cell(&t, "-");
		table_cell(&t, "%s", x->path[0] ? x->path : "-");
	}
	ret = table_print(&t);
	table_free(&t);
	return ret;
}

int list_main(int argc, char *argv[])
{
	struct disks d = { 0 };
	struct zcblk_ctx *ctx;
	bool json;
	int ret;

	ret = json_options("list", argc, argv, &json, list_usage);
	if (ret >= 0)
		return ret;
	if (optind < argc)
		return usage_error("list", "unexpected argument: %s",
				   argv[optind]);

	ret = open_ctx(&ctx);
	if (ret)
		return ret;
	ret = zcblk_dev_list(ctx, collect, &d);
	if (!ret) {
		if (json)
			print_json(&d);
		else
			ret = print_table(&d);
	}
	if (ret)
		ret = report_error(ctx, ret);
	zcblk_ctx_close(ctx);
	free(d.v);
	return finish_output(ret);
}
