#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The file backend under what the block layer and a file system send,
# which passthrough commands never do (file_backend.sh has those):
# - requests of several bios: sequential 4 KiB O_DIRECT writes and reads
#   submitted 32 at a time merge in the submitter's plug (the backend
#   builds one bvec table for them); fio's crc32c verify passes and
#   /sys/block/<disk>/stat counts write and read merges;
# - flush and FUA: an ext4 on the file disk (whose write cache zcblk says
#   is volatile) commits its journal with them; DEV_STATS counts the
#   flushes the backend ran (fsync of the backing file), and the file
#   system is whole after a remount (e2fsck -fn, the file's bytes);
# - Write Zeroes (BLKZEROOUT) zeroes exactly its range in the backing
#   file, the blocks around it keep their data.
# Backing file on an ext4 on a mem disk (lib.sh's scratch_ext4).
. "$(dirname "$0")/lib.sh"
need fio mkfs.ext4 e2fsck blkdiscard cmp

# sysfs_stat DISK FIELD: field FIELD (1-based) of /sys/block/DISK/stat.
sysfs_stat() { awk -v f="$2" '{ print $f }' "/sys/block/$1/stat"; }

ext4=$(scratch_ext4)
truncate -s 64M "$ext4/backing.img" || fail "truncate"
name=$(add_disk --backend file --path "$ext4/backing.img")
idx=${name#zcblk}

# Merged requests: write merges are field 6, read merges field 2.
run_fio "$name-merge" --filename="/dev/$name" --ioengine=io_uring \
	--direct=1 --rw=write --bs=4k --size=16M --iodepth=32 \
	--iodepth_batch_submit=32 --iodepth_batch_complete_min=32 \
	--verify=crc32c --verify_fatal=1 --do_verify=1
wm=$(sysfs_stat "$name" 6) rm=$(sysfs_stat "$name" 2)
log "merges: $wm writes, $rm reads"
[ "$wm" -gt 0 ] || fail "no write request of several bios reached $name"
[ "$rm" -gt 0 ] || fail "no read request of several bios reached $name"

# Write Zeroes: 64 KiB at 1 MiB, in a 3 MiB stretch of random data.
head -c $((3 << 20)) /dev/urandom >"$TMP/pat"
dd if="$TMP/pat" of="/dev/$name" bs=1M oflag=direct status=none ||
	fail "dd pattern"
blkdiscard -z -o $((1 << 20)) -l 65536 "/dev/$name" || fail "blkdiscard -z"
head -c 65536 /dev/zero >"$TMP/zero"
cmp -n 65536 -i $((1 << 20)):0 "$ext4/backing.img" "$TMP/zero" ||
	fail "Write Zeroes left data in its range of the backing file"
cmp -n $((1 << 20)) "$ext4/backing.img" "$TMP/pat" ||
	fail "Write Zeroes changed the MiB before its range"
cmp -n $((1 << 20)) -i $(((1 << 20) + 65536)) "$ext4/backing.img" "$TMP/pat" ||
	fail "Write Zeroes changed the data after its range"

# Flush and FUA from a file system's journal.
load_stats "$idx"
f0=${ST[flushes]}
mkfs.ext4 -q -F "/dev/$name" || fail "mkfs.ext4 /dev/$name"
mkdir -p "$TMP/fs"
mount -o barrier=1 "/dev/$name" "$TMP/fs" || fail "mount /dev/$name"
echo "mount $TMP/fs" >>"$ZCBLK_UNDO"
head -c $((4 << 20)) /dev/urandom >"$TMP/data"
for i in 1 2 3; do
	cp "$TMP/data" "$TMP/fs/f$i" || fail "cp"
	sync -f "$TMP/fs/f$i" || fail "sync"
done
umount "$TMP/fs" || fail "umount"
load_stats "$idx"
f1=${ST[flushes]}
log "flushes run by the backend: $f0 -> $f1"
[ "$f1" -gt "$f0" ] || fail "no flush from ext4 reached the file backend"
e2fsck -fn "/dev/$name" >"$TMP/fsck" 2>&1 || {
	sed 's/^/# /' "$TMP/fsck"
	fail "e2fsck after umount"
}
mount -o ro "/dev/$name" "$TMP/fs" || fail "mount ro"
for i in 1 2 3; do
	cmp "$TMP/data" "$TMP/fs/f$i" || fail "f$i differs after the remount"
done
umount "$TMP/fs"
del_disk "$name"
exit $KSFT_PASS
