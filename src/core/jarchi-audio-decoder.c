/* Decodes media once to 8 kHz mono PCM (decodebin ! audioconvert ! audioresample ! appsink) and encodes G.711. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <string.h>

#include "jarchi-audio-decoder.h"
#include "jarchi-error.h"

#define PCM_CAPS      "audio/x-raw,format=S16LE,rate=8000,channels=1,layout=interleaved"
#define POLL_INTERVAL (100 * GST_MSECOND)
/* Even with no duration limit, never grow one buffer past this (about 9 hours at 8 kHz). */
#define HARD_MAX_BYTES ((gsize) 512 * 1024 * 1024)

/* What the appsink hands over, from GStreamer's streaming thread. */
typedef struct {
  GMutex      lock;
  GByteArray *data;
  gsize       max_bytes;
  gboolean    overflow;
} Collector;

/* The decodebin pad that gets linked to the converter: the first audio one. Every other stream
 * (video, subtitles, a second audio track) is drained into a fakesink, as an unlinked pad
 * would stop the demuxer. */
typedef struct {
  GMutex      lock;
  GstElement *pipeline;
  GstElement *convert;
  gboolean    linked;
} Linker;

gboolean
jarchi_audio_init (GError **error)
{
  g_autoptr(GError) local_error = NULL;

  /* gst_init_check is idempotent and guarded by GStreamer's own lock. */
  if (!gst_init_check (NULL, NULL, &local_error))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA,
                   _("GStreamer could not be initialised: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
collector_init (Collector *c, gsize max_bytes)
{
  g_mutex_init (&c->lock);
  c->data = g_byte_array_new ();
  c->max_bytes = max_bytes == 0 || max_bytes > HARD_MAX_BYTES ? HARD_MAX_BYTES : max_bytes;
  c->overflow = FALSE;
}

static void
collector_clear (Collector *c)
{
  g_clear_pointer (&c->data, g_byte_array_unref);
  g_mutex_clear (&c->lock);
}

static gboolean
collector_overflowed (Collector *c)
{
  gboolean overflow;

  g_mutex_lock (&c->lock);
  overflow = c->overflow;
  g_mutex_unlock (&c->lock);
  return overflow;
}

static GstFlowReturn
collect_sample (GstAppSink *sink, gpointer user_data)
{
  Collector *c = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buffer = sample ? gst_sample_get_buffer (sample) : NULL;
  GstMapInfo map;
  gboolean overflow;

  if (buffer == NULL)
    return GST_FLOW_EOS;
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_FLOW_ERROR;

  g_mutex_lock (&c->lock);
  if (!c->overflow)
    {
      if (c->data->len + map.size > c->max_bytes)
        c->overflow = TRUE;
      else
        g_byte_array_append (c->data, map.data, map.size);
    }
  overflow = c->overflow;
  g_mutex_unlock (&c->lock);

  gst_buffer_unmap (buffer, &map);
  /* Stops the source: nothing past the limit is decoded. */
  return overflow ? GST_FLOW_EOS : GST_FLOW_OK;
}

/* Creates @factory's element inside @pipeline, which owns it. */
static GstElement *
add_element (GstElement *pipeline, const char *factory, GError **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA,
                   _("The GStreamer element “%s” is not installed"), factory);
      return NULL;
    }
  gst_bin_add (GST_BIN (pipeline), element);
  return element;
}

static char *
error_from_bus (GstBus *bus, GstClockTime timeout)
{
  g_autoptr(GstMessage) m = gst_bus_timed_pop_filtered (bus, timeout, GST_MESSAGE_ERROR);
  g_autoptr(GError) err = NULL;

  if (m == NULL)
    return NULL;
  gst_message_parse_error (m, &err, NULL);
  return g_strdup (err ? err->message : _("unknown GStreamer error"));
}

/* Runs @pipeline to its end: returns NULL on EOS, an application message (the decoder's "no
 * audio here") or once @c has overflowed, else why it failed. */
static char *
run_pipeline (GstElement *pipeline, Collector *c)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  gint64 deadline = g_get_monotonic_time () + JARCHI_AUDIO_TIMEOUT_S * G_USEC_PER_SEC;
  char *failure = NULL;

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      failure = error_from_bus (bus, 0);
      if (failure == NULL)
        failure = g_strdup (_("the GStreamer pipeline did not start"));
    }

  while (failure == NULL && !collector_overflowed (c))
    {
      g_autoptr(GstMessage) m = gst_bus_timed_pop_filtered (bus, POLL_INTERVAL,
                                                            GST_MESSAGE_EOS | GST_MESSAGE_ERROR
                                                            | GST_MESSAGE_APPLICATION);

      if (m == NULL)
        {
          if (g_get_monotonic_time () > deadline)
            failure = g_strdup_printf (_("decoding took longer than %d seconds"), JARCHI_AUDIO_TIMEOUT_S);
          continue;
        }
      if (GST_MESSAGE_TYPE (m) != GST_MESSAGE_ERROR)
        break;

      {
        g_autoptr(GError) err = NULL;

        gst_message_parse_error (m, &err, NULL);
        failure = g_strdup (err ? err->message : _("unknown GStreamer error"));
      }
    }

  gst_element_set_state (pipeline, GST_STATE_NULL);
  return failure;
}

