#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A mem disk keeps what is written to it: fio writes random data with
# crc32c checksums and reads it back through io_uring and libaio, for 4k
# and 128k blocks at queue depth 1 and 32.
. "$(dirname "$0")/lib.sh"
need fio

# A quarter of the data on the debug kernel (ZCBLK_DEBUG=1), whose KASAN
# makes fio's I/O most of this test's time there.
fsize=16
[ "${ZCBLK_DEBUG:-0}" = 1 ] && fsize=4
dev=/dev/$(add_disk --backend mem --size 64M --nr-queues 2)
for engine in io_uring libaio; do
	for bs in 4k 128k; do
		for qd in 1 32; do
			# A different seed each run: data differs per run and per block.
			run_fio "mem-$engine-$bs-qd$qd" --filename="$dev" \
				--ioengine=$engine --direct=1 --rw=randwrite \
				--bs=$bs --iodepth=$qd --size=${fsize}M \
				--offset=$((RANDOM % 32))M \
				--randseed=$RANDOM --verify=crc32c \
				--verify_fatal=1 --do_verify=1
		done
	done
done
exit $KSFT_PASS
