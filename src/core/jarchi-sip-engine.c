/* JarchiSipEngine: runs libre (SIP) in its own thread; commands in by id, events out as signals. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-sip"
#include "jarchi-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "jarchi-error.h"
#include "jarchi-sip-engine-private.h"
#include "jarchi-sip-uri.h"

/* How long the libre thread may take to set up before we give up on it: generous, as a
 * sanitizer build on a loaded machine is many times slower. */
#define STARTUP_TIMEOUT_S 30

struct _JarchiSipEngine
{
  GObject         parent_instance;
  GMainContext   *context;
  GThread        *thread;
  GMutex          lock;
  JarchiSipStack *stack;       /* shared with the libre thread (refcounted) */
  gboolean        running;     /* main thread only: commands may be pushed */
  gboolean        closed;      /* under lock: events are dropped */
  GQueue          pending;     /* under lock: attached event sources */
  char           *local_address;
  guint           port;
  GMutex          id_lock;     /* call ids are taken in both threads */
  guint           last_call_id;
  guint           id_limit;    /* ids below it are reserved in id_file */
  char           *id_file;
};

G_DEFINE_FINAL_TYPE (JarchiSipEngine, jarchi_sip_engine, G_TYPE_OBJECT)

enum {
  SIGNAL_REGISTRATION_CHANGED,
  SIGNAL_CALL_INCOMING,
  SIGNAL_CALL_PROGRESS,
  SIGNAL_CALL_MEDIA,
  SIGNAL_CALL_ENDED,
  SIGNAL_CALL_DTMF,
  SIGNAL_CALL_REFER,
  SIGNAL_TRANSFER_PROGRESS,
  SIGNAL_BROADCAST_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* libre keeps its loop state in globals: a second engine would share them. */
static gint engine_alive;

/* ---- plain data ------------------------------------------------------------------------------ */

JarchiSipEvent *
jarchi_sip_event_new (JarchiSipEventType type,
                      guint              id)
{
  JarchiSipEvent *ev = g_new0 (JarchiSipEvent, 1);

  ev->type = type;
  ev->id = id;
  return ev;
}

static void
event_free (gpointer data)
{
  JarchiSipEvent *ev = data;

  g_free (ev->str);
  g_free (ev->str2);
  g_free (ev->str3);
  g_free (ev);
}

/* ---- events: libre thread -> main context ------------------------------------------------------ */

typedef struct {
  JarchiSipEngine *engine;
  JarchiSipEvent  *event;
  GSource         *source;
} PendingEvent;

static void
pending_free (gpointer data)
{
  PendingEvent *p = data;

  event_free (p->event);
  g_free (p);
}

static gboolean
dispatch_event (gpointer data)
{
  PendingEvent *p = data;
  JarchiSipEngine *self = p->engine;
  JarchiSipEvent *ev = p->event;

  g_mutex_lock (&self->lock);
  g_queue_remove (&self->pending, p->source);
  g_mutex_unlock (&self->lock);

  switch (ev->type)
    {
    case JARCHI_SIP_EV_REGISTRATION:
      g_signal_emit (self, signals[SIGNAL_REGISTRATION_CHANGED], 0, ev->id, ev->state, ev->str,
                     ev->code);
      break;
    case JARCHI_SIP_EV_INCOMING:
      g_signal_emit (self, signals[SIGNAL_CALL_INCOMING], 0, ev->id, ev->other_id, ev->str,
                     ev->str2, ev->code);
      break;
    case JARCHI_SIP_EV_PROGRESS:
      g_signal_emit (self, signals[SIGNAL_CALL_PROGRESS], 0, ev->id, ev->state, ev->code);
      break;
    case JARCHI_SIP_EV_MEDIA:
      g_signal_emit (self, signals[SIGNAL_CALL_MEDIA], 0, ev->id, ev->str, ev->port, ev->str2,
                     ev->pt, ev->clock_rate, ev->dtmf_pt, ev->direction, ev->flag);
      break;
    case JARCHI_SIP_EV_ENDED:
      g_signal_emit (self, signals[SIGNAL_CALL_ENDED], 0, ev->id, ev->code, ev->str);
      break;
    case JARCHI_SIP_EV_DTMF:
      g_signal_emit (self, signals[SIGNAL_CALL_DTMF], 0, ev->id, ev->digit);
      break;
    case JARCHI_SIP_EV_REFER:
      g_signal_emit (self, signals[SIGNAL_CALL_REFER], 0, ev->id, ev->str, ev->str2);
      break;
    case JARCHI_SIP_EV_TRANSFER:
      g_signal_emit (self, signals[SIGNAL_TRANSFER_PROGRESS], 0, ev->id, ev->code);
      break;
    case JARCHI_SIP_EV_BROADCAST:
      g_signal_emit (self, signals[SIGNAL_BROADCAST_EVENT], 0, ev->id, ev->state, ev->code,
                     ev->digit, ev->other_id);
      break;
    default:
      g_assert_not_reached ();
    }
  return G_SOURCE_REMOVE;
}

void
jarchi_sip_engine_post_event (JarchiSipEngine *self,
                              JarchiSipEvent  *event)
{
  PendingEvent *p;

  g_mutex_lock (&self->lock);
  if (self->closed)
    {
      g_mutex_unlock (&self->lock);
      event_free (event);
      return;
    }
  /* An idle source on the captured context, like g_idle_add_full() does on the default one;
   * g_main_context_invoke() would run it right here in the libre thread when the context is
   * not owned by anyone at the moment. */
  p = g_new0 (PendingEvent, 1);
  p->engine = self;
  p->event = event;
  p->source = g_idle_source_new ();
  g_source_set_priority (p->source, G_PRIORITY_DEFAULT);
  g_source_set_callback (p->source, dispatch_event, p, pending_free);
  g_source_set_static_name (p->source, "[jarchi] SIP event");
  g_queue_push_tail (&self->pending, p->source);
  g_source_attach (p->source, self->context);
  g_source_unref (p->source);
  g_mutex_unlock (&self->lock);
}

/* ---- GObject ------------------------------------------------------------------------------------ */

static void
jarchi_sip_engine_dispose (GObject *object)
{
  jarchi_sip_engine_shutdown (JARCHI_SIP_ENGINE (object));
  G_OBJECT_CLASS (jarchi_sip_engine_parent_class)->dispose (object);
}

static void
jarchi_sip_engine_finalize (GObject *object)
{
  JarchiSipEngine *self = JARCHI_SIP_ENGINE (object);

  g_clear_pointer (&self->stack, jarchi_sip_stack_unref);
  g_free (self->local_address);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->id_lock);
  g_free (self->id_file);

