#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A metadata format from the command line (Documentation/integrity.rst):
# zcblkctl add --metadata-size makes a char-device-only disk (its name is
# the char device's; show and -j say the format); nvme-cli 2.3 sees nine
# LBA formats with 512+8 in use and MC 3, and `nvme write/read -M -y`
# carry 4 blocks' data and their 32 bytes of separate metadata, read back
# byte-exact; the formats the kernel refuses exit 2 with its message.
# With --pi-type 1, nvme write/read --prinfo: PRACT makes the PI (read
# back and checked against a CRC-16 computed here), checked reads pass,
# a stripped read gives the data, a wrong reference tag is 0x4181 and a
# corrupted guard 0x4282 for the guard check alone. With --pi-guard 64
# (type 2, 512+16): nvm-id-ns shows PIF 2 for formats 6-8, the PI made
# is a CRC64 with a 48-bit reference tag, a wrong reference tag is
# 0x4284.
# Silent corruption (zcblkctl set --corrupt, Documentation/integrity.rst):
# --corrupt-what metadata inverts the first metadata byte of block 8 (nvme
# read -M gives it back, the rest as written), guard without protection
# information exits 2 with the kernel's message; on a mem disk of 4 KiB
# blocks, block 0 written with zeros and --corrupt 0 reads back with its
# first byte ff (dd, od), --corrupt 2+2 blocks 2 and 3 alike, block 1
# untouched; the kernel's refusals (metadata without metadata, past the
# end, a COUNT of 0, the null backend) exit 2 with its message, the
# usage errors (--corrupt-what without --corrupt or unknown, a range that
# is not LBA[+COUNT], --corrupt twice) exit 1 before the kernel, no
# byte changed. The file backend: a disk of a whole file with metadata
# and one with PI refused with the kernel's messages; 512+8 without a
# size fits data and metadata in the file, and nvme write -M data and
# metadata come back with nvme read -M from a disk made again on the
# file. nvme format (at the end, its own comment). Nothing stays
# pinned.
. "$(dirname "$0")/lib.sh"
need nvme python3 cmp dd od blockdev

pins_before=$(vmstat_pins)

name=$(add_disk --backend mem --size 16M --metadata-size 8)
[ "$name" = "${name%c}c" ] || fail "add printed $name, want a char device"
chr=/dev/$name
udev_settle "$chr"
idx=${name#zcblk}
idx=${idx%c}
[ ! -e "/dev/zcblk$idx" ] || fail "/dev/zcblk$idx exists"
"$ZCBLKCTL" show -j "$idx" >"$TMP/show.json" || fail "show -j $idx"
python3 - "$TMP/show.json" <<'PY' || fail "show -j: $(cat "$TMP/show.json")"
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(not (d["metadata_size"] == 8 and d["extended_lba"] is False
              and d["disk_name"] is None))
PY
"$ZCBLKCTL" show "$idx" | grep -q "metadata *8 bytes a block, separate" ||
	fail "show: no metadata line"

nv id-ns "$chr" -o json
python3 - "$TMP/out" <<'PY' || fail "id-ns: $(cat "$TMP/out")"
import json, sys
d = json.load(open(sys.argv[1]))
want = [(0, 9), (8, 9), (16, 9), (0, 12), (8, 12), (64, 12), (16, 9),
        (16, 12), (64, 12)]
got = [(f["ms"], f["ds"]) for f in d["lbafs"]]
sys.exit(not (d["nlbaf"] == 8 and d["flbas"] == 1 and d["mc"] == 3 and
              d["dps"] == 0 and got == want))
PY
log "id-ns: nine formats, 512+8 in use, MC 3"

head -c 2048 /dev/urandom >"$TMP/data"
head -c 32 /dev/urandom >"$TMP/md"
nv write "$chr" --start-block=8 --block-count=3 --data-size=2048 \
	--data="$TMP/data" --metadata-size=32 --metadata="$TMP/md"
nv read "$chr" --start-block=8 --block-count=3 --data-size=2048 \
	--data="$TMP/data.r" --metadata-size=32 --metadata="$TMP/md.r"
cmp "$TMP/data" "$TMP/data.r" || fail "read data differs"
cmp "$TMP/md" "$TMP/md.r" || fail "read metadata differs"
log "nvme write/read -M -y: 4 blocks and 32 bytes of metadata read back"

# set_refused IDX MESSAGE ARGS...: zcblkctl set IDX ARGS exits 2 with the
# kernel's MESSAGE, nothing on stdout.
set_refused() {
	local idx=$1 msg=$2 rc
	shift 2
	"$ZCBLKCTL" set "$idx" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc -eq 2 ] || fail "set $idx $*: exit $rc, want 2: $(<"$TMP/err")"
	[ ! -s "$TMP/out" ] || fail "set $idx $*: stdout: $(<"$TMP/out")"
	[ "$(<"$TMP/err")" = "zcblkctl: $msg" ] ||
		fail "set $idx $*: \"$(<"$TMP/err")\", want \"zcblkctl: $msg\""
	log "set $idx $*: $msg"
}

