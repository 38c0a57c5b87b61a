/* Shared by the campaign tests: a seeded database and FakeDialer, a scripted JarchiCampaignDialer. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib/gstdio.h>

#include "jarchi-campaign-dialer.h"
#include "jarchi-campaign-runner.h"
#include "jarchi-campaign-store.h"

/* ---- database ---------------------------------------------------------------------------- */

static inline void
test_exec (JarchiStore *store, const char *sql)
{
  char *err = NULL;

  if (sqlite3_exec (jarchi_store_get_db (store), sql, NULL, NULL, &err) != SQLITE_OK)
    g_error ("SQL failed: %s\n%s", err, sql);
}

static inline gint64
test_query_int (JarchiStore *store, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static inline char *
test_query_text (JarchiStore *store, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* Account 1, media 1, departments 1 Sales / 2 Support, districts 1 Yunusobod / 2 Chilonzor and
 * contacts 1..N: contact i has phone 100i, department 1 + (i % 2), district 1 + (i / 4 % 2). */
static inline void
test_seed (JarchiStore *store, guint n_contacts)
{
  test_exec (store,
             "INSERT INTO accounts (id, uri) VALUES (1, 'sip:jarchi@127.0.0.1');"
             "INSERT INTO media (id, kind, name, path, duration_ms) VALUES (1, 'upload', 'drill', '/nonexistent.wav', 3000);"
             "INSERT INTO departments (id, name) VALUES (1, 'Sales'), (2, 'Support');"
             "INSERT INTO districts (id, name) VALUES (1, 'Yunusobod'), (2, 'Chilonzor');");
  for (guint i = 1; i <= n_contacts; i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO contacts (id, name, phone, department_id, district_id) "
        "VALUES (%u, 'Person %u', '%u', %u, %u);", i, i, 1000 + i, 1 + (i % 2), 1 + (i / 4 % 2));
      test_exec (store, sql);
    }
}

static inline void
test_rm_rf (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        test_rm_rf (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

/* Spins the default main context until @cond holds or @timeout_ms passes. */
#define test_wait_until(cond, timeout_ms) G_STMT_START {                               \
    gint64 _deadline = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000;         \
    while (!(cond) && g_get_monotonic_time () < _deadline)                             \
      g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);               \
  } G_STMT_END

static inline void
test_spin (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

/* ---- FakeDialer: each phone follows a script -------------------------------------------- *
 * Steps, space separated, run one after another:
 *   wait:MS   pause          answer    answered; the message then plays for message_ms
 *   key:D     a DTMF key     hangup    the callee hangs up
 *   end:CODE  the call fails/ends unanswered with that SIP code
 * Unknown phones ring forever (until the runner hangs up). "refuse" makes place_call fail. */

#define FAKE_TYPE_DIALER (fake_dialer_get_type ())
G_DECLARE_FINAL_TYPE (FakeDialer, fake_dialer, FAKE, DIALER, GObject)

typedef struct {
  FakeDialer *dialer;
  guint       id;
  char       *phone;
  GStrv       steps;
  guint       step;
  guint       timer;
  guint       playback;
  gboolean    answered;
  gboolean    ended;
} FakeCall;

struct _FakeDialer
{
  GObject     parent_instance;
  GHashTable *scripts;   /* phone → script */
  GHashTable *calls;     /* id → FakeCall */
  guint       next_id;
  guint       message_ms;
  guint       active;
  guint       max_active;
  guint       placed;
  guint       replays;
  GArray     *placed_at; /* gint64 monotonic µs of each place_call */
  GPtrArray  *placed_phones;
};

static void fake_dialer_iface_init (JarchiCampaignDialerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeDialer, fake_dialer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JARCHI_TYPE_CAMPAIGN_DIALER, fake_dialer_iface_init))

static void
fake_call_free (gpointer data)
{
  FakeCall *call = data;

  g_clear_handle_id (&call->timer, g_source_remove);
  g_clear_handle_id (&call->playback, g_source_remove);
  g_free (call->phone);
  g_strfreev (call->steps);
  g_free (call);
}

static void fake_call_next (FakeCall *call);

static void
fake_call_end (FakeCall *call, guint code, JarchiDialOutcome outcome)
{
  FakeDialer *self = call->dialer;
  guint id = call->id;

  if (call->ended)
    return;
  call->ended = TRUE;
  g_clear_handle_id (&call->timer, g_source_remove);
  g_clear_handle_id (&call->playback, g_source_remove);
  self->active--;
  g_hash_table_steal (self->calls, GUINT_TO_POINTER (id));
  jarchi_campaign_dialer_emit_call_ended (JARCHI_CAMPAIGN_DIALER (self), id, code, outcome);
  fake_call_free (call);
}

static gboolean
fake_playback_done (gpointer data)
{
  FakeCall *call = data;

  call->playback = 0;
  jarchi_campaign_dialer_emit_playback_finished (JARCHI_CAMPAIGN_DIALER (call->dialer), call->id);
  return G_SOURCE_REMOVE;
}

static void
fake_start_playback (FakeCall *call)
{
  g_clear_handle_id (&call->playback, g_source_remove);
  call->playback = g_timeout_add (call->dialer->message_ms, fake_playback_done, call);
}

static gboolean
fake_call_step (gpointer data)
{
  FakeCall *call = data;

  call->timer = 0;
  fake_call_next (call);
  return G_SOURCE_REMOVE;
}

static void
fake_call_next (FakeCall *call)
{
  const char *step;

  if (!call->ended && call->steps && (step = call->steps[call->step]) != NULL)
    {
      call->step++;
      if (g_str_has_prefix (step, "wait:"))
        {
          call->timer = g_timeout_add ((guint) g_ascii_strtoull (step + 5, NULL, 10), fake_call_step, call);
          return;
        }
      else if (g_str_equal (step, "answer"))
        {
          call->answered = TRUE;
          jarchi_campaign_dialer_emit_call_answered (JARCHI_CAMPAIGN_DIALER (call->dialer), call->id);
          fake_start_playback (call);
        }
      else if (g_str_has_prefix (step, "key:"))
        jarchi_campaign_dialer_emit_call_dtmf (JARCHI_CAMPAIGN_DIALER (call->dialer), call->id, step[4], 0);
      else if (g_str_equal (step, "hangup"))
        {
          fake_call_end (call, 200, JARCHI_DIAL_OUTCOME_REMOTE_HANGUP);
          return;  /* freed */
        }
      else if (g_str_has_prefix (step, "end:"))
        {
          guint code = (guint) g_ascii_strtoull (step + 4, NULL, 10);

          fake_call_end (call, code, jarchi_dial_outcome_from_sip_code (code));
          return;  /* freed */
        }
      /* Each step takes its own main-loop turn, as a real engine's events do. */
      call->timer = g_timeout_add (1, fake_call_step, call);
      return;
    }
}

static guint
fake_place_call (JarchiCampaignDialer *dialer, guint account_id, const char *phone, guint media_id,
                 guint ring_timeout_s, GError **error)
{
  FakeDialer *self = FAKE_DIALER (dialer);
  const char *script = g_hash_table_lookup (self->scripts, phone);
  FakeCall *call;
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (self->placed_at, now);
  g_ptr_array_add (self->placed_phones, g_strdup (phone));
  if (g_strcmp0 (script, "refuse") == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "refused by the fake");
      return 0;
    }
  call = g_new0 (FakeCall, 1);
  call->dialer = self;
  call->id = ++self->next_id;
  call->phone = g_strdup (phone);
  call->steps = script ? g_strsplit (script, " ", -1) : NULL;
  g_hash_table_insert (self->calls, GUINT_TO_POINTER (call->id), call);
  self->placed++;
  self->active++;
  self->max_active = MAX (self->max_active, self->active);
  /* Never emit from inside place_call: the first step runs from the main loop. */
  call->timer = g_timeout_add (2, fake_call_step, call);
  return call->id;
}

