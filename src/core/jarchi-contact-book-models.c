/* JarchiContactBook's list models: the filtered contacts and the departments and districts, kept current. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-contact-book-private.h"

void
jarchi_contact_book_sync_contacts (JarchiContactBook *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint n;
  gboolean same;

  if (self->contacts == NULL)
    return;
  items = jarchi_contact_book_query (self, self->department_filter, self->district_filter,
                                     self->search, 0, G_MAXUINT, NULL, &error);
  if (items == NULL)
    {
      g_warning ("Could not load contacts: %s", error->message);
      return;
    }

  /* Same contacts in the same order: update them in place so views keep their rows. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->contacts));
  same = n == items->len;
  for (guint i = 0; same && i < n; i++)
    {
      g_autoptr(JarchiContact) old = g_list_model_get_item (G_LIST_MODEL (self->contacts), i);

      same = jarchi_contact_get_id (old) == jarchi_contact_get_id (g_ptr_array_index (items, i));
    }
  if (!same)
    {
      g_list_store_splice (self->contacts, 0, n, items->pdata, items->len);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JarchiContact) old = g_list_model_get_item (G_LIST_MODEL (self->contacts), i);

      jarchi_contact_update_from (old, g_ptr_array_index (items, i));
    }
}

static void
sync_groups_model (JarchiContactBook *self, GListStore *model, JarchiGroupKind kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  guint n;
  gboolean same;

  if (model == NULL)
    return;
  groups = jarchi_contact_book_list_groups (self, kind, &error);
  if (groups == NULL)
    {
      g_warning ("Could not load groups: %s", error->message);
      return;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  same = n == groups->len;
  for (guint i = 0; same && i < n; i++)
    {
      g_autoptr(JarchiGroup) old = g_list_model_get_item (G_LIST_MODEL (model), i);

      same = jarchi_group_get_id (old) == jarchi_group_get_id (g_ptr_array_index (groups, i));
    }
  if (!same)
    {
      g_list_store_splice (model, 0, n, groups->pdata, groups->len);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JarchiGroup) old = g_list_model_get_item (G_LIST_MODEL (model), i);
      JarchiGroup *fresh = g_ptr_array_index (groups, i);

      jarchi_group_set_name (old, jarchi_group_get_name (fresh));
      jarchi_group_set_count (old, jarchi_group_get_count (fresh));
    }
}

void
jarchi_contact_book_sync_models (JarchiContactBook *self)
{
  jarchi_contact_book_sync_contacts (self);
  sync_groups_model (self, self->departments, JARCHI_GROUP_DEPARTMENT);
  sync_groups_model (self, self->districts, JARCHI_GROUP_DISTRICT);
}

/**
 * jarchi_contact_book_get_contacts:
 *
 * Returns: (transfer none): a #GListModel of #JarchiContact: the contacts
 *   matching #JarchiContactBook:department-filter, :district-filter and
 *   :search, ordered by name, updated whenever the book or a filter changes.
 */
GListModel *
jarchi_contact_book_get_contacts (JarchiContactBook *self)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), NULL);

  if (self->contacts == NULL)
    {
      self->contacts = g_list_store_new (JARCHI_TYPE_CONTACT);
      jarchi_contact_book_sync_contacts (self);
    }
  return G_LIST_MODEL (self->contacts);
}

static GListModel *
get_groups_model (JarchiContactBook *self, GListStore **model, JarchiGroupKind kind)
{
  if (*model == NULL)
    {
      *model = g_list_store_new (JARCHI_TYPE_GROUP);
      sync_groups_model (self, *model, kind);
    }
  return G_LIST_MODEL (*model);
}

/**
 * jarchi_contact_book_get_departments:
 *
 * Returns: (transfer none): a #GListModel of #JarchiGroup, by name, with
 *   each department's contact count, kept current.
 */
GListModel *
jarchi_contact_book_get_departments (JarchiContactBook *self)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), NULL);
  return get_groups_model (self, &self->departments, JARCHI_GROUP_DEPARTMENT);
}

GListModel *
jarchi_contact_book_get_districts (JarchiContactBook *self)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), NULL);
  return get_groups_model (self, &self->districts, JARCHI_GROUP_DISTRICT);
}

GPtrArray *
jarchi_contact_book_list_departments (JarchiContactBook *self, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), NULL);
  return jarchi_contact_book_list_groups (self, JARCHI_GROUP_DEPARTMENT, error);
}

GPtrArray *
jarchi_contact_book_list_districts (JarchiContactBook *self, GError **error)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (self), NULL);
  return jarchi_contact_book_list_groups (self, JARCHI_GROUP_DISTRICT, error);
}
