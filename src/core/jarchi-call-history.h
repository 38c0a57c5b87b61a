/* JarchiCallHistory: writes every call of a JarchiCallManager to table calls as it happens, and reads the history back. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "jarchi-call-manager.h"
#include "jarchi-history-entry.h"
#include "jarchi-store.h"

G_BEGIN_DECLS

/* Which rows a query or an export returns. Zero-initialised it matches everything. */
typedef struct {
  const char *q;              /* each white-space separated word must occur in remote or remote_name
                                 (ASCII case-insensitive); NULL or "": any */
  gboolean    any_direction;  /* TRUE, or only rows of @direction */
  JarchiCallDirection direction;
  gint64      from;           /* started_at >= from (Unix seconds); 0: no lower bound */
  gint64      to;             /* started_at <= to; 0: no upper bound */
} JarchiHistoryFilter;

#define JARCHI_HISTORY_FILTER_INIT { NULL, TRUE, JARCHI_CALL_DIRECTION_OUTGOING, 0, 0 }

/* The result filter the API lacks; the desktop list has it as a drop-down. */
typedef enum {
  JARCHI_HISTORY_RESULT_ANY,
  JARCHI_HISTORY_RESULT_ANSWERED,       /* answered_at is set */
  JARCHI_HISTORY_RESULT_NOT_ANSWERED,   /* ended without an answer */
  JARCHI_HISTORY_RESULT_RECORDED,       /* has a recording */
} JarchiHistoryResult;

/* Where a CSV export goes on from; start with { 0 } and call export_csv_chunk() until done. */
typedef struct {
  gboolean begun;             /* the header row was written */
  gboolean done;
  gint64   started_at;        /* the last row written (rows come newest first) */
  gint64   id;
} JarchiHistoryCsvCursor;

#define JARCHI_TYPE_CALL_HISTORY (jarchi_call_history_get_type ())
G_DECLARE_FINAL_TYPE (JarchiCallHistory, jarchi_call_history, JARCHI, CALL_HISTORY, GObject)

/* Rows a previous run left open (no end: it crashed or was killed) are marked "interrupted";
 * campaign attempt rows are left to the campaign store. @manager may be NULL: only reading. */
JarchiCallHistory  *jarchi_call_history_new              (JarchiStore                *store,
                                                          JarchiCallManager          *manager);

/* The row of a call in progress (or just ended), 0 when it has none. */
gint64              jarchi_call_history_get_entry_id     (JarchiCallHistory          *self,
                                                          guint                       call_id);
/* Stops writing the call and deletes its row: for calls whose history another component
 * keeps (campaign attempts have their own row in table calls). */
void                jarchi_call_history_exclude_call     (JarchiCallHistory          *self,
                                                          guint                       call_id);

/* Newest first (started_at, then id). @limit 0: no limit. *@total: rows matching @filter. */
GPtrArray          *jarchi_call_history_query            (JarchiCallHistory          *self,
                                                          const JarchiHistoryFilter  *filter,
                                                          guint                       offset,
                                                          guint                       limit,
                                                          guint                      *total,
                                                          GError                    **error);
/* JARCHI_ERROR_NOT_FOUND when there is no such row. */
JarchiHistoryEntry *jarchi_call_history_get              (JarchiCallHistory          *self,
                                                          gint64                      id,
                                                          GError                    **error);
/* The next piece of the CSV export (UTF-8 with BOM, CRLF; the header in the first piece):
 * at most @max_rows rows. Sets @cursor->done with the last piece (which may be empty). */
GBytes             *jarchi_call_history_export_csv_chunk (JarchiCallHistory          *self,
                                                          const JarchiHistoryFilter  *filter,
                                                          JarchiHistoryCsvCursor     *cursor,
                                                          guint                       max_rows,
                                                          GError                    **error);

/* Properties: "store", "manager" (construct-only).
 * Signals:
 *   ::history-changed ()                          rows were added, changed or removed
 *   ::entry-ended (JarchiHistoryEntry *entry)     a call's row is final (the call ended) */

G_END_DECLS
