/* Tests of JarchiDtmfDetector by content: every key through G.711, presses and pauses, what must not count, and GStreamer's own detector still right in the same process. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <dlfcn.h>
#include <math.h>
#include <gst/gst.h>
#include <gst/app/gstappsrc.h>

#include "jarchi-broadcast-dialer.h"
#include "jarchi-dtmf-detector.h"

static const char all_keys[] = "123A456B789C*0#D";
static const double rows[] = { 697, 770, 852, 941 };
static const double cols[] = { 1209, 1336, 1477, 1633 };

/* Appends MS of two sines (0 Hz: none) at DBFS each, at 8 kHz. */
static void
add_tones (GArray *pcm, double f1, double db1, double f2, double db2, guint ms)
{
  double a1 = 32767.0 * pow (10.0, db1 / 20.0), a2 = 32767.0 * pow (10.0, db2 / 20.0);
  guint start = pcm->len;

  for (guint i = 0; i < ms * 8; i++)
    {
      double t = (start + i) / 8000.0;
      double v = (f1 > 0 ? a1 * sin (2 * G_PI * f1 * t) : 0) + (f2 > 0 ? a2 * sin (2 * G_PI * f2 * t) : 0);
      gint16 s = (gint16) CLAMP (lround (v), -32768, 32767);

      g_array_append_val (pcm, s);
    }
}

static void
add_key (GArray *pcm, char key, double db, guint ms)
{
  const char *at = strchr (all_keys, key);
  guint i = (guint) (at - all_keys);

  add_tones (pcm, rows[i / 4], db, cols[i % 4], db, ms);
}

static void
add_silence (GArray *pcm, guint ms)
{
  add_tones (pcm, 0, 0, 0, 0, ms);
}

static void
on_key (char digit, gpointer user_data)
{
  g_string_append_c (user_data, digit);
}

/* What the detector hears in PCM, fed in uneven pieces (packets are not its blocks). */
static char *
detect_pcm (GArray *pcm)
{
  GString *keys = g_string_new (NULL);
  g_autoptr(JarchiDtmfDetector) detector = jarchi_dtmf_detector_new (on_key, keys);
  const gint16 *p = (const gint16 *) pcm->data;
  gsize left = pcm->len, piece = 37;

  while (left > 0)
    {
      gsize n = MIN (left, piece);

      jarchi_dtmf_detector_feed (detector, p, n);
      p += n;
      left -= n;
      piece = piece == 37 ? 160 : piece == 160 ? 241 : 37;
    }
  return g_string_free (keys, FALSE);
}

/* The same, after a trip through GStreamer's G.711 encoder, decoded by the detector. */
static char *
detect_g711 (GArray *pcm, JarchiG711Law law)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (pcm->data, pcm->len * sizeof (gint16));
  g_autoptr(GBytes) g711 = jarchi_audio_encode_g711 (bytes, law, &error);
  GString *keys = g_string_new (NULL);
  g_autoptr(JarchiDtmfDetector) detector = jarchi_dtmf_detector_new (on_key, keys);
  gsize size;
  const guint8 *data;

  g_assert_no_error (error);
  data = g_bytes_get_data (g711, &size);
  for (gsize off = 0; off < size; off += 160)
    jarchi_dtmf_detector_feed_g711 (detector, law, data + off, MIN (160, size - off));
  return g_string_free (keys, FALSE);
}

