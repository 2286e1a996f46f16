#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# costs.sh: where the instructions of a 4k random read at QD32 go, per I/O,
# on zcblk's passthrough path (zc-chr, zc-chr-fb: null disk, inline
# completion), on its block path (zc-blk, zc-blk-fb: the same disk) and on
# null_blk's block path (nullb, nullb-fb: irqmode=0).
# Guest side of `make bench-costs`; run under QEMU -icount
# shift=0,sleep=off, where guest time advances one nanosecond per guest
# instruction, so that
#   - an untraced run's IOPS give the instructions per I/O (10^9 / IOPS);
#   - in a run traced with function_graph, the durations are the
#     instructions spent in each traced function, children included, plus
#     the tracer's own cost per traced call (the "tracer" line: the traced
#     run's extra instructions per traced call).
# Each group below is one traced run; its functions do not call each
# other, so that no traced call holds another's tracer cost. Prints a
# Markdown report on stdout. Nothing is asserted.
# COSTS_TARGETS may also name make bench's metadata rows, run by uqd.c
# (fio 3.33 moves no metadata) on 64 MiB mem disks of 512-byte blocks:
# zcp-plain, zcp-md (8 bytes a block, a separate buffer) and zcp-pi (the
# same with PI type 1, every check), reads, or writes with -w (zcp-md-w). Each disk is written whole first, so that
# no measured run allocates store pages.
# And the backends with data: zcm-blk and zcm-chr (a 256 MiB mem disk,
# written whole first), brd (/dev/ram0, the same) and nullbm (null_blk
# memory_backed=1, the same; loaded in place of the irqmode=0 null_blk,
# so not with nullb or nullb-fb in one run).
# And the write cache's: zcw-chr and zcw-blk (a 256 MiB mem disk with a
# 64 MiB write cache, written whole first; with COSTS_RW=randwrite, make
# bench's wcache rows against zcm-chr and zcm-blk).
# And the file backend's: zfl-chr and zfl-blk (a file disk on /dev/ram1,
# 256 MiB, written whole first) against loop (loop --direct-io=on on the
# same device), as make bench's rows.
# COSTS_RW, COSTS_BS and COSTS_QD replace fio's randread, 4k and 32 (make
# bench's 128k row: read, 128k, 8); COSTS_FSYNC=N has fio fsync every N
# writes (make bench's fsync32 rows: 32 with COSTS_QD=1; at a larger
# depth fio 3.33 syncs far more often, workloads.fio says why), and the
# per I/O counts then hold a 1/N share of each fsync.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${ZCBLK_BUILD:-build}
ctl=$build/userlib/zcblkctl
mod=${ZCBLK_MODULE:-$build/kmod/$(uname -r)/kernel/zcblk.ko}
ios=${COSTS_IOS:-100000}		# untraced runs
tios=${COSTS_TRACED_IOS:-4000}	# traced runs (trace buffer)
targets=${COSTS_TARGETS:-"zc-chr-fb nullb-fb zc-chr nullb"}
rw=${COSTS_RW:-randread} bs=${COSTS_BS:-4k} qd=${COSTS_QD:-32}
fsync=${COSTS_FSYNC:-}
# name:functions (comma-separated). Absent functions (inlined, renamed in
# another kernel) are left out of the table and listed under it.
# COSTS_GROUPS (the same entries, space-separated) replaces them.
groups=(
	"phases:io_submit_sqes,io_uring_cmd_work,io_req_task_complete"
	"io_uring:io_issue_sqe,__io_submit_flush_completions"
	"block:zcblk_pt_prepare,blk_execute_rq_nowait,blk_mq_flush_plug_list,zcblk_unmap,__blkdev_direct_IO_async"
	"leaves:io_req_complete_post,__io_req_task_work_add,blk_mq_alloc_request,blk_mq_free_request,bio_alloc_bioset,__io_alloc_req_refill"
)
# shellcheck disable=SC2206 # COSTS_GROUPS: words
[ -z "${COSTS_GROUPS:-}" ] || groups=($COSTS_GROUPS)
T=/sys/kernel/tracing
tmp=$(mktemp -d)
trap 'echo 0 >$T/tracing_on 2>/dev/null; echo nop >$T/current_tracer 2>/dev/null; rm -rf "$tmp"' EXIT

