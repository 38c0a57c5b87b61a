/* JarchiRateLimiter: a sliding-window log of recent events, exact for any window of one second. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <math.h>

#include "jarchi-rate-limiter.h"

/*
 * Why not a plain token bucket: with a bucket of B tokens refilled at r/s, any one-second
 * window may see B + r events, i.e. twice the setting when B = r, and a bucket of one token
 * loses throughput whenever the main loop is late. Remembering the last k = max(1, floor(r))
 * start times and allowing an event once the oldest is k/r seconds old gives at most k events
 * in any window of k/r seconds: for a whole r, never more than r in any second, while a late
 * loop may catch up within the window.
 */
struct _JarchiRateLimiter
{
  double  rate;
  GArray *starts;  /* gint64 µs, oldest first */
};

JarchiRateLimiter *
jarchi_rate_limiter_new (void)
{
  JarchiRateLimiter *self = g_new0 (JarchiRateLimiter, 1);

  self->rate = 1;
  self->starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  return self;
}

void
jarchi_rate_limiter_free (JarchiRateLimiter *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->starts);
  g_free (self);
}

void
jarchi_rate_limiter_set_rate (JarchiRateLimiter *self, double rate)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (rate > 0);
  self->rate = rate;
}

double
jarchi_rate_limiter_get_rate (JarchiRateLimiter *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rate;
}

static guint
window_size (JarchiRateLimiter *self)
{
  /* The epsilon keeps 10.0 from becoming 9 after arithmetic elsewhere. */
  double k = floor (self->rate + 1e-9);

  return k < 1 ? 1 : (guint) k;
}

/* A call is stamped a little before it reaches the wire; the guard keeps that jitter from
 * letting k + 1 calls into one window as seen by the receiver. */
#define GUARD_US 2000

static gint64
window_us (JarchiRateLimiter *self)
{
  return (gint64) ceil (window_size (self) / self->rate * G_USEC_PER_SEC) + GUARD_US;
}

static void
expire (JarchiRateLimiter *self, gint64 now_us)
{
  gint64 window = window_us (self);
  guint n = 0;

  while (n < self->starts->len && g_array_index (self->starts, gint64, n) + window <= now_us)
    n++;
  if (n > 0)
    g_array_remove_range (self->starts, 0, n);
}

guint
jarchi_rate_limiter_available (JarchiRateLimiter *self, gint64 now_us)
{
  guint k;

  g_return_val_if_fail (self != NULL, 0);

  expire (self, now_us);
  k = window_size (self);
  return self->starts->len >= k ? 0 : k - self->starts->len;
}

void
jarchi_rate_limiter_take (JarchiRateLimiter *self, gint64 now_us)
{
  g_return_if_fail (self != NULL);

  g_array_append_val (self->starts, now_us);
}

gint64
jarchi_rate_limiter_next_free (JarchiRateLimiter *self, gint64 now_us)
{
  guint k;

  g_return_val_if_fail (self != NULL, now_us);

  expire (self, now_us);
  k = window_size (self);
  if (self->starts->len < k)
    return now_us;
  /* After a rate drop more than k may be remembered: the one that must leave is k from the end. */
  return g_array_index (self->starts, gint64, self->starts->len - k) + window_us (self);
}
