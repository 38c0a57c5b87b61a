#!/usr/bin/env python3
# Jarchi campaign tests: the load SIPp saw, from the message traces of every SIPp below a lab dir.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: sipp-load.py LAB_ROOT WINDOW_SECONDS SLACK_SECONDS
# Prints JSON: {"calls": N, "max_concurrent": N, "max_concurrent_strict": N, "max_in_window": N,
# "worst_overlap_ms": F, "invites": {USER: N}}, USER being the To header's (the number dialled).
# A call lasts from the INVITE's arrival to the first of: BYE or CANCEL
# received, BYE sent, final error response sent. Our BYE/CANCEL and our next INVITE leave in
# that order but may cross the proxy's worker processes: max_concurrent forgives a new call
# arriving up to SLACK seconds before another one's end was seen; max_concurrent_strict does not.
import glob
import json
import re
import sys
from datetime import datetime

SEP = "-----------------------------------------------"
root, window, slack = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
starts, ends, users = {}, {}, {}

for path in glob.glob(root + "/**/sipp.messages", recursive=True):
    stamp = None
    with open(path, errors="replace") as f:
        blocks = f.read().split(SEP)
    for block in blocks:
        m = re.match(r" (\d{4}-\d\d-\d\d[ \t]\d\d:\d\d:\d\d\.\d+)\n", block)
        if m:
            stamp = datetime.strptime(m.group(1).replace("\t", " "), "%Y-%m-%d %H:%M:%S.%f").timestamp()
        received = re.search(r"UDP message received", block)
        sent = re.search(r"UDP message sent", block)
        if stamp is None or not (received or sent):
            continue
        body = block.split("\n\n", 1)[-1].lstrip("\n")
        first = body.split("\n", 1)[0]
        cid = re.search(r"^Call-ID:\s*(\S+)", body, re.M | re.I)
        if not cid:
            continue
        cid = cid.group(1)
        if received and first.startswith("INVITE ") and cid not in starts:
            starts[cid] = stamp
            to = re.search(r"^(?:To|t):[^\n]*?sips?:([^@;>\s]+)@", body, re.M | re.I)
            users[cid] = to.group(1) if to else "?"
        elif (received and (first.startswith("BYE ") or first.startswith("CANCEL "))) or \
             (sent and first.startswith("BYE ")) or \
             (sent and re.match(r"SIP/2.0 [3-6]\d\d", first)):
            ends.setdefault(cid, stamp)


def max_concurrent(shift):
    events = []
    for cid, t in starts.items():
        events.append((t, 1))
        events.append((ends.get(cid, float("inf")) - shift, -1))
    events.sort(key=lambda e: (e[0], e[1]))  # an end before a start at the same instant
    cur = best = 0
    for _, d in events:
        cur += d
        best = max(best, cur)
    return best


times = sorted(starts.values())
in_window = 0
j = 0
for i in range(len(times)):
    while times[i] - times[j] >= window:
        j += 1
    in_window = max(in_window, i - j + 1)

strict = max_concurrent(0.0)
forgiving = max_concurrent(slack)
# the smallest slack that brings the count down to the forgiving one, to report the reordering
overlap_ms = 0.0
if strict > forgiving:
    lo, hi = 0.0, slack
    for _ in range(30):
        mid = (lo + hi) / 2
        if max_concurrent(mid) > forgiving:
            lo = mid
        else:
            hi = mid
    overlap_ms = round(hi * 1000, 2)
invites = {}
for user in users.values():
    invites[user] = invites.get(user, 0) + 1
print(json.dumps({"calls": len(starts), "max_concurrent": forgiving, "max_concurrent_strict": strict,
                  "max_in_window": in_window, "worst_overlap_ms": overlap_ms, "invites": invites}))
