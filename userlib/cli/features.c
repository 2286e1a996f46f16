// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl features: what the loaded module offers (backends, commands,
 * flags, limits), one per line or as a JSON object (-j).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void features_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s features [-j|--json] [--pretty]\n"
		"\n"
		"Show what the loaded zcblk module offers. With -j: a JSON object\n"
		"with the keys version (the module's), backends (names), commands\n"
		"(netlink commands served: dev-add, dev-del, dev-get, dev-stats,\n"
		"dev-set, features), dev_flags (read_only, buffered, zoned,\n"
		"extended_lba, pi_first, fdp, pi_guard64), completions (inline,\n"
		"softirq, timer), fail_ops (all, reads, writes), max_devs,\n"
		"max_queues, max_queue_depth,\n"
		"max_transfer (bytes per passthrough command) and cut_modes (what\n"
		"'set --power cut --cut-mode' takes: drop, blocks, torn; empty\n"
		"for a module without power cuts). Any user may run it.\n"
		"\n"
		"  -j, --json    print JSON\n"
		"      --pretty  with -j: indented, a key per line\n"
		"  -h, --help    show this\n",
		PROG_NAME);
}

static const char *const cmd_names[] = {
	[ZCBLK_CMD_DEV_ADD] = "dev-add",
	[ZCBLK_CMD_DEV_DEL] = "dev-del",
	[ZCBLK_CMD_DEV_GET] = "dev-get",
	[ZCBLK_CMD_DEV_STATS] = "dev-stats",
	[ZCBLK_CMD_DEV_SET] = "dev-set",
	[ZCBLK_CMD_FEATURES] = "features",
};

/* Bit N of dev_flags is ZCBLK_DEV_F_* 1 << N. */
static const char *const flag_names[] = {
	"read_only", "buffered", "zoned", "extended_lba", "pi_first", "fdp",
	"pi_guard64",
};

static const char *cmd_bit(unsigned int bit)
{
	return bit < ARRAY_SIZE(cmd_names) ? cmd_names[bit] : NULL;
}

static const char *flag_bit(unsigned int bit)
{
	return bit < ARRAY_SIZE(flag_names) ? flag_names[bit] : NULL;
}

/* As `set` and `list` name them. */
static const char *completion_bit(unsigned int bit)
{
	const char *s = completion_name(bit);

	return strcmp(s, "unknown") ? s : NULL;
}

static const char *fail_ops_bit(unsigned int bit)
{
	const char *s = fail_ops_name(bit);

	return strcmp(s, "unknown") ? s : NULL;
}

static const char *cut_mode_bit(unsigned int bit)
{
	const char *s = cut_mode_name(bit);

	return strcmp(s, "unknown") ? s : NULL;
}

/* Names of the bits of a FEATURES bit mask. */
struct bit_names {
	const char *(*name)(unsigned int bit);	/* NULL: no name */
	const char *unknown;	/* prefix for bits without a name */
};

static const struct bit_names cmds = { cmd_bit, "cmd" };
static const struct bit_names flags = { flag_bit, "flag" };
static const struct bit_names completions = { completion_bit, "completion" };
static const struct bit_names fail_ops = { fail_ops_bit, "ops" };
static const struct bit_names cut_modes = { cut_mode_bit, "cut" };

/*
 * The bits of @mask by name, separated by spaces, or as a JSON array;
 * a bit without a name as "<unknown><N>".
 */
static void print_bits(__u32 mask, const struct bit_names *b, bool json)
{
	unsigned int bit, n = 0;
	char buf[32];

	if (json)
		json_array_begin();
	for (bit = 0; bit < 32; bit++) {
		const char *name;

		if (!(mask & (1U << bit)))
			continue;
		name = b->name(bit);
		if (!name) {
			snprintf(buf, sizeof(buf), "%s%u", b->unknown, bit);
			name = buf;
		}
		if (json)
			json_string(name);
		else
			printf("%s%s", n ? " " : "", name);
		n++;
	}
	if (json)
		json_array_end();
	else if (!n)
		printf("-");
}

static void print_json(const struct zcblk_features *f)
{
	unsigned int i;

	json_object_begin();
	json_kv_string("version", f->version);
	json_key("backends");
	json_array_begin();
	for (i = 0; i < f->nr_backends; i++)
		json_string(f->backends[i]);
	json_array_end();
	json_key("commands");
	print_bits(f->cmds, &cmds, true);
	json_key("dev_flags");
	print_bits(f->dev_flags, &flags, true);
	json_key("completions");
	print_bits(f->completions, &completions, true);
	json_key("fail_ops");
	print_bits(f->fail_ops, &fail_ops, true);
	json_kv_u64("max_devs", f->max_devs);
	json_kv_u64("max_queues", f->max_queues);
	json_kv_u64("max_queue_depth", f->max_queue_depth);
	json_kv_u64("max_transfer", f->max_transfer);
	json_key("cut_modes");
	print_bits(f->cut_modes, &cut_modes, true);
	json_object_end();
}

#define ROW(name)	printf("%-16s ", name)

static void print_human(const struct zcblk_features *f)
{
	char size[32];
	unsigned int i;

	ROW("version");
	printf("%s\n", f->version);
	ROW("backends");
	for (i = 0; i < f->nr_backends; i++)
		printf("%s%s", i ? " " : "", f->backends[i]);
	printf("\n");
	ROW("commands");
	print_bits(f->cmds, &cmds, false);
	printf("\n");
	ROW("dev_flags");
	print_bits(f->dev_flags, &flags, false);
	printf("\n");
	ROW("completions");
	print_bits(f->completions, &completions, false);
	printf("\n");
	ROW("fail_ops");
	print_bits(f->fail_ops, &fail_ops, false);
	printf("\n");
	ROW("max_devs");
	printf("%u\n", f->max_devs);
	ROW("max_queues");
	printf("%u\n", f->max_queues);
	ROW("max_queue_depth");
	printf("%u\n", f->max_queue_depth);
	format_size(f->max_transfer, size, sizeof(size));
	ROW("max_transfer");
	printf("%u (%s)\n", f->max_transfer, size);
	ROW("cut_modes");
	print_bits(f->cut_modes, &cut_modes, false);
	printf("\n");
}

int features_main(int argc, char *argv[])
{
	struct zcblk_features f = { .size = sizeof(f) };
	struct zcblk_ctx *ctx;
	bool json;
	int ret;

	ret = json_options("features", argc, argv, &json, features_usage);
	if (ret >= 0)
		return ret;
	if (optind < argc)
		return usage_error("features", "unexpected argument: %s",
				   argv[optind]);

	ret = open_ctx(&ctx);
	if (ret)
		return ret;
	ret = zcblk_features(ctx, &f);
	if (ret)
		ret = report_error(ctx, ret);
	else if (json)
		print_json(&f);
	else
		print_human(&f);
	zcblk_ctx_close(ctx);
	return finish_output(ret);
}
