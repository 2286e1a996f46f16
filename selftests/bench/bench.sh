#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: make bench's guest side (run.sh boots the VM and runs it).
#
#   bench.sh [--clock wall|icount] [--reps N] [--quick]
#
# Runs the workloads of workloads.fio on each target below and prints, for
# each fio run, one line
#   BENCH_JSON <rep> <target> <workload> <base64 of the gzipped fio JSON>
# plus BENCH_META <key> <value> lines (kernel, clocksource, ...), for
# report.py. --clock wall: timed runs (BENCH_RUNTIME s after BENCH_RAMP s
# of warm-up); --clock icount: for QEMU -icount shift=0,sleep=off, a fixed
# number of I/Os per run (BENCH_LOOPS times BENCH_IOS_SMALL for 4k or
# BENCH_IOS_LARGE for 128k; at most a disk's size per loop), whose IOPS
# then count guest instructions per I/O (fio's runtime
# is in ms: keep runs near a guest second or more). Reps go round
# all runs, so that noise spreads over every row. --quick: the 4k random
# read QD32 subset of make bench-quick, one rep.
#
# Targets (one vCPU, one submission queue each, no I/O scheduler):
#   zc-*   zcblk null disk (inline completion; *-sirq: softirq), one poll
#          queue; chr: /dev/zcblkNc + io_uring_cmd, blk: /dev/zcblkN +
#          io_uring direct=1; -fb: fixedbufs=1; -hipri: hipri=1
#   nullb* null_blk /dev/nullb0, irqmode=0 (nullb-sirq: irqmode=1), one
#          poll queue, io_uring direct=1: the null backend's reference
#   zcm-*  zcblk mem disk, 256 MiB, written once before the runs
#   brd    /dev/ram0, 256 MiB, written once: the mem backend's reference
#   nullbm null_blk memory_backed=1 (irqmode=0), 256 MiB of it written
#          once: the blk-mq RAM disk, the mem block path's other reference
#   zfl-*  zcblk file disk on /dev/ram1 (a second 256 MiB brd device),
#          chr or blk as above
#   loop   loop --direct-io=on on /dev/ram1: the file backend's reference
#   zcw-*  zcblk mem disk as zcm-*, with a 64 MiB write cache: zcm-* is
#          its reference (Documentation/durability.rst)
#   zz-*   zcblk null disk, zoned (64 MiB zones; on 6.1 with mq-deadline,
#          which a zoned disk requires there), chr or blk as above
#   nullbz zoned null_blk, 64 MiB zones: the zoned rows' reference
#   zcm-copy, zcm-rw  the mem disk's char device: 1 MiB in 4 ranges copied
#          by Copy (19h), or by a Read and a Write of each (copyb.c)
#   zcf-placed, zcf-plain  a mem disk with FDP (8 handles), 4k random
#          writes QD32 with placement identifiers or without (uqd.c)
#   zcp-plain, zcp-md, zcp-pi  4k random reads and writes QD32 over 64 MiB
#          of the char devices of mem disks of 512-byte blocks: without
#          metadata, with 8 bytes a block in a separate buffer, and with
#          PI type 1 in them, every check on (uqd.c); zcp-plain-fb,
#          zcp-md-fb: the data and the metadata in one registered buffer
#   tcp-zc, tcp-nullb  the zcblk null disk and null_blk served by nvmet
#          over NVMe/TCP on the loopback (Documentation/fabrics.rst), read
#          through this host's nvme-tcp: /dev/nvmeXn1, io_uring direct=1
# BENCH_ONLY=zoned runs the zoned rows alone, BENCH_ONLY=wcache the write
# cache rows and their references, BENCH_ONLY=copy the Copy and FDP rows,
# BENCH_ONLY=md the metadata rows, BENCH_ONLY=fabrics the NVMe/TCP rows,
# BENCH_ONLY=backends the rows of the backends with data and their
# references (zcm-*, brd, nullbm, zfl-*, loop).
# Nothing is asserted: numbers depend on the machine.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${ZCBLK_BUILD:-build}
ctl=$build/userlib/zcblkctl
mod=${ZCBLK_MODULE:-$build/kmod/$(uname -r)/kernel/zcblk.ko}
clock=wall reps=3 quick=0
while [ $# -gt 0 ]; do
	case $1 in
	--clock) clock=${2:?}; shift 2 ;;
	--reps) reps=${2:?}; shift 2 ;;
	--quick) quick=1 reps=1; shift ;;
	*) echo "usage: bench.sh [--clock wall|icount] [--reps N] [--quick]" >&2
	   exit 2 ;;
	esac
