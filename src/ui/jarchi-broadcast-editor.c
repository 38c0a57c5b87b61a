/* JarchiBroadcastEditor: validates each group of fields with the core's campaign JSON parser, so desktop and API agree. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-broadcast-editor-private.h"

const char * const jarchi_broadcast_editor_langs[3] = { "uz", "ru", "en" };

G_DEFINE_FINAL_TYPE (JarchiBroadcastEditor, jarchi_broadcast_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_CAMPAIGN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
text_of (GtkEntry *entry)
{
  return gtk_editable_get_text (GTK_EDITABLE (entry));
}

static void
set_text (GtkEntry *entry, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text ? text : "");
}

static void
set_uint (GtkEntry *entry, guint value)
{
  g_autofree char *text = g_strdup_printf ("%u", value);
  set_text (entry, text);
}

void
jarchi_broadcast_editor_show_error (GtkLabel *label, const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

/* ---- the form as the API's JSON ------------------------------------------------------------ */

/* A whole number goes as one; anything else as typed, so that the core explains what is wrong. */
static void
add_number (JsonBuilder *b, const char *member, const char *text, gboolean allow_fraction)
{
  g_autofree char *t = g_strstrip (g_strdup (text));
  gint64 v;
  char *end = NULL;
  double d;

  json_builder_set_member_name (b, member);
  if (g_ascii_string_to_signed (t, 10, G_MININT64, G_MAXINT64, &v, NULL))
    json_builder_add_int_value (b, v);
  else if (allow_fraction && *t && (d = g_ascii_strtod (t, &end), end && *end == '\0'))
    json_builder_add_double_value (b, d);
  else
    json_builder_add_string_value (b, t);
}

static void
add_string (JsonBuilder *b, const char *member, const char *text)
{
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, text);
}

char *
jarchi_broadcast_editor_tts_text (JarchiBroadcastEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->tts_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
add_ids (JsonBuilder *b, const char *member, GHashTable *set)
{
  g_autoptr(GList) keys = g_hash_table_get_keys (set);

  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (GList *l = keys; l; l = l->next)
    json_builder_add_int_value (b, *(gint64 *) l->data);
  json_builder_end_array (b);
}

static void
add_group (JarchiBroadcastEditor *self, JsonBuilder *b, Group group)
{
  static const char * const day_names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

  switch (group)
    {
    case GROUP_NAME:
      add_string (b, "name", text_of (self->name_entry));
      break;
    case GROUP_MESSAGE:
      if (gtk_toggle_button_get_active (self->file_toggle) && self->media_id != 0)
        {
          json_builder_set_member_name (b, "message");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "media");
          json_builder_add_int_value (b, self->media_id);
          json_builder_end_object (b);
        }
      else if (gtk_toggle_button_get_active (self->tts_toggle))
        {
          g_autofree char *text = jarchi_broadcast_editor_tts_text (self);
          guint lang = gtk_drop_down_get_selected (self->lang_dropdown);

          if (*g_strstrip (text) == '\0')
            break;
          json_builder_set_member_name (b, "message");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "tts");
          json_builder_begin_object (b);
          add_string (b, "text", text);
          add_string (b, "lang", jarchi_broadcast_editor_langs[MIN (lang, G_N_ELEMENTS (jarchi_broadcast_editor_langs) - 1)]);
          json_builder_end_object (b);
          json_builder_end_object (b);
        }
      break;
    case GROUP_MENU:
      json_builder_set_member_name (b, "menu");
      json_builder_begin_object (b);
      add_string (b, "confirm", text_of (self->confirm_entry));
      add_string (b, "repeat", text_of (self->repeat_entry));
      add_string (b, "opt_out", text_of (self->opt_out_entry));
      add_number (b, "max_repeats", text_of (self->max_repeats_entry), FALSE);
      add_number (b, "timeout_s", text_of (self->menu_timeout_entry), FALSE);
      json_builder_end_object (b);
      break;
    case GROUP_LIMITS:
      add_number (b, "max_concurrent", text_of (self->concurrency_entry), FALSE);
      add_number (b, "cps", text_of (self->cps_entry), TRUE);
      add_number (b, "ring_timeout_s", text_of (self->ring_timeout_entry), FALSE);
      break;
    case GROUP_RETRIES:
      json_builder_set_member_name (b, "retries");
      json_builder_begin_object (b);
      for (guint k = 0; k < JARCHI_N_RETRY_KINDS; k++)
        {
          json_builder_set_member_name (b, jarchi_retry_kind_to_string (k));
          json_builder_begin_object (b);
          add_number (b, "count", text_of (self->retry_count[k]), FALSE);
          add_number (b, "delay_s", text_of (self->retry_delay[k]), FALSE);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      break;
    case GROUP_WINDOW:
      if (!gtk_switch_get_active (self->window_switch))
        break;
      json_builder_set_member_name (b, "window");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "days");
      json_builder_begin_array (b);
      for (guint d = 0; d < 7; d++)
        if (gtk_toggle_button_get_active (self->days[d]))
          json_builder_add_string_value (b, day_names[d]);
      json_builder_end_array (b);
      add_string (b, "start", text_of (self->window_start_entry));
      add_string (b, "end", text_of (self->window_end_entry));
      json_builder_end_object (b);
      break;
    case GROUP_SCHEDULE:
      if (gtk_switch_get_active (self->schedule_switch))
        {
          /* People type "2026-12-01 09:00"; the API wants ISO 8601. */
          g_autofree char *iso = g_strstrip (g_strdup (text_of (self->start_at_entry)));

          g_strdelimit (iso, " ", 'T');
          if (strlen (iso) == 16)
            {
              char *longer = g_strconcat (iso, ":00", NULL);
              g_free (iso);
              iso = longer;
            }
          add_string (b, "start_at", iso);
        }
      break;
    case N_GROUPS:
    default:
      break;
    }
}

