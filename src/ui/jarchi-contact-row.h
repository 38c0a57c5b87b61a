/* JarchiContactRow: one contact in the Contacts page's list, with call, do-not-call, edit and delete buttons. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "jarchi-contact.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_CONTACT_ROW (jarchi_contact_row_get_type ())
G_DECLARE_FINAL_TYPE (JarchiContactRow, jarchi_contact_row, JARCHI, CONTACT_ROW, GtkWidget)

GtkWidget     *jarchi_contact_row_new         (void);
JarchiContact *jarchi_contact_row_get_contact (JarchiContactRow *self);
void           jarchi_contact_row_set_contact (JarchiContactRow *self,
                                               JarchiContact    *contact);

G_END_DECLS
