/* Two JarchiMediaSessions calling each other over loopback UDP, judged by what B hears. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/app/gstappsink.h>

#include "jarchi-error.h"
#include "jarchi-media-session.h"

#define RATE 8000
#define BLOCK (RATE / 20)   /* 50 ms: 1000 Hz and 400 Hz fall on exact Goertzel bins */

typedef struct {
  char *dir;
  char *tone_wav;
  JarchiMediaSession *a, *b;
  GString *digits;
  gboolean wrong_method;
  JarchiDtmfMethod expected_method;
  guint finished;
  guint errors;
} Fixture;

typedef struct {
  const char *codec;
  guint pt;
  guint clock_rate;
  gboolean separate;     /* also check the -local/-remote recordings */
} CodecCase;

/* ---- helpers ---- */

static void
write_wav (const char *path, const gint16 *samples, guint n)
{
  guint32 data_size = n * 2;
  guint8 header[44] = "RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\0\0\0\0\0\0\0\0\x02\0\x10\0data";
  guint32 riff = GUINT32_TO_LE (36 + data_size), rate = GUINT32_TO_LE (RATE);
  guint32 bytes = GUINT32_TO_LE (RATE * 2), size = GUINT32_TO_LE (data_size);
  g_autoptr(GByteArray) file = g_byte_array_new ();
  g_autoptr(GError) error = NULL;

  memcpy (header + 4, &riff, 4);
  memcpy (header + 24, &rate, 4);
  memcpy (header + 28, &bytes, 4);
  memcpy (header + 40, &size, 4);
  g_byte_array_append (file, header, sizeof header);
  for (guint i = 0; i < n; i++) {
    gint16 le = GINT16_TO_LE (samples[i]);
    g_byte_array_append (file, (guint8 *) &le, 2);
  }
  g_file_set_contents (path, (char *) file->data, file->len, &error);
  g_assert_no_error (error);
}

/* Tests link no libm: the series converge fast enough for |x| <= pi. */
static double
series_cos (double x)
{
  double term = 1, sum = 1;

  for (int k = 1; k < 20; k++) {
    term *= -x * x / ((2 * k - 1) * (2 * k));
    sum += term;
  }
  return sum;
}

static double
series_sin (double x)
{
  double term = x, sum = x;

  for (int k = 1; k < 20; k++) {
    term *= -x * x / ((2 * k) * (2 * k + 1));
    sum += term;
  }
  return sum;
}

/* Two sines (0 Hz for none) by rotating phasors. */
static void
add_tone (GArray *out, double f1, double f2, double seconds)
{
  guint n = (guint) (seconds * RATE);
  double re[2] = { 1, 1 }, im[2] = { 0, 0 }, c[2], s[2], f[2] = { f1, f2 };

  for (guint k = 0; k < 2; k++) {
    c[k] = series_cos (2 * G_PI * f[k] / RATE);
    s[k] = series_sin (2 * G_PI * f[k] / RATE);
  }
  for (guint i = 0; i < n; i++) {
    double v = 0;

    for (guint k = 0; k < 2; k++) {
      double r = re[k] * c[k] - im[k] * s[k];

      im[k] = re[k] * s[k] + im[k] * c[k];
      re[k] = r;
      v += f[k] > 0 ? 0.35 * im[k] : 0.0;
    }
    g_array_append_val (out, (gint16) { (gint16) (v * 32767) });
  }
}

