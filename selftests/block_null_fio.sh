#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A null disk's block device takes fio random read/write through io_uring
# and libaio, with no errors.
. "$(dirname "$0")/lib.sh"
need fio

# A quarter of the I/O on the debug kernel (ZCBLK_DEBUG=1): KASAN's.
ios=20000
[ "${ZCBLK_DEBUG:-0}" = 1 ] && ios=5000
dev=/dev/$(add_disk --backend null --size 1G --nr-queues 2 --queue-depth 64)
for engine in io_uring libaio; do
	run_fio "null-$engine" --filename="$dev" --ioengine=$engine --direct=1 \
		--rw=randrw --bs=4k --iodepth=32 --number_ios=$ios
done
exit $KSFT_PASS
