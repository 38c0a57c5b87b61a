#!/usr/bin/python3
# Sums TAP results across meson's test log and prints the closing 'N passed, N failed, N skipped' line.
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import re
import sys

passed = failed = skipped = 0
ok_re = re.compile(r'^(not )?ok\b.*?(#\s*(SKIP|TODO)\b.*)?$', re.IGNORECASE)

try:
    with open(sys.argv[1], encoding='utf-8') as f:
        records = [json.loads(line) for line in f if line.strip()]
except (OSError, ValueError) as e:
    print(f'summarize: cannot read the test log: {e}', file=sys.stderr)
    print('0 passed, 1 failed')
    sys.exit(1)

for rec in records:
    p = f_ = s = 0
    for line in (rec.get('stdout') or '').splitlines():
        m = ok_re.match(line.strip())
        if not m:
            continue
        if m.group(3) and m.group(3).upper() == 'SKIP':
            s += 1
        elif m.group(1):
            f_ += 1
        else:
            p += 1
    result = rec.get('result', '')
    if result not in ('OK', 'EXPECTEDFAIL', 'SKIP') and f_ == 0:
        f_ = 1   # crashed, timed out or failed without saying which subtest
    if p + f_ + s == 0:
        if result == 'SKIP':
            s = 1
        elif result == 'OK':
            p = 1
        else:
            f_ = 1
    print(f"  {rec.get('name')}: {p} passed, {f_} failed, {s} skipped ({result})", file=sys.stderr)
    passed += p
    failed += f_
    skipped += s

print(f'{passed} passed, {failed} failed, {skipped} skipped')
sys.exit(1 if failed or not records else 0)
