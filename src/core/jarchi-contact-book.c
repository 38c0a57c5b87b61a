/* JarchiContactBook: contact CRUD, search and filters over the store (models: -models.c; do-not-call and CSV: -io.c). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-contact-book-private.h"
#include "jarchi-error.h"
#include "jarchi-phone.h"

G_DEFINE_FINAL_TYPE (JarchiContactBook, jarchi_contact_book, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_DEPARTMENT_FILTER,
  PROP_DISTRICT_FILTER,
  PROP_SEARCH,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Table names cannot be bound, so each kind has its own fixed statements. */
static const struct {
  const char *find;
  const char *insert;
  const char *list;
} group_sql[] = {
  [JARCHI_GROUP_DEPARTMENT] = {
    "SELECT id FROM departments WHERE name = ?1;",
    "INSERT INTO departments (name) VALUES (?1);",
    "SELECT g.id, g.name, (SELECT COUNT(*) FROM contacts c WHERE c.department_id = g.id) "
    "FROM departments g ORDER BY g.name COLLATE NOCASE, g.id;",
  },
  [JARCHI_GROUP_DISTRICT] = {
    "SELECT id FROM districts WHERE name = ?1;",
    "INSERT INTO districts (name) VALUES (?1);",
    "SELECT g.id, g.name, (SELECT COUNT(*) FROM contacts c WHERE c.district_id = g.id) "
    "FROM districts g ORDER BY g.name COLLATE NOCASE, g.id;",
  },
};

#define CONTACT_SELECT \
  "SELECT c.id, c.name, c.phone, c.department_id, COALESCE(d.name, ''), c.district_id, " \
  "COALESCE(t.name, ''), c.position, c.note, c.active, " \
  "EXISTS (SELECT 1 FROM do_not_call n WHERE n.phone = c.phone) " \
  "FROM contacts c LEFT JOIN departments d ON d.id = c.department_id " \
  "LEFT JOIN districts t ON t.id = c.district_id "

enum { COL_ID, COL_NAME, COL_PHONE, COL_DEPARTMENT_ID, COL_DEPARTMENT, COL_DISTRICT_ID,
       COL_DISTRICT, COL_POSITION, COL_NOTE, COL_ACTIVE, COL_DNC };

/* --- helpers --- */

gboolean
jarchi_contact_book_db_error (JarchiContactBook *self, GError **error)
{
  g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_DATABASE, _("Database error: %s"),
               sqlite3_errmsg (jarchi_store_get_db (self->store)));
  return FALSE;
}

static const char *
column_text (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? text : "";
}

