/* JarchiCampaignRunner: places campaign calls within exact limits, runs the DTMF menu, records every step before acting, schedules retries. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "jarchi-campaign-runner-private.h"
#include "jarchi-error.h"

#define TICK_MS             1000
#define MIN_EMIT_INTERVAL   (G_USEC_PER_SEC / 5)
#define MAX_BATCH           16

G_DEFINE_FINAL_TYPE (JarchiCampaignRunner, jarchi_campaign_runner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_DIALER,
  PROP_N_ACTIVE_CALLS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CAMPAIGN_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- bookkeeping ------------------------------------------------------------------------ */

static void
account_slot_free (gpointer data)
{
  AccountSlot *slot = data;

  jarchi_rate_limiter_free (slot->limiter);
  g_free (slot);
}

AccountSlot *
jarchi_runner_account_slot (JarchiCampaignRunner *self, guint account_id)
{
  AccountSlot *slot = g_hash_table_lookup (self->accounts, GUINT_TO_POINTER (account_id));

  if (slot == NULL)
    {
      slot = g_new0 (AccountSlot, 1);
      slot->limiter = jarchi_rate_limiter_new ();
      g_hash_table_insert (self->accounts, GUINT_TO_POINTER (account_id), slot);
    }
  return slot;
}

static void
campaign_slot_free (gpointer data)
{
  CampaignSlot *slot = data;

  g_clear_handle_id (&slot->emit_source, g_source_remove);
  g_free (slot);
}

CampaignSlot *
jarchi_runner_campaign_slot (JarchiCampaignRunner *self, gint64 campaign_id)
{
  CampaignSlot *slot = g_hash_table_lookup (self->slots, &campaign_id);

  if (slot == NULL)
    {
      gint64 *key = g_new (gint64, 1);

      *key = campaign_id;
      slot = g_new0 (CampaignSlot, 1);
      g_hash_table_insert (self->slots, key, slot);
    }
  return slot;
}

void
jarchi_runner_notify_active_calls (JarchiCampaignRunner *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACTIVE_CALLS]);
}

gint64
jarchi_campaign_runner_now (JarchiCampaignRunner *self)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (self), 0);

  return self->clock ? self->clock (self->clock_data) : g_get_real_time ();
}

gint64
jarchi_runner_now_s (JarchiCampaignRunner *self)
{
  return jarchi_campaign_runner_now (self) / G_USEC_PER_SEC;
}

static GDateTime *
now_local (JarchiCampaignRunner *self)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (jarchi_runner_now_s (self));

  return g_date_time_to_timezone (utc, self->tz);
}

/* ---- statistics and change notification ------------------------------------------------- */

static void
refresh_stats (JarchiCampaignRunner *self, JarchiCampaign *campaign)
{
  const JarchiCampaignConfig *cfg = jarchi_campaign_get_config (campaign);
  g_autoptr(GError) error = NULL;
  JarchiCampaignStats *stats;
  JarchiCampaignState state = jarchi_campaign_get_state (campaign);
  gint64 now = jarchi_runner_now_s (self);
  guint open;

  stats = jarchi_campaign_store_compute_stats (self->store, jarchi_campaign_get_id (campaign), &error);
  if (stats == NULL)
    {
      g_warning ("Campaign %" G_GINT64_FORMAT ": %s", jarchi_campaign_get_id (campaign), error->message);
      return;
    }
  open = stats->total - stats->finished;

  if (state == JARCHI_CAMPAIGN_STATE_RUNNING || state == JARCHI_CAMPAIGN_STATE_SCHEDULED)
    {
      /* A scheduled campaign waits for its start time, then for the window from there. */
      gint64 from = state == JARCHI_CAMPAIGN_STATE_SCHEDULED ? MAX (now, cfg->start_at) : now;
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (from);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, self->tz);
      g_autoptr(GDateTime) next = jarchi_campaign_config_next_window (cfg, local);

      if (next && g_date_time_to_unix (next) > now)
        stats->next_window_at = g_date_time_to_unix (next);
    }

  /* From the pace so far once there is one, else from the call rate; time spent waiting for
   * the window is not predicted. */
  if (open == 0)
    stats->eta_s = 0;
  else if (state == JARCHI_CAMPAIGN_STATE_RUNNING)
    {
      gint64 started = jarchi_campaign_get_started_at (campaign);
      guint done = stats->finished - stats->results[JARCHI_TARGET_RESULT_DO_NOT_CALL];

      if (done > 0 && started > 0 && now > started)
        stats->eta_s = (gint64) ceil ((double) open * (now - started) / done);
      else
        stats->eta_s = (gint64) ceil (open / cfg->cps);
    }
  jarchi_campaign_take_stats (campaign, stats);
}

