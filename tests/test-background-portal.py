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
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gui_helpers as gh  # noqa: E402  (after the path it is found on)
from gui_helpers import bail_out, find, pyatspi, result, run, wait_for  # noqa: E402

DEADLINE = int(os.environ.get('JARCHI_TEST_DEADLINE', '170'))
START_TIMEOUT = 60.0
NOTICE = 'Background running notice'
gh.configure(timeout=10.0, quit_timeout=15.0)


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


def start(binary, work, answer):
    """One start of Jarchi with the fake portal answering ANSWER ("allow" or "deny")."""
    log = os.path.join(work, 'portal-%s.log' % answer)
    portal = subprocess.Popen(['/usr/bin/python3', os.path.join(gh.HERE, 'fake-background-portal.py'), log, answer],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    run.helpers.append(portal)
    if portal.stdout.readline().strip() != b'ready':
        bail_out('the fake background portal did not start')
    frame = gh.start_app(binary, ['--data-dir', os.path.join(work, 'data'), '--dashboard-port', '0'],
                         'background-portal-%s.log' % answer, timeout=START_TIMEOUT)
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
        result(gh.screenshot('background-portal-denied.png'), 'screenshot: background-portal-denied.png')
    find(frame, 'push button', 'Close').queryAction().doAction(0)
    try:
        status = run.app_proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        status = None
    if answer == 'allow':
        result(status is None, 'allowed: closing the window leaves Jarchi running')
        status = gh.quit_app()
        result(status == 0, 'app.quit then ends it with status 0 (%s)' % status)
    else:
        result(status == 0, 'refused: closing the window ends Jarchi with status 0 (%s)' % status)
    portal.terminate()
    portal.wait(timeout=5)
    run.helpers.remove(portal)


def main():
    binary, started = gh.begin(DEADLINE)
    work = tempfile.mkdtemp(prefix='jarchi-portal-')
    for answer in ('allow', 'deny'):
        start(binary, work, answer)
    return gh.end(started)


if __name__ == '__main__':
    gh.run_main(main)
