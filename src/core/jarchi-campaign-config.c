/* A campaign's settings: JSON parsing with validation, serialisation, calling-hours window math and retry rules. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-campaign-config.h"
#include "jarchi-error.h"

G_DEFINE_BOXED_TYPE (JarchiCampaignConfig, jarchi_campaign_config,
                     jarchi_campaign_config_copy, jarchi_campaign_config_free)

/* The wire names are part of the HTTP API: never translate them. */
static const char * const day_names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

#define DTMF_DIGITS "0123456789*#"

/* ---- construction ----------------------------------------------------------------------- */

JarchiCampaignConfig *
jarchi_campaign_config_new (void)
{
  JarchiCampaignConfig *cfg = g_new0 (JarchiCampaignConfig, 1);

  cfg->name = g_strdup ("");
  cfg->departments = g_array_new (FALSE, FALSE, sizeof (gint64));
  cfg->districts = g_array_new (FALSE, FALSE, sizeof (gint64));
  cfg->contacts = g_array_new (FALSE, FALSE, sizeof (gint64));
  cfg->confirm_digit = '1';
  cfg->repeat_digit = '2';
  cfg->opt_out_digit = '\0';
  cfg->max_repeats = 2;
  cfg->menu_timeout_s = 8;
  cfg->max_concurrent = 10;
  cfg->cps = 5;
  cfg->ring_timeout_s = 30;
  cfg->retries[JARCHI_RETRY_BUSY] = (JarchiRetryRule) { 2, 300 };
  cfg->retries[JARCHI_RETRY_NO_ANSWER] = (JarchiRetryRule) { 2, 600 };
  cfg->retries[JARCHI_RETRY_FAILED] = (JarchiRetryRule) { 1, 120 };
  cfg->retries[JARCHI_RETRY_UNCONFIRMED] = (JarchiRetryRule) { 0, 900 };
  cfg->window_days = JARCHI_WEEKDAYS_ALL;
  return cfg;
}

static GArray *
copy_ids (GArray *ids)
{
  GArray *copy = g_array_sized_new (FALSE, FALSE, sizeof (gint64), ids->len);

  g_array_append_vals (copy, ids->data, ids->len);
  return copy;
}

JarchiCampaignConfig *
jarchi_campaign_config_copy (const JarchiCampaignConfig *cfg)
{
  JarchiCampaignConfig *copy;

  g_return_val_if_fail (cfg != NULL, NULL);

  copy = g_memdup2 (cfg, sizeof *cfg);
  copy->name = g_strdup (cfg->name);
  copy->departments = copy_ids (cfg->departments);
  copy->districts = copy_ids (cfg->districts);
  copy->contacts = copy_ids (cfg->contacts);
  copy->tts_text = g_strdup (cfg->tts_text);
  copy->tts_lang = g_strdup (cfg->tts_lang);
  return copy;
}

void
jarchi_campaign_config_free (JarchiCampaignConfig *cfg)
{
  if (cfg == NULL)
    return;
  g_free (cfg->name);
  g_array_unref (cfg->departments);
  g_array_unref (cfg->districts);
  g_array_unref (cfg->contacts);
  g_free (cfg->tts_text);
  g_free (cfg->tts_lang);
  g_free (cfg);
}

/* ---- parsing ---------------------------------------------------------------------------- */

static gboolean
invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

static gboolean
node_is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
get_uint (JsonNode *node, const char *what, guint min, guint max, guint *out, GError **error)
{
  gint64 v;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return invalid (error, _("“%s” must be a whole number"), what);
  v = json_node_get_int (node);
  if (v < min || v > max)
    return invalid (error, _("“%s” must be between %u and %u"), what, min, max);
  *out = (guint) v;
  return TRUE;
}

