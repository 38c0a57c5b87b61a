/* JarchiMedia: one row of table media (a broadcast message), as a boxed record. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* @path is the normalised 8 kHz mono WAV campaigns play (<media-dir>/<id>.wav); the file as
 * uploaded or synthesised is kept beside it as <id>.orig.<ext>. @text and @lang are set for
 * kind "tts" only; @duration_ms is -1 when unknown. */
typedef struct {
  gint64  id;
  char   *kind;          /* "upload", "tts" or "recording" */
  char   *name;
  char   *path;
  char   *text;
  char   *lang;
  gint64  duration_ms;
  gint64  created_at;    /* Unix time */
} JarchiMedia;

/* The columns jarchi_media_new_from_row() reads, in order. */
#define JARCHI_MEDIA_COLUMNS "id, kind, name, path, text, lang, duration_ms, created_at"

#define JARCHI_TYPE_MEDIA (jarchi_media_get_type ())
GType        jarchi_media_get_type     (void);
JarchiMedia *jarchi_media_new_from_row (sqlite3_stmt      *stmt);
JarchiMedia *jarchi_media_copy         (const JarchiMedia *media);
void         jarchi_media_free         (JarchiMedia       *media);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JarchiMedia, jarchi_media_free)

G_END_DECLS
