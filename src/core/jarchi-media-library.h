/* JarchiMediaLibrary: the messages campaigns play — uploaded audio and synthesised speech, in table media. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "jarchi-audio-decoder.h"
#include "jarchi-media.h"
#include "jarchi-store.h"

G_BEGIN_DECLS

#define JARCHI_MEDIA_DEFAULT_MAX_UPLOAD ((guint64) 50 * 1024 * 1024)
#define JARCHI_MEDIA_MIN_DURATION_MS    300
#define JARCHI_MEDIA_MAX_DURATION_MS    (10 * 60 * 1000)
#define JARCHI_MEDIA_MAX_NAME_CHARS     200

#define JARCHI_TYPE_MEDIA_LIBRARY (jarchi_media_library_get_type ())
G_DECLARE_FINAL_TYPE (JarchiMediaLibrary, jarchi_media_library, JARCHI, MEDIA_LIBRARY, GObject)

/* Creates @media_dir when missing and removes leftovers of imports a crash interrupted.
 * Every method must be called on the thread that created the library (its store's thread);
 * the slow parts of the _async variants run on worker threads. */
JarchiMediaLibrary *jarchi_media_library_new                (JarchiStore          *store,
                                                            const char           *media_dir,
                                                            GError              **error);
const char         *jarchi_media_library_get_media_dir      (JarchiMediaLibrary   *self);
guint64             jarchi_media_library_get_max_upload_size (JarchiMediaLibrary  *self);
void                jarchi_media_library_set_max_upload_size (JarchiMediaLibrary  *self,
                                                             guint64              max_bytes);

/* Imports an audio file: decodes it once (it must be audio GStreamer can decode, 0.3 s to
 * 10 min long, at most max-upload-size bytes), stores it and its normalised WAV, adds a row of
 * kind "upload". @name NULL or empty: the file's name. @extension: the original's file name
 * extension, kept only if it is 1-8 letters and digits. On failure nothing is left behind.
 * Errors: JARCHI_ERROR_MEDIA (not decodable audio), JARCHI_ERROR_INVALID_ARGUMENT (empty, too
 * short, too long, too large), JARCHI_ERROR_IO, JARCHI_ERROR_DATABASE. */
JarchiMedia        *jarchi_media_library_import_file        (JarchiMediaLibrary   *self,
                                                            const char           *path,
                                                            const char           *name,
                                                            GError              **error);
void                jarchi_media_library_import_bytes_async (JarchiMediaLibrary   *self,
                                                            GBytes               *data,
                                                            const char           *name,
                                                            const char           *extension,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
JarchiMedia        *jarchi_media_library_import_finish      (JarchiMediaLibrary   *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Speaks @text in @lang ("uz", "ru", "en") once and adds a row of kind "tts"; the same text and
 * language again returns the existing row with *@created FALSE. Surrounding white space is
 * ignored. Errors: JARCHI_ERROR_INVALID_ARGUMENT (empty, longer than JARCHI_TTS_MAX_CHARS,
 * unknown language), JARCHI_ERROR_MEDIA, JARCHI_ERROR_IO, JARCHI_ERROR_DATABASE. */
JarchiMedia        *jarchi_media_library_synthesize         (JarchiMediaLibrary   *self,
                                                            const char           *text,
                                                            const char           *lang,
                                                            gboolean             *created,
                                                            GError              **error);
void                jarchi_media_library_synthesize_async   (JarchiMediaLibrary   *self,
                                                            const char           *text,
                                                            const char           *lang,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
JarchiMedia        *jarchi_media_library_synthesize_finish  (JarchiMediaLibrary   *self,
                                                            GAsyncResult         *result,
                                                            gboolean             *created,
                                                            GError              **error);

/* Newest first. @kind NULL: every kind. @limit 0: no limit. *@total: rows of that kind. */
GPtrArray          *jarchi_media_library_list               (JarchiMediaLibrary   *self,
                                                            const char           *kind,
                                                            guint                 offset,
                                                            guint                 limit,
                                                            guint                *total,
                                                            GError              **error);
/* JARCHI_ERROR_NOT_FOUND when there is no such row. */
JarchiMedia        *jarchi_media_library_get                (JarchiMediaLibrary   *self,
                                                            gint64                id,
                                                            GError              **error);
/* Removes the row and its files. JARCHI_ERROR_BUSY while a campaign refers to it,
 * JARCHI_ERROR_NOT_FOUND when there is no such row. */
gboolean            jarchi_media_library_delete             (JarchiMediaLibrary   *self,
                                                            gint64                id,
                                                            GError              **error);

/* The media's audio as G.711 20 ms frames (see jarchi_audio_encode_g711), ready for one RTP
 * loop to send to many calls. The _async variant decodes and encodes on a worker thread. */
GBytes             *jarchi_media_library_load_g711          (JarchiMediaLibrary   *self,
                                                            gint64                id,
                                                            JarchiG711Law         law,
                                                            GError              **error);
void                jarchi_media_library_load_g711_async    (JarchiMediaLibrary   *self,
                                                            gint64                id,
                                                            JarchiG711Law         law,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GBytes             *jarchi_media_library_load_g711_finish   (JarchiMediaLibrary   *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Signals: "media-added" (gint64 id), "media-removed" (gint64 id).
 * Properties: "store" (construct-only), "media-dir" (construct-only), "max-upload-size". */

G_END_DECLS
