/* Tests for the contacts API over a real loopback server: CRUD, filters, CSV import/export, do-not-call, limits. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gstdio.h>

#include "jarchi-contacts-api.h"

typedef struct {
  char                *dir;
  JarchiStore         *store;
  JarchiContactBook   *book;
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

  g_unsetenv ("JARCHI_DASHBOARD_TOKEN");
  f->dir = g_dir_make_tmp ("jarchi-contacts-api-XXXXXX", NULL);
  db = g_build_filename (f->dir, "jarchi.db", NULL);
  f->store = jarchi_store_open (db, &error);
  g_assert_no_error (error);
  f->book = jarchi_contact_book_new (f->store);
  f->auth = jarchi_dashboard_auth_new (f->dir, &error);
  g_assert_no_error (error);
  f->token = jarchi_dashboard_auth_get_token (f->auth);
  f->server = jarchi_web_server_new (f->auth);
  jarchi_contacts_api_register (f->server, f->book);
  g_assert_true (jarchi_web_server_listen (f->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  f->url = jarchi_web_server_get_url (f->server);
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->session);
  jarchi_web_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->auth);
  g_clear_object (&f->book);
  g_clear_object (&f->store);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
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

/* Sends @msg while spinning the main loop the server runs on; returns the status. */
static guint
send (Fixture *f, SoupMessage *msg, const char *bearer, char **body_out)
{
  SendResult r = { 0 };
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

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
    *body_out = g_strndup (g_bytes_get_data (r.body, NULL), g_bytes_get_size (r.body));
  g_bytes_unref (r.body);
  return soup_message_get_status (msg);
}

static SoupMessage *
new_message (Fixture *f, const char *method, const char *path, const char *content_type,
             const char *body, gssize len)
{
  g_autofree char *uri = g_strconcat (f->url, path + 1, NULL);
  SoupMessage *msg = soup_message_new (method, uri);

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, len < 0 ? strlen (body) : (gsize) len);
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  return msg;
}

/* An authenticated request; *json_out gets the parsed reply when it is JSON. */
static guint
api (Fixture *f, const char *method, const char *path, const char *json_body, JsonNode **json_out)
{
  g_autoptr(SoupMessage) msg = new_message (f, method, path, "application/json", json_body, -1);
  g_autofree char *body = NULL;
  guint status = send (f, msg, f->token, &body);

  if (json_out)
    {
      g_autoptr(GError) error = NULL;

      *json_out = json_from_string (body, &error);
      g_assert_no_error (error);
    }
  return status;
}

static JsonObject *
obj (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static void
assert_error (JsonNode *node, const char *code)
{
  g_assert_cmpstr (json_object_get_string_member (obj (node), "error"), ==, code);
  g_assert_nonnull (json_object_get_string_member (obj (node), "message"));
}

static gint64
total_of (Fixture *f, const char *path)
{
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpuint (api (f, "GET", path, NULL, &node), ==, 200);
  return json_object_get_int_member (obj (node), "total");
}

static char *
read_fixture (const char *name, gsize *len)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "contacts", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, len, &error);
  g_assert_no_error (error);
  return data;
}

static guint
import_text (Fixture *f, const char *data, gsize len, JsonNode **json_out)
{
  g_autoptr(SoupMessage) msg = new_message (f, "POST", "/api/contacts/import", "text/csv", data, (gssize) len);
  g_autofree char *body = NULL;
  guint status = send (f, msg, f->token, &body);

  *json_out = json_from_string (body, NULL);
  return status;
}

