/* Tests for JarchiDashboardAuth: token creation, 0600 storage, the env override and the comparison. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "jarchi-dashboard-auth.h"
#include "jarchi-error.h"

static char *
make_dir (void)
{
  char *dir = g_dir_make_tmp ("jarchi-auth-XXXXXX", NULL);
  g_assert_nonnull (dir);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autofree char *token = g_build_filename (dir, "dashboard-token", NULL);
  g_unlink (token);
  g_rmdir (dir);
}

static void
test_token_created_private_and_kept (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "dashboard-token", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  GStatBuf st;

  g_unsetenv ("JARCHI_DASHBOARD_TOKEN");
  {
    g_autoptr(JarchiDashboardAuth) auth = jarchi_dashboard_auth_new (dir, &error);
    g_assert_no_error (error);
    first = g_strdup (jarchi_dashboard_auth_get_token (auth));
    g_assert_cmpuint (strlen (first), >=, 32);
  }

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  {
    g_autoptr(JarchiDashboardAuth) auth = jarchi_dashboard_auth_new (dir, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (jarchi_dashboard_auth_get_token (auth), ==, first);
  }
  remove_dir (dir);
}

static void
test_two_dirs_differ (void)
{
  g_autofree char *a = make_dir ();
  g_autofree char *b = make_dir ();
  g_autoptr(JarchiDashboardAuth) auth_a = jarchi_dashboard_auth_new (a, NULL);
  g_autoptr(JarchiDashboardAuth) auth_b = jarchi_dashboard_auth_new (b, NULL);

  g_assert_cmpstr (jarchi_dashboard_auth_get_token (auth_a), !=, jarchi_dashboard_auth_get_token (auth_b));
  remove_dir (a);
  remove_dir (b);
}

static void
test_env_override (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(GError) error = NULL;

  g_setenv ("JARCHI_DASHBOARD_TOKEN", "from-the-environment-0123", TRUE);
  {
    g_autoptr(JarchiDashboardAuth) auth = jarchi_dashboard_auth_new (dir, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (jarchi_dashboard_auth_get_token (auth), ==, "from-the-environment-0123");
    g_assert_true (jarchi_dashboard_auth_check_bearer (auth, "Bearer from-the-environment-0123"));
  }

  g_setenv ("JARCHI_DASHBOARD_TOKEN", "short", TRUE);
  {
    g_autoptr(JarchiDashboardAuth) auth = jarchi_dashboard_auth_new (dir, &error);
    g_assert_null (auth);
    g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  }
  g_unsetenv ("JARCHI_DASHBOARD_TOKEN");
  remove_dir (dir);
}

static void
test_check_bearer (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(JarchiDashboardAuth) auth = NULL;
  g_autofree char *good = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *truncated = NULL;
  g_autofree char *longer = NULL;
  const char *token;

  g_unsetenv ("JARCHI_DASHBOARD_TOKEN");
  auth = jarchi_dashboard_auth_new (dir, NULL);
  token = jarchi_dashboard_auth_get_token (auth);
  good = g_strconcat ("Bearer ", token, NULL);
  lower = g_strconcat ("bearer ", token, NULL);
  truncated = g_strndup (good, strlen (good) - 1);
  longer = g_strconcat (good, "x", NULL);

  g_assert_true (jarchi_dashboard_auth_check_bearer (auth, good));
  g_assert_true (jarchi_dashboard_auth_check_bearer (auth, lower));
  g_assert_false (jarchi_dashboard_auth_check_bearer (auth, NULL));
  g_assert_false (jarchi_dashboard_auth_check_bearer (auth, ""));
  g_assert_false (jarchi_dashboard_auth_check_bearer (auth, token));
  g_assert_false (jarchi_dashboard_auth_check_bearer (auth, "Bearer "));
  g_assert_false (jarchi_dashboard_auth_check_bearer (auth, truncated));
  g_assert_false (jarchi_dashboard_auth_check_bearer (auth, longer));
  g_assert_false (jarchi_dashboard_auth_check_bearer (auth, "Basic dXNlcjpwYXNz"));
  remove_dir (dir);
}

/* The comparison must look at every byte whatever the first difference:
 * a mismatch in the last byte is caught as surely as in the first. */
static void
test_secure_equal (void)
{
  g_assert_true (jarchi_secure_str_equal ("abcdef", "abcdef"));
  g_assert_true (jarchi_secure_str_equal ("", ""));
  g_assert_false (jarchi_secure_str_equal ("Xbcdef", "abcdef"));
  g_assert_false (jarchi_secure_str_equal ("abcdeX", "abcdef"));
  g_assert_false (jarchi_secure_str_equal ("abcde", "abcdef"));
  g_assert_false (jarchi_secure_str_equal ("abcdefg", "abcdef"));
  g_assert_false (jarchi_secure_str_equal ("abc\0ef", "abcdef"));
  g_assert_false (jarchi_secure_str_equal (NULL, "abcdef"));
  g_assert_false (jarchi_secure_str_equal ("abcdef", NULL));
}

static int
cmp_int64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return (x > y) - (x < y);
}

/* Constant time, measured: comparing a guess that is wrong in its first byte
 * must take as long as one wrong only in its last byte. Medians of many runs
 * keep scheduler noise out; the bound is loose (2x) so only an early-exit
 * comparison (hundreds of times faster on a 4 KiB secret) fails it. */
static void
test_secure_equal_timing (void)
{
  enum { LEN = 4096, RUNS = 301, REPS = 50 };
  g_autofree char *secret = g_malloc (LEN + 1);
  g_autofree char *early = NULL;
  g_autofree char *late = NULL;
  gint64 t_early[RUNS], t_late[RUNS];
  volatile gboolean sink = FALSE;

  memset (secret, 'k', LEN);
  secret[LEN] = '\0';
  early = g_strdup (secret);
  late = g_strdup (secret);
  early[0] = 'x';
  late[LEN - 1] = 'x';

  for (int r = 0; r < RUNS; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      for (int i = 0; i < REPS; i++)
        sink |= jarchi_secure_str_equal (early, secret);
      t_early[r] = g_get_monotonic_time () - t0;
      t0 = g_get_monotonic_time ();
      for (int i = 0; i < REPS; i++)
        sink |= jarchi_secure_str_equal (late, secret);
      t_late[r] = g_get_monotonic_time () - t0;
    }
  g_assert_false (sink);

  qsort (t_early, RUNS, sizeof (gint64), cmp_int64);
  qsort (t_late, RUNS, sizeof (gint64), cmp_int64);
  g_test_message ("median µs per %d compares: first byte wrong %" G_GINT64_FORMAT
                  ", last byte wrong %" G_GINT64_FORMAT, REPS, t_early[RUNS / 2], t_late[RUNS / 2]);
  g_assert_cmpint (t_late[RUNS / 2], <=, 2 * t_early[RUNS / 2] + 2);
  g_assert_cmpint (t_early[RUNS / 2], <=, 2 * t_late[RUNS / 2] + 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dashboard-auth/token-created-private-and-kept", test_token_created_private_and_kept);
  g_test_add_func ("/dashboard-auth/two-dirs-differ", test_two_dirs_differ);
  g_test_add_func ("/dashboard-auth/env-override", test_env_override);
  g_test_add_func ("/dashboard-auth/check-bearer", test_check_bearer);
  g_test_add_func ("/dashboard-auth/secure-equal", test_secure_equal);
  g_test_add_func ("/dashboard-auth/secure-equal-timing", test_secure_equal_timing);

  return g_test_run ();
}