  G_OBJECT_CLASS (jarchi_sip_engine_parent_class)->finalize (object);
}

static void
jarchi_sip_engine_class_init (JarchiSipEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GType type = G_TYPE_FROM_CLASS (klass);

  object_class->dispose = jarchi_sip_engine_dispose;
  object_class->finalize = jarchi_sip_engine_finalize;

  signals[SIGNAL_REGISTRATION_CHANGED] =
    g_signal_new ("registration-changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_UINT);
  signals[SIGNAL_CALL_INCOMING] =
    g_signal_new ("call-incoming", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 5,
                  G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT);
  signals[SIGNAL_CALL_PROGRESS] =
    g_signal_new ("call-progress", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_CALL_MEDIA] =
    g_signal_new ("call-media", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 9,
                  G_TYPE_UINT, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_UINT,
                  G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_BOOLEAN);
  signals[SIGNAL_CALL_ENDED] =
    g_signal_new ("call-ended", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING);
  signals[SIGNAL_CALL_DTMF] =
    g_signal_new ("call-dtmf", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_UINT, G_TYPE_CHAR);
  signals[SIGNAL_CALL_REFER] =
    g_signal_new ("call-refer", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_UINT, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_TRANSFER_PROGRESS] =
    g_signal_new ("transfer-progress", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  /* Campaign calls (jarchi-sip-broadcast.h): call id, JarchiSipBroadcastEvent, SIP code,
   * digit, detail. */
  signals[SIGNAL_BROADCAST_EVENT] =
    g_signal_new ("broadcast-event", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 5, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_CHAR, G_TYPE_UINT);
}

static void
jarchi_sip_engine_init (JarchiSipEngine *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->id_lock);
  g_queue_init (&self->pending);
}

JarchiSipEngine *
jarchi_sip_engine_new (const char  *local_address,
                       guint        sip_port,
                       GError     **error)
{
  g_autoptr(JarchiSipEngine) self = NULL;
  JarchiSipStack *stack;
  gboolean ready;
  gint64 deadline;

  g_return_val_if_fail (sip_port <= 65535, NULL);

  if (!g_atomic_int_compare_and_exchange (&engine_alive, 0, 1))
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_BUSY,
                           _("Another SIP engine is already running in this process"));
      return NULL;
    }

  self = g_object_new (JARCHI_TYPE_SIP_ENGINE, NULL);
  self->context = g_main_context_ref_thread_default ();
  self->local_address = g_strdup (local_address && *local_address ? local_address : "0.0.0.0");
  stack = self->stack = jarchi_sip_stack_new (self, self->local_address, sip_port);
  /* The thread holds its own reference: it may outlive us if it never gets ready. */
  self->thread = g_thread_new ("jarchi-sip", jarchi_sip_stack_thread, jarchi_sip_stack_ref (stack));

  deadline = g_get_monotonic_time () + STARTUP_TIMEOUT_S * G_TIME_SPAN_SECOND;
  g_mutex_lock (&stack->lock);
  while (!stack->ready)
    if (!g_cond_wait_until (&stack->cond, &stack->lock, deadline))
      break;
  ready = stack->ready;
  if (!ready)
    stack->abandoned = TRUE;
  if (ready && stack->init_error == NULL)
    self->port = sa_port (&stack->laddr);
  g_mutex_unlock (&stack->lock);

  if (!ready || stack->init_error != NULL)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NETWORK,
                   _("Could not start SIP on %s:%u: %s"), self->local_address, sip_port,
                   ready ? stack->init_error : _("timeout"));
      if (ready)
        {
          g_clear_pointer (&self->thread, g_thread_join);
          g_atomic_int_set (&engine_alive, 0);
        }
      else
        {
          /* It ends by itself once set up, but keeps libre's globals until then: no new
           * engine may start in this process meanwhile. */
          g_clear_pointer (&self->thread, g_thread_unref);
        }
      self->closed = TRUE;
      return NULL;
    }
  self->running = TRUE;
  return g_steal_pointer (&self);
}

