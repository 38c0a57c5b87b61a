#!/usr/bin/python3
# Jarchi: drives the Contacts page through AT-SPI (TAP): list, search, filters, editor, do-not-call, delete, CSV import.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run it under tests/run-gui-test.sh (Xvfb + private session bus) with Debian's /usr/bin/python3:
#
#   JARCHI_BINARY=build/src/jarchi tests/run-gui-test.sh /usr/bin/python3 tests/test-contacts-page.py
#
# The data directory is filled through the real binary: `jarchi --print-token`, then
# `jarchi --headless` with a CSV posted to /api/contacts/import, then SIGTERM. The desktop app
# is then started on that directory and driven as a person would through the accessibility
# tree: typing into the search entry (EditableText), choosing items in the filter drop-downs,
# pressing buttons, typing into the editor's fields, and typing a file name into the import
# file chooser (synthesised key presses, XTest). A contact "is shown" when the centre of its
# name label hit-tests to that label (GTK 4.8 keeps stale accessibles for hidden widgets).
# Four modes, each its own test with its own app, so each stays well inside its time limit on a
# busy machine: the default drives the list, search and filters (and 360 px); --edit the editor,
# do-not-call, the call button and delete; --files imports a CSV through the Import button's
# file chooser (report window) and exports one through Export; --dark runs with
# ADW_DEBUG_COLOR_SCHEME=prefer-dark for the list, editor, report and 360 px.
# Screenshots (wide and 360 px) go to $JARCHI_TEST_OUTPUT (default: <build dir>/test-output),
# named contacts-*.png, and contacts-*-dark.png with --dark.

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gui_helpers as gh  # noqa: E402  (after the path it is found on)
from gui_helpers import (SETTLE, bail_out, click, diag, dump_tree, find, find_all, is_on_screen,  # noqa: E402
                         result, run, set_text, states, text_of, wait_for, window_named)

DEADLINE = int(os.environ.get('JARCHI_TEST_DEADLINE', '95'))  # run-gui-test.sh allows 100 s
START_TIMEOUT = max(15.0, DEADLINE / 3)  # a sanitizer build starts in ~30 s
NARROW_WIDTH = 360
gh.configure(timeout=5.0, timed_results=True, quit_timeout=5.0)

CSV = '\n'.join([
    'name,phone,department,district,position,note,active',
    'Алишер Навоий,+998 90 123 45 67,Бухгалтерия,Чиланзар,Бухгалтер,,1',
    'Зульфия Исроилова,+998 91 234 56 78,Бухгалтерия,Юнусабад,Главный бухгалтер,,1',
    'Бобур Мирзо,+998 93 345 67 89,IT,Чиланзар,Инженер,,1',
    'Dilnoza Karimova,+998 94 456 78 90,IT,Yunusobod,Developer,,1',
    'John Smith,1001,Logistics,Chilonzor,Driver,,1',
    'Bad Phone,12ab,IT,Chilonzor,,,1',
    'Maria Garcia,+998 95 567 89 01,Logistics,Yunusobod,Dispatcher,On leave,0',
]) + '\n'
NAMES = ['Алишер Навоий', 'Зульфия Исроилова', 'Бобур Мирзо', 'Dilnoza Karimova', 'John Smith',
         'Maria Garcia']
# Imported through the GUI's file chooser: one new, one update (same phone as Алишер), one bad.
CSV2 = ('name;phone;department\n'
        'Nodira Yusupova;+998 99 000 11 22;IT\n'
        'Broken Row;xx;IT\n'
        'Алишер Навоий;+998 90 123 45 67;Бухгалтерия\n')
NEW_NAME = 'Gulnora Test'


class Page:
    """The Contacts page's accessibles; searching its subtree only keeps each poll fast."""
    root = None   # the page's list view: toolbar, list, count
    list = None   # the contact list
    count = None  # the "N contacts" label


def shown_names(frame):
    return sorted(label.name for label in find_all(Page.list, 'label', description='Contact name')
                  if is_on_screen(label, frame))


def count_text(frame):
    return Page.count.name


def wait_shown(frame, names, count):
    want = sorted(names)

    def ok():
        return count_text(frame) == count and shown_names(frame) == want
    if wait_for(ok):
        return True
    diag('shown: %s; count label: %r' % (shown_names(frame), count_text(frame)))
    diag('wanted: %s; %r' % (want, count))
    return False


def row_button(name):
    return find(Page.list, 'push button', name)


# --- screenshots and window size ---

