/* JarchiHistoryEntry: one row of table calls (a call as history keeps it), read-only, for lists and the API. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-history-entry.h"

struct _JarchiHistoryEntry
{
  GObject              parent_instance;
  gint64               id;
  gint64               account_id;
  JarchiCallDirection  direction;
  char                *remote;
  char                *remote_name;
  gint64               started_at;
  gint64               answered_at;
  gint64               ended_at;
  char                *end_reason;
  guint                sip_code;
  char                *recording_path;
  gint64               attempt_id;
};

G_DEFINE_FINAL_TYPE (JarchiHistoryEntry, jarchi_history_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ACCOUNT_ID,
  PROP_DIRECTION,
  PROP_REMOTE,
  PROP_REMOTE_NAME,
  PROP_STARTED_AT,
  PROP_ANSWERED_AT,
  PROP_ENDED_AT,
  PROP_DURATION,
  PROP_END_REASON,
  PROP_SIP_CODE,
  PROP_RECORDING_PATH,
  PROP_ATTEMPT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
jarchi_history_entry_finalize (GObject *object)
{
  JarchiHistoryEntry *self = JARCHI_HISTORY_ENTRY (object);

  g_free (self->remote);
  g_free (self->remote_name);
  g_free (self->end_reason);
  g_free (self->recording_path);

  G_OBJECT_CLASS (jarchi_history_entry_parent_class)->finalize (object);
}

static void
jarchi_history_entry_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiHistoryEntry *self = JARCHI_HISTORY_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_ACCOUNT_ID: g_value_set_int64 (value, self->account_id); break;
    case PROP_DIRECTION: g_value_set_enum (value, self->direction); break;
    case PROP_REMOTE: g_value_set_string (value, self->remote); break;
    case PROP_REMOTE_NAME: g_value_set_string (value, self->remote_name); break;
    case PROP_STARTED_AT: g_value_set_int64 (value, self->started_at); break;
    case PROP_ANSWERED_AT: g_value_set_int64 (value, self->answered_at); break;
    case PROP_ENDED_AT: g_value_set_int64 (value, self->ended_at); break;
    case PROP_DURATION: g_value_set_int64 (value, jarchi_history_entry_get_duration (self)); break;
    case PROP_END_REASON: g_value_set_string (value, self->end_reason); break;
    case PROP_SIP_CODE: g_value_set_uint (value, self->sip_code); break;
    case PROP_RECORDING_PATH: g_value_set_string (value, self->recording_path); break;
    case PROP_ATTEMPT_ID: g_value_set_int64 (value, self->attempt_id); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_string (char **field, const GValue *value)
{
  g_free (*field);
  *field = g_value_dup_string (value);
}

static void
jarchi_history_entry_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiHistoryEntry *self = JARCHI_HISTORY_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID: self->id = g_value_get_int64 (value); break;
    case PROP_ACCOUNT_ID: self->account_id = g_value_get_int64 (value); break;
    case PROP_DIRECTION: self->direction = g_value_get_enum (value); break;
    case PROP_REMOTE: set_string (&self->remote, value); break;
    case PROP_REMOTE_NAME: set_string (&self->remote_name, value); break;
    case PROP_STARTED_AT: self->started_at = g_value_get_int64 (value); break;
    case PROP_ANSWERED_AT: self->answered_at = g_value_get_int64 (value); break;
    case PROP_ENDED_AT: self->ended_at = g_value_get_int64 (value); break;
    case PROP_END_REASON: set_string (&self->end_reason, value); break;
    case PROP_SIP_CODE: self->sip_code = g_value_get_uint (value); break;
    case PROP_RECORDING_PATH: set_string (&self->recording_path, value); break;
    case PROP_ATTEMPT_ID: self->attempt_id = g_value_get_int64 (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_history_entry_class_init (JarchiHistoryEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = jarchi_history_entry_finalize;
  object_class->get_property = jarchi_history_entry_get_property;
  object_class->set_property = jarchi_history_entry_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, co);
  properties[PROP_ACCOUNT_ID] = g_param_spec_int64 ("account-id", NULL, NULL, 0, G_MAXINT64, 0, co);
  properties[PROP_DIRECTION] = g_param_spec_enum ("direction", NULL, NULL, JARCHI_TYPE_CALL_DIRECTION,
                                                  JARCHI_CALL_DIRECTION_OUTGOING, co);
  properties[PROP_REMOTE] = g_param_spec_string ("remote", NULL, NULL, "", co);
  properties[PROP_REMOTE_NAME] = g_param_spec_string ("remote-name", NULL, NULL, "", co);
  properties[PROP_STARTED_AT] = g_param_spec_int64 ("started-at", NULL, NULL, 0, G_MAXINT64, 0, co);
  properties[PROP_ANSWERED_AT] = g_param_spec_int64 ("answered-at", NULL, NULL, 0, G_MAXINT64, 0, co);
  properties[PROP_ENDED_AT] = g_param_spec_int64 ("ended-at", NULL, NULL, 0, G_MAXINT64, 0, co);
  properties[PROP_DURATION] = g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_END_REASON] = g_param_spec_string ("end-reason", NULL, NULL, "", co);
  properties[PROP_SIP_CODE] = g_param_spec_uint ("sip-code", NULL, NULL, 0, 699, 0, co);
  properties[PROP_RECORDING_PATH] = g_param_spec_string ("recording-path", NULL, NULL, NULL, co);
  properties[PROP_ATTEMPT_ID] = g_param_spec_int64 ("attempt-id", NULL, NULL, 0, G_MAXINT64, 0, co);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_history_entry_init (JarchiHistoryEntry *self)
{
}

static const char *
column_text (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? text : "";
}

/**
 * jarchi_history_entry_new_from_row:
 * @stmt: a statement positioned on a row selecting %JARCHI_HISTORY_ENTRY_COLUMNS first
 */
