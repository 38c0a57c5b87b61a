/* Tests of JarchiHistoryModel: laziness and paging over 100,000 rows, filters, in-place updates, names and CSV. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gstdio.h>

#include "jarchi-history-model.h"
#include "time-scale.h"

#define N_ROWS 100000
#define BASE_TIME 1700000000

typedef struct {
  char              *dir;
  JarchiStore       *store;
  JarchiCallHistory *history;
  JarchiHistoryModel *model;
  GArray            *changes;   /* guint triples: position, removed, added */
} Fixture;

static void
exec (JarchiStore *store, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (jarchi_store_get_db (store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Row i (id i + 1) started at BASE_TIME + 10 i; every third incoming; every 10th has a name;
 * every 4th unanswered ("busy"); every 100th recorded. Row 0 is a campaign call to a contact. */
static void
fill (JarchiStore *store)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  exec (store,
        "INSERT INTO accounts (id, uri, display_name) VALUES (1, 'sip:office@pbx.example', 'Office');"
        "INSERT INTO contacts (id, name, phone) VALUES (1, 'Dilnoza Yusupova', '+998900000000');"
        "INSERT INTO campaigns (id, name) VALUES (1, 'Flood warning');"
        "INSERT INTO campaign_targets (id, campaign_id, contact_id, name, phone) VALUES (1, 1, 1, 'D. Yusupova', '+998900000000');"
        "INSERT INTO campaign_attempts (id, target_id, number) VALUES (1, 1, 1);");
  g_assert_true (jarchi_store_begin (store, &error));
  stmt = jarchi_store_prepare (store,
    "INSERT INTO calls (direction, remote, remote_name, account_id, started_at, answered_at, ended_at, "
    "result, sip_code, recording_path, attempt_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", &error);
  g_assert_no_error (error);
  for (int i = 0; i < N_ROWS; i++)
    {
      char remote[64];
      gboolean answered = i % 4 != 0;

      g_snprintf (remote, sizeof remote, "sip:+99890%07d@pbx.example", i);
      sqlite3_bind_text (stmt, 1, i % 3 == 0 ? "incoming" : "outgoing", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, remote, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, i % 10 == 0 ? "Ali Valiyev" : "", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, i % 2 == 0 ? 1 : 0);
      if (i % 2 != 0)
        sqlite3_bind_null (stmt, 4);
      sqlite3_bind_int64 (stmt, 5, BASE_TIME + (gint64) i * 10);
      if (answered)
        sqlite3_bind_int64 (stmt, 6, BASE_TIME + (gint64) i * 10 + 2);
      else
        sqlite3_bind_null (stmt, 6);
      sqlite3_bind_int64 (stmt, 7, BASE_TIME + (gint64) i * 10 + 7);
      sqlite3_bind_text (stmt, 8, answered ? "hung up" : "busy", -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 9, answered ? 200 : 486);
      if (i % 100 == 0)
        sqlite3_bind_text (stmt, 10, "/nonexistent/rec.ogg", -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 10);
      if (i == 0)
        sqlite3_bind_int64 (stmt, 11, 1);
      else
        sqlite3_bind_null (stmt, 11);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  g_assert_true (jarchi_store_commit (store, &error));
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, Fixture *f)
{
  guint v[3] = { position, removed, added };

  g_array_append_vals (f->changes, v, 3);
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  f->dir = g_dir_make_tmp ("jarchi-history-model-XXXXXX", NULL);
  db = g_build_filename (f->dir, "jarchi.db", NULL);
  f->store = jarchi_store_open (db, &error);
  g_assert_no_error (error);
  fill (f->store);
  f->history = jarchi_call_history_new (f->store, NULL);
  f->model = jarchi_history_model_new (f->history);
  f->changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (f->model, "items-changed", G_CALLBACK (on_items_changed), f);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir, "jarchi.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);

  g_clear_object (&f->model);
  g_clear_object (&f->history);
  g_clear_object (&f->store);
  g_array_unref (f->changes);
  g_unlink (db);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static JarchiHistoryEntry *
entry_at (Fixture *f, guint position, JarchiHistoryItem **item_out)
{
  JarchiHistoryItem *item = g_list_model_get_item (G_LIST_MODEL (f->model), position);

  g_assert_nonnull (item);
  *item_out = item;
  return jarchi_history_item_get_entry (item);
}

static void
test_lazy (Fixture *f, gconstpointer data)
{
  g_autoptr(JarchiHistoryItem) first = NULL, last = NULL, oldest_name = NULL;
  gint64 start;
  guint loaded;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_ROWS);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->model)) == JARCHI_TYPE_HISTORY_ITEM);
  /* Counting is all the constructor did. */
  g_assert_cmpuint (jarchi_history_model_get_n_loaded (f->model), ==, 0);

  /* The end of the list, as a view scrolled there asks for it: one page, quickly. */
  start = g_get_monotonic_time ();
  g_assert_cmpint (jarchi_history_entry_get_id (entry_at (f, N_ROWS - 1, &last)), ==, 1);
  g_test_message ("last row: %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, test_time_scale () * 1 * G_USEC_PER_SEC);
  g_assert_cmpuint (jarchi_history_model_get_n_loaded (f->model), <=, JARCHI_HISTORY_MODEL_PAGE);
  g_assert_cmpstr (jarchi_history_item_get_campaign_name (last), ==, "Flood warning");
  g_assert_cmpstr (jarchi_history_item_get_contact_name (last), ==, "Dilnoza Yusupova");
  g_assert_cmpstr (jarchi_history_item_get_account_name (last), ==, "Office");

  g_assert_cmpint (jarchi_history_entry_get_started_at (entry_at (f, 0, &first)), ==,
                   BASE_TIME + (gint64) (N_ROWS - 1) * 10);
  g_assert_cmpstr (jarchi_history_item_get_account_name (first), ==, "");
  g_assert_cmpstr (jarchi_history_item_get_campaign_name (first), ==, "");
  g_assert_cmpstr (jarchi_history_item_get_contact_name (first), ==, "");

  /* Walking down the first 5,000 rows reads each once, in pages, each row in its place. */
  loaded = jarchi_history_model_get_n_loaded (f->model);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 5000; i++)
    {
      g_autoptr(JarchiHistoryItem) item = NULL;
      JarchiHistoryEntry *e = entry_at (f, i, &item);

      g_assert_cmpint (jarchi_history_entry_get_id (e), ==, N_ROWS - i);
    }
  g_test_message ("5,000 rows: %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpuint (jarchi_history_model_get_n_loaded (f->model) - loaded, <=, 5000);
  /* Upwards from the middle: pages reach back, so not one query per row. */
  for (guint i = 60000; i > 59000; i--)
    {
      g_autoptr(JarchiHistoryItem) item = NULL;

      g_assert_cmpint (jarchi_history_entry_get_id (entry_at (f, i, &item)), ==, N_ROWS - i);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->model), N_ROWS));
  g_assert_cmpuint (f->changes->len, ==, 0);
}

