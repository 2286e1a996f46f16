#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The block device of a disk with protection information (Documentation/
# integrity.rst, "The block device"): for each type, 512 and 4096-byte
# blocks, PI first and last, the 16-bit and the 64-bit guard (CRC64,
# 48-bit reference tags), the disk has an integrity profile whose
# integrity/* attributes say so; data written with dd O_DIRECT reads back
# equal, and read through the char device with every check on it carries
# the PI the block layer made (guard, application tag 0, the LBAs as
# reference tags; checked here); blocks never written read as zeros, with
# the escape tags. A corrupted data byte, guard or (types 1 and 2)
# reference tag makes a read of that block fail with EILSEQ, its
# neighbours read; type 3 checks no reference tag; a rewrite heals it.
# A bad block (--bad) fails with ENODATA until rewritten.
# With write_generate off the disk makes the PI itself (PRACT), with
# read_verify off it still checks. fio --verify and ext4 work on it.
# 6.1's profiles take the PI first only: a 4096+64 disk with the PI last
# is its char device alone there (either guard). Extended LBAs never get a block device.
. "$(dirname "$0")/lib.sh"
need dd cmp python3 nvme fio mkfs.ext4 sha256sum

eilseq="Invalid or incomplete multibyte or wide character"

# read_fails DEV BS LBA: an O_DIRECT read of block LBA fails with EILSEQ.
read_fails() {
	if dd if="$1" of=/dev/null bs="$2" skip="$3" count=1 iflag=direct \
		2>"$TMP/err"; then
		fail "read of block $3 succeeded"
	fi
	grep -q "$eilseq" "$TMP/err" || fail "read of block $3: $(<"$TMP/err")"
}

# pi_read CHR BS MS OFF LBA N TYPE APP GUARD: nvme read of N blocks from
# LBA, checking guard and (types 1, 2) reference tag; their PI as the
# block layer makes it (APP: the application tag, or "escape"; type 3's
# reference tag 0; GUARD 16 or 64).
pi_read() {
	local chr=$1 bs=$2 ms=$3 off=$4 lba=$5 n=$6 type=$7 app=$8 g=$9
	local prinfo=5 ref=$lba
	[ "$type" -eq 3 ] && prinfo=4 ref=0	# type 3: the block layer's
	rm -f "$TMP/pd" "$TMP/pm"	# nvme-cli does not truncate them
	nv read "$chr" --start-block="$lba" --block-count=$((n - 1)) \
		--data-size=$((n * bs)) --data="$TMP/pd" \
		--metadata-size=$((n * ms)) --metadata="$TMP/pm" \
		--prinfo=$prinfo --ref-tag="$lba"
	python3 selftests/pi_tuples.py "$TMP/pd" "$TMP/pm" "$bs" "$ms" "$off" \
		"$ref" "$app" "$type" "$g" || fail "PI of blocks $lba+$n"
}

