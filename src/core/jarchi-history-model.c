/* JarchiHistoryModel: the call history as a lazy GListModel of JarchiHistoryItem, read from SQLite a page at a time. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-history-model"
#include "jarchi-config.h"

#include "jarchi-history-model.h"
#include "jarchi-history-query.h"
#include "jarchi-phone.h"
#include "jarchi-sip-uri.h"
#include "jarchi-store.h"

/* Rows at the top whose call may still be going on and so may change under us. */
#define LIVE_ROWS 64
#define SYNC_DELAY_MS 150

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

static sqlite3_stmt *
prepare (JarchiHistoryModel *self, JarchiHistoryQuery *query, const char *head, const char *tail, int *next)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  jarchi_history_query_init (query, &self->filter, self->result);
  stmt = jarchi_history_query_prepare (query, self->store, head, tail, next, &error);
  if (stmt == NULL)
    g_warning ("Could not read the call history: %s", error->message);
  return stmt;
}

/* Rows matching the filter; with @newer, only those after (@started, @id) in time. */
static guint
count_rows (JarchiHistoryModel *self, gboolean newer, gint64 started, gint64 id)
{
  g_auto(JarchiHistoryQuery) query = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int next;

  stmt = prepare (self, &query, "SELECT count(*) FROM calls",
                  newer ? " AND calls.started_at >= ? AND (calls.started_at, calls.id) > (?, ?)" : "", &next);
  if (stmt == NULL)
    return 0;
  if (newer)
    jarchi_history_query_bind_key (stmt, next, started, id);
  return sqlite3_step (stmt) == SQLITE_ROW ? (guint) MIN (sqlite3_column_int64 (stmt, 0), G_MAXUINT) : 0;
}

static void
read_top (JarchiHistoryModel *self)
{
  g_auto(JarchiHistoryQuery) query = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;

  self->top_started = self->top_id = 0;
  stmt = prepare (self, &query, "SELECT calls.started_at, calls.id FROM calls", JARCHI_HISTORY_ORDER " LIMIT 1", NULL);
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

/* The contact name of a JARCHI_HISTORY_SELECT_NAMED row (a JarchiHistoryContactFunc). */
static const char *
row_contact (sqlite3_stmt *stmt, gpointer user_data)
{
  const char *remote = (const char *) sqlite3_column_text (stmt, 2);
  const char *contact = contact_name (user_data, remote ? remote : "");

  /* A campaign target has a name even when it is not (or no longer) in the contact book. */
  if (*contact == '\0')
    contact = (const char *) sqlite3_column_text (stmt, 14);
  return contact;
}

static JarchiHistoryItem *
item_from_row (JarchiHistoryModel *self, sqlite3_stmt *stmt)
{
  g_autoptr(JarchiHistoryEntry) entry = jarchi_history_entry_new_from_row (stmt);

  return jarchi_history_item_new (entry, row_contact (stmt, self), (const char *) sqlite3_column_text (stmt, 12),
                                  (const char *) sqlite3_column_text (stmt, 13));
}

/* Reads the rows from @position on into the empty slots, one page at most. After a read row
 * the next page continues from its key (keyset paging, cheap at any depth); elsewhere OFFSET. */
static void
load (JarchiHistoryModel *self, guint position)
{
  g_auto(JarchiHistoryQuery) query = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  JarchiHistoryItem *before = position > 0 ? g_ptr_array_index (self->slots, position - 1) : NULL;
  guint i = position;
  int next;

  if (before != NULL)
    {
      JarchiHistoryEntry *e = jarchi_history_item_get_entry (before);

      stmt = prepare (self, &query, JARCHI_HISTORY_SELECT_NAMED,
                      JARCHI_HISTORY_AFTER_KEY JARCHI_HISTORY_ORDER " LIMIT ?", &next);
      if (stmt == NULL)
        return;
      next = jarchi_history_query_bind_key (stmt, next, jarchi_history_entry_get_started_at (e),
                                            jarchi_history_entry_get_id (e));
      sqlite3_bind_int64 (stmt, next, JARCHI_HISTORY_MODEL_PAGE);
    }
  else
    {
      /* Counted from the newest row at the last sync, so that calls which started since (and
       * are not in the list yet) do not shift the offsets. */
      stmt = prepare (self, &query, JARCHI_HISTORY_SELECT_NAMED,
                      " AND calls.started_at <= ? AND (calls.started_at, calls.id) <= (?, ?)"
                      JARCHI_HISTORY_ORDER " LIMIT ? OFFSET ?", &next);
      if (stmt == NULL)
        return;
      next = jarchi_history_query_bind_key (stmt, next, self->top_started, self->top_id);
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

GBytes *
jarchi_history_model_export_chunk (JarchiHistoryModel *self, JarchiHistoryCsvCursor *cursor,
                                   guint max_rows, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_HISTORY_MODEL (self), NULL);

  return jarchi_history_query_csv_chunk (self->store, &self->filter, self->result, row_contact, self,
                                         cursor, max_rows, error);
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
