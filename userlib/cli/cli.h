/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * zcblkctl: what the subcommands share.
 */
#ifndef ZCBLKCTL_CLI_H
#define ZCBLKCTL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include "zcblk.h"

#define PROG_NAME	"zcblkctl"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit codes */
#define EXIT_USAGE	1	/* bad command line */
#define EXIT_FAILED	2	/* the kernel (or the system) refused */

/* Subcommands: argv[0] is the subcommand's name. */
int add_main(int argc, char *argv[]);
int del_main(int argc, char *argv[]);
int list_main(int argc, char *argv[]);
int set_main(int argc, char *argv[]);
int stats_main(int argc, char *argv[]);
int show_main(int argc, char *argv[]);
int monitor_main(int argc, char *argv[]);
int features_main(int argc, char *argv[]);
int version_main(int argc, char *argv[]);
int export_main(int argc, char *argv[]);
int unexport_main(int argc, char *argv[]);

/*
 * Is disk @index exported through nvmet (export.c)? 1 with the
 * subsystem's NQN in @nqn, else 0.
 */
int nvmet_exported(__u32 index, char *nqn, size_t len);

/*
 * Print "zcblkctl <cmd>: <message>" and a hint to stderr; EXIT_USAGE.
 * @cmd NULL: zcblkctl's own options, "zcblkctl: <message>".
 */
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Report what getopt_long() refused (opterr = 0, @shortopts starting with
 * ':', @longopts its table) and return EXIT_USAGE; @opt is its return
 * value, '?' or ':'.  The option is named as typed: "--size needs an
 * argument", "-s needs an argument", "--buffered takes no argument",
 * "--comp is ambiguous: --completion, --completion-ns", "unknown option
 * --foo", "unknown option -x".  Long options' vals must be letters of
 * @shortopts or above 255.
 */
struct option;
int bad_option(const char *cmd, int opt, char *argv[], const char *shortopts,
	       const struct option *longopts);

/*
 * Renamed options: each old long name stays in the getopt_long() table as
 * RENAMED("queues", 'q'), the val of the option that replaced it, so that
 * getopt_long() returns 0 for it (its flag is renamed_option) and neither
 * takes it for an abbreviation of another nor lets an abbreviation of it
 * through silently.  renamed_error() then says "--queues is now
 * --nr-queues" (EXIT_USAGE); @index is getopt_long()'s longindex.
 */
extern int renamed_option;
#define RENAMED(old, val)	{ old, optional_argument, &renamed_option, val }
int renamed_error(const char *cmd, const struct option *longopts, int index);

/*
 * Print "zcblkctl: <strerror(-err)>: <extack message>" to stderr; the
 * message part only if there is one.  Returns EXIT_FAILED.
 */
int report_error(const struct zcblk_ctx *ctx, int err);

/*
 * The options of a read command that takes only -j/--json, --pretty and
 * -h/--help (@usage prints its help): sets *@json.  Returns -1 to go on,
 * optind at the first operand; else the exit code (0 after --help,
 * EXIT_USAGE).
 */
int json_options(const char *cmd, int argc, char *argv[], bool *json,
		 void (*usage)(FILE *f));

/* zcblk_ctx_open(), reporting a failure; 0 or EXIT_FAILED. */
int open_ctx(struct zcblk_ctx **ctx);

/* "256M" -> 268435456: K, M, G, T (KiB .. TiB, "KiB" also) or bytes. */
int parse_size(const char *s, __u64 *out);
/* Decimal, 0 .. UINT32_MAX. */
int parse_u32(const char *s, __u32 *out);
/* Decimal, 0 .. UINT64_MAX. */
int parse_u64(const char *s, __u64 *out);
/* Decimal, or hexadecimal with 0x: "641", "0x281"; 0 .. UINT32_MAX. */
int parse_u32_hex(const char *s, __u32 *out);
/* "on" -> 1, "off" -> 0. */
int parse_on_off(const char *s, __u32 *out);
/* "inline", "softirq", "timer" -> enum zcblk_completion. */
int parse_completion(const char *s, __u32 *out);
/* "all", "reads", "writes" -> enum zcblk_fail_ops. */
int parse_fail_ops(const char *s, __u32 *out);
/* "on", "cut" -> enum zcblk_power_state. */
int parse_power(const char *s, __u32 *out);
/* "drop", "blocks", "torn" -> enum zcblk_cut_mode. */
int parse_cut_mode(const char *s, __u32 *out);
/*
 * "data", "metadata", "guard", "app-tag", "ref-tag" -> enum
 * zcblk_corrupt.
 */
