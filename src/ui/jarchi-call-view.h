/* JarchiCallView: one call on the Phone page — who, state and timer, and its in-call controls. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "jarchi-call-manager.h"
#include "jarchi-contact-book.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_CALL_VIEW (jarchi_call_view_get_type ())
G_DECLARE_FINAL_TYPE (JarchiCallView, jarchi_call_view, JARCHI, CALL_VIEW, GtkWidget)

GtkWidget  *jarchi_call_view_new          (JarchiCallManager *manager,
                                           JarchiCall        *call,
                                           JarchiContactBook *book);
JarchiCall *jarchi_call_view_get_call     (JarchiCallView    *self);
gboolean    jarchi_call_view_get_expanded (JarchiCallView    *self);
void        jarchi_call_view_set_expanded (JarchiCallView    *self,
                                           gboolean           expanded);

/* The call the Phone page shows in full and Ctrl+H hangs up: the newest call that is up or
 * being set up and not on hold; else the newest one ringing here; else the newest on hold. */
JarchiCall *jarchi_call_find_current      (GListModel        *calls);
/* The newest call waiting to be answered, or NULL. */
JarchiCall *jarchi_call_find_incoming     (GListModel        *calls);

/* The number or user part of the remote URI ("1001" for sip:1001@host), or the URI. */
char       *jarchi_call_dup_remote_number (JarchiCall        *call);
/* The contact's name when BOOK knows the number, else the SIP display name, else the number. */
char       *jarchi_call_dup_remote_title  (JarchiCall        *call,
                                           JarchiContactBook *book);
/* TEXT as something to call: itself when it has a digit, '@' or ':'; else the phone of the
 * one contact whose name matches it (an error when none or several do). */
char       *jarchi_call_resolve_target    (JarchiContactBook *book,
                                           const char        *text,
                                           GError           **error);
/* Translated, for people: "Ringing…", "On hold"... */
const char *jarchi_call_state_describe    (JarchiCallState    state);

G_END_DECLS
