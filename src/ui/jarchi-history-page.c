/* JarchiHistoryPage: the History page, every call in a column view with search, filters, playback, call back and CSV export. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "jarchi-history-page"
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-date-button.h"
#include "jarchi-history-model.h"
#include "jarchi-history-page.h"
#include "jarchi-recording-player.h"

/* Rows per export step: one step keeps the main loop busy for about 20 ms. */
#define EXPORT_ROWS 2000

typedef enum {
  COLUMN_DIRECTION,
  COLUMN_REMOTE,
  COLUMN_CONTACT,
  COLUMN_ACCOUNT,
  COLUMN_START,
  COLUMN_DURATION,
  COLUMN_RESULT,
  COLUMN_CAMPAIGN,
  N_COLUMNS
} Column;

struct _JarchiHistoryPage
{
  AdwBin                 parent_instance;

  JarchiService         *service;
  JarchiHistoryModel    *model;
  GtkSingleSelection    *selection;
  JarchiRecordingPlayer *player;
  gint64                 selected_id;   /* the entry the player bar is about; 0: none */

  GtkNativeDialog       *chooser;
  GFile                 *export_file;
  GString               *export_data;
  JarchiHistoryCsvCursor export_cursor;
  guint                  export_rows;
  guint                  export_idle;
  GCancellable          *cancellable;

  AdwToastOverlay       *toast_overlay;
  GtkSearchEntry        *search_entry;
  GtkDropDown           *direction_dropdown;
  GtkDropDown           *result_dropdown;
  JarchiDateButton      *from_button;
  JarchiDateButton      *to_button;
  GtkLabel              *count_label;
  GtkStack              *content_stack;
  GtkColumnView         *column_view;
  AdwStatusPage         *empty_page;
  GtkRevealer           *player_revealer;
  GtkLabel              *selected_label;
  GtkButton             *play_button;
  GtkAdjustment         *seek_adjustment;
  GtkLabel              *time_label;
};

