/* JarchiHistoryPage: the History page, every call in a column view with search, filters, playback, call back and CSV export. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "jarchi-service.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_HISTORY_PAGE (jarchi_history_page_get_type ())
G_DECLARE_FINAL_TYPE (JarchiHistoryPage, jarchi_history_page, JARCHI, HISTORY_PAGE, AdwBin)

/* Shows @service's call history (NULL: nothing). Call back activates win.dial (s). */
void jarchi_history_page_set_service (JarchiHistoryPage *self,
                                      JarchiService     *service);

/* Properties: "service". Actions: history.play, history.call-back, history.export. */

G_END_DECLS
