/* Tests for campaign settings: JSON validation and round trip, calling-window math, retry rules, state machine, rate limiter, CSV rows. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-campaign.h"
#include "jarchi-campaign-dialer.h"
#include "jarchi-campaign-target.h"
#include "jarchi-error.h"
#include "jarchi-rate-limiter.h"

static const char *full_example =
  "{\"name\": \"Fire drill\", \"account\": 1,"
  " \"targets\": {\"departments\": [1, 2], \"districts\": [3], \"contacts\": [7]},"
  " \"message\": {\"media\": 3},"
  " \"menu\": {\"confirm\": \"1\", \"repeat\": \"2\", \"opt_out\": \"9\", \"max_repeats\": 2, \"timeout_s\": 8},"
  " \"max_concurrent\": 50, \"cps\": 10, \"ring_timeout_s\": 30,"
  " \"retries\": {\"busy\": {\"count\": 2, \"delay_s\": 300}, \"no_answer\": {\"count\": 2, \"delay_s\": 600},"
  "             \"failed\": {\"count\": 1, \"delay_s\": 120}, \"unconfirmed\": {\"count\": 1, \"delay_s\": 900}},"
  " \"window\": {\"days\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"], \"start\": \"09:00\", \"end\": \"18:00\"},"
  " \"start_at\": \"2026-12-01T09:00:00+05:00\"}";

static JarchiCampaignConfig *
parse (const char *json, GError **error)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return jarchi_campaign_config_from_json (node, error);
}

static void
test_parse_full (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiCampaignConfig) cfg = parse (full_example, &error);
  g_autoptr(GDateTime) expected = g_date_time_new_from_iso8601 ("2026-12-01T04:00:00Z", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (cfg->name, ==, "Fire drill");
  g_assert_cmpuint (cfg->account_id, ==, 1);
  g_assert_cmpuint (cfg->departments->len, ==, 2);
  g_assert_cmpint (g_array_index (cfg->departments, gint64, 1), ==, 2);
  g_assert_cmpuint (cfg->districts->len, ==, 1);
  g_assert_cmpuint (cfg->contacts->len, ==, 1);
  g_assert_cmpuint (cfg->media_id, ==, 3);
  g_assert_null (cfg->tts_text);
  g_assert_cmpint (cfg->confirm_digit, ==, '1');
  g_assert_cmpint (cfg->repeat_digit, ==, '2');
  g_assert_cmpint (cfg->opt_out_digit, ==, '9');
  g_assert_cmpuint (cfg->max_repeats, ==, 2);
  g_assert_cmpuint (cfg->menu_timeout_s, ==, 8);
  g_assert_cmpuint (cfg->max_concurrent, ==, 50);
  g_assert_cmpfloat (cfg->cps, ==, 10);
  g_assert_cmpuint (cfg->ring_timeout_s, ==, 30);
  g_assert_cmpuint (cfg->retries[JARCHI_RETRY_BUSY].count, ==, 2);
  g_assert_cmpuint (cfg->retries[JARCHI_RETRY_NO_ANSWER].delay_s, ==, 600);
  g_assert_cmpuint (cfg->retries[JARCHI_RETRY_FAILED].delay_s, ==, 120);
  g_assert_cmpuint (cfg->retries[JARCHI_RETRY_UNCONFIRMED].count, ==, 1);
  g_assert_true (cfg->has_window);
  g_assert_cmpuint (cfg->window_days, ==, 0x1f);
  g_assert_cmpuint (cfg->window_start_min, ==, 9 * 60);
  g_assert_cmpuint (cfg->window_end_min, ==, 18 * 60);
  g_assert_cmpint (cfg->start_at, ==, g_date_time_to_unix (expected));
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiCampaignConfig) cfg = parse (full_example, &error);
  g_autoptr(JsonNode) node = jarchi_campaign_config_to_json (cfg);
  g_autoptr(JarchiCampaignConfig) again = jarchi_campaign_config_from_json (node, &error);
  g_autoptr(JsonNode) node2 = NULL;
  g_autofree char *a = json_to_string (node, FALSE);
  g_autofree char *b = NULL;

  g_assert_no_error (error);
  node2 = jarchi_campaign_config_to_json (again);
  b = json_to_string (node2, FALSE);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpint (again->start_at, ==, cfg->start_at);
  g_assert_nonnull (strstr (a, "\"opt_out\":\"9\""));
  g_assert_nonnull (strstr (a, "\"days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"]"));
}

static void
test_defaults_and_tts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiCampaignConfig) cfg =
    parse ("{\"name\": \" Xabar \", \"message\": {\"tts\": {\"text\": \"Ertaga yig‘ilish\", \"lang\": \"uz\"}}}", &error);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (cfg->name, ==, "Xabar");
  g_assert_cmpuint (cfg->account_id, ==, 0);
  g_assert_cmpuint (cfg->media_id, ==, 0);
  g_assert_cmpstr (cfg->tts_text, ==, "Ertaga yig‘ilish");
  g_assert_cmpstr (cfg->tts_lang, ==, "uz");
  g_assert_cmpint (cfg->confirm_digit, ==, '1');
  g_assert_cmpint (cfg->repeat_digit, ==, '2');
  g_assert_cmpint (cfg->opt_out_digit, ==, '\0');
  g_assert_false (cfg->has_window);
  g_assert_cmpint (cfg->start_at, ==, 0);

  node = jarchi_campaign_config_to_json (cfg);
  text = json_to_string (node, FALSE);
  g_assert_nonnull (strstr (text, "\"window\":null"));
  g_assert_nonnull (strstr (text, "\"start_at\":null"));
  g_assert_nonnull (strstr (text, "\"opt_out\":null"));
  g_assert_nonnull (strstr (text, "\"account\":null"));

  g_assert_false (jarchi_campaign_config_check_startable (cfg, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
}

static void
test_invalid (void)
{
  static const char * const bad[] = {
    "[]",
    "{}",                                                      /* no name */
    "{\"name\": \"   \"}",
    "{\"name\": 5}",
    "{\"name\": \"x\", \"nmae\": \"typo\"}",
    "{\"name\": \"x\", \"account\": \"1\"}",
    "{\"name\": \"x\", \"account\": 0}",
    "{\"name\": \"x\", \"targets\": {\"departments\": [0]}}",
    "{\"name\": \"x\", \"targets\": {\"departments\": \"1\"}}",
    "{\"name\": \"x\", \"targets\": {\"groups\": [1]}}",
    "{\"name\": \"x\", \"message\": {}}",
    "{\"name\": \"x\", \"message\": {\"tts\": {\"text\": \"\"}}}",
    "{\"name\": \"x\", \"message\": {\"tts\": {\"text\": \"hi\", \"lang\": \"de\"}}}",
    "{\"name\": \"x\", \"menu\": {\"confirm\": \"12\"}}",
    "{\"name\": \"x\", \"menu\": {\"confirm\": \"x\"}}",
    "{\"name\": \"x\", \"menu\": {\"confirm\": null}}",
    "{\"name\": \"x\", \"menu\": {\"confirm\": \"2\"}}",       /* same as repeat */
    "{\"name\": \"x\", \"menu\": {\"opt_out\": \"2\"}}",
    "{\"name\": \"x\", \"menu\": {\"timeout_s\": 0}}",
    "{\"name\": \"x\", \"menu\": {\"max_repeats\": 11}}",
    "{\"name\": \"x\", \"max_concurrent\": 0}",
    "{\"name\": \"x\", \"max_concurrent\": 2.5}",
    "{\"name\": \"x\", \"cps\": 0}",
    "{\"name\": \"x\", \"cps\": \"10\"}",
    "{\"name\": \"x\", \"ring_timeout_s\": 1}",
    "{\"name\": \"x\", \"retries\": {\"busy\": {\"count\": -1}}}",
    "{\"name\": \"x\", \"retries\": {\"busy\": {\"tries\": 1}}}",
    "{\"name\": \"x\", \"retries\": {\"rejected\": {\"count\": 1}}}",
    "{\"name\": \"x\", \"window\": {\"start\": \"09:00\"}}",
    "{\"name\": \"x\", \"window\": {\"start\": \"9:00\", \"end\": \"18:00\"}}",
    "{\"name\": \"x\", \"window\": {\"start\": \"09:60\", \"end\": \"18:00\"}}",
    "{\"name\": \"x\", \"window\": {\"start\": \"24:00\", \"end\": \"18:00\"}}",
    "{\"name\": \"x\", \"window\": {\"start\": \"09:00\", \"end\": \"09:00\"}}",
    "{\"name\": \"x\", \"window\": {\"days\": [], \"start\": \"09:00\", \"end\": \"18:00\"}}",
    "{\"name\": \"x\", \"window\": {\"days\": [\"monday\"], \"start\": \"09:00\", \"end\": \"18:00\"}}",
    "{\"name\": \"x\", \"start_at\": \"tomorrow\"}",
    "{\"name\": \"x\", \"start_at\": 1700000000}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = json_from_string (bad[i], NULL);
      g_autoptr(JarchiCampaignConfig) cfg = jarchi_campaign_config_from_json (node, &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (cfg);
      g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
      g_assert_true (g_utf8_validate (error->message, -1, NULL) && error->message[0] != '\0');
    }
}

