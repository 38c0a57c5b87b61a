/* JarchiContactsPage: the contact book as a searchable, filterable list; every user action is a contacts.* GAction. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-contact-editor.h"
#include "jarchi-contact-row.h"
#include "jarchi-contacts-page-private.h"

G_DEFINE_FINAL_TYPE (JarchiContactsPage, jarchi_contacts_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- helpers --- */

GtkWindow *
jarchi_contacts_page_parent_window (JarchiContactsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* Shows a toast; the arguments are escaped, as a toast title is Pango markup. */
void
jarchi_contacts_page_toast (JarchiContactsPage *self, const char *format, ...)
{
  va_list args;
  g_autofree char *title = NULL;

  if (self->toast_overlay == NULL)  /* disposed, with a dialog still answering */
    return;
  va_start (args, format);
  title = g_markup_vprintf_escaped (format, args);
  va_end (args);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

void
jarchi_contacts_page_show_error (JarchiContactsPage *self, const char *heading, const char *message)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (jarchi_contacts_page_parent_window (self),
                                                                         heading, message));

  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static JarchiContact *
lookup_contact (JarchiContactsPage *self, GVariant *parameter)
{
  g_autoptr(GError) error = NULL;
  JarchiContact *contact;

  if (self->book == NULL)
    return NULL;
  contact = jarchi_contact_book_get (self->book, g_variant_get_int64 (parameter), &error);
  if (contact == NULL)
    jarchi_contacts_page_show_error (self, _("Contact Not Found"), error->message);
  return contact;
}

/* --- state: empty book, list, or nothing matching --- */

static void
update_count (JarchiContactsPage *self)
{
  guint shown = self->book ? g_list_model_get_n_items (jarchi_contact_book_get_contacts (self->book)) : 0;
  g_autofree char *text = NULL;

  if (shown == self->total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact", "%u contacts", shown), shown);
  else
    /* TRANSLATORS: "3 of 120 contacts" (shown of all, with a search or filter on). */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u contact", "%u of %u contacts", self->total),
                            shown, self->total);
  gtk_label_set_label (self->count_label, text);
}

static void
update_state (JarchiContactsPage *self)
{
  guint shown = self->book ? g_list_model_get_n_items (jarchi_contact_book_get_contacts (self->book)) : 0;

  gtk_stack_set_visible_child_name (self->stack, self->total == 0 ? "empty" : "list");
  gtk_stack_set_visible_child_name (self->list_stack, shown == 0 ? "no-results" : "contacts");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.export", shown > 0);
  update_count (self);
}

static guint
count_all (JarchiContactBook *book)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = NULL;
  guint total = 0;

  none = jarchi_contact_book_query (book, 0, 0, NULL, 0, 0, &total, &error);
  if (none == NULL)
    g_warning ("Could not count contacts: %s", error->message);
  return total;
}

/* --- department and district filters --- */

static JarchiGroup *
dropdown_group (GtkDropDown *dropdown)
{
  gpointer item = gtk_drop_down_get_selected_item (dropdown);

  return JARCHI_IS_GROUP (item) ? JARCHI_GROUP (item) : NULL;
}

/* Mirrors @source after an "All" entry in @store, keeping @dropdown on the group with @filter. */
static void
sync_group_store (JarchiContactsPage *self, GListStore *store, GListModel *source,
                  GtkDropDown *dropdown, gint64 *filter)
{
  guint n = g_list_model_get_n_items (source);
  guint old_n = g_list_model_get_n_items (G_LIST_MODEL (store));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean same = old_n == n + 1;
  guint selected = 0;

  for (guint i = 0; i < n; i++)
    {
      JarchiGroup *group = g_list_model_get_item (source, i);

      g_ptr_array_add (items, group);
      if (same)
        {
          g_autoptr(JarchiGroup) old = g_list_model_get_item (G_LIST_MODEL (store), i + 1);

          same = old == group;
        }
      if (jarchi_group_get_id (group) == *filter)
        selected = i + 1;
    }

  self->syncing = TRUE;
  if (!same)
    g_list_store_splice (store, 1, old_n - 1, items->pdata, items->len);
  gtk_drop_down_set_selected (dropdown, selected);
  self->syncing = FALSE;

  /* The filtered group is gone: show everyone rather than nothing. */
  if (selected == 0 && *filter != 0)
    {
      *filter = 0;
      if (dropdown == self->department_dropdown)
        jarchi_contact_book_set_department_filter (self->book, 0);
      else
        jarchi_contact_book_set_district_filter (self->book, 0);
    }
}