static gboolean
get_id_array (JsonNode *node, const char *what, GArray *out, GError **error)
{
  JsonArray *array;

  g_array_set_size (out, 0);
  if (node_is_null (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, _("“%s” must be a list of ids"), what);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      gint64 id;
      gboolean seen = FALSE;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_INT64
          || (id = json_node_get_int (item)) < 1)
        return invalid (error, _("“%s” must be a list of ids"), what);
      for (guint j = 0; j < out->len && !seen; j++)
        seen = g_array_index (out, gint64, j) == id;
      if (!seen)
        g_array_append_val (out, id);
    }
  return TRUE;
}

static gboolean
get_digit (JsonNode *node, const char *what, char *out, GError **error)
{
  const char *s;

  if (node_is_null (node))
    {
      *out = '\0';
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, _("“%s” must be one key: 0-9, * or #"), what);
  s = json_node_get_string (node);
  if (s[0] == '\0')
    {
      *out = '\0';
      return TRUE;
    }
  if (s[1] != '\0' || strchr (DTMF_DIGITS, s[0]) == NULL)
    return invalid (error, _("“%s” must be one key: 0-9, * or #"), what);
  *out = s[0];
  return TRUE;
}

/* A non-blank string of at most @max_chars characters. */
static gboolean
get_string (JsonNode *node, const char *what, guint max_chars, const char **out, GError **error)
{
  const char *s;
  g_autofree char *stripped = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, _("“%s” must be a text"), what);
  s = json_node_get_string (node);
  stripped = g_strstrip (g_strdup (s));
  if (stripped[0] == '\0')
    return invalid (error, _("“%s” must not be empty"), what);
  if (g_utf8_strlen (s, -1) > (glong) max_chars)
    return invalid (error, _("“%s” is longer than %u characters"), what, max_chars);
  *out = s;
  return TRUE;
}

static gboolean
check_members (JsonObject *obj, const char *where, const char * const *known, GError **error)
{
  g_autoptr(GList) members = json_object_get_members (obj);

  for (GList *l = members; l; l = l->next)
    if (!g_strv_contains (known, l->data))
      return invalid (error, _("Unknown setting “%s” in %s"), (const char *) l->data, where);
  return TRUE;
}

static gboolean
require_object (JsonNode *node, const char *what, JsonObject **out, GError **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _("“%s” must be an object"), what);
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
apply_targets (JarchiCampaignConfig *cfg, JsonNode *node, GError **error)
{
  static const char * const known[] = { "departments", "districts", "contacts", NULL };
  JsonObject *obj = NULL;

  if (!require_object (node, "targets", &obj, error) || !check_members (obj, "targets", known, error))
    return FALSE;
  if (json_object_has_member (obj, "departments")
      && !get_id_array (json_object_get_member (obj, "departments"), "targets.departments",
                        cfg->departments, error))
    return FALSE;
  if (json_object_has_member (obj, "districts")
      && !get_id_array (json_object_get_member (obj, "districts"), "targets.districts",
                        cfg->districts, error))
    return FALSE;
  if (json_object_has_member (obj, "contacts")
      && !get_id_array (json_object_get_member (obj, "contacts"), "targets.contacts",
                        cfg->contacts, error))
    return FALSE;
  return TRUE;
}

