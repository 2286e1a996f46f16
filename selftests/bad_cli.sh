#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unreadable blocks from the command line (Documentation/durability.rst):
# on a 16 MiB mem disk of 4 KiB blocks, zcblkctl set -j --bad 10+4 makes
# blocks 10 to 13 unreadable: the reply, show (the bad_blocks row), show
# -j (bad_count, bad_blocks), list -j (bad_count) and list's FLAGS (bad)
# say so; a direct dd read of block 11 fails with ENODATA ("No data
# available"), blocks 9 and 14 read; nvme read of block 12 fails with
# Unrecovered Read Error. --clear-bad 11 splits the range (10+1, 12+2), a
# direct dd write of block 12 clears it (10+1, 13+1), nvme write-uncor of
# 2 blocks at 20 adds 20+2; --clear-bad of all of them leaves none.
# Refusals: blocks past the end of the disk, a COUNT of 0 or 65537 and a
# zoned disk exit 2 with the kernel's message; a range that is not
# LBA[+COUNT] and --bad with --clear-bad exit 1 with the usage message,
# before the kernel; none changes the list. A file disk (on an ext4 that
# takes direct I/O) keeps its list in <path>.bad: removed and added again
# on the same file it lists 5+3 and block 6 does not read; that list is
# refused (EINVAL, with why) for another block size, a smaller disk it
# does not fit, a damaged .bad file, a directory or a FIFO in its place
# (not waited on), or one range longer than the kernel's table holds;
# cleared, removed and added again it lists none; an empty list makes no
# .bad file; the list's two copies in the file, saved in turn: the newer
# damaged or of an unknown version, the older is taken (the kernel log
# says so) and the next save rewrites the other, both of an unknown
# version are refused; a .bad of the first version (one copy) is read and
# a save after it taken; a .bad that cannot be written fails set (the
# list changed) and flush; a link or a device node put in its place after
# the add is not written; a flush writes the list Write Uncorrectable
# changed; a .bad that is an absolute symbolic link is read and written where it points,
# one linked to itself refused (ELOOP); one mounted there (--bind) read.
#
# Needs root, zcblk.ko loaded, nvme-cli and mkfs.ext4. Exit: 0 pass,
# 1 fail, 4 skip.
. "$(dirname "$0")/lib.sh"
need dd nvme mkfs.ext4

[ -d /sys/module/zcblk ] || skip "zcblk module not loaded"

# listed DISK: DISK's object of `zcblkctl list -j` (one a line).
listed() {
	local line
	while read -r line; do
		[[ $line == *"\"disk_name\": \"$1\""* ]] && { echo "$line"; return 0; }
	done < <("$ZCBLKCTL" list -j)
	fail "list -j: no $1"
}

# flags DISK: the FLAGS column (11th) of DISK's row in `zcblkctl list`.
flags() {
	local name f
	while read -r _ name _ _ _ _ _ _ _ _ f _; do
		[ "$name" = "$1" ] && { echo "$f"; return 0; }
	done < <("$ZCBLKCTL" list)
	fail "zcblkctl list: no $1"
}

