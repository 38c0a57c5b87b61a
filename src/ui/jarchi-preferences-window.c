/* JarchiPreferencesWindow: SIP accounts (live registration state), audio devices with a test tone and mic meter, the dashboard's address, port, password and token. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <gst/gst.h>

#include "jarchi-account-dialog.h"
#include "jarchi-media-session.h"
#include "jarchi-preferences-window.h"

struct _JarchiPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  JarchiService        *service;
  GSettings            *settings;

  /* Accounts */
  GtkListBox           *accounts_list;

  /* Audio */
  AdwComboRow          *input_row;
  AdwComboRow          *output_row;
  GtkLabel             *devices_label;
  GtkLabel             *tone_label;
  GtkLevelBar          *mic_level;
  GtkToggleButton      *mic_button;
  GstDeviceMonitor     *monitor;
  GPtrArray            *inputs;   /* GstDevice, in the order of input_row's items after "default" */
  GPtrArray            *outputs;
  gboolean              filling;  /* the combo rows are being refilled: not a choice */
  GstElement           *tone;
  GstElement           *meter;

  /* Dashboard */
  GtkLabel             *url_label;
  GtkLabel             *next_url_label;
  GtkLabel             *token_label;
  GtkSwitch            *lan_switch;
  GtkSpinButton        *port_spin;
  AdwPasswordEntryRow  *password_row;
  AdwPasswordEntryRow  *password_again_row;
  GtkLabel             *password_label;
  GtkSwitch            *background_switch;
  GtkSwitch            *tray_switch;
  GtkSwitch            *dnd_switch;
};

G_DEFINE_FINAL_TYPE (JarchiPreferencesWindow, jarchi_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- accounts --- */

static const char *
state_text (JarchiAccount *account)
{
  switch (jarchi_account_get_registration_state (account))
    {
    case JARCHI_REGISTRATION_REGISTERING:
      return _("Registering…");
    case JARCHI_REGISTRATION_REGISTERED:
      return _("Registered");
    case JARCHI_REGISTRATION_FAILED:
      return _("Registration failed");
    case JARCHI_REGISTRATION_UNREGISTERED:
    default:
      return _("Not registered");
    }
}

static void
update_account_row (GtkWidget *label, GParamSpec *pspec, JarchiAccount *account)
{
  const char *error = jarchi_account_get_registration_error (account);
  g_autofree char *text = NULL;

  if (jarchi_account_get_registration_state (account) == JARCHI_REGISTRATION_FAILED
      && error != NULL && *error != '\0')
    text = g_strdup_printf ("%s: %s", state_text (account), error);
  else
    text = g_strdup (state_text (account));
  gtk_label_set_text (GTK_LABEL (label), text);
}

static void
on_account_state_changed (JarchiAccount *account, GParamSpec *pspec, GtkWidget *label)
{
  update_account_row (label, pspec, account);
}

static GtkWidget *
make_account_row (gpointer item, gpointer user_data)
{
  JarchiAccount *account = JARCHI_ACCOUNT (item);
  const char *uri = jarchi_account_get_uri (account);
  const char *name = jarchi_account_get_display_name (account);
  g_autofree char *state_desc = g_strdup_printf (_("Registration state of %s"), uri);
  g_autofree char *edit_label = g_strdup_printf (_("Edit %s"), uri);
  g_autofree char *remove_label = g_strdup_printf (_("Remove %s"), uri);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *state = gtk_label_new (NULL);
  GtkWidget *edit = gtk_button_new_from_icon_name ("document-edit-symbolic");
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  guint id = jarchi_account_get_id (account);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name && *name ? name : uri);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), uri);
  gtk_label_set_wrap (GTK_LABEL (state), TRUE);
  gtk_label_set_xalign (GTK_LABEL (state), 1);
  gtk_widget_add_css_class (state, "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (state), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  state_desc, -1);
  update_account_row (state, NULL, account);
  /* The row may outlive neither the account nor the label: tie the handler to the label. */
  g_signal_connect_object (account, "notify::registration-state",
                           G_CALLBACK (on_account_state_changed), state, 0);
  g_signal_connect_object (account, "notify::registration-error",
                           G_CALLBACK (on_account_state_changed), state, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);

  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *button = i == 0 ? edit : remove;

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, i == 0 ? _("Edit") : _("Remove"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      i == 0 ? edit_label : remove_label, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button),
                                      i == 0 ? "prefs.edit-account" : "prefs.remove-account");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", id);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

