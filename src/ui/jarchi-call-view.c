/* JarchiCallView: one call on the Phone page; its in-call controls are call.* GActions, answer/decline/hang up the app's. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "jarchi-call-view.h"

struct _JarchiCallView
{
  GtkWidget           parent_instance;

  JarchiCallManager  *manager;
  JarchiCall         *call;
  JarchiContactBook  *book;
  JarchiMediaSession *media;
  GPtrArray          *media_bindings;  /* GBinding, to the media session */
  GtkFilterListModel *other_calls;     /* for attended transfer */
  GString            *dtmf_sent;
  guint               timer_source;
  gboolean            expanded;
  gboolean            muted;
  gboolean            held;
  gboolean            keypad_visible;

  GtkBox             *header_box;
  AdwAvatar          *avatar;
  GtkBox             *labels_box;
  GtkLabel           *name_label;
  GtkLabel           *number_label;
  GtkBox             *status_box;
  GtkLabel           *state_label;
  GtkLabel           *timer_label;
  GtkImage           *recording_image;
  GtkWidget          *compact_actions;
  GtkWidget          *compact_switch_button;
  GtkWidget          *compact_decline_button;
  GtkWidget          *compact_answer_button;
  GtkWidget          *compact_hangup_button;
  GtkLabel           *error_label;
  GtkWidget          *incoming_box;
  GtkWidget          *answer_button;
  GtkWidget          *decline_button;
  GtkRevealer        *controls_revealer;
  GtkRevealer        *keypad_revealer;
  GtkLabel           *dtmf_label;
  GtkToggleButton    *record_button;
  GtkMenuButton      *transfer_button;
  GtkEntry           *transfer_entry;
  GtkDropDown        *transfer_dropdown;
  GtkLabel           *attended_hint_label;
  GtkWidget          *connect_button;
  GtkAdjustment      *volume_adjustment;
  GtkLevelBar        *level_bar;
  GtkWidget          *hangup_box;
  GtkWidget          *hangup_button;
};

G_DEFINE_FINAL_TYPE (JarchiCallView, jarchi_call_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_CALL,
  PROP_CONTACT_BOOK,
  PROP_EXPANDED,
  PROP_MUTED,
  PROP_HELD,
  PROP_KEYPAD_VISIBLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- helpers shared with the page and the notifier --- */

static gboolean
state_is_up (JarchiCallState state)
{
  return state == JARCHI_CALL_STATE_ACTIVE || state == JARCHI_CALL_STATE_REMOTE_HELD ||
         state == JARCHI_CALL_STATE_TRANSFERRING;
}

static gboolean
state_is_answered (JarchiCallState state)
{
  return state_is_up (state) || state == JARCHI_CALL_STATE_HELD;
}

JarchiCall *
jarchi_call_find_current (GListModel *calls)
{
  guint n = g_list_model_get_n_items (calls);
  JarchiCall *incoming = NULL, *held = NULL;

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(JarchiCall) call = g_list_model_get_item (calls, i - 1);
      JarchiCallState state = jarchi_call_get_state (call);

      if (state == JARCHI_CALL_STATE_INCOMING)
        {
          if (incoming == NULL)
            incoming = call;
        }
      else if (state == JARCHI_CALL_STATE_HELD)
        {
          if (held == NULL)
            held = call;
        }
      else if (state != JARCHI_CALL_STATE_ENDED)
        return call;
    }
  /* The model holds its own reference for as long as the call is in it. */
  return incoming != NULL ? incoming : held;
}

JarchiCall *
jarchi_call_find_incoming (GListModel *calls)
{
  for (guint i = g_list_model_get_n_items (calls); i > 0; i--)
    {
      g_autoptr(JarchiCall) call = g_list_model_get_item (calls, i - 1);

      if (jarchi_call_get_state (call) == JARCHI_CALL_STATE_INCOMING)
        return call;
    }
  return NULL;
}

char *
jarchi_call_dup_remote_number (JarchiCall *call)
{
  const char *uri = jarchi_call_get_remote_uri (call);
  const char *p = uri ? uri : "";
  const char *end;

  for (const char *const *scheme = (const char *[]) { "sips:", "sip:", "tel:", NULL }; *scheme; scheme++)
    if (g_ascii_strncasecmp (p, *scheme, strlen (*scheme)) == 0)
      {
        p += strlen (*scheme);
        break;
      }
  end = p + strcspn (p, "@;>?");
  if (end == p)
    return g_strdup (uri ? uri : "");
  return g_strndup (p, end - p);
}

