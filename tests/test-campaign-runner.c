/* Tests for JarchiCampaignRunner against a scripted dialer: DTMF menu, results, retries, limits, calling window with injected time, pause/cancel and crash resume. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "campaign-test-utils.h"
#include "jarchi-error.h"

typedef struct {
  char                 *dir;
  char                 *path;
  JarchiStore          *store;
  JarchiCampaignStore  *campaigns;
  JarchiCampaignRunner *runner;
  FakeDialer           *dialer;
  gint64                now_us;     /* the injected clock; 0: real time */
  GArray               *changed_at; /* monotonic µs of each ::campaign-changed */
} Fixture;

static gint64
fixture_clock (gpointer user_data)
{
  Fixture *f = user_data;

  return f->now_us ? f->now_us : g_get_real_time ();
}

static void
on_changed (JarchiCampaignRunner *runner, JarchiCampaign *campaign, Fixture *f)
{
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (f->changed_at, now);
}

static void
fixture_open (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+05:00");

  f->store = jarchi_store_open (f->path, &error);
  g_assert_no_error (error);
  f->campaigns = jarchi_campaign_store_new (f->store, &error);
  g_assert_no_error (error);
  f->runner = jarchi_campaign_runner_new (f->campaigns);
  jarchi_campaign_runner_set_clock (f->runner, fixture_clock, f, NULL);
  jarchi_campaign_runner_set_time_zone (f->runner, tz);
  f->dialer = g_object_new (FAKE_TYPE_DIALER, NULL);
  g_signal_connect (f->runner, "campaign-changed", G_CALLBACK (on_changed), f);
}

static void
fixture_close (Fixture *f)
{
  g_clear_object (&f->runner);
  g_clear_object (&f->dialer);
  g_clear_object (&f->campaigns);
  g_clear_object (&f->store);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiStore) seed = NULL;

  f->dir = g_dir_make_tmp ("jarchi-campaign-runner-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "jarchi.db", NULL);
  f->changed_at = g_array_new (FALSE, FALSE, sizeof (gint64));
  seed = jarchi_store_open (f->path, &error);
  g_assert_no_error (error);
  test_seed (seed, 40);
  g_clear_object (&seed);
  fixture_open (f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  fixture_close (f);
  /* let the fake's pending hang-ups and the runner's sources go */
  test_spin (20);
  test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_array_unref (f->changed_at);
}

static JarchiCampaign *
make_campaign (Fixture *f, const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(JarchiCampaign) c = NULL;

  g_assert_nonnull (node);
  c = jarchi_campaign_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_true (jarchi_campaign_store_add (f->campaigns, c, &error));
  return g_steal_pointer (&c);
}

static void
start (Fixture *f, JarchiCampaign *c)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (jarchi_campaign_runner_start (f->runner, c, &error));
  g_assert_no_error (error);
}

static void
assert_target (Fixture *f, const char *phone, const char *result, guint attempts, const char *digits)
{
  g_autofree char *sql = g_strdup_printf ("SELECT result || '/' || attempts || '/' || digits "
                                          "FROM campaign_targets WHERE phone = '%s'", phone);
  g_autofree char *got = test_query_text (f->store, sql);
  g_autofree char *expected = g_strdup_printf ("%s/%u/%s", result, attempts, digits);

  g_test_message ("target %s: %s", phone, got);
  g_assert_cmpstr (got, ==, expected);
}

#define wait_state(c, s, ms) test_wait_until (jarchi_campaign_get_state (c) == (s), ms)

