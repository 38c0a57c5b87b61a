/* Phone number normalisation: the one form Jarchi stores, compares and dials. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JARCHI_PHONE_MIN_DIGITS 3
#define JARCHI_PHONE_MAX_DIGITS 15

/*
 * Rules of jarchi_phone_normalize():
 *
 * - Leading and trailing white space is ignored.
 * - Formatting is removed: spaces (also no-break and thin spaces), tabs, '-', '.',
 *   '/', '(' and ')'. So "+998 90 123-45-67" and "+998 (90) 123.45.67" both
 *   become "+998901234567".
 * - One '+' is kept when it comes before every digit; a '+' anywhere else is refused.
 * - Anything else (letters, '*', '#', ',', non-ASCII digits...) is refused: a number
 *   with an extension or a typo must be fixed by a person, not guessed at.
 * - 3 to 15 digits (E.164 has at most 15), so internal extensions like "1001"
 *   are valid. A '+' number needs at least 7 digits.
 * - Digits are never rewritten: no country code is added and a national trunk
 *   prefix ("8 90 ...") is kept, because the organisation's PBX decides how a
 *   number is dialled. The result is exactly the digits that will be dialled.
 */
char     *jarchi_phone_normalize    (const char  *input,
                                     GError     **error);
gboolean  jarchi_phone_is_valid     (const char  *input);
gboolean  jarchi_phone_is_phone_like (const char *text);

G_END_DECLS
