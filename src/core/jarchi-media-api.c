/* /api/media over libsoup: JSON in and out, uploads as multipart or raw audio, WAV served back. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-api-helpers.h"
#include "jarchi-error.h"
#include "jarchi-media-api.h"
#include "jarchi-tts.h"

#define ROUTE              "/api/media"
#define LIST_DEFAULT_LIMIT 100
#define LIST_MAX_LIMIT     1000

/* A request answered later, from a worker's result: the message stays paused until then, and
 * is left alone if its connection went away meanwhile (a client gone, the server stopped). */
typedef struct {
  SoupServerMessage *msg;
  gulong             finished_id;
  gulong             disconnected_id;
  gboolean           gone;
} Pending;

static void
on_gone (SoupServerMessage *msg, gpointer user_data)
{
  Pending *pending = user_data;

  pending->gone = TRUE;
}

static Pending *
pending_new (SoupServerMessage *msg)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->msg = g_object_ref (msg);
  pending->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_gone), pending);
  pending->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_gone), pending);
  soup_server_message_pause (msg);
  return pending;
}

static void
pending_free (Pending *pending)
{
  g_clear_signal_handler (&pending->finished_id, pending->msg);
  g_clear_signal_handler (&pending->disconnected_id, pending->msg);
  g_clear_object (&pending->msg);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static JsonNode *
media_to_json (const JarchiMedia *m)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *audio_url = g_strdup_printf (ROUTE "/%" G_GINT64_FORMAT "/audio", m->id);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, m->id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, m->kind);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, m->name ? m->name : "");
  json_builder_set_member_name (b, "duration_ms");
  if (m->duration_ms >= 0)
    json_builder_add_int_value (b, m->duration_ms);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_int_value (b, m->created_at);
  if (m->text != NULL)
    {
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, m->text);
    }
  if (m->lang != NULL)
    {
      json_builder_set_member_name (b, "lang");
      json_builder_add_string_value (b, m->lang);
    }
  json_builder_set_member_name (b, "audio_url");
  json_builder_add_string_value (b, audio_url);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
reply_media (SoupServerMessage *msg, guint status, const JarchiMedia *media)
{
  g_autoptr(JsonNode) node = media_to_json (media);

  if (status == SOUP_STATUS_CREATED)
    {
      g_autofree char *location = g_strdup_printf (ROUTE "/%" G_GINT64_FORMAT, media->id);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
    }
  jarchi_web_reply_json (msg, status, node);
}

/* @invalid: the error name for JARCHI_ERROR_INVALID_ARGUMENT, which differs by route. */
static void
reply_gerror (SoupServerMessage *msg, const GError *error, const char *invalid)
{
  guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  const char *name = "internal_error";

  if (error->domain == JARCHI_ERROR)
    switch ((JarchiError) error->code)
      {
      case JARCHI_ERROR_MEDIA:
        status = SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE;
        name = "unsupported_media";
        break;
      case JARCHI_ERROR_INVALID_ARGUMENT:
        status = SOUP_STATUS_BAD_REQUEST;
        name = invalid;
        break;
      case JARCHI_ERROR_NOT_FOUND:
        status = SOUP_STATUS_NOT_FOUND;
        name = "not_found";
        break;
      case JARCHI_ERROR_BUSY:
        status = SOUP_STATUS_CONFLICT;
        name = "in_use";
        break;
      default:
        break;
      }
  if (status == SOUP_STATUS_INTERNAL_SERVER_ERROR)
    g_message ("media API: %s", error->message);
  jarchi_web_reply_error (msg, status, name, error->message);
}

static void
reply_too_large (SoupServerMessage *msg, JarchiMediaLibrary *library)
{
  g_autofree char *limit = g_format_size (jarchi_media_library_get_max_upload_size (library));
  g_autofree char *message = g_strdup_printf (_("The file is larger than the limit of %s"), limit);

  jarchi_web_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", message);
}

static void
import_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiMedia) media = NULL;

  media = jarchi_media_library_import_finish (JARCHI_MEDIA_LIBRARY (source), result, &error);
  if (pending->gone)
    return;
  if (media != NULL)
    reply_media (pending->msg, SOUP_STATUS_CREATED, media);
  else
    reply_gerror (pending->msg, error, "invalid_audio");
  soup_server_message_unpause (pending->msg);
}

