#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zcblkctl run by an unprivileged user (uid/gid 65534, no groups): add,
# del and set are refused; list (table and JSON), show, stats and features
# work and show root's disk; monitor sees root's changes; and the exit
# codes and messages of a refused del.
#
# Needs root, zcblk.ko loaded and setpriv (util-linux). Run from the repo
# root; zcblkctl is taken from ${ZCBLK_BUILD:-build}/userlib/zcblkctl.
# Exit: 0 pass, 1 fail, 4 skip.

set -u

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

ZCBLKCTL_BUILT=${ZCBLK_BUILD:-build}/userlib/zcblkctl
UNPRIV=(setpriv --reuid=65534 --regid=65534 --clear-groups)

failures=0
tests=0
disk=
tmpdir=

ok() {
	tests=$((tests + 1))
	echo "ok $tests $1"
}

not_ok() {
	tests=$((tests + 1))
	failures=$((failures + 1))
	echo "not ok $tests $1"
	shift
	local line
	for line in "$@"; do
		echo "#   $line"
	done
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit "$KSFT_SKIP"
}

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	if [[ -n $disk ]]; then
		"$ZCBLKCTL" del "$disk" >/dev/null 2>&1 ||
			echo "# cleanup: could not remove $disk"
	fi
	if [[ -n $tmpdir ]]; then
		rm -rf "$tmpdir"
	fi
}

# check DESCRIPTION EXPECTED_RC ACTUAL_RC OUTPUT [PATTERN]:
# the exit code is EXPECTED_RC and OUTPUT contains PATTERN (fixed string).
check() {
	local desc=$1 want_rc=$2 rc=$3 out=$4 pattern=${5:-}

	if [[ $rc -ne $want_rc ]]; then
		not_ok "$desc" "exit code $rc, expected $want_rc" "output: $out"
	elif [[ -n $pattern && $out != *"$pattern"* ]]; then
		not_ok "$desc" "output lacks \"$pattern\"" "output: $out"
	else
		ok "$desc"
	fi
}

[[ $(id -u) -eq 0 ]] || skip_all "needs root"
[[ -x $ZCBLKCTL_BUILT ]] || skip_all "$ZCBLKCTL_BUILT not built"
command -v setpriv >/dev/null 2>&1 || skip_all "setpriv (util-linux) missing"
[[ -d /sys/module/zcblk ]] || skip_all "zcblk module not loaded"

# A copy that uid 65534 can surely execute, wherever the build tree is.
tmpdir=$(mktemp -d) || exit "$KSFT_FAIL"
trap cleanup EXIT
chmod 755 "$tmpdir"
cp "$ZCBLKCTL_BUILT" "$tmpdir/zcblkctl" || exit "$KSFT_FAIL"
chmod 755 "$tmpdir/zcblkctl"
ZCBLKCTL=$tmpdir/zcblkctl

echo "TAP version 13"

# Root creates the disk the unprivileged user must see.
out=$("$ZCBLKCTL" add --backend null --size 16M 2>&1)
rc=$?
if [[ $rc -ne 0 || ! $out =~ ^zcblk([0-9]+)$ ]]; then
	not_ok "root: add" "exit code $rc, output: $out"
	echo "1..$tests"
	exit "$KSFT_FAIL"
fi
disk=$out
index=${BASH_REMATCH[1]}
ok "root: add prints the new disk's name ($disk)"

# An index no disk has.
missing=65000
while "$ZCBLKCTL" list | awk -v i="$missing" 'NR > 1 && $1 == i { f = 1 } END { exit !f }'; do
	missing=$((missing + 1))
done

# add
out=$("${UNPRIV[@]}" "$ZCBLKCTL" add --backend null --size 16M 2>&1)
rc=$?
if [[ $rc -eq 0 && $out =~ ^zcblk[0-9]+$ ]]; then
	"$ZCBLKCTL" del "$out" >/dev/null 2>&1
