/* Tests of JarchiBroadcastDialer's RTP with real peers on 127.0.0.1: the message by header and byte, many streams paced from one tick, hold by re-INVITE, a peer's flood. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "broadcast-fixture.h"

/* Answers (RTP to the test's socket, %1$u), holds the call by re-INVITE (sendonly) for a second,
 * then takes it back (sendrecv); our answers must say recvonly, then sendrecv. */
#define UAS_REINVITE(cseq, dir) \
  "<send retrans=\"500\"><![CDATA[\nINVITE [next_url] SIP/2.0\n" \
  "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n[routes]\n" \
  "From: [$invite_to];tag=[pid]b[call_number]\nTo: [$invite_from]\n[last_Call-ID:]\n" \
  "CSeq: " cseq " INVITE\nMax-Forwards: 70\nContact: <sip:b@[local_ip]:[local_port]>\n" \
  "Content-Type: application/sdp\nContent-Length: [len]\n\n" \
  "v=0\no=b 1 " cseq " IN IP4 [local_ip]\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n" \
  "m=audio %1$u RTP/AVP 0 101\na=rtpmap:0 PCMU/8000\n" EVENT_MAP "a=" dir "\n]]></send>\n" \
  "<recv response=\"100\" optional=\"true\"/>\n"
#define UAS_ACK(cseq) \
  "<send><![CDATA[\nACK [next_url] SIP/2.0\n" \
  "Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n[routes]\n" \
  "From: [$invite_to];tag=[pid]b[call_number]\nTo: [$invite_from]\n[last_Call-ID:]\n" \
  "CSeq: " cseq " ACK\nMax-Forwards: 70\nContent-Length: 0\n\n]]></send>\n"
#define EXPECT_DIR(var, dir) \
  "<recv response=\"200\"><action>\n<ereg regexp=\"a=" dir "\" search_in=\"body\" check_it=\"true\" " \
  "assign_to=\"" var "\"/>\n</action></recv>\n"

static const char reinvite_xml[] =
  SCEN_HEAD RECV_INVITE_KEEP RESPONSE ("180 Ringing")
  "<send retrans=\"500\"><![CDATA[\nSIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n"
  "[last_To:];tag=[pid]b[call_number]\n[last_Call-ID:]\n[last_CSeq:]\n[last_Record-Route:]\n"
  "Contact: <sip:b@[local_ip]:[local_port]>\nContent-Type: application/sdp\nContent-Length: [len]\n\n"
  "v=0\no=b 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio %1$u RTP/AVP 0 101\n"
  "a=rtpmap:0 PCMU/8000\n" EVENT_MAP "a=sendrecv\n]]></send>\n"
  "<recv request=\"ACK\" crlf=\"true\"/>\n"
  "<pause milliseconds=\"600\"/>\n"
  UAS_REINVITE ("2", "sendonly") EXPECT_DIR ("held", "recvonly") UAS_ACK ("2")
  "<pause milliseconds=\"1000\"/>\n"
  UAS_REINVITE ("3", "sendrecv") EXPECT_DIR ("back", "sendrecv") UAS_ACK ("3")
  "<nop><action><log message=\"[$held] [$back]\"/></action></nop>\n"
  WAIT_BYE SCEN_TAIL;

/* ---- RTP as sent, header by header and byte by byte ---- */

typedef struct {
  GArray  *packets;  /* Packet */
  GSocket *socket;
  GSource *source;
  guint16  from_port; /* where the last packet came from: the call's RTP port */
} Sink;

typedef struct {
  gint64  at;
  guint8  data[12 + 160];
  gsize   len;
} Packet;

static gboolean
sink_read (GSocket *socket, GIOCondition cond, gpointer data)
{
  Sink *sink = data;
  Packet p;
  gssize n;
  GSocketAddress *from = NULL;

  while ((n = g_socket_receive_from (socket, &from, (char *) p.data, sizeof p.data, NULL, NULL)) > 0)
    {
      sink->from_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (from));
      g_clear_object (&from);
      p.at = g_get_monotonic_time ();
      p.len = n;
      g_array_append_val (sink->packets, p);
    }
  return G_SOURCE_CONTINUE;
}