static guint
count_with (Fixture *f, const JarchiHistoryFilter *filter, JarchiHistoryResult result)
{
  gint64 start = g_get_monotonic_time ();
  guint n;

  jarchi_history_model_set_filter (f->model, filter, result);
  n = g_list_model_get_n_items (G_LIST_MODEL (f->model));
  g_assert_cmpint (g_get_monotonic_time () - start, <, test_time_scale () * 2 * G_USEC_PER_SEC);
  return n;
}

static void
test_filters (Fixture *f, gconstpointer data)
{
  JarchiHistoryFilter filter = JARCHI_HISTORY_FILTER_INIT;
  g_autoptr(JarchiHistoryItem) item = NULL;
  guint expected = 0;

  filter.any_direction = FALSE;
  filter.direction = JARCHI_CALL_DIRECTION_INCOMING;
  g_assert_cmpuint (count_with (f, &filter, JARCHI_HISTORY_RESULT_ANY), ==, (N_ROWS + 2) / 3);
  g_assert_cmpuint (jarchi_history_entry_get_direction (entry_at (f, 0, &item)), ==, JARCHI_CALL_DIRECTION_INCOMING);
  g_clear_object (&item);
  /* A filter change is a reload: all rows out, then the new ones in (two signals, so that a
   * selection model does not look for its item among all the new rows). */
  g_assert_cmpuint (f->changes->len, ==, 6);
  g_assert_cmpuint (g_array_index (f->changes, guint, 1), ==, N_ROWS);
  g_assert_cmpuint (g_array_index (f->changes, guint, 2), ==, 0);
  g_assert_cmpuint (g_array_index (f->changes, guint, 5), ==, (N_ROWS + 2) / 3);
  /* And only the row asked for was read. */
  g_assert_cmpuint (jarchi_history_model_get_n_loaded (f->model), <=, JARCHI_HISTORY_MODEL_PAGE);

  filter = (JarchiHistoryFilter) JARCHI_HISTORY_FILTER_INIT;
  filter.q = "valiyev";
  g_assert_cmpuint (count_with (f, &filter, JARCHI_HISTORY_RESULT_ANY), ==, N_ROWS / 10);
  filter.q = "ali 0000120@";
  g_assert_cmpuint (count_with (f, &filter, JARCHI_HISTORY_RESULT_ANY), ==, 1);
  filter.q = "100%";
  g_assert_cmpuint (count_with (f, &filter, JARCHI_HISTORY_RESULT_ANY), ==, 0);

  filter = (JarchiHistoryFilter) JARCHI_HISTORY_FILTER_INIT;
  g_assert_cmpuint (count_with (f, &filter, JARCHI_HISTORY_RESULT_NOT_ANSWERED), ==, N_ROWS / 4);
  g_assert_cmpstr (jarchi_history_entry_get_end_reason (entry_at (f, 0, &item)), ==, "busy");
  g_clear_object (&item);
  g_assert_cmpuint (count_with (f, &filter, JARCHI_HISTORY_RESULT_ANSWERED), ==, N_ROWS - N_ROWS / 4);
  g_assert_cmpuint (count_with (f, &filter, JARCHI_HISTORY_RESULT_RECORDED), ==, N_ROWS / 100);
  g_assert_nonnull (jarchi_history_entry_get_recording_path (entry_at (f, 0, &item)));
  g_clear_object (&item);

  filter.from = BASE_TIME + 1000 * 10;
  filter.to = BASE_TIME + 1999 * 10;
  for (int i = 1000; i <= 1999; i++)
    expected += i % 3 == 0 && i % 4 == 0;
  filter.any_direction = FALSE;
  filter.direction = JARCHI_CALL_DIRECTION_INCOMING;
  g_assert_cmpuint (count_with (f, &filter, JARCHI_HISTORY_RESULT_NOT_ANSWERED), ==, expected);
  g_assert_cmpuint (count_with (f, NULL, JARCHI_HISTORY_RESULT_ANY), ==, N_ROWS);
}