static void
test_patch (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiCampaignConfig) cfg = parse (full_example, &error);
  g_autoptr(JsonNode) patch = json_from_string ("{\"menu\": {\"confirm\": \"5\"}, \"window\": null,"
                                                " \"message\": {\"tts\": {\"text\": \"Привет\", \"lang\": \"ru\"}},"
                                                " \"retries\": {\"busy\": {\"delay_s\": 60}}}", NULL);
  g_autoptr(JarchiCampaignConfig) patched = jarchi_campaign_config_patch (cfg, patch, &error);
  g_autoptr(JsonNode) bad = json_from_string ("{\"menu\": {\"confirm\": \"2\"}}", NULL);
  g_autoptr(JarchiCampaignConfig) refused = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (patched->confirm_digit, ==, '5');
  g_assert_cmpint (patched->repeat_digit, ==, '2');
  g_assert_false (patched->has_window);
  g_assert_cmpuint (patched->media_id, ==, 0);
  g_assert_cmpstr (patched->tts_text, ==, "Привет");
  g_assert_cmpuint (patched->retries[JARCHI_RETRY_BUSY].delay_s, ==, 60);
  g_assert_cmpuint (patched->retries[JARCHI_RETRY_BUSY].count, ==, 2);
  g_assert_cmpstr (patched->name, ==, "Fire drill");
  /* the original is untouched */
  g_assert_cmpint (cfg->confirm_digit, ==, '1');
  g_assert_true (cfg->has_window);

  refused = jarchi_campaign_config_patch (cfg, bad, &error);
  g_assert_null (refused);
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
}

