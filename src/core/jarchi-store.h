/* JarchiStore: the SQLite database behind every list Jarchi shows, with schema migrations. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define JARCHI_TYPE_STORE (jarchi_store_get_type ())
G_DECLARE_FINAL_TYPE (JarchiStore, jarchi_store, JARCHI, STORE, GObject)

JarchiStore  *jarchi_store_open               (const char   *path,
                                               GError      **error);
const char   *jarchi_store_get_path           (JarchiStore  *self);
int           jarchi_store_get_schema_version (JarchiStore  *self);
int           jarchi_store_get_latest_version (void);
sqlite3_stmt *jarchi_store_prepare            (JarchiStore  *self,
                                               const char   *sql,
                                               GError      **error);
gboolean      jarchi_store_begin              (JarchiStore  *self,
                                               GError      **error);
gboolean      jarchi_store_commit             (JarchiStore  *self,
                                               GError      **error);
void          jarchi_store_rollback           (JarchiStore  *self);
gboolean      jarchi_store_step_done          (JarchiStore  *self,
                                               sqlite3_stmt *stmt,
                                               GError      **error);
gint64        jarchi_store_last_insert_id     (JarchiStore  *self);
sqlite3      *jarchi_store_get_db             (JarchiStore  *self);
/* A LIKE pattern that matches @word anywhere, its %, _ and \ taken literally: use it
 * with ESCAPE '\'. */
char         *jarchi_store_like_pattern       (const char   *word);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
