#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zcblkctl's usage errors and the errors it reports, message for message:
# getopt_long()'s refusals name the option as typed (an argument given to
# an option that takes none, an ambiguous prefix with its candidates, an
# unknown option, a missing argument; long and short, in every command
# and before it); an option's old spelling names its netlink name
# ("--queues is now --nr-queues");
# add refuses a block size other than 512 or 4096, --completion-ns
# without --completion timer, each zone option without --zoned and zone
# options' values that are not numbers (or sizes); set -j whose disk went
# away before the reply
# (the DEV_SET reply dropped by cli_drop_reply.so) exits 2 with the
# library's message and prints no disk. Usage errors exit 1, print nothing
# on stdout and exactly two lines on stderr: the message and the hint.
#
# Needs root, zcblk.ko loaded and build/selftests/cli_drop_reply.so.
# Exit: 0 pass, 1 fail, 4 skip.
. "$(dirname "$0")/lib.sh"

[ -d /sys/module/zcblk ] || skip "zcblk module not loaded"
preload=$(realpath "$ZCBLK_BUILD/selftests/cli_drop_reply.so" 2>/dev/null)
[ -f "$preload" ] || fail "$ZCBLK_BUILD/selftests/cli_drop_reply.so not built"

# field DISK KEY: KEY's value in `zcblkctl show -j DISK`, without a fork
# of python3 (slow under TCG).
field() {
	local json re="\"$2\": (\"[^\"]*\"|[0-9]+)"
	json=$("$ZCBLKCTL" show -j "$1") || fail "zcblkctl show -j $1"
	[[ $json =~ $re ]] || fail "zcblkctl show -j $1: no $2: $json"
	echo "${BASH_REMATCH[1]//\"/}"
}

# usage MESSAGE CMD ARGS...: lib.sh's usage_cmd, arguments in this order.
usage() {
	local msg=$1 cmd=$2
	shift 2
	usage_cmd "$cmd" "$msg" "$@"
}

# getopt_long()'s refusals, long options.
usage "--buffered takes no argument" add --buffered=1
usage "--buf takes no argument" add --backend mem --buf=yes
usage "--json takes no argument" list --json=1
usage "--json takes no argument" set 0 --json=x
usage "--js takes no argument" stats --js=1
usage "--help takes no argument" del --help=1
usage "--json takes no argument" monitor --ready-file=x --json=2
usage "--comp is ambiguous: --completion, --completion-ns" add --comp
usage "--comp is ambiguous: --completion, --completion-ns" \
	add --comp=timer
usage "--zone is ambiguous: --zoned, --zone-size, --zone-capacity, --zone-nr-conv, --zone-max-open, --zone-max-active" \
	add --backend mem --size 1G --zone 64M
usage "--zoned takes no argument" add --backend mem --size 1G --zoned=yes
usage "--zone-size needs an argument" \
	add --backend mem --size 1G --zoned --zone-size
usage "--fail is ambiguous: --fail-every, --fail-ppm, --fail-status, --fail-ops" \
	set 0 --fail 1
usage "invalid NVMe status: 0x0x281" set 0 --fail-status 0x0x281
usage "invalid NVMe status: 0xg" set 0 --fail-status 0xg
usage "unknown option --foo" add --foo
usage "unknown option --foo" add --foo=3
usage "unknown option --bogus" show --bogus=1 0
usage "unknown option --=x" features --=x
usage "--size needs an argument" add --backend mem --size
usage "--stall needs an argument" set 0 --stall
usage "--ready-file needs an argument" monitor --ready-file
# Short options.
usage "unknown option -x" add -x
usage "unknown option -x" list -jx
usage "unknown option -x" version -xj
usage "-s needs an argument" add -b mem -s
usage "-s needs an argument" add -js
usage "-c needs an argument" monitor -c
# zcblkctl's own options, before the command (lib.sh's usage_main).
usage_main "unknown option --foo" --foo list
usage_main "unknown option -x" -x list
usage_main "--pretty takes no argument" --pretty=1 list
usage_main "unexpected argument: list" -V list
usage_main "unexpected argument: version" --version version

# One name per setting, its netlink attribute's: the old spellings are
# refused (with or without a value, "=" or not), naming the new one, and
# so is an abbreviation of one alone; one that also abbreviates a current
# option is ambiguous, as any.
for old in queues:nr-queues depth:queue-depth uid:node-uid gid:node-gid \
	mode:node-mode zone-conv:zone-nr-conv; do
	usage "--${old%%:*} is now --${old#*:}" \
		add --backend mem --size 16M "--${old%%:*}" 1
	usage "--${old%%:*} is now --${old#*:}" \
		add --backend mem --size 16M "--${old%%:*}=1"
	usage "--${old%%:*} is now --${old#*:}" add "--${old%%:*}"
done
usage "--depth is now --queue-depth" add --backend mem --size 16M --dep 8
usage "--que is ambiguous: --queue-depth, --queues" \
	add --backend mem --size 16M --que 8
usage "--n is ambiguous: --nr-queues, --node-uid, --node-gid, --node-mode" \
	add --backend mem --size 16M --n 1

run list -j
[ "$rc" -eq 0 ] || fail "list -j: exit $rc: $err"
before=$out

