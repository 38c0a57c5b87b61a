/* JarchiCampaignView: follows the runner's campaign-changed signal to keep counters, chart and table current. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-campaign-view.h"
#include "jarchi-error.h"
#include "jarchi-results-chart.h"
#include "jarchi-target-item.h"

/* The table shows at most this many rows; the CSV export always has every target. */
#define MAX_ROWS 5000
/* Live updates arrive up to five times a second; the table is reloaded at most this often. */
#define REFRESH_MS 400

typedef enum {
  COUNTER_TOTAL,
  COUNTER_FINISHED,
  COUNTER_IN_PROGRESS,
  COUNTER_ANSWER_RATE,
  COUNTER_RESULT,      /* one per result from here on */
} CounterKind;

typedef struct {
  const char         *description;   /* also the accessible description of the number */
  CounterKind         kind;
  JarchiTargetResult  result;
} CounterSpec;

static const CounterSpec counter_specs[] = {
  { N_("Targets"), COUNTER_TOTAL, 0 },
  { N_("Finished"), COUNTER_FINISHED, 0 },
  { N_("Calls up"), COUNTER_IN_PROGRESS, 0 },
  { N_("Answer rate"), COUNTER_ANSWER_RATE, 0 },
  { N_("Confirmed"), COUNTER_RESULT, JARCHI_TARGET_RESULT_CONFIRMED },
  { N_("Heard"), COUNTER_RESULT, JARCHI_TARGET_RESULT_HEARD },
  { N_("No answer"), COUNTER_RESULT, JARCHI_TARGET_RESULT_NO_ANSWER },
  { N_("Busy"), COUNTER_RESULT, JARCHI_TARGET_RESULT_BUSY },
  { N_("Failed"), COUNTER_RESULT, JARCHI_TARGET_RESULT_FAILED },
  { N_("Hung up"), COUNTER_RESULT, JARCHI_TARGET_RESULT_HUNG_UP },
  { N_("Opted out"), COUNTER_RESULT, JARCHI_TARGET_RESULT_OPTED_OUT },
  { N_("Do not call"), COUNTER_RESULT, JARCHI_TARGET_RESULT_DO_NOT_CALL },
};

struct _JarchiCampaignView
{
  GtkWidget             parent_instance;

  JarchiService        *service;
  JarchiCampaign       *campaign;
  gulong                changed_id;
  guint                 refresh_id;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  GListStore           *rows;

  GtkLabel             *name_label;
  GtkLabel             *state_label;
  GtkLabel             *message_label;
  GtkProgressBar       *progress_bar;
  GtkFlowBox           *counters_box;
  JarchiResultsChart   *chart;
  GtkDropDown          *filter_dropdown;
  GtkLabel             *targets_label;
  GtkColumnView        *table;
  GtkLabel             *counters[G_N_ELEMENTS (counter_specs)];
};

