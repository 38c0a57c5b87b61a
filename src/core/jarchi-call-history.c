/* JarchiCallHistory: writes every call of a JarchiCallManager to table calls as it happens, and reads the history back. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-history"
#include "jarchi-config.h"

#include <string.h>
#include <time.h>
#include <glib/gi18n-lib.h>

#include "jarchi-call-history.h"
#include "jarchi-csv-import.h"
#include "jarchi-error.h"

#define MAX_QUERY_WORDS 8

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

typedef struct {
  GString   *where;
  GPtrArray *texts;    /* char *, bound as text where is_text */
  GArray    *values;   /* gint64 */
  GArray    *is_text;  /* gboolean */
} Conditions;

static void
conditions_clear (Conditions *c)
{
  if (c->where != NULL)
    g_string_free (c->where, TRUE);
  g_clear_pointer (&c->texts, g_ptr_array_unref);
  g_clear_pointer (&c->values, g_array_unref);
  g_clear_pointer (&c->is_text, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Conditions, conditions_clear)

static void
add_text (Conditions *c, char *text)
{
  gint64 zero = 0;
  gboolean yes = TRUE;

  g_ptr_array_add (c->texts, text);
  g_array_append_val (c->values, zero);
  g_array_append_val (c->is_text, yes);
}

static void
add_int (Conditions *c, gint64 value)
{
  gboolean no = FALSE;

  g_ptr_array_add (c->texts, NULL);
  g_array_append_val (c->values, value);
  g_array_append_val (c->is_text, no);
}

/* WHERE clause text from fixed fragments; every value the caller gave is a bound parameter. */
static void
conditions_init (Conditions *c, const JarchiHistoryFilter *filter)
{
  c->where = g_string_new (" WHERE 1");
  c->texts = g_ptr_array_new_with_free_func (g_free);
  c->values = g_array_new (FALSE, FALSE, sizeof (gint64));
  c->is_text = g_array_new (FALSE, FALSE, sizeof (gboolean));

  if (filter == NULL)
    return;
  if (filter->q != NULL)
    {
      g_auto(GStrv) words = g_strsplit_set (filter->q, " \t\r\n", -1);
      guint n = 0;

      for (guint i = 0; words[i] != NULL && n < MAX_QUERY_WORDS; i++)
        {
          if (words[i][0] == '\0')
            continue;
          n++;
          g_string_append (c->where, " AND (remote LIKE ? ESCAPE '\\' OR remote_name LIKE ? ESCAPE '\\')");
          add_text (c, jarchi_store_like_pattern (words[i]));
          add_text (c, jarchi_store_like_pattern (words[i]));
        }
    }
  if (!filter->any_direction)
    {
      g_string_append (c->where, " AND direction = ?");
      add_text (c, g_strdup (filter->direction == JARCHI_CALL_DIRECTION_INCOMING ? "incoming" : "outgoing"));
    }
  if (filter->from > 0)
    {
      g_string_append (c->where, " AND started_at >= ?");
      add_int (c, filter->from);
    }
  if (filter->to > 0)
    {
      g_string_append (c->where, " AND started_at <= ?");
      add_int (c, filter->to);
    }
}

/* Binds the conditions' values to parameters 1..n; returns the next free index. */
static int
conditions_bind (Conditions *c, sqlite3_stmt *stmt)
{
  for (guint i = 0; i < c->is_text->len; i++)
    {
      if (g_array_index (c->is_text, gboolean, i))
        sqlite3_bind_text (stmt, (int) i + 1, g_ptr_array_index (c->texts, i), -1, SQLITE_STATIC);
      else
        sqlite3_bind_int64 (stmt, (int) i + 1, g_array_index (c->values, gint64, i));
    }
  return (int) c->is_text->len + 1;
}

static gboolean
fail_db (JarchiCallHistory *self, GError **error)
{
  g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE, _("Database error while reading the call history: %s"),
               sqlite3_errmsg (jarchi_store_get_db (self->store)));
  return FALSE;
}

