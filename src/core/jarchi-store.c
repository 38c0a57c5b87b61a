/* JarchiStore: opens the SQLite database (WAL, foreign keys) and applies schema migrations. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-error.h"
#include "jarchi-store.h"

struct _JarchiStore
{
  GObject  parent_instance;
  sqlite3 *db;
  char    *path;
  int      schema_version;
};

G_DEFINE_FINAL_TYPE (JarchiStore, jarchi_store, G_TYPE_OBJECT)

/* Each entry moves the schema one version up and runs in its own transaction.
 * Never edit a released entry: append a new one instead. */
static const char * const migrations[] = {
  /* 1: the first schema, holding every table the skeleton's later issues need. */
  "CREATE TABLE accounts ("
  "  id INTEGER PRIMARY KEY,"
  "  uri TEXT NOT NULL,"
  "  display_name TEXT NOT NULL DEFAULT '',"
  "  registrar TEXT NOT NULL DEFAULT '',"
  "  username TEXT NOT NULL DEFAULT '',"
  "  transport TEXT NOT NULL DEFAULT 'udp' CHECK (transport IN ('udp','tcp','tls')),"
  "  outbound_proxy TEXT NOT NULL DEFAULT '',"
  "  auto_answer INTEGER NOT NULL DEFAULT 0,"
  "  record INTEGER NOT NULL DEFAULT 0,"
  "  dtmf_mode TEXT NOT NULL DEFAULT 'rfc4733' CHECK (dtmf_mode IN ('rfc4733','info')),"
  "  tls_verify INTEGER NOT NULL DEFAULT 1,"
  "  enabled INTEGER NOT NULL DEFAULT 1,"
  "  created_at INTEGER NOT NULL DEFAULT (unixepoch())"
  ");"
  "CREATE TABLE departments ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE"
  ");"
  "CREATE TABLE districts ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE"
  ");"
  "CREATE TABLE contacts ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  phone TEXT NOT NULL UNIQUE,"
  "  department_id INTEGER REFERENCES departments(id) ON DELETE SET NULL,"
  "  district_id INTEGER REFERENCES districts(id) ON DELETE SET NULL,"
  "  position TEXT NOT NULL DEFAULT '',"
  "  note TEXT NOT NULL DEFAULT '',"
  "  active INTEGER NOT NULL DEFAULT 1,"
  "  created_at INTEGER NOT NULL DEFAULT (unixepoch()),"
  "  updated_at INTEGER NOT NULL DEFAULT (unixepoch())"
  ");"
  "CREATE INDEX contacts_department ON contacts(department_id);"
  "CREATE INDEX contacts_district ON contacts(district_id);"
  "CREATE TABLE do_not_call ("
  "  phone TEXT PRIMARY KEY,"
  "  reason TEXT NOT NULL DEFAULT '',"
  "  added_at INTEGER NOT NULL DEFAULT (unixepoch())"
  ");"
  "CREATE TABLE media ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('upload','tts','recording')),"
  "  name TEXT NOT NULL DEFAULT '',"
  "  path TEXT NOT NULL,"
  "  text TEXT,"
  "  lang TEXT,"
  "  duration_ms INTEGER,"
  "  created_at INTEGER NOT NULL DEFAULT (unixepoch())"
  ");"
  "CREATE TABLE campaigns ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN"
  "    ('draft','scheduled','running','paused','completed','cancelled')),"
  "  account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,"
  "  media_id INTEGER REFERENCES media(id) ON DELETE RESTRICT,"
  "  config TEXT NOT NULL DEFAULT '{}',"
  "  max_concurrent INTEGER NOT NULL DEFAULT 10,"
  "  cps REAL NOT NULL DEFAULT 5,"
  "  ring_timeout_s INTEGER NOT NULL DEFAULT 30,"
  "  start_at INTEGER,"
  "  created_at INTEGER NOT NULL DEFAULT (unixepoch()),"
  "  started_at INTEGER,"
  "  ended_at INTEGER"
  ");"
  "CREATE TABLE campaign_targets ("
  "  id INTEGER PRIMARY KEY,"
  "  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,"
  "  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,"
  "  name TEXT NOT NULL DEFAULT '',"
  "  phone TEXT NOT NULL,"
  "  department TEXT NOT NULL DEFAULT '',"
  "  district TEXT NOT NULL DEFAULT '',"
  "  result TEXT NOT NULL DEFAULT 'pending',"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  last_code INTEGER,"
  "  digits TEXT NOT NULL DEFAULT '',"
  "  next_attempt_at INTEGER,"
  "  answered_at INTEGER,"
  "  ended_at INTEGER,"
  "  UNIQUE (campaign_id, phone)"
  ");"
  "CREATE INDEX campaign_targets_result ON campaign_targets(campaign_id, result);"
  "CREATE TABLE campaign_attempts ("
  "  id INTEGER PRIMARY KEY,"
  "  target_id INTEGER NOT NULL REFERENCES campaign_targets(id) ON DELETE CASCADE,"
  "  number INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'started',"
  "  result TEXT,"
  "  sip_code INTEGER,"
  "  digits TEXT NOT NULL DEFAULT '',"
  "  started_at INTEGER NOT NULL DEFAULT (unixepoch()),"
  "  answered_at INTEGER,"
  "  ended_at INTEGER,"
  "  UNIQUE (target_id, number)"
  ");"
  "CREATE TABLE calls ("
  "  id INTEGER PRIMARY KEY,"
  "  direction TEXT NOT NULL CHECK (direction IN ('incoming','outgoing')),"
  "  remote TEXT NOT NULL,"
  "  remote_name TEXT NOT NULL DEFAULT '',"
  "  account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,"
  "  started_at INTEGER NOT NULL,"
  "  answered_at INTEGER,"
  "  ended_at INTEGER,"
  "  result TEXT NOT NULL DEFAULT '',"
  "  sip_code INTEGER,"
  "  recording_path TEXT,"
  "  attempt_id INTEGER REFERENCES campaign_attempts(id) ON DELETE SET NULL"
  ");"
  "CREATE INDEX calls_started ON calls(started_at);"
  "CREATE INDEX calls_remote ON calls(remote);",
  /* 2: campaign attempts find their call-history row on every step; without this each
   * step scans the whole history. */
  "CREATE INDEX calls_attempt ON calls(attempt_id);",
  /* 3: dashboard logins survive a restart; the key is a hash of the cookie, never the cookie. */
  "CREATE TABLE dashboard_sessions ("
  "  key TEXT PRIMARY KEY,"
  "  csrf_token TEXT NOT NULL,"
  "  password_tag TEXT,"
  "  expires_at INTEGER NOT NULL"
  ");",
};