static gboolean
apply_message (JarchiCampaignConfig *cfg, JsonNode *node, GError **error)
{
  static const char * const known[] = { "media", "tts", NULL };
  static const char * const tts_known[] = { "text", "lang", NULL };
  static const char * const langs[] = { "uz", "ru", "en", NULL };
  JsonObject *obj = NULL, *tts = NULL;
  JsonNode *media_node, *tts_node;
  const char *text, *lang;

  cfg->media_id = 0;
  g_clear_pointer (&cfg->tts_text, g_free);
  g_clear_pointer (&cfg->tts_lang, g_free);
  if (node_is_null (node))
    return TRUE;
  if (!require_object (node, "message", &obj, error) || !check_members (obj, "message", known, error))
    return FALSE;

  media_node = json_object_get_member (obj, "media");
  tts_node = json_object_get_member (obj, "tts");
  if (node_is_null (media_node) && node_is_null (tts_node))
    return invalid (error, _("“message” needs a recorded file (“media”) or a text to speak (“tts”)"));
  if (!node_is_null (media_node)
      && !get_uint (media_node, "message.media", 1, G_MAXINT32, &cfg->media_id, error))
    return FALSE;
  if (node_is_null (tts_node))
    return TRUE;

  if (!require_object (tts_node, "message.tts", &tts, error)
      || !check_members (tts, "message.tts", tts_known, error))
    return FALSE;
  if (!get_string (json_object_get_member (tts, "text"), "message.tts.text", 5000, &text, error))
    return FALSE;
  lang = "uz";
  if (json_object_has_member (tts, "lang")
      && !get_string (json_object_get_member (tts, "lang"), "message.tts.lang", 8, &lang, error))
    return FALSE;
  if (!g_strv_contains (langs, lang))
    return invalid (error, _("“message.tts.lang” must be “uz”, “ru” or “en”"));
  cfg->tts_text = g_strdup (text);
  cfg->tts_lang = g_strdup (lang);
  return TRUE;
}

static gboolean
apply_menu (JarchiCampaignConfig *cfg, JsonNode *node, GError **error)
{
  static const char * const known[] = { "confirm", "repeat", "opt_out", "max_repeats", "timeout_s", NULL };
  JsonObject *obj = NULL;
  JsonNode *m;

  if (!require_object (node, "menu", &obj, error) || !check_members (obj, "menu", known, error))
    return FALSE;
  if (json_object_has_member (obj, "confirm")
      && !get_digit (json_object_get_member (obj, "confirm"), "menu.confirm", &cfg->confirm_digit, error))
    return FALSE;
  if (json_object_has_member (obj, "repeat")
      && !get_digit (json_object_get_member (obj, "repeat"), "menu.repeat", &cfg->repeat_digit, error))
    return FALSE;
  if (json_object_has_member (obj, "opt_out")
      && !get_digit (json_object_get_member (obj, "opt_out"), "menu.opt_out", &cfg->opt_out_digit, error))
    return FALSE;
  if ((m = json_object_get_member (obj, "max_repeats"))
      && !get_uint (m, "menu.max_repeats", 0, 10, &cfg->max_repeats, error))
    return FALSE;
  if ((m = json_object_get_member (obj, "timeout_s"))
      && !get_uint (m, "menu.timeout_s", 1, 120, &cfg->menu_timeout_s, error))
    return FALSE;
  return TRUE;
}

static gboolean
apply_retries (JarchiCampaignConfig *cfg, JsonNode *node, GError **error)
{
  static const char * const known[] = { "busy", "no_answer", "failed", "unconfirmed", NULL };
  static const char * const rule_known[] = { "count", "delay_s", NULL };
  JsonObject *obj = NULL;

  if (!require_object (node, "retries", &obj, error) || !check_members (obj, "retries", known, error))
    return FALSE;
  for (guint k = 0; k < JARCHI_N_RETRY_KINDS; k++)
    {
      JsonNode *rule_node = json_object_get_member (obj, jarchi_retry_kind_to_string (k));
      g_autofree char *where = g_strdup_printf ("retries.%s", jarchi_retry_kind_to_string (k));
      g_autofree char *count_name = g_strdup_printf ("%s.count", where);
      g_autofree char *delay_name = g_strdup_printf ("%s.delay_s", where);
      JsonObject *rule = NULL;
      JsonNode *m;

      if (rule_node == NULL)
        continue;
      if (!require_object (rule_node, where, &rule, error) || !check_members (rule, where, rule_known, error))
        return FALSE;
      if ((m = json_object_get_member (rule, "count"))
          && !get_uint (m, count_name, 0, 20, &cfg->retries[k].count, error))
        return FALSE;
      if ((m = json_object_get_member (rule, "delay_s"))
          && !get_uint (m, delay_name, 0, 7 * 24 * 3600, &cfg->retries[k].delay_s, error))
        return FALSE;
    }
  return TRUE;
}

