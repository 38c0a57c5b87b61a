/* JarchiDashboardAuth: the dashboard's credentials: token, password, sessions, login throttling, TLS identity. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "jarchi-login-throttle.h"
#include "jarchi-store.h"

G_BEGIN_DECLS

/* Longer passwords are refused: the limit keeps login bodies small. */
#define JARCHI_DASHBOARD_PASSWORD_MAX_BYTES 1024
#define JARCHI_DASHBOARD_SESSION_MAX_AGE    (12 * 60 * 60)

#define JARCHI_TYPE_DASHBOARD_AUTH (jarchi_dashboard_auth_get_type ())
G_DECLARE_FINAL_TYPE (JarchiDashboardAuth, jarchi_dashboard_auth, JARCHI, DASHBOARD_AUTH, GObject)

JarchiDashboardAuth *jarchi_dashboard_auth_new        (const char          *data_dir,
                                                       GError             **error);
const char          *jarchi_dashboard_auth_get_token  (JarchiDashboardAuth *self);
gboolean             jarchi_dashboard_auth_check_bearer (JarchiDashboardAuth *self,
                                                       const char          *authorization);
gboolean             jarchi_secure_str_equal          (const char          *a,
                                                       const char          *b);

/* The dashboard's own identity for HTTPS; a server made with this object serves TLS only. */
gboolean             jarchi_dashboard_auth_set_tls_files (JarchiDashboardAuth *self,
                                                       const char          *cert_file,
                                                       const char          *key_file,
                                                       GError             **error);
GTlsCertificate     *jarchi_dashboard_auth_get_tls_certificate (JarchiDashboardAuth *self);

/* Password: an Argon2id hash in DATA_DIR/dashboard-password, re-read when the file changes. */
gboolean             jarchi_dashboard_password_save   (const char          *data_dir,
                                                       const char          *password,
                                                       GError             **error);
gboolean             jarchi_dashboard_auth_has_password (JarchiDashboardAuth *self);
gboolean             jarchi_dashboard_auth_set_password (JarchiDashboardAuth *self,
                                                       const char          *password,
                                                       GError             **error);
void                 jarchi_dashboard_auth_verify_password_async  (JarchiDashboardAuth *self,
                                                                  const char          *password,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
gboolean             jarchi_dashboard_auth_verify_password_finish (JarchiDashboardAuth *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);

/* Login throttling, per client address. */
JarchiLoginVerdict   jarchi_dashboard_auth_begin_login (JarchiDashboardAuth *self,
                                                       const char          *client,
                                                       guint               *retry_after_s);
void                 jarchi_dashboard_auth_end_login  (JarchiDashboardAuth *self,
                                                       const char          *client,
                                                       gboolean             success);

/* Browser sessions: in memory, and in the store once one is set. */
gboolean             jarchi_dashboard_auth_set_store  (JarchiDashboardAuth *self,
                                                       JarchiStore         *store,
                                                       GError             **error);
char                *jarchi_dashboard_auth_create_session (JarchiDashboardAuth *self,
                                                       char               **csrf_token);
gboolean             jarchi_dashboard_auth_lookup_session (JarchiDashboardAuth *self,
                                                       const char          *session_id,
                                                       char               **csrf_token,
                                                       guint               *expires_in_s);
void                 jarchi_dashboard_auth_drop_session (JarchiDashboardAuth *self,
                                                       const char          *session_id);
guint                jarchi_dashboard_auth_get_n_sessions (JarchiDashboardAuth *self);
guint                jarchi_dashboard_auth_get_session_max_age (JarchiDashboardAuth *self);

G_END_DECLS
