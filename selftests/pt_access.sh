#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Who may use a zcblk char device /dev/zcblk<N>c: its node has the owner,
# group and mode given to `zcblkctl add` (default root:root 0600); a user
# who may open it reads through a read-only descriptor and writes only
# through a writable one (Write, Write Zeroes, DSM and Compare on a
# read-only descriptor: EACCES, data untouched); a user outside the group cannot
# open it; root may write through a read-only descriptor, as nvme-cli
# does. pt_access_helper (build/selftests) opens the node with a given
# mode and issues one NVMe command through NVME_IOCTL_IO_CMD.
. "$(dirname "$0")/lib.sh"
need setpriv stat nvme

helper=$ZCBLK_BUILD/selftests/pt_access_helper
[ -x "$helper" ] || fail "$helper not built (make selftests)"
# A copy the other users can run ($TMP is private to root).
chmod 755 "$TMP"
cp "$helper" "$TMP/helper" || fail "cp $helper"
chmod 755 "$TMP/helper"
# A directory the group member can write nvme-cli's data files into.
mkdir "$TMP/member" || fail "mkdir $TMP/member"
chown 1000:1000 "$TMP/member" || fail "chown $TMP/member"

GID=4242
MEMBER=(setpriv --reuid=1000 --regid=1000 "--groups=$GID")
OUTSIDER=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# expect WHAT WANT CMD...: CMD's output is exactly WANT.
expect() {
	local what=$1 want=$2 got
	shift 2
	got=$("$@" 2>&1)
	[ "$got" = "$want" ] || fail "$what: got '$got', want '$want'"
	log "$what: $got"
}

pins_before=$(vmstat_pins)

# The default node: root's alone.
def=$(add_disk --backend mem --size 16M)
udev_settle "/dev/${def}c"
got=$(stat -c '%F %a %u %g' "/dev/${def}c")
[ "$got" = "character special file 600 0 0" ] ||
	fail "/dev/${def}c: '$got', want a root:root 0600 char device"
expect "default node, outsider, O_RDONLY" "open: EACCES" \
	"${OUTSIDER[@]}" "$TMP/helper" "/dev/${def}c" ro read
expect "default node, uid 1000 in group $GID, O_RDONLY" "open: EACCES" \
	"${MEMBER[@]}" "$TMP/helper" "/dev/${def}c" ro read
expect "default node, root, O_RDWR write" "ok" \
	"$TMP/helper" "/dev/${def}c" rw write 8 0x11
expect "default node, root, O_RDONLY read" "ok fill=11" \
	"$TMP/helper" "/dev/${def}c" ro read 8

# A node for group $GID, mode 0660.
name=$(add_disk --backend mem --size 16M --node-gid $GID --node-mode 0660)
node=/dev/${name}c
udev_settle "$node"
got=$(stat -c '%a %g' "$node")
[ "$got" = "660 $GID" ] || fail "$node: '$got', want '660 $GID'"
[ "$(stat -c '%u' "$node")" = 0 ] || fail "$node: owner $(stat -c '%u' "$node")"
[ "$(json_field "$name" node_mode)" = $((0660)) ] ||
	fail "zcblkctl list: node_mode $(json_field "$name" node_mode)"
[ "$(json_field "$name" node_gid)" = $GID ] ||
	fail "zcblkctl list: node_gid $(json_field "$name" node_gid)"

# The group member: reads through O_RDONLY, writes through O_RDWR only.
expect "member, O_RDONLY read of a fresh block" "ok fill=00" \
	"${MEMBER[@]}" "$TMP/helper" "$node" ro read 8
expect "member, O_RDWR write" "ok" \
	"${MEMBER[@]}" "$TMP/helper" "$node" rw write 8 0x5a
expect "member, O_RDONLY read back" "ok fill=5a" \
	"${MEMBER[@]}" "$TMP/helper" "$node" ro read 8
expect "member, O_RDONLY write" "EACCES" \
	"${MEMBER[@]}" "$TMP/helper" "$node" ro write 8 0xa5
expect "member, O_RDONLY write-zeroes" "EACCES" \
	"${MEMBER[@]}" "$TMP/helper" "$node" ro write-zeroes 8
expect "member, O_RDONLY dsm (deallocate)" "EACCES" \
	"${MEMBER[@]}" "$TMP/helper" "$node" ro dsm 8
# Compare moves data to the device: a writable fd, as upstream's
# nvme_is_write() has it for /dev/ngXnY.
expect "member, O_RDONLY compare" "EACCES" \
	"${MEMBER[@]}" "$TMP/helper" "$node" ro compare 8 0x5a
