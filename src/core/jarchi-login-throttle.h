/* JarchiLoginThrottle: per-client-address limits on dashboard login attempts (lockout after repeated failures). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  JARCHI_LOGIN_ALLOWED,
  JARCHI_LOGIN_LOCKED_OUT,  /* too many failures: wait for the lockout to end */
  JARCHI_LOGIN_BUSY,        /* an attempt from this address (or too many overall) is still being checked */
} JarchiLoginVerdict;

typedef struct _JarchiLoginThrottle JarchiLoginThrottle;

JarchiLoginThrottle *jarchi_login_throttle_new          (void);
void                 jarchi_login_throttle_free         (JarchiLoginThrottle *self);
void                 jarchi_login_throttle_set_limits   (JarchiLoginThrottle *self,
                                                         guint                max_failures,
                                                         gint64               lockout_us);
/* @now_us: any monotonic clock in microseconds. On anything but ALLOWED, @retry_after_s
 * says when to try again. ALLOWED must be paired with one jarchi_login_throttle_end(). */
JarchiLoginVerdict   jarchi_login_throttle_begin        (JarchiLoginThrottle *self,
                                                         const char          *client,
                                                         gint64               now_us,
                                                         guint               *retry_after_s);
void                 jarchi_login_throttle_end          (JarchiLoginThrottle *self,
                                                         const char          *client,
                                                         gboolean             success,
                                                         gint64               now_us);
guint                jarchi_login_throttle_get_n_tracked (JarchiLoginThrottle *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JarchiLoginThrottle, jarchi_login_throttle_free)

G_END_DECLS
