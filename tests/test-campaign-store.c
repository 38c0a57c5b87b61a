/* Tests for JarchiCampaignStore: persistence, target freezing (union, inactive, do-not-call), attempts, retries and crash recovery. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "campaign-test-utils.h"
#include "jarchi-error.h"

typedef struct {
  char                *dir;
  char                *path;
  JarchiStore         *store;
  JarchiCampaignStore *campaigns;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("jarchi-campaign-store-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "jarchi.db", NULL);
  f->store = jarchi_store_open (f->path, &error);
  g_assert_no_error (error);
  test_seed (f->store, 12);
  f->campaigns = jarchi_campaign_store_new (f->store, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->campaigns);
  g_clear_object (&f->store);
  test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static JarchiCampaign *
make_campaign (Fixture *f, const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  JarchiCampaign *c = jarchi_campaign_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_true (jarchi_campaign_store_add (f->campaigns, c, &error));
  g_assert_no_error (error);
  g_assert_cmpint (jarchi_campaign_get_id (c), >, 0);
  return c;
}

static char *
result_of (Fixture *f, const char *phone)
{
  g_autofree char *sql = g_strdup_printf ("SELECT result FROM campaign_targets WHERE phone = '%s'", phone);
  return test_query_text (f->store, sql);
}

static void
assert_result (Fixture *f, const char *phone, const char *expected)
{
  g_autofree char *got = result_of (f, phone);

  g_test_message ("%s: %s", phone, got);
  g_assert_cmpstr (got, ==, expected);
}

static void
test_persistence (Fixture *f, gconstpointer data)
{
  g_autoptr(JarchiCampaign) c = make_campaign (f, "{\"name\": \"Drill\", \"account\": 1, \"message\": {\"media\": 1},"
                                                  " \"targets\": {\"departments\": [1]}, \"cps\": 2.5}");
  g_autoptr(JarchiCampaignStore) again = NULL;
  g_autoptr(JarchiCampaign) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) a = NULL, b = NULL;
  g_autofree char *sa = NULL, *sb = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->campaigns)), ==, 1);
  g_assert_true (jarchi_campaign_store_lookup (f->campaigns, jarchi_campaign_get_id (c)) == c);

  again = jarchi_campaign_store_new (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  a = jarchi_campaign_to_json (c);
  b = jarchi_campaign_to_json (loaded);
  sa = json_to_string (a, FALSE);
  sb = json_to_string (b, FALSE);
  g_assert_cmpstr (sa, ==, sb);
  g_assert_cmpint (test_query_int (f->store, "SELECT cps * 10 FROM campaigns"), ==, 25);

  /* unknown account or media: refused with NOT_FOUND, nothing stored */
  {
    g_autoptr(JsonNode) node = json_from_string ("{\"name\": \"x\", \"account\": 9}", NULL);
    g_autoptr(JarchiCampaign) bad = jarchi_campaign_new_from_json (node, NULL);

    g_assert_false (jarchi_campaign_store_add (f->campaigns, bad, &error));
    g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->campaigns)), ==, 1);
  }

  g_assert_true (jarchi_campaign_store_remove (f->campaigns, c, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->campaigns)), ==, 0);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaigns"), ==, 0);
}

