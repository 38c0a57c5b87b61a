/* HTTP routes for contacts: /api/contacts[/{id}|/import], /api/contacts.csv, /api/departments, /api/districts, /api/dnc. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-api-helpers.h"
#include "jarchi-contacts-api.h"
#include "jarchi-error.h"
#include "jarchi-phone.h"

#define BOOK_KEY "jarchi-contacts-api-book"

/* --- replies and request bodies --- */

static void
reply_gerror (SoupServerMessage *msg, const GError *error, const char *invalid_code)
{
  if (g_error_matches (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND))
    jarchi_web_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", error->message);
  else if (g_error_matches (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT))
    jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, invalid_code, error->message);
  else
    {
      g_warning ("Contacts API: %s", error->message);
      jarchi_web_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", error->message);
    }
}

static void
reply_no_content (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-store");
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static void
reply_contact (SoupServerMessage *msg, guint status, JarchiContact *contact)
{
  g_autoptr(JsonNode) node = jarchi_contact_to_json (contact);

  jarchi_web_reply_json (msg, status, node);
}

/* The whole request body; %NULL (and a 413 sent) when it is over @max. The server
 * refuses large bodies before reading them; this is the last line of defence. */
static GBytes *
read_body (SoupServerMessage *msg, gsize max)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (body->length < 0 || (guint64) body->length > max)
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                              _("The request body is larger than this route accepts"));
      return NULL;
    }
  return soup_message_body_flatten (body);
}

/* --- query parameters --- */

/* A group filter is an id or a name; 0 means any, -1 a name that does not exist (matches nothing). */
static gint64
group_param (JarchiContactBook *book, GHashTable *query, const char *name, gboolean department)
{
  const char *value = jarchi_api_param (query, name);
  guint64 id;
  gint64 found;

  if (value == NULL)
    return 0;
  if (g_ascii_string_to_unsigned (value, 10, 1, G_MAXINT64, &id, NULL))
    return (gint64) id;
  found = department ? jarchi_contact_book_find_department (book, value)
                     : jarchi_contact_book_find_district (book, value);
  return found > 0 ? found : -1;
}

/* --- contacts --- */

static JsonNode *
contact_json (gpointer contact, gpointer user_data)
{
  return jarchi_contact_to_json (contact);
}

static void
list_contacts (JarchiContactBook *book, SoupServerMessage *msg, GHashTable *query)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint limit, offset, total = 0;

  if (!jarchi_api_param_uint (msg, query, "limit", JARCHI_CONTACTS_API_MAX_LIMIT,
                              JARCHI_CONTACTS_API_DEFAULT_LIMIT, &limit) ||
      !jarchi_api_param_uint (msg, query, "offset", G_MAXUINT, 0, &offset))
    return;

  items = jarchi_contact_book_query (book, group_param (book, query, "department", TRUE),
                                     group_param (book, query, "district", FALSE),
                                     jarchi_api_param (query, "q"), offset, limit, &total, &error);
  if (items == NULL)
    {
      reply_gerror (msg, error, "invalid_parameter");
      return;
    }
  jarchi_api_reply_list (msg, items, total, contact_json, NULL);
}

typedef enum {
  EXPECT_STRING,
  EXPECT_STRING_OR_NULL,
  EXPECT_BOOLEAN,
} Expected;

static gboolean
field_error (SoupServerMessage *msg, const char *member, Expected expected)
{
  g_autofree char *message = NULL;

  switch (expected)
    {
    case EXPECT_STRING:
      message = g_strdup_printf (_("“%s” must be a string"), member);
      break;
    case EXPECT_STRING_OR_NULL:
      message = g_strdup_printf (_("“%s” must be a string or null"), member);
      break;
    case EXPECT_BOOLEAN:
    default:
      message = g_strdup_printf (_("“%s” must be true or false"), member);
      break;
    }
  jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_field", message);
  return FALSE;
}

/* Copies the members present in @obj onto @contact; sends a 400 and fails on a wrong type. */
static gboolean
apply_fields (SoupServerMessage *msg, JsonObject *obj, JarchiContact *contact)
{
  static const char * const strings[] = { "name", "phone", "department", "district", "position", "note" };

  for (gsize i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      JsonNode *node = json_object_get_member (obj, strings[i]);
      gboolean nullable = i == 2 || i == 3;
      const char *value;

      if (node == NULL)
        continue;
      if (nullable && JSON_NODE_HOLDS_NULL (node))
        value = "";
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        value = json_node_get_string (node);
      else
        return field_error (msg, strings[i], nullable ? EXPECT_STRING_OR_NULL : EXPECT_STRING);
      g_object_set (contact, strings[i], value, NULL);
    }

  if (json_object_has_member (obj, "active"))
    {
      JsonNode *node = json_object_get_member (obj, "active");

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return field_error (msg, "active", EXPECT_BOOLEAN);
      jarchi_contact_set_active (contact, json_node_get_boolean (node));
    }
  return TRUE;
}