static void
drain (Linker *l, GstPad *pad)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  g_autoptr(GstPad) sink_pad = NULL;

  if (sink == NULL)
    return;
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (l->pipeline), sink);
  sink_pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_link (pad, sink_pad);
  gst_element_sync_state_with_parent (sink);
}

static void
on_pad_added (GstElement *decodebin, GstPad *pad, gpointer user_data)
{
  Linker *l = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  gboolean linked = FALSE;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);

  g_mutex_lock (&l->lock);
  if (!l->linked && caps != NULL && !gst_caps_is_empty (caps)
      && g_str_equal (gst_structure_get_name (gst_caps_get_structure (caps, 0)), "audio/x-raw"))
    {
      g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (l->convert, "sink");

      l->linked = linked = gst_pad_link (pad, sink_pad) == GST_PAD_LINK_OK;
    }
  g_mutex_unlock (&l->lock);

  if (!linked)
    drain (l, pad);
}

/* With every stream exposed and none of them audio, nothing would ever reach the appsink. */
static void
on_no_more_pads (GstElement *decodebin, gpointer user_data)
{
  Linker *l = user_data;
  gboolean linked;

  g_mutex_lock (&l->lock);
  linked = l->linked;
  g_mutex_unlock (&l->lock);
  if (!linked)
    gst_element_post_message (decodebin, gst_message_new_application (GST_OBJECT (decodebin),
                                                                      gst_structure_new_empty ("no-audio")));
}

static gboolean
build_decoder (GstElement *pipeline, const char *path, Linker *linker, Collector *c,
               GError **error)
{
  GstElement *src, *decode, *convert, *resample, *filter, *sink;
  g_autoptr(GstCaps) caps = gst_caps_from_string (PCM_CAPS);
  GstAppSinkCallbacks callbacks = { .new_sample = collect_sample };

  if ((src = add_element (pipeline, "filesrc", error)) == NULL
      || (decode = add_element (pipeline, "decodebin", error)) == NULL
      || (convert = add_element (pipeline, "audioconvert", error)) == NULL
      || (resample = add_element (pipeline, "audioresample", error)) == NULL
      || (filter = add_element (pipeline, "capsfilter", error)) == NULL
      || (sink = add_element (pipeline, "appsink", error)) == NULL)
    return FALSE;

  g_object_set (src, "location", path, NULL);
  g_object_set (filter, "caps", caps, NULL);
  g_object_set (sink, "sync", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, c, NULL);

  linker->pipeline = pipeline;
  linker->convert = convert;
  g_signal_connect (decode, "pad-added", G_CALLBACK (on_pad_added), linker);
  g_signal_connect (decode, "no-more-pads", G_CALLBACK (on_no_more_pads), linker);

  if (!gst_element_link (src, decode) || !gst_element_link_many (convert, resample, filter, sink, NULL))
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA,
                           _("The audio decoding pipeline could not be linked"));
      return FALSE;
    }
  return TRUE;
}

static void
undecodable (GError **error, const char *why)
{
  g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA,
               _("Not an audio file GStreamer can decode: %s"), why);
}

GBytes *
jarchi_audio_decode_file (const char *path, guint max_duration_ms, guint *duration_ms,
                          GError **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autofree char *failure = NULL;
  Collector c;
  Linker linker = { 0 };
  GStatBuf st;
  GBytes *pcm = NULL;
  gsize max_bytes = (gsize) max_duration_ms * (JARCHI_AUDIO_RATE / 1000) * 2;

  g_return_val_if_fail (path != NULL, NULL);

  if (!jarchi_audio_init (error))
    return NULL;
  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO, _("Could not read %s: %s"),
                   path, g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode) || st.st_size == 0)
    {
      undecodable (error, S_ISREG (st.st_mode) ? _("the file is empty") : _("it is not a regular file"));
      return NULL;
    }

  /* One sample past the limit tells "too long" apart from "exactly the limit". */
  collector_init (&c, max_bytes > 0 ? max_bytes + 2 : 0);
  g_mutex_init (&linker.lock);
  pipeline = gst_object_ref_sink (gst_pipeline_new (NULL));

  if (build_decoder (pipeline, path, &linker, &c, error))
    {
      failure = run_pipeline (pipeline, &c);
      if (failure != NULL)
        undecodable (error, failure);
      else if (c.overflow)
        g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                     _("The audio is longer than the limit of %u:%02u"),
                     max_duration_ms / 60000, max_duration_ms / 1000 % 60);
      else if (!linker.linked)
        undecodable (error, _("it has no audio stream"));
      else if (c.data->len < 2)
        undecodable (error, _("it contains no audio"));
      else
        {
          gsize samples = c.data->len / 2;

          if (duration_ms)
            *duration_ms = (guint) (samples * 1000 / JARCHI_AUDIO_RATE);
          g_byte_array_set_size (c.data, samples * 2);
          pcm = g_byte_array_free_to_bytes (g_steal_pointer (&c.data));
        }
    }
  else
    gst_element_set_state (pipeline, GST_STATE_NULL);

  g_clear_object (&pipeline);
  collector_clear (&c);
  g_mutex_clear (&linker.lock);
  return pcm;
}

