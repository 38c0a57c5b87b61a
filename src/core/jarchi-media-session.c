/* Per-call GStreamer media of the softphone: the pipeline, RTP, received DTMF (playing, sending DTMF, recording: see -controls.c). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-media-session-private.h"

#include <gst/rtp/gstrtpbuffer.h>

#include "jarchi-audio-devices.h"
#include "jarchi-error.h"

/* dtmfdetect reports a tone again after any dropout inside it: a key press only ends with a
 * pause of quiet audio (ITU-T Q.24 allows 40 ms), or after a second without reports. */
#define INBAND_PAUSE_SAMPLES (8000 * 40 / 1000)
#define INBAND_QUIET_PEAK 500
#define INBAND_HOLD (GST_SECOND)
#define RAW_CAPS "audio/x-raw,format=S16LE,channels=1,layout=interleaved,rate=%u"

static const Codec codecs[] = {
  { "PCMU", "PCMU", 8000, 8000, "mulawenc", "rtppcmupay", "rtppcmudepay", "mulawdec" },
  { "PCMA", "PCMA", 8000, 8000, "alawenc", "rtppcmapay", "rtppcmadepay", "alawdec" },
  { "G722", "G722", 16000, 8000, "avenc_g722", "rtpg722pay", "rtpg722depay", "avdec_g722" },
  { "opus", "OPUS", 48000, 48000, "opusenc audio-type=voice bitrate=32000", "rtpopuspay",
    "rtpopusdepay", "opusdec plc=true" },
};

