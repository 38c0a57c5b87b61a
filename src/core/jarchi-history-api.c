/* JarchiHistoryApi: /api/history, /api/history.csv and call recordings over the dashboard server, and the "history" WebSocket event. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-history-api"
#include "jarchi-config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "jarchi-api-helpers.h"
#include "jarchi-error.h"
#include "jarchi-history-api.h"

#define ROUTE     "/api/history"
#define CSV_ROUTE "/api/history.csv"

struct _JarchiHistoryApi
{
  GObject            parent_instance;
  JarchiCallHistory *history;
  char              *data_dir;
  JarchiWebServer   *server;   /* weak: the server owns us */
};

G_DEFINE_FINAL_TYPE (JarchiHistoryApi, jarchi_history_api, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HISTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- filters --------------------------------------------------------------------------------- */

gboolean
jarchi_history_api_parse_time (const char *text, gint64 *unix_seconds)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *fixed = NULL;
  guint64 n;

  if (text == NULL || *text == '\0')
    return FALSE;
  if (g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64 / 2, &n, NULL))
    {
      *unix_seconds = (gint64) n;
      return TRUE;
    }
  /* A '+' of an offset arrives as a space when the client did not percent-encode it. */
  fixed = g_strdelimit (g_strdup (text), " ", '+');
  if (strlen (fixed) == 10)
    {
      g_autofree char *midnight = g_strconcat (fixed, "T00:00:00Z", NULL);
      dt = g_date_time_new_from_iso8601 (midnight, utc);
    }
  else
    dt = g_date_time_new_from_iso8601 (fixed, utc);
  if (dt == NULL)
    return FALSE;
  *unix_seconds = g_date_time_to_unix (dt);
  return TRUE;
}

static gboolean
invalid_parameter (SoupServerMessage *msg, const char *message)
{
  jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_parameter", message);
  return FALSE;
}

/* The query's filter; FALSE with a 400 sent. @filter->q points into @query. */
static gboolean
parse_filter (SoupServerMessage *msg, GHashTable *query, JarchiHistoryFilter *filter)
{
  const char *direction = jarchi_api_param (query, "direction");
  const char *from = jarchi_api_param (query, "from");
  const char *to = jarchi_api_param (query, "to");

  *filter = (JarchiHistoryFilter) JARCHI_HISTORY_FILTER_INIT;
  filter->q = jarchi_api_param (query, "q");
  if (direction != NULL)
    {
      filter->any_direction = FALSE;
      if (g_str_equal (direction, "incoming"))
        filter->direction = JARCHI_CALL_DIRECTION_INCOMING;
      else if (g_str_equal (direction, "outgoing"))
        filter->direction = JARCHI_CALL_DIRECTION_OUTGOING;
      else
        return invalid_parameter (msg, _("“direction” must be incoming or outgoing"));
    }
  if (from != NULL && !jarchi_history_api_parse_time (from, &filter->from))
    return invalid_parameter (msg, _("“from” must be a date, an ISO 8601 time or Unix seconds"));
  if (to != NULL && !jarchi_history_api_parse_time (to, &filter->to))
    return invalid_parameter (msg, _("“to” must be a date, an ISO 8601 time or Unix seconds"));
  return TRUE;
}

static void
reply_gerror (SoupServerMessage *msg, const GError *error)
{
  if (g_error_matches (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND))
    jarchi_api_reply_not_found (msg, error->message);
  else
    {
      g_message ("history API: %s", error->message);
      jarchi_web_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error", error->message);
    }
}

/* ---- routes ---------------------------------------------------------------------------------- */

static JsonNode *
entry_json (gpointer item, gpointer user_data)
{
  return jarchi_history_entry_to_json (item);
}

