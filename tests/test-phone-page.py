#!/usr/bin/python3
# Jarchi: drives the Phone page through AT-SPI against lab SIP peers (TAP): dial, DTMF, hang up, notification answer, call waiting, URIs, shortcuts.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run it under tests/run-gui-test.sh (Xvfb + private session bus) with Debian's /usr/bin/python3:
#
#   JARCHI_BINARY=build/src/jarchi tests/run-gui-test.sh /usr/bin/python3 tests/test-phone-page.py [--dark]
#
# Peers come from tests/lab/lab.sh (run through `bash -c`): Kamailio on 127.0.0.1 and baresip
# phones 1001 and 1002 that answer by themselves. Jarchi gets its SIP account and a contact
# through the dashboard API (token from `jarchi --print-token`); a build without
# /api/accounts is driven with "Direct (no account)" through a Kamailio without auth instead
# (said in a diagnostic line). Notifications go to tests/notification-server.py, which owns
# org.freedesktop.Notifications on the private bus; a notification button is "pressed" by
# having that server emit ActionInvoked with the key Jarchi gave it. The window is driven
# through the accessibility tree only: buttons by name, labels by accessible description, the
# number entry through EditableText, shortcuts as key presses (XTest). GTK 4.8 leaves hidden
# widgets out of the tree, so the buttons found in a call are the ones it shows. Screenshots
# (1280 px wide, and as narrow as the window goes, 360 px or its minimum) go to
# $JARCHI_TEST_OUTPUT (default <build dir>/test-output) as phone-*.png; with --dark the app runs
# with ADW_DEBUG_COLOR_SCHEME=prefer-dark and mostly takes screenshots (phone-*-dark.png).

import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gui_helpers as gh  # noqa: E402  (after the path it is found on)
from gui_helpers import (CONTROL, RETURN, bail_out, click, diag, find_all, find_first, key,  # noqa: E402
                         lab, result, run, states, text_of, wait_for, walk)

DEADLINE = int(os.environ.get('JARCHI_TEST_DEADLINE', '280'))
START_TIMEOUT = 60.0  # a start took 13 s at a load of 40, a sanitizer build's ~30 s
CALL_TIMEOUT = 15.0
WIDE, NARROW, HEIGHT = 1280, 360, 800
PASSWORD = 'secret'
CONTACT = 'Alisher Karimov'  # the contact book's name for 1001
ESCAPE, F1 = 0xff1b, 0xffbe  # keysyms
gh.configure(timeout=6.0, key_pause=0.15, lab_password=PASSWORD)

dark = '--dark' in sys.argv[1:]


# --- the lab and the notification server ---

def baresip_log(name):
    try:
        with open(os.path.join(run.lab_dir, name, 'baresip.log'), errors='replace') as f:
            return f.read().replace('\r', '\n')
    except OSError:
        return ''


class Notifications:
    def __init__(self, work):
        self.log = os.path.join(work, 'notifications.jsonl')
        open(self.log, 'w').close()
        proc = subprocess.Popen(['/usr/bin/python3', os.path.join(gh.HERE, 'notification-server.py'),
                                 self.log], stdout=subprocess.PIPE, stderr=sys.stderr)
        run.helpers.append(proc)  # killed by cleanup()
        if proc.stdout.readline().decode().strip() != 'ready':
            bail_out('the notification server did not start')

    def events(self):
        with open(self.log) as f:
            return [json.loads(line) for line in f if line.strip()]

    def wait_notify(self, after):
        return wait_for(lambda: ([e for e in self.events()[after:] if e['event'] == 'notify'] or [None])[-1],
                        CALL_TIMEOUT)

    def closed(self, nid):
        return any(e['event'] == 'close' and e['id'] == nid for e in self.events())

    def invoke(self, nid, key):
        subprocess.run(['gdbus', 'call', '--session', '--dest', 'org.freedesktop.Notifications',
                        '--object-path', '/org/freedesktop/Notifications', '--method',
                        'io.github.jarchi.Test.Notifications.InvokeAction', str(nid), key],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10)


