/* JarchiBroadcastsPage: a GtkListView over the campaign store; opens the editor and the campaign view. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-broadcast-editor.h"
#include "jarchi-broadcasts-page.h"
#include "jarchi-campaign-view.h"

struct _JarchiBroadcastsPage
{
  GtkWidget           parent_instance;

  JarchiService      *service;

  AdwToastOverlay    *toast_overlay;
  GtkStack           *stack;
  GtkLabel           *count_label;
  GtkListView        *list_view;
  JarchiCampaignView *campaign_view;
};

G_DEFINE_FINAL_TYPE (JarchiBroadcastsPage, jarchi_broadcasts_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
state_text (JarchiCampaignState state)
{
  switch (state)
    {
    case JARCHI_CAMPAIGN_STATE_DRAFT: return _("Draft");
    case JARCHI_CAMPAIGN_STATE_SCHEDULED: return _("Scheduled");
    case JARCHI_CAMPAIGN_STATE_RUNNING: return _("Running");
    case JARCHI_CAMPAIGN_STATE_PAUSED: return _("Paused");
    case JARCHI_CAMPAIGN_STATE_COMPLETED: return _("Completed");
    case JARCHI_CAMPAIGN_STATE_CANCELLED: return _("Cancelled");
    default: return "";
    }
}

static JarchiCampaignStore *
store_of (JarchiBroadcastsPage *self)
{
  return self->service ? jarchi_service_get_campaign_store (self->service) : NULL;
}

static void
update_empty (JarchiBroadcastsPage *self)
{
  JarchiCampaignStore *store = store_of (self);
  guint n = store ? g_list_model_get_n_items (G_LIST_MODEL (store)) : 0;
  g_autofree char *text = g_strdup_printf (ngettext ("%u campaign", "%u campaigns", n), n);
  const char *visible = gtk_stack_get_visible_child_name (self->stack);

  gtk_label_set_text (self->count_label, text);
  if (g_strcmp0 (visible, "campaign") != 0)
    gtk_stack_set_visible_child_name (self->stack, n ? "list" : "empty");
}

/* ---- rows ------------------------------------------------------------------------------------ */

typedef struct {
  GtkLabel       *name;
  GtkLabel       *state;
  GtkProgressBar *progress;
  GtkWidget      *open;
  GtkWidget      *delete;
} Row;

static void
update_row (JarchiCampaign *campaign, GParamSpec *pspec, Row *row)
{
  const JarchiCampaignStats *st = jarchi_campaign_get_stats (campaign);
  const char *name = jarchi_campaign_get_name (campaign);
  g_autofree char *progress = g_strdup_printf (_("%u of %u finished"), st->finished, st->total);
  g_autofree char *open = g_strdup_printf (_("Open %s"), name);
  g_autofree char *delete = g_strdup_printf (_("Delete %s"), name);

  gtk_label_set_text (row->name, name);
  gtk_label_set_text (row->state, state_text (jarchi_campaign_get_state (campaign)));
  gtk_progress_bar_set_fraction (row->progress, st->total ? (double) st->finished / st->total : 0);
  gtk_progress_bar_set_text (row->progress, progress);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->open), GTK_ACCESSIBLE_PROPERTY_LABEL, open, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->delete), GTK_ACCESSIBLE_PROPERTY_LABEL, delete, -1);
  gtk_widget_set_tooltip_text (row->delete, delete);
}

