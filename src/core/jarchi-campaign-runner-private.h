/* Internals of JarchiCampaignRunner shared between its scheduling half and its per-call half. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-campaign-runner.h"
#include "jarchi-rate-limiter.h"

G_BEGIN_DECLS

/* Calls up on one account over all campaigns, and the pace of new ones. */
typedef struct {
  guint              active;
  guint              cap;      /* the smallest max_concurrent of its running campaigns */
  JarchiRateLimiter *limiter;  /* at the smallest cps of its running campaigns */
} AccountSlot;

typedef struct {
  guint    active;
  gint64   last_emit_us;
  guint    emit_source;
} CampaignSlot;

typedef struct {
  JarchiCampaignRunner *self;
  guint                 call_id;
  gint64                campaign_id;
  gint64                attempt_id;
  guint                 account_id;
  gboolean              answered;
  gboolean              message_done;  /* played to the end at least once */
  gboolean              decided;
  guint                 repeats;
  guint                 menu_timeout_id;
} ActiveCall;

struct _JarchiCampaignRunner
{
  GObject               parent_instance;
  JarchiCampaignStore  *store;
  JarchiCampaignDialer *dialer;
  JarchiClockFunc       clock;
  gpointer              clock_data;
  GDestroyNotify        clock_destroy;
  GTimeZone            *tz;
  GHashTable           *calls;     /* call id → ActiveCall */
  GHashTable           *accounts;  /* account id → AccountSlot */
  GHashTable           *slots;     /* campaign id (gint64 *) → CampaignSlot */
  guint                 pump_idle;
  guint                 rate_timer;
  guint                 tick;
  guint                 rotation;
  gboolean              recovered;
};

/* The runner's scheduling half (jarchi-campaign-runner.c). */
G_GNUC_INTERNAL AccountSlot  *jarchi_runner_account_slot        (JarchiCampaignRunner *self,
                                                                guint                 account_id);
G_GNUC_INTERNAL CampaignSlot *jarchi_runner_campaign_slot       (JarchiCampaignRunner *self,
                                                                gint64                campaign_id);
G_GNUC_INTERNAL gint64        jarchi_runner_now_s               (JarchiCampaignRunner *self);
/* Announces the campaign's change through ::campaign-changed, coalesced. */
G_GNUC_INTERNAL void          jarchi_runner_mark_changed        (JarchiCampaignRunner *self,
                                                                gint64                campaign_id);
G_GNUC_INTERNAL void          jarchi_runner_schedule_pump       (JarchiCampaignRunner *self);
G_GNUC_INTERNAL void          jarchi_runner_notify_active_calls (JarchiCampaignRunner *self);

/* The per-call half (jarchi-campaign-runner-calls.c). */
G_GNUC_INTERNAL void          jarchi_runner_active_call_free    (gpointer              data);
G_GNUC_INTERNAL gboolean      jarchi_runner_place_call          (JarchiCampaignRunner *self,
                                                                JarchiCampaign       *campaign,
                                                                JarchiCampaignTarget *target,
                                                                gint64                now);
G_GNUC_INTERNAL void          jarchi_runner_on_call_answered    (JarchiCampaignDialer *dialer,
                                                                guint                 call_id,
                                                                gpointer              user_data);
G_GNUC_INTERNAL void          jarchi_runner_on_call_dtmf        (JarchiCampaignDialer *dialer,
                                                                guint                 call_id,
                                                                gchar                 digit,
                                                                guint                 method,
                                                                gpointer              user_data);
G_GNUC_INTERNAL void          jarchi_runner_on_playback_finished (JarchiCampaignDialer *dialer,
                                                                 guint                 call_id,
                                                                 gpointer              user_data);
G_GNUC_INTERNAL void          jarchi_runner_on_call_ended       (JarchiCampaignDialer *dialer,
                                                                guint                 call_id,
                                                                guint                 sip_code,
                                                                guint                 outcome,
                                                                gpointer              user_data);

G_END_DECLS
