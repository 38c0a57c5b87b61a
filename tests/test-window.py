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
# The narrow (360 px) check resizes the X11 window with libX11 through ctypes, like a user
# dragging its edge; there is no window manager under Xvfb, so the request is applied as is.

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import tempfile
import time

APP_ID = 'io.github.jarchi.Jarchi'
APP_PATH = '/io/github/jarchi/Jarchi'
PAGES = [  # (switcher button label, status page title, screenshot name)
    ('Phone', 'No Calls Yet', 'phone'),
    ('History', 'No Call History', 'history'),
    ('Contacts', 'No Contacts', 'contacts'),
    ('Broadcasts', 'No Broadcasts', 'broadcasts'),
]
PAGE_TIMEOUT = 5.0
QUIT_TIMEOUT = 5.0  # raised below for slow builds
SETTLE = 0.4               # > the 250 ms in which clicks merge; also lets CSS transitions end
DEADLINE = int(os.environ.get('JARCHI_TEST_DEADLINE', '90'))
START_TIMEOUT = max(15.0, DEADLINE / 3)  # a sanitizer build on a busy machine starts slowly
QUIT_TIMEOUT = max(QUIT_TIMEOUT, DEADLINE / 10)  # and checks for leaks as it exits
NARROW_WIDTH = 360

PLAN = 17
test_number = 0
failures = 0
app_proc = None
app_log_path = None
x11 = None          # X11 connection, when libX11 can be loaded
x11_window = None   # the app's top-level X11 window
x11_problem = None  # why there is no x11_window


def diag(text):
    for line in str(text).splitlines() or ['']:
        print('# ' + line, file=sys.stderr, flush=True)


def result(ok, description, skip=None):
    global test_number, failures
    test_number += 1
    line = '%s %d - %s' % ('ok' if ok else 'not ok', test_number, description)
    if skip is not None:
        line += ' # SKIP ' + skip
    elif not ok:
        failures += 1
    print(line, flush=True)
    return ok


def kill_app():
    if app_proc is not None and app_proc.poll() is None:
        app_proc.kill()
        try:
            app_proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


def show_app_log():
    if app_log_path and os.path.exists(app_log_path):
        with open(app_log_path, errors='replace') as f:
            text = f.read()
        diag('--- application output ---')
        diag(text[-6000:])


def bail_out(reason):
    print('Bail out! ' + reason, flush=True)
    show_app_log()
    kill_app()
    sys.exit(1)


def on_deadline(signum, frame):
    bail_out('the test did not finish within %d s' % DEADLINE)


def wait_for(predicate, timeout, interval=0.1):
    """Polls predicate until it returns a true value or timeout expires; returns the last value."""
    end = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except Exception as e:  # the tree changes under our feet; try again
            value = None
            last_error = e
        if value:
            return value
        if time.monotonic() >= end:
            return value
        time.sleep(interval)


def output_dir():
    out = os.environ.get('JARCHI_TEST_OUTPUT')
    if not out:
        binary = os.path.realpath(os.environ['JARCHI_BINARY'])
        out = os.path.join(os.path.dirname(os.path.dirname(binary)), 'test-output')
    os.makedirs(out, exist_ok=True)
    return out


# --- AT-SPI helpers ---

def walk(acc, depth=0):
    yield acc, depth
    try:
        children = list(acc)
    except Exception:
        children = []
    for child in children:
        if child is not None:
            yield from walk(child, depth + 1)


def states(acc):
    try:
        return [pyatspi.stateToString(s) for s in acc.getState().getStates()]
    except Exception:
        return []


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


def dump_tree(root, title):
    diag('--- accessibility tree: %s ---' % title)
    for acc, depth in walk(root):
        try:
            diag('%s%s %r desc=%r states=%s extents=%s actions=%s' % (
                '  ' * depth, acc.getRoleName(), acc.name, acc.description,
                ','.join(states(acc)), extents(acc), ','.join(action_names(acc))))
        except Exception as e:
            diag('%s<error %s>' % ('  ' * depth, e))


def ancestors(acc, stop):
    chain = []
    while acc is not None and len(chain) < 64:
        chain.append(acc)
        if acc == stop:
            break
        acc = acc.parent
    return chain


