#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# On a kmemleak kernel, last: no unreferenced object whose allocation
# stack passes through zcblk (the runner cleared the log before zcblk
# loaded). Other reports are printed but are not ours to judge.
#   kmemleak.sh [--known REGEX]: reports through zcblk that also match
#   REGEX are printed as known, and do not fail (fault_inject.sh's).
. "$(dirname "$0")/lib.sh"
km=/sys/kernel/debug/kmemleak
[ -w $km ] || skip "kernel without kmemleak"
known=
[ "${1:-}" != --known ] || known=${2:?}

# Objects freed by RCU or a worker need a moment; two scans, as advised.
sleep 5
echo scan >$km
sleep 5
echo scan >$km
cat $km >"$TMP/leaks"
n=$(grep -c '^unreferenced object' "$TMP/leaks" || true)
log "$n unreferenced objects reported in all"
# One report: from "unreferenced object" to the next one.
ours=$(awk -v k="$known" '
	function judge() { if (r ~ /zcblk/ && (k == "" || r !~ k)) print r }
	/^unreferenced object/ { judge(); r = "" }
	{ r = r $0 "\n" } END { judge() }' "$TMP/leaks")
if [ -n "$known" ]; then
	n=$(awk -v k="$known" '
		function judge() { if (r ~ /zcblk/ && r ~ k) n++ }
		/^unreferenced object/ { judge(); r = "" }
		{ r = r $0 "\n" } END { judge(); print n + 0 }' "$TMP/leaks")
	log "$n known report(s) matching $known"
fi
if [ -n "$ours" ]; then
	printf '%s\n' "$ours" | sed 's/^/# /'
	fail "kmemleak reports objects allocated through zcblk"
fi
exit $KSFT_PASS
