#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# On a kmemleak kernel, after the tests whose leaks it judges and before
# anything unloads zcblk: no new unreferenced object at all. The runner
# recorded a scan's suspects before zcblk loaded (the baseline) and
# cleared them, which kmemleak then never reports again (painted grey);
# every object reported now fails the test, whoever allocated it (an
# address filter on the baseline would hide a new leak at a freed
# suspect's address): a leaked blk-mq or io_uring object
# need not have a zcblk frame in its trace. Each is attributed: "zcblk"
# when a frame names the module or lies in its text (module addresses
# print as bare hex once symbols are gone), else "kernel".
. "$(dirname "$0")/lib.sh"
km=/sys/kernel/debug/kmemleak
base=/run/zcblk-kmemleak.baseline
[ -w $km ] || skip "kernel without kmemleak"
[ -r $base ] || fail "no baseline ($base): run by selftests/run_tests.sh"
[ -d /sys/module/zcblk ] ||
	fail "zcblk is not loaded: scan before anything unloads it"

# zcblk's core text, [start, end): frames there are ours even unnamed.
read -r size < /sys/module/zcblk/coresize
read -r start < /sys/module/zcblk/sections/.text
[ "$start" != 0x0000000000000000 ] ||
	fail "module addresses hidden (kptr_restrict?)"
log "zcblk text from $start, core size $size"

# Objects freed by RCU or a worker need a moment; two scans, as advised.
# A kmemleak that turned itself off (out of memory for its metadata)
# refuses the scans: that is no "0 leaks".
sleep 5
echo scan >$km || fail "kmemleak refused a scan (disabled?)"
sleep 5
echo scan >$km || fail "kmemleak refused a scan (disabled?)"
cat $km >"$TMP/leaks" || fail "cannot read $km"
n=$(grep -c '^unreferenced object' "$TMP/leaks" || true)
log "$n unreferenced objects reported in all, $(wc -l <$base) in the baseline"
lo=$((start)) hi=$((start + size))

# judge: print the report in $r, tagged with who allocated it. Bash's
# signed 64-bit compare is right for a range inside the kernel's top half.
new='' r=''
judge() {
	local who=kernel w
	[ -n "$r" ] || return 0
	if [[ $r == *"[zcblk]"* || $r == *zcblk_* ]]; then who=zcblk
	else
		for w in ${r//[][<>]/ }; do
			[[ $w =~ ^(0x)?[0-9a-f]{16}$ ]] || continue
			w=0x${w#0x}
			if ((w >= lo && w < hi)); then who=zcblk; break; fi
		done
	fi
	new+="[$who] $r"
}
while IFS= read -r l; do
	if [[ $l == "unreferenced object "* ]]; then
		judge
		r=''
	fi
	r+="$l"$'\n'
done <"$TMP/leaks"
judge
if [ -n "$new" ]; then
	printf '%s\n' "$new" | sed 's/^/# /'
	fail "kmemleak reports $(grep -c 'unreferenced object' <<<"$new") new unreferenced objects"
fi
exit $KSFT_PASS
