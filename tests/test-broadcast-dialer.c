/* Tests of JarchiBroadcastDialer with real peers on 127.0.0.1: the message by content and by RTP header, every DTMF method, every outcome, 50 calls at once. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <string.h>

#include <math.h>

#include "jarchi-broadcast-dialer.h"
#include "jarchi-error.h"
#include "sip-lab.h"

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

/* ---- SIPp scenarios ------------------------------------------------------------------------ */

#define SCEN_HEAD "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n<scenario name=\"broadcast\">\n"
#define SCEN_TAIL "</scenario>\n"
#define RECV_INVITE "<recv request=\"INVITE\" crlf=\"true\" rrs=\"true\"/>\n"
/* For scenarios that send requests of their own in the dialog. */
#define RECV_INVITE_KEEP \
  "<recv request=\"INVITE\" crlf=\"true\" rrs=\"true\"><action>\n" \
  "<ereg regexp=\".*\" search_in=\"hdr\" header=\"From:\" assign_to=\"invite_from\"/>\n" \
  "<ereg regexp=\".*\" search_in=\"hdr\" header=\"To:\" assign_to=\"invite_to\"/>\n" \
  "</action></recv>\n"
#define RESPONSE(code) \
  "<send><![CDATA[\nSIP/2.0 " code "\n[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]b[call_number]\n" \
  "[last_Call-ID:]\n[last_CSeq:]\n[last_Record-Route:]\nContact: <sip:b@[local_ip]:[local_port]>\n" \
  "Content-Length: 0\n\n]]></send>\n"
/* 200 with SDP: PORT is a SIPp keyword or a number, FORMATS the m= line's list. */
#define ANSWER(port, formats, rtpmaps) \
  "<send retrans=\"500\"><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n" \
  "[last_To:];tag=[pid]b[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n[last_Record-Route:]\n" \
  "Contact: <sip:b@[local_ip]:[local_port]>\nContent-Type: application/sdp\nContent-Length: [len]\n\n" \
  "v=0\no=b 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\nm=audio " port " RTP/AVP " \
  formats "\n" rtpmaps "a=ptime:20\na=sendrecv\n]]></send>\n" \
  "<recv request=\"ACK\" crlf=\"true\"/>\n"
#define EVENT_MAP "a=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\n"
#define WAIT_BYE \
  "<recv request=\"BYE\" timeout=\"30000\"/>\n" \
  "<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n" \
  "[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n"
#define UAS_INFO(cseq, ctype, body) \
  "<send retrans=\"500\"><![CDATA[\nINFO [next_url] SIP/2.0\n" \
  "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n[routes]\n" \
  "From: [$invite_to];tag=[pid]b[call_number]\nTo: [$invite_from]\n[last_Call-ID:]\n" \
  "CSeq: " cseq " INFO\nMax-Forwards: 70\nContact: <sip:b@[local_ip]:[local_port]>\n" \
  "Content-Type: " ctype "\nContent-Length: [len]\n\n" body "]]></send>\n" \
  "<recv response=\"200\"/>\n"

/* Answers with PCMA (and telephone-event); our RTP goes to the test's own socket, %u. */
static const char to_sink_xml[] =
  SCEN_HEAD RECV_INVITE RESPONSE ("180 Ringing")
  ANSWER ("%u", "8 101", "a=rtpmap:8 PCMA/8000\n" EVENT_MAP) WAIT_BYE SCEN_TAIL;

/* Answers, then presses 5 (dtmf-relay) and # (application/dtmf) by SIP INFO. */
static const char info_xml[] =
  SCEN_HEAD RECV_INVITE_KEEP RESPONSE ("180 Ringing")
  ANSWER ("[media_port]", "0 101", "a=rtpmap:0 PCMU/8000\n" EVENT_MAP)
  "<pause milliseconds=\"500\"/>\n"
  UAS_INFO ("2", "application/dtmf-relay", "Signal=5\nDuration=160\n")
  "<pause milliseconds=\"300\"/>\n"
  UAS_INFO ("3", "application/dtmf", "#")
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

static const char decline_xml[] =
  SCEN_HEAD RECV_INVITE RESPONSE ("180 Ringing") "<pause milliseconds=\"200\"/>\n"
  RESPONSE ("603 Decline") "<recv request=\"ACK\"/>\n" SCEN_TAIL;

static const char notfound_xml[] =
  SCEN_HEAD RECV_INVITE RESPONSE ("404 Not Found") "<recv request=\"ACK\"/>\n" SCEN_TAIL;