/* ---- window ----------------------------------------------------------------------------- */

static JarchiCampaignConfig *
window_cfg (const char *days, const char *start, const char *end)
{
  g_autofree char *json = g_strdup_printf ("{\"name\": \"w\", \"window\": {\"days\": %s, \"start\": \"%s\", \"end\": \"%s\"}}",
                                           days, start, end);
  g_autoptr(GError) error = NULL;
  JarchiCampaignConfig *cfg = parse (json, &error);

  g_assert_no_error (error);
  return cfg;
}

/* 2026-03-02 is a Monday. */
static GDateTime *
at (GTimeZone *tz, int day, int hour, int minute)
{
  return g_date_time_new (tz, 2026, 3, day, hour, minute, 0);
}

static void
assert_next (JarchiCampaignConfig *cfg, GDateTime *now, const char *expected_iso)
{
  g_autoptr(GDateTime) next = jarchi_campaign_config_next_window (cfg, now);
  g_autofree char *got = next ? g_date_time_format_iso8601 (next) : NULL;

  g_assert_cmpstr (got, ==, expected_iso);
}

static void
test_window_weekdays (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+05:00");
  g_autoptr(JarchiCampaignConfig) cfg = window_cfg ("[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"]", "09:00", "18:00");
  struct { int day, h, m; gboolean in; } cases[] = {
    { 2, 9, 0, TRUE }, { 2, 8, 59, FALSE }, { 2, 17, 59, TRUE }, { 2, 18, 0, FALSE },
    { 6, 12, 0, TRUE }, { 7, 12, 0, FALSE }, { 8, 12, 0, FALSE }, { 9, 9, 30, TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) t = at (tz, cases[i].day, cases[i].h, cases[i].m);
      g_assert_cmpint (jarchi_campaign_config_in_window (cfg, t), ==, cases[i].in);
    }

  {
    g_autoptr(GDateTime) mon_early = at (tz, 2, 7, 0);
    g_autoptr(GDateTime) mon_inside = at (tz, 2, 10, 0);
    g_autoptr(GDateTime) fri_late = at (tz, 6, 18, 30);
    g_autoptr(GDateTime) sat = at (tz, 7, 3, 0);

    assert_next (cfg, mon_early, "2026-03-02T09:00:00+05");
    assert_next (cfg, mon_inside, "2026-03-02T10:00:00+05");
    assert_next (cfg, fri_late, "2026-03-09T09:00:00+05");
    assert_next (cfg, sat, "2026-03-09T09:00:00+05");
  }
}

