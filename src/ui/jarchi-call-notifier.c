/* JarchiCallNotifier: GNotification glue for incoming calls; works whether or not a window is open. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-call-notifier.h"
#include "jarchi-call-view.h"

struct _JarchiCallNotifier
{
  GObject            parent_instance;

  GApplication      *app;      /* not referenced */
  JarchiCallManager *manager;
  JarchiContactBook *book;
  GHashTable        *ringing;  /* call id -> JarchiCall we notified about */
  gboolean           do_not_disturb;
};

G_DEFINE_FINAL_TYPE (JarchiCallNotifier, jarchi_call_notifier, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_APPLICATION,
  PROP_MANAGER,
  PROP_CONTACT_BOOK,
  PROP_DO_NOT_DISTURB,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define REFUSED_KEY "jarchi-do-not-disturb"

char *
jarchi_call_notifier_dup_notification_id (guint call_id)
{
  return g_strdup_printf ("incoming-call-%u", call_id);
}

static void
withdraw (JarchiCallNotifier *self, JarchiCall *call)
{
  guint id = jarchi_call_get_id (call);
  g_autofree char *notification_id = NULL;

  if (!g_hash_table_contains (self->ringing, GUINT_TO_POINTER (id)))
    return;
  g_signal_handlers_disconnect_by_data (call, self);
  notification_id = jarchi_call_notifier_dup_notification_id (id);
  g_application_withdraw_notification (self->app, notification_id);
  g_hash_table_remove (self->ringing, GUINT_TO_POINTER (id));
}

static void
call_state_changed (JarchiCall *call, GParamSpec *pspec, JarchiCallNotifier *self)
{
  /* Answered here or elsewhere, declined, cancelled: no longer ringing. */
  if (jarchi_call_get_state (call) != JARCHI_CALL_STATE_INCOMING)
    withdraw (self, call);
}

static void
incoming_call (JarchiCallNotifier *self, JarchiCall *call, JarchiCallManager *manager)
{
  JarchiAccount *account = jarchi_call_manager_lookup_account (manager, jarchi_call_get_account_id (call));
  guint id = jarchi_call_get_id (call);
  g_autofree char *title = jarchi_call_dup_remote_title (call, self->book);
  g_autofree char *number = jarchi_call_dup_remote_number (call);
  g_autofree char *notification_id = jarchi_call_notifier_dup_notification_id (id);
  g_autofree char *body = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = g_themed_icon_new ("call-start-symbolic");

  /* Busy rather than unanswered: the caller hears at once that nobody will pick up, and no
   * sound, notification or tray attention reaches the person who asked not to be disturbed. */
  if (self->do_not_disturb && jarchi_call_get_state (call) == JARCHI_CALL_STATE_INCOMING)
    {
      g_autoptr(GError) error = NULL;

      g_object_set_data (G_OBJECT (call), REFUSED_KEY, GINT_TO_POINTER (1));
      if (!jarchi_call_manager_reject_with_reason (manager, id, 486,
                                                   /* TRANSLATORS: why a call ended, in History */
                                                   _("do not disturb"), &error))
        g_message ("do not disturb: cannot turn down call %u: %s", id, error->message);
      return;
    }
  /* An account that answers by itself needs nobody to press a button. */
  if (account != NULL && jarchi_account_get_auto_answer (account))
    return;
  if (jarchi_call_get_state (call) != JARCHI_CALL_STATE_INCOMING)
    return;

  if (g_strcmp0 (title, number) != 0)
    /* TRANSLATORS: the caller in an incoming call notification: "Alice Karimova (1001)" */
    body = g_strdup_printf (_("%s (%s)"), title, number);
  else
    body = g_strdup (title);

  notification = g_notification_new (_("Incoming Call"));
  g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  /* Urgent: a ringing call must not time out on screen; it is withdrawn when it stops. */
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_add_button_with_target (notification, _("Decline"), "app.decline", "u", id);
  g_notification_add_button_with_target (notification, _("Answer"), "app.answer", "u", id);

  g_hash_table_insert (self->ringing, GUINT_TO_POINTER (id), g_object_ref (call));
  g_signal_connect_object (call, "notify::state", G_CALLBACK (call_state_changed), self, 0);
  g_application_send_notification (self->app, notification_id, notification);
}

static void
call_ended (JarchiCallNotifier *self, JarchiCall *call, JarchiCallManager *manager)
{
  withdraw (self, call);
}

/* --- GObject --- */

static void
jarchi_call_notifier_constructed (GObject *object)
{
  JarchiCallNotifier *self = JARCHI_CALL_NOTIFIER (object);

  G_OBJECT_CLASS (jarchi_call_notifier_parent_class)->constructed (object);

  g_return_if_fail (G_IS_APPLICATION (self->app) && JARCHI_IS_CALL_MANAGER (self->manager));
  g_signal_connect_object (self->manager, "incoming-call", G_CALLBACK (incoming_call), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "call-ended", G_CALLBACK (call_ended), self,
                           G_CONNECT_SWAPPED);
}

static void
jarchi_call_notifier_dispose (GObject *object)
{
  JarchiCallNotifier *self = JARCHI_CALL_NOTIFIER (object);

  if (self->ringing != NULL)
    {
      g_autoptr(GList) calls = g_hash_table_get_values (self->ringing);

      for (GList *l = calls; l != NULL; l = l->next)
        withdraw (self, l->data);
    }
  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  g_clear_object (&self->manager);
  g_clear_object (&self->book);
  self->app = NULL;

  G_OBJECT_CLASS (jarchi_call_notifier_parent_class)->dispose (object);
}

static void
jarchi_call_notifier_finalize (GObject *object)
{
  JarchiCallNotifier *self = JARCHI_CALL_NOTIFIER (object);

  g_clear_pointer (&self->ringing, g_hash_table_unref);

  G_OBJECT_CLASS (jarchi_call_notifier_parent_class)->finalize (object);
}

static void
jarchi_call_notifier_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiCallNotifier *self = JARCHI_CALL_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_APPLICATION: g_value_set_object (value, self->app); break;
    case PROP_MANAGER: g_value_set_object (value, self->manager); break;
    case PROP_CONTACT_BOOK: g_value_set_object (value, self->book); break;
    case PROP_DO_NOT_DISTURB: g_value_set_boolean (value, self->do_not_disturb); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_call_notifier_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  JarchiCallNotifier *self = JARCHI_CALL_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_APPLICATION: self->app = g_value_get_object (value); break;
    case PROP_MANAGER: self->manager = g_value_dup_object (value); break;
    case PROP_CONTACT_BOOK: self->book = g_value_dup_object (value); break;
    case PROP_DO_NOT_DISTURB:
      jarchi_call_notifier_set_do_not_disturb (self, g_value_get_boolean (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_call_notifier_class_init (JarchiCallNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = jarchi_call_notifier_constructed;
  object_class->dispose = jarchi_call_notifier_dispose;
  object_class->finalize = jarchi_call_notifier_finalize;
  object_class->get_property = jarchi_call_notifier_get_property;
  object_class->set_property = jarchi_call_notifier_set_property;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, G_TYPE_APPLICATION, co);
  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, JARCHI_TYPE_CALL_MANAGER, co);
  properties[PROP_CONTACT_BOOK] =
    g_param_spec_object ("contact-book", NULL, NULL, JARCHI_TYPE_CONTACT_BOOK, co);
  properties[PROP_DO_NOT_DISTURB] =
    g_param_spec_boolean ("do-not-disturb", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_call_notifier_init (JarchiCallNotifier *self)
{
  self->ringing = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
}

JarchiCallNotifier *
jarchi_call_notifier_new (GApplication *app, JarchiCallManager *manager, JarchiContactBook *book)
{
  return g_object_new (JARCHI_TYPE_CALL_NOTIFIER,
                       "application", app,
                       "manager", manager,
                       "contact-book", book,
                       NULL);
}

void
jarchi_call_notifier_set_do_not_disturb (JarchiCallNotifier *self, gboolean do_not_disturb)
{
  g_return_if_fail (JARCHI_IS_CALL_NOTIFIER (self));
  do_not_disturb = !!do_not_disturb;
  if (self->do_not_disturb == do_not_disturb)
    return;
  self->do_not_disturb = do_not_disturb;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DO_NOT_DISTURB]);
}

gboolean
jarchi_call_notifier_get_do_not_disturb (JarchiCallNotifier *self)
{
  g_return_val_if_fail (JARCHI_IS_CALL_NOTIFIER (self), FALSE);
  return self->do_not_disturb;
}

gboolean
jarchi_call_notifier_is_refused (JarchiCall *call)
{
  g_return_val_if_fail (JARCHI_IS_CALL (call), FALSE);
  return g_object_get_data (G_OBJECT (call), REFUSED_KEY) != NULL;
}
