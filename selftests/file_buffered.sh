#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The file backend's buffered mode (--buffered) writes through the VFS as
# loop does (vfs_iter_write(), with the file system's freeze protection):
# data written through both paths lands in the backing file at the same
# offset, and a write to a disk whose backing file system is frozen waits
# for the thaw instead of dirtying the frozen file system. Before, zcblk
# called ->write_iter directly and such a write went through (ext4 warns
# when a journal handle starts on a frozen file system).
. "$(dirname "$0")/lib.sh"
need fsfreeze cmp nvme

mnt=$(scratch_ext4)
truncate -s 16M "$mnt/backing.img" || fail "truncate"
name=$(add_disk --backend file --path "$mnt/backing.img" --buffered)
dev=/dev/$name

# Both paths, at different offsets; the backing file has the bytes.
head -c 65536 /dev/urandom >"$TMP/a"
head -c 65536 /dev/urandom >"$TMP/b"
nvme write "${dev}c" -s 256 -c 127 -z 65536 -d "$TMP/a" >/dev/null ||
	fail "nvme write"
dd if="$TMP/b" of="$dev" bs=64k seek=4 oflag=direct conv=notrunc \
	status=none || fail "dd to $dev"
sync
cmp -n 65536 "$TMP/a" <(dd if="$mnt/backing.img" bs=64k skip=2 count=1 \
	status=none) || fail "passthrough write not in the backing file"
cmp -n 65536 "$TMP/b" <(dd if="$mnt/backing.img" bs=64k skip=4 count=1 \
	status=none) || fail "block write not in the backing file"
log "writes through both paths are in the backing file"

# A write while the backing file system is frozen waits for the thaw.
head -c 4096 /dev/urandom >"$TMP/c"
fsfreeze -f "$mnt" || fail "fsfreeze -f"
dd if="$TMP/c" of="$dev" bs=4k seek=100 oflag=direct conv=notrunc \
	status=none &
writer=$!
sleep 2
if ! kill -0 $writer 2>/dev/null; then
	fsfreeze -u "$mnt"
	fail "a write completed on a frozen backing file system"
fi
log "the write waits while $mnt is frozen"
fsfreeze -u "$mnt" || fail "fsfreeze -u"
wait $writer || fail "the write failed after the thaw"
sync
cmp -n 4096 "$TMP/c" <(dd if="$mnt/backing.img" bs=4k skip=100 count=1 \
	status=none) || fail "the thawed write is not in the backing file"
log "after the thaw the write completed, its data in the backing file"

del_disk "$name"
exit "$KSFT_PASS"
