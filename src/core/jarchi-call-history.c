/* JarchiCallHistory: writes every call of a JarchiCallManager to table calls as it happens, and reads the history back. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-history"
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-call-history.h"
#include "jarchi-error.h"
#include "jarchi-history-query.h"

typedef struct {
  JarchiCallHistory *self;
  JarchiCall        *call;
  gint64             row_id;
  gboolean           answer_written;
} Tracked;

struct _JarchiCallHistory
{
  GObject            parent_instance;
  JarchiStore       *store;
  JarchiCallManager *manager;
  GHashTable        *tracked;   /* call id → Tracked */
};

G_DEFINE_FINAL_TYPE (JarchiCallHistory, jarchi_call_history, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_MANAGER,
  N_PROPS
};

enum {
  SIGNAL_HISTORY_CHANGED,
  SIGNAL_ENTRY_ENDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
tracked_free (gpointer data)
{
  Tracked *t = data;

  g_signal_handlers_disconnect_by_data (t->call, t);
  g_object_unref (t->call);
  g_free (t);
}

static gint64
seconds (gint64 usec)
{
  return usec / G_USEC_PER_SEC;
}

static void
bind_time_or_null (sqlite3_stmt *stmt, int column, gint64 usec)
{
  if (usec > 0)
    sqlite3_bind_int64 (stmt, column, seconds (usec));
  else
    sqlite3_bind_null (stmt, column);
}

/* ---- writing ------------------------------------------------------------------------------- */

static gint64
insert_row (JarchiCallHistory *self, JarchiCall *call, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *name = jarchi_call_get_remote_name (call);

  /* The account may be one the database does not know (added to the manager directly). */
  stmt = jarchi_store_prepare (self->store,
    "INSERT INTO calls (direction, remote, remote_name, account_id, started_at) "
    "VALUES (?1, ?2, ?3, (SELECT id FROM accounts WHERE id = ?4), ?5)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, jarchi_call_get_direction (call) == JARCHI_CALL_DIRECTION_INCOMING
                                ? "incoming" : "outgoing", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, jarchi_call_get_remote_uri (call), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, name ? name : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, jarchi_call_get_account_id (call));
  sqlite3_bind_int64 (stmt, 5, seconds (jarchi_call_get_started_at (call)));
  if (!jarchi_store_step_done (self->store, stmt, error))
    return 0;
  return jarchi_store_last_insert_id (self->store);
}

static gboolean
write_answer (JarchiCallHistory *self, Tracked *t, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (self->store,
    "UPDATE calls SET answered_at = ?2 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, t->row_id);
  bind_time_or_null (stmt, 2, jarchi_call_get_answered_at (t->call));
  return jarchi_store_step_done (self->store, stmt, error);
}

static gboolean
write_end (JarchiCallHistory *self, Tracked *t, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  JarchiCall *call = t->call;
  const char *reason = jarchi_call_get_end_reason (call);
  const char *name = jarchi_call_get_remote_name (call);
  const char *recording = jarchi_call_get_recording_path (call);
  gint64 ended = jarchi_call_get_ended_at (call);

  stmt = jarchi_store_prepare (self->store,
    "UPDATE calls SET answered_at = ?2, ended_at = ?3, result = ?4, sip_code = ?5, "
    "recording_path = ?6, remote_name = ?7 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, t->row_id);
  bind_time_or_null (stmt, 2, jarchi_call_get_answered_at (call));
  bind_time_or_null (stmt, 3, ended > 0 ? ended : g_get_real_time ());
  sqlite3_bind_text (stmt, 4, reason ? reason : "", -1, SQLITE_TRANSIENT);
  if (jarchi_call_get_sip_code (call) > 0)
    sqlite3_bind_int (stmt, 5, (int) jarchi_call_get_sip_code (call));
  else
    sqlite3_bind_null (stmt, 5);
  if (recording != NULL && g_file_test (recording, G_FILE_TEST_IS_REGULAR))
    sqlite3_bind_text (stmt, 6, recording, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 6);
  sqlite3_bind_text (stmt, 7, name ? name : "", -1, SQLITE_TRANSIENT);
  return jarchi_store_step_done (self->store, stmt, error);
}

static void
on_call_state (JarchiCall *call, GParamSpec *pspec, gpointer user_data)
{
  Tracked *t = user_data;
  g_autoptr(GError) error = NULL;

  if (t->answer_written || jarchi_call_get_answered_at (call) == 0 || jarchi_call_is_ended (call))
    return;
  t->answer_written = TRUE;
  if (!write_answer (t->self, t, &error))
    g_warning ("Call %u: could not write its answer to the history: %s",
               jarchi_call_get_id (call), error->message);
  else
    g_signal_emit (t->self, signals[SIGNAL_HISTORY_CHANGED], 0);
}

static void
track (JarchiCallHistory *self, JarchiCall *call)
{
  guint call_id = jarchi_call_get_id (call);
  g_autoptr(GError) error = NULL;
  Tracked *t;
  gint64 row_id;

  if (g_hash_table_contains (self->tracked, GUINT_TO_POINTER (call_id)))
    return;
  row_id = insert_row (self, call, &error);
  if (row_id == 0)
    {
      g_warning ("Call %u: could not add it to the history: %s", call_id, error->message);
      return;
    }
  t = g_new0 (Tracked, 1);
  t->self = self;
  t->call = g_object_ref (call);
  t->row_id = row_id;
  g_hash_table_insert (self->tracked, GUINT_TO_POINTER (call_id), t);
  g_signal_connect (call, "notify::state", G_CALLBACK (on_call_state), t);
  g_signal_emit (self, signals[SIGNAL_HISTORY_CHANGED], 0);
  /* It may have been answered before it reached the model (a call taking over another). */
  on_call_state (call, NULL, t);
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, gpointer user_data)
{
  JarchiCallHistory *self = user_data;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(JarchiCall) call = g_list_model_get_item (model, i);

      if (call != NULL)
        track (self, call);
    }
}

static void
on_call_ended (JarchiCallManager *manager, JarchiCall *call, gpointer user_data)
{
  JarchiCallHistory *self = user_data;
  guint call_id = jarchi_call_get_id (call);
  Tracked *t = g_hash_table_lookup (self->tracked, GUINT_TO_POINTER (call_id));
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiHistoryEntry) entry = NULL;
  gint64 row_id;

  if (t == NULL)
    return;
  row_id = t->row_id;
  if (!write_end (self, t, &error))
    {
      g_warning ("Call %u: could not write its end to the history: %s", call_id, error->message);
      g_hash_table_remove (self->tracked, GUINT_TO_POINTER (call_id));
      return;
    }
  g_hash_table_remove (self->tracked, GUINT_TO_POINTER (call_id));
  g_signal_emit (self, signals[SIGNAL_HISTORY_CHANGED], 0);
  entry = jarchi_call_history_get (self, row_id, &error);
  if (entry != NULL)
    g_signal_emit (self, signals[SIGNAL_ENTRY_ENDED], 0, entry);
}

gint64
jarchi_call_history_get_entry_id (JarchiCallHistory *self, guint call_id)
{
  Tracked *t;

  g_return_val_if_fail (JARCHI_IS_CALL_HISTORY (self), 0);
  t = g_hash_table_lookup (self->tracked, GUINT_TO_POINTER (call_id));
  return t ? t->row_id : 0;
}

void
jarchi_call_history_exclude_call (JarchiCallHistory *self, guint call_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  Tracked *t;

  g_return_if_fail (JARCHI_IS_CALL_HISTORY (self));
  t = g_hash_table_lookup (self->tracked, GUINT_TO_POINTER (call_id));
  if (t == NULL)
    return;
  stmt = jarchi_store_prepare (self->store, "DELETE FROM calls WHERE id = ?1 AND attempt_id IS NULL", &error);
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, t->row_id);
  if (stmt == NULL || !jarchi_store_step_done (self->store, stmt, &error))
    g_warning ("Call %u: could not remove it from the history: %s", call_id, error->message);
  g_hash_table_remove (self->tracked, GUINT_TO_POINTER (call_id));
  g_signal_emit (self, signals[SIGNAL_HISTORY_CHANGED], 0);
}

