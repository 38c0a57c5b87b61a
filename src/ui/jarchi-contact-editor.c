/* JarchiContactEditor: adds or edits a contact in the contact book, with the phone checked as it is typed. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-contact-editor.h"
#include "jarchi-phone.h"

struct _JarchiContactEditor
{
  AdwWindow          parent_instance;

  JarchiContactBook *book;
  JarchiContact     *contact;  /* the stored contact being edited; NULL until a new one is saved */

  GtkLabel          *error_label;
  AdwEntryRow       *name_row;
  AdwEntryRow       *phone_row;
  GtkLabel          *phone_error_label;
  AdwEntryRow       *department_row;
  GtkMenuButton     *department_button;
  AdwEntryRow       *district_row;
  GtkMenuButton     *district_button;
  AdwEntryRow       *position_row;
  AdwEntryRow       *note_row;
  GtkSwitch         *active_switch;
  GtkSwitch         *dnc_switch;
};

G_DEFINE_FINAL_TYPE (JarchiContactEditor, jarchi_contact_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTACT_BOOK,
  PROP_CONTACT,
  N_PROPS
};

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* Core messages start in lower case so they can follow "Line 7: "; on their own they start a sentence. */
static char *
capitalize (const char *text)
{
  gunichar first = g_utf8_get_char (text);
  char buf[6];
  int len;

  if (first == 0 || !g_unichar_islower (first))
    return g_strdup (text);
  len = g_unichar_to_utf8 (g_unichar_totitle (first), buf);
  return g_strdup_printf ("%.*s%s", len, buf, g_utf8_next_char (text));
}

static void
show_error (JarchiContactEditor *self, const char *message)
{
  g_autofree char *text = capitalize (message ? message : "");

  gtk_label_set_label (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Checks the fields as they are typed: a bad phone number is explained under its field. */
static void
validate (JarchiContactEditor *self)
{
  const char *phone = row_text (self->phone_row);
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *problem = NULL;
  gboolean phone_ok = FALSE;

  if (!is_blank (phone))
    {
      normalized = jarchi_phone_normalize (phone, &error);
      phone_ok = normalized != NULL;
    }

  problem = capitalize (error ? error->message : "");
  gtk_label_set_label (self->phone_error_label, problem);
  gtk_widget_set_visible (GTK_WIDGET (self->phone_error_label), error != NULL);
  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->phone_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->phone_row), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->phone_row), GTK_ACCESSIBLE_STATE_INVALID,
                               error ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
  /* A screen reader reads the problem with the field. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->phone_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  problem, -1);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 phone_ok && !is_blank (row_text (self->name_row)));
}

static void
on_fields_changed (JarchiContactEditor *self)
{
  validate (self);
}

static void
on_entry_activated (JarchiContactEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.save", NULL);
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiContactEditor *self = JARCHI_CONTACT_EDITOR (widget);
  g_autoptr(JarchiContact) contact = self->contact ? jarchi_contact_copy (self->contact)
                                                   : jarchi_contact_new ();
  g_autoptr(GError) error = NULL;
  gboolean want_dnc = gtk_switch_get_active (self->dnc_switch);
  gboolean ok;

  show_error (self, NULL);
  jarchi_contact_set_name (contact, row_text (self->name_row));
  jarchi_contact_set_phone (contact, row_text (self->phone_row));
  jarchi_contact_set_department (contact, row_text (self->department_row));
  jarchi_contact_set_district (contact, row_text (self->district_row));
  jarchi_contact_set_position (contact, row_text (self->position_row));
  jarchi_contact_set_note (contact, row_text (self->note_row));
  jarchi_contact_set_active (contact, gtk_switch_get_active (self->active_switch));

  if (jarchi_contact_get_id (contact) > 0)
    ok = jarchi_contact_book_update (self->book, contact, &error);
  else
    ok = jarchi_contact_book_add (self->book, contact, &error);
  if (!ok)
    {
      show_error (self, error->message);
      return;
    }
  /* From here on the contact is stored: saving again updates it. */
  if (g_set_object (&self->contact, contact))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACT]);

  if (want_dnc != jarchi_contact_get_do_not_call (contact))
    {
      if (want_dnc)
        ok = jarchi_contact_book_add_dnc (self->book, jarchi_contact_get_phone (contact), NULL, NULL, &error);
      else
        ok = jarchi_contact_book_remove_dnc (self->book, jarchi_contact_get_phone (contact), &error);
      if (!ok)
        {
          g_autofree char *message = g_strdup_printf (_("The contact was saved, but the do-not-call list was not changed: %s"),
                                                      error->message);
          show_error (self, message);
          return;
        }
      jarchi_contact_set_do_not_call (contact, want_dnc);
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, contact);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
set_department_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiContactEditor *self = JARCHI_CONTACT_EDITOR (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->department_row), g_variant_get_string (parameter, NULL));
}

static void
set_district_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiContactEditor *self = JARCHI_CONTACT_EDITOR (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->district_row), g_variant_get_string (parameter, NULL));
}

/* A menu of the existing groups, so an operator picks "Buxgalteriya" rather than retyping it. */
static void
fill_group_menu (GtkMenuButton *button, GListModel *groups, const char *action)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  guint n = g_list_model_get_n_items (groups);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JarchiGroup) group = g_list_model_get_item (groups, i);
      g_autoptr(GMenuItem) item = NULL;
      g_auto(GStrv) parts = NULL;
      g_autofree char *label = NULL;

      /* Menu labels take mnemonics: a literal underscore is written twice. */
      parts = g_strsplit (jarchi_group_get_name (group), "_", -1);
      label = g_strjoinv ("__", parts);
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, action,
                                               g_variant_new_string (jarchi_group_get_name (group)));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
  gtk_widget_set_visible (GTK_WIDGET (button), n > 0);
}

