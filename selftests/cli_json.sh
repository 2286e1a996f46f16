#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every zcblkctl command's happy path through -j, parsed and checked field
# by field against what was asked: version (also -V, --version), features
# (the uapi limits), add (its reply, given the options' netlink names),
# list, show, stats (an array, also for one disk; exact deltas after known
# I/O), set (the values come back, and show agrees), monitor (exactly the
# events of an add, a set and a del, in order; SIGINT and SIGTERM end it
# with exit 0), del (show then exits 2 with "No such device"); --pretty
# and -p give the same JSON indented; -j, --json and --pretty (or -p)
# before the command are its own, byte for byte (`zcblkctl -j list` prints
# what `zcblkctl list -j` prints), refused before del (exit 1, the disk
# stays); unknown ones are refused; add --pi-guard 64 (pi_guard64 in
# show -j, 16 bytes of PI in show; 32 a usage error, with 8 bytes of
# metadata the kernel's EINVAL); a disk named by its char device
# (zcblkNc, /dev/zcblkNc) for show, stats, set and del; a backing path
# that is not UTF-8 comes back byte for byte through os.fsencode(); --help
# of every command.
#
# Needs root, zcblk.ko loaded, python3 and dd. Exit: 0 pass, 1 fail, 4 skip.
. "$(dirname "$0")/lib.sh"

need python3 dd
[ -d /sys/module/zcblk ] || skip "zcblk module not loaded"

# jcheck FILE WHAT EXPR...: each Python expression must hold with d = the
# JSON in FILE (and re, uapi: the constants of uapi/linux/zcblk.h, mv: the
# module's version); one python3 run for many checks (exec is slow under
# TCG).
jcheck() {
	local file=$1 what=$2
	shift 2
	python3 - "$file" "$what" "$@" <<'EOF' || fail "$what"
import json, re, sys
file, what, exprs = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(file).read()
try:
    d = json.loads(text)
except ValueError as e:
    print("# %s: not JSON (%s): %s" % (what, e, text))
    sys.exit(1)
uapi = {}
for m in re.finditer(r"#define\s+(ZCBLK_MAX_\w+)\s+\(?([0-9U <]+)\)?",
                     open("uapi/linux/zcblk.h").read()):
    uapi[m.group(1)] = eval(m.group(2).replace("U", ""))
mv = open("/sys/module/zcblk/version").read().strip()
bad = [e for e in exprs if not eval(e)]
for e in bad:
    print("# %s: false: %s" % (what, e))
if bad:
    print("# %s: %s" % (what, text.strip()))
sys.exit(1 if bad else 0)
EOF
	log "$what: ok ($# checks)"
}

# ctl ARGS...: zcblkctl ARGS, stdout to $TMP/out; fails the test on error.
ctl() {
	"$ZCBLKCTL" "$@" >"$TMP/out" 2>"$TMP/err" ||
		fail "zcblkctl $*: exit $?: $(cat "$TMP/err")"
}

# before N ARGS...: zcblkctl's own options, the first N words of ARGS,
# before the command (`zcblkctl -j list`) print byte for byte what the
# same options print after it (`zcblkctl list -j`), and something; that
# in $TMP/out and $TMP/after. ARGS must not change anything.
before() {
	local n=$1 after
	shift
	after=("${@:n+1}" "${@:1:n}")
	ctl "${after[@]}"
	cp "$TMP/out" "$TMP/after"
	ctl "$@"
	{ [ -s "$TMP/out" ] && cmp -s "$TMP/out" "$TMP/after"; } ||
		fail "zcblkctl $*: \"$(cat "$TMP/out")\", want what zcblkctl ${after[*]} printed: \"$(cat "$TMP/after")\""
	log "zcblkctl $*: as zcblkctl ${after[*]}: ok"
}


# --help of every command: exit 0, a usage line on stdout; -j before it
# changes nothing to help.
for cmd in add del list show set stats monitor export unexport features version; do
	out=$("$ZCBLKCTL" "$cmd" --help) || fail "$cmd --help: exit $?"
	[[ $out == "Usage: zcblkctl $cmd"* ]] || fail "$cmd --help: $out"
done
rc=0
"$ZCBLKCTL" -j export 0 >/dev/null 2>"$TMP/err" || rc=$?
if [ $rc -ne 1 ] || ! grep -q "this command has no JSON output" "$TMP/err"; then
	fail "-j export: exit $rc, $(<"$TMP/err")"
