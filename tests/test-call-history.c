/* Tests of JarchiCallHistory: real calls (SIPp on 127.0.0.1) written as they happen, queries and CSV over 100,000 rows. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "call-fixture.h"
#include "jarchi-call-history.h"
#include "jarchi-history-api.h"

typedef struct {
  Fixture            base;
  JarchiStore       *store;
  JarchiCallHistory *history;
  GPtrArray         *finished;   /* JarchiHistoryEntry from ::entry-ended */
  guint              changes;
} HistoryFixture;

static void
on_entry_ended (JarchiCallHistory *history, JarchiHistoryEntry *entry, HistoryFixture *h)
{
  g_ptr_array_add (h->finished, g_object_ref (entry));
}

static void
on_history_changed (JarchiCallHistory *history, HistoryFixture *h)
{
  h->changes++;
}

static void
history_setup (HistoryFixture *h, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  fixture_setup (&h->base, data);
  db = g_build_filename (h->base.lab->root, "jarchi.db", NULL);
  h->store = jarchi_store_open (db, &error);
  g_assert_no_error (error);
  h->history = jarchi_call_history_new (h->store, h->base.manager);
  h->finished = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (h->history, "entry-ended", G_CALLBACK (on_entry_ended), h);
  g_signal_connect (h->history, "history-changed", G_CALLBACK (on_history_changed), h);
}

static void
history_teardown (HistoryFixture *h, gconstpointer data)
{
  jarchi_call_manager_shutdown (h->base.manager);
  g_clear_object (&h->history);
  g_clear_object (&h->store);
  g_ptr_array_unref (h->finished);
  fixture_teardown (&h->base, data);
}

static GPtrArray *
all_rows (HistoryFixture *h, guint *total)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = jarchi_call_history_query (h->history, NULL, 0, 0, total, &error);

  g_assert_no_error (error);
  return rows;
}

static gboolean
has_finished (gpointer data)
{
  return ((HistoryFixture *) data)->finished->len > 0;
}

static JarchiHistoryEntry *
wait_finished (HistoryFixture *h)
{
  g_assert_true (sip_lab_wait (has_finished, h, 10000));
  return g_ptr_array_index (h->finished, 0);
}

static void
test_outgoing_answered (HistoryFixture *h, gconstpointer data)
{
  Fixture *f = &h->base;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JarchiHistoryEntry) row = NULL;
  guint port = start_uas (f, "uas", "answer");
  g_autofree char *uri = sipp_uri (f, "lab", port);
  JarchiHistoryEntry *entry;
  guint id, total = 0;
  gint64 row_id;

  id = jarchi_call_manager_dial (f->manager, uri, 0, &error);
  g_assert_no_error (error);
  watch (f, id);

  /* The row exists as soon as the call does: a crash now loses nothing. */
  rows = all_rows (h, &total);
  g_assert_cmpuint (total, ==, 1);
  entry = g_ptr_array_index (rows, 0);
  row_id = jarchi_history_entry_get_id (entry);
  g_assert_cmpint (jarchi_call_history_get_entry_id (h->history, id), ==, row_id);
  g_assert_cmpstr (jarchi_history_entry_get_remote (entry), ==, uri);
  g_assert_cmpint (jarchi_history_entry_get_direction (entry), ==, JARCHI_CALL_DIRECTION_OUTGOING);
  g_assert_cmpint (jarchi_history_entry_get_started_at (entry), >, 0);
  g_assert_cmpint (jarchi_history_entry_get_answered_at (entry), ==, 0);
  g_assert_cmpint (jarchi_history_entry_get_ended_at (entry), ==, 0);

  wait_state (f, JARCHI_CALL_STATE_ACTIVE);
  row = jarchi_call_history_get (h->history, row_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (jarchi_history_entry_get_answered_at (row), >=, jarchi_history_entry_get_started_at (row));
  g_assert_cmpint (jarchi_history_entry_get_ended_at (row), ==, 0);

  sip_lab_spin (1200);
  g_assert_true (jarchi_call_manager_hangup (f->manager, id, &error));
  entry = wait_finished (h);
  g_assert_cmpint (jarchi_history_entry_get_id (entry), ==, row_id);
  g_assert_cmpstr (jarchi_history_entry_get_end_reason (entry), ==, "hung up");
  g_assert_cmpuint (jarchi_history_entry_get_sip_code (entry), ==, 200);
  g_assert_cmpint (jarchi_history_entry_get_ended_at (entry), >=, jarchi_history_entry_get_answered_at (entry));
  g_assert_cmpint (jarchi_history_entry_get_duration (entry), >=, 1);
  g_assert_null (jarchi_history_entry_get_recording_path (entry));
  g_assert_cmpuint (h->changes, >=, 3);
  g_assert_cmpint (jarchi_call_history_get_entry_id (h->history, id), ==, 0);
  assert_sipp_ok (f, "uas");
}

