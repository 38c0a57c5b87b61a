#!/usr/bin/python3
# Jarchi: drives the Broadcasts page through AT-SPI against lab SIP peers (TAP): editor, validation, a real run, counters, chart, table, CSV export.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run it under tests/run-gui-test.sh (Xvfb + private session bus) with Debian's /usr/bin/python3:
#
#   JARCHI_BINARY=build/src/jarchi tests/run-gui-test.sh /usr/bin/python3 tests/test-broadcasts-page.py [--dark]
#
# The lab (tests/lab/lab.sh): Kamailio with digest auth on 127.0.0.1, a SIPp UAS that answers
# and hangs up after 3 s (registered by hand as 2001 and 2002) and one that answers 486 Busy
# (2003). The app runs with its dashboard on a free port; contacts (one on the do-not-call list,
# one inactive) and the SIP account are put in through that HTTP API, as an administrator would.
# Then, through the accessibility tree only: New Broadcast; the department "IT" and one more
# contact, with the live recipient count and the do-not-call exclusion read from the editor;
# 0 simultaneous calls refused next to the field (the core's message) with Save off; retries off;
# a WAV chosen through the file chooser (its duration shown); "Preview Voice" on a text; Save.
# 0.2 new calls per second. In the campaign view: Start, Pause (Resume on, Pause off), Resume,
# wait for Completed, read the counters, the chart's accessible
# description (its bars' numbers), filter the table by "Busy", and export the report through the
# file chooser — it must equal GET /api/campaigns/{id}/report.csv byte for byte.
# --dark: the same with ADW_DEBUG_COLOR_SCHEME=prefer-dark. Screenshots (wide and 360 px) go to
# $JARCHI_TEST_OUTPUT (default <build dir>/test-output) as broadcasts-*.png / broadcasts-*-dark.png.

import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gui_helpers as gh  # noqa: E402  (after the path it is found on)
from gui_helpers import (SETTLE, bail_out, click, diag, dump_tree, find, is_on_screen, key, lab,  # noqa: E402
                         pyatspi, result, run, set_text, show_app_log, states, wait_for, walk,
                         window_named)

DEADLINE = int(os.environ.get('JARCHI_TEST_DEADLINE', '95'))
START_TIMEOUT = max(15.0, DEADLINE / 4)
WIDE, NARROW = 1280, 360
PASSWORD = 'secret'
gh.configure(timeout=8.0, timed_results=True, pointer_clicks=True, lab_password=PASSWORD)

CSV = '\n'.join([
    'name,phone,department,district,position,note,active',
    'Алишер Навоий,2001,Бухгалтерия,Чиланзар,Бухгалтер,,1',
    'Dilnoza Karimova,2002,IT,Yunusobod,Developer,,1',
    'John Smith,2003,IT,Chilonzor,Driver,,1',
    'Maria Garcia,2004,IT,Yunusobod,Dispatcher,,1',
    'Bobur Mirzo,2005,IT,Chilonzor,Former,,0',
    'Zulfiya Isroilova,2006,Logistics,Chilonzor,Clerk,,1',
]) + '\n'

dark = '--dark' in sys.argv[1:]


# --- AT-SPI: labels read often, and file choosers ---

label_cache = {}


def label_text(root, description, window=None):
    """The text of the label with that accessible description (shown on screen when window).
    Found once and then only read: walking a big window over D-Bus takes seconds."""
    label = label_cache.get((root, description))
    if label is None:
        label = find(root, 'label', description=description,
                     match=(lambda a: is_on_screen(a, window)) if window is not None else None)
        if label is None:
            return None
        label_cache[(root, description)] = label
    return label.name


def wait_chooser(title):
    return gh.wait_chooser(title, START_TIMEOUT)


# --- screenshots and the window's width (test-window.py's libX11 wrapper) ---

def shots(name, what):
    """Wide and narrow screenshots of the main window, then back to wide."""
    gh.shots(name, what, WIDE, NARROW, dark, wide_tag='wide')


