/* JarchiHistoryModel: the call history as a lazy GListModel of JarchiHistoryItem, read from SQLite a page at a time. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "jarchi-call-history.h"
#include "jarchi-history-item.h"

G_BEGIN_DECLS

/* JarchiHistoryResult (the desktop's result filter) is in jarchi-call-history.h. */

/* Rows per database read. */
#define JARCHI_HISTORY_MODEL_PAGE 200

#define JARCHI_TYPE_HISTORY_MODEL (jarchi_history_model_get_type ())
G_DECLARE_FINAL_TYPE (JarchiHistoryModel, jarchi_history_model, JARCHI, HISTORY_MODEL, GObject)

/* Newest first, as jarchi_call_history_query() orders them. Only the row count is read here;
 * rows are read when get_item() asks for them. A call that starts or ends is inserted or
 * updated in place (items-changed at its position) instead of reloading the list. */
JarchiHistoryModel *jarchi_history_model_new          (JarchiCallHistory         *history);
/* Replaces the filter (copied; @filter NULL: everything) and reloads. */
void                jarchi_history_model_set_filter   (JarchiHistoryModel        *self,
                                                       const JarchiHistoryFilter *filter,
                                                       JarchiHistoryResult        result);
/* Re-reads the row count and the calls that started since the last look; done by itself
 * 150 ms after the history's ::history-changed (changes in between are taken together). */
void                jarchi_history_model_sync         (JarchiHistoryModel        *self);
/* How many rows were read from the database so far (for tests: laziness is a contract). */
guint               jarchi_history_model_get_n_loaded (JarchiHistoryModel        *self);
/* The next piece of a CSV of the rows the filter shows (UTF-8 with BOM, CRLF, header first;
 * the API's columns plus contact, account_name and campaign): at most @max_rows rows. Sets
 * @cursor->done with the last piece. */
GBytes             *jarchi_history_model_export_chunk (JarchiHistoryModel        *self,
                                                       JarchiHistoryCsvCursor    *cursor,
                                                       guint                      max_rows,
                                                       GError                   **error);

/* Properties: "history" (construct-only), "n-items" (read-only, notified when it changes). */

G_END_DECLS
