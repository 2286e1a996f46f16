#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host check: checkpatch.pl --no-tree (from Debian's linux-source package)
# is clean on the kernel sources and the uapi header. compat.h compares
# kernel versions by design: only there are those two warnings allowed.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=selftests/host/linux_tools.sh
. "$repo/selftests/host/linux_tools.sh"
cp=$(linux_tool scripts/checkpatch.pl) || exit $?

cd "$repo" || exit 1
rc=0
run() {
	local out
	out=$("$cp" --no-tree --terse --show-types "$@" 2>&1) || rc=1
	out=$(echo "$out" | grep -v 'total: 0 errors, 0 warnings')
	[ -z "$out" ] || { printf '# %s\n' "${out//$'\n'/$'\n'# }"; rc=1; }
}
files=()
for f in kernel/*.[ch] uapi/linux/*.h; do
	[ "$f" = kernel/compat.h ] || files+=("$f")
done
run -f "${files[@]}"
run --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f kernel/compat.h
[ $rc -eq 0 ] && echo "# checkpatch clean: ${#files[@]} files + compat.h"
exit $rc