typedef struct {
  JarchiCampaignRunner *self;
  gint64                campaign_id;
} EmitData;

static gboolean
emit_changed (gpointer user_data)
{
  EmitData *data = user_data;
  JarchiCampaignRunner *self = data->self;
  CampaignSlot *slot = jarchi_runner_campaign_slot (self, data->campaign_id);
  JarchiCampaign *campaign = jarchi_campaign_store_lookup (self->store, data->campaign_id);

  slot->emit_source = 0;
  slot->last_emit_us = g_get_monotonic_time ();
  if (campaign)
    {
      g_autoptr(JarchiCampaign) ref = g_object_ref (campaign);

      refresh_stats (self, ref);
      g_signal_emit (self, signals[SIGNAL_CAMPAIGN_CHANGED], 0, ref);
    }
  return G_SOURCE_REMOVE;
}

/* Coalesces: the first change is announced at once, the rest at most every 200 ms. */
void
jarchi_runner_mark_changed (JarchiCampaignRunner *self, gint64 campaign_id)
{
  CampaignSlot *slot = jarchi_runner_campaign_slot (self, campaign_id);
  EmitData *data;
  gint64 wait_us;

  if (slot->emit_source)
    return;
  wait_us = slot->last_emit_us + MIN_EMIT_INTERVAL - g_get_monotonic_time ();
  data = g_new (EmitData, 1);
  data->self = self;
  data->campaign_id = campaign_id;
  slot->emit_source = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                          wait_us > 0 ? (guint) ((wait_us + 999) / 1000) : 0,
                                          emit_changed, data, g_free);
}

void
jarchi_campaign_runner_campaign_changed (JarchiCampaignRunner *self, JarchiCampaign *campaign)
{
  g_return_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (self));
  g_return_if_fail (JARCHI_IS_CAMPAIGN (campaign));

  jarchi_runner_mark_changed (self, jarchi_campaign_get_id (campaign));
  jarchi_runner_schedule_pump (self);
}

static void
complete_if_done (JarchiCampaignRunner *self, JarchiCampaign *campaign, gint64 now)
{
  g_autoptr(GError) error = NULL;
  gint64 id = jarchi_campaign_get_id (campaign);

  if (jarchi_runner_campaign_slot (self, id)->active > 0
      || jarchi_campaign_store_count_open (self->store, id, &error) > 0 || error)
    return;
  if (!jarchi_campaign_store_set_state (self->store, campaign, JARCHI_CAMPAIGN_STATE_COMPLETED, now, &error))
    g_warning ("Campaign %" G_GINT64_FORMAT ": %s", id, error->message);
  jarchi_runner_mark_changed (self, id);
}

/* Collects the campaigns that may call now, promoting scheduled ones whose time came, and
 * works out each account's shared limits. Returns whether anything is still to come. */