/* A UDP socket on 127.0.0.1 whose packets land in SINK->packets while the main loop runs;
 * returns its port. */
static guint
sink_open (Sink *sink)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) bind_addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) local = NULL;

  sink->packets = g_array_new (FALSE, FALSE, sizeof (Packet));
  sink->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                               G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (sink->socket, bind_addr, FALSE, &error));
  g_socket_set_blocking (sink->socket, FALSE);
  local = g_socket_get_local_address (sink->socket, &error);
  g_assert_no_error (error);
  sink->source = g_socket_create_source (sink->socket, G_IO_IN, NULL);
  g_source_set_callback (sink->source, G_SOURCE_FUNC (sink_read), sink, NULL);
  g_source_attach (sink->source, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
}

static void
sink_close (Sink *sink)
{
  g_source_destroy (sink->source);
  g_clear_pointer (&sink->source, g_source_unref);
  g_clear_object (&sink->socket);
  g_clear_pointer (&sink->packets, g_array_unref);
}

/* A call, answered by a SIPp UAS whose scenario SCENARIO (a format: %u is SINK's port,
 * opened here) sends its RTP to SINK; returns the call's id. */
static guint
place_to_sink (Fixture *f, Sink *sink, const char *scenario, const char *name)
{
  g_autofree char *xml = g_strdup_printf (scenario, sink_open (sink));
  g_autofree char *path = sip_lab_scenario (f->lab, name, xml);

  return place_sipp (f, start_sipp (f, "uas", path, NULL), 10);
}

static guint16 rd16 (const guint8 *p) { return (guint16) (p[0] << 8 | p[1]); }
static guint32 rd32 (const guint8 *p) { return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3]; }

static void
test_rtp (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) alaw = NULL;
  Sink sink = { NULL };
  const guint8 *frames;
  gsize frames_len;
  guint n_frames, id, replay_at = 0, markers = 0;
  CallLog *c;

  alaw = jarchi_media_library_load_g711 (f->library, f->media_id, JARCHI_G711_ALAW, &error);
  g_assert_no_error (error);
  frames = g_bytes_get_data (alaw, &frames_len);
  n_frames = frames_len / 160;

  id = place_to_sink (f, &sink, to_sink_xml, "to-sink");

  c = wait_log (f, id, "AP", 10000);
  /* The message takes its own length to send, paced, not a burst. */
  g_assert_cmpint (c->played_at - c->answered_at, >=, (MESSAGE_MS - 60) * 1000);
  g_assert_cmpint (c->played_at - c->answered_at, <=, (MESSAGE_MS + 300) * 1000);
  sip_lab_spin (300);
  replay_at = sink.packets->len;
  g_assert_true (jarchi_campaign_dialer_replay (JARCHI_CAMPAIGN_DIALER (f->dialer), id, &error));
  g_assert_no_error (error);
  c = wait_log (f, id, "APP", 10000);
  sip_lab_spin (200);
  hang_up (f, id);
  c = wait_ended (f, id, 5000);
  g_assert_cmpstr (c->log->str, ==, "APPE");
  assert_ended (c, 200, JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US);
  assert_sipp_ok (f, "uas");
  g_source_destroy (sink.source);

  /* One stream: PCMA, one SSRC, consecutive sequence numbers, 160 samples a packet, the
   * message byte for byte, then silence, then the message again after a marker. */
  g_test_message ("%u packets", sink.packets->len);
  g_assert_cmpuint (sink.packets->len, >=, 2 * n_frames + 20);
  for (guint i = 0; i < sink.packets->len; i++)
    {
      Packet *p = &g_array_index (sink.packets, Packet, i);
      Packet *first = &g_array_index (sink.packets, Packet, 0);
      gboolean marker = (p->data[1] & 0x80) != 0;

      g_assert_cmpuint (p->len, ==, 12 + 160);
      g_assert_cmpuint (p->data[0], ==, 0x80);
      g_assert_cmpuint (p->data[1] & 0x7f, ==, 8);
      g_assert_cmpuint (rd32 (p->data + 8), ==, rd32 (first->data + 8));
      g_assert_cmpuint ((guint16) (rd16 (p->data + 2) - rd16 (first->data + 2)), ==, (guint16) i);
      g_assert_cmpuint (rd32 (p->data + 4) - rd32 (first->data + 4), ==, 160u * i);
      if (marker)
        {
          markers++;
          if (i > 0)
            {
              g_assert_cmpuint (i, >=, replay_at);
              g_assert_cmpuint (i, <=, replay_at + 3);
              replay_at = i;
            }
        }
      if (i < n_frames)
        g_assert_cmpmem (p->data + 12, 160, frames + i * 160, 160);
      else if (i >= replay_at && i < replay_at + n_frames && markers == 2)
        g_assert_cmpmem (p->data + 12, 160, frames + (i - replay_at) * 160, 160);
      else
        for (guint b = 0; b < 160; b++)
          g_assert_cmpuint (p->data[12 + b], ==, 0xd5);
    }
  g_assert_cmpuint (markers, ==, 2);
  g_assert_true ((g_array_index (sink.packets, Packet, 0).data[1] & 0x80) != 0);
  sink_close (&sink);
}

