/* JarchiContactBook: contacts, departments, districts and the do-not-call list, kept in the store. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "jarchi-contact.h"
#include "jarchi-csv-import.h"
#include "jarchi-group.h"
#include "jarchi-store.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_CONTACT_BOOK (jarchi_contact_book_get_type ())
G_DECLARE_FINAL_TYPE (JarchiContactBook, jarchi_contact_book, JARCHI, CONTACT_BOOK, GObject)

/* One do-not-call entry; contact_name is "" when no contact has that phone. */
typedef struct {
  char   *phone;
  char   *reason;
  gint64  added_at;
  char   *contact_name;
} JarchiDncEntry;

void                jarchi_dnc_entry_free                (JarchiDncEntry    *entry);
JsonNode           *jarchi_dnc_entry_to_json             (JarchiDncEntry    *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JarchiDncEntry, jarchi_dnc_entry_free)

JarchiContactBook  *jarchi_contact_book_new              (JarchiStore       *store);
JarchiStore        *jarchi_contact_book_get_store        (JarchiContactBook *self);

/* Contacts. Group ids and filters: 0 means "any"; an id that does not exist matches nothing. */
JarchiContact      *jarchi_contact_book_get              (JarchiContactBook *self,
                                                          gint64             id,
                                                          GError           **error);
JarchiContact      *jarchi_contact_book_find_by_phone    (JarchiContactBook *self,
                                                          const char        *phone);
gboolean            jarchi_contact_book_add              (JarchiContactBook *self,
                                                          JarchiContact     *contact,
                                                          GError           **error);
gboolean            jarchi_contact_book_update           (JarchiContactBook *self,
                                                          JarchiContact     *contact,
                                                          GError           **error);
gboolean            jarchi_contact_book_remove           (JarchiContactBook *self,
                                                          gint64             id,
                                                          GError           **error);
GPtrArray          *jarchi_contact_book_query            (JarchiContactBook *self,
                                                          gint64             department_id,
                                                          gint64             district_id,
                                                          const char        *search,
                                                          guint              offset,
                                                          guint              limit,
                                                          guint             *total,
                                                          GError           **error);

/* The contacts matching the book's filter properties, kept current. */
GListModel         *jarchi_contact_book_get_contacts     (JarchiContactBook *self);
gint64              jarchi_contact_book_get_department_filter (JarchiContactBook *self);
void                jarchi_contact_book_set_department_filter (JarchiContactBook *self,
                                                          gint64             department_id);
gint64              jarchi_contact_book_get_district_filter (JarchiContactBook *self);
void                jarchi_contact_book_set_district_filter (JarchiContactBook *self,
                                                          gint64             district_id);
const char         *jarchi_contact_book_get_search       (JarchiContactBook *self);
void                jarchi_contact_book_set_search       (JarchiContactBook *self,
                                                          const char        *search);

/* Departments and districts (JarchiGroup, by name), created on the fly by name. */
GListModel         *jarchi_contact_book_get_departments  (JarchiContactBook *self);
GListModel         *jarchi_contact_book_get_districts    (JarchiContactBook *self);
GPtrArray          *jarchi_contact_book_list_departments (JarchiContactBook *self,
                                                          GError           **error);
GPtrArray          *jarchi_contact_book_list_districts   (JarchiContactBook *self,
                                                          GError           **error);
gint64              jarchi_contact_book_find_department  (JarchiContactBook *self,
                                                          const char        *name);
gint64              jarchi_contact_book_find_district    (JarchiContactBook *self,
                                                          const char        *name);

/* Do-not-call list, by normalised phone. */
gboolean            jarchi_contact_book_add_dnc          (JarchiContactBook *self,
                                                          const char        *phone,
                                                          const char        *reason,
                                                          gboolean          *added,
                                                          GError           **error);
gboolean            jarchi_contact_book_remove_dnc       (JarchiContactBook *self,
                                                          const char        *phone,
                                                          GError           **error);
gboolean            jarchi_contact_book_is_dnc           (JarchiContactBook *self,
                                                          const char        *phone);
JarchiDncEntry     *jarchi_contact_book_get_dnc          (JarchiContactBook *self,
                                                          const char        *phone,
                                                          GError           **error);
GPtrArray          *jarchi_contact_book_list_dnc         (JarchiContactBook *self,
                                                          GError           **error);

/* CSV. */
JarchiImportReport *jarchi_contact_book_import_csv       (JarchiContactBook *self,
                                                          const char        *data,
                                                          gsize              len,
                                                          GError           **error);
GBytes             *jarchi_contact_book_export_csv       (JarchiContactBook *self,
                                                          gint64             department_id,
                                                          gint64             district_id,
                                                          const char        *search,
                                                          GError           **error);

G_END_DECLS
