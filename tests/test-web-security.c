/* Security tests of the dashboard server on loopback: auth, login, CSRF, Origin, limits, TLS, slow clients. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gstdio.h>

#include "jarchi-contacts-api.h"
#include "jarchi-error.h"
#include "jarchi-media-api.h"
#include "jarchi-web-server.h"
#include "web-test-utils.h"

#define PASSWORD "correct horse battery"

typedef struct {
  char                *dir;
  JarchiStore         *store;     /* only for the fixture with the real API routes */
  JarchiContactBook   *book;
  JarchiMediaLibrary  *library;
  guint                n_feature_calls;
  JarchiDashboardAuth *auth;
  JarchiWebServer     *server;
  SoupSession         *session;
  char                *url;
  const char          *token;
  guint                n_dropped;
} Fixture;

static void
any_method_handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path,
                    GHashTable *query, gpointer user_data)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"ok\":true}", NULL);
  jarchi_web_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
on_client_dropped (JarchiWebServer *server, gpointer user_data)
{
  ((Fixture *) user_data)->n_dropped++;
}

static void
finish_setup (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  if (f->server == NULL)
    {
      f->server = jarchi_web_server_new (f->auth);
      jarchi_web_server_add_route (f->server, "/api/echo", any_method_handler, NULL);
      g_assert_true (jarchi_web_server_listen (f->server, "127.0.0.1", 0, &error));
      g_assert_no_error (error);
    }
  g_signal_connect (f->server, "client-dropped", G_CALLBACK (on_client_dropped), f);
  f->url = jarchi_web_server_get_url (f->server);
  f->token = jarchi_dashboard_auth_get_token (f->auth);
  f->session = soup_session_new_with_options ("timeout", 60, NULL);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_unsetenv ("JARCHI_DASHBOARD_TOKEN");
  f->dir = g_dir_make_tmp ("jarchi-websec-XXXXXX", NULL);
  f->auth = jarchi_dashboard_auth_new (f->dir, &error);
  g_assert_no_error (error);
  finish_setup (f);
}

/* Registered the way every feature registers its routes; it must never be reached unauthenticated. */
static void
feature_handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path,
                 GHashTable *query, gpointer user_data)
{
  Fixture *f = user_data;

  f->n_feature_calls++;
  g_assert_nonnull (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                  "Authorization"));
  any_method_handler (server, msg, path, query, NULL);
}

/* The contacts and media APIs as the service mounts them, and stand-ins at the prefixes
 * of the features still being built (campaigns, calls, history, accounts). */
static void
api_setup (Fixture *f, gconstpointer data)
{
  static const char *const features[] = { "/api/campaigns", "/api/calls", "/api/history", "/api/accounts" };
  g_autofree char *db = NULL;
  g_autofree char *media = NULL;
  g_autoptr(GError) error = NULL;

  g_unsetenv ("JARCHI_DASHBOARD_TOKEN");
  f->dir = g_dir_make_tmp ("jarchi-websec-XXXXXX", NULL);
  db = g_build_filename (f->dir, "jarchi.db", NULL);
  media = g_build_filename (f->dir, "media", NULL);
  f->store = jarchi_store_open (db, &error);
  g_assert_no_error (error);
  f->book = jarchi_contact_book_new (f->store);
  f->library = jarchi_media_library_new (f->store, media, &error);
  g_assert_no_error (error);
  f->auth = jarchi_dashboard_auth_new (f->dir, &error);
  g_assert_no_error (error);

  f->server = jarchi_web_server_new (f->auth);
  jarchi_contacts_api_register (f->server, f->book);
  jarchi_media_api_register (f->server, f->library);
  for (gsize i = 0; i < G_N_ELEMENTS (features); i++)
    jarchi_web_server_add_route (f->server, features[i], feature_handler, f);
  g_assert_true (jarchi_web_server_listen (f->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  finish_setup (f);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->session);
  if (f->server)
    jarchi_web_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->library);
  g_clear_object (&f->book);
  g_clear_object (&f->store);
  g_clear_object (&f->auth);
  /* Let closes and finished password checks run down so nothing outlives the test. */
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->url);
}

static void
set_password (Fixture *f, const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (jarchi_dashboard_auth_set_password (f->auth, password, &error));
  g_assert_no_error (error);
}

