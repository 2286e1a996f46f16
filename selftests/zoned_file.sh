#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Zone state on the file backend (Documentation/zoned.rst, "Zone state on
# a file"): a zoned disk made again on the same backing file finds its
# zones as they were (write pointers, closed, full; open zones closed, or
# empty if unwritten) and its data; the zone table takes the file's end
# (a default size leaves its two copies room, a given one must); a table
# of another geometry or of an unknown version, one damaged in both copies
# (a bad CRC, or entries a CRC carries that the zones cannot hold), and a
# file too small for a zone and the table, are refused with the exact
# extack text, as is a new table in a full file system; conventional zones
# keep their data. The newer copy damaged (a save a crash tore), the
# older is taken, and the next save rewrites the damaged one; a first
# save that never ended leaves the zones empty; a table of the first
# version (one copy) is read, one for more zones than two copies leave
# room refused as another geometry; 4 EiB of 512-byte zones refused at
# once; a Reset whose zeroing failed (dm's error target) leaves the next
# Reset the zone's data to zero.
# And btrfs -O zoned on such a disk survives the disk's deletion: files
# written, disk deleted and made again, mounted, all equal.
. "$(dirname "$0")/lib.sh"
need nvme mkfs.ext4 mkfs.btrfs python3 cmp sha256sum

brd_ext4 524288
mnt=$TMP/mnt
mkdir -p "$TMP/fs"

img=$mnt/zoned.img
truncate -s 16M "$img" || fail "truncate"
args=(--backend file --path "$img" --block-size 4096 --zoned --zone-size 1M)

# addz ARGS...: add a disk, its name in $name, its char device in $chr
addz() {
	name=$(add_disk "$@")
	chr=/dev/${name}c
	udev_settle "$chr"
}

# zt CMD FILE ARGS...: the zone table at the end of FILE, whose copies
# (of up to 504 zones) are 4 KiB each: the first at the end's last 8 KiB,
# the second after it. A copy's CRC (crc32_le from ~0, no final
# inversion: zlib's crc32 inverted) covers its header, CRC field 0, and
# its entries; version 1's only the entries.
#   gens: each copy's generation, "v1", "bad" or "-" (no table)
#   entry ZONE STATE WP [COPY]: that entry set in each whole copy (or in
#       COPY), CRC made again
#   damage COPY: an entry's byte changed, the CRC kept
#   wipe COPY: zeroed
#   v1: the newer copy written as version 1 wrote it (the second copy,
#       its CRC the entries'), the first zeroed
#   version COPY V: its version V, its CRC made again
#   gen COPY G: its generation G, its CRC made again
zt() {
	python3 - "$@" <<'PY' || fail "zt $*"
import struct, sys, zlib
cmd, path, args = sys.argv[1], sys.argv[2], sys.argv[3:]
L = 4096
with open(path, 'r+b') as f:
    end = f.seek(0, 2) // L * L
    pos = (end - 2 * L, end - L)
    def rd(i):
        f.seek(pos[i])
        return bytearray(f.read(L))
    def wr(i, t):
        f.seek(pos[i])
        f.write(t)
    def crc(t, v):
        nr = struct.unpack_from('<I', t, 32)[0]
        h = bytearray(t[:64])
        struct.pack_into('<I', h, 40, 0)
        data = (bytes(h) if v == 2 else b'') + bytes(t[64:64 + 8 * nr])
        return zlib.crc32(data) ^ 0xffffffff
    def state(i):
        t = rd(i)
        if t[:8] != b'ZCBLKZT\0':
            return '-'
        v = struct.unpack_from('<I', t, 8)[0]
        if v not in (1, 2) or struct.unpack_from('<I', t, 40)[0] != crc(t, v):
            return 'bad'
        return 'v1' if v == 1 else str(struct.unpack_from('<Q', t, 48)[0])
    if cmd == 'gens':
        print(state(0), state(1))
    elif cmd == 'entry':
        zone, st, wp = int(args[0]), int(args[1], 0), int(args[2], 0)
        for i in ((0, 1) if len(args) < 4 else (int(args[3]),)):
            if state(i) in ('-', 'bad'):
                continue
            t = rd(i)
            struct.pack_into('<Q', t, 64 + 8 * zone, st << 60 | wp)
            struct.pack_into('<I', t, 40, crc(t, struct.unpack_from('<I', t, 8)[0]))
            wr(i, t)
    elif cmd == 'damage':
        t = rd(int(args[0]))
        t[64] ^= 0x5a
        wr(int(args[0]), t)
    elif cmd == 'wipe':
        wr(int(args[0]), bytes(L))
    elif cmd == 'v1':
        gens = [(int(state(i)), i) for i in (0, 1) if state(i).isdigit()]
        t = rd(max(gens)[1])
        struct.pack_into('<I', t, 8, 1)
        t[44:64] = bytes(20)
        struct.pack_into('<I', t, 40, crc(t, 1))
        wr(1, t)
        wr(0, bytes(L))
    elif cmd in ('version', 'gen'):
        t = rd(int(args[0]))
        if cmd == 'version':
            struct.pack_into('<I', t, 8, int(args[1]))
        else:
            struct.pack_into('<Q', t, 48, int(args[1]))
        struct.pack_into('<I', t, 40, crc(t, 2))
        wr(int(args[0]), t)
    else:
        sys.exit('zt: no command ' + cmd)
PY
}

