/* JarchiMediaSession's in-call controls: playing a file, sending DTMF, recording. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "jarchi-error.h"
#include "jarchi-media-session-private.h"

/* ---- playback ---- */

void
jarchi_media_session_player_clear (JarchiMediaSession *self)
{
  if (self->player == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->player, self);
  jarchi_media_player_stop (self->player);
  g_clear_object (&self->player);
}

static void
on_player_finished (JarchiMediaPlayer *player, JarchiMediaSession *self)
{
  /* The microphone stays muted: a prompt is followed by silence, not by the room. */
  jarchi_media_session_player_clear (self);
  jarchi_media_session_playback_finished (self);
}

gboolean
jarchi_media_session_play_file (JarchiMediaSession *self, const char *path, gboolean loop,
                                GError **error)
{
  JarchiMediaPlayer *player;

  g_return_val_if_fail (JARCHI_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->state != JARCHI_MEDIA_STATE_RUNNING) {
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, "The call's media is not running");
    return FALSE;
  }
  player = jarchi_media_player_new (self->pipeline, child (self, "tx_mix"), self->codec->rate,
                                    path, loop, error);
  if (player == NULL)
    return FALSE;
  jarchi_media_session_player_clear (self);
  self->player = player;
  g_signal_connect (player, "finished", G_CALLBACK (on_player_finished), self);
  g_object_set (self->mic_pad, "mute", TRUE, NULL);
  return TRUE;
}

void
jarchi_media_session_stop_playback (JarchiMediaSession *self)
{
  g_return_if_fail (JARCHI_IS_MEDIA_SESSION (self));

  jarchi_media_session_player_clear (self);
  if (self->mic_pad != NULL)
    g_object_set (self->mic_pad, "mute", FALSE, NULL);
}

/* ---- DTMF ---- */

static void
dtmf_event (JarchiMediaSession *self, int number, gboolean start)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (child (self, "dtmf_src"), "src");
  GstStructure *s = gst_structure_new ("dtmf-event", "type", G_TYPE_INT, 1,
                                       "number", G_TYPE_INT, number, "volume", G_TYPE_INT, 10,
                                       "start", G_TYPE_BOOLEAN, start, NULL);

  gst_pad_send_event (pad, gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM, s));
}

static void dtmf_schedule (JarchiMediaSession *self, guint ms, GSourceFunc func);
static gboolean dtmf_release (gpointer data);

static gboolean
dtmf_next (gpointer data)
{
  JarchiMediaSession *self = data;
  guint packed;

  g_clear_pointer (&self->dtmf_timer, g_source_unref);
  if (g_queue_is_empty (&self->dtmf_queue))
    return G_SOURCE_REMOVE;
  packed = GPOINTER_TO_UINT (g_queue_pop_head (&self->dtmf_queue));
  dtmf_event (self, packed & 0xff, TRUE);
  dtmf_schedule (self, packed >> 8, dtmf_release);
  return G_SOURCE_REMOVE;
}

static gboolean
dtmf_release (gpointer data)
{
  JarchiMediaSession *self = data;

  g_clear_pointer (&self->dtmf_timer, g_source_unref);
  dtmf_event (self, 0, FALSE);
  dtmf_schedule (self, DTMF_GAP_MS, dtmf_next);
  return G_SOURCE_REMOVE;
}

static void
dtmf_schedule (JarchiMediaSession *self, guint ms, GSourceFunc func)
{
  self->dtmf_timer = g_timeout_source_new (ms);
  g_source_set_callback (self->dtmf_timer, func, self, NULL);
  g_source_attach (self->dtmf_timer, self->context);
}

void
jarchi_media_session_dtmf_clear (JarchiMediaSession *self)
{
  if (self->dtmf_timer != NULL)
    g_source_destroy (self->dtmf_timer);
  g_clear_pointer (&self->dtmf_timer, g_source_unref);
  g_queue_clear (&self->dtmf_queue);
}

gboolean
jarchi_media_session_send_dtmf (JarchiMediaSession *self, char digit, guint duration_ms,
                                GError **error)
{
  const char *found = digit != '\0' ? strchr (dtmf_digits, g_ascii_toupper (digit)) : NULL;

  g_return_val_if_fail (JARCHI_IS_MEDIA_SESSION (self), FALSE);

  if (found == NULL) {
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                 "“%c” is not a DTMF digit", digit);
    return FALSE;
  }
  if (self->state != JARCHI_MEDIA_STATE_RUNNING) {
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, "The call's media is not running");
    return FALSE;
  }
  duration_ms = CLAMP (duration_ms, DTMF_MIN_MS, 5000);
  g_queue_push_tail (&self->dtmf_queue,
                     GUINT_TO_POINTER (duration_ms << 8 | (guint) (found - dtmf_digits)));
  if (self->dtmf_timer == NULL)
    dtmf_next (self);
  return TRUE;
}

/* ---- recording ---- */

gboolean
jarchi_media_session_start_recording (JarchiMediaSession *self, const char *path, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->state != JARCHI_MEDIA_STATE_RUNNING) {
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, "The call's media is not running");
    return FALSE;
  }
  if (self->recorder != NULL) {
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY, "The call is already being recorded");
    return FALSE;
  }
  self->recorder = jarchi_media_recorder_new (self->pipeline, child (self, "tx_tee"),
                                              child (self, "rx_tee"), self->codec->rate, path,
                                              self->record_separate, error);
  if (self->recorder == NULL)
    return FALSE;
  jarchi_media_session_notify_recording (self);
  return TRUE;
}

void
jarchi_media_session_stop_recording (JarchiMediaSession *self)
{
  g_return_if_fail (JARCHI_IS_MEDIA_SESSION (self));

  if (self->recorder == NULL)
    return;
  jarchi_media_recorder_finish (self->recorder);
  g_clear_object (&self->recorder);
  jarchi_media_session_notify_recording (self);
}

gboolean
jarchi_media_session_set_recording_paused (JarchiMediaSession *self, gboolean paused)
{
  g_return_val_if_fail (JARCHI_IS_MEDIA_SESSION (self), FALSE);

  if (self->recorder == NULL)
    return FALSE;
  jarchi_media_recorder_set_paused (self->recorder, paused);
  return TRUE;
}