#define REQ(...) (&(TestRequest) { __VA_ARGS__ })

static guint
http (Fixture *f, const TestRequest *request, TestResponse *response)
{
  return test_http (f->session, f->url, request, response);
}

static void
assert_security_headers (TestResponse *r)
{
  const char *csp = test_header (r, "Content-Security-Policy");

  g_assert_nonnull (csp);
  g_assert_nonnull (strstr (csp, "frame-ancestors 'none'"));
  g_assert_nonnull (strstr (csp, "script-src 'self'"));
  g_assert_null (strstr (csp, "unsafe-inline"));
  g_assert_cmpstr (test_header (r, "X-Content-Type-Options"), ==, "nosniff");
}

/* ---- authentication everywhere ---------------------------------------------------------- */

/* Real routes, stand-ins, unknown ones and near misses of the public ones. */
static const char *const api_routes[] = {
  "/api", "/api/", "/api/contacts", "/api/contacts/1", "/api/contacts/import", "/api/dnc",
  "/api/media", "/api/media/1/audio", "/api/campaigns", "/api/campaigns/1/start", "/api/calls",
  "/api/history", "/api/accounts", "/api/session", "/api/logout", "/api/no-such-route",
  "/api/health/extra", "/api/login/extra", "/ws", "/ws/extra",
};

static void
test_every_route_needs_auth (Fixture *f, gconstpointer data)
{
  static const char *const methods[] = { "GET", "POST", "DELETE", "PUT", "PATCH" };
  static const char *const wrong_cookie = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  TestResponse r = { 0 };
  guint checked = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (api_routes); i++)
    {
      const char *route = api_routes[i];

      /* Every method without credentials; PUT and PATCH on a few, as they take the same path. */
      for (gsize m = 0; m < (i < 4 ? G_N_ELEMENTS (methods) : 3); m++)
        {
          const char *body = g_str_equal (methods[m], "GET") ? NULL : "{}";
          guint status = http (f, REQ (methods[m], route, .body = body), &r);

          if (status != 401)
            g_error ("%s %s without credentials: %u", methods[m], route, status);
          assert_security_headers (&r);
          g_assert_nonnull (test_header (&r, "WWW-Authenticate"));
          checked++;
        }
      /* Wrong credentials fare no better; the right token gets past authentication. */
      g_assert_cmpuint (http (f, REQ ("GET", route, .bearer = "not-the-token-not-the-token"), NULL), ==, 401);
      g_assert_cmpuint (http (f, REQ ("GET", route, .cookie = wrong_cookie), NULL), ==, 401);
      if (!g_str_has_prefix (route, "/ws"))
        g_assert_cmpuint (http (f, REQ ("GET", route, .bearer = f->token), NULL), !=, 401);
    }
  g_test_message ("%u route/method pairs refused without credentials", checked);
  /* The stand-ins saw the requests with the token, and only those. */
  g_assert_cmpuint (f->n_feature_calls, ==, 5);

  /* The public ones stay public. */
  g_assert_cmpuint (http (f, REQ ("GET", "/api/health"), &r), ==, 200);
  g_assert_cmpuint (http (f, REQ ("GET", "/api/login"), &r), ==, 405);
  g_assert_cmpuint (http (f, REQ ("GET", "/"), &r), ==, 200);
  assert_security_headers (&r);
  test_response_clear (&r);
}

static void
test_oversized_bodies (Fixture *f, gconstpointer data)
{
  g_autofree char *big = g_strnfill (JARCHI_WEB_DEFAULT_BODY_MAX + 1, 'x');
  g_autofree char *login = g_strnfill (17 * 1024, 'x');
  g_autofree char *raw = NULL;
  g_autofree char *announce = g_strdup_printf ("POST /api/media HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                               "Authorization: Bearer %s\r\nContent-Type: audio/wav\r\n"
                                               "Content-Length: 10000000000\r\nExpect: 100-continue\r\n"
                                               "Connection: close\r\n\r\n", f->token);
  TestResponse r = { 0 };

  /* Routes without a limit of their own: the server-wide default. */
  g_assert_cmpuint (http (f, REQ ("POST", "/api/no-such-route", .bearer = f->token, .body = big), &r),
                    ==, 413);
  assert_security_headers (&r);
  /* JSON routes: contacts take 64 KiB, login 16 KiB, without authentication. */
  g_assert_cmpuint (http (f, REQ ("POST", "/api/contacts", .bearer = f->token, .body = big), &r),
                    ==, 413);
  g_assert_cmpuint (http (f, REQ ("POST", "/api/login", .body = login), &r),
                    ==, 413);

  /* An upload that only announces its size is refused before a byte of it is sent. */
  raw = test_raw_http (jarchi_web_server_get_port (f->server), announce);
  g_assert_cmpuint (test_raw_status (raw), ==, 413);
  g_assert_nonnull (strstr (raw, "frame-ancestors 'none'"));
  test_response_clear (&r);
}

