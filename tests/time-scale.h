/* Test helper: the factor every time bound of a test is multiplied by (JARCHI_TIMEOUT_SCALE). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

/* ./test.sh --sanitize runs everything several times slower and says by how much in
 * JARCHI_TIMEOUT_SCALE (the GUI tests read it too); every time bound is multiplied by it. */
static inline guint
test_time_scale (void)
{
  const char *text = g_getenv ("JARCHI_TIMEOUT_SCALE");
  guint64 scale = text != NULL ? g_ascii_strtoull (text, NULL, 10) : 1;

  return scale >= 1 && scale <= 100 ? (guint) scale : 1;
}
