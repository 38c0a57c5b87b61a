/* Tests for /api/media over a real loopback socket: uploads, limits, speech, listing, audio and deletion. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-error.h"
#include "jarchi-media-api.h"
#include "jarchi-tts.h"
#include "media-fixtures.h"

typedef struct {
  char                *dir;
  char                *media_dir;
  JarchiStore         *store;
  JarchiMediaLibrary  *library;
  JarchiDashboardAuth *auth;
  JarchiWebServer     *server;
  SoupSession         *session;
  char                *url;
  const char          *token;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  f->dir = g_dir_make_tmp ("jarchi-media-api-XXXXXX", NULL);
  db = g_build_filename (f->dir, "jarchi.db", NULL);
  f->media_dir = g_build_filename (f->dir, "media", NULL);
  f->store = jarchi_store_open (db, &error);
  g_assert_no_error (error);
  f->library = jarchi_media_library_new (f->store, f->media_dir, &error);
  g_assert_no_error (error);
  f->auth = jarchi_dashboard_auth_new (f->dir, &error);
  g_assert_no_error (error);
  f->token = jarchi_dashboard_auth_get_token (f->auth);
  f->server = jarchi_web_server_new (f->auth);
  jarchi_media_api_register (f->server, f->library);
  g_assert_true (jarchi_web_server_listen (f->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  f->url = jarchi_web_server_get_url (f->server);
  f->session = soup_session_new_with_options ("timeout", 60, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->session);
  if (f->server)
    jarchi_web_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->auth);
  g_clear_object (&f->library);
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->media_dir);
  g_free (f->dir);
  g_free (f->url);
}

typedef struct {
  GBytes   *body;
  GError   *error;
  gboolean  done;
} SendResult;

static void
send_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  SendResult *r = user_data;
  r->body = soup_session_send_and_read_finish (SOUP_SESSION (source), res, &r->error);
  r->done = TRUE;
}

/* Sends @msg and spins the loop the server (and the library's completions) run on. */
static guint
send (Fixture *f, SoupMessage *msg, const char *bearer, GBytes **body_out)
{
  SendResult r = { 0 };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

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
  if (body_out)
    *body_out = g_steal_pointer (&r.body);
  g_clear_pointer (&r.body, g_bytes_unref);
  return soup_message_get_status (msg);
}

static SoupMessage *
new_message (Fixture *f, const char *method, const char *path)
{
  g_autofree char *uri = g_strconcat (f->url, path + 1, NULL);
  SoupMessage *msg = soup_message_new (method, uri);

  g_assert_nonnull (msg);
  return msg;
}

/* Replies are not NUL-terminated: copy before parsing. */
static JsonNode *
parse_json (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  JsonNode *node = json_from_string (*text ? text : "null", &error);

  g_assert_no_error (error);
  return node;
}

/* One request; *@json_out gets the parsed reply when it is JSON. */
static guint
request (Fixture *f, const char *method, const char *path, const char *content_type, GBytes *body,
         JsonNode **json_out)
{
  g_autoptr(SoupMessage) msg = new_message (f, method, path);
  g_autoptr(GBytes) reply = NULL;
  guint status;

  if (body)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  status = send (f, msg, f->token, &reply);
  if (json_out)
    *json_out = parse_json (reply);
  return status;
}

static guint
request_json (Fixture *f, const char *method, const char *path, const char *json, JsonNode **json_out)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  return request (f, method, path, "application/json", body, json_out);
}

static const char *
error_of (JsonNode *node)
{
  return json_object_get_string_member (json_node_get_object (node), "error");
}

static gint64
int_of (JsonNode *node, const char *member)
{
  return json_object_get_int_member (json_node_get_object (node), member);
}

static const char *
str_of (JsonNode *node, const char *member)
{
  return json_object_get_string_member (json_node_get_object (node), member);
}

