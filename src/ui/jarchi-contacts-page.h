/* JarchiContactsPage: the Contacts page — search, department and district filters, the list, CSV import and export. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "jarchi-service.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_CONTACTS_PAGE (jarchi_contacts_page_get_type ())
G_DECLARE_FINAL_TYPE (JarchiContactsPage, jarchi_contacts_page, JARCHI, CONTACTS_PAGE, GtkWidget)

GtkWidget     *jarchi_contacts_page_new         (JarchiService      *service);
JarchiService *jarchi_contacts_page_get_service (JarchiContactsPage *self);
void           jarchi_contacts_page_set_service (JarchiContactsPage *self,
                                                 JarchiService      *service);

G_END_DECLS
