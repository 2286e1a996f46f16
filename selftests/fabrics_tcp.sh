#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A zcblk disk served over NVMe/TCP by the kernel's own target
# (Documentation/fabrics.rst), between two network namespaces joined by a
# veth pair as two hosts: zcblkctl export makes nvmet's subsystem
# (namespace 1 on /dev/zcblkN, any host) and a TCP port, printing the NQN
# and address; exporting it again and deleting the exported disk are
# refused (exit 2, with the NQN). In the other namespace, nvme connect
# finds the controller (its subsystem NQN, 64 MiB namespace); fio with
# verify runs through the initiator's /dev/nvmeXnY (io_uring) and
# /dev/ngXnY (io_uring_cmd), and zcblk's counters show those I/Os; a read
# failure injected on the zcblk disk (Unrecovered Read Error, 281h)
# reaches the initiator's nvme read as nvmet maps the block layer's
# BLK_STS_MEDIUM: Access Denied (286h). nvme disconnect and zcblkctl
# unexport leave nvmet's configfs without the subsystem and port, the
# disk deletable, no page pinned.
. "$(dirname "$0")/lib.sh"
need nvme fio ip python3

if ! modprobe nvmet-tcp 2>/dev/null || ! modprobe nvme-tcp 2>/dev/null ||
	! modprobe veth 2>/dev/null; then
	skip "no nvmet-tcp, nvme-tcp or veth module"
fi
nvmet=/sys/kernel/config/nvmet
[ -d $nvmet ] || mount -t configfs none /sys/kernel/config
[ -d $nvmet/ports ] || skip "no nvmet configfs"
[ -z "$(ls $nvmet/subsystems)" ] || skip "nvmet already has subsystems"

