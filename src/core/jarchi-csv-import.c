/* Contacts CSV: libcsv-based reader (header mapping, line numbers, strict checks) and an RFC 4180 writer. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <csv.h>
#include <glib/gi18n-lib.h>

#include "jarchi-csv-import.h"
#include "jarchi-error.h"

/* Characters that make a spreadsheet treat a cell as a formula. Exported cells
 * starting with one get a leading "'"; the reader drops it again. */
#define FORMULA_CHARS "=+-@\t\r"

typedef struct {
  guint      line;
  GPtrArray *fields;  /* char*, as parsed */
} Record;

typedef struct {
  guint      record_line;  /* line where the record being parsed began */
  gboolean   row_ended;    /* libcsv ended a row while the current line was fed */
  GPtrArray *fields;
  GPtrArray *records;      /* Record* */
} Reader;

static void
record_free (Record *record)
{
  g_ptr_array_unref (record->fields);
  g_free (record);
}

JarchiImportReport *
jarchi_import_report_new (void)
{
  JarchiImportReport *report = g_new0 (JarchiImportReport, 1);

  report->rejected = g_ptr_array_new_with_free_func (g_free);
  return report;
}

void
jarchi_import_report_free (JarchiImportReport *report)
{
  if (report == NULL)
    return;
  for (guint i = 0; i < report->rejected->len; i++)
    g_free (((JarchiImportRejection *) g_ptr_array_index (report->rejected, i))->reason);
  g_ptr_array_unref (report->rejected);
  g_free (report);
}

void
jarchi_import_report_reject (JarchiImportReport *report, guint line, const char *reason)
{
  JarchiImportRejection *r = g_new0 (JarchiImportRejection, 1);

  r->line = line;
  r->reason = g_strdup (reason);
  g_ptr_array_add (report->rejected, r);
}

/**
 * jarchi_import_report_to_json:
 *
 * Returns: (transfer full): `{"imported": N, "updated": N, "rejected": [{"line": N, "reason": "..."}]}`
 */
JsonNode *
jarchi_import_report_to_json (JarchiImportReport *report)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "imported");
  json_builder_add_int_value (b, report->imported);
  json_builder_set_member_name (b, "updated");
  json_builder_add_int_value (b, report->updated);
  json_builder_set_member_name (b, "rejected");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->rejected->len; i++)
    {
      JarchiImportRejection *r = g_ptr_array_index (report->rejected, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, r->line);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, r->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
jarchi_csv_row_free (JarchiCsvRow *row)
{
  if (row == NULL)
    return;
  g_clear_object (&row->contact);
  g_free (row);
}

/* --- parsing --- */

static void
on_field (void *text, size_t len, void *data)
{
  Reader *r = data;

  g_ptr_array_add (r->fields, g_strndup (text ? text : "", len));
}

static void
on_row (int c, void *data)
{
  Reader *r = data;
  Record *record = g_new0 (Record, 1);

  record->line = r->record_line;
  record->fields = g_steal_pointer (&r->fields);
  r->fields = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (r->records, record);
  r->row_ended = TRUE;
}

static gboolean
is_blank (const char *s, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
      return FALSE;
  return TRUE;
}

/* The header's most frequent separator: Excel in a Russian or Uzbek locale writes ';'. */
static unsigned char
guess_delimiter (const char *data, gsize len)
{
  static const char candidates[] = { ',', ';', '\t' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0 };
  unsigned char best = ',';
  guint best_count = 0;

  for (gsize i = 0; i < len && data[i] != '\n' && data[i] != '\r'; i++)
    for (gsize c = 0; c < G_N_ELEMENTS (candidates); c++)
      if (data[i] == candidates[c])
        counts[c]++;
  for (gsize c = 0; c < G_N_ELEMENTS (candidates); c++)
    if (counts[c] > best_count)
      {
        best = (unsigned char) candidates[c];
        best_count = counts[c];
      }
  return best;
}

static gboolean
check_encoding (const char **data, gsize *len, GError **error)
{
  if (*len >= 2 && (((guchar) (*data)[0] == 0xFF && (guchar) (*data)[1] == 0xFE) ||
                    ((guchar) (*data)[0] == 0xFE && (guchar) (*data)[1] == 0xFF)))
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                           _("The file is UTF-16 text; please save it as “CSV UTF-8”"));
      return FALSE;
    }
  if (*len >= 3 && memcmp (*data, "\xEF\xBB\xBF", 3) == 0)
    {
      *data += 3;
      *len -= 3;
    }
  /* Some old tools end text files with a DOS end-of-file mark. */
  if (*len > 0 && (*data)[*len - 1] == '\x1A')
    (*len)--;

  for (gsize i = 0; i < *len; i++)
    {
      guchar c = (guchar) (*data)[i];

      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        {
          g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                               _("This is not a CSV file: it contains binary data"));
          return FALSE;
        }
    }
  if (is_blank (*data, *len))
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                           _("The file is empty"));
      return FALSE;
    }
  return TRUE;
}

