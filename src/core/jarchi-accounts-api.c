/* JarchiAccountsApi: /api/accounts over the dashboard server, and the "registration" WebSocket event. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-accounts-api.h"
#include "jarchi-api-helpers.h"
#include "jarchi-error.h"

#define ROUTE "/api/accounts"

typedef struct {
  JarchiAccountsApi       *self;
  JarchiAccount           *account;
  JarchiRegistrationState  state;   /* as last broadcast */
  char                    *error;
} Watched;

struct _JarchiAccountsApi
{
  GObject             parent_instance;
  JarchiAccountStore *accounts;
  JarchiWebServer    *server;    /* weak: the server owns us */
  GHashTable         *watched;   /* JarchiAccount → Watched */
};

G_DEFINE_FINAL_TYPE (JarchiAccountsApi, jarchi_accounts_api, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACCOUNTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

JsonNode *
jarchi_accounts_api_account_json (JarchiAccount *account)
{
  JsonNode *node = jarchi_account_to_json (account);
  JsonObject *obj = json_node_get_object (node);

  json_object_remove_member (obj, "registration_state");
  json_object_set_string_member (obj, "registration",
                                 jarchi_registration_state_to_string (jarchi_account_get_registration_state (account)));
  return node;
}

static JsonNode *
account_json (gpointer item, gpointer user_data)
{
  return jarchi_accounts_api_account_json (item);
}

static void
reply_account (SoupServerMessage *msg, guint status, JarchiAccount *account)
{
  g_autoptr(JsonNode) node = jarchi_accounts_api_account_json (account);

  if (status == SOUP_STATUS_CREATED)
    {
      g_autofree char *location = g_strdup_printf (ROUTE "/%u", jarchi_account_get_id (account));

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
    }
  jarchi_web_reply_json (msg, status, node);
}

static void
reply_gerror (SoupServerMessage *msg, const GError *error)
{
  if (g_error_matches (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND))
    jarchi_api_reply_not_found (msg, error->message);
  else if (g_error_matches (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT))
    jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_account", error->message);
  else
    {
      g_message ("accounts API: %s", error->message);
      jarchi_web_reply_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error", error->message);
    }
}

static gboolean
enum_error (SoupServerMessage *msg, const char *message)
{
  jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_field", message);
  return FALSE;
}

/* Reads every member first and changes @account only once all of them are valid. */
static gboolean
apply_fields (SoupServerMessage *msg, JsonObject *obj, JarchiAccount *account)
{
  static const char * const members[] = { "uri", "display_name", "registrar", "username", "password", "outbound_proxy" };
  static const char * const props[] = { "uri", "display-name", "registrar", "username", "password", "outbound-proxy" };
  static const char * const flags[] = { "auto_answer", "record", "tls_verify" };
  static const char * const flag_props[] = { "auto-answer", "record", "tls-verify" };
  const char *strings[G_N_ELEMENTS (members)] = { NULL };
  gboolean has_string[G_N_ELEMENTS (members)] = { FALSE };
  gboolean bools[G_N_ELEMENTS (flags)] = { FALSE };
  gboolean has_bool[G_N_ELEMENTS (flags)] = { FALSE };
  const char *transport_str = NULL, *dtmf_str = NULL;
  gboolean has_transport = FALSE, has_dtmf = FALSE;
  JarchiTransport transport = JARCHI_TRANSPORT_UDP;
  JarchiDtmfMode dtmf = JARCHI_DTMF_MODE_RFC4733;

  for (gsize i = 0; i < G_N_ELEMENTS (members); i++)
    if (!jarchi_api_get_string (msg, obj, members[i], i != 0, &strings[i], &has_string[i]))
      return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (flags); i++)
    if (!jarchi_api_get_boolean (msg, obj, flags[i], &bools[i], &has_bool[i]))
      return FALSE;
  if (!jarchi_api_get_string (msg, obj, "transport", FALSE, &transport_str, &has_transport) ||
      !jarchi_api_get_string (msg, obj, "dtmf_mode", FALSE, &dtmf_str, &has_dtmf))
    return FALSE;
  if (has_transport && !jarchi_transport_from_string (transport_str, &transport))
    return enum_error (msg, _("“transport” must be udp, tcp or tls"));
  if (has_dtmf && !jarchi_dtmf_mode_from_string (dtmf_str, &dtmf))
    return enum_error (msg, _("“dtmf_mode” must be rfc4733 or info"));

  g_object_freeze_notify (G_OBJECT (account));
  for (gsize i = 0; i < G_N_ELEMENTS (members); i++)
    if (has_string[i])
      g_object_set (account, props[i], strings[i] ? strings[i] : "", NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (flags); i++)
    if (has_bool[i])
      g_object_set (account, flag_props[i], bools[i], NULL);
  if (has_transport)
    g_object_set (account, "transport", transport, NULL);
  if (has_dtmf)
    g_object_set (account, "dtmf-mode", dtmf, NULL);
  g_object_thaw_notify (G_OBJECT (account));
  return TRUE;
}

