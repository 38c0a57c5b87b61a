/* Shared by the JarchiBroadcastDialer tests: a dialer on a call manager with a 1 kHz message, an event log per call, SIPp scenario pieces. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include "jarchi-broadcast-dialer.h"
#include "jarchi-error.h"
#include "sip-lab.h"

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
/* 200 with SDP: PORT is a SIPp keyword or a number, FORMATS the m= line's list. A caller that
 * has not read our responses within T1 (50 calls at once under AddressSanitizer) retransmits its
 * INVITE, as RFC 3261 says: that is taken in stride here, not counted as an unexpected message. */
#define ANSWER(port, formats, rtpmaps) \
  "<send retrans=\"500\"><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n" \
  "[last_To:];tag=[pid]b[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n[last_Record-Route:]\n" \
  "Contact: <sip:b@[local_ip]:[local_port]>\nContent-Type: application/sdp\nContent-Length: [len]\n\n" \
  "v=0\no=b 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\nm=audio " port " RTP/AVP " \
  formats "\n" rtpmaps "a=ptime:20\na=sendrecv\n]]></send>\n" \
  "<recv request=\"INVITE\" optional=\"true\"/>\n" \
  "<recv request=\"ACK\" crlf=\"true\"/>\n"
#define EVENT_MAP "a=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\n"
#define WAIT_BYE \
  "<recv request=\"BYE\" timeout=\"30000\"/>\n" \
  "<send><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n" \
  "[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n"
#define INFO_REQUEST(retrans, branch, cseq, ctype, body) \
  "<send" retrans "><![CDATA[\nINFO [next_url] SIP/2.0\n" \
  "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=" branch "\n[routes]\n" \
  "From: [$invite_to];tag=[pid]b[call_number]\nTo: [$invite_from]\n[last_Call-ID:]\n" \
  "CSeq: " cseq " INFO\nMax-Forwards: 70\nContact: <sip:b@[local_ip]:[local_port]>\n" \
  "Content-Type: " ctype "\nContent-Length: [len]\n\n" body "]]></send>\n"
#define UAS_INFO(cseq, ctype, body) \
  INFO_REQUEST (" retrans=\"500\"", "[branch]", cseq, ctype, body) "<recv response=\"200\"/>\n"
#define DIGIT_5 "Signal=5\nDuration=160\n"

/* Answers with PCMA (and telephone-event); our RTP goes to the test's own socket, %u. */
G_GNUC_UNUSED static const char to_sink_xml[] =
  SCEN_HEAD RECV_INVITE RESPONSE ("180 Ringing")
  ANSWER ("%u", "8 101", "a=rtpmap:8 PCMA/8000\n" EVENT_MAP) WAIT_BYE SCEN_TAIL;

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

G_GNUC_UNUSED static void
call_log_free (gpointer data)
{
  CallLog *c = data;

  g_string_free (c->log, TRUE);
  g_string_free (c->digits, TRUE);
  g_array_unref (c->methods);
  g_free (c);
}

G_GNUC_UNUSED static CallLog *
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

G_GNUC_UNUSED static void
on_answered (JarchiCampaignDialer *dialer, guint id, Fixture *f)
{
  CallLog *c = call_log (f, id);

  g_string_append_c (c->log, 'A');
  c->answered_at = g_get_monotonic_time ();
  f->n_answered++;
  f->up++;
  f->max_up = MAX (f->max_up, f->up);
}

G_GNUC_UNUSED static void
on_played (JarchiCampaignDialer *dialer, guint id, Fixture *f)
{
  CallLog *c = call_log (f, id);

  g_string_append_c (c->log, 'P');
  c->played_at = g_get_monotonic_time ();
}

