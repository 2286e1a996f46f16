#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zcblkctl and zoned disks. Mem disks made with --zoned and the zone
# options, in four geometries (the kernel's defaults: 64 MiB zones of full
# capacity, no conventional zone, no limit; the man page's example; 4 KiB
# blocks with conventional zones and both limits; every zone but the last
# conventional), report exactly that geometry in add -j, show -j and
# list -j (zoned true and the five zone_* keys), in show's rows and in the
# list table's FLAGS ("zoned"); sysfs says host-managed with the zone
# count, size and limits; and `blkzone report` lists every zone with its
# start, length and capacity (in sectors), the conventional ones first as
# type 1(CONVENTIONAL), the others empty (wptr 0, 1(em)) as type
# 2(SEQ_WRITE_REQUIRED). Each geometry the kernel refuses (twelve of them,
# its eight reasons) exits 2 with "Invalid argument" and its extack text
# exactly; each zone option without --zoned exits 1 with its usage
# error; neither makes a disk. A disk made without --zoned reports zoned
# false and no zone key, "zoned off" in show and no "zoned" flag.
#
# Needs root, zcblk.ko loaded, python3 and blkzone (util-linux).
# Exit: 0 pass, 1 fail, 4 skip.
. "$(dirname "$0")/lib.sh"

need python3 blkzone
[ -d /sys/module/zcblk ] || skip "zcblk module not loaded"

MiB=$((1 << 20))

# add_j ARGS...: zcblkctl add -j ARGS, its JSON in $TMP/add.json; sets
# disk (zcblkN). Fails the test on error.
add_j() {
	local re='"index": ([0-9]+)'
	"$ZCBLKCTL" add -j "$@" >"$TMP/add.json" 2>"$TMP/err" ||
		fail "zcblkctl add -j $*: exit $?: $(cat "$TMP/err")"
	[[ $(<"$TMP/add.json") =~ $re ]] ||
		fail "zcblkctl add -j $*: no index: $(cat "$TMP/add.json")"
	echo "disk ${BASH_REMATCH[1]}" >>"$ZCBLK_UNDO"
	disk=zcblk${BASH_REMATCH[1]}
	udev_settle "/dev/$disk"
}

# sysfs DISK FILE WANT: /sys/block/DISK/queue/FILE holds WANT.
sysfs() {
	local got
	got=$(<"/sys/block/$1/queue/$2") || fail "/sys/block/$1/queue/$2"
	[ "$got" = "$3" ] || fail "$1: queue/$2 is $got, want $3"
}