# one BS MS TYPE FIRST GUARD: the checks above on one disk.
one() {
	local bs=$1 ms=$2 type=$3 first=$4 g=$5 name idx dev chr sys off=0 n
	local lba=40 pisz=8 fmt="$bs+$ms type $3 guard $5"
	local args=(--backend mem --size 64M --block-size "$bs"
		    --metadata-size "$ms" --pi-type "$type" --pi-guard "$g")
	[ "$g" = 64 ] && pisz=16
	[ "$first" = 1 ] && args+=(--pi-first)
	[ "$first" = 1 ] || off=$((ms - pisz))
	name=$(add_disk "${args[@]}")
	idx=${name#zcblk}
	idx=${idx%c}
	dev=/dev/zcblk$idx chr=/dev/zcblk${idx}c
	if [ "$off" -ne 0 ] && [[ $KREL == 6.1.* ]]; then
		[ "$name" = "zcblk${idx}c" ] ||
			fail "6.1, PI last in $ms bytes: add printed $name"
		del_disk "zcblk$idx"
		log "$fmt PI last: char device only on 6.1"
		return
	fi
	[ "$name" = "zcblk$idx" ] || fail "$fmt: add printed $name"
	sys=/sys/block/zcblk$idx/integrity
	local want="T10-DIF-TYPE1-CRC" tag=2
	[ "$type" -eq 3 ] && want="T10-DIF-TYPE3-CRC" tag=6
	if [ "$g" = 64 ]; then
		want="EXT-DIF-TYPE1-CRC64"
		[ "$type" -eq 3 ] && want="EXT-DIF-TYPE3-CRC64" tag=8
	fi
	[ "$(<"$sys/format")" = "$want" ] || fail "format $(<"$sys/format")"
	[ "$(<"$sys/tag_size")" = $tag ] || fail "tag_size $(<"$sys/tag_size")"
	[ "$(<"$sys/protection_interval_bytes")" = "$bs" ] ||
		fail "protection_interval_bytes $(<"$sys/protection_interval_bytes")"
	[ "$(<"$sys/device_is_integrity_capable")" = 1 ] ||
		fail "device_is_integrity_capable"
	[ "$(<"$sys/read_verify")$(<"$sys/write_generate")" = 11 ] ||
		fail "read_verify/write_generate not on"
	log "$fmt: $want, tag_size $tag, interval $bs"

	n=$((65536 / bs))
	head -c 65536 /dev/urandom >"$TMP/w"
	dd if="$TMP/w" of="$dev" bs="$bs" seek=$lba oflag=direct status=none ||
		fail "dd write"
	dd if="$dev" of="$TMP/r" bs="$bs" skip=$lba count=$n iflag=direct \
		status=none || fail "dd read"
	cmp "$TMP/w" "$TMP/r" || fail "read back differs"
	pi_read "$chr" "$bs" "$ms" "$off" $lba "$n" "$type" 0 "$g"
	cmp "$TMP/w" "$TMP/pd" || fail "char device read differs"
	pi_read "$chr" "$bs" "$ms" "$off" 4000 4 "$type" escape "$g"
	# nvme-cli's read buffer starts zeroed: the block device's shows it
	head -c $((4 * bs)) /dev/urandom >"$TMP/r"
	dd if="$dev" of="$TMP/r" bs="$bs" skip=4000 count=4 iflag=direct \
		conv=notrunc status=none || fail "read of blocks never written"
	cmp -n $((4 * bs)) "$TMP/r" /dev/zero ||
		fail "blocks never written: not zeros through $dev"
	log "$n blocks written and read back; their PI the block layer's; never written: escape tags"

	"$ZCBLKCTL" set "$idx" --corrupt $((lba + 1)) --corrupt-what data ||
		fail "set --corrupt"
	read_fails "$dev" "$bs" $((lba + 1))
	dd if="$dev" of=/dev/null bs="$bs" skip=$lba count=1 iflag=direct \
		status=none || fail "read of the block before"
	dd if="$TMP/w" of="$dev" bs="$bs" seek=$((lba + 1)) skip=1 count=1 \
		oflag=direct status=none || fail "rewrite"
	dd if="$dev" of=/dev/null bs="$bs" skip=$((lba + 1)) count=1 \
		iflag=direct status=none || fail "read after the rewrite"
	"$ZCBLKCTL" set "$idx" --corrupt $((lba + 2)) --corrupt-what guard ||
		fail "set --corrupt guard"
	read_fails "$dev" "$bs" $((lba + 2))
	"$ZCBLKCTL" set "$idx" --corrupt $((lba + 3)) --corrupt-what ref-tag ||
		fail "set --corrupt ref-tag"
	if [ "$type" -eq 3 ]; then
		dd if="$dev" of=/dev/null bs="$bs" skip=$((lba + 3)) count=1 \
			iflag=direct status=none || fail "type 3 checked a reference tag"
	else
		read_fails "$dev" "$bs" $((lba + 3))
	fi
	log "corrupted data and guard: EILSEQ; reference tag: $([ "$type" -eq 3 ] && echo read || echo EILSEQ); rewritten: read"

	# A grown defect fails before any check: ENODATA, as the NVMe driver
	# maps Unrecovered Read Error; a rewrite heals it.
	"$ZCBLKCTL" set "$idx" --bad $((lba + 5)) || fail "set --bad"
	if dd if="$dev" of=/dev/null bs="$bs" skip=$((lba + 5)) count=1 \
		iflag=direct 2>"$TMP/err"; then
		fail "read of bad block $((lba + 5)) succeeded"
	fi
	grep -q "No data available" "$TMP/err" ||
		fail "read of bad block $((lba + 5)): $(<"$TMP/err")"
	dd if="$TMP/w" of="$dev" bs="$bs" seek=$((lba + 5)) skip=5 count=1 \
		oflag=direct status=none || fail "rewrite of the bad block"
	dd if="$dev" of="$TMP/r" bs="$bs" skip=$((lba + 5)) count=1 \
		iflag=direct status=none || fail "read after healing"
	cmp "$TMP/r" <(dd if="$TMP/w" bs="$bs" skip=5 count=1 status=none) ||
		fail "healed block differs"
	log "bad block: ENODATA; rewritten: read back"

	echo 0 >"$sys/write_generate"
	dd if="$TMP/w" of="$dev" bs="$bs" seek=$lba oflag=direct status=none ||
		fail "dd write without write_generate"
	echo 1 >"$sys/write_generate"
	pi_read "$chr" "$bs" "$ms" "$off" $lba "$n" "$type" 0 "$g"
	echo 0 >"$sys/read_verify"
	"$ZCBLKCTL" set "$idx" --corrupt $lba --corrupt-what data ||
		fail "set --corrupt"
	read_fails "$dev" "$bs" $lba
	echo 1 >"$sys/read_verify"
	log "write_generate 0: the disk made the PI; read_verify 0: the disk still checks"
	del_disk "zcblk$idx"
}

KREL=$(uname -r)
# On the debug kernel (ZCBLK_DEBUG=1), where each process this script
# starts costs about 0.7 s, three disks still cover every type, both
# guards and the PI first and last; fio writes a quarter as much.
fsize=16M
one 512 8 1 0 16
one 512 16 2 1 16
if [ "${ZCBLK_DEBUG:-0}" != 1 ]; then
	one 4096 8 3 0 16
	one 4096 64 1 0 16
	one 4096 64 3 1 16
	one 512 16 1 0 64
else
	fsize=4M
fi
one 4096 64 3 0 64

# Extended LBAs: the block layer has no such layout.
name=$(add_disk --backend mem --size 16M --metadata-size 8 --pi-type 1 \
	--extended-lba)
[ "$name" = "${name%c}c" ] || fail "extended LBA: add printed $name"
del_disk "${name%c}"

dev=/dev/$(add_disk --backend mem --size 128M --block-size 512 \
	--metadata-size 8 --pi-type 1)
run_fio pi-verify --filename="$dev" --ioengine=io_uring --direct=1 \
	--rw=randwrite --bs=4k --iodepth=16 --size=$fsize --randseed=$RANDOM \
	--verify=crc32c --verify_fatal=1 --do_verify=1
mkfs.ext4 -q -F "$dev" || fail "mkfs.ext4"
mnt=$TMP/mnt
mkdir -p "$mnt"
mount "$dev" "$mnt" || fail "mount"
echo "mount $mnt" >>"$ZCBLK_UNDO"
for i in $(seq 8); do
	head -c $((i * 300000 + 1)) /dev/urandom >"$mnt/f$i"
done
(cd "$mnt" && sha256sum f*) >"$TMP/sums"
umount "$mnt" || fail "umount"
echo 3 >/proc/sys/vm/drop_caches
mount "$dev" "$mnt" || fail "mount again"
(cd "$mnt" && sha256sum -c --quiet "$TMP/sums") || fail "files differ after remount"
umount "$mnt" || fail "umount"
undo_forget "mount $mnt"
log "fio --verify and ext4 (8 files, remounted) on 512+8 type 1"
exit $KSFT_PASS
