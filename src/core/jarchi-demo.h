/* Demo mode: loads the test lab's account and sample contacts written by tests/lab/demo.sh. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-service.h"

G_BEGIN_DECLS

gboolean jarchi_demo_load (JarchiService  *service,
                           const char     *env_path,
                           GError        **error);

G_END_DECLS
