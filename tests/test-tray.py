#!/usr/bin/python3
# Jarchi: do not disturb and the tray's campaign status, driven through D-Bus, AT-SPI and lab SIP peers (TAP).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run it under tests/run-gui-test.sh (Xvfb + private session bus) with Debian's /usr/bin/python3:
#
#   JARCHI_BINARY=build/src/jarchi tests/run-gui-test.sh /usr/bin/python3 tests/test-tray.py
#
# A real status-notifier-watcher, tests/notification-server.py, the lab's Kamailio and a baresip
# phone (account-less, auto-answer) on 127.0.0.1, then the desktop app with GSettings in a key
# file. The tray menu (com.canonical.dbusmenu, read with GetLayout) must have a "Do Not Disturb"
# checkmark; its Event "clicked" turns the setting on (read back from the key file and from
# app.do-not-disturb's state), the checkmark follows and the main window shows its indicator.
# baresip then calls Jarchi: it must be turned down with 486 Busy Here (baresip's log), no
# notification may reach the notification server, the tray must not ring and the call must be
# in the history as a missed call with the reason "do not disturb" (API and the History page).
# Outgoing calls still work (Jarchi calls baresip, which answers) and so do campaigns: a campaign
# to a number nobody has keeps running (its call fails, a retry waits), and meanwhile the tray
# item's Title and IconName say a broadcast is running; cancelling it makes the item idle again.
# Do not disturb is switched off in Preferences (AT-SPI), the checkmark follows, and a new call
# from baresip gets its notification again. Screenshots: tray-dnd-*.png in the test output.

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
TIMEOUT = 10.0
CALL_TIMEOUT = 20.0
SETTLE = 0.4
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.environ.get('JARCHI_SOURCE_ROOT') or os.path.dirname(HERE)
LAB_SH = os.path.join(SOURCE_ROOT, 'tests', 'lab', 'lab.sh')
MENU_DND = 5  # the dbusmenu id of Do Not Disturb (ids are stable: see jarchi-tray.c)
NOBODY = '5550001'  # a campaign target nobody is registered as

test_number = failures = 0
app_proc = app_log_path = lab_dir = x11 = None
helpers = []


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


