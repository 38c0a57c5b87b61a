/* JarchiDateButton: a day picked from a calendar in a popover, or none, with a button to clear it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define JARCHI_TYPE_DATE_BUTTON (jarchi_date_button_get_type ())
G_DECLARE_FINAL_TYPE (JarchiDateButton, jarchi_date_button, JARCHI, DATE_BUTTON, GtkWidget)

GtkWidget  *jarchi_date_button_new      (void);
/* The day picked, as local midnight; NULL when none. */
GDateTime  *jarchi_date_button_get_date (JarchiDateButton *self);
void        jarchi_date_button_set_date (JarchiDateButton *self,
                                         GDateTime        *date);

/* Properties: "date" (GDateTime, nullable), "placeholder" (shown when no day is picked),
 * "title" (the accessible name, e.g. "From date"). */

G_END_DECLS