/* libsoup reads a refused request's body before answering; it must read it into nothing. */
static void
test_refused_uploads_are_not_kept (Fixture *f, gconstpointer data)
{
  static const char *const paths[] = { "/api/contacts", "/api/media", "/", "/ws" };
#ifdef __SANITIZE_ADDRESS__
  const gsize size = 4 * 1024 * 1024;
#else
  const gsize size = 48 * 1024 * 1024;
#endif

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      gsize before = test_rss_kib ();
      g_autofree char *response = test_raw_upload (jarchi_web_server_get_port (f->server), paths[i], size);
      gsize after = test_rss_kib ();
      gsize growth_kib = after - MIN (before, after);

      g_test_message ("POST %s of %" G_GSIZE_FORMAT " MiB without credentials: %.12s, RSS +%"
                      G_GSIZE_FORMAT " KiB", paths[i], size >> 20, response, growth_kib);
      g_assert_true (test_raw_status (response) == 401 || test_raw_status (response) == 405);
#ifndef __SANITIZE_ADDRESS__
      /* (AddressSanitizer holds freed memory back, so only a plain build can tell.) */
      g_assert_cmpuint (growth_kib, <, 8 * 1024);
#endif
    }
}

/* ---- path traversal --------------------------------------------------------------------- */

static void
test_traversal_is_not_found (Fixture *f, gconstpointer data)
{
  static const char *const paths[] = {
    "/../../etc/passwd", "/..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E/%2E%2E/etc/passwd",
    "/.%2e/.%2e/etc/passwd", "/%252e%252e/%252e%252e/etc/passwd", "/..%252f..%252fetc%252fpasswd",
    "/%25252e%25252e/etc/passwd", "/..%5c..%5cetc%5cpasswd", "/app.js%00.html", "/index.html/..%2f..%2f",
    "/api/media/..%2f..%2fetc%2fpasswd", "/api/contacts/%2e%2e/%2e%2e/etc/passwd",
    "/api/%252e%252e/health", "/api/media/1/%2e%2e%2f%2e%2e%2faudio", "/ws/..%2f..%2f",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    for (int with_token = 0; with_token < 2; with_token++)
      {
        g_autofree char *auth = with_token ? g_strdup_printf ("Authorization: Bearer %s\r\n", f->token)
                                           : g_strdup ("");
        g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s"
                                                    "Connection: close\r\n\r\n", paths[i], auth);
        g_autofree char *response = test_raw_http (jarchi_web_server_get_port (f->server), request);

        if (test_raw_status (response) != 404)
          g_error ("GET %s (token: %d): %u", paths[i], with_token, test_raw_status (response));
        g_assert_nonnull (strstr (response, "frame-ancestors 'none'"));
        g_assert_nonnull (strstr (response, "X-Content-Type-Options: nosniff"));
        g_assert_null (strstr (response, "root:"));
      }
}

/* ---- login, sessions, cookies ----------------------------------------------------------- */

static void
test_login_without_password (Fixture *f, gconstpointer data)
{
  TestResponse r = { 0 };
  g_autofree char *error = NULL;

  g_assert_false (jarchi_dashboard_auth_has_password (f->auth));
  g_assert_cmpuint (http (f, REQ ("POST", "/api/login", .body = "{\"password\":\"x\"}"), &r), ==, 409);
  error = test_json_string (r.body, "error");
  g_assert_cmpstr (error, ==, "no_password");
  g_assert_null (test_header (&r, "Set-Cookie"));
  test_response_clear (&r);
}