/* @only: one group, with a stand-in name so that only that group's problems show; N_GROUPS: all. */
static JarchiCampaignConfig *
build_config (JarchiBroadcastEditor *self, Group only, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  guint account;

  json_builder_begin_object (b);
  if (only != GROUP_NAME && only != N_GROUPS)
    add_string (b, "name", "x");
  for (Group g = 0; g < N_GROUPS; g++)
    if (only == N_GROUPS || only == g)
      add_group (self, b, g);
  if (only == N_GROUPS)
    {
      account = gtk_drop_down_get_selected (self->account_dropdown);
      json_builder_set_member_name (b, "account");
      if (account != GTK_INVALID_LIST_POSITION && account < self->account_ids->len
          && g_array_index (self->account_ids, guint, account) != 0)
        json_builder_add_int_value (b, g_array_index (self->account_ids, guint, account));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "targets");
      json_builder_begin_object (b);
      add_ids (b, "departments", self->picked[0]);
      add_ids (b, "districts", self->picked[1]);
      add_ids (b, "contacts", self->picked[2]);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  return jarchi_campaign_config_from_json (node, error);
}

static gboolean
validate_now (gpointer user_data)
{
  JarchiBroadcastEditor *self = user_data;
  gboolean valid = TRUE;

  self->validate_id = 0;
  for (Group g = 0; g < N_GROUPS; g++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JarchiCampaignConfig) cfg = build_config (self, g, &error);

      jarchi_broadcast_editor_show_error (self->group_errors[g], cfg ? NULL : error->message);
      valid = valid && cfg != NULL;
    }
  self->valid = valid;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", valid);
  return G_SOURCE_REMOVE;
}

void
jarchi_broadcast_editor_queue_validate (JarchiBroadcastEditor *self)
{
  if (self->validate_id == 0)
    self->validate_id = g_idle_add (validate_now, self);
}

/* ---- recipients ---------------------------------------------------------------------------- */

static void
add_contact (GHashTable *resolved, JarchiContact *contact)
{
  gint64 id = jarchi_contact_get_id (contact);

  /* Inactive contacts are never frozen as targets (see jarchi_campaign_store_start). */
  if (jarchi_contact_get_active (contact) && !g_hash_table_contains (resolved, &id))
    g_hash_table_insert (resolved, g_memdup2 (&id, sizeof id), g_object_ref (contact));
}

