/* JarchiCampaignStore: campaigns, their frozen targets and every call attempt, kept in SQLite; a GListModel of JarchiCampaign. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "jarchi-campaign.h"
#include "jarchi-campaign-target.h"
#include "jarchi-store.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_CAMPAIGN_STORE (jarchi_campaign_store_get_type ())
G_DECLARE_FINAL_TYPE (JarchiCampaignStore, jarchi_campaign_store, JARCHI, CAMPAIGN_STORE, GObject)

/* Loads every campaign; the model then follows add/remove. */
JarchiCampaignStore *jarchi_campaign_store_new        (JarchiStore          *store,
                                                       GError              **error);
JarchiStore         *jarchi_campaign_store_get_store  (JarchiCampaignStore  *self);
/* Borrowed; NULL when there is no such campaign. */
JarchiCampaign      *jarchi_campaign_store_lookup     (JarchiCampaignStore  *self,
                                                       gint64                id);

/* A draft's account and media must exist (JARCHI_ERROR_NOT_FOUND). Sets the campaign's id. */
gboolean             jarchi_campaign_store_add        (JarchiCampaignStore  *self,
                                                       JarchiCampaign       *campaign,
                                                       GError              **error);
gboolean             jarchi_campaign_store_save       (JarchiCampaignStore  *self,
                                                       JarchiCampaign       *campaign,
                                                       GError              **error);
/* Moves the campaign to @state and saves it; the object is left as it was on failure. */
gboolean             jarchi_campaign_store_set_state  (JarchiCampaignStore  *self,
                                                       JarchiCampaign       *campaign,
                                                       JarchiCampaignState   state,
                                                       gint64                now_s,
                                                       GError              **error);
gboolean             jarchi_campaign_store_remove     (JarchiCampaignStore  *self,
                                                       JarchiCampaign       *campaign,
                                                       GError              **error);

/* Leaves draft for @state (scheduled or running) in one transaction with freezing the targets:
 * departments ∪ districts ∪ contacts, active contacts only, each once; contacts on the
 * do-not-call list are kept with the result do-not-call and never dialled. */
gboolean             jarchi_campaign_store_start      (JarchiCampaignStore  *self,
                                                       JarchiCampaign       *campaign,
                                                       JarchiCampaignState   state,
                                                       gint64                now_s,
                                                       guint                *n_targets,
                                                       GError              **error);

/* Targets, oldest first. @result < 0: any. @limit 0: all. @total: matching targets. */
GPtrArray           *jarchi_campaign_store_list_targets (JarchiCampaignStore *self,
                                                         gint64               campaign_id,
                                                         int                  result,
                                                         guint                limit,
                                                         guint                offset,
                                                         guint               *total,
                                                         GError             **error);
JarchiCampaignTarget *jarchi_campaign_store_get_target  (JarchiCampaignStore *self,
                                                         gint64               target_id,
                                                         GError             **error);
/* Counts by result, department and district, straight from the database (no ETA). */
JarchiCampaignStats *jarchi_campaign_store_compute_stats (JarchiCampaignStore *self,
                                                          gint64               campaign_id,
                                                          GError             **error);
/* Targets that may still be called: pending, being called, or with a retry scheduled. */
guint                jarchi_campaign_store_count_open  (JarchiCampaignStore  *self,
                                                        gint64                campaign_id,
                                                        GError              **error);
/* The earliest scheduled retry (unix seconds), 0 when none. */
gint64               jarchi_campaign_store_next_retry_at (JarchiCampaignStore *self,
                                                          gint64               campaign_id);

/* ---- attempts: each call writes its step here before the runner takes the next one ---- */

/* Up to @limit targets to call now: never called, or with a retry due; retries first.
 * Only id and phone are filled in. */
GPtrArray           *jarchi_campaign_store_due_targets (JarchiCampaignStore *self,
                                                        gint64               campaign_id,
                                                        gint64               now_s,
                                                        guint                limit,
                                                        GError             **error);
/* Inserts the attempt ('started') and its call-history row, marks the target calling.
 * Returns the attempt id, 0 on error. */
gint64               jarchi_campaign_store_begin_attempt (JarchiCampaignStore *self,
                                                          JarchiCampaign      *campaign,
                                                          gint64               target_id,
                                                          gint64               now_s,
                                                          GError             **error);
/* The call left ('calling'). */
gboolean             jarchi_campaign_store_attempt_dialled (JarchiCampaignStore *self,
                                                            gint64               attempt_id,
                                                            GError             **error);
gboolean             jarchi_campaign_store_attempt_answered (JarchiCampaignStore *self,
                                                             gint64               attempt_id,
                                                             gint64               now_s,
                                                             GError             **error);
gboolean             jarchi_campaign_store_attempt_digit (JarchiCampaignStore *self,
                                                          gint64               attempt_id,
                                                          char                 digit,
                                                          GError             **error);
/* The menu decided (confirmed, opted-out or heard) while the call is still up: the target
 * shows it at once, and an opted-out phone joins the do-not-call list in the same step. */
gboolean             jarchi_campaign_store_attempt_decide (JarchiCampaignStore *self,
                                                           gint64               attempt_id,
                                                           JarchiTargetResult   result,
                                                           GError             **error);
/* The call is over: a decided result wins over @result. Applies the campaign's retry rules
 * and writes the target's result (the best over its attempts), code and next attempt. */
gboolean             jarchi_campaign_store_end_attempt (JarchiCampaignStore *self,
                                                        JarchiCampaign      *campaign,
                                                        gint64               attempt_id,
                                                        JarchiTargetResult   result,
                                                        guint                sip_code,
                                                        gint64               now_s,
                                                        GError             **error);
/* After a crash: attempts still open are ended — with their decided result when the menu had
 * decided, else as 'interrupted', which counts as failed for the retry rule. Returns how many
 * were found, or -1 on error. */
int                  jarchi_campaign_store_recover     (JarchiCampaignStore *self,
                                                        JarchiCampaign      *campaign,
                                                        gint64               now_s,
                                                        GError             **error);

G_END_DECLS
