/* Campaign calls in the SIP engine's libre thread: a session and an RTP socket each, the shared message sent by one sender thread, DTMF in by RFC 4733, in-band tones and SIP INFO. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-sip"
#include "jarchi-config.h"

#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "jarchi-error.h"
#include "jarchi-sip-broadcast-private.h"
#include "jarchi-sip-uri.h"

#define ALLOW_HDR     "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, INFO\r\n"
#define SDP_CTYPE     "application/sdp"
#define RTP_PORT_MIN  40000
#define RTP_PORT_MAX  65534
/* Three descriptors per call (RTP, RTCP, the sender thread's RTP): room for ~10,000 calls. */
#define MAX_FDS       32768
/* How often ringing calls are checked against their ring timeout. */
#define RING_CHECK_MS 250

/* ---- the shared message ----------------------------------------------------------------------- */

static void
message_clear (gpointer data)
{
  JarchiSipBroadcastMessage *message = data;

  g_bytes_unref (message->law[JARCHI_G711_ULAW]);
  g_bytes_unref (message->law[JARCHI_G711_ALAW]);
}

JarchiSipBroadcastMessage *
jarchi_sip_broadcast_message_new (GBytes  *ulaw,
                                  GBytes  *alaw,
                                  GError **error)
{
  JarchiSipBroadcastMessage *message;
  gsize size;

  g_return_val_if_fail (ulaw != NULL && alaw != NULL, NULL);

  size = g_bytes_get_size (ulaw);
  if (size == 0 || size % JARCHI_SIP_BC_FRAME_BYTES != 0 || g_bytes_get_size (alaw) != size)
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA,
                           _("The message is not a whole number of G.711 frames"));
      return NULL;
    }
  message = g_atomic_rc_box_new0 (JarchiSipBroadcastMessage);
  message->law[JARCHI_G711_ULAW] = g_bytes_ref (ulaw);
  message->law[JARCHI_G711_ALAW] = g_bytes_ref (alaw);
  message->n_frames = size / JARCHI_SIP_BC_FRAME_BYTES;
  return message;
}

JarchiSipBroadcastMessage *
jarchi_sip_broadcast_message_ref (JarchiSipBroadcastMessage *message)
{
  return g_atomic_rc_box_acquire (message);
}

void
jarchi_sip_broadcast_message_unref (JarchiSipBroadcastMessage *message)
{
  g_atomic_rc_box_release_full (message, message_clear);
}

guint
jarchi_sip_broadcast_message_get_n_frames (JarchiSipBroadcastMessage *message)
{
  return message->n_frames;
}

/* ---- main thread: commands -------------------------------------------------------------------- */

gboolean
jarchi_sip_broadcast_dial (JarchiSipEngine            *engine,
                           guint                       call_id,
                           guint                       account_id,
                           const char                 *uri,
                           guint                       ring_timeout_s,
                           JarchiSipBroadcastMessage  *message,
                           GError                    **error)
{
  JarchiSipCmd *cmd;

  g_return_val_if_fail (JARCHI_IS_SIP_ENGINE (engine), FALSE);
  g_return_val_if_fail (call_id != 0 && message != NULL, FALSE);

  if (!jarchi_sip_uri_parse (uri, NULL, NULL, NULL, NULL))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a SIP address"), uri ? uri : "");
      return FALSE;
    }
  cmd = jarchi_sip_cmd_new (JARCHI_SIP_CMD_BROADCAST_DIAL, call_id);
  cmd->other_id = account_id;
  cmd->str = g_strdup (uri);
  cmd->timeout_s = ring_timeout_s;
  cmd->data = jarchi_sip_broadcast_message_ref (message);
  cmd->data_free = (GDestroyNotify) jarchi_sip_broadcast_message_unref;
  return jarchi_sip_engine_push_command (engine, cmd, error);
}

gboolean
jarchi_sip_broadcast_replay (JarchiSipEngine  *engine,
                             guint             call_id,
                             GError          **error)
{
  return jarchi_sip_engine_push_command (engine,
                                         jarchi_sip_cmd_new (JARCHI_SIP_CMD_BROADCAST_REPLAY, call_id),
                                         error);
}