def button_key(notification, label):
    actions = (notification or {}).get('actions', [])
    return next((actions[i] for i in range(0, len(actions) - 1, 2) if actions[i + 1] == label), None)


# --- AT-SPI ---

def dump_tree(root, title):
    gh.dump_tree(root, title, only_states={'focused', 'checked', 'pressed', 'sensitive'})


NAMED_ROLES = ('push button', 'toggle button', 'text', 'combo box', 'slider', 'level bar',
               'check box', 'radio button', 'spin button', 'entry')


def unnamed_controls(root):
    return ['%s in %r' % (a.getRoleName(), a.parent.name if a.parent else None) for a in walk(root)
            if a.getRoleName() in NAMED_ROLES and not a.name]


class Page:
    """The Phone page's parts, found once: walking the whole window takes seconds over AT-SPI."""
    root = calls = pad = entry = call = combo = None
    keys = {}

    @classmethod
    def find(cls, frame):
        cls.root = find_first(frame, 'panel', 'Phone')
        if cls.root is None:
            return False
        cls.calls = find_first(cls.root, 'panel', 'Calls')
        cls.pad = find_first(cls.root, 'panel', 'Dial pad')
        cls.entry = find_first(cls.root, 'text', 'Number or address')
        cls.call = find_first(cls.root, 'push button', 'Call')
        cls.combo = find_first(cls.root, 'combo box', 'Account')
        cls.keys = {a.name: a for a in find_all(cls.pad, 'push button')} if cls.pad else {}
        return None not in (cls.calls, cls.pad, cls.entry, cls.call, cls.combo)


class View:
    """One call on the page, read in one walk (newest first)."""
    def __init__(self, acc):
        self.acc, self.title = acc, acc.name
        self.buttons, self.labels, self.others = {}, {}, {}
        for a in walk(acc):
            role = a.getRoleName()
            if role == 'label' and a.description:
                self.labels[a.description] = a
            elif role in ('push button', 'toggle button'):  # GTK 4.8 says push button for both
                self.buttons.setdefault(a.name, a)
            elif role in ('slider', 'level bar'):
                self.others[a.name] = a
        self.state = self.text('Call state')

    def text(self, description):
        return text_of(self.labels[description]) if description in self.labels else None


def views():
    return [View(acc) for acc in list(Page.calls) if acc is not None]


def wait_states(wanted, timeout=CALL_TIMEOUT):
    """Waits until the calls shown are in exactly the states WANTED; returns their views."""
    def match():
        found = views()
        return found if sorted(v.state for v in found) == sorted(wanted) else None
    return wait_for(match, timeout, interval=0.3)


def view_in(found, state):
    return next((v for v in found or [] if v.state == state), None)


def describe(found):
    return ['%s: %s' % (v.title, v.state) for v in found or []]


def set_number(text):
    Page.entry.queryEditableText().setTextContents(text)
    return wait_for(lambda: text_of(Page.entry) == text)


# --- screenshots, 1280 px wide and narrow ---

def shots(name, what, narrow=True):
    """Screenshots 1280 px wide and narrow (360 px or the window's minimum width, whichever is
    wider: a narrower X window is drawn clipped), then back to 1280."""
    gh.shots(name, what, WIDE, NARROW if narrow else None, dark, at_least_minimum=True, height=HEIGHT)


# --- the application and its API ---

