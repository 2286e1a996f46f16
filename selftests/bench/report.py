#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench's host side: turns bench.sh's output into results.

  report.py --kernel REL --prefix P [--icount OUT]... [--wall OUT]...
            [--skip WHAT:REASON]...   -> P.json (raw fio JSON), P.md, P.png
  report.py --from P.json --prefix P  -> P.md and P.png again
  report.py --quick --wall OUT        -> a Markdown table on stdout

OUT is the guest's output of one `bench.sh` run (--icount: a run under
QEMU -icount shift=0,sleep=off, whose guest nanoseconds are instructions;
--wall: a run in TCG's wall clock, whose reps give medians). Two --icount
runs are compared: the table says how far apart they are.
"""
import argparse
import base64
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile

WORKLOADS = ["randread-4k-qd1", "randread-4k-qd32", "randwrite-4k-qd32",
             "randwrite-4k-qd1-fsync32",
             "read-128k-qd8", "write-128k-qd8", "zwrite-4k-qd32",
             "zone-reset", "copy-1m-4r", "randwrite-4k-qd32-fdp",
             "randread-4k-qd32-md", "randwrite-4k-qd32-md"]

# (row, reference row or None, description)
ROWS = [
    ("zc-chr", "nullb", "zcblk null, char dev, io_uring_cmd"),
    ("zc-chr-fb", "nullb-fb", "zcblk null, char dev, io_uring_cmd fixedbufs=1"),
    ("zc-chr-hipri", "nullb-hipri", "zcblk null, char dev, io_uring_cmd hipri=1 (poll queue)"),
    ("zc-blk", "nullb", "zcblk null, block dev, io_uring direct=1"),
    ("zc-blk-fb", "nullb-fb", "zcblk null, block dev, io_uring direct=1 fixedbufs=1"),
    ("zc-blk-hipri", "nullb-hipri", "zcblk null, block dev, io_uring direct=1 hipri=1"),
    ("nullb", None, "null_blk irqmode=0, io_uring direct=1"),
    ("nullb-fb", None, "null_blk irqmode=0, io_uring direct=1 fixedbufs=1"),
    ("nullb-hipri", None, "null_blk poll_queues=1, io_uring direct=1 hipri=1"),
    ("zcm-chr", "brd", "zcblk mem, char dev, io_uring_cmd"),
    ("zcm-chr-fb", "brd", "zcblk mem, char dev, io_uring_cmd fixedbufs=1"),
    ("zcm-blk", "brd", "zcblk mem, block dev, io_uring direct=1"),
    ("brd", None, "brd /dev/ram0, io_uring direct=1"),
    ("nullbm", None, "null_blk memory_backed=1 irqmode=0, io_uring direct=1"),
    ("zfl-chr", "loop", "zcblk file on /dev/ram1, char dev, io_uring_cmd"),
    ("zfl-blk", "loop", "zcblk file on /dev/ram1, block dev, io_uring direct=1"),
    ("loop", None, "loop --direct-io=on on /dev/ram1, io_uring direct=1"),
    ("zcw-chr", "zcm-chr", "zcblk mem, 64 MiB write cache, char dev, io_uring_cmd"),
    ("zcw-blk", "zcm-blk", "zcblk mem, 64 MiB write cache, block dev, io_uring direct=1"),
    ("zc-chr-sirq", "nullb-sirq", "zcblk null softirq, char dev, io_uring_cmd"),
    ("zc-blk-sirq", "nullb-sirq", "zcblk null softirq, block dev, io_uring direct=1"),
    ("nullb-sirq", None, "null_blk irqmode=1 (softirq), io_uring direct=1"),
    ("zz-chr", "nullbz", "zcblk null zoned, char dev, io_uring_cmd --zonemode=zbd"),
    ("zz-blk", "nullbz", "zcblk null zoned, block dev, io_uring direct=1 --zonemode=zbd"),
    ("nullbz", None, "null_blk zoned=1, io_uring direct=1 --zonemode=zbd"),
    ("zcm-copy", "zcm-rw", "zcblk mem, char dev, Copy (19h) of 4 ranges"),
    ("zcm-rw", None, "zcblk mem, char dev, Read + Write of the same 4 ranges"),
    ("zcf-placed", "zcf-plain", "zcblk mem FDP, char dev, writes with placement identifiers 0-7"),
    ("zcf-plain", None, "zcblk mem FDP, char dev, writes without a placement identifier"),
    ("zcp-pi", "zcp-md", "zcblk mem 512+8 PI type 1, char dev, every check (writes: PRACT)"),
    ("zcp-md", "zcp-plain", "zcblk mem 512+8, char dev, separate metadata buffer"),
    ("zcp-plain", None, "zcblk mem 512, char dev, no metadata"),
    ("zcp-md-fb", "zcp-plain-fb", "zcblk mem 512+8, char dev, data and metadata in a registered buffer"),
    ("zcp-plain-fb", None, "zcblk mem 512, char dev, no metadata, registered buffer"),
    ("tcp-zc", "tcp-nullb", "zcblk null served by nvmet over NVMe/TCP loopback, remote block dev, io_uring direct=1"),
    ("tcp-nullb", None, "null_blk irqmode=0 served by nvmet over NVMe/TCP loopback, the same"),
]
REF = {r: ref for r, ref, _ in ROWS}
DESC = {r: d for r, _, d in ROWS}

# (description, workload, row, reference, metric, comparison, bound, clock)
TARGETS = [
    ("4k randread QD32, passthrough fixedbufs=1 vs null_blk fixedbufs=1",
     "randread-4k-qd32", "zc-chr-fb", "nullb-fb", "iops", ">=", 1.15, "icount"),
    ("4k randread QD32, passthrough vs null_blk",
     "randread-4k-qd32", "zc-chr", "nullb", "iops", ">=", 1.0, "icount"),
    ("4k randread QD1 p50 latency, passthrough vs null_blk",
     "randread-4k-qd1", "zc-chr", "nullb", "p50", "<=", 1.0, "icount"),
    ("4k randread QD32 hipri=1, passthrough vs null_blk poll queue",
     "randread-4k-qd32", "zc-chr-hipri", "nullb-hipri", "iops", ">=", 1.0, "icount"),
    ("4k randread QD32, zcblk block path vs null_blk",
     "randread-4k-qd32", "zc-blk", "nullb", "iops", ">=", 0.95, "icount"),
    ("128k seq read, mem passthrough vs brd: bandwidth",
     "read-128k-qd8", "zcm-chr", "brd", "bw", ">=", 0.9, "icount"),
    ("128k seq read, mem passthrough vs brd: bandwidth (wall clock)",
     "read-128k-qd8", "zcm-chr", "brd", "bw", ">=", 0.9, "wall"),
    ("4k randread QD32, mem block path vs brd",
     "randread-4k-qd32", "zcm-blk", "brd", "iops", ">=", 0.95, "icount"),
    ("128k seq read QD8, mem block path vs brd: bandwidth",
     "read-128k-qd8", "zcm-blk", "brd", "bw", ">=", 1.0, "icount"),
    ("4k randread QD32, mem passthrough vs brd",
     "randread-4k-qd32", "zcm-chr", "brd", "iops", ">=", 1.1, "icount"),
    ("4k randread QD32, mem block path vs null_blk memory_backed=1",
     "randread-4k-qd32", "zcm-blk", "nullbm", "iops", ">=", 1.0, "icount"),
    ("4k randread QD32, file on brd, block path vs loop direct-io",
     "randread-4k-qd32", "zfl-blk", "loop", "iops", ">=", 1.0, "icount"),
    ("4k randwrite QD32, file on brd, block path vs loop direct-io",
     "randwrite-4k-qd32", "zfl-blk", "loop", "iops", ">=", 1.0, "icount"),
    ("128k seq read QD8, file on brd, block path vs loop direct-io",
     "read-128k-qd8", "zfl-blk", "loop", "bw", ">=", 1.0, "icount"),
    ("4k randread QD32, file on brd, passthrough vs loop direct-io",
     "randread-4k-qd32", "zfl-chr", "loop", "iops", ">=", 1.1, "icount"),
    ("4k randwrite QD32, file on brd, passthrough vs loop direct-io",
     "randwrite-4k-qd32", "zfl-chr", "loop", "iops", ">=", 1.1, "icount"),
    ("128k seq read QD8, file on brd, passthrough vs loop direct-io",
     "read-128k-qd8", "zfl-chr", "loop", "bw", ">=", 1.1, "icount"),
    ("4k randread QD32, null block path vs null_blk (issue 20)",
     "randread-4k-qd32", "zc-blk", "nullb", "iops", ">=", 1.0, "icount"),
    ("4k randread QD32, passthrough fixedbufs=1 vs null_blk fixedbufs=1 "
     "(issue 20)",
     "randread-4k-qd32", "zc-chr-fb", "nullb-fb", "iops", ">=", 1.25,
     "icount"),
    ("4k randread QD32 fixedbufs=1, null block path vs null_blk",
     "randread-4k-qd32", "zc-blk-fb", "nullb-fb", "iops", ">=", 1.0,
     "icount"),
    ("4k randread QD32 hipri=1, null block path vs null_blk",
     "randread-4k-qd32", "zc-blk-hipri", "nullb-hipri", "iops", ">=", 1.0,
     "icount"),
    ("4k seq write QD32 zbd, zoned passthrough vs zoned null_blk",
     "zwrite-4k-qd32", "zz-chr", "nullbz", "iops", ">=", 1.1, "icount"),
    ("4k seq write QD32 zbd, zoned block path vs zoned null_blk",
     "zwrite-4k-qd32", "zz-blk", "nullbz", "iops", ">=", 0.95, "icount"),
    ("zone resets a second, passthrough vs zoned null_blk (BLKRESETZONE)",
     "zone-reset", "zz-chr", "nullbz", "iops", ">=", 1.1, "icount"),
    ("4k randwrite QD32, mem passthrough with a write cache vs without",
     "randwrite-4k-qd32", "zcw-chr", "zcm-chr", "iops", ">=", 1.0, "icount"),
    ("zone resets a second, zcblk block path vs zoned null_blk",
     "zone-reset", "zz-blk", "nullbz", "iops", ">=", 0.95, "icount"),
    ("1 MiB in 4 ranges, Copy vs Read + Write through the char device (mem)",
     "copy-1m-4r", "zcm-copy", "zcm-rw", "iops", ">=", 3.0, "icount"),
    ("4k randwrite QD32, placement identifiers across 8 handles vs none (FDP)",
     "randwrite-4k-qd32-fdp", "zcf-placed", "zcf-plain", "iops", ">=", 0.97,
     "icount"),
    ("4k randread QD32, PI type 1 with every check vs metadata without PI",
     "randread-4k-qd32-md", "zcp-pi", "zcp-md", "iops", ">=", 0.85, "icount"),
    ("4k randwrite QD32, PI type 1 made and checked vs metadata without PI",
     "randwrite-4k-qd32-md", "zcp-pi", "zcp-md", "iops", ">=", 0.85, "icount"),
    ("4k randread QD32, separate metadata (zero copy) vs none",
     "randread-4k-qd32-md", "zcp-md", "zcp-plain", "iops", ">=", 0.9, "icount"),
    ("4k randwrite QD32, separate metadata (zero copy) vs none",
     "randwrite-4k-qd32-md", "zcp-md", "zcp-plain", "iops", ">=", 0.9,
     "icount"),
    ("4k randread QD32, registered buffers: separate metadata vs none",
     "randread-4k-qd32-md", "zcp-md-fb", "zcp-plain-fb", "iops", ">=", 0.9,
     "icount"),
    ("4k randwrite QD32, registered buffers: separate metadata vs none",
     "randwrite-4k-qd32-md", "zcp-md-fb", "zcp-plain-fb", "iops", ">=", 0.9,
     "icount"),
    ("4k randread QD32 over NVMe/TCP loopback, zcblk null vs null_blk",
     "randread-4k-qd32", "tcp-zc", "tcp-nullb", "iops", ">=", 0.95,
     "icount"),
]


def parse(path):
    """bench.sh output -> (meta, [{row: {workload: fio json}}] per rep)."""
    meta, reps = {}, {}
    with open(path, errors="replace") as f:
        for line in f:
            w = line.rstrip("\n").split(" ", 2)
            if w[0] == "BENCH_META" and len(w) == 3:
                meta[w[1]] = w[2]
            elif w[0] == "BENCH_JSON":
                rep, row, wl, b64 = line.split()[1:5]
                fio = json.loads(gzip.decompress(base64.b64decode(b64)))
                reps.setdefault(int(rep), {}).setdefault(row, {})[wl] = fio
    return meta, [reps[k] for k in sorted(reps)]


def metrics(fio, wl):
    job = fio["jobs"][0]
    d = job["write" if "write" in wl else "read"]
    pct = d["lat_ns"].get("percentile", {})
    return {"iops": d["iops"], "bw": d["bw_bytes"] / 2**20,
            "p50": pct.get("50.000000", 0), "p99": pct.get("99.000000", 0)}


def summarize(reps, row, wl):
    """Median over reps of each metric, or None if the row did not run."""
    ms = [metrics(r[row][wl], wl) for r in reps if wl in r.get(row, {})]
    if not ms:
        return None
    return {k: statistics.median(m[k] for m in ms) for k in ms[0]}


def ratio(a, b, k):
    return a[k] / b[k] if a and b and b[k] else None


def fmt(x, nd=0):
    if x is None:
        return "-"
    return f"{x:,.{nd}f}".replace(",", " ")


def table(data, wl, clocks, out):
    hdr = ["path"]
    for c in clocks:
        n = len(data[c][0])
        tag = "icount" if c == "icount" else f"wall, median of {n}"
        hdr += [f"IOPS ({tag})", f"MiB/s ({tag})", f"p50 ns ({tag})",
                f"p99 ns ({tag})", f"ratio ({tag})"]
    out.append("| " + " | ".join(hdr) + " |")
    out.append("|---" + "|---:" * (len(hdr) - 1) + "|")
    for row, ref, desc in ROWS:
        cells, any_ = [f"`{row}` {desc}"], False
        for c in clocks:
            reps = data[c][0]
            m = summarize(reps, row, wl)
            any_ |= m is not None
            r = ratio(m, summarize(reps, ref, wl), "iops") if ref else None
            if m is None:
                cells += ["-"] * 5
                continue
            cells += [fmt(m["iops"]), fmt(m["bw"], 1), fmt(m["p50"]),
                      fmt(m["p99"]), fmt(r, 2) if ref else "(ref)"]
        if any_:
            out.append("| " + " | ".join(cells) + " |")


def check_targets(data):
    res = []
    for desc, wl, row, ref, k, cmp, bound, clock in TARGETS:
        if clock not in data:
            continue
        reps = data[clock][0]
        r = ratio(summarize(reps, row, wl), summarize(reps, ref, wl), k)
        ok = None if r is None else (r >= bound if cmp == ">=" else r <= bound)
        res.append((desc, f"{row} / {ref}", k, cmp, bound, clock, r, ok))
    return res


def agreement(runs):
    """Largest relative IOPS difference between the first two icount runs."""
    if len(runs) < 2:
        return None
    worst = (0.0, "")
    a, b = runs[0][0], runs[1][0]
    for row in a:
        for wl in a[row]:
            if wl not in b.get(row, {}):
                continue
            x, y = (metrics(r[row][wl], wl)["iops"] for r in (a, b))
            d = abs(x - y) / ((x + y) / 2)
            worst = max(worst, (d, f"{row} {wl}"))
    return worst


def chart(data, prefix, title):
    clock = "icount" if "icount" in data else "wall"
    reps = data[clock][0]
    vals = {r: {wl: ratio(summarize(reps, r, wl),
                          summarize(reps, REF[r], wl), "iops")
                for wl in WORKLOADS}
            for r, ref, _ in ROWS if ref}
    # Only what this run measured (BENCH_ONLY=zoned measures few rows):
    # gnuplot refuses a column with no number.
    wls = [wl for wl in WORKLOADS
           if any(v[wl] is not None for v in vals.values())]
    rows = [r for r, v in vals.items()
            if any(v[wl] is not None for wl in wls)]
    with tempfile.NamedTemporaryFile("w", suffix=".dat", delete=False) as f:
        f.write("row " + " ".join(wls) + "\n")
        for row in rows:
            f.write(row + " " + " ".join(
                "NaN" if vals[row][wl] is None else f"{vals[row][wl]:.4f}"
                for wl in wls) + "\n")
        dat = f.name
    gp = f"""