static void
sync_groups (JarchiContactsPage *self)
{
  if (self->book == NULL)
    return;
  sync_group_store (self, self->departments, jarchi_contact_book_get_departments (self->book),
                    self->department_dropdown, &self->department_filter);
  sync_group_store (self, self->districts, jarchi_contact_book_get_districts (self->book),
                    self->district_dropdown, &self->district_filter);
}

static void
on_filter_selected (JarchiContactsPage *self, GParamSpec *pspec, GtkDropDown *dropdown)
{
  JarchiGroup *group = dropdown_group (dropdown);
  gint64 id = group ? jarchi_group_get_id (group) : 0;

  if (self->syncing || self->book == NULL)
    return;
  if (dropdown == self->department_dropdown)
    {
      self->department_filter = id;
      jarchi_contact_book_set_department_filter (self->book, id);
    }
  else
    {
      self->district_filter = id;
      jarchi_contact_book_set_district_filter (self->book, id);
    }
}

static void
clear_filters (JarchiContactsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  if (self->book != NULL)
    jarchi_contact_book_set_search (self->book, "");
  gtk_drop_down_set_selected (self->department_dropdown, 0);
  gtk_drop_down_set_selected (self->district_dropdown, 0);
}

/* --- following the book --- */

static void
book_changed (JarchiContactsPage *self)
{
  gboolean was_empty = self->total == 0;

  self->total = count_all (self->book);
  sync_groups (self);
  /* An emptied book starts over: the next import is not hidden behind an old search. */
  if (self->total == 0 && !was_empty)
    clear_filters (self);
  update_state (self);
}

static void
contacts_items_changed (JarchiContactsPage *self)
{
  update_state (self);
}

static void
on_search_changed (JarchiContactsPage *self, GtkSearchEntry *entry)
{
  if (self->book != NULL)
    jarchi_contact_book_set_search (self->book, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_stop_search (JarchiContactsPage *self, GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

/* --- list items --- */

static void
on_item_setup (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  gtk_list_item_set_child (item, jarchi_contact_row_new ());
}

static void
on_item_bind (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  jarchi_contact_row_set_contact (JARCHI_CONTACT_ROW (gtk_list_item_get_child (item)),
                                  gtk_list_item_get_item (item));
}

static void
on_item_unbind (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  jarchi_contact_row_set_contact (JARCHI_CONTACT_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
on_list_activate (JarchiContactsPage *self, guint position, GtkListView *list_view)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (list_view));
  g_autoptr(JarchiContact) contact = model ? g_list_model_get_item (model, position) : NULL;

  if (contact != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "contacts.edit", "x", jarchi_contact_get_id (contact));
}

/* --- contacts.add, contacts.edit --- */

static void
editor_saved (JarchiContactsPage *self, JarchiContact *contact, JarchiContactEditor *editor)
{
  jarchi_contacts_page_toast (self, _("Saved “%s”"), jarchi_contact_get_name (contact));
}

static void
open_editor (JarchiContactsPage *self, JarchiContact *contact)
{
  JarchiContactEditor *editor = jarchi_contact_editor_new (jarchi_contacts_page_parent_window (self), self->book,
                                                           contact);

  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
add_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiContactsPage *self = JARCHI_CONTACTS_PAGE (widget);

  if (self->book != NULL)
    open_editor (self, NULL);
}

static void
edit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiContactsPage *self = JARCHI_CONTACTS_PAGE (widget);
  g_autoptr(JarchiContact) contact = lookup_contact (self, parameter);

  if (contact != NULL)
    open_editor (self, contact);
}

/* --- contacts.delete --- */

typedef struct {
  JarchiContactsPage *self;
  gint64              id;
  char               *name;
} DeleteRequest;

static void
delete_request_free (gpointer data, GClosure *closure)
{
  DeleteRequest *request = data;

  g_object_unref (request->self);
  g_free (request->name);
  g_free (request);
}

static void
delete_response (AdwMessageDialog *dialog, const char *response, DeleteRequest *request)
{
  JarchiContactsPage *self = request->self;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "delete") || self->book == NULL)
    return;
  if (!jarchi_contact_book_remove (self->book, request->id, &error))
    jarchi_contacts_page_show_error (self, _("Could Not Delete the Contact"), error->message);
  else
    jarchi_contacts_page_toast (self, _("Deleted “%s”"), request->name);
}

