/* Benchmark RTP receiver: per-stream loss and send jitter from kernel receive timestamps (SO_TIMESTAMPNS), summary as JSON on SIGTERM. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * usage: rtp-sink PORT OUT.json
 * Binds 127.0.0.1:PORT and counts every RTP packet.  A stream is (source address, source port,
 * SSRC).  Per stream: packets, the sequence numbers expected (first to highest, extended over
 * wrap-around) and so the packets lost, and for every packet after the first the RFC 3550
 * transit difference D = (arrival - previous arrival) - (timestamp - previous timestamp)/8 kHz,
 * from the kernel's receive time.  |D| goes into a histogram of 10 µs bins; the summary gives
 * its percentiles over all streams.  The socket's own drops (SO_RXQ_OVFL) are counted apart:
 * they are the sink's, not the sender's.  The sink does not wait on the socket: it polls it
 * every 2 ms, so that senders do not pay for waking it up at every packet (a remote receiver
 * costs them nothing like that); the receive times are the kernel's all the same.
 */

#define BATCH       64
#define MAX_STREAMS 65536          /* power of two */
#define BIN_US      10
#define N_BINS      20000          /* 200 ms; larger goes to the last bin */

typedef struct {
  uint32_t addr, ssrc;
  uint16_t port;
  int      used;
  uint32_t packets;
  uint32_t first_seq;
  uint32_t max_ext;                /* highest extended sequence number */
  uint32_t cycles;
  uint16_t last_seq;
  uint32_t last_ts;
  int64_t  last_ns;
  int64_t  first_ns;
} Stream;

static Stream streams[MAX_STREAMS];
static uint64_t hist[N_BINS];
static uint64_t n_diffs, total_packets, kernel_drops, max_abs_d_ns;
static unsigned n_streams;
static volatile sig_atomic_t stop;

static void
on_signal (int sig)
{
  stop = 1;
}

static Stream *
lookup (uint32_t addr, uint16_t port, uint32_t ssrc)
{
  uint32_t h = (addr * 2654435761u) ^ (port * 40503u) ^ (ssrc * 2246822519u);

  for (unsigned i = 0; i < MAX_STREAMS; i++)
    {
      Stream *s = &streams[(h + i) & (MAX_STREAMS - 1)];

      if (!s->used)
        {
          s->used = 1;
          s->addr = addr;
          s->port = port;
          s->ssrc = ssrc;
          n_streams++;
          return s;
        }
      if (s->addr == addr && s->port == port && s->ssrc == ssrc)
        return s;
    }
  return NULL;
}

static void
packet (const uint8_t *p, size_t len, const struct sockaddr_in *from, int64_t ns)
{
  uint16_t seq;
  uint32_t ts, ssrc, ext;
  Stream *s;

  total_packets++;
  if (len < 12 || (p[0] >> 6) != 2)
    return;
  seq = (uint16_t) (p[2] << 8 | p[3]);
  ts = (uint32_t) p[4] << 24 | (uint32_t) p[5] << 16 | (uint32_t) p[6] << 8 | p[7];
  ssrc = (uint32_t) p[8] << 24 | (uint32_t) p[9] << 16 | (uint32_t) p[10] << 8 | p[11];
  s = lookup (from->sin_addr.s_addr, from->sin_port, ssrc);
  if (s == NULL)
    return;
  if (s->packets == 0)
    {
      s->first_seq = seq;
      s->max_ext = seq;
      s->first_ns = ns;
    }
  else
    {
      int64_t d_ns;
      uint64_t a;

      /* extend the sequence number over wrap-around */
      if (seq < s->last_seq && s->last_seq - seq > 0x8000)
        s->cycles += 0x10000;
      ext = s->cycles + seq;
      if (ext > s->max_ext)
        s->max_ext = ext;
      d_ns = (ns - s->last_ns) - (int64_t) (int32_t) (ts - s->last_ts) * 125000;
      a = (uint64_t) (d_ns < 0 ? -d_ns : d_ns);
      if (a > max_abs_d_ns)
        max_abs_d_ns = a;
      a /= 1000 * BIN_US;
      hist[a < N_BINS ? a : N_BINS - 1]++;
      n_diffs++;
    }
  s->packets++;
  s->last_seq = seq;
  s->last_ts = ts;
  s->last_ns = ns;
}

