/* Tests for JarchiDashboardAuth: token, password hash file, sessions, login throttling and the constant-time comparison. */
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
  g_autofree char *password = g_build_filename (dir, "dashboard-password", NULL);
  const char *db_files[] = { "jarchi.db", "jarchi.db-wal", "jarchi.db-shm" };

  g_unlink (token);
  g_unlink (password);
  for (guint i = 0; i < G_N_ELEMENTS (db_files); i++)
    {
      g_autofree char *path = g_build_filename (dir, db_files[i], NULL);
      g_unlink (path);
    }
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

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} Verify;

static void
verify_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Verify *v = user_data;

  v->ok = jarchi_dashboard_auth_verify_password_finish (JARCHI_DASHBOARD_AUTH (source), res, &v->error);
  v->done = TRUE;
}

/* TRUE for the right password; otherwise FALSE with the error's code in @code. */
static gboolean
verify (JarchiDashboardAuth *auth, const char *password, int *code)
{
  Verify v = { 0 };

  jarchi_dashboard_auth_verify_password_async (auth, password, NULL, verify_done, &v);
  while (!v.done)
    g_main_context_iteration (NULL, TRUE);
  if (code)
    *code = v.error ? v.error->code : -1;
  g_clear_error (&v.error);
  return v.ok;
}

