/* JarchiTray: a StatusNotifierItem (plain GDBus) with a dbusmenu of Show, New Call, Do Not Disturb and Quit, showing ringing, calls, running campaigns and missed calls. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>
#include <unistd.h>

#include "jarchi-call-notifier.h"
#include "jarchi-campaign.h"
#include "jarchi-tray.h"
#include "jarchi-tray-private.h"
#include "jarchi-window.h"

#define ITEM_PATH "/StatusNotifierItem"
#define MENU_PATH "/StatusNotifierItem/Menu"
#define WATCHER   "org.kde.StatusNotifierWatcher"
#define DND       "do-not-disturb"

struct _JarchiTray
{
  GObject            parent_instance;

  GtkApplication    *app;
  JarchiCallManager *manager;
  GListModel        *campaigns;
  GDBusConnection   *connection;
  char              *bus_name;
  guint              item_id;
  guint              menu_id;
  guint              own_id;
  guint              watch_id;
  gboolean           registered;
  const char        *status;     /* "idle", "ringing", "in-call", "campaign" */
  guint              n_calls;
  guint              n_running;  /* campaigns */
  guint              revision;   /* of the menu layout */
  guint              n_missed;
  char              *caller;     /* of the ringing call */
};

G_DEFINE_FINAL_TYPE (JarchiTray, jarchi_tray, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_APPLICATION,
  PROP_CALL_MANAGER,
  PROP_CAMPAIGNS,
  PROP_REGISTERED,
  PROP_STATUS,
  PROP_N_MISSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Ids are part of the D-Bus interface (a host caches them): new items go at the end; the order
 * shown is menu_order. */
enum { MENU_ROOT, MENU_SHOW, MENU_NEW_CALL, MENU_SEPARATOR, MENU_QUIT, MENU_DND, N_MENU_ITEMS };
static const int menu_order[] = { MENU_SHOW, MENU_NEW_CALL, MENU_DND, MENU_SEPARATOR, MENU_QUIT };

static gboolean
do_not_disturb (JarchiTray *self)
{
  g_autoptr(GVariant) state = NULL;

  if (self->app == NULL || !g_action_group_has_action (G_ACTION_GROUP (self->app), DND))
    return FALSE;
  state = g_action_group_get_action_state (G_ACTION_GROUP (self->app), DND);
  return state != NULL && g_variant_is_of_type (state, G_VARIANT_TYPE_BOOLEAN)
         && g_variant_get_boolean (state);
}

/* --- what the item shows --- */

static char *
dup_title (JarchiTray *self)
{
  if (g_str_equal (self->status, "ringing"))
    return g_strdup_printf (_("Jarchi: incoming call from %s"), self->caller ? self->caller : "");
  if (g_str_equal (self->status, "in-call"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Jarchi: %u call in progress",
                                         "Jarchi: %u calls in progress", self->n_calls),
                            self->n_calls);
  if (g_str_equal (self->status, "campaign"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Jarchi: %u broadcast running",
                                         "Jarchi: %u broadcasts running", self->n_running),
                            self->n_running);
  if (self->n_missed > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Jarchi: %u missed call",
                                         "Jarchi: %u missed calls", self->n_missed),
                            self->n_missed);
  if (do_not_disturb (self))
    return g_strdup (_("Jarchi: do not disturb"));
  return g_strdup (_("Jarchi"));
}

static const char *
sni_status (JarchiTray *self)
{
  return g_str_equal (self->status, "ringing") || self->n_missed > 0 ? "NeedsAttention" : "Active";
}

static const char *
icon_name (JarchiTray *self)
{
  if (g_str_equal (self->status, "ringing") || g_str_equal (self->status, "in-call"))
    return "call-start-symbolic";
  /* The Broadcasts page's own icon: the campaign is what keeps Jarchi busy. */
  if (g_str_equal (self->status, "campaign"))
    return "audio-volume-high-symbolic";
  if (do_not_disturb (self))
    return "notifications-disabled-symbolic";
  return JARCHI_APP_ID;
}

static void
emit (JarchiTray *self, const char *signal, GVariant *parameters)
{
  if (self->connection != NULL && self->item_id != 0)
    g_dbus_connection_emit_signal (self->connection, NULL, ITEM_PATH, "org.kde.StatusNotifierItem",
                                   signal, parameters, NULL);
}

