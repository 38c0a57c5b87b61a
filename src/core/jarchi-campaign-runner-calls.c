/* JarchiCampaignRunner, per call: the attempt written before the call leaves, the DTMF menu, the result written before hanging up. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-campaign-runner-private.h"

void
jarchi_runner_active_call_free (gpointer data)
{
  ActiveCall *call = data;

  g_clear_handle_id (&call->menu_timeout_id, g_source_remove);
  g_free (call);
}

/* ---- the menu and the end of a call ----------------------------------------------------- */

static JarchiCampaign *
call_campaign (JarchiCampaignRunner *self, ActiveCall *call)
{
  return jarchi_campaign_store_lookup (self->store, call->campaign_id);
}

/* Writes the decision first, then hangs up: a crash in between still keeps the result. */
static void
decide (JarchiCampaignRunner *self, ActiveCall *call, JarchiTargetResult result)
{
  g_autoptr(GError) error = NULL;
  guint call_id = call->call_id;

  call->decided = TRUE;
  g_clear_handle_id (&call->menu_timeout_id, g_source_remove);
  if (!jarchi_campaign_store_attempt_decide (self->store, call->attempt_id, result, &error))
    g_warning ("Campaign call %u: could not record '%s': %s", call_id,
               jarchi_target_result_to_string (result), error->message);
  jarchi_runner_mark_changed (self, call->campaign_id);
  g_clear_error (&error);
  /* Last: a dialer breaking the contract and ending the call right here would free @call. */
  if (self->dialer && !jarchi_campaign_dialer_hangup (self->dialer, call_id, &error))
    g_warning ("Campaign call %u: could not hang up: %s", call_id, error->message);
}

static gboolean
menu_timeout_cb (gpointer user_data)
{
  ActiveCall *call = user_data;

  call->menu_timeout_id = 0;
  if (!call->decided)
    decide (call->self, call, JARCHI_TARGET_RESULT_HEARD);
  return G_SOURCE_REMOVE;
}

void
jarchi_runner_on_call_answered (JarchiCampaignDialer *dialer, guint call_id, gpointer user_data)
{
  JarchiCampaignRunner *self = user_data;
  ActiveCall *call = g_hash_table_lookup (self->calls, GUINT_TO_POINTER (call_id));
  g_autoptr(GError) error = NULL;

  if (call == NULL || call->answered)
    return;
  call->answered = TRUE;
  if (!jarchi_campaign_store_attempt_answered (self->store, call->attempt_id, jarchi_runner_now_s (self), &error))
    g_warning ("Campaign call %u: %s", call_id, error->message);
  jarchi_runner_mark_changed (self, call->campaign_id);
}

void
jarchi_runner_on_call_dtmf (JarchiCampaignDialer *dialer, guint call_id, gchar digit, guint method, gpointer user_data)
{
  JarchiCampaignRunner *self = user_data;
  ActiveCall *call = g_hash_table_lookup (self->calls, GUINT_TO_POINTER (call_id));
  JarchiCampaign *campaign;
  const JarchiCampaignConfig *cfg;
  g_autoptr(GError) error = NULL;

  if (call == NULL || (campaign = call_campaign (self, call)) == NULL)
    return;
  cfg = jarchi_campaign_get_config (campaign);
  if (!jarchi_campaign_store_attempt_digit (self->store, call->attempt_id, digit, &error))
    g_warning ("Campaign call %u: %s", call_id, error->message);
  jarchi_runner_mark_changed (self, call->campaign_id);
  if (call->decided)
    return;

  if (digit == cfg->confirm_digit)
    decide (self, call, JARCHI_TARGET_RESULT_CONFIRMED);
  else if (cfg->opt_out_digit && digit == cfg->opt_out_digit)
    decide (self, call, JARCHI_TARGET_RESULT_OPTED_OUT);
  else if (cfg->repeat_digit && digit == cfg->repeat_digit && call->repeats < cfg->max_repeats)
    {
      /* message_done stays set: having heard it once to the end is what "heard" means. */
      call->repeats++;
      g_clear_handle_id (&call->menu_timeout_id, g_source_remove);
      g_clear_error (&error);
      if (self->dialer && !jarchi_campaign_dialer_replay (self->dialer, call_id, &error))
        g_warning ("Campaign call %u: could not play the message again: %s", call_id, error->message);
    }
}

void
jarchi_runner_on_playback_finished (JarchiCampaignDialer *dialer, guint call_id, gpointer user_data)
{
  JarchiCampaignRunner *self = user_data;
  ActiveCall *call = g_hash_table_lookup (self->calls, GUINT_TO_POINTER (call_id));
  JarchiCampaign *campaign;

  if (call == NULL || call->decided || (campaign = call_campaign (self, call)) == NULL)
    return;
  call->message_done = TRUE;
  g_clear_handle_id (&call->menu_timeout_id, g_source_remove);
  call->menu_timeout_id = g_timeout_add_seconds (jarchi_campaign_get_config (campaign)->menu_timeout_s,
                                                 menu_timeout_cb, call);
}

