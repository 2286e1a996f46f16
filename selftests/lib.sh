# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034
# Shared helpers for zcblk's shell selftests. Tests run inside the VM as
# root with the repository as the working directory; exit 0 = pass,
# 1 = fail, 4 = skip (kselftest convention).

set -u

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

ZCBLK_BUILD=${ZCBLK_BUILD:-build}
ZCBLKCTL=${ZCBLKCTL:-$ZCBLK_BUILD/userlib/zcblkctl}
# Scratch directory, removed on exit.
TMP=$(mktemp -d /tmp/zcblk-test.XXXXXX)
# Indexes of the disks this test made, one a line, deleted on exit
# whatever happens. A file: add_disk runs in command substitutions.
ZCBLK_DISKS=$TMP/disks
: >"$ZCBLK_DISKS"

log() { echo "# $*"; }

fail() {
	echo "# FAIL: $*"
	exit $KSFT_FAIL
}

skip() {
	echo "# SKIP $*"
	exit $KSFT_SKIP
}

need() {
	local cmd
	for cmd in "$@"; do
		command -v "$cmd" >/dev/null 2>&1 || skip "$cmd not installed"
	done
}

cleanup() {
	local rc=$? idx
	while read -r idx; do
		"$ZCBLKCTL" del "$idx" >/dev/null 2>&1
	done <"$ZCBLK_DISKS"
	rm -rf "$TMP"
	exit $rc
}
trap cleanup EXIT

# add_disk ARGS...: zcblkctl add ARGS, prints the disk name (zcblkN).
add_disk() {
	local name
	name=$("$ZCBLKCTL" add "$@") || fail "zcblkctl add $*"
	echo "${name#zcblk}" >>"$ZCBLK_DISKS"
	udev_settle "/dev/$name"
	echo "$name"
}

del_disk() {
	local name=$1 idx=${1#zcblk}
	"$ZCBLKCTL" del "$idx" || fail "zcblkctl del $name"
	sed -i "/^$idx\$/d" "$ZCBLK_DISKS"
	[ ! -e "/dev/$name" ] || fail "/dev/$name still exists after del"
}

# devtmpfs creates nodes asynchronously to the netlink reply.
udev_settle() {
	local i
	for i in $(seq 50); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	fail "$1 did not appear"
}

# json_field NAME FIELD: FIELD of disk NAME from `zcblkctl list -j`.
json_field() {
	"$ZCBLKCTL" list -j | python3 -c '
import json, sys
for d in json.load(sys.stdin):
    if d["name"] == sys.argv[1]:
        print(d[sys.argv[2]])
' "$1" "$2"
}

# run_fio NAME ARGS...: fio with its output indented; fails the test on error.
run_fio() {
	local name=$1
	shift
	fio --name="$name" --output-format=normal "$@" >"$TMP/fio.out" 2>&1
	local rc=$?
	if [ $rc -ne 0 ] || grep -q 'err=[ ]*[1-9]' "$TMP/fio.out"; then
		sed 's/^/# /' "$TMP/fio.out"
		fail "fio $name: rc=$rc"
	fi
	log "fio $name: ok ($(grep -Eo '(READ|WRITE): bw=[^ ]+' "$TMP/fio.out" | tr '\n' ' '))"
}
