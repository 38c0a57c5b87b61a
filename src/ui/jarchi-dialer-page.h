/* JarchiDialerPage: the Phone page — number entry with contact search, dial pad, account choice, and the calls in progress. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "jarchi-service.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_DIALER_PAGE (jarchi_dialer_page_get_type ())
G_DECLARE_FINAL_TYPE (JarchiDialerPage, jarchi_dialer_page, JARCHI, DIALER_PAGE, GtkWidget)

JarchiService *jarchi_dialer_page_get_service  (JarchiDialerPage *self);
void           jarchi_dialer_page_set_service  (JarchiDialerPage *self,
                                                JarchiService    *service);
/* Puts NUMBER (a number, name or sip:/sips:/tel: URI; NULL keeps the text) in the entry
 * and moves the keyboard focus there. */
void           jarchi_dialer_page_show_number  (JarchiDialerPage *self,
                                                const char       *number);
/* Calls TO (NULL or "": what the entry holds) with the chosen account.  FALSE, with the
 * reason shown on the page, when it could not. */
gboolean       jarchi_dialer_page_dial         (JarchiDialerPage *self,
                                                const char       *to);

G_END_DECLS
