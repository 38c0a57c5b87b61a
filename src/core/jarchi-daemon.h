/* JarchiDaemon: the headless application (engine + dashboard, no window). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "jarchi-service.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_DAEMON (jarchi_daemon_get_type ())
G_DECLARE_FINAL_TYPE (JarchiDaemon, jarchi_daemon, JARCHI, DAEMON, GApplication)

JarchiDaemon  *jarchi_daemon_new          (void);
JarchiService *jarchi_daemon_get_service  (JarchiDaemon *self);
int            jarchi_daemon_get_exit_status (JarchiDaemon *self);
int            jarchi_print_token         (const char   *data_dir);

G_END_DECLS
