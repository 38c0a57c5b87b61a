#!/usr/bin/env python3
# Test helper: watches RFC 4733 telephone-events that leave one UDP port on the loopback
# interface (a raw AF_PACKET socket: needs root or CAP_NET_RAW) and prints each event once.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: rtp-events-sniff.py SRC_PORT READY_FILE
# Runs until SIGTERM/SIGINT, then prints one line per event, in the order the events began:
#   DIGIT FINAL_DURATION_SAMPLES END_PACKETS PACKETS FIRST_MS
# FIRST_MS is when the event's first packet was seen, in ms after the first event. Packets are
# counted once even though the loopback device shows each of them twice (out and in).
import signal
import socket
import struct
import sys
import time

DIGITS = "0123456789*#ABCD"
ETH_P_ALL = 0x0003


def main():
    port = int(sys.argv[1])
    ready = sys.argv[2]
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind(("lo", 0))
    sock.settimeout(0.2)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    signal.signal(signal.SIGINT, lambda *a: stop.append(1))
    with open(ready, "w") as f:
        f.write("ready\n")

    seen = set()          # (ssrc, seq): each packet once
    events = {}           # (ssrc, timestamp) -> [event, duration, ends, packets, first]
    order = []
    while not stop:
        try:
            frame = sock.recv(65535)
        except socket.timeout:
            continue
        except InterruptedError:
            continue
        # Ethernet header on lo is 14 bytes (zero addresses).
        if len(frame) < 14 + 20 + 8 + 12 or struct.unpack("!H", frame[12:14])[0] != 0x0800:
            continue
        ip = frame[14:]
        ihl = (ip[0] & 0x0F) * 4
        if ip[9] != 17:
            continue
        udp = ip[ihl:]
        sport = struct.unpack("!H", udp[0:2])[0]
        if sport != port:
            continue
        rtp = udp[8:]
        if len(rtp) < 12 or rtp[0] >> 6 != 2:
            continue
        pt = rtp[1] & 0x7F
        seq, ts, ssrc = struct.unpack("!HII", rtp[2:12])
        payload = rtp[12 + 4 * (rtp[0] & 0x0F):]
        # telephone-event: a dynamic payload type carrying 4 bytes per event
        if pt < 96 or len(payload) != 4 or (ssrc, seq) in seen:
            continue
        seen.add((ssrc, seq))
        event, flags, duration = struct.unpack("!BBH", payload)
        key = (ssrc, ts)
        if key not in events:
            events[key] = [event, 0, 0, 0, time.monotonic()]
            order.append(key)
        e = events[key]
        e[1] = max(e[1], duration)
        e[2] += 1 if flags & 0x80 else 0
        e[3] += 1

    t0 = events[order[0]][4] if order else 0
    for key in order:
        event, duration, ends, packets, first = events[key]
        digit = DIGITS[event] if event < len(DIGITS) else "?"
        print("%s %d %d %d %d" % (digit, duration, ends, packets, round((first - t0) * 1000)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