char *
jarchi_call_dup_remote_title (JarchiCall *call, JarchiContactBook *book)
{
  g_autofree char *number = jarchi_call_dup_remote_number (call);
  const char *name = jarchi_call_get_remote_name (call);

  if (book != NULL)
    {
      g_autoptr(JarchiContact) contact = jarchi_contact_book_find_by_phone (book, number);

      if (contact != NULL && *jarchi_contact_get_name (contact))
        return g_strdup (jarchi_contact_get_name (contact));
    }
  if (name != NULL && *name)
    return g_strdup (name);
  return g_steal_pointer (&number);
}

const char *
jarchi_call_state_describe (JarchiCallState state)
{
  switch (state)
    {
    case JARCHI_CALL_STATE_INCOMING: return _("Incoming call");
    case JARCHI_CALL_STATE_DIALING: return _("Calling…");
    case JARCHI_CALL_STATE_RINGING: return _("Ringing…");
    case JARCHI_CALL_STATE_EARLY_MEDIA: return _("Connecting…");
    case JARCHI_CALL_STATE_ACTIVE: return _("Active");
    case JARCHI_CALL_STATE_HELD: return _("On hold");
    case JARCHI_CALL_STATE_REMOTE_HELD: return _("Held by the other side");
    case JARCHI_CALL_STATE_TRANSFERRING: return _("Transferring…");
    case JARCHI_CALL_STATE_ENDED: return _("Call ended");
    default: return "";
    }
}

char *
jarchi_call_resolve_target (JarchiContactBook *book, const char *text, GError **error)
{
  g_autoptr(GPtrArray) found = NULL;
  gboolean has_digit = FALSE;
  guint total = 0;

  for (const char *p = text; *p; p++)
    has_digit |= g_ascii_isdigit (*p);
  if (has_digit || strchr (text, '@') != NULL || strchr (text, ':') != NULL || book == NULL)
    return g_strdup (text);

  found = jarchi_contact_book_query (book, 0, 0, text, 0, 2, &total, error);
  if (found == NULL)
    return NULL;
  if (found->len == 1)
    return g_strdup (jarchi_contact_get_phone (g_ptr_array_index (found, 0)));
  if (found->len == 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No contact matches “%s”"), text);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("%u contacts match “%s”: type more of the name, or the number"), total, text);
  return NULL;
}

/* --- showing the call --- */

static void
show_error (JarchiCallView *self, const GError *error)
{
  gtk_label_set_label (self->error_label, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
}

static void
update_timer (JarchiCallView *self)
{
  gint64 seconds = jarchi_call_get_duration (self->call);
  g_autofree char *text = NULL;

  if (jarchi_call_get_answered_at (self->call) == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->timer_label), FALSE);
      return;
    }
  if (seconds >= 3600)
    text = g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  else
    text = g_strdup_printf ("%02d:%02d", (int) (seconds / 60), (int) (seconds % 60));
  gtk_label_set_label (self->timer_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->timer_label), TRUE);
}

