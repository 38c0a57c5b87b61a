#!/usr/bin/python3
# Jarchi: drives the real main window through AT-SPI (TAP): view switcher pages, narrow layout, quit.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run it under tests/run-gui-test.sh (Xvfb + private session bus) with Debian's /usr/bin/python3,
# the only Python that can import pyatspi here:
#
#   JARCHI_BINARY=build/src/jarchi tests/run-gui-test.sh /usr/bin/python3 tests/test-window.py
#
# Everything is found and driven through the accessibility tree, as a screen reader would:
# the switcher buttons are `page tab` objects named after the page (action `click`), a status
# page title is a `label` whose name is its text. GTK 4.8 reports every widget as `visible`
# and only windows as `showing`, and keeps stale extents for hidden stack pages, so "this page
# is shown" is checked by hit-testing: Component.GetAccessibleAtPoint (gtk_widget_pick, which
# only finds mapped widgets) at the centre of the title label must return that label.
# Screenshots go to $JARCHI_TEST_OUTPUT (default: <build dir>/test-output).
# The narrow (360 px) check resizes the X11 window with gui_helpers' libX11 wrapper, like a
# user dragging its edge. The helpers shared with the other GUI tests are in gui_helpers.py.

import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gui_helpers as gh  # noqa: E402  (after the path it is found on)
from gui_helpers import (SETTLE, bail_out, click, diag, dump_tree, find, is_on_screen, pyatspi,  # noqa: E402
                         result, run, states, wait_for, walk)

PAGES = [  # (switcher button label, status page title, screenshot name)
    ('Phone', 'No Calls Yet', 'phone'),
    ('History', 'No Call History', 'history'),
    ('Contacts', 'No Contacts', 'contacts'),
    ('Broadcasts', 'No Broadcasts', 'broadcasts'),
]
PAGE_TIMEOUT = 5.0
DEADLINE = int(os.environ.get('JARCHI_TEST_DEADLINE', '90'))
START_TIMEOUT = max(15.0, DEADLINE / 3)  # a sanitizer build on a busy machine starts slowly
QUIT_TIMEOUT = max(5.0, DEADLINE / 10)  # and checks for leaks as it exits
NARROW_WIDTH = 360
gh.configure(timeout=PAGE_TIMEOUT, quit_timeout=QUIT_TIMEOUT)


def extents(acc):
    try:
        e = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return (e.x, e.y, e.width, e.height)
    except Exception:
        return None


def action_names(acc):
    try:
        action = acc.queryAction()
        return [action.getName(i) for i in range(action.nActions)]
    except Exception:
        return []


def collect(frame):
    """All view switchers (name -> page tab) and status page title labels (title -> label)."""
    switchers = []
    titles = {}
    wanted_titles = {title for _, title, _ in PAGES}
    for acc in walk(frame):
        role = acc.getRoleName()
        if role == 'page tab list':
            tabs = {}
            for child in acc:
                if child is not None and child.getRoleName() == 'page tab':
                    tabs[child.name] = child
            switchers.append((acc, tabs))
        elif role == 'label' and acc.name in wanted_titles and acc.name not in titles:
            titles[acc.name] = acc
    return switchers, titles


def visible_switcher(switchers, frame):
    for tab_list, tabs in switchers:
        if all(name in tabs for name, _, _ in PAGES) and is_on_screen(tab_list, frame):
            return tab_list, tabs
    return None


def page_shown(frame, tab, label):
    return ('selected' in states(tab) or 'checked' in states(tab)
            or 'pressed' in states(tab)) and is_on_screen(label, frame)


def page_shot(name, what):
    time.sleep(SETTLE)  # let the switcher buttons' CSS transitions finish
    ok = gh.screenshot(name)
    result(ok, '%s: %s' % (what, name if ok else 'failed'))


