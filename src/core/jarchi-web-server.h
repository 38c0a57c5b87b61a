/* JarchiWebServer: the dashboard's HTTP + WebSocket server (libsoup 3). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "jarchi-dashboard-auth.h"

G_BEGIN_DECLS

/* Request bodies under /api larger than this get 413, unless a route sets its own limit. */
#define JARCHI_WEB_DEFAULT_BODY_MAX ((goffset) 1024 * 1024)

#define JARCHI_TYPE_WEB_SERVER (jarchi_web_server_get_type ())
G_DECLARE_FINAL_TYPE (JarchiWebServer, jarchi_web_server, JARCHI, WEB_SERVER, GObject)

/* Called for requests under a registered /api prefix, after authentication. */
typedef void (*JarchiWebHandler) (JarchiWebServer   *server,
                                  SoupServerMessage *msg,
                                  const char        *path,
                                  GHashTable        *query,
                                  gpointer           user_data);

JarchiWebServer *jarchi_web_server_new          (JarchiDashboardAuth *auth);
gboolean         jarchi_web_server_is_tls       (JarchiWebServer     *self);
gboolean         jarchi_web_server_listen       (JarchiWebServer     *self,
                                                 const char          *address,
                                                 guint                port,
                                                 GError             **error);
char            *jarchi_web_server_get_url      (JarchiWebServer     *self);
guint            jarchi_web_server_get_port     (JarchiWebServer     *self);
void             jarchi_web_server_add_route    (JarchiWebServer     *self,
                                                 const char          *prefix,
                                                 JarchiWebHandler     handler,
                                                 gpointer             user_data);
void             jarchi_web_server_set_body_limit (JarchiWebServer   *self,
                                                 const char          *prefix,
                                                 goffset              max_bytes);
guint            jarchi_web_server_get_n_clients (JarchiWebServer    *self);
void             jarchi_web_server_broadcast    (JarchiWebServer     *self,
                                                 JsonNode            *message);
void             jarchi_web_server_stop         (JarchiWebServer     *self);

void             jarchi_web_reply_json          (SoupServerMessage   *msg,
                                                 guint                status,
                                                 JsonNode            *node);
void             jarchi_web_reply_error         (SoupServerMessage   *msg,
                                                 guint                status,
                                                 const char          *error,
                                                 const char          *message);

G_END_DECLS
