/* Tests for /api/campaigns over a real loopback socket: CRUD, state actions and 409s, targets paging, report.csv and WebSocket events. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "campaign-test-utils.h"
#include "jarchi-campaign-api.h"
#include "ws-events.h"

typedef struct {
  char                 *dir;
  JarchiStore          *store;
  JarchiCampaignStore  *campaigns;
  JarchiCampaignRunner *runner;
  FakeDialer           *dialer;
  JarchiMediaLibrary   *library;
  JarchiDashboardAuth  *auth;
  JarchiWebServer      *server;
  SoupSession          *session;
  char                 *url;
  const char           *token;
  SoupWebsocketConnection *ws;
  GPtrArray            *events;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  g_unsetenv ("JARCHI_DASHBOARD_TOKEN");
  f->dir = g_dir_make_tmp ("jarchi-campaign-api-XXXXXX", NULL);
  db = g_build_filename (f->dir, "jarchi.db", NULL);
  f->store = jarchi_store_open (db, &error);
  g_assert_no_error (error);
  test_seed (f->store, 10);
  f->campaigns = jarchi_campaign_store_new (f->store, &error);
  f->runner = jarchi_campaign_runner_new (f->campaigns);
  f->dialer = g_object_new (FAKE_TYPE_DIALER, NULL);
  jarchi_campaign_runner_set_dialer (f->runner, JARCHI_CAMPAIGN_DIALER (f->dialer));
  f->auth = jarchi_dashboard_auth_new (f->dir, &error);
  g_assert_no_error (error);
  f->token = jarchi_dashboard_auth_get_token (f->auth);
  f->server = jarchi_web_server_new (f->auth);
  /* with data: a real media library, to speak text messages */
  if (data)
    {
      g_autofree char *media_dir = g_build_filename (f->dir, "media", NULL);

      f->library = jarchi_media_library_new (f->store, media_dir, &error);
      g_assert_no_error (error);
    }
  g_assert_nonnull (jarchi_campaign_api_register (f->server, f->runner, f->library));
  g_assert_true (jarchi_web_server_listen (f->server, "127.0.0.1", 0, &error));
  f->url = jarchi_web_server_get_url (f->server);
  f->session = soup_session_new ();
  f->events = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->ws)
    {
      g_signal_handlers_disconnect_by_data (f->ws, f);
      soup_websocket_connection_close (f->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&f->ws);
    }
  g_clear_object (&f->session);
  jarchi_web_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->auth);
  g_clear_object (&f->runner);
  g_clear_object (&f->dialer);
  g_clear_object (&f->library);
  g_clear_object (&f->campaigns);
  g_clear_object (&f->store);
  test_spin (20);
  test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->url);
  g_ptr_array_unref (f->events);
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

/* The server runs on this thread's loop, so spin it while waiting. */
static guint
request (Fixture *f, const char *method, const char *path, const char *json, char **body_out,
         SoupMessage **msg_out)
{
  g_autofree char *uri = g_strconcat (f->url, path + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autofree char *authz = g_strconcat ("Bearer ", f->token, NULL);
  SendResult r = { 0 };

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authz);
  if (json)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_done, &r);
  test_wait_until (r.done, 10000);
  g_assert_true (r.done);
  g_assert_no_error (r.error);
  if (body_out)
    *body_out = g_strndup (g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body));
  if (msg_out)
    *msg_out = g_object_ref (msg);
  g_bytes_unref (r.body);
  return soup_message_get_status (msg);
}

static JsonObject *
parse_object (const char *body, JsonNode **keep)
{
  *keep = json_from_string (body, NULL);
  g_assert_nonnull (*keep);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*keep));
  return json_node_get_object (*keep);
}

static void
assert_error (Fixture *f, const char *method, const char *path, const char *json, guint status, const char *name)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *obj;

  g_test_message ("%s %s", method, path);
  g_assert_cmpuint (request (f, method, path, json, &body, NULL), ==, status);
  if (status == 401)
    return;
  obj = parse_object (body, &node);
  g_assert_cmpstr (json_object_get_string_member (obj, "error"), ==, name);
  g_assert_true (strlen (json_object_get_string_member (obj, "message")) > 0);
}