static gboolean
timer_tick (gpointer user_data)
{
  update_timer (JARCHI_CALL_VIEW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
update_remote (JarchiCallView *self)
{
  g_autofree char *title = jarchi_call_dup_remote_title (self->call, self->book);
  g_autofree char *number = jarchi_call_dup_remote_number (self->call);
  const char *uri = jarchi_call_get_remote_uri (self->call);

  gtk_label_set_label (self->name_label, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_avatar_set_text (self->avatar, title);
  /* The number is worth a line of its own only when the title is a name. */
  gtk_label_set_label (self->number_label, g_strcmp0 (title, number) != 0 ? number : uri);
  gtk_widget_set_visible (GTK_WIDGET (self->number_label),
                          g_strcmp0 (gtk_label_get_label (self->number_label), title) != 0);
}

static void
update_layout (JarchiCallView *self)
{
  gboolean expanded = self->expanded;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->header_box),
                                  expanded ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  adw_avatar_set_size (self->avatar, expanded ? 72 : 40);
  gtk_widget_set_halign (GTK_WIDGET (self->status_box), expanded ? GTK_ALIGN_CENTER : GTK_ALIGN_START);
  gtk_label_set_xalign (self->name_label, expanded ? 0.5f : 0.0f);
  gtk_label_set_xalign (self->number_label, expanded ? 0.5f : 0.0f);
  gtk_label_set_justify (self->name_label, expanded ? GTK_JUSTIFY_CENTER : GTK_JUSTIFY_LEFT);
  gtk_label_set_justify (self->number_label, expanded ? GTK_JUSTIFY_CENTER : GTK_JUSTIFY_LEFT);
  /* A row beside another call: one line each, the address cut short. */
  gtk_label_set_wrap (self->number_label, expanded);
  gtk_label_set_ellipsize (self->number_label, expanded ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->header_box), expanded ? 6 : 18);
}

/* Binds the media session's controls once the call has one (at dial, or when answered). */
static void
attach_media (JarchiCallView *self)
{
  JarchiMediaSession *media;

  if (self->media != NULL || jarchi_call_is_ended (self->call))
    return;
  media = jarchi_call_manager_get_media_session (self->manager, jarchi_call_get_id (self->call));
  if (media == NULL)
    return;

  self->media = g_object_ref (media);
  g_ptr_array_add (self->media_bindings,
                   g_object_ref (g_object_bind_property (media, "muted", self, "muted",
                                                         G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE)));
  g_ptr_array_add (self->media_bindings,
                   g_object_ref (g_object_bind_property (media, "output-volume",
                                                         self->volume_adjustment, "value",
                                                         G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE)));
  g_ptr_array_add (self->media_bindings,
                   g_object_ref (g_object_bind_property (media, "input-level", self->level_bar, "value",
                                                         G_BINDING_SYNC_CREATE)));
  g_ptr_array_add (self->media_bindings,
                   g_object_ref (g_object_bind_property (media, "recording", self->record_button, "active",
                                                         G_BINDING_SYNC_CREATE)));
  g_ptr_array_add (self->media_bindings,
                   g_object_ref (g_object_bind_property (media, "recording", self->recording_image, "visible",
                                                         G_BINDING_SYNC_CREATE)));
}

static void
unbind_binding (gpointer binding)
{
  g_binding_unbind (binding);
  g_object_unref (binding);
}

static void
detach_media (JarchiCallView *self)
{
  if (self->media_bindings != NULL)
    g_ptr_array_set_size (self->media_bindings, 0);
  g_clear_object (&self->media);
}

static guint
n_other_calls (JarchiCallView *self)
{
  return self->other_calls ? g_list_model_get_n_items (G_LIST_MODEL (self->other_calls)) : 0;
}

static void
update_state (JarchiCallView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  JarchiCallState state = jarchi_call_get_state (self->call);
  gboolean incoming = state == JARCHI_CALL_STATE_INCOMING;
  gboolean answered = state_is_answered (state);
  gboolean held = state == JARCHI_CALL_STATE_HELD;
  const char *reason = jarchi_call_get_end_reason (self->call);
  g_autofree char *state_text = NULL;

  if (state == JARCHI_CALL_STATE_ENDED && reason != NULL && *reason)
    state_text = g_strdup_printf (_("Call ended: %s"), reason);
  gtk_label_set_label (self->state_label, state_text ? state_text : jarchi_call_state_describe (state));

  attach_media (self);
  if (state == JARCHI_CALL_STATE_ENDED)
    detach_media (self);

  if (self->held != held)
    {
      self->held = held;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD]);
    }

  gtk_widget_set_visible (self->incoming_box, incoming && self->expanded);
  gtk_widget_set_visible (self->hangup_box, !incoming && self->expanded);
  gtk_widget_set_visible (self->compact_actions, !self->expanded);
  gtk_widget_set_visible (self->compact_answer_button, incoming);
  gtk_widget_set_visible (self->compact_decline_button, incoming);
  gtk_widget_set_visible (self->compact_hangup_button, !incoming);
  gtk_widget_set_visible (self->compact_switch_button, held);
  gtk_revealer_set_reveal_child (self->controls_revealer, answered && self->expanded);

  gtk_widget_action_set_enabled (widget, "call.mute", answered && self->media != NULL);
  gtk_widget_action_set_enabled (widget, "call.hold",
                                 state_is_answered (state) && state != JARCHI_CALL_STATE_TRANSFERRING);
  gtk_widget_action_set_enabled (widget, "call.switch", held);
  gtk_widget_action_set_enabled (widget, "call.show-keypad", answered || state == JARCHI_CALL_STATE_EARLY_MEDIA);
  gtk_widget_action_set_enabled (widget, "call.dtmf", answered || state == JARCHI_CALL_STATE_EARLY_MEDIA);
  gtk_widget_action_set_enabled (widget, "call.transfer-blind", answered);
  gtk_widget_action_set_enabled (widget, "call.transfer-attended", answered && n_other_calls (self) > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->transfer_button), answered);
  /* With no other call there is nobody to connect to: only the hint shows. */
  gtk_widget_set_visible (GTK_WIDGET (self->transfer_dropdown), n_other_calls (self) > 0);
  gtk_widget_set_visible (self->connect_button, n_other_calls (self) > 0);
  gtk_label_set_label (self->attended_hint_label,
                       n_other_calls (self) > 0
                       ? _("Connect this caller with another of your calls, then leave both.")
                       : _("Call the other person first; you can then connect the two calls."));

  update_timer (self);
  if (answered && self->timer_source == 0)
    self->timer_source = g_timeout_add_seconds (1, timer_tick, self);
  else if (!answered && self->timer_source != 0)
    g_clear_handle_id (&self->timer_source, g_source_remove);
}

