// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl stats: the counters of one disk (one line per counter) or of
 * every disk (a table), or JSON (-j).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void stats_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s stats [DISK] [-j|--json] [--pretty]\n"
		"\n"
		"Show the counters of DISK (its index, zcblkN, zcblkNc, /dev/zcblkN or\n"
		"/dev/zcblkNc), or a table of every disk's. All count from the disk's\n"
		"creation, but cache_dirty_bytes (now) and the cut_lost ones (the last\n"
		"power cut):\n"
		"  read_cmds, write_cmds     reads (and compares), writes done\n"
		"  read_bytes, write_bytes   bytes moved by them\n"
		"  errors                    backend failures\n"
		"  pt_inflight               passthrough commands in flight now\n"
		"  pinned_pages              user pages pinned for passthrough I/O\n"
		"  unpinned_pages            of those, the pages released again\n"
		"  pinned_current            pinned now: 0 when nothing is in flight\n"
		"  fixed_bytes               bytes moved through io_uring registered\n"
		"                            buffers (pinned by io_uring, not zcblk)\n"
		"  copied_bytes              data bytes zcblk copied: mem backend, file\n"
		"                            --buffered; 0 for file direct I/O\n"
		"  flushes                   flushes the disk ran (file: fsync of the file)\n"
		"  timeouts                  requests whose timeout expired\n"
		"  injected                  errors injected ('%s set --fail-every')\n"
		"  cache_dirty_bytes         bytes in the volatile write cache, not yet\n"
		"                            durable ('add --write-cache')\n"
		"  fua_writes                writes and Write Zeroes with FUA that ran\n"
		"  cut_lost_writes           writes the last power cut lost, wholly or\n"
		"                            in part ('set --power cut')\n"
		"  cut_lost_blocks           the blocks of theirs it lost\n"
		"With -j: a JSON array of objects, one per disk (also for one DISK),\n"
		"with the keys index, disk_name (null: no block device) and the\n"
		"counters above.\n"
		"\n"
		"  -j, --json    print JSON\n"
		"      --pretty  with -j: indented, a key per line\n"
		"  -h, --help    show this\n",
		PROG_NAME, PROG_NAME);
}

struct disk_stats {
	__u32 index;
	struct zcblk_dev_stats st;
	/* The disk's, as DEV_GET says: "" without a block device. */
	char disk_name[sizeof(((struct zcblk_dev_info *)0)->disk_name)];
	char char_name[sizeof(((struct zcblk_dev_info *)0)->char_name)];
};

struct all_stats {
	struct disk_stats *v;
	size_t n, cap;
};

static int collect(__u32 index, const struct zcblk_dev_stats *st, void *arg)
{
	struct all_stats *a = arg;
	struct disk_stats d = { .index = index, .st = *st };

	return vec_push(&a->v, &a->n, &a->cap, &d, sizeof(d));
}

/* The names of a disk whose counters were collected. */
static int name_disk(const struct zcblk_dev_info *info, void *arg)
{
	struct all_stats *a = arg;
	size_t i;

	for (i = 0; i < a->n; i++) {
		if (a->v[i].index != info->index)
			continue;
		snprintf(a->v[i].disk_name, sizeof(a->v[i].disk_name), "%s",
			 info->disk_name);
		snprintf(a->v[i].char_name, sizeof(a->v[i].char_name), "%s",
			 info->char_name);
	}
	return 0;
}

/* The name to show: the block device's, else the char device's. */
static const char *shown_name(const struct disk_stats *d)
{
	return d->disk_name[0] ? d->disk_name : d->char_name;
}

