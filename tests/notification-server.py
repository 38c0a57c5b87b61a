#!/usr/bin/python3
# Jarchi: a stand-in desktop notification server for GUI tests (org.freedesktop.Notifications on the session bus).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: notification-server.py LOG
#
# Owns org.freedesktop.Notifications on the session bus (run it under the test's private
# dbus-run-session), answers Notify with increasing ids and appends one JSON object per line
# to LOG for every call: {"event": "notify", "id", "app_name", "summary", "body", "actions",
# "hints"} and {"event": "close", "id"}. The test presses a notification's button by calling
# io.github.jarchi.Test.Notifications.InvokeAction(u id, s action_key) on /org/freedesktop/
# Notifications: the server emits ActionInvoked itself, because GLib only listens to signals
# from the owner of org.freedesktop.Notifications, then closes the notification (unless it is
# resident) as the specification says a server does. Prints "ready" on stdout once the name is
# owned; exits on SIGTERM/SIGINT or when the bus goes away.

import json
import signal
import sys

from gi.repository import Gio, GLib

NAME = 'org.freedesktop.Notifications'
PATH = '/org/freedesktop/Notifications'
XML = '''
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <method name="Notify">
      <arg type="s" name="app_name" direction="in"/><arg type="u" name="replaces_id" direction="in"/>
      <arg type="s" name="app_icon" direction="in"/><arg type="s" name="summary" direction="in"/>
      <arg type="s" name="body" direction="in"/><arg type="as" name="actions" direction="in"/>
      <arg type="a{sv}" name="hints" direction="in"/><arg type="i" name="expire_timeout" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" name="id" direction="in"/></method>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
  </interface>
  <interface name="io.github.jarchi.Test.Notifications">
    <method name="InvokeAction"><arg type="u" name="id" direction="in"/><arg type="s" name="key" direction="in"/></method>
  </interface>
</node>
'''


class Server:
    def __init__(self, log_path):
        self.log = open(log_path, 'a', buffering=1)
        self.next_id = 1
        self.resident = {}
        self.loop = GLib.MainLoop()
        self.connection = None

    def record(self, **event):
        self.log.write(json.dumps(event, default=str) + '\n')

    def emit(self, name, args):
        self.connection.emit_signal(None, PATH, NAME, name, args)

    def on_call(self, connection, sender, path, interface, method, params, invocation):
        if method == 'GetCapabilities':
            invocation.return_value(GLib.Variant('(as)', (['actions', 'body', 'persistence'],)))
        elif method == 'GetServerInformation':
            invocation.return_value(GLib.Variant('(ssss)', ('jarchi-test', 'Jarchi', '1', '1.2')))
        elif method == 'Notify':
            app_name, replaces_id, icon, summary, body, actions, hints, timeout = params.unpack()
            nid = replaces_id or self.next_id
            if not replaces_id:
                self.next_id += 1
            self.record(event='notify', id=nid, sender=sender, app_name=app_name, icon=icon,
                        summary=summary, body=body, actions=actions,
                        hints={k: v for k, v in hints.items() if k != 'image-data'},
                        expire_timeout=timeout)
            self.resident[nid] = bool(hints.get('resident'))
            invocation.return_value(GLib.Variant('(u)', (nid,)))
        elif method == 'CloseNotification':
            (nid,) = params.unpack()
            self.record(event='close', id=nid, sender=sender)
            invocation.return_value(None)
            self.emit('NotificationClosed', GLib.Variant('(uu)', (nid, 3)))
        elif method == 'InvokeAction':
            # as the specification has servers do: the notification closes after an action
            # (reason 2, dismissed by the user), unless it has the "resident" hint
            nid, key = params.unpack()
            self.record(event='invoke', id=nid, key=key)
            self.emit('ActionInvoked', GLib.Variant('(us)', (nid, key)))
            if not self.resident.get(nid):
                self.emit('NotificationClosed', GLib.Variant('(uu)', (nid, 2)))
            invocation.return_value(None)

    def on_bus(self, connection, name):
        self.connection = connection
        node = Gio.DBusNodeInfo.new_for_xml(XML)
        for iface in node.interfaces:
            connection.register_object(PATH, iface, self.on_call, None, None)

    def on_name(self, connection, name):
        print('ready', flush=True)

    def on_lost(self, connection, name):
        print('lost the name %s' % name, file=sys.stderr, flush=True)
        self.loop.quit()

    def run(self):
        Gio.bus_own_name(Gio.BusType.SESSION, NAME, Gio.BusNameOwnerFlags.DO_NOT_QUEUE,
                         self.on_bus, self.on_name, self.on_lost)
        for signum in (signal.SIGTERM, signal.SIGINT):
            GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signum, self.loop.quit)
        self.loop.run()


if __name__ == '__main__':
    if len(sys.argv) != 2:
        print('usage: %s LOG' % sys.argv[0], file=sys.stderr)
        sys.exit(2)
    Server(sys.argv[1]).run()
