#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh: kselftest-style TAP runner for zcblk, run as root inside
# the test VM (selftests/vm/vm.sh). Runs each test of selftests/tests.txt
# ("name timeout_seconds" lines) from build/selftests/ (C tests) or
# selftests/ (scripts) with its timeout. Exit 0 passes, 4 skips; the
# tests a passing kselftest-harness program skipped count as skips too
# ("ok N name # <n> subtests skipped"; all of them: "# SKIP"). Besides
# its exit status, a test fails if it changed the kernel's FOLL_PIN
# balance, left a zcblk disk behind (in sysfs, zcblk's registry or
# /dev) or made the kernel log a splat.
# Env: ZCBLK_MODULE=<zcblk.ko> is insmod'ed before any test that finds
# it unloaded; ZCBLK_TESTS=<file> replaces the test list. Each test gets
# its time limit as ZCBLK_TEST_TIMEOUT (time-boxed tests size themselves
# by it).
set -euo pipefail
# Parsed whole before it runs, so that editing this file cannot derail
# a run in progress (bash reads scripts as it goes).
{

cd "$(dirname "$0")/.."
list=${ZCBLK_TESTS:-selftests/tests.txt}
ctl=build/userlib/zcblkctl
splat='WARNING:|BUG:|Oops|KASAN|UBSAN|possible circular locking|kmemleak|general protection|Call Trace:'
# kmemleak's count of suspects is no splat: kmemleak.sh judges them.
harmless='KASAN: KernelAddressSanitizer initialized|kmemleak: Kernel memory leak detector (initialized|disabled)|kmemleak: Automatic memory scanning thread|kmemleak: [0-9]+ new suspected memory leaks|kmemleak: Cannot allocate a scan area'
# fault_inject and fault_inject_cmds (comm fault_inject_cm) fail their own
# task's allocations on purpose: the kernel's warn_alloc() report of one
# (its task named, then a stack) is no splat.
injected='^(\[[ 0-9.]*\] )?fault_inject(_cm)?: (page allocation failure|vmalloc error):'
# QEMU's TCG can leak a single-step #DB into the guest kernel, which warns
# (see exc_debug_kernel() in arch/x86/kernel/traps.c); nothing a module
# does sets TF in the kernel. That warning, to its end, is no splat.
emu='WARNING: .* at arch/x86/kernel/traps.c:[0-9]+ exc_debug_kernel'

# A debug kernel's boot-time leaks are not ours: before zcblk loads,
# record the objects a scan finds unreferenced (the baseline
# selftests/kmemleak.sh judges every later report against), then forget
# them.
if [ -w /sys/kernel/debug/kmemleak ] && [ ! -d /sys/module/zcblk ]; then
	echo scan >/sys/kernel/debug/kmemleak
	sed -n 's/^unreferenced object \(0x[0-9a-f]*\).*/\1/p' \
		/sys/kernel/debug/kmemleak >/run/zcblk-kmemleak.baseline
	echo clear >/sys/kernel/debug/kmemleak
fi

# An unreadable or empty list is an error, not zero passing tests.
[ -r "$list" ] || { echo "# $list: cannot read the test list" >&2; exit 1; }
names=() tmos=()
while read -r name tmo _; do
	[ -n "$name" ] || continue
	names+=("$name")
	tmos+=("${tmo:-60}")
done < <(sed 's/#.*//' "$list")
[ "${#names[@]}" -gt 0 ] || { echo "# $list: no tests listed" >&2; exit 1; }

# Sets $pins: pages pinned with FOLL_PIN and not yet released, system-wide.
# The counters are per-CPU: stat_refresh folds them into /proc/vmstat.
# Builtins only: every exec costs ~0.1 s under TCG.
pin_balance() {
	local k v a=0 r=0
	echo 1 >/proc/sys/vm/stat_refresh 2>/dev/null || true
	while read -r k v; do
		case $k in
		nr_foll_pin_acquired) a=$v ;;
		nr_foll_pin_released) r=$v ;;
		esac
	done </proc/vmstat
	pins=$((a - r))
}
log=${TMPDIR:-/tmp}/zcblk-test.$$.log pidf=${TMPDIR:-/tmp}/zcblk-test.$$.pid
trap 'rm -f "$log" "$pidf"' EXIT
shopt -s nullglob