static void
test_login_bad_requests (Fixture *f, gconstpointer data)
{
  set_password (f, PASSWORD);
  g_assert_cmpuint (http (f, REQ ("POST", "/api/login", .body = "not json"), NULL),
                    ==, 400);
  g_assert_cmpuint (http (f, REQ ("POST", "/api/login", .body = "{}"), NULL), ==, 400);
  g_assert_cmpuint (http (f, REQ ("POST", "/api/login", .body = "{\"password\":42}"), NULL), ==, 400);
  g_assert_cmpuint (http (f, REQ ("PUT", "/api/login", .body = "{}"), NULL), ==, 405);
}

static void
test_cookie_attributes (Fixture *f, gconstpointer data)
{
  g_autofree char *body = g_strdup_printf ("{\"password\":\"%s\"}", PASSWORD);
  g_autofree char *attributes = NULL;
  g_autofree char *cookie = NULL;
  g_autofree char *csrf = NULL;
  TestResponse r = { 0 };

  set_password (f, PASSWORD);
  g_assert_cmpuint (http (f, REQ ("POST", "/api/login", .body = body), &r), ==, 200);
  cookie = test_session_cookie (&r, &attributes);
  g_assert_nonnull (cookie);
  g_assert_cmpuint (strlen (cookie), ==, 64);
  g_test_message ("Set-Cookie attributes: %s", attributes);
  g_assert_nonnull (strstr (attributes, "; HttpOnly"));
  g_assert_nonnull (strstr (attributes, "; SameSite=Strict"));
  g_assert_nonnull (strstr (attributes, "; Path=/"));
  g_assert_nonnull (strstr (attributes, "; Max-Age=43200"));
  g_assert_null (strstr (attributes, "Secure"));
  csrf = test_json_string (r.body, "csrf_token");
  g_assert_cmpuint (strlen (csrf), ==, 64);
  g_assert_cmpstr (csrf, !=, cookie);
  g_assert_cmpstr (test_header (&r, "Cache-Control"), ==, "no-store");
  assert_security_headers (&r);
  g_assert_cmpuint (jarchi_dashboard_auth_get_n_sessions (f->auth), ==, 1);
  test_response_clear (&r);
}

static void
test_session_route (Fixture *f, gconstpointer data)
{
  g_autofree char *cookie = NULL;
  g_autofree char *csrf = NULL;
  g_autofree char *via = NULL;
  g_autofree char *reported_csrf = NULL;
  TestResponse r = { 0 };

  set_password (f, PASSWORD);
  g_assert_cmpuint (test_login (f->session, f->url, PASSWORD, &cookie, &csrf), ==, 200);

  g_assert_cmpuint (http (f, REQ ("GET", "/api/session", .cookie = cookie), &r), ==, 200);
  via = test_json_string (r.body, "via");
  reported_csrf = test_json_string (r.body, "csrf_token");
  g_assert_cmpstr (via, ==, "cookie");
  g_assert_cmpstr (reported_csrf, ==, csrf);
  g_clear_pointer (&via, g_free);
  g_clear_pointer (&reported_csrf, g_free);

  g_assert_cmpuint (http (f, REQ ("GET", "/api/session", .bearer = f->token), &r), ==, 200);
  via = test_json_string (r.body, "via");
  reported_csrf = test_json_string (r.body, "csrf_token");
  g_assert_cmpstr (via, ==, "token");
  g_assert_null (reported_csrf);
  test_response_clear (&r);
}

static void
test_csrf (Fixture *f, gconstpointer data)
{
  static const char *const changing[] = { "POST", "PUT", "PATCH", "DELETE" };
  g_autofree char *cookie = NULL;
  g_autofree char *csrf = NULL;
  g_autofree char *error = NULL;
  TestResponse r = { 0 };

  set_password (f, PASSWORD);
  g_assert_cmpuint (test_login (f->session, f->url, PASSWORD, &cookie, &csrf), ==, 200);

  g_assert_cmpuint (http (f, REQ ("GET", "/api/echo", .cookie = cookie), NULL), ==, 200);
  for (gsize i = 0; i < G_N_ELEMENTS (changing); i++)
    {
      const char *method = changing[i];

      g_assert_cmpuint (http (f, REQ (method, "/api/echo", .cookie = cookie, .body = "{}"), &r), ==, 403);
      g_clear_pointer (&error, g_free);
      error = test_json_string (r.body, "error");
      g_assert_cmpstr (error, ==, "csrf");
      assert_security_headers (&r);
      g_assert_cmpuint (http (f, REQ (method, "/api/echo", .cookie = cookie, .csrf = "0"), NULL), ==, 403);
      g_assert_cmpuint (http (f, REQ (method, "/api/echo", .cookie = cookie, .csrf = cookie), NULL), ==, 403);
      g_assert_cmpuint (http (f, REQ (method, "/api/echo", .cookie = cookie, .csrf = csrf, .body = "{}"), NULL),
                        ==, 200);
      /* Scripts with the token need no CSRF token: no browser sends it by itself. */
      g_assert_cmpuint (http (f, REQ (method, "/api/echo", .bearer = f->token, .body = "{}"), NULL), ==, 200);
    }
  test_response_clear (&r);
}

