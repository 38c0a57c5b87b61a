/* JarchiContactBook's do-not-call list and its CSV import (one transaction) and export. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-contact-book-private.h"
#include "jarchi-error.h"
#include "jarchi-phone.h"

/* --- do-not-call --- */

void
jarchi_dnc_entry_free (JarchiDncEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->phone);
  g_free (entry->reason);
  g_free (entry->contact_name);
  g_free (entry);
}

/**
 * jarchi_dnc_entry_to_json:
 *
 * Returns: (transfer full): `{"phone", "reason", "added_at" (Unix seconds), "contact_name"}`
 */
JsonNode *
jarchi_dnc_entry_to_json (JarchiDncEntry *entry)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "phone");
  json_builder_add_string_value (b, entry->phone);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, entry->reason);
  json_builder_set_member_name (b, "added_at");
  json_builder_add_int_value (b, entry->added_at);
  json_builder_set_member_name (b, "contact_name");
  json_builder_add_string_value (b, entry->contact_name);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

#define DNC_SELECT \
  "SELECT n.phone, n.reason, n.added_at, " \
  "COALESCE((SELECT c.name FROM contacts c WHERE c.phone = n.phone), '') FROM do_not_call n "

static JarchiDncEntry *
dnc_from_row (sqlite3_stmt *stmt)
{
  JarchiDncEntry *entry = g_new0 (JarchiDncEntry, 1);

  entry->phone = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  entry->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  entry->added_at = sqlite3_column_int64 (stmt, 2);
  entry->contact_name = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  return entry;
}

/**
 * jarchi_contact_book_add_dnc:
 * @phone: any form jarchi_phone_normalize() accepts
 * @reason: (nullable): why, shown in lists
 * @added: (out) (optional): %FALSE when the phone was already on the list (left as it was)
 *
 * Puts a phone on the do-not-call list. Fails with
 * %JARCHI_ERROR_INVALID_ARGUMENT for something that is not a phone number.
 */
gboolean
jarchi_contact_book_add_dnc (JarchiContactBook *self, const char *phone, const char *reason,
                             gboolean *added, GError **error)
{
  g_autofree char *normalized = NULL;
  g_autofree char *clean_reason = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean inserted;

  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), FALSE);

  normalized = jarchi_phone_normalize (phone, error);
  if (normalized == NULL)
    return FALSE;
  if (reason != NULL && !g_utf8_validate (reason, -1, NULL))
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                           _("the text is not valid UTF-8"));
      return FALSE;
    }
  clean_reason = jarchi_text_clean_line (reason);
  if (g_utf8_strlen (clean_reason, -1) > JARCHI_CONTACT_MAX_TEXT)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("the reason is longer than %ld characters"), (long) JARCHI_CONTACT_MAX_TEXT);
      return FALSE;
    }

  stmt = jarchi_store_prepare (self->store,
                               "INSERT INTO do_not_call (phone, reason) VALUES (?1, ?2) "
                               "ON CONFLICT (phone) DO NOTHING;", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, normalized, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, clean_reason, -1, SQLITE_TRANSIENT);
  if (!jarchi_store_step_done (self->store, stmt, error))
    return FALSE;

  inserted = sqlite3_changes (jarchi_store_get_db (self->store)) > 0;
  if (added)
    *added = inserted;
  if (inserted)
    jarchi_contact_book_emit_changed (self);
  return TRUE;
}

/* Fails with %JARCHI_ERROR_NOT_FOUND when @phone is not on the list. */
gboolean
jarchi_contact_book_remove_dnc (JarchiContactBook *self, const char *phone, GError **error)
{
  g_autofree char *normalized = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), FALSE);

  normalized = jarchi_phone_normalize (phone, error);
  if (normalized == NULL)
    return FALSE;
  stmt = jarchi_store_prepare (self->store, "DELETE FROM do_not_call WHERE phone = ?1;", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, normalized, -1, SQLITE_TRANSIENT);
  if (!jarchi_store_step_done (self->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (jarchi_store_get_db (self->store)) == 0)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND,
                   _("%s is not on the do-not-call list"), normalized);
      return FALSE;
    }
  jarchi_contact_book_emit_changed (self);
  return TRUE;
}

/**
 * jarchi_contact_book_is_dnc:
 * @phone: any form jarchi_phone_normalize() accepts
 *
 * Whether campaigns must skip @phone. Something that is not a phone number is
 * never on the list.
 */
