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

import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

APP_ID = 'io.github.jarchi.Jarchi'
APP_PATH = '/io/github/jarchi/Jarchi'
DEADLINE = int(os.environ.get('JARCHI_TEST_DEADLINE', '230'))
START_TIMEOUT = 60.0
TIMEOUT = 8.0
REGISTER_TIMEOUT = 20.0
SETTLE = 0.4  # > the 250 ms in which clicks merge; lets transitions end before a screenshot
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.environ.get('JARCHI_SOURCE_ROOT') or os.path.dirname(HERE)
LAB_SH = os.path.join(SOURCE_ROOT, 'tests', 'lab', 'lab.sh')
LAB_PASSWORD = 'secret'
DASHBOARD_PASSWORD = 'correct horse battery'
CONTROL = 37  # Control_L keycode
COMMA, ESCAPE = 0x2c, 0xff1b

test_number = failures = 0
app_proc = app_log_path = lab_dir = x11 = x11_window = None
helpers = []
dark = '--dark' in sys.argv[1:]


def diag(text):
    for line in str(text).splitlines() or ['']:
        print('# ' + line, file=sys.stderr, flush=True)


def result(ok, description):
    global test_number, failures
    test_number += 1
    print('%s %d - %s' % ('ok' if ok else 'not ok', test_number, description), flush=True)
    if not ok:
        failures += 1
    return ok


def show_app_log():
    if app_log_path and os.path.exists(app_log_path):
        with open(app_log_path, errors='replace') as f:
            diag('--- application output ---\n' + f.read()[-6000:])


def cleanup():
    global lab_dir
    for proc in [app_proc] + helpers:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
    if lab_dir:
        lab('lab_cleanup_all "$LAB"', timeout=20)
        lab_dir = None


def bail_out(reason):
    print('Bail out! ' + reason, flush=True)
    show_app_log()
    cleanup()
    sys.exit(1)


def wait_for(predicate, timeout=TIMEOUT, interval=0.1):
    end = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except Exception:  # the tree changes under our feet; try again
            value = None
        if value or time.monotonic() >= end:
            return value
        time.sleep(interval)


def output_dir():
    out = os.environ.get('JARCHI_TEST_OUTPUT') or os.path.join(
        os.path.dirname(os.path.dirname(os.path.realpath(os.environ['JARCHI_BINARY']))), 'test-output')
    os.makedirs(out, exist_ok=True)
    return out