static void
test_logout (Fixture *f, gconstpointer data)
{
  g_autofree char *cookie = NULL;
  g_autofree char *csrf = NULL;
  g_autofree char *other_cookie = NULL;
  g_autofree char *other_csrf = NULL;
  g_autofree char *attributes = NULL;
  g_autofree char *cleared = NULL;
  TestResponse r = { 0 };

  set_password (f, PASSWORD);
  g_assert_cmpuint (test_login (f->session, f->url, PASSWORD, &cookie, &csrf), ==, 200);
  g_assert_cmpuint (test_login (f->session, f->url, PASSWORD, &other_cookie, &other_csrf), ==, 200);
  g_assert_cmpuint (jarchi_dashboard_auth_get_n_sessions (f->auth), ==, 2);

  /* Logging out changes state: another site must not be able to do it with the cookie alone. */
  g_assert_cmpuint (http (f, REQ ("POST", "/api/logout", .cookie = cookie), NULL), ==, 403);
  g_assert_cmpuint (http (f, REQ ("POST", "/api/logout", .cookie = cookie, .csrf = csrf), &r), ==, 200);
  cleared = test_session_cookie (&r, &attributes);
  g_assert_cmpstr (cleared, ==, "");
  g_assert_nonnull (strstr (attributes, "Max-Age=0"));

  g_assert_cmpuint (http (f, REQ ("GET", "/api/session", .cookie = cookie), NULL), ==, 401);
  g_assert_cmpuint (http (f, REQ ("POST", "/api/echo", .cookie = cookie, .csrf = csrf), NULL), ==, 401);
  /* Only that session ended. */
  g_assert_cmpuint (http (f, REQ ("GET", "/api/session", .cookie = other_cookie), NULL),
                    ==, 200);
  g_assert_cmpuint (jarchi_dashboard_auth_get_n_sessions (f->auth), ==, 1);
  test_response_clear (&r);
}

static void
test_password_change_ends_sessions (Fixture *f, gconstpointer data)
{
  g_autofree char *cookie = NULL;
  g_autoptr(GError) error = NULL;

  set_password (f, PASSWORD);
  g_assert_cmpuint (test_login (f->session, f->url, PASSWORD, &cookie, NULL), ==, 200);

  /* As `jarchi --set-dashboard-password` does from another process: only the file changes. */
  g_assert_true (jarchi_dashboard_password_save (f->dir, "a brand new one", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (http (f, REQ ("GET", "/api/session", .cookie = cookie), NULL), ==, 401);
  g_assert_cmpuint (test_login (f->session, f->url, PASSWORD, NULL, NULL), ==, 401);
  g_assert_cmpuint (test_login (f->session, f->url, "a brand new one", NULL, NULL), ==, 200);
}

typedef struct {
  gboolean login_done;
  gint64   login_at;
  gint64   health_at;
} Race;

static void
login_race_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Race *race = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, NULL);

  race->login_at = g_get_monotonic_time ();
  race->login_done = TRUE;
}

