#!/usr/bin/python3
# Jarchi: drives Preferences, the tray icon and background running through AT-SPI and D-Bus (TAP).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run it under tests/run-gui-test.sh (Xvfb + private session bus) with Debian's /usr/bin/python3:
#
#   JARCHI_BINARY=build/src/jarchi tests/run-gui-test.sh /usr/bin/python3 tests/test-preferences.py [--dark]
#
# The default run starts the lab's Kamailio (digest auth) from tests/lab/lab.sh and a real
# status-notifier-watcher, then the desktop app with GSettings in a key file (so what
# Preferences saves can be read back and survives a restart). Through the accessibility tree
# only: Ctrl+comma opens Preferences; an account is added in the account dialog and must reach
# "Registered" (Kamailio's usrloc and /api/accounts agree), then edited and removed (checked
# through /api/accounts and Kamailio); the audio page's device list is either filled or says
# plainly that none was found; the test tone is checked by content (JARCHI_AUDIOSINK writes it
# to a WAV, Goertzel at 1 kHz) and the mic meter moves with a live test source
# (JARCHI_AUDIOSRC); the dashboard page shows the URL and token, sets a password that then logs
# in over HTTP, and saves the LAN switch and port, which apply at once (the new port answers,
# the old one stops, the page shows the new address). Every page is also shot at 360 px wide.
# The tray item must be registered with the
# watcher. With the main window closed, a lab baresip phone rings Jarchi and gives up: the call
# notification still reaches tests/notification-server.py, and the tray item shows the ringing
# and then one missed call, cleared when its SecondaryActivate shows the window. Closing the
# window again leaves the dashboard answering; Activate brings the window back; the dbusmenu's
# Quit ends the app with status 0; a second start listens on 0.0.0.0 and the new port, and the
# password still logs in. --dark only takes the dark-style screenshots.
# Screenshots go to $JARCHI_TEST_OUTPUT (default <build dir>/test-output) as prefs-*.png.

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gui_helpers as gh  # noqa: E402  (after the path it is found on)
from gui_helpers import (CONTROL, SETTLE, app_action, app_windows, bail_out, click, diag,  # noqa: E402
                         dump_tree, find, gdbus, key, lab, pyatspi, result, run, set_text, text_of,
                         tray_property, wait_for, walk, window_named, window_shot as shot)

DEADLINE = int(os.environ.get('JARCHI_TEST_DEADLINE', '230'))
START_TIMEOUT = 60.0
REGISTER_TIMEOUT = 20.0
LAB_PASSWORD = 'secret'
DASHBOARD_PASSWORD = 'correct horse battery'
COMMA, ESCAPE = 0x2c, 0xff1b

gh.configure(timeout=8.0, key_pause=0.15, lab_password=LAB_PASSWORD, quit_timeout=10.0)
dark = '--dark' in sys.argv[1:]


def http(url, token=None, body=None, method=None):
    """(status, parsed JSON or None)."""
    headers = {'Content-Type': 'application/json'}
    if token:
        headers['Authorization'] = 'Bearer ' + token
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read().decode()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        raw = e.read().decode(errors='replace')
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, None
    except OSError as e:
        return None, str(e)


# --- AT-SPI ---

def entry(window, title):
    """An AdwEntryRow / AdwPasswordEntryRow's text, found by the row's title."""
    return find(window, name=title, match=lambda a: a.getRoleName() in ('text', 'password text'))


# --- the app ---

def start_app(binary, data_dir, extra_env):
    return gh.start_app(binary, ['--data-dir', data_dir], 'prefs-app%s.log' % ('-dark' if dark else ''),
                        extra_env, START_TIMEOUT, append=True)


def open_preferences(frame):
    """Ctrl+comma, as a person would; None when no Preferences window comes."""
    time.sleep(1.0)  # the new window takes the keyboard focus
    key(COMMA, (CONTROL,))
    return wait_for(lambda: window_named('Preferences'))


def show_page(prefs, title):
    # the view switcher title holds a wide and a narrow switcher; either switches the one stack
    tab = wait_for(lambda: find(prefs, 'page tab', title))
    if tab is None:
        dump_tree(prefs, 'no page tab %s' % title)
        return False
    click(tab)
    time.sleep(SETTLE)
    return True