fi
check "unprivileged: add exits 2, Operation not permitted" 2 "$rc" "$out" \
	"Operation not permitted"

# del of root's disk
out=$("${UNPRIV[@]}" "$ZCBLKCTL" del "$disk" 2>&1)
rc=$?
check "unprivileged: del exits 2, Operation not permitted" 2 "$rc" "$out" \
	"Operation not permitted"

# set (live settings of root's disk)
out=$("${UNPRIV[@]}" "$ZCBLKCTL" set "$disk" --stall on 2>&1)
rc=$?
check "unprivileged: set exits 2, Operation not permitted" 2 "$rc" "$out" \
	"Operation not permitted"

# list
out=$("${UNPRIV[@]}" "$ZCBLKCTL" list 2>&1)
rc=$?
if [[ $rc -ne 0 ]]; then
	not_ok "unprivileged: list" "exit code $rc, output: $out"
elif ! awk -v i="$index" -v n="$disk" '
	NR == 1 { hdr = ($1 == "INDEX" && $2 == "NAME") }
	NR > 1 && $1 == i && $2 == n && $3 == n "c" && $4 == "null" &&
		$5 == "16.0MiB" && $9 == "live" && $11 == "-" && $12 == "-" { f = 1 }
	END { exit !(hdr && f) }' <<<"$out"; then
	not_ok "unprivileged: list shows $disk" "output: $out"
else
	ok "unprivileged: list shows $disk"
fi

# list -j
out=$("${UNPRIV[@]}" "$ZCBLKCTL" list -j 2>&1)
rc=$?
if [[ $rc -ne 0 ]]; then
	not_ok "unprivileged: list -j" "exit code $rc, output: $out"
elif command -v python3 >/dev/null 2>&1; then
	if ! python3 -m json.tool <<<"$out" >/dev/null 2>&1; then
		not_ok "unprivileged: list -j is valid JSON" "output: $out"
	else
		ok "unprivileged: list -j is valid JSON"
	fi
	if python3 -c '
import json, sys
disks = json.loads(sys.argv[1])
keys = {"index", "disk_name", "char_name", "backend", "size", "block_size",
        "nr_queues", "poll_queues", "queue_depth", "state", "alloc_bytes",
        "node_uid", "node_gid", "node_mode", "path", "read_only", "buffered",
        "zoned", "fdp", "extended_lba", "metadata_size", "pi_type",
        "pi_first", "pi_guard64", "write_cache", "timeout_ms",
        "completion", "completion_ns", "latency_ns",
        "fail_every", "fail_ppm", "fail_status", "fail_ops", "stall", "power",
        "bad_count"}
sys.exit(not any(set(d) == keys and d["index"] == int(sys.argv[2]) and
                 d["disk_name"] == sys.argv[3] and
                 d["char_name"] == sys.argv[3] + "c" and
                 d["backend"] == "null" and d["size"] == 16 << 20 and
                 d["state"] == "live" and d["node_mode"] == 0o600 and
                 d["path"] is None and d["read_only"] is False and
                 d["buffered"] is False and d["zoned"] is False and
                 d["fdp"] is False and
                 d["timeout_ms"] == 30000 and
                 d["completion"] == "inline" and d["fail_ops"] == "all" and
                 d["fail_status"] == 6 and d["stall"] is False and
                 d["write_cache"] == 0 and d["power"] == "on" and
                 d["bad_count"] == 0
                 for d in disks))' "$out" "$index" "$disk" 2>/dev/null; then
		ok "unprivileged: list -j has $disk"
	else
		not_ok "unprivileged: list -j has $disk" "output: $out"
	fi
else
	echo "# python3 missing: JSON validity not checked"
	if [[ $out == *"\"disk_name\": \"$disk\""* ]]; then
		ok "unprivileged: list -j has $disk"
	else
		not_ok "unprivileged: list -j has $disk" "output: $out"
	fi
fi

