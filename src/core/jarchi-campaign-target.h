/* JarchiCampaignTarget: one frozen target of a started campaign, with its result so far. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "jarchi-campaign-types.h"

G_BEGIN_DECLS

typedef struct {
  gint64              id;
  gint64              contact_id;      /* 0 once the contact was deleted */
  char               *name;            /* as the contact was when the campaign started */
  char               *phone;
  char               *department;
  char               *district;
  JarchiTargetResult  result;
  guint               attempts;
  guint               last_code;       /* last SIP final response code, 0: none */
  char               *digits;          /* every key pressed, over all attempts */
  gint64              next_attempt_at; /* unix seconds of a scheduled retry, 0: none */
  gint64              answered_at;     /* unix seconds, 0: never */
  gint64              ended_at;
  GArray             *calls;           /* gint64 ids of the attempts' rows in call history */
} JarchiCampaignTarget;

#define JARCHI_TYPE_CAMPAIGN_TARGET (jarchi_campaign_target_get_type ())
GType                 jarchi_campaign_target_get_type (void) G_GNUC_CONST;

JarchiCampaignTarget *jarchi_campaign_target_new      (void);
JarchiCampaignTarget *jarchi_campaign_target_copy     (const JarchiCampaignTarget *target);
void                  jarchi_campaign_target_free     (JarchiCampaignTarget       *target);
/* The item shape of GET /api/campaigns/{id}/targets. */
JsonNode             *jarchi_campaign_target_to_json  (const JarchiCampaignTarget *target);

/* report.csv: the header line, and one line per target (RFC 4180, CRLF, times ISO 8601). */
void                  jarchi_campaign_target_csv_header (GString                  *out);
void                  jarchi_campaign_target_csv_row    (const JarchiCampaignTarget *target,
                                                         GString                  *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JarchiCampaignTarget, jarchi_campaign_target_free)

G_END_DECLS
