/* JarchiHistoryQuery: the filtered SQL and the paged CSV export that the call history's two readers (API and desktop list) share. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "jarchi-call-history.h"
#include "jarchi-store.h"

G_BEGIN_DECLS

/* JARCHI_HISTORY_ENTRY_COLUMNS of table calls (qualified, as columns 0-11), then the account's
 * name (12), the campaign's name (13) and the campaign target's name (14). */
#define JARCHI_HISTORY_SELECT_NAMED \
  "SELECT calls.id, calls.direction, calls.remote, calls.remote_name, calls.account_id, " \
  "calls.started_at, calls.answered_at, calls.ended_at, calls.result, calls.sip_code, " \
  "calls.recording_path, calls.attempt_id, " \
  "COALESCE(NULLIF(a.display_name, ''), a.uri, ''), COALESCE(cp.name, ''), COALESCE(ct.name, '') " \
  "FROM calls LEFT JOIN accounts a ON a.id = calls.account_id " \
  "LEFT JOIN campaign_attempts ca ON ca.id = calls.attempt_id " \
  "LEFT JOIN campaign_targets ct ON ct.id = ca.target_id " \
  "LEFT JOIN campaigns cp ON cp.id = ct.campaign_id"

/* Newest first: the order of every list and export of the history. */
#define JARCHI_HISTORY_ORDER " ORDER BY calls.started_at DESC, calls.id DESC"
/* The rows after a (started_at, id) key in that order; bind with jarchi_history_query_bind_key().
 * The plain started_at bound lets SQLite use the calls_started index. */
#define JARCHI_HISTORY_AFTER_KEY " AND calls.started_at <= ? AND (calls.started_at, calls.id) < (?, ?)"

/* A WHERE clause for a filter, and the values bound to its parameters: not a GObject, it lives
 * for one statement. Start from { 0 }; g_auto() clears it. */
typedef struct {
  GString   *where;   /* " WHERE 1 AND …", fixed fragments only: no caller's text */
  GPtrArray *texts;   /* parameter i is bound as texts[i] when not NULL, else as values[i] */
  GArray    *values;  /* gint64 */
} JarchiHistoryQuery;

/* @filter NULL: every row. Columns are qualified with "calls." so that the clause also serves
 * JARCHI_HISTORY_SELECT_NAMED's joins. */
void          jarchi_history_query_init      (JarchiHistoryQuery         *query,
                                              const JarchiHistoryFilter  *filter,
                                              JarchiHistoryResult         result);
void          jarchi_history_query_clear     (JarchiHistoryQuery         *query);
/* Prepares @head, the WHERE clause and @tail, and binds the filter's values to parameters
 * 1..n; *@next (may be NULL) is the first parameter left for @tail. */
sqlite3_stmt *jarchi_history_query_prepare   (JarchiHistoryQuery         *query,
                                              JarchiStore                *store,
                                              const char                 *head,
                                              const char                 *tail,
                                              int                        *next,
                                              GError                    **error);
/* Binds a (started_at, id) key for JARCHI_HISTORY_AFTER_KEY from @next on; returns the next
 * free parameter. */
int           jarchi_history_query_bind_key  (sqlite3_stmt               *stmt,
                                              int                         next,
                                              gint64                      started_at,
                                              gint64                      id);
/* JARCHI_ERROR_DATABASE with the store's last SQLite error; returns FALSE. */
gboolean      jarchi_history_query_db_error  (JarchiStore                *store,
                                              GError                    **error);

/* The contact name of the row @stmt is on (a JARCHI_HISTORY_SELECT_NAMED row). */
typedef const char *(*JarchiHistoryContactFunc) (sqlite3_stmt *stmt,
                                                 gpointer      user_data);

/* The next piece of a CSV export (UTF-8 with BOM, CRLF, the header in the first piece) of at
 * most @max_rows rows, newest first. With @contact_func NULL the API's columns; with it, also
 * contact, account_name and campaign (the desktop's export). Sets @cursor->done with the last
 * piece. */
GBytes       *jarchi_history_query_csv_chunk (JarchiStore                *store,
                                              const JarchiHistoryFilter  *filter,
                                              JarchiHistoryResult         result,
                                              JarchiHistoryContactFunc    contact_func,
                                              gpointer                    user_data,
                                              JarchiHistoryCsvCursor     *cursor,
                                              guint                       max_rows,
                                              GError                    **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (JarchiHistoryQuery, jarchi_history_query_clear)

G_END_DECLS
