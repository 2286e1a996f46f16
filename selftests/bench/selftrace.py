#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""selftrace.py OUTPUT: from selftrace.sh's output, a Markdown table per
section of the instructions each driver function (zcblk_*, null_*,
end_cmd) spends itself per call: its mean traced duration, less its
direct children's, less the tracer's own cost, calibrated on the same
trace: a leaf's (the median of __rcu_read_lock(), which does next to
nothing; an interrupt inside a few makes the mean useless) and as much
again per direct child."""
import collections
import re
import statistics
import sys

DRIVER = ('zcblk_', 'null_', 'end_cmd')


def parse(path):
    """{section: {function: [calls, duration, children's, children]}},
    {section: [durations of __rcu_read_lock()]}"""
    out = collections.defaultdict(
        lambda: collections.defaultdict(lambda: [0, 0.0, 0.0, 0]))
    leaves = collections.defaultdict(list)
    sec, stack = None, []
    with open(path, errors='replace') as f:
        for line in f:
            if line.startswith('=== '):
                sec, stack = line[4:].strip(), []
                continue
            parts = line.rstrip('\n').split('|')
            if sec is None or len(parts) < 3:
                continue
            m = re.search(r'([\d.]+) us', parts[1])
            dur = float(m.group(1)) * 1000 if m else None
            text = '|'.join(parts[2:]).strip()
            name = text.split('(')[0].split(' [')[0]
            if text.endswith('{'):
                stack.append([name, 0.0, 0])
                continue
            if text.startswith('}'):
                if not stack:
                    continue
                name, kids, nkids = stack.pop()
            elif text.endswith(';'):
                kids, nkids = 0.0, 0
            else:
                continue
            if dur is None:
                continue
            if name == '__rcu_read_lock':
                leaves[sec].append(dur)
            e = out[sec][name]
            e[0] += 1
            e[1] += dur
            e[2] += kids
            e[3] += nkids
            if stack:
                stack[-1][1] += dur
                stack[-1][2] += 1
    return out, leaves


def main():
    out, leaves = parse(sys.argv[1])
    for sec, funcs in out.items():
        tracer = statistics.median(leaves[sec]) if leaves[sec] else 0
        print(f'## {sec}\n\ntracer: {tracer:.0f} a call\n')
        print('| function | calls | dur | direct children | self | est. own |')
        print('|---|---:|---:|---:|---:|---:|')
        total = 0
        for name, (n, dur, kids, nkids) in sorted(
                funcs.items(), key=lambda kv: -kv[1][1] / kv[1][0]):
            if not name.startswith(DRIVER):
                continue
            own = (dur - kids) / n - tracer * (1 + nkids / n)
            total += own
            print(f'| `{name}` | {n} | {dur / n:.0f} | {nkids / n:.1f} | '
                  f'{(dur - kids) / n:.0f} | {own:.0f} |')
        print(f'| **sum** | | | | | **{total:.0f}** |\n')


if __name__ == '__main__':
    main()
