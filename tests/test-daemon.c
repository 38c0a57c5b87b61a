/* Tests the real jarchi binary in headless mode: dashboard URL, auth, signals, data-dir lock, bad input. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sqlite3.h>

typedef struct {
  GSubprocess      *proc;
  GDataInputStream *out;
  char             *url;
} Daemon;

static const char *
binary (void)
{
  const char *b = g_getenv ("JARCHI_BINARY");
  g_assert_nonnull (b);
  return b;
}

static char *
make_dir (void)
{
  char *dir = g_dir_make_tmp ("jarchi-daemon-XXXXXX", NULL);
  g_assert_nonnull (dir);
  return dir;
}

static void
wait_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), res, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
wait_exit (GSubprocess *proc, int timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  gboolean done = FALSE;

  g_subprocess_wait_async (proc, NULL, wait_done, &done);
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (10000), TRUE);
  if (!done)
    {
      /* Let the pending wait finish so it does not outlive the test's stack. */
      g_subprocess_force_exit (proc);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      return FALSE;
    }
  return TRUE;
}

static void
daemon_start (Daemon *d, const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_unsetenv ("JARCHI_DASHBOARD_TOKEN");
  d->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              binary (), "--headless", "--data-dir", data_dir,
                              "--dashboard-port", "0", NULL);
  g_assert_no_error (error);
  d->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (d->proc));
  /* The binary prints its URL once the socket listens; a blocking read is bounded by the test timeout. */
  line = g_data_input_stream_read_line_utf8 (d->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "dashboard: http://127.0.0.1:"));
  d->url = g_strdup (line + strlen ("dashboard: "));
}

static void
daemon_clear (Daemon *d)
{
  if (d->proc && g_subprocess_get_identifier (d->proc) != NULL)
    {
      g_subprocess_force_exit (d->proc);
      wait_exit (d->proc, 5);
    }
  g_clear_object (&d->out);
  g_clear_object (&d->proc);
  g_clear_pointer (&d->url, g_free);
}