/* Every menu path and every outcome, with one retry for busy. */
static void
test_menu_and_results (Fixture *f, gconstpointer data)
{
  g_autoptr(JarchiCampaign) c = NULL;
  const JarchiCampaignStats *stats;

  test_exec (f->store, "INSERT INTO do_not_call (phone) VALUES ('1012')");
  c = make_campaign (f, "{\"name\": \"menu\", \"account\": 1, \"message\": {\"media\": 1},"
                        " \"targets\": {\"contacts\": [1,2,3,4,5,6,7,8,9,10,11,12,13]},"
                        " \"menu\": {\"confirm\": \"1\", \"repeat\": \"2\", \"opt_out\": \"9\", \"max_repeats\": 2, \"timeout_s\": 1},"
                        " \"max_concurrent\": 3, \"cps\": 50,"
                        " \"retries\": {\"busy\": {\"count\": 1, \"delay_s\": 0}, \"no_answer\": {\"count\": 0, \"delay_s\": 0},"
                        "             \"failed\": {\"count\": 0, \"delay_s\": 0}, \"unconfirmed\": {\"count\": 0, \"delay_s\": 0}}}");
  fake_dialer_script (f->dialer, "1001", "wait:5 answer wait:20 key:1");
  fake_dialer_script (f->dialer, "1002", "answer wait:20 key:2 wait:30 key:1");
  fake_dialer_script (f->dialer, "1003", "answer");
  fake_dialer_script (f->dialer, "1004", "wait:10 end:486");
  fake_dialer_script (f->dialer, "1005", "wait:10 end:487");
  fake_dialer_script (f->dialer, "1006", "answer wait:10 hangup");
  fake_dialer_script (f->dialer, "1007", "answer wait:5 key:9");
  fake_dialer_script (f->dialer, "1008", "refuse");
  fake_dialer_script (f->dialer, "1009", "wait:5 end:503");
  fake_dialer_script (f->dialer, "1010", "answer wait:900 hangup");
  fake_dialer_script (f->dialer, "1011", "answer key:2 wait:10 key:2 wait:10 key:2 wait:10 key:5");
  /* heard to the end, asked to hear it again, hung up during the replay: still heard */
  fake_dialer_script (f->dialer, "1013", "answer wait:900 key:2 wait:10 hangup");
  jarchi_campaign_runner_set_dialer (f->runner, JARCHI_CAMPAIGN_DIALER (f->dialer));
  start (f, c);
  g_assert_cmpint (jarchi_campaign_get_state (c), ==, JARCHI_CAMPAIGN_STATE_RUNNING);

  wait_state (c, JARCHI_CAMPAIGN_STATE_COMPLETED, 60000);
  g_assert_cmpint (jarchi_campaign_get_state (c), ==, JARCHI_CAMPAIGN_STATE_COMPLETED);

  assert_target (f, "1001", "confirmed", 1, "1");
  assert_target (f, "1002", "confirmed", 1, "21");
  assert_target (f, "1003", "heard", 1, "");
  assert_target (f, "1004", "busy", 2, "");
  assert_target (f, "1005", "no-answer", 1, "");
  assert_target (f, "1006", "hung-up", 1, "");
  assert_target (f, "1007", "opted-out", 1, "9");
  assert_target (f, "1008", "failed", 1, "");
  assert_target (f, "1009", "failed", 1, "");
  assert_target (f, "1010", "heard", 1, "");
  assert_target (f, "1011", "heard", 1, "2225");
  assert_target (f, "1012", "do-not-call", 0, "");
  assert_target (f, "1013", "heard", 1, "2");
  g_assert_cmpint (test_query_int (f->store, "SELECT last_code FROM campaign_targets WHERE phone = '1004'"), ==, 486);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM do_not_call WHERE phone = '1007'"), ==, 1);

  /* 1002 and 1013 replayed once; 1011 pressed repeat three times but max_repeats is 2 */
  g_assert_cmpuint (f->dialer->replays, ==, 4);
  g_assert_cmpuint (fake_dialer_count_calls_to (f->dialer, "1012"), ==, 0);
  g_assert_cmpuint (fake_dialer_count_calls_to (f->dialer, "1004"), ==, 2);
  g_assert_cmpuint (f->dialer->max_active, <=, 3);
  g_assert_cmpuint (jarchi_campaign_runner_get_n_active_calls (f->runner), ==, 0);

  test_wait_until (jarchi_campaign_get_stats (c)->finished == 13, 10000);
  stats = jarchi_campaign_get_stats (c);
  g_assert_cmpuint (stats->total, ==, 13);
  g_assert_cmpuint (stats->finished, ==, 13);
  g_assert_cmpuint (stats->results[JARCHI_TARGET_RESULT_CONFIRMED], ==, 2);
  g_assert_cmpuint (stats->results[JARCHI_TARGET_RESULT_HEARD], ==, 4);
  g_assert_cmpuint (stats->results[JARCHI_TARGET_RESULT_FAILED], ==, 2);
  g_assert_cmpuint (stats->attempted, ==, 12);
  g_assert_cmpuint (stats->answered, ==, 8);
  g_assert_cmpuint (stats->attempts, ==, 13);
  g_assert_cmpuint (stats->in_progress, ==, 0);
  g_assert_cmpfloat_with_epsilon (stats->answer_rate, 8.0 / 12, 1e-9);
  g_assert_cmpfloat_with_epsilon (stats->confirmation_rate, 2.0 / 8, 1e-9);
  g_assert_cmpint (stats->eta_s, ==, 0);

  /* ::campaign-changed is coalesced: at least 200 ms between two */
  g_assert_cmpuint (f->changed_at->len, >=, 3);
  for (guint i = 1; i < f->changed_at->len; i++)
    g_assert_cmpint (g_array_index (f->changed_at, gint64, i) - g_array_index (f->changed_at, gint64, i - 1),
                     >=, 195000);
}

