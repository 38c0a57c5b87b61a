/* JarchiService: the engine behind every view — data directory, store, dashboard — shared by GUI and headless mode. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "jarchi-account-store.h"
#include "jarchi-call-history.h"
#include "jarchi-call-manager.h"
#include "jarchi-campaign-runner.h"
#include "jarchi-contact-book.h"
#include "jarchi-dashboard-auth.h"
#include "jarchi-media-library.h"
#include "jarchi-options.h"
#include "jarchi-store.h"
#include "jarchi-web-server.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_SERVICE (jarchi_service_get_type ())
G_DECLARE_FINAL_TYPE (JarchiService, jarchi_service, JARCHI, SERVICE, GObject)

JarchiService       *jarchi_service_new             (const char     *data_dir,
                                                     GError        **error);
/* SIP (and RTP) on @sip_address:@sip_port (0: any free port); jarchi_service_new() uses
 * JARCHI_DEFAULT_SIP_ADDRESS and any port. */
JarchiService       *jarchi_service_new_full        (const char     *data_dir,
                                                     const char     *sip_address,
                                                     guint           sip_port,
                                                     GError        **error);
gboolean             jarchi_service_start_dashboard (JarchiService  *self,
                                                     const char     *address,
                                                     guint           port,
                                                     GError        **error);
/* Moves a running dashboard to @address:@port (starts it if none runs): the new server takes
 * over once it listens and the old one stops; on failure the old one keeps serving (or, when
 * the port was the same, is started again) and the reason is kept as "dashboard-error". */
gboolean             jarchi_service_restart_dashboard (JarchiService  *self,
                                                       const char     *address,
                                                       guint           port,
                                                       GError        **error);
/* Why the dashboard could not start on the last address asked for; NULL when it did. */
const char          *jarchi_service_get_dashboard_error (JarchiService *self);
gboolean             jarchi_service_start_dashboard_from_options (JarchiService       *self,
                                                                  const JarchiOptions *options,
                                                                  GError             **error);
void                 jarchi_service_shutdown        (JarchiService  *self);
const char          *jarchi_service_get_data_dir    (JarchiService  *self);
JarchiStore         *jarchi_service_get_store       (JarchiService  *self);
JarchiDashboardAuth *jarchi_service_get_auth        (JarchiService  *self);
JarchiWebServer     *jarchi_service_get_web_server  (JarchiService  *self);
JarchiContactBook   *jarchi_service_get_contact_book (JarchiService *self);
JarchiMediaLibrary  *jarchi_service_get_media_library (JarchiService *self);
JarchiCampaignStore *jarchi_service_get_campaign_store (JarchiService *self);
JarchiCampaignRunner *jarchi_service_get_campaign_runner (JarchiService *self);
JarchiCallManager   *jarchi_service_get_call_manager (JarchiService *self);
JarchiAccountStore  *jarchi_service_get_account_store (JarchiService *self);
JarchiCallHistory   *jarchi_service_get_call_history (JarchiService *self);

G_END_DECLS