static void
test_window_overnight (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+05:00");
  /* Friday 22:00 to Saturday 06:00 only. */
  g_autoptr(JarchiCampaignConfig) cfg = window_cfg ("[\"fri\"]", "22:00", "06:00");
  struct { int day, h, m; gboolean in; } cases[] = {
    { 6, 21, 59, FALSE }, { 6, 22, 0, TRUE }, { 6, 23, 59, TRUE }, { 7, 0, 0, TRUE },
    { 7, 5, 59, TRUE }, { 7, 6, 0, FALSE }, { 7, 22, 30, FALSE }, { 8, 3, 0, FALSE },
    { 6, 3, 0, FALSE },  /* Friday early morning belongs to Thursday's window */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) t = at (tz, cases[i].day, cases[i].h, cases[i].m);
      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpint (jarchi_campaign_config_in_window (cfg, t), ==, cases[i].in);
    }
  {
    g_autoptr(GDateTime) sat_noon = at (tz, 7, 12, 0);
    g_autoptr(GDateTime) fri_noon = at (tz, 6, 12, 0);
    g_autoptr(GDateTime) sat_night = at (tz, 7, 1, 0);

    assert_next (cfg, sat_noon, "2026-03-13T22:00:00+05");
    assert_next (cfg, fri_noon, "2026-03-06T22:00:00+05");
    assert_next (cfg, sat_night, "2026-03-07T01:00:00+05");
  }
}

static void
test_window_end_of_day_and_dst (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(JarchiCampaignConfig) all_day = window_cfg ("[\"sun\"]", "00:30", "24:00");
  g_autoptr(JarchiCampaignConfig) early = window_cfg ("[\"sun\"]", "02:30", "04:00");
  g_autoptr(GDateTime) sun_late = g_date_time_new (berlin, 2026, 3, 29, 23, 59, 0);
  g_autoptr(GDateTime) sat = g_date_time_new (berlin, 2026, 3, 28, 12, 0, 0);
  g_autoptr(GDateTime) next = NULL;

  g_assert_true (jarchi_campaign_config_in_window (all_day, sun_late));
  /* 2026-03-29 02:30 does not exist in Berlin (clocks jump from 02:00 to 03:00): the window
   * still opens that day, at a time that exists. */
  next = jarchi_campaign_config_next_window (early, sat);
  g_assert_nonnull (next);
  g_assert_cmpint (g_date_time_get_day_of_month (next), ==, 29);
  g_assert_true (g_date_time_compare (next, sat) > 0);
  g_assert_cmpint (g_date_time_get_hour (next), >=, 2);
  g_assert_cmpint (g_date_time_get_hour (next), <=, 3);
}

