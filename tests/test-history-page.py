#!/usr/bin/python3
# Jarchi: drives the History page through AT-SPI (TAP): real calls listed, search, filters, playback, call back, CSV export; 100,000 rows.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run it under tests/run-gui-test.sh (Xvfb + private session bus) with Debian's /usr/bin/python3:
#
#   JARCHI_BINARY=build/src/jarchi tests/run-gui-test.sh /usr/bin/python3 tests/test-history-page.py [--scale|--dark]
#
# Default mode: the lab's Kamailio (digest auth) and a baresip phone 1001 that answers and sends
# a 1 kHz tone; Jarchi's microphone is a 440 Hz tone. The desktop app gets an account that
# records every call and a contact for 1001 through its dashboard API, and makes real calls
# through /api/calls: one to 1001 (answered, hung up after ~4 s, recorded), one to 1999 (nobody:
# Kamailio answers 404). The History page, already open, must show them as they happen; then it
# is driven as a person would: search, direction/result/date filters, Play on the recording
# (the speaker is $JARCHI_AUDIOSINK: a file this test reads, so the 440 Hz + 1 kHz content is
# checked), Call Back (a new call to 1001 appears on the Phone page and then at the top of the
# history), and Export CSV through the file chooser (rows = the filtered view).
# --scale: 100,000 generated rows (the only generated data): the count, the first rows, End to
# the oldest row within a bound; --dark: the same with ADW_DEBUG_COLOR_SCHEME=prefer-dark.
# Screenshots (1280 px and 360 px) go to $JARCHI_TEST_OUTPUT (default <build dir>/test-output)
# as history-*.png.

import array
import csv
import io
import math
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gui_helpers as gh  # noqa: E402  (after the path it is found on)
from gui_helpers import (HOME_KEY, RETURN, SETTLE, bail_out, click, diag, dump_tree, find, is_on_screen,  # noqa: E402
                         key, lab, pyatspi, result, run, states, text_of, wait_for, walk, window_named)

DEADLINE = int(os.environ.get('JARCHI_TEST_DEADLINE', '280'))
START_TIMEOUT = 60.0
CALL_TIMEOUT = 20.0
WIDE, NARROW, HEIGHT = 1280, 360, 800
PASSWORD = 'secret'
CONTACT = 'Alisher Karimov'
N_ROWS = 100000
BASE_TIME = 1700000000
END_KEY = 0xff57
gh.configure(timeout=8.0, lab_password=PASSWORD, quit_timeout=10.0)
mode = sys.argv[1].lstrip('-') if len(sys.argv) > 1 else 'calls'
if mode not in ('calls', 'scale', 'dark'):
    print('usage: %s [--scale|--dark]' % sys.argv[0], file=sys.stderr)
    sys.exit(2)
api = gh.Api()


class Page:
    """The History page's parts, found once: walking the whole window over AT-SPI is slow."""
    frame = root = table = count = search = player = None

    @classmethod
    def find(cls, frame):
        cls.frame = frame
        cls.root = find(frame, 'panel', 'Call history')
        if cls.root is None:
            return False
        cls.count = find(cls.root, 'label', description='Number of calls shown')
        cls.search = find(cls.root, name='Search calls', match=lambda a: a.getRoleName() in ('text', 'entry'))
        cls.table = find(cls.root, name='Calls', match=lambda a: a.getRoleName() in ('table', 'tree table', 'list'))
        return None not in (cls.count, cls.search, cls.table)


def count_text():
    return Page.count.name


def shown_cells():
    """The texts of the cells drawn on screen, row by row (labels under the table)."""
    cells = []
    for acc in walk(Page.table):
        try:
            if acc.getRoleName() == 'label' and acc.name and is_on_screen(acc, Page.frame):
                cells.append(acc.name)
        except Exception:
            pass
    return cells


def wait_count(text, timeout=None):
    return wait_for(lambda: count_text() == text, timeout)


def choose(combo_name, item_name):
    gh.choose(Page.root, combo_name, item_name)


RIGHT, SPACE = 0xff53, 0x20


def date_button(name):
    """The date picker's toggle button (the one with a click action): GTK 4.8 names it with the
    accessible label ("From date") followed by what it shows."""
    return next((a for a in walk(Page.root) if a.getRoleName() == 'push button'
                 and a.name.startswith(name) and a.queryAction().nActions), None)