static GBytes *
tone_bytes (Fixture *f, const char *format, guint duration_ms)
{
  g_autofree char *name = g_strconcat ("fixture.", format, NULL);
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize size;

  g_assert_true (make_tone_file (path, tone_format (format), 1000, duration_ms));
  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  g_unlink (path);
  return g_bytes_new_take (g_steal_pointer (&contents), size);
}

static GBytes *
form_body (GBytes *file, const char *filename, const char *file_type, const char *name,
           char **content_type)
{
  g_autoptr(SoupMultipart) form = soup_multipart_new ("multipart/form-data");
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  GBytes *body = NULL;

  if (name)
    soup_multipart_append_form_string (form, "name", name);
  if (file)
    soup_multipart_append_form_file (form, "file", filename, file_type, file);
  soup_multipart_to_message (form, headers, &body);
  *content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  return body;
}

static guint
upload_form (Fixture *f, GBytes *file, const char *filename, const char *name, JsonNode **json_out)
{
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) body = form_body (file, filename, "audio/ogg", name, &content_type);

  return request (f, "POST", "/api/media", content_type, body, json_out);
}

static void
assert_served_tone (Fixture *f, gint64 id, gint64 duration_ms)
{
  g_autofree char *path = g_strdup_printf ("/api/media/%" G_GINT64_FORMAT "/audio", id);
  g_autoptr(SoupMessage) msg = new_message (f, "GET", path);
  g_autoptr(GBytes) body = NULL;
  const char *type;
  gsize size;
  const guint8 *data;
  Wav wav;

  g_assert_cmpuint (send (f, msg, f->token, &body), ==, 200);
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  g_assert_cmpstr (type, ==, "audio/wav");
  data = g_bytes_get_data (body, &size);
  g_assert_true (parse_wav (data, size, &wav));
  g_assert_cmpuint (wav.rate, ==, 8000);
  g_assert_cmpuint (wav.channels, ==, 1);
  g_assert_cmpuint (wav.bits, ==, 16);
  g_assert_cmpint (ABS ((gint64) wav.n_samples / 8 - duration_ms), <=, 1);
  assert_1khz (wav.samples, wav.n_samples);
}

static void
test_upload_form (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) ogg = tone_bytes (f, "ogg", 2000);
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) got = NULL;
  g_autoptr(JsonNode) named = NULL;
  g_autofree char *item = NULL;
  gint64 id;

  g_assert_cmpuint (upload_form (f, ogg, "C:\\Users\\op\\greeting.ogg", NULL, &created), ==, 201);
  id = int_of (created, "id");
  g_assert_cmpint (id, >, 0);
  g_assert_cmpstr (str_of (created, "kind"), ==, "upload");
  g_assert_cmpstr (str_of (created, "name"), ==, "greeting.ogg");
  g_assert_cmpint (ABS (int_of (created, "duration_ms") - 2000), <=, 50);
  g_assert_false (json_object_has_member (json_node_get_object (created), "path"));

  item = g_strdup_printf ("/api/media/%" G_GINT64_FORMAT, id);
  g_assert_cmpuint (request (f, "GET", item, NULL, NULL, &got), ==, 200);
  g_assert_cmpint (int_of (got, "id"), ==, id);
  g_assert_cmpint (int_of (got, "duration_ms"), ==, int_of (created, "duration_ms"));
  assert_served_tone (f, id, int_of (created, "duration_ms"));

  /* The "name" field wins over the file name. */
  g_assert_cmpuint (upload_form (f, ogg, "x.ogg", "Fire drill", &named), ==, 201);
  g_assert_cmpstr (str_of (named, "name"), ==, "Fire drill");
}

