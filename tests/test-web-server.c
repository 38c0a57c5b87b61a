/* Tests for JarchiWebServer over a real loopback socket: health, token auth, static files and /ws. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gstdio.h>

#include "jarchi-web-server.h"

typedef struct {
  char                *dir;
  JarchiDashboardAuth *auth;
  JarchiWebServer     *server;
  SoupSession         *session;
  char                *url;
} Fixture;

static void
echo_handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path,
              GHashTable *query, gpointer user_data)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"echo\":true}", NULL);
  jarchi_web_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_unsetenv ("JARCHI_DASHBOARD_TOKEN");
  f->dir = g_dir_make_tmp ("jarchi-web-XXXXXX", NULL);
  f->auth = jarchi_dashboard_auth_new (f->dir, &error);
  g_assert_no_error (error);
  f->server = jarchi_web_server_new (f->auth);
  jarchi_web_server_add_route (f->server, "/api/echo", echo_handler, NULL);
  g_assert_true (jarchi_web_server_listen (f->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (jarchi_web_server_get_port (f->server), >, 0);
  f->url = jarchi_web_server_get_url (f->server);
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *token = g_build_filename (f->dir, "dashboard-token", NULL);

  g_clear_object (&f->session);
  jarchi_web_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->auth);
  g_unlink (token);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->url);
}

typedef struct {
  GBytes *body;
  GError *error;
  gboolean done;
} SendResult;

static void
send_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  SendResult *r = user_data;
  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &r->error);
  r->done = TRUE;
}

/* Sync soup calls would block the loop the server runs on, so spin it ourselves. */
static guint
request (Fixture *f, const char *method, const char *path, const char *bearer, char **body_out,
         SoupMessage **msg_out)
{
  g_autofree char *uri = g_strconcat (f->url, path[0] == '/' ? path + 1 : path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  SendResult r = { 0 };
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint status;

  g_assert_nonnull (msg);
  if (bearer)
    {
      g_autofree char *h = g_strconcat ("Bearer ", bearer, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", h);
    }
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_done, &r);
  while (!r.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (r.done);
  g_assert_no_error (r.error);
  status = soup_message_get_status (msg);
  if (body_out)
    *body_out = g_strndup (g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body));
  if (msg_out)
    *msg_out = g_object_ref (msg);
  g_bytes_unref (r.body);
  return status;
}

static void
test_health_is_public (Fixture *f, gconstpointer data)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *obj;

  g_assert_cmpuint (request (f, "GET", "/api/health", NULL, &body, NULL), ==, 200);
  node = json_from_string (body, NULL);
  g_assert_nonnull (node);
  obj = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (obj, "version"), ==, JARCHI_VERSION);
}