static void
test_needs_token (Fixture *f, gconstpointer data)
{
  static const struct { const char *method, *path; } routes[] = {
    { "GET", "/api/contacts" }, { "POST", "/api/contacts" }, { "GET", "/api/contacts/1" },
    { "PATCH", "/api/contacts/1" }, { "DELETE", "/api/contacts/1" }, { "POST", "/api/contacts/import" },
    { "GET", "/api/contacts.csv" }, { "GET", "/api/departments" }, { "GET", "/api/districts" },
    { "GET", "/api/dnc" }, { "POST", "/api/dnc" }, { "DELETE", "/api/dnc/1001" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autoptr(SoupMessage) msg = new_message (f, routes[i].method, routes[i].path, "application/json",
                                                g_str_equal (routes[i].method, "GET") ? NULL : "{}", -1);
      g_autoptr(SoupMessage) wrong = new_message (f, routes[i].method, routes[i].path, NULL, NULL, 0);
      g_autofree char *body = NULL;

      g_test_message ("%s %s", routes[i].method, routes[i].path);
      g_assert_cmpuint (send (f, msg, NULL, &body), ==, 401);
      g_assert_nonnull (strstr (body, "\"unauthorized\""));
      g_assert_cmpuint (send (f, wrong, "not-the-token-not-the-token", NULL), ==, 401);
    }
}

static void
test_crud (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = NULL;
  JsonObject *c;
  gint64 id;

#define RESET() g_clear_pointer (&node, json_node_unref)
  g_assert_cmpuint (api (f, "POST", "/api/contacts",
                         "{\"name\": \"Karimov Anvar\", \"phone\": \"+998 90 111-22-33\", \"department\": \"Kadrlar\","
                         " \"district\": \"Yakkasaroy\", \"position\": \"Inspektor\", \"note\": \"x\", \"active\": true}",
                         &node), ==, 201);
  c = obj (node);
  id = json_object_get_int_member (c, "id");
  g_assert_cmpint (id, >, 0);
  g_assert_cmpstr (json_object_get_string_member (c, "phone"), ==, "+998901112233");
  g_assert_cmpstr (json_object_get_string_member (c, "department"), ==, "Kadrlar");
  g_assert_cmpint (json_object_get_int_member (c, "department_id"), >, 0);
  g_assert_true (json_object_get_boolean_member (c, "active"));
  g_assert_false (json_object_get_boolean_member (c, "do_not_call"));
  RESET ();

  path = g_strdup_printf ("/api/contacts/%" G_GINT64_FORMAT, id);
  g_assert_cmpuint (api (f, "GET", path, NULL, &node), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj (node), "name"), ==, "Karimov Anvar");
  RESET ();
  g_assert_cmpint (total_of (f, "/api/contacts"), ==, 1);

  g_assert_cmpuint (api (f, "PATCH", path, "{\"position\": \"Bosh inspektor\", \"department\": null,"
                         " \"active\": false}", &node), ==, 200);
  c = obj (node);
  g_assert_cmpstr (json_object_get_string_member (c, "position"), ==, "Bosh inspektor");
  g_assert_cmpstr (json_object_get_string_member (c, "department"), ==, "");
  g_assert_true (json_object_get_null_member (c, "department_id"));
  g_assert_cmpstr (json_object_get_string_member (c, "district"), ==, "Yakkasaroy");
  g_assert_false (json_object_get_boolean_member (c, "active"));
  RESET ();

  /* Bad requests change nothing. */
  g_assert_cmpuint (api (f, "PATCH", path, "{\"name\": \"X\", \"phone\": \"abc\"}", &node), ==, 400);
  assert_error (node, "invalid_contact");
  RESET ();
  g_assert_cmpuint (api (f, "PATCH", path, "{\"name\": \"X\",", &node), ==, 400);
  assert_error (node, "invalid_json");
  RESET ();
  g_assert_cmpuint (api (f, "PATCH", path, "[1, 2]", &node), ==, 400);
  assert_error (node, "invalid_json");
  RESET ();
  g_assert_cmpuint (api (f, "PATCH", path, "{\"name\": \"X\", \"active\": \"yes\"}", &node), ==, 400);
  assert_error (node, "invalid_field");
  RESET ();
  g_assert_cmpuint (api (f, "PATCH", path, "{\"name\": 5}", &node), ==, 400);
  assert_error (node, "invalid_field");
  RESET ();
  g_assert_cmpuint (api (f, "GET", path, NULL, &node), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj (node), "name"), ==, "Karimov Anvar");
  RESET ();

  g_assert_cmpuint (api (f, "POST", "/api/contacts", "{\"name\": \"Other\", \"phone\": \"+998901112233\"}",
                         &node), ==, 409);
  assert_error (node, "phone_taken");
  RESET ();
  g_assert_cmpuint (api (f, "POST", "/api/contacts", "{\"phone\": \"+998901112244\"}", &node), ==, 400);
  assert_error (node, "invalid_contact");
  RESET ();
  g_assert_cmpuint (api (f, "POST", "/api/contacts", "not json", &node), ==, 400);
  assert_error (node, "invalid_json");
  RESET ();
  g_assert_cmpint (total_of (f, "/api/contacts"), ==, 1);

  g_assert_cmpuint (api (f, "GET", "/api/contacts/999", NULL, &node), ==, 404);
  assert_error (node, "not_found");
  RESET ();
  g_assert_cmpuint (api (f, "PATCH", "/api/contacts/999", "{\"name\": \"X\"}", NULL), ==, 404);
  g_assert_cmpuint (api (f, "DELETE", "/api/contacts/999", NULL, NULL), ==, 404);
  g_assert_cmpuint (api (f, "GET", "/api/contacts/abc", NULL, NULL), ==, 404);
  g_assert_cmpuint (api (f, "GET", "/api/contacts/0", NULL, NULL), ==, 404);
  g_assert_cmpuint (api (f, "GET", "/api/contactsfoo", NULL, NULL), ==, 404);
  g_assert_cmpuint (api (f, "PUT", "/api/contacts", "{}", NULL), ==, 405);
  g_assert_cmpuint (api (f, "POST", path, "{}", NULL), ==, 405);

  g_assert_cmpuint (api (f, "DELETE", path, NULL, NULL), ==, 204);
  g_assert_cmpuint (api (f, "DELETE", path, NULL, NULL), ==, 404);
  g_assert_cmpint (total_of (f, "/api/contacts"), ==, 0);
