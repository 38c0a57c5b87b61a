/* Campaign calls' media in the SIP engine's libre thread: one timer sends every call's next frame; digits come in by RFC 4733 and in-band tones. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-sip"
#include "jarchi-config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "jarchi-sip-broadcast-private.h"

/* After a late wake-up, this many frames per call leave at once; beyond it the time is
 * skipped (the receiver sees a gap) rather than the message. */
#define MAX_CATCH_UP  5
/* The same key by two methods this close together is one press (RFC 4733 with the tone
 * still in the audio, or INFO as well). */
#define SAME_KEY_MS   600
/* The in-band decoder reports a tone's start; the same digit starting again this soon is a
 * dropout inside one tone. */
#define INBAND_REPEAT_SAMPLES 2000

/* ---- sending: one timer, every call -------------------------------------------------------------- */

static void
set_ticking (JarchiSipBroadcast *bc,
             gboolean            on)
{
  struct itimerspec spec = { { 0, 0 }, { 0, 0 } };

  if (bc->ticking == on)
    return;
  if (on)
    {
      spec.it_interval.tv_nsec = JARCHI_SIP_BC_FRAME_MS * 1000000L;
      spec.it_value = spec.it_interval;
    }
  if (timerfd_settime (bc->tfd, 0, &spec, NULL) == 0)
    bc->ticking = on;
  else
    g_message ("broadcast: cannot set the media timer: %s", g_strerror (errno));
}

void
jarchi_sip_bc_start_sending (JarchiSipBcCall *call)
{
  call->pos = 0;
  call->marker = TRUE;
  if (call->sending)
    return;
  call->sending = TRUE;
  g_ptr_array_add (call->bc->sending, call);
  set_ticking (call->bc, TRUE);
}

void
jarchi_sip_bc_stop_sending (JarchiSipBcCall *call)
{
  if (!call->sending)
    return;
  call->sending = FALSE;
  /* Ordered removal: the calls after it keep their order, so their spacing stays 20 ms. */
  g_ptr_array_remove (call->bc->sending, call);
  if (call->bc->sending->len == 0)
    set_ticking (call->bc, FALSE);
}

/* The peer's payload type and address are known (again): the header's fixed part and the
 * socket that reaches that address family. */
void
jarchi_sip_bc_set_peer (JarchiSipBcCall *call)
{
  uint32_t ssrc = rtp_sess_ssrc (call->rtp);

  call->fd = udp_sock_fd (rtp_sock (call->rtp), sa_af (&call->raddr));
  call->hdr[0] = 0x80;                                  /* version 2, no padding, no CSRC */
  call->hdr[1] = (guint8) (call->pt & 0x7f);
  call->hdr[8] = (guint8) (ssrc >> 24);
  call->hdr[9] = (guint8) (ssrc >> 16);
  call->hdr[10] = (guint8) (ssrc >> 8);
  call->hdr[11] = (guint8) ssrc;
}

/* One packet: the call's header patched in place, then the shared payload straight from the
 * message, in one sendmsg () on the call's own socket.  No allocation, no copy: at 1,000
 * calls this runs 50,000 times a second, and libre's rtp_send () would first copy the
 * payload into an mbuf and walk its UDP helpers for every packet. */
static void
send_frame (JarchiSipBroadcast *bc,
            JarchiSipBcCall    *call)
{
  struct iovec iov[2];
  struct msghdr msg = { 0 };

  if (call->held || call->fd < 0)
    {
      call->ts += JARCHI_SIP_BC_FRAME_BYTES;
      return;
    }
  call->hdr[1] = (guint8) ((call->marker ? 0x80 : 0) | (call->pt & 0x7f));
  call->hdr[2] = (guint8) (call->seq >> 8);
  call->hdr[3] = (guint8) call->seq;
  call->hdr[4] = (guint8) (call->ts >> 24);
  call->hdr[5] = (guint8) (call->ts >> 16);
  call->hdr[6] = (guint8) (call->ts >> 8);
  call->hdr[7] = (guint8) call->ts;
  iov[0].iov_base = call->hdr;
  iov[0].iov_len = RTP_HEADER_SIZE;
  iov[1].iov_base = (void *) (call->pos >= 0 ? call->frames + (gsize) call->pos * JARCHI_SIP_BC_FRAME_BYTES
                                             : bc->silence[call->law]);
  iov[1].iov_len = JARCHI_SIP_BC_FRAME_BYTES;
  msg.msg_name = (void *) &call->raddr.u.sa;
  msg.msg_namelen = call->raddr.len;
  msg.msg_iov = iov;
  msg.msg_iovlen = 2;
  /* Errors (a full socket buffer, an ICMP error) lose this one packet only; its sequence
   * number is spent all the same, so the receiver counts it as lost. */
  (void) sendmsg (call->fd, &msg, MSG_DONTWAIT);
  call->seq++;
  call->marker = FALSE;
  call->ts += JARCHI_SIP_BC_FRAME_BYTES;
  if (call->pos >= 0 && (guint) ++call->pos >= call->message->n_frames)
    {
      call->pos = -1;
      jarchi_sip_bc_emit (call, JARCHI_SIP_BROADCAST_PLAYED, 0, 0, 0);
    }
}

