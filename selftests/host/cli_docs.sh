#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host check: for zcblkctl itself and each of its commands (those its
# --help lists), the long options of `zcblkctl [<command>] --help`, of
# userlib/man/zcblkctl.8 and of userlib/zcblkctl.bash-completion are the
# same. Exit 1 naming each option missing from one of them.
#
# Where each source has them:
# - --help: its option lines, "  -x, --name ..." or "      --name ...";
# - zcblkctl.8: for a command, its SYNOPSIS lines (".B zcblkctl <command>"
#   to ".br") and the tags (the line after .TP) of its ".SS <command>",
#   and --help, which the page gives once for every command (section
#   "help"); for zcblkctl itself, the tags of ".SH OPTIONS";
# - the completion: what it offers for "zcblkctl [<command>] --<TAB>",
#   _zcblkctl run in a bash that sourced it.
# Runs after `make all` (build/userlib/zcblkctl; ZCBLKCTL overrides it).
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo" || exit 1
ctl=${ZCBLKCTL:-build/userlib/zcblkctl}
man=userlib/man/zcblkctl.8
comp=userlib/zcblkctl.bash-completion
[ -x "$ctl" ] || { echo "# SKIP $ctl not built (make userlib)"; exit 4; }

tmp=$(mktemp -d /tmp/zcblk-cli-docs.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
rc=0

# The commands, as `zcblkctl --help` lists them ("help" is none).
mapfile -t cmds < <("$ctl" --help |
	awk '/^Commands:/ { c = 1; next } c && /^$/ { exit }
	     c && $1 != "help" { print $1 }')
[ ${#cmds[@]} -gt 0 ] || { echo "# FAIL: '$ctl --help' lists no command"; exit 1; }

# help_opts [CMD]: the long options of `zcblkctl [CMD] --help`, sorted.
help_opts() {
	"$ctl" "$@" --help 2>&1 |
		sed -n -E 's/^  (-[A-Za-z0-9], |    )--([a-z][a-z0-9-]*).*/\2/p' |
		sort -u
}

# man_opts CMD: the long options the man page gives CMD ("" for
# zcblkctl's own), sorted.
man_opts() {
	awk -v cmd="$1" '
	function opts(line,   s) {
		gsub(/\\-/, "-", line)
		while (match(line, /--[a-z][a-z0-9-]*[a-z0-9]/)) {
			print substr(line, RSTART + 2, RLENGTH - 2)
			line = substr(line, RSTART + RLENGTH)
		}
	}
	/^\.SH / { sh = $2; ss = ""; syn = 0; tag = 0; next }
	/^\.SS / { ss = $2; tag = 0; next }
	sh == "SYNOPSIS" && /^\.br/ { syn = 0; next }
	sh == "SYNOPSIS" && cmd != "" && $0 == ".B zcblkctl " cmd { syn = 1 }
	syn { opts($0); next }
	/^\.TP/ { tag = 1; next }
	tag {
		tag = 0
		if ((cmd == "" && sh == "OPTIONS") ||
		    (cmd != "" && sh == "COMMANDS" && ss == cmd))
			opts($0)
	}
	END { if (cmd != "") print "help" }' "$man" | sort -u
}

# comp_opts [CMD]: what the completion offers after "zcblkctl [CMD] --".
comp_opts() {
	# shellcheck disable=SC2016 # expanded by the inner bash
	bash -c 'source "$1" || exit 1; shift
		COMP_WORDS=(zcblkctl "$@" --)
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_zcblkctl
		printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$@" |
		sed -n 's/^--//p' | sort -u
}

n=0
for cmd in "" "${cmds[@]}"; do
	what=${cmd:-zcblkctl}
	help_opts ${cmd:+"$cmd"} >"$tmp/help"
	man_opts "$cmd" >"$tmp/man"
	comp_opts ${cmd:+"$cmd"} >"$tmp/comp"
	if [ ! -s "$tmp/help" ]; then
		echo "# FAIL: $what: no option in its --help"
		rc=1
		continue
	fi
	sort -u "$tmp/help" "$tmp/man" "$tmp/comp" >"$tmp/all"
	while read -r opt; do
		n=$((n + 1))
		missing=()
		grep -qx -- "$opt" "$tmp/help" || missing+=("--help")
		grep -qx -- "$opt" "$tmp/man" || missing+=("$man")
		grep -qx -- "$opt" "$tmp/comp" || missing+=("$comp")
		if [ ${#missing[@]} -gt 0 ]; then
			echo "# FAIL: $what --$opt: not in ${missing[*]}"
			rc=1
		fi
	done <"$tmp/all"
done
[ $rc = 0 ] &&
	echo "# zcblkctl and its ${#cmds[@]} commands: $n long options, the same in --help, $man and $comp"
exit $rc
