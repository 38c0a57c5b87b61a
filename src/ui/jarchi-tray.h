/* JarchiTray: Jarchi's tray icon, a StatusNotifierItem with a dbusmenu, exported over the app's own D-Bus connection. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "jarchi-call-manager.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_TRAY (jarchi_tray_get_type ())
G_DECLARE_FINAL_TYPE (JarchiTray, jarchi_tray, JARCHI, TRAY, GObject)

/* Exports the item on @app's session bus connection and registers it with the
 * org.kde.StatusNotifierWatcher whenever one appears (again). @manager and @campaigns (a
 * GListModel of JarchiCampaign) may be NULL.  The menu's Do Not Disturb is a checkmark bound
 * to @app's stateful boolean action "do-not-disturb", when it has one. */
JarchiTray *jarchi_tray_new            (GtkApplication    *app,
                                        JarchiCallManager *manager,
                                        GListModel        *campaigns);
/* Whether a watcher took the item: only then does a tray show it. */
gboolean    jarchi_tray_get_registered (JarchiTray        *self);
/* "idle", "ringing", "in-call" or "campaign" (one running, no call here). */
const char *jarchi_tray_get_status     (JarchiTray        *self);
guint       jarchi_tray_get_n_missed   (JarchiTray        *self);

G_END_DECLS
