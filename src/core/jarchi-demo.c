/* Demo mode: adds the lab's demo account and a contact per lab phone, once, so a newcomer can call at once. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-account-store.h"
#include "jarchi-demo.h"
#include "jarchi-error.h"

/* demo.env holds KEY='value' lines with no quote inside a value (see tests/lab/demo.sh). */
static GHashTable *
parse_env (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *eq = strchr (lines[i], '=');
      g_autofree char *value = NULL;

      if (eq == NULL || lines[i][0] == '#')
        continue;
      value = g_strdup (eq + 1);
      g_strstrip (value);
      if (value[0] == '\'' && strlen (value) >= 2 && g_str_has_suffix (value, "'"))
        {
          char *inner = g_strndup (value + 1, strlen (value) - 2);
          g_free (value);
          value = inner;
        }
      g_hash_table_insert (env, g_strndup (lines[i], eq - lines[i]), g_steal_pointer (&value));
    }
  return g_steal_pointer (&env);
}

static gboolean
has_account (JarchiService *service, const char *uri)
{
  GListModel *accounts = jarchi_call_manager_get_accounts (jarchi_service_get_call_manager (service));

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(JarchiAccount) a = g_list_model_get_item (accounts, i);
      if (g_strcmp0 (jarchi_account_get_uri (a), uri) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
jarchi_demo_load (JarchiService *service, const char *env_path, GError **error)
{
  g_autoptr(GHashTable) env = parse_env (env_path, error);
  g_autoptr(GString) csv = g_string_new ("name,phone,department,district,position\n");
  g_autoptr(JarchiImportReport) report = NULL;
  g_auto(GStrv) users = NULL;
  const char *uri, *port;

  if (env == NULL)
    return FALSE;
  uri = g_hash_table_lookup (env, "DEMO_ACCOUNT");
  port = g_hash_table_lookup (env, "KAMAILIO_PORT");
  if (uri == NULL || port == NULL)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("%s is not a demo settings file"), env_path);
      return FALSE;
    }

  if (!has_account (service, uri))
    {
      g_autoptr(JarchiAccount) account = jarchi_account_new (0, uri);
      g_autofree char *registrar = g_strdup_printf ("sip:127.0.0.1:%s", port);

      g_object_set (account, "registrar", registrar, "username", "demo",
                    "display-name", "Jarchi demo", NULL);
      if (!jarchi_account_store_add (jarchi_service_get_account_store (service), account, error))
        return FALSE;
    }

  users = g_strsplit (g_hash_table_lookup (env, "DEMO_USERS") ?: "", " ", -1);
  for (guint i = 0; users[i] != NULL; i++)
    {
      g_autofree char *name_key = g_strdup_printf ("DEMO_USER_%s_NAME", users[i]);
      g_autofree char *role_key = g_strdup_printf ("DEMO_USER_%s_ROLE", users[i]);
      const char *name = g_hash_table_lookup (env, name_key);
      const char *role = g_hash_table_lookup (env, role_key);

      if (users[i][0] == '\0')
        continue;
      /* Names and roles come from our own script and hold no quotes or commas. */
      g_string_append_printf (csv, "Demo %s,%s,Demo,Lab,%s\n", name ? name : users[i], users[i],
                              role ? role : "");
    }
  report = jarchi_contact_book_import_csv (jarchi_service_get_contact_book (service),
                                           csv->str, csv->len, error);
  return report != NULL;
}
