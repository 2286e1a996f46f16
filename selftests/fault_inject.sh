#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fault_inject and fault_inject_cmds on the debug kernel, after
# kmemleak.sh has judged the other tests: kmemleak's reports so far are
# cleared, then after both kmemleak.sh scans again and fails on any new
# unreferenced object (not in the runner's baseline), whoever allocated
# it, zcblk or the kernel. Arguments (a test's name: -t NAME) go to
# fault_inject alone.
here=$(dirname "$0")
km=/sys/kernel/debug/kmemleak
[ ! -w $km ] || echo clear >$km
"$here/../build/selftests/fault_inject" "$@" || exit
"$here/../build/selftests/fault_inject_cmds" || exit
exec "$here/kmemleak.sh"