/* Argon2id takes a good fraction of a second: other requests must not wait for it. */
static void
test_login_does_not_block_server (Fixture *f, gconstpointer data)
{
  g_autofree char *uri = g_strconcat (f->url, "api/login", NULL);
  g_autoptr(SoupMessage) login = soup_message_new ("POST", uri);
  g_autofree char *body = g_strdup_printf ("{\"password\":\"%s\"}", PASSWORD);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(SoupSession) other = soup_session_new ();
  Race race = { 0 };
  gint64 start;

  set_password (f, PASSWORD);
  soup_message_set_request_body_from_bytes (login, "application/json", bytes);
  start = g_get_monotonic_time ();
  soup_session_send_and_read_async (f->session, login, G_PRIORITY_DEFAULT, NULL, login_race_done, &race);
  /* Give the login a head start so its check is surely running. */
  test_wait_for (FALSE, 0.02);
  g_assert_cmpuint (test_http (other, f->url, REQ ("GET", "/api/health"), NULL), ==, 200);
  race.health_at = g_get_monotonic_time ();
  test_wait_for (race.login_done, 30);
  g_assert_true (race.login_done);
  g_assert_cmpuint (soup_message_get_status (login), ==, 200);
  g_test_message ("health answered after %" G_GINT64_FORMAT " ms, login after %" G_GINT64_FORMAT " ms",
                  (race.health_at - start) / 1000, (race.login_at - start) / 1000);
  g_assert_cmpint (race.health_at, <, race.login_at);
}

static void
test_login_rate_limit (Fixture *f, gconstpointer data)
{
  const guint lockout_ms = 1500;
  TestResponse r = { 0 };
  g_autofree char *error = NULL;
  gint64 locked_at;
  guint64 retry_after = 0;

  g_object_set (f->auth, "login-lockout-ms", lockout_ms, NULL);
  set_password (f, PASSWORD);

  for (int i = 0; i < 5; i++)
    g_assert_cmpuint (test_login (f->session, f->url, "wrong guess", NULL, NULL), ==, 401);
  locked_at = g_get_monotonic_time ();

  g_assert_cmpuint (http (f, REQ ("POST", "/api/login", .body = "{\"password\":\"guess 6\"}"), &r), ==, 429);
  error = test_json_string (r.body, "error");
  g_assert_cmpstr (error, ==, "locked_out");
  g_assert_nonnull (test_header (&r, "Retry-After"));
  g_assert_true (g_ascii_string_to_unsigned (test_header (&r, "Retry-After"), 10, 1, 30, &retry_after, NULL));
  g_assert_cmpuint (retry_after, <=, (lockout_ms + 999) / 1000);
  assert_security_headers (&r);

  /* Even the right password waits for the lockout to end. */
  g_assert_cmpuint (test_login (f->session, f->url, PASSWORD, NULL, NULL), ==, 429);
  g_assert_cmpuint (jarchi_dashboard_auth_get_n_sessions (f->auth), ==, 0);

  test_wait_for (g_get_monotonic_time () > locked_at + lockout_ms * 1000 + 50000, 10);
  g_assert_cmpuint (test_login (f->session, f->url, PASSWORD, NULL, NULL), ==, 200);
  test_response_clear (&r);
}

/* ---- /ws Origin ------------------------------------------------------------------------- */

static void
assert_hello (TestWs *ws)
{
  g_autofree char *type = NULL;

  g_assert_no_error (ws->error);
  g_assert_nonnull (ws->conn);
  test_wait_for (ws->messages->len > 0, 10);
  g_assert_cmpuint (ws->messages->len, >, 0);
  type = test_json_string (g_ptr_array_index (ws->messages, 0), "type");
  g_assert_cmpstr (type, ==, "hello");
}

