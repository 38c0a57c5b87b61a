/* Reads a password line from the terminal with echo off (restored even on Ctrl+C), or from a pipe. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include "jarchi-error.h"
#include "jarchi-secret-input.h"

static const int restore_signals[] = { SIGINT, SIGTERM, SIGQUIT, SIGHUP };

static struct termios saved_termios;
static volatile sig_atomic_t echo_disabled;

/* Only async-signal-safe calls: the terminal gets its echo back, then the signal does what it would have. */
static void
restore_terminal_and_reraise (int sig)
{
  if (echo_disabled)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  signal (sig, SIG_DFL);
  raise (sig);
}

gboolean
jarchi_secret_input_is_terminal (void)
{
  return isatty (STDIN_FILENO);
}

void
jarchi_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

/* Byte by byte with read(2), so no stdio buffer keeps a copy and nothing past the line is consumed. */
static char *
read_line (gsize max_bytes, GError **error)
{
  gsize size = max_bytes + 2;
  char *line = g_malloc0 (size);
  gsize len = 0;
  gboolean too_long = FALSE;

  for (;;)
    {
      char c;
      ssize_t n = read (STDIN_FILENO, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          jarchi_secret_free (line);
          g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO,
                       _("Could not read standard input: %s"), g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0 || c == '\n')
        break;
      if (len < size - 1)
        line[len++] = c;
      else
        too_long = TRUE;
    }
  if (len > 0 && line[len - 1] == '\r')
    line[--len] = '\0';
  if (too_long || len > max_bytes)
    {
      jarchi_secret_free (line);
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("The password is too long (at most %zu bytes)"), max_bytes);
      return NULL;
    }
  return line;
}

char *
jarchi_secret_read_line (const char *prompt, gsize max_bytes, GError **error)
{
  struct sigaction restore = { 0 };
  struct sigaction previous[G_N_ELEMENTS (restore_signals)];
  struct termios quiet;
  char *line;

  if (!isatty (STDIN_FILENO))
    return read_line (max_bytes, error);

  if (prompt != NULL)
    {
      fputs (prompt, stderr);
      fflush (stderr);
    }
  if (tcgetattr (STDIN_FILENO, &saved_termios) != 0)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO,
                   _("Could not read the terminal's settings: %s"), g_strerror (errno));
      return NULL;
    }

  restore.sa_handler = restore_terminal_and_reraise;
  sigemptyset (&restore.sa_mask);
  for (gsize i = 0; i < G_N_ELEMENTS (restore_signals); i++)
    sigaction (restore_signals[i], &restore, &previous[i]);

  quiet = saved_termios;
  quiet.c_lflag &= ~ECHO;
  /* The Enter key still moves the cursor on, so the next prompt starts on its own line. */
  quiet.c_lflag |= ECHONL;
  echo_disabled = TRUE;
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);

  line = read_line (max_bytes, error);

  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  echo_disabled = FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (restore_signals); i++)
    sigaction (restore_signals[i], &previous[i], NULL);
  return line;
}
