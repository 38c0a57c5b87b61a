/* JarchiHistoryQuery: the filtered SQL and the paged CSV export that the call history's two readers (API and desktop list) share. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-history"
#include "jarchi-config.h"

#include <time.h>
#include <glib/gi18n-lib.h>

#include "jarchi-csv-import.h"
#include "jarchi-error.h"
#include "jarchi-history-entry.h"
#include "jarchi-history-query.h"

#define MAX_QUERY_WORDS 8

/* ---- WHERE clause -------------------------------------------------------------------------- */

static void
add_param (JarchiHistoryQuery *query, char *text, gint64 value)
{
  g_ptr_array_add (query->texts, text);
  g_array_append_val (query->values, value);
}

void
jarchi_history_query_init (JarchiHistoryQuery *query, const JarchiHistoryFilter *filter,
                           JarchiHistoryResult result)
{
  g_return_if_fail (query != NULL);

  query->where = g_string_new (" WHERE 1");
  query->texts = g_ptr_array_new_with_free_func (g_free);
  query->values = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (filter != NULL && filter->q != NULL)
    {
      g_auto(GStrv) words = g_strsplit_set (filter->q, " \t\r\n", -1);
      guint n = 0;

      for (guint i = 0; words[i] != NULL && n < MAX_QUERY_WORDS; i++)
        {
          if (words[i][0] == '\0')
            continue;
          n++;
          g_string_append (query->where,
                           " AND (calls.remote LIKE ? ESCAPE '\\' OR calls.remote_name LIKE ? ESCAPE '\\')");
          add_param (query, jarchi_store_like_pattern (words[i]), 0);
          add_param (query, jarchi_store_like_pattern (words[i]), 0);
        }
    }
  if (filter != NULL && !filter->any_direction)
    {
      g_string_append (query->where, " AND calls.direction = ?");
      add_param (query, g_strdup (filter->direction == JARCHI_CALL_DIRECTION_INCOMING ? "incoming" : "outgoing"), 0);
    }
  if (filter != NULL && filter->from > 0)
    {
      g_string_append (query->where, " AND calls.started_at >= ?");
      add_param (query, NULL, filter->from);
    }
  if (filter != NULL && filter->to > 0)
    {
      g_string_append (query->where, " AND calls.started_at <= ?");
      add_param (query, NULL, filter->to);
    }
  switch (result)
    {
    case JARCHI_HISTORY_RESULT_ANSWERED:
      g_string_append (query->where, " AND calls.answered_at IS NOT NULL");
      break;
    case JARCHI_HISTORY_RESULT_NOT_ANSWERED:
      g_string_append (query->where, " AND calls.answered_at IS NULL AND calls.result != ''");
      break;
    case JARCHI_HISTORY_RESULT_RECORDED:
      g_string_append (query->where, " AND calls.recording_path IS NOT NULL");
      break;
    case JARCHI_HISTORY_RESULT_ANY:
    default:
      break;
    }
}

void
jarchi_history_query_clear (JarchiHistoryQuery *query)
{
  if (query->where != NULL)
    g_string_free (query->where, TRUE);
  query->where = NULL;
  g_clear_pointer (&query->texts, g_ptr_array_unref);
  g_clear_pointer (&query->values, g_array_unref);
}

sqlite3_stmt *
jarchi_history_query_prepare (JarchiHistoryQuery *query, JarchiStore *store, const char *head,
                              const char *tail, int *next, GError **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (query != NULL && query->where != NULL, NULL);

  sql = g_strconcat (head, query->where->str, tail, NULL);
  stmt = jarchi_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  /* SQLITE_STATIC: the texts outlive the statement's steps, the caller keeps @query until then. */
  for (guint i = 0; i < query->texts->len; i++)
    {
      const char *text = g_ptr_array_index (query->texts, i);

      if (text != NULL)
        sqlite3_bind_text (stmt, (int) i + 1, text, -1, SQLITE_STATIC);
      else
        sqlite3_bind_int64 (stmt, (int) i + 1, g_array_index (query->values, gint64, i));
    }
  if (next != NULL)
    *next = (int) query->texts->len + 1;
  return stmt;
}

int
jarchi_history_query_bind_key (sqlite3_stmt *stmt, int next, gint64 started_at, gint64 id)
{
  sqlite3_bind_int64 (stmt, next++, started_at);
  sqlite3_bind_int64 (stmt, next++, started_at);
  sqlite3_bind_int64 (stmt, next++, id);
  return next;
}

gboolean
jarchi_history_query_db_error (JarchiStore *store, GError **error)
{
  g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE, _("Database error while reading the call history: %s"),
               sqlite3_errmsg (jarchi_store_get_db (store)));
  return FALSE;
}

/* ---- CSV ----------------------------------------------------------------------------------- */

enum {
  CSV_ID, CSV_STARTED, CSV_ANSWERED, CSV_ENDED, CSV_DURATION, CSV_DIRECTION, CSV_REMOTE,
  CSV_REMOTE_NAME, CSV_CONTACT, CSV_ACCOUNT, CSV_ACCOUNT_NAME, CSV_CAMPAIGN, CSV_END_REASON,
  CSV_SIP_CODE, CSV_RECORDING, N_CSV_COLUMNS
};

static const char * const csv_header[N_CSV_COLUMNS] = {
  "id", "started_at", "answered_at", "ended_at", "duration", "direction", "remote", "remote_name",
  "contact", "account", "account_name", "campaign", "end_reason", "sip_code", "recording",
};

