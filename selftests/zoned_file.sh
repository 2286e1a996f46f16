#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Zone state on the file backend (Documentation/zoned.rst, "Zone state on
# a file"): a zoned disk made again on the same backing file finds its
# zones as they were (write pointers, closed, full; open zones closed, or
# empty if unwritten) and its data; the zone table takes the file's end
# (a default size leaves it room, a given one must); a table of another
# geometry or a damaged one (a bad CRC, or entries a CRC carries that the
# zones cannot hold), and a file too small for a zone and the table, are
# refused with the exact extack text, as is a new table in a full file
# system; conventional zones keep their data.
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

# 16 MiB of file: 15 zones of 1 MiB, the table in the last 4 KiB
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
# damage one entry: the table's crc no longer matches
printf '\x5a\x5a\x5a\x5a' | dd of="$img" bs=1 seek=$(((16 << 20) - 4096 + 64)) \
	conv=notrunc status=none
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
# again (crc32_le from ~0, no final inversion: zlib's crc32 inverted).
zt_entry() {
	python3 - "$cimg" "$@" <<'PY' || fail "zt_entry $*"
import struct, sys, zlib
path, zone, state, wp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 0), int(sys.argv[4], 0)
with open(path, 'r+b') as f:
    f.seek(-4096, 2)
    t = bytearray(f.read(4096))
    nr = struct.unpack_from('<I', t, 32)[0]
    struct.pack_into('<Q', t, 64 + 8 * zone, state << 60 | wp)
    struct.pack_into('<I', t, 40, zlib.crc32(bytes(t[64:64 + 8 * nr])) ^ 0xffffffff)
    f.seek(-4096, 2)
    f.write(t)
PY
}
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
