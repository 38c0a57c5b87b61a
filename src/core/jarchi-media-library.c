/* JarchiMediaLibrary: imports, synthesises, lists and deletes broadcast messages; rows in media, files in media/. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "jarchi-error.h"
#include "jarchi-media-job.h"
#include "jarchi-media-library.h"
#include "jarchi-tts.h"

#define TTS_NAME_CHARS    60

struct _JarchiMediaLibrary
{
  GObject      parent_instance;
  JarchiStore *store;
  char        *media_dir;
  guint64      max_upload_size;
};

G_DEFINE_FINAL_TYPE (JarchiMediaLibrary, jarchi_media_library, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_MEDIA_DIR,
  PROP_MAX_UPLOAD_SIZE,
  N_PROPS
};

enum {
  MEDIA_ADDED,
  MEDIA_REMOVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct {
  JarchiMedia *media;
  gboolean     created;
} Outcome;

typedef struct {
  char          *path;
  JarchiG711Law  law;
} G711Job;

static void
outcome_free (Outcome *outcome)
{
  g_clear_pointer (&outcome->media, jarchi_media_free);
  g_free (outcome);
}

static void
g711_job_free (G711Job *job)
{
  g_free (job->path);
  g_free (job);
}

static char *
text_excerpt (const char *text)
{
  g_autofree char *flat = g_strdup (text);
  glong len;

  g_strdelimit (flat, "\r\n\t", ' ');
  len = g_utf8_strlen (flat, -1);
  if (len <= TTS_NAME_CHARS)
    return g_steal_pointer (&flat);
  {
    g_autofree char *head = g_utf8_substring (flat, 0, TTS_NAME_CHARS - 1);
    return g_strconcat (g_strchomp (head), "…", NULL);
  }
}

/* NULL with no error set when there is no such row. */
static JarchiMedia *
find_tts (JarchiMediaLibrary *self, const char *text, const char *lang, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (self->store,
    "SELECT " JARCHI_MEDIA_COLUMNS " FROM media WHERE kind = 'tts' AND text = ?1 AND lang = ?2 "
    "ORDER BY id LIMIT 1;", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, lang, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return jarchi_media_new_from_row (stmt);
  if (rc != SQLITE_DONE)
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE, _("Database error while reading: %s"),
                 sqlite3_errmsg (jarchi_store_get_db (self->store)));
  return NULL;
}

static char *
media_file (JarchiMediaLibrary *self, gint64 id, const char *suffix)
{
  g_autofree char *base = g_strdup_printf ("%" G_GINT64_FORMAT "%s", id, suffix);
  return g_build_filename (self->media_dir, base, NULL);
}

