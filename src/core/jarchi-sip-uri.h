/* SIP URI helpers for the GLib side: parsing and dial-string normalisation (no libre). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Splits sip:[user@]host[:port][;params][?headers] (or sips:).  Any out argument may be NULL;
 * port is 0 when absent.  Returns FALSE when URI is not such a URI. */
gboolean jarchi_sip_uri_parse     (const char  *uri,
                                   char       **scheme,
                                   char       **user,
                                   char       **host,
                                   guint       *port);

/* Turns what a person typed into a SIP URI: a sip:/sips: URI is kept, tel:+998... and bare
 * numbers (visual separators dropped) become sip:NUMBER@DEFAULT_DOMAIN, user@host gets the
 * sip: scheme.  JARCHI_ERROR_INVALID_ARGUMENT when INPUT cannot be dialled. */
char    *jarchi_sip_uri_normalize (const char  *input,
                                   const char  *default_domain,
                                   GError     **error);

G_END_DECLS