static void
update_recipients (JarchiBroadcastEditor *self)
{
  JarchiContactBook *book = jarchi_service_get_contact_book (self->service);
  g_autoptr(GHashTable) resolved = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  g_autofree char *text = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint dnc = 0, total;

  for (guint which = 0; which < 2; which++)
    {
      g_hash_table_iter_init (&iter, self->picked[which]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          gint64 id = *(gint64 *) key;
          g_autoptr(GPtrArray) found = jarchi_contact_book_query (book, which == 0 ? id : 0, which == 1 ? id : 0,
                                                                  NULL, 0, G_MAXUINT, NULL, NULL);

          for (guint i = 0; found && i < found->len; i++)
            add_contact (resolved, g_ptr_array_index (found, i));
        }
    }
  g_hash_table_iter_init (&iter, self->picked[2]);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(JarchiContact) contact = jarchi_contact_book_get (book, *(gint64 *) key, NULL);
      if (contact)
        add_contact (resolved, contact);
    }
  g_hash_table_iter_init (&iter, resolved);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    dnc += jarchi_contact_book_is_dnc (book, jarchi_contact_get_phone (value));
  total = g_hash_table_size (resolved);
  /* TRANSLATORS: recipients resolved from the picked groups, then those on the do-not-call list */
  text = g_strdup_printf (ngettext ("%u recipient, %u excluded by do-not-call",
                                    "%u recipients, %u excluded by do-not-call", total), total, dnc);
  gtk_label_set_text (self->recipients_label, text);
}

static void
pick_toggled (GtkCheckButton *check, JarchiBroadcastEditor *self)
{
  GHashTable *set = g_object_get_data (G_OBJECT (check), "set");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (check), "id"));

  if (gtk_check_button_get_active (check))
    g_hash_table_add (set, g_memdup2 (&id, sizeof id));
  else
    g_hash_table_remove (set, &id);
  update_recipients (self);
}

static GtkWidget *
make_check (JarchiBroadcastEditor *self, GHashTable *set, gint64 id, const char *label)
{
  GtkWidget *check = gtk_check_button_new_with_label (label);

  g_object_set_data (G_OBJECT (check), "set", set);
  g_object_set_data (G_OBJECT (check), "id", GSIZE_TO_POINTER ((gsize) id));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_hash_table_contains (set, &id));
  g_signal_connect_object (check, "toggled", G_CALLBACK (pick_toggled), self, 0);
  return check;
}

static GtkWidget *
create_department (gpointer item, gpointer user_data)
{
  JarchiBroadcastEditor *self = user_data;
  g_autofree char *label = g_strdup_printf ("%s (%u)", jarchi_group_get_name (item), jarchi_group_get_count (item));

  return make_check (self, self->picked[0], jarchi_group_get_id (item), label);
}

static GtkWidget *
create_district (gpointer item, gpointer user_data)
{
  JarchiBroadcastEditor *self = user_data;
  g_autofree char *label = g_strdup_printf ("%s (%u)", jarchi_group_get_name (item), jarchi_group_get_count (item));

  return make_check (self, self->picked[1], jarchi_group_get_id (item), label);
}

static GtkWidget *
create_contact (gpointer item, gpointer user_data)
{
  JarchiBroadcastEditor *self = user_data;
  g_autofree char *label = g_strdup_printf ("%s · %s", jarchi_contact_get_name (item), jarchi_contact_get_phone (item));
  GtkWidget *check = make_check (self, self->picked[2], jarchi_contact_get_id (item), label);

  gtk_widget_set_margin_start (check, 6);
  return check;
}

static gboolean
contact_matches (gpointer item, gpointer user_data)
{
  JarchiBroadcastEditor *self = user_data;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->contact_search));
  g_autofree char *needle = NULL, *hay = NULL;

  if (search == NULL || *search == '\0')
    return TRUE;
  needle = jarchi_text_fold (search);
  hay = jarchi_text_fold (jarchi_contact_get_name (item));
  return strstr (hay, needle) != NULL || strstr (jarchi_contact_get_phone (item), search) != NULL;
}