. "$here/common.sh"

zn=$(null_pair "$mod")
zm='' zfl='' loopdev=''
case " $targets " in
*" zcm-"*|*" zcw-"*|*" brd "*|*" zfl-"*|*" loop "*)
	modprobe brd rd_nr=2 rd_size=$((256 * 1024)) ;;
esac
case " $targets " in
*" zcm-"*|*" brd "*)
	zm=$(zcblk_add --backend mem --size 256M)
	noscheduler "$zm" >/dev/null
	for d in "/dev/$zm" /dev/ram0; do
		dd if=/dev/zero of="$d" bs=1M count=256 oflag=direct status=none
	done ;;
esac
zw=''
case " $targets " in
*" zcw-"*)
	zw=$(zcblk_add --backend mem --size 256M --write-cache 64M)
	noscheduler "$zw" >/dev/null
	dd if=/dev/zero of="/dev/$zw" bs=1M count=256 oflag=direct status=none
	# Its steady state: the cache full of 4k writes, its pages spares
	fio --name=warm --filename="/dev/${zw}c" --ioengine=io_uring_cmd \
		--cmd_type=nvme --size=256M --rw=randwrite --bs=4k \
		--iodepth=32 --number_ios=40000 >/dev/null ;;
esac
case " $targets " in
*" zfl-"*|*" loop "*)
	dd if=/dev/zero of=/dev/ram1 bs=1M count=256 oflag=direct status=none
	zfl=$(zcblk_add --backend file --path /dev/ram1)
	noscheduler "$zfl" >/dev/null
	modprobe loop 2>/dev/null || true
	loopdev=$(losetup --direct-io=on --show -f /dev/ram1)
	noscheduler "${loopdev#/dev/}" >/dev/null ;;
esac
case " $targets " in
*" nullbm "*)
	nullb_load_mem 256 >/dev/null
	dd if=/dev/zero of=/dev/nullb0 bs=1M count=256 oflag=direct status=none ;;
esac
zp='' zmd='' zpi=''
case " $targets " in
*" zcp-"*)
	# a char-device-only disk's name is its char device's
	zp=$(zcblk_add --backend mem --size 64M) zp=${zp%c}
	zmd=$(zcblk_add --backend mem --size 64M --metadata-size 8) zmd=${zmd%c}
	zpi=$(zcblk_add --backend mem --size 64M --metadata-size 8 --pi-type 1)
	zpi=${zpi%c}
	# What udev loads at boot on a CPU with PCLMULQDQ, as bench.sh
	modprobe crct10dif-pclmul 2>/dev/null || true
	uqd_fill "plain:$zp" "md:$zmd" "pi:$zpi" ;;
esac

fio_opts() {
	case $1 in
	zc-chr) echo "--filename=/dev/${zn}c --ioengine=io_uring_cmd --cmd_type=nvme --size=1G" ;;
	zc-chr-fb) echo "--filename=/dev/${zn}c --ioengine=io_uring_cmd --cmd_type=nvme --fixedbufs=1 --size=1G" ;;
	zc-blk) echo "--filename=/dev/${zn} --ioengine=io_uring --direct=1 --size=1G" ;;
	zc-blk-fb) echo "--filename=/dev/${zn} --ioengine=io_uring --direct=1 --fixedbufs=1 --size=1G" ;;
	nullb) echo "--filename=/dev/nullb0 --ioengine=io_uring --direct=1 --size=1G" ;;
	nullb-fb) echo "--filename=/dev/nullb0 --ioengine=io_uring --direct=1 --fixedbufs=1 --size=1G" ;;
	zcm-chr) echo "--filename=/dev/${zm}c --ioengine=io_uring_cmd --cmd_type=nvme --size=256M" ;;
	zcm-blk) echo "--filename=/dev/$zm --ioengine=io_uring --direct=1 --size=256M" ;;
	zcw-chr) echo "--filename=/dev/${zw}c --ioengine=io_uring_cmd --cmd_type=nvme --size=256M" ;;
	zcw-blk) echo "--filename=/dev/$zw --ioengine=io_uring --direct=1 --size=256M" ;;
	brd) echo "--filename=/dev/ram0 --ioengine=io_uring --direct=1 --size=256M" ;;
	nullbm) echo "--filename=/dev/nullb0 --ioengine=io_uring --direct=1 --size=256M" ;;
	zfl-chr) echo "--filename=/dev/${zfl}c --ioengine=io_uring_cmd --cmd_type=nvme --size=256M" ;;
	zfl-blk) echo "--filename=/dev/$zfl --ioengine=io_uring --direct=1 --size=256M" ;;
	loop) echo "--filename=$loopdev --ioengine=io_uring --direct=1 --size=256M" ;;
	esac
}

