/* Calls for the SIP engine (libre thread only): INVITE dialogs, hold, INFO, REFER and NOTIFY. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-sip"
#include "jarchi-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "jarchi-sip-engine-private.h"

#define ALLOW_HDR "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, REFER, NOTIFY\r\n"
#define SDP_CTYPE "application/sdp"


static void
call_destructor (void *arg)
{
  JarchiSipCall *call = arg;

  tmr_cancel (&call->ring_tmr);
  tmr_cancel (&call->free_tmr);
  mem_deref (call->refer_sub);
  mem_deref (call->sess);
  mem_deref (call->sdp);
  mem_deref (call->creds);
  g_free (call->remote_uri);
  g_free (call->cuser);
  g_free (call->local_uri);
  g_free (call->callid);
  g_free (call->ltag);
  g_free (call->rtag);
}

static JarchiSipCall *
call_new (JarchiSipStack   *stack,
          guint             id,
          gboolean          outgoing,
          JarchiSipAccount *acc)
{
  JarchiSipCall *call = mem_zalloc (sizeof *call, call_destructor);
  char buf[128];

  if (call == NULL)
    return NULL;
  call->stack = stack;
  call->id = id;
  call->outgoing = outgoing;
  tmr_init (&call->ring_tmr);
  tmr_init (&call->free_tmr);
  if (acc != NULL)
    {
      call->account_id = acc->cfg->id;
      call->creds = mem_ref (acc->creds);
      call->cuser = g_strdup (acc->cur_cuser ? acc->cur_cuser : acc->cfg->contact_user);
      call->local_uri = g_strdup (acc->cfg->aor);
    }
  else
    {
      call->cuser = g_strdup ("jarchi");
      (void) re_snprintf (buf, sizeof buf, "sip:jarchi@%s:%u", stack->media_address,
                          sa_port (&stack->laddr));
      call->local_uri = g_strdup (buf);
    }
  return call;
}

void
jarchi_sip_call_free (JarchiSipCall *call)
{
  if (call == NULL)
    return;
  tmr_cancel (&call->ring_tmr);
  tmr_cancel (&call->free_tmr);
  call->refer_sub = mem_deref (call->refer_sub);
  /* Sends BYE, or CANCEL while the INVITE is pending; libre finishes that on its own. */
  call->sess = mem_deref (call->sess);
  mem_deref (call);
}

char *
jarchi_sip_dup_pl (const struct pl *pl)
{
  return pl_isset (pl) ? g_strndup (pl->p, pl->l) : NULL;
}

/* ---- events ------------------------------------------------------------------------------------ */

JarchiCallState
jarchi_sip_call_state (JarchiSipCall *call)
{
  if (call->holding)
    return JARCHI_CALL_STATE_HELD;
  if (call->remote_hold)
    return JARCHI_CALL_STATE_REMOTE_HELD;
  return JARCHI_CALL_STATE_ACTIVE;
}

void
jarchi_sip_call_emit_progress (JarchiSipCall   *call,
                               JarchiCallState  state,
                               guint            code)
{
  JarchiSipEvent *ev = jarchi_sip_event_new (JARCHI_SIP_EV_PROGRESS, call->id);

  ev->state = state;
  ev->code = code;
  jarchi_sip_stack_emit (call->stack, ev);
}

/* Tells the main side where to send media; FALSE when no common codec. */
static gboolean
emit_media (JarchiSipCall *call)
{
  JarchiSipMedia media;
  JarchiSipEvent *ev;

  if (!jarchi_sip_sdp_result (call->sdpm, &media))
    return FALSE;
  call->remote_hold = media.remote_hold;
  ev = jarchi_sip_event_new (JARCHI_SIP_EV_MEDIA, call->id);
  ev->str = g_steal_pointer (&media.host);
  ev->port = media.port;
  ev->str2 = g_steal_pointer (&media.codec);
  ev->pt = media.pt;
  ev->clock_rate = media.clock_rate;
  ev->dtmf_pt = media.dtmf_pt;
  ev->direction = media.direction;
  ev->flag = media.remote_hold;
  jarchi_sip_stack_emit (call->stack, ev);
  jarchi_sip_media_clear (&media);
  return TRUE;
}

static void
emit_ended (JarchiSipCall *call,
            guint          code,
            const char    *reason)
{
  JarchiSipEvent *ev;

  if (call->ended)
    return;
  call->ended = TRUE;
  ev = jarchi_sip_event_new (JARCHI_SIP_EV_ENDED, call->id);
  ev->code = code;
  ev->str = g_strdup (reason);
  jarchi_sip_stack_emit (call->stack, ev);
}