static void
load_contacts (JarchiBroadcastEditor *self)
{
  g_autoptr(GPtrArray) all = jarchi_contact_book_query (jarchi_service_get_contact_book (self->service),
                                                        0, 0, NULL, 0, G_MAXUINT, NULL, NULL);

  g_list_store_remove_all (self->all_contacts);
  if (all != NULL)
    g_list_store_splice (self->all_contacts, 0, 0, all->pdata, all->len);
  update_recipients (self);
}

/* ---- accounts ------------------------------------------------------------------------------ */

static void
load_accounts (JarchiBroadcastEditor *self, guint keep_id)
{
  GListModel *accounts = jarchi_call_manager_get_accounts (jarchi_service_get_call_manager (self->service));
  guint n = g_list_model_get_n_items (accounts), selected = 0, none = 0;

  g_array_set_size (self->account_ids, 0);
  g_array_append_val (self->account_ids, none);
  gtk_string_list_splice (self->account_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->account_names)), NULL);
  gtk_string_list_append (self->account_names, _("No account yet"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JarchiAccount) account = g_list_model_get_item (accounts, i);
      guint id = jarchi_account_get_id (account);
      const char *display = jarchi_account_get_display_name (account);
      g_autofree char *label = display && *display
        ? g_strdup_printf ("%s <%s>", display, jarchi_account_get_uri (account))
        : g_strdup (jarchi_account_get_uri (account));

      g_array_append_val (self->account_ids, id);
      gtk_string_list_append (self->account_names, label);
      /* A new campaign goes out through the first account unless one is picked. */
      if (id == keep_id || (keep_id == G_MAXUINT && selected == 0))
        selected = i + 1;
    }
  gtk_drop_down_set_selected (self->account_dropdown, selected);
}

/* An account added or removed meanwhile (the dashboard, say): keep the one picked. */
static void
accounts_changed (JarchiBroadcastEditor *self)
{
  guint selected = gtk_drop_down_get_selected (self->account_dropdown);
  guint keep = selected < self->account_ids->len ? g_array_index (self->account_ids, guint, selected) : 0;

  load_accounts (self, keep);
}

/* ---- loading and saving -------------------------------------------------------------------- */

