#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hctx_leak.sh: a diagnostic, not a test. In a guest (as root), follows
# each blk-mq hardware context that a disk allocates to its kfree, with
# the kmem trace events, for zcblk and null_blk disks with and without
# poll queues. 6.1 and 6.12 free none of the first hardware context of a
# disk that has poll queues (Documentation/admin-guide.rst, "Known kernel
# issue"); exit status 1 when a disk leaked one.
#
#   selftests/vm/vm.sh --kernel <rel> -- selftests/vm/hctx_leak.sh
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
zc=$repo/build/userlib/zcblkctl
t=/sys/kernel/tracing
cfs=/sys/kernel/config
[ -d /sys/module/zcblk ] ||
	insmod "$repo/build/kmod/$(uname -r)/kernel/zcblk.ko" || exit 2
modprobe null_blk nr_devices=0 || exit 2	# and configfs, on Debian's
mountpoint -q $t || mount -t tracefs none $t || exit 2
mountpoint -q $cfs || mount -t configfs none $cfs || exit 2
echo 65536 >$t/buffer_size_kb
leaked=0

# count <label> <command...>: run the command with kmalloc/kfree traced.
count() {
	local label=$1 n f
	shift
	echo >$t/trace
	echo 1 >$t/events/kmem/kmalloc/enable
	echo 1 >$t/events/kmem/kfree/enable
	"$@" || echo "$label: failed to make the disk" >&2
	sleep 3		# RCU callbacks and workers free some of it
	echo 0 >$t/events/kmem/kmalloc/enable
	echo 0 >$t/events/kmem/kfree/enable
	# The hctx and its ctxs array, freed only by a kfree that follows the
	# allocation (addresses are reused). Pointers are hashed, stably.
	read -r n f < <(awk '
		/kmalloc: call_site=blk_mq_alloc(_and_init)?_hctx/ {
			p = $0; sub(/.*ptr=/, "", p); sub(/ .*/, "", p)
			live[p] = 1; n++
		}
		/kfree: / { p = $NF; sub(/ptr=/, "", p); if (p in live) { delete live[p]; f++ } }
		END { print n + 0, f + 0 }' $t/trace)
	echo "$label: $n hctx allocations, $f freed"
	[ "$f" -eq "$n" ] || leaked=1
}

# shellcheck disable=SC2317 # run by count
zcblk_disk() {	# <queues> <poll queues>
	local d
	d=$("$zc" add --backend null --size 8M --nr-queues "$1" --poll-queues "$2") &&
		"$zc" del "$d"
}

# shellcheck disable=SC2317 # run by count
nullb_disk() {	# <submit queues> <poll queues>
	local c=$cfs/nullb/hctx_leak ret=0
	mkdir "$c" || return
	{ echo "$1" >"$c/submit_queues" && echo "$2" >"$c/poll_queues" &&
	  echo 1 >"$c/power" && echo 0 >"$c/power"; } || ret=1
	rmdir "$c"
	return "$ret"
}

uname -r
count "zcblk, 1 queue" zcblk_disk 1 0
count "zcblk, 2 queues" zcblk_disk 2 0
count "zcblk, 1 queue + 1 poll queue" zcblk_disk 1 1
count "null_blk, 1 submit queue" nullb_disk 1 0
count "null_blk, 1 submit queue + 1 poll queue" nullb_disk 1 1
exit $leaked
