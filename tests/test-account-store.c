/* Tests of JarchiAccountStore: accounts survive a restart and register again, passwords only in the 0600 secrets file, edits all-or-nothing. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <sys/stat.h>

#include "jarchi-account-store.h"
#include "jarchi-error.h"
#include "sip-lab.h"

#define PASSWORD "Xq7-secret-pass-1"

typedef struct {
  SipLab             *lab;
  char               *db_path;
  char               *secrets_path;
  JarchiStore        *store;
  JarchiCallManager  *manager;
  JarchiAccountStore *accounts;
  guint               kport;
} Fixture;

static void
open_all (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = jarchi_store_open (f->db_path, &error);
  g_assert_no_error (error);
  f->manager = jarchi_call_manager_new ("127.0.0.1", 0, f->lab->root, &error);
  g_assert_no_error (error);
  f->accounts = jarchi_account_store_new (f->store, f->manager, f->secrets_path, &error);
  g_assert_no_error (error);
}

static void
close_all (Fixture *f)
{
  g_clear_object (&f->accounts);
  if (f->manager != NULL)
    jarchi_call_manager_shutdown (f->manager);
  g_clear_object (&f->manager);
  g_clear_object (&f->store);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->lab = sip_lab_new (60);
  f->db_path = g_build_filename (f->lab->root, "jarchi.db", NULL);
  f->secrets_path = g_build_filename (f->lab->root, "account-secrets", NULL);
  if (GPOINTER_TO_INT (data))
    f->kport = sip_lab_kamailio (f->lab, "kam", TRUE);
  open_all (f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  close_all (f);
  g_free (f->db_path);
  g_free (f->secrets_path);
  sip_lab_free (f->lab);
}

static JarchiAccount *
new_account (Fixture *f, const char *user)
{
  g_autofree char *uri = g_strdup_printf ("sip:%s@127.0.0.1:%u", user, f->kport ? f->kport : 9);
  JarchiAccount *account = jarchi_account_new (0, uri);

  g_object_set (account, "password", PASSWORD, "display-name", "Operator One", "record", TRUE,
                "dtmf-mode", JARCHI_DTMF_MODE_INFO, "tls-verify", FALSE, "auto-answer", TRUE, NULL);
  return account;
}

static gboolean
is_registered (gpointer data)
{
  return jarchi_account_get_registration_state (data) == JARCHI_REGISTRATION_REGISTERED;
}

/* Nothing Jarchi wrote beside the secrets file may hold the password: database, WAL, journal. */
static void
assert_password_only_in_secrets (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->lab->root, 0, NULL);
  const char *name;
  guint checked = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->lab->root, name, NULL);
      g_autofree char *data = NULL;
      gsize len = 0;

      if (!g_str_has_prefix (name, "jarchi.db") || !g_file_get_contents (path, &data, &len, NULL))
        continue;
      checked++;
      g_assert_null (g_strstr_len (data, len, PASSWORD));
    }
  g_assert_cmpuint (checked, >=, 1);
}

static guint
secrets_mode (Fixture *f)
{
  struct stat st;

  g_assert_cmpint (stat (f->secrets_path, &st), ==, 0);
  return st.st_mode & 0777;
}

static char *
secrets_text (Fixture *f)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (f->secrets_path, &text, NULL, NULL));
  return text;
}

static guint
count_rows (Fixture *f)
{
  g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (f->store, "SELECT count(*) FROM accounts", NULL);

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return (guint) sqlite3_column_int (stmt, 0);
}

static void
test_persist_reload (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiAccount) account = new_account (f, "jarchi");
  g_autofree char *text = NULL;
  JarchiAccount *loaded;
  guint id;

  g_assert_true (jarchi_account_store_add (f->accounts, account, &error));
  g_assert_no_error (error);
  id = jarchi_account_get_id (account);
  g_assert_cmpuint (id, >, 0);
  g_assert_true (jarchi_call_manager_lookup_account (f->manager, id) == account);
  g_assert_true (sip_lab_wait (is_registered, account, 8000));

  /* The password is in the secrets file (0600) and nowhere in the database. */
  g_assert_cmpuint (secrets_mode (f), ==, 0600);
  text = secrets_text (f);
  g_assert_nonnull (strstr (text, PASSWORD));
  assert_password_only_in_secrets (f);

  /* A restart brings the account back, password included, and registers it again. */
  close_all (f);
  g_clear_object (&account);
  open_all (f);
  loaded = jarchi_call_manager_lookup_account (f->manager, id);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (jarchi_account_get_password (loaded), ==, PASSWORD);
  g_assert_cmpstr (jarchi_account_get_display_name (loaded), ==, "Operator One");
  g_assert_true (jarchi_account_get_record (loaded));
  g_assert_true (jarchi_account_get_auto_answer (loaded));
  g_assert_false (jarchi_account_get_tls_verify (loaded));
  g_assert_cmpint (jarchi_account_get_dtmf_mode (loaded), ==, JARCHI_DTMF_MODE_INFO);
  g_assert_true (sip_lab_wait (is_registered, loaded, 8000));
  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "lab_kamailio_registered \"$ROOT/kam\" jarchi"), ==, 0);
}

