/* JarchiDashboardSessions: the dashboard's browser sessions, kept in the store so they outlive a restart. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "jarchi-store.h"

G_BEGIN_DECLS

#define JARCHI_DASHBOARD_SESSION_ID_BYTES 32

#define JARCHI_TYPE_DASHBOARD_SESSIONS (jarchi_dashboard_sessions_get_type ())
G_DECLARE_FINAL_TYPE (JarchiDashboardSessions, jarchi_dashboard_sessions, JARCHI, DASHBOARD_SESSIONS, GObject)

JarchiDashboardSessions *jarchi_dashboard_sessions_new        (guint                    max_age_s);
gboolean                 jarchi_dashboard_sessions_set_store  (JarchiDashboardSessions *self,
                                                               JarchiStore             *store,
                                                               GError                 **error);
void                     jarchi_dashboard_sessions_set_password_tag (JarchiDashboardSessions *self,
                                                               const char              *tag);
void                     jarchi_dashboard_sessions_set_max_age (JarchiDashboardSessions *self,
                                                               guint                    max_age_s);
guint                    jarchi_dashboard_sessions_get_max_age (JarchiDashboardSessions *self);
char                    *jarchi_dashboard_sessions_create     (JarchiDashboardSessions *self,
                                                               char                   **csrf_token);
gboolean                 jarchi_dashboard_sessions_lookup     (JarchiDashboardSessions *self,
                                                               const char              *session_id,
                                                               char                   **csrf_token,
                                                               guint                   *expires_in_s);
void                     jarchi_dashboard_sessions_drop       (JarchiDashboardSessions *self,
                                                               const char              *session_id);
guint                    jarchi_dashboard_sessions_get_n      (JarchiDashboardSessions *self);

G_END_DECLS
