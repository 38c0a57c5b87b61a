/* The dashboard's static files from the compiled-in bundle, the security headers and the path-traversal guard. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-web-server-private.h"

#define WEB_RESOURCE_ROOT "/io/github/jarchi/Jarchi/web"
/* Deeper nesting than this is an attack on the decoder, not a real URL. */
#define MAX_DECODE_ROUNDS 3

/* Set on every response, errors and upgrades included (from SoupServer::request-started). */
void
jarchi_web_add_security_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (h, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (h, "X-Frame-Options", "DENY");
  soup_message_headers_replace (h, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (h, "Cross-Origin-Opener-Policy", "same-origin");
  soup_message_headers_replace (h, "Cross-Origin-Resource-Policy", "same-origin");
  soup_message_headers_replace (h, "Content-Security-Policy",
                                "default-src 'self'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; "
                                "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
                                "form-action 'self'");
}

static gboolean
has_dot_segment (const char *path)
{
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);

  for (guint i = 0; segments[i] != NULL; i++)
    if (g_str_equal (segments[i], "..") || g_str_equal (segments[i], "."))
      return TRUE;
  return FALSE;
}

/**
 * jarchi_web_path_is_safe:
 * @path: a request path, as libsoup gives it (decoded once, or still encoded when
 *   libsoup refused it)
 *
 * FALSE when @path, decoded as often as it still changes, names a "." or ".." segment,
 * a backslash, an encoded slash or NUL: whichever layer decodes it last must not be
 * able to climb out of where it looks.
 */
gboolean
jarchi_web_path_is_safe (const char *path)
{
  g_autofree char *current = NULL;

  if (path == NULL)
    return FALSE;
  current = g_strdup (path);
  for (guint round = 0;; round++)
    {
      g_autofree char *decoded = NULL;

      if (strchr (current, '\\') != NULL || has_dot_segment (current))
        return FALSE;
      if (strchr (current, '%') == NULL)
        return TRUE;
      if (round == MAX_DECODE_ROUNDS)
        return FALSE;
      /* NULL for %00, an encoded "/" or "\", or a malformed escape. */
      decoded = g_uri_unescape_string (current, "/\\");
      if (decoded == NULL)
        return FALSE;
      if (g_str_equal (decoded, current))
        return TRUE;
      g_free (current);
      current = g_steal_pointer (&decoded);
    }
}

static const char *
content_type_for (const char *path)
{
  static const struct { const char *ext, *type; } types[] = {
    { ".html", "text/html; charset=utf-8" },
    { ".js", "text/javascript; charset=utf-8" },
    { ".css", "text/css; charset=utf-8" },
    { ".svg", "image/svg+xml" },
    { ".png", "image/png" },
    { ".json", "application/json" },
    { ".ico", "image/x-icon" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_has_suffix (path, types[i].ext))
      return types[i].type;
  return "application/octet-stream";
}

static gboolean
is_fetch (SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);

  return g_strcmp0 (method, "GET") == 0 || g_strcmp0 (method, "HEAD") == 0;
}

static void
reply_method_not_allowed (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, HEAD");
  jarchi_web_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                          _("Only GET and HEAD are allowed here"));
}

/* Pages are only fetched: no request body is ever kept, and other methods are refused
 * before theirs is read. */
void
jarchi_web_static_early_handler (SoupServer *server, SoupServerMessage *msg, const char *path,
                                 GHashTable *query, gpointer user_data)
{
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  if (!is_fetch (msg))
    {
      jarchi_web_discard_request_body (msg);
      reply_method_not_allowed (msg);
    }
}

void
jarchi_web_static_handler (SoupServer *server, SoupServerMessage *msg, const char *path,
                           GHashTable *query, gpointer user_data)
{
  g_autofree char *resource = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (!is_fetch (msg))
    {
      reply_method_not_allowed (msg);
      return;
    }

  /* The files come from a compiled-in bundle, but traversal is refused outright rather than
   * trusting that; the server's got-headers guard has already answered most of it. */
  if (!jarchi_web_path_is_safe (path) || strchr (path, '%') != NULL)
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", _("No such page"));
      return;
    }

  if (g_str_has_suffix (path, "/"))
    resource = g_strconcat (WEB_RESOURCE_ROOT, path, "index.html", NULL);
  else
    resource = g_strconcat (WEB_RESOURCE_ROOT, path, NULL);

  bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", _("No such page"));
      return;
    }

  jarchi_web_add_security_headers (msg);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-cache");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type_for (resource), SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}