static void
free_handler (void *arg)
{
  JarchiSipCall *call = arg;

  g_hash_table_remove (call->stack->calls, GUINT_TO_POINTER (call->id));
}

/* Ends CALL from inside one of libre's handlers: freeing it there would pull the session out
 * from under the code that called us. */
void
jarchi_sip_call_end_later (JarchiSipCall *call,
                           guint          code,
                           const char    *reason)
{
  emit_ended (call, code, reason);
  tmr_start (&call->free_tmr, 0, free_handler, call);
}

static void
end_now (JarchiSipCall *call,
         guint          code,
         const char    *reason)
{
  emit_ended (call, code, reason);
  g_hash_table_remove (call->stack->calls, GUINT_TO_POINTER (call->id));
}

static char *
reason_for_response (uint16_t         scode,
                     const struct pl *phrase)
{
  switch (scode)
    {
    case 486: case 600: return g_strdup (_("busy"));
    case 404: case 410: case 484: case 604: return g_strdup (_("not found"));
    case 408: case 480: return g_strdup (_("no answer"));
    case 487: return g_strdup (_("cancelled"));
    case 403: case 603: return g_strdup (_("rejected"));
    case 415: case 488: case 606: return g_strdup (_("unsupported media"));
    case 401: case 407: return g_strdup (_("authentication failed"));
    default:
      return g_strdup_printf ("%u %.*s", scode, phrase ? (int) phrase->l : 0,
                              phrase ? phrase->p : "");
    }
}

/* ---- libre session handlers -------------------------------------------------------------------- */

static bool
is_sdp (const struct sip_msg *msg)
{
  return mbuf_get_left (msg->mb) > 0 && msg_ctype_cmp (&msg->ctyp, "application", "sdp");
}

static int
offer_handler (struct mbuf          **descp,
               const struct sip_msg  *msg,
               void                  *arg)
{
  JarchiSipCall *call = arg;
  int err;

  /* A re-INVITE without SDP asks us to offer; the answer comes in the ACK. */
  if (mbuf_get_left (msg->mb) == 0)
    return sdp_encode (descp, call->sdp, true);
  if (!is_sdp (msg))
    return EPROTONOSUPPORT;
  err = sdp_decode (call->sdp, msg->mb, true);
  if (err)
    return err;
  if (!emit_media (call))
    return EPROTO;
  if (call->holding)
    sdp_media_set_ldir (call->sdpm, call->remote_hold ? SDP_INACTIVE : SDP_SENDONLY);
  err = sdp_encode (descp, call->sdp, false);
  if (!err && call->answered)
    jarchi_sip_call_emit_progress (call, jarchi_sip_call_state (call), 0);
  return err;
}

static int
answer_handler (const struct sip_msg *msg,
                void                 *arg)
{
  JarchiSipCall *call = arg;
  int err;

  if (mbuf_get_left (msg->mb) > 0)
    {
      err = sdp_decode (call->sdp, msg->mb, false);
      if (err)
        return err;
    }
  if (!emit_media (call))
    return EPROTO;
  if (call->answered)
    jarchi_sip_call_emit_progress (call, jarchi_sip_call_state (call), 0);
  return 0;
}

static void
progress_handler (const struct sip_msg *msg,
                  void                 *arg)
{
  JarchiSipCall *call = arg;

  if (msg->scode <= 100)
    return;
  call->progressed = TRUE;
  /* 183 (or 180) with SDP: the network plays tones or announcements we should hear. */
  if (is_sdp (msg) && sdp_decode (call->sdp, msg->mb, false) == 0 && emit_media (call))
    {
      call->early_media = TRUE;
      jarchi_sip_call_emit_progress (call, JARCHI_CALL_STATE_EARLY_MEDIA, msg->scode);
    }
  else if (!call->early_media)
    jarchi_sip_call_emit_progress (call, JARCHI_CALL_STATE_RINGING, msg->scode);
}

static void
estab_handler (const struct sip_msg *msg,
               void                 *arg)
{
  JarchiSipCall *call = arg;

  /* Tags, for a Replaces header if this call is transferred. */
  g_free (call->ltag);
  g_free (call->rtag);
  call->ltag = jarchi_sip_dup_pl (call->outgoing ? &msg->from.tag : &msg->to.tag);
  call->rtag = jarchi_sip_dup_pl (call->outgoing ? &msg->to.tag : &msg->from.tag);
  g_free (call->callid);
  call->callid = jarchi_sip_dup_pl (&msg->callid);

  if (call->outgoing && !call->answered)
    {
      call->answered = TRUE;
      tmr_cancel (&call->ring_tmr);
      jarchi_sip_call_emit_progress (call, jarchi_sip_call_state (call), msg->scode);
    }
}