def start_app(binary, data_dir, sip_port, extra_env=None):
    env = dict(JARCHI_AUDIOSINK='fakesink sync=false',
               JARCHI_AUDIOSRC='audiotestsrc wave=sine freq=440 volume=0.4 is-live=true', **(extra_env or {}))
    t0 = time.monotonic()
    frame = gh.start_app(binary, ['--data-dir', data_dir, '--dashboard-port', '0', '--sip-port', str(sip_port)],
                         'phone-app%s.log' % ('-dark' if dark else ''), env, START_TIMEOUT)
    if frame is None:
        bail_out('the window did not appear')
    gh.expect_page(frame, lambda: Page.find(frame),
                   'no Phone page: a group "Phone" with the groups "Calls" and "Dial pad", the '
                   'entry "Number or address", the button "Call" and the combo box "Account"',
                   'the window with the Phone page appears on the AT-SPI desktop', t0, lambda: Page.root)
    gh.fit_window(WIDE, HEIGHT)
    return frame


class Setup(gh.Api):
    """Where the peers are, and whether Jarchi calls with an account or directly."""
    account = False
    kamailio_port = sip_port = 0

    def callee(self, user):
        """What to type to call USER: a bare number with an account, else a full SIP URI."""
        return user if self.account else 'sip:%s@127.0.0.1:%d' % (user, self.kamailio_port)

    def jarchi_uri(self):
        return 'sip:jarchi@127.0.0.1:%d' % (self.kamailio_port if self.account else self.sip_port)


def start_peers(binary, data_dir, setup):
    """Kamailio (with digest auth when Jarchi can have an account), baresip 1001 and 1002, and
    the contact for 1001; then Jarchi's account, when the API has the route."""
    have_api = setup.connect(binary, data_dir) and setup.call('GET', 'api/accounts')[0] == 200
    t0 = time.monotonic()
    status, port = lab('p=$(lab_free_port) && lab_kamailio_start "$LAB/kam" "$p" %s >&2 && echo "$p"'
                       % ('auth' if have_api else ''))
    ok = status == 0 and port.isdigit()
    for name, user in (('alice', '1001'), ('bob', '1002')):
        ok = ok and lab('lab_baresip_start "$LAB/%s" 0 --user %s --registrar 127.0.0.1:%s --password %s'
                        % (name, user, port, PASSWORD))[0] == 0
    if not result(ok, 'lab: Kamailio%s on 127.0.0.1:%s, baresip 1001 and 1002 registered (%.1f s)'
                  % (' with digest auth' if have_api else ' without auth', port, time.monotonic() - t0)):
        bail_out('no SIP peers to call')
    setup.kamailio_port = int(port)
    status, body = setup.call('POST', 'api/contacts', {'name': CONTACT, 'phone': '1001', 'department': 'Sales'})
    if not result(status == 201, 'POST /api/contacts adds %s with the phone 1001 (%s)' % (CONTACT, status)):
        diag(body)
    if not have_api:
        diag('no /api/accounts in this build: Jarchi calls "Direct (no account)" through an '
             'unauthenticated Kamailio, and baresip calls Jarchi on its own SIP port')
        result(True, 'Jarchi registers an account on Kamailio', skip='no /api/accounts yet')
        result(True, 'the account selector shows the account as "Registered"', skip='no account')
        return
    status, body = setup.call('POST', 'api/accounts', {'uri': 'sip:jarchi@127.0.0.1:%d' % setup.kamailio_port,
                                                      'password': PASSWORD, 'display_name': 'Jarchi Test'})
    setup.account = status == 201 and lab('lab_kamailio_wait_registered "$LAB/kam" jarchi 10')[0] == 0
    if not result(setup.account, 'POST /api/accounts registers sip:jarchi@127.0.0.1:%d on Kamailio (%s)'
                  % (setup.kamailio_port, status)):
        diag('reply: %r' % (body,))
    if not result(bool(wait_for(lambda: find_all(Page.combo, 'label', 'Registered'))),
                  'the account selector shows the new account as "Registered"'):
        dump_tree(Page.combo, 'account selector')


# --- what a person does ---

