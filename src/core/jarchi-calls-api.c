/* JarchiCallsApi: /api/calls over the dashboard server — dial, answer, hang up, hold, DTMF, transfer, record — and the "call" and "dtmf" WebSocket events. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-calls-api"
#include "jarchi-config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "jarchi-api-helpers.h"
#include "jarchi-calls-api-private.h"
#include "jarchi-error.h"

#define ROUTE "/api/calls"
/* Ended calls stay readable (GET /api/calls/{id}) this long, at most this many. */
#define ENDED_KEEP_USEC (10 * 60 * G_USEC_PER_SEC)
#define ENDED_KEEP_MAX 100

/* A call in the manager's model: watched for events, and what the API asked it to do once
 * it is answered and its media runs. */
typedef struct {
  JarchiCallsApi     *self;
  JarchiCall         *call;
  JarchiMediaSession *media;
  char               *play_path;
  gboolean            record;
  guint               history_id;  /* history forgets the call when it ends; we keep it */
} Watched;

typedef struct {
  JarchiCall *call;
  guint       history_id;
} Ended;

struct _JarchiCallsApi
{
  GObject             parent_instance;
  JarchiCallManager  *manager;
  JarchiCallHistory  *history;
  JarchiMediaLibrary *library;
  char               *data_dir;
  JarchiWebServer    *server;    /* weak: the server owns us */
  GHashTable         *watched;   /* call id → Watched */
  GHashTable         *ended;     /* call id → Ended, the calls of ended_order */
  GQueue              ended_order; /* call ids, oldest first */
};

G_DEFINE_FINAL_TYPE (JarchiCallsApi, jarchi_calls_api, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MANAGER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- the call object ------------------------------------------------------------------------- */

static void
add_time (JsonBuilder *b, const char *member, gint64 usec)
{
  g_autofree char *text = jarchi_history_format_time (usec / G_USEC_PER_SEC);

  json_builder_set_member_name (b, member);
  if (text != NULL)
    json_builder_add_string_value (b, text);
  else
    json_builder_add_null_value (b);
}

static void
add_uint_or_null (JsonBuilder *b, const char *member, gint64 value)
{
  json_builder_set_member_name (b, member);
  if (value > 0)
    json_builder_add_int_value (b, value);
  else
    json_builder_add_null_value (b);
}

static guint
history_id (JarchiCallsApi *self, guint call_id)
{
  guint id = self->history ? jarchi_call_history_get_entry_id (self->history, call_id) : 0;
  Ended *e;

  if (id == 0 && (e = g_hash_table_lookup (self->ended, GUINT_TO_POINTER (call_id))) != NULL)
    id = e->history_id;
  return id;
}

JsonNode *
jarchi_calls_api_call_json (JarchiCallsApi *self, JarchiCall *call)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *name = jarchi_call_get_remote_name (call);
  const char *reason = jarchi_call_get_end_reason (call);
  gboolean recording;

  g_return_val_if_fail (JARCHI_IS_CALLS_API (self), NULL);
  g_return_val_if_fail (JARCHI_IS_CALL (call), NULL);

  /* In progress: recorded right now; ended: has a recording. */
  recording = jarchi_call_is_ended (call) ? jarchi_call_get_recording_path (call) != NULL
                                          : jarchi_call_manager_get_recording (self->manager, jarchi_call_get_id (call));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, jarchi_call_get_id (call));
  add_uint_or_null (b, "account", jarchi_call_get_account_id (call));
  json_builder_set_member_name (b, "direction");
  json_builder_add_string_value (b, jarchi_call_get_direction (call) == JARCHI_CALL_DIRECTION_INCOMING
                                      ? "incoming" : "outgoing");
  json_builder_set_member_name (b, "remote");
  json_builder_add_string_value (b, jarchi_call_get_remote_uri (call));
  json_builder_set_member_name (b, "remote_name");
  json_builder_add_string_value (b, name ? name : "");
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, jarchi_call_state_to_string (jarchi_call_get_state (call)));
  add_time (b, "started_at", jarchi_call_get_started_at (call));
  add_time (b, "answered_at", jarchi_call_get_answered_at (call));
  add_time (b, "ended_at", jarchi_call_get_ended_at (call));
  json_builder_set_member_name (b, "end_reason");
  if (reason != NULL)
    json_builder_add_string_value (b, reason);
  else
    json_builder_add_null_value (b);
  add_uint_or_null (b, "sip_code", jarchi_call_get_sip_code (call));
  json_builder_set_member_name (b, "recording");
  json_builder_add_boolean_value (b, recording);
  add_uint_or_null (b, "history_id", history_id (self, jarchi_call_get_id (call)));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
