# Jarchi: what the GUI tests (tests/test-*.py under run-gui-test.sh) share: TAP output, the app under test, AT-SPI, X11 (libX11 through ctypes), the lab, the API, the tray.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A test script puts its own directory on sys.path, imports this module, sets what differs
# between tests with configure() and keeps only what it drives on its page:
#
#   sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
#   import gui_helpers as gh
#   from gui_helpers import diag, result, wait_for, find, click, pyatspi, run
#
# run holds the state the helpers share with the script (the app's process, the lab's
# directory, the X11 window...). Importing this module drops the fatal flags from G_DEBUG
# before it loads pyatspi (see APP_G_DEBUG); pyatspi is None when it cannot be loaded, and
# run_main() then reports the whole test as skipped.

import ctypes
import ctypes.util
import json
import os
import re
import signal
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.request

APP_ID = 'io.github.jarchi.Jarchi'
APP_PATH = '/io/github/jarchi/Jarchi'
HERE = os.path.dirname(os.path.abspath(__file__))
LAB_SH = os.path.join(os.environ.get('JARCHI_SOURCE_ROOT') or os.path.dirname(HERE), 'tests', 'lab', 'lab.sh')
CONTROL = 37  # the Control_L keycode, held with key(..., modifiers=(CONTROL,))
HOME_KEY, DOWN, RETURN = 0xff50, 0xff54, 0xff0d  # keysyms
SETTLE = 0.4  # > the 250 ms in which clicks merge; lets transitions end before a screenshot

# G_DEBUG=fatal-warnings (set for the whole suite) is meant for the app; libatspi in this process
# may warn harmlessly (e.g. "Error in GetItems ... /org/a11y/atspi/cache" when an app has no
# cache), which would then kill the test with SIGTRAP. GLib reads G_DEBUG when it is loaded, so
# the fatal flags go before pyatspi loads it, and start_app() gives the app the original value.
APP_G_DEBUG = os.environ.get('G_DEBUG')
if APP_G_DEBUG is not None:
    os.environ['G_DEBUG'] = ','.join(flag for flag in APP_G_DEBUG.split(',')
                                     if flag.strip() not in ('fatal-warnings', 'fatal-criticals'))

# ./test.sh --sanitize runs everything several times slower and says by how much: every wait
# (and the AT-SPI timeouts) stretches by that factor, so the sanitizer run checks memory, not speed.
SCALE = max(1, int(os.environ.get('JARCHI_TIMEOUT_SCALE') or '1'))

try:
    import pyatspi
    PYATSPI_ERROR = None
except ImportError as e:  # only Debian's /usr/bin/python3 has it
    pyatspi = None
    PYATSPI_ERROR = e


class Run:
    """What the helpers share with the test script; configure() sets the first group."""
    timeout = 5.0          # wait_for()'s default
    timed_results = False  # a "# (N s)" line before each result: where a slow test spends its time
    key_pause = 0.1        # after each synthesised key press
    pointer_clicks = False  # click() falls back to a real pointer click where there is no action
    lab_password = 'secret'
    quit_timeout = 10.0

    tests = failures = 0
    last_result = time.monotonic()
    app_proc = None        # the jarchi under test
    app_log_path = None    # its stdout and stderr
    helpers = []           # more processes to kill at the end (a notification server...)
    lab_dir = None         # tests/lab/lab.sh's LAB, cleaned up at the end when set
    x11 = None             # the X11 wrapper below, when libX11 loads
    x11_window = None      # the app's main X11 window: screenshots are cropped to it


run = Run()


def configure(**settings):
    for name, value in settings.items():
        if not hasattr(Run, name) or name.startswith('_'):
            raise AttributeError('gui_helpers has no setting %r' % name)
        setattr(run, name, value)


# --- TAP ---

def diag(text):
    for line in str(text).splitlines() or ['']:
        print('# ' + line, file=sys.stderr, flush=True)


