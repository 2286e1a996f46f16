#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host check: `make install DESTDIR=<tmp> PREFIX=/usr` installs exactly the
# expected files (modules for every target kernel, libzcblk, headers:
# <linux/zcblk.h> in include/zcblk/linux, not linux-libc-dev's include/linux,
# zcblk.pc, zcblkctl, man pages: zcblkctl.8, libzcblk.3 and a page for each
# function libzcblk exports, a ".so" link to libzcblk.3, which names it;
# bash completion), a program builds
# against that install with pkg-config (statically linked to libzcblk:
# build/selftests/install_prog, which the VM test install_prog.sh runs;
# dynamically too, as a link check), and `make uninstall` removes every
# file again. Also the default PREFIX (/usr/local). Runs after `make all`.
# check.sh: before the VMs (their install_prog.sh runs what it builds)
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo" || exit 1
krels=${KRELS:-$("$repo/selftests/vm/kernels.sh" 2>/dev/null)}
[ -n "$krels" ] || { echo "# no kernel headers installed"; exit 1; }
command -v pkg-config >/dev/null || { echo "# SKIP pkg-config not installed"; exit 4; }
version=$(sed -n 's/.*ZCBLK_VERSION[[:space:]]*"\(.*\)".*/\1/p' kernel/dev.h)
# What libzcblk exports (its version script): one man page each.
mapfile -t funcs < <(sed -n 's/^[[:space:]]*\(zcblk_[a-z0-9_]*\);$/\1/p' userlib/lib/libzcblk.map)
[ ${#funcs[@]} -gt 0 ] || { echo "# FAIL: no function in userlib/lib/libzcblk.map"; exit 1; }

tmp=$(mktemp -d /tmp/zcblk-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/root work=$tmp/work
mkdir -p "$dest" "$work" build/selftests
rc=0
bad() { echo "# FAIL: $*"; rc=1; }

# installed <destdir>: every file and symlink under it, relative, sorted.
installed() { (cd "$1" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort); }

# The install.
if ! make -s install DESTDIR="$dest" PREFIX=/usr KRELS="$krels" >"$work/log" 2>&1; then
	sed 's/^/# /' "$work/log"
	echo "# FAIL: make install DESTDIR=... PREFIX=/usr"
	exit 1
fi
{
	for rel in $krels; do echo "lib/modules/$rel/updates/zcblk.ko"; done
	printf '%s\n' usr/include/zcblk/linux/zcblk.h usr/include/zcblk.h \
		usr/include/zcblk_dev.h usr/include/zcblk_media.h \
		usr/include/zcblk_monitor.h \
		usr/include/zcblk_pt.h \
		usr/lib/libzcblk.a usr/lib/libzcblk.so usr/lib/libzcblk.so.1 \
		usr/lib/pkgconfig/zcblk.pc usr/sbin/zcblkctl \
		usr/share/bash-completion/completions/zcblkctl \
		usr/share/man/man3/libzcblk.3 usr/share/man/man8/zcblkctl.8
	printf 'usr/share/man/man3/%s.3\n' "${funcs[@]}"
} | sort >"$work/want"
installed "$dest" >"$work/got"
if cmp -s "$work/want" "$work/got"; then
	echo "# make install: the $(wc -l <"$work/want") expected files"
else
	bad "make install: files differ from the expected ones (-want +got):"
	diff "$work/want" "$work/got" | sed -n 's/^\([<>]\)/#   \1/p'
fi

# Each file is what it should be.
for rel in $krels; do
	ko=$dest/lib/modules/$rel/updates/zcblk.ko
	[ -f "$ko" ] || continue
	vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null)
	[ "${vermagic%% *}" = "$rel" ] ||
		bad "lib/modules/$rel/updates/zcblk.ko: vermagic '$vermagic'"
	[ "$(modinfo -F version "$ko" 2>/dev/null)" = "$version" ] ||
		bad "zcblk.ko for $rel: MODULE_VERSION is not '$version'"
	cmp -s "$ko" "build/kmod/$rel/kernel/zcblk.ko" ||
		bad "zcblk.ko for $rel differs from build/kmod/$rel"
done
lib=$dest/usr/lib
[ "$(readlink "$lib/libzcblk.so")" = libzcblk.so.1 ] ||
	bad "libzcblk.so -> '$(readlink "$lib/libzcblk.so")', want libzcblk.so.1"
soname=$(objdump -p "$lib/libzcblk.so.1" 2>/dev/null | awk '$1 == "SONAME" { print $2 }')
[ "$soname" = libzcblk.so.1 ] || bad "libzcblk.so.1: SONAME '$soname'"
cmp -s "$dest/usr/include/zcblk/linux/zcblk.h" uapi/linux/zcblk.h ||
	bad "include/zcblk/linux/zcblk.h differs from uapi/linux/zcblk.h"
for h in zcblk.h zcblk_dev.h zcblk_media.h zcblk_monitor.h zcblk_pt.h; do
	cmp -s "$dest/usr/include/$h" "userlib/include/$h" ||
		bad "include/$h differs from userlib/include/$h"
done
[ -x "$dest/usr/sbin/zcblkctl" ] || bad "sbin/zcblkctl not executable"
"$dest/usr/sbin/zcblkctl" help 2>&1 | grep -q '^Usage: zcblkctl' ||
	bad "installed zcblkctl: 'zcblkctl help' prints no usage"
pc=$dest/usr/lib/pkgconfig/zcblk.pc
grep -qx 'prefix=/usr' "$pc" || bad "zcblk.pc: prefix is not /usr"
grep -qx 'Requires.private: libmnl' "$pc" || bad "zcblk.pc: no 'Requires.private: libmnl'"
# shellcheck disable=SC2016 # zcblk.pc's own variables, not expanded
grep -qx 'Cflags: -I${includedir} -I${includedir}/zcblk' "$pc" ||
	bad "zcblk.pc: Cflags without -I\${includedir}/zcblk (for <linux/zcblk.h>)"
if ! grep -q '@' "$pc"; then :; else bad "zcblk.pc: unsubstituted @...@"; fi

# Man pages: no groff/man warning (as lintian checks them).
if command -v man >/dev/null; then
	for page in "$dest/usr/share/man/man8/zcblkctl.8" "$dest/usr/share/man/man3/libzcblk.3"; do
		LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
			man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>"$work/man.err" >/dev/null
		if [ -s "$work/man.err" ]; then
			bad "${page#"$dest"/}: man warnings:"
			sed 's/^/#   /' "$work/man.err"
		fi
	done
fi

# Each function's page: a link to libzcblk.3, whose NAME section names it,
# and which man finds under its name.
man3=$dest/usr/share/man/man3
names=$(awk '/^\.SH NAME/ { f = 1; next } /^\.SH/ { f = 0 } f' userlib/man/libzcblk.3 |
	tr -cs 'a-z0-9_' '\n')
nolink=() unnamed=() unfound=()
for f in "${funcs[@]}"; do
	[ "$(cat "$man3/$f.3" 2>/dev/null)" = ".so man3/libzcblk.3" ] || nolink+=("$f")
	grep -qx -- "$f" <<<"$names" || unnamed+=("$f")
	if command -v man >/dev/null &&
	   [ "$(MANPATH=$dest/usr/share/man man -w "$f" 2>/dev/null)" != "$man3/libzcblk.3" ]; then
		unfound+=("$f")
	fi
done
[ ${#nolink[@]} = 0 ] || bad "man3 pages that are not '.so man3/libzcblk.3': ${nolink[*]}"
[ ${#unnamed[@]} = 0 ] || bad "libzcblk.3's NAME lacks: ${unnamed[*]}"
[ ${#unfound[@]} = 0 ] || bad "'man -w' does not find libzcblk.3 for: ${unfound[*]}"
[ ${#nolink[@]} = 0 ] && [ ${#unnamed[@]} = 0 ] && [ ${#unfound[@]} = 0 ] &&
	echo "# man3: a page for each of the ${#funcs[@]} functions, libzcblk.3 by '.so'"

# The completion loads and registers itself.
comp=$dest/usr/share/bash-completion/completions/zcblkctl
bash -n "$comp" || bad "bash completion: syntax error"
# shellcheck disable=SC2016 # expanded by the inner bash
bash -c 'source "$1" && complete -p zcblkctl' _ "$comp" >/dev/null 2>&1 ||
	bad "bash completion: 'complete -p zcblkctl' after sourcing it"

# Build against the install as its users would.
pcenv=(env PKG_CONFIG_SYSROOT_DIR="$dest"
	PKG_CONFIG_LIBDIR="$dest/usr/lib/pkgconfig:$(pkg-config --variable pc_path pkg-config)")
modversion=$("${pcenv[@]}" pkg-config --modversion zcblk 2>&1)
[ "$modversion" = "$version" ] || bad "pkg-config --modversion zcblk: '$modversion', want '$version'"
if cflags=$("${pcenv[@]}" pkg-config --cflags zcblk 2>"$work/pc.err") &&
   libs=$("${pcenv[@]}" pkg-config --libs zcblk 2>>"$work/pc.err") &&
   slibs=$("${pcenv[@]}" pkg-config --static --libs zcblk 2>>"$work/pc.err"); then
	echo "# pkg-config --cflags --libs zcblk: $cflags $libs"
	read -r -a cflags <<<"$cflags"
	read -r -a libs <<<"$libs"
	# Static libzcblk, shared libmnl (Debian ships no libmnl.a).
	read -r -a slibs <<<"${slibs/-lzcblk/-l:libzcblk.a}"
	prog=build/selftests/install_prog
	rm -f "$prog"
	if cc -Wall -Wextra -Werror -O2 "${cflags[@]}" -o "$prog" \
		selftests/install_prog.c "${slibs[@]}" >"$work/cc.log" 2>&1; then
		if objdump -p "$prog" | grep -q 'NEEDED.*libzcblk'; then
			bad "$prog: linked to libzcblk.so, not libzcblk.a"
		else
			echo "# built $prog (libzcblk.a from the install)"
		fi
	else
		bad "cc $prog against the install:"
		sed 's/^/#   /' "$work/cc.log"
	fi
	if cc -Wall -Wextra -Werror -O2 "${cflags[@]}" -o "$work/install_prog_so" \
		selftests/install_prog.c "${libs[@]}" >"$work/cc.log" 2>&1; then
		# The host has no zcblk: 4 (family missing) shows it loaded and ran.
		out=$(LD_LIBRARY_PATH=$lib "$work/install_prog_so" --open 2>&1)
		case $? in
		0|4) echo "# linked to libzcblk.so.1 from the install, ran: ${out#\# }" ;;
		*) bad "install_prog against libzcblk.so.1: $out" ;;
		esac
	else
		bad "cc install_prog against libzcblk.so:"
		sed 's/^/#   /' "$work/cc.log"
	fi
	if command -v g++ >/dev/null &&
	   ! echo '#include <zcblk.h>' | g++ -x c++ -fsyntax-only -Wall -Werror \
		"${cflags[@]}" - >"$work/cxx.log" 2>&1; then
		bad "zcblk.h in C++:"
		sed 's/^/#   /' "$work/cxx.log"
	fi
else
	bad "pkg-config zcblk:"
	sed 's/^/#   /' "$work/pc.err"
fi

# The uninstall leaves no file.
if ! make -s uninstall DESTDIR="$dest" PREFIX=/usr KRELS="$krels" >"$work/log" 2>&1; then
	sed 's/^/# /' "$work/log"
	bad "make uninstall DESTDIR=... PREFIX=/usr"
fi
installed "$dest" >"$work/left"
if [ -s "$work/left" ]; then
	bad "make uninstall left:"
	sed 's/^/#   /' "$work/left"
else
	echo "# make uninstall: no file left"
fi

# Default PREFIX: /usr/local, and zcblk.pc says so.
dest2=$tmp/root2
if make -s install DESTDIR="$dest2" KRELS="$krels" >"$work/log" 2>&1 &&
   [ -f "$dest2/usr/local/lib/libzcblk.so.1" ] &&
   [ -f "$dest2/usr/local/sbin/zcblkctl" ] &&
   grep -qx 'prefix=/usr/local' "$dest2/usr/local/lib/pkgconfig/zcblk.pc" &&
   make -s uninstall DESTDIR="$dest2" KRELS="$krels" >>"$work/log" 2>&1 &&
   [ -z "$(installed "$dest2")" ]; then
	echo "# default PREFIX /usr/local: installed and uninstalled"
else
	sed 's/^/# /' "$work/log"
	bad "install/uninstall with the default PREFIX"
fi
exit $rc
