/* JarchiHistoryApi: /api/history, /api/history.csv and call recordings over the dashboard server, and the "history" WebSocket event. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-call-history.h"
#include "jarchi-web-server.h"

G_BEGIN_DECLS

#define JARCHI_HISTORY_API_DEFAULT_LIMIT 100
#define JARCHI_HISTORY_API_MAX_LIMIT     1000
/* Rows per piece of the streamed CSV export. */
#define JARCHI_HISTORY_API_CSV_ROWS      500

#define JARCHI_TYPE_HISTORY_API (jarchi_history_api_get_type ())
G_DECLARE_FINAL_TYPE (JarchiHistoryApi, jarchi_history_api, JARCHI, HISTORY_API, GObject)

/* Adds the routes to @server, which keeps the API alive as long as it lives; every call whose
 * history row is final is broadcast as {"type": "history", "entry": {...}}. Recordings are only
 * served from DATA_DIR/recordings. Returns the API, owned by @server. */
JarchiHistoryApi *jarchi_history_api_register (JarchiWebServer   *server,
                                               JarchiCallHistory *history,
                                               const char        *data_dir);

/* Parses a "from"/"to" value: Unix seconds, an ISO 8601 date and time (UTC unless it says
 * otherwise) or a date (midnight UTC). */
gboolean          jarchi_history_api_parse_time (const char      *text,
                                                 gint64          *unix_seconds);

G_END_DECLS
