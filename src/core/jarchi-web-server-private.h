/* Internals shared by the dashboard server's modules: request guard, static files, login routes, WebSocket clients. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-web-server.h"

G_BEGIN_DECLS

#define JARCHI_WEB_SESSION_COOKIE "jarchi_session"
#define JARCHI_WEB_CSRF_HEADER    "X-CSRF-Token"
/* Login bodies hold one password (at most 1 KiB, maybe \u-escaped) and nothing else. */
#define JARCHI_WEB_LOGIN_BODY_MAX ((goffset) 16 * 1024)

typedef enum {
  JARCHI_WEB_AUTH_TOKEN,
  JARCHI_WEB_AUTH_COOKIE,
} JarchiWebAuthVia;

/* How an authenticated request proved itself; attached to the message by the early handler. */
typedef struct {
  JarchiWebAuthVia  via;
  char             *session_id;   /* cookie only */
  char             *csrf_token;   /* cookie only */
  guint             expires_in_s; /* cookie only */
} JarchiWebRequestAuth;

JarchiDashboardAuth        *jarchi_web_server_get_auth       (JarchiWebServer   *self);
/* The limit of the longest prefix with one that @path is under, or -1. */
goffset                     jarchi_web_server_get_body_limit (JarchiWebServer   *self,
                                                              const char        *path);

/* jarchi-web-guard.c */
const JarchiWebRequestAuth *jarchi_web_request_get_auth      (SoupServerMessage *msg);
void                        jarchi_web_discard_request_body  (SoupServerMessage *msg);
/* The early handler of every /api route and of /ws; @user_data is the JarchiWebServer. */
void                        jarchi_web_guard_early_handler   (SoupServer        *server,
                                                              SoupServerMessage *msg,
                                                              const char        *path,
                                                              GHashTable        *query,
                                                              gpointer           user_data);
/* For SoupServer::request-started. */
void                        jarchi_web_guard_request_started (SoupServer        *server,
                                                              SoupServerMessage *msg,
                                                              gpointer           user_data);

/* jarchi-web-static.c */
void     jarchi_web_add_security_headers (SoupServerMessage *msg);
gboolean jarchi_web_path_is_safe         (const char        *path);
void     jarchi_web_static_early_handler (SoupServer        *server,
                                          SoupServerMessage *msg,
                                          const char        *path,
                                          GHashTable        *query,
                                          gpointer           user_data);
void     jarchi_web_static_handler       (SoupServer        *server,
                                          SoupServerMessage *msg,
                                          const char        *path,
                                          GHashTable        *query,
                                          gpointer           user_data);

/* jarchi-web-login.c */
void     jarchi_web_login_register       (JarchiWebServer   *self);

/* jarchi-web-client.c: one WebSocket peer with a bounded queue of messages not yet written. */
typedef struct _JarchiWebClient JarchiWebClient;

JarchiWebClient         *jarchi_web_client_new            (SoupWebsocketConnection *conn);
void                     jarchi_web_client_free           (JarchiWebClient         *client);
SoupWebsocketConnection *jarchi_web_client_get_connection (JarchiWebClient         *client);
/* Queues @message, which carries @n_events events; FALSE when the client is too far behind:
 * more than @max_events events or @max_bytes wait. */
gboolean                 jarchi_web_client_send           (JarchiWebClient         *client,
                                                           GBytes                  *message,
                                                           guint                    n_events,
                                                           guint                    max_events,
                                                           gsize                    max_bytes);
guint                    jarchi_web_client_get_n_pending  (JarchiWebClient         *client);
void                     jarchi_web_client_discard        (JarchiWebClient         *client);

G_END_DECLS
