/* Campaign calls' media: one sender thread sends every call's next frame each 20 ms and reads what the peers send; digits come in by RFC 4733 and in-band tones in the libre thread. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-sip"
#include "jarchi-config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "jarchi-sip-broadcast-private.h"

/* After a late wake-up, this many frames per call leave at once; beyond it the time is
 * skipped (the receiver sees a gap) rather than the message. */
#define MAX_CATCH_UP  5
#define FRAME_NS      ((int64_t) JARCHI_SIP_BC_FRAME_MS * 1000000)
/* SCHED_FIFO priority of the sender: low (1-99), above every normal thread, below the
 * kernel's own real-time threads and an audio server's. */
#define SENDER_RT_PRIORITY 10
/* The same key by two methods this close together is one press (RFC 4733 with the tone
 * still in the audio, or INFO as well). */
#define SAME_KEY_MS   600
/* The in-band decoder reports a tone's start; the same digit starting again this soon is a
 * dropout inside one tone. */
#define INBAND_REPEAT_SAMPLES 2000
/* A sending call's socket is read every this many ticks (200 ms) rather than polled: a
 * poller (libre's epoll) sits on the socket's wait queue, and the kernel wakes that queue for
 * every packet sent, as the packet's memory is released (8 % of the sender's time in a
 * profile at 200 calls).  A key press lasts longer than that and its RFC 4733 packets or
 * tone wait in the socket's buffer, which holds seconds of a call's packets. */
#define RECEIVE_EVERY  10
#define RECEIVE_BATCH  8
/* At most this many batches a call each time: a peer sending far more than it should (a
 * flood) loses the rest to its socket's buffer instead of holding up the sender. */
#define RECEIVE_ROUNDS 4
#define RECEIVE_MAX    1500

/* A packet's place in a batch for the libre thread: this, then the packet. */
typedef struct {
  guint    id;
  guint16  len;
} JarchiSipBcPacket;

/* The sender's buffers for reading. */
typedef struct {
  struct mmsghdr  msgs[RECEIVE_BATCH];
  struct iovec    iov[RECEIVE_BATCH];
  guint8          buf[RECEIVE_BATCH][RECEIVE_MAX];
  GByteArray     *batch;
} JarchiSipBcReceiver;

/* ---- sending: one thread, one tick, every call ---------------------------------------------------- */

/* The libre thread (SIP, RTP in, set-up and tear-down) never waits for a tick's sends: it
 * hands the sender a stream of its own (the message referenced, a duplicate of the RTP
 * socket's descriptor, the peer copied) and later changes and its end through three short
 * lists under bc->lock, which the sender takes only to apply them between ticks and to
 * report the end of the message.  The sender frees a stream itself once it applied its
 * removal, so the call's memory and the libre side of its socket can go at once: the
 * duplicate descriptor keeps the socket open (a packet may still leave after the BYE) and
 * can never be a reused number that means another socket. */
struct _JarchiSipBcStream {
  guint                      id;
  JarchiSipBroadcastMessage *message;
  /* Under bc->lock, from the libre thread. */
  JarchiSipBcPeer            next;
  gboolean                   next_set;
  gboolean                   restart;   /* play the message from its first frame */
  gboolean                   queued;    /* in bc->changed */
  gboolean                   gone;      /* in bc->removed */
  /* The sender's alone: the peer in use, the next frame (-1: silence) and the packet, whose
   * header is written in place and payload copied from the shared message each time. */
  JarchiSipBcPeer            peer;
  int                        pos;
  uint32_t                   ts;
  uint16_t                   seq;
  gboolean                   marker;
  guint8                     packet[RTP_HEADER_SIZE + JARCHI_SIP_BC_FRAME_BYTES];
};

static void
lock_sending (JarchiSipBroadcast *bc)
{
  pthread_mutex_lock (&bc->lock);
}

static void
unlock_sending (JarchiSipBroadcast *bc)
{
  pthread_mutex_unlock (&bc->lock);
}

/* The sender's own copy of the peer: its own descriptor. */
static JarchiSipBcPeer
peer_copy (const JarchiSipBcPeer *peer)
{
  JarchiSipBcPeer copy = *peer;

  copy.fd = peer->fd >= 0 ? fcntl (peer->fd, F_DUPFD_CLOEXEC, 0) : -1;
  return copy;
}

static void
peer_clear (JarchiSipBcPeer *peer)
{
  if (peer->fd >= 0)
    close (peer->fd);
  peer->fd = -1;
}

