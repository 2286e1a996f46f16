#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages that building and testing zcblk need
# (QEMU runner, guest tools, kernel headers and sources). Idempotent:
# apt is only run when something is missing.
set -euo pipefail

pkgs=(
	qemu-system-x86 busybox-static cpio kmod fio liburing-dev nvme-cli
	libmnl-dev sparse shellcheck e2fsprogs btrfs-progs xfsprogs pkg-config util-linux iproute2
	python3-yaml python3-jsonschema dkms gnuplot-nox lcov
	build-essential debhelper dh-dkms lintian
	flex bison bc libelf-dev libssl-dev
	xz-utils zstd
	linux-headers-cloud-amd64 linux-headers-6.12-cloud-amd64
	linux-source-6.1 linux-source-6.12
)

missing=()
for p in "${pkgs[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#pkgs[@]} packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing: ${missing[*]}" >&2
	echo "install-deps: run as root:" \
	     "apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-deps: apt-get update"
apt-get update -qq >/dev/null
echo "install-deps: installing ${missing[*]}"
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