def label_text(window, description):
    label = find(window, 'label', description=description)
    return label.name if label is not None else None


def listening(port):
    """The local address a TCP socket listens on at PORT ('0.0.0.0', '127.0.0.1') or None."""
    for path in ('/proc/net/tcp',):
        with open(path) as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                addr, lport = fields[1].split(':')
                if int(lport, 16) == port and fields[3] == '0A':
                    raw = bytes.fromhex(addr)[::-1]
                    return '.'.join(str(b) for b in raw)
    return None


def keyfile_settings(config_home):
    path = os.path.join(config_home, 'glib-2.0', 'settings', 'keyfile')
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ''


# --- the runs ---

def accounts_part(prefs, api, token, kam_port, work):
    uri = 'sip:jarchi@127.0.0.1:%d' % kam_port
    add = find(prefs, 'push button', match=lambda a: a.name.startswith('Add Account'))
    if not result(add is not None, 'the Accounts page has an Add Account button'):
        dump_tree(prefs, 'preferences')
        return
    click(add)
    dialog = wait_for(lambda: window_named('New Account'))
    if not result(dialog is not None, 'Add Account opens the New Account dialog'):
        return
    fields = {'Display Name': 'Lab Jarchi', 'User': 'jarchi', 'Domain': '127.0.0.1:%d' % kam_port,
              'Password': LAB_PASSWORD}
    missing = [title for title in fields if wait_for(lambda: entry(dialog, title), 2) is None]
    if not result(not missing, 'the dialog has the fields Display Name, User, Domain, Password'):
        diag('missing: %s' % missing)
        dump_tree(dialog, 'account dialog')
        return
    for title, text in fields.items():
        set_text(entry(dialog, title), text)
    shot('prefs-account-dialog%s.png' % ('-dark' if dark else ''), 'the New Account dialog', 'New Account')
    click(find(dialog, 'push button', match=lambda a: a.name.endswith('Save')))
    result(wait_for(lambda: window_named('New Account') is None), 'Save closes the dialog')

    state = 'Registration state of ' + uri
    registered = wait_for(lambda: label_text(prefs, state) == 'Registered', REGISTER_TIMEOUT)
    if not result(registered, 'the new account shows "Registered" against the lab Kamailio'):
        diag('state label: %r' % label_text(prefs, state))
    status, _ = lab('lab_kamailio_registered "$LAB/kam" jarchi')
    result(status == 0, 'Kamailio has the registration of jarchi')
    code, body = http(api + '/accounts', token)
    items = (body or {}).get('items', []) if code == 200 else []
    account = next((a for a in items if a.get('uri') == uri), None)
    if not result(account is not None and account.get('display_name') == 'Lab Jarchi',
                  '/api/accounts lists the account with its display name'):
        diag('GET /api/accounts: %s %r' % (code, body))
        return
    shot('prefs-accounts%s.png' % ('-dark' if dark else ''), 'the Accounts page', 'Preferences')

    # edit: a new display name and "record all calls" on
    click(find(prefs, 'push button', 'Edit ' + uri))
    dialog = wait_for(lambda: window_named('Edit Account'))
    if not result(dialog is not None and entry(dialog, 'User') is not None
                  and text_of(entry(dialog, 'User')) == 'jarchi',
                  'the edit button opens Edit Account with the account filled in'):
        return
    name_entry = entry(dialog, 'Display Name')
    set_text(name_entry, 'Lab Jarchi 2')
    record = find(dialog, 'check box', match=lambda a: a.name.startswith('Record all calls'))
    if record is not None:
        click(record)
    click(find(dialog, 'push button', match=lambda a: a.name.endswith('Save')))
    wait_for(lambda: window_named('Edit Account') is None)
    code, body = http(api + '/accounts/%d' % account['id'], token)
    if not result(code == 200 and body.get('display_name') == 'Lab Jarchi 2' and body.get('record') is True,
                  'the edit is stored: /api/accounts/%d has the new name and record on' % account['id']):
        diag('GET: %s %r' % (code, body))
    result(wait_for(lambda: label_text(prefs, state) == 'Registered', REGISTER_TIMEOUT),
           'the edited account is registered again')

    prefs = calls_part(uri, kam_port, work)
    if not result(prefs is not None, 'app.preferences opens Preferences again'):
        return None

    # remove, through the confirmation
    click(find(prefs, 'push button', 'Remove ' + uri))
    confirm = wait_for(lambda: find(window_named('Remove Account?'), 'push button',
                                    match=lambda a: a.name.split()[0] == 'Remove'))
    if not result(confirm is not None, 'Remove asks for confirmation'):
        for w in app_windows():
            dump_tree(w, 'window %r' % w.name)
        return
    click(confirm)
    gone = wait_for(lambda: http(api + '/accounts', token)[1].get('total') == 0)
    result(gone, 'the removed account is gone from /api/accounts')
    result(wait_for(lambda: lab('lab_kamailio_registered "$LAB/kam" jarchi')[0] != 0, 10),
           'removing it un-registers it from Kamailio')
    return prefs