static void
test_ws_origin (Fixture *f, gconstpointer data)
{
  guint port = jarchi_web_server_get_port (f->server);
  g_autofree char *own = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autofree char *other_port = g_strdup_printf ("http://127.0.0.1:%u", port + 1);
  g_autofree char *other_name = g_strdup_printf ("http://localhost:%u", port);
  g_autofree char *other_scheme = g_strdup_printf ("https://127.0.0.1:%u", port);
  const char *refused[] = { "http://evil.example", other_port, other_name, other_scheme, "null" };
  g_autofree char *cookie = NULL;
  TestWs ws;

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_cmpuint (test_ws_connect (f->session, f->url, f->token, NULL, refused[i], &ws), ==, 403);
      g_assert_null (ws.conn);
      g_assert_nonnull (ws.error);
      test_ws_clear (&ws);
    }
  g_assert_cmpuint (jarchi_web_server_get_n_clients (f->server), ==, 0);

  /* Our own page, and a script that sends no Origin at all. */
  g_assert_cmpuint (test_ws_connect (f->session, f->url, f->token, NULL, own, &ws), ==, 101);
  assert_hello (&ws);
  test_ws_clear (&ws);
  g_assert_cmpuint (test_ws_connect (f->session, f->url, f->token, NULL, NULL, &ws), ==, 101);
  assert_hello (&ws);
  test_ws_clear (&ws);

  /* A logged-in page: the cookie is enough from our origin, and never from another. */
  set_password (f, PASSWORD);
  g_assert_cmpuint (test_login (f->session, f->url, PASSWORD, &cookie, NULL), ==, 200);
  g_assert_cmpuint (test_ws_connect (f->session, f->url, NULL, cookie, own, &ws), ==, 101);
  assert_hello (&ws);
  test_ws_clear (&ws);
  g_assert_cmpuint (test_ws_connect (f->session, f->url, NULL, cookie, "http://evil.example", &ws), ==, 403);
  test_ws_clear (&ws);
  g_assert_cmpuint (test_ws_connect (f->session, f->url, NULL, NULL, own, &ws), ==, 401);
  test_ws_clear (&ws);
}

/* ---- a client that stops reading -------------------------------------------------------- */

static void
test_slow_client_dropped (Fixture *f, gconstpointer data)
{
  enum { PAYLOAD = 64 * 1024, MAX_EVENTS = 600, AFTER = 20 };
  g_autoptr(GSocket) stalled = NULL;
  g_autofree char *pad = g_strnfill (PAYLOAD, 'x');
  gint64 worst_latency = 0;
  gint64 start = g_get_monotonic_time ();
  guint sent = 0, dropped_after = 0;
  TestWs good;

  stalled = test_stalled_ws_client (jarchi_web_server_get_port (f->server), f->token);
  g_assert_cmpuint (test_ws_connect (f->session, f->url, f->token, NULL, NULL, &good), ==, 101);
  assert_hello (&good);
  test_wait_for (jarchi_web_server_get_n_clients (f->server) == 2, 10);
  g_assert_cmpuint (jarchi_web_server_get_n_clients (f->server), ==, 2);

  /* Large events, each waited for by the reading client: the stalled one's socket fills,
   * then its queue; it is dropped and the reading one never falls behind. */
  while (sent < MAX_EVENTS && (f->n_dropped == 0 || sent < dropped_after + AFTER))
    {
      g_autofree char *text = g_strdup_printf ("{\"type\":\"bulk\",\"n\":%u,\"pad\":\"%s\"}", sent, pad);
      g_autoptr(JsonNode) event = json_from_string (text, NULL);
      gint64 t0 = g_get_monotonic_time ();

      jarchi_web_server_broadcast (f->server, event);
      sent++;
      test_wait_for (good.messages->len == sent + 1, 10);
      g_assert_cmpuint (good.messages->len, ==, sent + 1);
      worst_latency = MAX (worst_latency, g_array_index (good.arrivals, gint64, sent) - t0);
      if (f->n_dropped > 0 && dropped_after == 0)
        dropped_after = sent;
    }

  g_test_message ("stalled client dropped after %u events of %d KiB; %u events in %" G_GINT64_FORMAT
                  " ms; worst latency for the reading client %" G_GINT64_FORMAT " ms",
                  dropped_after, PAYLOAD / 1024, sent, (g_get_monotonic_time () - start) / 1000,
                  worst_latency / 1000);
  g_assert_cmpuint (f->n_dropped, ==, 1);
  g_assert_cmpuint (jarchi_web_server_get_n_clients (f->server), ==, 1);
  g_assert_false (good.closed);
  g_assert_cmpint (worst_latency, <, 2 * G_USEC_PER_SEC);

  g_socket_close (stalled, NULL);
  test_ws_clear (&good);
}

/* ---- TLS -------------------------------------------------------------------------------- */