#undef RESET
}

static JsonObject *
group_named (JsonNode *list, const char *name)
{
  JsonArray *items = json_object_get_array_member (obj (list), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *g = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (g, "name"), name))
        return g;
    }
  return NULL;
}

static void
test_import_and_filters (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(JsonNode) departments = NULL;
  g_autoptr(JsonNode) districts = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *by_id = NULL;
  JsonArray *rejected;
  JsonObject *it;
  gsize len;

  csv = read_fixture ("mixed.csv", &len);
  g_assert_cmpuint (import_text (f, csv, len, &report), ==, 200);
  g_assert_cmpint (json_object_get_int_member (obj (report), "imported"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (obj (report), "updated"), ==, 1);
  rejected = json_object_get_array_member (obj (report), "rejected");
  g_assert_cmpuint (json_array_get_length (rejected), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rejected, 0), "line"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rejected, 3), "line"), ==, 13);

  g_assert_cmpuint (api (f, "GET", "/api/departments", NULL, &departments), ==, 200);
  g_assert_cmpint (json_object_get_int_member (obj (departments), "total"), ==, 5);
  it = group_named (departments, "IT");
  g_assert_nonnull (it);
  g_assert_cmpint (json_object_get_int_member (it, "count"), ==, 4);
  g_assert_cmpuint (api (f, "GET", "/api/districts", NULL, &districts), ==, 200);
  g_assert_cmpint (json_object_get_int_member (obj (districts), "total"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (group_named (districts, "Yunusobod"), "count"), ==, 4);
  g_assert_cmpuint (api (f, "POST", "/api/departments", "{}", NULL), ==, 405);
  g_assert_cmpuint (api (f, "GET", "/api/departments/1", NULL, NULL), ==, 404);

  g_assert_cmpint (total_of (f, "/api/contacts"), ==, 8);
  g_assert_cmpint (total_of (f, "/api/contacts?department=IT"), ==, 4);
  by_id = g_strdup_printf ("/api/contacts?department=%" G_GINT64_FORMAT, json_object_get_int_member (it, "id"));
  g_assert_cmpint (total_of (f, by_id), ==, 4);
  g_assert_cmpint (total_of (f, "/api/contacts?department=IT&district=Chilonzor"), ==, 1);
  g_assert_cmpint (total_of (f, "/api/contacts?district=%D0%A7%D0%B8%D0%BB%D0%B0%D0%BD%D0%B7%D0%B0%D1%80"), ==, 1);
  g_assert_cmpint (total_of (f, "/api/contacts?department=No+such"), ==, 0);
  g_assert_cmpint (total_of (f, "/api/contacts?q=shoxa"), ==, 1);
  g_assert_cmpint (total_of (f, "/api/contacts?q=%2B998+90+765"), ==, 0);
  g_assert_cmpint (total_of (f, "/api/contacts?q=90+765"), ==, 1);

  g_assert_cmpuint (api (f, "GET", "/api/contacts?limit=3&offset=2", NULL, &page), ==, 200);
  g_assert_cmpint (json_object_get_int_member (obj (page), "total"), ==, 8);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (page), "items")), ==, 3);
  g_assert_cmpuint (api (f, "GET", "/api/contacts?limit=abc", NULL, &bad), ==, 400);
  assert_error (bad, "invalid_parameter");
  g_assert_cmpuint (api (f, "GET", "/api/contacts?limit=5000", NULL, NULL), ==, 400);
  g_assert_cmpuint (api (f, "GET", "/api/contacts?offset=-1", NULL, NULL), ==, 400);
}