/* The counters in output order; @bytes: also shown as a size. */
static const struct {
	const char *name;
	size_t offset;
	bool bytes;
} counters[] = {
#define COUNTER(field, bytes) \
	{ #field, offsetof(struct zcblk_dev_stats, field), bytes }
	COUNTER(read_cmds, false),
	COUNTER(write_cmds, false),
	COUNTER(read_bytes, true),
	COUNTER(write_bytes, true),
	COUNTER(errors, false),
	COUNTER(pinned_pages, false),
	COUNTER(unpinned_pages, false),
	COUNTER(pinned_current, false),
	COUNTER(fixed_bytes, true),
	COUNTER(copied_bytes, true),
	COUNTER(flushes, false),
	COUNTER(timeouts, false),
	COUNTER(injected, false),
	COUNTER(cache_dirty_bytes, true),
	COUNTER(fua_writes, false),
	COUNTER(cut_lost_writes, false),
	COUNTER(cut_lost_blocks, false),
#undef COUNTER
};

static __u64 counter(const struct zcblk_dev_stats *st, size_t i)
{
	__u64 v;

	memcpy(&v, (const char *)st + counters[i].offset, sizeof(v));
	return v;
}

static void print_json(const struct all_stats *a)
{
	size_t i, c;

	json_array_begin();
	for (i = 0; i < a->n; i++) {
		const struct disk_stats *d = &a->v[i];

		json_object_begin();
		json_kv_u64("index", d->index);
		json_key("disk_name");
		json_string_or_null(d->disk_name);
		json_kv_u64("pt_inflight", d->st.pt_inflight);
		for (c = 0; c < ARRAY_SIZE(counters); c++)
			json_kv_u64(counters[c].name, counter(&d->st, c));
		json_object_end();
	}
	json_array_end();
}

/* One disk: "name  value" lines, the values aligned. */
static void print_one(const struct disk_stats *d)
{
	char size[32];
	size_t i;
	__u64 v;

	printf("%s\n", shown_name(d));
	printf("  %-17s %u\n", "pt_inflight", d->st.pt_inflight);
	for (i = 0; i < ARRAY_SIZE(counters); i++) {
		v = counter(&d->st, i);
		printf("  %-17s %llu", counters[i].name, (unsigned long long)v);
		if (counters[i].bytes && v >= 1024) {
			format_size(v, size, sizeof(size));
			printf(" (%s)", size);
		}
		printf("\n");
	}
}

static const char *const headers[] = {
	"INDEX", "NAME", "READS", "WRITES", "READ", "WRITTEN", "ERRORS",
	"INFLIGHT", "PINNED", "UNPINNED", "PINNED_NOW", "FIXED", "COPIED",
	"FLUSHES", "TIMEOUTS", "INJECTED", "DIRTY", "FUA", "CUT_WRITES",
	"CUT_BLOCKS",
};

static int print_table(const struct all_stats *a)
{
	struct table t;
	size_t i;
	int ret;

	table_init(&t, headers, ARRAY_SIZE(headers));
	for (i = 0; i < a->n; i++) {
		const struct zcblk_dev_stats *st = &a->v[i].st;

		table_cell(&t, "%u", a->v[i].index);
		table_cell(&t, "%s", shown_name(&a->v[i]));
		table_cell(&t, "%llu", (unsigned long long)st->read_cmds);
		table_cell(&t, "%llu", (unsigned long long)st->write_cmds);
		table_size_cell(&t, st->read_bytes);
		table_size_cell(&t, st->write_bytes);
		table_cell(&t, "%llu", (unsigned long long)st->errors);
		table_cell(&t, "%u", st->pt_inflight);
		table_cell(&t, "%llu", (unsigned long long)st->pinned_pages);
		table_cell(&t, "%llu", (unsigned long long)st->unpinned_pages);
		table_cell(&t, "%llu", (unsigned long long)st->pinned_current);
		table_size_cell(&t, st->fixed_bytes);
		table_size_cell(&t, st->copied_bytes);
		table_cell(&t, "%llu", (unsigned long long)st->flushes);
		table_cell(&t, "%llu", (unsigned long long)st->timeouts);
		table_cell(&t, "%llu", (unsigned long long)st->injected);
		table_size_cell(&t, st->cache_dirty_bytes);
		table_cell(&t, "%llu", (unsigned long long)st->fua_writes);
		table_cell(&t, "%llu", (unsigned long long)st->cut_lost_writes);
		table_cell(&t, "%llu", (unsigned long long)st->cut_lost_blocks);
	}
	ret = table_print(&t);
	table_free(&t);
	return ret;
}

int stats_main(int argc, char *argv[])
{
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct disk_stats one = { .st.size = sizeof(one.st) };
	struct all_stats a = { 0 };
	struct zcblk_ctx *ctx;
	bool json, single = false;
	size_t i, n;
	int ret;

	ret = json_options("stats", argc, argv, &json, stats_usage);
	if (ret >= 0)
		return ret;
	if (optind < argc - 1)
		return usage_error("stats", "unexpected argument: %s",
				   argv[optind + 1]);
	if (optind == argc - 1) {
		if (parse_disk(argv[optind], &one.index))
			return usage_error("stats", "not a disk index or name: %s",
					   argv[optind]);
		single = true;
	}

	ret = open_ctx(&ctx);
	if (ret)
		return ret;
	if (single) {
		/* Its names first: no such disk is said before any counter. */
		ret = zcblk_dev_get(ctx, one.index, &info);
		if (!ret)
			ret = zcblk_dev_stats(ctx, one.index, &one.st);
		if (!ret) {
			name_disk(&info, &(struct all_stats){ &one, 1, 1 });
			a.v = &one;
			a.n = 1;
		}
	} else {
		/*
		 * The counters, then the names: a disk removed in between has
		 * none and is left out (one added has no counters yet).
		 */
		ret = zcblk_dev_stats_list(ctx, collect, &a);
		if (!ret)
			ret = zcblk_dev_list(ctx, name_disk, &a);
		for (i = n = 0; !ret && i < a.n; i++)
			if (a.v[i].char_name[0])
				a.v[n++] = a.v[i];
		a.n = n;
	}
	if (!ret) {
		if (json)
			print_json(&a);
		else if (single)
			print_one(&one);
		else
			ret = print_table(&a);
	}
	if (ret)
		ret = report_error(ctx, ret);
	zcblk_ctx_close(ctx);
	if (!single)
		free(a.v);
	return finish_output(ret);
}
