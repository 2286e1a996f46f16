#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host check: zcblk.ko builds with W=1 and sparse (C=1) against every
# target kernel with no warning at all.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
krels=${KRELS:-$("$repo/selftests/vm/kernels.sh")}
command -v sparse >/dev/null || { echo "# SKIP sparse not installed"; exit 4; }
[ -n "$krels" ] || { echo "# no kernel headers installed"; exit 1; }

rc=0
for rel in $krels; do
	tree=$repo/build/hostcheck/$rel
	rm -rf "$tree"
	mkdir -p "$tree/kernel"
	ln -s "$repo/Kbuild" "$tree/Kbuild"
	ln -s "$repo/uapi" "$tree/uapi"
	ln -s "$repo"/kernel/*.[ch] "$repo/kernel/Kbuild" "$tree/kernel/"
	log=$tree/build.log
	if ! make -C "/usr/src/linux-headers-$rel" M="$tree" W=1 C=1 modules \
		>"$log" 2>&1; then
		echo "# $rel: build failed"
		sed 's/^/# /' "$log"
		rc=1
		continue
	fi
	# BTF is skipped for lack of a vmlinux: harmless, not ours.
	if grep -v 'Skipping BTF generation' "$log" |
		grep -Ei 'warning|error:|sparse:'; then
		echo "# $rel: warnings above"
		rc=1
	else
		echo "# $rel: W=1 C=1 clean"
	fi
done
exit $rc