G_DEFINE_FINAL_TYPE (JarchiCampaignView, jarchi_campaign_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_CAMPAIGN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CLOSED,
  SIGNAL_EDIT_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
state_label (JarchiCampaignState state)
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

static void
show_message (JarchiCampaignView *self, const char *text, gboolean error)
{
  gtk_label_set_text (self->message_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
}

static JarchiCampaignStore *
campaign_store (JarchiCampaignView *self)
{
  return jarchi_service_get_campaign_store (self->service);
}

/* ---- refresh ------------------------------------------------------------------------------- */

static void
update_controls (JarchiCampaignView *self)
{
  JarchiCampaignState s = self->campaign ? jarchi_campaign_get_state (self->campaign) : JARCHI_CAMPAIGN_STATE_DRAFT;
  gboolean have = self->campaign != NULL && self->service != NULL;
  GtkWidget *w = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (w, "campaign.start", have && s == JARCHI_CAMPAIGN_STATE_DRAFT);
  gtk_widget_action_set_enabled (w, "campaign.pause", have && jarchi_campaign_state_can_change (s, JARCHI_CAMPAIGN_STATE_PAUSED));
  gtk_widget_action_set_enabled (w, "campaign.resume", have && s == JARCHI_CAMPAIGN_STATE_PAUSED);
  gtk_widget_action_set_enabled (w, "campaign.cancel", have && jarchi_campaign_state_can_change (s, JARCHI_CAMPAIGN_STATE_CANCELLED));
  gtk_widget_action_set_enabled (w, "campaign.edit", have && s == JARCHI_CAMPAIGN_STATE_DRAFT);
  gtk_widget_action_set_enabled (w, "campaign.export", have && s != JARCHI_CAMPAIGN_STATE_DRAFT);
}

static void
update_counters (JarchiCampaignView *self, const JarchiCampaignStats *st)
{
  for (guint i = 0; i < G_N_ELEMENTS (counter_specs); i++)
    {
      g_autofree char *text = NULL;

      switch (counter_specs[i].kind)
        {
        case COUNTER_TOTAL: text = g_strdup_printf ("%u", st->total); break;
        case COUNTER_FINISHED: text = g_strdup_printf ("%u", st->finished); break;
        case COUNTER_IN_PROGRESS: text = g_strdup_printf ("%u", st->in_progress); break;
        case COUNTER_ANSWER_RATE: text = g_strdup_printf ("%.0f %%", st->answer_rate * 100); break;
        case COUNTER_RESULT:
        default:
          text = g_strdup_printf ("%u", st->results[counter_specs[i].result]);
        }
      gtk_label_set_text (self->counters[i], text);
    }
}

static void
update_state_text (JarchiCampaignView *self, const JarchiCampaignStats *st)
{
  JarchiCampaignState s = jarchi_campaign_get_state (self->campaign);
  g_autoptr(GString) text = g_string_new (state_label (s));
  g_autofree char *progress = NULL;

  if (s == JARCHI_CAMPAIGN_STATE_RUNNING && st->eta_s >= 0 && st->finished < st->total)
    /* TRANSLATORS: estimated time left, in minutes */
    g_string_append_printf (text, _(" · about %u min left"), (guint) ((st->eta_s + 59) / 60));
  if (st->next_window_at > 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (st->next_window_at);
      g_autofree char *when = dt ? g_date_time_format (dt, "%a %H:%M") : NULL;

      if (when)
        g_string_append_printf (text, _(" · waiting for the calling window (%s)"), when);
    }
  gtk_label_set_text (self->state_label, text->str);

  gtk_progress_bar_set_fraction (self->progress_bar, st->total ? (double) st->finished / st->total : 0);
  /* TRANSLATORS: campaign progress: targets finished of all targets */
  progress = g_strdup_printf (_("%u of %u finished"), st->finished, st->total);
  gtk_progress_bar_set_text (self->progress_bar, progress);
}

static gboolean
target_finished (const JarchiCampaignTarget *t)
{
  return t->ended_at > 0 && t->next_attempt_at == 0
         && t->result != JARCHI_TARGET_RESULT_PENDING && t->result != JARCHI_TARGET_RESULT_CALLING;
}

static void
reload_targets (JarchiCampaignView *self)
{
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ended = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  guint filter = gtk_drop_down_get_selected (self->filter_dropdown);
  guint total = 0, matching = 0;
  g_autofree char *text = NULL;

  if (jarchi_campaign_get_state (self->campaign) != JARCHI_CAMPAIGN_STATE_DRAFT)
    targets = jarchi_campaign_store_list_targets (campaign_store (self), jarchi_campaign_get_id (self->campaign),
                                                  -1, 0, 0, &total, &error);
  if (error != NULL)
    show_message (self, error->message, TRUE);
  for (guint i = 0; targets && i < targets->len; i++)
    {
      JarchiCampaignTarget *t = g_ptr_array_index (targets, i);

      if (target_finished (t))
        g_array_append_val (ended, t->ended_at);
      if (filter != 0 && filter != GTK_INVALID_LIST_POSITION && t->result != filter - 1)
        continue;
      matching++;
      if (items->len < MAX_ROWS)
        g_ptr_array_add (items, jarchi_target_item_new (jarchi_campaign_target_copy (t)));
    }
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       items->pdata, items->len);
  jarchi_results_chart_set_timeline (self->chart, ended);

  if (matching > items->len)
    text = g_strdup_printf (_("First %u of %u targets"), items->len, matching);
  else if (matching == total)
    text = g_strdup_printf (ngettext ("%u target", "%u targets", total), total);
  else
    text = g_strdup_printf (_("%u of %u targets"), matching, total);
  gtk_label_set_text (self->targets_label, text);
}

static void
refresh (JarchiCampaignView *self)
{
  const JarchiCampaignStats *st;

  update_controls (self);
  if (self->campaign == NULL || self->service == NULL)
    return;
  st = jarchi_campaign_get_stats (self->campaign);
  gtk_label_set_text (self->name_label, jarchi_campaign_get_name (self->campaign));
  update_state_text (self, st);
  update_counters (self, st);
  jarchi_results_chart_set_stats (self->chart, st);
  reload_targets (self);
}

static gboolean
refresh_timeout (gpointer user_data)
{
  JarchiCampaignView *self = user_data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
on_campaign_changed (JarchiCampaignRunner *runner, JarchiCampaign *campaign, JarchiCampaignView *self)
{
  if (campaign != self->campaign)
    return;
  /* The state and counters show at once; the table follows at a calmer pace. */
  update_controls (self);
  update_state_text (self, jarchi_campaign_get_stats (campaign));
  update_counters (self, jarchi_campaign_get_stats (campaign));
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (REFRESH_MS, refresh_timeout, self);
}

/* ---- actions ------------------------------------------------------------------------------- */

static void
report (JarchiCampaignView *self, gboolean ok, GError *error)
{
  if (!ok)
    show_message (self, error ? error->message : _("The campaign could not be changed"), TRUE);
  else
    show_message (self, NULL, FALSE);
  refresh (self);
}

static void
start_now (JarchiCampaignView *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = jarchi_campaign_runner_start (jarchi_service_get_campaign_runner (self->service),
                                              self->campaign, &error);

  report (self, ok, error);
}

/* A spoken message is synthesised once before the start, as POST .../start does. */
static void
synthesized (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(JarchiCampaignView) self = user_data;
  g_autoptr(JarchiMedia) media = NULL;
  g_autoptr(JarchiCampaignConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  media = jarchi_media_library_synthesize_finish (JARCHI_MEDIA_LIBRARY (source), result, NULL, &error);
  if (g_cancellable_is_cancelled (self->cancellable) || self->campaign == NULL)
    return;
  if (media == NULL || jarchi_campaign_get_state (self->campaign) != JARCHI_CAMPAIGN_STATE_DRAFT)
    {
      report (self, media != NULL, error);
      return;
    }
  config = jarchi_campaign_config_copy (jarchi_campaign_get_config (self->campaign));
  config->media_id = (guint) media->id;
  if (!jarchi_campaign_set_config (self->campaign, config, &error)
      || !jarchi_campaign_store_save (campaign_store (self), self->campaign, &error))
    {
      report (self, FALSE, error);
      return;
    }
  start_now (self);
}

static void
start_action (GtkWidget *widget, const char *name, GVariant *param)
{
  JarchiCampaignView *self = JARCHI_CAMPAIGN_VIEW (widget);
  const JarchiCampaignConfig *cfg = jarchi_campaign_get_config (self->campaign);
  g_autoptr(GError) error = NULL;

  if (!jarchi_campaign_config_check_startable (cfg, &error))
    {
      report (self, FALSE, error);
      return;
    }
  if (cfg->media_id == 0 && cfg->tts_text != NULL)
    {
      show_message (self, _("Preparing the spoken message…"), FALSE);
      gtk_widget_action_set_enabled (widget, "campaign.start", FALSE);
      jarchi_media_library_synthesize_async (jarchi_service_get_media_library (self->service),
                                             cfg->tts_text, cfg->tts_lang, self->cancellable,
                                             synthesized, g_object_ref (self));
      return;
    }
  start_now (self);
}

static void
state_action (GtkWidget *widget, const char *name, GVariant *param)
{
  JarchiCampaignView *self = JARCHI_CAMPAIGN_VIEW (widget);
  JarchiCampaignRunner *runner = jarchi_service_get_campaign_runner (self->service);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_str_equal (name, "campaign.pause"))
    ok = jarchi_campaign_runner_pause (runner, self->campaign, &error);
  else if (g_str_equal (name, "campaign.resume"))
    ok = jarchi_campaign_runner_resume (runner, self->campaign, &error);
  else
    ok = jarchi_campaign_runner_cancel (runner, self->campaign, &error);
  report (self, ok, error);
}

static void
back_action (GtkWidget *widget, const char *name, GVariant *param)
{
  g_signal_emit (widget, signals[SIGNAL_CLOSED], 0);
}

static void
edit_action (GtkWidget *widget, const char *name, GVariant *param)
{
  g_signal_emit (widget, signals[SIGNAL_EDIT_REQUESTED], 0);
}

static gboolean
write_report (JarchiCampaignView *self, GFile *file, guint *n_rows, GError **error)
{
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(GString) csv = NULL;

  targets = jarchi_campaign_store_list_targets (campaign_store (self), jarchi_campaign_get_id (self->campaign),
                                                -1, 0, 0, NULL, error);
  if (targets == NULL)
    return FALSE;
  /* Byte for byte what GET /api/campaigns/{id}/report.csv sends, BOM included. */
  csv = g_string_new ("\xEF\xBB\xBF");
  jarchi_campaign_target_csv_header (csv);
  for (guint i = 0; i < targets->len; i++)
    jarchi_campaign_target_csv_row (g_ptr_array_index (targets, i), csv);
  *n_rows = targets->len;
  return g_file_replace_contents (file, csv->str, csv->len, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                  NULL, NULL, error);
}

static void
export_response (GtkNativeDialog *dialog, int response, JarchiCampaignView *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (response == GTK_RESPONSE_ACCEPT && self->campaign != NULL
      && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      if (write_report (self, file, &n, &error))
        {
          g_autofree char *base = g_file_get_basename (file);
          g_autofree char *text = g_strdup_printf (ngettext ("Saved %u target to “%s”", "Saved %u targets to “%s”", n),
                                                   n, base);
          show_message (self, text, FALSE);
        }
      else
        show_message (self, error->message, TRUE);
    }
  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget *widget, const char *name, GVariant *param)
{
  JarchiCampaignView *self = JARCHI_CAMPAIGN_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *file_name = g_strdup_printf ("campaign-%" G_GINT64_FORMAT ".csv",
                                                jarchi_campaign_get_id (self->campaign));

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export Campaign Report"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), file_name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- the table ----------------------------------------------------------------------------- */

typedef enum {
  COL_NAME, COL_PHONE, COL_DEPARTMENT, COL_DISTRICT, COL_RESULT, COL_ATTEMPTS, COL_CODE, COL_KEYS
} Column;

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  const JarchiCampaignTarget *t = jarchi_target_item_get_target (gtk_list_item_get_item (item));
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *owned = NULL;
  const char *text = "";

  switch ((Column) GPOINTER_TO_INT (user_data))
    {
    case COL_NAME: text = t->name; break;
    case COL_PHONE: text = t->phone; break;
    case COL_DEPARTMENT: text = t->department; break;
    case COL_DISTRICT: text = t->district; break;
    case COL_RESULT: text = jarchi_results_chart_result_label (t->result); break;
    case COL_ATTEMPTS: text = owned = g_strdup_printf ("%u", t->attempts); break;
    case COL_CODE: text = t->last_code ? (owned = g_strdup_printf ("%u", t->last_code)) : ""; break;
    case COL_KEYS: text = t->digits; break;
    default: break;
    }
  gtk_label_set_text (label, text ? text : "");
}

static void
add_column (JarchiCampaignView *self, const char *title, Column col, gboolean expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (col));
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->table, column);
}

