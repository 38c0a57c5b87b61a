/* JarchiRecordingPlayer: plays a call recording to the speaker with playbin, with pause and seek, for the history page. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define JARCHI_TYPE_RECORDING_PLAYER (jarchi_recording_player_get_type ())
G_DECLARE_FINAL_TYPE (JarchiRecordingPlayer, jarchi_recording_player, JARCHI, RECORDING_PLAYER, GObject)

/* The output is $JARCHI_AUDIOSINK (a gst-launch chain, as for calls) or autoaudiosink. */
JarchiRecordingPlayer *jarchi_recording_player_new          (void);
/* Loads @path paused at its start (NULL: unloads). JARCHI_ERROR_NOT_FOUND when the file is
 * missing, JARCHI_ERROR_MEDIA when the output cannot be opened. */
gboolean               jarchi_recording_player_open         (JarchiRecordingPlayer *self,
                                                             const char            *path,
                                                             GError               **error);
const char            *jarchi_recording_player_get_path     (JarchiRecordingPlayer *self);
void                   jarchi_recording_player_play         (JarchiRecordingPlayer *self);
void                   jarchi_recording_player_pause        (JarchiRecordingPlayer *self);
gboolean               jarchi_recording_player_get_playing  (JarchiRecordingPlayer *self);
/* Milliseconds; the duration is 0 until the file's header has been read. */
gint64                 jarchi_recording_player_get_position (JarchiRecordingPlayer *self);
gint64                 jarchi_recording_player_get_duration (JarchiRecordingPlayer *self);
void                   jarchi_recording_player_seek         (JarchiRecordingPlayer *self,
                                                             gint64                 position_ms);

/* Properties (read-only, notified): "path", "playing", "position" (every 100 ms while playing),
 * "duration". Signals: ::error (const char *message) when playback failed; playing is then FALSE.
 * At the end of the file playing turns FALSE and the position goes back to 0. */

G_END_DECLS
