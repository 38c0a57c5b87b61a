/* JarchiDialerPage: the Phone page; its user actions are phone.* GActions, each call is a JarchiCallView. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "jarchi-call-manager.h"
#include "jarchi-call-view.h"
#include "jarchi-dialer-page-private.h"

#define STATUS_TIMEOUT_S  8

G_DEFINE_FINAL_TYPE (JarchiDialerPage, jarchi_dialer_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- status line --- */

static gboolean
status_timeout (gpointer user_data)
{
  JarchiDialerPage *self = user_data;

  self->status_source = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
  return G_SOURCE_REMOVE;
}

/* Errors stay until the next try; other news goes away by itself. */
static void
show_status (JarchiDialerPage *self, const char *text, gboolean error)
{
  GtkWidget *label = GTK_WIDGET (self->status_label);

  g_clear_handle_id (&self->status_source, g_source_remove);
  gtk_label_set_label (self->status_label, text ? text : "");
  gtk_widget_set_visible (label, text != NULL && *text);
  if (error)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
  if (text != NULL && !error)
    self->status_source = g_timeout_add_seconds (STATUS_TIMEOUT_S, status_timeout, self);
}

/* --- accounts --- */

static const char *
registration_text (JarchiAccount *account)
{
  switch (jarchi_account_get_registration_state (account))
    {
    case JARCHI_REGISTRATION_REGISTERING: return _("Registering…");
    case JARCHI_REGISTRATION_REGISTERED: return _("Registered");
    case JARCHI_REGISTRATION_FAILED: return _("Registration failed");
    case JARCHI_REGISTRATION_UNREGISTERED:
    default: return _("Not registered");
    }
}

static void
account_row_update (GtkListItem *list_item)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkLabel *name = GTK_LABEL (gtk_widget_get_first_child (box));
  GtkLabel *state = GTK_LABEL (gtk_widget_get_last_child (box));
  gpointer item = gtk_list_item_get_item (list_item);

  if (JARCHI_IS_ACCOUNT (item))
    {
      JarchiAccount *account = item;
      const char *display = jarchi_account_get_display_name (account);
      const char *error = jarchi_account_get_registration_error (account);

      gtk_label_set_label (name, display && *display ? display : jarchi_account_get_uri (account));
      gtk_label_set_label (state, registration_text (account));
      gtk_widget_set_visible (GTK_WIDGET (state), TRUE);
      gtk_widget_set_tooltip_text (box, error && *error ? error : jarchi_account_get_uri (account));
    }
  else
    {
      gtk_label_set_label (name, GTK_IS_STRING_OBJECT (item) ? gtk_string_object_get_string (item) : "");
      gtk_widget_set_visible (GTK_WIDGET (state), FALSE);
      gtk_widget_set_tooltip_text (box, _("Call the address as it is typed, without registering"));
    }
}

static void
account_row_setup (GtkSignalListItemFactory *factory, GtkListItem *list_item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *state = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (state, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), state);
  gtk_list_item_set_child (list_item, box);
}

static void
account_row_bind (GtkSignalListItemFactory *factory, GtkListItem *list_item)
{
  gpointer item = gtk_list_item_get_item (list_item);

  if (JARCHI_IS_ACCOUNT (item))
    {
      g_signal_connect_swapped (item, "notify::registration-state", G_CALLBACK (account_row_update), list_item);
      g_signal_connect_swapped (item, "notify::display-name", G_CALLBACK (account_row_update), list_item);
    }
  account_row_update (list_item);
}

static void
account_row_unbind (GtkSignalListItemFactory *factory, GtkListItem *list_item)
{
  gpointer item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, account_row_update, list_item);
}

static guint
selected_account_id (JarchiDialerPage *self)
{
  gpointer item = gtk_drop_down_get_selected_item (self->account_dropdown);

  return JARCHI_IS_ACCOUNT (item) ? jarchi_account_get_id (item) : JARCHI_ACCOUNT_NONE;
}

