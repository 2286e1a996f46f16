#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host check: every shell script in the tree passes shellcheck.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
command -v shellcheck >/dev/null || { echo "# SKIP shellcheck not installed"; exit 4; }
cd "$repo" || exit 1
mapfile -t files < <(git ls-files '*.sh' .ci/run selftests/vm/init 2>/dev/null)
[ ${#files[@]} -gt 0 ] || { echo "# no scripts found"; exit 1; }
if shellcheck -x -P SCRIPTDIR "${files[@]}" >/tmp/zcblk-shellcheck.$$ 2>&1; then
	echo "# ${#files[@]} scripts clean"
	rm -f /tmp/zcblk-shellcheck.$$
	exit 0
fi
sed 's/^/# /' /tmp/zcblk-shellcheck.$$
rm -f /tmp/zcblk-shellcheck.$$
exit 1