static void
stream_free (JarchiSipBcStream *stream)
{
  peer_clear (&stream->peer);
  if (stream->next_set)
    peer_clear (&stream->next);
  jarchi_sip_broadcast_message_unref (stream->message);
  g_free (stream);
}

/* Under bc->lock. */
static void
queue_change (JarchiSipBroadcast *bc,
              JarchiSipBcStream  *stream)
{
  if (!stream->queued)
    {
      stream->queued = TRUE;
      g_ptr_array_add (bc->changed, stream);
    }
}

void
jarchi_sip_bc_start_sending (JarchiSipBcCall *call)
{
  JarchiSipBroadcast *bc = call->bc;
  JarchiSipBcStream *stream = call->stream;

  if (stream != NULL)
    {
      lock_sending (bc);
      stream->restart = TRUE;
      queue_change (bc, stream);
      unlock_sending (bc);
      return;
    }
  /* From now on the sender reads the socket (see RECEIVE_EVERY). */
  udp_thread_detach (rtp_sock (call->rtp));
  stream = g_new0 (JarchiSipBcStream, 1);
  stream->id = call->id;
  stream->message = jarchi_sip_broadcast_message_ref (call->message);
  stream->peer = peer_copy (&call->peer);
  stream->pos = 0;
  stream->marker = TRUE;
  stream->ts = call->ts;
  stream->seq = call->seq;
  call->stream = stream;
  lock_sending (bc);
  g_ptr_array_add (bc->added, stream);
  pthread_cond_signal (&bc->wake);
  unlock_sending (bc);
}

void
jarchi_sip_bc_stop_sending (JarchiSipBcCall *call)
{
  JarchiSipBroadcast *bc = call->bc;
  JarchiSipBcStream *stream = g_steal_pointer (&call->stream);

  if (stream == NULL)
    return;
  lock_sending (bc);
  stream->gone = TRUE;
  g_ptr_array_add (bc->removed, stream);
  unlock_sending (bc);
}

void
jarchi_sip_bc_set_peer (JarchiSipBcCall *call,
                        JarchiG711Law    law,
                        int              pt,
                        const struct sa *raddr,
                        gboolean         held)
{
  JarchiSipBroadcast *bc = call->bc;
  JarchiSipBcStream *stream = call->stream;

  call->peer.law = law;
  call->peer.frames = g_bytes_get_data (call->message->law[law], NULL);
  call->peer.pt = pt;
  call->peer.raddr = *raddr;
  call->peer.held = held;
  call->peer.ssrc = rtp_sess_ssrc (call->rtp);
  call->peer.fd = udp_sock_fd (rtp_sock (call->rtp), sa_af (raddr));
  if (stream == NULL)
    return;
  lock_sending (bc);
  if (stream->next_set)
    peer_clear (&stream->next);
  stream->next = peer_copy (&call->peer);
  stream->next_set = TRUE;
  queue_change (bc, stream);
  unlock_sending (bc);
}

/* The sender, under bc->lock: a handful of streams each tick at 200 calls a second. */
static void
apply_changes (JarchiSipBroadcast *bc)
{
  for (guint i = 0; i < bc->added->len; i++)
    g_ptr_array_add (bc->active, g_ptr_array_index (bc->added, i));
  for (guint i = 0; i < bc->changed->len; i++)
    {
      JarchiSipBcStream *stream = g_ptr_array_index (bc->changed, i);

      stream->queued = FALSE;
      if (stream->next_set)
        {
          peer_clear (&stream->peer);
          stream->peer = stream->next;
          stream->next_set = FALSE;
        }
      if (stream->restart)
        {
          stream->restart = FALSE;
          stream->pos = 0;
          stream->marker = TRUE;
        }
    }
  for (guint i = 0; i < bc->removed->len; i++)
    {
      JarchiSipBcStream *stream = g_ptr_array_index (bc->removed, i);

      /* Ordered removal: the calls after it keep their order, so their spacing stays 20 ms. */
      g_ptr_array_remove (bc->active, stream);
      stream_free (stream);
    }
  g_ptr_array_set_size (bc->added, 0);
  g_ptr_array_set_size (bc->changed, 0);
  g_ptr_array_set_size (bc->removed, 0);
}

/* One packet: the stream's header patched in place and the frame copied behind it, in one
 * sendto () on the call's own socket.  No allocation, no lock: at 1,000 calls this runs
 * 50,000 times a second.  One contiguous buffer rather than a header and the shared payload
 * as two iovecs: copying 160 bytes here costs less than the kernel's import of a msghdr and
 * its iovec array for every packet. */