static void
load_config (JarchiBroadcastEditor *self, const JarchiCampaignConfig *cfg)
{
  char digit[2] = { 0, 0 };
  GArray *ids[3] = { cfg->departments, cfg->districts, cfg->contacts };

  set_text (self->name_entry, cfg->name);
  for (guint w = 0; w < 3; w++)
    for (guint i = 0; i < ids[w]->len; i++)
      g_hash_table_add (self->picked[w], g_memdup2 (&g_array_index (ids[w], gint64, i), sizeof (gint64)));
  self->media_id = cfg->media_id;
  if (cfg->tts_text != NULL && cfg->media_id == 0)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->tts_view), cfg->tts_text, -1);
      for (guint l = 0; l < G_N_ELEMENTS (jarchi_broadcast_editor_langs); l++)
        if (g_strcmp0 (cfg->tts_lang, jarchi_broadcast_editor_langs[l]) == 0)
          gtk_drop_down_set_selected (self->lang_dropdown, l);
      gtk_toggle_button_set_active (self->tts_toggle, TRUE);
    }
  digit[0] = cfg->confirm_digit;
  set_text (self->confirm_entry, digit);
  digit[0] = cfg->repeat_digit;
  set_text (self->repeat_entry, digit);
  digit[0] = cfg->opt_out_digit;
  set_text (self->opt_out_entry, digit);
  set_uint (self->max_repeats_entry, cfg->max_repeats);
  set_uint (self->menu_timeout_entry, cfg->menu_timeout_s);
  set_uint (self->concurrency_entry, cfg->max_concurrent);
  {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    set_text (self->cps_entry, g_ascii_formatd (buf, sizeof buf, "%g", cfg->cps));
  }
  set_uint (self->ring_timeout_entry, cfg->ring_timeout_s);
  for (guint k = 0; k < JARCHI_N_RETRY_KINDS; k++)
    {
      set_uint (self->retry_count[k], cfg->retries[k].count);
      set_uint (self->retry_delay[k], cfg->retries[k].delay_s);
    }
  gtk_switch_set_active (self->window_switch, cfg->has_window);
  for (guint d = 0; d < 7; d++)
    gtk_toggle_button_set_active (self->days[d], (cfg->window_days & (1u << d)) != 0);
  {
    g_autofree char *start = g_strdup_printf ("%02u:%02u", cfg->window_start_min / 60, cfg->window_start_min % 60);
    g_autofree char *end = g_strdup_printf ("%02u:%02u", cfg->window_end_min / 60, cfg->window_end_min % 60);
    set_text (self->window_start_entry, cfg->has_window ? start : "09:00");
    set_text (self->window_end_entry, cfg->has_window ? end : "18:00");
  }
  gtk_switch_set_active (self->schedule_switch, cfg->start_at != 0);
  if (cfg->start_at != 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (cfg->start_at);
      g_autofree char *text = g_date_time_format (dt, "%Y-%m-%d %H:%M");
      set_text (self->start_at_entry, text);
    }
}

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  JarchiBroadcastEditor *self = JARCHI_BROADCAST_EDITOR (widget);
  JarchiCampaignStore *store = jarchi_service_get_campaign_store (self->service);
  g_autoptr(GError) error = NULL;
  g_autoptr(JarchiCampaignConfig) cfg = build_config (self, N_GROUPS, &error);
  g_autoptr(JarchiCampaignConfig) old = NULL;
  g_autoptr(JarchiCampaign) created = NULL;
  JarchiCampaign *campaign = self->campaign;

  if (cfg != NULL && campaign != NULL)
    {
      old = jarchi_campaign_config_copy (jarchi_campaign_get_config (campaign));
      if (jarchi_campaign_set_config (campaign, cfg, &error) && !jarchi_campaign_store_save (store, campaign, &error))
        {
          (void) jarchi_campaign_set_config (campaign, old, NULL);
          g_clear_pointer (&cfg, jarchi_campaign_config_free);
        }
      else if (error != NULL)
        g_clear_pointer (&cfg, jarchi_campaign_config_free);
    }
  else if (cfg != NULL)
    {
      created = jarchi_campaign_new (cfg);
      if (!jarchi_campaign_store_add (store, created, &error))
        g_clear_pointer (&cfg, jarchi_campaign_config_free);
      campaign = created;
    }
  if (cfg == NULL)
    {
      jarchi_broadcast_editor_show_error (self->save_error_label, error->message);
      return;
    }
  jarchi_campaign_runner_campaign_changed (jarchi_service_get_campaign_runner (self->service), campaign);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, campaign);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
jarchi_broadcast_editor_constructed (GObject *object)
{
  JarchiBroadcastEditor *self = JARCHI_BROADCAST_EDITOR (object);
  g_autoptr(JarchiCampaignConfig) defaults = jarchi_campaign_config_new ();
  JarchiContactBook *book = jarchi_service_get_contact_book (self->service);
  g_autoptr(GtkFilterListModel) filtered = NULL;
  g_autoptr(JarchiMedia) media = NULL;

  G_OBJECT_CLASS (jarchi_broadcast_editor_parent_class)->constructed (object);

  gtk_window_set_title (GTK_WINDOW (self), self->campaign ? _("Edit Broadcast") : _("New Broadcast"));
  load_config (self, self->campaign ? jarchi_campaign_get_config (self->campaign) : defaults);
  load_accounts (self, self->campaign ? jarchi_campaign_get_config (self->campaign)->account_id : G_MAXUINT);
  g_signal_connect_object (jarchi_call_manager_get_accounts (jarchi_service_get_call_manager (self->service)),
                           "items-changed", G_CALLBACK (accounts_changed), self, G_CONNECT_SWAPPED);

  gtk_flow_box_bind_model (self->departments_box, jarchi_contact_book_get_departments (book),
                           create_department, self, NULL);
  gtk_flow_box_bind_model (self->districts_box, jarchi_contact_book_get_districts (book),
                           create_district, self, NULL);
  self->all_contacts = g_list_store_new (JARCHI_TYPE_CONTACT);
  self->contact_filter = gtk_custom_filter_new (contact_matches, self, NULL);
  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->all_contacts)),
                                        GTK_FILTER (g_object_ref (self->contact_filter)));
  gtk_list_box_bind_model (self->contacts_list, G_LIST_MODEL (filtered), create_contact, self, NULL);
  g_signal_connect_object (book, "changed", G_CALLBACK (load_contacts), self, G_CONNECT_SWAPPED);
  load_contacts (self);

  if (self->media_id != 0)
    media = jarchi_media_library_get (jarchi_service_get_media_library (self->service), self->media_id, NULL);
  jarchi_broadcast_editor_show_media (self, media);
  validate_now (self);
}