/* Feeds libcsv one physical line at a time, so each record knows the line it started on. */
static GPtrArray *
parse_records (const char *data, gsize len, GError **error)
{
  struct csv_parser parser;
  Reader r = { 0 };
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  gboolean row_begun = FALSE;
  gboolean ok = TRUE;
  guint line = 0;
  gsize pos = 0;

  if (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_FAILED, _("Out of memory"));
      return NULL;
    }
  csv_set_delim (&parser, guess_delimiter (data, len));
  r.fields = g_ptr_array_new_with_free_func (g_free);
  r.records = records;

  while (ok && pos < len)
    {
      const char *start = data + pos;
      gsize n = 0;

      /* A line ends after "\n", "\r\n" or a lone "\r". */
      while (pos + n < len && start[n] != '\n' && start[n] != '\r')
        n++;
      if (pos + n < len)
        n += (start[n] == '\r' && pos + n + 1 < len && start[n + 1] == '\n') ? 2 : 1;
      pos += n;
      line++;

      if (!g_utf8_validate_len (start, n, NULL))
        {
          g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                       _("Line %u: invalid UTF-8 text; please save the file as “CSV UTF-8”"), line);
          ok = FALSE;
          break;
        }

      if (!row_begun)
        r.record_line = line;
      r.row_ended = FALSE;
      if (csv_parse (&parser, start, n, on_field, on_row, &r) != n)
        {
          if (csv_error (&parser) == CSV_EPARSE)
            g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                         _("Line %u: misplaced quote (a field containing quotes must be in quotes, each quote doubled)"), line);
          else
            g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_FAILED,
                         _("Line %u: %s"), line, csv_strerror (csv_error (&parser)));
          ok = FALSE;
          break;
        }
      /* Rows only end at a line's end, so after one ended the next starts on a later line. */
      if (r.row_ended)
        row_begun = FALSE;
      else if (!row_begun)
        row_begun = !is_blank (start, n);
    }

  if (ok && csv_fini (&parser, on_field, on_row, &r) != 0)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("Line %u: a quoted field is never closed"), r.record_line);
      ok = FALSE;
    }

  csv_free (&parser);
  g_clear_pointer (&r.fields, g_ptr_array_unref);
  return ok ? g_steal_pointer (&records) : NULL;
}

/* --- header --- */

static char *
fold_header (const char *text)
{
  g_autofree char *line = jarchi_text_clean_line (text);
  g_autofree char *folded = jarchi_text_fold (line);
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = folded; *p; p++)
    {
      if (*p == '_' || *p == '-')
        g_string_append_c (out, ' ');
      else if (*p != '*' && *p != ':' && *p != '"')
        g_string_append_c (out, *p);
    }
  return g_strstrip (g_string_free (g_steal_pointer (&out), FALSE));
}

static int
column_for_header (const char *header)
{
  static const struct { JarchiCsvColumn column; const char *names; } table[] = {
    { JARCHI_CSV_COLUMN_NAME, "name|full name|fullname|contact|contact name|fio|f.i.o.|f.i.sh|f.i.sh.|fish|"
                              "ism|ismi|ism familiya|familiya ism|to'liq ism|имя|фио|ф.и.о.|ф.и.о|"
                              "полное имя|исм|ф.и.ш.|ф.и.ш" },
    { JARCHI_CSV_COLUMN_PHONE, "phone|phone number|telephone|tel|tel.|mobile|number|telefon|"
                               "telefon raqami|raqam|raqami|телефон|тел|тел.|номер|номер телефона|"
                               "мобильный|телефон рақами|рақам" },
    { JARCHI_CSV_COLUMN_DEPARTMENT, "department|dept|division|bo'lim|bo'limi|bolim|отдел|"
                                    "подразделение|бўлим|бўлими" },
    { JARCHI_CSV_COLUMN_DISTRICT, "district|region|area|tuman|hudud|район|туман|ҳудуд" },
    { JARCHI_CSV_COLUMN_POSITION, "position|title|job title|role|lavozim|lavozimi|должность|лавозим" },
    { JARCHI_CSV_COLUMN_NOTE, "note|notes|comment|izoh|примечание|комментарий|изоҳ" },
    { JARCHI_CSV_COLUMN_ACTIVE, "active|enabled|faol|активен|активный|фаол" },
  };
  g_autofree char *folded = fold_header (header);

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_auto(GStrv) names = g_strsplit (table[i].names, "|", -1);

      if (g_strv_contains ((const char * const *) names, folded))
        return table[i].column;
    }
  return -1;
}