/* Until the person picks one, the dropdown follows the call manager's default account. */
static void
select_default_account (JarchiDialerPage *self)
{
  JarchiAccount *preferred;
  guint n, position;

  if (self->manager == NULL || self->account_chosen)
    return;
  preferred = jarchi_call_manager_get_default_account (self->manager);
  n = g_list_model_get_n_items (self->accounts);
  position = n;  /* "Direct (no account)" comes after the accounts */
  for (guint i = 0; i < n && preferred != NULL; i++)
    {
      g_autoptr(JarchiAccount) account = g_list_model_get_item (self->accounts, i);

      if (account == preferred)
        position = i;
    }
  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->account_dropdown, position);
  self->syncing = FALSE;
}

/* The person picked another item (the list changing under the selection is no choice). */
static void
account_selected (JarchiDialerPage *self)
{
  gpointer item = gtk_drop_down_get_selected_item (self->account_dropdown);

  if (!self->syncing && self->manager != NULL && item != self->account_shown)
    self->account_chosen = TRUE;
  self->account_shown = item;
}

/* --- calls --- */

static JarchiCallView *
view_for_call (JarchiDialerPage *self, JarchiCall *call)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->calls_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (jarchi_call_view_get_call (JARCHI_CALL_VIEW (child)) == call)
      return JARCHI_CALL_VIEW (child);
  return NULL;
}

static void
update_current (JarchiDialerPage *self)
{
  JarchiCall *current = self->manager ? jarchi_call_find_current (G_LIST_MODEL (self->manager)) : NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->calls_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    jarchi_call_view_set_expanded (JARCHI_CALL_VIEW (child),
                                   jarchi_call_view_get_call (JARCHI_CALL_VIEW (child)) == current);
}

static guint
n_calls (JarchiDialerPage *self)
{
  return self->manager ? g_list_model_get_n_items (G_LIST_MODEL (self->manager)) : 0;
}

static void
update_navigation (JarchiDialerPage *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);

  gtk_widget_set_visible (self->back_to_calls_button, folded && n_calls (self) > 0);
  gtk_widget_set_visible (self->show_dialer_button, folded);
}

static GtkWidget *
nth_child (GtkWidget *parent, guint n)
{
  GtkWidget *child = gtk_widget_get_first_child (parent);

  while (child != NULL && n-- > 0)
    child = gtk_widget_get_next_sibling (child);
  return child;
}

/* The newest call comes first: a waiting call is seen above the one in progress. */
static void
calls_changed (JarchiDialerPage *self,
               guint             position,
               guint             removed,
               guint             added,
               GListModel       *calls)
{
  guint n = g_list_model_get_n_items (calls);
  guint first = n - position - added;  /* box index of the first child concerned */
  GtkWidget *child = nth_child (GTK_WIDGET (self->calls_box), first);
  GtkWidget *sibling = first > 0 ? nth_child (GTK_WIDGET (self->calls_box), first - 1) : NULL;

  for (guint i = 0; i < removed && child != NULL; i++)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_box_remove (self->calls_box, child);
      child = next;
    }
  for (guint i = added; i > 0; i--)
    {
      g_autoptr(JarchiCall) call = g_list_model_get_item (calls, position + i - 1);
      GtkWidget *view = jarchi_call_view_new (self->manager, call, self->book);

      g_signal_connect_object (call, "notify::state", G_CALLBACK (update_current), self, G_CONNECT_SWAPPED);
      gtk_box_insert_child_after (self->calls_box, view, sibling);
      sibling = view;
    }

  update_current (self);
  if (n > 0)
    self->had_calls = TRUE;
  gtk_stack_set_visible_child_name (self->calls_stack, n > 0 ? "calls" : "empty");
  adw_status_page_set_title (self->empty_page, self->had_calls ? _("No Calls") : _("No Calls Yet"));
  /* A new call is what the person wants to see; with none left, the dial pad. */
  if (added > 0)
    adw_leaflet_set_visible_child_name (self->leaflet, "calls");
  else if (n == 0)
    adw_leaflet_set_visible_child_name (self->leaflet, "dialer");
  update_navigation (self);
}