# check_zoned DISK SIZE BS ZSIZE ZCAP NCONV MAXOPEN MAXACTIVE: the disk's
# geometry in add -j ($TMP/add.json), show -j, list -j, sysfs and
# blkzone report, and its show rows and FLAGS.
check_zoned() {
	local d=$1 size=$2 bs=$3 zsize=$4 zcap=$5 nconv=$6 mopen=$7 mact=$8
	local nr=$((size / zsize)) out row name flags seen=0
	local open=unlimited active=unlimited

	"$ZCBLKCTL" show -j "$d" >"$TMP/show.json" || fail "zcblkctl show -j $d"
	"$ZCBLKCTL" list -j >"$TMP/list.json" || fail "zcblkctl list -j"
	blkzone report "/dev/$d" >"$TMP/zones" 2>"$TMP/err" ||
		fail "blkzone report /dev/$d: $(cat "$TMP/err")"
	python3 - "$d" "$size" "$bs" "$zsize" "$zcap" "$nconv" "$mopen" \
		"$mact" "$TMP" <<'EOF' || fail "$d: zone geometry"
import json, re, sys
d = sys.argv[1]
size, bs, zsize, zcap, nconv, mopen, mact = map(int, sys.argv[2:9])
tmp = sys.argv[9]
bad = []
def check(what, ok):
    if not ok:
        bad.append(what)
want = {"zoned": True, "size": size, "block_size": bs, "zone_size": zsize,
        "zone_capacity": zcap, "zone_nr_conv": nconv,
        "zone_max_open": mopen, "zone_max_active": mact,
        "backend": "mem", "state": "live"}
listed = [x for x in json.load(open(tmp + "/list.json")) if x["disk_name"] == d]
check("list -j: one %s" % d, len(listed) == 1)
for src, x in (("add -j", json.load(open(tmp + "/add.json"))),
               ("show -j", json.load(open(tmp + "/show.json"))),
               ("list -j", listed[0] if listed else {})):
    for k, v in want.items():
        check("%s: %s is %r, want %r" % (src, k, x.get(k), v),
              x.get(k) == v and type(x.get(k)) is type(v))
# blkzone: start, len and cap in 512-byte sectors.
line = re.compile(r"^\s*start: 0x([0-9a-f]+), len 0x([0-9a-f]+), "
                  r"cap 0x([0-9a-f]+), wptr 0x([0-9a-f]+) reset:\d+ "
                  r"non-seq:\d+, zcond:\s*(\d+)\((\w+)\) "
                  r"\[type: (\d+)\((\w+)\)\]$")
zones = [line.match(l) for l in open(tmp + "/zones") if l.strip()]
check("blkzone: every line a zone", all(zones))
zones = [z for z in zones if z]
nr = size // zsize
check("blkzone: %d zones, want %d" % (len(zones), nr), len(zones) == nr)
for i, z in enumerate(zones):
    start, ln, cap, wp = (int(z.group(j), 16) for j in range(1, 5))
    cond, cname = int(z.group(5)), z.group(6)
    typ, tname = int(z.group(7)), z.group(8)
    conv = i < nconv
    got = (start * 512, ln * 512, cap * 512, typ, tname)
    exp = (i * zsize, zsize, zsize if conv else zcap, 1 if conv else 2,
           "CONVENTIONAL" if conv else "SEQ_WRITE_REQUIRED")
    check("blkzone zone %d: %r, want %r" % (i, got, exp), got == exp)
    if conv:
        check("blkzone zone %d: condition %d(%s), want 0(nw)" %
              (i, cond, cname), (cond, cname) == (0, "nw"))
    else:
        check("blkzone zone %d: wptr %#x, condition %d(%s), want 0, 1(em)" %
              (i, wp, cond, cname), (wp, cond, cname) == (0, 1, "em"))
for b in bad:
    print("# %s: %s" % (d, b))
sys.exit(1 if bad else 0)
EOF

	sysfs "$d" zoned host-managed
	sysfs "$d" nr_zones "$nr"
	sysfs "$d" chunk_sectors $((zsize / 512))
	sysfs "$d" max_open_zones "$mopen"
	sysfs "$d" max_active_zones "$mact"

	# show's rows (a name padded to 14 columns, a space, the value); the
	# list table's FLAGS (its 11th column).
	[ "$mopen" = 0 ] || open=$mopen
	[ "$mact" = 0 ] || active=$mact
	out=$("$ZCBLKCTL" show "$d") || fail "zcblkctl show $d"
	for row in "zoned on" "zone_size $zsize (" "zone_capacity $zcap (" \
		"zone_nr_conv $nconv" "zone_max open $open, active $active"; do
		printf -v row '  %-14s %s' "${row%% *}" "${row#* }"
		[[ $out == *"$row"* ]] || fail "zcblkctl show $d: no \"$row\": $out"
	done
	while read -r _ name _ _ _ _ _ _ _ _ flags _; do
		[ "$name" = "$d" ] || continue
		seen=1
		[[ ,$flags, == *,zoned,* ]] || fail "zcblkctl list: $d FLAGS $flags, no zoned"
	done < <("$ZCBLKCTL" list)
	[ $seen = 1 ] || fail "zcblkctl list: no $d"
	log "$d: $((size / MiB)) MiB, $bs-byte blocks, $nr zones of $zsize" \
		"(capacity $zcap, $nconv conventional, open $mopen," \
		"active $mact): add -j, show, list, sysfs, blkzone agree"
}

# The kernel's defaults.
add_j --backend mem --size 1G --zoned
check_zoned "$disk" $((1024 * MiB)) 512 $((64 * MiB)) $((64 * MiB)) 0 0 0
del_disk "$disk"
# The man page's example: an open limit without an active one.
add_j --backend mem --size 1G --zoned --zone-size 64M --zone-capacity 48M \
	--zone-max-open 8
check_zoned "$disk" $((1024 * MiB)) 512 $((64 * MiB)) $((48 * MiB)) 0 8 0
del_disk "$disk"
# 4 KiB blocks, conventional zones first, both limits.
add_j --backend mem --size 256M --block-size 4096 --zoned --zone-size 16M \
	--zone-capacity 12M --zone-nr-conv 3 --zone-max-open 4 --zone-max-active 6
check_zoned "$disk" $((256 * MiB)) 4096 $((16 * MiB)) $((12 * MiB)) 3 4 6
del_disk "$disk"
# The largest limits taken: 4096, and every sequential zone.
add_j --backend mem --size 8G --zoned --zone-size 1M --zone-max-open 4096 \
	--zone-max-active 4096
check_zoned "$disk" $((8192 * MiB)) 512 $((1 * MiB)) $((1 * MiB)) 0 4096 4096
del_disk "$disk"
# (The block layer shows a limit of every sequential zone as none: the
# reply is what says it was taken.)
add_j --backend mem --size 1G --zoned --zone-nr-conv 2 --zone-max-active 14
grep -q '"zone_max_active": 14,' "$TMP/add.json" ||
	fail "add --zone-max-active 14 of 14: $(cat "$TMP/add.json")"
del_disk "$disk"
# Every zone but one conventional. (No limit here: from 6.10 the block
# layer drops limits not below the sequential zones' count, and sysfs
# would show 0.)
add_j --backend mem --size 64M --zoned --zone-size 2M --zone-capacity 1536K \
	--zone-nr-conv 31
check_zoned "$disk" $((64 * MiB)) 512 $((2 * MiB)) $((1536 << 10)) 31 0 0
del_disk "$disk"

"$ZCBLKCTL" list -j >"$TMP/before" || fail "zcblkctl list -j"

