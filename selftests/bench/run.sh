#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: `make bench` and `make bench-quick`, on the host.
#
#   run.sh [--quick | --costs | --ab | --scaling] [<kernel release>...]
#
# For each kernel (default: the first of kernels.sh, i.e. 6.1), boots a
# one-vCPU VM and runs bench.sh in it: once under QEMU -icount
# shift=0,sleep=off (deterministic: BENCH_ICOUNT_RUNS runs, default 1; two
# show how far apart they are), then once in TCG's wall clock with
# BENCH_REPS reps (default 3, reported as medians). report.py then writes
# $BENCH_RESULTS/<kernel>-<date>.{json,md,png} (default
# Documentation/performance/results). --quick: one wall-clock VM, the 4k
# random read QD32 subset, a table on stdout, nothing written. --costs:
# one deterministic VM per kernel running costs.sh (instructions per I/O,
# by function, passthrough against block path), written to
# $BENCH_RESULTS/costs-<kernel>-<date>.md. --ab: the module built from
# each of BENCH_AB's NAME=REV (a git revision, WORK: the work tree, or a
# directory holding Kbuild, kernel/ and uapi/),
# all in one deterministic VM per kernel (ab.sh), a table on stdout and in
# $BENCH_VMOUT/ab-<kernel>.md. --scaling: one two-vCPU wall-clock VM per
# kernel running scaling.sh (two jobs on two queues against one),
# written to $BENCH_RESULTS/scaling-<kernel>-<date>.md.
# Env: BENCH_VMOUT (VM logs and guest outputs, default build/bench),
# BENCH_RUNTIME, BENCH_RAMP, BENCH_IOS_SMALL, BENCH_IOS_LARGE, BENCH_LOOPS,
# BENCH_ONLY (passed to bench.sh), BENCH_DATE (default today, UTC).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
vm=$repo/selftests/vm
quick=0 costs=0 ab=0 scaling=0
case ${1:-} in
--quick) quick=1; shift ;;
--costs) costs=1; shift ;;
--ab) ab=1; shift ;;
--scaling) scaling=1; shift ;;
esac
[ $# -gt 0 ] || set -- "$("$vm/kernels.sh" | head -n1)"
vmout=${BENCH_VMOUT:-$repo/build/bench}
results=${BENCH_RESULTS:-$repo/Documentation/performance/results}
date=${BENCH_DATE:-$(date -u +%F)}
mkdir -p "$vmout" "$repo/build/bench"
cd "$repo"
# The zone reset rate's program (bench.sh runs it in the guest).
cc -O2 -Wall -Werror -o build/bench/zreset selftests/bench/zreset.c
cc -O2 -Wall -Werror -o build/bench/copyb selftests/bench/copyb.c
cc -O2 -Wall -Werror -o build/bench/uqd selftests/bench/uqd.c -luring

# The guest's environment is clean: hand bench.sh its knobs explicitly.
envs=()
for v in BENCH_RUNTIME BENCH_RAMP BENCH_IOS_SMALL BENCH_IOS_LARGE BENCH_LOOPS \
	BENCH_ONLY BENCH_COPIES BENCH_FDP_IOS BENCH_MD_IOS SCALE_REPS \
	COSTS_TARGETS COSTS_GROUPS COSTS_IOS COSTS_TRACED_IOS COSTS_RW COSTS_BS \
	COSTS_QD COSTS_FSYNC; do
	[ -z "${!v:-}" ] || envs+=("$v=${!v}")
done

# guest NAME OUTFILE VM-ARGS... -- BENCH-ARGS...
guest() {
	local name=$1 res=$2 vmargs=()
	shift 2
	while [ "$1" != -- ]; do vmargs+=("$1"); shift; done
	shift
	echo "bench: $name ($(date -u +%T))" >&2
	"$vm/vm.sh" --quiet --smp 1 --timeout 2700 --out "$vmout/$name" \
		"${vmargs[@]}" -- env "${envs[@]}" "$@" >"$res"
}
icount=(--qemu-arg -icount --qemu-arg "shift=0,sleep=off")

# Why there is no ublk row (a ublk server from Debian packages or the
# kernel's source tarball: Debian 12 packages none).
ublk_skip() {
	local rel=$1 kdir src
	kdir=$("$vm/fetch-kernel.sh" "$rel")
	if ! grep -q '^CONFIG_BLK_DEV_UBLK=[ym]' "$kdir/boot/config-$rel" 2>/dev/null; then
		echo "ublk: $rel is built without CONFIG_BLK_DEV_UBLK"
		return
	fi
	src=/usr/src/linux-source-${rel%.*}.tar.xz
	[ -f "$src" ] || src=/usr/src/linux-source-$(echo "$rel" | cut -d. -f1,2).tar.xz
	if [ ! -f "$src" ]; then
		echo "ublk: no Debian package has a ublk server, and $src is not installed"
	elif tar -tJf "$src" --wildcards '*/tools/testing/selftests/ublk/kublk.c' >/dev/null 2>&1; then
		echo "ublk: $src has the kublk server, but make bench does not build it yet"
	else
		echo "ublk: no Debian package has a ublk server (ubdsrv), and $(basename "$src")'s" \
			"tools/testing/selftests/ublk/ has no server (kublk.c), only" \
			"$(tar -tJf "$src" --wildcards '*/tools/testing/selftests/ublk/*' 2>/dev/null |
			   sed -n 's|.*/ublk/\(..*\)|\1|p' | paste -sd ' ')"
	fi
}

