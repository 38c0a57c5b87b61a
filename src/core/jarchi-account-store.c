/* JarchiAccountStore: the SIP accounts kept in table accounts (passwords in a 0600 file beside it) and registered in the call manager. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-accounts"
#include "jarchi-config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "jarchi-account-store.h"
#include "jarchi-error.h"

#define ACCOUNT_COLUMNS \
  "id, uri, display_name, registrar, username, transport, outbound_proxy, auto_answer, record, " \
  "dtmf_mode, tls_verify"

struct _JarchiAccountStore
{
  GObject            parent_instance;
  JarchiStore       *store;
  JarchiCallManager *manager;
  char              *secrets_path;
  GKeyFile          *secrets;   /* what the file holds now */
};

G_DEFINE_FINAL_TYPE (JarchiAccountStore, jarchi_account_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_MANAGER,
  PROP_SECRETS_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The settings an edit copies; registration state is the live account's own. */
static const char * const setting_names[] = {
  "uri", "display-name", "registrar", "username", "password", "transport", "outbound-proxy",
  "auto-answer", "record", "dtmf-mode", "tls-verify", "expires", "keepalive-interval",
};

static void
copy_settings (JarchiAccount *from, JarchiAccount *to)
{
  g_object_freeze_notify (G_OBJECT (to));
  for (gsize i = 0; i < G_N_ELEMENTS (setting_names); i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_object_get_property (G_OBJECT (from), setting_names[i], &value);
      g_object_set_property (G_OBJECT (to), setting_names[i], &value);
      /* The GValue's copy of the password is freed without being wiped: keep that short. */
    }
  g_object_thaw_notify (G_OBJECT (to));
}

/* ---- the secrets file ------------------------------------------------------------------------ */

static char *
secret_group (guint id)
{
  return g_strdup_printf ("account %u", id);
}

static const char *
column_text (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? text : "";
}

static gboolean
load_secrets (JarchiAccountStore *self, GError **error)
{
  g_autoptr(GError) local = NULL;
  GStatBuf st;

  self->secrets = g_key_file_new ();
  if (g_stat (self->secrets_path, &st) != 0)
    return TRUE;
  /* A file someone loosened (a restore, a copy) is made private again before it is read. */
  if ((st.st_mode & 0077) != 0 && g_chmod (self->secrets_path, 0600) != 0)
    {
      int saved = errno;
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO, _("Could not make %s private: %s"),
                   self->secrets_path, g_strerror (saved));
      return FALSE;
    }
  if (!g_key_file_load_from_file (self->secrets, self->secrets_path, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO, _("Could not read the account passwords in %s: %s"),
                   self->secrets_path, local->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_secrets (JarchiAccountStore *self, GKeyFile *secrets, GError **error)
{
  g_autoptr(GError) local = NULL;
  gsize len = 0;
  char *data = g_key_file_to_data (secrets, &len, NULL);
  gboolean ok;

  ok = g_file_set_contents_full (self->secrets_path, data, (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local);
  memset (data, 0, len);
  g_free (data);
  if (!ok)
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO, _("Could not save the account passwords: %s"),
                 local->message);
  return ok;
}

/* A copy of the current secrets with account @id's password set (NULL or "": removed). */
static GKeyFile *
secrets_with (JarchiAccountStore *self, guint id, const char *password)
{
  g_autoptr(GKeyFile) copy = g_key_file_new ();
  g_autofree char *group = secret_group (id);
  gsize len = 0;
  char *data = g_key_file_to_data (self->secrets, &len, NULL);

  (void) g_key_file_load_from_data (copy, data, len, G_KEY_FILE_NONE, NULL);
  memset (data, 0, len);
  g_free (data);
  if (password != NULL && *password != '\0')
    g_key_file_set_string (copy, group, "password", password);
  else
    (void) g_key_file_remove_group (copy, group, NULL);
  return g_steal_pointer (&copy);
}

static char *
stored_password (JarchiAccountStore *self, guint id)
{
  g_autofree char *group = secret_group (id);

  return g_key_file_get_string (self->secrets, group, "password", NULL);
}

/* Puts the file back to what memory says it holds, after a later step failed. */
static void
restore_secrets (JarchiAccountStore *self)
{
  g_autoptr(GError) error = NULL;

  if (!write_secrets (self, self->secrets, &error))
    g_warning ("%s", error->message);
}

/* ---- rows ------------------------------------------------------------------------------------ */

static void
bind_settings (sqlite3_stmt *stmt, JarchiAccount *a)
{
  sqlite3_bind_text (stmt, 2, jarchi_account_get_uri (a), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, jarchi_account_get_display_name (a), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, jarchi_account_get_registrar (a), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, jarchi_account_get_username (a), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, jarchi_transport_to_string (jarchi_account_get_transport (a)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, jarchi_account_get_outbound_proxy (a), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 8, jarchi_account_get_auto_answer (a));
  sqlite3_bind_int (stmt, 9, jarchi_account_get_record (a));
  sqlite3_bind_text (stmt, 10, jarchi_dtmf_mode_to_string (jarchi_account_get_dtmf_mode (a)), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 11, jarchi_account_get_tls_verify (a));
}

static JarchiAccount *
account_from_row (JarchiAccountStore *self, sqlite3_stmt *stmt)
{
  guint id = (guint) sqlite3_column_int64 (stmt, 0);
  g_autoptr(JarchiAccount) account = jarchi_account_new (id, column_text (stmt, 1));
  JarchiTransport transport = JARCHI_TRANSPORT_UDP;
  JarchiDtmfMode dtmf = JARCHI_DTMF_MODE_RFC4733;
  char *password = stored_password (self, id);

  (void) jarchi_transport_from_string (column_text (stmt, 5), &transport);
  (void) jarchi_dtmf_mode_from_string (column_text (stmt, 9), &dtmf);
  g_object_set (account,
                "display-name", column_text (stmt, 2),
                "registrar", column_text (stmt, 3),
                "username", column_text (stmt, 4),
                "password", password ? password : "",
                "transport", transport,
                "outbound-proxy", column_text (stmt, 6),
                "auto-answer", sqlite3_column_int (stmt, 7) != 0,
                "record", sqlite3_column_int (stmt, 8) != 0,
                "dtmf-mode", dtmf,
                "tls-verify", sqlite3_column_int (stmt, 10) != 0,
                NULL);
  if (password != NULL)
    memset (password, 0, strlen (password));
  g_free (password);
  return g_steal_pointer (&account);
}

static gboolean
load_accounts (JarchiAccountStore *self, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = jarchi_store_prepare (self->store, "SELECT " ACCOUNT_COLUMNS " FROM accounts ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JarchiAccount) account = account_from_row (self, stmt);
      g_autoptr(GError) local = NULL;

      if (!jarchi_call_manager_add_account (self->manager, account, &local))
        g_message ("Account %u (%s) is not used: %s", jarchi_account_get_id (account),
                   jarchi_account_get_uri (account), local->message);
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE, _("Database error while reading the accounts: %s"),
                   sqlite3_errmsg (jarchi_store_get_db (self->store)));
      return FALSE;
    }
  return TRUE;
}

/* ---- changes --------------------------------------------------------------------------------- */

gboolean
jarchi_account_store_add (JarchiAccountStore *self, JarchiAccount *account, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GKeyFile) secrets = NULL;
  gint64 id;

  g_return_val_if_fail (JARCHI_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (JARCHI_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (jarchi_account_get_id (account) == 0, FALSE);

  if (!jarchi_account_validate (account, error))
    return FALSE;
  if (!jarchi_store_begin (self->store, error))
    return FALSE;
  stmt = jarchi_store_prepare (self->store,
    "INSERT INTO accounts (id, uri, display_name, registrar, username, transport, outbound_proxy, "
    "auto_answer, record, dtmf_mode, tls_verify) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_null (stmt, 1);
  bind_settings (stmt, account);
  if (!jarchi_store_step_done (self->store, stmt, error))
    goto rollback;
  id = jarchi_store_last_insert_id (self->store);
  if (id <= 0 || id >= G_MAXUINT)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE, _("The accounts table is out of ids"));
      goto rollback;
    }

  secrets = secrets_with (self, (guint) id, jarchi_account_get_password (account));
  if (!write_secrets (self, secrets, error))
    goto rollback;
  jarchi_account_set_id (account, (guint) id);
  if (!jarchi_call_manager_add_account (self->manager, account, error))
    {
      jarchi_account_set_id (account, 0);
      restore_secrets (self);
      goto rollback;
    }
  if (!jarchi_store_commit (self->store, error))
    {
      (void) jarchi_call_manager_remove_account (self->manager, (guint) id, NULL);
      jarchi_account_set_id (account, 0);
      restore_secrets (self);
      return FALSE;
    }
  g_key_file_unref (self->secrets);
  self->secrets = g_steal_pointer (&secrets);
  return TRUE;

rollback:
  jarchi_store_rollback (self->store);
  return FALSE;
}

JarchiAccount *
jarchi_account_store_dup_account (JarchiAccountStore *self, guint id, GError **error)
{
  JarchiAccount *live;
  JarchiAccount *copy;

  g_return_val_if_fail (JARCHI_IS_ACCOUNT_STORE (self), NULL);

  live = jarchi_call_manager_lookup_account (self->manager, id);
  if (live == NULL)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, _("There is no account %u"), id);
      return NULL;
    }
  copy = jarchi_account_new (id, jarchi_account_get_uri (live));
  copy_settings (live, copy);
  return copy;
}

gboolean
jarchi_account_store_update (JarchiAccountStore *self, JarchiAccount *edited, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GKeyFile) secrets = NULL;
  JarchiAccount *live;
  guint id;
  gboolean password_changed;

  g_return_val_if_fail (JARCHI_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (JARCHI_IS_ACCOUNT (edited), FALSE);

  id = jarchi_account_get_id (edited);
  live = jarchi_call_manager_lookup_account (self->manager, id);
  if (live == NULL)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, _("There is no account %u"), id);
      return FALSE;
    }
  if (!jarchi_account_validate (edited, error))
    return FALSE;

  if (!jarchi_store_begin (self->store, error))
    return FALSE;
  stmt = jarchi_store_prepare (self->store,
    "UPDATE accounts SET uri = ?2, display_name = ?3, registrar = ?4, username = ?5, transport = ?6, "
    "outbound_proxy = ?7, auto_answer = ?8, record = ?9, dtmf_mode = ?10, tls_verify = ?11 WHERE id = ?1", error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_int64 (stmt, 1, id);
  bind_settings (stmt, edited);
  if (!jarchi_store_step_done (self->store, stmt, error))
    goto rollback;

  password_changed = g_strcmp0 (jarchi_account_get_password (edited), jarchi_account_get_password (live)) != 0;
  if (password_changed)
    {
      secrets = secrets_with (self, id, jarchi_account_get_password (edited));
      if (!write_secrets (self, secrets, error))
        goto rollback;
    }
  if (!jarchi_store_commit (self->store, error))
    {
      if (password_changed)
        restore_secrets (self);
      return FALSE;
    }
  if (secrets != NULL)
    {
      g_key_file_unref (self->secrets);
      self->secrets = g_steal_pointer (&secrets);
    }
  copy_settings (edited, live);
  return TRUE;

rollback:
  jarchi_store_rollback (self->store);
  return FALSE;
}

