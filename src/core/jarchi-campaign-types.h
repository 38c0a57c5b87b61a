/* A broadcast campaign's vocabulary: campaign states, per-target results and retry kinds. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  JARCHI_CAMPAIGN_STATE_DRAFT,
  JARCHI_CAMPAIGN_STATE_SCHEDULED,
  JARCHI_CAMPAIGN_STATE_RUNNING,
  JARCHI_CAMPAIGN_STATE_PAUSED,
  JARCHI_CAMPAIGN_STATE_COMPLETED,
  JARCHI_CAMPAIGN_STATE_CANCELLED,
} JarchiCampaignState;

/* Order matters only for tables and arrays indexed by it; ranking lives in the .c file. */
typedef enum {
  JARCHI_TARGET_RESULT_PENDING,
  JARCHI_TARGET_RESULT_CALLING,
  JARCHI_TARGET_RESULT_CONFIRMED,
  JARCHI_TARGET_RESULT_HEARD,
  JARCHI_TARGET_RESULT_NO_ANSWER,
  JARCHI_TARGET_RESULT_BUSY,
  JARCHI_TARGET_RESULT_FAILED,
  JARCHI_TARGET_RESULT_HUNG_UP,
  JARCHI_TARGET_RESULT_OPTED_OUT,
  JARCHI_TARGET_RESULT_DO_NOT_CALL,
  JARCHI_N_TARGET_RESULTS
} JarchiTargetResult;

typedef enum {
  JARCHI_RETRY_BUSY,
  JARCHI_RETRY_NO_ANSWER,
  JARCHI_RETRY_FAILED,
  JARCHI_RETRY_UNCONFIRMED,
  JARCHI_N_RETRY_KINDS
} JarchiRetryKind;

#define JARCHI_TYPE_CAMPAIGN_STATE (jarchi_campaign_state_get_type ())
GType jarchi_campaign_state_get_type (void) G_GNUC_CONST;
#define JARCHI_TYPE_TARGET_RESULT (jarchi_target_result_get_type ())
GType jarchi_target_result_get_type (void) G_GNUC_CONST;

const char *jarchi_campaign_state_to_string   (JarchiCampaignState  state);
gboolean    jarchi_campaign_state_from_string (const char          *str,
                                               JarchiCampaignState *state);
/* Whether the state machine draft → scheduled → running ⇄ paused → completed/cancelled allows it. */
gboolean    jarchi_campaign_state_can_change  (JarchiCampaignState  from,
                                               JarchiCampaignState  to);
const char *jarchi_target_result_to_string    (JarchiTargetResult   result);
gboolean    jarchi_target_result_from_string  (const char          *str,
                                               JarchiTargetResult  *result);
/* Somebody picked up: confirmed, heard, hung-up or opted-out. */
gboolean    jarchi_target_result_is_answered  (JarchiTargetResult   result);
/* The retry rule an attempt's outcome falls under; FALSE for results that are never retried. */
gboolean    jarchi_target_result_retry_kind   (JarchiTargetResult   result,
                                               JarchiRetryKind     *kind);
/* Which of two attempt results a target keeps: an answered outcome is never replaced by a
 * later unanswered one, otherwise the later one counts. */
JarchiTargetResult jarchi_target_result_better (JarchiTargetResult earlier,
                                                JarchiTargetResult later);
const char *jarchi_retry_kind_to_string       (JarchiRetryKind      kind);

G_END_DECLS