/* Two campaigns on one account share the smallest limits: never more than 4 calls up, never
 * more than 8 new calls in any second, and both get calls. */
static void
test_shared_limits (Fixture *f, gconstpointer data)
{
  g_autoptr(JarchiCampaign) a = NULL;
  g_autoptr(JarchiCampaign) b = NULL;

  a = make_campaign (f, "{\"name\": \"a\", \"account\": 1, \"message\": {\"media\": 1},"
                        " \"targets\": {\"contacts\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]},"
                        " \"max_concurrent\": 4, \"cps\": 8, \"retries\": {\"busy\": {\"count\": 0}}}");
  b = make_campaign (f, "{\"name\": \"b\", \"account\": 1, \"message\": {\"media\": 1},"
                        " \"targets\": {\"contacts\": [16,17,18,19,20,21,22,23,24,25,26,27,28,29,30]},"
                        " \"max_concurrent\": 10, \"cps\": 20, \"retries\": {\"busy\": {\"count\": 0}}}");
  for (int i = 1; i <= 30; i++)
    {
      g_autofree char *phone = g_strdup_printf ("%d", 1000 + i);
      fake_dialer_script (f->dialer, phone, "wait:250 end:486");
    }
  jarchi_campaign_runner_set_dialer (f->runner, JARCHI_CAMPAIGN_DIALER (f->dialer));
  start (f, a);
  start (f, b);

  /* half way, both have had calls */
  test_wait_until (f->dialer->placed >= 14, 30000);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(DISTINCT campaign_id) FROM campaign_targets WHERE attempts > 0"), ==, 2);

  wait_state (a, JARCHI_CAMPAIGN_STATE_COMPLETED, 60000);
  wait_state (b, JARCHI_CAMPAIGN_STATE_COMPLETED, 60000);
  g_assert_cmpint (jarchi_campaign_get_state (a), ==, JARCHI_CAMPAIGN_STATE_COMPLETED);
  g_assert_cmpint (jarchi_campaign_get_state (b), ==, JARCHI_CAMPAIGN_STATE_COMPLETED);
  g_assert_cmpuint (f->dialer->placed, ==, 30);
  g_test_message ("max concurrent %u, max per second %u", f->dialer->max_active,
                  fake_dialer_max_in_window (f->dialer, G_USEC_PER_SEC));
  /* Upper bounds only: how close a loaded machine gets to the limits is not this test's
   * business (test-campaign-run measures the real pace). */
  g_assert_cmpuint (f->dialer->max_active, <=, 4);
  g_assert_cmpuint (fake_dialer_max_in_window (f->dialer, G_USEC_PER_SEC), <=, 8);
}

