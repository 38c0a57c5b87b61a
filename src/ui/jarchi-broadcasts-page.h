/* JarchiBroadcastsPage: the Broadcasts page — the campaign list, the editor and one campaign's live view. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "jarchi-service.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_BROADCASTS_PAGE (jarchi_broadcasts_page_get_type ())
G_DECLARE_FINAL_TYPE (JarchiBroadcastsPage, jarchi_broadcasts_page, JARCHI, BROADCASTS_PAGE, GtkWidget)

GtkWidget     *jarchi_broadcasts_page_new         (JarchiService        *service);
JarchiService *jarchi_broadcasts_page_get_service (JarchiBroadcastsPage *self);
void           jarchi_broadcasts_page_set_service (JarchiBroadcastsPage *self,
                                                   JarchiService        *service);

/* Properties: "service". */

G_END_DECLS