static gboolean
collect_running (JarchiCampaignRunner *self, gint64 now, GDateTime *local, GPtrArray *out)
{
  g_autoptr(GHashTable) rates = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  GHashTableIter iter;
  gpointer key, value;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  gboolean pending = FALSE;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((AccountSlot *) value)->cap = G_MAXUINT;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JarchiCampaign) campaign = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      const JarchiCampaignConfig *cfg = jarchi_campaign_get_config (campaign);
      JarchiCampaignState state = jarchi_campaign_get_state (campaign);
      AccountSlot *account;
      double *rate;

      if (state == JARCHI_CAMPAIGN_STATE_SCHEDULED)
        {
          g_autoptr(GError) error = NULL;

          pending = TRUE;
          if (cfg->start_at > now)
            continue;
          if (!jarchi_campaign_store_set_state (self->store, campaign, JARCHI_CAMPAIGN_STATE_RUNNING, now, &error))
            {
              g_warning ("Campaign %" G_GINT64_FORMAT ": %s", jarchi_campaign_get_id (campaign), error->message);
              continue;
            }
          jarchi_runner_mark_changed (self, jarchi_campaign_get_id (campaign));
          state = JARCHI_CAMPAIGN_STATE_RUNNING;
        }
      if (state != JARCHI_CAMPAIGN_STATE_RUNNING)
        continue;
      pending = TRUE;

      account = jarchi_runner_account_slot (self, cfg->account_id);
      account->cap = MIN (account->cap, cfg->max_concurrent);
      rate = g_hash_table_lookup (rates, account);
      if (rate == NULL)
        {
          rate = g_new (double, 1);
          *rate = cfg->cps;
          g_hash_table_insert (rates, account, rate);
        }
      *rate = MIN (*rate, cfg->cps);

      if (jarchi_campaign_config_in_window (cfg, local))
        g_ptr_array_add (out, g_steal_pointer (&campaign));
    }

  g_hash_table_iter_init (&iter, rates);
  while (g_hash_table_iter_next (&iter, &key, &value))
    jarchi_rate_limiter_set_rate (((AccountSlot *) key)->limiter, *(double *) value);
  return pending;
}

static void
free_batch (gpointer batch)
{
  if (batch)
    g_ptr_array_unref (batch);
}

static gboolean pump (JarchiCampaignRunner *self);
static void update_tick (JarchiCampaignRunner *self, gboolean wanted);

static gboolean
rate_timer_cb (gpointer user_data)
{
  JarchiCampaignRunner *self = user_data;

  self->rate_timer = 0;
  update_tick (self, pump (self));
  return G_SOURCE_REMOVE;
}

/* One look at everything: promote, place as many calls as the limits allow (one per campaign
 * in turn, so campaigns sharing an account share it fairly), complete finished campaigns.
 * Returns whether the periodic tick is still needed. */
static gboolean
pump (JarchiCampaignRunner *self)
{
  g_autoptr(GPtrArray) running = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) batches = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree gboolean *exhausted = NULL;
  gint64 now, mono, wake_us = 0;
  gboolean pending, progress = TRUE;
  guint len;

  if (!self->recovered)
    {
      g_autoptr(GError) error = NULL;

      if (!jarchi_campaign_runner_recover (self, &error))
        g_warning ("Could not recover campaign calls cut short: %s", error->message);
    }

  now = jarchi_runner_now_s (self);
  local = now_local (self);
  pending = collect_running (self, now, local, running);
  len = running->len;
  batches = g_ptr_array_new_full (len, free_batch);
  for (guint i = 0; i < len; i++)
    g_ptr_array_add (batches, NULL);
  exhausted = g_new0 (gboolean, len + 1);

  while (self->dialer && progress)
    {
      progress = FALSE;
      for (guint j = 0; j < len; j++)
        {
          guint idx = (j + self->rotation) % len;
          JarchiCampaign *campaign = g_ptr_array_index (running, idx);
          const JarchiCampaignConfig *cfg = jarchi_campaign_get_config (campaign);
          gint64 id = jarchi_campaign_get_id (campaign);
          CampaignSlot *slot = jarchi_runner_campaign_slot (self, id);
          AccountSlot *account = jarchi_runner_account_slot (self, cfg->account_id);
          GPtrArray *batch = g_ptr_array_index (batches, idx);
          g_autoptr(JarchiCampaignTarget) target = NULL;

          if (exhausted[idx] || slot->active >= cfg->max_concurrent || account->active >= account->cap)
            continue;
          mono = g_get_monotonic_time ();
          if (jarchi_rate_limiter_available (account->limiter, mono) == 0)
            {
              gint64 t = jarchi_rate_limiter_next_free (account->limiter, mono);

              wake_us = wake_us ? MIN (wake_us, t) : t;
              continue;
            }

          if (batch == NULL || batch->len == 0)
            {
              g_autoptr(GError) error = NULL;

              g_clear_pointer (&batches->pdata[idx], g_ptr_array_unref);
              batch = jarchi_campaign_store_due_targets (self->store, id, now,
                                                         MIN (MAX_BATCH, cfg->max_concurrent - slot->active),
                                                         &error);
              if (batch == NULL)
                {
                  g_warning ("Campaign %" G_GINT64_FORMAT ": %s", id, error->message);
                  exhausted[idx] = TRUE;
                  continue;
                }
              batches->pdata[idx] = batch;
              if (batch->len == 0)
                {
                  exhausted[idx] = TRUE;
                  complete_if_done (self, campaign, now);
                  continue;
                }
            }
          target = g_ptr_array_steal_index (batch, 0);
          if (jarchi_runner_place_call (self, campaign, target, now))
            progress = TRUE;
        }
    }
  self->rotation++;

  g_clear_handle_id (&self->rate_timer, g_source_remove);
  if (wake_us)
    {
      /* Rounded up: waking a millisecond early would find the limiter still closed. */
      gint64 wait_ms = (wake_us - g_get_monotonic_time () + 999) / 1000;

      self->rate_timer = g_timeout_add ((guint) CLAMP (wait_ms, 1, TICK_MS), rate_timer_cb, self);
    }
  return pending || g_hash_table_size (self->calls) > 0;
}

