/* JarchiCallManager: the calls in progress (a GListModel of JarchiCall), accounts and media. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-sip"
#include "jarchi-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "jarchi-call-manager-private.h"
#include "jarchi-error.h"
#include "jarchi-sip-engine.h"
#include "jarchi-sip-uri.h"


static void jarchi_call_manager_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JarchiCallManager, jarchi_call_manager, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      jarchi_call_manager_list_model_init))

enum {
  PROP_0,
  PROP_RING_TIMEOUT,
  PROP_SIP_PORT,
  PROP_ACCOUNTS,
  PROP_N_CALLS,
  N_PROPS
};

enum {
  SIGNAL_INCOMING_CALL,
  SIGNAL_CALL_ENDED,
  SIGNAL_DTMF_RECEIVED,
  SIGNAL_TRANSFER_PROGRESS,
  SIGNAL_RECORDING_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- GListModel ------------------------------------------------------------------------------ */

static GType
list_get_item_type (GListModel *model)
{
  return JARCHI_TYPE_CALL;
}

static guint
list_get_n_items (GListModel *model)
{
  return JARCHI_CALL_MANAGER (model)->calls->len;
}

static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  JarchiCallManager *self = JARCHI_CALL_MANAGER (model);

  if (position >= self->calls->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->calls, position));
}

static void
jarchi_call_manager_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

/* ---- call bookkeeping ------------------------------------------------------------------------- */

static void
call_data_free (gpointer data)
{
  CallData *d = data;

  g_clear_handle_id (&d->dtmf_source, g_source_remove);
  if (d->media != NULL)
    {
      g_signal_handlers_disconnect_by_data (d->media, d);
      jarchi_media_session_stop (d->media);
      g_object_unref (d->media);
    }
  g_clear_object (&d->call);
  g_free (d->end_reason);
  if (d->dtmf_info != NULL)
    g_string_free (d->dtmf_info, TRUE);
  g_free (d);
}

CallData *
jarchi_call_manager_lookup_data (JarchiCallManager  *self,
                                 guint               call_id,
                                 GError            **error)
{
  CallData *d = g_hash_table_lookup (self->data, GUINT_TO_POINTER (call_id));

  if (d == NULL)
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, _("There is no call %u"), call_id);
  return d;
}

static CallData *
add_call (JarchiCallManager *self,
          JarchiCall        *call)
{
  CallData *d = g_new0 (CallData, 1);

  d->manager = self;
  d->call = call;
  g_hash_table_insert (self->data, GUINT_TO_POINTER (jarchi_call_get_id (call)), d);
  g_ptr_array_add (self->calls, g_object_ref (call));
  g_list_model_items_changed (G_LIST_MODEL (self), self->calls->len - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CALLS]);
  return d;
}

/* Ends the call on our side: media stopped (recording finalised), ::call-ended, then out of
 * the model. */
static void
finish_call (JarchiCallManager *self,
             CallData          *d,
             guint              code,
             const char        *reason)
{
  g_autoptr(JarchiCall) call = g_object_ref (d->call);
  guint position;

  if (d->media != NULL)
    jarchi_media_session_stop (d->media);
  jarchi_call_end (call, code, d->end_reason ? d->end_reason : reason);
  g_signal_emit (self, signals[SIGNAL_CALL_ENDED], 0, call);

  g_hash_table_remove (self->data, GUINT_TO_POINTER (jarchi_call_get_id (call)));
  if (g_ptr_array_find (self->calls, call, &position))
    {
      g_ptr_array_remove_index (self->calls, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CALLS]);
    }
}

static void
on_media_dtmf (JarchiMediaSession *media,
               gchar               digit,
               JarchiDtmfMethod    method,
               gpointer            user_data)
{
  CallData *d = user_data;

  g_signal_emit (d->manager, signals[SIGNAL_DTMF_RECEIVED], 0, jarchi_call_get_id (d->call),
                 digit, method);
}

static void
on_media_error (JarchiMediaSession *media,
                GError             *error,
                gpointer            user_data)
{
  CallData *d = user_data;

  /* The call itself goes on: the peer may still hang up or we may still send DTMF by INFO. */
  g_message ("call %u: media failed: %s", jarchi_call_get_id (d->call), error->message);
}

