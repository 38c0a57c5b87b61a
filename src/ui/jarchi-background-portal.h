/* JarchiBackgroundPortal: asks org.freedesktop.portal.Background whether Jarchi may go on running with no window. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  JARCHI_BACKGROUND_UNKNOWN,      /* not asked, no portal, or no answer yet */
  JARCHI_BACKGROUND_ALLOWED,
  JARCHI_BACKGROUND_DENIED,
} JarchiBackgroundPermission;

#define JARCHI_TYPE_BACKGROUND_PORTAL (jarchi_background_portal_get_type ())
G_DECLARE_FINAL_TYPE (JarchiBackgroundPortal, jarchi_background_portal, JARCHI, BACKGROUND_PORTAL, GObject)

/* Talks over @connection (the application's session bus connection). */
JarchiBackgroundPortal    *jarchi_background_portal_new            (GDBusConnection        *connection);
/* Sends RequestBackground (with @reason, autostart off) when Jarchi runs inside Flatpak or a
 * portal owns org.freedesktop.portal.Desktop; otherwise (or when a request is already out)
 * does nothing. The answer comes as the "permission" property. */
void                       jarchi_background_portal_request        (JarchiBackgroundPortal *self,
                                                                    const char             *reason);
JarchiBackgroundPermission jarchi_background_portal_get_permission (JarchiBackgroundPortal *self);

G_END_DECLS