static void
search_changed (JarchiBroadcastEditor *self)
{
  gtk_filter_changed (GTK_FILTER (self->contact_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
jarchi_broadcast_editor_dispose (GObject *object)
{
  JarchiBroadcastEditor *self = JARCHI_BROADCAST_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  jarchi_broadcast_editor_stop_playing (self);
  g_clear_handle_id (&self->validate_id, g_source_remove);
  if (self->chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), JARCHI_TYPE_BROADCAST_EDITOR);
  g_clear_object (&self->service);
  g_clear_object (&self->campaign);
  g_clear_object (&self->all_contacts);
  g_clear_object (&self->contact_filter);
  g_clear_object (&self->account_names);
  G_OBJECT_CLASS (jarchi_broadcast_editor_parent_class)->dispose (object);
}

static void
jarchi_broadcast_editor_finalize (GObject *object)
{
  JarchiBroadcastEditor *self = JARCHI_BROADCAST_EDITOR (object);

  for (guint i = 0; i < 3; i++)
    g_hash_table_unref (self->picked[i]);
  g_array_unref (self->account_ids);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (jarchi_broadcast_editor_parent_class)->finalize (object);
}

static void
jarchi_broadcast_editor_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiBroadcastEditor *self = JARCHI_BROADCAST_EDITOR (object);

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
jarchi_broadcast_editor_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiBroadcastEditor *self = JARCHI_BROADCAST_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      self->service = g_value_dup_object (value);
      break;
    case PROP_CAMPAIGN:
      self->campaign = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, JarchiBroadcastEditor, name)
#define BIND_AT(id, field) gtk_widget_class_bind_template_child_full (widget_class, id, FALSE, \
                                                                      G_STRUCT_OFFSET (JarchiBroadcastEditor, field))

