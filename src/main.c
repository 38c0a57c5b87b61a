/* Jarchi's entry point: picks the desktop or the headless application and runs it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "jarchi-application.h"
#include "jarchi-daemon.h"
#include "jarchi-options.h"

int
main (int argc, char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, JARCHI_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Headless work must never touch GTK, which aborts without a display. */
  if (jarchi_options_wants_headless (argc, argv))
    {
      g_autoptr(JarchiDaemon) daemon = jarchi_daemon_new ();

      status = g_application_run (G_APPLICATION (daemon), argc, argv);
      return status != 0 ? status : jarchi_daemon_get_exit_status (daemon);
    }
  else
    {
      g_autoptr(JarchiApplication) app = jarchi_application_new ();

      status = g_application_run (G_APPLICATION (app), argc, argv);
      return status != 0 ? status : jarchi_application_get_exit_status (app);
    }
}