static void
create_account (JarchiAccountsApi *self, SoupServerMessage *msg)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JarchiAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *obj = jarchi_api_read_object (msg, JARCHI_ACCOUNTS_API_JSON_MAX_BYTES, FALSE, &root);

  if (obj == NULL)
    return;
  if (!json_object_has_member (obj, "uri"))
    {
      jarchi_web_reply_error (msg, SOUP_STATUS_BAD_REQUEST, "missing_field",
                              _("An account needs “uri”, like sip:user@domain"));
      return;
    }
  account = jarchi_account_new (0, "");
  if (!apply_fields (msg, obj, account))
    return;
  if (!jarchi_account_store_add (self->accounts, account, &error))
    reply_gerror (msg, error);
  else
    reply_account (msg, SOUP_STATUS_CREATED, account);
}

static void
account_by_id (JarchiAccountsApi *self, SoupServerMessage *msg, guint id)
{
  JarchiCallManager *manager = jarchi_account_store_get_manager (self->accounts);
  JarchiAccount *account = jarchi_call_manager_lookup_account (manager, id);
  g_autoptr(JarchiAccount) edited = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *obj;

  if (!jarchi_api_is_method (msg, "GET") && !jarchi_api_is_method (msg, "PATCH") &&
      !jarchi_api_is_method (msg, "DELETE"))
    {
      jarchi_api_reply_method_not_allowed (msg, "GET, PATCH, DELETE");
      return;
    }
  if (account == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("There is no account %u"), id);

      jarchi_api_reply_not_found (msg, message);
      return;
    }
  if (jarchi_api_is_method (msg, "GET"))
    {
      reply_account (msg, SOUP_STATUS_OK, account);
      return;
    }
  if (jarchi_api_is_method (msg, "DELETE"))
    {
      if (!jarchi_account_store_remove (self->accounts, id, &error))
        reply_gerror (msg, error);
      else
        soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
      return;
    }

  obj = jarchi_api_read_object (msg, JARCHI_ACCOUNTS_API_JSON_MAX_BYTES, FALSE, &root);
  if (obj == NULL)
    return;
  edited = jarchi_account_store_dup_account (self->accounts, id, &error);
  if (edited == NULL)
    {
      reply_gerror (msg, error);
      return;
    }
  if (!apply_fields (msg, obj, edited))
    return;
  if (!jarchi_account_store_update (self->accounts, edited, &error))
    reply_gerror (msg, error);
  else
    reply_account (msg, SOUP_STATUS_OK, account);
}

static void
handler (JarchiWebServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
         gpointer user_data)
{
  JarchiAccountsApi *self = user_data;
  guint64 id;
  const char *rest;

  if (g_str_equal (path, ROUTE))
    {
      if (jarchi_api_is_method (msg, "GET"))
        {
          GListModel *model = jarchi_call_manager_get_accounts (jarchi_account_store_get_manager (self->accounts));
          g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
          guint n = g_list_model_get_n_items (model);

          for (guint i = 0; i < n; i++)
            g_ptr_array_add (items, g_list_model_get_item (model, i));
          jarchi_api_reply_list (msg, items, items->len, account_json, NULL);
        }
      else if (jarchi_api_is_method (msg, "POST"))
        create_account (self, msg);
      else
        jarchi_api_reply_method_not_allowed (msg, "GET, POST");
      return;
    }
  if (jarchi_api_path_id (path, ROUTE, &id, &rest) && rest[0] == '\0' && id <= G_MAXUINT)
    account_by_id (self, msg, (guint) id);
  else
    jarchi_api_reply_not_found (msg, NULL);
}

/* ---- registration events --------------------------------------------------------------------- */

static void
watched_free (gpointer data)
{
  Watched *w = data;

  g_signal_handlers_disconnect_by_data (w->account, w);
  g_object_unref (w->account);
  g_free (w->error);
  g_free (w);
}