G_DEFINE_FINAL_TYPE (JarchiHistoryPage, jarchi_history_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toast (JarchiHistoryPage *self, const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* ---- cells ---------------------------------------------------------------------------------- */

static JarchiHistoryItem *
selected_item (JarchiHistoryPage *self)
{
  return self->selection ? gtk_single_selection_get_selected_item (self->selection) : NULL;
}

/* "sip:1001@pbx" → "1001@pbx": the scheme says nothing to a person. */
static const char *
shown_remote (JarchiHistoryEntry *e)
{
  const char *remote = jarchi_history_entry_get_remote (e);

  if (g_str_has_prefix (remote, "sip:"))
    return remote + 4;
  if (g_str_has_prefix (remote, "tel:"))
    return remote + 4;
  return remote;
}

static char *
format_duration (gint64 seconds)
{
  if (seconds >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600), (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

static char *
format_start (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_seconds);

  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
}

static char *
result_text (JarchiHistoryEntry *e)
{
  const char *reason = jarchi_history_entry_get_end_reason (e);
  guint code = jarchi_history_entry_get_sip_code (e);

  if (*reason == '\0')
    return g_strdup (jarchi_history_entry_get_answered_at (e) ? _("In call") : _("Ringing"));
  if (code >= 300 && jarchi_history_entry_get_answered_at (e) == 0)
    return g_strdup_printf ("%s (%u)", reason, code);
  return g_strdup (reason);
}

static char *
cell_text (JarchiHistoryItem *item, Column column)
{
  JarchiHistoryEntry *e = jarchi_history_item_get_entry (item);
  const char *s;

  switch (column)
    {
    case COLUMN_REMOTE:
      return g_strdup (shown_remote (e));
    case COLUMN_CONTACT:
      s = jarchi_history_item_get_contact_name (item);
      return g_strdup (*s ? s : jarchi_history_entry_get_remote_name (e));
    case COLUMN_ACCOUNT:
      s = jarchi_history_item_get_account_name (item);
      return g_strdup (*s ? s : _("Direct"));
    case COLUMN_START:
      return format_start (jarchi_history_entry_get_started_at (e));
    case COLUMN_DURATION:
      return jarchi_history_entry_get_answered_at (e) ? format_duration (jarchi_history_entry_get_duration (e))
                                                     : g_strdup ("—");
    case COLUMN_RESULT:
      return result_text (e);
    case COLUMN_CAMPAIGN:
      return g_strdup (jarchi_history_item_get_campaign_name (item));
    case COLUMN_DIRECTION:
    case N_COLUMNS:
    default:
      return g_strdup ("");
    }
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  Column column = GPOINTER_TO_INT (user_data);

  if (column == COLUMN_DIRECTION)
    {
      gtk_list_item_set_child (list_item, gtk_image_new ());
      return;
    }
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column == COLUMN_DURATION || column == COLUMN_START)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  JarchiHistoryItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);

  if (item == NULL)
    return;
  if (column == COLUMN_DIRECTION)
    {
      JarchiHistoryEntry *e = jarchi_history_item_get_entry (item);
      gboolean incoming = jarchi_history_entry_get_direction (e) == JARCHI_CALL_DIRECTION_INCOMING;
      gboolean missed = incoming && jarchi_history_entry_get_answered_at (e) == 0 &&
                        *jarchi_history_entry_get_end_reason (e) != '\0';
      const char *label = missed ? _("Missed") : incoming ? _("Incoming") : _("Outgoing");

      gtk_image_set_from_icon_name (GTK_IMAGE (child), missed ? "call-missed-symbolic"
                                                     : incoming ? "call-incoming-symbolic"
                                                     : "call-outgoing-symbolic");
      gtk_widget_set_tooltip_text (child, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  else
    {
      g_autofree char *text = cell_text (item, column);

      gtk_label_set_text (GTK_LABEL (child), text);
      gtk_widget_set_tooltip_text (child, *text ? text : NULL);
    }
}

static void
add_column (JarchiHistoryPage *self, Column column, const char *title, gboolean expand, int width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) c = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (column));
  c = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (c, expand);
  gtk_column_view_column_set_resizable (c, column != COLUMN_DIRECTION);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (c, width);
  gtk_column_view_append_column (self->column_view, c);
}

/* ---- filters and the count ------------------------------------------------------------------ */

/* The picked day's local midnight (@end FALSE) or last second (@end TRUE); 0 when none. */
static gint64
date_bound (JarchiDateButton *button, gboolean end)
{
  GDateTime *day = jarchi_date_button_get_date (button);

  if (day == NULL)
    return 0;
  return g_date_time_to_unix (day) + (end ? 24 * 3600 - 1 : 0);
}

static gboolean
filtered (JarchiHistoryPage *self)
{
  return *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0' ||
         gtk_drop_down_get_selected (self->direction_dropdown) != 0 ||
         gtk_drop_down_get_selected (self->result_dropdown) != 0 ||
         jarchi_date_button_get_date (self->from_button) != NULL ||
         jarchi_date_button_get_date (self->to_button) != NULL;
}

static void
update_count (JarchiHistoryPage *self)
{
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u call", "%u calls", n), n);

  gtk_label_set_text (self->count_label, text);
  gtk_stack_set_visible_child_name (self->content_stack, n > 0 ? "list" : "empty");
  if (filtered (self))
    {
      adw_status_page_set_title (self->empty_page, _("No Matching Calls"));
      adw_status_page_set_description (self->empty_page, _("Try another search, direction, result or dates."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Call History"));
      adw_status_page_set_description (self->empty_page, _("Calls you make and receive will be listed here."));
    }
}

static void
on_filter_changed (JarchiHistoryPage *self)
{
  JarchiHistoryFilter filter = JARCHI_HISTORY_FILTER_INIT;
  guint direction = gtk_drop_down_get_selected (self->direction_dropdown);
  guint result = gtk_drop_down_get_selected (self->result_dropdown);

  if (self->model == NULL)
    return;
  filter.q = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  filter.any_direction = direction == 0 || direction == GTK_INVALID_LIST_POSITION;
  filter.direction = direction == 1 ? JARCHI_CALL_DIRECTION_INCOMING : JARCHI_CALL_DIRECTION_OUTGOING;
  filter.from = date_bound (self->from_button, FALSE);
  filter.to = date_bound (self->to_button, TRUE);
  jarchi_history_model_set_filter (self->model, &filter,
                                   result == GTK_INVALID_LIST_POSITION ? JARCHI_HISTORY_RESULT_ANY
                                                                       : (JarchiHistoryResult) result);
  update_count (self);
}

/* ---- the selected call: playback and call back ---------------------------------------------- */

static void
update_time (JarchiHistoryPage *self)
{
  gint64 position = jarchi_recording_player_get_position (self->player);
  gint64 duration = jarchi_recording_player_get_duration (self->player);
  g_autofree char *pos = format_duration (position / 1000);
  g_autofree char *dur = format_duration (duration / 1000);
  g_autofree char *text = g_strdup_printf ("%s / %s", pos, dur);

  gtk_label_set_text (self->time_label, text);
  gtk_adjustment_set_upper (self->seek_adjustment, MAX (duration, 1));
  gtk_adjustment_set_value (self->seek_adjustment, position);
}

static void
update_play_button (JarchiHistoryPage *self)
{
  gboolean playing = jarchi_recording_player_get_playing (self->player);
  const char *label = playing ? _("Pause") : _("Play");

  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               playing ? _("Pause the recording") : _("Play the call's recording"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
on_selection_changed (JarchiHistoryPage *self)
{
  JarchiHistoryItem *item = selected_item (self);
  JarchiHistoryEntry *e = item ? jarchi_history_item_get_entry (item) : NULL;
  gint64 id = e ? jarchi_history_entry_get_id (e) : 0;

  gtk_revealer_set_reveal_child (self->player_revealer, e != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.call-back", e != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.play",
                                 e != NULL && jarchi_history_entry_get_recording_path (e) != NULL);
  if (e != NULL)
    {
      g_autofree char *start = format_start (jarchi_history_entry_get_started_at (e));
      g_autofree char *text = NULL;
      const char *name = jarchi_history_item_get_contact_name (item);

      if (*name == '\0')
        name = jarchi_history_entry_get_remote_name (e);
      text = *name ? g_strdup_printf ("%s (%s), %s", name, shown_remote (e), start)
                   : g_strdup_printf ("%s, %s", shown_remote (e), start);
      gtk_label_set_text (self->selected_label, text);
    }
  /* A row re-read in place (its call ended) is still the same call: keep playing. */
  if (id == self->selected_id)
    return;
  self->selected_id = id;
  jarchi_recording_player_open (self->player, NULL, NULL);
  update_time (self);
}

static void
play_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiHistoryPage *self = JARCHI_HISTORY_PAGE (widget);
  JarchiHistoryItem *item = selected_item (self);
  const char *path = item ? jarchi_history_entry_get_recording_path (jarchi_history_item_get_entry (item)) : NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return;
  if (jarchi_recording_player_get_playing (self->player))
    {
      jarchi_recording_player_pause (self->player);
      return;
    }
  if (g_strcmp0 (jarchi_recording_player_get_path (self->player), path) != 0 &&
      !jarchi_recording_player_open (self->player, path, &error))
    {
      toast (self, error->message);
      return;
    }
  jarchi_recording_player_play (self->player);
}

static void
on_player_error (JarchiHistoryPage *self, const char *message)
{
  g_autofree char *text = g_strdup_printf (_("The recording cannot be played: %s"), message);

  toast (self, text);
  /* Open it afresh next time: the failed pipeline is left in NULL. */
  jarchi_recording_player_open (self->player, NULL, NULL);
}

static gboolean
on_seek (JarchiHistoryPage *self, GtkScrollType scroll, double value)
{
  jarchi_recording_player_seek (self->player, (gint64) value);
  return FALSE;
}

static void
call_back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiHistoryPage *self = JARCHI_HISTORY_PAGE (widget);
  JarchiHistoryItem *item = selected_item (self);

  if (item == NULL)
    return;
  /* The Phone page dials it with the account chosen there, as any other call. */
  gtk_widget_activate_action (widget, "win.dial", "s",
                              jarchi_history_entry_get_remote (jarchi_history_item_get_entry (item)));
}

static void
on_row_activated (JarchiHistoryPage *self, guint position)
{
  /* Enter or a double click plays the row's recording, when it has one. */
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self), "history.play", NULL);
}

/* ---- CSV export ----------------------------------------------------------------------------- */

static void
export_finish (JarchiHistoryPage *self)
{
  g_clear_handle_id (&self->export_idle, g_source_remove);
  g_clear_object (&self->export_file);
  if (self->export_data != NULL)
    g_string_free (g_steal_pointer (&self->export_data), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.export", TRUE);
}

typedef struct {
  JarchiHistoryPage *self;
  char              *name;
  guint              rows;
} Written;

static void
export_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Written *w = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("Could not export the calls: %s"), error->message);
          toast (w->self, text);
        }
    }
  else
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u call to “%s”",
                                                            "Exported %u calls to “%s”", w->rows),
                                               w->rows, w->name);
      toast (w->self, text);
    }
  g_free (w->name);
  g_free (w);
}