/* The columns only the desktop's export has (the API's CSV is the others, in the same order). */
static gboolean
csv_named_only (guint column)
{
  return column == CSV_CONTACT || column == CSV_ACCOUNT_NAME || column == CSV_CAMPAIGN;
}

static void
append_fields (GString *out, const char * const fields[N_CSV_COLUMNS], gboolean named)
{
  const char *row[N_CSV_COLUMNS];
  guint n = 0;

  for (guint i = 0; i < N_CSV_COLUMNS; i++)
    if (named || !csv_named_only (i))
      row[n++] = fields[i];
  jarchi_csv_append_row (out, row, n);
}

/* ISO 8601 UTC into @buf, or "" for 0, NULL or before 1970. Cheaper than a GDateTime per cell. */
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

/* The number, or "" for 0 or NULL (sqlite3_column_int64() reads NULL as 0). */
static const char *
csv_int (gint64 v, char buf[32])
{
  buf[0] = '\0';
  if (v > 0)
    g_snprintf (buf, 32, "%" G_GINT64_FORMAT, v);
  return buf;
}

/* One row straight from the statement (no JarchiHistoryEntry per row), with the values
 * JarchiHistoryEntry would give: the JSON API and the desktop list show the same. */
static void
append_csv_row (GString *out, sqlite3_stmt *stmt, JarchiHistoryContactFunc contact_func, gpointer user_data)
{
  char id[32], started[32], answered[32], ended[32], duration[32], account[32], code[32];
  gint64 answered_at = sqlite3_column_int64 (stmt, 6), ended_at = sqlite3_column_int64 (stmt, 7);
  const char *text[N_CSV_COLUMNS] = { NULL };

  g_snprintf (duration, sizeof duration, "%" G_GINT64_FORMAT,
              answered_at > 0 && ended_at >= answered_at ? ended_at - answered_at : 0);
  text[CSV_ID] = csv_int (sqlite3_column_int64 (stmt, 0), id);
  text[CSV_STARTED] = csv_time (sqlite3_column_int64 (stmt, 5), started);
  text[CSV_ANSWERED] = csv_time (answered_at, answered);
  text[CSV_ENDED] = csv_time (ended_at, ended);
  text[CSV_DURATION] = duration;
  text[CSV_DIRECTION] = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "incoming") == 0
                          ? "incoming" : "outgoing";
  text[CSV_REMOTE] = (const char *) sqlite3_column_text (stmt, 2);
  text[CSV_REMOTE_NAME] = (const char *) sqlite3_column_text (stmt, 3);
  text[CSV_ACCOUNT] = csv_int (sqlite3_column_int64 (stmt, 4), account);
  text[CSV_END_REASON] = (const char *) sqlite3_column_text (stmt, 8);
  /* JarchiHistoryEntry's range for a SIP code. */
  text[CSV_SIP_CODE] = csv_int (MIN (sqlite3_column_int64 (stmt, 9), 699), code);
  text[CSV_RECORDING] = sqlite3_column_type (stmt, 10) != SQLITE_NULL ? "yes" : "no";
  if (contact_func != NULL)
    {
      text[CSV_CONTACT] = contact_func (stmt, user_data);
      text[CSV_ACCOUNT_NAME] = (const char *) sqlite3_column_text (stmt, 12);
      text[CSV_CAMPAIGN] = (const char *) sqlite3_column_text (stmt, 13);
    }
  append_fields (out, text, contact_func != NULL);
}

GBytes *
jarchi_history_query_csv_chunk (JarchiStore *store, const JarchiHistoryFilter *filter,
                                JarchiHistoryResult result, JarchiHistoryContactFunc contact_func,
                                gpointer user_data, JarchiHistoryCsvCursor *cursor, guint max_rows,
                                GError **error)
{
  g_auto(JarchiHistoryQuery) query = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = 0;
  int next, rc;

  g_return_val_if_fail (JARCHI_IS_STORE (store), NULL);
  g_return_val_if_fail (cursor != NULL, NULL);
  g_return_val_if_fail (max_rows > 0, NULL);

  if (cursor->done)
    return g_bytes_new (NULL, 0);
  if (!cursor->begun)
    {
      g_string_append (out, "\xEF\xBB\xBF");
      append_fields (out, csv_header, contact_func != NULL);
    }

  jarchi_history_query_init (&query, filter, result);
  /* Keyset paging on the calls_started index: each piece is one short query, so no statement
   * stays open (and no read transaction pins the WAL) while the client reads. */
  stmt = jarchi_history_query_prepare (&query, store,
                                       contact_func != NULL ? JARCHI_HISTORY_SELECT_NAMED
                                                            : "SELECT " JARCHI_HISTORY_ENTRY_COLUMNS " FROM calls",
                                       cursor->begun ? JARCHI_HISTORY_AFTER_KEY JARCHI_HISTORY_ORDER " LIMIT ?"
                                                     : JARCHI_HISTORY_ORDER " LIMIT ?",
                                       &next, error);
  if (stmt == NULL)
    return NULL;
  if (cursor->begun)
    next = jarchi_history_query_bind_key (stmt, next, cursor->started_at, cursor->id);
  sqlite3_bind_int64 (stmt, next, max_rows);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      append_csv_row (out, stmt, contact_func, user_data);
      cursor->started_at = sqlite3_column_int64 (stmt, 5);
      cursor->id = sqlite3_column_int64 (stmt, 0);
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      jarchi_history_query_db_error (store, error);
      return NULL;
    }
  cursor->begun = TRUE;
  cursor->done = n < max_rows;
  return g_string_free_to_bytes (g_steal_pointer (&out));
}
