/* JarchiCallsApi: /api/calls over the dashboard server — dial, answer, hang up, hold, DTMF, transfer, record — and the "call" and "dtmf" WebSocket events. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-call-history.h"
#include "jarchi-call-manager.h"
#include "jarchi-media-library.h"
#include "jarchi-web-server.h"

G_BEGIN_DECLS

#define JARCHI_CALLS_API_JSON_MAX_BYTES (64 * 1024)
#define JARCHI_CALLS_API_MAX_DIGITS     64

#define JARCHI_TYPE_CALLS_API (jarchi_calls_api_get_type ())
G_DECLARE_FINAL_TYPE (JarchiCallsApi, jarchi_calls_api, JARCHI, CALLS_API, GObject)

/* Adds the routes to @server, which keeps the API alive as long as it lives. Every state change
 * of a call is broadcast as {"type": "call", "call": {...}}, every digit received as
 * {"type": "dtmf", "call": id, "digit": "5", "method": "rfc4733"|"info"|"inband"}.
 * A call's "play" is a @library media id (may be NULL: ids are refused) or a file below
 * @data_dir; "record" writes DATA_DIR/recordings/call-*.ogg, and POST /api/calls/{id}/record
 * starts or stops it mid-call. An ended call stays readable for 10 minutes (the last 100).
 * Returns the API, owned by @server. */
JarchiCallsApi *jarchi_calls_api_register  (JarchiWebServer    *server,
                                            JarchiCallManager  *manager,
                                            JarchiCallHistory  *history,
                                            JarchiMediaLibrary *library,
                                            const char         *data_dir);
/* The API's call object (docs/api.md, "Calls"). */
JsonNode       *jarchi_calls_api_call_json (JarchiCallsApi     *self,
                                            JarchiCall         *call);

G_END_DECLS