static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  Row *row = g_new0 (Row, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

  row->name = GTK_LABEL (gtk_label_new (NULL));
  row->state = GTK_LABEL (gtk_label_new (NULL));
  row->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  row->open = gtk_button_new_from_icon_name ("go-next-symbolic");
  row->delete = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_label_set_xalign (row->name, 0);
  gtk_label_set_ellipsize (row->name, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (row->name), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (row->name), "heading");
  gtk_widget_add_css_class (GTK_WIDGET (row->state), "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->name), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Campaign name"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->state), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Campaign state"), -1);
  gtk_progress_bar_set_show_text (row->progress, TRUE);
  gtk_widget_add_css_class (row->open, "flat");
  gtk_widget_add_css_class (row->delete, "flat");
  /* A target before the name: an "x" action with no target warns about the mismatch. */
  gtk_actionable_set_detailed_action_name (GTK_ACTIONABLE (row->open), "broadcasts.open(int64 0)");
  gtk_actionable_set_detailed_action_name (GTK_ACTIONABLE (row->delete), "broadcasts.delete(int64 0)");
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (row->name));
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (row->state));
  gtk_box_append (GTK_BOX (top), row->delete);
  gtk_box_append (GTK_BOX (top), row->open);
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->progress));
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  g_object_set_data_full (G_OBJECT (item), "row", row, g_free);
  gtk_list_item_set_child (item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  JarchiCampaign *campaign = gtk_list_item_get_item (item);
  Row *row = g_object_get_data (G_OBJECT (item), "row");
  GVariant *target = g_variant_new_int64 (jarchi_campaign_get_id (campaign));
  gulong id;

  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row->open), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row->delete), target);
  id = g_signal_connect (campaign, "notify", G_CALLBACK (update_row), row);
  g_object_set_data (G_OBJECT (item), "handler", GSIZE_TO_POINTER (id));
  update_row (campaign, NULL, row);
}

static void
unbind_row (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  gulong id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (item), "handler"));

  if (id != 0)
    g_signal_handler_disconnect (gtk_list_item_get_item (item), id);
  g_object_set_data (G_OBJECT (item), "handler", NULL);
}

/* ---- actions ------------------------------------------------------------------------------- */

static void
open_campaign (JarchiBroadcastsPage *self, JarchiCampaign *campaign)
{
  jarchi_campaign_view_set_campaign (self->campaign_view, campaign);
  gtk_stack_set_visible_child_name (self->stack, "campaign");
}

static void
editor_saved (JarchiBroadcastEditor *editor, JarchiCampaign *campaign, JarchiBroadcastsPage *self)
{
  g_autofree char *text = g_strdup_printf (_("“%s” saved as a draft"), jarchi_campaign_get_name (campaign));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
  open_campaign (self, campaign);
}

static void
show_editor (JarchiBroadcastsPage *self, JarchiCampaign *campaign)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  JarchiBroadcastEditor *editor;

  if (self->service == NULL)
    return;
  editor = jarchi_broadcast_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->service, campaign);
  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
new_action (GtkWidget *widget, const char *name, GVariant *param)
{
  show_editor (JARCHI_BROADCASTS_PAGE (widget), NULL);
}

static JarchiCampaign *
lookup (JarchiBroadcastsPage *self, GVariant *param)
{
  JarchiCampaignStore *store = store_of (self);

  return store ? jarchi_campaign_store_lookup (store, g_variant_get_int64 (param)) : NULL;
}

static void
open_action (GtkWidget *widget, const char *name, GVariant *param)
{
  JarchiBroadcastsPage *self = JARCHI_BROADCASTS_PAGE (widget);
  JarchiCampaign *campaign = lookup (self, param);

  if (campaign != NULL)
    open_campaign (self, campaign);
}

static void
delete_response (AdwMessageDialog *dialog, const char *response, JarchiBroadcastsPage *self)
{
  JarchiCampaign *campaign = g_object_get_data (G_OBJECT (dialog), "campaign");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0 || store_of (self) == NULL)
    return;
  if (!jarchi_campaign_store_remove (store_of (self), campaign, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
  update_empty (self);
}

static void
delete_action (GtkWidget *widget, const char *name, GVariant *param)
{
  JarchiBroadcastsPage *self = JARCHI_BROADCASTS_PAGE (widget);
  JarchiCampaign *campaign = lookup (self, param);
  JarchiCampaignState state;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (campaign == NULL)
    return;
  state = jarchi_campaign_get_state (campaign);
  /* As DELETE /api/campaigns/{id}: deleting drops the results, so a live campaign stays. */
  if (state == JARCHI_CAMPAIGN_STATE_SCHEDULED || state == JARCHI_CAMPAIGN_STATE_RUNNING
      || state == JARCHI_CAMPAIGN_STATE_PAUSED
      || jarchi_campaign_runner_get_n_campaign_calls (jarchi_service_get_campaign_runner (self->service), campaign) > 0)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Cancel the campaign and wait for its calls to end before deleting it")));
      return;
    }
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Delete Campaign?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), _("“%s” and all its results will be deleted."),
                                  jarchi_campaign_get_name (campaign));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "campaign", g_object_ref (campaign), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