static void
ws_message (SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer user_data)
{
  Fixture *f = user_data;
  g_autoptr(GPtrArray) events = ws_events_split (message);

  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (f->events, json_to_string (g_ptr_array_index (events, i), FALSE));
}

static void
ws_connected (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Fixture *f = user_data;

  f->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), res, NULL);
  g_assert_nonnull (f->ws);
  g_signal_connect (f->ws, "message", G_CALLBACK (ws_message), f);
}

static void
ws_connect (Fixture *f)
{
  g_autofree char *uri = g_strconcat (f->url, "ws", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autofree char *authz = g_strconcat ("Bearer ", f->token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authz);
  soup_session_websocket_connect_async (f->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, ws_connected, f);
  test_wait_until (f->ws != NULL && f->events->len > 0, 10000);
  g_assert_cmpuint (f->events->len, ==, 1);  /* hello */
}

static guint
count_events (Fixture *f, const char *needle)
{
  guint n = 0;

  for (guint i = 0; i < f->events->len; i++)
    n += strstr (g_ptr_array_index (f->events, i), needle) != NULL;
  return n;
}

static const char *campaign_json =
  "{\"name\": \"Drill\", \"account\": 1, \"message\": {\"media\": 1},"
  " \"targets\": {\"departments\": [2], \"contacts\": [2]},"
  " \"menu\": {\"timeout_s\": 1}, \"max_concurrent\": 5, \"cps\": 100,"
  " \"retries\": {\"busy\": {\"count\": 0, \"delay_s\": 0}, \"no_answer\": {\"count\": 0, \"delay_s\": 0},"
  "             \"failed\": {\"count\": 0, \"delay_s\": 0}}}";

static void
test_crud_and_errors (Fixture *f, gconstpointer data)
{
  g_autofree char *body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = NULL;
  g_autofree char *patch_body = NULL;
  JsonObject *obj;
  gint64 id;

  /* unauthenticated */
  {
    g_autofree char *uri = g_strconcat (f->url, "api/campaigns", NULL);
    g_autoptr(SoupMessage) anon = soup_message_new ("GET", uri);
    SendResult r = { 0 };

    soup_session_send_and_read_async (f->session, anon, G_PRIORITY_DEFAULT, NULL, send_done, &r);
    test_wait_until (r.done, 10000);
    g_assert_cmpuint (soup_message_get_status (anon), ==, 401);
    g_bytes_unref (r.body);
  }

  assert_error (f, "POST", "/api/campaigns", "{not json", 400, "invalid_json");
  assert_error (f, "POST", "/api/campaigns", "[1]", 400, "invalid_json");
  assert_error (f, "POST", "/api/campaigns", "{\"name\": \"x\", \"cps\": -1}", 400, "invalid");
  assert_error (f, "POST", "/api/campaigns", "{\"name\": \"x\", \"account\": 99}", 400, "invalid");
  assert_error (f, "PUT", "/api/campaigns", "{}", 405, "method_not_allowed");

  g_assert_cmpuint (request (f, "POST", "/api/campaigns", campaign_json, &body, &msg), ==, 201);
  obj = parse_object (body, &node);
  id = json_object_get_int_member (obj, "id");
  g_assert_cmpint (id, >, 0);
  g_assert_cmpstr (json_object_get_string_member (obj, "state"), ==, "draft");
  g_assert_cmpstr (json_object_get_string_member (obj, "name"), ==, "Drill");
  g_assert_true (json_object_has_member (obj, "stats"));
  g_assert_true (json_object_has_member (obj, "retries"));
  path = g_strdup_printf ("/api/campaigns/%" G_GINT64_FORMAT, id);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"), ==, path);
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&node, json_node_unref);

  g_assert_cmpuint (request (f, "GET", "/api/campaigns", NULL, &body, NULL), ==, 200);
  obj = parse_object (body, &node);
  g_assert_cmpint (json_object_get_int_member (obj, "total"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj, "items")), ==, 1);
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&node, json_node_unref);

  assert_error (f, "GET", "/api/campaigns/999", NULL, 404, "not_found");
  assert_error (f, "GET", "/api/campaigns/abc", NULL, 404, "not_found");
  assert_error (f, "GET", "/api/campaigns/0", NULL, 404, "not_found");

  /* edit the draft; a GET body can be sent back as it is */
  g_assert_cmpuint (request (f, "GET", path, NULL, &body, NULL), ==, 200);
  patch_body = g_strdup (body);
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (request (f, "PATCH", path, patch_body, NULL, NULL), ==, 200);
  g_assert_cmpuint (request (f, "PATCH", path, "{\"name\": \"Drill 2\", \"menu\": {\"opt_out\": \"9\"}}", &body, NULL), ==, 200);
  obj = parse_object (body, &node);
  g_assert_cmpstr (json_object_get_string_member (obj, "name"), ==, "Drill 2");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj, "menu"), "opt_out"), ==, "9");
  g_assert_cmpint (json_object_get_int_member (obj, "max_concurrent"), ==, 5);
  assert_error (f, "PATCH", path, "{\"menu\": {\"confirm\": \"9\"}}", 400, "invalid");
  assert_error (f, "PATCH", path, "{\"account\": 77}", 400, "invalid");
  {
    /* a refused PATCH leaves the draft as it was, in memory and on disk */
    g_autofree char *name = test_query_text (f->store, "SELECT name FROM campaigns");
    g_assert_cmpstr (name, ==, "Drill 2");
    g_assert_cmpuint (jarchi_campaign_get_config (jarchi_campaign_store_lookup (f->campaigns, id))->account_id, ==, 1);
  }

  /* transitions a draft does not have */
  {
    g_autofree char *pause = g_strconcat (path, "/pause", NULL);
    g_autofree char *resume = g_strconcat (path, "/resume", NULL);
    g_autofree char *bogus = g_strconcat (path, "/explode", NULL);

    assert_error (f, "POST", pause, NULL, 409, "conflict");
    assert_error (f, "POST", resume, NULL, 409, "conflict");
    assert_error (f, "POST", bogus, NULL, 404, "not_found");
  }

  g_assert_cmpuint (request (f, "DELETE", path, NULL, NULL, NULL), ==, 204);
  assert_error (f, "GET", path, NULL, 404, "not_found");
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaigns"), ==, 0);
}