/* ---- retries, results, states ----------------------------------------------------------- */

static void
test_retry_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiCampaignConfig) cfg = parse (full_example, &error);
  guint delay = 0;
  JarchiRetryKind kind;

  /* busy: 2 retries after the first attempt, 300 s apart */
  g_assert_true (jarchi_campaign_config_should_retry (cfg, JARCHI_RETRY_BUSY, 1, &delay));
  g_assert_cmpuint (delay, ==, 300);
  g_assert_true (jarchi_campaign_config_should_retry (cfg, JARCHI_RETRY_BUSY, 2, &delay));
  g_assert_false (jarchi_campaign_config_should_retry (cfg, JARCHI_RETRY_BUSY, 3, &delay));
  g_assert_true (jarchi_campaign_config_should_retry (cfg, JARCHI_RETRY_FAILED, 1, &delay));
  g_assert_cmpuint (delay, ==, 120);
  g_assert_false (jarchi_campaign_config_should_retry (cfg, JARCHI_RETRY_FAILED, 2, NULL));
  g_assert_true (jarchi_campaign_config_should_retry (cfg, JARCHI_RETRY_UNCONFIRMED, 1, &delay));
  g_assert_cmpuint (delay, ==, 900);

  g_assert_true (jarchi_target_result_retry_kind (JARCHI_TARGET_RESULT_BUSY, &kind));
  g_assert_cmpint (kind, ==, JARCHI_RETRY_BUSY);
  g_assert_true (jarchi_target_result_retry_kind (JARCHI_TARGET_RESULT_NO_ANSWER, &kind));
  g_assert_cmpint (kind, ==, JARCHI_RETRY_NO_ANSWER);
  g_assert_true (jarchi_target_result_retry_kind (JARCHI_TARGET_RESULT_HEARD, &kind));
  g_assert_cmpint (kind, ==, JARCHI_RETRY_UNCONFIRMED);
  g_assert_true (jarchi_target_result_retry_kind (JARCHI_TARGET_RESULT_HUNG_UP, &kind));
  g_assert_cmpint (kind, ==, JARCHI_RETRY_UNCONFIRMED);
  g_assert_false (jarchi_target_result_retry_kind (JARCHI_TARGET_RESULT_CONFIRMED, &kind));
  g_assert_false (jarchi_target_result_retry_kind (JARCHI_TARGET_RESULT_OPTED_OUT, &kind));
  g_assert_false (jarchi_target_result_retry_kind (JARCHI_TARGET_RESULT_DO_NOT_CALL, &kind));

  /* A later unanswered attempt never hides that the message was heard. */
  g_assert_cmpint (jarchi_target_result_better (JARCHI_TARGET_RESULT_HEARD, JARCHI_TARGET_RESULT_NO_ANSWER),
                   ==, JARCHI_TARGET_RESULT_HEARD);
  g_assert_cmpint (jarchi_target_result_better (JARCHI_TARGET_RESULT_HUNG_UP, JARCHI_TARGET_RESULT_HEARD),
                   ==, JARCHI_TARGET_RESULT_HEARD);
  g_assert_cmpint (jarchi_target_result_better (JARCHI_TARGET_RESULT_HEARD, JARCHI_TARGET_RESULT_CONFIRMED),
                   ==, JARCHI_TARGET_RESULT_CONFIRMED);
  g_assert_cmpint (jarchi_target_result_better (JARCHI_TARGET_RESULT_BUSY, JARCHI_TARGET_RESULT_NO_ANSWER),
                   ==, JARCHI_TARGET_RESULT_NO_ANSWER);

  g_assert_cmpint (jarchi_dial_outcome_from_sip_code (486), ==, JARCHI_DIAL_OUTCOME_BUSY);
  g_assert_cmpint (jarchi_dial_outcome_from_sip_code (487), ==, JARCHI_DIAL_OUTCOME_NO_ANSWER);
  g_assert_cmpint (jarchi_dial_outcome_from_sip_code (408), ==, JARCHI_DIAL_OUTCOME_NO_ANSWER);
  g_assert_cmpint (jarchi_dial_outcome_from_sip_code (603), ==, JARCHI_DIAL_OUTCOME_REJECTED);
  g_assert_cmpint (jarchi_dial_outcome_from_sip_code (503), ==, JARCHI_DIAL_OUTCOME_FAILED);
  g_assert_cmpint (jarchi_dial_outcome_from_sip_code (0), ==, JARCHI_DIAL_OUTCOME_FAILED);
}

