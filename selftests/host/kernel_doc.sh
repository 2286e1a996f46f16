#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host check: every non-static function of kernel/*.c has a kernel-doc
# comment directly above it, naming it, and scripts/kernel-doc -Wall
# (from Debian's linux-source package) finds nothing to warn about in
# kernel/*.[ch]: no missing parameter, Return: or short description.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=selftests/host/linux_tools.sh
. "$repo/selftests/host/linux_tools.sh"
kd=$(linux_tool scripts/kernel-doc) || exit $?

cd "$repo" || exit 1
rc=0

# kernel-doc -none exits 0 whatever it finds (-Werror would make its
# exit status the warning count, modulo 256): any output is a failure.
out=$(env -u KBUILD_VERBOSE -u KCFLAGS -u KDOC_WERROR \
	"$kd" -none -Wall kernel/*.c kernel/*.h 2>&1) || rc=1
out=$(echo "$out" | grep -v '^Warning: Sphinx version not found')
[ -z "$out" ] || { printf '# %s\n' "${out//$'\n'/$'\n'# }"; rc=1; }

# A definition: at column 0, not static, a name and "(" (the return type
# may be on the line above), then, where the parentheses close, a body:
# "{" on that line or the next. Prints "file:line name" for each, with
# " -" after it when no kernel-doc comment naming it ends right above.
# shellcheck disable=SC2016 # awk's, not ours
finddefs='
function report(line, name, start,    s, ok) {
	ok = 0
	if (start > 1 && text[start - 1] ~ /^ \*\/$/) {
		for (s = start - 1; s > 0 && text[s] !~ /^\/\*/; s--)
			;
		if (s > 0 && text[s] == "/**" &&
		    text[s + 1] ~ ("^ \\* " name "(\\(\\))? - "))
			ok = 1
	}
	print FILENAME ":" line " " name (ok ? "" : " -")
}
{ text[NR] = $0 }
END {
	for (i = 1; i <= NR; i++) {
		start = i
		if (text[i] ~ /^[A-Za-z_][A-Za-z0-9_]*\(/ && i > 1 &&
		    text[i - 1] ~ /^[A-Za-z_][A-Za-z0-9_ *]*$/)
			start = i - 1
		else if (text[i] !~ /^[A-Za-z_][A-Za-z0-9_ *]*[ *][A-Za-z_][A-Za-z0-9_]*\(/)
			continue
		if (text[start] ~ /^(static|typedef|extern)[ \t]/)
			continue
		name = text[i]
		sub(/\(.*/, "", name)
		sub(/.*[ *]/, "", name)
		depth = 0
		for (j = i; j <= NR; j++) {
			tmp = text[j]
			depth += gsub(/\(/, "", tmp)
			depth -= gsub(/\)/, "", tmp)
			if (depth <= 0)
				break
		}
		if (j > NR)
			continue
		if (text[j] ~ /\)[^;]*\{/ || (j < NR && text[j + 1] ~ /^\{/))
			report(i, name, start)
		i = j
	}
}'
defs=
for f in kernel/*.c; do
	d=$(awk "$finddefs" "$f") || exit 1
	defs+=$d$'\n'
done

documented=0
while read -r where name missing; do
	[ -n "$name" ] || continue
	if [ -z "$missing" ]; then
		documented=$((documented + 1))
	else
		echo "# $where: $name() has no kernel-doc comment above it"
		rc=1
	fi
done <<< "$defs"

[ $rc -eq 0 ] && echo "# kernel-doc clean: $documented functions"
exit $rc