static void
label_entry (AdwEntryRow *row)
{
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (row));

  /* The entry inside the row gets the row's title as its name, for screen readers and tests. */
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), -1);
}

static void
jarchi_contact_editor_constructed (GObject *object)
{
  JarchiContactEditor *self = JARCHI_CONTACT_EDITOR (object);
  JarchiContact *contact = self->contact;

  G_OBJECT_CLASS (jarchi_contact_editor_parent_class)->constructed (object);

  g_return_if_fail (JARCHI_IS_CONTACT_BOOK (self->book));

  if (contact != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Contact"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), jarchi_contact_get_name (contact));
      gtk_editable_set_text (GTK_EDITABLE (self->phone_row), jarchi_contact_get_phone (contact));
      gtk_editable_set_text (GTK_EDITABLE (self->department_row), jarchi_contact_get_department (contact));
      gtk_editable_set_text (GTK_EDITABLE (self->district_row), jarchi_contact_get_district (contact));
      gtk_editable_set_text (GTK_EDITABLE (self->position_row), jarchi_contact_get_position (contact));
      gtk_editable_set_text (GTK_EDITABLE (self->note_row), jarchi_contact_get_note (contact));
      gtk_switch_set_active (self->active_switch, jarchi_contact_get_active (contact));
      gtk_switch_set_active (self->dnc_switch, jarchi_contact_get_do_not_call (contact));
    }
  fill_group_menu (self->department_button, jarchi_contact_book_get_departments (self->book),
                   "editor.set-department");
  fill_group_menu (self->district_button, jarchi_contact_book_get_districts (self->book),
                   "editor.set-district");
  validate (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->name_row));
}

static void
jarchi_contact_editor_dispose (GObject *object)
{
  JarchiContactEditor *self = JARCHI_CONTACT_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), JARCHI_TYPE_CONTACT_EDITOR);
  g_clear_object (&self->contact);
  g_clear_object (&self->book);

  G_OBJECT_CLASS (jarchi_contact_editor_parent_class)->dispose (object);
}

static void
jarchi_contact_editor_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiContactEditor *self = JARCHI_CONTACT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CONTACT_BOOK:
      g_value_set_object (value, self->book);
      break;
    case PROP_CONTACT:
      g_value_set_object (value, self->contact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_contact_editor_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiContactEditor *self = JARCHI_CONTACT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CONTACT_BOOK:
      g_set_object (&self->book, g_value_get_object (value));
      break;
    case PROP_CONTACT:
      /* Edit a copy: the list's object changes only once the store has the new values. */
      g_clear_object (&self->contact);
      if (g_value_get_object (value) != NULL)
        self->contact = jarchi_contact_copy (g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_contact_editor_class_init (JarchiContactEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jarchi_contact_editor_constructed;
  object_class->dispose = jarchi_contact_editor_dispose;
  object_class->get_property = jarchi_contact_editor_get_property;
  object_class->set_property = jarchi_contact_editor_set_property;

  properties[PROP_CONTACT_BOOK] =
    g_param_spec_object ("contact-book", NULL, NULL, JARCHI_TYPE_CONTACT_BOOK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * JarchiContactEditor:contact:
   *
   * The stored contact being edited (a copy), or %NULL for a new contact
   * until it is saved.
   */
  properties[PROP_CONTACT] =
    g_param_spec_object ("contact", NULL, NULL, JARCHI_TYPE_CONTACT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JarchiContactEditor::saved:
   * @contact: the contact as stored
   *
   * Emitted after the contact was added or updated, just before the editor closes.
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, JARCHI_TYPE_CONTACT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jarchi/Jarchi/contact-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, JarchiContactEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactEditor, phone_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactEditor, phone_error_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactEditor, department_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactEditor, department_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactEditor, district_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactEditor, district_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactEditor, position_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactEditor, note_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactEditor, active_switch);
  gtk_widget_class_bind_template_child (widget_class, JarchiContactEditor, dnc_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_fields_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.set-department", "s", set_department_action);
  gtk_widget_class_install_action (widget_class, "editor.set-district", "s", set_district_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
jarchi_contact_editor_init (JarchiContactEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  label_entry (self->name_row);
  label_entry (self->phone_row);
  label_entry (self->department_row);
  label_entry (self->district_row);
  label_entry (self->position_row);
  label_entry (self->note_row);
}

/**
 * jarchi_contact_editor_new:
 * @parent: (nullable): the window the dialog belongs to
 * @contact: (nullable): the contact to edit (the editor works on a copy), or
 *   %NULL to add a new one
 */
JarchiContactEditor *
jarchi_contact_editor_new (GtkWindow *parent, JarchiContactBook *book, JarchiContact *contact)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (JARCHI_IS_CONTACT_BOOK (book), NULL);
  g_return_val_if_fail (contact == NULL || JARCHI_IS_CONTACT (contact), NULL);

  return g_object_new (JARCHI_TYPE_CONTACT_EDITOR,
                       "transient-for", parent,
                       "contact-book", book,
                       "contact", contact,
                       NULL);
}

JarchiContactBook *
jarchi_contact_editor_get_book (JarchiContactEditor *self)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_EDITOR (self), NULL);
  return self->book;
}

JarchiContact *
jarchi_contact_editor_get_contact (JarchiContactEditor *self)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT_EDITOR (self), NULL);
  return self->contact;
}