static void
build_table (JarchiCampaignView *self)
{
  g_autoptr(GtkStringList) filters = gtk_string_list_new (NULL);
  g_autoptr(GtkNoSelection) selection = NULL;

  self->rows = g_list_store_new (JARCHI_TYPE_TARGET_ITEM);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (selection));
  add_column (self, _("Name"), COL_NAME, TRUE);
  add_column (self, _("Phone"), COL_PHONE, FALSE);
  add_column (self, _("Department"), COL_DEPARTMENT, FALSE);
  add_column (self, _("District"), COL_DISTRICT, FALSE);
  add_column (self, _("Result"), COL_RESULT, FALSE);
  add_column (self, _("Attempts"), COL_ATTEMPTS, FALSE);
  add_column (self, _("SIP code"), COL_CODE, FALSE);
  add_column (self, _("Keys"), COL_KEYS, FALSE);

  gtk_string_list_append (filters, _("All results"));
  for (guint r = 0; r < JARCHI_N_TARGET_RESULTS; r++)
    gtk_string_list_append (filters, jarchi_results_chart_result_label (r));
  gtk_drop_down_set_model (self->filter_dropdown, G_LIST_MODEL (filters));
  g_signal_connect_object (self->filter_dropdown, "notify::selected", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
}

static void
build_counters (JarchiCampaignView *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (counter_specs); i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *number = gtk_label_new ("0");
      GtkWidget *caption = gtk_label_new (_(counter_specs[i].description));

      gtk_widget_add_css_class (box, "card");
      gtk_widget_set_margin_top (number, 8);
      gtk_widget_set_margin_bottom (caption, 8);
      gtk_widget_add_css_class (number, "title-2");
      gtk_widget_add_css_class (number, "numeric");
      gtk_widget_add_css_class (caption, "caption");
      gtk_label_set_ellipsize (GTK_LABEL (caption), PANGO_ELLIPSIZE_END);
      gtk_accessible_update_property (GTK_ACCESSIBLE (number), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _(counter_specs[i].description), -1);
      gtk_box_append (GTK_BOX (box), number);
      gtk_box_append (GTK_BOX (box), caption);
      gtk_flow_box_append (self->counters_box, box);
      self->counters[i] = GTK_LABEL (number);
    }
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
disconnect_runner (JarchiCampaignView *self)
{
  if (self->changed_id != 0 && self->service != NULL)
    g_signal_handler_disconnect (jarchi_service_get_campaign_runner (self->service), self->changed_id);
  self->changed_id = 0;
}

