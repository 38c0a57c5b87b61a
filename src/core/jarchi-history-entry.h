/* JarchiHistoryEntry: one row of table calls (a call as history keeps it), read-only, for lists and the API. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "jarchi-call.h"

G_BEGIN_DECLS

/* The columns jarchi_history_entry_new_from_row() reads, in order. */
#define JARCHI_HISTORY_ENTRY_COLUMNS \
  "id, direction, remote, remote_name, account_id, started_at, answered_at, ended_at, result, " \
  "sip_code, recording_path, attempt_id"

#define JARCHI_TYPE_HISTORY_ENTRY (jarchi_history_entry_get_type ())
G_DECLARE_FINAL_TYPE (JarchiHistoryEntry, jarchi_history_entry, JARCHI, HISTORY_ENTRY, GObject)

JarchiHistoryEntry  *jarchi_history_entry_new_from_row      (sqlite3_stmt       *stmt);
gint64               jarchi_history_entry_get_id            (JarchiHistoryEntry *self);
/* 0: no account (a direct call, or the account was deleted). */
gint64               jarchi_history_entry_get_account_id    (JarchiHistoryEntry *self);
JarchiCallDirection  jarchi_history_entry_get_direction     (JarchiHistoryEntry *self);
const char          *jarchi_history_entry_get_remote        (JarchiHistoryEntry *self);
const char          *jarchi_history_entry_get_remote_name   (JarchiHistoryEntry *self);
/* Unix times in seconds; 0 when it did not happen (yet). */
gint64               jarchi_history_entry_get_started_at    (JarchiHistoryEntry *self);
gint64               jarchi_history_entry_get_answered_at   (JarchiHistoryEntry *self);
gint64               jarchi_history_entry_get_ended_at      (JarchiHistoryEntry *self);
/* Seconds from answer to end; 0 when never answered or not ended. */
gint64               jarchi_history_entry_get_duration      (JarchiHistoryEntry *self);
/* How it ended ("hung up", "busy", ... or a campaign result); "" while it lasts. */
const char          *jarchi_history_entry_get_end_reason    (JarchiHistoryEntry *self);
guint                jarchi_history_entry_get_sip_code      (JarchiHistoryEntry *self);
/* NULL when the call was not recorded. */
const char          *jarchi_history_entry_get_recording_path (JarchiHistoryEntry *self);
/* The campaign attempt the call belongs to; 0 for a softphone call. */
gint64               jarchi_history_entry_get_attempt_id    (JarchiHistoryEntry *self);

/* The API's shape (docs/api.md, "History"); never contains the recording's path. */
JsonNode            *jarchi_history_entry_to_json           (JarchiHistoryEntry *self);

/* "2024-05-01T10:00:00Z" for Unix seconds > 0, else NULL. */
char                *jarchi_history_format_time             (gint64              unix_seconds);

G_END_DECLS