def is_on_screen(acc, frame):
    """True if the centre of acc hit-tests (through its window) to acc or a descendant of it."""
    ext = extents(acc)
    if ext is None or ext[2] <= 0 or ext[3] <= 0:
        return False
    x, y = ext[0] + ext[2] // 2, ext[1] + ext[3] // 2
    hit = frame.queryComponent().getAccessibleAtPoint(x, y, pyatspi.WINDOW_COORDS)
    return hit is not None and acc in ancestors(hit, frame)


def find_application(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is None:
            continue
        try:
            if app.get_process_id() != pid:
                continue
        except Exception:
            if app.name != 'jarchi':
                continue
        for child in app:
            if child is not None and child.getRoleName() == 'frame' and child.name == 'Jarchi':
                return app, child
    return None


def collect(frame):
    """All view switchers (name -> page tab) and status page title labels (title -> label)."""
    switchers = []
    titles = {}
    wanted_titles = {title for _, title, _ in PAGES}
    for acc, _ in walk(frame):
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


def click(acc):
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ('click', 'activate', 'press'):
            return action.doAction(i)
    raise RuntimeError('%s %r has no click action (%s)' % (acc.getRoleName(), acc.name,
                                                           action_names(acc)))


def page_shown(frame, tab, label):
    return ('selected' in states(tab) or 'checked' in states(tab)
            or 'pressed' in states(tab)) and is_on_screen(label, frame)


# --- screenshots ---

def screenshot(name):
    """Captures the root window with import, cropped to the app's X11 window when it is known."""
    path = os.path.join(output_dir(), name)
    cmd = ['/usr/bin/import', '-window', 'root']
    geometry = x11.geometry(x11_window) if x11_window else None
    if geometry and geometry[2] > 0 and geometry[3] > 0:
        x, y, width, height = geometry
        cmd += ['-crop', '%dx%d+%d+%d' % (width, height, max(x, 0), max(y, 0)), '+repage']
    cmd.append(path)
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=15)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, '%s: %s' % (' '.join(cmd), e)
    if proc.returncode != 0 or not os.path.exists(path) or os.path.getsize(path) < 1000:
        return False, '%s failed (%d): %s' % (' '.join(cmd), proc.returncode,
                                              proc.stdout.decode(errors='replace'))
    return True, path


# --- X11 resize through libX11 (optional) ---

class X11:
    def __init__(self):
        name = ctypes.util.find_library('X11')
        if not name:
            raise OSError('libX11 not found')
        x = ctypes.CDLL(name)
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XInternAtom.restype = ctypes.c_ulong
        x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        x.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
                                 ctypes.POINTER(ctypes.c_ulong),
                                 ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)),
                                 ctypes.POINTER(ctypes.c_uint)]
        x.XGetWindowProperty.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long,
            ctypes.c_int, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_void_p)]
        x.XFree.argtypes = [ctypes.c_void_p]
        x.XFetchName.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_char_p)]
        x.XResizeWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_uint,
                                    ctypes.c_uint]
        x.XFlush.argtypes = [ctypes.c_void_p]
        x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        x.XGetGeometry.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong)]
        x.XGetGeometry.argtypes += [ctypes.POINTER(ctypes.c_int)] * 2
        x.XGetGeometry.argtypes += [ctypes.POINTER(ctypes.c_uint)] * 4
        x.XTranslateCoordinates.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong,
                                            ctypes.c_int, ctypes.c_int,
                                            ctypes.POINTER(ctypes.c_int),
                                            ctypes.POINTER(ctypes.c_int),
                                            ctypes.POINTER(ctypes.c_ulong)]
        self.x = x
        self.dpy = x.XOpenDisplay(None)
        if not self.dpy:
            raise OSError('cannot open the X display %r' % os.environ.get('DISPLAY'))

    def close(self):
        if self.dpy:
            self.x.XCloseDisplay(self.dpy)
            self.dpy = None

    def _cardinal(self, window, atom_name):
        atom = self.x.XInternAtom(self.dpy, atom_name, 1)
        if not atom:
            return None
        actual_type = ctypes.c_ulong()
        actual_format = ctypes.c_int()
        n_items = ctypes.c_ulong()
        remaining = ctypes.c_ulong()
        data = ctypes.c_void_p()
        status = self.x.XGetWindowProperty(self.dpy, window, atom, 0, 1, 0, 6,  # XA_CARDINAL
                                           ctypes.byref(actual_type),
                                           ctypes.byref(actual_format), ctypes.byref(n_items),
                                           ctypes.byref(remaining), ctypes.byref(data))
        try:
            if status != 0 or not data.value or n_items.value < 1 or actual_format.value != 32:
                return None
            return ctypes.cast(data, ctypes.POINTER(ctypes.c_ulong))[0]
        finally:
            if data.value:
                self.x.XFree(data)

    def _name(self, window):
        name = ctypes.c_char_p()
        if not self.x.XFetchName(self.dpy, window, ctypes.byref(name)) or not name.value:
            return None
        value = name.value.decode(errors='replace')
        self.x.XFree(name)
        return value

    def windows_of(self, pid, title):
        """Top-level windows of process pid named title (GDK's unnamed leader window is left out)."""
        root = self.x.XDefaultRootWindow(self.dpy)
        root_ret = ctypes.c_ulong()
        parent_ret = ctypes.c_ulong()
        children = ctypes.POINTER(ctypes.c_ulong)()
        n = ctypes.c_uint()
        if not self.x.XQueryTree(self.dpy, root, ctypes.byref(root_ret), ctypes.byref(parent_ret),
                                 ctypes.byref(children), ctypes.byref(n)):
            return []
        found = [children[i] for i in range(n.value)
                 if self._cardinal(children[i], b'_NET_WM_PID') == pid
                 and self._name(children[i]) == title]
        if children:
            self.x.XFree(children)
        return found

    def geometry(self, window):
        """(x, y, width, height) of window on the root window, or None."""
        root = ctypes.c_ulong()
        x, y = ctypes.c_int(), ctypes.c_int()
        w, h, border, depth = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
        if not self.x.XGetGeometry(self.dpy, window, ctypes.byref(root), ctypes.byref(x),
                                   ctypes.byref(y), ctypes.byref(w), ctypes.byref(h),
                                   ctypes.byref(border), ctypes.byref(depth)):
            return None
        child = ctypes.c_ulong()
        if not self.x.XTranslateCoordinates(self.dpy, window, root.value, 0, 0, ctypes.byref(x),
                                            ctypes.byref(y), ctypes.byref(child)):
            return None
        return (x.value, y.value, w.value, h.value)

    def resize(self, window, width, height):
        self.x.XResizeWindow(self.dpy, window, width, height)
        self.x.XSync(self.dpy, 0)


