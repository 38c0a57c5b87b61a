/* Tests for phone normalisation, JarchiContactBook (CRUD, CSV import/export, do-not-call, list models). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gstdio.h>

#include "jarchi-contact-book.h"
#include "jarchi-error.h"
#include "jarchi-phone.h"

typedef struct {
  char              *dir;
  JarchiStore       *store;
  JarchiContactBook *book;
} Fixture;

static JarchiStore *
open_store (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  JarchiStore *store = jarchi_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("jarchi-contacts-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->store = open_store (f->dir, "jarchi.db");
  f->book = jarchi_contact_book_new (f->store);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->book);
  g_clear_object (&f->store);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static char *
read_fixture (const char *name, gsize *len)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "contacts", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, len, &error);
  g_assert_no_error (error);
  return data;
}

static int
count_rows (JarchiStore *store, const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int (stmt, 0);
}

static JarchiContact *
make_contact (const char *name, const char *phone, const char *department, const char *district)
{
  JarchiContact *c = jarchi_contact_new ();

  jarchi_contact_set_name (c, name);
  jarchi_contact_set_phone (c, phone);
  jarchi_contact_set_department (c, department);
  jarchi_contact_set_district (c, district);
  return c;
}

static void
test_phone_normalize (void)
{
  static const struct { const char *in, *out; } good[] = {
    { "+998 90 123-45-67", "+998901234567" },
    { "+998 (90) 123.45.67", "+998901234567" },
    { "  8 (90) 765 43 21 ", "8907654321" },
    { "1001", "1001" },
    { "112", "112" },
    { "+998\xC2\xA0" "90\xE2\x80\xAF" "1234567", "+998901234567" },  /* no-break and narrow spaces */
    { "90/123-45-67", "901234567" },
    { "+123456789012345", "+123456789012345" },
  };
  static const char * const bad[] = {
    "", "   ", "12", "+12345", "abc", "+998 90 ABC", "998+901234567", "++998901234567",
    "+1234567890123456", "1001 ext 5", "90*123", "١٢٣٤", "\xff\xfe",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = jarchi_phone_normalize (good[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, good[i].out);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = jarchi_phone_normalize (bad[i], &error);

      g_test_message ("bad phone %zu: %s", i, error ? error->message : "(accepted)");
      g_assert_null (out);
      g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
    }
  g_assert_true (jarchi_phone_is_phone_like ("90 123"));
  g_assert_false (jarchi_phone_is_phone_like ("Ali 90"));
}