# gens_are FILE WANT: zt gens FILE prints WANT
gens_are() { same_out "$2" zt gens "$1"; }

# refused TEXT ARGS...: zcblkctl add ARGS fails saying TEXT
refused() {
	local want=$1 rc=0
	shift
	"$ZCBLKCTL" add "$@" >"$TMP/out" 2>&1 || rc=$?
	[ $rc -ne 0 ] || fail "add $* succeeded"
	grep -qF -- "$want" "$TMP/out" || {
		sed 's/^/# /' "$TMP/out"
		fail "add $*: no \"$want\""
	}
}

# zline N: zone N's report-zones line
zline() {
	nvme zns report-zones "$chr" -d $(($1 + 1)) 2>&1 | grep '^SLBA' |
		sed -n "$(($1 + 1))p"
}

# expect_zone N STATE WP
expect_zone() {
	local l
	l=$(zline "$1")
	case $l in
	*"WP: $3 "*"State: $2 "*) ;;
	*) fail "zone $1: \"$l\", want WP $3 State $2" ;;
	esac
}

# 16 MiB of file: 15 zones of 1 MiB, the table's copies in the last 8 KiB
addz "${args[@]}"
size=$(json_field "$name" size)
[ "$size" = $((15 << 20)) ] || fail "default size $size, not 15 MiB"
head -c 32768 /dev/urandom >"$TMP/a"
head -c 8192 /dev/urandom >"$TMP/b"
nvme write "$chr" -s 0 -c 7 -z 32768 -d "$TMP/a" >/dev/null 2>&1 ||
	fail "nvme write"
nvme zns zone-append "$chr" -s 0x300 -z 8192 -d "$TMP/b" >/dev/null 2>&1 ||
	fail "zone-append"
nvme zns open-zone "$chr" -s 0x500 >/dev/null 2>&1 || fail "open-zone"
nvme zns finish-zone "$chr" -s 0x700 >/dev/null 2>&1 || fail "finish-zone"
nvme flush "$chr" -n 1 >/dev/null 2>&1 || fail "nvme flush"
expect_zone 0 0x20 0x8
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"

addz "${args[@]}"
expect_zone 0 0x40 0x8		# implicitly open: closed by the power cycle
expect_zone 3 0x40 0x302
expect_zone 5 0x10 0x500	# opened, never written: empty
zline 7 | grep -q 'State: 0xe0' || fail "zone 7 not full: $(zline 7)"
expect_zone 1 0x10 0x100
rm -f "$TMP/back"
nvme read "$chr" -s 0 -c 7 -z 32768 -d "$TMP/back" >/dev/null 2>&1 ||
	fail "nvme read"
cmp -s "$TMP/a" "$TMP/back" || fail "zone 0's data differs"
# the next write goes where the write pointer says
nvme write "$chr" -s 8 -c 0 -z 4096 -d "$TMP/b" >/dev/null 2>&1 ||
	fail "write at the kept write pointer"
log "zones and data kept across del and add (closed, empty, full, WP)"
# unflushed state is kept by a clean del
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
addz "${args[@]}"
expect_zone 0 0x40 0x9
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"

refused "zone-size: the backing file's zone table is of another geometry" \
	--backend file --path "$img" --block-size 4096 --zoned --zone-size 2M