static double
goertzel (const gint16 *x, guint n, double freq)
{
  double coeff = 2 * series_cos (2 * G_PI * freq / RATE), s1 = 0, s2 = 0;

  for (guint i = 0; i < n; i++) {
    double s = x[i] / 32768.0 + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/* Share of a block's energy at @freq: 1.0 for a pure tone there. */
static double
tone_share (const gint16 *x, guint n, double freq)
{
  double energy = 0;

  for (guint i = 0; i < n; i++)
    energy += (x[i] / 32768.0) * (x[i] / 32768.0);
  return energy < 1e-6 ? 0.0 : 2 * goertzel (x, n, freq) / (n * energy);
}

static double
block_energy (const gint16 *x, guint n)
{
  double energy = 0;

  for (guint i = 0; i < n; i++)
    energy += (x[i] / 32768.0) * (x[i] / 32768.0);
  return energy / n;
}

/* One character per block, for the log: # 1000 Hz, . silence, ? anything else. */
static char *
describe_blocks (GArray *pcm)
{
  GString *map = g_string_new (NULL);

  for (guint i = 0; i + BLOCK <= pcm->len; i += BLOCK) {
    const gint16 *x = &g_array_index (pcm, gint16, i);

    g_string_append_c (map, tone_share (x, BLOCK, 1000) > 0.8 ? '#'
                            : block_energy (x, BLOCK) < 1e-5 ? '.' : '?');
  }
  return g_string_free (map, FALSE);
}

static GArray *
decode (const char *path)
{
  g_autofree char *desc = g_strdup_printf (
    "filesrc name=src ! decodebin ! audioconvert ! audioresample ! "
    "audio/x-raw,format=S16LE,channels=1,rate=%d ! appsink name=sink sync=false", RATE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (desc, &error);
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstElement) sink = NULL;
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint16));
  GstSample *sample;

  g_assert_no_error (error);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (src, "location", path, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 5 * GST_SECOND)) != NULL) {
    GstMapInfo map;

    gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
    g_array_append_vals (out, map.data, map.size / 2);
    gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    gst_sample_unref (sample);
  }
  if (!gst_app_sink_is_eos (GST_APP_SINK (sink))) {
    g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
    g_autoptr(GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

    if (msg != NULL)
      gst_message_parse_error (msg, &error, NULL);
    g_test_message ("%s does not decode: %s", path, error != NULL ? error->message : "timeout");
    g_test_fail ();
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return out;
}

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @done says so or @ms pass; never longer. */
static gboolean
spin_until (gboolean (*done) (Fixture *), Fixture *fx, guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  guint ticker = g_timeout_add (10, wake, NULL);
  gboolean ok = FALSE;

  while (!(ok = done != NULL && done (fx)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  return ok;
}

static void
spin (guint ms)
{
  spin_until (NULL, NULL, ms);
}

/* ---- fixture ---- */

static void
on_dtmf (JarchiMediaSession *session, char digit, JarchiDtmfMethod method, Fixture *fx)
{
  g_string_append_c (fx->digits, digit);
  if (method != fx->expected_method)
    fx->wrong_method = TRUE;
}

static void
on_finished (JarchiMediaSession *session, Fixture *fx)
{
  fx->finished++;
}

static void
on_error (JarchiMediaSession *session, GError *error, Fixture *fx)
{
  g_test_message ("media error: %s", error->message);
  fx->errors++;
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) tone = g_array_new (FALSE, FALSE, sizeof (gint16));

  fx->dir = g_dir_make_tmp ("jarchi-media-XXXXXX", &error);
  g_assert_no_error (error);
  fx->tone_wav = g_build_filename (fx->dir, "tone.wav", NULL);
  add_tone (tone, 1000, 0, 1.0);
  write_wav (fx->tone_wav, (gint16 *) tone->data, tone->len);
  fx->digits = g_string_new (NULL);
  fx->a = jarchi_media_session_new ("127.0.0.1", &error);
  g_assert_no_error (error);
  fx->b = jarchi_media_session_new ("127.0.0.1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jarchi_media_session_get_local_port (fx->a), >, 0);
  g_assert_cmpuint (jarchi_media_session_get_local_port (fx->a), !=,
                    jarchi_media_session_get_local_port (fx->b));
  g_assert_cmpint (jarchi_media_session_get_state (fx->a), ==, JARCHI_MEDIA_STATE_READY);
  g_signal_connect (fx->b, "dtmf-received", G_CALLBACK (on_dtmf), fx);
  g_signal_connect (fx->a, "playback-finished", G_CALLBACK (on_finished), fx);
  g_signal_connect (fx->a, "error", G_CALLBACK (on_error), fx);
  g_signal_connect (fx->b, "error", G_CALLBACK (on_error), fx);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (fx->dir, 0, NULL);
  const char *name;

  jarchi_media_session_stop (fx->a);
  jarchi_media_session_stop (fx->b);
  jarchi_media_session_stop (fx->b);   /* idempotent */
  g_assert_cmpint (jarchi_media_session_get_state (fx->b), ==, JARCHI_MEDIA_STATE_STOPPED);
  g_assert_cmpuint (fx->errors, ==, 0);
  g_clear_object (&fx->a);
  g_clear_object (&fx->b);
  /* JARCHI_TEST_KEEP=1 leaves the recordings for a look. */
  while (dir != NULL && g_getenv ("JARCHI_TEST_KEEP") == NULL &&
         (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *path = g_build_filename (fx->dir, name, NULL);
    g_unlink (path);
  }
  g_rmdir (fx->dir);
  g_free (fx->dir);
  g_free (fx->tone_wav);
  g_string_free (fx->digits, TRUE);
}

static void
start_pair (Fixture *fx, const char *codec, guint pt, guint clock_rate, guint dtmf_pt)
{
  g_autoptr(GError) error = NULL;

  jarchi_media_session_start (fx->a, "127.0.0.1", jarchi_media_session_get_local_port (fx->b),
                              codec, pt, clock_rate, dtmf_pt, &error);
  g_assert_no_error (error);
  jarchi_media_session_start (fx->b, "127.0.0.1", jarchi_media_session_get_local_port (fx->a),
                              codec, pt, clock_rate, dtmf_pt, &error);
  g_assert_no_error (error);
  g_assert_cmpint (jarchi_media_session_get_state (fx->a), ==, JARCHI_MEDIA_STATE_RUNNING);
}

static guint
received (Fixture *fx)
{
  guint packets = 0;

  g_object_get (fx->b, "packets-received", &packets, NULL);
  return packets;
}

static gboolean
ten_packets (Fixture *fx)
{
  return received (fx) >= 10;
}

static gboolean
four_digits (Fixture *fx)
{
  return fx->digits->len >= 4;
}

/* ---- tests ---- */

static void
test_tone (Fixture *fx, gconstpointer data)
{
  const CodecCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *rec = g_build_filename (fx->dir, "call.ogg", NULL);
  g_autoptr(GArray) pcm = NULL;
  g_autofree char *block_map = NULL;
  double p1000 = 0, p400 = 0, share = 0;
  guint blocks = 0;
  gint64 started, elapsed;

  start_pair (fx, c->codec, c->pt, c->clock_rate, 0);
  g_object_set (fx->b, "record-separate", c->separate, NULL);
  jarchi_media_session_play_file (fx->a, fx->tone_wav, TRUE, &error);
  g_assert_no_error (error);
  jarchi_media_session_start_recording (fx->b, rec, &error);
  g_assert_no_error (error);
  g_assert_true (jarchi_media_session_get_recording (fx->b));
  started = g_get_monotonic_time ();
  spin (2000);
  elapsed = g_get_monotonic_time () - started;
  jarchi_media_session_stop_recording (fx->b);
  g_assert_false (jarchi_media_session_get_recording (fx->b));
  g_assert_cmpuint (received (fx), >, 25);   /* ~100 sent; the content check is below */

  pcm = decode (rec);
  block_map = describe_blocks (pcm);
  g_test_message ("%s: recording %.3f s for %.3f s of call", c->codec,
                  (double) pcm->len / RATE, elapsed / 1e6);
  g_assert_cmpfloat (ABS ((double) pcm->len / RATE - elapsed / 1e6), <, 0.5);
  /* Skip the first half second: A's audio needs the jitter buffer's latency to arrive. */
  for (guint i = RATE / 2; i + BLOCK <= pcm->len; i += BLOCK, blocks++) {
    const gint16 *x = &g_array_index (pcm, gint16, i);

    p1000 += goertzel (x, BLOCK, 1000);
    p400 += goertzel (x, BLOCK, 400);
    share += tone_share (x, BLOCK, 1000);
  }
  g_test_message ("%s: P1000/P400 = %.0f, 1000 Hz share %.2f", c->codec, p1000 / p400,
                  share / blocks);
  g_test_message ("%s: %s", c->codec, block_map);
  g_assert_cmpfloat (p1000, >, 100 * p400);
  /* Mostly tone: a loaded machine may glitch, silence instead of A's audio would not pass. */
  g_assert_cmpfloat (share / blocks, >, 0.6);

  if (c->separate) {
    g_autofree char *local_path = g_build_filename (fx->dir, "call-local.ogg", NULL);
    g_autofree char *remote_path = g_build_filename (fx->dir, "call-remote.ogg", NULL);
    g_autoptr(GArray) local = decode (local_path);
    g_autoptr(GArray) remote = decode (remote_path);
    guint tone_blocks = 0, loud_blocks = 0;

    g_assert_cmpfloat (ABS ((double) local->len / RATE - elapsed / 1e6), <, 0.5);
    g_assert_cmpfloat (ABS ((double) remote->len / RATE - elapsed / 1e6), <, 0.5);
    for (guint i = 0; i + BLOCK <= local->len; i += BLOCK)
      loud_blocks += block_energy (&g_array_index (local, gint16, i), BLOCK) > 1e-5;
    /* As above, the first half second waits for the jitter buffer (0.8 s under ASan at load). */
    for (guint i = RATE / 2; i + BLOCK <= remote->len; i += BLOCK)
      tone_blocks += tone_share (&g_array_index (remote, gint16, i), BLOCK, 1000) > 0.8;
    /* B's own microphone was silent; A's tone is all in the remote file. */
    g_assert_cmpuint (loud_blocks, ==, 0);
    g_assert_cmpuint (tone_blocks, >, (remote->len - MIN (remote->len, RATE / 2)) / BLOCK * 6 / 10);
  }
}

/* A must send from the port its SDP announces, ignore stray packets, and follow a moved peer. */
static void
test_symmetric_rtp (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) a_address = NULL;
  g_autoptr(GSocketAddress) peer_address = NULL;
  g_autoptr(GSocketAddress) from = NULL;
  g_autoptr(GSocket) peer = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                          G_SOCKET_PROTOCOL_UDP, &error);
  guint8 comfort_noise[] = { 0x80, 13, 0, 1, 0, 0, 0, 160, 1, 2, 3, 4, 40 };
  guint8 junk[] = { 1, 2, 3 };
  guint8 pcmu[12 + 160] = { 0x80, 0, 0, 2, 0, 0, 1, 64, 1, 2, 3, 4 };
  guint8 packet[2048];
  guint packets = 0;
  gssize len;

  g_assert_no_error (error);
  g_socket_bind (peer, any_port, FALSE, &error);
  g_assert_no_error (error);
  peer_address = g_socket_get_local_address (peer, &error);
  g_assert_no_error (error);
  jarchi_media_session_start (fx->a, "127.0.0.1",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (peer_address)),
                              "PCMU", 0, 8000, 101, &error);
  g_assert_no_error (error);

  g_socket_set_timeout (peer, 5);
  len = g_socket_receive_from (peer, &from, (char *) packet, sizeof packet, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (len, ==, 12 + 160);   /* 20 ms of PCMU */
  g_assert_cmpuint (packet[1] & 0x7f, ==, 0);
  g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (from)), ==,
                    jarchi_media_session_get_local_port (fx->a));

  a_address = g_inet_socket_address_new (loopback, jarchi_media_session_get_local_port (fx->a));
  memset (pcmu + 12, 0xff, 160);
  g_socket_send_to (peer, a_address, (char *) comfort_noise, sizeof comfort_noise, NULL, &error);
  g_assert_no_error (error);
  g_socket_send_to (peer, a_address, (char *) junk, sizeof junk, NULL, &error);
  g_assert_no_error (error);
  g_socket_send_to (peer, a_address, (char *) pcmu, sizeof pcmu, NULL, &error);
  g_assert_no_error (error);
  spin (300);
  g_object_get (fx->a, "packets-received", &packets, NULL);
  g_assert_cmpuint (packets, ==, 1);
  g_assert_cmpint (jarchi_media_session_get_state (fx->a), ==, JARCHI_MEDIA_STATE_RUNNING);

  jarchi_media_session_start (fx->b, "127.0.0.1", jarchi_media_session_get_local_port (fx->a),
                              "PCMU", 0, 8000, 101, &error);
  g_assert_no_error (error);
  jarchi_media_session_set_remote (fx->a, "127.0.0.1", jarchi_media_session_get_local_port (fx->b));
  g_assert_true (spin_until (ten_packets, fx, 3000));
}

