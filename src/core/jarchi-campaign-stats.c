/* JarchiCampaignStats: counts of a campaign's targets by result and group, with derived rates, as JSON. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-campaign-stats.h"

G_DEFINE_BOXED_TYPE (JarchiCampaignStats, jarchi_campaign_stats,
                     jarchi_campaign_stats_copy, jarchi_campaign_stats_free)

static void
group_free (gpointer data)
{
  JarchiCampaignGroupStats *g = data;

  g_free (g->name);
  g_free (g);
}

static gpointer
group_copy (gconstpointer src, gpointer user_data)
{
  JarchiCampaignGroupStats *g = g_memdup2 (src, sizeof *g);

  g->name = g_strdup (g->name);
  return g;
}

JarchiCampaignStats *
jarchi_campaign_stats_new (void)
{
  JarchiCampaignStats *stats = g_new0 (JarchiCampaignStats, 1);

  stats->eta_s = -1;
  stats->departments = g_ptr_array_new_with_free_func (group_free);
  stats->districts = g_ptr_array_new_with_free_func (group_free);
  return stats;
}

JarchiCampaignStats *
jarchi_campaign_stats_copy (const JarchiCampaignStats *stats)
{
  JarchiCampaignStats *copy;

  g_return_val_if_fail (stats != NULL, NULL);

  copy = g_memdup2 (stats, sizeof *stats);
  copy->departments = g_ptr_array_copy (stats->departments, group_copy, NULL);
  g_ptr_array_set_free_func (copy->departments, group_free);
  copy->districts = g_ptr_array_copy (stats->districts, group_copy, NULL);
  g_ptr_array_set_free_func (copy->districts, group_free);
  return copy;
}

void
jarchi_campaign_stats_free (JarchiCampaignStats *stats)
{
  if (stats == NULL)
    return;
  g_ptr_array_unref (stats->departments);
  g_ptr_array_unref (stats->districts);
  g_free (stats);
}

JarchiCampaignGroupStats *
jarchi_campaign_stats_group (GPtrArray *groups, const char *name)
{
  JarchiCampaignGroupStats *g;

  for (guint i = 0; i < groups->len; i++)
    {
      g = g_ptr_array_index (groups, i);
      if (g_strcmp0 (g->name, name) == 0)
        return g;
    }
  g = g_new0 (JarchiCampaignGroupStats, 1);
  g->name = g_strdup (name);
  g_ptr_array_add (groups, g);
  return g;
}

static int
compare_groups (gconstpointer a, gconstpointer b)
{
  const JarchiCampaignGroupStats *ga = *(JarchiCampaignGroupStats **) a;
  const JarchiCampaignGroupStats *gb = *(JarchiCampaignGroupStats **) b;

  return g_utf8_collate (ga->name, gb->name);
}

void
jarchi_campaign_stats_finish (JarchiCampaignStats *stats)
{
  guint open;

  g_return_if_fail (stats != NULL);

  open = stats->results[JARCHI_TARGET_RESULT_PENDING] + stats->results[JARCHI_TARGET_RESULT_CALLING]
         + stats->retry_scheduled;
  stats->finished = stats->total >= open ? stats->total - open : 0;
  stats->answer_rate = stats->attempted ? (double) stats->answered / stats->attempted : 0;
  stats->confirmation_rate = stats->answered
                             ? (double) stats->results[JARCHI_TARGET_RESULT_CONFIRMED] / stats->answered
                             : 0;
  g_ptr_array_sort (stats->departments, compare_groups);
  g_ptr_array_sort (stats->districts, compare_groups);
}

static void
add_uint (JsonBuilder *b, const char *name, guint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, (gint64) v);
}

static void
add_results (JsonBuilder *b, const guint *results)
{
  json_builder_set_member_name (b, "results");
  json_builder_begin_object (b);
  for (guint r = 0; r < JARCHI_N_TARGET_RESULTS; r++)
    add_uint (b, jarchi_target_result_to_string (r), results[r]);
  json_builder_end_object (b);
}

static void
add_groups (JsonBuilder *b, const char *name, GPtrArray *groups)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < groups->len; i++)
    {
      JarchiCampaignGroupStats *g = g_ptr_array_index (groups, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, g->name);
      add_uint (b, "total", g->total);
      add_results (b, g->results);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

JsonNode *
jarchi_campaign_stats_to_json (const JarchiCampaignStats *stats)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (stats != NULL, NULL);

  json_builder_begin_object (b);
  add_uint (b, "total", stats->total);
  add_results (b, stats->results);
  add_uint (b, "retry_scheduled", stats->retry_scheduled);
  add_uint (b, "finished", stats->finished);
  add_uint (b, "attempted", stats->attempted);
  add_uint (b, "answered", stats->answered);
  add_uint (b, "attempts", stats->attempts);
  add_uint (b, "in_progress", stats->in_progress);
  json_builder_set_member_name (b, "answer_rate");
  json_builder_add_double_value (b, stats->answer_rate);
  json_builder_set_member_name (b, "confirmation_rate");
  json_builder_add_double_value (b, stats->confirmation_rate);
  json_builder_set_member_name (b, "eta_s");
  if (stats->eta_s < 0)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, stats->eta_s);
  json_builder_set_member_name (b, "next_window_at");
  if (stats->next_window_at <= 0)
    json_builder_add_null_value (b);
  else
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (stats->next_window_at);
      g_autofree char *iso = g_date_time_format_iso8601 (dt);

      json_builder_add_string_value (b, iso);
    }
  add_groups (b, "departments", stats->departments);
  add_groups (b, "districts", stats->districts);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