def idle_checks():
    keys = sorted(Page.keys)
    extra = [k for k in ('Paste', 'Delete Last Character') if find_first(Page.root, 'push button', k)]
    if not result(keys == sorted('0123456789') + ['Pound', 'Star'] and len(extra) == 2,
                  'the Phone page shows the account selector, the number entry with Paste and Delete, '
                  'a dial pad with 0-9 * # and Call (%s)' % ' '.join(keys)):
        dump_tree(Page.root, 'Phone page')
    result('sensitive' not in states(Page.call), 'Call is insensitive while the number entry is empty')
    result(bool(find_all(Page.combo, 'label', 'Direct (no account)')),
           'with no account the selector offers "Direct (no account)"')
    missing = unnamed_controls(Page.root)
    if not result(not missing, 'every control on the idle Phone page has an accessible name'):
        diag('\n'.join(missing))


def typing_checks():
    key(ord('l'), (CONTROL,))
    result(bool(wait_for(lambda: 'focused' in states(Page.entry))), 'Ctrl+L puts the keyboard focus in the number entry')
    set_number('alish')
    matches = wait_for(lambda: find_first(Page.root, 'list', 'Matching contacts'))
    row = matches and wait_for(lambda: find_first(matches, 'list item', CONTACT))
    if not result(row is not None, 'typing "alish" suggests the contact %s' % CONTACT):
        for acc in walk(Page.root):
            if acc.getRoleName() in ('list', 'list box', 'list item', 'popup menu', 'window'):
                dump_tree(acc, 'suggestions?')
                break
    if row is not None:
        shots('phone-suggestions', 'contact suggestions', narrow=False)
    key(RETURN)
    picked = wait_for(lambda: text_of(Page.entry) == '1001')
    result(bool(picked), 'Return takes the suggestion: the entry holds its number (%r)' % text_of(Page.entry))
    set_number('')
    for digit in '1001':  # the same key twice: click() waits out the 250 ms in which clicks merge
        click(Page.keys[digit])
    result(text_of(Page.entry) == '1001', 'dial pad keys 1 0 0 1 type "1001" (%r)' % text_of(Page.entry))


def outgoing_call(setup):
    if not setup.account:
        set_number(setup.callee('1001'))
    t0 = time.monotonic()
    click(Page.call)
    found = wait_states(['Active'])
    if not result(bool(found), 'pressing Call to %s shows the call as "Active" (%.1f s)'
                  % (setup.callee('1001'), time.monotonic() - t0)):
        diag('calls: %s' % describe(views()))
        return False
    view = found[0]
    result(view.title == CONTACT and view.text('Caller number') == '1001',
           'the call shows the contact\'s name and number (%r, %r)' % (view.title, view.text('Caller number')))
    first = view.text('Call duration')
    later = wait_for(lambda: View(view.acc).text('Call duration') != first, 3.0, interval=0.3)
    result(bool(first and re.match(r'^\d\d:\d\d$', first) and later),
           'the call timer counts every second (%r, then %r)' % (first, View(view.acc).text('Call duration')))
    missing = unnamed_controls(view.acc)
    if not result(not missing, 'every control of the call has an accessible name'):
        diag('\n'.join(missing))
    return True