static void
test_run_targets_report (Fixture *f, gconstpointer data)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *path = NULL, *start = NULL, *targets = NULL, *report = NULL;
  JsonObject *obj;
  JsonArray *items;
  gint64 id;
  guint n_targets;

  ws_connect (f);
  /* department 2 is the odd contacts 1,3,5,7,9 (test_seed), plus contact 2 */
  fake_dialer_script (f->dialer, "1001", "answer key:1");
  fake_dialer_script (f->dialer, "1002", "answer wait:5 key:2 wait:5 key:1");
  fake_dialer_script (f->dialer, "1003", "answer");
  fake_dialer_script (f->dialer, "1005", "end:486");
  fake_dialer_script (f->dialer, "1007", "answer hangup");
  fake_dialer_script (f->dialer, "1009", "end:487");

  g_assert_cmpuint (request (f, "POST", "/api/campaigns", campaign_json, &body, NULL), ==, 201);
  obj = parse_object (body, &node);
  id = json_object_get_int_member (obj, "id");
  path = g_strdup_printf ("/api/campaigns/%" G_GINT64_FORMAT, id);
  start = g_strconcat (path, "/start", NULL);
  targets = g_strconcat (path, "/targets", NULL);
  report = g_strconcat (path, "/report.csv", NULL);
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&node, json_node_unref);

  g_assert_cmpuint (request (f, "POST", start, NULL, &body, NULL), ==, 200);
  obj = parse_object (body, &node);
  g_assert_cmpstr (json_object_get_string_member (obj, "state"), ==, "running");
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&node, json_node_unref);
  assert_error (f, "POST", start, NULL, 409, "conflict");
  assert_error (f, "PATCH", path, "{\"name\": \"late\"}", 409, "conflict");
  assert_error (f, "DELETE", path, NULL, 409, "conflict");

  test_wait_until (jarchi_campaign_get_state (jarchi_campaign_store_lookup (f->campaigns, id))
                   == JARCHI_CAMPAIGN_STATE_COMPLETED, 30000);
  g_assert_cmpint (jarchi_campaign_get_state (jarchi_campaign_store_lookup (f->campaigns, id)),
                   ==, JARCHI_CAMPAIGN_STATE_COMPLETED);
  /* the event of the completion arrives, coalesced */
  test_wait_until (count_events (f, "\"state\":\"completed\"") > 0, 10000);
  g_assert_cmpuint (count_events (f, "\"type\":\"campaign\""), >=, 2);
  g_assert_cmpuint (count_events (f, "\"state\":\"completed\""), >=, 1);

  n_targets = (guint) test_query_int (f->store, "SELECT COUNT(*) FROM campaign_targets");
  g_assert_cmpuint (n_targets, ==, 6);

  g_assert_cmpuint (request (f, "GET", targets, NULL, &body, NULL), ==, 200);
  obj = parse_object (body, &node);
  g_assert_cmpint (json_object_get_int_member (obj, "total"), ==, 6);
  items = json_object_get_array_member (obj, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 6);
  {
    JsonObject *t = json_array_get_object_element (items, 0);
    JsonObject *contact = json_object_get_object_member (t, "contact");

    g_assert_cmpstr (json_object_get_string_member (t, "phone"), ==, "1001");
    g_assert_cmpstr (json_object_get_string_member (t, "result"), ==, "confirmed");
    g_assert_cmpstr (json_object_get_string_member (t, "digits"), ==, "1");
    g_assert_cmpint (json_object_get_int_member (t, "attempts"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (contact, "name"), ==, "Person 1");
    g_assert_cmpstr (json_object_get_string_member (contact, "department"), ==, "Support");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (t, "calls")), ==, 1);
    g_assert_nonnull (json_object_get_string_member (t, "answered_at"));
  }
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&node, json_node_unref);

  {
    g_autofree char *q = g_strconcat (targets, "?result=confirmed&limit=1&offset=1", NULL);

    g_assert_cmpuint (request (f, "GET", q, NULL, &body, NULL), ==, 200);
    obj = parse_object (body, &node);
    g_assert_cmpint (json_object_get_int_member (obj, "total"), ==, 2);
    items = json_object_get_array_member (obj, "items");
    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "phone"), ==, "1002");
    g_clear_pointer (&body, g_free);
    g_clear_pointer (&node, json_node_unref);
  }
  {
    g_autofree char *bad_result = g_strconcat (targets, "?result=maybe", NULL);
    g_autofree char *bad_limit = g_strconcat (targets, "?limit=0", NULL);
    g_autofree char *big_limit = g_strconcat (targets, "?limit=100000", NULL);

    assert_error (f, "GET", bad_result, NULL, 400, "invalid");
    assert_error (f, "GET", bad_limit, NULL, 400, "invalid");
    assert_error (f, "GET", big_limit, NULL, 400, "invalid");
  }

  g_assert_cmpuint (request (f, "GET", report, NULL, &body, &msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL), ==, "text/csv");
  {
    g_auto(GStrv) lines = g_strsplit (body, "\r\n", -1);
    const char *expected[] = {
      "\xEF\xBB\xBFname,phone,department,district,result,attempts,last_code,digits,answered_at,ended_at,calls",
      "Person 1,1001,Support,Yunusobod,confirmed,1,200,1,",
      "Person 2,1002,Sales,Yunusobod,confirmed,1,200,21,",
      "Person 3,1003,Support,Yunusobod,heard,1,200,,",
      "Person 5,1005,Support,Chilonzor,busy,1,486,,,",
      "Person 7,1007,Support,Chilonzor,hung-up,1,200,,",
      "Person 9,1009,Support,Yunusobod,no-answer,1,487,,,",
    };

    g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (expected) + 1);  /* ends with CRLF */
    g_assert_cmpstr (lines[G_N_ELEMENTS (expected)], ==, "");
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        g_test_message ("%s", lines[i]);
        g_assert_true (g_str_has_prefix (lines[i], expected[i]));
        if (i > 0)
          {
            g_auto(GStrv) cols = g_strsplit (lines[i], ",", -1);

            g_assert_cmpuint (g_strv_length (cols), ==, 11);
            g_assert_true (cols[9][0] != '\0');  /* ended_at */
            g_assert_true (g_ascii_isdigit (cols[10][0]));  /* the history id */
          }
      }
  }
  g_clear_pointer (&body, g_free);

  /* once completed it can be deleted, and the clients hear about it */
  g_assert_cmpuint (request (f, "DELETE", path, NULL, NULL, NULL), ==, 204);
  test_wait_until (count_events (f, "campaign-deleted") > 0, 10000);
  g_assert_cmpuint (count_events (f, "\"type\":\"campaign-deleted\""), ==, 1);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_targets"), ==, 0);
  /* the call history stays, unlinked */
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM calls WHERE attempt_id IS NULL"), ==, 6);
}