def calls_part(uri, kam_port, work):
    """With the main window closed, a lab phone rings Jarchi and gives up: the notification
    still comes, the tray shows the ringing, then one missed call."""
    for title in ('Preferences', 'Jarchi'):
        window = window_named(title)
        close = window and find(window, 'push button', 'Close')
        if close is not None:
            click(close)
    result(wait_for(lambda: window_named('Jarchi') is None and window_named('Preferences') is None)
           and run.app_proc.poll() is None, 'Preferences and the main window close and Jarchi runs on')
    status, _ = lab('lab_baresip_start "$LAB/alice" 0 --user 1001 --registrar 127.0.0.1:%d --password %s'
                    % (kam_port, LAB_PASSWORD))
    if not result(status == 0, 'lab: baresip 1001 registered at Kamailio'):
        app_action('preferences')
        return wait_for(lambda: window_named('Preferences'))
    lab('lab_baresip_cmd "$LAB/alice" "/dial sip:jarchi@127.0.0.1:%d"' % kam_port)
    # (the notification server logs the Notify call)
    ringing = wait_for(lambda: 'incoming call from' in tray_property('Title')
                       and 'NeedsAttention' in tray_property('Status'), 15)
    if not result(ringing, 'while 1001 rings, the tray item says so and needs attention'):
        diag('Title %s, Status %s' % (tray_property('Title'), tray_property('Status')))
    notified = wait_for(lambda: gh.call_notifications(work))
    result(notified, 'with the window closed, the incoming call still gets its notification with Answer')
    lab('lab_baresip_cmd "$LAB/alice" "/hangup"')
    missed = wait_for(lambda: '1 missed call' in tray_property('Title')
                      and 'NeedsAttention' in tray_property('Status'), 15)
    if not result(missed, 'when 1001 gives up, the tray item shows one missed call'):
        diag('Title %s, Status %s' % (tray_property('Title'), tray_property('Status')))
    lab('lab_baresip_stop "$LAB/alice"')
    gdbus('--dest', gh.tray_item(), '--object-path', '/StatusNotifierItem',
          '--method', 'org.kde.StatusNotifierItem.SecondaryActivate', '0', '0')
    result(wait_for(lambda: window_named('Jarchi'), START_TIMEOUT) is not None,
           'the tray item\'s SecondaryActivate brings the window back')
    title = wait_for(lambda: 'missed' not in tray_property('Title') and tray_property('Title'))
    result(title and "'Jarchi'" in title and 'Active' in tray_property('Status'),
           'showing the window clears the missed calls in the tray (%s)' % title)
    app_action('preferences')
    return wait_for(lambda: window_named('Preferences'))


