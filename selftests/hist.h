/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How often each result was seen: a small histogram for the tests that
 * count outcomes (the race tests, fuzz_passthru). Define HIST_N before
 * including to change how many distinct results it keeps; more are
 * counted in "lost".
 */
#ifndef ZCBLK_SELFTEST_HIST_H
#define ZCBLK_SELFTEST_HIST_H

#include <stdio.h>

#ifndef HIST_N
#define HIST_N	24
#endif

struct hist {
	int res[HIST_N];
	unsigned long cnt[HIST_N];
	int n;
	unsigned long total, lost;
};

static inline void hist_add(struct hist *h, int res)
{
	int i;

	h->total++;
	for (i = 0; i < h->n; i++) {
		if (h->res[i] == res) {
			h->cnt[i]++;
			return;
		}
	}
	if (h->n < HIST_N) {
		h->res[h->n] = res;
		h->cnt[h->n++] = 1;
	} else {
		h->lost++;
	}
}

static inline void hist_merge(struct hist *dst, const struct hist *src)
{
	int i;
	unsigned long k;

	for (i = 0; i < src->n; i++)
		for (k = 0; k < src->cnt[i]; k++)
			hist_add(dst, src->res[i]);
	dst->lost += src->lost;
	dst->total += src->lost;
}

static inline unsigned long hist_count(const struct hist *h, int res)
{
	int i;

	for (i = 0; i < h->n; i++)
		if (h->res[i] == res)
			return h->cnt[i];
	return 0;
}

/* "<result> x<count>, ..." into @s (truncated to @size), "none" if empty. */
static inline void hist_format(const struct hist *h, char *s, size_t size,
			       const char *(*res_str)(int res))
{
	size_t len = 0;
	int i;

	s[0] = '\0';
	for (i = 0; i < h->n && len + 1 < size; i++)
		len += snprintf(s + len, size - len, "%s%s x%lu",
				i ? ", " : "", res_str(h->res[i]), h->cnt[i]);
	if (!h->n)
		snprintf(s, size, "none");
}

#endif /* ZCBLK_SELFTEST_HIST_H */
