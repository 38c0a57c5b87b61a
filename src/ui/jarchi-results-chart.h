/* JarchiResultsChart: a campaign's results drawn as bars — per result, over time, per department and district. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "jarchi-campaign-stats.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_RESULTS_CHART (jarchi_results_chart_get_type ())
G_DECLARE_FINAL_TYPE (JarchiResultsChart, jarchi_results_chart, JARCHI, RESULTS_CHART, GtkWidget)

GtkWidget *jarchi_results_chart_new          (void);
/* Copies @stats (NULL: empty chart). */
void       jarchi_results_chart_set_stats    (JarchiResultsChart        *self,
                                              const JarchiCampaignStats *stats);
/* @ended_at: unix seconds at which each finished target ended (gint64), any order. */
void       jarchi_results_chart_set_timeline (JarchiResultsChart        *self,
                                              GArray                    *ended_at);
/* A result as people read it ("No answer"), translated; shared with the campaign view. */
const char *jarchi_results_chart_result_label (JarchiTargetResult    result);
/* What the bars show, in words: the same text is the accessible description. */
const char *jarchi_results_chart_get_summary (JarchiResultsChart        *self);

/* Properties: "summary" (read-only). */

G_END_DECLS
