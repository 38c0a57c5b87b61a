/* Tests of JarchiSipEngine against a real Kamailio on 127.0.0.1: start/stop and registration. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <string.h>
#include <sys/wait.h>

#include "jarchi-error.h"
#include "jarchi-sip-engine.h"
#include "sip-lab.h"

typedef struct {
  JarchiRegistrationState state;
  char                   *error;
  guint                   expires;
  guint                   changes;
  guint                   failures;
} RegWatch;

static void
on_registration (JarchiSipEngine *engine,
                 guint            account_id,
                 guint            state,
                 const char      *error,
                 guint            expires,
                 RegWatch        *w)
{
  g_test_message ("account %u: %s %s (%u s)", account_id,
                  jarchi_registration_state_to_string (state), error ? error : "", expires);
  w->state = state;
  g_free (w->error);
  w->error = g_strdup (error);
  w->expires = expires;
  w->changes++;
  if (state == JARCHI_REGISTRATION_FAILED)
    w->failures++;
}

static gboolean
is_registered (gpointer data)
{
  return ((RegWatch *) data)->state == JARCHI_REGISTRATION_REGISTERED;
}

static gboolean
is_failed (gpointer data)
{
  return ((RegWatch *) data)->state == JARCHI_REGISTRATION_FAILED;
}

static gboolean
is_unregistered (gpointer data)
{
  return ((RegWatch *) data)->state == JARCHI_REGISTRATION_UNREGISTERED &&
         ((RegWatch *) data)->changes > 0;
}

static JarchiAccount *
lab_account (guint       id,
             const char *user,
             guint       kport,
             const char *password)
{
  g_autofree char *uri = g_strdup_printf ("sip:%s@127.0.0.1:%u", user, kport);
  JarchiAccount *account = jarchi_account_new (id, uri);

  if (password != NULL)
    g_object_set (account, "password", password, NULL);
  return account;
}

static void
test_start_stop (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiSipEngine) engine = NULL;
  g_autoptr(JarchiSipEngine) second = NULL;
  guint first_id;

  engine = jarchi_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jarchi_sip_engine_get_port (engine), >, 0);

  /* libre's state is per process. */
  second = jarchi_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_BUSY);
  g_assert_null (second);
  g_clear_error (&error);

  first_id = jarchi_sip_engine_new_call_id (engine);
  g_assert_cmpuint (first_id, >, 0);
  g_assert_cmpuint (jarchi_sip_engine_new_call_id (engine), ==, first_id + 1);

  jarchi_sip_engine_shutdown (engine);
  jarchi_sip_engine_shutdown (engine);
  g_assert_false (jarchi_sip_engine_hangup (engine, 1, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_FAILED);
  g_clear_error (&error);
  g_clear_object (&engine);

  /* A new engine after the first one stopped, on a port given explicitly. */
  engine = jarchi_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  g_clear_object (&engine);
}

static void
test_port_in_use (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiSipEngine) engine = NULL;
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GSocketAddress) addr = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  guint port;

  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, 0, &error);
  g_assert_no_error (error);
  addr = g_inet_socket_address_new (lo, 0);
  g_socket_bind (sock, addr, FALSE, &error);
  g_assert_no_error (error);
  g_clear_object (&addr);
  addr = g_socket_get_local_address (sock, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (addr));

  engine = jarchi_sip_engine_new ("127.0.0.1", port, &error);
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NETWORK);
  g_assert_null (engine);
  g_clear_error (&error);

  /* The failure released libre for the next engine. */
  engine = jarchi_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
}

