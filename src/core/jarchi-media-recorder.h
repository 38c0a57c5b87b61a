/* Records a call's two directions, mixed, to Ogg/Opus from inside the call's pipeline. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define JARCHI_TYPE_MEDIA_RECORDER (jarchi_media_recorder_get_type ())
G_DECLARE_FINAL_TYPE (JarchiMediaRecorder, jarchi_media_recorder, JARCHI, MEDIA_RECORDER, GObject)

/* Starts recording what @local_tee and @remote_tee (tees of S16LE mono at @rate in the PLAYING
 * @pipeline) carry to @path; with @separate also to PATH-local.ogg and PATH-remote.ogg (PATH
 * without its .ogg). Silence fills every gap, so each file lasts as long as the recording.
 * Errors: JARCHI_ERROR_IO (a file cannot be written), JARCHI_ERROR_MEDIA. */
JarchiMediaRecorder *jarchi_media_recorder_new (GstElement *pipeline, GstElement *local_tee,
                                                GstElement *remote_tee, guint rate,
                                                const char *path, gboolean separate,
                                                GError **error);
/* Paused, the files go on with silence instead of what the call carries (a per-call "stop
 * recording" that keeps one file per call, as long as the call). */
void jarchi_media_recorder_set_paused (JarchiMediaRecorder *self, gboolean paused);
gboolean jarchi_media_recorder_get_paused (JarchiMediaRecorder *self);
/* Ends the files with EOS, waits (a few seconds at most) until they are complete, then
 * leaves the pipeline; idempotent. */
void jarchi_media_recorder_finish (JarchiMediaRecorder *self);

G_END_DECLS