def main():
    binary, started = gh.begin(DEADLINE)
    gh.remove_outputs(prefix + shot + '.png' for _, _, shot in PAGES for prefix in ('window-', 'window-narrow-'))
    work = tempfile.mkdtemp(prefix='jarchi-window-')
    data_dir = os.path.join(work, 'data')

    # 1. the application and its window appear on the AT-SPI desktop
    frame = gh.start_app(binary, ['--data-dir', data_dir, '--dashboard-port', '0'], 'window-app.log',
                         timeout=START_TIMEOUT)
    if not frame:
        result(False, 'application appears on the AT-SPI desktop within %g s' % START_TIMEOUT)
        if run.app_proc.poll() is None:
            dump_tree(pyatspi.Registry.getDesktop(0), 'desktop', indent=True)
        bail_out('no application to test')
    result(True, 'application %r with window %r appears on the AT-SPI desktop (%.1f s)'
           % (frame.parent.name if frame.parent else None, frame.name, time.monotonic() - started))

    # 2. the view switcher: four page tabs with a click action in the switcher on screen
    # (walking the whole tree also realizes every accessible, which hit-testing needs)
    def switcher_ready():
        switchers, titles = collect(frame)
        visible = visible_switcher(switchers, frame)
        if visible and len(titles) == len(PAGES):
            return switchers, titles, visible
        return None
    ready = wait_for(switcher_ready, START_TIMEOUT, interval=0.25)
    if not ready:
        result(False, 'view switcher with Phone, History, Contacts, Broadcasts is on screen')
        dump_tree(frame, 'main window', indent=True)
        bail_out('no view switcher to drive')
    switchers, titles, (tab_list, tabs) = ready
    missing = [name for name, _, _ in PAGES if 'click' not in action_names(tabs[name])]
    if not result(not missing, 'view switcher shows %s as page tabs with a click action'
                  % ', '.join(name for name, _, _ in PAGES)):
        diag('no click action on: %s' % ', '.join(missing))
        dump_tree(tab_list, 'view switcher', indent=True)
        bail_out('cannot activate the switcher')
    diag('window ready after %.1f s; %d view switchers in the tree'
         % (time.monotonic() - started, len(switchers)))
    x11_problem = None
    if gh.load_x11():
        windows = run.x11.windows_of(run.app_proc.pid, frame.name)
        if len(windows) == 1:
            run.x11_window = windows[0]
            diag('X11 window 0x%x at %s' % (run.x11_window, run.x11.geometry(run.x11_window)))
        else:
            x11_problem = 'found %d X11 windows named %r with _NET_WM_PID %d' % (
                len(windows), frame.name, run.app_proc.pid)
    else:
        x11_problem = 'cannot use libX11'
    if x11_problem:
        diag(x11_problem + '; screenshots show the whole screen and the narrow check is skipped')

    # 3. the first page is shown at start
    phone_tab, phone_title = tabs['Phone'], titles['No Calls Yet']
    if not result(bool(wait_for(lambda: page_shown(frame, phone_tab, phone_title))),
                  'Phone page ("No Calls Yet") is shown at start'):
        dump_tree(frame, 'main window at start', indent=True)

    # 4-11. activate each page through its switcher button, check and screenshot it;
    # Phone comes last so that every click changes the page
    order = PAGES[1:] + PAGES[:1]
    for name, title, shot in order:
        tab, label = tabs[name], titles[title]
        t0 = time.monotonic()
        try:
            click(tab)
            shown = wait_for(lambda: page_shown(frame, tab, label))
        except Exception as e:
            diag('clicking %s: %s' % (name, e))
            shown = False
        if result(bool(shown), 'clicking %r shows the %s page (title %r)' % (name, name, title)):
            diag('%s shown after %.2f s' % (name, time.monotonic() - t0))
            others = [t for _, t, _ in PAGES if t != title and is_on_screen(titles[t], frame)]
            if others:
                diag('also on screen: %s' % others)
        else:
            dump_tree(frame, 'after clicking %s' % name, indent=True)
        page_shot('window-%s.png' % shot, 'screenshot of the %s page' % name)

    # 12-14. narrow window: the header switcher gives way to the bottom switcher bar
    if x11_problem:
        for description in ('narrow window shows the bottom switcher bar',
                            'bottom switcher bar switches pages',
                            'screenshot of the narrow window'):
            result(True, description, skip=x11_problem)
    else:
        narrow(frame, tab_list, titles)

    # 15. the app is still alive after all this
    result(run.app_proc.poll() is None, 'application is still running before quitting')

    # 16. quit through the exported app.quit action; it must exit 0 within QUIT_TIMEOUT
    # 17. without background running, closing the window destroys it and ends Jarchi: with the
    # suite's fatal warnings and criticals, any libadwaita/GTK complaint on the way kills it
    def closing():
        closed_status = close_destroys_window(binary, work)
        if not result(closed_status == 0, 'with background running off, closing the window ends '
                      'Jarchi with status 0 and no warning or critical (%s)' % closed_status):
            gh.show_app_log()
    return gh.finish(started, 'app.quit ends the application with status 0 within %g s' % QUIT_TIMEOUT,
                     closing)


