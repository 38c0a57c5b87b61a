/* JarchiCampaignStore: campaign rows, target freezing, target lists and statistics over SQLite. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-campaign-store.h"
#include "jarchi-error.h"

struct _JarchiCampaignStore
{
  GObject      parent_instance;
  JarchiStore *store;
  GPtrArray   *campaigns;  /* JarchiCampaign, by id */
};

static void jarchi_campaign_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JarchiCampaignStore, jarchi_campaign_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      jarchi_campaign_store_list_model_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- GListModel ------------------------------------------------------------------------- */

static GType
list_get_item_type (GListModel *list)
{
  return JARCHI_TYPE_CAMPAIGN;
}

static guint
list_get_n_items (GListModel *list)
{
  return JARCHI_CAMPAIGN_STORE (list)->campaigns->len;
}

static gpointer
list_get_item (GListModel *list, guint position)
{
  JarchiCampaignStore *self = JARCHI_CAMPAIGN_STORE (list);

  if (position >= self->campaigns->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->campaigns, position));
}

static void
jarchi_campaign_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

/* ---- object ----------------------------------------------------------------------------- */

static void
jarchi_campaign_store_dispose (GObject *object)
{
  JarchiCampaignStore *self = JARCHI_CAMPAIGN_STORE (object);

  if (self->campaigns)
    g_ptr_array_set_size (self->campaigns, 0);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (jarchi_campaign_store_parent_class)->dispose (object);
}

static void
jarchi_campaign_store_finalize (GObject *object)
{
  g_clear_pointer (&JARCHI_CAMPAIGN_STORE (object)->campaigns, g_ptr_array_unref);
  G_OBJECT_CLASS (jarchi_campaign_store_parent_class)->finalize (object);
}

static void
jarchi_campaign_store_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, JARCHI_CAMPAIGN_STORE (object)->campaigns->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_campaign_store_class_init (JarchiCampaignStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_campaign_store_dispose;
  object_class->finalize = jarchi_campaign_store_finalize;
  object_class->get_property = jarchi_campaign_store_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_campaign_store_init (JarchiCampaignStore *self)
{
  self->campaigns = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
bind_optional (sqlite3_stmt *stmt, int index, gint64 value)
{
  if (value)
    sqlite3_bind_int64 (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

static const char *
column_text (sqlite3_stmt *stmt, int col)
{
  const char *s = (const char *) sqlite3_column_text (stmt, col);
  return s ? s : "";
}

static JarchiCampaign *
campaign_from_row (sqlite3_stmt *stmt, GError **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JarchiCampaignConfig) config = NULL;
  g_autoptr(JarchiCampaign) campaign = NULL;
  g_autoptr(GError) local_error = NULL;
  JarchiCampaignState state;
  gint64 id = sqlite3_column_int64 (stmt, 0);

  if (!jarchi_campaign_state_from_string (column_text (stmt, 1), &state)
      || (node = json_from_string (column_text (stmt, 2), &local_error)) == NULL
      || (config = jarchi_campaign_config_from_json (node, &local_error)) == NULL)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE,
                   _("Campaign %lld in the database is damaged: %s"), (long long) id,
                   local_error ? local_error->message : column_text (stmt, 1));
      return NULL;
    }
  /* Deleting an account sets the column to NULL; the column is the truth. */
  config->account_id = (guint) sqlite3_column_int64 (stmt, 3);
  campaign = jarchi_campaign_new (config);
  jarchi_campaign_set_id (campaign, id);
  jarchi_campaign_restore (campaign, state, sqlite3_column_int64 (stmt, 4),
                           sqlite3_column_int64 (stmt, 5), sqlite3_column_int64 (stmt, 6));
  return g_steal_pointer (&campaign);
}

static gboolean
load (JarchiCampaignStore *self, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    jarchi_store_prepare (self->store,
                          "SELECT id, state, config, account_id, created_at, started_at, ended_at "
                          "FROM campaigns ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JarchiCampaign *campaign = campaign_from_row (stmt, error);

      if (campaign == NULL)
        return FALSE;
      g_ptr_array_add (self->campaigns, campaign);
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE, _("Could not read the campaigns: %s"),
                   sqlite3_errmsg (jarchi_store_get_db (self->store)));
      return FALSE;
    }
  return TRUE;
}