done
case $clock in
wall)	runlen=(--time_based "--runtime=${BENCH_RUNTIME:-3}"
		"--ramp_time=${BENCH_RAMP:-1}")
	export BENCH_IOS_SMALL=0 BENCH_IOS_LARGE=0 BENCH_LOOPS=1 ;;
icount)	runlen=()
	export BENCH_IOS_SMALL=${BENCH_IOS_SMALL:-20000}
	export BENCH_IOS_LARGE=${BENCH_IOS_LARGE:-2000}
	export BENCH_LOOPS=${BENCH_LOOPS:-5} ;;
*)	echo "bench.sh: clock wall or icount" >&2; exit 2 ;;
esac
[ "$quick" = 0 ] || runlen=(--time_based "--runtime=${BENCH_RUNTIME:-8}" --ramp_time=1)
tmp=$(mktemp -d)
mibs=256	# mem disk and brd size

. "$here/common.sh"

[ -d /sys/module/zcblk ] || insmod "$mod"
modprobe configfs 2>/dev/null || true
# The NVMe/TCP rows: the kernel's target and host, on the loopback
modprobe nvmet-tcp 2>/dev/null || true
modprobe nvme-tcp 2>/dev/null || true
[ -d /sys/kernel/config/nvmet ] || mount -t configfs none /sys/kernel/config
ip link set lo up
# What udev loads at boot on a CPU with PCLMULQDQ (-cpu max has it): the
# CRC the PI rows pay is then the one a real machine's kernel uses.
modprobe crct10dif-pclmul 2>/dev/null || true
meta crc_t10dif "$(cat /sys/module/crc_t10dif/parameters/transform 2>/dev/null || echo -)"
nullb_load 0
modprobe brd rd_nr=2 rd_size=$((mibs * 1024))
modprobe loop 2>/dev/null || true
zn=$(zcblk_add --backend null --size 1G)
zm=$(zcblk_add --backend mem --size "${mibs}M")
zw=$(zcblk_add --backend mem --size "${mibs}M" --write-cache 64M)
zf=$(zcblk_add --backend mem --size "${mibs}M" --fdp)
zmd=$(zcblk_add --backend mem --size 64M --metadata-size 8)
zpi=$(zcblk_add --backend mem --size 64M --metadata-size 8 --pi-type 1)
zz=$(zcblk_add --backend null --size 1G --zoned --zone-size 64M)
meta "scheduler.$zz" "$(cat "/sys/block/$zz/queue/scheduler")"
noscheduler "$zn"
noscheduler "$zm"
noscheduler "$zw"
noscheduler "$zf"
noscheduler "$zmd"
noscheduler "$zpi"
# Reads of the mem disks copy real pages, not the zeroes of a hole.
for d in "/dev/$zm" "/dev/$zw" "/dev/$zf" /dev/ram0 /dev/ram1; do
	dd if=/dev/zero of="$d" bs=1M count=$mibs oflag=direct status=none
done

meta kernel "$(uname -r)"
meta clock "$clock"
meta fio "$(fio --version)"
meta nproc "$(nproc)"
meta clocksource "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
meta cmdline "$(tr ' ' '\n' </proc/cmdline | grep -v '^zcblkvm\.' | tr '\n' ' ')"

