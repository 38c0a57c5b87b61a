/* JarchiTargetItem: wraps a JarchiCampaignTarget snapshot; replaced, never changed, when results move on. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-target-item.h"

struct _JarchiTargetItem
{
  GObject               parent_instance;

  JarchiCampaignTarget *target;
};

G_DEFINE_FINAL_TYPE (JarchiTargetItem, jarchi_target_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TARGET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
jarchi_target_item_finalize (GObject *object)
{
  JarchiTargetItem *self = JARCHI_TARGET_ITEM (object);

  g_clear_pointer (&self->target, jarchi_campaign_target_free);
  G_OBJECT_CLASS (jarchi_target_item_parent_class)->finalize (object);
}

static void
jarchi_target_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiTargetItem *self = JARCHI_TARGET_ITEM (object);

  switch (prop_id)
    {
    case PROP_TARGET:
      g_value_set_boxed (value, self->target);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_target_item_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiTargetItem *self = JARCHI_TARGET_ITEM (object);

  switch (prop_id)
    {
    case PROP_TARGET:
      g_clear_pointer (&self->target, jarchi_campaign_target_free);
      self->target = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_target_item_class_init (JarchiTargetItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jarchi_target_item_finalize;
  object_class->get_property = jarchi_target_item_get_property;
  object_class->set_property = jarchi_target_item_set_property;

  properties[PROP_TARGET] =
    g_param_spec_boxed ("target", NULL, NULL, JARCHI_TYPE_CAMPAIGN_TARGET,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_target_item_init (JarchiTargetItem *self)
{
}

JarchiTargetItem *
jarchi_target_item_new (JarchiCampaignTarget *target)
{
  JarchiTargetItem *self = g_object_new (JARCHI_TYPE_TARGET_ITEM, NULL);

  self->target = target;
  return self;
}

const JarchiCampaignTarget *
jarchi_target_item_get_target (JarchiTargetItem *self)
{
  g_return_val_if_fail (JARCHI_IS_TARGET_ITEM (self), NULL);
  return self->target;
}