/* "HH:MM" (24-hour); "24:00" only where @allow_24 (a window's end). */
static gboolean
parse_hhmm (JsonNode *node, const char *what, gboolean allow_24, guint *minutes, GError **error)
{
  const char *s;
  guint h, m;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, _("“%s” must be a time like “09:00”"), what);
  s = json_node_get_string (node);
  if (strlen (s) != 5 || !g_ascii_isdigit (s[0]) || !g_ascii_isdigit (s[1]) || s[2] != ':'
      || !g_ascii_isdigit (s[3]) || !g_ascii_isdigit (s[4]))
    return invalid (error, _("“%s” must be a time like “09:00”"), what);
  h = (s[0] - '0') * 10 + (s[1] - '0');
  m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)))
    return invalid (error, _("“%s” must be a time like “09:00”"), what);
  *minutes = h * 60 + m;
  return TRUE;
}

static gboolean
apply_window (JarchiCampaignConfig *cfg, JsonNode *node, GError **error)
{
  static const char * const known[] = { "days", "start", "end", NULL };
  JsonObject *obj = NULL;
  JsonNode *days_node;
  guint days = JARCHI_WEEKDAYS_ALL;

  if (node_is_null (node))
    {
      cfg->has_window = FALSE;
      cfg->window_days = JARCHI_WEEKDAYS_ALL;
      cfg->window_start_min = cfg->window_end_min = 0;
      return TRUE;
    }
  if (!require_object (node, "window", &obj, error) || !check_members (obj, "window", known, error))
    return FALSE;

  days_node = json_object_get_member (obj, "days");
  if (!node_is_null (days_node))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (days_node))
        return invalid (error, _("“window.days” must be a list like [\"mon\", \"tue\"]"));
      array = json_node_get_array (days_node);
      days = 0;
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          const char *name;
          guint d;

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
            return invalid (error, _("“window.days” must be a list like [\"mon\", \"tue\"]"));
          name = json_node_get_string (item);
          for (d = 0; d < G_N_ELEMENTS (day_names); d++)
            if (g_ascii_strcasecmp (name, day_names[d]) == 0)
              break;
          if (d == G_N_ELEMENTS (day_names))
            return invalid (error, _("“%s” is not a day: use mon, tue, wed, thu, fri, sat or sun"), name);
          days |= 1u << d;
        }
      if (days == 0)
        return invalid (error, _("“window.days” needs at least one day"));
    }

  if (!parse_hhmm (json_object_get_member (obj, "start"), "window.start", FALSE, &cfg->window_start_min, error)
      || !parse_hhmm (json_object_get_member (obj, "end"), "window.end", TRUE, &cfg->window_end_min, error))
    return FALSE;
  if (cfg->window_start_min == cfg->window_end_min
      || (cfg->window_end_min == 24 * 60 && cfg->window_start_min == 0))
    return invalid (error, _("The calling window must not start and end at the same time; leave it out to call at any time"));
  cfg->window_days = days;
  cfg->has_window = TRUE;
  return TRUE;
}

static gboolean
apply_start_at (JarchiCampaignConfig *cfg, JsonNode *node, GError **error)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) local = NULL;

  cfg->start_at = 0;
  if (node_is_null (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, _("“start_at” must be a date and time like “2026-12-01T09:00:00+05:00”"));
  /* A time without an offset means the machine's time, like the calling window. */
  local = g_time_zone_new_local ();
  dt = g_date_time_new_from_iso8601 (json_node_get_string (node), local);
  if (dt == NULL)
    return invalid (error, _("“start_at” must be a date and time like “2026-12-01T09:00:00+05:00”"));
  cfg->start_at = g_date_time_to_unix (dt);
  return TRUE;
}