static void
tls_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  g_unsetenv ("JARCHI_DASHBOARD_TOKEN");
  f->dir = g_dir_make_tmp ("jarchi-websec-XXXXXX", NULL);
  f->auth = jarchi_dashboard_auth_new (f->dir, &error);
  g_assert_no_error (error);
  if (!test_make_certificate (f->dir, &cert, &key))
    return;

  g_assert_false (jarchi_dashboard_auth_set_tls_files (f->auth, key, key, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (jarchi_dashboard_auth_set_tls_files (f->auth, cert, key, &error));
  g_assert_no_error (error);
  finish_setup (f);

  /* Trusting just this certificate proves it is valid for 127.0.0.1, and spares loading
   * the system's CA bundle, which is slow under AddressSanitizer. */
  database = g_tls_file_database_new (cert, &error);
  g_assert_no_error (error);
  soup_session_set_tls_database (f->session, database);
}

static void
test_tls (Fixture *f, gconstpointer data)
{
  g_autofree char *own = NULL;
  g_autofree char *attributes = NULL;
  g_autofree char *cookie = NULL;
  g_autofree char *plain_url = NULL;
  g_autofree char *body = g_strdup_printf ("{\"password\":\"%s\"}", PASSWORD);
  TestResponse r = { 0 };
  TestWs ws;

  if (f->server == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  g_assert_true (jarchi_web_server_is_tls (f->server));
  g_assert_true (g_str_has_prefix (f->url, "https://127.0.0.1:"));

  set_password (f, PASSWORD);
  g_assert_cmpuint (http (f, REQ ("POST", "/api/login", .body = body), &r), ==, 200);
  assert_security_headers (&r);
  cookie = test_session_cookie (&r, &attributes);
  g_assert_nonnull (strstr (attributes, "; Secure"));
  g_assert_nonnull (strstr (attributes, "; HttpOnly"));
  test_response_clear (&r);

#ifdef __SANITIZE_ADDRESS__
  /* With the slow malloc unwinding ./test.sh --sanitize asks for, each in-process GnuTLS
   * handshake (both ends are instrumented here) costs seconds, a minute on a loaded machine:
   * one is enough there; the plain build runs the rest. */
  g_test_message ("WSS and plain-HTTP checks run in the non-sanitized build only");
  return;
#endif

  own = g_strdup_printf ("https://127.0.0.1:%u", jarchi_web_server_get_port (f->server));
  g_assert_cmpuint (test_ws_connect (f->session, f->url, NULL, cookie, own, &ws), ==, 101);
  assert_hello (&ws);
  test_ws_clear (&ws);

  /* Plain HTTP to the TLS port gets no answer a browser would take. */
  plain_url = g_strdup_printf ("http://127.0.0.1:%u/", jarchi_web_server_get_port (f->server));
  {
    g_autoptr(SoupSession) s = soup_session_new_with_options ("timeout", 5, NULL);
    g_autofree char *uri = g_strconcat (plain_url, "api/health", NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
    TestSendResult res = { 0 };

    soup_session_send_and_read_async (s, msg, G_PRIORITY_DEFAULT, NULL, test_send_done, &res);
    test_wait_for (res.done, 10);
    g_assert_true (res.done);
    g_assert_true (res.error != NULL || soup_message_get_status (msg) != 200);
    g_clear_error (&res.error);
    g_clear_pointer (&res.body, g_bytes_unref);
  }
}

#define ADD(name, setup, test) \
  g_test_add ("/web-security/" name, Fixture, NULL, setup, test, fixture_teardown)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("every-route-needs-auth", api_setup, test_every_route_needs_auth);
  ADD ("oversized-bodies", api_setup, test_oversized_bodies);
  ADD ("refused-uploads-are-not-kept", api_setup, test_refused_uploads_are_not_kept);
  ADD ("traversal-is-not-found", api_setup, test_traversal_is_not_found);
  ADD ("login-without-password", fixture_setup, test_login_without_password);
  ADD ("login-bad-requests", fixture_setup, test_login_bad_requests);
  ADD ("cookie-attributes", fixture_setup, test_cookie_attributes);
  ADD ("session-route", fixture_setup, test_session_route);
  ADD ("csrf", fixture_setup, test_csrf);
  ADD ("logout", fixture_setup, test_logout);
  ADD ("password-change-ends-sessions", fixture_setup, test_password_change_ends_sessions);
  ADD ("login-does-not-block-server", fixture_setup, test_login_does_not_block_server);
  ADD ("login-rate-limit", fixture_setup, test_login_rate_limit);
  ADD ("ws-origin", fixture_setup, test_ws_origin);
  ADD ("slow-client-dropped", fixture_setup, test_slow_client_dropped);
  ADD ("tls", tls_setup, test_tls);

  return g_test_run ();
}