/* Answers with a codec we do not offer: we must hang up at once. */
static const char badcodec_xml[] =
  SCEN_HEAD RECV_INVITE ANSWER ("[media_port]", "18", "a=rtpmap:18 G729/8000\n") WAIT_BYE SCEN_TAIL;

/* Many calls: answers each and waits for our BYE; no media of its own. */
static const char quiet_xml[] =
  SCEN_HEAD RECV_INVITE RESPONSE ("180 Ringing")
  ANSWER ("[media_port]", "0 101", "a=rtpmap:0 PCMU/8000\n" EVENT_MAP) WAIT_BYE SCEN_TAIL;

/* ---- fixture ---------------------------------------------------------------------------------- */

typedef struct {
  guint             id;
  GString          *log;       /* A answered, P playback finished, D digit, E ended */
  GString          *digits;
  GArray           *methods;   /* JarchiDtmfMethod per digit */
  guint             code;
  JarchiDialOutcome outcome;
  gint64            answered_at;
  gint64            played_at;
} CallLog;

typedef struct {
  SipLab                *lab;
  JarchiStore           *store;
  JarchiMediaLibrary    *library;
  JarchiCallManager     *manager;
  JarchiBroadcastDialer *dialer;
  guint                  media_id;    /* 1 kHz, MESSAGE_MS */
  GHashTable            *calls;       /* id -> CallLog */
  guint                  n_answered;
  guint                  n_ended;
  guint                  max_up;      /* answered and not ended, at most */
  guint                  up;
} Fixture;

#define MESSAGE_MS 1000

static void
call_log_free (gpointer data)
{
  CallLog *c = data;

  g_string_free (c->log, TRUE);
  g_string_free (c->digits, TRUE);
  g_array_unref (c->methods);
  g_free (c);
}

static CallLog *
call_log (Fixture *f,
          guint    id)
{
  CallLog *c = g_hash_table_lookup (f->calls, GUINT_TO_POINTER (id));

  if (c == NULL)
    {
      c = g_new0 (CallLog, 1);
      c->id = id;
      c->log = g_string_new (NULL);
      c->digits = g_string_new (NULL);
      c->methods = g_array_new (FALSE, FALSE, sizeof (JarchiDtmfMethod));
      g_hash_table_insert (f->calls, GUINT_TO_POINTER (id), c);
    }
  return c;
}

static void
on_answered (JarchiCampaignDialer *dialer, guint id, Fixture *f)
{
  CallLog *c = call_log (f, id);

  g_string_append_c (c->log, 'A');
  c->answered_at = g_get_monotonic_time ();
  f->n_answered++;
  f->up++;
  f->max_up = MAX (f->max_up, f->up);
}

static void
on_played (JarchiCampaignDialer *dialer, guint id, Fixture *f)
{
  CallLog *c = call_log (f, id);

  g_string_append_c (c->log, 'P');
  c->played_at = g_get_monotonic_time ();
}

static void
on_dtmf (JarchiCampaignDialer *dialer, guint id, gchar digit, guint method, Fixture *f)
{
  CallLog *c = call_log (f, id);
  JarchiDtmfMethod m = method;

  g_test_message ("call %u: digit %c by method %u", id, digit, method);
  g_string_append_c (c->log, 'D');
  g_string_append_c (c->digits, digit);
  g_array_append_val (c->methods, m);
}