static void
test_update_all_or_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiAccount) account = new_account (f, "bob");
  g_autoptr(JarchiAccount) bad = NULL;
  g_autoptr(JarchiAccount) good = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *uri = NULL;
  guint id;

  g_assert_true (jarchi_account_store_add (f->accounts, account, &error));
  id = jarchi_account_get_id (account);
  uri = g_strdup (jarchi_account_get_uri (account));
  before = secrets_text (f);

  /* An invalid edit changes neither the live account, nor the row, nor the secrets. */
  bad = jarchi_account_store_dup_account (f->accounts, id, &error);
  g_assert_no_error (error);
  g_object_set (bad, "uri", "not a sip address", "password", "other", "display-name", "X", NULL);
  g_assert_false (jarchi_account_store_update (f->accounts, bad, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpstr (jarchi_account_get_uri (account), ==, uri);
  g_assert_cmpstr (jarchi_account_get_display_name (account), ==, "Operator One");
  after = secrets_text (f);
  g_assert_cmpstr (after, ==, before);

  /* A valid one reaches all three. */
  good = jarchi_account_store_dup_account (f->accounts, id, NULL);
  g_object_set (good, "display-name", "Desk 2", "password", "new-pass-2", "transport", JARCHI_TRANSPORT_TCP, NULL);
  g_assert_true (jarchi_account_store_update (f->accounts, good, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (jarchi_account_get_display_name (account), ==, "Desk 2");
  g_assert_cmpstr (jarchi_account_get_password (account), ==, "new-pass-2");
  g_clear_pointer (&after, g_free);
  after = secrets_text (f);
  g_assert_nonnull (strstr (after, "new-pass-2"));
  g_assert_null (strstr (after, PASSWORD));
  g_assert_cmpuint (secrets_mode (f), ==, 0600);
  {
    g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (f->store,
      "SELECT display_name, transport FROM accounts WHERE id = ?1", NULL);
    sqlite3_bind_int (stmt, 1, id);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "Desk 2");
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "tcp");
  }

  /* Unknown ids. */
  g_assert_null (jarchi_account_store_dup_account (f->accounts, 999, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (jarchi_account_store_remove (f->accounts, 999, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
}

static void
test_add_invalid_remove (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiAccount) bad = jarchi_account_new (0, "sip:@nowhere");
  g_autoptr(JarchiAccount) account = new_account (f, "carol");
  g_autofree char *text = NULL;
  guint id;

  g_object_set (bad, "password", "never-stored", NULL);
  g_assert_false (jarchi_account_store_add (f->accounts, bad, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (jarchi_account_get_id (bad), ==, 0);
  g_assert_cmpuint (count_rows (f), ==, 0);
  g_assert_false (g_file_test (f->secrets_path, G_FILE_TEST_EXISTS));

  g_assert_true (jarchi_account_store_add (f->accounts, account, &error));
  id = jarchi_account_get_id (account);
  g_assert_cmpuint (count_rows (f), ==, 1);
  g_assert_true (jarchi_account_store_remove (f->accounts, id, &error));
  g_assert_no_error (error);
  g_assert_null (jarchi_call_manager_lookup_account (f->manager, id));
  g_assert_cmpuint (count_rows (f), ==, 0);
  text = secrets_text (f);
  g_assert_null (strstr (text, PASSWORD));
  g_assert_cmpint (jarchi_account_get_registration_state (account), ==, JARCHI_REGISTRATION_UNREGISTERED);
}

static void
test_loose_secrets_tightened (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiAccount) account = new_account (f, "dave");
  JarchiAccount *loaded;
  guint id;

  g_assert_true (jarchi_account_store_add (f->accounts, account, &error));
  id = jarchi_account_get_id (account);
  close_all (f);
  g_assert_cmpint (chmod (f->secrets_path, 0644), ==, 0);
  open_all (f);
  g_assert_cmpuint (secrets_mode (f), ==, 0600);
  loaded = jarchi_call_manager_lookup_account (f->manager, id);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (jarchi_account_get_password (loaded), ==, PASSWORD);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* The lab's Kamailio checks this password. */
  g_setenv ("LAB_PASSWORD", PASSWORD, TRUE);

  g_test_add ("/account-store/persist-reload", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_persist_reload, fixture_teardown);
  g_test_add ("/account-store/update-all-or-nothing", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_update_all_or_nothing, fixture_teardown);
  g_test_add ("/account-store/add-invalid-remove", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_add_invalid_remove, fixture_teardown);
  g_test_add ("/account-store/loose-secrets-tightened", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_loose_secrets_tightened, fixture_teardown);
  return g_test_run ();
}
