/* JarchiCallManager, accounts: the account list, registration and re-registration on edits. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-sip"
#include "jarchi-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "jarchi-call-manager-private.h"
#include "jarchi-error.h"

/* ---- accounts --------------------------------------------------------------------------------- */

GListModel *
jarchi_call_manager_get_accounts (JarchiCallManager *self)
{
  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), NULL);
  return G_LIST_MODEL (self->accounts);
}

static gboolean
find_account (JarchiCallManager *self,
              guint              account_id,
              guint             *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JarchiAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
      if (jarchi_account_get_id (account) == account_id)
        {
          if (position)
            *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

JarchiAccount *
jarchi_call_manager_lookup_account (JarchiCallManager *self,
                                    guint              account_id)
{
  guint position;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), NULL);
  if (account_id == 0 || !find_account (self, account_id, &position))
    return NULL;
  /* The store keeps its reference: this one may be dropped at once. */
  {
    g_autoptr(JarchiAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts),
                                                              position);
    return account;
  }
}

JarchiAccount *
jarchi_call_manager_get_default_account (JarchiCallManager *self)
{
  guint n;
  JarchiAccount *first = NULL;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), NULL);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JarchiAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
      if (jarchi_account_get_registration_state (account) == JARCHI_REGISTRATION_REGISTERED)
        return account;
      if (first == NULL)
        first = account;
    }
  return first;
}

static gboolean
reregister_changed (gpointer data)
{
  JarchiCallManager *self = data;
  GHashTableIter iter;
  gpointer key;

  self->reregister_source = 0;
  g_hash_table_iter_init (&iter, self->reregister);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      JarchiAccount *account = jarchi_call_manager_lookup_account (self, GPOINTER_TO_UINT (key));
      g_autoptr(GError) error = NULL;

      if (account != NULL && self->engine != NULL &&
          !jarchi_sip_engine_register (self->engine, account, &error))
        jarchi_account_set_registration (account, JARCHI_REGISTRATION_FAILED, error->message, 0);
    }
  g_hash_table_remove_all (self->reregister);
  return G_SOURCE_REMOVE;
}

static void
on_account_notify (JarchiAccount     *account,
                   GParamSpec        *pspec,
                   JarchiCallManager *self)
{
  /* Our own registration updates are no reason to register again. */
  if (g_str_has_prefix (pspec->name, "registration-") || g_str_equal (pspec->name, "id") ||
      g_str_equal (pspec->name, "auto-answer") || g_str_equal (pspec->name, "record") ||
      g_str_equal (pspec->name, "dtmf-mode"))
    return;
  /* Editing several fields at once gives one REGISTER. */
  g_hash_table_add (self->reregister, GUINT_TO_POINTER (jarchi_account_get_id (account)));
  if (self->reregister_source == 0)
    self->reregister_source = g_idle_add (reregister_changed, self);
}

gboolean
jarchi_call_manager_add_account (JarchiCallManager  *self,
                                 JarchiAccount      *account,
                                 GError            **error)
{
  guint id;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), FALSE);
  g_return_val_if_fail (JARCHI_IS_ACCOUNT (account), FALSE);

  if (self->engine == NULL)
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_FAILED, _("SIP is stopped"));
      return FALSE;
    }
  if (!jarchi_account_validate (account, error))
    return FALSE;
  id = jarchi_account_get_id (account);
  if (id != 0 && find_account (self, id, NULL))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("An account with id %u already exists"), id);
      return FALSE;
    }
  if (id == 0)
    {
      id = 1;
      while (find_account (self, id, NULL))
        id++;
      jarchi_account_set_id (account, id);
    }
  if (!jarchi_sip_engine_register (self->engine, account, error))
    return FALSE;
  g_list_store_append (self->accounts, account);
  g_signal_connect (account, "notify", G_CALLBACK (on_account_notify), self);
  return TRUE;
}

gboolean
jarchi_call_manager_remove_account (JarchiCallManager  *self,
                                    guint               account_id,
                                    GError            **error)
{
  g_autoptr(JarchiAccount) account = NULL;
  guint position;

  g_return_val_if_fail (JARCHI_IS_CALL_MANAGER (self), FALSE);
  if (!find_account (self, account_id, &position))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND, _("There is no account %u"),
                   account_id);
      return FALSE;
    }
  account = g_list_model_get_item (G_LIST_MODEL (self->accounts), position);
  g_signal_handlers_disconnect_by_data (account, self);
  g_hash_table_remove (self->reregister, GUINT_TO_POINTER (account_id));
  g_list_store_remove (self->accounts, position);
  if (self->engine != NULL)
    (void) jarchi_sip_engine_unregister (self->engine, account_id, NULL);
  jarchi_account_set_registration (account, JARCHI_REGISTRATION_UNREGISTERED, NULL, 0);
  return TRUE;
}

