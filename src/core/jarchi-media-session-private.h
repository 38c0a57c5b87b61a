/* Private to JarchiMediaSession's files: the instance struct and the helpers they share. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "jarchi-media-player.h"
#include "jarchi-media-recorder.h"
#include "jarchi-media-session.h"

G_BEGIN_DECLS

/* rtpdtmfsrc never sends an event shorter than 250 ms, nor two events closer than 100 ms. */
#define DTMF_MIN_MS 250
#define DTMF_GAP_MS 120

typedef struct {
  const char *name;       /* SDP encoding name */
  const char *rtp_name;   /* encoding-name in RTP caps */
  guint rate;             /* sampling rate of the raw audio */
  guint clock_rate;       /* usual RTP clock rate */
  const char *encoder, *payloader, *depayloader, *decoder;
} Codec;

struct _JarchiMediaSession {
  GObject parent_instance;

  GMainContext *context;
  GSocket *socket;
  guint16 local_port;
  JarchiMediaState state;
  JarchiMediaDirection direction;
  gboolean muted;
  gboolean record_separate;
  double input_volume;
  double output_volume;
  double input_level;

  const Codec *codec;
  guint pt, dtmf_pt, clock_rate;
  GstElement *pipeline;
  GstPad *mic_pad;        /* the microphone's input to the send mixer */
  guint packets_received;  /* atomic */
  guint packets_sent;      /* atomic */

  GQueue dtmf_queue;      /* packed (duration_ms << 8 | event) */
  GSource *dtmf_timer;

  /* Only the in-band detector's streaming thread uses these once running. */
  int inband_last;
  gboolean inband_released;
  guint inband_quiet;     /* samples */
  GstClockTime inband_pts, inband_time;

  JarchiMediaPlayer *player;
  JarchiMediaRecorder *recorder;
};

static const char dtmf_digits[] = "0123456789*#ABCD";

/* Borrowed: the pipeline keeps its elements for the session's whole call. */
static inline GstElement *
child (JarchiMediaSession *self, const char *name)
{
  GstElement *element = gst_bin_get_by_name (GST_BIN (self->pipeline), name);

  if (element != NULL)
    gst_object_unref (element);
  return element;
}

/* jarchi-media-session.c */
void        jarchi_media_session_notify_recording  (JarchiMediaSession *self);
void        jarchi_media_session_playback_finished (JarchiMediaSession *self);

/* jarchi-media-session-controls.c: playback, DTMF sending, recording */
void        jarchi_media_session_player_clear      (JarchiMediaSession *self);
void        jarchi_media_session_dtmf_clear        (JarchiMediaSession *self);

G_END_DECLS