/* One piece per idle turn, so a 100,000-row export does not freeze the window. */
static gboolean
export_step (gpointer user_data)
{
  JarchiHistoryPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) piece = jarchi_history_model_export_chunk (self->model, &self->export_cursor,
                                                               EXPORT_ROWS, &error);
  g_autoptr(GBytes) bytes = NULL;
  Written *w;
  gsize len;
  const char *data;

  if (piece == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not export the calls: %s"), error->message);

      self->export_idle = 0;
      toast (self, text);
      export_finish (self);
      return G_SOURCE_REMOVE;
    }
  data = g_bytes_get_data (piece, &len);
  g_string_append_len (self->export_data, data, len);
  for (gsize i = 0; i < len; i++)
    self->export_rows += data[i] == '\n';
  if (!self->export_cursor.done)
    return G_SOURCE_CONTINUE;

  self->export_idle = 0;
  w = g_new0 (Written, 1);
  w->self = self;
  w->name = g_file_get_basename (self->export_file);
  w->rows = self->export_rows > 0 ? self->export_rows - 1 : 0;   /* less the header */
  bytes = g_string_free_to_bytes (g_steal_pointer (&self->export_data));
  g_file_replace_contents_bytes_async (self->export_file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, self->cancellable,
                                       export_written, w);
  export_finish (self);
  return G_SOURCE_REMOVE;
}

