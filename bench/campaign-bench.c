/* Benchmark driver: a campaign of N targets through JarchiBroadcastDialer at a concurrency and call-rate limit, printing concurrency, CPS, CPU and memory figures. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "jarchi-audio-decoder.h"
#include "jarchi-broadcast-dialer.h"
#include "jarchi-error.h"

/*
 * The campaign runner's job, reduced to what costs: place calls no faster than --cps and
 * never more than --max-concurrent in progress; when the message was played hang up (the
 * callee "heard" it), when the callee pressed 1 hang up (confirmed).  Every second: process
 * CPU, the SIP thread's CPU, RSS and the calls up.  The figures are printed at the end, and a
 * RESULT line for bench/campaign.sh.
 */

typedef struct {
  gint64 placed_at;
  gint64 answered_at;
} Call;

typedef struct {
  gint64 t_us;
  double cpu_s;       /* process */
  double sip_cpu_s;   /* the libre thread */
  gint64 rss_kb;
  gint64 heap_kb;     /* malloc'd and not freed (all arenas) */
  guint  up;          /* answered, not ended */
  guint  in_progress; /* placed, not ended */
  guint  placed;
} Sample;

typedef struct {
  JarchiBroadcastDialer *dialer;
  GMainLoop             *loop;
  GHashTable            *calls;      /* id -> Call */
  guint                  account_id;
  guint                  media_id;
  guint                  targets;
  guint                  max_concurrent;
  double                 cps;
  guint                  confirm_every;
  const char            *user;
  const char            *confirm_user;
  double                 tokens;
  gint64                 last_refill;
  guint                  rate_timer;
  guint                  placed, answered, ended, confirmed, heard, failed_place;
  guint                  outcomes[8];
  GHashTable            *codes;       /* SIP code of failed calls -> count */
  guint                  up, max_up, in_progress, max_in_progress;
  double                 call_seconds;      /* answered, until the end */
  double                 progress_seconds;  /* placed, until the end: SIPp's CurrentCall */
  GArray                 *place_times;  /* gint64 µs */
  GArray                 *samples;      /* Sample */
  char                   *sip_tid_stat;
  gint64                 start_us, end_us;
} Bench;

static double
ticks_to_s (unsigned long long ticks)
{
  return (double) ticks / (double) sysconf (_SC_CLK_TCK);
}

