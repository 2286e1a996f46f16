#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench-quick`, inside the VM: 4k random read at QD32 on a null disk
# through (a) zcblk's char device with fio io_uring_cmd, (b) the same with
# registered buffers, (c) zcblk's block device with fio io_uring, and (d)
# null_blk /dev/nullb0 (irqmode=0, completing in queue_rq as zcblk's null
# backend does) with fio io_uring: IOPS, and each one's ratio to (d).
# Nothing is asserted: numbers depend on the machine.
set -eu
build=${ZCBLK_BUILD:-build}
ctl=$build/userlib/zcblkctl
mod=${ZCBLK_MODULE:-$build/kmod/$(uname -r)/kernel/zcblk.ko}
runtime=${BENCH_RUNTIME:-8}
out=$(mktemp -d)

[ -d /sys/module/zcblk ] || insmod "$mod"
modprobe configfs 2>/dev/null || true
modprobe null_blk queue_mode=2 irqmode=0 nr_devices=1 gb=1 \
	submit_queues=1 hw_queue_depth=128
name=$("$ctl" add --backend null --size 1G --queues 1 --depth 128)
for _ in $(seq 50); do [ -c "/dev/${name}c" ] && break; sleep 0.1; done

# job NAME FILE ENGINE [fio args...]
job() {
	local n=$1 f=$2 e=$3
	shift 3
	fio --name="$n" --filename="$f" --ioengine="$e" --rw=randread \
		--bs=4k --iodepth=32 --time_based --runtime="$runtime" \
		--ramp_time=1 --size=1G --output-format=json "$@" \
		>"$out/$n.json"
}
job a "/dev/${name}c" io_uring_cmd --cmd_type=nvme
job b "/dev/${name}c" io_uring_cmd --cmd_type=nvme --fixedbufs=1
job c "/dev/$name" io_uring --direct=1
job d /dev/nullb0 io_uring --direct=1

"$ctl" del "${name#zcblk}"
rmmod null_blk

python3 - "$out" "$(uname -r)" <<'PY'
import json, sys
d, rel = sys.argv[1], sys.argv[2]
rows = [("a", "zcblk char dev, io_uring_cmd"),
        ("b", "zcblk char dev, io_uring_cmd fixedbufs=1"),
        ("c", "zcblk block dev, io_uring direct=1"),
        ("d", "null_blk /dev/nullb0, io_uring direct=1 (reference)")]
iops = {k: json.load(open(f"{d}/{k}.json"))["jobs"][0]["read"]["iops"]
        for k, _ in rows}
print(f"4k random read QD32, null backend, Linux {rel}, TCG")
print()
print("| path | IOPS | ratio to (d) |")
print("|---|---:|---:|")
for k, what in rows:
    print(f"| ({k}) {what} | {iops[k]:.0f} | {iops[k] / iops['d']:.2f} |")
PY
rm -rf "$out"
