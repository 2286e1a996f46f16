#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: the host side of `make check`. Runs the host checks
# (selftests/host/*.sh, but a library they source; one not executable
# fails) and selftests/run_tests.sh in one VM
# per target kernel (kernels.sh, or KERNELS="rel1 rel2") and test list,
# with that kernel's build/kmod/<rel>/kernel/zcblk.ko; prints everything
# as TAP and ends with one line "N passed, N failed, N skipped". A VM that
# times out, reports a splat or fails without a failed test counts as one
# more failure. Exit 1 on any failure.
#
# The VMs run ZCBLK_JOBS (default 2) at a time, beside the host checks:
# a guest keeps about one host CPU busy (TCG runs each vCPU on a host
# thread, and most tests wait on one), so two fill a 2-core machine.
# Host checks that a VM test needs (a line "# check.sh: before the VMs"
# in them) run first. Output is printed in a fixed order, each VM's
# when it has ended.
#
# Env: ZCBLK_KMOD_DIR (default build/kmod), ZCBLK_VM_TIMEOUT (s, 2400:
# a hang guard, above the ~1 350 s a VM of make check takes alone; a
# 6.12 VM of it ran 1 800 s beside two debug VMs),
# ZCBLK_HOST_CHECKS=0 (skip them), ZCBLK_TESTS (the guest's test lists,
# space-separated: one VM per list and kernel, output in
# build/vm/<rel>-<list> when there are several), ZCBLK_JOBS (VMs at a
# time), ZCBLK_DEBUG=1 (passed to the guest: debug-kernel extras),
# ZCBLK_GUEST_ENV="VAR=value ..." (more variables for the guest's tests),
# ZCBLK_VMS=0 (the host checks alone: make check-host), ZCBLK_APPEND (more
# guest kernel parameters, after the mitigations=off this adds).
set -euo pipefail
# Parsed whole before it runs, so that editing this file cannot derail
# a run in progress (bash reads scripts as it goes).
{

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
kmods=${ZCBLK_KMOD_DIR:-$repo/build/kmod}
read -r -a kernels <<<"${KERNELS:-$("$here/kernels.sh" | tr '\n' ' ')}"
read -r -a lists <<<"${ZCBLK_TESTS:-}"
[ ${#lists[@]} -gt 0 ] || lists=('')
jobs=${ZCBLK_JOBS:-2}
# The guests' speculation mitigations protect nothing in a VM of tests,
# and the retpoline on every indirect call is a third of the debug
# kernel's time under TCG (block_mem_discard.sh 40 s with, 26 s without,
# 2026-12-06); make bench keeps them, as a user's kernel has them.
append="mitigations=off${ZCBLK_APPEND:+ $ZCBLK_APPEND}"
pass=0 fail=0 skip=0
tmp=$(mktemp -d)
# What failed, repeated at the end: CI shows only the end of the output.
: >"$tmp/failures"
trap 'rm -rf "$tmp"' EXIT

# count <tap file>: add its top-level results to the totals, and the
# subtests a passing test skipped ("ok N name # <n> subtests skipped",
# run_tests.sh) to the skips.
count() {
	local p f s n
	p=$(grep -c -E '^ok [0-9]+ ' "$1" || true)
	s=$(grep -c -E '^ok [0-9]+ .*# SKIP' "$1" || true)
	f=$(grep -c -E '^not ok ' "$1" || true)
	n=$(sed -n -E 's/^ok [0-9]+ [^#]*# ([0-9]+) subtests skipped$/\1/p' "$1" |
		awk '{ n += $1 } END { print n + 0 }')
	pass=$((pass + p - s)) skip=$((skip + s + n)) fail=$((fail + f))
}

# failures <tap file> <where>: each failed test's line and the last 12
# lines it printed, into $tmp/failures.
failures() {
	awk -v where="$2" '
		/^ok [0-9]+ / { n = 0; next }
		/^not ok/ {
			print "# " where ": " $0
			for (i = (n > 12 ? n - 12 : 0); i < n; i++)
				print "#   " buf[i % 12]
			n = 0; next
		}
		{ buf[n % 12] = $0; n++ }' "$1" >>"$tmp/failures"
}

# One VM: "rel|list|out dir", its TAP in $tmp/vm.<i>, its exit
# status in $tmp/vm.<i>.rc.
vms=()
[ "${ZCBLK_VMS:-1}" = 1 ] || kernels=()
for rel in "${kernels[@]}"; do
	for list in "${lists[@]}"; do
		out=build/vm/$rel
		[ ${#lists[@]} = 1 ] || out+=-$(basename "${list%.txt}")
		vms+=("$rel|$list|$out")
	done
done

run_vm() {
	local i=$1 rel list out ko rc=0 t0=$SECONDS try
	IFS="|" read -r rel list out <<<"${vms[i]}"
	ko=$kmods/$rel/kernel/zcblk.ko
	if [ ! -f "$ko" ]; then
		echo "not ok - vm $rel: $ko not built" >"$tmp/vm.$i"
		: >"$tmp/vm.$i.err"
		echo 0 >"$tmp/vm.$i.rc"
		return
	fi
	# A guest that dies before the runner starts never ran zcblk: under
	# TCG a 6.12 boot now and then takes an int3 Oops from another
	# vCPU's text patching (sched_clock_tick, 2026-12-04). Boot it once
	# more, and say so.
	for try in 1 2; do
		rc=0
		# shellcheck disable=SC2086 # ZCBLK_GUEST_ENV: words VAR=value
		ZCBLK_APPEND="$append" \
		"$here/vm.sh" --kernel "$rel" --out "$repo/$out" --quiet \
			--timeout "${ZCBLK_VM_TIMEOUT:-2400}" \
			-- env ZCBLK_MODULE="$ko" ${list:+ZCBLK_TESTS="$list"} \
			${ZCBLK_DEBUG:+ZCBLK_DEBUG="$ZCBLK_DEBUG"} \
			${ZCBLK_GUEST_ENV:-} \
			selftests/run_tests.sh >"$tmp/vm.$i" 2>"$tmp/vm.$i.err" || rc=$?
		if [ "$rc" = 0 ] || [ $try = 2 ] || grep -q '^TAP version' "$tmp/vm.$i"; then
			break
		fi
		echo "# vm $rel: the guest died before its first test; booting it again:" \
			>>"$tmp/vm.$i.boot"
		grep -m3 -E 'Oops|BUG:|Kernel panic' "$repo/$out/console.log" | sed 's/^/#   /' \
			>>"$tmp/vm.$i.boot" || true
	done
	if [ -f "$tmp/vm.$i.boot" ]; then
		cat "$tmp/vm.$i.boot" "$tmp/vm.$i" >"$tmp/vm.$i.new"
		mv "$tmp/vm.$i.new" "$tmp/vm.$i"
	fi
	# For sizing CI's budget (testing.rst).
	echo "# vm $rel ${list:-selftests/tests.txt}: $((SECONDS - t0)) s" >>"$tmp/vm.$i"
	echo "$rc" >"$tmp/vm.$i.rc.new"
	mv "$tmp/vm.$i.rc.new" "$tmp/vm.$i.rc"
}

# host_check <n> <script>: run one, print its TAP line.
host_check() {
	local n=$1 c=$2 rc=0 why t0=$SECONDS
	nice -n 10 "$c" </dev/null >"$tmp/host" 2>&1 || rc=$?
	sed 's/^/# /' "$tmp/host"
	echo "# ${c#selftests/}: $((SECONDS - t0)) s"
	case $rc in
	0) echo "ok $n ${c#selftests/}"; pass=$((pass + 1)) ;;
	4) why=$(sed -n -E 's/.*# SKIP:? *//p; s/^(SKIP|[Ss]kip)[: ]+//p' "$tmp/host" | tail -n1)
	   echo "ok $n ${c#selftests/} # SKIP ${why:-no reason given}"
	   skip=$((skip + 1)) ;;
	*) echo "not ok $n ${c#selftests/} # exit=$rc"; fail=$((fail + 1))
	   { echo "# host: not ok $n ${c#selftests/} # exit=$rc"
	     tail -n 12 "$tmp/host" | sed 's/^/#   /'; } >>"$tmp/failures" ;;
	esac
}

# vm_fail <TAP line>: a VM's own failure.
vm_fail() {
	echo "$1"
	echo "# $1" >>"$tmp/failures"
	fail=$((fail + 1))
}

shopt -s nullglob
first=() later=()
if [ "${ZCBLK_HOST_CHECKS:-1}" = 1 ]; then
	for c in selftests/host/*.sh; do
		# A library they source says so; any other script without
		# the exec bit is a check, which fails rather than goes unrun.
		if [ ! -x "$c" ] && grep -q '^# Sourced by host checks' "$c"; then
			continue
		fi
		if grep -q '^# check.sh: before the VMs' "$c"; then first+=("$c")
		else later+=("$c"); fi
	done
fi
echo "# host checks"
echo "1..$((${#first[@]} + ${#later[@]}))"
n=0
for c in "${first[@]}"; do n=$((n + 1)); host_check $n "$c"; done

# Start the VMs, at most $jobs at a time, from a background scheduler.
(
	for i in "${!vms[@]}"; do
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
		run_vm "$i" &
	done
	wait
) &
for c in "${later[@]}"; do n=$((n + 1)); host_check $n "$c"; done

for i in "${!vms[@]}"; do
	IFS="|" read -r rel list out <<<"${vms[i]}"
	echo "# kernel $rel${list:+ ($list)}"
	while [ ! -f "$tmp/vm.$i.rc" ]; do sleep 1; done
	rc=$(cat "$tmp/vm.$i.rc")
	cat "$tmp/vm.$i.err" >&2
	cat "$tmp/vm.$i"
	before=$fail
	count "$tmp/vm.$i"
	failures "$tmp/vm.$i" "$rel${list:+ ($list)}"
	if [ "$rc" = 124 ]; then
		vm_fail "not ok - vm $rel: timeout"
	fi
	if [ -s "$out/splats.txt" ]; then
		vm_fail "not ok - vm $rel: splat ($out/splats.txt)"
		head -n 12 "$out/splats.txt" | sed 's/^/#   /' >>"$tmp/failures"
	fi
	if [ "$rc" != 0 ] && [ "$fail" = "$before" ]; then
		vm_fail "not ok - vm $rel: exit $rc without a failed test"
	fi
done
wait

if [ -s "$tmp/failures" ]; then
	echo "# what failed:"
	cat "$tmp/failures"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
exit
}