static void
test_api_needs_token (Fixture *f, gconstpointer data)
{
  const char *token = jarchi_dashboard_auth_get_token (f->auth);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *wrong = g_strdup (token);

  wrong[strlen (wrong) - 1] ^= 1;

  g_assert_cmpuint (request (f, "GET", "/api/echo", NULL, &body, NULL), ==, 401);
  node = json_from_string (body, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "error"), ==, "unauthorized");

  g_assert_cmpuint (request (f, "GET", "/api/echo", wrong, NULL, NULL), ==, 401);
  g_assert_cmpuint (request (f, "POST", "/api/echo", "", NULL, NULL), ==, 401);
  g_assert_cmpuint (request (f, "GET", "/api/calls", NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (request (f, "GET", "/api/echo", token, NULL, NULL), ==, 200);
  /* Unknown routes are only revealed to authenticated callers. */
  g_assert_cmpuint (request (f, "GET", "/api/calls", token, NULL, NULL), ==, 404);
}

static void
test_static_files (Fixture *f, gconstpointer data)
{
  g_autofree char *body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SoupMessageHeaders *h;

  g_assert_cmpuint (request (f, "GET", "/", NULL, &body, &msg), ==, 200);
  g_assert_nonnull (strstr (body, "<title>Jarchi</title>"));
  h = soup_message_get_response_headers (msg);
  g_assert_nonnull (strstr (soup_message_headers_get_one (h, "Content-Security-Policy"), "frame-ancestors 'none'"));
  g_assert_cmpstr (soup_message_headers_get_one (h, "X-Content-Type-Options"), ==, "nosniff");
  g_assert_cmpstr (soup_message_headers_get_content_type (h, NULL), ==, "text/html");

  g_assert_cmpuint (request (f, "GET", "/app.js", NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (request (f, "GET", "/no-such-file.html", NULL, NULL, NULL), ==, 404);
  g_assert_cmpuint (request (f, "GET", "/%2e%2e/%2e%2e/etc/passwd", NULL, NULL, NULL), ==, 404);
  g_assert_cmpuint (request (f, "DELETE", "/index.html", NULL, NULL, NULL), ==, 405);
}

typedef struct {
  SoupWebsocketConnection *conn;
  GError *error;
  char *first_message;
  GPtrArray *all;       /* every message's text, when set */
  GArray *arrivals;     /* gint64 monotonic µs of each in all */
  gboolean done;
} WsResult;

static void
ws_message (SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer user_data)
{
  WsResult *r = user_data;
  gint64 now = g_get_monotonic_time ();

  if (r->first_message == NULL)
    r->first_message = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
  if (r->all != NULL)
    {
      g_ptr_array_add (r->all, g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
      g_array_append_val (r->arrivals, now);
    }
}

static void
ws_connected (GObject *source, GAsyncResult *res, gpointer user_data)
{
  WsResult *r = user_data;
  r->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), res, &r->error);
  if (r->conn)
    g_signal_connect (r->conn, "message", G_CALLBACK (ws_message), r);
  r->done = TRUE;
}

static void
ws_connect (Fixture *f, const char *bearer, WsResult *r)
{
  g_autofree char *uri = g_strconcat (f->url, "ws", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  if (bearer)
    {
      g_autofree char *h = g_strconcat ("Bearer ", bearer, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", h);
    }
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        ws_connected, r);
  while (!r->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (r->done);
}

static void
test_ws_hello (Fixture *f, gconstpointer data)
{
  WsResult r = { 0 };
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *event;
  gint64 before, after;

  ws_connect (f, jarchi_dashboard_auth_get_token (f->auth), &r);
  g_assert_no_error (r.error);
  while (r.first_message == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (r.first_message);
  node = json_from_string (r.first_message, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "type"), ==, "hello");
  g_assert_true (json_object_has_member (json_node_get_object (node), "ts"));
  g_assert_cmpuint (jarchi_web_server_get_n_clients (f->server), ==, 1);
  /* The session offered permessage-deflate; the server declines it (one text for all clients). */
  g_assert_null (soup_websocket_connection_get_extensions (r.conn));

  /* A broadcast reaches the connected client, stamped with the time it was handed over. */
  g_clear_pointer (&r.first_message, g_free);
  before = g_get_real_time ();
  {
    g_autoptr(JsonNode) event = json_from_string ("{\"type\":\"test\",\"n\":1}", NULL);
    jarchi_web_server_broadcast (f->server, event);
    /* The caller's node is left as it was. */
    g_assert_false (json_object_has_member (json_node_get_object (event), "ts"));
  }
  after = g_get_real_time ();
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (r.first_message == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (r.first_message);
  g_clear_pointer (&node, json_node_unref);
  node = json_from_string (r.first_message, NULL);
  g_assert_nonnull (node);
  event = json_node_get_object (node);
  g_assert_cmpuint (json_object_get_size (event), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (event, "type"), ==, "test");
  g_assert_cmpint (json_object_get_int_member (event, "n"), ==, 1);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (event, "ts")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (event, "ts"), >=, before);
  g_assert_cmpint (json_object_get_int_member (event, "ts"), <=, after);

  /* An empty object still makes valid JSON. */
  g_clear_pointer (&r.first_message, g_free);
  {
    g_autoptr(JsonNode) empty = json_from_string ("{}", NULL);
    jarchi_web_server_broadcast (f->server, empty);
  }
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (r.first_message == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (r.first_message);
  g_clear_pointer (&node, json_node_unref);
  node = json_from_string (r.first_message, NULL);
  g_assert_nonnull (node);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (node)), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "ts"), >=, after);

  soup_websocket_connection_close (r.conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (jarchi_web_server_get_n_clients (f->server) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (jarchi_web_server_get_n_clients (f->server), ==, 0);
  g_clear_object (&r.conn);
  g_free (r.first_message);
}

static JsonObject *
parse_object (const char *text, JsonNode **node)
{
  *node = json_from_string (text, NULL);
  g_assert_nonnull (*node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*node));
  return json_node_get_object (*node);
}

static void
broadcast_test_event (Fixture *f, int n)
{
  g_autofree char *text = g_strdup_printf ("{\"type\":\"test\",\"n\":%d}", n);
  g_autoptr(JsonNode) event = json_from_string (text, NULL);

  jarchi_web_server_broadcast (f->server, event);
}

/* An event right after another waits for the rest of the 20 ms and leaves in one batch with
 * those that came meanwhile, in order, each with its own time. */
static void
test_ws_batch (Fixture *f, gconstpointer data)
{
  WsResult r = { 0 };
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) batch = NULL;
  JsonObject *obj;
  JsonArray *events;
  gint64 deadline, gap;

  r.all = g_ptr_array_new_with_free_func (g_free);
  r.arrivals = g_array_new (FALSE, FALSE, sizeof (gint64));
  ws_connect (f, jarchi_dashboard_auth_get_token (f->auth), &r);
  g_assert_no_error (r.error);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (r.all->len < 1 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (r.all->len, ==, 1);   /* hello */

  broadcast_test_event (f, 1);
  broadcast_test_event (f, 2);
  broadcast_test_event (f, 3);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (r.all->len < 3 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (r.all->len, ==, 3);

  /* The first after a quiet spell goes at once, alone and unwrapped. */
  obj = parse_object (g_ptr_array_index (r.all, 1), &first);
  g_assert_cmpstr (json_object_get_string_member (obj, "type"), ==, "test");
  g_assert_cmpint (json_object_get_int_member (obj, "n"), ==, 1);

  obj = parse_object (g_ptr_array_index (r.all, 2), &batch);
  g_assert_cmpstr (json_object_get_string_member (obj, "type"), ==, "batch");
  events = json_object_get_array_member (obj, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      g_assert_cmpstr (json_object_get_string_member (event, "type"), ==, "test");
      g_assert_cmpint (json_object_get_int_member (event, "n"), ==, (gint64) i + 2);
      g_assert_cmpint (json_object_get_int_member (event, "ts"), <=, json_object_get_int_member (obj, "ts"));
    }
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (events, 0), "ts"), <=,
                   json_object_get_int_member (json_array_get_object_element (events, 1), "ts"));
  gap = g_array_index (r.arrivals, gint64, 2) - g_array_index (r.arrivals, gint64, 1);
  g_test_message ("batch arrived %" G_GINT64_FORMAT " us after the first event", gap);
  /* The server waits at least until 20 ms after the first went; the first may have taken a
   * little longer to arrive than the batch. */
  g_assert_cmpint (gap, >=, 15 * G_TIME_SPAN_MILLISECOND);

  soup_websocket_connection_close (r.conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&r.conn);
  g_free (r.first_message);
  g_ptr_array_unref (r.all);
  g_array_unref (r.arrivals);
}

static void
test_ws_needs_token (Fixture *f, gconstpointer data)
{
  WsResult r = { 0 };

  ws_connect (f, NULL, &r);
  g_assert_null (r.conn);
  g_assert_nonnull (r.error);
  g_assert_cmpuint (jarchi_web_server_get_n_clients (f->server), ==, 0);
  g_clear_error (&r.error);

  memset (&r, 0, sizeof r);
  ws_connect (f, "wrong-token-wrong-token", &r);
  g_assert_null (r.conn);
  g_assert_nonnull (r.error);
  g_clear_error (&r.error);
}

/* --- many connections at once --- */

#define N_PARALLEL 100

typedef struct {
  guint16  port;
  GSocket *sockets[N_PARALLEL];
  guint    n_connected;
  guint    n_answered;     /* "HTTP/1.1 200" with the health body */
  char    *first_failure;
  gint     connected;      /* phase 1 over */
  gint     done;           /* phase 2 over */
} Parallel;

static gboolean
read_answer (GSocket *sock, GString *answer)
{
  char buf[2048];

  for (;;)
    {
      gssize n = g_socket_receive (sock, buf, sizeof buf, NULL, NULL);
      if (n <= 0)
        break;
      g_string_append_len (answer, buf, n);
    }
  return g_str_has_prefix (answer->str, "HTTP/1.1 200") && strstr (answer->str, "\"status\":\"ok\"") != NULL;
}

/* Phase 1 connects every socket while the server's loop is not running, so all of them wait
 * in the kernel's accept queue at once; phase 2 sends a request on each and reads the answers
 * while the test's thread runs the loop. */
static gpointer
parallel_thread (gpointer data)
{
  Parallel *p = data;
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new_from_string ("127.0.0.1", p->port);
  const char *request = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

  for (guint i = 0; i < N_PARALLEL; i++)
    {
      g_autoptr(GError) error = NULL;

      p->sockets[i] = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
      /* A full accept queue drops the SYN; the kernel retries after 1 s, then 3 s. */
      g_socket_set_timeout (p->sockets[i], 3);
      if (!g_socket_connect (p->sockets[i], addr, NULL, &error))
        {
          p->first_failure = g_strdup_printf ("connection %u: %s", i + 1, error->message);
          break;
        }
      p->n_connected++;
    }
  g_atomic_int_set (&p->connected, 1);

  for (guint i = 0; i < p->n_connected; i++)
    g_socket_send (p->sockets[i], request, strlen (request), NULL, NULL);
  for (guint i = 0; i < p->n_connected; i++)
    {
      g_autoptr(GString) answer = g_string_new (NULL);

      g_socket_set_timeout (p->sockets[i], 20);
      if (read_answer (p->sockets[i], answer))
        p->n_answered++;
      else if (p->first_failure == NULL)
        p->first_failure = g_strdup_printf ("connection %u answered “%.40s”", i + 1, answer->str);
      g_socket_close (p->sockets[i], NULL);
    }
  g_atomic_int_set (&p->done, 1);
  return NULL;
}

static void
test_many_connections (Fixture *f, gconstpointer data)
{
  Parallel p = { .port = jarchi_web_server_get_port (f->server) };
  GThread *thread = g_thread_new ("parallel-http", parallel_thread, &p);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!g_atomic_int_get (&p.connected) && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  while (!g_atomic_int_get (&p.done) && g_get_monotonic_time () < deadline)
    {
      /* Not blocking: the thread's end does not wake the loop. */
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_true (g_atomic_int_get (&p.done));
  g_thread_join (thread);
  for (guint i = 0; i < N_PARALLEL; i++)
    g_clear_object (&p.sockets[i]);

  if (p.first_failure != NULL)
    g_test_message ("%s", p.first_failure);
  g_assert_cmpuint (p.n_connected, ==, N_PARALLEL);
  g_assert_cmpuint (p.n_answered, ==, N_PARALLEL);
  g_free (p.first_failure);
}

static void
test_listen_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("jarchi-web-XXXXXX", NULL);
  g_autofree char *token = g_build_filename (dir, "dashboard-token", NULL);
  g_autoptr(JarchiDashboardAuth) auth = jarchi_dashboard_auth_new (dir, NULL);
  g_autoptr(JarchiWebServer) a = jarchi_web_server_new (auth);
  g_autoptr(JarchiWebServer) b = jarchi_web_server_new (auth);
  g_autoptr(GError) error = NULL;

  g_assert_false (jarchi_web_server_listen (a, "not-an-address", 0, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (jarchi_web_server_listen (a, "127.0.0.1", 0, &error));
  g_assert_false (jarchi_web_server_listen (b, "127.0.0.1", jarchi_web_server_get_port (a), &error));
  g_assert_nonnull (error);
  jarchi_web_server_stop (a);
  g_unlink (token);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/web-server/health-is-public", Fixture, NULL, fixture_setup, test_health_is_public, fixture_teardown);
  g_test_add ("/web-server/api-needs-token", Fixture, NULL, fixture_setup, test_api_needs_token, fixture_teardown);
  g_test_add ("/web-server/static-files", Fixture, NULL, fixture_setup, test_static_files, fixture_teardown);
  g_test_add ("/web-server/ws-hello", Fixture, NULL, fixture_setup, test_ws_hello, fixture_teardown);
  g_test_add ("/web-server/ws-batch", Fixture, NULL, fixture_setup, test_ws_batch, fixture_teardown);
  g_test_add ("/web-server/ws-needs-token", Fixture, NULL, fixture_setup, test_ws_needs_token, fixture_teardown);
  g_test_add ("/web-server/many-connections", Fixture, NULL, fixture_setup, test_many_connections, fixture_teardown);
  g_test_add_func ("/web-server/listen-errors", test_listen_errors);

  return g_test_run ();
}
