/* The dashboard's contacts API: contacts, CSV import/export, departments, districts and do-not-call. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-contact-book.h"
#include "jarchi-web-server.h"

G_BEGIN_DECLS

#define JARCHI_CONTACTS_API_IMPORT_MAX_BYTES (10 * 1024 * 1024)
#define JARCHI_CONTACTS_API_JSON_MAX_BYTES   (64 * 1024)
#define JARCHI_CONTACTS_API_DEFAULT_LIMIT    100
#define JARCHI_CONTACTS_API_MAX_LIMIT        1000

void jarchi_contacts_api_register (JarchiWebServer   *server,
                                   JarchiContactBook *book);

G_END_DECLS
