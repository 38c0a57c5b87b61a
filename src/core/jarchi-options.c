/* Declares and reads the command-line options shared by the desktop app and headless mode. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-error.h"
#include "jarchi-options.h"
#include "jarchi-paths.h"

static const GOptionEntry entries[] = {
  { "headless", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run the engine and the dashboard without a window"), NULL },
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Keep all state (database, recordings, uploads, settings) in DIR"), N_("DIR") },
  { "dashboard-address", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Address the web dashboard listens on (default 127.0.0.1)"), N_("ADDR") },
  /* A string, because GApplication leaves an integer option of 0 out of the dict. */
  { "dashboard-port", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Port of the web dashboard (default 8089, 0 = any free port)"), N_("PORT") },
  { "no-dashboard", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Do not start the web dashboard"), NULL },
  { "print-token", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the dashboard API token and exit"), NULL },
  { "set-dashboard-password", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Read a new dashboard login password (from the terminal, or the first line of standard input) and exit"), NULL },
  { "dashboard-tls-cert", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Serve the dashboard over HTTPS with this PEM certificate (needs --dashboard-tls-key)"), N_("FILE") },
  { "dashboard-tls-key", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("The PEM private key of --dashboard-tls-cert"), N_("FILE") },
  { "sip-address", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Address SIP and RTP listen on (default 127.0.0.1)"), N_("ADDR") },
  { "sip-port", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("SIP port, UDP and TCP (default 0 = any free port)"), N_("PORT") },
  { "demo-env", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Add the test lab's demo account and contacts from FILE (written by tests/lab/demo.sh)"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

void
jarchi_options_add_entries (GApplication *app)
{
  g_application_add_main_option_entries (app, entries);
}

/* Options that need no display decide, before any GTK code runs, which application class starts. */
gboolean
jarchi_options_wants_headless (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      if (g_str_equal (argv[i], "--headless") || g_str_equal (argv[i], "--print-token")
          || g_str_equal (argv[i], "--set-dashboard-password") || g_str_equal (argv[i], "--version"))
        return TRUE;
    }
  return FALSE;
}

static void
make_absolute (char **path)
{
  g_autofree char *cwd = NULL;
  g_autofree char *relative = NULL;

  if (*path == NULL || g_path_is_absolute (*path))
    return;
  cwd = g_get_current_dir ();
  relative = g_steal_pointer (path);
  *path = g_build_filename (cwd, relative, NULL);
}

JarchiOptions *
jarchi_options_from_dict (GVariantDict *dict, GError **error)
{
  g_autoptr(JarchiOptions) o = g_new0 (JarchiOptions, 1);
  g_autofree char *port_str = NULL;
  g_autofree char *sip_port_str = NULL;
  gint64 port = JARCHI_DEFAULT_DASHBOARD_PORT;
  gint64 sip_port = JARCHI_DEFAULT_SIP_PORT;

  g_variant_dict_lookup (dict, "headless", "b", &o->headless);
  g_variant_dict_lookup (dict, "print-token", "b", &o->print_token);
  g_variant_dict_lookup (dict, "version", "b", &o->version);
  g_variant_dict_lookup (dict, "no-dashboard", "b", &o->no_dashboard);
  g_variant_dict_lookup (dict, "demo-env", "^ay", &o->demo_env);
  g_variant_dict_lookup (dict, "set-dashboard-password", "b", &o->set_dashboard_password);
  g_variant_dict_lookup (dict, "dashboard-tls-cert", "^ay", &o->dashboard_tls_cert);
  g_variant_dict_lookup (dict, "dashboard-tls-key", "^ay", &o->dashboard_tls_key);
  if (!g_variant_dict_lookup (dict, "data-dir", "^ay", &o->data_dir))
    o->data_dir = jarchi_paths_default_data_dir ();
  if (!g_variant_dict_lookup (dict, "dashboard-address", "s", &o->dashboard_address))
    o->dashboard_address = g_strdup (JARCHI_DEFAULT_DASHBOARD_ADDRESS);

  if (g_variant_dict_lookup (dict, "dashboard-port", "s", &port_str)
      && !g_ascii_string_to_signed (port_str, 10, 0, G_MAXUINT16, &port, NULL))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("The dashboard port must be a number between 0 and 65535, not “%s”"), port_str);
      return NULL;
    }
  o->dashboard_port = (guint) port;

  if (!g_variant_dict_lookup (dict, "sip-address", "s", &o->sip_address))
    o->sip_address = g_strdup (JARCHI_DEFAULT_SIP_ADDRESS);
  if (g_variant_dict_lookup (dict, "sip-port", "s", &sip_port_str)
      && !g_ascii_string_to_signed (sip_port_str, 10, 0, G_MAXUINT16, &sip_port, NULL))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("The SIP port must be a number between 0 and 65535, not “%s”"), sip_port_str);
      return NULL;
    }
  o->sip_port = (guint) sip_port;

  if ((o->dashboard_tls_cert == NULL) != (o->dashboard_tls_key == NULL))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("--dashboard-tls-cert and --dashboard-tls-key must be given together"));
      return NULL;
    }

  /* Relative paths must still mean the same place after a chdir. */
  make_absolute (&o->data_dir);
  make_absolute (&o->dashboard_tls_cert);
  make_absolute (&o->dashboard_tls_key);

  return g_steal_pointer (&o);
}

void
jarchi_options_free (JarchiOptions *options)
{
  if (options == NULL)
    return;
  g_free (options->data_dir);
  g_free (options->demo_env);
  g_free (options->dashboard_address);
  g_free (options->dashboard_tls_cert);
  g_free (options->dashboard_tls_key);
  g_free (options->sip_address);
  g_free (options);
}