call_json (gpointer item, gpointer user_data)
{
  return jarchi_calls_api_call_json (user_data, item);
}

static void
reply_call (JarchiCallsApi *self, SoupServerMessage *msg, guint status, JarchiCall *call)
{
  g_autoptr(JsonNode) node = jarchi_calls_api_call_json (self, call);

  jarchi_web_reply_json (msg, status, node);
}

/* ---- events ---------------------------------------------------------------------------------- */

static void
broadcast_call (JarchiCallsApi *self, JarchiCall *call)
{
  if (jarchi_api_has_clients (self->server))
    jarchi_api_broadcast_event (self->server, "call", "call", jarchi_calls_api_call_json (self, call));
}

static void on_media_state (JarchiMediaSession *media, GParamSpec *pspec, gpointer user_data);

/* Plays and records once the call is answered and its media runs, whichever comes first. */
static void
run_requests (Watched *w)
{
  JarchiCallsApi *self = w->self;
  guint call_id = jarchi_call_get_id (w->call);
  g_autoptr(GError) error = NULL;

  if (w->play_path == NULL && !w->record)
    return;
  if (jarchi_call_get_answered_at (w->call) == 0 || jarchi_call_is_ended (w->call))
    return;
  if (w->media == NULL)
    {
      JarchiMediaSession *media = jarchi_call_manager_get_media_session (self->manager, call_id);

      if (media == NULL)
        return;
      w->media = g_object_ref (media);
      g_signal_connect (media, "notify::state", G_CALLBACK (on_media_state), w);
    }
  if (jarchi_media_session_get_state (w->media) != JARCHI_MEDIA_STATE_RUNNING)
    return;

  if (w->play_path != NULL)
    {
      g_autofree char *path = g_steal_pointer (&w->play_path);

      if (!jarchi_media_session_play_file (w->media, path, FALSE, &error))
        g_message ("call %u: cannot play the requested file: %s", call_id, error->message);
      g_clear_error (&error);
    }
  if (!w->record)
    return;
  w->record = FALSE;
  /* The account may record every call already: then this changes nothing. */
  if (!jarchi_call_manager_set_recording (self->manager, call_id, TRUE, &error))
    g_message ("call %u: cannot record: %s", call_id, error->message);
}

static void
on_media_state (JarchiMediaSession *media, GParamSpec *pspec, gpointer user_data)
{
  run_requests (user_data);
}

static void
on_call_state (JarchiCall *call, GParamSpec *pspec, gpointer user_data)
{
  Watched *w = user_data;
  guint id = w->self->history ? jarchi_call_history_get_entry_id (w->self->history, jarchi_call_get_id (call)) : 0;

  if (id != 0)
    w->history_id = id;
  broadcast_call (w->self, call);
  run_requests (w);
}

static void
watched_free (gpointer data)
{
  Watched *w = data;

  g_signal_handlers_disconnect_by_data (w->call, w);
  if (w->media != NULL)
    g_signal_handlers_disconnect_by_data (w->media, w);
  g_clear_object (&w->media);
  g_object_unref (w->call);
  g_free (w->play_path);
  g_free (w);
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, gpointer user_data)
{
  JarchiCallsApi *self = user_data;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(JarchiCall) call = g_list_model_get_item (model, i);
      guint id;
      Watched *w;

      if (call == NULL)
        continue;
      id = jarchi_call_get_id (call);
      if (g_hash_table_contains (self->watched, GUINT_TO_POINTER (id)))
        continue;
      w = g_new0 (Watched, 1);
      w->self = self;
      w->call = g_object_ref (call);
      g_hash_table_insert (self->watched, GUINT_TO_POINTER (id), w);
      g_signal_connect (call, "notify::state", G_CALLBACK (on_call_state), w);
      broadcast_call (self, call);
    }
}

