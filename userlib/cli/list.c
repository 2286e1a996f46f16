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
		"group and permission bits, as numbers: 0660 is 432), path (the\n"
		"backing file, or null), read_only, buffered (booleans), timeout_ms,\n"
		"and the live settings ('%s set'): completion (inline, softirq,\n"
		"timer), completion_ns, latency_ns, fail_every, fail_ppm, fail_status\n"
		"(a number: 0x281 is 641), fail_ops (all, reads, writes) and stall\n"
		"(a boolean).\n"
		"\n"
		"The table's FLAGS column: ro (read-only), buf (buffered), stall,\n"
		"inject (error injection on), delay (added latency or timer\n"
		"completion); '-' for none.\n"
		"\n"
		"  -j, --json    print JSON\n"
		"  -h, --help    show this\n",
		PROG_NAME, PROG_NAME);
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

static const char *json_bool(bool b)
{
	return b ? "true" : "false";
}

void json_disk(const struct zcblk_dev_info *x)
{
	printf("{\"index\": %u, \"name\": ", x->index);
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
	       "\"node_gid\": %u, \"node_mode\": %u, \"path\": ",
	       (unsigned long long)x->alloc_bytes, x->node_uid,
	       x->node_gid, x->node_mode);
	if (x->path[0])
		json_string(x->path);
	else
		printf("null");
	printf(", \"read_only\": %s, \"buffered\": %s, \"timeout_ms\": %u, "
	       "\"completion\": ",
	       json_bool(x->flags & ZCBLK_DEV_F_READ_ONLY),
	       json_bool(x->flags & ZCBLK_DEV_F_BUFFERED), x->timeout_ms);
	json_string(completion_name(x->completion));
	printf(", \"completion_ns\": %llu, \"latency_ns\": %llu, "
	       "\"fail_every\": %u, \"fail_ppm\": %u, \"fail_status\": %u, "
	       "\"fail_ops\": ",
	       (unsigned long long)x->completion_ns,
	       (unsigned long long)x->latency_ns, x->fail_every, x->fail_ppm,
	       x->fail_status);
	json_string(fail_ops_name(x->fail_ops));
	printf(", \"stall\": %s}", json_bool(x->stall));
}

static void print_json(const struct disks *d)
{
	size_t i;

	printf("[");
	for (i = 0; i < d->n; i++) {
		printf("%s\n  ", i ? "," : "");
		json_disk(&d->v[i]);
	}
	printf("%s]\n", d->n ? "\n" : "");
}

/* PATH, the last column, is printed as it is: it may be long. */
enum {
	C_INDEX, C_NAME, C_CHAR, C_BACKEND, C_SIZE, C_BS, C_QUEUES, C_DEPTH,
	C_STATE, C_ALLOC, C_FLAGS, NR_COLS
};

static const char *const headers[NR_COLS] = {
	"INDEX", "NAME", "CHAR", "BACKEND", "SIZE", "BS", "QUEUES", "DEPTH",
	"STATE", "ALLOC", "FLAGS",
};

#define CELL_LEN 32

/* "ro,buf,stall,inject,delay", or "-". */
static void fill_flags(const struct zcblk_dev_info *x, char *buf, size_t len)
{
	const struct {
		bool on;
		const char *name;
	} flags[] = {
		{ x->flags & ZCBLK_DEV_F_READ_ONLY, "ro" },
		{ x->flags & ZCBLK_DEV_F_BUFFERED, "buf" },
		{ x->stall, "stall" },
		{ x->fail_every || x->fail_ppm, "inject" },
		{ x->latency_ns || (x->completion == ZCBLK_COMPLETION_TIMER &&
				    x->completion_ns), "delay" },
	};
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		if (flags[i].on && n < len)
			n += snprintf(buf + n, len - n, "%s%s", n ? "," : "",
				      flags[i].name);
	}
	if (!n)
		snprintf(buf, len, "-");
}

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
	fill_flags(x, row[C_FLAGS], CELL_LEN);
}

static void print_row(char row[][CELL_LEN], const int *width,
		      const char *path)
{
	int c;

	for (c = 0; c < NR_COLS; c++)
		printf("%-*s  ", width[c], row[c]);
	printf("%s\n", path);
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
	print_row(head, width, "PATH");
	for (i = 0; i < d->n; i++)
		print_row(cells[i], width, d->v[i].path[0] ? d->v[i].path : "-");
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
