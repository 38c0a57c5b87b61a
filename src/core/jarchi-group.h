/* JarchiGroup: a named group of contacts (a department or a district) with its size. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define JARCHI_TYPE_GROUP (jarchi_group_get_type ())
G_DECLARE_FINAL_TYPE (JarchiGroup, jarchi_group, JARCHI, GROUP, GObject)

JarchiGroup *jarchi_group_new       (gint64       id,
                                     const char  *name,
                                     guint        count);
gint64       jarchi_group_get_id    (JarchiGroup *self);
const char  *jarchi_group_get_name  (JarchiGroup *self);
void         jarchi_group_set_name  (JarchiGroup *self,
                                     const char  *name);
guint        jarchi_group_get_count (JarchiGroup *self);
void         jarchi_group_set_count (JarchiGroup *self,
                                     guint        count);

G_END_DECLS