static void
test_g711_decode (void)
{
  /* ITU-T G.711 table values at both ends of each law. */
  g_assert_cmpint (jarchi_g711_decode (JARCHI_G711_ULAW, 0xff), ==, 0);
  g_assert_cmpint (jarchi_g711_decode (JARCHI_G711_ULAW, 0x7f), ==, 0);
  g_assert_cmpint (jarchi_g711_decode (JARCHI_G711_ULAW, 0x80), ==, 32124);
  g_assert_cmpint (jarchi_g711_decode (JARCHI_G711_ULAW, 0x00), ==, -32124);
  g_assert_cmpint (jarchi_g711_decode (JARCHI_G711_ALAW, 0xd5), ==, 8);
  g_assert_cmpint (jarchi_g711_decode (JARCHI_G711_ALAW, 0x55), ==, -8);
  g_assert_cmpint (jarchi_g711_decode (JARCHI_G711_ALAW, 0xaa), ==, 32256);
  g_assert_cmpint (jarchi_g711_decode (JARCHI_G711_ALAW, 0x2a), ==, -32256);

  /* And against GStreamer's encoder: a ramp comes back within one quantisation step. */
  for (int law = JARCHI_G711_ULAW; law <= JARCHI_G711_ALAW; law++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) pcm = g_array_new (FALSE, FALSE, sizeof (gint16));
      g_autoptr(GBytes) bytes = NULL, g711 = NULL;
      const guint8 *codes;
      gsize n;

      for (int v = -32000; v <= 32000; v += 250)
        {
          gint16 s = (gint16) v;

          g_array_append_val (pcm, s);
        }
      bytes = g_bytes_new (pcm->data, pcm->len * sizeof (gint16));
      g711 = jarchi_audio_encode_g711 (bytes, law, &error);
      g_assert_no_error (error);
      codes = g_bytes_get_data (g711, &n);
      g_assert_cmpuint (n, >=, pcm->len);
      for (guint i = 0; i < pcm->len; i++)
        {
          int in = g_array_index (pcm, gint16, i), out = jarchi_g711_decode (law, codes[i]);

          /* the step is 1/16 of the segment: at most 1024 at the top, relative 1/16 below */
          g_assert_cmpint (ABS (in - out), <=, MAX (16, ABS (in) / 15));
        }
    }
}

static void
test_every_key (void)
{
  g_autoptr(GArray) pcm = g_array_new (FALSE, FALSE, sizeof (gint16));

  add_silence (pcm, 200);
  for (const char *k = all_keys; *k; k++)
    {
      add_key (pcm, *k, -10, 100);
      add_silence (pcm, 100);
    }
  {
    g_autofree char *lin = detect_pcm (pcm);
    g_autofree char *ulaw = detect_g711 (pcm, JARCHI_G711_ULAW);
    g_autofree char *alaw = detect_g711 (pcm, JARCHI_G711_ALAW);

    g_assert_cmpstr (lin, ==, all_keys);
    g_assert_cmpstr (ulaw, ==, all_keys);
    g_assert_cmpstr (alaw, ==, all_keys);
  }
}

/* Like the tones SIPp plays in the campaign tests: "1" at about -9 dBFS each, 250 ms, twice. */
static void
test_presses (void)
{
  g_autoptr(GArray) pcm = g_array_new (FALSE, FALSE, sizeof (gint16));
  g_autofree char *keys = NULL;

  add_silence (pcm, 1000);
  add_key (pcm, '1', -9, 250);
  add_silence (pcm, 750);
  add_key (pcm, '1', -9, 250);
  /* a 20 ms dropout inside one press, then a pause of 100 ms between two */
  add_silence (pcm, 300);
  add_key (pcm, '5', -15, 150);
  add_silence (pcm, 20);
  add_key (pcm, '5', -15, 150);
  add_silence (pcm, 300);
  add_key (pcm, '9', -15, 120);
  add_silence (pcm, 100);
  add_key (pcm, '9', -15, 120);
  add_silence (pcm, 100);
  /* one key straight after another is two presses */
  add_key (pcm, '#', -15, 120);
  add_key (pcm, '0', -15, 120);
  add_silence (pcm, 500);
  keys = detect_g711 (pcm, JARCHI_G711_ULAW);
  g_assert_cmpstr (keys, ==, "11599#0");
}

