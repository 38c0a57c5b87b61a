/* Unit tests of JarchiCall: states, timestamps and the end of a call. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-call.h"

static void
count_state (GObject    *object,
             GParamSpec *pspec,
             guint      *count)
{
  (*count)++;
}

static void
test_lifecycle (void)
{
  g_autoptr(JarchiCall) call = jarchi_call_new (7, 2, JARCHI_CALL_DIRECTION_OUTGOING,
                                                "sip:bob@example.com");
  guint changes = 0;

  g_assert_cmpuint (jarchi_call_get_id (call), ==, 7);
  g_assert_cmpuint (jarchi_call_get_account_id (call), ==, 2);
  g_assert_cmpstr (jarchi_call_get_remote_uri (call), ==, "sip:bob@example.com");
  g_assert_cmpint (jarchi_call_get_state (call), ==, JARCHI_CALL_STATE_DIALING);
  g_assert_cmpint (jarchi_call_get_started_at (call), >, 0);
  g_assert_cmpint (jarchi_call_get_answered_at (call), ==, 0);
  g_assert_cmpint (jarchi_call_get_duration (call), ==, 0);
  g_signal_connect (call, "notify::state", G_CALLBACK (count_state), &changes);

  jarchi_call_set_state (call, JARCHI_CALL_STATE_RINGING);
  jarchi_call_set_state (call, JARCHI_CALL_STATE_RINGING);
  g_assert_cmpuint (changes, ==, 1);
  jarchi_call_set_state (call, JARCHI_CALL_STATE_ACTIVE);
  g_assert_cmpint (jarchi_call_get_answered_at (call), >=, jarchi_call_get_started_at (call));
  jarchi_call_set_state (call, JARCHI_CALL_STATE_HELD);
  jarchi_call_set_state (call, JARCHI_CALL_STATE_ACTIVE);
  g_assert_false (jarchi_call_is_ended (call));

  jarchi_call_end (call, 200, "hung up");
  g_assert_true (jarchi_call_is_ended (call));
  g_assert_cmpstr (jarchi_call_get_end_reason (call), ==, "hung up");
  g_assert_cmpuint (jarchi_call_get_sip_code (call), ==, 200);
  g_assert_cmpint (jarchi_call_get_ended_at (call), >=, jarchi_call_get_answered_at (call));

  /* Late engine events cannot revive or re-end it. */
  jarchi_call_set_state (call, JARCHI_CALL_STATE_ACTIVE);
  jarchi_call_end (call, 486, "busy");
  g_assert_cmpint (jarchi_call_get_state (call), ==, JARCHI_CALL_STATE_ENDED);
  g_assert_cmpstr (jarchi_call_get_end_reason (call), ==, "hung up");
  g_assert_cmpuint (changes, ==, 5);
}

static void
test_incoming (void)
{
  g_autoptr(JarchiCall) call = jarchi_call_new (1, 0, JARCHI_CALL_DIRECTION_INCOMING,
                                                "sip:alice@example.com");

  g_assert_cmpint (jarchi_call_get_state (call), ==, JARCHI_CALL_STATE_INCOMING);
  jarchi_call_set_remote_name (call, "Alice");
  g_assert_cmpstr (jarchi_call_get_remote_name (call), ==, "Alice");
  jarchi_call_end (call, 487, "cancelled");
  g_assert_cmpint (jarchi_call_get_answered_at (call), ==, 0);
  g_assert_cmpint (jarchi_call_get_duration (call), ==, 0);
  g_assert_cmpstr (jarchi_call_state_to_string (jarchi_call_get_state (call)), ==, "ended");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/call/lifecycle", test_lifecycle);
  g_test_add_func ("/call/incoming", test_incoming);

  return g_test_run ();
}