static JarchiAccountStore *
account_store (JarchiPreferencesWindow *self)
{
  return self->service ? jarchi_service_get_account_store (self->service) : NULL;
}

static void
open_account_dialog (JarchiPreferencesWindow *self, guint id)
{
  JarchiAccountStore *store = account_store (self);

  if (store != NULL)
    gtk_window_present (GTK_WINDOW (jarchi_account_dialog_new (GTK_WINDOW (self), store, id)));
}

static void
add_account_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  open_account_dialog (JARCHI_PREFERENCES_WINDOW (widget), 0);
}

static void
edit_account_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  open_account_dialog (JARCHI_PREFERENCES_WINDOW (widget), g_variant_get_uint32 (parameter));
}

static void
on_remove_response (AdwMessageDialog *dialog, const char *response, JarchiPreferencesWindow *self)
{
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "account-id"));
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "remove") != 0 || account_store (self) == NULL)
    return;
  /* No toast: libadwaita 1.2 warns when a window closes while one shows. */
  if (!jarchi_account_store_remove (account_store (self), id, &error))
    {
      GtkWidget *alert = adw_message_dialog_new (GTK_WINDOW (self), _("Cannot Remove the Account"),
                                                 error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (alert), "close", _("Close"));
      gtk_window_present (GTK_WINDOW (alert));
    }
}

