/* JarchiWindow: the main window with the Phone, History, Contacts and Broadcasts pages. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "jarchi-service.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_WINDOW (jarchi_window_get_type ())
G_DECLARE_FINAL_TYPE (JarchiWindow, jarchi_window, JARCHI, WINDOW, AdwApplicationWindow)

JarchiWindow *jarchi_window_new          (AdwApplication *app,
                                          JarchiService  *service);
void          jarchi_window_show_page    (JarchiWindow   *self,
                                          const char     *name);
/* Says in the window that closing it will quit Jarchi (the background portal said no). */
void          jarchi_window_set_background_denied (JarchiWindow *self,
                                                   gboolean      denied);

G_END_DECLS
