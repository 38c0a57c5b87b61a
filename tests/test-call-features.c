/* Tests of JarchiCallManager with SIPp and Kamailio on 127.0.0.1: hold, DTMF, transfers, accounts. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "call-fixture.h"

/* ---- SIPp scenarios ---------------------------------------------------------------------- */

/* Answers, checks our hold (sendonly) and resume (sendrecv) re-INVITEs, then holds us
 * (sendonly) and resumes us, and waits for our BYE. */
static const char hold_xml[] =
  XML_HEAD
  UAS_ANSWER
  "<recv request=\"INVITE\"><action>\n"
  "<ereg regexp=\"a=sendonly\" search_in=\"msg\" check_it=\"true\" assign_to=\"hold\"/>\n"
  "</action></recv>\n"
  "<send retrans=\"500\"><![CDATA[\n"
  "SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\n"
  "Contact: <sip:t@[local_ip]:[local_port]>\nX-Seen: [$hold]\nContent-Type: application/sdp\n"
  "Content-Length: [len]\n\n" SDP ("recvonly") "]]></send>\n"
  "<recv request=\"ACK\"/>\n"
  "<recv request=\"INVITE\"><action>\n"
  "<ereg regexp=\"a=sendrecv\" search_in=\"msg\" check_it=\"true\" assign_to=\"resume\"/>\n"
  "</action></recv>\n"
  "<send retrans=\"500\"><![CDATA[\n"
  "SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\n"
  "Contact: <sip:t@[local_ip]:[local_port]>\nX-Seen: [$resume]\nContent-Type: application/sdp\n"
  "Content-Length: [len]\n\n" SDP ("sendrecv") "]]></send>\n"
  "<recv request=\"ACK\"/>\n"
  "<pause milliseconds=\"300\"/>\n"
  UAS_REQUEST ("INVITE", "2", "Content-Type: application/sdp\n", SDP ("sendonly"))
  "<recv response=\"200\"><action>\n"
  "<ereg regexp=\"a=recvonly\" search_in=\"msg\" check_it=\"true\" assign_to=\"held\"/>\n"
  "</action></recv>\n"
  UAS_ACK ("2", "X-Seen: [$held]\n")
  "<pause milliseconds=\"800\"/>\n"
  UAS_REQUEST ("INVITE", "3", "Content-Type: application/sdp\n", SDP ("sendrecv"))
  "<recv response=\"200\"/>\n"
  UAS_ACK ("3", "")
  UAS_WAIT_BYE
  XML_TAIL;

/* Answers and expects our digits 5 and # as SIP INFO. */
static const char info_xml[] =
  XML_HEAD
  UAS_ANSWER
  "<recv request=\"INFO\"><action>\n"
  "<ereg regexp=\"Signal=5\" search_in=\"msg\" check_it=\"true\" assign_to=\"d1\"/>\n"
  "</action></recv>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\n"
  "X-Seen: [$d1] [$invite_from] [$invite_to]\nContent-Length: 0\n\n]]></send>\n"
  "<recv request=\"INFO\"><action>\n"
  "<ereg regexp=\"Signal=#\" search_in=\"msg\" check_it=\"true\" assign_to=\"d2\"/>\n"
  "</action></recv>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\n"
  "X-Seen: [$d2]\nContent-Length: 0\n\n]]></send>\n"
  UAS_WAIT_BYE
  XML_TAIL;

/* Answers, accepts our blind REFER to carol and reports the target answered. */
static const char refer_xml[] =
  XML_HEAD
  UAS_ANSWER
  "<recv request=\"REFER\"><action>\n"
  "<ereg regexp=\"Refer-To: &lt;sip:carol@\" search_in=\"msg\" check_it=\"true\" assign_to=\"to\"/>\n"
  "</action></recv>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 202 Accepted\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\n"
  "X-Seen: [$to]\nContact: <sip:t@[local_ip]:[local_port]>\nContent-Length: 0\n\n]]></send>\n"
  UAS_REQUEST ("NOTIFY", "2",
               "Event: refer\nSubscription-State: terminated;reason=noresource\n"
               "Content-Type: message/sipfrag;version=2.0\n",
               "SIP/2.0 200 OK\n")
  "<recv response=\"200\"/>\n"
  UAS_WAIT_BYE
  XML_TAIL;

