/* JarchiAccountDialog: the dialog that adds a SIP account to the account store or edits one. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "jarchi-account-store.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_ACCOUNT_DIALOG (jarchi_account_dialog_get_type ())
G_DECLARE_FINAL_TYPE (JarchiAccountDialog, jarchi_account_dialog, JARCHI, ACCOUNT_DIALOG, AdwWindow)

/* @account_id 0: a new account. */
JarchiAccountDialog *jarchi_account_dialog_new            (GtkWindow           *parent,
                                                           JarchiAccountStore  *store,
                                                           guint                account_id);
guint                jarchi_account_dialog_get_account_id (JarchiAccountDialog *self);

G_END_DECLS