/* --- actions --- */

static void
dtmf_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiCallView *self = JARCHI_CALL_VIEW (widget);
  const char *digits = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;

  if (!jarchi_call_manager_send_dtmf (self->manager, jarchi_call_get_id (self->call), digits, &error))
    {
      show_error (self, error);
      return;
    }
  show_error (self, NULL);
  g_string_append (self->dtmf_sent, digits);
  gtk_label_set_label (self->dtmf_label, self->dtmf_sent->str);
  gtk_widget_set_visible (GTK_WIDGET (self->dtmf_label), TRUE);
}

static void
switch_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiCallView *self = JARCHI_CALL_VIEW (widget);
  GListModel *calls = G_LIST_MODEL (self->manager);
  g_autoptr(GError) error = NULL;

  /* The one we were talking to waits on hold while we talk here. */
  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr(JarchiCall) other = g_list_model_get_item (calls, i);

      if (other != self->call && state_is_up (jarchi_call_get_state (other)))
        (void) jarchi_call_manager_hold (self->manager, jarchi_call_get_id (other), NULL);
    }
  if (!jarchi_call_manager_resume (self->manager, jarchi_call_get_id (self->call), &error))
    show_error (self, error);
  else
    show_error (self, NULL);
}

static void
transfer_blind_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiCallView *self = JARCHI_CALL_VIEW (widget);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->transfer_entry))));
  g_autofree char *target = NULL;
  g_autoptr(GError) error = NULL;

  if (*text == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->transfer_entry));
      return;
    }
  target = jarchi_call_resolve_target (self->book, text, &error);
  if (target == NULL ||
      !jarchi_call_manager_transfer_blind (self->manager, jarchi_call_get_id (self->call), target, &error))
    {
      show_error (self, error);
      return;
    }
  show_error (self, NULL);
  gtk_menu_button_popdown (self->transfer_button);
  gtk_editable_set_text (GTK_EDITABLE (self->transfer_entry), "");
}

static void
transfer_entry_activated (JarchiCallView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "call.transfer-blind", NULL);
}

static void
transfer_attended_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  JarchiCallView *self = JARCHI_CALL_VIEW (widget);
  JarchiCall *other = gtk_drop_down_get_selected_item (self->transfer_dropdown);
  g_autoptr(GError) error = NULL;

  if (other == NULL)
    return;
  if (!jarchi_call_manager_transfer_attended (self->manager, jarchi_call_get_id (self->call),
                                              jarchi_call_get_id (other), &error))
    {
      show_error (self, error);
      return;
    }
  show_error (self, NULL);
  gtk_menu_button_popdown (self->transfer_button);
}

/* --- the other calls, for attended transfer --- */

static gboolean
is_other_call (gpointer item, gpointer user_data)
{
  return item != user_data;
}

static char *
call_label (JarchiCall *call, JarchiCallState state, gpointer user_data)
{
  JarchiCallView *self = user_data;
  g_autofree char *title = NULL;

  if (call == NULL)
    return g_strdup ("");
  title = jarchi_call_dup_remote_title (call, self->book);
  /* TRANSLATORS: a call in the attended-transfer list: "Alice — On hold" */
  return g_strdup_printf (_("%s — %s"), title, jarchi_call_state_describe (state));
}

static void
setup_other_calls (JarchiCallView *self)
{
  GtkCustomFilter *filter = gtk_custom_filter_new (is_other_call, self->call, NULL);
  GtkExpression *state = gtk_property_expression_new (JARCHI_TYPE_CALL, NULL, "state");
  GtkExpression *expression =
    gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, &state, G_CALLBACK (call_label), self, NULL);

  self->other_calls = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->manager)),
                                                 GTK_FILTER (filter));
  g_signal_connect_object (self->other_calls, "items-changed", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  gtk_drop_down_set_expression (self->transfer_dropdown, expression);
  gtk_drop_down_set_model (self->transfer_dropdown, G_LIST_MODEL (self->other_calls));
  gtk_expression_unref (expression);
}