/* Validates, refuses a phone another contact has (409), then adds or updates. */
static void
save_contact (JarchiContactBook *book, SoupServerMessage *msg, JarchiContact *contact, gboolean create)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiContact) clash = NULL;
  g_autoptr(JarchiContact) check = jarchi_contact_copy (contact);
  gboolean ok;

  if (!jarchi_contact_normalize (check, &error))
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_contact", error->message);
      return;
    }
  clash = jarchi_contact_book_find_by_phone (book, jarchi_contact_get_phone (check));
  if (clash != NULL && jarchi_contact_get_id (clash) != jarchi_contact_get_id (contact))
    {
      g_autofree char *message = g_strdup_printf (_("%s already has the phone number %s"),
                                                  jarchi_contact_get_name (clash),
                                                  jarchi_contact_get_phone (clash));
      jarchi_web_reply_error (msg, SOUP_STATUS_CONFLICT, "phone_taken", message);
      return;
    }

  ok = create ? jarchi_contact_book_add (book, contact, &error)
              : jarchi_contact_book_update (book, contact, &error);
  if (!ok)
    reply_gerror (msg, error, "invalid_contact");
  else
    reply_contact (msg, create ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, contact);
}

static void
create_contact (JarchiContactBook *book, SoupServerMessage *msg)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JarchiContact) contact = jarchi_contact_new ();
  JsonObject *obj = jarchi_api_read_object (msg, JARCHI_CONTACTS_API_JSON_MAX_BYTES, FALSE, &root);

  if (obj != NULL && apply_fields (msg, obj, contact))
    save_contact (book, msg, contact, TRUE);
}

static void
contact_by_id (JarchiContactBook *book, SoupServerMessage *msg, gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiContact) contact = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj;

  if (!jarchi_api_is_method (msg, "GET") && !jarchi_api_is_method (msg, "PATCH") &&
      !jarchi_api_is_method (msg, "DELETE"))
    {
      jarchi_api_reply_method_not_allowed (msg, "GET, PATCH, DELETE");
      return;
    }
  if (jarchi_api_is_method (msg, "DELETE"))
    {
      if (jarchi_contact_book_remove (book, id, &error))
        reply_no_content (msg);
      else
        reply_gerror (msg, error, "invalid_contact");
      return;
    }

  contact = jarchi_contact_book_get (book, id, &error);
  if (contact == NULL)
    {
      reply_gerror (msg, error, "invalid_contact");
      return;
    }
  if (jarchi_api_is_method (msg, "GET"))
    {
      reply_contact (msg, SOUP_STATUS_OK, contact);
      return;
    }
  obj = jarchi_api_read_object (msg, JARCHI_CONTACTS_API_JSON_MAX_BYTES, FALSE, &root);
  if (obj != NULL && apply_fields (msg, obj, contact))
    save_contact (book, msg, contact, FALSE);
}

/* The uploaded file: the multipart part named "file" (or the first with a file name), else the body. */
static GBytes *
import_payload (SoupServerMessage *msg, GBytes *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(SoupMultipart) multipart = NULL;
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  GBytes *fallback = NULL;

  if (g_strcmp0 (type, "multipart/form-data") != 0)
    return g_bytes_ref (body);

  multipart = soup_multipart_new_from_message (headers, body);
  if (multipart == NULL)
    return NULL;
  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers;
      GBytes *part_body;
      g_autoptr(GHashTable) params = NULL;
      g_autofree char *disposition = NULL;

      if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body))
        continue;
      if (!soup_message_headers_get_content_disposition (part_headers, &disposition, &params))
        continue;
      if (g_strcmp0 (g_hash_table_lookup (params, "name"), "file") == 0)
        return g_bytes_ref (part_body);
      if (fallback == NULL && g_hash_table_contains (params, "filename"))
        fallback = part_body;
    }
  return fallback ? g_bytes_ref (fallback) : NULL;
}

