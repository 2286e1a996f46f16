#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The write cache and power cuts from the command line
# (Documentation/durability.rst): zcblkctl add --write-cache 1M makes a
# mem disk whose show, show -j and list say so, powered on; four 4 KiB
# direct writes, never flushed, are 16 KiB dirty in stats -j; set -j
# --power cut --cut-mode blocks --cut-seed 7 cuts it (the reply, show,
# show -j and list's FLAGS say cut), empties the cache and loses from 1
# to 4 of those writes, at most their 32 blocks; a direct read then fails
# until set --power on, after which it succeeds; the same state again
# changes nothing; --power comes after the command's other settings.
# features -j lists the three cut modes. Refusals: a write cache on the
# null backend, with metadata or zoned exits 2 with the kernel's message;
# --cut-mode or --cut-seed without --power cut, a bad --power or
# --cut-mode exit 1 with the usage message, and the disk is not changed.
#
# Needs root and zcblk.ko loaded. Exit: 0 pass, 1 fail, 4 skip.
. "$(dirname "$0")/lib.sh"
need dd

[ -d /sys/module/zcblk ] || skip "zcblk module not loaded"

# expect DISK KEY VALUE: `zcblkctl show -j DISK` has KEY VALUE.
expect() {
	local json got
	json=$("$ZCBLKCTL" show -j "$1") || fail "zcblkctl show -j $1"
	got=$(jfield "$json" "$2")
	[ "$got" = "$3" ] || fail "show -j $1: $2 $got, want $3: $json"
}

# row DISK NAME VALUE: `zcblkctl show DISK` has the row NAME VALUE (a
# name padded to 14 columns, a space, the value).
row() {
	local out want
	out=$("$ZCBLKCTL" show "$1") || fail "zcblkctl show $1"
	printf -v want '  %-14s %s' "$2" "$3"
	[[ $out == *"$want"* ]] || fail "zcblkctl show $1: no \"$want\": $out"
}