def window_shot(window_name, name, what):
    """A dialog's own window (the editor), cropped to it."""
    suffix = '-dark' if dark else ''
    time.sleep(SETTLE)
    windows = run.x11.windows_of(run.app_proc.pid, window_name) if run.x11 else []
    result(gh.screenshot('%s%s.png' % (name, suffix), windows[0] if windows else None), 'screenshot of %s' % what)


# --- the app and its API ---

def start_app(binary, data_dir, api):
    env = dict(JARCHI_AUDIOSINK='fakesink sync=false', JARCHI_AUDIOSRC='audiotestsrc wave=silence is-live=true')
    if dark:
        env['ADW_DEBUG_COLOR_SCHEME'] = 'prefer-dark'
    frame = gh.start_app(binary, ['--data-dir', data_dir, '--dashboard-port', '0'],
                         'broadcasts-app%s.log' % ('-dark' if dark else ''), env, START_TIMEOUT)
    if frame is None:
        bail_out('the window did not appear')
    if not api.connect(binary, data_dir):
        bail_out('the app printed no dashboard URL')
    if gh.load_x11():
        gh.find_x11_window(run.app_proc.pid)
    gh.resize(WIDE, tolerance=59)
    return frame


def prepare(api):
    """The lab peers, the contacts and the do-not-call entry, then Jarchi's account."""
    t0 = time.monotonic()
    status, port = lab('p=$(lab_free_port) && lab_kamailio_start "$LAB/kam" "$p" auth >&2 && echo "$p"')
    ok = status == 0 and port.isdigit()
    ok = ok and lab('lab_sipp_uas "$LAB/answer" 0 answer-hangup')[0] == 0
    ok = ok and lab('lab_sipp_uas "$LAB/busy" 0 busy')[0] == 0
    for user, peer in (('2001', 'answer'), ('2002', 'answer'), ('2003', 'busy')):
        ok = ok and lab('lab_kamailio_add_contact "$LAB/kam" %s "sip:%s@127.0.0.1:$(lab_sipp_port "$LAB/%s")"'
                        % (user, user, peer))[0] == 0
    if not result(ok, 'lab: Kamailio with auth, SIPp answering (2001, 2002) and busy (2003) (%.1f s)'
                  % (time.monotonic() - t0)):
        bail_out('no SIP peers')
    status, report = api.call('POST', 'api/contacts/import', CSV.encode(), content_type='text/csv; charset=utf-8')
    status2, _ = api.call('POST', 'api/dnc', {'phone': '2004', 'reason': 'asked not to be called'})
    if not result(status == 200 and status2 == 201, 'POST /api/contacts/import adds six contacts, POST /api/dnc '
                  'lists 2004 (%s %s)' % (status, status2)):
        diag(report)
    status, body = api.call('POST', 'api/accounts', {'uri': 'sip:jarchi@127.0.0.1:%s' % port,
                                                     'password': PASSWORD, 'display_name': 'Jarchi Drill'})
    registered = status == 201 and lab('lab_kamailio_wait_registered "$LAB/kam" jarchi 10')[0] == 0
    if not result(registered, 'POST /api/accounts registers sip:jarchi@127.0.0.1:%s (%s)' % (port, status)):
        diag(body)


# --- what a person does ---

def open_broadcasts(frame):
    tab = wait_for(lambda: find(frame, 'page tab', 'Broadcasts', match=lambda a: is_on_screen(a, frame)), START_TIMEOUT)
    if tab is None:
        return False
    click(tab)
    return wait_for(lambda: find(frame, 'label', 'No Broadcasts', match=lambda a: is_on_screen(a, frame)))