static void
test_upload_raw (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) flac = tone_bytes (f, "flac", 1000);
  g_autoptr(GBytes) wav = tone_bytes (f, "wav", 700);
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autofree char *orig = NULL;

  g_assert_cmpuint (request (f, "POST", "/api/media?name=Evening%20news", "audio/flac", flac, &a), ==, 201);
  g_assert_cmpstr (str_of (a, "name"), ==, "Evening news");
  g_assert_cmpint (ABS (int_of (a, "duration_ms") - 1000), <=, 50);
  orig = g_strdup_printf ("%s/%" G_GINT64_FORMAT ".orig.flac", f->media_dir, int_of (a, "id"));
  g_assert_true (g_file_test (orig, G_FILE_TEST_IS_REGULAR));
  assert_served_tone (f, int_of (a, "id"), int_of (a, "duration_ms"));

  g_assert_cmpuint (request (f, "POST", "/api/media", "audio/x-wav", wav, &b), ==, 201);
  g_assert_true (g_str_has_prefix (str_of (b, "name"), "Upload "));
  g_assert_cmpint (ABS (int_of (b, "duration_ms") - 700), <=, 50);
}

static gint64
count_rows (Fixture *f)
{
  g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (f->store, "SELECT COUNT(*) FROM media;", NULL);

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
assert_nothing_saved (Fixture *f)
{
  g_assert_cmpint (count_rows (f), ==, 0);
  g_assert_cmpuint (count_files (f->media_dir), ==, 0);
}

static void
test_upload_rejects (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) short_tone = tone_bytes (f, "wav", 200);
  g_autoptr(GBytes) text = g_bytes_new_static ("Just a letter, not audio.\n", 26);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) ogg = tone_bytes (f, "ogg", 500);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) no_file = form_body (NULL, NULL, NULL, "only a name", &content_type);

  g_assert_cmpuint (request (f, "POST", "/api/media", "audio/wav", short_tone, &reply), ==, 400);
  g_assert_cmpstr (error_of (reply), ==, "invalid_audio");
  g_test_message ("too short: %s", str_of (reply, "message"));
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (request (f, "POST", "/api/media", "audio/wav", text, &reply), ==, 415);
  g_assert_cmpstr (error_of (reply), ==, "unsupported_media");
  g_test_message ("text: %s", str_of (reply, "message"));
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (upload_form (f, text, "letter.mp3", NULL, &reply), ==, 415);
  g_assert_cmpstr (error_of (reply), ==, "unsupported_media");
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (request (f, "POST", "/api/media", "audio/mpeg", empty, &reply), ==, 400);
  g_assert_cmpstr (error_of (reply), ==, "invalid_audio");
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (request (f, "POST", "/api/media", "text/plain", ogg, &reply), ==, 415);
  g_assert_cmpstr (error_of (reply), ==, "unsupported_content_type");
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (request (f, "POST", "/api/media", content_type, no_file, &reply), ==, 400);
  g_assert_cmpstr (error_of (reply), ==, "missing_file");
  g_clear_pointer (&reply, json_node_unref);

  assert_nothing_saved (f);
}

/* A body that writes itself without a known length, so libsoup sends it chunked. */
static GInputStream *
unsized_stream (gsize size)
{
  GInputStream *stream = g_memory_input_stream_new ();
  gsize chunk = 64 * 1024;

  for (gsize sent = 0; sent < size; sent += chunk)
    g_memory_input_stream_add_data (G_MEMORY_INPUT_STREAM (stream), g_malloc0 (chunk), chunk, g_free);
  return stream;
}

