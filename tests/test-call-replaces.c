/* Tests of an incoming INVITE with Replaces (RFC 3891: Jarchi as the target of someone else's attended transfer) with SIPp on 127.0.0.1. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "call-fixture.h"

/* The fixed To tag the first peer gives its dialog with us: the Replaces header names it. */
#define OLD_TAG "oldleg1"

/* ---- SIPp scenarios ---------------------------------------------------------------------- */

/* Answers our call, logs the dialog's Call-ID and our From tag (the transferor learns them
 * in a real transfer), then waits for the BYE that ends the replaced call. */
static const char old_leg_xml[] =
  XML_HEAD
  "<recv request=\"INVITE\" crlf=\"true\" rrs=\"true\"><action>\n"
  "<ereg regexp=\"[^ ]+\" search_in=\"hdr\" header=\"Call-ID:\" assign_to=\"cid\"/>\n"
  "<ereg regexp=\"tag=([^;> ]+)\" search_in=\"hdr\" header=\"From:\" assign_to=\"whole,ftag\"/>\n"
  "</action></recv>\n"
  "<send retrans=\"500\"><![CDATA[\n"
  "SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:];tag=" OLD_TAG "\n"
  "[last_Call-ID:]\n[last_CSeq:]\n[last_Record-Route:]\n"
  "Contact: <sip:t@[local_ip]:[local_port]>\nContent-Type: application/sdp\n"
  "Content-Length: [len]\n\n" SDP ("sendrecv") "]]></send>\n"
  "<recv request=\"ACK\" crlf=\"true\"><action>\n"
  "<log message=\"DIALOG [$cid] [$ftag] [$whole]\"/>\n"
  "</action></recv>\n"
  UAS_WAIT_BYE
  XML_TAIL;

/* The transfer target's INVITE to Jarchi with Replaces: [cid], [jtag] and [rtag] come from
 * -key; the final response expected varies. */
#define REPLACES_INVITE \
  "<send retrans=\"500\"><![CDATA[\n" \
  "INVITE sip:jarchi@[remote_ip]:[remote_port] SIP/2.0\n" \
  "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n" \
  "From: \"Carol\" <sip:carol@[local_ip]:[local_port]>;tag=[pid]c[call_number]\n" \
  "To: <sip:jarchi@[remote_ip]:[remote_port]>\nCall-ID: [call_id]\nCSeq: 1 INVITE\n" \
  "Contact: <sip:carol@[local_ip]:[local_port]>\nMax-Forwards: 70\n" \
  "Replaces: [cid];to-tag=[jtag];from-tag=[rtag]\nRequire: replaces\n" \
  "Content-Type: application/sdp\nContent-Length: [len]\n\n" SDP ("sendrecv") "]]></send>\n" \
  "<recv response=\"100\" optional=\"true\"/>\n" \
  "<recv response=\"180\" optional=\"true\"/>\n"

/* Taken over at once (no ringing needed), then waits for our BYE. */
static const char replacing_xml[] =
  XML_HEAD
  REPLACES_INVITE
  "<recv response=\"200\" rrs=\"true\"/>\n"
  "<send><![CDATA[\n"
  "ACK [next_url] SIP/2.0\nVia: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n"
  "[routes]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\nCSeq: 1 ACK\nMax-Forwards: 70\n"
  "Content-Length: 0\n\n]]></send>\n"
  UAS_WAIT_BYE
  XML_TAIL;

/* Names no dialog of Jarchi's: 481. */
static const char unmatched_xml[] =
  XML_HEAD
  REPLACES_INVITE
  "<recv response=\"481\"/>\n"
  UAC_ACK_FAILURE
  XML_TAIL;

/* ---- helpers ----------------------------------------------------------------------------- */

typedef struct {
  char *callid;
  char *tag;      /* Jarchi's own (From) tag of the dialog */
} Dialog;

static void
dialog_clear (Dialog *d)
{
  g_free (d->callid);
  g_free (d->tag);
}

/* Jarchi calls the old leg's SIPp and waits for it to be up; returns the call id and the
 * dialog as the old leg saw it. */
static guint
call_old_leg (Fixture *f,
              Dialog  *dialog)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sip_lab_scenario (f->lab, "old-leg", old_leg_xml);
  g_autofree char *uri = NULL;
  g_autofree char *log = NULL;
  g_auto(GStrv) words = NULL;
  const char *line;
  guint port, id;
  int rc;

  rc = sip_lab_sh (f->lab, NULL, "lab_sipp_uas \"$ROOT/old\" 0 '%s' -m 1 -trace_logs "
                   "-log_file \"$ROOT/old/dialog.log\"", path);
  g_assert_cmpint (rc, ==, 0);
  port = sip_lab_read_uint (f->lab, "old", "port");
  uri = sipp_uri (f, "bob", port);
  id = jarchi_call_manager_dial (f->manager, uri, 0, &error);
  g_assert_no_error (error);
  watch (f, id);
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);

  /* SIPp logs once it has the ACK, just after Jarchi saw the 200. */
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *p = g_build_filename (f->lab->root, "old", "dialog.log", NULL);

      g_clear_pointer (&log, g_free);
      if (g_file_get_contents (p, &log, NULL, NULL) && strstr (log, "DIALOG ") != NULL)
        break;
      sip_lab_spin (100);
    }
  g_assert_nonnull (log);
  line = strstr (log, "DIALOG ");
  g_assert_nonnull (line);
  words = g_strsplit_set (line + 7, " \r\n", 3);
  g_assert_cmpuint (g_strv_length (words), >=, 2);
  g_assert_cmpstr (words[0], !=, "");
  g_assert_cmpstr (words[1], !=, "");
  dialog->callid = g_strdup (words[0]);
  dialog->tag = g_strdup (words[1]);
  g_test_message ("dialog to replace: call %u, Call-ID %s, our tag %s", id, dialog->callid,
                  dialog->tag);
  return id;
}

