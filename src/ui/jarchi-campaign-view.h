/* JarchiCampaignView: one campaign's live view — controls, counters, results chart, target table, CSV export. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "jarchi-service.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_CAMPAIGN_VIEW (jarchi_campaign_view_get_type ())
G_DECLARE_FINAL_TYPE (JarchiCampaignView, jarchi_campaign_view, JARCHI, CAMPAIGN_VIEW, GtkWidget)

GtkWidget      *jarchi_campaign_view_new          (void);
void            jarchi_campaign_view_set_service  (JarchiCampaignView *self,
                                                   JarchiService      *service);
/* @campaign: (nullable): one of the service's campaign store. */
void            jarchi_campaign_view_set_campaign (JarchiCampaignView *self,
                                                   JarchiCampaign     *campaign);
JarchiCampaign *jarchi_campaign_view_get_campaign (JarchiCampaignView *self);

/* Properties: "service", "campaign".
 * Signals: ::closed (the Back button), ::edit-requested (the campaign is a draft to edit). */

G_END_DECLS