static gboolean
tick_cb (gpointer user_data)
{
  JarchiCampaignRunner *self = user_data;

  if (pump (self))
    return G_SOURCE_CONTINUE;
  self->tick = 0;
  return G_SOURCE_REMOVE;
}

/* The tick only runs while a campaign is scheduled or running: an idle desktop app should
 * not wake up every second. */
static void
update_tick (JarchiCampaignRunner *self, gboolean wanted)
{
  if (wanted && self->tick == 0)
    self->tick = g_timeout_add (TICK_MS, tick_cb, self);
  else if (!wanted)
    g_clear_handle_id (&self->tick, g_source_remove);
}

static gboolean
pump_idle_cb (gpointer user_data)
{
  JarchiCampaignRunner *self = user_data;

  self->pump_idle = 0;
  update_tick (self, pump (self));
  return G_SOURCE_REMOVE;
}

void
jarchi_runner_schedule_pump (JarchiCampaignRunner *self)
{
  if (self->pump_idle == 0)
    self->pump_idle = g_idle_add (pump_idle_cb, self);
}

void
jarchi_campaign_runner_reevaluate (JarchiCampaignRunner *self)
{
  g_return_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (self));

  g_clear_handle_id (&self->pump_idle, g_source_remove);
  update_tick (self, pump (self));
  /* The clock may have moved: windows, ETAs and start times in the stats with it. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->store)); i++)
    {
      g_autoptr(JarchiCampaign) campaign = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      JarchiCampaignState state = jarchi_campaign_get_state (campaign);

      if (state == JARCHI_CAMPAIGN_STATE_RUNNING || state == JARCHI_CAMPAIGN_STATE_SCHEDULED)
        jarchi_runner_mark_changed (self, jarchi_campaign_get_id (campaign));
    }
}

/* ---- public API ------------------------------------------------------------------------- */

gboolean
jarchi_campaign_runner_recover (JarchiCampaignRunner *self, GError **error)
{
  gint64 now;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (self), FALSE);

  /* Open attempts belong to live calls once this runner placed any. */
  if (self->recovered || g_hash_table_size (self->calls) > 0)
    return TRUE;
  self->recovered = TRUE;

  now = jarchi_runner_now_s (self);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->store)); i++)
    {
      g_autoptr(JarchiCampaign) campaign = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      int n;

      if (jarchi_campaign_get_state (campaign) == JARCHI_CAMPAIGN_STATE_DRAFT)
        continue;
      n = jarchi_campaign_store_recover (self->store, campaign, now, error);
      if (n < 0)
        return FALSE;
      if (n > 0)
        {
          g_message ("Campaign '%s': %d calls were cut short by a stop or crash; they are retried by the failed-call rule",
                     jarchi_campaign_get_name (campaign), n);
          jarchi_runner_mark_changed (self, jarchi_campaign_get_id (campaign));
        }
    }
  jarchi_runner_schedule_pump (self);
  return TRUE;
}