if [ $quick = 1 ]; then
	guest "$1-quick" "$vmout/$1-quick.out" --kernel "$1" -- \
		selftests/bench/bench.sh --quick
	python3 "$here/report.py" --quick --wall "$vmout/$1-quick.out"
	exit 0
fi

# ab_build NAME REV REL: the module of REV for REL, in build/ab/NAME/REL.
ab_build() {
	local dir=$repo/build/ab/$1/$3 kdir=/usr/src/linux-headers-$3
	[ -d "$kdir" ] || kdir=$("$vm/fetch-kernel.sh" "$3")/lib/modules/$3/build
	rm -rf "$dir" && mkdir -p "$dir"
	if [ "$2" = WORK ]; then
		cp -r Kbuild kernel uapi "$dir/"
	elif [ -d "$2" ]; then
		(cd "$2" && cp -r Kbuild kernel uapi "$dir/")
	else
		git archive "$2" Kbuild kernel uapi | tar -x -C "$dir"
	fi
	make -C "$kdir" M="$dir" W= modules >"$dir/build.log" 2>&1 ||
		{ tail -n 20 "$dir/build.log" >&2; exit 1; }
	echo "$1=build/ab/$1/$3/kernel/zcblk.ko"
}

if [ $ab = 1 ]; then
	for rel in "$@"; do
		mods=()
		for pair in ${BENCH_AB:-base=HEAD new=WORK}; do
			mods+=("$(ab_build "${pair%%=*}" "${pair#*=}" "$rel")")
		done
		guest "$rel-ab" "$vmout/ab-$rel.md" --kernel "$rel" "${icount[@]}" -- \
			env AB_IOS="${AB_IOS:-100000}" AB_ROWS="${AB_ROWS:-}" selftests/bench/ab.sh "${mods[@]}"
		cat "$vmout/ab-$rel.md"
	done
	exit 0
fi

mkdir -p "$results"
if [ $scaling = 1 ]; then
	for rel in "$@"; do
		f=$results/scaling-$rel-$date.md
		guest "$rel-scaling" "$f" --kernel "$rel" --smp 2 -- \
			selftests/bench/scaling.sh
		# the guest's console carries its progress lines too
		sed -i '/^scaling.sh: round /d' "$f"
		cat "$f"
	done
	exit 0
fi
if [ $costs = 1 ]; then
	for rel in "$@"; do
		f=$results/costs-$rel-$date.md
		guest "$rel-costs" "$f" --kernel "$rel" "${icount[@]}" -- \
			selftests/bench/costs.sh
		echo "bench: $f" >&2
	done
	exit 0
fi
for rel in "$@"; do
	runs=()
	for i in $(seq "${BENCH_ICOUNT_RUNS:-1}"); do
		f=$vmout/$rel-icount$i.out
		guest "$rel-icount$i" "$f" --kernel "$rel" "${icount[@]}" -- \
			selftests/bench/bench.sh --clock icount --reps 1
		runs+=(--icount "$f")
	done
	f=$vmout/$rel-wall.out
	guest "$rel-wall" "$f" --kernel "$rel" -- \
		selftests/bench/bench.sh --clock wall --reps "${BENCH_REPS:-3}"
	skip=$(ublk_skip "$rel")
	python3 "$here/report.py" --kernel "$rel" --date "$date" \
		--prefix "$results/$rel-$date" "${runs[@]}" --wall "$f" --skip "$skip"
	echo "bench: $results/$rel-$date.md" >&2
done
