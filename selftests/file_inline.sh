#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A file disk's plain reads and writes are tried in queue_rq with
# IOCB_NOWAIT (Documentation/backends.rst); what the backing file system
# would block for runs again from the disk's workqueue, counted in
# debugfs's deferred. On a sparse backing file on ext4, each 4 KiB
# O_DIRECT write into a hole needs an allocation, which ext4 refuses
# under IOCB_NOWAIT: 256 writes, 256 deferred. Writing the same blocks
# again and reading them are overwrites and reads of allocated blocks:
# none deferred. The disk, and the backing file, hold what was written.
. "$(dirname "$0")/lib.sh"
need cmp dd

ext4=$(scratch_ext4)
truncate -s 16M "$ext4/backing.img" || fail "truncate"
name=$(add_disk --backend file --path "$ext4/backing.img")
head -c $((1 << 20)) /dev/urandom >"$TMP/pat"
deferred "$name"; d0=$DEFERRED
dd if="$TMP/pat" of="/dev/$name" bs=4k oflag=direct status=none ||
	fail "dd into the holes"
deferred "$name"; d1=$DEFERRED
dd if="$TMP/pat" of="/dev/$name" bs=4k oflag=direct status=none ||
	fail "dd over the same blocks"
deferred "$name"; d2=$DEFERRED
dd if="/dev/$name" of="$TMP/back" bs=4k count=256 iflag=direct \
	status=none || fail "dd back"
deferred "$name"; d3=$DEFERRED
log "deferred: 256 writes into holes +$((d1 - d0)), 256 overwrites +$((d2 - d1)), 256 reads +$((d3 - d2))"
[ $((d1 - d0)) -eq 256 ] ||
	fail "writes into holes: $((d1 - d0)) of 256 ran again from the workqueue"
[ $((d2 - d1)) -eq 0 ] || fail "overwrites deferred: $((d2 - d1))"
[ $((d3 - d2)) -eq 0 ] || fail "reads deferred: $((d3 - d2))"
cmp "$TMP/pat" "$TMP/back" || fail "read back differs from what was written"
cmp -n $((1 << 20)) "$TMP/pat" "$ext4/backing.img" ||
	fail "the backing file differs from what was written"

# A backing file with ext4's journalled data (chattr +j): ext4 takes
# O_DIRECT but serves it through the page cache. Its IOCB_NOWAIT writes
# are refused (EAGAIN here on 6.1 and 6.12; its buffered path's refusal,
# EOPNOTSUPP, and a read short of what the cache held are handled alike,
# but this test does not reach them): not I/O errors, they run again from
# the workqueue, and the disk holds what was written.
# Written whole first: overwrites, which ext4 would not defer as it does
# writes into holes.
need chattr
dd if=/dev/zero of="$ext4/journalled.img" bs=1M count=16 status=none ||
	fail "dd the journalled file"
chattr +j "$ext4/journalled.img" || fail "chattr +j"
jname=$(add_disk --backend file --path "$ext4/journalled.img")
deferred "$jname"; j0=$DEFERRED
dd if="$TMP/pat" of="/dev/$jname" bs=4k oflag=direct status=none ||
	fail "dd onto the journalled file's disk"
deferred "$jname"; j1=$DEFERRED
rm -f "$TMP/back"
dd if="/dev/$jname" of="$TMP/back" bs=4k count=256 iflag=direct \
	status=none || fail "dd back from the journalled file's disk"
cmp "$TMP/pat" "$TMP/back" || fail "journalled: read back differs"
log "journalled data: 256 writes, +$((j1 - j0)) deferred, read back equal"
[ $((j1 - j0)) -gt 0 ] || fail "journalled: no write ran again from the workqueue"
exit $KSFT_PASS
