/* JarchiAccountDialog: adds a SIP account to the account store or edits one (identity, registrar, password, transport, call options). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-account-dialog.h"

struct _JarchiAccountDialog
{
  AdwWindow           parent_instance;

  JarchiAccountStore *store;
  guint               account_id;  /* 0 until a new account is saved */

  GtkLabel           *error_label;
  AdwEntryRow        *display_name_row;
  AdwEntryRow        *user_row;
  AdwEntryRow        *domain_row;
  AdwEntryRow        *registrar_row;
  AdwPasswordEntryRow *password_row;
  AdwComboRow        *transport_row;
  AdwEntryRow        *proxy_row;
  GtkSwitch          *tls_verify_switch;
  GtkSwitch          *auto_answer_switch;
  GtkSwitch          *record_switch;
};

G_DEFINE_FINAL_TYPE (JarchiAccountDialog, jarchi_account_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_ACCOUNT_ID,
  N_PROPS
};

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
row_text (gpointer row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
set_row_text (gpointer row, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

static void
show_error (JarchiAccountDialog *self, const char *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* The form needs a user and a domain before the store gets to judge the rest. */
static void
on_fields_changed (JarchiAccountDialog *self)
{
  g_autofree char *user = row_text (self->user_row);
  g_autofree char *domain = row_text (self->domain_row);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.save", *user && *domain);
}

static void
fill_form (JarchiAccountDialog *self, JarchiAccount *account)
{
  g_autofree char *user = jarchi_account_dup_user (account);
  g_autofree char *domain = jarchi_account_dup_domain (account);

  set_row_text (self->display_name_row, jarchi_account_get_display_name (account));
  set_row_text (self->user_row, user);
  set_row_text (self->domain_row, domain);
  set_row_text (self->registrar_row, jarchi_account_get_registrar (account));
  set_row_text (self->password_row, jarchi_account_get_password (account));
  set_row_text (self->proxy_row, jarchi_account_get_outbound_proxy (account));
  adw_combo_row_set_selected (self->transport_row, jarchi_account_get_transport (account));
  gtk_switch_set_active (self->tls_verify_switch, jarchi_account_get_tls_verify (account));
  gtk_switch_set_active (self->auto_answer_switch, jarchi_account_get_auto_answer (account));
  gtk_switch_set_active (self->record_switch, jarchi_account_get_record (account));
}

/* Copies the form onto @account (the URI included). */
static void
read_form (JarchiAccountDialog *self, JarchiAccount *account)
{
  g_autofree char *user = row_text (self->user_row);
  g_autofree char *domain = row_text (self->domain_row);
  g_autofree char *display_name = row_text (self->display_name_row);
  g_autofree char *registrar = row_text (self->registrar_row);
  g_autofree char *proxy = row_text (self->proxy_row);
  g_autofree char *uri = NULL;
  guint transport = adw_combo_row_get_selected (self->transport_row);

  /* A TLS account's address is a sips: URI only when the user typed one: sip: over TLS is common. */
  uri = g_strdup_printf ("sip:%s@%s", user, domain);
  g_object_set (account,
                "uri", uri,
                "display-name", display_name,
                "registrar", registrar,
                "password", gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                "outbound-proxy", proxy,
                "transport", transport <= JARCHI_TRANSPORT_TLS ? transport : JARCHI_TRANSPORT_UDP,
                "tls-verify", gtk_switch_get_active (self->tls_verify_switch),
                "auto-answer", gtk_switch_get_active (self->auto_answer_switch),
                "record", gtk_switch_get_active (self->record_switch),
                NULL);
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiAccountDialog *self = JARCHI_ACCOUNT_DIALOG (widget);
  g_autoptr(JarchiAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->account_id == 0)
    {
      account = jarchi_account_new (0, "sip:user@invalid");
      read_form (self, account);
      ok = jarchi_account_store_add (self->store, account, &error);
    }
  else
    {
      account = jarchi_account_store_dup_account (self->store, self->account_id, &error);
      if (account != NULL)
        read_form (self, account);
      ok = account != NULL && jarchi_account_store_update (self->store, account, &error);
    }
  if (!ok)
    {
      show_error (self, error->message);
      return;
    }
  self->account_id = jarchi_account_get_id (account);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_ID]);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, self->account_id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_entry_activated (JarchiAccountDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "account.save", NULL);
}

static void
jarchi_account_dialog_constructed (GObject *object)
{
  JarchiAccountDialog *self = JARCHI_ACCOUNT_DIALOG (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (jarchi_account_dialog_parent_class)->constructed (object);

  if (self->account_id != 0)
    {
      g_autoptr(JarchiAccount) account = jarchi_account_store_dup_account (self->store,
                                                                            self->account_id,
                                                                            &error);
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Account"));
      if (account != NULL)
        fill_form (self, account);
      else
        show_error (self, error->message);
    }
  on_fields_changed (self);
}

static void
jarchi_account_dialog_dispose (GObject *object)
{
  JarchiAccountDialog *self = JARCHI_ACCOUNT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), JARCHI_TYPE_ACCOUNT_DIALOG);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (jarchi_account_dialog_parent_class)->dispose (object);
}

static void
jarchi_account_dialog_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  JarchiAccountDialog *self = JARCHI_ACCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_uint (value, self->account_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_account_dialog_set_property (GObject *object, guint prop_id, const GValue *value,
                                    GParamSpec *pspec)
{
  JarchiAccountDialog *self = JARCHI_ACCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_ACCOUNT_ID:
      self->account_id = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_account_dialog_class_init (JarchiAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jarchi_account_dialog_constructed;
  object_class->dispose = jarchi_account_dialog_dispose;
  object_class->get_property = jarchi_account_dialog_get_property;
  object_class->set_property = jarchi_account_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, JARCHI_TYPE_ACCOUNT_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_uint ("account-id", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                       G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* saved (account id): the account was added or changed in the store. */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/jarchi/Jarchi/account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, JarchiAccountDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiAccountDialog, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiAccountDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiAccountDialog, domain_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiAccountDialog, registrar_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiAccountDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiAccountDialog, transport_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiAccountDialog, proxy_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiAccountDialog, tls_verify_switch);
  gtk_widget_class_bind_template_child (widget_class, JarchiAccountDialog, auto_answer_switch);
  gtk_widget_class_bind_template_child (widget_class, JarchiAccountDialog, record_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_fields_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "account.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
jarchi_account_dialog_init (JarchiAccountDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

JarchiAccountDialog *
jarchi_account_dialog_new (GtkWindow *parent, JarchiAccountStore *store, guint account_id)
{
  g_return_val_if_fail (JARCHI_IS_ACCOUNT_STORE (store), NULL);

  return g_object_new (JARCHI_TYPE_ACCOUNT_DIALOG, "transient-for", parent, "store", store,
                       "account-id", account_id, NULL);
}

guint
jarchi_account_dialog_get_account_id (JarchiAccountDialog *self)
{
  g_return_val_if_fail (JARCHI_IS_ACCOUNT_DIALOG (self), 0);
  return self->account_id;
}