static void
update_status (JarchiTray *self)
{
  GListModel *calls = self->manager ? G_LIST_MODEL (self->manager) : NULL;
  guint n = calls ? g_list_model_get_n_items (calls) : 0;
  const char *status = "idle";
  guint n_calls = 0;

  g_clear_pointer (&self->caller, g_free);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JarchiCall) call = g_list_model_get_item (calls, i);
      JarchiCallState state = jarchi_call_get_state (call);

      if (state == JARCHI_CALL_STATE_ENDED)
        continue;
      n_calls++;
      /* Do not disturb turns it down at once: it never rings here. */
      if (state == JARCHI_CALL_STATE_INCOMING && (do_not_disturb (self) || jarchi_call_notifier_is_refused (call)))
        {
          n_calls--;
          continue;
        }
      if (state == JARCHI_CALL_STATE_INCOMING)
        {
          const char *name = jarchi_call_get_remote_name (call);

          status = "ringing";
          g_free (self->caller);
          self->caller = g_strdup (name && *name ? name : jarchi_call_get_remote_uri (call));
        }
      else if (!g_str_equal (status, "ringing"))
        status = "in-call";
    }
  self->n_calls = n_calls;
  self->n_running = 0;
  for (guint i = 0; self->campaigns != NULL && i < g_list_model_get_n_items (self->campaigns); i++)
    {
      g_autoptr(JarchiCampaign) campaign = g_list_model_get_item (self->campaigns, i);

      if (jarchi_campaign_get_state (campaign) == JARCHI_CAMPAIGN_STATE_RUNNING)
        self->n_running++;
    }
  if (g_str_equal (status, "idle") && self->n_running > 0)
    status = "campaign";
  if (!g_str_equal (status, self->status))
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  emit (self, "NewStatus", g_variant_new ("(s)", sni_status (self)));
  emit (self, "NewTitle", NULL);
  emit (self, "NewToolTip", NULL);
  emit (self, "NewIcon", NULL);
}

/* An incoming call that ends without an answer here is a missed one. */
static void
on_call_state (JarchiCall *call, GParamSpec *pspec, JarchiTray *self)
{
  if (jarchi_call_get_state (call) == JARCHI_CALL_STATE_ENDED
      && jarchi_call_get_direction (call) == JARCHI_CALL_DIRECTION_INCOMING
      && jarchi_call_get_answered_at (call) == 0
      && !jarchi_call_notifier_is_refused (call)
      && !g_object_get_data (G_OBJECT (call), "jarchi-tray-counted"))
    {
      g_object_set_data (G_OBJECT (call), "jarchi-tray-counted", GINT_TO_POINTER (1));
      self->n_missed++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MISSED]);
    }
  update_status (self);
}

static void
on_calls_changed (GListModel *calls, guint position, guint removed, guint added, JarchiTray *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(JarchiCall) call = g_list_model_get_item (calls, i);

      g_signal_connect_object (call, "notify::state", G_CALLBACK (on_call_state), self, 0);
    }
  update_status (self);
}

static void
on_campaign_state (JarchiCampaign *campaign, GParamSpec *pspec, JarchiTray *self)
{
  update_status (self);
}

static void
on_campaigns_changed (GListModel *campaigns, guint position, guint removed, guint added,
                      JarchiTray *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(JarchiCampaign) campaign = g_list_model_get_item (campaigns, i);

      g_signal_connect_object (campaign, "notify::state", G_CALLBACK (on_campaign_state), self, 0);
    }
  update_status (self);
}