static void
call_ended (JarchiDialerPage *self, JarchiCall *call, JarchiCallManager *manager)
{
  g_autofree char *title = jarchi_call_dup_remote_title (call, self->book);
  const char *reason = jarchi_call_get_end_reason (call);
  g_autofree char *text = NULL;

  if (reason != NULL && *reason)
    text = g_strdup_printf (_("Call with %s ended: %s"), title, reason);
  else
    text = g_strdup_printf (_("Call with %s ended"), title);
  show_status (self, text, FALSE);
}

/* --- actions --- */

static void
call_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  jarchi_dialer_page_dial (JARCHI_DIALER_PAGE (widget), NULL);
}

static void
key_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiDialerPage *self = JARCHI_DIALER_PAGE (widget);
  const char *digit = g_variant_get_string (parameter, NULL);
  JarchiCall *current = self->manager ? jarchi_call_find_current (G_LIST_MODEL (self->manager)) : NULL;
  JarchiCallState state = current ? jarchi_call_get_state (current) : JARCHI_CALL_STATE_ENDED;
  JarchiCallView *view;
  int position;

  /* During a call the keys are tones for the other side (menus, extensions). */
  if ((state == JARCHI_CALL_STATE_ACTIVE || state == JARCHI_CALL_STATE_REMOTE_HELD ||
       state == JARCHI_CALL_STATE_EARLY_MEDIA) && (view = view_for_call (self, current)) != NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (view), "call.dtmf", "s", digit);
      return;
    }
  position = gtk_editable_get_position (GTK_EDITABLE (self->number_entry));
  gtk_editable_insert_text (GTK_EDITABLE (self->number_entry), digit, -1, &position);
  gtk_editable_set_position (GTK_EDITABLE (self->number_entry), position);
}

static void
backspace_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  GtkEditable *editable = GTK_EDITABLE (JARCHI_DIALER_PAGE (widget)->number_entry);
  int start, end;

  if (gtk_editable_get_selection_bounds (editable, &start, &end))
    {
      gtk_editable_delete_selection (editable);
      return;
    }
  end = gtk_editable_get_position (editable);
  if (end == 0)
    end = g_utf8_strlen (gtk_editable_get_text (editable), -1);
  if (end > 0)
    gtk_editable_delete_text (editable, end - 1, end);
}

static void
paste_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(JarchiDialerPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);

  if (self->number_entry == NULL)  /* disposed meanwhile */
    return;
  if (text == NULL)
    {
      show_status (self, _("There is no text to paste"), FALSE);
      return;
    }
  g_strstrip (text);
  gtk_editable_set_text (GTK_EDITABLE (self->number_entry), text);
  gtk_editable_set_position (GTK_EDITABLE (self->number_entry), -1);
  gtk_entry_grab_focus_without_selecting (self->number_entry);
}

static void
paste_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, paste_done,
                                 g_object_ref (widget));
}

static void
show_calls_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  adw_leaflet_set_visible_child_name (JARCHI_DIALER_PAGE (widget)->leaflet, "calls");
}

static void
show_dialer_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  jarchi_dialer_page_show_number (JARCHI_DIALER_PAGE (widget), NULL);
}

/* Digits typed anywhere on the page (outside a text field) press the dial pad. */
static gboolean
page_key_pressed (JarchiDialerPage      *self,
                  guint                  keyval,
                  guint                  keycode,
                  GdkModifierType        state,
                  GtkEventControllerKey *controller)
{
  char digit[2] = { 0, 0 };

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK))
    return FALSE;
  if (keyval >= GDK_KEY_0 && keyval <= GDK_KEY_9)
    digit[0] = (char) ('0' + keyval - GDK_KEY_0);
  else if (keyval >= GDK_KEY_KP_0 && keyval <= GDK_KEY_KP_9)
    digit[0] = (char) ('0' + keyval - GDK_KEY_KP_0);
  else if (keyval == GDK_KEY_asterisk || keyval == GDK_KEY_KP_Multiply)
    digit[0] = '*';
  else if (keyval == GDK_KEY_numbersign)
    digit[0] = '#';
  else
    return FALSE;
  gtk_widget_activate_action (GTK_WIDGET (self), "phone.key", "s", digit);
  return TRUE;
}