static void
bind_text (sqlite3_stmt *stmt, int index, const char *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static void
bind_id_or_null (sqlite3_stmt *stmt, int index, gint64 id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

static JarchiContact *
contact_from_row (sqlite3_stmt *stmt)
{
  JarchiContact *contact = jarchi_contact_new ();

  jarchi_contact_set_id (contact, sqlite3_column_int64 (stmt, COL_ID));
  jarchi_contact_set_name (contact, column_text (stmt, COL_NAME));
  jarchi_contact_set_phone (contact, column_text (stmt, COL_PHONE));
  jarchi_contact_set_department_id (contact, sqlite3_column_int64 (stmt, COL_DEPARTMENT_ID));
  jarchi_contact_set_department (contact, column_text (stmt, COL_DEPARTMENT));
  jarchi_contact_set_district_id (contact, sqlite3_column_int64 (stmt, COL_DISTRICT_ID));
  jarchi_contact_set_district (contact, column_text (stmt, COL_DISTRICT));
  jarchi_contact_set_position (contact, column_text (stmt, COL_POSITION));
  jarchi_contact_set_note (contact, column_text (stmt, COL_NOTE));
  jarchi_contact_set_active (contact, sqlite3_column_int (stmt, COL_ACTIVE) != 0);
  jarchi_contact_set_do_not_call (contact, sqlite3_column_int (stmt, COL_DNC) != 0);
  return contact;
}

void
jarchi_contact_book_emit_changed (JarchiContactBook *self)
{
  jarchi_contact_book_sync_models (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* --- search --- */

typedef struct {
  GStrv  tokens;  /* folded words; every one must occur somewhere */
  char  *digits;  /* when the search looks like a phone number: its digits */
} Search;

static void
search_init (Search *s, const char *text)
{
  g_autofree char *folded = jarchi_text_fold (text ? text : "");

  s->tokens = g_strsplit_set (g_strstrip (folded), " \t\r\n", -1);
  s->digits = NULL;
  /* g_strsplit_set leaves empty strings between repeated separators. */
  for (char **src = s->tokens, **dst = s->tokens; ; src++)
    {
      if (*src != NULL && **src == '\0')
        {
          g_free (*src);
          continue;
        }
      *dst++ = *src;
      if (*src == NULL)
        break;
    }
  if (jarchi_phone_is_phone_like (text))
    {
      GString *digits = g_string_new (NULL);

      for (const char *p = text; *p; p++)
        if (g_ascii_isdigit (*p))
          g_string_append_c (digits, *p);
      s->digits = g_string_free (digits, FALSE);
    }
}

static void
search_clear (Search *s)
{
  g_clear_pointer (&s->tokens, g_strfreev);
  g_clear_pointer (&s->digits, g_free);
}

static gboolean
search_match (Search *s, sqlite3_stmt *stmt)
{
  g_autofree char *haystack = NULL;
  g_autofree char *folded = NULL;

  if (s->tokens[0] == NULL)
    return TRUE;
  if (s->digits != NULL && strstr (column_text (stmt, COL_PHONE), s->digits) != NULL)
    return TRUE;

  haystack = g_strjoin ("\n", column_text (stmt, COL_NAME), column_text (stmt, COL_PHONE),
                        column_text (stmt, COL_DEPARTMENT), column_text (stmt, COL_DISTRICT),
                        column_text (stmt, COL_POSITION), column_text (stmt, COL_NOTE), NULL);
  folded = jarchi_text_fold (haystack);
  for (char **t = s->tokens; *t; t++)
    if (strstr (folded, *t) == NULL)
      return FALSE;
  return TRUE;
}

/* --- groups --- */

GPtrArray *
jarchi_contact_book_list_groups (JarchiContactBook *self, JarchiGroupKind kind, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (self->store, group_sql[kind].list, error);
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (groups, jarchi_group_new (sqlite3_column_int64 (stmt, 0), column_text (stmt, 1),
                                               (guint) sqlite3_column_int (stmt, 2)));
  if (rc != SQLITE_DONE)
    {
      jarchi_contact_book_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&groups);
}

static gint64
find_group (JarchiContactBook *self, JarchiGroupKind kind, const char *name)
{
  g_autofree char *clean = jarchi_text_clean_line (name);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (clean[0] == '\0')
    return 0;
  stmt = jarchi_store_prepare (self->store, group_sql[kind].find, NULL);
  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, clean);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* Returns the group's id, creating it; 0 for an empty name, -1 on error. Runs inside a transaction. */
gint64
jarchi_contact_book_resolve_group (JarchiContactBook *self, JarchiGroupKind kind, const char *name,
                                   GHashTable *cache, GError **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  gint64 id;

  if (name == NULL || name[0] == '\0')
    return 0;
  if (cache != NULL && g_hash_table_contains (cache, name))
    return *(gint64 *) g_hash_table_lookup (cache, name);

  id = find_group (self, kind, name);
  if (id == 0)
    {
      insert = jarchi_store_prepare (self->store, group_sql[kind].insert, error);
      if (insert == NULL)
        return -1;
      bind_text (insert, 1, name);
      if (!jarchi_store_step_done (self->store, insert, error))
        return -1;
      id = jarchi_store_last_insert_id (self->store);
    }
  if (cache != NULL)
    g_hash_table_insert (cache, g_strdup (name), g_memdup2 (&id, sizeof id));
  return id;
}

/* --- contacts --- */

static JarchiContact *
load_contact (JarchiContactBook *self, gint64 id, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = jarchi_store_prepare (self->store, CONTACT_SELECT "WHERE c.id = ?1;", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return contact_from_row (stmt);
  if (rc != SQLITE_DONE)
    jarchi_contact_book_db_error (self, error);
  else
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND,
                 _("There is no contact with id %lld"), (long long) id);
  return NULL;
}

/**
 * jarchi_contact_book_get:
 *
 * Returns: (transfer full): a fresh copy of contact @id, or %NULL with
 *   %JARCHI_ERROR_NOT_FOUND.
 */
JarchiContact *
jarchi_contact_book_get (JarchiContactBook *self, gint64 id, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), NULL);
  return load_contact (self, id, error);
}

/**
 * jarchi_contact_book_find_by_phone:
 * @phone: in any form jarchi_phone_normalize() accepts
 *
 * Returns: (transfer full) (nullable): the contact with that phone.
 */
JarchiContact *
jarchi_contact_book_find_by_phone (JarchiContactBook *self, const char *phone)
{
  g_autofree char *normalized = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), NULL);

  normalized = jarchi_phone_normalize (phone, NULL);
  if (normalized == NULL)
    return NULL;
  stmt = jarchi_store_prepare (self->store, CONTACT_SELECT "WHERE c.phone = ?1;", NULL);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, normalized);
  return sqlite3_step (stmt) == SQLITE_ROW ? contact_from_row (stmt) : NULL;
}

