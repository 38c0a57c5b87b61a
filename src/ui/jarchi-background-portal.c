/* JarchiBackgroundPortal: RequestBackground over plain GDBus, and its Request::Response. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-background-portal.h"

#define PORTAL_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"

struct _JarchiBackgroundPortal
{
  GObject                     parent_instance;

  GDBusConnection            *connection;
  GCancellable               *cancellable;
  guint                       response_id;  /* Request::Response subscription */
  char                       *reason;
  guint                       serial;       /* for handle tokens */
  JarchiBackgroundPermission  permission;
};

G_DEFINE_FINAL_TYPE (JarchiBackgroundPortal, jarchi_background_portal, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PERMISSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_permission (JarchiBackgroundPortal *self, JarchiBackgroundPermission permission)
{
  if (self->permission == permission)
    return;
  self->permission = permission;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERMISSION]);
}

static void
unsubscribe (JarchiBackgroundPortal *self)
{
  if (self->response_id != 0 && self->connection != NULL)
    g_dbus_connection_signal_unsubscribe (self->connection, self->response_id);
  self->response_id = 0;
}

/* Response (u response, a{sv} results): 0 and background=true is a yes; a refusal, a
 * cancelled dialog (1) or any other end (2) all mean Jarchi must not count on running on. */
static void
on_response (GDBusConnection *connection, const char *sender, const char *path,
             const char *interface, const char *signal, GVariant *parameters, gpointer user_data)
{
  JarchiBackgroundPortal *self = JARCHI_BACKGROUND_PORTAL (user_data);
  guint32 response = 2;
  g_autoptr(GVariant) results = NULL;
  gboolean background = FALSE;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    return;
  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  g_variant_lookup (results, "background", "b", &background);
  g_debug ("background portal: response %u, background %d", response, background);
  unsubscribe (self);
  set_permission (self, response == 0 && background ? JARCHI_BACKGROUND_ALLOWED
                                                     : JARCHI_BACKGROUND_DENIED);
}

static void
on_requested (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(JarchiBackgroundPortal) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  if (reply == NULL)
    {
      /* No portal, or one without the Background interface: nothing to ask, nothing to say. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("background portal: %s", error->message);
      unsubscribe (self);
    }
}

static void
send_request (JarchiBackgroundPortal *self)
{
  g_autofree char *sender = NULL;
  g_autofree char *token = NULL;
  g_autofree char *handle = NULL;
  GVariantBuilder options;

  /* The Response signal may come before the method's reply: subscribe to the request's
   * predicted path first, as the portal documentation says. */
  token = g_strdup_printf ("jarchi%u_%u", (guint) g_random_int_range (0, G_MAXINT), ++self->serial);
  sender = g_strdup (g_dbus_connection_get_unique_name (self->connection) + 1);
  g_strdelimit (sender, ".", '_');
  handle = g_strdup_printf (PORTAL_PATH "/request/%s/%s", sender, token);
  unsubscribe (self);
  self->response_id = g_dbus_connection_signal_subscribe (self->connection, PORTAL_NAME,
                                                          "org.freedesktop.portal.Request", "Response",
                                                          handle, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                          on_response, self, NULL);
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason", g_variant_new_string (self->reason));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (FALSE));
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));
  g_dbus_connection_call (self->connection, PORTAL_NAME, PORTAL_PATH,
                          "org.freedesktop.portal.Background", "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &options), G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, self->cancellable, on_requested,
                          g_object_ref (self));
}

static void
on_name_has_owner (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(JarchiBackgroundPortal) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  gboolean owned = FALSE;

  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("background portal: %s", error->message);
  if (owned)
    send_request (self);
  else
    g_debug ("background portal: not on the session bus, not asking");
}

void
jarchi_background_portal_request (JarchiBackgroundPortal *self, const char *reason)
{
  g_return_if_fail (JARCHI_IS_BACKGROUND_PORTAL (self));

  if (self->connection == NULL || self->response_id != 0)
    return;
  g_free (self->reason);
  self->reason = g_strdup (reason ? reason : "");
  /* Inside Flatpak the portal is the only way; outside, only a portal that is already running
   * is asked (the request must not start one just to say yes). */
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    send_request (self);
  else
    g_dbus_connection_call (self->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                            "org.freedesktop.DBus", "NameHasOwner", g_variant_new ("(s)", PORTAL_NAME),
                            G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable,
                            on_name_has_owner, g_object_ref (self));
}

JarchiBackgroundPermission
jarchi_background_portal_get_permission (JarchiBackgroundPortal *self)
{
  g_return_val_if_fail (JARCHI_IS_BACKGROUND_PORTAL (self), JARCHI_BACKGROUND_UNKNOWN);
  return self->permission;
}

/* --- GObject --- */

static void
jarchi_background_portal_dispose (GObject *object)
{
  JarchiBackgroundPortal *self = JARCHI_BACKGROUND_PORTAL (object);

  g_cancellable_cancel (self->cancellable);
  unsubscribe (self);
  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (jarchi_background_portal_parent_class)->dispose (object);
}

static void
jarchi_background_portal_finalize (GObject *object)
{
  g_free (JARCHI_BACKGROUND_PORTAL (object)->reason);

  G_OBJECT_CLASS (jarchi_background_portal_parent_class)->finalize (object);
}

static void
jarchi_background_portal_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_PERMISSION:
      g_value_set_int (value, JARCHI_BACKGROUND_PORTAL (object)->permission);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_background_portal_class_init (JarchiBackgroundPortalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_background_portal_dispose;
  object_class->finalize = jarchi_background_portal_finalize;
  object_class->get_property = jarchi_background_portal_get_property;

  /* A JarchiBackgroundPermission. */
  properties[PROP_PERMISSION] =
    g_param_spec_int ("permission", NULL, NULL, JARCHI_BACKGROUND_UNKNOWN, JARCHI_BACKGROUND_DENIED,
                      JARCHI_BACKGROUND_UNKNOWN,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_background_portal_init (JarchiBackgroundPortal *self)
{
  self->cancellable = g_cancellable_new ();
}

JarchiBackgroundPortal *
jarchi_background_portal_new (GDBusConnection *connection)
{
  JarchiBackgroundPortal *self = g_object_new (JARCHI_TYPE_BACKGROUND_PORTAL, NULL);

  self->connection = connection ? g_object_ref (connection) : NULL;
  return self;
}
