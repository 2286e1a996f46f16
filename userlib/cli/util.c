// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * zcblkctl: helpers shared by the subcommands.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s%s%s: ", PROG_NAME, cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s%s%s --help'.\n", PROG_NAME, cmd ? " " : "",
		cmd ? cmd : "");
	return EXIT_USAGE;
}

int renamed_option;

int renamed_error(const char *cmd, const struct option *longopts, int index)
{
	const struct option *o;

	for (o = longopts; o->name; o++)
		if (!o->flag && o->val == longopts[index].val)
			return usage_error(cmd, "--%s is now --%s",
					   longopts[index].name, o->name);
	return usage_error(cmd, "--%s was removed", longopts[index].name);
}

int bad_option(const char *cmd, int opt, char *argv[], const char *shortopts,
	       const struct option *longopts)
{
	const char *arg = argv[optind - 1];
	const struct option *o;
	size_t len = 0, matches = 0, current = 0;
	char list[512];
	bool is_long;
	int n;

	/*
	 * A missing argument is at the end of argv: argv[optind - 1] is the
	 * option, long ("--size", optopt its val) or short ("-s" or "-js",
	 * optopt the letter).  Otherwise a short option's error has its
	 * letter in optopt, never one of @shortopts; a long option's has 0
	 * (unknown or ambiguous) or the val of an option that takes no
	 * argument but was given one ("--json=1"): a letter of @shortopts,
	 * or above 255 for a long-only option.  argv[optind - 1] is then
	 * the long option.
	 */
	if (opt == ':')
		is_long = !strncmp(arg, "--", 2);
	else
		is_long = !optopt || optopt > 255 ||
			  (optopt != ':' && strchr(shortopts, optopt));
	if (!is_long) {
		if (opt == ':')
			return usage_error(cmd, "-%c needs an argument", optopt);
		if (isgraph(optopt))
			return usage_error(cmd, "unknown option -%c", optopt);
		return usage_error(cmd, "unknown option: character %#x",
				   (unsigned int)optopt);
	}

	/* The option as typed, without any "=value". */
	n = strcspn(arg, "=");
	if (opt == ':')
		return usage_error(cmd, "%.*s needs an argument", n, arg);
	if (optopt)
		return usage_error(cmd, "%.*s takes no argument", n, arg);

	/*
	 * Unknown, or the prefix of more than one option: which ones.  The
	 * renamed ones (RENAMED()) only when fewer than two others match.
	 */
	for (o = longopts; n > 2 && o->name; o++)
		if (!strncmp(o->name, arg + 2, n - 2) &&
		    o->flag != &renamed_option)
			current++;
	list[0] = '\0';
	for (o = longopts; n > 2 && o->name; o++) {
		if (strncmp(o->name, arg + 2, n - 2) ||
		    (current > 1 && o->flag == &renamed_option))
			continue;
		matches++;
		if (len < sizeof(list))
			len += snprintf(list + len, sizeof(list) - len,
					"%s--%s", len ? ", " : "", o->name);
	}
	if (matches > 1)
		return usage_error(cmd, "%.*s is ambiguous: %s", n, arg, list);
	if (n <= 2)	/* "--=x" */
		return usage_error(cmd, "unknown option %s", arg);
	return usage_error(cmd, "unknown option %.*s", n, arg);
}

int json_options(const char *cmd, int argc, char *argv[], bool *json,
		 void (*usage)(FILE *f))
{
	enum { OPT_PRETTY = 256 };
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, OPT_PRETTY },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char shortopts[] = ":jh";
	int opt;

	*json = false;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			*json = true;
			break;
		case OPT_PRETTY:
			json_set_pretty(true);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return bad_option(cmd, opt, argv, shortopts, options);
		}
	}
	return -1;
}

int report_error(const struct zcblk_ctx *ctx, int err)
{
	const char *msg = zcblk_ctx_errmsg(ctx);

	if (*msg)
		fprintf(stderr, "%s: %s: %s\n", PROG_NAME, strerror(-err), msg);
	else
		fprintf(stderr, "%s: %s\n", PROG_NAME, strerror(-err));
	return EXIT_FAILED;
}

int open_ctx(struct zcblk_ctx **ctx)
{
	int err = zcblk_ctx_open(ctx);

	if (!err)
		return 0;
	if (err == -ENOENT)
		fprintf(stderr, "%s: %s: the zcblk module is not loaded\n",
			PROG_NAME, strerror(-err));
	else
		fprintf(stderr, "%s: %s\n", PROG_NAME, strerror(-err));
	return EXIT_FAILED;
}