pins_before=$(vmstat_pins)
name=$(add_disk --backend mem --size 64M)
idx=${name#zcblk}
nqn=nqn.2026-12.local.zcblk:zcblk$idx

# Two hosts: this namespace (the target, 10.77.0.1) and $ns (10.77.0.2).
ns=zcblk-ini-$$
ip netns add "$ns" || fail "ip netns add"
echo "netns $ns" >>"$ZCBLK_UNDO"
ip link add zcblkv0 type veth peer name zcblkv1 || fail "ip link add"
ip link set zcblkv1 netns "$ns"
ip addr add 10.77.0.1/24 dev zcblkv0
ip link set zcblkv0 up
ip netns exec "$ns" ip addr add 10.77.0.2/24 dev zcblkv1
ip netns exec "$ns" ip link set zcblkv1 up
ip netns exec "$ns" ip link set lo up

out=$("$ZCBLKCTL" export "$idx" --addr 10.77.0.1 --port 4420) ||
	fail "export $idx"
echo "export $idx" >>"$ZCBLK_UNDO"
[ "$out" = "zcblk$idx: $nqn on tcp 10.77.0.1:4420" ] || fail "export printed '$out'"
nsdev=$(<"$nvmet/subsystems/$nqn/namespaces/1/device_path")
[ "$nsdev" = "/dev/zcblk$idx" ] || fail "namespace 1: $nsdev"
log "export: $out"

# refused EXIT MESSAGE ARGS...: zcblkctl ARGS exits EXIT with MESSAGE.
refused() {
	local rc=0 want=$1 msg=$2
	shift 2
	"$ZCBLKCTL" "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
	[ $rc -eq "$want" ] || fail "zcblkctl $*: exit $rc, want $want"
	[ "$(<"$TMP/err")" = "$msg" ] ||
		fail "zcblkctl $*: \"$(<"$TMP/err")\", want \"$msg\""
	log "zcblkctl $*: $msg"
}
refused 2 "zcblkctl: zcblk$idx: already exported as $nqn" export "$idx"
refused 2 "zcblkctl: zcblk$idx is exported over NVMe/TCP as $nqn; 'zcblkctl unexport $idx' first" \
	del "$idx"
[ -b "/dev/zcblk$idx" ] || fail "the refused del removed the disk"

nvme_ns() { ip netns exec "$ns" nvme "$@"; }
nvme_ns connect -t tcp -a 10.77.0.1 -s 4420 -n "$nqn" >"$TMP/out" 2>&1 ||
	fail "nvme connect: $(<"$TMP/out")"
echo "nvme $nqn" >>"$ZCBLK_UNDO"
ctrl=
for _ in $(seq 50); do
	for c in /sys/class/nvme/nvme*; do
		[ "$(cat "$c/subsysnqn" 2>/dev/null)" = "$nqn" ] && ctrl=${c##*/}
	done
	[ -n "$ctrl" ] && [ -b "/dev/${ctrl}n1" ] && [ -c "/dev/ng${ctrl#nvme}n1" ] &&
		break
	sleep 0.2
done
blk=/dev/${ctrl}n1 ng=/dev/ng${ctrl#nvme}n1
if [ ! -b "$blk" ] || [ ! -c "$ng" ]; then
	fail "no controller for $nqn ($ctrl)"
fi
[ "$(cat "/sys/class/nvme/$ctrl/transport")" = tcp ] || fail "$ctrl: not tcp"
[ "$(blockdev --getsize64 "$blk")" = $((64 << 20)) ] ||
	fail "$blk: $(blockdev --getsize64 "$blk") bytes"
log "nvme connect: $ctrl ($blk, $ng) on tcp, 64 MiB"

"$ZCBLKCTL" stats -j "$idx" >"$TMP/s0" || fail "stats"
run_fio tcp-blk --filename="$blk" --ioengine=io_uring --direct=1 \
	--rw=randwrite --bs=4k --iodepth=16 --size=16M --randseed=$RANDOM \
	--verify=crc32c --verify_fatal=1 --do_verify=1
run_fio tcp-ng --filename="$ng" --ioengine=io_uring_cmd --cmd_type=nvme \
	--rw=randwrite --bs=4k --iodepth=16 --offset=32M --size=16M \
	--randseed=$RANDOM --verify=crc32c --verify_fatal=1 --do_verify=1
"$ZCBLKCTL" stats -j "$idx" >"$TMP/s1" || fail "stats"
python3 - "$TMP/s0" "$TMP/s1" <<'PY' || fail "zcblk's counters: $(cat "$TMP/s1")"
import json, sys
a, b = (json.load(open(f))[0] for f in sys.argv[1:3])
# two 16 MiB runs of 4 KiB writes, each read back by its verify
w = b["write_bytes"] - a["write_bytes"]
r = b["read_bytes"] - a["read_bytes"]
print(f"# zcblk counted {w} bytes written, {r} read")
sys.exit(not (w >= 32 << 20 and r >= 32 << 20))
PY

"$ZCBLKCTL" set "$idx" --fail-every 1 --fail-ops reads --fail-status 0x281 ||
	fail "set --fail-every"
if nvme_ns read "$ng" --start-block=0 --block-count=0 --data-size=512 \
	--data=/dev/null >"$TMP/out" 2>&1; then
	fail "nvme read succeeded with every read failing"
fi
# nvmet carries the block layer's status: BLK_STS_MEDIUM, Access Denied
grep -Eq "Access Denied.*\(0x[0-9a-f]*286\)" "$TMP/out" ||
	fail "nvme read: $(<"$TMP/out")"
log "injected read failure: $(head -1 "$TMP/out")"
"$ZCBLKCTL" set "$idx" --fail-every 0 || fail "set --fail-every 0"

nvme_ns disconnect -n "$nqn" >"$TMP/out" 2>&1 || fail "nvme disconnect: $(<"$TMP/out")"
sed -i "/^nvme /d" "$ZCBLK_UNDO"
out=$("$ZCBLKCTL" unexport "$idx") || fail "unexport"
sed -i "/^export /d" "$ZCBLK_UNDO"
[ "$out" = "zcblk$idx: $nqn removed" ] || fail "unexport printed '$out'"
[ -z "$(ls $nvmet/subsystems)" ] || fail "subsystems left: $(ls $nvmet/subsystems)"
[ -z "$(ls $nvmet/ports)" ] || fail "ports left: $(ls $nvmet/ports)"
refused 2 "zcblkctl: zcblk$idx: not exported" unexport "$idx"
del_disk "zcblk$idx"
[ "$(vmstat_pins)" = "$pins_before" ] || fail "pins: $(vmstat_pins), were $pins_before"
log "disconnect, unexport: no subsystem or port left; the disk deleted; pins balanced"
exit $KSFT_PASS