int parse_corrupt(const char *s, __u32 *out);
/*
 * "initially", "persistently" -> the fdp-ruh-type values 1, 2 (reclaim
 * unit handles initially or persistently isolated).
 */
int parse_ruh_type(const char *s, __u32 *out);
/*
 * A range of blocks, LBA[+COUNT]: "10" -> 10, 1; "10+4" -> 10, 4.  Both
 * decimal, LBA 0 .. UINT64_MAX, COUNT 0 .. UINT32_MAX (the kernel says
 * what it takes); nothing else around them.
 */
int parse_lba_range(const char *s, __u64 *lba, __u32 *nlb);
/*
 * A disk as the user names it: "3", "zcblk3", "zcblk3c" (its char
 * device), "/dev/zcblk3" or "/dev/zcblk3c" -> 3.
 */
int parse_disk(const char *s, __u32 *index);
/* Octal, as chmod takes it: "0660" or "660" -> 0660; 0 .. UINT32_MAX. */
int parse_mode(const char *s, __u32 *out);
/* A user or group: a decimal id, or a name from the passwd/group database. */
int parse_user(const char *s, __u32 *uid);
int parse_group(const char *s, __u32 *gid);

/* 268435456 -> "256.0MiB"; 512 -> "512B". */
void format_size(__u64 bytes, char *buf, size_t len);

/*
 * The names parse_completion(), parse_fail_ops(), parse_power(),
 * parse_cut_mode() and parse_ruh_type() take; "unknown".  A power of 0 (a
 * module without power cuts reports none) is "on".
 */
const char *completion_name(__u32 completion);
const char *fail_ops_name(__u32 fail_ops);
const char *power_name(__u32 power);
const char *cut_mode_name(__u32 cut_mode);
const char *ruh_type_name(__u32 ruh_type);

/*
 * JSON on stdout (json.c, the only writer): containers, keys and values
 * in order; the commas, spaces and new lines come by themselves, and a
 * new line after each top-level value.  Strings are escaped; bytes that
 * are not UTF-8 come out as \udcXX (Python's surrogateescape).
 */
/* Indented, one member or element per line (--pretty); else compact. */
void json_set_pretty(bool pretty);
void json_object_begin(void);
void json_object_end(void);
void json_array_begin(void);
void json_array_end(void);
void json_key(const char *key);
void json_string(const char *s);
/* @s, or null if it is NULL or empty. */
void json_string_or_null(const char *s);
void json_u64(unsigned long long v);
void json_bool(bool b);
void json_null(void);
void json_kv_string(const char *key, const char *s);
void json_kv_u64(const char *key, unsigned long long v);
void json_kv_bool(const char *key, bool b);

/*
 * One disk as a JSON object, as `list -j` prints each.  Its keys are the
 * DEV_GET reply's attribute names with '_' for '-' (disk_name,
 * nr_queues, ...); the flags are booleans named after their bits.
 */
void json_disk(const struct zcblk_dev_info *info);
/* Its members only, for an object with more keys (monitor's event). */
void json_disk_members(const struct zcblk_dev_info *info);

/*
 * The FLAGS column of `list`:
 * "ro,buf,zoned,fdp,stall,cut,bad,inject,delay", or "-".
 */
void disk_flags(const struct zcblk_dev_info *info, char *buf, size_t len);

/*
 * Append @elem (@elem_size bytes) to the array *@v of *@n elements,
 * growing it (*@cap: its room); 0 or -ENOMEM.
 */
int vec_push(void *v, size_t *n, size_t *cap, const void *elem,
	     size_t elem_size);

/*
 * The end of a command that printed to stdout: if @ret is 0, check that
 * everything was written (EXIT_FAILED with a message if not).  Returns
 * @ret otherwise.
 */
int finish_output(int ret);

/*
 * A table in aligned columns: the headers, then the cells row after row,
 * left to right.  Allocation failures are remembered and reported by
 * table_print().
 */
struct table {
	size_t ncols, ncells, cap;
	char **cells;
	int err;
};

void table_init(struct table *t, const char *const *headers, size_t ncols);
/* The next cell, printf-style. */
void table_cell(struct table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The next cell: a size in human units (format_size()). */
void table_size_cell(struct table *t, __u64 bytes);
/* Print it, columns two spaces apart; 0 or a negative errno. */
int table_print(const struct table *t);
void table_free(struct table *t);

#endif /* ZCBLKCTL_CLI_H */
