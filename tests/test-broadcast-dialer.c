/* Tests of JarchiBroadcastDialer with real peers on 127.0.0.1: errors, the message's decoding, heard by content through Kamailio, digits by RFC 4733, SIP INFO and in-band tones. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <math.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "broadcast-fixture.h"

/* ---- audio checks ---------------------------------------------------------------------------- */

/* Share of the energy of N samples at FREQ (1.0 for a pure tone on a bin). */
static double
goertzel_share (const gint16 *samples, gsize n, double freq)
{
  double coeff = 2.0 * cos (2.0 * G_PI * freq / 8000);
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

static double
rms (const gint16 *samples, gsize n)
{
  double sum = 0;

  for (gsize i = 0; i < n; i++)
    sum += (double) samples[i] * samples[i];
  return n ? sqrt (sum / n) : 0;
}

/* The 16-bit samples of a RIFF/WAVE file's data chunk; FALSE if it is not one at 8 kHz. */
static gboolean
wav_samples (const guint8 *data, gsize size, const gint16 **samples, gsize *n)
{
  gsize pos = 12;
  guint rate = 0;

  if (size < 12 || memcmp (data, "RIFF", 4) != 0 || memcmp (data + 8, "WAVE", 4) != 0)
    return FALSE;
  while (pos + 8 <= size)
    {
      guint32 len = GUINT32_FROM_LE (*(const guint32 *) (data + pos + 4));

      if (pos + 8 + len > size)
        return FALSE;
      if (memcmp (data + pos, "fmt ", 4) == 0 && len >= 16)
        rate = GUINT32_FROM_LE (*(const guint32 *) (data + pos + 12));
      else if (memcmp (data + pos, "data", 4) == 0)
        {
          *samples = (const gint16 *) (data + pos + 8);
          *n = len / 2;
          return rate == 8000;
        }
      pos += 8 + len + (len & 1);
    }
  return FALSE;
}

/* Answers, presses 5 (dtmf-relay) and # (application/dtmf) by SIP INFO, then sends the first
 * INFO again as if it had been retransmitted: it gets its 200 again, and is no second 5. */
static const char info_xml[] =
  SCEN_HEAD RECV_INVITE_KEEP RESPONSE ("180 Ringing")
  ANSWER ("[media_port]", "0 101", "a=rtpmap:0 PCMU/8000\n" EVENT_MAP)
  "<pause milliseconds=\"500\"/>\n"
  INFO_REQUEST ("", "z9hG4bK-again[call_number]", "2", "application/dtmf-relay", DIGIT_5)
  "<recv response=\"200\"/>\n"
  "<pause milliseconds=\"300\"/>\n"
  UAS_INFO ("3", "application/dtmf", "#")
  INFO_REQUEST ("", "z9hG4bK-again[call_number]", "2", "application/dtmf-relay", DIGIT_5)
  "<recv response=\"200\"/>\n"
  WAIT_BYE SCEN_TAIL;

/* Answers with PCMU only and plays @LAB_DIR@/keys.ul: digits as tones in the audio. */
static const char inband_xml[] =
  SCEN_HEAD RECV_INVITE RESPONSE ("180 Ringing")
  "<send retrans=\"500\"><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n"
  "[last_To:];tag=[pid]b[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n[last_Record-Route:]\n"
  "Contact: <sip:b@[local_ip]:[local_port]>\nContent-Type: application/sdp\nContent-Length: [len]\n\n"
  "v=0\no=b 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\n"
  "m=audio [rtpstream_audio_port] RTP/AVP 0\na=rtpmap:0 PCMU/8000\na=ptime:20\na=sendrecv\n]]></send>\n"
  "<recv request=\"ACK\" crlf=\"true\"><action>\n"
  "<exec rtp_stream=\"@LAB_DIR@/keys.ul,1,0\"/>\n"
  "</action></recv>\n"
  WAIT_BYE
  "<nop><action><exec rtp_stream=\"pause\"/></action></nop>\n"
  SCEN_TAIL;

/* ---- tests ------------------------------------------------------------------------------------- */

static void
got_result (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
result_in (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
prepare (Fixture *f, guint media_id, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jarchi_broadcast_dialer_prepare_async (f->dialer, media_id, NULL, got_result, &result);
  g_assert_true (sip_lab_wait (result_in, &result, 30000));
  return jarchi_broadcast_dialer_prepare_finish (f->dialer, result, error);
}

static void
test_errors (Fixture *f, gconstpointer data)
{
  JarchiCampaignDialer *dialer = JARCHI_CAMPAIGN_DIALER (f->dialer);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (jarchi_campaign_dialer_place_call (dialer, 0, "sip:b@127.0.0.1:5", 999, 5, &error), ==, 0);
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (jarchi_campaign_dialer_place_call (dialer, 42, "sip:b@127.0.0.1:5", f->media_id, 5, &error), ==, 0);
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (jarchi_campaign_dialer_place_call (dialer, 0, "hello world", f->media_id, 5, &error), ==, 0);
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (jarchi_campaign_dialer_replay (dialer, 12345, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (jarchi_campaign_dialer_hangup (dialer, 12345, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (prepare (f, 999, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (prepare (f, f->media_id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (jarchi_broadcast_dialer_get_n_calls (f->dialer), ==, 0);
}

/* ---- the message is decoded in a worker thread: calls placed meanwhile wait for it ---- */

static void
test_decode_waits (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiMedia) broken = NULL;
  g_autoptr(JarchiMedia) media = NULL;
  g_autofree char *copy = NULL, *xml = NULL, *path = NULL;
  guint port, first, gone, bad;
  gint64 t0;
  CallLog *c;

  /* Placed before anything was decoded: dialled once the message is ready, and played whole. */
  xml = g_strdup_printf (to_sink_xml, 9);
  path = sip_lab_scenario (f->lab, "to-nowhere", xml);
  port = start_sipp (f, "uas", path, "-m 1");
  t0 = g_get_monotonic_time ();
  first = place_sipp (f, port, 10);
  /* place_call () returned without waiting for GStreamer (well under a decode's time even on
   * a loaded machine), and one placed while it decodes is ended without a SIP request. */
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 200000);
  gone = place_sipp (f, port, 10);
  hang_up (f, gone);
  c = wait_ended (f, gone, 5000);
  assert_ended (c, 0, JARCHI_DIAL_OUTCOME_NO_ANSWER);
  c = wait_log (f, first, "AP", 15000);
  hang_up (f, first);
  c = wait_ended (f, first, 5000);
  g_assert_cmpstr (c->log->str, ==, "APE");
  assert_sipp_ok (f, "uas");

  /* A message that cannot be decoded (a second media, its file spoiled on disk after the
   * import): a call placed with it ends as failed without a SIP request, and so does prepare. */
  media = jarchi_media_library_get (f->library, f->media_id, &error);
  g_assert_no_error (error);
  copy = g_build_filename (f->lab->root, "second.wav", NULL);
  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "cp '%s' '%s'", media->path, copy), ==, 0);
  broken = jarchi_media_library_import_file (f->library, copy, "second", &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (broken->path, "not audio at all", -1, NULL));
  bad = jarchi_campaign_dialer_place_call (JARCHI_CAMPAIGN_DIALER (f->dialer), JARCHI_ACCOUNT_NONE,
                                           "sip:b@127.0.0.1:9", (guint) broken->id, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bad, >, 0);
  c = wait_ended (f, bad, 30000);
  assert_ended (c, 0, JARCHI_DIAL_OUTCOME_FAILED);
  g_assert_false (prepare (f, (guint) broken->id, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (jarchi_broadcast_dialer_get_n_calls (f->dialer), ==, 0);
}

/* ---- through Kamailio (digest auth) to baresip: heard by content, RFC 4733 back ---- */

static void
test_baresip (Fixture *f, gconstpointer data)
{
  g_autoptr(JarchiAccount) account = NULL;
  g_autofree char *wav = NULL, *contents = NULL;
  gsize size = 0;
  guint kport, id, tone_blocks = 0, blocks;
  const gint16 *samples = NULL;
  gsize n_samples = 0;
  gint64 call_us;
  CallLog *c;

  kport = sip_lab_kamailio (f->lab, "kam", TRUE);
  g_assert_cmpint (sip_lab_sh (f->lab, NULL,
                               "lab_baresip_start \"$ROOT/alice\" 0 --user 1001 --registrar 127.0.0.1:%u"
                               " --password secret --tone 440", kport), ==, 0);
  account = register_lab_account (f, kport);

  /* A bare number, at the account's domain, through Kamailio (407 then digest). */
  id = place (f, "1001", jarchi_account_get_id (account), 15);
  c = wait_log (f, id, "AP", 10000);
  call_us = -c->answered_at;
  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "lab_baresip_dtmf \"$ROOT/alice\" 4"), ==, 0);
  c = wait_log (f, id, "APD", 5000);
  sip_lab_spin (1500);
  g_assert_cmpstr (c->digits->str, ==, "4");
  g_assert_cmpint (g_array_index (c->methods, JarchiDtmfMethod, 0), ==, JARCHI_DTMF_METHOD_RFC4733);
  hang_up (f, id);
  c = wait_ended (f, id, 5000);
  g_assert_cmpstr (c->log->str, ==, "APDE");
  call_us += g_get_monotonic_time ();
  assert_ended (c, 200, JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US);
  sip_lab_spin (500);

  /* What alice heard: the 1 kHz message, then silence that kept RTP flowing to the end. */
  g_assert_cmpint (sip_lab_sh (f->lab, &wav, "lab_baresip_recordings \"$ROOT/alice\" dec | tail -n 1"), ==, 0);
  g_assert_true (g_file_get_contents (wav, &contents, &size, NULL));
  g_assert_true (wav_samples ((const guint8 *) contents, size, &samples, &n_samples));
  blocks = n_samples / 400;
  for (guint b = 0; b < blocks; b++)
    if (rms (samples + b * 400, 400) > 1000 && goertzel_share (samples + b * 400, 400, 1000) > 0.8)
      tone_blocks++;
  g_test_message ("recording %.2f s, call %.2f s, %u of %u blocks at 1 kHz",
                  n_samples / 8000.0, call_us / 1e6, tone_blocks, blocks);
  g_assert_cmpuint (tone_blocks, >=, (MESSAGE_MS / 50) * 3 / 4);
  g_assert_cmpuint (tone_blocks, <=, (MESSAGE_MS / 50) + 2);
  g_assert_cmpfloat (n_samples / 8000.0, >=, call_us / 1e6 - 1.0);
}

/* ---- SIP INFO and in-band digits ---- */

static void
test_info (Fixture *f, gconstpointer data)
{
  g_autofree char *path = sip_lab_scenario (f->lab, "info", info_xml);
  guint port = start_sipp (f, "uas", path, NULL);
  guint id = place_sipp (f, port, 10);
  CallLog *c;

  (void) wait_log (f, id, "A", 10000);
  sip_lab_spin (2000);
  c = call_log (f, id);
  g_assert_cmpstr (c->digits->str, ==, "5#");
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (g_array_index (c->methods, JarchiDtmfMethod, i), ==, JARCHI_DTMF_METHOD_INFO);
  hang_up (f, id);
  c = wait_ended (f, id, 5000);
  assert_ended (c, 200, JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US);
  assert_sipp_ok (f, "uas");
}

static void
test_inband (Fixture *f, gconstpointer data)
{
  g_autofree char *path = sip_lab_scenario (f->lab, "inband", inband_xml);
  guint port, id;
  CallLog *c;

  /* 7, 7 again after a pause, then #: 200 ms tones in PCMU after half a second */
  g_assert_cmpint (sip_lab_sh (f->lab, NULL,
    "mkdir -p \"$ROOT/uas\" && cd \"$ROOT/uas\" && "
    "sox -q -n -r 8000 -c 1 -b 16 s.wav trim 0 0.5 && "
    "sox -q -n -r 8000 -c 1 -b 16 k7.wav synth 0.2 sine 852 sine 1209 channels 1 gain -3 pad 0 0.4 && "
    "sox -q -n -r 8000 -c 1 -b 16 kh.wav synth 0.2 sine 941 sine 1477 channels 1 gain -3 pad 0 3 && "
    "sox -q s.wav k7.wav k7.wav kh.wav -t ul keys.ul"), ==, 0);
  port = start_sipp (f, "uas", path, NULL);
  id = place_sipp (f, port, 10);
  (void) wait_log (f, id, "A", 10000);
  sip_lab_spin (3000);
  c = call_log (f, id);
  g_assert_cmpstr (c->digits->str, ==, "77#");
  for (guint i = 0; i < c->methods->len; i++)
    g_assert_cmpint (g_array_index (c->methods, JarchiDtmfMethod, i), ==, JARCHI_DTMF_METHOD_INBAND);
  hang_up (f, id);
  c = wait_ended (f, id, 5000);
  assert_ended (c, 200, JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US);
  assert_sipp_ok (f, "uas");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func, timeout) \
  g_test_add ("/broadcast-dialer/" name, Fixture, GUINT_TO_POINTER (timeout), fixture_setup, func, \
              fixture_teardown)
  ADD ("errors", test_errors, 30);
  ADD ("decode-waits", test_decode_waits, 60);
  ADD ("baresip", test_baresip, 60);
  ADD ("info", test_info, 40);
  ADD ("inband", test_inband, 40);
#undef ADD

  return g_test_run ();
}
