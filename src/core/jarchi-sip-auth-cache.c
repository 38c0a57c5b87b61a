/* The SIP engine's digest challenge cache: credentials sent with the first INVITE of a call once the proxy has challenged one. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-sip"
#include "jarchi-config.h"

#include <string.h>

#include "jarchi-sip-engine-private.h"

/* Why: a proxy that asks for digest credentials challenges every call's first INVITE, and
 * libre 1.1 starts each session's authentication from nothing.  That is one INVITE, a 407
 * and an ACK more per call, and a completed transaction libre keeps 32 s (RFC 3261 timer D),
 * a quarter of a campaign call's memory.  RFC 2617 lets a client reuse a nonce with a growing
 * nonce count, so the last challenge an account's INVITE received is kept and the next calls
 * carry credentials for it.  When the server no longer takes that nonce (expired, or one
 * use only), it challenges again; libre then answers with its own credentials, which it
 * writes before ours, and proxies read the first credentials for their realm.  So a refused
 * nonce costs what every call cost before, and the new challenge replaces the cached one. */

struct _JarchiSipChallenge {
  char    *realm;
  char    *nonce;
  char    *opaque;
  gboolean proxy;    /* 407 Proxy-Authenticate, else 401 WWW-Authenticate */
  gboolean qop_auth;
  guint32  nc;
};

void
jarchi_sip_challenge_free (JarchiSipChallenge *chall)
{
  if (chall == NULL)
    return;
  g_free (chall->realm);
  g_free (chall->nonce);
  g_free (chall->opaque);
  g_free (chall);
}

static gboolean
pl_has_token (const struct pl *list,
              const char      *token)
{
  struct pl rest = *list, tok;

  while (re_regex (rest.p, rest.l, "[ \t,]*[^ \t,]+", NULL, &tok) == 0)
    {
      if (pl_strcasecmp (&tok, token) == 0)
        return TRUE;
      pl_advance (&rest, tok.p + tok.l - rest.p);
    }
  return FALSE;
}

static bool
challenge_hdr_handler (const struct sip_hdr *hdr,
                       const struct sip_msg *msg,
                       void                 *arg)
{
  JarchiSipChallenge **found = arg;
  struct httpauth_digest_chall ch;
  JarchiSipChallenge *chall;

  (void) msg;
  if (httpauth_digest_challenge_decode (&ch, &hdr->val) != 0)
    return false;
  /* libre and we can answer MD5 only; qop without "auth" (auth-int alone) is not for us. */
  if ((pl_isset (&ch.algorithm) && pl_strcasecmp (&ch.algorithm, "MD5") != 0) ||
      (pl_isset (&ch.qop) && !pl_has_token (&ch.qop, "auth")))
    return false;
  chall = g_new0 (JarchiSipChallenge, 1);
  chall->realm = jarchi_sip_dup_pl (&ch.realm);
  chall->nonce = jarchi_sip_dup_pl (&ch.nonce);
  chall->opaque = pl_isset (&ch.opaque) ? jarchi_sip_dup_pl (&ch.opaque) : NULL;
  chall->qop_auth = pl_isset (&ch.qop);
  *found = chall;
  return true;
}

static gboolean
has_aor (gpointer key,
         gpointer value,
         gpointer aor)
{
  return pl_strcmp (aor, ((JarchiSipAccount *) value)->cfg->aor) == 0;
}

/* Whether a request to URI from ACC goes to the account's own server: through its proxy or
 * registrar, or to a URI of its domain.  Credentials are not offered to anyone else (a
 * dialled sip:someone@elsewhere): a digest response for a known nonce is material for
 * guessing the password offline. */
static gboolean
goes_to_account_server (JarchiSipAccount *acc,
                        const struct pl  *uri)
{
  struct pl aor_pl;
  struct uri aor_uri, req_uri;

  if (acc->cfg->call_route != NULL)
    return TRUE;
  pl_set_str (&aor_pl, acc->cfg->aor);
  return uri_decode (&aor_uri, &aor_pl) == 0 && uri_decode (&req_uri, uri) == 0 &&
         pl_casecmp (&aor_uri.host, &req_uri.host) == 0 && aor_uri.port == req_uri.port;
}

