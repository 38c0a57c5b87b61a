/* JarchiCampaignStore, continued: the life of one call attempt in SQLite, each step committed before the next action, and crash recovery. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-campaign-store.h"
#include "jarchi-error.h"

/* Attempt states in campaign_attempts.state. 'started' is written before the call is placed,
 * so an attempt in any of the first three after a restart was cut short by a crash. */
#define ATTEMPT_OPEN_STATES "('started', 'calling', 'answered')"

static const char *
column_text (sqlite3_stmt *stmt, int col)
{
  const char *s = (const char *) sqlite3_column_text (stmt, col);
  return s ? s : "";
}

static gboolean
fail_db (JarchiStore *store, GError **error)
{
  g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE, _("Database error: %s"),
               sqlite3_errmsg (jarchi_store_get_db (store)));
  return FALSE;
}

/* Runs @sql with @a (and @b unless 0) bound as ?1 and ?2. */
static gboolean
exec2 (JarchiStore *store, const char *sql, gint64 a, gint64 b, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  if (b)
    sqlite3_bind_int64 (stmt, 2, b);
  return jarchi_store_step_done (store, stmt, error);
}

GPtrArray *
jarchi_campaign_store_due_targets (JarchiCampaignStore *self, gint64 campaign_id, gint64 now_s,
                                   guint limit, GError **error)
{
  JarchiStore *store = jarchi_campaign_store_get_store (self);
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) jarchi_campaign_target_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* Retries first: their delay already ran out, and a long campaign must not starve them. */
  stmt = jarchi_store_prepare (store,
    "SELECT id, phone FROM campaign_targets WHERE campaign_id = ?1 AND result != 'calling' "
    "AND ((result = 'pending' AND next_attempt_at IS NULL) OR next_attempt_at <= ?2) "
    "ORDER BY next_attempt_at IS NULL, next_attempt_at, id LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  sqlite3_bind_int64 (stmt, 2, now_s);
  sqlite3_bind_int64 (stmt, 3, limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JarchiCampaignTarget *t = jarchi_campaign_target_new ();

      t->id = sqlite3_column_int64 (stmt, 0);
      t->phone = g_strdup (column_text (stmt, 1));
      g_ptr_array_add (targets, t);
    }
  return g_steal_pointer (&targets);
}

static gint64
begin_attempt_locked (JarchiStore *store, JarchiCampaign *campaign, gint64 target_id,
                      gint64 now_s, GError **error)
{
  const JarchiCampaignConfig *cfg = jarchi_campaign_get_config (campaign);
  g_autoptr(sqlite3_stmt) mark = NULL;
  g_autoptr(sqlite3_stmt) attempt = NULL;
  g_autoptr(sqlite3_stmt) call = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *name = NULL;
  int number;
  gint64 attempt_id;

  mark = jarchi_store_prepare (store,
    "UPDATE campaign_targets SET result = 'calling', attempts = attempts + 1, next_attempt_at = NULL "
    "WHERE id = ?1 AND campaign_id = ?2 AND result != 'calling' RETURNING attempts, phone, name", error);
  if (mark == NULL)
    return 0;
  sqlite3_bind_int64 (mark, 1, target_id);
  sqlite3_bind_int64 (mark, 2, jarchi_campaign_get_id (campaign));
  if (sqlite3_step (mark) != SQLITE_ROW)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY,
                   _("Target %lld is not waiting for a call"), (long long) target_id);
      return 0;
    }
  number = sqlite3_column_int (mark, 0);
  phone = g_strdup (column_text (mark, 1));
  name = g_strdup (column_text (mark, 2));
  if (sqlite3_step (mark) != SQLITE_DONE)
    return fail_db (store, error);

  attempt = jarchi_store_prepare (store,
    "INSERT INTO campaign_attempts (target_id, number, state, started_at) VALUES (?1, ?2, 'started', ?3)",
    error);
  if (attempt == NULL)
    return 0;
  sqlite3_bind_int64 (attempt, 1, target_id);
  sqlite3_bind_int (attempt, 2, number);
  sqlite3_bind_int64 (attempt, 3, now_s);
  if (!jarchi_store_step_done (store, attempt, error))
    return 0;
  attempt_id = jarchi_store_last_insert_id (store);

  /* The attempt's row in call history, so the report links to it. */
  call = jarchi_store_prepare (store,
    "INSERT INTO calls (direction, remote, remote_name, account_id, started_at, attempt_id) "
    "VALUES ('outgoing', ?1, ?2, ?3, ?4, ?5)", error);
  if (call == NULL)
    return 0;
  sqlite3_bind_text (call, 1, phone, -1, SQLITE_STATIC);
  sqlite3_bind_text (call, 2, name, -1, SQLITE_STATIC);
  if (cfg->account_id)
    sqlite3_bind_int64 (call, 3, cfg->account_id);
  else
    sqlite3_bind_null (call, 3);
  sqlite3_bind_int64 (call, 4, now_s);
  sqlite3_bind_int64 (call, 5, attempt_id);
  if (!jarchi_store_step_done (store, call, error))
    return 0;
  return attempt_id;
}