/* --- service --- */

static void
disconnect_service (JarchiDialerPage *self)
{
  GtkWidget *child;

  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  if (self->account_dropdown != NULL)
    gtk_drop_down_set_model (self->account_dropdown, NULL);
  if (self->calls_box != NULL)
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->calls_box))) != NULL)
      gtk_box_remove (self->calls_box, child);
  g_clear_object (&self->account_model);
  g_clear_object (&self->accounts);
  g_clear_object (&self->manager);
  g_clear_object (&self->book);
}

static void
connect_service (JarchiDialerPage *self)
{
  g_autoptr(GListStore) sources = g_list_store_new (G_TYPE_LIST_MODEL);
  g_autoptr(GListStore) direct = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_autoptr(GtkStringObject) direct_item = gtk_string_object_new (_("Direct (no account)"));
  JarchiCallManager *manager = jarchi_service_get_call_manager (self->service);
  JarchiContactBook *book = jarchi_service_get_contact_book (self->service);

  self->book = book ? g_object_ref (book) : NULL;
  if (manager == NULL)
    {
      show_status (self, _("Calls are not available: the phone engine did not start."), TRUE);
      return;
    }
  self->manager = g_object_ref (manager);
  self->accounts = g_object_ref (jarchi_call_manager_get_accounts (manager));

  g_list_store_append (direct, direct_item);
  g_list_store_append (sources, self->accounts);
  g_list_store_append (sources, direct);
  self->account_model = gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&sources)));
  self->syncing = TRUE;
  gtk_drop_down_set_model (self->account_dropdown, G_LIST_MODEL (self->account_model));
  self->syncing = FALSE;
  g_signal_connect_object (self->accounts, "items-changed", G_CALLBACK (select_default_account), self,
                           G_CONNECT_SWAPPED);
  select_default_account (self);

  g_signal_connect_object (manager, "items-changed", G_CALLBACK (calls_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (manager, "call-ended", G_CALLBACK (call_ended), self, G_CONNECT_SWAPPED);
  calls_changed (self, 0, 0, g_list_model_get_n_items (G_LIST_MODEL (manager)), G_LIST_MODEL (manager));
}

/* --- GObject --- */

static void
jarchi_dialer_page_unmap (GtkWidget *widget)
{
  jarchi_dialer_page_hide_matches (JARCHI_DIALER_PAGE (widget));
  GTK_WIDGET_CLASS (jarchi_dialer_page_parent_class)->unmap (widget);
}

static void
jarchi_dialer_page_dispose (GObject *object)
{
  JarchiDialerPage *self = JARCHI_DIALER_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->status_source, g_source_remove);
  disconnect_service (self);
  jarchi_dialer_page_entry_dispose (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), JARCHI_TYPE_DIALER_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->service);

  G_OBJECT_CLASS (jarchi_dialer_page_parent_class)->dispose (object);
}