# target NAME -> fio options (as words on stdout, one a line)
target() {
	local t=$1 chr blk
	case $t in
	zz-*)  chr=(--filename="/dev/${zz}c" --ioengine=io_uring_cmd --cmd_type=nvme --size=1G)
	       blk=(--filename="/dev/$zz" --ioengine=io_uring --direct=1 --size=1G) ;;
	zcm-*) chr=(--filename="/dev/${zm}c" --ioengine=io_uring_cmd --cmd_type=nvme "--size=${mibs}M")
	       blk=(--filename="/dev/$zm" --ioengine=io_uring --direct=1 "--size=${mibs}M") ;;
	zcw-*) chr=(--filename="/dev/${zw}c" --ioengine=io_uring_cmd --cmd_type=nvme "--size=${mibs}M")
	       blk=(--filename="/dev/$zw" --ioengine=io_uring --direct=1 "--size=${mibs}M") ;;
	*)     chr=(--filename="/dev/${zn}c" --ioengine=io_uring_cmd --cmd_type=nvme --size=1G)
	       blk=(--filename="/dev/$zn" --ioengine=io_uring --direct=1 --size=1G) ;;
	esac
	case $t in
	zc-chr|zc-chr-sirq|zcm-chr|zz-chr|zcw-chr) printf '%s\n' "${chr[@]}" ;;
	zc-chr-fb|zcm-chr-fb) printf '%s\n' "${chr[@]}" --fixedbufs=1 ;;
	zc-chr-hipri) printf '%s\n' "${chr[@]}" --hipri=1 ;;
	zc-blk|zc-blk-sirq|zcm-blk|zz-blk|zcw-blk) printf '%s\n' "${blk[@]}" ;;
	zc-blk-fb) printf '%s\n' "${blk[@]}" --fixedbufs=1 ;;
	zc-blk-hipri) printf '%s\n' "${blk[@]}" --hipri=1 ;;
	nullb|nullb-sirq) printf '%s\n' --filename=/dev/nullb0 --ioengine=io_uring --direct=1 --size=1G ;;
	nullb-fb) printf '%s\n' --filename=/dev/nullb0 --ioengine=io_uring --direct=1 --size=1G --fixedbufs=1 ;;
	nullb-hipri) printf '%s\n' --filename=/dev/nullb0 --ioengine=io_uring --direct=1 --size=1G --hipri=1 ;;
	nullbz) printf '%s\n' --filename=/dev/nullb0 --ioengine=io_uring --direct=1 --size=1G ;;
	tcp-zc) printf '%s\n' --filename="$tcp_zc" --ioengine=io_uring --direct=1 --size=1G ;;
	tcp-nullb) printf '%s\n' --filename="$tcp_nullb" --ioengine=io_uring --direct=1 --size=1G ;;
	brd) printf '%s\n' --filename=/dev/ram0 --ioengine=io_uring --direct=1 --size=${mibs}M ;;
	nullbm) printf '%s\n' --filename=/dev/nullb0 --ioengine=io_uring --direct=1 --size=${mibs}M ;;
	zfl-chr) printf '%s\n' --filename="/dev/${zfl}c" --ioengine=io_uring_cmd --cmd_type=nvme --size=${mibs}M ;;
	zfl-blk) printf '%s\n' --filename="/dev/$zfl" --ioengine=io_uring --direct=1 --size=${mibs}M ;;
	loop) printf '%s\n' --filename="$loopdev" --ioengine=io_uring --direct=1 --size=${mibs}M ;;
	*) echo "bench.sh: no target $t" >&2; return 1 ;;
	esac
}

# run REP WORKLOAD TARGET...
run() {
	local rep=$1 w=$2 t opts f
	shift 2
	for t in "$@"; do
		mapfile -t opts < <(target "$t")
		f=$tmp/$t.$w.json
		if ! timeout -k 10 "${BENCH_JOB_TIMEOUT:-900}" fio "${opts[@]}" "${runlen[@]}" --output-format=json \
			--output="$f" --section="$w" "$here/workloads.fio" >"$tmp/err" 2>&1; then
			echo "bench.sh: fio $t $w failed:" >&2
			cat "$tmp/err" "$f" >&2
			return 1
		fi
		printf 'BENCH_JSON %s %s %s %s\n' "$rep" "$t" "$w" "$(gzip -9c "$f" | base64 -w0)"
	done
}

small='randread-4k-qd1 randread-4k-qd32 randwrite-4k-qd32'
large='read-128k-qd8 write-128k-qd8'
# zreset REP ROW chr|blk DEVICE: the zone reset rate (zreset.c) as ROW's
# "zone-reset" workload, 16 zones of 64 MiB reset in turn.
zreset() {
	local f=$tmp/$2.zone-reset.json
	"$build/bench/zreset" "$3" "$4" $((64 << 20)) 16 \
		"${BENCH_RESETS:-2000}" >"$f" 2>"$tmp/err" ||
		{ echo "bench.sh: zreset $2 failed:" >&2; cat "$tmp/err" >&2; return 1; }
	printf 'BENCH_JSON %s %s zone-reset %s\n' "$1" "$2" "$(gzip -9c "$f" | base64 -w0)"
}

# copies REP: Copy (19h) on the mem disk against the host's Read and
# Write of the same ranges (copyb.c), 1 MiB in 4 ranges each time.
copies() {
	local m f
	for m in copy rw; do
		f=$tmp/zcm-$m.copy-1m-4r.json
		"$build/bench/copyb" "$m" "/dev/${zm}c" "${BENCH_COPIES:-300}" \
			>"$f" 2>"$tmp/err" ||
			{ echo "bench.sh: copyb $m failed:" >&2; cat "$tmp/err" >&2; return 1; }
		printf 'BENCH_JSON %s zcm-%s copy-1m-4r %s\n' "$1" "$m" "$(gzip -9c "$f" | base64 -w0)"
	done
}