static void
close_handler (int                   err,
               const struct sip_msg *msg,
               void                 *arg)
{
  JarchiSipCall *call = arg;
  g_autofree char *reason = NULL;
  guint code = 0;

  if (!err && msg != NULL)
    {
      code = msg->scode;
      reason = reason_for_response (msg->scode, &msg->reason);
    }
  else if (err == ECONNRESET)
    {
      /* A BYE once answered; before that the caller gave up (CANCEL). */
      code = call->answered ? 200 : 487;
      reason = g_strdup (call->answered ? _("remote hung up") : _("cancelled"));
    }
  else if (err == ETIMEDOUT && call->outgoing && !call->answered && call->progressed)
    {
      code = 408;
      reason = g_strdup (_("no answer"));
    }
  else if (err == EPROTO || err == EBADMSG || err == ENOTSUP || err == EPROTONOSUPPORT)
    {
      code = 488;
      reason = g_strdup (_("unsupported media"));
    }
  else
    {
      char buf[128];
      g_debug ("call %u closed: %s", call->id, str_error (err, buf, sizeof buf));
      code = err == ETIMEDOUT ? 408 : 0;
      reason = g_strdup (_("network error"));
    }
  jarchi_sip_call_end_later (call, code, reason);
}

/* ---- incoming ------------------------------------------------------------------------------------ */

static JarchiSipCall *
find_by_callid (JarchiSipStack  *stack,
                const struct pl *callid)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, stack->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      JarchiSipCall *call = value;
      if (call->callid != NULL && pl_strcmp (callid, call->callid) == 0)
        return call;
    }
  return NULL;
}

/* Replaces: CALLID;to-tag=OURS;from-tag=THEIRS names a dialog of ours (RFC 3891). */
static gboolean
find_replaced (JarchiSipStack       *stack,
               const struct sip_msg *msg,
               guint                *call_id)
{
  const struct sip_hdr *hdr = sip_msg_hdr (msg, SIP_HDR_REPLACES);
  struct pl callid, params, to_tag, from_tag;
  JarchiSipCall *call;

  *call_id = 0;
  if (hdr == NULL)
    return TRUE;
  if (re_regex (hdr->val.p, hdr->val.l, "[^;]+[^]*", &callid, &params) != 0 ||
      msg_param_decode (&params, "to-tag", &to_tag) != 0 ||
      msg_param_decode (&params, "from-tag", &from_tag) != 0)
    return FALSE;
  call = find_by_callid (stack, &callid);
  if (call == NULL || call->ended || call->ltag == NULL || call->rtag == NULL ||
      pl_strcmp (&to_tag, call->ltag) != 0 || pl_strcmp (&from_tag, call->rtag) != 0)
    return FALSE;
  *call_id = call->id;
  return TRUE;
}