static void
test_too_large (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) ogg = tone_bytes (f, "ogg", 2000);
  gsize big = 2 * 1024 * 1024;
  g_autoptr(GBytes) huge = g_bytes_new_take (g_malloc0 (big), big);
  g_autoptr(JsonNode) reply = NULL;

  jarchi_media_library_set_max_upload_size (f->library, g_bytes_get_size (ogg) - 1);

  /* Declared too large: refused from the headers (the early check also closes the connection). */
  {
    g_autoptr(SoupMessage) msg = new_message (f, "POST", "/api/media");
    g_autoptr(GBytes) body = NULL;

    soup_message_set_request_body_from_bytes (msg, "audio/ogg", huge);
    g_assert_cmpuint (send (f, msg, f->token, &body), ==, 413);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Connection"),
                     ==, "close");
    reply = parse_json (body);
    g_assert_cmpstr (error_of (reply), ==, "too_large");
    g_clear_pointer (&reply, json_node_unref);
  }

  /* The client waits for "100 Continue" and never has to send the body. */
  {
    g_autoptr(SoupMessage) msg = new_message (f, "POST", "/api/media");
    g_autoptr(GBytes) body = NULL;

    soup_message_set_request_body_from_bytes (msg, "audio/ogg", huge);
    soup_message_headers_set_expectations (soup_message_get_request_headers (msg), SOUP_EXPECTATION_CONTINUE);
    g_assert_cmpuint (send (f, msg, f->token, &body), ==, 413);
  }

  /* Chunked, with no length to check up front: cut off once past the limit. */
  {
    g_autoptr(SoupMessage) msg = new_message (f, "POST", "/api/media");
    g_autoptr(GInputStream) stream = unsized_stream (big);

    soup_message_set_request_body (msg, "audio/ogg", stream, -1);
    g_assert_cmpuint (send (f, msg, f->token, NULL), ==, 413);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Connection"),
                     ==, "close");
  }

  /* Within the route's overall limit, but the file itself is over the library's. */
  g_assert_cmpuint (request (f, "POST", "/api/media", "audio/ogg", ogg, &reply), ==, 413);
  g_assert_cmpstr (error_of (reply), ==, "too_large");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (upload_form (f, ogg, "a.ogg", NULL, &reply), ==, 413);
  g_clear_pointer (&reply, json_node_unref);
  assert_nothing_saved (f);

  /* Raising the limit takes effect at once. */
  jarchi_media_library_set_max_upload_size (f->library, JARCHI_MEDIA_DEFAULT_MAX_UPLOAD);
  g_assert_cmpuint (request (f, "POST", "/api/media", "audio/ogg", ogg, &reply), ==, 201);
}

static void
test_needs_token (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) ogg = tone_bytes (f, "ogg", 500);
  g_autoptr(SoupMessage) list = new_message (f, "GET", "/api/media");
  g_autoptr(SoupMessage) upload = new_message (f, "POST", "/api/media");
  g_autoptr(SoupMessage) tts = new_message (f, "POST", "/api/media/tts");
  g_autoptr(SoupMessage) audio = new_message (f, "GET", "/api/media/1/audio");

  g_assert_cmpuint (send (f, list, NULL, NULL), ==, 401);
  soup_message_set_request_body_from_bytes (upload, "audio/ogg", ogg);
  g_assert_cmpuint (send (f, upload, NULL, NULL), ==, 401);
  g_assert_cmpuint (send (f, tts, "not-the-token-at-all", NULL), ==, 401);
  g_assert_cmpuint (send (f, audio, NULL, NULL), ==, 401);
  assert_nothing_saved (f);
}