/* A plain unsigned decimal number at the start of @s; rejects "-1", " 1". */
static int parse_decimal(const char *s, __u64 *out, char **end)
{
	unsigned long long v;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, end, 10);
	if (errno)
		return -errno;
	*out = v;
	return 0;
}

int parse_size(const char *s, __u64 *out)
{
	static const char suffixes[] = "KMGT";
	const char *p;
	unsigned int shift = 0;
	char *end;
	__u64 v;
	int ret;

	ret = parse_decimal(s, &v, &end);
	if (ret)
		return ret;
	if (*end) {
		p = strchr(suffixes, toupper((unsigned char)*end));
		if (!p)
			return -EINVAL;
		shift = 10 * (p - suffixes + 1);
		end++;
		if (!strcmp(end, "iB"))
			end += 2;
		if (*end)
			return -EINVAL;
	}
	if (v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

int parse_u64(const char *s, __u64 *out)
{
	char *end;
	__u64 v;
	int ret;

	ret = parse_decimal(s, &v, &end);
	if (ret)
		return ret;
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_u32(const char *s, __u32 *out)
{
	__u64 v;
	int ret = parse_u64(s, &v);

	if (ret)
		return ret;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_u32_hex(const char *s, __u32 *out)
{
	unsigned long long v;
	char *end;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return parse_u32(s, out);
	/* strtoull() would take a second 0x, as in 0x0x10 */
	if (!isxdigit((unsigned char)s[2]) ||
	    (s[2] == '0' && (s[3] == 'x' || s[3] == 'X')))
		return -EINVAL;
	errno = 0;
	v = strtoull(s + 2, &end, 16);
	if (errno)
		return -errno;
	if (*end)
		return -EINVAL;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = v;
	return 0;
}

/* @s's index in @names (@n of them, NULL ones skipped), or -EINVAL. */
static int parse_name(const char *s, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return i;
	return -EINVAL;
}

static const char *const on_off_names[] = { "off", "on" };

static const char *const completion_names[] = {
	[ZCBLK_COMPLETION_INLINE] = "inline",
	[ZCBLK_COMPLETION_SOFTIRQ] = "softirq",
	[ZCBLK_COMPLETION_TIMER] = "timer",
};

static const char *const fail_ops_names[] = {
	[ZCBLK_FAIL_OPS_ALL] = "all",
	[ZCBLK_FAIL_OPS_READS] = "reads",
	[ZCBLK_FAIL_OPS_WRITES] = "writes",
};

static const char *const power_names[] = {
	[ZCBLK_POWER_STATE_ON] = "on",
	[ZCBLK_POWER_STATE_CUT] = "cut",
};

static const char *const cut_mode_names[] = {
	[ZCBLK_CUT_MODE_DROP] = "drop",
	[ZCBLK_CUT_MODE_BLOCKS] = "blocks",
	[ZCBLK_CUT_MODE_TORN] = "torn",
};

static const char *const corrupt_names[] = {
	[ZCBLK_CORRUPT_DATA] = "data",
	[ZCBLK_CORRUPT_METADATA] = "metadata",
	[ZCBLK_CORRUPT_GUARD] = "guard",
	[ZCBLK_CORRUPT_APP_TAG] = "app-tag",
	[ZCBLK_CORRUPT_REF_TAG] = "ref-tag",
};

/* The fdp-ruh-type values, as NVMe's RUH Type: 1h and 2h. */
static const char *const ruh_type_names[] = {
	[1] = "initially",
	[2] = "persistently",
};

int parse_on_off(const char *s, __u32 *out)
{
	int v = parse_name(s, on_off_names, ARRAY_SIZE(on_off_names));

	if (v < 0)
		return v;
	*out = v;
	return 0;
}

int parse_completion(const char *s, __u32 *out)
{
	int v = parse_name(s, completion_names, ARRAY_SIZE(completion_names));

	if (v < 0)
		return v;
	*out = v;
	return 0;
}

int parse_fail_ops(const char *s, __u32 *out)
{
	int v = parse_name(s, fail_ops_names, ARRAY_SIZE(fail_ops_names));

	if (v < 0)
		return v;
	*out = v;
	return 0;
}

int parse_power(const char *s, __u32 *out)
{
	int v = parse_name(s, power_names, ARRAY_SIZE(power_names));

	if (v < 0)
		return v;
	*out = v;
	return 0;
}

int parse_cut_mode(const char *s, __u32 *out)
{
	int v = parse_name(s, cut_mode_names, ARRAY_SIZE(cut_mode_names));

	if (v < 0)
		return v;
	*out = v;
	return 0;
}

int parse_corrupt(const char *s, __u32 *out)
{
	int v = parse_name(s, corrupt_names, ARRAY_SIZE(corrupt_names));

	if (v < 0)
		return v;
	*out = v;
	return 0;
}

int parse_ruh_type(const char *s, __u32 *out)
{
	int v = parse_name(s, ruh_type_names, ARRAY_SIZE(ruh_type_names));

	if (v < 0)
		return v;
	*out = v;
	return 0;
}

const char *completion_name(__u32 completion)
{
	if (completion < ARRAY_SIZE(completion_names) &&
	    completion_names[completion])
		return completion_names[completion];
	return "unknown";
}

const char *fail_ops_name(__u32 fail_ops)
{
	if (fail_ops < ARRAY_SIZE(fail_ops_names) && fail_ops_names[fail_ops])
		return fail_ops_names[fail_ops];
	return "unknown";
}

const char *power_name(__u32 power)
{
	/* Not reported: a module without power cuts, always on. */
	if (!power)
		return power_names[ZCBLK_POWER_STATE_ON];
	if (power < ARRAY_SIZE(power_names) && power_names[power])
		return power_names[power];
	return "unknown";
}

const char *cut_mode_name(__u32 cut_mode)
{
	if (cut_mode < ARRAY_SIZE(cut_mode_names) && cut_mode_names[cut_mode])
		return cut_mode_names[cut_mode];
	return "unknown";
}

const char *ruh_type_name(__u32 ruh_type)
{
	if (ruh_type < ARRAY_SIZE(ruh_type_names) && ruh_type_names[ruh_type])
		return ruh_type_names[ruh_type];
	return "unknown";
}

int parse_lba_range(const char *s, __u64 *lba, __u32 *nlb)
{
	const char *plus = strchr(s, '+');
	char num[24];
	size_t len;
	__u64 v;
	int ret;

	if (!plus) {
		ret = parse_u64(s, &v);
		if (ret)
			return ret;
		*lba = v;
		*nlb = 1;
		return 0;
	}
	/* LBA+COUNT: two plain numbers, nothing around them. */
	len = plus - s;
	if (!len || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, len);
	num[len] = '\0';
	ret = parse_u64(num, &v);
	if (!ret)
		ret = parse_u32(plus + 1, nlb);
	if (ret)
		return ret;
	*lba = v;
	return 0;
}

int parse_disk(const char *s, __u32 *index)
{
	char num[16];
	size_t len;

	if (!strncmp(s, "/dev/", 5))
		s += 5;
	if (strncmp(s, "zcblk", 5))
		return parse_u32(s, index);	/* an index */
	s += 5;
	/* zcblkNc: the char device's name */
	len = strlen(s);
	if (len && s[len - 1] == 'c')
		len--;
	if (!len || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, len);
	num[len] = '\0';
	return parse_u32(num, index);
}

int parse_mode(const char *s, __u32 *out)
{
	unsigned long long v;
	char *end;

	if (!*s || strspn(s, "01234567") != strlen(s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 8);
	if (errno)
		return -errno;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_user(const char *s, __u32 *uid)
{
	const struct passwd *pw;

	if (isdigit((unsigned char)*s))
		return parse_u32(s, uid);
	pw = getpwnam(s);
	if (!pw)
		return -ENOENT;
	*uid = pw->pw_uid;
	return 0;
}

int parse_group(const char *s, __u32 *gid)
{
	const struct group *gr;

	if (isdigit((unsigned char)*s))
		return parse_u32(s, gid);
	gr = getgrnam(s);
	if (!gr)
		return -ENOENT;
	*gid = gr->gr_gid;
	return 0;
}

void format_size(__u64 bytes, char *buf, size_t len)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB",
					     "PiB", "EiB" };
	double v = bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(buf, len, "%lluB", (unsigned long long)bytes);
		return;
	}
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f%s", v, units[u]);
}

int vec_push(void *v, size_t *n, size_t *cap, const void *elem,
	     size_t elem_size)
{
	void **vp = v;

	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 16;
		void *p = realloc(*vp, c * elem_size);

		if (!p)
			return -ENOMEM;
		*vp = p;
		*cap = c;
	}
	memcpy((char *)*vp + *n * elem_size, elem, elem_size);
	(*n)++;
	return 0;
}

int finish_output(int ret)
{
	if (!ret && (fflush(stdout) || ferror(stdout))) {
		fprintf(stderr, "%s: write error: %s\n", PROG_NAME,
			strerror(errno));
		ret = EXIT_FAILED;
	}
	return ret;
}