gboolean
jarchi_account_store_remove (JarchiAccountStore *self, guint id, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GKeyFile) secrets = NULL;

  g_return_val_if_fail (JARCHI_IS_ACCOUNT_STORE (self), FALSE);

  if (jarchi_call_manager_lookup_account (self->manager, id) == NULL)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, _("There is no account %u"), id);
      return FALSE;
    }
  if (!jarchi_store_begin (self->store, error))
    return FALSE;
  stmt = jarchi_store_prepare (self->store, "DELETE FROM accounts WHERE id = ?1", error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!jarchi_store_step_done (self->store, stmt, error))
    goto rollback;
  secrets = secrets_with (self, id, NULL);
  if (!write_secrets (self, secrets, error))
    goto rollback;
  if (!jarchi_store_commit (self->store, error))
    {
      restore_secrets (self);
      return FALSE;
    }
  g_key_file_unref (self->secrets);
  self->secrets = g_steal_pointer (&secrets);
  return jarchi_call_manager_remove_account (self->manager, id, error);

rollback:
  jarchi_store_rollback (self->store);
  return FALSE;
}

/* ---- GObject --------------------------------------------------------------------------------- */

JarchiCallManager *
jarchi_account_store_get_manager (JarchiAccountStore *self)
{
  g_return_val_if_fail (JARCHI_IS_ACCOUNT_STORE (self), NULL);
  return self->manager;
}

