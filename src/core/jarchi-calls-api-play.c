/* JarchiCallsApi, what a call is asked to play: a media library id or a file below the data directory. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-calls-api"
#include "jarchi-config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "jarchi-api-helpers.h"
#include "jarchi-calls-api-private.h"
#include "jarchi-error.h"

/* A file in a folder below the data directory (media/, recordings/, ...): never the data
 * directory's own files (database, token, passwords), never anything a link leads out to. */
static char *
resolve_play_path (const char *data_dir, const char *path, GError **error)
{
  g_autofree char *joined = g_path_is_absolute (path) ? g_strdup (path)
                                                       : g_build_filename (data_dir, path, NULL);
  g_autofree char *real = realpath (joined, NULL);
  g_autofree char *root = realpath (data_dir, NULL);
  g_autofree char *prefix = NULL;
  const char *rest;

  if (real == NULL || root == NULL)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT, _("There is no file “%s”"), path);
      return NULL;
    }
  prefix = g_strconcat (root, "/", NULL);
  rest = g_str_has_prefix (real, prefix) ? real + strlen (prefix) : NULL;
  if (rest == NULL || strchr (rest, '/') == NULL)
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                           _("Only files in the folders of Jarchi’s data directory can be played"));
      return NULL;
    }
  if (!g_file_test (real, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT, _("“%s” is not a file"), path);
      return NULL;
    }
  return g_steal_pointer (&real);
}

gboolean
jarchi_calls_api_play_request (const char *data_dir, JarchiMediaLibrary *library, SoupServerMessage *msg,
                               JsonObject *obj, char **path_out)
{
  JsonNode *node = json_object_get_member (obj, "play");
  g_autoptr(GError) error = NULL;

  *path_out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      g_autoptr(JarchiMedia) media = NULL;

      if (library != NULL)
        media = jarchi_media_library_get (library, json_node_get_int (node), &error);
      else
        g_set_error_literal (&error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, _("There is no media library"));
      if (media == NULL)
        {
          jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_play", error->message);
          return FALSE;
        }
      *path_out = g_strdup (media->path);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *path_out = resolve_play_path (data_dir, json_node_get_string (node), &error);
      if (*path_out == NULL)
        {
          jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_play", error->message);
          return FALSE;
        }
      return TRUE;
    }
  jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_field",
                          _("“play” must be a media id or the path of a file"));
  return FALSE;
}