G_DEFINE_FINAL_TYPE (JarchiMediaSession, jarchi_media_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (JarchiMediaState, jarchi_media_state,
  G_DEFINE_ENUM_VALUE (JARCHI_MEDIA_STATE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (JARCHI_MEDIA_STATE_READY, "ready"),
  G_DEFINE_ENUM_VALUE (JARCHI_MEDIA_STATE_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (JARCHI_MEDIA_STATE_STOPPED, "stopped"),
  G_DEFINE_ENUM_VALUE (JARCHI_MEDIA_STATE_FAILED, "failed"))

G_DEFINE_ENUM_TYPE (JarchiDtmfMethod, jarchi_dtmf_method,
  G_DEFINE_ENUM_VALUE (JARCHI_DTMF_METHOD_RFC4733, "rfc4733"),
  G_DEFINE_ENUM_VALUE (JARCHI_DTMF_METHOD_INFO, "info"),
  G_DEFINE_ENUM_VALUE (JARCHI_DTMF_METHOD_INBAND, "inband"))

G_DEFINE_ENUM_TYPE (JarchiMediaDirection, jarchi_media_direction,
  G_DEFINE_ENUM_VALUE (JARCHI_MEDIA_DIR_SENDRECV, "sendrecv"),
  G_DEFINE_ENUM_VALUE (JARCHI_MEDIA_DIR_SENDONLY, "sendonly"),
  G_DEFINE_ENUM_VALUE (JARCHI_MEDIA_DIR_RECVONLY, "recvonly"),
  G_DEFINE_ENUM_VALUE (JARCHI_MEDIA_DIR_INACTIVE, "inactive"))

enum {
  PROP_0, PROP_STATE, PROP_DIRECTION, PROP_MUTED, PROP_INPUT_VOLUME, PROP_OUTPUT_VOLUME,
  PROP_INPUT_LEVEL, PROP_LOCAL_PORT, PROP_RECORDING, PROP_RECORD_SEPARATE, PROP_PACKETS_RECEIVED,
  PROP_PACKETS_SENT, N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_DTMF_RECEIVED, SIGNAL_PLAYBACK_FINISHED, SIGNAL_ERROR, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_state (JarchiMediaSession *self, JarchiMediaState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
fail (JarchiMediaSession *self, const char *message)
{
  g_autoptr(GError) error = g_error_new_literal (JARCHI_ERROR, JARCHI_ERROR_MEDIA, message);

  set_state (self, JARCHI_MEDIA_STATE_FAILED);
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error);
}

void
jarchi_media_session_notify_recording (JarchiMediaSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
}

void
jarchi_media_session_playback_finished (JarchiMediaSession *self)
{
  g_signal_emit (self, signals[SIGNAL_PLAYBACK_FINISHED], 0);
}

/* ---- pipeline ---- */

static GstCaps *
on_request_pt_map (GstElement *element, guint pt, gpointer data)
{
  JarchiMediaSession *self = data;
  const char *name = pt == self->pt ? self->codec->rtp_name
                     : pt == self->dtmf_pt ? "TELEPHONE-EVENT" : NULL;

  if (name == NULL)
    return NULL;
  return gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING, "audio",
                              "clock-rate", G_TYPE_INT, (int) self->clock_rate,
                              "encoding-name", G_TYPE_STRING, name,
                              "payload", G_TYPE_INT, (int) pt, NULL);
}

static void
on_new_payload_type (GstElement *demux, guint pt, GstPad *pad, gpointer data)
{
  JarchiMediaSession *self = data;
  const char *name = pt == self->pt ? "depay" : pt == self->dtmf_pt ? "dtmf_depay" : NULL;
  g_autoptr(GstPad) sink = name != NULL ? gst_element_get_static_pad (child (self, name), "sink")
                                        : NULL;

  /* The new branch adds the jitter buffer's latency: sinks and mixers must learn it. */
  if (sink != NULL && !gst_pad_is_linked (sink) &&
      GST_PAD_LINK_SUCCESSFUL (gst_pad_link (pad, sink)))
    gst_element_post_message (demux, gst_message_new_latency (GST_OBJECT (demux)));
}

/* rtpptdemux turns an unexpected payload type (comfort noise, a peer's stray codec) into a
 * fatal error, so only the negotiated ones may pass. */
static GstPadProbeReturn
on_rtp_received (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  JarchiMediaSession *self = data;
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint pt;

  if (!gst_rtp_buffer_map (GST_PAD_PROBE_INFO_BUFFER (info), GST_MAP_READ, &rtp))
    return GST_PAD_PROBE_DROP;
  pt = gst_rtp_buffer_get_payload_type (&rtp);
  gst_rtp_buffer_unmap (&rtp);
  if (pt != self->pt && (self->dtmf_pt == 0 || pt != self->dtmf_pt))
    return GST_PAD_PROBE_DROP;
  g_atomic_int_inc (&self->packets_received);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_rtp_sent (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  JarchiMediaSession *self = data;
  GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);

  g_atomic_int_add (&self->packets_sent, (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
                                         ? gst_buffer_list_length (list) : 1);
  return GST_PAD_PROBE_OK;
}

/* Lost packets reach the detector as no audio at all, so only real quiet ends a key press. */
static GstPadProbeReturn
on_inband_audio (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  JarchiMediaSession *self = data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMapInfo map;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_PAD_PROBE_OK;
  for (gsize i = 0; i < map.size / 2; i++) {
    if (ABS (((const gint16 *) map.data)[i]) > INBAND_QUIET_PEAK)
      self->inband_quiet = 0;
    else if (++self->inband_quiet >= INBAND_PAUSE_SAMPLES)
      self->inband_released = TRUE;
  }
  self->inband_pts = GST_BUFFER_PTS (buffer);
  gst_buffer_unmap (buffer, &map);
  return GST_PAD_PROBE_OK;
}

static void handle_message (JarchiMediaSession *self, GstMessage *msg);

typedef struct {
  JarchiMediaSession *self;
  GstMessage *msg;
} Forwarded;

static void
forwarded_free (gpointer data)
{
  Forwarded *f = data;

  g_object_unref (f->self);
  gst_message_unref (f->msg);
  g_free (f);
}

static gboolean
forwarded_dispatch (gpointer data)
{
  Forwarded *f = data;

  /* Late messages of a stopped pipeline are of no use any more. */
  if (f->self->pipeline != NULL)
    handle_message (f->self, f->msg);
  return G_SOURCE_REMOVE;
}

/* Messages reach the main context through one-shot sources, not a bus watch: a watch is a
 * descriptor the main loop polls at every wake-up, and with a pipeline per call those scans
 * took nearly half the main thread's time with 50 calls, making call set-up and API replies
 * wait.  Here, too, the many messages of no interest (state changes, stream status, latency,
 * levels nobody shows) are dropped in the streaming thread instead of waking the main loop. */
static GstBusSyncReply
forward (JarchiMediaSession *self, GstMessage *msg)
{
  g_autoptr(GSource) source = g_idle_source_new ();
  Forwarded *f = g_new (Forwarded, 1);

  f->self = g_object_ref (self);
  f->msg = msg;   /* GST_BUS_DROP hands the message to the handler */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, forwarded_dispatch, f, forwarded_free);
  g_source_attach (source, self->context);
  return GST_BUS_DROP;
}

/* Runs in the thread that posts.  In-band DTMF comes from the detector's thread right after
 * on_inband_audio() saw the buffer that triggered the report: repeats are dropped before they
 * are queued for the main context. */
static GstBusSyncReply
on_bus_sync (GstBus *bus, GstMessage *msg, gpointer data)
{
  static GQuark input_level_quark;
  JarchiMediaSession *self = data;
  const GstStructure *s = gst_message_get_structure (msg);
  int method = 0, number = -1;
  gboolean repeat;

  /* A copy stays on the bus, where a failed start looks for the reason. */
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    (void) forward (self, gst_message_ref (msg));
    return GST_BUS_PASS;
  }
  if (GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ELEMENT || s == NULL)
    goto drop;
  if (gst_structure_has_name (s, "level")) {
    if (input_level_quark == 0)
      input_level_quark = g_quark_from_static_string ("input-level");
    /* Ten a second per call: only worth a trip to the main context for a meter shown. */
    if (g_signal_has_handler_pending (self, g_signal_lookup ("notify", G_TYPE_OBJECT),
                                      input_level_quark, FALSE))
      return forward (self, msg);
    goto drop;
  }
  if (!gst_structure_has_name (s, "dtmf-event"))
    goto drop;
  if (!gst_structure_get_int (s, "method", &method) || method != 2)
    return forward (self, msg);
  gst_structure_get_int (s, "number", &number);
  repeat = number == self->inband_last && !self->inband_released &&
           (!GST_CLOCK_TIME_IS_VALID (self->inband_pts) ||
            self->inband_pts < self->inband_time + INBAND_HOLD);
  if (!repeat)
    self->inband_time = self->inband_pts;
  self->inband_last = number;
  self->inband_released = FALSE;
  if (!repeat)
    return forward (self, msg);
drop:
  gst_message_unref (msg);
  return GST_BUS_DROP;
}

static void
on_level (JarchiMediaSession *self, const GstStructure *s)
{
  const GValue *rms = gst_structure_get_value (s, "rms");
  const GValue *first = NULL;
  double level;

  if (rms == NULL)
    return;
  if (GST_VALUE_HOLDS_ARRAY (rms) && gst_value_array_get_size (rms) > 0)
    first = gst_value_array_get_value (rms, 0);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (G_VALUE_HOLDS (rms, g_value_array_get_type ()) && g_value_get_boxed (rms) != NULL &&
      ((GValueArray *) g_value_get_boxed (rms))->n_values > 0)
    first = g_value_array_get_nth (g_value_get_boxed (rms), 0);
  G_GNUC_END_IGNORE_DEPRECATIONS
  if (first == NULL || !G_VALUE_HOLDS_DOUBLE (first))
    return;
  /* A meter reads in decibels: -60 dBFS and below is empty, 0 dBFS full. */
  level = CLAMP ((g_value_get_double (first) + 60.0) / 60.0, 0.0, 1.0);
  if (level != self->input_level) {
    self->input_level = level;
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INPUT_LEVEL]);
  }
}

