/* JarchiDashboardAuth: API token (0600 file), Argon2id password, browser sessions, login throttling, TLS identity. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sys/stat.h>

#include "jarchi-dashboard-auth.h"
#include "jarchi-dashboard-sessions.h"
#include "jarchi-error.h"

#define TOKEN_FILE    "dashboard-token"
#define PASSWORD_FILE "dashboard-password"
#define TOKEN_BYTES   24

typedef struct {
  gboolean exists;
  dev_t    dev;
  ino_t    ino;
  off_t    size;
  gint64   mtime_ns;
} FileStamp;

struct _JarchiDashboardAuth
{
  GObject              parent_instance;
  char                *data_dir;
  char                *token;
  char                *password_path;
  char                *password_hash;   /* NULL: no password set */
  FileStamp            password_stamp;
  gboolean             password_loaded;
  JarchiDashboardSessions *sessions;
  JarchiLoginThrottle *throttle;
  guint                max_failures;
  guint                lockout_ms;
  GTlsCertificate     *tls_certificate;
};

G_DEFINE_FINAL_TYPE (JarchiDashboardAuth, jarchi_dashboard_auth, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATA_DIR,
  PROP_HAS_PASSWORD,
  PROP_SESSION_MAX_AGE,
  PROP_LOGIN_MAX_FAILURES,
  PROP_LOGIN_LOCKOUT_MS,
  PROP_TLS_CERTIFICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wipe_string (char **s)
{
  if (*s != NULL)
    sodium_memzero (*s, strlen (*s));
  g_clear_pointer (s, g_free);
}

static void
jarchi_dashboard_auth_dispose (GObject *object)
{
  g_clear_object (&JARCHI_DASHBOARD_AUTH (object)->tls_certificate);
  g_clear_object (&JARCHI_DASHBOARD_AUTH (object)->sessions);

  G_OBJECT_CLASS (jarchi_dashboard_auth_parent_class)->dispose (object);
}

static void
jarchi_dashboard_auth_finalize (GObject *object)
{
  JarchiDashboardAuth *self = JARCHI_DASHBOARD_AUTH (object);

  wipe_string (&self->token);
  g_clear_pointer (&self->password_hash, g_free);
  g_clear_pointer (&self->password_path, g_free);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->throttle, jarchi_login_throttle_free);

  G_OBJECT_CLASS (jarchi_dashboard_auth_parent_class)->finalize (object);
}

