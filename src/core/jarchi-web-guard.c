/* What every dashboard request passes before a handler sees it: credentials, CSRF token, Origin, body size, path. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-web-server-private.h"

#define REQUEST_AUTH_KEY "jarchi-web-request-auth"

/* --- credentials --- */

static void
request_auth_free (gpointer data)
{
  JarchiWebRequestAuth *auth = data;

  g_free (auth->session_id);
  g_free (auth->csrf_token);
  g_free (auth);
}

const JarchiWebRequestAuth *
jarchi_web_request_get_auth (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), REQUEST_AUTH_KEY);
}

static gboolean
is_ws_path (const char *path)
{
  return g_str_equal (path, "/ws") || g_str_has_prefix (path, "/ws/");
}

static gboolean
is_api_path (const char *path)
{
  return g_str_equal (path, "/api") || g_str_has_prefix (path, "/api/");
}

static gboolean
path_needs_auth (const char *path)
{
  if (is_ws_path (path))
    return TRUE;
  return is_api_path (path) && !g_str_equal (path, "/api/health") && !g_str_equal (path, "/api/login");
}

/* A browser sends cookies by itself, so a request that rides on one may come from another
 * site's page; only what changes state needs proof that our own page sent it. */
static gboolean
method_changes_state (SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);

  return g_strcmp0 (method, "GET") != 0 && g_strcmp0 (method, "HEAD") != 0;
}

static JarchiWebRequestAuth *
authenticate (JarchiWebServer *self, SoupServerMessage *msg)
{
  JarchiDashboardAuth *dashboard = jarchi_web_server_get_auth (self);
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *cookies;
  g_auto(GStrv) pairs = NULL;
  JarchiWebRequestAuth *auth;

  if (jarchi_dashboard_auth_check_bearer (dashboard, soup_message_headers_get_one (h, "Authorization")))
    {
      auth = g_new0 (JarchiWebRequestAuth, 1);
      auth->via = JARCHI_WEB_AUTH_TOKEN;
      return auth;
    }

  cookies = soup_message_headers_get_list (h, "Cookie");
  if (cookies == NULL)
    return NULL;
  /* Another page on the same host may have set a cookie of the same name: try each. */
  pairs = g_strsplit_set (cookies, ";,", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *pair = g_strstrip (pairs[i]);
      const char *value;
      g_autofree char *csrf_token = NULL;
      guint expires_in_s = 0;

      if (!g_str_has_prefix (pair, JARCHI_WEB_SESSION_COOKIE "="))
        continue;
      value = pair + strlen (JARCHI_WEB_SESSION_COOKIE "=");
      if (!jarchi_dashboard_auth_lookup_session (dashboard, value, &csrf_token, &expires_in_s))
        continue;
      auth = g_new0 (JarchiWebRequestAuth, 1);
      auth->via = JARCHI_WEB_AUTH_COOKIE;
      auth->session_id = g_strdup (value);
      auth->csrf_token = g_steal_pointer (&csrf_token);
      auth->expires_in_s = expires_in_s;
      return auth;
    }
  return NULL;
}

static int
port_or_default (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

/* Pages from any other origin must not open the event stream with the user's cookie.
 * "Our origin" is the scheme we serve and the Host the client addressed, so it holds for
 * whichever name or address the dashboard is reached by on the LAN. Scripts send no
 * Origin and are let through: they still need the token or a session. */
static gboolean
origin_allowed (JarchiWebServer *self, SoupServerMessage *msg)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  const char *origin = soup_message_headers_get_one (h, "Origin");
  const char *host = soup_message_headers_get_one (h, "Host");
  const char *scheme = jarchi_web_server_is_tls (self) ? "https" : "http";
  g_autofree char *own_text = NULL;
  g_autoptr(GUri) theirs = NULL;
  g_autoptr(GUri) own = NULL;

  if (origin == NULL)
    return TRUE;
  if (host == NULL || *host == '\0')
    return FALSE;

  theirs = g_uri_parse (origin, G_URI_FLAGS_NONE, NULL);
  own_text = g_strconcat (scheme, "://", host, NULL);
  own = g_uri_parse (own_text, G_URI_FLAGS_NONE, NULL);
  if (theirs == NULL || own == NULL || g_uri_get_host (theirs) == NULL || g_uri_get_host (own) == NULL)
    return FALSE;
  if (*g_uri_get_path (theirs) != '\0' && !g_str_equal (g_uri_get_path (theirs), "/"))
    return FALSE;
  return g_ascii_strcasecmp (g_uri_get_scheme (theirs), scheme) == 0
         && g_ascii_strcasecmp (g_uri_get_host (theirs), g_uri_get_host (own)) == 0
         && port_or_default (theirs) == port_or_default (own)
         && g_uri_get_userinfo (theirs) == NULL && g_uri_get_query (theirs) == NULL;
}