# listed DISK FLAG WCACHE: the list table's row of DISK has FLAG among
# its FLAGS (11th column; !FLAG: not among them) and WCACHE (12th).
listed() {
	local name flags wcache seen=0
	while read -r _ name _ _ _ _ _ _ _ _ flags wcache _; do
		[ "$name" = "$1" ] || continue
		seen=1
		case $2 in
		!*) [[ ,$flags, != *,${2#!},* ]] ||
			fail "zcblkctl list: $1 FLAGS $flags, with ${2#!}" ;;
		*) [[ ,$flags, == *,$2,* ]] ||
			fail "zcblkctl list: $1 FLAGS $flags, no $2" ;;
		esac
		[ "$wcache" = "$3" ] ||
			fail "zcblkctl list: $1 WCACHE $wcache, want $3"
	done < <("$ZCBLKCTL" list)
	[ $seen = 1 ] || fail "zcblkctl list: no $1"
}

# refused MESSAGE ARGS...: zcblkctl add ARGS refused by the kernel;
# usage MESSAGE ARGS...: zcblkctl set ARGS refused before it (lib.sh).
refused() { refused_cmd add "$@"; }
usage() { usage_cmd set "$@"; }

# dd_read DISK: one direct 4 KiB read of /dev/DISK; its exit status.
dd_read() {
	dd if="/dev/$1" of=/dev/null bs=4k count=1 iflag=direct \
		status=none 2>"$TMP/dd.err"
}

# features -j: the cut modes, by name.
json=$("$ZCBLKCTL" features -j) || fail "zcblkctl features -j"
[[ $json == *'"cut_modes": ["drop", "blocks", "torn"]'* ]] ||
	fail "features -j: cut_modes: $json"
log "features -j: cut_modes drop, blocks, torn"

# A mem disk with a 1 MiB write cache, powered on.
disk=$(add_disk --backend mem --size 16M --write-cache 1M)
idx=${disk#zcblk}
expect "$idx" write_cache 1048576
expect "$idx" power on
row "$idx" write_cache "1048576 (1.0MiB)"
row "$idx" power on
listed "$disk" '!cut' 1.0MiB
log "$disk: write_cache 1048576, power on (show, show -j, list)"

# Four writes of 4 KiB, never flushed: 16 KiB in the cache.
dd if=/dev/urandom of="$TMP/data" bs=4k count=4 status=none
dd if="$TMP/data" of="/dev/$disk" bs=4k count=4 oflag=direct status=none ||
	fail "dd to /dev/$disk"
load_stats "$idx"
for k in cache_dirty_bytes fua_writes cut_lost_writes cut_lost_blocks; do
	[ -n "${ST[$k]:-}" ] || fail "stats -j $idx: no $k"
done
[ "${ST[cache_dirty_bytes]}" -eq 16384 ] ||
	fail "stats -j: cache_dirty_bytes ${ST[cache_dirty_bytes]}, want 16384"
(( ST[cut_lost_writes] == 0 && ST[cut_lost_blocks] == 0 )) ||
	fail "stats -j: cut_lost ${ST[cut_lost_writes]}/${ST[cut_lost_blocks]} before any cut"
log "stats -j: cache_dirty_bytes 16384 after 4 unflushed writes, fua_writes ${ST[fua_writes]}"

# --cut-mode and --cut-seed need --power cut: refused before the kernel.
usage "--cut-mode needs --power cut" "$idx" --cut-mode torn
usage "--cut-mode needs --power cut" "$idx" --power on --cut-mode torn
usage "--cut-seed needs --power cut" "$idx" --cut-seed 7
usage "--cut-mode needs --power cut" "$idx" --latency-ns 5 --cut-mode drop
usage "invalid --power (on, cut): off" "$idx" --power off
usage "invalid --cut-mode (drop, blocks, torn): half" "$idx" --power cut \
	--cut-mode half
expect "$idx" power on
expect "$idx" latency_ns 0
load_stats "$idx"
[ "${ST[cache_dirty_bytes]}" -eq 16384 ] ||
	fail "refused set: cache_dirty_bytes ${ST[cache_dirty_bytes]}, want 16384"

# The cut: the reply says so, as show and list do.
run set -j "$idx" --power cut --cut-mode blocks --cut-seed 7
[ "$rc" -eq 0 ] || fail "set $idx --power cut: exit $rc: $err"
[ "$(jfield "$out" power)" = cut ] || fail "set -j --power cut: $out"
[ "$(jfield "$out" index)" = "$idx" ] || fail "set -j --power cut: $out"
expect "$idx" power cut
row "$idx" power cut
listed "$disk" cut 1.0MiB
load_stats "$idx"
w=${ST[cut_lost_writes]} b=${ST[cut_lost_blocks]}
[ "${ST[cache_dirty_bytes]}" -eq 0 ] ||
	fail "after the cut: cache_dirty_bytes ${ST[cache_dirty_bytes]}, want 0"
# 4 writes of 8 512-byte blocks, each block kept or not at random.
(( w >= 1 && w <= 4 && b >= w && b <= 32 )) ||
	fail "after the cut: cut_lost_writes $w, cut_lost_blocks $b"
log "set --power cut --cut-mode blocks --cut-seed 7: power cut, lost $w writes, $b blocks"

# Nothing runs while the power is cut; the same state again is no change.
dd_read "$disk" && fail "dd from /dev/$disk succeeded with the power cut"
[[ $(<"$TMP/dd.err") == *"No such device"* ]] ||
	fail "dd from /dev/$disk with the power cut: $(<"$TMP/dd.err"), want ENODEV"
log "dd from /dev/$disk with the power cut: $(<"$TMP/dd.err")"
run set "$idx" --power cut
[[ $rc -eq 0 && -z $out$err ]] ||
	fail "set $idx --power cut again: exit $rc: $out$err"
expect "$idx" power cut
load_stats "$idx"
(( ST[cut_lost_writes] == w && ST[cut_lost_blocks] == b )) ||
	fail "a second cut: cut_lost ${ST[cut_lost_writes]}/${ST[cut_lost_blocks]}, was $w/$b"

# Power on: I/O runs again.
run set "$idx" --power on
[[ $rc -eq 0 && -z $out$err ]] ||
	fail "set $idx --power on: exit $rc: $out$err"
expect "$idx" power on
listed "$disk" '!cut' 1.0MiB
dd_read "$disk" || fail "dd from /dev/$disk after power on: $(<"$TMP/dd.err")"
run set "$idx" --power on
[ "$rc" -eq 0 ] || fail "set $idx --power on again: exit $rc: $err"
expect "$idx" power on
log "set --power on: power on, dd from /dev/$disk reads; again: no change"

# --power with other settings: those are made, then the power changes.
run set -j "$idx" --latency-ns 1000 --power cut
[ "$rc" -eq 0 ] || fail "set $idx --latency-ns 1000 --power cut: exit $rc: $err"
[[ $(jfield "$out" power) = cut && $(jfield "$out" latency_ns) = 1000 ]] ||
	fail "set -j --latency-ns 1000 --power cut: $out"
run set "$idx" --latency-ns 0 --power on
[ "$rc" -eq 0 ] || fail "set $idx --latency-ns 0 --power on: exit $rc: $err"
expect "$idx" latency_ns 0
expect "$idx" power on
log "set --latency-ns --power: both made"
del_disk "$disk"

# What the kernel refuses, with its message.
refused "Operation not supported: write-cache: the backend keeps no data to lose" \
	--backend null --size 16M --write-cache 1M
refused "Operation not supported: write-cache: not with metadata or zones" \
	--backend mem --size 16M --metadata-size 8 --write-cache 1M
refused "Operation not supported: write-cache: not with metadata or zones" \
	--backend mem --size 128M --zoned --write-cache 1M
exit $KSFT_PASS