def pick_date(name, days_from_today):
    """Opens the date picker NAME ("From date", "To date"), whose calendar opens on today with
    the keyboard in it, moves DAYS_FROM_TODAY days right and presses Space, as a keyboard user
    would; returns what the picker then shows (an ISO date)."""
    click(date_button(name))
    time.sleep(SETTLE)
    for _ in range(days_from_today):
        key(RIGHT)
    key(SPACE)
    time.sleep(SETTLE)
    label = find(date_button(name), 'label')
    return label.name if label is not None else None


def clear_date(name):
    click(find(Page.root, 'push button', 'Clear ' + name))
    time.sleep(SETTLE)


def shots(name, what):
    gh.shots(name, what, WIDE, NARROW, mode == 'dark', height=HEIGHT, retry_narrow=True)


# --- the application ---

def start_app(binary, data_dir, args, extra_env):
    env = dict(extra_env)
    if mode == 'dark':
        env['ADW_DEBUG_COLOR_SCHEME'] = 'prefer-dark'
    t0 = time.monotonic()
    frame = gh.start_app(binary, ['--data-dir', data_dir] + args, 'history-app-%s.log' % mode, env, START_TIMEOUT)
    if frame is None:
        bail_out('the window did not appear')
    tab = wait_for(lambda: find(frame, 'page tab', 'History', match=lambda a: is_on_screen(a, frame)), START_TIMEOUT)
    if tab is None:
        dump_tree(frame, 'window')
        bail_out('no History tab')
    click(tab)
    gh.expect_page(frame, lambda: Page.find(frame),
                   'no History page: a panel "Call history" with the label "Number of calls shown", '
                   'the entry "Search calls" and the table "Calls"',
                   'the window appears and its History tab shows the History page', t0)
    gh.fit_window(WIDE, HEIGHT)
    return frame