static void
jarchi_store_finalize (GObject *object)
{
  JarchiStore *self = JARCHI_STORE (object);

  /* v2 closes even with statements a caller forgot; they fail cleanly afterwards. */
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (jarchi_store_parent_class)->finalize (object);
}

static void
jarchi_store_class_init (JarchiStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jarchi_store_finalize;
}

static void
jarchi_store_init (JarchiStore *self)
{
}

static gboolean
set_db_error (JarchiStore *self, GError **error, const char *what)
{
  g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE,
               _("Database error while %s: %s"), what,
               self->db ? sqlite3_errmsg (self->db) : "out of memory");
  return FALSE;
}

static gboolean
exec_sql (JarchiStore *self, const char *sql, const char *what, GError **error)
{
  char *errmsg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &errmsg) != SQLITE_OK)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE,
                   _("Database error while %s: %s"), what,
                   errmsg ? errmsg : sqlite3_errmsg (self->db));
      sqlite3_free (errmsg);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_schema_version (JarchiStore *self, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!exec_sql (self,
                 "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);",
                 _("creating the schema version table"), error))
    return FALSE;

  stmt = jarchi_store_prepare (self, "SELECT MAX(version) FROM schema_version;", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return set_db_error (self, error, _("reading the schema version"));
  self->schema_version = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
apply_migration (JarchiStore *self, int version, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* IMMEDIATE takes the write lock up front so two processes cannot both migrate. */
  if (!exec_sql (self, "BEGIN IMMEDIATE;", _("starting a migration"), error))
    return FALSE;

  if (!exec_sql (self, migrations[version - 1], _("migrating the schema"), error))
    goto fail;

  stmt = jarchi_store_prepare (self, "INSERT INTO schema_version (version) VALUES (?1);", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int (stmt, 1, version);
  if (!jarchi_store_step_done (self, stmt, error))
    goto fail;

  if (!exec_sql (self, "COMMIT;", _("committing a migration"), error))
    goto fail;

  self->schema_version = version;
  return TRUE;

fail:
  sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
migrate (JarchiStore *self, GError **error)
{
  int latest = jarchi_store_get_latest_version ();

  if (!read_schema_version (self, error))
    return FALSE;

  if (self->schema_version > latest)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_SCHEMA_TOO_NEW,
                   _("The database %s was written by a newer Jarchi (schema %d, this version knows up to %d). "
                     "It was left untouched; please use a newer Jarchi."),
                   self->path, self->schema_version, latest);
      return FALSE;
    }

  for (int v = self->schema_version + 1; v <= latest; v++)
    if (!apply_migration (self, v, error))
      return FALSE;

  return TRUE;
}

/**
 * jarchi_store_open:
 * @path: database file, created when missing
 *
 * Opens the database and brings its schema up to date. A database written
 * by a newer Jarchi is refused without being modified.
 */
JarchiStore *
jarchi_store_open (const char *path, GError **error)
{
  g_autoptr(JarchiStore) self = g_object_new (JARCHI_TYPE_STORE, NULL);
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE,
                   _("Could not open the database %s: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  /* Another process (a crashed instance's successor) may hold the write lock briefly. */
  sqlite3_busy_timeout (self->db, 5000);

  /* Reading the version first keeps a too-new file byte-for-byte unchanged:
   * WAL mode is only switched on once we know we may write. */
  if (!exec_sql (self, "PRAGMA foreign_keys = ON;", _("enabling foreign keys"), error))
    return NULL;
  if (!migrate (self, error))
    return NULL;
  if (!exec_sql (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
                 _("enabling write-ahead logging"), error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
jarchi_store_get_path (JarchiStore *self)
{
  g_return_val_if_fail (JARCHI_IS_STORE (self), NULL);
  return self->path;
}

int
jarchi_store_get_schema_version (JarchiStore *self)
{
  g_return_val_if_fail (JARCHI_IS_STORE (self), 0);
  return self->schema_version;
}

int
jarchi_store_get_latest_version (void)
{
  return (int) G_N_ELEMENTS (migrations);
}

sqlite3 *
jarchi_store_get_db (JarchiStore *self)
{
  g_return_val_if_fail (JARCHI_IS_STORE (self), NULL);
  return self->db;
}

/**
 * jarchi_store_prepare:
 *
 * The one way SQL reaches the database: user input must be bound to the
 * returned statement's parameters, never pasted into @sql.
 */
sqlite3_stmt *
jarchi_store_prepare (JarchiStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (JARCHI_IS_STORE (self), NULL);

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error, _("preparing a query"));
      return NULL;
    }
  return stmt;
}

gboolean
jarchi_store_step_done (JarchiStore *self, sqlite3_stmt *stmt, GError **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_db_error (self, error, _("writing"));
  return TRUE;
}

gboolean
jarchi_store_begin (JarchiStore *self, GError **error)
{
  return exec_sql (self, "BEGIN IMMEDIATE;", _("starting a transaction"), error);
}

gboolean
jarchi_store_commit (JarchiStore *self, GError **error)
{
  if (exec_sql (self, "COMMIT;", _("committing"), error))
    return TRUE;
  jarchi_store_rollback (self);
  return FALSE;
}

void
jarchi_store_rollback (JarchiStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
}

gint64
jarchi_store_last_insert_id (JarchiStore *self)
{
  return sqlite3_last_insert_rowid (self->db);
}

char *
jarchi_store_like_pattern (const char *word)
{
  GString *p = g_string_new ("%");

  for (const char *s = word; *s; s++)
    {
      if (*s == '%' || *s == '_' || *s == '\\')
        g_string_append_c (p, '\\');
      g_string_append_c (p, *s);
    }
  g_string_append_c (p, '%');
  return g_string_free (p, FALSE);
}