static void
test_updates (Fixture *f, gconstpointer data)
{
  g_autoptr(JarchiHistoryItem) item = NULL;
  g_autoptr(JarchiHistoryItem) deep = NULL;
  gint64 now = BASE_TIME + (gint64) N_ROWS * 10;
  g_autofree char *sql = NULL;

  /* Rows a view has shown stay read; a new call must not drop them. */
  entry_at (f, 50000, &deep);
  g_clear_object (&deep);
  entry_at (f, 0, &item);
  g_clear_object (&item);

  /* A call starts: one row in at the top, nothing reloaded. */
  sql = g_strdup_printf ("INSERT INTO calls (direction, remote, started_at) VALUES "
                         "('outgoing', 'sip:+998900000000@pbx.example', %" G_GINT64_FORMAT ")", now);
  exec (f->store, sql);
  /* Rows read meanwhile are still those of the last look: the new row does not shift them. */
  g_assert_cmpint (jarchi_history_entry_get_id (entry_at (f, 60000, &item)), ==, N_ROWS - 60000);
  g_clear_object (&item);
  /* The history says it changed; the model looks shortly after, once. */
  g_signal_emit_by_name (f->history, "history-changed");
  g_signal_emit_by_name (f->history, "history-changed");
  g_assert_cmpuint (f->changes->len, ==, 0);
  while (f->changes->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (f->changes->len, ==, 3);
  g_assert_cmpuint (g_array_index (f->changes, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (f->changes, guint, 1), ==, 0);
  g_assert_cmpuint (g_array_index (f->changes, guint, 2), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_ROWS + 1);
  g_assert_cmpint (jarchi_history_entry_get_ended_at (entry_at (f, 0, &item)), ==, 0);
  g_assert_cmpstr (jarchi_history_item_get_contact_name (item), ==, "Dilnoza Yusupova");
  g_clear_object (&item);
  g_assert_cmpint (jarchi_history_entry_get_id (entry_at (f, 1, &item)), ==, N_ROWS);
  g_clear_object (&item);
  g_assert_cmpint (jarchi_history_entry_get_id (entry_at (f, 50001, &item)), ==, N_ROWS - 50000);
  g_clear_object (&item);

  /* Nothing changed: nothing to tell. */
  jarchi_history_model_sync (f->model);
  g_assert_cmpuint (f->changes->len, ==, 3);

  /* It ends: its row changes in place. */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE calls SET answered_at = %" G_GINT64_FORMAT ", ended_at = %" G_GINT64_FORMAT
                         ", result = 'hung up' WHERE id = %d", now + 1, now + 5, N_ROWS + 1);
  exec (f->store, sql);
  jarchi_history_model_sync (f->model);
  g_assert_cmpuint (f->changes->len, ==, 6);
  g_assert_cmpuint (g_array_index (f->changes, guint, 3), ==, 0);
  g_assert_cmpuint (g_array_index (f->changes, guint, 4), ==, 1);
  g_assert_cmpuint (g_array_index (f->changes, guint, 5), ==, 1);
  g_assert_cmpint (jarchi_history_entry_get_duration (entry_at (f, 0, &item)), ==, 4);
  g_clear_object (&item);

  /* A row deleted elsewhere: the one change that reloads. */
  exec (f->store, "DELETE FROM calls WHERE id = 5");
  jarchi_history_model_sync (f->model);
  g_assert_cmpuint (f->changes->len, ==, 12);
  g_assert_cmpuint (g_array_index (f->changes, guint, 7), ==, N_ROWS + 1);
  g_assert_cmpuint (g_array_index (f->changes, guint, 11), ==, N_ROWS);
}

static void
test_csv (Fixture *f, gconstpointer data)
{
  JarchiHistoryFilter filter = JARCHI_HISTORY_FILTER_INIT;
  JarchiHistoryCsvCursor cursor = { 0 };
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  filter.q = "valiyev";
  jarchi_history_model_set_filter (f->model, &filter, JARCHI_HISTORY_RESULT_NOT_ANSWERED);
  while (!cursor.done)
    {
      g_autoptr(GBytes) piece = jarchi_history_model_export_chunk (f->model, &cursor, 700, &error);
      gsize len;
      const char *data = g_bytes_get_data (piece, &len);

      g_assert_no_error (error);
      g_string_append_len (csv, data, len);
    }
  g_assert_true (g_str_has_prefix (csv->str, "\xEF\xBB\xBF" "id,started_at,answered_at,ended_at,duration,"
                                   "direction,remote,remote_name,contact,account,account_name,campaign,"
                                   "end_reason,sip_code,recording\r\n"));
  lines = g_strsplit (csv->str, "\r\n", -1);
  /* Header, every 20th row (named and busy), the empty piece after the last CRLF. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + N_ROWS / 20 + 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_ROWS / 20);
  g_assert_true (g_str_has_prefix (lines[1], "99981,2023-11-"));
  g_assert_true (g_str_has_suffix (lines[N_ROWS / 20], ",Dilnoza Yusupova,1,Office,Flood warning,busy,486,yes"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/history-model/lazy", Fixture, NULL, setup, test_lazy, teardown);
  g_test_add ("/history-model/filters", Fixture, NULL, setup, test_filters, teardown);
  g_test_add ("/history-model/updates", Fixture, NULL, setup, test_updates, teardown);
  g_test_add ("/history-model/csv", Fixture, NULL, setup, test_csv, teardown);
  return g_test_run ();
}
