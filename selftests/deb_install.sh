#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Debian packages of `make deb` (build/deb/) as a user installs them:
# `apt-get install ./build/deb/*.deb` makes DKMS build zcblk.ko for the
# running kernel and install it in /lib/modules/<rel>/updates/dkms;
# `modprobe zcblk` loads that one; the packaged zcblkctl makes a mem disk
# that fio's io_uring_cmd engine writes and verifies through its char
# device and io_uring through its block device; a program built with
# `pkg-config --cflags --libs zcblk` against libzcblk-dev (install_prog.c,
# linked to the packaged libzcblk.so.1) runs; `apt-get purge` leaves the
# directories the packages and DKMS touch as they were, file for file.
# The guest's root is an overlay on a tmpfs: nothing reaches the host.
. "$(dirname "$0")/lib.sh"

need apt-get dkms fio pkg-config cc
rel=$(uname -r)
mapfile -t debs < <(ls "$PWD"/build/deb/*.deb 2>/dev/null)
[ ${#debs[@]} -ge 4 ] || fail "no packages in build/deb: make deb (make check does)"
[ -e "/lib/modules/$rel/build/Makefile" ] ||
	fail "no headers for $rel at /lib/modules/$rel/build (make deps)"
! dpkg-query -W -f='${db:Status-Status}' zcblk-dkms 2>/dev/null | grep -qx installed ||
	fail "zcblk-dkms is installed already"
pkgs=(zcblk-dkms zcblk-tools libzcblk1 libzcblk-dev)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)

# DKMS builds for the running kernel and the newest one in /boot; on a
# user's machine they are usually the same. Here /boot is the host's:
# hide it, so that the guest compiles the module once, under TCG.
mount -t tmpfs zcblk-boot /boot || fail "mount tmpfs on /boot"
echo "mount /boot" >>"$ZCBLK_UNDO"
# man-db's trigger rebuilds the whole manual index: a minute of TCG for
# nothing this test looks at (the guest's /var is a tmpfs overlay).
rm -f /var/lib/man-db/auto-update

# The harness loaded the tree's zcblk.ko: the packaged one replaces it.
if [ -d /sys/module/zcblk ]; then
	rmmod zcblk || fail "rmmod zcblk (the harness's module)"
fi

# The directories the packages, dpkg and DKMS write to, a file per line,
# but DKMS's module signing key: made at its first build on a machine,
# for every DKMS module (and enrolled for Secure Boot), it stays.
# virtiofsd keeps a file descriptor per inode the guest holds, and may
# not raise its limit above the shell's (20000 on these machines): walk
# a directory at a time and let the guest forget the inodes after each.
snapshot() {
	local d
	for d in /usr/src:2 /etc:2 /usr/include:2 "/usr/lib/$multiarch:2" \
		 /usr/lib/debug/.build-id:9 /usr/share/doc:2 \
		 /usr/share/man/man3:1 /usr/share/man/man8:1 \
		 /usr/share/bash-completion/completions:1 /usr/sbin:1 \
		 /var/lib/dkms:9 /var/lib/dpkg/info:1 "/lib/modules/$rel:9"; do
		find "${d%:*}" -xdev -maxdepth "${d##*:}" 2>/dev/null
		echo 2 >/proc/sys/vm/drop_caches
	done | LC_ALL=C sort | grep -vx '/var/lib/dkms/mok\.\(key\|pub\)'
}
snapshot >"$TMP/before"

test_cleanup() {
	[ -d /sys/module/zcblk ] && rmmod zcblk 2>/dev/null
	dpkg-query -W zcblk-dkms >/dev/null 2>&1 &&
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${pkgs[@]}" \
			>/dev/null 2>&1
	return 0
}

start=$SECONDS
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y \
	"${debs[@]}" >"$TMP/apt.log" 2>&1; then
	sed 's/^/#   /' "$TMP/apt.log"
	find /var/lib/dkms -name make.log -exec sed 's/^/#   /' {} +
	fail "apt-get install ./build/deb/*.deb"
fi
log "apt-get install: $((SECONDS - start)) s (DKMS built the module for $rel)"
for p in "${pkgs[@]}"; do
	st=$(dpkg-query -W -f='${Version} ${db:Status-Status}' "$p" 2>/dev/null)
	[ "${st#* }" = installed ] || fail "$p: not installed ($st)"
done
dkms status -m zcblk -k "$rel" | grep -q ": installed" ||
	fail "dkms status: $(dkms status -m zcblk 2>&1)"

ko=$(modinfo -n zcblk 2>/dev/null)
case $ko in
"/lib/modules/$rel/updates/dkms/zcblk.ko"*) ;;
*) fail "modinfo -n zcblk: '$ko', not DKMS's /lib/modules/$rel/updates/dkms" ;;
esac
modprobe zcblk || fail "modprobe zcblk"
[ "$(cat /sys/module/zcblk/version)" = "$(dpkg-query -W -f='${Version}' zcblk-dkms)" ] ||
	fail "loaded zcblk $(cat /sys/module/zcblk/version), package $(dpkg-query -W -f='${Version}' zcblk-dkms)"
log "modprobe zcblk: $ko"

ZCBLKCTL=/usr/sbin/zcblkctl
[ "$(command -v zcblkctl)" = "$ZCBLKCTL" ] || fail "zcblkctl is not the packaged one"
name=$(add_disk --backend mem --size 64M --block-size 4096)
for target in "/dev/${name}c --ioengine=io_uring_cmd --cmd_type=nvme" \
	      "/dev/$name --ioengine=io_uring --direct=1"; do
	# shellcheck disable=SC2086 # the engine's options are words
	fio --name=deb --filename=$target --rw=randwrite --bs=4k --size=8M \
		--iodepth=16 --verify=crc32c --verify_fatal=1 --do_verify=1 \
		--output="$TMP/fio.out" >/dev/null 2>&1 ||
		{ sed 's/^/#   /' "$TMP/fio.out"; fail "fio on ${target%% *}"; }
	grep -q "err= 0" "$TMP/fio.out" || fail "fio on ${target%% *}: $(cat "$TMP/fio.out")"
	log "fio verify on ${target%% *}: ok"
done

# A user's program against libzcblk-dev, dynamically linked.
cflags=$(pkg-config --cflags zcblk) || fail "pkg-config --cflags zcblk"
libs=$(pkg-config --libs zcblk) || fail "pkg-config --libs zcblk"
# shellcheck disable=SC2086 # pkg-config's output is words
cc -Wall -Wextra -Werror -O2 $cflags -o "$TMP/prog" selftests/install_prog.c $libs \
	>"$TMP/cc.log" 2>&1 || { sed 's/^/#   /' "$TMP/cc.log"; fail "cc install_prog.c \$(pkg-config zcblk)"; }
so=$(ldd "$TMP/prog" | sed -n 's/^[[:space:]]*libzcblk\.so\.1 => \([^ ]*\) .*/\1/p')
[ "$(readlink -f "${so:-/nonexistent}")" = "/usr/lib/$multiarch/libzcblk.so.1" ] ||
	fail "install_prog is not linked to the packaged libzcblk.so.1: $(ldd "$TMP/prog")"
"$TMP/prog" || fail "install_prog (pkg-config zcblk) exited $?"
log "a program built with pkg-config zcblk: ok"

del_disk "$name"
dpkg -L "${pkgs[@]}" >"$TMP/files" || fail "dpkg -L"
rmmod zcblk || fail "rmmod zcblk"
if ! DEBIAN_FRONTEND=noninteractive apt-get purge -y "${pkgs[@]}" \
	>"$TMP/apt.log" 2>&1; then
	sed 's/^/#   /' "$TMP/apt.log"
	fail "apt-get purge"
fi
snapshot >"$TMP/after"
if ! diff -u "$TMP/before" "$TMP/after" >"$TMP/diff"; then
	sed 's/^/#   /' "$TMP/diff"
	fail "apt-get purge left the files above behind (+) or took others (-)"
fi
# What the packages held, wherever it was (the directories are shared).
while read -r f; do
	[ -d "$f" ] || { [ ! -e "$f" ] && [ ! -L "$f" ]; } || fail "$f is still there"
done <"$TMP/files"
[ ! -e "$ko" ] || fail "$ko is still there"
log "apt-get purge: nothing left behind"