static void
test_outgoing_busy (HistoryFixture *h, gconstpointer data)
{
  Fixture *f = &h->base;
  g_autoptr(GError) error = NULL;
  guint port = start_uas (f, "uas", "busy");
  g_autofree char *uri = sipp_uri (f, "lab", port);
  JarchiHistoryEntry *entry;
  guint id;

  id = jarchi_call_manager_dial (f->manager, uri, JARCHI_ACCOUNT_NONE, &error);
  g_assert_no_error (error);
  entry = wait_finished (h);
  g_assert_cmpstr (jarchi_history_entry_get_end_reason (entry), ==, "busy");
  g_assert_cmpuint (jarchi_history_entry_get_sip_code (entry), ==, 486);
  g_assert_cmpint (jarchi_history_entry_get_answered_at (entry), ==, 0);
  g_assert_cmpint (jarchi_history_entry_get_duration (entry), ==, 0);
  g_assert_cmpint (jarchi_history_entry_get_account_id (entry), ==, 0);
  g_assert_cmpuint (id, >, 0);
  assert_sipp_ok (f, "uas");
}

static void
test_incoming (HistoryFixture *h, gconstpointer data)
{
  Fixture *f = &h->base;
  g_autoptr(GError) error = NULL;
  JarchiHistoryEntry *entry;
  guint id;

  start_uac (f, "uac", "call", "-s jarchi -d 1500");
  id = wait_incoming (f);
  g_assert_cmpint (jarchi_call_history_get_entry_id (h->history, id), >, 0);
  g_assert_true (jarchi_call_manager_answer (f->manager, id, &error));
  g_assert_no_error (error);
  entry = wait_finished (h);
  g_assert_cmpint (jarchi_history_entry_get_direction (entry), ==, JARCHI_CALL_DIRECTION_INCOMING);
  g_assert_true (g_str_has_prefix (jarchi_history_entry_get_remote (entry), "sip:sipp@"));
  g_assert_cmpstr (jarchi_history_entry_get_end_reason (entry), ==, "remote hung up");
  g_assert_cmpint (jarchi_history_entry_get_answered_at (entry), >, 0);
  assert_sipp_ok (f, "uac");
}

static void
test_exclude (HistoryFixture *h, gconstpointer data)
{
  Fixture *f = &h->base;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint port = start_uas (f, "uas", "noanswer");
  g_autofree char *uri = sipp_uri (f, "lab", port);
  guint id, total = 99;

  id = jarchi_call_manager_dial (f->manager, uri, 0, &error);
  g_assert_no_error (error);
  watch (f, id);
  jarchi_call_history_exclude_call (h->history, id);
  wait_state (f, JARCHI_CALL_STATE_RINGING);
  g_assert_true (jarchi_call_manager_hangup (f->manager, id, &error));
  (void) ended_call (f);
  rows = all_rows (h, &total);
  g_assert_cmpuint (total, ==, 0);
  g_assert_cmpuint (h->finished->len, ==, 0);
  assert_sipp_ok (f, "uas");
}

/* ---- 100,000 rows, no SIP ------------------------------------------------------------------- */

#define N_ROWS 100000
#define BASE_TIME 1700000000

static void
fill (JarchiStore *store)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (jarchi_store_begin (store, &error));
  stmt = jarchi_store_prepare (store,
    "INSERT INTO calls (direction, remote, remote_name, started_at, answered_at, ended_at, result, sip_code) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'hung up', 200)", &error);
  g_assert_no_error (error);
  for (int i = 0; i < N_ROWS; i++)
    {
      char remote[64];

      g_snprintf (remote, sizeof remote, "sip:+99890%07d@pbx.example", i);
      sqlite3_bind_text (stmt, 1, i % 3 == 0 ? "incoming" : "outgoing", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, remote, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, i % 10 == 0 ? "Ali Valiyev" : "", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, BASE_TIME + (gint64) i * 10);
      sqlite3_bind_int64 (stmt, 5, BASE_TIME + (gint64) i * 10 + 2);
      sqlite3_bind_int64 (stmt, 6, BASE_TIME + (gint64) i * 10 + 7);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  g_assert_true (jarchi_store_commit (store, &error));
}