GPtrArray *
jarchi_call_history_query (JarchiCallHistory *self, const JarchiHistoryFilter *filter, guint offset,
                           guint limit, guint *total, GError **error)
{
  g_auto(Conditions) c = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *sql = NULL;
  int next, rc;

  g_return_val_if_fail (JARCHI_IS_CALL_HISTORY (self), NULL);

  conditions_init (&c, filter);
  if (total != NULL)
    {
      g_autoptr(sqlite3_stmt) count = NULL;

      sql = g_strconcat ("SELECT count(*) FROM calls", c.where->str, NULL);
      count = jarchi_store_prepare (self->store, sql, error);
      if (count == NULL)
        return NULL;
      conditions_bind (&c, count);
      if (sqlite3_step (count) != SQLITE_ROW)
        {
          fail_db (self, error);
          return NULL;
        }
      *total = (guint) MIN (sqlite3_column_int64 (count, 0), G_MAXUINT);
      g_clear_pointer (&sql, g_free);
    }

  sql = g_strconcat ("SELECT " JARCHI_HISTORY_ENTRY_COLUMNS " FROM calls", c.where->str,
                     " ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?", NULL);
  stmt = jarchi_store_prepare (self->store, sql, error);
  if (stmt == NULL)
    return NULL;
  next = conditions_bind (&c, stmt);
  sqlite3_bind_int64 (stmt, next, limit > 0 ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, next + 1, offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, jarchi_history_entry_new_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      fail_db (self, error);
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
    fail_db (self, error);
  return NULL;
}

static const char * const csv_header[] = {
  "id", "started_at", "answered_at", "ended_at", "duration", "direction", "remote", "remote_name",
  "account", "end_reason", "sip_code", "recording",
};

/* ISO 8601 UTC into @buf, or "" for 0/NULL. Cheaper than a GDateTime per cell. */
static const char *
csv_time (sqlite3_stmt *stmt, int column, char buf[32])
{
  time_t t = (time_t) sqlite3_column_int64 (stmt, column);
  struct tm tm;

  buf[0] = '\0';
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL || t <= 0 || gmtime_r (&t, &tm) == NULL)
    return buf;
  g_snprintf (buf, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
              tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

static const char *
csv_int (sqlite3_stmt *stmt, int column, char buf[32])
{
  gint64 v = sqlite3_column_int64 (stmt, column);

  buf[0] = '\0';
  if (sqlite3_column_type (stmt, column) != SQLITE_NULL && v > 0)
    g_snprintf (buf, 32, "%" G_GINT64_FORMAT, v);
  return buf;
}

/* One row of JARCHI_HISTORY_ENTRY_COLUMNS, straight from the statement. */
static void
append_csv_row (GString *out, sqlite3_stmt *stmt)
{
  char id[32], started[32], answered[32], ended[32], duration[32], account[32], code[32];
  gint64 answered_at = sqlite3_column_int64 (stmt, 6), ended_at = sqlite3_column_int64 (stmt, 7);
  const char *text[12];

  g_snprintf (duration, sizeof duration, "%" G_GINT64_FORMAT,
              answered_at > 0 && ended_at >= answered_at ? ended_at - answered_at : 0);
  text[0] = csv_int (stmt, 0, id);
  text[1] = csv_time (stmt, 5, started);
  text[2] = csv_time (stmt, 6, answered);
  text[3] = csv_time (stmt, 7, ended);
  text[4] = duration;
  text[5] = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "incoming") == 0 ? "incoming" : "outgoing";
  text[6] = (const char *) sqlite3_column_text (stmt, 2);
  text[7] = (const char *) sqlite3_column_text (stmt, 3);
  text[8] = csv_int (stmt, 4, account);
  text[9] = (const char *) sqlite3_column_text (stmt, 8);
  text[10] = csv_int (stmt, 9, code);
  text[11] = sqlite3_column_type (stmt, 10) != SQLITE_NULL ? "yes" : "no";
  G_STATIC_ASSERT (G_N_ELEMENTS (text) == G_N_ELEMENTS (csv_header));
  jarchi_csv_append_row (out, text, G_N_ELEMENTS (text));
}

GBytes *
jarchi_call_history_export_csv_chunk (JarchiCallHistory *self, const JarchiHistoryFilter *filter,
                                      JarchiHistoryCsvCursor *cursor, guint max_rows, GError **error)
{
  g_auto(Conditions) c = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *sql = NULL;
  guint n = 0;
  int next, rc;

  g_return_val_if_fail (JARCHI_IS_CALL_HISTORY (self), NULL);
  g_return_val_if_fail (cursor != NULL, NULL);
  g_return_val_if_fail (max_rows > 0, NULL);

  if (cursor->done)
    return g_bytes_new (NULL, 0);
  if (!cursor->begun)
    {
      g_string_append (out, "\xEF\xBB\xBF");
      jarchi_csv_append_row (out, csv_header, G_N_ELEMENTS (csv_header));
    }

  conditions_init (&c, filter);
  /* Keyset paging on the calls_started index: each piece is one short query, so no statement
   * stays open (and no read transaction pins the WAL) while the client reads. */
  sql = g_strconcat ("SELECT " JARCHI_HISTORY_ENTRY_COLUMNS " FROM calls", c.where->str,
                     cursor->begun ? " AND started_at <= ? AND (started_at, id) < (?, ?)" : "",
                     " ORDER BY started_at DESC, id DESC LIMIT ?", NULL);
  stmt = jarchi_store_prepare (self->store, sql, error);
  if (stmt == NULL)
    return NULL;
  next = conditions_bind (&c, stmt);
  if (cursor->begun)
    {
      sqlite3_bind_int64 (stmt, next++, cursor->started_at);
      sqlite3_bind_int64 (stmt, next++, cursor->started_at);
      sqlite3_bind_int64 (stmt, next++, cursor->id);
    }
  sqlite3_bind_int64 (stmt, next, max_rows);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      append_csv_row (out, stmt);
      cursor->started_at = sqlite3_column_int64 (stmt, 5);
      cursor->id = sqlite3_column_int64 (stmt, 0);
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      fail_db (self, error);
      return NULL;
    }
  cursor->begun = TRUE;
  cursor->done = n < max_rows;
  return g_string_free_to_bytes (g_steal_pointer (&out));
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
