/* JarchiMedia: a media row read from SQLite, copied and freed. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-media.h"

G_DEFINE_BOXED_TYPE (JarchiMedia, jarchi_media, jarchi_media_copy, jarchi_media_free)

JarchiMedia *
jarchi_media_new_from_row (sqlite3_stmt *stmt)
{
  JarchiMedia *m = g_new0 (JarchiMedia, 1);

  m->id = sqlite3_column_int64 (stmt, 0);
  m->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  m->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  m->path = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  m->text = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  m->lang = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  m->duration_ms = sqlite3_column_type (stmt, 6) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 6);
  m->created_at = sqlite3_column_int64 (stmt, 7);
  return m;
}

JarchiMedia *
jarchi_media_copy (const JarchiMedia *media)
{
  JarchiMedia *copy = g_new0 (JarchiMedia, 1);

  *copy = *media;
  copy->kind = g_strdup (media->kind);
  copy->name = g_strdup (media->name);
  copy->path = g_strdup (media->path);
  copy->text = g_strdup (media->text);
  copy->lang = g_strdup (media->lang);
  return copy;
}

void
jarchi_media_free (JarchiMedia *media)
{
  if (media == NULL)
    return;
  g_free (media->kind);
  g_free (media->name);
  g_free (media->path);
  g_free (media->text);
  g_free (media->lang);
  g_free (media);
}