static void
delete_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiContactsPage *self = JARCHI_CONTACTS_PAGE (widget);
  g_autoptr(JarchiContact) contact = lookup_contact (self, parameter);
  AdwMessageDialog *dialog;
  DeleteRequest *request;
  g_autofree char *body = NULL;

  if (contact == NULL)
    return;

  /* TRANSLATORS: the first %s is a person's name, the second their phone number. */
  body = g_strdup_printf (_("%s (%s) will be removed from the contact book."),
                          jarchi_contact_get_name (contact), jarchi_contact_get_phone (contact));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (jarchi_contacts_page_parent_window (self),
                                                       _("Delete Contact?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  request = g_new0 (DeleteRequest, 1);
  request->self = g_object_ref (self);
  request->id = jarchi_contact_get_id (contact);
  request->name = g_strdup (jarchi_contact_get_name (contact));
  g_signal_connect_data (dialog, "response", G_CALLBACK (delete_response), request,
                         delete_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- contacts.toggle-dnc --- */

static void
toggle_dnc_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiContactsPage *self = JARCHI_CONTACTS_PAGE (widget);
  g_autoptr(JarchiContact) contact = lookup_contact (self, parameter);
  g_autoptr(GError) error = NULL;
  const char *phone;

  if (contact == NULL)
    return;
  phone = jarchi_contact_get_phone (contact);
  if (jarchi_contact_get_do_not_call (contact))
    {
      if (jarchi_contact_book_remove_dnc (self->book, phone, &error))
        jarchi_contacts_page_toast (self, _("“%s” can be called again"), jarchi_contact_get_name (contact));
    }
  else
    {
      if (jarchi_contact_book_add_dnc (self->book, phone, NULL, NULL, &error))
        jarchi_contacts_page_toast (self, _("Broadcasts will not call “%s”"), jarchi_contact_get_name (contact));
    }
  if (error != NULL)
    jarchi_contacts_page_show_error (self, _("Could Not Change the Do-Not-Call List"), error->message);
}

/* --- contacts.call --- */

static void
call_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiContactsPage *self = JARCHI_CONTACTS_PAGE (widget);

  /* The dialer owns calling; this page only hands it the number. */
  if (self->app != NULL && g_action_group_has_action (self->app, "dial"))
    g_action_group_activate_action (self->app, "dial", parameter);
}

static void
update_call_action (JarchiContactsPage *self)
{
  gboolean can_dial = self->app != NULL &&
                      g_action_group_has_action (self->app, "dial") &&
                      g_action_group_get_action_enabled (self->app, "dial");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.call", can_dial);
}

static void
set_app (JarchiContactsPage *self, GActionGroup *app)
{
  if (self->app == app)
    return;
  if (self->app != NULL)
    g_signal_handlers_disconnect_by_func (self->app, update_call_action, self);
  g_set_object (&self->app, app);
  if (app != NULL)
    {
      g_signal_connect_object (app, "action-added::dial", G_CALLBACK (update_call_action), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "action-removed::dial", G_CALLBACK (update_call_action), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "action-enabled-changed::dial", G_CALLBACK (update_call_action), self, G_CONNECT_SWAPPED);
    }
  update_call_action (self);
}

static void
window_application_changed (JarchiContactsPage *self)
{
  GtkApplication *app = self->window ? gtk_window_get_application (self->window) : NULL;

  set_app (self, app ? G_ACTION_GROUP (app) : NULL);
}

static void
set_window (JarchiContactsPage *self, GtkWindow *window)
{
  if (self->window == window)
    return;
  if (self->window != NULL)
    g_signal_handlers_disconnect_by_func (self->window, window_application_changed, self);
  g_set_weak_pointer (&self->window, window);
  if (window != NULL)
    g_signal_connect_object (window, "notify::application", G_CALLBACK (window_application_changed),
                             self, G_CONNECT_SWAPPED);
  window_application_changed (self);
}

/* --- contacts.clear-filters and the search shortcut --- */

static void
clear_filters_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  clear_filters (JARCHI_CONTACTS_PAGE (widget));
}