static void
jarchi_broadcast_editor_class_init (JarchiBroadcastEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const kinds[] = { "busy", "no_answer", "failed", "unconfirmed" };
  static const char * const groups[] = { "name", "message", "menu", "limits", "retries", "window", "schedule" };

  object_class->constructed = jarchi_broadcast_editor_constructed;
  object_class->dispose = jarchi_broadcast_editor_dispose;
  object_class->finalize = jarchi_broadcast_editor_finalize;
  object_class->get_property = jarchi_broadcast_editor_get_property;
  object_class->set_property = jarchi_broadcast_editor_set_property;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, JARCHI_TYPE_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAMPAIGN] =
    g_param_spec_object ("campaign", NULL, NULL, JARCHI_TYPE_CAMPAIGN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JARCHI_TYPE_CAMPAIGN);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jarchi/Jarchi/broadcast-editor.ui");
  BIND (name_entry); BIND (account_dropdown); BIND (departments_box); BIND (districts_box);
  BIND (contact_search); BIND (contacts_list); BIND (recipients_label); BIND (file_toggle);
  BIND (tts_toggle); BIND (message_stack); BIND (choose_file_button); BIND (play_file_button); BIND (file_label); BIND (tts_view);
  BIND (lang_dropdown); BIND (preview_voice_button); BIND (voice_label); BIND (confirm_entry);
  BIND (repeat_entry); BIND (opt_out_entry); BIND (max_repeats_entry); BIND (menu_timeout_entry);
  BIND (concurrency_entry); BIND (cps_entry); BIND (ring_timeout_entry); BIND (window_switch);
  BIND (days_box); BIND (window_start_entry); BIND (window_end_entry); BIND (schedule_switch);
  BIND (start_at_entry); BIND (save_button); BIND (save_error_label);
  for (guint k = 0; k < JARCHI_N_RETRY_KINDS; k++)
    {
      g_autofree char *count = g_strdup_printf ("retry_%s_count", kinds[k]);
      g_autofree char *delay = g_strdup_printf ("retry_%s_delay", kinds[k]);
      /* The template keeps the names: bind_template_child_full copies them. */
      BIND_AT (count, retry_count[k]);
      BIND_AT (delay, retry_delay[k]);
    }
  for (guint g = 0; g < N_GROUPS; g++)
    {
      g_autofree char *id = g_strdup_printf ("%s_error_label", groups[g]);
      BIND_AT (id, group_errors[g]);
    }
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
jarchi_broadcast_editor_init (JarchiBroadcastEditor *self)
{
  /* Monday first, as JARCHI_WEEKDAYS_* bits. */
  static const char * const day_labels[] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun") };
  GtkStringList *lang_names;

  for (guint i = 0; i < 3; i++)
    self->picked[i] = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->account_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->account_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->account_dropdown, G_LIST_MODEL (self->account_names));
  lang_names = gtk_string_list_new ((const char * const[]) { _("Uzbek"), _("Russian"), _("English"), NULL });
  gtk_drop_down_set_model (self->lang_dropdown, G_LIST_MODEL (lang_names));
  g_object_unref (lang_names);
  for (guint d = 0; d < 7; d++)
    {
      self->days[d] = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label (_(day_labels[d])));
      gtk_box_append (self->days_box, GTK_WIDGET (self->days[d]));
      g_signal_connect_swapped (self->days[d], "toggled", G_CALLBACK (jarchi_broadcast_editor_queue_validate), self);
    }

  {
    GtkEntry *entries[] = { self->name_entry, self->confirm_entry, self->repeat_entry, self->opt_out_entry,
                            self->max_repeats_entry, self->menu_timeout_entry, self->concurrency_entry,
                            self->cps_entry, self->ring_timeout_entry, self->window_start_entry,
                            self->window_end_entry, self->start_at_entry };
    for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
      g_signal_connect_swapped (entries[i], "changed", G_CALLBACK (jarchi_broadcast_editor_queue_validate), self);
    for (guint k = 0; k < JARCHI_N_RETRY_KINDS; k++)
      {
        g_signal_connect_swapped (self->retry_count[k], "changed", G_CALLBACK (jarchi_broadcast_editor_queue_validate), self);
        g_signal_connect_swapped (self->retry_delay[k], "changed", G_CALLBACK (jarchi_broadcast_editor_queue_validate), self);
      }
  }
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->tts_view), "changed", G_CALLBACK (jarchi_broadcast_editor_queue_validate), self);
  g_signal_connect_swapped (self->lang_dropdown, "notify::selected", G_CALLBACK (jarchi_broadcast_editor_queue_validate), self);
  g_signal_connect_swapped (self->window_switch, "notify::active", G_CALLBACK (jarchi_broadcast_editor_queue_validate), self);
  g_signal_connect_swapped (self->schedule_switch, "notify::active", G_CALLBACK (jarchi_broadcast_editor_queue_validate), self);
  g_signal_connect_swapped (self->tts_toggle, "toggled", G_CALLBACK (jarchi_broadcast_editor_message_kind_toggled), self);
  g_signal_connect_swapped (self->play_file_button, "clicked", G_CALLBACK (jarchi_broadcast_editor_play_file_clicked), self);
  g_signal_connect_swapped (self->preview_voice_button, "clicked", G_CALLBACK (jarchi_broadcast_editor_preview_voice_clicked), self);
  g_signal_connect_swapped (self->contact_search, "search-changed", G_CALLBACK (search_changed), self);
  g_signal_connect_swapped (self->choose_file_button, "clicked", G_CALLBACK (jarchi_broadcast_editor_choose_file_clicked), self);
}

JarchiBroadcastEditor *
jarchi_broadcast_editor_new (GtkWindow *parent, JarchiService *service, JarchiCampaign *campaign)
{
  return g_object_new (JARCHI_TYPE_BROADCAST_EDITOR,
                       "transient-for", parent,
                       "service", service,
                       "campaign", campaign,
                       NULL);
}
