/* The dashboard's /api/login, /api/logout and /api/session routes: password login, session cookie and CSRF token. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-api-helpers.h"
#include "jarchi-error.h"
#include "jarchi-web-server-private.h"

/* libsoup 3.2 has no name (nor reason phrase) for it. */
#define STATUS_TOO_MANY_REQUESTS 429

typedef struct {
  JarchiWebServer   *server;
  SoupServerMessage *msg;
  char              *client;
  gboolean           disconnected;
} LoginRequest;

static void
login_request_free (LoginRequest *req)
{
  g_signal_handlers_disconnect_by_data (req->msg, req);
  g_clear_object (&req->msg);
  g_clear_object (&req->server);
  g_free (req->client);
  g_free (req);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoginRequest, login_request_free)

static void
reply_retry_later (SoupServerMessage *msg, const char *error, guint retry_after_s, const char *message)
{
  g_autofree char *seconds = g_strdup_printf ("%u", retry_after_s);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", seconds);
  jarchi_web_reply_error (msg, STATUS_TOO_MANY_REQUESTS, error, message);
  soup_server_message_set_status (msg, STATUS_TOO_MANY_REQUESTS, "Too Many Requests");
}

static void
reply_no_password (SoupServerMessage *msg)
{
  jarchi_web_reply_error (msg, SOUP_STATUS_CONFLICT, "no_password",
                          _("No dashboard password is set. Set one in Jarchi's Preferences or with "
                            "“jarchi --set-dashboard-password”; until then use the API token."));
}

static void
set_session_cookie (SoupServerMessage *msg, const char *value, guint max_age, gboolean secure)
{
  /* HttpOnly keeps the id away from page scripts; SameSite=Strict keeps other sites'
   * pages from sending it; Secure whenever the dashboard is served over TLS. */
  g_autofree char *cookie = g_strdup_printf ("%s=%s; Path=/; Max-Age=%u; HttpOnly; SameSite=Strict%s",
                                             JARCHI_WEB_SESSION_COOKIE, value, max_age,
                                             secure ? "; Secure" : "");

  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie", cookie);
}

static void
reply_session (SoupServerMessage *msg, JarchiWebAuthVia via, const char *csrf_token, guint expires_in_s)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "authenticated");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "via");
  json_builder_add_string_value (b, via == JARCHI_WEB_AUTH_COOKIE ? "cookie" : "token");
  json_builder_set_member_name (b, "csrf_token");
  if (csrf_token != NULL)
    json_builder_add_string_value (b, csrf_token);
  else
    json_builder_add_null_value (b);
  if (via == JARCHI_WEB_AUTH_COOKIE)
    {
      json_builder_set_member_name (b, "expires_in");
      json_builder_add_int_value (b, expires_in_s);
    }
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  jarchi_web_reply_json (msg, SOUP_STATUS_OK, node);
}

/* The password of a {"password": "..."} body; NULL with a 400 already sent. */
static char *
read_password (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonNode *member;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_json",
                              _("The body must be a JSON object like {\"password\": \"…\"}"));
      return NULL;
    }
  member = json_object_get_member (json_node_get_object (root), "password");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING
      || *json_node_get_string (member) == '\0')
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                              _("“password” must be a non-empty string"));
      return NULL;
    }
  return g_strdup (json_node_get_string (member));
}

static void
on_login_disconnected (SoupServerMessage *msg, gpointer user_data)
{
  ((LoginRequest *) user_data)->disconnected = TRUE;
}

static void
login_verified (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(LoginRequest) req = user_data;
  JarchiDashboardAuth *auth = JARCHI_DASHBOARD_AUTH (source);
  g_autoptr(GError) error = NULL;
  gboolean ok = jarchi_dashboard_auth_verify_password_finish (auth, result, &error);

  jarchi_dashboard_auth_end_login (auth, req->client, ok);

  if (ok && !req->disconnected)
    {
      g_autofree char *csrf_token = NULL;
      g_autofree char *session_id = jarchi_dashboard_auth_create_session (auth, &csrf_token);
      guint max_age = jarchi_dashboard_auth_get_session_max_age (auth);

      set_session_cookie (req->msg, session_id, max_age, jarchi_web_server_is_tls (req->server));
      reply_session (req->msg, JARCHI_WEB_AUTH_COOKIE, csrf_token, max_age);
    }
  else if (g_error_matches (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND))
    reply_no_password (req->msg);
  else if (!ok)
    jarchi_web_reply_error (req->msg, SOUP_STATUS_UNAUTHORIZED, "wrong_password",
                            _("The password is wrong"));

  soup_server_message_unpause (req->msg);
}

