#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# nvme-cli, unmodified, drives a zcblk char device /dev/zcblk<N>c as it
# would an NVMe generic device /dev/ngXnY: id-ctrl, id-ns, ns-descs,
# list-ns, get-feature and smart-log describe the disk truthfully; data
# written with `nvme write` reads back with `nvme read` and through the
# block device; with -z larger than the blocks, one block is written and
# read; flush works; copy moves two ranges (id-ctrl's oncs and ocfs,
# id-ns's mssrl, mcl, msrc offer it) and refuses entry format 1; verify passes over written blocks and fails with
# 0x4281 over one made uncorrectable with write-uncor, until rewritten;
# write-zeroes and dsm --ad (deallocate) leave zeros
# (read with io-passthru into a buffer filled with 0xa5 first: nvme read
# zeroes its buffer, so zeros read with it prove nothing), and
# deallocating frees a mem disk's pages. On 512- and 4096-byte block
# disks; nothing stays pinned afterwards.
. "$(dirname "$0")/lib.sh"
need nvme python3 cmp dd

# nvread DEV ARGS...: nvme read DEV ARGS into $TMP/back (nvme-cli 2.3
# opens its data file without O_TRUNC: start from no file).
nvread() {
	rm -f "$TMP/back"
	nv read "$@" -d "$TMP/back"
}

# pfread DEV SLBA NBLOCKS BS: a Read of NBLOCKS at SLBA through nvme
# io-passthru, its buffer filled with 0xa5 before, into $TMP/back.
pfread() {
	rm -f "$TMP/back"
	nvme io-passthru "$1" --opcode=2 --namespace-id=1 \
		--data-len=$(($3 * $4)) --read --cdw10="$2" --cdw12=$(($3 - 1)) \
		--prefill=0xa5 --raw-binary >"$TMP/back" 2>"$TMP/out" ||
		{ sed 's/^/# /' "$TMP/out"; fail "nvme io-passthru read of $3 blocks at $2"; }
}

# jget KEY...: the value at KEY/KEY/... (numbers index arrays) in the
# JSON in $TMP/out; strings have their padding stripped.
jget() {
	python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v.strip() if isinstance(v, str) else v)
' "$TMP/out" "$@"
}

pins_before=$(vmstat_pins)