def narrow(frame, tab_list, titles):
    """Checks 12-14 at NARROW_WIDTH px."""
    x11, window = run.x11, run.x11_window
    before = x11.geometry(window)
    x11.resize(window, NARROW_WIDTH, before[3] if before else 680)

    def bar_ready():
        switchers, _ = collect(frame)
        visible = visible_switcher(switchers, frame)
        ext = extents(frame)
        if visible and visible[0] != tab_list and ext and ext[2] < NARROW_WIDTH + 100:
            return visible
        return None
    bar = wait_for(bar_ready, interval=0.25)
    header_hidden = bar and not is_on_screen(tab_list, frame)
    if bar:
        bar_ext = extents(bar[0])
        frame_ext = extents(frame)
        at_bottom = bar_ext[1] + bar_ext[3] >= frame_ext[1] + frame_ext[3] - 80
    else:
        at_bottom = False
    if result(bool(bar and header_hidden and at_bottom),
              'at %d px the header switcher hides and a switcher bar shows at the bottom' % NARROW_WIDTH):
        diag('narrow: X11 window %s, bar at %s' % (x11.geometry(window), extents(bar[0])))
    else:
        diag('X11 window %s, frame %s, bar %s, header switcher on screen: %s' % (
            x11.geometry(window), extents(frame), bar and extents(bar[0]), is_on_screen(tab_list, frame)))
        dump_tree(frame, 'narrow window', indent=True)
    if not bar:
        result(False, 'bottom switcher bar switches pages (no bar)')
        result(False, 'screenshot of the narrow window (no bar)')
        return
    tab, label = bar[1]['Contacts'], titles['No Contacts']
    try:
        click(tab)
        shown = wait_for(lambda: page_shown(frame, tab, label))
    except Exception as e:
        diag('clicking Contacts in the bar: %s' % e)
        shown = False
    result(bool(shown), 'clicking "Contacts" in the bottom bar shows the Contacts page')
    page_shot('window-narrow-contacts.png', 'screenshot of the narrow window')


def close_destroys_window(binary, work):
    """Starts Jarchi again with run-in-background and the tray icon off (a key file), clicks the
    window's Close button and returns its exit status (None if it did not end)."""
    config_home = os.path.join(work, 'config')
    os.makedirs(os.path.join(config_home, 'glib-2.0', 'settings'), exist_ok=True)
    with open(os.path.join(config_home, 'glib-2.0', 'settings', 'keyfile'), 'w') as f:
        f.write('[io/github/jarchi/Jarchi]\nrun-in-background=false\nshow-tray-icon=false\n')
    env = dict(GSETTINGS_BACKEND='keyfile', XDG_CONFIG_HOME=config_home,
               G_DEBUG=','.join(filter(None, [gh.APP_G_DEBUG, 'fatal-criticals'])))
    frame = gh.start_app(binary, ['--data-dir', os.path.join(work, 'data'), '--dashboard-port', '0'],
                         'window-app-close.log', env, START_TIMEOUT)
    close = frame and wait_for(lambda: find(frame, 'push button', 'Close'))
    if not close:
        diag('no window or no Close button in the second run')
        return None
    time.sleep(SETTLE)
    click(close)
    try:
        return run.app_proc.wait(timeout=max(QUIT_TIMEOUT, 10))
    except Exception:
        return None


if __name__ == '__main__':
    gh.run_main(main)