def result(ok, description, skip=None):
    run.tests += 1
    if run.timed_results:
        now = time.monotonic()
        diag('(%.1f s)' % (now - run.last_result))
        run.last_result = now
    line = '%s %d - %s' % ('ok' if ok else 'not ok', run.tests, description)
    if skip is not None:
        line += ' # SKIP ' + skip
    elif not ok:
        run.failures += 1
    print(line, flush=True)
    return ok


def show_app_log():
    if run.app_log_path and os.path.exists(run.app_log_path):
        with open(run.app_log_path, errors='replace') as f:
            diag('--- application output ---\n' + f.read()[-6000:])


def cleanup():
    """Kills what is left of the app and the helpers, then the lab's peers."""
    for proc in [run.app_proc] + run.helpers:
        if proc is not None and proc.poll() is None:
            proc.kill()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
    if run.lab_dir:
        lab('lab_cleanup_all "$LAB"', timeout=20)
        run.lab_dir = None


def bail_out(reason):
    print('Bail out! ' + reason, flush=True)
    show_app_log()
    cleanup()
    sys.exit(1)


def wait_for(predicate, timeout=None, interval=0.1):
    """Polls predicate until it returns a true value or timeout expires; returns the last value."""
    end = time.monotonic() + (run.timeout if timeout is None else timeout) * SCALE
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


def remove_outputs(names):
    """Removes earlier screenshots first, so a stale one is never taken for new."""
    out = output_dir()
    for name in names:
        try:
            os.unlink(os.path.join(out, name))
        except FileNotFoundError:
            pass


def old_shots(prefix, dark):
    """The screenshots PREFIX*.png in the output directory, of the dark run or the light one."""
    return [name for name in os.listdir(output_dir()) if name.startswith(prefix)
            and name.endswith('.png') and name.endswith('-dark.png') == dark]


def begin(deadline, atspi_timeouts=(5000, 15000)):
    """The start of every test: a deadline, AT-SPI's timeouts, JARCHI_BINARY and the display.
    Returns (binary, start time)."""
    signal.signal(signal.SIGALRM, lambda signum, frame: bail_out('no end within %d s' % deadline))
    signal.alarm(deadline)
    pyatspi.setTimeout(*(t * SCALE for t in atspi_timeouts))
    started = time.monotonic()
    binary = os.environ.get('JARCHI_BINARY')
    if not binary or not os.access(binary, os.X_OK):
        bail_out('JARCHI_BINARY (%r) is not an executable' % binary)
    if 'DISPLAY' not in os.environ:
        bail_out('no DISPLAY: run this under tests/run-gui-test.sh')
    return binary, started


def missing_tool(*tools):
    """The first of TOOLS not on PATH (the caller then skips the whole test), or None."""
    return next((tool for tool in tools
                 if subprocess.run(['which', tool], stdout=subprocess.DEVNULL).returncode != 0), None)


def finish(started, quit_name=None, after_quit=None):
    """The end of every test: app.quit must end the app with 0 (the check named QUIT_NAME,
    default: with the status in it), then AFTER_QUIT() for checks of a later run; then the
    plan line."""
    status = quit_app()
    name = quit_name or 'app.quit ends the application with status 0 (%s)'
    result(status == 0, name % status if '%s' in name else name)
    if status != 0:
        diag('exit status: %s' % ('still running' if status is None else status))
    if after_quit is not None:
        after_quit()
    return end(started)


def end(started):
    """The app's log when a check failed, cleanup and the plan line; the exit status."""
    if run.failures:
        show_app_log()
    cleanup()
    if run.x11:
        run.x11.close()
        run.x11 = run.x11_window = None
    diag('finished in %.1f s' % (time.monotonic() - started))
    print('1..%d' % run.tests, flush=True)
    signal.alarm(0)
    return 1 if run.failures else 0


def run_main(main):
    """Runs main() (its return value is the exit status); any error is a bail-out."""
    if pyatspi is None:
        print('1..0 # SKIP pyatspi is not available to %s: %s' % (sys.executable, PYATSPI_ERROR))
        sys.exit(0)
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except BaseException as e:
        diag(traceback.format_exc())
        bail_out('unexpected error: %s' % e)
    finally:
        cleanup()


