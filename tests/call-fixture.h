/* Shared by the call tests: a JarchiCallManager fixture, watchers and SIPp scenario pieces. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-call-manager.h"
#include "jarchi-error.h"
#include "jarchi-sip-uri.h"
#include "sip-lab.h"

/* g_test_init () plus the engine's audio for call tests: a live sine of @freq Hz stands in
 * for the microphone (its frequency is what the far end checks), and nothing plays. */
static inline void
call_fixture_test_init (int *argc, char ***argv, guint freq)
{
  g_autofree char *source = g_strdup_printf ("audiotestsrc wave=sine freq=%u is-live=true", freq);

  g_test_init (argc, argv, NULL);
  g_setenv ("JARCHI_AUDIOSRC", source, FALSE);
  g_setenv ("JARCHI_AUDIOSINK", "fakesink sync=false", FALSE);
}

/* ---- SIPp scenarios written for these tests ------------------------------------------------- */

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n<scenario name=\"t\">\n"
#define XML_TAIL "</scenario>\n"

/* A reply to the last request, with our To tag. */
#define REPLY(code) \
  "<send><![CDATA[\n" \
  "SIP/2.0 " code "\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\n" \
  "Content-Length: 0\n\n]]></send>\n"

#define SDP(dir) \
  "v=0\no=t 1 [cseq] IN IP4 [local_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\n" \
  "m=audio [media_port] RTP/AVP 0 101\na=rtpmap:0 PCMU/8000\n" \
  "a=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\na=" dir "\n"

/* INVITE received, 180 and 200 sent, ACK received; remembers From/To for requests we send. */
#define UAS_ANSWER \
  "<recv request=\"INVITE\" crlf=\"true\" rrs=\"true\"><action>\n" \
  "<ereg regexp=\".*\" search_in=\"hdr\" header=\"From:\" assign_to=\"invite_from\"/>\n" \
  "<ereg regexp=\".*\" search_in=\"hdr\" header=\"To:\" assign_to=\"invite_to\"/>\n" \
  "</action></recv>\n" \
  "<send><![CDATA[\n" \
  "SIP/2.0 180 Ringing\n[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]t[call_number]\n" \
  "[last_Call-ID:]\n[last_CSeq:]\n[last_Record-Route:]\n" \
  "Contact: <sip:t@[local_ip]:[local_port]>\nContent-Length: 0\n\n]]></send>\n" \
  "<send retrans=\"500\"><![CDATA[\n" \
  "SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]t[call_number]\n" \
  "[last_Call-ID:]\n[last_CSeq:]\n[last_Record-Route:]\n" \
  "Contact: <sip:t@[local_ip]:[local_port]>\nContent-Type: application/sdp\n" \
  "Content-Length: [len]\n\n" SDP ("sendrecv") "]]></send>\n" \
  "<recv request=\"ACK\" crlf=\"true\"/>\n"

/* An in-dialog request from the UAS side. */
#define UAS_REQUEST(method, cseq, extra, body) \
  "<send retrans=\"500\"><![CDATA[\n" \
  method " [next_url] SIP/2.0\nVia: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n" \
  "[routes]\nFrom: [$invite_to];tag=[pid]t[call_number]\nTo: [$invite_from]\n" \
  "[last_Call-ID:]\nCSeq: " cseq " " method "\nMax-Forwards: 70\n" \
  "Contact: <sip:t@[local_ip]:[local_port]>\n" extra "Content-Length: [len]\n\n" body "]]></send>\n"

#define UAS_ACK(cseq, extra) \
  "<send><![CDATA[\n" \
  "ACK [next_url] SIP/2.0\nVia: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n" \
  "[routes]\nFrom: [$invite_to];tag=[pid]t[call_number]\nTo: [$invite_from]\n" \
  "[last_Call-ID:]\nCSeq: " cseq " ACK\nMax-Forwards: 70\n" extra "Content-Length: 0\n\n]]></send>\n"

#define UAS_WAIT_BYE \
  "<recv request=\"BYE\" timeout=\"15000\"/>\n" REPLY ("200 OK")



/* An INVITE to Jarchi; the SDP and the final response expected vary. */
#define UAC_INVITE(ctype, body) \
  "<send retrans=\"500\"><![CDATA[\n" \
  "INVITE sip:jarchi@[remote_ip]:[remote_port] SIP/2.0\n" \
  "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n" \
  "From: \"Test Caller\" <sip:tester@[local_ip]:[local_port]>;tag=[pid]c[call_number]\n" \
  "To: <sip:jarchi@[remote_ip]:[remote_port]>\nCall-ID: [call_id]\nCSeq: 1 INVITE\n" \
  "Contact: <sip:tester@[local_ip]:[local_port]>\nMax-Forwards: 70\n" \
  "Content-Type: " ctype "\nContent-Length: [len]\n\n" body "]]></send>\n"