static void
broadcast_registration (JarchiAccountsApi *self, JarchiAccount *account)
{
  if (jarchi_api_has_clients (self->server))
    jarchi_api_broadcast_event (self->server, "registration", "account",
                                jarchi_accounts_api_account_json (account));
}

/* A state change notifies state and error separately: one event for both. */
static void
on_registration (JarchiAccount *account, GParamSpec *pspec, gpointer user_data)
{
  Watched *w = user_data;
  JarchiRegistrationState state = jarchi_account_get_registration_state (account);
  const char *error = jarchi_account_get_registration_error (account);

  if (state == w->state && g_strcmp0 (error, w->error) == 0)
    return;
  w->state = state;
  g_free (w->error);
  w->error = g_strdup (error);
  broadcast_registration (w->self, account);
}

static void
on_accounts_changed (GListModel *model, guint position, guint removed, guint added, gpointer user_data)
{
  JarchiAccountsApi *self = user_data;
  g_autoptr(GHashTable) present = g_hash_table_new (NULL, NULL);
  guint n = g_list_model_get_n_items (model);
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JarchiAccount) account = g_list_model_get_item (model, i);
      Watched *w;

      g_hash_table_add (present, account);
      if (g_hash_table_contains (self->watched, account))
        continue;
      w = g_new0 (Watched, 1);
      w->self = self;
      w->account = g_object_ref (account);
      w->state = jarchi_account_get_registration_state (account);
      w->error = g_strdup (jarchi_account_get_registration_error (account));
      g_hash_table_insert (self->watched, account, w);
      g_signal_connect (account, "notify::registration-state", G_CALLBACK (on_registration), w);
      g_signal_connect (account, "notify::registration-error", G_CALLBACK (on_registration), w);
    }
  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (present, key))
      g_hash_table_iter_remove (&iter);
}

/* ---- object ---------------------------------------------------------------------------------- */

static void
jarchi_accounts_api_dispose (GObject *object)
{
  JarchiAccountsApi *self = JARCHI_ACCOUNTS_API (object);

  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (
      jarchi_call_manager_get_accounts (jarchi_account_store_get_manager (self->accounts)), self);
  if (self->watched != NULL)
    g_hash_table_remove_all (self->watched);
  g_clear_object (&self->accounts);
  g_clear_weak_pointer (&self->server);

  G_OBJECT_CLASS (jarchi_accounts_api_parent_class)->dispose (object);
}

static void
jarchi_accounts_api_finalize (GObject *object)
{
  g_clear_pointer (&JARCHI_ACCOUNTS_API (object)->watched, g_hash_table_unref);
  G_OBJECT_CLASS (jarchi_accounts_api_parent_class)->finalize (object);
}

static void
jarchi_accounts_api_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_ACCOUNTS:
      g_value_set_object (value, JARCHI_ACCOUNTS_API (object)->accounts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_accounts_api_class_init (JarchiAccountsApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_accounts_api_dispose;
  object_class->finalize = jarchi_accounts_api_finalize;
  object_class->get_property = jarchi_accounts_api_get_property;

  properties[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", NULL, NULL, JARCHI_TYPE_ACCOUNT_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_accounts_api_init (JarchiAccountsApi *self)
{
  self->watched = g_hash_table_new_full (NULL, NULL, NULL, watched_free);
}

JarchiAccountsApi *
jarchi_accounts_api_register (JarchiWebServer *server, JarchiAccountStore *accounts)
{
  JarchiAccountsApi *self;
  GListModel *model;

  g_return_val_if_fail (JARCHI_IS_WEB_SERVER (server), NULL);
  g_return_val_if_fail (JARCHI_IS_ACCOUNT_STORE (accounts), NULL);

  self = g_object_new (JARCHI_TYPE_ACCOUNTS_API, NULL);
  self->accounts = g_object_ref (accounts);
  g_set_weak_pointer (&self->server, server);
  model = jarchi_call_manager_get_accounts (jarchi_account_store_get_manager (accounts));
  g_signal_connect (model, "items-changed", G_CALLBACK (on_accounts_changed), self);
  on_accounts_changed (model, 0, 0, 0, self);

  jarchi_web_server_add_route (server, ROUTE, handler, self);
  jarchi_web_server_set_body_limit (server, ROUTE, JARCHI_ACCOUNTS_API_JSON_MAX_BYTES);
  /* The route holds a bare pointer: the server keeps the API for as long as it may call it. */
  g_object_set_data_full (G_OBJECT (server), "jarchi-accounts-api", self, g_object_unref);
  return self;
}
