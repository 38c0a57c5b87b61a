/* Feeds one audio file, once or looped, into a live mixer of a call's pipeline. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define JARCHI_TYPE_MEDIA_PLAYER (jarchi_media_player_get_type ())
G_DECLARE_FINAL_TYPE (JarchiMediaPlayer, jarchi_media_player, JARCHI, MEDIA_PLAYER, GObject)

/* Decodes @path far enough to know it is audio, then plays it into a new request pad of
 * @mixer (an audiomixer in the PLAYING @pipeline) as S16LE mono at @rate, starting now.
 * "finished" is emitted on the calling thread's main context once a file played once has
 * left the mixer; a looped file never finishes. Errors: JARCHI_ERROR_NOT_FOUND, _MEDIA. */
JarchiMediaPlayer *jarchi_media_player_new (GstElement *pipeline, GstElement *mixer, guint rate,
                                            const char *path, gboolean loop, GError **error);
/* Detaches from the mixer at once; idempotent. */
void jarchi_media_player_stop (JarchiMediaPlayer *self);

G_END_DECLS
