#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Flexible Data Placement through nvme-cli 2.3, unmodified
# (Documentation/fdp.rst), on a mem disk with 64 KiB reclaim units (128
# blocks), 4 reclaim unit handles and 3 placement handles: id-ctrl's
# ctratt has endurance groups and FDP, id-ns's endgid is 1; `nvme fdp
# configs`, `usage`, `stats`, `status`, `events`, `set-events` and
# `update` with -o json say what the disk is and what the writes did:
# `nvme write --dir-type=2 --dir-spec=N` of 8 and 16 blocks to handles 1
# and 2 and a block-device write of 8 blocks (handle 0) leave RUAMW 120,
# 120 and 112, the statistics 16 KiB written, nothing erased, no event;
# the data reads back; with the Not Fully Written event enabled on handle
# 1, `update -p 1` resets its RUAMW to 128 and logs one host event (type
# 0, PID 1, namespace 1, flags 7); an update of placement identifier 3,
# which the namespace does not have, fails with 0x4002. Nothing stays
# pinned.
. "$(dirname "$0")/lib.sh"
need nvme python3 cmp dd

# jget KEY...: the value at KEY/KEY/... (numbers index arrays) of the JSON
# in $TMP/out.
jget() {
	python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v)
' "$TMP/out" "$@"
}

# want WHAT GOT EXPECTED
want() {
	[ "$2" = "$3" ] || fail "$1: $2, want $3"
}

pins_before=$(vmstat_pins)
name=$(add_disk --backend mem --size 16M --fdp --fdp-ru-size 64K \
	--fdp-nruh 4 --fdp-nph 3)
dev=/dev/${name}c
udev_settle "$dev"

nv id-ctrl "$dev" -o json
want "id-ctrl ctratt & 0x80010" $(($(jget ctratt) & 0x80010)) $((0x80010))
nv id-ns "$dev" -o json
want "id-ns endgid" "$(jget endgid)" 1

nv fdp configs "$dev" -e 1 -o json
want "configs n" "$(jget n)" 0
want "configs fdpa" "$(jget configs 0 fdpa)" 128
want "configs nrg/nruh/nnss/runs" \
	"$(jget configs 0 nrg)/$(jget configs 0 nruh)/$(jget configs 0 nnss)/$(jget configs 0 runs)" \
	1/4/1/65536
nv fdp usage "$dev" -e 1 -o json
want "usage nruh" "$(jget nruh)" 4
want "usage ruha" "$(jget ruhus 0 ruha)$(jget ruhus 1 ruha)$(jget ruhus 2 ruha)$(jget ruhus 3 ruha)" 1110
log "id-ctrl, id-ns, configs, usage: 4 handles, 3 the namespace's"

head -c 4096 /dev/urandom >"$TMP/d1"
head -c 8192 /dev/urandom >"$TMP/d2"
head -c 4096 /dev/urandom >"$TMP/d0"
nv write "$dev" -s 0 -c 7 -z 4096 -d "$TMP/d1" --dir-type=2 --dir-spec=1
nv write "$dev" -s 100 -c 15 -z 8192 -d "$TMP/d2" --dir-type=2 --dir-spec=2
dd if="$TMP/d0" of="/dev/$name" bs=4096 seek=256 oflag=direct status=none ||
	fail "dd to /dev/$name"
nv fdp status "$dev" -n 1 -o json
want "status nruhsd" "$(jget nruhsd)" 3
want "status ruamw" "$(jget ruhss 0 ruamw)/$(jget ruhss 1 ruamw)/$(jget ruhss 2 ruamw)" \
	120/120/112
want "status pid/ruhid of 2" "$(jget ruhss 2 pid)/$(jget ruhss 2 ruhid)" 2/2
nv fdp stats "$dev" -e 1 -o json
want "stats hbmw/mbmw/mbe" "$(jget hbmw)/$(jget mbmw)/$(jget mbe)" 16384/16384/0
nv fdp events "$dev" -e 1 -E -o json
want "host events before" "$(jget n)" 0
rm -f "$TMP/back"
nv read "$dev" -s 100 -c 15 -z 8192 -d "$TMP/back"
cmp "$TMP/d2" "$TMP/back" || fail "placed write: read back differs"
log "placed writes: RUAMW 120/120/112, 16 KiB written, data read back"

nv fdp set-events "$dev" -n 1 -p 1 -t 0 -e
nv fdp update "$dev" -n 1 -p 1
nv fdp status "$dev" -n 1 -o json
want "ruamw of handle 1 after update" "$(jget ruhss 1 ruamw)" 128
nv fdp events "$dev" -e 1 -E -o json
want "host events" "$(jget n)" 1
want "event type/pid/nsid/fdpef" \
	"$(jget events 0 type)/$(jget events 0 pid)/$(jget events 0 nsid)/$(jget events 0 fdpef)" \
	0/1/1/7
nv fdp events "$dev" -e 1 -o json
want "controller events" "$(jget n)" 0
log "update -p 1: RUAMW 128, one Not Fully Written event"

if nvme fdp update "$dev" -n 1 -p 3 >"$TMP/out" 2>&1; then
	fail "fdp update -p 3 succeeded"
fi
grep -q '(0x4002)' "$TMP/out" ||
	{ sed 's/^/# /' "$TMP/out"; fail "fdp update -p 3: not 0x4002"; }
log "update -p 3: 0x4002"

del_disk "$name"
pins_after=$(vmstat_pins)
[ "$pins_after" -eq "$pins_before" ] ||
	fail "FOLL_PIN balance moved: $pins_before -> $pins_after"
exit $KSFT_PASS
