/* Records a call's two directions, mixed, to Ogg/Opus from inside the call's pipeline. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-media-recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "jarchi-error.h"

#define EOS_WAIT_US (3 * G_TIME_SPAN_SECOND)
#define MIN_UPSTREAM_LATENCY ((guint64) 300 * GST_MSECOND)
#define RAW_CAPS "audio/x-raw,format=S16LE,channels=1,layout=interleaved,rate=%u"

static const char *const inputs[2] = { "local", "remote" };

struct _JarchiMediaRecorder {
  GObject parent_instance;

  GstElement *pipeline;
  GstElement *tees[2];
  GstPad *tee_pads[2];
  GstElement *bin;
  guint n_files;
  GstClockTime stop_time;   /* set before the probes that read it are added */

  gint paused;             /* atomic: what the tees carry is replaced by silence */

  GMutex lock;
  GCond cond;
  guint n_finished;       /* under lock */
};

G_DEFINE_FINAL_TYPE (JarchiMediaRecorder, jarchi_media_recorder, G_TYPE_OBJECT)

static GstPadProbeReturn
on_file_event (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  JarchiMediaRecorder *self = data;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS) {
    g_mutex_lock (&self->lock);
    self->n_finished++;
    g_cond_broadcast (&self->cond);
    g_mutex_unlock (&self->lock);
  }
  return GST_PAD_PROBE_OK;
}

/* The bin drains for a while after finish() was called; the file ends when it was called. */
static GstPadProbeReturn
on_mixed_buffer (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  JarchiMediaRecorder *self = data;
  return GST_BUFFER_PTS (GST_PAD_PROBE_INFO_BUFFER (info)) >= self->stop_time ? GST_PAD_PROBE_DROP
                                                                             : GST_PAD_PROBE_OK;
}

static gboolean
silence_buffer (GstBuffer **buffer, guint idx, gpointer data)
{
  GstMapInfo map;

  /* The tee shares buffers with the speaker and network branches: silence a copy. */
  *buffer = gst_buffer_make_writable (*buffer);
  if (gst_buffer_map (*buffer, &map, GST_MAP_WRITE)) {
    memset (map.data, 0, map.size);
    gst_buffer_unmap (*buffer, &map);
  }
  return TRUE;
}

/* While paused the file goes on with silence rather than stopping: one file per call whose
 * length is still the call's, and what was said meanwhile never reaches the disk. */
static GstPadProbeReturn
on_input_data (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  JarchiMediaRecorder *self = data;

  if (!g_atomic_int_get (&self->paused))
    return GST_PAD_PROBE_OK;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

    silence_buffer (&buffer, 0, NULL);
    GST_PAD_PROBE_INFO_DATA (info) = buffer;
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = gst_buffer_list_make_writable (GST_PAD_PROBE_INFO_BUFFER_LIST (info));

    gst_buffer_list_foreach (list, silence_buffer, NULL);
    GST_PAD_PROBE_INFO_DATA (info) = list;
  }
  return GST_PAD_PROBE_OK;
}

/* Ends the input at a buffer boundary; the bin then drains by itself. */
static GstPadProbeReturn
on_tee_pad_idle (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  g_autoptr(GstPad) peer = gst_pad_get_peer (pad);

  if (peer != NULL) {
    gst_pad_unlink (pad, peer);
    gst_pad_send_event (peer, gst_event_new_eos ());
  }
  return GST_PAD_PROBE_REMOVE;
}

/* A live silent input keeps each mixer producing through hold and lost packets. The mixer
 * waits generously for late inputs: a recording needs no low latency, and the remote side's
 * latency (jitter buffer) may only become known after the mixer started. */
static void
append_track (GString *desc, guint index, guint rate)
{
  g_autofree char *caps = g_strdup_printf (RAW_CAPS, rate);

  g_string_append_printf (desc,
    "audiotestsrc name=silence%u is-live=true wave=silence samplesperbuffer=%u ! %s ! "
    "audiomixer name=mix%u start-time-selection=first min-upstream-latency=%" G_GUINT64_FORMAT
    " ! %s ! "
    "opusenc audio-type=voice ! oggmux ! filesink name=file%u async=false ",
    index, rate / 50, caps, index, MIN_UPSTREAM_LATENCY, caps, index);
}

