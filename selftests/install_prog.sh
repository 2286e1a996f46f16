#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The program selftests/host/install.sh built against a `make install`
# (pkg-config zcblk, libzcblk linked in statically) works: it makes a mem
# disk with libzcblk, writes 4 KiB through /dev/zcblk<N>c with
# the NVME_IOCTL_IO_CMD helpers of libzcblk, reads them back, compares,
# checks that a read past the end is LBA Out of Range, deletes the disk.
. "$(dirname "$0")/lib.sh"

prog=$ZCBLK_BUILD/selftests/install_prog
[ -x "$prog" ] ||
	skip "$prog not built: selftests/host/install.sh builds it (make check)"
out=$("$prog" 2>&1)
rc=$?
[ -z "$out" ] || echo "$out"
case $rc in
0) log "install_prog: ok" ;;
4) exit $KSFT_SKIP ;;
*) fail "install_prog exited $rc" ;;
esac
