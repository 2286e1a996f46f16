#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The lifecycle races (race_lifecycle, race_unload, race_backing) at
# reduced counts (10 rounds per race, 1000 add/del operations), for the
# debug kernel's list: KASAN makes everything about 5x slower under TCG.
# The runner passes its environment to tests, so a list line cannot set
# ZCBLK_ROUNDS; this wrapper does. Its arguments (harness options such as
# -t or -r) go to each program in turn. Exit status: a failing program's,
# else 4 if one skipped (-l), else 0.
export ZCBLK_ROUNDS=10
dir=$(dirname "$0")/../build/selftests
rc=0
for prog in race_lifecycle race_unload race_backing; do
	echo "# $prog"
	"$dir/$prog" "$@"
	st=$?
	case $st in
	0) ;;
	4) [ "$rc" -ne 0 ] || rc=4 ;;
	*) [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] || rc=$st ;;
	esac
done
exit "$rc"