static void
remove_account_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiPreferencesWindow *self = JARCHI_PREFERENCES_WINDOW (widget);
  guint id = g_variant_get_uint32 (parameter);
  JarchiCallManager *manager = self->service ? jarchi_service_get_call_manager (self->service) : NULL;
  JarchiAccount *account = manager ? jarchi_call_manager_lookup_account (manager, id) : NULL;
  GtkWidget *dialog;

  if (account == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Remove Account?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%s will be unregistered and forgotten, with its password. "
                                    "Its calls stay in the history."),
                                  jarchi_account_get_uri (account));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("Cancel"),
                                    "remove", _("Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "account-id", GUINT_TO_POINTER (id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- audio devices --- */

/* An element for a test pipeline: the variable's gst-launch chain (as calls use it), else the
 * device, else @fallback. */
static GstElement *
make_audio_element (const char *variable, GstDevice *device, const char *fallback, GError **error)
{
  const char *desc = g_getenv (variable);

  if ((desc == NULL || *desc == '\0') && device != NULL)
    {
      GstElement *element = gst_device_create_element (device, NULL);

      if (element != NULL)
        return element;
    }
  return gst_parse_bin_from_description_full (desc && *desc ? desc : fallback, TRUE, NULL,
                                              GST_PARSE_FLAG_FATAL_ERRORS, error);
}

static GstDevice *
chosen_device (GPtrArray *devices, AdwComboRow *row)
{
  guint selected = adw_combo_row_get_selected (row);

  if (selected == GTK_INVALID_LIST_POSITION || selected == 0 || selected > devices->len)
    return NULL;
  return g_ptr_array_index (devices, selected - 1);
}

static gboolean
is_input (GstDevice *device)
{
  return gst_device_has_classes (device, "Audio/Source");
}

static GstDevice *
find_device (GList *devices, gboolean input, const char *name)
{
  for (GList *l = devices; l != NULL && name != NULL && *name != '\0'; l = l->next)
    {
      g_autofree char *device_name = gst_device_get_display_name (l->data);

      if (is_input (l->data) == input && g_strcmp0 (device_name, name) == 0)
        return l->data;
    }
  return NULL;
}

void
jarchi_preferences_window_apply_audio_devices (GSettings *settings)
{
  g_autoptr(GstDeviceMonitor) monitor = NULL;
  g_autofree char *input = g_settings_get_string (settings, "audio-input-device");
  g_autofree char *output = g_settings_get_string (settings, "audio-output-device");
  GList *devices;

  if (*input == '\0' && *output == '\0')
    {
      jarchi_media_session_set_audio_devices (NULL, NULL);
      return;
    }
  gst_init (NULL, NULL);
  monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (monitor, "Audio/Source", NULL);
  gst_device_monitor_add_filter (monitor, "Audio/Sink", NULL);
  /* Without start() the providers are probed once, which is all a start-up needs. */
  devices = gst_device_monitor_get_devices (monitor);
  jarchi_media_session_set_audio_devices (find_device (devices, TRUE, input),
                                          find_device (devices, FALSE, output));
  g_list_free_full (devices, gst_object_unref);
}

static void
fill_device_row (JarchiPreferencesWindow *self, AdwComboRow *row, GPtrArray *devices,
                 const char *key)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *saved = g_settings_get_string (self->settings, key);
  guint selected = 0;

  gtk_string_list_append (names, _("System Default"));
  for (guint i = 0; i < devices->len; i++)
    {
      g_autofree char *name = gst_device_get_display_name (g_ptr_array_index (devices, i));

      gtk_string_list_append (names, name);
      if (g_strcmp0 (name, saved) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (row, selected);
}

static void
refresh_devices (JarchiPreferencesWindow *self)
{
  GList *devices = gst_device_monitor_get_devices (self->monitor);

  g_ptr_array_set_size (self->inputs, 0);
  g_ptr_array_set_size (self->outputs, 0);
  for (GList *l = devices; l != NULL; l = l->next)
    g_ptr_array_add (is_input (l->data) ? self->inputs : self->outputs, g_object_ref (l->data));
  g_list_free_full (devices, gst_object_unref);

  self->filling = TRUE;
  fill_device_row (self, self->input_row, self->inputs, "audio-input-device");
  fill_device_row (self, self->output_row, self->outputs, "audio-output-device");
  self->filling = FALSE;

  /* Said plainly: an empty list is what GStreamer sees, not a list still loading. */
  if (self->inputs->len == 0 && self->outputs->len == 0)
    gtk_label_set_text (self->devices_label,
                        _("No microphones or speakers were found. Calls use the system default "
                          "devices, which may be silent on this computer."));
  else
    {
      g_autofree char *text = g_strdup_printf (_("Found %u microphones and %u speakers."),
                                               self->inputs->len, self->outputs->len);
      gtk_label_set_text (self->devices_label, text);
    }
}

static gboolean
on_monitor_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_DEVICE_ADDED ||
      GST_MESSAGE_TYPE (message) == GST_MESSAGE_DEVICE_REMOVED)
    refresh_devices (JARCHI_PREFERENCES_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
on_device_chosen (JarchiPreferencesWindow *self, GParamSpec *pspec, AdwComboRow *row)
{
  gboolean input = row == self->input_row;
  GstDevice *device;
  g_autofree char *name = NULL;

  if (self->filling)
    return;
  device = chosen_device (input ? self->inputs : self->outputs, row);
  name = device ? gst_device_get_display_name (device) : g_strdup ("");
  g_settings_set_string (self->settings, input ? "audio-input-device" : "audio-output-device", name);
  jarchi_media_session_set_audio_devices (chosen_device (self->inputs, self->input_row),
                                          chosen_device (self->outputs, self->output_row));
}

static void
stop_pipeline (GstElement **pipeline)
{
  if (*pipeline == NULL)
    return;
  gst_element_set_state (*pipeline, GST_STATE_NULL);
  gst_bus_remove_watch (GST_ELEMENT_BUS (*pipeline));
  gst_clear_object (pipeline);
}

/* SRC ! ... ! SINK from a gst-launch middle part, the devices added by hand. */
static GstElement *
make_test_pipeline (const char *middle, GstElement *source, GstElement *sink, GError **error)
{
  g_autoptr(GstElement) pipeline = gst_pipeline_new (NULL);
  GstElement *bin = gst_parse_bin_from_description_full (middle, TRUE, NULL,
                                                         GST_PARSE_FLAG_FATAL_ERRORS, error);

  if (bin == NULL || source == NULL || sink == NULL)
    {
      gst_clear_object (&source);
      gst_clear_object (&sink);
      if (bin != NULL)
        gst_object_unref (bin);
      return NULL;
    }
  gst_object_ref_sink (pipeline);
  gst_bin_add_many (GST_BIN (pipeline), source, bin, sink, NULL);
  if (!gst_element_link_many (source, bin, sink, NULL))
    {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION, _("Cannot connect the audio device"));
      return NULL;
    }
  return g_steal_pointer (&pipeline);
}

static gboolean
on_tone_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  JarchiPreferencesWindow *self = JARCHI_PREFERENCES_WINDOW (user_data);
  g_autoptr(GError) error = NULL;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autofree char *text = NULL;

      gst_message_parse_error (message, &error, NULL);
      text = g_strdup_printf (_("Cannot play the test tone: %s"), error->message);
      gtk_label_set_text (self->tone_label, text);
    }
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
    gtk_label_set_text (self->tone_label, _("The test tone was played."));
  else
    return G_SOURCE_CONTINUE;
  /* G_SOURCE_REMOVE drops this watch; the bus outlives the pipeline through the dispatch. */
  gst_element_set_state (self->tone, GST_STATE_NULL);
  gst_clear_object (&self->tone);
  return G_SOURCE_REMOVE;
}

