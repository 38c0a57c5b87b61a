/* JarchiService: the engine behind every view — data directory, store, dashboard — shared by GUI and headless mode. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "jarchi-contact-book.h"
#include "jarchi-dashboard-auth.h"
#include "jarchi-media-library.h"
#include "jarchi-store.h"
#include "jarchi-web-server.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_SERVICE (jarchi_service_get_type ())
G_DECLARE_FINAL_TYPE (JarchiService, jarchi_service, JARCHI, SERVICE, GObject)

JarchiService       *jarchi_service_new             (const char     *data_dir,
                                                     GError        **error);
gboolean             jarchi_service_start_dashboard (JarchiService  *self,
                                                     const char     *address,
                                                     guint           port,
                                                     GError        **error);
void                 jarchi_service_shutdown        (JarchiService  *self);
const char          *jarchi_service_get_data_dir    (JarchiService  *self);
JarchiStore         *jarchi_service_get_store       (JarchiService  *self);
JarchiDashboardAuth *jarchi_service_get_auth        (JarchiService  *self);
JarchiWebServer     *jarchi_service_get_web_server  (JarchiService  *self);
JarchiContactBook   *jarchi_service_get_contact_book (JarchiService *self);
JarchiMediaLibrary  *jarchi_service_get_media_library (JarchiService *self);

G_END_DECLS
