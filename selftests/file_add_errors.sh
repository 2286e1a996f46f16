#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DEV_ADD refuses bad backing paths with the documented errno and an
# extack message naming the attribute, and leaves nothing behind: a
# missing path or file, a directory, a device node, a FIFO, a size past
# the file, a file or device in use, a file smaller than a block, a block
# size below the direct I/O alignment of the file's file system; on a
# device of 4096-byte sectors, a size that is no multiple of them, a
# smaller block size, and the device mounted. A file system that refuses
# direct I/O works with --buffered, which copies.
. "$(dirname "$0")/lib.sh"
need python3 losetup mkfs.ext4
# shellcheck disable=SC2317 # called from lib.sh's cleanup
test_cleanup() {
	umount "$TMP/l4k" 2>/dev/null
	[ -n "${loop:-}" ] && losetup -d "$loop" 2>/dev/null
}

# refused ERRNO-TEXT MESSAGE-PART ARGS...: zcblkctl add ARGS must exit 2
# printing both.
refused() {
	local want=$1 part=$2 out rc
	shift 2
	out=$("$ZCBLKCTL" add "$@" 2>&1)
	rc=$?
	[ $rc = 2 ] || fail "add $*: exit $rc, want 2 ($out)"
	case $out in
	*"$want"*"$part"*) log "add $*: $out" ;;
	*) fail "add $*: '$out' lacks '$want' ... '$part'" ;;
	esac
}

ext4=$(scratch_ext4)
truncate -s 16M "$ext4/f.img"
refused "No such file or directory" "path" --backend file --path "$ext4/none"
refused "Invalid argument" "path: not a regular file" --backend file --path "$ext4"
# Device nodes and FIFOs are refused before they are opened (a FIFO's
# open would wait for a writer).
refused "Invalid argument" "path: not a regular file" --backend file --path /dev/null
mkfifo "$ext4/fifo"
refused "Invalid argument" "path: not a regular file" --backend file --path "$ext4/fifo"
refused "Invalid argument" "size" --backend file --path "$ext4/f.img" --size 32M
refused "Invalid argument" "path" --backend file
# f.img's file system sits on a device of 4096-byte sectors: direct I/O
# at a 512-byte block's offset would fail, so 512 is refused, and the
# disk's block size is 4096 unless asked; buffered, 512 is fine.
refused "Invalid argument" "block-size: below the backing file's direct I/O alignment" \
	--backend file --path "$ext4/f.img" --block-size 512
name=$(add_disk --backend file --path "$ext4/f.img" --block-size 512 --buffered)
del_disk "$name"
name=$(add_disk --backend file --path "$ext4/f.img")
bs=$(cat "/sys/block/$name/queue/logical_block_size")
[ "$bs" = 4096 ] || fail "a file on a 4096-byte-sector file system: block size $bs"
refused "Device or resource busy" "path" --backend file --path "$ext4/f.img"
refused "Device or resource busy" "path" --backend file --path "/dev/$name"
del_disk "$name"
# Smaller than one block: nothing to export.
truncate -s 100 "$ext4/tiny.img"
refused "Invalid argument" "path: backing file smaller than a block" \
	--backend file --path "$ext4/tiny.img"
# A block device of 4096-byte sectors: the disk takes its block size, so
# a size fit for 512 is refused, as is a smaller block size; mounted, it
# is in use.
modprobe loop 2>/dev/null	# built in on some kernels
truncate -s 16M "$ext4/l4k.img"
loop=$(losetup --find --show --sector-size 4096 "$ext4/l4k.img") ||
	fail "losetup --sector-size 4096"
refused "Invalid argument" "size: not a multiple of block-size" \
	--backend file --path "$loop" --size 6K
refused "Invalid argument" "block-size: below the device's logical block size" \
	--backend file --path "$loop" --block-size 512
mkfs.ext4 -q -F "$loop" || fail "mkfs.ext4 $loop"
mkdir -p "$TMP/l4k"
mount "$loop" "$TMP/l4k" || fail "mount $loop"
refused "Device or resource busy" "path: block device in use" \
	--backend file --path "$loop"
umount "$TMP/l4k"
losetup -d "$loop"
loop=
disks=(/sys/block/zcblk*)
[ ${#disks[@]} = 1 ] || fail "a refused add left a disk: ${disks[*]}"

# ramfs has no direct I/O (nor, on 6.1, has tmpfs).
mkdir -p "$TMP/ramfs"
mount -t ramfs ramfs "$TMP/ramfs" || skip "no ramfs"
echo "mount $TMP/ramfs" >>"$ZCBLK_UNDO"
head -c $((4 << 20)) /dev/urandom >"$TMP/ramfs/r.img"
refused "Invalid argument" "buffered" --backend file --path "$TMP/ramfs/r.img"
name=$(add_disk --backend file --path "$TMP/ramfs/r.img" --buffered)
dd if="/dev/$name" of="$TMP/back" bs=1M iflag=direct status=none ||
	fail "read through a buffered disk"
cmp "$TMP/ramfs/r.img" "$TMP/back" || fail "buffered disk reads wrong data"
copied=$("$ZCBLKCTL" stats "${name#zcblk}" -j | python3 -c \
	'import json,sys; print(json.load(sys.stdin)[0]["copied_bytes"])')
[ "$copied" -ge $((4 << 20)) ] || fail "buffered mode copied $copied bytes, says so?"
# No fallocate on ramfs: a DSM deallocation (a hint) succeeds, the data
# kept; Write Zeroes writes zeros.
nvme dsm "/dev/${name}c" -n 1 -s 0 -b 8 -d >"$TMP/dsm" 2>&1 ||
	fail "nvme dsm -d on a file without fallocate: $(cat "$TMP/dsm")"
cmp -n 4096 "$TMP/ramfs/r.img" "$TMP/back" ||
	fail "the deallocation hint changed the data"
nvme write-zeroes "/dev/${name}c" -s 0 -c 7 >/dev/null 2>&1 ||
	fail "nvme write-zeroes on a file without fallocate"
cmp -n 4096 "$TMP/ramfs/r.img" /dev/zero || fail "Write Zeroes left data"
log "ramfs (no fallocate): DSM deallocate a hint kept, Write Zeroes written"
exit $KSFT_PASS
