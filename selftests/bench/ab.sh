#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ab.sh: the same kernel, two or more builds of the module, the same fio
# jobs; guest side of `make bench-ab` (run.sh --ab). Under QEMU -icount
# shift=0,sleep=off a run's IOPS give its instructions per I/O (10^9 /
# IOPS), so that one VM compares builds exactly, one after the other.
#   ab.sh NAME=MODULE.ko ...
# Prints a Markdown table: instructions per I/O of each row for each
# build, and each build's ratio to the first. Rows: 4k random read at QD32
# on a null disk's char device (plain, registered buffers, IOPOLL), 4k
# random write there, the same read on a mem disk's char device (written
# once before) and on the null disk's block device; AB_ROWS picks some,
# or others: zc-blk-fb, zc-blk-hipri (registered buffers, polled),
# zcm-blk (the mem disk's block device), and null_blk's nullb, nullb-fb
# and nullb-hipri, the same for every build (a reference for ratios, and
# a check that the clock is deterministic). AB_IOS I/Os each (default
# 100000). Nothing is asserted.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${ZCBLK_BUILD:-build}
ctl=$build/userlib/zcblkctl
ios=${AB_IOS:-100000}	# fio --number_ios with --io_size to match
rows=${AB_ROWS:-"zc-chr zc-chr-fb zc-chr-hipri zc-chr-w zcm-chr zc-blk"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$here/common.sh"

[ $# -ge 1 ] || { echo "usage: ab.sh NAME=MODULE.ko ..." >&2; exit 2; }

# job ROW: fio's options for ROW.
job() {
	local chr=(--filename="/dev/${zn}c" --ioengine=io_uring_cmd --cmd_type=nvme)
	case $1 in
	zc-chr) echo "${chr[@]}" --rw=randread ;;
	zc-chr-fb) echo "${chr[@]}" --rw=randread --fixedbufs=1 ;;
	zc-chr-hipri) echo "${chr[@]}" --rw=randread --hipri=1 ;;
	zc-chr-w) echo "${chr[@]}" --rw=randwrite ;;
	zcm-chr) echo --filename="/dev/${zm}c" --ioengine=io_uring_cmd \
		--cmd_type=nvme --rw=randread ;;
	zc-blk) echo --filename="/dev/$zn" --ioengine=io_uring --direct=1 \
		--rw=randread ;;
	zc-blk-fb) echo "$(job zc-blk)" --fixedbufs=1 ;;
	zc-blk-hipri) echo "$(job zc-blk)" --hipri=1 ;;
	zcm-blk) echo --filename="/dev/$zm" --ioengine=io_uring --direct=1 \
		--rw=randread ;;
	nullb) echo --filename=/dev/nullb0 --ioengine=io_uring --direct=1 \
		--rw=randread ;;
	nullb-fb) echo "$(job nullb)" --fixedbufs=1 ;;
	nullb-hipri) echo "$(job nullb)" --hipri=1 ;;
	esac
}

declare -A ipio
names=()
for arg in "$@"; do
	name=${arg%%=*} mod=${arg#*=}
	names+=("$name")
	[ ! -d /sys/module/zcblk ] || rmmod zcblk
	insmod "$mod"
	zn=$(zcblk_add --backend null --size 1G)
	zm=$(zcblk_add --backend mem --size 64M)
	noscheduler "$zn" >/dev/null
	noscheduler "$zm" >/dev/null
	case " $rows " in *" nullb"*) nullb_load 0 >/dev/null ;; esac
	# Reads of the mem disk copy real pages, not the zeroes of a hole.
	fio --name=fill --filename="/dev/$zm" --ioengine=io_uring --direct=1 \
		--rw=write --bs=512k --size=64M >/dev/null
	for r in $rows; do
		# shellcheck disable=SC2046 # job: words
		fio --name=ab $(job "$r") --size=64M --io_size=$((ios * 4096)) \
			--bs=4k --iodepth=32 \
			--number_ios="$ios" --randrepeat=1 --numjobs=1 \
			--output-format=json --output="$tmp/$name.$r.json" >/dev/null
		ipio[$name.$r]=$(python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
iops = j["read"]["iops"] + j["write"]["iops"]
print(round(1e9 / iops))' "$tmp/$name.$r.json")
	done
	"$ctl" del "${zn#zcblk}"
	"$ctl" del "${zm#zcblk}"
	rmmod zcblk
	nullb_unload
done

printf '\n%s, instructions per 4k I/O at QD32 (%s I/Os; -w: writes)\n\n' \
	"$(uname -r)" "$ios"
printf '| row |'; printf ' %s |' "${names[@]}"
for n in "${names[@]:1}"; do printf ' %s / %s |' "$n" "${names[0]}"; done
echo
printf '|---|'; for _ in "${names[@]}" "${names[@]:1}"; do printf -- '---:|'; done
echo
for r in $rows; do
	printf '| %s |' "$r"
	for n in "${names[@]}"; do printf ' %s |' "${ipio[$n.$r]}"; done
	for n in "${names[@]:1}"; do
		awk -v a="${ipio[$n.$r]}" -v b="${ipio[${names[0]}.$r]}" \
			'BEGIN { printf " %.3f |", a / b }'
	done
	echo
done