static void
handle_message (JarchiMediaSession *self, GstMessage *msg)
{
  const GstStructure *s = gst_message_get_structure (msg);
  g_autoptr(GError) error = NULL;
  g_autofree char *debug = NULL;
  g_autofree char *text = NULL;
  int number = -1, method = 0;

  switch (GST_MESSAGE_TYPE (msg)) {
  case GST_MESSAGE_ERROR:
    gst_message_parse_error (msg, &error, &debug);
    g_debug ("Media error from %s: %s (%s)", GST_MESSAGE_SRC_NAME (msg), error->message, debug);
    text = g_strdup_printf ("%s: %s", GST_MESSAGE_SRC_NAME (msg), error->message);
    fail (self, text);
    break;
  case GST_MESSAGE_ELEMENT:
    if (gst_structure_has_name (s, "level")) {
      on_level (self, s);
    } else if (gst_structure_has_name (s, "dtmf-event") &&
               gst_structure_get_int (s, "number", &number) &&
               gst_structure_get_int (s, "method", &method) && number >= 0 && number < 16) {
      g_signal_emit (self, signals[SIGNAL_DTMF_RECEIVED], 0, dtmf_digits[number],
                     method == 2 ? JARCHI_DTMF_METHOD_INBAND : JARCHI_DTMF_METHOD_RFC4733);
    }
    break;
  default:
    break;
  }
}