static gboolean
fake_replay (JarchiCampaignDialer *dialer, guint call_id, GError **error)
{
  FakeDialer *self = FAKE_DIALER (dialer);
  FakeCall *call = g_hash_table_lookup (self->calls, GUINT_TO_POINTER (call_id));

  g_assert_nonnull (call);
  self->replays++;
  fake_start_playback (call);
  return TRUE;
}

typedef struct {
  FakeDialer *dialer;
  guint       id;
} FakeHangup;

static gboolean
fake_hangup_later (gpointer data)
{
  FakeHangup *h = data;
  FakeCall *call = g_hash_table_lookup (h->dialer->calls, GUINT_TO_POINTER (h->id));

  if (call)
    fake_call_end (call, call->answered ? 200 : 487,
                   call->answered ? JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US : JARCHI_DIAL_OUTCOME_NO_ANSWER);
  return G_SOURCE_REMOVE;
}

static gboolean
fake_hangup (JarchiCampaignDialer *dialer, guint call_id, GError **error)
{
  FakeHangup *h = g_new0 (FakeHangup, 1);

  h->dialer = FAKE_DIALER (dialer);
  h->id = call_id;
  g_timeout_add_full (G_PRIORITY_DEFAULT, 1, fake_hangup_later, h, g_free);
  return TRUE;
}

static void
fake_dialer_iface_init (JarchiCampaignDialerInterface *iface)
{
  iface->place_call = fake_place_call;
  iface->replay = fake_replay;
  iface->hangup = fake_hangup;
}

static void
fake_dialer_finalize (GObject *object)
{
  FakeDialer *self = FAKE_DIALER (object);

  g_hash_table_unref (self->calls);
  g_hash_table_unref (self->scripts);
  g_array_unref (self->placed_at);
  g_ptr_array_unref (self->placed_phones);
  G_OBJECT_CLASS (fake_dialer_parent_class)->finalize (object);
}

static void
fake_dialer_class_init (FakeDialerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fake_dialer_finalize;
}

static void
fake_dialer_init (FakeDialer *self)
{
  self->scripts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->calls = g_hash_table_new_full (NULL, NULL, NULL, fake_call_free);
  self->placed_at = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->placed_phones = g_ptr_array_new_with_free_func (g_free);
  /* Long enough that a main loop stalled by a loaded machine does not reorder a script's
   * steps around the end of the message. */
  self->message_ms = 400;
}

static inline void
fake_dialer_script (FakeDialer *self, const char *phone, const char *script)
{
  g_hash_table_replace (self->scripts, g_strdup (phone), g_strdup (script));
}

static inline guint
fake_dialer_count_calls_to (FakeDialer *self, const char *phone)
{
  guint n = 0;

  for (guint i = 0; i < self->placed_phones->len; i++)
    n += g_str_equal (g_ptr_array_index (self->placed_phones, i), phone);
  return n;
}

/* The most call starts seen in any window of @window_us. */
static inline guint
fake_dialer_max_in_window (FakeDialer *self, gint64 window_us)
{
  guint best = 0;

  for (guint i = 0; i < self->placed_at->len; i++)
    {
      guint n = 0;
      gint64 start = g_array_index (self->placed_at, gint64, i);

      for (guint j = i; j < self->placed_at->len && g_array_index (self->placed_at, gint64, j) < start + window_us; j++)
        n++;
      best = MAX (best, n);
    }
  return best;
}
