#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Crash consistency with a real file system (Documentation/durability.rst):
# ext4 (and xfs, if mkfs.xfs is there) on a mem disk with a write cache;
# twelve files written and fsync'd (file and directory), then twelve more
# written with O_DIRECT and never synced (ext4 mounted with commit=300, so
# that no journal commit flushes them), so that the cache holds writes to
# lose; the power cut while mounted, in each mode and several seeds;
# power on, mount (journal recovery), every fsync'd file intact, the file
# system consistent for its own checker (fsck.ext4 -fn, xfs_repair -n).
. "$(dirname "$0")/lib.sh"
need mkfs.ext4 fsck.ext4 sha256sum python3

mnt=$TMP/mnt
mkdir -p "$mnt"

stat_of() {
	"$ZCBLKCTL" stats -j "$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d[0] if isinstance(d, list) else d
print(d[sys.argv[1]])' "$2"
}

# fsynced PATH BYTES: a file whose data and name are durable.
fsynced() {
	python3 - "$1" "$2" <<'EOF'
import os, sys
path, size = sys.argv[1], int(sys.argv[2])
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.write(fd, os.urandom(size))
os.fsync(fd)
os.close(fd)
d = os.open(os.path.dirname(path), os.O_RDONLY)
os.fsync(d)
os.close(d)
EOF
}

# round FS SIZE MODE SEED
round() {
	local fs=$1 size=$2 mode=$3 seed=$4 name idx dev i n dirty lw lb
	name=$(add_disk --backend mem --size "$size" --block-size 4096 \
		--write-cache 64M)
	idx=${name#zcblk}
	dev=/dev/$name
	case $fs in
	ext4) mkfs.ext4 -q -F "$dev" || fail "mkfs.ext4" ;;
	xfs) mkfs.xfs -q -f "$dev" || fail "mkfs.xfs" ;;
	esac
	# ext4: no periodic commit (its flush) between the test's own
	mount -o "$([ "$fs" = ext4 ] && echo commit=300 || echo defaults)" \
		"$dev" "$mnt" || fail "$fs: mount"
	echo "mount $mnt" >>"$ZCBLK_UNDO"
	mkdir -p "$mnt/d"
	python3 -c 'import os, sys; os.fsync(os.open(sys.argv[1], os.O_RDONLY))' "$mnt"
	: >"$TMP/sums"
	for i in $(seq 12); do
		n=$(((RANDOM * 31 + i * 4096) % 600000 + 1))
		fsynced "$mnt/d/s$i" "$n" || fail "$fs: fsync s$i"
		(cd "$mnt/d" && sha256sum "s$i") >>"$TMP/sums"
	done
	# never synced: straight to the disk's cache, no flush after
	for i in $(seq 12); do
		dd if=/dev/urandom of="$mnt/d/u$i" bs=64k count=$((i % 4 + 1)) \
			oflag=direct status=none || fail "$fs: dd u$i"
	done
	dirty=$(stat_of "$idx" cache_dirty_bytes)
	[ "$dirty" -gt 0 ] || fail "$fs: nothing in the write cache to lose"
	"$ZCBLKCTL" set "$idx" --power cut --cut-mode "$mode" \
		--cut-seed "$seed" || fail "$fs: power cut"
	lw=$(stat_of "$idx" cut_lost_writes)
	lb=$(stat_of "$idx" cut_lost_blocks)
	if [ "$mode" = drop ] && [ "$lw" -eq 0 ]; then
		fail "$fs: drop lost no write of $dirty dirty bytes"
	fi
	# The file system sees the errors of a dead disk until unmounted.
	umount "$mnt" 2>/dev/null || umount -l "$mnt" || fail "$fs: umount"
	"$ZCBLKCTL" set "$idx" --power on || fail "$fs: power on"
	mount "$dev" "$mnt" || fail "$fs $mode $seed: mount after the cut"
	(cd "$mnt/d" && sha256sum -c --quiet "$TMP/sums") ||
		fail "$fs $mode $seed: an fsync'd file differs after the cut"
	umount "$mnt" || fail "$fs: umount"
	case $fs in
	ext4) fsck.ext4 -fn "$dev" >"$TMP/fsck" 2>&1 ;;
	xfs) xfs_repair -n "$dev" >"$TMP/fsck" 2>&1 ;;
	esac || {
		sed 's/^/# /' "$TMP/fsck"
		fail "$fs $mode $seed: file system inconsistent after the cut"
	}
	log "$fs $mode seed $seed: $dirty bytes dirty, lost $lw writes ($lb blocks); 12 fsync'd files intact; checker clean"
	del_disk "$name"
}

# The debug kernel (KASAN, ten times slower) runs one round, for CI's time.
round ext4 128M torn 3
case $(uname -r) in
*-zcblk-debug) ;;
*)
	round ext4 128M drop 0
	round ext4 128M blocks 1
	round ext4 128M blocks 2
	round ext4 128M torn 4 ;;
esac
# xfsprogs is in install-deps.sh; the debug kernel (defconfig) has no xfs.
if ! command -v mkfs.xfs >/dev/null || ! command -v xfs_repair >/dev/null; then
	log "mkfs.xfs not installed: xfs rounds not run"
elif ! modprobe xfs 2>/dev/null && ! grep -qw xfs /proc/filesystems; then
	log "this kernel has no xfs: xfs rounds not run"
else
	round xfs 320M drop 0
	round xfs 320M blocks 5
	round xfs 320M torn 6
fi
exit $KSFT_PASS
