/* JarchiDashboardAuth: the dashboard's API token (and later its sessions), checked in constant time. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define JARCHI_TYPE_DASHBOARD_AUTH (jarchi_dashboard_auth_get_type ())
G_DECLARE_FINAL_TYPE (JarchiDashboardAuth, jarchi_dashboard_auth, JARCHI, DASHBOARD_AUTH, GObject)

JarchiDashboardAuth *jarchi_dashboard_auth_new        (const char          *data_dir,
                                                       GError             **error);
const char          *jarchi_dashboard_auth_get_token  (JarchiDashboardAuth *self);
gboolean             jarchi_dashboard_auth_check_bearer (JarchiDashboardAuth *self,
                                                       const char          *authorization);
gboolean             jarchi_secure_str_equal          (const char          *a,
                                                       const char          *b);

G_END_DECLS