static gboolean
check_phone_free (JarchiContactBook *self, JarchiContact *contact, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    jarchi_store_prepare (self->store, "SELECT name FROM contacts WHERE phone = ?1 AND id != ?2;", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, jarchi_contact_get_phone (contact));
  sqlite3_bind_int64 (stmt, 2, jarchi_contact_get_id (contact));
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return TRUE;
  g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
               _("%s already has the phone number %s"), column_text (stmt, 0),
               jarchi_contact_get_phone (contact));
  return FALSE;
}

/* Inserts (id 0) or replaces every field of @contact; runs inside a transaction. */
static gboolean
write_contact (JarchiContactBook *self, JarchiContact *contact, GError **error)
{
  gint64 id = jarchi_contact_get_id (contact);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 department, district;

  if (id != 0)
    {
      g_autoptr(JarchiContact) existing = load_contact (self, id, error);

      if (existing == NULL)
        return FALSE;
    }
  if (!check_phone_free (self, contact, error))
    return FALSE;
  department = jarchi_contact_book_resolve_group (self, JARCHI_GROUP_DEPARTMENT, jarchi_contact_get_department (contact), NULL, error);
  if (department < 0)
    return FALSE;
  district = jarchi_contact_book_resolve_group (self, JARCHI_GROUP_DISTRICT, jarchi_contact_get_district (contact), NULL, error);
  if (district < 0)
    return FALSE;

  stmt = jarchi_store_prepare (self->store, id == 0
    ? "INSERT INTO contacts (name, phone, department_id, district_id, position, note, active) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);"
    : "UPDATE contacts SET name = ?1, phone = ?2, department_id = ?3, district_id = ?4, "
      "position = ?5, note = ?6, active = ?7, updated_at = unixepoch() WHERE id = ?8;", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, jarchi_contact_get_name (contact));
  bind_text (stmt, 2, jarchi_contact_get_phone (contact));
  bind_id_or_null (stmt, 3, department);
  bind_id_or_null (stmt, 4, district);
  bind_text (stmt, 5, jarchi_contact_get_position (contact));
  bind_text (stmt, 6, jarchi_contact_get_note (contact));
  sqlite3_bind_int (stmt, 7, jarchi_contact_get_active (contact));
  if (id != 0)
    sqlite3_bind_int64 (stmt, 8, id);
  if (!jarchi_store_step_done (self->store, stmt, error))
    return FALSE;

  if (id == 0)
    jarchi_contact_set_id (contact, jarchi_store_last_insert_id (self->store));
  return TRUE;
}

