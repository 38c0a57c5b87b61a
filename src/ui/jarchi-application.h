/* JarchiApplication: the single-instance desktop application. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define JARCHI_TYPE_APPLICATION (jarchi_application_get_type ())
G_DECLARE_FINAL_TYPE (JarchiApplication, jarchi_application, JARCHI, APPLICATION, AdwApplication)

JarchiApplication *jarchi_application_new             (void);
int                jarchi_application_get_exit_status (JarchiApplication *self);

G_END_DECLS
