#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The lifecycle races (race_lifecycle, race_unload, race_backing) at
# reduced counts (10 rounds per race, 1000 add/del operations), for the
# debug kernel's list: KASAN makes everything about 5x slower under TCG.
# The runner passes its environment to tests, so a list line cannot set
# ZCBLK_ROUNDS; this wrapper does. Its arguments (harness options) go to
# each program. Exit status: a failing program's, else 4 (skip) if one
# skipped, else 0.
export ZCBLK_ROUNDS=10
dir=$(dirname "$0")/../build/selftests
fail=0 skip=0
for prog in race_lifecycle race_unload race_backing; do
	echo "# $prog"
	"$dir/$prog" "$@"
	st=$?
	case $st in
	0) ;;
	4) skip=4 ;;
	*) fail=$st ;;
	esac
done
[ "$fail" -eq 0 ] || exit "$fail"
exit "$skip"