gint64
jarchi_campaign_store_begin_attempt (JarchiCampaignStore *self, JarchiCampaign *campaign,
                                     gint64 target_id, gint64 now_s, GError **error)
{
  JarchiStore *store;
  gint64 attempt_id;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), 0);
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (campaign), 0);

  store = jarchi_campaign_store_get_store (self);
  if (!jarchi_store_begin (store, error))
    return 0;
  attempt_id = begin_attempt_locked (store, campaign, target_id, now_s, error);
  if (attempt_id == 0)
    {
      jarchi_store_rollback (store);
      return 0;
    }
  if (!jarchi_store_commit (store, error))
    return 0;
  return attempt_id;
}

gboolean
jarchi_campaign_store_attempt_dialled (JarchiCampaignStore *self, gint64 attempt_id, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), FALSE);

  return exec2 (jarchi_campaign_store_get_store (self),
                "UPDATE campaign_attempts SET state = 'calling' WHERE id = ?1 AND state = 'started'",
                attempt_id, 0, error);
}

gboolean
jarchi_campaign_store_attempt_answered (JarchiCampaignStore *self, gint64 attempt_id, gint64 now_s,
                                        GError **error)
{
  JarchiStore *store;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), FALSE);

  store = jarchi_campaign_store_get_store (self);
  if (!jarchi_store_begin (store, error))
    return FALSE;
  if (!exec2 (store, "UPDATE campaign_attempts SET state = 'answered', answered_at = ?2 "
                     "WHERE id = ?1 AND state IN ('started', 'calling')", attempt_id, now_s, error)
      || !exec2 (store, "UPDATE campaign_targets SET answered_at = ?2 "
                        "WHERE id = (SELECT target_id FROM campaign_attempts WHERE id = ?1)",
                 attempt_id, now_s, error)
      || !exec2 (store, "UPDATE calls SET answered_at = ?2 WHERE attempt_id = ?1", attempt_id, now_s, error))
    {
      jarchi_store_rollback (store);
      return FALSE;
    }
  return jarchi_store_commit (store, error);
}

gboolean
jarchi_campaign_store_attempt_digit (JarchiCampaignStore *self, gint64 attempt_id, char digit,
                                     GError **error)
{
  JarchiStore *store;
  const char *sqls[] = {
    "UPDATE campaign_attempts SET digits = digits || ?2 WHERE id = ?1",
    "UPDATE campaign_targets SET digits = digits || ?2 "
    "WHERE id = (SELECT target_id FROM campaign_attempts WHERE id = ?1)",
  };
  char s[2] = { digit, '\0' };

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), FALSE);

  store = jarchi_campaign_store_get_store (self);
  if (!jarchi_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sqls); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (store, sqls[i], error);

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, attempt_id);
      sqlite3_bind_text (stmt, 2, s, -1, SQLITE_TRANSIENT);
      if (!jarchi_store_step_done (store, stmt, error))
        goto fail;
    }
  return jarchi_store_commit (store, error);

fail:
  jarchi_store_rollback (store);
  return FALSE;
}