static guint
timed_count (JarchiCallHistory *history, const JarchiHistoryFilter *filter, const char *what, GPtrArray **rows_out)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  guint total = 0;
  GPtrArray *rows = jarchi_call_history_query (history, filter, 0, 100, &total, &error);
  gint64 ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_no_error (error);
  g_test_message ("%s: %u rows in %" G_GINT64_FORMAT " ms", what, total, ms);
  g_assert_cmpint (ms, <, 1500);
  if (rows_out)
    *rows_out = rows;
  else
    g_ptr_array_unref (rows);
  return total;
}

static void
test_large_history (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jarchi-history-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "jarchi.db", NULL);
  g_autoptr(JarchiStore) store = jarchi_store_open (db, &error);
  g_autoptr(JarchiCallHistory) history = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  JarchiHistoryFilter filter = JARCHI_HISTORY_FILTER_INIT;
  JarchiHistoryCsvCursor cursor = { 0 };
  gint64 spent = 0, last_id = G_MAXINT64;
  g_autofree char *last_started = g_strdup ("9999");
  guint expected = 0, lines = 0, pieces = 0;
  gboolean header = FALSE;

  g_assert_no_error (error);
  fill (store);
  history = jarchi_call_history_new (store, NULL);

  g_assert_cmpuint (timed_count (history, &filter, "everything", &rows), ==, N_ROWS);
  g_assert_cmpuint (rows->len, ==, 100);
  g_assert_cmpint (jarchi_history_entry_get_started_at (g_ptr_array_index (rows, 0)), ==,
                   BASE_TIME + (gint64) (N_ROWS - 1) * 10);
  g_clear_pointer (&rows, g_ptr_array_unref);

  filter.any_direction = FALSE;
  filter.direction = JARCHI_CALL_DIRECTION_INCOMING;
  g_assert_cmpuint (timed_count (history, &filter, "incoming", NULL), ==, (N_ROWS + 2) / 3);

  filter = (JarchiHistoryFilter) JARCHI_HISTORY_FILTER_INIT;
  filter.q = "VALIYEV";
  g_assert_cmpuint (timed_count (history, &filter, "q=VALIYEV", NULL), ==, N_ROWS / 10);
  /* Every word must match, each in the number or the name. */
  filter.q = "ali  0000120@";
  g_assert_cmpuint (timed_count (history, &filter, "q=ali 0000120@", NULL), ==, 1);
  filter.q = "ali 0000123@";
  g_assert_cmpuint (timed_count (history, &filter, "q=ali 0000123@", NULL), ==, 0);
  filter.q = "100%";
  g_assert_cmpuint (timed_count (history, &filter, "q=100%", NULL), ==, 0);

  filter = (JarchiHistoryFilter) JARCHI_HISTORY_FILTER_INIT;
  filter.from = BASE_TIME + 1000 * 10;
  filter.to = BASE_TIME + 1999 * 10;
  g_assert_cmpuint (timed_count (history, &filter, "from..to", NULL), ==, 1000);
  filter.any_direction = FALSE;
  filter.direction = JARCHI_CALL_DIRECTION_INCOMING;
  for (int i = 1000; i <= 1999; i++)
    expected += i % 3 == 0;
  g_assert_cmpuint (timed_count (history, &filter, "incoming, from..to", NULL), ==, expected);

  /* The last page. */
  rows = jarchi_call_history_query (history, NULL, N_ROWS - 10, 100, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 10);
  g_assert_cmpint (jarchi_history_entry_get_id (g_ptr_array_index (rows, 9)), ==, 1);

  /* The CSV export in pieces: every row once, newest first. */
  while (!cursor.done)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GBytes) piece = jarchi_call_history_export_csv_chunk (history, NULL, &cursor, 500, &error);
      g_autofree char *text = NULL;
      g_auto(GStrv) split = NULL;

      spent += g_get_monotonic_time () - start;
      g_assert_no_error (error);
      text = g_strndup (g_bytes_get_data (piece, NULL), g_bytes_get_size (piece));
      split = g_strsplit (text, "\r\n", -1);
      for (guint i = 0; split[i] != NULL; i++)
        {
          g_auto(GStrv) cells = NULL;
          gint64 id;
          int order;

          if (split[i][0] == '\0')
            continue;
          if (!header)
            {
              g_assert_true (g_str_has_prefix (split[i], "\xEF\xBB\xBFid,started_at,answered_at,ended_at,duration,direction"));
              header = TRUE;
              continue;
            }
          cells = g_strsplit (split[i], ",", -1);
          g_assert_cmpuint (g_strv_length (cells), ==, 12);
          id = g_ascii_strtoll (cells[0], NULL, 10);
          /* Fixed-width ISO 8601 UTC times sort as strings. */
          g_assert_cmpuint (strlen (cells[1]), ==, 20);
          order = strcmp (cells[1], last_started);
          g_assert_true (order < 0 || (order == 0 && id < last_id));
          g_free (last_started);
          last_started = g_strdup (cells[1]);
          last_id = id;
          g_assert_cmpstr (cells[4], ==, "5");
          lines++;
        }
      pieces++;
    }
  g_test_message ("CSV: %u rows in %u pieces, %" G_GINT64_FORMAT " ms", lines, pieces, spent / 1000);
  /* A bound against a stalled stream, not a speed claim (bench/ measures speed). */
  g_assert_cmpint (spent / 1000, <, 60000);
  g_assert_cmpuint (lines, ==, N_ROWS);

  g_clear_object (&history);
  g_clear_object (&store);
  g_unlink (db);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