static void
send_frame (JarchiSipBroadcast *bc,
            JarchiSipBcStream  *stream)
{
  JarchiSipBcPeer *peer = &stream->peer;
  guint8 *hdr = stream->packet;

  if (peer->held || peer->fd < 0)
    {
      stream->ts += JARCHI_SIP_BC_FRAME_BYTES;
      return;
    }
  hdr[0] = 0x80;                                /* version 2, no padding, no CSRC */
  hdr[1] = (guint8) ((stream->marker ? 0x80 : 0) | (peer->pt & 0x7f));
  hdr[2] = (guint8) (stream->seq >> 8);
  hdr[3] = (guint8) stream->seq;
  hdr[4] = (guint8) (stream->ts >> 24);
  hdr[5] = (guint8) (stream->ts >> 16);
  hdr[6] = (guint8) (stream->ts >> 8);
  hdr[7] = (guint8) stream->ts;
  hdr[8] = (guint8) (peer->ssrc >> 24);
  hdr[9] = (guint8) (peer->ssrc >> 16);
  hdr[10] = (guint8) (peer->ssrc >> 8);
  hdr[11] = (guint8) peer->ssrc;
  memcpy (hdr + RTP_HEADER_SIZE,
          stream->pos >= 0 ? peer->frames + (gsize) stream->pos * JARCHI_SIP_BC_FRAME_BYTES
                           : bc->silence[peer->law],
          JARCHI_SIP_BC_FRAME_BYTES);
  /* Errors (a full socket buffer, an ICMP error) lose this one packet only; its sequence
   * number is spent all the same, so the receiver counts it as lost. */
  (void) sendto (peer->fd, stream->packet, sizeof stream->packet, MSG_DONTWAIT,
                 &peer->raddr.u.sa, peer->raddr.len);
  stream->seq++;
  stream->marker = FALSE;
  stream->ts += JARCHI_SIP_BC_FRAME_BYTES;
  if (stream->pos >= 0 && (guint) ++stream->pos >= stream->message->n_frames)
    {
      stream->pos = -1;
      /* Not once the libre thread ended the call: PLAYED never follows ENDED. */
      lock_sending (bc);
      if (!stream->gone)
        {
          JarchiSipEvent *ev = jarchi_sip_event_new (JARCHI_SIP_EV_BROADCAST, stream->id);

          ev->state = JARCHI_SIP_BROADCAST_PLAYED;
          jarchi_sip_stack_emit (bc->stack, ev);
        }
      unlock_sending (bc);
    }
}

static void
receiver_init (JarchiSipBcReceiver *rx)
{
  memset (rx->msgs, 0, sizeof rx->msgs);
  for (guint i = 0; i < RECEIVE_BATCH; i++)
    {
      rx->iov[i].iov_base = rx->buf[i];
      rx->iov[i].iov_len = RECEIVE_MAX;
      rx->msgs[i].msg_hdr.msg_iov = &rx->iov[i];
      rx->msgs[i].msg_hdr.msg_iovlen = 1;
    }
  rx->batch = NULL;
}

static void
keep_packet (JarchiSipBcReceiver *rx,
             guint                id,
             const guint8        *data,
             gsize                len)
{
  JarchiSipBcPacket head = { id, (guint16) len };

  if (rx->batch == NULL)
    rx->batch = g_byte_array_new ();
  g_byte_array_append (rx->batch, (const guint8 *) &head, sizeof head);
  g_byte_array_append (rx->batch, data, len);
}

/* What the peer sent since the last time, into this tick's batch.  A datagram longer than
 * RECEIVE_MAX is no RTP of ours and is dropped. */
static void
read_packets (JarchiSipBcReceiver *rx,
              JarchiSipBcStream   *stream)
{
  ssize_t len;

  if (stream->peer.fd < 0)
    return;
  /* Mostly nothing came (a listener's phone may send nothing): one recv () tells that for
   * two thirds of what recvmmsg () costs. */
  len = recv (stream->peer.fd, rx->buf[0], RECEIVE_MAX, MSG_DONTWAIT | MSG_TRUNC);
  if (len < 0)
    return;
  if (len <= RECEIVE_MAX)
    keep_packet (rx, stream->id, rx->buf[0], (gsize) len);
  for (guint round = 0; round < RECEIVE_ROUNDS; round++)
    {
      int n = recvmmsg (stream->peer.fd, rx->msgs, RECEIVE_BATCH, MSG_DONTWAIT, NULL);

      for (int i = 0; i < n; i++)
        if (!(rx->msgs[i].msg_hdr.msg_flags & MSG_TRUNC))
          keep_packet (rx, stream->id, rx->buf[i], rx->msgs[i].msg_len);
      if (n < RECEIVE_BATCH)
        return;
    }
}