/* prefs.test-tone: two seconds of 1 kHz to the chosen speaker. */
static void
test_tone_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiPreferencesWindow *self = JARCHI_PREFERENCES_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  GstElement *source = gst_element_factory_make ("audiotestsrc", NULL);
  GstElement *sink;

  stop_pipeline (&self->tone);
  sink = make_audio_element ("JARCHI_AUDIOSINK", chosen_device (self->outputs, self->output_row),
                             "autoaudiosink", &error);
  if (source != NULL)
    g_object_set (source, "freq", 1000.0, "volume", 0.5, "num-buffers", 2 * 8000 / 160,
                  "samplesperbuffer", 160, NULL);
  self->tone = make_test_pipeline ("capsfilter caps=audio/x-raw,rate=8000,channels=1 ! audioconvert ! audioresample",
                                   source, sink, error ? NULL : &error);
  if (self->tone == NULL || gst_element_set_state (self->tone, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot play the test tone: %s"),
                                               error ? error->message : _("the speaker did not start"));
      gtk_label_set_text (self->tone_label, text);
      if (self->tone != NULL)
        gst_element_set_state (self->tone, GST_STATE_NULL);
      gst_clear_object (&self->tone);
      return;
    }
  gst_bus_add_watch (GST_ELEMENT_BUS (self->tone), on_tone_message, self);
  gtk_label_set_text (self->tone_label, _("Playing a 1 kHz tone…"));
}

static gboolean
on_meter_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  JarchiPreferencesWindow *self = JARCHI_PREFERENCES_WINDOW (user_data);
  const GstStructure *s = gst_message_get_structure (message);

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      gst_message_parse_error (message, &error, NULL);
      text = g_strdup_printf (_("Cannot open the microphone: %s"), error->message);
      gtk_label_set_text (self->tone_label, text);
      gtk_toggle_button_set_active (self->mic_button, FALSE);
    }
  else if (s != NULL && gst_structure_has_name (s, "level"))
    {
      const GValue *peaks = gst_structure_get_value (s, "peak");
      GValueArray *array = peaks ? g_value_get_boxed (peaks) : NULL;
      double db = -100;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      for (guint i = 0; array != NULL && i < array->n_values; i++)
        db = MAX (db, g_value_get_double (g_value_array_get_nth (array, i)));
G_GNUC_END_IGNORE_DEPRECATIONS
      /* dBFS to the bar's 0..1: -60 dB and below reads as silence. */
      gtk_level_bar_set_value (self->mic_level, CLAMP ((db + 60.0) / 60.0, 0.0, 1.0));
    }
  return G_SOURCE_CONTINUE;
}

