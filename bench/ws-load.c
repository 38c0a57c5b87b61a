/* ws-load: holds N dashboard WebSocket connections to Jarchi and measures how late its events arrive. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Each event Jarchi sends on /ws starts with "ts" (wall-clock µs when the server handed it to
 * its clients); the latency of an event at a client is the clock at receipt minus that. The
 * clients are plain non-blocking sockets in one epoll loop per thread, doing the same HTTP
 * upgrade as the dashboard page (bearer token or session cookie + Origin, offering
 * permessage-deflate like browsers do), so the load client costs little next to the server.
 *
 * usage: ws-load --port PORT (--token TOKEN | --cookie VALUE) [--clients 500] [--seconds 10]
 *                [--threads 1] [--connect-timeout 30] [--connected FILE] [--warmup S] [--ready FILE]
 * Connects every client (then writes --connected FILE), waits --warmup seconds, then measures
 * for --seconds (--ready FILE is written when that window starts). Bounded: connect-timeout +
 * warmup + seconds + a few seconds at most.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <glib.h>

#define BUCKET_US   100                     /* latency histogram resolution */
#define N_BUCKETS   (60 * 1000 * 1000 / BUCKET_US)
#define MAX_MESSAGE (4 * 1024 * 1024)       /* larger than any event; a bigger frame is an error */

enum { T_HELLO, T_CALL, T_CAMPAIGN, T_HISTORY, T_REGISTRATION, T_DTMF, T_OTHER, N_TYPES };
static const char *type_names[N_TYPES] = { "hello", "call", "campaign", "history", "registration", "dtmf", "other" };

typedef enum { C_CONNECTING, C_UPGRADING, C_OPEN, C_GONE } ClientState;

typedef struct {
  int          fd;
  ClientState  state;
  char        *buf;
  gsize        len, cap;
  GString     *fragments;       /* a text message sent in several frames */
  char         accept[64];      /* expected Sec-WebSocket-Accept */
  guint64      events;          /* in the window */
  gboolean     opened_in_time;
} Client;

typedef struct {
  guint      index;
  Client    *clients;
  guint      n_clients;
  int        epfd;
  guint32   *histogram;
  gint64     max_latency_us;
  guint64    n_latencies, n_negative, n_no_ts, n_early, n_frames;
  guint64    by_type[N_TYPES];
  gint       n_open, n_failed;  /* read by the main thread while connecting */
  guint      n_closed_by_server, n_lost;
  gint       close_codes[8];    /* first few close codes seen */
  guint      n_close_codes;
  char      *first_error;
  GThread   *thread;
} Worker;

/* Set by the main thread, read by the workers. */
static gint64 window_start = G_MAXINT64;   /* real time µs */
static gint64 window_end = G_MAXINT64;
static gint   stop_now;

static char *opt_host = "127.0.0.1";
static int   opt_port;
static char *opt_token, *opt_cookie, *opt_ready, *opt_connected;
static int   opt_warmup;
static int   opt_clients = 500, opt_seconds = 10, opt_threads = 1, opt_connect_timeout = 30;
static gboolean opt_no_deflate_offer;

