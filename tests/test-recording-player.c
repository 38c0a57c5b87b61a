/* Tests of JarchiRecordingPlayer: a known recording plays with the clock, pauses, seeks, ends, and its sound arrives intact. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <math.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "jarchi-error.h"
#include "jarchi-recording-player.h"

/* 3 s of a 440 Hz tone as Ogg/Opus, like the recordings calls leave. */
static char *
make_recording (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "tone.ogg", NULL);
  g_autofree char *desc = g_strdup_printf ("audiotestsrc wave=sine freq=440 num-buffers=150 samplesperbuffer=960 ! "
                                           "audio/x-raw,rate=48000,channels=1 ! opusenc ! oggmux ! "
                                           "filesink location=\"%s\"", path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (desc, &error);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;

  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return g_steal_pointer (&path);
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
}

static gboolean
wait_until_not_playing (JarchiRecordingPlayer *player, guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (jarchi_recording_player_get_playing (player) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  return !jarchi_recording_player_get_playing (player);
}

/* Frequency by counting zero crossings of S16LE mono samples. */
static double
frequency (const gint16 *s, gsize n, int rate)
{
  gsize crossings = 0;

  for (gsize i = 1; i < n; i++)
    crossings += (s[i - 1] < 0) != (s[i] < 0);
  return crossings / 2.0 / ((double) n / rate);
}

static void
test_play (void)
{
  g_autofree char *dir = g_dir_make_tmp ("jarchi-player-XXXXXX", NULL);
  g_autofree char *path = make_recording (dir);
  g_autofree char *out = g_build_filename (dir, "out.raw", NULL);
  g_autofree char *sink = g_strdup_printf ("audioconvert ! audioresample ! audio/x-raw,format=S16LE,rate=8000,channels=1 ! "
                                           "filesink append=true location=\"%s\" sync=true", out);
  g_autoptr(JarchiRecordingPlayer) player = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *samples = NULL;
  gint64 before, after, started;
  gsize len;
  double hz;

  g_setenv ("JARCHI_AUDIOSINK", sink, TRUE);
  player = jarchi_recording_player_new ();

  g_assert_false (jarchi_recording_player_open (player, "/nonexistent.ogg", &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (jarchi_recording_player_open (player, path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (jarchi_recording_player_get_path (player), ==, path);
  for (int i = 0; i < 2000 && jarchi_recording_player_get_duration (player) == 0; i++)
    iterate_for (10);
  g_test_message ("duration %" G_GINT64_FORMAT " ms", jarchi_recording_player_get_duration (player));
  g_assert_cmpint (jarchi_recording_player_get_duration (player), >=, 2900);
  g_assert_cmpint (jarchi_recording_player_get_duration (player), <=, 3100);

  /* It plays with the clock: about 1 s of position after 1 s. */
  started = g_get_monotonic_time ();
  jarchi_recording_player_play (player);
  g_assert_true (jarchi_recording_player_get_playing (player));
  iterate_for (1000);
  before = jarchi_recording_player_get_position (player);
  g_test_message ("position after %" G_GINT64_FORMAT " ms: %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - started) / 1000, before);
  g_assert_cmpint (before, >=, 600);
  g_assert_cmpint (before, <=, 1500);

  /* Paused, it stays. */
  jarchi_recording_player_pause (player);
  g_assert_false (jarchi_recording_player_get_playing (player));
  before = jarchi_recording_player_get_position (player);
  iterate_for (400);
  after = jarchi_recording_player_get_position (player);
  g_assert_cmpint (after - before, <=, 50);

  /* Seek to 2 s and play to the end: back at 0, not playing. */
  jarchi_recording_player_seek (player, 2000);
  iterate_for (100);
  g_assert_cmpint (jarchi_recording_player_get_position (player), ==, 2000);
  jarchi_recording_player_play (player);
  g_assert_true (wait_until_not_playing (player, 3000));
  g_assert_cmpint (jarchi_recording_player_get_position (player), ==, 0);
  jarchi_recording_player_open (player, NULL, NULL);

  /* What reached the speaker is the tone: the second after the seek (a flushing seek makes
   * filesink start its file again). */
  g_assert_true (g_file_get_contents (out, &samples, &len, NULL));
  g_test_message ("%zu bytes played", len);
  g_assert_cmpuint (len, >=, 2 * 8000 * 8 / 10);
  hz = frequency ((const gint16 *) samples, len / 2, 8000);
  g_test_message ("played %.0f Hz", hz);
  g_assert_cmpfloat (fabs (hz - 440), <, 20);
  g_unlink (out);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);

  g_test_add_func ("/recording-player/play", test_play);
  return g_test_run ();
}