static void
test_start_not_ready (Fixture *f, gconstpointer data)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *start = NULL, *cancel = NULL, *path = NULL;
  JsonObject *obj;

  g_assert_cmpuint (request (f, "POST", "/api/campaigns", "{\"name\": \"empty\"}", &body, NULL), ==, 201);
  obj = parse_object (body, &node);
  path = g_strdup_printf ("/api/campaigns/%" G_GINT64_FORMAT, json_object_get_int_member (obj, "id"));
  start = g_strconcat (path, "/start", NULL);
  cancel = g_strconcat (path, "/cancel", NULL);
  assert_error (f, "POST", start, NULL, 409, "not_ready");
  /* a spoken message with no media library to speak it */
  g_assert_cmpuint (request (f, "PATCH", path, "{\"account\": 1, \"targets\": {\"contacts\": [1]},"
                                               " \"message\": {\"tts\": {\"text\": \"Salom\", \"lang\": \"uz\"}}}", NULL, NULL), ==, 200);
  assert_error (f, "POST", start, NULL, 409, "not_ready");
  g_assert_cmpuint (request (f, "POST", cancel, NULL, NULL, NULL), ==, 200);
  assert_error (f, "POST", cancel, NULL, 409, "conflict");
  assert_error (f, "POST", start, NULL, 409, "conflict");
}