# set_usage IDX MESSAGE ARGS...: zcblkctl set IDX ARGS exits 1 before
# asking the kernel, nothing on stdout, on stderr MESSAGE and the hint.
set_usage() {
	local idx=$1 msg=$2 rc want
	shift 2
	"$ZCBLKCTL" set "$idx" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	want="zcblkctl set: $msg
Try 'zcblkctl set --help'."
	[ $rc -eq 1 ] || fail "set $idx $*: exit $rc, want 1: $(<"$TMP/err")"
	[ ! -s "$TMP/out" ] || fail "set $idx $*: stdout: $(<"$TMP/out")"
	[ "$(<"$TMP/err")" = "$want" ] ||
		fail "set $idx $*: \"$(<"$TMP/err")\", want \"$want\""
	log "set $idx $*: $msg"
}

# Block 8's first metadata byte inverted; its data and the other blocks'
# metadata as written. No protection information: no guard to corrupt.
"$ZCBLKCTL" set "$idx" --corrupt 8 --corrupt-what metadata ||
	fail "set $idx --corrupt 8 --corrupt-what metadata"
nv read "$chr" --start-block=8 --block-count=3 --data-size=2048 \
	--data="$TMP/data.c" --metadata-size=32 --metadata="$TMP/md.c"
cmp "$TMP/data" "$TMP/data.c" || fail "data differs after --corrupt-what metadata"
python3 - "$TMP/md" "$TMP/md.c" <<'PY' || fail "metadata after --corrupt 8 --corrupt-what metadata: $(od -An -tx1 "$TMP/md.c")"
import sys
md, got = (open(f, "rb").read() for f in sys.argv[1:])
sys.exit(not (len(got) == 32 and got[0] == md[0] ^ 0xff and got[1:] == md[1:]))
PY
log "set --corrupt 8 --corrupt-what metadata: block 8's first metadata byte inverted"
set_refused "$idx" "Operation not supported: corrupt: the disk has no protection information" \
	--corrupt 8 --corrupt-what guard
del_disk "zcblk$idx"