static const char *
extension_for_type (const char *type)
{
  static const struct { const char *type, *ext; } map[] = {
    { "audio/mpeg", "mp3" }, { "audio/mp3", "mp3" }, { "audio/ogg", "ogg" },
    { "application/ogg", "ogg" }, { "audio/opus", "opus" }, { "audio/wav", "wav" },
    { "audio/x-wav", "wav" }, { "audio/wave", "wav" }, { "audio/vnd.wave", "wav" },
    { "audio/flac", "flac" }, { "audio/x-flac", "flac" }, { "audio/webm", "webm" },
    { "audio/mp4", "m4a" }, { "audio/x-m4a", "m4a" }, { "audio/aac", "aac" },
  };

  for (gsize i = 0; type != NULL && i < G_N_ELEMENTS (map); i++)
    if (g_ascii_strcasecmp (type, map[i].type) == 0)
      return map[i].ext;
  return NULL;
}

/* A browser's file name, reduced to its last component (some send a whole Windows path). */
static char *
client_file_name (const char *filename)
{
  const char *base = filename;

  if (filename == NULL)
    return NULL;
  for (const char *p = filename; *p; p++)
    if (*p == '/' || *p == '\\')
      base = p + 1;
  return *base ? g_strdup (base) : NULL;
}

/* Finds the form's "file" (and optional "name") field; FALSE once a reply has been set. */
static gboolean
parse_form (SoupServerMessage *msg, GBytes *body, GBytes **data, char **filename, char **type,
            char **name)
{
  g_autoptr(SoupMultipart) form = NULL;
  int n;

  form = soup_multipart_new_from_message (soup_server_message_get_request_headers (msg), body);
  if (form == NULL)
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_form",
                              _("The multipart form could not be read"));
      return FALSE;
    }
  n = soup_multipart_get_length (form);
  for (int i = 0; i < n; i++)
    {
      SoupMessageHeaders *headers = NULL;
      GBytes *part = NULL;
      g_autoptr(GHashTable) params = NULL;
      const char *field;

      if (!soup_multipart_get_part (form, i, &headers, &part)
          || !soup_message_headers_get_content_disposition (headers, NULL, &params))
        continue;
      field = g_hash_table_lookup (params, "name");
      if (g_strcmp0 (field, "file") == 0 && *data == NULL)
        {
          *data = g_bytes_ref (part);
          *filename = client_file_name (g_hash_table_lookup (params, "filename"));
          *type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
        }
      else if (g_strcmp0 (field, "name") == 0 && *name == NULL)
        *name = g_strndup (g_bytes_get_data (part, NULL), g_bytes_get_size (part));
    }
  if (*data == NULL)
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "missing_file",
                              _("The form has no “file” field"));
      return FALSE;
    }
  return TRUE;
}

static void
handle_upload (JarchiMediaLibrary *library, SoupServerMessage *msg, GHashTable *query)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  guint64 max = jarchi_media_library_get_max_upload_size (library);
  g_autoptr(GBytes) data = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *type = NULL;
  g_autofree char *name = NULL;
  const char *ext = NULL;

  /* A chunked body has no length to check before it arrives: check it now. */
  if (g_bytes_get_size (body) > max + JARCHI_MEDIA_API_FORM_OVERHEAD)
    {
      reply_too_large (msg, library);
      return;
    }

  if (content_type != NULL && g_ascii_strcasecmp (content_type, "multipart/form-data") == 0)
    {
      if (!parse_form (msg, body, &data, &filename, &type, &name))
        return;
      if (filename != NULL && strrchr (filename, '.') != NULL)
        ext = strrchr (filename, '.') + 1;
      else
        ext = extension_for_type (type);
      if (name == NULL || *name == '\0')
        {
          g_free (name);
          name = g_strdup (filename);
        }
    }
  else if (content_type != NULL && (g_ascii_strncasecmp (content_type, "audio/", 6) == 0
                                    || g_ascii_strcasecmp (content_type, "application/ogg") == 0))
    {
      data = g_bytes_ref (body);
      ext = extension_for_type (content_type);
      name = g_strdup (query ? g_hash_table_lookup (query, "name") : NULL);
    }
  else
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_content_type",
                              _("Send a multipart/form-data form with a “file” field, "
                                "or the audio itself with an audio/* Content-Type"));
      return;
    }

  if (g_bytes_get_size (data) > max)
    {
      reply_too_large (msg, library);
      return;
    }
  if (g_bytes_get_size (data) == 0)
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_audio", _("The file is empty"));
      return;
    }

  jarchi_media_library_import_bytes_async (library, data, name, ext, NULL, import_done,
                                           pending_new (msg));
}

