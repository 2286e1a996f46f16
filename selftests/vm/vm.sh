#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm.sh: run one command inside a QEMU guest booting a Debian kernel, with
# the host's root as the guest's root (read-only virtiofs + tmpfs overlay,
# so the guest never writes to the host), and report its result.
#
#   vm.sh [--kernel <rel>] [--timeout <s>] [--out <dir>] [--quiet]
#         [--interactive] [--smp <n>] [--qemu-arg <arg>]... -- <command...>
#
# The command runs as root in the caller's directory. Its output goes to
# stdout; vm.sh exits with its status, 124 if the VM timed out or ended
# without reporting one, or 3 if it passed but the kernel log shows a splat
# (then also in <out>/splats.txt). Logs: <out>/{console,output}.log.
# --smp sets the vCPU count (default 2); each --qemu-arg appends one word to
# QEMU's command line (make bench: --smp 1 and, for its deterministic
# clock, --qemu-arg -icount --qemu-arg shift=0,sleep=off).
# Env: ZCBLK_ACCEL=kvm (default tcg), ZCBLK_APPEND (extra kernel params),
# ZCBLK_VFS_CACHE (virtiofsd cache mode, default always), ZCBLK_CPU (TCG's
# -cpu, default max).
set -euo pipefail
# Parsed whole before it runs, so that editing this file cannot derail
# a run in progress (bash reads scripts as it goes).
{

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rel='' tmo=1200 out='' quiet=0 interactive=0 smp=2 extra=()

usage() { sed -n 's/^#   \{0,1\}//p' "$0" | sed -n '/^vm.sh/,/^$/p' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) rel=${2:?}; shift 2 ;;
	--timeout) tmo=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--quiet) quiet=1; shift ;;
	--interactive) interactive=1; shift ;;
	--smp) smp=${2:?}; shift 2 ;;
	--qemu-arg) extra+=("${2:?}"); shift 2 ;;
	--) shift; break ;;
	*) usage ;;
	esac
