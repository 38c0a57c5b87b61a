#!/usr/bin/env python3
# Jarchi test lab: read raw 8 kHz mono s16le audio on stdin, print the share of 50 ms blocks
# dominated by a frequency (Goertzel). Used by lab.sh's lab_tone_ratio.
# SPDX-License-Identifier: GPL-3.0-or-later
import array
import math
import sys

RATE = 8000
BLOCK = RATE // 20  # 50 ms


def goertzel_power(block, freq):
    k = 2.0 * math.cos(2.0 * math.pi * freq / RATE)
    s1 = s2 = 0.0
    for x in block:
        s0 = x + k * s1 - s2
        s2, s1 = s1, s0
    return s1 * s1 + s2 * s2 - k * s1 * s2


def main():
    freq = float(sys.argv[1])
    min_rms = float(sys.argv[2]) if len(sys.argv) > 2 else 300.0  # of 32768
    data = array.array("h")
    data.frombytes(sys.stdin.buffer.read())
    if sys.byteorder == "big":
        data.byteswap()
    blocks = len(data) // BLOCK
    if blocks == 0:
        print("0")
        return
    hits = 0
    for b in range(blocks):
        block = data[b * BLOCK:(b + 1) * BLOCK]
        energy = sum(x * x for x in block)
        if energy == 0 or math.sqrt(energy / BLOCK) < min_rms:
            continue
        # a pure sine of amplitude A gives Goertzel power (A*N/2)^2 and energy A^2*N/2,
        # so 2*power/(N*energy) is ~1 for the tone and ~0 for anything else
        share = 2.0 * goertzel_power(block, freq) / (BLOCK * energy)
        if share > 0.6:
            hits += 1
    print("%.3f" % (hits / blocks))


if __name__ == "__main__":
    main()