JarchiCampaignStore *
jarchi_campaign_store_new (JarchiStore *store, GError **error)
{
  g_autoptr(JarchiCampaignStore) self = NULL;

  g_return_val_if_fail (JARCHI_IS_STORE (store), NULL);

  self = g_object_new (JARCHI_TYPE_CAMPAIGN_STORE, NULL);
  self->store = g_object_ref (store);
  if (!load (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

JarchiStore *
jarchi_campaign_store_get_store (JarchiCampaignStore *self)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), NULL);
  return self->store;
}

JarchiCampaign *
jarchi_campaign_store_lookup (JarchiCampaignStore *self, gint64 id)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), NULL);

  for (guint i = 0; i < self->campaigns->len; i++)
    {
      JarchiCampaign *c = g_ptr_array_index (self->campaigns, i);

      if (jarchi_campaign_get_id (c) == id)
        return c;
    }
  return NULL;
}

/* ---- campaign rows ---------------------------------------------------------------------- */

static gboolean
row_exists (JarchiCampaignStore *self, const char *sql, gint64 id, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (self->store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
check_references (JarchiCampaignStore *self, const JarchiCampaignConfig *cfg, GError **error)
{
  GError *local_error = NULL;

  if (cfg->account_id && !row_exists (self, "SELECT 1 FROM accounts WHERE id = ?1", cfg->account_id, &local_error))
    {
      if (local_error)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, _("There is no account %u"), cfg->account_id);
      return FALSE;
    }
  if (cfg->media_id && !row_exists (self, "SELECT 1 FROM media WHERE id = ?1", cfg->media_id, &local_error))
    {
      if (local_error)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, _("There is no message file %u"), cfg->media_id);
      return FALSE;
    }
  return TRUE;
}

/* The columns beside `config` repeat its main settings so SQL can filter and report on them. */
static gboolean
write_row (JarchiCampaignStore *self, JarchiCampaign *campaign, gboolean insert, GError **error)
{
  const JarchiCampaignConfig *cfg = jarchi_campaign_get_config (campaign);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonNode) config = jarchi_campaign_config_to_json (cfg);
  g_autofree char *config_text = json_to_string (config, FALSE);

  stmt = jarchi_store_prepare (self->store, insert
    ? "INSERT INTO campaigns (name, state, account_id, media_id, config, max_concurrent, cps, "
      "  ring_timeout_s, start_at, created_at, started_at, ended_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
    : "UPDATE campaigns SET name = ?1, state = ?2, account_id = ?3, media_id = ?4, config = ?5, "
      "  max_concurrent = ?6, cps = ?7, ring_timeout_s = ?8, start_at = ?9, created_at = ?10, "
      "  started_at = ?11, ended_at = ?12 WHERE id = ?13", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, cfg->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, jarchi_campaign_state_to_string (jarchi_campaign_get_state (campaign)),
                     -1, SQLITE_STATIC);
  bind_optional (stmt, 3, cfg->account_id);
  bind_optional (stmt, 4, cfg->media_id);
  sqlite3_bind_text (stmt, 5, config_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, cfg->max_concurrent);
  sqlite3_bind_double (stmt, 7, cfg->cps);
  sqlite3_bind_int (stmt, 8, cfg->ring_timeout_s);
  bind_optional (stmt, 9, cfg->start_at);
  sqlite3_bind_int64 (stmt, 10, jarchi_campaign_get_created_at (campaign));
  bind_optional (stmt, 11, jarchi_campaign_get_started_at (campaign));
  bind_optional (stmt, 12, jarchi_campaign_get_ended_at (campaign));
  if (!insert)
    sqlite3_bind_int64 (stmt, 13, jarchi_campaign_get_id (campaign));
  return jarchi_store_step_done (self->store, stmt, error);
}

gboolean
jarchi_campaign_store_add (JarchiCampaignStore *self, JarchiCampaign *campaign, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), FALSE);
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (campaign), FALSE);
  g_return_val_if_fail (jarchi_campaign_get_id (campaign) == 0, FALSE);

  if (!check_references (self, jarchi_campaign_get_config (campaign), error)
      || !write_row (self, campaign, TRUE, error))
    return FALSE;
  jarchi_campaign_set_id (campaign, jarchi_store_last_insert_id (self->store));
  g_ptr_array_add (self->campaigns, g_object_ref (campaign));
  g_list_model_items_changed (G_LIST_MODEL (self), self->campaigns->len - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  return TRUE;
}

