#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks the protection information of blocks read through nvme-cli.

pi_tuples.py DATA MD BS MS OFF REF APP TYPE [GUARD]: DATA holds blocks
of BS bytes, MD each block's MS bytes of metadata with the PI tuple at
OFF (big-endian guard, application tag, reference tag): 8 bytes with the
16-bit guard (GUARD 16, the default), 16 with the 64-bit guard (GUARD 64:
a 48-bit reference tag). Each tuple must have the guard a controller
computes (CRC-16 T10-DIF, or NVMe's CRC64, of the block's data and the
metadata bytes before the tuple), application tag APP, and reference tag
REF counting up from the first block (TYPE 3: REF on every block). APP
"escape": the tuple of a block never written (the guard of zeros, the
tags' bits all ones) and zero data. Exit 0 if so; else says which block
differs.
"""
import struct
import sys


def crc16(buf, crc=0):
    for x in buf:
        crc ^= x << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x8bb7 if crc & 0x8000 else crc << 1) & 0xffff
    return crc


def crc64(buf, crc=0):
    """NVMe's CRC64: reflected, polynomial 0x9a6c9329ac4bc9b5, inverted."""
    crc ^= 0xffffffffffffffff
    for x in buf:
        crc ^= x
        for _ in range(8):
            crc = (crc >> 1) ^ 0x9a6c9329ac4bc9b5 if crc & 1 else crc >> 1
    return crc ^ 0xffffffffffffffff


def main(argv):
    data, md = (open(f, "rb").read() for f in argv[1:3])
    bs, ms, off, ref = (int(x, 0) for x in argv[3:7])
    app, pi_type = argv[7], int(argv[8])
    g64 = len(argv) > 9 and argv[9] == "64"
    crc, size, refbits = (crc64, 16, 48) if g64 else (crc16, 8, 32)
    mask = (1 << refbits) - 1
    n = len(data) // bs
    if len(md) != n * ms or len(data) != n * bs:
        print(f"# {len(data)} data and {len(md)} metadata bytes for {n} blocks")
        return 1
    for i in range(n):
        block, meta = data[i * bs:(i + 1) * bs], md[i * ms:(i + 1) * ms]
        if app == "escape":
            want = (crc(bytes(off), crc(bytes(bs))), 0xffff, mask)
            if any(block):
                print(f"# block {i}: data not zeros")
                return 1
        else:
            want = (crc(meta[:off], crc(block)), int(app, 0),
                    (ref + (i if pi_type != 3 else 0)) & mask)
        t = meta[off:off + size]
        if g64:
            got = struct.unpack(">QH", t[:10]) + (int.from_bytes(t[10:], "big"),)
        else:
            got = struct.unpack(">HHI", t)
        if got != want:
            print(f"# block {i}: PI {got}, want {want}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
