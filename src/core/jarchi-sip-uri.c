/* SIP URI helpers for the GLib side: parsing and dial-string normalisation (no libre). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "jarchi-error.h"
#include "jarchi-sip-uri.h"

/* RFC 3261 user part: unreserved, escaped and user-unreserved characters. */
static gboolean
is_user_char (char c)
{
  return g_ascii_isalnum (c) || strchr ("-_.!~*'()%&=+$,;?/#", c) != NULL;
}

static gboolean
is_host_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.';
}

static gboolean
valid_host (const char *host)
{
  if (host == NULL || *host == '\0')
    return FALSE;
  if (host[0] == '[')
    {
      gsize len = strlen (host);
      if (len < 3 || host[len - 1] != ']')
        return FALSE;
      for (gsize i = 1; i + 1 < len; i++)
        if (!g_ascii_isxdigit (host[i]) && host[i] != ':' && host[i] != '.')
          return FALSE;
      return TRUE;
    }
  for (const char *p = host; *p; p++)
    if (!is_host_char (*p))
      return FALSE;
  return TRUE;
}

gboolean
jarchi_sip_uri_parse (const char  *uri,
                      char       **scheme,
                      char       **user,
                      char       **host,
                      guint       *port)
{
  const char *rest, *at, *end, *hp_end, *colon;
  g_autofree char *s = NULL;
  g_autofree char *u = NULL;
  g_autofree char *h = NULL;
  guint64 pnum = 0;

  if (uri == NULL)
    return FALSE;
  if (g_ascii_strncasecmp (uri, "sip:", 4) == 0)
    {
      s = g_strdup ("sip");
      rest = uri + 4;
    }
  else if (g_ascii_strncasecmp (uri, "sips:", 5) == 0)
    {
      s = g_strdup ("sips");
      rest = uri + 5;
    }
  else
    return FALSE;

  /* The host part ends at the first ';' or '?' after the user part. */
  at = strchr (rest, '@');
  if (at != NULL)
    {
      u = g_strndup (rest, at - rest);
      if (*u == '\0')
        return FALSE;
      for (const char *p = u; *p; p++)
        if (!is_user_char (*p) && *p != ':')
          return FALSE;
      rest = at + 1;
    }
  end = rest + strcspn (rest, ";?");
  hp_end = end;
  if (*rest == '[')
    {
      const char *close = memchr (rest, ']', end - rest);
      if (close == NULL)
        return FALSE;
      colon = (close + 1 < end && close[1] == ':') ? close + 1 : NULL;
    }
  else
    colon = memchr (rest, ':', end - rest);
  if (colon != NULL)
    {
      g_autofree char *pstr = g_strndup (colon + 1, end - colon - 1);
      if (!g_ascii_string_to_unsigned (pstr, 10, 1, 65535, &pnum, NULL))
        return FALSE;
      hp_end = colon;
    }
  h = g_strndup (rest, hp_end - rest);
  if (!valid_host (h))
    return FALSE;

  if (scheme)
    *scheme = g_steal_pointer (&s);
  if (user)
    *user = g_steal_pointer (&u);
  if (host)
    *host = g_steal_pointer (&h);
  if (port)
    *port = (guint) pnum;
  return TRUE;
}

/* Keeps digits, '+', '*' and '#'; drops the separators people type.  NULL when anything else
 * is found, i.e. the input is not a phone number. */
static char *
strip_number (const char *in)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = in; *p; p++)
    {
      if (g_ascii_isdigit (*p) || *p == '*' || *p == '#')
        g_string_append_c (out, *p);
      else if (*p == '+' && out->len == 0)
        g_string_append_c (out, *p);
      else if (strchr (" -.()/", *p) == NULL)
        return NULL;
    }
  if (out->len == 0 || (out->len == 1 && out->str[0] == '+'))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_plain_user (const char *in)
{
  gboolean alnum = FALSE;

  for (const char *p = in; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        alnum = TRUE;
      else if (strchr ("-_.!~*'+", *p) == NULL)
        return FALSE;
    }
  return alnum;
}

static char *
with_domain (const char  *user,
             const char  *domain,
             const char  *input,
             GError     **error)
{
  if (domain == NULL || *domain == '\0')
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("“%s” needs an account to dial, or a full address like sip:user@host"),
                   input);
      return NULL;
    }
  /* '#' starts a URI fragment: it must travel escaped in the user part. */
  if (strchr (user, '#') != NULL)
    {
      g_autoptr(GString) esc = g_string_new (NULL);
      for (const char *p = user; *p; p++)
        {
          if (*p == '#')
            g_string_append (esc, "%23");
          else
            g_string_append_c (esc, *p);
        }
      return g_strdup_printf ("sip:%s@%s", esc->str, domain);
    }
  return g_strdup_printf ("sip:%s@%s", user, domain);
}

char *
jarchi_sip_uri_normalize (const char  *input,
                          const char  *default_domain,
                          GError     **error)
{
  g_autofree char *in = NULL;
  g_autofree char *number = NULL;

  if (input == NULL)
    goto invalid;
  in = g_strstrip (g_strdup (input));
  if (*in == '\0')
    goto invalid;
  for (const char *p = in; *p; p++)
    if ((guchar) *p < 0x20 || (guchar) *p >= 0x7f || strchr ("<>\"", *p) != NULL)
      goto invalid;

  if (g_ascii_strncasecmp (in, "sip:", 4) == 0 || g_ascii_strncasecmp (in, "sips:", 5) == 0)
    {
      if (!jarchi_sip_uri_parse (in, NULL, NULL, NULL, NULL))
        goto invalid;
      return g_steal_pointer (&in);
    }

  if (g_ascii_strncasecmp (in, "tel:", 4) == 0)
    {
      /* tel: parameters (";phone-context=...") are not carried over. */
      g_autofree char *num = g_strndup (in + 4, strcspn (in + 4, ";"));
      number = strip_number (num);
      if (number == NULL)
        goto invalid;
      return with_domain (number, default_domain, input, error);
    }

  /* user@host; a colon before the '@' would be some other scheme (mailto:...). */
  if (strchr (in, '@') != NULL && memchr (in, ':', strchr (in, '@') - in) == NULL)
    {
      g_autofree char *uri = g_strconcat ("sip:", in, NULL);
      if (!jarchi_sip_uri_parse (uri, NULL, NULL, NULL, NULL))
        goto invalid;
      return g_steal_pointer (&uri);
    }

  number = strip_number (in);
  if (number != NULL)
    return with_domain (number, default_domain, input, error);
  if (is_plain_user (in))
    return with_domain (in, default_domain, input, error);

invalid:
  g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a phone number or SIP address"), input ? input : "");
  return NULL;
}
