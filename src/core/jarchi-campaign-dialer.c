/* JarchiCampaignDialer: the interface between the campaign runner and whatever places its calls. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-campaign-dialer.h"
#include "jarchi-error.h"

G_DEFINE_ENUM_TYPE (JarchiDialOutcome, jarchi_dial_outcome,
  G_DEFINE_ENUM_VALUE (JARCHI_DIAL_OUTCOME_ANSWERED_HANGUP_BY_US, "answered-hangup-by-us"),
  G_DEFINE_ENUM_VALUE (JARCHI_DIAL_OUTCOME_REMOTE_HANGUP, "remote-hangup"),
  G_DEFINE_ENUM_VALUE (JARCHI_DIAL_OUTCOME_BUSY, "busy"),
  G_DEFINE_ENUM_VALUE (JARCHI_DIAL_OUTCOME_NO_ANSWER, "no-answer"),
  G_DEFINE_ENUM_VALUE (JARCHI_DIAL_OUTCOME_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (JARCHI_DIAL_OUTCOME_REJECTED, "rejected"))

G_DEFINE_INTERFACE (JarchiCampaignDialer, jarchi_campaign_dialer, G_TYPE_OBJECT)

enum {
  SIGNAL_CALL_ANSWERED,
  SIGNAL_CALL_DTMF,
  SIGNAL_PLAYBACK_FINISHED,
  SIGNAL_CALL_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

JarchiDialOutcome
jarchi_dial_outcome_from_sip_code (guint sip_code)
{
  switch (sip_code)
    {
    case 486:
    case 600:
      return JARCHI_DIAL_OUTCOME_BUSY;
    case 408:
    case 480:
    case 487:
      return JARCHI_DIAL_OUTCOME_NO_ANSWER;
    case 603:
      return JARCHI_DIAL_OUTCOME_REJECTED;
    default:
      return JARCHI_DIAL_OUTCOME_FAILED;
    }
}

static void
jarchi_campaign_dialer_default_init (JarchiCampaignDialerInterface *iface)
{
  signals[SIGNAL_CALL_ANSWERED] =
    g_signal_new ("call-answered", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_CALL_DTMF] =
    g_signal_new ("call-dtmf", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_CHAR, G_TYPE_UINT);
  signals[SIGNAL_PLAYBACK_FINISHED] =
    g_signal_new ("playback-finished", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_CALL_ENDED] =
    g_signal_new ("call-ended", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
}

guint
jarchi_campaign_dialer_place_call (JarchiCampaignDialer *self, guint account_id, const char *phone,
                                   guint media_id, guint ring_timeout_s, GError **error)
{
  JarchiCampaignDialerInterface *iface;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_DIALER (self), 0);
  g_return_val_if_fail (phone != NULL, 0);

  iface = JARCHI_CAMPAIGN_DIALER_GET_IFACE (self);
  g_return_val_if_fail (iface->place_call != NULL, 0);
  return iface->place_call (self, account_id, phone, media_id, ring_timeout_s, error);
}

gboolean
jarchi_campaign_dialer_replay (JarchiCampaignDialer *self, guint call_id, GError **error)
{
  JarchiCampaignDialerInterface *iface;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_DIALER (self), FALSE);

  iface = JARCHI_CAMPAIGN_DIALER_GET_IFACE (self);
  if (iface->replay == NULL)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_UNSUPPORTED,
                   _("This call engine cannot play the message again"));
      return FALSE;
    }
  return iface->replay (self, call_id, error);
}

gboolean
jarchi_campaign_dialer_hangup (JarchiCampaignDialer *self, guint call_id, GError **error)
{
  JarchiCampaignDialerInterface *iface;

  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_DIALER (self), FALSE);

  iface = JARCHI_CAMPAIGN_DIALER_GET_IFACE (self);
  g_return_val_if_fail (iface->hangup != NULL, FALSE);
  return iface->hangup (self, call_id, error);
}

void
jarchi_campaign_dialer_emit_call_answered (JarchiCampaignDialer *self, guint call_id)
{
  g_return_if_fail (JARCHI_IS_CAMPAIGN_DIALER (self));
  g_signal_emit (self, signals[SIGNAL_CALL_ANSWERED], 0, call_id);
}

void
jarchi_campaign_dialer_emit_call_dtmf (JarchiCampaignDialer *self, guint call_id, char digit, guint method)
{
  g_return_if_fail (JARCHI_IS_CAMPAIGN_DIALER (self));
  g_signal_emit (self, signals[SIGNAL_CALL_DTMF], 0, call_id, digit, method);
}

void
jarchi_campaign_dialer_emit_playback_finished (JarchiCampaignDialer *self, guint call_id)
{
  g_return_if_fail (JARCHI_IS_CAMPAIGN_DIALER (self));
  g_signal_emit (self, signals[SIGNAL_PLAYBACK_FINISHED], 0, call_id);
}

void
jarchi_campaign_dialer_emit_call_ended (JarchiCampaignDialer *self, guint call_id, guint sip_code,
                                        JarchiDialOutcome outcome)
{
  g_return_if_fail (JARCHI_IS_CAMPAIGN_DIALER (self));
  g_signal_emit (self, signals[SIGNAL_CALL_ENDED], 0, call_id, sip_code, (guint) outcome);
}
