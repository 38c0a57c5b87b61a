/* JarchiCampaignDialer: the campaign runner's only view of a call engine — place, replay, hang up, and call events. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How a campaign call ended. */
typedef enum {
  JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US,
  JARCHI_DIAL_OUTCOME_REMOTE_HANGUP,    /* answered, then the callee hung up */
  JARCHI_DIAL_OUTCOME_BUSY,             /* 486, 600 */
  JARCHI_DIAL_OUTCOME_NO_ANSWER,        /* ring timeout, 408, 480, 487 */
  JARCHI_DIAL_OUTCOME_FAILED,           /* anything else: network, 4xx/5xx, media */
  JARCHI_DIAL_OUTCOME_REJECTED,         /* 603 Decline: the callee refused it */
} JarchiDialOutcome;

#define JARCHI_TYPE_DIAL_OUTCOME (jarchi_dial_outcome_get_type ())
GType jarchi_dial_outcome_get_type (void) G_GNUC_CONST;

/* The outcome a final SIP response code of an unanswered call stands for. */
JarchiDialOutcome jarchi_dial_outcome_from_sip_code (guint sip_code);

#define JARCHI_TYPE_CAMPAIGN_DIALER (jarchi_campaign_dialer_get_type ())
G_DECLARE_INTERFACE (JarchiCampaignDialer, jarchi_campaign_dialer, JARCHI, CAMPAIGN_DIALER, GObject)

/*
 * The contract, for implementations:
 * - place_call () returns a call id unique within the dialer (never 0), or 0 and an error.
 *   No signal may be emitted from inside place_call (); every event arrives later on the main
 *   context, so the runner can record the call id first.
 * - For every call id returned, exactly one ::call-ended follows, also after hangup ().
 * - ::call-answered comes at most once, before the message starts to play; the message plays
 *   once per answer and per replay (); ::playback-finished when it was sent to the end.
 * - ::call-dtmf reports each key once, whatever the method (RFC 4733, SIP INFO, in-band).
 */
struct _JarchiCampaignDialerInterface
{
  GTypeInterface parent_iface;

  guint    (*place_call) (JarchiCampaignDialer *self,
                          guint                 account_id,
                          const char           *phone,
                          guint                 media_id,
                          guint                 ring_timeout_s,
                          GError              **error);
  gboolean (*replay)     (JarchiCampaignDialer *self,
                          guint                 call_id,
                          GError              **error);
  gboolean (*hangup)     (JarchiCampaignDialer *self,
                          guint                 call_id,
                          GError              **error);
};

guint    jarchi_campaign_dialer_place_call (JarchiCampaignDialer *self,
                                            guint                 account_id,
                                            const char           *phone,
                                            guint                 media_id,
                                            guint                 ring_timeout_s,
                                            GError              **error);
gboolean jarchi_campaign_dialer_replay     (JarchiCampaignDialer *self,
                                            guint                 call_id,
                                            GError              **error);
gboolean jarchi_campaign_dialer_hangup     (JarchiCampaignDialer *self,
                                            guint                 call_id,
                                            GError              **error);

/* For implementations: emit the interface's signals. */
void     jarchi_campaign_dialer_emit_call_answered     (JarchiCampaignDialer *self,
                                                        guint                 call_id);
void     jarchi_campaign_dialer_emit_call_dtmf         (JarchiCampaignDialer *self,
                                                        guint                 call_id,
                                                        char                  digit,
                                                        guint                 method);
void     jarchi_campaign_dialer_emit_playback_finished (JarchiCampaignDialer *self,
                                                        guint                 call_id);
void     jarchi_campaign_dialer_emit_call_ended        (JarchiCampaignDialer *self,
                                                        guint                 call_id,
                                                        guint                 sip_code,
                                                        JarchiDialOutcome     outcome);

/* Signals:
 *  ::call-answered     (guint call_id)
 *  ::call-dtmf         (guint call_id, gchar digit, guint method)  method: JarchiDtmfMethod
 *  ::playback-finished (guint call_id)
 *  ::call-ended        (guint call_id, guint sip_code, guint outcome)  outcome: JarchiDialOutcome
 */

G_END_DECLS
