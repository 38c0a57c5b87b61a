/* JarchiCampaignRunner: drives every running campaign through a JarchiCampaignDialer — limits, menu, retries, window, crash safety, statistics. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "jarchi-campaign-dialer.h"
#include "jarchi-campaign-store.h"

G_BEGIN_DECLS

/* "Now" as unix microseconds; injected by tests to move through calling windows and retry
 * delays without waiting. Call rates and menu timeouts use the monotonic clock regardless. */
typedef gint64 (*JarchiClockFunc) (gpointer user_data);

#define JARCHI_TYPE_CAMPAIGN_RUNNER (jarchi_campaign_runner_get_type ())
G_DECLARE_FINAL_TYPE (JarchiCampaignRunner, jarchi_campaign_runner, JARCHI, CAMPAIGN_RUNNER, GObject)

JarchiCampaignRunner *jarchi_campaign_runner_new         (JarchiCampaignStore  *store);
JarchiCampaignStore  *jarchi_campaign_runner_get_store   (JarchiCampaignRunner *self);

/* Without a dialer, running campaigns wait. Set it once: calls placed through an earlier
 * dialer are forgotten (their attempts are recovered at the next start). */
void                  jarchi_campaign_runner_set_dialer  (JarchiCampaignRunner *self,
                                                          JarchiCampaignDialer *dialer);
JarchiCampaignDialer *jarchi_campaign_runner_get_dialer  (JarchiCampaignRunner *self);

/* NULL: the real time. */
void                  jarchi_campaign_runner_set_clock   (JarchiCampaignRunner *self,
                                                          JarchiClockFunc       func,
                                                          gpointer              user_data,
                                                          GDestroyNotify        destroy);
gint64                jarchi_campaign_runner_now         (JarchiCampaignRunner *self);
/* The calling windows' time zone; NULL: the machine's. */
void                  jarchi_campaign_runner_set_time_zone (JarchiCampaignRunner *self,
                                                            GTimeZone            *tz);

/* Ends the attempts a previous process left open (see jarchi_campaign_store_recover()) so
 * running campaigns carry on. Runs once, before the first call; the runner calls it itself
 * if nobody did. */
gboolean              jarchi_campaign_runner_recover     (JarchiCampaignRunner *self,
                                                          GError              **error);

/* State changes; JARCHI_ERROR_BUSY when the state machine does not allow it. start freezes
 * the targets (scheduled when start_at is still ahead, else running). */
gboolean              jarchi_campaign_runner_start       (JarchiCampaignRunner *self,
                                                          JarchiCampaign       *campaign,
                                                          GError              **error);
gboolean              jarchi_campaign_runner_pause       (JarchiCampaignRunner *self,
                                                          JarchiCampaign       *campaign,
                                                          GError              **error);
gboolean              jarchi_campaign_runner_resume      (JarchiCampaignRunner *self,
                                                          JarchiCampaign       *campaign,
                                                          GError              **error);
/* No new calls; calls already up end normally and their results count. */
gboolean              jarchi_campaign_runner_cancel      (JarchiCampaignRunner *self,
                                                          JarchiCampaign       *campaign,
                                                          GError              **error);

/* Looks at the clock, the windows and the limits now instead of at the next tick. */
void                  jarchi_campaign_runner_reevaluate  (JarchiCampaignRunner *self);
/* Someone else changed @campaign (settings, creation): refresh and announce it, coalesced. */
void                  jarchi_campaign_runner_campaign_changed (JarchiCampaignRunner *self,
                                                               JarchiCampaign       *campaign);

guint                 jarchi_campaign_runner_get_n_active_calls (JarchiCampaignRunner *self);
guint                 jarchi_campaign_runner_get_n_campaign_calls (JarchiCampaignRunner *self,
                                                                   JarchiCampaign       *campaign);

/* Properties: "store", "dialer", "n-active-calls".
 * Signals: ::campaign-changed (JarchiCampaign *): state, targets or statistics changed; at most
 * five times a second per campaign, with the campaign's stats already refreshed. */

G_END_DECLS
