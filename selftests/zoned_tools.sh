#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Debian's zoned tools, unmodified, against a zoned zcblk disk
# (Documentation/zoned.rst): nvme-cli 2.3's zns plugin on the char device
# (id-ctrl, id-ns, report-zones, zone-append, open/close/finish/reset/
# offline-zone, changed-zone-list), output checked; blkzone on the block
# device, whose zones are the char device's; fio 3.33 --zonemode=zbd
# through io_uring_cmd on the char device and io_uring on the block device
# (sequential writes with verify, a capacity below the zone size, zone
# resets, --max_open_zones, random writes). Nothing stays pinned.
. "$(dirname "$0")/lib.sh"
need nvme fio blkzone python3 cmp

# has TEXT: $TMP/out contains the line fragment TEXT.
has() {
	grep -qF -- "$1" "$TMP/out" || {
		sed 's/^/# /' "$TMP/out"
		fail "nvme output lacks \"$1\""
	}
}

# zone_line CHR N: the report-zones line of zone N (0-based).
zone_line() {
	nvme zns report-zones "$1" -d $(($2 + 1)) 2>&1 | grep '^SLBA' |
		sed -n "$(($2 + 1))p"
}

# zstate CHR N: zone N's state byte as report-zones prints it (0x10 ...).
zstate() {
	zone_line "$1" "$2" | sed -n 's/.*State: \(0x[0-9a-f]*\).*/\1/p'
}

# zwp CHR N: zone N's write pointer as report-zones prints it.
zwp() {
	zone_line "$1" "$2" | sed -n 's/.*WP: \(0x[0-9a-f]*\).*/\1/p'
}

pins_before=$(vmstat_pins)

# ---- nvme-cli on a 4096-byte-block disk: 16 zones of 1 MiB, 768 KiB
# writable, at most 4 open and 6 active.
name=$(add_disk --backend mem --size 16M --block-size 4096 --zoned \
	--zone-size 1M --zone-capacity 768K --zone-max-open 4 \
	--zone-max-active 6)
chr=/dev/${name}c
udev_settle "$chr"
zl=256		# zone size in LBAs

nv zns id-ctrl "$chr"
has "zasl    : 0"
nv zns id-ns "$chr"
has "mar     : 0x5"
has "mor     : 0x3"
has "lbafe  0: zsze:0x100 zdes:0 (in use)"
nv zns report-zones "$chr"
has "nr_zones: 16"
[ "$(grep -c '^SLBA' "$TMP/out")" -eq 16 ] || fail "report-zones: not 16 zones"
grep '^SLBA' "$TMP/out" | head -2 | sed 's/^/# /'
has "SLBA: 0x100      WP: 0x100      Cap: 0xc0       State: 0x10 Type: 0x2"
log "nvme zns id-ctrl, id-ns, report-zones: ok"

# zone-append: two of 8 KiB to zone 1, each told the LBA it went to
head -c 8192 /dev/urandom >"$TMP/a1"
head -c 8192 /dev/urandom >"$TMP/a2"
nv zns zone-append "$chr" -s $zl -z 8192 -d "$TMP/a1"
has "Success appended data to LBA 100"
nv zns zone-append "$chr" -s $zl -z 8192 -d "$TMP/a2"
has "Success appended data to LBA 102"
rm -f "$TMP/back"
nv read "$chr" -s $((zl + 2)) -c 1 -z 8192 -d "$TMP/back"
cmp -s "$TMP/a2" "$TMP/back" || fail "second append's data not at LBA 0x102"
[ "$(zwp "$chr" 1)" = 0x104 ] || fail "zone 1 WP $(zwp "$chr" 1), not 0x104"
[ "$(zstate "$chr" 1)" = 0x20 ] || fail "zone 1 not implicitly open"
log "nvme zns zone-append: ok (LBAs 0x100, 0x102, data read back)"

nv zns open-zone "$chr" -s $((2 * zl))
has "zns-open-zone: Success zone slba:200 nsid:1"
[ "$(zstate "$chr" 2)" = 0x30 ] || fail "open-zone: zone 2 not explicitly open"
nv zns close-zone "$chr" -s $((2 * zl))
has "zns-close-zone: Success, action:1 zone:200 all:0"
[ "$(zstate "$chr" 2)" = 0x40 ] || fail "close-zone: zone 2 not closed"
nv zns finish-zone "$chr" -s $zl
has "zns-finish-zone: Success, action:2 zone:100 all:0"
[ "$(zstate "$chr" 1)" = 0xe0 ] || fail "finish-zone: zone 1 not full"
nv zns reset-zone "$chr" -s $zl
has "zns-reset-zone: Success, action:4 zone:100 all:0"
[ "$(zstate "$chr" 1)" = 0x10 ] || fail "reset-zone: zone 1 not empty"
[ "$(zwp "$chr" 1)" = 0x100 ] || fail "reset-zone: zone 1 WP not at its start"
# offline-zone: only a read-only zone may go offline
rc=0
nvme zns offline-zone "$chr" -s $((3 * zl)) >"$TMP/out" 2>&1 || rc=$?
[ $rc -ne 0 ] || fail "offline-zone of an empty zone succeeded"
grep -qi 'INVALID_TRANSITION\|1bf\|Invalid Zone State Transition' \
	"$TMP/out" || { sed 's/^/# /' "$TMP/out"; fail "offline-zone: not 1BFh"; }
