/* JarchiCallManagerDialer: dials through JarchiCallManager, plays the message once the call is answered and its media runs, maps the end to a JarchiDialOutcome. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-call-manager-dialer.h"
#include "jarchi-error.h"

typedef struct {
  JarchiCallManagerDialer *self;
  guint                    call_id;
  JarchiCall              *call;
  JarchiMediaSession      *media;
  char                    *path;
  guint                    ring_timer;
  gboolean                 answered;
  gboolean                 playing;
  gboolean                 hung_up_by_us;
  gboolean                 timed_out;
  gboolean                 media_failed;
} DialerCall;

struct _JarchiCallManagerDialer
{
  GObject             parent_instance;
  JarchiCallManager  *manager;
  JarchiMediaLibrary *library;
  JarchiCallHistory  *history;
  GHashTable         *calls;   /* call id → DialerCall */
};

static void jarchi_call_manager_dialer_iface_init (JarchiCampaignDialerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JarchiCallManagerDialer, jarchi_call_manager_dialer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JARCHI_TYPE_CAMPAIGN_DIALER,
                                                      jarchi_call_manager_dialer_iface_init))

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_LIBRARY,
  PROP_HISTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dialer_call_free (gpointer data)
{
  DialerCall *c = data;

  g_clear_handle_id (&c->ring_timer, g_source_remove);
  if (c->call)
    g_signal_handlers_disconnect_by_data (c->call, c);
  if (c->media)
    g_signal_handlers_disconnect_by_data (c->media, c);
  g_clear_object (&c->call);
  g_clear_object (&c->media);
  g_free (c->path);
  g_free (c);
}

static void
hang_up (DialerCall *c)
{
  g_autoptr(GError) error = NULL;

  c->hung_up_by_us = TRUE;
  if (!jarchi_call_manager_hangup (c->self->manager, c->call_id, &error))
    g_message ("campaign call %u: cannot hang up: %s", c->call_id, error->message);
}

/* The message starts once both are true: the callee answered and RTP flows. Either may come
 * first, depending on whether the 200 OK's SDP or its state change is handled first. */
static void
try_play (DialerCall *c)
{
  g_autoptr(GError) error = NULL;

  if (!c->answered || c->playing || c->media == NULL
      || jarchi_media_session_get_state (c->media) != JARCHI_MEDIA_STATE_RUNNING)
    return;
  c->playing = TRUE;
  if (!jarchi_media_session_play_file (c->media, c->path, FALSE, &error))
    {
      g_message ("campaign call %u: cannot play %s: %s", c->call_id, c->path, error->message);
      c->media_failed = TRUE;
      hang_up (c);
    }
}

static void
on_call_state (JarchiCall *call, GParamSpec *pspec, gpointer user_data)
{
  DialerCall *c = user_data;
  JarchiCallState state = jarchi_call_get_state (call);

  if (c->answered || (state != JARCHI_CALL_STATE_ACTIVE && state != JARCHI_CALL_STATE_REMOTE_HELD))
    return;
  c->answered = TRUE;
  g_clear_handle_id (&c->ring_timer, g_source_remove);
  jarchi_campaign_dialer_emit_call_answered (JARCHI_CAMPAIGN_DIALER (c->self), c->call_id);
  try_play (c);
}

static void
on_media_state (JarchiMediaSession *media, GParamSpec *pspec, gpointer user_data)
{
  DialerCall *c = user_data;

  if (jarchi_media_session_get_state (media) == JARCHI_MEDIA_STATE_FAILED && c->answered)
    {
      c->media_failed = TRUE;
      hang_up (c);
      return;
    }
  try_play (c);
}

static void
on_playback_finished (JarchiMediaSession *media, gpointer user_data)
{
  DialerCall *c = user_data;

  jarchi_campaign_dialer_emit_playback_finished (JARCHI_CAMPAIGN_DIALER (c->self), c->call_id);
}

