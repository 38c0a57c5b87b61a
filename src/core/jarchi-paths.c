/* Resolves and prepares the data directory, and locks it against a second process. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "jarchi-error.h"
#include "jarchi-paths.h"

char *
jarchi_paths_default_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "jarchi", NULL);
}

gboolean
jarchi_paths_ensure_data_dir (const char *data_dir, GError **error)
{
  static const char * const subdirs[] = { "", "recordings", "media" };

  for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *dir = g_build_filename (data_dir, subdirs[i], NULL);

      /* 0700: recordings and the token are nobody else's business. */
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;
          g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO,
                       _("Could not create the data directory %s: %s"), dir, g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * jarchi_paths_lock_data_dir:
 *
 * Returns: a file descriptor holding the lock until it is closed (the
 * kernel drops it if the process dies), or -1 with @error set.
 */
int
jarchi_paths_lock_data_dir (const char *data_dir, GError **error)
{
  g_autofree char *path = g_build_filename (data_dir, "jarchi.lock", NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO,
                   _("Could not open %s: %s"), path, g_strerror (saved));
      return -1;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY,
                   _("Another Jarchi is already using the data directory %s"), data_dir);
      return -1;
    }
  return fd;
}