static JarchiMediaSession *
new_media (JarchiCallManager  *self,
           CallData           *d,
           GError            **error)
{
  JarchiMediaSession *media = jarchi_media_session_new (self->media_address, error);

  if (media == NULL)
    return NULL;
  if (d != NULL)
    {
      d->media = media;
      g_signal_connect (media, "dtmf-received", G_CALLBACK (on_media_dtmf), d);
      g_signal_connect (media, "error", G_CALLBACK (on_media_error), d);
    }
  return media;
}

static JarchiMediaDirection
media_direction (JarchiSipDirection dir)
{
  switch (dir)
    {
    case JARCHI_SIP_DIR_SENDRECV: return JARCHI_MEDIA_DIR_SENDRECV;
    case JARCHI_SIP_DIR_SENDONLY: return JARCHI_MEDIA_DIR_SENDONLY;
    case JARCHI_SIP_DIR_RECVONLY: return JARCHI_MEDIA_DIR_RECVONLY;
    case JARCHI_SIP_DIR_INACTIVE:
    default: return JARCHI_MEDIA_DIR_INACTIVE;
    }
}

static void
maybe_record (JarchiCallManager *self,
              CallData          *d)
{
  JarchiAccount *account;
  g_autoptr(GError) error = NULL;

  account = jarchi_call_manager_lookup_account (self, jarchi_call_get_account_id (d->call));
  if (account == NULL || !jarchi_account_get_record (account) || self->data_dir == NULL ||
      d->media == NULL || jarchi_call_get_recording_path (d->call) != NULL)
    return;
  if (!jarchi_call_manager_start_recording_file (self, d, &error))
    g_message ("call %u: cannot record: %s", jarchi_call_get_id (d->call), error->message);
}

void
jarchi_call_manager_emit_recording_changed (JarchiCallManager *self,
                                            guint              call_id,
                                            gboolean           recording)
{
  g_signal_emit (self, signals[SIGNAL_RECORDING_CHANGED], 0, call_id, recording);
}

/* ---- engine events ---------------------------------------------------------------------------- */

static void
on_registration_changed (JarchiSipEngine   *engine,
                         guint              account_id,
                         guint              state,
                         const char        *error,
                         guint              expires,
                         JarchiCallManager *self)
{
  JarchiAccount *account = jarchi_call_manager_lookup_account (self, account_id);

  if (account != NULL)
    jarchi_account_set_registration (account, state, error, expires);
}

static void
notify_referrer (JarchiCallManager *self,
                 CallData          *d,
                 guint              code)
{
  if (d->refer_from == 0 || d->refer_notified)
    return;
  if (code >= 200)
    d->refer_notified = TRUE;
  (void) jarchi_sip_engine_notify_refer (self->engine, d->refer_from, code, NULL);
}

static void
on_call_progress (JarchiSipEngine   *engine,
                  guint              call_id,
                  guint              state,
                  guint              code,
                  JarchiCallManager *self)
{
  CallData *d = jarchi_call_manager_lookup_data (self, call_id, NULL);

  if (d == NULL)
    return;
  if (code >= 200)
    jarchi_call_set_sip_code (d->call, code);
  jarchi_call_set_state (d->call, state);

  /* Stop sending at once; the answer to our re-INVITE confirms the direction later. */
  if (state == JARCHI_CALL_STATE_HELD && d->media != NULL)
    jarchi_media_session_set_direction (d->media, JARCHI_MEDIA_DIR_SENDONLY);

  if (state == JARCHI_CALL_STATE_RINGING)
    notify_referrer (self, d, 180);
  else if (state == JARCHI_CALL_STATE_ACTIVE || state == JARCHI_CALL_STATE_REMOTE_HELD)
    {
      notify_referrer (self, d, 200);
      maybe_record (self, d);
      if (d->replaces != 0)
        {
          CallData *old = jarchi_call_manager_lookup_data (self, d->replaces, NULL);
          d->replaces = 0;
          if (old != NULL)
            {
              g_free (old->end_reason);
              /* Its peer handed us over to the caller of the new call (RFC 3891). */
              old->end_reason = g_strdup (_("replaced by a transferred call"));
              (void) jarchi_sip_engine_hangup (self->engine, jarchi_call_get_id (old->call), NULL);
            }
        }
    }
}