static gboolean
ring_timeout_cb (gpointer user_data)
{
  DialerCall *c = user_data;

  c->ring_timer = 0;
  if (!c->answered)
    {
      c->timed_out = TRUE;
      hang_up (c);
    }
  return G_SOURCE_REMOVE;
}

static void
on_manager_call_ended (JarchiCallManager *manager, JarchiCall *call, gpointer user_data)
{
  JarchiCallManagerDialer *self = user_data;
  guint call_id = jarchi_call_get_id (call);
  guint code = jarchi_call_get_sip_code (call);
  DialerCall *c = NULL;
  JarchiDialOutcome outcome;

  if (!g_hash_table_steal_extended (self->calls, GUINT_TO_POINTER (call_id), NULL, (gpointer *) &c))
    return;

  if (c->answered || jarchi_call_get_answered_at (call) != 0)
    outcome = c->media_failed ? JARCHI_DIAL_OUTCOME_FAILED
              : c->hung_up_by_us ? JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US
              : JARCHI_DIAL_OUTCOME_REMOTE_HANGUP;
  else if (c->timed_out || c->hung_up_by_us)
    outcome = JARCHI_DIAL_OUTCOME_NO_ANSWER;
  else
    outcome = jarchi_dial_outcome_from_sip_code (code);

  dialer_call_free (c);
  jarchi_campaign_dialer_emit_call_ended (JARCHI_CAMPAIGN_DIALER (self), call_id, code, outcome);
}

static void
on_manager_dtmf (JarchiCallManager *manager, guint call_id, gchar digit, JarchiDtmfMethod method,
                 gpointer user_data)
{
  JarchiCallManagerDialer *self = user_data;

  if (g_hash_table_contains (self->calls, GUINT_TO_POINTER (call_id)))
    jarchi_campaign_dialer_emit_call_dtmf (JARCHI_CAMPAIGN_DIALER (self), call_id, digit, method);
}

/* ---- JarchiCampaignDialer --------------------------------------------------------------- */

static guint
place_call (JarchiCampaignDialer *dialer, guint account_id, const char *phone, guint media_id,
            guint ring_timeout_s, GError **error)
{
  JarchiCallManagerDialer *self = JARCHI_CALL_MANAGER_DIALER (dialer);
  g_autoptr(JarchiMedia) media = NULL;
  DialerCall *c;
  JarchiCall *call;
  guint call_id;

  media = jarchi_media_library_get (self->library, media_id, error);
  if (media == NULL)
    return 0;
  call_id = jarchi_call_manager_dial (self->manager, phone, account_id, error);
  if (call_id == 0)
    return 0;
  if (self->history)
    jarchi_call_history_exclude_call (self->history, call_id);

  c = g_new0 (DialerCall, 1);
  c->self = self;
  c->call_id = call_id;
  c->path = g_strdup (media->path);
  g_hash_table_insert (self->calls, GUINT_TO_POINTER (call_id), c);

  call = jarchi_call_manager_lookup_call (self->manager, call_id);
  if (call)
    {
      c->call = g_object_ref (call);
      g_signal_connect (call, "notify::state", G_CALLBACK (on_call_state), c);
    }
  c->media = jarchi_call_manager_get_media_session (self->manager, call_id);
  if (c->media)
    {
      g_object_ref (c->media);
      g_signal_connect (c->media, "notify::state", G_CALLBACK (on_media_state), c);
      g_signal_connect (c->media, "playback-finished", G_CALLBACK (on_playback_finished), c);
    }
  /* Our own timer: the manager's ring-timeout is one setting for every softphone call. */
  if (ring_timeout_s > 0)
    c->ring_timer = g_timeout_add_seconds (ring_timeout_s, ring_timeout_cb, c);
  return call_id;
}

static DialerCall *
lookup (JarchiCallManagerDialer *self, guint call_id, GError **error)
{
  DialerCall *c = g_hash_table_lookup (self->calls, GUINT_TO_POINTER (call_id));

  if (c == NULL)
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, _("There is no campaign call %u"), call_id);
  return c;
}

