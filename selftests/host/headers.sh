#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host check: the public headers (userlib/include/zcblk.h; zcblk_dev.h,
# zcblk_media.h, zcblk_monitor.h and zcblk_pt.h through it;
# uapi/linux/zcblk.h) compile
# on their own, twice included, as -std=c99 and -std=c11 with -pedantic
# -Wall -Wextra -Werror (and as C++11 if there is a C++ compiler), not as
# system headers; and they declare what libzcblk exports: their
# ZCBLK_EXPORT functions are the list of userlib/lib/libzcblk.map and the
# functions libzcblk.so defines, every one at the version of its node in
# the map (LIBZCBLK_1.0, LIBZCBLK_1.1 for those added later, ...), and
# libzcblk.a defines no global symbol outside zcblk_ (its internal ones
# are zcblk__), all hidden.
# Runs after `make all` (the libraries).
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo" || exit 1
cc=${CC:-cc}
command -v "$cc" >/dev/null || { echo "# SKIP no C compiler ($cc)"; exit 4; }
lib=build/userlib
map=userlib/lib/libzcblk.map

tmp=$(mktemp -d /tmp/zcblk-headers.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
rc=0
bad() { echo "# FAIL: $*"; rc=1; }
# The headers <zcblk.h> includes, only ever included through it (each
# says so otherwise).
subs=(zcblk_dev.h zcblk_media.h zcblk_monitor.h zcblk_pt.h)

# unit <header>: a file that includes it twice, and for <zcblk.h> and
# the headers it includes uses the anonymous union of struct
# zcblk_dev_params.
unit() {
	printf '#include <%s>\n#include <%s>\n' "$1" "$1"
	case $1 in
	zcblk.h|zcblk_*.h)
		printf '%s\n' 'int zcblk_headers_check(void);' \
			'int zcblk_headers_check(void)' '{' \
			'	struct zcblk_dev_params p;' '	p.size = sizeof(p);' \
			'	p.path = "x";' \
			'	return (int)p.size + ZCBLK_VERSION_MAJOR + ZCBLK_VERSION_MINOR;' '}' ;;
	*)	printf 'int zcblk_headers_check;\n' ;;
	esac
}

# Each of subs (zcblk_*.h) after <zcblk.h>, which includes it.
n=0
for h in zcblk.h "${subs[@]}" linux/zcblk.h; do
	for std in c99 c11; do
		{ [ "$h" = "${h#zcblk_}" ] || echo '#include <zcblk.h>'; unit "$h"; } >"$tmp/unit.c"
		if "$cc" "-std=$std" -pedantic -Wall -Wextra -Werror -fsyntax-only \
			-Iuserlib/include -Iuapi "$tmp/unit.c" >"$tmp/cc.log" 2>&1; then
			n=$((n + 1))
		else
			bad "$h with $cc -std=$std -pedantic -Wall -Wextra -Werror:"
			sed 's/^/#   /' "$tmp/cc.log"
		fi
	done
done
[ $rc = 0 ] && echo "# zcblk.h, ${subs[*]/%/,} linux/zcblk.h: clean as C99 and C11 (-pedantic -Werror)"
cxx=${CXX:-c++}
if command -v "$cxx" >/dev/null; then
	unit zcblk.h >"$tmp/unit.cc"
	if "$cxx" -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only \
		-Iuserlib/include -Iuapi "$tmp/unit.cc" >"$tmp/cc.log" 2>&1; then
		echo "# zcblk.h: clean as C++11 (-pedantic -Werror)"
	else
		bad "zcblk.h with $cxx -std=c++11 -pedantic -Wall -Wextra -Werror:"
		sed 's/^/#   /' "$tmp/cc.log"
	fi
else
	echo "# no C++ compiler ($cxx): C++ not checked"
fi

# What libzcblk exports.
for f in "$lib/libzcblk.so.1" "$lib/libzcblk.a"; do
	[ -f "$f" ] || { bad "$f: not built (make userlib)"; exit 1; }
