/* JarchiContact: one person Jarchi can call — name, phone, department, district and flags. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Longest text a contact field may hold, in characters. */
#define JARCHI_CONTACT_MAX_TEXT 500
#define JARCHI_CONTACT_MAX_NOTE 4000

#define JARCHI_TYPE_CONTACT (jarchi_contact_get_type ())
G_DECLARE_FINAL_TYPE (JarchiContact, jarchi_contact, JARCHI, CONTACT, GObject)

JarchiContact *jarchi_contact_new               (void);
JarchiContact *jarchi_contact_copy              (JarchiContact *self);
void           jarchi_contact_update_from       (JarchiContact *self,
                                                 JarchiContact *other);
gboolean       jarchi_contact_equal             (JarchiContact *a,
                                                 JarchiContact *b);
JsonNode      *jarchi_contact_to_json           (JarchiContact *self);
gboolean       jarchi_contact_normalize         (JarchiContact *self,
                                                 GError       **error);
char          *jarchi_text_clean_line           (const char    *text);
char          *jarchi_text_fold                 (const char    *text);

gint64         jarchi_contact_get_id            (JarchiContact *self);
void           jarchi_contact_set_id            (JarchiContact *self,
                                                 gint64         id);
const char    *jarchi_contact_get_name          (JarchiContact *self);
void           jarchi_contact_set_name          (JarchiContact *self,
                                                 const char    *name);
const char    *jarchi_contact_get_phone         (JarchiContact *self);
void           jarchi_contact_set_phone         (JarchiContact *self,
                                                 const char    *phone);
const char    *jarchi_contact_get_department    (JarchiContact *self);
void           jarchi_contact_set_department    (JarchiContact *self,
                                                 const char    *department);
gint64         jarchi_contact_get_department_id (JarchiContact *self);
void           jarchi_contact_set_department_id (JarchiContact *self,
                                                 gint64         department_id);
const char    *jarchi_contact_get_district      (JarchiContact *self);
void           jarchi_contact_set_district      (JarchiContact *self,
                                                 const char    *district);
gint64         jarchi_contact_get_district_id   (JarchiContact *self);
void           jarchi_contact_set_district_id   (JarchiContact *self,
                                                 gint64         district_id);
const char    *jarchi_contact_get_position      (JarchiContact *self);
void           jarchi_contact_set_position      (JarchiContact *self,
                                                 const char    *position);
const char    *jarchi_contact_get_note          (JarchiContact *self);
void           jarchi_contact_set_note          (JarchiContact *self,
                                                 const char    *note);
gboolean       jarchi_contact_get_active        (JarchiContact *self);
void           jarchi_contact_set_active        (JarchiContact *self,
                                                 gboolean       active);
gboolean       jarchi_contact_get_do_not_call   (JarchiContact *self);
void           jarchi_contact_set_do_not_call   (JarchiContact *self,
                                                 gboolean       do_not_call);

G_END_DECLS