static void
ended_free (gpointer data)
{
  Ended *e = data;

  g_object_unref (e->call);
  g_free (e);
}

/* Drops the ended calls kept too long, or beyond the count. */
static void
prune_ended (JarchiCallsApi *self)
{
  gint64 now = g_get_real_time ();

  while (!g_queue_is_empty (&self->ended_order))
    {
      gpointer key = g_queue_peek_head (&self->ended_order);
      Ended *e = g_hash_table_lookup (self->ended, key);

      if (e != NULL && g_queue_get_length (&self->ended_order) <= ENDED_KEEP_MAX &&
          now - jarchi_call_get_ended_at (e->call) < ENDED_KEEP_USEC)
        break;
      g_queue_pop_head (&self->ended_order);
      g_hash_table_remove (self->ended, key);
    }
}

/* Its ENDED state was broadcast already (the call ends before ::call-ended); a client that
 * asks after it left the model still gets its final state. */
static void
on_call_ended (JarchiCallManager *manager, JarchiCall *call, gpointer user_data)
{
  JarchiCallsApi *self = user_data;
  gpointer key = GUINT_TO_POINTER (jarchi_call_get_id (call));
  Watched *w = g_hash_table_lookup (self->watched, key);
  Ended *e = g_new0 (Ended, 1);

  e->call = g_object_ref (call);
  e->history_id = w ? w->history_id : 0;
  if (e->history_id == 0)
    e->history_id = history_id (self, jarchi_call_get_id (call));
  if (!g_hash_table_contains (self->ended, key))
    g_queue_push_tail (&self->ended_order, key);
  g_hash_table_replace (self->ended, key, e);
  prune_ended (self);
  g_hash_table_remove (self->watched, key);
}

static void
on_recording_changed (JarchiCallManager *manager, guint call_id, gboolean recording, gpointer user_data)
{
  JarchiCallsApi *self = user_data;
  JarchiCall *call = jarchi_call_manager_lookup_call (manager, call_id);

  if (call != NULL)
    broadcast_call (self, call);
}

static void
on_dtmf (JarchiCallManager *manager, guint call_id, gchar digit, JarchiDtmfMethod method, gpointer user_data)
{
  JarchiCallsApi *self = user_data;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) event = NULL;
  char text[2] = { digit, '\0' };
  const char *name = method == JARCHI_DTMF_METHOD_INFO     ? "info"
                     : method == JARCHI_DTMF_METHOD_INBAND ? "inband"
                                                           : "rfc4733";

  if (!jarchi_api_has_clients (self->server))
    return;
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "dtmf");
  json_builder_set_member_name (b, "call");
  json_builder_add_int_value (b, call_id);
  json_builder_set_member_name (b, "digit");
  json_builder_add_string_value (b, text);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, name);
  json_builder_end_object (b);
  event = json_builder_get_root (b);
  jarchi_web_server_broadcast (self->server, event);
}

/* ---- POST /api/calls ------------------------------------------------------------------------- */

