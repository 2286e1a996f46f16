#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`, inside the VM: a 256 MiB mem disk made with zcblkctl, a
# fio write-then-verify job on its block device and one on its char device
# (NVMe passthrough), its counters, and the disk deleted again.
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
# The passthrough path: NVMe Reads and Writes as io_uring uring_cmds on the
# char device, the user's pages pinned (FOLL_PIN) for each, no copy.
step fio --name=demo-pt --filename=/dev/"${name}c" --ioengine=io_uring_cmd \
	--cmd_type=nvme --rw=randwrite --bs=4k --iodepth=16 --size=32M \
	--offset=64M --verify=crc32c
fio --name=demo-pt --filename=/dev/"${name}c" --ioengine=io_uring_cmd \
	--cmd_type=nvme --rw=randwrite --bs=4k --iodepth=16 --size=32M \
	--offset=64M --verify=crc32c --verify_fatal=1
step zcblkctl stats "${name#zcblk}"
stats=$("$ctl" stats "${name#zcblk}")
echo "$stats"
# Every page pinned for a passthrough command was unpinned at its end.
awk '$1 == "pinned_pages" { p = $2 } $1 == "unpinned_pages" { u = $2 }
     END { if (p != u || p == 0) { print "pins unbalanced: " p " " u; exit 1 }
	   print "pins balanced: " p " pinned, " u " unpinned" }' \
	<<<"$stats"
step zcblkctl list
"$ctl" list
step zcblkctl del "${name#zcblk}"
"$ctl" del "${name#zcblk}"
step zcblkctl list
"$ctl" list
step rmmod zcblk
rmmod zcblk
echo
echo "demo finished: fio wrote 32 MiB through /dev/$name and 32 MiB through"
echo "/dev/${name}c (NVMe passthrough) and read both back verified"
