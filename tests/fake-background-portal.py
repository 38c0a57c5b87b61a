#!/usr/bin/python3
# Jarchi: a stand-in org.freedesktop.portal.Background for GUI tests, recording each RequestBackground.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: fake-background-portal.py LOG allow|deny
#
# A real portal (xdg-desktop-portal with a desktop back end) needs a full desktop session that
# cannot run under the tests' Xvfb, so this small server owns org.freedesktop.portal.Desktop on
# the test's private session bus instead. It appends one JSON object per RequestBackground call
# to LOG ({"sender", "parent_window", "options"}), returns the request handle the portal
# documentation prescribes (/org/freedesktop/portal/desktop/request/SENDER/TOKEN) and then emits
# org.freedesktop.portal.Request.Response on it: 0 with background=true ("allow") or 0 with
# background=false ("deny", what xdg-desktop-portal answers when the user said no). Prints
# "ready" once the name is owned; exits on SIGTERM/SIGINT.

import json
import signal
import sys

from gi.repository import Gio, GLib

NAME = 'org.freedesktop.portal.Desktop'
PATH = '/org/freedesktop/portal/desktop'
XML = '''
<node>
  <interface name="org.freedesktop.portal.Background">
    <method name="RequestBackground">
      <arg type="s" name="parent_window" direction="in"/>
      <arg type="a{sv}" name="options" direction="in"/>
      <arg type="o" name="handle" direction="out"/>
    </method>
    <property name="version" type="u" access="read"/>
  </interface>
</node>
'''


class Portal:
    def __init__(self, log_path, allow):
        self.log = open(log_path, 'a', buffering=1)
        self.allow = allow
        self.loop = GLib.MainLoop()

    def on_call(self, connection, sender, path, interface, method, params, invocation):
        parent, options = params.unpack()
        self.log.write(json.dumps({'sender': sender, 'parent_window': parent, 'options': options},
                                  default=str) + '\n')
        token = options.get('handle_token', 't')
        handle = '%s/request/%s/%s' % (PATH, sender[1:].replace('.', '_'), token)
        invocation.return_value(GLib.Variant('(o)', (handle,)))
        results = {'background': GLib.Variant('b', self.allow), 'autostart': GLib.Variant('b', False)}
        connection.emit_signal(sender, handle, 'org.freedesktop.portal.Request', 'Response',
                               GLib.Variant('(ua{sv})', (0, results)))

    def on_property(self, connection, sender, path, interface, name):
        return GLib.Variant('u', 1)

    def on_bus(self, connection, name):
        node = Gio.DBusNodeInfo.new_for_xml(XML)
        connection.register_object(PATH, node.interfaces[0], self.on_call, self.on_property, None)

    def run(self):
        Gio.bus_own_name(Gio.BusType.SESSION, NAME, Gio.BusNameOwnerFlags.DO_NOT_QUEUE, self.on_bus,
                         lambda c, n: print('ready', flush=True), lambda c, n: self.loop.quit())
        for signum in (signal.SIGTERM, signal.SIGINT):
            GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signum, self.loop.quit)
        self.loop.run()


if __name__ == '__main__':
    if len(sys.argv) != 3 or sys.argv[2] not in ('allow', 'deny'):
        print('usage: %s LOG allow|deny' % sys.argv[0], file=sys.stderr)
        sys.exit(2)
    Portal(sys.argv[1], sys.argv[2] == 'allow').run()