gboolean
jarchi_sip_broadcast_hangup (JarchiSipEngine  *engine,
                             guint             call_id,
                             GError          **error)
{
  return jarchi_sip_engine_push_command (engine,
                                         jarchi_sip_cmd_new (JARCHI_SIP_CMD_BROADCAST_HANGUP, call_id),
                                         error);
}

/* ---- libre thread -------------------------------------------------------------------------------------- */

void
jarchi_sip_bc_emit (JarchiSipBcCall         *call,
                    JarchiSipBroadcastEvent  kind,
                    guint                    code,
                    char                     digit,
                    guint                    detail)
{
  JarchiSipEvent *ev = jarchi_sip_event_new (JARCHI_SIP_EV_BROADCAST, call->id);

  ev->state = kind;
  ev->code = code;
  ev->digit = digit;
  ev->other_id = detail;
  jarchi_sip_stack_emit (call->bc->stack, ev);
}

/* ---- ring timeouts ---------------------------------------------------------------------------------- */

static void end_call (JarchiSipBcCall *call, guint code, guint flags);

static void
ring_arm (JarchiSipBroadcast *bc,
          gboolean            on)
{
  struct itimerspec spec = { { 0, 0 }, { 0, 0 } };

  if (on)
    {
      spec.it_interval.tv_nsec = RING_CHECK_MS * 1000000L;
      spec.it_value = spec.it_interval;
    }
  if (timerfd_settime (bc->ring_fd, 0, &spec, NULL) != 0)
    g_message ("broadcast: cannot set the ring timer: %s", g_strerror (errno));
}

static void
ring_check (int   flags,
            void *arg)
{
  JarchiSipBroadcast *bc = arg;
  uint64_t now = tmr_jiffies ();
  uint64_t expirations;
  g_autoptr(GPtrArray) expired = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  if (read (bc->ring_fd, &expirations, sizeof expirations) != sizeof expirations)
    return;
  g_hash_table_iter_init (&iter, bc->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      JarchiSipBcCall *call = value;

      if (call->ring_deadline != 0 && call->ring_deadline <= now)
        g_ptr_array_add (expired, call);
    }
  for (guint i = 0; i < expired->len; i++)
    {
      JarchiSipBcCall *call = g_ptr_array_index (expired, i);

      /* Freeing the ringing session sends CANCEL, which ends the INVITE with 487: the code
       * the softphone's engine records for the same call. Silence from the start is 408. */
      end_call (call, call->got_response ? 487 : 408,
                JARCHI_SIP_BROADCAST_END_TIMEOUT |
                (call->got_response ? 0 : JARCHI_SIP_BROADCAST_END_NETWORK));
    }
}

static void
start_ringing (JarchiSipBcCall *call,
               guint            timeout_s)
{
  JarchiSipBroadcast *bc = call->bc;

  call->ring_deadline = tmr_jiffies () + (uint64_t) timeout_s * 1000;
  if (bc->n_ringing++ == 0)
    ring_arm (bc, TRUE);
}

static void
stop_ringing (JarchiSipBcCall *call)
{
  if (call->ring_deadline == 0)
    return;
  call->ring_deadline = 0;
  if (--call->bc->n_ringing == 0)
    ring_arm (call->bc, FALSE);
}

/* ---- ending and freeing ---------------------------------------------------------------------------- */

static void
bc_call_free (gpointer data)
{
  JarchiSipBcCall *call = data;

  jarchi_sip_bc_stop_sending (call);
  /* BYE once answered, CANCEL while it rings: libre finishes those on its own. */
  mem_deref (call->sess);
  mem_deref (call->rtp);
  mem_deref (call->sdp);
  mem_deref (call->telev);
  g_clear_pointer (&call->dtmf, jarchi_dtmf_detector_free);
  mem_deref (call->creds);
  g_clear_pointer (&call->message, jarchi_sip_broadcast_message_unref);
  g_free (call);
}

static void
reap_handler (void *arg)
{
  JarchiSipBroadcast *bc = arg;

  g_ptr_array_set_size (bc->dead, 0);
}

/* Reports the end once; the call is freed by a zero timer, since this may run inside one of
 * its own session's handlers. */