static gboolean
save_contact (JarchiContactBook *self, JarchiContact *contact, GError **error)
{
  gint64 old_id = jarchi_contact_get_id (contact);
  g_autoptr(JarchiContact) stored = NULL;

  if (!jarchi_contact_normalize (contact, error))
    return FALSE;
  if (!jarchi_store_begin (self->store, error))
    return FALSE;
  if (!write_contact (self, contact, error) || !jarchi_store_commit (self->store, error))
    {
      jarchi_store_rollback (self->store);
      jarchi_contact_set_id (contact, old_id);
      return FALSE;
    }

  /* Hand back what was stored: group ids and the do-not-call flag come from the database. */
  stored = load_contact (self, jarchi_contact_get_id (contact), NULL);
  if (stored != NULL)
    jarchi_contact_update_from (contact, stored);
  jarchi_contact_book_emit_changed (self);
  return TRUE;
}

/**
 * jarchi_contact_book_add:
 * @contact: a contact with id 0; on success it is normalised and holds its new id
 *
 * Stores a new contact, creating its department and district by name when
 * needed. Fails with %JARCHI_ERROR_INVALID_ARGUMENT when a field is invalid
 * or another contact has the same phone; nothing is stored then.
 */
gboolean
jarchi_contact_book_add (JarchiContactBook *self, JarchiContact *contact, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), FALSE);
  g_return_val_if_fail (JARCHI_IS_CONTACT (contact), FALSE);

  jarchi_contact_set_id (contact, 0);
  return save_contact (self, contact, error);
}

/**
 * jarchi_contact_book_update:
 * @contact: a stored contact (id set) with every field as it should become
 *
 * Like jarchi_contact_book_add(), for an existing contact; an unknown id
 * fails with %JARCHI_ERROR_NOT_FOUND.
 */
gboolean
jarchi_contact_book_update (JarchiContactBook *self, JarchiContact *contact, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), FALSE);
  g_return_val_if_fail (JARCHI_IS_CONTACT (contact), FALSE);

  if (jarchi_contact_get_id (contact) <= 0)
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, _("The contact is not stored yet"));
      return FALSE;
    }
  return save_contact (self, contact, error);
}

gboolean
jarchi_contact_book_remove (JarchiContactBook *self, gint64 id, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), FALSE);

  stmt = jarchi_store_prepare (self->store, "DELETE FROM contacts WHERE id = ?1;", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!jarchi_store_step_done (self->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (jarchi_store_get_db (self->store)) == 0)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND,
                   _("There is no contact with id %lld"), (long long) id);
      return FALSE;
    }
  jarchi_contact_book_emit_changed (self);
  return TRUE;
}

/**
 * jarchi_contact_book_query:
 * @department_id: 0 for any
 * @district_id: 0 for any
 * @search: (nullable): words that must each occur in the name, phone,
 *   department, district, position or note (case-insensitive, Uzbek
 *   apostrophes folded); a phone-like search also matches phone digits
 * @limit: at most this many contacts (G_MAXUINT for all)
 * @total: (out) (optional): how many match in all
 *
 * Returns: (transfer full) (element-type JarchiContact): one page of the
 *   matching contacts, ordered by name.
 */
GPtrArray *
jarchi_contact_book_query (JarchiContactBook *self, gint64 department_id, gint64 district_id,
                           const char *search, guint offset, guint limit, guint *total, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  Search s;
  guint n = 0;
  int rc;

  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), NULL);

  stmt = jarchi_store_prepare (self->store, CONTACT_SELECT
                               "WHERE (?1 = 0 OR c.department_id = ?1) AND (?2 = 0 OR c.district_id = ?2) "
                               "ORDER BY c.name COLLATE NOCASE, c.id;", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, department_id);
  sqlite3_bind_int64 (stmt, 2, district_id);

  search_init (&s, search);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (!search_match (&s, stmt))
        continue;
      if (n >= offset && items->len < limit)
        g_ptr_array_add (items, contact_from_row (stmt));
      n++;
    }
  search_clear (&s);

  if (rc != SQLITE_DONE)
    {
      jarchi_contact_book_db_error (self, error);
      return NULL;
    }
  if (total)
    *total = n;
  return g_steal_pointer (&items);
}

/* --- filters and group lookup --- */

/* Returns: the id of the department called @name, or 0. */
gint64
jarchi_contact_book_find_department (JarchiContactBook *self, const char *name)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), 0);
  return find_group (self, JARCHI_GROUP_DEPARTMENT, name);
}

