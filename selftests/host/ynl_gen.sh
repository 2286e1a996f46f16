#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host check: the files generated from Documentation/netlink/zcblk.yaml by
# the kernel's YNL generator (tools/net/ynl/ynl-gen-c.py, from Debian's
# linux-source-6.12) are what the generator makes of the spec today.
# --update (`make ynl-gen`) writes them instead. Documentation/netlink.rst,
# "Generated code", says what is generated and why the rest is not.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
src=/usr/src/linux-source-6.12.tar.xz
update=0
[ "${1:-}" = --update ] && update=1

[ -f "$src" ] || { echo "# SKIP linux-source-6.12 not installed"; exit 4; }
/usr/bin/python3 -c 'import yaml, jsonschema' 2>/dev/null ||
	{ echo "# SKIP python3-yaml or python3-jsonschema not installed"; exit 4; }

# shellcheck source=selftests/host/linux_tools.sh
. "$repo/selftests/host/linux_tools.sh"
ksrc=$(linux_tools_dir "$src") || exit $?
gen=$ksrc/tools/net/ynl/ynl-gen-c.py
schema=$ksrc/Documentation/netlink/genetlink-legacy.yaml

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# The generator wants a kernel tree: it names the spec by its path below
# the directory holding MAINTAINERS and reads the schema from the spec's
# grandparent directory. Two such trees, both naming the spec
# Documentation/netlink/zcblk.yaml: "uapi" with the spec as it is, "kernel"
# with the FEATURES operation taken out. kernel-policy per-op (genl_ops,
# which 6.1 has) wants a request policy for every "do", and FEATURES takes
# no attributes; --exclude-op would drop it, but the 6.12 generator applies
# it only to directional specs (lib/nlspec.py), so it is passed for the
# record and the operation is taken out here. netlink.c serves FEATURES.
for t in uapi kernel; do
	mkdir -p "$tmp/$t/Documentation/netlink" "$tmp/out/$t"
	: >"$tmp/$t/MAINTAINERS"
	cp "$schema" "$tmp/$t/Documentation/"
done
spec=$repo/Documentation/netlink/zcblk.yaml
cp "$spec" "$tmp/uapi/Documentation/netlink/zcblk.yaml"
/usr/bin/python3 - "$spec" "$tmp/kernel/Documentation/netlink/zcblk.yaml" \
	features <<'EOF' || exit 1
import sys
import yaml
src, dst, drop = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(src).read()
spec = yaml.safe_load(text)
ops = spec["operations"]["list"]
spec["operations"]["list"] = [op for op in ops if op["name"] not in drop]
# The generator wants the SPDX line first.
open(dst, "w").write(text.splitlines()[0] + "\n" +
                     yaml.safe_dump(spec, sort_keys=False))
EOF

run() {
	local tree=$1 out=$2
	shift 2
	/usr/bin/python3 "$gen" --spec "$tmp/$tree/Documentation/netlink/zcblk.yaml" \
		"$@" -o "$tmp/out/$out" >"$tmp/gen.log" 2>&1 ||
		{ sed 's/^/# /' "$tmp/gen.log"; exit 1; }
}
run uapi uapi/zcblk.h --mode uapi --header
# uapi/zcblk-compat.h (what the generator cannot write), before the #endif,
# without its SPDX line and leading comment.
last=$(tail -n 1 "$tmp/out/uapi/zcblk.h")
{
	head -n -1 "$tmp/out/uapi/zcblk.h"
	sed '1,/^ \*\//d' "$repo/uapi/zcblk-compat.h"
	echo "$last"
} >"$tmp/out/uapi/zcblk.h.new" && mv "$tmp/out/uapi/zcblk.h.new" "$tmp/out/uapi/zcblk.h"
run kernel kernel/netlink-gen.h --mode kernel --header --exclude-op features
run kernel kernel/netlink-gen.c --mode kernel --source --exclude-op features

# generated file in $tmp/out : its place in the repository
files=(uapi/zcblk.h:uapi/linux/zcblk.h
       kernel/netlink-gen.h:kernel/netlink-gen.h
       kernel/netlink-gen.c:kernel/netlink-gen.c)
rc=0
for f in "${files[@]}"; do
	new=$tmp/out/${f%%:*} dst=${f#*:}
	if [ $update -eq 1 ]; then
		cmp -s "$new" "$repo/$dst" || { cp "$new" "$repo/$dst"; echo "GEN $dst"; }
		continue
	fi
	if ! out=$(diff -u --label "$dst" --label "$dst (generated)" \
			"$repo/$dst" "$new" 2>&1); then
		printf '# %s\n' "${out//$'\n'/$'\n'# }"
		rc=1
	fi
done
[ $update -eq 1 ] && exit 0
[ $rc -eq 0 ] && echo "# ${#files[@]} generated files up to date"
[ $rc -eq 0 ] || echo "# generated files differ from the spec: make ynl-gen"
exit $rc