refused "size: leaves no room for the zone table at the end of the backing file" \
	"${args[@]}" --size 16M
# five saves: at the add (a new table), the flush and three dels
gens_are "$img" "5 4"
# an entry of each copy damaged: the CRCs no longer match
zt damage "$img" 0
zt damage "$img" 1
gens_are "$img" "bad bad"
refused "path: the zone table is damaged" "${args[@]}"
# a default size on a file of one zone: no room left for the table
truncate -s 1M "$mnt/one-zone.img" || fail "truncate"
refused "path: too small for a zone and the zone table" --backend file \
	--path "$mnt/one-zone.img" --block-size 4096 --zoned --zone-size 1M
log "other geometry, no room, damaged table, too small a file: refused"

# Conventional zones made again: written anywhere, kept, no write pointer.
cimg=$mnt/conv.img
truncate -s 8M "$cimg" || fail "truncate"
cargs=(--backend file --path "$cimg" --block-size 4096 --zoned
       --zone-size 1M --zone-nr-conv 2)
addz "${cargs[@]}"
nvme write "$chr" -s 0x40 -c 7 -z 32768 -d "$TMP/a" >/dev/null 2>&1 ||
	fail "write into conventional zone 0"
nvme write "$chr" -s 0x200 -c 1 -z 8192 -d "$TMP/b" >/dev/null 2>&1 ||
	fail "write into zone 2"
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
addz "${cargs[@]}"
zline 0 | grep -Eq 'State: 0 +Type: 0x1 ' ||
	fail "zone 0 not conventional: $(zline 0)"
expect_zone 2 0x40 0x202
rm -f "$TMP/back"
nvme read "$chr" -s 0x40 -c 7 -z 32768 -d "$TMP/back" >/dev/null 2>&1 ||
	fail "read of conventional zone 0"
cmp -s "$TMP/a" "$TMP/back" || fail "conventional zone 0's data differs"
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"

# zt_entry ZONE STATE WP: the table's entry for ZONE set, its CRC made
# again, in both copies
zt_entry() { zt entry "$cimg" "$@"; }
# As the disk left them, with the CRC made here: taken.
zt_entry 0 0 0
addz "${cargs[@]}"
expect_zone 2 0x40 0x202
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
# A conventional zone with a state, a write pointer past the capacity:
# refused though the CRC matches.
zt_entry 0 1 0
refused "path: the zone table is damaged" "${cargs[@]}"
zt_entry 0 0 0
zt_entry 3 1 $((0x300 + 257))
refused "path: the zone table is damaged" "${cargs[@]}"
zt_entry 3 14 $((0x300 + 256))		# full: the write pointer at the end
addz "${cargs[@]}"
zline 3 | grep -q 'State: 0xe0' || fail "zone 3 not full: $(zline 3)"
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
# A write pointer its state cannot have: empty but moved, full short of
# the end, closed at the end (a write there makes the zone full).
zt_entry 4 1 $((0x400 + 1))
refused "path: the zone table is damaged" "${cargs[@]}"
zt_entry 4 14 $((0x400 + 255))
refused "path: the zone table is damaged" "${cargs[@]}"
zt_entry 4 4 $((0x400 + 256))
refused "path: the zone table is damaged" "${cargs[@]}"
# Zones 2 and 4 closed: active, more than --zone-max-active 1 allows.
zt_entry 4 4 $((0x400 + 1))
refused "zone-max-active: below the active zones of the backing file's zone table" \
	"${cargs[@]}" --zone-max-active 1
addz "${cargs[@]}" --zone-max-active 2
expect_zone 4 0x40 0x401
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
log "conventional zones kept; a table with a valid CRC but a state or write pointer its zones cannot hold, or more active zones than the limit: refused"

# Two copies. 8 MiB: 7 zones. Each save writes the copy that does not hold
# the newer table, one generation on.
timg=$mnt/two.img
truncate -s 8M "$timg" || fail "truncate"
targs=(--backend file --path "$timg" --block-size 4096 --zoned --zone-size 1M)
addz "${targs[@]}"
gens_are "$timg" "1 -"
nvme write "$chr" -s 0 -c 1 -z 8192 -d "$TMP/b" >/dev/null 2>&1 ||
	fail "write zone 0"