/* 2026-03-01 is a Sunday; times in +05:00. */
static gint64
local_us (int day, int hour, int minute)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+05:00");
  g_autoptr(GDateTime) dt = g_date_time_new (tz, 2026, 3, day, hour, minute, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static void
test_window_injected_time (Fixture *f, gconstpointer data)
{
  g_autoptr(JarchiCampaign) c = NULL;
  const JarchiCampaignStats *stats;

  f->now_us = local_us (1, 12, 0);  /* Sunday noon */
  c = make_campaign (f, "{\"name\": \"w\", \"account\": 1, \"message\": {\"media\": 1},"
                        " \"targets\": {\"contacts\": [1,2,3,4]}, \"max_concurrent\": 1, \"cps\": 100,"
                        " \"window\": {\"days\": [\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"], \"start\": \"09:00\", \"end\": \"18:00\"}}");
  for (int i = 1; i <= 4; i++)
    {
      g_autofree char *phone = g_strdup_printf ("%d", 1000 + i);
      fake_dialer_script (f->dialer, phone, "answer wait:300 key:1");
    }
  jarchi_campaign_runner_set_dialer (f->runner, JARCHI_CAMPAIGN_DIALER (f->dialer));
  start (f, c);
  g_assert_cmpint (jarchi_campaign_get_state (c), ==, JARCHI_CAMPAIGN_STATE_RUNNING);
  test_spin (300);
  g_assert_cmpuint (f->dialer->placed, ==, 0);
  test_wait_until (jarchi_campaign_get_stats (c)->next_window_at != 0, 10000);
  g_assert_cmpint (jarchi_campaign_get_stats (c)->next_window_at, ==, local_us (2, 9, 0) / G_USEC_PER_SEC);

  /* one second before it opens: still nothing */
  f->now_us = local_us (2, 8, 59) + 59 * G_USEC_PER_SEC;
  jarchi_campaign_runner_reevaluate (f->runner);
  test_spin (100);
  g_assert_cmpuint (f->dialer->placed, ==, 0);

  /* it opens: calls start, one at a time */
  f->now_us = local_us (2, 9, 0);
  jarchi_campaign_runner_reevaluate (f->runner);
  test_wait_until (f->dialer->placed >= 2, 20000);
  g_assert_cmpuint (f->dialer->placed, >=, 1);

  /* it closes with targets left: the call in progress ends normally, no new one starts */
  f->now_us = local_us (2, 18, 0);
  jarchi_campaign_runner_reevaluate (f->runner);
  test_wait_until (jarchi_campaign_runner_get_n_active_calls (f->runner) == 0, 20000);
  {
    guint placed = f->dialer->placed;

    test_spin (300);
    g_assert_cmpuint (f->dialer->placed, ==, placed);
    g_assert_cmpuint (placed, <, 4);
    g_assert_cmpint (jarchi_campaign_get_state (c), ==, JARCHI_CAMPAIGN_STATE_RUNNING);
  }

  /* next morning it finishes */
  f->now_us = local_us (3, 9, 30);
  jarchi_campaign_runner_reevaluate (f->runner);
  wait_state (c, JARCHI_CAMPAIGN_STATE_COMPLETED, 30000);
  g_assert_cmpint (jarchi_campaign_get_state (c), ==, JARCHI_CAMPAIGN_STATE_COMPLETED);
  g_assert_cmpuint (f->dialer->placed, ==, 4);
  g_assert_cmpuint (f->dialer->max_active, ==, 1);
  /* every call was placed inside the window, as the attempts' (injected) start times show */
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_attempts WHERE started_at < "
                                             "(SELECT started_at FROM campaigns)"), ==, 0);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM campaign_attempts WHERE started_at IN (%" G_GINT64_FORMAT
                                            ", %" G_GINT64_FORMAT ")",
                                            local_us (2, 9, 0) / G_USEC_PER_SEC, local_us (3, 9, 30) / G_USEC_PER_SEC);
    g_assert_cmpint (test_query_int (f->store, sql), ==, 4);
  }
  stats = jarchi_campaign_get_stats (c);
  test_wait_until (jarchi_campaign_get_stats (c)->results[JARCHI_TARGET_RESULT_CONFIRMED] == 4, 10000);
  stats = jarchi_campaign_get_stats (c);
  g_assert_cmpuint (stats->results[JARCHI_TARGET_RESULT_CONFIRMED], ==, 4);
}