#define UAC_ACK_FAILURE \
  "<send><![CDATA[\n" \
  "ACK sip:jarchi@[remote_ip]:[remote_port] SIP/2.0\n[last_Via:]\n[last_From:]\n[last_To:]\n" \
  "[last_Call-ID:]\nCSeq: 1 ACK\nMax-Forwards: 70\nContent-Length: 0\n\n]]></send>\n"

/* ---- fixtures and watchers -------------------------------------------------------------------- */

typedef struct {
  SipLab            *lab;
  JarchiCallManager *manager;
  GArray            *states;     /* JarchiCallState history of the watched call */
  guint              watched;
  GPtrArray         *ended;      /* JarchiCall, as they left the model */
  GPtrArray         *incoming;   /* JarchiCall */
  GString           *digits;
  GArray            *methods;    /* JarchiDtmfMethod per digit */
  guint              transfer_code;
} Fixture;

G_GNUC_UNUSED static void
on_state (JarchiCall *call,
          GParamSpec *pspec,
          Fixture    *f)
{
  JarchiCallState state = jarchi_call_get_state (call);

  g_test_message ("call %u: %s", jarchi_call_get_id (call), jarchi_call_state_to_string (state));
  if (jarchi_call_get_id (call) == f->watched)
    g_array_append_val (f->states, state);
}

G_GNUC_UNUSED static void
watch (Fixture *f,
       guint    call_id)
{
  JarchiCall *call = jarchi_call_manager_lookup_call (f->manager, call_id);

  g_assert_nonnull (call);
  f->watched = call_id;
  g_array_set_size (f->states, 0);
  g_signal_connect (call, "notify::state", G_CALLBACK (on_state), f);
}

G_GNUC_UNUSED static void
on_ended (JarchiCallManager *manager,
          JarchiCall        *call,
          Fixture           *f)
{
  g_test_message ("call %u ended: %s (%u)", jarchi_call_get_id (call),
                  jarchi_call_get_end_reason (call), jarchi_call_get_sip_code (call));
  g_assert_true (jarchi_call_is_ended (call));
  /* Still in the model while ::call-ended runs, so history can take it. */
  g_assert_true (jarchi_call_manager_lookup_call (manager, jarchi_call_get_id (call)) == call);
  g_ptr_array_add (f->ended, g_object_ref (call));
}

G_GNUC_UNUSED static void
on_incoming (JarchiCallManager *manager,
             JarchiCall        *call,
             Fixture           *f)
{
  g_ptr_array_add (f->incoming, g_object_ref (call));
  g_signal_connect (call, "notify::state", G_CALLBACK (on_state), f);
}

G_GNUC_UNUSED static void
on_dtmf (JarchiCallManager *manager,
         guint              call_id,
         gchar              digit,
         JarchiDtmfMethod   method,
         Fixture           *f)
{
  g_string_append_c (f->digits, digit);
  g_array_append_val (f->methods, method);
}

G_GNUC_UNUSED static void
on_transfer (JarchiCallManager *manager,
             guint              call_id,
             guint              code,
             Fixture           *f)
{
  f->transfer_code = code;
}

G_GNUC_UNUSED static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->lab = sip_lab_new (GPOINTER_TO_UINT (data) ? GPOINTER_TO_UINT (data) : 40);
  f->manager = jarchi_call_manager_new ("127.0.0.1", 0, f->lab->root, &error);
  g_assert_no_error (error);
  f->states = g_array_new (FALSE, FALSE, sizeof (JarchiCallState));
  f->methods = g_array_new (FALSE, FALSE, sizeof (JarchiDtmfMethod));
  f->ended = g_ptr_array_new_with_free_func (g_object_unref);
  f->incoming = g_ptr_array_new_with_free_func (g_object_unref);
  f->digits = g_string_new (NULL);
  g_signal_connect (f->manager, "call-ended", G_CALLBACK (on_ended), f);
  g_signal_connect (f->manager, "incoming-call", G_CALLBACK (on_incoming), f);
  g_signal_connect (f->manager, "dtmf-received", G_CALLBACK (on_dtmf), f);
  g_signal_connect (f->manager, "transfer-progress", G_CALLBACK (on_transfer), f);
}

