#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host check: zcblk.ko builds with W=1 and sparse (C=1) against every
# target kernel with no warning at all, but one explained exception: on
# 6.1, struct nla_policy's range pointer is not const (6.2 made it so),
# while the YNL-generated policies of kernel/netlink-gen.c keep their
# ranges const, as upstream's generator writes them. The kernel only
# reads them; the compiler's own warning is turned off for that file in
# kernel/Kbuild, and sparse's "different modifiers" for it is left out
# here, for 6.1 only.
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
	ignore='Skipping BTF generation'
	case $rel in
	6.1.*) ignore+='|netlink-gen\.c:[0-9]+:[0-9]+: warning: incorrect type in initializer \(different modifiers\)' ;;
	esac
	if grep -Ev "$ignore" "$log" |
		grep -Ei 'warning|error:|sparse:'; then
		echo "# $rel: warnings above"
		rc=1
	else
		echo "# $rel: W=1 C=1 clean"
	fi
done
exit $rc