static void
jarchi_dialer_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiDialerPage *self = JARCHI_DIALER_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICE: g_value_set_object (value, self->service); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_dialer_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  JarchiDialerPage *self = JARCHI_DIALER_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICE: jarchi_dialer_page_set_service (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_dialer_page_class_init (JarchiDialerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jarchi_dialer_page_dispose;
  object_class->get_property = jarchi_dialer_page_get_property;
  object_class->set_property = jarchi_dialer_page_set_property;
  widget_class->unmap = jarchi_dialer_page_unmap;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, JARCHI_TYPE_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (JARCHI_TYPE_CALL_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jarchi/Jarchi/dialer.ui");
  gtk_widget_class_bind_template_child (widget_class, JarchiDialerPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, JarchiDialerPage, back_to_calls_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiDialerPage, account_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JarchiDialerPage, number_entry);
  gtk_widget_class_bind_template_child (widget_class, JarchiDialerPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiDialerPage, calls_stack);
  gtk_widget_class_bind_template_child (widget_class, JarchiDialerPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, JarchiDialerPage, calls_box);
  gtk_widget_class_bind_template_child (widget_class, JarchiDialerPage, show_dialer_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiDialerPage, matches_popover);
  gtk_widget_class_bind_template_child (widget_class, JarchiDialerPage, matches_list);
  gtk_widget_class_bind_template_callback (widget_class, update_navigation);
  gtk_widget_class_bind_template_callback_full (widget_class, "number_changed",
                                                G_CALLBACK (jarchi_dialer_page_number_changed));
  gtk_widget_class_bind_template_callback_full (widget_class, "number_activated",
                                                G_CALLBACK (jarchi_dialer_page_number_activated));
  gtk_widget_class_bind_template_callback_full (widget_class, "match_activated",
                                                G_CALLBACK (jarchi_dialer_page_match_activated));
  gtk_widget_class_bind_template_callback (widget_class, page_key_pressed);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_install_action (widget_class, "phone.call", NULL, call_action);
  gtk_widget_class_install_action (widget_class, "phone.key", "s", key_action);
  gtk_widget_class_install_action (widget_class, "phone.backspace", NULL, backspace_action);
  gtk_widget_class_install_action (widget_class, "phone.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "phone.show-calls", NULL, show_calls_action);
  gtk_widget_class_install_action (widget_class, "phone.show-dialer", NULL, show_dialer_action);
}

static void
jarchi_dialer_page_init (JarchiDialerPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (account_row_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (account_row_bind), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (account_row_unbind), NULL);
  gtk_drop_down_set_factory (self->account_dropdown, factory);
  g_signal_connect_swapped (self->account_dropdown, "notify::selected", G_CALLBACK (account_selected), self);

  jarchi_dialer_page_entry_init (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "phone.call", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "phone.backspace", FALSE);
  update_navigation (self);
}

JarchiService *
jarchi_dialer_page_get_service (JarchiDialerPage *self)
{
  g_return_val_if_fail (JARCHI_IS_DIALER_PAGE (self), NULL);
  return self->service;
}

void
jarchi_dialer_page_set_service (JarchiDialerPage *self, JarchiService *service)
{
  g_return_if_fail (JARCHI_IS_DIALER_PAGE (self));
  g_return_if_fail (service == NULL || JARCHI_IS_SERVICE (service));

  if (self->service == service)
    return;
  disconnect_service (self);
  g_set_object (&self->service, service);
  if (service != NULL)
    connect_service (self);
  jarchi_dialer_page_number_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
}

void
jarchi_dialer_page_show_number (JarchiDialerPage *self, const char *number)
{
  g_return_if_fail (JARCHI_IS_DIALER_PAGE (self));

  if (number != NULL)
    jarchi_dialer_page_set_number (self, number);
  adw_leaflet_set_visible_child_name (self->leaflet, "dialer");
  gtk_entry_grab_focus_without_selecting (self->number_entry);
  gtk_editable_set_position (GTK_EDITABLE (self->number_entry), -1);
}

gboolean
jarchi_dialer_page_dial (JarchiDialerPage *self, const char *to)
{
  g_autofree char *text = NULL;
  g_autofree char *target = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (JARCHI_IS_DIALER_PAGE (self), FALSE);

  text = g_strstrip (g_strdup (to && *to ? to : gtk_editable_get_text (GTK_EDITABLE (self->number_entry))));
  jarchi_dialer_page_hide_matches (self);
  if (self->manager == NULL)
    {
      show_status (self, _("Calls are not available: the phone engine did not start."), TRUE);
      return FALSE;
    }
  if (*text == '\0')
    {
      show_status (self, _("Type a number or a name to call"), TRUE);
      jarchi_dialer_page_show_number (self, NULL);
      return FALSE;
    }
  select_default_account (self);
  target = jarchi_call_resolve_target (self->book, text, &error);
  if (target == NULL ||
      jarchi_call_manager_dial (self->manager, target, selected_account_id (self), &error) == 0)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot call %s: %s"), text, error->message);

      show_status (self, message, TRUE);
      if (to != NULL && *to)
        jarchi_dialer_page_set_number (self, text);
      return FALSE;
    }
  show_status (self, NULL, FALSE);
  jarchi_dialer_page_set_number (self, "");
  return TRUE;
}
