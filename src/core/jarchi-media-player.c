/* Feeds one audio file, once or looped, into a live mixer of a call's pipeline. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-media-player.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/base/gstaggregator.h>

#include "jarchi-error.h"

#define PREROLL_WAIT (5 * GST_SECOND)
#define QUEUE_MS 200

struct _JarchiMediaPlayer {
  GObject parent_instance;

  GMainContext *context;
  GstElement *pipeline;
  GstElement *mixer;
  /* A pipeline of its own, so looping never disturbs the call's clock; appsrc's bounded
   * queue in the call's pipeline paces it. */
  GstElement *decoder;
  GstElement *appsrc;
  GstPad *mix_pad;
  GSource *bus_source;
  GSource *finish_timer;
  GstClockTime base;
  guint64 samples;        /* decoder thread only, until its end of stream */
  guint rate;
  gboolean loop;
  gboolean stopped;
};

G_DEFINE_FINAL_TYPE (JarchiMediaPlayer, jarchi_media_player, G_TYPE_OBJECT)

enum { SIGNAL_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static GstClockTime
running_time (GstElement *pipeline)
{
  g_autoptr(GstClock) clock = gst_element_get_clock (pipeline);

  return clock != NULL ? gst_clock_get_time (clock) - gst_element_get_base_time (pipeline) : 0;
}

static GstFlowReturn
on_sample (GstAppSink *sink, gpointer data)
{
  JarchiMediaPlayer *self = data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buffer;
  guint64 n;

  if (sample == NULL)
    return GST_FLOW_EOS;
  /* The decoder restarts its timestamps at every loop; the call needs one continuous line. */
  buffer = gst_buffer_copy (gst_sample_get_buffer (sample));
  n = gst_buffer_get_size (buffer) / 2;
  GST_BUFFER_PTS (buffer) = self->base + gst_util_uint64_scale (self->samples, GST_SECOND,
                                                                self->rate);
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (n, GST_SECOND, self->rate);
  GST_BUFFER_DTS (buffer) = GST_CLOCK_TIME_NONE;
  self->samples += n;
  return gst_app_src_push_buffer (GST_APP_SRC (self->appsrc), buffer);
}

/* A segment seek loops without a flush: the decoder never loses its state, and appsrc's
 * queue covers the time this takes. Files that cannot do it restart after their EOS. */
static gboolean
seek_to_start (JarchiMediaPlayer *self, GstSeekFlags flags)
{
  return gst_element_seek (self->decoder, 1.0, GST_FORMAT_TIME, flags, GST_SEEK_TYPE_SET, 0,
                           GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE);
}

static gboolean
on_decoder_bus (GstBus *bus, GstMessage *msg, gpointer data)
{
  JarchiMediaPlayer *self = data;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_SEGMENT_DONE &&
      !seek_to_start (self, GST_SEEK_FLAG_SEGMENT))
    gst_app_src_end_of_stream (GST_APP_SRC (self->appsrc));
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS && self->loop &&
      seek_to_start (self, GST_SEEK_FLAG_FLUSH))
    return G_SOURCE_CONTINUE;
  /* A file that breaks halfway ends there, like one played to its end. */
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS || GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    gst_app_src_end_of_stream (GST_APP_SRC (self->appsrc));
  return G_SOURCE_CONTINUE;
}

static gboolean
on_finish_timer (gpointer data)
{
  JarchiMediaPlayer *self = data;

  g_clear_pointer (&self->finish_timer, g_source_unref);
  if (!self->stopped)
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
  return G_SOURCE_REMOVE;
}

/* The mixer outputs the last sample one latency after its time. */
static gboolean
on_end_in_mixer (gpointer data)
{
  JarchiMediaPlayer *self = data;
  GstClockTime end, now;

  if (self->stopped || self->finish_timer != NULL)
    return G_SOURCE_REMOVE;
  end = self->base + gst_util_uint64_scale (self->samples, GST_SECOND, self->rate) +
        gst_aggregator_get_latency (GST_AGGREGATOR (self->mixer));
  now = running_time (self->pipeline);
  self->finish_timer = g_timeout_source_new (end > now ? (end - now) / GST_MSECOND + 1 : 0);
  g_source_set_callback (self->finish_timer, on_finish_timer, self, NULL);
  g_source_attach (self->finish_timer, self->context);
  return G_SOURCE_REMOVE;
}

static GstPadProbeReturn
on_appsrc_event (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  JarchiMediaPlayer *self = data;
  g_autoptr(GSource) idle = NULL;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_EOS)
    return GST_PAD_PROBE_OK;
  idle = g_idle_source_new ();
  g_source_set_callback (idle, on_end_in_mixer, g_object_ref (self), g_object_unref);
  g_source_attach (idle, self->context);
  return GST_PAD_PROBE_OK;
}

void
jarchi_media_player_stop (JarchiMediaPlayer *self)
{
  g_return_if_fail (JARCHI_IS_MEDIA_PLAYER (self));

  if (self->stopped)
    return;
  self->stopped = TRUE;
  /* Releasing the mixer pad unblocks appsrc, and stopping appsrc unblocks the decoder. */
  if (self->mix_pad != NULL)
    gst_element_release_request_pad (self->mixer, self->mix_pad);
  g_clear_object (&self->mix_pad);
  if (self->appsrc != NULL) {
    gst_element_set_state (self->appsrc, GST_STATE_NULL);
    if (GST_OBJECT_PARENT (self->appsrc) != NULL)
      gst_bin_remove (GST_BIN (self->pipeline), self->appsrc);
  }
  gst_element_set_state (self->decoder, GST_STATE_NULL);
  if (self->bus_source != NULL)
    g_source_destroy (self->bus_source);
  g_clear_pointer (&self->bus_source, g_source_unref);
  if (self->finish_timer != NULL)
    g_source_destroy (self->finish_timer);
  g_clear_pointer (&self->finish_timer, g_source_unref);
}

