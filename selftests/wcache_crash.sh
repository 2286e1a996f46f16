#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Crash consistency with a real file system (Documentation/durability.rst):
# ext4 (and xfs, if mkfs.xfs is there) on a mem disk with a write cache;
# twelve files written and fsync'd (file and directory), then twelve more
# written with O_DIRECT and never synced (ext4 mounted so that none of
# its own flushes empties the cache), so that the cache holds writes to
# lose; the power cut while mounted, in each mode and several seeds
# (drop loses every dirty block, blocks and torn some but not all);
# power on, mount (journal recovery), every fsync'd file intact, the file
# system consistent for its own checker (fsck.ext4 -fn, xfs_repair -n).
. "$(dirname "$0")/lib.sh"
need mkfs.ext4 fsck.ext4 sha256sum python3

mnt=$TMP/mnt
mkdir -p "$mnt"

# files DIR SUMS: DIR made, twelve files written and fsync'd (each file,
# then DIR), their sha256sum lines in SUMS; then twelve more written with
# O_DIRECT and never synced, straight to the disk's cache. One process:
# under TCG each exec costs 0.15 to 0.4 s (5 times that on the debug
# kernel), and a round made 45 of them.
files() {
	python3 - "$1" "$2" <<'EOF'
import hashlib, mmap, os, random, sys
d, sums = sys.argv[1], sys.argv[2]


def fsync_path(path):
    fd = os.open(path, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


os.mkdir(d)
fsync_path(os.path.dirname(d))
with open(sums, 'w') as out:
    for i in range(1, 13):
        data = os.urandom(random.randrange(1, 600001))
        fd = os.open(os.path.join(d, f's{i}'),
                     os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        write_all(fd, data)
        os.fsync(fd)
        os.close(fd)
        fsync_path(d)
        out.write(f'{hashlib.sha256(data).hexdigest()}  s{i}\n')
for i in range(1, 13):
    n = 65536 * (i % 4 + 1)
    buf = mmap.mmap(-1, n)  # page-aligned, as O_DIRECT wants
    buf.write(os.urandom(n))
    fd = os.open(os.path.join(d, f'u{i}'),
                 os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_DIRECT, 0o644)
    if os.write(fd, buf) != n:
        sys.exit(f'u{i}: short O_DIRECT write')
    os.close(fd)
EOF
}

# round FS SIZE MODE SEED
round() {
	local fs=$1 size=$2 mode=$3 seed=$4 name idx dev dirty lw lb flushes
	name=$(add_disk --backend mem --size "$size" --block-size 4096 \
		--write-cache 64M)
	idx=${name#zcblk}
	dev=/dev/$name
	case $fs in
	ext4) mkfs.ext4 -q -F "$dev" || fail "mkfs.ext4" ;;
	xfs) mkfs.xfs -q -f "$dev" || fail "mkfs.xfs" ;;
	esac
	# ext4: no flush between the test's own: no periodic journal commit,
	# and no ext4lazyinit thread, which flushes after zeroing each group's
	# inode table (it emptied the cache under the O_DIRECT writes once)
	mount -o "$([ "$fs" = ext4 ] && echo commit=300,noinit_itable ||
		echo defaults)" "$dev" "$mnt" || fail "$fs: mount"
	echo "mount $mnt" >>"$ZCBLK_UNDO"
	load_stats "$idx"
	flushes=${ST[flushes]}
	files "$mnt/d" "$TMP/sums" || fail "$fs: writing the files"
	load_stats "$idx"
	dirty=${ST[cache_dirty_bytes]} flushes=$((ST[flushes] - flushes))
	[ "$dirty" -gt 0 ] ||
		fail "$fs: nothing in the write cache to lose ($flushes flushes during the writes)"
	"$ZCBLKCTL" set "$idx" --power cut --cut-mode "$mode" \
		--cut-seed "$seed" || fail "$fs: power cut"
	load_stats "$idx"
	lw=${ST[cut_lost_writes]} lb=${ST[cut_lost_blocks]}
	# drop loses every dirty block; blocks and torn some, not all
	if [ "$mode" = drop ]; then
		if [ "$lw" -eq 0 ] || [ $((lb * 4096)) != "$dirty" ]; then
			fail "$fs: drop lost $lw writes, $lb blocks of $dirty dirty bytes"
		fi
	elif [ "$lw" -eq 0 ] || [ "$lb" -eq 0 ] || [ $((lb * 4096)) -ge "$dirty" ]; then
		fail "$fs: $mode lost $lw writes, $lb blocks of $dirty dirty bytes: not a part"
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
	log "$fs $mode seed $seed: $flushes flushes, then $dirty bytes dirty, lost $lw writes ($lb blocks); 12 fsync'd files intact; checker clean"
	del_disk "$name"
}

# The debug kernel (KASAN, ten times slower) runs one round, for CI's time.
round ext4 128M torn 3
case $(uname -r) in
*-zcblk-debug) ;;
*)
	round ext4 128M drop 0
	round ext4 128M blocks 1 ;;
esac
# xfsprogs is in install-deps.sh; the debug kernel (defconfig) has no xfs.
if ! command -v mkfs.xfs >/dev/null || ! command -v xfs_repair >/dev/null; then
	fail "mkfs.xfs or xfs_repair not installed (make deps installs them)"
elif ! modprobe xfs 2>/dev/null && ! grep -qw xfs /proc/filesystems; then
	case $(uname -r) in
	*-zcblk-debug) log "this kernel has no xfs: xfs rounds not run" ;;
	*) fail "$(uname -r) has no xfs: the xfs rounds cannot run" ;;
	esac
else
	round xfs 320M blocks 5
	round xfs 320M torn 6
fi
exit $KSFT_PASS
