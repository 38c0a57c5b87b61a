/* JarchiService: owns the data directory lock, the store and the dashboard for one running Jarchi. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>
#include <unistd.h>

#include "jarchi-accounts-api.h"
#include "jarchi-broadcast-dialer.h"
#include "jarchi-calls-api.h"
#include "jarchi-call-manager-dialer.h"
#include "jarchi-campaign-api.h"
#include "jarchi-contacts-api.h"
#include "jarchi-error.h"
#include "jarchi-history-api.h"
#include "jarchi-media-api.h"
#include "jarchi-options.h"
#include "jarchi-paths.h"
#include "jarchi-service.h"

struct _JarchiService
{
  GObject              parent_instance;
  char                *data_dir;
  int                  lock_fd;
  JarchiStore         *store;
  JarchiContactBook   *contact_book;
  JarchiMediaLibrary  *media_library;
  JarchiCampaignStore *campaign_store;
  JarchiCampaignRunner *campaign_runner;
  JarchiCallManager   *call_manager;
  JarchiCallHistory   *call_history;
  JarchiAccountStore  *account_store;
  JarchiDashboardAuth *auth;
  JarchiWebServer     *web_server;
  char                *dashboard_address;  /* what web_server listens on */
  guint                dashboard_port;     /* as asked (0: any) */
  char                *dashboard_error;    /* why the last (re)start failed */
};