static void
end_call (JarchiSipBcCall *call,
          guint            code,
          guint            flags)
{
  JarchiSipBroadcast *bc = call->bc;

  if (call->ended)
    return;
  call->ended = TRUE;
  stop_ringing (call);
  jarchi_sip_bc_stop_sending (call);
  jarchi_sip_bc_emit (call, JARCHI_SIP_BROADCAST_ENDED, code, 0,
                      flags | (call->answered ? JARCHI_SIP_BROADCAST_END_ANSWERED : 0));
  g_hash_table_steal (bc->calls, GUINT_TO_POINTER (call->id));
  g_ptr_array_add (bc->dead, call);
  tmr_start (&bc->reap_tmr, 0, reap_handler, bc);
}

static char
digit_from_signal (const char *value)
{
  guint64 n;

  while (*value == ' ' || *value == '\t')
    value++;
  if (*value != '\0' && strchr ("0123456789*#ABCDabcd", *value) != NULL &&
      (value[1] == '\0' || g_ascii_isspace (value[1])))
    return g_ascii_toupper (*value);
  /* Some PBXs send event numbers: 10 is *, 11 is #, 12-15 are A-D. */
  if (g_ascii_string_to_unsigned (g_strstrip ((char *) value), 10, 0, 15, &n, NULL))
    return "0123456789*#ABCD"[n];
  return 0;
}

static void
info_handler (struct sip           *sip,
              const struct sip_msg *msg,
              void                 *arg)
{
  JarchiSipBcCall *call = arg;
  g_autofree char *body = NULL;
  char digit = 0;

  if (mbuf_get_left (msg->mb) == 0)
    {
      (void) sip_treply (NULL, sip, msg, 200, "OK");
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
      (void) sip_treply (NULL, sip, msg, 415, "Unsupported Media Type");
      return;
    }
  /* In a server transaction: a retransmitted INFO gets the response again, not the handler
   * (which would report the key twice). */
  (void) sip_treply (NULL, sip, msg, digit ? 200 : 400, digit ? "OK" : "Bad Request");
  if (digit)
    jarchi_sip_bc_report_digit (call, digit, JARCHI_DTMF_METHOD_INFO);
}

/* ---- SDP and the session --------------------------------------------------------------------------- */

static int
sdp_new (JarchiSipBcCall *call,
         const char      *address,
         uint16_t         port)
{
  struct sa laddr;
  int err;

  err = sa_set_str (&laddr, address, 0);
  if (!err)
    err = sdp_session_alloc (&call->sdp, &laddr);
  if (!err)
    err = sdp_media_add (&call->sdpm, call->sdp, sdp_media_audio, port, sdp_proto_rtpavp);
  if (err)
    return err;
  err |= sdp_format_add (NULL, call->sdpm, false, "0", "PCMU", 8000, 1, NULL, NULL, NULL, false,
                         NULL);
  err |= sdp_format_add (NULL, call->sdpm, false, "8", "PCMA", 8000, 1, NULL, NULL, NULL, false,
                         NULL);
  err |= sdp_format_add (NULL, call->sdpm, false, "101", telev_rtpfmt, 8000, 1, NULL, NULL, NULL,
                         false, "0-15");
  err |= sdp_media_set_lattr (call->sdpm, true, "ptime", "%u", JARCHI_SIP_BC_FRAME_MS);
  return err;
}

/* Once answered the SDP session (2.4 KB a call) is dropped and only made again for a re-INVITE:
 * that answer then has a new origin line, which peers re-INVITing a campaign call (hold, a
 * session refresh) accept in practice. */
static int
sdp_ensure (JarchiSipBcCall *call)
{
  if (call->sdp != NULL)
    return 0;
  return sdp_new (call, call->bc->stack->media_address, sa_port (rtp_local (call->rtp)));
}

static void
sdp_drop (JarchiSipBcCall *call)
{
  call->sdpm = NULL;
  call->sdp = mem_deref (call->sdp);
}

/* Takes the peer's address, G.711 law and telephone-event from the SDP it sent; FALSE (and
 * nothing changed) when it has neither PCMU nor PCMA. */
