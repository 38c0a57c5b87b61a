/* The SIP engine's libre thread: stack set-up and tear-down, command dispatch, credentials. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-sip"
#include "jarchi-config.h"

#include <dlfcn.h>
#include <string.h>

#include "jarchi-sip-engine-private.h"
#include "jarchi-sip-uri.h"

/* re.h leaves out the debug printing API; its header wants these two set. */
#define DEBUG_MODULE "jarchi"
#define DEBUG_LEVEL 0
#include <re_dbg.h>

/* Bounded moment given to un-REGISTERs and BYEs at shutdown before transactions are cut. */
#define SHUTDOWN_GRACE_MS 1500
#define SHUTDOWN_FORCE_MS 300
#define CA_FILE "/etc/ssl/certs/ca-certificates.crt"

/* ---- plain data ------------------------------------------------------------------------------ */

void
jarchi_sip_account_config_free (JarchiSipAccountConfig *cfg)
{
  if (cfg == NULL)
    return;
  g_free (cfg->aor);
  g_free (cfg->display_name);
  g_free (cfg->registrar);
  g_free (cfg->auth_user);
  if (cfg->password != NULL)
    memset (cfg->password, 0, strlen (cfg->password));
  g_free (cfg->password);
  g_free (cfg->outbound_proxy);
  g_free (cfg->call_route);
  g_free (cfg->contact_user);
  g_free (cfg);
}

void
jarchi_sip_cmd_free (JarchiSipCmd *cmd)
{
  g_free (cmd->str);
  g_free (cmd->str2);
  jarchi_sip_account_config_free (cmd->account);
  if (cmd->data_free != NULL)
    g_clear_pointer (&cmd->data, cmd->data_free);
  g_free (cmd);
}

/* ---- credentials (libre objects, referenced by the clients that may need them) ---------------- */

typedef struct {
  char *user;
  char *password;
} JarchiSipCreds;

static void
creds_destructor (void *arg)
{
  JarchiSipCreds *creds = arg;

  if (creds->password != NULL)
    memset (creds->password, 0, strlen (creds->password));
  mem_deref (creds->password);
  mem_deref (creds->user);
}

void *
jarchi_sip_creds_new (const char *user,
                      const char *password)
{
  JarchiSipCreds *creds = mem_zalloc (sizeof *creds, creds_destructor);

  if (creds == NULL)
    return NULL;
  if (str_dup (&creds->user, user ? user : "") || str_dup (&creds->password, password ? password : ""))
    return mem_deref (creds);
  return creds;
}

int
jarchi_sip_stack_auth_handler (char      **username,
                               char      **password,
                               const char *realm,
                               void       *arg)
{
  JarchiSipCreds *creds = arg;
  int err;

  /* EAUTH makes libre give up and hand the 401/407 to the response handler. */
  if (creds == NULL || creds->password == NULL || *creds->password == '\0')
    return EAUTH;
  err = str_dup (username, creds->user);
  err |= str_dup (password, creds->password);
  return err;
}

/* ---- the shared state ------------------------------------------------------------------------ */

JarchiSipStack *
jarchi_sip_stack_new (JarchiSipEngine *engine,
                      const char      *address,
                      guint            port)
{
  JarchiSipStack *stack = g_atomic_rc_box_new0 (JarchiSipStack);

  stack->engine = engine;
  stack->bind_address = g_strdup (address);
  stack->bind_port = port;
  g_mutex_init (&stack->lock);
  g_cond_init (&stack->cond);
  return stack;
}

JarchiSipStack *
jarchi_sip_stack_ref (JarchiSipStack *stack)
{
  return g_atomic_rc_box_acquire (stack);
}

static void
stack_clear (gpointer data)
{
  JarchiSipStack *stack = data;

  g_free (stack->bind_address);
  g_free (stack->init_error);
  g_mutex_clear (&stack->lock);
  g_cond_clear (&stack->cond);
}

void
jarchi_sip_stack_unref (JarchiSipStack *stack)
{
  g_atomic_rc_box_release_full (stack, stack_clear);
}

void
jarchi_sip_stack_emit (JarchiSipStack *stack,
                       JarchiSipEvent *event)
{
  jarchi_sip_engine_post_event (stack->engine, event);
}

guint
jarchi_sip_stack_new_call_id (JarchiSipStack *stack)
{
  return jarchi_sip_engine_new_call_id (stack->engine);
}

JarchiSipAccount *
jarchi_sip_stack_find_account_for (JarchiSipStack       *stack,
                                   const struct sip_msg *msg)
{
  GHashTableIter iter;
  gpointer value;
  JarchiSipAccount *by_to = NULL;

  /* Our REGISTER gave each account its own contact user: the request URI names it. */
  g_hash_table_iter_init (&iter, stack->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      JarchiSipAccount *acc = value;

      if (acc->cur_cuser != NULL && pl_strcmp (&msg->uri.user, acc->cur_cuser) == 0)
        return acc;
      if (by_to == NULL && pl_strcmp (&msg->to.uri.user, acc->cfg->contact_user) == 0)
        by_to = acc;
    }
  return by_to;
}