static void
on_ended (JarchiCampaignDialer *dialer, guint id, guint code, guint outcome, Fixture *f)
{
  CallLog *c = call_log (f, id);

  g_test_message ("call %u ended: %u, outcome %u", id, code, outcome);
  if (strchr (c->log->str, 'A') != NULL)
    f->up--;
  g_string_append_c (c->log, 'E');
  c->code = code;
  c->outcome = outcome;
  f->n_ended++;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiMedia) media = NULL;
  g_autofree char *db = NULL, *dir = NULL, *wav = NULL;

  f->lab = sip_lab_new (GPOINTER_TO_UINT (data) ? GPOINTER_TO_UINT (data) : 60);
  db = g_build_filename (f->lab->root, "jarchi.db", NULL);
  f->store = jarchi_store_open (db, &error);
  g_assert_no_error (error);
  dir = g_build_filename (f->lab->root, "media", NULL);
  f->library = jarchi_media_library_new (f->store, dir, &error);
  g_assert_no_error (error);
  wav = g_build_filename (f->lab->root, "message.wav", NULL);
  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "sox -q -n -r 8000 -c 1 -b 16 '%s' synth %g sine 1000 vol 0.5",
                               wav, MESSAGE_MS / 1000.0), ==, 0);
  media = jarchi_media_library_import_file (f->library, wav, "Test message", &error);
  g_assert_no_error (error);
  f->media_id = (guint) media->id;

  f->manager = jarchi_call_manager_new ("127.0.0.1", 0, f->lab->root, &error);
  g_assert_no_error (error);
  f->dialer = jarchi_broadcast_dialer_new (f->manager, f->library);
  g_assert_nonnull (f->dialer);
  f->calls = g_hash_table_new_full (NULL, NULL, NULL, call_log_free);
  g_signal_connect (f->dialer, "call-answered", G_CALLBACK (on_answered), f);
  g_signal_connect (f->dialer, "playback-finished", G_CALLBACK (on_played), f);
  g_signal_connect (f->dialer, "call-dtmf", G_CALLBACK (on_dtmf), f);
  g_signal_connect (f->dialer, "call-ended", G_CALLBACK (on_ended), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->dialer);
  jarchi_call_manager_shutdown (f->manager);
  g_clear_object (&f->manager);
  g_clear_object (&f->library);
  g_clear_object (&f->store);
  g_hash_table_unref (f->calls);
  sip_lab_free (f->lab);
}

/* ---- helpers ----------------------------------------------------------------------------------- */

static guint
start_sipp (Fixture *f, const char *dir, const char *scenario, const char *args)
{
  int rc = sip_lab_sh (f->lab, NULL, "lab_sipp_uas \"$ROOT/%s\" 0 '%s' %s", dir, scenario,
                       args ? args : "-m 1");

  g_assert_cmpint (rc, ==, 0);
  return sip_lab_read_uint (f->lab, dir, "port");
}

static void
assert_sipp_ok (Fixture *f, const char *dir)
{
  g_autofree char *errors = NULL;
  int rc = sip_lab_sh (f->lab, NULL, "lab_sipp_wait \"$ROOT/%s\" 20", dir);

  if (rc != 0)
    {
      (void) sip_lab_sh (f->lab, &errors, "tail -n 30 \"$ROOT/%s/sipp.errors\"", dir);
      g_test_message ("SIPp errors: %s", errors ? errors : "");
    }
  g_assert_cmpint (rc, ==, 0);
}