guint
jarchi_sip_engine_get_port (JarchiSipEngine *self)
{
  g_return_val_if_fail (JARCHI_IS_SIP_ENGINE (self), 0);
  return self->port;
}

const char *
jarchi_sip_engine_get_local_address (JarchiSipEngine *self)
{
  g_return_val_if_fail (JARCHI_IS_SIP_ENGINE (self), NULL);
  return self->local_address;
}

/* Ids are reserved in blocks in the id file, so one write covers many calls and a crash can
 * only skip ids, never hand one out twice. */
#define CALL_ID_BLOCK 1000

static void
reserve_call_ids (JarchiSipEngine *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  self->id_limit = self->last_call_id + CALL_ID_BLOCK;
  text = g_strdup_printf ("%u\n", self->id_limit);
  if (!g_file_set_contents (self->id_file, text, -1, &error))
    g_warning ("Could not save the call id counter: %s", error->message);
}

void
jarchi_sip_engine_set_call_id_file (JarchiSipEngine *self,
                                    const char      *path)
{
  g_autofree char *text = NULL;
  guint64 saved = 0;

  g_return_if_fail (JARCHI_IS_SIP_ENGINE (self));
  g_return_if_fail (path != NULL);

  g_mutex_lock (&self->id_lock);
  g_free (self->id_file);
  self->id_file = g_strdup (path);
  if (g_file_get_contents (path, &text, NULL, NULL))
    saved = g_ascii_strtoull (text, NULL, 10);
  /* Start past every id an earlier run may have handed out; wrap long before guint does. */
  if (saved > self->last_call_id && saved < G_MAXUINT32 - 2 * CALL_ID_BLOCK)
    self->last_call_id = (guint) saved;
  reserve_call_ids (self);
  g_mutex_unlock (&self->id_lock);
}