static gboolean
apply_members (JarchiCampaignConfig *cfg, JsonNode *node, GError **error)
{
  static const char * const known[] = {
    "name", "account", "targets", "message", "menu", "max_concurrent", "cps", "ring_timeout_s",
    "retries", "window", "start_at",
    /* read-only members of GET, so that a fetched campaign can be sent back */
    "id", "state", "stats", "created_at", "started_at", "ended_at", NULL
  };
  JsonObject *obj = NULL;
  JsonNode *m;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _("A campaign must be a JSON object"));
  obj = json_node_get_object (node);
  if (!check_members (obj, _("the campaign"), known, error))
    return FALSE;

  if ((m = json_object_get_member (obj, "name")))
    {
      const char *name;

      if (!get_string (m, "name", 200, &name, error))
        return FALSE;
      g_free (cfg->name);
      cfg->name = g_strstrip (g_strdup (name));
    }
  if ((m = json_object_get_member (obj, "account")))
    {
      if (node_is_null (m))
        cfg->account_id = 0;
      else if (!get_uint (m, "account", 1, G_MAXINT32, &cfg->account_id, error))
        return FALSE;
    }
  if ((m = json_object_get_member (obj, "targets")) && !apply_targets (cfg, m, error))
    return FALSE;
  if ((m = json_object_get_member (obj, "message")) && !apply_message (cfg, m, error))
    return FALSE;
  if ((m = json_object_get_member (obj, "menu")) && !apply_menu (cfg, m, error))
    return FALSE;
  if ((m = json_object_get_member (obj, "max_concurrent"))
      && !get_uint (m, "max_concurrent", 1, 10000, &cfg->max_concurrent, error))
    return FALSE;
  if ((m = json_object_get_member (obj, "cps")))
    {
      GType t = JSON_NODE_HOLDS_VALUE (m) ? json_node_get_value_type (m) : G_TYPE_INVALID;
      double cps;

      if (t != G_TYPE_INT64 && t != G_TYPE_DOUBLE)
        return invalid (error, _("“cps” must be a number of new calls per second"));
      cps = json_node_get_double (m);
      if (!(cps >= 0.01 && cps <= 1000))
        return invalid (error, _("“cps” must be between %g and %g"), 0.01, 1000.0);
      cfg->cps = cps;
    }
  if ((m = json_object_get_member (obj, "ring_timeout_s"))
      && !get_uint (m, "ring_timeout_s", 5, 300, &cfg->ring_timeout_s, error))
    return FALSE;
  if ((m = json_object_get_member (obj, "retries")) && !apply_retries (cfg, m, error))
    return FALSE;
  if (json_object_has_member (obj, "window")
      && !apply_window (cfg, json_object_get_member (obj, "window"), error))
    return FALSE;
  if (json_object_has_member (obj, "start_at")
      && !apply_start_at (cfg, json_object_get_member (obj, "start_at"), error))
    return FALSE;
  return TRUE;
}

/* Rules that tie members together, checked after every member was applied. */
static gboolean
validate (const JarchiCampaignConfig *cfg, GError **error)
{
  if (cfg->name[0] == '\0')
    return invalid (error, _("A campaign needs a name"));
  if (cfg->confirm_digit == '\0')
    return invalid (error, _("“menu.confirm” needs a key"));
  if (cfg->confirm_digit == cfg->repeat_digit || cfg->confirm_digit == cfg->opt_out_digit
      || (cfg->repeat_digit != '\0' && cfg->repeat_digit == cfg->opt_out_digit))
    return invalid (error, _("The confirm, repeat and opt-out keys must differ"));
  return TRUE;
}

JarchiCampaignConfig *
jarchi_campaign_config_patch (const JarchiCampaignConfig *cfg, JsonNode *patch, GError **error)
{
  g_autoptr(JarchiCampaignConfig) result = jarchi_campaign_config_copy (cfg);

  if (!apply_members (result, patch, error) || !validate (result, error))
    return NULL;
  return g_steal_pointer (&result);
}

