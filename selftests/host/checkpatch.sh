#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host check: checkpatch.pl --no-tree (from Debian's linux-source package)
# is clean on the kernel sources and the uapi header. compat.h compares
# kernel versions by design: only there are those two warnings allowed.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
tools=$repo/build/linux-tools
src=$(printf '%s\n' /usr/src/linux-source-6.*.tar.xz | sort -V | tail -n 1)
[ -f "$src" ] || src=
[ -n "$src" ] || { echo "# SKIP no linux-source-6.x package"; exit 4; }

cps=("$tools"/*/scripts/checkpatch.pl)
cp=${cps[0]}
if [ ! -f "$cp" ]; then
	mkdir -p "$tools"
	tar -xJf "$src" -C "$tools" --wildcards '*/scripts/checkpatch.pl' \
		'*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch' ||
		exit 1
	cps=("$tools"/*/scripts/checkpatch.pl)
	cp=${cps[0]}
fi

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