static gboolean
focus_search (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  JarchiContactsPage *self = JARCHI_CONTACTS_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "list") != 0)
    return FALSE;
  return gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* --- GObject and GtkWidget --- */

static void
disconnect_book (JarchiContactsPage *self)
{
  if (self->book == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->book, self);
  g_signal_handlers_disconnect_by_data (jarchi_contact_book_get_contacts (self->book), self);
  g_clear_object (&self->book);
}

static void
jarchi_contacts_page_root (GtkWidget *widget)
{
  JarchiContactsPage *self = JARCHI_CONTACTS_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (jarchi_contacts_page_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  set_window (self, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
}

static void
jarchi_contacts_page_unroot (GtkWidget *widget)
{
  JarchiContactsPage *self = JARCHI_CONTACTS_PAGE (widget);

  set_window (self, NULL);

  GTK_WIDGET_CLASS (jarchi_contacts_page_parent_class)->unroot (widget);
}

static void
jarchi_contacts_page_dispose (GObject *object)
{
  JarchiContactsPage *self = JARCHI_CONTACTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }
  set_window (self, NULL);
  set_app (self, NULL);
  disconnect_book (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), JARCHI_TYPE_CONTACTS_PAGE);
  g_clear_object (&self->service);
  g_clear_object (&self->departments);
  g_clear_object (&self->districts);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (jarchi_contacts_page_parent_class)->dispose (object);
}

