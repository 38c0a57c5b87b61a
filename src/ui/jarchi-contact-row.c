/* JarchiContactRow: shows one JarchiContact and points its buttons' actions at that contact. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-contact-row.h"

struct _JarchiContactRow
{
  GtkWidget      parent_instance;

  JarchiContact *contact;
  gulong         notify_id;

  AdwAvatar     *avatar;
  GtkLabel      *name_label;
  GtkWidget     *dnc_badge;
  GtkWidget     *inactive_badge;
  GtkLabel      *phone_label;
  GtkLabel      *details_label;
  GtkWidget     *call_button;
  GtkWidget     *dnc_button;
  GtkWidget     *edit_button;
  GtkWidget     *delete_button;
};

G_DEFINE_FINAL_TYPE (JarchiContactRow, jarchi_contact_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_button_label (GtkWidget *button, const char *format, const char *name)
{
  g_autofree char *label = g_strdup_printf (format, name);

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static char *
describe_details (JarchiContact *contact)
{
  const char *parts[] = {
    jarchi_contact_get_position (contact),
    jarchi_contact_get_department (contact),
    jarchi_contact_get_district (contact),
  };
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] == NULL || parts[i][0] == '\0')
        continue;
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, parts[i]);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_row (JarchiContactRow *self)
{
  JarchiContact *contact = self->contact;
  g_autofree char *details = NULL;
  const char *name;
  gboolean dnc;
  GVariant *id;

  if (contact == NULL)
    return;

  name = jarchi_contact_get_name (contact);
  dnc = jarchi_contact_get_do_not_call (contact);
  details = describe_details (contact);

  adw_avatar_set_text (self->avatar, name);
  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->phone_label, jarchi_contact_get_phone (contact));
  gtk_label_set_label (self->details_label, details);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), details[0] != '\0');
  gtk_widget_set_visible (self->dnc_badge, dnc);
  gtk_widget_set_visible (self->inactive_badge, !jarchi_contact_get_active (contact));

  id = g_variant_ref_sink (g_variant_new_int64 (jarchi_contact_get_id (contact)));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->dnc_button), id);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->edit_button), id);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->delete_button), id);
  g_variant_unref (id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->call_button), "s",
                                    jarchi_contact_get_phone (contact));
  /* Named only once a target is set: a parameterised action with no target warns. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->call_button), "contacts.call");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->dnc_button), "contacts.toggle-dnc");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->edit_button), "contacts.edit");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->delete_button), "contacts.delete");

  gtk_widget_set_tooltip_text (self->dnc_button, dnc ? _("Allow Calls") : _("Do Not Call"));
  if (dnc)
    gtk_widget_add_css_class (self->dnc_button, "error");
  else
    gtk_widget_remove_css_class (self->dnc_button, "error");

  /* Screen readers hear which contact a button acts on, not just "Delete". */
  set_button_label (self->call_button, _("Call %s"), name);
  set_button_label (self->dnc_button, dnc ? _("Allow calls to %s") : _("Do not call %s"), name);
  set_button_label (self->edit_button, _("Edit %s"), name);
  set_button_label (self->delete_button, _("Delete %s"), name);
}

static void
contact_notify (JarchiContactRow *self)
{
  update_row (self);
}

static void
jarchi_contact_row_dispose (GObject *object)
{
  JarchiContactRow *self = JARCHI_CONTACT_ROW (object);
  GtkWidget *child;

  if (self->contact != NULL)
    g_clear_signal_handler (&self->notify_id, self->contact);
  g_clear_object (&self->contact);
  gtk_widget_dispose_template (GTK_WIDGET (self), JARCHI_TYPE_CONTACT_ROW);
  /* The unnamed boxes of the template are not template children: unparent them too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (jarchi_contact_row_parent_class)->dispose (object);
}

static void
jarchi_contact_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiContactRow *self = JARCHI_CONTACT_ROW (object);

  switch (prop_id)
    {
    case PROP_CONTACT:
      g_value_set_object (value, self->contact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_contact_row_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiContactRow *self = JARCHI_CONTACT_ROW (object);

  switch (prop_id)
    {
    case PROP_CONTACT:
      jarchi_contact_row_set_contact (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_contact_row_class_init (JarchiContactRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jarchi_contact_row_dispose;
  object_class->get_property = jarchi_contact_row_get_property;
  object_class->set_property = jarchi_contact_row_set_property;

  properties[PROP_CONTACT] =
    g_param_spec_object ("contact", NULL, NULL, JARCHI_TYPE_CONTACT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jarchi/Jarchi/contact-row.ui");
  gtk_widget_class_bind_template_child (widget_class, JarchiContactRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactRow, dnc_badge);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactRow, inactive_badge);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactRow, phone_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactRow, call_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactRow, dnc_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactRow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactRow, delete_button);
}

static void
jarchi_contact_row_init (JarchiContactRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
jarchi_contact_row_new (void)
{
  return g_object_new (JARCHI_TYPE_CONTACT_ROW, NULL);
}

JarchiContact *
jarchi_contact_row_get_contact (JarchiContactRow *self)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_ROW (self), NULL);
  return self->contact;
}

/* Shows @contact (nullable) and follows its changes, as a list item is bound and unbound. */
void
jarchi_contact_row_set_contact (JarchiContactRow *self, JarchiContact *contact)
{
  g_return_if_fail (JARCHI_IS_CONTACT_ROW (self));
  g_return_if_fail (contact == NULL || JARCHI_IS_CONTACT (contact));

  if (self->contact == contact)
    return;
  if (self->contact != NULL)
    g_clear_signal_handler (&self->notify_id, self->contact);
  g_set_object (&self->contact, contact);
  if (contact != NULL)
    self->notify_id = g_signal_connect_swapped (contact, "notify", G_CALLBACK (contact_notify), self);
  update_row (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACT]);
}