static gboolean
map_header (Record *header, int map[JARCHI_CSV_N_COLUMNS], GError **error)
{
  for (int c = 0; c < JARCHI_CSV_N_COLUMNS; c++)
    map[c] = -1;
  for (guint i = 0; i < header->fields->len; i++)
    {
      int column = column_for_header (g_ptr_array_index (header->fields, i));

      if (column >= 0 && map[column] < 0)
        map[column] = (int) i;
    }

  if (map[JARCHI_CSV_COLUMN_NAME] < 0 && map[JARCHI_CSV_COLUMN_PHONE] < 0)
    {
      g_autofree char *first = jarchi_text_clean_line (header->fields->len > 0
                                                       ? g_ptr_array_index (header->fields, 0) : "");
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("Line %u: the first row must be a header naming the columns "
                     "(name, phone, department, district, position, note), but it starts with “%.40s”"),
                   header->line, first);
      return FALSE;
    }
  if (map[JARCHI_CSV_COLUMN_PHONE] < 0)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("Line %u: the header has no phone column (“phone”, “telefon” or “телефон”)"),
                   header->line);
      return FALSE;
    }
  if (map[JARCHI_CSV_COLUMN_NAME] < 0)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("Line %u: the header has no name column (“name”, “ism” or “имя”)"),
                   header->line);
      return FALSE;
    }
  return TRUE;
}

/* --- rows --- */

static const char *
cell (Record *record, const int map[JARCHI_CSV_N_COLUMNS], JarchiCsvColumn column)
{
  const char *text;

  if (map[column] < 0 || (guint) map[column] >= record->fields->len)
    return "";
  text = g_ptr_array_index (record->fields, map[column]);
  /* Undo the writer's guard against formula injection. */
  if (text[0] == '\'' && text[1] != '\0' && strchr (FORMULA_CHARS, text[1]) != NULL)
    return text + 1;
  return text;
}

static int
parse_active (const char *text)
{
  static const char * const yes[] = { "1", "yes", "y", "true", "ha", "faol", "да", "active", "ҳа", NULL };
  static const char * const no[] = { "0", "no", "n", "false", "yo'q", "yoq", "nofaol", "нет", "inactive",
                                     "йўқ", NULL };
  g_autofree char *folded = fold_header (text);

  if (folded[0] == '\0')
    return -1;
  if (g_strv_contains (yes, folded))
    return TRUE;
  if (g_strv_contains (no, folded))
    return FALSE;
  return -2;
}

static gboolean
record_is_empty (Record *record)
{
  for (guint i = 0; i < record->fields->len; i++)
    {
      const char *f = g_ptr_array_index (record->fields, i);

      if (!is_blank (f, strlen (f)))
        return FALSE;
    }
  return TRUE;
}

static JarchiCsvRow *
read_row (Record *record, const int map[JARCHI_CSV_N_COLUMNS], JarchiImportReport *report)
{
  g_autoptr(JarchiCsvRow) row = g_new0 (JarchiCsvRow, 1);
  g_autoptr(GError) error = NULL;
  const char *active_text;
  int active;

  row->line = record->line;
  row->contact = jarchi_contact_new ();
  jarchi_contact_set_name (row->contact, cell (record, map, JARCHI_CSV_COLUMN_NAME));
  jarchi_contact_set_phone (row->contact, cell (record, map, JARCHI_CSV_COLUMN_PHONE));
  jarchi_contact_set_department (row->contact, cell (record, map, JARCHI_CSV_COLUMN_DEPARTMENT));
  jarchi_contact_set_district (row->contact, cell (record, map, JARCHI_CSV_COLUMN_DISTRICT));
  jarchi_contact_set_position (row->contact, cell (record, map, JARCHI_CSV_COLUMN_POSITION));
  jarchi_contact_set_note (row->contact, cell (record, map, JARCHI_CSV_COLUMN_NOTE));

  if (!jarchi_contact_normalize (row->contact, &error))
    {
      jarchi_import_report_reject (report, record->line, error->message);
      return NULL;
    }

  active_text = cell (record, map, JARCHI_CSV_COLUMN_ACTIVE);
  active = parse_active (active_text);
  if (active == -2)
    {
      g_autofree char *reason =
        g_strdup_printf (_("“%.40s” is not a valid value for active (use yes or no)"), active_text);
      jarchi_import_report_reject (report, record->line, reason);
      return NULL;
    }
  row->has_active = active >= 0;
  if (row->has_active)
    jarchi_contact_set_active (row->contact, active);

  return g_steal_pointer (&row);
}

