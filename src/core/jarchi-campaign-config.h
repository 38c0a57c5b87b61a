/* JarchiCampaignConfig: a broadcast campaign's validated settings (targets, message, menu, limits, retries, window). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "jarchi-campaign-types.h"

G_BEGIN_DECLS

typedef struct {
  guint count;    /* retries after the first attempt ending this way */
  guint delay_s;
} JarchiRetryRule;

/* Bit (1 << 0) is Monday ... (1 << 6) Sunday, as g_date_time_get_day_of_week () - 1. */
#define JARCHI_WEEKDAYS_ALL 0x7f

typedef struct {
  char            *name;
  guint            account_id;            /* 0: not chosen yet (allowed in a draft) */
  GArray          *departments;           /* gint64 ids */
  GArray          *districts;
  GArray          *contacts;
  guint            media_id;              /* 0: none yet */
  char            *tts_text;              /* the spoken form, when given instead of media */
  char            *tts_lang;
  char             confirm_digit;         /* '\0': disabled */
  char             repeat_digit;
  char             opt_out_digit;
  guint            max_repeats;
  guint            menu_timeout_s;
  guint            max_concurrent;
  double           cps;
  guint            ring_timeout_s;
  JarchiRetryRule  retries[JARCHI_N_RETRY_KINDS];
  gboolean         has_window;
  guint            window_days;           /* JARCHI_WEEKDAYS_* bits */
  guint            window_start_min;      /* minutes after midnight, local time */
  guint            window_end_min;        /* < start: the window runs past midnight */
  gint64           start_at;              /* unix seconds; 0: as soon as started */
} JarchiCampaignConfig;

#define JARCHI_TYPE_CAMPAIGN_CONFIG (jarchi_campaign_config_get_type ())
GType                 jarchi_campaign_config_get_type   (void) G_GNUC_CONST;

JarchiCampaignConfig *jarchi_campaign_config_new        (void);
JarchiCampaignConfig *jarchi_campaign_config_copy       (const JarchiCampaignConfig *cfg);
void                  jarchi_campaign_config_free       (JarchiCampaignConfig       *cfg);

/* Parses and validates the POST /api/campaigns shape; members not given take defaults.
 * Read-only members of GET (id, state, stats, timestamps) are ignored, unknown ones refused. */
JarchiCampaignConfig *jarchi_campaign_config_from_json  (JsonNode                   *node,
                                                         GError                    **error);
/* Applies the members of PATCH on top of @cfg and validates the result as a whole. */
JarchiCampaignConfig *jarchi_campaign_config_patch      (const JarchiCampaignConfig *cfg,
                                                         JsonNode                   *patch,
                                                         GError                    **error);
/* Adds the settings as members of the object being built (same shape as the POST body). */
void                  jarchi_campaign_config_add_json   (const JarchiCampaignConfig *cfg,
                                                         JsonBuilder                *builder);
JsonNode             *jarchi_campaign_config_to_json    (const JarchiCampaignConfig *cfg);
/* What a draft may lack but a started campaign may not: an account, a message, some targets. */
gboolean              jarchi_campaign_config_check_startable (const JarchiCampaignConfig *cfg,
                                                              GError                    **error);

/* Calling-hours window, in the time zone of @now. A window whose end is before its start runs
 * past midnight and belongs to the day it opens on. Always TRUE without a window. */
gboolean              jarchi_campaign_config_in_window  (const JarchiCampaignConfig *cfg,
                                                         GDateTime                  *now);
/* @now when inside the window, else the next moment the window opens (NULL: never). */
GDateTime            *jarchi_campaign_config_next_window (const JarchiCampaignConfig *cfg,
                                                          GDateTime                  *now);

/* @n_so_far: attempts of this target that already ended under @kind, the latest included.
 * TRUE (and the delay) when the rule allows another attempt. */
gboolean              jarchi_campaign_config_should_retry (const JarchiCampaignConfig *cfg,
                                                           JarchiRetryKind             kind,
                                                           guint                       n_so_far,
                                                           guint                      *delay_s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JarchiCampaignConfig, jarchi_campaign_config_free)

G_END_DECLS
