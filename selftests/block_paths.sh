#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The block device's two ways through zcblk give the same results. A read
# or write of a plain disk takes submit.c's short way; added latency, a
# completion mode other than inline, error injection (armed, failing
# nothing here), a listed bad block elsewhere on the disk or a poll queue's
# completion take the general way or its ending. On a mem disk, each mode
# in turn: 64 direct 4 KiB writes of fresh data, then 64 reads, data read
# back byte-exact, and the counters moved by exactly 64 commands and
# 256 KiB each way, no errors; with 10 ms of latency or timer completion
# the 128 requests take at least 1.28 s (the delay happened). With a block
# listed bad, a read of it fails (ENODATA) and counts as no read; with
# every read failing by injection, a read fails (EIO), counts as no read
# and as injected. Then the null disk, plain and polled.
. "$(dirname "$0")/lib.sh"
need dd cmp fio

nr=64 bs=4096

# io_round DISK MODE [MIN-MS]: writes, reads back, compares, checks the
# counters and that it took MIN-MS milliseconds at least. The area starts
# at 1 MiB, clear of the bad block.
io_round() {
	local name=$1 mode=$2 min=${3:-0} rc=0 seek=256
	local r0 w0 rb0 wb0 e0 t0 ms

	head -c $((nr * bs)) /dev/urandom >"$TMP/data"
	load_stats "$name"
	r0=${ST[read_cmds]} w0=${ST[write_cmds]}
	rb0=${ST[read_bytes]} wb0=${ST[write_bytes]} e0=${ST[errors]}
	t0=$(date +%s%N)
	dd if="$TMP/data" of="/dev/$name" bs=$bs count=$nr seek=$seek \
		oflag=direct status=none || rc=$?
	[ $rc -eq 0 ] || fail "$name, $mode: dd write rc=$rc"
	dd if="/dev/$name" of="$TMP/back" bs=$bs count=$nr skip=$seek \
		iflag=direct status=none || rc=$?
	[ $rc -eq 0 ] || fail "$name, $mode: dd read rc=$rc"
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ $ms -ge "$min" ] ||
		fail "$name, $mode: $((2 * nr)) requests took $ms ms, want >= $min"
	load_stats "$name"
	[ "${ST[write_cmds]}" -eq $((w0 + nr)) ] ||
		fail "$name, $mode: write_cmds $w0 -> ${ST[write_cmds]}, want +$nr"
	[ "${ST[read_cmds]}" -eq $((r0 + nr)) ] ||
		fail "$name, $mode: read_cmds $r0 -> ${ST[read_cmds]}, want +$nr"
	[ "${ST[write_bytes]}" -eq $((wb0 + nr * bs)) ] ||
		fail "$name, $mode: write_bytes $wb0 -> ${ST[write_bytes]}"
	[ "${ST[read_bytes]}" -eq $((rb0 + nr * bs)) ] ||
		fail "$name, $mode: read_bytes $rb0 -> ${ST[read_bytes]}"
	[ "${ST[errors]}" -eq "$e0" ] ||
		fail "$name, $mode: errors $e0 -> ${ST[errors]}"
	# The null disk stores nothing.
	if [ "$name" = "$mem" ]; then
		cmp -s "$TMP/data" "$TMP/back" ||
			fail "$name, $mode: data read back differs"
	fi
	log "$name, $mode: $nr writes and reads, counters exact, $ms ms"
}

mem=$(add_disk --backend mem --size 64M)
io_round "$mem" short
"$ZCBLKCTL" set "$mem" --latency-ns 10000000 || fail "set --latency-ns"
io_round "$mem" latency $((2 * nr * 10))
"$ZCBLKCTL" set "$mem" --latency-ns 0 --completion softirq ||
	fail "set --completion softirq"
io_round "$mem" softirq
"$ZCBLKCTL" set "$mem" --completion timer --completion-ns 10000000 ||
	fail "set --completion timer"
io_round "$mem" timer $((2 * nr * 10))
"$ZCBLKCTL" set "$mem" --completion inline --fail-every 1000000 ||
	fail "set --fail-every"
io_round "$mem" fail-every
# read_fails WHAT ERROR: a direct read of block 8 fails with ERROR
# (strerror's text); no read counts (read_cmds); ST then holds the
# counters after it.
read_fails() {
	local what=$1 want=$2 r0 out rc=0

	load_stats "$mem"
	r0=${ST[read_cmds]}
	out=$(dd if="/dev/$mem" of=/dev/null bs=512 count=1 skip=8 \
		iflag=direct 2>&1) || rc=$?
	[ $rc -ne 0 ] || fail "$mem, $what: reading block 8 succeeded"
	case $out in
	*"$want"*) log "$mem, $what: block 8 reads '$want'" ;;
	*) fail "$mem, $what: block 8: want '$want', got: $out" ;;
	esac
	load_stats "$mem"
	[ "${ST[read_cmds]}" -eq "$r0" ] ||
		fail "$mem, $what: read_cmds $r0 -> ${ST[read_cmds]}"
}

"$ZCBLKCTL" set "$mem" --fail-every 1 --fail-ops reads ||
	fail "set --fail-every 1"
load_stats "$mem"
i0=${ST[injected]}
read_fails injected "Input/output error"
[ "${ST[injected]}" -gt "$i0" ] ||
	fail "$mem: injected ${ST[injected]}, was $i0"
"$ZCBLKCTL" set "$mem" --fail-every 0 --fail-ops all --bad 8 ||
	fail "set --bad 8"
io_round "$mem" bad-elsewhere
read_fails bad "No data available"
"$ZCBLKCTL" set "$mem" --clear-bad 8 || fail "set --clear-bad 8"
io_round "$mem" short-again

null=$(add_disk --backend null --size 1G --poll-queues 1)
io_round "$null" short
# dd cannot poll; fio's hipri through io_uring does: the poll queue's
# ending, counted by zcblk's poll callback (debugfs).
p0=0 p1=0
polled "$null" p0
load_stats "$null"
r0=${ST[read_cmds]}
run_fio null-hipri --filename="/dev/$null" --ioengine=io_uring --direct=1 \
	--hipri=1 --rw=randread --bs=4k --iodepth=32 --number_ios=2000 \
	--size=64M
polled "$null" p1
load_stats "$null"
[ $((p1 - p0)) -ge 2000 ] ||
	fail "$null: zcblk's poll ended $((p1 - p0)) requests, want 2000"
[ "${ST[read_cmds]}" -eq $((r0 + 2000)) ] ||
	fail "$null: read_cmds $r0 -> ${ST[read_cmds]}, want +2000"
log "$null: 2000 polled reads, counted once each"
exit $KSFT_PASS