static void
synthesize_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiMedia) media = NULL;
  gboolean created = FALSE;

  media = jarchi_media_library_synthesize_finish (JARCHI_MEDIA_LIBRARY (source), result, &created,
                                                  &error);
  if (pending->gone)
    return;
  if (media != NULL)
    reply_media (pending->msg, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, media);
  else
    reply_gerror (pending->msg, error, "invalid_text");
  soup_server_message_unpause (pending->msg);
}

static const char *
string_member (JsonObject *obj, const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
handle_tts (JarchiMediaLibrary *library, SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *obj;
  const char *text, *lang;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_json",
                              _("The body must be a JSON object like {\"text\": \"…\", \"lang\": \"uz\"}"));
      return;
    }
  obj = json_node_get_object (root);
  text = string_member (obj, "text");
  lang = string_member (obj, "lang");
  if (text == NULL || lang == NULL)
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                              _("Both “text” and “lang” must be strings"));
      return;
    }
  if (!jarchi_tts_is_language_supported (lang))
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "unsupported_language",
                              _("Speech is available in uz, ru and en only"));
      return;
    }
  if (g_utf8_validate (text, -1, NULL) && g_utf8_strlen (text, -1) > JARCHI_TTS_MAX_CHARS)
    {
      g_autofree char *message = g_strdup_printf (_("The text is longer than %d characters"),
                                                  JARCHI_TTS_MAX_CHARS);
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "text_too_long", message);
      return;
    }

  jarchi_media_library_synthesize_async (library, text, lang, NULL, synthesize_done,
                                         pending_new (msg));
}

static JsonNode *
media_json (gpointer media, gpointer user_data)
{
  return media_to_json (media);
}

static void
handle_list (JarchiMediaLibrary *library, SoupServerMessage *msg, GHashTable *query)
{
  static const char * const kinds[] = { "upload", "tts", "recording", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  const char *kind = query ? g_hash_table_lookup (query, "kind") : NULL;
  guint64 limit, offset;
  guint total = 0;

  /* This route answers any bad filter with one "invalid_request" that names all three. */
  if (!jarchi_api_param_range (query, "limit", 0, LIST_MAX_LIMIT, LIST_DEFAULT_LIMIT, &limit)
      || !jarchi_api_param_range (query, "offset", 0, G_MAXINT32, 0, &offset)
      || (kind != NULL && !g_strv_contains (kinds, kind)))
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                              _("limit must be 0-1000, offset a number, kind upload, tts or recording"));
      return;
    }
  items = jarchi_media_library_list (library, kind, (guint) offset, (guint) limit, &total, &error);
  if (items == NULL)
    {
      reply_gerror (msg, error, "invalid_request");
      return;
    }
  jarchi_api_reply_list (msg, items, total, media_json, NULL);
}

static void
serve_audio (JarchiMediaLibrary *library, SoupServerMessage *msg, gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiMedia) media = jarchi_media_library_get (library, id, &error);
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *disposition = NULL;
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);

  if (media == NULL)
    {
      reply_gerror (msg, error, "invalid_request");
      return;
    }
  file = g_mapped_file_new (media->path, FALSE, NULL);
  if (file == NULL)
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_NOT_FOUND, "audio_missing",
                              _("The message’s audio file is missing"));
      return;
    }

  bytes = g_mapped_file_get_bytes (file);
  disposition = g_strdup_printf ("inline; filename=\"media-%" G_GINT64_FORMAT ".wav\"", id);
  soup_message_headers_replace (h, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (h, "Cache-Control", "private, no-cache");
  soup_message_headers_replace (h, "Content-Disposition", disposition);
  soup_message_headers_set_content_type (h, g_str_has_suffix (media->path, ".wav") ? "audio/wav"
                                                                                  : "application/octet-stream", NULL);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
}

