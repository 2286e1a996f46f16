// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl set: change a disk's live settings (completion, added latency,
 * error injection, stall), mark its blocks unreadable or readable again,
 * corrupt stored blocks silently, and cut its power or give it back.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

static void set_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s set DISK [--completion inline|softirq|timer]\n"
		"                [--completion-ns N] [--latency-ns N] [--fail-every N]\n"
		"                [--fail-ppm N] [--fail-status S]\n"
		"                [--fail-ops all|reads|writes] [--stall on|off]\n"
		"                [--bad LBA[+COUNT] | --clear-bad LBA[+COUNT]]\n"
		"                [--corrupt LBA[+COUNT] [--corrupt-what WHAT]]\n"
		"                [--power on|cut [--cut-mode drop|blocks|torn]\n"
		"                 [--cut-seed N]] [-j|--json] [--pretty]\n"
		"\n"
		"Change a disk's live settings; they apply to requests from now on.\n"
		"Prints nothing, or the disk as 'list -j' shows it (-j). DISK: its\n"
		"index (3), name (zcblk3), char device's name (zcblk3c) or either's\n"
		"path (/dev/zcblk3, /dev/zcblk3c). The other settings come first,\n"
		"then --bad or --clear-bad, then --corrupt, then --power: if one is\n"
		"refused, those after it are not made.\n"
		"\n"
		"      --completion MODE   inline (where the backend finishes), softirq\n"
		"                          (like a device interrupt) or timer\n"
		"      --completion-ns N   timer mode: nanoseconds, 0..10000000000\n"
		"      --latency-ns N      add N ns to every request, 0..10000000000\n"
		"                          (0: none)\n"
		"      --fail-every N      fail every N-th matching command (0: off);\n"
		"                          non-zero turns --fail-ppm off\n"
		"      --fail-ppm N        fail N matching commands per million, at\n"
		"                          random, 0..1000000 (0: off); non-zero\n"
		"                          turns --fail-every off\n"
		"      --fail-status S     the NVMe status they fail with, 1..0x7fff,\n"
		"                          bits 10:0 not all 0, decimal or 0x hex\n"
		"                          (default 0x6, Internal\n"
		"                          Error; e.g. 0x281 Unrecovered Read Error,\n"
		"                          ENODATA on the block device)\n"
		"      --fail-ops OPS      which commands: all (default), reads (Read,\n"
		"                          Compare) or writes (Write, Write Zeroes, DSM,\n"
		"                          discard)\n"
		"      --stall on|off      on: hold new requests unrun (they time out\n"
		"                          after the disk's timeout); off: run them\n"
		"      --bad LBA[+COUNT]   make COUNT blocks from LBA unreadable (the\n"
		"                          disk's blocks; COUNT 1..65536, default 1),\n"
		"                          as Write Uncorrectable does: a read of one\n"
		"                          fails (Unrecovered Read Error; ENODATA on\n"
		"                          the block device) until it is written.\n"
		"                          'show' lists them; a file disk keeps them\n"
		"                          beside its file, in PATH.bad\n"
		"      --clear-bad LBA[+COUNT]\n"
		"                          make them readable again, data as it was\n"
		"      --corrupt LBA[+COUNT]\n"
		"                          invert one stored byte of each of COUNT\n"
		"                          blocks from LBA (COUNT 1..65536, default\n"
		"                          1), silently: reads return it, protection\n"
		"                          information checks catch it, a write of the\n"
		"                          block replaces it. Not on the null backend\n"
		"      --corrupt-what WHAT with --corrupt: which byte of each block:\n"
		"                          data (the default: its data's first),\n"
		"                          metadata (its metadata's first), guard,\n"
		"                          app-tag or ref-tag (in its protection\n"
		"                          information: the guard's or application\n"
		"                          tag's first, the reference tag's last)\n"
		"      --power on|cut      cut: lose what the write cache holds (add\n"
		"                          --write-cache) as --cut-mode says, then fail\n"
		"                          every request until --power on; on: run them\n"
		"                          again. The state the disk has already: no\n"
		"                          change\n"
		"      --cut-mode MODE     with --power cut: what survives of each\n"
		"                          write not yet durable: drop (default:\n"
		"                          nothing), blocks (each block or not, at\n"
		"                          random), torn (its first N blocks, N at\n"
		"                          random)\n"
		"      --cut-seed N        with --power cut: the seed of those random\n"
		"                          choices, 0..2^64-1 (default 0)\n"
		"  -j, --json              print the disk afterwards, as JSON\n"
		"      --pretty            with -j: indented, a key per line\n"
		"  -h, --help              show this\n"
		"\n"
		"Example: %s set 0 --fail-every 10 --fail-status 0x281 --fail-ops reads\n"
		"         %s set 0 --bad 2048+8\n"
		"         %s set 0 --corrupt 2048 --corrupt-what guard\n"
		"         %s set 0 --power cut --cut-mode torn --cut-seed 7\n",
		PROG_NAME, PROG_NAME, PROG_NAME, PROG_NAME, PROG_NAME);
}

