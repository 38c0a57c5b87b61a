/* Shared by the dashboard server tests: HTTP, raw sockets, uploads, WebSockets, certificates on one main loop. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sys/socket.h>

#include "ws-events.h"

/* Iterates the default main context until @cond holds or @seconds pass. The server under
 * test runs on this same context, so blocking calls would deadlock. */
#define test_wait_for(cond, seconds)                                                      \
  G_STMT_START {                                                                          \
    gint64 test_deadline_ = g_get_monotonic_time () + (gint64) ((seconds) * G_USEC_PER_SEC); \
    while (!(cond) && g_get_monotonic_time () < test_deadline_)                           \
      if (!g_main_context_iteration (NULL, FALSE))                                        \
        g_usleep (500);                                                                   \
  } G_STMT_END

typedef struct {
  const char *method;
  const char *path;
  const char *bearer;
  const char *cookie;    /* the jarchi_session value */
  const char *csrf;
  const char *origin;
  const char *body;
} TestRequest;

typedef struct {
  guint               status;
  char               *body;
  SoupMessageHeaders *headers;
} TestResponse;

static inline void
test_response_clear (TestResponse *r)
{
  g_clear_pointer (&r->body, g_free);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  r->status = 0;
}

static inline const char *
test_header (TestResponse *r, const char *name)
{
  return r->headers ? soup_message_headers_get_one (r->headers, name) : NULL;
}

/* The tests' certificates are self-signed, made for the run. */
static inline gboolean
test_accept_any_certificate (SoupMessage *msg, GTlsCertificate *cert, GTlsCertificateFlags errors, gpointer data)
{
  return TRUE;
}

typedef struct {
  GBytes  *body;
  GError  *error;
  gboolean done;
} TestSendResult;

static inline void
test_send_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  TestSendResult *r = user_data;

  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &r->error);
  r->done = TRUE;
}

static inline void
test_add_request_headers (SoupMessage *msg, const char *bearer, const char *cookie,
                          const char *csrf, const char *origin)
{
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);

  if (bearer)
    {
      g_autofree char *value = g_strconcat ("Bearer ", bearer, NULL);
      soup_message_headers_replace (h, "Authorization", value);
    }
  if (cookie)
    {
      g_autofree char *value = g_strconcat ("jarchi_session=", cookie, NULL);
      soup_message_headers_replace (h, "Cookie", value);
    }
  if (csrf)
    soup_message_headers_replace (h, "X-CSRF-Token", csrf);
  if (origin)
    soup_message_headers_replace (h, "Origin", origin);
}

/* @base_url ends with "/"; @req->path starts with one. */
static inline guint
test_http (SoupSession *session, const char *base_url, const TestRequest *req, TestResponse *resp)
{
  g_autofree char *uri = g_strconcat (base_url, req->path + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (req->method ? req->method : "GET", uri);
  TestSendResult r = { 0 };

  g_assert_nonnull (msg);
  test_add_request_headers (msg, req->bearer, req->cookie, req->csrf, req->origin);
  if (req->body)
    {
      g_autoptr(GBytes) body = g_bytes_new (req->body, strlen (req->body));
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }
  if (g_str_has_prefix (base_url, "https:"))
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (test_accept_any_certificate), NULL);

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, test_send_done, &r);
  test_wait_for (r.done, 60);
  g_assert_true (r.done);
  g_assert_no_error (r.error);

  if (resp)
    {
      test_response_clear (resp);
      resp->status = soup_message_get_status (msg);
      resp->body = g_strndup (g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body));
      resp->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
    }
  g_bytes_unref (r.body);
  return soup_message_get_status (msg);
}

static inline char *
test_json_string (const char *body, const char *member)
{
  g_autoptr(JsonNode) node = json_from_string (body, NULL);
  JsonObject *obj;

  g_assert_nonnull (node);
  obj = json_node_get_object (node);
  if (!json_object_has_member (obj, member) || json_object_get_null_member (obj, member))
    return NULL;
  return g_strdup (json_object_get_string_member (obj, member));
}

/* The jarchi_session value of a response's Set-Cookie, or NULL. */
static inline char *
test_session_cookie (TestResponse *resp, char **attributes)
{
  const char *set_cookie = test_header (resp, "Set-Cookie");
  const char *value, *end;

  if (set_cookie == NULL || !g_str_has_prefix (set_cookie, "jarchi_session="))
    return NULL;
  value = set_cookie + strlen ("jarchi_session=");
  end = strchr (value, ';');
  if (attributes)
    *attributes = g_strdup (end ? end : "");
  return end ? g_strndup (value, end - value) : g_strdup (value);
}

