/* JarchiCampaign: settings, state machine and statistics of one broadcast campaign, with its JSON form. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-campaign.h"
#include "jarchi-error.h"

struct _JarchiCampaign
{
  GObject               parent_instance;
  gint64                id;
  JarchiCampaignState   state;
  JarchiCampaignConfig *config;
  JarchiCampaignStats  *stats;
  gint64                created_at;
  gint64                started_at;
  gint64                ended_at;
};

G_DEFINE_FINAL_TYPE (JarchiCampaign, jarchi_campaign, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_STATE,
  PROP_CONFIG,
  PROP_STATS,
  PROP_TOTAL,
  PROP_FINISHED,
  PROP_IN_PROGRESS,
  PROP_ANSWER_RATE,
  PROP_CONFIRMATION_RATE,
  PROP_ETA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
jarchi_campaign_finalize (GObject *object)
{
  JarchiCampaign *self = JARCHI_CAMPAIGN (object);

  g_clear_pointer (&self->config, jarchi_campaign_config_free);
  g_clear_pointer (&self->stats, jarchi_campaign_stats_free);

  G_OBJECT_CLASS (jarchi_campaign_parent_class)->finalize (object);
}

static void
jarchi_campaign_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiCampaign *self = JARCHI_CAMPAIGN (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->config->name); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_CONFIG: g_value_set_boxed (value, self->config); break;
    case PROP_STATS: g_value_set_boxed (value, self->stats); break;
    case PROP_TOTAL: g_value_set_uint (value, self->stats->total); break;
    case PROP_FINISHED: g_value_set_uint (value, self->stats->finished); break;
    case PROP_IN_PROGRESS: g_value_set_uint (value, self->stats->in_progress); break;
    case PROP_ANSWER_RATE: g_value_set_double (value, self->stats->answer_rate); break;
    case PROP_CONFIRMATION_RATE: g_value_set_double (value, self->stats->confirmation_rate); break;
    case PROP_ETA: g_value_set_int64 (value, self->stats->eta_s); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_campaign_class_init (JarchiCampaignClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = jarchi_campaign_finalize;
  object_class->get_property = jarchi_campaign_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, JARCHI_TYPE_CAMPAIGN_STATE, JARCHI_CAMPAIGN_STATE_DRAFT, ro);
  properties[PROP_CONFIG] =
    g_param_spec_boxed ("config", NULL, NULL, JARCHI_TYPE_CAMPAIGN_CONFIG, ro);
  properties[PROP_STATS] =
    g_param_spec_boxed ("stats", NULL, NULL, JARCHI_TYPE_CAMPAIGN_STATS, ro);
  properties[PROP_TOTAL] = g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_FINISHED] = g_param_spec_uint ("finished", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_IN_PROGRESS] = g_param_spec_uint ("in-progress", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_ANSWER_RATE] = g_param_spec_double ("answer-rate", NULL, NULL, 0, 1, 0, ro);
  properties[PROP_CONFIRMATION_RATE] =
    g_param_spec_double ("confirmation-rate", NULL, NULL, 0, 1, 0, ro);
  properties[PROP_ETA] = g_param_spec_int64 ("eta", NULL, NULL, -1, G_MAXINT64, -1, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_campaign_init (JarchiCampaign *self)
{
  self->state = JARCHI_CAMPAIGN_STATE_DRAFT;
  self->stats = jarchi_campaign_stats_new ();
}

JarchiCampaign *
jarchi_campaign_new (const JarchiCampaignConfig *config)
{
  JarchiCampaign *self;

  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (JARCHI_TYPE_CAMPAIGN, NULL);
  self->config = jarchi_campaign_config_copy (config);
  self->created_at = g_get_real_time () / G_USEC_PER_SEC;
  return self;
}

JarchiCampaign *
jarchi_campaign_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr(JarchiCampaignConfig) config = jarchi_campaign_config_from_json (node, error);

  if (config == NULL)
    return NULL;
  return jarchi_campaign_new (config);
}

gint64
jarchi_campaign_get_id (JarchiCampaign *self)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (self), 0);
  return self->id;
}

void
jarchi_campaign_set_id (JarchiCampaign *self, gint64 id)
{
  g_return_if_fail (JARCHI_IS_CAMPAIGN (self));

  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
jarchi_campaign_get_name (JarchiCampaign *self)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (self), NULL);
  return self->config->name;
}

const JarchiCampaignConfig *
jarchi_campaign_get_config (JarchiCampaign *self)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (self), NULL);
  return self->config;
}

static gboolean
check_draft (JarchiCampaign *self, GError **error)
{
  if (self->state == JARCHI_CAMPAIGN_STATE_DRAFT)
    return TRUE;
  /* The targets were frozen and calls made under these settings: changing them would
   * make the report lie about what was sent. */
  g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY,
               _("The campaign is %s: only a draft can be edited"),
               jarchi_campaign_state_to_string (self->state));
  return FALSE;
}