guint
jarchi_sip_engine_new_call_id (JarchiSipEngine *self)
{
  guint id;

  g_mutex_lock (&self->id_lock);
  if (self->last_call_id >= G_MAXUINT32 - 2 * CALL_ID_BLOCK)
    self->last_call_id = 0;
  id = ++self->last_call_id;
  if (self->id_file != NULL && id >= self->id_limit)
    reserve_call_ids (self);
  g_mutex_unlock (&self->id_lock);
  return id;
}

static gboolean
push (JarchiSipEngine  *self,
      JarchiSipCmd     *cmd,
      GError          **error)
{
  int err = 0;

  if (!self->running)
    {
      jarchi_sip_cmd_free (cmd);
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_FAILED, _("The SIP engine is stopped"));
      return FALSE;
    }
  /* The queue is a pipe: when the libre thread is behind, give it a moment to drain.  The
   * thread frees the queue under the lock when it ends, whatever made it end. */
  for (guint i = 0; i < 100; i++)
    {
      g_mutex_lock (&self->stack->lock);
      err = self->stack->mq ? mqueue_push (self->stack->mq, cmd->type, cmd) : EPIPE;
      g_mutex_unlock (&self->stack->lock);
      if (err != EAGAIN && err != EWOULDBLOCK)
        break;
      g_usleep (2000);
    }
  if (err)
    {
      jarchi_sip_cmd_free (cmd);
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY, _("The SIP engine is overloaded (%s)"),
                   g_strerror (err));
      return FALSE;
    }
  return TRUE;
}

static JarchiSipCmd *
cmd_new (JarchiSipCmdType type,
         guint            id)
{
  JarchiSipCmd *cmd = g_new0 (JarchiSipCmd, 1);

  cmd->type = type;
  cmd->id = id;
  return cmd;
}

JarchiSipCmd *
jarchi_sip_cmd_new (JarchiSipCmdType type,
                    guint            id)
{
  return cmd_new (type, id);
}

gboolean
jarchi_sip_engine_push_command (JarchiSipEngine  *self,
                                JarchiSipCmd     *cmd,
                                GError          **error)
{
  g_return_val_if_fail (JARCHI_IS_SIP_ENGINE (self), FALSE);
  return push (self, cmd, error);
}

void
jarchi_sip_engine_shutdown (JarchiSipEngine *self)
{
  g_return_if_fail (JARCHI_IS_SIP_ENGINE (self));

  if (self->thread == NULL)
    return;
  if (self->running)
    {
      (void) push (self, cmd_new (JARCHI_SIP_CMD_QUIT, 0), NULL);
      self->running = FALSE;
    }
  g_clear_pointer (&self->thread, g_thread_join);

  /* Events still queued refer to a stack that is gone. */
  g_mutex_lock (&self->lock);
  self->closed = TRUE;
  while (!g_queue_is_empty (&self->pending))
    g_source_destroy (g_queue_pop_head (&self->pending));
  g_mutex_unlock (&self->lock);
  g_atomic_int_set (&engine_alive, 0);
}

/* ---- commands --------------------------------------------------------------------------------- */

static char *
with_transport (const char      *uri,
                JarchiTransport  transport)
{
  if (transport == JARCHI_TRANSPORT_UDP || strstr (uri, ";transport=") != NULL)
    return g_strdup (uri);
  return g_strdup_printf ("%s;transport=%s", uri, jarchi_transport_to_string (transport));
}