fi
out=$("$ZCBLKCTL" -j help del) || fail "-j help del: exit $?"
[[ $out == "Usage: zcblkctl del"* ]] || fail "-j help del: $out"
log "--help of every command: ok"

ctl version -j
jcheck "$TMP/out" "version -j" \
	'set(d) == {"cli", "library", "module"}' \
	'd["module"] == mv' 'd["library"] == mv' 'd["cli"] == mv'

# zcblkctl -V and --version print what `version` prints.
ctl version
cp "$TMP/out" "$TMP/version"
for v in -V --version; do
	ctl "$v"
	cmp -s "$TMP/out" "$TMP/version" ||
		fail "zcblkctl $v: \"$(cat "$TMP/out")\", want \"$(cat "$TMP/version")\""
done
log "-V, --version: as version: ok"
# -j before -V or --version: `version -j`.
ctl version -j
cp "$TMP/out" "$TMP/version"
for v in -V --version; do
	ctl -j "$v"
	cmp -s "$TMP/out" "$TMP/version" ||
		fail "zcblkctl -j $v: \"$(cat "$TMP/out")\", want \"$(cat "$TMP/version")\""
done
log "-j -V, -j --version: as version -j: ok"
before 1 -j version
before 2 --json --pretty features

# pretty [--keys] ARGS...: `zcblkctl ARGS -j` ($TMP/out) against
# `zcblkctl ARGS -j --pretty` and `zcblkctl -p ARGS -j`: the same JSON,
# indented (a key or element per line). ARGS must not change anything;
# --keys: only the keys must be the same (counters may move meanwhile).
pretty() {
	local keys=0
	[ "$1" != --keys ] || { keys=1; shift; }
	ctl "$@" -j
	cp "$TMP/out" "$TMP/compact"
	ctl "$@" -j --pretty
	cp "$TMP/out" "$TMP/pretty1"
	ctl -p "$@" -j
	python3 - "$keys" "$TMP/compact" "$TMP/pretty1" "$TMP/out" <<'EOF' ||
import json, sys
texts = [open(f).read() for f in sys.argv[2:]]
docs = [json.loads(t) for t in texts]
if sys.argv[1] == "1":
    def keys(d):
        return [keys(x) for x in d] if isinstance(d, list) else list(d)
    docs = [keys(d) for d in docs]
bad = [i for i in (1, 2) if docs[i] != docs[0] or
       texts[i].count("\n") <= texts[0].count("\n") or
       not texts[i].startswith(("{\n  \"", "[\n  {\n    \""))]
for i in bad:
    print("# %s\n# compact: %s" % (texts[i], texts[0]))
sys.exit(1 if bad else 0)
EOF
		fail "zcblkctl $* -j --pretty, -p: not the same JSON indented"
	log "$* -j: --pretty and -p: the same JSON, indented: ok"
}
pretty version
pretty features

ctl features -j
jcheck "$TMP/out" "features -j" \
	'set(d) == {"version", "backends", "commands", "dev_flags", "completions", "fail_ops", "max_devs", "max_queues", "max_queue_depth", "max_transfer", "cut_modes"}' \
	'd["version"] == mv' \
	'd["backends"] == ["null", "mem", "file"]' \
	'd["commands"] == ["dev-add", "dev-del", "dev-get", "dev-stats", "dev-set", "features"]' \
	'd["dev_flags"] == ["read_only", "buffered", "zoned", "extended_lba", "pi_first", "fdp", "pi_guard64"]' \
	'd["completions"] == ["inline", "softirq", "timer"]' \
	'd["fail_ops"] == ["all", "reads", "writes"]' \
	'd["max_devs"] == uapi["ZCBLK_MAX_DEVS"] == 65536' \
	'd["max_queues"] == uapi["ZCBLK_MAX_QUEUES"]' \
	'd["max_queue_depth"] == uapi["ZCBLK_MAX_QUEUE_DEPTH"]' \
	'd["max_transfer"] == 512 * 1024' \
	'd["cut_modes"] == ["drop", "blocks", "torn"]'

# add -j: the reply is the disk as asked.
ctl add -j --backend mem --size 16M --block-size 4096 --queue-depth 64 \
	--node-uid 1000 --node-gid 4242 --node-mode 0640 --timeout-ms 5000 \
	--completion softirq