G_GNUC_UNUSED static void
on_dtmf (JarchiCampaignDialer *dialer, guint id, gchar digit, guint method, Fixture *f)
{
  CallLog *c = call_log (f, id);
  JarchiDtmfMethod m = method;

  g_test_message ("call %u: digit %c by method %u", id, digit, method);
  g_string_append_c (c->log, 'D');
  g_string_append_c (c->digits, digit);
  g_array_append_val (c->methods, m);
}

G_GNUC_UNUSED static void
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

G_GNUC_UNUSED static void
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

G_GNUC_UNUSED static void
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

G_GNUC_UNUSED static guint
start_sipp (Fixture *f, const char *dir, const char *scenario, const char *args)
{
  int rc = sip_lab_sh (f->lab, NULL, "lab_sipp_uas \"$ROOT/%s\" 0 '%s' %s", dir, scenario,
                       args ? args : "-m 1");

  g_assert_cmpint (rc, ==, 0);
  return sip_lab_read_uint (f->lab, dir, "port");
}

G_GNUC_UNUSED static void
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

static gboolean
is_registered (gpointer data)
{
  return jarchi_account_get_registration_state (data) == JARCHI_REGISTRATION_REGISTERED;
}

/* An account sip:jarchi@ the lab Kamailio on KPORT (password "secret"), once registered. */
G_GNUC_UNUSED static JarchiAccount *
register_lab_account (Fixture *f, guint kport)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *aor = g_strdup_printf ("sip:jarchi@127.0.0.1:%u", kport);
  JarchiAccount *account = jarchi_account_new (0, aor);

  g_object_set (account, "password", "secret", NULL);
  g_assert_true (jarchi_call_manager_add_account (f->manager, account, &error));
  g_assert_no_error (error);
  g_assert_true (sip_lab_wait (is_registered, account, 8000));
  return account;
}

G_GNUC_UNUSED static guint
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

G_GNUC_UNUSED static guint
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

G_GNUC_UNUSED static gboolean
log_has (gpointer data)
{
  LogWait *w = data;
  CallLog *c = g_hash_table_lookup (w->f->calls, GUINT_TO_POINTER (w->id));

  return c != NULL && g_str_has_prefix (c->log->str, w->log);
}

/* Waits until the call's event log starts with LOG (e.g. "AP"). */
G_GNUC_UNUSED static CallLog *
wait_log (Fixture *f, guint id, const char *log, guint timeout_ms)
{
  LogWait w = { f, id, log };

  if (!sip_lab_wait (log_has, &w, timeout_ms))
    g_error ("call %u: events \"%s\", expected \"%s\"", id,
             call_log (f, id)->log->str, log);
  return call_log (f, id);
}

G_GNUC_UNUSED static void
hang_up (Fixture *f, guint id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (jarchi_campaign_dialer_hangup (JARCHI_CAMPAIGN_DIALER (f->dialer), id, &error));
  g_assert_no_error (error);
}

G_GNUC_UNUSED static gboolean
log_ended (gpointer data)
{
  LogWait *w = data;
  CallLog *c = g_hash_table_lookup (w->f->calls, GUINT_TO_POINTER (w->id));

  return c != NULL && strchr (c->log->str, 'E') != NULL;
}

G_GNUC_UNUSED static CallLog *
wait_ended (Fixture *f, guint id, guint timeout_ms)
{
  LogWait w = { f, id, NULL };

  if (!sip_lab_wait (log_ended, &w, timeout_ms))
    g_error ("call %u never ended (events \"%s\")", id, call_log (f, id)->log->str);
  return call_log (f, id);
}

/* Ended once, last, with CODE and OUTCOME. */
G_GNUC_UNUSED static void
assert_ended (CallLog *c, guint code, JarchiDialOutcome outcome)
{
  g_assert_cmpint (c->log->str[c->log->len - 1], ==, 'E');
  g_assert_true (strchr (c->log->str, 'E') == c->log->str + c->log->len - 1);
  g_assert_cmpuint (c->code, ==, code);
  g_assert_cmpint (c->outcome, ==, outcome);
}
