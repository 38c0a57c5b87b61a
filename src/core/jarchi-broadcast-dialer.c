/* JarchiBroadcastDialer: campaign calls on the SIP engine's lean RTP path — the message encoded once and shared, no media pipeline per call. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-campaign"
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-audio-decoder.h"
#include "jarchi-broadcast-dialer.h"
#include "jarchi-error.h"
#include "jarchi-sip-broadcast.h"
#include "jarchi-sip-uri.h"

typedef struct {
  guint    id;
  gboolean answered;
  /* Placed while its message was still being decoded: dialled when it is ready. */
  gboolean waiting;
  guint    account_id;
  guint    media_id;
  guint    ring_timeout_s;
  gint64   placed_at;  /* monotonic µs, while waiting */
  char    *uri;
} DialerCall;

/* A message of the library, decoded and encoded in a worker thread: GStreamer takes from a
 * few hundred milliseconds to seconds for a long message, which must not stall the main loop
 * (the HTTP API, the campaign runner) at a campaign's first call. */
typedef struct {
  JarchiBroadcastDialer     *self;
  guint                      media_id;
  JarchiSipBroadcastMessage *message;  /* NULL while it is being decoded */
  GPtrArray                 *tasks;    /* GTask: prepare_async () callers waiting for it */
  /* Calls placed while it was decoded, in order (ids).  They go out with at least the spacing
   * they were placed with (a gap longer than SPACING_WINDOW_US counts as that long), and
   * calls placed later queue behind them: so no second at the SIP level holds more INVITEs
   * than a second of the campaign's placing did, and the lag the decode caused wears off
   * at the campaign's first pause. */
  GQueue                     waiting;
  gint64                     last_placed;    /* monotonic µs; 0: none yet */
  gint64                     last_released;
  guint                      release_id;
} Message;

struct _JarchiBroadcastDialer
{
  GObject             parent_instance;
  JarchiCallManager  *manager;
  JarchiMediaLibrary *library;
  JarchiSipEngine    *engine;
  GHashTable         *calls;     /* call id -> DialerCall */
  GHashTable         *messages;  /* media id -> Message */
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

/* The window in which campaigns count their calls per second. */
#define SPACING_WINDOW_US G_USEC_PER_SEC

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

static void
dialer_call_free (gpointer data)
{
  DialerCall *c = data;

  g_free (c->uri);
  g_free (c);
}

static void
message_free (gpointer data)
{
  Message *m = data;

  g_clear_pointer (&m->message, jarchi_sip_broadcast_message_unref);
  g_ptr_array_unref (m->tasks);
  g_queue_clear (&m->waiting);
  g_clear_handle_id (&m->release_id, g_source_remove);
  g_free (m);
}

/* Worker thread: the file to 8 kHz PCM once, then to both G.711 laws (the peer picks one). */
static void
decode_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  g_autoptr(GBytes) pcm = jarchi_audio_decode_file (path, 0, NULL, &error);
  g_autoptr(GBytes) ulaw = NULL;
  g_autoptr(GBytes) alaw = NULL;
  JarchiSipBroadcastMessage *message = NULL;

  if (pcm != NULL && (ulaw = jarchi_audio_encode_g711 (pcm, JARCHI_G711_ULAW, &error)) != NULL &&
      (alaw = jarchi_audio_encode_g711 (pcm, JARCHI_G711_ALAW, &error)) != NULL)
    message = jarchi_sip_broadcast_message_new (ulaw, alaw, &error);
  if (message != NULL)
    g_task_return_pointer (task, message, (GDestroyNotify) jarchi_sip_broadcast_message_unref);
  else
    g_task_return_error (task, error);
}

static void dial_waiting (Message *m, const GError *error);