static void
on_call_media (JarchiSipEngine   *engine,
               guint              call_id,
               const char        *host,
               guint              port,
               const char        *codec,
               guint              pt,
               guint              clock_rate,
               guint              dtmf_pt,
               guint              direction,
               gboolean           remote_hold,
               JarchiCallManager *self)
{
  CallData *d = jarchi_call_manager_lookup_data (self, call_id, NULL);
  g_autoptr(GError) error = NULL;

  if (d == NULL || d->media == NULL)
    return;
  if (!d->media_started)
    {
      if (!jarchi_media_session_start (d->media, host, port, codec, pt, clock_rate, dtmf_pt,
                                       &error))
        {
          g_message ("call %u: cannot start media: %s", call_id, error->message);
          return;
        }
      d->media_started = TRUE;
    }
  else
    jarchi_media_session_set_remote (d->media, host, port);
  jarchi_media_session_set_direction (d->media, media_direction (direction));
}

static void
on_call_ended (JarchiSipEngine   *engine,
               guint              call_id,
               guint              code,
               const char        *reason,
               JarchiCallManager *self)
{
  CallData *d = jarchi_call_manager_lookup_data (self, call_id, NULL);

  if (d == NULL)
    return;
  notify_referrer (self, d, code >= 300 ? code : 503);
  finish_call (self, d, code, reason);
}

static void
on_call_dtmf (JarchiSipEngine   *engine,
              guint              call_id,
              gchar              digit,
              JarchiCallManager *self)
{
  if (jarchi_call_manager_lookup_data (self, call_id, NULL) != NULL)
    g_signal_emit (self, signals[SIGNAL_DTMF_RECEIVED], 0, call_id, digit,
                   JARCHI_DTMF_METHOD_INFO);
}

static void
on_transfer_progress (JarchiSipEngine   *engine,
                      guint              call_id,
                      guint              code,
                      JarchiCallManager *self)
{
  g_signal_emit (self, signals[SIGNAL_TRANSFER_PROGRESS], 0, call_id, code);
}

static void
on_call_incoming (JarchiSipEngine   *engine,
                  guint              call_id,
                  guint              account_id,
                  const char        *remote_uri,
                  const char        *remote_name,
                  guint              replaces,
                  JarchiCallManager *self)
{
  g_autoptr(GError) error = NULL;
  JarchiAccount *account = jarchi_call_manager_lookup_account (self, account_id);
  JarchiCall *call = jarchi_call_new (call_id, account_id, JARCHI_CALL_DIRECTION_INCOMING,
                                      remote_uri);
  CallData *d;

  jarchi_call_set_remote_name (call, remote_name);
  d = add_call (self, call);
  d->replaces = replaces;
  g_signal_emit (self, signals[SIGNAL_INCOMING_CALL], 0, call);

  /* A call replacing one of ours (attended transfer towards us) takes over without asking. */
  if ((replaces != 0 || (account != NULL && jarchi_account_get_auto_answer (account))) &&
      !jarchi_call_manager_answer (self, call_id, &error))
    g_message ("call %u: cannot answer: %s", call_id, error->message);
}

static guint dial_uri (JarchiCallManager *self, const char *uri, guint account_id,
                       const char *replaces, GError **error);

static void
on_call_refer (JarchiSipEngine   *engine,
               guint              call_id,
               const char        *target,
               const char        *replaces,
               JarchiCallManager *self)
{
  CallData *d = jarchi_call_manager_lookup_data (self, call_id, NULL);
  g_autoptr(GError) error = NULL;
  guint new_id;

  if (d == NULL)
    return;
  new_id = dial_uri (self, target, jarchi_call_get_account_id (d->call), replaces, &error);
  if (new_id == 0)
    {
      g_message ("call %u: cannot follow the transfer to %s: %s", call_id, target,
                 error->message);
      (void) jarchi_sip_engine_notify_refer (engine, call_id, 503, NULL);
      return;
    }
  jarchi_call_manager_lookup_data (self, new_id, NULL)->refer_from = call_id;
}

/* ---- GObject ---------------------------------------------------------------------------------- */

static void
jarchi_call_manager_dispose (GObject *object)
{
  JarchiCallManager *self = JARCHI_CALL_MANAGER (object);

  jarchi_call_manager_shutdown (self);
  G_OBJECT_CLASS (jarchi_call_manager_parent_class)->dispose (object);
}