view_closed (JarchiBroadcastsPage *self)
{
  gtk_stack_set_visible_child_name (self->stack, "list");
  jarchi_campaign_view_set_campaign (self->campaign_view, NULL);
  update_empty (self);
}

static void
view_edit (JarchiBroadcastsPage *self)
{
  show_editor (self, jarchi_campaign_view_get_campaign (self->campaign_view));
}

static void
store_items_changed (JarchiBroadcastsPage *self)
{
  JarchiCampaign *shown = jarchi_campaign_view_get_campaign (self->campaign_view);

  /* The campaign on view was deleted elsewhere (the dashboard, say). */
  if (shown != NULL && store_of (self)
      && jarchi_campaign_store_lookup (store_of (self), jarchi_campaign_get_id (shown)) != shown)
    view_closed (self);
  update_empty (self);
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
jarchi_broadcasts_page_dispose (GObject *object)
{
  JarchiBroadcastsPage *self = JARCHI_BROADCASTS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), JARCHI_TYPE_BROADCASTS_PAGE);
  g_clear_object (&self->service);
  G_OBJECT_CLASS (jarchi_broadcasts_page_parent_class)->dispose (object);
}

static void
jarchi_broadcasts_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiBroadcastsPage *self = JARCHI_BROADCASTS_PAGE (object);

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
jarchi_broadcasts_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiBroadcastsPage *self = JARCHI_BROADCASTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      jarchi_broadcasts_page_set_service (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_broadcasts_page_class_init (JarchiBroadcastsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jarchi_broadcasts_page_dispose;
  object_class->get_property = jarchi_broadcasts_page_get_property;
  object_class->set_property = jarchi_broadcasts_page_set_property;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, JARCHI_TYPE_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (JARCHI_TYPE_CAMPAIGN_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jarchi/Jarchi/broadcasts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JarchiBroadcastsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, JarchiBroadcastsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, JarchiBroadcastsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiBroadcastsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, JarchiBroadcastsPage, campaign_view);

  gtk_widget_class_install_action (widget_class, "broadcasts.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "broadcasts.open", "x", open_action);
  gtk_widget_class_install_action (widget_class, "broadcasts.delete", "x", delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "broadcasts.new", NULL);
}

static void
jarchi_broadcasts_page_init (JarchiBroadcastsPage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  g_signal_connect_swapped (self->campaign_view, "closed", G_CALLBACK (view_closed), self);
  g_signal_connect_swapped (self->campaign_view, "edit-requested", G_CALLBACK (view_edit), self);
  update_empty (self);
}

GtkWidget *
jarchi_broadcasts_page_new (JarchiService *service)
{
  return g_object_new (JARCHI_TYPE_BROADCASTS_PAGE, "service", service, NULL);
}

JarchiService *
jarchi_broadcasts_page_get_service (JarchiBroadcastsPage *self)
{
  g_return_val_if_fail (JARCHI_IS_BROADCASTS_PAGE (self), NULL);
  return self->service;
}

void
jarchi_broadcasts_page_set_service (JarchiBroadcastsPage *self, JarchiService *service)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (JARCHI_IS_BROADCASTS_PAGE (self));

  if (self->service == service)
    return;
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_data (store_of (self), self);
  gtk_list_view_set_model (self->list_view, NULL);
  view_closed (self);
  g_set_object (&self->service, service);
  jarchi_campaign_view_set_service (self->campaign_view, service);
  if (service != NULL)
    {
      selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (store_of (self))));
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
      g_signal_connect_swapped (store_of (self), "items-changed", G_CALLBACK (store_items_changed), self);
    }
  update_empty (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
}