def shot(name, what):
    time.sleep(SETTLE)
    result(gh.screenshot(name), 'screenshot of %s: %s' % (what, name))


# --- the data directory, filled through the real binary's HTTP API ---

def prefill(binary, data_dir):
    t0 = time.monotonic()
    token = subprocess.run([binary, '--print-token', '--data-dir', data_dir], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=10, check=True).stdout.decode().strip()
    proc = subprocess.Popen([binary, '--headless', '--data-dir', data_dir, '--dashboard-port', '0'],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    try:
        url = None
        end = time.monotonic() + START_TIMEOUT
        while url is None and time.monotonic() < end:
            line = proc.stdout.readline().decode(errors='replace')
            if not line:
                break
            found = re.search(r'dashboard: (http://\S+)', line)
            url = found.group(1) if found else None
        if url is None:
            raise RuntimeError('the headless jarchi printed no dashboard URL')
        request = urllib.request.Request(url.rstrip('/') + '/api/contacts/import', data=CSV.encode(),
                                         method='POST',
                                         headers={'Authorization': 'Bearer ' + token,
                                                  'Content-Type': 'text/csv; charset=utf-8'})
        with urllib.request.urlopen(request, timeout=10) as response:
            report = json.loads(response.read().decode())
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            status = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            status = 'killed'
    return report, status, time.monotonic() - t0


def start_app(binary, data_dir, log_name, extra_env=None):
    frame = gh.start_app(binary, ['--data-dir', data_dir, '--no-dashboard'], log_name, extra_env,
                         START_TIMEOUT)
    if frame is not None:
        gh.find_x11_window(run.app_proc.pid)
    return frame


def open_contacts(frame):
    def tab():
        return find(frame, 'page tab', 'Contacts', match=lambda a: is_on_screen(a, frame))
    contacts_tab = wait_for(tab, START_TIMEOUT)
    if contacts_tab is None:
        return False
    click(contacts_tab)
    Page.count = wait_for(lambda: find(frame, 'label', description='Number of contacts shown',
                                       match=lambda a: is_on_screen(a, frame)))
    if Page.count is None:
        return False
    Page.root = Page.count.parent
    Page.list = find(Page.root, 'list', 'Contacts')
    return Page.list is not None


def app_dial_enabled():
    """Whether the app exports an enabled app.dial (the dialer's), over org.gtk.Actions."""
    try:
        proc = subprocess.run(['gdbus', 'call', '--session', '--dest', gh.APP_ID, '--object-path',
                               gh.APP_PATH, '--method', 'org.gtk.Actions.Describe', 'dial'],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=5)
    except (OSError, subprocess.TimeoutExpired) as e:
        diag('gdbus: %s' % e)
        return False
    answer = proc.stdout.decode(errors='replace').strip()
    diag('app.dial: %s' % answer)
    return proc.returncode == 0 and answer.startswith('((true,')


# --- the test ---

def wait_for_chooser(title):
    return gh.wait_chooser(title, START_TIMEOUT, START_TIMEOUT)


def import_file(frame, work):
    """Imports CSV2 through the Import button and its file chooser; returns the report window."""
    csv_path = os.path.join(work, 'more-contacts.csv')
    with open(csv_path, 'w') as f:
        f.write(CSV2)
    click(find(Page.root, 'push button', 'Import CSV'))
    chooser = wait_for_chooser('Import Contacts')
    if chooser is None:
        return None
    # The chooser has the keyboard focus; typing a path opens its location field.
    gh.type_path(csv_path)
    report_window = wait_for(lambda: window_named('Import Report'))
    if report_window is None:
        return None

    def number(description):
        label = find(report_window, 'label', description=description)
        return label.name if label is not None else None
    if wait_for(lambda: (number('Contacts imported'), number('Contacts updated'),
                         number('Rows rejected')) == ('1', '1', '1')
                and find(report_window, 'label', 'Line 3') is not None):
        return report_window
    for w in gh.app_windows():
        dump_tree(w, 'window %r' % w.name, indent=True)
    return None


def close_report(frame, report_window, names):
    if report_window is not None:
        click(wait_for(lambda: find(report_window, 'push button', 'Close')))
    return wait_for(lambda: window_named('Import Report') is None) and \
        wait_shown(frame, names, '%d contacts' % len(names))


def narrow_shot(name, what):
    if run.x11_window:
        geometry = run.x11.geometry(run.x11_window)
        gh.resize(NARROW_WIDTH, geometry[3])
        shot(name, what)
        gh.resize(geometry[2], geometry[3], wait=False)
    else:
        result(True, 'screenshot of ' + what, skip='no X11 window to resize')


def list_run(binary, data_dir, work, started):
    """The list, search as you type, the department and district filters; 360 px."""
    # the Contacts page lists everyone
    frame = start_app(binary, data_dir, 'contacts-app.log')
    if frame is None:
        bail_out('the application window did not appear')
    result(open_contacts(frame), 'the window appears and the Contacts page opens (%.1f s)'
           % (time.monotonic() - started))
    result(wait_shown(frame, NAMES, '6 contacts'),
           'the list shows the six imported contacts, Cyrillic and Latin, and "6 contacts"')
    shot('contacts-light.png', 'the contact list')

    # search as you type
    search = find(Page.root, 'entry', 'Search contacts')
    set_text(search, 'алишер')
    result(wait_shown(frame, ['Алишер Навоий'], '1 of 6 contacts'),
           'typing "алишер" (lower case) leaves Алишер Навоий, "1 of 6 contacts"')
    set_text(search, '90 123')
    result(wait_shown(frame, ['Алишер Навоий'], '1 of 6 contacts'),
           'typing the phone digits "90 123" finds +998901234567')
    set_text(search, 'logistics')
    result(wait_shown(frame, ['John Smith', 'Maria Garcia'], '2 of 6 contacts'),
           'typing a department name, "logistics", shows its two contacts')
    set_text(search, 'nobody-here')
    no_results = wait_for(lambda: find(Page.root, 'label', 'No Results Found',
                                       match=lambda a: is_on_screen(a, frame)))
    ok = bool(no_results)
    if ok:
        click(find(Page.root, 'push button', match=lambda a: a.name.endswith('Show All Contacts')))
        ok = wait_shown(frame, NAMES, '6 contacts') and \
            wait_for(lambda: text_of(search) == '')
    result(ok, 'a search with no match says "No Results Found"; "Show All Contacts" clears it')

    # department and district filters
    try:
        gh.choose(Page.root, 'Department filter', 'Бухгалтерия')
        ok = wait_shown(frame, ['Алишер Навоий', 'Зульфия Исроилова'], '2 of 6 contacts')
    except Exception as e:
        diag(e)
        ok = False
    result(ok, 'choosing the department "Бухгалтерия" shows its two contacts')
    try:
        gh.choose(Page.root, 'District filter', 'Юнусабад')
        ok = wait_shown(frame, ['Зульфия Исроилова'], '1 of 6 contacts')
    except Exception as e:
        diag(e)
        ok = False
    result(ok, 'adding the district "Юнусабад" narrows it to Зульфия Исроилова')
    shot('contacts-filtered.png', 'the filtered list')
    try:
        gh.choose(Page.root, 'Department filter', 'All Departments')
        gh.choose(Page.root, 'District filter', 'All Districts')
        ok = wait_shown(frame, NAMES, '6 contacts')
    except Exception as e:
        diag(e)
        ok = False
    result(ok, '"All Departments" and "All Districts" show everyone again')

    # narrow window
    narrow_shot('contacts-narrow-light.png', 'the list at %d px' % NARROW_WIDTH)


def start_on_list(binary, data_dir, log_name, started):
    """The app (output to LOG_NAME) showing the six contacts on its Contacts page: a test result."""
    frame = start_app(binary, data_dir, log_name)
    if frame is None:
        bail_out('the application window did not appear')
    result(open_contacts(frame) and wait_shown(frame, NAMES, '6 contacts'),
           'the Contacts page lists the six contacts (%.1f s)' % (time.monotonic() - started))
    return frame


def edit_run(binary, data_dir, work, started):
    """The editor (add with a bad then a good phone, edit), do-not-call, the call button, delete."""
    frame = start_on_list(binary, data_dir, 'contacts-app-edit.log', started)

    # add a contact through the editor
    click(find(Page.root, 'push button', 'Add contact'))
    editor = wait_for(lambda: window_named('New Contact'))
    name_entry = editor and wait_for(lambda: find(editor, 'text', 'Name'))
    if not result(name_entry is not None, '"Add contact" opens the "New Contact" editor'):
        bail_out('no editor')
    phone_entry = find(editor, 'text', 'Phone')
    set_text(name_entry, NEW_NAME)
    set_text(phone_entry, '90 12x 45')

    def save_button():
        return find(editor, 'push button', match=lambda a: a.name.endswith('Save'))

    def problem():
        label = find(editor, 'label', description='Phone number problem')
        return label.name if label is not None and is_on_screen(label, editor) else None
    message = wait_for(problem)
    result(bool(message) and 'x' in message and 'sensitive' not in states(save_button()),
           'a bad phone number is explained under the field and Save is off: %r' % message)
    shot('contacts-editor-invalid.png', 'the editor with a bad phone number')
    set_text(phone_entry, '+998 97 111 22 33')
    set_text(find(editor, 'text', 'Department'), 'IT')
    set_text(find(editor, 'text', 'Position'), 'Tester')
    ok = wait_for(lambda: problem() is None and 'sensitive' in states(save_button()))
    result(bool(ok), 'a good phone number clears the message and turns Save on')
    click(save_button())
    closed = wait_for(lambda: window_named('New Contact') is None)
    result(bool(closed) and wait_shown(frame, sorted(NAMES + [NEW_NAME]), '7 contacts'),
           'Save closes the editor and "%s" appears in the list ("7 contacts")' % NEW_NAME)

    # edit an existing contact
    click(row_button('Edit John Smith'))
    editor = wait_for(lambda: window_named('Edit Contact'))
    name_entry = editor and wait_for(lambda: find(editor, 'text', 'Name'))
    ok = name_entry is not None and text_of(name_entry) == 'John Smith'
    if not ok:
        for w in gh.app_windows():
            dump_tree(w, 'window %r' % w.name, indent=True)
    if ok:
        set_text(find(editor, 'text', 'Position'), 'Senior Driver')
        click(find(editor, 'push button', match=lambda a: a.name.endswith('Save')))
        ok = wait_for(lambda: window_named('Edit Contact') is None and
                      find(Page.list, 'label', 'Senior Driver · Logistics · Chilonzor',
                           match=lambda a: is_on_screen(a, frame)))
    result(bool(ok), '"Edit John Smith" opens the editor filled in; a new position is saved and shown')

    # do-not-call and calling
    click(row_button('Do not call ' + NEW_NAME))
    allow = wait_for(lambda: row_button('Allow calls to ' + NEW_NAME))
    badges = [b for b in find_all(Page.list, 'label', description='On the do-not-call list')
              if is_on_screen(b, frame)]
    result(bool(allow) and len(badges) == 1,
           'the do-not-call button puts %s on the list: one "Do not call" badge' % NEW_NAME)
    shot('contacts-dnc.png', 'the list with a do-not-call badge')
    call = row_button('Call ' + NEW_NAME)
    can_dial = app_dial_enabled()
    result(call is not None and ('sensitive' in states(call)) == can_dial,
           'the call button is %s, as app.dial is %s' % (
               'on' if can_dial else 'off', 'there' if can_dial else 'missing or disabled'))

    # delete with confirmation
    click(row_button('Delete ' + NEW_NAME))
    confirm = wait_for(lambda: window_named('Delete Contact?'))
    ok = confirm is not None
    if ok:
        shot('contacts-delete.png', 'the delete confirmation')
        click(wait_for(lambda: find(confirm, 'push button', match=lambda a: a.name.endswith('Delete'))))
        ok = wait_for(lambda: window_named('Delete Contact?') is None) and \
            wait_shown(frame, NAMES, '6 contacts')
    else:
        result(False, 'screenshot of the delete confirmation (no dialog)')
    result(bool(ok), 'Delete asks "Delete Contact?"; confirming removes %s ("6 contacts")' % NEW_NAME)


def files_run(binary, data_dir, work, started):
    """CSV files through the page's buttons and the file chooser: import report, then export."""
    frame = start_on_list(binary, data_dir, 'contacts-app-files.log', started)
    search = find(Page.root, 'entry', 'Search contacts')

    # import through the file chooser and read the report
    report_window = import_file(frame, work)
    result(report_window is not None, 'importing a file through the chooser shows the report: '
           '1 imported, 1 updated, line 3 rejected')
    shot('contacts-import-report.png', 'the import report')
    names = sorted(NAMES + ['Nodira Yusupova'])
    result(close_report(frame, report_window, names),
           'after closing the report, the imported contact is listed ("7 contacts")')

    # export through the file chooser: the file holds what the page shows
    export_path = os.path.join(work, 'exported.csv')
    set_text(search, 'Бухгалтерия')
    wait_shown(frame, ['Алишер Навоий', 'Зульфия Исроилова'], '2 of 7 contacts')
    click(find(Page.root, 'push button', 'Export CSV'))
    chooser = wait_for_chooser('Export Contacts')
    exported = None
    if chooser is not None:
        # The name field has the focus with "contacts.csv" in it: select all (Ctrl+A), type a path.
        gh.type_path(export_path, replace_name=True)

        def written():
            if window_named('Export Contacts') is None and os.path.exists(export_path):
                with open(export_path, encoding='utf-8-sig') as f:
                    return f.read()
            return None
        exported = wait_for(written)
    lines = exported.strip().splitlines() if exported else []
    if not result(len(lines) == 3 and lines[0].startswith('name,phone') and
                  'Алишер Навоий' in exported and 'Зульфия Исроилова' in exported,
                  'Export CSV saves the two contacts the search shows, with a header'):
        diag('exported: %r' % exported)
    set_text(search, '')
    wait_shown(frame, names, '7 contacts')


def dark_run(binary, data_dir, work, started):
    """The dark style (ADW_DEBUG_COLOR_SCHEME): the list, the editor, the report, 360 px."""
    frame = start_app(binary, data_dir, 'contacts-app-dark.log',
                      {'ADW_DEBUG_COLOR_SCHEME': 'prefer-dark'})
    if frame is None:
        bail_out('the application window did not appear')
    result(open_contacts(frame) and wait_shown(frame, NAMES, '6 contacts'),
           'with the dark style the Contacts page lists the six contacts (%.1f s)'
           % (time.monotonic() - started))
    shot('contacts-dark.png', 'the contact list, dark')
    click(find(Page.root, 'push button', 'Add contact'))
    editor = wait_for(lambda: window_named('New Contact'))
    phone_entry = editor and wait_for(lambda: find(editor, 'text', 'Phone'))
    if phone_entry is not None:
        set_text(phone_entry, '+998 (90')
        wait_for(lambda: find(editor, 'label', description='Phone number problem'))
        shot('contacts-editor-dark.png', 'the editor, dark')
        click(find(editor, 'push button', match=lambda a: a.name.endswith('Cancel')))
    else:
        result(False, 'screenshot of the editor, dark (no editor)')
    result(wait_for(lambda: window_named('New Contact') is None), 'Cancel closes the editor')
    report_window = import_file(frame, work)
    result(report_window is not None, 'the import report opens in the dark style')
    shot('contacts-import-report-dark.png', 'the import report, dark')
    result(close_report(frame, report_window, sorted(NAMES + ['Nodira Yusupova'])),
           'closing the report shows the imported contact')
    narrow_shot('contacts-narrow-dark.png', 'the list at %d px, dark' % NARROW_WIDTH)


# Screenshots each mode makes (and removes first, so a stale one is never taken for new).
MODE_SHOTS = {
    'list': ['contacts-light.png', 'contacts-filtered.png', 'contacts-narrow-light.png'],
    'edit': ['contacts-editor-invalid.png', 'contacts-dnc.png', 'contacts-delete.png'],
    'files': ['contacts-import-report.png'],
    'dark': ['contacts-dark.png', 'contacts-editor-dark.png', 'contacts-import-report-dark.png',
             'contacts-narrow-dark.png'],
}


def main():
    mode = sys.argv[1].lstrip('-') if len(sys.argv) > 1 else 'list'
    if mode not in MODE_SHOTS:
        print('usage: %s [--edit|--files|--dark]' % sys.argv[0], file=sys.stderr)
        sys.exit(2)
    binary, started = gh.begin(DEADLINE)
    gh.remove_outputs(MODE_SHOTS[mode])
    work = tempfile.mkdtemp(prefix='jarchi-contacts-')
    data_dir = os.path.join(work, 'data')
    gh.load_x11()

    # the data directory is filled through the headless binary's import route
    try:
        report, status, took = prefill(binary, data_dir)
    except Exception as e:
        bail_out('could not prefill the data directory: %s' % e)
    rejected = report.get('rejected', [])
    if not result(report.get('imported') == 6 and len(rejected) == 1 and rejected[0].get('line') == 7
                  and status == 0,
                  'headless jarchi imports the CSV over HTTP (6 imported, line 7 rejected) and '
                  'exits 0 on SIGTERM (%.1f s)' % took):
        diag('report %r, exit status %r' % (report, status))

    runs = {'list': list_run, 'edit': edit_run, 'files': files_run, 'dark': dark_run}
    runs[mode](binary, data_dir, work, started)
    return gh.finish(started)


if __name__ == '__main__':
    gh.run_main(main)
