#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fio's io_uring_cmd engine (NVMe passthrough, as on /dev/ngXnY) works on
# a zcblk char device /dev/zcblk<N>c: random writes read back intact
# (crc32c verify) with plain, registered (fixedbufs), vectored, polled
# (hipri, on a disk with a poll queue) and SQPOLL rings, at queue depth 1
# and 32, on 512- and 4096-byte block disks; random reads run on a null
# disk. Afterwards no page is left pinned: zcblk's counters balance and
# so does /proc/vmstat (FOLL_PIN acquired - released).
. "$(dirname "$0")/lib.sh"
need fio python3

# check_pins BASELINE DISK...: nothing pinned by zcblk, and the system's
# pins back to BASELINE (io_uring frees a ring, and unregisters its
# buffers, from a workqueue after fio exits: give it a moment).
check_pins() {
	local base=$1 name now
	shift
	for name in "$@"; do
		load_stats "$name"
		[ "${ST[pt_inflight]}" = 0 ] ||
			fail "$name: ${ST[pt_inflight]} commands still in flight"
		[ "${ST[pinned_current]}" = 0 ] ||
			fail "$name: pinned_current ${ST[pinned_current]}"
		[ "${ST[pinned_pages]}" = "${ST[unpinned_pages]}" ] ||
			fail "$name: pinned_pages ${ST[pinned_pages]} != unpinned_pages ${ST[unpinned_pages]}"
	done
	for _ in $(seq 50); do
		now=$(vmstat_pins)
		[ "$now" = "$base" ] && return 0
		sleep 0.2
	done
	fail "/proc/vmstat pins $now, was $base before the test"
}

pins_before=$(vmstat_pins)
seed=$((RANDOM * 32768 + RANDOM))

# verify NAME DISK ARGS...: random writes over 8 MiB of DISK's char
# device, then every block read back and checked, at iodepth 1 and 32.
verify() {
	local name=$1 disk=$2 qd
	shift 2
	for qd in 1 32; do
		seed=$((seed + 1))
		run_fio "$name-qd$qd" --filename="/dev/${disk}c" \
			--ioengine=io_uring_cmd --cmd_type=nvme \
			--rw=randwrite --size=8M --iodepth="$qd" \
			--verify=crc32c --verify_fatal=1 --do_verify=1 \
			--randseed="$seed" "$@"
	done
}

d512=$(add_disk --backend mem --size 16M --block-size 512)
d4k=$(add_disk --backend mem --size 16M --block-size 4096)
dpoll=$(add_disk --backend mem --size 16M --block-size 4096 --poll-queues 1)
[ "$(json_field "$dpoll" poll_queues)" = 1 ] || fail "$dpoll: no poll queue"
log "disks: $d512 (512 B blocks), $d4k (4 KiB), $dpoll (4 KiB, 1 poll queue)"

verify default-512 "$d512" --bsrange=512-64k
verify default-4k "$d4k" --bs=4k
# Plain user buffers are pinned by zcblk (FOLL_PIN), one command at a
# time; two runs wrote and read back 8 MiB each.
load_stats "$d4k"
[ "${ST[pinned_pages]}" -ge $((2 * 2 * (8 << 20) / 4096)) ] ||
	fail "$d4k: pinned_pages ${ST[pinned_pages]} after 32 MiB of I/O"
[ "${ST[write_bytes]}" -ge $((16 << 20)) ] ||
	fail "$d4k: write_bytes ${ST[write_bytes]} after writing 16 MiB"
[ "${ST[read_bytes]}" -ge $((16 << 20)) ] ||
	fail "$d4k: read_bytes ${ST[read_bytes]} after verifying 16 MiB"
[ "${ST[fixed_bytes]}" = 0 ] ||
	fail "$d4k: fixed_bytes ${ST[fixed_bytes]} without fixedbufs"
pinned=${ST[pinned_pages]}

verify fixedbufs "$d4k" --bsrange=4k-64k --fixedbufs=1
# Registered buffers: io_uring pinned them, zcblk counts their bytes apart
# (8 MiB written and read back, twice) and pins none of their pages. Only
# fio's Identify Namespace commands (plain 4 KiB buffers, a few per run)
# still pin: a handful of pages where plain buffers took 8192.
load_stats "$d4k"
[ "${ST[fixed_bytes]}" -ge $((32 << 20)) ] ||
	fail "$d4k: fixed_bytes ${ST[fixed_bytes]} after 32 MiB with fixedbufs"
[ $((ST[pinned_pages] - pinned)) -le 16 ] ||
	fail "$d4k: fixedbufs runs pinned $((ST[pinned_pages] - pinned)) pages"

verify vectored "$d512" --bsrange=512-64k --nonvectored=0
# Polled passthrough: the commands wait on the poll queue and zcblk's
# ->uring_cmd_iopoll ends them (debugfs polled): two runs of 2048 writes
# and 2048 verify reads.
p0=0 p1=0
polled "$dpoll" p0
verify hipri "$dpoll" --bs=4k --hipri=1
polled "$dpoll" p1
[ $((p1 - p0)) -ge 8192 ] ||
	fail "$dpoll: zcblk's poll ended $((p1 - p0)) commands, want 8192"
log "$dpoll: $((p1 - p0)) commands ended by a poll"
verify sqpoll "$d4k" --bs=4k --sqthread_poll=1
for name in "$d512" "$d4k" "$dpoll"; do
	load_stats "$name"
	[ "${ST[errors]}" = 0 ] || fail "$name: ${ST[errors]} errors counted"
done

# Random reads on a null disk (no data moves: no verify).
dnull=$(add_disk --backend null --size 1G --nr-queues 2 --queue-depth 64)
seed=$((seed + 1))
run_fio null-randread --filename="/dev/${dnull}c" \
	--ioengine=io_uring_cmd --cmd_type=nvme --rw=randread --bs=4k \
	--iodepth=32 --number_ios=20000 --randseed="$seed"
load_stats "$dnull"
[ "${ST[read_cmds]}" -ge 20000 ] ||
	fail "$dnull: read_cmds ${ST[read_cmds]} after 20000 reads"

check_pins "$pins_before" "$d512" "$d4k" "$dpoll" "$dnull"
exit $KSFT_PASS