def audio_part(prefs, work):
    if not show_page(prefs, 'Audio'):
        result(False, 'the Audio page can be shown')
        return
    devices = wait_for(lambda: label_text(prefs, 'Audio devices found'))
    honest = devices is not None and (devices.startswith('No microphones or speakers were found') or
                                      re.match(r'Found \d+ microphones and \d+ speakers', devices))
    if not result(honest, 'the Audio page says what GStreamer\'s device monitor found: %r' % devices):
        dump_tree(prefs, 'audio page')
    tone = os.path.join(work, 'tone.wav')
    click(find(prefs, 'push button', 'Play Test Tone'))
    played = wait_for(lambda: label_text(prefs, 'Audio test result') == 'The test tone was played.', 10)
    result(played, 'the test tone plays to its end (%r)' % label_text(prefs, 'Audio test result'))
    status, _ = lab('lab_has_tone "%s" 1000 0.8 1.5' % tone)
    result(status == 0, 'the speaker got a 1 kHz tone of about 2 s (Goertzel on the written WAV)')

    meter = find(prefs, name='Microphone level')
    button = find(prefs, 'push button', 'Test Microphone')
    if not result(meter is not None and button is not None, 'the Audio page has a mic meter and its button'):
        dump_tree(prefs, 'audio page')
        return
    click(button)
    level = wait_for(lambda: meter.queryValue().currentValue > 0.5 and meter.queryValue().currentValue, 10)
    result(level, 'the mic meter moves with the live test source (%r)' % level)
    shot('prefs-audio%s.png' % ('-dark' if dark else ''), 'the Audio page', 'Preferences')
    click(button)
    result(wait_for(lambda: meter.queryValue().currentValue == 0), 'stopping the mic test empties the meter')


def dashboard_part(prefs, api, token, port, new_port, config_home):
    base = api[:-len('/api')]
    if not show_page(prefs, 'Dashboard'):
        result(False, 'the Dashboard page can be shown')
        return
    url = wait_for(lambda: label_text(prefs, 'Dashboard address now'))
    result(url == 'http://127.0.0.1:%d/' % port, 'the dashboard URL is shown: %r' % url)
    result(label_text(prefs, 'Dashboard API token') == token, 'the API token is shown as text')

    code, body = http(base + '/api/login', body={'password': DASHBOARD_PASSWORD}, method='POST')
    result(code == 409, 'before a password is set, login answers 409 no_password (%s)' % code)
    set_text(entry(prefs, 'New Password'), DASHBOARD_PASSWORD)
    set_text(entry(prefs, 'Repeat Password'), DASHBOARD_PASSWORD)
    click(find(prefs, 'push button', 'Set Password'))
    state = wait_for(lambda: (label_text(prefs, 'Dashboard password state') or '').startswith('A password is set'))
    result(state, 'the page says a password is set')
    code, body = http(base + '/api/login', body={'password': DASHBOARD_PASSWORD}, method='POST')
    result(code == 200 and (body or {}).get('authenticated') is True,
           'the browser login accepts the password set in Preferences (%s)' % code)
    code, _ = http(base + '/api/login', body={'password': 'wrong'}, method='POST')
    result(code == 401, 'a wrong password gets 401 (%s)' % code)

    lan = find(prefs, 'check box', match=lambda a: a.name.startswith('Share the dashboard on the local network'))
    spin = find(prefs, 'spin button', 'Dashboard port')
    if not result(lan is not None and spin is not None, 'the page has the LAN switch and the port'):
        dump_tree(prefs, 'dashboard page')
        return
    click(lan)
    spin.queryValue().currentValue = float(new_port)
    saved = wait_for(lambda: 'dashboard-lan=true' in keyfile_settings(config_home)
                     and re.search(r'dashboard-port=(uint32 )?%d\n' % new_port, keyfile_settings(config_home)))
    if not result(saved, 'LAN access and port %d are saved in GSettings' % new_port):
        diag(keyfile_settings(config_home))
    # applied at once: the new port answers, the old one no longer does, the page says so
    new_api = 'http://127.0.0.1:%d/api' % new_port
    moved = wait_for(lambda: http(new_api + '/health')[0] == 200, 15)
    result(moved and listening(new_port) == '0.0.0.0',
           'without a restart the dashboard now answers on 0.0.0.0:%d (%s)' % (new_port, listening(new_port)))
    old_gone = wait_for(lambda: http(api + '/health')[0] is None and listening(port) is None, 10)
    result(old_gone, 'and the old port %d no longer answers' % port)
    now = wait_for(lambda: label_text(prefs, 'Dashboard address now') == 'http://0.0.0.0:%d/' % new_port
                   and ':%d/' % new_port in (label_text(prefs, 'Dashboard address status') or ''))
    result(now, 'the page shows the new address (%r; %r)' % (label_text(prefs, 'Dashboard address now'),
                                                            label_text(prefs, 'Dashboard address status')))
    code, _ = http(new_api[:-4] + '/api/login', body={'password': DASHBOARD_PASSWORD}, method='POST')
    result(code == 200, 'the password still logs in on the new port (%s)' % code)
    shot('prefs-dashboard%s.png' % ('-dark' if dark else ''), 'the Dashboard page', 'Preferences')
    return new_api


