/* JarchiRecordingPlayer: plays a call recording to the speaker with playbin, with pause and seek, for the history page. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-recording-player"
#include "jarchi-config.h"

#include <gst/gst.h>
#include <glib/gi18n-lib.h>

#include "jarchi-error.h"
#include "jarchi-recording-player.h"

#define TICK_MS 100

struct _JarchiRecordingPlayer
{
  GObject     parent_instance;
  GstElement *playbin;
  guint       bus_watch;
  guint       tick;
  char       *path;
  gboolean    playing;
  gint64      position;   /* ms */
  gint64      duration;   /* ms */
};

G_DEFINE_FINAL_TYPE (JarchiRecordingPlayer, jarchi_recording_player, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_PLAYING,
  PROP_POSITION,
  PROP_DURATION,
  N_PROPS
};

enum {
  SIGNAL_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_position (JarchiRecordingPlayer *self, gint64 ms)
{
  if (self->position == ms)
    return;
  self->position = ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static void
set_playing (JarchiRecordingPlayer *self, gboolean playing)
{
  if (self->playing == playing)
    return;
  self->playing = playing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static void
query_duration (JarchiRecordingPlayer *self)
{
  gint64 ns;

  if (self->playbin != NULL && gst_element_query_duration (self->playbin, GST_FORMAT_TIME, &ns) && ns > 0 &&
      ns / GST_MSECOND != self->duration)
    {
      self->duration = ns / GST_MSECOND;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }
}

static gboolean
on_tick (gpointer user_data)
{
  JarchiRecordingPlayer *self = user_data;
  gint64 ns;

  if (self->duration == 0)
    query_duration (self);
  if (gst_element_query_position (self->playbin, GST_FORMAT_TIME, &ns) && ns >= 0)
    set_position (self, ns / GST_MSECOND);
  return G_SOURCE_CONTINUE;
}

static void
stop_ticking (JarchiRecordingPlayer *self)
{
  g_clear_handle_id (&self->tick, g_source_remove);
}

static gboolean
on_bus_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  JarchiRecordingPlayer *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      /* Back to the start: READY rewinds without a flushing seek, which would make a file
       * sink (a test's ear) truncate what it wrote. Play starts again from 0. */
      stop_ticking (self);
      gst_element_set_state (self->playbin, GST_STATE_READY);
      set_playing (self, FALSE);
      set_position (self, 0);
      break;
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &error, &debug);
        g_message ("Playing %s failed: %s (%s)", self->path, error->message, debug ? debug : "");
        stop_ticking (self);
        gst_element_set_state (self->playbin, GST_STATE_NULL);
        set_playing (self, FALSE);
        g_signal_emit (self, signals[SIGNAL_ERROR], 0, error->message);
      }
      break;
    case GST_MESSAGE_DURATION_CHANGED:
      query_duration (self);
      break;
    case GST_MESSAGE_ASYNC_DONE:
      query_duration (self);
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
unload (JarchiRecordingPlayer *self)
{
  stop_ticking (self);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  if (self->playbin != NULL)
    gst_element_set_state (self->playbin, GST_STATE_NULL);
  gst_clear_object (&self->playbin);
}

/* The speaker, as jarchi-media-session.c picks it, so a test or a user can redirect both. */
static GstElement *
make_sink (GError **error)
{
  const char *desc = g_getenv ("JARCHI_AUDIOSINK");
  g_autoptr(GError) parse_error = NULL;
  GstElement *sink;

  if (desc == NULL || *desc == '\0')
    desc = "autoaudiosink";
  sink = gst_parse_bin_from_description_full (desc, TRUE, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &parse_error);
  if (sink == NULL)
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, _("Cannot open audio device “%s”: %s"),
                 desc, parse_error->message);
  return sink;
}

gboolean
jarchi_recording_player_open (JarchiRecordingPlayer *self, const char *path, GError **error)
{
  g_autoptr(GstBus) bus = NULL;
  g_autofree char *uri = NULL;
  GstElement *sink;

  g_return_val_if_fail (JARCHI_IS_RECORDING_PLAYER (self), FALSE);

  unload (self);
  set_playing (self, FALSE);
  set_position (self, 0);
  if (self->duration != 0)
    {
      self->duration = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }
  if (g_strcmp0 (self->path, path) != 0)
    {
      g_free (self->path);
      self->path = g_strdup (path);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
    }
  if (path == NULL)
    return TRUE;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, _("The recording %s is gone"), path);
      return FALSE;
    }
  if ((sink = make_sink (error)) == NULL)
    return FALSE;
  uri = g_filename_to_uri (path, NULL, error);
  if (uri == NULL)
    {
      gst_object_unref (gst_object_ref_sink (sink));
      return FALSE;
    }
  self->playbin = gst_object_ref_sink (gst_element_factory_make ("playbin", NULL));
  if (self->playbin == NULL)
    {
      gst_object_unref (gst_object_ref_sink (sink));
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, _("GStreamer's playbin is not installed"));
      return FALSE;
    }
  /* Audio only: a recording has no video, and no video sink must be looked for. */
  g_object_set (self->playbin, "uri", uri, "audio-sink", sink, "flags", 0x2 /* audio */, NULL);
  bus = gst_element_get_bus (self->playbin);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  gst_element_set_state (self->playbin, GST_STATE_PAUSED);
  return TRUE;
}

