/* Unit tests of JarchiAccount: properties, derived addresses, validation, no password leaks. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <string.h>

#include "jarchi-account.h"
#include "jarchi-error.h"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_properties (void)
{
  g_autoptr(JarchiAccount) account = jarchi_account_new (3, "sip:1001@pbx.example.uz");
  g_autofree char *user = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *registrar = NULL;
  guint notified = 0;

  g_assert_cmpuint (jarchi_account_get_id (account), ==, 3);
  g_assert_cmpint (jarchi_account_get_transport (account), ==, JARCHI_TRANSPORT_UDP);
  g_assert_cmpint (jarchi_account_get_dtmf_mode (account), ==, JARCHI_DTMF_MODE_RFC4733);
  g_assert_true (jarchi_account_get_tls_verify (account));
  g_assert_false (jarchi_account_get_auto_answer (account));
  g_assert_cmpint (jarchi_account_get_registration_state (account), ==,
                   JARCHI_REGISTRATION_UNREGISTERED);
  g_assert_null (jarchi_account_get_registration_error (account));

  user = jarchi_account_dup_user (account);
  domain = jarchi_account_dup_domain (account);
  registrar = jarchi_account_dup_effective_registrar (account);
  g_assert_cmpstr (user, ==, "1001");
  g_assert_cmpstr (domain, ==, "pbx.example.uz");
  g_assert_cmpstr (registrar, ==, "sip:pbx.example.uz");

  g_signal_connect (account, "notify", G_CALLBACK (count_notify), &notified);
  g_object_set (account, "registrar", "10.0.0.5:5080", "transport", JARCHI_TRANSPORT_TCP, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_object_set (account, "transport", JARCHI_TRANSPORT_TCP, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_clear_pointer (&registrar, g_free);
  registrar = jarchi_account_dup_effective_registrar (account);
  g_assert_cmpstr (registrar, ==, "sip:10.0.0.5:5080");

  jarchi_account_set_registration (account, JARCHI_REGISTRATION_FAILED, "wrong password", 0);
  g_assert_cmpint (jarchi_account_get_registration_state (account), ==,
                   JARCHI_REGISTRATION_FAILED);
  g_assert_cmpstr (jarchi_account_get_registration_error (account), ==, "wrong password");
  jarchi_account_set_registration (account, JARCHI_REGISTRATION_REGISTERED, NULL, 300);
  g_assert_null (jarchi_account_get_registration_error (account));
  g_assert_cmpuint (jarchi_account_get_registration_expires (account), ==, 300);
}

static void
test_no_password_leak (void)
{
  g_autoptr(JarchiAccount) account = jarchi_account_new (1, "sip:alice@example.com");
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_object_set (account, "password", "s3cr3t-Pa55", "username", "alice-auth", NULL);
  g_assert_cmpstr (jarchi_account_get_password (account), ==, "s3cr3t-Pa55");
  text = jarchi_account_to_string (account);
  node = jarchi_account_to_json (account);
  json = json_to_string (node, FALSE);
  g_test_message ("%s / %s", text, json);
  g_assert_null (strstr (text, "s3cr3t"));
  g_assert_null (strstr (json, "s3cr3t"));
  g_assert_nonnull (strstr (json, "\"has_password\":true"));
  g_assert_nonnull (strstr (json, "\"transport\":\"udp\""));
}

static void
test_validate (void)
{
  static const char * const good[] = { "sip:a@b", "sip:1001@10.0.0.1:5060", "sips:x@example.com" };
  static const char * const bad[] = { "", "alice", "sip:example.com", "sip:@x", "http://x" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(JarchiAccount) account = jarchi_account_new (1, good[i]);
      g_autoptr(GError) error = NULL;
      g_assert_true (jarchi_account_validate (account, &error));
      g_assert_no_error (error);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JarchiAccount) account = jarchi_account_new (1, bad[i]);
      g_autoptr(GError) error = NULL;
      g_assert_false (jarchi_account_validate (account, &error));
      g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
    }
  {
    g_autoptr(JarchiAccount) account = jarchi_account_new (1, "sip:a@b");
    g_autoptr(GError) error = NULL;
    g_object_set (account, "outbound-proxy", "not a host!", NULL);
    g_assert_false (jarchi_account_validate (account, &error));
    g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  }
}

static void
test_enum_strings (void)
{
  JarchiTransport transport;
  JarchiDtmfMode mode;

  g_assert_cmpstr (jarchi_transport_to_string (JARCHI_TRANSPORT_TLS), ==, "tls");
  g_assert_true (jarchi_transport_from_string ("tcp", &transport));
  g_assert_cmpint (transport, ==, JARCHI_TRANSPORT_TCP);
  g_assert_false (jarchi_transport_from_string ("sctp", &transport));
  g_assert_cmpstr (jarchi_dtmf_mode_to_string (JARCHI_DTMF_MODE_INFO), ==, "info");
  g_assert_true (jarchi_dtmf_mode_from_string ("rfc4733", &mode));
  g_assert_cmpint (mode, ==, JARCHI_DTMF_MODE_RFC4733);
  g_assert_cmpstr (jarchi_registration_state_to_string (JARCHI_REGISTRATION_REGISTERING), ==,
                   "registering");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/account/properties", test_properties);
  g_test_add_func ("/account/no-password-leak", test_no_password_leak);
  g_test_add_func ("/account/validate", test_validate);
  g_test_add_func ("/account/enum-strings", test_enum_strings);

  return g_test_run ();
}
