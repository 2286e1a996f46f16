#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# selftrace.sh: the call tree of every 4k random read at QD32 (300, after
# 2 000 untraced) under ftrace's function_graph, for zc-chr-fb (from
# zcblk_pt_uring_cmd), zc-blk (zcblk_queue_rq) and nullb (null_queue_rq,
# irqmode=0), each section headed "=== NAME". Guest side; run under QEMU
# -icount shift=0,sleep=off and give the output to selftrace.py, which
# estimates the instructions each driver function spends itself
# (Documentation/performance.rst). Nothing is asserted.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${ZCBLK_BUILD:-build}
ctl=$build/userlib/zcblkctl
mod=${ZCBLK_MODULE:-$build/kmod/$(uname -r)/kernel/zcblk.ko}
T=/sys/kernel/tracing

. "$here/common.sh"

zn=$(null_pair "$mod")

# section NAME FUNCTION FIO-ARGS...
section() {
	local name=$1 func=$2
	shift 2
	fio --name=warm "$@" --rw=randread --bs=4k --iodepth=32 --size=1G \
		--number_ios=2000 >/dev/null
	echo 0 >$T/tracing_on
	echo function_graph >$T/current_tracer
	: >$T/trace
	echo "$func" >$T/set_graph_function
	echo 1 >$T/options/funcgraph-proc
	echo 1 >$T/tracing_on
	fio --name=traced "$@" --rw=randread --bs=4k --iodepth=32 --size=1G \
		--number_ios=300 >/dev/null
	echo 0 >$T/tracing_on
	echo "=== $name"
	grep -v '^#' $T/trace | grep 'fio-'
	echo nop >$T/current_tracer
	: >$T/set_graph_function
}

section zc-chr-fb zcblk_pt_uring_cmd --filename="/dev/${zn}c" \
	--ioengine=io_uring_cmd --cmd_type=nvme --fixedbufs=1
section zc-blk zcblk_queue_rq --filename="/dev/$zn" --ioengine=io_uring --direct=1
section nullb null_queue_rq --filename=/dev/nullb0 --ioengine=io_uring --direct=1
"$ctl" del "${zn#zcblk}" >/dev/null