static gboolean
open_decoder (JarchiMediaPlayer *self, const char *path, GError **error)
{
  g_autofree char *desc = g_strdup_printf (
    "filesrc name=file ! decodebin ! audioconvert ! audioresample ! "
    "audio/x-raw,format=S16LE,channels=1,layout=interleaved,rate=%u ! "
    "appsink name=sink sync=false max-buffers=4", self->rate);
  GstAppSinkCallbacks callbacks = { .new_sample = on_sample };
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GstElement) file = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;
  g_autoptr(GError) decode_error = NULL;
  GstStateChangeReturn ret;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, "No audio file at “%s”", path);
    return FALSE;
  }
  self->decoder = gst_parse_launch_full (desc, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &parse_error);
  if (self->decoder == NULL) {
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, "Cannot play files: %s",
                 parse_error->message);
    return FALSE;
  }
  gst_object_ref_sink (self->decoder);
  file = gst_bin_get_by_name (GST_BIN (self->decoder), "file");
  sink = gst_bin_get_by_name (GST_BIN (self->decoder), "sink");
  g_object_set (file, "location", path, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);
  /* Prerolling proves the file decodes before anything is changed in the call. */
  gst_element_set_state (self->decoder, GST_STATE_PAUSED);
  ret = gst_element_get_state (self->decoder, NULL, NULL, PREROLL_WAIT);
  if (ret == GST_STATE_CHANGE_SUCCESS) {
    if (self->loop)
      seek_to_start (self, GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_SEGMENT);
    return TRUE;
  }
  /* The failed state change can be seen before the error that caused it is posted. */
  bus = gst_element_get_bus (self->decoder);
  msg = gst_bus_timed_pop_filtered (bus, ret == GST_STATE_CHANGE_FAILURE ? GST_SECOND : 0,
                                    GST_MESSAGE_ERROR);
  if (msg != NULL)
    gst_message_parse_error (msg, &decode_error, NULL);
  g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, "Cannot play “%s”: %s", path,
               decode_error != NULL ? decode_error->message
               : ret == GST_STATE_CHANGE_FAILURE ? "not audio" : "decoding timed out");
  return FALSE;
}

JarchiMediaPlayer *
jarchi_media_player_new (GstElement *pipeline, GstElement *mixer, guint rate, const char *path,
                         gboolean loop, GError **error)
{
  g_autoptr(JarchiMediaPlayer) self = NULL;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstPad) src_pad = NULL;
  g_autoptr(GstBus) bus = NULL;

  g_return_val_if_fail (GST_IS_PIPELINE (pipeline) && GST_IS_AGGREGATOR (mixer), NULL);
  g_return_val_if_fail (rate > 0 && path != NULL, NULL);

  self = g_object_new (JARCHI_TYPE_MEDIA_PLAYER, NULL);
  self->pipeline = gst_object_ref (pipeline);
  self->mixer = gst_object_ref (mixer);
  self->rate = rate;
  self->loop = loop;
  if (!open_decoder (self, path, error))
    return NULL;

  caps = gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING, "S16LE",
                              "channels", G_TYPE_INT, 1, "layout", G_TYPE_STRING, "interleaved",
                              "rate", G_TYPE_INT, (int) rate, NULL);
  self->appsrc = gst_object_ref_sink (gst_element_factory_make ("appsrc", NULL));
  g_object_set (self->appsrc, "caps", caps, "format", GST_FORMAT_TIME, "block", TRUE,
                "max-bytes", (guint64) rate * 2 * QUEUE_MS / 1000, NULL);
  gst_bin_add (GST_BIN (pipeline), self->appsrc);
  src_pad = gst_element_get_static_pad (self->appsrc, "src");
  gst_pad_add_probe (src_pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_appsrc_event, self, NULL);
  self->mix_pad = gst_element_request_pad_simple (mixer, "sink_%u");
  gst_pad_link (src_pad, self->mix_pad);
  self->base = running_time (pipeline);
  gst_element_sync_state_with_parent (self->appsrc);

  bus = gst_element_get_bus (self->decoder);
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, G_SOURCE_FUNC (on_decoder_bus), self, NULL);
  g_source_attach (self->bus_source, self->context);
  gst_element_set_state (self->decoder, GST_STATE_PLAYING);
  return g_steal_pointer (&self);
}

static void
jarchi_media_player_dispose (GObject *object)
{
  JarchiMediaPlayer *self = JARCHI_MEDIA_PLAYER (object);

  if (self->decoder != NULL)
    jarchi_media_player_stop (self);
  gst_clear_object (&self->appsrc);
  gst_clear_object (&self->decoder);
  gst_clear_object (&self->mixer);
  gst_clear_object (&self->pipeline);

  G_OBJECT_CLASS (jarchi_media_player_parent_class)->dispose (object);
}

static void
jarchi_media_player_finalize (GObject *object)
{
  JarchiMediaPlayer *self = JARCHI_MEDIA_PLAYER (object);

  g_main_context_unref (self->context);

  G_OBJECT_CLASS (jarchi_media_player_parent_class)->finalize (object);
}

static void
jarchi_media_player_class_init (JarchiMediaPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_media_player_dispose;
  object_class->finalize = jarchi_media_player_finalize;

  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
}

static void
jarchi_media_player_init (JarchiMediaPlayer *self)
{
  self->context = g_main_context_ref_thread_default ();
}
