#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Discard on a mem disk: the range reads back as zeros, data around it is
# kept, and the disk's allocated bytes (DEV_GET) drop by the range's pages.
# Write Zeroes that keeps the blocks zeroes them in place: up to 128 KiB
# in queue_rq's own context, anything larger from the disk's workqueue
# (debugfs zcblk/<N>/queues: deferred), never gigabytes inline.
. "$(dirname "$0")/lib.sh"
need blkdiscard fallocate cmp python3 nvme

name=$(add_disk --backend mem --size 16M)
dev=/dev/$name
[ "$(json_field "$name" alloc_bytes)" = 0 ] || fail "new disk has pages"

head -c $((8 << 20)) /dev/urandom >"$TMP/data"
dd if="$TMP/data" of="$dev" bs=1M oflag=direct status=none || fail "dd write"
before=$(json_field "$name" alloc_bytes)
[ "$before" = $((8 << 20)) ] || fail "alloc_bytes $before after writing 8 MiB"

# Discard 2 MiB at 3 MiB, then 1 KiB at 7 MiB + 512 (part of one page).
blkdiscard -o $((3 << 20)) -l $((2 << 20)) "$dev" || fail "blkdiscard"
blkdiscard -o $(((7 << 20) + 512)) -l 1024 "$dev" || fail "blkdiscard small"
after=$(json_field "$name" alloc_bytes)
[ "$after" = $((6 << 20)) ] || fail "alloc_bytes $after after discarding 2 MiB, want $((6 << 20))"

dd if="$dev" of="$TMP/back" bs=1M count=8 iflag=direct status=none || fail "dd read"
# What we expect: the data with both ranges zeroed.
python3 - "$TMP/data" "$TMP/want" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[3 << 20:5 << 20] = bytes(2 << 20)
d[(7 << 20) + 512:(7 << 20) + 1536] = bytes(1024)
open(sys.argv[2], "wb").write(d)
PY
cmp "$TMP/want" "$TMP/back" || fail "data after discard differs"

# BLKZEROOUT asks for write zeroes that keep the blocks allocated
# (REQ_NOUNMAP): zeros in place, nothing freed.
blkdiscard -z "$dev" || fail "blkdiscard -z"
left=$(json_field "$name" alloc_bytes)
[ "$left" = $((6 << 20)) ] || fail "alloc_bytes $left after blkdiscard -z"
cmp -n $((8 << 20)) /dev/zero "$dev" || fail "disk not zero after blkdiscard -z"
# Punching a hole is write zeroes that may unmap: every page goes.
dd if="$TMP/data" of="$dev" bs=1M oflag=direct status=none || fail "dd rewrite"
fallocate -p -o 0 -l $((16 << 20)) "$dev" || fail "fallocate --punch-hole"
left=$(json_field "$name" alloc_bytes)
[ "$left" = 0 ] || fail "alloc_bytes $left after punching the whole disk"
cmp -n $((16 << 20)) /dev/zero "$dev" || fail "disk not zero after punch hole"

# NVMe Write Zeroes without DEAC (NOUNMAP) through the char device, where
# nothing else defers: 64 KiB runs inline, 512 KiB on the workqueue.
dd if="$TMP/data" of="$dev" bs=1M oflag=direct status=none || fail "dd rewrite"
deferred "$name"; d0=$DEFERRED
nvme write-zeroes "${dev}c" -s 0 -c 127 >/dev/null || fail "write-zeroes 64 KiB"
deferred "$name"; d1=$DEFERRED
[ "$d1" = "$d0" ] || fail "64 KiB Write Zeroes deferred ($d0 -> $d1)"
nvme write-zeroes "${dev}c" -s 2048 -c 1023 >/dev/null ||
	fail "write-zeroes 512 KiB"
deferred "$name"; d2=$DEFERRED
[ "$d2" = $((d1 + 1)) ] ||
	fail "512 KiB Write Zeroes ran inline (deferred $d1 -> $d2)"
python3 - "$TMP/data" "$TMP/want" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[0:64 << 10] = bytes(64 << 10)
d[1 << 20:(1 << 20) + (512 << 10)] = bytes(512 << 10)
open(sys.argv[2], "wb").write(d)
PY
dd if="$dev" of="$TMP/back" bs=1M count=8 iflag=direct status=none || fail "dd read"
cmp "$TMP/want" "$TMP/back" || fail "data after Write Zeroes differs"
left=$(json_field "$name" alloc_bytes)
[ "$left" = $((8 << 20)) ] || fail "alloc_bytes $left after Write Zeroes (NOUNMAP)"
log "Write Zeroes: 64 KiB inline, 512 KiB deferred ($d0 -> $d2), blocks kept"

# Discards racing each other and writes over the same 1 MiB (two trim
# jobs, two random writers, 10 s): whatever they leave, a discard of the
# whole disk then leaves no page (a discard that found its page taken by
# another and a write's new page in its place used to drop that page from
# the store without freeing it: leaked, alloc_bytes stuck above 0).
need fio
fio --name=w --filename="$dev" --ioengine=io_uring --direct=1 --size=1M \
	--rw=randwrite --bs=4k --iodepth=16 --numjobs=2 --time_based \
	--runtime=10 \
    --name=t --filename="$dev" --ioengine=io_uring --direct=1 --size=1M \
	--rw=randtrim --bs=64k --iodepth=4 --numjobs=2 --time_based \
	--runtime=10 >"$TMP/fio.out" 2>&1 || {
	sed 's/^/# /' "$TMP/fio.out"
	fail "fio writes and trims"
}
blkdiscard "$dev" || fail "blkdiscard"
left=$(json_field "$name" alloc_bytes)
[ "$left" = 0 ] || fail "alloc_bytes $left after racing trims and a whole discard"
log "10 s of racing 4 KiB writes and 64 KiB trims, then blkdiscard: no page left"
exit $KSFT_PASS
