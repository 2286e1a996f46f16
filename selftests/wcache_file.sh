#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The write cache of a file disk (Documentation/durability.rst): blocks
# written through the block device and the char device, some made durable
# by a flush (fsync of the block device, nvme flush) or FUA, the others
# not; a power cut in drop mode; the disk removed and added again on the
# same backing file (the post-crash image) holds exactly the durable
# blocks, and so does the file itself; power cut, power on and reads of
# the same disk agree.
. "$(dirname "$0")/lib.sh"
need nvme mkfs.ext4

brd_ext4 65536
mnt=$TMP/mnt
img=$mnt/backing.img
truncate -s 16M "$img" || fail "truncate"

# block N TAG: 4 KiB of TAG's pattern for block N, on stdout
block() {
	local s r
	printf -v s '%s-%06d-' "$2" "$1"
	r=$s
	while [ ${#r} -lt 4096 ]; do r=$r$r; done
	printf '%s' "${r:0:4096}"
}

# put DEV N TAG [DDFLAGS]: block N of DEV gets TAG's pattern, O_DIRECT
put() {
	block "$2" "$3" | dd of="$1" bs=4k seek="$2" count=1 oflag=direct \
		conv=notrunc${4:+,$4} status=none || fail "write block $2 ($3)"
}

# holds FILE N TAG: block N of FILE (a device or the image) is TAG's
holds() {
	cmp -s <(dd if="$1" bs=4k skip="$2" count=1 status=none \
		iflag="$([ -b "$1" ] && echo direct || echo fullblock)") \
		<(block "$2" "$3")
}

name=$(add_disk --backend file --path "$img" --block-size 4096 \
	--write-cache 1M)
idx=${name#zcblk}
dev=/dev/$name
[ "$(json_field "$name" write_cache)" = 1048576 ] ||
	fail "write_cache not reported"
# the block layer sends flushes and FUA: a volatile cache
wc=$(cat "/sys/block/$name/queue/write_cache")
[ "$wc" = "write back" ] || fail "queue/write_cache: $wc"

for n in $(seq 0 15); do put "$dev" "$n" old; done
blockdev --flushbufs "$dev" || fail "flush"	# everything durable
put "$dev" 0 new				# flushed by 1's fsync
put "$dev" 1 new fsync				# flushed (fsync: a flush)
put "$dev" 2 new
nvme flush "${dev}c" >/dev/null 2>&1 || fail "nvme flush"	# 2 flushed
put "$dev" 3 new				# lost
block 4 new >"$TMP/b4"
nvme write "${dev}c" --start-block=4 --block-count=0 --data-size=4096 \
	--data="$TMP/b4" --force-unit-access >/dev/null 2>&1 ||
	fail "nvme write --force-unit-access"	# FUA: kept
put "$dev" 5 new				# lost
put "$dev" 6 new				# lost
load_stats "$idx"
dirty=${ST[cache_dirty_bytes]}
[ "$dirty" = 12288 ] ||
	fail "cache_dirty_bytes $dirty, want 12288 (blocks 3, 5, 6)"
log "cache dirty: $dirty bytes"

"$ZCBLKCTL" set "$idx" --power cut || fail "power cut"
load_stats "$idx"
[ "${ST[cut_lost_writes]}" = 3 ] || fail "cut_lost_writes"
dd if="$dev" of=/dev/null bs=4k count=1 iflag=direct status=none 2>/dev/null &&
	fail "a read after the cut succeeded"

want() {	# N: the tag block N must hold after the cut
	case $1 in [0124]) echo new ;; *) echo old ;; esac
}
# powered on again, the same disk reads what the file holds
"$ZCBLKCTL" set "$idx" --power on || fail "power on"
blockdev --flushbufs "$dev" || fail "flushbufs after power on"
for n in $(seq 0 15); do
	holds "$dev" "$n" "$(want "$n")" ||
		fail "after power on: block $n is not $(want "$n")"
done
del_disk "$name"
for n in $(seq 0 15); do
	holds "$img" "$n" "$(want "$n")" ||
		fail "backing file: block $n is not $(want "$n")"
done
name=$(add_disk --backend file --path "$img" --block-size 4096 \
	--write-cache 1M)
for n in $(seq 0 15); do
	holds "/dev/$name" "$n" "$(want "$n")" ||
		fail "re-added disk: block $n is not $(want "$n")"
done
log "re-added on the same file: blocks 0-2 new (flushed), 4 new (FUA), 3, 5, 6 old (lost), 7-15 old"
exit $KSFT_PASS
