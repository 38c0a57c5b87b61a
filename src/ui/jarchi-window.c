/* JarchiWindow: the main window; each page is filled in by the component that owns it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-broadcasts-page.h"
#include "jarchi-contacts-page.h"
#include "jarchi-dialer-page.h"
#include "jarchi-history-page.h"
#include "jarchi-window.h"

struct _JarchiWindow
{
  AdwApplicationWindow  parent_instance;

  JarchiService        *service;

  AdwViewStack         *stack;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkRevealer          *background_revealer;
  JarchiBroadcastsPage *broadcasts_page;
  JarchiContactsPage   *contacts_page;
  JarchiDialerPage     *phone_page;
  JarchiHistoryPage    *history_page;
};

G_DEFINE_FINAL_TYPE (JarchiWindow, jarchi_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_page_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  jarchi_window_show_page (JARCHI_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* win.show-dialer (s): the Phone page with the number entry focused, holding the target if
 * one is given (a sip:/sips:/tel: URI from the command line, say). */
static void
show_dialer_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiWindow *self = JARCHI_WINDOW (widget);
  const char *number = g_variant_get_string (parameter, NULL);

  jarchi_window_show_page (self, "phone");
  jarchi_dialer_page_show_number (self->phone_page, *number ? number : NULL);
}

/* win.dial (s): calls the target ("": what the Phone page's entry holds) from the Phone page,
 * with the account chosen there. */
static void
dial_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiWindow *self = JARCHI_WINDOW (widget);

  jarchi_window_show_page (self, "phone");
  jarchi_dialer_page_dial (self->phone_page, g_variant_get_string (parameter, NULL));
}

static void
jarchi_window_dispose (GObject *object)
{
  JarchiWindow *self = JARCHI_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), JARCHI_TYPE_WINDOW);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (jarchi_window_parent_class)->dispose (object);
}

static void
jarchi_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiWindow *self = JARCHI_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_set_object (&self->service, g_value_get_object (value));
      jarchi_broadcasts_page_set_service (self->broadcasts_page, self->service);
      jarchi_contacts_page_set_service (self->contacts_page, self->service);
      jarchi_dialer_page_set_service (self->phone_page, self->service);
      jarchi_history_page_set_service (self->history_page, self->service);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiWindow *self = JARCHI_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_window_class_init (JarchiWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jarchi_window_dispose;
  object_class->set_property = jarchi_window_set_property;
  object_class->get_property = jarchi_window_get_property;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, JARCHI_TYPE_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (JARCHI_TYPE_BROADCASTS_PAGE);
  g_type_ensure (JARCHI_TYPE_CONTACTS_PAGE);
  g_type_ensure (JARCHI_TYPE_DIALER_PAGE);
  g_type_ensure (JARCHI_TYPE_HISTORY_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jarchi/Jarchi/window.ui");
  gtk_widget_class_bind_template_child (widget_class, JarchiWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, JarchiWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, JarchiWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, JarchiWindow, background_revealer);
  gtk_widget_class_bind_template_child (widget_class, JarchiWindow, broadcasts_page);
  gtk_widget_class_bind_template_child (widget_class, JarchiWindow, contacts_page);
  gtk_widget_class_bind_template_child (widget_class, JarchiWindow, phone_page);
  gtk_widget_class_bind_template_child (widget_class, JarchiWindow, history_page);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-dialer", "s", show_dialer_action);
  gtk_widget_class_install_action (widget_class, "win.dial", "s", dial_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-page", "s", "phone");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-page", "s", "history");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-page", "s", "contacts");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.show-page", "s", "broadcasts");
}

static void
jarchi_window_init (JarchiWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

JarchiWindow *
jarchi_window_new (AdwApplication *app, JarchiService *service)
{
  return g_object_new (JARCHI_TYPE_WINDOW,
                       "application", app,
                       "service", service,
                       NULL);
}

void
jarchi_window_show_page (JarchiWindow *self, const char *name)
{
  g_return_if_fail (JARCHI_IS_WINDOW (self));

  if (adw_view_stack_get_child_by_name (self->stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, name);
}

void
jarchi_window_set_background_denied (JarchiWindow *self, gboolean denied)
{
  g_return_if_fail (JARCHI_IS_WINDOW (self));
  gtk_revealer_set_reveal_child (self->background_revealer, denied);
}
