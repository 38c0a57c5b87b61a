#!/usr/bin/env python3
# Jarchi test lab: write a pcap of one RTP stream (PCMU tone + RFC 4733 digits) for SIPp's
# play_pcap_audio, with consistent sequence numbers and timestamps for any digit string.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: rtp_pcap.py DIGITS OUT.pcap TONE.ul [LEAD_MS] [TAIL_MS]
#   DIGITS   0-9 * # A-D (repeats allowed), e.g. "1" or "123#"
#   TONE.ul  raw PCMU (8 kHz) audio sent between digits (looped if short)
# Each digit: 160 ms event (PT 101, 20 ms packets, end packet sent 3 times), then 340 ms of
# audio (PT 0). LEAD_MS of audio before the first digit (default 1000), TAIL_MS after the last
# (default 1000).
import struct
import sys

EVENTS = {c: i for i, c in enumerate("0123456789*#ABCD")}
SSRC = 0x4A415243  # "JARC"
PT_AUDIO, PT_EVENT = 0, 101
SRC_PORT, DST_PORT = 40000, 40002  # SIPp rewrites both (the offset from the lowest dest is kept)


def ip_checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(payload):
    udp = struct.pack("!HHHH", SRC_PORT, DST_PORT, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0,
                     bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
    ip = ip[:10] + struct.pack("!H", ip_checksum(ip)) + ip[12:]
    eth = b"\0" * 12 + b"\x08\x00"
    return eth + ip + udp


def main():
    digits, out, tone = sys.argv[1], sys.argv[2], sys.argv[3]
    lead = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    tail = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
    for d in digits:
        if d.upper() not in EVENTS:
            sys.exit("rtp_pcap.py: bad digit %r" % d)
    audio = open(tone, "rb").read() or b"\xff" * 160
    packets = []  # (time_us, rtp bytes)
    state = {"t": 0, "seq": 1000, "ts": 160000, "pos": 0, "marker": True}

    def rtp(pt, marker, ts, payload):
        hdr = struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, state["seq"] & 0xFFFF,
                          ts & 0xFFFFFFFF, SSRC)
        state["seq"] += 1
        packets.append((state["t"], hdr + payload))

    def send_audio(ms):
        for _ in range(ms // 20):
            p = state["pos"] % len(audio)
            chunk = (audio[p:] + audio)[:160]
            state["pos"] += 160
            rtp(PT_AUDIO, state["marker"], state["ts"], chunk)
            state["marker"] = False
            state["ts"] += 160
            state["t"] += 20000

    def send_event(digit):
        ev = EVENTS[digit.upper()]
        start_ts = state["ts"]
        for i in range(1, 9):  # 8 x 20 ms = 160 ms
            end = i == 8
            payload = struct.pack("!BBH", ev, (0x80 if end else 0) | 10, i * 160)
            for _ in range(3 if end else 1):
                rtp(PT_EVENT, i == 1, start_ts, payload)
            state["t"] += 20000
        state["ts"] += 8 * 160
        state["marker"] = True  # audio resumes after the event

    send_audio(lead)
    for d in digits:
        send_event(d)
        send_audio(340)
    send_audio(tail)

    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for t, payload in packets:
            fr = frame(payload)
            f.write(struct.pack("<IIII", t // 1000000, t % 1000000, len(fr), len(fr)))
            f.write(fr)


if __name__ == "__main__":
    main()
