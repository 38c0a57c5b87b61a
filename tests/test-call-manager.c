/* Tests of JarchiCallManager with SIPp on 127.0.0.1: placing, answering and failing calls. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "call-fixture.h"

/* ---- SIPp scenarios ---------------------------------------------------------------------- */

static const char notfound_xml[] =
  XML_HEAD
  "<recv request=\"INVITE\" crlf=\"true\"/>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 404 Not Found\n[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]t[call_number]\n"
  "[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n"
  "<recv request=\"ACK\"/>\n"
  XML_TAIL;

static const char early_media_xml[] =
  XML_HEAD
  "<recv request=\"INVITE\" crlf=\"true\"/>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 183 Session Progress\n[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]t[call_number]\n"
  "[last_Call-ID:]\n[last_CSeq:]\nContact: <sip:t@[local_ip]:[local_port]>\n"
  "Content-Type: application/sdp\nContent-Length: [len]\n\n" SDP ("sendrecv") "]]></send>\n"
  "<pause milliseconds=\"800\"/>\n"
  "<send retrans=\"500\"><![CDATA[\n"
  "SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]t[call_number]\n"
  "[last_Call-ID:]\n[last_CSeq:]\nContact: <sip:t@[local_ip]:[local_port]>\n"
  "Content-Type: application/sdp\nContent-Length: [len]\n\n" SDP ("sendrecv") "]]></send>\n"
  "<recv request=\"ACK\" crlf=\"true\"/>\n"
  UAS_WAIT_BYE
  XML_TAIL;

static const char expect_486_xml[] =
  XML_HEAD
  UAC_INVITE ("application/sdp",
              "v=0\no=t 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\n"
              "m=audio [media_port] RTP/AVP 0\na=rtpmap:0 PCMU/8000\n")
  "<recv response=\"100\" optional=\"true\"/>\n"
  "<recv response=\"180\" optional=\"true\"/>\n"
  "<recv response=\"486\"/>\n"
  UAC_ACK_FAILURE
  XML_TAIL;

static const char unknown_codec_xml[] =
  XML_HEAD
  UAC_INVITE ("application/sdp",
              "v=0\no=t 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\n"
              "m=audio [media_port] RTP/AVP 98\na=rtpmap:98 FOOBAR/8000\n")
  "<recv response=\"100\" optional=\"true\"/>\n"
  "<recv response=\"488\"/>\n"
  UAC_ACK_FAILURE
  XML_TAIL;

static const char malformed_sdp_xml[] =
  XML_HEAD
  UAC_INVITE ("application/sdp", "this is not SDP\n")
  "<recv response=\"100\" optional=\"true\"/>\n"
  "<recv response=\"400\"/>\n"
  UAC_ACK_FAILURE
  XML_TAIL;

/* A BYE for a dialog Jarchi never had. */
static const char stray_bye_xml[] =
  XML_HEAD
  "<send retrans=\"500\"><![CDATA[\n"
  "BYE sip:jarchi@[remote_ip]:[remote_port] SIP/2.0\n"
  "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
  "From: <sip:tester@[local_ip]:[local_port]>;tag=[pid]b[call_number]\n"
  "To: <sip:jarchi@[remote_ip]:[remote_port]>;tag=nosuchdialog\nCall-ID: [call_id]\n"
  "CSeq: 7 BYE\nMax-Forwards: 70\nContent-Length: 0\n\n]]></send>\n"
  "<recv response=\"481\"/>\n"
  XML_TAIL;

/* ---- tests -------------------------------------------------------------------------------- */

