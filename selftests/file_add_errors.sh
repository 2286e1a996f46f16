#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DEV_ADD refuses bad backing paths with the documented errno and an
# extack message naming the attribute, and leaves nothing behind; a file
# system that refuses direct I/O works with --buffered, which copies.
. "$(dirname "$0")/lib.sh"
need python3

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
name=$(add_disk --backend file --path "$ext4/f.img")
refused "Device or resource busy" "path" --backend file --path "$ext4/f.img"
refused "Device or resource busy" "path" --backend file --path "/dev/$name"
del_disk "$name"
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
	'import json,sys; print(json.load(sys.stdin)["copied_bytes"])')
[ "$copied" -ge $((4 << 20)) ] || fail "buffered mode copied $copied bytes, says so?"
exit $KSFT_PASS
