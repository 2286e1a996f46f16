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
# What to undo on exit whatever happens, in reverse order: lines
# "disk <index>" and "mount <dir>" (a file system on a zcblk disk goes
# before the disk; a disk backed by a file on a mount goes before the
# mount), "export <index>" (zcblkctl unexport), "nvme <nqn>" (nvme
# disconnect) and "netns <name>" (ip netns del). A file: add_disk runs in
# command substitutions.
ZCBLK_UNDO=$TMP/undo
: >"$ZCBLK_UNDO"

log() { echo "# $*"; }

# In a subshell ($(add_disk ...), a pipeline's loop) the exit alone would
# end only that subshell, its message taken for output: the message goes
# to stderr, and the test's own shell is told to fail (its USR1 trap).
fail() {
	if [ "$BASH_SUBSHELL" -gt 0 ]; then
		echo "# FAIL: $*" >&2
		kill -USR1 $$
		exit $KSFT_FAIL
	fi
	echo "# FAIL: $*"
	exit $KSFT_FAIL
}
trap 'exit $KSFT_FAIL' USR1

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

# mounted WHAT FIELD: /proc/mounts has WHAT as its device (FIELD 1) or
# mount point (2). Builtins, as in the rest of the teardown: on the debug
# kernel each exec costs most of a second under load.
mounted() {
	local dev dir _
	while read -r dev dir _; do
		case $2 in
		1) [ "$dev" = "$1" ] && return 0 ;;
		2) [ "$dir" = "$1" ] && return 0 ;;
		esac
	done </proc/mounts
	return 1
}

# undo WHAT ARG: one line of $ZCBLK_UNDO; fails if it is still to do.
undo() {
	case $1 in
	mount)
		mounted "$2" 2 && umount "$2" 2>/dev/null
		! mounted "$2" 2 ;;
	disk)
		mounted "/dev/zcblk$2" 1 && return 1
		"$ZCBLKCTL" del "$2" >/dev/null 2>&1
		[ ! -e "/sys/block/zcblk$2" ] ;;
	export)
		"$ZCBLKCTL" unexport "$2" >/dev/null 2>&1 || true ;;
	nvme)
		nvme disconnect -n "$2" >/dev/null 2>&1 || true ;;
	netns)
		ip netns del "$2" 2>/dev/null || true ;;
	module)
		rmmod "$2" 2>/dev/null
		[ ! -d "/sys/module/$2" ] ;;
	dm)
		dmsetup remove --noudevsync "$2" 2>/dev/null
		[ ! -e "/dev/mapper/$2" ] ;;
	loop)
		losetup -d "$2" 2>/dev/null || true ;;
	esac
}

