#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Read-only disks refuse writes: EPERM from write(2) on the block device,
# NVMe 0x4020 (Namespace Is Write Protected) for write-class passthrough
# commands; reads and Flush work. A read-only file backs a read-only disk.
. "$(dirname "$0")/lib.sh"
need nvme blockdev

# expect_4020 CMD...: an nvme-cli command that must fail with 0x4020.
# (nvme-cli 2.3's read and write exit 0 when their Identify fails: the
# output says why.)
expect_4020() {
	local out
	out=$("$@" 2>&1) && fail "$* succeeded on a read-only disk: $out"
	case $out in
	*0x4020*|*0x20\)*) log "$1 $2: refused ($out)" ;;
	*) fail "$*: want 0x4020, got: $out" ;;
	esac
}

check_ro() {
	local name=$1 c=/dev/$1c
	[ "$(blockdev --getro "/dev/$name")" = 1 ] || fail "$name not read-only"
	out=$(dd if=/dev/zero of="/dev/$name" bs=4k count=1 oflag=direct 2>&1) &&
		fail "dd wrote to a read-only disk"
	case $out in
	*"Operation not permitted"*) ;;
	*) fail "dd: want EPERM, got: $out" ;;
	esac
	expect_4020 nvme write "$c" -s 0 -c 7 -z 4096 -d /dev/zero
	expect_4020 nvme write-zeroes "$c" -n 1 -s 0 -c 7
	expect_4020 nvme dsm "$c" -n 1 --ad -s 0 -b 8
	nvme flush "$c" -n 1 >/dev/null || fail "flush on a read-only disk"
	nvme read "$c" -s 0 -c 7 -z 4096 -d "$TMP/r" >/dev/null ||
		fail "read on a read-only disk"
}

name=$(add_disk --backend mem --size 16M --read-only)
check_ro "$name"
cmp -n 4096 "$TMP/r" /dev/zero || fail "read-only mem disk not zero"
del_disk "$name"

ext4=$(scratch_ext4)
head -c $((4 << 20)) /dev/urandom >"$ext4/ro.img"
chmod 0444 "$ext4/ro.img"
name=$(add_disk --backend file --path "$ext4/ro.img" --read-only)
check_ro "$name"
cmp -n 4096 "$TMP/r" "$ext4/ro.img" || fail "read-only file disk reads wrong data"
exit $KSFT_PASS
