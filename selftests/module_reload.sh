#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Load and unload zcblk 8 times with two disks present at unload (a mem
# disk with 32 MiB written, a null disk): the unload removes them and all
# they held, nothing splats (the runner checks the kernel log).
#
# Counted exactly after every unload, once the RCU frees settle, against
# the counts before the first load: request queues and block device
# inodes in their slab caches (request_queue, and request_queue_srcu where
# it exists, 6.1; bdev_cache), whose objects a disk holds until its
# gendisk is released, and the entries of /sys/block and /sys/class/bdi.
# A leaked disk (gendisk, request queue, tag set; the requests are
# page-allocated, in no slab) keeps a request_queue and a bdev_cache
# object, and one never deleted its sysfs entries too. On 6.1.0-57 and
# 6.12.117 no other cache is merged into these (aliases 0) and nothing
# else in the VM allocates from them: exact. While a round's two disks
# exist, each counter must read two more than that base: they count
# disks on the kernel at hand. After each unload nothing of zcblk's own
# is left either (its char region in /proc/devices, its class, debugfs
# directory, nodes). A module whose teardown skipped put_disk() failed
# round 1 here (request_queue 0->2 bdev_cache 1->3) and passed the
# MemFree and SUnreclaim gates alone, which remain as coarse checks: the
# mem disks' pages (19 x 32 MiB if leaked) come back.
. "$(dirname "$0")/lib.sh"
mod=${ZCBLK_MODULE:-}
[ -f "$mod" ] || skip "ZCBLK_MODULE not set"
shopt -s nullglob

ROUNDS=8
DISKS=2			# made by each round
SETTLE=20		# seconds for the RCU frees after an unload (took <= 1.5)

# meminfo FIELD: its value in kB, caches dropped first.
meminfo() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo
}

# now_ms VAR: VAR=a monotonic-enough clock in ms, without a fork.
now_ms() {
	printf -v "$1" '%s' $((${EPOCHREALTIME//[!0-9]/} / 1000))
}

# The counters below use builtins only: every exec is slow under TCG.
# slab_objects VAR CACHE...: VAR=the objects allocated from the caches,
# summed. SLUB counts the free objects of per-CPU slabs as allocated
# until the cache is shrunk: shrink first.
slab_objects() {
	local var=$1 c n sum=0
	shift
	for c in "$@"; do
		[ -e "/sys/kernel/slab/$c" ] || continue
		echo 1 >"/sys/kernel/slab/$c/shrink"
		read -r n _ <"/sys/kernel/slab/$c/objects"
		sum=$((sum + n))
	done
	printf -v "$var" '%s' "$sum"
}

# count: CNT[name]=each counter that moves by one per disk.
declare -A CNT BASE
NAMES=(request_queue bdev_cache sys_block class_bdi)
count() {
	local e
	slab_objects 'CNT[request_queue]' request_queue request_queue_srcu
	slab_objects 'CNT[bdev_cache]' bdev_cache
	e=(/sys/block/*)
	CNT[sys_block]=${#e[@]}
	e=(/sys/class/bdi/*)
	CNT[class_bdi]=${#e[@]}
}

# counters: the counters as "name=value ...", for the log.
counters() {
	local n s=''
	for n in "${NAMES[@]}"; do s+=" $n=${CNT[$n]}"; done
	echo "${s# }"
}

# differs BY: DIFF=the counters that do not read BASE + BY, as
# "name base->now ...".
differs() {
	local n
	DIFF=''
	for n in "${NAMES[@]}"; do
		[ "${CNT[$n]}" = $((BASE[$n] + $1)) ] ||
			DIFF+=" $n ${BASE[$n]}->${CNT[$n]}"
	done
	DIFF=${DIFF# }
}

# leftovers: LEFT=anything of zcblk's own left after an unload.
leftovers() {
	local l r=()
	while read -r l; do
		[[ $l =~ ^\ *[0-9]+\ zcblk$ ]] && r+=("/proc/devices: $l")
	done </proc/devices
	for l in /sys/module/zcblk /sys/class/zcblk /sys/kernel/debug/zcblk \
		 /sys/block/zcblk* /dev/zcblk*; do
		[ -e "$l" ] && r+=("$l")
	done
	LEFT=${r[*]}
}

settle_max=0
round() {
	local t0 t
	insmod "$mod" || fail "insmod round $1"
	"$ZCBLKCTL" add --backend mem --size 64M >/dev/null || fail "add mem"
	"$ZCBLKCTL" add --backend null --size 1G --index 7 >/dev/null ||
		fail "add null"
	udev_settle /dev/zcblk0
	dd if=/dev/urandom of=/dev/zcblk0 bs=1M count=32 oflag=direct \
		status=none || fail "dd round $1"
	count
	differs $DISKS
	[ -z "$DIFF" ] ||
		fail "round $1: with $DISKS disks, want base + $DISKS: $DIFF"
	rmmod zcblk || fail "rmmod round $1"
	now_ms t0
	leftovers
	[ -z "$LEFT" ] || fail "round $1: left after rmmod: $LEFT"
	while :; do
		count
		differs 0
		now_ms t
		t=$((t - t0))
		if [ -z "$DIFF" ] || [ $t -ge $((SETTLE * 1000)) ]; then
			break
		fi
		sleep 0.1
	done
	[ -z "$DIFF" ] ||
		fail "round $1: $t ms after rmmod, not back to base: $DIFF"
	[ $t -le $settle_max ] || settle_max=$t
}

[ -d /sys/module/zcblk ] && { rmmod zcblk || fail "rmmod"; }
for c in request_queue bdev_cache; do
	[ -e "/sys/kernel/slab/$c" ] || fail "no /sys/kernel/slab/$c: cannot count"
done
count
for n in "${NAMES[@]}"; do BASE[$n]=${CNT[$n]}; done
log "base: $(counters)"
round 1		# first load warms caches (sysfs, kernfs, slab) for MemFree
free_before=$(meminfo MemFree)
slab_before=$(meminfo SUnreclaim)
for i in $(seq 2 $ROUNDS); do
	round "$i"
done
free_after=$(meminfo MemFree)
slab_after=$(meminfo SUnreclaim)
log "$ROUNDS rounds: every counter at base + $DISKS with the disks, back" \
    "to base ($(counters)) within $settle_max ms of each rmmod"
log "MemFree $free_before -> $free_after kB," \
    "SUnreclaim $slab_before -> $slab_after kB"
# Coarse gates, beside the counts: leaked page stores would be 19 x 32
# MiB, and MemFree alone wobbles by up to 70 MiB from round to round
# (6.12.117); unreclaimable slab drifts by ~150 kB over the 19 rounds.
[ $((free_before - free_after)) -lt 131072 ] ||
	fail "$((free_before - free_after)) kB less free memory after 19 rounds"
[ $((slab_after - slab_before)) -lt 2048 ] ||
	fail "unreclaimable slab grew $((slab_after - slab_before)) kB"
insmod "$mod" || fail "final insmod"
exit $KSFT_PASS
