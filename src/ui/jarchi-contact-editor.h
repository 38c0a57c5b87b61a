/* JarchiContactEditor: the dialog that adds a contact or edits one, checking the phone number as it is typed. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "jarchi-contact-book.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_CONTACT_EDITOR (jarchi_contact_editor_get_type ())
G_DECLARE_FINAL_TYPE (JarchiContactEditor, jarchi_contact_editor, JARCHI, CONTACT_EDITOR, AdwWindow)

JarchiContactEditor *jarchi_contact_editor_new          (GtkWindow           *parent,
                                                         JarchiContactBook   *book,
                                                         JarchiContact       *contact);
JarchiContactBook   *jarchi_contact_editor_get_book     (JarchiContactEditor *self);
JarchiContact       *jarchi_contact_editor_get_contact  (JarchiContactEditor *self);

G_END_DECLS
