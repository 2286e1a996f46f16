#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# soak (`make soak DURATION=<s>`, not in CI): for ZCBLK_SOAK_SECONDS
# (default 600), fio crc32c-verify jobs on the char and block paths of
# three disks (mem with plain and registered buffers, mem through the
# block device, file over brd through both) while their completion mode
# and added latency change every few seconds; a fourth disk takes mixed
# I/O while error injection turns on and off; and disks are added,
# verified and deleted in a loop. Passes when every verify job finished
# without a verify or I/O error, the injected disk saw its errors, the
# added disks all verified, and every disk's pins balance. run_tests.sh
# adds the system pin balance, the splat and the leftover checks.
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/lib.sh"

need fio
secs=${ZCBLK_SOAK_SECONDS:-600}
end=$((SECONDS + secs))

# shellcheck disable=SC2317 # called from lib.sh's cleanup
test_cleanup() {
	local p
	for p in $(jobs -p); do kill "$p" 2>/dev/null; done
	wait
	[ -n "${brd:-}" ] && rmmod brd 2>/dev/null
	return 0
}

[ -e /sys/module/brd ] && skip "brd already loaded"
modprobe brd rd_nr=1 rd_size=131072 || skip "no brd module"
brd=1
udev_settle /dev/ram0

a=$(add_disk --backend mem --size 256M --block-size 4096 --poll-queues 1)
b=$(add_disk --backend mem --size 128M --block-size 512)
f=$(add_disk --backend file --path /dev/ram0)
e=$(add_disk --backend mem --size 64M --block-size 4096)
log "verify disks $a $b $f, injection on $e, for $secs s"

# vjob NAME FILE ENGINE ARGS...: a time-based random-write verify job in
# the background, its output in $TMP/NAME.out and exit status in .rc.
vjob() {
	local n=$1 file=$2 engine=$3
	shift 3
	( fio --name="$n" --filename="$file" --ioengine="$engine" \
		--rw=randwrite --iodepth=16 --verify=crc32c \
		--verify_backlog=128 --verify_fatal=1 --time_based \
		--runtime="$secs" --output-format=normal "$@" \
		>"$TMP/$n.out" 2>&1
	  echo $? >"$TMP/$n.rc" ) &
}
pt=(--cmd_type=nvme)
vjob a-char "/dev/${a}c" io_uring_cmd "${pt[@]}" --bsrange=4k-128k \
	--size=96M
vjob a-fixed "/dev/${a}c" io_uring_cmd "${pt[@]}" --fixedbufs=1 \
	--bsrange=4k-64k --offset=96M --size=96M
vjob a-hipri "/dev/${a}c" io_uring_cmd "${pt[@]}" --hipri=1 --bs=4k \
	--offset=192M --size=64M
vjob b-block "/dev/$b" io_uring --direct=1 --bsrange=512-64k --size=128M
vjob f-char "/dev/${f}c" io_uring_cmd "${pt[@]}" --bsrange=512-128k \
	--size=64M
vjob f-block "/dev/$f" libaio --direct=1 --bsrange=4k-64k --offset=64M \
	--size=64M
# Injected errors are the point here: no verify, errors counted.
for n in char block; do
	dev=/dev/$e engine=(--ioengine=io_uring --direct=1)
	[ $n = char ] && dev=/dev/${e}c engine=(--ioengine=io_uring_cmd "${pt[@]}")
	( fio --name="e-$n" --filename="$dev" "${engine[@]}" --rw=randrw \
		--bs=4k --iodepth=8 --continue_on_error=all --time_based \
		--runtime="$secs" >"$TMP/e-$n.out" 2>&1 ) &
done

# A disk that comes and goes, verified on both paths meanwhile.
(
	added=0
	while [ $((SECONDS + 30)) -lt "$end" ]; do
		added=$((added + 1))
		n=$(add_disk --backend mem --size 32M --block-size 4096)
		run_fio "add$added-char" --filename="/dev/${n}c" \
			--ioengine=io_uring_cmd "${pt[@]}" --rw=randwrite \
			--bs=4k --iodepth=8 --size=8M --verify=crc32c \
			--verify_fatal=1 --do_verify=1
		run_fio "add$added-block" --filename="/dev/$n" \
			--ioengine=io_uring --direct=1 --rw=randwrite --bs=16k \
			--iodepth=8 --offset=16M --size=8M --verify=crc32c \
			--verify_fatal=1 --do_verify=1
		load_stats "$n"
		[ "${ST[pinned_pages]}" = "${ST[unpinned_pages]}" ] ||
			fail "$n: pins ${ST[pinned_pages]} != ${ST[unpinned_pages]}"
		del_disk "$n"
		echo "$added" >"$TMP/added"
	done
) &
addel=$!

# Settings change under the verify jobs; injection toggles on $e.
modes=(inline softirq timer)
round=0
while [ $SECONDS -lt "$end" ]; do
	round=$((round + 1))
	for d in "$a" "$b" "$f"; do
		m=${modes[$(((round + ${d#zcblk}) % 3))]}
		"$ZCBLKCTL" set "$d" --completion "$m" --completion-ns 20000 \
			--latency-ns $(((round % 4) * 25000)) ||
			fail "zcblkctl set $d --completion $m"
	done
	if [ $((round % 2)) = 1 ]; then
		"$ZCBLKCTL" set "$e" --fail-every $((5 + round % 20)) ||
			fail "zcblkctl set $e --fail-every"
	else
		"$ZCBLKCTL" set "$e" --fail-every 0 || fail "set $e off"
	fi
	sleep 2
done
wait "$addel" || fail "the add/verify/delete loop failed"
wait
added=$(cat "$TMP/added" 2>/dev/null || echo 0)
for n in char block; do
	log "e-$n: $(grep -Eo '(READ|WRITE): bw=[^ ]+|err=[ ]*[0-9]+[^)]*' "$TMP/e-$n.out" | tr '\n' ' ')"
done

bad=0
for n in a-char a-fixed a-hipri b-block f-char f-block; do
	rc=$(cat "$TMP/$n.rc" 2>/dev/null || echo lost)
	if [ "$rc" != 0 ] || grep -q -E 'err=[ ]*[1-9]|verify: bad' "$TMP/$n.out"; then
		sed 's/^/# /' "$TMP/$n.out"
		log "$n: rc=$rc"
		bad=1
	else
		log "$n: ok, $(grep -Eo 'WRITE: bw=[^ ]+|io=[^ ,]+' "$TMP/$n.out" | tr '\n' ' ')"
	fi
done
[ "$bad" = 0 ] || fail "a verify job failed"

for d in "$a" "$b" "$f" "$e"; do
	load_stats "$d"
	log "$d: reads ${ST[read_cmds]} writes ${ST[write_cmds]} pinned ${ST[pinned_pages]} unpinned ${ST[unpinned_pages]} injected ${ST[injected]}"
	if [ "${ST[pinned_pages]}" != "${ST[unpinned_pages]}" ] ||
		[ "${ST[pinned_current]}" != 0 ]; then
		fail "$d: pins do not balance"
	fi
done
[ "${ST[injected]}" -gt 0 ] || fail "$e: no error was injected"
log "soak: $secs s, $round setting rounds, $added disks added, verified and deleted"
exit "$KSFT_PASS"