static gboolean
change_state (JarchiCampaignRunner *self, JarchiCampaign *campaign, JarchiCampaignState state,
              GError **error)
{
  if (!jarchi_campaign_store_set_state (self->store, campaign, state, jarchi_runner_now_s (self), error))
    return FALSE;
  jarchi_runner_mark_changed (self, jarchi_campaign_get_id (campaign));
  jarchi_runner_schedule_pump (self);
  return TRUE;
}

static JarchiCampaignState
state_to_go (JarchiCampaignRunner *self, JarchiCampaign *campaign)
{
  return jarchi_campaign_get_config (campaign)->start_at > jarchi_runner_now_s (self)
         ? JARCHI_CAMPAIGN_STATE_SCHEDULED : JARCHI_CAMPAIGN_STATE_RUNNING;
}

gboolean
jarchi_campaign_runner_start (JarchiCampaignRunner *self, JarchiCampaign *campaign, GError **error)
{
  guint n_targets = 0;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (self), FALSE);
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (campaign), FALSE);

  if (!jarchi_campaign_store_start (self->store, campaign, state_to_go (self, campaign),
                                    jarchi_runner_now_s (self), &n_targets, error))
    return FALSE;
  g_message ("Campaign '%s' started with %u targets", jarchi_campaign_get_name (campaign), n_targets);
  jarchi_runner_mark_changed (self, jarchi_campaign_get_id (campaign));
  jarchi_runner_schedule_pump (self);
  return TRUE;
}

gboolean
jarchi_campaign_runner_pause (JarchiCampaignRunner *self, JarchiCampaign *campaign, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (self), FALSE);
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (campaign), FALSE);

  return change_state (self, campaign, JARCHI_CAMPAIGN_STATE_PAUSED, error);
}

gboolean
jarchi_campaign_runner_resume (JarchiCampaignRunner *self, JarchiCampaign *campaign, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (self), FALSE);
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (campaign), FALSE);

  if (jarchi_campaign_get_state (campaign) != JARCHI_CAMPAIGN_STATE_PAUSED)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY, _("Only a paused campaign can be resumed"));
      return FALSE;
    }
  return change_state (self, campaign, state_to_go (self, campaign), error);
}

gboolean
jarchi_campaign_runner_cancel (JarchiCampaignRunner *self, JarchiCampaign *campaign, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (self), FALSE);
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (campaign), FALSE);

  return change_state (self, campaign, JARCHI_CAMPAIGN_STATE_CANCELLED, error);
}

guint
jarchi_campaign_runner_get_n_active_calls (JarchiCampaignRunner *self)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (self), 0);
  return g_hash_table_size (self->calls);
}

guint
jarchi_campaign_runner_get_n_campaign_calls (JarchiCampaignRunner *self, JarchiCampaign *campaign)
{
  gint64 id;
  CampaignSlot *slot;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (self), 0);
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (campaign), 0);

  id = jarchi_campaign_get_id (campaign);
  slot = g_hash_table_lookup (self->slots, &id);
  return slot ? slot->active : 0;
}

JarchiCampaignStore *
jarchi_campaign_runner_get_store (JarchiCampaignRunner *self)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (self), NULL);
  return self->store;
}

static void
disconnect_dialer (JarchiCampaignRunner *self)
{
  if (self->dialer == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->dialer, self);
  g_clear_object (&self->dialer);
}

void
jarchi_campaign_runner_set_dialer (JarchiCampaignRunner *self, JarchiCampaignDialer *dialer)
{
  g_return_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (self));
  g_return_if_fail (dialer == NULL || JARCHI_IS_CAMPAIGN_DIALER (dialer));

  if (self->dialer == dialer)
    return;
  disconnect_dialer (self);
  if (g_hash_table_size (self->calls) > 0)
    {
      g_warning ("The campaign dialer was replaced with %u calls up; their attempts stay open until the next start",
                 g_hash_table_size (self->calls));
      g_hash_table_remove_all (self->calls);
      jarchi_runner_notify_active_calls (self);
    }
  if (dialer)
    {
      self->dialer = g_object_ref (dialer);
      g_signal_connect (dialer, "call-answered", G_CALLBACK (jarchi_runner_on_call_answered), self);
      g_signal_connect (dialer, "call-dtmf", G_CALLBACK (jarchi_runner_on_call_dtmf), self);
      g_signal_connect (dialer, "playback-finished", G_CALLBACK (jarchi_runner_on_playback_finished), self);
      g_signal_connect (dialer, "call-ended", G_CALLBACK (jarchi_runner_on_call_ended), self);
      jarchi_runner_schedule_pump (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIALER]);
}