cp "$TMP/out" "$TMP/added"
idx=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["index"])' "$TMP/added") ||
	fail "add -j: $(cat "$TMP/added")"
echo "disk $idx" >>"$ZCBLK_UNDO"
disk=zcblk$idx
udev_settle "/dev/$disk"
keys='{"index", "disk_name", "char_name", "backend", "size", "block_size", "nr_queues", "poll_queues", "queue_depth", "state", "alloc_bytes", "node_uid", "node_gid", "node_mode", "path", "read_only", "buffered", "zoned", "fdp", "extended_lba", "metadata_size", "pi_type", "pi_first", "pi_guard64", "write_cache", "timeout_ms", "completion", "completion_ns", "latency_ns", "fail_every", "fail_ppm", "fail_status", "fail_ops", "stall", "power", "bad_count"}'
asked=(
	"set(d) == $keys"
	"d[\"index\"] == $idx" "d[\"disk_name\"] == \"$disk\""
	"d[\"char_name\"] == \"${disk}c\"" 'd["backend"] == "mem"'
	'd["size"] == 16 << 20' 'd["block_size"] == 4096'
	'd["nr_queues"] == 1' 'd["poll_queues"] == 0' 'd["queue_depth"] == 64'
	'd["state"] == "live"' 'd["node_uid"] == 1000' 'd["node_gid"] == 4242'
	'd["node_mode"] == 0o640' 'd["path"] is None'
	'd["read_only"] is False' 'd["buffered"] is False' 'd["zoned"] is False'
	'd["fdp"] is False' 'd["pi_guard64"] is False'
	'd["timeout_ms"] == 5000' 'd["completion"] == "softirq"'
	'd["completion_ns"] == 0' 'd["latency_ns"] == 0'
	'd["fail_every"] == 0' 'd["fail_ppm"] == 0' 'd["fail_status"] == 6'
	'd["fail_ops"] == "all"' 'd["stall"] is False'
	'd["write_cache"] == 0' 'd["power"] == "on"' 'd["bad_count"] == 0'
)
jcheck "$TMP/added" "add -j" "${asked[@]}" 'd["alloc_bytes"] == 0'

# list -j and show -j: the same disk, the same values.
ctl list -j
python3 -c '
import json, sys
disks = [d for d in json.load(open(sys.argv[1])) if d["index"] == int(sys.argv[2])]
json.dump(disks[0] if len(disks) == 1 else None, sys.stdout)' "$TMP/out" "$idx" >"$TMP/listed" ||
	fail "list -j: $(cat "$TMP/out")"
jcheck "$TMP/listed" "list -j" "${asked[@]}" 'd["alloc_bytes"] == 0'
# show -j: list -j's keys and the ranges of unreadable blocks (none).
ctl show -j "$disk"
jcheck "$TMP/out" "show -j" "set(d) == $keys | {\"bad_blocks\"}" \
	"${asked[@]:1}" 'd["alloc_bytes"] == 0' 'd["bad_blocks"] == []'

# --pi-guard 64: the flag in show -j, the 16-byte PI in show's
# protection row; another guard is a usage error (exit 1), and the 64-bit
# guard with 8 bytes of metadata the kernel's EINVAL (exit 2).
ctl add -j --backend mem --size 1M --metadata-size 16 --pi-type 1 \
	--pi-guard 64
gidx=$(jfield "$(<"$TMP/out")" index)
echo "disk $gidx" >>"$ZCBLK_UNDO"
ctl show -j "$gidx"
jcheck "$TMP/out" "add --pi-guard 64: show -j" 'd["pi_guard64"] is True' \
	'd["pi_type"] == 1' 'd["pi_first"] is False' 'd["metadata_size"] == 16'
ctl show "$gidx"
grep -Eq '^  protection +type 1, last 16 bytes, 64-bit guard$' "$TMP/out" ||
	fail "show $gidx: protection: $(cat "$TMP/out")"
"$ZCBLKCTL" del "$gidx" || fail "del $gidx"
undo_forget "disk $gidx"
run add --backend mem --size 1M --metadata-size 16 --pi-type 1 --pi-guard 32
want="zcblkctl add: invalid protection information guard (16 or 64): 32
Try 'zcblkctl add --help'."
{ [ "$rc" -eq 1 ] && [ -z "$out" ] && [ "$err" = "$want" ]; } ||
	fail "add --pi-guard 32: exit $rc, want 1: \"$out\" \"$err\""