static void
jarchi_call_manager_finalize (GObject *object)
{
  JarchiCallManager *self = JARCHI_CALL_MANAGER (object);

  g_clear_pointer (&self->data, g_hash_table_unref);
  g_clear_pointer (&self->calls, g_ptr_array_unref);
  g_clear_pointer (&self->reregister, g_hash_table_unref);
  g_clear_object (&self->accounts);
  g_clear_object (&self->actions);
  g_free (self->media_address);
  g_free (self->data_dir);

  G_OBJECT_CLASS (jarchi_call_manager_parent_class)->finalize (object);
}

static void
jarchi_call_manager_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  JarchiCallManager *self = JARCHI_CALL_MANAGER (object);

  switch (prop_id)
    {
    case PROP_RING_TIMEOUT: g_value_set_uint (value, self->ring_timeout); break;
    case PROP_SIP_PORT: g_value_set_uint (value, jarchi_call_manager_get_sip_port (self)); break;
    case PROP_ACCOUNTS: g_value_set_object (value, self->accounts); break;
    case PROP_N_CALLS: g_value_set_uint (value, self->calls->len); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_call_manager_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  JarchiCallManager *self = JARCHI_CALL_MANAGER (object);

  switch (prop_id)
    {
    case PROP_RING_TIMEOUT:
      if (self->ring_timeout != g_value_get_uint (value))
        {
          self->ring_timeout = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_call_manager_class_init (JarchiCallManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  object_class->dispose = jarchi_call_manager_dispose;
  object_class->finalize = jarchi_call_manager_finalize;
  object_class->get_property = jarchi_call_manager_get_property;
  object_class->set_property = jarchi_call_manager_set_property;

  properties[PROP_RING_TIMEOUT] =
    g_param_spec_uint ("ring-timeout", NULL, NULL, 0, 3600, 60,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIP_PORT] = g_param_spec_uint ("sip-port", NULL, NULL, 0, 65535, 0,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNTS] = g_param_spec_object ("accounts", NULL, NULL, G_TYPE_LIST_MODEL,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_CALLS] = g_param_spec_uint ("n-calls", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_INCOMING_CALL] =
    g_signal_new ("incoming-call", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  JARCHI_TYPE_CALL);
  signals[SIGNAL_CALL_ENDED] =
    g_signal_new ("call-ended", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  JARCHI_TYPE_CALL);
  signals[SIGNAL_DTMF_RECEIVED] =
    g_signal_new ("dtmf-received", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_UINT, G_TYPE_CHAR, JARCHI_TYPE_DTMF_METHOD);
  signals[SIGNAL_TRANSFER_PROGRESS] =
    g_signal_new ("transfer-progress", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_RECORDING_CHANGED] =
    g_signal_new ("recording-changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_BOOLEAN);
}

static void
jarchi_call_manager_init (JarchiCallManager *self)
{
  self->calls = g_ptr_array_new_with_free_func (g_object_unref);
  self->data = g_hash_table_new_full (NULL, NULL, NULL, call_data_free);
  self->accounts = g_list_store_new (JARCHI_TYPE_ACCOUNT);
  self->reregister = g_hash_table_new (NULL, NULL);
  self->ring_timeout = 60;
}

JarchiCallManager *
jarchi_call_manager_new (const char  *local_address,
                         guint        sip_port,
                         const char  *data_dir,
                         GError     **error)
{
  g_autoptr(JarchiCallManager) self = g_object_new (JARCHI_TYPE_CALL_MANAGER, NULL);

  self->engine = jarchi_sip_engine_new (local_address, sip_port, error);
  if (self->engine == NULL)
    return NULL;
  self->media_address = g_strdup (local_address && *local_address ? local_address : "0.0.0.0");
  self->data_dir = g_strdup (data_dir);
  /* Call ids outlive a restart: an API client holding an old id must not reach a new call. */
  if (data_dir != NULL)
    {
      g_autofree char *id_file = g_build_filename (data_dir, "call-ids", NULL);
      jarchi_sip_engine_set_call_id_file (self->engine, id_file);
    }

  g_signal_connect (self->engine, "registration-changed", G_CALLBACK (on_registration_changed),
                    self);
  g_signal_connect (self->engine, "call-incoming", G_CALLBACK (on_call_incoming), self);
  g_signal_connect (self->engine, "call-progress", G_CALLBACK (on_call_progress), self);
  g_signal_connect (self->engine, "call-media", G_CALLBACK (on_call_media), self);
  g_signal_connect (self->engine, "call-ended", G_CALLBACK (on_call_ended), self);
  g_signal_connect (self->engine, "call-dtmf", G_CALLBACK (on_call_dtmf), self);
  g_signal_connect (self->engine, "call-refer", G_CALLBACK (on_call_refer), self);
  g_signal_connect (self->engine, "transfer-progress", G_CALLBACK (on_transfer_progress), self);
  return g_steal_pointer (&self);
}

guint
jarchi_call_manager_get_sip_port (JarchiCallManager *self)
{
  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), 0);
  return self->engine ? jarchi_sip_engine_get_port (self->engine) : 0;
}

JarchiSipEngine *
jarchi_call_manager_get_engine (JarchiCallManager *self)
{
  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), NULL);
  return self->engine;
}

