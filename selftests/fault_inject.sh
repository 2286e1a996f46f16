#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fault_inject on the debug kernel, after kmemleak.sh has judged the other
# tests, then a leak scan of its own. One report is known and tolerated,
# printed: after some DEV_ADD faults inside blk_mq_alloc_disk(), kmemleak
# reports a hardware context and its ctxs array (allocated in
# blk_mq_alloc_and_init_hctx), but not the flush queue and bitmap that
# hang from it; the error paths of 6.12's blk-mq and of zcblk read
# correct, so the cause is open (Documentation/testing.rst). Any other
# report through zcblk fails.
here=$(dirname "$0")
km=/sys/kernel/debug/kmemleak
[ ! -w $km ] || echo clear >$km
"$here/../build/selftests/fault_inject" "$@" || exit
exec "$here/kmemleak.sh" --known 'blk_mq_alloc_and_init_hctx'
