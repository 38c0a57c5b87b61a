/* JarchiCampaignTarget: a campaign target's record and its JSON and CSV forms. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-campaign-target.h"

G_DEFINE_BOXED_TYPE (JarchiCampaignTarget, jarchi_campaign_target,
                     jarchi_campaign_target_copy, jarchi_campaign_target_free)

JarchiCampaignTarget *
jarchi_campaign_target_new (void)
{
  JarchiCampaignTarget *t = g_new0 (JarchiCampaignTarget, 1);

  t->calls = g_array_new (FALSE, FALSE, sizeof (gint64));
  return t;
}

JarchiCampaignTarget *
jarchi_campaign_target_copy (const JarchiCampaignTarget *target)
{
  JarchiCampaignTarget *t;

  g_return_val_if_fail (target != NULL, NULL);

  t = g_memdup2 (target, sizeof *t);
  t->name = g_strdup (target->name);
  t->phone = g_strdup (target->phone);
  t->department = g_strdup (target->department);
  t->district = g_strdup (target->district);
  t->digits = g_strdup (target->digits);
  t->calls = g_array_copy (target->calls);
  return t;
}

void
jarchi_campaign_target_free (JarchiCampaignTarget *target)
{
  if (target == NULL)
    return;
  g_free (target->name);
  g_free (target->phone);
  g_free (target->department);
  g_free (target->district);
  g_free (target->digits);
  g_array_unref (target->calls);
  g_free (target);
}

static char *
format_time (gint64 unix_s)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_s <= 0)
    return NULL;
  dt = g_date_time_new_from_unix_local (unix_s);
  return g_date_time_format_iso8601 (dt);
}

static void
add_time (JsonBuilder *b, const char *name, gint64 unix_s)
{
  g_autofree char *iso = format_time (unix_s);

  json_builder_set_member_name (b, name);
  if (iso)
    json_builder_add_string_value (b, iso);
  else
    json_builder_add_null_value (b);
}

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value ? value : "");
}

JsonNode *
jarchi_campaign_target_to_json (const JarchiCampaignTarget *t)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (t != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, t->id);
  json_builder_set_member_name (b, "contact");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  if (t->contact_id)
    json_builder_add_int_value (b, t->contact_id);
  else
    json_builder_add_null_value (b);
  add_string (b, "name", t->name);
  add_string (b, "phone", t->phone);
  add_string (b, "department", t->department);
  add_string (b, "district", t->district);
  json_builder_end_object (b);
  add_string (b, "phone", t->phone);
  add_string (b, "result", jarchi_target_result_to_string (t->result));
  json_builder_set_member_name (b, "attempts");
  json_builder_add_int_value (b, t->attempts);
  json_builder_set_member_name (b, "last_code");
  if (t->last_code)
    json_builder_add_int_value (b, t->last_code);
  else
    json_builder_add_null_value (b);
  add_string (b, "digits", t->digits);
  add_time (b, "answered_at", t->answered_at);
  add_time (b, "ended_at", t->ended_at);
  add_time (b, "next_attempt_at", t->next_attempt_at);
  json_builder_set_member_name (b, "calls");
  json_builder_begin_array (b);
  for (guint i = 0; i < t->calls->len; i++)
    json_builder_add_int_value (b, g_array_index (t->calls, gint64, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* RFC 4180 quoting, and a leading apostrophe on text a spreadsheet would run as a formula
 * (a name typed as "=HYPERLINK(...)" in an imported contact list). Phone numbers such as
 * "+998..." are left alone: a plus before digits is not a formula. */
static void
append_field (GString *out, const char *value, gboolean last)
{
  const char *v = value ? value : "";
  gboolean formula = v[0] == '=' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'
                     || ((v[0] == '+' || v[0] == '-') && !g_ascii_isdigit (v[1]));
  gboolean quote = formula || strpbrk (v, ",\"\r\n") != NULL;

  if (quote)
    g_string_append_c (out, '"');
  if (formula)
    g_string_append_c (out, '\'');
  for (const char *p = v; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
  g_string_append (out, last ? "\r\n" : ",");
}

void
jarchi_campaign_target_csv_header (GString *out)
{
  g_string_append (out, "name,phone,department,district,result,attempts,last_code,digits,"
                        "answered_at,ended_at,calls\r\n");
}

void
jarchi_campaign_target_csv_row (const JarchiCampaignTarget *t, GString *out)
{
  g_autofree char *attempts = g_strdup_printf ("%u", t->attempts);
  g_autofree char *code = t->last_code ? g_strdup_printf ("%u", t->last_code) : NULL;
  g_autofree char *answered = format_time (t->answered_at);
  g_autofree char *ended = format_time (t->ended_at);
  g_autoptr(GString) calls = g_string_new (NULL);

  for (guint i = 0; i < t->calls->len; i++)
    g_string_append_printf (calls, "%s%" G_GINT64_FORMAT, i ? " " : "",
                            g_array_index (t->calls, gint64, i));

  append_field (out, t->name, FALSE);
  append_field (out, t->phone, FALSE);
  append_field (out, t->department, FALSE);
  append_field (out, t->district, FALSE);
  append_field (out, jarchi_target_result_to_string (t->result), FALSE);
  append_field (out, attempts, FALSE);
  append_field (out, code, FALSE);
  append_field (out, t->digits, FALSE);
  append_field (out, answered, FALSE);
  append_field (out, ended, FALSE);
  append_field (out, calls->str, TRUE);
}