static void
test_tts (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GString) long_text = g_string_new ("{\"lang\":\"en\",\"text\":\"");
  g_autofree char *audio = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  const guint8 *bytes;
  gsize size;
  Wav wav;

  g_assert_cmpuint (request_json (f, "POST", "/api/media/tts",
                                  "{\"text\":\"Hurmatli xodimlar, ertaga soat to'qqizda yig'ilish.\",\"lang\":\"uz\"}",
                                  &first), ==, 201);
  g_assert_cmpstr (str_of (first, "kind"), ==, "tts");
  g_assert_cmpstr (str_of (first, "lang"), ==, "uz");
  g_assert_cmpint (int_of (first, "duration_ms"), >, 1000);

  g_assert_cmpuint (request_json (f, "POST", "/api/media/tts",
                                  "{\"text\":\"Hurmatli xodimlar, ertaga soat to'qqizda yig'ilish.\",\"lang\":\"uz\"}",
                                  &again), ==, 200);
  g_assert_cmpint (int_of (again, "id"), ==, int_of (first, "id"));

  audio = g_strdup_printf ("/api/media/%" G_GINT64_FORMAT "/audio", int_of (first, "id"));
  msg = new_message (f, "GET", audio);
  g_assert_cmpuint (send (f, msg, f->token, &body), ==, 200);
  bytes = g_bytes_get_data (body, &size);
  g_assert_true (parse_wav (bytes, size, &wav));
  g_assert_cmpuint (wav.rate, ==, 8000);
  g_assert_cmpfloat (rms (wav.samples, wav.n_samples), >, 500);

  g_assert_cmpuint (request_json (f, "POST", "/api/media/tts", "{\"text\":\"  \",\"lang\":\"uz\"}", &reply), ==, 400);
  g_assert_cmpstr (error_of (reply), ==, "invalid_text");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (request_json (f, "POST", "/api/media/tts", "{\"text\":\"Hallo\",\"lang\":\"de\"}", &reply), ==, 400);
  g_assert_cmpstr (error_of (reply), ==, "unsupported_language");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (request_json (f, "POST", "/api/media/tts", "{\"text\":\"Hello\"}", &reply), ==, 400);
  g_assert_cmpstr (error_of (reply), ==, "invalid_request");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (request_json (f, "POST", "/api/media/tts", "{\"text\":", &reply), ==, 400);
  g_assert_cmpstr (error_of (reply), ==, "invalid_json");
  g_clear_pointer (&reply, json_node_unref);

  for (int i = 0; i < JARCHI_TTS_MAX_CHARS + 1; i++)
    g_string_append_c (long_text, 'a');
  g_string_append (long_text, "\"}");
  g_assert_cmpuint (request_json (f, "POST", "/api/media/tts", long_text->str, &reply), ==, 400);
  g_assert_cmpstr (error_of (reply), ==, "text_too_long");
  g_clear_pointer (&reply, json_node_unref);

  /* Speech requests have their own, small body limit. */
  while (long_text->len <= JARCHI_MEDIA_API_TTS_BODY_MAX)
    g_string_append (long_text, "                ");
  g_assert_cmpuint (request_json (f, "POST", "/api/media/tts", long_text->str, &reply), ==, 413);
  g_assert_cmpstr (error_of (reply), ==, "too_large");
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpint (count_rows (f), ==, 1);
}

static void
test_list (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) wav = tone_bytes (f, "wav", 500);
  g_autoptr(JsonNode) reply = NULL;
  JsonArray *items;

  g_assert_cmpuint (request (f, "GET", "/api/media", NULL, NULL, &reply), ==, 200);
  g_assert_cmpint (int_of (reply, "total"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);

  for (int i = 0; i < 3; i++)
    {
      g_assert_cmpuint (request (f, "POST", "/api/media", "audio/wav", wav, &reply), ==, 201);
      g_clear_pointer (&reply, json_node_unref);
    }
  g_assert_cmpuint (request_json (f, "POST", "/api/media/tts", "{\"text\":\"One.\",\"lang\":\"en\"}", NULL), ==, 201);

  g_assert_cmpuint (request (f, "GET", "/api/media", NULL, NULL, &reply), ==, 200);
  g_assert_cmpint (int_of (reply, "total"), ==, 4);
  items = json_object_get_array_member (json_node_get_object (reply), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "kind"), ==, "tts");
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (request (f, "GET", "/api/media?kind=upload&limit=2&offset=0", NULL, NULL, &reply), ==, 200);
  g_assert_cmpint (int_of (reply, "total"), ==, 3);
  items = json_object_get_array_member (json_node_get_object (reply), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (request (f, "GET", "/api/media?limit=lots", NULL, NULL, &reply), ==, 400);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (request (f, "GET", "/api/media?kind=video", NULL, NULL, &reply), ==, 400);
}

