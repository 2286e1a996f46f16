#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Host check: Documentation/netlink/zcblk.yaml and uapi/linux/zcblk.h
describe the same family. Every command, attribute and enum value of the
header is in the spec with the same number, and the other way round."""
import re
import sys

import yaml

root = sys.argv[1] if len(sys.argv) > 1 else "."
header = open(f"{root}/uapi/linux/zcblk.h").read()
spec = yaml.safe_load(open(f"{root}/Documentation/netlink/zcblk.yaml"))


def c_enum(name):
    """Members of enum NAME as {C name: value}, implicit values counted."""
    body = re.search(r"enum %s \{(.*?)\};" % name, header, re.S).group(1)
    out, val = {}, -1
    for line in body.splitlines():
        m = re.match(r"\s*(\w+)(?:\s*=\s*([^,/]+))?,", line)
        if not m or m.group(1).startswith("__"):
            continue
        if m.group(2) is not None:
            expr = m.group(2).strip()
            if re.fullmatch(r"\w+ - 1", expr):
                continue  # X_MAX = __X_MAX - 1
            val = eval(expr.replace("U", ""), {}, {})
        else:
            val += 1
        out[m.group(1)] = val
    return out


def spec_attrs(set_name, prefix):
    """Attributes of a spec attribute set as {C name: value}."""
    aset = next(a for a in spec["attribute-sets"] if a["name"] == set_name)
    out, val = {}, 0
    for a in aset["attributes"]:
        val = a.get("value", val + 1)
        out[prefix + a["name"].upper().replace("-", "_")] = val
    return out


def spec_ops(prefix):
    out, val = {}, 0
    for op in spec["operations"]["list"]:
        val = op.get("value", val + 1)
        out[prefix + op["name"].upper().replace("-", "_")] = val
    return out


def spec_enum(name, prefix):
    d = next(d for d in spec["definitions"] if d["name"] == name)
    names = [(e["name"] if isinstance(e, dict) else e).upper().replace("-", "_")
             for e in d["entries"]]
    if d["type"] == "flags":
        out = {prefix + e: 1 << i for i, e in enumerate(names)}
        if d.get("render-max"):
            out[prefix + "MASK"] = (1 << len(names)) - 1
        return out
    start = d.get("value-start", 0)
    return {prefix + e: start + i for i, e in enumerate(names)}


pairs = [
    ("commands", c_enum("zcblk_cmd"), spec_ops("ZCBLK_CMD_")),
    ("dev attributes", c_enum("zcblk_dev_attr"),
     spec_attrs("dev", "ZCBLK_A_DEV_")),
    ("stats attributes", c_enum("zcblk_stats_attr"),
     spec_attrs("stats", "ZCBLK_A_STATS_")),
    ("feature attributes", c_enum("zcblk_feat_attr"),
     spec_attrs("feat", "ZCBLK_A_FEAT_")),
    ("dev-state", c_enum("zcblk_dev_state"),
     spec_enum("dev-state", "ZCBLK_DEV_STATE_")),
    ("dev-flags", c_enum("zcblk_dev_flags"),
     spec_enum("dev-flags", "ZCBLK_DEV_F_")),
    ("completion", c_enum("zcblk_completion"),
     spec_enum("completion", "ZCBLK_COMPLETION_")),
    ("fail-ops", c_enum("zcblk_fail_ops"),
     spec_enum("fail-ops", "ZCBLK_FAIL_OPS_")),
]
bad = 0
for what, c, y in pairs:
    for k in sorted(set(c) | set(y)):
        if c.get(k) != y.get(k):
            print(f"# {what}: {k}: header {c.get(k)}, spec {y.get(k)}")
            bad += 1
    print(f"# {what}: {len(c)} in the header, {len(y)} in the spec")
grp = re.search(r'ZCBLK_GENL_MCGRP_MONITOR\s+"(\w+)"', header).group(1)
if [g["name"] for g in spec["mcast-groups"]["list"]] != [grp]:
    print("# multicast groups differ")
    bad += 1
if spec["name"] != re.search(r'ZCBLK_GENL_NAME\s+"(\w+)"', header).group(1):
    print("# family name differs")
    bad += 1
sys.exit(1 if bad else 0)
