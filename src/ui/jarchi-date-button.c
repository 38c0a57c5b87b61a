/* JarchiDateButton: a GtkMenuButton showing the picked day, a GtkCalendar in its popover, and a clear button. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-date-button.h"

struct _JarchiDateButton
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkMenuButton *menu_button;
  GtkCalendar   *calendar;
  GtkButton     *clear_button;
  GDateTime     *date;
  gboolean       moving;      /* the keyboard moves the calendar's day: not a pick yet */
  char          *placeholder;
  char          *title;
};

G_DEFINE_FINAL_TYPE (JarchiDateButton, jarchi_date_button, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DATE,
  PROP_PLACEHOLDER,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (JarchiDateButton *self)
{
  /* ISO dates, as the dashboard and the CSV export write them: one form, any locale. */
  g_autofree char *text = self->date ? g_date_time_format (self->date, "%Y-%m-%d") : NULL;
  g_autofree char *clear_name = NULL;

  gtk_menu_button_set_label (self->menu_button, text ? text : (self->placeholder ? self->placeholder : ""));
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), self->date != NULL);
  if (self->title != NULL)
    {
      /* TRANSLATORS: the accessible name of the button clearing a date filter, e.g. "Clear From date" */
      clear_name = g_strdup_printf (_("Clear %s"), self->title);
      /* The menu button and the toggle button inside it (the one with a click action). */
      for (GtkWidget *w = GTK_WIDGET (self->menu_button); w != NULL;
           w = w == GTK_WIDGET (self->menu_button) ? gtk_widget_get_first_child (w) : NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (w),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, self->title,
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text ? text : "",
                                        -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->clear_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, clear_name, -1);
    }
}

void
jarchi_date_button_set_date (JarchiDateButton *self, GDateTime *date)
{
  g_autoptr(GDateTime) day = NULL;

  g_return_if_fail (JARCHI_IS_DATE_BUTTON (self));
  if (date != NULL)
    day = g_date_time_new_local (g_date_time_get_year (date), g_date_time_get_month (date),
                                 g_date_time_get_day_of_month (date), 0, 0, 0);
  if ((day == NULL && self->date == NULL)
      || (day != NULL && self->date != NULL && g_date_time_equal (day, self->date)))
    return;
  g_clear_pointer (&self->date, g_date_time_unref);
  self->date = g_steal_pointer (&day);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
}

GDateTime *
jarchi_date_button_get_date (JarchiDateButton *self)
{
  g_return_val_if_fail (JARCHI_IS_DATE_BUTTON (self), NULL);
  return self->date;
}

static void
pick (JarchiDateButton *self)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (self->calendar);

  jarchi_date_button_set_date (self, date);
  gtk_menu_button_popdown (self->menu_button);
}

static void
move_to (JarchiDateButton *self, GDateTime *date)
{
  self->moving = TRUE;
  gtk_calendar_select_day (self->calendar, date);
  self->moving = FALSE;
}

/* A click on a day picks it and closes the popover. */
static void
on_day_selected (GtkCalendar *calendar, JarchiDateButton *self)
{
  if (!self->moving)
    pick (self);
}

/* GtkCalendar 4.8 starts its keyboard focus on no day (the first arrow lands on the top-left
 * cell, often last month's), so the keys are ours: arrows move the highlighted day from the
 * one shown, Enter or Space picks it. */
static gboolean
on_calendar_key (GtkEventControllerKey *controller, guint keyval, guint keycode,
                 GdkModifierType state, JarchiDateButton *self)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  g_autoptr(GDateTime) shown = NULL;
  g_autoptr(GDateTime) next = NULL;
  int days;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK))
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left: case GDK_KEY_KP_Left: days = rtl ? 1 : -1; break;
    case GDK_KEY_Right: case GDK_KEY_KP_Right: days = rtl ? -1 : 1; break;
    case GDK_KEY_Up: case GDK_KEY_KP_Up: days = -7; break;
    case GDK_KEY_Down: case GDK_KEY_KP_Down: days = 7; break;
    case GDK_KEY_Return: case GDK_KEY_KP_Enter: case GDK_KEY_ISO_Enter:
    case GDK_KEY_space: case GDK_KEY_KP_Space:
      pick (self);
      return TRUE;
    default:
      return FALSE;
    }
  shown = gtk_calendar_get_date (self->calendar);
  next = g_date_time_add_days (shown, days);
  move_to (self, next);
  return TRUE;
}