static void
test_password_saved_private (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "dashboard-password", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *too_long = g_strnfill (JARCHI_DASHBOARD_PASSWORD_MAX_BYTES + 1, 'a');
  g_autoptr(JarchiDashboardAuth) auth = NULL;
  g_autoptr(GError) error = NULL;
  int code = 0;
  GStatBuf st;

  g_unsetenv ("JARCHI_DASHBOARD_TOKEN");
  auth = jarchi_dashboard_auth_new (dir, &error);
  g_assert_no_error (error);
  g_assert_false (jarchi_dashboard_auth_has_password (auth));
  g_assert_false (verify (auth, "anything", &code));
  g_assert_cmpint (code, ==, JARCHI_ERROR_NOT_FOUND);

  g_assert_false (jarchi_dashboard_auth_set_password (auth, "", &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (jarchi_dashboard_auth_set_password (auth, too_long, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (jarchi_dashboard_auth_set_password (auth, "caf\xe9", &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_true (jarchi_dashboard_auth_set_password (auth, "s3cret pass phrase", &error));
  g_assert_no_error (error);
  g_assert_true (jarchi_dashboard_auth_has_password (auth));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "$argon2id$"));
  g_assert_null (strstr (contents, "s3cret"));

  g_assert_true (verify (auth, "s3cret pass phrase", NULL));
  g_assert_false (verify (auth, "s3cret pass phrasE", &code));
  g_assert_cmpint (code, ==, JARCHI_ERROR_AUTH);
  g_assert_false (verify (auth, too_long, &code));
  g_assert_cmpint (code, ==, JARCHI_ERROR_AUTH);
  remove_dir (dir);
}

/* Another process (jarchi --set-dashboard-password) only replaces the file. */
static void
test_password_file_reloaded (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "dashboard-password", NULL);
  g_autoptr(JarchiDashboardAuth) auth = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csrf = NULL;
  g_autofree char *session = NULL;

  g_unsetenv ("JARCHI_DASHBOARD_TOKEN");
  auth = jarchi_dashboard_auth_new (dir, &error);
  g_assert_false (jarchi_dashboard_auth_has_password (auth));

  g_assert_true (jarchi_dashboard_password_save (dir, "first", &error));
  g_assert_true (jarchi_dashboard_auth_has_password (auth));
  g_assert_true (verify (auth, "first", NULL));
  session = jarchi_dashboard_auth_create_session (auth, &csrf);
  g_assert_true (jarchi_dashboard_auth_lookup_session (auth, session, NULL, NULL));

  g_assert_true (jarchi_dashboard_password_save (dir, "second", &error));
  g_assert_no_error (error);
  g_assert_false (verify (auth, "first", NULL));
  g_assert_true (verify (auth, "second", NULL));
  /* The old password's sessions ended with it. */
  g_assert_false (jarchi_dashboard_auth_lookup_session (auth, session, NULL, NULL));

  g_unlink (path);
  g_assert_false (jarchi_dashboard_auth_has_password (auth));
  remove_dir (dir);
}

static void
test_sessions (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(JarchiDashboardAuth) auth = NULL;
  g_autofree char *csrf = NULL;
  g_autofree char *id = NULL;
  g_autofree char *other_csrf = NULL;
  g_autofree char *other = NULL;
  g_autofree char *found_csrf = NULL;
  g_autofree char *short_csrf = NULL;
  g_autofree char *short_lived = NULL;
  guint expires_in = 0;

  g_unsetenv ("JARCHI_DASHBOARD_TOKEN");
  auth = jarchi_dashboard_auth_new (dir, NULL);
  g_assert_cmpuint (jarchi_dashboard_auth_get_session_max_age (auth), ==, 43200);

  id = jarchi_dashboard_auth_create_session (auth, &csrf);
  other = jarchi_dashboard_auth_create_session (auth, &other_csrf);
  g_assert_cmpuint (strlen (id), ==, 64);
  g_assert_cmpstr (id, !=, other);
  g_assert_cmpstr (csrf, !=, other_csrf);
  g_assert_cmpuint (jarchi_dashboard_auth_get_n_sessions (auth), ==, 2);

  g_assert_true (jarchi_dashboard_auth_lookup_session (auth, id, &found_csrf, &expires_in));
  g_assert_cmpstr (found_csrf, ==, csrf);
  g_assert_cmpuint (expires_in, >, 43190);
  g_assert_cmpuint (expires_in, <=, 43200);
  g_assert_false (jarchi_dashboard_auth_lookup_session (auth, csrf, NULL, NULL));
  g_assert_false (jarchi_dashboard_auth_lookup_session (auth, "", NULL, NULL));
  g_assert_false (jarchi_dashboard_auth_lookup_session (auth, NULL, NULL, NULL));

  jarchi_dashboard_auth_drop_session (auth, id);
  g_assert_false (jarchi_dashboard_auth_lookup_session (auth, id, NULL, NULL));
  g_assert_true (jarchi_dashboard_auth_lookup_session (auth, other, NULL, NULL));

  g_object_set (auth, "session-max-age", 1, NULL);
  short_lived = jarchi_dashboard_auth_create_session (auth, &short_csrf);
  g_assert_true (jarchi_dashboard_auth_lookup_session (auth, short_lived, NULL, NULL));
  g_usleep (1100 * 1000);
  g_assert_false (jarchi_dashboard_auth_lookup_session (auth, short_lived, NULL, NULL));
  remove_dir (dir);
}

/* A restart of Jarchi (a new auth object on the same database) keeps browsers logged in,
 * but not with a session that was dropped, expired, or made with a password changed since. */
static JarchiDashboardAuth *
restarted_auth (const char *dir, JarchiStore **store)
{
  g_autofree char *db = g_build_filename (dir, "jarchi.db", NULL);
  g_autoptr(GError) error = NULL;
  JarchiDashboardAuth *auth;

  g_clear_object (store);
  *store = jarchi_store_open (db, &error);
  g_assert_no_error (error);
  auth = jarchi_dashboard_auth_new (dir, &error);
  g_assert_no_error (error);
  g_assert_true (jarchi_dashboard_auth_set_store (auth, *store, &error));
  g_assert_no_error (error);
  return auth;
}

static gint64
count_saved_sessions (JarchiStore *store)
{
  g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (store, "SELECT count(*) FROM dashboard_sessions", NULL);

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
test_sessions_survive_restart (void)
{
  g_autofree char *dir = make_dir ();
  g_autoptr(JarchiStore) store = NULL;
  g_autoptr(JarchiDashboardAuth) auth = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csrf = NULL, *id = NULL, *dropped_csrf = NULL, *dropped = NULL;
  g_autofree char *short_csrf = NULL, *short_lived = NULL, *found_csrf = NULL;

  g_unsetenv ("JARCHI_DASHBOARD_TOKEN");
  g_assert_true (jarchi_dashboard_password_save (dir, "first", &error));
  auth = restarted_auth (dir, &store);
  id = jarchi_dashboard_auth_create_session (auth, &csrf);
  dropped = jarchi_dashboard_auth_create_session (auth, &dropped_csrf);
  g_object_set (auth, "session-max-age", 1, NULL);
  short_lived = jarchi_dashboard_auth_create_session (auth, &short_csrf);
  jarchi_dashboard_auth_drop_session (auth, dropped);
  g_assert_cmpint (count_saved_sessions (store), ==, 2);
  g_clear_object (&auth);
  g_usleep (1100 * 1000);

  auth = restarted_auth (dir, &store);
  g_assert_true (jarchi_dashboard_auth_lookup_session (auth, id, &found_csrf, NULL));
  g_assert_cmpstr (found_csrf, ==, csrf);
  g_assert_false (jarchi_dashboard_auth_lookup_session (auth, dropped, NULL, NULL));
  g_assert_false (jarchi_dashboard_auth_lookup_session (auth, short_lived, NULL, NULL));
  g_assert_cmpuint (jarchi_dashboard_auth_get_n_sessions (auth), ==, 1);
  g_clear_object (&auth);

  /* Changed from the command line while Jarchi was not running. */
  g_assert_true (jarchi_dashboard_password_save (dir, "second", &error));
  auth = restarted_auth (dir, &store);
  g_assert_false (jarchi_dashboard_auth_lookup_session (auth, id, NULL, NULL));
  g_assert_cmpint (count_saved_sessions (store), ==, 0);

  g_clear_object (&auth);
  g_clear_object (&store);
  remove_dir (dir);
}

static void
test_login_throttle (void)
{
  g_autoptr(JarchiLoginThrottle) t = jarchi_login_throttle_new ();
  const gint64 s = G_USEC_PER_SEC;
  gint64 now = 1000 * s;
  guint retry = 0;

  /* Four failures are forgiven, the fifth locks the address out for 30 s. */
  for (int i = 0; i < 4; i++)
    {
      g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.5", now, &retry), ==, JARCHI_LOGIN_ALLOWED);
      jarchi_login_throttle_end (t, "10.0.0.5", FALSE, now);
    }
  g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.5", now, &retry), ==, JARCHI_LOGIN_ALLOWED);
  jarchi_login_throttle_end (t, "10.0.0.5", FALSE, now);
  g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.5", now, &retry), ==, JARCHI_LOGIN_LOCKED_OUT);
  g_assert_cmpuint (retry, ==, 30);
  g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.5", now + 29 * s + s / 2, &retry), ==, JARCHI_LOGIN_LOCKED_OUT);
  g_assert_cmpuint (retry, ==, 1);
  /* Other addresses are not affected. */
  g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.6", now, &retry), ==, JARCHI_LOGIN_ALLOWED);
  jarchi_login_throttle_end (t, "10.0.0.6", TRUE, now);

  /* After the lockout: a full set of attempts again, and a success clears the count. */
  now += 30 * s;
  for (int i = 0; i < 4; i++)
    {
      g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.5", now, &retry), ==, JARCHI_LOGIN_ALLOWED);
      jarchi_login_throttle_end (t, "10.0.0.5", FALSE, now);
    }
  g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.5", now, &retry), ==, JARCHI_LOGIN_ALLOWED);
  jarchi_login_throttle_end (t, "10.0.0.5", TRUE, now);
  g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.5", now, &retry), ==, JARCHI_LOGIN_ALLOWED);
  jarchi_login_throttle_end (t, "10.0.0.5", FALSE, now);

  /* Old failures are forgotten. */
  now += 16 * 60 * s;
  for (int i = 0; i < 4; i++)
    {
      g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.5", now, &retry), ==, JARCHI_LOGIN_ALLOWED);
      jarchi_login_throttle_end (t, "10.0.0.5", FALSE, now);
    }
  g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.5", now, &retry), ==, JARCHI_LOGIN_ALLOWED);

  /* One check at a time per address, and only a couple overall. */
  g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.5", now, &retry), ==, JARCHI_LOGIN_BUSY);
  g_assert_cmpuint (retry, ==, 1);
  g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.7", now, &retry), ==, JARCHI_LOGIN_ALLOWED);
  g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.8", now, &retry), ==, JARCHI_LOGIN_BUSY);
  jarchi_login_throttle_end (t, "10.0.0.5", TRUE, now);
  jarchi_login_throttle_end (t, "10.0.0.7", TRUE, now);
  g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.8", now, &retry), ==, JARCHI_LOGIN_ALLOWED);
  jarchi_login_throttle_end (t, "10.0.0.8", TRUE, now);

  /* Nothing worth remembering is kept. */
  now += 16 * 60 * s;
  g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.9", now, &retry), ==, JARCHI_LOGIN_ALLOWED);
  jarchi_login_throttle_end (t, "10.0.0.9", TRUE, now);
  g_assert_cmpint (jarchi_login_throttle_begin (t, "10.0.0.9", now, &retry), ==, JARCHI_LOGIN_ALLOWED);
  g_assert_cmpuint (jarchi_login_throttle_get_n_tracked (t), ==, 1);
  jarchi_login_throttle_end (t, "10.0.0.9", TRUE, now);
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
  g_test_add_func ("/dashboard-auth/password-saved-private", test_password_saved_private);
  g_test_add_func ("/dashboard-auth/password-file-reloaded", test_password_file_reloaded);
  g_test_add_func ("/dashboard-auth/sessions", test_sessions);
  g_test_add_func ("/dashboard-auth/sessions-survive-restart", test_sessions_survive_restart);
  g_test_add_func ("/dashboard-auth/login-throttle", test_login_throttle);

  return g_test_run ();
}
