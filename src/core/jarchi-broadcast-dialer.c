/* JarchiBroadcastDialer: campaign calls on the SIP engine's lean RTP path — the message encoded once and shared, no media pipeline per call. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-campaign"
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-broadcast-dialer.h"
#include "jarchi-error.h"
#include "jarchi-sip-broadcast.h"
#include "jarchi-sip-uri.h"

typedef struct {
  guint    id;
  gboolean answered;
} DialerCall;

struct _JarchiBroadcastDialer
{
  GObject             parent_instance;
  JarchiCallManager  *manager;
  JarchiMediaLibrary *library;
  JarchiSipEngine    *engine;
  GHashTable         *calls;     /* call id -> DialerCall */
  GHashTable         *messages;  /* media id -> JarchiSipBroadcastMessage */
};

static void jarchi_broadcast_dialer_iface_init (JarchiCampaignDialerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JarchiBroadcastDialer, jarchi_broadcast_dialer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JARCHI_TYPE_CAMPAIGN_DIALER,
                                                      jarchi_broadcast_dialer_iface_init))

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_LIBRARY,
  PROP_N_CALLS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- events from the SIP thread ------------------------------------------------------------ */

static JarchiDialOutcome
outcome_of (guint code,
            guint flags)
{
  if (flags & (JARCHI_SIP_BROADCAST_END_MEDIA | JARCHI_SIP_BROADCAST_END_NETWORK))
    return JARCHI_DIAL_OUTCOME_FAILED;
  if (flags & JARCHI_SIP_BROADCAST_END_ANSWERED)
    return (flags & JARCHI_SIP_BROADCAST_END_LOCAL) ? JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US
                                                    : JARCHI_DIAL_OUTCOME_REMOTE_HANGUP;
  if (flags & (JARCHI_SIP_BROADCAST_END_TIMEOUT | JARCHI_SIP_BROADCAST_END_LOCAL))
    return JARCHI_DIAL_OUTCOME_NO_ANSWER;
  return jarchi_dial_outcome_from_sip_code (code);
}

static void
finish (JarchiBroadcastDialer *self,
        guint                  call_id,
        guint                  code,
        guint                  flags)
{
  if (!g_hash_table_remove (self->calls, GUINT_TO_POINTER (call_id)))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CALLS]);
  jarchi_campaign_dialer_emit_call_ended (JARCHI_CAMPAIGN_DIALER (self), call_id, code,
                                          outcome_of (code, flags));
}

static void
on_broadcast_event (JarchiSipEngine       *engine,
                    guint                  call_id,
                    guint                  kind,
                    guint                  code,
                    gchar                  digit,
                    guint                  detail,
                    JarchiBroadcastDialer *self)
{
  DialerCall *c = g_hash_table_lookup (self->calls, GUINT_TO_POINTER (call_id));

  if (c == NULL)
    return;
  switch (kind)
    {
    case JARCHI_SIP_BROADCAST_ANSWERED:
      if (!c->answered)
        {
          c->answered = TRUE;
          jarchi_campaign_dialer_emit_call_answered (JARCHI_CAMPAIGN_DIALER (self), call_id);
        }
      break;
    case JARCHI_SIP_BROADCAST_PLAYED:
      jarchi_campaign_dialer_emit_playback_finished (JARCHI_CAMPAIGN_DIALER (self), call_id);
      break;
    case JARCHI_SIP_BROADCAST_DTMF:
      jarchi_campaign_dialer_emit_call_dtmf (JARCHI_CAMPAIGN_DIALER (self), call_id, digit, detail);
      break;
    case JARCHI_SIP_BROADCAST_ENDED:
      finish (self, call_id, code, detail);
      break;
    default:
      break;
    }
}

/* The engine is gone (the call manager shut down): no event will end CALL_ID, so we do. */
typedef struct {
  JarchiBroadcastDialer *self;
  guint                  call_id;
  guint                  flags;
} LocalEnd;

static gboolean
local_end_cb (gpointer data)
{
  LocalEnd *end = data;

  finish (end->self, end->call_id, 0, end->flags);
  return G_SOURCE_REMOVE;
}

static void
local_end_free (gpointer data)
{
  LocalEnd *end = data;

  g_object_unref (end->self);
  g_free (end);
}

/* ---- messages ---------------------------------------------------------------------------- */