static void
on_mic_toggled (JarchiPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  GstElement *source;

  stop_pipeline (&self->meter);
  gtk_level_bar_set_value (self->mic_level, 0);
  if (!gtk_toggle_button_get_active (self->mic_button))
    return;
  source = make_audio_element ("JARCHI_AUDIOSRC", chosen_device (self->inputs, self->input_row),
                               "autoaudiosrc", &error);
  self->meter = make_test_pipeline ("audioconvert ! level interval=100000000 post-messages=true",
                                    source, gst_element_factory_make ("fakesink", NULL),
                                    error ? NULL : &error);
  if (self->meter != NULL)
    gst_bus_add_watch (GST_ELEMENT_BUS (self->meter), on_meter_message, self);
  if (self->meter == NULL
      || gst_element_set_state (self->meter, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot open the microphone: %s"),
                                               error ? error->message : _("it did not start"));
      gtk_label_set_text (self->tone_label, text);
      stop_pipeline (&self->meter);
      gtk_toggle_button_set_active (self->mic_button, FALSE);
    }
}

/* --- dashboard --- */

static void
update_dashboard (JarchiPreferencesWindow *self)
{
  JarchiWebServer *server = self->service ? jarchi_service_get_web_server (self->service) : NULL;
  JarchiDashboardAuth *auth = self->service ? jarchi_service_get_auth (self->service) : NULL;
  g_autofree char *url = server ? jarchi_web_server_get_url (server) : NULL;
  g_autofree char *next = NULL;
  guint port = g_settings_get_uint (self->settings, "dashboard-port");

  const char *failed = self->service ? jarchi_service_get_dashboard_error (self->service) : NULL;

  gtk_label_set_text (self->url_label, url ? url : _("The dashboard is not running"));
  /* Changes apply at once (JarchiApplication): say where it now listens, or why it could not
   * move (the old address then still serves). */
  if (failed != NULL)
    next = g_strdup_printf (_("Cannot listen on port %u: %s"), port, failed);
  else if (server == NULL)
    next = g_strdup ("");
  else if (g_settings_get_boolean (self->settings, "dashboard-lan"))
    next = g_strdup_printf (_("Listening on port %u for the local network too: http://%s:%u/"),
                            jarchi_web_server_get_port (server), g_get_host_name (),
                            jarchi_web_server_get_port (server));
  else
    next = g_strdup_printf (_("Listening on port %u, this computer only"),
                            jarchi_web_server_get_port (server));
  gtk_label_set_text (self->next_url_label, next);
  if (failed != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->next_url_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->next_url_label), "error");
  gtk_label_set_text (self->token_label, auth ? jarchi_dashboard_auth_get_token (auth) : "");
  gtk_label_set_text (self->password_label,
                      auth && jarchi_dashboard_auth_has_password (auth)
                      ? _("A password is set: the dashboard asks for it in the browser.")
                      : _("No password is set: only the API token opens the dashboard."));
}

/* prefs.set-password: Argon2id hash into the data directory; browser sessions end. */
static void
set_password_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiPreferencesWindow *self = JARCHI_PREFERENCES_WINDOW (widget);
  JarchiDashboardAuth *auth = self->service ? jarchi_service_get_auth (self->service) : NULL;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *again = gtk_editable_get_text (GTK_EDITABLE (self->password_again_row));
  g_autoptr(GError) error = NULL;

  if (auth == NULL)
    return;
  if (*password == '\0' || g_strcmp0 (password, again) != 0)
    {
      gtk_label_set_text (self->password_label, *password == '\0'
                          ? _("Type the new password twice.")
                          : _("The two passwords differ."));
      return;
    }
  if (!jarchi_dashboard_auth_set_password (auth, password, &error))
    {
      gtk_label_set_text (self->password_label, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_again_row), "");
  update_dashboard (self);
}

/* --- object --- */