static void
jarchi_dashboard_auth_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiDashboardAuth *self = JARCHI_DASHBOARD_AUTH (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;
    case PROP_HAS_PASSWORD:
      g_value_set_boolean (value, jarchi_dashboard_auth_has_password (self));
      break;
    case PROP_SESSION_MAX_AGE:
      g_value_set_uint (value, jarchi_dashboard_sessions_get_max_age (self->sessions));
      break;
    case PROP_LOGIN_MAX_FAILURES:
      g_value_set_uint (value, self->max_failures);
      break;
    case PROP_LOGIN_LOCKOUT_MS:
      g_value_set_uint (value, self->lockout_ms);
      break;
    case PROP_TLS_CERTIFICATE:
      g_value_set_object (value, self->tls_certificate);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_dashboard_auth_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiDashboardAuth *self = JARCHI_DASHBOARD_AUTH (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_free (self->data_dir);
      self->data_dir = g_value_dup_string (value);
      break;
    case PROP_SESSION_MAX_AGE:
      jarchi_dashboard_sessions_set_max_age (self->sessions, g_value_get_uint (value));
      break;
    case PROP_LOGIN_MAX_FAILURES:
      self->max_failures = g_value_get_uint (value);
      jarchi_login_throttle_set_limits (self->throttle, self->max_failures,
                                        (gint64) self->lockout_ms * 1000);
      break;
    case PROP_LOGIN_LOCKOUT_MS:
      self->lockout_ms = g_value_get_uint (value);
      jarchi_login_throttle_set_limits (self->throttle, self->max_failures,
                                        (gint64) self->lockout_ms * 1000);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_dashboard_auth_class_init (JarchiDashboardAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_dashboard_auth_dispose;
  object_class->finalize = jarchi_dashboard_auth_finalize;
  object_class->get_property = jarchi_dashboard_auth_get_property;
  object_class->set_property = jarchi_dashboard_auth_set_property;

  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_PASSWORD] =
    g_param_spec_boolean ("has-password", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SESSION_MAX_AGE] =
    g_param_spec_uint ("session-max-age", NULL, NULL, 1, G_MAXINT32, JARCHI_DASHBOARD_SESSION_MAX_AGE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOGIN_MAX_FAILURES] =
    g_param_spec_uint ("login-max-failures", NULL, NULL, 1, G_MAXUINT, 5,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOGIN_LOCKOUT_MS] =
    g_param_spec_uint ("login-lockout-ms", NULL, NULL, 0, G_MAXUINT, 30000,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TLS_CERTIFICATE] =
    g_param_spec_object ("tls-certificate", NULL, NULL, G_TYPE_TLS_CERTIFICATE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Idempotent and thread-safe; every later libsodium call relies on it. */
  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
}

static void
jarchi_dashboard_auth_init (JarchiDashboardAuth *self)
{
  self->sessions = jarchi_dashboard_sessions_new (JARCHI_DASHBOARD_SESSION_MAX_AGE);
  self->throttle = jarchi_login_throttle_new ();
}

/* The length may leak, the content may not: every byte is always compared. */
gboolean
jarchi_secure_str_equal (const char *a, const char *b)
{
  gsize la, lb;
  guchar diff;

  if (a == NULL || b == NULL)
    return FALSE;

  la = strlen (a);
  lb = strlen (b);
  diff = (la != lb);
  for (gsize i = 0; i < lb; i++)
    diff |= (guchar) b[i] ^ (guchar) (i < la ? a[i] : 0);
  return diff == 0;
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

/* Created 0600 from the start and renamed into place, so a secret is never readable by
 * others, even briefly, and a crash never leaves half a file. */
static gboolean
write_private_file (const char *path, const char *contents, const char *what, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, contents, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_IO, "%s: %s", what, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static char *
load_or_create_token (const char *data_dir, GError **error)
{
  g_autofree char *path = g_build_filename (data_dir, TOKEN_FILE, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *token = NULL;

  if (g_file_get_contents (path, &contents, NULL, NULL))
    {
      g_strstrip (contents);
      if (strlen (contents) >= 16)
        {
          /* Tighten a file that someone loosened by hand. */
          g_chmod (path, 0600);
          return g_steal_pointer (&contents);
        }
    }

  token = random_hex (TOKEN_BYTES);
  if (!write_private_file (path, token, _("Could not save the dashboard token"), error))
    return NULL;
  return g_steal_pointer (&token);
}

/**
 * jarchi_dashboard_auth_new:
 * @data_dir: where the token and password files live
 *
 * The token comes from `JARCHI_DASHBOARD_TOKEN` when set, else from the data
 * directory, where one is generated on first run.
 */
JarchiDashboardAuth *
jarchi_dashboard_auth_new (const char *data_dir, GError **error)
{
  g_autoptr(JarchiDashboardAuth) self = NULL;
  const char *env = g_getenv ("JARCHI_DASHBOARD_TOKEN");

  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (JARCHI_TYPE_DASHBOARD_AUTH, "data-dir", data_dir, NULL);
  self->password_path = g_build_filename (data_dir, PASSWORD_FILE, NULL);

  if (env != NULL && *env != '\0')
    {
      if (strlen (env) < 16)
        {
          g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                       _("JARCHI_DASHBOARD_TOKEN must be at least 16 characters long"));
          return NULL;
        }
      self->token = g_strdup (env);
    }
  else
    {
      self->token = load_or_create_token (data_dir, error);
      if (self->token == NULL)
        return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
jarchi_dashboard_auth_get_token (JarchiDashboardAuth *self)
{
  g_return_val_if_fail (JARCHI_IS_DASHBOARD_AUTH (self), NULL);
  return self->token;
}

gboolean
jarchi_dashboard_auth_check_bearer (JarchiDashboardAuth *self, const char *authorization)
{
  g_return_val_if_fail (JARCHI_IS_DASHBOARD_AUTH (self), FALSE);

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return FALSE;
  authorization += 7;
  while (*authorization == ' ')
    authorization++;
  return jarchi_secure_str_equal (authorization, self->token);
}

/**
 * jarchi_dashboard_auth_set_tls_files:
 * @cert_file: a PEM certificate (chain)
 * @key_file: its PEM private key
 *
 * Web servers created with this object afterwards speak HTTPS and WSS only.
 */
gboolean
jarchi_dashboard_auth_set_tls_files (JarchiDashboardAuth *self, const char *cert_file,
                                     const char *key_file, GError **error)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (JARCHI_IS_DASHBOARD_AUTH (self), FALSE);
  g_return_val_if_fail (cert_file != NULL && key_file != NULL, FALSE);

  certificate = g_tls_certificate_new_from_files (cert_file, key_file, &local_error);
  if (certificate == NULL)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("Could not load the dashboard's TLS certificate “%s” and key “%s”: %s"),
                   cert_file, key_file, local_error->message);
      return FALSE;
    }
  if (g_set_object (&self->tls_certificate, certificate))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_CERTIFICATE]);
  return TRUE;
}

GTlsCertificate *
jarchi_dashboard_auth_get_tls_certificate (JarchiDashboardAuth *self)
{
  g_return_val_if_fail (JARCHI_IS_DASHBOARD_AUTH (self), NULL);
  return self->tls_certificate;
}

/* --- password --- */

static gboolean
check_new_password (const char *password, GError **error)
{
  if (password == NULL || *password == '\0')
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("The dashboard password must not be empty"));
      return FALSE;
    }
  if (strlen (password) > JARCHI_DASHBOARD_PASSWORD_MAX_BYTES)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("The dashboard password is too long (at most %d bytes)"),
                   JARCHI_DASHBOARD_PASSWORD_MAX_BYTES);
      return FALSE;
    }
  /* The login page sends JSON, which can only carry text: anything else could never be typed there. */
  if (!g_utf8_validate (password, -1, NULL))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("The dashboard password must be valid UTF-8 text"));
      return FALSE;
    }
  return TRUE;
}

