/* Tests for the audio decoder, G.711 encoder, espeak-ng speech and JarchiMediaLibrary, checked by content. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-audio-decoder.h"
#include "jarchi-error.h"
#include "jarchi-media-library.h"
#include "jarchi-tts.h"
#include "media-fixtures.h"

typedef struct {
  char               *dir;
  char               *media_dir;
  JarchiStore        *store;
  JarchiMediaLibrary *library;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  f->dir = g_dir_make_tmp ("jarchi-media-XXXXXX", NULL);
  db = g_build_filename (f->dir, "jarchi.db", NULL);
  f->media_dir = g_build_filename (f->dir, "media", NULL);
  f->store = jarchi_store_open (db, &error);
  g_assert_no_error (error);
  f->library = jarchi_media_library_new (f->store, f->media_dir, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->library);
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->media_dir);
  g_free (f->dir);
}

static char *
fixture_file (Fixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static gint64
count_rows (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (f->store, "SELECT COUNT(*) FROM media;", &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

/* --- decoder --- */

static void
test_decode_format (gconstpointer data)
{
  const ToneFormat *format = tone_format (data);
  g_autofree char *dir = g_dir_make_tmp ("jarchi-decode-XXXXXX", NULL);
  g_autofree char *name = g_strconcat ("tone.", format->name, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = NULL;
  guint duration = 0;
  gsize size;
  const gint16 *samples;

  if (!make_tone_file (path, format, 1000, 2000))
    {
      g_test_skip ("the encoder for this format is not installed");
      remove_tree (dir);
      return;
    }

  pcm = jarchi_audio_decode_file (path, 0, &duration, &error);
  g_assert_no_error (error);
  samples = g_bytes_get_data (pcm, &size);
  g_assert_cmpuint (size / 16, ==, duration);
  g_test_message ("%s: %u ms", format->name, duration);
  g_assert_cmpint (ABS ((int) duration - 2000), <=, 50);
  assert_1khz (samples, size / 2);
  remove_tree (dir);
}

static void
assert_undecodable (const char *path, const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = jarchi_audio_decode_file (path, 0, NULL, &error);

  g_assert_null (pcm);
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA);
  g_assert_true (g_str_has_prefix (error->message, "Not an audio file GStreamer can decode: "));
  g_test_message ("%s: %s", what, error->message);
}