void
jarchi_sip_call_incoming (JarchiSipStack       *stack,
                          const struct sip_msg *msg)
{
  struct sip *sip = stack->sip;
  JarchiSipAccount *acc;
  JarchiSipCall *call;
  JarchiSipEvent *ev;
  guint replaced = 0;
  g_autofree char *name = NULL;
  int err;

  if (stack->quitting)
    {
      (void) sip_treply (NULL, sip, msg, 503, "Service Unavailable");
      return;
    }
  /* The same INVITE forked back to us through a second binding. */
  if (find_by_callid (stack, &msg->callid) != NULL)
    {
      (void) sip_treply (NULL, sip, msg, 482, "Loop Detected");
      return;
    }
  if (!find_replaced (stack, msg, &replaced))
    {
      (void) sip_treply (NULL, sip, msg, 481, "Call/Transaction Does Not Exist");
      return;
    }

  acc = jarchi_sip_stack_find_account_for (stack, msg);
  call = call_new (stack, jarchi_sip_stack_new_call_id (stack), false, acc);
  if (call == NULL || jarchi_sip_sdp_new (&call->sdp, &call->sdpm, stack->media_address, 0))
    {
      (void) sip_treply (NULL, sip, msg, 500, "Server Internal Error");
      mem_deref (call);
      return;
    }

  if (mbuf_get_left (msg->mb) > 0)
    {
      if (!is_sdp (msg))
        {
          (void) sip_treply (NULL, sip, msg, 415, "Unsupported Media Type");
          mem_deref (call);
          return;
        }
      err = sdp_decode (call->sdp, msg->mb, true);
      if (err == EBADMSG || err == EINVAL)
        {
          (void) sip_treply (NULL, sip, msg, 400, "Malformed SDP");
          mem_deref (call);
          return;
        }
      {
        JarchiSipMedia media;
        if (err || !jarchi_sip_sdp_result (call->sdpm, &media))
          {
            (void) sip_treplyf (NULL, NULL, sip, msg, false, 488, "Not Acceptable Here",
                                "Warning: 304 jarchi \"No common audio codec\"\r\n"
                                "Content-Length: 0\r\n"
                                "\r\n");
            mem_deref (call);
            return;
          }
        call->remote_hold = media.remote_hold;
        jarchi_sip_media_clear (&media);
      }
      call->got_offer = TRUE;
    }

  err = sipsess_accept (&call->sess, stack->sess_sock, msg, 180, "Ringing", call->cuser,
                        SDP_CTYPE, NULL, acc ? jarchi_sip_stack_auth_handler : NULL,
                        call->creds, true, offer_handler, answer_handler, estab_handler,
                        jarchi_sip_call_info_handler, jarchi_sip_call_refer_handler, close_handler, call, ALLOW_HDR);
  if (err)
    {
      (void) sip_treply (NULL, sip, msg, 500, "Server Internal Error");
      mem_deref (call);
      return;
    }
  call->callid = jarchi_sip_dup_pl (&msg->callid);
  call->remote_uri = jarchi_sip_dup_pl (&msg->from.auri);
  name = jarchi_sip_dup_pl (&msg->from.dname);
  if (name != NULL)
    g_strstrip (g_strdelimit (name, "\"", ' '));
  g_hash_table_insert (stack->calls, GUINT_TO_POINTER (call->id), call);

  ev = jarchi_sip_event_new (JARCHI_SIP_EV_INCOMING, call->id);
  ev->other_id = call->account_id;
  ev->str = g_strdup (call->remote_uri);
  ev->str2 = g_steal_pointer (&name);
  ev->code = replaced;
  jarchi_sip_stack_emit (stack, ev);
}

/* ---- outgoing ------------------------------------------------------------------------------------- */

static void
ring_timeout_handler (void *arg)
{
  JarchiSipCall *call = arg;

  end_now (call, 408, _("no answer"));
}

void
jarchi_sip_call_dial (JarchiSipStack *stack,
                      JarchiSipCmd   *cmd)
{
  JarchiSipAccount *acc = NULL;
  JarchiSipCall *call;
  struct mbuf *desc = NULL;
  const char *routev[1];
  g_autofree char *to_uri = NULL;
  g_autofree char *credentials = NULL;
  int err;

  if (cmd->other_id != 0)
    {
      acc = g_hash_table_lookup (stack->accounts, GUINT_TO_POINTER (cmd->other_id));
      if (acc == NULL)
        {
          JarchiSipEvent *ev = jarchi_sip_event_new (JARCHI_SIP_EV_ENDED, cmd->id);
          ev->str = g_strdup (_("account not available"));
          jarchi_sip_stack_emit (stack, ev);
          return;
        }
    }

  call = call_new (stack, cmd->id, true, acc);
  call->remote_uri = g_strdup (cmd->str);
  g_hash_table_insert (stack->calls, GUINT_TO_POINTER (call->id), call);

  err = jarchi_sip_sdp_new (&call->sdp, &call->sdpm, stack->media_address, cmd->port);
  if (!err)
    err = sdp_encode (&desc, call->sdp, true);
  if (err)
    {
      end_now (call, 0, _("network error"));
      return;
    }

  if (acc != NULL && acc->cfg->transport != JARCHI_TRANSPORT_UDP &&
      strstr (cmd->str, "transport=") == NULL)
    to_uri = g_strdup_printf ("%s;transport=%s", cmd->str,
                              jarchi_transport_to_string (acc->cfg->transport));
  else
    to_uri = g_strdup (cmd->str);
  routev[0] = acc ? acc->cfg->call_route : NULL;
  if (acc != NULL)
    credentials = jarchi_sip_challenge_credentials (stack, acc, "INVITE", to_uri, call->creds);

  err = sipsess_connect (&call->sess, stack->sess_sock, to_uri,
                         acc && *acc->cfg->display_name ? acc->cfg->display_name : NULL,
                         call->local_uri, call->cuser, routev[0] ? routev : NULL,
                         routev[0] ? 1 : 0, SDP_CTYPE, desc,
                         acc ? jarchi_sip_stack_auth_handler : NULL, call->creds, true,
                         offer_handler, answer_handler, progress_handler, estab_handler,
                         jarchi_sip_call_info_handler, jarchi_sip_call_refer_handler, close_handler, call,
                         ALLOW_HDR "Supported: replaces\r\n%s%s%s%s",
                         cmd->str2 ? "Replaces: " : "", cmd->str2 ? cmd->str2 : "",
                         cmd->str2 ? "\r\n" : "", credentials ? credentials : "");
  mem_deref (desc);
  if (err)
    {
      char buf[128];
      g_debug ("call %u: cannot call %s: %s", call->id, to_uri, str_error (err, buf, sizeof buf));
      end_now (call, 0, err == EINVAL || err == ENOSYS ? _("invalid address") : _("network error"));
      return;
    }
  call->callid = g_strdup (sip_dialog_callid (sipsess_dialog (call->sess)));
  if (cmd->timeout_s > 0)
    tmr_start (&call->ring_tmr, cmd->timeout_s * 1000, ring_timeout_handler, call);
}