/* The tick's batch to the libre thread, woken only when its inbox was empty. */
static void
hand_over (JarchiSipBroadcast  *bc,
           JarchiSipBcReceiver *rx)
{
  const uint64_t one = 1;
  gboolean wake;

  if (rx->batch == NULL)
    return;
  lock_sending (bc);
  wake = bc->inbox->len == 0;
  g_ptr_array_add (bc->inbox, g_steal_pointer (&rx->batch));
  unlock_sending (bc);
  if (wake && write (bc->inbox_fd, &one, sizeof one) != sizeof one)
    g_debug ("broadcast: cannot wake the SIP thread for RTP in: %s", g_strerror (errno));
}

static int64_t
now_ns (void)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  return (int64_t) t.tv_sec * 1000000000 + t.tv_nsec;
}

/* A dialer keeps its audio timing under load this way: with SCHED_FIFO the sender runs as
 * soon as its tick is due instead of queueing behind every normal thread of the machine
 * (the SIP thread, other processes).  It needs CAP_SYS_NICE or an RLIMIT_RTPRIO of at least
 * SENDER_RT_PRIORITY; without, the thread goes on at normal priority.  The loop sleeps to an
 * absolute deadline after each tick and catches up at most MAX_CATCH_UP frames, so it never
 * spins; the kernel's real-time throttling (95 % by default) bounds it anyway. */
static void
ask_realtime (void)
{
  static gsize logged = 0;
  struct sched_param param = { .sched_priority = SENDER_RT_PRIORITY };
  int err = pthread_setschedparam (pthread_self (), SCHED_FIFO, &param);

  if (err != 0 && g_once_init_enter (&logged))
    {
      g_debug ("broadcast: no real-time priority for the RTP sender (%s): normal priority",
               g_strerror (err));
      g_once_init_leave (&logged, 1);
    }
}

static gpointer
sender_main (gpointer data)
{
  JarchiSipBroadcast *bc = data;
  g_autofree JarchiSipBcReceiver *rx = g_new (JarchiSipBcReceiver, 1);
  int64_t next = 0;
  guint tick = 0;

  receiver_init (rx);
  ask_realtime ();
  lock_sending (bc);
  while (!bc->quit)
    {
      struct timespec at;
      int64_t now, ticks, rounds;

      apply_changes (bc);
      if (bc->active->len == 0)
        {
          pthread_cond_wait (&bc->wake, &bc->lock);
          next = 0;
          continue;
        }
      /* The first frame one tick after the first call starts, also when it started before
       * this thread first got here. */
      if (next == 0)
        next = now_ns () + FRAME_NS;
      unlock_sending (bc);
      at.tv_sec = next / 1000000000;
      at.tv_nsec = next % 1000000000;
      while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR)
        ;
      now = now_ns ();
      ticks = now < next ? 1 : 1 + (now - next) / FRAME_NS;
      next += ticks * FRAME_NS;
      rounds = MIN (ticks, MAX_CATCH_UP);
      lock_sending (bc);
      if (bc->quit)
        break;
      apply_changes (bc);
      unlock_sending (bc);
      tick++;
      for (guint i = 0; i < bc->active->len; i++)
        {
          JarchiSipBcStream *stream = g_ptr_array_index (bc->active, i);

          for (int64_t r = 0; r < rounds; r++)
            send_frame (bc, stream);
          /* A tenth of the calls each tick, so that no tick reads them all. */
          if ((stream->id + tick) % RECEIVE_EVERY == 0)
            read_packets (rx, stream);
        }
      hand_over (bc, rx);
      if (ticks > rounds)
        for (guint i = 0; i < bc->active->len; i++)
          ((JarchiSipBcStream *) g_ptr_array_index (bc->active, i))->ts += (uint32_t) (ticks - rounds) * JARCHI_SIP_BC_FRAME_BYTES;
      lock_sending (bc);
    }
  /* Every call was stopped before quit: their removals free them; anything left goes too. */
  apply_changes (bc);
  for (guint i = 0; i < bc->active->len; i++)
    stream_free (g_ptr_array_index (bc->active, i));
  g_ptr_array_set_size (bc->active, 0);
  unlock_sending (bc);
  return NULL;
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
  jarchi_dtmf_detector_feed_g711 (call->dtmf, call->peer.law, mbuf_buf (mb), mbuf_get_left (mb));
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
  else if (hdr->pt == call->peer.pt && !call->rfc4733_seen)
    receive_audio (call, mb);
}