const char *
jarchi_account_store_get_secrets_path (JarchiAccountStore *self)
{
  g_return_val_if_fail (JARCHI_IS_ACCOUNT_STORE (self), NULL);
  return self->secrets_path;
}

static void
jarchi_account_store_dispose (GObject *object)
{
  JarchiAccountStore *self = JARCHI_ACCOUNT_STORE (object);

  g_clear_object (&self->manager);
  g_clear_object (&self->store);
  g_clear_pointer (&self->secrets, g_key_file_unref);

  G_OBJECT_CLASS (jarchi_account_store_parent_class)->dispose (object);
}

static void
jarchi_account_store_finalize (GObject *object)
{
  g_clear_pointer (&JARCHI_ACCOUNT_STORE (object)->secrets_path, g_free);
  G_OBJECT_CLASS (jarchi_account_store_parent_class)->finalize (object);
}

static void
jarchi_account_store_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiAccountStore *self = JARCHI_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_MANAGER: g_value_set_object (value, self->manager); break;
    case PROP_SECRETS_PATH: g_value_set_string (value, self->secrets_path); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_account_store_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiAccountStore *self = JARCHI_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case PROP_STORE: self->store = g_value_dup_object (value); break;
    case PROP_MANAGER: self->manager = g_value_dup_object (value); break;
    case PROP_SECRETS_PATH: self->secrets_path = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_account_store_class_init (JarchiAccountStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = jarchi_account_store_dispose;
  object_class->finalize = jarchi_account_store_finalize;
  object_class->get_property = jarchi_account_store_get_property;
  object_class->set_property = jarchi_account_store_set_property;

  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, JARCHI_TYPE_STORE, co);
  properties[PROP_MANAGER] = g_param_spec_object ("manager", NULL, NULL, JARCHI_TYPE_CALL_MANAGER, co);
  properties[PROP_SECRETS_PATH] = g_param_spec_string ("secrets-path", NULL, NULL, NULL, co);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_account_store_init (JarchiAccountStore *self)
{
}

JarchiAccountStore *
jarchi_account_store_new (JarchiStore *store, JarchiCallManager *manager, const char *secrets_path,
                          GError **error)
{
  g_autoptr(JarchiAccountStore) self = NULL;

  g_return_val_if_fail (JARCHI_IS_STORE (store), NULL);
  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (manager), NULL);
  g_return_val_if_fail (secrets_path != NULL, NULL);

  self = g_object_new (JARCHI_TYPE_ACCOUNT_STORE, "store", store, "manager", manager,
                       "secrets-path", secrets_path, NULL);
  if (!load_secrets (self, error) || !load_accounts (self, error))
    return NULL;
  return g_steal_pointer (&self);
}