static void
decode_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  JarchiBroadcastDialer *self = JARCHI_BROADCAST_DIALER (source);
  guint media_id = GPOINTER_TO_UINT (user_data);
  g_autoptr(GError) error = NULL;
  JarchiSipBroadcastMessage *message = g_task_propagate_pointer (G_TASK (result), &error);
  Message *m = g_hash_table_lookup (self->messages, GUINT_TO_POINTER (media_id));
  g_autoptr(GPtrArray) tasks = NULL;

  if (m != NULL && m->message == NULL)
    {
      tasks = g_steal_pointer (&m->tasks);
      m->tasks = g_ptr_array_new_with_free_func (g_object_unref);
      if (message != NULL)
        m->message = jarchi_sip_broadcast_message_ref (message);
      if (self->engine != NULL)
        dial_waiting (m, error);
      if (message == NULL)
        /* Not kept: the next call tries again (the file may be back). */
        g_hash_table_remove (self->messages, GUINT_TO_POINTER (media_id));
    }
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_clear_pointer (&message, jarchi_sip_broadcast_message_unref);
}

/* The message of MEDIA_ID, or NULL while it is decoded (started now if it was not). Fails
 * at once only when the library has no such media. */
static Message *
get_message (JarchiBroadcastDialer  *self,
             guint                   media_id,
             GError                **error)
{
  Message *m = g_hash_table_lookup (self->messages, GUINT_TO_POINTER (media_id));
  g_autoptr(JarchiMedia) media = NULL;
  g_autoptr(GTask) task = NULL;

  if (m != NULL)
    return m;
  media = jarchi_media_library_get (self->library, media_id, error);
  if (media == NULL)
    return NULL;
  m = g_new0 (Message, 1);
  m->self = self;
  m->media_id = media_id;
  m->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_insert (self->messages, GUINT_TO_POINTER (media_id), m);
  task = g_task_new (self, NULL, decode_done, GUINT_TO_POINTER (media_id));
  g_task_set_source_tag (task, get_message);
  g_task_set_task_data (task, g_strdup (media->path), g_free);
  g_task_run_in_thread (task, decode_thread);
  return m;
}

static void
on_media_removed (JarchiMediaLibrary    *library,
                  gint64                 media_id,
                  JarchiBroadcastDialer *self)
{
  Message *m = g_hash_table_lookup (self->messages, GUINT_TO_POINTER ((guint) media_id));

  /* Calls still playing it keep their own reference; one being decoded finishes for the
   * calls and callers waiting for it. */
  if (m != NULL && m->message != NULL && g_queue_is_empty (&m->waiting))
    g_hash_table_remove (self->messages, GUINT_TO_POINTER ((guint) media_id));
}

void
jarchi_broadcast_dialer_prepare_async (JarchiBroadcastDialer *self,
                                       guint                  media_id,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Message *m;

  g_return_if_fail (JARCHI_IS_BROADCAST_DIALER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jarchi_broadcast_dialer_prepare_async);
  m = get_message (self, media_id, &error);
  if (m == NULL)
    g_task_return_error (task, error);
  else if (m->message != NULL)
    g_task_return_boolean (task, TRUE);
  else
    g_ptr_array_add (m->tasks, g_steal_pointer (&task));
}