static void
test_interrupted (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("jarchi-history-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "jarchi.db", NULL);
  g_autoptr(JarchiStore) store = jarchi_store_open (db, &error);
  g_autoptr(JarchiCallHistory) history = NULL;
  g_autoptr(JarchiHistoryEntry) open_row = NULL;
  g_autoptr(JarchiHistoryEntry) done_row = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_assert_no_error (error);
  stmt = jarchi_store_prepare (store,
    "INSERT INTO calls (id, direction, remote, started_at, ended_at, result) VALUES "
    "(1, 'outgoing', 'sip:a@b', 100, NULL, ''), (2, 'incoming', 'sip:c@d', 100, 160, 'hung up')", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);

  history = jarchi_call_history_new (store, NULL);
  open_row = jarchi_call_history_get (history, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (jarchi_history_entry_get_end_reason (open_row), ==, "interrupted");
  done_row = jarchi_call_history_get (history, 2, &error);
  g_assert_cmpstr (jarchi_history_entry_get_end_reason (done_row), ==, "hung up");
  g_assert_null (jarchi_call_history_get (history, 3, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);

  g_clear_pointer (&stmt, sqlite3_finalize);
  g_clear_object (&history);
  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);
    g_unlink (db);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

static void
test_parse_time (void)
{
  gint64 t = 0;

  g_assert_true (jarchi_history_api_parse_time ("1700000000", &t));
  g_assert_cmpint (t, ==, 1700000000);
  g_assert_true (jarchi_history_api_parse_time ("2023-11-14T22:13:20Z", &t));
  g_assert_cmpint (t, ==, 1700000000);
  g_assert_true (jarchi_history_api_parse_time ("2023-11-15T03:13:20+05:00", &t));
  g_assert_cmpint (t, ==, 1700000000);
  /* "+" decoded to a space by form decoding. */
  g_assert_true (jarchi_history_api_parse_time ("2023-11-15T03:13:20 05:00", &t));
  g_assert_cmpint (t, ==, 1700000000);
  g_assert_true (jarchi_history_api_parse_time ("2023-11-14T22:13:20", &t));
  g_assert_cmpint (t, ==, 1700000000);
  g_assert_true (jarchi_history_api_parse_time ("2023-11-14", &t));
  g_assert_cmpint (t, ==, 1699920000);
  g_assert_false (jarchi_history_api_parse_time ("yesterday", &t));
  g_assert_false (jarchi_history_api_parse_time ("2023-13-40", &t));
  g_assert_false (jarchi_history_api_parse_time ("", &t));
  g_assert_false (jarchi_history_api_parse_time ("-5", &t));
}

int
main (int argc, char **argv)
{
  call_fixture_test_init (&argc, &argv, 1000);

#define ADD(path, func, secs) \
  g_test_add ("/call-history/" path, HistoryFixture, GUINT_TO_POINTER (secs), history_setup, func, \
              history_teardown)

  g_test_add_func ("/call-history/parse-time", test_parse_time);
  g_test_add_func ("/call-history/interrupted", test_interrupted);
  g_test_add_func ("/call-history/large", test_large_history);
  ADD ("outgoing-answered", test_outgoing_answered, 40);
  ADD ("outgoing-busy", test_outgoing_busy, 30);
  ADD ("incoming", test_incoming, 30);
  ADD ("exclude", test_exclude, 30);

  return g_test_run ();
}
