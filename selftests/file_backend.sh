#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The file backend over a file on ext4, a loop device and a brd ramdisk:
# fio verify through the char device (io_uring_cmd) and the block device
# (io_uring); data written through zcblk is in the backing store byte for
# byte at the same offset; flush reaches fsync; discard punches a hole in
# a file and reaches a block device; a reset zone reads zeros on both.
# A backing device shrunk under the disk: reads, Write Zeroes, Copy,
# cached writes, metadata writes, a zoned disk's flush and zone reset past
# its end fail with 0x6 (EIO on the block device); a power cut that must
# write back there fails but cuts the power; every such disk still goes.
. "$(dirname "$0")/lib.sh"
need fio nvme losetup mkfs.ext4

modprobe loop 2>/dev/null	# built in on some kernels
brd_ext4 65536
mnt=$TMP/mnt
# shellcheck disable=SC2317 # called from lib.sh's cleanup
test_cleanup() {
	[ -n "${loopdev:-}" ] && losetup -d "$loopdev" 2>/dev/null
}

truncate -s 32M "$mnt/backing.img" || fail "truncate"
truncate -s 32M "$TMP/loop.img"
loopdev=$(losetup --find --show "$TMP/loop.img") || fail "losetup"

# The fio runs: 4k and 64k blocks through each device. On the debug
# kernel (ZCBLK_DEBUG=1), whose KASAN makes them most of this test's time
# there, a quarter of the data and one block size a device, swapped on
# each backing store.
fsize=8M debug=0 nth=0
[ "${ZCBLK_DEBUG:-0}" = 1 ] && fsize=2M debug=1

check_backing() {	# NAME BACKING
	local name=$1 backing=$2 dev=/dev/$1 off=$((3 << 20)) bs
	local cmd_sizes="4k 64k" blk_sizes="4k 64k"

	nth=$((nth + 1))
	if [ $debug = 1 ] && [ $((nth % 2)) = 1 ]; then
		cmd_sizes=4k blk_sizes=64k
	elif [ $debug = 1 ]; then
		cmd_sizes=64k blk_sizes=4k
	fi
	for bs in $cmd_sizes; do
		run_fio "$name-cmd-$bs" --filename="${dev}c" \
			--ioengine=io_uring_cmd --cmd_type=nvme --rw=randwrite \
			--bs="$bs" --iodepth=16 --size=$fsize --randseed=$RANDOM \
			--verify=crc32c --verify_fatal=1 --do_verify=1
	done
	for bs in $blk_sizes; do
		run_fio "$name-blk-$bs" --filename="$dev" --ioengine=io_uring \
			--direct=1 --rw=randwrite --bs="$bs" --iodepth=16 \
			--size=$fsize --offset=16M --randseed=$RANDOM \
			--verify=crc32c --verify_fatal=1 --do_verify=1
	done
	head -c 65536 /dev/urandom >"$TMP/pat"
	nvme write "${dev}c" -s $((off / 512)) -c 127 -z 65536 -d "$TMP/pat" \
		>/dev/null || fail "$name: nvme write"
	nvme flush "${dev}c" -n 1 >/dev/null || fail "$name: nvme flush"
	cmp -n 65536 -i 0:$off "$TMP/pat" "$backing" ||
		fail "$name: backing store differs from what zcblk wrote"
	load_stats "${name#zcblk}"
	[ "${ST[flushes]}" -ge 1 ] ||
		fail "$name: flush did not reach the backend"
	nvme read "${dev}c" -s 0 -c $((524288 / 512 - 1)) -z 524288 \
		-d "$TMP/big" >/dev/null || fail "$name: 512 KiB nvme read"
	cmp -n 524288 "$TMP/big" "$backing" || fail "$name: 512 KiB read differs"
	load_stats "${name#zcblk}"
	[ "${ST[copied_bytes]}" = 0 ] ||
		fail "$name: zcblk copied data (direct I/O should not)"
	[ "${ST[pinned_current]}" = 0 ] ||
		fail "$name: pages still pinned"
}

