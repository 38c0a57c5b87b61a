/* JarchiContactsPage: the contact book as a searchable, filterable list; every user action is a contacts.* GAction. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-contact-editor.h"
#include "jarchi-contact-row.h"
#include "jarchi-contacts-api.h"
#include "jarchi-contacts-page.h"

/* The rejected rows listed one by one in the import report; the rest are counted. */
#define REPORT_MAX_ROWS 200

struct _JarchiContactsPage
{
  GtkWidget          parent_instance;

  JarchiService     *service;
  JarchiContactBook *book;
  GListStore        *departments;  /* JarchiGroup: "All Departments", then the book's departments */
  GListStore        *districts;
  gint64             department_filter;
  gint64             district_filter;
  guint              total;        /* contacts in the book, whatever the filters */
  gboolean           syncing;      /* the dropdowns are being updated from the book */
  GCancellable      *cancellable;
  GtkNativeDialog   *chooser;      /* the open import or export file chooser */
  GtkWindow         *window;       /* the window we are in, to follow its application */
  GActionGroup      *app;          /* that application, to see whether app.dial exists */

  AdwToastOverlay   *toast_overlay;
  GtkStack          *stack;
  GtkSearchEntry    *search_entry;
  GtkDropDown       *department_dropdown;
  GtkDropDown       *district_dropdown;
  GtkStack          *list_stack;
  GtkListView       *list_view;
  GtkLabel          *count_label;
};

G_DEFINE_FINAL_TYPE (JarchiContactsPage, jarchi_contacts_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- helpers --- */

static GtkWindow *
parent_window (JarchiContactsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
toast (JarchiContactsPage *self, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Shows a toast; the arguments are escaped, as a toast title is Pango markup. */
static void
toast (JarchiContactsPage *self, const char *format, ...)
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

static void
show_error (JarchiContactsPage *self, const char *heading, const char *message)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self), heading, message));

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
    show_error (self, _("Contact Not Found"), error->message);
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
  toast (self, _("Saved “%s”"), jarchi_contact_get_name (contact));
}

static void
open_editor (JarchiContactsPage *self, JarchiContact *contact)
{
  JarchiContactEditor *editor = jarchi_contact_editor_new (parent_window (self), self->book, contact);

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
    show_error (self, _("Could Not Delete the Contact"), error->message);
  else
    toast (self, _("Deleted “%s”"), request->name);
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
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self), _("Delete Contact?"), body));
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
        toast (self, _("“%s” can be called again"), jarchi_contact_get_name (contact));
    }
  else
    {
      if (jarchi_contact_book_add_dnc (self->book, phone, NULL, NULL, &error))
        toast (self, _("Broadcasts will not call “%s”"), jarchi_contact_get_name (contact));
    }
  if (error != NULL)
    show_error (self, _("Could Not Change the Do-Not-Call List"), error->message);
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

/* --- contacts.import --- */

/* Core messages start in lower case so they can follow "Line 7: "; on their own they start a sentence. */
static char *
capitalize (const char *text)
{
  gunichar first = g_utf8_get_char (text);
  char buf[6];
  int len;

  if (first == 0 || !g_unichar_islower (first))
    return g_strdup (text);
  len = g_unichar_to_utf8 (g_unichar_totitle (first), buf);
  return g_strdup_printf ("%.*s%s", len, buf, g_utf8_next_char (text));
}

static void
set_number (GtkBuilder *builder, const char *id, guint value)
{
  g_autofree char *text = g_strdup_printf ("%u", value);

  gtk_label_set_label (GTK_LABEL (gtk_builder_get_object (builder, id)), text);
}

