#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Polled block I/O: fio io_uring with hipri=1 on the block device of disks
# with poll queues completes from ->poll, data intact (mem), no errors
# (null); the queue says it polls. And the poll path is the one taken:
# zcblk's poll callback ended the requests (debugfs polled), which only
# requests blk-mq sent to a poll hardware queue wait for; without
# REQ_POLLED they would complete as from an interrupt, and io_uring would
# reap them all the same. (blk-mq's own debugfs has no per-queue counters
# on these kernels.)
. "$(dirname "$0")/lib.sh"
need fio

name=$(add_disk --backend mem --size 64M --poll-queues 1)
[ "$(cat "/sys/block/$name/queue/io_poll")" = 1 ] ||
	fail "/sys/block/$name/queue/io_poll is not 1"
p0=0 p1=0
polled "$name" p0
for qd in 1 32; do
	run_fio "mem-hipri-qd$qd" --filename="/dev/$name" --ioengine=io_uring \
		--direct=1 --hipri=1 --rw=randwrite --bs=4k --iodepth=$qd \
		--size=16M --randseed=$RANDOM --verify=crc32c --verify_fatal=1 \
		--do_verify=1
done
# Two runs of 4096 writes and 4096 verify reads each.
polled "$name" p1
[ $((p1 - p0)) -ge 16384 ] ||
	fail "$name: zcblk's poll ended $((p1 - p0)) requests, want 16384"
log "$name: $((p1 - p0)) requests ended by a poll"

name=$(add_disk --backend null --size 1G --nr-queues 2 --poll-queues 2)
p0=0 p1=0
polled "$name" p0
run_fio null-hipri --filename="/dev/$name" --ioengine=io_uring --direct=1 \
	--hipri=1 --rw=randread --bs=4k --iodepth=32 --number_ios=20000
polled "$name" p1
[ $((p1 - p0)) -ge 20000 ] ||
	fail "$name: zcblk's poll ended $((p1 - p0)) requests, want 20000"
log "$name: $((p1 - p0)) requests ended by a poll"
exit $KSFT_PASS