static GstElement *
child (GstElement *bin, const char *prefix, guint index)
{
  g_autofree char *name = g_strdup_printf ("%s%u", prefix, index);
  GstElement *element = gst_bin_get_by_name (GST_BIN (bin), name);

  gst_object_unref (element);   /* the bin keeps it */
  return element;
}

static gboolean
build (JarchiMediaRecorder *self, guint rate, const char *path, GError **error)
{
  g_autoptr(GString) desc = g_string_new (NULL);
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *stem = g_str_has_suffix (path, ".ogg") ? g_strndup (path, strlen (path) - 4)
                                                         : g_strdup (path);

  for (guint i = 0; i < self->n_files; i++)
    append_track (desc, i, rate);
  /* A queue after each tee: gst_parse cannot link a request pad straight to another. */
  g_string_append (desc, "tee name=local ! queue ! mix0. tee name=remote ! queue ! mix0. ");
  if (self->n_files > 1)
    g_string_append (desc, "local. ! queue ! mix1. remote. ! queue ! mix2. ");
  self->bin = gst_parse_bin_from_description_full (desc->str, FALSE, NULL,
                                                   GST_PARSE_FLAG_FATAL_ERRORS, &parse_error);
  if (self->bin == NULL) {
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, "Cannot record: %s",
                 parse_error->message);
    return FALSE;
  }
  gst_object_ref_sink (self->bin);

  for (guint i = 0; i < self->n_files; i++) {
    g_autofree char *location = i == 0 ? g_strdup (path)
                                : g_strdup_printf ("%s-%s.ogg", stem, inputs[i - 1]);
    GstElement *file = child (self->bin, "file", i);
    g_autoptr(GstPad) pad = gst_element_get_static_pad (file, "sink");
    /* Private speech: only the owner may read it. filesink reopens the file and keeps its
     * mode; creating it here also fails early, not as a bus error that would end the call. */
    int fd = g_open (location, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    gboolean ok = fd >= 0 && fchmod (fd, 0600) == 0;
    int saved = errno;

    if (fd >= 0 && !g_close (fd, NULL) && ok) {
      ok = FALSE;
      saved = errno;
    }
    if (!ok) {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO, "Cannot write “%s”: %s", location,
                   g_strerror (saved));
      return FALSE;
    }
    g_object_set (file, "location", location, NULL);
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_file_event, self, NULL);
  }
  for (guint i = 0; i < 2; i++) {
    g_autoptr(GstElement) tee = gst_bin_get_by_name (GST_BIN (self->bin), inputs[i]);
    g_autoptr(GstPad) target = gst_element_get_static_pad (tee, "sink");

    gst_element_add_pad (self->bin, gst_ghost_pad_new (inputs[i], target));
  }
  return TRUE;
}