static gboolean
read_media (JarchiSipBcCall *call)
{
  JarchiSipMedia media;
  gboolean ok;

  if (!jarchi_sip_sdp_result (call->sdpm, &media))
    return FALSE;
  ok = g_strcmp0 (media.codec, "PCMU") == 0 || g_strcmp0 (media.codec, "PCMA") == 0;
  if (ok)
    {
      call->event_pt = media.dtmf_pt ? (int) media.dtmf_pt : -1;
      jarchi_sip_bc_set_peer (call, g_str_equal (media.codec, "PCMA") ? JARCHI_G711_ALAW : JARCHI_G711_ULAW,
                              (int) media.pt, sdp_media_raddr (call->sdpm), media.remote_hold);
    }
  jarchi_sip_media_clear (&media);
  return ok;
}

static int
offer_handler (struct mbuf          **descp,
               const struct sip_msg  *msg,
               void                  *arg)
{
  JarchiSipBcCall *call = arg;
  int err;

  err = sdp_ensure (call);
  if (err)
    return err;
  /* A re-INVITE without SDP asks for our offer; the answer comes in the ACK. */
  if (mbuf_get_left (msg->mb) == 0)
    return sdp_encode (descp, call->sdp, true);
  if (!msg_ctype_cmp (&msg->ctyp, "application", "sdp"))
    return EPROTONOSUPPORT;
  err = sdp_decode (call->sdp, msg->mb, true);
  if (!err && !read_media (call))
    err = EPROTO;
  if (!err)
    err = sdp_encode (descp, call->sdp, false);
  if (call->answered)
    sdp_drop (call);
  return err;
}

static int
answer_handler (const struct sip_msg *msg,
                void                 *arg)
{
  JarchiSipBcCall *call = arg;

  /* Never an error here: libre would end the session without a BYE; estab_handler ends it
   * properly instead. */
  if (call->sdp == NULL)
    return 0;
  if (mbuf_get_left (msg->mb) > 0 && sdp_decode (call->sdp, msg->mb, false) != 0)
    call->media_failed = !call->answered;
  else if (!read_media (call))
    call->media_failed = !call->answered;
  if (call->answered)
    sdp_drop (call);
  return 0;
}

static void
progress_handler (const struct sip_msg *msg,
                  void                 *arg)
{
  JarchiSipBcCall *call = arg;

  call->got_response = TRUE;
}

static void
estab_handler (const struct sip_msg *msg,
               void                 *arg)
{
  JarchiSipBcCall *call = arg;

  call->got_response = TRUE;
  if (call->answered || call->ended)
    return;
  stop_ringing (call);
  if (call->media_failed)
    {
      end_call (call, 488, JARCHI_SIP_BROADCAST_END_MEDIA);
      return;
    }
  call->answered = TRUE;
  sdp_drop (call);
  jarchi_sip_bc_emit (call, JARCHI_SIP_BROADCAST_ANSWERED, msg->scode, 0, 0);
  jarchi_sip_bc_start_sending (call);
}

static void
refer_handler (struct sip           *sip,
               const struct sip_msg *msg,
               void                 *arg)
{
  /* A campaign call is not transferred anywhere. */
  (void) sip_treply (NULL, sip, msg, 603, "Decline");
}

static void
close_handler (int                   err,
               const struct sip_msg *msg,
               void                 *arg)
{
  JarchiSipBcCall *call = arg;

  if (!err && msg != NULL)
    end_call (call, msg->scode, 0);                       /* a final error response */
  else if (err == ECONNRESET)
    end_call (call, 200, 0);                              /* their BYE */
  else if (err == ETIMEDOUT && call->got_response)
    end_call (call, 408, 0);
  else
    {
      char buf[128];

      g_debug ("broadcast call %u: %s", call->id, str_error (err, buf, sizeof buf));
      end_call (call, err == ETIMEDOUT ? 408 : 0, JARCHI_SIP_BROADCAST_END_NETWORK);
    }
}

/* ---- commands ---------------------------------------------------------------------------------------- */