static void
test_dtmf_rfc4733 (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  start_pair (fx, "PCMU", 0, 8000, 101);
  fx->expected_method = JARCHI_DTMF_METHOD_RFC4733;
  spin (200);
  for (const char *d = "159#"; *d != '\0'; d++) {
    jarchi_media_session_send_dtmf (fx->a, *d, 100, &error);
    g_assert_no_error (error);
  }
  spin_until (four_digits, fx, 6000);
  spin (500);   /* a late duplicate would show up here */
  g_assert_cmpstr (fx->digits->str, ==, "159#");
  g_assert_false (fx->wrong_method);
}

static gboolean
five_digits (Fixture *fx)
{
  return fx->digits->len >= 5;
}

static void
test_dtmf_inband (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) pcm = g_array_new (FALSE, FALSE, sizeof (gint16));
  g_autofree char *wav = g_build_filename (fx->dir, "dtmf.wav", NULL);
  /* 1, 5 with a 20 ms dropout inside (one key press), 9 pressed twice, # */
  static const double keys[][2] = { { 697, 1209 }, { 770, 1336 }, { 852, 1477 }, { 852, 1477 },
                                    { 941, 1477 } };

  add_tone (pcm, 0, 0, 0.3);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++) {
    add_tone (pcm, keys[i][0], keys[i][1], 0.15);
    if (i == 1) {
      add_tone (pcm, 0, 0, 0.02);
      add_tone (pcm, keys[i][0], keys[i][1], 0.15);
    }
    add_tone (pcm, 0, 0, 0.15);
  }
  write_wav (wav, (gint16 *) pcm->data, pcm->len);
  start_pair (fx, "PCMA", 8, 8000, 0);
  fx->expected_method = JARCHI_DTMF_METHOD_INBAND;
  jarchi_media_session_play_file (fx->a, wav, FALSE, &error);
  g_assert_no_error (error);
  spin_until (five_digits, fx, 6000);
  spin (400);
  g_assert_cmpstr (fx->digits->str, ==, "1599#");
  g_assert_false (fx->wrong_method);
  g_assert_cmpuint (fx->finished, ==, 1);

  /* Without telephone-event, send_dtmf() falls back to tones in the audio. */
  jarchi_media_session_send_dtmf (fx->a, '7', 120, &error);
  g_assert_no_error (error);
  jarchi_media_session_send_dtmf (fx->a, '7', 120, &error);
  g_assert_no_error (error);
  spin (1200);
  g_assert_cmpstr (fx->digits->str, ==, "1599#77");
  g_assert_false (fx->wrong_method);
}