# check_disk NAME BS QUEUES: every check on disk NAME (mem, 16 MiB,
# BS-byte blocks, QUEUES hardware queues in all, poll queues included).
check_disk() {
	local name=$1 bs=$2 nq0=$(($3 - 1)) dev=/dev/$1c blk=/dev/$1 shift=9 nguid
	local lba blocks bytes before after alloc lbaf
	[ "$bs" = 4096 ] && shift=12
	log "$name: $bs-byte blocks"

	nv id-ctrl "$dev" -o json
	[[ $(jget mn) == *zcblk* ]] || fail "$name: id-ctrl mn '$(jget mn)'"
	[ "$(jget mdts)" = 7 ] || fail "$name: id-ctrl mdts $(jget mdts)"
	[ "$(jget nn)" = 1 ] || fail "$name: id-ctrl nn $(jget nn)"
	# Compare, Write Uncorrectable, DSM, Write Zeroes, Verify, Copy
	[ "$(jget oncs)" = $((0x18f)) ] || fail "$name: id-ctrl oncs $(jget oncs)"
	[ "$(jget ocfs)" = 1 ] || fail "$name: id-ctrl ocfs $(jget ocfs)"
	[ "$(jget vwc)" = 0 ] || fail "$name: id-ctrl vwc $(jget vwc)"

	nv id-ns "$dev" -o json
	[ "$(jget nsze)" = $(((16 << 20) / bs)) ] ||
		fail "$name: id-ns nsze $(jget nsze), want $(((16 << 20) / bs))"
	# Nine formats (integrity.rst): 512 is 0, 4096 is 3, no metadata.
	lbaf=0
	[ "$bs" = 4096 ] && lbaf=3
	[ "$(jget nlbaf)" = 8 ] || fail "$name: id-ns nlbaf $(jget nlbaf)"
	[ "$(jget flbas)" = $lbaf ] || fail "$name: id-ns flbas $(jget flbas)"
	[ "$(jget lbafs $lbaf ds)" = $shift ] ||
		fail "$name: id-ns lbaf $lbaf ds $(jget lbafs $lbaf ds), want $shift"
	[ "$(jget lbafs $lbaf ms)" = 0 ] ||
		fail "$name: id-ns lbaf $lbaf ms $(jget lbafs $lbaf ms)"
	# Copy's limits (passthrough.rst)
	[ "$(jget mssrl)/$(jget mcl)/$(jget msrc)" = 4096/65536/127 ] ||
		fail "$name: id-ns mssrl/mcl/msrc $(jget mssrl)/$(jget mcl)/$(jget msrc)"
	nguid=$(jget nguid)
	[[ $nguid =~ ^[0-9a-f]{32}$ && $nguid != 00000000000000000000000000000000 ]] ||
		fail "$name: id-ns nguid '$nguid'"

	nv ns-descs "$dev"
	grep -q "^nguid *: $nguid\$" "$TMP/out" ||
		{ sed 's/^/# /' "$TMP/out"; fail "$name: ns-descs has no nguid $nguid"; }
	grep -Eq '^eui64 *: [0-9a-f]{16}$' "$TMP/out" ||
		{ sed 's/^/# /' "$TMP/out"; fail "$name: ns-descs has no eui64"; }

	nv list-ns "$dev"
	[ "$(cat "$TMP/out")" = "[   0]:0x1" ] ||
		{ sed 's/^/# /' "$TMP/out"; fail "$name: list-ns does not list namespace 1 alone"; }

	# No volatile write cache (vwc 0): WCE clear.
	nv get-feature "$dev" -f 6
	grep -q 'Current value:00000000$' "$TMP/out" ||
		{ sed 's/^/# /' "$TMP/out"; fail "$name: get-feature 6"; }
	# Number of queues (0-based): the disk's hardware queues, poll
	# included. (nvme-cli prints it with "%#010x": no 0x for 0.)
	nv get-feature "$dev" -f 7
	grep -Eq "Current value:(0x)?$(printf '%04x%04x' $nq0 $nq0)\$" "$TMP/out" ||
		{ sed 's/^/# /' "$TMP/out"; fail "$name: get-feature 7, want $3 queues"; }

	# Write 32 KiB of random data at a nonzero LBA; read it back through
	# the char device and through the block device.
	nv smart-log "$dev" -o json
	before=$(jget host_write_commands)
	lba=1000 bytes=32768 blocks=$((32768 / bs))
	head -c $bytes /dev/urandom >"$TMP/data"
	nv write "$dev" -s $lba -c $((blocks - 1)) -z $bytes -d "$TMP/data"
	nv smart-log "$dev" -o json
	after=$(jget host_write_commands)
	[ "$after" = $((before + 1)) ] ||
		fail "$name: smart-log host_write_commands $before -> $after after one write"
	nvread "$dev" -s $lba -c $((blocks - 1)) -z $bytes
	cmp "$TMP/data" "$TMP/back" || fail "$name: nvme read differs from nvme write"
	dd if="$blk" of="$TMP/back" bs="$bs" skip=$lba count=$blocks iflag=direct \
		status=none || fail "$name: dd from $blk"
	cmp "$TMP/data" "$TMP/back" || fail "$name: the block device differs from nvme write"

	nv flush "$dev"

	# Copy (19h): the 32 KiB in two ranges, second half first, to LBA
	# 3000; the copy reads back swapped. An entry format nvme-cli knows
	# but the disk does not offer (1) is Invalid Field, DNR (0x4002).
	nv copy "$dev" --sdlba=3000 --slbs=$((lba + blocks / 2)),$lba \
		--blocks=$((blocks / 2 - 1)),$((blocks / 2 - 1))
	nvread "$dev" -s 3000 -c $((blocks - 1)) -z $bytes
	{ tail -c $((bytes / 2)) "$TMP/data"; head -c $((bytes / 2)) "$TMP/data"; } >"$TMP/swapped"
	cmp "$TMP/swapped" "$TMP/back" || fail "$name: nvme copy: the target differs"
	if nvme copy "$dev" --sdlba=3000 --slbs=$lba --blocks=0 --format=1 \
		>"$TMP/out" 2>&1; then
		fail "$name: nvme copy --format=1 succeeded"
	fi
	grep -q '(0x4002)' "$TMP/out" ||
		{ sed 's/^/# /' "$TMP/out"; fail "$name: nvme copy --format=1: not 0x4002"; }

	# Verify (0Ch): the blocks written verify; one made uncorrectable
	# fails it with Unrecovered Read Error, DNR (0x4281), until written.
	nv verify "$dev" -s $lba -c $((blocks - 1))
	nv write-uncor "$dev" -s $((lba + 1)) -c 0
	if nvme verify "$dev" -s $lba -c $((blocks - 1)) >"$TMP/out" 2>&1; then
		fail "$name: nvme verify over an uncorrectable block succeeded"
	fi
	grep -q '(0x4281)' "$TMP/out" ||
		{ sed 's/^/# /' "$TMP/out"; fail "$name: nvme verify: not 0x4281"; }
	dd if="$TMP/data" of="$TMP/one" bs="$bs" skip=1 count=1 status=none
	nv write "$dev" -s $((lba + 1)) -c 0 -z "$bs" -d "$TMP/one"
	nv verify "$dev" -s $lba -c $((blocks - 1)) -f

	# -z larger than the blocks, as users type it: nvme-cli 2.3 sends
	# data_len = -z (it rounds only a -z too small for -c up), and the
	# device moves the command's one block: LBA 8 gets the file's first
	# block, LBAs 7 and 9 keep theirs; a read returns the block in the
	# first BS bytes of what nvme-cli writes to its file.
	head -c $((4 * bs)) /dev/urandom >"$TMP/old"
	dd if="$TMP/old" of="$blk" bs="$bs" seek=7 count=4 oflag=direct \
		conv=notrunc status=none || fail "$name: dd to $blk"
	head -c $((8 * bs)) /dev/urandom >"$TMP/long"
	nv write "$dev" -s 8 -c 0 -z $((8 * bs)) -d "$TMP/long"
	dd if="$blk" of="$TMP/now" bs="$bs" skip=7 count=4 iflag=direct \
		status=none || fail "$name: dd from $blk"
	{ head -c "$bs" "$TMP/old"; head -c "$bs" "$TMP/long"
	  tail -c $((2 * bs)) "$TMP/old"; } >"$TMP/want"
	cmp "$TMP/want" "$TMP/now" ||
		fail "$name: nvme write -c 0 -z $((8 * bs)) did not write exactly LBA 8"
	nvread "$dev" -s 8 -c 0 -z $((8 * bs))
	cmp -n "$bs" "$TMP/long" "$TMP/back" ||
		fail "$name: nvme read -c 0 -z $((8 * bs)): the first $bs bytes are not LBA 8"
	log "$name: nvme write/read -c 0 -z $((8 * bs)): one block moved ($(stat -c %s "$TMP/back") bytes in nvme-cli's file)"

	# Write Zeroes over the first half: zeros there, the data after.
	nv write-zeroes "$dev" -s $lba -c $((blocks / 2 - 1))
	{ head -c $((bytes / 2)) /dev/zero; tail -c $((bytes / 2)) "$TMP/data"; } >"$TMP/want"
	pfread "$dev" $lba $blocks "$bs"
	cmp "$TMP/want" "$TMP/back" || fail "$name: wrong data after write-zeroes"

	# Deallocate 256 KiB written at 1 MiB: zeros, and the pages freed.
	lba=$(((1 << 20) / bs)) bytes=262144 blocks=$((262144 / bs))
	head -c $bytes /dev/urandom >"$TMP/data"
	nv write "$dev" -s $lba -c $((blocks - 1)) -z $bytes -d "$TMP/data"
	nvread "$dev" -s $lba -c $((blocks - 1)) -z $bytes
	cmp "$TMP/data" "$TMP/back" || fail "$name: 256 KiB read back differs"
	alloc=$(json_field "$name" alloc_bytes)
	nv dsm "$dev" --ad -s $lba -b $blocks
	after=$(json_field "$name" alloc_bytes)
	[ "$after" = $((alloc - bytes)) ] ||
		fail "$name: alloc_bytes $alloc -> $after after deallocating $bytes bytes"
	pfread "$dev" $lba $blocks "$bs"
	cmp -n $bytes /dev/zero "$TMP/back" || fail "$name: deallocated range not zero"
}

d512=$(add_disk --backend mem --size 16M --block-size 512)
d4k=$(add_disk --backend mem --size 16M --block-size 4096 --nr-queues 2 \
	--poll-queues 1)
check_disk "$d512" 512 1
check_disk "$d4k" 4096 3

for name in "$d512" "$d4k"; do
	load_stats "$name"
	[ "${ST[errors]}" = 0 ] || fail "$name: ${ST[errors]} errors counted"
	[ "${ST[pt_inflight]}" = 0 ] || fail "$name: commands still in flight"
	[ "${ST[pinned_current]}" = 0 ] ||
		fail "$name: pinned_current ${ST[pinned_current]}"
	[ "${ST[pinned_pages]}" = "${ST[unpinned_pages]}" ] ||
		fail "$name: pinned_pages ${ST[pinned_pages]} != unpinned_pages ${ST[unpinned_pages]}"
	[ "${ST[pinned_pages]}" -gt 0 ] || fail "$name: nvme-cli's buffers were not pinned"
done
now=$(vmstat_pins)
[ "$now" = "$pins_before" ] || fail "/proc/vmstat pins $now, was $pins_before before the test"
exit $KSFT_PASS