static JarchiTargetResult
result_of (ActiveCall *call, JarchiDialOutcome outcome)
{
  if (call->answered)
    return call->message_done ? JARCHI_TARGET_RESULT_HEARD : JARCHI_TARGET_RESULT_HUNG_UP;
  switch (outcome)
    {
    case JARCHI_DIAL_OUTCOME_BUSY:
    case JARCHI_DIAL_OUTCOME_REJECTED:
      return JARCHI_TARGET_RESULT_BUSY;
    case JARCHI_DIAL_OUTCOME_NO_ANSWER:
      return JARCHI_TARGET_RESULT_NO_ANSWER;
    case JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US:
    case JARCHI_DIAL_OUTCOME_REMOTE_HANGUP:
      /* Answered without telling us: count what we know was played. */
      return call->message_done ? JARCHI_TARGET_RESULT_HEARD : JARCHI_TARGET_RESULT_HUNG_UP;
    case JARCHI_DIAL_OUTCOME_FAILED:
    default:
      return JARCHI_TARGET_RESULT_FAILED;
    }
}

void
jarchi_runner_on_call_ended (JarchiCampaignDialer *dialer, guint call_id, guint sip_code, guint outcome, gpointer user_data)
{
  JarchiCampaignRunner *self = user_data;
  ActiveCall *call = NULL;
  JarchiCampaign *campaign;
  AccountSlot *account;
  CampaignSlot *slot;
  g_autoptr(GError) error = NULL;

  if (!g_hash_table_steal_extended (self->calls, GUINT_TO_POINTER (call_id), NULL, (gpointer *) &call))
    return;
  g_clear_handle_id (&call->menu_timeout_id, g_source_remove);

  campaign = call_campaign (self, call);
  if (campaign
      && !jarchi_campaign_store_end_attempt (self->store, campaign, call->attempt_id,
                                             result_of (call, outcome), sip_code, jarchi_runner_now_s (self), &error))
    g_warning ("Campaign call %u: could not record its end: %s", call_id, error->message);

  account = jarchi_runner_account_slot (self, call->account_id);
  if (account->active > 0)
    account->active--;
  slot = jarchi_runner_campaign_slot (self, call->campaign_id);
  if (slot->active > 0)
    slot->active--;
  jarchi_runner_mark_changed (self, call->campaign_id);
  jarchi_runner_active_call_free (call);
  jarchi_runner_notify_active_calls (self);
  jarchi_runner_schedule_pump (self);
}

/* ---- placing calls ---------------------------------------------------------------------- */

/* The attempt row goes in before the call leaves, so no call exists that SQLite does not know
 * about. Returns FALSE when the target could not be taken at all. */
gboolean
jarchi_runner_place_call (JarchiCampaignRunner *self, JarchiCampaign *campaign, JarchiCampaignTarget *target,
                          gint64 now)
{
  const JarchiCampaignConfig *cfg = jarchi_campaign_get_config (campaign);
  gint64 campaign_id = jarchi_campaign_get_id (campaign);
  AccountSlot *account = jarchi_runner_account_slot (self, cfg->account_id);
  g_autoptr(GError) error = NULL;
  ActiveCall *call;
  gint64 attempt_id;
  guint call_id;

  attempt_id = jarchi_campaign_store_begin_attempt (self->store, campaign, target->id, now, &error);
  if (attempt_id == 0)
    {
      g_warning ("Campaign %" G_GINT64_FORMAT ": could not start a call to %s: %s",
                 campaign_id, target->phone, error->message);
      return FALSE;
    }

  call_id = jarchi_campaign_dialer_place_call (self->dialer, cfg->account_id, target->phone,
                                               cfg->media_id, cfg->ring_timeout_s, &error);
  /* Stamped when the call left, not before: a first call that decodes the message first
   * would otherwise open the one-second window early and let one call too many into it.
   * Counted even when the engine refuses at once, so a broken account cannot burn through a
   * whole campaign in one go. */
  jarchi_rate_limiter_take (account->limiter, g_get_monotonic_time ());
  if (call_id == 0)
    {
      g_autoptr(GError) end_error = NULL;

      g_message ("Campaign %" G_GINT64_FORMAT ": calling %s failed: %s", campaign_id, target->phone,
                 error ? error->message : "?");
      if (!jarchi_campaign_store_end_attempt (self->store, campaign, attempt_id,
                                              JARCHI_TARGET_RESULT_FAILED, 0, now, &end_error))
        g_warning ("Campaign %" G_GINT64_FORMAT ": %s", campaign_id, end_error->message);
      jarchi_runner_mark_changed (self, campaign_id);
      return TRUE;
    }

  account->active++;
  jarchi_runner_campaign_slot (self, campaign_id)->active++;
  call = g_new0 (ActiveCall, 1);
  call->self = self;
  call->call_id = call_id;
  call->campaign_id = campaign_id;
  call->attempt_id = attempt_id;
  call->account_id = cfg->account_id;
  g_hash_table_insert (self->calls, GUINT_TO_POINTER (call_id), call);
  if (!jarchi_campaign_store_attempt_dialled (self->store, attempt_id, &error))
    g_warning ("Campaign %" G_GINT64_FORMAT ": %s", campaign_id, error->message);
  jarchi_runner_mark_changed (self, campaign_id);
  jarchi_runner_notify_active_calls (self);
  return TRUE;
}

