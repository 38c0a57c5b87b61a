/* JarchiHistoryItem: one row of the history list, a history entry plus the names the list shows beside it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "jarchi-history-entry.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_HISTORY_ITEM (jarchi_history_item_get_type ())
G_DECLARE_FINAL_TYPE (JarchiHistoryItem, jarchi_history_item, JARCHI, HISTORY_ITEM, GObject)

/* NULL or "" names: none known. */
JarchiHistoryItem  *jarchi_history_item_new               (JarchiHistoryEntry *entry,
                                                           const char         *contact_name,
                                                           const char         *account_name,
                                                           const char         *campaign_name);
JarchiHistoryEntry *jarchi_history_item_get_entry         (JarchiHistoryItem  *self);
/* The contact book's name for the remote number, "" when it is not a contact. */
const char         *jarchi_history_item_get_contact_name  (JarchiHistoryItem  *self);
/* The account's display name (or its URI); "" for a direct call. */
const char         *jarchi_history_item_get_account_name  (JarchiHistoryItem  *self);
/* The broadcast campaign the call belonged to; "" for a softphone call. */
const char         *jarchi_history_item_get_campaign_name (JarchiHistoryItem  *self);

/* Properties (read-only after construction): "entry", "contact-name", "account-name",
 * "campaign-name". */

G_END_DECLS