static void
test_not_keys (void)
{
  g_autoptr(GArray) pcm = g_array_new (FALSE, FALSE, sizeof (gint16));
  g_autofree char *keys = NULL;
  guint32 seed = 42;

  add_tones (pcm, 440, -6, 0, 0, 1000);           /* the message's own tone */
  add_tones (pcm, 697, -6, 0, 0, 500);            /* one half of a key */
  add_tones (pcm, 1209, -6, 0, 0, 500);
  add_tones (pcm, 350, -10, 440, -10, 500);       /* dial tone */
  add_key (pcm, '1', -50, 300);                   /* too quiet */
  add_tones (pcm, 697, -30, 1209, -10, 300);      /* twist of 20 dB */
  add_key (pcm, '2', -10, 30);                    /* too short */
  add_silence (pcm, 100);
  add_key (pcm, '3', -10, 300);                   /* buried in as loud noise */
  for (guint i = pcm->len - 300 * 8; i < pcm->len; i++)
    {
      seed = seed * 1664525u + 1013904223u;
      g_array_index (pcm, gint16, i) = (gint16) CLAMP (g_array_index (pcm, gint16, i) / 2 +
                                                       (int) (seed >> 16) - 32768, -32768, 32767);
    }
  /* speech-like: a harmonic series on a 120 Hz voice, which passes near several keys */
  for (guint i = 0; i < 8000; i++)
    {
      double v = 0;

      for (int h = 1; h <= 20; h++)
        v += 2000.0 / h * sin (2 * G_PI * 120 * h * i / 8000.0);
      gint16 s = (gint16) CLAMP (lround (v), -32768, 32767);
      g_array_append_val (pcm, s);
    }
  keys = detect_g711 (pcm, JARCHI_G711_ULAW);
  g_assert_cmpstr (keys, ==, "");

  /* Twist within the 8 dB the detector allows still counts, either way. */
  g_array_set_size (pcm, 0);
  add_tones (pcm, 852, -16, 1477, -10, 200);
  add_silence (pcm, 200);
  add_tones (pcm, 941, -10, 1633, -16, 200);
  add_silence (pcm, 200);
  g_free (keys);
  keys = detect_pcm (pcm);
  g_assert_cmpstr (keys, ==, "9D");
}

/* GStreamer's dtmfdetect (the softphone's in-band detector, from libspandsp) shares the
 * process with the broadcast dialer. libspandsp's goertzel_init/_result are global symbols:
 * a library defining the same names first (librem does) silently replaces them, and a "1"
 * is read as a "D". */
static gboolean
on_element_message (GstBus *bus, GstMessage *msg, gpointer data)
{
  const GstStructure *s = gst_message_get_structure (msg);
  int number;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT && gst_structure_has_name (s, "dtmf-event") &&
      gst_structure_get_int (s, "number", &number))
    g_string_append_c (data, "0123456789*#ABCD"[number & 15]);
  return TRUE;
}

static void
test_gstreamer_detector_alongside (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GArray) pcm = g_array_new (FALSE, FALSE, sizeof (gint16));
  g_autoptr(GString) keys = g_string_new (NULL);
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstMessage) eos = NULL;
  GstBuffer *buffer;

  /* the broadcast code is linked into this test, as into jarchi */
  g_assert_true (g_type_is_a (JARCHI_TYPE_BROADCAST_DIALER, G_TYPE_OBJECT));
  g_assert_null (dlsym (RTLD_DEFAULT, "goertzel_init"));

  if (gst_element_factory_find ("dtmfdetect") == NULL)
    {
      g_test_skip ("GStreamer's dtmfdetect is not installed");
      return;
    }
  add_silence (pcm, 200);
  add_key (pcm, '1', -9, 250);
  add_silence (pcm, 300);
  add_key (pcm, '7', -9, 250);
  add_silence (pcm, 300);
  pipeline = gst_parse_launch ("appsrc name=src format=time caps=audio/x-raw,format=S16LE,"
                               "layout=interleaved,rate=8000,channels=1 ! dtmfdetect ! "
                               "fakesink sync=false", &error);
  g_assert_no_error (error);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  buffer = gst_buffer_new_memdup (pcm->data, pcm->len * sizeof (gint16));
  g_assert_cmpint (gst_app_src_push_buffer (GST_APP_SRC (src), buffer), ==, GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((eos = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND,
                                            GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT)) != NULL &&
         GST_MESSAGE_TYPE (eos) == GST_MESSAGE_ELEMENT)
    {
      on_element_message (bus, eos, keys);
      gst_clear_message (&eos);
    }
  g_assert_nonnull (eos);
  g_assert_cmpint (GST_MESSAGE_TYPE (eos), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  /* dtmfdetect reports a long tone more than once; the keys, not the count, are the point */
  g_assert_true (keys->len > 0);
  for (gsize i = 0; i < keys->len; i++)
    g_assert_true (keys->str[i] == '1' || keys->str[i] == '7');
  g_assert_nonnull (strchr (keys->str, '1'));
  g_assert_nonnull (strchr (keys->str, '7'));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/dtmf-detector/g711-decode", test_g711_decode);
  g_test_add_func ("/dtmf-detector/every-key", test_every_key);
  g_test_add_func ("/dtmf-detector/presses", test_presses);
  g_test_add_func ("/dtmf-detector/not-keys", test_not_keys);
  g_test_add_func ("/dtmf-detector/gstreamer-alongside", test_gstreamer_detector_alongside);

  return g_test_run ();
}
