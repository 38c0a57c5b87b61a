/* JarchiTargetItem: one campaign target as a GObject, so a GListStore can feed the campaign view's table. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "jarchi-campaign-target.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_TARGET_ITEM (jarchi_target_item_get_type ())
G_DECLARE_FINAL_TYPE (JarchiTargetItem, jarchi_target_item, JARCHI, TARGET_ITEM, GObject)

/* Takes @target. */
JarchiTargetItem           *jarchi_target_item_new        (JarchiCampaignTarget *target);
const JarchiCampaignTarget *jarchi_target_item_get_target (JarchiTargetItem     *self);

/* Properties: "target" (boxed, construct-only). */

G_END_DECLS