static inline guint
test_login (SoupSession *session, const char *base_url, const char *password,
            char **cookie, char **csrf)
{
  g_autofree char *body = g_strdup_printf ("{\"password\": \"%s\"}", password);
  TestResponse resp = { 0 };
  guint status = test_http (session, base_url,
                            &(TestRequest) { .method = "POST", .path = "/api/login", .body = body }, &resp);

  if (status == SOUP_STATUS_OK)
    {
      if (cookie)
        *cookie = test_session_cookie (&resp, NULL);
      if (csrf)
        *csrf = test_json_string (resp.body, "csrf_token");
    }
  test_response_clear (&resp);
  return status;
}

/* ---- raw HTTP, for paths and headers a client library would tidy up ---------------------- */

typedef struct {
  guint16  port;
  char    *request;
  GString *response;
  gint     done;
} TestRawExchange;

/* Blocking I/O in a thread of its own while the test's thread runs the server's loop. */
static inline gpointer
test_raw_thread (gpointer data)
{
  TestRawExchange *x = data;
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new_from_string ("127.0.0.1", x->port);
  gsize sent = 0, len = strlen (x->request);
  char buf[4096];

  g_socket_set_timeout (sock, 20);
  if (g_socket_connect (sock, addr, NULL, NULL))
    {
      while (sent < len)
        {
          gssize n = g_socket_send (sock, x->request + sent, len - sent, NULL, NULL);
          if (n <= 0)
            break;
          sent += n;
        }
      for (;;)
        {
          gssize n = g_socket_receive (sock, buf, sizeof buf, NULL, NULL);
          if (n <= 0)
            break;
          g_string_append_len (x->response, buf, n);
        }
    }
  g_atomic_int_set (&x->done, 1);
  return NULL;
}

/* Sends @request as is and returns everything the server answers until it closes. */
static inline char *
test_raw_http (guint16 port, const char *request)
{
  TestRawExchange x = { port, g_strdup (request), g_string_new (NULL), 0 };
  GThread *thread = g_thread_new ("raw-http", test_raw_thread, &x);

  test_wait_for (g_atomic_int_get (&x.done), 30);
  g_thread_join (thread);
  g_free (x.request);
  return g_string_free (x.response, FALSE);
}

static inline guint
test_raw_status (const char *response)
{
  char digits[4] = { 0 };
  guint64 status = 0;

  if (g_str_has_prefix (response, "HTTP/1.1 ") || g_str_has_prefix (response, "HTTP/1.0 "))
    {
      memcpy (digits, response + 9, 3);
      g_ascii_string_to_unsigned (digits, 10, 100, 599, &status, NULL);
    }
  return (guint) status;
}

/* ---- WebSocket client ------------------------------------------------------------------- */

typedef struct {
  SoupWebsocketConnection *conn;
  SoupMessage             *msg;
  GError                  *error;
  GPtrArray               *messages;   /* char *, in arrival order */
  GArray                  *arrivals;   /* gint64 monotonic µs, one per message */
  gboolean                 done;
  gboolean                 closed;
} TestWs;

static inline void
test_ws_message (SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer user_data)
{
  TestWs *ws = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) events = ws_events_split (message);

  for (guint i = 0; i < events->len; i++)
    {
      g_ptr_array_add (ws->messages, json_to_string (g_ptr_array_index (events, i), FALSE));
      g_array_append_val (ws->arrivals, now);
    }
}

static inline void
test_ws_closed (SoupWebsocketConnection *conn, gpointer user_data)
{
  ((TestWs *) user_data)->closed = TRUE;
}

static inline void
test_ws_connected (GObject *source, GAsyncResult *res, gpointer user_data)
{
  TestWs *ws = user_data;

  ws->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), res, &ws->error);
  if (ws->conn)
    {
      g_signal_connect (ws->conn, "message", G_CALLBACK (test_ws_message), ws);
      g_signal_connect (ws->conn, "closed", G_CALLBACK (test_ws_closed), ws);
    }
  ws->done = TRUE;
}

/* Returns the handshake's HTTP status (101 when it worked). */
static inline guint
test_ws_connect (SoupSession *session, const char *base_url, const char *bearer, const char *cookie,
                 const char *origin, TestWs *ws)
{
  g_autofree char *uri = g_strconcat (base_url, "ws", NULL);

  memset (ws, 0, sizeof *ws);
  ws->messages = g_ptr_array_new_with_free_func (g_free);
  ws->arrivals = g_array_new (FALSE, FALSE, sizeof (gint64));
  ws->msg = soup_message_new ("GET", uri);
  test_add_request_headers (ws->msg, bearer, cookie, NULL, NULL);
  if (g_str_has_prefix (base_url, "https:"))
    g_signal_connect (ws->msg, "accept-certificate", G_CALLBACK (test_accept_any_certificate), NULL);
  soup_session_websocket_connect_async (session, ws->msg, origin, NULL, G_PRIORITY_DEFAULT, NULL,
                                        test_ws_connected, ws);
  test_wait_for (ws->done, 60);
  g_assert_true (ws->done);
  return soup_message_get_status (ws->msg);
}

