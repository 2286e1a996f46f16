// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl: the one JSON writer of every command's -j output.
 *
 * Compact by default: `{"index": 3, "disk_name": "zcblk3"}`, the elements
 * of a top-level array one per line; indented (two spaces a level, one
 * key or element per line) with --pretty.  Every top-level value ends
 * with a newline.  Strings are UTF-8: control characters are escaped, and
 * a byte that is not part of a valid UTF-8 sequence is written as \udcXX
 * (XX its value: Python's "surrogateescape"), so that
 * os.fsencode(json.loads(text)) gives back the original bytes.
 */
#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

/* Deeper than any zcblkctl output nests (3 levels: show -j). */
#define JSON_MAX_DEPTH	8

static struct {
	bool array;		/* else an object */
	unsigned int n;		/* members or elements so far */
} stack[JSON_MAX_DEPTH];
static int depth;
static bool pretty;
static bool after_key;		/* a key was written: its value is next */

void json_set_pretty(bool on)
{
	pretty = on;
}

static void newline_indent(int d)
{
	putchar('\n');
	while (d-- > 0)
		fputs("  ", stdout);
}

/* What goes before a value or a key: a comma, a space or a new line. */
static void separate(void)
{
	unsigned int n;

	if (after_key) {
		after_key = false;
		return;
	}
	if (!depth)
		return;
	n = stack[depth - 1].n++;
	if (n)
		putchar(',');
	if (pretty || (depth == 1 && stack[0].array))
		newline_indent(depth);
	else if (n)
		putchar(' ');
}

static void open_container(bool array)
{
	separate();
	putchar(array ? '[' : '{');
	stack[depth].array = array;
	stack[depth].n = 0;
	depth++;
}

static void close_container(bool array)
{
	unsigned int n = stack[--depth].n;

	if (n && (pretty || (!depth && array)))
		newline_indent(depth);
	putchar(array ? ']' : '}');
	if (!depth)
		putchar('\n');
}

void json_object_begin(void)
{
	open_container(false);
}

void json_object_end(void)
{
	close_container(false);
}

void json_array_begin(void)
{
	open_container(true);
}

void json_array_end(void)
{
	close_container(true);
}

/*
 * The length of the valid UTF-8 sequence at @s (2 to 4 bytes, its first
 * byte 0x80 or above), or 0 if there is none: a stray continuation byte,
 * a truncated sequence, an overlong form, a surrogate (U+D800..U+DFFF) or
 * a code point above U+10FFFF (RFC 3629; Python's UTF-8 codec agrees).
 */
static int utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	int len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;		/* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f;		/* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90;		/* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f;		/* above U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

static void write_string(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int len;

	putchar('"');
	while (*s) {
		switch (*s) {
		case '"':  fputs("\\\"", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		case '\b': fputs("\\b", stdout); break;
		case '\f': fputs("\\f", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				printf("\\u%04x", *s);
			} else if (*s < 0x80) {
				putchar(*s);
			} else if ((len = utf8_len(s))) {
				fwrite(s, 1, len, stdout);
				s += len;
				continue;
			} else {
				printf("\\udc%02x", *s);
			}
		}
		s++;
	}
	putchar('"');
}

void json_key(const char *key)
{
	separate();
	write_string(key);
	fputs(": ", stdout);
	after_key = true;
}

void json_string(const char *s)
{
	separate();
	write_string(s);
}

void json_string_or_null(const char *s)
{
	if (s && *s)
		json_string(s);
	else
		json_null();
}

void json_u64(unsigned long long v)
{
	separate();
	printf("%llu", v);
}

void json_bool(bool b)
{
	separate();
	fputs(b ? "true" : "false", stdout);
}

void json_null(void)
{
	separate();
	fputs("null", stdout);
}

void json_kv_string(const char *key, const char *s)
{
	json_key(key);
	json_string(s);
}

void json_kv_u64(const char *key, unsigned long long v)
{
	json_key(key);
	json_u64(v);
}

void json_kv_bool(const char *key, bool b)
{
	json_key(key);
	json_bool(b);
}
