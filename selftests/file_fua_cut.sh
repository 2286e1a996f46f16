#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What a FUA command of a file disk made durable survives the power loss
# of the machine under it (Documentation/backends.rst, the file backend;
# zoned.rst, "Zone state on a file"). The "machine" is a mem disk with a
# write cache, ext4 on it (no journal commit of its own: commit=300),
# holding the backing files of a file disk and of a zoned file disk; its
# power cut drops everything ext4 did not flush.
# - Write Zeroes with FUA: zeroes the range with fallocate, whose
#   extents live in ext4's journal until a commit; the range reads zeros
#   after the cut (before: the data it zeroed came back). One without
#   FUA, after it, is lost: its blocks read their data again.
# - A Write with FUA to a zone: its data is written through (RWF_DSYNC),
#   and the zone table, whose write pointer says where the zone's data
#   ends, is saved before it; after the cut the zone holds the write and
#   its write pointer is past it (before: the pointer was where the last
#   flush left it, behind acknowledged durable data).
. "$(dirname "$0")/lib.sh"
need nvme mkfs.ext4 cmp

mnt=$TMP/mnt
mkdir -p "$mnt"
low=$(add_disk --backend mem --size 128M --block-size 4096 \
	--write-cache 64M)
lidx=${low#zcblk}
mkfs.ext4 -q -F "/dev/$low" || fail "mkfs.ext4"
mount -o commit=300,noinit_itable "/dev/$low" "$mnt" || fail "mount"
echo "mount $mnt" >>"$ZCBLK_UNDO"
truncate -s 16M "$mnt/plain.img" "$mnt/zoned.img" || fail "truncate"
plain=(--backend file --path "$mnt/plain.img" --block-size 4096)
zoned=(--backend file --path "$mnt/zoned.img" --block-size 4096 --zoned
	--zone-size 1M)

# The starting point, flushed: 1 MiB of data on the plain disk, the zoned
# disk's zones empty (its new table written by the flush).
p=$(add_disk "${plain[@]}")
z=$(add_disk "${zoned[@]}")
udev_settle "/dev/${p}c"
udev_settle "/dev/${z}c"
head -c $((1 << 20)) /dev/urandom >"$TMP/pat"
dd if="$TMP/pat" of="/dev/$p" bs=64k oflag=direct conv=fsync status=none ||
	fail "dd the data"
nvme flush "/dev/${z}c" -n 1 >/dev/null 2>&1 || fail "nvme flush (zoned)"

# Nothing flushes after these; each was acknowledged.
head -c 32768 /dev/urandom >"$TMP/a"
nvme write "/dev/${z}c" -s 0 -c 7 -z 32768 -d "$TMP/a" \
	--force-unit-access >/dev/null 2>&1 || fail "nvme write --force-unit-access"
nvme write-zeroes "/dev/${p}c" -s 16 -c 15 --force-unit-access \
	>/dev/null 2>&1 || fail "nvme write-zeroes --force-unit-access"
# Without FUA: the cut loses it, as the machine under it never flushed.
nvme write-zeroes "/dev/${p}c" -s 64 -c 15 >/dev/null 2>&1 ||
	fail "nvme write-zeroes"
# What is lost is still in ext4's memory (its uncommitted journal), which
# can reach the machine's disk only after the cut: it never does.
"$ZCBLKCTL" set "$lidx" --power cut --cut-mode drop || fail "power cut"

# The file disks go with the machine; their saves fail (it has no power).
del_disk "$p"
del_disk "$z"
umount "$mnt" 2>/dev/null || umount -l "$mnt" || fail "umount"
"$ZCBLKCTL" set "$lidx" --power on || fail "power on"
mount "/dev/$low" "$mnt" || fail "mount after the cut"

p=$(add_disk "${plain[@]}")
z=$(add_disk "${zoned[@]}")
udev_settle "/dev/${p}c"
udev_settle "/dev/${z}c"
dd if="/dev/$p" of="$TMP/back" bs=64k count=16 iflag=direct status=none ||
	fail "dd back"
head -c $((16 * 4096)) /dev/zero >"$TMP/zero"
cmp -n $((16 * 4096)) -i $((16 * 4096)):0 "$TMP/back" "$TMP/zero" ||
	fail "the FUA Write Zeroes' blocks 16-31 are not zeros after the cut"
cmp -n $((16 * 4096)) "$TMP/back" "$TMP/pat" ||
	fail "blocks 0-15 differ after the cut"
cmp -i $((32 * 4096)) "$TMP/back" "$TMP/pat" ||
	fail "blocks 32-255 differ after the cut (64-79: the Write Zeroes without FUA was not lost)"
log "plain disk: the FUA Write Zeroes' blocks read zeros; the other's, lost with the cut, and the rest their data"

line=$(nvme zns report-zones "/dev/${z}c" -d 1 2>&1 | grep '^SLBA')
case $line in
*"WP: 0x8 "*) ;;
*) fail "zone 0 after the cut: \"$line\", want its write pointer at 0x8" ;;
esac
nvme read "/dev/${z}c" -s 0 -c 7 -z 32768 -d "$TMP/zback" >/dev/null 2>&1 ||
	fail "nvme read (zoned)"
cmp "$TMP/a" "$TMP/zback" || fail "zone 0's FUA write differs after the cut"
log "zoned disk: zone 0 holds the FUA write, its write pointer past it ($line)"
del_disk "$p"
del_disk "$z"
exit "$KSFT_PASS"