static void
test_import_multipart (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = NULL;
  g_autofree char *garbage = NULL;
  g_autofree char *unterminated = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SoupMultipart) form = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMultipart) no_file = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *uri = g_strconcat (f->url, "api/contacts/import", NULL);
  gsize len;

  csv = read_fixture ("mixed.csv", &len);
  bytes = g_bytes_new (csv, len);
  soup_multipart_append_form_string (form, "comment", "weekly list");
  soup_multipart_append_form_file (form, "file", "xodimlar.csv", "text/csv", bytes);
  msg = soup_message_new_from_multipart (uri, form);
  g_assert_cmpuint (send (f, msg, f->token, &body), ==, 200);
  node = json_from_string (body, NULL);
  g_assert_cmpint (json_object_get_int_member (obj (node), "imported"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (obj (node), "updated"), ==, 1);
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&body, g_free);
  g_clear_object (&msg);

  soup_multipart_append_form_string (no_file, "comment", "forgot the file");
  msg = soup_message_new_from_multipart (uri, no_file);
  g_assert_cmpuint (send (f, msg, f->token, &body), ==, 400);
  node = json_from_string (body, NULL);
  assert_error (node, "no_file");
  g_clear_pointer (&node, json_node_unref);

  /* Broken files: a clear error and nothing imported. */
  g_assert_cmpuint (api (f, "DELETE", "/api/contacts/1", NULL, NULL), ==, 204);
  g_assert_cmpint (total_of (f, "/api/contacts"), ==, 7);
  garbage = read_fixture ("garbage.bin", &len);
  g_assert_cmpuint (import_text (f, garbage, len, &node), ==, 400);
  assert_error (node, "invalid_csv");
  g_assert_nonnull (strstr (json_object_get_string_member (obj (node), "message"), "not a CSV file"));
  g_clear_pointer (&node, json_node_unref);
  unterminated = read_fixture ("unterminated.csv", &len);
  g_assert_cmpuint (import_text (f, unterminated, len, &node), ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (obj (node), "message"), "Line 3"));
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (import_text (f, "", 0, &node), ==, 400);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (total_of (f, "/api/contacts"), ==, 7);
  g_assert_cmpuint (api (f, "GET", "/api/contacts/import", NULL, NULL), ==, 405);
}

