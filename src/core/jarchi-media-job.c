/* JarchiMediaJob: stores an upload or speaks a text, decodes it once and writes the 8 kHz WAV, under temporary names. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "jarchi-audio-decoder.h"
#include "jarchi-error.h"
#include "jarchi-media-job.h"
#include "jarchi-media-library.h"
#include "jarchi-tts.h"

static void
unlink_and_clear (char **path)
{
  if (*path != NULL)
    g_unlink (*path);
  g_clear_pointer (path, g_free);
}

void
jarchi_media_job_discard (JarchiMediaJob *job)
{
  unlink_and_clear (&job->tmp_original);
  unlink_and_clear (&job->tmp_wav);
}

void
jarchi_media_job_free (JarchiMediaJob *job)
{
  if (job == NULL)
    return;
  jarchi_media_job_discard (job);
  g_clear_pointer (&job->data, g_bytes_unref);
  g_free (job->media_dir);
  g_free (job->source_path);
  g_free (job->extension);
  g_free (job->text);
  g_free (job->lang);
  g_free (job->name);
  g_free (job);
}

/* Client-supplied names never reach the file system; they are only shown. */
char *
jarchi_media_sanitize_name (const char *name)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) clean = NULL;

  if (name == NULL)
    return NULL;
  valid = g_utf8_make_valid (name, -1);
  clean = g_string_new (NULL);
  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_string_append_unichar (clean, g_unichar_iscntrl (c) ? ' ' : c);
    }
  g_strstrip (clean->str);
  if (clean->str[0] == '\0')
    return NULL;
  return g_utf8_substring (clean->str, 0, MIN (g_utf8_strlen (clean->str, -1), JARCHI_MEDIA_MAX_NAME_CHARS));
}

/* Only a short run of letters and digits survives as the stored original's extension. */
static char *
sanitize_extension (const char *ext)
{
  gsize len = ext ? strlen (ext) : 0;

  if (len == 0 || len > 8)
    return g_strdup ("bin");
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (ext[i]))
      return g_strdup ("bin");
  return g_ascii_strdown (ext, -1);
}

static JarchiMediaJob *
job_new (const char *media_dir, guint64 max_bytes, const char *name)
{
  JarchiMediaJob *job = g_new0 (JarchiMediaJob, 1);

  job->media_dir = g_strdup (media_dir);
  job->max_bytes = max_bytes;
  job->name = jarchi_media_sanitize_name (name);
  return job;
}

JarchiMediaJob *
jarchi_media_job_new_bytes (const char *media_dir, guint64 max_bytes, GBytes *data, const char *name,
                            const char *extension)
{
  JarchiMediaJob *job = job_new (media_dir, max_bytes, name);

  job->data = g_bytes_ref (data);
  job->extension = sanitize_extension (extension);
  return job;
}

JarchiMediaJob *
jarchi_media_job_new_file (const char *media_dir, guint64 max_bytes, const char *path, const char *name)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');
  JarchiMediaJob *job = job_new (media_dir, max_bytes, name && *name ? name : base);

  job->source_path = g_strdup (path);
  job->extension = sanitize_extension (dot ? dot + 1 : NULL);
  return job;
}

JarchiMediaJob *
jarchi_media_job_new_speech (const char *media_dir, const char *text, const char *lang)
{
  JarchiMediaJob *job = job_new (media_dir, G_MAXUINT64, NULL);

  job->text = g_strdup (text);
  job->lang = g_strdup (lang);
  job->extension = g_strdup ("wav");
  return job;
}

static int
make_tmp (const char *media_dir, const char *ext, char **path, GError **error)
{
  g_autofree char *tmpl = g_strdup_printf ("%s%c" JARCHI_MEDIA_TMP_PREFIX "XXXXXX.%s", media_dir,
                                           G_DIR_SEPARATOR, ext);
  int fd = g_mkstemp_full (tmpl, O_RDWR | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO, _("Could not create a file in %s: %s"),
                   media_dir, g_strerror (saved));
      return -1;
    }
  *path = g_steal_pointer (&tmpl);
  return fd;
}

static gboolean
too_large (guint64 size, guint64 max, GError **error)
{
  g_autofree char *limit = g_format_size (max);

  if (size == 0)
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT, _("The file is empty"));
      return TRUE;
    }
  if (size > max)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("The file is larger than the limit of %s"), limit);
      return TRUE;
    }
  return FALSE;
}

static gboolean
store_original (JarchiMediaJob *job, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  int fd;

  if (job->data != NULL)
    {
      g_autoptr(GOutputStream) out = NULL;

      if (too_large (g_bytes_get_size (job->data), job->max_bytes, error))
        return FALSE;
      fd = make_tmp (job->media_dir, job->extension, &job->tmp_original, error);
      if (fd < 0)
        return FALSE;
      out = g_unix_output_stream_new (fd, TRUE);
      if (!g_output_stream_write_all (out, g_bytes_get_data (job->data, NULL),
                                      g_bytes_get_size (job->data), NULL, NULL, &local_error)
          || !g_output_stream_close (out, NULL, &local_error))
        {
          g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO, _("Could not store the file: %s"),
                       local_error->message);
          return FALSE;
        }
      return TRUE;
    }
  else
    {
      g_autoptr(GFile) src = g_file_new_for_path (job->source_path);
      g_autoptr(GFile) dst = NULL;
      GStatBuf st;

      if (g_stat (job->source_path, &st) != 0)
        {
          int saved = errno;
          g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO, _("Could not read %s: %s"),
                       job->source_path, g_strerror (saved));
          return FALSE;
        }
      if (!S_ISREG (st.st_mode))
        {
          g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA,
                       _("Not an audio file GStreamer can decode: %s"), _("it is not a regular file"));
          return FALSE;
        }
      if (too_large ((guint64) st.st_size, job->max_bytes, error))
        return FALSE;
      fd = make_tmp (job->media_dir, job->extension, &job->tmp_original, error);
      if (fd < 0)
        return FALSE;
      close (fd);
      dst = g_file_new_for_path (job->tmp_original);
      if (!g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &local_error))
        {
          g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO, _("Could not copy %s: %s"),
                       job->source_path, local_error->message);
          return FALSE;
        }
      return TRUE;
    }
}

/* Stores the original, decodes it once and writes the normalised WAV, all under temporary names. */
gboolean
jarchi_media_job_run (JarchiMediaJob *job, GError **error)
{
  g_autoptr(GBytes) pcm = NULL;
  int fd;

  if (job->text != NULL)
    {
      fd = make_tmp (job->media_dir, "wav", &job->tmp_original, error);
      if (fd < 0)
        return FALSE;
      close (fd);
      if (!jarchi_tts_synthesize_to_wav (job->text, job->lang, job->tmp_original, error))
        return FALSE;
    }
  else if (!store_original (job, error))
    return FALSE;

  pcm = jarchi_audio_decode_file (job->tmp_original, JARCHI_MEDIA_MAX_DURATION_MS,
                                  &job->duration_ms, error);
  if (pcm == NULL)
    return FALSE;
  if (job->duration_ms < JARCHI_MEDIA_MIN_DURATION_MS)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("The audio is too short (%u ms); a message needs at least %.1f s"),
                   job->duration_ms, JARCHI_MEDIA_MIN_DURATION_MS / 1000.0);
      return FALSE;
    }

  fd = make_tmp (job->media_dir, "wav", &job->tmp_wav, error);
  if (fd < 0)
    return FALSE;
  close (fd);
  return jarchi_audio_write_wav (job->tmp_wav, pcm, JARCHI_AUDIO_RATE, error);
}
