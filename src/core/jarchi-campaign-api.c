/* JarchiCampaignApi: campaigns over HTTP — create, edit drafts, start/pause/resume/cancel, targets, report.csv — and live events. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-api-helpers.h"
#include "jarchi-campaign-api.h"
#include "jarchi-error.h"

#define ROUTE "/api/campaigns"

struct _JarchiCampaignApi
{
  GObject               parent_instance;
  JarchiCampaignRunner *runner;
  JarchiMediaLibrary   *media_library;
  JarchiWebServer      *server;   /* weak: the server owns us */
};

G_DEFINE_FINAL_TYPE (JarchiCampaignApi, jarchi_campaign_api, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static JarchiCampaignStore *
campaigns (JarchiCampaignApi *self)
{
  return jarchi_campaign_runner_get_store (self->runner);
}

/* ---- replies ---------------------------------------------------------------------------- */

static void
reply_campaign (SoupServerMessage *msg, guint status, JarchiCampaign *campaign)
{
  g_autoptr(JsonNode) node = jarchi_campaign_to_json (campaign);

  if (status == SOUP_STATUS_CREATED)
    {
      g_autofree char *location = g_strdup_printf (ROUTE "/%" G_GINT64_FORMAT, jarchi_campaign_get_id (campaign));

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
    }
  jarchi_web_reply_json (msg, status, node);
}

/* Transitions and edits the state forbids are conflicts; settings a start needs are too,
 * since the same request succeeds once the campaign is completed. */
static void
reply_gerror (SoupServerMessage *msg, const GError *error, gboolean starting)
{
  guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  const char *name = "internal_error";

  if (error->domain == JARCHI_ERROR)
    switch ((JarchiError) error->code)
      {
      case JARCHI_ERROR_INVALID_ARGUMENT:
      case JARCHI_ERROR_NOT_FOUND:
      case JARCHI_ERROR_MEDIA:
        status = starting ? SOUP_STATUS_CONFLICT : SOUP_STATUS_BAD_REQUEST;
        name = starting ? "not_ready" : "invalid";
        break;
      case JARCHI_ERROR_BUSY:
        status = SOUP_STATUS_CONFLICT;
        name = "conflict";
        break;
      default:
        break;
      }
  if (status == SOUP_STATUS_INTERNAL_SERVER_ERROR)
    g_message ("campaign API: %s", error->message);
  jarchi_web_reply_error (msg, status, name, error->message);
}

/* The request's JSON object; NULL with a 400 or 413 already sent. */
static JsonNode *
read_json (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (body->length > JARCHI_CAMPAIGN_API_JSON_MAX_BYTES)
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                              _("The request body is too large"));
      return NULL;
    }
  bytes = soup_message_body_flatten (body);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error)
      || json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_json",
                              _("The request body must be a JSON object"));
      return NULL;
    }
  return json_parser_steal_root (parser);
}

/* ---- collection ------------------------------------------------------------------------- */

static JsonNode *
campaign_json (gpointer campaign, gpointer user_data)
{
  return jarchi_campaign_to_json (campaign);
}

static void
list_campaigns (JarchiCampaignApi *self, SoupServerMessage *msg)
{
  GListModel *model = G_LIST_MODEL (campaigns (self));
  guint n = g_list_model_get_n_items (model);
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (model, i));
  jarchi_api_reply_list (msg, items, n, campaign_json, NULL);
}

static void
create_campaign (JarchiCampaignApi *self, SoupServerMessage *msg)
{
  g_autoptr(JsonNode) body = read_json (msg);
  g_autoptr(JarchiCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;

  if (body == NULL)
    return;
  campaign = jarchi_campaign_new_from_json (body, &error);
  if (campaign == NULL || !jarchi_campaign_store_add (campaigns (self), campaign, &error))
    {
      reply_gerror (msg, error, FALSE);
      return;
    }
  jarchi_campaign_runner_campaign_changed (self->runner, campaign);
  reply_campaign (msg, SOUP_STATUS_CREATED, campaign);
}

/* ---- one campaign ----------------------------------------------------------------------- */

static void
patch_campaign (JarchiCampaignApi *self, SoupServerMessage *msg, JarchiCampaign *campaign)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JarchiCampaignConfig) old = NULL;
  g_autoptr(GError) error = NULL;

  if (jarchi_campaign_get_state (campaign) != JARCHI_CAMPAIGN_STATE_DRAFT)
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_CONFLICT, "conflict",
                              _("Only a draft campaign can be edited"));
      return;
    }
  if ((body = read_json (msg)) == NULL)
    return;
  old = jarchi_campaign_config_copy (jarchi_campaign_get_config (campaign));
  if (!jarchi_campaign_patch (campaign, body, &error))
    {
      reply_gerror (msg, error, FALSE);
      return;
    }
  if (!jarchi_campaign_store_save (campaigns (self), campaign, &error))
    {
      (void) jarchi_campaign_set_config (campaign, old, NULL);
      reply_gerror (msg, error, FALSE);
      return;
    }
  jarchi_campaign_runner_campaign_changed (self->runner, campaign);
  reply_campaign (msg, SOUP_STATUS_OK, campaign);
}

