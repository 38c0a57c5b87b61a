/* JarchiHistoryModel: the call history as a lazy GListModel of JarchiHistoryItem, read from SQLite a page at a time. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-history-model"
#include "jarchi-config.h"

#include <time.h>
#include <glib/gi18n-lib.h>

#include "jarchi-csv-import.h"
#include "jarchi-error.h"
#include "jarchi-history-model.h"
#include "jarchi-phone.h"
#include "jarchi-sip-uri.h"
#include "jarchi-store.h"

#define MAX_QUERY_WORDS 8
/* Rows at the top whose call may still be going on and so may change under us. */
#define LIVE_ROWS 64
#define SYNC_DELAY_MS 150

/* The entry's columns (JARCHI_HISTORY_ENTRY_COLUMNS, qualified), then the names beside them. */
#define SELECT_ROWS \
  "SELECT calls.id, calls.direction, calls.remote, calls.remote_name, calls.account_id, " \
  "calls.started_at, calls.answered_at, calls.ended_at, calls.result, calls.sip_code, " \
  "calls.recording_path, calls.attempt_id, " \
  "COALESCE(NULLIF(a.display_name, ''), a.uri, ''), COALESCE(cp.name, ''), COALESCE(ct.name, '') " \
  "FROM calls LEFT JOIN accounts a ON a.id = calls.account_id " \
  "LEFT JOIN campaign_attempts ca ON ca.id = calls.attempt_id " \
  "LEFT JOIN campaign_targets ct ON ct.id = ca.target_id " \
  "LEFT JOIN campaigns cp ON cp.id = ct.campaign_id"
#define ORDER " ORDER BY calls.started_at DESC, calls.id DESC"

struct _JarchiHistoryModel
{
  GObject             parent_instance;
  JarchiCallHistory  *history;
  JarchiStore        *store;

  char               *q;
  JarchiHistoryFilter filter;          /* filter.q points to q */
  JarchiHistoryResult result;

  GPtrArray          *slots;           /* JarchiHistoryItem or NULL (not read yet), one per row */
  gint64              top_started;     /* key of the newest row at the last look; 0: none */
  gint64              top_id;
  guint               n_loaded;
  GHashTable         *contact_names;   /* remote → contact name ("" when none) */
  guint               sync_source;
};

static void jarchi_history_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JarchiHistoryModel, jarchi_history_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, jarchi_history_model_list_model_init))

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- SQL ------------------------------------------------------------------------------------ */

typedef struct {
  GString   *where;
  GPtrArray *texts;   /* bound as text when not NULL, else the matching value */
  GArray    *values;  /* gint64 */
} Conditions;