static void
register_and_check (gboolean auth)
{
  g_autoptr(SipLab) lab = sip_lab_new (40);
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiSipEngine) engine = NULL;
  g_autoptr(JarchiAccount) account = NULL;
  RegWatch w = { 0 };
  guint kport = sip_lab_kamailio (lab, "kam", auth);

  engine = jarchi_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  g_signal_connect (engine, "registration-changed", G_CALLBACK (on_registration), &w);

  account = lab_account (7, "alice", kport, auth ? "secret" : NULL);
  g_object_set (account, "expires", 120, NULL);
  g_assert_true (jarchi_sip_engine_register (engine, account, &error));
  g_assert_no_error (error);
  g_assert_true (sip_lab_wait (is_registered, &w, 8000));
  g_assert_null (w.error);
  g_assert_cmpuint (w.expires, >, 0);
  g_assert_cmpuint (w.expires, <=, 120);
  g_assert_cmpint (sip_lab_sh (lab, NULL, "lab_kamailio_registered \"$ROOT/kam\" alice"), ==, 0);

  /* un-REGISTER removes the binding. */
  g_assert_true (jarchi_sip_engine_unregister (engine, 7, &error));
  g_assert_true (sip_lab_wait (is_unregistered, &w, 3000));
  sip_lab_spin (300);
  g_assert_cmpint (sip_lab_sh (lab, NULL, "lab_kamailio_registered \"$ROOT/kam\" alice"), !=, 0);

  /* Registered again, then a clean shutdown un-REGISTERs too. */
  g_assert_true (jarchi_sip_engine_register (engine, account, &error));
  g_assert_true (sip_lab_wait (is_registered, &w, 8000));
  jarchi_sip_engine_shutdown (engine);
  g_assert_cmpint (sip_lab_sh (lab, NULL, "lab_kamailio_registered \"$ROOT/kam\" alice"), !=, 0);
  g_free (w.error);
}

static void
test_register_noauth (void)
{
  register_and_check (FALSE);
}

static void
test_register_auth (void)
{
  register_and_check (TRUE);
}

/* Over TCP: the binding Kamailio keeps says so. */
static void
test_register_tcp (void)
{
  g_autoptr(SipLab) lab = sip_lab_new (40);
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiSipEngine) engine = NULL;
  g_autoptr(JarchiAccount) account = NULL;
  g_autofree char *contacts = NULL;
  RegWatch w = { 0 };
  guint kport = sip_lab_kamailio (lab, "kam", TRUE);

  engine = jarchi_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  g_signal_connect (engine, "registration-changed", G_CALLBACK (on_registration), &w);
  account = lab_account (8, "tcpuser", kport, "secret");
  g_object_set (account, "transport", JARCHI_TRANSPORT_TCP, NULL);
  g_assert_true (jarchi_sip_engine_register (engine, account, &error));
  g_assert_true (sip_lab_wait (is_registered, &w, 8000));
  g_assert_cmpint (sip_lab_sh (lab, &contacts, "lab_kamailio_contacts \"$ROOT/kam\" tcpuser"),
                   ==, 0);
  g_test_message ("contacts: %s", contacts);
  g_assert_nonnull (strstr (contacts, "transport=tcp"));
  g_free (w.error);
}

static void
test_register_wrong_password (void)
{
  g_autoptr(SipLab) lab = sip_lab_new (40);
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiSipEngine) engine = NULL;
  g_autoptr(JarchiAccount) account = NULL;
  g_autoptr(JarchiAccount) nopass = NULL;
  RegWatch w = { 0 };
  RegWatch w2 = { 0 };
  guint kport = sip_lab_kamailio (lab, "kam", TRUE);

  engine = jarchi_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  g_signal_connect (engine, "registration-changed", G_CALLBACK (on_registration), &w);

  account = lab_account (1, "bob", kport, "not-the-password");
  g_assert_true (jarchi_sip_engine_register (engine, account, &error));
  g_assert_true (sip_lab_wait (is_failed, &w, 8000));
  g_assert_cmpstr (w.error, ==, "wrong password");
  g_assert_cmpint (sip_lab_sh (lab, NULL, "lab_kamailio_registered \"$ROOT/kam\" bob"), !=, 0);
  g_signal_handlers_disconnect_by_data (engine, &w);

  g_signal_connect (engine, "registration-changed", G_CALLBACK (on_registration), &w2);
  nopass = lab_account (2, "carol", kport, NULL);
  g_assert_true (jarchi_sip_engine_register (engine, nopass, &error));
  g_assert_true (sip_lab_wait (is_failed, &w2, 8000));
  g_assert_cmpstr (w2.error, ==, "password required");
  g_free (w.error);
  g_free (w2.error);
}

