/* JarchiDialerPage's number entry: contact suggestions as one types (a popover list), Enter and the arrows. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <string.h>

#include "jarchi-dialer-page-private.h"

#define SEARCH_DELAY_MS 150
#define SEARCH_LIMIT    8

void
jarchi_dialer_page_hide_matches (JarchiDialerPage *self)
{
  g_clear_handle_id (&self->search_source, g_source_remove);
  if (self->matches_popover != NULL && gtk_widget_get_visible (GTK_WIDGET (self->matches_popover)))
    gtk_popover_popdown (self->matches_popover);
}

static GtkWidget *
create_match_row (gpointer item, gpointer user_data)
{
  JarchiContact *contact = item;
  const char *department = jarchi_contact_get_department (contact);
  g_autofree char *title = g_markup_escape_text (jarchi_contact_get_name (contact), -1);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();

  if (department != NULL && *department)
    subtitle = g_markup_printf_escaped ("%s · %s", jarchi_contact_get_phone (contact), department);
  else
    subtitle = g_markup_escape_text (jarchi_contact_get_phone (contact), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  /* The keyboard stays in the number entry; arrows there move through the list. */
  gtk_widget_set_focusable (row, FALSE);
  return row;
}

static void
show_matches (JarchiDialerPage *self)
{
  /* Under the entry and its Paste and Delete buttons, as wide as they are. */
  GtkWidget *entry_box = gtk_widget_get_parent (GTK_WIDGET (self->number_entry));
  graphene_rect_t bounds;
  GdkRectangle rect;

  if (!gtk_widget_get_mapped (entry_box) || !gtk_widget_compute_bounds (entry_box, GTK_WIDGET (self), &bounds))
    return;
  rect = (GdkRectangle) { (int) bounds.origin.x, (int) bounds.origin.y,
                          (int) bounds.size.width, (int) bounds.size.height };
  gtk_popover_set_pointing_to (self->matches_popover, &rect);
  gtk_widget_set_size_request (GTK_WIDGET (self->matches_list), MAX (rect.width - 12, 200), -1);
  gtk_popover_popup (self->matches_popover);
}

static gboolean
looks_like_address (const char *text)
{
  return strchr (text, '@') != NULL || g_str_has_prefix (text, "sip:") ||
         g_str_has_prefix (text, "sips:") || g_str_has_prefix (text, "tel:");
}

static gboolean
run_search (gpointer user_data)
{
  JarchiDialerPage *self = user_data;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->number_entry))));
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_digit = FALSE;
  guint total = 0;

  self->search_source = 0;
  if (self->book == NULL || g_utf8_strlen (text, -1) < 2 || looks_like_address (text))
    {
      jarchi_dialer_page_hide_matches (self);
      return G_SOURCE_REMOVE;
    }
  found = jarchi_contact_book_query (self->book, 0, 0, text, 0, SEARCH_LIMIT, &total, &error);
  if (found == NULL)
    {
      g_message ("contact search for “%s” failed: %s", text, error->message);
      found = g_ptr_array_new ();
    }
  g_list_store_splice (self->matches, 0, g_list_model_get_n_items (G_LIST_MODEL (self->matches)),
                       found->pdata, found->len);
  if (found->len == 0 ||
      (found->len == 1 && g_strcmp0 (jarchi_contact_get_phone (g_ptr_array_index (found, 0)), text) == 0))
    {
      jarchi_dialer_page_hide_matches (self);
      return G_SOURCE_REMOVE;
    }
  /* A name picks its first match on Enter; a number is called as typed. */
  for (const char *p = text; *p; p++)
    has_digit |= g_ascii_isdigit (*p);
  if (has_digit)
    gtk_list_box_unselect_all (self->matches_list);
  else
    gtk_list_box_select_row (self->matches_list, gtk_list_box_get_row_at_index (self->matches_list, 0));
  show_matches (self);
  return G_SOURCE_REMOVE;
}

void
jarchi_dialer_page_set_number (JarchiDialerPage *self, const char *text)
{
  self->syncing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->number_entry), text);
  gtk_editable_set_position (GTK_EDITABLE (self->number_entry), -1);
  self->syncing = FALSE;
  jarchi_dialer_page_hide_matches (self);
}

static void
pick_match (JarchiDialerPage *self, GtkListBoxRow *row)
{
  g_autoptr(JarchiContact) contact = NULL;

  if (row == NULL)
    return;
  contact = g_list_model_get_item (G_LIST_MODEL (self->matches), gtk_list_box_row_get_index (row));
  if (contact == NULL)
    return;
  jarchi_dialer_page_set_number (self, jarchi_contact_get_phone (contact));
  gtk_entry_grab_focus_without_selecting (self->number_entry);
}

void
jarchi_dialer_page_match_activated (JarchiDialerPage *self, GtkListBoxRow *row)
{
  pick_match (self, row);
}

void
jarchi_dialer_page_number_changed (JarchiDialerPage *self)
{
  gboolean empty = *gtk_editable_get_text (GTK_EDITABLE (self->number_entry)) == '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "phone.call", self->manager != NULL && !empty);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "phone.backspace", !empty);
  if (self->syncing)
    return;
  g_clear_handle_id (&self->search_source, g_source_remove);
  if (empty)
    jarchi_dialer_page_hide_matches (self);
  else
    self->search_source = g_timeout_add (SEARCH_DELAY_MS, run_search, self);
}

void
jarchi_dialer_page_number_activated (JarchiDialerPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->matches_list);

  if (gtk_widget_get_visible (GTK_WIDGET (self->matches_popover)) && row != NULL)
    pick_match (self, row);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "phone.call", NULL);
}

static gboolean
entry_key_pressed (JarchiDialerPage      *self,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   GtkEventControllerKey *controller)
{
  GtkListBoxRow *row;
  int index, n;

  if (!gtk_widget_get_visible (GTK_WIDGET (self->matches_popover)))
    return FALSE;
  if (keyval == GDK_KEY_Escape)
    {
      jarchi_dialer_page_hide_matches (self);
      return TRUE;
    }
  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_Up && keyval != GDK_KEY_KP_Down && keyval != GDK_KEY_KP_Up)
    return FALSE;
  n = (int) g_list_model_get_n_items (G_LIST_MODEL (self->matches));
  row = gtk_list_box_get_selected_row (self->matches_list);
  index = row ? gtk_list_box_row_get_index (row) : -1;
  index += (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down) ? 1 : -1;
  if (index < 0 || index >= n)
    gtk_list_box_unselect_all (self->matches_list);
  else
    gtk_list_box_select_row (self->matches_list, gtk_list_box_get_row_at_index (self->matches_list, index));
  return TRUE;
}

void
jarchi_dialer_page_entry_init (JarchiDialerPage *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->matches = g_list_store_new (JARCHI_TYPE_CONTACT);
  gtk_list_box_bind_model (self->matches_list, G_LIST_MODEL (self->matches), create_match_row, NULL, NULL);

  /* Arrows and Escape steer the suggestions before the entry sees them. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (entry_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->number_entry), keys);
}

void
jarchi_dialer_page_entry_dispose (JarchiDialerPage *self)
{
  g_clear_handle_id (&self->search_source, g_source_remove);
  if (self->matches_list != NULL)
    gtk_list_box_bind_model (self->matches_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->matches);
}
