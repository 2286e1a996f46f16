#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A file disk's writes honour its backing file system's freeze, as loop's
# do: with the ext4 under a sparse backing file frozen (fsfreeze -f),
# direct writes into its holes wait (no write reaches the file system, no
# splat: ext4 warns when a transaction starts on a frozen file system)
# and complete once it is thawed, the data read back.
. "$(dirname "$0")/lib.sh"
need fsfreeze dd cmp

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
exit $KSFT_PASS
