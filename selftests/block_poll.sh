#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Polled block I/O: fio io_uring with hipri=1 on the block device of disks
# with poll queues completes from ->poll, data intact (mem), no errors
# (null); the queue says it polls.
. "$(dirname "$0")/lib.sh"
need fio

name=$(add_disk --backend mem --size 64M --poll-queues 1)
[ "$(cat "/sys/block/$name/queue/io_poll")" = 1 ] ||
	fail "/sys/block/$name/queue/io_poll is not 1"
for qd in 1 32; do
	run_fio "mem-hipri-qd$qd" --filename="/dev/$name" --ioengine=io_uring \
		--direct=1 --hipri=1 --rw=randwrite --bs=4k --iodepth=$qd \
		--size=16M --randseed=$RANDOM --verify=crc32c --verify_fatal=1 \
		--do_verify=1
done
name=$(add_disk --backend null --size 1G --queues 2 --poll-queues 2)
run_fio null-hipri --filename="/dev/$name" --ioengine=io_uring --direct=1 \
	--hipri=1 --rw=randread --bs=4k --iodepth=32 --number_ios=20000
exit $KSFT_PASS