static void
conditions_clear (Conditions *c)
{
  if (c->where != NULL)
    g_string_free (c->where, TRUE);
  g_clear_pointer (&c->texts, g_ptr_array_unref);
  g_clear_pointer (&c->values, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Conditions, conditions_clear)

static void
add_param (Conditions *c, char *text, gint64 value)
{
  g_ptr_array_add (c->texts, text);
  g_array_append_val (c->values, value);
}

/* The same filter as /api/history (jarchi-call-history.c), plus the result; every value is a
 * bound parameter. */
static void
conditions_init (Conditions *c, JarchiHistoryModel *self)
{
  const JarchiHistoryFilter *f = &self->filter;

  c->where = g_string_new (" WHERE 1");
  c->texts = g_ptr_array_new_with_free_func (g_free);
  c->values = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (f->q != NULL)
    {
      g_auto(GStrv) words = g_strsplit_set (f->q, " \t\r\n", -1);
      guint n = 0;

      for (guint i = 0; words[i] != NULL && n < MAX_QUERY_WORDS; i++)
        {
          if (words[i][0] == '\0')
            continue;
          n++;
          g_string_append (c->where, " AND (calls.remote LIKE ? ESCAPE '\\' OR calls.remote_name LIKE ? ESCAPE '\\')");
          add_param (c, jarchi_store_like_pattern (words[i]), 0);
          add_param (c, jarchi_store_like_pattern (words[i]), 0);
        }
    }
  if (!f->any_direction)
    {
      g_string_append (c->where, " AND calls.direction = ?");
      add_param (c, g_strdup (f->direction == JARCHI_CALL_DIRECTION_INCOMING ? "incoming" : "outgoing"), 0);
    }
  if (f->from > 0)
    {
      g_string_append (c->where, " AND calls.started_at >= ?");
      add_param (c, NULL, f->from);
    }
  if (f->to > 0)
    {
      g_string_append (c->where, " AND calls.started_at <= ?");
      add_param (c, NULL, f->to);
    }
  switch (self->result)
    {
    case JARCHI_HISTORY_RESULT_ANSWERED:
      g_string_append (c->where, " AND calls.answered_at IS NOT NULL");
      break;
    case JARCHI_HISTORY_RESULT_NOT_ANSWERED:
      g_string_append (c->where, " AND calls.answered_at IS NULL AND calls.result != ''");
      break;
    case JARCHI_HISTORY_RESULT_RECORDED:
      g_string_append (c->where, " AND calls.recording_path IS NOT NULL");
      break;
    case JARCHI_HISTORY_RESULT_ANY:
    default:
      break;
    }
}

static int
conditions_bind (Conditions *c, sqlite3_stmt *stmt)
{
  for (guint i = 0; i < c->texts->len; i++)
    {
      const char *text = g_ptr_array_index (c->texts, i);

      if (text != NULL)
        sqlite3_bind_text (stmt, (int) i + 1, text, -1, SQLITE_STATIC);
      else
        sqlite3_bind_int64 (stmt, (int) i + 1, g_array_index (c->values, gint64, i));
    }
  return (int) c->texts->len + 1;
}

static sqlite3_stmt *
prepare (JarchiHistoryModel *self, Conditions *c, const char *head, const char *tail, int *next)
{
  g_autofree char *sql = g_strconcat (head, c->where->str, tail, NULL);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = jarchi_store_prepare (self->store, sql, &error);

  if (stmt == NULL)
    {
      g_warning ("Could not read the call history: %s", error->message);
      return NULL;
    }
  *next = conditions_bind (c, stmt);
  return stmt;
}

/* Rows matching the filter; with @newer, only those after (@started, @id) in time. */
static guint
count_rows (JarchiHistoryModel *self, gboolean newer, gint64 started, gint64 id)
{
  g_auto(Conditions) c = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int next;

  conditions_init (&c, self);
  stmt = prepare (self, &c, "SELECT count(*) FROM calls",
                  newer ? " AND calls.started_at >= ? AND (calls.started_at, calls.id) > (?, ?)" : "", &next);
  if (stmt == NULL)
    return 0;
  if (newer)
    {
      sqlite3_bind_int64 (stmt, next, started);
      sqlite3_bind_int64 (stmt, next + 1, started);
      sqlite3_bind_int64 (stmt, next + 2, id);
    }
  return sqlite3_step (stmt) == SQLITE_ROW ? (guint) MIN (sqlite3_column_int64 (stmt, 0), G_MAXUINT) : 0;
}

static void
read_top (JarchiHistoryModel *self)
{
  g_auto(Conditions) c = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int next;

  self->top_started = self->top_id = 0;
  conditions_init (&c, self);
  stmt = prepare (self, &c, "SELECT calls.started_at, calls.id FROM calls", ORDER " LIMIT 1", &next);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      self->top_started = sqlite3_column_int64 (stmt, 0);
      self->top_id = sqlite3_column_int64 (stmt, 1);
    }
}

/* The contact book's name for the number in @remote (sip:1001@host → "1001"), cached: a page
 * of 200 rows would otherwise be 200 lookups. */