static char *
describe_pipeline (JarchiMediaSession *self, gboolean echo_cancel)
{
  const Codec *c = self->codec;
  GString *d = g_string_new (NULL);
  g_autofree char *raw = g_strdup_printf (RAW_CAPS, c->rate);

  /* Microphone and played files meet in a live mixer, which keeps RTP flowing at an even
   * pace whatever the source does; its 30 ms of slack absorb a late microphone thread. */
  g_string_append_printf (d,
    "audioconvert name=mic_in ! audioresample ! %s ! %s volume name=mic_volume ! "
    "level name=mic_level interval=100000000 ! tx_mix. "
    "audiomixer name=tx_mix force-live=true latency=30000000 ! %s ! tee name=tx_tee ! %s ! "
    "%s pt=%u min-ptime=20000000 max-ptime=20000000 ! rtpdtmfmux name=dtmf_mux ! "
    "valve name=tx_valve ! udpsink name=udpsink sync=false async=false close-socket=false ",
    raw, echo_cancel ? "webrtcdsp probe=echo_probe !" : "", raw, c->encoder, c->payloader,
    self->pt);
  if (self->dtmf_pt != 0)
    /* RFC 4733 2.5.1.4: the end of an event is sent three times, as loss would make it last. */
    g_string_append_printf (d, "rtpdtmfsrc name=dtmf_src pt=%u clock-rate=%u packet-redundancy=3 ! "
                            "dtmf_mux.priority_sink_0 ", self->dtmf_pt, self->clock_rate);
  else
    g_string_append_printf (d, "dtmfsrc name=dtmf_src interval=20 ! audioconvert ! "
                            "audioresample ! %s ! tx_mix. ", raw);
  g_string_append_printf (d,
    "udpsrc name=udpsrc close-socket=false caps=\"application/x-rtp,media=audio,"
    "clock-rate=%u,encoding-name=%s,payload=%u\" ! rtpjitterbuffer name=jitter latency=60 "
    "do-lost=true ! rtpptdemux name=pt_demux "
    "%s name=depay ! %s ! audioconvert ! audioresample ! %s ! tee name=rx_tee ! "
    "queue max-size-time=200000000 leaky=downstream ! volume name=out_volume ! %s "
    "audioconvert ! audioresample name=out_end ",
    self->clock_rate, c->rtp_name, self->pt, c->depayloader, c->decoder, raw,
    echo_cancel ? "webrtcechoprobe name=echo_probe !" : "");
  if (self->dtmf_pt != 0)
    g_string_append (d, "rtpdtmfdepay name=dtmf_depay ! fakesink sync=false async=false ");
  else
    g_string_append (d, "rx_tee. ! queue leaky=downstream ! audioresample ! "
                        "audio/x-raw,rate=8000 ! dtmfdetect name=dtmf_detect ! "
                        "fakesink sync=false async=false ");
  return g_string_free (d, FALSE);
}