static void
worker_error (Worker *w, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
worker_error (Worker *w, const char *fmt, ...)
{
  va_list ap;

  if (w->first_error != NULL)
    return;
  va_start (ap, fmt);
  w->first_error = g_strdup_vprintf (fmt, ap);
  va_end (ap);
}

static void
client_drop (Worker *w, Client *c, gboolean by_server)
{
  if (c->state == C_GONE)
    return;
  if (c->state == C_OPEN)
    {
      if (by_server)
        w->n_closed_by_server++;
      else
        w->n_lost++;
    }
  else
    g_atomic_int_inc (&w->n_failed);
  c->state = C_GONE;
  epoll_ctl (w->epfd, EPOLL_CTL_DEL, c->fd, NULL);
  close (c->fd);
  g_clear_pointer (&c->buf, g_free);
  c->len = c->cap = 0;
}

/* Client frames are masked (RFC 6455 5.3); only pongs and close replies are sent. */
static void
send_control (Client *c, guint8 opcode, const guint8 *payload, gsize len)
{
  guint8 frame[2 + 4 + 125];
  guint32 mask = g_random_int ();

  len = MIN (len, 125);
  frame[0] = 0x80 | opcode;
  frame[1] = 0x80 | (guint8) len;
  memcpy (frame + 2, &mask, 4);
  for (gsize i = 0; i < len; i++)
    frame[6 + i] = payload[i] ^ ((guint8 *) &mask)[i % 4];
  /* Best effort: a full socket here means the peer is gone anyway. */
  if (write (c->fd, frame, 6 + len) < 0)
    return;
}

static int
classify (const char *text, gsize len)
{
  const char *t = g_strstr_len (text, MIN (len, 160), "\"type\":\"");

  if (t == NULL)
    return T_OTHER;
  t += 8;
  for (int i = 0; i < T_OTHER; i++)
    {
      gsize n = strlen (type_names[i]);
      if ((gsize) (text + len - t) > n && strncmp (t, type_names[i], n) == 0 && t[n] == '"')
        return i;
    }
  return T_OTHER;
}

/* One event: its type, and its latency from the "ts" the server stamped when it was emitted. */
static void
on_event (Worker *w, Client *c, const char *text, gsize len, gint64 now)
{
  const char *ts;
  gint64 sent, latency;
  char digits[24];
  gsize n = 0;

  c->events++;
  w->by_type[classify (text, len)]++;
  /* The server puts "ts" first; look further only if it did not. */
  if (len > 6 && memcmp (text, "{\"ts\":", 6) == 0)
    ts = text + 6;
  else if ((ts = g_strstr_len (text, len, "\"ts\":")) != NULL)
    ts += 5;
  else
    {
      w->n_no_ts++;
      return;
    }
  while (ts + n < text + len && n < sizeof digits - 1 && g_ascii_isdigit (ts[n]))
    n++;
  memcpy (digits, ts, n);
  digits[n] = '\0';
  sent = g_ascii_strtoll (digits, NULL, 10);
  if (n == 0 || sent <= 0)
    {
      w->n_no_ts++;
      return;
    }
  latency = now - sent;
  if (latency < 0)
    {
      w->n_negative++;
      latency = 0;
    }
  w->max_latency_us = MAX (w->max_latency_us, latency);
  w->histogram[MIN (latency / BUCKET_US, N_BUCKETS - 1)]++;
  w->n_latencies++;
}

/* Events that came close together arrive as {"ts":..,"type":"batch","events":[{"ts":..},..]}:
 * each event in it is one event, with its own emit time. Every event the server writes
 * starts with {"ts": and no event has a member "ts" inside, so that splits them. */
static void
on_text (Worker *w, Client *c, const char *text, gsize len, gint64 now)
{
  const char *events, *end = text + len;

  if (now < __atomic_load_n (&window_start, __ATOMIC_RELAXED) || now >= __atomic_load_n (&window_end, __ATOMIC_RELAXED))
    {
      w->n_early += now < window_start;
      return;
    }
  w->n_frames++;
  if (g_strstr_len (text, MIN (len, 64), "\"type\":\"batch\"") == NULL ||
      (events = g_strstr_len (text, len, "\"events\":[")) == NULL)
    {
      on_event (w, c, text, len, now);
      return;
    }
  events += 10;
  while (events < end && (events = g_strstr_len (events, end - events, "{\"ts\":")) != NULL)
    {
      const char *next = g_strstr_len (events + 6, end - events - 6, "{\"ts\":");

      on_event (w, c, events, (next ? next : end) - events, now);
      events = next ? next : end;
    }
}

/* Consumes whole frames from the front of c->buf. */
static void
parse_frames (Worker *w, Client *c, gint64 now)
{
  gsize pos = 0;

  while (c->state == C_OPEN && c->len - pos >= 2)
    {
      const guint8 *p = (const guint8 *) c->buf + pos;
      gboolean fin = p[0] & 0x80, masked = p[1] & 0x80;
      guint8 opcode = p[0] & 0x0f;
      guint64 plen = p[1] & 0x7f;
      gsize head = 2;
      char *payload;

      if (p[0] & 0x70)
        {
          worker_error (w, "client %ld: a frame with RSV bits (compressed?)", (long) (c - w->clients));
          client_drop (w, c, FALSE);
          return;
        }
      if (plen == 126)
        {
          if (c->len - pos < 4)
            break;
          plen = ((guint64) p[2] << 8) | p[3];
          head = 4;
        }
      else if (plen == 127)
        {
          if (c->len - pos < 10)
            break;
          plen = 0;
          for (int i = 0; i < 8; i++)
            plen = (plen << 8) | p[2 + i];
          head = 10;
        }
      if (plen > MAX_MESSAGE)
        {
          worker_error (w, "client %ld: a frame of %" G_GUINT64_FORMAT " bytes", (long) (c - w->clients), plen);
          client_drop (w, c, FALSE);
          return;
        }
      if (masked)
        head += 4;   /* servers must not mask; tolerate it by skipping the key (content unused) */
      if (c->len - pos < head + plen)
        break;
      payload = c->buf + pos + head;
      pos += head + plen;

      switch (opcode)
        {
        case 0x1: /* text */
          if (fin)
            on_text (w, c, payload, plen, now);
          else
            g_string_append_len (c->fragments = c->fragments ? c->fragments : g_string_new (NULL), payload, plen);
          break;
        case 0x0: /* continuation */
          if (c->fragments == NULL)
            break;
          g_string_append_len (c->fragments, payload, plen);
          if (fin)
            {
              on_text (w, c, c->fragments->str, c->fragments->len, now);
              g_string_set_size (c->fragments, 0);
            }
          break;
        case 0x9: /* ping */
          send_control (c, 0xa, (const guint8 *) payload, plen);
          break;
        case 0x8: /* close */
          if (w->n_close_codes < G_N_ELEMENTS (w->close_codes))
            w->close_codes[w->n_close_codes++] = plen >= 2 ? ((guint8) payload[0] << 8) | (guint8) payload[1] : 1005;
          send_control (c, 0x8, (const guint8 *) payload, MIN (plen, 2));
          client_drop (w, c, TRUE);
          return;
        default:  /* pong, binary: not used by Jarchi */
          break;
        }
    }
  if (pos > 0 && c->buf != NULL)
    {
      memmove (c->buf, c->buf + pos, c->len - pos);
      c->len -= pos;
    }
}

static gboolean
header_has (const char *headers, const char *name, const char *value)
{
  g_autofree char *lower = g_ascii_strdown (headers, -1);
  g_autofree char *want = g_ascii_strdown (name, -1);
  const char *h = lower;

  while ((h = strstr (h, want)) != NULL)
    {
      if (h > lower && h[-1] == '\n' && h[strlen (want)] == ':')
        {
          const char *end = strstr (h, "\r\n");
          g_autofree char *line = g_strndup (h, end ? (gsize) (end - h) : strlen (h));
          g_autofree char *v = g_ascii_strdown (value, -1);
          return strstr (line, v) != NULL;
        }
      h++;
    }
  return FALSE;
}

static void
finish_upgrade (Worker *w, Client *c, gint64 now)
{
  char *end = g_strstr_len (c->buf, c->len, "\r\n\r\n");
  gsize head;
  g_autofree char *headers = NULL;

  if (end == NULL)
    {
      if (c->len > 16384)
        {
          worker_error (w, "upgrade answer too long");
          client_drop (w, c, FALSE);
        }
      return;
    }
  head = end + 4 - c->buf;
  headers = g_strndup (c->buf, head);
  if (!g_str_has_prefix (headers, "HTTP/1.1 101"))
    {
      worker_error (w, "upgrade refused: %.*s", (int) strcspn (headers, "\r\n"), headers);
      client_drop (w, c, FALSE);
      return;
    }
  /* Sec-WebSocket-Accept is base64, case matters: compare in the original text. */
  if (strstr (headers, c->accept) == NULL)
    {
      worker_error (w, "wrong Sec-WebSocket-Accept");
      client_drop (w, c, FALSE);
      return;
    }
  if (header_has (headers, "Sec-WebSocket-Extensions", "permessage-deflate"))
    {
      worker_error (w, "the server accepted permessage-deflate; ws-load does not inflate "
                       "(rerun with --no-deflate-offer)");
      client_drop (w, c, FALSE);
      return;
    }
  memmove (c->buf, c->buf + head, c->len - head);
  c->len -= head;
  c->state = C_OPEN;
  g_atomic_int_inc (&w->n_open);
  parse_frames (w, c, now);
}

static void
send_upgrade (Worker *w, Client *c)
{
  guint8 nonce[16];
  g_autofree char *key = NULL, *accept_src = NULL, *request = NULL;
  g_autofree char *auth = NULL;
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize dlen = sizeof digest;
  g_autofree char *accept = NULL;
  gsize len, sent = 0;

  for (int i = 0; i < 16; i++)
    nonce[i] = g_random_int_range (0, 256);
  key = g_base64_encode (nonce, sizeof nonce);
  accept_src = g_strconcat (key, "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", NULL);
  g_checksum_update (sha1, (const guchar *) accept_src, -1);
  g_checksum_get_digest (sha1, digest, &dlen);
  accept = g_base64_encode (digest, dlen);
  g_strlcpy (c->accept, accept, sizeof c->accept);

  if (opt_cookie != NULL)
    /* As the page does: the session cookie, and the Origin the server checks. */
    auth = g_strdup_printf ("Cookie: jarchi_session=%s\r\nOrigin: http://%s:%d\r\n", opt_cookie, opt_host, opt_port);
  else
    auth = g_strdup_printf ("Authorization: Bearer %s\r\n", opt_token);
  request = g_strdup_printf ("GET /ws HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n%s%s"
                             "User-Agent: jarchi-ws-load\r\n\r\n",
                             opt_host, opt_port, key,
                             opt_no_deflate_offer ? "" : "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n",
                             auth);
  len = strlen (request);
  while (sent < len)
    {
      ssize_t n = write (c->fd, request + sent, len - sent);
      if (n <= 0)
        {
          worker_error (w, "sending the upgrade: %s", g_strerror (errno));
          client_drop (w, c, FALSE);
          return;
        }
      sent += n;
    }
  c->state = C_UPGRADING;
}

static void
on_readable (Worker *w, Client *c)
{
  gint64 now = 0;

  for (;;)
    {
      ssize_t n;

      if (c->cap - c->len < 16384)
        {
          c->cap = MAX (c->cap * 2, 65536);
          c->buf = g_realloc (c->buf, c->cap);
        }
      n = read (c->fd, c->buf + c->len, c->cap - c->len);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        break;
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (c->state != C_OPEN)
            worker_error (w, "connection closed during the upgrade");
          client_drop (w, c, FALSE);
          return;
        }
      /* One clock reading per read(): every frame in it arrived by then. */
      now = g_get_real_time ();
      c->len += n;
      if (c->state == C_UPGRADING)
        finish_upgrade (w, c, now);
      else if (c->state == C_OPEN)
        parse_frames (w, c, now);
      if (c->state == C_GONE)
        return;
    }
}

