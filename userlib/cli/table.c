// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl: tables in aligned columns (list, stats).
 */
#define _GNU_SOURCE	/* vasprintf */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void table_init(struct table *t, const char *const *headers, size_t ncols)
{
	size_t c;

	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	for (c = 0; c < ncols; c++)
		table_cell(t, "%s", headers[c]);
}

void table_cell(struct table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (t->err)
		return;
	if (t->ncells == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		char **cells = realloc(t->cells, cap * sizeof(*cells));

		if (!cells) {
			t->err = -ENOMEM;
			return;
		}
		t->cells = cells;
		t->cap = cap;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		t->err = -ENOMEM;
		s = NULL;
	}
	va_end(ap);
	if (s)
		t->cells[t->ncells++] = s;
}

void table_size_cell(struct table *t, __u64 bytes)
{
	char buf[32];

	format_size(bytes, buf, sizeof(buf));
	table_cell(t, "%s", buf);
}

int table_print(const struct table *t)
{
	size_t c, i, nrows = t->ncols ? t->ncells / t->ncols : 0;
	int *width;

	if (t->err)
		return t->err;
	if (t->ncells % t->ncols)
		return -EINVAL;		/* a row left incomplete: our bug */
	width = calloc(t->ncols, sizeof(*width));
	if (!width)
		return -ENOMEM;
	for (i = 0; i < t->ncells; i++) {
		int len = strlen(t->cells[i]);

		c = i % t->ncols;
		if (len > width[c])
			width[c] = len;
	}
	/* The last column is not padded: it may be long (a path). */
	for (i = 0; i < nrows; i++) {
		for (c = 0; c + 1 < t->ncols; c++)
			printf("%-*s  ", width[c], t->cells[i * t->ncols + c]);
		printf("%s\n", t->cells[i * t->ncols + c]);
	}
	free(width);
	return 0;
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