static const char *
contact_name (JarchiHistoryModel *self, const char *remote)
{
  const char *name = g_hash_table_lookup (self->contact_names, remote);
  g_autofree char *user = NULL;
  g_autofree char *phone = NULL;

  if (name != NULL)
    return name;
  if (!jarchi_sip_uri_parse (remote, NULL, &user, NULL, NULL))
    user = g_strdup (remote);
  phone = user ? jarchi_phone_normalize (user, NULL) : NULL;
  if (phone != NULL)
    {
      g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (self->store, "SELECT name FROM contacts WHERE phone = ?1", NULL);

      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, phone, -1, SQLITE_STATIC);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
        }
    }
  if (name == NULL)
    name = g_strdup ("");
  g_hash_table_insert (self->contact_names, g_strdup (remote), (char *) name);
  return name;
}

static JarchiHistoryItem *
item_from_row (JarchiHistoryModel *self, sqlite3_stmt *stmt)
{
  g_autoptr(JarchiHistoryEntry) entry = jarchi_history_entry_new_from_row (stmt);
  const char *contact = contact_name (self, jarchi_history_entry_get_remote (entry));

  /* A campaign target has a name even when it is not (or no longer) in the contact book. */
  if (*contact == '\0')
    contact = (const char *) sqlite3_column_text (stmt, 14);
  return jarchi_history_item_new (entry, contact, (const char *) sqlite3_column_text (stmt, 12),
                                  (const char *) sqlite3_column_text (stmt, 13));
}

/* Reads the rows from @position on into the empty slots, one page at most. After a read row
 * the next page continues from its key (keyset paging, cheap at any depth); elsewhere OFFSET. */
static void
load (JarchiHistoryModel *self, guint position)
{
  g_auto(Conditions) c = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  JarchiHistoryItem *before = position > 0 ? g_ptr_array_index (self->slots, position - 1) : NULL;
  guint i = position;
  int next;

  conditions_init (&c, self);
  if (before != NULL)
    {
      JarchiHistoryEntry *e = jarchi_history_item_get_entry (before);

      stmt = prepare (self, &c, SELECT_ROWS,
                      " AND calls.started_at <= ? AND (calls.started_at, calls.id) < (?, ?)" ORDER " LIMIT ?", &next);
      if (stmt == NULL)
        return;
      sqlite3_bind_int64 (stmt, next++, jarchi_history_entry_get_started_at (e));
      sqlite3_bind_int64 (stmt, next++, jarchi_history_entry_get_started_at (e));
      sqlite3_bind_int64 (stmt, next++, jarchi_history_entry_get_id (e));
      sqlite3_bind_int64 (stmt, next, JARCHI_HISTORY_MODEL_PAGE);
    }
  else
    {
      /* Counted from the newest row at the last sync, so that calls which started since (and
       * are not in the list yet) do not shift the offsets. */
      stmt = prepare (self, &c, SELECT_ROWS,
                      " AND calls.started_at <= ? AND (calls.started_at, calls.id) <= (?, ?)" ORDER " LIMIT ? OFFSET ?",
                      &next);
      if (stmt == NULL)
        return;
      sqlite3_bind_int64 (stmt, next++, self->top_started);
      sqlite3_bind_int64 (stmt, next++, self->top_started);
      sqlite3_bind_int64 (stmt, next++, self->top_id);
      sqlite3_bind_int64 (stmt, next++, JARCHI_HISTORY_MODEL_PAGE);
      sqlite3_bind_int64 (stmt, next, position);
    }
  while (i < self->slots->len && g_ptr_array_index (self->slots, i) == NULL &&
         sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_ptr_array_index (self->slots, i++) = item_from_row (self, stmt);
      self->n_loaded++;
    }
  g_debug ("read rows %u-%u of %u (%s)", position, i, self->slots->len, before ? "keyset" : "offset");
}

/* ---- GListModel ----------------------------------------------------------------------------- */

