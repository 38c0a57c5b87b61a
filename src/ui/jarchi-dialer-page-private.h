/* JarchiDialerPage internals shared by its implementation files (page, number entry). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-call-manager.h"
#include "jarchi-dialer-page.h"

G_BEGIN_DECLS

struct _JarchiDialerPage
{
  GtkWidget            parent_instance;

  JarchiService       *service;
  JarchiCallManager   *manager;
  JarchiContactBook   *book;
  GListModel          *accounts;
  GtkFlattenListModel *account_model;  /* the accounts, then "Direct (no account)" */
  GListStore          *matches;        /* JarchiContact matching the entry */
  gboolean             account_chosen; /* the person picked an account: keep it */
  gpointer             account_shown;  /* the selected item, to tell a pick from a shift */
  gboolean             syncing;        /* the page itself changes the dropdown or the entry */
  gboolean             had_calls;
  guint                search_source;
  guint                status_source;

  AdwLeaflet          *leaflet;
  GtkWidget           *back_to_calls_button;
  GtkDropDown         *account_dropdown;
  GtkEntry            *number_entry;
  GtkLabel            *status_label;
  GtkStack            *calls_stack;
  AdwStatusPage       *empty_page;
  GtkBox              *calls_box;
  GtkWidget           *show_dialer_button;
  GtkPopover          *matches_popover;
  GtkListBox          *matches_list;
};


/* jarchi-dialer-page-entry.c: the number entry, with contact suggestions as one types. */
void jarchi_dialer_page_entry_init       (JarchiDialerPage *self);
void jarchi_dialer_page_entry_dispose    (JarchiDialerPage *self);
/* Sets the entry's text without looking for contacts. */
void jarchi_dialer_page_set_number       (JarchiDialerPage *self,
                                          const char       *text);
void jarchi_dialer_page_hide_matches     (JarchiDialerPage *self);
/* Template callbacks of dialer.ui. */
void jarchi_dialer_page_number_changed   (JarchiDialerPage *self);
void jarchi_dialer_page_number_activated (JarchiDialerPage *self);
void jarchi_dialer_page_match_activated  (JarchiDialerPage *self,
                                          GtkListBoxRow    *row);

G_END_DECLS
