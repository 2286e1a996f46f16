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
		"Usage: %s stats [<index|zcblkN>] [-j|--json]\n"
		"\n"
		"Show the counters of one disk, or a table of every disk's. All\n"
		"count from the disk's creation:\n"
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
		"  flushes                   flushes run on the backing file (file)\n"
		"  timeouts                  requests whose timeout expired\n"
		"  injected                  errors injected ('%s set --fail-*')\n"
		"With -j: one JSON object (a disk given) or an array of them, with\n"
		"the keys index, name and the counters above.\n"
		"\n"
		"  -j, --json    print JSON\n"
		"  -h, --help    show this\n",
		PROG_NAME, PROG_NAME);
}

struct disk_stats {
	__u32 index;
	struct zcblk_dev_stats st;
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
#undef COUNTER
};

static __u64 counter(const struct zcblk_dev_stats *st, size_t i)
{
	__u64 v;

	memcpy(&v, (const char *)st + counters[i].offset, sizeof(v));
	return v;
}

static void print_json_one(const struct disk_stats *d)
{
	char name[32];
	size_t i;

	snprintf(name, sizeof(name), "zcblk%u", d->index);
	printf("{\"index\": %u, \"name\": ", d->index);
	json_string(name);
	printf(", \"pt_inflight\": %u", d->st.pt_inflight);
	for (i = 0; i < ARRAY_SIZE(counters); i++)
		printf(", \"%s\": %llu", counters[i].name,
		       (unsigned long long)counter(&d->st, i));
	printf("}");
}

static void print_json(const struct all_stats *a, bool one)
{
	size_t i;

	if (one) {
		print_json_one(&a->v[0]);
		printf("\n");
		return;
	}
	printf("[");
	for (i = 0; i < a->n; i++) {
		printf("%s\n  ", i ? "," : "");
		print_json_one(&a->v[i]);
	}
	printf("%s]\n", a->n ? "\n" : "");
}

/* One disk: "name  value" lines, the values aligned. */
static void print_one(const struct disk_stats *d)
{
	char size[32];
	size_t i;
	__u64 v;

	printf("zcblk%u\n", d->index);
	printf("  %-16s %u\n", "pt_inflight", d->st.pt_inflight);
	for (i = 0; i < ARRAY_SIZE(counters); i++) {
		v = counter(&d->st, i);
		printf("  %-16s %llu", counters[i].name, (unsigned long long)v);
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
	"FLUSHES", "TIMEOUTS", "INJECTED",
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
		table_cell(&t, "zcblk%u", a->v[i].index);
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
	}
	ret = table_print(&t);
	table_free(&t);
	return ret;
}

int stats_main(int argc, char *argv[])
{
	struct all_stats a = { 0 };
	struct disk_stats one = { .st.size = sizeof(one.st) };
	struct zcblk_ctx *ctx;
	bool json, single = false;
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
		ret = zcblk_dev_stats(ctx, one.index, &one.st);
		if (!ret) {
			a.v = &one;
			a.n = 1;
		}
	} else {
		ret = zcblk_dev_stats_list(ctx, collect, &a);
	}
	if (!ret) {
		if (json)
			print_json(&a, single);
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
