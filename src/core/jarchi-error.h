/* Jarchi's GError domain, shared by every core and UI component. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JARCHI_ERROR (jarchi_error_quark ())

typedef enum {
  JARCHI_ERROR_FAILED,
  JARCHI_ERROR_INVALID_ARGUMENT,
  JARCHI_ERROR_NOT_FOUND,
  JARCHI_ERROR_IO,
  JARCHI_ERROR_DATABASE,
  JARCHI_ERROR_SCHEMA_TOO_NEW,
  JARCHI_ERROR_BUSY,
  JARCHI_ERROR_NETWORK,
  JARCHI_ERROR_MEDIA,
  JARCHI_ERROR_SIP,
  JARCHI_ERROR_AUTH,
  JARCHI_ERROR_UNSUPPORTED,
} JarchiError;

GQuark jarchi_error_quark (void);

G_END_DECLS
