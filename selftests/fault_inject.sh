#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fault_inject on the debug kernel, after kmemleak.sh has judged the other
# tests, then a leak scan of its own: any report through zcblk fails.
here=$(dirname "$0")
km=/sys/kernel/debug/kmemleak
[ ! -w $km ] || echo clear >$km
"$here/../build/selftests/fault_inject" "$@" || exit
exec "$here/kmemleak.sh"
