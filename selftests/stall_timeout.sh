#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Stall and timeouts: with stall on and a 2 s timeout, a held command ends
# with ETIMEDOUT after at least 2 s on both paths; with stall on and a read
# of each path held in zcblk on a disk whose timeout is 30 s, DEV_DEL
# still returns promptly and fails both with EIO ("an I/O error",
# Documentation/backends.rst, Timeouts).
. "$(dirname "$0")/lib.sh"
need nvme python3

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# pt_read DISK: one 4 KiB Read at LBA 0 through the char device. Not
# `nvme read`: it sends Identify first, and nvme-cli 2.3 exits 0 when that
# fails (e.g. with ETIMEDOUT), without reading. The data goes to stdout.
pt_read() {
	nvme io-passthru "/dev/$1c" --opcode=2 --namespace-id=1 --cdw10=0 \
		--cdw12=7 --data-len=4096 --read --raw-binary
}

name=$(add_disk --backend mem --size 16M --timeout-ms 2000)
idx=${name#zcblk}
"$ZCBLKCTL" set "$idx" --stall on >/dev/null || fail "stall on"

t0=$(now_ms)
out=$(pt_read "$name" 2>&1 >/dev/null) &&
	fail "a stalled read succeeded"
t=$(($(now_ms) - t0))
log "char device: '$out' after $t ms"
case $out in *"timed out"*) ;; *) fail "char device: not ETIMEDOUT: $out" ;; esac
[ $t -ge 2000 ] || fail "char device: timed out after $t ms, timeout 2000"

t0=$(now_ms)
out=$(dd if="/dev/$name" of=/dev/null bs=4k count=1 iflag=direct 2>&1) &&
	fail "a stalled block read succeeded"
t=$(($(now_ms) - t0))
log "block device: '$out' after $t ms"
case $out in *"timed out"*) ;; *) fail "block device: not ETIMEDOUT: $out" ;; esac
[ $t -ge 2000 ] || fail "block device: timed out after $t ms, timeout 2000"

timeouts=$("$ZCBLKCTL" stats "$idx" -j | python3 -c \
	'import json,sys; print(json.load(sys.stdin)[0]["timeouts"])')
[ "$timeouts" -ge 2 ] || fail "timeouts counter $timeouts"
"$ZCBLKCTL" set "$idx" --stall off >/dev/null || fail "stall off"
out=$(pt_read "$name" 2>&1 >/dev/null) || fail "read after the stall: $out"
del_disk "$name"

# held DISK: waits (up to 10 s) until DISK holds one read of each path.
# The passthrough Read: in flight in zcblk (DEV_STATS pt_inflight) and
# started by blk-mq (its DRV_IN request in_flight in blk-mq's debugfs
# "busy" lists); the block read: the block layer's in-flight count
# (/sys/block/<disk>/inflight, which leaves passthrough requests out on
# both kernels). With the stall on, zcblk's queue_rq starts a request and
# parks it: started is held.
held() {
	local i f l drv blk busy=(/sys/kernel/debug/block/"$1"/hctx*/busy)

	[ -r "${busy[0]}" ] || fail "no blk-mq debugfs for $1: ${busy[0]}"
	for i in $(seq 100); do
		load_stats "${1#zcblk}"
		read -r blk _ <"/sys/block/$1/inflight" ||
			fail "/sys/block/$1/inflight"
		drv=0
		for f in "${busy[@]}"; do
			while read -r l; do
				[[ $l == *"{.op=DRV_IN,"*".state=in_flight,"* ]] &&
					drv=$((drv + 1))
			done <"$f"
		done
		if [ "${ST[pt_inflight]}" = 1 ] && [ "$drv" = 1 ] &&
		   [ "$blk" = 1 ]; then
			log "held: pt_inflight 1, 1 passthrough request started, 1 block read in flight (after $i polls)"
			return
		fi
		sleep 0.1
	done
	fail "reads not held after 10 s: pt_inflight ${ST[pt_inflight]}, passthrough requests started $drv, block reads in flight $blk (want 1, 1, 1)"
}

# Removal under a stall: held I/O fails with EIO, nothing waits for 30 s.
name=$(add_disk --backend mem --size 16M)
"$ZCBLKCTL" set "${name#zcblk}" --stall on >/dev/null || fail "stall on"
pt_read "$name" >/dev/null 2>"$TMP/nvme.out" &
nvme_pid=$!
dd if="/dev/$name" of=/dev/null bs=4k count=1 iflag=direct \
	>"$TMP/dd.out" 2>&1 &
dd_pid=$!
held "$name"
t0=$(now_ms)
del_disk "$name"
t=$(($(now_ms) - t0))
wait $nvme_pid && fail "held passthrough read succeeded"
wait $dd_pid && fail "held block read succeeded"
log "del with held I/O took $t ms; nvme: $(cat "$TMP/nvme.out"); dd: $(cat "$TMP/dd.out")"
[ $t -lt 10000 ] || fail "del took $t ms with I/O held"
# EIO, in nvme-cli 2.3's words (all it prints) and dd's.
[ "$(<"$TMP/nvme.out")" = "passthru: Input/output error" ] ||
	fail "held passthrough read: not EIO: $(<"$TMP/nvme.out")"
grep -qFx "dd: error reading '/dev/$name': Input/output error" "$TMP/dd.out" ||
	fail "held block read: not EIO: $(<"$TMP/dd.out")"
exit $KSFT_PASS