/* --- GObject --- */

static void
set_muted (JarchiCallView *self, gboolean muted)
{
  if (self->muted == muted)
    return;
  self->muted = muted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

/* Asks for hold or resume; the property follows the call's state once the peer agreed. */
static void
set_held (JarchiCallView *self, gboolean held)
{
  g_autoptr(GError) error = NULL;
  guint id = jarchi_call_get_id (self->call);

  if (self->held == held)
    return;
  if (held ? !jarchi_call_manager_hold (self->manager, id, &error)
           : !jarchi_call_manager_resume (self->manager, id, &error))
    {
      show_error (self, error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD]);
      return;
    }
  show_error (self, NULL);
  self->held = held;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD]);
}

static void
set_keypad_visible (JarchiCallView *self, gboolean visible)
{
  if (self->keypad_visible == visible)
    return;
  self->keypad_visible = visible;
  gtk_revealer_set_reveal_child (self->keypad_revealer, visible);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYPAD_VISIBLE]);
}

static void
jarchi_call_view_constructed (GObject *object)
{
  JarchiCallView *self = JARCHI_CALL_VIEW (object);
  g_autoptr(GVariant) target = NULL;

  G_OBJECT_CLASS (jarchi_call_view_parent_class)->constructed (object);

  g_return_if_fail (JARCHI_IS_CALL_MANAGER (self->manager) && JARCHI_IS_CALL (self->call));

  /* Answer, decline and hang up are the app's actions, with this call's id as target. */
  target = g_variant_ref_sink (g_variant_new_uint32 (jarchi_call_get_id (self->call)));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->answer_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->decline_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->hangup_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->compact_answer_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->compact_decline_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->compact_hangup_button), target);

  g_signal_connect_object (self->call, "notify::state", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->call, "notify::remote-name", G_CALLBACK (update_remote), self,
                           G_CONNECT_SWAPPED);
  setup_other_calls (self);
  update_remote (self);
  update_layout (self);
  update_state (self);
}

static void
jarchi_call_view_dispose (GObject *object)
{
  JarchiCallView *self = JARCHI_CALL_VIEW (object);
  GtkWidget *child;

  g_clear_handle_id (&self->timer_source, g_source_remove);
  if (self->call != NULL)
    g_signal_handlers_disconnect_by_data (self->call, self);
  if (self->other_calls != NULL)
    g_signal_handlers_disconnect_by_data (self->other_calls, self);
  detach_media (self);
  if (self->transfer_dropdown != NULL)
    gtk_drop_down_set_model (self->transfer_dropdown, NULL);
  g_clear_object (&self->other_calls);

  gtk_widget_dispose_template (GTK_WIDGET (self), JARCHI_TYPE_CALL_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->call);
  g_clear_object (&self->manager);
  g_clear_object (&self->book);

  G_OBJECT_CLASS (jarchi_call_view_parent_class)->dispose (object);
}

static void
jarchi_call_view_finalize (GObject *object)
{
  JarchiCallView *self = JARCHI_CALL_VIEW (object);

  g_clear_pointer (&self->media_bindings, g_ptr_array_unref);
  g_string_free (self->dtmf_sent, TRUE);

  G_OBJECT_CLASS (jarchi_call_view_parent_class)->finalize (object);
}