def wait_for(predicate, timeout=TIMEOUT, interval=0.2):
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
    env = dict(os.environ, LAB=lab_dir or '')
    try:
        proc = subprocess.run(['bash', '-c', '. "%s" && %s' % (LAB_SH, command)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, ''
    if proc.returncode != 0:
        diag('lab: %s -> %d\n%s' % (command, proc.returncode, proc.stderr.decode(errors='replace')))
    return proc.returncode, proc.stdout.decode(errors='replace').strip()


def baresip_log():
    try:
        with open(os.path.join(lab_dir, 'alice', 'baresip.log'), errors='replace') as f:
            return f.read()
    except OSError:
        return ''


def gdbus(*args, timeout=5):
    try:
        proc = subprocess.run(['gdbus', 'call', '--session'] + list(args), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return 1, str(e)
    return proc.returncode, proc.stdout.decode(errors='replace').strip()


class Api:
    base = token = None

    def __call__(self, method, path, body=None):
        """(status, parsed JSON or None)."""
        headers = {'Content-Type': 'application/json', 'Authorization': 'Bearer ' + self.token}
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read().decode()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            raw = e.read().decode(errors='replace')
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, raw
        except OSError as e:
            return None, str(e)


api = Api()


# --- D-Bus: the tray item and its menu ---

def item_name():
    return 'org.kde.StatusNotifierItem-%d-1' % app_proc.pid


def tray_property(name):
    status, value = gdbus('--dest', item_name(), '--object-path', '/StatusNotifierItem', '--method',
                          'org.freedesktop.DBus.Properties.Get', 'org.kde.StatusNotifierItem', name)
    return value if status == 0 else ''


def dnd_menu_item():
    """The Do Not Disturb item of GetLayout's text: its properties as text, or ''."""
    status, layout = gdbus('--dest', item_name(), '--object-path', '/StatusNotifierItem/Menu',
                           '--method', 'com.canonical.dbusmenu.GetLayout', '0', '--', '-1', '@as []')
    if status != 0:
        return ''
    match = re.search(r"\(%d, \{[^}]*'label': <'_Do Not Disturb'>[^}]*\}" % MENU_DND, layout)
    return match.group(0) if match else ''


def toggle_state():
    found = re.search(r"'toggle-state': <(\d+)>", dnd_menu_item())
    return int(found.group(1)) if found else None


def menu_click(item_id):
    return gdbus('--dest', item_name(), '--object-path', '/StatusNotifierItem/Menu', '--method',
                 'com.canonical.dbusmenu.Event', str(item_id), 'clicked', '<0>', '0')


def action_state():
    status, value = gdbus('--dest', APP_ID, '--object-path', APP_PATH, '--method',
                          'org.gtk.Actions.Describe', 'do-not-disturb')
    return value if status == 0 else ''


def app_action(name):
    return gdbus('--dest', APP_ID, '--object-path', APP_PATH, '--method', 'org.gtk.Actions.Activate',
                 name, '[]', '{}')


def keyfile_dnd(config_home):
    try:
        with open(os.path.join(config_home, 'glib-2.0', 'settings', 'keyfile')) as f:
            text = f.read()
    except OSError:
        return None
    found = re.search(r'^do-not-disturb=(\w+)', text, re.M)
    return found.group(1) if found else None


def notifications(work):
    try:
        with open(os.path.join(work, 'notifications.log')) as f:
            return [json.loads(line) for line in f if line.strip()]
    except OSError:
        return []


def call_notifications(work):
    return [n for n in notifications(work) if n.get('event') == 'notify'
            and any('app.answer' in str(a) for a in n.get('actions', []))]


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


def indicator_on(frame):
    """The header bar's indicator is a toggle button bound to app.do-not-disturb and visible
    only while it is pressed (window.ui binds visible to active). GTK 4.8 reports "showing" for
    windows only and its hit-testing missed this header bar button, so its pressed state stands
    for being shown; the screenshot shows it to a person."""
    acc = dnd_indicator(frame)
    try:
        return acc is not None and acc.getState().contains(pyatspi.STATE_PRESSED)
    except Exception:
        return False


def click(acc):
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ('click', 'activate', 'press', 'toggle'):
            action.doAction(i)
            time.sleep(0.3)  # two clicks within 250 ms merge
            return
    raise RuntimeError('%s %r has no click action' % (acc.getRoleName(), acc.name))


def app_windows():
    for app in pyatspi.Registry.getDesktop(0):
        try:
            if app is not None and app.get_process_id() == app_proc.pid:
                return [w for w in app if w is not None]
        except Exception:
            continue
    return []


def window_named(name):
    return next((w for w in app_windows() if w.name == name), None)


def dnd_indicator(frame):
    return find(frame, name='Do Not Disturb', description='Do not disturb indicator')


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


# --- the parts ---

def start_app(binary, data_dir, sip_port, env):
    global app_proc, app_log_path
    app_log_path = os.path.join(output_dir(), 'tray-app.log')
    full_env = dict(os.environ, **env)
    if APP_G_DEBUG is not None:
        full_env['G_DEBUG'] = APP_G_DEBUG
    with open(app_log_path, 'w') as log:
        app_proc = subprocess.Popen([binary, '--data-dir', data_dir, '--dashboard-port', '0',
                                     '--sip-port', str(sip_port)], stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT, env=full_env)

    def url():
        with open(app_log_path, errors='replace') as f:
            found = re.search(r'^dashboard: (http://\S+?)/?$', f.read(), re.M)
        return found.group(1) if found else None
    base = wait_for(url, START_TIMEOUT)
    frame = wait_for(lambda: 'exited' if app_proc.poll() is not None else window_named('Jarchi'),
                     START_TIMEOUT, interval=0.25)
    if frame in (None, 'exited') or base is None:
        bail_out('the app did not start (window %s, dashboard %s)' % (frame, base))
    api.base = base + '/api'
    return frame


def dnd_on_from_tray(config_home, frame):
    registered = wait_for(lambda: item_name() in gdbus(
        '--dest', 'org.kde.StatusNotifierWatcher', '--object-path', '/StatusNotifierWatcher',
        '--method', 'org.freedesktop.DBus.Properties.Get', 'org.kde.StatusNotifierWatcher',
        'RegisteredStatusNotifierItems')[1], 20)
    result(registered, 'the tray item is registered with status-notifier-watcher')
    item = dnd_menu_item()
    if not result("'toggle-type': <'checkmark'>" in item and toggle_state() == 0,
                  'the tray menu has "Do Not Disturb" as an unchecked checkmark item'):
        diag('GetLayout: %s' % gdbus('--dest', item_name(), '--object-path', '/StatusNotifierItem/Menu',
                                     '--method', 'com.canonical.dbusmenu.GetLayout', '0', '--', '-1',
                                     '@as []')[1])
    result(not indicator_on(frame), 'the main window shows no do-not-disturb indicator yet')
    status, _ = menu_click(MENU_DND)
    on = wait_for(lambda: keyfile_dnd(config_home) == 'true')
    result(status == 0 and on, 'clicking it (dbusmenu Event "clicked") turns the do-not-disturb setting on')
    result(wait_for(lambda: '(true,' in action_state() and 'true' in action_state().split('[')[-1]),
           'app.do-not-disturb\'s state is true (%s)' % action_state())
    result(wait_for(lambda: toggle_state() == 1), 'the tray item\'s checkmark is now checked')
    indicator = wait_for(lambda: indicator_on(frame))
    if not result(indicator, 'the main window shows the do-not-disturb indicator in its header bar'):
        for acc in walk(frame):
            try:
                if acc.getRoleName() in ('toggle button', 'push button'):
                    diag('%s %r desc=%r states=%s' % (acc.getRoleName(), acc.name, acc.description,
                                                      acc.getState().getStates(), ))
            except Exception:
                pass
    shot('tray-dnd-window.png', 'the main window with do not disturb on', 'Jarchi')


def refused_call(work, sip_port):
    before = len(call_notifications(work))
    lab('lab_baresip_cmd "$LAB/alice" "/dial sip:jarchi@127.0.0.1:%d"' % sip_port)
    busy = wait_for(lambda: re.search(r'486 Busy Here', baresip_log()), CALL_TIMEOUT)
    if not result(busy, 'with do not disturb on, a call from baresip is turned down with 486 Busy Here'):
        diag('baresip log:\n' + baresip_log()[-2000:])
    # the history row is written when the call ends, after the 486 went out
    entry = wait_for(lambda: next((e for e in api('GET', '/history?direction=incoming')[1]['items']
                                   if e.get('end_reason') == 'do not disturb'), None), CALL_TIMEOUT)
    result(entry and entry.get('sip_code') == 486 and entry.get('answered_at') is None,
           'the history has the call, unanswered, with the reason "do not disturb" and 486 (%s)'
           % json.dumps(entry))
    time.sleep(2)  # a notification would have been sent as the call came in
    result(len(call_notifications(work)) == before,
           'no notification reached the notification server (%d before, %d after)'
           % (before, len(call_notifications(work))))
    title = tray_property('Title')
    result('missed' not in title and 'incoming' not in title and 'NeedsAttention' not in tray_property('Status'),
           'the tray item neither rang nor counts a missed call (%s)' % title)
    frame = window_named('Jarchi')
    tab = frame and find(frame, 'page tab', 'History')
    if tab is not None:
        click(tab)
    cell = wait_for(lambda: find(frame, 'label', match=lambda a: a.name.startswith('do not disturb')))
    result(cell is not None and find(frame, name='Missed') is not None,
           'the History page lists it as missed, with "do not disturb" as its result')
    shot('tray-dnd-history.png', 'the History page with the refused call', 'Jarchi')


def outgoing_call(baresip_port):
    status, body = api('POST', '/calls', {'to': 'sip:lab@127.0.0.1:%d' % baresip_port, 'account': None})
    call_id = body.get('id') if isinstance(body, dict) else None
    answered = call_id and wait_for(
        lambda: api('GET', '/calls/%d' % call_id)[1].get('state') == 'active', CALL_TIMEOUT)
    result(status == 201 and answered, 'with do not disturb on, Jarchi still calls out (baresip answers)')
    if call_id:
        api('POST', '/calls/%d/hangup' % call_id)
        wait_for(lambda: api('GET', '/calls/%d' % call_id)[1].get('state') == 'ended')


def campaign_running(kam_port):
    status, account = api('POST', '/accounts', {'uri': 'sip:jarchi@127.0.0.1:%d' % kam_port})
    account_id = account.get('id') if isinstance(account, dict) else None
    registered = account_id and wait_for(
        lambda: api('GET', '/accounts/%d' % account_id)[1].get('registration') == 'registered', 20)
    result(registered, 'lab: an account registers at Kamailio (%s)' % status)
    status, contact = api('POST', '/contacts', {'name': 'Nobody Here', 'phone': NOBODY})
    contact_id = contact.get('id') if isinstance(contact, dict) else None
    status, campaign = api('POST', '/campaigns', {
        'name': 'Tray status', 'account': account_id, 'targets': {'contacts': [contact_id]},
        'message': {'tts': {'text': 'Test', 'lang': 'en'}},
        'retries': {'failed': {'count': 3, 'delay_s': 600}, 'no_answer': {'count': 3, 'delay_s': 600},
                    'busy': {'count': 3, 'delay_s': 600}}})
    campaign_id = campaign.get('id') if isinstance(campaign, dict) else None
    if not result(status == 201 and campaign_id, 'a campaign to %s is created (%s)' % (NOBODY, status)):
        diag(campaign)
        return
    status, body = api('POST', '/campaigns/%d/start' % campaign_id)
    result(status == 200 and body.get('state') == 'running', 'the campaign starts (%s)' % status)
    attempted = wait_for(lambda: api('GET', '/campaigns/%d' % campaign_id)[1]['stats']['attempts'] >= 1,
                         CALL_TIMEOUT)
    result(attempted, 'with do not disturb on, the campaign still places its call')
    shown = wait_for(lambda: 'broadcast running' in tray_property('Title')
                     and 'audio-volume-high-symbolic' in tray_property('IconName'))
    if not result(shown, 'while it runs, the tray item\'s Title and IconName say a broadcast is running'):
        diag('Title %s IconName %s Status %s' % (tray_property('Title'), tray_property('IconName'),
                                                  tray_property('Status')))
    state = api('GET', '/campaigns/%d' % campaign_id)[1].get('state')
    result(state == 'running' and 'Active' in tray_property('Status'),
           'the campaign is still running (%s) and the item is Active' % state)
    api('POST', '/campaigns/%d/cancel' % campaign_id)
    idle = wait_for(lambda: 'broadcast' not in tray_property('Title')
                    and 'audio-volume-high-symbolic' not in tray_property('IconName'))
    result(idle, 'once it is cancelled the tray item no longer says so (%s)' % tray_property('Title'))


def dnd_off_in_preferences(config_home, work, sip_port):
    app_action('preferences')
    prefs = wait_for(lambda: window_named('Preferences'), START_TIMEOUT)
    # GTK 4.8 gives a GtkSwitch the AT-SPI role "check box"
    switch = prefs and wait_for(lambda: find(prefs, 'check box', match=lambda a: a.name.startswith('Do not disturb')))
    if not result(switch is not None, 'Preferences has a "Do not disturb" switch'):
        for acc in walk(prefs):
            try:
                diag('%s %r' % (acc.getRoleName(), acc.name))
            except Exception:
                pass
        return
    result(switch.getState().contains(pyatspi.STATE_CHECKED) or switch.getState().contains(pyatspi.STATE_PRESSED),
           'the switch is on, as set from the tray')
    shot('tray-dnd-preferences.png', 'Preferences with do not disturb on', 'Preferences')
    click(switch)
    off = wait_for(lambda: keyfile_dnd(config_home) == 'false')
    result(off, 'turning the switch off in Preferences saves do-not-disturb = false')
    result(wait_for(lambda: toggle_state() == 0), 'the tray item\'s checkmark follows (unchecked)')
    close = find(prefs, 'push button', 'Close')
    if close is not None:
        click(close)
    frame = window_named('Jarchi')
    result(wait_for(lambda: not indicator_on(frame)), 'the main window\'s indicator goes away')

    before = len(call_notifications(work))
    lab('lab_baresip_cmd "$LAB/alice" "/dial sip:jarchi@127.0.0.1:%d"' % sip_port)
    notified = wait_for(lambda: len(call_notifications(work)) > before, CALL_TIMEOUT)
    result(notified, 'with do not disturb off, the next call from baresip gets its notification')
    ringing = wait_for(lambda: 'incoming call' in tray_property('Title'))
    result(ringing, 'and the tray item rings (%s)' % tray_property('Title'))
    lab('lab_baresip_cmd "$LAB/alice" "/hangup"')


def main():
    global lab_dir
    signal.signal(signal.SIGALRM, lambda signum, frame: bail_out('no end within %d s' % DEADLINE))
    signal.alarm(DEADLINE)
    pyatspi.setTimeout(5000, 15000)
    started = time.monotonic()
    binary = os.environ.get('JARCHI_BINARY')
    if not binary or not os.access(binary, os.X_OK):
        bail_out('JARCHI_BINARY (%r) is not an executable' % binary)
    if 'DISPLAY' not in os.environ:
        bail_out('no DISPLAY: run this under tests/run-gui-test.sh')
    for tool in ('status-notifier-watcher', 'baresip', 'kamailio'):
        if subprocess.run(['sh', '-c', 'command -v %s' % tool], stdout=subprocess.DEVNULL).returncode != 0:
            print('1..0 # SKIP %s is not installed' % tool, flush=True)
            return 0
    load_x11()
    work = tempfile.mkdtemp(prefix='jarchi-tray-')
    data_dir = os.path.join(work, 'data')
    config_home = os.path.join(work, 'config')
    os.makedirs(os.path.join(config_home, 'glib-2.0', 'settings'))
    api.token = subprocess.run([binary, '--print-token', '--data-dir', data_dir], stdout=subprocess.PIPE,
                               timeout=20, check=True).stdout.decode().strip()

    lab_dir = os.path.join(work, 'lab')
    os.makedirs(lab_dir)
    status, kam_port = lab('p=$(lab_free_port) && lab_kamailio_start "$LAB/kam" "$p" >&2 && echo "$p"')
    if status != 0:
        bail_out('the lab Kamailio did not start')
    kam_port = int(kam_port.split()[-1])
    status, _ = lab('lab_baresip_start "$LAB/alice" 0 --user lab')
    if status != 0:
        bail_out('the lab baresip did not start')
    baresip_port = int(open(os.path.join(lab_dir, 'alice', 'port')).read().split()[0])
    _, sip_port = lab('lab_free_port')
    sip_port = int(sip_port.split()[-1])
    result(True, 'lab: Kamailio on 127.0.0.1:%d, baresip on 127.0.0.1:%d' % (kam_port, baresip_port))

    watcher = subprocess.Popen(['status-notifier-watcher'], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    helpers.append(watcher)
    notifier = subprocess.Popen(['/usr/bin/python3', os.path.join(HERE, 'notification-server.py'),
                                 os.path.join(work, 'notifications.log')],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    helpers.append(notifier)
    notifier.stdout.readline()  # "ready"
    wait_for(lambda: gdbus('--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus',
                           '--method', 'org.freedesktop.DBus.NameHasOwner',
                           'org.kde.StatusNotifierWatcher')[1] == '(true,)')

    frame = start_app(binary, data_dir, sip_port,
                      {'GSETTINGS_BACKEND': 'keyfile', 'XDG_CONFIG_HOME': config_home,
                       'JARCHI_AUDIOSINK': 'fakesink sync=false',
                       'JARCHI_AUDIOSRC': 'audiotestsrc is-live=true freq=440 volume=0.3'})
    dnd_on_from_tray(config_home, frame)
    refused_call(work, sip_port)
    outgoing_call(baresip_port)
    campaign_running(kam_port)
    dnd_off_in_preferences(config_home, work, sip_port)

    app_action('quit')
    try:
        status = app_proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        status = None
    result(status == 0, 'app.quit ends Jarchi with status 0 (%s)' % status)
    if failures:
        show_app_log()
    cleanup()
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