void
jarchi_media_session_set_audio_devices (gpointer input, gpointer output)
{
  jarchi_audio_devices_set_chosen (input, output);
}

static void
apply_controls (JarchiMediaSession *self)
{
  if (self->pipeline == NULL)
    return;
  g_object_set (child (self, "mic_volume"), "volume", self->input_volume, "mute", self->muted,
                NULL);
  g_object_set (child (self, "out_volume"), "volume", self->output_volume,
                "mute", self->direction == JARCHI_MEDIA_DIR_SENDONLY ||
                        self->direction == JARCHI_MEDIA_DIR_INACTIVE, NULL);
  g_object_set (child (self, "tx_valve"), "drop", self->direction != JARCHI_MEDIA_DIR_SENDRECV,
                NULL);
}

static void
pipeline_clear (JarchiMediaSession *self)
{
  g_autoptr(GstBus) bus = NULL;

  if (self->pipeline == NULL)
    return;
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  bus = gst_element_get_bus (self->pipeline);
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  g_clear_object (&self->mic_pad);
  gst_clear_object (&self->pipeline);
}

static gboolean
build_pipeline (JarchiMediaSession *self, const char *remote_host, guint16 remote_port,
                GError **error)
{
  gboolean devices = g_getenv ("JARCHI_AUDIOSRC") == NULL && g_getenv ("JARCHI_AUDIOSINK") == NULL;
  g_autoptr(GstPluginFeature) dsp = gst_registry_lookup_feature (gst_registry_get (), "webrtcdsp");
  g_autofree char *desc = describe_pipeline (self, devices && dsp != NULL);
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstPad) udpsrc_pad = NULL;
  g_autoptr(GstPad) udpsink_pad = NULL;
  g_autoptr(GstPad) level_pad = NULL;
  g_autoptr(GstMessage) msg = NULL;
  g_autoptr(GError) start_error = NULL;
  g_autoptr(GstClock) clock = NULL;
  GstElement *mic, *speaker;
  char stale[1500];

  self->pipeline = gst_parse_launch_full (desc, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &parse_error);
  if (self->pipeline == NULL) {
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, "Cannot build the call's audio: %s",
                 parse_error->message);
    return FALSE;
  }
  gst_object_ref_sink (self->pipeline);
  if ((mic = jarchi_audio_devices_make (TRUE, error)) == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (self->pipeline), mic);
  if ((speaker = jarchi_audio_devices_make (FALSE, error)) == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (self->pipeline), speaker);
  if (!gst_element_link (mic, child (self, "mic_in")) ||
      !gst_element_link (child (self, "out_end"), speaker)) {
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, "Cannot connect the audio devices");
    return FALSE;
  }

  level_pad = gst_element_get_static_pad (child (self, "mic_level"), "src");
  self->mic_pad = gst_pad_get_peer (level_pad);

  /* Symmetric RTP: both directions use the one socket whose port the SDP announced. */
  g_object_set (child (self, "udpsrc"), "socket", self->socket, NULL);
  g_object_set (child (self, "udpsink"), "socket", self->socket, "host", remote_host,
                "port", (int) remote_port, NULL);
  udpsrc_pad = gst_element_get_static_pad (child (self, "udpsrc"), "src");
  gst_pad_add_probe (udpsrc_pad, GST_PAD_PROBE_TYPE_BUFFER, on_rtp_received, self, NULL);
  udpsink_pad = gst_element_get_static_pad (child (self, "udpsink"), "sink");
  gst_pad_add_probe (udpsink_pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     on_rtp_sent, self, NULL);
  if (self->dtmf_pt == 0) {
    g_autoptr(GstPad) pad = gst_element_get_static_pad (child (self, "dtmf_detect"), "sink");

    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_inband_audio, self, NULL);
  }
  g_signal_connect (child (self, "jitter"), "request-pt-map", G_CALLBACK (on_request_pt_map),
                    self);
  g_signal_connect (child (self, "pt_demux"), "request-pt-map", G_CALLBACK (on_request_pt_map),
                    self);
  g_signal_connect (child (self, "pt_demux"), "new-payload-type",
                    G_CALLBACK (on_new_payload_type), self);
  apply_controls (self);

  /* GstPipeline hands its clock to the elements before their base time when it goes to
   * PLAYING: in between, the live send mixer would rush out seconds of audio and then fall
   * silent for as long. A base time fixed before any state change closes that window. */
  clock = gst_system_clock_obtain ();
  gst_pipeline_use_clock (GST_PIPELINE (self->pipeline), clock);
  gst_element_set_start_time (self->pipeline, GST_CLOCK_TIME_NONE);
  gst_element_set_base_time (self->pipeline, gst_clock_get_time (clock));
  /* The peer may have sent since it got our SDP: the jitter buffer would take that stale
   * audio as its time base and delay or drop everything that follows. */
  while (g_socket_receive_with_blocking (self->socket, stale, sizeof stale, FALSE, NULL, NULL) >= 0)
    ;
  bus = gst_element_get_bus (self->pipeline);
  gst_bus_set_sync_handler (bus, on_bus_sync, self, NULL);

  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE)
    return TRUE;
  if ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR)) != NULL)
    gst_message_parse_error (msg, &start_error, NULL);
  g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, "Cannot start the call's audio: %s",
               start_error != NULL ? start_error->message : "no details");
  return FALSE;
}