static void
test_start_at_and_retry_delay (Fixture *f, gconstpointer data)
{
  g_autoptr(JarchiCampaign) c = NULL;

  f->now_us = local_us (2, 10, 0);
  c = make_campaign (f, "{\"name\": \"later\", \"account\": 1, \"message\": {\"media\": 1},"
                        " \"targets\": {\"contacts\": [1]}, \"start_at\": \"2026-03-02T11:00:00+05:00\","
                        " \"retries\": {\"busy\": {\"count\": 1, \"delay_s\": 300}}}");
  fake_dialer_script (f->dialer, "1001", "end:486");
  jarchi_campaign_runner_set_dialer (f->runner, JARCHI_CAMPAIGN_DIALER (f->dialer));
  start (f, c);
  g_assert_cmpint (jarchi_campaign_get_state (c), ==, JARCHI_CAMPAIGN_STATE_SCHEDULED);
  test_spin (300);
  g_assert_cmpuint (f->dialer->placed, ==, 0);
  g_assert_cmpint (jarchi_campaign_get_stats (c)->next_window_at, ==, local_us (2, 11, 0) / G_USEC_PER_SEC);

  f->now_us = local_us (2, 11, 0);
  jarchi_campaign_runner_reevaluate (f->runner);
  g_assert_cmpint (jarchi_campaign_get_state (c), ==, JARCHI_CAMPAIGN_STATE_RUNNING);
  test_wait_until (jarchi_campaign_runner_get_n_active_calls (f->runner) == 0 && f->dialer->placed == 1, 20000);
  test_spin (200);
  /* busy: the retry waits its 300 s of (injected) time */
  g_assert_cmpuint (f->dialer->placed, ==, 1);
  f->now_us += 299 * G_USEC_PER_SEC;
  jarchi_campaign_runner_reevaluate (f->runner);
  test_spin (100);
  g_assert_cmpuint (f->dialer->placed, ==, 1);
  f->now_us += 1 * G_USEC_PER_SEC;
  jarchi_campaign_runner_reevaluate (f->runner);
  wait_state (c, JARCHI_CAMPAIGN_STATE_COMPLETED, 20000);
  g_assert_cmpuint (f->dialer->placed, ==, 2);
  assert_target (f, "1001", "busy", 2, "");
}