static void
import_contacts (JarchiContactBook *book, SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiImportReport) report = NULL;
  g_autoptr(JsonNode) node = NULL;
  gsize len;
  const char *data;

  if (!jarchi_api_is_method (msg, "POST"))
    {
      jarchi_api_reply_method_not_allowed (msg, "POST");
      return;
    }
  body = read_body (msg, JARCHI_CONTACTS_API_IMPORT_MAX_BYTES);
  if (body == NULL)
    return;
  file = import_payload (msg, body);
  if (file == NULL)
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "no_file",
                              _("The form has no file field with the CSV file"));
      return;
    }

  data = g_bytes_get_data (file, &len);
  report = jarchi_contact_book_import_csv (book, data ? data : "", len, &error);
  if (report == NULL)
    {
      reply_gerror (msg, error, "invalid_csv");
      return;
    }
  node = jarchi_import_report_to_json (report);
  jarchi_web_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
contacts_handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path,
                  GHashTable *query, gpointer user_data)
{
  JarchiContactBook *book = user_data;
  const char *rest = path + strlen ("/api/contacts");
  guint64 id;

  if (rest[0] == '\0')
    {
      if (jarchi_api_is_method (msg, "GET"))
        list_contacts (book, msg, query);
      else if (jarchi_api_is_method (msg, "POST"))
        create_contact (book, msg);
      else
        jarchi_api_reply_method_not_allowed (msg, "GET, POST");
      return;
    }
  /* libsoup matches plain string prefixes: "/api/contactsfoo" lands here too. */
  if (rest[0] != '/')
    jarchi_api_reply_not_found (msg, NULL);
  else if (g_str_equal (rest, "/import"))
    import_contacts (book, msg);
  else if (g_ascii_string_to_unsigned (rest + 1, 10, 1, G_MAXINT64, &id, NULL))
    contact_by_id (book, msg, (gint64) id);
  else
    jarchi_api_reply_not_found (msg, NULL);
}

static void
export_handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path,
                GHashTable *query, gpointer user_data)
{
  JarchiContactBook *book = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GHashTable) params = NULL;
  SoupMessageHeaders *h;

  if (!g_str_equal (path, "/api/contacts.csv"))
    {
      jarchi_api_reply_not_found (msg, NULL);
      return;
    }
  if (!jarchi_api_is_method (msg, "GET") && !jarchi_api_is_method (msg, "HEAD"))
    {
      jarchi_api_reply_method_not_allowed (msg, "GET, HEAD");
      return;
    }
  csv = jarchi_contact_book_export_csv (book, group_param (book, query, "department", TRUE),
                                        group_param (book, query, "district", FALSE),
                                        jarchi_api_param (query, "q"), &error);
  if (csv == NULL)
    {
      reply_gerror (msg, error, "invalid_parameter");
      return;
    }

  h = soup_server_message_get_response_headers (msg);
  params = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (params, "filename", "contacts.csv");
  soup_message_headers_set_content_disposition (h, "attachment", params);
  soup_message_headers_replace (h, "Cache-Control", "no-store");
  soup_message_headers_replace (h, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/csv; charset=utf-8", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
}

/* --- departments and districts --- */

static JsonNode *
group_json (gpointer item, gpointer user_data)
{
  JarchiGroup *group = item;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, jarchi_group_get_id (group));
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, jarchi_group_get_name (group));
  json_builder_set_member_name (b, "count");
  json_builder_add_int_value (b, jarchi_group_get_count (group));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
groups_handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path,
                GHashTable *query, gpointer user_data)
{
  JarchiContactBook *book = g_object_get_data (G_OBJECT (server), BOOK_KEY);
  gboolean departments = GPOINTER_TO_INT (user_data);
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (path, departments ? "/api/departments" : "/api/districts"))
    {
      jarchi_api_reply_not_found (msg, NULL);
      return;
    }
  if (!jarchi_api_is_method (msg, "GET"))
    {
      jarchi_api_reply_method_not_allowed (msg, "GET");
      return;
    }
  groups = departments ? jarchi_contact_book_list_departments (book, &error)
                       : jarchi_contact_book_list_districts (book, &error);
  if (groups == NULL)
    reply_gerror (msg, error, "invalid_parameter");
  else
    jarchi_api_reply_list (msg, groups, groups->len, group_json, NULL);
}

/* --- do-not-call --- */

static JsonNode *
dnc_json (gpointer entry, gpointer user_data)
{
  return jarchi_dnc_entry_to_json (entry);
}

