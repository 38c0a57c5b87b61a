/* Phone number normalisation: strips formatting, keeps a leading '+', checks the digit count. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-error.h"
#include "jarchi-phone.h"

#define MIN_INTERNATIONAL_DIGITS 7

static gboolean
is_separator (gunichar c)
{
  switch (c)
    {
    case ' ': case '\t': case '-': case '.': case '/': case '(': case ')':
    case 0x00A0: /* no-break space (spreadsheets love it) */
    case 0x2007: /* figure space */
    case 0x202F: /* narrow no-break space */
    case 0x2009: /* thin space */
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2212: /* dashes, minus */
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * jarchi_phone_normalize:
 * @input: a phone number as a person typed it
 *
 * Returns: (transfer full): the number in Jarchi's stored form (see the rules in
 *   jarchi-phone.h), or %NULL with @error set to %JARCHI_ERROR_INVALID_ARGUMENT
 *   and a message fit for an import report.
 */
char *
jarchi_phone_normalize (const char *input, GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean plus = FALSE;
  guint digits = 0;

  if (input == NULL || !g_utf8_validate (input, -1, NULL))
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                           _("the phone number is not valid text"));
      return NULL;
    }

  for (const char *p = input; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= '0' && c <= '9')
        {
          g_string_append_c (out, (char) c);
          digits++;
        }
      else if (c == '+')
        {
          if (plus || digits > 0)
            {
              g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                                   _("a “+” may only come at the start of a phone number"));
              return NULL;
            }
          plus = TRUE;
          g_string_append_c (out, '+');
        }
      else if (!is_separator (c))
        {
          char ch[8] = { 0 };

          g_unichar_to_utf8 (c, ch);
          g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                       _("the phone number contains “%s”; only digits, spaces, “+”, “-”, “.” and brackets are allowed"),
                       g_unichar_isprint (c) ? ch : "?");
          return NULL;
        }
    }

  if (digits == 0)
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                           _("the phone number is missing"));
      return NULL;
    }
  if (digits < (plus ? MIN_INTERNATIONAL_DIGITS : JARCHI_PHONE_MIN_DIGITS))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("the phone number has too few digits (%u)"), digits);
      return NULL;
    }
  if (digits > JARCHI_PHONE_MAX_DIGITS)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("the phone number has too many digits (%u, at most %d)"),
                   digits, JARCHI_PHONE_MAX_DIGITS);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
jarchi_phone_is_valid (const char *input)
{
  g_autofree char *normalized = jarchi_phone_normalize (input, NULL);

  return normalized != NULL;
}

/**
 * jarchi_phone_is_phone_like:
 *
 * Whether @text looks like (part of) a phone number rather than a name: only
 * digits, '+' and formatting, with at least one digit. Searches use it to
 * compare digits only.
 */
gboolean
jarchi_phone_is_phone_like (const char *text)
{
  gboolean any_digit = FALSE;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= '0' && c <= '9')
        any_digit = TRUE;
      else if (c != '+' && !is_separator (c))
        return FALSE;
    }
  return any_digit;
}
