#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A metadata format from the command line (Documentation/integrity.rst):
# zcblkctl add --metadata-size makes a char-device-only disk (its name is
# the char device's; show and -j say the format); nvme-cli 2.3 sees six
# LBA formats with 512+8 in use and MC 3, and `nvme write/read -M -y`
# carry 4 blocks' data and their 32 bytes of separate metadata, read back
# byte-exact; the formats the kernel refuses exit 2 with its message.
# Nothing stays pinned.
. "$(dirname "$0")/lib.sh"
need nvme python3 cmp

pins_before=$(vmstat_pins)

name=$(add_disk --backend mem --size 16M --metadata-size 8)
[ "$name" = "${name%c}c" ] || fail "add printed $name, want a char device"
chr=/dev/$name
udev_settle "$chr"
idx=${name#zcblk}
idx=${idx%c}
[ ! -e "/dev/zcblk$idx" ] || fail "/dev/zcblk$idx exists"
"$ZCBLKCTL" show -j "$idx" >"$TMP/show.json" || fail "show -j $idx"
python3 - "$TMP/show.json" <<'PY' || fail "show -j: $(cat "$TMP/show.json")"
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(not (d["metadata_size"] == 8 and d["extended_lba"] is False
              and d["disk_name"] is None))
PY
"$ZCBLKCTL" show "$idx" | grep -q "metadata *8 bytes a block, separate" ||
	fail "show: no metadata line"

nv id-ns "$chr" -o json
python3 - "$TMP/out" <<'PY' || fail "id-ns: $(cat "$TMP/out")"
import json, sys
d = json.load(open(sys.argv[1]))
want = [(0, 9), (8, 9), (16, 9), (0, 12), (8, 12), (64, 12)]
got = [(f["ms"], f["ds"]) for f in d["lbafs"]]
sys.exit(not (d["nlbaf"] == 5 and d["flbas"] == 1 and d["mc"] == 3 and
              d["dps"] == 0 and got == want))
PY
log "id-ns: six formats, 512+8 in use, MC 3"

head -c 2048 /dev/urandom >"$TMP/data"
head -c 32 /dev/urandom >"$TMP/md"
nv write "$chr" --start-block=8 --block-count=3 --data-size=2048 \
	--data="$TMP/data" --metadata-size=32 --metadata="$TMP/md"
nv read "$chr" --start-block=8 --block-count=3 --data-size=2048 \
	--data="$TMP/data.r" --metadata-size=32 --metadata="$TMP/md.r"
cmp "$TMP/data" "$TMP/data.r" || fail "read data differs"
cmp "$TMP/md" "$TMP/md.r" || fail "read metadata differs"
log "nvme write/read -M -y: 4 blocks and 32 bytes of metadata read back"
del_disk "zcblk$idx"

# refused MESSAGE ARGS...: zcblkctl add exits 2 with MESSAGE.
refused() {
	local msg=$1 rc
	shift
	"$ZCBLKCTL" add "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc -eq 2 ] || fail "add $*: exit $rc, want 2"
	[ "$(<"$TMP/err")" = "zcblkctl: $msg" ] ||
		fail "add $*: \"$(<"$TMP/err")\", want \"zcblkctl: $msg\""
	log "add $*: $msg"
}
refused "Invalid argument: metadata-size: 8 or 16 with block-size 512, 8 or 64 with 4096" \
	--backend mem --size 16M --metadata-size 64
refused "Invalid argument: flags: extended-lba needs metadata-size" \
	--backend mem --size 16M --extended-lba
truncate -s 16M "$TMP/img"
refused "Operation not supported: metadata-size: the file backend keeps no metadata" \
	--backend file --path "$TMP/img" --buffered --metadata-size 8

pins_after=$(vmstat_pins)
[ "$pins_after" -eq "$pins_before" ] ||
	fail "FOLL_PIN balance moved: $pins_before -> $pins_after"
exit $KSFT_PASS