def goertzel(samples, rate, hz):
    """Relative power of HZ in SAMPLES (floats)."""
    k = 2 * math.cos(2 * math.pi * hz / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + k * s1 - s2, s1
    return (s1 * s1 + s2 * s2 - k * s1 * s2) / max(len(samples), 1) ** 2


# --- default mode: real calls ---

def api_wait_state(call_id, wanted, timeout=CALL_TIMEOUT):
    def state():
        status, body = api.call('GET', 'api/calls/%s' % call_id)
        return body if status == 200 and body.get('state') in wanted else None
    return wait_for(state, timeout, interval=0.3)


def real_calls(binary, data_dir, work):
    run.lab_dir = os.path.join(work, 'lab')
    os.makedirs(run.lab_dir)
    t0 = time.monotonic()
    status, port = lab('p=$(lab_free_port) && lab_kamailio_start "$LAB/kam" "$p" auth >&2 && echo "$p"')
    ok = status == 0 and port.isdigit() and lab(
        'lab_baresip_start "$LAB/alice" 0 --user 1001 --registrar 127.0.0.1:%s --password %s --tone 1000'
        % (port, PASSWORD))[0] == 0
    if not result(ok, 'lab: Kamailio with digest auth on 127.0.0.1:%s and baresip 1001 (1 kHz tone) registered (%.1f s)'
                  % (port, time.monotonic() - t0)):
        bail_out('no SIP peers')
    sip_port = lab('lab_free_port')[1]
    speaker = os.path.join(work, 'speaker.raw')
    # The speaker is a file: every sound the app plays (calls and recordings) is appended to it.
    frame = start_app(binary, data_dir, ['--dashboard-port', '0', '--sip-port', sip_port], {
        'JARCHI_AUDIOSRC': 'audiotestsrc wave=sine freq=440 volume=0.4 is-live=true',
        'JARCHI_AUDIOSINK': 'audioconvert ! audioresample ! audio/x-raw,format=S16LE,rate=8000,channels=1 ! '
                            'filesink append=true sync=true location="%s"' % speaker})
    result(wait_count('0 calls') and find(Page.root, 'label', 'No Call History') is not None,
           'an empty history says "0 calls" and "No Call History" (%r)' % count_text())

    if not api.connect(binary, data_dir):
        bail_out('the app printed no dashboard URL')
    status, _ = api.call('POST', 'api/accounts', {'uri': 'sip:jarchi@127.0.0.1:%s' % port, 'password': PASSWORD,
                                                  'display_name': 'Jarchi Test', 'record': True})
    registered = status == 201 and lab('lab_kamailio_wait_registered "$LAB/kam" jarchi 10')[0] == 0
    contact = api.call('POST', 'api/contacts', {'name': CONTACT, 'phone': '1001'})[0]
    if not result(registered and contact == 201, 'an account that records every call registers; contact %s added (%s, %s)'
                  % (CONTACT, status, contact)):
        bail_out('no account to call with')

    # A call to 1001: its row appears while it rings, and is completed in place when it ends.
    status, body = api.call('POST', 'api/calls', {'to': '1001'})
    call1 = body.get('id') if status == 201 else None
    shown = wait_count('1 call', CALL_TIMEOUT)
    active = call1 and api_wait_state(call1, ('active',))
    result(bool(shown) and bool(active), 'a call to 1001 is in the list while it goes on ("1 call"), answered')
    time.sleep(4.0)
    api.call('POST', 'api/calls/%s/hangup' % call1)
    ended = api_wait_state(call1, ('ended',))
    status, body = api.call('POST', 'api/calls', {'to': '1999'})
    call2 = body.get('id') if status == 201 else None
    failed = call2 and api_wait_state(call2, ('ended',))
    result(bool(ended) and bool(failed) and wait_count('2 calls', CALL_TIMEOUT),
           'the hung-up call and a call to 1999 (%s) are listed: "2 calls" (%r)'
           % (failed and failed.get('end_reason'), count_text()))
    status, history = api.call('GET', 'api/history')
    rows = history.get('items', []) if status == 200 else []
    first = next((r for r in rows if '1001' in r['remote']), None)
    if not first or not first.get('recording'):
        bail_out('the call to 1001 has no recording in /api/history: %r' % rows)
    remote1 = first['remote'][4:]
    remote2 = next(r for r in rows if '1999' in r['remote'])['remote'][4:]
    want = [remote1, CONTACT, 'Jarchi Test', first['end_reason'], '0:%02d' % first['duration']]
    cells = wait_for(lambda: (lambda c: c if all(w in c for w in want) and remote2 in c else None)(shown_cells()))
    if not result(bool(cells), 'the rows show number, contact, account, result and duration: %s; %s' % (want, remote2)):
        diag('cells: %r' % shown_cells())
    shots('history-calls', 'the History page with real calls')

    # Search and filters.
    Page.search.queryEditableText().setTextContents('1999')
    result(wait_count('1 call') and remote2 in shown_cells() and remote1 not in shown_cells(),
           'searching "1999" shows only that call (%r)' % count_text())
    Page.search.queryEditableText().setTextContents('')
    wait_count('2 calls')
    choose('Direction', 'Incoming')
    result(wait_count('0 calls') and find(Page.root, 'label', 'No Matching Calls') is not None,
           'direction "Incoming": "0 calls", "No Matching Calls" (%r)' % count_text())
    choose('Direction', 'Outgoing')
    result(bool(wait_count('2 calls')), 'direction "Outgoing": both calls (%r)' % count_text())
    choose('Result', 'Not answered')
    result(wait_count('1 call') and remote2 in shown_cells(), 'result "Not answered": the call to 1999 (%r)' % count_text())
    choose('Result', 'Recorded')
    result(wait_count('1 call') and remote1 in shown_cells(), 'result "Recorded": the call to 1001 (%r)' % count_text())
    today = time.strftime('%Y-%m-%d')
    tomorrow = time.strftime('%Y-%m-%d', time.localtime(time.time() + 86400))
    picked = pick_date('From date', 1)
    result(picked == tomorrow and wait_count('0 calls'),
           'picking tomorrow in the "From date" calendar (%s): no calls (%r)' % (picked, count_text()))
    shots('history-date-range', 'the date pickers with a range')
    clear_date('From date')
    picked = (pick_date('From date', 0), pick_date('To date', 0))
    result(picked == (today, today) and wait_count('1 call'),
           'from %s to %s, picked in the calendars: the recorded call again (%r)' % (picked + (count_text(),)))

    # Playback of the recording: the first row is selected; Play; the time moves; the speaker
    # file receives the call's sound (Jarchi's 440 Hz and baresip's 1 kHz, mixed).
    Page.player = wait_for(lambda: find(Page.root, 'panel', 'Selected call'))
    play = Page.player and wait_for(lambda: find(Page.player, 'push button', 'Play',
                                                 match=lambda a: 'sensitive' in states(a)))
    if not result(play is not None, 'the selected recorded call offers Play'):
        dump_tree(Page.root, 'page')
    else:
        before = os.path.getsize(speaker) if os.path.exists(speaker) else 0
        time_label = find(Page.player, 'label', description='Playback time')
        click(play)
        pause = wait_for(lambda: find(Page.player, 'push button', 'Pause'))
        moved = wait_for(lambda: re.match(r'0:0[2-9] / 0:0\d', time_label.name), 6.0)
        result(pause is not None and bool(moved), 'Play turns into Pause and the time advances (%r)' % time_label.name)
        shots('history-playing', 'a recording playing')
        wait_for(lambda: find(Page.player, 'push button', 'Play'), 10.0)
        with open(speaker, 'rb') as f:
            f.seek(before)
            data = array.array('h', f.read())
        seconds = len(data) / 8000.0
        block = [float(x) for x in data[len(data) // 4: len(data) // 4 + 4000]]
        p440, p1000, p700 = (goertzel(block, 8000, hz) for hz in (440, 1000, 700))
        result(seconds >= first['duration'] - 1.5 and p440 > 20 * p700 and p1000 > 20 * p700,
               'the speaker got %.1f s of the recording with 440 Hz and 1 kHz in it (power 440: %.3g, 1000: %.3g, 700: %.3g)'
               % (seconds, p440, p1000, p700))
    for picker in ('From date', 'To date'):
        clear_date(picker)
    choose('Result', 'All results')

    # CSV export of the filtered view through the file chooser.
    Page.search.queryEditableText().setTextContents('1999')
    wait_count('1 call')
    csv_path = os.path.join(work, 'exported-calls.csv')
    click(find(Page.root, 'push button', 'Export CSV'))
    chooser = wait_for(lambda: window_named('Export Calls'), START_TIMEOUT)
    exported = None
    if chooser is not None:
        time.sleep(1.0)  # mapped and focused
        name_entry = find(chooser, 'text', match=lambda a: 'calls.csv' in text_of(a))
        if name_entry is not None:
            name_entry.queryEditableText().setTextContents(csv_path)
        time.sleep(SETTLE)
        key(RETURN)
        exported = wait_for(lambda: os.path.exists(csv_path) and open(csv_path, encoding='utf-8-sig').read(), 10.0)
    table = list(csv.DictReader(io.StringIO(exported or '')))
    result(len(table) == 1 and '1999' in table[0]['remote'] and table[0]['account_name'] == 'Jarchi Test',
           'Export CSV writes the filtered view: one row, the call to 1999 (%d rows)' % len(table))
    Page.search.queryEditableText().setTextContents('')

    # Call back: the Phone page calls 1001 again; the new call is at the top of the history.
    Page.search.queryEditableText().setTextContents('1001')
    wait_count('1 call')
    back = wait_for(lambda: find(Page.player, 'push button', 'Call Back', match=lambda a: 'sensitive' in states(a)))
    if back is not None:
        click(back)
    phone_tab = find(frame, 'page tab', 'Phone')
    calling = wait_for(lambda: (lambda s, b: [c for c in b.get('items', []) if '1001' in c['remote']] if s == 200 else None)(
        *api.call('GET', 'api/calls/active')), CALL_TIMEOUT)
    result(back is not None and bool(calling) and 'selected' in states(phone_tab),
           'Call Back shows the Phone page and calls 1001 (%s)' % (calling and calling[0]['state']))
    if calling:
        api.call('POST', 'api/calls/%s/hangup' % calling[0]['id'])
    click(find(frame, 'page tab', 'History'))
    result(bool(wait_count('2 calls', CALL_TIMEOUT)), 'the call back is added at the top of the searched list (%r)' % count_text())
    Page.search.queryEditableText().setTextContents('')
    result(bool(wait_count('3 calls')), 'three calls in all (%r)' % count_text())


# --- --scale and --dark: 100,000 generated rows ---

def generate(binary, data_dir):
    # The real binary creates the database (schema and migrations); the rows are then generated.
    proc = subprocess.Popen([binary, '--headless', '--data-dir', data_dir, '--dashboard-port', '0'],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        end = time.monotonic() + START_TIMEOUT
        while time.monotonic() < end:
            line = proc.stdout.readline().decode(errors='replace')
            if not line or 'dashboard: http' in line:
                break
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    db = sqlite3.connect(os.path.join(data_dir, 'jarchi.db'))
    db.executemany('INSERT INTO calls (direction, remote, remote_name, started_at, answered_at, ended_at, result, sip_code) '
                   'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
                   (('incoming' if i % 3 == 0 else 'outgoing', 'sip:+99890%07d@pbx.example' % i,
                     'Ali Valiyev' if i % 10 == 0 else '', BASE_TIME + i * 10,
                     None if i % 4 == 0 else BASE_TIME + i * 10 + 2, BASE_TIME + i * 10 + 67,
                     'busy' if i % 4 == 0 else 'hung up', 486 if i % 4 == 0 else 200) for i in range(N_ROWS)))
    db.commit()
    db.close()


def scale_run(binary, data_dir, work):
    t0 = time.monotonic()
    generate(binary, data_dir)
    diag('generated %d rows in %.1f s' % (N_ROWS, time.monotonic() - t0))
    start_app(binary, data_dir, ['--no-dashboard'], {'JARCHI_AUDIOSINK': 'fakesink'})
    result(bool(wait_count('%d calls' % N_ROWS, 15.0)), 'the page counts %d calls (%r)' % (N_ROWS, count_text()))
    newest = '+99890%07d@pbx.example' % (N_ROWS - 1)
    oldest = '+99890%07d@pbx.example' % 0
    result(bool(wait_for(lambda: newest in shown_cells())), 'the newest call is the first row')
    shots('history-100k', '100,000 calls')
    # The end of the list: focus the table, End; the oldest row must be drawn within 10 s.
    cell = find(Page.table, 'label', newest)
    row = cell.parent.parent if cell is not None else None
    t0 = time.monotonic()
    focused = False
    try:
        focused = row.queryComponent().grabFocus()
    except Exception as e:
        diag('grabFocus: %s' % e)
    if not focused and run.x11_window:
        # A click on the row, at its place on the screen (GTK 4.8 only knows window coordinates).
        ext = cell.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        x, y = run.x11.geometry(run.x11_window)[:2]
        pyatspi.Registry.generateMouseEvent(x + ext.x + ext.width // 2, y + ext.y + ext.height // 2, 'b1c')
    time.sleep(SETTLE)
    # Selection follows the keyboard: the "Selected call" label names the row End reached. It
    # is one accessible to poll; the table's cells are hundreds (slow over AT-SPI on a busy machine).
    selected = find(Page.root, 'label', description='Selected call')
    t0 = time.monotonic()
    key(END_KEY)
    reached = wait_for(lambda: oldest in selected.name, 15.0)
    took = time.monotonic() - t0
    result(bool(reached) and took < 15.0 * gh.SCALE, 'End selects the oldest of %d rows in %.1f s (%r)' % (N_ROWS, took, selected.name))
    result(bool(wait_for(lambda: oldest in shown_cells(), 20.0)), 'the oldest row is drawn on screen')
    t0 = time.monotonic()
    key(HOME_KEY)
    back = wait_for(lambda: newest in selected.name, 15.0)
    result(bool(back), 'Home goes back to the newest row in %.1f s' % (time.monotonic() - t0))
    Page.search.queryEditableText().setTextContents('valiyev')
    result(bool(wait_count('%d calls' % (N_ROWS // 10), 10.0)), 'searching "valiyev" among 100,000 rows: %r' % count_text())
    shots('history-100k-search', 'a search over 100,000 calls')


def main():
    # 100,000 rows: a call into the app may wait for a long frame (under the sanitizer, for
    # many seconds), so AT-SPI gets longer before it calls the app gone.
    binary, started = gh.begin(DEADLINE, atspi_timeouts=(20000, 30000) if mode != 'calls' else (5000, 15000))
    work = tempfile.mkdtemp(prefix='jarchi-history-')
    data_dir = os.path.join(work, 'data')
    if mode == 'calls':
        real_calls(binary, data_dir, work)
    else:
        scale_run(binary, data_dir, work)
    return gh.finish(started)


if __name__ == '__main__':
    gh.run_main(main)
