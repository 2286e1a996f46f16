#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host check: Documentation/testing.rst, section "What each test proves",
# has a row for every test of selftests/tests.txt, tests-debug-a.txt,
# tests-debug-b.txt, tests-debug-cli.txt and tests-packages.txt (a test's name is the first word of a line, comments
# cut, as run_tests.sh reads them) and for every host check (executable
# selftests/host/*.sh, as check.sh finds them), named "host/<script>".
# A row is a list-table row whose first cell is the name as a literal:
# "   * - ``<name>``". Exit 1, naming the tests without a row; rows no
# list names are reported but do not fail.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo" || exit 1
doc=Documentation/testing.rst
title='What each test proves'

[ -r "$doc" ] || { echo "# FAIL: $doc: cannot read it"; exit 1; }

# The table's names: first cells of the section's rows, up to the next
# section title (a line of = under a line of text).
mapfile -t rows < <(awk -v t="$title" '
	prev == t && /^=+$/ { in_sec = 1; prev = $0; next }
	in_sec && /^=+$/ && prev != "" { exit }
	in_sec && match($0, /^ *\* - ``[^`]+``$/) {
		n = $0
		sub(/^ *\* - ``/, "", n)
		sub(/``$/, "", n)
		print n
	}
	{ prev = $0 }' "$doc")
if [ ${#rows[@]} = 0 ]; then
	echo "# FAIL: $doc: no section \"$title\" with rows"
	exit 1
fi
declare -A row=()
for n in "${rows[@]}"; do row[$n]=1; done

# What must have a row, in the lists' order, then the host checks.
want=()
declare -A seen=()
for list in selftests/tests.txt selftests/tests-debug-a.txt \
	    selftests/tests-debug-b.txt selftests/tests-debug-cli.txt \
	    selftests/tests-packages.txt; do
	[ -r "$list" ] || { echo "# FAIL: $list: cannot read it"; exit 1; }
	while read -r name _; do
		[ -n "$name" ] || continue
		[ -z "${seen[$name]:-}" ] || continue
		seen[$name]=1
		want+=("$name")
	done < <(sed 's/#.*//' "$list")
done
shopt -s nullglob
for c in selftests/host/*.sh; do
	[ -x "$c" ] || continue
	seen[host/${c##*/}]=1
	want+=("host/${c##*/}")
done

missing=()
for name in "${want[@]}"; do
	[ -n "${row[$name]:-}" ] || missing+=("$name")
done
for name in "${rows[@]}"; do
	[ -n "${seen[$name]:-}" ] ||
		echo "# note: $doc has a row for $name, which no list names"
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "# FAIL: no row in $doc, \"$title\", for: ${missing[*]}"
	exit 1
fi
echo "# $doc: a row for each of the ${#want[@]} tests and host checks"
exit 0