# --- the lab (tests/lab/lab.sh) ---

def lab(command, timeout=40):
    """Runs COMMAND in bash with lab.sh sourced and LAB set; returns (status, stdout)."""
    env = dict(os.environ, LAB=run.lab_dir or '', LAB_PASSWORD=run.lab_password)
    try:
        proc = subprocess.run(['bash', '-c', '. "%s" && %s' % (LAB_SH, command)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, ''
    if proc.returncode != 0:
        diag('lab: %s -> %d\n%s' % (command, proc.returncode, proc.stderr.decode(errors='replace')))
    return proc.returncode, proc.stdout.decode(errors='replace').strip()


def start_lab_kamailio(work, *options):
    """The lab in WORK/lab (run.lab_dir) with a Kamailio (lab_kamailio_start OPTIONS, e.g. "auth")
    on a free port, which it returns; a bail-out when it does not start."""
    run.lab_dir = os.path.join(work, 'lab')
    os.makedirs(run.lab_dir)
    status, port = lab('p=$(lab_free_port) && lab_kamailio_start "$LAB/kam" "$p" %s >&2 && echo "$p"'
                       % ' '.join(options))
    if status != 0:
        bail_out('the lab Kamailio did not start')
    return int(port.split()[-1])


# --- AT-SPI ---

def walk(acc):
    """acc and every accessible below it, depth first."""
    return (a for a, _ in walk_depth(acc))


def walk_depth(acc, depth=0):
    """(accessible, depth below acc) for acc and every accessible below it, depth first."""
    yield acc, depth
    try:
        children = list(acc)
    except Exception:
        children = []
    for child in children:
        if child is not None:
            yield from walk_depth(child, depth + 1)


def states(acc):
    try:
        return [pyatspi.stateToString(s) for s in acc.getState().getStates()]
    except Exception:
        return []


def find(root, role=None, name=None, description=None, match=None):
    """The first accessible below root (depth first) that has all of what is given."""
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


def find_all(root, role=None, name=None, description=None):
    found = []
    for acc in walk(root):
        try:
            if ((role is None or acc.getRoleName() == role) and (name is None or acc.name == name)
                    and (description is None or acc.description == description)):
                found.append(acc)
        except Exception:
            pass
    return found


def find_first(root, role, name):
    """Breadth first: the outer match, without walking every row below it."""
    queue = [root]
    while queue:
        acc = queue.pop(0)
        try:
            if acc.getRoleName() == role and acc.name == name:
                return acc
            queue.extend(child for child in acc if child is not None)
        except Exception:
            pass
    return None


def dump_tree(root, title, indent=False, only_states=None):
    """Every accessible below root in diagnostic lines; indent shows the depth, only_states
    (a set of state names) keeps the lines short."""
    diag('--- accessibility tree: %s ---' % title)
    for acc, depth in walk_depth(root):
        try:
            shown = [s for s in states(acc) if only_states is None or s in only_states]
            diag('%s%s %r desc=%r %s' % ('  ' * depth if indent else '', acc.getRoleName(), acc.name,
                                         acc.description, ','.join(shown)))
        except Exception as e:
            diag('<error %s>' % e)


def ancestors(acc, stop):
    chain = []
    while acc is not None and len(chain) < 64:
        chain.append(acc)
        if acc == stop:
            break
        acc = acc.parent
    return chain


def is_on_screen(acc, window):
    """True if the centre of acc hit-tests (through its window) to acc or a descendant of it:
    GTK 4.8 keeps stale accessibles for hidden widgets."""
    try:
        e = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        if e.width <= 0 or e.height <= 0:
            return False
        hit = window.queryComponent().getAccessibleAtPoint(e.x + e.width // 2, e.y + e.height // 2,
                                                           pyatspi.WINDOW_COORDS)
    except Exception:
        return False
    return hit is not None and acc in ancestors(hit, window)


def click(acc):
    """The accessible's click-like action; without one, a real pointer click when the test
    configured pointer_clicks (GTK 4.8 gives check boxes no AT-SPI action)."""
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ('click', 'activate', 'press', 'toggle'):
            action.doAction(i)
            time.sleep(0.3)  # two clicks on one button within 250 ms merge
            return
    if not run.pointer_clicks:
        raise RuntimeError('%s %r has no click action' % (acc.getRoleName(), acc.name))
    mouse_click(acc)


def mouse_click(acc):
    """A real pointer click (XTest) in the middle of acc (at most 10 px in from its left edge).
    Its toplevel's X11 window gives the offset of WINDOW_COORDS."""
    top = acc
    while top.parent is not None and top.parent.getRoleName() != 'application':
        top = top.parent
    windows = run.x11.windows_of(run.app_proc.pid, top.name) if run.x11 else []
    if not windows:
        raise RuntimeError('%s %r has no click action and no X11 window %r' % (acc.getRoleName(), acc.name, top.name))
    gx, gy = run.x11.geometry(windows[0])[:2]
    e = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    pyatspi.Registry.generateMouseEvent(gx + e.x + min(e.width // 2, 10), gy + e.y + e.height // 2, 'b1c')
    time.sleep(0.3)


def text_of(acc):
    """The text of an entry or label; the accessible name of what has no Text interface."""
    try:
        text = acc.queryText()
        return text.getText(0, text.characterCount)  # GTK 4.8 answers "" for an end offset of -1
    except Exception:
        return acc.name if acc is not None else None


def set_text(acc, text):
    acc.queryEditableText().setTextContents(text)


def key(keysym, modifiers=()):
    """A key press (keysym) with modifier keycodes held, synthesised by the registry (XTest)."""
    for code in modifiers:
        pyatspi.Registry.generateKeyboardEvent(code, None, pyatspi.KEY_PRESS)
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
    for code in reversed(modifiers):
        pyatspi.Registry.generateKeyboardEvent(code, None, pyatspi.KEY_RELEASE)
    time.sleep(run.key_pause)


def choose(root, combo_name, item_name):
    """Opens the drop-down COMBO_NAME below root with its button and picks ITEM_NAME with the
    keyboard, as a person would.

    GTK 4.8 gives the popup's list items no AT-SPI action, and selecting through the list's
    Selection interface does not reach the drop-down, so Home, Down... and Return are typed
    (XTest) into the open popup, which has the keyboard focus."""
    combo = find(root, 'combo box', combo_name)
    click(find(combo, 'push button'))

    def items():
        found = find_all(combo, 'list item')
        return found if any(find(i, 'label', item_name) for i in found) else None
    entries = wait_for(items)
    if not entries:
        dump_tree(combo, combo_name, indent=True)
        raise RuntimeError('no %r in %s' % (item_name, combo_name))
    index = [i for i, e in enumerate(entries) if find(e, 'label', item_name)][0]
    time.sleep(SETTLE)
    key(HOME_KEY)
    for _ in range(index):
        key(DOWN)
    key(RETURN)
    time.sleep(SETTLE)


def app_windows():
    """The app's top-level accessibles (its main window and dialogs)."""
    for app in pyatspi.Registry.getDesktop(0):
        try:
            if app is not None and app.get_process_id() == run.app_proc.pid:
                return [w for w in app if w is not None]
        except Exception:
            continue
    return []


def window_named(name):
    return next((w for w in app_windows() if w.name == name), None)


def wait_chooser(title, timeout, button_timeout=None):
    """The file chooser dialog, once it is drawn and has the keyboard focus (typing goes there)."""
    chooser = wait_for(lambda: window_named(title), timeout)
    if chooser is None or not wait_for(lambda: find(chooser, 'push button', match=lambda a: a.name.endswith('Cancel')),
                                       button_timeout):
        return None
    time.sleep(1.0)  # mapped and focused (GTK 4.8 reports no "active" state to wait for)
    return chooser


def type_path(path, replace_name=False):
    """Types a path into the focused file chooser (which opens its location field) and Return."""
    if replace_name:  # a save dialog's name field holds a proposal: select it all first
        pyatspi.Registry.generateKeyboardEvent(CONTROL, None, pyatspi.KEY_PRESS)
        key(0x61)  # a
        pyatspi.Registry.generateKeyboardEvent(CONTROL, None, pyatspi.KEY_RELEASE)
    pyatspi.Registry.generateKeyboardEvent(0, path, pyatspi.KEY_STRING)
    time.sleep(SETTLE)
    key(RETURN)


# --- the application ---

def start_app(binary, args, log_name, extra_env=None, timeout=60.0, append=False):
    """Starts `jarchi ARGS` (output to LOG_NAME in the output directory, after what is there
    with append) with G_DEBUG as the suite set it; returns its main window "Jarchi", or None
    (said why in a diagnostic line)."""
    run.app_log_path = os.path.join(output_dir(), log_name)
    env = dict(os.environ)
    if APP_G_DEBUG is not None:
        env['G_DEBUG'] = APP_G_DEBUG
    env.update(extra_env or {})
    with open(run.app_log_path, 'a' if append else 'w') as log:
        run.app_proc = subprocess.Popen([binary] + args, stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=subprocess.STDOUT, env=env)

    def ready():
        if run.app_proc.poll() is not None:
            return 'exited'
        return window_named('Jarchi')
    frame = wait_for(ready, timeout, interval=0.25)
    if frame == 'exited':
        diag('the app exited with status %s' % run.app_proc.returncode)
    elif not frame:
        diag('no window "Jarchi" within %.0f s' % timeout)
    return frame if frame and frame != 'exited' else None


def gdbus(*args, timeout=5):
    """`gdbus call --session ARGS`: (status, output)."""
    try:
        proc = subprocess.run(['gdbus', 'call', '--session'] + list(args), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return 1, str(e)
    return proc.returncode, proc.stdout.decode(errors='replace').strip()


def app_action(name):
    """Activates the app's action NAME over org.gtk.Actions, as the desktop would."""
    return gdbus('--dest', APP_ID, '--object-path', APP_PATH, '--method', 'org.gtk.Actions.Activate',
                 name, '[]', '{}')


# --- the tray (a StatusNotifierItem) and notifications ---

def tray_item():
    """The bus name of the app's StatusNotifierItem."""
    return 'org.kde.StatusNotifierItem-%d-1' % run.app_proc.pid


def tray_property(name):
    """A property of the app's StatusNotifierItem as gdbus prints it, or ''."""
    status, value = gdbus('--dest', tray_item(), '--object-path',
                          '/StatusNotifierItem', '--method', 'org.freedesktop.DBus.Properties.Get',
                          'org.kde.StatusNotifierItem', name)
    return value if status == 0 else ''


def start_tray_helpers(work):
    """A real status-notifier-watcher and tests/notification-server.py (logging to
    WORK/notifications.log: a ringing call sends a notification, and without a server GLib
    would warn, fatal here); returns once the watcher owns its name."""
    run.helpers.append(subprocess.Popen(['status-notifier-watcher'], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL))
    notifier = subprocess.Popen(['/usr/bin/python3', os.path.join(HERE, 'notification-server.py'),
                                 os.path.join(work, 'notifications.log')],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    run.helpers.append(notifier)
    notifier.stdout.readline()  # "ready"
    wait_for(lambda: gdbus('--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus',
                           '--method', 'org.freedesktop.DBus.NameHasOwner',
                           'org.kde.StatusNotifierWatcher')[1] == '(true,)')


def check_tray_registered(timeout=None):
    """A test result: the app's tray item is registered with the watcher."""
    registered = wait_for(lambda: tray_item() in gdbus(
        '--dest', 'org.kde.StatusNotifierWatcher', '--object-path', '/StatusNotifierWatcher',
        '--method', 'org.freedesktop.DBus.Properties.Get', 'org.kde.StatusNotifierWatcher',
        'RegisteredStatusNotifierItems')[1], timeout)
    return result(registered, 'the tray item is registered with status-notifier-watcher')


def call_notifications(work):
    """The notifications of incoming calls (those with an Answer button) that
    start_tray_helpers()' server logged."""
    try:
        with open(os.path.join(work, 'notifications.log')) as f:
            events = [json.loads(line) for line in f if line.strip()]
    except OSError:
        return []
    return [n for n in events if n.get('event') == 'notify'
            and any('app.answer' in str(a) for a in n.get('actions', []))]


def expect_page(frame, page_found, missing, shown, t0, dump_root=None):
    """Waits for page_found() (the page's parts, found); without them a bail-out saying MISSING,
    with them the result SHOWN (and the seconds since T0)."""
    if not wait_for(page_found):
        dump_tree((dump_root and dump_root()) or frame, 'window')
        bail_out(missing)
    result(True, '%s (%.1f s)' % (shown, time.monotonic() - t0))


def fit_window(width, height):
    """The X11 helper, the app's main X11 window, and that window resized to WIDTH x HEIGHT."""
    if load_x11():
        find_x11_window(run.app_proc.pid, single=False)
    resize(width, height)


def quit_app():
    """app.quit over org.gtk.Actions, as the desktop would; the app's exit status or None."""
    try:
        subprocess.run(['gdbus', 'call', '--session', '--dest', APP_ID, '--object-path', APP_PATH,
                        '--method', 'org.gtk.Actions.Activate', 'quit', '[]', '{}'],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=run.quit_timeout * SCALE)
    except (OSError, subprocess.TimeoutExpired) as e:
        diag('gdbus: %s' % e)
    try:
        return run.app_proc.wait(timeout=run.quit_timeout * SCALE)
    except subprocess.TimeoutExpired:
        return None


class Api:
    """The running app's dashboard HTTP API, as an administrator's script would use it."""
    base = token = None

    def connect(self, binary, data_dir):
        """The URL the app printed in its log, and the token of its data directory."""
        def url():
            with open(run.app_log_path, errors='replace') as f:
                return (re.findall(r'dashboard: (http://\S+/)', f.read()) or [None])[0]
        self.base = wait_for(url)
        self.token = subprocess.run([binary, '--print-token', '--data-dir', data_dir], stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, timeout=10).stdout.decode().strip()
        return self.base is not None

    def call(self, method, path, body=None, raw=False, content_type='application/json'):
        """(status, parsed JSON, or bytes when raw); (code, error text) for an HTTP error."""
        data = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.base + path, method=method, data=data,
                                         headers={'Authorization': 'Bearer ' + self.token,
                                                  'Content-Type': content_type})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                payload = response.read()
                return response.status, payload if raw else json.loads(payload or b'null')
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors='replace')
        except OSError as e:
            return 0, str(e)


# --- X11: screenshots and window size (libX11 through ctypes) ---
# There is no window manager under Xvfb, so a resize request is applied as is, like a user
# dragging the window's edge.

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


def load_x11():
    """An X11 connection in run.x11, or None (said why in a diagnostic line)."""
    try:
        run.x11 = X11()
    except OSError as e:
        diag('no X11 helper (%s): screenshots show the whole screen, no narrow shots' % e)
        run.x11 = None
    return run.x11


def find_x11_window(pid, single=True, timeout=None):
    """The X11 window "Jarchi" of PID in run.x11_window; with single, none when there are two."""
    run.x11_window = None
    if run.x11:
        windows = wait_for(lambda: run.x11.windows_of(pid, 'Jarchi'), timeout)
        if windows and (len(windows) == 1 or not single):
            run.x11_window = windows[0]
    return run.x11_window


def screenshot(name, window=None):
    """Captures the screen with import, cropped to WINDOW (default: the app's main window) when
    it is known; True when a plausible PNG was written."""
    window = window or run.x11_window
    path = os.path.join(output_dir(), name)
    cmd = ['/usr/bin/import', '-window', 'root']
    geometry = run.x11.geometry(window) if run.x11 and window else None
    if geometry and geometry[2] > 0 and geometry[3] > 0:
        x, y, width, height = geometry
        cmd += ['-crop', '%dx%d+%d+%d' % (width, height, max(x, 0), max(y, 0)), '+repage']
    cmd.append(path)
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=15)
    except (OSError, subprocess.TimeoutExpired) as e:
        diag('%s: %s' % (' '.join(cmd), e))
        return False
    if proc.returncode != 0 or not os.path.exists(path) or os.path.getsize(path) < 1000:
        diag('%s failed: %s' % (' '.join(cmd), proc.stdout.decode(errors='replace')))
        return False
    return True


def window_shot(name, what, title):
    """A screenshot (a test result) of the app's last X11 window named TITLE (a dialog), or of
    the whole screen when it is not known."""
    time.sleep(SETTLE)
    windows = run.x11.windows_of(run.app_proc.pid, title) if run.x11 else None
    result(screenshot(name, windows[-1] if windows else None), 'screenshot of %s: %s' % (what, name))


def resize(width, height=None, tolerance=0, at_least_minimum=False, wait=True):
    """Resizes the app's main window (height None: keep it). at_least_minimum: not below the
    window's minimum width (WM_NORMAL_HINTS), as a narrower X window is drawn clipped. With
    wait, whether the width came within TOLERANCE px of what was asked."""
    if not (run.x11 and run.x11_window):
        return False
    if height is None:
        height = run.x11.geometry(run.x11_window)[3]
    if at_least_minimum:
        width = max(width, _minimum_width(run.x11_window))
    run.x11.resize(run.x11_window, width, height)
    return not wait or bool(wait_for(lambda: abs(run.x11.geometry(run.x11_window)[2] - width) <= tolerance))


def _minimum_width(window):
    class SizeHints(ctypes.Structure):
        _fields_ = [('flags', ctypes.c_long)] + [(n, ctypes.c_int) for n in (
            'x', 'y', 'width', 'height', 'min_width', 'min_height', 'max_width', 'max_height',
            'width_inc', 'height_inc', 'min_aspect_x', 'min_aspect_y', 'max_aspect_x', 'max_aspect_y',
            'base_width', 'base_height', 'win_gravity')]
    hints, supplied = SizeHints(), ctypes.c_long()
    get = run.x11.x.XGetWMNormalHints
    get.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(SizeHints), ctypes.POINTER(ctypes.c_long)]
    if get(run.x11.dpy, window, ctypes.byref(hints), ctypes.byref(supplied)) and hints.flags & 16:  # PMinSize
        return hints.min_width
    return 0


def shots(name, what, wide=1280, narrow=360, dark=False, wide_tag=None, narrow_tolerance=59,
          at_least_minimum=False, height=None, retry_narrow=False):
    """Screenshots of the main window WIDE px wide (NAME-WIDE_TAG.png, WIDE_TAG defaults to the
    width) and, unless narrow is None, NARROW px wide (NAME-narrow.png), then back to WIDE;
    "-dark" before ".png" with dark. Each is a test result. retry_narrow: ask for NARROW again
    when the window stayed wider (the first time, its minimum may still hold the header's wide
    view switcher, which gives way to the bottom bar once narrow)."""
    suffix = '-dark' if dark else ''
    time.sleep(SETTLE)
    wide_name = '%s-%s%s.png' % (name, wide if wide_tag is None else wide_tag, suffix)
    result(screenshot(wide_name), 'screenshot of %s at %d px: %s' % (what, wide, wide_name))
    if narrow is None:
        return
    narrow_name = '%s-narrow%s.png' % (name, suffix)
    if not resize(narrow, height, narrow_tolerance, at_least_minimum):
        result(True, 'screenshot of %s, narrow' % what, skip='cannot resize the window')
        return
    time.sleep(SETTLE + 0.3)
    if retry_narrow and run.x11.geometry(run.x11_window)[2] > narrow:
        resize(narrow, height, narrow_tolerance, at_least_minimum)
        time.sleep(SETTLE + 0.3)
    width = run.x11.geometry(run.x11_window)[2]
    result(screenshot(narrow_name) and width <= narrow + narrow_tolerance,
           'screenshot of %s at %d px: %s' % (what, width, narrow_name))
    resize(wide, height, narrow_tolerance)
    time.sleep(SETTLE)