gboolean
jarchi_media_session_start (JarchiMediaSession *self, const char *remote_host,
                            guint16 remote_port, const char *codec, guint pt, guint clock_rate,
                            guint dtmf_pt, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (remote_host != NULL && codec != NULL, FALSE);

  if (self->state != JARCHI_MEDIA_STATE_READY) {
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, "The call's media was already started");
    return FALSE;
  }
  self->codec = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (codecs); i++)
    if (g_ascii_strcasecmp (codec, codecs[i].name) == 0)
      self->codec = &codecs[i];
  if (self->codec == NULL) {
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_UNSUPPORTED, "Unsupported codec “%s”",
                 codec);
    return FALSE;
  }
  if (pt > 127 || remote_port == 0 || (dtmf_pt != 0 && (dtmf_pt < 96 || dtmf_pt > 127 ||
                                                         dtmf_pt == pt))) {
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                 "Invalid RTP parameters (port %u, payload types %u and %u)", remote_port, pt,
                 dtmf_pt);
    return FALSE;
  }
  self->pt = pt;
  self->dtmf_pt = dtmf_pt;
  self->clock_rate = clock_rate != 0 ? clock_rate : self->codec->clock_rate;
  self->inband_last = -1;
  self->inband_released = TRUE;
  self->inband_quiet = self->inband_time = 0;
  if (!build_pipeline (self, remote_host, remote_port, error)) {
    pipeline_clear (self);
    set_state (self, JARCHI_MEDIA_STATE_FAILED);
    return FALSE;
  }
  set_state (self, JARCHI_MEDIA_STATE_RUNNING);
  return TRUE;
}

void
jarchi_media_session_set_remote (JarchiMediaSession *self, const char *remote_host,
                                 guint16 remote_port)
{
  g_return_if_fail (JARCHI_IS_MEDIA_SESSION (self));
  g_return_if_fail (remote_host != NULL);

  if (self->pipeline != NULL)
    g_object_set (child (self, "udpsink"), "host", remote_host, "port", (int) remote_port, NULL);
}

