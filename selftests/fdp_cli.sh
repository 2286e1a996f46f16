#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Flexible Data Placement from the command line (Documentation/fdp.rst):
# features -j lists the fdp flag; zcblkctl add --fdp makes a mem disk
# with the kernel's defaults, which show -j (fdp true, fdp_ru_size
# 67108864, fdp_nruh 8, fdp_nrg 1, fdp_nph 8, fdp_ruh_type initially),
# show's fdp row and list's FLAGS (fdp) say; nvme-cli's id-ctrl has
# CTRATT bits 4 (endurance groups) and 19 (FDP) set, id-ns ENDGID 1.
# --fdp-ru-size 1M --fdp-nruh 4 --fdp-nrg 2 --fdp-nph 3 --fdp-ruh-type
# persistently: those values in show -j and show. A disk without --fdp:
# fdp false and no fdp_* key in show -j, "fdp off" in show, no fdp flag
# in list, CTRATT bit 19 clear and ENDGID 0. The kernel's refusals (--fdp
# with --zoned, a reclaim unit size of 0 or not a multiple of the block
# size, more placement handles than reclaim unit handles, a number out
# of its range) exit 2 with its message; each --fdp-* option without
# --fdp, a bad number and an unknown --fdp-ruh-type exit 1 with the
# usage message before the kernel is asked; none makes a disk.
#
# Needs root, zcblk.ko loaded, python3 and nvme-cli.
# Exit: 0 pass, 1 fail, 4 skip.
. "$(dirname "$0")/lib.sh"
need python3 nvme

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
	printf -v want '  %-14s %s\n' "$2" "$3"
	[[ $out$'\n' == *"$want"* ]] || fail "zcblkctl show $1: no \"$want\": $out"
}

