#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A mem disk keeps what is written to it: fio writes random data with
# crc32c checksums and reads it back through io_uring and libaio, for 4k
# and 128k blocks at queue depth 1 and 32 (on the debug kernel, the half
# of those runs in which every pair of the three still meets).
. "$(dirname "$0")/lib.sh"
need fio

# engine:block size:queue depth, every combination.
runs="io_uring:4k:1 io_uring:4k:32 io_uring:128k:1 io_uring:128k:32
      libaio:4k:1 libaio:4k:32 libaio:128k:1 libaio:128k:32"
fsize=16
# On the debug kernel (ZCBLK_DEBUG=1), whose KASAN makes fio's I/O most of
# this test's time there: a quarter of the data, and half the runs, in
# which each pair of engine, block size and depth still meets.
if [ "${ZCBLK_DEBUG:-0}" = 1 ]; then
	fsize=4
	runs="io_uring:4k:1 io_uring:128k:32 libaio:4k:32 libaio:128k:1"
fi
dev=/dev/$(add_disk --backend mem --size 64M --nr-queues 2)
for r in $runs; do
	IFS=: read -r engine bs qd <<<"$r"
	# A different seed each run: data differs per run and per block.
	run_fio "mem-$engine-$bs-qd$qd" --filename="$dev" \
		--ioengine="$engine" --direct=1 --rw=randwrite \
		--bs="$bs" --iodepth="$qd" --size=${fsize}M \
		--offset=$((RANDOM % 32))M \
		--randseed=$RANDOM --verify=crc32c \
		--verify_fatal=1 --do_verify=1
done
exit $KSFT_PASS