# refused MESSAGE ARGS...: zcblkctl add ARGS exits 2, prints nothing on
# stdout and exactly "zcblkctl: Invalid argument: MESSAGE" on stderr.
refused() {
	local msg=$1 rc out err
	shift
	out=$("$ZCBLKCTL" add --backend mem "$@" 2>"$TMP/err")
	rc=$?
	err=$(<"$TMP/err")
	[ $rc -eq 2 ] || fail "add $*: exit $rc, want 2: $out $err"
	[ -z "$out" ] || fail "add $*: printed: $out"
	[ "$err" = "zcblkctl: Invalid argument: $msg" ] ||
		fail "add $*: stderr \"$err\", want \"zcblkctl: Invalid argument: $msg\""
	log "add $*: exit 2, $msg"
}

refused "zone-size: not a multiple of block-size" \
	--size 1G --block-size 4096 --zoned --zone-size 2048
refused "zone-size: above 2 TiB" --size 4T --zoned --zone-size 4T
refused "zone-nr-conv: conventional zones need a block device, and a zone size not a power of two gets none" \
	--size 3G --zoned --zone-size 3M --zone-nr-conv 1
refused "size: not a multiple of zone-size" --size 1G --zoned --zone-size 3M
refused "zone-capacity: not a multiple of block-size up to zone-size" \
	--size 1G --zoned --zone-size 64M --zone-capacity 65M
refused "zone-capacity: not a multiple of block-size up to zone-size" \
	--size 1G --block-size 4096 --zoned --zone-capacity $((48 * MiB + 512))
refused "size: not a multiple of zone-size" --size 96M --zoned
refused "size: not a multiple of zone-size" \
	--size 64M --zoned --zone-size 128M
refused "zone-size: more than 1048576 zones" \
	--size 1G --zoned --zone-size 512
refused "zone-nr-conv: leaves no sequential zone" \
	--size 1G --zoned --zone-nr-conv 16
refused "zone-max-open: above zone-max-active" \
	--size 1G --zoned --zone-max-open 8 --zone-max-active 4
refused "zone-max-active: above 4096 or the number of sequential zones" \
	--size 1G --zoned --zone-nr-conv 2 --zone-max-active 15
refused "zone-max-open: above 4096 or the number of sequential zones" \
	--size 1G --zoned --zone-max-open 4294967295
refused "zone-max-open: above 4096 or the number of sequential zones" \
	--size 8G --zoned --zone-size 1M --zone-max-open 4097

# The zone options without --zoned: usage errors (exit 1).
for opt in "--zone-size 64M" "--zone-capacity 48M" "--zone-nr-conv 1" \
	"--zone-max-open 8" "--zone-max-active 8"; do
	# shellcheck disable=SC2086 # $opt: an option and its value
	out=$("$ZCBLKCTL" add --backend mem --size 1G $opt 2>"$TMP/err")
	rc=$?
	err=$(<"$TMP/err")
	want="zcblkctl add: ${opt% *} needs --zoned
Try 'zcblkctl add --help'."
	[ $rc -eq 1 ] || fail "add $opt without --zoned: exit $rc, want 1: $err"
	[ -z "$out" ] || fail "add $opt without --zoned: printed: $out"
	[ "$err" = "$want" ] ||
		fail "add $opt without --zoned: stderr \"$err\", want \"$want\""
	log "add $opt without --zoned: exit 1, ${opt% *} needs --zoned"
done
"$ZCBLKCTL" list -j >"$TMP/after" || fail "zcblkctl list -j"
cmp -s "$TMP/before" "$TMP/after" ||
	fail "a refused add made a disk: $(cat "$TMP/after")"

# A disk without --zoned: zoned false, no zone key, no flag.
add_j --backend mem --size 64M
"$ZCBLKCTL" show -j "$disk" >"$TMP/show.json" || fail "zcblkctl show -j $disk"
python3 - "$TMP/add.json" "$TMP/show.json" <<'EOF' || fail "$disk: not zoned"
import json, sys
bad = False
for f in sys.argv[1:]:
    x = json.load(open(f))
    zkeys = sorted(k for k in x if k.startswith("zone_"))
    if x.get("zoned") is not False or zkeys:
        print("# %s: zoned %r, zone keys %s" % (f, x.get("zoned"), zkeys))
        bad = True
sys.exit(bad)
EOF
out=$("$ZCBLKCTL" show "$disk") || fail "zcblkctl show $disk"
printf -v row '  %-14s %s' zoned off
[[ $out == *"$row"* ]] || fail "zcblkctl show $disk: no \"$row\": $out"
[[ $out != *zone_* ]] || fail "zcblkctl show $disk: zone rows: $out"
while read -r _ name _ _ _ _ _ _ _ _ flags _; do
	[ "$name" = "$disk" ] || continue
	[[ ,$flags, != *,zoned,* ]] || fail "zcblkctl list: $disk FLAGS $flags"
done < <("$ZCBLKCTL" list)
sysfs "$disk" zoned none
log "$disk without --zoned: zoned false, no zone key or row, queue/zoned none"
del_disk "$disk"
exit $KSFT_PASS