static JarchiSipBroadcastMessage *
get_message (JarchiBroadcastDialer  *self,
             guint                   media_id,
             GError                **error)
{
  JarchiSipBroadcastMessage *message = g_hash_table_lookup (self->messages,
                                                            GUINT_TO_POINTER (media_id));
  g_autoptr(GBytes) ulaw = NULL;
  g_autoptr(GBytes) alaw = NULL;

  if (message != NULL)
    return message;
  ulaw = jarchi_media_library_load_g711 (self->library, media_id, JARCHI_G711_ULAW, error);
  if (ulaw == NULL)
    return NULL;
  alaw = jarchi_media_library_load_g711 (self->library, media_id, JARCHI_G711_ALAW, error);
  if (alaw == NULL)
    return NULL;
  message = jarchi_sip_broadcast_message_new (ulaw, alaw, error);
  if (message != NULL)
    g_hash_table_insert (self->messages, GUINT_TO_POINTER (media_id), message);
  return message;
}

static void
on_media_removed (JarchiMediaLibrary    *library,
                  gint64                 media_id,
                  JarchiBroadcastDialer *self)
{
  /* Calls still playing it keep their own reference. */
  g_hash_table_remove (self->messages, GUINT_TO_POINTER ((guint) media_id));
}

gboolean
jarchi_broadcast_dialer_prepare (JarchiBroadcastDialer  *self,
                                 guint                   media_id,
                                 GError                **error)
{
  g_return_val_if_fail (JARCHI_IS_BROADCAST_DIALER (self), FALSE);
  return get_message (self, media_id, error) != NULL;
}

/* ---- JarchiCampaignDialer ---------------------------------------------------------------- */

static guint
place_call (JarchiCampaignDialer  *dialer,
            guint                  account_id,
            const char            *phone,
            guint                  media_id,
            guint                  ring_timeout_s,
            GError               **error)
{
  JarchiBroadcastDialer *self = JARCHI_BROADCAST_DIALER (dialer);
  JarchiAccount *account = NULL;
  JarchiSipBroadcastMessage *message;
  g_autofree char *domain = NULL;
  g_autofree char *uri = NULL;
  DialerCall *c;
  guint call_id;

  if (account_id == 0)
    account = jarchi_call_manager_get_default_account (self->manager);
  else if (account_id != JARCHI_ACCOUNT_NONE)
    {
      account = jarchi_call_manager_lookup_account (self->manager, account_id);
      if (account == NULL)
        {
          g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, _("There is no account %u"),
                       account_id);
          return 0;
        }
    }
  if (account != NULL)
    domain = jarchi_account_dup_domain (account);
  uri = jarchi_sip_uri_normalize (phone, domain, error);
  if (uri == NULL)
    return 0;
  message = get_message (self, media_id, error);
  if (message == NULL)
    return 0;

  call_id = jarchi_sip_engine_new_call_id (self->engine);
  if (!jarchi_sip_broadcast_dial (self->engine, call_id, account ? jarchi_account_get_id (account) : 0,
                                  uri, ring_timeout_s, message, error))
    return 0;
  c = g_new0 (DialerCall, 1);
  c->id = call_id;
  g_hash_table_insert (self->calls, GUINT_TO_POINTER (call_id), c);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CALLS]);
  return call_id;
}

static DialerCall *
lookup (JarchiBroadcastDialer  *self,
        guint                   call_id,
        GError                **error)
{
  DialerCall *c = g_hash_table_lookup (self->calls, GUINT_TO_POINTER (call_id));

  if (c == NULL)
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, _("There is no campaign call %u"),
                 call_id);
  return c;
}

static gboolean
replay (JarchiCampaignDialer  *dialer,
        guint                  call_id,
        GError               **error)
{
  JarchiBroadcastDialer *self = JARCHI_BROADCAST_DIALER (dialer);
  DialerCall *c = lookup (self, call_id, error);

  if (c == NULL)
    return FALSE;
  if (!c->answered)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA,
                   _("The message is not playing on this call"));
      return FALSE;
    }
  return jarchi_sip_broadcast_replay (self->engine, call_id, error);
}

static gboolean
hangup (JarchiCampaignDialer  *dialer,
        guint                  call_id,
        GError               **error)
{
  JarchiBroadcastDialer *self = JARCHI_BROADCAST_DIALER (dialer);
  DialerCall *c = lookup (self, call_id, error);
  LocalEnd *end;

  if (c == NULL)
    return FALSE;
  if (jarchi_call_manager_get_engine (self->manager) != NULL)
    return jarchi_sip_broadcast_hangup (self->engine, call_id, error);

  end = g_new0 (LocalEnd, 1);
  end->self = g_object_ref (self);
  end->call_id = call_id;
  end->flags = JARCHI_SIP_BROADCAST_END_LOCAL |
               (c->answered ? JARCHI_SIP_BROADCAST_END_ANSWERED : 0);
  g_idle_add_full (G_PRIORITY_DEFAULT, local_end_cb, end, local_end_free);
  return TRUE;
}