def editor_run(frame, work):
    """New Broadcast: recipients, validation, retries, message, voice preview, Save."""
    new = wait_for(lambda: find(frame, 'push button', match=lambda a: a.name.endswith('New Broadcast')
                                and is_on_screen(a, frame)))
    click(new)
    editor = wait_for(lambda: window_named('New Broadcast'), START_TIMEOUT)
    name_entry = editor and wait_for(lambda: find(editor, 'text', 'Campaign name'))
    if not result(name_entry is not None, '"New Broadcast" opens the editor'):
        bail_out('no editor')
    set_text(name_entry, 'Fire drill')

    def recipients():
        return label_text(editor, 'Recipients')
    it = wait_for(lambda: find(editor, 'check box', match=lambda a: a.name.startswith('IT (')))
    ok = it is not None
    if ok:
        click(it)
        ok = wait_for(lambda: recipients() == '3 recipients, 1 excluded by do-not-call')
    result(bool(ok), 'ticking the department IT counts 3 recipients (the inactive one left out), 1 excluded '
           'by do-not-call: %r' % recipients())
    set_text(find(editor, 'entry', 'Search contacts to add'), 'алишер')
    alisher = wait_for(lambda: find(editor, 'check box', match=lambda a: a.name.startswith('Алишер Навоий')
                                    and is_on_screen(a, editor)))
    ok = alisher is not None
    if ok:
        click(alisher)
        ok = wait_for(lambda: recipients() == '4 recipients, 1 excluded by do-not-call')
    result(bool(ok), 'searching "алишер" and ticking him adds a fourth recipient: %r' % recipients())

    # a bad value is explained next to its field, with the core's words, and Save is off
    concurrency = find(editor, 'text', 'Simultaneous calls')
    save = find(editor, 'push button', match=lambda a: a.name.endswith('Save'))
    set_text(concurrency, '0')
    message = wait_for(lambda: label_text(editor, 'Limits problem'))
    result(bool(message) and 'max_concurrent' in message and '1' in message and
           'sensitive' not in states(save),
           '0 simultaneous calls is refused next to the limits and Save is off: %r' % message)
    window_shot('New Broadcast', 'broadcasts-editor-invalid', 'the editor with 0 simultaneous calls')
    set_text(concurrency, '5')
    result(bool(wait_for(lambda: not label_text(editor, 'Limits problem')
                         and 'sensitive' in states(save))), '5 simultaneous calls clears it and turns Save on')
    for kind in ('Busy', 'No answer', 'Failed', 'Not confirmed'):
        set_text(find(editor, 'text', '%s: retries' % kind), '0')
    # one new call every 5 s: slow enough to pause the campaign half-way
    set_text(find(editor, 'text', 'New calls per second'), '0.2')

    # the message: a WAV through the file chooser, then a spoken preview
    wav = os.path.join(work, 'drill-tone.wav')
    subprocess.run(['sox', '-n', '-r', '8000', '-c', '1', wav, 'synth', '2', 'sine', '1000'], check=True)
    click(find(editor, 'push button', match=lambda a: a.name.endswith('Choose Audio File…')))
    chooser = wait_chooser('Choose the Message')
    if chooser is not None:
        gh.type_path(wav)
    shown = wait_for(lambda: label_text(editor, 'Message file') == 'drill-tone.wav — 0:02', START_TIMEOUT)
    result(bool(shown), 'the chosen WAV is imported and shown with its duration: %r' % label_text(editor, 'Message file'))
    # GTK 4.8 exposes toggle buttons as push buttons (with a "pressed" state)
    click(find(editor, 'push button', 'Text to Speech'))
    text_view = wait_for(lambda: find(editor, 'text', 'Message text'))
    voice = None
    if text_view is not None:
        set_text(text_view, 'This is a fire drill. Press 1 to confirm.')
        click(find(editor, 'push button', match=lambda a: a.name.endswith('Preview Voice')))
        voice = wait_for(lambda: re.match(r'Spoken message: 0:0[1-9]$', label_text(editor, 'Voice preview') or ''),
                         START_TIMEOUT)
    result(bool(voice), '"Preview Voice" speaks the text and shows its length: %r' % label_text(editor, 'Voice preview'))
    window_shot('New Broadcast', 'broadcasts-editor', 'the editor filled in')
    click(find(editor, 'push button', 'Audio File'))
    time.sleep(SETTLE)
    click(save)
    return wait_for(lambda: window_named('New Broadcast') is None)


def counter(frame, description):
    return label_text(frame, description)