# Protection information type 1 through nvme-cli's --prinfo (PRACT 8,
# guard 4, application tag 2, reference tag 1): a write with PRACT sends
# the data alone and the disk makes each block's PI; a read checking all
# of it returns the data and, as metadata, the PI a controller computes
# (the guard a CRC-16 T10-DIF of the block, the application tag, the
# LBA); a read with PRACT strips it; a type 1 reference tag other than
# the start LBA is 0x4181; a corrupted stored guard fails the guard check
# (0x4282) and passes the other two.
name=$(add_disk --backend mem --size 16M --metadata-size 8 --pi-type 1)
chr=/dev/${name%c}c
udev_settle "$chr"
idx=${name#zcblk}
idx=${idx%c}
nv write "$chr" --start-block=8 --block-count=3 --data-size=2048 \
	--data="$TMP/data" --prinfo=8 --ref-tag=8 --app-tag=0x1234
nv read "$chr" --start-block=8 --block-count=3 --data-size=2048 \
	--data="$TMP/data.p" --metadata-size=32 --metadata="$TMP/md.p" \
	--prinfo=7 --ref-tag=8 --app-tag=0x1234 --app-tag-mask=0xffff
cmp "$TMP/data" "$TMP/data.p" || fail "--prinfo=7 read: data differs"
python3 selftests/pi_tuples.py "$TMP/data" "$TMP/md.p" 512 8 0 8 0x1234 1 ||
	fail "--prinfo=7 read: PI $(od -An -tx1 "$TMP/md.p")"
nv read "$chr" --start-block=8 --block-count=3 --data-size=2048 \
	--data="$TMP/data.s" --prinfo=15 --ref-tag=8 --app-tag=0x1234 \
	--app-tag-mask=0xffff
cmp "$TMP/data" "$TMP/data.s" || fail "--prinfo=15 read: data differs"
log "nvme write --prinfo=8, read --prinfo=7 and 15: the data, and the PI the disk made"
# nv_status STATUS ARGS...: nvme ARGS fails with NVMe status STATUS.
nv_status() {
	local want=$1
	shift
	if nvme "$@" >"$TMP/out" 2>&1; then
		fail "nvme $*: succeeded, want $want"
	fi
	grep -q "($want)" "$TMP/out" ||
		{ sed 's/^/# /' "$TMP/out"; fail "nvme $*: not $want"; }
	log "nvme $*: $want"
}
nv_status 0x4181 read "$chr" --start-block=8 --block-count=3 \
	--data-size=2048 --data="$TMP/data.s" --prinfo=9 --ref-tag=9
"$ZCBLKCTL" set "$idx" --corrupt 9 --corrupt-what guard ||
	fail "set $idx --corrupt 9 --corrupt-what guard"
nv_status 0x4282 read "$chr" --start-block=8 --block-count=3 \
	--data-size=2048 --data="$TMP/data.s" --prinfo=12 --ref-tag=8
nv read "$chr" --start-block=8 --block-count=3 --data-size=2048 \
	--data="$TMP/data.s" --prinfo=11 --ref-tag=8 --app-tag=0x1234 \
	--app-tag-mask=0xffff
del_disk "zcblk$idx"

# The 64-bit guard (--pi-guard 64), PI type 2 in 512+16: nvme-cli's
# nvm-id-ns shows the formats' guards (ELBAF PIF 2, "64b Guard"); the PI
# the disk makes is NVMe's CRC64 of the data, the application tag and the
# 48-bit reference tag counting up; a wrong reference tag is 0x4284.
# nvme-cli 2.3 refuses reference tags of 2^32 and more itself ("Reference
# tag larger than allowed by PIF"), so CDW3's bits 47:32 are pt_pi's.
name=$(add_disk --backend mem --size 16M --metadata-size 16 --pi-type 2 \
	--pi-guard 64)
chr=/dev/${name%c}c
udev_settle "$chr"
idx=${name#zcblk}
idx=${idx%c}
nv nvm-id-ns "$chr" -o json
python3 - "$TMP/out" <<'PY' || fail "nvm-id-ns: $(cat "$TMP/out")"
import json, sys
d = json.load(open(sys.argv[1]))
pif = [f["pif"] for f in d["elbafs"]][:9]
sys.exit(pif != [0, 0, 0, 0, 0, 0, 2, 2, 2])
PY
nv id-ns "$chr" -o json
python3 - "$TMP/out" <<'PY' || fail "id-ns: $(cat "$TMP/out")"
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(not (d["flbas"] == 6 and d["dps"] == 2))
PY
log "nvm-id-ns: PIF 2 (64b guard) for formats 6-8; id-ns: flbas 6, dps 2"
ref=$((0x89abcdef))
nv write "$chr" --start-block=8 --block-count=3 --data-size=2048 \
	--data="$TMP/data" --prinfo=8 --ref-tag=$ref --app-tag=0x1234
nv read "$chr" --start-block=8 --block-count=3 --data-size=2048 \
	--data="$TMP/data.p" --metadata-size=64 --metadata="$TMP/md.p" \
	--prinfo=7 --ref-tag=$ref --app-tag=0x1234 --app-tag-mask=0xffff
cmp "$TMP/data" "$TMP/data.p" || fail "64-bit guard read: data differs"
python3 selftests/pi_tuples.py "$TMP/data" "$TMP/md.p" 512 16 0 $ref \
	0x1234 2 64 || fail "64-bit guard read: PI $(od -An -tx1 "$TMP/md.p")"
log "64-bit guard: nvme write --prinfo=8 --ref-tag=$ref, read --prinfo=7: the data, and the CRC64 PI the disk made"
nv_status 0x4284 read "$chr" --start-block=8 --block-count=3 \
	--data-size=2048 --data="$TMP/data.s" --prinfo=9 \
	--ref-tag=$((ref ^ (1 << 20)))
del_disk "zcblk$idx"

# refused MESSAGE ARGS...: zcblkctl add exits 2 with MESSAGE.
refused() {
	local msg=$1 rc
	shift
	"$ZCBLKCTL" add "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc -eq 2 ] || fail "add $*: exit $rc, want 2"
	[ "$(<"$TMP/err")" = "zcblkctl: $msg" ] ||
		fail "add $*: \"$(<"$TMP/err")\", want \"zcblkctl: $msg\""
	log "add $*: $msg"
}
refused "Invalid argument: metadata-size: 8 or 16 with block-size 512, 8 or 64 with 4096" \
	--backend mem --size 16M --metadata-size 64
refused "Invalid argument: flags: extended-lba needs metadata-size" \
	--backend mem --size 16M --extended-lba
truncate -s 16M "$TMP/img"
refused "Invalid argument: size: larger than the backing file holds with its metadata" \
	--backend file --path "$TMP/img" --buffered --size 16M --metadata-size 8
refused "Operation not supported: pi-type: the file backend keeps metadata, not protection information" \
	--backend file --path "$TMP/img" --buffered --size 8M --metadata-size 8 \
	--pi-type 1

# The file backend keeps the metadata in the backing file past the data
# (a 16 MiB file: 16 MiB less room for 8 bytes a block), where a disk
# made again on the file finds it.
name=$(add_disk --backend file --path "$TMP/img" --buffered --metadata-size 8)
chr=/dev/${name%c}c
idx=${name#zcblk}
idx=${idx%c}
udev_settle "$chr"
"$ZCBLKCTL" show -j "$idx" >"$TMP/show.json" || fail "show -j $idx"
python3 - "$TMP/show.json" <<'PY' || fail "file: show -j: $(cat "$TMP/show.json")"
import json, sys
d = json.load(open(sys.argv[1]))
n = (16 << 20) // 520
while -(-n * 512 // 4096) * 4096 + n * 8 > 16 << 20:
    n -= 1
sys.exit(not (d["size"] == n * 512 and d["metadata_size"] == 8))
PY
head -c 2048 /dev/urandom >"$TMP/data"
head -c 32 /dev/urandom >"$TMP/md"
nv write "$chr" --start-block=100 --block-count=3 --data-size=2048 \
	--data="$TMP/data" --metadata-size=32 --metadata="$TMP/md"
del_disk "zcblk$idx"
name=$(add_disk --backend file --path "$TMP/img" --buffered --metadata-size 8)
chr=/dev/${name%c}c
idx=${name#zcblk}
idx=${idx%c}
udev_settle "$chr"
rm -f "$TMP/data.r" "$TMP/md.r"
nv read "$chr" --start-block=100 --block-count=3 --data-size=2048 \
	--data="$TMP/data.r" --metadata-size=32 --metadata="$TMP/md.r"
cmp "$TMP/data" "$TMP/data.r" || fail "file backend: data differs"
cmp "$TMP/md" "$TMP/md.r" || fail "file backend: metadata differs"
del_disk "zcblk$idx"
log "file backend: 512+8 in a 16 MiB file; nvme write -M, the disk made again, nvme read -M: data and metadata equal"

# Silent corruption of data, on a mem disk of 4096 blocks of 4 KiB.
# first_byte DISK N: the first byte of block N of /dev/DISK, read direct,
# in hex ("ff"); nothing if the read fails.
first_byte() {
	local b
	b=$(dd if="/dev/$1" bs=4k skip="$2" count=1 iflag=direct status=none |
		od -An -tx1 -N1)
	echo "${b// /}"
}
disk=$(add_disk --backend mem --size 16M --block-size 4096)
didx=${disk#zcblk}
dd if=/dev/zero of="/dev/$disk" bs=4k count=4 oflag=direct status=none ||
	fail "dd to blocks 0 to 3 of /dev/$disk"
[ "$(first_byte "$disk" 0)" = 00 ] || fail "block 0: not written with zeros"
"$ZCBLKCTL" set "$didx" --corrupt 0 || fail "set $didx --corrupt 0"
got=$(first_byte "$disk" 0)
[ "$got" = ff ] || fail "block 0 after set --corrupt 0: first byte $got, want ff"
"$ZCBLKCTL" set "$didx" --corrupt 2+2 --corrupt-what data ||
	fail "set $didx --corrupt 2+2 --corrupt-what data"
for n in 1:00 2:ff 3:ff; do
	got=$(first_byte "$disk" "${n%:*}")
	[ "$got" = "${n#*:}" ] ||
		fail "block ${n%:*} after set --corrupt 2+2: first byte $got, want ${n#*:}"
done
# The rest of block 0 as written.
dd if="/dev/$disk" bs=4k count=1 iflag=direct status=none | tail -c +2 |
	cmp -s - <(head -c 4095 /dev/zero) || fail "block 0: more than its first byte changed"
log "set --corrupt 0: block 0 reads ff then zeros; --corrupt 2+2: blocks 2, 3 ff, block 1 00"

# Refused by the kernel, then by zcblkctl before it: no byte changes.
set_refused "$didx" "Operation not supported: corrupt: the disk has no metadata" \
	--corrupt 1 --corrupt-what metadata
set_refused "$didx" "Operation not supported: corrupt: the disk has no metadata" \
	--corrupt 1 --corrupt-what ref-tag
set_refused "$didx" "Numerical result out of range: corrupt-lba: past the end of the disk" \
	--corrupt 4096
set_refused "$didx" "Numerical result out of range: corrupt-lba: past the end of the disk" \
	--corrupt 4095+2
set_refused "$didx" "Numerical result out of range: corrupt-nlb: integer out of range (valid: 1..65536)" \
	--corrupt 1+0
set_usage "$didx" "--corrupt-what needs --corrupt" --corrupt-what data
set_usage "$didx" "--corrupt-what needs --corrupt" --corrupt-what guard --bad 1
set_usage "$didx" "invalid --corrupt-what (data, metadata, guard, app-tag, ref-tag): tag" \
	--corrupt 1 --corrupt-what tag
set_usage "$didx" "invalid --corrupt (LBA or LBA+COUNT, decimal): x" --corrupt x
set_usage "$didx" "invalid --corrupt (LBA or LBA+COUNT, decimal): 1+" --corrupt 1+
set_usage "$didx" "one --corrupt at a time" --corrupt 1 --corrupt 2
for n in 0:ff 1:00 2:ff 3:ff 4095:00; do
	got=$(first_byte "$disk" "${n%:*}")
	[ "$got" = "${n#*:}" ] ||
		fail "block ${n%:*} after the refusals: first byte $got, want ${n#*:}"
done
log "refused: blocks 0 to 3 and 4095 unchanged"
del_disk "$disk"

# The null backend stores nothing to corrupt.
disk=$(add_disk --backend null --size 16M)
set_refused "${disk#zcblk}" "Operation not supported: corrupt-lba: the backend stores no data" \
	--corrupt 0
del_disk "$disk"

# nvme format (Documentation/integrity.rst, "Format NVM"): a mem disk of
# 512-byte blocks, written, formatted to 4096+8 with PI type 1: id-ns
# shows FLBAS 4 and DPS 1, the block device's logical block size 4096,
# the data erased (dd reads zeros); --lbaf=9 is refused (0x410a), the
# block device open makes it fail and change nothing; back to 512.
disk=$(add_disk --backend mem --size 16M)
chr=/dev/${disk}c
udev_settle "$chr"
head -c 4096 /dev/urandom >"$TMP/f"
dd if="$TMP/f" of="/dev/$disk" bs=4096 oflag=direct status=none ||
	fail "dd write"
nv format "$chr" --lbaf=4 --pi=1 --force
grep -q "Success formatting namespace" "$TMP/out" ||
	fail "nvme format: $(cat "$TMP/out")"
nv id-ns "$chr" -o json
python3 - "$TMP/out" <<'PY' || fail "id-ns after format: $(cat "$TMP/out")"
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(not (d["flbas"] == 4 and d["dps"] == 1 and d["nsze"] == 4096))
PY
[ "$(blockdev --getss "/dev/$disk")" = 4096 ] ||
	fail "logical block size $(blockdev --getss "/dev/$disk") after format"
dd if="/dev/$disk" of="$TMP/f.r" bs=4096 count=1 iflag=direct status=none ||
	fail "dd read after format"
cmp -s "$TMP/f.r" <(head -c 4096 /dev/zero) || fail "data not erased"
log "nvme format --lbaf=4 --pi=1: FLBAS 4, DPS 1, 4096-byte blocks, erased"
nv_status 0x410a format "$chr" --lbaf=9 --force
exec {bfd}<"/dev/$disk"
if nvme format "$chr" --lbaf=0 --force >"$TMP/out" 2>&1; then
	fail "nvme format with the block device open succeeded"
fi
exec {bfd}<&-
grep -q "Device or resource busy" "$TMP/out" ||
	fail "format with the block device open: $(cat "$TMP/out")"
[ "$(blockdev --getss "/dev/$disk")" = 4096 ] || fail "the refused format changed it"
log "nvme format with /dev/$disk open: Device or resource busy, nothing changed"
nv format "$chr" --lbaf=0 --force
[ "$(blockdev --getss "/dev/$disk")" = 512 ] || fail "not back to 512"
del_disk "$disk"

pins_after=$(vmstat_pins)
[ "$pins_after" -eq "$pins_before" ] ||
	fail "FOLL_PIN balance moved: $pins_before -> $pins_after"
exit $KSFT_PASS
