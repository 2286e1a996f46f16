#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scaling.sh: make bench-scaling's guest side (run.sh --scaling boots a
# two-vCPU VM, wall clock, and runs it).
#
# Two fio jobs, one per CPU, on a disk of two hardware queues (each CPU
# maps to its own), against one job on one CPU of the same disk: 4k
# random reads at QD32 each, BENCH_RUNTIME s (default 5) after 1 s of
# warm-up, SCALE_REPS rounds (default 5) going round every row so that
# noise spreads over all. Rows: zcblk's null disk through its char device
# (io_uring_cmd) and its block device, and null_blk (irqmode 0), each
# with 2 submission queues and no I/O scheduler. Prints a Markdown table:
# median IOPS with one job and with two, the scaling factor (two over
# one) and that factor over null_blk's, each the median of the rounds'.
# Nothing is asserted.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${ZCBLK_BUILD:-build}
ctl=$build/userlib/zcblkctl
mod=${ZCBLK_MODULE:-$build/kmod/$(uname -r)/kernel/zcblk.ko}
reps=${SCALE_REPS:-5} runtime=${BENCH_RUNTIME:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$here/common.sh"

[ "$(nproc)" -ge 2 ] || { echo "scaling.sh: needs 2 CPUs, has $(nproc)" >&2; exit 1; }
[ -d /sys/module/zcblk ] || insmod "$mod"
modprobe -r null_blk 2>/dev/null || true
modprobe null_blk queue_mode=2 irqmode=0 nr_devices=1 gb=1 bs=512 \
	submit_queues=2 hw_queue_depth=128 max_sectors=1024
noscheduler nullb0 >/dev/null
zn=$("$ctl" add --backend null --size 1G --nr-queues 2 --queue-depth 128)
for _ in $(seq 100); do [ -c "/dev/${zn}c" ] && [ -b "/dev/$zn" ] && break; sleep 0.1; done
noscheduler "$zn" >/dev/null

# opts ROW: fio's options for ROW, a word a line
opts() {
	case $1 in
	zc-chr) printf '%s\n' --filename="/dev/${zn}c" --ioengine=io_uring_cmd --cmd_type=nvme ;;
	zc-blk) printf '%s\n' --filename="/dev/$zn" --ioengine=io_uring --direct=1 ;;
	nullb)  printf '%s\n' --filename=/dev/nullb0 --ioengine=io_uring --direct=1 ;;
	esac
}

# iops ROW JOBS: one timed run's IOPS, all jobs together
iops() {
	local o f=$tmp/$1.$2.json
	mapfile -t o < <(opts "$1")
	if [ "$2" = 1 ]; then o+=(--numjobs=1 --cpus_allowed=0)
	else o+=(--numjobs=2 "--cpus_allowed=0,1" --cpus_allowed_policy=split); fi
	fio --name=scale "${o[@]}" --size=1G --rw=randread --bs=4k --iodepth=32 \
		--time_based --runtime="$runtime" --ramp_time=1 --group_reporting \
		--randrepeat=0 --output-format=json --output="$f" >"$tmp/err" 2>&1 ||
		{ echo "scaling.sh: fio $1 x$2 failed:" >&2; cat "$tmp/err" "$f" >&2; exit 1; }
	python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["jobs"][0]["read"]["iops"]))' "$f"
}

rows="zc-chr zc-blk nullb"
for rep in $(seq "$reps"); do
	for r in $rows; do
		for j in 1 2; do
			echo "$r $j $(iops "$r" "$j")" >>"$tmp/all"
		done
	done
	echo "scaling.sh: round $rep of $reps" >&2
done

python3 - "$tmp/all" "$(uname -r)" "$reps" "$runtime" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    row, jobs, iops = line.split()
    runs.setdefault((row, int(jobs)), []).append(int(iops))
rows = ("zc-chr", "zc-blk", "nullb")
med = {k: statistics.median(v) for k, v in runs.items()}
# A round's one- and two-job runs are seconds apart: the factor and its
# ratio are taken per round, then their median, so that the host's drift
# between rounds cancels.
factor = {r: [b / a for a, b in zip(runs[(r, 1)], runs[(r, 2)])]
          for r in rows}
print(f"Scaling on {sys.argv[2]}: 2 vCPUs (TCG, wall clock), 4k randread QD32 "
      f"a job, {sys.argv[3]} rounds of {sys.argv[4]} s runs; IOPS are medians, "
      f"factors and ratios medians of each round's\n")
print("| row | 1 job IOPS | 2 jobs IOPS | factor | factor / null_blk's |")
print("|---|---|---|---|---|")
for r in rows:
    ratio = statistics.median(f / n for f, n in zip(factor[r], factor["nullb"]))
    print(f"| {r} | {med[(r, 1)]:.0f} | {med[(r, 2)]:.0f} | "
          f"{statistics.median(factor[r]):.3f} | {ratio:.3f} |")
print("\nEvery run (IOPS, in order):\n")
for (r, jobs), v in sorted(runs.items()):
    print(f"- {r}, {jobs} job(s): {' '.join(map(str, v))}")
EOF
