#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Latency and errors on demand: timer completion and added latency delay
# each QD1 read by at least what was asked (lower bound only); every 10th
# read fails with the chosen status (exactly 0x281 on the char device:
# zcblk completes an injected command with the status as set, adding no
# DNR bit; ENODATA on the block device) while writes go through; clearing
# restores clean I/O.
. "$(dirname "$0")/lib.sh"
need fio nvme python3

# min_lat_us FIO-ARGS...: the smallest total latency of a QD1 job. Not
# clat: fio's io_uring engines stamp the issue time after io_uring_enter()
# returns, so clat misses whatever part of the delay the submission took.
min_lat_us() {
	fio --name=lat --rw=randread --bs=4k --iodepth=1 --number_ios=20 \
		--size=8M --output-format=json "$@" | python3 -c '
import json, sys
j = json.load(sys.stdin)["jobs"][0]
if j["error"]:
    sys.exit(1)
print(int(j["read"]["lat_ns"]["min"] // 1000))'
}

name=$(add_disk --backend null --size 1G --completion timer \
	--completion-ns 2000000)
us=$(min_lat_us --filename="/dev/$name" --ioengine=io_uring --direct=1) ||
	fail "fio on the block device"
log "timer 2 ms, block device: min lat ${us} us"
[ "$us" -ge 2000 ] || fail "completion after $us us, timer is 2 ms"
us=$(min_lat_us --filename="/dev/${name}c" --ioengine=io_uring_cmd \
	--cmd_type=nvme) || fail "fio on the char device"
log "timer 2 ms, char device: min lat ${us} us"
[ "$us" -ge 2000 ] || fail "completion after $us us, timer is 2 ms"

name=$(add_disk --backend mem --size 16M)
idx=${name#zcblk}
dd if=/dev/urandom of="/dev/$name" bs=1M count=16 oflag=direct status=none
"$ZCBLKCTL" set "$idx" --latency-ns 3000000 >/dev/null || fail "set latency"
us=$(min_lat_us --filename="/dev/${name}c" --ioengine=io_uring_cmd \
	--cmd_type=nvme) || fail "fio with added latency"
log "added 3 ms: min lat ${us} us"
[ "$us" -ge 3000 ] || fail "completion after $us us, latency is 3 ms"
"$ZCBLKCTL" set "$idx" --latency-ns 0 >/dev/null || fail "clear latency"

"$ZCBLKCTL" set "$idx" --fail-every 10 --fail-status 0x281 \
	--fail-ops reads >/dev/null || fail "set fail-every"
failed=()
for i in $(seq 1 30); do
	# Writes do not count: only reads match.
	if [ $((i % 7)) = 0 ]; then
		nvme write "/dev/${name}c" -s 8 -c 7 -z 4096 -d /dev/zero \
			>/dev/null 2>&1 || fail "write $i failed (only reads may)"
	fi
	out=$(nvme read "/dev/${name}c" -s $((i * 8)) -c 7 -z 4096 \
		-d "$TMP/r" 2>&1) && continue
	# nvme-cli prints the status whole, DNR included: "(0x281)".
	case $out in
	*"(0x281)"*) failed+=("$i") ;;
	*) fail "read $i failed otherwise: $out" ;;
	esac
done
[ "${failed[*]}" = "10 20 30" ] ||
	fail "char device: reads that failed: ${failed[*]}, want 10 20 30"

"$ZCBLKCTL" set "$idx" --fail-every 10 --fail-status 0x281 \
	--fail-ops reads >/dev/null || fail "set fail-every again"
failed=()
for i in $(seq 1 30); do
	out=$(dd if="/dev/$name" of=/dev/null bs=4k count=1 skip="$i" \
		iflag=direct 2>&1) && continue
	case $out in
	*"No data available"*) failed+=("$i") ;;
	*) fail "block read $i failed otherwise: $out" ;;
	esac
done
[ "${failed[*]}" = "10 20 30" ] ||
	fail "block device: reads that failed: ${failed[*]}, want 10 20 30"

"$ZCBLKCTL" set "$idx" --fail-every 0 >/dev/null || fail "clear injection"
for i in $(seq 1 30); do
	nvme read "/dev/${name}c" -s $((i * 8)) -c 7 -z 4096 -d "$TMP/r" \
		>/dev/null 2>&1 || fail "read $i failed after clearing"
done
run_fio clean --filename="/dev/$name" --ioengine=io_uring --direct=1 \
	--rw=randread --bs=4k --iodepth=8 --number_ios=500
exit $KSFT_PASS