static void
test_pause_resume_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(JarchiCampaign) c = NULL;
  g_autoptr(GError) error = NULL;
  guint placed;

  c = make_campaign (f, "{\"name\": \"p\", \"account\": 1, \"message\": {\"media\": 1},"
                        " \"targets\": {\"contacts\": [1,2,3,4,5,6,7,8,9,10]}, \"max_concurrent\": 2, \"cps\": 100}");
  for (int i = 1; i <= 10; i++)
    {
      g_autofree char *phone = g_strdup_printf ("%d", 1000 + i);
      fake_dialer_script (f->dialer, phone, "answer wait:150 key:1");
    }
  jarchi_campaign_runner_set_dialer (f->runner, JARCHI_CAMPAIGN_DIALER (f->dialer));

  /* only a draft can start, only a running one pause... */
  g_assert_false (jarchi_campaign_runner_pause (f->runner, c, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (jarchi_campaign_runner_resume (f->runner, c, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY);
  g_clear_error (&error);

  start (f, c);
  test_wait_until (f->dialer->placed >= 2, 20000);
  g_assert_true (jarchi_campaign_runner_pause (f->runner, c, &error));
  /* calls up finish and count; no new ones */
  test_wait_until (jarchi_campaign_runner_get_n_active_calls (f->runner) == 0, 20000);
  placed = f->dialer->placed;
  test_spin (300);
  g_assert_cmpuint (f->dialer->placed, ==, placed);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_targets WHERE result = 'confirmed'"), ==, placed);

  g_assert_false (jarchi_campaign_runner_start (f->runner, c, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_true (jarchi_campaign_runner_resume (f->runner, c, &error));
  g_assert_cmpint (jarchi_campaign_get_state (c), ==, JARCHI_CAMPAIGN_STATE_RUNNING);
  test_wait_until (f->dialer->placed >= placed + 2, 20000);

  g_assert_true (jarchi_campaign_runner_cancel (f->runner, c, &error));
  g_assert_cmpint (jarchi_campaign_get_state (c), ==, JARCHI_CAMPAIGN_STATE_CANCELLED);
  test_wait_until (jarchi_campaign_runner_get_n_active_calls (f->runner) == 0, 20000);
  placed = f->dialer->placed;
  test_spin (300);
  g_assert_cmpuint (f->dialer->placed, ==, placed);
  g_assert_cmpuint (placed, <, 10);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_targets WHERE result = 'confirmed'"), ==, placed);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_targets WHERE result = 'pending'"), ==, 10 - placed);
  g_assert_false (jarchi_campaign_runner_resume (f->runner, c, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY);
}

/* The process dies with calls up; a new one resumes the running campaign by itself, retries
 * the interrupted targets by the failed rule and never calls a finished one again. */
static void
test_crash_resume (Fixture *f, gconstpointer data)
{
  g_autoptr(JarchiCampaign) c = NULL;
  JarchiCampaign *resumed;
  gint64 id;

  c = make_campaign (f, "{\"name\": \"crash\", \"account\": 1, \"message\": {\"media\": 1},"
                        " \"targets\": {\"contacts\": [1,2,3,4,5,6]}, \"max_concurrent\": 3, \"cps\": 100,"
                        " \"retries\": {\"failed\": {\"count\": 1, \"delay_s\": 0}}}");
  id = jarchi_campaign_get_id (c);
  fake_dialer_script (f->dialer, "1001", "answer wait:5 key:1");
  fake_dialer_script (f->dialer, "1002", "answer wait:5 key:1");
  fake_dialer_script (f->dialer, "1003", "answer wait:5 key:1");
  /* 1004..1006 ring forever in this process */
  jarchi_campaign_runner_set_dialer (f->runner, JARCHI_CAMPAIGN_DIALER (f->dialer));
  start (f, c);
  /* decided targets show their result while their call is still being hung up: wait for both */
  test_wait_until (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_targets WHERE result = 'confirmed'") == 3
                   && test_query_int (f->store, "SELECT COUNT(*) FROM campaign_targets WHERE result = 'calling'") == 3
                   && jarchi_campaign_runner_get_n_active_calls (f->runner) == 3, 30000);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_targets WHERE result = 'calling'"), ==, 3);

  /* "kill -9": everything goes without ending a call */
  g_clear_object (&c);
  fixture_close (f);
  test_spin (20);

  fixture_open (f);
  resumed = jarchi_campaign_store_lookup (f->campaigns, id);
  g_assert_cmpint (jarchi_campaign_get_state (resumed), ==, JARCHI_CAMPAIGN_STATE_RUNNING);
  for (int i = 1; i <= 6; i++)
    {
      g_autofree char *phone = g_strdup_printf ("%d", 1000 + i);
      fake_dialer_script (f->dialer, phone, "answer wait:5 key:1");
    }
  jarchi_campaign_runner_set_dialer (f->runner, JARCHI_CAMPAIGN_DIALER (f->dialer));
  wait_state (resumed, JARCHI_CAMPAIGN_STATE_COMPLETED, 30000);
  g_assert_cmpint (jarchi_campaign_get_state (resumed), ==, JARCHI_CAMPAIGN_STATE_COMPLETED);

  for (int i = 1; i <= 3; i++)
    {
      g_autofree char *phone = g_strdup_printf ("%d", 1000 + i);
      assert_target (f, phone, "confirmed", 1, "1");
      g_assert_cmpuint (fake_dialer_count_calls_to (f->dialer, phone), ==, 0);
    }
  for (int i = 4; i <= 6; i++)
    {
      g_autofree char *phone = g_strdup_printf ("%d", 1000 + i);
      assert_target (f, phone, "confirmed", 2, "1");
      g_assert_cmpuint (fake_dialer_count_calls_to (f->dialer, phone), ==, 1);
    }
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_attempts WHERE state = 'interrupted'"), ==, 3);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_attempts"), ==, 9);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/campaign-runner/menu-and-results", Fixture, NULL, fixture_setup, test_menu_and_results, fixture_teardown);
  g_test_add ("/campaign-runner/shared-limits", Fixture, NULL, fixture_setup, test_shared_limits, fixture_teardown);
  g_test_add ("/campaign-runner/window-injected-time", Fixture, NULL, fixture_setup, test_window_injected_time, fixture_teardown);
  g_test_add ("/campaign-runner/start-at-and-retry-delay", Fixture, NULL, fixture_setup, test_start_at_and_retry_delay, fixture_teardown);
  g_test_add ("/campaign-runner/pause-resume-cancel", Fixture, NULL, fixture_setup, test_pause_resume_cancel, fixture_teardown);
  g_test_add ("/campaign-runner/crash-resume", Fixture, NULL, fixture_setup, test_crash_resume, fixture_teardown);

  return g_test_run ();
}