static void
delete_campaign (JarchiCampaignApi *self, SoupServerMessage *msg, JarchiCampaign *campaign)
{
  g_autoptr(GError) error = NULL;
  JarchiCampaignState state = jarchi_campaign_get_state (campaign);
  gint64 id = jarchi_campaign_get_id (campaign);

  /* Deleting drops the results with the targets: a live campaign must be cancelled first. */
  if (state == JARCHI_CAMPAIGN_STATE_SCHEDULED || state == JARCHI_CAMPAIGN_STATE_RUNNING
      || state == JARCHI_CAMPAIGN_STATE_PAUSED
      || jarchi_campaign_runner_get_n_campaign_calls (self->runner, campaign) > 0)
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_CONFLICT, "conflict",
                              _("Cancel the campaign and wait for its calls to end before deleting it"));
      return;
    }
  if (!jarchi_campaign_store_remove (campaigns (self), campaign, &error))
    {
      reply_gerror (msg, error, FALSE);
      return;
    }

  if (self->server)
    jarchi_api_broadcast_event (self->server, "campaign-deleted", "id",
                                json_node_init_int (json_node_alloc (), id));
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* A start that must first speak the text message: the request waits for the synthesis. */
typedef struct {
  JarchiCampaignApi *self;
  JarchiCampaign    *campaign;
  SoupServerMessage *msg;
  gulong             finished_id;
  gboolean           finished;
} PendingStart;

static void
pending_start_free (PendingStart *p)
{
  g_clear_signal_handler (&p->finished_id, p->msg);
  g_clear_object (&p->msg);
  g_clear_object (&p->campaign);
  g_clear_object (&p->self);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PendingStart, pending_start_free)

static void
on_pending_finished (SoupServerMessage *msg, gpointer user_data)
{
  ((PendingStart *) user_data)->finished = TRUE;
}

static gboolean
start_now (JarchiCampaignApi *self, SoupServerMessage *msg, JarchiCampaign *campaign)
{
  g_autoptr(GError) error = NULL;

  if (!jarchi_campaign_runner_start (self->runner, campaign, &error))
    {
      reply_gerror (msg, error, TRUE);
      return FALSE;
    }
  reply_campaign (msg, SOUP_STATUS_OK, campaign);
  return TRUE;
}

static void
synthesized (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(PendingStart) p = user_data;
  g_autoptr(JarchiMedia) media = NULL;
  g_autoptr(JarchiCampaignConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  media = jarchi_media_library_synthesize_finish (JARCHI_MEDIA_LIBRARY (source), result, NULL, &error);
  if (p->finished)
    return;
  soup_server_message_unpause (p->msg);
  if (media == NULL)
    {
      reply_gerror (p->msg, error, TRUE);
      return;
    }
  /* Still a draft: someone may have started or edited it meanwhile. */
  if (jarchi_campaign_get_state (p->campaign) != JARCHI_CAMPAIGN_STATE_DRAFT)
    {
      jarchi_web_reply_error (p->msg, SOUP_STATUS_CONFLICT, "conflict", _("The campaign was started meanwhile"));
      return;
    }
  config = jarchi_campaign_config_copy (jarchi_campaign_get_config (p->campaign));
  config->media_id = (guint) media->id;
  if (!jarchi_campaign_set_config (p->campaign, config, &error)
      || !jarchi_campaign_store_save (campaigns (p->self), p->campaign, &error))
    {
      reply_gerror (p->msg, error, TRUE);
      return;
    }
  start_now (p->self, p->msg, p->campaign);
}

static void
start_campaign (JarchiCampaignApi *self, SoupServerMessage *msg, JarchiCampaign *campaign)
{
  const JarchiCampaignConfig *cfg = jarchi_campaign_get_config (campaign);
  PendingStart *p;

  if (jarchi_campaign_get_state (campaign) != JARCHI_CAMPAIGN_STATE_DRAFT
      || cfg->media_id != 0 || cfg->tts_text == NULL || self->media_library == NULL)
    {
      start_now (self, msg, campaign);
      return;
    }
  p = g_new0 (PendingStart, 1);
  p->self = g_object_ref (self);
  p->campaign = g_object_ref (campaign);
  p->msg = g_object_ref (msg);
  p->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_pending_finished), p);
  soup_server_message_pause (msg);
  jarchi_media_library_synthesize_async (self->media_library, cfg->tts_text, cfg->tts_lang, NULL,
                                         synthesized, p);
}

