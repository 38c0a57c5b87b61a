/* JarchiRateLimiter: at most N events in any window of N/rate seconds — never more than `rate` per second, bursts allowed. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _JarchiRateLimiter JarchiRateLimiter;

JarchiRateLimiter *jarchi_rate_limiter_new       (void);
void               jarchi_rate_limiter_free      (JarchiRateLimiter *self);
/* Events per second (> 0); may change at any time, the past events still count. */
void               jarchi_rate_limiter_set_rate  (JarchiRateLimiter *self,
                                                  double             rate);
double             jarchi_rate_limiter_get_rate  (JarchiRateLimiter *self);
/* @now_us: any monotonic clock in microseconds. How many events may happen at @now_us. */
guint              jarchi_rate_limiter_available (JarchiRateLimiter *self,
                                                  gint64             now_us);
void               jarchi_rate_limiter_take      (JarchiRateLimiter *self,
                                                  gint64             now_us);
/* When the next event will be allowed (<= @now_us when one is allowed now). */
gint64             jarchi_rate_limiter_next_free (JarchiRateLimiter *self,
                                                  gint64             now_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JarchiRateLimiter, jarchi_rate_limiter_free)

G_END_DECLS