static double
percentile_ms (double q)
{
  uint64_t want = (uint64_t) (q * (double) n_diffs), seen = 0;

  if (n_diffs == 0)
    return 0;
  for (unsigned i = 0; i < N_BINS; i++)
    {
      seen += hist[i];
      if (seen > want)
        return (i + 1) * BIN_US / 1000.0;
    }
  return N_BINS * BIN_US / 1000.0;
}

static void
write_summary (const char *path)
{
  uint64_t expected = 0, received = 0, lost_streams = 0;
  int64_t lost = 0;
  FILE *f = fopen (path, "w");

  for (unsigned i = 0; i < MAX_STREAMS; i++)
    {
      Stream *s = &streams[i];
      int64_t e;

      if (!s->used)
        continue;
      e = (int64_t) s->max_ext - s->first_seq + 1;
      expected += (uint64_t) e;
      received += s->packets;
      if (e > s->packets)
        {
          lost += e - s->packets;
          lost_streams++;
        }
    }
  if (f == NULL)
    {
      perror (path);
      return;
    }
  fprintf (f, "{\"packets\": %llu, \"streams\": %u, \"expected\": %llu, \"received\": %llu, "
              "\"lost\": %lld, \"streams_with_loss\": %llu, \"sink_drops\": %llu, "
              "\"jitter_p50_ms\": %.3f, \"jitter_p99_ms\": %.3f, \"jitter_p999_ms\": %.3f, "
              "\"jitter_max_ms\": %.3f}\n",
           (unsigned long long) total_packets, n_streams, (unsigned long long) expected,
           (unsigned long long) received, (long long) lost, (unsigned long long) lost_streams,
           (unsigned long long) kernel_drops, percentile_ms (0.50), percentile_ms (0.99),
           percentile_ms (0.999), max_abs_d_ns / 1e6);
  fclose (f);
}

int
main (int argc, char *argv[])
{
  struct sockaddr_in addr = { .sin_family = AF_INET };
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  struct sockaddr_in from[BATCH];
  static uint8_t bufs[BATCH][2048];
  static char ctrl[BATCH][256];
  struct sigaction sa = { .sa_handler = on_signal };
  struct timespec nap = { 0, 2000000 };
  int fd, one = 1, rcvbuf = 64 << 20;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s PORT OUT.json\n", argv[0]);
      return 2;
    }
  fd = socket (AF_INET, SOCK_DGRAM, 0);
  addr.sin_port = htons ((uint16_t) atoi (argv[1]));
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  /* FORCE needs CAP_NET_ADMIN; without it the kernel caps at rmem_max. */
  if (setsockopt (fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0)
    (void) setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  (void) setsockopt (fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
  (void) setsockopt (fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    {
      perror ("bind");
      return 1;
    }
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGINT, &sa, NULL);
  printf ("ready\n");
  fflush (stdout);

  while (!stop)
    {
      int n;

      for (int i = 0; i < BATCH; i++)
        {
          iov[i].iov_base = bufs[i];
          iov[i].iov_len = sizeof bufs[i];
          memset (&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
          msgs[i].msg_hdr.msg_iov = &iov[i];
          msgs[i].msg_hdr.msg_iovlen = 1;
          msgs[i].msg_hdr.msg_name = &from[i];
          msgs[i].msg_hdr.msg_namelen = sizeof from[i];
          msgs[i].msg_hdr.msg_control = ctrl[i];
          msgs[i].msg_hdr.msg_controllen = sizeof ctrl[i];
        }
      n = recvmmsg (fd, msgs, BATCH, MSG_DONTWAIT, NULL);
      if (n < 0)
        {
          if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            {
              nanosleep (&nap, NULL);
              continue;
            }
          perror ("recvmmsg");
          break;
        }
      for (int i = 0; i < n; i++)
        {
          int64_t ns = 0;

          for (struct cmsghdr *c = CMSG_FIRSTHDR (&msgs[i].msg_hdr); c;
               c = CMSG_NXTHDR (&msgs[i].msg_hdr, c))
            {
              if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS)
                {
                  struct timespec t;

                  memcpy (&t, CMSG_DATA (c), sizeof t);
                  ns = (int64_t) t.tv_sec * 1000000000 + t.tv_nsec;
                }
              else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL)
                {
                  uint32_t drops;

                  memcpy (&drops, CMSG_DATA (c), sizeof drops);
                  kernel_drops = drops;
                }
            }
          packet (bufs[i], msgs[i].msg_len, &from[i], ns);
        }
    }
  write_summary (argv[2]);
  return 0;
}