done
# The declarations, the version script's global: list, the library's.
for h in zcblk.h "${subs[@]}"; do
	tr '\n' ' ' <"userlib/include/$h"
done >"$tmp/decls"
grep -oE 'ZCBLK_EXPORT [^;]*;' "$tmp/decls" | grep -oE '\bzcblk_[a-z0-9_]+ *\(' |
	tr -d ' (' | sort -u >"$tmp/want"
# The version script: "<function>@@<version>", each function at its
# node's version (LIBZCBLK_1.0 { ... }; LIBZCBLK_1.1 { ... } LIBZCBLK_1.0;
# ...), comments cut.
sed 's|/\*.*\*/||' "$map" | awk '
	/^[[:space:]]*\*/ || /^[[:space:]]*\/\*/ { next }
	match($0, /^[[:space:]]*LIBZCBLK_[0-9.]+[[:space:]]*\{/) {
		node = $1; sub(/\{.*/, "", node); next
	}
	/^[[:space:]]*zcblk_[a-z0-9_]+;/ {
		f = $1; sub(/;.*/, "", f); print f "@@" node
	}' | sort >"$tmp/map.ver"
sed 's/@@.*//' "$tmp/map.ver" | sort >"$tmp/map"
# The library's: its functions with their versions (not the version
# nodes' own absolute symbols).
nm -D --defined-only "$lib/libzcblk.so.1" | awk '{ print $3 }' |
	grep -v '^LIBZCBLK_[0-9.]*$' | sort >"$tmp/so"
if ! cmp -s "$tmp/want" "$tmp/map"; then
	bad "$map differs from the headers' ZCBLK_EXPORT functions (-headers +map):"
	diff "$tmp/want" "$tmp/map" | sed -n 's/^\([<>]\)/#   \1/p'
fi
dup=$(uniq -d "$tmp/map")
[ -z "$dup" ] || bad "$map: in more than one node:" "${dup//$'\n'/ }"
if sed 's/@@.*$//' "$tmp/so" | cmp -s "$tmp/want" -; then
	:
else
	bad "libzcblk.so.1's symbols differ from the headers' functions (-headers +so):"
	sed 's/@@.*$//' "$tmp/so" | diff "$tmp/want" - |
		sed -n 's/^\([<>]\)/#   \1/p'
fi
if ! cmp -s "$tmp/map.ver" "$tmp/so"; then
	bad "libzcblk.so.1: a version other than its node's in $map (-map +so):"
	diff "$tmp/map.ver" "$tmp/so" | sed -n 's/^\([<>]\)/#   \1/p'
fi
nodes=$(sed 's/.*@@//' "$tmp/map.ver" | sort -u -V | tr '\n' ' ')
[ $rc = 0 ] &&
	echo "# libzcblk.so.1: exports the headers' $(wc -l <"$tmp/want") functions, each at its node's version (${nodes% }), and nothing else"

# libzcblk.a: global names zcblk_ (internal: zcblk__), none visible.
nm -g --defined-only "$lib/libzcblk.a" | awk 'NF == 3 { print $3 }' | sort >"$tmp/a"
stray=$(grep -v '^zcblk_' "$tmp/a")
[ -z "$stray" ] || bad "libzcblk.a: global symbols outside zcblk_:" "${stray//$'\n'/ }"
internal=$(grep -vxF -f "$tmp/want" "$tmp/a" | grep -v '^zcblk__')
[ -z "$internal" ] || bad "libzcblk.a: internal globals not named zcblk__:" "${internal//$'\n'/ }"
visible=$(readelf -sW "$lib/libzcblk.a" |
	awk '$5 == "GLOBAL" && $7 != "UND" && $6 != "HIDDEN" { print $8 }')
[ -z "$visible" ] || bad "libzcblk.a: symbols not hidden:" "${visible//$'\n'/ }"
[ -z "$stray$internal$visible" ] &&
	echo "# libzcblk.a: $(wc -l <"$tmp/a") global symbols, all zcblk_ (internal: zcblk__), all hidden"
exit $rc
