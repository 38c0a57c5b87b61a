/* Test helpers for the real headless binary: start and stop it, call its HTTP API and read its WebSocket events on the test's main loop. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <signal.h>
#include <sys/prctl.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ws-events.h"

typedef struct {
  GSubprocess             *proc;
  GDataInputStream        *out;
  char                    *data_dir;
  char                    *url;      /* ends with "/" */
  char                    *token;
  SoupSession             *session;
  SoupWebsocketConnection *ws;
  GPtrArray               *events;   /* JsonNode, in arrival order */
} Headless;

static inline const char *
headless_binary (void)
{
  const char *b = g_getenv ("JARCHI_BINARY");

  g_assert_nonnull (b);
  return b;
}

/* The daemon must not outlive a test killed by its watchdog. */
static inline void
headless_child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static inline void
headless_print_token (Headless *h)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *out = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, headless_binary (), "--print-token",
                           "--data-dir", h->data_dir, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
  g_free (h->token);
  h->token = g_strdup (g_strstrip (out));
  g_assert_cmpuint (strlen (h->token), >=, 16);
}

/* Starts `jarchi --headless` on @data_dir with SIP and the dashboard on free ports, no sound card. */
static inline void
headless_start (Headless *h, const char *data_dir)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_free (h->data_dir);
  h->data_dir = g_strdup (data_dir);
  g_subprocess_launcher_unsetenv (launcher, "JARCHI_DASHBOARD_TOKEN");
  /* Silence from us: what a recording holds beside it comes from the peer or a played file. */
  g_subprocess_launcher_setenv (launcher, "JARCHI_AUDIOSRC", "audiotestsrc wave=silence is-live=true", TRUE);
  g_subprocess_launcher_setenv (launcher, "JARCHI_AUDIOSINK", "fakesink sync=false", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, headless_child_setup, NULL, NULL);
  h->proc = g_subprocess_launcher_spawn (launcher, &error, headless_binary (), "--headless",
                                         "--data-dir", data_dir, "--dashboard-port", "0",
                                         "--sip-port", "0", NULL);
  g_assert_no_error (error);
  h->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (h->proc));
  /* Printed once the dashboard listens; the blocking read is bounded by the test's watchdog. */
  line = g_data_input_stream_read_line_utf8 (h->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "dashboard: http://127.0.0.1:"));
  h->url = g_strdup (line + strlen ("dashboard: "));
  headless_print_token (h);
  if (h->session == NULL)
    h->session = soup_session_new_with_options ("timeout", 20, NULL);
}

static inline void
headless_wait_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), res, NULL);
  *(gboolean *) user_data = TRUE;
}