/* The checkmark follows the setting wherever it changes (Preferences, the window, here). */
static void
on_dnd_changed (GActionGroup *group, const char *name, GVariant *state, JarchiTray *self)
{
  GVariantBuilder updated, props;

  g_variant_builder_init (&props, G_VARIANT_TYPE ("a{sv}"));
  g_variant_builder_add (&props, "{sv}", "toggle-state",
                         g_variant_new_int32 (do_not_disturb (self) ? 1 : 0));
  g_variant_builder_init (&updated, G_VARIANT_TYPE ("a(ia{sv})"));
  g_variant_builder_add (&updated, "(ia{sv})", MENU_DND, &props);
  if (self->connection != NULL && self->menu_id != 0)
    {
      g_dbus_connection_emit_signal (self->connection, NULL, MENU_PATH, "com.canonical.dbusmenu",
                                     "ItemsPropertiesUpdated",
                                     g_variant_new ("(a(ia{sv})@a(ias))", &updated,
                                                    g_variant_new_array (G_VARIANT_TYPE ("(ias)"), NULL, 0)),
                                     NULL);
      self->revision++;
      g_dbus_connection_emit_signal (self->connection, NULL, MENU_PATH, "com.canonical.dbusmenu",
                                     "LayoutUpdated", g_variant_new ("(ui)", self->revision, 0), NULL);
    }
  else
    g_variant_builder_clear (&updated);
  update_status (self);
}

/* --- actions --- */

static GtkWindow *
main_window (JarchiTray *self)
{
  for (GList *l = gtk_application_get_windows (self->app); l != NULL; l = l->next)
    if (JARCHI_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
show_window (JarchiTray *self)
{
  if (self->n_missed > 0)
    {
      self->n_missed = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MISSED]);
      update_status (self);
    }
  /* activate() makes the window again if it was closed, and presents it. */
  g_application_activate (G_APPLICATION (self->app));
}

static void
menu_clicked (JarchiTray *self, int id)
{
  GtkWindow *window;

  switch (id)
    {
    case MENU_SHOW:
      show_window (self);
      break;
    case MENU_NEW_CALL:
      show_window (self);
      if ((window = main_window (self)) != NULL)
        gtk_widget_activate_action (GTK_WIDGET (window), "win.show-dialer", "s", "");
      break;
    case MENU_DND:
      /* A stateful boolean action without a parameter toggles when activated. */
      if (g_action_group_has_action (G_ACTION_GROUP (self->app), DND))
        g_action_group_activate_action (G_ACTION_GROUP (self->app), DND, NULL);
      break;
    case MENU_QUIT:
      g_action_group_activate_action (G_ACTION_GROUP (self->app), "quit", NULL);
      break;
    default:
      break;
    }
}

/* --- org.kde.StatusNotifierItem --- */

static void
item_method (GDBusConnection *connection, const char *sender, const char *path,
             const char *interface, const char *method, GVariant *parameters,
             GDBusMethodInvocation *invocation, gpointer user_data)
{
  JarchiTray *self = JARCHI_TRAY (user_data);

  if (g_str_equal (method, "Activate") || g_str_equal (method, "SecondaryActivate"))
    show_window (self);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
item_property (GDBusConnection *connection, const char *sender, const char *path,
               const char *interface, const char *name, GError **error, gpointer user_data)
{
  JarchiTray *self = JARCHI_TRAY (user_data);

  if (g_str_equal (name, "Category"))
    return g_variant_new_string ("Communications");
  if (g_str_equal (name, "Id"))
    return g_variant_new_string (JARCHI_APP_ID);
  if (g_str_equal (name, "Title"))
    return g_variant_new_take_string (dup_title (self));
  if (g_str_equal (name, "Status"))
    return g_variant_new_string (sni_status (self));
  if (g_str_equal (name, "WindowId"))
    return g_variant_new_int32 (0);
  if (g_str_equal (name, "IconName"))
    return g_variant_new_string (icon_name (self));
  if (g_str_equal (name, "AttentionIconName"))
    return g_variant_new_string ("call-start-symbolic");
  if (g_str_equal (name, "OverlayIconName"))
    return g_variant_new_string ("");
  if (g_str_equal (name, "IconPixmap"))
    return g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0);
  if (g_str_equal (name, "ToolTip"))
    {
      g_autofree char *title = dup_title (self);

      return g_variant_new ("(s@a(iiay)ss)", JARCHI_APP_ID,
                            g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0), title, "");
    }
  if (g_str_equal (name, "ItemIsMenu"))
    return g_variant_new_boolean (FALSE);
  if (g_str_equal (name, "Menu"))
    return g_variant_new_object_path (MENU_PATH);
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "No property %s", name);
  return NULL;
}

/* --- com.canonical.dbusmenu --- */