pass=0 fail=0 skip=0
echo "TAP version 13"
echo "1..${#names[@]}"
for i in "${!names[@]}"; do
	n=$((i + 1)) name=${names[i]} tmo=${tmos[i]}
	why=()
	if [ -x "build/selftests/$name" ]; then path=build/selftests/$name
	elif [ -x "selftests/$name" ]; then path=selftests/$name
	else
		echo "# $name: not found in build/selftests/ or selftests/"
		echo "not ok $n $name"
		fail=$((fail + 1))
		continue
	fi
	if [ -n "${ZCBLK_MODULE:-}" ] && [ ! -d /sys/module/zcblk ]; then
		insmod "$ZCBLK_MODULE" 2>&1 | sed 's/^/# /' ||
			why+=("insmod $ZCBLK_MODULE failed")
	fi

	# A marker in the kernel log: the test's own messages come after it.
	mark="zcblk-selftest: begin $n $name"
	echo "$mark" >/dev/kmsg
	pin_balance
	before=$pins
	# Output to a file, not a pipe: a process the test leaves behind
	# would hold a pipe open. timeout(1) leads a new process group: its
	# pid names the group of everything the test started.
	rc=0
	t0=$SECONDS
	(echo "$BASHPID" >"$pidf"
	 export ZCBLK_TEST_TIMEOUT=$tmo
	 exec timeout --kill-after=10 "$tmo" "$path" </dev/null >"$log" 2>&1) || rc=$?
	read -r pgid <"$pidf"
	# The log, indented, and its own TAP's results and skips, counted
	# with builtins: on the debug kernel each exec costs about 0.7 s.
	results=0 skipped=0 sreason=
	while IFS= read -r l || [ -n "$l" ]; do
		printf '# %s\n' "$l"
		[[ $l =~ ^(not\ )?ok\ [0-9]+\  ]] || continue
		results=$((results + 1))
		if [[ $l =~ ^ok\ [0-9]+\ .*#\ SKIP:?\ *(.*)$ ]]; then
			skipped=$((skipped + 1)) sreason=${BASH_REMATCH[1]}
		fi
	done <"$log"
	# For sizing the timeouts and CI's budget (testing.rst).
	echo "# $name: $((SECONDS - t0)) s of $tmo"

	# Disks left behind, wherever one shows: in sysfs, in zcblk's
	# registry (a DEV_GET dump: a disk may be there and not in sysfs) or
	# as device nodes. Each is named with where it was seen, then
	# deleted; nodes no disk owns are removed.
	left=() seen=()
	for d in /sys/block/zcblk* /dev/zcblk*; do
		if ! [[ ${d##*/} =~ ^zcblk([0-9]+)(c|p[0-9]+)?$ ]]; then
			why+=("unexpected node left behind: $d")
			rm -f "$d" 2>/dev/null || true
			continue
		fi
		x=${BASH_REMATCH[1]}
		[ -n "${seen[x]:-}" ] || left+=("$x")
		seen[x]+=" $d"
	done
	if [ -d /sys/module/zcblk ] && [ -x "$ctl" ]; then
		if json=$("$ctl" list -j 2>&1); then
			while [[ $json =~ \"index\":\ ([0-9]+) ]]; do
				x=${BASH_REMATCH[1]}
				json=${json#*"${BASH_REMATCH[0]}"}
				[ -n "${seen[x]:-}" ] || left+=("$x")
				seen[x]+=" registry"
			done
		else
			why+=("zcblkctl list -j failed: $json")
		fi
	fi
	for x in "${left[@]}"; do
		why+=("disk left behind: zcblk$x (${seen[x]# })")
		if [ -x "$ctl" ]; then "$ctl" del "$x" >/dev/null 2>&1 || true; fi
	done
	for d in /dev/zcblk*; do
		x=${d#/dev/zcblk} x=${x%%[!0-9]*}
		[ -e "/sys/block/zcblk$x" ] || rm -f "$d" || true
	done
	pin_balance
	[ "$pins" = "$before" ] || why+=("pin balance changed by $((pins - before))")
	# Processes the test left running would disturb the next test.
	if kill -0 -- "-$pgid" 2>/dev/null; then
		why+=("processes left behind: $(pgrep -g "$pgid" -d' ' -l || true)")
		kill -KILL -- "-$pgid" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 -- "-$pgid" 2>/dev/null || break
			sleep 0.1
		done
	fi
	# Kernel log lines since the marker that report a problem.
	splats=$(dmesg | awk -v m="$mark" -v re="$splat" -v ok="$harmless" \
		 -v inj="$injected" -v emu="$emu" '
		$0 ~ inj { w = NR }
		$0 ~ emu { e = 1 }
		e { if (/---\[ end trace/) e = 0; next }
		f && $0 ~ re && $0 !~ ok && !(/Call Trace:/ && w && NR - w <= 4)
		index($0, m) { f = 1 }')
	if [ -n "$splats" ]; then
		why+=("kernel splat:")
		while read -r l; do why+=("  $l"); done <<<"$splats"
	fi

	for w in "${why[@]}"; do echo "# $w"; done
	if [ ${#why[@]} -gt 0 ]; then
		echo "not ok $n $name"
		fail=$((fail + 1))
	elif [ "$rc" = 0 ]; then
		# A kselftest-harness program passes with some of its tests
		# skipped ("ok N test # SKIP reason" in its own TAP): those
		# count as skips, told on its line as "# <n> subtests
		# skipped"; with every one skipped, it skipped.
		if [ "$skipped" = 0 ]; then
			echo "ok $n $name"
			pass=$((pass + 1))
		elif [ "$skipped" = "$results" ]; then
			echo "ok $n $name # SKIP all $skipped subtests: ${sreason:-no reason given}"
			skip=$((skip + 1))
		else
			echo "ok $n $name # $skipped subtests skipped"
			pass=$((pass + 1)) skip=$((skip + skipped))
		fi
	elif [ "$rc" = 4 ]; then
		reason=$(sed -n -E 's/.*# SKIP:? *//p; s/^(SKIP|[Ss]kip)[: ]+//p' "$log" | tail -n1)
		echo "ok $n $name # SKIP ${reason:-no reason given}"
		skip=$((skip + 1))
	elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "not ok $n $name # TIMEOUT ${tmo}s"
		fail=$((fail + 1))
	else
		echo "not ok $n $name # exit=$rc"
		fail=$((fail + 1))
	fi
done
echo "# zcblk: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
exit
}
