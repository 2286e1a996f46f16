#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# coverage.sh: the host side of `make coverage`. Builds zcblk with gcov
# (ZCBLK_GCOV=1: GCOV_PROFILE in kernel/Kbuild) against the debug kernel
# (CONFIG_GCOV_KERNEL, nothing of the kernel itself profiled), runs
# check-debug's two test lists and check-debug-cli's, a VM each, all
# three at once, with selftests/coverage_dump.sh last in each, unpacks the .gcda files each VM printed, and writes with lcov:
#   build/coverage/index.html   genhtml's report, lines and branches
#   build/coverage/zcblk.info   the merged tracefile
#   build/coverage/summary.txt  per file of kernel/: lines, functions and
#                               branches hit, then every function never
#                               entered
# Exit 1 if a test failed, or if line or branch coverage is more than 2
# points below the figures recorded in selftests/coverage.txt.
# Env: ZCBLK_COVERAGE_LISTS (default the three debug lists).
set -euo pipefail
{

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
out=$repo/build/coverage
rel=$("$here/debug-kernel.sh")
grep -q '^CONFIG_GCOV_KERNEL=y' \
	"${ZCBLK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zcblk}/kernels/$rel/boot/config-$rel" ||
	{ echo "coverage: $rel has no CONFIG_GCOV_KERNEL" >&2; exit 1; }

# A separate object tree: the normal build never carries gcov.
rm -rf "$out"
mkdir -p "$out/lists"
make -s BUILD="$out" KRELS="$rel" ZCBLK_GCOV=1 modules
objs=$out/kmod/$rel/kernel
ls "$objs"/*.gcno >/dev/null || { echo "coverage: no .gcno in $objs" >&2; exit 1; }

lists=()
for l in ${ZCBLK_COVERAGE_LISTS:-selftests/tests-debug-a.txt selftests/tests-debug-b.txt \
	selftests/tests-debug-cli.txt}; do
	dst=$out/lists/coverage-$(basename "${l%.txt}" | sed 's/^tests-debug-//').txt
	{ cat "$l"; echo "coverage_dump.sh 300"; } >"$dst"
	lists+=("${dst#"$repo"/}")
done

rc=0
KERNELS=$rel ZCBLK_HOST_CHECKS=0 ZCBLK_DEBUG=1 ZCBLK_CPU=max,la57=off \
	ZCBLK_KMOD_DIR="$out/kmod" ZCBLK_TESTS="${lists[*]}" ZCBLK_JOBS=${#lists[@]} \
	ZCBLK_VM_TIMEOUT=4800 "$here/check.sh" >"$out/check.log" || rc=$?
grep -E '^(not )?ok |passed,' "$out/check.log"

# Each VM's dump, in order: "# ZCBLK_GCOV_BEGIN" ... "# ZCBLK_GCOV_END".
awk -v dir="$out/dump" '
	/^# ZCBLK_GCOV_BEGIN$/ { n++; f = dir "." n ".b64"; next }
	/^# ZCBLK_GCOV_END$/ { f = ""; next }
	f { sub(/^# /, ""); print > f }' "$out/check.log"
lcovrc=(--rc lcov_branch_coverage=1)
infos=()
for b in "$out"/dump.*.b64; do
	[ -f "$b" ] || { echo "coverage: no gcov data in $out/check.log" >&2; exit 1; }
	d=${b%.b64}
	mkdir -p "$d"
	base64 -d "$b" | tar -xz -C "$d"
	# The .gcda files sit in the guest at the module's build path: put
	# each VM's next to the .gcno files in turn.
	rm -f "$objs"/*.gcda
	cp "$d$objs"/*.gcda "$objs"/
	lcov -q "${lcovrc[@]}" --capture --directory "$objs" \
		--output-file "$d.info" 2>"$d.log" ||
		{ cat "$d.log" >&2; exit 1; }
	infos+=(-a "$d.info")
done
# Report kernel/'s files by their own names, not the build tree's links.
lcov -q "${lcovrc[@]}" "${infos[@]}" -o "$out/all.info"
sed "s|^SF:$objs/|SF:$repo/kernel/|" "$out/all.info" >"$out/renamed.info"
lcov -q "${lcovrc[@]}" --extract "$out/renamed.info" "$repo/kernel/*" \
	-o "$out/zcblk.info"
genhtml -q "${lcovrc[@]}" --title "zcblk $(git describe --always --dirty 2>/dev/null)" \
	-o "$out" "$out/zcblk.info" >/dev/null

python3 "$here/coverage_summary.py" "$out/zcblk.info" "$repo/kernel/" \
	"$repo/selftests/coverage.txt" >"$out/summary.txt" || rc=1
cat "$out/summary.txt"
echo "coverage: report in $out/index.html"
exit $rc
}
