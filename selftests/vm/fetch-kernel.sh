#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh <rel>: make sure the Debian kernel image and modules of
# release <rel> are extracted (not installed: no boot hooks run on the
# host) into the cache, and print the cache directory:
#   ${ZCBLK_CACHE:-~/.cache/zcblk}/kernels/<rel>/{boot/vmlinuz-<rel>,lib/modules/<rel>}
# The image version is pinned to the installed headers' version, so the
# module is tested on exactly the kernel it was built against.
set -euo pipefail

rel=${1:?usage: fetch-kernel.sh <rel>}
cache=${ZCBLK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zcblk}
dir=$cache/kernels/$rel
mkdir -p "$cache/kernels"

# Serialise concurrent fetches of the same release.
exec 9>"$dir.lock"
flock 9

if [ -f "$dir/.stamp" ]; then
	echo "$dir"
	exit 0
fi

# Debian 12 ships vmlinuz + modules in the signed package; fall back to
# -unsigned where there is no signed one.
pkg=
for p in "linux-image-$rel" "linux-image-$rel-unsigned"; do
	if apt-cache show "$p" >/dev/null 2>&1; then pkg=$p; break; fi
done
if [ -z "$pkg" ]; then
	echo "fetch-kernel: no linux-image-$rel in apt's lists (run apt-get update?)" >&2
	exit 1
fi
ver=$(dpkg-query -W -f='${Version}' "linux-headers-$rel" 2>/dev/null || true)

tmp=$(mktemp -d "$cache/kernels/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "fetch-kernel: downloading $pkg${ver:+=$ver}" >&2
# As root apt drops to user _apt, which cannot write into $tmp.
aptopt=()
[ "$(id -u)" -ne 0 ] || aptopt=(-o APT::Sandbox::User=root)
(cd "$tmp" && apt-get download -qq "${aptopt[@]}" "$pkg${ver:+=$ver}") ||
	(echo "fetch-kernel: $pkg=$ver unavailable, taking apt's candidate" >&2
	 cd "$tmp" && apt-get download -qq "${aptopt[@]}" "$pkg")

mkdir "$tmp/x"
dpkg-deb -x "$tmp"/*.deb "$tmp/x"
# Newer packages ship /usr/lib/modules; keep one layout in the cache.
if [ ! -d "$tmp/x/lib/modules/$rel" ] && [ -d "$tmp/x/usr/lib/modules/$rel" ]; then
	mkdir -p "$tmp/x/lib"
	ln -s ../usr/lib/modules "$tmp/x/lib/modules"
fi
[ -f "$tmp/x/boot/vmlinuz-$rel" ] || { echo "fetch-kernel: no vmlinuz in $pkg" >&2; exit 1; }
# The package carries no modules.dep (its postinst runs depmod): make one
# so that modprobe works in the guest, plus the build link the headers
# would have had.
depmod -b "$tmp/x" "$rel"
ln -sfn "/usr/src/linux-headers-$rel" "$tmp/x/lib/modules/$rel/build"
dpkg-deb -f "$tmp"/*.deb Package Version >"$tmp/x/.stamp"

rm -rf "$dir"
mv "$tmp/x" "$dir"
echo "$dir"
