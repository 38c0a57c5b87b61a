/* JarchiAccount: one SIP account (identity, registrar, credentials) and its registration state. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  JARCHI_TRANSPORT_UDP,
  JARCHI_TRANSPORT_TCP,
  JARCHI_TRANSPORT_TLS,
} JarchiTransport;

typedef enum {
  JARCHI_DTMF_MODE_RFC4733,
  JARCHI_DTMF_MODE_INFO,
} JarchiDtmfMode;

typedef enum {
  JARCHI_REGISTRATION_UNREGISTERED,
  JARCHI_REGISTRATION_REGISTERING,
  JARCHI_REGISTRATION_REGISTERED,
  JARCHI_REGISTRATION_FAILED,
} JarchiRegistrationState;

GType jarchi_transport_get_type          (void) G_GNUC_CONST;
GType jarchi_dtmf_mode_get_type          (void) G_GNUC_CONST;
GType jarchi_registration_state_get_type (void) G_GNUC_CONST;
#define JARCHI_TYPE_TRANSPORT          (jarchi_transport_get_type ())
#define JARCHI_TYPE_DTMF_MODE          (jarchi_dtmf_mode_get_type ())
#define JARCHI_TYPE_REGISTRATION_STATE (jarchi_registration_state_get_type ())

#define JARCHI_TYPE_ACCOUNT (jarchi_account_get_type ())
G_DECLARE_FINAL_TYPE (JarchiAccount, jarchi_account, JARCHI, ACCOUNT, GObject)

JarchiAccount          *jarchi_account_new                     (guint          id,
                                                                const char    *uri);
guint                   jarchi_account_get_id                  (JarchiAccount *self);
void                    jarchi_account_set_id                  (JarchiAccount *self,
                                                                guint          id);
const char             *jarchi_account_get_uri                 (JarchiAccount *self);
const char             *jarchi_account_get_display_name        (JarchiAccount *self);
const char             *jarchi_account_get_registrar           (JarchiAccount *self);
const char             *jarchi_account_get_username            (JarchiAccount *self);
const char             *jarchi_account_get_password            (JarchiAccount *self);
JarchiTransport         jarchi_account_get_transport           (JarchiAccount *self);
const char             *jarchi_account_get_outbound_proxy      (JarchiAccount *self);
gboolean                jarchi_account_get_auto_answer         (JarchiAccount *self);
gboolean                jarchi_account_get_record              (JarchiAccount *self);
JarchiDtmfMode          jarchi_account_get_dtmf_mode           (JarchiAccount *self);
gboolean                jarchi_account_get_tls_verify          (JarchiAccount *self);
guint                   jarchi_account_get_expires             (JarchiAccount *self);
guint                   jarchi_account_get_keepalive_interval  (JarchiAccount *self);
JarchiRegistrationState jarchi_account_get_registration_state  (JarchiAccount *self);
const char             *jarchi_account_get_registration_error  (JarchiAccount *self);
guint                   jarchi_account_get_registration_expires (JarchiAccount *self);

/* Derived from the URI: "user" and "domain[:port]" of sip:user@domain[:port]. */
char                   *jarchi_account_dup_user                (JarchiAccount *self);
char                   *jarchi_account_dup_domain              (JarchiAccount *self);
/* The registrar to use: the registrar property, or sip:DOMAIN when it is empty. */
char                   *jarchi_account_dup_effective_registrar (JarchiAccount *self);
gboolean                jarchi_account_validate                (JarchiAccount *self,
                                                                GError       **error);

/* Called by the call manager when the SIP engine reports a change. */
void                    jarchi_account_set_registration        (JarchiAccount *self,
                                                                JarchiRegistrationState state,
                                                                const char    *error,
                                                                guint          expires);

/* Never include the password. */
char                   *jarchi_account_to_string               (JarchiAccount *self);
JsonNode               *jarchi_account_to_json                 (JarchiAccount *self);

const char             *jarchi_transport_to_string             (JarchiTransport transport);
gboolean                jarchi_transport_from_string           (const char    *str,
                                                                JarchiTransport *transport);
const char             *jarchi_dtmf_mode_to_string             (JarchiDtmfMode mode);
gboolean                jarchi_dtmf_mode_from_string           (const char    *str,
                                                                JarchiDtmfMode *mode);
const char             *jarchi_registration_state_to_string    (JarchiRegistrationState state);

G_END_DECLS
