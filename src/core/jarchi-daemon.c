/* JarchiDaemon: runs Jarchi's engine and dashboard with no display, until SIGTERM or SIGINT. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <stdio.h>

#include "jarchi-daemon.h"
#include "jarchi-demo.h"
#include "jarchi-error.h"
#include "jarchi-options.h"
#include "jarchi-paths.h"
#include "jarchi-secret-input.h"

struct _JarchiDaemon
{
  GApplication   parent_instance;
  JarchiOptions *options;
  JarchiService *service;
  guint          sigterm_id;
  guint          sigint_id;
  gboolean       held;
  int            exit_status;
};

G_DEFINE_FINAL_TYPE (JarchiDaemon, jarchi_daemon, G_TYPE_APPLICATION)

int
jarchi_print_token (const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiDashboardAuth) auth = NULL;

  if (!jarchi_paths_ensure_data_dir (data_dir, &error)
      || (auth = jarchi_dashboard_auth_new (data_dir, &error)) == NULL)
    {
      g_printerr ("jarchi: %s\n", error->message);
      return 1;
    }
  g_print ("%s\n", jarchi_dashboard_auth_get_token (auth));
  return 0;
}

/* Works beside a running Jarchi on the same data directory (it takes no lock): the
 * running one reads the new hash the next time it checks a login. */
static int
set_dashboard_password (const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiSecret) password = NULL;
  g_autofree char *path = NULL;

  password = jarchi_secret_read_line (_("New dashboard password: "), JARCHI_DASHBOARD_PASSWORD_MAX_BYTES,
                                      &error);
  if (password != NULL && jarchi_secret_input_is_terminal ())
    {
      g_autoptr(JarchiSecret) again = jarchi_secret_read_line (_("Type it again: "),
                                                               JARCHI_DASHBOARD_PASSWORD_MAX_BYTES, &error);

      if (again != NULL && !g_str_equal (again, password))
        g_set_error (&error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT, _("The passwords do not match"));
    }
  if (error == NULL)
    jarchi_paths_ensure_data_dir (data_dir, &error);
  if (error == NULL)
    jarchi_dashboard_password_save (data_dir, password, &error);
  if (error != NULL)
    {
      g_printerr ("jarchi: %s\n", error->message);
      return 1;
    }

  path = g_build_filename (data_dir, "dashboard-password", NULL);
  g_print (_("The dashboard password is set (%s). A running Jarchi uses it from its next login.\n"), path);
  return 0;
}

static gint
jarchi_daemon_handle_local_options (GApplication *app, GVariantDict *dict)
{
  JarchiDaemon *self = JARCHI_DAEMON (app);
  g_autoptr(GError) error = NULL;

  self->options = jarchi_options_from_dict (dict, &error);
  if (self->options == NULL)
    {
      g_printerr ("jarchi: %s\n", error->message);
      return 2;
    }
  if (self->options->version)
    {
      g_print ("jarchi %s\n", JARCHI_VERSION);
      return 0;
    }
  if (self->options->print_token)
    return jarchi_print_token (self->options->data_dir);
  if (self->options->set_dashboard_password)
    return set_dashboard_password (self->options->data_dir);

  return -1;
}

static gboolean
on_quit_signal (gpointer user_data)
{
  JarchiDaemon *self = user_data;

  g_message ("Stopping on signal");
  /* Sources removed by returning FALSE must not be removed again in shutdown. */
  self->sigterm_id = 0;
  self->sigint_id = 0;
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_REMOVE;
}

static void
fail_start (JarchiDaemon *self, GError *error)
{
  g_printerr ("jarchi: %s\n", error->message);
  g_application_quit (G_APPLICATION (self));
  /* g_application_run() returns 0 after a quit: main() asks for this instead. */
  self->exit_status = 1;
}

static void
jarchi_daemon_activate (GApplication *app)
{
  JarchiDaemon *self = JARCHI_DAEMON (app);
  g_autoptr(GError) error = NULL;

  if (self->service != NULL)
    return;

  self->service = jarchi_service_new_full (self->options->data_dir, self->options->sip_address,
                                           self->options->sip_port, &error);
  if (self->service == NULL)
    {
      fail_start (self, error);
      return;
    }
  if (self->options->demo_env != NULL
      && !jarchi_demo_load (self->service, self->options->demo_env, &error))
    {
      fail_start (self, error);
      return;
    }

  if (!self->options->no_dashboard)
    {
      g_autofree char *url = NULL;

      if (!jarchi_service_start_dashboard_from_options (self->service, self->options, &error))
        {
          fail_start (self, error);
          return;
        }
      url = jarchi_web_server_get_url (jarchi_service_get_web_server (self->service));
      /* Scripts and tests read this line to find a port chosen with --dashboard-port 0. */
      g_print ("dashboard: %s\n", url);
      fflush (stdout);
    }

  g_application_hold (app);
  self->held = TRUE;
}

static void
jarchi_daemon_startup (GApplication *app)
{
  JarchiDaemon *self = JARCHI_DAEMON (app);

  G_APPLICATION_CLASS (jarchi_daemon_parent_class)->startup (app);

  self->sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, self);
  self->sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, self);
}

static void
jarchi_daemon_shutdown (GApplication *app)
{
  JarchiDaemon *self = JARCHI_DAEMON (app);

  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  if (self->service)
    jarchi_service_shutdown (self->service);
  g_clear_object (&self->service);

  G_APPLICATION_CLASS (jarchi_daemon_parent_class)->shutdown (app);
}

static void
jarchi_daemon_finalize (GObject *object)
{
  JarchiDaemon *self = JARCHI_DAEMON (object);

  g_clear_pointer (&self->options, jarchi_options_free);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (jarchi_daemon_parent_class)->finalize (object);
}

static void
jarchi_daemon_class_init (JarchiDaemonClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = jarchi_daemon_finalize;
  app_class->handle_local_options = jarchi_daemon_handle_local_options;
  app_class->startup = jarchi_daemon_startup;
  app_class->activate = jarchi_daemon_activate;
  app_class->shutdown = jarchi_daemon_shutdown;
}

static void
jarchi_daemon_init (JarchiDaemon *self)
{
  jarchi_options_add_entries (G_APPLICATION (self));
}

JarchiDaemon *
jarchi_daemon_new (void)
{
  /* Non-unique: several headless instances may serve different data
   * directories; the data-dir lock stops two on the same one. */
  return g_object_new (JARCHI_TYPE_DAEMON,
                       "application-id", JARCHI_APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       NULL);
}

JarchiService *
jarchi_daemon_get_service (JarchiDaemon *self)
{
  g_return_val_if_fail (JARCHI_IS_DAEMON (self), NULL);
  return self->service;
}

int
jarchi_daemon_get_exit_status (JarchiDaemon *self)
{
  g_return_val_if_fail (JARCHI_IS_DAEMON (self), 1);
  return self->exit_status;
}