static void
test_hold (Fixture *fx, gconstpointer data)
{
  static const JarchiMediaDirection holds[] = { JARCHI_MEDIA_DIR_SENDONLY,
                                                JARCHI_MEDIA_DIR_INACTIVE };
  g_autoptr(GError) error = NULL;
  g_autofree char *rec = g_build_filename (fx->dir, "held.ogg", NULL);
  g_autofree char *block_map = NULL;
  g_autoptr(GArray) pcm = NULL;
  guint quiet_run = 0, longest_quiet = 0, tone_blocks = 0;
  gint64 started, elapsed;

  start_pair (fx, "PCMU", 0, 8000, 101);
  jarchi_media_session_play_file (fx->a, fx->tone_wav, TRUE, &error);
  g_assert_no_error (error);
  jarchi_media_session_start_recording (fx->b, rec, &error);
  g_assert_no_error (error);
  started = g_get_monotonic_time ();
  spin (600);
  for (guint h = 0; h < G_N_ELEMENTS (holds); h++) {
    guint before, during, after;

    jarchi_media_session_set_direction (fx->a, holds[h]);
    spin (200);
    before = received (fx);
    spin (800);
    during = received (fx);
    jarchi_media_session_set_direction (fx->a, JARCHI_MEDIA_DIR_SENDRECV);
    spin (600);
    after = received (fx);
    g_test_message ("hold %u: %u packets while held, %u after", h, during - before,
                    after - during);
    g_assert_cmpuint (during - before, <=, 1);
    g_assert_cmpuint (after - during, >, 15);
  }
  elapsed = g_get_monotonic_time () - started;
  jarchi_media_session_stop_recording (fx->b);

  pcm = decode (rec);
  block_map = describe_blocks (pcm);
  g_test_message ("held call: recording %.3f s for %.3f s: %s", (double) pcm->len / RATE,
                  elapsed / 1e6, block_map);
  g_assert_cmpfloat (ABS ((double) pcm->len / RATE - elapsed / 1e6), <, 0.5);
  for (guint i = 0; i + BLOCK <= pcm->len; i += BLOCK) {
    const gint16 *x = &g_array_index (pcm, gint16, i);

    if (block_energy (x, BLOCK) < 1e-5) {
      longest_quiet = MAX (longest_quiet, ++quiet_run);
    } else {
      quiet_run = 0;
      tone_blocks += tone_share (x, BLOCK, 1000) > 0.8;
    }
  }
  /* Each hold leaves ~0.8 s of silence in place, the rest of the call is tone. */
  g_assert_cmpuint (longest_quiet, >=, 12);
  g_assert_cmpuint (tone_blocks, >=, 15);
}