static void
act (JarchiCampaignApi *self, SoupServerMessage *msg, JarchiCampaign *campaign, const char *action)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_str_equal (action, "start"))
    {
      start_campaign (self, msg, campaign);
      return;
    }
  if (g_str_equal (action, "pause"))
    ok = jarchi_campaign_runner_pause (self->runner, campaign, &error);
  else if (g_str_equal (action, "resume"))
    ok = jarchi_campaign_runner_resume (self->runner, campaign, &error);
  else if (g_str_equal (action, "cancel"))
    ok = jarchi_campaign_runner_cancel (self->runner, campaign, &error);
  else
    {
      jarchi_api_reply_not_found (msg, NULL);
      return;
    }
  if (!ok)
    reply_gerror (msg, error, FALSE);
  else
    reply_campaign (msg, SOUP_STATUS_OK, campaign);
}

/* The targets route answers a bad number with "invalid" (docs/api.md), not the
 * "invalid_parameter" of jarchi_api_param_uint, and its limit starts at 1. */
static gboolean
page_param (SoupServerMessage *msg, GHashTable *query, const char *name, guint64 min, guint64 max,
            guint64 fallback, guint64 *out)
{
  if (!jarchi_api_param_range (query, name, min, max, fallback, out))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” must be a number from %llu to %llu"), name,
                                                  (unsigned long long) min, (unsigned long long) max);
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid", message);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
target_json (gpointer target, gpointer user_data)
{
  return jarchi_campaign_target_to_json (target);
}

static void
list_targets (JarchiCampaignApi *self, SoupServerMessage *msg, JarchiCampaign *campaign, GHashTable *query)
{
  const char *result_name = query ? g_hash_table_lookup (query, "result") : NULL;
  JarchiTargetResult result = JARCHI_TARGET_RESULT_PENDING;
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(GError) error = NULL;
  guint64 limit, offset;
  guint total = 0;

  if (result_name && *result_name && !jarchi_target_result_from_string (result_name, &result))
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid", _("Unknown result in “result”"));
      return;
    }
  if (!page_param (msg, query, "limit", 1, JARCHI_CAMPAIGN_API_MAX_LIMIT,
                   JARCHI_CAMPAIGN_API_DEFAULT_LIMIT, &limit)
      || !page_param (msg, query, "offset", 0, G_MAXINT32, 0, &offset))
    return;

  targets = jarchi_campaign_store_list_targets (campaigns (self), jarchi_campaign_get_id (campaign),
                                                result_name && *result_name ? (int) result : -1,
                                                (guint) limit, (guint) offset, &total, &error);
  if (targets == NULL)
    {
      reply_gerror (msg, error, FALSE);
      return;
    }
  jarchi_api_reply_list (msg, targets, total, target_json, NULL);
}