def lab(command, timeout=40):
    """Runs COMMAND in bash with lab.sh sourced and LAB set; returns (status, stdout)."""
    env = dict(os.environ, LAB=lab_dir or '', LAB_PASSWORD=LAB_PASSWORD)
    try:
        proc = subprocess.run(['bash', '-c', '. "%s" && %s' % (LAB_SH, command)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, ''
    if proc.returncode != 0:
        diag('lab: %s -> %d\n%s' % (command, proc.returncode, proc.stderr.decode(errors='replace')))
    return proc.returncode, proc.stdout.decode(errors='replace').strip()


def gdbus(*args, timeout=5):
    try:
        proc = subprocess.run(['gdbus', 'call', '--session'] + list(args), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return 1, str(e)
    return proc.returncode, proc.stdout.decode(errors='replace').strip()


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

def walk(acc):
    yield acc
    try:
        children = list(acc)
    except Exception:
        children = []
    for child in children:
        if child is not None:
            yield from walk(child)


def find(root, role=None, name=None, description=None, match=None):
    for acc in walk(root):
        try:
            if role is not None and acc.getRoleName() != role:
                continue
            if name is not None and acc.name != name:
                continue
            if description is not None and acc.description != description:
                continue
            if match is not None and not match(acc):
                continue
        except Exception:
            continue
        return acc
    return None


def dump_tree(root, title):
    diag('--- accessibility tree: %s ---' % title)
    for acc in walk(root):
        try:
            diag('%s %r desc=%r' % (acc.getRoleName(), acc.name, acc.description))
        except Exception as e:
            diag('<error %s>' % e)


def click(acc):
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ('click', 'activate', 'press', 'toggle'):
            action.doAction(i)
            time.sleep(0.3)  # two clicks within 250 ms merge
            return
    raise RuntimeError('%s %r has no click action' % (acc.getRoleName(), acc.name))


def set_text(acc, text):
    acc.queryEditableText().setTextContents(text)


def text_of(acc):
    text = acc.queryText()
    return text.getText(0, text.characterCount)  # GTK 4.8 answers "" for an end offset of -1


def key(keysym, modifiers=()):
    for code in modifiers:
        pyatspi.Registry.generateKeyboardEvent(code, None, pyatspi.KEY_PRESS)
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
    for code in reversed(modifiers):
        pyatspi.Registry.generateKeyboardEvent(code, None, pyatspi.KEY_RELEASE)
    time.sleep(0.15)


def app_windows():
    for app in pyatspi.Registry.getDesktop(0):
        try:
            if app is not None and app.get_process_id() == app_proc.pid:
                return [w for w in app if w is not None]
        except Exception:
            continue
    return []


def window_named(name):
    for w in app_windows():
        if w.name == name:
            return w
    return None


def entry(window, title):
    """An AdwEntryRow / AdwPasswordEntryRow's text, found by the row's title."""
    return find(window, name=title, match=lambda a: a.getRoleName() in ('text', 'password text'))


# --- screenshots (X11 helper from test-window.py) ---

def load_x11():
    global x11
    try:
        spec = importlib.util.spec_from_file_location('jarchi_test_window', os.path.join(HERE, 'test-window.py'))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        x11 = module.X11()
    except Exception as e:
        diag('no X11 helper (%s): screenshots show the whole screen' % e)
        x11 = None


def shot(name, what, title):
    time.sleep(SETTLE)
    path = os.path.join(output_dir(), name)
    cmd = ['/usr/bin/import', '-window', 'root']
    windows = x11.windows_of(app_proc.pid, title) if x11 else None
    geometry = x11.geometry(windows[-1]) if windows else None
    if geometry and geometry[2] > 0 and geometry[3] > 0:
        x, y, width, height = geometry
        cmd += ['-crop', '%dx%d+%d+%d' % (width, height, max(x, 0), max(y, 0)), '+repage']
    cmd.append(path)
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=15)
        ok = proc.returncode == 0 and os.path.getsize(path) > 1000
    except (OSError, subprocess.TimeoutExpired) as e:
        diag('%s: %s' % (' '.join(cmd), e))
        ok = False
    result(ok, 'screenshot of %s: %s' % (what, name))


# --- the app ---

def start_app(binary, data_dir, extra_env):
    global app_proc, app_log_path
    app_log_path = os.path.join(output_dir(), 'prefs-app%s.log' % ('-dark' if dark else ''))
    env = dict(os.environ)
    if APP_G_DEBUG is not None:
        env['G_DEBUG'] = APP_G_DEBUG
    env.update(extra_env)
    with open(app_log_path, 'a') as log:
        app_proc = subprocess.Popen([binary, '--data-dir', data_dir], stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT, env=env)

    def ready():
        if app_proc.poll() is not None:
            return 'exited'
        return window_named('Jarchi')
    frame = wait_for(ready, START_TIMEOUT, interval=0.25)
    return None if frame == 'exited' else frame


def app_action(name):
    return gdbus('--dest', APP_ID, '--object-path', APP_PATH, '--method', 'org.gtk.Actions.Activate',
                 name, '[]', '{}')


def quit_app():
    app_action('quit')
    try:
        return app_proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        return None


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


def tray_property(name):
    status, value = gdbus('--dest', 'org.kde.StatusNotifierItem-%d-1' % app_proc.pid, '--object-path',
                          '/StatusNotifierItem', '--method', 'org.freedesktop.DBus.Properties.Get',
                          'org.kde.StatusNotifierItem', name)
    return value if status == 0 else ''


def notifications(work):
    try:
        with open(os.path.join(work, 'notifications.log')) as f:
            return [json.loads(line) for line in f if line.strip()]
    except OSError:
        return []


def calls_part(uri, kam_port, work):
    """With the main window closed, a lab phone rings Jarchi and gives up: the notification
    still comes, the tray shows the ringing, then one missed call."""
    for title in ('Preferences', 'Jarchi'):
        window = window_named(title)
        close = window and find(window, 'push button', 'Close')
        if close is not None:
            click(close)
    result(wait_for(lambda: window_named('Jarchi') is None and window_named('Preferences') is None)
           and app_proc.poll() is None, 'Preferences and the main window close and Jarchi runs on')
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
    notified = wait_for(lambda: [n for n in notifications(work) if n.get('event') == 'notify'
                                 and any('app.answer' in str(a) for a in n.get('actions', []))])
    result(notified, 'with the window closed, the incoming call still gets its notification with Answer')
    lab('lab_baresip_cmd "$LAB/alice" "/hangup"')
    missed = wait_for(lambda: '1 missed call' in tray_property('Title')
                      and 'NeedsAttention' in tray_property('Status'), 15)
    if not result(missed, 'when 1001 gives up, the tray item shows one missed call'):
        diag('Title %s, Status %s' % (tray_property('Title'), tray_property('Status')))
    lab('lab_baresip_stop "$LAB/alice"')
    gdbus('--dest', 'org.kde.StatusNotifierItem-%d-1' % app_proc.pid, '--object-path', '/StatusNotifierItem',
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
    windows = x11.windows_of(app_proc.pid, 'Preferences') if x11 else None
    if not windows:
        result(False, 'the Preferences window can be found on X11 for the 360 px screenshots')
        return
    x11.resize(windows[-1], 360, 720)
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
           'Preferences takes a width of 360 px (frame %s, X11 window %s)' % (width, x11.geometry(windows[-1])))
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
    x11.resize(windows[-1], 640, 720)
    time.sleep(SETTLE)


def tray_part(api):
    item = 'org.kde.StatusNotifierItem-%d-1' % app_proc.pid
    registered = wait_for(lambda: item in gdbus(
        '--dest', 'org.kde.StatusNotifierWatcher', '--object-path', '/StatusNotifierWatcher',
        '--method', 'org.freedesktop.DBus.Properties.Get', 'org.kde.StatusNotifierWatcher',
        'RegisteredStatusNotifierItems')[1])
    result(registered, 'the tray item is registered with status-notifier-watcher')
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
    result(closed and app_proc.poll() is None, 'closing the main window leaves Jarchi running')
    time.sleep(1)
    code, body = http(api + '/health')
    result(code == 200 and app_proc.poll() is None,
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
        status = app_proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        status = None
    result(status == 0, 'Quit from the tray menu ends Jarchi with status 0 (%s)' % status)


def main():
    global lab_dir, app_proc
    for name in ('prefs-app.log', 'prefs-app-dark.log'):
        try:
            os.unlink(os.path.join(output_dir(), name))
        except FileNotFoundError:
            pass
    signal.signal(signal.SIGALRM, lambda signum, frame: bail_out('no end within %d s' % DEADLINE))
    signal.alarm(DEADLINE)
    pyatspi.setTimeout(5000, 15000)
    started = time.monotonic()
    binary = os.environ.get('JARCHI_BINARY')
    if not binary or not os.access(binary, os.X_OK):
        bail_out('JARCHI_BINARY (%r) is not an executable' % binary)
    if 'DISPLAY' not in os.environ:
        bail_out('no DISPLAY: run this under tests/run-gui-test.sh')
    load_x11()
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
        status = quit_app()
        result(status == 0, 'app.quit ends the application with status 0 (%s)' % status)
    else:
        lab_dir = os.path.join(work, 'lab')
        os.makedirs(lab_dir)
        status, kam_port = lab('p=$(lab_free_port) && lab_kamailio_start "$LAB/kam" "$p" auth >&2 && echo "$p"')
        if status != 0:
            bail_out('the lab Kamailio did not start')
        kam_port = int(kam_port.split()[-1])
        _, ports = lab('lab_free_port; lab_free_port')
        port, new_port = [int(p) for p in ports.split()[:2]]
        with open(os.path.join(config_home, 'glib-2.0', 'settings', 'keyfile'), 'w') as f:
            f.write('[io/github/jarchi/Jarchi]\ndashboard-port=uint32 %d\n' % port)
        watcher = subprocess.Popen(['status-notifier-watcher'], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        helpers.append(watcher)
        # a ringing call sends a notification: without a server GLib would warn (fatal here)
        notifier = subprocess.Popen(['/usr/bin/python3', os.path.join(HERE, 'notification-server.py'),
                                     os.path.join(work, 'notifications.log')],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        helpers.append(notifier)
        notifier.stdout.readline()  # "ready"
        wait_for(lambda: gdbus('--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus',
                               '--method', 'org.freedesktop.DBus.NameHasOwner',
                               'org.kde.StatusNotifierWatcher')[1] == '(true,)')

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
        status = quit_app()
        result(status == 0, 'app.quit ends the application with status 0 (%s)' % status)

    if failures:
        show_app_log()
    cleanup()
    if x11:
        x11.close()
    diag('finished in %.1f s' % (time.monotonic() - started))
    print('1..%d' % test_number, flush=True)
    signal.alarm(0)
    return 1 if failures else 0


# G_DEBUG=fatal-warnings (set for the whole suite) is meant for the app; libatspi in this process
# may warn harmlessly. Drop the fatal flags here and give the app the original value.
APP_G_DEBUG = os.environ.get('G_DEBUG')
if APP_G_DEBUG is not None:
    os.environ['G_DEBUG'] = ','.join(flag for flag in APP_G_DEBUG.split(',')
                                     if flag.strip() not in ('fatal-warnings', 'fatal-criticals'))

if __name__ == '__main__':
    try:
        import pyatspi
    except ImportError as e:
        print('1..0 # SKIP pyatspi is not available to %s: %s' % (sys.executable, e))
        sys.exit(0)
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except BaseException as e:
        import traceback
        diag(traceback.format_exc())
        bail_out('unexpected error: %s' % e)
    finally:
        cleanup()
