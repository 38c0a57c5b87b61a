/* Account registration for the SIP engine (libre thread only): REGISTER, probes, retries. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-sip-engine-private.h"

/* A REGISTER or probe left unanswered this long means the registrar is unreachable.  UDP
 * retransmissions (0.5 s, 1.5 s, 3.5 s after sending) still reach a registrar that comes
 * back meanwhile. */
#define REGISTER_DEADLINE_MS 4000
#define PROBE_DEADLINE_MS    2500
/* While the registrar is unreachable, try again quickly so that we are registered within a
 * few seconds of its return; other failures (wrong password...) back off to a minute. */
#define NETWORK_RETRY_MAX_MS 2000
#define RETRY_MAX_MS         60000

static void register_now (JarchiSipAccount *acc);

static void
emit_state (JarchiSipAccount *acc)
{
  JarchiSipEvent *ev = jarchi_sip_event_new (JARCHI_SIP_EV_REGISTRATION, acc->cfg->id);

  ev->state = acc->state;
  ev->code = acc->state == JARCHI_REGISTRATION_REGISTERED ? acc->granted : 0;
  ev->str = g_strdup (acc->error);
  jarchi_sip_stack_emit (acc->stack, ev);
}

static void
set_state (JarchiSipAccount        *acc,
           JarchiRegistrationState  state,
           const char              *error)
{
  if (acc->state == state && g_strcmp0 (acc->error, error) == 0)
    return;
  acc->state = state;
  g_free (acc->error);
  acc->error = g_strdup (error);
  emit_state (acc);
}

static void
retry_handler (void *arg)
{
  register_now (arg);
}

static void
probe_handler (void *arg);

static void
fail (JarchiSipAccount *acc,
      gboolean          network,
      const char       *reason)
{
  guint delay;

  tmr_cancel (&acc->deadline_tmr);
  tmr_cancel (&acc->probe_tmr);
  acc->probe = mem_deref (acc->probe);
  /* The failed client keeps retrying on its own schedule (15 s and up): drop it; its
   * response handler ignores callbacks once acc->reg is no longer it. */
  acc->reg = mem_deref (acc->reg);
  acc->granted = 0;
  acc->failures++;

  if (network)
    delay = MIN (1000u << MIN (acc->failures - 1, 4u), NETWORK_RETRY_MAX_MS);
  else
    delay = MIN (2000u << MIN (acc->failures - 1, 5u), RETRY_MAX_MS);
  set_state (acc, JARCHI_REGISTRATION_FAILED, reason);
  g_debug ("account %u: registration failed (%s), retry in %u ms", acc->cfg->id, reason, delay);
  tmr_start (&acc->retry_tmr, delay, retry_handler, acc);
}

static char *
describe_error (JarchiSipAccount *acc,
                int               err)
{
  char buf[128];

  /* libre reports a failed TLS handshake (most often: certificate not trusted) as EPROTO. */
  if (err == EPROTO && acc->cfg->transport == JARCHI_TRANSPORT_TLS)
    return g_strdup (_("TLS handshake failed (server certificate not trusted?)"));
  switch (err)
    {
    case ETIMEDOUT: return g_strdup (_("timeout"));
    case ECONNREFUSED: return g_strdup (_("connection refused"));
    case ECONNRESET:
    case ECONNABORTED: return g_strdup (_("connection lost"));
    case EHOSTUNREACH:
    case ENETUNREACH: return g_strdup (_("network unreachable"));
    case EDESTADDRREQ: return g_strdup (_("registrar address not found"));
    default:
      return g_strdup_printf (_("network error: %s"), str_error (err, buf, sizeof buf));
    }
}

static void
probe_resp_handler (int                   err,
                    const struct sip_msg *msg,
                    void                 *arg)
{
  JarchiSipAccount *acc = arg;

  tmr_cancel (&acc->deadline_tmr);
  /* Any answer, even an error, shows the registrar is there. */
  if (err)
    {
      g_autofree char *reason = describe_error (acc, err);
      fail (acc, TRUE, reason);
      return;
    }
  if (acc->cfg->keepalive > 0 && acc->state == JARCHI_REGISTRATION_REGISTERED)
    tmr_start (&acc->probe_tmr, acc->cfg->keepalive * 1000, probe_handler, acc);
}

static void
deadline_handler (void *arg)
{
  fail (arg, TRUE, _("timeout"));
}

static void
probe_handler (void *arg)
{
  JarchiSipAccount *acc = arg;
  int err;

  struct uri route;
  struct pl pl;

  acc->probe = mem_deref (acc->probe);
  if (acc->route != NULL)
    {
      pl_set_str (&pl, acc->route);
      if (uri_decode (&route, &pl) != 0)
        acc->route = (g_free (acc->route), NULL);
    }
  err = sip_requestf (&acc->probe, acc->stack->sip, true, "OPTIONS", acc->cfg->registrar,
                      acc->route ? &route : NULL, NULL, NULL, probe_resp_handler, acc,
                      "%s%s%s"
                      "To: <%s>\r\n"
                      "From: <%s>;tag=%016llx\r\n"
                      "Call-ID: %016llx\r\n"
                      "CSeq: 1 OPTIONS\r\n"
                      "Content-Length: 0\r\n"
                      "\r\n",
                      acc->route ? "Route: <" : "", acc->route ? acc->route : "",
                      acc->route ? ">\r\n" : "",
                      acc->cfg->registrar, acc->cfg->aor, (unsigned long long) rand_u64 (),
                      (unsigned long long) rand_u64 ());
  if (err)
    {
      g_autofree char *reason = describe_error (acc, err);
      fail (acc, TRUE, reason);
      return;
    }
  tmr_start (&acc->deadline_tmr, PROBE_DEADLINE_MS, deadline_handler, acc);
}