/* ---- what a peer sends: a flood of garbage and audio, then a key ---- */

static void
send_to (int fd, guint16 port, const guint8 *data, gsize len)
{
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = g_htons (port) };

  to.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  (void) sendto (fd, data, len, 0, (struct sockaddr *) &to, sizeof to);
}

/* An RTP header (version 2) for payload type PT into P. */
static void
rtp_header (guint8 *p, guint pt, guint16 seq, guint32 ts)
{
  p[0] = 0x80;
  p[1] = (guint8) pt;
  p[2] = (guint8) (seq >> 8);
  p[3] = (guint8) seq;
  p[4] = (guint8) (ts >> 24);
  p[5] = (guint8) (ts >> 16);
  p[6] = (guint8) (ts >> 8);
  p[7] = (guint8) ts;
  memcpy (p + 8, "\x12\x34\x56\x78", 4);
}

static gboolean
sink_has_packets (gpointer data)
{
  return ((Sink *) data)->packets->len > 0;
}

static void
test_rtp_flood (Fixture *f, gconstpointer data)
{
  Sink sink = { NULL };
  guint8 buf[2000];
  guint16 seq = 1, rtp_port;
  guint id;
  int fd;
  CallLog *c;

  id = place_to_sink (f, &sink, to_sink_xml, "to-sink");
  (void) wait_log (f, id, "A", 10000);
  g_assert_true (sip_lab_wait (sink_has_packets, &sink, 5000));
  rtp_port = sink.from_port;
  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);

  /* 4,000 datagrams as fast as they go: empty, 3 bytes, RTP version 0, over any MTU, and
   * audio in the call's codec (PCMA silence), far more than a call's socket keeps. */
  memset (buf, 0xd5, sizeof buf);
  for (guint i = 0; i < 4000; i++)
    switch (i % 5)
      {
      case 0: send_to (fd, rtp_port, buf, 0); break;
      case 1: send_to (fd, rtp_port, (const guint8 *) "abc", 3); break;
      case 2: buf[0] = 0x00; send_to (fd, rtp_port, buf, 172); break;
      case 3: rtp_header (buf, 8, seq++, 160u * i); send_to (fd, rtp_port, buf, sizeof buf); break;
      default: rtp_header (buf, 8, seq++, 160u * i); send_to (fd, rtp_port, buf, 172); break;
      }
  /* What the socket kept drains at a bounded rate; then a 1 by RFC 4733: three packets of
   * the key, three of its end. */
  sip_lab_spin (2000);
  for (guint i = 0; i < 6; i++)
    {
      rtp_header (buf, 101, seq++, 900000);
      buf[12] = 1;
      buf[13] = i >= 3 ? 0x80 | 10 : 10;
      buf[14] = (guint8) ((160 * (i + 1)) >> 8);
      buf[15] = (guint8) (160 * (i + 1));
      send_to (fd, rtp_port, buf, 16);
      sip_lab_spin (20);
    }
  close (fd);
  sip_lab_spin (1000);
  c = call_log (f, id);
  g_assert_cmpstr (c->digits->str, ==, "1");
  g_assert_cmpint (g_array_index (c->methods, JarchiDtmfMethod, 0), ==, JARCHI_DTMF_METHOD_RFC4733);
  hang_up (f, id);
  c = wait_ended (f, id, 5000);
  assert_ended (c, 200, JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US);
  assert_sipp_ok (f, "uas");
  g_source_destroy (sink.source);

  /* The message went on through it all: every packet in sequence, and the timestamps never
   * skip, which they do only after the sender stalled for five frames (MAX_CATCH_UP). */
  g_test_message ("%u packets sent to the sink", sink.packets->len);
  g_assert_cmpuint (sink.packets->len, >=, 150);
  for (guint i = 1; i < sink.packets->len; i++)
    {
      Packet *p = &g_array_index (sink.packets, Packet, i);
      Packet *q = &g_array_index (sink.packets, Packet, i - 1);

      g_assert_cmpuint ((guint16) (rd16 (p->data + 2) - rd16 (q->data + 2)), ==, 1);
      g_assert_cmpuint (rd32 (p->data + 4) - rd32 (q->data + 4), ==, 160);
    }
  sink_close (&sink);
}