def in_call_controls():
    before = baresip_log('alice').count('received event')
    click(Page.keys['5'])
    result(bool(wait_for(lambda: views()[0].text('Tones sent') == '5')),
           'during the call the dial pad key "5" is sent as a tone (the call shows "5")')
    if not result(bool(wait_for(lambda: baresip_log('alice').count('received event') > before)),
                  'baresip 1001 receives the digit (RFC 4733 event)'):
        diag('\n'.join(l for l in baresip_log('alice').splitlines() if l.strip() and 'audio=' not in l)[-1500:])
    view = views()[0]
    mute, meter = view.buttons.get('Mute'), view.others.get('Microphone level')
    level = lambda: meter.queryValue().currentValue  # noqa: E731
    levels, ok = [], mute is not None and meter is not None
    if ok:  # the test's microphone is a steady -11 dBFS tone: the meter reads ~0.8, muted ~0
        levels.append(wait_for(lambda: level() > 0.5 and level()))
        click(mute)
        ok = bool(wait_for(lambda: {'checked', 'pressed'} & set(states(mute))))
        levels.append(wait_for(lambda: level() < 0.1 and max(level(), 1e-9)))
        click(mute)
        ok = ok and bool(wait_for(lambda: not {'checked', 'pressed'} & set(states(mute))))
        levels.append(wait_for(lambda: level() > 0.5 and level()))
    if not result(ok and all(levels), 'Mute silences the microphone and back, and the level meter follows (%s)'
                  % ', '.join('%.2f' % v if v else '-' for v in levels)):
        dump_tree(view.acc, 'the call')
    keypad, ok = view.buttons.get('Keypad'), False
    if keypad is not None:
        click(keypad)
        if view.buttons.get('Pound'):
            click(view.buttons['Pound'])
            ok = bool(wait_for(lambda: views()[0].text('Tones sent') == '5#'))
        click(keypad)
    result(ok, 'the call\'s own Keypad sends "#" too ("5#")')
    hold, held = view.buttons.get('Hold'), None
    if hold is not None:
        click(hold)
        held = wait_states(['On hold'])
        click(hold)
    result(bool(held and wait_states(['Active'])), 'Hold puts the call on hold and resumes it')
    record = view.buttons.get('Record')
    result(record is not None and 'sensitive' not in states(record) and 'not available' in record.description.lower(),
           'Record is insensitive and says why (%r)' % (record and record.description))
    try:
        value = view.others['Speaker volume'].queryValue()
        volume = (value.minimumValue, value.currentValue, value.maximumValue)
    except Exception as e:
        volume = e
    result(volume == (0.0, 1.0, 2.0), 'the speaker volume slider goes from 0 to 2 and starts at 1 %s' % (volume,))


def blind_transfer(setup):
    """Calls 1001 and hands the call to 1002: baresip 1001 follows the REFER and calls 1002."""
    set_number(setup.callee('1001'))
    click(Page.call)
    found = wait_states(['Active'])
    if not result(bool(found), 'a new call to 1001 is active'):
        return
    established = baresip_log('bob').count('Call established')
    menu = [a for a in find_all(found[0].acc, 'push button', 'Transfer') if a.queryAction().nActions]
    click(menu[-1])
    target = wait_for(lambda: find_first(found[0].acc, 'text', 'Transfer to'))
    shots('phone-transfer', 'the transfer popover', narrow=False)
    if target is None:
        return result(False, 'Transfer opens a popover with the entry "Transfer to"')
    target.queryEditableText().setTextContents('1002')
    click(next(a for a in target.parent if a is not None and a.getRoleName() == 'push button'))
    gone = wait_for(lambda: not views(), CALL_TIMEOUT, 0.3)
    bridged = wait_for(lambda: baresip_log('bob').count('Call established') > established, CALL_TIMEOUT)
    result(bool(gone and bridged), 'blind transfer to 1002: Jarchi leaves the call and 1001 reaches 1002')
    for peer in ('alice', 'bob'):
        lab('lab_baresip_cmd "$LAB/%s" "/hangup"' % peer)


def hang_up(how='button'):
    t0 = time.monotonic()
    if how == 'button':
        click(views()[0].buttons['Hang Up'])
    else:
        key(ord('h'), (CONTROL,))
    return wait_for(lambda: not views(), CALL_TIMEOUT, interval=0.3), time.monotonic() - t0


def ring(setup, notes, peer):
    """PEER calls Jarchi; returns the notification Jarchi shows (or None)."""
    mark = len(notes.events())
    lab('lab_baresip_cmd "$LAB/%s" "/dial %s"' % (peer, setup.jarchi_uri()))
    return notes.wait_notify(mark)