static void
export_response (JarchiHistoryPage *self, int response, GtkNativeDialog *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
  if (file == NULL || self->model == NULL)
    return;
  /* What the page shows is what gets saved: the same search and filters. */
  self->export_file = g_steal_pointer (&file);
  self->export_data = g_string_new (NULL);
  self->export_cursor = (JarchiHistoryCsvCursor) { 0 };
  self->export_rows = 0;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.export", FALSE);
  self->export_idle = g_idle_add (export_step, self);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiHistoryPage *self = JARCHI_HISTORY_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL || self->model == NULL || self->export_idle != 0)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Calls"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  /* TRANSLATORS: the suggested file name for exported calls; keep the .csv ending. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("calls.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response), self, G_CONNECT_SWAPPED);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* ---- service and GObject -------------------------------------------------------------------- */

void
jarchi_history_page_set_service (JarchiHistoryPage *self, JarchiService *service)
{
  JarchiCallHistory *history;

  g_return_if_fail (JARCHI_IS_HISTORY_PAGE (self));

  if (!g_set_object (&self->service, service))
    return;
  gtk_column_view_set_model (self->column_view, NULL);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  history = service ? jarchi_service_get_call_history (service) : NULL;
  if (history != NULL)
    {
      self->model = jarchi_history_model_new (history);
      self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
      g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (on_selection_changed), self);
      g_signal_connect_swapped (self->model, "notify::n-items", G_CALLBACK (update_count), self);
      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
      on_filter_changed (self);
    }
  update_count (self);
  on_selection_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
}

