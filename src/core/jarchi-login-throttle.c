/* JarchiLoginThrottle: counts failed dashboard logins per client address and locks an address out for a while. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-login-throttle.h"

/* Failures older than this are forgotten, so a typo a day never adds up to a lockout. */
#define FAILURE_WINDOW_US (15 * 60 * G_USEC_PER_SEC)
/* Each check runs Argon2id with 64 MiB: a handful at once is all a LAN dashboard needs,
 * and the cap keeps a flood of logins from many addresses from exhausting memory. */
#define MAX_IN_FLIGHT_TOTAL 2

#define DEFAULT_MAX_FAILURES 5
#define DEFAULT_LOCKOUT_US   (30 * G_USEC_PER_SEC)

typedef struct {
  guint  failures;
  guint  in_flight;
  gint64 last_failure;
  gint64 locked_until;
} Record;

struct _JarchiLoginThrottle
{
  GHashTable *records;   /* client address → Record */
  guint       in_flight;
  guint       max_failures;
  gint64      lockout_us;
};

JarchiLoginThrottle *
jarchi_login_throttle_new (void)
{
  JarchiLoginThrottle *self = g_new0 (JarchiLoginThrottle, 1);

  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->max_failures = DEFAULT_MAX_FAILURES;
  self->lockout_us = DEFAULT_LOCKOUT_US;
  return self;
}

void
jarchi_login_throttle_free (JarchiLoginThrottle *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->records);
  g_free (self);
}

void
jarchi_login_throttle_set_limits (JarchiLoginThrottle *self, guint max_failures, gint64 lockout_us)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_failures > 0);
  g_return_if_fail (lockout_us >= 0);

  self->max_failures = max_failures;
  self->lockout_us = lockout_us;
}

static gboolean
record_is_stale (gpointer key, gpointer value, gpointer user_data)
{
  Record *r = value;
  gint64 now_us = *(gint64 *) user_data;

  return r->in_flight == 0 && r->locked_until <= now_us
         && (r->failures == 0 || now_us - r->last_failure > FAILURE_WINDOW_US);
}

static guint
seconds_until (gint64 then_us, gint64 now_us)
{
  gint64 left = then_us - now_us;

  /* Rounded up: a client that waits exactly this long must not be refused again. */
  return (guint) MAX (1, (left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

JarchiLoginVerdict
jarchi_login_throttle_begin (JarchiLoginThrottle *self, const char *client, gint64 now_us,
                             guint *retry_after_s)
{
  Record *r;
  guint dummy;

  g_return_val_if_fail (self != NULL, JARCHI_LOGIN_BUSY);
  g_return_val_if_fail (client != NULL, JARCHI_LOGIN_BUSY);

  if (retry_after_s == NULL)
    retry_after_s = &dummy;
  *retry_after_s = 0;

  /* Pruning here, where records are made, keeps the table bounded without a timer. */
  g_hash_table_foreach_remove (self->records, record_is_stale, &now_us);

  r = g_hash_table_lookup (self->records, client);
  if (r != NULL && r->locked_until > now_us)
    {
      *retry_after_s = seconds_until (r->locked_until, now_us);
      return JARCHI_LOGIN_LOCKED_OUT;
    }
  /* One attempt at a time per address: otherwise a burst of parallel guesses would all
   * be checked before the first failure is counted. */
  if ((r != NULL && r->in_flight > 0) || self->in_flight >= MAX_IN_FLIGHT_TOTAL)
    {
      *retry_after_s = 1;
      return JARCHI_LOGIN_BUSY;
    }

  if (r == NULL)
    {
      r = g_new0 (Record, 1);
      g_hash_table_insert (self->records, g_strdup (client), r);
    }
  r->in_flight++;
  self->in_flight++;
  return JARCHI_LOGIN_ALLOWED;
}

void
jarchi_login_throttle_end (JarchiLoginThrottle *self, const char *client, gboolean success, gint64 now_us)
{
  Record *r;

  g_return_if_fail (self != NULL);
  g_return_if_fail (client != NULL);

  r = g_hash_table_lookup (self->records, client);
  g_return_if_fail (r != NULL && r->in_flight > 0);

  r->in_flight--;
  self->in_flight--;

  if (success)
    {
      r->failures = 0;
      return;
    }

  if (r->failures > 0 && now_us - r->last_failure > FAILURE_WINDOW_US)
    r->failures = 0;
  r->failures++;
  r->last_failure = now_us;
  if (r->failures >= self->max_failures)
    {
      r->locked_until = now_us + self->lockout_us;
      /* After the lockout the address gets a fresh set of attempts, not one at a time. */
      r->failures = 0;
    }
}

guint
jarchi_login_throttle_get_n_tracked (JarchiLoginThrottle *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return g_hash_table_size (self->records);
}
