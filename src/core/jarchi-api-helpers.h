/* Request, reply and event helpers shared by the dashboard's API routes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "jarchi-web-server.h"

G_BEGIN_DECLS

gboolean    jarchi_api_is_method                (SoupServerMessage  *msg,
                                                 const char         *method);
void        jarchi_api_reply_method_not_allowed (SoupServerMessage  *msg,
                                                 const char         *allow);
/* 404 "not_found" with @message (NULL: "There is no such API route"). */
void        jarchi_api_reply_not_found          (SoupServerMessage  *msg,
                                                 const char         *message);
/* 200 {"items": [to_json (item)...], "total": @total}. */
void        jarchi_api_reply_list               (SoupServerMessage  *msg,
                                                 GPtrArray          *items,
                                                 guint               total,
                                                 JsonNode         *(*to_json) (gpointer item,
                                                                               gpointer user_data),
                                                 gpointer            user_data);

/* The request body as a JSON object; NULL with a 400 ("invalid_json") or 413 already sent.
 * An empty body is an empty object when @empty_ok. */
JsonObject *jarchi_api_read_object              (SoupServerMessage  *msg,
                                                 gsize               max_bytes,
                                                 gboolean            empty_ok,
                                                 JsonNode          **root_out);

/* Typed members: FALSE with a 400 "invalid_field" sent when present with the wrong type.
 * Absent members leave *@out alone and set *@present (may be NULL) to FALSE. A JSON null is
 * accepted by get_string only when @nullable (then *@out is NULL). */
gboolean    jarchi_api_get_string               (SoupServerMessage  *msg,
                                                 JsonObject         *obj,
                                                 const char         *member,
                                                 gboolean            nullable,
                                                 const char        **out,
                                                 gboolean           *present);
gboolean    jarchi_api_get_boolean              (SoupServerMessage  *msg,
                                                 JsonObject         *obj,
                                                 const char         *member,
                                                 gboolean           *out,
                                                 gboolean           *present);
/* A whole number from @min to @max. */
gboolean    jarchi_api_get_integer              (SoupServerMessage  *msg,
                                                 JsonObject         *obj,
                                                 const char         *member,
                                                 gint64              min,
                                                 gint64              max,
                                                 gint64             *out,
                                                 gboolean           *present);

/* Query parameter @name ("" counts as absent). */
const char *jarchi_api_param                    (GHashTable         *query,
                                                 const char         *name);
/* Query parameter @name as a whole number from @min to @max, *@out = @fallback when absent;
 * FALSE, with nothing sent, when present but not such a number (the caller words the error). */
gboolean    jarchi_api_param_range              (GHashTable         *query,
                                                 const char         *name,
                                                 guint64             min,
                                                 guint64             max,
                                                 guint64             fallback,
                                                 guint64            *out);
/* FALSE with a 400 "invalid_parameter" sent when present but not a number from 0 to @max. */
gboolean    jarchi_api_param_uint               (SoupServerMessage  *msg,
                                                 GHashTable         *query,
                                                 const char         *name,
                                                 guint               max,
                                                 guint               fallback,
                                                 guint              *out);
/* The id in "/{id}" or "/{id}/..." after @prefix in @path, and what follows it ("" or "/..."). */
gboolean    jarchi_api_path_id                  (const char         *path,
                                                 const char         *prefix,
                                                 guint64            *id,
                                                 const char        **rest);

/* Whether @server (may be NULL) has WebSocket clients: events are worth building only then. */
gboolean    jarchi_api_has_clients              (JarchiWebServer    *server);
/* Sends {"type": @type, @member: @node} to every WebSocket client of @server; takes @node. */
void        jarchi_api_broadcast_event          (JarchiWebServer    *server,
                                                 const char         *type,
                                                 const char         *member,
                                                 JsonNode           *node);

G_END_DECLS