/* Answers, then asks us (REFER) to call TARGET; expects NOTIFYs up to "200 OK", then BYE. */
static const char transferee_xml[] =
  XML_HEAD
  UAS_ANSWER
  "<pause milliseconds=\"300\"/>\n"
  UAS_REQUEST ("REFER", "2", "Refer-To: <sip:target@127.0.0.1:[field0]>\n", "")
  "<recv response=\"202\"/>\n"
  "<recv request=\"NOTIFY\"/>\n" REPLY ("200 OK")
  "<recv request=\"NOTIFY\"/>\n" REPLY ("200 OK")
  "<recv request=\"NOTIFY\"><action>\n"
  "<ereg regexp=\"SIP/2.0 200\" search_in=\"msg\" check_it=\"true\" assign_to=\"ok\"/>\n"
  "</action></recv>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\n"
  "X-Seen: [$ok]\nContent-Length: 0\n\n]]></send>\n"
  UAS_REQUEST ("BYE", "3", "", "")
  "<recv response=\"200\"/>\n"
  XML_TAIL;

/* Answers, accepts an attended REFER (Refer-To with Replaces) and reports success. */
static const char refer_replaces_xml[] =
  XML_HEAD
  UAS_ANSWER
  "<recv request=\"REFER\"><action>\n"
  "<ereg regexp=\"Refer-To: &lt;sip:lab@127.0.0.1:[0-9]+[?]Replaces=[^>]*to-tag%3D[^>]*from-tag%3D\" "
  "search_in=\"msg\" check_it=\"true\" assign_to=\"to\"/>\n"
  "</action></recv>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 202 Accepted\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\n"
  "X-Seen: [$to]\nContact: <sip:t@[local_ip]:[local_port]>\nContent-Length: 0\n\n]]></send>\n"
  UAS_REQUEST ("NOTIFY", "2",
               "Event: refer\nSubscription-State: terminated;reason=noresource\n"
               "Content-Type: message/sipfrag;version=2.0\n",
               "SIP/2.0 200 OK\n")
  "<recv response=\"200\"/>\n"
  UAS_WAIT_BYE
  XML_TAIL;

/* Calls Jarchi, accepts being put on hold (re-INVITE with sendonly), waits for our BYE. */
static const char held_uac_xml[] =
  XML_HEAD
  UAC_INVITE ("application/sdp",
              "v=0\no=t 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\n"
              "m=audio [media_port] RTP/AVP 0\na=rtpmap:0 PCMU/8000\n")
  "<recv response=\"100\" optional=\"true\"/>\n"
  "<recv response=\"180\" optional=\"true\"/>\n"
  "<recv response=\"200\" rrs=\"true\"/>\n"
  "<send><![CDATA[\n"
  "ACK [next_url] SIP/2.0\nVia: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
  "[last_From:]\n[last_To:]\n[last_Call-ID:]\nCSeq: 1 ACK\nMax-Forwards: 70\n"
  "Content-Length: 0\n\n]]></send>\n"
  "<recv request=\"INVITE\" timeout=\"15000\"><action>\n"
  "<ereg regexp=\"a=sendonly\" search_in=\"msg\" check_it=\"true\" assign_to=\"hold\"/>\n"
  "</action></recv>\n"
  "<send retrans=\"500\"><![CDATA[\n"
  "SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\n"
  "Contact: <sip:tester@[local_ip]:[local_port]>\nX-Seen: [$hold]\n"
  "Content-Type: application/sdp\nContent-Length: [len]\n\n"
  "v=0\no=t 1 2 IN IP4 [local_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\n"
  "m=audio [media_port] RTP/AVP 0\na=rtpmap:0 PCMU/8000\na=recvonly\n]]></send>\n"
  "<recv request=\"ACK\"/>\n"
  "<recv request=\"BYE\" timeout=\"15000\"/>\n" REPLY ("200 OK")
  XML_TAIL;

