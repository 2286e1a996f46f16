#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# zcblkctl monitor when its socket's buffer overflows: the kernel drops
# what does not fit and the next receive fails with ENOBUFS. monitor must
# say so on stderr, exactly "zcblkctl: events were lost (the socket's
# buffer overflowed)", once per overflow, keep running, and print the
# events that come after. The buffer is made small (net.core.rmem_default
# while monitor starts) and monitor is stopped (SIGSTOP) while 10 disks
# are added and deleted.
#
# Needs root, zcblk.ko loaded, python3. Exit: 0 pass, 1 fail, 4 skip.
. "$(dirname "$0")/lib.sh"

need python3
[ -d /sys/module/zcblk ] || skip "zcblk module not loaded"

rmem=/proc/sys/net/core/rmem_default
old=$(cat "$rmem")
# shellcheck disable=SC2317 # called from lib.sh's cleanup
test_cleanup() {
	echo "$old" >"$rmem"
}
# The sysctl's floor is SOCK_MIN_RCVBUF (about 4.5 KiB): one event fits.
for small in 4096 4608 8192; do
	echo "$small" >"$rmem" 2>/dev/null && break
done
# shellcheck disable=SC2119 # no arguments: none to pass
start_monitor
echo "$old" >"$rmem"
log "monitor's socket made with rmem_default $small (back to $old now)"

kill -STOP "$mon"
for _ in $(seq 10); do
	d=$(add_disk --backend null --size 4M)
	del_disk "$d"
done
kill -CONT "$mon"
# An event after the overflow: monitor must still be there for it.
last=$(add_disk --backend null --size 8M)
for _ in $(seq 300); do
	grep -q "\"$last\"" "$TMP/events" && break
	sleep 0.1
done
kill -INT "$mon"
wait "$mon" || fail "monitor: exit $? after SIGINT: $(cat "$TMP/monitor.err")"
del_disk "$last"

log "events printed: $(wc -l <"$TMP/events"); stderr: $(cat "$TMP/monitor.err")"
want="zcblkctl: events were lost (the socket's buffer overflowed)"
if [ "$(cat "$TMP/monitor.err")" != "$want" ]; then
	fail "stderr is not exactly one line \"$want\": $(cat "$TMP/monitor.err")"
fi
python3 - "$TMP/events" "$last" <<'PY' || fail "events after the overflow"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
# Fewer than the 21 sent (10 adds, 10 deletes, the last add): some were
# dropped; the last one arrived.
ok = len(ev) < 21 and ev[-1]["event"] == "added" and ev[-1]["disk_name"] == sys.argv[2]
print("# %d events, last %s %s" % (len(ev), ev[-1]["event"], ev[-1]["disk_name"]))
sys.exit(0 if ok else 1)
PY

# A reader that never reads: monitor blocks writing its events into the
# full pipe (4 KiB), and SIGTERM must still end it, exit 0. It once kept
# SIGTERM blocked while writing, and only SIGKILL ended it.
python3 - "$ZCBLKCTL" "$TMP/ready2" <<'PY' || fail "monitor with a stuck reader"
import os, signal, subprocess, sys, time
ctl, ready = sys.argv[1], sys.argv[2]
r, w = os.pipe()
os.set_inheritable(w, True)
import fcntl
fcntl.fcntl(w, 1031, 4096)  # F_SETPIPE_SZ
mon = subprocess.Popen([ctl, 'monitor', '-j', '--ready-file', ready],
                       stdout=w, stderr=subprocess.DEVNULL)
os.close(w)
for _ in range(300):
    if os.path.exists(ready):
        break
    time.sleep(0.1)
else:
    sys.exit('# monitor never subscribed')
for _ in range(10):
    name = subprocess.run([ctl, 'add', '--backend', 'null', '--size', '4M'],
                          check=True, capture_output=True,
                          text=True).stdout.strip()
    subprocess.run([ctl, 'del', name[len('zcblk'):]], check=True,
                   capture_output=True)
time.sleep(1)
mon.send_signal(signal.SIGTERM)
try:
    rc = mon.wait(timeout=20)
except subprocess.TimeoutExpired:
    mon.kill()
    mon.wait()
    sys.exit('# monitor blocked in a write ignored SIGTERM for 20 s')
print('# monitor, its reader stuck: SIGTERM ended it, exit %d' % rc)
sys.exit(0 if rc == 0 else 1)
PY
exit $KSFT_PASS