static void
jarchi_campaign_view_dispose (GObject *object)
{
  JarchiCampaignView *self = JARCHI_CAMPAIGN_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  disconnect_runner (self);
  if (self->chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), JARCHI_TYPE_CAMPAIGN_VIEW);
  /* The template's scroller is not a bound child: unparent it, or finalizing warns. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL; )
    gtk_widget_unparent (child);
  g_clear_object (&self->campaign);
  g_clear_object (&self->service);
  g_clear_object (&self->rows);
  G_OBJECT_CLASS (jarchi_campaign_view_parent_class)->dispose (object);
}

static void
jarchi_campaign_view_finalize (GObject *object)
{
  JarchiCampaignView *self = JARCHI_CAMPAIGN_VIEW (object);

  /* Kept past dispose: a late async callback checks it before touching disposed widgets. */
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (jarchi_campaign_view_parent_class)->finalize (object);
}

static void
jarchi_campaign_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiCampaignView *self = JARCHI_CAMPAIGN_VIEW (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    case PROP_CAMPAIGN:
      g_value_set_object (value, self->campaign);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_campaign_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiCampaignView *self = JARCHI_CAMPAIGN_VIEW (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      jarchi_campaign_view_set_service (self, g_value_get_object (value));
      break;
    case PROP_CAMPAIGN:
      jarchi_campaign_view_set_campaign (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_campaign_view_class_init (JarchiCampaignViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jarchi_campaign_view_dispose;
  object_class->finalize = jarchi_campaign_view_finalize;
  object_class->get_property = jarchi_campaign_view_get_property;
  object_class->set_property = jarchi_campaign_view_set_property;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, JARCHI_TYPE_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAMPAIGN] =
    g_param_spec_object ("campaign", NULL, NULL, JARCHI_TYPE_CAMPAIGN,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_EDIT_REQUESTED] =
    g_signal_new ("edit-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (JARCHI_TYPE_RESULTS_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jarchi/Jarchi/campaign-view.ui");
  gtk_widget_class_bind_template_child (widget_class, JarchiCampaignView, name_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiCampaignView, state_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiCampaignView, message_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiCampaignView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, JarchiCampaignView, counters_box);
  gtk_widget_class_bind_template_child (widget_class, JarchiCampaignView, chart);
  gtk_widget_class_bind_template_child (widget_class, JarchiCampaignView, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JarchiCampaignView, targets_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiCampaignView, table);

  gtk_widget_class_install_action (widget_class, "campaign.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "campaign.pause", NULL, state_action);
  gtk_widget_class_install_action (widget_class, "campaign.resume", NULL, state_action);
  gtk_widget_class_install_action (widget_class, "campaign.cancel", NULL, state_action);
  gtk_widget_class_install_action (widget_class, "campaign.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "campaign.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "campaign.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "campaign.back", NULL);
}

static void
jarchi_campaign_view_init (JarchiCampaignView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  build_counters (self);
  build_table (self);
  update_controls (self);
}

GtkWidget *
jarchi_campaign_view_new (void)
{
  return g_object_new (JARCHI_TYPE_CAMPAIGN_VIEW, NULL);
}

void
jarchi_campaign_view_set_service (JarchiCampaignView *self, JarchiService *service)
{
  g_return_if_fail (JARCHI_IS_CAMPAIGN_VIEW (self));

  if (self->service == service)
    return;
  jarchi_campaign_view_set_campaign (self, NULL);
  disconnect_runner (self);
  g_set_object (&self->service, service);
  if (service != NULL)
    self->changed_id = g_signal_connect (jarchi_service_get_campaign_runner (service), "campaign-changed",
                                         G_CALLBACK (on_campaign_changed), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
}

void
jarchi_campaign_view_set_campaign (JarchiCampaignView *self, JarchiCampaign *campaign)
{
  g_return_if_fail (JARCHI_IS_CAMPAIGN_VIEW (self));

  if (self->campaign == campaign)
    {
      refresh (self);
      return;
    }
  g_set_object (&self->campaign, campaign);
  show_message (self, NULL, FALSE);
  gtk_drop_down_set_selected (self->filter_dropdown, 0);
  if (campaign == NULL)
    g_list_store_remove_all (self->rows);
  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMPAIGN]);
}

JarchiCampaign *
jarchi_campaign_view_get_campaign (JarchiCampaignView *self)
{
  g_return_val_if_fail (JARCHI_IS_CAMPAIGN_VIEW (self), NULL);
  return self->campaign;
}