static char *
as_route (const char      *addr,
          JarchiTransport  transport)
{
  g_autofree char *uri = NULL;
  g_autofree char *lr = NULL;

  if (addr == NULL || *addr == '\0')
    return NULL;
  uri = g_ascii_strncasecmp (addr, "sip:", 4) == 0 ? g_strdup (addr)
                                                   : g_strconcat ("sip:", addr, NULL);
  lr = strstr (uri, ";lr") ? g_strdup (uri) : g_strconcat (uri, ";lr", NULL);
  return with_transport (lr, transport);
}

gboolean
jarchi_sip_engine_register (JarchiSipEngine  *self,
                            JarchiAccount    *account,
                            GError          **error)
{
  JarchiSipAccountConfig *cfg;
  JarchiSipCmd *cmd;
  g_autofree char *registrar = NULL;
  JarchiTransport transport;

  g_return_val_if_fail (JARCHI_IS_SIP_ENGINE (self), FALSE);
  g_return_val_if_fail (JARCHI_IS_ACCOUNT (account), FALSE);

  if (!jarchi_account_validate (account, error))
    return FALSE;
  if (jarchi_account_get_id (account) == 0)
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                           _("The account has no id"));
      return FALSE;
    }

  transport = jarchi_account_get_transport (account);
  registrar = jarchi_account_dup_effective_registrar (account);
  cfg = g_new0 (JarchiSipAccountConfig, 1);
  cfg->id = jarchi_account_get_id (account);
  cfg->aor = g_strdup (jarchi_account_get_uri (account));
  cfg->display_name = g_strdup (jarchi_account_get_display_name (account));
  cfg->registrar = with_transport (registrar, transport);
  cfg->contact_user = jarchi_account_dup_user (account);
  cfg->auth_user = g_strdup (*jarchi_account_get_username (account)
                               ? jarchi_account_get_username (account)
                               : cfg->contact_user);
  cfg->password = g_strdup (jarchi_account_get_password (account));
  cfg->outbound_proxy = as_route (jarchi_account_get_outbound_proxy (account), transport);
  /* Calls go through the outbound proxy, else through an explicitly configured registrar
   * (a PBX), else straight to the domain of the dialled URI. */
  if (cfg->outbound_proxy != NULL)
    cfg->call_route = g_strdup (cfg->outbound_proxy);
  else if (*jarchi_account_get_registrar (account) != '\0')
    cfg->call_route = as_route (strchr (registrar, ':') + 1, transport);
  cfg->transport = transport;
  cfg->tls_verify = jarchi_account_get_tls_verify (account);
  cfg->expires = jarchi_account_get_expires (account);
  cfg->keepalive = jarchi_account_get_keepalive_interval (account);

  cmd = cmd_new (JARCHI_SIP_CMD_REGISTER, cfg->id);
  cmd->account = cfg;
  return push (self, cmd, error);
}

gboolean
jarchi_sip_engine_unregister (JarchiSipEngine  *self,
                              guint             account_id,
                              GError          **error)
{
  g_return_val_if_fail (JARCHI_IS_SIP_ENGINE (self), FALSE);
  return push (self, cmd_new (JARCHI_SIP_CMD_UNREGISTER, account_id), error);
}

gboolean
jarchi_sip_engine_dial (JarchiSipEngine  *self,
                        guint             call_id,
                        guint             account_id,
                        const char       *uri,
                        guint16           media_port,
                        guint             ring_timeout_s,
                        const char       *replaces,
                        GError          **error)
{
  JarchiSipCmd *cmd;

  g_return_val_if_fail (JARCHI_IS_SIP_ENGINE (self), FALSE);
  g_return_val_if_fail (call_id != 0, FALSE);

  if (!jarchi_sip_uri_parse (uri, NULL, NULL, NULL, NULL))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a SIP address"), uri ? uri : "");
      return FALSE;
    }
  cmd = cmd_new (JARCHI_SIP_CMD_DIAL, call_id);
  cmd->other_id = account_id;
  cmd->str = g_strdup (uri);
  cmd->str2 = g_strdup (replaces);
  cmd->port = media_port;
  cmd->timeout_s = ring_timeout_s;
  return push (self, cmd, error);
}

