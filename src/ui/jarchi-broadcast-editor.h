/* JarchiBroadcastEditor: the window that creates or edits a draft broadcast campaign. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "jarchi-service.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_BROADCAST_EDITOR (jarchi_broadcast_editor_get_type ())
G_DECLARE_FINAL_TYPE (JarchiBroadcastEditor, jarchi_broadcast_editor, JARCHI, BROADCAST_EDITOR, AdwWindow)

/* @campaign: (nullable): a draft of @service's store to edit; NULL for a new campaign. */
JarchiBroadcastEditor *jarchi_broadcast_editor_new (GtkWindow      *parent,
                                                    JarchiService  *service,
                                                    JarchiCampaign *campaign);

/* Properties: "service", "campaign" (construct-only).
 * Signals: ::saved (JarchiCampaign *): the draft was stored; the window then closes. */

G_END_DECLS
