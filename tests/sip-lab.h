/* Test helpers for the SIP tests: drive tests/lab/lab.sh peers and wait on the main loop. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "time-scale.h"

#ifndef JARCHI_TEST_SOURCE_ROOT
#define JARCHI_TEST_SOURCE_ROOT "."
#endif

/* The lab of the running test, for the watchdog to clean up after a hang. */
static char *sip_lab_current_root;
static char *sip_lab_source_root;

typedef struct {
  char *root;
} SipLab;

G_GNUC_UNUSED static const char *
sip_lab_source (void)
{
  if (sip_lab_source_root == NULL)
    {
      const char *env = g_getenv ("JARCHI_SOURCE_ROOT");
      sip_lab_source_root = g_strdup (env ? env : JARCHI_TEST_SOURCE_ROOT);
    }
  return sip_lab_source_root;
}

/* Runs "CMD" in bash with lab.sh sourced; stdout into OUT (may be NULL).  Exit status. */
G_GNUC_UNUSED G_GNUC_PRINTF (3, 4) static int
sip_lab_sh (SipLab      *lab,
            char       **out,
            const char  *fmt,
            ...)
{
  g_autofree char *cmd = NULL;
  g_autofree char *script = NULL;
  g_autofree char *err_out = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;
  int status = -1;

  va_start (ap, fmt);
  cmd = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  script = g_strdup_printf ("ROOT='%s'; . '%s/tests/lab/lab.sh' && %s", lab->root,
                            sip_lab_source (), cmd);
  {
    const char *argv[] = { "timeout", "40", "bash", "-c", script, NULL };
    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out,
                       &err_out, &status, &error))
      {
        g_test_message ("cannot run bash: %s", error->message);
        return -1;
      }
  }
  if (err_out != NULL && *err_out != '\0')
    g_test_message ("lab: %s: %s", cmd, err_out);
  if (out != NULL && *out != NULL)
    g_strstrip (*out);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* Peers run in their own sessions: they would outlive a test that dies. */
G_GNUC_UNUSED static void
sip_lab_kill_peers (void)
{
  g_autofree char *cmd = NULL;

  if (sip_lab_current_root == NULL)
    return;
  cmd = g_strdup_printf ("bash -c \". '%s/tests/lab/lab.sh'; lab_cleanup_all '%s'\"",
                         sip_lab_source (), sip_lab_current_root);
  (void) system (cmd);
}

G_GNUC_UNUSED static void
sip_lab_watchdog (int sig)
{
  static const char msg[] = "Bail out! test timed out\n";

  (void) write (STDOUT_FILENO, msg, sizeof msg - 1);
  sip_lab_kill_peers ();
  _exit (99);
}

/* A failed assertion aborts (g_error () traps): the peers go first, then
 * the signal goes on as it would have. */
G_GNUC_UNUSED static void
sip_lab_on_abort (int sig)
{
  sip_lab_kill_peers ();
  signal (sig, SIG_DFL);
  raise (sig);
}

/* Every test gets a lab directory and a hard time limit. */
G_GNUC_UNUSED static SipLab *
sip_lab_new (guint timeout_s)
{
  SipLab *lab = g_new0 (SipLab, 1);
  g_autoptr(GError) error = NULL;

  lab->root = g_dir_make_tmp ("jarchi-sip-XXXXXX", &error);
  g_assert_no_error (error);
  g_free (sip_lab_current_root);
  sip_lab_current_root = g_strdup (lab->root);
  signal (SIGALRM, sip_lab_watchdog);
  signal (SIGABRT, sip_lab_on_abort);
  signal (SIGTRAP, sip_lab_on_abort);
  alarm (timeout_s * test_time_scale ());
  return lab;
}

G_GNUC_UNUSED static void
sip_lab_free (SipLab *lab)
{
  alarm (0);
  (void) sip_lab_sh (lab, NULL, "lab_cleanup_all \"$ROOT\"; rm -rf \"$ROOT\"");
  g_clear_pointer (&sip_lab_current_root, g_free);
  g_free (lab->root);
  g_free (lab);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SipLab, sip_lab_free)

/* Reads DIR/NAME (e.g. the port file a lab peer wrote). */
G_GNUC_UNUSED static guint
sip_lab_read_uint (SipLab     *lab,
                   const char *dir,
                   const char *name)
{
  g_autofree char *path = g_build_filename (lab->root, dir, name, NULL);
  g_autofree char *text = NULL;
  guint64 value = 0;

  if (g_file_get_contents (path, &text, NULL, NULL))
    g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, G_MAXUINT, &value, NULL);
  return (guint) value;
}

G_GNUC_UNUSED static guint
sip_lab_kamailio (SipLab     *lab,
                  const char *dir,
                  gboolean    auth)
{
  int rc = sip_lab_sh (lab, NULL, "lab_kamailio_start \"$ROOT/%s\" 0 %s", dir,
                       auth ? "auth" : "");
  g_assert_cmpint (rc, ==, 0);
  return sip_lab_read_uint (lab, dir, "port");
}

/* Writes a SIPp scenario for a test into the lab directory; returns its path. */
G_GNUC_UNUSED static char *
sip_lab_scenario (SipLab     *lab,
                  const char *name,
                  const char *xml)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.xml", lab->root, name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, xml, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

typedef gboolean (*SipLabCond) (gpointer data);

G_GNUC_UNUSED static gboolean
sip_lab_wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the default main context until COND holds or TIMEOUT_MS passed. */
G_GNUC_UNUSED static gboolean
sip_lab_wait (SipLabCond cond,
              gpointer   data,
              guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint wake = g_timeout_add (20, sip_lab_wake, NULL);
  gboolean ok;

  while (!(ok = cond (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return ok;
}

G_GNUC_UNUSED static gboolean
sip_lab_false (gpointer data)
{
  return FALSE;
}

/* Runs the main loop for MS milliseconds. */
G_GNUC_UNUSED static void
sip_lab_spin (guint ms)
{
  (void) sip_lab_wait (sip_lab_false, NULL, ms);
}
