/* JarchiContactsPage internals shared by its implementation files (page, CSV import and export). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-contacts-page.h"

G_BEGIN_DECLS

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

GtkWindow *jarchi_contacts_page_parent_window (JarchiContactsPage *self);
/* Shows a toast; the arguments are escaped, as a toast title is Pango markup. */
void       jarchi_contacts_page_toast         (JarchiContactsPage *self,
                                               const char         *format,
                                               ...) G_GNUC_PRINTF (2, 3);
void       jarchi_contacts_page_show_error    (JarchiContactsPage *self,
                                               const char         *heading,
                                               const char         *message);

/* jarchi-contacts-page-csv.c: contacts.import and contacts.export through file choosers. */
void       jarchi_contacts_page_import_action (GtkWidget          *widget,
                                               const char         *action_name,
                                               GVariant           *parameter);
void       jarchi_contacts_page_export_action (GtkWidget          *widget,
                                               const char         *action_name,
                                               GVariant           *parameter);

G_END_DECLS