/* utime + stime of a /proc/.../stat file, in seconds. */
static double
stat_cpu (const char *path)
{
  g_autofree char *text = NULL;
  unsigned long long ut = 0, st = 0;
  char *p;

  if (path == NULL || !g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  p = strrchr (text, ')');
  if (p == NULL || sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
    return 0;
  return ticks_to_s (ut + st);
}

static gint64
rss_kb (void)
{
  g_autofree char *text = NULL;
  char *p;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL) || (p = strstr (text, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtoll (p + 6, NULL, 10);
}

static char *
find_sip_thread (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  while (dir && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_strdup_printf ("/proc/self/task/%s/comm", tid);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (comm_path, &comm, NULL, NULL) && g_str_has_prefix (comm, "jarchi-sip"))
        return g_strdup_printf ("/proc/self/task/%s/stat", tid);
    }
  return NULL;
}

static gint64
heap_kb (void)
{
  struct mallinfo2 mi = mallinfo2 ();

  return (gint64) ((mi.uordblks + mi.hblkhd) / 1024);
}

static void
take_sample (Bench *b)
{
  Sample s = { g_get_monotonic_time (), stat_cpu ("/proc/self/stat"), stat_cpu (b->sip_tid_stat),
               rss_kb (), heap_kb (), b->up, b->in_progress, b->placed };

  g_array_append_val (b->samples, s);
}

static gboolean
sample_cb (gpointer data)
{
  take_sample (data);
  return G_SOURCE_CONTINUE;
}

/* ---- the campaign ------------------------------------------------------------------------- */

static gboolean rate_timer_cb (gpointer data);

static void
place_some (Bench *b)
{
  gint64 now = g_get_monotonic_time ();

  /* At most 100 ms of credit: a late tick catches up, an idle spell does not become a burst. */
  b->tokens = MIN (b->tokens + b->cps * (now - b->last_refill) / 1e6, MAX (1.0, b->cps / 10));
  b->last_refill = now;
  while (b->tokens >= 1.0 && b->placed + b->failed_place < b->targets && b->in_progress < b->max_concurrent)
    {
      g_autoptr(GError) error = NULL;
      gboolean confirm = b->confirm_every > 0 && (b->placed % b->confirm_every) == b->confirm_every - 1;
      guint id = jarchi_campaign_dialer_place_call (JARCHI_CAMPAIGN_DIALER (b->dialer), b->account_id,
                                                    confirm ? b->confirm_user : b->user,
                                                    b->media_id, 30, &error);

      b->tokens -= 1.0;
      if (id == 0)
        {
          g_printerr ("place_call: %s\n", error->message);
          b->failed_place++;
          continue;
        }
      {
        Call *c = g_new0 (Call, 1);

        c->placed_at = now;
        g_hash_table_insert (b->calls, GUINT_TO_POINTER (id), c);
      }
      g_array_append_val (b->place_times, now);
      b->placed++;
      b->in_progress++;
      b->max_in_progress = MAX (b->max_in_progress, b->in_progress);
    }
  /* Paced as JarchiCampaignRunner paces: a timer only while the rate limit alone holds a call
   * back, set for when the next one may leave; at the concurrency limit an ended call places
   * the next.  (A timer polling every few ms would be the harness's CPU, counted as Jarchi's.) */
  g_clear_handle_id (&b->rate_timer, g_source_remove);
  if (b->placed + b->failed_place < b->targets && b->in_progress < b->max_concurrent)
    b->rate_timer = g_timeout_add ((guint) MAX (1.0, ceil ((1.0 - b->tokens) * 1000.0 / b->cps)),
                                   rate_timer_cb, b);
}

static gboolean
rate_timer_cb (gpointer data)
{
  Bench *b = data;

  b->rate_timer = 0;
  place_some (b);
  return G_SOURCE_REMOVE;
}

static void
hang_up (Bench *b, guint id)
{
  g_autoptr(GError) error = NULL;

  if (!jarchi_campaign_dialer_hangup (JARCHI_CAMPAIGN_DIALER (b->dialer), id, &error))
    g_printerr ("hangup %u: %s\n", id, error->message);
}

static void
on_answered (JarchiCampaignDialer *d, guint id, Bench *b)
{
  Call *c = g_hash_table_lookup (b->calls, GUINT_TO_POINTER (id));

  c->answered_at = g_get_monotonic_time ();
  b->answered++;
  b->up++;
  b->max_up = MAX (b->max_up, b->up);
}

static void
on_played (JarchiCampaignDialer *d, guint id, Bench *b)
{
  b->heard++;
  hang_up (b, id);
}

static void
on_dtmf (JarchiCampaignDialer *d, guint id, gchar digit, guint method, Bench *b)
{
  if (digit != '1')
    return;
  b->confirmed++;
  hang_up (b, id);
}

static void
on_ended (JarchiCampaignDialer *d, guint id, guint code, guint outcome, Bench *b)
{
  Call *c = g_hash_table_lookup (b->calls, GUINT_TO_POINTER (id));
  gint64 now = g_get_monotonic_time ();

  if (c->answered_at)
    {
      b->up--;
      b->call_seconds += (now - c->answered_at) / 1e6;
    }
  b->progress_seconds += (now - c->placed_at) / 1e6;
  if (outcome < G_N_ELEMENTS (b->outcomes))
    b->outcomes[outcome]++;
  if (outcome >= JARCHI_DIAL_OUTCOME_BUSY)
    {
      gpointer key = GUINT_TO_POINTER (code + 1);

      g_hash_table_insert (b->codes, key,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (b->codes, key)) + 1));
    }
  g_hash_table_remove (b->calls, GUINT_TO_POINTER (id));
  b->in_progress--;
  b->ended++;
  place_some (b);
  if (b->ended + b->failed_place == b->targets)
    {
      b->end_us = g_get_monotonic_time ();
      g_main_loop_quit (b->loop);
    }
}

static gboolean
is_registered (JarchiAccount *account)
{
  return jarchi_account_get_registration_state (account) == JARCHI_REGISTRATION_REGISTERED;
}

