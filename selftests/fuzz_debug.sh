#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fuzz_passthru for 1 minute, for the debug kernel's list (see
# race_debug.sh for why a wrapper). ZCBLK_FUZZ_SEED, if set in the
# runner's environment, still replays a run.
export ZCBLK_FUZZ_SECONDS=60
exec "$(dirname "$0")/../build/selftests/fuzz_passthru" "$@"