static gboolean
decide_locked (JarchiStore *store, gint64 attempt_id, JarchiTargetResult result, GError **error)
{
  const char *name = jarchi_target_result_to_string (result);
  g_autoptr(sqlite3_stmt) attempt = NULL;
  g_autoptr(sqlite3_stmt) target = NULL;

  attempt = jarchi_store_prepare (store,
    "UPDATE campaign_attempts SET result = ?2 WHERE id = ?1 AND result IS NULL", error);
  if (attempt == NULL)
    return FALSE;
  sqlite3_bind_int64 (attempt, 1, attempt_id);
  sqlite3_bind_text (attempt, 2, name, -1, SQLITE_STATIC);
  if (!jarchi_store_step_done (store, attempt, error))
    return FALSE;

  target = jarchi_store_prepare (store,
    "UPDATE campaign_targets SET result = ?2, next_attempt_at = NULL "
    "WHERE id = (SELECT target_id FROM campaign_attempts WHERE id = ?1)", error);
  if (target == NULL)
    return FALSE;
  sqlite3_bind_int64 (target, 1, attempt_id);
  sqlite3_bind_text (target, 2, name, -1, SQLITE_STATIC);
  if (!jarchi_store_step_done (store, target, error))
    return FALSE;

  if (result == JARCHI_TARGET_RESULT_OPTED_OUT)
    {
      g_autoptr(sqlite3_stmt) dnc = jarchi_store_prepare (store,
        "INSERT OR IGNORE INTO do_not_call (phone, reason) "
        "SELECT t.phone, ?2 FROM campaign_targets t JOIN campaign_attempts a ON a.target_id = t.id "
        "WHERE a.id = ?1", error);

      if (dnc == NULL)
        return FALSE;
      sqlite3_bind_int64 (dnc, 1, attempt_id);
      sqlite3_bind_text (dnc, 2, _("Pressed the opt-out key during a campaign call"), -1, SQLITE_STATIC);
      if (!jarchi_store_step_done (store, dnc, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
jarchi_campaign_store_attempt_decide (JarchiCampaignStore *self, gint64 attempt_id,
                                      JarchiTargetResult result, GError **error)
{
  JarchiStore *store;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), FALSE);
  g_return_val_if_fail (result == JARCHI_TARGET_RESULT_CONFIRMED || result == JARCHI_TARGET_RESULT_OPTED_OUT
                        || result == JARCHI_TARGET_RESULT_HEARD, FALSE);

  store = jarchi_campaign_store_get_store (self);
  if (!jarchi_store_begin (store, error))
    return FALSE;
  if (!decide_locked (store, attempt_id, result, error))
    {
      jarchi_store_rollback (store);
      return FALSE;
    }
  return jarchi_store_commit (store, error);
}

/* Writes the target's standing after its attempt @last ended: the best result over all its
 * attempts, and a retry when the rule for @last's outcome still allows one. */
static gboolean
settle_target (JarchiStore *store, JarchiCampaign *campaign, gint64 target_id,
               JarchiTargetResult last, guint sip_code, gint64 now_s, GError **error)
{
  g_autoptr(sqlite3_stmt) attempts = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  JarchiTargetResult best = JARCHI_TARGET_RESULT_PENDING;
  JarchiRetryKind kind;
  gboolean retryable = jarchi_target_result_retry_kind (last, &kind);
  guint n_kind = 0, delay_s = 0;
  gboolean retry;

  attempts = jarchi_store_prepare (store,
    "SELECT result FROM campaign_attempts WHERE target_id = ?1 "
    "AND state IN ('ended', 'interrupted') ORDER BY number", error);
  if (attempts == NULL)
    return FALSE;
  sqlite3_bind_int64 (attempts, 1, target_id);
  while (sqlite3_step (attempts) == SQLITE_ROW)
    {
      JarchiTargetResult r;
      JarchiRetryKind k;

      if (!jarchi_target_result_from_string (column_text (attempts, 0), &r))
        continue;
      best = jarchi_target_result_better (best, r);
      if (retryable && jarchi_target_result_retry_kind (r, &k) && k == kind)
        n_kind++;
    }

  retry = retryable && best != JARCHI_TARGET_RESULT_CONFIRMED && best != JARCHI_TARGET_RESULT_OPTED_OUT
          && jarchi_campaign_config_should_retry (jarchi_campaign_get_config (campaign), kind,
                                                  n_kind, &delay_s);

  update = jarchi_store_prepare (store,
    "UPDATE campaign_targets SET result = ?2, last_code = CASE WHEN ?3 > 0 THEN ?3 ELSE last_code END, "
    "ended_at = ?4, next_attempt_at = ?5 WHERE id = ?1", error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, target_id);
  sqlite3_bind_text (update, 2, jarchi_target_result_to_string (best), -1, SQLITE_STATIC);
  sqlite3_bind_int (update, 3, sip_code);
  sqlite3_bind_int64 (update, 4, now_s);
  if (retry)
    sqlite3_bind_int64 (update, 5, now_s + delay_s);
  else
    sqlite3_bind_null (update, 5);
  return jarchi_store_step_done (store, update, error);
}

static gboolean
end_attempt_locked (JarchiStore *store, JarchiCampaign *campaign, gint64 attempt_id,
                    JarchiTargetResult result, guint sip_code, gint64 now_s, gboolean crashed,
                    GError **error)
{
  g_autoptr(sqlite3_stmt) read = NULL;
  g_autoptr(sqlite3_stmt) attempt = NULL;
  g_autoptr(sqlite3_stmt) call = NULL;
  gint64 target_id;
  JarchiTargetResult decided;
  gboolean interrupted;
  const char *state;

  read = jarchi_store_prepare (store,
    "SELECT target_id, result, state FROM campaign_attempts WHERE id = ?1", error);
  if (read == NULL)
    return FALSE;
  sqlite3_bind_int64 (read, 1, attempt_id);
  if (sqlite3_step (read) != SQLITE_ROW)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND,
                   _("There is no call attempt %lld"), (long long) attempt_id);
      return FALSE;
    }
  state = column_text (read, 2);
  /* Ending twice must not count an outcome twice. */
  if (g_str_equal (state, "ended") || g_str_equal (state, "interrupted"))
    return TRUE;
  target_id = sqlite3_column_int64 (read, 0);
  if (sqlite3_column_type (read, 1) != SQLITE_NULL
      && jarchi_target_result_from_string (column_text (read, 1), &decided))
    result = decided;
  interrupted = crashed && sqlite3_column_type (read, 1) == SQLITE_NULL;
  if (interrupted)
    result = JARCHI_TARGET_RESULT_FAILED;

  attempt = jarchi_store_prepare (store,
    "UPDATE campaign_attempts SET state = ?2, result = ?3, sip_code = ?4, ended_at = ?5 WHERE id = ?1",
    error);
  if (attempt == NULL)
    return FALSE;
  sqlite3_bind_int64 (attempt, 1, attempt_id);
  sqlite3_bind_text (attempt, 2, interrupted ? "interrupted" : "ended", -1, SQLITE_STATIC);
  sqlite3_bind_text (attempt, 3, jarchi_target_result_to_string (result), -1, SQLITE_STATIC);
  if (sip_code)
    sqlite3_bind_int (attempt, 4, sip_code);
  else
    sqlite3_bind_null (attempt, 4);
  sqlite3_bind_int64 (attempt, 5, now_s);
  if (!jarchi_store_step_done (store, attempt, error))
    return FALSE;

  call = jarchi_store_prepare (store,
    "UPDATE calls SET ended_at = ?2, result = ?3, sip_code = ?4 WHERE attempt_id = ?1", error);
  if (call == NULL)
    return FALSE;
  sqlite3_bind_int64 (call, 1, attempt_id);
  sqlite3_bind_int64 (call, 2, now_s);
  sqlite3_bind_text (call, 3, interrupted ? "interrupted" : jarchi_target_result_to_string (result),
                     -1, SQLITE_STATIC);
  if (sip_code)
    sqlite3_bind_int (call, 4, sip_code);
  else
    sqlite3_bind_null (call, 4);
  if (!jarchi_store_step_done (store, call, error))
    return FALSE;

  return settle_target (store, campaign, target_id, result, sip_code, now_s, error);
}