/* ---- the libre thread ------------------------------------------------------------------------- */

static void
dbg_handler (int         level,
             const char *p,
             size_t      len,
             void       *arg)
{
  while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
    len--;
  /* libre's warnings are about peers' misbehaviour, not ours: keep them non-fatal. */
  if (level <= DBG_WARNING)
    g_message ("libre: %.*s", (int) len, p);
  else
    g_debug ("libre: %.*s", (int) len, p);
}

static void
exit_handler (void *arg)
{
  JarchiSipStack *stack = arg;

  stack->sip_exited = TRUE;
  tmr_cancel (&stack->quit_tmr);
  re_cancel ();
}

static void
final_handler (void *arg)
{
  re_cancel ();
}

static void
force_handler (void *arg)
{
  JarchiSipStack *stack = arg;

  g_debug ("shutdown: transactions still pending after %d ms, cutting them", SHUTDOWN_GRACE_MS);
  sip_close (stack->sip, true);
  tmr_start (&stack->quit_tmr, SHUTDOWN_FORCE_MS, final_handler, stack);
}

static void
quit (JarchiSipStack *stack)
{
  if (stack->quitting)
    return;
  stack->quitting = TRUE;

  /* BYE/CANCEL every call and un-REGISTER every account; libre keeps those transactions
   * alive on its own after we drop our references. */
  g_hash_table_remove_all (stack->calls);
  jarchi_sip_broadcast_close (stack);
  g_hash_table_remove_all (stack->accounts);
  stack->lsnr = mem_deref (stack->lsnr);
  stack->event_sock = mem_deref (stack->event_sock);
  stack->sess_sock = mem_deref (stack->sess_sock);

  /* exit_handler runs once the last transaction is over. */
  sip_close (stack->sip, false);
  tmr_start (&stack->quit_tmr, SHUTDOWN_GRACE_MS, force_handler, stack);
}

/* OpenSSL, reached through the libssl that libre already loaded: this keeps the OpenSSL
 * headers out of the build.  These five calls are stable across OpenSSL 1.1 and 3. */
typedef void *(*Get0ParamFunc) (struct ssl_ctx_st *ctx);
typedef int   (*SetHostFunc)   (void *param, const char *name, size_t len);
typedef int   (*SetIpFunc)     (void *param, const char *ip);
typedef void  (*SetVerifyFunc) (struct ssl_ctx_st *ctx, int mode, void *callback);
#define OPENSSL_VERIFY_NONE 0x00
#define OPENSSL_VERIFY_PEER 0x01

static void
update_tls_verification (JarchiSipStack *stack)
{
  Get0ParamFunc get0_param = (Get0ParamFunc) dlsym (RTLD_DEFAULT, "SSL_CTX_get0_param");
  SetHostFunc set1_host = (SetHostFunc) dlsym (RTLD_DEFAULT, "X509_VERIFY_PARAM_set1_host");
  SetHostFunc add1_host = (SetHostFunc) dlsym (RTLD_DEFAULT, "X509_VERIFY_PARAM_add1_host");
  SetIpFunc set1_ip = (SetIpFunc) dlsym (RTLD_DEFAULT, "X509_VERIFY_PARAM_set1_ip_asc");
  SetVerifyFunc set_verify = (SetVerifyFunc) dlsym (RTLD_DEFAULT, "SSL_CTX_set_verify");
  struct ssl_ctx_st *ctx;
  void *param;
  GHashTableIter iter;
  gpointer value;
  gboolean any = FALSE;
  gboolean verify = FALSE;

  if (stack->tls == NULL)
    return;
  if (!get0_param || !set1_host || !add1_host || !set1_ip || !set_verify)
    {
      g_message ("OpenSSL not found: SIP over TLS servers are not verified");
      return;
    }
  ctx = tls_openssl_context (stack->tls);
  param = get0_param (ctx);
  /* libre 1.1.0 does not check the server certificate of SIP over TLS, and all accounts share
   * one TLS context: verify against the system CAs and every TLS registrar's name unless
   * every TLS account opted out. */
  set1_host (param, NULL, 0);
  g_hash_table_iter_init (&iter, stack->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      JarchiSipAccount *acc = value;
      g_autofree char *host = NULL;

      if (acc->cfg->transport != JARCHI_TRANSPORT_TLS)
        continue;
      any = TRUE;
      verify |= acc->cfg->tls_verify;
      if (!jarchi_sip_uri_parse (acc->cfg->registrar, NULL, NULL, &host, NULL))
        continue;
      if (g_hostname_is_ip_address (host))
        set1_ip (param, host);
      else
        add1_host (param, host, 0);
    }
  /* Parsing the system bundle takes a second, and tens of seconds under AddressSanitizer:
   * only pay for it when a server is to be verified. */
  if (any && verify && !stack->ca_loaded)
    {
      stack->ca_loaded = TRUE;
      if (tls_add_ca (stack->tls, CA_FILE) != 0)
        g_message ("no CA bundle at %s: TLS servers cannot be verified", CA_FILE);
    }
  set_verify (ctx, (any && verify) ? OPENSSL_VERIFY_PEER : OPENSSL_VERIFY_NONE, NULL);
}