/* --- request body limits --- */

/* libsoup reads the whole body of a request before it answers, even of one refused from an
 * early handler: what still arrives is read and dropped, never kept, and the connection
 * ends with the answer. Otherwise anyone could make the server hold any upload in memory. */
void
jarchi_web_discard_request_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

static void
reject_too_large (SoupServerMessage *msg)
{
  jarchi_web_discard_request_body (msg);
  jarchi_web_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                          _("The request body is larger than this route accepts"));
}

typedef struct {
  goffset limit;
  goffset seen;
} BodyCount;

static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  BodyCount *count = user_data;

  if (count->seen > count->limit)
    return;
  count->seen += g_bytes_get_size (chunk);
  if (count->seen > count->limit)
    reject_too_large (msg);
}

/* A declared length over the limit is refused before the body is read (at once when the
 * client waits for "100 Continue"); a chunked body is refused as soon as it passes the limit,
 * and what still arrives of it is read and dropped. */
static void
check_body_size (JarchiWebServer *self, SoupServerMessage *msg, const char *path)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  goffset limit = jarchi_web_server_get_body_limit (self, path);
  BodyCount *count;

  if (limit < 0)
    return;
  if (soup_message_headers_get_encoding (h) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      if (soup_message_headers_get_content_length (h) > limit)
        reject_too_large (msg);
      return;
    }
  count = g_new0 (BodyCount, 1);
  count->limit = limit;
  g_signal_connect_data (msg, "got-chunk", G_CALLBACK (on_got_chunk), count,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
}

/* Runs before any body is read, so an unauthenticated upload or WebSocket upgrade goes no further. */
void
jarchi_web_guard_early_handler (SoupServer *server, SoupServerMessage *msg, const char *path,
                                GHashTable *query, gpointer user_data)
{
  JarchiWebServer *self = user_data;
  JarchiWebRequestAuth *auth;

  if (!path_needs_auth (path))
    {
      if (is_api_path (path))
        check_body_size (self, msg, path);
      return;
    }

  auth = authenticate (self, msg);
  if (auth == NULL)
    {
      jarchi_web_discard_request_body (msg);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"jarchi\"");
      jarchi_web_reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                              _("A valid dashboard token or session is required"));
      return;
    }
  g_object_set_data_full (G_OBJECT (msg), REQUEST_AUTH_KEY, auth, request_auth_free);

  if (is_ws_path (path))
    {
      if (!origin_allowed (self, msg))
        {
          jarchi_web_discard_request_body (msg);
          jarchi_web_reply_error (msg, SOUP_STATUS_FORBIDDEN, "origin",
                                  _("Pages from another origin may not open the dashboard's event stream"));
        }
      return;
    }
  if (auth->via == JARCHI_WEB_AUTH_COOKIE && method_changes_state (msg)
      && !jarchi_secure_str_equal (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                 JARCHI_WEB_CSRF_HEADER),
                                   auth->csrf_token))
    {
      jarchi_web_discard_request_body (msg);
      jarchi_web_reply_error (msg, SOUP_STATUS_FORBIDDEN, "csrf",
                              _("This request needs the session's CSRF token in X-CSRF-Token"));
      return;
    }
  check_body_size (self, msg, path);
}

/* Runs after libsoup's own checks and the early handlers, for every request. */
static void
on_got_headers (SoupServerMessage *msg, gpointer user_data)
{
  GUri *uri = soup_server_message_get_uri (msg);

  /* libsoup answers a once-encoded "../" with 400 and lets a twice-encoded one through;
   * either way it gets the same 404 as any missing file, whatever the route or credentials. */
  if (uri != NULL && !jarchi_web_path_is_safe (g_uri_get_path (uri)))
    {
      soup_message_headers_remove (soup_server_message_get_response_headers (msg), "WWW-Authenticate");
      jarchi_web_discard_request_body (msg);
      jarchi_web_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", _("No such page"));
    }
}

void
jarchi_web_guard_request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  /* Here, before anything can answer, so that errors libsoup makes up itself carry them too. */
  jarchi_web_add_security_headers (msg);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), NULL);
}