G_DEFINE_FINAL_TYPE (JarchiService, jarchi_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATA_DIR,
  PROP_WEB_SERVER,
  PROP_DASHBOARD_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
jarchi_service_shutdown (JarchiService *self)
{
  g_return_if_fail (JARCHI_IS_SERVICE (self));

  if (self->web_server)
    jarchi_web_server_stop (self->web_server);
  g_clear_object (&self->web_server);
  /* Calls still up end here, and history writes them: before anything they need goes. */
  if (self->call_manager)
    jarchi_call_manager_shutdown (self->call_manager);
  g_clear_object (&self->account_store);
  g_clear_object (&self->call_history);
  g_clear_object (&self->call_manager);
  g_clear_object (&self->auth);
  g_clear_object (&self->campaign_runner);
  g_clear_object (&self->campaign_store);
  g_clear_object (&self->media_library);
  g_clear_object (&self->contact_book);
  g_clear_object (&self->store);
  if (self->lock_fd >= 0)
    {
      close (self->lock_fd);
      self->lock_fd = -1;
    }
}

static void
jarchi_service_dispose (GObject *object)
{
  jarchi_service_shutdown (JARCHI_SERVICE (object));
  G_OBJECT_CLASS (jarchi_service_parent_class)->dispose (object);
}

static void
jarchi_service_finalize (GObject *object)
{
  g_clear_pointer (&JARCHI_SERVICE (object)->data_dir, g_free);
  g_clear_pointer (&JARCHI_SERVICE (object)->dashboard_address, g_free);
  g_clear_pointer (&JARCHI_SERVICE (object)->dashboard_error, g_free);
  G_OBJECT_CLASS (jarchi_service_parent_class)->finalize (object);
}

static void
jarchi_service_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiService *self = JARCHI_SERVICE (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;
    case PROP_WEB_SERVER:
      g_value_set_object (value, self->web_server);
      break;
    case PROP_DASHBOARD_ERROR:
      g_value_set_string (value, self->dashboard_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_service_class_init (JarchiServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_service_dispose;
  object_class->finalize = jarchi_service_finalize;
  object_class->get_property = jarchi_service_get_property;

  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_WEB_SERVER] =
    g_param_spec_object ("web-server", NULL, NULL, JARCHI_TYPE_WEB_SERVER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DASHBOARD_ERROR] =
    g_param_spec_string ("dashboard-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_service_init (JarchiService *self)
{
  self->lock_fd = -1;
}

/**
 * jarchi_service_new:
 * @data_dir: where every piece of state lives
 *
 * Takes the data directory for this process, opens (and migrates) the
 * database, starts SIP with the stored accounts and loads the dashboard token.
 */
JarchiService *
jarchi_service_new (const char *data_dir, GError **error)
{
  return jarchi_service_new_full (data_dir, JARCHI_DEFAULT_SIP_ADDRESS, JARCHI_DEFAULT_SIP_PORT, error);
}

JarchiService *
jarchi_service_new_full (const char *data_dir, const char *sip_address, guint sip_port, GError **error)
{
  g_autoptr(JarchiService) self = g_object_new (JARCHI_TYPE_SERVICE, NULL);
  g_autofree char *db_path = NULL;
  g_autofree char *media_dir = NULL;
  g_autofree char *secrets_path = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self->data_dir = g_strdup (data_dir);
  if (!jarchi_paths_ensure_data_dir (data_dir, error))
    return NULL;
  self->lock_fd = jarchi_paths_lock_data_dir (data_dir, error);
  if (self->lock_fd < 0)
    return NULL;

  db_path = g_build_filename (data_dir, "jarchi.db", NULL);
  self->store = jarchi_store_open (db_path, error);
  if (self->store == NULL)
    return NULL;
  self->contact_book = jarchi_contact_book_new (self->store);

  media_dir = g_build_filename (data_dir, "media", NULL);
  self->media_library = jarchi_media_library_new (self->store, media_dir, error);
  if (self->media_library == NULL)
    return NULL;

  /* Attempts a crash left open are settled before anything else touches the campaigns;
   * running campaigns then go on by themselves once a dialer is attached. */
  self->campaign_store = jarchi_campaign_store_new (self->store, error);
  if (self->campaign_store == NULL)
    return NULL;
  self->campaign_runner = jarchi_campaign_runner_new (self->campaign_store);
  if (!jarchi_campaign_runner_recover (self->campaign_runner, error))
    return NULL;

  /* SIP: history first, so it sees every call; then the stored accounts register. */
  self->call_manager = jarchi_call_manager_new (sip_address, sip_port, data_dir, error);
  if (self->call_manager == NULL)
    return NULL;
  self->call_history = jarchi_call_history_new (self->store, self->call_manager);
  secrets_path = g_build_filename (data_dir, "account-secrets", NULL);
  self->account_store = jarchi_account_store_new (self->store, self->call_manager, secrets_path, error);
  if (self->account_store == NULL)
    return NULL;

  /* Campaign calls take the lean path: libre RTP in the SIP thread, the message encoded once,
   * every DTMF method; a GStreamer pipeline per call stops scaling near 800 calls. Nothing a
   * campaign asks for (G.711 message, menu, history rows) needs the softphone's media, so the
   * pipeline dialer is only there on request, to compare the two. The running campaigns
   * resume as soon as the main loop turns. */
  {
    g_autoptr(JarchiCampaignDialer) dialer = NULL;

    if (g_strcmp0 (g_getenv ("JARCHI_CAMPAIGN_DIALER"), "pipeline") == 0)
      dialer = JARCHI_CAMPAIGN_DIALER (jarchi_call_manager_dialer_new (self->call_manager,
                                                                       self->media_library,
                                                                       self->call_history));
    else
      dialer = JARCHI_CAMPAIGN_DIALER (jarchi_broadcast_dialer_new (self->call_manager,
                                                                    self->media_library));
    jarchi_campaign_runner_set_dialer (self->campaign_runner, dialer);
  }

  self->auth = jarchi_dashboard_auth_new (data_dir, error);
  if (self->auth == NULL || !jarchi_dashboard_auth_set_store (self->auth, self->store, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* A server with every API route, not listening yet. */
static JarchiWebServer *
new_web_server (JarchiService *self)
{
  JarchiWebServer *server = jarchi_web_server_new (self->auth);

  jarchi_contacts_api_register (server, self->contact_book);
  jarchi_media_api_register (server, self->media_library);
  jarchi_campaign_api_register (server, self->campaign_runner, self->media_library);
  jarchi_accounts_api_register (server, self->account_store);
  jarchi_calls_api_register (server, self->call_manager, self->call_history, self->media_library,
                             self->data_dir);
  jarchi_history_api_register (server, self->call_history, self->data_dir);
  return server;
}

static void
set_web_server (JarchiService *self, JarchiWebServer *server, const char *address, guint port)
{
  if (self->web_server != NULL && self->web_server != server)
    jarchi_web_server_stop (self->web_server);
  g_set_object (&self->web_server, server);
  g_free (self->dashboard_address);
  self->dashboard_address = server ? g_strdup (address) : NULL;
  self->dashboard_port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WEB_SERVER]);
}

static void
set_dashboard_error (JarchiService *self, const GError *error)
{
  g_free (self->dashboard_error);
  self->dashboard_error = error ? g_strdup (error->message) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DASHBOARD_ERROR]);
}

gboolean
jarchi_service_start_dashboard (JarchiService *self, const char *address, guint port, GError **error)
{
  g_autoptr(JarchiWebServer) server = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (JARCHI_IS_SERVICE (self), FALSE);
  g_return_val_if_fail (self->web_server == NULL, FALSE);

  server = new_web_server (self);
  if (!jarchi_web_server_listen (server, address, port, &local))
    {
      set_dashboard_error (self, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  set_web_server (self, server, address, port);
  if (self->dashboard_error != NULL)
    set_dashboard_error (self, NULL);
  return TRUE;
}

gboolean
jarchi_service_restart_dashboard (JarchiService  *self,
                                  const char     *address,
                                  guint           port,
                                  GError        **error)
{
  g_autoptr(JarchiWebServer) server = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *old_address = NULL;
  guint old_port;

  g_return_val_if_fail (JARCHI_IS_SERVICE (self), FALSE);

  if (self->web_server == NULL)
    return jarchi_service_start_dashboard (self, address, port, error);
  if (port != 0 && port == self->dashboard_port && g_strcmp0 (address, self->dashboard_address) == 0)
    return TRUE;

  /* The new one first: while it cannot bind, browsers keep the old address. */
  server = new_web_server (self);
  if (jarchi_web_server_listen (server, address, port, &local))
    {
      set_web_server (self, server, address, port);
      if (self->dashboard_error != NULL)
        set_dashboard_error (self, NULL);
      return TRUE;
    }
  if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE)
      || port != jarchi_web_server_get_port (self->web_server))
    {
      set_dashboard_error (self, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  /* The same port on another address (127.0.0.1 -> 0.0.0.0): free only once the old server
   * lets go of it. Should the new one still fail, the old settings come back. */
  g_clear_error (&local);
  g_clear_object (&server);
  old_address = g_strdup (self->dashboard_address);
  old_port = self->dashboard_port;
  set_web_server (self, NULL, NULL, 0);
  server = new_web_server (self);
  if (jarchi_web_server_listen (server, address, port, &local))
    {
      set_web_server (self, server, address, port);
      if (self->dashboard_error != NULL)
        set_dashboard_error (self, NULL);
      return TRUE;
    }
  g_clear_object (&server);
  server = new_web_server (self);
  if (jarchi_web_server_listen (server, old_address, old_port, NULL))
    set_web_server (self, server, old_address, old_port);
  set_dashboard_error (self, local);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

const char *
jarchi_service_get_dashboard_error (JarchiService *self)
{
  g_return_val_if_fail (JARCHI_IS_SERVICE (self), NULL);
  return self->dashboard_error;
}

/* The dashboard as the command line asks for it (TLS included), for the desktop app and the
 * headless daemon alike. Nothing to do (TRUE) with --no-dashboard. */
gboolean
jarchi_service_start_dashboard_from_options (JarchiService       *self,
                                             const JarchiOptions *options,
                                             GError             **error)
{
  g_return_val_if_fail (JARCHI_IS_SERVICE (self), FALSE);

  if (options->no_dashboard)
    return TRUE;
  if (options->dashboard_tls_cert != NULL
      && !jarchi_dashboard_auth_set_tls_files (self->auth, options->dashboard_tls_cert,
                                               options->dashboard_tls_key, error))
    return FALSE;
  return jarchi_service_start_dashboard (self, options->dashboard_address,
                                         options->dashboard_port, error);
}

const char *
jarchi_service_get_data_dir (JarchiService *self)
{
  g_return_val_if_fail (JARCHI_IS_SERVICE (self), NULL);
  return self->data_dir;
}

JarchiStore *
jarchi_service_get_store (JarchiService *self)
{
  g_return_val_if_fail (JARCHI_IS_SERVICE (self), NULL);
  return self->store;
}

JarchiDashboardAuth *
jarchi_service_get_auth (JarchiService *self)
{
  g_return_val_if_fail (JARCHI_IS_SERVICE (self), NULL);
  return self->auth;
}

JarchiWebServer *
jarchi_service_get_web_server (JarchiService *self)
{
  g_return_val_if_fail (JARCHI_IS_SERVICE (self), NULL);
  return self->web_server;
}

JarchiContactBook *
jarchi_service_get_contact_book (JarchiService *self)
{
  g_return_val_if_fail (JARCHI_IS_SERVICE (self), NULL);
  return self->contact_book;
}

JarchiMediaLibrary *
jarchi_service_get_media_library (JarchiService *self)
{
  g_return_val_if_fail (JARCHI_IS_SERVICE (self), NULL);
  return self->media_library;
}

JarchiCampaignStore *
jarchi_service_get_campaign_store (JarchiService *self)
{
  g_return_val_if_fail (JARCHI_IS_SERVICE (self), NULL);
  return self->campaign_store;
}

JarchiCampaignRunner *
jarchi_service_get_campaign_runner (JarchiService *self)
{
  g_return_val_if_fail (JARCHI_IS_SERVICE (self), NULL);
  return self->campaign_runner;
}

JarchiCallManager *
jarchi_service_get_call_manager (JarchiService *self)
{
  g_return_val_if_fail (JARCHI_IS_SERVICE (self), NULL);
  return self->call_manager;
}

JarchiAccountStore *
jarchi_service_get_account_store (JarchiService *self)
{
  g_return_val_if_fail (JARCHI_IS_SERVICE (self), NULL);
  return self->account_store;
}

JarchiCallHistory *
jarchi_service_get_call_history (JarchiService *self)
{
  g_return_val_if_fail (JARCHI_IS_SERVICE (self), NULL);
  return self->call_history;
}