static void
dnc_add (JarchiContactBook *book, SoupServerMessage *msg)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiDncEntry) entry = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *obj = jarchi_api_read_object (msg, JARCHI_CONTACTS_API_JSON_MAX_BYTES, FALSE, &root);
  JsonNode *phone, *reason;
  gboolean added = FALSE;

  if (obj == NULL)
    return;
  phone = json_object_get_member (obj, "phone");
  reason = json_object_get_member (obj, "reason");
  if (phone == NULL || !JSON_NODE_HOLDS_VALUE (phone) || json_node_get_value_type (phone) != G_TYPE_STRING)
    {
      field_error (msg, "phone", EXPECT_STRING);
      return;
    }
  if (reason != NULL && !JSON_NODE_HOLDS_NULL (reason) &&
      (!JSON_NODE_HOLDS_VALUE (reason) || json_node_get_value_type (reason) != G_TYPE_STRING))
    {
      field_error (msg, "reason", EXPECT_STRING_OR_NULL);
      return;
    }

  if (!jarchi_contact_book_add_dnc (book, json_node_get_string (phone),
                                    reason ? json_node_get_string (reason) : NULL, &added, &error))
    {
      reply_gerror (msg, error, "invalid_phone");
      return;
    }
  entry = jarchi_contact_book_get_dnc (book, json_node_get_string (phone), &error);
  if (entry == NULL)
    {
      reply_gerror (msg, error, "invalid_phone");
      return;
    }
  node = jarchi_dnc_entry_to_json (entry);
  jarchi_web_reply_json (msg, added ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, node);
}

static void
dnc_entry (JarchiContactBook *book, SoupServerMessage *msg, const char *segment)
{
  g_autofree char *phone = g_uri_unescape_string (segment, "/");
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiDncEntry) entry = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (phone == NULL || phone[0] == '\0')
    {
      jarchi_api_reply_not_found (msg, NULL);
      return;
    }
  if (jarchi_api_is_method (msg, "DELETE"))
    {
      if (jarchi_contact_book_remove_dnc (book, phone, &error))
        reply_no_content (msg);
      else
        reply_gerror (msg, error, "invalid_phone");
      return;
    }
  if (!jarchi_api_is_method (msg, "GET"))
    {
      jarchi_api_reply_method_not_allowed (msg, "GET, DELETE");
      return;
    }
  entry = jarchi_contact_book_get_dnc (book, phone, &error);
  if (entry == NULL)
    {
      reply_gerror (msg, error, "invalid_phone");
      return;
    }
  node = jarchi_dnc_entry_to_json (entry);
  jarchi_web_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
dnc_handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path,
             GHashTable *query, gpointer user_data)
{
  JarchiContactBook *book = user_data;
  const char *rest = path + strlen ("/api/dnc");

  if (rest[0] == '/' && rest[1] != '\0')
    {
      dnc_entry (book, msg, rest + 1);
      return;
    }
  if (rest[0] != '\0')
    jarchi_api_reply_not_found (msg, NULL);
  else if (jarchi_api_is_method (msg, "GET"))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) entries = jarchi_contact_book_list_dnc (book, &error);

      if (entries == NULL)
        reply_gerror (msg, error, "invalid_parameter");
      else
        jarchi_api_reply_list (msg, entries, entries->len, dnc_json, NULL);
    }
  else if (jarchi_api_is_method (msg, "POST"))
    dnc_add (book, msg);
  else
    jarchi_api_reply_method_not_allowed (msg, "GET, POST");
}

/**
 * jarchi_contacts_api_register:
 *
 * Adds the contacts routes to @server (see docs/api.md). The server keeps a
 * reference on @book for as long as it lives.
 */
void
jarchi_contacts_api_register (JarchiWebServer *server, JarchiContactBook *book)
{
  g_return_if_fail (JARCHI_IS_WEB_SERVER (server));
  g_return_if_fail (JARCHI_IS_CONTACT_BOOK (book));

  /* Routes carry no destroy notify, so the server itself holds the book. */
  g_object_set_data_full (G_OBJECT (server), BOOK_KEY, g_object_ref (book), g_object_unref);

  jarchi_web_server_add_route (server, "/api/contacts", contacts_handler, book);
  /* A longer prefix wins in libsoup, so the export is not taken for a contact route. */
  jarchi_web_server_add_route (server, "/api/contacts.csv", export_handler, book);
  jarchi_web_server_add_route (server, "/api/departments", groups_handler, GINT_TO_POINTER (TRUE));
  jarchi_web_server_add_route (server, "/api/districts", groups_handler, GINT_TO_POINTER (FALSE));
  jarchi_web_server_add_route (server, "/api/dnc", dnc_handler, book);

  jarchi_web_server_set_body_limit (server, "/api/contacts", JARCHI_CONTACTS_API_JSON_MAX_BYTES);
  jarchi_web_server_set_body_limit (server, "/api/contacts/import", JARCHI_CONTACTS_API_IMPORT_MAX_BYTES);
  jarchi_web_server_set_body_limit (server, "/api/dnc", JARCHI_CONTACTS_API_JSON_MAX_BYTES);
}
