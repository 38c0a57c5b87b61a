/* JarchiCallManager: the calls in progress (a GListModel of JarchiCall), accounts and media. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "jarchi-account.h"
#include "jarchi-call.h"
#include "jarchi-media-session.h"
#include "jarchi-sip-engine.h"

G_BEGIN_DECLS

/* For dial(): call straight to the URI's host, even when accounts exist. */
#define JARCHI_ACCOUNT_NONE G_MAXUINT

#define JARCHI_TYPE_CALL_MANAGER (jarchi_call_manager_get_type ())
G_DECLARE_FINAL_TYPE (JarchiCallManager, jarchi_call_manager, JARCHI, CALL_MANAGER, GObject)

/* Starts SIP on LOCAL_ADDRESS:SIP_PORT (NULL: all addresses; 0: any free port).  Recordings
 * go to DATA_DIR/recordings (NULL: recording is off).  One per process. */
JarchiCallManager  *jarchi_call_manager_new               (const char         *local_address,
                                                           guint               sip_port,
                                                           const char         *data_dir,
                                                           GError            **error);
guint               jarchi_call_manager_get_sip_port      (JarchiCallManager  *self);
/* The process's one SIP engine, shared with campaign calls (JarchiBroadcastDialer); NULL
 * after shutdown. */
JarchiSipEngine    *jarchi_call_manager_get_engine        (JarchiCallManager  *self);
/* Hangs up every call, un-REGISTERs every account and stops SIP.  Idempotent. */
void                jarchi_call_manager_shutdown          (JarchiCallManager  *self);

/* Accounts: a GListModel of JarchiAccount.  An account with id 0 gets a free id. */
GListModel         *jarchi_call_manager_get_accounts      (JarchiCallManager  *self);
gboolean            jarchi_call_manager_add_account       (JarchiCallManager  *self,
                                                           JarchiAccount      *account,
                                                           GError            **error);
gboolean            jarchi_call_manager_remove_account    (JarchiCallManager  *self,
                                                           guint               account_id,
                                                           GError            **error);
JarchiAccount      *jarchi_call_manager_lookup_account    (JarchiCallManager  *self,
                                                           guint               account_id);
/* The account used when dial() gets 0: the first registered one, else the first one. */
JarchiAccount      *jarchi_call_manager_get_default_account (JarchiCallManager *self);

/* Calls: the manager itself is the GListModel of the calls in progress. */
JarchiCall         *jarchi_call_manager_lookup_call       (JarchiCallManager  *self,
                                                           guint               call_id);
JarchiMediaSession *jarchi_call_manager_get_media_session (JarchiCallManager  *self,
                                                           guint               call_id);

/* TO: sip:/sips: URI, tel:+998..., a bare number or user name (dialled at the account's
 * domain) or user@host.  ACCOUNT_ID 0: the default account (none when there is none);
 * JARCHI_ACCOUNT_NONE: no account.  Returns the new call's id, 0 on error. */
guint               jarchi_call_manager_dial              (JarchiCallManager  *self,
                                                           const char         *to,
                                                           guint               account_id,
                                                           GError            **error);
/* Answering puts the other active calls on hold (call waiting). */
gboolean            jarchi_call_manager_answer            (JarchiCallManager  *self,
                                                           guint               call_id,
                                                           GError            **error);
/* CODE: 486 (busy) or 603 (decline); 0 means 486. */
gboolean            jarchi_call_manager_reject            (JarchiCallManager  *self,
                                                           guint               call_id,
                                                           guint               code,
                                                           GError            **error);
/* As reject(), with REASON (e.g. "do not disturb") kept as the call's end reason, and so in
 * History, instead of the generic "rejected". */
gboolean            jarchi_call_manager_reject_with_reason (JarchiCallManager *self,
                                                           guint               call_id,
                                                           guint               code,
                                                           const char         *reason,
                                                           GError            **error);
/* BYE, or CANCEL while ringing, or 486 for an unanswered incoming call. */
gboolean            jarchi_call_manager_hangup            (JarchiCallManager  *self,
                                                           guint               call_id,
                                                           GError            **error);
gboolean            jarchi_call_manager_hold              (JarchiCallManager  *self,
                                                           guint               call_id,
                                                           GError            **error);
gboolean            jarchi_call_manager_resume            (JarchiCallManager  *self,
                                                           guint               call_id,
                                                           GError            **error);
gboolean            jarchi_call_manager_transfer_blind    (JarchiCallManager  *self,
                                                           guint               call_id,
                                                           const char         *to,
                                                           GError            **error);
/* Connects the peers of CALL_ID and OTHER_CALL_ID (REFER with Replaces), then both end. */
gboolean            jarchi_call_manager_transfer_attended (JarchiCallManager  *self,
                                                           guint               call_id,
                                                           guint               other_call_id,
                                                           GError            **error);
/* DIGITS: 0-9 * # A-D, sent one after another: RFC 4733 through the media session, or SIP
 * INFO when the call's account says so. */
gboolean            jarchi_call_manager_send_dtmf         (JarchiCallManager  *self,
                                                           guint               call_id,
                                                           const char         *digits,
                                                           GError            **error);

/* Recording of one call, started and stopped at will while it is answered.  The first start
 * opens DATA_DIR/recordings/call-TIME-ID.ogg (0600); a stop afterwards puts silence in that
 * file until the next start, so a call keeps one recording as long as itself.  Errors:
 * NOT_FOUND, INVALID_ARGUMENT (not answered), MEDIA (no media yet), FAILED (no data dir). */
gboolean            jarchi_call_manager_set_recording     (JarchiCallManager  *self,
                                                           guint               call_id,
                                                           gboolean            record,
                                                           GError            **error);
/* TRUE while the call's audio goes to its recording (started and not stopped). */
gboolean            jarchi_call_manager_get_recording     (JarchiCallManager  *self,
                                                           guint               call_id);
/* Actions for the UI to insert (e.g. as "calls"): "record" ((ub): call id, on/off) and
 * "toggle-record" (u: call id).  Failures are logged, not raised. */
GActionGroup       *jarchi_call_manager_get_actions       (JarchiCallManager  *self);

/* Properties: "ring-timeout" (guint seconds an outgoing call may ring, 0 = no limit; 60),
 *   "sip-port" (ro), "accounts" (GListModel, ro), "n-calls" (ro).
 * Signals:
 *   ::incoming-call (JarchiCall)         a new incoming call, already in the model
 *   ::call-ended (JarchiCall)            emitted before the call leaves the model
 *   ::dtmf-received (guint call_id, gchar digit, JarchiDtmfMethod method)
 *   ::transfer-progress (guint call_id, guint sip_code)   NOTIFYs of our REFER
 *   ::recording-changed (guint call_id, gboolean recording)  set_recording() took effect */

G_END_DECLS