static void
test_not_found_and_delete (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) wav = tone_bytes (f, "wav", 500);
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *a_item = NULL;
  g_autofree char *b_item = NULL;
  g_autofree char *b_audio = NULL;
  static const char * const missing[] = {
    "/api/media/999", "/api/media/999/audio", "/api/media/abc", "/api/media/1/2/3",
    "/api/media/-1", "/api/media/1/video", "/api/mediax",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      g_assert_cmpuint (request (f, "GET", missing[i], NULL, NULL, &reply), ==, 404);
      g_assert_cmpstr (error_of (reply), ==, "not_found");
      g_clear_pointer (&reply, json_node_unref);
    }
  g_assert_cmpuint (request (f, "DELETE", "/api/media/999", NULL, NULL, NULL), ==, 404);
  g_assert_cmpuint (request (f, "PUT", "/api/media", NULL, NULL, NULL), ==, 405);
  g_assert_cmpuint (request (f, "GET", "/api/media/tts", NULL, NULL, NULL), ==, 405);

  g_assert_cmpuint (request (f, "POST", "/api/media", "audio/wav", wav, &a), ==, 201);
  g_assert_cmpuint (request (f, "POST", "/api/media", "audio/wav", wav, &b), ==, 201);
  a_item = g_strdup_printf ("/api/media/%" G_GINT64_FORMAT, int_of (a, "id"));
  b_item = g_strdup_printf ("/api/media/%" G_GINT64_FORMAT, int_of (b, "id"));
  b_audio = g_strconcat (b_item, "/audio", NULL);

  /* A campaign refers to a: it stays. */
  stmt = jarchi_store_prepare (f->store, "INSERT INTO campaigns (name, media_id) VALUES ('drill', ?1);", NULL);
  sqlite3_bind_int64 (stmt, 1, int_of (a, "id"));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpuint (request (f, "DELETE", a_item, NULL, NULL, &reply), ==, 409);
  g_assert_cmpstr (error_of (reply), ==, "in_use");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (request (f, "GET", a_item, NULL, NULL, NULL), ==, 200);

  g_assert_cmpuint (request (f, "DELETE", b_item, NULL, NULL, NULL), ==, 204);
  g_assert_cmpuint (request (f, "GET", b_item, NULL, NULL, NULL), ==, 404);
  g_assert_cmpuint (request (f, "GET", b_audio, NULL, NULL, NULL), ==, 404);
  g_assert_cmpuint (count_files (f->media_dir), ==, 2);
}

static void
stop_server (JarchiMediaLibrary *library, gint64 id, gpointer user_data)
{
  Fixture *f = user_data;

  jarchi_web_server_stop (f->server);
  g_clear_object (&f->server);
}

/* The dashboard goes away while an upload is being decoded: the late answer goes nowhere. */
static void
test_server_gone (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) wav = tone_bytes (f, "wav", 500);
  g_autoptr(SoupMessage) msg = new_message (f, "POST", "/api/media");
  g_autofree char *bearer = g_strconcat ("Bearer ", f->token, NULL);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  SendResult r = { 0 };

  g_signal_connect (f->library, "media-added", G_CALLBACK (stop_server), f);
  soup_message_set_request_body_from_bytes (msg, "audio/wav", wav);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_done, &r);
  while (!r.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (r.done);
  g_assert_null (f->server);
  /* The row was committed before the server went: it is there, the client heard nothing. */
  g_assert_cmpint (count_rows (f), ==, 1);
  g_clear_error (&r.error);
  g_clear_pointer (&r.body, g_bytes_unref);
  /* Let the session notice the closed connection before teardown. */
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
}

int
main (int argc, char *argv[])
{
  g_unsetenv ("JARCHI_DASHBOARD_TOKEN");
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);

#define ADD(path, fn) g_test_add ("/media-api/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("upload-form", test_upload_form);
  ADD ("upload-raw", test_upload_raw);
  ADD ("upload-rejects", test_upload_rejects);
  ADD ("too-large", test_too_large);
  ADD ("needs-token", test_needs_token);
  ADD ("tts", test_tts);
  ADD ("list", test_list);
  ADD ("not-found-and-delete", test_not_found_and_delete);
  ADD ("server-gone", test_server_gone);
#undef ADD

  return g_test_run ();
}