/* Removes <id>.wav and <id>.orig.*: only names the library made itself, never a row's path. */
static void
remove_files (JarchiMediaLibrary *self, gint64 id)
{
  g_autofree char *wav = media_file (self, id, ".wav");
  g_autofree char *prefix = g_strdup_printf ("%" G_GINT64_FORMAT ".orig.", id);
  g_autoptr(GDir) dir = g_dir_open (self->media_dir, 0, NULL);
  const char *entry;

  g_unlink (wav);
  while (dir && (entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (entry, prefix))
      {
        g_autofree char *path = g_build_filename (self->media_dir, entry, NULL);
        g_unlink (path);
      }
}

static gboolean
rename_into_place (const char *from, const char *to, GError **error)
{
  if (g_rename (from, to) != 0)
    {
      int saved = errno;
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO, _("Could not store %s: %s"), to,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_row (JarchiMediaLibrary *self, JarchiMediaJob *job, gint64 *id, GError **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autofree char *orig_suffix = g_strconcat (".orig.", job->extension, NULL);
  g_autofree char *orig = NULL;
  g_autofree char *wav = NULL;
  g_autofree char *name = NULL;

  insert = jarchi_store_prepare (self->store,
    "INSERT INTO media (kind, name, path, text, lang, duration_ms) "
    "VALUES (?1, '', '', ?2, ?3, ?4);", error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_text (insert, 1, job->text ? "tts" : "upload", -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, job->text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 3, job->lang, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (insert, 4, job->duration_ms);
  if (!jarchi_store_step_done (self->store, insert, error))
    return FALSE;
  *id = jarchi_store_last_insert_id (self->store);

  if (job->name != NULL)
    name = g_strdup (job->name);
  else if (job->text != NULL)
    name = text_excerpt (job->text);
  else
    name = g_strdup_printf (_("Upload %lld"), (long long) *id);

  /* Files a crash left under this id (its row was never committed) are replaced. */
  remove_files (self, *id);
  orig = media_file (self, *id, orig_suffix);
  wav = media_file (self, *id, ".wav");
  if (!rename_into_place (job->tmp_original, orig, error))
    return FALSE;
  g_clear_pointer (&job->tmp_original, g_free);
  if (!rename_into_place (job->tmp_wav, wav, error))
    return FALSE;
  g_clear_pointer (&job->tmp_wav, g_free);

  update = jarchi_store_prepare (self->store, "UPDATE media SET path = ?1, name = ?2 WHERE id = ?3;",
                                 error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_text (update, 1, wav, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (update, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (update, 3, *id);
  return jarchi_store_step_done (self->store, update, error);
}

/* The quick half, on the library's thread: one transaction adds the row and moves the files. */
static JarchiMedia *
commit_job (JarchiMediaLibrary *self, JarchiMediaJob *job, gboolean *created, GError **error)
{
  JarchiMedia *media;
  gint64 id = 0;

  if (created)
    *created = FALSE;
  if (self->store == NULL)
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_FAILED, _("The media library is closed"));
      return NULL;
    }

  /* Another request may have spoken the same text while this one ran. */
  if (job->text != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      media = find_tts (self, job->text, job->lang, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (media != NULL)
        return media;
    }

  if (!jarchi_store_begin (self->store, error))
    return NULL;
  if (!insert_row (self, job, &id, error) || !jarchi_store_commit (self->store, error))
    {
      jarchi_store_rollback (self->store);
      if (id > 0)
        remove_files (self, id);
      return NULL;
    }

  media = jarchi_media_library_get (self, id, error);
  if (media == NULL)
    return NULL;
  if (created)
    *created = TRUE;
  g_signal_emit (self, signals[MEDIA_ADDED], 0, id);
  return media;
}

static void
remove_leftovers (JarchiMediaLibrary *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->media_dir, 0, NULL);
  const char *entry;

  while (dir && (entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (entry, JARCHI_MEDIA_TMP_PREFIX))
      {
        g_autofree char *path = g_build_filename (self->media_dir, entry, NULL);
        g_unlink (path);
      }
}

static void
jarchi_media_library_dispose (GObject *object)
{
  JarchiMediaLibrary *self = JARCHI_MEDIA_LIBRARY (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (jarchi_media_library_parent_class)->dispose (object);
}

static void
jarchi_media_library_finalize (GObject *object)
{
  JarchiMediaLibrary *self = JARCHI_MEDIA_LIBRARY (object);

  g_clear_pointer (&self->media_dir, g_free);

  G_OBJECT_CLASS (jarchi_media_library_parent_class)->finalize (object);
}

static void
jarchi_media_library_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiMediaLibrary *self = JARCHI_MEDIA_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_MEDIA_DIR:
      g_value_set_string (value, self->media_dir);
      break;
    case PROP_MAX_UPLOAD_SIZE:
      g_value_set_uint64 (value, self->max_upload_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_media_library_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  JarchiMediaLibrary *self = JARCHI_MEDIA_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_MEDIA_DIR:
      self->media_dir = g_value_dup_string (value);
      break;
    case PROP_MAX_UPLOAD_SIZE:
      jarchi_media_library_set_max_upload_size (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_media_library_class_init (JarchiMediaLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_media_library_dispose;
  object_class->finalize = jarchi_media_library_finalize;
  object_class->get_property = jarchi_media_library_get_property;
  object_class->set_property = jarchi_media_library_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, JARCHI_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MEDIA_DIR] =
    g_param_spec_string ("media-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_UPLOAD_SIZE] =
    g_param_spec_uint64 ("max-upload-size", NULL, NULL, 1, G_MAXINT64, JARCHI_MEDIA_DEFAULT_MAX_UPLOAD,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[MEDIA_ADDED] =
    g_signal_new ("media-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[MEDIA_REMOVED] =
    g_signal_new ("media-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
jarchi_media_library_init (JarchiMediaLibrary *self)
{
  self->max_upload_size = JARCHI_MEDIA_DEFAULT_MAX_UPLOAD;
}

JarchiMediaLibrary *
jarchi_media_library_new (JarchiStore *store, const char *media_dir, GError **error)
{
  g_autoptr(JarchiMediaLibrary) self = NULL;

  g_return_val_if_fail (JARCHI_IS_STORE (store), NULL);
  g_return_val_if_fail (media_dir != NULL, NULL);

  if (g_mkdir_with_parents (media_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO, _("Could not create %s: %s"),
                   media_dir, g_strerror (saved));
      return NULL;
    }
  /* GStreamer itself starts with the first decode, not here: most runs never need it. */
  self = g_object_new (JARCHI_TYPE_MEDIA_LIBRARY, "store", store, "media-dir", media_dir, NULL);
  remove_leftovers (self);
  return g_steal_pointer (&self);
}

const char *
jarchi_media_library_get_media_dir (JarchiMediaLibrary *self)
{
  g_return_val_if_fail (JARCHI_IS_MEDIA_LIBRARY (self), NULL);
  return self->media_dir;
}

guint64
jarchi_media_library_get_max_upload_size (JarchiMediaLibrary *self)
{
  g_return_val_if_fail (JARCHI_IS_MEDIA_LIBRARY (self), 0);
  return self->max_upload_size;
}

void
jarchi_media_library_set_max_upload_size (JarchiMediaLibrary *self, guint64 max_bytes)
{
  g_return_if_fail (JARCHI_IS_MEDIA_LIBRARY (self));
  g_return_if_fail (max_bytes > 0);

  if (self->max_upload_size == max_bytes)
    return;
  self->max_upload_size = max_bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_UPLOAD_SIZE]);
}

JarchiMedia *
jarchi_media_library_import_file (JarchiMediaLibrary *self, const char *path, const char *name,
                                  GError **error)
{
  g_autoptr(JarchiMediaJob) job = NULL;

  g_return_val_if_fail (JARCHI_IS_MEDIA_LIBRARY (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  job = jarchi_media_job_new_file (self->media_dir, self->max_upload_size, path, name);
  if (!jarchi_media_job_run (job, error))
    return NULL;
  return commit_job (self, job, NULL, error);
}

static void
job_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (jarchi_media_job_run (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Back on the library's thread: commit what the worker prepared, then answer the caller. */
static void
job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  JarchiMediaLibrary *self = JARCHI_MEDIA_LIBRARY (source);
  g_autoptr(GTask) outer = user_data;
  JarchiMediaJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  Outcome *outcome;

  /* The caller hears back only once no temporary file is left. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      jarchi_media_job_discard (job);
      g_task_return_error (outer, error);
      return;
    }
  outcome = g_new0 (Outcome, 1);
  outcome->media = commit_job (self, job, &outcome->created, &error);
  jarchi_media_job_discard (job);
  if (outcome->media == NULL)
    {
      outcome_free (outcome);
      g_task_return_error (outer, error);
      return;
    }
  g_task_return_pointer (outer, outcome, (GDestroyNotify) outcome_free);
}

static void
run_job_async (JarchiMediaLibrary *self, JarchiMediaJob *job, gpointer source_tag, GCancellable *cancellable,
               GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = g_task_new (self, cancellable, job_done, outer);

  g_task_set_source_tag (outer, source_tag);
  g_task_set_task_data (inner, job, (GDestroyNotify) jarchi_media_job_free);
  g_task_run_in_thread (inner, job_thread);
}

void
jarchi_media_library_import_bytes_async (JarchiMediaLibrary  *self,
                                         GBytes              *data,
                                         const char          *name,
                                         const char          *extension,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  JarchiMediaJob *job;

  g_return_if_fail (JARCHI_IS_MEDIA_LIBRARY (self));
  g_return_if_fail (data != NULL);

  job = jarchi_media_job_new_bytes (self->media_dir, self->max_upload_size, data, name, extension);
  run_job_async (self, job, jarchi_media_library_import_bytes_async, cancellable, callback, user_data);
}

static JarchiMedia *
outcome_finish (GAsyncResult *result, gboolean *created, GError **error)
{
  Outcome *outcome = g_task_propagate_pointer (G_TASK (result), error);
  JarchiMedia *media;

  if (created)
    *created = outcome ? outcome->created : FALSE;
  if (outcome == NULL)
    return NULL;
  media = g_steal_pointer (&outcome->media);
  outcome_free (outcome);
  return media;
}

JarchiMedia *
jarchi_media_library_import_finish (JarchiMediaLibrary *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return outcome_finish (result, NULL, error);
}

/* Validates and trims; NULL with @error set when the request cannot be spoken. */
static char *
tts_text (const char *text, const char *lang, GError **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text ? text : ""));

  if (!jarchi_tts_check (trimmed, lang, error))
    return NULL;
  return g_steal_pointer (&trimmed);
}

JarchiMedia *
jarchi_media_library_synthesize (JarchiMediaLibrary *self, const char *text, const char *lang,
                                 gboolean *created, GError **error)
{
  g_autoptr(JarchiMediaJob) job = NULL;
  g_autofree char *trimmed = NULL;
  g_autoptr(GError) local_error = NULL;
  JarchiMedia *existing;

  g_return_val_if_fail (JARCHI_IS_MEDIA_LIBRARY (self), NULL);

  if (created)
    *created = FALSE;
  trimmed = tts_text (text, lang, error);
  if (trimmed == NULL)
    return NULL;
  existing = find_tts (self, trimmed, lang, &local_error);
  if (existing != NULL || local_error != NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return existing;
    }

  job = jarchi_media_job_new_speech (self->media_dir, trimmed, lang);
  if (!jarchi_media_job_run (job, error))
    return NULL;
  return commit_job (self, job, created, error);
}

void
jarchi_media_library_synthesize_async (JarchiMediaLibrary  *self,
                                       const char          *text,
                                       const char          *lang,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *trimmed = NULL;
  JarchiMedia *existing = NULL;
  JarchiMediaJob *job;

  g_return_if_fail (JARCHI_IS_MEDIA_LIBRARY (self));

  trimmed = tts_text (text, lang, &error);
  if (trimmed != NULL)
    existing = find_tts (self, trimmed, lang, &error);
  if (trimmed == NULL || existing != NULL || error != NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, jarchi_media_library_synthesize_async);
      if (existing != NULL)
        {
          Outcome *outcome = g_new0 (Outcome, 1);
          outcome->media = existing;
          g_task_return_pointer (task, outcome, (GDestroyNotify) outcome_free);
        }
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job = jarchi_media_job_new_speech (self->media_dir, trimmed, lang);
  run_job_async (self, job, jarchi_media_library_synthesize_async, cancellable, callback, user_data);
}

JarchiMedia *
jarchi_media_library_synthesize_finish (JarchiMediaLibrary *self, GAsyncResult *result,
                                        gboolean *created, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return outcome_finish (result, created, error);
}

GPtrArray *
jarchi_media_library_list (JarchiMediaLibrary *self, const char *kind, guint offset, guint limit,
                           guint *total, GError **error)
{
  g_autoptr(sqlite3_stmt) count = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) items = NULL;
  int rc;

  g_return_val_if_fail (JARCHI_IS_MEDIA_LIBRARY (self), NULL);

  count = jarchi_store_prepare (self->store,
    "SELECT COUNT(*) FROM media WHERE ?1 IS NULL OR kind = ?1;", error);
  if (count == NULL)
    return NULL;
  sqlite3_bind_text (count, 1, kind, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (count) != SQLITE_ROW)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE, _("Database error while reading: %s"),
                   sqlite3_errmsg (jarchi_store_get_db (self->store)));
      return NULL;
    }
  if (total)
    *total = (guint) sqlite3_column_int64 (count, 0);

  stmt = jarchi_store_prepare (self->store,
    "SELECT " JARCHI_MEDIA_COLUMNS " FROM media WHERE ?1 IS NULL OR kind = ?1 "
    "ORDER BY id DESC LIMIT ?2 OFFSET ?3;", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (sqlite3_int64) limit : -1);
  sqlite3_bind_int64 (stmt, 3, offset);

  items = g_ptr_array_new_with_free_func ((GDestroyNotify) jarchi_media_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, jarchi_media_new_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE, _("Database error while reading: %s"),
                   sqlite3_errmsg (jarchi_store_get_db (self->store)));
      return NULL;
    }
  return g_steal_pointer (&items);
}

JarchiMedia *
jarchi_media_library_get (JarchiMediaLibrary *self, gint64 id, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (JARCHI_IS_MEDIA_LIBRARY (self), NULL);

  stmt = jarchi_store_prepare (self->store, "SELECT " JARCHI_MEDIA_COLUMNS " FROM media WHERE id = ?1;",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return jarchi_media_new_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND,
                 _("There is no message %lld"), (long long) id);
  else
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE, _("Database error while reading: %s"),
                 sqlite3_errmsg (jarchi_store_get_db (self->store)));
  return NULL;
}

gboolean
jarchi_media_library_delete (JarchiMediaLibrary *self, gint64 id, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (JARCHI_IS_MEDIA_LIBRARY (self), FALSE);

  db = jarchi_store_get_db (self->store);
  stmt = jarchi_store_prepare (self->store, "DELETE FROM media WHERE id = ?1;", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  /* campaigns.media_id is ON DELETE RESTRICT: the database itself refuses. */
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY,
                   _("Message %lld is used by a campaign and cannot be deleted"), (long long) id);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE, _("Database error while deleting: %s"),
                   sqlite3_errmsg (db));
      return FALSE;
    }
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND,
                   _("There is no message %lld"), (long long) id);
      return FALSE;
    }

  remove_files (self, id);
  g_signal_emit (self, signals[MEDIA_REMOVED], 0, id);
  return TRUE;
}

static GBytes *
load_g711 (const char *path, JarchiG711Law law, GError **error)
{
  g_autoptr(GBytes) pcm = jarchi_audio_decode_file (path, 0, NULL, error);

  if (pcm == NULL)
    return NULL;
  return jarchi_audio_encode_g711 (pcm, law, error);
}

GBytes *
jarchi_media_library_load_g711 (JarchiMediaLibrary *self, gint64 id, JarchiG711Law law,
                                GError **error)
{
  g_autoptr(JarchiMedia) media = NULL;

  g_return_val_if_fail (JARCHI_IS_MEDIA_LIBRARY (self), NULL);

  media = jarchi_media_library_get (self, id, error);
  if (media == NULL)
    return NULL;
  return load_g711 (media->path, law, error);
}

static void
g711_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  G711Job *job = task_data;
  GError *error = NULL;
  GBytes *frames = load_g711 (job->path, job->law, &error);

  if (frames != NULL)
    g_task_return_pointer (task, frames, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);
}

void
jarchi_media_library_load_g711_async (JarchiMediaLibrary  *self,
                                      gint64               id,
                                      JarchiG711Law        law,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JarchiMedia) media = NULL;
  GError *error = NULL;
  G711Job *job;

  g_return_if_fail (JARCHI_IS_MEDIA_LIBRARY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jarchi_media_library_load_g711_async);
  media = jarchi_media_library_get (self, id, &error);
  if (media == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  job = g_new0 (G711Job, 1);
  job->path = g_strdup (media->path);
  job->law = law;
  g_task_set_task_data (task, job, (GDestroyNotify) g711_job_free);
  g_task_run_in_thread (task, g711_thread);
}

GBytes *
jarchi_media_library_load_g711_finish (JarchiMediaLibrary *self, GAsyncResult *result,
                                       GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
