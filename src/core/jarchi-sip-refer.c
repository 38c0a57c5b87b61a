/* Mid-call requests for the SIP engine (libre thread only): INFO digits, REFER and its NOTIFYs. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-sip"
#include "jarchi-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "jarchi-sip-engine-private.h"


static char
digit_from_signal (const char *value)
{
  guint64 n;

  while (*value == ' ' || *value == '\t')
    value++;
  if (strchr ("0123456789*#ABCDabcd", *value) != NULL && *value != '\0' &&
      (value[1] == '\0' || g_ascii_isspace (value[1])))
    return g_ascii_toupper (*value);
  /* Some PBXs send event numbers: 10 is *, 11 is #, 12-15 are A-D. */
  if (g_ascii_string_to_unsigned (g_strstrip ((char *) value), 10, 0, 15, &n, NULL))
    return "0123456789*#ABCD"[n];
  return 0;
}


void
jarchi_sip_call_info_handler (struct sip            *sip,
                              const struct sip_msg  *msg,
                              void                  *arg)
{
  JarchiSipCall *call = arg;
  g_autofree char *body = NULL;
  char digit = 0;

  if (mbuf_get_left (msg->mb) == 0)
    {
      (void) sip_reply (sip, msg, 200, "OK");
      return;
    }
  body = g_strndup ((const char *) mbuf_buf (msg->mb), mbuf_get_left (msg->mb));
  if (msg_ctype_cmp (&msg->ctyp, "application", "dtmf-relay"))
    {
      g_auto(GStrv) lines = g_strsplit_set (body, "\r\n", -1);
      for (guint i = 0; lines[i] != NULL && digit == 0; i++)
        if (g_ascii_strncasecmp (lines[i], "Signal=", 7) == 0)
          digit = digit_from_signal (lines[i] + 7);
    }
  else if (msg_ctype_cmp (&msg->ctyp, "application", "dtmf"))
    digit = digit_from_signal (g_strstrip (body));
  else
    {
      (void) sip_reply (sip, msg, 415, "Unsupported Media Type");
      return;
    }
  if (digit == 0)
    {
      (void) sip_reply (sip, msg, 400, "Bad Request");
      return;
    }
  (void) sip_reply (sip, msg, 200, "OK");

  {
    JarchiSipEvent *ev = jarchi_sip_event_new (JARCHI_SIP_EV_DTMF, call->id);
    ev->digit = digit;
    jarchi_sip_stack_emit (call->stack, ev);
  }
}


static int
notify_send_handler (enum sip_transp  tp,
                     const struct sa *src,
                     const struct sa *dst,
                     struct mbuf     *mb,
                     void            *arg)
{
  JarchiSipCall *call = arg;

  return mbuf_printf (mb, "Contact: <sip:%s@%J%s>\r\n", call->cuser, src, sip_transp_param (tp));
}


static void
notify_resp_handler (int                   err,
                     const struct sip_msg *msg,
                     void                 *arg)
{
  if (msg != NULL && msg->scode < 200)
    return;
  mem_deref (arg);
}

/* Progress of the transfer the peer asked for, as RFC 3515 wants it. */
void
jarchi_sip_call_notify_refer (JarchiSipCall *call,
                              guint          code,
                              const char    *phrase)
{
  g_autofree char *frag = g_strdup_printf ("SIP/2.0 %u %s\r\n", code, phrase);
  gboolean final = code >= 200;
  int err;

  if (call->sess == NULL)
    return;
  err = sip_drequestf (NULL, call->stack->sip, true, "NOTIFY", sipsess_dialog (call->sess), 0,
                       NULL, notify_send_handler, notify_resp_handler, mem_ref (call),
                       "Event: refer\r\n"
                       "Subscription-State: %s\r\n"
                       "Content-Type: message/sipfrag;version=2.0\r\n"
                       "Content-Length: %zu\r\n"
                       "\r\n"
                       "%s",
                       final ? "terminated;reason=noresource" : "active;expires=60",
                       strlen (frag), frag);
  if (err)
    mem_deref (call);
  if (final)
    call->refer_pending = FALSE;
}


void
jarchi_sip_call_refer_handler (struct sip            *sip,
                               const struct sip_msg  *msg,
                               void                  *arg)
{
  JarchiSipCall *call = arg;
  const struct sip_hdr *hdr = sip_msg_hdr (msg, SIP_HDR_REFER_TO);
  struct sip_addr addr;
  g_autofree char *target = NULL;
  g_autofree char *replaces = NULL;
  char *query;
  JarchiSipEvent *ev;

  if (hdr == NULL || sip_addr_decode (&addr, &hdr->val) != 0)
    {
      (void) sip_reply (sip, msg, 400, "Bad Refer-To");
      return;
    }
  target = jarchi_sip_dup_pl (&addr.auri);
  query = strchr (target, '?');
  if (query != NULL)
    {
      g_auto(GStrv) headers = g_strsplit (query + 1, "&", -1);

      *query = '\0';
      for (guint i = 0; headers[i] != NULL; i++)
        if (g_ascii_strncasecmp (headers[i], "Replaces=", 9) == 0)
          replaces = g_uri_unescape_string (headers[i] + 9, NULL);
    }
  (void) sip_reply (sip, msg, 202, "Accepted");
  call->refer_pending = TRUE;
  jarchi_sip_call_notify_refer (call, 100, "Trying");

  ev = jarchi_sip_event_new (JARCHI_SIP_EV_REFER, call->id);
  ev->str = g_steal_pointer (&target);
  ev->str2 = g_steal_pointer (&replaces);
  jarchi_sip_stack_emit (call->stack, ev);
}