static void
on_connected (Worker *w, Client *c)
{
  int err = 0;
  socklen_t len = sizeof err;
  struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };

  if (getsockopt (c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0)
    {
      worker_error (w, "connect: %s", g_strerror (err ? err : errno));
      client_drop (w, c, FALSE);
      return;
    }
  epoll_ctl (w->epfd, EPOLL_CTL_MOD, c->fd, &ev);
  send_upgrade (w, c);
}

static gpointer
worker_run (gpointer data)
{
  Worker *w = data;
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons (opt_port) };
  struct epoll_event events[256];

  inet_pton (AF_INET, opt_host, &sin.sin_addr);
  for (guint i = 0; i < w->n_clients; i++)
    {
      Client *c = &w->clients[i];
      struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = c };
      int one = 1;

      c->fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (c->fd < 0)
        {
          worker_error (w, "socket: %s", g_strerror (errno));
          c->state = C_GONE;
          g_atomic_int_inc (&w->n_failed);
          continue;
        }
      setsockopt (c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (connect (c->fd, (struct sockaddr *) &sin, sizeof sin) < 0 && errno != EINPROGRESS)
        {
          worker_error (w, "connect: %s", g_strerror (errno));
          close (c->fd);
          c->state = C_GONE;
          g_atomic_int_inc (&w->n_failed);
          continue;
        }
      c->state = C_CONNECTING;
      epoll_ctl (w->epfd, EPOLL_CTL_ADD, c->fd, &ev);
    }

  while (!g_atomic_int_get (&stop_now))
    {
      int n = epoll_wait (w->epfd, events, G_N_ELEMENTS (events), 100);

      for (int i = 0; i < n; i++)
        {
          Client *c = events[i].data.ptr;

          if (c->state == C_CONNECTING)
            on_connected (w, c);
          else if (c->state != C_GONE)
            on_readable (w, c);
        }
    }

  for (guint i = 0; i < w->n_clients; i++)
    {
      Client *c = &w->clients[i];
      if (c->state != C_GONE)
        {
          if (c->state == C_OPEN)
            send_control (c, 0x8, (const guint8 *) "\x03\xe8", 2);   /* 1000, normal */
          close (c->fd);
        }
      g_free (c->buf);
      if (c->fragments)
        g_string_free (c->fragments, TRUE);
    }
  return NULL;
}