static void
show_import_report (JarchiContactsPage *self, JarchiImportReport *report, const char *file_name)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/jarchi/Jarchi/import-report.ui");
  GtkWindow *dialog = GTK_WINDOW (gtk_builder_get_object (builder, "dialog"));
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (gtk_builder_get_object (builder, "rejected_group"));
  AdwWindowTitle *title = ADW_WINDOW_TITLE (gtk_builder_get_object (builder, "window_title"));
  guint n_rejected = report->rejected->len;

  set_number (builder, "imported_label", report->imported);
  set_number (builder, "updated_label", report->updated);
  set_number (builder, "rejected_label", n_rejected);
  adw_window_title_set_subtitle (title, file_name);
  if (n_rejected > 0)
    adw_window_title_set_title (title, _("Import Finished With Problems"));

  for (guint i = 0; i < n_rejected && i < REPORT_MAX_ROWS; i++)
    {
      JarchiImportRejection *rejection = g_ptr_array_index (report->rejected, i);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *line = g_strdup_printf (_("Line %u"), rejection->line);
      g_autofree char *reason = capitalize (rejection->reason);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), line);
      adw_action_row_set_subtitle (row, reason);
      adw_preferences_group_add (group, GTK_WIDGET (row));
    }
  if (n_rejected > REPORT_MAX_ROWS)
    {
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "…and %u more row",
                                                            "…and %u more rows", n_rejected - REPORT_MAX_ROWS),
                                               n_rejected - REPORT_MAX_ROWS);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), more);
      adw_preferences_group_add (group, GTK_WIDGET (row));
    }
  gtk_widget_set_visible (GTK_WIDGET (group), n_rejected > 0);
  /* Wrapped reasons make the natural height unreliable: give the list room, and a scroll bar. */
  if (n_rejected > 0)
    gtk_window_set_default_size (dialog, 520, 560);

  gtk_window_set_transient_for (dialog, parent_window (self));
  gtk_window_present (dialog);
}

static void
import_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autoptr(JarchiImportReport) report = NULL;
  g_autofree char *file_name = NULL;
  JarchiContactsPage *self;
  gsize len = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &data, &len, NULL, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the page is gone */

  self = JARCHI_CONTACTS_PAGE (user_data);
  if (error != NULL)
    {
      show_error (self, _("Could Not Read the File"), error->message);
      return;
    }
  if (len > JARCHI_CONTACTS_API_IMPORT_MAX_BYTES)
    {
      g_autofree char *message = g_strdup_printf (_("The file is larger than %u MiB. Split it into smaller files."),
                                                  (guint) (JARCHI_CONTACTS_API_IMPORT_MAX_BYTES / (1024 * 1024)));

      show_error (self, _("Could Not Import Contacts"), message);
      return;
    }
  if (self->book == NULL)
    return;
  report = jarchi_contact_book_import_csv (self->book, data, len, &error);
  if (report == NULL)
    {
      show_error (self, _("Could Not Import Contacts"), error->message);
      return;
    }
  file_name = g_file_get_basename (G_FILE (source));
  show_import_report (self, report, file_name);
}

static void
import_response (JarchiContactsPage *self, int response, GtkNativeDialog *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
  if (file != NULL)
    g_file_load_contents_async (file, self->cancellable, import_loaded, self);
}

static void
add_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (csv, _("CSV Files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_pattern (csv, "*.csv");
  gtk_file_filter_add_pattern (csv, "*.CSV");
  gtk_file_chooser_add_filter (chooser, csv);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
  gtk_file_chooser_set_filter (chooser, csv);
}

static void
import_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiContactsPage *self = JARCHI_CONTACTS_PAGE (widget);
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL || self->book == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Import Contacts"), parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  add_filters (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (import_response), self, G_CONNECT_SWAPPED);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* --- contacts.export --- */

typedef struct {
  JarchiContactsPage *self;  /* not a reference: only used when not cancelled */
  char               *name;
  guint               count;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_free (job->name);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportJob, export_job_free)

static void
export_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(ExportJob) job = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (job->self, _("Could Not Export Contacts"), error->message);
      return;
    }
  toast (job->self, g_dngettext (GETTEXT_PACKAGE, "Exported %u contact to “%s”",
                                 "Exported %u contacts to “%s”", job->count), job->count, job->name);
}

static void
export_response (JarchiContactsPage *self, int response, GtkNativeDialog *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  ExportJob *job;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
  if (file == NULL || self->book == NULL)
    return;

  /* What the page shows is what gets saved: the same search and filters. */
  bytes = jarchi_contact_book_export_csv (self->book, self->department_filter, self->district_filter,
                                          jarchi_contact_book_get_search (self->book), &error);
  if (bytes == NULL)
    {
      show_error (self, _("Could Not Export Contacts"), error->message);
      return;
    }
  job = g_new0 (ExportJob, 1);
  job->self = self;
  job->name = g_file_get_basename (file);
  job->count = g_list_model_get_n_items (jarchi_contact_book_get_contacts (self->book));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, export_written, job);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiContactsPage *self = JARCHI_CONTACTS_PAGE (widget);
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL || self->book == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Contacts"), parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  add_filters (GTK_FILE_CHOOSER (chooser));
  /* TRANSLATORS: the suggested file name for exported contacts; keep the .csv ending. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("contacts.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response), self, G_CONNECT_SWAPPED);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
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
  gtk_widget_class_install_action (widget_class, "contacts.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "contacts.export", NULL, export_action);
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