static void
test_normalize (void)
{
  static const struct { const char *in, *domain, *out; } ok[] = {
    { "sip:bob@example.com", NULL, "sip:bob@example.com" },
    { "  sips:bob@example.com:5061;transport=tls ", NULL, "sips:bob@example.com:5061;transport=tls" },
    { "tel:+998-71-123-45-67", "pbx.uz", "sip:+998711234567@pbx.uz" },
    { "+998 (71) 123 45 67", "pbx.uz:5080", "sip:+998711234567@pbx.uz:5080" },
    { "101", "127.0.0.1:5060", "sip:101@127.0.0.1:5060" },
    { "*72#", "pbx", "sip:*72%23@pbx" },
    { "alice", "pbx", "sip:alice@pbx" },
    { "bob@10.0.0.1:5062", NULL, "sip:bob@10.0.0.1:5062" },
    { "sip:[::1]:5060", NULL, "sip:[::1]:5060" },
  };
  static const struct { const char *in, *domain; } bad[] = {
    { "", "pbx" }, { "   ", "pbx" }, { NULL, "pbx" }, { "101", NULL }, { "sip:", NULL },
    { "sip:bob@", NULL }, { "hello world", "pbx" }, { "<sip:a@b>", NULL }, { "tel:abc", "pbx" },
    { "sip:bob@host:99999", NULL }, { "mailto:x@y", NULL }, { "+", "pbx" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = jarchi_sip_uri_normalize (ok[i].in, ok[i].domain, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (uri, ==, ok[i].out);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = jarchi_sip_uri_normalize (bad[i].in, bad[i].domain, &error);
      g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
      g_assert_null (uri);
    }
}

static void
test_dial_invalid (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (jarchi_call_manager_dial (f->manager, "12345", 0, &error), ==, 0);
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (jarchi_call_manager_dial (f->manager, "sip:x@127.0.0.1", 42, &error), ==, 0);
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (jarchi_call_manager_hangup (f->manager, 999, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 0);
}

static void
test_outgoing_answered (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint port = start_uas (f, "uas", "answer");
  g_autofree char *uri = sipp_uri (f, "lab", port);
  JarchiMediaSession *media;
  JarchiCall *call;
  guint id, received = 0, sent = 0;

  id = jarchi_call_manager_dial (f->manager, uri, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (id, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 1);
  watch (f, id);
  call = jarchi_call_manager_lookup_call (f->manager, id);
  g_assert_cmpint (jarchi_call_get_state (call), ==, JARCHI_CALL_STATE_DIALING);
  g_assert_cmpint (jarchi_call_get_direction (call), ==, JARCHI_CALL_DIRECTION_OUTGOING);
  g_assert_cmpstr (jarchi_call_get_remote_uri (call), ==, uri);

  wait_state (f, JARCHI_CALL_STATE_ACTIVE);
  g_assert_true (saw_state (f, JARCHI_CALL_STATE_RINGING));
  g_assert_cmpint (jarchi_call_get_answered_at (call), >=, jarchi_call_get_started_at (call));
  g_assert_cmpuint (jarchi_call_get_sip_code (call), ==, 200);

  /* The SIPp tone reaches our media session, and ours reaches SIPp. */
  sip_lab_spin (1000);
  media = jarchi_call_manager_get_media_session (f->manager, id);
  g_assert_nonnull (media);
  g_object_get (media, "packets-received", &received, "packets-sent", &sent, NULL);
  g_test_message ("RTP in: %u, out: %u", received, sent);
  g_assert_cmpuint (received, >, 10);
  g_assert_cmpuint (sent, >, 10);
  /* No INFO account: the digits go as RFC 4733 events through the media session. */
  g_assert_true (jarchi_call_manager_send_dtmf (f->manager, id, "1#", &error));
  g_assert_no_error (error);

  g_assert_true (jarchi_call_manager_hangup (f->manager, id, &error));
  call = ended_call (f);
  g_assert_cmpstr (jarchi_call_get_end_reason (call), ==, "hung up");
  g_assert_cmpuint (jarchi_call_get_sip_code (call), ==, 200);
  g_assert_cmpint (jarchi_call_get_ended_at (call), >=, jarchi_call_get_answered_at (call));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 0);
  assert_sipp_ok (f, "uas");
}

static void
check_failure (Fixture    *f,
               const char *scenario,
               const char *reason,
               guint       code)
{
  g_autoptr(GError) error = NULL;
  guint port = start_uas (f, "uas", scenario);
  g_autofree char *uri = sipp_uri (f, "lab", port);
  JarchiCall *call;
  guint id;

  id = jarchi_call_manager_dial (f->manager, uri, JARCHI_ACCOUNT_NONE, &error);
  g_assert_no_error (error);
  watch (f, id);
  call = ended_call (f);
  g_assert_cmpstr (jarchi_call_get_end_reason (call), ==, reason);
  g_assert_cmpuint (jarchi_call_get_sip_code (call), ==, code);
  g_assert_cmpint (jarchi_call_get_answered_at (call), ==, 0);
  assert_sipp_ok (f, "uas");
}

static void
test_outgoing_busy (Fixture       *f,
                    gconstpointer  data)
{
  check_failure (f, "busy", "busy", 486);
}

static void
test_outgoing_not_found (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = sip_lab_scenario (f->lab, "notfound", notfound_xml);

  check_failure (f, path, "not found", 404);
}

static void
test_outgoing_no_answer (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint port = start_uas (f, "uas", "noanswer");
  g_autofree char *uri = sipp_uri (f, "lab", port);
  JarchiCall *call;
  guint id;

  g_object_set (f->manager, "ring-timeout", 2, NULL);
  id = jarchi_call_manager_dial (f->manager, uri, 0, &error);
  g_assert_no_error (error);
  watch (f, id);
  wait_state (f, JARCHI_CALL_STATE_RINGING);
  call = ended_call (f);
  g_assert_cmpstr (jarchi_call_get_end_reason (call), ==, "no answer");
  assert_sipp_ok (f, "uas");
}

static void
test_outgoing_cancel (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint port = start_uas (f, "uas", "noanswer");
  g_autofree char *uri = sipp_uri (f, "lab", port);
  JarchiCall *call;
  guint id;

  id = jarchi_call_manager_dial (f->manager, uri, 0, &error);
  g_assert_no_error (error);
  watch (f, id);
  wait_state (f, JARCHI_CALL_STATE_RINGING);
  g_assert_true (jarchi_call_manager_hangup (f->manager, id, &error));
  call = ended_call (f);
  g_assert_cmpstr (jarchi_call_get_end_reason (call), ==, "cancelled");
  g_assert_cmpuint (jarchi_call_get_sip_code (call), ==, 487);
  assert_sipp_ok (f, "uas");
}

static void
test_early_media (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sip_lab_scenario (f->lab, "early", early_media_xml);
  guint port = start_uas (f, "uas", path);
  g_autofree char *uri = sipp_uri (f, "lab", port);
  JarchiMediaSession *media;
  guint id;

  id = jarchi_call_manager_dial (f->manager, uri, 0, &error);
  g_assert_no_error (error);
  watch (f, id);
  wait_state (f, JARCHI_CALL_STATE_EARLY_MEDIA);
  media = jarchi_call_manager_get_media_session (f->manager, id);
  g_assert_cmpint (jarchi_media_session_get_state (media), ==, JARCHI_MEDIA_STATE_RUNNING);
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);
  g_assert_true (jarchi_call_manager_hangup (f->manager, id, &error));
  (void) ended_call (f);
  assert_sipp_ok (f, "uas");
}

static void
test_incoming_answer_remote_bye (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  JarchiCall *call;
  guint id;

  start_uac (f, "uac", "call", "-s jarchi -d 1500");
  id = wait_incoming (f);
  call = jarchi_call_manager_lookup_call (f->manager, id);
  g_assert_true (g_str_has_prefix (jarchi_call_get_remote_uri (call), "sip:sipp@"));
  g_assert_cmpuint (jarchi_call_get_account_id (call), ==, 0);

  g_assert_true (jarchi_call_manager_answer (f->manager, id, &error));
  g_assert_no_error (error);
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);
  call = ended_call (f);
  g_assert_cmpstr (jarchi_call_get_end_reason (call), ==, "remote hung up");
  assert_sipp_ok (f, "uac");
}

static void
test_incoming_reject (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sip_lab_scenario (f->lab, "expect486", expect_486_xml);
  JarchiCall *call;
  guint id;

  start_uac (f, "uac", path, "");
  id = wait_incoming (f);
  call = jarchi_call_manager_lookup_call (f->manager, id);
  g_assert_cmpstr (jarchi_call_get_remote_name (call), ==, "Test Caller");
  g_assert_true (jarchi_call_manager_reject (f->manager, id, 486, &error));
  call = ended_call (f);
  g_assert_cmpstr (jarchi_call_get_end_reason (call), ==, "rejected");
  g_assert_cmpuint (jarchi_call_get_sip_code (call), ==, 486);
  assert_sipp_ok (f, "uac");
}

static void
test_incoming_bad_offers (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *codec = sip_lab_scenario (f->lab, "codec", unknown_codec_xml);
  g_autofree char *bad = sip_lab_scenario (f->lab, "bad", malformed_sdp_xml);
  g_autofree char *stray = sip_lab_scenario (f->lab, "stray", stray_bye_xml);
  g_autofree char *ok = sip_lab_scenario (f->lab, "expect486", expect_486_xml);
  guint id;

  /* Refused by the engine itself: the calls never reach the model. */
  start_uac (f, "uac1", codec, "");
  assert_sipp_ok (f, "uac1");
  start_uac (f, "uac2", bad, "");
  assert_sipp_ok (f, "uac2");
  start_uac (f, "uac4", stray, "");
  assert_sipp_ok (f, "uac4");
  g_assert_cmpuint (f->incoming->len, ==, 0);

  /* Still alive. */
  start_uac (f, "uac3", ok, "");
  id = wait_incoming (f);
  g_assert_true (jarchi_call_manager_hangup (f->manager, id, NULL));
  (void) ended_call (f);
  assert_sipp_ok (f, "uac3");
}

int
main (int    argc,
      char **argv)
{
  call_fixture_test_init (&argc, &argv, 1000);

#define ADD(path, func, secs) \
  g_test_add ("/call-manager/" path, Fixture, GUINT_TO_POINTER (secs), fixture_setup, func, \
              fixture_teardown)

  g_test_add_func ("/call-manager/normalize", test_normalize);
  ADD ("dial-invalid", test_dial_invalid, 20);
  ADD ("outgoing-answered", test_outgoing_answered, 40);
  ADD ("outgoing-busy", test_outgoing_busy, 30);
  ADD ("outgoing-not-found", test_outgoing_not_found, 30);
  ADD ("outgoing-no-answer", test_outgoing_no_answer, 30);
  ADD ("outgoing-cancel", test_outgoing_cancel, 30);
  ADD ("early-media", test_early_media, 30);
  ADD ("incoming-answer-remote-bye", test_incoming_answer_remote_bye, 30);
  ADD ("incoming-reject", test_incoming_reject, 30);
  ADD ("incoming-bad-offers", test_incoming_bad_offers, 40);

  return g_test_run ();
}