gboolean
jarchi_contact_book_is_dnc (JarchiContactBook *self, const char *phone)
{
  g_autofree char *normalized = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), FALSE);

  normalized = jarchi_phone_normalize (phone, NULL);
  if (normalized == NULL)
    return FALSE;
  stmt = jarchi_store_prepare (self->store, "SELECT 1 FROM do_not_call WHERE phone = ?1;", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, normalized, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

JarchiDncEntry *
jarchi_contact_book_get_dnc (JarchiContactBook *self, const char *phone, GError **error)
{
  g_autofree char *normalized = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), NULL);

  normalized = jarchi_phone_normalize (phone, error);
  if (normalized == NULL)
    return NULL;
  stmt = jarchi_store_prepare (self->store, DNC_SELECT "WHERE n.phone = ?1;", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, normalized, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return dnc_from_row (stmt);
  if (rc != SQLITE_DONE)
    jarchi_contact_book_db_error (self, error);
  else
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND,
                 _("%s is not on the do-not-call list"), normalized);
  return NULL;
}

/**
 * jarchi_contact_book_list_dnc:
 *
 * Returns: (transfer full) (element-type JarchiDncEntry): the list, newest first.
 */
GPtrArray *
jarchi_contact_book_list_dnc (JarchiContactBook *self, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) jarchi_dnc_entry_free);
  int rc;

  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), NULL);

  stmt = jarchi_store_prepare (self->store, DNC_SELECT "ORDER BY n.added_at DESC, n.phone;", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, dnc_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      jarchi_contact_book_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/* --- CSV --- */

typedef struct {
  sqlite3_stmt *find;
  sqlite3_stmt *insert;
  sqlite3_stmt *merge;
  GHashTable   *departments;  /* name → gint64*: groups resolved during this import */
  GHashTable   *districts;
} Import;

static void
import_clear (Import *im)
{
  g_clear_pointer (&im->find, sqlite3_finalize);
  g_clear_pointer (&im->insert, sqlite3_finalize);
  g_clear_pointer (&im->merge, sqlite3_finalize);
  g_clear_pointer (&im->departments, g_hash_table_unref);
  g_clear_pointer (&im->districts, g_hash_table_unref);
}

static gboolean
import_prepare (JarchiContactBook *self, Import *im, GError **error)
{
  im->departments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  im->districts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  im->find = jarchi_store_prepare (self->store, "SELECT id FROM contacts WHERE phone = ?1;", error);
  if (im->find == NULL)
    return FALSE;
  im->insert = jarchi_store_prepare (self->store,
    "INSERT INTO contacts (name, phone, department_id, district_id, position, note, active) "
    "VALUES (?2, ?1, ?3, ?4, ?5, ?6, COALESCE(?7, 1));", error);
  if (im->insert == NULL)
    return FALSE;
  /* Merging: a cell left empty keeps what the contact already had. */
  im->merge = jarchi_store_prepare (self->store,
    "UPDATE contacts SET name = ?2, department_id = COALESCE(?3, department_id), "
    "district_id = COALESCE(?4, district_id), "
    "position = CASE WHEN ?5 = '' THEN position ELSE ?5 END, "
    "note = CASE WHEN ?6 = '' THEN note ELSE ?6 END, "
    "active = COALESCE(?7, active), updated_at = unixepoch() WHERE id = ?8;", error);
  return im->merge != NULL;
}

/* Stores one row, inserting or merging by phone; *updated says which. */
static gboolean
import_row (JarchiContactBook *self, Import *im, JarchiCsvRow *row, gboolean *updated, GError **error)
{
  JarchiContact *c = row->contact;
  sqlite3_stmt *stmt;
  gint64 department, district, existing = 0;
  int rc;

  department = jarchi_contact_book_resolve_group (self, JARCHI_GROUP_DEPARTMENT,
                                                  jarchi_contact_get_department (c), im->departments, error);
  if (department < 0)
    return FALSE;
  district = jarchi_contact_book_resolve_group (self, JARCHI_GROUP_DISTRICT,
                                                jarchi_contact_get_district (c), im->districts, error);
  if (district < 0)
    return FALSE;

  sqlite3_reset (im->find);
  sqlite3_bind_text (im->find, 1, jarchi_contact_get_phone (c), -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (im->find);
  if (rc == SQLITE_ROW)
    existing = sqlite3_column_int64 (im->find, 0);
  else if (rc != SQLITE_DONE)
    return jarchi_contact_book_db_error (self, error);
  sqlite3_reset (im->find);

  stmt = existing ? im->merge : im->insert;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  sqlite3_bind_text (stmt, 1, jarchi_contact_get_phone (c), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, jarchi_contact_get_name (c), -1, SQLITE_TRANSIENT);
  if (department > 0)
    sqlite3_bind_int64 (stmt, 3, department);
  if (district > 0)
    sqlite3_bind_int64 (stmt, 4, district);
  sqlite3_bind_text (stmt, 5, jarchi_contact_get_position (c), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, jarchi_contact_get_note (c), -1, SQLITE_TRANSIENT);
  if (row->has_active)
    sqlite3_bind_int (stmt, 7, jarchi_contact_get_active (c));
  if (existing)
    sqlite3_bind_int64 (stmt, 8, existing);
  if (!jarchi_store_step_done (self->store, stmt, error))
    return FALSE;
  sqlite3_reset (stmt);

  *updated = existing != 0;
  return TRUE;
}

/**
 * jarchi_contact_book_import_csv:
 * @data: the CSV file's bytes (see jarchi_csv_read_contacts() for what is accepted)
 *
 * Imports contacts, creating departments and districts by name. A row whose
 * phone is already stored (or appeared earlier in the file) is merged into
 * that contact and counted as updated: non-empty cells replace the stored
 * values, empty ones keep them. Bad rows are listed in the report with their
 * line and reason; the others are imported.
 *
 * A broken file imports nothing and fails with %JARCHI_ERROR_INVALID_ARGUMENT;
 * a database failure rolls the whole import back.
 *
 * Returns: (transfer full): the report, or %NULL with @error set.
 */
JarchiImportReport *
jarchi_contact_book_import_csv (JarchiContactBook *self, const char *data, gsize len, GError **error)
{
  g_autoptr(JarchiImportReport) report = jarchi_import_report_new ();
  g_autoptr(GPtrArray) rows = NULL;
  Import im = { 0 };
  gboolean ok;

  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), NULL);

  rows = jarchi_csv_read_contacts (data, len, report, error);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    return g_steal_pointer (&report);

  if (!jarchi_store_begin (self->store, error))
    return NULL;
  ok = import_prepare (self, &im, error);
  for (guint i = 0; ok && i < rows->len; i++)
    {
      gboolean updated = FALSE;

      ok = import_row (self, &im, g_ptr_array_index (rows, i), &updated, error);
      if (updated)
        report->updated++;
      else
        report->imported++;
    }
  import_clear (&im);
  if (!ok || !jarchi_store_commit (self->store, error))
    {
      jarchi_store_rollback (self->store);
      return NULL;
    }

  jarchi_contact_book_emit_changed (self);
  return g_steal_pointer (&report);
}

