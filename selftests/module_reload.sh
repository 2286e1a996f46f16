#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load and unload zcblk 20 times with disks present at unload: the unload
# removes them, the mem backend's pages come back, nothing splats (the
# runner checks the kernel log).
. "$(dirname "$0")/lib.sh"
mod=${ZCBLK_MODULE:-}
[ -f "$mod" ] || skip "ZCBLK_MODULE not set"

mem_free_kb() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^MemFree:/ { print $2 }' /proc/meminfo
}

[ -d /sys/module/zcblk ] && { rmmod zcblk || fail "rmmod"; }
free_before=$(mem_free_kb)
for i in $(seq 20); do
	insmod "$mod" || fail "insmod round $i"
	"$ZCBLKCTL" add --backend mem --size 64M >/dev/null || fail "add mem"
	"$ZCBLKCTL" add --backend null --size 1G --index 7 >/dev/null || fail "add null"
	udev_settle /dev/zcblk0
	dd if=/dev/urandom of=/dev/zcblk0 bs=1M count=8 oflag=direct status=none ||
		fail "dd round $i"
	rmmod zcblk || fail "rmmod round $i"
	if [ -e /sys/block/zcblk0 ] || [ -e /sys/block/zcblk7 ]; then
		fail "disks left after rmmod"
	fi
done
free_after=$(mem_free_kb)
# 20 rounds leaked would be 160 MiB; allow 16 MiB of noise.
leak=$((free_before - free_after))
log "MemFree before $free_before kB, after $free_after kB"
[ $leak -lt 16384 ] || fail "$leak kB less free memory after 20 rounds"
insmod "$mod" || fail "final insmod"
exit $KSFT_PASS