static void
test_crud (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiContact) c = make_contact ("  Karimov   Anvar ", "+998 90 111-22-33", "Kadrlar", "Yakkasaroy");
  g_autoptr(JarchiContact) dup = make_contact ("Other", "+998901112233", "", "");
  g_autoptr(JarchiContact) bad = make_contact ("", "+998901112244", "", "");
  g_autoptr(JarchiContact) got = NULL;
  gint64 id;

  g_assert_true (jarchi_contact_book_add (f->book, c, &error));
  g_assert_no_error (error);
  id = jarchi_contact_get_id (c);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpstr (jarchi_contact_get_name (c), ==, "Karimov Anvar");
  g_assert_cmpstr (jarchi_contact_get_phone (c), ==, "+998901112233");
  g_assert_cmpint (jarchi_contact_get_department_id (c), >, 0);
  g_assert_true (jarchi_contact_get_active (c));

  g_assert_false (jarchi_contact_book_add (f->book, dup, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (jarchi_contact_get_id (dup), ==, 0);
  g_assert_false (jarchi_contact_book_add (f->book, bad, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f->store, "SELECT COUNT(*) FROM contacts"), ==, 1);

  got = jarchi_contact_book_get (f->book, id, &error);
  g_assert_no_error (error);
  g_assert_true (jarchi_contact_equal (got, c));
  g_clear_object (&got);
  got = jarchi_contact_book_find_by_phone (f->book, "+998 (90) 111 22 33");
  g_assert_nonnull (got);
  g_assert_cmpint (jarchi_contact_get_id (got), ==, id);

  jarchi_contact_set_department (got, "");
  jarchi_contact_set_district (got, "Chilonzor");
  jarchi_contact_set_active (got, FALSE);
  g_assert_true (jarchi_contact_book_update (f->book, got, &error));
  g_assert_no_error (error);
  g_assert_cmpint (jarchi_contact_get_department_id (got), ==, 0);
  g_clear_object (&c);
  c = jarchi_contact_book_get (f->book, id, &error);
  g_assert_true (jarchi_contact_equal (got, c));
  g_assert_false (jarchi_contact_get_active (c));
  g_assert_cmpstr (jarchi_contact_get_district (c), ==, "Chilonzor");

  jarchi_contact_set_id (got, id + 100);
  g_assert_false (jarchi_contact_book_update (f->book, got, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (jarchi_contact_book_remove (f->book, id, &error));
  g_assert_no_error (error);
  g_assert_false (jarchi_contact_book_remove (f->book, id, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (jarchi_contact_book_get (f->book, id, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
}

static void
assert_rejected (JarchiImportReport *report, guint i, guint line, const char *reason_part)
{
  JarchiImportRejection *r = g_ptr_array_index (report->rejected, i);

  g_test_message ("line %u: %s", r->line, r->reason);
  g_assert_cmpuint (r->line, ==, line);
  g_assert_nonnull (strstr (r->reason, reason_part));
}

static void
test_import_mixed (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiContact) seed = make_contact ("Pre Existing", "+998712000000", "", "Shayxontohur");
  g_autoptr(JarchiImportReport) report = NULL;
  g_autoptr(JarchiContact) c = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *csv = NULL;
  gsize len;
  guint total = 0;

  g_assert_true (jarchi_contact_book_add (f->book, seed, &error));
  csv = read_fixture ("mixed.csv", &len);
  report = jarchi_contact_book_import_csv (f->book, csv, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  g_assert_cmpuint (report->imported, ==, 7);
  g_assert_cmpuint (report->updated, ==, 2);
  g_assert_cmpuint (report->rejected->len, ==, 4);
  assert_rejected (report, 0, 6, "contains “A”");
  assert_rejected (report, 1, 7, "name is missing");
  assert_rejected (report, 2, 8, "too few digits");
  assert_rejected (report, 3, 13, "too many digits");

  g_assert_cmpint (count_rows (f->store, "SELECT COUNT(*) FROM contacts"), ==, 8);
  g_assert_cmpint (count_rows (f->store, "SELECT COUNT(*) FROM departments"), ==, 5);
  g_assert_cmpint (count_rows (f->store, "SELECT COUNT(*) FROM districts"), ==, 5);

  /* Quoted comma, then merged with the duplicate on line 9: an empty cell keeps the value. */
  c = jarchi_contact_book_find_by_phone (f->book, "+998901234567");
  g_assert_cmpstr (jarchi_contact_get_name (c), ==, "Aliyev Vali");
  g_assert_cmpstr (jarchi_contact_get_position (c), ==, "Bosh hisobchi, katta");
  g_assert_cmpstr (jarchi_contact_get_note (c), ==, "Takroriy qator");
  g_assert_cmpstr (jarchi_contact_get_department (c), ==, "Moliya bo'limi");
  g_clear_object (&c);

  c = jarchi_contact_book_find_by_phone (f->book, "8907654321");
  g_assert_cmpstr (jarchi_contact_get_name (c), ==, "Иванова Мария");
  g_assert_cmpstr (jarchi_contact_get_district (c), ==, "Чиланзар");
  g_assert_cmpstr (jarchi_contact_get_note (c), ==, "Первая строка\nвторая строка");
  g_clear_object (&c);

  c = jarchi_contact_book_find_by_phone (f->book, "1001");
  g_assert_cmpstr (jarchi_contact_get_name (c), ==, "Oʻktam Toʻxtayev");
  g_clear_object (&c);

  c = jarchi_contact_book_find_by_phone (f->book, "+998935556677");
  g_assert_cmpstr (jarchi_contact_get_name (c), ==, "Shahnoza \"Shoxa\" Karimova");
  g_clear_object (&c);

  c = jarchi_contact_book_find_by_phone (f->book, "+998900001122");
  g_assert_cmpstr (jarchi_contact_get_name (c), ==, "Multi \"quoted\", name");
  g_assert_cmpstr (jarchi_contact_get_note (c), ==, "note with \"quotes\", commas\nand two\nlines");
  g_clear_object (&c);

  /* The pre-existing contact was merged: new department and position, district kept. */
  c = jarchi_contact_book_find_by_phone (f->book, "+998712000000");
  g_assert_cmpint (jarchi_contact_get_id (c), ==, jarchi_contact_get_id (seed));
  g_assert_cmpstr (jarchi_contact_get_department (c), ==, "Rahbariyat");
  g_assert_cmpstr (jarchi_contact_get_position (c), ==, "Direktor");
  g_assert_cmpstr (jarchi_contact_get_district (c), ==, "Shayxontohur");
  g_clear_object (&c);

  c = jarchi_contact_book_find_by_phone (f->book, "+998909998877");
  g_assert_cmpstr (jarchi_contact_get_name (c), ==, "Last Row No Newline");

  all = jarchi_contact_book_query (f->book, 0, 0, NULL, 0, G_MAXUINT, &total, &error);
  g_assert_cmpuint (total, ==, 8);
  g_assert_cmpuint (all->len, ==, 8);
  {
    g_autoptr(JsonNode) node = jarchi_import_report_to_json (report);
    g_autofree char *json = json_to_string (node, FALSE);

    g_assert_true (g_str_has_prefix (json, "{\"imported\":7,\"updated\":2,\"rejected\":[{\"line\":6,"));
  }
}

static void
assert_import_fails (Fixture *f, const char *data, gsize len, const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiImportReport) report = jarchi_contact_book_import_csv (f->book, data, len, &error);

  g_assert_null (report);
  g_assert_nonnull (error);
  g_test_message ("import error: %s", error->message);
  g_assert_true (error->domain == JARCHI_ERROR);
  g_assert_nonnull (strstr (error->message, message_part));
}

static void
test_import_broken (Fixture *f, gconstpointer data)
{
  g_autofree char *garbage = NULL;
  g_autofree char *unterminated = NULL;
  gsize len;

  garbage = read_fixture ("garbage.bin", &len);
  assert_import_fails (f, garbage, len, "not a CSV file");
  unterminated = read_fixture ("unterminated.csv", &len);
  assert_import_fails (f, unterminated, len, "Line 3: a quoted field is never closed");

#define FAILS(text, part) assert_import_fails (f, text, sizeof text - 1, part)
  FAILS ("name,phone\r\nAli,+998901112233\r\nJos\xE9,+998901112244\r\n", "Line 3: invalid UTF-8");
  FAILS ("name,phone\nAli \"Vali\",+998901112233\n", "Line 2: misplaced quote");
  FAILS ("name,phone\n\"Ali\"x,+998901112233\n", "Line 2: misplaced quote");
  FAILS ("Ali,+998901112233\nVali,+998901112244\n", "Line 1: the first row must be a header");
  FAILS ("name,department\nAli,IT\n", "no phone column");
  FAILS ("phone,department\n+998901112233,IT\n", "no name column");
  FAILS ("", "empty");
  FAILS ("\xEF\xBB\xBF \r\n\r\n", "empty");
  FAILS ("\xFF\xFEn\0a\0m\0e\0", "UTF-16");
#undef FAILS

  g_assert_cmpint (count_rows (f->store, "SELECT COUNT(*) FROM contacts"), ==, 0);
  g_assert_cmpint (count_rows (f->store, "SELECT COUNT(*) FROM departments"), ==, 0);
}

static void
test_import_languages (Fixture *f, gconstpointer data)
{
  static const char russian[] = "Имя,Телефон,Отдел,Район,Должность,Примечание,Активен\n"
                                "Петров Пётр,+7 (912) 345-67-89,Бухгалтерия,Центральный,Бухгалтер,,нет\n"
                                "Сидорова Анна,+7 912 000 11 22,Бухгалтерия,,,,да\n"
                                "Ошибка,+7 912 000 11 33,,,,,может быть\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiImportReport) report = NULL;
  g_autoptr(JarchiContact) c = NULL;
  g_autofree char *uzbek = NULL;
  gsize len;

  uzbek = read_fixture ("uzbek-semicolon.csv", &len);
  report = jarchi_contact_book_import_csv (f->book, uzbek, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->imported, ==, 2);
  g_assert_cmpuint (report->rejected->len, ==, 0);
  c = jarchi_contact_book_find_by_phone (f->book, "902223344");
  g_assert_cmpstr (jarchi_contact_get_name (c), ==, "Sobirova Dilnoza");
  g_assert_cmpstr (jarchi_contact_get_department (c), ==, "Kadrlar boʻlimi");
  g_clear_object (&c);
  c = jarchi_contact_book_find_by_phone (f->book, "+998901112233");
  g_assert_cmpstr (jarchi_contact_get_note (c), ==, "Izoh; nuqtali vergul bilan");
  g_clear_object (&c);
  g_clear_pointer (&report, jarchi_import_report_free);

  report = jarchi_contact_book_import_csv (f->book, russian, sizeof russian - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->imported, ==, 2);
  g_assert_cmpuint (report->rejected->len, ==, 1);
  assert_rejected (report, 0, 4, "not a valid value for active");
  c = jarchi_contact_book_find_by_phone (f->book, "+79123456789");
  g_assert_cmpstr (jarchi_contact_get_name (c), ==, "Петров Пётр");
  g_assert_cmpstr (jarchi_contact_get_position (c), ==, "Бухгалтер");
  g_assert_false (jarchi_contact_get_active (c));
}

static GPtrArray *
all_contacts (JarchiContactBook *book)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *all = jarchi_contact_book_query (book, 0, 0, NULL, 0, G_MAXUINT, NULL, &error);

  g_assert_no_error (error);
  return all;
}

static void
test_export_roundtrip (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiImportReport) report = NULL;
  g_autoptr(JarchiImportReport) again = NULL;
  g_autoptr(JarchiContact) tricky = make_contact ("=cmd|' /C calc'!A0", "+998 90 555 00 11", "-minus", "@at");
  g_autoptr(JarchiStore) other_store = NULL;
  g_autoptr(JarchiContactBook) other = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) copied = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *mixed = NULL;
  const char *text;
  gsize len;

  mixed = read_fixture ("mixed.csv", &len);
  report = jarchi_contact_book_import_csv (f->book, mixed, len, &error);
  g_assert_no_error (error);
  jarchi_contact_set_note (tricky, " leading space, \"quotes\"\nand a line ");
  jarchi_contact_set_position (tricky, "+plus");
  jarchi_contact_set_active (tricky, FALSE);
  g_assert_true (jarchi_contact_book_add (f->book, tricky, &error));

  csv = jarchi_contact_book_export_csv (f->book, 0, 0, NULL, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (csv, &len);
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBFname,phone,department,district,position,note,active\r\n"));
  g_assert_nonnull (strstr (text, "\"'=cmd|' /C calc'!A0\",+998905550011,\"'-minus\",\"'@at\",\"'+plus\""));
  g_assert_nonnull (strstr (text, "\"Multi \"\"quoted\"\", name\""));

  /* Re-importing into the same book changes nothing. */
  before = all_contacts (f->book);
  again = jarchi_contact_book_import_csv (f->book, text, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->imported, ==, 0);
  g_assert_cmpuint (again->updated, ==, before->len);
  g_assert_cmpuint (again->rejected->len, ==, 0);
  after = all_contacts (f->book);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    g_assert_true (jarchi_contact_equal (g_ptr_array_index (before, i), g_ptr_array_index (after, i)));

  /* Into an empty book: the same contacts (ids aside). */
  other_store = open_store (f->dir, "other.db");
  other = jarchi_contact_book_new (other_store);
  g_clear_pointer (&again, jarchi_import_report_free);
  again = jarchi_contact_book_import_csv (other, text, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->imported, ==, before->len);
  copied = all_contacts (other);
  g_assert_cmpuint (copied->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    {
      JarchiContact *a = g_ptr_array_index (before, i);
      g_autoptr(JarchiContact) b = jarchi_contact_copy (g_ptr_array_index (copied, i));

      jarchi_contact_set_id (b, jarchi_contact_get_id (a));
      jarchi_contact_set_department_id (b, jarchi_contact_get_department_id (a));
      jarchi_contact_set_district_id (b, jarchi_contact_get_district_id (a));
      g_test_message ("contact %s", jarchi_contact_get_name (a));
      g_assert_true (jarchi_contact_equal (a, b));
    }
}

static void
test_dnc (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiContact) c = make_contact ("Ali", "+998901234567", "", "");
  g_autoptr(JarchiContact) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JarchiDncEntry) entry = NULL;
  gboolean added = FALSE;

  g_assert_true (jarchi_contact_book_add (f->book, c, &error));
  g_assert_false (jarchi_contact_get_do_not_call (c));
  g_assert_false (jarchi_contact_book_is_dnc (f->book, "+998901234567"));

  g_assert_true (jarchi_contact_book_add_dnc (f->book, "+998 90 123-45-67", "asked", &added, &error));
  g_assert_no_error (error);
  g_assert_true (added);
  g_assert_true (jarchi_contact_book_add_dnc (f->book, "+998901234567", "again", &added, &error));
  g_assert_false (added);
  g_assert_true (jarchi_contact_book_add_dnc (f->book, "1002", NULL, &added, &error));
  g_assert_false (jarchi_contact_book_add_dnc (f->book, "not a phone", NULL, &added, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_true (jarchi_contact_book_is_dnc (f->book, "+998 (90) 123 45 67"));
  g_assert_true (jarchi_contact_book_is_dnc (f->book, "1002"));
  g_assert_false (jarchi_contact_book_is_dnc (f->book, "1003"));
  g_assert_false (jarchi_contact_book_is_dnc (f->book, "garbage"));
  got = jarchi_contact_book_get (f->book, jarchi_contact_get_id (c), &error);
  g_assert_true (jarchi_contact_get_do_not_call (got));

  entry = jarchi_contact_book_get_dnc (f->book, "+998901234567", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (entry->reason, ==, "asked");
  g_assert_cmpstr (entry->contact_name, ==, "Ali");
  list = jarchi_contact_book_list_dnc (f->book, &error);
  g_assert_cmpuint (list->len, ==, 2);

  g_assert_true (jarchi_contact_book_remove_dnc (f->book, "+998 90 123 45 67", &error));
  g_assert_false (jarchi_contact_book_is_dnc (f->book, "+998901234567"));
  g_assert_false (jarchi_contact_book_remove_dnc (f->book, "+998901234567", &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
}

static void
count_changes (GListModel *model, guint position, guint removed, guint added, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
count_signal (gpointer instance, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static JarchiGroup *
group_named (GListModel *model, const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(JarchiGroup) g = g_list_model_get_item (model, i);

      if (g_str_equal (jarchi_group_get_name (g), name))
        return g;
    }
  return NULL;
}

static void
test_models (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiImportReport) report = NULL;
  g_autoptr(JarchiContact) extra = make_contact ("Zafar IT", "+998901110000", "IT", "");
  g_autofree char *csv = NULL;
  GListModel *contacts = jarchi_contact_book_get_contacts (f->book);
  GListModel *departments = jarchi_contact_book_get_departments (f->book);
  GListModel *districts = jarchi_contact_book_get_districts (f->book);
  JarchiGroup *it;
  guint items_changed = 0, changed = 0, count_notified = 0;
  gsize len;

  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 0);
  g_signal_connect (contacts, "items-changed", G_CALLBACK (count_changes), &items_changed);
  g_signal_connect (f->book, "changed", G_CALLBACK (count_signal), &changed);

  csv = read_fixture ("mixed.csv", &len);
  report = jarchi_contact_book_import_csv (f->book, csv, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (items_changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 8);
  g_assert_cmpuint (g_list_model_get_n_items (departments), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (districts), ==, 4);
  g_assert_true (g_list_model_get_item_type (departments) == JARCHI_TYPE_GROUP);

  it = group_named (departments, "IT");
  g_assert_nonnull (it);
  g_assert_cmpuint (jarchi_group_get_count (it), ==, 4);
  g_assert_cmpuint (jarchi_group_get_count (group_named (districts, "Yunusobod")), ==, 4);

  /* Filters: by department, by district, by text (case, apostrophes, Cyrillic, digits). */
  jarchi_contact_book_set_department_filter (f->book, jarchi_group_get_id (it));
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 4);
  jarchi_contact_book_set_district_filter (f->book,
                                           jarchi_group_get_id (group_named (districts, "Chilonzor")));
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 1);
  jarchi_contact_book_set_department_filter (f->book, 0);
  jarchi_contact_book_set_district_filter (f->book, 0);
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 8);

  jarchi_contact_book_set_search (f->book, "SHOXA");
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 1);
  jarchi_contact_book_set_search (f->book, "мария");
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 1);
  jarchi_contact_book_set_search (f->book, "o'ktam");
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 1);
  jarchi_contact_book_set_search (f->book, "90 765");
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 1);
  jarchi_contact_book_set_search (f->book, "it yunusobod");
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 3);
  jarchi_contact_book_set_search (f->book, "nobody-has-this");
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 0);
  jarchi_contact_book_set_search (f->book, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 8);

  /* A change updates the models; group objects are updated in place. */
  g_signal_connect (it, "notify::count", G_CALLBACK (count_notify), &count_notified);
  g_assert_true (jarchi_contact_book_add (f->book, extra, &error));
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 9);
  g_assert_cmpuint (jarchi_group_get_count (it), ==, 5);
  g_assert_cmpuint (count_notified, ==, 1);
  g_assert_true (group_named (departments, "IT") == it);

  g_assert_true (jarchi_contact_book_remove (f->book, jarchi_contact_get_id (extra), &error));
  g_assert_cmpuint (g_list_model_get_n_items (contacts), ==, 8);
  g_assert_cmpuint (jarchi_group_get_count (it), ==, 4);

  /* The paged query behind the API. */
  {
    guint total = 0;
    g_autoptr(GPtrArray) page = jarchi_contact_book_query (f->book, 0, 0, NULL, 2, 3, &total, &error);

    g_assert_cmpuint (total, ==, 8);
    g_assert_cmpuint (page->len, ==, 3);
    g_clear_pointer (&page, g_ptr_array_unref);
    page = jarchi_contact_book_query (f->book, 999, 0, NULL, 0, 10, &total, &error);
    g_assert_cmpuint (total, ==, 0);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  g_test_add_func ("/phone/normalize", test_phone_normalize);
  ADD ("/contact-book/crud", test_crud);
  ADD ("/contact-book/import-mixed", test_import_mixed);
  ADD ("/contact-book/import-broken", test_import_broken);
  ADD ("/contact-book/import-languages", test_import_languages);
  ADD ("/contact-book/export-roundtrip", test_export_roundtrip);
  ADD ("/contact-book/dnc", test_dnc);
  ADD ("/contact-book/models", test_models);
#undef ADD

  return g_test_run ();
}
