/* JarchiContactsPage's CSV files: contacts.import (file chooser, reading, the import report) and contacts.export. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-contacts-api.h"
#include "jarchi-contacts-page-private.h"

/* The rejected rows listed one by one in the import report; the rest are counted. */
#define REPORT_MAX_ROWS 200

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

  gtk_window_set_transient_for (dialog, jarchi_contacts_page_parent_window (self));
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
      jarchi_contacts_page_show_error (self, _("Could Not Read the File"), error->message);
      return;
    }
  if (len > JARCHI_CONTACTS_API_IMPORT_MAX_BYTES)
    {
      g_autofree char *message = g_strdup_printf (_("The file is larger than %u MiB. Split it into smaller files."),
                                                  (guint) (JARCHI_CONTACTS_API_IMPORT_MAX_BYTES / (1024 * 1024)));

      jarchi_contacts_page_show_error (self, _("Could Not Import Contacts"), message);
      return;
    }
  if (self->book == NULL)
    return;
  report = jarchi_contact_book_import_csv (self->book, data, len, &error);
  if (report == NULL)
    {
      jarchi_contacts_page_show_error (self, _("Could Not Import Contacts"), error->message);
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

void
jarchi_contacts_page_import_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiContactsPage *self = JARCHI_CONTACTS_PAGE (widget);
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL || self->book == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Import Contacts"), jarchi_contacts_page_parent_window (self),
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
        jarchi_contacts_page_show_error (job->self, _("Could Not Export Contacts"), error->message);
      return;
    }
  jarchi_contacts_page_toast (job->self, g_dngettext (GETTEXT_PACKAGE, "Exported %u contact to “%s”",
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
      jarchi_contacts_page_show_error (self, _("Could Not Export Contacts"), error->message);
      return;
    }
  job = g_new0 (ExportJob, 1);
  job->self = self;
  job->name = g_file_get_basename (file);
  job->count = g_list_model_get_n_items (jarchi_contact_book_get_contacts (self->book));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, export_written, job);
}

void
jarchi_contacts_page_export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiContactsPage *self = JARCHI_CONTACTS_PAGE (widget);
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL || self->book == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Contacts"), jarchi_contacts_page_parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  add_filters (GTK_FILE_CHOOSER (chooser));
  /* TRANSLATORS: the suggested file name for exported contacts; keep the .csv ending. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("contacts.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response), self, G_CONNECT_SWAPPED);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}
