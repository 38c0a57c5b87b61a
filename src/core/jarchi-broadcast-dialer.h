/* JarchiBroadcastDialer: campaign calls on the SIP engine's lean RTP path — the message encoded once and shared, no media pipeline per call. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-call-manager.h"
#include "jarchi-campaign-dialer.h"
#include "jarchi-media-library.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_BROADCAST_DIALER (jarchi_broadcast_dialer_get_type ())
G_DECLARE_FINAL_TYPE (JarchiBroadcastDialer, jarchi_broadcast_dialer, JARCHI, BROADCAST_DIALER, GObject)

/* Places calls through MANAGER's SIP engine and accounts (registrar or outbound proxy,
 * digest authentication), with LIBRARY's messages as G.711 frames decoded once per message.
 * Meant for thousands of calls at once; the callee hears the message, nothing else.
 * place_call (): ACCOUNT_ID 0 is the manager's default account, JARCHI_ACCOUNT_NONE none;
 * PHONE is anything jarchi_call_manager_dial () takes. */
JarchiBroadcastDialer *jarchi_broadcast_dialer_new     (JarchiCallManager     *manager,
                                                        JarchiMediaLibrary    *library);
/* Decodes MEDIA_ID's message in a worker thread now, rather than at its first call (calls
 * placed before it is ready wait for it, then go out; if it fails they end as failed).
 * Completes once it is ready; fails at once if the library has no such media. */
void                   jarchi_broadcast_dialer_prepare_async  (JarchiBroadcastDialer *self,
                                                               guint                  media_id,
                                                               GCancellable          *cancellable,
                                                               GAsyncReadyCallback    callback,
                                                               gpointer               user_data);
gboolean               jarchi_broadcast_dialer_prepare_finish (JarchiBroadcastDialer *self,
                                                               GAsyncResult          *result,
                                                               GError               **error);
guint                  jarchi_broadcast_dialer_get_n_calls (JarchiBroadcastDialer *self);

/* Properties: "manager", "library" (construct-only), "n-calls" (calls placed and not ended).
 * Signals: those of JarchiCampaignDialer. */

G_END_DECLS