nvme flush "$chr" -n 1 >/dev/null 2>&1 || fail "nvme flush"
gens_are "$timg" "1 2"
nvme write "$chr" -s 2 -c 0 -z 4096 -d "$TMP/b" >/dev/null 2>&1 ||
	fail "write zone 0"
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
gens_are "$timg" "3 2"
# The newer copy torn by a crash (damaged): the older taken, as the flush
# left the zones (WP 2, not 3), and said so; the next save writes the
# damaged copy, one generation on from the one taken.
zt damage "$timg" 0
dmesg_mark
addz "${targs[@]}"
expect_zone 0 0x40 0x2
dmesg_has "zone table copy 0 damaged: copy 1, generation 2, taken"
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
gens_are "$timg" "3 2"
addz "${targs[@]}"
expect_zone 0 0x40 0x2
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
gens_are "$timg" "3 4"
# A generation no save could follow (2^64 - 1): damaged, the other taken.
zt gen "$timg" 1 18446744073709551615
dmesg_mark
addz "${targs[@]}"
dmesg_has "zone table copy 1 damaged: copy 0, generation 3, taken"
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
gens_are "$timg" "3 4"
# The newer of a version not known here: the older taken; both: refused.
zt version "$timg" 1 7
gens_are "$timg" "3 bad"
dmesg_mark
addz "${targs[@]}"
dmesg_has "zone table copy 1 of an unknown version: copy 0, generation 3, taken"
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
gens_are "$timg" "3 4"
zt version "$timg" 0 7
zt version "$timg" 1 7
refused "path: the zone table is of a version not known here" "${targs[@]}"
log "two copies: the newer damaged or of an unknown version, the older taken and the other rewritten; both of an unknown version refused"

# The first save never ended (the first copy damaged, the second never
# written): nothing was durable, the zones are empty, a table written.
zt wipe "$timg" 0
zt wipe "$timg" 1
addz "${targs[@]}"
gens_are "$timg" "1 -"
nvme write "$chr" -s 0 -c 1 -z 8192 -d "$TMP/b" >/dev/null 2>&1 ||
	fail "write zone 0"
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
gens_are "$timg" "1 2"
zt damage "$timg" 0
zt wipe "$timg" 1
dmesg_mark
addz "${targs[@]}"
expect_zone 0 0x10 0
dmesg_has "the zone table's first save never ended: zones empty"
gens_are "$timg" "1 -"
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
log "a first save that never ended: zones empty, a new table"

# A table of the first version (one copy, where the second is now): read;
# the next save goes to the first copy, and it is taken after.
addz "${targs[@]}"
nvme write "$chr" -s 0x100 -c 2 -z 12288 -d "$TMP/a" >/dev/null 2>&1 ||
	fail "write zone 1"
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
zt v1 "$timg"
gens_are "$timg" "- v1"
addz "${targs[@]}"
expect_zone 1 0x40 0x103
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
gens_are "$timg" "1 v1"
zt entry "$timg" 1 2 $((0x100 + 1)) 1	# the v1 copy only: not taken
addz "${targs[@]}"
expect_zone 1 0x40 0x103
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
log "a version 1 table read, the version 2 copy written after it taken"

# v1_file FILE NR: a file as version 1 made it for NR zones of 64 KiB, 4
# KiB blocks, with no size given: the zones, then one copy of the table
# (zone 3 full, the others empty), and nothing after it.
v1_file() {
	python3 - "$@" <<'PY' || fail "v1_file $*"
import struct, sys, zlib
path, nr = sys.argv[1], int(sys.argv[2])
zs, lbas = 65536, 16
ents = b''.join(struct.pack('<Q', (14 << 60 | (z + 1) * lbas) if z == 3 else (1 << 60 | z * lbas))
                for z in range(nr))
tlen = (64 + 8 * nr + 4095) // 4096 * 4096
hdr = b'ZCBLKZT\0' + struct.pack('<IIQQIII', 1, 4096, zs, zs, nr, 0,
                                 zlib.crc32(ents) ^ 0xffffffff)
with open(path, 'wb') as f:
    f.truncate(nr * zs + tlen)
    f.seek(nr * zs)
    f.write(hdr + bytes(64 - len(hdr)) + ents)
PY
}
# Version 1 for more zones than leave two copies room now: refused as
# another geometry, the file unchanged; whether its table lies between
# the copies (1017 zones: a 12 KiB table, 8 KiB copies for 1016) or
# under the first (505 zones: 8 KiB, 4 KiB copies for 504).
for nr in 1017 505; do
	vimg=$mnt/v1-$nr.img
	v1_file "$vimg" $nr
	# its end: the old table and both copies' places (the whole file is
	# 64 MiB, slow to hash under TCG)
	sum=$(stat -c %s "$vimg"; tail -c 65536 "$vimg" | sha256sum)
	refused "zone-size: the backing file's zone table is of another geometry" \
		--backend file --path "$vimg" --block-size 4096 --zoned \
		--zone-size 64K
	[ "$(stat -c %s "$vimg"; tail -c 65536 "$vimg" | sha256sum)" = "$sum" ] ||
		fail "$vimg changed"
	rm -f "$vimg"