/**
 * jarchi_contact_book_export_csv:
 *
 * Writes the contacts matching the filters (as jarchi_contact_book_query())
 * as CSV: UTF-8 with a BOM (so spreadsheets read Cyrillic right), CRLF, a
 * header row "name,phone,department,district,position,note,active". Importing
 * the result gives the same contacts back.
 *
 * Returns: (transfer full): the file's bytes, or %NULL with @error set.
 */
GBytes *
jarchi_contact_book_export_csv (JarchiContactBook *self, gint64 department_id, gint64 district_id,
                                const char *search, GError **error)
{
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GString) out = NULL;
  const char *header[JARCHI_CSV_N_COLUMNS];

  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), NULL);

  contacts = jarchi_contact_book_query (self, department_id, district_id, search, 0, G_MAXUINT, NULL, error);
  if (contacts == NULL)
    return NULL;

  out = g_string_new ("\xEF\xBB\xBF");
  for (guint i = 0; i < JARCHI_CSV_N_COLUMNS; i++)
    header[i] = jarchi_csv_column_name (i);
  jarchi_csv_append_row (out, header, JARCHI_CSV_N_COLUMNS);
  for (guint i = 0; i < contacts->len; i++)
    jarchi_csv_append_contact (out, g_ptr_array_index (contacts, i));
  return g_string_free_to_bytes (g_steal_pointer (&out));
}
