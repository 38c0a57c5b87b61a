/* JarchiMediaJob: the slow half of adding a message — store the original, decode it once, normalise — on any thread. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Files still being prepared are named <media-dir>/.tmp-XXXXXX.<ext>; anything so named that
 * survives a crash is removed the next time a library opens the directory. */
#define JARCHI_MEDIA_TMP_PREFIX ".tmp-"

/* A job never touches the database: it leaves its results under temporary names for the
 * library to commit (moving the files into place) or discard. Freeing a job removes every
 * temporary file it still holds. */
typedef struct {
  char    *media_dir;
  guint64  max_bytes;
  GBytes  *data;           /* an upload held in memory */
  char    *source_path;    /* or one on disk */
  char    *extension;      /* the original's, always 1-8 lower-case letters and digits */
  char    *text;           /* or a synthesis, trimmed */
  char    *lang;
  char    *name;           /* sanitised, NULL when none was given */
  char    *tmp_original;   /* results */
  char    *tmp_wav;
  guint    duration_ms;
} JarchiMediaJob;

JarchiMediaJob *jarchi_media_job_new_bytes  (const char      *media_dir,
                                             guint64          max_bytes,
                                             GBytes          *data,
                                             const char      *name,
                                             const char      *extension);
JarchiMediaJob *jarchi_media_job_new_file   (const char      *media_dir,
                                             guint64          max_bytes,
                                             const char      *path,
                                             const char      *name);
JarchiMediaJob *jarchi_media_job_new_speech (const char      *media_dir,
                                             const char      *text,
                                             const char      *lang);
/* Fills tmp_original, tmp_wav and duration_ms; see jarchi_media_library_import_file for errors. */
gboolean        jarchi_media_job_run        (JarchiMediaJob  *job,
                                             GError         **error);
/* Removes the temporary files the job still holds. */
void            jarchi_media_job_discard    (JarchiMediaJob  *job);
void            jarchi_media_job_free       (JarchiMediaJob  *job);

/* A name to show, from anything a client sent: valid UTF-8, no control characters, trimmed,
 * at most JARCHI_MEDIA_MAX_NAME_CHARS; NULL if nothing is left. */
char           *jarchi_media_sanitize_name  (const char      *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JarchiMediaJob, jarchi_media_job_free)

G_END_DECLS