run add --backend mem --size 1M --metadata-size 8 --pi-type 1 --pi-guard 64
want="zcblkctl: Invalid argument: flags: pi-guard64 needs metadata-size 16, or 64 with block-size 4096"
{ [ "$rc" -eq 2 ] && [ -z "$out" ] && [ "$err" = "$want" ]; } ||
	fail "add --metadata-size 8 --pi-guard 64: exit $rc, want 2: \"$out\" \"$err\""
log "--pi-guard 64: pi_guard64 true, 16 bytes; 32 exit 1, with 8 bytes EINVAL: ok"

pretty list
pretty show "$disk"
pretty --keys stats "$idx"

# zcblkctl's -j and --pretty before the command: what they print after it,
# byte for byte; -jp is -j --pretty.
before 1 -j list
grep -q "\"disk_name\": \"$disk\"" "$TMP/out" ||
	fail "zcblkctl -j list: no $disk: $(cat "$TMP/out")"
before 2 -j --pretty show "$idx"
ctl -jp show "$idx"
cmp -s "$TMP/out" "$TMP/after" ||
	fail "zcblkctl -jp show $idx: \"$(cat "$TMP/out")\", want \"$(cat "$TMP/after")\""
before 1 --json set "$idx" --latency-ns 0
# del has no JSON output: -j or --pretty before it is a usage error, and
# the disk stays.
for opt in -j --json -p --pretty; do
	usage_main "del: $opt: this command has no JSON output" "$opt" del "$idx"
done
usage_main "del: -j: this command has no JSON output" -jp del "$disk"
[ -e "/sys/block/$disk" ] || fail "zcblkctl -j del $idx removed $disk"
# Unknown options before the command.
usage_main "unknown option --bogus" --bogus list
usage_main "unknown option -x" -jx list
usage_main "--json takes no argument" --json=1 list

# stats -j DISK: an array of one object, as for every disk. first FILE:
# FILE's one element in FILE.
first() {
	python3 - "$1" <<'EOF' || fail "stats -j: not an array of one: $(cat "$1")"
import json, sys
d = json.load(open(sys.argv[1]))
if not isinstance(d, list) or len(d) != 1:
    sys.exit(1)
json.dump(d[0], open(sys.argv[1], "w"))
EOF
}

# stats -j: exact deltas after 16 direct writes and 8 direct reads of
# 64 KiB (the disk may have been read by the partition scan before).
ctl stats -j "$idx"
cp "$TMP/out" "$TMP/stats0"
first "$TMP/stats0"
dd if=/dev/urandom of="$TMP/data" bs=64K count=16 status=none
dd if="$TMP/data" of="/dev/$disk" bs=64K count=16 oflag=direct status=none ||
	fail "dd to /dev/$disk"
dd if="/dev/$disk" of="$TMP/back" bs=64K count=8 iflag=direct status=none ||
	fail "dd from /dev/$disk"
cmp -s "$TMP/back" <(head -c $((512 << 10)) "$TMP/data") ||
	fail "/dev/$disk: the first 512 KiB read back differ"
ctl stats -j "$idx"
cp "$TMP/out" "$TMP/stats1"
first "$TMP/stats1"
python3 -c '
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
json.dump({k: b[k] - a[k] if isinstance(b[k], int) else b[k] for k in b}, sys.stdout)' \
	"$TMP/stats0" "$TMP/stats1" >"$TMP/delta" || fail "stats -j: $(cat "$TMP/stats1")"
jcheck "$TMP/stats1" "stats -j (keys)" \
	'set(d) == {"index", "disk_name", "pt_inflight", "read_cmds", "write_cmds", "read_bytes", "write_bytes", "errors", "pinned_pages", "unpinned_pages", "pinned_current", "fixed_bytes", "copied_bytes", "flushes", "timeouts", "injected", "cache_dirty_bytes", "fua_writes", "cut_lost_writes", "cut_lost_blocks"}' \
	"d[\"index\"] == $idx" "d[\"disk_name\"] == \"$disk\"" \
	'd["write_cmds"] == 16' 'd["write_bytes"] == 1 << 20'