def cache_labels(root):
    """Every described label below root in one walk (a walk per label took seconds each)."""
    for acc in walk(root):
        try:
            if acc.getRoleName() == 'label' and acc.description and (root, acc.description) not in label_cache:
                label_cache[(root, acc.description)] = acc
        except Exception:
            pass


def scroll_into_view(frame, acc, title='Jarchi', extra=0):
    """Turns the mouse wheel over the window until acc is on screen (then extra notches more),
    as a person would."""
    windows = run.x11.windows_of(run.app_proc.pid, title) if run.x11 else []
    if not windows:
        return False
    gx, gy, width, height = run.x11.geometry(windows[0])
    for _ in range(30):
        if is_on_screen(acc, frame):
            for _ in range(extra):
                pyatspi.Registry.generateMouseEvent(gx + width // 2, gy + 120, 'b5c')
                time.sleep(0.15)
            return True
        pyatspi.Registry.generateMouseEvent(gx + width // 2, gy + 120, 'b5c')
        time.sleep(0.15)
    return is_on_screen(acc, frame)


def view_run(frame, work, api):
    """The campaign view: Start, watch it complete, counters, chart, table, CSV export."""
    state = wait_for(lambda: label_text(frame, 'Campaign state', frame))
    cache_labels(frame)
    result(state == 'Draft' and counter(frame, 'Targets') == '0',
           'saving shows the campaign view: "Draft", no targets yet (%r)' % state)
    start = find(frame, 'push button', match=lambda a: a.name.endswith('Start') and is_on_screen(a, frame))
    click(start)
    running = wait_for(lambda: (label_text(frame, 'Campaign state', frame) or '').startswith('Running'))
    result(bool(running) and counter(frame, 'Targets') == '4' and counter(frame, 'Do not call') == '1',
           'Start freezes 4 targets, 1 of them do-not-call: %r' % label_text(frame, 'Campaign state', frame))

    def button(name):  # unique in the view; no hit test, which skips insensitive buttons
        return wait_for(lambda: find(frame, 'push button', match=lambda a: a.name.endswith(name)))
    click(button('Pause'))
    paused = wait_for(lambda: label_text(frame, 'Campaign state', frame) == 'Paused')
    resume, pause = button('Resume'), button('Pause')
    result(bool(paused) and 'sensitive' in states(resume) and 'sensitive' not in states(pause),
           'Pause pauses it ("Paused"); Resume is on, Pause off (%s finished so far)' % counter(frame, 'Finished'))
    shots('broadcasts-paused', 'a paused campaign')
    click(resume)
    resumed = wait_for(lambda: label_text(frame, 'Campaign state', frame) != 'Paused')
    result(bool(resumed), 'Resume carries on: %r' % label_text(frame, 'Campaign state', frame))
    done = wait_for(lambda: label_text(frame, 'Campaign state', frame) == 'Completed', 90)
    counts = {d: counter(frame, d) for d in ('Targets', 'Finished', 'Calls up', 'Confirmed', 'Heard', 'Hung up',
                                             'Opted out', 'Busy', 'No answer', 'Failed', 'Do not call')}
    answered = sum(int(counts[d] or 0) for d in ('Confirmed', 'Heard', 'Hung up', 'Opted out'))
    if not result(bool(done) and counts['Finished'] == '4' and counts['Busy'] == '1' and
                  counts['Do not call'] == '1' and answered == 2 and counts['Calls up'] == '0',
                  'the campaign completes: 4 finished, 2 answered, 1 busy, 1 do-not-call'):
        diag(counts)
        show_app_log()
    status, campaigns = api.call('GET', 'api/campaigns')
    diag('api: %s' % json.dumps(campaigns)[:800])

    chart = find(frame, 'image', 'Results chart')
    summary = chart.description if chart is not None else ''
    result(chart is not None and 'Results of 4 targets:' in summary and 'Busy 1;' in summary and
           'Do not call 1;' in summary and 'IT 1 of 3 reached;' in summary and
           'Бухгалтерия 1 of 1 reached;' in summary and re.search(r'Over time: 3 ended', summary),
           'the chart has bars with the right totals (per result, over time, per department): %r' % summary)
    result(label_text(frame, 'Number of targets shown') == '4 targets' and
           bool(wait_for(lambda: find(frame, 'label', 'John Smith'))),
           'the table lists the 4 targets: %r' % label_text(frame, 'Number of targets shown'))

    # filter the table by result through the drop-down (keyboard in its popup, as in the contacts test)
    combo = find(frame, 'combo box', 'Result filter')
    ok = combo is not None and scroll_into_view(frame, combo)
    if ok:
        click(find(combo, 'push button'))
        time.sleep(SETTLE + 0.4)
        key(gh.HOME_KEY)  # "All results"; Busy is the 6th result below it
        for _ in range(6):
            key(gh.DOWN)
        key(gh.RETURN)
        ok = wait_for(lambda: label_text(frame, 'Number of targets shown') == '1 of 4 targets')
    result(bool(ok), 'filtering by "Busy" leaves 1 of 4 targets: %r' % label_text(frame, 'Number of targets shown'))
    shots('broadcasts-campaign', 'the completed campaign, filtered by Busy')

    # CSV export through the file chooser, compared with the API's report.csv
    export_path = os.path.join(work, 'drill-report.csv')
    click(find(frame, 'push button', match=lambda a: a.name.endswith('Export CSV…')))
    chooser = wait_chooser('Export Campaign Report')
    if chooser is not None:
        gh.type_path(export_path, replace_name=True)
    written = wait_for(lambda: os.path.exists(export_path) and
                       (label_text(frame, 'Campaign message') or '').startswith('Saved 4 targets'), START_TIMEOUT)
    campaign_id = campaigns['items'][0]['id'] if isinstance(campaigns, dict) and campaigns.get('items') else 1
    status, api_csv = api.call('GET', 'api/campaigns/%s/report.csv' % campaign_id, raw=True)
    local = open(export_path, 'rb').read() if written else b''
    lines = local.decode('utf-8-sig').strip().splitlines() if local else []
    if not result(bool(written) and status == 200 and local == api_csv and len(lines) == 5,
                  'Export CSV writes the report: 4 targets and a header, the same bytes as '
                  'GET /api/campaigns/%s/report.csv' % campaign_id):
        diag('local: %r\napi (%s): %r' % (local[:400], status, api_csv[:400] if isinstance(api_csv, bytes) else api_csv))

    back = find(frame, 'push button', 'Back to Broadcasts')
    click(back)
    row = wait_for(lambda: find(frame, 'label', 'Fire drill', match=lambda a: is_on_screen(a, frame)))
    result(row is not None and label_text(frame, 'Number of campaigns') == '1 campaign',
           'Back shows the list with "Fire drill" and "1 campaign"')
    shots('broadcasts-list', 'the campaign list')


def main():
    binary, started = gh.begin(DEADLINE, (8000, 15000))
    tool = gh.missing_tool('kamailio', 'sipp', 'sox', 'gdbus')
    if tool:
        print('1..0 # SKIP %s is not installed' % tool, flush=True)
        return 0
    gh.remove_outputs(gh.old_shots('broadcasts-', dark))
    work = tempfile.mkdtemp(prefix='jarchi-broadcasts-')
    run.lab_dir = os.path.join(work, 'lab')
    os.makedirs(run.lab_dir)

    api = gh.Api()
    frame = start_app(binary, os.path.join(work, 'data'), api)
    result(bool(open_broadcasts(frame)), 'the Broadcasts page opens with "No Broadcasts" (%.1f s)'
           % (time.monotonic() - started))
    shots('broadcasts-empty', 'the empty Broadcasts page')
    prepare(api)
    if not result(bool(editor_run(frame, work)), 'Save stores the draft and closes the editor'):
        for w in gh.app_windows():
            dump_tree(w, w.name)
        bail_out('no campaign to run')
    view_run(frame, work, api)

    return gh.finish(started)


if __name__ == '__main__':
    gh.run_main(main)