static void
test_errors (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (fx->dir, "missing.wav", NULL);
  g_autofree char *text = g_build_filename (fx->dir, "notes.wav", NULL);
  g_autofree char *bad_rec = g_build_filename (fx->dir, "no", "such", "dir.ogg", NULL);
  guint before;

  g_assert_null (jarchi_media_session_new ("not-an-address", &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (jarchi_media_session_start (fx->a, "127.0.0.1", 9, "G729", 18, 8000, 0,
                                              &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (jarchi_media_session_play_file (fx->a, fx->tone_wav, FALSE, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA);
  g_clear_error (&error);
  g_assert_cmpint (jarchi_media_session_get_state (fx->a), ==, JARCHI_MEDIA_STATE_READY);

  start_pair (fx, "opus", 111, 48000, 101);
  g_assert_false (jarchi_media_session_play_file (fx->a, missing, FALSE, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_file_set_contents (text, "This is not audio at all.\n", -1, &error);
  g_assert_no_error (error);
  g_assert_false (jarchi_media_session_play_file (fx->a, text, FALSE, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA);
  g_test_message ("non-audio file: %s", error->message);
  g_clear_error (&error);
  g_assert_false (jarchi_media_session_send_dtmf (fx->a, 'x', 100, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (jarchi_media_session_start_recording (fx->b, bad_rec, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_IO);
  g_clear_error (&error);

  /* Still a working call: the tone gets through and stops on request. */
  g_assert_true (jarchi_media_session_play_file (fx->a, fx->tone_wav, FALSE, &error));
  g_assert_no_error (error);
  spin (600);
  before = received (fx);
  g_assert_cmpuint (before, >, 10);
  jarchi_media_session_stop_playback (fx->a);
  spin (300);
  g_assert_cmpuint (received (fx), >, before);
  g_assert_cmpint (jarchi_media_session_get_state (fx->a), ==, JARCHI_MEDIA_STATE_RUNNING);
  g_assert_cmpint (jarchi_media_session_get_state (fx->b), ==, JARCHI_MEDIA_STATE_RUNNING);
  g_assert_cmpuint (fx->finished, ==, 0);
}

static gpointer
watchdog (gpointer data)
{
  g_usleep (90 * G_USEC_PER_SEC);
  g_error ("test-media-session took longer than 90 s");
  return NULL;
}

int
main (int argc, char **argv)
{
  static const CodecCase pcmu = { "PCMU", 0, 8000, FALSE }, pcma = { "PCMA", 8, 8000, TRUE },
                         g722 = { "G722", 9, 8000, FALSE }, opus = { "opus", 111, 48000, FALSE };
  int ret;

  g_setenv ("JARCHI_AUDIOSRC", "audiotestsrc wave=silence is-live=true", TRUE);
  g_setenv ("JARCHI_AUDIOSINK", "fakesink sync=false", TRUE);
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  g_thread_unref (g_thread_new ("watchdog", watchdog, NULL));

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/media-session/tone/pcmu", &pcmu, test_tone);
  ADD ("/media-session/tone/pcma", &pcma, test_tone);
  ADD ("/media-session/tone/g722", &g722, test_tone);
  ADD ("/media-session/tone/opus", &opus, test_tone);
  ADD ("/media-session/dtmf/rfc4733", NULL, test_dtmf_rfc4733);
  ADD ("/media-session/dtmf/inband", NULL, test_dtmf_inband);
  ADD ("/media-session/hold", NULL, test_hold);
  ADD ("/media-session/symmetric-rtp", NULL, test_symmetric_rtp);
  ADD ("/media-session/errors", NULL, test_errors);
#undef ADD
  ret = g_test_run ();
  gst_deinit ();   /* lets GST_TRACERS=leaks report what a session left behind */
  return ret;
}