static void
test_freeze_targets (Fixture *f, gconstpointer data)
{
  /* department 1 (contacts with an even... see test_seed), district 2, and contacts 1 and 2 */
  g_autoptr(JarchiCampaign) c = make_campaign (f, "{\"name\": \"Union\", \"account\": 1, \"message\": {\"media\": 1},"
                                                  " \"targets\": {\"departments\": [1], \"districts\": [2], \"contacts\": [1, 99]}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) targets = NULL;
  g_autofree char *dnc = NULL, *inactive = NULL;
  guint n = 0, total = 0;
  gint64 expected;

  /* 1004 is on the do-not-call list, 1006 is inactive */
  test_exec (f->store, "INSERT INTO do_not_call (phone) VALUES ('1004');"
                       "UPDATE contacts SET active = 0 WHERE phone = '1006';");
  expected = test_query_int (f->store,
    "SELECT COUNT(*) FROM contacts WHERE active = 1 AND (department_id = 1 OR district_id = 2 OR id = 1)");

  g_assert_true (jarchi_campaign_store_start (f->campaigns, c, JARCHI_CAMPAIGN_STATE_RUNNING, 5000, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, expected);
  g_assert_cmpint (jarchi_campaign_get_state (c), ==, JARCHI_CAMPAIGN_STATE_RUNNING);
  g_assert_cmpint (jarchi_campaign_get_started_at (c), ==, 5000);
  {
    g_autofree char *state = test_query_text (f->store, "SELECT state FROM campaigns");
    g_assert_cmpstr (state, ==, "running");
  }

  targets = jarchi_campaign_store_list_targets (f->campaigns, jarchi_campaign_get_id (c), -1, 0, 0, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (targets->len, ==, n);
  g_assert_cmpuint (total, ==, n);
  /* each contact once, in contact order, names copied */
  for (guint i = 0; i < targets->len; i++)
    {
      JarchiCampaignTarget *t = g_ptr_array_index (targets, i);

      if (i > 0)
        g_assert_cmpint (t->contact_id, >, ((JarchiCampaignTarget *) g_ptr_array_index (targets, i - 1))->contact_id);
      g_assert_true (g_str_has_prefix (t->name, "Person "));
      g_assert_true (g_str_equal (t->department, "Sales") || g_str_equal (t->department, "Support"));
    }
  dnc = result_of (f, "1004");
  g_assert_cmpstr (dnc, ==, "do-not-call");
  inactive = result_of (f, "1006");
  g_assert_null (inactive);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_targets WHERE phone = '1001'"), ==, 1);

  /* the do-not-call target is finished from the start and never due */
  {
    g_autoptr(GPtrArray) due = jarchi_campaign_store_due_targets (f->campaigns, jarchi_campaign_get_id (c), 5000, 100, &error);

    g_assert_cmpuint (due->len, ==, n - 1);
    for (guint i = 0; i < due->len; i++)
      g_assert_cmpstr (((JarchiCampaignTarget *) g_ptr_array_index (due, i))->phone, !=, "1004");
  }
  {
    g_autoptr(JarchiCampaignStats) stats = jarchi_campaign_store_compute_stats (f->campaigns, jarchi_campaign_get_id (c), &error);
    guint sum = 0;

    g_assert_cmpuint (stats->total, ==, n);
    g_assert_cmpuint (stats->results[JARCHI_TARGET_RESULT_DO_NOT_CALL], ==, 1);
    g_assert_cmpuint (stats->results[JARCHI_TARGET_RESULT_PENDING], ==, n - 1);
    g_assert_cmpuint (stats->finished, ==, 1);
    g_assert_cmpuint (stats->departments->len, ==, 2);
    for (guint i = 0; i < stats->departments->len; i++)
      sum += ((JarchiCampaignGroupStats *) g_ptr_array_index (stats->departments, i))->total;
    g_assert_cmpuint (sum, ==, n);
  }

  /* a second start is refused */
  g_assert_false (jarchi_campaign_store_start (f->campaigns, c, JARCHI_CAMPAIGN_STATE_RUNNING, 5001, &n, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY);

  /* editing the contacts afterwards does not change the frozen list */
  test_exec (f->store, "UPDATE contacts SET name = 'Renamed' WHERE phone = '1001';"
                       "INSERT INTO contacts (name, phone, department_id) VALUES ('New', '1999', 1);");
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_targets WHERE name = 'Renamed' OR phone = '1999'"), ==, 0);
}

static void
test_start_needs_settings (Fixture *f, gconstpointer data)
{
  g_autoptr(JarchiCampaign) no_targets = make_campaign (f, "{\"name\": \"x\", \"account\": 1, \"message\": {\"media\": 1}}");
  g_autoptr(JarchiCampaign) tts_only = make_campaign (f, "{\"name\": \"y\", \"account\": 1, \"targets\": {\"contacts\": [1]},"
                                                         " \"message\": {\"tts\": {\"text\": \"Salom\"}}}");
  g_autoptr(GError) error = NULL;

  g_assert_false (jarchi_campaign_store_start (f->campaigns, no_targets, JARCHI_CAMPAIGN_STATE_RUNNING, 1, NULL, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (jarchi_campaign_store_start (f->campaigns, tts_only, JARCHI_CAMPAIGN_STATE_RUNNING, 1, NULL, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (jarchi_campaign_get_state (tts_only), ==, JARCHI_CAMPAIGN_STATE_DRAFT);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_targets"), ==, 0);
}

/* A campaign with one target (contact 1, phone 1001) and the given retry rules. */
static JarchiCampaign *
one_target (Fixture *f, const char *retries, gint64 *target_id)
{
  g_autofree char *json = g_strdup_printf ("{\"name\": \"one\", \"account\": 1, \"message\": {\"media\": 1},"
                                           " \"targets\": {\"contacts\": [1]}, \"retries\": %s}", retries);
  JarchiCampaign *c = make_campaign (f, json);

  g_assert_true (jarchi_campaign_store_start (f->campaigns, c, JARCHI_CAMPAIGN_STATE_RUNNING, 100, NULL, NULL));
  *target_id = test_query_int (f->store, "SELECT id FROM campaign_targets WHERE phone = '1001'");
  return c;
}

static gint64
attempt (Fixture *f, JarchiCampaign *c, gint64 target_id, gint64 now)
{
  g_autoptr(GError) error = NULL;
  gint64 id = jarchi_campaign_store_begin_attempt (f->campaigns, c, target_id, now, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (jarchi_campaign_store_attempt_dialled (f->campaigns, id, &error));
  return id;
}

static void
test_attempts_and_retries (Fixture *f, gconstpointer data)
{
  gint64 target_id;
  g_autoptr(JarchiCampaign) c = one_target (f, "{\"busy\": {\"count\": 1, \"delay_s\": 60},"
                                              " \"unconfirmed\": {\"count\": 1, \"delay_s\": 30},"
                                              " \"no_answer\": {\"count\": 1, \"delay_s\": 10}}", &target_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiCampaignTarget) t = NULL;
  gint64 a1, a2, a3, a4;

  /* 1: busy → retried 60 s later */
  a1 = attempt (f, c, target_id, 1000);
  assert_result (f, "1001", "calling");
  g_assert_false (jarchi_campaign_store_begin_attempt (f->campaigns, c, target_id, 1000, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM calls WHERE attempt_id IS NOT NULL"), ==, 1);
  g_assert_true (jarchi_campaign_store_end_attempt (f->campaigns, c, a1, JARCHI_TARGET_RESULT_BUSY, 486, 1001, &error));
  /* ending twice counts once */
  g_assert_true (jarchi_campaign_store_end_attempt (f->campaigns, c, a1, JARCHI_TARGET_RESULT_BUSY, 486, 1002, &error));
  t = jarchi_campaign_store_get_target (f->campaigns, target_id, &error);
  g_assert_cmpint (t->result, ==, JARCHI_TARGET_RESULT_BUSY);
  g_assert_cmpint (t->next_attempt_at, ==, 1061);
  g_assert_cmpuint (t->attempts, ==, 1);
  g_assert_cmpuint (t->last_code, ==, 486);
  g_assert_cmpuint (t->calls->len, ==, 1);
  g_clear_pointer (&t, jarchi_campaign_target_free);
  {
    g_autoptr(GPtrArray) early = jarchi_campaign_store_due_targets (f->campaigns, jarchi_campaign_get_id (c), 1060, 10, NULL);
    g_autoptr(GPtrArray) due = jarchi_campaign_store_due_targets (f->campaigns, jarchi_campaign_get_id (c), 1061, 10, NULL);

    g_assert_cmpuint (early->len, ==, 0);
    g_assert_cmpuint (due->len, ==, 1);
  }

  /* 2: answered, heard to the end (decided), unconfirmed → one more try */
  a2 = attempt (f, c, target_id, 1061);
  g_assert_true (jarchi_campaign_store_attempt_answered (f->campaigns, a2, 1063, &error));
  g_assert_true (jarchi_campaign_store_attempt_digit (f->campaigns, a2, '7', &error));
  g_assert_true (jarchi_campaign_store_attempt_decide (f->campaigns, a2, JARCHI_TARGET_RESULT_HEARD, &error));
  assert_result (f, "1001", "heard");
  /* the dialer reports a plain hang-up: the decision wins */
  g_assert_true (jarchi_campaign_store_end_attempt (f->campaigns, c, a2, JARCHI_TARGET_RESULT_HUNG_UP, 200, 1080, &error));
  t = jarchi_campaign_store_get_target (f->campaigns, target_id, &error);
  g_assert_cmpint (t->result, ==, JARCHI_TARGET_RESULT_HEARD);
  g_assert_cmpint (t->next_attempt_at, ==, 1110);
  g_assert_cmpint (t->answered_at, ==, 1063);
  g_assert_cmpstr (t->digits, ==, "7");
  g_clear_pointer (&t, jarchi_campaign_target_free);

  /* 3: no answer → still shows heard (better), no_answer allows one retry */
  a3 = attempt (f, c, target_id, 1110);
  g_assert_true (jarchi_campaign_store_end_attempt (f->campaigns, c, a3, JARCHI_TARGET_RESULT_NO_ANSWER, 487, 1140, &error));
  t = jarchi_campaign_store_get_target (f->campaigns, target_id, &error);
  g_assert_cmpint (t->result, ==, JARCHI_TARGET_RESULT_HEARD);
  g_assert_cmpint (t->next_attempt_at, ==, 1150);
  g_assert_cmpuint (t->last_code, ==, 487);
  g_clear_pointer (&t, jarchi_campaign_target_free);

  /* 4: confirmed: final, whatever the rules */
  a4 = attempt (f, c, target_id, 1150);
  g_assert_true (jarchi_campaign_store_attempt_answered (f->campaigns, a4, 1152, &error));
  g_assert_true (jarchi_campaign_store_attempt_digit (f->campaigns, a4, '1', &error));
  g_assert_true (jarchi_campaign_store_attempt_decide (f->campaigns, a4, JARCHI_TARGET_RESULT_CONFIRMED, &error));
  g_assert_true (jarchi_campaign_store_end_attempt (f->campaigns, c, a4, JARCHI_TARGET_RESULT_HEARD, 200, 1160, &error));
  t = jarchi_campaign_store_get_target (f->campaigns, target_id, &error);
  g_assert_cmpint (t->result, ==, JARCHI_TARGET_RESULT_CONFIRMED);
  g_assert_cmpint (t->next_attempt_at, ==, 0);
  g_assert_cmpuint (t->attempts, ==, 4);
  g_assert_cmpstr (t->digits, ==, "71");
  g_assert_cmpuint (t->calls->len, ==, 4);
  g_assert_cmpuint (jarchi_campaign_store_count_open (f->campaigns, jarchi_campaign_get_id (c), NULL), ==, 0);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM calls WHERE result = 'confirmed' AND answered_at = 1152 AND ended_at = 1160"), ==, 1);
}

static void
test_opt_out (Fixture *f, gconstpointer data)
{
  gint64 target_id;
  g_autoptr(JarchiCampaign) c = one_target (f, "{\"unconfirmed\": {\"count\": 3, \"delay_s\": 1}}", &target_id);
  gint64 a = attempt (f, c, target_id, 200);

  g_assert_true (jarchi_campaign_store_attempt_answered (f->campaigns, a, 201, NULL));
  g_assert_true (jarchi_campaign_store_attempt_decide (f->campaigns, a, JARCHI_TARGET_RESULT_OPTED_OUT, NULL));
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM do_not_call WHERE phone = '1001'"), ==, 1);
  g_assert_true (jarchi_campaign_store_end_attempt (f->campaigns, c, a, JARCHI_TARGET_RESULT_HEARD, 200, 205, NULL));
  assert_result (f, "1001", "opted-out");
  g_assert_cmpint (test_query_int (f->store, "SELECT next_attempt_at IS NULL FROM campaign_targets"), ==, 1);
}

/* The failed rule's budget is shared by failures and interruptions: a target cut short by two
 * crashes with one failed retry allowed is final after the second, with both attempts kept. */
static void
test_crash_recovery (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 target_id;
  g_autoptr(JarchiCampaign) c = one_target (f, "{\"failed\": {\"count\": 1, \"delay_s\": 120}}", &target_id);
  g_autoptr(JarchiCampaignStore) reopened = NULL;
  JarchiCampaign *c2;
  gint64 a;

  a = attempt (f, c, target_id, 250);
  g_assert_true (jarchi_campaign_store_attempt_answered (f->campaigns, a, 252, NULL));
  g_assert_cmpint (jarchi_campaign_store_recover (f->campaigns, c, 260, &error), ==, 1);
  assert_result (f, "1001", "failed");
  g_assert_cmpint (test_query_int (f->store, "SELECT next_attempt_at FROM campaign_targets WHERE phone = '1001'"), ==, 380);

  /* the retry is cut short too; then a new process opens the same database */
  attempt (f, c, target_id, 380);
  g_clear_object (&f->campaigns);
  g_clear_object (&f->store);
  f->store = jarchi_store_open (f->path, &error);
  g_assert_no_error (error);
  reopened = jarchi_campaign_store_new (f->store, &error);
  g_assert_no_error (error);
  c2 = jarchi_campaign_store_lookup (reopened, jarchi_campaign_get_id (c));
  g_assert_nonnull (c2);
  g_assert_cmpint (jarchi_campaign_get_state (c2), ==, JARCHI_CAMPAIGN_STATE_RUNNING);

  g_assert_cmpint (jarchi_campaign_store_recover (reopened, c2, 400, &error), ==, 1);
  g_assert_no_error (error);
  /* recovering again finds nothing: no double counting */
  g_assert_cmpint (jarchi_campaign_store_recover (reopened, c2, 401, &error), ==, 0);

  assert_result (f, "1001", "failed");
  g_assert_cmpint (test_query_int (f->store, "SELECT next_attempt_at IS NULL FROM campaign_targets WHERE phone = '1001'"), ==, 1);
  g_assert_cmpint (test_query_int (f->store, "SELECT attempts FROM campaign_targets WHERE phone = '1001'"), ==, 2);
  g_assert_cmpint (test_query_int (f->store, "SELECT answered_at FROM campaign_targets WHERE phone = '1001'"), ==, 252);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_attempts WHERE state = 'interrupted'"), ==, 2);
  g_assert_cmpuint (jarchi_campaign_store_count_open (reopened, jarchi_campaign_get_id (c2), NULL), ==, 0);
  f->campaigns = g_steal_pointer (&reopened);
}

/* The same, all in one go: the process died with four attempts open. */
static void
test_crash_recovery_mixed (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiCampaign) c = make_campaign (f, "{\"name\": \"crash\", \"account\": 1, \"message\": {\"media\": 1},"
                                                  " \"targets\": {\"contacts\": [1, 2, 3, 4, 5]},"
                                                  " \"retries\": {\"failed\": {\"count\": 1, \"delay_s\": 120},"
                                                  "             \"unconfirmed\": {\"count\": 0, \"delay_s\": 0}}}");
  g_autoptr(JarchiCampaignStore) reopened = NULL;
  g_autoptr(JarchiCampaignTarget) t5 = NULL;
  JarchiCampaign *c2;
  gint64 t[6], a5;

  g_assert_true (jarchi_campaign_store_start (f->campaigns, c, JARCHI_CAMPAIGN_STATE_RUNNING, 100, NULL, &error));
  for (int i = 1; i <= 5; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT id FROM campaign_targets WHERE phone = '%d'", 1000 + i);
      t[i] = test_query_int (f->store, sql);
    }
  g_assert_cmpint (jarchi_campaign_store_begin_attempt (f->campaigns, c, t[1], 300, &error), >, 0);   /* started */
  attempt (f, c, t[2], 300);                                                                        /* ringing */
  {
    gint64 a = attempt (f, c, t[3], 300);                                                           /* confirmed */
    jarchi_campaign_store_attempt_answered (f->campaigns, a, 302, NULL);
    jarchi_campaign_store_attempt_digit (f->campaigns, a, '1', NULL);
    jarchi_campaign_store_attempt_decide (f->campaigns, a, JARCHI_TARGET_RESULT_CONFIRMED, NULL);
  }
  {
    gint64 a = attempt (f, c, t[4], 300);                                                           /* heard, menu timed out */
    jarchi_campaign_store_attempt_answered (f->campaigns, a, 302, NULL);
    jarchi_campaign_store_attempt_decide (f->campaigns, a, JARCHI_TARGET_RESULT_HEARD, NULL);
  }
  a5 = attempt (f, c, t[5], 300);                                                                   /* finished normally */
  jarchi_campaign_store_end_attempt (f->campaigns, c, a5, JARCHI_TARGET_RESULT_BUSY, 486, 301, NULL);

  g_clear_object (&f->campaigns);
  g_clear_object (&f->store);
  f->store = jarchi_store_open (f->path, &error);
  reopened = jarchi_campaign_store_new (f->store, &error);
  g_assert_no_error (error);
  c2 = jarchi_campaign_store_lookup (reopened, jarchi_campaign_get_id (c));
  g_assert_cmpint (jarchi_campaign_store_recover (reopened, c2, 400, &error), ==, 4);

  /* in flight without a decision: interrupted, retried by the failed rule, attempts counted once */
  assert_result (f, "1001", "failed");
  assert_result (f, "1002", "failed");
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_targets WHERE phone IN ('1001','1002') "
                                             "AND next_attempt_at = 520 AND attempts = 1"), ==, 2);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_attempts WHERE state = 'interrupted'"), ==, 2);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM calls WHERE result = 'interrupted'"), ==, 2);
  /* decided before the crash: the result stands and is never called again */
  assert_result (f, "1003", "confirmed");
  assert_result (f, "1004", "heard");
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_targets WHERE phone IN ('1003','1004') "
                                             "AND next_attempt_at IS NULL"), ==, 2);
  /* untouched */
  t5 = jarchi_campaign_store_get_target (reopened, t[5], &error);
  g_assert_cmpint (t5->result, ==, JARCHI_TARGET_RESULT_BUSY);
  g_assert_cmpuint (t5->attempts, ==, 1);
  g_assert_cmpint (test_query_int (f->store, "SELECT COUNT(*) FROM campaign_attempts WHERE state IN ('started','calling','answered')"), ==, 0);
  {
    g_autoptr(GPtrArray) due = jarchi_campaign_store_due_targets (reopened, jarchi_campaign_get_id (c2), 520, 10, NULL);
    g_autoptr(GPtrArray) later = jarchi_campaign_store_due_targets (reopened, jarchi_campaign_get_id (c2), 601, 10, NULL);

    g_assert_cmpuint (due->len, ==, 2);    /* 1001, 1002 */
    g_assert_cmpuint (later->len, ==, 3);  /* and busy 1005, by the default busy rule (300 s) */
  }
  f->campaigns = g_steal_pointer (&reopened);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/campaign-store/persistence", Fixture, NULL, fixture_setup, test_persistence, fixture_teardown);
  g_test_add ("/campaign-store/freeze-targets", Fixture, NULL, fixture_setup, test_freeze_targets, fixture_teardown);
  g_test_add ("/campaign-store/start-needs-settings", Fixture, NULL, fixture_setup, test_start_needs_settings, fixture_teardown);
  g_test_add ("/campaign-store/attempts-and-retries", Fixture, NULL, fixture_setup, test_attempts_and_retries, fixture_teardown);
  g_test_add ("/campaign-store/opt-out", Fixture, NULL, fixture_setup, test_opt_out, fixture_teardown);
  g_test_add ("/campaign-store/crash-recovery", Fixture, NULL, fixture_setup, test_crash_recovery, fixture_teardown);
  g_test_add ("/campaign-store/crash-recovery-mixed", Fixture, NULL, fixture_setup, test_crash_recovery_mixed, fixture_teardown);

  return g_test_run ();
}