static void
jarchi_broadcast_dialer_iface_init (JarchiCampaignDialerInterface *iface)
{
  iface->place_call = place_call;
  iface->replay = replay;
  iface->hangup = hangup;
}

/* ---- object ----------------------------------------------------------------------------------- */

guint
jarchi_broadcast_dialer_get_n_calls (JarchiBroadcastDialer *self)
{
  g_return_val_if_fail (JARCHI_IS_BROADCAST_DIALER (self), 0);
  return g_hash_table_size (self->calls);
}

static void
jarchi_broadcast_dialer_constructed (GObject *object)
{
  JarchiBroadcastDialer *self = JARCHI_BROADCAST_DIALER (object);

  G_OBJECT_CLASS (jarchi_broadcast_dialer_parent_class)->constructed (object);

  g_return_if_fail (self->manager != NULL && self->library != NULL);
  self->engine = jarchi_call_manager_get_engine (self->manager);
  g_return_if_fail (self->engine != NULL);
  /* Kept so that we can still disconnect after the manager let it go. */
  g_object_ref (self->engine);
  g_signal_connect (self->engine, "broadcast-event", G_CALLBACK (on_broadcast_event), self);
  g_signal_connect (self->library, "media-removed", G_CALLBACK (on_media_removed), self);
}

static void
jarchi_broadcast_dialer_dispose (GObject *object)
{
  JarchiBroadcastDialer *self = JARCHI_BROADCAST_DIALER (object);
  GHashTableIter iter;
  gpointer key;

  if (self->engine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->engine, self);
      /* Nobody would hear how they end: end them, or they would play on. */
      g_hash_table_iter_init (&iter, self->calls);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        (void) jarchi_sip_broadcast_hangup (self->engine, GPOINTER_TO_UINT (key), NULL);
    }
  g_hash_table_remove_all (self->calls);
  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);
  g_clear_object (&self->engine);
  g_clear_object (&self->manager);
  g_clear_object (&self->library);
  g_hash_table_remove_all (self->messages);

  G_OBJECT_CLASS (jarchi_broadcast_dialer_parent_class)->dispose (object);
}

static void
jarchi_broadcast_dialer_finalize (GObject *object)
{
  JarchiBroadcastDialer *self = JARCHI_BROADCAST_DIALER (object);

  g_hash_table_unref (self->calls);
  g_hash_table_unref (self->messages);
  G_OBJECT_CLASS (jarchi_broadcast_dialer_parent_class)->finalize (object);
}

static void
jarchi_broadcast_dialer_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  JarchiBroadcastDialer *self = JARCHI_BROADCAST_DIALER (object);

  switch (prop_id)
    {
    case PROP_MANAGER: g_value_set_object (value, self->manager); break;
    case PROP_LIBRARY: g_value_set_object (value, self->library); break;
    case PROP_N_CALLS: g_value_set_uint (value, g_hash_table_size (self->calls)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_broadcast_dialer_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  JarchiBroadcastDialer *self = JARCHI_BROADCAST_DIALER (object);

  switch (prop_id)
    {
    case PROP_MANAGER: self->manager = g_value_dup_object (value); break;
    case PROP_LIBRARY: self->library = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_broadcast_dialer_class_init (JarchiBroadcastDialerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = jarchi_broadcast_dialer_constructed;
  object_class->dispose = jarchi_broadcast_dialer_dispose;
  object_class->finalize = jarchi_broadcast_dialer_finalize;
  object_class->get_property = jarchi_broadcast_dialer_get_property;
  object_class->set_property = jarchi_broadcast_dialer_set_property;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, JARCHI_TYPE_CALL_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIBRARY] =
    g_param_spec_object ("library", NULL, NULL, JARCHI_TYPE_MEDIA_LIBRARY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_CALLS] =
    g_param_spec_uint ("n-calls", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_broadcast_dialer_init (JarchiBroadcastDialer *self)
{
  self->calls = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->messages = g_hash_table_new_full (NULL, NULL, NULL,
                                          (GDestroyNotify) jarchi_sip_broadcast_message_unref);
}

JarchiBroadcastDialer *
jarchi_broadcast_dialer_new (JarchiCallManager  *manager,
                             JarchiMediaLibrary *library)
{
  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (manager), NULL);
  g_return_val_if_fail (jarchi_call_manager_get_engine (manager) != NULL, NULL);
  g_return_val_if_fail (JARCHI_IS_MEDIA_LIBRARY (library), NULL);

  return g_object_new (JARCHI_TYPE_BROADCAST_DIALER, "manager", manager, "library", library,
                       NULL);
}