/* Offers only opus (dynamic payload type 96) and checks Jarchi answers with it. */
static const char opus_uac_xml[] =
  XML_HEAD
  UAC_INVITE ("application/sdp",
              "v=0\no=t 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\n"
              "m=audio [media_port] RTP/AVP 96 97\na=rtpmap:96 opus/48000/2\n"
              "a=rtpmap:97 telephone-event/48000\na=fmtp:97 0-15\n")
  "<recv response=\"100\" optional=\"true\"/>\n"
  "<recv response=\"180\" optional=\"true\"/>\n"
  "<recv response=\"200\" rrs=\"true\"><action>\n"
  "<ereg regexp=\"m=audio [0-9]+ RTP/AVP 96[[:cntrl:]]\" search_in=\"msg\" check_it=\"true\" "
  "assign_to=\"mline\"/>\n"
  "<ereg regexp=\"a=rtpmap:96 opus/48000/2\" search_in=\"msg\" check_it=\"true\" "
  "assign_to=\"rtpmap\"/>\n"
  "</action></recv>\n"
  "<send><![CDATA[\n"
  "ACK [next_url] SIP/2.0\nVia: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
  "[last_From:]\n[last_To:]\n[last_Call-ID:]\nCSeq: 1 ACK\nMax-Forwards: 70\n"
  "X-Seen: [$mline] [$rtpmap]\nContent-Length: 0\n\n]]></send>\n"
  "<pause milliseconds=\"500\"/>\n"
  "<send retrans=\"500\"><![CDATA[\n"
  "BYE [next_url] SIP/2.0\nVia: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
  "[last_From:]\n[last_To:]\n[last_Call-ID:]\nCSeq: 2 BYE\nMax-Forwards: 70\n"
  "Content-Length: 0\n\n]]></send>\n"
  "<recv response=\"200\"/>\n"
  XML_TAIL;

/* Calls Jarchi, sends digits by SIP INFO once answered, then hangs up. */
static const char info_uac_xml[] =
  XML_HEAD
  UAC_INVITE ("application/sdp",
              "v=0\no=t 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 [media_ip]\nt=0 0\n"
              "m=audio [media_port] RTP/AVP 0\na=rtpmap:0 PCMU/8000\n")
  "<recv response=\"100\" optional=\"true\"/>\n"
  "<recv response=\"180\" optional=\"true\"/>\n"
  "<recv response=\"200\" rrs=\"true\"/>\n"
  "<send><![CDATA[\n"
  "ACK [next_url] SIP/2.0\nVia: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
  "[last_From:]\n[last_To:]\n[last_Call-ID:]\nCSeq: 1 ACK\nMax-Forwards: 70\n"
  "Content-Length: 0\n\n]]></send>\n"
  "<send retrans=\"500\"><![CDATA[\n"
  "INFO [next_url] SIP/2.0\nVia: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
  "[last_From:]\n[last_To:]\n[last_Call-ID:]\nCSeq: 2 INFO\nMax-Forwards: 70\n"
  "Content-Type: application/dtmf-relay\nContent-Length: [len]\n\nSignal=7\nDuration=160\n"
  "]]></send>\n"
  "<recv response=\"200\"/>\n"
  "<send retrans=\"500\"><![CDATA[\n"
  "INFO [next_url] SIP/2.0\nVia: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
  "[last_From:]\n[last_To:]\n[last_Call-ID:]\nCSeq: 3 INFO\nMax-Forwards: 70\n"
  "Content-Type: application/dtmf\nContent-Length: [len]\n\n#]]></send>\n"
  "<recv response=\"200\"/>\n"
  "<pause milliseconds=\"300\"/>\n"
  "<send retrans=\"500\"><![CDATA[\n"
  "BYE [next_url] SIP/2.0\nVia: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
  "[last_From:]\n[last_To:]\n[last_Call-ID:]\nCSeq: 4 BYE\nMax-Forwards: 70\n"
  "Content-Length: 0\n\n]]></send>\n"
  "<recv response=\"200\"/>\n"
  XML_TAIL;

/* ---- tests ------------------------------------------------------------------------------ */

static JarchiMediaDirection
direction_of (JarchiMediaSession *media)
{
  JarchiMediaDirection dir;

  g_object_get (media, "direction", &dir, NULL);
  return dir;
}