static void
list_history (JarchiHistoryApi *self, SoupServerMessage *msg, GHashTable *query)
{
  JarchiHistoryFilter filter;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint limit, offset, total = 0;

  if (!parse_filter (msg, query, &filter) ||
      !jarchi_api_param_uint (msg, query, "limit", JARCHI_HISTORY_API_MAX_LIMIT,
                              JARCHI_HISTORY_API_DEFAULT_LIMIT, &limit) ||
      !jarchi_api_param_uint (msg, query, "offset", G_MAXINT, 0, &offset))
    return;
  items = jarchi_call_history_query (self->history, &filter, offset, limit, &total, &error);
  if (items == NULL)
    reply_gerror (msg, error);
  else
    jarchi_api_reply_list (msg, items, total, entry_json, NULL);
}

/* The file, only when it really is in DATA_DIR/recordings; any other case is a plain 404. */
static void
reply_recording (JarchiHistoryApi *self, SoupServerMessage *msg, JarchiHistoryEntry *entry)
{
  const char *path = jarchi_history_entry_get_recording_path (entry);
  g_autofree char *dir = g_build_filename (self->data_dir, "recordings", NULL);
  g_autofree char *root = realpath (dir, NULL);
  g_autofree char *real = path ? realpath (path, NULL) : NULL;
  g_autofree char *prefix = root ? g_strconcat (root, "/", NULL) : NULL;
  g_autofree char *filename = NULL;
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) params = NULL;
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);

  if (real == NULL || prefix == NULL || !g_str_has_prefix (real, prefix) ||
      (file = g_mapped_file_new (real, FALSE, NULL)) == NULL)
    {
      jarchi_api_reply_not_found (msg, _("This call has no recording"));
      return;
    }
  bytes = g_mapped_file_get_bytes (file);
  filename = g_strdup_printf ("call-%" G_GINT64_FORMAT ".ogg", jarchi_history_entry_get_id (entry));
  params = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (params, "filename", filename);
  soup_message_headers_set_content_disposition (h, "inline", params);
  soup_message_headers_set_content_type (h, "audio/ogg", NULL);
  soup_message_headers_replace (h, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
}

