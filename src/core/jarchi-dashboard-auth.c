/* JarchiDashboardAuth: creates, stores (0600) and checks the dashboard API token. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "jarchi-dashboard-auth.h"
#include "jarchi-error.h"

#define TOKEN_FILE "dashboard-token"
#define TOKEN_BYTES 24

struct _JarchiDashboardAuth
{
  GObject  parent_instance;
  char    *token;
};

G_DEFINE_FINAL_TYPE (JarchiDashboardAuth, jarchi_dashboard_auth, G_TYPE_OBJECT)

static void
jarchi_dashboard_auth_finalize (GObject *object)
{
  JarchiDashboardAuth *self = JARCHI_DASHBOARD_AUTH (object);

  if (self->token)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (jarchi_dashboard_auth_parent_class)->finalize (object);
}

static void
jarchi_dashboard_auth_class_init (JarchiDashboardAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jarchi_dashboard_auth_finalize;
}

static void
jarchi_dashboard_auth_init (JarchiDashboardAuth *self)
{
}

/* The length may leak, the content may not: every byte is always compared. */
gboolean
jarchi_secure_str_equal (const char *a, const char *b)
{
  gsize la, lb;
  guchar diff;

  if (a == NULL || b == NULL)
    return FALSE;

  la = strlen (a);
  lb = strlen (b);
  diff = (la != lb);
  for (gsize i = 0; i < lb; i++)
    diff |= (guchar) b[i] ^ (guchar) (i < la ? a[i] : 0);
  return diff == 0;
}

static char *
random_token (GError **error)
{
  guint8 bytes[TOKEN_BYTES];
  GString *hex = g_string_sized_new (TOKEN_BYTES * 2);
  int fd = g_open ("/dev/urandom", O_RDONLY | O_CLOEXEC, 0);
  gsize got = 0;

  if (fd < 0)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO,
                   _("Could not read random bytes: %s"), g_strerror (errno));
      g_string_free (hex, TRUE);
      return NULL;
    }
  while (got < sizeof bytes)
    {
      gssize n = read (fd, bytes + got, sizeof bytes - got);
      if (n <= 0 && errno != EINTR)
        break;
      if (n > 0)
        got += n;
    }
  close (fd);
  if (got < sizeof bytes)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO, _("Could not read random bytes"));
      g_string_free (hex, TRUE);
      return NULL;
    }
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  memset (bytes, 0, sizeof bytes);
  return g_string_free (hex, FALSE);
}

static gboolean
write_private_file (const char *path, const char *contents, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  /* Created 0600 from the start so the token is never readable by others, even briefly. */
  if (!g_file_set_contents_full (path, contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO,
                   _("Could not save the dashboard token: %s"), local_error->message);
      return FALSE;
    }
  return TRUE;
}

static char *
load_or_create_token (const char *data_dir, GError **error)
{
  g_autofree char *path = g_build_filename (data_dir, TOKEN_FILE, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *token = NULL;

  if (g_file_get_contents (path, &contents, NULL, NULL))
    {
      g_strstrip (contents);
      if (strlen (contents) >= 16)
        {
          /* Tighten a file that someone loosened by hand. */
          g_chmod (path, 0600);
          return g_steal_pointer (&contents);
        }
    }

  token = random_token (error);
  if (token == NULL)
    return NULL;
  if (!write_private_file (path, token, error))
    return NULL;
  return g_steal_pointer (&token);
}

/**
 * jarchi_dashboard_auth_new:
 * @data_dir: where the token file lives
 *
 * The token comes from `JARCHI_DASHBOARD_TOKEN` when set, else from the data
 * directory, where one is generated on first run.
 */
JarchiDashboardAuth *
jarchi_dashboard_auth_new (const char *data_dir, GError **error)
{
  g_autoptr(JarchiDashboardAuth) self = g_object_new (JARCHI_TYPE_DASHBOARD_AUTH, NULL);
  const char *env = g_getenv ("JARCHI_DASHBOARD_TOKEN");

  if (env != NULL && *env != '\0')
    {
      if (strlen (env) < 16)
        {
          g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                       _("JARCHI_DASHBOARD_TOKEN must be at least 16 characters long"));
          return NULL;
        }
      self->token = g_strdup (env);
    }
  else
    {
      self->token = load_or_create_token (data_dir, error);
      if (self->token == NULL)
        return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
jarchi_dashboard_auth_get_token (JarchiDashboardAuth *self)
{
  g_return_val_if_fail (JARCHI_IS_DASHBOARD_AUTH (self), NULL);
  return self->token;
}

gboolean
jarchi_dashboard_auth_check_bearer (JarchiDashboardAuth *self, const char *authorization)
{
  g_return_val_if_fail (JARCHI_IS_DASHBOARD_AUTH (self), FALSE);

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return FALSE;
  authorization += 7;
  while (*authorization == ' ')
    authorization++;
  return jarchi_secure_str_equal (authorization, self->token);
}