JarchiCampaignConfig *
jarchi_campaign_config_from_json (JsonNode *node, GError **error)
{
  g_autoptr(JarchiCampaignConfig) defaults = jarchi_campaign_config_new ();

  return jarchi_campaign_config_patch (defaults, node, error);
}

gboolean
jarchi_campaign_config_check_startable (const JarchiCampaignConfig *cfg, GError **error)
{
  g_return_val_if_fail (cfg != NULL, FALSE);

  if (cfg->account_id == 0)
    return invalid (error, _("Choose the account the campaign calls from"));
  if (cfg->media_id == 0 && cfg->tts_text == NULL)
    return invalid (error, _("Choose the message: a recorded file or a text to speak"));
  if (cfg->departments->len == 0 && cfg->districts->len == 0 && cfg->contacts->len == 0)
    return invalid (error, _("Choose whom to call: departments, districts or contacts"));
  return TRUE;
}

/* ---- serialisation ---------------------------------------------------------------------- */

static void
add_ids (JsonBuilder *b, const char *name, GArray *ids)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < ids->len; i++)
    json_builder_add_int_value (b, g_array_index (ids, gint64, i));
  json_builder_end_array (b);
}

static void
add_digit (JsonBuilder *b, const char *name, char digit)
{
  char s[2] = { digit, '\0' };

  json_builder_set_member_name (b, name);
  if (digit == '\0')
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, s);
}

static void
add_hhmm (JsonBuilder *b, const char *name, guint minutes)
{
  g_autofree char *s = g_strdup_printf ("%02u:%02u", minutes / 60, minutes % 60);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, s);
}

void
jarchi_campaign_config_add_json (const JarchiCampaignConfig *cfg, JsonBuilder *b)
{
  g_return_if_fail (cfg != NULL);

  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, cfg->name);
  json_builder_set_member_name (b, "account");
  if (cfg->account_id)
    json_builder_add_int_value (b, cfg->account_id);
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "targets");
  json_builder_begin_object (b);
  add_ids (b, "departments", cfg->departments);
  add_ids (b, "districts", cfg->districts);
  add_ids (b, "contacts", cfg->contacts);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "message");
  if (cfg->media_id == 0 && cfg->tts_text == NULL)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_object (b);
      if (cfg->media_id)
        {
          json_builder_set_member_name (b, "media");
          json_builder_add_int_value (b, cfg->media_id);
        }
      if (cfg->tts_text)
        {
          json_builder_set_member_name (b, "tts");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "text");
          json_builder_add_string_value (b, cfg->tts_text);
          json_builder_set_member_name (b, "lang");
          json_builder_add_string_value (b, cfg->tts_lang);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }

  json_builder_set_member_name (b, "menu");
  json_builder_begin_object (b);
  add_digit (b, "confirm", cfg->confirm_digit);
  add_digit (b, "repeat", cfg->repeat_digit);
  add_digit (b, "opt_out", cfg->opt_out_digit);
  json_builder_set_member_name (b, "max_repeats");
  json_builder_add_int_value (b, cfg->max_repeats);
  json_builder_set_member_name (b, "timeout_s");
  json_builder_add_int_value (b, cfg->menu_timeout_s);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "max_concurrent");
  json_builder_add_int_value (b, cfg->max_concurrent);
  json_builder_set_member_name (b, "cps");
  json_builder_add_double_value (b, cfg->cps);
  json_builder_set_member_name (b, "ring_timeout_s");
  json_builder_add_int_value (b, cfg->ring_timeout_s);

  json_builder_set_member_name (b, "retries");
  json_builder_begin_object (b);
  for (guint k = 0; k < JARCHI_N_RETRY_KINDS; k++)
    {
      json_builder_set_member_name (b, jarchi_retry_kind_to_string (k));
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "count");
      json_builder_add_int_value (b, cfg->retries[k].count);
      json_builder_set_member_name (b, "delay_s");
      json_builder_add_int_value (b, cfg->retries[k].delay_s);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "window");
  if (!cfg->has_window)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "days");
      json_builder_begin_array (b);
      for (guint d = 0; d < G_N_ELEMENTS (day_names); d++)
        if (cfg->window_days & (1u << d))
          json_builder_add_string_value (b, day_names[d]);
      json_builder_end_array (b);
      add_hhmm (b, "start", cfg->window_start_min);
      add_hhmm (b, "end", cfg->window_end_min);
      json_builder_end_object (b);
    }

  json_builder_set_member_name (b, "start_at");
  if (cfg->start_at == 0)
    json_builder_add_null_value (b);
  else
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (cfg->start_at);
      g_autofree char *iso = g_date_time_format_iso8601 (dt);

      json_builder_add_string_value (b, iso);
    }
}

