#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the seed corpus of desc_fuzz (fuzz/corpus/desc/): a few valid
chains in the target's input layout (see desc_fuzz.c), so the fuzzer starts
from inputs that reach deep into the walker."""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "desc")
NEXT, WRITE, INDIRECT = 1, 2, 4


def desc(addr, length, flags=0, nxt=0):
    return struct.pack("<QIHH", addr, length, flags, nxt)


def seed(num_log2, indirect_ok, regions, desc_off, head, mem):
    hdr = num_log2 | (8 if indirect_ok else 0) | ((len(regions) - 1) << 4)
    b = struct.pack("<BHH", hdr, desc_off, head)
    for gpa, size, off in regions:
        b += struct.pack("<Q", gpa) + struct.pack("<I", size)[:3]
        b += bytes([0]) + struct.pack("<H", off)
    return b + bytes(mem)


def put(mem, off, data):
    mem[off:off + len(data)] = data


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {}

    mem = bytearray(0x100)
    put(mem, 0, desc(0x1000, 64, NEXT, 1) + desc(0x2000, 128, WRITE))
    seeds["out-in"] = seed(3, False, [(0x1000, 0x8000, 0x1000)], 0, 0, mem)

    mem = bytearray(0x3040)
    put(mem, 0, desc(0x3000, 32, INDIRECT))
    put(mem, 0x3000, desc(0x1000, 14, NEXT, 1) + desc(0x1100, 1500, WRITE))
    seeds["indirect"] = seed(3, True, [(0, 0x8000, 0)], 0, 0, mem)

    mem = bytearray(0x100)
    put(mem, 0, desc(0x1800, 0x1000, 0))
    seeds["two-regions"] = seed(2, False, [(0x1000, 0x1000, 0x1000),
                                           (0x2000, 0x1000, 0x4000)], 0, 0, mem)

    mem = bytearray(0x100)
    put(mem, 0, desc(0x1000, 12, NEXT, 1) + desc(0x1000, 100, WRITE | NEXT, 2)
        + desc(0x1100, 100, WRITE))
    seeds["mrg-rx"] = seed(4, True, [(0x1000, 0x8000, 0x1000)], 0, 0, mem)

    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