static guint
place (Fixture *f, const char *phone, guint account_id, guint ring_timeout_s)
{
  g_autoptr(GError) error = NULL;
  guint id = jarchi_campaign_dialer_place_call (JARCHI_CAMPAIGN_DIALER (f->dialer), account_id,
                                                phone, f->media_id, ring_timeout_s, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (id, >, 0);
  /* Nothing is emitted from inside place_call (). */
  g_assert_false (g_hash_table_contains (f->calls, GUINT_TO_POINTER (id)));
  (void) call_log (f, id);
  return id;
}

static guint
place_sipp (Fixture *f, guint port, guint ring_timeout_s)
{
  g_autofree char *uri = g_strdup_printf ("sip:b@127.0.0.1:%u", port);

  return place (f, uri, JARCHI_ACCOUNT_NONE, ring_timeout_s);
}

typedef struct {
  Fixture    *f;
  guint       id;
  const char *log;
} LogWait;

static gboolean
log_has (gpointer data)
{
  LogWait *w = data;
  CallLog *c = g_hash_table_lookup (w->f->calls, GUINT_TO_POINTER (w->id));

  return c != NULL && g_str_has_prefix (c->log->str, w->log);
}

/* Waits until the call's event log starts with LOG (e.g. "AP"). */
static CallLog *
wait_log (Fixture *f, guint id, const char *log, guint timeout_ms)
{
  LogWait w = { f, id, log };

  if (!sip_lab_wait (log_has, &w, timeout_ms))
    g_error ("call %u: events \"%s\", expected \"%s\"", id,
             call_log (f, id)->log->str, log);
  return call_log (f, id);
}

static void
hang_up (Fixture *f, guint id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (jarchi_campaign_dialer_hangup (JARCHI_CAMPAIGN_DIALER (f->dialer), id, &error));
  g_assert_no_error (error);
}

static gboolean
log_ended (gpointer data)
{
  LogWait *w = data;
  CallLog *c = g_hash_table_lookup (w->f->calls, GUINT_TO_POINTER (w->id));

  return c != NULL && strchr (c->log->str, 'E') != NULL;
}

static CallLog *
wait_ended (Fixture *f, guint id, guint timeout_ms)
{
  LogWait w = { f, id, NULL };

  if (!sip_lab_wait (log_ended, &w, timeout_ms))
    g_error ("call %u never ended (events \"%s\")", id, call_log (f, id)->log->str);
  return call_log (f, id);
}

/* Ended once, last, with CODE and OUTCOME. */
static void
assert_ended (CallLog *c, guint code, JarchiDialOutcome outcome)
{
  g_assert_cmpint (c->log->str[c->log->len - 1], ==, 'E');
  g_assert_true (strchr (c->log->str, 'E') == c->log->str + c->log->len - 1);
  g_assert_cmpuint (c->code, ==, code);
  g_assert_cmpint (c->outcome, ==, outcome);
}

/* ---- tests ------------------------------------------------------------------------------------- */

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
  g_assert_true (jarchi_broadcast_dialer_prepare (f->dialer, f->media_id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (jarchi_broadcast_dialer_get_n_calls (f->dialer), ==, 0);
}

/* ---- RTP as sent, header by header and byte by byte ---- */

typedef struct {
  GArray *packets;  /* Packet */
} Sink;

typedef struct {
  gint64  at;
  guint8  data[12 + 160];
  gsize   len;
} Packet;

static gboolean
sink_read (GSocket *socket, GIOCondition cond, gpointer data)
{
  Sink *sink = data;
  Packet p;
  gssize n;

  while ((n = g_socket_receive (socket, (char *) p.data, sizeof p.data, NULL, NULL)) > 0)
    {
      p.at = g_get_monotonic_time ();
      p.len = n;
      g_array_append_val (sink->packets, p);
    }
  return G_SOURCE_CONTINUE;
}

static guint16 rd16 (const guint8 *p) { return (guint16) (p[0] << 8 | p[1]); }
static guint32 rd32 (const guint8 *p) { return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3]; }

static void
test_rtp (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bind_addr = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSource) source = NULL;
  g_autoptr(GBytes) alaw = NULL;
  g_autofree char *xml = NULL, *path = NULL;
  Sink sink = { g_array_new (FALSE, FALSE, sizeof (Packet)) };
  const guint8 *frames;
  gsize frames_len;
  guint n_frames, port, id, replay_at = 0, markers = 0;
  CallLog *c;

  alaw = jarchi_media_library_load_g711 (f->library, f->media_id, JARCHI_G711_ALAW, &error);
  g_assert_no_error (error);
  frames = g_bytes_get_data (alaw, &frames_len);
  n_frames = frames_len / 160;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  bind_addr = g_inet_socket_address_new (lo, 0);
  g_assert_true (g_socket_bind (socket, bind_addr, FALSE, &error));
  g_socket_set_blocking (socket, FALSE);
  local = g_socket_get_local_address (socket, &error);
  source = g_socket_create_source (socket, G_IO_IN, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (sink_read), &sink, NULL);
  g_source_attach (source, NULL);

  xml = g_strdup_printf (to_sink_xml, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
  path = sip_lab_scenario (f->lab, "to-sink", xml);
  port = start_sipp (f, "uas", path, NULL);
  id = place_sipp (f, port, 10);

  c = wait_log (f, id, "AP", 10000);
  /* The message takes its own length to send, paced, not a burst. */
  g_assert_cmpint (c->played_at - c->answered_at, >=, (MESSAGE_MS - 60) * 1000);
  g_assert_cmpint (c->played_at - c->answered_at, <=, (MESSAGE_MS + 300) * 1000);
  sip_lab_spin (300);
  replay_at = sink.packets->len;
  g_assert_true (jarchi_campaign_dialer_replay (JARCHI_CAMPAIGN_DIALER (f->dialer), id, &error));
  g_assert_no_error (error);
  c = wait_log (f, id, "APP", 10000);
  sip_lab_spin (200);
  hang_up (f, id);
  c = wait_ended (f, id, 5000);
  g_assert_cmpstr (c->log->str, ==, "APPE");
  assert_ended (c, 200, JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US);
  assert_sipp_ok (f, "uas");
  g_source_destroy (source);

  /* One stream: PCMA, one SSRC, consecutive sequence numbers, 160 samples a packet, the
   * message byte for byte, then silence, then the message again after a marker. */
  g_test_message ("%u packets", sink.packets->len);
  g_assert_cmpuint (sink.packets->len, >=, 2 * n_frames + 20);
  for (guint i = 0; i < sink.packets->len; i++)
    {
      Packet *p = &g_array_index (sink.packets, Packet, i);
      Packet *first = &g_array_index (sink.packets, Packet, 0);
      gboolean marker = (p->data[1] & 0x80) != 0;

      g_assert_cmpuint (p->len, ==, 12 + 160);
      g_assert_cmpuint (p->data[0], ==, 0x80);
      g_assert_cmpuint (p->data[1] & 0x7f, ==, 8);
      g_assert_cmpuint (rd32 (p->data + 8), ==, rd32 (first->data + 8));
      g_assert_cmpuint ((guint16) (rd16 (p->data + 2) - rd16 (first->data + 2)), ==, (guint16) i);
      g_assert_cmpuint (rd32 (p->data + 4) - rd32 (first->data + 4), ==, 160u * i);
      if (marker)
        {
          markers++;
          if (i > 0)
            {
              g_assert_cmpuint (i, >=, replay_at);
              g_assert_cmpuint (i, <=, replay_at + 3);
              replay_at = i;
            }
        }
      if (i < n_frames)
        g_assert_cmpmem (p->data + 12, 160, frames + i * 160, 160);
      else if (i >= replay_at && i < replay_at + n_frames && markers == 2)
        g_assert_cmpmem (p->data + 12, 160, frames + (i - replay_at) * 160, 160);
      else
        for (guint b = 0; b < 160; b++)
          g_assert_cmpuint (p->data[12 + b], ==, 0xd5);
    }
  g_assert_cmpuint (markers, ==, 2);
  g_assert_true ((g_array_index (sink.packets, Packet, 0).data[1] & 0x80) != 0);
  g_array_unref (sink.packets);
}

/* ---- through Kamailio (digest auth) to baresip: heard by content, RFC 4733 back ---- */

static gboolean
is_registered (gpointer data)
{
  return jarchi_account_get_registration_state (data) == JARCHI_REGISTRATION_REGISTERED;
}

static void
test_baresip (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiAccount) account = NULL;
  g_autofree char *aor = NULL, *wav = NULL, *contents = NULL;
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
  aor = g_strdup_printf ("sip:jarchi@127.0.0.1:%u", kport);
  account = jarchi_account_new (0, aor);
  g_object_set (account, "password", "secret", NULL);
  g_assert_true (jarchi_call_manager_add_account (f->manager, account, &error));
  g_assert_no_error (error);
  g_assert_true (sip_lab_wait (is_registered, account, 8000));

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

/* ---- every way a call can end ---- */

static void
test_outcomes (Fixture *f, gconstpointer data)
{
  g_autofree char *decline = sip_lab_scenario (f->lab, "decline", decline_xml);
  g_autofree char *notfound = sip_lab_scenario (f->lab, "notfound", notfound_xml);
  g_autofree char *badcodec = sip_lab_scenario (f->lab, "badcodec", badcodec_xml);
  guint busy = start_sipp (f, "busy", "busy", NULL);
  guint noanswer = start_sipp (f, "noanswer", "noanswer", "-m 2");
  guint rejecter = start_sipp (f, "decline", decline, NULL);
  guint missing = start_sipp (f, "notfound", notfound, NULL);
  guint codec = start_sipp (f, "badcodec", badcodec, NULL);
  guint hanger;
  g_autofree char *free_port = NULL;
  guint closed;
  guint id_busy, id_timeout, id_cancel, id_decline, id_404, id_codec, id_hangup, id_nobody;

  g_assert_cmpint (sip_lab_sh (f->lab, &free_port, "lab_free_port"), ==, 0);
  closed = (guint) g_ascii_strtoull (free_port, NULL, 10);  /* nothing listens there */
  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "LAB_SIPP_HOLD_MS=500 lab_sipp_uas \"$ROOT/hangup\" 0 answer-hangup -m 1"), ==, 0);
  hanger = sip_lab_read_uint (f->lab, "hangup", "port");

  id_busy = place_sipp (f, busy, 10);
  id_timeout = place_sipp (f, noanswer, 2);
  id_cancel = place_sipp (f, noanswer, 30);
  id_decline = place_sipp (f, rejecter, 10);
  id_404 = place_sipp (f, missing, 10);
  id_codec = place_sipp (f, codec, 10);
  id_hangup = place_sipp (f, hanger, 10);
  id_nobody = place_sipp (f, closed, 2);

  sip_lab_spin (700);
  hang_up (f, id_cancel);

  assert_ended (wait_ended (f, id_busy, 10000), 486, JARCHI_DIAL_OUTCOME_BUSY);
  assert_ended (wait_ended (f, id_cancel, 10000), 487, JARCHI_DIAL_OUTCOME_NO_ANSWER);
  assert_ended (wait_ended (f, id_timeout, 10000), 408, JARCHI_DIAL_OUTCOME_NO_ANSWER);
  assert_ended (wait_ended (f, id_decline, 10000), 603, JARCHI_DIAL_OUTCOME_REJECTED);
  assert_ended (wait_ended (f, id_404, 10000), 404, JARCHI_DIAL_OUTCOME_FAILED);
  assert_ended (wait_ended (f, id_codec, 10000), 488, JARCHI_DIAL_OUTCOME_FAILED);
  /* answered, and the callee hung up half-way through the message */
  g_assert_cmpstr (wait_ended (f, id_hangup, 10000)->log->str, ==, "AE");
  assert_ended (call_log (f, id_hangup), 200, JARCHI_DIAL_OUTCOME_REMOTE_HANGUP);
  assert_ended (wait_ended (f, id_nobody, 10000), 408, JARCHI_DIAL_OUTCOME_FAILED);

  assert_sipp_ok (f, "busy");
  assert_sipp_ok (f, "noanswer");
  assert_sipp_ok (f, "decline");
  assert_sipp_ok (f, "notfound");
  assert_sipp_ok (f, "badcodec");
  assert_sipp_ok (f, "hangup");
  g_assert_cmpuint (jarchi_broadcast_dialer_get_n_calls (f->dialer), ==, 0);
}