done
log "version 1 tables for more zones than two copies leave room: refused, unchanged"

# A Reset whose zeroing fails (zone 2 of a file disk on a device-mapper
# device, dm's error target under it for the Reset): Internal Error; the
# Reset again, the target gone, zeroes the zone's data, as the first
# would have (once it found nothing to zero: the write pointer was
# already at the start). Stock kernels: the debug kernel has no dm.
if modprobe dm-mod 2>/dev/null && command -v dmsetup >/dev/null; then
	modprobe loop 2>/dev/null	# built in on some kernels
	truncate -s 8M "$mnt/dm.img" || fail "truncate"
	loop=$(losetup -f --show "$mnt/dm.img") || fail "losetup"
	echo "loop $loop" >>"$ZCBLK_UNDO"
	dm=zcblk-zr$$
	dmsetup create --noudevsync "$dm" --table "0 16384 linear $loop 0" || fail "dmsetup create"
	echo "dm $dm" >>"$ZCBLK_UNDO"
	dmsetup mknodes "$dm" || fail "dmsetup mknodes"	# no udev here
	udev_settle "/dev/mapper/$dm"
	addz --backend file --path "/dev/mapper/$dm" --block-size 4096 \
		--zoned --zone-size 1M
	nvme write "$chr" -s 0x200 -c 1 -z 8192 -d "$TMP/b" >/dev/null 2>&1 ||
		fail "write zone 2"
	# dm_table ERROR: zone 2's sectors (4096 to 6143) on the error target
	# or not
	dm_table() {
		dmsetup suspend --noudevsync "$dm" || fail "dmsetup suspend"
		if [ "$1" = error ]; then
			printf '0 4096 linear %s 0\n4096 2048 error\n6144 10240 linear %s 6144\n' \
				"$loop" "$loop"
		else
			echo "0 16384 linear $loop 0"
		fi | dmsetup load --noudevsync "$dm" || fail "dmsetup load"
		dmsetup resume --noudevsync "$dm" || fail "dmsetup resume"
	}
	dm_table error
	nvme zns reset-zone "$chr" -s 0x200 >"$TMP/out" 2>&1 &&
		fail "reset of zone 2 on dm's error target succeeded"
	grep -q 'Internal Error' "$TMP/out" ||
		fail "reset on dm's error target: $(<"$TMP/out")"
	dm_table linear
	nvme zns reset-zone "$chr" -s 0x200 >/dev/null 2>&1 || fail "reset again"
	expect_zone 2 0x10 0x200
	rm -f "$TMP/back"
	nvme read "$chr" -s 0x200 -c 1 -z 8192 -d "$TMP/back" >/dev/null 2>&1 ||
		fail "read zone 2"
	cmp -s "$TMP/back" <(head -c 8192 /dev/zero) ||
		fail "zone 2 holds its data after a Reset that failed and one that did not"
	# The same, the second a Reset of all zones (which skips empty ones,
	# but not one whose data a failed Reset left)
	nvme write "$chr" -s 0x200 -c 1 -z 8192 -d "$TMP/b" >/dev/null 2>&1 ||
		fail "write zone 2"
	dm_table error
	nvme zns reset-zone "$chr" -s 0x200 >/dev/null 2>&1 &&
		fail "reset of zone 2 on dm's error target succeeded"
	dm_table linear
	nvme zns reset-zone "$chr" -a >/dev/null 2>&1 || fail "reset of all zones"
	rm -f "$TMP/back"
	nvme read "$chr" -s 0x200 -c 1 -z 8192 -d "$TMP/back" >/dev/null 2>&1 ||
		fail "read zone 2"
	cmp -s "$TMP/back" <(head -c 8192 /dev/zero) ||
		fail "zone 2 holds its data after a failed Reset and a Reset of all"
	"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
	undo_forget "disk ${name#zcblk}"
	log "a Reset whose zeroing failed: Internal Error; the next, of the zone or of all, zeroes it"