static void
test_names (void)
{
  for (guint r = 0; r < JARCHI_N_TARGET_RESULTS; r++)
    {
      JarchiTargetResult back;

      g_assert_true (jarchi_target_result_from_string (jarchi_target_result_to_string (r), &back));
      g_assert_cmpint (back, ==, r);
    }
  for (guint s = 0; s <= JARCHI_CAMPAIGN_STATE_CANCELLED; s++)
    {
      JarchiCampaignState back;

      g_assert_true (jarchi_campaign_state_from_string (jarchi_campaign_state_to_string (s), &back));
      g_assert_cmpint (back, ==, s);
    }
  g_assert_cmpstr (jarchi_target_result_to_string (JARCHI_TARGET_RESULT_NO_ANSWER), ==, "no-answer");
  g_assert_cmpstr (jarchi_target_result_to_string (JARCHI_TARGET_RESULT_DO_NOT_CALL), ==, "do-not-call");
}

static void
test_state_machine (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiCampaignConfig) cfg = parse (full_example, &error);
  g_autoptr(JarchiCampaign) c = jarchi_campaign_new (cfg);
  g_autoptr(JsonNode) patch = json_from_string ("{\"name\": \"Renamed\"}", NULL);
  g_autoptr(JsonNode) json = NULL;
  JsonObject *obj;
  const struct { JarchiCampaignState from, to; gboolean ok; } table[] = {
    { JARCHI_CAMPAIGN_STATE_DRAFT, JARCHI_CAMPAIGN_STATE_SCHEDULED, TRUE },
    { JARCHI_CAMPAIGN_STATE_DRAFT, JARCHI_CAMPAIGN_STATE_RUNNING, TRUE },
    { JARCHI_CAMPAIGN_STATE_DRAFT, JARCHI_CAMPAIGN_STATE_PAUSED, FALSE },
    { JARCHI_CAMPAIGN_STATE_DRAFT, JARCHI_CAMPAIGN_STATE_COMPLETED, FALSE },
    { JARCHI_CAMPAIGN_STATE_SCHEDULED, JARCHI_CAMPAIGN_STATE_RUNNING, TRUE },
    { JARCHI_CAMPAIGN_STATE_SCHEDULED, JARCHI_CAMPAIGN_STATE_DRAFT, FALSE },
    { JARCHI_CAMPAIGN_STATE_RUNNING, JARCHI_CAMPAIGN_STATE_PAUSED, TRUE },
    { JARCHI_CAMPAIGN_STATE_RUNNING, JARCHI_CAMPAIGN_STATE_COMPLETED, TRUE },
    { JARCHI_CAMPAIGN_STATE_RUNNING, JARCHI_CAMPAIGN_STATE_SCHEDULED, FALSE },
    { JARCHI_CAMPAIGN_STATE_PAUSED, JARCHI_CAMPAIGN_STATE_RUNNING, TRUE },
    { JARCHI_CAMPAIGN_STATE_PAUSED, JARCHI_CAMPAIGN_STATE_CANCELLED, TRUE },
    { JARCHI_CAMPAIGN_STATE_PAUSED, JARCHI_CAMPAIGN_STATE_COMPLETED, FALSE },
    { JARCHI_CAMPAIGN_STATE_COMPLETED, JARCHI_CAMPAIGN_STATE_RUNNING, FALSE },
    { JARCHI_CAMPAIGN_STATE_CANCELLED, JARCHI_CAMPAIGN_STATE_RUNNING, FALSE },
    { JARCHI_CAMPAIGN_STATE_CANCELLED, JARCHI_CAMPAIGN_STATE_DRAFT, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    g_assert_cmpint (jarchi_campaign_state_can_change (table[i].from, table[i].to), ==, table[i].ok);

  g_assert_true (jarchi_campaign_patch (c, patch, &error));
  g_assert_cmpstr (jarchi_campaign_get_name (c), ==, "Renamed");
  g_assert_true (jarchi_campaign_change_state (c, JARCHI_CAMPAIGN_STATE_RUNNING, 1000, &error));
  g_assert_cmpint (jarchi_campaign_get_started_at (c), ==, 1000);
  g_assert_false (jarchi_campaign_patch (c, patch, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_true (jarchi_campaign_change_state (c, JARCHI_CAMPAIGN_STATE_PAUSED, 1100, &error));
  g_assert_true (jarchi_campaign_change_state (c, JARCHI_CAMPAIGN_STATE_RUNNING, 1200, &error));
  g_assert_cmpint (jarchi_campaign_get_started_at (c), ==, 1000);
  g_assert_true (jarchi_campaign_change_state (c, JARCHI_CAMPAIGN_STATE_COMPLETED, 1300, &error));
  g_assert_cmpint (jarchi_campaign_get_ended_at (c), ==, 1300);
  g_assert_false (jarchi_campaign_change_state (c, JARCHI_CAMPAIGN_STATE_RUNNING, 1400, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY);

  json = jarchi_campaign_to_json (c);
  obj = json_node_get_object (json);
  g_assert_cmpstr (json_object_get_string_member (obj, "state"), ==, "completed");
  g_assert_true (json_object_has_member (obj, "stats"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (obj, "stats"), "total"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (obj, "name"), ==, "Renamed");
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_stats_properties (void)
{
  g_autoptr(JarchiCampaignConfig) cfg = jarchi_campaign_config_new ();
  g_autoptr(JarchiCampaign) c = NULL;
  JarchiCampaignStats *stats = jarchi_campaign_stats_new ();
  guint rate_notified = 0, eta_notified = 0;
  double rate = 0;

  g_free (cfg->name);
  cfg->name = g_strdup ("s");
  c = jarchi_campaign_new (cfg);
  g_signal_connect (c, "notify::answer-rate", G_CALLBACK (count_notify), &rate_notified);
  g_signal_connect (c, "notify::eta", G_CALLBACK (count_notify), &eta_notified);

  stats->total = 10;
  stats->results[JARCHI_TARGET_RESULT_CONFIRMED] = 3;
  stats->results[JARCHI_TARGET_RESULT_HEARD] = 1;
  stats->results[JARCHI_TARGET_RESULT_PENDING] = 4;
  stats->results[JARCHI_TARGET_RESULT_BUSY] = 2;
  stats->retry_scheduled = 2;
  stats->attempted = 6;
  stats->answered = 4;
  jarchi_campaign_stats_finish (stats);
  g_assert_cmpuint (stats->finished, ==, 4);
  g_assert_cmpfloat_with_epsilon (stats->answer_rate, 4.0 / 6, 1e-9);
  g_assert_cmpfloat_with_epsilon (stats->confirmation_rate, 0.75, 1e-9);
  jarchi_campaign_take_stats (c, stats);
  g_object_get (c, "answer-rate", &rate, NULL);
  g_assert_cmpfloat_with_epsilon (rate, 4.0 / 6, 1e-9);
  g_assert_cmpuint (rate_notified, ==, 1);
  /* only what changed is notified */
  g_assert_cmpuint (eta_notified, ==, 0);
  g_assert_cmpuint (jarchi_campaign_get_stats (c)->total, ==, 10);
}

/* ---- rate limiter ----------------------------------------------------------------------- */

static void
test_rate_limiter (void)
{
  g_autoptr(JarchiRateLimiter) rl = jarchi_rate_limiter_new ();
  gint64 t = 1000000;
  guint taken = 0;

  jarchi_rate_limiter_set_rate (rl, 10);
  /* Simulate a greedy caller polling every 7 ms for 5 s: never more than 10 in any second. */
  {
    g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));

    for (gint64 now = t; now < t + 5 * G_USEC_PER_SEC; now += 7000)
      while (jarchi_rate_limiter_available (rl, now) > 0)
        {
          jarchi_rate_limiter_take (rl, now);
          g_array_append_val (starts, now);
          taken++;
        }
    for (guint i = 0; i < starts->len; i++)
      {
        guint n = 0;

        for (guint j = i; j < starts->len && g_array_index (starts, gint64, j) < g_array_index (starts, gint64, i) + G_USEC_PER_SEC; j++)
          n++;
        g_assert_cmpuint (n, <=, 10);
      }
    /* and it does not lose throughput: 5 windows of 10 */
    g_assert_cmpuint (taken, >=, 49);
  }

  /* Fractional rates space the calls out. */
  jarchi_rate_limiter_set_rate (rl, 0.5);
  t += 100 * G_USEC_PER_SEC;
  g_assert_cmpuint (jarchi_rate_limiter_available (rl, t), ==, 1);
  jarchi_rate_limiter_take (rl, t);
  g_assert_cmpuint (jarchi_rate_limiter_available (rl, t + G_USEC_PER_SEC), ==, 0);
  /* two seconds, and a guard of a few milliseconds for the way to the wire */
  g_assert_cmpint (jarchi_rate_limiter_next_free (rl, t + G_USEC_PER_SEC), >=, t + 2 * G_USEC_PER_SEC);
  g_assert_cmpint (jarchi_rate_limiter_next_free (rl, t + G_USEC_PER_SEC), <=, t + 2 * G_USEC_PER_SEC + 5000);
  g_assert_cmpuint (jarchi_rate_limiter_available (rl, t + 2 * G_USEC_PER_SEC + 5000), ==, 1);
}

/* ---- CSV -------------------------------------------------------------------------------- */

static void
test_csv_row (void)
{
  g_autoptr(JarchiCampaignTarget) t = jarchi_campaign_target_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  gint64 call_ids[] = { 12, 15 };

  t->name = g_strdup ("Aliyev, \"Ali\"");
  t->phone = g_strdup ("+998901234567");
  t->department = g_strdup ("=HYPERLINK(\"x\")");
  t->district = g_strdup ("Юнусобод");
  t->result = JARCHI_TARGET_RESULT_CONFIRMED;
  t->attempts = 2;
  t->last_code = 200;
  t->digits = g_strdup ("21");
  g_array_append_vals (t->calls, call_ids, 2);
  jarchi_campaign_target_csv_header (out);
  jarchi_campaign_target_csv_row (t, out);
  g_assert_cmpstr (out->str, ==,
                   "name,phone,department,district,result,attempts,last_code,digits,answered_at,ended_at,calls\r\n"
                   "\"Aliyev, \"\"Ali\"\"\",+998901234567,\"'=HYPERLINK(\"\"x\"\")\",Юнусобод,confirmed,2,200,21,,,12 15\r\n");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/campaign/config/parse-full", test_parse_full);
  g_test_add_func ("/campaign/config/round-trip", test_round_trip);
  g_test_add_func ("/campaign/config/defaults-and-tts", test_defaults_and_tts);
  g_test_add_func ("/campaign/config/invalid", test_invalid);
  g_test_add_func ("/campaign/config/patch", test_patch);
  g_test_add_func ("/campaign/window/weekdays", test_window_weekdays);
  g_test_add_func ("/campaign/window/overnight", test_window_overnight);
  g_test_add_func ("/campaign/window/end-of-day-and-dst", test_window_end_of_day_and_dst);
  g_test_add_func ("/campaign/retry-rules", test_retry_rules);
  g_test_add_func ("/campaign/names", test_names);
  g_test_add_func ("/campaign/state-machine", test_state_machine);
  g_test_add_func ("/campaign/stats-properties", test_stats_properties);
  g_test_add_func ("/campaign/rate-limiter", test_rate_limiter);
  g_test_add_func ("/campaign/csv-row", test_csv_row);

  return g_test_run ();
}