jcheck "$TMP/delta" "stats -j (after 16 writes, 8 reads of 64 KiB)" \
	'd["write_cmds"] == 16' 'd["write_bytes"] == 1 << 20' \
	'd["read_cmds"] == 8' 'd["read_bytes"] == 512 << 10' \
	'd["copied_bytes"] == (1 << 20) + (512 << 10)' \
	'd["errors"] == 0' 'd["pt_inflight"] == 0' 'd["pinned_pages"] == 0' \
	'd["pinned_current"] == 0' 'd["fixed_bytes"] == 0' \
	'd["flushes"] == 0' 'd["timeouts"] == 0' 'd["injected"] == 0' \
	'd["cache_dirty_bytes"] == 0' 'd["fua_writes"] == 0' \
	'd["cut_lost_writes"] == 0' 'd["cut_lost_blocks"] == 0'
ctl stats -j
jcheck "$TMP/out" "stats -j (every disk)" \
	'isinstance(d, list)' \
	"[s[\"write_bytes\"] for s in d if s[\"index\"] == $idx] == [1 << 20]"
ctl show -j "$idx"
jcheck "$TMP/out" "show -j after I/O" 'd["alloc_bytes"] == 1 << 20'

# set -j: the values come back, and show agrees.
ctl set -j "$disk" --completion timer --completion-ns 5000 \
	--latency-ns 1000 --fail-every 1000 --fail-status 0x281 \
	--fail-ops reads
settings=(
	"d[\"index\"] == $idx" 'd["completion"] == "timer"'
	'd["completion_ns"] == 5000' 'd["latency_ns"] == 1000'
	'd["fail_every"] == 1000' 'd["fail_ppm"] == 0'
	'd["fail_status"] == 0x281' 'd["fail_ops"] == "reads"'
	'd["stall"] is False' 'd["timeout_ms"] == 5000' 'd["size"] == 16 << 20'
)
jcheck "$TMP/out" "set -j" "${settings[@]}"
ctl show -j "$idx"
jcheck "$TMP/out" "show -j after set" "${settings[@]}"
ctl set "$idx" --fail-every 0 --latency-ns 0 --completion inline