def incoming_call(notes, setup):
    notification = ring(setup, notes, 'alice')
    answer, decline = button_key(notification, 'Answer'), button_key(notification, 'Decline')
    if not result(bool(notification and notification['summary'] == 'Incoming Call' and answer and decline
                       and notification['body'] == '%s (1001)' % CONTACT),
                  'a call from 1001 shows the notification "Incoming Call" %r with Decline (%s) and '
                  'Answer (%s)' % (notification and notification['body'], decline, answer)):
        diag('notifications: %r' % notes.events())
    urgency = (notification or {}).get('hints', {}).get('urgency')
    result(urgency == 2, 'the notification is urgent, so it stays until withdrawn (urgency %r)' % urgency)
    ringing = wait_states(['Incoming call'])
    result(bool(ringing) and {'Answer', 'Decline'} <= set(ringing[0].buttons),
           'the Phone page shows the ringing call with Answer and Decline')
    if ringing:
        shots('phone-incoming', 'an incoming call')
    if not answer:
        return result(False, 'the notification\'s Answer answers (no notification)')
    t0 = time.monotonic()
    notes.invoke(notification['id'], answer)
    if result(bool(wait_states(['Active'])), 'invoking the notification\'s Answer action %r answers the call '
              '(%.1f s)' % (answer, time.monotonic() - t0)):
        gone, took = hang_up('keyboard')
        result(bool(gone), 'Ctrl+H hangs up the current call (%.1f s)' % took)


def call_waiting(notes, setup):
    """1002 calls while we talk to 1001: answer it, switch back, hang up both."""
    notification = ring(setup, notes, 'bob')
    waiting = view_in(wait_states(['Active', 'Incoming call']), 'Incoming call')
    if not result(bool(waiting) and {'Answer', 'Decline'} <= set(waiting.buttons),
                  'a second call rings beside the active one, with Answer and Decline'):
        return
    shots('phone-waiting', 'call waiting')
    click(waiting.buttons['Answer'])
    found = wait_states(['Active', 'On hold'])
    result(bool(found) and view_in(found, 'Active').title == '1002',
           'answering the waiting call puts the first on hold (%s)' % describe(found))
    result(bool(notification and wait_for(lambda: notes.closed(notification['id']))),
           'answering in the window withdraws the call\'s notification')
    held = view_in(found, 'On hold')
    if held and 'Switch to This Call' in held.buttons:
        click(held.buttons['Switch to This Call'])
        found = wait_for(lambda: (lambda f: f if getattr(view_in(f, 'Active'), 'title', None) == CONTACT
                                  and view_in(f, 'On hold') else None)(views()), CALL_TIMEOUT, 0.3)
    if not result(bool(held and found), 'Switch to This Call makes 1001 active again and holds 1002 (%s)'
                  % describe(found)):
        diag('calls: %s' % ['%s (%s) %s' % (v.state, v.text('Call error'), sorted(v.buttons)) for v in views()])
    for _ in range(2):
        current = views()
        if current and 'Hang Up' in current[0].buttons:
            click(current[0].buttons['Hang Up'])
            wait_for(lambda: len(views()) < len(current), CALL_TIMEOUT, 0.3)
    result(not views(), 'both calls hang up')


