#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Read-only disks refuse writes: EPERM from write(2) on the block device,
# NVMe status 0x4020 exactly (Namespace Is Write Protected, DNR set) for
# Write, Write Zeroes and DSM deallocate through the ioctls (nvme-cli,
# pt_access_helper) and through io_uring uring_cmd (pt_access_helper -u),
# and for Format NVM (nvme-cli, a mem disk: its block size kept), and
# their data stays; reads and Flush work. A file zcblk cannot open
# for writing, on a file system mounted read-only (a file's mode does not
# stop root), is refused without --read-only (EROFS) and backs a
# read-only disk with it.
. "$(dirname "$0")/lib.sh"
need nvme blockdev

helper=$ZCBLK_BUILD/selftests/pt_access_helper
[ -x "$helper" ] || fail "$helper not built (make selftests)"

# expect_4020 CMD...: an nvme-cli command that must fail with status
# 0x4020, which nvme-cli prints whole, DNR included, as "(0x4020)".
# (nvme-cli 2.3's read and write exit 0 when their Identify fails: the
# output says why.)
expect_4020() {
	local out
	out=$("$@" 2>&1) && fail "$* succeeded on a read-only disk: $out"
	case $out in
	*"(0x4020)"*) log "$1 $2: refused ($out)" ;;
	*) fail "$*: want status 0x4020, got: $out" ;;
	esac
}

# expect_helper WANT ARGS...: pt_access_helper ARGS prints exactly WANT.
expect_helper() {
	local want=$1 got
	shift
	got=$("$helper" "$@" 2>&1)
	[ "$got" = "$want" ] || fail "pt_access_helper $*: got '$got', want '$want'"
	log "pt_access_helper $*: $got"
}

# check_ro NAME BS DATA: disk NAME, BS-byte blocks, whose first 4 KiB are
# DATA's first 4 KiB, refuses every write and still holds them after.
check_ro() {
	local name=$1 data=$3 c=/dev/$1c n=$((4096 / $2)) via out args
	[ "$(blockdev --getro "/dev/$name")" = 1 ] || fail "$name not read-only"
	out=$(dd if="$TMP/junk" of="/dev/$name" bs=4k count=1 oflag=direct 2>&1) &&
		fail "dd wrote to a read-only disk"
	case $out in
	*"Operation not permitted"*) ;;
	*) fail "dd: want EPERM, got: $out" ;;
	esac
	expect_4020 nvme write "$c" -s 0 -c $((n - 1)) -z 4096 -d "$TMP/junk"
	expect_4020 nvme write-zeroes "$c" -n 1 -s 0 -c $((n - 1))
	expect_4020 nvme dsm "$c" -n 1 --ad -s 0 -b $n
	for via in uring_cmd ioctl; do
		args=("$c")
		[ $via = uring_cmd ] && args=(-u "$c")
		expect_helper "status 0x4020" "${args[@]}" rw write 0 0xa5
		expect_helper "status 0x4020" "${args[@]}" rw write-zeroes 0
		expect_helper "status 0x4020" "${args[@]}" rw dsm 0
	done
	nvme flush "$c" -n 1 >/dev/null || fail "flush on a read-only disk"
	rm -f "$TMP/r"
	nvme read "$c" -s 0 -c $((n - 1)) -z 4096 -d "$TMP/r" >/dev/null ||
		fail "read on a read-only disk"
	cmp -n 4096 "$TMP/r" "$data" || fail "$name: nvme read: not the disk's data"
	# nvme read zeroes its buffer: for zeros to be the disk's, a Read
	# into one that nvme-cli fills with 0xa5 first.
	nvme io-passthru "$c" --opcode=2 --namespace-id=1 --data-len=4096 \
		--read --cdw12=$((n - 1)) --prefill=0xa5 --raw-binary \
		>"$TMP/r" 2>"$TMP/err" ||
		{ sed 's/^/# /' "$TMP/err"; fail "$name: nvme io-passthru read"; }
	cmp -n 4096 "$TMP/r" "$data" ||
		fail "$name: not its data after the refused writes"
}

head -c 4096 /dev/urandom >"$TMP/junk"

name=$(add_disk --backend mem --size 16M --block-size 512 --read-only) ||
	{ echo "$name"; exit $KSFT_FAIL; }
check_ro "$name" 512 /dev/zero
# Format NVM erases: refused too, its block size kept
expect_4020 nvme format "/dev/${name}c" -n 1 --lbaf=3 --force
[ "$(blockdev --getss "/dev/$name")" = 512 ] ||
	fail "$name: block size $(blockdev --getss "/dev/$name") after a refused format"
check_ro "$name" 512 /dev/zero
del_disk "$name"

# Root opens any file for writing whatever its mode: a read-only mount
# is what makes zcblk's open for writing fail.
ext4=$(scratch_ext4)
head -c $((4 << 20)) /dev/urandom >"$ext4/ro.img"
mount -o remount,ro "$ext4" || fail "mount -o remount,ro $ext4"
out=$("$ZCBLKCTL" add --backend file --path "$ext4/ro.img" --block-size 4096 2>&1)
rc=$?
if [ $rc = 0 ]; then
	echo "disk ${out#zcblk}" >>"$ZCBLK_UNDO"
	fail "add of a file on a read-only mount without --read-only: $out"
fi
case $rc:$out in
2:*"Read-only file system"*path*) log "add without --read-only: $out" ;;
*) fail "add without --read-only: exit $rc, '$out', want 2, EROFS and path" ;;
esac
disks=(/sys/block/zcblk*)
[ ${#disks[@]} = 1 ] || fail "a refused add left a disk: ${disks[*]}"
name=$(add_disk --backend file --path "$ext4/ro.img" --block-size 4096 --read-only) ||
	{ echo "$name"; exit $KSFT_FAIL; }
check_ro "$name" 4096 "$ext4/ro.img"
exit $KSFT_PASS
