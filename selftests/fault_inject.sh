#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fault_inject on the debug kernel, after kmemleak.sh has judged the other
# tests: kmemleak's reports so far are cleared, then after fault_inject
# kmemleak.sh scans again and fails on any new unreferenced object (not
# in the runner's baseline), whoever allocated it, zcblk or the kernel.
here=$(dirname "$0")
km=/sys/kernel/debug/kmemleak
[ ! -w $km ] || echo clear >$km
"$here/../build/selftests/fault_inject" "$@" || exit
exec "$here/kmemleak.sh"