void
jarchi_media_session_set_direction (JarchiMediaSession *self, JarchiMediaDirection dir)
{
  g_return_if_fail (JARCHI_IS_MEDIA_SESSION (self));

  if (self->direction == dir)
    return;
  self->direction = dir;
  apply_controls (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTION]);
}

void
jarchi_media_session_stop (JarchiMediaSession *self)
{
  g_return_if_fail (JARCHI_IS_MEDIA_SESSION (self));

  jarchi_media_session_dtmf_clear (self);
  if (self->pipeline != NULL) {
    jarchi_media_session_stop_recording (self);
    jarchi_media_session_player_clear (self);
    pipeline_clear (self);
  }
  if (self->state != JARCHI_MEDIA_STATE_FAILED)
    set_state (self, JARCHI_MEDIA_STATE_STOPPED);
}

/* ---- construction and properties ---- */

JarchiMediaSession *
jarchi_media_session_new (const char *local_address, GError **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) bind_address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) local_error = NULL;
  JarchiMediaSession *self;

  g_return_val_if_fail (local_address != NULL, NULL);

  if ((address = g_inet_address_new_from_string (local_address)) == NULL) {
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                 "“%s” is not an IP address", local_address);
    return NULL;
  }
  bind_address = g_inet_socket_address_new (address, 0);
  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, &local_error);
  if (socket == NULL || !g_socket_bind (socket, bind_address, FALSE, &local_error) ||
      (bound = g_socket_get_local_address (socket, &local_error)) == NULL) {
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NETWORK, "Cannot open an RTP port on %s: %s",
                 local_address, local_error->message);
    return NULL;
  }
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  self = g_object_new (JARCHI_TYPE_MEDIA_SESSION, NULL);
  self->socket = g_steal_pointer (&socket);
  self->local_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->state = JARCHI_MEDIA_STATE_READY;
  return self;
}

guint16
jarchi_media_session_get_local_port (JarchiMediaSession *self)
{
  g_return_val_if_fail (JARCHI_IS_MEDIA_SESSION (self), 0);
  return self->local_port;
}

JarchiMediaState
jarchi_media_session_get_state (JarchiMediaSession *self)
{
  g_return_val_if_fail (JARCHI_IS_MEDIA_SESSION (self), JARCHI_MEDIA_STATE_IDLE);
  return self->state;
}

gboolean
jarchi_media_session_get_recording (JarchiMediaSession *self)
{
  g_return_val_if_fail (JARCHI_IS_MEDIA_SESSION (self), FALSE);
  return self->recorder != NULL;
}