static void
report_csv (JarchiCampaignApi *self, SoupServerMessage *msg, JarchiCampaign *campaign)
{
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *disposition = NULL;
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  GString *csv;
  gsize len;

  targets = jarchi_campaign_store_list_targets (campaigns (self), jarchi_campaign_get_id (campaign),
                                                -1, 0, 0, NULL, &error);
  if (targets == NULL)
    {
      reply_gerror (msg, error, FALSE);
      return;
    }
  /* The BOM makes spreadsheet programs read Cyrillic and Uzbek names as UTF-8. */
  csv = g_string_new ("\xEF\xBB\xBF");
  jarchi_campaign_target_csv_header (csv);
  for (guint i = 0; i < targets->len; i++)
    jarchi_campaign_target_csv_row (g_ptr_array_index (targets, i), csv);

  disposition = g_strdup_printf ("attachment; filename=\"campaign-%" G_GINT64_FORMAT ".csv\"",
                                 jarchi_campaign_get_id (campaign));
  soup_message_headers_replace (h, "Content-Disposition", disposition);
  soup_message_headers_replace (h, "Cache-Control", "no-store");
  soup_message_headers_replace (h, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  len = csv->len;
  soup_server_message_set_response (msg, "text/csv; charset=utf-8", SOUP_MEMORY_TAKE,
                                    g_string_free (csv, FALSE), len);
}

/* ---- routing ---------------------------------------------------------------------------- */

static void
handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
         gpointer user_data)
{
  JarchiCampaignApi *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *rest = path + strlen (ROUTE);
  g_auto(GStrv) parts = NULL;
  JarchiCampaign *campaign;
  guint64 id;
  guint n;

  if (rest[0] == '\0' || g_str_equal (rest, "/"))
    {
      if (g_str_equal (method, "GET"))
        list_campaigns (self, msg);
      else if (g_str_equal (method, "POST"))
        create_campaign (self, msg);
      else
        jarchi_api_reply_method_not_allowed (msg, "GET, POST");
      return;
    }
  if (rest[0] != '/')
    {
      jarchi_api_reply_not_found (msg, NULL);
      return;
    }

  parts = g_strsplit (rest + 1, "/", 3);
  n = g_strv_length (parts);
  if (!g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXINT64, &id, NULL)
      || (campaign = jarchi_campaign_store_lookup (campaigns (self), (gint64) id)) == NULL)
    {
      jarchi_api_reply_not_found (msg, _("There is no such campaign"));
      return;
    }
  if (n > 2 || (n == 2 && parts[1][0] == '\0'))
    {
      jarchi_api_reply_not_found (msg, NULL);
      return;
    }

  if (n == 1)
    {
      if (g_str_equal (method, "GET"))
        reply_campaign (msg, SOUP_STATUS_OK, campaign);
      else if (g_str_equal (method, "PATCH"))
        patch_campaign (self, msg, campaign);
      else if (g_str_equal (method, "DELETE"))
        delete_campaign (self, msg, campaign);
      else
        jarchi_api_reply_method_not_allowed (msg, "GET, PATCH, DELETE");
    }
  else if (g_str_equal (parts[1], "targets"))
    {
      if (g_str_equal (method, "GET"))
        list_targets (self, msg, campaign, query);
      else
        jarchi_api_reply_method_not_allowed (msg, "GET");
    }
  else if (g_str_equal (parts[1], "report.csv"))
    {
      if (g_str_equal (method, "GET"))
        report_csv (self, msg, campaign);
      else
        jarchi_api_reply_method_not_allowed (msg, "GET");
    }
  else if (g_str_equal (method, "POST"))
    act (self, msg, campaign, parts[1]);
  else
    jarchi_api_reply_method_not_allowed (msg, "POST");
}

static void
on_campaign_changed (JarchiCampaignRunner *runner, JarchiCampaign *campaign, gpointer user_data)
{
  JarchiCampaignApi *self = user_data;

  if (jarchi_api_has_clients (self->server))
    jarchi_api_broadcast_event (self->server, "campaign", "campaign", jarchi_campaign_to_json (campaign));
}

/* ---- object ----------------------------------------------------------------------------- */

static void
jarchi_campaign_api_dispose (GObject *object)
{
  JarchiCampaignApi *self = JARCHI_CAMPAIGN_API (object);

  if (self->runner)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  g_clear_object (&self->runner);
  g_clear_object (&self->media_library);
  g_clear_weak_pointer (&self->server);

  G_OBJECT_CLASS (jarchi_campaign_api_parent_class)->dispose (object);
}

static void
jarchi_campaign_api_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_RUNNER:
      g_value_set_object (value, JARCHI_CAMPAIGN_API (object)->runner);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_campaign_api_class_init (JarchiCampaignApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_campaign_api_dispose;
  object_class->get_property = jarchi_campaign_api_get_property;

  properties[PROP_RUNNER] =
    g_param_spec_object ("runner", NULL, NULL, JARCHI_TYPE_CAMPAIGN_RUNNER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_campaign_api_init (JarchiCampaignApi *self)
{
}

JarchiCampaignApi *
jarchi_campaign_api_register (JarchiWebServer *server, JarchiCampaignRunner *runner,
                              JarchiMediaLibrary *media_library)
{
  JarchiCampaignApi *self;

  g_return_val_if_fail (JARCHI_IS_WEB_SERVER (server), NULL);
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_RUNNER (runner), NULL);
  g_return_val_if_fail (media_library == NULL || JARCHI_IS_MEDIA_LIBRARY (media_library), NULL);

  self = g_object_new (JARCHI_TYPE_CAMPAIGN_API, NULL);
  self->runner = g_object_ref (runner);
  self->media_library = media_library ? g_object_ref (media_library) : NULL;
  g_set_weak_pointer (&self->server, server);
  g_signal_connect (runner, "campaign-changed", G_CALLBACK (on_campaign_changed), self);
  jarchi_web_server_add_route (server, ROUTE, handler, self);
  /* The route holds a bare pointer: the server keeps the API for as long as it may call it. */
  g_object_set_data_full (G_OBJECT (server), "jarchi-campaign-api", self, g_object_unref);
  return self;
}
