/* JarchiAccountsApi: /api/accounts over the dashboard server, and the "registration" WebSocket event. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-account-store.h"
#include "jarchi-web-server.h"

G_BEGIN_DECLS

#define JARCHI_ACCOUNTS_API_JSON_MAX_BYTES (64 * 1024)

#define JARCHI_TYPE_ACCOUNTS_API (jarchi_accounts_api_get_type ())
G_DECLARE_FINAL_TYPE (JarchiAccountsApi, jarchi_accounts_api, JARCHI, ACCOUNTS_API, GObject)

/* Adds the routes to @server, which keeps the API alive as long as it lives; every change of
 * an account's registration state or error is broadcast as
 * {"type": "registration", "account": {...}}. Returns the API, owned by @server. */
JarchiAccountsApi *jarchi_accounts_api_register     (JarchiWebServer    *server,
                                                     JarchiAccountStore *accounts);
/* The API's account object (docs/api.md, "Accounts"); never contains the password. */
JsonNode          *jarchi_accounts_api_account_json (JarchiAccount      *account);

G_END_DECLS
