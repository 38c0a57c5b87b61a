/* JarchiDashboardSessions: the dashboard's browser sessions, kept in the store so they outlive a restart. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "jarchi-dashboard-sessions.h"
#include "jarchi-error.h"

/* Only a successful login makes a session, so this is far above any real use;
 * it only stops memory and the table growing without bound. */
#define MAX_SESSIONS 1024

typedef struct {
  char   *csrf_token;
  char   *password_tag;   /* the password it was made with; another one ends it */
  gint64  expires_at;     /* wall-clock µs: it is compared after a restart or reboot */
} Session;

struct _JarchiDashboardSessions
{
  GObject      parent_instance;
  GHashTable  *sessions;      /* SHA-256 of the session id → Session */
  JarchiStore *store;         /* NULL: memory only */
  char        *password_tag;
  guint        max_age_s;
};

G_DEFINE_FINAL_TYPE (JarchiDashboardSessions, jarchi_dashboard_sessions, G_TYPE_OBJECT)

static void
session_free (gpointer data)
{
  Session *s = data;

  sodium_memzero (s->csrf_token, strlen (s->csrf_token));
  g_free (s->csrf_token);
  g_free (s->password_tag);
  g_free (s);
}

static void
jarchi_dashboard_sessions_dispose (GObject *object)
{
  g_clear_object (&JARCHI_DASHBOARD_SESSIONS (object)->store);

  G_OBJECT_CLASS (jarchi_dashboard_sessions_parent_class)->dispose (object);
}

static void
jarchi_dashboard_sessions_finalize (GObject *object)
{
  JarchiDashboardSessions *self = JARCHI_DASHBOARD_SESSIONS (object);

  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->password_tag, g_free);

  G_OBJECT_CLASS (jarchi_dashboard_sessions_parent_class)->finalize (object);
}

static void
jarchi_dashboard_sessions_class_init (JarchiDashboardSessionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_dashboard_sessions_dispose;
  object_class->finalize = jarchi_dashboard_sessions_finalize;
}

static void
jarchi_dashboard_sessions_init (JarchiDashboardSessions *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, session_free);
}

JarchiDashboardSessions *
jarchi_dashboard_sessions_new (guint max_age_s)
{
  JarchiDashboardSessions *self = g_object_new (JARCHI_TYPE_DASHBOARD_SESSIONS, NULL);

  self->max_age_s = max_age_s;
  return self;
}

/* --- the table --- */

/* A session that cannot be written still works until the next restart; losing it then only
 * means logging in again, so this warns instead of refusing the login. */
static void
run_sql (JarchiDashboardSessions *self, const char *sql, const char *key, gint64 number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (self->store == NULL)
    return;
  stmt = jarchi_store_prepare (self->store, sql, &error);
  if (stmt != NULL)
    {
      if (key != NULL)
        sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      if (strstr (sql, "?2") != NULL)
        sqlite3_bind_int64 (stmt, 2, number);
      jarchi_store_step_done (self->store, stmt, &error);
    }
  if (error != NULL)
    g_warning ("Dashboard sessions: %s", error->message);
}

static void
forget (JarchiDashboardSessions *self, const char *key)
{
  run_sql (self, "DELETE FROM dashboard_sessions WHERE key = ?1", key, 0);
  g_hash_table_remove (self->sessions, key);
}

static void
save (JarchiDashboardSessions *self, const char *key, const Session *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (self->store == NULL)
    return;
  stmt = jarchi_store_prepare (self->store,
                               "INSERT OR REPLACE INTO dashboard_sessions (key, csrf_token, password_tag, expires_at) "
                               "VALUES (?1, ?2, ?3, ?4)", &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, s->csrf_token, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, s->password_tag, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, s->expires_at);
      jarchi_store_step_done (self->store, stmt, &error);
    }
  if (error != NULL)
    g_warning ("Dashboard sessions: %s", error->message);
}

/**
 * jarchi_dashboard_sessions_set_store:
 *
 * Loads the sessions saved by an earlier run (dropping expired ones) and saves every change
 * from now on, so a supervisor's browser stays logged in across a restart of Jarchi.
 */
gboolean
jarchi_dashboard_sessions_set_store (JarchiDashboardSessions *self, JarchiStore *store, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (JARCHI_IS_DASHBOARD_SESSIONS (self), FALSE);
  g_return_val_if_fail (JARCHI_IS_STORE (store), FALSE);
  g_return_val_if_fail (self->store == NULL, FALSE);

  self->store = g_object_ref (store);
  run_sql (self, "DELETE FROM dashboard_sessions WHERE expires_at <= ?2", NULL, g_get_real_time ());

  stmt = jarchi_store_prepare (store, "SELECT key, csrf_token, password_tag, expires_at FROM dashboard_sessions", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Session *s = g_new0 (Session, 1);

      s->csrf_token = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      s->password_tag = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      s->expires_at = sqlite3_column_int64 (stmt, 3);
      g_hash_table_replace (self->sessions, g_strdup ((const char *) sqlite3_column_text (stmt, 0)), s);
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE, _("Could not read the dashboard sessions: %s"),
                   sqlite3_errmsg (jarchi_store_get_db (store)));
      return FALSE;
    }
  return TRUE;
}

/* --- sessions --- */

