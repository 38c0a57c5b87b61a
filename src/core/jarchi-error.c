/* Jarchi's GError domain. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-error.h"

G_DEFINE_QUARK (jarchi-error-quark, jarchi_error)
