/* One softphone call's audio: symmetric RTP over one UDP socket, DTMF, file playback, recording. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  JARCHI_MEDIA_STATE_IDLE,
  JARCHI_MEDIA_STATE_READY,   /* socket bound, port known, nothing flows yet */
  JARCHI_MEDIA_STATE_RUNNING,
  JARCHI_MEDIA_STATE_STOPPED,
  JARCHI_MEDIA_STATE_FAILED,
} JarchiMediaState;

typedef enum {
  JARCHI_DTMF_METHOD_RFC4733,
  JARCHI_DTMF_METHOD_INFO,    /* SIP INFO: reported by the SIP engine, never by a media session */
  JARCHI_DTMF_METHOD_INBAND,
} JarchiDtmfMethod;

/* Our side's SDP direction. Only SENDRECV sends RTP: SENDONLY means we hold the call, and the
 * held party must not hear us; RECVONLY and INACTIVE mean we are held. SENDONLY and INACTIVE
 * also silence the speaker. The socket stays open and recording goes on (silence fills in). */
typedef enum {
  JARCHI_MEDIA_DIR_SENDRECV,
  JARCHI_MEDIA_DIR_SENDONLY,
  JARCHI_MEDIA_DIR_RECVONLY,
  JARCHI_MEDIA_DIR_INACTIVE,
} JarchiMediaDirection;

#define JARCHI_TYPE_MEDIA_STATE (jarchi_media_state_get_type ())
GType jarchi_media_state_get_type (void);
#define JARCHI_TYPE_DTMF_METHOD (jarchi_dtmf_method_get_type ())
GType jarchi_dtmf_method_get_type (void);
#define JARCHI_TYPE_MEDIA_DIRECTION (jarchi_media_direction_get_type ())
GType jarchi_media_direction_get_type (void);

#define JARCHI_TYPE_MEDIA_SESSION (jarchi_media_session_get_type ())
G_DECLARE_FINAL_TYPE (JarchiMediaSession, jarchi_media_session, JARCHI, MEDIA_SESSION, GObject)

/* Binds one UDP socket on an ephemeral port of @local_address (e.g. "127.0.0.1", "0.0.0.0",
 * "::"). Signals and notifications are emitted on the thread-default main context of the
 * calling thread, which must also make every other call.
 * The audio devices come from $JARCHI_AUDIOSRC / $JARCHI_AUDIOSINK (gst-launch chains) when set,
 * else from set_audio_devices(), else autoaudiosrc / autoaudiosink; webrtcdsp echo cancellation
 * when installed and no variable is set. */
JarchiMediaSession *jarchi_media_session_new (const char *local_address, GError **error);
/* The microphone and speaker (GstDevice, NULL = the system default) for calls started from now
 * on, process-wide; callable from any thread. */
void jarchi_media_session_set_audio_devices (gpointer input, gpointer output);
guint16 jarchi_media_session_get_local_port (JarchiMediaSession *self);
JarchiMediaState jarchi_media_session_get_state (JarchiMediaSession *self);

/* @codec: SDP encoding name "PCMU", "PCMA", "G722" or "opus" (any case; else
 * JARCHI_ERROR_UNSUPPORTED); @pt: its payload type; @clock_rate: its SDP clock rate (0 = the
 * codec's usual one: 8000, or 48000 for opus); @dtmf_pt: telephone-event payload type (96..127,
 * same clock rate as the audio) or 0 when none was negotiated, in which case digits are sent
 * and detected in-band. Only READY sessions start; the codec cannot change afterwards. */
gboolean jarchi_media_session_start (JarchiMediaSession *self, const char *remote_host,
                                     guint16 remote_port, const char *codec, guint pt,
                                     guint clock_rate, guint dtmf_pt, GError **error);
void jarchi_media_session_set_remote (JarchiMediaSession *self, const char *remote_host,
                                      guint16 remote_port);
void jarchi_media_session_set_direction (JarchiMediaSession *self, JarchiMediaDirection dir);

/* Sends any audio file GStreamer decodes (wav, mp3, ogg, opus, flac) instead of the microphone.
 * A file played once is followed by silence until stop_playback(); "playback-finished" is
 * emitted when it has been sent. Fails if the file cannot be decoded. */
gboolean jarchi_media_session_play_file (JarchiMediaSession *self, const char *path,
                                         gboolean loop, GError **error);
void jarchi_media_session_stop_playback (JarchiMediaSession *self);

/* Queues one digit (0-9 * # A-D); queued digits leave one after another, each its own event.
 * RFC 4733 when a telephone-event payload type was negotiated, in-band tones otherwise. */
gboolean jarchi_media_session_send_dtmf (JarchiMediaSession *self, char digit,
                                         guint duration_ms, GError **error);

/* Ogg/Opus of both directions mixed, as long as the recording lasted (silence fills gaps).
 * With "record-separate", also writes PATH-local.ogg and PATH-remote.ogg. */
gboolean jarchi_media_session_start_recording (JarchiMediaSession *self, const char *path,
                                               GError **error);
/* Finalises the file(s) before returning (waits at most a few seconds). */
void jarchi_media_session_stop_recording (JarchiMediaSession *self);
gboolean jarchi_media_session_get_recording (JarchiMediaSession *self);
/* Paused, the recording goes on with silence in place of the call's audio (one file per call
 * whatever is paused); FALSE when nothing is being recorded. */
gboolean jarchi_media_session_set_recording_paused (JarchiMediaSession *self, gboolean paused);

/* Finalises any recording, then releases the pipeline; idempotent. */
void jarchi_media_session_stop (JarchiMediaSession *self);

/* Properties: "state" (JarchiMediaState, ro), "direction" (JarchiMediaDirection, as
 * set_direction()), "muted" (microphone only), "input-volume" and "output-volume" (0..2),
 * "input-level" (ro: microphone RMS, 0 at -60 dBFS and below to 1 at 0 dBFS, measured ten times
 * a second, notified when it changes), "local-port" (ro), "recording" (ro), "record-separate",
 * "packets-received" and "packets-sent" (ro: RTP packets of the negotiated payload types;
 * polled, never notified).
 * Signals: "dtmf-received" (gchar digit, JarchiDtmfMethod method), "playback-finished",
 * "error" (GError *): after "error" the state is FAILED. */

G_END_DECLS
