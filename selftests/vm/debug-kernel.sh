#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh: build (once) a debug kernel from Debian's
# linux-source-6.12 with selftests/vm/debug.config, install it into the VM
# runner's kernel cache as if fetch-kernel.sh had extracted it, and print
# its release. Cached outside the clone, keyed by the source package
# version and the config fragment's hash; the build tree is kept, since
# zcblk's module is built against it.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${ZCBLK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zcblk}
tarball=/usr/src/linux-source-6.12.tar.xz
[ -f "$tarball" ] || { echo "debug-kernel: no $tarball (make deps)" >&2; exit 1; }
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
key=$srcver-$(cat "$here/debug.config" "$0" | sha256sum | cut -c1-12)
top=$cache/debug/$key
tree=$top/linux-source-6.12
mkdir -p "$top"
exec 9>"$top.lock"
flock 9

if [ -f "$top/release" ]; then
	cat "$top/release"
	exit 0
fi

log() { echo "debug-kernel: $*" >&2; }
if [ ! -f "$tree/Makefile" ]; then
	log "extracting $tarball"
	tar -xJf "$tarball" -C "$top"
fi
cd "$tree"
log "configuring ($key)"
make -s x86_64_defconfig >&2
scripts/kconfig/merge_config.sh -m .config kernel/configs/kvm_guest.config \
	"$here/debug.config" >/dev/null
make -s olddefconfig >&2
# merge_config's warnings are not errors: check what matters landed.
for opt in KASAN PROVE_LOCKING DEBUG_KMEMLEAK VIRTIO_FS FAILSLAB GCOV_KERNEL \
	BLK_DEV_ZONED BLK_DEV_INTEGRITY; do
	grep -q "^CONFIG_$opt=y" .config ||
		{ log "CONFIG_$opt did not stick"; exit 1; }
done
log "building bzImage and modules ($(nproc) jobs; about 15 minutes)"
start=$(date +%s)
make -s -j"$(nproc)" bzImage modules >"$top/build.log" 2>&1 ||
	{ tail -n 40 "$top/build.log" >&2; exit 1; }
rel=$(make -s kernelrelease)
log "built $rel in $(($(date +%s) - start)) s"

dst=$cache/kernels/$rel
rm -rf "$dst"
mkdir -p "$dst/boot"
cp arch/x86/boot/bzImage "$dst/boot/vmlinuz-$rel"
cp .config "$dst/boot/config-$rel"
make -s modules_install INSTALL_MOD_PATH="$dst" >&2
ln -sfn "$tree" "$dst/lib/modules/$rel/build"
echo "debug kernel $key" >"$dst/.stamp"
echo "$rel" >"$top/release"
echo "$rel"
