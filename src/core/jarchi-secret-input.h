/* Reads a secret line: from the terminal without echo, or the first line of a non-terminal standard input. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  jarchi_secret_input_is_terminal (void);
/* @prompt goes to standard error, and only when standard input is a terminal. The line
 * end is removed; an empty string at end of input. Free with jarchi_secret_free(). */
char     *jarchi_secret_read_line         (const char  *prompt,
                                           gsize        max_bytes,
                                           GError     **error);
void      jarchi_secret_free              (char        *secret);

/* g_autoptr(JarchiSecret) wipes the secret's bytes before freeing them. */
typedef char JarchiSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JarchiSecret, jarchi_secret_free)

G_END_DECLS
