/* JarchiCall: the GLib-side view of one SIP call (who, which way, state, timestamps, outcome). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-call.h"

G_DEFINE_ENUM_TYPE (JarchiCallDirection, jarchi_call_direction,
  G_DEFINE_ENUM_VALUE (JARCHI_CALL_DIRECTION_INCOMING, "incoming"),
  G_DEFINE_ENUM_VALUE (JARCHI_CALL_DIRECTION_OUTGOING, "outgoing"))

G_DEFINE_ENUM_TYPE (JarchiCallState, jarchi_call_state,
  G_DEFINE_ENUM_VALUE (JARCHI_CALL_STATE_INCOMING, "incoming"),
  G_DEFINE_ENUM_VALUE (JARCHI_CALL_STATE_DIALING, "dialing"),
  G_DEFINE_ENUM_VALUE (JARCHI_CALL_STATE_RINGING, "ringing"),
  G_DEFINE_ENUM_VALUE (JARCHI_CALL_STATE_EARLY_MEDIA, "early-media"),
  G_DEFINE_ENUM_VALUE (JARCHI_CALL_STATE_ACTIVE, "active"),
  G_DEFINE_ENUM_VALUE (JARCHI_CALL_STATE_HELD, "held"),
  G_DEFINE_ENUM_VALUE (JARCHI_CALL_STATE_REMOTE_HELD, "remote-held"),
  G_DEFINE_ENUM_VALUE (JARCHI_CALL_STATE_TRANSFERRING, "transferring"),
  G_DEFINE_ENUM_VALUE (JARCHI_CALL_STATE_ENDED, "ended"))

struct _JarchiCall
{
  GObject              parent_instance;
  guint                id;
  guint                account_id;
  JarchiCallDirection  direction;
  char                *remote_uri;
  char                *remote_name;
  JarchiCallState      state;
  gint64               started_at;
  gint64               answered_at;
  gint64               ended_at;
  char                *end_reason;
  guint                sip_code;
  char                *recording_path;
};

G_DEFINE_FINAL_TYPE (JarchiCall, jarchi_call, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ACCOUNT_ID,
  PROP_DIRECTION,
  PROP_REMOTE_URI,
  PROP_REMOTE_NAME,
  PROP_STATE,
  PROP_STARTED_AT,
  PROP_ANSWERED_AT,
  PROP_ENDED_AT,
  PROP_END_REASON,
  PROP_SIP_CODE,
  PROP_RECORDING_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
notify (JarchiCall *self,
        guint       prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static gboolean
replace_str (char       **field,
             const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
jarchi_call_finalize (GObject *object)
{
  JarchiCall *self = JARCHI_CALL (object);

  g_free (self->remote_uri);
  g_free (self->remote_name);
  g_free (self->end_reason);
  g_free (self->recording_path);

  G_OBJECT_CLASS (jarchi_call_parent_class)->finalize (object);
}

static void
jarchi_call_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  JarchiCall *self = JARCHI_CALL (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_uint (value, self->id); break;
    case PROP_ACCOUNT_ID: g_value_set_uint (value, self->account_id); break;
    case PROP_DIRECTION: g_value_set_enum (value, self->direction); break;
    case PROP_REMOTE_URI: g_value_set_string (value, self->remote_uri); break;
    case PROP_REMOTE_NAME: g_value_set_string (value, self->remote_name); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_STARTED_AT: g_value_set_int64 (value, self->started_at); break;
    case PROP_ANSWERED_AT: g_value_set_int64 (value, self->answered_at); break;
    case PROP_ENDED_AT: g_value_set_int64 (value, self->ended_at); break;
    case PROP_END_REASON: g_value_set_string (value, self->end_reason); break;
    case PROP_SIP_CODE: g_value_set_uint (value, self->sip_code); break;
    case PROP_RECORDING_PATH: g_value_set_string (value, self->recording_path); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_call_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  JarchiCall *self = JARCHI_CALL (object);

  switch (prop_id)
    {
    case PROP_ID: self->id = g_value_get_uint (value); break;
    case PROP_ACCOUNT_ID: self->account_id = g_value_get_uint (value); break;
    case PROP_DIRECTION: self->direction = g_value_get_enum (value); break;
    case PROP_REMOTE_URI: replace_str (&self->remote_uri, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_call_class_init (JarchiCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = jarchi_call_finalize;
  object_class->get_property = jarchi_call_get_property;
  object_class->set_property = jarchi_call_set_property;

  properties[PROP_ID] = g_param_spec_uint ("id", NULL, NULL, 0, G_MAXUINT, 0, co);
  properties[PROP_ACCOUNT_ID] = g_param_spec_uint ("account-id", NULL, NULL, 0, G_MAXUINT, 0, co);
  properties[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL, JARCHI_TYPE_CALL_DIRECTION,
                       JARCHI_CALL_DIRECTION_OUTGOING, co);
  properties[PROP_REMOTE_URI] = g_param_spec_string ("remote-uri", NULL, NULL, NULL, co);
  properties[PROP_REMOTE_NAME] = g_param_spec_string ("remote-name", NULL, NULL, NULL, ro);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, JARCHI_TYPE_CALL_STATE,
                                              JARCHI_CALL_STATE_DIALING, ro);
  properties[PROP_STARTED_AT] =
    g_param_spec_int64 ("started-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_ANSWERED_AT] =
    g_param_spec_int64 ("answered-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_ENDED_AT] = g_param_spec_int64 ("ended-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_END_REASON] = g_param_spec_string ("end-reason", NULL, NULL, NULL, ro);
  properties[PROP_SIP_CODE] = g_param_spec_uint ("sip-code", NULL, NULL, 0, 699, 0, ro);
  properties[PROP_RECORDING_PATH] = g_param_spec_string ("recording-path", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_call_init (JarchiCall *self)
{
  self->started_at = g_get_real_time ();
}

JarchiCall *
jarchi_call_new (guint                id,
                 guint                account_id,
                 JarchiCallDirection  direction,
                 const char          *remote_uri)
{
  JarchiCall *self = g_object_new (JARCHI_TYPE_CALL, "id", id, "account-id", account_id,
                                   "direction", direction, "remote-uri", remote_uri, NULL);

  self->state = direction == JARCHI_CALL_DIRECTION_INCOMING ? JARCHI_CALL_STATE_INCOMING
                                                            : JARCHI_CALL_STATE_DIALING;
  return self;
}

#define GETTER(type, name, field) \
  type jarchi_call_get_##name (JarchiCall *self) \
  { \
    g_return_val_if_fail (JARCHI_IS_CALL (self), (type) 0); \
    return self->field; \
  }

GETTER (guint, id, id)
GETTER (guint, account_id, account_id)
GETTER (JarchiCallDirection, direction, direction)
GETTER (const char *, remote_uri, remote_uri)
GETTER (const char *, remote_name, remote_name)
GETTER (JarchiCallState, state, state)
GETTER (gint64, started_at, started_at)
GETTER (gint64, answered_at, answered_at)
GETTER (gint64, ended_at, ended_at)
GETTER (const char *, end_reason, end_reason)
GETTER (guint, sip_code, sip_code)
GETTER (const char *, recording_path, recording_path)

#undef GETTER

gint64
jarchi_call_get_duration (JarchiCall *self)
{
  gint64 end;

  g_return_val_if_fail (JARCHI_IS_CALL (self), 0);
  if (self->answered_at == 0)
    return 0;
  end = self->ended_at ? self->ended_at : g_get_real_time ();
  return (end - self->answered_at) / G_USEC_PER_SEC;
}

gboolean
jarchi_call_is_ended (JarchiCall *self)
{
  g_return_val_if_fail (JARCHI_IS_CALL (self), TRUE);
  return self->state == JARCHI_CALL_STATE_ENDED;
}

void
jarchi_call_set_state (JarchiCall      *self,
                       JarchiCallState  state)
{
  g_return_if_fail (JARCHI_IS_CALL (self));

  /* An ended call stays ended: late events from the engine must not revive it. */
  if (self->state == state || self->state == JARCHI_CALL_STATE_ENDED)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->state = state;
  if (state == JARCHI_CALL_STATE_ACTIVE && self->answered_at == 0)
    {
      self->answered_at = g_get_real_time ();
      notify (self, PROP_ANSWERED_AT);
    }
  if (state == JARCHI_CALL_STATE_ENDED)
    {
      self->ended_at = g_get_real_time ();
      notify (self, PROP_ENDED_AT);
    }
  notify (self, PROP_STATE);
  g_object_thaw_notify (G_OBJECT (self));
}