static inline void
headless_ws_close (Headless *h)
{
  if (h->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (h->ws, h);
      if (soup_websocket_connection_get_state (h->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (h->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  g_clear_object (&h->ws);
}

/* SIGTERM, then waits (bounded) for a clean exit: status 0, which under the sanitizers also
 * means no leak was found. */
static inline void
headless_stop (Headless *h)
{
  gint64 deadline;
  gboolean done = FALSE;

  headless_ws_close (h);
  if (h->proc == NULL)
    return;
  g_subprocess_send_signal (h->proc, SIGTERM);
  g_subprocess_wait_async (h->proc, NULL, headless_wait_done, &done);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!done && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (10000);
  if (!done)
    {
      g_subprocess_force_exit (h->proc);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      g_error ("jarchi did not stop within 20 s of SIGTERM");
    }
  g_assert_true (g_subprocess_get_if_exited (h->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (h->proc), ==, 0);
  g_clear_object (&h->out);
  g_clear_object (&h->proc);
  g_clear_pointer (&h->url, g_free);
}

static inline void
headless_clear (Headless *h)
{
  headless_ws_close (h);
  if (h->proc != NULL)
    {
      gboolean done = FALSE;

      g_subprocess_force_exit (h->proc);
      g_subprocess_wait_async (h->proc, NULL, headless_wait_done, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
    }
  g_clear_object (&h->out);
  g_clear_object (&h->proc);
  g_clear_object (&h->session);
  g_clear_pointer (&h->events, g_ptr_array_unref);
  g_clear_pointer (&h->data_dir, g_free);
  g_clear_pointer (&h->url, g_free);
  g_clear_pointer (&h->token, g_free);
}

/* ---- HTTP ---------------------------------------------------------------------------------- */

typedef struct {
  guint               status;
  char               *body;
  gsize               len;
  SoupMessageHeaders *headers;
} HeadlessReply;

static inline void
headless_reply_clear (HeadlessReply *r)
{
  g_clear_pointer (&r->body, g_free);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  r->status = 0;
  r->len = 0;
}

typedef struct {
  GBytes  *body;
  GError  *error;
  gboolean done;
} HeadlessSend;

static inline void
headless_send_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  HeadlessSend *s = user_data;

  s->body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &s->error);
  s->done = TRUE;
}

/* @path starts with "/"; @body (may be NULL) is sent as JSON. @with_token FALSE sends none. */
static inline guint
headless_http_full (Headless *h, const char *method, const char *path, const char *body,
                    gboolean with_token, HeadlessReply *reply)
{
  g_autofree char *uri = g_strconcat (h->url, path + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  HeadlessSend s = { 0 };
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_assert_nonnull (msg);
  if (with_token)
    {
      g_autofree char *value = g_strconcat ("Bearer ", h->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (h->session, msg, G_PRIORITY_DEFAULT, NULL, headless_send_done, &s);
  while (!s.done && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_true (s.done);
  g_assert_no_error (s.error);
  if (reply != NULL)
    {
      headless_reply_clear (reply);
      reply->status = soup_message_get_status (msg);
      /* Binary bodies (recordings) may hold NUL bytes: copy all, and terminate for text. */
      reply->len = g_bytes_get_size (s.body);
      reply->body = g_malloc (reply->len + 1);
      if (reply->len > 0)
        memcpy (reply->body, g_bytes_get_data (s.body, NULL), reply->len);
      reply->body[reply->len] = '\0';
      reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
    }
  g_bytes_unref (s.body);
  return soup_message_get_status (msg);
}

static inline guint
headless_http (Headless *h, const char *method, const char *path, const char *body, HeadlessReply *reply)
{
  return headless_http_full (h, method, path, body, TRUE, reply);
}

/* The reply's JSON object; the node is kept in @holder. */
static inline JsonObject *
headless_json (HeadlessReply *reply, JsonNode **holder)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (holder, json_node_unref);
  *holder = json_from_string (reply->body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*holder);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*holder));
  return json_node_get_object (*holder);
}

/* Asserts a 4xx {"error": @code, "message": "..."}. */
static inline void
headless_expect_error (Headless *h, const char *method, const char *path, const char *body,
                       guint status, const char *code)
{
  HeadlessReply r = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *obj;

  g_test_message ("%s %s %s", method, path, body ? body : "");
  g_assert_cmpuint (headless_http (h, method, path, body, &r), ==, status);
  obj = headless_json (&r, &node);
  if (code != NULL)
    g_assert_cmpstr (json_object_get_string_member (obj, "error"), ==, code);
  g_assert_true (json_object_has_member (obj, "message"));
  headless_reply_clear (&r);
}

/* ---- WebSocket events ---------------------------------------------------------------------- */

static inline void
headless_ws_message (SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer user_data)
{
  Headless *h = user_data;
  g_autoptr(GPtrArray) events = ws_events_split (message);

  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (h->events, json_node_ref (g_ptr_array_index (events, i)));
}

typedef struct {
  SoupWebsocketConnection *conn;
  GError                  *error;
  gboolean                 done;
} HeadlessConnect;

static inline void
headless_ws_connected (GObject *source, GAsyncResult *res, gpointer user_data)
{
  HeadlessConnect *c = user_data;

  c->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), res, &c->error);
  c->done = TRUE;
}

static inline const char *
headless_event_type (JsonNode *node)
{
  return json_object_get_string_member_with_default (json_node_get_object (node), "type", "");
}

typedef gboolean (*HeadlessEventMatch) (JsonObject *event, gconstpointer data);

/* The first event from index *@from on of @type that @match accepts (NULL: any); its index
 * + 1 goes back into *@from. Iterates the main loop up to @timeout_ms; NULL on timeout. */
static inline JsonObject *
headless_wait_event (Headless *h, guint *from, const char *type, HeadlessEventMatch match,
                     gconstpointer data, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      for (guint i = *from; i < h->events->len; i++)
        {
          JsonNode *node = g_ptr_array_index (h->events, i);

          if (g_str_equal (headless_event_type (node), type) &&
              (match == NULL || match (json_node_get_object (node), data)))
            {
              *from = i + 1;
              return json_node_get_object (node);
            }
        }
      if (g_get_monotonic_time () >= deadline)
        return NULL;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

/* Opens /ws with the token and waits for its hello. */
static inline void
headless_ws_open (Headless *h)
{
  g_autofree char *uri = g_strconcat (h->url, "ws", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", h->token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  HeadlessConnect c = { 0 };
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint from = 0;

  if (h->events == NULL)
    h->events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_ptr_array_set_size (h->events, 0);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_websocket_connect_async (h->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        headless_ws_connected, &c);
  while (!c.done && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_true (c.done);
  g_assert_no_error (c.error);
  h->ws = c.conn;
  g_signal_connect (h->ws, "message", G_CALLBACK (headless_ws_message), h);
  g_assert_nonnull (headless_wait_event (h, &from, "hello", NULL, NULL, 5000));
}