static void
jarchi_media_session_get_property (GObject *object, guint prop_id, GValue *value,
                                   GParamSpec *pspec)
{
  JarchiMediaSession *self = JARCHI_MEDIA_SESSION (object);

  switch (prop_id) {
  case PROP_STATE: g_value_set_enum (value, self->state); break;
  case PROP_DIRECTION: g_value_set_enum (value, self->direction); break;
  case PROP_MUTED: g_value_set_boolean (value, self->muted); break;
  case PROP_INPUT_VOLUME: g_value_set_double (value, self->input_volume); break;
  case PROP_OUTPUT_VOLUME: g_value_set_double (value, self->output_volume); break;
  case PROP_INPUT_LEVEL: g_value_set_double (value, self->input_level); break;
  case PROP_LOCAL_PORT: g_value_set_uint (value, self->local_port); break;
  case PROP_RECORDING: g_value_set_boolean (value, self->recorder != NULL); break;
  case PROP_RECORD_SEPARATE: g_value_set_boolean (value, self->record_separate); break;
  case PROP_PACKETS_RECEIVED:
    g_value_set_uint (value, (guint) g_atomic_int_get (&self->packets_received));
    break;
  case PROP_PACKETS_SENT:
    g_value_set_uint (value, (guint) g_atomic_int_get (&self->packets_sent));
    break;
  default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
jarchi_media_session_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  JarchiMediaSession *self = JARCHI_MEDIA_SESSION (object);
  GValue old = G_VALUE_INIT;

  if (prop_id == PROP_DIRECTION) {
    jarchi_media_session_set_direction (self, g_value_get_enum (value));
    return;
  }
  g_value_init (&old, G_PARAM_SPEC_VALUE_TYPE (pspec));
  jarchi_media_session_get_property (object, prop_id, &old, pspec);
  switch (prop_id) {
  case PROP_MUTED: self->muted = g_value_get_boolean (value); break;
  case PROP_INPUT_VOLUME: self->input_volume = g_value_get_double (value); break;
  case PROP_OUTPUT_VOLUME: self->output_volume = g_value_get_double (value); break;
  case PROP_RECORD_SEPARATE: self->record_separate = g_value_get_boolean (value); break;
  default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
  if (g_param_values_cmp (pspec, &old, value) != 0) {
    apply_controls (self);
    g_object_notify_by_pspec (object, pspec);
  }
  g_value_unset (&old);
}

static void
jarchi_media_session_dispose (GObject *object)
{
  JarchiMediaSession *self = JARCHI_MEDIA_SESSION (object);

  jarchi_media_session_stop (self);
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);

  G_OBJECT_CLASS (jarchi_media_session_parent_class)->dispose (object);
}

static void
jarchi_media_session_finalize (GObject *object)
{
  JarchiMediaSession *self = JARCHI_MEDIA_SESSION (object);

  g_main_context_unref (self->context);

  G_OBJECT_CLASS (jarchi_media_session_parent_class)->finalize (object);
}

static void
jarchi_media_session_class_init (JarchiMediaSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = jarchi_media_session_get_property;
  object_class->set_property = jarchi_media_session_set_property;
  object_class->dispose = jarchi_media_session_dispose;
  object_class->finalize = jarchi_media_session_finalize;

  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, JARCHI_TYPE_MEDIA_STATE,
                                              JARCHI_MEDIA_STATE_IDLE, ro);
  properties[PROP_DIRECTION] = g_param_spec_enum ("direction", NULL, NULL,
                                                  JARCHI_TYPE_MEDIA_DIRECTION,
                                                  JARCHI_MEDIA_DIR_SENDRECV, rw);
  properties[PROP_MUTED] = g_param_spec_boolean ("muted", NULL, NULL, FALSE, rw);
  properties[PROP_INPUT_VOLUME] = g_param_spec_double ("input-volume", NULL, NULL,
                                                       0.0, 2.0, 1.0, rw);
  properties[PROP_OUTPUT_VOLUME] = g_param_spec_double ("output-volume", NULL, NULL,
                                                        0.0, 2.0, 1.0, rw);
  properties[PROP_INPUT_LEVEL] = g_param_spec_double ("input-level", NULL, NULL,
                                                      0.0, 1.0, 0.0, ro);
  properties[PROP_LOCAL_PORT] = g_param_spec_uint ("local-port", NULL, NULL, 0, 65535, 0, ro);
  properties[PROP_RECORDING] = g_param_spec_boolean ("recording", NULL, NULL, FALSE, ro);
  properties[PROP_RECORD_SEPARATE] = g_param_spec_boolean ("record-separate", NULL, NULL,
                                                           FALSE, rw);
  properties[PROP_PACKETS_RECEIVED] = g_param_spec_uint ("packets-received", NULL, NULL,
                                                         0, G_MAXUINT, 0, ro);
  properties[PROP_PACKETS_SENT] = g_param_spec_uint ("packets-sent", NULL, NULL,
                                                     0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_DTMF_RECEIVED] = g_signal_new ("dtmf-received", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 2, G_TYPE_CHAR,
                                                JARCHI_TYPE_DTMF_METHOD);
  signals[SIGNAL_PLAYBACK_FINISHED] = g_signal_new ("playback-finished",
                                                    G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
jarchi_media_session_init (JarchiMediaSession *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->input_volume = 1.0;
  self->output_volume = 1.0;
  g_queue_init (&self->dtmf_queue);
}
