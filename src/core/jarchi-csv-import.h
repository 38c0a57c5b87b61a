/* Contacts CSV: reading a spreadsheet export with libcsv into checked rows, and writing CSV back. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "jarchi-contact.h"

G_BEGIN_DECLS

typedef enum {
  JARCHI_CSV_COLUMN_NAME,
  JARCHI_CSV_COLUMN_PHONE,
  JARCHI_CSV_COLUMN_DEPARTMENT,
  JARCHI_CSV_COLUMN_DISTRICT,
  JARCHI_CSV_COLUMN_POSITION,
  JARCHI_CSV_COLUMN_NOTE,
  JARCHI_CSV_COLUMN_ACTIVE,
  JARCHI_CSV_N_COLUMNS
} JarchiCsvColumn;

typedef struct {
  guint  line;    /* physical line (1-based) where the record starts */
  char  *reason;  /* translated */
} JarchiImportRejection;

typedef struct {
  guint      imported;
  guint      updated;
  GPtrArray *rejected;  /* JarchiImportRejection, in line order */
} JarchiImportReport;

/* One accepted data row: a normalised contact (id 0) whose empty fields mean "not given". */
typedef struct {
  guint          line;
  JarchiContact *contact;
  gboolean       has_active;
} JarchiCsvRow;

JarchiImportReport *jarchi_import_report_new     (void);
void                jarchi_import_report_free    (JarchiImportReport *report);
void                jarchi_import_report_reject  (JarchiImportReport *report,
                                                  guint               line,
                                                  const char         *reason);
JsonNode           *jarchi_import_report_to_json (JarchiImportReport *report);

void                jarchi_csv_row_free          (JarchiCsvRow       *row);

GPtrArray          *jarchi_csv_read_contacts     (const char         *data,
                                                  gsize               len,
                                                  JarchiImportReport *report,
                                                  GError            **error);

const char         *jarchi_csv_column_name       (JarchiCsvColumn     column);
void                jarchi_csv_append_row        (GString            *out,
                                                  const char * const *fields,
                                                  guint               n_fields);
void                jarchi_csv_append_contact    (GString            *out,
                                                  JarchiContact      *contact);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JarchiImportReport, jarchi_import_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JarchiCsvRow, jarchi_csv_row_free)

G_END_DECLS