static void
mqueue_handler (int   id,
                void *data,
                void *arg)
{
  JarchiSipStack *stack = arg;
  JarchiSipCmd *cmd = data;

  if (stack->quitting && cmd->type != JARCHI_SIP_CMD_QUIT)
    {
      jarchi_sip_cmd_free (cmd);
      return;
    }

  switch (cmd->type)
    {
    case JARCHI_SIP_CMD_QUIT:
      quit (stack);
      break;
    case JARCHI_SIP_CMD_REGISTER:
      {
        guint account_id = cmd->account->id;
        JarchiSipAccount *acc = jarchi_sip_account_new (stack, g_steal_pointer (&cmd->account));

        g_hash_table_replace (stack->accounts, GUINT_TO_POINTER (account_id), acc);
        update_tls_verification (stack);
        jarchi_sip_account_start (acc);
      }
      break;
    case JARCHI_SIP_CMD_UNREGISTER:
      if (g_hash_table_remove (stack->accounts, GUINT_TO_POINTER (cmd->id)))
        {
          JarchiSipEvent *ev = jarchi_sip_event_new (JARCHI_SIP_EV_REGISTRATION, cmd->id);
          ev->state = JARCHI_REGISTRATION_UNREGISTERED;
          jarchi_sip_stack_emit (stack, ev);
        }
      update_tls_verification (stack);
      break;
    case JARCHI_SIP_CMD_DIAL:
      jarchi_sip_call_dial (stack, cmd);
      break;
    case JARCHI_SIP_CMD_BROADCAST_DIAL:
    case JARCHI_SIP_CMD_BROADCAST_REPLAY:
    case JARCHI_SIP_CMD_BROADCAST_HANGUP:
      jarchi_sip_broadcast_command (stack, cmd);
      break;
    default:
      jarchi_sip_call_command (stack, cmd);
      break;
    }
  jarchi_sip_cmd_free (cmd);
}

static bool
request_handler (const struct sip_msg *msg,
                 void                 *arg)
{
  JarchiSipStack *stack = arg;

  /* Out-of-dialog OPTIONS: proxies use them to see whether we are alive. */
  if (pl_strcmp (&msg->met, "OPTIONS") == 0 && !pl_isset (&msg->to.tag))
    {
      (void) sip_treplyf (NULL, NULL, stack->sip, msg, false, 200, "OK",
                          "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, REFER, NOTIFY\r\n"
                          "Accept: application/sdp\r\n"
                          "Content-Length: 0\r\n"
                          "\r\n");
      return true;
    }
  return false;
}

static void
connect_handler (const struct sip_msg *msg,
                 void                 *arg)
{
  jarchi_sip_call_incoming (arg, msg);
}

static int
add_transports (JarchiSipStack *stack,
                const char     *address,
                guint           port)
{
  struct sa laddr, tls_addr;
  int err;

  err = sa_set_str (&laddr, address, port);
  if (err)
    return err;
  err = sip_transp_add (stack->sip, SIP_TRANSP_UDP, &laddr);
  if (err)
    return err;
  /* TCP on the same port as UDP, as SIP peers expect. */
  err = sip_transp_laddr (stack->sip, &stack->laddr, SIP_TRANSP_UDP, NULL);
  if (err)
    return err;
  err = sip_transp_add (stack->sip, SIP_TRANSP_TCP, &stack->laddr);
  if (err)
    return err;

  err = tls_alloc (&stack->tls, TLS_METHOD_SSLV23, NULL, NULL);
  if (!err)
    {
      update_tls_verification (stack);
      tls_addr = laddr;
      sa_set_port (&tls_addr, 0);
      err = sip_transp_add (stack->sip, SIP_TRANSP_TLS, &tls_addr, stack->tls);
    }
  if (err)
    {
      /* Plain SIP still works without TLS. */
      g_debug ("no TLS transport: %d", err);
      stack->tls = mem_deref (stack->tls);
    }
  return 0;
}

