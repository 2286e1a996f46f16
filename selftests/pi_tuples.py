#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks the protection information of blocks read through nvme-cli.

pi_tuples.py DATA MD BS MS OFF REF APP TYPE: DATA holds blocks of BS
bytes, MD each block's MS bytes of metadata with the 8-byte PI tuple at
OFF (big-endian guard, application tag, reference tag). Each tuple must
have the guard a controller computes (CRC-16 T10-DIF of the block's data
and the metadata bytes before the tuple), application tag APP, and
reference tag REF counting up from the first block (TYPE 3: REF on
every block). APP "escape": the tuple of a block never written (guard 0,
tags FFFFh and FFFFFFFFh) and zero data. Exit 0 if so; else says which
block differs.
"""
import struct
import sys


def crc16(buf, crc=0):
    for x in buf:
        crc ^= x << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x8bb7 if crc & 0x8000 else crc << 1) & 0xffff
    return crc


def main(argv):
    data, md = (open(f, "rb").read() for f in argv[1:3])
    bs, ms, off, ref = (int(x, 0) for x in argv[3:7])
    app, pi_type = argv[7], int(argv[8])
    n = len(data) // bs
    if len(md) != n * ms or len(data) != n * bs:
        print(f"# {len(data)} data and {len(md)} metadata bytes for {n} blocks")
        return 1
    for i in range(n):
        block, meta = data[i * bs:(i + 1) * bs], md[i * ms:(i + 1) * ms]
        if app == "escape":
            want = (0, 0xffff, 0xffffffff)
            if any(block):
                print(f"# block {i}: data not zeros")
                return 1
        else:
            want = (crc16(meta[:off], crc16(block)), int(app, 0),
                    (ref + (i if pi_type != 3 else 0)) & 0xffffffff)
        got = struct.unpack(">HHI", meta[off:off + 8])
        if got != want:
            print(f"# block {i}: PI {got}, want {want}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