static void
tick_handler (int   flags,
              void *arg)
{
  JarchiSipBroadcast *bc = arg;
  uint64_t ticks = 0;
  uint64_t rounds;

  if (read (bc->tfd, &ticks, sizeof ticks) != sizeof ticks || ticks == 0)
    return;
  rounds = MIN (ticks, MAX_CATCH_UP);
  /* send_frame() never ends a call, so the array holds still meanwhile. */
  for (uint64_t r = 0; r < rounds; r++)
    for (guint i = 0; i < bc->sending->len; i++)
      send_frame (bc, g_ptr_array_index (bc->sending, i));
  if (ticks > rounds)
    for (guint i = 0; i < bc->sending->len; i++)
      ((JarchiSipBcCall *) g_ptr_array_index (bc->sending, i))->ts += (uint32_t) (ticks - rounds) * JARCHI_SIP_BC_FRAME_BYTES;
}

/* ---- DTMF in ------------------------------------------------------------------------------------- */

void
jarchi_sip_bc_report_digit (JarchiSipBcCall  *call,
                            char              digit,
                            JarchiDtmfMethod  method)
{
  uint64_t now = tmr_jiffies ();

  if (!call->answered || call->ended)
    return;
  if (digit == call->last_digit && method != call->last_method &&
      now - call->digit_at_ms < SAME_KEY_MS)
    return;
  call->last_digit = digit;
  call->last_method = method;
  call->digit_at_ms = now;
  jarchi_sip_bc_emit (call, JARCHI_SIP_BROADCAST_DTMF, 0, digit, method);
}

static void
inband_handler (char     digit,
                gpointer user_data)
{
  JarchiSipBcCall *call = user_data;
  gboolean repeat = digit == call->inband_digit &&
                    call->samples_in - call->inband_at < INBAND_REPEAT_SAMPLES;

  call->inband_digit = digit;
  call->inband_at = call->samples_in;
  if (!repeat && !call->rfc4733_seen)
    jarchi_sip_bc_report_digit (call, digit, JARCHI_DTMF_METHOD_INBAND);
}

/* In-band DTMF on the received G.711. Not librem's decoder: its goertzel_* symbols would
 * take the place of libspandsp's in the process, and GStreamer's dtmfdetect (the softphone's
 * calls) would then hear a "1" as a "D". */
static void
receive_audio (JarchiSipBcCall *call,
               struct mbuf     *mb)
{
  if (call->dtmf == NULL)
    call->dtmf = jarchi_dtmf_detector_new (inband_handler, call);
  call->samples_in += mbuf_get_left (mb);
  jarchi_dtmf_detector_feed_g711 (call->dtmf, call->law, mbuf_buf (mb), mbuf_get_left (mb));
}

/* RFC 4733: every packet of one key press carries the RTP timestamp of its start. */
static void
receive_event (JarchiSipBcCall         *call,
               const struct rtp_header *hdr,
               struct mbuf             *mb)
{
  int event = -1;
  int digit;
  bool end = false;
  int err;

  if (mbuf_get_left (mb) < 4)
    return;
  if (call->telev == NULL && telev_alloc (&call->telev, JARCHI_SIP_BC_FRAME_MS) != 0)
    return;
  event = mbuf_buf (mb)[0];
  err = telev_recv (call->telev, mb, &event, &end);
  /* telev drops a repeat of the key it saw last even when it is a new press: the timestamp
   * tells them apart. */
  if (err != 0 && err != EALREADY)
    return;
  call->rfc4733_seen = TRUE;
  if (call->have_event_ts && hdr->ts == call->event_ts)
    return;
  call->have_event_ts = TRUE;
  call->event_ts = hdr->ts;
  digit = telev_code2digit (event);
  if (digit > 0)
    jarchi_sip_bc_report_digit (call, (char) digit, JARCHI_DTMF_METHOD_RFC4733);
}

void
jarchi_sip_bc_rtp_handler (const struct sa         *src,
                           const struct rtp_header *hdr,
                           struct mbuf             *mb,
                           void                    *arg)
{
  JarchiSipBcCall *call = arg;

  if (call->ended || !call->answered)
    return;
  if (call->event_pt >= 0 && hdr->pt == call->event_pt)
    receive_event (call, hdr, mb);
  else if (hdr->pt == call->pt && !call->rfc4733_seen)
    receive_audio (call, mb);
}

void
jarchi_sip_bc_rtcp_handler (const struct sa *src,
                            struct rtcp_msg *msg,
                            void            *arg)
{
  /* No RTCP session: reports from the peer are read and dropped. */
}

/* ---- set-up ---------------------------------------------------------------------------------------- */

gboolean
jarchi_sip_bc_media_init (JarchiSipBroadcast *bc)
{
  bc->tfd = timerfd_create (CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (bc->tfd < 0 || fd_listen (bc->tfd, FD_READ, tick_handler, bc) != 0)
    {
      g_message ("broadcast: cannot set up the media timer: %s", g_strerror (errno));
      if (bc->tfd >= 0)
        close (bc->tfd);
      bc->tfd = -1;
      return FALSE;
    }
  bc->sending = g_ptr_array_new ();
  /* G.711 silence: the codes closest to zero. */
  memset (bc->silence[JARCHI_G711_ULAW], 0xff, JARCHI_SIP_BC_FRAME_BYTES);
  memset (bc->silence[JARCHI_G711_ALAW], 0xd5, JARCHI_SIP_BC_FRAME_BYTES);
  return TRUE;
}

/* After every call stopped sending. */
void
jarchi_sip_bc_media_clear (JarchiSipBroadcast *bc)
{
  set_ticking (bc, FALSE);
  g_clear_pointer (&bc->sending, g_ptr_array_unref);
  fd_close (bc->tfd);
  close (bc->tfd);
  bc->tfd = -1;
}