const char *
jarchi_recording_player_get_path (JarchiRecordingPlayer *self)
{
  g_return_val_if_fail (JARCHI_IS_RECORDING_PLAYER (self), NULL);
  return self->path;
}

void
jarchi_recording_player_play (JarchiRecordingPlayer *self)
{
  g_return_if_fail (JARCHI_IS_RECORDING_PLAYER (self));

  if (self->playbin == NULL || self->playing)
    return;
  if (gst_element_set_state (self->playbin, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, _("The recording cannot be played"));
      return;
    }
  if (self->tick == 0)
    self->tick = g_timeout_add (TICK_MS, on_tick, self);
  set_playing (self, TRUE);
}

void
jarchi_recording_player_pause (JarchiRecordingPlayer *self)
{
  g_return_if_fail (JARCHI_IS_RECORDING_PLAYER (self));

  if (self->playbin == NULL || !self->playing)
    return;
  gst_element_set_state (self->playbin, GST_STATE_PAUSED);
  stop_ticking (self);
  on_tick (self);
  set_playing (self, FALSE);
}

gboolean
jarchi_recording_player_get_playing (JarchiRecordingPlayer *self)
{
  g_return_val_if_fail (JARCHI_IS_RECORDING_PLAYER (self), FALSE);
  return self->playing;
}

gint64
jarchi_recording_player_get_position (JarchiRecordingPlayer *self)
{
  g_return_val_if_fail (JARCHI_IS_RECORDING_PLAYER (self), 0);
  return self->position;
}

gint64
jarchi_recording_player_get_duration (JarchiRecordingPlayer *self)
{
  g_return_val_if_fail (JARCHI_IS_RECORDING_PLAYER (self), 0);
  return self->duration;
}

void
jarchi_recording_player_seek (JarchiRecordingPlayer *self, gint64 position_ms)
{
  g_return_if_fail (JARCHI_IS_RECORDING_PLAYER (self));

  if (self->playbin == NULL)
    return;
  /* After the end the pipeline is READY, where it cannot seek. */
  if (GST_STATE (self->playbin) < GST_STATE_PAUSED)
    {
      gst_element_set_state (self->playbin, GST_STATE_PAUSED);
      gst_element_get_state (self->playbin, NULL, NULL, GST_SECOND);
    }
  position_ms = MAX (position_ms, 0);
  if (self->duration > 0)
    position_ms = MIN (position_ms, self->duration);
  if (gst_element_seek_simple (self->playbin, GST_FORMAT_TIME,
                               GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_KEY_UNIT, position_ms * GST_MSECOND))
    set_position (self, position_ms);
}

static void
jarchi_recording_player_dispose (GObject *object)
{
  unload (JARCHI_RECORDING_PLAYER (object));
  G_OBJECT_CLASS (jarchi_recording_player_parent_class)->dispose (object);
}

static void
jarchi_recording_player_finalize (GObject *object)
{
  g_free (JARCHI_RECORDING_PLAYER (object)->path);
  G_OBJECT_CLASS (jarchi_recording_player_parent_class)->finalize (object);
}

static void
jarchi_recording_player_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiRecordingPlayer *self = JARCHI_RECORDING_PLAYER (object);

  switch (prop_id)
    {
    case PROP_PATH: g_value_set_string (value, self->path); break;
    case PROP_PLAYING: g_value_set_boolean (value, self->playing); break;
    case PROP_POSITION: g_value_set_int64 (value, self->position); break;
    case PROP_DURATION: g_value_set_int64 (value, self->duration); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_recording_player_class_init (JarchiRecordingPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = jarchi_recording_player_dispose;
  object_class->finalize = jarchi_recording_player_finalize;
  object_class->get_property = jarchi_recording_player_get_property;

  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, ro);
  properties[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, ro);
  properties[PROP_POSITION] = g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_DURATION] = g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
jarchi_recording_player_init (JarchiRecordingPlayer *self)
{
}

JarchiRecordingPlayer *
jarchi_recording_player_new (void)
{
  return g_object_new (JARCHI_TYPE_RECORDING_PLAYER, NULL);
}