static GVariant *
menu_item_properties (JarchiTray *self, int id)
{
  GVariantBuilder props;

  g_variant_builder_init (&props, G_VARIANT_TYPE ("a{sv}"));
  switch (id)
    {
    case MENU_ROOT:
      g_variant_builder_add (&props, "{sv}", "children-display", g_variant_new_string ("submenu"));
      break;
    case MENU_SHOW:
      g_variant_builder_add (&props, "{sv}", "label", g_variant_new_string (_("_Show Jarchi")));
      break;
    case MENU_NEW_CALL:
      g_variant_builder_add (&props, "{sv}", "label", g_variant_new_string (_("_New Call")));
      break;
    case MENU_SEPARATOR:
      g_variant_builder_add (&props, "{sv}", "type", g_variant_new_string ("separator"));
      break;
    case MENU_DND:
      g_variant_builder_add (&props, "{sv}", "label", g_variant_new_string (_("_Do Not Disturb")));
      g_variant_builder_add (&props, "{sv}", "toggle-type", g_variant_new_string ("checkmark"));
      g_variant_builder_add (&props, "{sv}", "toggle-state",
                             g_variant_new_int32 (do_not_disturb (self) ? 1 : 0));
      if (!g_action_group_has_action (G_ACTION_GROUP (self->app), DND))
        g_variant_builder_add (&props, "{sv}", "visible", g_variant_new_boolean (FALSE));
      break;
    case MENU_QUIT:
      g_variant_builder_add (&props, "{sv}", "label", g_variant_new_string (_("_Quit")));
      break;
    default:
      break;
    }
  return g_variant_builder_end (&props);
}

static GVariant *
menu_layout (JarchiTray *self, int id, int depth)
{
  GVariantBuilder children;

  g_variant_builder_init (&children, G_VARIANT_TYPE ("av"));
  if (id == MENU_ROOT && depth != 0)
    for (guint i = 0; i < G_N_ELEMENTS (menu_order); i++)
      g_variant_builder_add (&children, "v", menu_layout (self, menu_order[i], depth - 1));
  return g_variant_new ("(i@a{sv}av)", id, menu_item_properties (self, id), &children);
}

static void
menu_method (GDBusConnection *connection, const char *sender, const char *path,
             const char *interface, const char *method, GVariant *parameters,
             GDBusMethodInvocation *invocation, gpointer user_data)
{
  JarchiTray *self = JARCHI_TRAY (user_data);

  if (g_str_equal (method, "GetLayout"))
    {
      int parent, depth;

      g_variant_get (parameters, "(ii^a&s)", &parent, &depth, NULL);
      if (parent < 0 || parent >= N_MENU_ITEMS)
        parent = MENU_ROOT;
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(u@(ia{sv}av))", self->revision,
                                                            menu_layout (self, parent, depth)));
    }
  else if (g_str_equal (method, "GetGroupProperties"))
    {
      g_autoptr(GVariant) ids = g_variant_get_child_value (parameters, 0);
      GVariantBuilder items;

      g_variant_builder_init (&items, G_VARIANT_TYPE ("a(ia{sv})"));
      for (gsize i = 0; i < g_variant_n_children (ids); i++)
        {
          int id;

          g_variant_get_child (ids, i, "i", &id);
          if (id >= 0 && id < N_MENU_ITEMS)
            g_variant_builder_add (&items, "(i@a{sv})", id, menu_item_properties (self, id));
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(ia{sv}))", &items));
    }
  else if (g_str_equal (method, "GetProperty"))
    {
      int id;
      const char *name;
      g_autoptr(GVariant) props = NULL;
      g_autoptr(GVariant) value = NULL;

      g_variant_get (parameters, "(i&s)", &id, &name);
      props = menu_item_properties (self, CLAMP (id, 0, N_MENU_ITEMS - 1));
      value = g_variant_lookup_value (props, name, NULL);
      if (value == NULL)
        g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                               "No property %s on item %d", name, id);
      else
        g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
    }
  else if (g_str_equal (method, "Event"))
    {
      int id;
      const char *event;

      g_variant_get (parameters, "(i&svu)", &id, &event, NULL, NULL);
      g_dbus_method_invocation_return_value (invocation, NULL);
      if (g_str_equal (event, "clicked"))
        menu_clicked (self, id);
    }
  else if (g_str_equal (method, "EventGroup"))
    {
      g_autoptr(GVariantIter) iter = NULL;
      GVariantBuilder errors;
      int id;
      const char *event;
      GArray *clicked = g_array_new (FALSE, FALSE, sizeof (int));

      g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
      g_variant_get (parameters, "(a(isvu))", &iter);
      while (g_variant_iter_loop (iter, "(i&svu)", &id, &event, NULL, NULL))
        if (id < 0 || id >= N_MENU_ITEMS)
          g_variant_builder_add (&errors, "i", id);
        else if (g_str_equal (event, "clicked"))
          g_array_append_val (clicked, id);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ai)", &errors));
      for (guint i = 0; i < clicked->len; i++)
        menu_clicked (self, g_array_index (clicked, int, i));
      g_array_unref (clicked);
    }
  else if (g_str_equal (method, "AboutToShow"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", FALSE));
  else if (g_str_equal (method, "AboutToShowGroup"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@ai@ai)",
                                           g_variant_new_array (G_VARIANT_TYPE_INT32, NULL, 0),
                                           g_variant_new_array (G_VARIANT_TYPE_INT32, NULL, 0)));
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "No method %s", method);
}

