#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the guest kernel releases zcblk is built and tested against, one
# per line. They come from the dependencies of Debian's headers
# meta-packages, so a kernel point update needs no edit here; only
# releases whose headers are installed are printed.
#
#   kernels.sh               list releases
#   kernels.sh --kdir <rel>  print the kernel build directory for <rel>
set -euo pipefail

# Override with ZCBLK_HEADER_METAS="pkg1 pkg2" for other flavours.
read -r -a metas <<<"${ZCBLK_HEADER_METAS:-linux-headers-cloud-amd64 linux-headers-6.12-cloud-amd64}"

if [ "${1:-}" = --kdir ]; then
	rel=${2:?usage: kernels.sh --kdir <rel>}
	for d in "/lib/modules/$rel/build" "/usr/src/linux-headers-$rel"; do
		if [ -f "$d/Makefile" ]; then
			echo "$d"
			exit 0
		fi
	done
	echo "kernels.sh: no headers for $rel" >&2
	exit 1
fi

for meta in "${metas[@]}"; do
	# Installed meta-package: its recorded Depends; otherwise what apt knows.
	deps=$(dpkg-query -W -f='${Depends}' "$meta" 2>/dev/null ||
	       apt-cache depends "$meta" 2>/dev/null | sed -n 's/^ *Depends: //p' || true)
	found=
	for rel in $(printf '%s\n' "$deps" | tr ',' '\n' |
		     sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p'); do
		if [ -d "/usr/src/linux-headers-$rel" ]; then
			echo "$rel"
			found=1
		fi
	done
	[ -n "$found" ] || echo "kernels.sh: $meta: no installed headers" >&2
done
