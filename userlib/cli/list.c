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
		"Usage: %s list [-j|--json]\n"
		"\n"
		"List the disks, one per line, or as a JSON array of objects with\n"
		"the keys index, name, char_name, backend, size, block_size,\n"
		"nr_queues, poll_queues, queue_depth, state, alloc_bytes (sizes in\n"
		"bytes), node_uid, node_gid, node_mode (the char device node's owner,\n"
		"group and permission bits, as numbers: 0660 is 432).\n"
		"\n"
		"  -j, --json    print JSON\n"
		"  -h, --help    show this\n",
		PROG_NAME);
}

struct disks {
	struct zcblk_dev_info *v;
	size_t n, cap;
};

static int collect(const struct zcblk_dev_info *info, void *arg)
{
	struct disks *d = arg;

	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		struct zcblk_dev_info *v = realloc(d->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = *info;
	return 0;
}

static void print_json(const struct disks *d)
{
	size_t i;

	printf("[");
	for (i = 0; i < d->n; i++) {
		const struct zcblk_dev_info *x = &d->v[i];

		printf("%s\n  {\"index\": %u, \"name\": ", i ? "," : "",
		       x->index);
		json_string(x->disk_name);
		printf(", \"char_name\": ");
		json_string(x->char_name);
		printf(", \"backend\": ");
		json_string(x->backend);
		printf(", \"size\": %llu, \"block_size\": %u, \"nr_queues\": %u, "
		       "\"poll_queues\": %u, \"queue_depth\": %u, \"state\": ",
		       (unsigned long long)x->disk_size, x->block_size,
		       x->nr_queues, x->poll_queues, x->queue_depth);
		json_string(zcblk_state_name(x->state));
		printf(", \"alloc_bytes\": %llu, \"node_uid\": %u, "
		       "\"node_gid\": %u, \"node_mode\": %u}",
		       (unsigned long long)x->alloc_bytes, x->node_uid,
		       x->node_gid, x->node_mode);
	}
	printf("%s]\n", d->n ? "\n" : "");
}

enum {
	C_INDEX, C_NAME, C_CHAR, C_BACKEND, C_SIZE, C_BS, C_QUEUES, C_DEPTH,
	C_STATE, C_ALLOC, NR_COLS
};

static const char *const headers[NR_COLS] = {
	"INDEX", "NAME", "CHAR", "BACKEND", "SIZE", "BS", "QUEUES", "DEPTH",
	"STATE", "ALLOC",
};

#define CELL_LEN 32

static void fill_row(const struct zcblk_dev_info *x, char row[][CELL_LEN])
{
	snprintf(row[C_INDEX], CELL_LEN, "%u", x->index);
	snprintf(row[C_NAME], CELL_LEN, "%s", x->disk_name);
	snprintf(row[C_CHAR], CELL_LEN, "%s", x->char_name);
	snprintf(row[C_BACKEND], CELL_LEN, "%s", x->backend);
	format_size(x->disk_size, row[C_SIZE], CELL_LEN);
	snprintf(row[C_BS], CELL_LEN, "%u", x->block_size);
	snprintf(row[C_QUEUES], CELL_LEN, "%u", x->nr_queues);
	snprintf(row[C_DEPTH], CELL_LEN, "%u", x->queue_depth);
	snprintf(row[C_STATE], CELL_LEN, "%s", zcblk_state_name(x->state));
	format_size(x->alloc_bytes, row[C_ALLOC], CELL_LEN);
}

static void print_row(char row[][CELL_LEN], const int *width)
{
	int c;

	for (c = 0; c < NR_COLS - 1; c++)
		printf("%-*s  ", width[c], row[c]);
	printf("%s\n", row[NR_COLS - 1]);
}

static int print_table(const struct disks *d)
{
	char (*cells)[NR_COLS][CELL_LEN];
	char head[NR_COLS][CELL_LEN];
	int width[NR_COLS];
	size_t i;
	int c;

	cells = calloc(d->n ? d->n : 1, sizeof(*cells));
	if (!cells)
		return -ENOMEM;
	for (c = 0; c < NR_COLS; c++) {
		snprintf(head[c], CELL_LEN, "%s", headers[c]);
		width[c] = strlen(headers[c]);
	}
	for (i = 0; i < d->n; i++) {
		fill_row(&d->v[i], cells[i]);
		for (c = 0; c < NR_COLS; c++) {
			int len = strlen(cells[i][c]);

			if (len > width[c])
				width[c] = len;
		}
	}
	print_row(head, width);
	for (i = 0; i < d->n; i++)
		print_row(cells[i], width);
	free(cells);
	return 0;
}

int list_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct disks d = { 0 };
	struct zcblk_ctx *ctx;
	bool json = false;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":jh", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'h':
			list_usage(stdout);
			return 0;
		default:
			return bad_option("list", opt, argv);
		}
	}
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
	if (!ret && (fflush(stdout) || ferror(stdout))) {
		fprintf(stderr, "%s: write error: %s\n", PROG_NAME,
			strerror(errno));
		ret = EXIT_FAILED;
	}
	return ret;
}