static void
test_registrar_unreachable (void)
{
  g_autoptr(SipLab) lab = sip_lab_new (40);
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiSipEngine) engine = NULL;
  g_autoptr(JarchiAccount) account = NULL;
  g_autofree char *port_text = NULL;
  RegWatch w = { 0 };
  guint64 port;

  g_assert_cmpint (sip_lab_sh (lab, &port_text, "lab_free_port"), ==, 0);
  g_assert_true (g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL));
  engine = jarchi_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  g_signal_connect (engine, "registration-changed", G_CALLBACK (on_registration), &w);

  /* Nobody listens there: a timeout, then retries every couple of seconds. */
  account = lab_account (3, "dave", (guint) port, NULL);
  g_assert_true (jarchi_sip_engine_register (engine, account, &error));
  g_assert_true (sip_lab_wait (is_failed, &w, 8000));
  g_assert_cmpstr (w.error, ==, "timeout");
  g_assert_true (sip_lab_wait (is_registered, &w, 4000) == FALSE);
  g_free (w.error);
}

static void
test_registrar_restart (void)
{
  g_autoptr(SipLab) lab = sip_lab_new (60);
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiSipEngine) engine = NULL;
  g_autoptr(JarchiAccount) account = NULL;
  RegWatch w = { 0 };
  guint kport = sip_lab_kamailio (lab, "kam", TRUE);
  gint64 back;
  double took;

  engine = jarchi_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  g_signal_connect (engine, "registration-changed", G_CALLBACK (on_registration), &w);

  account = lab_account (4, "erin", kport, "secret");
  g_object_set (account, "keepalive-interval", 1, NULL);
  g_assert_true (jarchi_sip_engine_register (engine, account, &error));
  g_assert_true (sip_lab_wait (is_registered, &w, 8000));

  /* Killed: its registrations are gone with it (no database). */
  g_assert_cmpint (sip_lab_sh (lab, NULL, "lab_kamailio_stop \"$ROOT/kam\""), ==, 0);
  g_assert_true (sip_lab_wait (is_failed, &w, 8000));
  g_test_message ("noticed: %s", w.error);
  sip_lab_spin (2500);

  g_assert_cmpint (sip_lab_sh (lab, NULL, "lab_kamailio_start \"$ROOT/kam\" %u auth", kport),
                   ==, 0);
  back = g_get_monotonic_time ();
  g_assert_true (sip_lab_wait (is_registered, &w, 5000));
  took = (g_get_monotonic_time () - back) / 1e6;
  g_test_message ("registered again %.2f s after the registrar came back", took);
  g_assert_cmpfloat (took, <=, 5.0);
  g_assert_cmpint (sip_lab_sh (lab, NULL, "lab_kamailio_registered \"$ROOT/kam\" erin"), ==, 0);
  g_free (w.error);
}

/* The s_server pipeline in its own process group, to stop all of it at once. */
static void
own_group (gpointer data)
{
  setpgid (0, 0);
}

static gboolean
file_has_register (gpointer data)
{
  g_autofree char *text = NULL;

  return g_file_get_contents (data, &text, NULL, NULL) && strstr (text, "REGISTER sip:") != NULL;
}

/* SIP over TLS to a server with a self-signed certificate: refused while tls-verify is on,
 * REGISTER sent once it is off.  openssl s_server stands in for the registrar. */