void
jarchi_call_set_remote_name (JarchiCall *self,
                             const char *name)
{
  g_return_if_fail (JARCHI_IS_CALL (self));
  if (replace_str (&self->remote_name, name))
    notify (self, PROP_REMOTE_NAME);
}

void
jarchi_call_set_sip_code (JarchiCall *self,
                          guint       code)
{
  g_return_if_fail (JARCHI_IS_CALL (self));
  if (self->sip_code != code)
    {
      self->sip_code = code;
      notify (self, PROP_SIP_CODE);
    }
}

void
jarchi_call_set_recording_path (JarchiCall *self,
                                const char *path)
{
  g_return_if_fail (JARCHI_IS_CALL (self));
  if (replace_str (&self->recording_path, path))
    notify (self, PROP_RECORDING_PATH);
}

void
jarchi_call_end (JarchiCall *self,
                 guint       code,
                 const char *reason)
{
  g_return_if_fail (JARCHI_IS_CALL (self));
  if (self->state == JARCHI_CALL_STATE_ENDED)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (replace_str (&self->end_reason, reason))
    notify (self, PROP_END_REASON);
  jarchi_call_set_sip_code (self, code);
  jarchi_call_set_state (self, JARCHI_CALL_STATE_ENDED);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
jarchi_call_state_to_string (JarchiCallState state)
{
  GEnumClass *klass = g_type_class_ref (JARCHI_TYPE_CALL_STATE);
  GEnumValue *v = g_enum_get_value (klass, state);
  const char *nick = v ? v->value_nick : NULL;

  g_type_class_unref (klass);
  return nick;
}