# discard_frees NAME FILE: 8 MiB written to /dev/NAME, then discarded,
# free over 4 MiB of FILE's blocks.
discard_frees() {
	local before after
	dd if=/dev/urandom of="/dev/$1" bs=1M count=8 oflag=direct status=none
	sync
	before=$(stat -c %b "$2")
	blkdiscard -o 0 -l $((8 << 20)) "/dev/$1" || fail "blkdiscard"
	after=$(stat -c %b "$2")
	log "$2: blocks $before -> $after after discarding 8 MiB"
	[ "$after" -lt $((before - 8192)) ] ||
		fail "discard on $1 did not free $2's blocks"
}

name=$(add_disk --backend file --path "$mnt/backing.img")
check_backing "$name" "$mnt/backing.img"
discard_frees "$name" "$mnt/backing.img"	# a hole in the file
del_disk "$name"

name=$(add_disk --backend file --path "$loopdev")
check_backing "$name" "$loopdev"
discard_frees "$name" "$TMP/loop.img"	# a discard of the loop device
del_disk "$name"

# A zone reset on a block device reads zeros again, as on a file.
name=$(add_disk --backend file --path "$loopdev" --block-size 4096 --zoned \
	--zone-size 1M)
head -c 65536 /dev/urandom >"$TMP/pat"
nvme write "/dev/${name}c" -s 2048 -c 15 -z 65536 -d "$TMP/pat" >/dev/null ||
	fail "write into zone 8"
nvme zns reset-zone "/dev/${name}c" -s 2048 >/dev/null || fail "reset-zone"
nvme read "/dev/${name}c" -s 2048 -c 15 -z 65536 -d "$TMP/zr" >/dev/null ||
	fail "read of the reset zone"
cmp -s "$TMP/zr" <(head -c 65536 /dev/zero) ||
	fail "the reset zone on $loopdev still holds its data"
log "zone reset on $loopdev: zeros"
del_disk "$name"

umount "$mnt"
# Smaller than the device (64 MiB), and room for check_backing's 24 MiB.
name=$(add_disk --backend file --path /dev/ram0 --size 32M)
check_backing "$name" /dev/ram0
del_disk "$name"

# A backing device that shrank under the disk: what lies past its new end
# fails with Internal Error (0x6, retryable) and EIO, and nothing hangs.
# want_0x6 WHAT CMD...: an nvme-cli command that must fail with 0x6
want_0x6() {
	local what=$1
	shift
	out=$("$@" 2>&1) && fail "$what past the shrunk backing device succeeded"
	case $out in
	*"(0x6)"*|*INTERNAL*) log "$what: $out" ;;
	*) fail "$what: want status 0x6, got: $out" ;;
	esac
}
name=$(add_disk --backend file --path "$loopdev")
truncate -s 1M "$TMP/loop.img"
losetup -c "$loopdev" || fail "losetup -c"
want_0x6 "Read" nvme read "/dev/${name}c" -s $((8 << 11)) -c 7 -z 4096 \
	-d "$TMP/r"
# Write Zeroes there fails in the backend at once (fallocate), the same.
want_0x6 "Write Zeroes" nvme write-zeroes "/dev/${name}c" -s $((8 << 11)) -c 7
out=$(dd if="/dev/$name" of=/dev/null bs=4k count=1 skip=2048 iflag=direct 2>&1) &&
	fail "block read past the shrunk backing device succeeded"
case $out in
*"Input/output error"*) log "block device: $out" ;;
*) fail "block device: want EIO, got: $out" ;;
esac
want_0x6 "Copy from there" nvme copy "/dev/${name}c" --sdlba=16 \
	--slbs=$((8 << 11)) --blocks=7
want_0x6 "Copy to there" nvme copy "/dev/${name}c" --sdlba=$((8 << 11)) \
	--slbs=16 --blocks=7
del_disk "$name"

# The same with a write cache, whose writes first read what they replace:
# a write there fails the same; a cut that must put back what a write
# replaced there fails, with the backend's error, and cuts the power all
# the same; on again, the disk holds what it held before the unflushed
# writes inside the device.
truncate -s 32M "$TMP/loop.img"
losetup -c "$loopdev" || fail "losetup -c"
name=$(add_disk --backend file --path "$loopdev" --block-size 4096 \
	--write-cache 1M)
