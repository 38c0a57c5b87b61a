/* JarchiAccount: one SIP account (identity, registrar, credentials) and its registration state. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "jarchi-account.h"
#include "jarchi-error.h"
#include "jarchi-sip-uri.h"

G_DEFINE_ENUM_TYPE (JarchiTransport, jarchi_transport,
  G_DEFINE_ENUM_VALUE (JARCHI_TRANSPORT_UDP, "udp"),
  G_DEFINE_ENUM_VALUE (JARCHI_TRANSPORT_TCP, "tcp"),
  G_DEFINE_ENUM_VALUE (JARCHI_TRANSPORT_TLS, "tls"))

G_DEFINE_ENUM_TYPE (JarchiDtmfMode, jarchi_dtmf_mode,
  G_DEFINE_ENUM_VALUE (JARCHI_DTMF_MODE_RFC4733, "rfc4733"),
  G_DEFINE_ENUM_VALUE (JARCHI_DTMF_MODE_INFO, "info"))

G_DEFINE_ENUM_TYPE (JarchiRegistrationState, jarchi_registration_state,
  G_DEFINE_ENUM_VALUE (JARCHI_REGISTRATION_UNREGISTERED, "unregistered"),
  G_DEFINE_ENUM_VALUE (JARCHI_REGISTRATION_REGISTERING, "registering"),
  G_DEFINE_ENUM_VALUE (JARCHI_REGISTRATION_REGISTERED, "registered"),
  G_DEFINE_ENUM_VALUE (JARCHI_REGISTRATION_FAILED, "failed"))

struct _JarchiAccount
{
  GObject                 parent_instance;
  guint                   id;
  char                   *uri;
  char                   *display_name;
  char                   *registrar;
  char                   *username;
  char                   *password;
  JarchiTransport         transport;
  char                   *outbound_proxy;
  gboolean                auto_answer;
  gboolean                record;
  JarchiDtmfMode          dtmf_mode;
  gboolean                tls_verify;
  guint                   expires;
  guint                   keepalive_interval;
  JarchiRegistrationState registration_state;
  char                   *registration_error;
  guint                   registration_expires;
};

G_DEFINE_FINAL_TYPE (JarchiAccount, jarchi_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_URI,
  PROP_DISPLAY_NAME,
  PROP_REGISTRAR,
  PROP_USERNAME,
  PROP_PASSWORD,
  PROP_TRANSPORT,
  PROP_OUTBOUND_PROXY,
  PROP_AUTO_ANSWER,
  PROP_RECORD,
  PROP_DTMF_MODE,
  PROP_TLS_VERIFY,
  PROP_EXPIRES,
  PROP_KEEPALIVE_INTERVAL,
  PROP_REGISTRATION_STATE,
  PROP_REGISTRATION_ERROR,
  PROP_REGISTRATION_EXPIRES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str() arrived in GLib 2.76; we target 2.74. */
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
set_string (JarchiAccount *self,
            char         **field,
            const char    *value,
            guint          prop)
{
  if (replace_str (field, value ? value : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
jarchi_account_finalize (GObject *object)
{
  JarchiAccount *self = JARCHI_ACCOUNT (object);

  g_free (self->uri);
  g_free (self->display_name);
  g_free (self->registrar);
  g_free (self->username);
  /* The password must not linger in freed heap memory. */
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->outbound_proxy);
  g_free (self->registration_error);

  G_OBJECT_CLASS (jarchi_account_parent_class)->finalize (object);
}

static void
jarchi_account_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  JarchiAccount *self = JARCHI_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_uint (value, self->id); break;
    case PROP_URI: g_value_set_string (value, self->uri); break;
    case PROP_DISPLAY_NAME: g_value_set_string (value, self->display_name); break;
    case PROP_REGISTRAR: g_value_set_string (value, self->registrar); break;
    case PROP_USERNAME: g_value_set_string (value, self->username); break;
    case PROP_PASSWORD: g_value_set_string (value, self->password); break;
    case PROP_TRANSPORT: g_value_set_enum (value, self->transport); break;
    case PROP_OUTBOUND_PROXY: g_value_set_string (value, self->outbound_proxy); break;
    case PROP_AUTO_ANSWER: g_value_set_boolean (value, self->auto_answer); break;
    case PROP_RECORD: g_value_set_boolean (value, self->record); break;
    case PROP_DTMF_MODE: g_value_set_enum (value, self->dtmf_mode); break;
    case PROP_TLS_VERIFY: g_value_set_boolean (value, self->tls_verify); break;
    case PROP_EXPIRES: g_value_set_uint (value, self->expires); break;
    case PROP_KEEPALIVE_INTERVAL: g_value_set_uint (value, self->keepalive_interval); break;
    case PROP_REGISTRATION_STATE: g_value_set_enum (value, self->registration_state); break;
    case PROP_REGISTRATION_ERROR: g_value_set_string (value, self->registration_error); break;
    case PROP_REGISTRATION_EXPIRES: g_value_set_uint (value, self->registration_expires); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_bool (JarchiAccount *self,
          gboolean      *field,
          gboolean       value,
          guint          prop)
{
  value = !!value;
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

static void
set_uint (JarchiAccount *self,
          guint         *field,
          guint          value,
          guint          prop)
{
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

static void
jarchi_account_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  JarchiAccount *self = JARCHI_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID: jarchi_account_set_id (self, g_value_get_uint (value)); break;
    case PROP_URI: set_string (self, &self->uri, g_value_get_string (value), prop_id); break;
    case PROP_DISPLAY_NAME:
      set_string (self, &self->display_name, g_value_get_string (value), prop_id);
      break;
    case PROP_REGISTRAR:
      set_string (self, &self->registrar, g_value_get_string (value), prop_id);
      break;
    case PROP_USERNAME:
      set_string (self, &self->username, g_value_get_string (value), prop_id);
      break;
    case PROP_PASSWORD:
      set_string (self, &self->password, g_value_get_string (value), prop_id);
      break;
    case PROP_TRANSPORT:
      set_uint (self, &self->transport, g_value_get_enum (value), prop_id);
      break;
    case PROP_OUTBOUND_PROXY:
      set_string (self, &self->outbound_proxy, g_value_get_string (value), prop_id);
      break;
    case PROP_AUTO_ANSWER:
      set_bool (self, &self->auto_answer, g_value_get_boolean (value), prop_id);
      break;
    case PROP_RECORD: set_bool (self, &self->record, g_value_get_boolean (value), prop_id); break;
    case PROP_DTMF_MODE:
      set_uint (self, &self->dtmf_mode, g_value_get_enum (value), prop_id);
      break;
    case PROP_TLS_VERIFY:
      set_bool (self, &self->tls_verify, g_value_get_boolean (value), prop_id);
      break;
    case PROP_EXPIRES: set_uint (self, &self->expires, g_value_get_uint (value), prop_id); break;
    case PROP_KEEPALIVE_INTERVAL:
      set_uint (self, &self->keepalive_interval, g_value_get_uint (value), prop_id);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_account_class_init (JarchiAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = jarchi_account_finalize;
  object_class->get_property = jarchi_account_get_property;
  object_class->set_property = jarchi_account_set_property;

  properties[PROP_ID] = g_param_spec_uint ("id", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_URI] = g_param_spec_string ("uri", NULL, NULL, "", rw);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, "", rw);
  properties[PROP_REGISTRAR] = g_param_spec_string ("registrar", NULL, NULL, "", rw);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, "", rw);
  properties[PROP_PASSWORD] = g_param_spec_string ("password", NULL, NULL, "", rw);
  properties[PROP_TRANSPORT] =
    g_param_spec_enum ("transport", NULL, NULL, JARCHI_TYPE_TRANSPORT, JARCHI_TRANSPORT_UDP, rw);
  properties[PROP_OUTBOUND_PROXY] = g_param_spec_string ("outbound-proxy", NULL, NULL, "", rw);
  properties[PROP_AUTO_ANSWER] = g_param_spec_boolean ("auto-answer", NULL, NULL, FALSE, rw);
  properties[PROP_RECORD] = g_param_spec_boolean ("record", NULL, NULL, FALSE, rw);
  properties[PROP_DTMF_MODE] = g_param_spec_enum ("dtmf-mode", NULL, NULL, JARCHI_TYPE_DTMF_MODE,
                                                  JARCHI_DTMF_MODE_RFC4733, rw);
  properties[PROP_TLS_VERIFY] = g_param_spec_boolean ("tls-verify", NULL, NULL, TRUE, rw);
  /* Requested registration lifetime in seconds. */
  properties[PROP_EXPIRES] = g_param_spec_uint ("expires", NULL, NULL, 10, 86400, 600, rw);
  /* Seconds between OPTIONS probes to the registrar while registered; a failed probe means
   * the registrar went away (and may have lost our binding), so we register again as soon as
   * it answers.  0 disables the probe. */
  properties[PROP_KEEPALIVE_INTERVAL] =
    g_param_spec_uint ("keepalive-interval", NULL, NULL, 0, 3600, 20, rw);
  properties[PROP_REGISTRATION_STATE] =
    g_param_spec_enum ("registration-state", NULL, NULL, JARCHI_TYPE_REGISTRATION_STATE,
                       JARCHI_REGISTRATION_UNREGISTERED, ro | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REGISTRATION_ERROR] =
    g_param_spec_string ("registration-error", NULL, NULL, NULL, ro | G_PARAM_EXPLICIT_NOTIFY);
  /* Lifetime the registrar granted; 0 when not registered. */
  properties[PROP_REGISTRATION_EXPIRES] =
    g_param_spec_uint ("registration-expires", NULL, NULL, 0, G_MAXUINT, 0,
                       ro | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_account_init (JarchiAccount *self)
{
  self->uri = g_strdup ("");
  self->display_name = g_strdup ("");
  self->registrar = g_strdup ("");
  self->username = g_strdup ("");
  self->password = g_strdup ("");
  self->outbound_proxy = g_strdup ("");
  self->tls_verify = TRUE;
  self->expires = 600;
  self->keepalive_interval = 20;
}

JarchiAccount *
jarchi_account_new (guint       id,
                    const char *uri)
{
  return g_object_new (JARCHI_TYPE_ACCOUNT, "id", id, "uri", uri, NULL);
}

guint
jarchi_account_get_id (JarchiAccount *self)
{
  g_return_val_if_fail (JARCHI_IS_ACCOUNT (self), 0);
  return self->id;
}

void
jarchi_account_set_id (JarchiAccount *self,
                       guint          id)
{
  g_return_if_fail (JARCHI_IS_ACCOUNT (self));
  set_uint (self, &self->id, id, PROP_ID);
}

#define GETTER(type, name, field) \
  type jarchi_account_get_##name (JarchiAccount *self) \
  { \
    g_return_val_if_fail (JARCHI_IS_ACCOUNT (self), (type) 0); \
    return self->field; \
  }

GETTER (const char *, uri, uri)
GETTER (const char *, display_name, display_name)
GETTER (const char *, registrar, registrar)
GETTER (const char *, username, username)
GETTER (const char *, password, password)
GETTER (JarchiTransport, transport, transport)
GETTER (const char *, outbound_proxy, outbound_proxy)
GETTER (gboolean, auto_answer, auto_answer)
GETTER (gboolean, record, record)
GETTER (JarchiDtmfMode, dtmf_mode, dtmf_mode)
GETTER (gboolean, tls_verify, tls_verify)
GETTER (guint, expires, expires)
GETTER (guint, keepalive_interval, keepalive_interval)
GETTER (JarchiRegistrationState, registration_state, registration_state)
GETTER (const char *, registration_error, registration_error)
GETTER (guint, registration_expires, registration_expires)

#undef GETTER

char *
jarchi_account_dup_user (JarchiAccount *self)
{
  g_autofree char *user = NULL;

  g_return_val_if_fail (JARCHI_IS_ACCOUNT (self), NULL);
  if (!jarchi_sip_uri_parse (self->uri, NULL, &user, NULL, NULL))
    return NULL;
  return g_steal_pointer (&user);
}

char *
jarchi_account_dup_domain (JarchiAccount *self)
{
  g_autofree char *host = NULL;
  guint port = 0;

  g_return_val_if_fail (JARCHI_IS_ACCOUNT (self), NULL);
  if (!jarchi_sip_uri_parse (self->uri, NULL, NULL, &host, &port))
    return NULL;
  if (port != 0)
    return g_strdup_printf ("%s:%u", host, port);
  return g_steal_pointer (&host);
}

char *
jarchi_account_dup_effective_registrar (JarchiAccount *self)
{
  g_autofree char *domain = NULL;

  g_return_val_if_fail (JARCHI_IS_ACCOUNT (self), NULL);
  if (*self->registrar != '\0')
    {
      if (g_ascii_strncasecmp (self->registrar, "sip:", 4) == 0 ||
          g_ascii_strncasecmp (self->registrar, "sips:", 5) == 0)
        return g_strdup (self->registrar);
      return g_strconcat ("sip:", self->registrar, NULL);
    }
  domain = jarchi_account_dup_domain (self);
  if (domain == NULL)
    return NULL;
  return g_strconcat ("sip:", domain, NULL);
}

gboolean
jarchi_account_validate (JarchiAccount  *self,
                         GError        **error)
{
  g_autofree char *user = NULL;
  g_autofree char *registrar = NULL;

  g_return_val_if_fail (JARCHI_IS_ACCOUNT (self), FALSE);
  if (!jarchi_sip_uri_parse (self->uri, NULL, &user, NULL, NULL) || user == NULL)
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an account address like sip:user@domain"), self->uri);
      return FALSE;
    }
  registrar = jarchi_account_dup_effective_registrar (self);
  if (registrar == NULL || !jarchi_sip_uri_parse (registrar, NULL, NULL, NULL, NULL))
    {
      g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a registrar address"), self->registrar);
      return FALSE;
    }
  if (*self->outbound_proxy != '\0')
    {
      g_autofree char *proxy = g_str_has_prefix (self->outbound_proxy, "sip")
                                 ? g_strdup (self->outbound_proxy)
                                 : g_strconcat ("sip:", self->outbound_proxy, NULL);
      if (!jarchi_sip_uri_parse (proxy, NULL, NULL, NULL, NULL))
        {
          g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not an outbound proxy address"), self->outbound_proxy);
          return FALSE;
        }
    }
  return TRUE;
}

void
jarchi_account_set_registration (JarchiAccount           *self,
                                 JarchiRegistrationState  state,
                                 const char              *error,
                                 guint                    expires)
{
  g_return_if_fail (JARCHI_IS_ACCOUNT (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (replace_str (&self->registration_error, error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTRATION_ERROR]);
  set_uint (self, &self->registration_expires, expires, PROP_REGISTRATION_EXPIRES);
  set_uint (self, &self->registration_state, state, PROP_REGISTRATION_STATE);
  g_object_thaw_notify (G_OBJECT (self));
}

char *
jarchi_account_to_string (JarchiAccount *self)
{
  g_return_val_if_fail (JARCHI_IS_ACCOUNT (self), NULL);
  return g_strdup_printf ("account %u <%s> via %s/%s: %s%s%s", self->id, self->uri,
                          *self->registrar ? self->registrar : "(domain)",
                          jarchi_transport_to_string (self->transport),
                          jarchi_registration_state_to_string (self->registration_state),
                          self->registration_error ? ": " : "",
                          self->registration_error ? self->registration_error : "");
}

JsonNode *
jarchi_account_to_json (JarchiAccount *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (JARCHI_IS_ACCOUNT (self), NULL);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, self->id);
  json_builder_set_member_name (b, "uri");
  json_builder_add_string_value (b, self->uri);
  json_builder_set_member_name (b, "display_name");
  json_builder_add_string_value (b, self->display_name);
  json_builder_set_member_name (b, "registrar");
  json_builder_add_string_value (b, self->registrar);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, self->username);
  json_builder_set_member_name (b, "has_password");
  json_builder_add_boolean_value (b, *self->password != '\0');
  json_builder_set_member_name (b, "transport");
  json_builder_add_string_value (b, jarchi_transport_to_string (self->transport));
  json_builder_set_member_name (b, "outbound_proxy");
  json_builder_add_string_value (b, self->outbound_proxy);
  json_builder_set_member_name (b, "auto_answer");
  json_builder_add_boolean_value (b, self->auto_answer);
  json_builder_set_member_name (b, "record");
  json_builder_add_boolean_value (b, self->record);
  json_builder_set_member_name (b, "dtmf_mode");
  json_builder_add_string_value (b, jarchi_dtmf_mode_to_string (self->dtmf_mode));
  json_builder_set_member_name (b, "tls_verify");
  json_builder_add_boolean_value (b, self->tls_verify);
  json_builder_set_member_name (b, "registration_state");
  json_builder_add_string_value (b,
                                 jarchi_registration_state_to_string (self->registration_state));
  json_builder_set_member_name (b, "registration_error");
  if (self->registration_error != NULL)
    json_builder_add_string_value (b, self->registration_error);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "registration_expires");
  json_builder_add_int_value (b, self->registration_expires);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static const char *
enum_nick (GType type,
           int   value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);
  const char *nick = v ? v->value_nick : NULL;

  /* Nicks are static strings: they outlive the class reference. */
  g_type_class_unref (klass);
  return nick;
}

static gboolean
enum_from_nick (GType       type,
                const char *str,
                int        *value)
{
  GEnumClass *klass;
  GEnumValue *v;

  if (str == NULL)
    return FALSE;
  klass = g_type_class_ref (type);
  v = g_enum_get_value_by_nick (klass, str);
  if (v != NULL)
    *value = v->value;
  g_type_class_unref (klass);
  return v != NULL;
}

const char *
jarchi_transport_to_string (JarchiTransport transport)
{
  return enum_nick (JARCHI_TYPE_TRANSPORT, transport);
}

gboolean
jarchi_transport_from_string (const char      *str,
                              JarchiTransport *transport)
{
  int v;

  if (!enum_from_nick (JARCHI_TYPE_TRANSPORT, str, &v))
    return FALSE;
  *transport = v;
  return TRUE;
}

const char *
jarchi_dtmf_mode_to_string (JarchiDtmfMode mode)
{
  return enum_nick (JARCHI_TYPE_DTMF_MODE, mode);
}

gboolean
jarchi_dtmf_mode_from_string (const char     *str,
                              JarchiDtmfMode *mode)
{
  int v;

  if (!enum_from_nick (JARCHI_TYPE_DTMF_MODE, str, &v))
    return FALSE;
  *mode = v;
  return TRUE;
}

const char *
jarchi_registration_state_to_string (JarchiRegistrationState state)
{
  return enum_nick (JARCHI_TYPE_REGISTRATION_STATE, state);
}