set terminal pngcairo size 1400,600 font ",10"
set output "{prefix}.png"
set title "{title}"
set ylabel "ratio to reference (IOPS; 1.0 = reference)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.9 border -1
set boxwidth 0.9
set xtics rotate by -30 nomirror
set grid ytics
set yrange [0:*]
set key outside right top
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 2 lc rgb "black"
plot for [i=2:{1 + len(wls)}] "{dat}" using i:xtic(1) title columnheader(i)
"""
    try:
        subprocess.run(["gnuplot"], input=gp, text=True, check=True)
    finally:
        os.unlink(dat)


def render(res, prefix):
    data = {c: res["runs"][c] for c in ("icount", "wall") if res["runs"].get(c)}
    clocks = [c for c in ("icount", "wall") if c in data]
    meta = res["meta"]
    kern = res["kernel"]
    out = [f"# zcblk bench: {kern}, {res['date']}", ""]
    out.append("Generated by `make bench` (selftests/bench/run.sh, bench.sh, "
               "report.py); raw fio JSON in "
               f"`{os.path.basename(prefix)}.json`. One vCPU, QEMU TCG. "
               "icount: QEMU `-icount shift=0,sleep=off`, one guest ns per "
               "guest instruction, a fixed number of I/Os per run, so IOPS "
               "and latencies count instructions (repeatable); wall: "
               f"timed runs, median of {len(data['wall'][0]) if 'wall' in data else 0} reps, "
               "noisy on a shared host. Ratio: IOPS (128k: bandwidth) over "
               "the reference row's, from the same run. Latency: fio "
               "total latency (submission to completion).")
    out.append("")
    keys = ("fio", "nproc", "clocksource", "crc_t10dif")
    out.append("Guest: " + ", ".join(f"{k}={meta[k]}" for k in keys
                                     if k in meta) + ".")
    for s in res.get("skips", []):
        out.append("")
        out.append(f"Skipped: {s}")
    ag = res.get("agreement")
    if ag:
        out.append("")
        out.append(f"Deterministic runs: {ag['runs']}; largest IOPS "
                   f"difference between the first two: {ag['worst'] * 100:.3f}% "
                   f"({ag['where']}).")
    out += ["", "## Targets", "",
            "| target | rows | metric | clock | bound | measured | met |",
            "|---|---|---|---|---:|---:|---|"]
    for desc, rows, k, cmp, bound, clock, r, ok in check_targets(data):
        if r is None:
            continue
        out.append(f"| {desc} | `{rows}` | {k} | {clock} | {cmp} {bound} | "
                   f"{fmt(r, 3)} | {'-' if ok is None else ('yes' if ok else '**no**')} |")
    for wl in WORKLOADS:
        # A workload this run did not measure (BENCH_ONLY) has no section.
        if all(summarize(data[c][0], r, wl) is None
               for c in clocks for r, _, _ in ROWS):
            continue
        out += ["", f"## {wl}", ""]
        table(data, wl, clocks, out)
    out += ["", f"![ratios]({os.path.basename(prefix)}.png)", ""]
    with open(prefix + ".md", "w") as f:
        f.write("\n".join(out))
    chart(data, prefix, f"zcblk / reference, {kern}, "
          f"{'icount' if 'icount' in data else 'wall'} clock")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel")
    ap.add_argument("--prefix")
    ap.add_argument("--date")
    ap.add_argument("--icount", action="append", default=[])
    ap.add_argument("--wall", action="append", default=[])
    ap.add_argument("--skip", action="append", default=[])
    ap.add_argument("--from", dest="src")
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()

    if a.quick:
        _, reps = parse(a.wall[0])
        rows = [("zc-chr", "(a) zcblk char dev, io_uring_cmd"),
                ("zc-chr-fb", "(b) zcblk char dev, io_uring_cmd fixedbufs=1"),
                ("zc-blk", "(c) zcblk block dev, io_uring direct=1"),
                ("nullb", "(d) null_blk /dev/nullb0, io_uring direct=1 (reference)")]
        wl = "randread-4k-qd32"
        ref = summarize(reps, "nullb", wl)
        print("4k random read QD32, null backend, TCG wall clock, one vCPU\n")
        print("| path | IOPS | p50 ns | p99 ns | ratio to (d) |")
        print("|---|---:|---:|---:|---:|")
        for row, d in rows:
            m = summarize(reps, row, wl)
            print(f"| {d} | {fmt(m['iops'])} | {fmt(m['p50'])} | "
                  f"{fmt(m['p99'])} | {ratio(m, ref, 'iops'):.2f} |")
        return

    if a.src:
        with open(a.src) as f:
            res = json.load(f)
    else:
        res = {"kernel": a.kernel, "date": a.date, "meta": {}, "skips": a.skip,
               "runs": {"icount": [], "wall": []}}
        for c, files in (("icount", a.icount), ("wall", a.wall)):
            for p in files:
                meta, reps = parse(p)
                if not reps:
                    sys.exit(f"report.py: no results in {p}")
                res["meta"].update(meta)
                res["runs"][c].append(reps)
        # runs[clock][run][rep][row][workload] = fio JSON; render() uses
        # the first run of each clock.
        ag = agreement(res["runs"]["icount"])
        if ag:
            res["agreement"] = {"runs": len(res["runs"]["icount"]),
                                "worst": ag[0], "where": ag[1]}
        with open(a.prefix + ".json", "w") as f:
            json.dump(res, f, separators=(",", ":"))
    render(res, a.prefix)


if __name__ == "__main__":
    main()