/* Opens on the picked day (else today) with the keyboard in the calendar. */
static void
on_popover_show (GtkPopover *popover, JarchiDateButton *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  move_to (self, self->date ? self->date : now);
  gtk_widget_grab_focus (GTK_WIDGET (self->calendar));
}

static void
on_clear (GtkButton *button, JarchiDateButton *self)
{
  jarchi_date_button_set_date (self, NULL);
}

static void
jarchi_date_button_dispose (GObject *object)
{
  JarchiDateButton *self = JARCHI_DATE_BUTTON (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (jarchi_date_button_parent_class)->dispose (object);
}

static void
jarchi_date_button_finalize (GObject *object)
{
  JarchiDateButton *self = JARCHI_DATE_BUTTON (object);

  g_clear_pointer (&self->date, g_date_time_unref);
  g_free (self->placeholder);
  g_free (self->title);

  G_OBJECT_CLASS (jarchi_date_button_parent_class)->finalize (object);
}

static void
jarchi_date_button_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiDateButton *self = JARCHI_DATE_BUTTON (object);

  switch (prop_id)
    {
    case PROP_DATE: g_value_set_boxed (value, self->date); break;
    case PROP_PLACEHOLDER: g_value_set_string (value, self->placeholder); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_date_button_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiDateButton *self = JARCHI_DATE_BUTTON (object);

  switch (prop_id)
    {
    case PROP_DATE:
      jarchi_date_button_set_date (self, g_value_get_boxed (value));
      break;
    case PROP_PLACEHOLDER:
      g_free (self->placeholder);
      self->placeholder = g_value_dup_string (value);
      update (self);
      break;
    case PROP_TITLE:
      g_free (self->title);
      self->title = g_value_dup_string (value);
      update (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_date_button_class_init (JarchiDateButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = jarchi_date_button_dispose;
  object_class->finalize = jarchi_date_button_finalize;
  object_class->get_property = jarchi_date_button_get_property;
  object_class->set_property = jarchi_date_button_set_property;

  properties[PROP_DATE] = g_param_spec_boxed ("date", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_PLACEHOLDER] = g_param_spec_string ("placeholder", NULL, NULL, NULL, rw);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "jarchi-date-button");
}

static void
jarchi_date_button_init (JarchiDateButton *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  GtkEventController *keys;

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->box, "linked");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->menu_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_always_show_arrow (self->menu_button, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->menu_button), TRUE);
  self->calendar = GTK_CALENDAR (gtk_calendar_new ());
  gtk_popover_set_child (GTK_POPOVER (popover), GTK_WIDGET (self->calendar));
  gtk_menu_button_set_popover (self->menu_button, popover);
  g_signal_connect_object (popover, "show", G_CALLBACK (on_popover_show), self, 0);
  g_signal_connect_object (self->calendar, "day-selected", G_CALLBACK (on_day_selected), self, 0);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_calendar_key), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->calendar), keys);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->menu_button));

  self->clear_button = GTK_BUTTON (clear);
  gtk_widget_set_tooltip_text (clear, _("Any date"));
  g_signal_connect_object (clear, "clicked", G_CALLBACK (on_clear), self, 0);
  gtk_box_append (GTK_BOX (self->box), clear);
  update (self);
}

GtkWidget *
jarchi_date_button_new (void)
{
  return g_object_new (JARCHI_TYPE_DATE_BUTTON, NULL);
}