/* ---- 50 at once to one SIPp ---- */

static gboolean
all_answered_and_played (gpointer data)
{
  Fixture *f = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, f->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!g_str_has_prefix (((CallLog *) value)->log->str, "AP"))
      return FALSE;
  return TRUE;
}

static gboolean
all_ended (gpointer data)
{
  Fixture *f = data;

  return f->n_ended == g_hash_table_size (f->calls);
}

#define N_MANY 50

static void
test_many (Fixture *f, gconstpointer data)
{
  g_autofree char *path = sip_lab_scenario (f->lab, "quiet", quiet_xml);
  g_autofree char *args = g_strdup_printf ("-m %d -l %d", N_MANY, N_MANY);
  guint port = start_sipp (f, "uas", path, args);
  guint ids[N_MANY];
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; i < N_MANY; i++)
    ids[i] = place_sipp (f, port, 15);
  g_assert_cmpuint (jarchi_broadcast_dialer_get_n_calls (f->dialer), ==, N_MANY);
  g_assert_true (sip_lab_wait (all_answered_and_played, f, 15000));
  g_assert_cmpuint (f->n_answered, ==, N_MANY);
  g_assert_cmpuint (f->max_up, ==, N_MANY);
  for (guint i = 0; i < N_MANY; i++)
    hang_up (f, ids[i]);
  g_assert_true (sip_lab_wait (all_ended, f, 15000));
  g_hash_table_iter_init (&iter, f->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CallLog *c = value;

      g_assert_cmpstr (c->log->str, ==, "APE");
      assert_ended (c, 200, JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US);
    }
  g_assert_cmpuint (jarchi_broadcast_dialer_get_n_calls (f->dialer), ==, 0);
  assert_sipp_ok (f, "uas");
}

/* ---- the dialer goes away with calls up: they are hung up, not left playing ---- */

static void
test_dispose_hangs_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path = sip_lab_scenario (f->lab, "quiet", quiet_xml);
  guint port = start_sipp (f, "uas", path, "-m 3");
  guint ids[3];

  for (guint i = 0; i < 3; i++)
    ids[i] = place_sipp (f, port, 15);
  for (guint i = 0; i < 3; i++)
    (void) wait_log (f, ids[i], "A", 10000);
  g_clear_object (&f->dialer);
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
  ADD ("rtp", test_rtp, 40);
  ADD ("baresip", test_baresip, 60);
  ADD ("info", test_info, 40);
  ADD ("inband", test_inband, 40);
  ADD ("outcomes", test_outcomes, 60);
  ADD ("many", test_many, 60);
  ADD ("dispose-hangs-up", test_dispose_hangs_up, 40);
#undef ADD

  return g_test_run ();
}