/* Called for every SIP message received; costs a comparison unless it is a 401 or 407. */
void
jarchi_sip_challenge_trace_handler (bool               tx,
                                    enum sip_transp    tp,
                                    const struct sa   *src,
                                    const struct sa   *dst,
                                    const uint8_t     *pkt,
                                    size_t             len,
                                    void              *arg)
{
  JarchiSipStack *stack = arg;
  JarchiSipChallenge *found = NULL;
  struct sip_msg *msg = NULL;
  JarchiSipAccount *acc;
  struct mbuf *mb;
  gboolean proxy;

  (void) tp, (void) src, (void) dst;
  if (tx || len < 12 || memcmp (pkt, "SIP/2.0 40", 10) != 0 || (pkt[10] != '1' && pkt[10] != '7') ||
      pkt[11] != ' ' || stack->accounts == NULL)
    return;
  proxy = pkt[10] == '7';
  mb = mbuf_alloc (len);
  if (mb == NULL || mbuf_write_mem (mb, pkt, len) != 0)
    goto out;
  mb->pos = 0;
  if (sip_msg_decode (&msg, mb) != 0 || pl_strcmp (&msg->cseq.met, "INVITE") != 0)
    goto out;
  /* Only our accounts' challenges are kept (the table stays as small as the account list),
   * and only their own server's: a callee elsewhere may challenge too. */
  acc = g_hash_table_find (stack->accounts, has_aor, &msg->from.auri);
  if (acc == NULL || !goes_to_account_server (acc, &msg->to.auri))
    goto out;
  sip_msg_hdr_apply (msg, true, proxy ? SIP_HDR_PROXY_AUTHENTICATE : SIP_HDR_WWW_AUTHENTICATE,
                     challenge_hdr_handler, &found);
  if (found != NULL)
    {
      found->proxy = proxy;
      g_hash_table_replace (stack->challenges, g_strdup (acc->cfg->aor), found);
    }
out:
  mem_deref (msg);
  mem_deref (mb);
}

/* The credentials header for METHOD to URI from ACC with CREDS (see jarchi_sip_creds_new()),
 * or NULL when no challenge is known for ACC, there is no password, or URI is elsewhere. */
char *
jarchi_sip_challenge_credentials (JarchiSipStack   *stack,
                                  JarchiSipAccount *acc,
                                  const char       *method,
                                  const char       *uri,
                                  void             *creds)
{
  JarchiSipChallenge *chall;
  char *user = NULL, *password = NULL;
  uint8_t ha1[MD5_SIZE], ha2[MD5_SIZE], response[MD5_SIZE];
  uint64_t cnonce = rand_u64 ();
  char resp_hex[MD5_STR_SIZE];
  g_autofree char *qop = NULL;
  g_autofree char *opaque = NULL;
  char *hdr = NULL;
  struct pl uri_pl;
  int err;

  pl_set_str (&uri_pl, uri);
  chall = stack->challenges ? g_hash_table_lookup (stack->challenges, acc->cfg->aor) : NULL;
  if (chall == NULL || !goes_to_account_server (acc, &uri_pl) ||
      jarchi_sip_stack_auth_handler (&user, &password, chall->realm, creds) != 0)
    goto out;
  chall->nc++;
  err = md5_printf (ha1, "%s:%s:%s", user, chall->realm, password);
  err |= md5_printf (ha2, "%s:%s", method, uri);
  if (chall->qop_auth)
    err |= md5_printf (response, "%w:%s:%08x:%016llx:auth:%w", ha1, sizeof ha1, chall->nonce,
                       chall->nc, cnonce, ha2, sizeof ha2);
  else
    err |= md5_printf (response, "%w:%s:%w", ha1, sizeof ha1, chall->nonce, ha2, sizeof ha2);
  if (err)
    goto out;
  for (guint i = 0; i < MD5_SIZE; i++)
    g_snprintf (resp_hex + 2 * i, 3, "%02x", response[i]);
  if (chall->qop_auth)
    qop = g_strdup_printf (", cnonce=\"%016" G_GINT64_MODIFIER "x\", qop=auth, nc=%08x",
                           (guint64) cnonce, chall->nc);
  if (chall->opaque != NULL)
    opaque = g_strdup_printf (", opaque=\"%s\"", chall->opaque);
  hdr = g_strdup_printf ("%s: Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", "
                         "response=\"%s\"%s%s, algorithm=MD5\r\n",
                         chall->proxy ? "Proxy-Authorization" : "Authorization", user,
                         chall->realm, chall->nonce, uri, resp_hex, qop ? qop : "",
                         opaque ? opaque : "");
out:
  if (password != NULL)
    memset (password, 0, strlen (password));
  mem_deref (password);
  mem_deref (user);
  return hdr;
}
