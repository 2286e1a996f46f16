#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`, inside the VM: a 256 MiB mem disk made with zcblkctl, a
# fio write-then-verify job on it, and the disk deleted again.
set -eu
build=${ZCBLK_BUILD:-build}
ctl=$build/userlib/zcblkctl
mod=${ZCBLK_MODULE:-$build/kmod/$(uname -r)/kernel/zcblk.ko}

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

echo "zcblk demo on Linux $(uname -r)"
step insmod "$mod"
insmod "$mod"
step zcblkctl add --backend mem --size 256M
name=$("$ctl" add --backend mem --size 256M)
echo "$name"
for _ in $(seq 50); do [ -b "/dev/$name" ] && break; sleep 0.1; done
step zcblkctl list
"$ctl" list
step fio --name=demo --filename=/dev/"$name" --ioengine=io_uring --direct=1 \
	--rw=randwrite --bs=4k --iodepth=16 --size=32M --verify=crc32c
fio --name=demo --filename=/dev/"$name" --ioengine=io_uring --direct=1 \
	--rw=randwrite --bs=4k --iodepth=16 --size=32M --verify=crc32c \
	--verify_fatal=1
step zcblkctl list
"$ctl" list
step zcblkctl del "${name#zcblk}"
"$ctl" del "${name#zcblk}"
"$ctl" list
step rmmod zcblk
rmmod zcblk
echo
echo "demo finished: fio wrote 32 MiB through /dev/$name and read it back verified"