# run TARGET NIOS OUT.json: the 4k random read QD32 of make bench (or
# COSTS_RW, _BS, _QD's).
run() {
	local m=${1#zcp-} dir=read
	case $1 in
	zcp-*)
		[ "${m%-w}" = "$m" ] || dir="write"
		m=${m%-w}
		local -A disk=([plain]=$zp [md]=$zmd [pi]=$zpi)
		"$build/bench/uqd" "$dir" "$m" "/dev/${disk[$m]}c" \
			$((64 << 20)) "$2" >"$3"
		return ;;
	esac
	# shellcheck disable=SC2046 # fio_opts: words
	fio --name=costs $(fio_opts "$1") --rw="$rw" --bs="$bs" \
		--iodepth="$qd" ${fsync:+--fsync="$fsync"} \
		--number_ios="$2" --randrepeat=1 --numjobs=1 \
		--output-format=json --output="$3" >/dev/null
}

trace_setup() {	# FUNCTIONS (comma-separated) -> the ones that exist
	local f ok=()
	echo 0 >$T/tracing_on
	echo nop >$T/current_tracer
	: >$T/set_ftrace_filter
	for f in ${1//,/ }; do
		if grep -qx "$f" "$tmp/avail"; then
			echo "$f" >>$T/set_ftrace_filter
			ok+=("$f")
		fi
	done
	echo 0 >$T/max_graph_depth
	echo 32768 >$T/buffer_size_kb
	echo function_graph >$T/current_tracer
	echo funcgraph-tail >$T/trace_options
	echo nofuncgraph-irqs >$T/trace_options
	echo noirq-info >$T/trace_options
	: >$T/trace
	echo "${ok[*]}"
}

# Only the symbol names; modules' are suffixed " [zcblk]".
sed 's/ .*//' $T/available_filter_functions | sort -u >"$tmp/avail"
echo 0 >$T/tracing_on

for t in $targets; do
	run "$t" "$ios" "$tmp/$t.base.json"
	for g in "${groups[@]}"; do
		name=${g%%:*}
		fns=$(trace_setup "${g#*:}")
		echo "$fns" >"$tmp/$name.fns"
		echo "${g#*:}" | tr , ' ' >"$tmp/$name.want"
		# An empty filter would trace every function.
		[ -n "$fns" ] || continue
		echo 1 >$T/tracing_on
		run "$t" "$tios" "$tmp/$t.$name.json"
		echo 0 >$T/tracing_on
		cp $T/trace "$tmp/$t.$name.trace"
		grep -h overrun $T/per_cpu/cpu*/stats >"$tmp/$t.$name.overrun"
		# Hooks cost even with tracing off: none in the untraced runs.
		echo nop >$T/current_tracer
	done
done
echo nop >$T/current_tracer

python3 "$here/costs.py" --dir "$tmp" --kernel "$(uname -r)" \
	--workload "$rw $bs QD$qd${fsync:+ fsync=$fsync}" \
	--targets "$targets" --groups "$(printf '%s\n' "${groups[@]%%:*}" | paste -sd ' ')"

"$ctl" del "${zn#zcblk}"
[ -z "$loopdev" ] || losetup -d "$loopdev"
for d in $zp $zmd $zpi $zm $zw $zfl; do "$ctl" del "${d#zcblk}"; done
nullb_unload
modprobe -r brd 2>/dev/null || true