static void
dial (JarchiCallsApi *self, SoupServerMessage *msg)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *play = NULL;
  g_autofree char *location = NULL;
  JsonObject *obj = jarchi_api_read_object (msg, JARCHI_CALLS_API_JSON_MAX_BYTES, FALSE, &root);
  const char *to = NULL;
  gint64 account = 0;
  gboolean record = FALSE, has_to = FALSE;
  JsonNode *account_node;
  guint account_id = 0, call_id;
  Watched *w;

  if (obj == NULL ||
      !jarchi_api_get_string (msg, obj, "to", FALSE, &to, &has_to) ||
      !jarchi_api_get_boolean (msg, obj, "record", &record, NULL))
    return;
  if (!has_to)
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "missing_field",
                              _("A call needs “to”: a number or a SIP address"));
      return;
    }
  /* Absent: the default account; null: none (straight to the address's host). */
  account_node = json_object_get_member (obj, "account");
  if (account_node != NULL && JSON_NODE_HOLDS_NULL (account_node))
    account_id = JARCHI_ACCOUNT_NONE;
  else if (!jarchi_api_get_integer (msg, obj, "account", 1, G_MAXUINT - 1, &account, NULL))
    return;
  else if (account > 0)
    {
      account_id = (guint) account;
      if (jarchi_call_manager_lookup_account (self->manager, account_id) == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("There is no account %u"), account_id);

          jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "unknown_account", message);
          return;
        }
    }
  if (!jarchi_calls_api_play_request (self->data_dir, self->library, msg, obj, &play))
    return;

  call_id = jarchi_call_manager_dial (self->manager, to, account_id, &error);
  if (call_id == 0)
    {
      if (g_error_matches (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT))
        jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_uri", error->message);
      else
        {
          g_message ("calls API: cannot dial: %s", error->message);
          jarchi_web_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", error->message);
        }
      return;
    }
  w = g_hash_table_lookup (self->watched, GUINT_TO_POINTER (call_id));
  if (w != NULL)
    {
      w->play_path = g_steal_pointer (&play);
      w->record = record;
      run_requests (w);
    }

  location = g_strdup_printf (ROUTE "/%u", call_id);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, call_id);
  json_builder_end_object (b);
  reply = json_builder_get_root (b);
  jarchi_web_reply_json (msg, SOUP_STATUS_CREATED, reply);
}

/* ---- /api/calls/{id}/... --------------------------------------------------------------------- */

/* The call's id is known; what is left is a request the call's state does not allow. */
static void
reply_action_error (SoupServerMessage *msg, const GError *error)
{
  if (g_error_matches (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND))
    jarchi_api_reply_not_found (msg, error->message);
  else if (g_error_matches (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT) ||
           g_error_matches (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA))
    jarchi_web_reply_error (msg, SOUP_STATUS_CONFLICT, "invalid_state", error->message);
  else
    {
      g_message ("calls API: %s", error->message);
      jarchi_web_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", error->message);
    }
}

static gboolean
is_answered (JarchiCall *call)
{
  return jarchi_call_get_answered_at (call) != 0 && !jarchi_call_is_ended (call);
}

/* Sends its own reply. */
static void
transfer (JarchiCallsApi *self, SoupServerMessage *msg, JarchiCall *call, JsonObject *obj)
{
  g_autoptr(GError) error = NULL;
  const char *to = NULL;
  gint64 other = 0;
  gboolean has_to = FALSE, has_other = FALSE;
  guint id = jarchi_call_get_id (call);

  if (!jarchi_api_get_string (msg, obj, "to", FALSE, &to, &has_to) ||
      !jarchi_api_get_integer (msg, obj, "attended_with", 1, G_MAXUINT, &other, &has_other))
    return;
  if (has_other)
    {
      if (jarchi_call_manager_lookup_call (self->manager, (guint) other) == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("There is no call %u"), (guint) other);

          jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "unknown_call", message);
        }
      else if (!jarchi_call_manager_transfer_attended (self->manager, id, (guint) other, &error))
        reply_action_error (msg, error);
      else
        reply_call (self, msg, SOUP_STATUS_OK, call);
      return;
    }
  if (!has_to)
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "missing_field",
                              _("A transfer needs “to”, or “attended_with” and a second call"));
      return;
    }
  if (!is_answered (call))
    {
      g_set_error (&error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT, _("Call %u is not answered"), id);
      reply_action_error (msg, error);
    }
  /* With the state checked, only the address can be wrong. */
  else if (!jarchi_call_manager_transfer_blind (self->manager, id, to, &error))
    {
      if (g_error_matches (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT))
        jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_uri", error->message);
      else
        reply_action_error (msg, error);
    }
  else
    reply_call (self, msg, SOUP_STATUS_OK, call);
}

static const char *const call_actions[] = {
  "answer", "reject", "hangup", "hold", "resume", "dtmf", "transfer", "record", NULL
};