static void
jarchi_contacts_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiContactsPage *self = JARCHI_CONTACTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_contacts_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiContactsPage *self = JARCHI_CONTACTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      jarchi_contacts_page_set_service (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_contacts_page_class_init (JarchiContactsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jarchi_contacts_page_dispose;
  object_class->get_property = jarchi_contacts_page_get_property;
  object_class->set_property = jarchi_contacts_page_set_property;
  widget_class->root = jarchi_contacts_page_root;
  widget_class->unroot = jarchi_contacts_page_unroot;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, JARCHI_TYPE_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (JARCHI_TYPE_CONTACT_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jarchi/Jarchi/contacts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JarchiContactsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactsPage, department_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactsPage, district_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactsPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_item_setup);
  gtk_widget_class_bind_template_callback (widget_class, on_item_bind);
  gtk_widget_class_bind_template_callback (widget_class, on_item_unbind);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);

  gtk_widget_class_install_action (widget_class, "contacts.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "contacts.import", NULL, jarchi_contacts_page_import_action);
  gtk_widget_class_install_action (widget_class, "contacts.export", NULL, jarchi_contacts_page_export_action);
  gtk_widget_class_install_action (widget_class, "contacts.edit", "x", edit_action);
  gtk_widget_class_install_action (widget_class, "contacts.delete", "x", delete_action);
  gtk_widget_class_install_action (widget_class, "contacts.toggle-dnc", "x", toggle_dnc_action);
  gtk_widget_class_install_action (widget_class, "contacts.call", "s", call_action);
  gtk_widget_class_install_action (widget_class, "contacts.clear-filters", NULL, clear_filters_action);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, focus_search, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "contacts.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "contacts.import", NULL);
}

static GListStore *
new_group_store (const char *all_label)
{
  GListStore *store = g_list_store_new (JARCHI_TYPE_GROUP);
  g_autoptr(JarchiGroup) all = jarchi_group_new (0, all_label, 0);

  g_list_store_append (store, all);
  return store;
}

static void
jarchi_contacts_page_init (JarchiContactsPage *self)
{
  g_autoptr(GtkExpression) department_name = NULL;
  g_autoptr(GtkExpression) district_name = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->departments = new_group_store (_("All Departments"));
  self->districts = new_group_store (_("All Districts"));

  department_name = gtk_property_expression_new (JARCHI_TYPE_GROUP, NULL, "name");
  district_name = gtk_property_expression_new (JARCHI_TYPE_GROUP, NULL, "name");
  self->syncing = TRUE;
  gtk_drop_down_set_expression (self->department_dropdown, department_name);
  gtk_drop_down_set_model (self->department_dropdown, G_LIST_MODEL (self->departments));
  gtk_drop_down_set_expression (self->district_dropdown, district_name);
  gtk_drop_down_set_model (self->district_dropdown, G_LIST_MODEL (self->districts));
  self->syncing = FALSE;

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.call", FALSE);
  update_state (self);
}

GtkWidget *
jarchi_contacts_page_new (JarchiService *service)
{
  return g_object_new (JARCHI_TYPE_CONTACTS_PAGE, "service", service, NULL);
}

JarchiService *
jarchi_contacts_page_get_service (JarchiContactsPage *self)
{
  g_return_val_if_fail (JARCHI_IS_CONTACTS_PAGE (self), NULL);
  return self->service;
}

/**
 * jarchi_contacts_page_set_service:
 * @service: (nullable): the engine whose contact book the page shows
 *
 * Shows @service's contact book, starting with no search and no filters
 * (the page drives the book's filter properties).
 */
void
jarchi_contacts_page_set_service (JarchiContactsPage *self, JarchiService *service)
{
  GListModel *contacts;
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (JARCHI_IS_CONTACTS_PAGE (self));
  g_return_if_fail (service == NULL || JARCHI_IS_SERVICE (service));

  if (self->service == service)
    return;

  gtk_list_view_set_model (self->list_view, NULL);
  disconnect_book (self);
  g_set_object (&self->service, service);
  self->total = 0;
  self->department_filter = 0;
  self->district_filter = 0;

  if (service != NULL)
    {
      self->book = g_object_ref (jarchi_service_get_contact_book (service));
      jarchi_contact_book_set_search (self->book, "");
      jarchi_contact_book_set_department_filter (self->book, 0);
      jarchi_contact_book_set_district_filter (self->book, 0);

      contacts = jarchi_contact_book_get_contacts (self->book);
      selection = gtk_no_selection_new (g_object_ref (contacts));
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
      g_signal_connect_object (self->book, "changed", G_CALLBACK (book_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (contacts, "items-changed", G_CALLBACK (contacts_items_changed), self,
                               G_CONNECT_SWAPPED);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  if (self->book != NULL)
    book_changed (self);
  else
    {
      /* No book: only the "All" entries stay. */
      self->syncing = TRUE;
      g_list_store_splice (self->departments, 1, g_list_model_get_n_items (G_LIST_MODEL (self->departments)) - 1, NULL, 0);
      g_list_store_splice (self->districts, 1, g_list_model_get_n_items (G_LIST_MODEL (self->districts)) - 1, NULL, 0);
      self->syncing = FALSE;
      update_state (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
}
