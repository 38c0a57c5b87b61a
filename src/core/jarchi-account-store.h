/* JarchiAccountStore: the SIP accounts kept in table accounts (passwords in a 0600 file beside it) and registered in the call manager. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "jarchi-call-manager.h"
#include "jarchi-store.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_ACCOUNT_STORE (jarchi_account_store_get_type ())
G_DECLARE_FINAL_TYPE (JarchiAccountStore, jarchi_account_store, JARCHI, ACCOUNT_STORE, GObject)

/* Loads every stored account into @manager, which registers them. Passwords live in
 * @secrets_path (a key file, mode 0600, replaced atomically on every change), never in the
 * database and never in a log. An account that no longer validates is skipped with a message. */
JarchiAccountStore *jarchi_account_store_new         (JarchiStore         *store,
                                                      JarchiCallManager   *manager,
                                                      const char          *secrets_path,
                                                      GError             **error);
JarchiCallManager  *jarchi_account_store_get_manager (JarchiAccountStore  *self);
const char         *jarchi_account_store_get_secrets_path (JarchiAccountStore *self);

/* A detached copy of the settings (password included) of account @id, to edit and pass to
 * update(). JARCHI_ERROR_NOT_FOUND when there is no such account. */
JarchiAccount      *jarchi_account_store_dup_account (JarchiAccountStore  *self,
                                                      guint                id,
                                                      GError             **error);
/* Stores @account (its id must be 0: the database picks one and sets it), then adds it to
 * the manager, which registers it. On any error nothing is kept. */
gboolean            jarchi_account_store_add         (JarchiAccountStore  *self,
                                                      JarchiAccount       *account,
                                                      GError             **error);
/* Replaces the settings of the account with @edited's id by @edited's (a copy from
 * dup_account()): validated first, then stored, then applied to the live account (which
 * registers again when its address changed). On any error nothing changes. */
gboolean            jarchi_account_store_update      (JarchiAccountStore  *self,
                                                      JarchiAccount       *edited,
                                                      GError             **error);
/* Un-registers and forgets the account and its password; its calls in the history stay. */
gboolean            jarchi_account_store_remove      (JarchiAccountStore  *self,
                                                      guint                id,
                                                      GError             **error);

/* Properties: "store", "manager", "secrets-path" (construct-only). */

G_END_DECLS
