#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""costs.py: costs.sh's report. Reads, from --dir, for each target T and
group G: T.base.json (untraced fio run), T.G.json and T.G.trace (the
traced run and its function_graph trace), G.fns (the group's functions
present in this kernel); prints Markdown on stdout. Under -icount
shift=0,sleep=off one guest nanosecond is one instruction."""

import argparse
import json
import os
import re

# " 0) + 12.345 us   |    name();" or "} /* name */" (funcgraph-tail);
# a module's functions are "name [module]".
LINE = re.compile(r'\)\s*[+!#*@$]?\s*([\d.]+) us\s*\|\s*'
                  r'(?:\}\s*/\*\s*([\w.]+)(?: \[\w+\])?\s*\*/|'
                  r'([\w.]+)(?: \[\w+\])?\(\);)')


def fio_ios_and_instr(path):
    """(I/Os done, instructions per I/O) of a fio JSON file (or uqd's)."""
    with open(path) as f:
        job = json.load(f)['jobs'][0]
    ios = sum(job.get(d, {}).get('total_ios', 0) for d in ('read', 'write'))
    # job_runtime: ms of guest time, i.e. 10^6 instructions.
    return ios, job['job_runtime'] * 1e6 / ios


def trace_sums(path):
    """{function: (calls, total instructions)} of a function_graph trace."""
    sums = {}
    with open(path) as f:
        for line in f:
            m = LINE.search(line)
            if not m:
                continue
            fn = m.group(2) or m.group(3)
            calls, ins = sums.get(fn, (0, 0.0))
            sums[fn] = (calls + 1, ins + float(m.group(1)) * 1000)
    return sums


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', required=True)
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--targets', required=True)
    ap.add_argument('--groups', required=True)
    ap.add_argument('--workload', default='randread 4k QD32')
    a = ap.parse_args()
    targets = a.targets.split()
    d = a.dir

    print(f'# Instructions per I/O, fio {a.workload} (zcp-*-w: write), '
          f'{a.kernel}\n')
    print('QEMU `-icount shift=0,sleep=off`: one guest nanosecond is one '
          'instruction. "calls" and "instr" are per I/O; a function\'s '
          'instructions include its children and the tracer\'s cost of '
          'that call (the "tracer" row of each group).\n')
    base = {t: fio_ios_and_instr(os.path.join(d, f'{t}.base.json'))[1]
            for t in targets}
    print('| function | ' + ' | '.join(f'{t} calls | {t} instr'
                                      for t in targets) + ' |')
    print('|---|' + '---:|---:|' * len(targets))
    print('| **whole I/O (untraced)** | ' +
          ' | '.join(f' | {base[t]:.0f}' for t in targets) + ' |')
    missing = []
    for g in a.groups.split():
        with open(os.path.join(d, f'{g}.fns')) as f:
            fns = f.read().split()
        with open(os.path.join(d, f'{g}.want')) as f:
            missing += [fn for fn in f.read().split() if fn not in fns]
        if not fns:
            continue
        rows = {fn: [] for fn in fns}
        tracer = []
        for t in targets:
            ios, instr = fio_ios_and_instr(os.path.join(d, f'{t}.{g}.json'))
            sums = trace_sums(os.path.join(d, f'{t}.{g}.trace'))
            ncalls = 0
            for fn in fns:
                calls, ins = sums.get(fn, (0, 0.0))
                rows[fn].append((calls / ios, ins / ios))
                ncalls += calls / ios
            over = (instr - base[t]) / ncalls if ncalls else 0
            tracer.append(over)
        print(f'| *{g}* |' + ' |' * (2 * len(targets)))
        for fn in fns:
            print(f'| `{fn}` | ' + ' | '.join(
                f'{c:.2f} | {i:.0f}' for c, i in rows[fn]) + ' |')
        print('| tracer, per traced call | ' +
              ' | '.join(f' | {o:.0f}' for o in tracer) + ' |')
    if missing:
        print('\nNot in this kernel: ' + ', '.join(missing))
    for t in targets:
        for g in a.groups.split():
            p = os.path.join(d, f'{t}.{g}.overrun')
            if os.path.exists(p):
                with open(p) as f:
                    for line in f:
                        if int(line.split()[-1]):
                            print(f'\nWARNING: {t} {g}: trace {line.strip()}')


if __name__ == '__main__':
    main()
