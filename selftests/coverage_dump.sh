#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Last in each of `make coverage`'s test lists: prints the gcov data of
# the coverage build of zcblk (its .gcda files, from debugfs) as a
# base64 tar.gz between two markers, for selftests/vm/coverage.sh on
# the host to unpack; the guest's own writes never reach the host.
# Counts survive rmmod and add up over reloads (gcov_persist=1).
. "$(dirname "$0")/lib.sh"
g=/sys/kernel/debug/gcov
[ -d $g ] || fail "no $g: a kernel without CONFIG_GCOV_KERNEL"

# The files have no size in debugfs: copy each by reading it.
mkdir "$TMP/gcda"
n=0
while IFS= read -r -d '' f; do
	d=$TMP/gcda/$(dirname "${f#"$g"/}")
	mkdir -p "$d"
	cat "$f" >"$d/${f##*/}" || fail "reading $f"
	n=$((n + 1))
done < <(find $g -name '*.gcda' -print0)
[ "$n" -gt 0 ] || fail "no .gcda under $g: zcblk built without GCOV_PROFILE?"
log "$n .gcda files"
echo "ZCBLK_GCOV_BEGIN"
tar -C "$TMP/gcda" -cz . | base64 -w 76
echo "ZCBLK_GCOV_END"
exit $KSFT_PASS