static void
close_interrupted (JarchiCallHistory *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  stmt = jarchi_store_prepare (self->store,
    "UPDATE calls SET result = 'interrupted' "
    "WHERE ended_at IS NULL AND attempt_id IS NULL AND result = ''", &error);
  if (stmt == NULL || !jarchi_store_step_done (self->store, stmt, &error))
    g_warning ("Could not close the calls a previous run left open: %s", error->message);
  else if (sqlite3_changes (jarchi_store_get_db (self->store)) > 0)
    g_message ("%d calls of a previous run had no end; they are marked interrupted",
               sqlite3_changes (jarchi_store_get_db (self->store)));
}

/* ---- reading ------------------------------------------------------------------------------- */

GPtrArray *
jarchi_call_history_query (JarchiCallHistory *self, const JarchiHistoryFilter *filter, guint offset,
                           guint limit, guint *total, GError **error)
{
  g_auto(JarchiHistoryQuery) query = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  int next, rc;

  g_return_val_if_fail (JARCHI_IS_CALL_HISTORY (self), NULL);

  jarchi_history_query_init (&query, filter, JARCHI_HISTORY_RESULT_ANY);
  if (total != NULL)
    {
      g_autoptr(sqlite3_stmt) count = jarchi_history_query_prepare (&query, self->store, "SELECT count(*) FROM calls",
                                                                    "", NULL, error);

      if (count == NULL)
        return NULL;
      if (sqlite3_step (count) != SQLITE_ROW)
        {
          jarchi_history_query_db_error (self->store, error);
          return NULL;
        }
      *total = (guint) MIN (sqlite3_column_int64 (count, 0), G_MAXUINT);
    }

  stmt = jarchi_history_query_prepare (&query, self->store, "SELECT " JARCHI_HISTORY_ENTRY_COLUMNS " FROM calls",
                                       JARCHI_HISTORY_ORDER " LIMIT ? OFFSET ?", &next, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, next, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, next + 1, offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, jarchi_history_entry_new_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      jarchi_history_query_db_error (self->store, error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

JarchiHistoryEntry *
jarchi_call_history_get (JarchiCallHistory *self, gint64 id, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (JARCHI_IS_CALL_HISTORY (self), NULL);

  stmt = jarchi_store_prepare (self->store,
                               "SELECT " JARCHI_HISTORY_ENTRY_COLUMNS " FROM calls WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return jarchi_history_entry_new_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND,
                 _("There is no call %lld in the history"), (long long) id);
  else
    jarchi_history_query_db_error (self->store, error);
  return NULL;
}

GBytes *
jarchi_call_history_export_csv_chunk (JarchiCallHistory *self, const JarchiHistoryFilter *filter,
                                      JarchiHistoryCsvCursor *cursor, guint max_rows, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_CALL_HISTORY (self), NULL);

  return jarchi_history_query_csv_chunk (self->store, filter, JARCHI_HISTORY_RESULT_ANY, NULL, NULL,
                                         cursor, max_rows, error);
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
jarchi_call_history_dispose (GObject *object)
{
  JarchiCallHistory *self = JARCHI_CALL_HISTORY (object);

  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  if (self->tracked != NULL)
    g_hash_table_remove_all (self->tracked);
  g_clear_object (&self->manager);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (jarchi_call_history_parent_class)->dispose (object);
}

static void
jarchi_call_history_finalize (GObject *object)
{
  g_clear_pointer (&JARCHI_CALL_HISTORY (object)->tracked, g_hash_table_unref);
  G_OBJECT_CLASS (jarchi_call_history_parent_class)->finalize (object);
}

static void
jarchi_call_history_constructed (GObject *object)
{
  JarchiCallHistory *self = JARCHI_CALL_HISTORY (object);
  guint n;

  G_OBJECT_CLASS (jarchi_call_history_parent_class)->constructed (object);

  g_return_if_fail (JARCHI_IS_STORE (self->store));
  close_interrupted (self);
  if (self->manager == NULL)
    return;
  g_signal_connect (self->manager, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect (self->manager, "call-ended", G_CALLBACK (on_call_ended), self);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->manager));
  if (n > 0)
    on_items_changed (G_LIST_MODEL (self->manager), 0, 0, n, self);
}

static void
jarchi_call_history_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiCallHistory *self = JARCHI_CALL_HISTORY (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_MANAGER: g_value_set_object (value, self->manager); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_call_history_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiCallHistory *self = JARCHI_CALL_HISTORY (object);

  switch (prop_id)
    {
    case PROP_STORE: self->store = g_value_dup_object (value); break;
    case PROP_MANAGER: self->manager = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_call_history_class_init (JarchiCallHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = jarchi_call_history_dispose;
  object_class->finalize = jarchi_call_history_finalize;
  object_class->constructed = jarchi_call_history_constructed;
  object_class->get_property = jarchi_call_history_get_property;
  object_class->set_property = jarchi_call_history_set_property;

  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, JARCHI_TYPE_STORE, co);
  properties[PROP_MANAGER] = g_param_spec_object ("manager", NULL, NULL, JARCHI_TYPE_CALL_MANAGER, co);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_HISTORY_CHANGED] =
    g_signal_new ("history-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ENTRY_ENDED] =
    g_signal_new ("entry-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, JARCHI_TYPE_HISTORY_ENTRY);
}

static void
jarchi_call_history_init (JarchiCallHistory *self)
{
  self->tracked = g_hash_table_new_full (NULL, NULL, NULL, tracked_free);
}

JarchiCallHistory *
jarchi_call_history_new (JarchiStore *store, JarchiCallManager *manager)
{
  g_return_val_if_fail (JARCHI_IS_STORE (store), NULL);
  g_return_val_if_fail (manager == NULL || JARCHI_IS_CALL_MANAGER (manager), NULL);

  return g_object_new (JARCHI_TYPE_CALL_HISTORY, "store", store, "manager", manager, NULL);
}