/**
 * jarchi_dashboard_password_save:
 * @data_dir: an existing data directory
 * @password: the new password (UTF-8, not empty)
 *
 * Stores an Argon2id hash of @password with mode 0600. Needs no running Jarchi and
 * takes no lock: a running one notices the new file by itself.
 */
gboolean
jarchi_dashboard_password_save (const char *data_dir, const char *password, GError **error)
{
  char hash[crypto_pwhash_STRBYTES];
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;

  g_return_val_if_fail (data_dir != NULL, FALSE);

  if (!check_new_password (password, error))
    return FALSE;
  if (sodium_init () < 0)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_FAILED, _("libsodium could not be initialised"));
      return FALSE;
    }
  if (crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_FAILED,
                   _("Could not hash the dashboard password: out of memory"));
      return FALSE;
    }

  path = g_build_filename (data_dir, PASSWORD_FILE, NULL);
  contents = g_strconcat (hash, "\n", NULL);
  return write_private_file (path, contents, _("Could not save the dashboard password"), error);
}

static gboolean
stamp_equal (const FileStamp *a, const FileStamp *b)
{
  return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino
         && a->size == b->size && a->mtime_ns == b->mtime_ns;
}

static char *
read_password_hash (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("Could not read %s: %s", path, error->message);
      return NULL;
    }
  g_strstrip (contents);
  if (!g_str_has_prefix (contents, crypto_pwhash_STRPREFIX) || strlen (contents) >= crypto_pwhash_STRBYTES)
    {
      g_warning ("%s holds no Argon2id hash; dashboard login stays disabled", path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

/* Sessions remember which password they were made with (a digest of its salted hash), so a
 * password changed while Jarchi was not running still ends the sessions saved before. */
static void
update_password_tag (JarchiDashboardAuth *self)
{
  g_autofree char *tag = NULL;

  if (self->password_hash != NULL)
    tag = g_compute_checksum_for_string (G_CHECKSUM_SHA256, self->password_hash, -1);
  jarchi_dashboard_sessions_set_password_tag (self->sessions, tag);
}

/* A password set from the command line, by another process, takes effect here without
 * a restart: the file's identity is checked on every use and it is read again when it changed. */
static void
reload_password (JarchiDashboardAuth *self)
{
  FileStamp stamp = { 0 };
  struct stat st;
  char *hash = NULL;
  gboolean had_password;

  if (stat (self->password_path, &st) == 0)
    {
      stamp.exists = TRUE;
      stamp.dev = st.st_dev;
      stamp.ino = st.st_ino;
      stamp.size = st.st_size;
      stamp.mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
    }
  if (self->password_loaded && stamp_equal (&stamp, &self->password_stamp))
    return;
  self->password_stamp = stamp;
  self->password_loaded = TRUE;

  if (stamp.exists)
    hash = read_password_hash (self->password_path);
  if (g_strcmp0 (hash, self->password_hash) == 0)
    {
      g_free (hash);
      return;
    }

  had_password = self->password_hash != NULL;
  g_free (self->password_hash);
  self->password_hash = hash;
  update_password_tag (self);
  if (had_password != (hash != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_PASSWORD]);
}

gboolean
jarchi_dashboard_auth_has_password (JarchiDashboardAuth *self)
{
  g_return_val_if_fail (JARCHI_IS_DASHBOARD_AUTH (self), FALSE);

  reload_password (self);
  return self->password_hash != NULL;
}

/**
 * jarchi_dashboard_auth_set_password:
 *
 * Like jarchi_dashboard_password_save() for this object's data directory. Hashing takes a
 * noticeable fraction of a second by design. Existing browser sessions end.
 */
gboolean
jarchi_dashboard_auth_set_password (JarchiDashboardAuth *self, const char *password, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_DASHBOARD_AUTH (self), FALSE);

  if (!jarchi_dashboard_password_save (self->data_dir, password, error))
    return FALSE;
  reload_password (self);
  return TRUE;
}

typedef struct {
  char *hash;
  char *password;
} VerifyData;

static void
verify_data_free (gpointer data)
{
  VerifyData *d = data;

  g_free (d->hash);
  wipe_string (&d->password);
  g_free (d);
}

static void
verify_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  VerifyData *d = task_data;

  if (crypto_pwhash_str_verify (d->hash, d->password, strlen (d->password)) == 0)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, JARCHI_ERROR, JARCHI_ERROR_AUTH, "%s", _("The password is wrong"));
}