static guint
http_get (const char *url, const char *path, const char *bearer, char **body)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 10, NULL);
  g_autofree char *uri = g_strconcat (url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (bearer)
    {
      g_autofree char *h = g_strconcat ("Bearer ", bearer, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", h);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (body)
    *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return soup_message_get_status (msg);
}

static char *
run_capture (int *status, char **err, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  char *out = NULL;
  va_list ap;
  const char *a;

  g_ptr_array_add (argv, (char *) binary ());
  va_start (ap, err);
  while ((a = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, err, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (proc);
  return out;
}

static void
test_start_serve_stop (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *token_path = g_build_filename (dir, "dashboard-token", NULL);
  g_autofree char *token = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *body = NULL;
  Daemon d = { 0 };
  int status;

  daemon_start (&d, dir);

  g_assert_cmpuint (http_get (d.url, "api/health", NULL, &body), ==, 200);
  g_assert_nonnull (strstr (body, "\"status\":\"ok\""));
  g_assert_cmpuint (http_get (d.url, "api/calls", NULL, NULL), ==, 401);

  /* --print-token works beside the running instance and agrees with the file. */
  printed = run_capture (&status, NULL, "--print-token", "--data-dir", dir, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_get_contents (token_path, &token, NULL, NULL));
  g_assert_cmpstr (g_strstrip (printed), ==, g_strstrip (token));
  g_assert_cmpuint (http_get (d.url, "api/calls", printed, NULL), !=, 401);

  /* A second process on the same data directory must refuse, not share the database. */
  {
    g_autofree char *err = NULL;
    g_autofree char *out = run_capture (&status, &err, "--headless", "--data-dir", dir,
                                        "--dashboard-port", "0", NULL);
    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (err, "already using"));
  }

  g_subprocess_send_signal (d.proc, SIGTERM);
  g_assert_true (wait_exit (d.proc, 10));
  g_assert_true (g_subprocess_get_if_exited (d.proc));
  g_assert_cmpint (g_subprocess_get_exit_status (d.proc), ==, 0);
  daemon_clear (&d);

  /* SIGINT stops it just as cleanly, and the lock is released for the next start. */
  daemon_start (&d, dir);
  g_subprocess_send_signal (d.proc, SIGINT);
  g_assert_true (wait_exit (d.proc, 10));
  g_assert_cmpint (g_subprocess_get_exit_status (d.proc), ==, 0);
  daemon_clear (&d);
}

static void
test_bad_options (void)
{
  g_autofree char *dir = make_dir ();
  int status;

  {
    g_autofree char *err = NULL;
    g_autofree char *out = run_capture (&status, &err, "--headless", "--data-dir", dir,
                                        "--dashboard-port", "99999", NULL);
    g_assert_cmpint (status, !=, 0);
    g_assert_nonnull (strstr (err, "65535"));
  }
  {
    g_autofree char *err = NULL;
    g_autofree char *out = run_capture (&status, &err, "--headless", "--data-dir", dir,
                                        "--dashboard-address", "no.such.address", NULL);
    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (err, "not an IP address"));
  }
  {
    g_autofree char *out = run_capture (&status, NULL, "--version", NULL);
    g_assert_cmpint (status, ==, 0);
    g_assert_true (g_str_has_prefix (out, "jarchi "));
  }
}

static void
test_refuses_newer_database (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *db_path = g_build_filename (dir, "jarchi.db", NULL);
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  sqlite3 *db = NULL;
  int status;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE schema_version (version INTEGER NOT NULL);"
                                     "INSERT INTO schema_version VALUES (9999);", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  out = run_capture (&status, &err, "--headless", "--data-dir", dir, "--dashboard-port", "0", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "newer Jarchi"));
  g_assert_null (strstr (out, "dashboard:"));
}

/* ---- dashboard password and TLS (appended by the dashboard security work) ---------------- */

/* Runs jarchi with @input on standard input and no display, as over SSH or from a script. */
static char *
run_with_stdin (const char *input, int *status, char **err, ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  const char *a;
  va_list ap;

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_ptr_array_add (argv, (char *) binary ());
  va_start (ap, err);
  while ((a = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &out, err, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (proc);
  return out;
}

static guint
http_login (const char *url, const char *password, char **set_cookie)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 10, NULL);
  g_autofree char *uri = g_strconcat (url, "api/login", NULL);
  g_autofree char *body = g_strdup_printf ("{\"password\": \"%s\"}", password);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (set_cookie)
    *set_cookie = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Set-Cookie"));
  return soup_message_get_status (msg);
}

static void
test_set_dashboard_password (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "dashboard-password", NULL);
  g_autofree char *first_hash = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *cookie = NULL;
  Daemon d = { 0 };
  GStatBuf st;
  int status;

  /* Set while another Jarchi serves the same data directory: no lock, no restart. */
  daemon_start (&d, dir);
  g_assert_cmpuint (http_login (d.url, "pass word", NULL), ==, 409);
  {
    g_autofree char *err = NULL;
    g_autofree char *out = run_with_stdin ("pass word\nignored second line\n", &status, &err,
                                           "--data-dir", dir, "--set-dashboard-password", NULL);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "password is set"));
    g_assert_null (strstr (out, "pass word"));
    g_assert_null (strstr (err, "pass word"));
  }
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &first_hash, NULL, NULL));
  g_assert_true (g_str_has_prefix (first_hash, "$argon2id$"));

  g_assert_cmpuint (http_login (d.url, "pass word", &cookie), ==, 200);
  g_assert_nonnull (strstr (cookie, "jarchi_session="));
  g_assert_nonnull (strstr (cookie, "HttpOnly"));
  g_assert_cmpuint (http_login (d.url, "ignored second line", NULL), ==, 401);

  /* An empty line (or no input at all) is refused and changes nothing. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *err = NULL;
      g_autofree char *out = run_with_stdin (i == 0 ? "\n" : "", &status, &err,
                                             "--data-dir", dir, "--set-dashboard-password", NULL);
      g_assert_cmpint (status, ==, 1);
      g_assert_nonnull (strstr (err, "must not be empty"));
    }
  g_assert_true (g_file_get_contents (path, &hash, NULL, NULL));
  g_assert_cmpstr (hash, ==, first_hash);
  daemon_clear (&d);
}

static void
test_dashboard_tls (void)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *dir = make_dir ();
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autoptr(GError) error = NULL;
  int status;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  {
    const char *argv[] = { openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                           "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  {
    g_autofree char *err = NULL;
    g_autofree char *out = run_capture (&status, &err, "--headless", "--data-dir", dir, "--dashboard-port", "0",
                                        "--dashboard-tls-cert", cert, NULL);
    g_assert_cmpint (status, !=, 0);
    g_assert_nonnull (strstr (err, "--dashboard-tls-key"));
  }
  {
    g_autofree char *err = NULL;
    g_autofree char *out = run_capture (&status, &err, "--headless", "--data-dir", dir, "--dashboard-port", "0",
                                        "--dashboard-tls-cert", key, "--dashboard-tls-key", key, NULL);
    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (err, "TLS certificate"));
    g_assert_null (strstr (out, "dashboard:"));
  }
  {
    g_autoptr(GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, binary (), "--headless",
                                                    "--data-dir", dir, "--dashboard-port", "0",
                                                    "--dashboard-tls-cert", cert, "--dashboard-tls-key", key, NULL);
    g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
    g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (line);
    g_assert_true (g_str_has_prefix (line, "dashboard: https://127.0.0.1:"));
    /* HTTPS requests themselves are tested in-process by test-web-security: once a TLS
     * handshake has run in a worker thread, LeakSanitizer's exit-time scan of this binary
     * crashes on the GnuTLS module's thread-local storage ("Tracer caught signal 11"). */
    g_subprocess_send_signal (proc, SIGTERM);
    g_assert_true (wait_exit (proc, 10));
    g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/daemon/start-serve-stop", test_start_serve_stop);
  g_test_add_func ("/daemon/bad-options", test_bad_options);
  g_test_add_func ("/daemon/refuses-newer-database", test_refuses_newer_database);
  g_test_add_func ("/daemon/set-dashboard-password", test_set_dashboard_password);
  g_test_add_func ("/daemon/dashboard-tls", test_dashboard_tls);

  return g_test_run ();
}