static void
got_result (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* ---- figures -------------------------------------------------------------------------------------- */

static guint
max_in_window (GArray *times, gint64 window_us)
{
  guint best = 0, j = 0;

  for (guint i = 0; i < times->len; i++)
    {
      while (g_array_index (times, gint64, i) - g_array_index (times, gint64, j) >= window_us)
        j++;
      best = MAX (best, i - j + 1);
    }
  return best;
}

static void
report (Bench *b, gint64 rss_base, gint64 rss_after, gint64 heap_base)
{
  double plateau_cpu = 0, plateau_sip = 0, plateau_calls = 0, plateau_s = 0;
  gint64 rss_peak = 0, heap_peak = 0;
  guint plateau_threshold = (guint) ceil (b->max_up * 0.9);
  double run_s = (b->end_us - b->start_us) / 1e6;
  double ramp_cps = 0;
  Sample *first = &g_array_index (b->samples, Sample, 0);
  Sample *last = &g_array_index (b->samples, Sample, b->samples->len - 1);
  double total_cpu = last->cpu_s - first->cpu_s;
  guint peak_cps = max_in_window (b->place_times, G_USEC_PER_SEC);

  /* The plateau: consecutive samples with at least 90 % of the peak up. */
  for (guint i = 1; i < b->samples->len; i++)
    {
      Sample *p = &g_array_index (b->samples, Sample, i - 1);
      Sample *s = &g_array_index (b->samples, Sample, i);
      double dt = (s->t_us - p->t_us) / 1e6;

      rss_peak = MAX (rss_peak, s->rss_kb);
      heap_peak = MAX (heap_peak, s->heap_kb);
      if (p->up >= plateau_threshold && s->up >= plateau_threshold)
        {
          plateau_cpu += s->cpu_s - p->cpu_s;
          plateau_sip += s->sip_cpu_s - p->sip_cpu_s;
          plateau_calls += (p->up + s->up) / 2.0 * dt;
          plateau_s += dt;
        }
    }
  /* Calls placed per second while filling up to the limit (or over the whole run). */
  {
    guint n = MIN (b->max_concurrent, b->placed);

    if (n > 1)
      ramp_cps = (n - 1) / ((g_array_index (b->place_times, gint64, n - 1) -
                             g_array_index (b->place_times, gint64, 0)) / 1e6);
  }

  printf ("targets %u: placed %u, answered %u, heard %u, confirmed %u, place errors %u\n",
          b->targets, b->placed, b->answered, b->heard, b->confirmed, b->failed_place);
  printf ("outcomes: by-us %u, remote-hangup %u, busy %u, no-answer %u, failed %u, rejected %u\n",
          b->outcomes[0], b->outcomes[1], b->outcomes[2], b->outcomes[3], b->outcomes[4], b->outcomes[5]);
  if (g_hash_table_size (b->codes) > 0)
    {
      GHashTableIter iter;
      gpointer key, value;

      printf ("unanswered by SIP code:");
      g_hash_table_iter_init (&iter, b->codes);
      while (g_hash_table_iter_next (&iter, &key, &value))
        printf (" %u×%u", GPOINTER_TO_UINT (key) - 1, GPOINTER_TO_UINT (value));
      printf ("\n");
    }
  printf ("concurrent: max %u answered at once (%u in progress incl. ringing), limit %u\n",
          b->max_up, b->max_in_progress, b->max_concurrent);
  printf ("calls/s: %.1f while filling up, peak %u in one second, %.1f answered/s over the run (limit %.0f)\n",
          ramp_cps, peak_cps, b->answered / run_s, b->cps);
  if (plateau_s > 0)
    printf ("CPU at the plateau (%.0f s, %.0f calls up on average): process %.1f %% of a core, "
            "SIP thread %.1f %%, %.4f %% per call (%.4f %% SIP thread)\n",
            plateau_s, plateau_calls / plateau_s, 100 * plateau_cpu / plateau_s,
            100 * plateau_sip / plateau_s, 100 * plateau_cpu / plateau_calls,
            100 * plateau_sip / plateau_calls);
  /* Per call in progress (placed, not ended: ringing ones too) as SIPp's CurrentCall counts
   * them, so that the two compare; per answered call as well. */
  printf ("CPU over the run: %.1f s for %.0f call-seconds in progress = %.4f %% of a core per call "
          "in progress (%.0f answered call-seconds: %.4f %% per answered call)\n",
          total_cpu, b->progress_seconds, 100 * total_cpu / MAX (b->progress_seconds, 1),
          b->call_seconds, 100 * total_cpu / MAX (b->call_seconds, 1));
  printf ("RSS: %" G_GINT64_FORMAT " KB before, %" G_GINT64_FORMAT " KB peak, %" G_GINT64_FORMAT
          " KB after; growth %.1f KB per call in progress at the peak, %.1f KB per call answered "
          "(heap in use: %.1f KB per call in progress)\n",
          rss_base, rss_peak, rss_after, (double) (rss_peak - rss_base) / MAX (b->max_in_progress, 1),
          (double) (rss_peak - rss_base) / MAX (b->max_up, 1),
          (double) (heap_peak - heap_base) / MAX (b->max_in_progress, 1));
  printf ("RESULT max_up=%u ramp_cps=%.1f peak_cps=%u answered_per_s=%.1f plateau_cpu_pct=%.2f "
          "cpu_per_call_pct=%.4f sip_cpu_per_call_pct=%.4f run_cpu_per_call_pct=%.4f "
          "answered_cpu_per_call_pct=%.4f max_in_progress=%u "
          "rss_base_kb=%" G_GINT64_FORMAT " rss_peak_kb=%" G_GINT64_FORMAT " rss_after_kb=%" G_GINT64_FORMAT
          " kb_per_call=%.1f heap_kb_per_call=%.1f answered=%u targets=%u\n",
          b->max_up, ramp_cps, peak_cps, b->answered / run_s,
          plateau_s > 0 ? 100 * plateau_cpu / plateau_s : 0,
          plateau_calls > 0 ? 100 * plateau_cpu / plateau_calls : 0,
          plateau_calls > 0 ? 100 * plateau_sip / plateau_calls : 0,
          100 * total_cpu / MAX (b->progress_seconds, 1),
          100 * total_cpu / MAX (b->call_seconds, 1), b->max_in_progress, rss_base, rss_peak, rss_after,
          (double) (rss_peak - rss_base) / MAX (b->max_in_progress, 1),
          (double) (heap_peak - heap_base) / MAX (b->max_in_progress, 1), b->answered, b->targets);
}

/* A MESSAGE_S second 1 kHz tone as the campaign's message. */
static guint
make_message (JarchiMediaLibrary *library, const char *dir, double seconds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiMedia) media = NULL;
  g_autofree char *wav = g_build_filename (dir, "message.wav", NULL);
  gsize n = (gsize) (seconds * JARCHI_AUDIO_RATE);
  gint16 *pcm = g_new (gint16, n);
  g_autoptr(GBytes) bytes = NULL;

  for (gsize i = 0; i < n; i++)
    pcm[i] = (gint16) (12000 * sin (2 * G_PI * 1000 * i / JARCHI_AUDIO_RATE));
  bytes = g_bytes_new_take (pcm, n * sizeof *pcm);
  if (!jarchi_audio_write_wav (wav, bytes, JARCHI_AUDIO_RATE, &error) ||
      (media = jarchi_media_library_import_file (library, wav, "bench", &error)) == NULL)
    g_error ("message: %s", error->message);
  return (guint) media->id;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- Jarchi campaign benchmark driver");
  g_autofree char *dir = NULL, *db = NULL, *media_dir = NULL, *aor = NULL;
  g_autoptr(JarchiStore) store = NULL;
  g_autoptr(JarchiMediaLibrary) library = NULL;
  g_autoptr(JarchiCallManager) manager = NULL;
  g_autoptr(JarchiAccount) account = NULL;
  gint kport = 0, targets = 2000, max_concurrent = 200, confirm_every = 10;
  double cps = 50, message_s = 20;
  char *password = NULL, *user = NULL, *confirm_user = NULL;
  gint64 rss_base, rss_after, heap_base, deadline;
  guint wake_id;
  Bench b = { 0 };
  GOptionEntry entries[] = {
    { "kamailio-port", 0, 0, G_OPTION_ARG_INT, &kport, "Kamailio on 127.0.0.1:PORT", "PORT" },
    { "password", 0, 0, G_OPTION_ARG_STRING, &password, "digest password of user bench", "P" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "user that answers and listens (ans)", "U" },
    { "confirm-user", 0, 0, G_OPTION_ARG_STRING, &confirm_user, "user that presses 1 (conf)", "U" },
    { "confirm-every", 0, 0, G_OPTION_ARG_INT, &confirm_every, "every Nth call goes to the confirm user (10)", "N" },
    { "targets", 0, 0, G_OPTION_ARG_INT, &targets, "calls to place (2000)", "N" },
    { "max-concurrent", 0, 0, G_OPTION_ARG_INT, &max_concurrent, "calls in progress at most (200)", "N" },
    { "cps", 0, 0, G_OPTION_ARG_DOUBLE, &cps, "new calls per second at most (50)", "R" },
    { "message-s", 0, 0, G_OPTION_ARG_DOUBLE, &message_s, "message length in seconds (20)", "S" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || kport <= 0)
    {
      g_printerr ("%s\n", error ? error->message : "--kamailio-port is required");
      return 2;
    }
  if (!jarchi_audio_init (&error))
    g_error ("%s", error->message);

  dir = g_dir_make_tmp ("jarchi-bench-XXXXXX", &error);
  db = g_build_filename (dir, "jarchi.db", NULL);
  media_dir = g_build_filename (dir, "media", NULL);
  store = jarchi_store_open (db, &error);
  if (store == NULL || (library = jarchi_media_library_new (store, media_dir, &error)) == NULL)
    g_error ("%s", error->message);
  b.media_id = make_message (library, dir, message_s);

  manager = jarchi_call_manager_new ("127.0.0.1", 0, NULL, &error);
  if (manager == NULL)
    g_error ("%s", error->message);
  aor = g_strdup_printf ("sip:bench@127.0.0.1:%d", kport);
  account = jarchi_account_new (0, aor);
  g_object_set (account, "password", password ? password : "secret", NULL);
  if (!jarchi_call_manager_add_account (manager, account, &error))
    g_error ("%s", error->message);
  wake_id = g_timeout_add (50, wake, NULL);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!is_registered (account) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!is_registered (account))
    g_error ("not registered to 127.0.0.1:%d", kport);

  b.dialer = jarchi_broadcast_dialer_new (manager, library);
  /* The message decoded before the RSS baseline, as a campaign does before its first call. */
  {
    g_autoptr(GAsyncResult) prepared = NULL;

    jarchi_broadcast_dialer_prepare_async (b.dialer, b.media_id, NULL, got_result, &prepared);
    while (prepared == NULL)
      g_main_context_iteration (NULL, TRUE);
    if (!jarchi_broadcast_dialer_prepare_finish (b.dialer, prepared, &error))
      g_error ("%s", error->message);
  }
  b.loop = g_main_loop_new (NULL, FALSE);
  b.calls = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  b.codes = g_hash_table_new (NULL, NULL);
  b.place_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  b.samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  b.account_id = jarchi_account_get_id (account);
  b.targets = (guint) targets;
  b.max_concurrent = (guint) max_concurrent;
  b.cps = cps;
  b.confirm_every = (guint) confirm_every;
  b.user = user ? user : "ans";
  b.confirm_user = confirm_user ? confirm_user : "conf";
  b.sip_tid_stat = find_sip_thread ();
  g_signal_connect (b.dialer, "call-answered", G_CALLBACK (on_answered), &b);
  g_signal_connect (b.dialer, "playback-finished", G_CALLBACK (on_played), &b);
  g_signal_connect (b.dialer, "call-dtmf", G_CALLBACK (on_dtmf), &b);
  g_signal_connect (b.dialer, "call-ended", G_CALLBACK (on_ended), &b);

  /* settle, then the baseline */
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  rss_base = rss_kb ();
  heap_base = heap_kb ();
  printf ("Jarchi: %u targets, max %u concurrent, %.0f calls/s, %.0f s message\n",
          b.targets, b.max_concurrent, b.cps, message_s);
  fflush (stdout);

  /* From here on only the campaign's own events and timers wake the main loop. */
  g_source_remove (wake_id);
  take_sample (&b);
  b.start_us = b.last_refill = g_get_monotonic_time ();
  g_timeout_add (1000, sample_cb, &b);
  place_some (&b);
  g_main_loop_run (b.loop);
  take_sample (&b);

  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  rss_after = rss_kb ();
  report (&b, rss_base, rss_after, heap_base);

  g_clear_object (&b.dialer);
  jarchi_call_manager_shutdown (manager);
  g_hash_table_unref (b.calls);
  g_hash_table_unref (b.codes);
  g_array_unref (b.place_times);
  g_array_unref (b.samples);
  g_main_loop_unref (b.loop);
  g_free (b.sip_tid_stat);
  g_free (password);
  g_free (user);
  g_free (confirm_user);
  g_clear_object (&library);
  g_clear_object (&store);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    (void) system (cmd);
  }
  return 0;
}