/* ---- many streams at once from the one tick: each continuous and paced, at a real socket ---- */

#define N_STREAMS 40

typedef struct {
  guint16 port;
  guint32 ssrc;
  guint   n;
  guint16 first_seq, last_seq;
  guint32 first_ts, last_ts;
  gint64  first_ns;
  gint64  max_drift_ns;    /* |(arrival - first arrival) - (timestamp - first timestamp) / 8 kHz| */
  guint   late;            /* packets with that over 40 ms */
  guint   skips;           /* timestamp steps over one frame (after a very late tick) */
  guint   message_frames;  /* leading packets that are the message, byte for byte */
} Stream;

/* Everything waiting on FD, with the kernel's receive time of each packet. */
static void
read_streams (int fd, GArray *streams, const guint8 *frames, guint n_frames)
{
  guint8 buf[512];
  char ctrl[256];
  struct sockaddr_in from;
  struct iovec iov = { buf, sizeof buf };
  struct msghdr msg = { &from, sizeof from, &iov, 1, ctrl, sizeof ctrl, 0 };
  ssize_t len;

  while ((len = recvmsg (fd, &msg, MSG_DONTWAIT)) > 0)
    {
      gint64 ns = 0;
      Stream *st = NULL;

      for (struct cmsghdr *c = CMSG_FIRSTHDR (&msg); c; c = CMSG_NXTHDR (&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS)
          {
            struct timespec t;

            memcpy (&t, CMSG_DATA (c), sizeof t);
            ns = (gint64) t.tv_sec * 1000000000 + t.tv_nsec;
          }
      g_assert_cmpint (ns, >, 0);
      g_assert_cmpint (len, ==, 12 + 160);
      g_assert_cmpuint (buf[0], ==, 0x80);
      g_assert_cmpuint (buf[1] & 0x7f, ==, 8);
      for (guint i = 0; i < streams->len && st == NULL; i++)
        {
          Stream *s = &g_array_index (streams, Stream, i);

          if (s->port == from.sin_port && s->ssrc == rd32 (buf + 8))
            st = s;
        }
      if (st == NULL)
        {
          Stream s = { from.sin_port, rd32 (buf + 8), 0, rd16 (buf + 2), 0, rd32 (buf + 4), 0, ns, 0, 0, 0, 0 };

          /* Each call's own socket and SSRC: a new stream starts with the marker. */
          g_assert_true ((buf[1] & 0x80) != 0);
          g_array_append_val (streams, s);
          st = &g_array_index (streams, Stream, streams->len - 1);
        }
      else
        {
          gint64 drift;

          /* Consecutive: no gap, no repeat, 160 samples a packet, no marker after the first.
           * Only after a wake-up more than MAX_CATCH_UP ticks late does the timestamp skip
           * whole frames (the time is dropped, not the message). */
          g_assert_cmpuint ((guint16) (rd16 (buf + 2) - st->last_seq), ==, 1);
          g_assert_cmpuint ((rd32 (buf + 4) - st->last_ts) % 160, ==, 0);
          g_assert_cmpuint (rd32 (buf + 4) - st->last_ts, >=, 160);
          g_assert_cmpuint (rd32 (buf + 4) - st->last_ts, <, 160 * 100);
          st->skips += rd32 (buf + 4) - st->last_ts > 160;
          g_assert_false ((buf[1] & 0x80) != 0);
          drift = (ns - st->first_ns) - (gint64) (rd32 (buf + 4) - st->first_ts) * 125000;
          st->max_drift_ns = MAX (st->max_drift_ns, ABS (drift));
          st->late += ABS (drift) > 40 * 1000000;
        }
      if (st->n < n_frames && st->message_frames == st->n &&
          memcmp (buf + 12, frames + (gsize) st->n * 160, 160) == 0)
        st->message_frames++;
      st->n++;
      st->last_seq = rd16 (buf + 2);
      st->last_ts = rd32 (buf + 4);
      msg.msg_controllen = sizeof ctrl;
      msg.msg_namelen = sizeof from;
    }
}

typedef struct {
  Fixture *f;
  guint    n;
} AllPlayed;

static gboolean
n_played (gpointer data)
{
  AllPlayed *w = data;
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_hash_table_iter_init (&iter, w->f->calls);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += g_str_has_prefix (((CallLog *) value)->log->str, "AP");
  return n == w->n;
}

static void
test_many_streams (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) alaw = NULL;
  g_autoptr(GArray) streams = g_array_new (FALSE, FALSE, sizeof (Stream));
  g_autofree char *xml = NULL, *path = NULL, *args = NULL;
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t addr_len = sizeof addr;
  int fd, one = 1, rcvbuf = 4 << 20;
  guint ids[N_STREAMS], port, n_frames;
  const guint8 *frames;
  gsize frames_len;
  AllPlayed w = { f, N_STREAMS };
  gint64 worst = 0;
  guint late = 0, packets = 0, skips = 0;

  alaw = jarchi_media_library_load_g711 (f->library, f->media_id, JARCHI_G711_ALAW, &error);
  g_assert_no_error (error);
  frames = g_bytes_get_data (alaw, &frames_len);
  n_frames = frames_len / 160;

  /* A plain socket with kernel receive times: the test's main loop may be late, the kernel
   * is not.  Read while the calls run so that its buffer never fills. */
  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  (void) setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  g_assert_cmpint (setsockopt (fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one), ==, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &addr, &addr_len), ==, 0);

  xml = g_strdup_printf (to_sink_xml, ntohs (addr.sin_port));
  path = sip_lab_scenario (f->lab, "to-sink", xml);
  args = g_strdup_printf ("-m %d -l %d", N_STREAMS, N_STREAMS);
  port = start_sipp (f, "uas", path, args);
  for (guint i = 0; i < N_STREAMS; i++)
    ids[i] = place_sipp (f, port, 15);
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while (!n_played (&w) && g_get_monotonic_time () < deadline)
      {
        sip_lab_spin (20);
        read_streams (fd, streams, frames, n_frames);
      }
    g_assert_true (n_played (&w));
    sip_lab_spin (200);
    read_streams (fd, streams, frames, n_frames);
  }
  for (guint i = 0; i < N_STREAMS; i++)
    hang_up (f, ids[i]);
  for (guint i = 0; i < N_STREAMS; i++)
    assert_ended (wait_ended (f, ids[i], 10000), 200, JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US);
  assert_sipp_ok (f, "uas");
  sip_lab_spin (100);
  read_streams (fd, streams, frames, n_frames);
  close (fd);

  /* Every call one stream: the whole message first, then silence, with no packet missing; a
   * tick sends every stream's packet, so none drifts from its own clock (a late tick sends
   * the packets due meanwhile at once, so the drift stays that of one late wake-up). */
  g_assert_cmpuint (streams->len, ==, N_STREAMS);
  for (guint i = 0; i < streams->len; i++)
    {
      Stream *s = &g_array_index (streams, Stream, i);

      g_assert_cmpuint (s->message_frames, ==, n_frames);
      g_assert_cmpuint (s->n, >=, n_frames);
      g_assert_cmpuint ((guint16) (s->last_seq - s->first_seq), ==, s->n - 1);
      worst = MAX (worst, s->max_drift_ns);
      late += s->late;
      skips += s->skips;
      packets += s->n;
    }
  g_test_message ("%u streams, %u packets, worst drift from the RTP clock %.1f ms, %u packets over "
                  "40 ms, %u timestamp skips", streams->len, packets, worst / 1e6, late, skips);
  /* Drift that added up would put most packets out; a loaded machine puts out a few. */
  g_assert_cmpuint (late, <=, packets / 20);
  g_assert_cmpint (worst, <, G_USEC_PER_SEC * 1000);
}