static void
call_action (JarchiCallsApi *self, SoupServerMessage *msg, JarchiCall *call, const char *action)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiCall) keep = g_object_ref (call);
  guint id = jarchi_call_get_id (call);
  JsonObject *obj;
  gboolean ok;

  if (!jarchi_api_is_method (msg, "POST"))
    {
      jarchi_api_reply_method_not_allowed (msg, "POST");
      return;
    }
  obj = jarchi_api_read_object (msg, JARCHI_CALLS_API_JSON_MAX_BYTES, TRUE, &root);
  if (obj == NULL)
    return;
  if (!g_strv_contains (call_actions, action))
    {
      jarchi_api_reply_not_found (msg, NULL);
      return;
    }
  if (jarchi_call_is_ended (call))
    {
      g_autofree char *message = g_strdup_printf (_("Call %u has ended"), id);

      jarchi_web_reply_error (msg, SOUP_STATUS_CONFLICT, "invalid_state", message);
      return;
    }

  if (g_str_equal (action, "answer"))
    ok = jarchi_call_manager_answer (self->manager, id, &error);
  else if (g_str_equal (action, "reject"))
    {
      gint64 code = 486;

      if (!jarchi_api_get_integer (msg, obj, "code", 400, 699, &code, NULL))
        return;
      if (code != 486 && code != 603)
        {
          jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_field", _("“code” must be 486 or 603"));
          return;
        }
      ok = jarchi_call_manager_reject (self->manager, id, (guint) code, &error);
    }
  else if (g_str_equal (action, "hangup"))
    ok = jarchi_call_manager_hangup (self->manager, id, &error);
  else if (g_str_equal (action, "hold"))
    ok = jarchi_call_manager_hold (self->manager, id, &error);
  else if (g_str_equal (action, "resume"))
    ok = jarchi_call_manager_resume (self->manager, id, &error);
  else if (g_str_equal (action, "dtmf"))
    {
      const char *digits = NULL;
      gboolean has = FALSE;

      if (!jarchi_api_get_string (msg, obj, "digits", FALSE, &digits, &has))
        return;
      if (!has || digits[0] == '\0' || strlen (digits) > JARCHI_CALLS_API_MAX_DIGITS ||
          strspn (digits, "0123456789*#ABCDabcd") != strlen (digits))
        {
          jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_digits",
                                  _("“digits” must be 1 to 64 of 0-9, *, # and A-D"));
          return;
        }
      ok = jarchi_call_manager_send_dtmf (self->manager, id, digits, &error);
    }
  else if (g_str_equal (action, "transfer"))
    {
      transfer (self, msg, call, obj);
      return;
    }
  else if (g_str_equal (action, "record"))
    {
      gboolean record = FALSE, has = FALSE;

      /* Without "record" the request toggles. */
      if (!jarchi_api_get_boolean (msg, obj, "record", &record, &has))
        return;
      if (!has)
        record = !jarchi_call_manager_get_recording (self->manager, id);
      ok = jarchi_call_manager_set_recording (self->manager, id, record, &error);
    }
  else
    {
      jarchi_api_reply_not_found (msg, NULL);
      return;
    }

  if (!ok)
    reply_action_error (msg, error);
  else
    reply_call (self, msg, SOUP_STATUS_OK, call);
}

static void
handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
         gpointer user_data)
{
  JarchiCallsApi *self = user_data;
  JarchiCall *call;
  const char *rest;
  guint64 id;

  if (g_str_equal (path, ROUTE))
    {
      if (jarchi_api_is_method (msg, "POST"))
        dial (self, msg);
      else
        jarchi_api_reply_method_not_allowed (msg, "POST");
      return;
    }
  if (g_str_equal (path, ROUTE "/active"))
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->manager));

      if (!jarchi_api_is_method (msg, "GET"))
        {
          jarchi_api_reply_method_not_allowed (msg, "GET");
          return;
        }
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (self->manager), i));
      jarchi_api_reply_list (msg, items, items->len, call_json, self);
      return;
    }
  if (!jarchi_api_path_id (path, ROUTE, &id, &rest) || (rest[0] != '\0' && strchr (rest + 1, '/') != NULL))
    {
      jarchi_api_reply_not_found (msg, NULL);
      return;
    }
  call = id <= G_MAXUINT ? jarchi_call_manager_lookup_call (self->manager, (guint) id) : NULL;
  if (call == NULL && id <= G_MAXUINT)
    {
      Ended *e;

      prune_ended (self);
      e = g_hash_table_lookup (self->ended, GUINT_TO_POINTER ((guint) id));
      call = e ? e->call : NULL;
    }
  if (call == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("There is no call %llu in progress"), (unsigned long long) id);

      jarchi_api_reply_not_found (msg, message);
      return;
    }
  if (rest[0] == '/')
    call_action (self, msg, call, rest + 1);
  else if (jarchi_api_is_method (msg, "GET"))
    reply_call (self, msg, SOUP_STATUS_OK, call);
  else
    jarchi_api_reply_method_not_allowed (msg, "GET");
}