# listed DISK FLAG: the list table's row of DISK has FLAG among its FLAGS
# (11th column; !FLAG: not among them).
listed() {
	local name flags seen=0
	while read -r _ name _ _ _ _ _ _ _ _ flags _; do
		[ "$name" = "$1" ] || continue
		seen=1
		case $2 in
		!*) [[ ,$flags, != *,${2#!},* ]] ||
			fail "zcblkctl list: $1 FLAGS $flags, with ${2#!}" ;;
		*) [[ ,$flags, == *,$2,* ]] ||
			fail "zcblkctl list: $1 FLAGS $flags, no $2" ;;
		esac
	done < <("$ZCBLKCTL" list)
	[ $seen = 1 ] || fail "zcblkctl list: no $1"
}

# ident DISK FDP: nvme-cli's id-ctrl and id-ns of DISK's char device: an
# FDP disk (FDP 1) has CTRATT bits 4 (endurance groups) and 19 (FDP
# supported) set and the namespace in endurance group 1; another (FDP 0)
# CTRATT bit 19 clear and ENDGID 0.
ident() {
	local chr=/dev/${1}c
	udev_settle "$chr"
	nv id-ctrl "$chr" -o json
	cp "$TMP/out" "$TMP/id-ctrl.json"
	nv id-ns "$chr" -o json
	python3 - "$TMP/id-ctrl.json" "$TMP/out" "$2" <<'PY' ||
import json, sys
ctrl, ns = (json.load(open(f)) for f in sys.argv[1:3])
if sys.argv[3] == "1":
    ok = ctrl["ctratt"] & 0x80010 == 0x80010 and ns["endgid"] == 1
else:
    ok = not ctrl["ctratt"] & 0x80000 and ns["endgid"] == 0
sys.exit(not ok)
PY
		fail "$chr: id-ctrl $(grep -o '"ctratt"[^,]*' "$TMP/id-ctrl.json"), id-ns $(grep -o '"endgid"[^,]*' "$TMP/out"), want FDP $2"
	if [ "$2" = 1 ]; then
		log "$chr: CTRATT bits 4 and 19 set, ENDGID 1"
	else
		log "$chr: CTRATT bit 19 clear, ENDGID 0"
	fi
}

# refused MESSAGE ARGS...: zcblkctl add ARGS refused by the kernel;
# usage MESSAGE ARGS...: zcblkctl add ARGS refused before it (lib.sh).
refused() { refused_cmd add "$@"; }
usage() { usage_cmd add "$@"; }

# features -j: the flag, by name.
json=$("$ZCBLKCTL" features -j) || fail "zcblkctl features -j"
[[ $json == *'"dev_flags": ["read_only", "buffered", "zoned", "extended_lba", "pi_first", "fdp", "pi_guard64"]'* ]] ||
	fail "features -j: dev_flags: $json"
log "features -j: dev_flags has fdp"

# The kernel's defaults.
disk=$(add_disk --backend mem --size 16M --fdp)
idx=${disk#zcblk}
expect "$idx" fdp true
expect "$idx" fdp_ru_size 67108864
expect "$idx" fdp_nruh 8
expect "$idx" fdp_nrg 1
expect "$idx" fdp_nph 8
expect "$idx" fdp_ruh_type initially
row "$idx" fdp "8 reclaim unit handles (initially isolated), 1 reclaim group, 8 placement handles, reclaim units of 67108864 (64.0MiB)"
listed "$disk" fdp
log "$disk: --fdp: 64 MiB reclaim units, 8 handles initially isolated, 1 group, 8 placement handles (show, show -j, list)"
ident "$disk" 1
del_disk "$disk"

# Every option given.
disk=$(add_disk --backend mem --size 16M --fdp --fdp-ru-size 1M \
	--fdp-nruh 4 --fdp-nrg 2 --fdp-nph 3 --fdp-ruh-type persistently)
idx=${disk#zcblk}
expect "$idx" fdp true
expect "$idx" fdp_ru_size 1048576
expect "$idx" fdp_nruh 4
expect "$idx" fdp_nrg 2
expect "$idx" fdp_nph 3
expect "$idx" fdp_ruh_type persistently
row "$idx" fdp "4 reclaim unit handles (persistently isolated), 2 reclaim groups, 3 placement handles, reclaim units of 1048576 (1.0MiB)"
listed "$disk" fdp
log "$disk: 1 MiB reclaim units, 4 handles persistently isolated, 2 groups, 3 placement handles (show, show -j, list)"
ident "$disk" 1
del_disk "$disk"

# Without --fdp: no FDP anywhere.
disk=$(add_disk --backend mem --size 16M)
idx=${disk#zcblk}
json=$("$ZCBLKCTL" show -j "$idx") || fail "zcblkctl show -j $idx"
[ "$(jfield "$json" fdp)" = false ] || fail "show -j $idx: fdp not false: $json"
[[ $json != *'"fdp_'* ]] || fail "show -j $idx: an fdp_ key without FDP: $json"
row "$idx" fdp off
listed "$disk" '!fdp'
log "$disk: without --fdp: fdp false, no fdp_ key (show -j), fdp off (show), no flag (list)"
ident "$disk" 0
del_disk "$disk"

# Refused by the kernel, then by zcblkctl before it: no disk made.
"$ZCBLKCTL" list -j >"$TMP/before" || fail "zcblkctl list -j"
refused "Invalid argument: flags: fdp and zoned do not go together" \
	--backend mem --size 128M --zoned --fdp
refused "Invalid argument: fdp-ru-size: a multiple of block-size" \
	--backend mem --size 16M --fdp --fdp-ru-size 0
refused "Invalid argument: fdp-ru-size: a multiple of block-size" \
	--backend mem --size 16M --fdp --fdp-ru-size 1000
refused "Invalid argument: fdp-ru-size: a multiple of block-size" \
	--backend mem --size 16M --block-size 4096 --fdp --fdp-ru-size 6K
refused "Invalid argument: fdp-nph: more placement handles than reclaim unit handles" \
	--backend mem --size 16M --fdp --fdp-nruh 4 --fdp-nph 5
refused "Invalid argument: fdp-nph: more placement handles than reclaim unit handles" \
	--backend mem --size 16M --fdp --fdp-nph 9
for r in nruh:0:1..128 nruh:129:1..128 nrg:0:1..32 nrg:33:1..32 \
	 nph:0:1..128 nph:129:1..128; do
	IFS=: read -r opt n range <<<"$r"
	refused "Numerical result out of range: fdp-$opt: integer out of range (valid: $range)" \
		--backend mem --size 16M --fdp "--fdp-$opt" "$n"
done
for opt in "--fdp-ru-size 1M" "--fdp-nruh 4" "--fdp-nrg 2" "--fdp-nph 3" \
	   "--fdp-ruh-type persistently"; do
	# shellcheck disable=SC2086 # $opt: an option and its value
	usage "${opt% *} needs --fdp" --backend mem --size 16M $opt
done
usage "--fdp-ru-size needs --fdp" --backend mem --size 16M --fdp-nph 3 \
	--fdp-ru-size 1M
usage "--fdp-nruh needs --fdp" --backend mem --size 16M --zoned --fdp-nruh 4
usage "invalid reclaim unit handle type (initially, persistently): 1" \
	--backend mem --size 16M --fdp --fdp-ruh-type 1
usage "invalid reclaim unit handle type (initially, persistently): initial" \
	--backend mem --size 16M --fdp --fdp-ruh-type initial
usage "invalid number of reclaim unit handles: x" \
	--backend mem --size 16M --fdp --fdp-nruh x
usage "invalid number of reclaim groups: -1" \
	--backend mem --size 16M --fdp --fdp-nrg -1
usage "invalid number of placement handles: 4294967296" \
	--backend mem --size 16M --fdp --fdp-nph 4294967296
usage "invalid reclaim unit size: 1Q" \
	--backend mem --size 16M --fdp --fdp-ru-size 1Q
"$ZCBLKCTL" list -j >"$TMP/after" || fail "zcblkctl list -j"
cmp -s "$TMP/before" "$TMP/after" ||
	fail "a refused add made a disk: $(cat "$TMP/after")"
log "no refused add made a disk"
exit $KSFT_PASS
