#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# race_lifecycle at reduced counts (10 rounds per race, 1000 add/del
# operations), for the debug kernel's list: KASAN makes everything about
# 5x slower under TCG. The runner passes its environment to tests, so a
# list line cannot set ZCBLK_ROUNDS; this wrapper does.
export ZCBLK_ROUNDS=10
exec "$(dirname "$0")/../build/selftests/race_lifecycle" "$@"