static void
test_hold_resume (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sip_lab_scenario (f->lab, "hold", hold_xml);
  guint port = start_uas (f, "uas", path);
  g_autofree char *uri = sipp_uri (f, "lab", port);
  JarchiMediaSession *media;
  guint id;

  id = jarchi_call_manager_dial (f->manager, uri, 0, &error);
  g_assert_no_error (error);
  watch (f, id);
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);
  g_assert_false (jarchi_call_manager_resume (f->manager, id, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (jarchi_call_manager_hold (f->manager, id, &error));
  wait_state (f, JARCHI_CALL_STATE_HELD);
  media = jarchi_call_manager_get_media_session (f->manager, id);
  sip_lab_spin (300);
  g_assert_cmpint (direction_of (media), ==, JARCHI_MEDIA_DIR_SENDONLY);

  g_assert_true (jarchi_call_manager_resume (f->manager, id, &error));
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);

  /* Then the peer holds us and lets us go again. */
  wait_state (f, JARCHI_CALL_STATE_REMOTE_HELD);
  g_assert_cmpint (direction_of (media), ==, JARCHI_MEDIA_DIR_RECVONLY);
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);
  g_assert_cmpint (direction_of (media), ==, JARCHI_MEDIA_DIR_SENDRECV);

  g_assert_true (jarchi_call_manager_hangup (f->manager, id, &error));
  (void) ended_call (f);
  assert_sipp_ok (f, "uas");
}

static gboolean
has_two_digits (gpointer data)
{
  return ((Fixture *) data)->digits->len >= 2;
}

static void
test_incoming_info_dtmf (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sip_lab_scenario (f->lab, "infouac", info_uac_xml);
  guint id;

  start_uac (f, "uac", path, "");
  id = wait_incoming (f);
  g_assert_true (jarchi_call_manager_answer (f->manager, id, &error));
  g_assert_true (sip_lab_wait (has_two_digits, f, 8000));
  g_assert_cmpstr (f->digits->str, ==, "7#");
  g_assert_cmpint (g_array_index (f->methods, JarchiDtmfMethod, 0), ==, JARCHI_DTMF_METHOD_INFO);
  (void) ended_call (f);
  assert_sipp_ok (f, "uac");
}

/* RFC 4733 digits from the peer come out of ::dtmf-received through the media session. */
static void
test_rfc4733_received (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  guint port, id;

  g_assert_cmpint (sip_lab_sh (f->lab, NULL,
                               "LAB_DTMF_DIGITS=42 lab_sipp_uas \"$ROOT/uas\" 0 answer-dtmf -m 1"),
                   ==, 0);
  port = sip_lab_read_uint (f->lab, "uas", "port");
  uri = sipp_uri (f, "lab", port);
  id = jarchi_call_manager_dial (f->manager, uri, 0, &error);
  g_assert_no_error (error);
  watch (f, id);
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);
  g_assert_true (sip_lab_wait (has_two_digits, f, 8000));
  g_assert_cmpstr (f->digits->str, ==, "42");
  g_assert_cmpint (g_array_index (f->methods, JarchiDtmfMethod, 0), ==,
                   JARCHI_DTMF_METHOD_RFC4733);
  g_assert_true (jarchi_call_manager_hangup (f->manager, id, &error));
  (void) ended_call (f);
  assert_sipp_ok (f, "uas");
}

static gboolean
is_registered (gpointer data)
{
  return jarchi_account_get_registration_state (data) == JARCHI_REGISTRATION_REGISTERED;
}

/* Registers through the manager on an auth Kamailio, dials a bare number that Kamailio routes
 * to SIPp (INVITE challenged with 407), and sends digits as SIP INFO. */
