#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The max_disks module parameter bounds disk indexes (admin-guide.rst).
# zcblk reloaded with max_disks=3: features reports max_devs 3; three adds
# without --index take 0, 1 and 2; a fourth fails with ENOSPC and "no free
# index" (exit 2); --index 3 fails with ERANGE and the parameter named; a
# deleted index is taken again. max_disks=0 and 65537 refuse to load with
# EINVAL. Last zcblk is loaded as before, max_devs 65536 again.
#
# Needs root and $ZCBLK_MODULE; no zcblk disk may exist. Exit: 0 pass,
# 1 fail, 4 skip.
. "$(dirname "$0")/lib.sh"
mod=${ZCBLK_MODULE:-}
[ -f "$mod" ] || skip "ZCBLK_MODULE not set"
need python3

# reload [PARAM]: zcblk unloaded, then loaded with PARAM.
reload() {
	if [ -d /sys/module/zcblk ]; then
		rmmod zcblk || fail "rmmod zcblk"
	fi
	insmod "$mod" "$@"
}

# Whatever happens, zcblk is left loaded as the next test expects it.
# shellcheck disable=SC2317 # called from lib.sh's cleanup
test_cleanup() {
	if [ "$(cat /sys/module/zcblk/parameters/max_disks 2>/dev/null)" != 65536 ]; then
		rmmod zcblk 2>/dev/null
		insmod "$mod"
	fi
}

max_devs() {
	"$ZCBLKCTL" features -j | python3 -c 'import json, sys; print(json.load(sys.stdin)["max_devs"])'
}

# expect_fail WHAT TEXT ARGS...: zcblkctl ARGS exits 2 saying exactly TEXT.
expect_fail() {
	local what=$1 want=$2 out rc
	shift 2
	out=$("$ZCBLKCTL" "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne 2 ] || [ "$out" != "$want" ]; then
		fail "$what: exit $rc, \"$out\"; want exit 2, \"$want\""
	fi
}

for bad in 0 65537; do
	rmmod zcblk 2>/dev/null
	out=$(insmod "$mod" max_disks=$bad 2>&1) &&
		fail "max_disks=$bad loaded"
	case $out in
	# insmod's words for EINVAL: kmod's (6.1's Debian) or strerror's.
	*"Invalid parameters"* | *"Invalid argument"*) ;;
	*) fail "max_disks=$bad: $out (want EINVAL)" ;;
	esac
	dmesg | tail -n 3 | grep -q "zcblk: max_disks: 1 to 65536" ||
		fail "max_disks=$bad: no reason in the kernel log"
done

reload max_disks=3 || fail "insmod max_disks=3"
[ "$(cat /sys/module/zcblk/parameters/max_disks)" = 3 ] ||
	fail "/sys/module/zcblk/parameters/max_disks: $(cat /sys/module/zcblk/parameters/max_disks)"
[ "$(max_devs)" = 3 ] || fail "features: max_devs $(max_devs), want 3"
for i in 0 1 2; do
	d=$(add_disk --backend null --size 4M)
	[ "$d" = "zcblk$i" ] || fail "add $i gave $d"
done
expect_fail "a fourth add" \
	"zcblkctl: No space left on device: no free index" \
	add --backend null --size 4M
expect_fail "add --index 3" \
	"zcblkctl: Numerical result out of range: index: not below the max_disks module parameter" \
	add --backend null --size 4M --index 3
del_disk zcblk1
d=$(add_disk --backend null --size 4M)
[ "$d" = zcblk1 ] || fail "the freed index 1 not taken again: $d"
for i in 0 1 2; do
	del_disk "zcblk$i"
done

reload || fail "insmod without parameters"
[ "$(max_devs)" = 65536 ] || fail "features: max_devs $(max_devs) after the reload"
log "max_disks=3: indexes 0..2, then ENOSPC; 0 and 65537 refused; 65536 again"
exit $KSFT_PASS