gboolean
jarchi_campaign_set_config (JarchiCampaign *self, const JarchiCampaignConfig *config, GError **error)
{
  gboolean renamed;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  if (!check_draft (self, error))
    return FALSE;
  renamed = g_strcmp0 (self->config->name, config->name) != 0;
  jarchi_campaign_config_free (self->config);
  self->config = jarchi_campaign_config_copy (config);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG]);
  if (renamed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  return TRUE;
}

gboolean
jarchi_campaign_patch (JarchiCampaign *self, JsonNode *patch, GError **error)
{
  g_autoptr(JarchiCampaignConfig) config = NULL;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (self), FALSE);

  if (!check_draft (self, error))
    return FALSE;
  config = jarchi_campaign_config_patch (self->config, patch, error);
  if (config == NULL)
    return FALSE;
  return jarchi_campaign_set_config (self, config, error);
}

JarchiCampaignState
jarchi_campaign_get_state (JarchiCampaign *self)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (self), JARCHI_CAMPAIGN_STATE_DRAFT);
  return self->state;
}

gboolean
jarchi_campaign_change_state (JarchiCampaign *self, JarchiCampaignState state, gint64 now_s,
                              GError **error)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (self), FALSE);

  if (state == self->state)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY, _("The campaign is already %s"),
                   jarchi_campaign_state_to_string (state));
      return FALSE;
    }
  if (!jarchi_campaign_state_can_change (self->state, state))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY,
                   _("A %s campaign cannot become %s"),
                   jarchi_campaign_state_to_string (self->state),
                   jarchi_campaign_state_to_string (state));
      return FALSE;
    }
  if (state == JARCHI_CAMPAIGN_STATE_RUNNING && self->started_at == 0)
    self->started_at = now_s;
  if (state == JARCHI_CAMPAIGN_STATE_COMPLETED || state == JARCHI_CAMPAIGN_STATE_CANCELLED)
    self->ended_at = now_s;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  return TRUE;
}

void
jarchi_campaign_restore (JarchiCampaign *self, JarchiCampaignState state, gint64 created_at,
                         gint64 started_at, gint64 ended_at)
{
  g_return_if_fail (JARCHI_IS_CAMPAIGN (self));

  self->created_at = created_at;
  self->started_at = started_at;
  self->ended_at = ended_at;
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

gint64
jarchi_campaign_get_created_at (JarchiCampaign *self)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (self), 0);
  return self->created_at;
}

gint64
jarchi_campaign_get_started_at (JarchiCampaign *self)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (self), 0);
  return self->started_at;
}

gint64
jarchi_campaign_get_ended_at (JarchiCampaign *self)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (self), 0);
  return self->ended_at;
}

const JarchiCampaignStats *
jarchi_campaign_get_stats (JarchiCampaign *self)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (self), NULL);
  return self->stats;
}

void
jarchi_campaign_take_stats (JarchiCampaign *self, JarchiCampaignStats *stats)
{
  g_autoptr(JarchiCampaignStats) old = NULL;
  GObject *object = G_OBJECT (self);

  g_return_if_fail (JARCHI_IS_CAMPAIGN (self));
  g_return_if_fail (stats != NULL);

  old = g_steal_pointer (&self->stats);
  self->stats = stats;

  g_object_freeze_notify (object);
  g_object_notify_by_pspec (object, properties[PROP_STATS]);
  if (old->total != stats->total)
    g_object_notify_by_pspec (object, properties[PROP_TOTAL]);
  if (old->finished != stats->finished)
    g_object_notify_by_pspec (object, properties[PROP_FINISHED]);
  if (old->in_progress != stats->in_progress)
    g_object_notify_by_pspec (object, properties[PROP_IN_PROGRESS]);
  if (old->answer_rate != stats->answer_rate)
    g_object_notify_by_pspec (object, properties[PROP_ANSWER_RATE]);
  if (old->confirmation_rate != stats->confirmation_rate)
    g_object_notify_by_pspec (object, properties[PROP_CONFIRMATION_RATE]);
  if (old->eta_s != stats->eta_s)
    g_object_notify_by_pspec (object, properties[PROP_ETA]);
  g_object_thaw_notify (object);
}

static void
add_time (JsonBuilder *b, const char *name, gint64 unix_s)
{
  json_builder_set_member_name (b, name);
  if (unix_s <= 0)
    json_builder_add_null_value (b);
  else
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_s);
      g_autofree char *iso = g_date_time_format_iso8601 (dt);

      json_builder_add_string_value (b, iso);
    }
}

JsonNode *
jarchi_campaign_to_json (JarchiCampaign *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, self->id);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, jarchi_campaign_state_to_string (self->state));
  jarchi_campaign_config_add_json (self->config, b);
  add_time (b, "created_at", self->created_at);
  add_time (b, "started_at", self->started_at);
  add_time (b, "ended_at", self->ended_at);
  json_builder_set_member_name (b, "stats");
  json_builder_add_value (b, jarchi_campaign_stats_to_json (self->stats));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
