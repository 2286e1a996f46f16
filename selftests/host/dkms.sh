#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host check: dkms.conf names zcblk at kernel/dev.h's ZCBLK_VERSION; and,
# where dkms is installed, `make dkms-install DESTDIR=<tmp>` stages the
# module's sources and `dkms build` makes zcblk.ko from them for every
# target kernel, in a private DKMS tree (--dkmstree, --sourcetree,
# --installtree, signing key in the same place): /var/lib/dkms, /usr/src
# and /lib/modules are left as they were, and so is everything else.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo" || exit 1

version=$(sed -n 's/.*ZCBLK_VERSION[[:space:]]*"\(.*\)".*/\1/p' kernel/dev.h)
conf_version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' dkms.conf)
if [ -z "$version" ] || [ "$conf_version" != "$version" ]; then
	echo "# FAIL: dkms.conf PACKAGE_VERSION '$conf_version', kernel/dev.h ZCBLK_VERSION '$version'"
	exit 1
fi
grep -qx 'PACKAGE_NAME="zcblk"' dkms.conf || { echo "# FAIL: dkms.conf: PACKAGE_NAME is not zcblk"; exit 1; }
echo "# dkms.conf: zcblk $version"
command -v dkms >/dev/null || { echo "# SKIP dkms not installed (make deps)"; exit 4; }
[ "$(id -u)" = 0 ] || { echo "# SKIP dkms add needs root"; exit 4; }
krels=${KRELS:-$("$repo/selftests/vm/kernels.sh" 2>/dev/null)}
[ -n "$krels" ] || { echo "# no kernel headers installed"; exit 1; }

# What must be left as it was.
state() {
	find /var/lib/dkms /usr/src -maxdepth 2 2>/dev/null | sort
	find /lib/modules -maxdepth 3 \( -name updates -o -name 'zcblk*' \) 2>/dev/null | sort
}
before=$(state)

tmp=$(mktemp -d /tmp/zcblk-dkms.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
stage=$tmp/stage
mkdir -p "$tmp/dkms" "$tmp/modules"
# dkms reads its signing key and certificate from these (generating them).
export mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub
trees=(--dkmstree "$tmp/dkms" --sourcetree "$stage/usr/src" --installtree "$tmp/modules")
rc=0

if ! make -s dkms-install DESTDIR="$stage" >"$tmp/log" 2>&1; then
	sed 's/^/# /' "$tmp/log"
	echo "# FAIL: make dkms-install DESTDIR=..."
	exit 1
fi
if ! dkms add -m zcblk -v "$version" "${trees[@]}" >"$tmp/log" 2>&1; then
	sed 's/^/# /' "$tmp/log"
	echo "# FAIL: dkms add"
	exit 1
fi
for rel in $krels; do
	start=$SECONDS
	kdir=$("$repo/selftests/vm/kernels.sh" --kdir "$rel") || { rc=1; continue; }
	if ! dkms build -m zcblk -v "$version" -k "$rel" "${trees[@]}" \
		--kernelsourcedir "$kdir" >"$tmp/log" 2>&1; then
		echo "# FAIL: dkms build for $rel:"
		sed 's/^/#   /' "$tmp/log"
		for f in "$tmp/dkms/zcblk/$version/build/make.log" \
			 "$tmp/dkms/zcblk/$version/$rel"/*/log/make.log; do
			[ -f "$f" ] && tail -n 30 "$f" | sed 's/^/#   /'
		done
		rc=1
		continue
	fi
	ko=$(find "$tmp/dkms/zcblk/$version/$rel" -path '*/module/zcblk.ko*' | head -n1)
	if [ -z "$ko" ]; then
		echo "# FAIL: $rel: no zcblk.ko in the DKMS tree"
		find "$tmp/dkms" | sed 's/^/#   /'
		rc=1
		continue
	fi
	vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null)
	if [ "${vermagic%% *}" != "$rel" ] ||
	   [ "$(modinfo -F version "$ko" 2>/dev/null)" != "$version" ]; then
		echo "# FAIL: $rel: ${ko#"$tmp"/}: vermagic '$vermagic', version '$(modinfo -F version "$ko")'"
		rc=1
		continue
	fi
	signer=$(modinfo -F signer "$ko" 2>/dev/null)
	echo "# $rel: dkms build made ${ko#"$tmp"/dkms/} in $((SECONDS - start)) s" \
		"(signed by: ${signer:-nobody})"
done

rm -rf "$tmp"
after=$(state)
if [ "$before" != "$after" ]; then
	echo "# FAIL: the host's DKMS or module trees changed:"
	diff <(echo "$before") <(echo "$after") | sed 's/^/#   /'
	rc=1
fi
exit $rc