G_GNUC_UNUSED static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  jarchi_call_manager_shutdown (f->manager);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 0);
  g_clear_object (&f->manager);
  g_array_unref (f->states);
  g_array_unref (f->methods);
  g_ptr_array_unref (f->ended);
  g_ptr_array_unref (f->incoming);
  g_string_free (f->digits, TRUE);
  sip_lab_free (f->lab);
}

G_GNUC_UNUSED static gboolean
call_ended (gpointer data)
{
  Fixture *f = data;

  for (guint i = 0; i < f->ended->len; i++)
    if (jarchi_call_get_id (g_ptr_array_index (f->ended, i)) == f->watched)
      return TRUE;
  return FALSE;
}

G_GNUC_UNUSED static JarchiCall *
ended_call (Fixture *f)
{
  g_assert_true (sip_lab_wait (call_ended, f, 20000));
  for (guint i = 0; i < f->ended->len; i++)
    if (jarchi_call_get_id (g_ptr_array_index (f->ended, i)) == f->watched)
      return g_ptr_array_index (f->ended, i);
  g_assert_not_reached ();
}

typedef struct {
  Fixture        *f;
  JarchiCallState state;
} StateWait;

G_GNUC_UNUSED static gboolean
reached (gpointer data)
{
  StateWait *w = data;
  JarchiCall *call = jarchi_call_manager_lookup_call (w->f->manager, w->f->watched);

  return call != NULL && jarchi_call_get_state (call) == w->state;
}

G_GNUC_UNUSED static void
wait_state (Fixture         *f,
            JarchiCallState  state)
{
  StateWait w = { f, state };
  /* 30 s under the sanitizer: a call set up by an instrumented engine took longer than 10 s. */
  const guint timeout_ms = 10000 * test_time_scale ();

  if (!sip_lab_wait (reached, &w, timeout_ms))
    g_error ("call %u never reached %s", f->watched, jarchi_call_state_to_string (state));
}

G_GNUC_UNUSED static gboolean
saw_state (Fixture         *f,
           JarchiCallState  state)
{
  for (guint i = 0; i < f->states->len; i++)
    if (g_array_index (f->states, JarchiCallState, i) == state)
      return TRUE;
  return FALSE;
}

/* A SIPp UAS in lab dir DIR; returns its port. */
G_GNUC_UNUSED static guint
start_uas (Fixture    *f,
           const char *dir,
           const char *scenario)
{
  int rc = sip_lab_sh (f->lab, NULL, "lab_sipp_uas \"$ROOT/%s\" 0 '%s' -m 1", dir, scenario);

  g_assert_cmpint (rc, ==, 0);
  return sip_lab_read_uint (f->lab, dir, "port");
}

G_GNUC_UNUSED static void
start_uac (Fixture    *f,
           const char *dir,
           const char *scenario,
           const char *extra)
{
  int rc = sip_lab_sh (f->lab, NULL, "lab_sipp_uac \"$ROOT/%s\" 127.0.0.1:%u '%s' -m 1 %s", dir,
                       jarchi_call_manager_get_sip_port (f->manager), scenario, extra);
  g_assert_cmpint (rc, ==, 0);
}

G_GNUC_UNUSED static void
assert_sipp_ok (Fixture    *f,
                const char *dir)
{
  g_autofree char *errors = NULL;
  int rc = sip_lab_sh (f->lab, NULL, "lab_sipp_wait \"$ROOT/%s\" 15", dir);

  if (rc != 0)
    {
      (void) sip_lab_sh (f->lab, &errors, "tail -n 30 \"$ROOT/%s/sipp.errors\"", dir);
      g_test_message ("SIPp errors: %s", errors ? errors : "");
    }
  g_assert_cmpint (rc, ==, 0);
}

G_GNUC_UNUSED static char *
sipp_uri (Fixture    *f,
          const char *user,
          guint       port)
{
  return g_strdup_printf ("sip:%s@127.0.0.1:%u", user, port);
}

G_GNUC_UNUSED static gboolean
has_incoming (gpointer data)
{
  return ((Fixture *) data)->incoming->len > 0;
}

G_GNUC_UNUSED static guint
wait_incoming (Fixture *f)
{
  JarchiCall *call;

  g_assert_true (sip_lab_wait (has_incoming, f, 10000));
  call = g_ptr_array_index (f->incoming, 0);
  f->watched = jarchi_call_get_id (call);
  g_assert_cmpint (jarchi_call_get_direction (call), ==, JARCHI_CALL_DIRECTION_INCOMING);
  g_assert_cmpint (jarchi_call_get_state (call), ==, JARCHI_CALL_STATE_INCOMING);
  return f->watched;
}

