# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2154 # ctl: set by the sourcing script
# Sourced by bench.sh and costs.sh (guest side): the reference drivers,
# set up the same way for both.

meta() { printf 'BENCH_META %s %s\n' "$1" "$2"; }

noscheduler() {
	[ ! -w "/sys/block/$1/queue/scheduler" ] ||
		echo none >"/sys/block/$1/queue/scheduler"
	meta "scheduler.$1" "$(cat "/sys/block/$1/queue/scheduler" 2>/dev/null || echo -)"
}

# Unloads null_blk, removing the devices made in configfs first (they
# hold the module).
nullb_unload() {
	local d
	for d in /sys/kernel/config/nullb/*/; do
		[ -d "$d" ] || continue
		echo 0 >"$d/power"
		rmdir "$d"
	done
	modprobe -r null_blk 2>/dev/null || true
}

# The null_blk reference, irqmode $1 (0: in queue_rq, 1: softirq).
nullb_load() {
	nullb_unload
	# max_sectors: zcblk's 512 KiB (null_blk's default, 255 sectors,
	# splits each 128k I/O in two).
	modprobe null_blk queue_mode=2 irqmode="$1" nr_devices=1 gb=1 bs=512 \
		submit_queues=1 poll_queues=1 hw_queue_depth=128 max_sectors=1024
	noscheduler nullb0
}

# The blk-mq RAM disk: null_blk memory_backed=1 of $1 MiB, otherwise as
# nullb_load 0 (configfs: the module parameters size it in GiB only).
nullb_load_mem() {
	local d=/sys/kernel/config/nullb/nullb0
	nullb_unload
	modprobe null_blk nr_devices=0
	[ -d "${d%/*}" ] || mount -t configfs none /sys/kernel/config
	mkdir "$d"
	echo 2 >"$d/queue_mode"
	echo 0 >"$d/irqmode"
	echo "$1" >"$d/size"
	echo 512 >"$d/blocksize"
	echo 1 >"$d/submit_queues"
	echo 1 >"$d/poll_queues" 2>/dev/null || true
	echo 128 >"$d/hw_queue_depth"
	echo 1024 >"$d/max_sectors" 2>/dev/null || true
	echo 1 >"$d/memory_backed"
	echo 1 >"$d/power"
	noscheduler nullb0
}

# The zoned null_blk reference: 64 MiB zones, as zcblk's zoned null disk.
# No scheduler change: 6.1 requires mq-deadline on a zoned disk.
nullb_load_zoned() {
	nullb_unload
	modprobe null_blk queue_mode=2 irqmode=0 nr_devices=1 gb=1 bs=512 \
		submit_queues=1 hw_queue_depth=128 max_sectors=1024 zoned=1 \
		zone_size=64
	meta scheduler.nullb0-zoned "$(cat /sys/block/nullb0/queue/scheduler)"
}

# zcblk_add ARGS...: add a disk like make bench's (one submission queue,
# one poll queue, depth 128), wait for its nodes, print its name (then:
# noscheduler NAME).
zcblk_add() {
	local d
	d=$("$ctl" add --nr-queues 1 --queue-depth 128 --poll-queues 1 "$@")
	for _ in $(seq 100); do [ -c "/dev/${d}c" ] && [ -b "/dev/$d" ] && break; sleep 0.1; done
	echo "$d"
}

# null_pair MODULE: tracefs mounted, zcblk loaded from MODULE, null_blk
# irqmode=0 and a 1 GiB zcblk null disk, neither with a scheduler; prints
# the disk's name. The guest side of costs.sh and selftrace.sh.
null_pair() {
	local d
	[ -d /sys/kernel/tracing/events ] ||
		mount -t tracefs tracefs /sys/kernel/tracing
	[ -d /sys/module/zcblk ] || insmod "$1"
	modprobe configfs 2>/dev/null || true
	nullb_load 0 >/dev/null
	d=$(zcblk_add --backend null --size 1G)
	noscheduler "$d" >/dev/null
	echo "$d"
}

# uqd_fill MODE:DISK...: each 64 MiB disk written whole, in order, by
# uqd.c, so that no measured write allocates store pages (a
# char-device-only disk's name is its char device's).
uqd_fill() {
	local d dev
	for d in "$@"; do
		dev=${d#*:}
		if ! "$build/bench/uqd" fill "${d%%:*}" "/dev/${dev%c}c" \
			$((64 << 20)) 0 >/dev/null; then
			echo "uqd fill ${d%%:*} /dev/${dev%c}c failed" >&2
			return 1
		fi
	done
}