JarchiCampaignDialer *
jarchi_campaign_runner_get_dialer (JarchiCampaignRunner *self)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (self), NULL);
  return self->dialer;
}

void
jarchi_campaign_runner_set_clock (JarchiCampaignRunner *self, JarchiClockFunc func, gpointer user_data,
                                  GDestroyNotify destroy)
{
  g_return_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (self));

  if (self->clock_destroy)
    self->clock_destroy (self->clock_data);
  self->clock = func;
  self->clock_data = user_data;
  self->clock_destroy = destroy;
}

void
jarchi_campaign_runner_set_time_zone (JarchiCampaignRunner *self, GTimeZone *tz)
{
  g_return_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (self));

  g_clear_pointer (&self->tz, g_time_zone_unref);
  self->tz = tz ? g_time_zone_ref (tz) : g_time_zone_new_local ();
}

/* ---- object ----------------------------------------------------------------------------- */

static void
jarchi_campaign_runner_dispose (GObject *object)
{
  JarchiCampaignRunner *self = JARCHI_CAMPAIGN_RUNNER (object);

  disconnect_dialer (self);
  g_clear_handle_id (&self->pump_idle, g_source_remove);
  g_clear_handle_id (&self->rate_timer, g_source_remove);
  g_clear_handle_id (&self->tick, g_source_remove);
  if (self->calls)
    g_hash_table_remove_all (self->calls);
  if (self->slots)
    g_hash_table_remove_all (self->slots);
  jarchi_campaign_runner_set_clock (self, NULL, NULL, NULL);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (jarchi_campaign_runner_parent_class)->dispose (object);
}

static void
jarchi_campaign_runner_finalize (GObject *object)
{
  JarchiCampaignRunner *self = JARCHI_CAMPAIGN_RUNNER (object);

  g_clear_pointer (&self->calls, g_hash_table_unref);
  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_pointer (&self->slots, g_hash_table_unref);
  g_clear_pointer (&self->tz, g_time_zone_unref);

  G_OBJECT_CLASS (jarchi_campaign_runner_parent_class)->finalize (object);
}

static void
jarchi_campaign_runner_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiCampaignRunner *self = JARCHI_CAMPAIGN_RUNNER (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_DIALER: g_value_set_object (value, self->dialer); break;
    case PROP_N_ACTIVE_CALLS: g_value_set_uint (value, g_hash_table_size (self->calls)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_campaign_runner_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiCampaignRunner *self = JARCHI_CAMPAIGN_RUNNER (object);

  switch (prop_id)
    {
    case PROP_STORE: self->store = g_value_dup_object (value); break;
    case PROP_DIALER: jarchi_campaign_runner_set_dialer (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_campaign_runner_class_init (JarchiCampaignRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_campaign_runner_dispose;
  object_class->finalize = jarchi_campaign_runner_finalize;
  object_class->get_property = jarchi_campaign_runner_get_property;
  object_class->set_property = jarchi_campaign_runner_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, JARCHI_TYPE_CAMPAIGN_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIALER] =
    g_param_spec_object ("dialer", NULL, NULL, JARCHI_TYPE_CAMPAIGN_DIALER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ACTIVE_CALLS] =
    g_param_spec_uint ("n-active-calls", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CAMPAIGN_CHANGED] =
    g_signal_new ("campaign-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, JARCHI_TYPE_CAMPAIGN);
}

static void
jarchi_campaign_runner_init (JarchiCampaignRunner *self)
{
  self->calls = g_hash_table_new_full (NULL, NULL, NULL, jarchi_runner_active_call_free);
  self->accounts = g_hash_table_new_full (NULL, NULL, NULL, account_slot_free);
  self->slots = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, campaign_slot_free);
  self->tz = g_time_zone_new_local ();
}

JarchiCampaignRunner *
jarchi_campaign_runner_new (JarchiCampaignStore *store)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_STORE (store), NULL);

  return g_object_new (JARCHI_TYPE_CAMPAIGN_RUNNER, "store", store, NULL);
}