def main():
    global app_proc, app_log_path, x11, x11_window, x11_problem

    signal.signal(signal.SIGALRM, on_deadline)
    signal.alarm(DEADLINE)
    pyatspi.setTimeout(5000, 15000)  # ms per call; a hung app must not block for 25 s per call
    print('1..%d' % PLAN, flush=True)

    binary = os.environ.get('JARCHI_BINARY')
    if not binary or not os.access(binary, os.X_OK):
        bail_out('JARCHI_BINARY (%r) is not an executable' % binary)
    if 'DISPLAY' not in os.environ:
        bail_out('no DISPLAY: run this under tests/run-gui-test.sh')

    out = output_dir()
    for _, _, shot in PAGES:
        for prefix in ('window-', 'window-narrow-'):
            try:
                os.unlink(os.path.join(out, prefix + shot + '.png'))
            except FileNotFoundError:
                pass
    work = tempfile.mkdtemp(prefix='jarchi-window-')
    data_dir = os.path.join(work, 'data')
    app_log_path = os.path.join(out, 'window-app.log')
    started = time.monotonic()
    with open(app_log_path, 'w') as log:
        app_env = dict(os.environ)
        if APP_G_DEBUG is not None:
            app_env['G_DEBUG'] = APP_G_DEBUG
        app_proc = subprocess.Popen([binary, '--data-dir', data_dir, '--dashboard-port', '0'],
                                    stdin=subprocess.DEVNULL, stdout=log,
                                    stderr=subprocess.STDOUT, env=app_env)

    # 1. the application and its window appear on the AT-SPI desktop
    def app_ready():
        if app_proc.poll() is not None:
            return 'exited'
        return find_application(app_proc.pid)
    found = wait_for(app_ready, START_TIMEOUT, interval=0.25)
    if found == 'exited' or not found:
        result(False, 'application appears on the AT-SPI desktop within %g s' % START_TIMEOUT)
        if found == 'exited':
            diag('jarchi exited with status %s' % app_proc.returncode)
        else:
            dump_tree(pyatspi.Registry.getDesktop(0), 'desktop')
        bail_out('no application to test')
    app, frame = found
    result(True, 'application %r with window %r appears on the AT-SPI desktop (%.1f s)'
           % (app.name, frame.name, time.monotonic() - started))

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
        dump_tree(frame, 'main window')
        bail_out('no view switcher to drive')
    switchers, titles, (tab_list, tabs) = ready
    missing = [name for name, _, _ in PAGES if 'click' not in action_names(tabs[name])]
    if not result(not missing, 'view switcher shows %s as page tabs with a click action'
                  % ', '.join(name for name, _, _ in PAGES)):
        diag('no click action on: %s' % ', '.join(missing))
        dump_tree(tab_list, 'view switcher')
        bail_out('cannot activate the switcher')
    diag('window ready after %.1f s; %d view switchers in the tree'
         % (time.monotonic() - started, len(switchers)))
    try:
        x11 = X11()
        windows = x11.windows_of(app_proc.pid, frame.name)
        if len(windows) == 1:
            x11_window = windows[0]
            diag('X11 window 0x%x at %s' % (x11_window, x11.geometry(x11_window)))
        else:
            x11_problem = 'found %d X11 windows named %r with _NET_WM_PID %d' % (
                len(windows), frame.name, app_proc.pid)
    except OSError as e:
        x11_problem = 'cannot use libX11: %s' % e
    if x11_problem:
        diag(x11_problem + '; screenshots show the whole screen and the narrow check is skipped')

    # 3. the first page is shown at start
    phone_tab, phone_title = tabs['Phone'], titles['No Calls Yet']
    if not result(bool(wait_for(lambda: page_shown(frame, phone_tab, phone_title), PAGE_TIMEOUT)),
                  'Phone page ("No Calls Yet") is shown at start'):
        dump_tree(frame, 'main window at start')

    # 4-11. activate each page through its switcher button, check and screenshot it;
    # Phone comes last so that every click changes the page
    order = PAGES[1:] + PAGES[:1]
    for name, title, shot in order:
        tab, label = tabs[name], titles[title]
        t0 = time.monotonic()
        try:
            click(tab)
            shown = wait_for(lambda: page_shown(frame, tab, label), PAGE_TIMEOUT)
        except Exception as e:
            diag('clicking %s: %s' % (name, e))
            shown = False
        if result(bool(shown), 'clicking %r shows the %s page (title %r)' % (name, name, title)):
            diag('%s shown after %.2f s' % (name, time.monotonic() - t0))
            others = [t for _, t, _ in PAGES if t != title and is_on_screen(titles[t], frame)]
            if others:
                diag('also on screen: %s' % others)
        else:
            dump_tree(frame, 'after clicking %s' % name)
        time.sleep(SETTLE)  # let the switcher buttons' CSS transitions finish
        ok, info = screenshot('window-%s.png' % shot)
        result(ok, 'screenshot of the %s page: %s' % (name, os.path.basename(info) if ok else 'failed'))
        if not ok:
            diag(info)

    # 12-14. narrow window: the header switcher gives way to the bottom switcher bar
    skip = x11_problem
    if skip:
        for description in ('narrow window shows the bottom switcher bar',
                            'bottom switcher bar switches pages',
                            'screenshot of the narrow window'):
            result(True, description, skip=skip)
    else:
        before = x11.geometry(x11_window)
        x11.resize(x11_window, NARROW_WIDTH, before[3] if before else 680)

        def bar_ready():
            switchers, _ = collect(frame)
            visible = visible_switcher(switchers, frame)
            ext = extents(frame)
            if visible and visible[0] != tab_list and ext and ext[2] < NARROW_WIDTH + 100:
                return visible
            return None
        bar = wait_for(bar_ready, PAGE_TIMEOUT, interval=0.25)
        header_hidden = bar and not is_on_screen(tab_list, frame)
        if bar:
            bar_ext = extents(bar[0])
            frame_ext = extents(frame)
            at_bottom = bar_ext[1] + bar_ext[3] >= frame_ext[1] + frame_ext[3] - 80
        else:
            at_bottom = False
        if result(bool(bar and header_hidden and at_bottom),
                  'at %d px the header switcher hides and a switcher bar shows at the bottom'
                  % NARROW_WIDTH):
            diag('narrow: X11 window %s, bar at %s' % (x11.geometry(x11_window),
                                                      extents(bar[0])))
        else:
            diag('X11 window %s, frame %s, bar %s, header switcher on screen: %s' % (
                x11.geometry(x11_window), extents(frame), bar and extents(bar[0]),
                is_on_screen(tab_list, frame)))
            dump_tree(frame, 'narrow window')
        if bar:
            bar_tabs = bar[1]
            tab, label = bar_tabs['Contacts'], titles['No Contacts']
            try:
                click(bar_tabs['Contacts'])
                shown = wait_for(lambda: page_shown(frame, tab, label), PAGE_TIMEOUT)
            except Exception as e:
                diag('clicking Contacts in the bar: %s' % e)
                shown = False
            result(bool(shown), 'clicking "Contacts" in the bottom bar shows the Contacts page')
            time.sleep(SETTLE)
            ok, info = screenshot('window-narrow-contacts.png')
            result(ok, 'screenshot of the narrow window: %s'
                   % (os.path.basename(info) if ok else 'failed'))
            if not ok:
                diag(info)
        else:
            result(False, 'bottom switcher bar switches pages (no bar)')
            result(False, 'screenshot of the narrow window (no bar)')

    # 15. the app is still alive after all this
    result(app_proc.poll() is None, 'application is still running before quitting')

    # 16. quit through the exported app.quit action; it must exit 0 within 5 s
    t0 = time.monotonic()
    try:
        call = subprocess.run(['gdbus', 'call', '--session', '--dest', APP_ID,
                               '--object-path', APP_PATH,
                               '--method', 'org.gtk.Actions.Activate', 'quit', '[]', '{}'],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=5)
        call_output = call.stdout.decode(errors='replace').strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        call_output = str(e)
    try:
        status = app_proc.wait(timeout=max(0.1, QUIT_TIMEOUT - (time.monotonic() - t0)))
    except subprocess.TimeoutExpired:
        status = None
    if not result(status == 0, 'app.quit ends the application with status 0 within %g s'
                  % QUIT_TIMEOUT):
        diag('gdbus: %s' % call_output)
        diag('exit status: %s' % ('still running' if status is None else status))
    else:
        diag('exited %.2f s after app.quit' % (time.monotonic() - t0))

    # 17. without background running, closing the window destroys it and ends Jarchi: with the
    # suite's fatal warnings and criticals, any libadwaita/GTK complaint on the way kills it
    closed_status = close_destroys_window(binary, work)
    if not result(closed_status == 0, 'with background running off, closing the window ends '
                  'Jarchi with status 0 and no warning or critical (%s)' % closed_status):
        show_app_log()

    if failures:
        show_app_log()
    kill_app()
    if x11:
        x11.close()
    signal.alarm(0)
    return 1 if failures else 0