# A disk named by its char device: show, stats and set take zcblkNc and
# /dev/zcblkNc as they take zcblkN.
for name in "${disk}c" "/dev/${disk}c"; do
	ctl show -j "$name"
	jcheck "$TMP/out" "show -j $name" "d[\"index\"] == $idx"
	ctl stats -j "$name"
	jcheck "$TMP/out" "stats -j $name" "[s[\"index\"] for s in d] == [$idx]"
	ctl set -j "$name" --latency-ns ${#name}
	jcheck "$TMP/out" "set -j $name" "d[\"index\"] == $idx" \
		"d[\"latency_ns\"] == ${#name}"
done
ctl set "$idx" --latency-ns 0
# del, of disks made for it.
for dir in "" /dev/; do
	cdisk=$(add_disk --backend null --size 8M)
	name=$dir${cdisk}c
	ctl del "$name"
	undo_forget "disk ${cdisk#zcblk}"
	[ ! -e "/sys/block/$cdisk" ] || fail "del $name: $cdisk is still there"
	log "del $name: $cdisk removed: ok"
done
pretty set "$idx" --latency-ns 0

# monitor -j: an add, a set and a del give exactly three events, in order.
start_monitor --count 3
mdisk=$(add_disk --backend null --size 8M)
midx=${mdisk#zcblk}
ctl set "$midx" --latency-ns 777 --fail-every 5
del_disk "$mdisk"
for _ in $(seq 300); do
	kill -0 "$mon" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$mon" 2>/dev/null && { kill "$mon"; fail "monitor --count 3 still running after 30 s"; }
wait "$mon" || fail "monitor --count 3: exit $?: $(cat "$TMP/monitor.err")"
python3 -c '
import json, sys
print(json.dumps([json.loads(l) for l in open(sys.argv[1])]))' "$TMP/events" >"$TMP/evlist" ||
	fail "monitor -j: not one JSON object per line: $(cat "$TMP/events")"
jcheck "$TMP/evlist" "monitor -j --count 3" \
	'len(d) == 3' \
	'[e["event"] for e in d] == ["added", "changed", "removed"]' \
	"all(e[\"index\"] == $midx and e[\"disk_name\"] == \"$mdisk\" for e in d)" \
	"all(set(e) == $keys | {\"event\"} for e in d)" \
	'all(e["backend"] == "null" and e["size"] == 8 << 20 for e in d)' \
	'[e["state"] for e in d] == ["live", "live", "dead"]' \
	'[e["latency_ns"] for e in d] == [0, 777, 777]' \
	'[e["fail_every"] for e in d] == [0, 5, 5]'

# monitor -j until a signal: add then del give added, removed; SIGINT and
# SIGTERM end it with exit 0.
for sig in INT TERM; do
	# shellcheck disable=SC2119 # no arguments: none to pass
	start_monitor
	mdisk=$(add_disk --backend mem --size 4M)
	del_disk "$mdisk"
	for _ in $(seq 100); do
		[ "$(wc -l <"$TMP/events")" -ge 2 ] && break
		sleep 0.1
	done
	kill -s "$sig" "$mon"
	wait "$mon" || fail "monitor: exit $? after SIG$sig: $(cat "$TMP/monitor.err")"
	python3 -c '
import json, sys
print(json.dumps([json.loads(l) for l in open(sys.argv[1])]))' "$TMP/events" >"$TMP/evlist" ||
		fail "monitor -j: $(cat "$TMP/events")"
	jcheck "$TMP/evlist" "monitor -j, ended by SIG$sig" \
		'[e["event"] for e in d] == ["added", "removed"]' \
		"all(e[\"disk_name\"] == \"$mdisk\" for e in d)" \
		'[e["state"] for e in d] == ["live", "dead"]'
done

# A backing path that is not UTF-8 (0xff), with UTF-8 (e acute), a tab,
# a quote and a backslash: add -j, show -j (also --pretty) and list -j
# are valid UTF-8, escape them (\udcff for 0xff) and give the bytes back
# through os.fsencode(json.loads(...)). Buffered: /tmp is tmpfs.
odd="$TMP/zc-"$'\xff'"-"$'\xc3\xa9'"-"$'\t'"-\"-\\.img"
truncate -s 8M "$odd" || fail "truncate a file named with 0xff"
ctl add -j --backend file --path "$odd" --buffered
cp "$TMP/out" "$TMP/odd.add"
re='"index": ([0-9]+)'
[[ $(<"$TMP/odd.add") =~ $re ]] || fail "add -j: $(cat "$TMP/odd.add")"
oidx=${BASH_REMATCH[1]}
echo "disk $oidx" >>"$ZCBLK_UNDO"
ctl show -j "$oidx"
cp "$TMP/out" "$TMP/odd.show"
ctl show -j --pretty "$oidx"
cp "$TMP/out" "$TMP/odd.pretty"
ctl list -j
python3 - "$odd" "$oidx" "$TMP/odd.add" "$TMP/odd.show" "$TMP/odd.pretty" \
	"$TMP/out" <<'EOF' || fail "a path with 0xff in JSON"
import json, os, sys
want, idx = os.fsencode(sys.argv[1]), int(sys.argv[2])
bad = False
for f in sys.argv[3:]:
    raw = open(f, "rb").read()
    try:
        raw.decode("utf-8")
        d = json.loads(raw)
    except ValueError as e:
        print("# %s: %s: %r" % (f, e, raw))
        bad = True
        continue
    if isinstance(d, list):
        d = [x for x in d if x["index"] == idx][0]
    got = os.fsencode(d["path"])
    esc = [b"\\udcff", b"\xc3\xa9", b"\\t", b'\\"', b"\\\\"]
    if got != want or not all(e in raw for e in esc):
        print("# %s: path %r, want %r: %r" % (f, got, want, raw))
        bad = True
sys.exit(bad)
EOF
"$ZCBLKCTL" del "$oidx" || fail "del $oidx"
undo_forget "disk $oidx"
log "a path with 0xff: JSON \\udcff, os.fsencode() gives it back: ok"

# del: gone from list; show then exits 2, with the kernel's reason.
del_disk "$disk"
ctl list -j
jcheck "$TMP/out" "list -j after del" "all(x[\"index\"] != $idx for x in d)"
out=$("$ZCBLKCTL" show -j "$idx" 2>&1)
rc=$?
[ $rc -eq 2 ] || fail "show of a deleted disk: exit $rc, want 2: $out"
[[ $out == *"No such device"* ]] || fail "show of a deleted disk: $out"
out=$("$ZCBLKCTL" show 2>&1)
rc=$?
[ $rc -eq 1 ] || fail "show without a disk: exit $rc, want 1: $out"
log "del, then show: exit 2, No such device: ok"
exit $KSFT_PASS