static void
dial (JarchiSipBroadcast *bc,
      JarchiSipCmd       *cmd)
{
  JarchiSipStack *stack = bc->stack;
  JarchiSipAccount *acc = NULL;
  JarchiSipBcCall *call;
  struct mbuf *desc = NULL;
  const char *routev[1] = { NULL };
  g_autofree char *to_uri = NULL;
  g_autofree char *local_uri = NULL;
  g_autofree char *credentials = NULL;
  const char *cuser = "jarchi";
  const char *display = NULL;
  struct sa ip;
  int err;

  call = g_new0 (JarchiSipBcCall, 1);
  call->bc = bc;
  call->id = cmd->id;
  call->message = g_steal_pointer (&cmd->data);
  call->peer.pt = call->event_pt = call->peer.fd = -1;
  call->ts = rand_u32 ();
  call->seq = rand_u16 ();
  g_hash_table_insert (bc->calls, GUINT_TO_POINTER (call->id), call);

  if (cmd->other_id != 0)
    {
      acc = g_hash_table_lookup (stack->accounts, GUINT_TO_POINTER (cmd->other_id));
      if (acc == NULL)
        {
          g_debug ("broadcast call %u: no account %u", call->id, cmd->other_id);
          end_call (call, 0, JARCHI_SIP_BROADCAST_END_NETWORK);
          return;
        }
      call->creds = mem_ref (acc->creds);
      cuser = acc->cur_cuser ? acc->cur_cuser : acc->cfg->contact_user;
      display = *acc->cfg->display_name ? acc->cfg->display_name : NULL;
      local_uri = g_strdup (acc->cfg->aor);
      routev[0] = acc->cfg->call_route;
      if (acc->cfg->transport != JARCHI_TRANSPORT_UDP && strstr (cmd->str, "transport=") == NULL)
        to_uri = g_strdup_printf ("%s;transport=%s", cmd->str,
                                  jarchi_transport_to_string (acc->cfg->transport));
    }
  if (local_uri == NULL)
    local_uri = g_strdup_printf ("sip:jarchi@%s:%u", stack->media_address,
                                 sa_port (&stack->laddr));
  if (to_uri == NULL)
    to_uri = g_strdup (cmd->str);

  err = sa_set_str (&ip, stack->bind_address, 0);
  if (!err)
    /* The RTP and RTCP ports, but no RTCP session: its timer per call would slow every
     * other timer (see ring_fd), and a one-way announcement has no use for reports. */
    err = rtp_listen (&call->rtp, IPPROTO_UDP, &ip, RTP_PORT_MIN, RTP_PORT_MAX, false,
                      jarchi_sip_bc_rtp_handler, jarchi_sip_bc_rtcp_handler, call);
  if (!err)
    err = sdp_new (call, stack->media_address, sa_port (rtp_local (call->rtp)));
  if (!err)
    err = sdp_encode (&desc, call->sdp, true);
  if (!err && acc != NULL)
    credentials = jarchi_sip_challenge_credentials (stack, acc, "INVITE", to_uri, call->creds);
  if (!err)
    err = sipsess_connect (&call->sess, stack->sess_sock, to_uri, display, local_uri, cuser,
                           routev[0] ? routev : NULL, routev[0] ? 1 : 0, SDP_CTYPE, desc,
                           acc ? jarchi_sip_stack_auth_handler : NULL, call->creds, true,
                           offer_handler, answer_handler, progress_handler, estab_handler,
                           info_handler, refer_handler, close_handler, call,
                           ALLOW_HDR "%s", credentials ? credentials : "");
  mem_deref (desc);
  if (err)
    {
      char buf[128];

      g_message ("broadcast call %u to %s: %s", call->id, to_uri, str_error (err, buf, sizeof buf));
      end_call (call, 0, JARCHI_SIP_BROADCAST_END_NETWORK);
      return;
    }
  if (cmd->timeout_s > 0)
    start_ringing (call, cmd->timeout_s);
}

/* The SIP UDP socket's receive buffer, raised for campaigns: at 200 calls a second the SIP
 * thread takes in over a thousand messages a second, and the kernel's default buffer (about
 * 200 KB, some hundred messages) overflows whenever the thread waits a moment for a core;
 * the lost responses then come back as retransmissions, and calls end with 408.  libre does
 * not hand out its transport's socket, so it is found by its address. */
#define SIP_RCVBUF (4 << 20)