def narrow_shots(prefs):
    """Each page of Preferences at 360 px wide (the narrowest the main window allows), looked
    at by a person: the window must accept that width."""
    windows = run.x11.windows_of(run.app_proc.pid, 'Preferences') if run.x11 else None
    if not windows:
        result(False, 'the Preferences window can be found on X11 for the 360 px screenshots')
        return
    run.x11.resize(windows[-1], 360, 720)
    time.sleep(1.0)
    # the X11 window also holds GTK's invisible resize borders: the frame's own width counts
    def frame_width():
        try:
            return prefs.queryComponent().getExtents(pyatspi.WINDOW_COORDS).width
        except Exception:
            return None
    wait_for(lambda: (frame_width() or 1000) <= 360, 10)
    width = frame_width()
    result(width is not None and width <= 360,
           'Preferences takes a width of 360 px (frame %s, X11 window %s)' % (width, run.x11.geometry(windows[-1])))
    for page in ('Accounts', 'Audio', 'Dashboard'):
        # narrow, the bottom switcher bar's tab is the one on screen; a click on the hidden
        # header switchers' tabs does nothing, so each tab of that name gets one
        for tab in [a for a in walk(prefs) if a.getRoleName() == 'page tab' and a.name == page]:
            try:
                click(tab)
            except Exception as e:
                diag('tab %s: %s' % (page, e))
        time.sleep(SETTLE)
        shot('prefs-%s-360%s.png' % (page.lower(), '-dark' if dark else ''),
             'the %s page at 360 px' % page, 'Preferences')
    run.x11.resize(windows[-1], 640, 720)
    time.sleep(SETTLE)


def tray_part(api):
    item = gh.tray_item()
    gh.check_tray_registered()
    status, layout = gdbus('--dest', item, '--object-path', '/StatusNotifierItem/Menu',
                           '--method', 'com.canonical.dbusmenu.GetLayout', '0', '--', '-1', '@as []')
    if not result(status == 0 and all(s in layout for s in ('_Show Jarchi', '_New Call', '_Quit')),
                  'the tray menu (dbusmenu) has Show, New Call and Quit'):
        diag('GetLayout: %s %s' % (status, layout))

    # closing the main window leaves Jarchi running: the dashboard still answers
    for w in app_windows():
        if w.name == 'Preferences':
            key(ESCAPE)
    frame = window_named('Jarchi')
    close = frame and find(frame, 'push button', 'Close')
    if close is None:
        dump_tree(frame, 'main window')
    else:
        click(close)
    closed = wait_for(lambda: window_named('Jarchi') is None)  # hidden windows leave the tree
    result(closed and run.app_proc.poll() is None, 'closing the main window leaves Jarchi running')
    time.sleep(1)
    code, body = http(api + '/health')
    result(code == 200 and run.app_proc.poll() is None,
           'the dashboard still answers with the window closed (%s)' % code)

    gdbus('--dest', item, '--object-path', '/StatusNotifierItem', '--method',
          'org.kde.StatusNotifierItem.Activate', '0', '0')
    frame = wait_for(lambda: window_named('Jarchi'), START_TIMEOUT)
    result(frame is not None, 'the tray item\'s Activate shows the main window again')
    result("'Jarchi'" in tray_property('Title') and 'Active' in tray_property('Status'),
           'the tray item is idle again (%s)' % tray_property('Title'))

    gdbus('--dest', item, '--object-path', '/StatusNotifierItem/Menu', '--method',
          'com.canonical.dbusmenu.Event', '4', 'clicked', '<0>', '0')
    try:
        status = run.app_proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        status = None
    result(status == 0, 'Quit from the tray menu ends Jarchi with status 0 (%s)' % status)