/* A text message is spoken once, when the campaign starts; the request waits for it. */
static void
test_start_speaks_text (Fixture *f, gconstpointer data)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *start = NULL;
  JsonObject *obj, *message;
  gint64 id;

  fake_dialer_script (f->dialer, "1001", "answer key:1");
  g_assert_cmpuint (request (f, "POST", "/api/campaigns",
                             "{\"name\": \"spoken\", \"account\": 1, \"targets\": {\"contacts\": [1]},"
                             " \"message\": {\"tts\": {\"text\": \"Ertaga soat to‘qqizda yig‘ilish\", \"lang\": \"uz\"}}}",
                             &body, NULL), ==, 201);
  obj = parse_object (body, &node);
  id = json_object_get_int_member (obj, "id");
  g_assert_false (json_object_has_member (json_object_get_object_member (obj, "message"), "media"));
  start = g_strdup_printf ("/api/campaigns/%" G_GINT64_FORMAT "/start", id);
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&node, json_node_unref);

  g_assert_cmpuint (request (f, "POST", start, NULL, &body, NULL), ==, 200);
  obj = parse_object (body, &node);
  message = json_object_get_object_member (obj, "message");
  g_assert_cmpstr (json_object_get_string_member (obj, "state"), ==, "running");
  g_assert_cmpint (json_object_get_int_member (message, "media"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (message, "tts"), "lang"), ==, "uz");
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM media WHERE kind = 'tts'"), ==, 1);
  g_assert_cmpint (test_query_int (f->store, "SELECT media_id FROM campaigns WHERE id = 1"), ==,
                   json_object_get_int_member (message, "media"));
  test_wait_until (jarchi_campaign_get_state (jarchi_campaign_store_lookup (f->campaigns, id))
                   == JARCHI_CAMPAIGN_STATE_COMPLETED, 30000);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_targets WHERE result = 'confirmed'"), ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/campaign-api/crud-and-errors", Fixture, NULL, fixture_setup, test_crud_and_errors, fixture_teardown);
  g_test_add ("/campaign-api/run-targets-report", Fixture, NULL, fixture_setup, test_run_targets_report, fixture_teardown);
  g_test_add ("/campaign-api/start-not-ready", Fixture, NULL, fixture_setup, test_start_not_ready, fixture_teardown);
  g_test_add ("/campaign-api/start-speaks-text", Fixture, GINT_TO_POINTER (1), fixture_setup, test_start_speaks_text,
              fixture_teardown);

  return g_test_run ();
}