def close_destroys_window(binary, work):
    """Starts Jarchi again with run-in-background and the tray icon off (a key file), clicks the
    window's Close button and returns its exit status (None if it did not end)."""
    global app_proc
    config_home = os.path.join(work, 'config')
    os.makedirs(os.path.join(config_home, 'glib-2.0', 'settings'), exist_ok=True)
    with open(os.path.join(config_home, 'glib-2.0', 'settings', 'keyfile'), 'w') as f:
        f.write('[io/github/jarchi/Jarchi]\nrun-in-background=false\nshow-tray-icon=false\n')
    env = dict(os.environ, GSETTINGS_BACKEND='keyfile', XDG_CONFIG_HOME=config_home)
    env['G_DEBUG'] = ','.join(filter(None, [APP_G_DEBUG, 'fatal-criticals']))
    with open(app_log_path, 'a') as log:
        log.write('--- second run: closing the window without background running ---\n')
        log.flush()
        app_proc = subprocess.Popen([binary, '--data-dir', os.path.join(work, 'data'),
                                     '--dashboard-port', '0'], stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT, env=env)
    found = wait_for(lambda: find_application(app_proc.pid), START_TIMEOUT, interval=0.25)
    close = None
    if found:
        close = wait_for(lambda: next((a for a, _ in walk(found[1]) if a.getRoleName() == 'push button'
                                       and a.name == 'Close'), None), PAGE_TIMEOUT)
    if close is None:
        diag('no window or no Close button in the second run')
        return None
    time.sleep(SETTLE)
    click(close)
    try:
        return app_proc.wait(timeout=max(QUIT_TIMEOUT, 10))
    except subprocess.TimeoutExpired:
        return None


# G_DEBUG=fatal-warnings (set for the whole suite) is meant for the app; libatspi in this process
# may warn harmlessly (e.g. "Error in GetItems ... /org/a11y/atspi/cache" when an app has no
# cache), which would then kill the test with SIGTRAP. GLib reads G_DEBUG when it is loaded, so
# drop the fatal flags before pyatspi loads it, and give the app the original value.
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
        kill_app()