gboolean
jarchi_sip_engine_answer (JarchiSipEngine  *self,
                          guint             call_id,
                          guint16           media_port,
                          GError          **error)
{
  JarchiSipCmd *cmd;

  g_return_val_if_fail (JARCHI_IS_SIP_ENGINE (self), FALSE);
  cmd = cmd_new (JARCHI_SIP_CMD_ANSWER, call_id);
  cmd->port = media_port;
  return push (self, cmd, error);
}

gboolean
jarchi_sip_engine_reject (JarchiSipEngine  *self,
                          guint             call_id,
                          guint             code,
                          GError          **error)
{
  JarchiSipCmd *cmd;

  g_return_val_if_fail (JARCHI_IS_SIP_ENGINE (self), FALSE);
  if (code < 400 || code > 699)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("%u is not a rejection code"), code);
      return FALSE;
    }
  cmd = cmd_new (JARCHI_SIP_CMD_REJECT, call_id);
  cmd->code = code;
  return push (self, cmd, error);
}

gboolean
jarchi_sip_engine_hangup (JarchiSipEngine  *self,
                          guint             call_id,
                          GError          **error)
{
  g_return_val_if_fail (JARCHI_IS_SIP_ENGINE (self), FALSE);
  return push (self, cmd_new (JARCHI_SIP_CMD_HANGUP, call_id), error);
}

gboolean
jarchi_sip_engine_hold (JarchiSipEngine  *self,
                        guint             call_id,
                        gboolean          hold,
                        GError          **error)
{
  JarchiSipCmd *cmd;

  g_return_val_if_fail (JARCHI_IS_SIP_ENGINE (self), FALSE);
  cmd = cmd_new (JARCHI_SIP_CMD_HOLD, call_id);
  cmd->flag = hold;
  return push (self, cmd, error);
}

gboolean
jarchi_sip_engine_send_info_dtmf (JarchiSipEngine  *self,
                                  guint             call_id,
                                  char              digit,
                                  guint             duration_ms,
                                  GError          **error)
{
  JarchiSipCmd *cmd;

  g_return_val_if_fail (JARCHI_IS_SIP_ENGINE (self), FALSE);
  if (strchr ("0123456789*#ABCDabcd", digit) == NULL || digit == '\0')
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("“%c” is not a DTMF digit"), digit);
      return FALSE;
    }
  cmd = cmd_new (JARCHI_SIP_CMD_INFO_DTMF, call_id);
  cmd->digit = g_ascii_toupper (digit);
  cmd->code = duration_ms;
  return push (self, cmd, error);
}

gboolean
jarchi_sip_engine_refer (JarchiSipEngine  *self,
                         guint             call_id,
                         const char       *target,
                         guint             other_call_id,
                         GError          **error)
{
  JarchiSipCmd *cmd;

  g_return_val_if_fail (JARCHI_IS_SIP_ENGINE (self), FALSE);
  if (other_call_id == 0 && !jarchi_sip_uri_parse (target, NULL, NULL, NULL, NULL))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a SIP address"), target ? target : "");
      return FALSE;
    }
  cmd = cmd_new (JARCHI_SIP_CMD_REFER, call_id);
  cmd->str = g_strdup (target);
  cmd->other_id = other_call_id;
  return push (self, cmd, error);
}

gboolean
jarchi_sip_engine_notify_refer (JarchiSipEngine  *self,
                                guint             call_id,
                                guint             code,
                                GError          **error)
{
  JarchiSipCmd *cmd;

  g_return_val_if_fail (JARCHI_IS_SIP_ENGINE (self), FALSE);
  cmd = cmd_new (JARCHI_SIP_CMD_NOTIFY_REFER, call_id);
  cmd->code = code;
  return push (self, cmd, error);
}