static void
test_export (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *only_it = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) filtered = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *disposition = NULL;
  SoupMessageHeaders *h;
  gsize len;

  csv = read_fixture ("mixed.csv", &len);
  g_assert_cmpuint (import_text (f, csv, len, &report), ==, 200);
  g_clear_pointer (&report, json_node_unref);

  msg = new_message (f, "GET", "/api/contacts.csv", NULL, NULL, 0);
  g_assert_cmpuint (send (f, msg, f->token, &exported), ==, 200);
  h = soup_message_get_response_headers (msg);
  g_assert_cmpstr (soup_message_headers_get_content_type (h, NULL), ==, "text/csv");
  g_assert_true (soup_message_headers_get_content_disposition (h, &disposition, &params));
  g_assert_cmpstr (disposition, ==, "attachment");
  g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, "contacts.csv");
  g_assert_true (g_str_has_prefix (exported, "\xEF\xBB\xBFname,phone,department,district,position,note,active\r\n"));
  g_assert_nonnull (strstr (exported, "\"Shahnoza \"\"Shoxa\"\" Karimova\",+998935556677,"));

  /* Re-importing the export changes nothing: every row is an update. */
  g_assert_cmpuint (import_text (f, exported, strlen (exported), &report), ==, 200);
  g_assert_cmpint (json_object_get_int_member (obj (report), "imported"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (obj (report), "updated"), ==, 8);
  g_assert_cmpint (total_of (f, "/api/contacts"), ==, 8);

  filtered = new_message (f, "GET", "/api/contacts.csv?department=IT", NULL, NULL, 0);
  g_assert_cmpuint (send (f, filtered, f->token, &only_it), ==, 200);
  {
    g_auto(GStrv) lines = g_strsplit (only_it, "\r\n", -1);
    /* header + 4 contacts + the empty tail (line breaks inside notes are plain LF) */
    g_assert_cmpuint (g_strv_length (lines), ==, 6);
  }
  g_assert_cmpuint (api (f, "POST", "/api/contacts.csv", "{}", NULL), ==, 405);
  g_assert_cmpuint (api (f, "GET", "/api/contacts.csvx", NULL, NULL), ==, 404);
}

static void
test_dnc (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonNode) node = NULL;

