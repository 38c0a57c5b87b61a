/* JarchiCampaignStats: a snapshot of a campaign's progress — totals per result, per department and district, rates, ETA. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "jarchi-campaign-types.h"

G_BEGIN_DECLS

typedef struct {
  char  *name;
  guint  total;
  guint  results[JARCHI_N_TARGET_RESULTS];
} JarchiCampaignGroupStats;

typedef struct {
  guint      total;
  guint      results[JARCHI_N_TARGET_RESULTS];  /* each target's current result */
  guint      retry_scheduled;   /* targets whose last attempt will be retried */
  guint      finished;          /* targets that will not be called again */
  guint      attempted;         /* targets called at least once */
  guint      answered;          /* targets that picked up at least once */
  guint      attempts;          /* attempts made over all targets */
  guint      in_progress;       /* calls up right now */
  double     answer_rate;       /* answered / attempted, 0 before the first attempt */
  double     confirmation_rate; /* confirmed / answered */
  gint64     eta_s;             /* seconds until every target is finished; -1: unknown */
  gint64     next_window_at;    /* unix seconds the calling window opens; 0: not waiting */
  GPtrArray *departments;       /* JarchiCampaignGroupStats, by name */
  GPtrArray *districts;
} JarchiCampaignStats;

#define JARCHI_TYPE_CAMPAIGN_STATS (jarchi_campaign_stats_get_type ())
GType                jarchi_campaign_stats_get_type (void) G_GNUC_CONST;

JarchiCampaignStats *jarchi_campaign_stats_new      (void);
JarchiCampaignStats *jarchi_campaign_stats_copy     (const JarchiCampaignStats *stats);
void                 jarchi_campaign_stats_free     (JarchiCampaignStats       *stats);
/* The group of that name in @groups, added when missing. */
JarchiCampaignGroupStats *jarchi_campaign_stats_group (GPtrArray  *groups,
                                                       const char *name);
/* Recomputes finished, the rates and sorts the groups; call after filling the counts. */
void                 jarchi_campaign_stats_finish   (JarchiCampaignStats       *stats);
JsonNode            *jarchi_campaign_stats_to_json  (const JarchiCampaignStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JarchiCampaignStats, jarchi_campaign_stats_free)

G_END_DECLS