static void
reg_resp_handler (int                   err,
                  const struct sip_msg *msg,
                  void                 *arg)
{
  JarchiSipAccount *acc = arg;

  tmr_cancel (&acc->deadline_tmr);
  if (acc->reg == NULL)
    return;

  if (err)
    {
      g_autofree char *reason = describe_error (acc, err);
      fail (acc, TRUE, reason);
      return;
    }

  if (msg->scode >= 200 && msg->scode < 300)
    {
      acc->failures = 0;
      acc->granted = sipreg_proxy_expires (acc->reg);
      if (acc->granted == 0)
        acc->granted = acc->cfg->expires;
      tmr_cancel (&acc->retry_tmr);
      if (acc->state != JARCHI_REGISTRATION_REGISTERED)
        set_state (acc, JARCHI_REGISTRATION_REGISTERED, NULL);
      else
        emit_state (acc);
      if (acc->cfg->keepalive > 0 && !tmr_isrunning (&acc->probe_tmr) && acc->probe == NULL)
        tmr_start (&acc->probe_tmr, acc->cfg->keepalive * 1000, probe_handler, acc);
      return;
    }

  if (msg->scode == 401 || msg->scode == 407)
    fail (acc, FALSE, *acc->cfg->password ? _("wrong password") : _("password required"));
  else
    {
      g_autofree char *reason = g_strdup_printf ("%u %.*s", msg->scode,
                                                 (int) msg->reason.l, msg->reason.p);
      /* 408/503 from a proxy mean the registrar behind it is unreachable. */
      fail (acc, msg->scode == 408 || msg->scode == 503, reason);
    }
}

static void
register_now (JarchiSipAccount *acc)
{
  const char *routev[1];
  g_autofree char *cuser = NULL;
  int err;

  tmr_cancel (&acc->retry_tmr);
  tmr_cancel (&acc->probe_tmr);
  acc->probe = mem_deref (acc->probe);
  acc->reg = mem_deref (acc->reg);

  /* A fresh contact user per attempt: the un-REGISTER a dropped client may still send (for
   * a binding it once made) then cannot remove the binding this attempt makes. */
  cuser = g_strdup_printf ("%s-%08x", acc->cfg->contact_user, rand_u32 ());
  g_free (acc->cur_cuser);
  acc->cur_cuser = g_strdup (cuser);

  if (acc->state == JARCHI_REGISTRATION_UNREGISTERED)
    set_state (acc, JARCHI_REGISTRATION_REGISTERING, NULL);

  routev[0] = acc->route;
  err = sipreg_register (&acc->reg, acc->stack->sip, acc->cfg->registrar, acc->cfg->aor,
                         *acc->cfg->display_name ? acc->cfg->display_name : NULL,
                         acc->cfg->aor, acc->cfg->expires, cuser,
                         acc->route ? routev : NULL, acc->route ? 1 : 0, 0,
                         jarchi_sip_stack_auth_handler, acc->creds, true,
                         reg_resp_handler, acc, NULL, NULL);
  if (err)
    {
      g_autofree char *reason = describe_error (acc, err);
      acc->reg = NULL;
      fail (acc, TRUE, reason);
      return;
    }
  tmr_start (&acc->deadline_tmr, REGISTER_DEADLINE_MS, deadline_handler, acc);
}

JarchiSipAccount *
jarchi_sip_account_new (JarchiSipStack         *stack,
                        JarchiSipAccountConfig *cfg)
{
  JarchiSipAccount *acc = g_new0 (JarchiSipAccount, 1);

  acc->stack = stack;
  acc->cfg = cfg;
  tmr_init (&acc->retry_tmr);
  tmr_init (&acc->deadline_tmr);
  tmr_init (&acc->probe_tmr);
  if (cfg->outbound_proxy != NULL && *cfg->outbound_proxy != '\0')
    acc->route = g_strdup (cfg->outbound_proxy);
  acc->creds = jarchi_sip_creds_new (cfg->auth_user, cfg->password);
  acc->state = JARCHI_REGISTRATION_UNREGISTERED;
  return acc;
}

void
jarchi_sip_account_start (JarchiSipAccount *acc)
{
  register_now (acc);
}

void
jarchi_sip_account_free (JarchiSipAccount *acc)
{
  if (acc == NULL)
    return;
  tmr_cancel (&acc->retry_tmr);
  tmr_cancel (&acc->deadline_tmr);
  tmr_cancel (&acc->probe_tmr);
  mem_deref (acc->probe);
  /* Sends the un-REGISTER when registered; libre keeps the client alive until it is done. */
  mem_deref (acc->reg);
  mem_deref (acc->creds);
  g_free (acc->error);
  g_free (acc->route);
  g_free (acc->cur_cuser);
  jarchi_sip_account_config_free (acc->cfg);
  g_free (acc);
}
