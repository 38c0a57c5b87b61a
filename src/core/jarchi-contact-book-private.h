/* Internals shared by JarchiContactBook's source files (core, models, do-not-call and CSV). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-contact-book.h"

G_BEGIN_DECLS

struct _JarchiContactBook
{
  GObject      parent_instance;
  JarchiStore *store;
  GListStore  *contacts;     /* JarchiContact matching the filters; made on first use */
  GListStore  *departments;  /* JarchiGroup; made on first use */
  GListStore  *districts;
  gint64       department_filter;
  gint64       district_filter;
  char        *search;
};

typedef enum {
  JARCHI_GROUP_DEPARTMENT,
  JARCHI_GROUP_DISTRICT,
} JarchiGroupKind;

gboolean   jarchi_contact_book_db_error      (JarchiContactBook *self,
                                              GError           **error);
void       jarchi_contact_book_emit_changed  (JarchiContactBook *self);
void       jarchi_contact_book_sync_models   (JarchiContactBook *self);
void       jarchi_contact_book_sync_contacts (JarchiContactBook *self);
GPtrArray *jarchi_contact_book_list_groups   (JarchiContactBook *self,
                                              JarchiGroupKind    kind,
                                              GError           **error);
gint64     jarchi_contact_book_resolve_group (JarchiContactBook *self,
                                              JarchiGroupKind    kind,
                                              const char        *name,
                                              GHashTable        *cache,
                                              GError           **error);

G_END_DECLS
