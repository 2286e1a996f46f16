#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ext4 on a mem disk: files written, the file system unmounted and mounted
# again, the files read back equal.
. "$(dirname "$0")/lib.sh"
need mkfs.ext4 sha256sum

dev=/dev/$(add_disk --backend mem --size 128M --block-size 4096)
mkfs.ext4 -q -F "$dev" || fail "mkfs.ext4"
mnt=$TMP/mnt
mkdir -p "$mnt"
mount "$dev" "$mnt" || fail "mount"
mkdir "$mnt/dir"
for i in $(seq 20); do
	# sizes from 1 byte to ~3 MiB, random content
	head -c $(((RANDOM * 97 + i) % 3000000 + 1)) /dev/urandom >"$mnt/dir/f$i"
done
(cd "$mnt/dir" && sha256sum f*) >"$TMP/sums"
umount "$mnt" || fail "umount"
echo 3 >/proc/sys/vm/drop_caches
mount "$dev" "$mnt" || fail "mount again"
(cd "$mnt/dir" && sha256sum -c --quiet "$TMP/sums") || {
	umount "$mnt"
	fail "files differ after remount"
}
umount "$mnt" || fail "umount"
log "20 files equal after remount"
exit $KSFT_PASS