gint64
jarchi_contact_book_find_district (JarchiContactBook *self, const char *name)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), 0);
  return find_group (self, JARCHI_GROUP_DISTRICT, name);
}

gint64
jarchi_contact_book_get_department_filter (JarchiContactBook *self)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), 0);
  return self->department_filter;
}

void
jarchi_contact_book_set_department_filter (JarchiContactBook *self, gint64 department_id)
{
  g_return_if_fail (JARCHI_IS_CONTACT_BOOK (self));

  if (self->department_filter == department_id)
    return;
  self->department_filter = department_id;
  jarchi_contact_book_sync_contacts (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEPARTMENT_FILTER]);
}

gint64
jarchi_contact_book_get_district_filter (JarchiContactBook *self)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), 0);
  return self->district_filter;
}

void
jarchi_contact_book_set_district_filter (JarchiContactBook *self, gint64 district_id)
{
  g_return_if_fail (JARCHI_IS_CONTACT_BOOK (self));

  if (self->district_filter == district_id)
    return;
  self->district_filter = district_id;
  jarchi_contact_book_sync_contacts (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISTRICT_FILTER]);
}

const char *
jarchi_contact_book_get_search (JarchiContactBook *self)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), NULL);
  return self->search;
}

void
jarchi_contact_book_set_search (JarchiContactBook *self, const char *search)
{
  g_return_if_fail (JARCHI_IS_CONTACT_BOOK (self));

  if (search == NULL)
    search = "";
  if (g_strcmp0 (self->search, search) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (search);
  jarchi_contact_book_sync_contacts (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

/* --- GObject --- */

static void
jarchi_contact_book_dispose (GObject *object)
{
  JarchiContactBook *self = JARCHI_CONTACT_BOOK (object);

  g_clear_object (&self->contacts);
  g_clear_object (&self->departments);
  g_clear_object (&self->districts);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (jarchi_contact_book_parent_class)->dispose (object);
}

static void
jarchi_contact_book_finalize (GObject *object)
{
  g_clear_pointer (&JARCHI_CONTACT_BOOK (object)->search, g_free);
  G_OBJECT_CLASS (jarchi_contact_book_parent_class)->finalize (object);
}

static void
jarchi_contact_book_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiContactBook *self = JARCHI_CONTACT_BOOK (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_DEPARTMENT_FILTER: g_value_set_int64 (value, self->department_filter); break;
    case PROP_DISTRICT_FILTER: g_value_set_int64 (value, self->district_filter); break;
    case PROP_SEARCH: g_value_set_string (value, self->search); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_contact_book_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiContactBook *self = JARCHI_CONTACT_BOOK (object);

  switch (prop_id)
    {
    case PROP_STORE: self->store = g_value_dup_object (value); break;
    case PROP_DEPARTMENT_FILTER: jarchi_contact_book_set_department_filter (self, g_value_get_int64 (value)); break;
    case PROP_DISTRICT_FILTER: jarchi_contact_book_set_district_filter (self, g_value_get_int64 (value)); break;
    case PROP_SEARCH: jarchi_contact_book_set_search (self, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_contact_book_class_init (JarchiContactBookClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jarchi_contact_book_dispose;
  object_class->finalize = jarchi_contact_book_finalize;
  object_class->get_property = jarchi_contact_book_get_property;
  object_class->set_property = jarchi_contact_book_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, JARCHI_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEPARTMENT_FILTER] =
    g_param_spec_int64 ("department-filter", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DISTRICT_FILTER] =
    g_param_spec_int64 ("district-filter", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JarchiContactBook::changed:
   *
   * Emitted after contacts, groups or the do-not-call list changed in the store.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
jarchi_contact_book_init (JarchiContactBook *self)
{
  self->search = g_strdup ("");
}

JarchiContactBook *
jarchi_contact_book_new (JarchiStore *store)
{
  g_return_val_if_fail (JARCHI_IS_STORE (store), NULL);
  return g_object_new (JARCHI_TYPE_CONTACT_BOOK, "store", store, NULL);
}

JarchiStore *
jarchi_contact_book_get_store (JarchiContactBook *self)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), NULL);
  return self->store;
}