done
[ $# -gt 0 ] || [ $interactive = 1 ] || usage
if [ "$(id -u)" -ne 0 ]; then
	echo "vm.sh: virtiofsd needs root (run with sudo)" >&2
	exit 2
fi

rel=${rel:-$("$here/kernels.sh" | head -n1)}
out=${out:-$repo/build/vm/$rel}
mkdir -p "$out"
# One VM per output directory: a second one would replace its logs.
exec 8>"$out/.lock"
if ! flock -n 8; then
	echo "vm.sh: waiting for the other VM using $out" >&2
	flock 8
fi
kdir=$("$here/fetch-kernel.sh" "$rel")
"$here/mkinitramfs.sh" "$rel" "$out/initramfs.cpio.gz"

# Clean up virtiofsd and the socket directory on every exit path.
tmp=$(mktemp -d)
vpid=''
# shellcheck disable=SC2317 # called from the trap
cleanup() {
	[ -z "$vpid" ] || kill "$vpid" 2>/dev/null || true
	[ -z "$vpid" ] || wait "$vpid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# cache=always: the guest keeps what it looked up (auto revalidates every
# second, which makes each exec ~3x slower under TCG). The host tree should
# not change while a test VM runs; interactive sessions, where one
# rebuilds on the host, use auto. The default namespace sandbox fails in
# containers ("pivot_root busy").
vfscache=${ZCBLK_VFS_CACHE:-always}
[ $interactive = 0 ] || vfscache=auto
/usr/lib/qemu/virtiofsd --socket-path="$tmp/vfs.sock" \
	-o source=/,cache="$vfscache",sandbox=chroot >"$out/virtiofsd.log" 2>&1 &
vpid=$!
for _ in $(seq 50); do
	[ -S "$tmp/vfs.sock" ] && break
	kill -0 "$vpid" 2>/dev/null || { cat "$out/virtiofsd.log" >&2; exit 2; }
	sleep 0.1
done

b64() { printf '%s' "$1" | base64 -w0; }
# no_timer_check: under TCG on a loaded host the IO-APIC timer check can
# time out and panic the boot ("IO-APIC + timer doesn't work!", seen on
# the debug kernel beside two other VMs), as cloud images know.
append="console=ttyS0 panic=-1 no_timer_check"
append+=" zcblkvm.moddir=$(b64 "$kdir/lib/modules/$rel") zcblkvm.cwd=$(b64 "$PWD")"
[ $# -eq 0 ] || append+=" zcblkvm.cmd=$(b64 "$(printf '%q ' "$@")")"
[ $interactive = 0 ] || append+=" zcblkvm.shell=1"
append+=" ${ZCBLK_APPEND:-}"	# last, so that it overrides
if [ ${#append} -gt 2000 ]; then	# x86 COMMAND_LINE_SIZE is 2048
	echo "vm.sh: command too long for the kernel command line" >&2
	exit 2
fi

if [ "${ZCBLK_ACCEL:-tcg}" = kvm ]; then accel=(-accel kvm -cpu host)
else accel=(-accel tcg -cpu "${ZCBLK_CPU:-max}"); fi
# shellcheck disable=SC2054 # commas are QEMU's
qemu=(qemu-system-x86_64 "${accel[@]}" -smp "$smp" -m 2G
	-nodefaults -no-user-config -display none -no-reboot
	-object memory-backend-memfd,id=mem,size=2G,share=on
	-numa node,memdev=mem
	-chardev "socket,id=vfs,path=$tmp/vfs.sock"
	-device vhost-user-fs-pci,chardev=vfs,tag=hostroot
	-kernel "$kdir/boot/vmlinuz-$rel" -initrd "$out/initramfs.cpio.gz"
	-append "$append" ${extra[@]+"${extra[@]}"})
con=$out/console.log res=$out/output.log
rm -f "$con" "$res" "$out/splats.txt"

if [ $interactive = 1 ]; then
	# Console on the terminal (Ctrl-A X quits), a shell after the command.
	"${qemu[@]}" -serial mon:stdio -serial "file:$res"
	exit 0
fi

start=$(date +%s%N)
timeout --kill-after=10 "$tmo" "${qemu[@]}" \
	-serial "file:$con" -serial "file:$res" </dev/null >"$out/qemu.log" 2>&1 &
qpid=$!
# timeout(1) runs QEMU in its own process group: forward ^C by hand.
trap 'kill -TERM $qpid 2>/dev/null; wait $qpid; exit 130' INT
trap 'kill -TERM $qpid 2>/dev/null; wait $qpid; exit 143' TERM
if [ $quiet = 0 ]; then
	tail -n +1 -F -s 0.2 --pid=$qpid "$con" 2>/dev/null | tr -d '\r' >&2 &
fi
qrc=0
wait $qpid || qrc=$?
[ $quiet = 1 ] || wait $! || true
ms=$((($(date +%s%N) - start) / 1000000))
[ $quiet = 1 ] || printf 'vm.sh: %s: VM ran %d.%03d s\n' "$rel" $((ms / 1000)) $((ms % 1000)) >&2

# The guest command's output is everything before init's last marker
# (all of it if there is none: a timed-out run's output is still useful).
marker=$(grep -a -o 'ZCBLK_EXIT=[0-9]*$' "$res" 2>/dev/null | tail -n1 || true)
awk '/ZCBLK_EXIT=[0-9]*$/ { n = NR } { l[NR] = $0 }
     END { if (!n) n = NR + 1
	   for (i = 1; i < n; i++) print l[i]
	   p = l[n]; sub(/ZCBLK_EXIT=[0-9]*$/, "", p); if (p != "") print p }' \
	"$res" 2>/dev/null || true

rc=${marker#ZCBLK_EXIT=}
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ] || [ -z "$marker" ]; then
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		echo "vm.sh: $rel: VM timed out after $tmo s" >&2
	else
		echo "vm.sh: $rel: no ZCBLK_EXIT from the guest (qemu rc $qrc)" >&2
		cat "$out/qemu.log" >&2
	fi
	echo "vm.sh: last lines of $con:" >&2
	tail -n 40 "$con" 2>/dev/null | tr -d '\r' | sed 's/^/  /' >&2
	rc=124
fi

# Kernel splats. Not splats: boot lines of debug kernels that name a
# detector, kmemleak's count of suspects (kmemleak.sh judges them), and
# run_tests.sh's markers (a test name may contain "kmemleak").
splat='WARNING:|BUG:|Oops|KASAN|UBSAN|possible circular locking|kmemleak|general protection|Call Trace:'
harmless='KASAN: KernelAddressSanitizer initialized|kmemleak: Kernel memory leak detector (initialized|disabled)|kmemleak: Automatic memory scanning thread|kmemleak: [0-9]+ new suspected memory leaks|kmemleak: Cannot allocate a scan area|zcblk-selftest: begin'
# fault_inject fails its own task's allocations on purpose: the stack of
# the kernel's warn_alloc() report of one is renamed, not a splat.
injected='fault_inject: (page allocation failure|vmalloc error):'
# QEMU's TCG can leak a single-step #DB into the guest kernel, which warns
# (exc_debug_kernel() in arch/x86/kernel/traps.c); nothing a module does
# sets TF in the kernel. That warning, to its end, is renamed too.
emu='WARNING: .* at arch/x86/kernel/traps.c:[0-9]+ exc_debug_kernel'
scan() {
	tr -d '\r' |
	awk -v inj="$injected" -v emu="$emu" '$0 ~ inj { w = NR }
		/Call Trace:/ && w && NR - w <= 4 { sub(/Call Trace:/, "Call trace (injected failure):") }
		$0 ~ emu { e = 1 }
		e { sub(/WARNING:/, "Warning (QEMU #DB leak):"); sub(/Call Trace:/, "Call trace (QEMU #DB leak):") }
		e && /---\[ end trace/ { e = 0 }
		{ print }' |
	grep -a -n -E -B3 -A15 "$splat" | grep -v -E "$harmless" | head -n 200
}
found=$(scan <"$con" 2>/dev/null || true)
if ! printf '%s\n' "$found" | grep -q -E "$splat"; then
	found=$(sed -n '/^ZCBLK_DMESG_BEGIN$/,/^ZCBLK_DMESG_END$/p' "$res" 2>/dev/null | scan || true)
fi
if printf '%s\n' "$found" | grep -q -E "$splat"; then
	echo "vm.sh: $rel: kernel splat in the guest log ($con):" >&2
	printf '%s\n' "$found" | tee "$out/splats.txt" | sed 's/^/splat: /' >&2
	[ "$rc" != 0 ] || rc=3
fi
exit "$rc"
}
