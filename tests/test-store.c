/* Tests for JarchiStore: fresh schema, re-open, and refusing a database from a newer Jarchi. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "jarchi-error.h"
#include "jarchi-store.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("jarchi-store-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "jarchi.db", NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GFile) dir = g_file_new_for_path (f->dir);
  g_autoptr(GFileEnumerator) e = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                            0, NULL, NULL);
  GFileInfo *info;

  while (e && (info = g_file_enumerator_next_file (e, NULL, NULL)))
    {
      g_autofree char *p = g_build_filename (f->dir, g_file_info_get_name (info), NULL);
      g_unlink (p);
      g_object_unref (info);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static char *
query_text (JarchiStore *store, const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (store, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static void
test_fresh (Fixture *f, gconstpointer data)
{
  static const char * const tables[] = {
    "accounts", "contacts", "departments", "districts", "calls", "campaigns",
    "campaign_targets", "campaign_attempts", "media", "do_not_call", "schema_version",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiStore) store = jarchi_store_open (f->path, &error);
  g_autofree char *mode = NULL;
  g_autofree char *fk = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (jarchi_store_get_schema_version (store), ==, jarchi_store_get_latest_version ());

  for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autoptr(sqlite3_stmt) stmt =
        jarchi_store_prepare (store, "SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name=?1", &error);
      g_assert_no_error (error);
      sqlite3_bind_text (stmt, 1, tables[i], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_test_message ("table %s", tables[i]);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    }

  mode = query_text (store, "PRAGMA journal_mode;");
  g_assert_cmpstr (mode, ==, "wal");
  fk = query_text (store, "PRAGMA foreign_keys;");
  g_assert_cmpstr (fk, ==, "1");
}

static void
test_reopen_keeps_data (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *versions = NULL;

  {
    g_autoptr(JarchiStore) store = jarchi_store_open (f->path, &error);
    g_autoptr(sqlite3_stmt) stmt = NULL;

    g_assert_no_error (error);
    stmt = jarchi_store_prepare (store, "INSERT INTO departments (name) VALUES (?1);", &error);
    g_assert_no_error (error);
    /* Bound, never pasted: a quote in the value must be stored as is. */
    sqlite3_bind_text (stmt, 1, "Ta'lim bo'limi", -1, SQLITE_STATIC);
    g_assert_true (jarchi_store_step_done (store, stmt, &error));
    g_assert_no_error (error);
  }

  {
    g_autoptr(JarchiStore) store = jarchi_store_open (f->path, &error);

    g_assert_no_error (error);
    name = query_text (store, "SELECT name FROM departments;");
    g_assert_cmpstr (name, ==, "Ta'lim bo'limi");
    /* A re-open must not apply any migration twice. */
    versions = query_text (store, "SELECT COUNT(*) FROM schema_version;");
    g_assert_cmpint (atoi (versions), ==, jarchi_store_get_latest_version ());
  }
}

static void
test_foreign_keys_enforced (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiStore) store = jarchi_store_open (f->path, &error);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_no_error (error);
  stmt = jarchi_store_prepare (store,
                               "INSERT INTO campaign_targets (campaign_id, phone) VALUES (4242, '+998901234567');",
                               &error);
  g_assert_no_error (error);
  g_assert_false (jarchi_store_step_done (store, stmt, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE);
}

static void
test_refuse_newer (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len = 0, after_len = 0;
  sqlite3 *db = NULL;

  {
    g_autoptr(JarchiStore) store = jarchi_store_open (f->path, &error);
    g_assert_no_error (error);
  }

  /* Pretend a future Jarchi migrated this file; use plain rollback journaling so the file alone holds it. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode=DELETE; INSERT INTO schema_version VALUES (9999);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_true (g_file_get_contents (f->path, &before, &before_len, NULL));

  {
    g_autoptr(JarchiStore) store = jarchi_store_open (f->path, &error);
    g_assert_null (store);
    g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_SCHEMA_TOO_NEW);
    g_assert_nonnull (strstr (error->message, "newer"));
  }

  g_assert_true (g_file_get_contents (f->path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
}

static void
test_unwritable_path (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiStore) store = jarchi_store_open ("/nonexistent-dir/jarchi.db", &error);

  g_assert_null (store);
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/fresh", Fixture, NULL, fixture_setup, test_fresh, fixture_teardown);
  g_test_add ("/store/reopen", Fixture, NULL, fixture_setup, test_reopen_keeps_data, fixture_teardown);
  g_test_add ("/store/foreign-keys", Fixture, NULL, fixture_setup, test_foreign_keys_enforced, fixture_teardown);
  g_test_add ("/store/refuse-newer", Fixture, NULL, fixture_setup, test_refuse_newer, fixture_teardown);
  g_test_add_func ("/store/unwritable", test_unwritable_path);

  return g_test_run ();
}