JarchiHistoryEntry *
jarchi_history_entry_new_from_row (sqlite3_stmt *stmt)
{
  gint64 code = sqlite3_column_int64 (stmt, 9);

  g_return_val_if_fail (stmt != NULL, NULL);

  return g_object_new (JARCHI_TYPE_HISTORY_ENTRY,
                       "id", sqlite3_column_int64 (stmt, 0),
                       "direction", g_str_equal (column_text (stmt, 1), "incoming")
                                      ? JARCHI_CALL_DIRECTION_INCOMING : JARCHI_CALL_DIRECTION_OUTGOING,
                       "remote", column_text (stmt, 2),
                       "remote-name", column_text (stmt, 3),
                       "account-id", MAX (sqlite3_column_int64 (stmt, 4), 0),
                       "started-at", MAX (sqlite3_column_int64 (stmt, 5), 0),
                       "answered-at", MAX (sqlite3_column_int64 (stmt, 6), 0),
                       "ended-at", MAX (sqlite3_column_int64 (stmt, 7), 0),
                       "end-reason", column_text (stmt, 8),
                       "sip-code", (guint) CLAMP (code, 0, 699),
                       "recording-path", (const char *) sqlite3_column_text (stmt, 10),
                       "attempt-id", MAX (sqlite3_column_int64 (stmt, 11), 0),
                       NULL);
}

#define GETTER(type, name, field) \
  type jarchi_history_entry_get_##name (JarchiHistoryEntry *self) \
  { \
    g_return_val_if_fail (JARCHI_IS_HISTORY_ENTRY (self), (type) 0); \
    return self->field; \
  }

GETTER (gint64, id, id)
GETTER (gint64, account_id, account_id)
GETTER (JarchiCallDirection, direction, direction)
GETTER (const char *, remote, remote)
GETTER (const char *, remote_name, remote_name)
GETTER (gint64, started_at, started_at)
GETTER (gint64, answered_at, answered_at)
GETTER (gint64, ended_at, ended_at)
GETTER (const char *, end_reason, end_reason)
GETTER (guint, sip_code, sip_code)
GETTER (const char *, recording_path, recording_path)
GETTER (gint64, attempt_id, attempt_id)

#undef GETTER

gint64
jarchi_history_entry_get_duration (JarchiHistoryEntry *self)
{
  g_return_val_if_fail (JARCHI_IS_HISTORY_ENTRY (self), 0);
  if (self->answered_at == 0 || self->ended_at < self->answered_at)
    return 0;
  return self->ended_at - self->answered_at;
}

char *
jarchi_history_format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_seconds <= 0)
    return NULL;
  dt = g_date_time_new_from_unix_utc (unix_seconds);
  return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

static void
add_time (JsonBuilder *b, const char *member, gint64 unix_seconds)
{
  g_autofree char *text = jarchi_history_format_time (unix_seconds);

  json_builder_set_member_name (b, member);
  if (text)
    json_builder_add_string_value (b, text);
  else
    json_builder_add_null_value (b);
}

static void
add_id_or_null (JsonBuilder *b, const char *member, gint64 id)
{
  json_builder_set_member_name (b, member);
  if (id > 0)
    json_builder_add_int_value (b, id);
  else
    json_builder_add_null_value (b);
}

JsonNode *
jarchi_history_entry_to_json (JarchiHistoryEntry *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (JARCHI_IS_HISTORY_ENTRY (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, self->id);
  add_id_or_null (b, "account", self->account_id);
  json_builder_set_member_name (b, "direction");
  json_builder_add_string_value (b, self->direction == JARCHI_CALL_DIRECTION_INCOMING ? "incoming" : "outgoing");
  json_builder_set_member_name (b, "remote");
  json_builder_add_string_value (b, self->remote);
  json_builder_set_member_name (b, "remote_name");
  json_builder_add_string_value (b, self->remote_name);
  add_time (b, "started_at", self->started_at);
  add_time (b, "answered_at", self->answered_at);
  add_time (b, "ended_at", self->ended_at);
  json_builder_set_member_name (b, "duration");
  json_builder_add_int_value (b, jarchi_history_entry_get_duration (self));
  json_builder_set_member_name (b, "end_reason");
  if (self->end_reason[0] != '\0')
    json_builder_add_string_value (b, self->end_reason);
  else
    json_builder_add_null_value (b);
  add_id_or_null (b, "sip_code", self->sip_code);
  json_builder_set_member_name (b, "recording");
  json_builder_add_boolean_value (b, self->recording_path != NULL);
  json_builder_set_member_name (b, "recording_url");
  if (self->recording_path != NULL)
    {
      g_autofree char *url = g_strdup_printf ("/api/history/%" G_GINT64_FORMAT "/recording", self->id);
      json_builder_add_string_value (b, url);
    }
  else
    json_builder_add_null_value (b);
  add_id_or_null (b, "attempt", self->attempt_id);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