static void
jarchi_call_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiCallView *self = JARCHI_CALL_VIEW (object);

  switch (prop_id)
    {
    case PROP_MANAGER: g_value_set_object (value, self->manager); break;
    case PROP_CALL: g_value_set_object (value, self->call); break;
    case PROP_CONTACT_BOOK: g_value_set_object (value, self->book); break;
    case PROP_EXPANDED: g_value_set_boolean (value, self->expanded); break;
    case PROP_MUTED: g_value_set_boolean (value, self->muted); break;
    case PROP_HELD: g_value_set_boolean (value, self->held); break;
    case PROP_KEYPAD_VISIBLE: g_value_set_boolean (value, self->keypad_visible); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_call_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  JarchiCallView *self = JARCHI_CALL_VIEW (object);

  switch (prop_id)
    {
    case PROP_MANAGER: self->manager = g_value_dup_object (value); break;
    case PROP_CALL: self->call = g_value_dup_object (value); break;
    case PROP_CONTACT_BOOK: self->book = g_value_dup_object (value); break;
    case PROP_EXPANDED: jarchi_call_view_set_expanded (self, g_value_get_boolean (value)); break;
    case PROP_MUTED: set_muted (self, g_value_get_boolean (value)); break;
    case PROP_HELD: set_held (self, g_value_get_boolean (value)); break;
    case PROP_KEYPAD_VISIBLE: set_keypad_visible (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_call_view_class_init (JarchiCallViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = jarchi_call_view_constructed;
  object_class->dispose = jarchi_call_view_dispose;
  object_class->finalize = jarchi_call_view_finalize;
  object_class->get_property = jarchi_call_view_get_property;
  object_class->set_property = jarchi_call_view_set_property;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, JARCHI_TYPE_CALL_MANAGER, co);
  properties[PROP_CALL] = g_param_spec_object ("call", NULL, NULL, JARCHI_TYPE_CALL, co);
  properties[PROP_CONTACT_BOOK] =
    g_param_spec_object ("contact-book", NULL, NULL, JARCHI_TYPE_CONTACT_BOOK, co);
  properties[PROP_EXPANDED] = g_param_spec_boolean ("expanded", NULL, NULL, TRUE, rw);
  properties[PROP_MUTED] = g_param_spec_boolean ("muted", NULL, NULL, FALSE, rw);
  properties[PROP_HELD] = g_param_spec_boolean ("held", NULL, NULL, FALSE, rw);
  properties[PROP_KEYPAD_VISIBLE] = g_param_spec_boolean ("keypad-visible", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jarchi/Jarchi/call-view.ui");
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, header_box);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, avatar);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, labels_box);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, name_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, number_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, status_box);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, state_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, timer_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, recording_image);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, compact_actions);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, compact_switch_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, compact_decline_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, compact_answer_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, compact_hangup_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, error_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, incoming_box);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, answer_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, decline_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, controls_revealer);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, keypad_revealer);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, dtmf_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, record_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, transfer_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, transfer_entry);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, transfer_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, attended_hint_label);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, connect_button);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, volume_adjustment);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, level_bar);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, hangup_box);
  gtk_widget_class_bind_template_child (widget_class, JarchiCallView, hangup_button);
  gtk_widget_class_bind_template_callback (widget_class, transfer_entry_activated);

  gtk_widget_class_install_property_action (widget_class, "call.mute", "muted");
  gtk_widget_class_install_property_action (widget_class, "call.hold", "held");
  gtk_widget_class_install_property_action (widget_class, "call.show-keypad", "keypad-visible");
  gtk_widget_class_install_action (widget_class, "call.dtmf", "s", dtmf_action);
  gtk_widget_class_install_action (widget_class, "call.switch", NULL, switch_action);
  gtk_widget_class_install_action (widget_class, "call.transfer-blind", NULL, transfer_blind_action);
  gtk_widget_class_install_action (widget_class, "call.transfer-attended", NULL, transfer_attended_action);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
jarchi_call_view_init (JarchiCallView *self)
{
  self->expanded = TRUE;
  self->dtmf_sent = g_string_new (NULL);
  self->media_bindings = g_ptr_array_new_with_free_func (unbind_binding);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A meter, not a gauge: quiet is not a warning. */
  gtk_level_bar_remove_offset_value (self->level_bar, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (self->level_bar, GTK_LEVEL_BAR_OFFSET_HIGH);
}

GtkWidget *
jarchi_call_view_new (JarchiCallManager *manager, JarchiCall *call, JarchiContactBook *book)
{
  return g_object_new (JARCHI_TYPE_CALL_VIEW,
                       "manager", manager,
                       "call", call,
                       "contact-book", book,
                       NULL);
}

JarchiCall *
jarchi_call_view_get_call (JarchiCallView *self)
{
  g_return_val_if_fail (JARCHI_IS_CALL_VIEW (self), NULL);
  return self->call;
}

gboolean
jarchi_call_view_get_expanded (JarchiCallView *self)
{
  g_return_val_if_fail (JARCHI_IS_CALL_VIEW (self), FALSE);
  return self->expanded;
}

void
jarchi_call_view_set_expanded (JarchiCallView *self, gboolean expanded)
{
  g_return_if_fail (JARCHI_IS_CALL_VIEW (self));

  expanded = !!expanded;
  if (self->expanded == expanded)
    return;
  self->expanded = expanded;
  if (self->call != NULL)
    {
      update_layout (self);
      update_state (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPANDED]);
}