static gboolean
replay (JarchiCampaignDialer *dialer, guint call_id, GError **error)
{
  DialerCall *c = lookup (JARCHI_CALL_MANAGER_DIALER (dialer), call_id, error);

  if (c == NULL)
    return FALSE;
  if (c->media == NULL || !c->playing)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, _("The message is not playing on this call"));
      return FALSE;
    }
  return jarchi_media_session_play_file (c->media, c->path, FALSE, error);
}

static gboolean
hangup (JarchiCampaignDialer *dialer, guint call_id, GError **error)
{
  DialerCall *c = lookup (JARCHI_CALL_MANAGER_DIALER (dialer), call_id, error);

  if (c == NULL)
    return FALSE;
  c->hung_up_by_us = TRUE;
  return jarchi_call_manager_hangup (c->self->manager, call_id, error);
}

static void
jarchi_call_manager_dialer_iface_init (JarchiCampaignDialerInterface *iface)
{
  iface->place_call = place_call;
  iface->replay = replay;
  iface->hangup = hangup;
}

/* ---- object ----------------------------------------------------------------------------- */

static void
jarchi_call_manager_dialer_dispose (GObject *object)
{
  JarchiCallManagerDialer *self = JARCHI_CALL_MANAGER_DIALER (object);

  if (self->manager)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  if (self->calls)
    g_hash_table_remove_all (self->calls);
  g_clear_object (&self->manager);
  g_clear_object (&self->library);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (jarchi_call_manager_dialer_parent_class)->dispose (object);
}

static void
jarchi_call_manager_dialer_finalize (GObject *object)
{
  g_clear_pointer (&JARCHI_CALL_MANAGER_DIALER (object)->calls, g_hash_table_unref);
  G_OBJECT_CLASS (jarchi_call_manager_dialer_parent_class)->finalize (object);
}

static void
jarchi_call_manager_dialer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiCallManagerDialer *self = JARCHI_CALL_MANAGER_DIALER (object);

  switch (prop_id)
    {
    case PROP_MANAGER: g_value_set_object (value, self->manager); break;
    case PROP_LIBRARY: g_value_set_object (value, self->library); break;
    case PROP_HISTORY: g_value_set_object (value, self->history); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_call_manager_dialer_class_init (JarchiCallManagerDialerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_call_manager_dialer_dispose;
  object_class->finalize = jarchi_call_manager_dialer_finalize;
  object_class->get_property = jarchi_call_manager_dialer_get_property;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, JARCHI_TYPE_CALL_MANAGER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIBRARY] =
    g_param_spec_object ("library", NULL, NULL, JARCHI_TYPE_MEDIA_LIBRARY,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, JARCHI_TYPE_CALL_HISTORY,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_call_manager_dialer_init (JarchiCallManagerDialer *self)
{
  self->calls = g_hash_table_new_full (NULL, NULL, NULL, dialer_call_free);
}

JarchiCallManagerDialer *
jarchi_call_manager_dialer_new (JarchiCallManager *manager, JarchiMediaLibrary *library,
                                JarchiCallHistory *history)
{
  JarchiCallManagerDialer *self;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (manager), NULL);
  g_return_val_if_fail (JARCHI_IS_MEDIA_LIBRARY (library), NULL);
  g_return_val_if_fail (history == NULL || JARCHI_IS_CALL_HISTORY (history), NULL);

  self = g_object_new (JARCHI_TYPE_CALL_MANAGER_DIALER, NULL);
  self->manager = g_object_ref (manager);
  self->library = g_object_ref (library);
  self->history = history ? g_object_ref (history) : NULL;
  g_signal_connect (manager, "call-ended", G_CALLBACK (on_manager_call_ended), self);
  g_signal_connect (manager, "dtmf-received", G_CALLBACK (on_manager_dtmf), self);
  return self;
}