static void
handle_item (JarchiMediaLibrary *library, SoupServerMessage *msg, const char *method, gint64 id)
{
  g_autoptr(GError) error = NULL;

  if (g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
    {
      g_autoptr(JarchiMedia) media = jarchi_media_library_get (library, id, &error);

      if (media != NULL)
        reply_media (msg, SOUP_STATUS_OK, media);
      else
        reply_gerror (msg, error, "invalid_request");
    }
  else if (g_str_equal (method, "DELETE"))
    {
      if (jarchi_media_library_delete (library, id, &error))
        soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      else
        reply_gerror (msg, error, "invalid_request");
    }
  else
    jarchi_api_reply_method_not_allowed (msg, "GET, HEAD, DELETE");
}

static gboolean
parse_id (const char *s, gint64 *id)
{
  if (s == NULL || !g_ascii_isdigit (s[0]))
    return FALSE;
  return g_ascii_string_to_signed (s, 10, 1, G_MAXINT64, id, NULL);
}

static void
media_handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path,
               GHashTable *query, gpointer user_data)
{
  JarchiMediaLibrary *library = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *rest = NULL;
  g_auto(GStrv) parts = NULL;
  gint64 id = 0;
  gsize len;

  if (!g_str_has_prefix (path, ROUTE) || (path[strlen (ROUTE)] != '\0' && path[strlen (ROUTE)] != '/'))
    goto not_found;
  /* "/api/media/12/audio/" → "12", "audio" */
  rest = g_strdup (path + strlen (ROUTE) + (path[strlen (ROUTE)] == '/'));
  len = strlen (rest);
  if (len > 0 && rest[len - 1] == '/')
    rest[len - 1] = '\0';
  parts = g_strsplit (rest, "/", 4);

  if (parts[0] == NULL || parts[0][0] == '\0')
    {
      if (g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
        handle_list (library, msg, query);
      else if (g_str_equal (method, "POST"))
        handle_upload (library, msg, query);
      else
        jarchi_api_reply_method_not_allowed (msg, "GET, HEAD, POST");
      return;
    }
  if (g_str_equal (parts[0], "tts") && parts[1] == NULL)
    {
      if (g_str_equal (method, "POST"))
        handle_tts (library, msg);
      else
        jarchi_api_reply_method_not_allowed (msg, "POST");
      return;
    }
  if (!parse_id (parts[0], &id))
    goto not_found;
  if (parts[1] == NULL)
    {
      handle_item (library, msg, method, id);
      return;
    }
  if (g_str_equal (parts[1], "audio") && parts[2] == NULL)
    {
      if (g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
        serve_audio (library, msg, id);
      else
        jarchi_api_reply_method_not_allowed (msg, "GET, HEAD");
      return;
    }

not_found:
  jarchi_api_reply_not_found (msg, NULL);
}

static void
update_body_limits (JarchiMediaLibrary *library, GParamSpec *pspec, JarchiWebServer *server)
{
  guint64 max = jarchi_media_library_get_max_upload_size (library);
  goffset limit = max > (guint64) (G_MAXINT64 - JARCHI_MEDIA_API_FORM_OVERHEAD)
                  ? G_MAXINT64 : (goffset) max + JARCHI_MEDIA_API_FORM_OVERHEAD;

  jarchi_web_server_set_body_limit (server, ROUTE, limit);
  jarchi_web_server_set_body_limit (server, ROUTE "/tts", JARCHI_MEDIA_API_TTS_BODY_MAX);
}

void
jarchi_media_api_register (JarchiWebServer *server, JarchiMediaLibrary *library)
{
  g_return_if_fail (JARCHI_IS_WEB_SERVER (server));
  g_return_if_fail (JARCHI_IS_MEDIA_LIBRARY (library));

  g_object_set_data_full (G_OBJECT (server), "jarchi-media-library", g_object_ref (library),
                          g_object_unref);
  jarchi_web_server_add_route (server, ROUTE, media_handler, library);
  update_body_limits (library, NULL, server);
  g_signal_connect_object (library, "notify::max-upload-size", G_CALLBACK (update_body_limits),
                           server, 0);
}