static void
test_decode_rejects (void)
{
  g_autofree char *dir = g_dir_make_tmp ("jarchi-decode-XXXXXX", NULL);
  g_autofree char *garbage = g_build_filename (dir, "garbage.mp3", NULL);
  g_autofree char *text = g_build_filename (dir, "text.wav", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.ogg", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.wav", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;
  guint8 noise[8192];

  for (gsize i = 0; i < sizeof noise; i++)
    noise[i] = g_rand_int_range (rand, 0, 256);
  g_assert_true (g_file_set_contents (garbage, (const char *) noise, sizeof noise, NULL));
  g_assert_true (g_file_set_contents (text, "Dear colleagues,\nthe meeting is at three.\n", -1, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));

  assert_undecodable (garbage, "garbage");
  assert_undecodable (text, "text renamed .wav");
  assert_undecodable (empty, "empty");
  assert_undecodable (dir, "a directory");

  g_assert_null (jarchi_audio_decode_file (missing, 0, NULL, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_IO);
  remove_tree (dir);
}

static void
test_decode_limit (void)
{
  g_autofree char *dir = g_dir_make_tmp ("jarchi-decode-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "tone.flac", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = NULL;
  guint duration = 0;

  g_assert_true (make_tone_file (path, tone_format ("flac"), 1000, 3000));
  g_assert_null (jarchi_audio_decode_file (path, 1000, NULL, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  pcm = jarchi_audio_decode_file (path, 3000, &duration, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (duration, ==, 3000);
  remove_tree (dir);
}

static gboolean
make_video (const char *path, gboolean with_audio)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;
  const char *desc = with_audio
    ? "webmmux name=mux ! filesink name=sink "
      "videotestsrc num-buffers=45 ! video/x-raw,width=320,height=240,framerate=30/1 ! vp8enc deadline=1 ! mux. "
      "audiotestsrc freq=1000 volume=0.5 samplesperbuffer=441 num-buffers=150 ! audio/x-raw,rate=44100 "
      "! audioconvert ! vorbisenc ! mux."
    : "videotestsrc num-buffers=45 ! video/x-raw,width=320,height=240,framerate=30/1 ! vp8enc deadline=1 "
      "! webmmux ! filesink name=sink";

  if (!gst_registry_check_feature_version (gst_registry_get (), "vp8enc", 1, 0, 0)
      || !gst_registry_check_feature_version (gst_registry_get (), "webmmux", 1, 0, 0))
    return FALSE;
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

/* A video's sound track is its audio; a video without one is refused at once. */
static void
test_decode_video (void)
{
  g_autofree char *dir = g_dir_make_tmp ("jarchi-decode-XXXXXX", NULL);
  g_autofree char *av = g_build_filename (dir, "talk.webm", NULL);
  g_autofree char *mute = g_build_filename (dir, "mute.webm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = NULL;
  const gint16 *samples;
  guint duration = 0;
  gint64 start;
  gsize size;

  if (!make_video (av, TRUE) || !make_video (mute, FALSE))
    {
      g_test_skip ("vp8enc or webmmux is not installed");
      remove_tree (dir);
      return;
    }
  pcm = jarchi_audio_decode_file (av, 0, &duration, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ABS ((int) duration - 1500), <=, 50);
  samples = g_bytes_get_data (pcm, &size);
  assert_1khz (samples, size / 2);

  start = g_get_monotonic_time ();
  assert_undecodable (mute, "video without sound");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  remove_tree (dir);
}

/* The reference G.711 expansions (ITU-T G.711), to check GStreamer's encoders by content. */
static gint16
ulaw_to_linear (guint8 u)
{
  int t;

  u = ~u;
  t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return (u & 0x80) ? 0x84 - t : t - 0x84;
}

static gint16
alaw_to_linear (guint8 a)
{
  int t, seg;

  a ^= 0x55;
  t = (a & 0x0f) << 4;
  seg = (a & 0x70) >> 4;
  if (seg == 0)
    t += 8;
  else
    t = (t + 0x108) << (seg - 1);
  return (a & 0x80) ? t : -t;
}

static void
test_g711 (void)
{
  gsize n = 8000 + 37;   /* not a whole number of frames */
  g_autofree gint16 *tone = g_new (gint16, n);
  g_autoptr(GBytes) pcm = NULL;

  for (gsize i = 0; i < n; i++)
    tone[i] = (gint16) (12000 * sin (2 * G_PI * 1000 * i / 8000.0));
  pcm = g_bytes_new (tone, n * 2);

  for (int law = JARCHI_G711_ULAW; law <= JARCHI_G711_ALAW; law++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) frames = jarchi_audio_encode_g711 (pcm, law, &error);
      g_autofree gint16 *back = NULL;
      const guint8 *code;
      gsize size;
      double noise = 0, signal = 0;

      g_assert_no_error (error);
      code = g_bytes_get_data (frames, &size);
      g_assert_cmpuint (size, ==, 51 * JARCHI_AUDIO_FRAME_SAMPLES);
      back = g_new (gint16, size);
      for (gsize i = 0; i < size; i++)
        back[i] = law == JARCHI_G711_ULAW ? ulaw_to_linear (code[i]) : alaw_to_linear (code[i]);
      for (gsize i = 0; i < n; i++)
        {
          signal += (double) tone[i] * tone[i];
          noise += (double) (tone[i] - back[i]) * (tone[i] - back[i]);
        }
      /* G.711 gives about 38 dB on a loud tone. */
      g_test_message ("%s: SNR %.1f dB", law == JARCHI_G711_ULAW ? "PCMU" : "PCMA",
                      10 * log10 (signal / noise));
      g_assert_cmpfloat (10 * log10 (signal / noise), >, 30);
      assert_1khz (back, 8000);
      /* The padding is encoded silence. */
      for (gsize i = n; i < size; i++)
        g_assert_cmpint (ABS (back[i]), <=, 8);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

    g_assert_null (jarchi_audio_encode_g711 (empty, JARCHI_G711_ULAW, &error));
    g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  }
}

/* --- speech --- */

static void
test_tts_languages (void)
{
  static const struct { const char *lang, *a, *b; } cases[] = {
    { "uz", "Hurmatli hamkasblar, bugun soat uchda yig'ilish bo'ladi.", "Ertaga ish kuni emas." },
    { "ru", "Уважаемые коллеги, сегодня в три часа собрание.", "Завтра выходной день." },
    { "en", "Dear colleagues, the meeting is at three o'clock today.", "Tomorrow is a day off." },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) a = NULL;
      g_autoptr(GBytes) b = NULL;
      guint rate = 0;
      gsize size, loud = 0, frames;
      const gint16 *s;

      a = jarchi_tts_synthesize (cases[i].a, cases[i].lang, &rate, &error);
      g_assert_no_error (error);
      b = jarchi_tts_synthesize (cases[i].b, cases[i].lang, &rate, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rate, ==, 22050);

      s = g_bytes_get_data (a, &size);
      g_assert_cmpuint (size / 2, >, rate / 2);   /* longer than 0.5 s */
      g_assert_cmpfloat (rms (s, size / 2), >, 500);
      /* Speech: most 20 ms frames carry real energy, not one click in silence. */
      frames = size / 2 / (rate / 50);
      for (gsize k = 0; k < frames; k++)
        if (rms (s + k * (rate / 50), rate / 50) > 300)
          loud++;
      g_test_message ("%s: %.2f s, rms %.0f, %" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT " loud frames",
                      cases[i].lang, size / 2.0 / rate, rms (s, size / 2), loud, frames);
      g_assert_cmpuint (loud, >, frames / 3);

      /* Different texts: different audio, the longer text the longer speech. */
      g_assert_false (g_bytes_equal (a, b));
      g_assert_cmpuint (g_bytes_get_size (a), >, g_bytes_get_size (b));
    }
}

static void
test_tts_rejects (void)
{
  g_autofree char *long_text = g_strnfill (JARCHI_TTS_MAX_CHARS + 1, 'a');
  const char *bad[][2] = {
    { "Hello", "de" }, { "Hello", "" }, { "Hello", NULL }, { "", "en" }, { " \n\t ", "en" },
    { "\xff\xfe", "en" }, { long_text, "en" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (jarchi_tts_synthesize (bad[i][0], bad[i][1], NULL, &error));
      g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
    }
  g_assert_true (jarchi_tts_is_language_supported ("uz"));
  g_assert_false (jarchi_tts_is_language_supported ("uz-Cyrl"));
}

/* Speech from many threads at once: espeak-ng is serialised, so every result is whole speech. */
static gpointer
tts_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = jarchi_tts_synthesize ("Bir, ikki, uch, to'rt, besh.", "uz", NULL, &error);

  g_assert_no_error (error);
  return g_steal_pointer (&pcm);
}

static void
test_tts_threads (void)
{
  GThread *threads[4];
  g_autoptr(GBytes) first = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("tts", tts_thread, NULL);
  first = g_thread_join (threads[0]);
  /* espeak-ng varies its output slightly from run to run, so compare length and energy. */
  for (gsize i = 1; i < G_N_ELEMENTS (threads); i++)
    {
      g_autoptr(GBytes) other = g_thread_join (threads[i]);
      gsize n = g_bytes_get_size (other) / 2;

      g_assert_cmpfloat (fabs ((double) g_bytes_get_size (other) / g_bytes_get_size (first) - 1), <, 0.1);
      g_assert_cmpfloat (rms (g_bytes_get_data (other, NULL), n), >, 500);
    }
}

/* --- library --- */

static void
assert_normalised_tone (const char *path, gint64 duration_ms)
{
  g_autofree char *contents = NULL;
  gsize size;
  Wav wav;

  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  g_assert_true (parse_wav ((const guint8 *) contents, size, &wav));
  g_assert_cmpuint (wav.format, ==, 1);
  g_assert_cmpuint (wav.channels, ==, 1);
  g_assert_cmpuint (wav.rate, ==, 8000);
  g_assert_cmpuint (wav.bits, ==, 16);
  g_assert_cmpint (ABS ((gint64) wav.n_samples / 8 - duration_ms), <=, 1);
  assert_1khz (wav.samples, wav.n_samples);
}

static void
test_import (Fixture *f, gconstpointer data)
{
  g_autofree char *src = fixture_file (f, "greeting.ogg");
  g_autofree char *orig = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiMedia) media = NULL;
  g_autoptr(JarchiMedia) again = NULL;
  g_autofree char *expected_wav = NULL;

  g_assert_true (make_tone_file (src, tone_format ("ogg"), 1000, 1500));
  media = jarchi_media_library_import_file (f->library, src, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (media->id, >, 0);
  g_assert_cmpstr (media->kind, ==, "upload");
  g_assert_cmpstr (media->name, ==, "greeting.ogg");
  g_assert_null (media->text);
  g_assert_cmpint (ABS (media->duration_ms - 1500), <=, 50);
  g_assert_cmpint (ABS (media->created_at - g_get_real_time () / G_USEC_PER_SEC), <=, 5);

  expected_wav = g_strdup_printf ("%s/%" G_GINT64_FORMAT ".wav", f->media_dir, media->id);
  g_assert_cmpstr (media->path, ==, expected_wav);
  assert_normalised_tone (media->path, media->duration_ms);
  orig = g_strdup_printf ("%s/%" G_GINT64_FORMAT ".orig.ogg", f->media_dir, media->id);
  g_assert_true (g_file_test (orig, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_files (f->media_dir), ==, 2);

  again = jarchi_media_library_get (f->library, media->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->path, ==, media->path);
  g_assert_cmpint (again->duration_ms, ==, media->duration_ms);

  /* A chosen name is cleaned of control characters and kept. */
  g_clear_pointer (&again, jarchi_media_free);
  again = jarchi_media_library_import_file (f->library, src, "  Morning\tnews\n ", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->name, ==, "Morning news");
  g_assert_cmpint (again->id, !=, media->id);
}

static void
assert_import_fails (Fixture *f, const char *path, int code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiMedia) media = jarchi_media_library_import_file (f->library, path, NULL, &error);

  g_assert_null (media);
  g_assert_error (error, JARCHI_ERROR, code);
  g_test_message ("%s: %s", path, error->message);
  /* Nothing half-saved: no row, no stray file. */
  g_assert_cmpint (count_rows (f), ==, 0);
  g_assert_cmpuint (count_files (f->media_dir), ==, 0);
}

static void
test_import_rejects (Fixture *f, gconstpointer data)
{
  g_autofree char *garbage = fixture_file (f, "garbage.wav");
  g_autofree char *text = fixture_file (f, "letter.wav");
  g_autofree char *empty = fixture_file (f, "empty.mp3");
  g_autofree char *short_tone = fixture_file (f, "short.wav");
  g_autofree char *long_wav = fixture_file (f, "long.wav");
  g_autofree char *ok = fixture_file (f, "ok.flac");
  g_autoptr(GBytes) silence = NULL;
  g_autoptr(GError) error = NULL;
  gsize long_samples = (gsize) (JARCHI_MEDIA_MAX_DURATION_MS / 1000 + 1) * 8000;
  g_autofree guint8 *noise = g_malloc (4096);

  for (gsize i = 0; i < 4096; i++)
    noise[i] = (i * 7919 + 13) & 0xff;
  g_assert_true (g_file_set_contents (garbage, (const char *) noise, 4096, NULL));
  g_assert_true (g_file_set_contents (text, "This is not audio at all.\n", -1, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (make_tone_file (short_tone, tone_format ("wav"), 1000, 200));
  silence = g_bytes_new_take (g_malloc0 (long_samples * 2), long_samples * 2);
  g_assert_true (jarchi_audio_write_wav (long_wav, silence, 8000, &error));
  g_assert_no_error (error);
  g_assert_true (make_tone_file (ok, tone_format ("flac"), 1000, 1000));

  assert_import_fails (f, garbage, JARCHI_ERROR_MEDIA);
  assert_import_fails (f, text, JARCHI_ERROR_MEDIA);
  assert_import_fails (f, empty, JARCHI_ERROR_INVALID_ARGUMENT);
  assert_import_fails (f, short_tone, JARCHI_ERROR_INVALID_ARGUMENT);
  assert_import_fails (f, long_wav, JARCHI_ERROR_INVALID_ARGUMENT);

  jarchi_media_library_set_max_upload_size (f->library, 1024);
  assert_import_fails (f, ok, JARCHI_ERROR_INVALID_ARGUMENT);
}

static void
test_synthesize (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiMedia) uz = NULL;
  g_autoptr(JarchiMedia) same = NULL;
  g_autoptr(JarchiMedia) ru = NULL;
  gboolean created = FALSE;
  g_autofree char *contents = NULL;
  gsize size;
  Wav wav;

  uz = jarchi_media_library_synthesize (f->library, "Assalomu alaykum! Ertaga majlis bo'ladi.", "uz",
                                        &created, &error);
  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_cmpstr (uz->kind, ==, "tts");
  g_assert_cmpstr (uz->lang, ==, "uz");
  g_assert_cmpstr (uz->text, ==, "Assalomu alaykum! Ertaga majlis bo'ladi.");
  g_assert_cmpstr (uz->name, ==, "Assalomu alaykum! Ertaga majlis bo'ladi.");
  g_assert_cmpint (uz->duration_ms, >, 1000);

  g_assert_true (g_file_get_contents (uz->path, &contents, &size, NULL));
  g_assert_true (parse_wav ((const guint8 *) contents, size, &wav));
  g_assert_cmpuint (wav.rate, ==, 8000);
  g_assert_cmpuint (wav.channels, ==, 1);
  g_assert_cmpfloat (rms (wav.samples, wav.n_samples), >, 500);

  /* The same text again (white space aside) is the same message, not a new synthesis. */
  same = jarchi_media_library_synthesize (f->library, "  Assalomu alaykum! Ertaga majlis bo'ladi.\n",
                                          "uz", &created, &error);
  g_assert_no_error (error);
  g_assert_false (created);
  g_assert_cmpint (same->id, ==, uz->id);

  /* The same text in another language is another message. */
  ru = jarchi_media_library_synthesize (f->library, "Assalomu alaykum! Ertaga majlis bo'ladi.", "ru",
                                        &created, &error);
  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_cmpint (ru->id, !=, uz->id);
  g_assert_cmpint (count_rows (f), ==, 2);
  g_assert_cmpuint (count_files (f->media_dir), ==, 4);

  g_assert_null (jarchi_media_library_synthesize (f->library, "   ", "uz", &created, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (jarchi_media_library_synthesize (f->library, "Hallo", "de", &created, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (count_rows (f), ==, 2);
}

static void
test_list_delete (Fixture *f, gconstpointer data)
{
  g_autofree char *src = fixture_file (f, "tone.wav");
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiMedia) a = NULL;
  g_autoptr(JarchiMedia) b = NULL;
  g_autoptr(JarchiMedia) c = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint total = 0;

  g_assert_true (make_tone_file (src, tone_format ("wav"), 1000, 500));
  a = jarchi_media_library_import_file (f->library, src, "a", &error);
  g_assert_no_error (error);
  b = jarchi_media_library_synthesize (f->library, "Hello there.", "en", NULL, &error);
  g_assert_no_error (error);
  c = jarchi_media_library_import_file (f->library, src, "c", &error);
  g_assert_no_error (error);

  items = jarchi_media_library_list (f->library, NULL, 0, 0, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 3);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpint (((JarchiMedia *) items->pdata[0])->id, ==, c->id);   /* newest first */
  g_clear_pointer (&items, g_ptr_array_unref);

  items = jarchi_media_library_list (f->library, "upload", 1, 1, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 2);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpint (((JarchiMedia *) items->pdata[0])->id, ==, a->id);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* A campaign playing message a keeps it. */
  stmt = jarchi_store_prepare (f->store, "INSERT INTO campaigns (name, media_id) VALUES ('drill', ?1);", &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, a->id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_false (jarchi_media_library_delete (f->library, a->id, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_true (g_file_test (a->path, G_FILE_TEST_EXISTS));

  g_assert_true (jarchi_media_library_delete (f->library, b->id, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (b->path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (f->media_dir), ==, 4);   /* a and c, two files each */
  g_assert_null (jarchi_media_library_get (f->library, b->id, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (jarchi_media_library_delete (f->library, b->id, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
}

static void
test_g711_from_library (Fixture *f, gconstpointer data)
{
  g_autofree char *src = fixture_file (f, "tone.opus");
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiMedia) media = NULL;
  g_autoptr(GBytes) frames = NULL;
  g_autofree gint16 *back = NULL;
  const guint8 *code;
  gsize size;

  g_assert_true (make_tone_file (src, tone_format ("opus"), 1000, 1200));
  media = jarchi_media_library_import_file (f->library, src, NULL, &error);
  g_assert_no_error (error);
  frames = jarchi_media_library_load_g711 (f->library, media->id, JARCHI_G711_ULAW, &error);
  g_assert_no_error (error);
  code = g_bytes_get_data (frames, &size);
  g_assert_cmpuint (size % JARCHI_AUDIO_FRAME_SAMPLES, ==, 0);
  g_assert_cmpuint (size / JARCHI_AUDIO_FRAME_SAMPLES, ==, (media->duration_ms * 8 + 159) / 160);
  back = g_new (gint16, size);
  for (gsize i = 0; i < size; i++)
    back[i] = ulaw_to_linear (code[i]);
  assert_1khz (back, size);

  g_assert_null (jarchi_media_library_load_g711 (f->library, 999, JARCHI_G711_ALAW, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
}

typedef struct {
  JarchiMedia *media;
  GBytes      *frames;
  GError      *error;
  gboolean     created;
  gboolean     done;
} AsyncResult;

static void
import_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  AsyncResult *r = user_data;
  r->media = jarchi_media_library_import_finish (JARCHI_MEDIA_LIBRARY (source), res, &r->error);
  r->done = TRUE;
}

static void
synthesize_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  AsyncResult *r = user_data;
  r->media = jarchi_media_library_synthesize_finish (JARCHI_MEDIA_LIBRARY (source), res, &r->created,
                                                     &r->error);
  r->done = TRUE;
}

static void
g711_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  AsyncResult *r = user_data;
  r->frames = jarchi_media_library_load_g711_finish (JARCHI_MEDIA_LIBRARY (source), res, &r->error);
  r->done = TRUE;
}

static void
wait_for (AsyncResult *r)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!r->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (r->done);
}

static void
count_signal (JarchiMediaLibrary *library, gint64 id, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_async (Fixture *f, gconstpointer data)
{
  g_autofree char *src = fixture_file (f, "tone.mp3");
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  AsyncResult r = { 0 };
  guint added = 0, removed = 0;
  gsize size;

  g_signal_connect (f->library, "media-added", G_CALLBACK (count_signal), &added);
  g_signal_connect (f->library, "media-removed", G_CALLBACK (count_signal), &removed);

  if (!make_tone_file (src, tone_format ("mp3"), 1000, 1000))
    g_assert_true (make_tone_file (src, tone_format ("ogg"), 1000, 1000));
  g_assert_true (g_file_get_contents (src, &contents, &size, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), size);

  jarchi_media_library_import_bytes_async (f->library, bytes, "From memory", "../../etc/x", NULL,
                                           import_done, &r);
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.media->name, ==, "From memory");
  g_assert_cmpint (ABS (r.media->duration_ms - 1000), <=, 60);
  g_assert_cmpuint (added, ==, 1);
  {
    /* The client's "extension" never reaches the file system. */
    g_autofree char *orig = g_strdup_printf ("%s/%" G_GINT64_FORMAT ".orig.bin", f->media_dir, r.media->id);
    g_assert_true (g_file_test (orig, G_FILE_TEST_IS_REGULAR));
  }
  assert_normalised_tone (r.media->path, r.media->duration_ms);

  {
    AsyncResult g = { 0 };

    jarchi_media_library_load_g711_async (f->library, r.media->id, JARCHI_G711_ALAW, NULL, g711_done, &g);
    wait_for (&g);
    g_assert_no_error (g.error);
    g_assert_cmpuint (g_bytes_get_size (g.frames) % JARCHI_AUDIO_FRAME_SAMPLES, ==, 0);
    g_bytes_unref (g.frames);
  }

  g_assert_true (jarchi_media_library_delete (f->library, r.media->id, NULL));
  g_assert_cmpuint (removed, ==, 1);
  g_clear_pointer (&r.media, jarchi_media_free);

  for (int round = 0; round < 2; round++)
    {
      memset (&r, 0, sizeof r);
      jarchi_media_library_synthesize_async (f->library, "Привет всем.", "ru", NULL, synthesize_done, &r);
      wait_for (&r);
      g_assert_no_error (r.error);
      g_assert_cmpint (r.created, ==, round == 0);
      g_clear_pointer (&r.media, jarchi_media_free);
    }
  g_assert_cmpuint (added, ==, 2);

  memset (&r, 0, sizeof r);
  jarchi_media_library_synthesize_async (f->library, "", "ru", NULL, synthesize_done, &r);
  wait_for (&r);
  g_assert_error (r.error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&r.error);

  memset (&r, 0, sizeof r);
  {
    g_autoptr(GBytes) junk = g_bytes_new_static ("not audio, just words", 21);
    jarchi_media_library_import_bytes_async (f->library, junk, NULL, "wav", NULL, import_done, &r);
  }
  wait_for (&r);
  g_assert_error (r.error, JARCHI_ERROR, JARCHI_ERROR_MEDIA);
  g_clear_error (&r.error);
  g_assert_cmpint (count_rows (f), ==, 1);
  g_assert_cmpuint (count_files (f->media_dir), ==, 2);
}

static void
test_leftovers (Fixture *f, gconstpointer data)
{
  g_autofree char *stray = g_build_filename (f->media_dir, ".tmp-abcdef.wav", NULL);
  g_autofree char *kept = g_build_filename (f->media_dir, "notes.txt", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (stray, "half", -1, NULL));
  g_assert_true (g_file_set_contents (kept, "mine", -1, NULL));
  g_clear_object (&f->library);
  f->library = jarchi_media_library_new (f->store, f->media_dir, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (stray, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (kept, G_FILE_TEST_EXISTS));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (tone_formats); i++)
    {
      g_autofree char *path = g_strconcat ("/media-library/decode/", tone_formats[i].name, NULL);
      g_test_add_data_func (path, tone_formats[i].name, test_decode_format);
    }
  g_test_add_func ("/media-library/decode/rejects", test_decode_rejects);
  g_test_add_func ("/media-library/decode/limit", test_decode_limit);
  g_test_add_func ("/media-library/decode/video", test_decode_video);
  g_test_add_func ("/media-library/g711", test_g711);
  g_test_add_func ("/media-library/tts/languages", test_tts_languages);
  g_test_add_func ("/media-library/tts/rejects", test_tts_rejects);
  g_test_add_func ("/media-library/tts/threads", test_tts_threads);
  g_test_add ("/media-library/import", Fixture, NULL, fixture_setup, test_import, fixture_teardown);
  g_test_add ("/media-library/import-rejects", Fixture, NULL, fixture_setup, test_import_rejects, fixture_teardown);
  g_test_add ("/media-library/synthesize", Fixture, NULL, fixture_setup, test_synthesize, fixture_teardown);
  g_test_add ("/media-library/list-delete", Fixture, NULL, fixture_setup, test_list_delete, fixture_teardown);
  g_test_add ("/media-library/g711-from-library", Fixture, NULL, fixture_setup, test_g711_from_library, fixture_teardown);
  g_test_add ("/media-library/async", Fixture, NULL, fixture_setup, test_async, fixture_teardown);
  g_test_add ("/media-library/leftovers", Fixture, NULL, fixture_setup, test_leftovers, fixture_teardown);

  return g_test_run ();
}