def light_run(binary, data_dir, work, setup):
    notes = Notifications(work)  # before the app: GLib picks its notification backend once
    setup.sip_port = int(lab('lab_free_port')[1])
    frame = start_app(binary, data_dir, setup.sip_port)
    idle_checks()
    shots('phone-idle', 'the idle Phone page')
    start_peers(binary, data_dir, setup)
    typing_checks()

    if outgoing_call(setup):
        shots('phone-call', 'the Phone page during a call')
        in_call_controls()
        gone, took = hang_up()
        status = wait_for(lambda: find_all(Page.root, 'label', description='Phone status'))
        said = text_of(status[0]) if status else None
        result(bool(gone) and said == 'Call with %s ended: hung up' % CONTACT,
               'Hang Up ends the call and the page says %r (%.1f s)' % (said, took))

    incoming_call(notes, setup)

    set_number(setup.callee('1001'))
    key(RETURN, (CONTROL,))
    if result(bool(wait_states(['Active'])), 'Ctrl+Enter calls the number in the entry'):
        call_waiting(notes, setup)

    blind_transfer(setup)

    # the caller gives up before we answer: the call and its notification go away
    notification = ring(setup, notes, 'bob')
    rang = wait_states(['Incoming call'])
    lab('lab_baresip_cmd "$LAB/bob" "/hangup"')
    gone = wait_for(lambda: not views(), CALL_TIMEOUT, 0.3)
    result(bool(notification and rang and gone and wait_for(lambda: notes.closed(notification['id']))),
           'when the caller hangs up first, the ringing call and its notification are withdrawn')

    # sip:/tel: URIs given to another `jarchi` land in this one's number entry
    env = dict(os.environ, **({'G_DEBUG': gh.APP_G_DEBUG} if gh.APP_G_DEBUG is not None else {}))
    for uri, expected in (('sip:bob@example.org', 'sip:bob@example.org'), ('tel:+998-90-123-45-67', '+998901234567')):
        proc = subprocess.run([binary, uri], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=20, env=env)
        filled = wait_for(lambda: text_of(Page.entry) == expected)
        if not result(proc.returncode == 0 and bool(filled) and 'focused' in states(Page.entry),
                      '`jarchi %s` fills the running Jarchi\'s number entry with %r and focuses it'
                      % (uri, text_of(Page.entry))):
            diag(proc.stdout.decode(errors='replace'))

    key(F1)
    app = frame.parent
    shortcuts = wait_for(lambda: next((w for w in app if w is not None and w.name == 'Keyboard Shortcuts'), None))
    if not result(shortcuts is not None, 'F1 opens the Keyboard Shortcuts window'):
        diag('windows: %s' % [(w.getRoleName(), w.name) for w in app if w is not None])
    if shortcuts is not None:
        shortcut_names = {a.name for a in find_all(shortcuts, 'label')}
        result({'Call the Number', 'Hang Up', 'Go to the Number'} <= shortcut_names,
               'it lists the calling shortcuts')
        key(ESCAPE)


def dark_run(binary, data_dir, work, setup):
    notes = Notifications(work)
    setup.sip_port = int(lab('lab_free_port')[1])
    start_app(binary, data_dir, setup.sip_port, {'ADW_DEBUG_COLOR_SCHEME': 'prefer-dark'})
    shots('phone-idle', 'the idle Phone page, dark')
    start_peers(binary, data_dir, setup)
    set_number(setup.callee('1001'))
    click(Page.call)
    if result(bool(wait_states(['Active'])), 'the call to 1001 is active, dark'):
        time.sleep(1.2)
        shots('phone-call', 'a call, dark')
        hang_up()
    if ring(setup, notes, 'alice') and wait_states(['Incoming call']):
        shots('phone-incoming', 'an incoming call, dark')
        click(views()[0].buttons['Decline'])
        result(bool(wait_for(lambda: not views(), CALL_TIMEOUT)), 'Decline turns the call down')
    else:
        result(False, 'an incoming call rings, dark')


def main():
    binary, started = gh.begin(DEADLINE, (8000, 15000))
    tool = gh.missing_tool('kamailio', 'baresip', 'gdbus')
    if tool:
        print('1..0 # SKIP %s is not installed' % tool, flush=True)
        return 0
    help_text = subprocess.run([binary, '--help-all'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=10).stdout.decode(errors='replace')
    if '--sip-port' not in help_text:
        print('1..0 # SKIP this jarchi has no --sip-port (no call engine in the service yet)', flush=True)
        return 0
    gh.remove_outputs(gh.old_shots('phone-', dark))
    work = tempfile.mkdtemp(prefix='jarchi-phone-')
    run.lab_dir = os.path.join(work, 'lab')
    os.makedirs(run.lab_dir)

    (dark_run if dark else light_run)(binary, os.path.join(work, 'data'), work, Setup())
    return gh.finish(started)


if __name__ == '__main__':
    gh.run_main(main)
