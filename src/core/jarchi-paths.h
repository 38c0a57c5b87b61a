/* Where Jarchi keeps its state, and the lock that keeps two processes off one data directory. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *jarchi_paths_default_data_dir (void);
gboolean  jarchi_paths_ensure_data_dir  (const char  *data_dir,
                                         GError     **error);
int       jarchi_paths_lock_data_dir    (const char  *data_dir,
                                         GError     **error);

G_END_DECLS