static void
test_account_call_info_dtmf (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiAccount) account = NULL;
  g_autofree char *path = sip_lab_scenario (f->lab, "info", info_xml);
  g_autofree char *aor = NULL;
  g_autofree char *expected = NULL;
  guint kport = sip_lab_kamailio (f->lab, "kam", TRUE);
  guint port = start_uas (f, "uas", path);
  JarchiCall *call;
  guint id;

  g_assert_cmpint (sip_lab_sh (f->lab, NULL,
                               "lab_kamailio_add_contact \"$ROOT/kam\" 2000 sip:lab@127.0.0.1:%u",
                               port), ==, 0);
  aor = g_strdup_printf ("sip:alice@127.0.0.1:%u", kport);
  account = jarchi_account_new (0, aor);
  g_object_set (account, "password", "secret", "dtmf-mode", JARCHI_DTMF_MODE_INFO, NULL);
  g_assert_true (jarchi_call_manager_add_account (f->manager, account, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (jarchi_account_get_id (account), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (jarchi_call_manager_get_accounts (f->manager)), ==, 1);
  g_assert_true (sip_lab_wait (is_registered, account, 8000));
  g_assert_true (jarchi_call_manager_get_default_account (f->manager) == account);

  id = jarchi_call_manager_dial (f->manager, "2000", 0, &error);
  g_assert_no_error (error);
  watch (f, id);
  call = jarchi_call_manager_lookup_call (f->manager, id);
  g_assert_cmpuint (jarchi_call_get_account_id (call), ==, 1);
  expected = g_strdup_printf ("sip:2000@127.0.0.1:%u", kport);
  g_assert_cmpstr (jarchi_call_get_remote_uri (call), ==, expected);
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);

  g_assert_false (jarchi_call_manager_send_dtmf (f->manager, id, "5x", &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (jarchi_call_manager_send_dtmf (f->manager, id, "5#", &error));
  sip_lab_spin (1200);
  g_assert_true (jarchi_call_manager_hangup (f->manager, id, &error));
  (void) ended_call (f);
  assert_sipp_ok (f, "uas");

  g_assert_true (jarchi_call_manager_remove_account (f->manager, 1, &error));
  g_assert_cmpint (jarchi_account_get_registration_state (account), ==,
                   JARCHI_REGISTRATION_UNREGISTERED);
  sip_lab_spin (300);
  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "lab_kamailio_registered \"$ROOT/kam\" alice"), !=, 0);
}

/* A call through Kamailio to a registered account that answers by itself and records. */
static void
test_auto_answer_record (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiAccount) account = NULL;
  g_autofree char *aor = NULL;
  g_autofree char *target = NULL;
  guint kport = sip_lab_kamailio (f->lab, "kam", FALSE);
  JarchiCall *call;
  const char *path;

  aor = g_strdup_printf ("sip:alice@127.0.0.1:%u", kport);
  account = jarchi_account_new (5, aor);
  g_object_set (account, "auto-answer", TRUE, "record", TRUE, NULL);
  g_assert_true (jarchi_call_manager_add_account (f->manager, account, &error));
  g_assert_true (sip_lab_wait (is_registered, account, 8000));

  target = g_strdup_printf ("127.0.0.1:%u", kport);
  g_assert_cmpint (sip_lab_sh (f->lab, NULL,
                               "lab_sipp_uac \"$ROOT/uac\" %s call -m 1 -s alice -d 2500", target),
                   ==, 0);
  (void) wait_incoming (f);
  call = g_ptr_array_index (f->incoming, 0);
  g_assert_cmpuint (jarchi_call_get_account_id (call), ==, 5);
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);
  call = ended_call (f);
  g_assert_cmpstr (jarchi_call_get_end_reason (call), ==, "remote hung up");
  path = jarchi_call_get_recording_path (call);
  g_assert_nonnull (path);
  g_assert_true (g_str_has_prefix (path, f->lab->root));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  assert_sipp_ok (f, "uac");
}

static void
test_transfer_blind (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sip_lab_scenario (f->lab, "refer", refer_xml);
  guint port = start_uas (f, "uas", path);
  g_autofree char *uri = sipp_uri (f, "lab", port);
  JarchiCall *call;
  guint id;

  id = jarchi_call_manager_dial (f->manager, uri, 0, &error);
  g_assert_no_error (error);
  watch (f, id);
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);
  g_assert_true (jarchi_call_manager_transfer_blind (f->manager, id, "sip:carol@127.0.0.1:5999",
                                                     &error));
  call = ended_call (f);
  g_assert_true (saw_state (f, JARCHI_CALL_STATE_TRANSFERRING));
  g_assert_cmpstr (jarchi_call_get_end_reason (call), ==, "transferred");
  g_assert_cmpuint (f->transfer_code, ==, 200);
  assert_sipp_ok (f, "uas");
}