/* Sessions are found by a hash of their id: a lookup's timing then says nothing useful
 * about the id, and neither memory nor the database holds a live cookie value. */
static char *
session_key (const char *session_id)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, session_id, -1);
}

static char *
random_hex (gsize n_bytes)
{
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  char *hex = g_malloc (n_bytes * 2 + 1);

  randombytes_buf (bytes, n_bytes);
  sodium_bin2hex (hex, n_bytes * 2 + 1, bytes, n_bytes);
  sodium_memzero (bytes, n_bytes);
  return hex;
}

/* Whoever changes the password logs every browser out: sessions made with another one end,
 * also those saved before a restart when the password was changed while Jarchi was not running. */
void
jarchi_dashboard_sessions_set_password_tag (JarchiDashboardSessions *self, const char *tag)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (JARCHI_IS_DASHBOARD_SESSIONS (self));

  g_free (self->password_tag);
  self->password_tag = g_strdup (tag);

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (tag == NULL || g_strcmp0 (((Session *) value)->password_tag, tag) != 0)
      {
        run_sql (self, "DELETE FROM dashboard_sessions WHERE key = ?1", key, 0);
        g_hash_table_iter_remove (&iter);
      }
}

void
jarchi_dashboard_sessions_set_max_age (JarchiDashboardSessions *self, guint max_age_s)
{
  g_return_if_fail (JARCHI_IS_DASHBOARD_SESSIONS (self));
  self->max_age_s = max_age_s;
}

guint
jarchi_dashboard_sessions_get_max_age (JarchiDashboardSessions *self)
{
  g_return_val_if_fail (JARCHI_IS_DASHBOARD_SESSIONS (self), 0);
  return self->max_age_s;
}

static void
drop_expired_and_oldest (JarchiDashboardSessions *self, gint64 now)
{
  GHashTableIter iter;
  gpointer key, value;
  const char *oldest = NULL;
  gint64 oldest_expiry = G_MAXINT64;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((Session *) value)->expires_at <= now)
      g_hash_table_iter_remove (&iter);
  run_sql (self, "DELETE FROM dashboard_sessions WHERE expires_at <= ?2", NULL, now);

  if (g_hash_table_size (self->sessions) < MAX_SESSIONS)
    return;
  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((Session *) value)->expires_at < oldest_expiry)
      {
        oldest = key;
        oldest_expiry = ((Session *) value)->expires_at;
      }
  if (oldest != NULL)
    forget (self, oldest);
}

/**
 * jarchi_dashboard_sessions_create:
 * @csrf_token: (out): the token state-changing requests of this session must carry
 *
 * Returns: (transfer full): the new session id, for the cookie
 */
char *
jarchi_dashboard_sessions_create (JarchiDashboardSessions *self, char **csrf_token)
{
  gint64 now = g_get_real_time ();
  char *id;
  Session *s;
  char *key;

  g_return_val_if_fail (JARCHI_IS_DASHBOARD_SESSIONS (self), NULL);
  g_return_val_if_fail (csrf_token != NULL, NULL);

  drop_expired_and_oldest (self, now);

  id = random_hex (JARCHI_DASHBOARD_SESSION_ID_BYTES);
  s = g_new0 (Session, 1);
  s->csrf_token = random_hex (JARCHI_DASHBOARD_SESSION_ID_BYTES);
  s->password_tag = g_strdup (self->password_tag);
  s->expires_at = now + (gint64) self->max_age_s * G_USEC_PER_SEC;
  key = session_key (id);
  g_hash_table_replace (self->sessions, key, s);
  save (self, key, s);
  *csrf_token = g_strdup (s->csrf_token);
  return id;
}

gboolean
jarchi_dashboard_sessions_lookup (JarchiDashboardSessions *self, const char *session_id,
                                  char **csrf_token, guint *expires_in_s)
{
  g_autofree char *key = NULL;
  gint64 now = g_get_real_time ();
  Session *s;

  g_return_val_if_fail (JARCHI_IS_DASHBOARD_SESSIONS (self), FALSE);

  if (session_id == NULL || strlen (session_id) != JARCHI_DASHBOARD_SESSION_ID_BYTES * 2)
    return FALSE;

  key = session_key (session_id);
  s = g_hash_table_lookup (self->sessions, key);
  if (s == NULL)
    return FALSE;
  if (s->expires_at <= now || g_strcmp0 (s->password_tag, self->password_tag) != 0)
    {
      forget (self, key);
      return FALSE;
    }
  if (csrf_token)
    *csrf_token = g_strdup (s->csrf_token);
  if (expires_in_s)
    *expires_in_s = (guint) ((s->expires_at - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  return TRUE;
}

void
jarchi_dashboard_sessions_drop (JarchiDashboardSessions *self, const char *session_id)
{
  g_autofree char *key = NULL;

  g_return_if_fail (JARCHI_IS_DASHBOARD_SESSIONS (self));

  if (session_id == NULL)
    return;
  key = session_key (session_id);
  forget (self, key);
}

guint
jarchi_dashboard_sessions_get_n (JarchiDashboardSessions *self)
{
  g_return_val_if_fail (JARCHI_IS_DASHBOARD_SESSIONS (self), 0);
  return g_hash_table_size (self->sessions);
}