/* ---- re-INVITEs: hold stops the message, taking the call back resumes it ---- */

static void
test_reinvite (Fixture *f, gconstpointer data)
{
  Sink sink = { NULL };
  guint id;
  gint64 gap = 0;
  guint gap_at = 0;
  CallLog *c;

  id = place_to_sink (f, &sink, reinvite_xml, "reinvite");
  (void) wait_log (f, id, "A", 10000);
  sip_lab_spin (2500);
  hang_up (f, id);
  c = wait_ended (f, id, 5000);
  assert_ended (c, 200, JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US);
  assert_sipp_ok (f, "uas");

  /* One stream with no packet lost, and a pause of about the second it was held, its
   * timestamps moving on with the time. */
  for (guint i = 1; i < sink.packets->len; i++)
    {
      Packet *p = &g_array_index (sink.packets, Packet, i);
      Packet *prev = &g_array_index (sink.packets, Packet, i - 1);

      g_assert_cmpuint (rd32 (p->data + 8), ==, rd32 (prev->data + 8));
      g_assert_cmpuint ((guint16) (rd16 (p->data + 2) - rd16 (prev->data + 2)), ==, 1);
      if (p->at - prev->at > gap)
        {
          gap = p->at - prev->at;
          gap_at = i;
        }
    }
  g_test_message ("%u packets, longest pause %.2f s", sink.packets->len, gap / 1e6);
  g_assert_cmpint (gap, >=, 700 * 1000);
  g_assert_cmpint (gap, <=, 1600 * 1000);
  {
    Packet *p = &g_array_index (sink.packets, Packet, gap_at);
    Packet *prev = &g_array_index (sink.packets, Packet, gap_at - 1);

    g_assert_cmpuint (rd32 (p->data + 4) - rd32 (prev->data + 4), >=, 8 * 700);
  }
  sink_close (&sink);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func, timeout) \
  g_test_add ("/broadcast-rtp/" name, Fixture, GUINT_TO_POINTER (timeout), fixture_setup, func, \
              fixture_teardown)
  ADD ("rtp", test_rtp, 40);
  ADD ("rtp-flood", test_rtp_flood, 40);
  ADD ("many-streams", test_many_streams, 60);
  ADD ("reinvite", test_reinvite, 40);
#undef ADD

  return g_test_run ();
}