static GType
get_item_type (GListModel *model)
{
  return JARCHI_TYPE_HISTORY_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return JARCHI_HISTORY_MODEL (model)->slots->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  JarchiHistoryModel *self = JARCHI_HISTORY_MODEL (model);
  gpointer item;

  if (position >= self->slots->len)
    return NULL;
  if (g_ptr_array_index (self->slots, position) == NULL)
    {
      /* Start the page a little before the row when going up, so scrolling upwards through
       * unread rows does not cost one query per row. */
      guint start = position;

      while (start > 0 && position - start < JARCHI_HISTORY_MODEL_PAGE / 2 &&
             g_ptr_array_index (self->slots, start - 1) == NULL)
        start--;
      load (self, start);
    }
  item = g_ptr_array_index (self->slots, position);
  /* The row went away under us (deleted elsewhere); sync() will tell the view. */
  if (item == NULL)
    return NULL;
  return g_object_ref (item);
}

static void
jarchi_history_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* ---- updates -------------------------------------------------------------------------------- */

/* Slots hold NULL for rows not read yet, which g_object_unref() would complain about. */
static void
slot_free (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static void
set_length (GPtrArray *slots, guint n)
{
  g_ptr_array_set_size (slots, 0);
  g_ptr_array_set_size (slots, n);
}

static void
reload (JarchiHistoryModel *self)
{
  guint removed = self->slots->len;
  guint added = count_rows (self, FALSE, 0, 0);

  read_top (self);
  g_hash_table_remove_all (self->contact_names);
  /* Two steps: with one (0, removed, added) GtkSingleSelection looks for its selected item
   * among all the added ones, reading every row of a 100,000-row history. */
  set_length (self->slots, 0);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  set_length (self->slots, added);
  if (added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* The top rows of calls that were still going on when read: re-read those that changed. */
static void
refresh_live_rows (JarchiHistoryModel *self)
{
  for (guint i = 0; i < MIN (self->slots->len, LIVE_ROWS); i++)
    {
      JarchiHistoryItem *item = g_ptr_array_index (self->slots, i);
      JarchiHistoryEntry *old;
      g_autoptr(JarchiHistoryEntry) now = NULL;
      JarchiHistoryItem *replacement;

      if (item == NULL)
        continue;
      old = jarchi_history_item_get_entry (item);
      /* An ended call, or one a crash left open (marked interrupted), does not change. */
      if (jarchi_history_entry_get_ended_at (old) != 0 || *jarchi_history_entry_get_end_reason (old) != '\0')
        continue;
      now = jarchi_call_history_get (self->history, jarchi_history_entry_get_id (old), NULL);
      if (now == NULL ||
          (jarchi_history_entry_get_answered_at (now) == jarchi_history_entry_get_answered_at (old) &&
           jarchi_history_entry_get_ended_at (now) == 0))
        continue;
      replacement = jarchi_history_item_new (now, jarchi_history_item_get_contact_name (item),
                                             jarchi_history_item_get_account_name (item),
                                             jarchi_history_item_get_campaign_name (item));
      g_ptr_array_index (self->slots, i) = replacement;
      g_object_unref (item);
      g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 1);
    }
}

void
jarchi_history_model_sync (JarchiHistoryModel *self)
{
  guint old_total, total, added;

  g_return_if_fail (JARCHI_IS_HISTORY_MODEL (self));

  g_clear_handle_id (&self->sync_source, g_source_remove);
  old_total = self->slots->len;
  total = count_rows (self, FALSE, 0, 0);
  added = self->top_id == 0 ? total : count_rows (self, TRUE, self->top_started, self->top_id);
  if (total != old_total + added)
    {
      /* Rows were deleted, or an older row started to match (a call ended with the result
       * filtered for): the only change that needs a reload. */
      reload (self);
      return;
    }
  if (added > 0)
    {
      for (guint i = 0; i < added; i++)
        g_ptr_array_insert (self->slots, 0, NULL);
      read_top (self);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, added);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  refresh_live_rows (self);
}

static gboolean
sync_now (gpointer user_data)
{
  JarchiHistoryModel *self = user_data;

  self->sync_source = 0;
  jarchi_history_model_sync (self);
  return G_SOURCE_REMOVE;
}

/* A call changes its row several times, and a campaign ends many calls a second: one look per
 * SYNC_DELAY_MS is enough, and reads in between are anchored to the last look (see load()). */
static void
on_history_changed (JarchiCallHistory *history, gpointer user_data)
{
  JarchiHistoryModel *self = user_data;

  if (self->sync_source == 0)
    self->sync_source = g_timeout_add (SYNC_DELAY_MS, sync_now, self);
}

void
jarchi_history_model_set_filter (JarchiHistoryModel *self, const JarchiHistoryFilter *filter,
                                 JarchiHistoryResult result)
{
  g_return_if_fail (JARCHI_IS_HISTORY_MODEL (self));

  g_free (self->q);
  self->filter = filter ? *filter : (JarchiHistoryFilter) JARCHI_HISTORY_FILTER_INIT;
  self->q = g_strdup (self->filter.q);
  self->filter.q = self->q;
  self->result = result;
  reload (self);
}

guint
jarchi_history_model_get_n_loaded (JarchiHistoryModel *self)
{
  g_return_val_if_fail (JARCHI_IS_HISTORY_MODEL (self), 0);
  return self->n_loaded;
}

/* ---- CSV ------------------------------------------------------------------------------------ */

static const char * const csv_header[] = {
  "id", "started_at", "answered_at", "ended_at", "duration", "direction", "remote", "remote_name",
  "contact", "account", "account_name", "campaign", "end_reason", "sip_code", "recording",
};

static const char *
csv_time (gint64 t, char buf[32])
{
  time_t tt = (time_t) t;
  struct tm tm;

  buf[0] = '\0';
  if (t > 0 && gmtime_r (&tt, &tm) != NULL)
    g_snprintf (buf, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

static const char *
csv_int (gint64 v, char buf[32])
{
  buf[0] = '\0';
  if (v > 0)
    g_snprintf (buf, 32, "%" G_GINT64_FORMAT, v);
  return buf;
}

static void
append_csv_row (GString *out, JarchiHistoryItem *item)
{
  JarchiHistoryEntry *e = jarchi_history_item_get_entry (item);
  char id[32], started[32], answered[32], ended[32], duration[32], account[32], code[32];
  const char *text[G_N_ELEMENTS (csv_header)];

  g_snprintf (duration, sizeof duration, "%" G_GINT64_FORMAT, jarchi_history_entry_get_duration (e));
  text[0] = csv_int (jarchi_history_entry_get_id (e), id);
  text[1] = csv_time (jarchi_history_entry_get_started_at (e), started);
  text[2] = csv_time (jarchi_history_entry_get_answered_at (e), answered);
  text[3] = csv_time (jarchi_history_entry_get_ended_at (e), ended);
  text[4] = duration;
  text[5] = jarchi_history_entry_get_direction (e) == JARCHI_CALL_DIRECTION_INCOMING ? "incoming" : "outgoing";
  text[6] = jarchi_history_entry_get_remote (e);
  text[7] = jarchi_history_entry_get_remote_name (e);
  text[8] = jarchi_history_item_get_contact_name (item);
  text[9] = csv_int (jarchi_history_entry_get_account_id (e), account);
  text[10] = jarchi_history_item_get_account_name (item);
  text[11] = jarchi_history_item_get_campaign_name (item);
  text[12] = jarchi_history_entry_get_end_reason (e);
  text[13] = csv_int (jarchi_history_entry_get_sip_code (e), code);
  text[14] = jarchi_history_entry_get_recording_path (e) != NULL ? "yes" : "no";
  jarchi_csv_append_row (out, text, G_N_ELEMENTS (text));
}

GBytes *
jarchi_history_model_export_chunk (JarchiHistoryModel *self, JarchiHistoryCsvCursor *cursor,
                                   guint max_rows, GError **error)
{
  g_auto(Conditions) c = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *sql = NULL;
  guint n = 0;
  int next, rc;

  g_return_val_if_fail (JARCHI_IS_HISTORY_MODEL (self), NULL);
  g_return_val_if_fail (cursor != NULL && max_rows > 0, NULL);

  if (cursor->done)
    return g_bytes_new (NULL, 0);
  if (!cursor->begun)
    {
      g_string_append (out, "\xEF\xBB\xBF");
      jarchi_csv_append_row (out, csv_header, G_N_ELEMENTS (csv_header));
    }
  conditions_init (&c, self);
  /* Keyset paging: each piece is a short query, so no read transaction stays open between
   * pieces while the caller writes the file. */
  sql = g_strconcat (SELECT_ROWS, c.where->str,
                     cursor->begun ? " AND calls.started_at <= ? AND (calls.started_at, calls.id) < (?, ?)" : "",
                     ORDER " LIMIT ?", NULL);
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
      g_autoptr(JarchiHistoryItem) item = item_from_row (self, stmt);
      JarchiHistoryEntry *e = jarchi_history_item_get_entry (item);

      append_csv_row (out, item);
      cursor->started_at = jarchi_history_entry_get_started_at (e);
      cursor->id = jarchi_history_entry_get_id (e);
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE,
                   _("Database error while reading the call history: %s"),
                   sqlite3_errmsg (jarchi_store_get_db (self->store)));
      return NULL;
    }
  cursor->begun = TRUE;
  cursor->done = n < max_rows;
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

/* ---- GObject -------------------------------------------------------------------------------- */

static void
jarchi_history_model_dispose (GObject *object)
{
  JarchiHistoryModel *self = JARCHI_HISTORY_MODEL (object);

  g_clear_handle_id (&self->sync_source, g_source_remove);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->history);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (jarchi_history_model_parent_class)->dispose (object);
}

static void
jarchi_history_model_finalize (GObject *object)
{
  JarchiHistoryModel *self = JARCHI_HISTORY_MODEL (object);

  g_clear_pointer (&self->slots, g_ptr_array_unref);
  g_clear_pointer (&self->contact_names, g_hash_table_unref);
  g_free (self->q);
  G_OBJECT_CLASS (jarchi_history_model_parent_class)->finalize (object);
}

static void
jarchi_history_model_constructed (GObject *object)
{
  JarchiHistoryModel *self = JARCHI_HISTORY_MODEL (object);

  G_OBJECT_CLASS (jarchi_history_model_parent_class)->constructed (object);
  g_return_if_fail (JARCHI_IS_CALL_HISTORY (self->history));

  g_object_get (self->history, "store", &self->store, NULL);
  g_signal_connect (self->history, "history-changed", G_CALLBACK (on_history_changed), self);
  set_length (self->slots, count_rows (self, FALSE, 0, 0));
  read_top (self);
}

static void
jarchi_history_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiHistoryModel *self = JARCHI_HISTORY_MODEL (object);

  switch (prop_id)
    {
    case PROP_HISTORY: g_value_set_object (value, self->history); break;
    case PROP_N_ITEMS: g_value_set_uint (value, self->slots->len); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_history_model_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiHistoryModel *self = JARCHI_HISTORY_MODEL (object);

  switch (prop_id)
    {
    case PROP_HISTORY: self->history = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_history_model_class_init (JarchiHistoryModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_history_model_dispose;
  object_class->finalize = jarchi_history_model_finalize;
  object_class->constructed = jarchi_history_model_constructed;
  object_class->get_property = jarchi_history_model_get_property;
  object_class->set_property = jarchi_history_model_set_property;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, JARCHI_TYPE_CALL_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_history_model_init (JarchiHistoryModel *self)
{
  self->filter = (JarchiHistoryFilter) JARCHI_HISTORY_FILTER_INIT;
  self->slots = g_ptr_array_new_with_free_func (slot_free);
  self->contact_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

JarchiHistoryModel *
jarchi_history_model_new (JarchiCallHistory *history)
{
  g_return_val_if_fail (JARCHI_IS_CALL_HISTORY (history), NULL);
  return g_object_new (JARCHI_TYPE_HISTORY_MODEL, "history", history, NULL);
}