JsonNode *
jarchi_campaign_config_to_json (const JarchiCampaignConfig *cfg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  jarchi_campaign_config_add_json (cfg, b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- calling window --------------------------------------------------------------------- */

static gboolean
day_enabled (const JarchiCampaignConfig *cfg, int day_of_week /* 1 = Monday */)
{
  return (cfg->window_days & (1u << (day_of_week - 1))) != 0;
}

gboolean
jarchi_campaign_config_in_window (const JarchiCampaignConfig *cfg, GDateTime *now)
{
  int dow;
  guint minute;

  g_return_val_if_fail (cfg != NULL && now != NULL, FALSE);

  if (!cfg->has_window)
    return TRUE;
  dow = g_date_time_get_day_of_week (now);
  minute = g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now);

  if (cfg->window_start_min < cfg->window_end_min)
    return day_enabled (cfg, dow) && minute >= cfg->window_start_min && minute < cfg->window_end_min;

  /* Overnight: the evening part belongs to today, the early-morning part to yesterday's window. */
  if (minute >= cfg->window_start_min)
    return day_enabled (cfg, dow);
  if (minute < cfg->window_end_min)
    return day_enabled (cfg, dow == 1 ? 7 : dow - 1);
  return FALSE;
}

GDateTime *
jarchi_campaign_config_next_window (const JarchiCampaignConfig *cfg, GDateTime *now)
{
  GTimeZone *tz;
  g_autoptr(GDateTime) midnight = NULL;

  g_return_val_if_fail (cfg != NULL && now != NULL, NULL);

  if (jarchi_campaign_config_in_window (cfg, now))
    return g_date_time_ref (now);

  tz = g_date_time_get_timezone (now);
  midnight = g_date_time_new (tz, g_date_time_get_year (now), g_date_time_get_month (now),
                              g_date_time_get_day_of_month (now), 0, 0, 0);
  /* Outside the window, the next opening is the first start time after now; a week and a day
   * covers every combination of days. */
  for (int d = 0; d <= 7; d++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (midnight, d);
      g_autoptr(GDateTime) open = NULL;

      if (!day_enabled (cfg, g_date_time_get_day_of_week (day)))
        continue;
      /* Built from the calendar date, not by adding minutes, so a DST change is honoured. */
      open = g_date_time_new (tz, g_date_time_get_year (day), g_date_time_get_month (day),
                              g_date_time_get_day_of_month (day), cfg->window_start_min / 60,
                              cfg->window_start_min % 60, 0);
      if (open != NULL && g_date_time_compare (open, now) > 0)
        return g_steal_pointer (&open);
    }
  return NULL;
}

/* ---- retries ---------------------------------------------------------------------------- */

gboolean
jarchi_campaign_config_should_retry (const JarchiCampaignConfig *cfg, JarchiRetryKind kind,
                                     guint n_so_far, guint *delay_s)
{
  g_return_val_if_fail (cfg != NULL && kind < JARCHI_N_RETRY_KINDS, FALSE);

  if (n_so_far > cfg->retries[kind].count)
    return FALSE;
  if (delay_s)
    *delay_s = cfg->retries[kind].delay_s;
  return TRUE;
}
