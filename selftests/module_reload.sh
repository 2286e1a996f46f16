#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load and unload zcblk 20 times with disks present at unload: the unload
# removes them, the mem backend's pages and zcblk's own objects come back,
# nothing splats (the runner checks the kernel log).
. "$(dirname "$0")/lib.sh"
mod=${ZCBLK_MODULE:-}
[ -f "$mod" ] || skip "ZCBLK_MODULE not set"

# meminfo FIELD: its value in kB, caches dropped first.
meminfo() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo
}

round() {
	insmod "$mod" || fail "insmod round $1"
	"$ZCBLKCTL" add --backend mem --size 64M >/dev/null || fail "add mem"
	"$ZCBLKCTL" add --backend null --size 1G --index 7 >/dev/null ||
		fail "add null"
	udev_settle /dev/zcblk0
	dd if=/dev/urandom of=/dev/zcblk0 bs=1M count=32 oflag=direct \
		status=none || fail "dd round $1"
	rmmod zcblk || fail "rmmod round $1"
	if [ -e /sys/block/zcblk0 ] || [ -e /sys/block/zcblk7 ]; then
		fail "disks left after rmmod"
	fi
}

[ -d /sys/module/zcblk ] && { rmmod zcblk || fail "rmmod"; }
round 1		# first load warms caches (sysfs, kernfs, slab)
free_before=$(meminfo MemFree)
slab_before=$(meminfo SUnreclaim)
for i in $(seq 2 20); do
	round "$i"
done
free_after=$(meminfo MemFree)
slab_after=$(meminfo SUnreclaim)
log "MemFree $free_before -> $free_after kB, SUnreclaim $slab_before -> $slab_after kB"
# Leaked page stores would be 19 x 32 MiB; MemFree alone wobbles ~40 MiB.
[ $((free_before - free_after)) -lt 131072 ] ||
	fail "$((free_before - free_after)) kB less free memory after 19 rounds"
# Leaked disks (tag sets, requests) would be >100 kB a round.
[ $((slab_after - slab_before)) -lt 2048 ] ||
	fail "unreclaimable slab grew $((slab_after - slab_before)) kB"
insmod "$mod" || fail "final insmod"
exit $KSFT_PASS