static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static gint64 max_latency_us;

static double
percentile_ms (const guint64 *histogram, guint64 total, double p)
{
  guint64 want = (guint64) (p * total), seen = 0;

  if (total == 0)
    return -1;
  for (guint i = 0; i < N_BUCKETS; i++)
    {
      seen += histogram[i];
      /* The bucket's upper edge, never flattering, but not above the largest value seen. */
      if (seen > want || seen == total)
        return MIN ((i + 1) * BUCKET_US, max_latency_us) / 1000.0;
    }
  return -1;
}

static int
compare_u64 (gconstpointer a, gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;
  return (x > y) - (x < y);
}

int
main (int argc, char *argv[])
{
  GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &opt_host, "Jarchi's dashboard address (IPv4)", "ADDR" },
    { "port", 0, 0, G_OPTION_ARG_INT, &opt_port, "Jarchi's dashboard port", "PORT" },
    { "token", 0, 0, G_OPTION_ARG_STRING, &opt_token, "API token (Authorization: Bearer)", "TOKEN" },
    { "cookie", 0, 0, G_OPTION_ARG_STRING, &opt_cookie, "jarchi_session cookie value (sends Origin too)", "VALUE" },
    { "clients", 0, 0, G_OPTION_ARG_INT, &opt_clients, "WebSocket connections (500)", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &opt_seconds, "measurement window after all connected (10)", "S" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &opt_threads, "epoll threads sharing the clients (1)", "N" },
    { "connect-timeout", 0, 0, G_OPTION_ARG_INT, &opt_connect_timeout, "seconds allowed to connect them all (30)", "S" },
    { "connected", 0, 0, G_OPTION_ARG_FILENAME, &opt_connected, "file written once the clients are connected", "FILE" },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &opt_warmup, "seconds between connecting and the window (0)", "S" },
    { "ready", 0, 0, G_OPTION_ARG_FILENAME, &opt_ready, "file written when the window starts", "FILE" },
    { "no-deflate-offer", 0, 0, G_OPTION_ARG_NONE, &opt_no_deflate_offer, "do not offer permessage-deflate as browsers do", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- dashboard WebSocket load client");
  g_autoptr(GError) error = NULL;
  Worker *workers;
  Client *clients;
  guint64 *histogram, *per_client, total_events = 0, n_frames = 0, n_latencies = 0, n_negative = 0, n_no_ts = 0, by_type[N_TYPES] = { 0 };
  guint n_open = 0, n_failed = 0, n_closed = 0, n_lost = 0, open_at_start = 0;
  gint64 t0, deadline;
  double cpu0, cpu1, wall;
  struct rlimit nofile;
  const char *first_error = NULL;
  g_autoptr(GString) codes = g_string_new (NULL);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "ws-load: %s\n", error->message);
      return 2;
    }
  if (opt_port <= 0 || opt_port > 65535 || (opt_token == NULL) == (opt_cookie == NULL)
      || opt_clients < 1 || opt_seconds < 1 || opt_threads < 1 || opt_threads > 64 || opt_connect_timeout < 1)
    {
      fprintf (stderr, "ws-load: need --port and one of --token/--cookie; counts must be positive\n");
      return 2;
    }
  /* One descriptor per client. */
  if (getrlimit (RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < (rlim_t) opt_clients + 64)
    {
      nofile.rlim_cur = MIN (nofile.rlim_max, (rlim_t) opt_clients + 64);
      setrlimit (RLIMIT_NOFILE, &nofile);
    }

  clients = g_new0 (Client, opt_clients);
  workers = g_new0 (Worker, opt_threads);
  for (int t = 0; t < opt_threads; t++)
    {
      Worker *w = &workers[t];
      guint first = (guint64) opt_clients * t / opt_threads, last = (guint64) opt_clients * (t + 1) / opt_threads;

      w->index = t;
      w->clients = clients + first;
      w->n_clients = last - first;
      w->epfd = epoll_create1 (EPOLL_CLOEXEC);
      w->histogram = g_new0 (guint32, N_BUCKETS);
      w->thread = g_thread_new ("ws-load", worker_run, w);
    }

  /* Connect phase: wait until every client is open or failed, or the time is up. */
  t0 = g_get_monotonic_time ();
  deadline = t0 + (gint64) opt_connect_timeout * G_USEC_PER_SEC;
  for (;;)
    {
      guint open = 0, done = 0;
      for (int t = 0; t < opt_threads; t++)
        {
          open += g_atomic_int_get (&workers[t].n_open);
          done += g_atomic_int_get (&workers[t].n_open) + g_atomic_int_get (&workers[t].n_failed);
        }
      if (done >= (guint) opt_clients || g_get_monotonic_time () >= deadline)
        {
          open_at_start = open;
          break;
        }
      g_usleep (20 * 1000);
    }
  fprintf (stderr, "ws-load: %u of %d clients connected in %.1f s\n", open_at_start, opt_clients,
           (g_get_monotonic_time () - t0) / 1e6);

  /* The caller may start its load now and let it settle before the window. */
  if (opt_connected != NULL && !g_file_set_contents (opt_connected, "connected\n", -1, &error))
    {
      fprintf (stderr, "ws-load: %s\n", error->message);
      g_clear_error (&error);
    }
  if (opt_warmup > 0)
    g_usleep ((gulong) MIN (opt_warmup, 600) * G_USEC_PER_SEC);

  cpu0 = cpu_seconds ();
  t0 = g_get_monotonic_time ();
  {
    gint64 start = g_get_real_time ();
    __atomic_store_n (&window_end, start + (gint64) opt_seconds * G_USEC_PER_SEC, __ATOMIC_RELAXED);
    __atomic_store_n (&window_start, start, __ATOMIC_RELAXED);
  }
  if (opt_ready != NULL && !g_file_set_contents (opt_ready, "ready\n", -1, &error))
    {
      fprintf (stderr, "ws-load: %s\n", error->message);
      g_clear_error (&error);
    }
  g_usleep ((gulong) opt_seconds * G_USEC_PER_SEC);
  wall = (g_get_monotonic_time () - t0) / 1e6;
  cpu1 = cpu_seconds ();
  g_atomic_int_set (&stop_now, 1);

  histogram = g_new0 (guint64, N_BUCKETS);
  per_client = g_new0 (guint64, opt_clients);
  for (int t = 0; t < opt_threads; t++)
    {
      Worker *w = &workers[t];

      g_thread_join (w->thread);
      for (guint i = 0; i < N_BUCKETS; i++)
        histogram[i] += w->histogram[i];
      n_latencies += w->n_latencies;
      n_negative += w->n_negative;
      n_no_ts += w->n_no_ts;
      n_frames += w->n_frames;
      max_latency_us = MAX (max_latency_us, w->max_latency_us);
      for (int k = 0; k < N_TYPES; k++)
        by_type[k] += w->by_type[k];
      n_open += w->n_open;
      n_failed += w->n_failed;
      n_closed += w->n_closed_by_server;
      n_lost += w->n_lost;
      if (first_error == NULL)
        first_error = w->first_error;
    }
  for (int i = 0; i < opt_clients; i++)
    {
      per_client[i] = clients[i].events;
      total_events += clients[i].events;
    }
  qsort (per_client, opt_clients, sizeof *per_client, compare_u64);

  printf ("clients: %d asked, %u connected before the window, %u failed to connect%s%s\n",
          opt_clients, open_at_start, n_failed, first_error ? "; first error: " : "", first_error ? first_error : "");
  printf ("window: %.1f s; events received: %" G_GUINT64_FORMAT " (", wall, total_events);
  for (int k = 0; k < N_TYPES; k++)
    if (by_type[k] > 0)
      printf ("%s %" G_GUINT64_FORMAT "%s", type_names[k], by_type[k], k < N_TYPES - 1 ? " " : "");
  printf (")\n");
  printf ("messages received: %" G_GUINT64_FORMAT " (%.2f events each: the server batches events that come close together)\n",
          n_frames, n_frames ? (double) total_events / n_frames : 0.0);
  printf ("events/s per client: median %.1f, min %.1f, max %.1f\n",
          per_client[opt_clients / 2] / wall, per_client[0] / wall, per_client[opt_clients - 1] / wall);
  printf ("latency emit->receipt over %" G_GUINT64_FORMAT " events: p50 %.1f ms, p99 %.1f ms, max %.1f ms%s\n",
          n_latencies, percentile_ms (histogram, n_latencies, 0.50), percentile_ms (histogram, n_latencies, 0.99),
          max_latency_us / 1000.0, n_no_ts ? " (some events had no ts)" : "");
  if (n_negative > 0)
    printf ("  %" G_GUINT64_FORMAT " events arrived 'before' their ts (counted as 0)\n", n_negative);
  for (int t = 0; t < opt_threads; t++)
    for (guint k = 0; k < workers[t].n_close_codes; k++)
      g_string_append_printf (codes, " %d", workers[t].close_codes[k]);
  printf ("connections closed by the server: %u%s%s%s; lost otherwise: %u\n", n_closed,
          codes->len ? " (close codes:" : "", codes->str, codes->len ? ")" : "", n_lost);
  printf ("load client CPU: %.1f %% of a core\n", 100.0 * (cpu1 - cpu0) / wall);
  printf ("RESULT clients=%d connected=%u failed=%u closed=%u lost=%u events=%" G_GUINT64_FORMAT
          " messages=%" G_GUINT64_FORMAT " events_per_client_s=%.1f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f cpu_pct=%.1f",
          opt_clients, open_at_start, n_failed, n_closed, n_lost, total_events, n_frames,
          per_client[opt_clients / 2] / wall, percentile_ms (histogram, n_latencies, 0.50),
          percentile_ms (histogram, n_latencies, 0.99), max_latency_us / 1000.0, 100.0 * (cpu1 - cpu0) / wall);
  for (int k = 0; k < N_TYPES; k++)
    printf (" %s=%" G_GUINT64_FORMAT, type_names[k], by_type[k]);
  printf ("\n");

  for (int t = 0; t < opt_threads; t++)
    {
      close (workers[t].epfd);
      g_free (workers[t].histogram);
      g_free (workers[t].first_error);
    }
  g_free (workers);
  g_free (clients);
  g_free (histogram);
  g_free (per_client);
  return n_open == 0 ? 1 : 0;
}
