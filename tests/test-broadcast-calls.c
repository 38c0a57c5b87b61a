/* Tests of JarchiBroadcastDialer's calls with SIPp on 127.0.0.1: every way a call ends, 50 calls at once, calls hung up when the dialer goes away. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "broadcast-fixture.h"

/* ---- SIPp scenarios ------------------------------------------------------------------------ */

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

/* ---- every way a call can end ---- */

static void
test_outcomes (Fixture *f, gconstpointer data)
{
  g_autofree char *decline = sip_lab_scenario (f->lab, "decline", decline_xml);
  g_autofree char *notfound = sip_lab_scenario (f->lab, "notfound", notfound_xml);
  g_autofree char *badcodec = sip_lab_scenario (f->lab, "badcodec", badcodec_xml);
  g_autofree char *free_port = NULL;
  guint busy, noanswer, rejecter, missing, codec, hanger, closed;
  guint id_busy, id_timeout, id_cancel, id_decline, id_404, id_codec, id_hangup, id_nobody;

  /* Six answerers at once (each takes a second or two to come up), sharing one tone file; a
   * port taken in between (by another of them) means trying again with new ones. */
  g_assert_cmpint (sip_lab_sh (f->lab, &free_port,
    "{ up () { for a in 1 2 3; do lab_sipp_uas \"$@\" && return 0; lab_sipp_stop \"$1\"; done; return 1; }; "
    "sox -q -n -r 8000 -c 1 -t ul \"$ROOT/tone.ul\" synth 60 sine 1000 vol 0.5 && "
    "for d in busy noanswer decline notfound badcodec hangup; do "
    "mkdir -p \"$ROOT/$d\" && cp \"$ROOT/tone.ul\" \"$ROOT/$d/\"; done; "
    "up \"$ROOT/busy\" 0 busy -m 1 & p1=$!; "
    "up \"$ROOT/noanswer\" 0 noanswer -m 2 & p2=$!; "
    "up \"$ROOT/decline\" 0 '%s' -m 1 & p3=$!; "
    "up \"$ROOT/notfound\" 0 '%s' -m 1 & p4=$!; "
    "up \"$ROOT/badcodec\" 0 '%s' -m 1 & p5=$!; "
    "LAB_SIPP_HOLD_MS=500 up \"$ROOT/hangup\" 0 answer-hangup -m 1 & p6=$!; "
    "rc=0; for p in $p1 $p2 $p3 $p4 $p5 $p6; do wait $p || rc=1; done; lab_free_port; exit $rc; }",
    decline, notfound, badcodec), ==, 0);
  busy = sip_lab_read_uint (f->lab, "busy", "port");
  noanswer = sip_lab_read_uint (f->lab, "noanswer", "port");
  rejecter = sip_lab_read_uint (f->lab, "decline", "port");
  missing = sip_lab_read_uint (f->lab, "notfound", "port");
  codec = sip_lab_read_uint (f->lab, "badcodec", "port");
  hanger = sip_lab_read_uint (f->lab, "hangup", "port");
  closed = (guint) g_ascii_strtoull (free_port, NULL, 10);  /* nothing listens there */

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
  /* the ring timeout cancels: 487, as the softphone's engine records it */
  assert_ended (wait_ended (f, id_timeout, 10000), 487, JARCHI_DIAL_OUTCOME_NO_ANSWER);
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

/* ---- through Kamailio with digest auth: the challenge is answered once, then reused ---- */

static guint
n_challenges (Fixture *f)
{
  g_autofree char *out = NULL;

  g_assert_cmpint (sip_lab_sh (f->lab, &out, "grep -c 'challenge INVITE' \"$ROOT/kam/kamailio.log\" || true"),
                   ==, 0);
  return (guint) g_ascii_strtoull (out, NULL, 10);
}

/* One call after another: answered, then hung up by us. */
static void
call_and_hang_up (Fixture *f, guint account_id, const char *phone)
{
  guint id = place (f, phone, account_id, 10);
  CallLog *c = wait_log (f, id, "A", 10000);

  /* Our ACK and BYE take different Kamailio workers: a BYE at once may overtake the ACK,
   * which the SIPp scenario counts as a failed call. */
  sip_lab_spin (300);
  hang_up (f, id);
  c = wait_ended (f, id, 5000);
  assert_ended (c, 200, JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US);
}

#define NONCE_EXPIRE_S 3

static void
test_digest_reuse (Fixture *f, gconstpointer data)
{
  g_autofree char *path = sip_lab_scenario (f->lab, "quiet", quiet_xml);
  g_autoptr(JarchiAccount) account = NULL;
  g_autofree char *direct = NULL, *auth_lines = NULL;
  guint kport, sport, acc_id;

  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "LAB_NONCE_EXPIRE=%d lab_kamailio_start \"$ROOT/kam\" 0 auth",
                               NONCE_EXPIRE_S), ==, 0);
  kport = sip_lab_read_uint (f->lab, "kam", "port");
  sport = start_sipp (f, "uas", path, "-m 6");
  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "lab_kamailio_add_contact \"$ROOT/kam\" ans sip:ans@127.0.0.1:%u",
                               sport), ==, 0);
  account = register_lab_account (f, kport);
  acc_id = jarchi_account_get_id (account);

  /* The first call is challenged; the next ones carry credentials for that nonce. */
  call_and_hang_up (f, acc_id, "ans");
  g_assert_cmpuint (n_challenges (f), ==, 1);
  call_and_hang_up (f, acc_id, "ans");
  call_and_hang_up (f, acc_id, "ans");
  g_assert_cmpuint (n_challenges (f), ==, 1);

  /* Once the nonce has expired the proxy challenges again (stale): the call still goes
   * through with libre's fresh credentials, and the new nonce serves the call after it. */
  sip_lab_spin ((NONCE_EXPIRE_S + 1) * 1000);
  call_and_hang_up (f, acc_id, "ans");
  g_assert_cmpuint (n_challenges (f), ==, 2);
  call_and_hang_up (f, acc_id, "ans");
  g_assert_cmpuint (n_challenges (f), ==, 2);

  /* A URI elsewhere (SIPp itself, not the account's server) is offered no credentials. */
  direct = g_strdup_printf ("sip:direct@127.0.0.1:%u", sport);
  call_and_hang_up (f, acc_id, direct);
  g_assert_cmpint (sip_lab_sh (f->lab, &auth_lines,
                               "awk '/^INVITE sip:direct@/,/^$/' \"$ROOT/uas/sipp.messages\" |"
                               " grep -c Authorization || true"), ==, 0);
  g_assert_cmpstr (auth_lines, ==, "0");
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
  g_test_add ("/broadcast-calls/" name, Fixture, GUINT_TO_POINTER (timeout), fixture_setup, func, \
              fixture_teardown)
  ADD ("outcomes", test_outcomes, 60);
  ADD ("many", test_many, 60);
  ADD ("dispose-hangs-up", test_dispose_hangs_up, 40);
  ADD ("digest-reuse", test_digest_reuse, 60);
#undef ADD

  return g_test_run ();
}