/**
 * jarchi_dashboard_auth_verify_password_async:
 *
 * Checks @password against the stored hash in a worker thread (Argon2id is slow on
 * purpose). Fails with %JARCHI_ERROR_AUTH for a wrong password and with
 * %JARCHI_ERROR_NOT_FOUND when no password is set.
 */
void
jarchi_dashboard_auth_verify_password_async (JarchiDashboardAuth *self,
                                             const char          *password,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  VerifyData *d;

  g_return_if_fail (JARCHI_IS_DASHBOARD_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jarchi_dashboard_auth_verify_password_async);

  reload_password (self);
  if (self->password_hash == NULL)
    {
      g_task_return_new_error (task, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, "%s",
                               _("No dashboard password is set"));
      return;
    }
  /* Never stored that long, so it cannot match: no need to spend a hash on it. */
  if (password == NULL || strlen (password) > JARCHI_DASHBOARD_PASSWORD_MAX_BYTES)
    {
      g_task_return_new_error (task, JARCHI_ERROR, JARCHI_ERROR_AUTH, "%s", _("The password is wrong"));
      return;
    }

  d = g_new0 (VerifyData, 1);
  d->hash = g_strdup (self->password_hash);
  d->password = g_strdup (password);
  g_task_set_task_data (task, d, verify_data_free);
  g_task_run_in_thread (task, verify_thread);
}

gboolean
jarchi_dashboard_auth_verify_password_finish (JarchiDashboardAuth *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- login throttling --- */

JarchiLoginVerdict
jarchi_dashboard_auth_begin_login (JarchiDashboardAuth *self, const char *client, guint *retry_after_s)
{
  g_return_val_if_fail (JARCHI_IS_DASHBOARD_AUTH (self), JARCHI_LOGIN_BUSY);
  return jarchi_login_throttle_begin (self->throttle, client, g_get_monotonic_time (), retry_after_s);
}

void
jarchi_dashboard_auth_end_login (JarchiDashboardAuth *self, const char *client, gboolean success)
{
  g_return_if_fail (JARCHI_IS_DASHBOARD_AUTH (self));
  jarchi_login_throttle_end (self->throttle, client, success, g_get_monotonic_time ());
}

/* --- sessions --- */

/**
 * jarchi_dashboard_auth_set_store:
 *
 * Keeps browser sessions in @store, so they outlive a restart.
 */
gboolean
jarchi_dashboard_auth_set_store (JarchiDashboardAuth *self, JarchiStore *store, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_DASHBOARD_AUTH (self), FALSE);

  if (!jarchi_dashboard_sessions_set_store (self->sessions, store, error))
    return FALSE;
  /* Saved sessions of another password end now, not at their first use. */
  self->password_loaded = FALSE;
  reload_password (self);
  update_password_tag (self);
  return TRUE;
}

char *
jarchi_dashboard_auth_create_session (JarchiDashboardAuth *self, char **csrf_token)
{
  g_return_val_if_fail (JARCHI_IS_DASHBOARD_AUTH (self), NULL);
  reload_password (self);
  return jarchi_dashboard_sessions_create (self->sessions, csrf_token);
}

gboolean
jarchi_dashboard_auth_lookup_session (JarchiDashboardAuth *self, const char *session_id,
                                      char **csrf_token, guint *expires_in_s)
{
  g_return_val_if_fail (JARCHI_IS_DASHBOARD_AUTH (self), FALSE);
  reload_password (self);
  return jarchi_dashboard_sessions_lookup (self->sessions, session_id, csrf_token, expires_in_s);
}

void
jarchi_dashboard_auth_drop_session (JarchiDashboardAuth *self, const char *session_id)
{
  g_return_if_fail (JARCHI_IS_DASHBOARD_AUTH (self));
  jarchi_dashboard_sessions_drop (self->sessions, session_id);
}

guint
jarchi_dashboard_auth_get_n_sessions (JarchiDashboardAuth *self)
{
  g_return_val_if_fail (JARCHI_IS_DASHBOARD_AUTH (self), 0);
  return jarchi_dashboard_sessions_get_n (self->sessions);
}

guint
jarchi_dashboard_auth_get_session_max_age (JarchiDashboardAuth *self)
{
  g_return_val_if_fail (JARCHI_IS_DASHBOARD_AUTH (self), 0);
  return jarchi_dashboard_sessions_get_max_age (self->sessions);
}