gboolean
jarchi_campaign_store_save (JarchiCampaignStore *self, JarchiCampaign *campaign, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), FALSE);
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (campaign), FALSE);

  if (jarchi_campaign_get_state (campaign) == JARCHI_CAMPAIGN_STATE_DRAFT
      && !check_references (self, jarchi_campaign_get_config (campaign), error))
    return FALSE;
  return write_row (self, campaign, FALSE, error);
}

gboolean
jarchi_campaign_store_set_state (JarchiCampaignStore *self, JarchiCampaign *campaign,
                                 JarchiCampaignState state, gint64 now_s, GError **error)
{
  JarchiCampaignState old_state = jarchi_campaign_get_state (campaign);
  gint64 created = jarchi_campaign_get_created_at (campaign);
  gint64 started = jarchi_campaign_get_started_at (campaign);
  gint64 ended = jarchi_campaign_get_ended_at (campaign);

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), FALSE);

  if (!jarchi_campaign_change_state (campaign, state, now_s, error))
    return FALSE;
  if (!write_row (self, campaign, FALSE, error))
    {
      jarchi_campaign_restore (campaign, old_state, created, started, ended);
      return FALSE;
    }
  return TRUE;
}

gboolean
jarchi_campaign_store_remove (JarchiCampaignStore *self, JarchiCampaign *campaign, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint position;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), FALSE);

  stmt = jarchi_store_prepare (self->store, "DELETE FROM campaigns WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, jarchi_campaign_get_id (campaign));
  if (!jarchi_store_step_done (self->store, stmt, error))
    return FALSE;
  if (g_ptr_array_find (self->campaigns, campaign, &position))
    {
      g_ptr_array_remove_index (self->campaigns, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  return TRUE;
}

static char *
ids_to_json (GArray *ids)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (ids, gint64, i));
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static gboolean
freeze_targets (JarchiCampaignStore *self, JarchiCampaign *campaign, guint *n_targets, GError **error)
{
  const JarchiCampaignConfig *cfg = jarchi_campaign_get_config (campaign);
  gint64 id = jarchi_campaign_get_id (campaign);
  g_autoptr(sqlite3_stmt) clear = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *departments = ids_to_json (cfg->departments);
  g_autofree char *districts = ids_to_json (cfg->districts);
  g_autofree char *contacts = ids_to_json (cfg->contacts);

  clear = jarchi_store_prepare (self->store, "DELETE FROM campaign_targets WHERE campaign_id = ?1", error);
  if (clear == NULL)
    return FALSE;
  sqlite3_bind_int64 (clear, 1, id);
  if (!jarchi_store_step_done (self->store, clear, error))
    return FALSE;

  /* One row per contact, however many of the chosen groups it is in. The names are copied:
   * the report must show whom the campaign called even after contacts are edited. */
  insert = jarchi_store_prepare (self->store,
    "INSERT INTO campaign_targets (campaign_id, contact_id, name, phone, department, district, result) "
    "SELECT ?1, c.id, c.name, c.phone, COALESCE(d.name, ''), COALESCE(s.name, ''), "
    "       CASE WHEN n.phone IS NULL THEN 'pending' ELSE 'do-not-call' END "
    "FROM contacts c "
    "LEFT JOIN departments d ON d.id = c.department_id "
    "LEFT JOIN districts s ON s.id = c.district_id "
    "LEFT JOIN do_not_call n ON n.phone = c.phone "
    "WHERE c.active = 1 AND (c.department_id IN (SELECT value FROM json_each(?2)) "
    "   OR c.district_id IN (SELECT value FROM json_each(?3)) "
    "   OR c.id IN (SELECT value FROM json_each(?4))) "
    "ORDER BY c.id", error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, id);
  sqlite3_bind_text (insert, 2, departments, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, districts, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, contacts, -1, SQLITE_STATIC);
  if (!jarchi_store_step_done (self->store, insert, error))
    return FALSE;
  if (n_targets)
    *n_targets = sqlite3_changes (jarchi_store_get_db (self->store));
  return TRUE;
}

gboolean
jarchi_campaign_store_start (JarchiCampaignStore *self, JarchiCampaign *campaign,
                             JarchiCampaignState state, gint64 now_s, guint *n_targets,
                             GError **error)
{
  const JarchiCampaignConfig *cfg;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), FALSE);
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (campaign), FALSE);
  g_return_val_if_fail (state == JARCHI_CAMPAIGN_STATE_SCHEDULED || state == JARCHI_CAMPAIGN_STATE_RUNNING, FALSE);

  cfg = jarchi_campaign_get_config (campaign);
  if (jarchi_campaign_get_state (campaign) != JARCHI_CAMPAIGN_STATE_DRAFT)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY, _("The campaign was already started"));
      return FALSE;
    }
  if (!jarchi_campaign_config_check_startable (cfg, error) || !check_references (self, cfg, error))
    return FALSE;
  if (cfg->media_id == 0)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("The spoken message has not been turned into sound yet"));
      return FALSE;
    }

  if (!jarchi_store_begin (self->store, error))
    return FALSE;
  if (!freeze_targets (self, campaign, n_targets, error)
      || !jarchi_campaign_store_set_state (self, campaign, state, now_s, error))
    {
      jarchi_store_rollback (self->store);
      return FALSE;
    }
  if (!jarchi_store_commit (self->store, error))
    {
      jarchi_campaign_restore (campaign, JARCHI_CAMPAIGN_STATE_DRAFT,
                               jarchi_campaign_get_created_at (campaign), 0, 0);
      return FALSE;
    }
  return TRUE;
}