static void
jarchi_history_page_dispose (GObject *object)
{
  JarchiHistoryPage *self = JARCHI_HISTORY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  export_finish (self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->player != NULL)
    g_signal_handlers_disconnect_by_data (self->player, self);
  /* The bin's child is a template child: disposing the template unparents it behind AdwBin's
   * back, and AdwBin's own dispose then unparents the freed widget again (a critical when the
   * window is destroyed). Letting the bin drop it first keeps both in step. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), JARCHI_TYPE_HISTORY_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->player);
  g_clear_object (&self->service);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (jarchi_history_page_parent_class)->dispose (object);
}

static void
jarchi_history_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SERVICE: g_value_set_object (value, JARCHI_HISTORY_PAGE (object)->service); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_history_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SERVICE: jarchi_history_page_set_service (JARCHI_HISTORY_PAGE (object), g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_history_page_class_init (JarchiHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jarchi_history_page_dispose;
  object_class->get_property = jarchi_history_page_get_property;
  object_class->set_property = jarchi_history_page_set_property;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, JARCHI_TYPE_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jarchi/Jarchi/history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JarchiHistoryPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, JarchiHistoryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, JarchiHistoryPage, direction_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JarchiHistoryPage, result_dropdown);
  g_type_ensure (JARCHI_TYPE_DATE_BUTTON);
  gtk_widget_class_bind_template_child (widget_class, JarchiHistoryPage, from_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiHistoryPage, to_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiHistoryPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiHistoryPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, JarchiHistoryPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, JarchiHistoryPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, JarchiHistoryPage, player_revealer);
  gtk_widget_class_bind_template_child (widget_class, JarchiHistoryPage, selected_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiHistoryPage, play_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiHistoryPage, seek_adjustment);
  gtk_widget_class_bind_template_child (widget_class, JarchiHistoryPage, time_label);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_seek);

  gtk_widget_class_install_action (widget_class, "history.play", NULL, play_action);
  gtk_widget_class_install_action (widget_class, "history.call-back", NULL, call_back_action);
  gtk_widget_class_install_action (widget_class, "history.export", NULL, export_action);
}

static void
jarchi_history_page_init (JarchiHistoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->player = jarchi_recording_player_new ();
  g_signal_connect_swapped (self->player, "notify::position", G_CALLBACK (update_time), self);
  g_signal_connect_swapped (self->player, "notify::duration", G_CALLBACK (update_time), self);
  g_signal_connect_swapped (self->player, "notify::playing", G_CALLBACK (update_play_button), self);
  g_signal_connect_swapped (self->player, "error", G_CALLBACK (on_player_error), self);

  add_column (self, COLUMN_DIRECTION, "", FALSE, 40);
  add_column (self, COLUMN_REMOTE, _("Number"), TRUE, 160);
  add_column (self, COLUMN_CONTACT, _("Contact"), TRUE, 140);
  add_column (self, COLUMN_ACCOUNT, _("Account"), FALSE, 110);
  add_column (self, COLUMN_START, _("Started"), FALSE, 160);
  add_column (self, COLUMN_DURATION, _("Duration"), FALSE, 80);
  add_column (self, COLUMN_RESULT, _("Result"), FALSE, 120);
  add_column (self, COLUMN_CAMPAIGN, _("Campaign"), FALSE, 120);
  update_count (self);
  on_selection_changed (self);
}