static int
stack_init (JarchiSipStack *stack,
            const char     *address,
            guint           port)
{
  struct sa dns_servers[4];
  uint32_t n_dns = G_N_ELEMENTS (dns_servers);
  char domain[64] = "";
  struct sa any;
  char buf[64];
  int err;

  /* SDP needs an address peers can reach, not the wildcard we may listen on. */
  if (sa_set_str (&any, address, 0) == 0 && !sa_isset (&any, SA_ADDR) &&
      net_default_source_addr_get (sa_af (&any), &any) == 0 &&
      re_snprintf (buf, sizeof buf, "%j", &any) > 0)
    stack->media_address = g_strdup (buf);
  else
    stack->media_address = g_strdup (address);

  err = mqueue_alloc (&stack->mq, mqueue_handler, stack);
  if (err)
    return err;
  if (dns_srv_get (domain, sizeof domain, dns_servers, &n_dns) == 0 && n_dns > 0)
    (void) dnsc_alloc (&stack->dnsc, NULL, dns_servers, n_dns);

  err = sip_alloc (&stack->sip, stack->dnsc, 32, 32, 32, "Jarchi/" JARCHI_VERSION,
                   exit_handler, stack);
  if (err)
    return err;
  sip_set_trace_handler (stack->sip, jarchi_sip_challenge_trace_handler);

  /* With an ephemeral UDP port, TCP on the same number may be taken: pick another. */
  for (guint attempt = 0; attempt < 8; attempt++)
    {
      err = add_transports (stack, address, port);
      if (err == 0 || port != 0)
        break;
      sip_transp_flush (stack->sip);
      stack->tls = mem_deref (stack->tls);
    }
  if (err)
    return err;

  err = sipsess_listen (&stack->sess_sock, stack->sip, 32, connect_handler, stack);
  if (!err)
    err = sipevent_listen (&stack->event_sock, stack->sip, 32, 32, NULL, NULL);
  if (!err)
    err = sip_listen (&stack->lsnr, stack->sip, true, request_handler, stack);
  return err;
}

gpointer
jarchi_sip_stack_thread (gpointer data)
{
  JarchiSipStack *stack = data;
  char buf[128];
  int err;

  err = libre_init ();
  if (!err)
    {
      jarchi_sip_broadcast_raise_fd_limit ();
      dbg_init (DBG_INFO, 0);
      dbg_handler_set (dbg_handler, NULL);
      tmr_init (&stack->quit_tmr);
      stack->accounts = g_hash_table_new_full (NULL, NULL, NULL,
                                               (GDestroyNotify) jarchi_sip_account_free);
      stack->calls = g_hash_table_new_full (NULL, NULL, NULL,
                                            (GDestroyNotify) jarchi_sip_call_free);
      stack->challenges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) jarchi_sip_challenge_free);
      err = stack_init (stack, stack->bind_address, stack->bind_port);
    }

  g_mutex_lock (&stack->lock);
  if (err)
    stack->init_error = g_strdup (str_error (err, buf, sizeof buf));
  stack->ready = TRUE;
  g_cond_signal (&stack->cond);
  /* The engine gave up waiting for us: nobody would ever tell this loop to stop. */
  if (stack->abandoned)
    err = err ? err : ECANCELED;
  g_mutex_unlock (&stack->lock);

  if (!err)
    {
      err = re_main (NULL);
      if (err)
        g_message ("libre main loop ended: %s", str_error (err, buf, sizeof buf));
    }

  tmr_cancel (&stack->quit_tmr);
  g_clear_pointer (&stack->calls, g_hash_table_destroy);
  jarchi_sip_broadcast_close (stack);
  g_clear_pointer (&stack->accounts, g_hash_table_destroy);
  g_clear_pointer (&stack->challenges, g_hash_table_destroy);
  stack->lsnr = mem_deref (stack->lsnr);
  stack->event_sock = mem_deref (stack->event_sock);
  stack->sess_sock = mem_deref (stack->sess_sock);
  if (stack->sip != NULL)
    {
      /* After sip_close (sip, false) the stack lives on until its exit handler ran; if it never
       * did, transactions still hold it and freeing it here would pull it from under them. */
      if (stack->sip_exited || !stack->quitting)
        {
          if (!stack->quitting)
            sip_close (stack->sip, true);
          mem_deref (stack->sip);
        }
      else
        g_debug ("shutdown: leaving the SIP stack to libre's cleanup");
      stack->sip = NULL;
    }
  stack->tls = mem_deref (stack->tls);
  stack->dnsc = mem_deref (stack->dnsc);
  g_mutex_lock (&stack->lock);
  stack->mq = mem_deref (stack->mq);
  g_mutex_unlock (&stack->lock);
  g_clear_pointer (&stack->media_address, g_free);
  dbg_handler_set (NULL, NULL);
  libre_close ();
  jarchi_sip_stack_unref (stack);
  return NULL;
}