static void
info_resp_handler (int                   err,
                   const struct sip_msg *msg,
                   void                 *arg)
{
}


void
jarchi_sip_call_send_info_dtmf (JarchiSipCall *call,
                                char           digit,
                                guint          duration_ms)
{
  struct mbuf *body;

  if (!call->answered || call->sess == NULL)
    return;
  body = mbuf_alloc (64);
  if (body == NULL)
    return;
  (void) mbuf_printf (body, "Signal=%c\r\nDuration=%u\r\n", digit,
                      duration_ms ? duration_ms : 160);
  body->pos = 0;
  (void) sipsess_info (call->sess, "application/dtmf-relay", body, info_resp_handler, NULL);
  mem_deref (body);
}


static void
refer_notify_handler (struct sip            *sip,
                      const struct sip_msg  *msg,
                      void                  *arg)
{
  JarchiSipCall *call = arg;
  struct pl scode;
  guint code = 0;
  JarchiSipEvent *ev;

  (void) sip_treply (NULL, sip, msg, 200, "OK");
  if (re_regex ((const char *) mbuf_buf (msg->mb), mbuf_get_left (msg->mb),
                "SIP/2.0 [0-9]+", &scode) == 0)
    code = pl_u32 (&scode);
  if (code == 0)
    return;

  ev = jarchi_sip_event_new (JARCHI_SIP_EV_TRANSFER, call->id);
  ev->code = code;
  jarchi_sip_stack_emit (call->stack, ev);

  if (code >= 200 && code < 300 && !call->ended)
    {
      /* The peer reached the transfer target: our leg is done. */
      call->transferred = TRUE;
      jarchi_sip_call_end_later (call, 200, _("transferred"));
    }
  else if (code >= 300)
    jarchi_sip_call_emit_progress (call, jarchi_sip_call_state (call), code);
}


static void
refer_close_handler (int                              err,
                     const struct sip_msg            *msg,
                     const struct sipevent_substate  *substate,
                     void                            *arg)
{
  JarchiSipCall *call = arg;

  call->refer_sub = mem_deref (call->refer_sub);
  if (call->transferred || call->ended)
    return;
  if (msg != NULL && msg->scode >= 300)
    {
      JarchiSipEvent *ev = jarchi_sip_event_new (JARCHI_SIP_EV_TRANSFER, call->id);
      ev->code = msg->scode;
      jarchi_sip_stack_emit (call->stack, ev);
      jarchi_sip_call_emit_progress (call, jarchi_sip_call_state (call), msg->scode);
    }
}

/* Replaces value for a Refer-To URI header: escaped so it survives inside <...?...>. */
static char *
replaces_for (JarchiSipCall *other)
{
  g_autofree char *raw = g_strdup_printf ("%s;to-tag=%s;from-tag=%s", other->callid,
                                          other->rtag, other->ltag);
  return g_uri_escape_string (raw, NULL, FALSE);
}


void
jarchi_sip_call_refer (JarchiSipCall *call,
                       const char    *target,
                       guint          other_id)
{
  g_autofree char *refer_to = NULL;
  JarchiSipEvent *ev;
  int err;

  if (!call->answered || call->sess == NULL || call->refer_sub != NULL)
    return;
  if (other_id != 0)
    {
      JarchiSipCall *other = g_hash_table_lookup (call->stack->calls, GUINT_TO_POINTER (other_id));
      g_autofree char *replaces = NULL;

      if (other == NULL || other->callid == NULL || other->ltag == NULL || other->rtag == NULL)
        goto failed;
      replaces = replaces_for (other);
      refer_to = g_strdup_printf ("%s?Replaces=%s", other->remote_uri, replaces);
    }
  else
    refer_to = g_strdup (target);

  err = sipevent_drefer (&call->refer_sub, call->stack->event_sock, sipsess_dialog (call->sess),
                         call->cuser, call->creds ? jarchi_sip_stack_auth_handler : NULL,
                         call->creds, true, refer_notify_handler, refer_close_handler, call,
                         "Refer-To: <%s>\r\n"
                         "Referred-By: <%s>\r\n",
                         refer_to, call->local_uri);
  if (err)
    goto failed;
  jarchi_sip_call_emit_progress (call, JARCHI_CALL_STATE_TRANSFERRING, 0);
  return;

failed:
  ev = jarchi_sip_event_new (JARCHI_SIP_EV_TRANSFER, call->id);
  ev->code = 500;
  jarchi_sip_stack_emit (call->stack, ev);
}