static gboolean
end_attempt (JarchiCampaignStore *self, JarchiCampaign *campaign, gint64 attempt_id,
             JarchiTargetResult result, guint sip_code, gint64 now_s, gboolean crashed, GError **error)
{
  JarchiStore *store = jarchi_campaign_store_get_store (self);

  if (!jarchi_store_begin (store, error))
    return FALSE;
  if (!end_attempt_locked (store, campaign, attempt_id, result, sip_code, now_s, crashed, error))
    {
      jarchi_store_rollback (store);
      return FALSE;
    }
  return jarchi_store_commit (store, error);
}

gboolean
jarchi_campaign_store_end_attempt (JarchiCampaignStore *self, JarchiCampaign *campaign,
                                   gint64 attempt_id, JarchiTargetResult result, guint sip_code,
                                   gint64 now_s, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), FALSE);
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (campaign), FALSE);

  return end_attempt (self, campaign, attempt_id, result, sip_code, now_s, FALSE, error);
}

int
jarchi_campaign_store_recover (JarchiCampaignStore *self, JarchiCampaign *campaign, gint64 now_s,
                               GError **error)
{
  JarchiStore *store;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), -1);
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (campaign), -1);

  store = jarchi_campaign_store_get_store (self);
  stmt = jarchi_store_prepare (store,
    "SELECT a.id FROM campaign_attempts a JOIN campaign_targets t ON t.id = a.target_id "
    "WHERE t.campaign_id = ?1 AND a.state IN " ATTEMPT_OPEN_STATES " ORDER BY a.id", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, jarchi_campaign_get_id (campaign));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (open, id);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; i < open->len; i++)
    if (!end_attempt (self, campaign, g_array_index (open, gint64, i), JARCHI_TARGET_RESULT_FAILED,
                      0, now_s, TRUE, error))
      return -1;
  return (int) open->len;
}
