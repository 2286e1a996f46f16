#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The generic netlink controller describes the "zcblk" family as
# uapi/linux/zcblk.h does: `genl ctrl get name zcblk` (iproute2) lists its
# version, the commands served (DEV_ADD 1 ... FEATURES 6, not the
# notification numbers) and the "monitor" multicast group; each command's
# capabilities (do, dump, policy, no admin flag) are as netlink.rst says.
. "$(dirname "$0")/lib.sh"
need genl python3

uapi=uapi/linux/zcblk.h
out=$TMP/genl.out
genl ctrl get name zcblk >"$out" 2>&1 || { sed 's/^/# /' "$out"; fail "genl ctrl get name zcblk"; }
sed 's/^/# /' "$out"

# The command numbers, from the uapi header's enum: DEV_ADD = 1, ...
mapfile -t cmds < <(sed -n '/^enum zcblk_cmd {/,/^};/s/^\t\(ZCBLK_CMD_[A-Z_]*\).*/\1/p' "$uapi")
[ "${cmds[0]:-}" = ZCBLK_CMD_DEV_ADD ] || fail "$uapi: enum zcblk_cmd not understood"
num() {
	local i
	for i in "${!cmds[@]}"; do
		[ "${cmds[i]}" = "ZCBLK_CMD_$1" ] && { echo $((i + 1)); return; }
	done
	fail "$uapi: no ZCBLK_CMD_$1"
}

grep -q '^Name: zcblk$' "$out" || fail "no 'Name: zcblk'"
version=$(sed -n 's/^#define ZCBLK_GENL_VERSION[[:space:]]*\([0-9]*\).*/\1/p' "$uapi")
grep -Eq "Version: 0x0*$(printf '%x' "$version")\b" "$out" ||
	fail "family version is not $version"

# "commands supported:" then lines "#n:  ID-0x<cmd>", until the groups.
served=$(sed -n '/commands supported/,/multicast groups/s/.*ID-0x\([0-9a-f]*\).*/\1/p' "$out" |
	while read -r h; do echo $((16#$h)); done | sort -n | tr '\n' ' ')
log "commands served: $served"
for c in DEV_ADD DEV_DEL DEV_GET DEV_STATS DEV_SET FEATURES; do
	n=$(num "$c")
	grep -qw "$n" <<<"$served" || fail "$c ($n) not listed"
done
for c in DEV_ADDED DEV_CHANGED DEV_REMOVED; do
	n=$(num "$c")
	! grep -qw "$n" <<<"$served" || fail "notification $c ($n) listed as a command"
done
[ "$(wc -w <<<"$served")" = 6 ] || fail "$(wc -w <<<"$served") commands listed, want 6"

# Each command's capabilities, as the controller reports them
# (CTRL_ATTR_OP_FLAGS). Not from genl: iproute2 prints them only for a
# family of version 2 or more (it takes the family's version for the
# controller's), and zcblk's is 1. So a CTRL_CMD_GETFAMILY of our own,
# one "<cmd> <flags>" line per command.
ops_flags() {
	python3 - <<'PY'
import socket, struct, sys

NETLINK_GENERIC, GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 0x10, 3
NLMSG_ERROR, NLM_F_REQUEST = 2, 1
CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_OPS = 2, 6
CTRL_ATTR_OP_ID, CTRL_ATTR_OP_FLAGS = 1, 2


def attrs(buf):
    while len(buf) >= 4:
        alen, atype = struct.unpack_from("HH", buf)
        if alen < 4:
            break
        yield atype & 0x3FFF, buf[4:alen]
        buf = buf[(alen + 3) & ~3:]


name = b"zcblk\0"
attr = struct.pack("HH", 4 + len(name), CTRL_ATTR_FAMILY_NAME) + name
attr += b"\0" * (-len(attr) % 4)
body = struct.pack("BBH", CTRL_CMD_GETFAMILY, 1, 0) + attr
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
s.send(struct.pack("IHHII", 16 + len(body), GENL_ID_CTRL, NLM_F_REQUEST,
                   1, 0) + body)
msg = s.recv(65536)
mlen, mtype = struct.unpack_from("IH", msg)
if mtype == NLMSG_ERROR:
    sys.exit("CTRL_CMD_GETFAMILY: error %d" % struct.unpack_from("i", msg, 16))
for atype, val in attrs(msg[20:mlen]):
    if atype != CTRL_ATTR_OPS:
        continue
    for _, op in attrs(val):
        a = dict(attrs(op))
        print(struct.unpack("I", a[CTRL_ATTR_OP_ID])[0],
              struct.unpack("I", a[CTRL_ATTR_OP_FLAGS])[0])
PY
}
# uapi/linux/genetlink.h's GENL_ADMIN_PERM, GENL_CMD_CAP_DO, _DUMP,
# _HASPOL, GENL_UNS_ADMIN_PERM, as iproute2 names them.
cap_names() {
	local f=$1 n bit names=("requires admin permission" "can doit" \
		"can dumpit" "has policy" "requires namespace admin permission")
	for bit in 0 1 2 3 4; do
		((f & 1 << bit)) && n+="${n:+, }${names[bit]}"
	done
	echo "${n:-none}"
}
ops_flags >"$TMP/ops" || fail "CTRL_CMD_GETFAMILY zcblk"
# What each command does (netlink.rst): every one validates its request
# against a policy (FEATURES, which takes no attributes, against the
# core's reject-all one: the family's resv_start_op is 0); dumps for
# DEV_GET and DEV_STATS only; no admin flag (GENL_ADMIN_PERM would mean
# CAP_NET_ADMIN: pre_doit checks CAP_SYS_ADMIN instead).
declare -A want=([DEV_ADD]=0xa [DEV_DEL]=0xa [DEV_GET]=0xe [DEV_STATS]=0xe
		 [DEV_SET]=0xa [FEATURES]=0xa)
declare -A got=()
while read -r id flags; do got[$id]=$flags; done <"$TMP/ops"
[ "${#got[@]}" = 6 ] || fail "$(wc -l <"$TMP/ops") commands in CTRL_ATTR_OPS, want 6"
for c in DEV_ADD DEV_DEL DEV_GET DEV_STATS DEV_SET FEATURES; do
	n=$(num "$c")
	f=${got[$n]:-}
	[ -n "$f" ] || fail "$c ($n) not in CTRL_ATTR_OPS"
	log "$c: $(cap_names "$f")"
	[ "$f" = $((want[$c])) ] ||
		fail "$c: capabilities '$(cap_names "$f")', want '$(cap_names $((want[$c])))'"
done

# "multicast groups:" then "#n:  ID-0x<id>  name: monitor".
groups=$(sed -n '/multicast groups/,$s/.*name: \([^ ]*\).*/\1/p' "$out" | tr '\n' ' ')
[ "$groups" = "monitor " ] || fail "multicast groups: '$groups', want 'monitor'"
log "family zcblk: version $version, commands $served, group monitor"