static void
test_transfer_attended (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sip_lab_scenario (f->lab, "replaces", refer_replaces_xml);
  guint port1 = start_uas (f, "uas1", path);
  guint port2 = start_uas (f, "uas2", "answer");
  g_autofree char *uri1 = sipp_uri (f, "lab", port1);
  g_autofree char *uri2 = sipp_uri (f, "lab", port2);
  JarchiCall *call;
  guint id1, id2;

  id2 = jarchi_call_manager_dial (f->manager, uri2, 0, &error);
  g_assert_no_error (error);
  watch (f, id2);
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);
  id1 = jarchi_call_manager_dial (f->manager, uri1, 0, &error);
  g_assert_no_error (error);
  watch (f, id1);
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);

  g_assert_false (jarchi_call_manager_transfer_attended (f->manager, id1, id1, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (jarchi_call_manager_transfer_attended (f->manager, id1, id2, &error));
  call = ended_call (f);
  g_assert_cmpstr (jarchi_call_get_end_reason (call), ==, "transferred");
  assert_sipp_ok (f, "uas1");

  f->watched = id2;
  g_assert_true (jarchi_call_manager_hangup (f->manager, id2, &error));
  (void) ended_call (f);
  assert_sipp_ok (f, "uas2");
}

/* The peer REFERs us to a target: we place that call and report it by NOTIFY. */
static void
test_transferee (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sip_lab_scenario (f->lab, "transferee", transferee_xml);
  guint target = start_uas (f, "target", "answer");
  g_autofree char *csv = g_strdup_printf ("%s/fields.csv", f->lab->root);
  g_autofree char *csv_text = g_strdup_printf ("SEQUENTIAL\n%u;\n", target);
  g_autofree char *uri = NULL;
  g_autoptr(JarchiCall) second = NULL;
  guint port, id;

  g_assert_true (g_file_set_contents (csv, csv_text, -1, NULL));
  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "lab_sipp_uas \"$ROOT/uas\" 0 '%s' -m 1 -inf '%s'",
                               path, csv), ==, 0);
  port = sip_lab_read_uint (f->lab, "uas", "port");
  uri = sipp_uri (f, "lab", port);

  id = jarchi_call_manager_dial (f->manager, uri, 0, &error);
  g_assert_no_error (error);
  watch (f, id);
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);
  /* Once the target answered, the transferor hangs up on us. */
  (void) ended_call (f);
  g_assert_cmpstr (jarchi_call_get_end_reason (g_ptr_array_index (f->ended, 0)), ==,
                   "remote hung up");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 1);
  assert_sipp_ok (f, "uas");

  second = g_list_model_get_item (G_LIST_MODEL (f->manager), 0);
  g_assert_cmpint (jarchi_call_get_state (second), ==, JARCHI_CALL_STATE_ACTIVE);
  g_assert_true (g_str_has_prefix (jarchi_call_get_remote_uri (second), "sip:target@"));
  watch (f, jarchi_call_get_id (second));
  g_assert_true (jarchi_call_manager_hangup (f->manager, jarchi_call_get_id (second), &error));
  (void) ended_call (f);
  assert_sipp_ok (f, "target");
}

static gboolean
two_incoming (gpointer data)
{
  return ((Fixture *) data)->incoming->len >= 2;
}

typedef struct {
  JarchiCall      *call;
  JarchiCallState  state;
} CallState;

static gboolean
call_in_state (gpointer data)
{
  CallState *cs = data;
  return jarchi_call_get_state (cs->call) == cs->state;
}