static void
login_handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path,
               GHashTable *query, gpointer user_data)
{
  JarchiDashboardAuth *auth = jarchi_web_server_get_auth (server);
  g_autofree char *password = NULL;
  const char *client;
  guint retry_after_s = 0;
  LoginRequest *req;

  if (!g_str_equal (path, "/api/login"))
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", _("There is no such API route"));
      return;
    }
  if (!jarchi_api_is_method (msg, "POST"))
    {
      jarchi_api_reply_method_not_allowed (msg, "POST");
      return;
    }
  password = read_password (msg);
  if (password == NULL)
    return;
  /* The body has served its purpose; do not keep the password around with the message. */
  soup_message_body_truncate (soup_server_message_get_request_body (msg));

  if (!jarchi_dashboard_auth_has_password (auth))
    {
      reply_no_password (msg);
      return;
    }

  client = soup_server_message_get_remote_host (msg);
  switch (jarchi_dashboard_auth_begin_login (auth, client ? client : "", &retry_after_s))
    {
    case JARCHI_LOGIN_LOCKED_OUT:
      {
        g_autofree char *message =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "Too many failed logins from this address; try again in %u second",
                                        "Too many failed logins from this address; try again in %u seconds",
                                        retry_after_s),
                           retry_after_s);
        reply_retry_later (msg, "locked_out", retry_after_s, message);
      }
      return;
    case JARCHI_LOGIN_BUSY:
      reply_retry_later (msg, "busy", retry_after_s,
                         _("Another login is being checked; try again in a moment"));
      return;
    case JARCHI_LOGIN_ALLOWED:
    default:
      break;
    }

  req = g_new0 (LoginRequest, 1);
  req->server = g_object_ref (server);
  req->msg = g_object_ref (msg);
  req->client = g_strdup (client ? client : "");
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_login_disconnected), req);
  /* Argon2id takes a good fraction of a second on purpose: the check runs in a worker
   * thread and the message waits, so the server keeps answering everyone else. */
  soup_server_message_pause (msg);
  jarchi_dashboard_auth_verify_password_async (auth, password, NULL, login_verified, req);
}

static void
logout_handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path,
                GHashTable *query, gpointer user_data)
{
  const JarchiWebRequestAuth *auth = jarchi_web_request_get_auth (msg);
  g_autoptr(JsonNode) node = NULL;

  if (!g_str_equal (path, "/api/logout"))
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", _("There is no such API route"));
      return;
    }
  if (!jarchi_api_is_method (msg, "POST"))
    {
      jarchi_api_reply_method_not_allowed (msg, "POST");
      return;
    }
  if (auth != NULL && auth->via == JARCHI_WEB_AUTH_COOKIE)
    jarchi_dashboard_auth_drop_session (jarchi_web_server_get_auth (server), auth->session_id);
  set_session_cookie (msg, "", 0, jarchi_web_server_is_tls (server));
  node = json_from_string ("{\"authenticated\":false}", NULL);
  jarchi_web_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
session_handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path,
                 GHashTable *query, gpointer user_data)
{
  const JarchiWebRequestAuth *auth = jarchi_web_request_get_auth (msg);

  if (!g_str_equal (path, "/api/session"))
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", _("There is no such API route"));
      return;
    }
  if (!jarchi_api_is_method (msg, "GET") && !jarchi_api_is_method (msg, "HEAD"))
    {
      jarchi_api_reply_method_not_allowed (msg, "GET, HEAD");
      return;
    }
  g_return_if_fail (auth != NULL);
  reply_session (msg, auth->via, auth->csrf_token, auth->expires_in_s);
}

void
jarchi_web_login_register (JarchiWebServer *self)
{
  jarchi_web_server_add_route (self, "/api/login", login_handler, NULL);
  jarchi_web_server_set_body_limit (self, "/api/login", JARCHI_WEB_LOGIN_BODY_MAX);
  jarchi_web_server_add_route (self, "/api/logout", logout_handler, NULL);
  jarchi_web_server_set_body_limit (self, "/api/logout", JARCHI_WEB_LOGIN_BODY_MAX);
  jarchi_web_server_add_route (self, "/api/session", session_handler, NULL);
}