/**
 * jarchi_csv_read_contacts:
 * @data: the file's bytes
 * @report: receives one rejection per bad data row
 *
 * Reads a contacts CSV: UTF-8 with or without a BOM, ',' ';' or tab separated
 * (whichever the header uses most), CRLF/LF/CR line ends, RFC 4180 quoting
 * (quoted separators, doubled quotes and line breaks inside quotes). The first
 * record is the header; see column_for_header() for the names understood
 * (English, Uzbek and Russian, case-insensitive). Blank rows are skipped.
 *
 * A broken file (binary, not UTF-8, bad quoting, no header, no name or phone
 * column) fails as a whole with %JARCHI_ERROR_INVALID_ARGUMENT and a message
 * naming the line. Otherwise rows with a missing name, a bad phone, an
 * over-long field or a bad active value go to @report and the rest are returned.
 *
 * Returns: (transfer full): #JarchiCsvRow items in file order, or %NULL on error.
 */
GPtrArray *
jarchi_csv_read_contacts (const char *data, gsize len, JarchiImportReport *report, GError **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  int map[JARCHI_CSV_N_COLUMNS];

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (report != NULL, NULL);

  if (data == NULL)
    data = "";
  if (!check_encoding (&data, &len, error))
    return NULL;
  records = parse_records (data, len, error);
  if (records == NULL)
    return NULL;
  if (records->len == 0)
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT, _("The file is empty"));
      return NULL;
    }
  if (!map_header (g_ptr_array_index (records, 0), map, error))
    return NULL;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) jarchi_csv_row_free);
  for (guint i = 1; i < records->len; i++)
    {
      Record *record = g_ptr_array_index (records, i);
      JarchiCsvRow *row;

      if (record_is_empty (record))
        continue;
      row = read_row (record, map, report);
      if (row != NULL)
        g_ptr_array_add (rows, row);
    }
  return g_steal_pointer (&rows);
}

/* --- writing --- */

const char *
jarchi_csv_column_name (JarchiCsvColumn column)
{
  static const char * const names[JARCHI_CSV_N_COLUMNS] = {
    "name", "phone", "department", "district", "position", "note", "active",
  };

  g_return_val_if_fail (column < JARCHI_CSV_N_COLUMNS, NULL);
  return names[column];
}

static void
append_field (GString *out, const char *text)
{
  gboolean guard = text[0] != '\0' && strchr (FORMULA_CHARS, text[0]) != NULL;
  gsize len = strlen (text);
  gboolean quote = guard || strpbrk (text, ",;\"\r\n\t") != NULL ||
                   (len > 0 && (text[0] == ' ' || text[len - 1] == ' '));

  if (!quote)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  if (guard)
    g_string_append_c (out, '\'');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * jarchi_csv_append_row:
 *
 * Appends one RFC 4180 record ending in CRLF. Fields holding a separator, a
 * quote, a line break or edge spaces are quoted (quotes doubled); a field a
 * spreadsheet would run as a formula (starting with = + - @ tab or CR) gets a
 * leading "'", which jarchi_csv_read_contacts() removes.
 */
void
jarchi_csv_append_row (GString *out, const char * const *fields, guint n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_field (out, fields[i] ? fields[i] : "");
    }
  g_string_append (out, "\r\n");
}

void
jarchi_csv_append_contact (GString *out, JarchiContact *contact)
{
  const char *fields[JARCHI_CSV_N_COLUMNS];

  fields[JARCHI_CSV_COLUMN_NAME] = jarchi_contact_get_name (contact);
  fields[JARCHI_CSV_COLUMN_PHONE] = jarchi_contact_get_phone (contact);
  fields[JARCHI_CSV_COLUMN_DEPARTMENT] = jarchi_contact_get_department (contact);
  fields[JARCHI_CSV_COLUMN_DISTRICT] = jarchi_contact_get_district (contact);
  fields[JARCHI_CSV_COLUMN_POSITION] = jarchi_contact_get_position (contact);
  fields[JARCHI_CSV_COLUMN_NOTE] = jarchi_contact_get_note (contact);
  fields[JARCHI_CSV_COLUMN_ACTIVE] = jarchi_contact_get_active (contact) ? "yes" : "no";

  for (guint i = 0; i < JARCHI_CSV_N_COLUMNS; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      /* A stored phone is only '+' and digits: no formula, so no guard that would show in a spreadsheet. */
      if (i == JARCHI_CSV_COLUMN_PHONE)
        g_string_append (out, fields[i]);
      else
        append_field (out, fields[i]);
    }
  g_string_append (out, "\r\n");
}