static void
handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
         gpointer user_data)
{
  JarchiHistoryApi *self = user_data;
  g_autoptr(JarchiHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  const char *rest;
  guint64 id;

  if (!jarchi_api_is_method (msg, "GET") && !jarchi_api_is_method (msg, "HEAD"))
    {
      jarchi_api_reply_method_not_allowed (msg, "GET, HEAD");
      return;
    }
  if (g_str_equal (path, ROUTE))
    {
      list_history (self, msg, query);
      return;
    }
  if (!jarchi_api_path_id (path, ROUTE, &id, &rest) || (rest[0] != '\0' && !g_str_equal (rest, "/recording")))
    {
      jarchi_api_reply_not_found (msg, NULL);
      return;
    }
  entry = jarchi_call_history_get (self->history, (gint64) id, &error);
  if (entry == NULL)
    reply_gerror (msg, error);
  else if (rest[0] == '\0')
    {
      g_autoptr(JsonNode) node = jarchi_history_entry_to_json (entry);
      jarchi_web_reply_json (msg, SOUP_STATUS_OK, node);
    }
  else
    reply_recording (self, msg, entry);
}

/* ---- the streamed CSV export ----------------------------------------------------------------- */

typedef struct {
  JarchiCallHistory      *history;
  JarchiHistoryFilter     filter;
  char                   *q;
  JarchiHistoryCsvCursor  cursor;
} CsvStream;

static void
csv_stream_free (gpointer data, GClosure *closure)
{
  CsvStream *s = data;

  g_object_unref (s->history);
  g_free (s->q);
  g_free (s);
}

/* Appends the next piece; libsoup asks for it once the last one is written. */
static void
csv_next (SoupServerMessage *msg, gpointer user_data)
{
  CsvStream *s = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr(GBytes) piece = NULL;
  g_autoptr(GError) error = NULL;

  if (s->cursor.done)
    return;
  piece = jarchi_call_history_export_csv_chunk (s->history, &s->filter, &s->cursor,
                                                JARCHI_HISTORY_API_CSV_ROWS, &error);
  if (piece == NULL)
    {
      /* The status is gone already: end the body short, and say so in the log. */
      g_message ("history API: CSV export cut short: %s", error->message);
      s->cursor.done = TRUE;
    }
  else if (g_bytes_get_size (piece) > 0)
    soup_message_body_append_bytes (body, piece);
  if (s->cursor.done)
    soup_message_body_complete (body);
}

static void
csv_handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
             gpointer user_data)
{
  JarchiHistoryApi *self = user_data;
  JarchiHistoryFilter filter;
  g_autoptr(GHashTable) params = NULL;
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  CsvStream *s;

  if (!g_str_equal (path, CSV_ROUTE))
    {
      jarchi_api_reply_not_found (msg, NULL);
      return;
    }
  if (!jarchi_api_is_method (msg, "GET") && !jarchi_api_is_method (msg, "HEAD"))
    {
      jarchi_api_reply_method_not_allowed (msg, "GET, HEAD");
      return;
    }
  if (!parse_filter (msg, query, &filter))
    return;

  params = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (params, "filename", "call-history.csv");
  soup_message_headers_set_content_disposition (h, "attachment", params);
  soup_message_headers_set_content_type (h, "text/csv; charset=utf-8", NULL);
  soup_message_headers_replace (h, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  if (jarchi_api_is_method (msg, "HEAD"))
    return;

  /* Pieces go out as they are made and are not kept: memory stays flat for any history. */
  soup_message_headers_set_encoding (h, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  s = g_new0 (CsvStream, 1);
  s->history = g_object_ref (self->history);
  s->q = g_strdup (filter.q);
  s->filter = filter;
  s->filter.q = s->q;
  g_signal_connect_data (msg, "wrote-chunk", G_CALLBACK (csv_next), s, csv_stream_free, 0);
  csv_next (msg, s);
}

/* ---- events and object ----------------------------------------------------------------------- */

static void
on_entry_ended (JarchiCallHistory *history, JarchiHistoryEntry *entry, gpointer user_data)
{
  JarchiHistoryApi *self = user_data;

  if (jarchi_api_has_clients (self->server))
    jarchi_api_broadcast_event (self->server, "history", "entry", jarchi_history_entry_to_json (entry));
}

static void
jarchi_history_api_dispose (GObject *object)
{
  JarchiHistoryApi *self = JARCHI_HISTORY_API (object);

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->history);
  g_clear_weak_pointer (&self->server);

  G_OBJECT_CLASS (jarchi_history_api_parent_class)->dispose (object);
}

static void
jarchi_history_api_finalize (GObject *object)
{
  g_clear_pointer (&JARCHI_HISTORY_API (object)->data_dir, g_free);
  G_OBJECT_CLASS (jarchi_history_api_parent_class)->finalize (object);
}

static void
jarchi_history_api_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, JARCHI_HISTORY_API (object)->history);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_history_api_class_init (JarchiHistoryApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_history_api_dispose;
  object_class->finalize = jarchi_history_api_finalize;
  object_class->get_property = jarchi_history_api_get_property;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, JARCHI_TYPE_CALL_HISTORY,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_history_api_init (JarchiHistoryApi *self)
{
}

JarchiHistoryApi *
jarchi_history_api_register (JarchiWebServer *server, JarchiCallHistory *history, const char *data_dir)
{
  JarchiHistoryApi *self;

  g_return_val_if_fail (JARCHI_IS_WEB_SERVER (server), NULL);
  g_return_val_if_fail (JARCHI_IS_CALL_HISTORY (history), NULL);
  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (JARCHI_TYPE_HISTORY_API, NULL);
  self->history = g_object_ref (history);
  self->data_dir = g_strdup (data_dir);
  g_set_weak_pointer (&self->server, server);
  g_signal_connect (history, "entry-ended", G_CALLBACK (on_entry_ended), self);

  jarchi_web_server_add_route (server, ROUTE, handler, self);
  /* A longer prefix wins in libsoup, so the export is not taken for a history route. */
  jarchi_web_server_add_route (server, CSV_ROUTE, csv_handler, self);
  g_object_set_data_full (G_OBJECT (server), "jarchi-history-api", self, g_object_unref);
  return self;
}