static GVariant *
menu_property (GDBusConnection *connection, const char *sender, const char *path,
               const char *interface, const char *name, GError **error, gpointer user_data)
{
  if (g_str_equal (name, "Version"))
    return g_variant_new_uint32 (3);
  if (g_str_equal (name, "TextDirection"))
    return g_variant_new_string (gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL ? "rtl" : "ltr");
  if (g_str_equal (name, "Status"))
    return g_variant_new_string ("normal");
  if (g_str_equal (name, "IconThemePath"))
    return g_variant_new_strv (NULL, 0);
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "No property %s", name);
  return NULL;
}

/* --- registration --- */

static void
on_registered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(JarchiTray) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  if (reply == NULL)
    {
      g_message ("The tray did not take Jarchi's icon: %s", error->message);
      return;
    }
  self->registered = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

/* Called on every appearance, so a restarted watcher gets the item again. */
static void
on_watcher_appeared (GDBusConnection *connection, const char *name, const char *owner,
                     gpointer user_data)
{
  JarchiTray *self = JARCHI_TRAY (user_data);

  g_dbus_connection_call (connection, WATCHER, "/StatusNotifierWatcher", WATCHER,
                          "RegisterStatusNotifierItem", g_variant_new ("(s)", self->bus_name),
                          NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, on_registered,
                          g_object_ref (self));
}

static void
on_watcher_vanished (GDBusConnection *connection, const char *name, gpointer user_data)
{
  JarchiTray *self = JARCHI_TRAY (user_data);

  if (self->registered)
    {
      self->registered = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
    }
}

static void
jarchi_tray_constructed (GObject *object)
{
  JarchiTray *self = JARCHI_TRAY (object);
  static const GDBusInterfaceVTable item_vtable = { item_method, item_property, NULL, { 0 } };
  static const GDBusInterfaceVTable menu_vtable = { menu_method, menu_property, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) item_info = g_dbus_node_info_new_for_xml (item_xml, NULL);
  g_autoptr(GDBusNodeInfo) menu_info = g_dbus_node_info_new_for_xml (menu_xml, NULL);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (jarchi_tray_parent_class)->constructed (object);

  if (self->manager != NULL)
    {
      g_signal_connect_object (self->manager, "items-changed", G_CALLBACK (on_calls_changed), self, 0);
      on_calls_changed (G_LIST_MODEL (self->manager), 0, 0,
                        g_list_model_get_n_items (G_LIST_MODEL (self->manager)), self);
    }

  if (self->campaigns != NULL)
    {
      g_signal_connect_object (self->campaigns, "items-changed", G_CALLBACK (on_campaigns_changed), self, 0);
      on_campaigns_changed (self->campaigns, 0, 0, g_list_model_get_n_items (self->campaigns), self);
    }
  g_signal_connect_object (self->app, "action-state-changed::" DND, G_CALLBACK (on_dnd_changed), self, 0);

  self->connection = g_application_get_dbus_connection (G_APPLICATION (self->app));
  if (self->connection == NULL)
    return;
  g_object_ref (self->connection);
  self->item_id = g_dbus_connection_register_object (self->connection, ITEM_PATH,
                                                     item_info->interfaces[0], &item_vtable,
                                                     self, NULL, &error);
  if (self->item_id != 0)
    self->menu_id = g_dbus_connection_register_object (self->connection, MENU_PATH,
                                                       menu_info->interfaces[0], &menu_vtable,
                                                       self, NULL, &error);
  if (self->item_id == 0 || self->menu_id == 0)
    {
      g_warning ("Cannot export the tray icon: %s", error->message);
      return;
    }
  /* The name the specification asks for; the watcher is given it to find the item. */
  self->bus_name = g_strdup_printf ("org.kde.StatusNotifierItem-%d-1", (int) getpid ());
  self->own_id = g_bus_own_name_on_connection (self->connection, self->bus_name,
                                               G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);
  self->watch_id = g_bus_watch_name_on_connection (self->connection, WATCHER,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   on_watcher_appeared, on_watcher_vanished,
                                                   self, NULL);
}