static void
jarchi_preferences_window_constructed (GObject *object)
{
  JarchiPreferencesWindow *self = JARCHI_PREFERENCES_WINDOW (object);
  JarchiCallManager *manager = self->service ? jarchi_service_get_call_manager (self->service) : NULL;
  g_autoptr(GstBus) bus = NULL;

  G_OBJECT_CLASS (jarchi_preferences_window_parent_class)->constructed (object);

  if (self->settings == NULL)
    self->settings = g_settings_new (JARCHI_APP_ID);
  if (manager != NULL)
    gtk_list_box_bind_model (self->accounts_list, jarchi_call_manager_get_accounts (manager),
                             make_account_row, self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.add-account", account_store (self) != NULL);

  /* GStreamer may not be up yet: calls start it on their first use. */
  gst_init (NULL, NULL);
  self->monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (self->monitor, "Audio/Source", NULL);
  gst_device_monitor_add_filter (self->monitor, "Audio/Sink", NULL);
  bus = gst_device_monitor_get_bus (self->monitor);
  gst_bus_add_watch (bus, on_monitor_message, self);
  /* FALSE when no provider can watch (no sound server): the probe in refresh still lists. */
  gst_device_monitor_start (self->monitor);
  refresh_devices (self);

  g_settings_bind (self->settings, "dashboard-lan", self->lan_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "dashboard-port", gtk_spin_button_get_adjustment (self->port_spin),
                   "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "show-tray-icon", self->tray_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "do-not-disturb", self->dnd_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::dashboard-lan", G_CALLBACK (update_dashboard),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::dashboard-port", G_CALLBACK (update_dashboard),
                           self, G_CONNECT_SWAPPED);
  if (self->service != NULL)
    {
      g_signal_connect_object (self->service, "notify::web-server", G_CALLBACK (update_dashboard),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->service, "notify::dashboard-error", G_CALLBACK (update_dashboard),
                               self, G_CONNECT_SWAPPED);
    }
  update_dashboard (self);
}

static void
jarchi_preferences_window_dispose (GObject *object)
{
  JarchiPreferencesWindow *self = JARCHI_PREFERENCES_WINDOW (object);

  stop_pipeline (&self->tone);
  stop_pipeline (&self->meter);
  if (self->monitor != NULL)
    {
      g_autoptr(GstBus) bus = gst_device_monitor_get_bus (self->monitor);

      gst_bus_remove_watch (bus);
      gst_device_monitor_stop (self->monitor);
    }
  gst_clear_object (&self->monitor);
  g_clear_pointer (&self->inputs, g_ptr_array_unref);
  g_clear_pointer (&self->outputs, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), JARCHI_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->service);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (jarchi_preferences_window_parent_class)->dispose (object);
}

static void
jarchi_preferences_window_get_property (GObject *object, guint prop_id, GValue *value,
                                        GParamSpec *pspec)
{
  JarchiPreferencesWindow *self = JARCHI_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_preferences_window_set_property (GObject *object, guint prop_id, const GValue *value,
                                        GParamSpec *pspec)
{
  JarchiPreferencesWindow *self = JARCHI_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      self->service = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_preferences_window_class_init (JarchiPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jarchi_preferences_window_constructed;
  object_class->dispose = jarchi_preferences_window_dispose;
  object_class->get_property = jarchi_preferences_window_get_property;
  object_class->set_property = jarchi_preferences_window_set_property;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, JARCHI_TYPE_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/jarchi/Jarchi/preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, input_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, output_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, devices_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, tone_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, mic_level);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, mic_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, url_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, next_url_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, token_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, lan_switch);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, port_spin);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, password_again_row);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, password_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, tray_switch);
  gtk_widget_class_bind_template_child (widget_class, JarchiPreferencesWindow, dnd_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_device_chosen);
  gtk_widget_class_bind_template_callback (widget_class, on_mic_toggled);

  gtk_widget_class_install_action (widget_class, "prefs.add-account", NULL, add_account_action);
  gtk_widget_class_install_action (widget_class, "prefs.edit-account", "u", edit_account_action);
  gtk_widget_class_install_action (widget_class, "prefs.remove-account", "u", remove_account_action);
  gtk_widget_class_install_action (widget_class, "prefs.test-tone", NULL, test_tone_action);
  gtk_widget_class_install_action (widget_class, "prefs.set-password", NULL, set_password_action);
}

static void
jarchi_preferences_window_init (JarchiPreferencesWindow *self)
{
  self->inputs = g_ptr_array_new_with_free_func (gst_object_unref);
  self->outputs = g_ptr_array_new_with_free_func (gst_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
}

JarchiPreferencesWindow *
jarchi_preferences_window_new (GtkWindow *parent, JarchiService *service, GSettings *settings)
{
  return g_object_new (JARCHI_TYPE_PREFERENCES_WINDOW, "transient-for", parent,
                       "service", service, "settings", settings, NULL);
}