/* ---- targets and statistics ------------------------------------------------------------- */

#define TARGET_COLUMNS \
  "t.id, t.contact_id, t.name, t.phone, t.department, t.district, t.result, t.attempts, " \
  "t.last_code, t.digits, t.next_attempt_at, t.answered_at, t.ended_at"

static JarchiCampaignTarget *
target_from_row (sqlite3_stmt *stmt)
{
  JarchiCampaignTarget *t = jarchi_campaign_target_new ();

  t->id = sqlite3_column_int64 (stmt, 0);
  t->contact_id = sqlite3_column_int64 (stmt, 1);
  t->name = g_strdup (column_text (stmt, 2));
  t->phone = g_strdup (column_text (stmt, 3));
  t->department = g_strdup (column_text (stmt, 4));
  t->district = g_strdup (column_text (stmt, 5));
  if (!jarchi_target_result_from_string (column_text (stmt, 6), &t->result))
    t->result = JARCHI_TARGET_RESULT_PENDING;
  t->attempts = sqlite3_column_int (stmt, 7);
  t->last_code = sqlite3_column_int (stmt, 8);
  t->digits = g_strdup (column_text (stmt, 9));
  t->next_attempt_at = sqlite3_column_int64 (stmt, 10);
  t->answered_at = sqlite3_column_int64 (stmt, 11);
  t->ended_at = sqlite3_column_int64 (stmt, 12);
  return t;
}

/* One pass over the history for all targets listed, instead of a lookup per target. */
static gboolean
add_history_ids (JarchiCampaignStore *self, gint64 campaign_id, GPtrArray *targets, GError **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 lo, hi;

  if (targets->len == 0)
    return TRUE;
  lo = ((JarchiCampaignTarget *) g_ptr_array_index (targets, 0))->id;
  hi = ((JarchiCampaignTarget *) g_ptr_array_index (targets, targets->len - 1))->id;
  for (guint i = 0; i < targets->len; i++)
    {
      JarchiCampaignTarget *t = g_ptr_array_index (targets, i);
      g_hash_table_insert (by_id, &t->id, t);
    }

  stmt = jarchi_store_prepare (self->store,
    "SELECT a.target_id, c.id FROM calls c "
    "JOIN campaign_attempts a ON a.id = c.attempt_id "
    "JOIN campaign_targets t ON t.id = a.target_id "
    "WHERE t.campaign_id = ?1 AND t.id BETWEEN ?2 AND ?3 ORDER BY c.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  sqlite3_bind_int64 (stmt, 2, lo);
  sqlite3_bind_int64 (stmt, 3, hi);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 target_id = sqlite3_column_int64 (stmt, 0);
      gint64 call_id = sqlite3_column_int64 (stmt, 1);
      JarchiCampaignTarget *t = g_hash_table_lookup (by_id, &target_id);

      if (t)
        g_array_append_val (t->calls, call_id);
    }
  return TRUE;
}