/* ---- object ---------------------------------------------------------------------------------- */

static void
jarchi_calls_api_dispose (GObject *object)
{
  JarchiCallsApi *self = JARCHI_CALLS_API (object);

  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  if (self->watched != NULL)
    g_hash_table_remove_all (self->watched);
  if (self->ended != NULL)
    g_hash_table_remove_all (self->ended);
  g_queue_clear (&self->ended_order);
  g_clear_object (&self->manager);
  g_clear_object (&self->history);
  g_clear_object (&self->library);
  g_clear_weak_pointer (&self->server);

  G_OBJECT_CLASS (jarchi_calls_api_parent_class)->dispose (object);
}

static void
jarchi_calls_api_finalize (GObject *object)
{
  JarchiCallsApi *self = JARCHI_CALLS_API (object);

  g_clear_pointer (&self->watched, g_hash_table_unref);
  g_clear_pointer (&self->ended, g_hash_table_unref);
  g_clear_pointer (&self->data_dir, g_free);
  G_OBJECT_CLASS (jarchi_calls_api_parent_class)->finalize (object);
}

static void
jarchi_calls_api_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, JARCHI_CALLS_API (object)->manager);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_calls_api_class_init (JarchiCallsApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_calls_api_dispose;
  object_class->finalize = jarchi_calls_api_finalize;
  object_class->get_property = jarchi_calls_api_get_property;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, JARCHI_TYPE_CALL_MANAGER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_calls_api_init (JarchiCallsApi *self)
{
  self->watched = g_hash_table_new_full (NULL, NULL, NULL, watched_free);
  self->ended = g_hash_table_new_full (NULL, NULL, NULL, ended_free);
  g_queue_init (&self->ended_order);
}

JarchiCallsApi *
jarchi_calls_api_register (JarchiWebServer *server, JarchiCallManager *manager, JarchiCallHistory *history,
                           JarchiMediaLibrary *library, const char *data_dir)
{
  JarchiCallsApi *self;

  g_return_val_if_fail (JARCHI_IS_WEB_SERVER (server), NULL);
  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (manager), NULL);
  g_return_val_if_fail (history == NULL || JARCHI_IS_CALL_HISTORY (history), NULL);
  g_return_val_if_fail (library == NULL || JARCHI_IS_MEDIA_LIBRARY (library), NULL);
  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (JARCHI_TYPE_CALLS_API, NULL);
  self->manager = g_object_ref (manager);
  self->history = history ? g_object_ref (history) : NULL;
  self->library = library ? g_object_ref (library) : NULL;
  self->data_dir = g_strdup (data_dir);
  g_set_weak_pointer (&self->server, server);

  g_signal_connect (manager, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect (manager, "call-ended", G_CALLBACK (on_call_ended), self);
  g_signal_connect (manager, "dtmf-received", G_CALLBACK (on_dtmf), self);
  g_signal_connect (manager, "recording-changed", G_CALLBACK (on_recording_changed), self);
  on_items_changed (G_LIST_MODEL (manager), 0, 0, g_list_model_get_n_items (G_LIST_MODEL (manager)), self);

  jarchi_web_server_add_route (server, ROUTE, handler, self);
  jarchi_web_server_set_body_limit (server, ROUTE, JARCHI_CALLS_API_JSON_MAX_BYTES);
  /* The route holds a bare pointer: the server keeps the API for as long as it may call it. */
  g_object_set_data_full (G_OBJECT (server), "jarchi-calls-api", self, g_object_unref);
  return self;
}
