#!/usr/bin/python3
# Jarchi: asking org.freedesktop.portal.Background to run on with no window, and living with its answer (TAP).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run it under tests/run-gui-test.sh (Xvfb + private session bus) with Debian's /usr/bin/python3:
#
#   JARCHI_BINARY=build/src/jarchi tests/run-gui-test.sh /usr/bin/python3 tests/test-background-portal.py
#
# A real background portal needs a full desktop session (xdg-desktop-portal and a desktop back
# end asking the user), which cannot run here: tests/fake-background-portal.py owns
# org.freedesktop.portal.Desktop on the private bus instead and records what Jarchi asks.
# Jarchi runs in the background by default, so at start it must call RequestBackground once,
# with a reason, autostart false and a handle token. When the portal allows it, closing the
# window leaves Jarchi running; when it refuses, the window says that closing it will quit, and
# closing it does end Jarchi (status 0). Every other GUI test runs without any portal on the
# bus, where Jarchi must say nothing (the suite makes warnings fatal).

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

APP_ID = 'io.github.jarchi.Jarchi'
APP_PATH = '/io/github/jarchi/Jarchi'
DEADLINE = int(os.environ.get('JARCHI_TEST_DEADLINE', '170'))
START_TIMEOUT = 60.0
TIMEOUT = 10.0
HERE = os.path.dirname(os.path.abspath(__file__))
NOTICE = 'Background running notice'

test_number = failures = 0
app_proc = app_log_path = None
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
            diag('--- application output ---\n' + f.read()[-4000:])


def cleanup():
    for proc in [app_proc] + helpers:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
    helpers.clear()


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
        except Exception:
            value = None
        if value or time.monotonic() >= end:
            return value
        time.sleep(interval)


def output_dir():
    out = os.environ.get('JARCHI_TEST_OUTPUT') or os.path.join(
        os.path.dirname(os.path.dirname(os.path.realpath(os.environ['JARCHI_BINARY']))), 'test-output')
    os.makedirs(out, exist_ok=True)
    return out


def walk(acc):
    yield acc
    try:
        children = list(acc)
    except Exception:
        children = []
    for child in children:
        if child is not None:
            yield from walk(child)


def find(root, role=None, name=None, description=None):
    for acc in walk(root):
        try:
            if ((role is None or acc.getRoleName() == role) and (name is None or acc.name == name)
                    and (description is None or acc.description == description)):
                return acc
        except Exception:
            continue
    return None


def window():
    for app in pyatspi.Registry.getDesktop(0):
        try:
            if app is not None and app.get_process_id() == app_proc.pid:
                return next((w for w in app if w is not None and w.name == 'Jarchi'), None)
        except Exception:
            continue
    return None


def notice_shown(frame):
    """The notice sits in a GtkRevealer: revealed, its label has a size (GTK 4.8 reports
    "showing" for windows only)."""
    label = find(frame, 'label', description=NOTICE)
    try:
        return label is not None and label.queryComponent().getExtents(pyatspi.WINDOW_COORDS).height > 0
    except Exception:
        return False


def requests(log):
    try:
        with open(log) as f:
            return [json.loads(line) for line in f if line.strip()]
    except OSError:
        return []


def screenshot(name):
    path = os.path.join(output_dir(), name)
    try:
        ok = subprocess.run(['/usr/bin/import', '-window', 'root', path], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, timeout=15).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    result(ok and os.path.getsize(path) > 1000, 'screenshot: %s' % name)


def run(binary, work, answer):
    """One start of Jarchi with the fake portal answering ANSWER ("allow" or "deny")."""
    global app_proc, app_log_path
    log = os.path.join(work, 'portal-%s.log' % answer)
    portal = subprocess.Popen(['/usr/bin/python3', os.path.join(HERE, 'fake-background-portal.py'), log, answer],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    helpers.append(portal)
    if portal.stdout.readline().strip() != b'ready':
        bail_out('the fake background portal did not start')
    app_log_path = os.path.join(output_dir(), 'background-portal-%s.log' % answer)
    env = dict(os.environ)
    if APP_G_DEBUG is not None:
        env['G_DEBUG'] = APP_G_DEBUG
    with open(app_log_path, 'w') as f:
        app_proc = subprocess.Popen([binary, '--data-dir', os.path.join(work, 'data'), '--dashboard-port', '0'],
                                    stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT, env=env)
    frame = wait_for(window, START_TIMEOUT)
    if frame is None:
        bail_out('the window did not appear')
    asked = wait_for(lambda: requests(log))
    options = asked[0]['options'] if asked else {}
    result(asked and len(asked) == 1 and options.get('reason') and options.get('autostart') is False
           and options.get('handle_token'),
           '%s: Jarchi asks RequestBackground once, with a reason, autostart false and a handle token (%s)'
           % (answer, json.dumps(asked)))
    if answer == 'allow':
        time.sleep(1)
        result(not notice_shown(frame), 'allowed: the window shows no notice')
    else:
        shown = wait_for(lambda: notice_shown(frame))
        result(shown, 'refused: the window says that closing it will quit Jarchi')
        screenshot('background-portal-denied.png')
    close = find(frame, 'push button', 'Close')
    close.queryAction().doAction(0)
    try:
        status = app_proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        status = None
    if answer == 'allow':
        result(status is None, 'allowed: closing the window leaves Jarchi running')
        subprocess.run(['gdbus', 'call', '--session', '--dest', APP_ID, '--object-path', APP_PATH,
                        '--method', 'org.gtk.Actions.Activate', 'quit', '[]', '{}'],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10)
        try:
            status = app_proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            status = None
        result(status == 0, 'app.quit then ends it with status 0 (%s)' % status)
    else:
        result(status == 0, 'refused: closing the window ends Jarchi with status 0 (%s)' % status)
    portal.terminate()
    portal.wait(timeout=5)
    helpers.remove(portal)


def main():
    signal.signal(signal.SIGALRM, lambda signum, frame: bail_out('no end within %d s' % DEADLINE))
    signal.alarm(DEADLINE)
    pyatspi.setTimeout(5000, 15000)
    binary = os.environ.get('JARCHI_BINARY')
    if not binary or not os.access(binary, os.X_OK):
        bail_out('JARCHI_BINARY (%r) is not an executable' % binary)
    if 'DISPLAY' not in os.environ:
        bail_out('no DISPLAY: run this under tests/run-gui-test.sh')
    work = tempfile.mkdtemp(prefix='jarchi-portal-')
    for answer in ('allow', 'deny'):
        run(binary, work, answer)
    if failures:
        show_app_log()
    cleanup()
    print('1..%d' % test_number, flush=True)
    signal.alarm(0)
    return 1 if failures else 0


# The suite's fatal warnings are for the app; libatspi in this process may warn harmlessly.
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
