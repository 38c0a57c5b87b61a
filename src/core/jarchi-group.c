/* JarchiGroup: one department or district as shown in lists: id, name and how many contacts it has. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-group.h"

struct _JarchiGroup
{
  GObject  parent_instance;
  gint64   id;
  char    *name;
  guint    count;
};

G_DEFINE_FINAL_TYPE (JarchiGroup, jarchi_group, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
jarchi_group_finalize (GObject *object)
{
  g_clear_pointer (&JARCHI_GROUP (object)->name, g_free);
  G_OBJECT_CLASS (jarchi_group_parent_class)->finalize (object);
}

static void
jarchi_group_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiGroup *self = JARCHI_GROUP (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_group_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiGroup *self = JARCHI_GROUP (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;
    case PROP_NAME:
      jarchi_group_set_name (self, g_value_get_string (value));
      break;
    case PROP_COUNT:
      jarchi_group_set_count (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_group_class_init (JarchiGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jarchi_group_finalize;
  object_class->get_property = jarchi_group_get_property;
  object_class->set_property = jarchi_group_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_group_init (JarchiGroup *self)
{
  self->name = g_strdup ("");
}

JarchiGroup *
jarchi_group_new (gint64 id, const char *name, guint count)
{
  return g_object_new (JARCHI_TYPE_GROUP, "id", id, "name", name, "count", count, NULL);
}

gint64
jarchi_group_get_id (JarchiGroup *self)
{
  g_return_val_if_fail (JARCHI_IS_GROUP (self), 0);
  return self->id;
}

const char *
jarchi_group_get_name (JarchiGroup *self)
{
  g_return_val_if_fail (JARCHI_IS_GROUP (self), NULL);
  return self->name;
}

void
jarchi_group_set_name (JarchiGroup *self, const char *name)
{
  g_return_if_fail (JARCHI_IS_GROUP (self));

  if (name == NULL)
    name = "";
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

guint
jarchi_group_get_count (JarchiGroup *self)
{
  g_return_val_if_fail (JARCHI_IS_GROUP (self), 0);
  return self->count;
}

void
jarchi_group_set_count (JarchiGroup *self, guint count)
{
  g_return_if_fail (JARCHI_IS_GROUP (self));

  if (self->count == count)
    return;
  self->count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
}