void
jarchi_call_manager_shutdown (JarchiCallManager *self)
{
  guint n;

  g_return_if_fail (JARCHI_IS_CALL_MANAGER (self));

  g_clear_handle_id (&self->reregister_source, g_source_remove);
  if (self->engine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->engine, self);
      /* BYE/CANCEL and un-REGISTER leave from the engine's own shutdown. */
      jarchi_sip_engine_shutdown (self->engine);
      g_clear_object (&self->engine);
    }
  if (self->accounts != NULL)
    {
      n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(JarchiAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
          g_signal_handlers_disconnect_by_data (account, self);
          jarchi_account_set_registration (account, JARCHI_REGISTRATION_UNREGISTERED, NULL, 0);
        }
    }
  /* Calls still up end with us; ::call-ended lets history keep them. */
  while (self->calls != NULL && self->calls->len > 0)
    {
      JarchiCall *call = g_ptr_array_index (self->calls, self->calls->len - 1);
      CallData *d = jarchi_call_manager_lookup_data (self, jarchi_call_get_id (call), NULL);

      if (d != NULL)
        finish_call (self, d, jarchi_call_get_sip_code (call), _("hung up"));
      else
        {
          g_ptr_array_remove_index (self->calls, self->calls->len - 1);
          g_list_model_items_changed (G_LIST_MODEL (self), self->calls->len, 1, 0);
        }
    }
  if (self->data != NULL)
    g_hash_table_remove_all (self->data);
}

/* ---- calls ------------------------------------------------------------------------------------ */

JarchiCall *
jarchi_call_manager_lookup_call (JarchiCallManager *self,
                                 guint              call_id)
{
  CallData *d;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), NULL);
  d = jarchi_call_manager_lookup_data (self, call_id, NULL);
  return d ? d->call : NULL;
}

JarchiMediaSession *
jarchi_call_manager_get_media_session (JarchiCallManager *self,
                                       guint              call_id)
{
  CallData *d;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), NULL);
  d = jarchi_call_manager_lookup_data (self, call_id, NULL);
  return d ? d->media : NULL;
}

gboolean
jarchi_call_manager_check_running (JarchiCallManager  *self,
                                   GError            **error)
{
  if (self->engine != NULL)
    return TRUE;
  g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_FAILED, _("SIP is stopped"));
  return FALSE;
}

/* URI is already a SIP URI; ACCOUNT_ID 0 means none. */
static guint
dial_uri (JarchiCallManager  *self,
          const char         *uri,
          guint               account_id,
          const char         *replaces,
          GError            **error)
{
  g_autoptr(JarchiMediaSession) media = NULL;
  JarchiCall *call;
  CallData *d;
  guint call_id;

  if (!jarchi_call_manager_check_running (self, error))
    return 0;
  media = new_media (self, NULL, error);
  if (media == NULL)
    return 0;
  call_id = jarchi_sip_engine_new_call_id (self->engine);
  if (!jarchi_sip_engine_dial (self->engine, call_id, account_id, uri,
                               jarchi_media_session_get_local_port (media), self->ring_timeout,
                               replaces, error))
    {
      jarchi_media_session_stop (media);
      return 0;
    }
  call = jarchi_call_new (call_id, account_id, JARCHI_CALL_DIRECTION_OUTGOING, uri);
  d = add_call (self, call);
  d->media = g_steal_pointer (&media);
  g_signal_connect (d->media, "dtmf-received", G_CALLBACK (on_media_dtmf), d);
  g_signal_connect (d->media, "error", G_CALLBACK (on_media_error), d);
  return call_id;
}

