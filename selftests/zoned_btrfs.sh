#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A zoned file system on a zoned zcblk disk (Documentation/zoned.rst):
# mkfs.btrfs -O zoned, mount, files written, unmounted, mounted again,
# the files read back byte-exact; the zones btrfs wrote are the char
# device's (report-zones shows written zones). btrfs writes its data
# with REQ_OP_ZONE_APPEND, so this is the block device's zone append.
. "$(dirname "$0")/lib.sh"
need mkfs.btrfs nvme sha256sum

modprobe btrfs 2>/dev/null || true
grep -qw btrfs /proc/filesystems || skip "no btrfs in this kernel"
name=$(add_disk --backend mem --size 512M --block-size 4096 --zoned \
	--zone-size 8M)
dev=/dev/$name
mkfs.btrfs -q -f -O zoned -d single -m single "$dev" >"$TMP/mkfs" 2>&1 || {
	sed 's/^/# /' "$TMP/mkfs"
	fail "mkfs.btrfs -O zoned"
}
mnt=$TMP/mnt
mkdir -p "$mnt"
mount -t btrfs "$dev" "$mnt" || fail "mount"
mkdir "$mnt/dir"
for i in $(seq 24); do
	head -c $(((RANDOM * 97 + i) % 4000000 + 1)) /dev/urandom >"$mnt/dir/f$i"
done
(cd "$mnt/dir" && sha256sum f*) >"$TMP/sums"
umount "$mnt" || fail "umount"
echo 3 >/proc/sys/vm/drop_caches
mount -t btrfs "$dev" "$mnt" || fail "mount again"
(cd "$mnt/dir" && sha256sum -c --quiet "$TMP/sums") || {
	umount "$mnt"
	fail "files differ after remount"
}
umount "$mnt" || fail "umount"
nvme zns report-zones "/dev/${name}c" >"$TMP/out" 2>&1 || fail "report-zones"
written=$(grep -c 'State: 0x[234e]0' "$TMP/out" || true)
[ "$written" -ge 3 ] || {
	sed 's/^/# /' "$TMP/out" | head -20
	fail "only $written zones written, as the char device reports them"
}
log "btrfs -O zoned: 24 files equal after remount; $written zones written"
exit $KSFT_PASS