#define RESET() g_clear_pointer (&node, json_node_unref)
  g_assert_cmpuint (api (f, "POST", "/api/contacts", "{\"name\": \"Ali\", \"phone\": \"+998901234567\"}", NULL), ==, 201);
  g_assert_cmpuint (api (f, "POST", "/api/dnc", "{\"phone\": \"+998 90 123-45-67\", \"reason\": \"asked\"}", &node), ==, 201);
  g_assert_cmpstr (json_object_get_string_member (obj (node), "phone"), ==, "+998901234567");
  g_assert_cmpstr (json_object_get_string_member (obj (node), "reason"), ==, "asked");
  g_assert_cmpstr (json_object_get_string_member (obj (node), "contact_name"), ==, "Ali");
  g_assert_cmpint (json_object_get_int_member (obj (node), "added_at"), >, 0);
  RESET ();
  g_assert_cmpuint (api (f, "POST", "/api/dnc", "{\"phone\": \"+998901234567\"}", NULL), ==, 200);
  g_assert_cmpuint (api (f, "POST", "/api/dnc", "{\"phone\": \"1001\", \"reason\": null}", NULL), ==, 201);
  g_assert_cmpuint (api (f, "POST", "/api/dnc", "{\"phone\": \"abc\"}", &node), ==, 400);
  assert_error (node, "invalid_phone");
  RESET ();
  g_assert_cmpuint (api (f, "POST", "/api/dnc", "{\"phone\": 998}", &node), ==, 400);
  assert_error (node, "invalid_field");
  RESET ();
  g_assert_cmpuint (api (f, "POST", "/api/dnc", "{oops", &node), ==, 400);
  assert_error (node, "invalid_json");
  RESET ();
  g_assert_cmpint (total_of (f, "/api/dnc"), ==, 2);

  g_assert_cmpuint (api (f, "GET", "/api/contacts?q=ali", NULL, &node), ==, 200);
  g_assert_true (json_object_get_boolean_member (
    json_array_get_object_element (json_object_get_array_member (obj (node), "items"), 0), "do_not_call"));
  RESET ();

  g_assert_cmpuint (api (f, "GET", "/api/dnc/%2B998901234567", NULL, &node), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj (node), "phone"), ==, "+998901234567");
  RESET ();
  g_assert_cmpuint (api (f, "GET", "/api/dnc/+998901234567", NULL, NULL), ==, 200);
  g_assert_cmpuint (api (f, "GET", "/api/dnc/1002", NULL, NULL), ==, 404);
  g_assert_cmpuint (api (f, "DELETE", "/api/dnc/%2B998%2090%20123%2045%2067", NULL, NULL), ==, 204);
  g_assert_cmpuint (api (f, "DELETE", "/api/dnc/%2B998901234567", NULL, &node), ==, 404);
  assert_error (node, "not_found");
  RESET ();
  g_assert_cmpuint (api (f, "DELETE", "/api/dnc/abc", NULL, &node), ==, 400);
  RESET ();
  g_assert_cmpuint (api (f, "PUT", "/api/dnc", "{}", NULL), ==, 405);
  g_assert_cmpuint (api (f, "GET", "/api/dncx", NULL, NULL), ==, 404);
  g_assert_cmpint (total_of (f, "/api/dnc"), ==, 1);
#undef RESET
}

static void
test_too_large (Fixture *f, gconstpointer data)
{
  gsize big = JARCHI_CONTACTS_API_IMPORT_MAX_BYTES + 1;
  g_autofree char *csv = g_malloc (big);
  g_autofree char *json = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonNode) node = NULL;
  GString *s = g_string_new ("name,phone\r\n");

  /* A valid CSV just over the limit: refused whole. */
  while (s->len < big)
    g_string_append_printf (s, "Name %zu,+99890%07zu\r\n", s->len, s->len % 10000000);
  g_string_truncate (s, big);
  memcpy (csv, s->str, big);
  g_string_free (s, TRUE);

  for (int expect_continue = 0; expect_continue <= 1; expect_continue++)
    {
      msg = new_message (f, "POST", "/api/contacts/import", "text/csv", csv, (gssize) big);
      /* With "Expect: 100-continue" the body is never sent; without, it is read and dropped. */
      if (expect_continue)
        soup_message_headers_set_expectations (soup_message_get_request_headers (msg),
                                               SOUP_EXPECTATION_CONTINUE);
      g_assert_cmpuint (send (f, msg, f->token, &body), ==, 413);
      node = json_from_string (body, NULL);
      assert_error (node, "too_large");
      g_clear_pointer (&node, json_node_unref);
      g_clear_pointer (&body, g_free);
      g_clear_object (&msg);
    }

  json = g_strdup_printf ("{\"name\": \"A\", \"phone\": \"1001\", \"note\": \"%0*d\"}",
                          JARCHI_CONTACTS_API_JSON_MAX_BYTES, 0);
  g_assert_cmpuint (api (f, "POST", "/api/contacts", json, &node), ==, 413);
  assert_error (node, "too_large");
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (total_of (f, "/api/contacts"), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/contacts-api/needs-token", test_needs_token);
  ADD ("/contacts-api/crud", test_crud);
  ADD ("/contacts-api/import-and-filters", test_import_and_filters);
  ADD ("/contacts-api/import-multipart", test_import_multipart);
  ADD ("/contacts-api/export", test_export);
  ADD ("/contacts-api/dnc", test_dnc);
  ADD ("/contacts-api/too-large", test_too_large);
#undef ADD

  return g_test_run ();
}
