#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""coverage_summary.py: the text summary of `make coverage`.

usage: coverage_summary.py <lcov tracefile> <source dir prefix> <recorded>

Prints per file of kernel/ the lines, functions and branches hit, the
totals, and every function never entered (file:line name). <recorded> holds
the figures the project records ("lines <percent>", "branches <percent>",
one a line, "#" comments): exit 1 if either total is more than 2 points
below its figure, or if the file is missing.
"""
import sys

SLACK = 2.0


def parse(path):
    """Per source file: lines, functions and branches found and hit.

    Counted from the DA, FN/FNDA and BRDA records (lcov 1.16 with gcc 12
    leaves out the LF/LH summaries); a line or branch in several records
    (two tracefiles merged) counts once, hit if any record hit it.
    """
    files = {}
    cur = None
    with open(path) as f:
        for line in f:
            key, _, val = line.rstrip("\n").partition(":")
            if key == "SF":
                cur = files.setdefault(val, {"lines": {}, "br": {},
                                             "fn": {}, "hits": {}})
            elif cur is None:
                continue
            elif key == "DA":
                lineno, count = val.split(",")[:2]
                cur["lines"][lineno] = cur["lines"].get(lineno, 0) + int(count)
            elif key == "BRDA":
                lineno, block, branch, taken = val.split(",")
                k = (lineno, block, branch)
                t = 0 if taken == "-" else int(taken)
                cur["br"][k] = cur["br"].get(k, 0) + t
            elif key == "FN":
                lineno, name = val.split(",", 1)
                cur["fn"][name] = int(lineno)
            elif key == "FNDA":
                count, name = val.split(",", 1)
                cur["hits"][name] = cur["hits"].get(name, 0) + int(count)
            elif key == "end_of_record":
                cur = None
    for d in files.values():
        d["LF"] = len(d["lines"])
        d["LH"] = sum(1 for c in d["lines"].values() if c > 0)
        d["BRF"] = len(d["br"])
        d["BRH"] = sum(1 for c in d["br"].values() if c > 0)
        d["FNF"] = len(d["fn"])
        d["FNH"] = sum(1 for n in d["fn"] if d["hits"].get(n, 0) > 0)
    return files


def pct(hit, found):
    return 100.0 * hit / found if found else 100.0


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    files = parse(sys.argv[1])
    prefix = sys.argv[2]
    tot = {k: 0 for k in ("LF", "LH", "FNF", "FNH", "BRF", "BRH")}
    print(f"{'file':<22} {'lines':>15} {'functions':>13} {'branches':>15}")
    never = []
    for sf in sorted(files):
        d = files[sf]
        name = sf[len(prefix):] if sf.startswith(prefix) else sf
        for k in tot:
            tot[k] += d[k]
        print(f"{name:<22} {pct(d['LH'], d['LF']):5.1f}% {d['LH']:4}/{d['LF']:<4}"
              f" {d['FNH']:4}/{d['FNF']:<4}   "
              f"{pct(d['BRH'], d['BRF']):5.1f}% {d['BRH']:4}/{d['BRF']:<4}")
        for fn, lineno in sorted(d["fn"].items(), key=lambda x: x[1]):
            if d["hits"].get(fn, 0) == 0:
                never.append(f"{name}:{lineno} {fn}")
    lines = pct(tot["LH"], tot["LF"])
    branches = pct(tot["BRH"], tot["BRF"])
    print(f"{'total':<22} {lines:5.1f}% {tot['LH']:4}/{tot['LF']:<4}"
          f" {tot['FNH']:4}/{tot['FNF']:<4}   "
          f"{branches:5.1f}% {tot['BRH']:4}/{tot['BRF']:<4}")
    print(f"functions never entered: {len(never)}")
    for n in never:
        print(f"  {n}")

    rc = 0
    try:
        with open(sys.argv[3]) as f:
            rec = dict(l.split()[:2] for l in f
                       if l.strip() and not l.startswith("#"))
    except OSError as e:
        print(f"coverage: no recorded figures: {e}")
        return 1
    for what, got in (("lines", lines), ("branches", branches)):
        want = float(rec.get(what, "nan"))
        if not got >= want - SLACK:
            print(f"coverage: {what} {got:.1f}% is more than {SLACK:g} "
                  f"points below the recorded {want:.1f}%")
            rc = 1
        else:
            print(f"coverage: {what} {got:.1f}% (recorded {want:.1f}%)")
    return rc


if __name__ == "__main__":
    sys.exit(main())