expect "member, O_RDWR compare, equal" "ok" \
	"${MEMBER[@]}" "$TMP/helper" "$node" rw compare 8 0x5a
expect "member, O_RDWR compare, different" "status 0x4285" \
	"${MEMBER[@]}" "$TMP/helper" "$node" rw compare 8 0x5b
expect "member, data kept after the refused commands" "ok fill=5a" \
	"${MEMBER[@]}" "$TMP/helper" "$node" rw read 8
expect "member, O_RDWR write-zeroes" "ok" \
	"${MEMBER[@]}" "$TMP/helper" "$node" rw write-zeroes 8
expect "member, zeros after write-zeroes" "ok fill=00" \
	"${MEMBER[@]}" "$TMP/helper" "$node" ro read 8
expect "member, O_RDWR write at 9" "ok" \
	"${MEMBER[@]}" "$TMP/helper" "$node" rw write 9 0x77
expect "member, O_RDWR dsm" "ok" \
	"${MEMBER[@]}" "$TMP/helper" "$node" rw dsm 9
expect "member, zeros after dsm" "ok fill=00" \
	"${MEMBER[@]}" "$TMP/helper" "$node" ro read 9

# Set Features changes the disk (its write cache): a writable fd, as
# write-class I/O commands; this disk has no cache, so 10Eh once allowed.
expect "member, O_RDONLY set-features" "EACCES" \
	"${MEMBER[@]}" "$TMP/helper" "$node" ro set-features
expect "member, O_RDWR set-features" "status 0x410e" \
	"${MEMBER[@]}" "$TMP/helper" "$node" rw set-features

# Outside the group: no open at all.
expect "outsider, O_RDONLY" "open: EACCES" \
	"${OUTSIDER[@]}" "$TMP/helper" "$node" ro read
expect "outsider, O_RDWR" "open: EACCES" \
	"${OUTSIDER[@]}" "$TMP/helper" "$node" rw write

# Root (CAP_SYS_ADMIN) writes through a read-only descriptor.
expect "root, O_RDONLY write" "ok" "$TMP/helper" "$node" ro write 8 0xa5
expect "root, O_RDONLY read back" "ok fill=a5" "$TMP/helper" "$node" ro read 8
expect "root, O_RDONLY write-zeroes" "ok" "$TMP/helper" "$node" ro write-zeroes 8
expect "root, zeros after write-zeroes" "ok fill=00" "$TMP/helper" "$node" ro read 8

# nvme-cli opens O_RDONLY for everything: root may write with it, the
# group member may read but not write.
head -c 4096 /dev/urandom >"$TMP/member/data"
chmod 644 "$TMP/member/data"
nvme write "$node" -s 16 -c 7 -z 4096 -d "$TMP/member/data" >"$TMP/out" 2>&1 ||
	{ sed 's/^/# /' "$TMP/out"; fail "nvme write as root"; }
"${MEMBER[@]}" nvme read "$node" -s 16 -c 7 -z 4096 -d "$TMP/member/back" \
	>"$TMP/out" 2>&1 ||
	{ sed 's/^/# /' "$TMP/out"; fail "nvme read as the group member"; }
cmp "$TMP/member/data" "$TMP/member/back" ||
	fail "nvme read as the group member: not what root wrote"
log "nvme-cli: root writes, the group member reads it back"
rc=0
"${MEMBER[@]}" nvme write "$node" -s 16 -c 7 -z 4096 -d /dev/zero \
	>"$TMP/out" 2>&1 || rc=$?
if [ $rc -eq 0 ] || ! grep -q 'Permission denied' "$TMP/out"; then
	sed 's/^/# /' "$TMP/out"
	fail "nvme write as the group member: rc=$rc, want EACCES"
fi
log "nvme-cli: the group member's write is refused: $(head -n1 "$TMP/out")"
nvme read "$node" -s 16 -c 7 -z 4096 -d "$TMP/back" >"$TMP/out" 2>&1 ||
	{ sed 's/^/# /' "$TMP/out"; fail "nvme read as root"; }
cmp "$TMP/member/data" "$TMP/back" || fail "the refused write changed the data"

# Nothing left pinned.
for d in "$def" "$name"; do
	json=$("$ZCBLKCTL" stats "$d" -j) || fail "zcblkctl stats $d"
	[[ $json == *'"pt_inflight": 0,'* && $json == *'"pinned_current": 0,'* ]] ||
		fail "$d: $json"
done
now=$(vmstat_pins)
[ "$now" = "$pins_before" ] || fail "/proc/vmstat pins $now, was $pins_before before the test"
exit $KSFT_PASS