# tcp_connect NQN: nvme connect over TCP to 127.0.0.1:4420; prints the
# namespace's block device once it is there.
tcp_connect() {
	local c
	nvme connect -t tcp -a 127.0.0.1 -s 4420 -n "$1" >/dev/null || return 1
	for _ in $(seq 100); do
		for c in /sys/class/nvme/nvme*; do
			if [ "$(cat "$c/subsysnqn" 2>/dev/null)" = "$1" ] &&
				[ -b "/dev/${c##*/}n1" ]; then
				echo "/dev/${c##*/}n1"
				return 0
			fi
		done
		sleep 0.1
	done
	return 1
}

# fabrics REP: the null disk against null_blk, each served by nvmet over
# NVMe/TCP on the loopback (zcblkctl export; null_blk's subsystem made by
# hand on the same port) and read by this host's nvme-tcp.
fabrics() {
	local nvmet=/sys/kernel/config/nvmet nqz nqn=nqn.2026-12.local.bench:nullb0
	local s port ret=0
	nqz=nqn.2026-12.local.zcblk:$zn
	s=$nvmet/subsystems/$nqn
	"$ctl" export "${zn#zcblk}" >/dev/null || return 1
	port=$(ls "$nvmet/ports")
	mkdir "$s" "$s/namespaces/1"
	echo 1 >"$s/attr_allow_any_host"
	echo /dev/nullb0 >"$s/namespaces/1/device_path"
	echo 1 >"$s/namespaces/1/enable"
	ln -s "$s" "$nvmet/ports/$port/subsystems/$nqn"
	tcp_zc=$(tcp_connect "$nqz") && tcp_nullb=$(tcp_connect "$nqn") &&
		run "$1" randread-4k-qd32 tcp-zc tcp-nullb || ret=1
	nvme disconnect -n "$nqz" >/dev/null
	nvme disconnect -n "$nqn" >/dev/null
	rm "$nvmet/ports/$port/subsystems/$nqn"
	echo 0 >"$s/namespaces/1/enable"
	rmdir "$s/namespaces/1" "$s"
	"$ctl" unexport "${zn#zcblk}" >/dev/null || ret=1
	return $ret
}

# uqd REP ROW WORKLOAD DIR MODE CHR BYTES N: uqd.c's 4k random I/O QD32.
uqd() {
	local f=$tmp/$2.$3.json
	"$build/bench/uqd" "$4" "$5" "$6" "$7" "$8" >"$f" 2>"$tmp/err" ||
		{ echo "bench.sh: uqd $4 $5 $6 failed:" >&2; cat "$tmp/err" >&2; return 1; }
	printf 'BENCH_JSON %s %s %s %s\n' "$1" "$2" "$3" "$(gzip -9c "$f" | base64 -w0)"
}

# placement REP: 4k random writes QD32 on the FDP disk with placement
# identifiers 0 to 7 in turn against none (fio 3.33 has no FDP).
placement() {
	local m
	for m in placed plain; do
		uqd "$1" "zcf-$m" randwrite-4k-qd32-fdp write "$m" "/dev/${zf}c" \
			$((mibs << 20)) "${BENCH_FDP_IOS:-100000}" || return 1
	done
}

# metadata REP: 4k random reads and writes QD32 over 64 MiB without
# metadata, with a separate metadata buffer, and with PI type 1 checked
# (fio 3.33's io_uring_cmd engine moves no metadata). The metadata disks
# are written whole first, as the plain one was (dd above): a write that
# allocates store pages would cost them alone.
metadata() {
	local d m row dev n=${BENCH_MD_IOS:-50000}
	[ "$1" != 1 ] || uqd_fill "md:$zmd" "pi:$zpi" || return 1
	for d in write read; do
		for row in zcp-plain:plain:$zm zcp-md:md:$zmd zcp-pi:pi:$zpi \
			zcp-plain-fb:plain-fb:$zm zcp-md-fb:md-fb:$zmd; do
			IFS=: read -r row m dev <<<"$row"
			# a char-device-only disk's name is its char device's
			uqd "$1" "$row" "rand$d-4k-qd32-md" "$d" "$m" "/dev/${dev%c}c" \
				$((64 << 20)) "$n" || return 1
		done
	done
}

