/* Campaign states, target results and retry kinds: names on the wire and in SQLite, transitions, ranking. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-campaign-types.h"

G_DEFINE_ENUM_TYPE (JarchiCampaignState, jarchi_campaign_state,
  G_DEFINE_ENUM_VALUE (JARCHI_CAMPAIGN_STATE_DRAFT, "draft"),
  G_DEFINE_ENUM_VALUE (JARCHI_CAMPAIGN_STATE_SCHEDULED, "scheduled"),
  G_DEFINE_ENUM_VALUE (JARCHI_CAMPAIGN_STATE_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (JARCHI_CAMPAIGN_STATE_PAUSED, "paused"),
  G_DEFINE_ENUM_VALUE (JARCHI_CAMPAIGN_STATE_COMPLETED, "completed"),
  G_DEFINE_ENUM_VALUE (JARCHI_CAMPAIGN_STATE_CANCELLED, "cancelled"))

G_DEFINE_ENUM_TYPE (JarchiTargetResult, jarchi_target_result,
  G_DEFINE_ENUM_VALUE (JARCHI_TARGET_RESULT_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (JARCHI_TARGET_RESULT_CALLING, "calling"),
  G_DEFINE_ENUM_VALUE (JARCHI_TARGET_RESULT_CONFIRMED, "confirmed"),
  G_DEFINE_ENUM_VALUE (JARCHI_TARGET_RESULT_HEARD, "heard"),
  G_DEFINE_ENUM_VALUE (JARCHI_TARGET_RESULT_NO_ANSWER, "no-answer"),
  G_DEFINE_ENUM_VALUE (JARCHI_TARGET_RESULT_BUSY, "busy"),
  G_DEFINE_ENUM_VALUE (JARCHI_TARGET_RESULT_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (JARCHI_TARGET_RESULT_HUNG_UP, "hung-up"),
  G_DEFINE_ENUM_VALUE (JARCHI_TARGET_RESULT_OPTED_OUT, "opted-out"),
  G_DEFINE_ENUM_VALUE (JARCHI_TARGET_RESULT_DO_NOT_CALL, "do-not-call"))

/* The wire names are part of the HTTP API and the database: never translate them. */
static const char * const state_names[] = {
  "draft", "scheduled", "running", "paused", "completed", "cancelled",
};
static const char * const result_names[] = {
  "pending", "calling", "confirmed", "heard", "no-answer", "busy", "failed", "hung-up",
  "opted-out", "do-not-call",
};
static const char * const retry_names[] = { "busy", "no_answer", "failed", "unconfirmed" };

G_STATIC_ASSERT (G_N_ELEMENTS (result_names) == JARCHI_N_TARGET_RESULTS);
G_STATIC_ASSERT (G_N_ELEMENTS (retry_names) == JARCHI_N_RETRY_KINDS);

const char *
jarchi_campaign_state_to_string (JarchiCampaignState state)
{
  g_return_val_if_fail (state <= JARCHI_CAMPAIGN_STATE_CANCELLED, NULL);
  return state_names[state];
}

gboolean
jarchi_campaign_state_from_string (const char *str, JarchiCampaignState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (str, state_names[i]) == 0)
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
jarchi_campaign_state_can_change (JarchiCampaignState from, JarchiCampaignState to)
{
  switch (from)
    {
    case JARCHI_CAMPAIGN_STATE_DRAFT:
      return to == JARCHI_CAMPAIGN_STATE_SCHEDULED || to == JARCHI_CAMPAIGN_STATE_RUNNING
          || to == JARCHI_CAMPAIGN_STATE_CANCELLED;
    case JARCHI_CAMPAIGN_STATE_SCHEDULED:
      return to == JARCHI_CAMPAIGN_STATE_RUNNING || to == JARCHI_CAMPAIGN_STATE_PAUSED
          || to == JARCHI_CAMPAIGN_STATE_CANCELLED;
    case JARCHI_CAMPAIGN_STATE_RUNNING:
      return to == JARCHI_CAMPAIGN_STATE_PAUSED || to == JARCHI_CAMPAIGN_STATE_COMPLETED
          || to == JARCHI_CAMPAIGN_STATE_CANCELLED;
    case JARCHI_CAMPAIGN_STATE_PAUSED:
      return to == JARCHI_CAMPAIGN_STATE_RUNNING || to == JARCHI_CAMPAIGN_STATE_SCHEDULED
          || to == JARCHI_CAMPAIGN_STATE_CANCELLED;
    case JARCHI_CAMPAIGN_STATE_COMPLETED:
    case JARCHI_CAMPAIGN_STATE_CANCELLED:
    default:
      return FALSE;
    }
}

const char *
jarchi_target_result_to_string (JarchiTargetResult result)
{
  g_return_val_if_fail (result < JARCHI_N_TARGET_RESULTS, NULL);
  return result_names[result];
}

gboolean
jarchi_target_result_from_string (const char *str, JarchiTargetResult *result)
{
  for (guint i = 0; i < JARCHI_N_TARGET_RESULTS; i++)
    if (g_strcmp0 (str, result_names[i]) == 0)
      {
        *result = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
jarchi_target_result_is_answered (JarchiTargetResult result)
{
  return result == JARCHI_TARGET_RESULT_CONFIRMED || result == JARCHI_TARGET_RESULT_HEARD
      || result == JARCHI_TARGET_RESULT_HUNG_UP || result == JARCHI_TARGET_RESULT_OPTED_OUT;
}

gboolean
jarchi_target_result_retry_kind (JarchiTargetResult result, JarchiRetryKind *kind)
{
  switch (result)
    {
    case JARCHI_TARGET_RESULT_BUSY: *kind = JARCHI_RETRY_BUSY; return TRUE;
    case JARCHI_TARGET_RESULT_NO_ANSWER: *kind = JARCHI_RETRY_NO_ANSWER; return TRUE;
    case JARCHI_TARGET_RESULT_FAILED: *kind = JARCHI_RETRY_FAILED; return TRUE;
    case JARCHI_TARGET_RESULT_HEARD:
    case JARCHI_TARGET_RESULT_HUNG_UP: *kind = JARCHI_RETRY_UNCONFIRMED; return TRUE;
    default: return FALSE;
    }
}

static int
result_rank (JarchiTargetResult r)
{
  switch (r)
    {
    case JARCHI_TARGET_RESULT_PENDING:
    case JARCHI_TARGET_RESULT_CALLING:
      return 0;
    case JARCHI_TARGET_RESULT_BUSY:
    case JARCHI_TARGET_RESULT_NO_ANSWER:
    case JARCHI_TARGET_RESULT_FAILED:
      return 1;
    case JARCHI_TARGET_RESULT_HUNG_UP:
      return 2;
    case JARCHI_TARGET_RESULT_HEARD:
      return 3;
    default:
      return 4;
    }
}

JarchiTargetResult
jarchi_target_result_better (JarchiTargetResult earlier, JarchiTargetResult later)
{
  return result_rank (later) >= result_rank (earlier) ? later : earlier;
}

const char *
jarchi_retry_kind_to_string (JarchiRetryKind kind)
{
  g_return_val_if_fail (kind < JARCHI_N_RETRY_KINDS, NULL);
  return retry_names[kind];
}