gboolean
jarchi_broadcast_dialer_prepare_finish (JarchiBroadcastDialer  *self,
                                        GAsyncResult           *result,
                                        GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- JarchiCampaignDialer ---------------------------------------------------------------- */

static gboolean
dial (JarchiBroadcastDialer      *self,
      DialerCall                 *c,
      const char                 *uri,
      JarchiSipBroadcastMessage  *message,
      GError                    **error)
{
  return jarchi_sip_broadcast_dial (self->engine, c->id, c->account_id, uri, c->ring_timeout_s,
                                    message, error);
}

/* When a call placed at PLACED_AT may go out, after the one released last. */
static gint64
due_time (Message *m,
          gint64   placed_at)
{
  if (m->last_released == 0)
    return 0;
  return m->last_released + MIN (placed_at - m->last_placed, SPACING_WINDOW_US);
}

/* The waiting calls that are due go out; the timer is set for the next one. */
static gboolean
release_due (gpointer data)
{
  Message *m = data;
  JarchiBroadcastDialer *self = m->self;
  gpointer id;

  m->release_id = 0;
  while (m->message != NULL && (id = g_queue_peek_head (&m->waiting)) != NULL)
    {
      DialerCall *c = g_hash_table_lookup (self->calls, id);
      g_autoptr(GError) error = NULL;
      gint64 now = g_get_monotonic_time ();
      gint64 due = c != NULL ? due_time (m, c->placed_at) : 0;

      if (c != NULL && c->waiting && due > now)
        {
          m->release_id = g_timeout_add ((guint) ((due - now + 999) / 1000), release_due, m);
          break;
        }
      g_queue_pop_head (&m->waiting);
      if (c == NULL || !c->waiting)
        continue;                                 /* hung up meanwhile */
      c->waiting = FALSE;
      m->last_placed = c->placed_at;
      /* The time it was due, not the (later) time this timer ran: lateness is not carried
       * over to every call after it. */
      m->last_released = due > 0 ? due : now;
      if (!dial (self, c, c->uri, m->message, &error))
        {
          g_message ("campaign call %u: %s", c->id, error->message);
          finish (self, c->id, 0, JARCHI_SIP_BROADCAST_END_NETWORK);
          continue;
        }
      g_clear_pointer (&c->uri, g_free);
    }
  return G_SOURCE_REMOVE;
}

/* M is decoded (or failed, ERROR): the calls placed meanwhile go out, or end as failed. */
static void
dial_waiting (Message      *m,
              const GError *error)
{
  JarchiBroadcastDialer *self = m->self;
  gpointer id;

  if (error == NULL)
    {
      release_due (m);
      return;
    }
  while ((id = g_queue_pop_head (&m->waiting)) != NULL)
    {
      DialerCall *c = g_hash_table_lookup (self->calls, id);

      if (c == NULL || !c->waiting)
        continue;
      c->waiting = FALSE;
      g_message ("campaign call %u: %s", c->id, error->message);
      finish (self, c->id, 0, JARCHI_SIP_BROADCAST_END_NETWORK);
    }
}

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
  Message *m;
  g_autofree char *domain = NULL;
  g_autofree char *uri = NULL;
  DialerCall *c;

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
  m = get_message (self, media_id, error);
  if (m == NULL)
    return 0;

  c = g_new0 (DialerCall, 1);
  c->id = jarchi_sip_engine_new_call_id (self->engine);
  c->account_id = account ? jarchi_account_get_id (account) : 0;
  c->media_id = media_id;
  c->ring_timeout_s = ring_timeout_s;
  c->placed_at = g_get_monotonic_time ();
  if (m->message == NULL || !g_queue_is_empty (&m->waiting) ||
      due_time (m, c->placed_at) > c->placed_at)
    {
      c->waiting = TRUE;
      c->uri = g_steal_pointer (&uri);
      g_queue_push_tail (&m->waiting, GUINT_TO_POINTER (c->id));
      if (m->message != NULL && m->release_id == 0)
        m->release_id = g_timeout_add ((guint) ((due_time (m, c->placed_at) - c->placed_at + 999) / 1000),
                                       release_due, m);
    }
  else if (!dial (self, c, uri, m->message, error))
    {
      dialer_call_free (c);
      return 0;
    }
  else
    {
      m->last_placed = m->last_released = c->placed_at;
    }
  g_hash_table_insert (self->calls, GUINT_TO_POINTER (c->id), c);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CALLS]);
  return c->id;
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
  if (!c->waiting && jarchi_call_manager_get_engine (self->manager) != NULL)
    return jarchi_sip_broadcast_hangup (self->engine, call_id, error);
  /* Not dialled yet (its message is still being decoded), or the engine is gone: no event
   * will end it, so we do, from the main loop like the engine's events. */
  c->waiting = FALSE;

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
  gpointer key, value;

  if (self->engine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->engine, self);
      /* Nobody would hear how they end: end them, or they would play on. */
      g_hash_table_iter_init (&iter, self->calls);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!((DialerCall *) value)->waiting)
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
  self->calls = g_hash_table_new_full (NULL, NULL, NULL, dialer_call_free);
  self->messages = g_hash_table_new_full (NULL, NULL, NULL, message_free);
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
