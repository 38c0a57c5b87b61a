/* JarchiCampaign: one broadcast campaign — its settings, state and live statistics. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "jarchi-campaign-config.h"
#include "jarchi-campaign-stats.h"
#include "jarchi-campaign-types.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_CAMPAIGN (jarchi_campaign_get_type ())
G_DECLARE_FINAL_TYPE (JarchiCampaign, jarchi_campaign, JARCHI, CAMPAIGN, GObject)

/* A draft with a copy of @config. */
JarchiCampaign             *jarchi_campaign_new               (const JarchiCampaignConfig *config);
JarchiCampaign             *jarchi_campaign_new_from_json     (JsonNode             *node,
                                                               GError              **error);

gint64                      jarchi_campaign_get_id            (JarchiCampaign       *self);
void                        jarchi_campaign_set_id            (JarchiCampaign       *self,
                                                               gint64                id);
const char                 *jarchi_campaign_get_name          (JarchiCampaign       *self);
const JarchiCampaignConfig *jarchi_campaign_get_config        (JarchiCampaign       *self);
/* Only a draft's settings may change (JARCHI_ERROR_BUSY otherwise). */
gboolean                    jarchi_campaign_set_config        (JarchiCampaign       *self,
                                                               const JarchiCampaignConfig *config,
                                                               GError              **error);
gboolean                    jarchi_campaign_patch             (JarchiCampaign       *self,
                                                               JsonNode             *patch,
                                                               GError              **error);

JarchiCampaignState         jarchi_campaign_get_state         (JarchiCampaign       *self);
/* Refuses (JARCHI_ERROR_BUSY) what the state machine does not allow; stamps started/ended. */
gboolean                    jarchi_campaign_change_state      (JarchiCampaign       *self,
                                                               JarchiCampaignState   state,
                                                               gint64                now_s,
                                                               GError              **error);
/* Loading from the database: no transition check. */
void                        jarchi_campaign_restore           (JarchiCampaign       *self,
                                                               JarchiCampaignState   state,
                                                               gint64                created_at,
                                                               gint64                started_at,
                                                               gint64                ended_at);

/* Unix seconds; 0 when it has not happened. */
gint64                      jarchi_campaign_get_created_at    (JarchiCampaign       *self);
gint64                      jarchi_campaign_get_started_at    (JarchiCampaign       *self);
gint64                      jarchi_campaign_get_ended_at      (JarchiCampaign       *self);

/* Never NULL; all zero until the first refresh. */
const JarchiCampaignStats  *jarchi_campaign_get_stats         (JarchiCampaign       *self);
/* Takes @stats; notifies "stats" and each derived property that changed. */
void                        jarchi_campaign_take_stats        (JarchiCampaign       *self,
                                                               JarchiCampaignStats  *stats);

/* The GET /api/campaigns/{id} shape: the settings plus id, state, stats and timestamps. */
JsonNode                   *jarchi_campaign_to_json           (JarchiCampaign       *self);

/* Properties: "id", "name", "state" (JarchiCampaignState), "config" (boxed), "stats" (boxed),
 * and from the stats, for binding: "total", "finished", "in-progress", "answer-rate",
 * "confirmation-rate", "eta" (seconds, -1 unknown). */

G_END_DECLS