else
	case $(uname -r) in
	*-zcblk-debug) log "no device mapper in this kernel: its part is left out" ;;
	*) fail "$(uname -r): no dm-mod or dmsetup" ;;
	esac
fi

# A store of 4 EiB in zones of 512 bytes: refused at once for its number
# of zones (the room for the table was once found a zone at a time).
big=$TMP/big
mkdir -p "$big"
mount -t tmpfs -o size=1M tmpfs "$big" || fail "mount tmpfs"
echo "mount $big" >>"$ZCBLK_UNDO"
truncate -s 4E "$big/z.img" || fail "truncate -s 4E"
SECONDS=0
timeout 60 "$ZCBLKCTL" add --backend file --path "$big/z.img" --buffered \
	--zoned --zone-size 512 >"$TMP/out" 2>&1 && fail "add of 2^53 zones succeeded"
grep -qF "zone-size: more than 1048576 zones" "$TMP/out" ||
	fail "4 EiB of 512-byte zones: $(<"$TMP/out") (after $SECONDS s)"
umount "$big" || fail "umount $big"
undo_forget "mount $big"
log "4 EiB of 512-byte zones: refused for their number in $SECONDS s"

# A new table in a full file system: refused with the store's error, no
# disk. A tmpfs of 1 MiB filled; the file is sparse (--buffered: 6.1's
# tmpfs refuses direct I/O).
full=$TMP/full
mkdir -p "$full"
mount -t tmpfs -o size=1M tmpfs "$full" || fail "mount tmpfs"
echo "mount $full" >>"$ZCBLK_UNDO"
truncate -s 16M "$full/zoned.img" || fail "truncate"
head -c 1M /dev/zero >"$full/fill" 2>/dev/null
refused "path: cannot write the zone table" --backend file \
	--path "$full/zoned.img" --buffered --block-size 4096 --zoned \
	--zone-size 1M
grep -q "No space left on device" "$TMP/out" ||
	fail "full file system: $(<"$TMP/out")"
umount "$full" || fail "umount $full"
undo_forget "mount $full"
log "a new zone table in a full file system: refused, ENOSPC"

# btrfs -O zoned across del and add (the debug kernel has no btrfs)
modprobe btrfs 2>/dev/null || true
if ! grep -qw btrfs /proc/filesystems; then
	case $(uname -r) in
	*-zcblk-debug) ;;
	*) fail "$(uname -r) has no btrfs: its part cannot run" ;;
	esac
	log "no btrfs in this kernel: its part is left out"
	exit $KSFT_PASS
fi
img2=$mnt/btrfs.img
truncate -s 256M "$img2" || fail "truncate"
bargs=(--backend file --path "$img2" --block-size 4096 --zoned --zone-size 8M)
addz "${bargs[@]}"
mkfs.btrfs -q -f -O zoned -d single -m single "/dev/$name" >"$TMP/mkfs" 2>&1 ||
	{ sed 's/^/# /' "$TMP/mkfs"; fail "mkfs.btrfs"; }
mount -t btrfs "/dev/$name" "$TMP/fs" || fail "mount btrfs"
echo "mount $TMP/fs" >>"$ZCBLK_UNDO"
for i in $(seq 12); do
	head -c $(((RANDOM * 97 + i) % 3000000 + 1)) /dev/urandom >"$TMP/fs/f$i"
done
(cd "$TMP/fs" && sha256sum f*) >"$TMP/sums"
umount "$TMP/fs" || fail "umount btrfs"
"$ZCBLKCTL" del "${name#zcblk}" >/dev/null || fail "del"
addz "${bargs[@]}"
mount -t btrfs "/dev/$name" "$TMP/fs" || fail "mount btrfs after del and add"
(cd "$TMP/fs" && sha256sum -c --quiet "$TMP/sums") ||
	{ umount "$TMP/fs"; fail "files differ after del and add"; }
umount "$TMP/fs" || fail "umount"
log "btrfs -O zoned on a file: 12 files equal after the disk was made again"
exit $KSFT_PASS