# undo_write LINE...: $ZCBLK_UNDO holds exactly the LINEs.
undo_write() {
	if [ $# -gt 0 ]; then printf '%s\n' "$@" >"$ZCBLK_UNDO"
	else : >"$ZCBLK_UNDO"; fi
}

# undo_forget LINE: what LINE of $ZCBLK_UNDO says is done already.
undo_forget() {
	local undo_line undo_lines=()
	while IFS= read -r undo_line; do
		[ "$undo_line" = "$1" ] || undo_lines+=("$undo_line")
	done <"$ZCBLK_UNDO"
	undo_write ${undo_lines[@]+"${undo_lines[@]}"}
}

cleanup() {
	local rc=$? what arg pass i undo_lines undo_left
	# Newest first; a mounted disk waits for its file system to go, and
	# a few passes untangle the rest.
	for pass in 1 2 3; do
		mapfile -t undo_lines <"$ZCBLK_UNDO"
		undo_left=()
		for ((i = ${#undo_lines[@]} - 1; i >= 0; i--)); do
			read -r what arg <<<"${undo_lines[i]}"
			undo "$what" "$arg" ||
				undo_left=("${undo_lines[i]}" ${undo_left[@]+"${undo_left[@]}"})
		done
		undo_write ${undo_left[@]+"${undo_left[@]}"}
		[ ${#undo_left[@]} -gt 0 ] || break
	done
	# A test's own teardown, after its disks and mounts are gone.
	if declare -F test_cleanup >/dev/null; then
		test_cleanup
	fi
	rm -rf "$TMP"
	exit $rc
}
trap cleanup EXIT

# add_disk ARGS...: zcblkctl add ARGS, prints the disk name (zcblkN).
add_disk() {
	local name
	name=$("$ZCBLKCTL" add "$@") || fail "zcblkctl add $*"
	[[ $name =~ ^zcblk[0-9]+c?$ ]] || fail "zcblkctl add $*: printed '$name'"
	echo "disk ${name#zcblk}" >>"$ZCBLK_UNDO"
	udev_settle "/dev/$name"
	echo "$name"
}

del_disk() {
	local name=$1 idx=${1#zcblk}
	"$ZCBLKCTL" del "$idx" || fail "zcblkctl del $name"
	undo_forget "disk $idx"
	[ ! -e "/dev/$name" ] || fail "/dev/$name still exists after del"
}

# start_monitor [ARGS...]: zcblkctl monitor -j ARGS in the background,
# its stdout in $TMP/events, stderr in $TMP/monitor.err; sets mon to its
# pid once it has subscribed (--ready-file), else fails. Not in $(...):
# the caller waits for it.
start_monitor() {
	rm -f "$TMP/ready"
	"$ZCBLKCTL" monitor -j --ready-file "$TMP/ready" "$@" \
		>"$TMP/events" 2>"$TMP/monitor.err" &
	mon=$!
	for _ in $(seq 100); do
		[ -e "$TMP/ready" ] && return 0
		kill -0 "$mon" 2>/dev/null || break
		sleep 0.1
	done
	fail "monitor never subscribed: $(cat "$TMP/monitor.err")"
}

# scratch_ext4: an ext4 on a 128 MiB mem disk, mounted; prints the mount
# point. For backing files: the VM's own /tmp is tmpfs, which refuses
# direct I/O on 6.1.
scratch_ext4() {
	local name mnt=$TMP/ext4
	name=$(add_disk --backend mem --size 128M --block-size 4096)
	mkfs.ext4 -q -F "/dev/$name" || fail "mkfs.ext4 /dev/$name"
	mkdir -p "$mnt"
	mount "/dev/$name" "$mnt" || fail "mount /dev/$name"
	echo "mount $mnt" >>"$ZCBLK_UNDO"
	echo "$mnt"
}

# brd_ext4 KIB: brd's /dev/ram0, KIB KiB, with an ext4 on it mounted at
# $TMP/mnt (not in a subshell: skips without brd); both go at exit.
brd_ext4() {
	modprobe brd rd_nr=1 rd_size="$1" || skip "no brd module"
	echo "module brd" >>"$ZCBLK_UNDO"
	mkfs.ext4 -q -F /dev/ram0 || fail "mkfs.ext4 /dev/ram0"
	mkdir -p "$TMP/mnt"
	mount /dev/ram0 "$TMP/mnt" || fail "mount /dev/ram0"
	echo "mount $TMP/mnt" >>"$ZCBLK_UNDO"
}

# queues_stat DISK NAME: QSTAT=the counter NAME of DISK's debugfs
# zcblk/<N>/queues. The VM always mounts debugfs.
queues_stat() {
	local f=/sys/kernel/debug/zcblk/${1#zcblk}/queues n
	n=$(sed -n "s/^$2 //p" "$f" 2>/dev/null)
	[ -n "$n" ] || fail "$f: no $2 counter"
	QSTAT=$n
}

# polled DISK VAR: VAR=the requests of DISK that zcblk's poll callback
# ended so far. Only requests blk-mq sent to a poll hardware queue wait
# there for it.
polled() {
	queues_stat "$1" polled
	printf -v "$2" '%s' "$QSTAT"
}

# deferred DISK: DEFERRED=the requests of DISK run again from its
# workqueue so far.
deferred() {
	queues_stat "$1" deferred
	DEFERRED=$QSTAT
}

# load_stats DISK: ST[counter]=value for each counter of DISK
# (`zcblkctl stats DISK -j`, an array of one flat object), parsed without
# a fork:
# every exec is slow under TCG.
declare -A ST
load_stats() {
	local json re='"([a-z_]+)": ([0-9]+)'
	json=$("$ZCBLKCTL" stats "$1" -j) || fail "zcblkctl stats $1"
	ST=()
	while [[ $json =~ $re ]]; do
		ST[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
		json=${json#*"${BASH_REMATCH[0]}"}
	done
	[ -n "${ST[pinned_current]:-}" ] || fail "zcblkctl stats $1 -j: $json"
}

# FOLL_PIN pages held in the whole system (the counters are per-CPU:
# fold them first).
vmstat_pins() {
	local k v a=0 r=0
	echo 1 >/proc/sys/vm/stat_refresh 2>/dev/null
	while read -r k v; do
		case $k in
		nr_foll_pin_acquired) a=$v ;;
		nr_foll_pin_released) r=$v ;;
		esac
	done </proc/vmstat
	echo $((a - r))
}

# devtmpfs creates nodes asynchronously to the netlink reply.
udev_settle() {
	local i
	for ((i = 0; i < 50; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	fail "$1 did not appear"
}

# dmesg_mark, then dmesg_has TEXT: the kernel logged TEXT since the mark.
dmesg_mark() { ZCBLK_DMESG_MARK=$(dmesg | wc -l); }
dmesg_has() {
	dmesg | tail -n +$((ZCBLK_DMESG_MARK + 1)) | grep -qF -- "$1" ||
		fail "the kernel did not log \"$1\""
}

# same_out WANT CMD...: CMD succeeds and prints WANT.
same_out() {
	local want=$1 got
	shift
	got=$("$@") || fail "$*: exit $?"
	[ "$got" = "$want" ] || fail "$*: \"$got\", want \"$want\""
}

# run ARGS...: zcblkctl ARGS; sets rc, out (stdout) and err (stderr).
run() {
	"$ZCBLKCTL" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(<"$TMP/out")
	err=$(<"$TMP/err")
}

# usage_main MSG ARGS...: zcblkctl ARGS is a usage error of zcblkctl's own
# (options before the command): exit 1, nothing on stdout, and on stderr
# exactly "zcblkctl: MSG" and the hint.
usage_main() {
	local msg=$1 want
	shift
	run "$@"
	want="zcblkctl: $msg
Try 'zcblkctl --help'."
	[ "$rc" -eq 1 ] || fail "zcblkctl $*: exit $rc, want 1: $err"
	[ -z "$out" ] || fail "zcblkctl $*: stdout: $out"
	[ "$err" = "$want" ] ||
		fail "zcblkctl $*: stderr \"$err\", want \"$want\""
	log "zcblkctl $*: $msg"
}

# usage_cmd CMD MSG ARGS...: zcblkctl CMD ARGS is a usage error of CMD's:
# exit 1 before asking the kernel, nothing on stdout, and on stderr
# exactly "zcblkctl CMD: MSG" and the hint, no control byte.
usage_cmd() {
	local cmd=$1 msg=$2 want
	shift 2
	run "$cmd" "$@"
	want="zcblkctl $cmd: $msg
Try 'zcblkctl $cmd --help'."
	[ "$rc" -eq 1 ] || fail "$cmd $*: exit $rc, want 1: $err"
	[ -z "$out" ] || fail "$cmd $*: stdout: $out"
	# No NUL or other control byte: the old "unknown option: -" and NUL.
	if LC_ALL=C grep -q '[^[:print:]]' "$TMP/err"; then
		fail "$cmd $*: control bytes on stderr: $(od -c "$TMP/err")"
	fi
	[ "$err" = "$want" ] || fail "$cmd $*: \"$err\", want \"$want\""
	log "$cmd $*: $msg"
}

# refused_cmd CMD MSG ARGS...: zcblkctl CMD ARGS exits 2, nothing on
# stdout, and on stderr "zcblkctl: MSG" (the errno's text and the
# kernel's message, as zcblkctl prints them).
refused_cmd() {
	local cmd=$1 msg=$2
	shift 2
	run "$cmd" "$@"
	[ "$rc" -eq 2 ] || fail "$cmd $*: exit $rc, want 2: $err"
	[ -z "$out" ] || fail "$cmd $*: stdout: $out"
	[ "$err" = "zcblkctl: $msg" ] ||
		fail "$cmd $*: \"$err\", want \"zcblkctl: $msg\""
	log "$cmd $*: $msg"
}

# jfield JSON KEY: KEY's value in the JSON object JSON (a string without
# its quotes, a number or a boolean), without a fork of python3 (slow
# under TCG); fails if there is none.
jfield() {
	local re="\"$2\": (\"[^\"]*\"|[0-9]+|true|false|null)"
	[[ $1 =~ $re ]] || fail "no $2 in $1"
	echo "${BASH_REMATCH[1]//\"/}"
}

# json_field NAME FIELD: FIELD of disk NAME from `zcblkctl list -j`.
json_field() {
	"$ZCBLKCTL" list -j | python3 -c '
import json, sys
for d in json.load(sys.stdin):
    if d["disk_name"] == sys.argv[1]:
        print(d[sys.argv[2]])
' "$1" "$2"
}

# nv ARGS...: nvme-cli with ARGS, its output in $TMP/out; the test fails
# unless it exits 0.
nv() {
	local rc=0
	nvme "$@" >"$TMP/out" 2>&1 || rc=$?
	if [ $rc -ne 0 ]; then
		sed 's/^/# /' "$TMP/out"
		fail "nvme $*: rc=$rc"
	fi
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