def main():
    gh.remove_outputs(['prefs-app.log', 'prefs-app-dark.log'])
    binary, started = gh.begin(DEADLINE)
    gh.load_x11()
    work = tempfile.mkdtemp(prefix='jarchi-prefs-')
    data_dir = os.path.join(work, 'data')
    config_home = os.path.join(work, 'config')
    os.makedirs(os.path.join(config_home, 'glib-2.0', 'settings'))
    token = subprocess.run([binary, '--print-token', '--data-dir', data_dir], stdout=subprocess.PIPE,
                           timeout=20, check=True).stdout.decode().strip()
    env = {'GSETTINGS_BACKEND': 'keyfile', 'XDG_CONFIG_HOME': config_home,
           'JARCHI_AUDIOSINK': 'audioconvert ! audioresample ! audio/x-raw,rate=8000,channels=1 ! '
                               'wavenc ! filesink location=%s' % os.path.join(work, 'tone.wav'),
           'JARCHI_AUDIOSRC': 'audiotestsrc is-live=true freq=440 volume=0.5'}
    if dark:
        env['ADW_DEBUG_COLOR_SCHEME'] = 'prefer-dark'

    if dark:
        frame = start_app(binary, data_dir, env)
        if frame is None:
            bail_out('the app did not show its window')
        prefs = open_preferences(frame)
        if not result(prefs is not None, 'Ctrl+comma opens Preferences'):
            bail_out('no Preferences window')
        shot('prefs-accounts-dark.png', 'the Accounts page (dark)', 'Preferences')
        click(find(prefs, 'push button', match=lambda a: a.name.startswith('Add Account')))
        if result(wait_for(lambda: window_named('New Account')) is not None, 'the account dialog opens'):
            shot('prefs-account-dialog-dark.png', 'the account dialog (dark)', 'New Account')
            key(ESCAPE)
        for page in ('Audio', 'Dashboard'):
            show_page(prefs, page)
            shot('prefs-%s-dark.png' % page.lower(), 'the %s page (dark)' % page, 'Preferences')
        narrow_shots(prefs)
    else:
        kam_port = gh.start_lab_kamailio(work, 'auth')
        _, ports = lab('lab_free_port; lab_free_port')
        port, new_port = [int(p) for p in ports.split()[:2]]
        with open(os.path.join(config_home, 'glib-2.0', 'settings', 'keyfile'), 'w') as f:
            f.write('[io/github/jarchi/Jarchi]\ndashboard-port=uint32 %d\n' % port)
        gh.start_tray_helpers(work)

        frame = start_app(binary, data_dir, env)
        if frame is None:
            bail_out('the app did not show its window')
        api = 'http://127.0.0.1:%d/api' % port
        result(wait_for(lambda: http(api + '/health')[0] == 200),
               'the dashboard listens on the port saved in GSettings (%d)' % port)
        prefs = open_preferences(frame)
        if not result(prefs is not None, 'Ctrl+comma opens Preferences'):
            app_action('preferences')
            prefs = wait_for(lambda: window_named('Preferences'))
            if prefs is None:
                bail_out('no Preferences window')
        prefs = accounts_part(prefs, api, token, kam_port, work) or window_named('Preferences')
        if prefs is None:
            app_action('preferences')
            prefs = wait_for(lambda: window_named('Preferences'))
        audio_part(prefs, work)
        api = dashboard_part(prefs, api, token, port, new_port, config_home) or api
        narrow_shots(prefs)
        tray_part(api)

        # a second start: LAN access and the new port apply, the password stays
        frame = start_app(binary, data_dir, env)
        api = 'http://127.0.0.1:%d/api' % new_port
        up = frame is not None and wait_for(lambda: http(api + '/health')[0] == 200)
        result(up and listening(new_port) == '0.0.0.0',
               'after a restart the dashboard listens on 0.0.0.0:%d (%s)' % (new_port, listening(new_port)))
        code, _ = http(api[:-4] + '/api/login', body={'password': DASHBOARD_PASSWORD}, method='POST')
        result(code == 200, 'the dashboard password survives the restart (%s)' % code)
    return gh.finish(started)


if __name__ == '__main__':
    gh.run_main(main)
