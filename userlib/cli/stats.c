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

	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		struct disk_stats *v = realloc(a->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n].index = index;
	a->v[a->n].st = *st;
	a->n++;
	return 0;
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

enum {
	C_INDEX, C_NAME, C_READS, C_WRITES, C_READ, C_WRITTEN, C_ERRORS,
	C_INFLIGHT, C_PINNED, C_UNPINNED, C_PINNED_NOW, C_FIXED, C_COPIED,
	C_FLUSHES, C_TIMEOUTS, C_INJECTED, NR_COLS
};

static const char *const headers[NR_COLS] = {
	"INDEX", "NAME", "READS", "WRITES", "READ", "WRITTEN", "ERRORS",
	"INFLIGHT", "PINNED", "UNPINNED", "PINNED_NOW", "FIXED", "COPIED",
	"FLUSHES", "TIMEOUTS", "INJECTED",
};

#define CELL_LEN 32

static void fill_row(const struct disk_stats *d, char row[][CELL_LEN])
{
	const struct zcblk_dev_stats *st = &d->st;

	snprintf(row[C_INDEX], CELL_LEN, "%u", d->index);
	snprintf(row[C_NAME], CELL_LEN, "zcblk%u", d->index);
	snprintf(row[C_READS], CELL_LEN, "%llu",
		 (unsigned long long)st->read_cmds);
	snprintf(row[C_WRITES], CELL_LEN, "%llu",
		 (unsigned long long)st->write_cmds);
	format_size(st->read_bytes, row[C_READ], CELL_LEN);
	format_size(st->write_bytes, row[C_WRITTEN], CELL_LEN);
	snprintf(row[C_ERRORS], CELL_LEN, "%llu",
		 (unsigned long long)st->errors);
	snprintf(row[C_INFLIGHT], CELL_LEN, "%u", st->pt_inflight);
	snprintf(row[C_PINNED], CELL_LEN, "%llu",
		 (unsigned long long)st->pinned_pages);
	snprintf(row[C_UNPINNED], CELL_LEN, "%llu",
		 (unsigned long long)st->unpinned_pages);
	snprintf(row[C_PINNED_NOW], CELL_LEN, "%llu",
		 (unsigned long long)st->pinned_current);
	format_size(st->fixed_bytes, row[C_FIXED], CELL_LEN);
	format_size(st->copied_bytes, row[C_COPIED], CELL_LEN);
	snprintf(row[C_FLUSHES], CELL_LEN, "%llu",
		 (unsigned long long)st->flushes);
	snprintf(row[C_TIMEOUTS], CELL_LEN, "%llu",
		 (unsigned long long)st->timeouts);
	snprintf(row[C_INJECTED], CELL_LEN, "%llu",
		 (unsigned long long)st->injected);
}

static void print_row(char row[][CELL_LEN], const int *width)
{
	int c;

	for (c = 0; c < NR_COLS - 1; c++)
		printf("%-*s  ", width[c], row[c]);
	printf("%s\n", row[NR_COLS - 1]);
}

static int print_table(const struct all_stats *a)
{
	char (*cells)[NR_COLS][CELL_LEN];
	char head[NR_COLS][CELL_LEN];
	int width[NR_COLS];
	size_t i;
	int c;

	cells = calloc(a->n ? a->n : 1, sizeof(*cells));
	if (!cells)
		return -ENOMEM;
	for (c = 0; c < NR_COLS; c++) {
		snprintf(head[c], CELL_LEN, "%s", headers[c]);
		width[c] = strlen(headers[c]);
	}
	for (i = 0; i < a->n; i++) {
		fill_row(&a->v[i], cells[i]);
		for (c = 0; c < NR_COLS; c++) {
			int len = strlen(cells[i][c]);

			if (len > width[c])
				width[c] = len;
		}
	}
	print_row(head, width);
	for (i = 0; i < a->n; i++)
		print_row(cells[i], width);
	free(cells);
	return 0;
}

int stats_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct all_stats a = { 0 };
	struct disk_stats one = { .st.size = sizeof(one.st) };
	struct zcblk_ctx *ctx;
	bool json = false, single = false;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":jh", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'h':
			stats_usage(stdout);
			return 0;
		default:
			return bad_option("stats", opt, argv);
		}
	}
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
	if (!ret && (fflush(stdout) || ferror(stdout))) {
		fprintf(stderr, "%s: write error: %s\n", PROG_NAME,
			strerror(errno));
		ret = EXIT_FAILED;
	}
	return ret;
}