/* In the libre thread: the sender's batches, each packet to its call if it still goes on. */
static void
deliver_batch (JarchiSipBroadcast *bc,
               GByteArray         *batch)
{
  JarchiSipBcPacket head;

  for (gsize off = 0; off + sizeof head <= batch->len; off += sizeof head + head.len)
    {
      JarchiSipBcCall *call;
      struct rtp_header hdr;
      struct mbuf mb;

      memcpy (&head, batch->data + off, sizeof head);
      call = g_hash_table_lookup (bc->calls, GUINT_TO_POINTER (head.id));
      if (call == NULL)
        continue;
      mb.buf = batch->data + off + sizeof head;
      mb.size = mb.end = head.len;
      mb.pos = 0;
      if (rtp_decode (call->rtp, &mb, &hdr) == 0)
        jarchi_sip_bc_rtp_handler (NULL, &hdr, &mb, call);
    }
}

static void
inbox_handler (int   flags,
               void *arg)
{
  JarchiSipBroadcast *bc = arg;
  g_autoptr(GPtrArray) batches = NULL;
  uint64_t n;

  if (read (bc->inbox_fd, &n, sizeof n) != sizeof n && errno != EAGAIN)
    g_debug ("broadcast: RTP in: %s", g_strerror (errno));
  lock_sending (bc);
  batches = g_steal_pointer (&bc->inbox);
  bc->inbox = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  unlock_sending (bc);
  for (guint i = 0; i < batches->len; i++)
    deliver_batch (bc, g_ptr_array_index (batches, i));
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
  pthread_mutexattr_t attr;
  g_autoptr(GError) error = NULL;
  int err;

  /* Priority inheritance: a libre thread holding the lock is not kept off the core by the
   * real-time sender waiting for it. */
  pthread_mutexattr_init (&attr);
  (void) pthread_mutexattr_setprotocol (&attr, PTHREAD_PRIO_INHERIT);
  pthread_mutex_init (&bc->lock, &attr);
  pthread_mutexattr_destroy (&attr);
  pthread_cond_init (&bc->wake, NULL);
  bc->added = g_ptr_array_new ();
  bc->changed = g_ptr_array_new ();
  bc->removed = g_ptr_array_new ();
  bc->active = g_ptr_array_new ();
  bc->inbox = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  bc->inbox_fd = eventfd (0, EFD_NONBLOCK | EFD_CLOEXEC);
  err = bc->inbox_fd < 0 ? errno : fd_listen (bc->inbox_fd, FD_READ, inbox_handler, bc);
  if (err != 0)
    {
      g_message ("broadcast: cannot set up RTP in: %s", g_strerror (err));
      bc->quit = TRUE;
      jarchi_sip_bc_media_clear (bc);
      return FALSE;
    }
  /* G.711 silence: the codes closest to zero. */
  memset (bc->silence[JARCHI_G711_ULAW], 0xff, JARCHI_SIP_BC_FRAME_BYTES);
  memset (bc->silence[JARCHI_G711_ALAW], 0xd5, JARCHI_SIP_BC_FRAME_BYTES);
  bc->sender = g_thread_try_new ("jarchi-bc-rtp", sender_main, bc, &error);
  if (bc->sender == NULL)
    {
      g_message ("broadcast: cannot start the RTP sender: %s", error->message);
      bc->quit = TRUE;
      jarchi_sip_bc_media_clear (bc);
      return FALSE;
    }
  return TRUE;
}

/* After every call stopped sending; again is harmless. */
void
jarchi_sip_bc_media_clear (JarchiSipBroadcast *bc)
{
  if (bc->active == NULL)
    return;
  if (bc->sender != NULL)
    {
      lock_sending (bc);
      bc->quit = TRUE;
      pthread_cond_signal (&bc->wake);
      unlock_sending (bc);
      /* At most one tick's sleep and sends away. */
      g_thread_join (g_steal_pointer (&bc->sender));
    }
  g_clear_pointer (&bc->added, g_ptr_array_unref);
  g_clear_pointer (&bc->changed, g_ptr_array_unref);
  g_clear_pointer (&bc->removed, g_ptr_array_unref);
  g_clear_pointer (&bc->active, g_ptr_array_unref);
  g_clear_pointer (&bc->inbox, g_ptr_array_unref);
  if (bc->inbox_fd >= 0)
    {
      fd_close (bc->inbox_fd);
      close (bc->inbox_fd);
      bc->inbox_fd = -1;
    }
  pthread_cond_destroy (&bc->wake);
  pthread_mutex_destroy (&bc->lock);
}