static void
jarchi_tray_dispose (GObject *object)
{
  JarchiTray *self = JARCHI_TRAY (object);

  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  g_clear_handle_id (&self->own_id, g_bus_unown_name);
  if (self->connection != NULL)
    {
      if (self->menu_id != 0)
        g_dbus_connection_unregister_object (self->connection, self->menu_id);
      if (self->item_id != 0)
        g_dbus_connection_unregister_object (self->connection, self->item_id);
      self->menu_id = self->item_id = 0;
    }
  g_clear_object (&self->connection);
  g_clear_object (&self->manager);
  g_clear_object (&self->campaigns);
  g_clear_object (&self->app);

  G_OBJECT_CLASS (jarchi_tray_parent_class)->dispose (object);
}

static void
jarchi_tray_finalize (GObject *object)
{
  JarchiTray *self = JARCHI_TRAY (object);

  g_free (self->bus_name);
  g_free (self->caller);

  G_OBJECT_CLASS (jarchi_tray_parent_class)->finalize (object);
}

static void
jarchi_tray_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiTray *self = JARCHI_TRAY (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->app);
      break;
    case PROP_CALL_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    case PROP_CAMPAIGNS:
      g_value_set_object (value, self->campaigns);
      break;
    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_N_MISSED:
      g_value_set_uint (value, self->n_missed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_tray_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiTray *self = JARCHI_TRAY (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      self->app = g_value_dup_object (value);
      break;
    case PROP_CALL_MANAGER:
      self->manager = g_value_dup_object (value);
      break;
    case PROP_CAMPAIGNS:
      self->campaigns = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_tray_class_init (JarchiTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = jarchi_tray_constructed;
  object_class->dispose = jarchi_tray_dispose;
  object_class->finalize = jarchi_tray_finalize;
  object_class->get_property = jarchi_tray_get_property;
  object_class->set_property = jarchi_tray_set_property;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, GTK_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CALL_MANAGER] =
    g_param_spec_object ("call-manager", NULL, NULL, JARCHI_TYPE_CALL_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAMPAIGNS] =
    g_param_spec_object ("campaigns", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGISTERED] = g_param_spec_boolean ("registered", NULL, NULL, FALSE, ro);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, "idle", ro);
  properties[PROP_N_MISSED] = g_param_spec_uint ("n-missed", NULL, NULL, 0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_tray_init (JarchiTray *self)
{
  self->status = "idle";
  self->revision = 1;
}

JarchiTray *
jarchi_tray_new (GtkApplication *app, JarchiCallManager *manager, GListModel *campaigns)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (app), NULL);

  return g_object_new (JARCHI_TYPE_TRAY, "application", app, "call-manager", manager,
                       "campaigns", campaigns, NULL);
}

gboolean
jarchi_tray_get_registered (JarchiTray *self)
{
  g_return_val_if_fail (JARCHI_IS_TRAY (self), FALSE);
  return self->registered;
}

const char *
jarchi_tray_get_status (JarchiTray *self)
{
  g_return_val_if_fail (JARCHI_IS_TRAY (self), NULL);
  return self->status;
}

guint
jarchi_tray_get_n_missed (JarchiTray *self)
{
  g_return_val_if_fail (JARCHI_IS_TRAY (self), 0);
  return self->n_missed;
}