static void
test_tls_verify (void)
{
  g_autoptr(SipLab) lab = sip_lab_new (40);
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiSipEngine) engine = NULL;
  g_autoptr(JarchiAccount) strict = NULL;
  g_autoptr(JarchiAccount) lax = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *out = g_build_filename (lab->root, "s_server.out", NULL);
  g_autofree char *cmd = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *text = NULL;
  g_autofree char *openssl = NULL;
  RegWatch w = { 0 };
  GPid pid;
  guint64 port;

  openssl = g_find_program_in_path ("openssl");
  if (openssl == NULL)
    {
      g_test_skip ("no openssl command");
      return;
    }
  g_assert_cmpint (sip_lab_sh (lab, &port_text,
                               "cd \"$ROOT\" && openssl req -x509 -newkey rsa:2048 -nodes "
                               "-keyout key.pem -out cert.pem -days 1 -subj /CN=localhost "
                               ">/dev/null 2>&1 && lab_free_port"), ==, 0);
  g_assert_true (g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL));
  /* s_server quits at the end of its standard input: keep it open for the test's length. */
  cmd = g_strdup_printf ("cd '%s' && sleep 40 | openssl s_server -accept 127.0.0.1:%u "
                         "-cert cert.pem -key key.pem -quiet >'%s' 2>&1", lab->root,
                         (guint) port, out);
  {
    const char *argv[] = { "bash", "-c", cmd, NULL };
    g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                   own_group, NULL, &pid, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpint (sip_lab_sh (lab, NULL, "lab_wait_for 5 lab_port_listening %u tcp",
                               (guint) port), ==, 0);

  engine = jarchi_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  g_signal_connect (engine, "registration-changed", G_CALLBACK (on_registration), &w);

  uri = g_strdup_printf ("sip:tls@127.0.0.1:%u", (guint) port);
  strict = jarchi_account_new (1, uri);
  g_object_set (strict, "transport", JARCHI_TRANSPORT_TLS, NULL);
  g_assert_true (jarchi_sip_engine_register (engine, strict, &error));
  g_assert_true (sip_lab_wait (is_failed, &w, 30000));
  g_test_message ("verification on: %s", w.error);
  g_assert_true (g_str_has_prefix (w.error, "TLS handshake failed"));
  g_assert_false (file_has_register (out));
  g_assert_true (jarchi_sip_engine_unregister (engine, 1, &error));

  lax = jarchi_account_new (2, uri);
  g_object_set (lax, "transport", JARCHI_TRANSPORT_TLS, "tls-verify", FALSE, NULL);
  g_assert_true (jarchi_sip_engine_register (engine, lax, &error));
  g_assert_true (sip_lab_wait (file_has_register, out, 8000));
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, ";transport=tls"));

  jarchi_sip_engine_shutdown (engine);
  kill (-pid, SIGTERM);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
  g_free (w.error);
}

static void
test_two_accounts (void)
{
  g_autoptr(SipLab) lab = sip_lab_new (40);
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiSipEngine) engine = NULL;
  g_autoptr(JarchiAccount) a = NULL;
  g_autoptr(JarchiAccount) b = NULL;
  RegWatch w = { 0 };
  guint kport = sip_lab_kamailio (lab, "kam", TRUE);
  guint kport2 = sip_lab_kamailio (lab, "kam2", FALSE);

  engine = jarchi_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  g_signal_connect (engine, "registration-changed", G_CALLBACK (on_registration), &w);
  a = lab_account (10, "frank", kport, "secret");
  b = lab_account (11, "grace", kport2, NULL);
  g_assert_true (jarchi_sip_engine_register (engine, a, &error));
  g_assert_true (jarchi_sip_engine_register (engine, b, &error));
  g_assert_cmpint (sip_lab_sh (lab, NULL, "lab_kamailio_wait_registered \"$ROOT/kam\" frank 8"),
                   ==, 0);
  g_assert_cmpint (sip_lab_sh (lab, NULL, "lab_kamailio_wait_registered \"$ROOT/kam2\" grace 8"),
                   ==, 0);
  g_free (w.error);
}

static void
test_invalid_account (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiSipEngine) engine = jarchi_sip_engine_new ("127.0.0.1", 0, &error);
  g_autoptr(JarchiAccount) account = jarchi_account_new (1, "not a uri");
  g_autoptr(JarchiAccount) noid = jarchi_account_new (0, "sip:a@127.0.0.1");

  g_assert_no_error (error);
  g_assert_false (jarchi_sip_engine_register (engine, account, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (jarchi_sip_engine_register (engine, noid, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (jarchi_sip_engine_dial (engine, 1, 0, "mailto:x", 4000, 0, NULL, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sip-engine/start-stop", test_start_stop);
  g_test_add_func ("/sip-engine/port-in-use", test_port_in_use);
  g_test_add_func ("/sip-engine/invalid-account", test_invalid_account);
  g_test_add_func ("/sip-engine/register-noauth", test_register_noauth);
  g_test_add_func ("/sip-engine/register-auth", test_register_auth);
  g_test_add_func ("/sip-engine/register-tcp", test_register_tcp);
  g_test_add_func ("/sip-engine/register-wrong-password", test_register_wrong_password);
  g_test_add_func ("/sip-engine/registrar-unreachable", test_registrar_unreachable);
  g_test_add_func ("/sip-engine/registrar-restart", test_registrar_restart);
  g_test_add_func ("/sip-engine/two-accounts", test_two_accounts);
  g_test_add_func ("/sip-engine/tls-verify", test_tls_verify);

  return g_test_run ();
}
