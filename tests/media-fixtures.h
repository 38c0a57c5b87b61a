/* Test helpers for media: tone files made with GStreamer at test time, a Goertzel filter, WAV parsing. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>

#ifdef __SANITIZE_ADDRESS__
/* GLib drops its first block of quarks on purpose (lock-free readers may still hold it) once
 * more than 2048 exist, as they do after GStreamer loads its plugins: a one-time allocation
 * of GLib's constructor, not a leak. Full stacks let the suppression see where it came from. */
const char *__asan_default_options (void);
const char *__lsan_default_suppressions (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

const char *
__lsan_default_suppressions (void)
{
  return "leak:_dl_init\n";
}
#endif

typedef struct {
  const char *name;      /* test path component and file extension */
  const char *encoder;   /* gst-launch chain after audioconvert ! audioresample */
  const char *element;   /* the element that must be installed */
  guint       rate;
  guint       channels;
} ToneFormat;

static const ToneFormat tone_formats[] = {
  { "wav", "wavenc", "wavenc", 44100, 2 },
  { "ogg", "vorbisenc ! oggmux", "vorbisenc", 44100, 1 },
  { "opus", "opusenc ! oggmux", "opusenc", 48000, 1 },
  { "flac", "flacenc", "flacenc", 16000, 1 },
  { "mp3", "lamemp3enc", "lamemp3enc", 44100, 1 },
};

static inline const ToneFormat *
tone_format (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (tone_formats); i++)
    if (g_str_equal (tone_formats[i].name, name))
      return &tone_formats[i];
  g_assert_not_reached ();
}

/* Writes @duration_ms of a sine at @freq Hz (0: silence) to @path, encoded as @format says.
 * Returns FALSE when the encoder is not installed. */
static inline gboolean
make_tone_file (const char *path, const ToneFormat *format, double freq, guint duration_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;
  g_autofree char *desc = NULL;
  guint per_buffer = format->rate / 100;   /* 10 ms */

  gst_init (NULL, NULL);
  if (!gst_registry_check_feature_version (gst_registry_get (), format->element, 1, 0, 0))
    return FALSE;

  desc = g_strdup_printf ("audiotestsrc wave=%s freq=%g volume=0.5 samplesperbuffer=%u num-buffers=%u "
                          "! audio/x-raw,format=S16LE,rate=%u,channels=%u ! audioconvert ! audioresample "
                          "! %s ! filesink name=sink",
                          freq > 0 ? "sine" : "silence", freq > 0 ? freq : 440.0, per_buffer,
                          duration_ms / 10, format->rate, format->channels, format->encoder);
  pipeline = gst_object_ref_sink (gst_parse_launch (desc, &error));
  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (sink, "location", path, NULL);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return TRUE;
}

/* Share of the signal's energy at @freq over @n samples at @rate (1.0 for a pure tone on a bin). */
static inline double
goertzel_share (const gint16 *samples, gsize n, guint rate, double freq)
{
  double w = 2.0 * G_PI * freq / rate;
  double coeff = 2.0 * cos (w);
  double s1 = 0, s2 = 0, energy = 0, power;

  for (gsize i = 0; i < n; i++)
    {
      double s0 = samples[i] + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
      energy += (double) samples[i] * samples[i];
    }
  power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return energy > 0 ? 2.0 * power / (n * energy) : 0.0;
}

/* Asserts a 1 kHz tone dominates one second in the middle of 8 kHz @pcm. */
static inline void
assert_1khz (const gint16 *samples, gsize n)
{
  gsize start;

  g_assert_cmpuint (n, >=, 8000);
  start = (n - 8000) / 2;
  g_assert_cmpfloat (goertzel_share (samples + start, 8000, 8000, 1000), >, 0.9);
  g_assert_cmpfloat (goertzel_share (samples + start, 8000, 8000, 440), <, 0.01);
  g_assert_cmpfloat (goertzel_share (samples + start, 8000, 8000, 2000), <, 0.01);
  g_assert_cmpfloat (goertzel_share (samples + start, 8000, 8000, 3000), <, 0.01);
}

static inline double
rms (const gint16 *samples, gsize n)
{
  double sum = 0;

  for (gsize i = 0; i < n; i++)
    sum += (double) samples[i] * samples[i];
  return n ? sqrt (sum / n) : 0;
}

static inline guint32
read_le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

typedef struct {
  guint         format, channels, rate, bits;
  const gint16 *samples;
  gsize         n_samples;
} Wav;

/* Parses a canonical RIFF/WAVE file held in @data; FALSE if it is not one. */
static inline gboolean
parse_wav (const guint8 *data, gsize size, Wav *wav)
{
  gsize pos = 12;

  memset (wav, 0, sizeof *wav);
  if (size < 12 || memcmp (data, "RIFF", 4) != 0 || memcmp (data + 8, "WAVE", 4) != 0)
    return FALSE;
  while (pos + 8 <= size)
    {
      guint32 len = read_le32 (data + pos + 4);
      const guint8 *body = data + pos + 8;

      if (pos + 8 + len > size)
        return FALSE;
      if (memcmp (data + pos, "fmt ", 4) == 0 && len >= 16)
        {
          wav->format = body[0] | body[1] << 8;
          wav->channels = body[2] | body[3] << 8;
          wav->rate = read_le32 (body + 4);
          wav->bits = body[14] | body[15] << 8;
        }
      else if (memcmp (data + pos, "data", 4) == 0)
        {
          wav->samples = (const gint16 *) body;
          wav->n_samples = len / 2;
          return wav->rate > 0;
        }
      pos += 8 + len + (len & 1);
    }
  return FALSE;
}

/* Removes @dir and everything in it (tests make flat directories, at most two levels deep). */
static inline void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *entry;

  while (d && (entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static inline guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d) != NULL)
    n++;
  return n;
}
