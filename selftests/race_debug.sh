#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The lifecycle races (race_lifecycle, race_unload, race_backing)
# time-boxed to the list's time limit for this script: a third of
# $ZCBLK_TEST_TIMEOUT (the runner's, default 300 s) split evenly among the
# RACES time-boxed races (race_lifecycle's 18, race_unload's add_del), the
# rest left for the setups, the untimed tests and the last round of
# each race. A list line cannot set the environment; this wrapper does.
# Its arguments (harness options) go to each program. Exit status: a
# failing program's, else 4 (skip) if one skipped, else 0.
RACES=19
tmo=${ZCBLK_TEST_TIMEOUT:-300}
secs=$((tmo / 3 / RACES))
export ZCBLK_RACE_SECONDS=$((secs > 0 ? secs : 1))
echo "# each race time-boxed to $ZCBLK_RACE_SECONDS s (limit $tmo s)"
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