/* ---- commands on existing calls ------------------------------------------------------------------ */

static void
answer (JarchiSipCall *call,
        guint16        port)
{
  struct mbuf *desc = NULL;
  int err;

  if (call->outgoing || call->answered || call->sess == NULL)
    return;
  sdp_media_set_lport (call->sdpm, port);
  /* Without an offer in the INVITE we offer in the 200 and get the answer in the ACK. */
  err = sdp_encode (&desc, call->sdp, !call->got_offer);
  if (!err)
    err = sipsess_answer (call->sess, 200, "OK", desc, ALLOW_HDR);
  mem_deref (desc);
  if (err)
    {
      end_now (call, 500, _("network error"));
      return;
    }
  call->answered = TRUE;
  if (call->got_offer)
    emit_media (call);
  jarchi_sip_call_emit_progress (call, jarchi_sip_call_state (call), 200);
}

static void
hold (JarchiSipCall *call,
      gboolean       on)
{
  struct mbuf *desc = NULL;
  int err;

  if (!call->answered || call->sess == NULL || call->holding == on)
    return;
  call->holding = on;
  /* Already held by the peer: nothing flows either way, say so (RFC 3264 section 8.4). */
  sdp_media_set_ldir (call->sdpm, !on ? SDP_SENDRECV
                                      : call->remote_hold ? SDP_INACTIVE : SDP_SENDONLY);
  err = sdp_encode (&desc, call->sdp, true);
  if (!err)
    err = sipsess_modify (call->sess, desc);
  mem_deref (desc);
  if (err)
    {
      char buf[128];
      g_debug ("call %u: re-INVITE failed: %s", call->id, str_error (err, buf, sizeof buf));
    }
  jarchi_sip_call_emit_progress (call, jarchi_sip_call_state (call), 0);
}


void
jarchi_sip_call_command (JarchiSipStack *stack,
                         JarchiSipCmd   *cmd)
{
  JarchiSipCall *call = g_hash_table_lookup (stack->calls, GUINT_TO_POINTER (cmd->id));

  if (call == NULL || call->ended)
    return;

  switch (cmd->type)
    {
    case JARCHI_SIP_CMD_ANSWER:
      answer (call, cmd->port);
      break;
    case JARCHI_SIP_CMD_REJECT:
      if (!call->outgoing && !call->answered)
        {
          (void) sipsess_reject (call->sess, cmd->code,
                                 cmd->code == 486 ? "Busy Here" :
                                 cmd->code == 603 ? "Decline" : "Rejected", NULL);
          end_now (call, cmd->code, _("rejected"));
        }
      break;
    case JARCHI_SIP_CMD_HANGUP:
      if (!call->outgoing && !call->answered)
        {
          (void) sipsess_reject (call->sess, 486, "Busy Here", NULL);
          end_now (call, 486, _("rejected"));
        }
      else if (call->outgoing && !call->answered)
        end_now (call, 487, _("cancelled"));
      else
        end_now (call, 200, _("hung up"));
      break;
    case JARCHI_SIP_CMD_HOLD:
      hold (call, cmd->flag);
      break;
    case JARCHI_SIP_CMD_INFO_DTMF:
      jarchi_sip_call_send_info_dtmf (call, cmd->digit, cmd->code);
      break;
    case JARCHI_SIP_CMD_REFER:
      jarchi_sip_call_refer (call, cmd->str, cmd->other_id);
      break;
    case JARCHI_SIP_CMD_NOTIFY_REFER:
      if (call->refer_pending)
        jarchi_sip_call_notify_refer (call, cmd->code,
                           cmd->code == 100 ? "Trying" :
                           cmd->code == 180 ? "Ringing" :
                           cmd->code < 300 ? "OK" : "Failed");
      break;
    default:
      break;
    }
}