# backends REP: the mem disk against brd and null_blk memory_backed=1;
# the file backend on /dev/ram1 against loop --direct-io=on on it. One of
# the two file-backed devices at a time, each with the device to itself.
backends() {
	local w ret=0
	for w in $small $large; do
		run "$1" "$w" zcm-chr zcm-chr-fb zcm-blk brd || return 1
	done
	nullb_load_mem $mibs
	dd if=/dev/zero of=/dev/nullb0 bs=1M count=$mibs oflag=direct status=none
	for w in $small $large; do
		run "$1" "$w" nullbm || ret=1
	done
	nullb_load 0
	[ $ret = 0 ] || return 1
	zfl=$(zcblk_add --backend file --path /dev/ram1)
	noscheduler "$zfl"
	for w in randread-4k-qd32 randwrite-4k-qd32 read-128k-qd8; do
		run "$1" "$w" zfl-chr zfl-blk || ret=1
	done
	"$ctl" del "${zfl#zcblk}"
	[ $ret = 0 ] || return 1
	loopdev=$(losetup --direct-io=on --show -f /dev/ram1)
	meta loop.dio "$(cat "/sys/block/${loopdev#/dev/}/loop/dio")"
	noscheduler "${loopdev#/dev/}"
	for w in randread-4k-qd32 randwrite-4k-qd32 read-128k-qd8; do
		run "$1" "$w" loop || ret=1
	done
	losetup -d "$loopdev"
	return $ret
}

# zoned REP: the zoned rows, zoned null_blk as their reference.
zoned() {
	nullb_load_zoned
	run "$1" zwrite-4k-qd32 zz-chr zz-blk nullbz
	zreset "$1" zz-chr chr "/dev/${zz}c"
	zreset "$1" zz-blk blk "/dev/$zz"
	zreset "$1" nullbz blk /dev/nullb0
	nullb_load 0
}

# wcache REP: cached writes against the same disk without a cache; the
# fsync32 rows flush (fio cannot flush through io_uring_cmd: block device).
wcache() {
	run "$1" randwrite-4k-qd32 zcw-chr zcw-blk zcm-chr zcm-blk
	run "$1" randwrite-4k-qd1-fsync32 zcw-blk zcm-blk
}

for rep in $(seq "$reps"); do
	if [ "${BENCH_ONLY:-}" = zoned ]; then
		zoned "$rep"
		continue
	fi
	if [ "${BENCH_ONLY:-}" = wcache ]; then
		wcache "$rep"
		continue
	fi
	if [ "${BENCH_ONLY:-}" = copy ]; then
		copies "$rep"
		placement "$rep"
		continue
	fi
	if [ "${BENCH_ONLY:-}" = md ]; then
		metadata "$rep"
		continue
	fi
	if [ "${BENCH_ONLY:-}" = backends ]; then
		backends "$rep"
		continue
	fi
	if [ "${BENCH_ONLY:-}" = fabrics ]; then
		fabrics "$rep"
		continue
	fi
	if [ "$quick" = 1 ]; then
		run "$rep" randread-4k-qd32 zc-chr zc-chr-fb zc-blk nullb
		break
	fi
	# Inline completion: in queue_rq for null_blk irqmode=0 and zcblk's
	# null backend alike.
	for w in $small $large; do
		run "$rep" "$w" zc-chr zc-chr-fb zc-chr-hipri zc-blk zc-blk-fb \
			zc-blk-hipri nullb nullb-fb nullb-hipri
	done
	backends "$rep"
	# Softirq completion on both sides.
	nullb_load 1
	"$ctl" set "$zn" --completion softirq
	for w in $small; do
		run "$rep" "$w" zc-chr-sirq zc-blk-sirq nullb-sirq
	done
	"$ctl" set "$zn" --completion inline
	nullb_load 0
	zoned "$rep"
	run "$rep" randwrite-4k-qd32 zcw-chr zcw-blk
	run "$rep" randwrite-4k-qd1-fsync32 zcw-blk zcm-blk
	copies "$rep"
	placement "$rep"
	metadata "$rep"
	fabrics "$rep"
done

"$ctl" del "${zn#zcblk}"
"$ctl" del "${zm#zcblk}"
"$ctl" del "${zw#zcblk}"
"$ctl" del "${zf#zcblk}"
"$ctl" del "${zz#zcblk}"
modprobe -r null_blk brd
rm -rf "$tmp"
