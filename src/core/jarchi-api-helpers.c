/* Request, reply and event helpers shared by the dashboard's API routes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "jarchi-api-helpers.h"
#include "jarchi-web-server.h"

gboolean
jarchi_api_is_method (SoupServerMessage *msg, const char *method)
{
  return g_strcmp0 (soup_server_message_get_method (msg), method) == 0;
}

void
jarchi_api_reply_method_not_allowed (SoupServerMessage *msg, const char *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  jarchi_web_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                          _("This method is not allowed here"));
}

void
jarchi_api_reply_not_found (SoupServerMessage *msg, const char *message)
{
  jarchi_web_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                          message ? message : _("There is no such API route"));
}

void
jarchi_api_reply_list (SoupServerMessage *msg, GPtrArray *items, guint total,
                       JsonNode *(*to_json) (gpointer item, gpointer user_data), gpointer user_data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < items->len; i++)
    json_builder_add_value (b, to_json (g_ptr_array_index (items, i), user_data));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, total);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  jarchi_web_reply_json (msg, SOUP_STATUS_OK, node);
}

JsonObject *
jarchi_api_read_object (SoupServerMessage *msg, gsize max_bytes, gboolean empty_ok, JsonNode **root_out)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  gsize len;

  if (body->length < 0 || (guint64) body->length > max_bytes)
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                              _("The request body is larger than this route accepts"));
      return NULL;
    }
  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);
  if (len == 0 && empty_ok)
    {
      g_autoptr(JsonObject) empty = json_object_new ();

      *root_out = json_node_init_object (json_node_alloc (), empty);
      return json_node_get_object (*root_out);
    }
  parser = json_parser_new ();
  if (len == 0 || !g_utf8_validate_len (data, len, NULL) ||
      !json_parser_load_from_data (parser, data, (gssize) len, NULL) ||
      json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_json",
                              _("The request body must be a JSON object"));
      return NULL;
    }
  *root_out = json_parser_steal_root (parser);
  return json_node_get_object (*root_out);
}

static gboolean
field_error (SoupServerMessage *msg, const char *message_format, const char *member)
{
  g_autofree char *message = g_strdup_printf (message_format, member);

  jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_field", message);
  return FALSE;
}

gboolean
jarchi_api_get_string (SoupServerMessage *msg, JsonObject *obj, const char *member, gboolean nullable,
                       const char **out, gboolean *present)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (present)
    *present = node != NULL;
  if (node == NULL)
    return TRUE;
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *out = NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return field_error (msg, nullable ? _("“%s” must be a string or null") : _("“%s” must be a string"), member);
  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
jarchi_api_get_boolean (SoupServerMessage *msg, JsonObject *obj, const char *member, gboolean *out,
                        gboolean *present)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (present)
    *present = node != NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return field_error (msg, _("“%s” must be true or false"), member);
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
jarchi_api_get_integer (SoupServerMessage *msg, JsonObject *obj, const char *member, gint64 min,
                        gint64 max, gint64 *out, gboolean *present)
{
  JsonNode *node = json_object_get_member (obj, member);
  gint64 value;

  if (present)
    *present = node != NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return field_error (msg, _("“%s” must be a whole number"), member);
  value = json_node_get_int (node);
  if (value < min || value > max)
    return field_error (msg, _("“%s” is out of range"), member);
  *out = value;
  return TRUE;
}

const char *
jarchi_api_param (GHashTable *query, const char *name)
{
  const char *value = query ? g_hash_table_lookup (query, name) : NULL;

  return value && value[0] ? value : NULL;
}

gboolean
jarchi_api_param_range (GHashTable *query, const char *name, guint64 min, guint64 max, guint64 fallback,
                        guint64 *out)
{
  const char *value = jarchi_api_param (query, name);

  *out = fallback;
  return value == NULL || g_ascii_string_to_unsigned (value, 10, min, max, out, NULL);
}

gboolean
jarchi_api_param_uint (SoupServerMessage *msg, GHashTable *query, const char *name, guint max,
                       guint fallback, guint *out)
{
  guint64 n;

  *out = fallback;
  if (!jarchi_api_param_range (query, name, 0, max, fallback, &n))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” must be a whole number from 0 to %u"), name, max);

      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_parameter", message);
      return FALSE;
    }
  *out = (guint) n;
  return TRUE;
}

gboolean
jarchi_api_path_id (const char *path, const char *prefix, guint64 *id, const char **rest)
{
  gsize prefix_len = strlen (prefix);
  const char *start, *end;
  g_autofree char *digits = NULL;

  if (!g_str_has_prefix (path, prefix) || path[prefix_len] != '/')
    return FALSE;
  start = path + prefix_len + 1;
  end = strchr (start, '/');
  if (end == NULL)
    end = start + strlen (start);
  if (end == start || end - start > 19)
    return FALSE;
  digits = g_strndup (start, end - start);
  if (!g_ascii_string_to_unsigned (digits, 10, 1, G_MAXINT64, id, NULL))
    return FALSE;
  *rest = end;
  return TRUE;
}

gboolean
jarchi_api_has_clients (JarchiWebServer *server)
{
  return server != NULL && jarchi_web_server_get_n_clients (server) > 0;
}

void
jarchi_api_broadcast_event (JarchiWebServer *server, const char *type, const char *member, JsonNode *node)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) event = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, member);
  json_builder_add_value (b, node);
  json_builder_end_object (b);
  event = json_builder_get_root (b);
  jarchi_web_server_broadcast (server, event);
}