# show, -j and not
out=$("${UNPRIV[@]}" "$ZCBLKCTL" show "$disk" 2>&1)
rc=$?
check "unprivileged: show $disk" 0 "$rc" "$out" "backend        null"
out=$("${UNPRIV[@]}" "$ZCBLKCTL" show -j "$index" 2>&1)
rc=$?
check "unprivileged: show -j $disk" 0 "$rc" "$out" "\"disk_name\": \"$disk\""
check "unprivileged: show -j $disk lists its bad blocks" 0 "$rc" "$out" \
	'"bad_blocks": []'

# features
out=$("${UNPRIV[@]}" "$ZCBLKCTL" features -j 2>&1)
rc=$?
check "unprivileged: features -j" 0 "$rc" "$out" \
	'"backends": ["null", "mem", "file"]'
out=$("${UNPRIV[@]}" "$ZCBLKCTL" features 2>&1)
rc=$?
check "unprivileged: features" 0 "$rc" "$out" "max_queue_depth  4096"

# stats
out=$("${UNPRIV[@]}" "$ZCBLKCTL" stats -j "$disk" 2>&1)
rc=$?
check "unprivileged: stats -j $disk" 0 "$rc" "$out" "\"index\": $index,"

# monitor: nobody sees root's changes to a disk. Its ready file goes in a
# directory nobody may write to.
mkdir -m 1777 "$tmpdir/mon"
"${UNPRIV[@]}" "$ZCBLKCTL" monitor -j --count 2 --ready-file "$tmpdir/mon/ready" \
	>"$tmpdir/events" 2>&1 &
mon=$!
for _ in $(seq 100); do
	[[ -e $tmpdir/mon/ready ]] && break
	kill -0 "$mon" 2>/dev/null || break
	sleep 0.1
done
if [[ ! -e $tmpdir/mon/ready ]]; then
	not_ok "unprivileged: monitor subscribes" "output: $(cat "$tmpdir/events")"
	kill "$mon" 2>/dev/null
else
	"$ZCBLKCTL" set "$disk" --latency-ns 4321 >/dev/null 2>&1
	"$ZCBLKCTL" set "$disk" --latency-ns 0 >/dev/null 2>&1
	for _ in $(seq 200); do
		kill -0 "$mon" 2>/dev/null || break
		sleep 0.1
	done
	kill "$mon" 2>/dev/null
	wait "$mon"
	rc=$?
	out=$(cat "$tmpdir/events")
	if [[ $rc -eq 0 && $(grep -c "^{\"event\": \"changed\", \"index\": $index, " <<<"$out") -eq 2 &&
	      $out == *'"latency_ns": 4321'* ]]; then
		ok "unprivileged: monitor -j sees two changed events"
	else
		not_ok "unprivileged: monitor -j sees two changed events" \
			"exit code $rc" "output: $out"
	fi
fi

# del of a missing index: as root, since an unprivileged del is refused
# (EPERM) before the index is looked at.
out=$("$ZCBLKCTL" del "$missing" 2>&1)
rc=$?
check "root: del of missing index $missing exits 2, No such device" 2 "$rc" \
	"$out" "No such device"

# Usage errors exit 1.
out=$("$ZCBLKCTL" del not-a-disk 2>&1)
rc=$?
check "del of a bad name is a usage error (exit 1)" 1 "$rc" "$out"
out=$("$ZCBLKCTL" add --backend null 2>&1)
rc=$?
check "add without --size is a usage error (exit 1)" 1 "$rc" "$out"

# Root's disk survived the unprivileged del; remove it.
out=$("$ZCBLKCTL" del "$disk" 2>&1)
rc=$?
check "root: del $disk" 0 "$rc" "$out"
[[ $rc -eq 0 ]] && disk=

echo "1..$tests"
if [[ $failures -ne 0 ]]; then
	echo "# $failures of $tests failed"
	exit "$KSFT_FAIL"
fi
exit "$KSFT_PASS"
