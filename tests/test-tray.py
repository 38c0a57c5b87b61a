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

import json
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gui_helpers as gh  # noqa: E402  (after the path it is found on)
from gui_helpers import (app_action, bail_out, call_notifications, click, diag, find, gdbus, lab,  # noqa: E402
                         pyatspi, result, run, tray_item, tray_property, wait_for, walk, window_named,
                         window_shot as shot)

DEADLINE = int(os.environ.get('JARCHI_TEST_DEADLINE', '230'))
START_TIMEOUT = 60.0
CALL_TIMEOUT = 20.0
MENU_DND = 5  # the dbusmenu id of Do Not Disturb (ids are stable: see jarchi-tray.c)
NOBODY = '5550001'  # a campaign target nobody is registered as

gh.configure(timeout=10.0, quit_timeout=15.0)


def baresip_log():
    try:
        with open(os.path.join(run.lab_dir, 'alice', 'baresip.log'), errors='replace') as f:
            return f.read()
    except OSError:
        return ''


class Api(gh.Api):
    def __call__(self, method, path, body=None):
        """(status, parsed JSON) for a path below /api."""
        return self.call(method, 'api' + path, body)


api = Api()


# --- D-Bus: the tray item and its menu ---

def dnd_menu_item():
    """The Do Not Disturb item of GetLayout's text: its properties as text, or ''."""
    status, layout = gdbus('--dest', tray_item(), '--object-path', '/StatusNotifierItem/Menu',
                           '--method', 'com.canonical.dbusmenu.GetLayout', '0', '--', '-1', '@as []')
    if status != 0:
        return ''
    match = re.search(r"\(%d, \{[^}]*'label': <'_Do Not Disturb'>[^}]*\}" % MENU_DND, layout)
    return match.group(0) if match else ''


def toggle_state():
    found = re.search(r"'toggle-state': <(\d+)>", dnd_menu_item())
    return int(found.group(1)) if found else None


def menu_click(item_id):
    return gdbus('--dest', tray_item(), '--object-path', '/StatusNotifierItem/Menu', '--method',
                 'com.canonical.dbusmenu.Event', str(item_id), 'clicked', '<0>', '0')


def action_state():
    status, value = gdbus('--dest', gh.APP_ID, '--object-path', gh.APP_PATH, '--method',
                          'org.gtk.Actions.Describe', 'do-not-disturb')
    return value if status == 0 else ''


def keyfile_dnd(config_home):
    try:
        with open(os.path.join(config_home, 'glib-2.0', 'settings', 'keyfile')) as f:
            text = f.read()
    except OSError:
        return None
    found = re.search(r'^do-not-disturb=(\w+)', text, re.M)
    return found.group(1) if found else None


# --- AT-SPI ---

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


def dnd_indicator(frame):
    return find(frame, name='Do Not Disturb', description='Do not disturb indicator')


# --- the parts ---

def start_app(binary, data_dir, sip_port, env):
    frame = gh.start_app(binary, ['--data-dir', data_dir, '--dashboard-port', '0', '--sip-port', str(sip_port)],
                         'tray-app.log', env, START_TIMEOUT)
    connected = api.connect(binary, data_dir)
    if frame is None or not connected:
        bail_out('the app did not start (window %s, dashboard %s)' % (frame, api.base))
    return frame


def dnd_on_from_tray(config_home, frame):
    gh.check_tray_registered(20)
    item = dnd_menu_item()
    if not result("'toggle-type': <'checkmark'>" in item and toggle_state() == 0,
                  'the tray menu has "Do Not Disturb" as an unchecked checkmark item'):
        diag('GetLayout: %s' % gdbus('--dest', tray_item(), '--object-path', '/StatusNotifierItem/Menu',
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
    binary, started = gh.begin(DEADLINE)
    tool = gh.missing_tool('status-notifier-watcher', 'baresip', 'kamailio')
    if tool:
        print('1..0 # SKIP %s is not installed' % tool, flush=True)
        return 0
    gh.load_x11()
    work = tempfile.mkdtemp(prefix='jarchi-tray-')
    data_dir = os.path.join(work, 'data')
    config_home = os.path.join(work, 'config')
    os.makedirs(os.path.join(config_home, 'glib-2.0', 'settings'))

    kam_port = gh.start_lab_kamailio(work)
    status, _ = lab('lab_baresip_start "$LAB/alice" 0 --user lab')
    if status != 0:
        bail_out('the lab baresip did not start')
    baresip_port = int(open(os.path.join(run.lab_dir, 'alice', 'port')).read().split()[0])
    _, sip_port = lab('lab_free_port')
    sip_port = int(sip_port.split()[-1])
    result(True, 'lab: Kamailio on 127.0.0.1:%d, baresip on 127.0.0.1:%d' % (kam_port, baresip_port))

    gh.start_tray_helpers(work)

    frame = start_app(binary, data_dir, sip_port,
                      {'GSETTINGS_BACKEND': 'keyfile', 'XDG_CONFIG_HOME': config_home,
                       'JARCHI_AUDIOSINK': 'fakesink sync=false',
                       'JARCHI_AUDIOSRC': 'audiotestsrc is-live=true freq=440 volume=0.3'})
    dnd_on_from_tray(config_home, frame)
    refused_call(work, sip_port)
    outgoing_call(baresip_port)
    campaign_running(kam_port)
    dnd_off_in_preferences(config_home, work, sip_port)
    return gh.finish(started, 'app.quit ends Jarchi with status 0 (%s)')


if __name__ == '__main__':
    gh.run_main(main)
