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
/* Decodes MEDIA_ID's message now rather than at its first call (which otherwise blocks the
 * main loop for that decode). */
gboolean               jarchi_broadcast_dialer_prepare (JarchiBroadcastDialer *self,
                                                        guint                  media_id,
                                                        GError               **error);
guint                  jarchi_broadcast_dialer_get_n_calls (JarchiBroadcastDialer *self);

/* Properties: "manager", "library" (construct-only), "n-calls" (calls placed and not ended).
 * Signals: those of JarchiCampaignDialer. */

G_END_DECLS