idx=${name#zcblk}
head -c 8192 /dev/urandom >"$TMP/pat"
nvme read "/dev/${name}c" -s 16 -c 0 -z 4096 -d "$TMP/pre" >/dev/null ||
	fail "read at 64 KiB"
nvme write "/dev/${name}c" -s 2048 -c 0 -z 4096 -d "$TMP/pat" >/dev/null ||
	fail "cached write at 8 MiB"
nvme write "/dev/${name}c" -s 16 -c 0 -z 4096 -d "$TMP/pat" >/dev/null ||
	fail "cached write at 64 KiB"
truncate -s 1M "$TMP/loop.img"
losetup -c "$loopdev" || fail "losetup -c"
want_0x6 "Cached write" nvme write "/dev/${name}c" -s 2304 -c 0 -z 4096 \
	-d "$TMP/pat"
if "$ZCBLKCTL" set "$idx" --power cut 2>"$TMP/err"; then
	fail "a cut writing past the shrunk backing device succeeded"
fi
grep -q "the backend failed the cut" "$TMP/err" ||
	fail "power cut: $(<"$TMP/err")"
log "power cut: $(<"$TMP/err")"
"$ZCBLKCTL" show "$idx" | grep -q "power  *cut" ||
	fail "the power is on after the failed cut: $("$ZCBLKCTL" show "$idx")"
# newest first: the write at 64 KiB went back, then the one at 8 MiB failed
load_stats "$idx"
[ "${ST[cut_lost_writes]}/${ST[cut_lost_blocks]}" = 1/1 ] ||
	fail "lost ${ST[cut_lost_writes]} writes, ${ST[cut_lost_blocks]} blocks; want 1, 1"
"$ZCBLKCTL" set "$idx" --power on >/dev/null || fail "power on"
rm -f "$TMP/r"	# nvme-cli does not truncate its output file
nvme read "/dev/${name}c" -s 16 -c 0 -z 4096 -d "$TMP/r" >/dev/null ||
	fail "read at 64 KiB"
cmp -s "$TMP/r" "$TMP/pre" ||
	fail "block 16 does not hold what it held before the unflushed write"
del_disk "$name"

# Separate metadata lies after the data (integrity.rst): 1 MiB of data on
# the device shrunk to 1 MiB keeps its data, not its metadata; a write
# with metadata fails with 0x6.
truncate -s 32M "$TMP/loop.img"
losetup -c "$loopdev" || fail "losetup -c"
name=$(add_disk --backend file --path "$loopdev" --size 1M --metadata-size 8)
name=${name%c}	# metadata without PI: the char device alone
truncate -s 1M "$TMP/loop.img"
losetup -c "$loopdev" || fail "losetup -c"
head -c 64 /dev/urandom >"$TMP/md"
want_0x6 "Write with metadata" nvme write "/dev/${name}c" -s 8 -c 7 \
	-z 4096 -d "$TMP/pat" -y 64 -M "$TMP/md"
del_disk "$name"

# A zoned disk's zone table lies at the end: shrunk, a flush (which saves
# it) and a reset of a zone past the end fail with 0x6; the disk still
# goes (the kernel log says it could not save the table).
truncate -s 32M "$TMP/loop.img"
losetup -c "$loopdev" || fail "losetup -c"
name=$(add_disk --backend file --path "$loopdev" --block-size 4096 --zoned \
	--zone-size 1M)
nvme write "/dev/${name}c" -s 2048 -c 0 -z 4096 -d "$TMP/pat" >/dev/null ||
	fail "write into zone 8"
truncate -s 1M "$TMP/loop.img"
losetup -c "$loopdev" || fail "losetup -c"
want_0x6 "Flush of a zoned disk" nvme flush "/dev/${name}c" -n 1
want_0x6 "Zone reset" nvme zns reset-zone "/dev/${name}c" -s 2048
del_disk "$name"
exit $KSFT_PASS