JarchiMediaRecorder *
jarchi_media_recorder_new (GstElement *pipeline, GstElement *local_tee, GstElement *remote_tee,
                           guint rate, const char *path, gboolean separate, GError **error)
{
  g_autoptr(JarchiMediaRecorder) self = NULL;

  g_return_val_if_fail (GST_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (GST_IS_ELEMENT (local_tee) && GST_IS_ELEMENT (remote_tee), NULL);
  g_return_val_if_fail (rate > 0 && path != NULL, NULL);

  self = g_object_new (JARCHI_TYPE_MEDIA_RECORDER, NULL);
  self->n_files = separate ? 3 : 1;
  if (!build (self, rate, path, error))
    return NULL;
  self->pipeline = gst_object_ref (pipeline);
  self->tees[0] = gst_object_ref (local_tee);
  self->tees[1] = gst_object_ref (remote_tee);
  gst_bin_add (GST_BIN (pipeline), self->bin);
  /* Linked only once running, so the tees never push into a flushing pad. */
  gst_element_sync_state_with_parent (self->bin);
  for (guint i = 0; i < 2; i++) {
    g_autoptr(GstPad) ghost = gst_element_get_static_pad (self->bin, inputs[i]);

    self->tee_pads[i] = gst_element_request_pad_simple (self->tees[i], "src_%u");
    gst_pad_link (self->tee_pads[i], ghost);
    gst_pad_add_probe (self->tee_pads[i], GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                       on_input_data, self, NULL);
  }
  return g_steal_pointer (&self);
}

void
jarchi_media_recorder_set_paused (JarchiMediaRecorder *self, gboolean paused)
{
  g_return_if_fail (JARCHI_IS_MEDIA_RECORDER (self));
  g_atomic_int_set (&self->paused, paused ? 1 : 0);
}

gboolean
jarchi_media_recorder_get_paused (JarchiMediaRecorder *self)
{
  g_return_val_if_fail (JARCHI_IS_MEDIA_RECORDER (self), FALSE);
  return g_atomic_int_get (&self->paused) != 0;
}

void
jarchi_media_recorder_finish (JarchiMediaRecorder *self)
{
  gint64 deadline = g_get_monotonic_time () + EOS_WAIT_US;
  gboolean complete = TRUE;
  g_autoptr(GstClock) clock = NULL;

  g_return_if_fail (JARCHI_IS_MEDIA_RECORDER (self));

  if (self->pipeline == NULL)
    return;
  clock = gst_element_get_clock (self->pipeline);
  self->stop_time = clock != NULL ? gst_clock_get_time (clock) -
                                    gst_element_get_base_time (self->pipeline) : 0;
  for (guint i = 0; i < self->n_files; i++) {
    g_autoptr(GstPad) pad = gst_element_get_static_pad (child (self->bin, "mix", i), "src");

    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_mixed_buffer, self, NULL);
  }
  for (guint i = 0; i < 2; i++)
    gst_pad_add_probe (self->tee_pads[i], GST_PAD_PROBE_TYPE_IDLE, on_tee_pad_idle, NULL, NULL);
  for (guint i = 0; i < self->n_files; i++)
    gst_element_send_event (child (self->bin, "silence", i), gst_event_new_eos ());
  /* The streaming threads finish the files without the main context: blocking here is safe. */
  g_mutex_lock (&self->lock);
  while (complete && self->n_finished < self->n_files)
    complete = g_cond_wait_until (&self->cond, &self->lock, deadline);
  g_mutex_unlock (&self->lock);
  if (!complete)
    g_debug ("Recording not finalised in time; its file may be truncated");
  /* The probes saw EOS before filesink flushed its buffer: stopping it now would lose the
   * whole file. Its stream lock is held until it is done. */
  for (guint i = 0; complete && i < self->n_files; i++) {
    g_autoptr(GstPad) pad = gst_element_get_static_pad (child (self->bin, "file", i), "sink");

    GST_PAD_STREAM_LOCK (pad);
    GST_PAD_STREAM_UNLOCK (pad);
  }

  gst_element_set_state (self->bin, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (self->pipeline), self->bin);
  for (guint i = 0; i < 2; i++) {
    gst_element_release_request_pad (self->tees[i], self->tee_pads[i]);
    g_clear_object (&self->tee_pads[i]);
    gst_clear_object (&self->tees[i]);
  }
  gst_clear_object (&self->pipeline);
}

static void
jarchi_media_recorder_dispose (GObject *object)
{
  JarchiMediaRecorder *self = JARCHI_MEDIA_RECORDER (object);

  if (self->pipeline != NULL)
    jarchi_media_recorder_finish (self);
  gst_clear_object (&self->bin);

  G_OBJECT_CLASS (jarchi_media_recorder_parent_class)->dispose (object);
}

static void
jarchi_media_recorder_finalize (GObject *object)
{
  JarchiMediaRecorder *self = JARCHI_MEDIA_RECORDER (object);

  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (jarchi_media_recorder_parent_class)->finalize (object);
}

static void
jarchi_media_recorder_class_init (JarchiMediaRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_media_recorder_dispose;
  object_class->finalize = jarchi_media_recorder_finalize;
}

static void
jarchi_media_recorder_init (JarchiMediaRecorder *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}