static void
put_le16 (GByteArray *out, guint16 v)
{
  guint8 b[2] = { v & 0xff, v >> 8 };
  g_byte_array_append (out, b, 2);
}

static void
put_le32 (GByteArray *out, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append (out, b, 4);
}

gboolean
jarchi_audio_write_wav (const char *path, GBytes *pcm, guint rate, GError **error)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (pcm, &size);
  g_autoptr(GByteArray) out = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL && pcm != NULL && rate > 0, FALSE);

  size &= ~(gsize) 1;
  if (size > G_MAXUINT32 - 36)
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                           _("The audio is too long for a WAV file"));
      return FALSE;
    }

  out = g_byte_array_sized_new (44 + size);
  g_byte_array_append (out, (const guint8 *) "RIFF", 4);
  put_le32 (out, 36 + size);
  g_byte_array_append (out, (const guint8 *) "WAVEfmt ", 8);
  put_le32 (out, 16);
  put_le16 (out, 1);              /* PCM */
  put_le16 (out, 1);              /* mono */
  put_le32 (out, rate);
  put_le32 (out, rate * 2);       /* bytes per second */
  put_le16 (out, 2);              /* block align */
  put_le16 (out, 16);             /* bits per sample */
  g_byte_array_append (out, (const guint8 *) "data", 4);
  put_le32 (out, size);
  if (size > 0)
    g_byte_array_append (out, data, size);

  if (!g_file_set_contents_full (path, (const char *) out->data, out->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO, _("Could not write %s: %s"),
                   path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

GBytes *
jarchi_audio_encode_g711 (GBytes *pcm, JarchiG711Law law, GError **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstCaps) caps = NULL;
  g_autofree char *failure = NULL;
  GstElement *src = NULL, *enc = NULL, *sink = NULL;
  GstAppSinkCallbacks callbacks = { .new_sample = collect_sample };
  GstBuffer *buffer;
  GstMapInfo map;
  Collector c;
  gsize size = 0;
  const guint8 *data;
  gsize n_samples, padded;
  GBytes *result = NULL;

  g_return_val_if_fail (pcm != NULL, NULL);

  data = g_bytes_get_data (pcm, &size);
  n_samples = size / 2;
  if (n_samples == 0)
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                           _("There is no audio to encode"));
      return NULL;
    }
  padded = (n_samples + JARCHI_AUDIO_FRAME_SAMPLES - 1) / JARCHI_AUDIO_FRAME_SAMPLES
           * JARCHI_AUDIO_FRAME_SAMPLES;

  if (!jarchi_audio_init (error))
    return NULL;

  pipeline = gst_object_ref_sink (gst_pipeline_new (NULL));
  if ((src = add_element (pipeline, "appsrc", error)) == NULL
      || (enc = add_element (pipeline, law == JARCHI_G711_ALAW ? "alawenc" : "mulawenc", error)) == NULL
      || (sink = add_element (pipeline, "appsink", error)) == NULL)
    return NULL;
  if (!gst_element_link_many (src, enc, sink, NULL))
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA,
                           _("The G.711 encoding pipeline could not be linked"));
      return NULL;
    }

  caps = gst_caps_from_string (PCM_CAPS);
  g_object_set (src, "caps", caps, "format", GST_FORMAT_TIME, "max-bytes", (guint64) 0, NULL);
  g_object_set (sink, "sync", FALSE, NULL);
  collector_init (&c, padded + 1);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, &c, NULL);

  /* appsrc only queues once started: PAUSED starts it without letting data flow yet. */
  gst_element_set_state (pipeline, GST_STATE_PAUSED);

  buffer = gst_buffer_new_allocate (NULL, padded * 2, NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  memcpy (map.data, data, n_samples * 2);
  memset (map.data + n_samples * 2, 0, (padded - n_samples) * 2);
  gst_buffer_unmap (buffer, &map);
  GST_BUFFER_PTS (buffer) = 0;
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (padded, GST_SECOND, JARCHI_AUDIO_RATE);
  gst_app_src_push_buffer (GST_APP_SRC (src), buffer);
  gst_app_src_end_of_stream (GST_APP_SRC (src));

  failure = run_pipeline (pipeline, &c);
  if (failure != NULL)
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, _("Could not encode G.711: %s"), failure);
  else if (c.data->len != padded)
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA,
                 _("Could not encode G.711: %u bytes came out for %zu samples"),
                 c.data->len, padded);
  else
    result = g_byte_array_free_to_bytes (g_steal_pointer (&c.data));

  g_clear_object (&pipeline);
  collector_clear (&c);
  return result;
}