/* Long-only options. */
enum {
	OPT_COMPLETION = 256,
	OPT_COMPLETION_NS,
	OPT_LATENCY_NS,
	OPT_FAIL_EVERY,
	OPT_FAIL_PPM,
	OPT_FAIL_STATUS,
	OPT_FAIL_OPS,
	OPT_STALL,
	OPT_POWER,
	OPT_CUT_MODE,
	OPT_CUT_SEED,
	OPT_BAD,
	OPT_CLEAR_BAD,
	OPT_CORRUPT,
	OPT_CORRUPT_WHAT,
	OPT_PRETTY,
};

int set_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "completion",	   required_argument, NULL, OPT_COMPLETION },
		{ "completion-ns", required_argument, NULL, OPT_COMPLETION_NS },
		{ "latency-ns",	   required_argument, NULL, OPT_LATENCY_NS },
		{ "fail-every",	   required_argument, NULL, OPT_FAIL_EVERY },
		{ "fail-ppm",	   required_argument, NULL, OPT_FAIL_PPM },
		{ "fail-status",   required_argument, NULL, OPT_FAIL_STATUS },
		{ "fail-ops",	   required_argument, NULL, OPT_FAIL_OPS },
		{ "stall",	   required_argument, NULL, OPT_STALL },
		{ "power",	   required_argument, NULL, OPT_POWER },
		{ "cut-mode",	   required_argument, NULL, OPT_CUT_MODE },
		{ "cut-seed",	   required_argument, NULL, OPT_CUT_SEED },
		{ "bad",	   required_argument, NULL, OPT_BAD },
		{ "clear-bad",	   required_argument, NULL, OPT_CLEAR_BAD },
		{ "corrupt",	   required_argument, NULL, OPT_CORRUPT },
		{ "corrupt-what",  required_argument, NULL, OPT_CORRUPT_WHAT },
		{ "json",	   no_argument,	      NULL, 'j' },
		{ "pretty",	   no_argument,	      NULL, OPT_PRETTY },
		{ "help",	   no_argument,	      NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char shortopts[] = ":jh";
	struct zcblk_dev_settings s = { .size = sizeof(s) };
	struct zcblk_dev_info info = { .size = sizeof(info) };
	struct zcblk_ctx *ctx;
	bool json = false, power_set = false, mode_set = false,
	     seed_set = false, bad_set = false, corrupt_set = false,
	     what_set = false;
	__u32 index, power = 0, cut_mode = 0, bad_nlb = 0, bad_flags = 0,
	      corrupt_nlb = 0, corrupt_what = 0;
	__u64 cut_seed = 0, bad_lba = 0, corrupt_lba = 0;
	int opt, ret;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
		switch (opt) {
		case OPT_COMPLETION:
			if (parse_completion(optarg, &s.completion))
				return usage_error("set", "invalid completion mode (inline, softirq, timer): %s",
						   optarg);
			s.set |= ZCBLK_SET_COMPLETION;
			break;
		case OPT_COMPLETION_NS:
			if (parse_u64(optarg, &s.completion_ns))
				return usage_error("set", "invalid completion latency (ns): %s",
						   optarg);
			s.set |= ZCBLK_SET_COMPLETION_NS;
			break;
		case OPT_LATENCY_NS:
			if (parse_u64(optarg, &s.latency_ns))
				return usage_error("set", "invalid latency (ns): %s",
						   optarg);
			s.set |= ZCBLK_SET_LATENCY_NS;
			break;
		case OPT_FAIL_EVERY:
			if (parse_u32(optarg, &s.fail_every))
				return usage_error("set", "invalid --fail-every: %s",
						   optarg);
			s.set |= ZCBLK_SET_FAIL_EVERY;
			break;
		case OPT_FAIL_PPM:
			if (parse_u32(optarg, &s.fail_ppm))
				return usage_error("set", "invalid --fail-ppm: %s",
						   optarg);
			s.set |= ZCBLK_SET_FAIL_PPM;
			break;
		case OPT_FAIL_STATUS:
			if (parse_u32_hex(optarg, &s.fail_status))
				return usage_error("set", "invalid NVMe status: %s",
						   optarg);
			s.set |= ZCBLK_SET_FAIL_STATUS;
			break;
		case OPT_FAIL_OPS:
			if (parse_fail_ops(optarg, &s.fail_ops))
				return usage_error("set", "invalid --fail-ops (all, reads, writes): %s",
						   optarg);
			s.set |= ZCBLK_SET_FAIL_OPS;
			break;
		case OPT_STALL:
			if (parse_on_off(optarg, &s.stall))
				return usage_error("set", "invalid --stall (on, off): %s",
						   optarg);
			s.set |= ZCBLK_SET_STALL;
			break;
		case OPT_POWER:
			if (parse_power(optarg, &power))
				return usage_error("set", "invalid --power (on, cut): %s",
						   optarg);
			power_set = true;
			break;
		case OPT_CUT_MODE:
			if (parse_cut_mode(optarg, &cut_mode))
				return usage_error("set", "invalid --cut-mode (drop, blocks, torn): %s",
						   optarg);
			mode_set = true;
			break;
		case OPT_CUT_SEED:
			if (parse_u64(optarg, &cut_seed))
				return usage_error("set", "invalid --cut-seed: %s",
						   optarg);
			seed_set = true;
			break;
		case OPT_BAD:
		case OPT_CLEAR_BAD:
			/* One range a command: DEV_SET takes one. */
			if (bad_set)
				return usage_error("set", "one --bad or --clear-bad at a time");
			if (parse_lba_range(optarg, &bad_lba, &bad_nlb))
				return usage_error("set", "invalid --%s (LBA or LBA+COUNT, decimal): %s",
						   opt == OPT_BAD ? "bad" : "clear-bad",
						   optarg);
			bad_flags = opt == OPT_BAD ? 0 : ZCBLK_BAD_CLEAR;
			bad_set = true;
			break;
		case OPT_CORRUPT:
			/* One range a command, as --bad. */
			if (corrupt_set)
				return usage_error("set", "one --corrupt at a time");
			if (parse_lba_range(optarg, &corrupt_lba, &corrupt_nlb))
				return usage_error("set", "invalid --corrupt (LBA or LBA+COUNT, decimal): %s",
						   optarg);
			corrupt_set = true;
			break;
		case OPT_CORRUPT_WHAT:
			if (parse_corrupt(optarg, &corrupt_what))
				return usage_error("set", "invalid --corrupt-what (data, metadata, guard, app-tag, ref-tag): %s",
						   optarg);
			what_set = true;
			break;
		case 'j':
			json = true;
			break;
		case OPT_PRETTY:
			json_set_pretty(true);
			break;
		case 'h':
			set_usage(stdout);
			return 0;
		default:
			return bad_option("set", opt, argv, shortopts, options);
		}
	}
	if (optind != argc - 1)
		return usage_error("set", "expected one disk (index or name)");
	if (parse_disk(argv[optind], &index))
		return usage_error("set", "not a disk index or name: %s",
				   argv[optind]);
	/* The kernel refuses them too; this names the option. */
	if ((mode_set || seed_set) &&
	    (!power_set || power != ZCBLK_POWER_STATE_CUT))
		return usage_error("set", "%s needs --power cut",
				   mode_set ? "--cut-mode" : "--cut-seed");
	if (what_set && !corrupt_set)
		return usage_error("set", "--corrupt-what needs --corrupt");
	if (!s.set && !bad_set && !corrupt_set && !power_set)
		return usage_error("set", "nothing to set");

	ret = open_ctx(&ctx);
	if (ret)
		return ret;
	/*
	 * The other settings first, then the bad blocks, then the
	 * corruption, then the power (the kernel's order within one
	 * request): one request each.
	 */
	ret = 0;
	if (s.set)
		ret = zcblk_dev_set(ctx, index, &s,
				    json && !bad_set && !corrupt_set &&
				    !power_set ? &info : NULL);
	if (!ret && bad_set)
		ret = zcblk_dev_set_bad(ctx, index, bad_lba, bad_nlb,
					bad_flags);
	/* No --corrupt-what: 0, the kernel's default (data). */
	if (!ret && corrupt_set)
		ret = zcblk_dev_corrupt(ctx, index, corrupt_lba, corrupt_nlb,
					corrupt_what);
	/* No --cut-mode: 0, the kernel's default (drop); likewise the seed. */
	if (!ret && power_set)
		ret = zcblk_dev_power(ctx, index, power, cut_mode, cut_seed);
	if (!ret && (bad_set || corrupt_set || power_set) && json)
		ret = zcblk_dev_get(ctx, index, &info);
	if (ret) {
		ret = report_error(ctx, ret);
	} else if (json) {
		json_disk(&info);
	}
	zcblk_ctx_close(ctx);
	return finish_output(ret);
}