/* Answering a second call puts the first on hold. */
static void
test_call_waiting (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sip_lab_scenario (f->lab, "held", held_uac_xml);
  JarchiCall *first, *second;
  CallState cs;

  start_uac (f, "uac1", path, "");
  (void) wait_incoming (f);
  first = g_ptr_array_index (f->incoming, 0);
  g_assert_true (jarchi_call_manager_answer (f->manager, jarchi_call_get_id (first), &error));
  cs = (CallState) { first, JARCHI_CALL_STATE_ACTIVE };
  g_assert_true (sip_lab_wait (call_in_state, &cs, 8000));

  start_uac (f, "uac2", "call", "-s jarchi -d 2000");
  g_assert_true (sip_lab_wait (two_incoming, f, 8000));
  second = g_ptr_array_index (f->incoming, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 2);
  g_assert_true (jarchi_call_manager_answer (f->manager, jarchi_call_get_id (second), &error));
  cs = (CallState) { second, JARCHI_CALL_STATE_ACTIVE };
  g_assert_true (sip_lab_wait (call_in_state, &cs, 8000));
  cs = (CallState) { first, JARCHI_CALL_STATE_HELD };
  g_assert_true (sip_lab_wait (call_in_state, &cs, 8000));

  /* The second caller hangs up; the first is still there, on hold. */
  f->watched = jarchi_call_get_id (second);
  (void) ended_call (f);
  assert_sipp_ok (f, "uac2");
  g_assert_cmpint (jarchi_call_get_state (first), ==, JARCHI_CALL_STATE_HELD);
  f->watched = jarchi_call_get_id (first);
  g_assert_true (jarchi_call_manager_hangup (f->manager, f->watched, &error));
  (void) ended_call (f);
  assert_sipp_ok (f, "uac1");
}

static void
test_incoming_opus_only (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sip_lab_scenario (f->lab, "opus", opus_uac_xml);
  JarchiMediaSession *media;
  guint id;

  start_uac (f, "uac", path, "");
  id = wait_incoming (f);
  g_assert_true (jarchi_call_manager_answer (f->manager, id, &error));
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);
  media = jarchi_call_manager_get_media_session (f->manager, id);
  g_assert_cmpint (jarchi_media_session_get_state (media), ==, JARCHI_MEDIA_STATE_RUNNING);
  (void) ended_call (f);
  assert_sipp_ok (f, "uac");
}

/* Shutting down with a call up: BYE to the peer, ::call-ended for history. */
static void
test_shutdown_hangs_up (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint port = start_uas (f, "uas", "answer");
  g_autofree char *uri = sipp_uri (f, "lab", port);
  guint id;

  id = jarchi_call_manager_dial (f->manager, uri, 0, &error);
  g_assert_no_error (error);
  watch (f, id);
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);
  jarchi_call_manager_shutdown (f->manager);
  g_assert_cmpuint (f->ended->len, ==, 1);
  g_assert_cmpstr (jarchi_call_get_end_reason (g_ptr_array_index (f->ended, 0)), ==, "hung up");
  g_assert_cmpuint (jarchi_call_get_sip_code (g_ptr_array_index (f->ended, 0)), ==, 200);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 0);
  g_assert_cmpuint (jarchi_call_manager_dial (f->manager, uri, 0, &error), ==, 0);
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_FAILED);
  assert_sipp_ok (f, "uas");
}

int
main (int    argc,
      char **argv)
{
  call_fixture_test_init (&argc, &argv, 1000);

#define ADD(path, func, secs) \
  g_test_add ("/call-features/" path, Fixture, GUINT_TO_POINTER (secs), fixture_setup, func, \
              fixture_teardown)

  ADD ("hold-resume", test_hold_resume, 40);
  ADD ("incoming-info-dtmf", test_incoming_info_dtmf, 30);
  ADD ("rfc4733-received", test_rfc4733_received, 40);
  ADD ("account-call-info-dtmf", test_account_call_info_dtmf, 40);
  ADD ("auto-answer-record", test_auto_answer_record, 40);
  ADD ("transfer-blind", test_transfer_blind, 30);
  ADD ("transfer-attended", test_transfer_attended, 40);
  ADD ("transferee", test_transferee, 40);
  ADD ("call-waiting", test_call_waiting, 40);
  ADD ("incoming-opus-only", test_incoming_opus_only, 30);
  ADD ("shutdown-hangs-up", test_shutdown_hangs_up, 30);

  return g_test_run ();
}
