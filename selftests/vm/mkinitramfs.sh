#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh <rel> <out.cpio.gz>: pack the test VM's initramfs for
# guest kernel <rel>: busybox-static, selftests/vm/init as /init, and the
# modules needed to reach the host root (virtio-pci, virtiofs, overlay)
# that <rel> does not have built in, decompressed for busybox insmod.
# Rebuilt only when an input changes (<out>.key holds their hash).
set -euo pipefail

rel=${1:?usage: mkinitramfs.sh <rel> <out.cpio.gz>}
out=${2:?usage: mkinitramfs.sh <rel> <out.cpio.gz>}
here=$(cd "$(dirname "$0")" && pwd)
kdir=$("$here/fetch-kernel.sh" "$rel")
bb=/bin/busybox

# Dependency-ordered module paths, deduplicated; built-ins print "builtin".
mods=()
while read -r what path _; do
	[ "$what" = insmod ] || continue
	case " ${mods[*]} " in *" $path "*) continue ;; esac
	mods+=("$path")
done < <(for m in virtio_pci virtiofs overlay; do
		modprobe -d "$kdir" -S "$rel" --show-depends "$m"
	 done)

key=$( { echo "$rel"; cat "$kdir/.stamp"; printf '%s\n' "${mods[@]}"
	 cat "$here/init" "$here/mkinitramfs.sh" "$bb"; } | sha256sum | cut -d' ' -f1)
if [ -f "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
	exit 0
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,modules}
cp "$bb" "$stage/bin/busybox"
for a in $("$bb" --list); do
	[ "$a" = busybox ] || ln -s busybox "$stage/bin/$a"
done
install -m 0755 "$here/init" "$stage/init"
# Without root there is no /dev/console node; init only opens it after
# mounting devtmpfs, so that is fine too (seen on 6.1).
mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true

i=0
for path in "${mods[@]}"; do
	name=$(printf '%02d-%s' $i "$(basename "$path")")
	i=$((i + 1))
	case $path in
	*.ko.xz)  name=${name%.xz};  xz -dc "$path" >"$stage/modules/$name" ;;
	*.ko.zst) name=${name%.zst}; zstd -qdc "$path" >"$stage/modules/$name" ;;
	*.ko.gz)  name=${name%.gz};  gzip -dc "$path" >"$stage/modules/$name" ;;
	*)        cp "$path" "$stage/modules/$name" ;;
	esac
	echo "$name" >>"$stage/modules/order"
done
touch "$stage/modules/order"

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0) | gzip -6n >"$out.tmp"
mv "$out.tmp" "$out"
echo "$key" >"$out.key"
echo "mkinitramfs: $out (${#mods[@]} modules)" >&2