# add: block sizes other than 512 and 4096, within the kernel's range
# 512..4096 or not; --completion-ns without timer completion.
usage "invalid block size (512 or 4096): 8192" \
	add --backend mem --size 16M --block-size 8192
usage "invalid block size (512 or 4096): 1024" \
	add --backend mem --size 16M --block-size 1024
usage "invalid block size (512 or 4096): 0" \
	add --backend mem --size 16M -B 0
usage "--completion-ns needs --completion timer" \
	add --backend mem --size 16M --completion-ns 5000
usage "--completion-ns needs --completion timer" \
	add --backend mem --size 16M --completion softirq --completion-ns 5000
usage "--completion-ns needs --completion timer" \
	add --backend mem --size 16M --completion-ns 5000 --completion inline
# The zone options: only with --zoned (the first of them named), and
# numbers (sizes for the size and capacity, as --size takes them).
usage "--zone-size needs --zoned" add --backend mem --size 1G --zone-size 64M
usage "--zone-capacity needs --zoned" \
	add --backend mem --size 1G --zone-capacity 48M
usage "--zone-nr-conv needs --zoned" \
	add --backend mem --size 1G --zone-nr-conv 1
usage "--zone-max-open needs --zoned" \
	add --backend mem --size 1G --zone-max-open 8
usage "--zone-max-active needs --zoned" \
	add --backend null --size 1G --zone-max-active 8
usage "--zone-size needs --zoned" \
	add --backend mem --size 1G --zone-max-open 8 --zone-size 64M
usage "invalid zone size: 64X" \
	add --backend mem --size 1G --zoned --zone-size 64X
usage "invalid zone size: -64M" \
	add --backend mem --size 1G --zoned --zone-size -64M
usage "invalid zone capacity: 48MB" \
	add --backend mem --size 1G --zoned --zone-capacity 48MB
usage "invalid number of conventional zones: 1M" \
	add --backend mem --size 1G --zoned --zone-nr-conv 1M
usage "invalid number of conventional zones: 4294967296" \
	add --backend mem --size 1G --zoned --zone-nr-conv 4294967296
usage "invalid number of open zones: -1" \
	add --backend mem --size 1G --zoned --zone-max-open -1
usage "invalid number of active zones: eight" \
	add --backend mem --size 1G --zoned --zone-max-active eight
run list -j
[ "$rc" -eq 0 ] || fail "list -j: exit $rc: $err"
[ "$out" = "$before" ] || fail "a refused add made a disk: $out"

# What is allowed: both block sizes, --completion-ns with timer (in
# either order).
d512=$(add_disk --backend null --size 16M --block-size 512)
d4k=$(add_disk --backend null --size 16M -B 4096 --completion-ns 5000 \
	--completion timer)
[ "$(field "$d512" block_size)" = 512 ] || fail "$d512: block size"
[ "$(field "$d4k" block_size)" = 4096 ] || fail "$d4k: block size"
[ "$(field "$d4k" completion)" = timer ] || fail "$d4k: completion"
[ "$(field "$d4k" completion_ns)" = 5000 ] || fail "$d4k: completion_ns"
log "--block-size 512 and 4096, --completion-ns with timer: ok"

# set -j, the reply lost as when the disk goes right after the change:
# exit 2, the library's reason, nothing printed. The change was made.
want="zcblkctl: No such device: index: disk removed right after the change"
for j in -j ""; do
	# shellcheck disable=SC2086 # $j: an option or none
	LD_PRELOAD=$preload "$ZCBLKCTL" set $j "$d512" --latency-ns 777 \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(<"$TMP/out")
	err=$(<"$TMP/err")
	[ "$rc" -eq 2 ] || fail "set $j, no reply: exit $rc, want 2: $out $err"
	[ -z "$out" ] || fail "set $j, no reply: printed: $out"
	[ "$err" = "$want" ] || fail "set $j, no reply: stderr \"$err\", want \"$want\""
	[ "$(field "$d512" latency_ns)" = 777 ] ||
		fail "set $j, no reply: the change is not there"
	run set "$d512" --latency-ns 0
	[ "$rc" -eq 0 ] || fail "set $d512 --latency-ns 0: exit $rc: $err"
	log "set ${j:-without -j}, its reply lost: exit 2, \"$want\""
done
# The shim drops only DEV_SET replies: other commands work through it.
LD_PRELOAD=$preload "$ZCBLKCTL" show -j "$d512" >"$TMP/out" 2>"$TMP/err" ||
	fail "show under cli_drop_reply.so: $(cat "$TMP/err")"

# set -j on a disk that is gone: exit 2, No such device, nothing printed.
idx=${d4k#zcblk}
del_disk "$d4k"
run set -j "$idx" --latency-ns 1
[ "$rc" -eq 2 ] || fail "set -j of a deleted disk: exit $rc, want 2: $err"
[ -z "$out" ] || fail "set -j of a deleted disk: printed: $out"
[[ $err == "zcblkctl: No such device"* ]] ||
	fail "set -j of a deleted disk: stderr: $err"
log "set -j of a deleted disk: exit 2, $err"
exit $KSFT_PASS
