#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A file disk's writes honour its backing file system's freeze, as loop's
# do: with the ext4 under a sparse backing file frozen (fsfreeze -f),
# direct writes into its holes wait (no write reaches the file system, no
# splat: ext4 warns when a transaction starts on a frozen file system)
# and complete once it is thawed, the data read back. With the backing
# file on overlayfs (its upper layer that ext4), after direct writes
# through the disk the ext4 still freezes: 6.1's overlayfs ended the
# upper file system's write protection of an async write only for a
# kiocb marked IOCB_WRITE, which the file backend's were not, so each
# write left one held and fsfreeze waited for ever.
. "$(dirname "$0")/lib.sh"
need fsfreeze dd cmp timeout

ext4=$(scratch_ext4)
truncate -s 16M "$ext4/backing.img" || fail "truncate"
name=$(add_disk --backend file --path "$ext4/backing.img")
head -c $((1 << 20)) /dev/urandom >"$TMP/pat"
fsfreeze -f "$ext4" || fail "fsfreeze -f"
echo "fsfreeze -u $ext4" >>"$ZCBLK_UNDO"
dd if="$TMP/pat" of="/dev/$name" bs=64k oflag=direct status=none &
dd_pid=$!
sleep 2
kill -0 "$dd_pid" 2>/dev/null || fail "the writes completed on a frozen file system"
fsfreeze -u "$ext4" || fail "fsfreeze -u"
wait "$dd_pid" || fail "dd after the thaw"
dd if="/dev/$name" of="$TMP/back" bs=64k count=16 iflag=direct \
	status=none || fail "dd back"
cmp "$TMP/pat" "$TMP/back" || fail "read back differs from what was written"
log "writes waited 2 s for the frozen ext4, then completed; read back equal"
del_disk "$name"

modprobe overlay 2>/dev/null	# built in on some kernels
mkdir -p "$ext4/low" "$ext4/up" "$ext4/work" "$TMP/ovl"
mount -t overlay overlay -o "lowerdir=$ext4/low,upperdir=$ext4/up,workdir=$ext4/work" \
	"$TMP/ovl" || fail "mount overlay"
echo "mount $TMP/ovl" >>"$ZCBLK_UNDO"
truncate -s 16M "$TMP/ovl/disk.img" || fail "truncate on overlayfs"
name=$(add_disk --backend file --path "$TMP/ovl/disk.img")
dd if="$TMP/pat" of="/dev/$name" bs=64k oflag=direct status=none ||
	fail "dd to a disk on overlayfs"
timeout 30 fsfreeze -f "$ext4" ||
	fail "fsfreeze -f of the upper ext4 after writes through overlayfs"
fsfreeze -u "$ext4" || fail "fsfreeze -u"
dd if="/dev/$name" of="$TMP/back" bs=64k count=16 iflag=direct \
	status=none || fail "dd back"
cmp "$TMP/pat" "$TMP/back" || fail "read back differs (overlayfs)"
log "on overlayfs: 1 MiB written, the upper ext4 frozen and thawed, read back equal"
exit $KSFT_PASS