# bad DISK COUNT ROW JSON: DISK has COUNT ranges of unreadable blocks:
# show's row "bad_blocks" is ROW (the whole line), show -j has bad_count
# COUNT and bad_blocks JSON (compact, as zcblkctl prints it), list -j has
# bad_count COUNT, and list's FLAGS have bad unless COUNT is 0.
bad() {
	local disk=$1 idx=${1#zcblk} n=$2 want json re got f
	run show "$idx"
	[ "$rc" -eq 0 ] || fail "show $idx: exit $rc: $err"
	printf -v want '  %-14s %s' bad_blocks "$3"
	[[ $'\n'$out$'\n' == *$'\n'"$want"$'\n'* ]] ||
		fail "show $idx: no line \"$want\": $out"
	json=$("$ZCBLKCTL" show -j "$idx") || fail "show -j $idx"
	got=$(jfield "$json" bad_count)
	[ "$got" = "$n" ] || fail "show -j $idx: bad_count $got, want $n: $json"
	re='"bad_blocks": (\[[^]]*\])'
	[[ $json =~ $re ]] || fail "show -j $idx: no bad_blocks: $json"
	[ "${BASH_REMATCH[1]}" = "$4" ] ||
		fail "show -j $idx: bad_blocks ${BASH_REMATCH[1]}, want $4"
	got=$(jfield "$(listed "$disk")" bad_count)
	[ "$got" = "$n" ] || fail "list -j: $disk bad_count $got, want $n"
	f=$(flags "$disk")
	if [ "$n" -eq 0 ]; then
		[[ ,$f, != *,bad,* ]] || fail "zcblkctl list: $disk FLAGS $f, with bad"
	else
		[[ ,$f, == *,bad,* ]] || fail "zcblkctl list: $disk FLAGS $f, no bad"
	fi
}

# rd DISK N: one direct 4 KiB read of block N of /dev/DISK; its exit
# status, dd's messages in $TMP/dd.err.
rd() {
	dd if="/dev/$1" of=/dev/null bs=4k skip="$2" count=1 iflag=direct \
		status=none 2>"$TMP/dd.err"
}

# unreadable DISK N...: each block N of /dev/DISK fails to read, ENODATA.
unreadable() {
	local disk=$1 n
	shift
	for n in "$@"; do
		rd "$disk" "$n" && fail "dd: block $n of /dev/$disk read"
		grep -q "No data available" "$TMP/dd.err" ||
			fail "dd: block $n of /dev/$disk: $(<"$TMP/dd.err"), want No data available"
	done
}

# readable DISK N...: each block N of /dev/DISK reads.
readable() {
	local disk=$1 n
	shift
	for n in "$@"; do
		rd "$disk" "$n" ||
			fail "dd: block $n of /dev/$disk: $(<"$TMP/dd.err")"
	done
}

# refused DISK MESSAGE ARGS...: zcblkctl set DISK ARGS exits 2 with the
# kernel's MESSAGE, as zcblkctl prints it, nothing on stdout.
refused() {
	local idx=${1#zcblk} msg=$2
	shift 2
	run set "$idx" "$@"
	[ "$rc" -eq 2 ] || fail "set $idx $*: exit $rc, want 2: $err"
	[ -z "$out" ] || fail "set $idx $*: stdout: $out"
	[ "$err" = "zcblkctl: $msg" ] ||
		fail "set $idx $*: \"$err\", want \"zcblkctl: $msg\""
	log "set $idx $*: $msg"
}

# usage DISK MESSAGE ARGS...: zcblkctl set DISK ARGS exits 1 before
# asking the kernel, nothing on stdout, on stderr the message and the
# hint.
usage() {
	local idx=${1#zcblk} msg=$2 want
	shift 2
	run set "$idx" "$@"
	want="zcblkctl set: $msg
Try 'zcblkctl set --help'."
	[ "$rc" -eq 1 ] || fail "set $idx $*: exit $rc, want 1: $err"
	[ -z "$out" ] || fail "set $idx $*: stdout: $out"
	[ "$err" = "$want" ] || fail "set $idx $*: \"$err\", want \"$want\""
	log "set $idx $*: $msg"
}

# A mem disk of 4096 blocks of 4 KiB: none unreadable.
disk=$(add_disk --backend mem --size 16M --block-size 4096)
idx=${disk#zcblk}
bad "$disk" 0 none '[]'
readable "$disk" 10 11 12 13

# Blocks 10 to 13: the reply says so, as show, show -j, list -j and list.
run set -j "$idx" --bad 10+4
[ "$rc" -eq 0 ] || fail "set -j $idx --bad 10+4: exit $rc: $err"
[ "$(jfield "$out" bad_count)" = 1 ] || fail "set -j --bad 10+4: $out"
[ "$(jfield "$out" index)" = "$idx" ] || fail "set -j --bad 10+4: $out"
bad "$disk" 1 10+4 '[{"lba": 10, "nlb": 4}]'
unreadable "$disk" 11
readable "$disk" 9 14
udev_settle "/dev/${disk}c"
rc=0
nvme read "/dev/${disk}c" --start-block=12 --block-count=0 \
	--data-size=4096 --data="$TMP/rd" >"$TMP/nvme.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "nvme read of block 12 succeeded"
grep -qiE 'unrecovered|0x4281|0x281' "$TMP/nvme.out" || {
	sed 's/^/# /' "$TMP/nvme.out"
	fail "nvme read of block 12: exit $rc, not Unrecovered Read Error"
}
log "set --bad 10+4: 10+4; dd of block 11: $(<"$TMP/dd.err"); nvme read of block 12: exit $rc, $(tr '\n' ' ' <"$TMP/nvme.out")"

# Block 11 readable again: the range splits.
run set "$idx" --clear-bad 11
[[ $rc -eq 0 && -z $out$err ]] ||
	fail "set $idx --clear-bad 11: exit $rc: $out$err"
bad "$disk" 2 "10+1, 12+2" '[{"lba": 10, "nlb": 1}, {"lba": 12, "nlb": 2}]'
readable "$disk" 11
unreadable "$disk" 10 12 13
log "set --clear-bad 11: 10+1, 12+2"

# A write of block 12 clears it.
dd if=/dev/zero of="/dev/$disk" bs=4k seek=12 count=1 oflag=direct \
	status=none || fail "dd to block 12 of /dev/$disk"
bad "$disk" 2 "10+1, 13+1" '[{"lba": 10, "nlb": 1}, {"lba": 13, "nlb": 1}]'
readable "$disk" 12
unreadable "$disk" 13
log "dd to block 12: 10+1, 13+1"

# Write Uncorrectable of 2 blocks (NLB is zero-based) from nvme-cli.
nv write-uncor "/dev/${disk}c" --start-block=20 --block-count=1
bad "$disk" 3 "10+1, 13+1, 20+2" \
	'[{"lba": 10, "nlb": 1}, {"lba": 13, "nlb": 1}, {"lba": 20, "nlb": 2}]'
unreadable "$disk" 20 21
readable "$disk" 19 22
log "nvme write-uncor -s 20 -c 1: 10+1, 13+1, 20+2"

# What the kernel refuses, with its message; what zcblkctl refuses before
# asking it. None changes the list.
refused "$disk" "Numerical result out of range: bad-lba: past the end of the disk" \
	--bad 4096
refused "$disk" "Numerical result out of range: bad-lba: past the end of the disk" \
	--bad 4090+7
refused "$disk" "Numerical result out of range: bad-nlb: integer out of range (valid: 1..65536)" \
	--bad 1+0
refused "$disk" "Numerical result out of range: bad-nlb: integer out of range (valid: 1..65536)" \
	--bad 1+65537
usage "$disk" "invalid --bad (LBA or LBA+COUNT, decimal): x" --bad x
usage "$disk" "invalid --bad (LBA or LBA+COUNT, decimal): 1+" --bad 1+
usage "$disk" "invalid --bad (LBA or LBA+COUNT, decimal): 0x10" --bad 0x10
usage "$disk" "invalid --clear-bad (LBA or LBA+COUNT, decimal): -1" \
	--clear-bad -1
usage "$disk" "invalid --bad (LBA or LBA+COUNT, decimal): 1+4294967296" \
	--bad 1+4294967296
usage "$disk" "one --bad or --clear-bad at a time" --bad 1 --clear-bad 1
usage "$disk" "one --bad or --clear-bad at a time" --bad 1 --bad 2
bad "$disk" 3 "10+1, 13+1, 20+2" \
	'[{"lba": 10, "nlb": 1}, {"lba": 13, "nlb": 1}, {"lba": 20, "nlb": 2}]'

# Cleared, all of them: none left, every block reads.
for r in 10 13 20+2; do
	run set "$idx" --clear-bad "$r"
	[ "$rc" -eq 0 ] || fail "set $idx --clear-bad $r: exit $rc: $err"
done
bad "$disk" 0 none '[]'
readable "$disk" 10 13 20 21
log "--clear-bad 10, 13, 20+2: none"
del_disk "$disk"

# A zoned disk has no bad block list.
zdisk=$(add_disk --backend mem --size 64M --zoned --zone-size 16M)
refused "$zdisk" "Operation not supported: bad-lba: not on a zoned disk" \
	--bad 0
bad "$zdisk" 0 none '[]'
del_disk "$zdisk"

# A file disk keeps its list beside its file, in <path>.bad. The file on
# an ext4 (the VM's /tmp is tmpfs, which refuses direct I/O on 6.1).
ext4=$(scratch_ext4) || fail "scratch ext4: $ext4"
img=$ext4/bad.img
truncate -s 16M "$img" || fail "truncate $img"
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
run set "${fdisk#zcblk}" --bad 5+3
[ "$rc" -eq 0 ] || fail "set ${fdisk#zcblk} --bad 5+3: exit $rc: $err"
bad "$fdisk" 1 5+3 '[{"lba": 5, "nlb": 3}]'
del_disk "$fdisk"
[ -s "$img.bad" ] || fail "$img.bad: none after del"
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
bad "$fdisk" 1 5+3 '[{"lba": 5, "nlb": 3}]'
unreadable "$fdisk" 6
readable "$fdisk" 4 8
log "file disk: --bad 5+3, del, add on the same file: 5+3, block 6 unreadable ($img.bad: $(stat -c %s "$img.bad") bytes)"

# A saved list that is not this disk's is refused (EINVAL), with why, and
# no disk is made: another block size, a range past a smaller disk, a
# damaged file (one entry byte changed: its CRC no longer matches).
# add_refused ERRNO-TEXT MESSAGE ADD-ARGS...
add_refused() {
	local why=$1 msg=$2
	shift 2
	run add --backend file --path "$img" "$@"
	[ "$rc" -eq 2 ] || fail "add $*: exit $rc, want 2: $out $err"
	[ "$err" = "zcblkctl: $why: $msg" ] ||
		fail "add $*: \"$err\", want \"zcblkctl: $why: $msg\""
	log "add on $img with its .bad, $*: $why: $msg"
}
del_disk "$fdisk"
add_refused "Invalid argument" "path: the bad block list beside it (.bad) is for another block size" \
	--block-size 512 --buffered
add_refused "Invalid argument" "path: the bad block list beside it (.bad) does not fit the disk" \
	--block-size 4096 --size 16K
cp "$img.bad" "$TMP/saved.bad" || fail "cp $img.bad"
size=$(stat -c %s "$img.bad")
printf '\xff' | dd of="$img.bad" bs=1 seek=$((size - 1)) conv=notrunc status=none ||
	fail "damage $img.bad"
add_refused "Invalid argument" "path: the bad block list beside it (.bad) is damaged" --block-size 4096
rm "$img.bad" || fail "rm $img.bad"
mkdir "$img.bad" || fail "mkdir $img.bad"
add_refused "Invalid argument" "path: the bad block list beside it (.bad) is not a regular file" \
	--block-size 4096
rmdir "$img.bad" || fail "rmdir $img.bad"
mkfifo "$img.bad" || fail "mkfifo $img.bad"
add_refused "Invalid argument" "path: the bad block list beside it (.bad) is not a regular file" \
	--block-size 4096
rm "$img.bad" || fail "rm $img.bad"
cp "$TMP/saved.bad" "$img.bad" || fail "restore $img.bad"
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
bad "$fdisk" 1 5+3 '[{"lba": 5, "nlb": 3}]'

run set "${fdisk#zcblk}" --clear-bad 5+3
[ "$rc" -eq 0 ] || fail "set ${fdisk#zcblk} --clear-bad 5+3: exit $rc: $err"
bad "$fdisk" 0 none '[]'
del_disk "$fdisk"
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
bad "$fdisk" 0 none '[]'
readable "$fdisk" 5 6 7
# An empty list makes no .bad: with none there, --clear-bad and del
# leave none.
rm "$img.bad" || fail "rm $img.bad"
run set "${fdisk#zcblk}" --clear-bad 9
[ "$rc" -eq 0 ] || fail "set ${fdisk#zcblk} --clear-bad 9: exit $rc: $err"
del_disk "$fdisk"
[ ! -e "$img.bad" ] || fail "$img.bad made for an empty list"
log "file disk: --clear-bad 5+3, del, add on the same file: none; an empty list made no .bad"

# bb CMD FILE ARGS...: the copies of the list in FILE (a .bad), 12 KiB
# apart. A copy's CRC (crc32_le from ~0, no final inversion: zlib's crc32
# inverted) covers its header, CRC field 0, and its entries.
#   gens: each copy's generation, "v1", "bad" or "-" (none)
#   damage COPY: its CRC changed
#   version COPY V: its version V
#   gen COPY G: its generation G, its CRC made again
bb() {
	python3 - "$@" <<'PY' || fail "bb $*"
import struct, sys, zlib
cmd, path, args = sys.argv[1], sys.argv[2], sys.argv[3:]
C = 12288
with open(path, 'r+b') as f:
    data = f.read()
    def state(i):
        t = data[i * C:(i + 1) * C]
        if len(t) < 32 or t[:32] == bytes(32):
            return '-'
        v, bs, nr, crc = struct.unpack_from('<IIII', t, 8)
        h = 32 if v == 2 else 24
        body = (t[:20] + bytes(4) + t[24:32] if v == 2 else b'') + t[h:h + 16 * nr]
        if t[:8] != b'ZCBLKBB\0' or v not in (1, 2) or zlib.crc32(body) ^ 0xffffffff != crc:
            return 'bad'
        return 'v1' if v == 1 else str(struct.unpack_from('<Q', t, 24)[0])
    if cmd == 'gens':
        print(state(0), state(1))
    elif cmd == 'damage':
        f.seek(int(args[0]) * C + 20)
        f.write(bytes([data[int(args[0]) * C + 20] ^ 0x5a]))
    elif cmd == 'version':
        f.seek(int(args[0]) * C + 8)
        f.write(struct.pack('<I', int(args[1])))
    elif cmd == 'gen':
        t = bytearray(data[int(args[0]) * C:(int(args[0]) + 1) * C])
        nr = struct.unpack_from('<I', t, 16)[0]
        struct.pack_into('<Q', t, 24, int(args[1]))
        body = bytes(t[:20]) + bytes(4) + bytes(t[24:32 + 16 * nr])
        struct.pack_into('<I', t, 20, zlib.crc32(body) ^ 0xffffffff)
        f.seek(int(args[0]) * C)
        f.write(t)
    else:
        sys.exit('bb: no command ' + cmd)
PY
}

# gens_are FILE WANT: bb gens FILE prints WANT
gens_are() { same_out "$2" bb gens "$1"; }

# Two copies: each save writes the one that does not hold the newer list.
rm -f "$img.bad"
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
run set "${fdisk#zcblk}" --bad 5+3
[ "$rc" -eq 0 ] || fail "set --bad 5+3: exit $rc: $err"
gens_are "$img.bad" "1 -"
run set "${fdisk#zcblk}" --bad 20
[ "$rc" -eq 0 ] || fail "set --bad 20: exit $rc: $err"
gens_are "$img.bad" "1 2"
del_disk "$fdisk"
gens_are "$img.bad" "1 2"
# The newer damaged (a save a crash tore): the older taken, and said so;
# the next save rewrites the damaged one, one generation on.
bb damage "$img.bad" 1
gens_are "$img.bad" "1 bad"
dmesg_mark
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
bad "$fdisk" 1 5+3 '[{"lba": 5, "nlb": 3}]'
dmesg_has "bad block list copy 1 damaged: copy 0, generation 1, taken"
run set "${fdisk#zcblk}" --bad 30
[ "$rc" -eq 0 ] || fail "set --bad 30: exit $rc: $err"
gens_are "$img.bad" "1 2"
del_disk "$fdisk"
# A generation no save could follow (2^64 - 1): damaged, the other taken.
bb gen "$img.bad" 1 18446744073709551615
gens_are "$img.bad" "1 18446744073709551615"
dmesg_mark
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
bad "$fdisk" 1 5+3 '[{"lba": 5, "nlb": 3}]'
dmesg_has "bad block list copy 1 damaged: copy 0, generation 1, taken"
del_disk "$fdisk"
# The newer of an unknown version: the older; both: refused.
bb version "$img.bad" 1 9
dmesg_mark
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
bad "$fdisk" 1 5+3 '[{"lba": 5, "nlb": 3}]'
dmesg_has "bad block list copy 1 of an unknown version: copy 0, generation 1, taken"
del_disk "$fdisk"
bb version "$img.bad" 0 9
add_refused "Invalid argument" "path: the bad block list beside it (.bad) is of a version not known here" \
	--block-size 4096
rm "$img.bad" || fail "rm $img.bad"
log "two copies: the newer damaged or of an unknown version, the older taken and the other rewritten; both of an unknown version refused"

# bad_file PATH LBA NLB: a .bad of one range as the first version wrote
# it (one copy, no generation), its CRC the entries'.
bad_file() {
	python3 - "$@" <<'PY' || fail "bad_file $*"
import struct, sys, zlib
ent = struct.pack('<QQ', int(sys.argv[2]), int(sys.argv[3]))
crc = zlib.crc32(ent) ^ 0xffffffff
with open(sys.argv[1], 'wb') as f:
    f.write(b'ZCBLKBB\0' + struct.pack('<IIII', 1, 4096, 1, crc) + ent)
PY
}
# One saved range longer than the kernel's table holds (512 ranges of 64
# blocks): refused as not fitting; the same file of 40 blocks is taken.
big=$ext4/big.img
truncate -s 256M "$big" || fail "truncate $big"
bad_file "$big.bad" 0 40000
run add --backend file --path "$big" --block-size 4096
[ "$rc" -eq 2 ] || fail "add with 40000 bad blocks: exit $rc: $out $err"
[ "$err" = "zcblkctl: Invalid argument: path: the bad block list beside it (.bad) does not fit the disk" ] ||
	fail "add with 40000 bad blocks: \"$err\""
bad_file "$big.bad" 0 40
fdisk=$(add_disk --backend file --path "$big" --block-size 4096)
bad "$fdisk" 1 0+40 '[{"lba": 0, "nlb": 40}]'
# A save after a first version's list: into the second copy, taken after.
run set "${fdisk#zcblk}" --bad 100
[ "$rc" -eq 0 ] || fail "set --bad 100: exit $rc: $err"
gens_are "$big.bad" "v1 1"
del_disk "$fdisk"
fdisk=$(add_disk --backend file --path "$big" --block-size 4096)
bad "$fdisk" 2 "0+40, 100+1" '[{"lba": 0, "nlb": 40}, {"lba": 100, "nlb": 1}]'
del_disk "$fdisk"
rm -f "$big" "$big.bad"
log "a .bad of 40000 blocks: does not fit the table, refused; of 40 (version 1): taken, a save after it taken"

# A .bad that cannot be written (a directory in its place since the add):
# set changes the list and says it could not save it; a flush, which
# makes the list durable, fails (0x6); the disk still goes.
rm -f "$img.bad"
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
mkdir "$img.bad" || fail "mkdir $img.bad"
run set "${fdisk#zcblk}" --bad 9
[ "$rc" -eq 2 ] || fail "set --bad 9 with $img.bad a directory: exit $rc: $err"
[ "$err" = "zcblkctl: Is a directory: bad-lba: the list changed, but the one beside the file (.bad) cannot be written" ] ||
	fail "set --bad 9 with $img.bad a directory: \"$err\""
bad "$fdisk" 1 9+1 '[{"lba": 9, "nlb": 1}]'
out=$(nvme flush "/dev/${fdisk}c" -n 1 2>&1) &&
	fail "flush with $img.bad a directory succeeded"
case $out in
*"(0x6)"*|*INTERNAL*) log "flush: $out" ;;
*) fail "flush: want status 0x6, got: $out" ;;
esac
del_disk "$fdisk"
rmdir "$img.bad" || fail "rmdir $img.bad"

# A symbolic link put in the .bad's place after the add (by whoever may
# write that directory) is not followed: the kernel would truncate and
# write the file it names as root. ELOOP, the file it names unchanged.
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
echo "not a bad block list" >"$TMP/victim"
ln -s "$TMP/victim" "$img.bad" || fail "ln -s $TMP/victim $img.bad"
run set "${fdisk#zcblk}" --bad 9
[ "$rc" -eq 2 ] || fail "set --bad 9 with $img.bad a new link: exit $rc: $err"
[ "$err" = "zcblkctl: Too many levels of symbolic links: bad-lba: the list changed, but the one beside the file (.bad) cannot be written" ] ||
	fail "set --bad 9 with $img.bad a new link: \"$err\""
[ "$(cat "$TMP/victim")" = "not a bad block list" ] ||
	fail "the file a link planted after the add names was written"
del_disk "$fdisk"
rm "$img.bad" || fail "rm $img.bad"
log "a link put in $img.bad's place after the add: not followed (ELOOP), the file it names unchanged"

# A device node put there after the add (null's, 1:3): opened, but not
# written (EINVAL).
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
mknod "$img.bad" c 1 3 || fail "mknod $img.bad"
run set "${fdisk#zcblk}" --bad 9
[ "$rc" -eq 2 ] || fail "set --bad 9 with $img.bad a device node: exit $rc: $err"
[ "$err" = "zcblkctl: Invalid argument: bad-lba: the list changed, but the one beside the file (.bad) cannot be written" ] ||
	fail "set --bad 9 with $img.bad a device node: \"$err\""
del_disk "$fdisk"
rm "$img.bad" || fail "rm $img.bad"
log "a device node put in $img.bad's place after the add: not written (EINVAL)"

# Write Uncorrectable changes the list without saving it; a flush saves
# it, from the disk's workqueue, into the directory DEV_ADD looked up (this
# runner chroots: the workqueue's root is another), and del the same.
rm -f "$img.bad"
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
nvme write-uncor "/dev/${fdisk}c" -s 30 -c 1 -n 1 >/dev/null ||
	fail "write-uncor"
[ ! -e "$img.bad" ] || fail "$img.bad written before a flush"
nvme flush "/dev/${fdisk}c" -n 1 >/dev/null || fail "flush"
[ -s "$img.bad" ] || fail "the flush did not write $img.bad"
cp "$img.bad" "$TMP/flushed.bad" || fail "cp $img.bad"
del_disk "$fdisk"
cmp -s "$img.bad" "$TMP/flushed.bad" || fail "del rewrote $img.bad"
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
bad "$fdisk" 1 30+2 '[{"lba": 30, "nlb": 2}]'
run set "${fdisk#zcblk}" --clear-bad 30+2
[ "$rc" -eq 0 ] || fail "set --clear-bad 30+2: exit $rc: $err"
del_disk "$fdisk"
log "write-uncor 30+2, flush: $img.bad written then, the same after del and read back"

# A .bad that is an absolute symbolic link to a list in another
# directory: followed at the add, in the caller's root, as the caller
# would (not inside the file's directory, where a flush from the disk's
# workqueue would open it); the list read from there, a change saved
# there, the link left as it was.
rm -f "$img.bad"
mkdir "$ext4/lists" || fail "mkdir $ext4/lists"
bad_file "$ext4/lists/target.bad" 7 2
ln -s "$ext4/lists/target.bad" "$img.bad" || fail "ln -s"
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
bad "$fdisk" 1 7+2 '[{"lba": 7, "nlb": 2}]'
run set "${fdisk#zcblk}" --bad 40
[ "$rc" -eq 0 ] || fail "set --bad 40 through the link: exit $rc: $err"
del_disk "$fdisk"
[ -L "$img.bad" ] || fail "$img.bad is no longer a link"
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
bad "$fdisk" 2 "7+2, 40+1" '[{"lba": 7, "nlb": 2}, {"lba": 40, "nlb": 1}]'
del_disk "$fdisk"
rm "$img.bad" || fail "rm $img.bad"
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
bad "$fdisk" 0 none '[]'
del_disk "$fdisk"
# A link to nothing: refused, as its saves (which follow no link) could
# never write there; once what it names exists, followed.
ln -s "$ext4/lists/later.bad" "$img.bad" || fail "ln -s (to nothing)"
add_refused "No such file or directory" \
	"path: the bad block list beside it (.bad) is a link to nothing" \
	--block-size 4096
bad_file "$ext4/lists/later.bad" 5 1
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
bad "$fdisk" 1 5+1 '[{"lba": 5, "nlb": 1}]'
del_disk "$fdisk"
rm "$img.bad" || fail "rm $img.bad"
# A link to itself: refused when opened, as before links were followed.
ln -s "${img##*/}.bad" "$img.bad" || fail "ln -s (loop)"
add_refused "Too many levels of symbolic links" 	"path: the bad block list beside it (.bad) cannot be opened" --block-size 4096
rm "$img.bad" || fail "rm $img.bad"
log "$img.bad a link to $ext4/lists/target.bad: 7+2 read from there, --bad 40 saved there, the link kept"

# A list mounted on <path>.bad (mount --bind) is read through the mount
# (the kernel opens it through the backing file's directory: the mount's
# root has no parent inside the mount to hold).
bad_file "$ext4/lists/bound.bad" 11 1
: >"$img.bad" || fail "touch $img.bad"
mount --bind "$ext4/lists/bound.bad" "$img.bad" ||
	fail "mount --bind $ext4/lists/bound.bad $img.bad"
fdisk=$(add_disk --backend file --path "$img" --block-size 4096)
bad "$fdisk" 1 11+1 '[{"lba": 11, "nlb": 1}]'
del_disk "$fdisk"
umount "$img.bad" || fail "umount $img.bad"
rm "$img.bad" || fail "rm $img.bad"
log "a list mounted on $img.bad: 11+1 read through it"

# Ranges of 2^31 sectors or more (the kernel's badblocks calls take an
# int): a 2 TiB mem disk of 4 KiB blocks, 2^29 of them. A deallocation of
# them all and a Format NVM each clear the last block and the first.
big=$(add_disk --backend mem --size 2T --block-size 4096)
bchr=/dev/${big}c
udev_settle "$bchr"
last=$(((1 << 29) - 1))
for how in dsm format; do
	for b in 0 "$last"; do
		run set "${big#zcblk}" --bad "$b+1"
		[ "$rc" -eq 0 ] || fail "set --bad $b+1: exit $rc: $err"
	done
	bad "$big" 2 "0+1, $last+1" "[{\"lba\": 0, \"nlb\": 1}, {\"lba\": $last, \"nlb\": 1}]"
	case $how in
	dsm)	nvme dsm "$bchr" -n 1 --ad --slbs=0 --blocks=$((1 << 29)) \
			>"$TMP/out" 2>&1 || fail "nvme dsm: $(cat "$TMP/out")" ;;
	format)	nvme format "$bchr" --lbaf=3 --force >"$TMP/out" 2>&1 ||
			fail "nvme format: $(cat "$TMP/out")" ;;
	esac
	bad "$big" 0 none '[]'
	nvme read "$bchr" -s "$last" -c 0 -z 4096 -d /dev/null >"$TMP/out" 2>&1 ||
		fail "$how: read of LBA $last: $(cat "$TMP/out")"
done
del_disk "$big"
log "2 TiB of 4 KiB blocks: nvme dsm and nvme format of all 2^29 blocks clear LBA 0 and $last"
exit $KSFT_PASS