static inline void
test_ws_clear (TestWs *ws)
{
  if (ws->conn)
    {
      g_signal_handlers_disconnect_by_data (ws->conn, ws);
      if (soup_websocket_connection_get_state (ws->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (ws->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  g_clear_object (&ws->conn);
  g_clear_object (&ws->msg);
  g_clear_error (&ws->error);
  g_clear_pointer (&ws->messages, g_ptr_array_unref);
  g_clear_pointer (&ws->arrivals, g_array_unref);
}

/* ---- big uploads ------------------------------------------------------------------------ */

typedef struct {
  guint16     port;
  const char *path;
  gsize       size;
  GString    *response;
  gint        done;
} TestUpload;

/* Streams from one fixed buffer, so the test process itself stays small. */
static inline gpointer
test_upload_thread (gpointer data)
{
  TestUpload *u = data;
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new_from_string ("127.0.0.1", u->port);
  g_autofree char *head = g_strdup_printf ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", u->path, u->size);
  g_autofree char *chunk = g_strnfill (64 * 1024, 'x');
  char buf[1024];
  gssize n;

  g_socket_set_timeout (sock, 30);
  if (g_socket_connect (sock, addr, NULL, NULL) && g_socket_send (sock, head, strlen (head), NULL, NULL) > 0)
    {
      for (gsize sent = 0; sent < u->size; sent += n)
        if ((n = g_socket_send (sock, chunk, MIN (64 * 1024, u->size - sent), NULL, NULL)) <= 0)
          break;
      while ((n = g_socket_receive (sock, buf, sizeof buf, NULL, NULL)) > 0)
        g_string_append_len (u->response, buf, n);
    }
  g_atomic_int_set (&u->done, 1);
  return NULL;
}

/* POSTs @size bytes to @path, with no credentials, and returns the whole answer. */
static inline char *
test_raw_upload (guint16 port, const char *path, gsize size)
{
  TestUpload u = { port, path, size, g_string_new (NULL), 0 };
  GThread *thread = g_thread_new ("upload", test_upload_thread, &u);

  test_wait_for (g_atomic_int_get (&u.done), 60);
  g_thread_join (thread);
  return g_string_free (u.response, FALSE);
}

static inline gsize
test_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return (gsize) g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

/* ---- a WebSocket peer that stops reading ------------------------------------------------ */

/* Completes the handshake on /ws and then never reads again, with a receive buffer as
 * small as the kernel allows so that it fills quickly. */
static inline GSocket *
test_stalled_ws_client (guint16 port, const char *token)
{
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  g_autofree char *request = g_strdup_printf ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                                              "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                              "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer %s\r\n\r\n",
                                              port, token);
  g_autoptr(GString) response = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gssize len = (gssize) strlen (request);

  g_assert_true (g_socket_set_option (sock, SOL_SOCKET, SO_RCVBUF, 2048, &error));
  g_assert_true (g_socket_connect (sock, addr, NULL, &error));
  g_assert_cmpint (g_socket_send (sock, request, len, NULL, &error), ==, len);
  g_socket_set_blocking (sock, FALSE);
  /* The 101 answer, one byte at a time so that not a byte of what follows is taken. */
  while (strstr (response->str, "\r\n\r\n") == NULL)
    {
      char c;

      test_wait_for (g_socket_condition_check (sock, G_IO_IN) != 0, 10);
      g_assert_cmpint (g_socket_receive (sock, &c, 1, NULL, NULL), ==, 1);
      g_string_append_c (response, c);
    }
  g_assert_true (g_str_has_prefix (response->str, "HTTP/1.1 101"));
  return g_steal_pointer (&sock);
}

/* ---- TLS -------------------------------------------------------------------------------- */

/* A self-signed certificate for 127.0.0.1 in @dir; FALSE when openssl is not installed. */
static inline gboolean
test_make_certificate (const char *dir, char **cert, char **key)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (openssl == NULL)
    return FALSE;
  *cert = g_build_filename (dir, "cert.pem", NULL);
  *key = g_build_filename (dir, "key.pem", NULL);
  {
    const char *argv[] = { openssl, "req", "-x509", "-newkey", "ec",
                           "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                           "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                           "-keyout", *key, "-out", *cert, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                                 G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, &error));
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return TRUE;
}