nv zns reset-zone "$chr" -a
has "all:1"
[ "$(zstate "$chr" 2)" = 0x10 ] || fail "reset-zone -a: zone 2 not empty"
nv zns changed-zone-list "$chr"
has "nrzid:  0"
log "nvme zns open/close/finish/reset/offline-zone, changed-zone-list: ok"

# ---- blkzone sees the same zones
blk=/dev/$name
nv zns zone-append "$chr" -s $((5 * zl)) -z 8192 -d "$TMP/a1"
blkzone report -o $((5 * zl * 8)) -c 1 "$blk" >"$TMP/out" 2>&1 ||
	fail "blkzone report"
sed 's/^/# /' "$TMP/out"
has "wptr 0x000010"
has "zcond: 2(oi)"
blkzone open -o $((6 * zl * 8)) -c 1 "$blk" || fail "blkzone open"
[ "$(zstate "$chr" 6)" = 0x30 ] || fail "blkzone open: zone 6 not explicitly open"
blkzone close -o $((6 * zl * 8)) -c 1 "$blk" || fail "blkzone close"
[ "$(zstate "$chr" 6)" = 0x40 ] || fail "blkzone close: zone 6 not closed"
blkzone finish -o $((5 * zl * 8)) -c 1 "$blk" || fail "blkzone finish"
[ "$(zstate "$chr" 5)" = 0xe0 ] || fail "blkzone finish: zone 5 not full"
blkzone reset "$blk" || fail "blkzone reset (all)"
[ "$(zstate "$chr" 5)" = 0x10 ] || fail "blkzone reset: zone 5 not empty"
log "blkzone report, open, close, finish, reset: the char device's zones"
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del $name"

# ---- fio on the char device: 32 zones of 1 MiB, capacity 512 KiB
name=$(add_disk --backend mem --size 32M --block-size 4096 --zoned \
	--zone-size 1M --zone-capacity 512K --zone-max-open 8)
chr=/dev/${name}c
udev_settle "$chr"
# iodepth 1: writes through the char device are not ordered for the host
run_fio zbd_char_seq --filename="$chr" --ioengine=io_uring_cmd \
	--cmd_type=nvme --zonemode=zbd --rw=write --bs=16k --iodepth=1 \
	--size=16M --verify=crc32c --do_verify=1
[ "$(zstate "$chr" 0)" = 0xe0 ] || fail "fio wrote zone 0 to its capacity: not full"
# again: every zone holds data, fio resets them as it goes
run_fio zbd_char_again --filename="$chr" --ioengine=io_uring_cmd \
	--cmd_type=nvme --zonemode=zbd --rw=write --bs=64k --iodepth=1 \
	--size=16M --verify=md5 --do_verify=1
run_fio zbd_char_rand --filename="$chr" --ioengine=io_uring_cmd \
	--cmd_type=nvme --zonemode=zbd --rw=randwrite --bs=4k --iodepth=1 \
	--max_open_zones=4 --size=32M --io_size=4M
nvme zns report-zones "$chr" >"$TMP/out" 2>&1 || fail "report-zones"
open=$(grep -c 'State: 0x[23]0' "$TMP/out" || true)
[ "$open" -le 8 ] || fail "$open zones open, above the limit of 8"
log "fio io_uring_cmd --zonemode=zbd: sequential with verify, again, random ($open open)"
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del $name"

# ---- fio on a char-device-only disk: zones of 768 KiB, not a power of two
name=$("$ZCBLKCTL" add --backend mem --size 24M --block-size 4096 --zoned \
	--zone-size 768K --zone-capacity 512K) || fail "add a 768 KiB-zone disk"
case $name in
*c) ;;
*) fail "add printed $name: a char-device-only disk is named by its char device" ;;
esac
idx=${name%c}
idx=${idx#zcblk}
echo "disk $idx" >>"$ZCBLK_UNDO"
udev_settle "/dev/$name"
[ ! -e "/dev/${name%c}" ] || fail "/dev/${name%c} exists: no block device expected"
run_fio zbd_char_npo2 --filename="/dev/$name" --ioengine=io_uring_cmd \
	--cmd_type=nvme --zonemode=zbd --rw=write --bs=16k --iodepth=1 \
	--size=12M --verify=crc32c --do_verify=1
nvme zns report-zones "/dev/$name" -d 2 >"$TMP/out" 2>&1 || fail "report-zones"
has "SLBA: 0xc0       WP: 0xffffffffffffffff"
log "fio on 768 KiB zones (char device only): ok"
"$ZCBLKCTL" del "$idx" >/dev/null || fail "del $name"

# ---- fio on the block device, several writes in flight per zone
name=$(add_disk --backend mem --size 32M --block-size 4096 --zoned \
	--zone-size 1M --zone-capacity 768K --zone-max-open 6)
run_fio zbd_blk_seq --filename="/dev/$name" --ioengine=io_uring \
	--direct=1 --zonemode=zbd --rw=write --bs=16k --iodepth=8 \
	--size=32M --verify=crc32c --do_verify=1
run_fio zbd_blk_rand --filename="/dev/$name" --ioengine=io_uring \
	--direct=1 --zonemode=zbd --rw=randwrite --bs=8k --iodepth=4 \
	--max_open_zones=6 --size=32M --io_size=4M
log "fio io_uring --direct=1 --zonemode=zbd on the block device: ok"
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del $name"

pins_after=$(vmstat_pins)
[ "$pins_after" -eq "$pins_before" ] ||
	fail "FOLL_PIN balance moved: $pins_before -> $pins_after"
exit $KSFT_PASS
