/* JarchiCall: the GLib-side view of one SIP call (who, which way, state, timestamps, outcome). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  JARCHI_CALL_DIRECTION_INCOMING,
  JARCHI_CALL_DIRECTION_OUTGOING,
} JarchiCallDirection;

typedef enum {
  JARCHI_CALL_STATE_INCOMING,
  JARCHI_CALL_STATE_DIALING,
  JARCHI_CALL_STATE_RINGING,
  JARCHI_CALL_STATE_EARLY_MEDIA,
  JARCHI_CALL_STATE_ACTIVE,
  JARCHI_CALL_STATE_HELD,
  JARCHI_CALL_STATE_REMOTE_HELD,
  JARCHI_CALL_STATE_TRANSFERRING,
  JARCHI_CALL_STATE_ENDED,
} JarchiCallState;

GType jarchi_call_direction_get_type (void) G_GNUC_CONST;
GType jarchi_call_state_get_type     (void) G_GNUC_CONST;
#define JARCHI_TYPE_CALL_DIRECTION (jarchi_call_direction_get_type ())
#define JARCHI_TYPE_CALL_STATE     (jarchi_call_state_get_type ())

#define JARCHI_TYPE_CALL (jarchi_call_get_type ())
G_DECLARE_FINAL_TYPE (JarchiCall, jarchi_call, JARCHI, CALL, GObject)

JarchiCall          *jarchi_call_new                (guint                id,
                                                     guint                account_id,
                                                     JarchiCallDirection  direction,
                                                     const char          *remote_uri);
guint                jarchi_call_get_id             (JarchiCall *self);
guint                jarchi_call_get_account_id     (JarchiCall *self);
JarchiCallDirection  jarchi_call_get_direction      (JarchiCall *self);
const char          *jarchi_call_get_remote_uri     (JarchiCall *self);
const char          *jarchi_call_get_remote_name    (JarchiCall *self);
JarchiCallState      jarchi_call_get_state          (JarchiCall *self);
/* Unix times in microseconds; 0 until the event happened. */
gint64               jarchi_call_get_started_at     (JarchiCall *self);
gint64               jarchi_call_get_answered_at    (JarchiCall *self);
gint64               jarchi_call_get_ended_at       (JarchiCall *self);
/* Translated, e.g. "busy", "remote hung up"; NULL while the call lasts. */
const char          *jarchi_call_get_end_reason     (JarchiCall *self);
guint                jarchi_call_get_sip_code       (JarchiCall *self);
const char          *jarchi_call_get_recording_path (JarchiCall *self);
/* Seconds between answer and end (or now); 0 when never answered. */
gint64               jarchi_call_get_duration       (JarchiCall *self);
gboolean             jarchi_call_is_ended           (JarchiCall *self);

/* Used by JarchiCallManager. Setting a state stamps answered-at/ended-at. */
void                 jarchi_call_set_state          (JarchiCall      *self,
                                                     JarchiCallState  state);
void                 jarchi_call_set_remote_name    (JarchiCall      *self,
                                                     const char      *name);
void                 jarchi_call_set_sip_code       (JarchiCall      *self,
                                                     guint            code);
void                 jarchi_call_set_recording_path (JarchiCall      *self,
                                                     const char      *path);
/* Ends the call: sets end-reason and sip-code, then state ENDED. */
void                 jarchi_call_end                (JarchiCall      *self,
                                                     guint            code,
                                                     const char      *reason);

const char          *jarchi_call_state_to_string    (JarchiCallState state);

G_END_DECLS
