# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced by host checks (not one itself: it is not executable). Scripts
# of Debian's newest linux-source-6.x tarball, extracted once into
# build/linux-tools/.
#
# linux_tool FILE [MORE...]: prints the path of FILE (a path inside the
# source tree, e.g. scripts/checkpatch.pl), extracting FILE and MORE
# first if needed. Exits 4 (a skip, said on stderr, since it runs in
# $(...)) if no linux-source package is installed, 1 if extracting fails.
linux_tool() {
	local tools src f found
	tools=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/linux-tools
	src=$(printf '%s\n' /usr/src/linux-source-6.*.tar.xz | sort -V | tail -n 1)
	[ -f "$src" ] || { echo "# SKIP no linux-source-6.x package" >&2; exit 4; }
	for found in "$tools"/*/"$1"; do
		[ -f "$found" ] && { echo "$found"; return 0; }
	done
	mkdir -p "$tools"
	for f in "$@"; do
		tar -xJf "$src" -C "$tools" --wildcards "*/$f" || exit 1
	done
	for found in "$tools"/*/"$1"; do
		[ -f "$found" ] && { echo "$found"; return 0; }
	done
	exit 1
}
