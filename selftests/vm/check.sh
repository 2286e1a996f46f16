#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: the host side of `make check`. Runs the host checks
# (executable selftests/host/*.sh), then selftests/run_tests.sh in a VM
# per target kernel (kernels.sh, or KERNELS="rel1 rel2") with that
# kernel's build/kmod/<rel>/kernel/zcblk.ko, prints everything as TAP and
# ends with one line "N passed, N failed, N skipped". A VM that times
# out, reports a splat or fails without a failed test counts as one more
# failure. Exit 1 on any failure.
# Env: ZCBLK_KMOD_DIR (default build/kmod), ZCBLK_VM_TIMEOUT (s, 1200),
# ZCBLK_HOST_CHECKS=0 (skip them), ZCBLK_TESTS (the guest's test list),
# ZCBLK_DEBUG=1 (passed to the guest: debug-kernel extras),
# ZCBLK_GUEST_ENV="VAR=value ..." (more variables for the guest's tests).
set -euo pipefail
# Parsed whole before it runs, so that editing this file cannot derail
# a run in progress (bash reads scripts as it goes).
{

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
kmods=${ZCBLK_KMOD_DIR:-$repo/build/kmod}
read -r -a kernels <<<"${KERNELS:-$("$here/kernels.sh" | tr '\n' ' ')}"
pass=0 fail=0 skip=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# count <tap file>: add its top-level results to the totals.
count() {
	local p f s
	p=$(grep -c -E '^ok [0-9]+ ' "$1" || true)
	s=$(grep -c -E '^ok [0-9]+ .*# SKIP' "$1" || true)
	f=$(grep -c -E '^not ok ' "$1" || true)
	pass=$((pass + p - s)) skip=$((skip + s)) fail=$((fail + f))
}

shopt -s nullglob
hosts=()
if [ "${ZCBLK_HOST_CHECKS:-1}" = 1 ]; then
	for c in selftests/host/*.sh; do [ -x "$c" ] && hosts+=("$c"); done
fi
echo "# host checks"
echo "1..${#hosts[@]}"
n=0
for c in "${hosts[@]}"; do
	n=$((n + 1)) rc=0
	"$c" </dev/null >"$out" 2>&1 || rc=$?
	sed 's/^/# /' "$out"
	case $rc in
	0) echo "ok $n ${c#selftests/}"; pass=$((pass + 1)) ;;
	4) why=$(sed -n -E 's/.*# SKIP:? *//p; s/^(SKIP|[Ss]kip)[: ]+//p' "$out" | tail -n1)
	   echo "ok $n ${c#selftests/} # SKIP ${why:-no reason given}"
	   skip=$((skip + 1)) ;;
	*) echo "not ok $n ${c#selftests/} # exit=$rc"; fail=$((fail + 1)) ;;
	esac
done

for rel in "${kernels[@]}"; do
	echo "# kernel $rel"
	ko=$kmods/$rel/kernel/zcblk.ko
	if [ ! -f "$ko" ]; then
		echo "not ok - vm $rel: $ko not built"
		fail=$((fail + 1))
		continue
	fi
	rc=0
	# shellcheck disable=SC2086 # ZCBLK_GUEST_ENV: words VAR=value
	"$here/vm.sh" --kernel "$rel" --quiet --timeout "${ZCBLK_VM_TIMEOUT:-1200}" \
		-- env ZCBLK_MODULE="$ko" ${ZCBLK_TESTS:+ZCBLK_TESTS="$ZCBLK_TESTS"} \
		${ZCBLK_DEBUG:+ZCBLK_DEBUG="$ZCBLK_DEBUG"} \
		${ZCBLK_GUEST_ENV:-} \
		selftests/run_tests.sh >"$out" || rc=$?
	cat "$out"
	before=$fail
	count "$out"
	if [ "$rc" = 124 ]; then
		echo "not ok - vm $rel: timeout"
		fail=$((fail + 1))
	fi
	if [ -s "build/vm/$rel/splats.txt" ]; then
		echo "not ok - vm $rel: splat (build/vm/$rel/splats.txt)"
		fail=$((fail + 1))
	fi
	if [ "$rc" != 0 ] && [ "$fail" = "$before" ]; then
		echo "not ok - vm $rel: exit $rc without a failed test"
		fail=$((fail + 1))
	fi
done

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
exit
}