GPtrArray *
jarchi_campaign_store_list_targets (JarchiCampaignStore *self, gint64 campaign_id, int result,
                                    guint limit, guint offset, guint *total, GError **error)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) jarchi_campaign_target_free);
  g_autoptr(sqlite3_stmt) count = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *result_name = result >= 0 ? jarchi_target_result_to_string (result) : NULL;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), NULL);

  if (total)
    {
      count = jarchi_store_prepare (self->store,
        "SELECT COUNT(*) FROM campaign_targets WHERE campaign_id = ?1 AND (?2 IS NULL OR result = ?2)",
        error);
      if (count == NULL)
        return NULL;
      sqlite3_bind_int64 (count, 1, campaign_id);
      if (result_name)
        sqlite3_bind_text (count, 2, result_name, -1, SQLITE_STATIC);
      *total = sqlite3_step (count) == SQLITE_ROW ? sqlite3_column_int (count, 0) : 0;
    }

  stmt = jarchi_store_prepare (self->store,
    "SELECT " TARGET_COLUMNS " FROM campaign_targets t "
    "WHERE t.campaign_id = ?1 AND (?2 IS NULL OR t.result = ?2) ORDER BY t.id LIMIT ?3 OFFSET ?4",
    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  if (result_name)
    sqlite3_bind_text (stmt, 2, result_name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, limit ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 4, offset);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (targets, target_from_row (stmt));

  if (!add_history_ids (self, campaign_id, targets, error))
    return NULL;
  return g_steal_pointer (&targets);
}

JarchiCampaignTarget *
jarchi_campaign_store_get_target (JarchiCampaignStore *self, gint64 target_id, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) one = NULL;
  gint64 campaign_id;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), NULL);

  stmt = jarchi_store_prepare (self->store,
    "SELECT " TARGET_COLUMNS ", t.campaign_id FROM campaign_targets t WHERE t.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, target_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND,
                   _("There is no campaign target %lld"), (long long) target_id);
      return NULL;
    }
  one = g_ptr_array_new_with_free_func ((GDestroyNotify) jarchi_campaign_target_free);
  g_ptr_array_add (one, target_from_row (stmt));
  campaign_id = sqlite3_column_int64 (stmt, 13);
  if (!add_history_ids (self, campaign_id, one, error))
    return NULL;
  return g_ptr_array_steal_index (one, 0);
}

JarchiCampaignStats *
jarchi_campaign_store_compute_stats (JarchiCampaignStore *self, gint64 campaign_id, GError **error)
{
  g_autoptr(JarchiCampaignStats) stats = jarchi_campaign_stats_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), NULL);

  /* Aggregated here rather than by GROUP BY: one scan feeds every breakdown. */
  stmt = jarchi_store_prepare (self->store,
    "SELECT result, department, district, next_attempt_at IS NOT NULL, attempts, "
    "       answered_at IS NOT NULL FROM campaign_targets WHERE campaign_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JarchiTargetResult r;
      JarchiCampaignGroupStats *dep, *dis;
      guint attempts = sqlite3_column_int (stmt, 4);

      if (!jarchi_target_result_from_string (column_text (stmt, 0), &r))
        r = JARCHI_TARGET_RESULT_PENDING;
      stats->total++;
      stats->results[r]++;
      if (sqlite3_column_int (stmt, 3))
        stats->retry_scheduled++;
      stats->attempts += attempts;
      if (attempts > 0)
        stats->attempted++;
      if (sqlite3_column_int (stmt, 5))
        stats->answered++;
      if (r == JARCHI_TARGET_RESULT_CALLING)
        stats->in_progress++;
      dep = jarchi_campaign_stats_group (stats->departments, column_text (stmt, 1));
      dep->total++;
      dep->results[r]++;
      dis = jarchi_campaign_stats_group (stats->districts, column_text (stmt, 2));
      dis->total++;
      dis->results[r]++;
    }
  jarchi_campaign_stats_finish (stats);
  return g_steal_pointer (&stats);
}

guint
jarchi_campaign_store_count_open (JarchiCampaignStore *self, gint64 campaign_id, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), 0);

  stmt = jarchi_store_prepare (self->store,
    "SELECT COUNT(*) FROM campaign_targets WHERE campaign_id = ?1 "
    "AND (result IN ('pending', 'calling') OR next_attempt_at IS NOT NULL)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, campaign_id);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
}

gint64
jarchi_campaign_store_next_retry_at (JarchiCampaignStore *self, gint64 campaign_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (self), 0);

  stmt = jarchi_store_prepare (self->store,
    "SELECT MIN(next_attempt_at) FROM campaign_targets WHERE campaign_id = ?1 "
    "AND result != 'calling' AND next_attempt_at IS NOT NULL", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}
