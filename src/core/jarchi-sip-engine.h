/* JarchiSipEngine: runs libre (SIP) in its own thread; commands in by id, events out as signals. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "jarchi-account.h"
#include "jarchi-call.h"

G_BEGIN_DECLS

/* Media direction as negotiated in SDP, seen from our side. */
typedef enum {
  JARCHI_SIP_DIR_INACTIVE = 0,
  JARCHI_SIP_DIR_RECVONLY = 1,
  JARCHI_SIP_DIR_SENDONLY = 2,
  JARCHI_SIP_DIR_SENDRECV = 3,
} JarchiSipDirection;

#define JARCHI_TYPE_SIP_ENGINE (jarchi_sip_engine_get_type ())
G_DECLARE_FINAL_TYPE (JarchiSipEngine, jarchi_sip_engine, JARCHI, SIP_ENGINE, GObject)

/* Starts the libre thread and binds UDP and TCP on LOCAL_ADDRESS:SIP_PORT (0: any free port;
 * NULL address: 0.0.0.0).  Events are delivered to the thread-default main context of the
 * caller.  Only one engine may exist per process (libre's state is global). */
JarchiSipEngine *jarchi_sip_engine_new             (const char       *local_address,
                                                    guint             sip_port,
                                                    GError          **error);
guint            jarchi_sip_engine_get_port        (JarchiSipEngine  *self);
const char      *jarchi_sip_engine_get_local_address (JarchiSipEngine *self);
/* Sends every un-REGISTER, waits a bounded moment for them, stops and joins the thread.
 * Idempotent; dispose calls it too. */
void             jarchi_sip_engine_shutdown        (JarchiSipEngine  *self);

/* Ids of calls: unique over both directions, never 0.  With a call id file (in the data
 * dir), also unique across runs: ids continue past those of earlier runs.  Any thread. */
guint            jarchi_sip_engine_new_call_id     (JarchiSipEngine  *self);
/* Main thread, before the first call. */
void             jarchi_sip_engine_set_call_id_file (JarchiSipEngine *self,
                                                     const char      *path);

/* Accounts.  The account's settings are copied: call again after changing them. */
gboolean         jarchi_sip_engine_register        (JarchiSipEngine  *self,
                                                    JarchiAccount    *account,
                                                    GError          **error);
gboolean         jarchi_sip_engine_unregister      (JarchiSipEngine  *self,
                                                    guint             account_id,
                                                    GError          **error);

/* Calls.  MEDIA_PORT is the RTP port of the call's media session, put in our SDP.
 * Failures after the command left are reported through ::call-ended. */
gboolean         jarchi_sip_engine_dial            (JarchiSipEngine  *self,
                                                    guint             call_id,
                                                    guint             account_id,
                                                    const char       *uri,
                                                    guint16           media_port,
                                                    guint             ring_timeout_s,
                                                    const char       *replaces,
                                                    GError          **error);
gboolean         jarchi_sip_engine_answer          (JarchiSipEngine  *self,
                                                    guint             call_id,
                                                    guint16           media_port,
                                                    GError          **error);
gboolean         jarchi_sip_engine_reject          (JarchiSipEngine  *self,
                                                    guint             call_id,
                                                    guint             code,
                                                    GError          **error);
gboolean         jarchi_sip_engine_hangup          (JarchiSipEngine  *self,
                                                    guint             call_id,
                                                    GError          **error);
gboolean         jarchi_sip_engine_hold            (JarchiSipEngine  *self,
                                                    guint             call_id,
                                                    gboolean          hold,
                                                    GError          **error);
gboolean         jarchi_sip_engine_send_info_dtmf  (JarchiSipEngine  *self,
                                                    guint             call_id,
                                                    char              digit,
                                                    guint             duration_ms,
                                                    GError          **error);
/* REFER: blind when OTHER_CALL_ID is 0, else attended (Refer-To carries Replaces of the other
 * call's dialog; TARGET is ignored). */
gboolean         jarchi_sip_engine_refer           (JarchiSipEngine  *self,
                                                    guint             call_id,
                                                    const char       *target,
                                                    guint             other_call_id,
                                                    GError          **error);
/* Progress of a transfer the peer asked us to make (::call-refer), as a NOTIFY sipfrag. */
gboolean         jarchi_sip_engine_notify_refer    (JarchiSipEngine  *self,
                                                    guint             call_id,
                                                    guint             code,
                                                    GError          **error);

/* Signals (all on the main context the engine was created in):
 *  ::registration-changed (guint account_id, guint JarchiRegistrationState, gchar *error,
 *                          guint expires)
 *  ::call-incoming  (guint call_id, guint account_id, gchar *remote_uri, gchar *remote_name,
 *                    guint replaces_call_id)
 *  ::call-progress  (guint call_id, guint JarchiCallState, guint sip_code)
 *  ::call-media     (guint call_id, gchar *host, guint port, gchar *codec, guint pt,
 *                    guint clock_rate, guint dtmf_pt, guint JarchiSipDirection,
 *                    gboolean remote_hold)
 *  ::call-ended     (guint call_id, guint sip_code, gchar *reason)
 *  ::call-dtmf      (guint call_id, gchar digit)                  SIP INFO digits
 *  ::call-refer     (guint call_id, gchar *target_uri, gchar *replaces)
 *  ::transfer-progress (guint call_id, guint sip_code)            NOTIFY for our REFER
 */

G_END_DECLS
