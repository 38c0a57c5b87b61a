/* JarchiHistoryItem: one row of the history list, a history entry plus the names the list shows beside it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-history-item.h"

struct _JarchiHistoryItem
{
  GObject             parent_instance;
  JarchiHistoryEntry *entry;
  char               *contact_name;
  char               *account_name;
  char               *campaign_name;
};

G_DEFINE_FINAL_TYPE (JarchiHistoryItem, jarchi_history_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENTRY,
  PROP_CONTACT_NAME,
  PROP_ACCOUNT_NAME,
  PROP_CAMPAIGN_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
jarchi_history_item_finalize (GObject *object)
{
  JarchiHistoryItem *self = JARCHI_HISTORY_ITEM (object);

  g_clear_object (&self->entry);
  g_free (self->contact_name);
  g_free (self->account_name);
  g_free (self->campaign_name);
  G_OBJECT_CLASS (jarchi_history_item_parent_class)->finalize (object);
}

static void
jarchi_history_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiHistoryItem *self = JARCHI_HISTORY_ITEM (object);

  switch (prop_id)
    {
    case PROP_ENTRY: g_value_set_object (value, self->entry); break;
    case PROP_CONTACT_NAME: g_value_set_string (value, self->contact_name); break;
    case PROP_ACCOUNT_NAME: g_value_set_string (value, self->account_name); break;
    case PROP_CAMPAIGN_NAME: g_value_set_string (value, self->campaign_name); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Missing names are stored as "" so that getters never return NULL to a label. */
static void
set_name (char **field, const GValue *value)
{
  const char *s = g_value_get_string (value);

  g_free (*field);
  *field = g_strdup (s ? s : "");
}

static void
jarchi_history_item_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiHistoryItem *self = JARCHI_HISTORY_ITEM (object);

  switch (prop_id)
    {
    case PROP_ENTRY: self->entry = g_value_dup_object (value); break;
    case PROP_CONTACT_NAME: set_name (&self->contact_name, value); break;
    case PROP_ACCOUNT_NAME: set_name (&self->account_name, value); break;
    case PROP_CAMPAIGN_NAME: set_name (&self->campaign_name, value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_history_item_class_init (JarchiHistoryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = jarchi_history_item_finalize;
  object_class->get_property = jarchi_history_item_get_property;
  object_class->set_property = jarchi_history_item_set_property;

  properties[PROP_ENTRY] = g_param_spec_object ("entry", NULL, NULL, JARCHI_TYPE_HISTORY_ENTRY, co);
  properties[PROP_CONTACT_NAME] = g_param_spec_string ("contact-name", NULL, NULL, "", co);
  properties[PROP_ACCOUNT_NAME] = g_param_spec_string ("account-name", NULL, NULL, "", co);
  properties[PROP_CAMPAIGN_NAME] = g_param_spec_string ("campaign-name", NULL, NULL, "", co);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_history_item_init (JarchiHistoryItem *self)
{
}

JarchiHistoryItem *
jarchi_history_item_new (JarchiHistoryEntry *entry, const char *contact_name, const char *account_name,
                         const char *campaign_name)
{
  g_return_val_if_fail (JARCHI_IS_HISTORY_ENTRY (entry), NULL);

  return g_object_new (JARCHI_TYPE_HISTORY_ITEM, "entry", entry, "contact-name", contact_name,
                       "account-name", account_name, "campaign-name", campaign_name, NULL);
}

JarchiHistoryEntry *
jarchi_history_item_get_entry (JarchiHistoryItem *self)
{
  g_return_val_if_fail (JARCHI_IS_HISTORY_ITEM (self), NULL);
  return self->entry;
}

const char *
jarchi_history_item_get_contact_name (JarchiHistoryItem *self)
{
  g_return_val_if_fail (JARCHI_IS_HISTORY_ITEM (self), NULL);
  return self->contact_name;
}

const char *
jarchi_history_item_get_account_name (JarchiHistoryItem *self)
{
  g_return_val_if_fail (JARCHI_IS_HISTORY_ITEM (self), NULL);
  return self->account_name;
}

const char *
jarchi_history_item_get_campaign_name (JarchiHistoryItem *self)
{
  g_return_val_if_fail (JARCHI_IS_HISTORY_ITEM (self), NULL);
  return self->campaign_name;
}
