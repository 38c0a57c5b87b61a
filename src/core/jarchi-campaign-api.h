/* JarchiCampaignApi: /api/campaigns over the dashboard server, and the "campaign" WebSocket event. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-campaign-runner.h"
#include "jarchi-media-library.h"
#include "jarchi-web-server.h"

G_BEGIN_DECLS

#define JARCHI_CAMPAIGN_API_JSON_MAX_BYTES (256 * 1024)
#define JARCHI_CAMPAIGN_API_DEFAULT_LIMIT  100
#define JARCHI_CAMPAIGN_API_MAX_LIMIT      1000

#define JARCHI_TYPE_CAMPAIGN_API (jarchi_campaign_api_get_type ())
G_DECLARE_FINAL_TYPE (JarchiCampaignApi, jarchi_campaign_api, JARCHI, CAMPAIGN_API, GObject)

/* Adds the routes to @server, which keeps the API alive as long as it lives; every coalesced
 * ::campaign-changed of @runner is broadcast as {"type": "campaign", "campaign": {...}}.
 * @media_library (may be NULL) speaks a campaign's text message at start when it has no sound
 * file yet. Returns the API, owned by @server. */
JarchiCampaignApi *jarchi_campaign_api_register (JarchiWebServer      *server,
                                                 JarchiCampaignRunner *runner,
                                                 JarchiMediaLibrary   *media_library);

G_END_DECLS