static void
raise_sip_rcvbuf (JarchiSipStack *stack)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      int fd = atoi (name), type = 0, size = SIP_RCVBUF;
      socklen_t len = sizeof type;
      struct sa local;

      sa_init (&local, AF_UNSPEC);
      local.len = sizeof local.u;
      if (getsockopt (fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_DGRAM ||
          getsockname (fd, &local.u.sa, &local.len) != 0 || !sa_cmp (&local, &stack->laddr, SA_ALL))
        continue;
      /* FORCE passes the system's maximum when we may (CAP_NET_ADMIN). */
      if (setsockopt (fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
        (void) setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
      return;
    }
}

static JarchiSipBroadcast *
module_get (JarchiSipStack *stack)
{
  JarchiSipBroadcast *bc = stack->broadcast;

  if (bc != NULL)
    return bc;
  bc = g_new0 (JarchiSipBroadcast, 1);
  bc->stack = stack;
  bc->ring_fd = timerfd_create (CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (bc->ring_fd < 0 || fd_listen (bc->ring_fd, FD_READ, ring_check, bc) != 0)
    {
      g_message ("broadcast: cannot set up the ring timer: %s", g_strerror (errno));
      if (bc->ring_fd >= 0)
        close (bc->ring_fd);
      g_free (bc);
      return NULL;
    }
  if (!jarchi_sip_bc_media_init (bc))
    {
      fd_close (bc->ring_fd);
      close (bc->ring_fd);
      g_free (bc);
      return NULL;
    }
  tmr_init (&bc->reap_tmr);
  raise_sip_rcvbuf (stack);
  bc->calls = g_hash_table_new (NULL, NULL);
  bc->dead = g_ptr_array_new_with_free_func (bc_call_free);
  stack->broadcast = bc;
  return bc;
}

void
jarchi_sip_broadcast_command (JarchiSipStack *stack,
                              JarchiSipCmd   *cmd)
{
  JarchiSipBroadcast *bc = module_get (stack);
  JarchiSipBcCall *call;

  if (bc == NULL)
    {
      if (cmd->type == JARCHI_SIP_CMD_BROADCAST_DIAL)
        {
          JarchiSipEvent *ev = jarchi_sip_event_new (JARCHI_SIP_EV_BROADCAST, cmd->id);

          ev->state = JARCHI_SIP_BROADCAST_ENDED;
          ev->other_id = JARCHI_SIP_BROADCAST_END_NETWORK;
          jarchi_sip_stack_emit (stack, ev);
        }
      return;
    }
  if (cmd->type == JARCHI_SIP_CMD_BROADCAST_DIAL)
    {
      dial (bc, cmd);
      return;
    }
  call = g_hash_table_lookup (bc->calls, GUINT_TO_POINTER (cmd->id));
  if (call == NULL)
    return;
  if (cmd->type == JARCHI_SIP_CMD_BROADCAST_REPLAY && call->answered)
    jarchi_sip_bc_start_sending (call);
  else if (cmd->type == JARCHI_SIP_CMD_BROADCAST_HANGUP)
    end_call (call, call->answered ? 200 : 487, JARCHI_SIP_BROADCAST_END_LOCAL);
}

void
jarchi_sip_broadcast_close (JarchiSipStack *stack)
{
  JarchiSipBroadcast *bc = stack->broadcast;
  GHashTableIter iter;
  gpointer value;

  if (bc == NULL)
    return;
  stack->broadcast = NULL;
  tmr_cancel (&bc->reap_tmr);
  fd_close (bc->ring_fd);
  close (bc->ring_fd);
  g_hash_table_iter_init (&iter, bc->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_hash_table_iter_steal (&iter);
      bc_call_free (value);
    }
  g_ptr_array_unref (bc->dead);
  g_hash_table_unref (bc->calls);
  jarchi_sip_bc_media_clear (bc);
  g_free (bc);
}

void
jarchi_sip_broadcast_raise_fd_limit (void)
{
  struct rlimit lim;
  rlim_t want;
  int err;

  if (getrlimit (RLIMIT_NOFILE, &lim) != 0)
    return;
  want = lim.rlim_max == RLIM_INFINITY ? MAX_FDS : MIN (lim.rlim_max, (rlim_t) MAX_FDS);
  if (lim.rlim_cur < want)
    {
      rlim_t before = lim.rlim_cur;

      lim.rlim_cur = want;
      if (setrlimit (RLIMIT_NOFILE, &lim) != 0)
        lim.rlim_cur = before;
    }
  /* libre sizes its descriptor table once, at the first socket: before that, to the limit. */
  err = fd_setsize ((int) MIN (lim.rlim_cur, (rlim_t) MAX_FDS));
  if (err)
    g_message ("libre: cannot size the descriptor table: %s", g_strerror (err));
}
