# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced by host checks (not one itself: it is not executable). The
# scripts host checks take from a Debian linux-source-6.x tarball, all of
# them extracted in one pass on first use into
# ${ZCBLK_CACHE:-~/.cache/zcblk}/linux-tools/<package>-<version>/, where
# every later clone finds them: each pass decompresses the whole tarball
# (about 40 s of CPU beside make check's VMs), and a fresh clone made
# three to five of them.
LINUX_TOOL_FILES=(scripts/checkpatch.pl scripts/spelling.txt
	scripts/const_structs.checkpatch scripts/kernel-doc tools/net/ynl
	Documentation/netlink/genetlink-legacy.yaml)

# linux_tools_dir [TARBALL]: prints the directory holding TARBALL's
# (default: the newest /usr/src/linux-source-6.*.tar.xz) tree of those
# files. Exits 4 (a skip, said on stderr, since it runs in $(...)) if no
# such package is installed, 1 if extracting fails.
linux_tools_dir() {
	local src=${1:-} pkg ver top dir f pats=()
	[ -n "$src" ] ||
		src=$(printf '%s\n' /usr/src/linux-source-6.*.tar.xz | sort -V | tail -n 1)
	[ -f "$src" ] || { echo "# SKIP no linux-source-6.x package" >&2; exit 4; }
	pkg=$(basename "$src" .tar.xz)
	ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) || ver=unknown
	top=${ZCBLK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zcblk}/linux-tools
	dir=$top/$pkg-$ver
	mkdir -p "$top" || exit 1
	(
		flock 9
		[ -f "$dir/.complete" ] && exit 0
		rm -rf "$dir.tmp" "$dir"
		mkdir -p "$dir.tmp" || exit 1
		for f in "${LINUX_TOOL_FILES[@]}"; do pats+=("$pkg/$f"); done
		tar -xJf "$src" -C "$dir.tmp" "${pats[@]}" >&2 || exit 1
		mv "$dir.tmp/$pkg" "$dir" && rmdir "$dir.tmp" &&
			touch "$dir/.complete"
	) 9>"$dir.lock" || exit 1
	echo "$dir"
}

# linux_tool FILE: prints the path of FILE (one of LINUX_TOOL_FILES) in
# the newest tarball's tree.
linux_tool() {
	local dir
	dir=$(linux_tools_dir "") || exit $?
	[ -e "$dir/$1" ] || { echo "# $dir/$1: not there" >&2; exit 1; }
	echo "$dir/$1"
}