static void
send_replaces (Fixture    *f,
               const char *dir,
               const char *xml,
               const char *callid,
               const char *jtag,
               const char *rtag)
{
  g_autofree char *path = sip_lab_scenario (f->lab, dir, xml);
  g_autofree char *keys = g_strdup_printf ("-key cid '%s' -key jtag '%s' -key rtag '%s'",
                                           callid, jtag, rtag);

  start_uac (f, dir, path, keys);
}

static JarchiCall *
find_ended (Fixture *f,
            guint    id)
{
  for (guint i = 0; i < f->ended->len; i++)
    if (jarchi_call_get_id (g_ptr_array_index (f->ended, i)) == id)
      return g_ptr_array_index (f->ended, i);
  return NULL;
}

/* ---- tests ------------------------------------------------------------------------------- */

/* Bob (old leg) is talking to us and transfers us to Carol: Carol's INVITE replaces Bob's
 * call; it is answered without asking and Bob's call ends. */
static void
test_replaces_matched (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Dialog dialog = { 0 };
  guint old_id, new_id;
  JarchiCall *old_call, *new_call;

  old_id = call_old_leg (f, &dialog);
  send_replaces (f, "new", replacing_xml, dialog.callid, dialog.tag, OLD_TAG);

  new_id = wait_incoming (f);
  g_assert_cmpuint (new_id, !=, old_id);
  new_call = jarchi_call_manager_lookup_call (f->manager, new_id);
  g_assert_cmpstr (jarchi_call_get_remote_name (new_call), ==, "Carol");
  /* Answered by itself. */
  wait_state (f, JARCHI_CALL_STATE_ACTIVE);

  /* The replaced call ends, with a reason that says why, and its peer got our BYE. */
  f->watched = old_id;
  old_call = ended_call (f);
  g_test_message ("replaced call ended: %s", jarchi_call_get_end_reason (old_call));
  g_assert_cmpstr (jarchi_call_get_end_reason (old_call), ==, "replaced by a transferred call");
  assert_sipp_ok (f, "old");

  /* The new call is the only one left, up and not on hold. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 1);
  g_assert_cmpint (jarchi_call_get_state (new_call), ==, JARCHI_CALL_STATE_ACTIVE);
  g_assert_null (find_ended (f, new_id));

  f->watched = new_id;
  g_assert_true (jarchi_call_manager_hangup (f->manager, new_id, &error));
  g_assert_no_error (error);
  (void) ended_call (f);
  assert_sipp_ok (f, "new");
  dialog_clear (&dialog);
}

/* A Replaces header naming no dialog of ours (an unknown Call-ID, or our Call-ID with the
 * wrong tags) gets 481 and changes nothing. */
static void
test_replaces_unmatched (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Dialog dialog = { 0 };
  guint old_id;

  old_id = call_old_leg (f, &dialog);

  send_replaces (f, "unknown", unmatched_xml, "no-such-call@127.0.0.1", dialog.tag, OLD_TAG);
  assert_sipp_ok (f, "unknown");
  /* Tags the wrong way round: the dialog seen from the other side is not ours. */
  send_replaces (f, "swapped", unmatched_xml, dialog.callid, OLD_TAG, dialog.tag);
  assert_sipp_ok (f, "swapped");

  g_assert_cmpuint (f->incoming->len, ==, 0);
  g_assert_cmpuint (f->ended->len, ==, 0);
  g_assert_cmpint (jarchi_call_get_state (jarchi_call_manager_lookup_call (f->manager, old_id)), ==,
                   JARCHI_CALL_STATE_ACTIVE);

  f->watched = old_id;
  g_assert_true (jarchi_call_manager_hangup (f->manager, old_id, &error));
  g_assert_no_error (error);
  (void) ended_call (f);
  assert_sipp_ok (f, "old");

  /* The dialog is gone now: replacing it is refused the same way. */
  send_replaces (f, "late", unmatched_xml, dialog.callid, dialog.tag, OLD_TAG);
  assert_sipp_ok (f, "late");
  g_assert_cmpuint (f->incoming->len, ==, 0);
  dialog_clear (&dialog);
}

int
main (int    argc,
      char **argv)
{
  call_fixture_test_init (&argc, &argv, 1000);

  g_test_add ("/call-replaces/matched", Fixture, GUINT_TO_POINTER (40), fixture_setup,
              test_replaces_matched, fixture_teardown);
  g_test_add ("/call-replaces/unmatched", Fixture, GUINT_TO_POINTER (40), fixture_setup,
              test_replaces_unmatched, fixture_teardown);
  return g_test_run ();
}