guint
jarchi_call_manager_dial (JarchiCallManager  *self,
                          const char         *to,
                          guint               account_id,
                          GError            **error)
{
  JarchiAccount *account = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *uri = NULL;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), 0);

  if (account_id == 0)
    account = jarchi_call_manager_get_default_account (self);
  else if (account_id != JARCHI_ACCOUNT_NONE)
    {
      account = jarchi_call_manager_lookup_account (self, account_id);
      if (account == NULL)
        {
          g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, _("There is no account %u"),
                       account_id);
          return 0;
        }
    }
  if (account != NULL)
    domain = jarchi_account_dup_domain (account);
  uri = jarchi_sip_uri_normalize (to, domain, error);
  if (uri == NULL)
    return 0;
  return dial_uri (self, uri, account ? jarchi_account_get_id (account) : 0, NULL, error);
}

gboolean
jarchi_call_manager_answer (JarchiCallManager  *self,
                            guint               call_id,
                            GError            **error)
{
  CallData *d;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), FALSE);
  if (!jarchi_call_manager_check_running (self, error) || (d = jarchi_call_manager_lookup_data (self, call_id, error)) == NULL)
    return FALSE;
  if (jarchi_call_get_direction (d->call) != JARCHI_CALL_DIRECTION_INCOMING ||
      jarchi_call_get_state (d->call) != JARCHI_CALL_STATE_INCOMING || d->media != NULL)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("Call %u is not waiting to be answered"), call_id);
      return FALSE;
    }
  if (new_media (self, d, error) == NULL)
    return FALSE;

  /* Call waiting: whoever we were talking to waits on hold. */
  for (guint i = 0; i < self->calls->len; i++)
    {
      JarchiCall *other = g_ptr_array_index (self->calls, i);
      JarchiCallState state = jarchi_call_get_state (other);

      if (other != d->call && jarchi_call_get_id (other) != d->replaces &&
          (state == JARCHI_CALL_STATE_ACTIVE || state == JARCHI_CALL_STATE_REMOTE_HELD))
        (void) jarchi_sip_engine_hold (self->engine, jarchi_call_get_id (other), TRUE, NULL);
    }
  return jarchi_sip_engine_answer (self->engine, call_id,
                                   jarchi_media_session_get_local_port (d->media), error);
}

gboolean
jarchi_call_manager_reject (JarchiCallManager  *self,
                            guint               call_id,
                            guint               code,
                            GError            **error)
{
  CallData *d;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), FALSE);
  if (!jarchi_call_manager_check_running (self, error) || (d = jarchi_call_manager_lookup_data (self, call_id, error)) == NULL)
    return FALSE;
  if (jarchi_call_get_state (d->call) != JARCHI_CALL_STATE_INCOMING)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("Call %u is not waiting to be answered"), call_id);
      return FALSE;
    }
  return jarchi_sip_engine_reject (self->engine, call_id, code ? code : 486, error);
}

gboolean
jarchi_call_manager_reject_with_reason (JarchiCallManager  *self,
                                        guint               call_id,
                                        guint               code,
                                        const char         *reason,
                                        GError            **error)
{
  CallData *d;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), FALSE);
  if (!jarchi_call_manager_reject (self, call_id, code, error))
    return FALSE;
  /* The engine ends the call later, from its own thread: finish_call() then keeps this reason. */
  if ((d = jarchi_call_manager_lookup_data (self, call_id, NULL)) != NULL && d->end_reason == NULL)
    d->end_reason = g_strdup (reason);
  return TRUE;
}

gboolean
jarchi_call_manager_hangup (JarchiCallManager  *self,
                            guint               call_id,
                            GError            **error)
{
  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), FALSE);
  if (!jarchi_call_manager_check_running (self, error) || jarchi_call_manager_lookup_data (self, call_id, error) == NULL)
    return FALSE;
  return jarchi_sip_engine_hangup (self->engine, call_id, error);
}

